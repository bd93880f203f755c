"""Go classification, golden style: a Go snippet in, the expected (text, role, ...) rows out."""

from __future__ import annotations

import textwrap

import pytest

from idrename import roles as R
from idrename.gosyntax import generator_inputs, is_generated, literal_qualifier, scan_go
from idrename.spec import Spec, tokens

SPEC = Spec("RunID", "SessionID", explicit={"runToTurn": "sessionToTurn"})


def rows(src: str, *fields: str) -> list[tuple[object, ...]]:
    data = textwrap.dedent(src).lstrip("\n").encode()
    scan = scan_go("x.go", data, SPEC)
    fields = fields or ("line", "column", "text", "role")
    return [tuple(getattr(o, f) for f in fields) for o in scan.occurrences]


def test_struct_fields_tags_and_doc_comments() -> None:
    src = '''
    package chat

    // Conversation is one chat; RunID is really the session id.
    type Conversation struct {
    	ID    string
    	RunID string `json:"run_id,omitempty" db:"run_id"`
    }
    '''
    assert rows(src, "line", "column", "text", "role", "symbol", "owner", "detail") == [
        (3, 30, "RunID", R.DOC_COMMENT, "Conversation", "", ""),
        (6, 2, "RunID", R.FIELD_DECL, "Conversation", "Conversation", ""),
        (6, 22, "run_id", R.STRUCT_TAG, "Conversation", "Conversation", "json:omitempty"),
        (6, 44, "run_id", R.STRUCT_TAG, "Conversation", "Conversation", "db"),
    ]


def test_interfaces_methods_calls_and_parameters() -> None:
    src = '''
    package chat

    type Finder interface {
    	FindConversationByRunID(runID string) (*Conversation, bool)
    }

    func (m *Manager) FindConversationByRunID(runID string) (*Conversation, bool) {
    	return m.index[runID], true
    }

    func use(f Finder) {
    	c, _ := f.FindConversationByRunID("x")
    	_ = c.RunID
    	fn := f.FindConversationByRunID
    	_ = fn
    }
    '''
    assert rows(src, "line", "text", "role", "symbol", "owner") == [
        (4, "FindConversationByRunID", R.INTERFACE_METHOD, "Finder.FindConversationByRunID", "Finder"),
        (4, "runID", R.PARAMETER, "Finder.FindConversationByRunID", ""),
        (7, "FindConversationByRunID", R.METHOD_DECL, "Manager.FindConversationByRunID", "Manager"),
        (7, "runID", R.PARAMETER, "Manager.FindConversationByRunID", ""),
        (8, "runID", R.LOCAL_USE, "Manager.FindConversationByRunID", ""),
        (12, "FindConversationByRunID", R.METHOD_CALL, "use", ""),
        (13, "RunID", R.SELECTOR, "use", ""),
        (14, "FindConversationByRunID", R.SELECTOR, "use", ""),
    ]


def test_locals_package_names_literals_and_calls() -> None:
    src = '''
    package chat

    import "example.com/geppetto/pkg/events"

    const RunIDHeader = "X-Run-ID"

    var defaultRunID = "none"

    type RunID string

    func lookupRunID(id RunID) string { return string(id) }

    func handle() {
    	runID := lookupRunID(RunID(defaultRunID))
    	var runIDs []string
    	for _, otherRunID := range runIDs {
    		_ = otherRunID
    	}
    	md := events.EventMetadata{RunID: runID}
    	_ = events.RunIDKey
    	_ = md
    }
    '''
    assert rows(src, "line", "text", "role") == [
        (5, "RunIDHeader", R.CONST_DECL),
        (5, "X-Run-ID", R.HTTP_HEADER),
        (7, "defaultRunID", R.VAR_DECL),
        (9, "RunID", R.TYPE_DECL),
        (11, "lookupRunID", R.FUNC_DECL),
        (11, "RunID", R.TYPE_USE),
        (14, "runID", R.LOCAL_DECL),
        (14, "lookupRunID", R.FUNC_CALL),
        (14, "RunID", R.TYPE_USE),
        (14, "defaultRunID", R.PACKAGE_USE),
        (15, "runIDs", R.LOCAL_DECL),
        (16, "otherRunID", R.LOCAL_DECL),
        (16, "runIDs", R.LOCAL_USE),
        (17, "otherRunID", R.LOCAL_USE),
        (19, "RunID", R.COMPOSITE_KEY),
        (19, "runID", R.LOCAL_USE),
        (20, "RunIDKey", R.PACKAGE_USE),
    ]


def test_every_kind_of_local_declaration_makes_a_name_local() -> None:
    # Each name is declared in the function in its own way (receiver, variadic parameter, local
    # const, type switch); without that declaration its uses would read as package names.
    src = '''
    package chat

    func (runIDs *Store) handle(v any, extraRunIDs ...string) {
    	const maxRunID = 3
    	switch otherRunID := v.(type) {
    	case string:
    		_ = otherRunID
    	}
    	_ = maxRunID
    	_ = extraRunIDs
    	_ = runIDs
    }
    '''
    assert rows(src, "line", "text", "role") == [
        (3, "runIDs", R.RECEIVER),
        (3, "extraRunIDs", R.PARAMETER),
        (4, "maxRunID", R.LOCAL_DECL),
        (5, "otherRunID", R.LOCAL_DECL),
        (7, "otherRunID", R.LOCAL_USE),
        (9, "maxRunID", R.LOCAL_USE),
        (10, "extraRunIDs", R.LOCAL_USE),
        (11, "runIDs", R.LOCAL_USE),
    ]


def test_a_range_clause_declares_with_colon_equals_and_assigns_with_equals() -> None:
    src = '''
    package chat

    var lastRunID string

    func handle(ids []string) {
    	for _, lastRunID = range ids {
    	}
    	_ = lastRunID
    	for _, nextRunID := range ids {
    		_ = nextRunID
    	}
    }
    '''
    assert rows(src, "line", "text", "role") == [
        (3, "lastRunID", R.VAR_DECL),
        (6, "lastRunID", R.PACKAGE_USE),  # the package's variable, assigned
        (8, "lastRunID", R.PACKAGE_USE),
        (9, "nextRunID", R.LOCAL_DECL),
        (10, "nextRunID", R.LOCAL_USE),
    ]


def test_strings_by_context() -> None:
    src = '''
    package chat

    import "log/slog"

    func handle(w http.ResponseWriter, r *http.Request, id string) {
    	log.Info().Str("run_id", id).Msg("started run_id")
    	slog.Info("lookup", "run_id", id, slog.String("run_id", id))
    	q := r.URL.Query().Get("run_id")
    	v := r.FormValue("run_id")
    	w.Header().Set("X-Run-ID", q+v)
    	resp := map[string]any{"run_id": id}
    	db.Query("SELECT conv_id FROM conversations WHERE run_id = $1", id)
    	err := fmt.Errorf("no conversation for runID %s", id)
    	payload := `{"run_id": "s1"}`
    	_, _, _ = resp, err, payload
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (6, "run_id", R.LOG_KEY, "Str"),
        (6, "run_id", R.MESSAGE, "Msg"),
        (7, "run_id", R.LOG_KEY, "Info"),
        (7, "run_id", R.LOG_KEY, "slog.String"),
        (8, "run_id", R.QUERY_PARAM, "Get"),
        (9, "run_id", R.QUERY_PARAM, "FormValue"),
        (10, "X-Run-ID", R.HTTP_HEADER, "Set"),
        (11, "run_id", R.MAP_KEY, ""),
        (12, "run_id", R.SQL, "SELECT"),
        (13, "runID", R.MESSAGE, "fmt.Errorf"),
        (14, "run_id", R.JSON_TEXT, ""),  # a JSON document's key
    ]


def test_sql_shown_to_a_person_is_a_message_and_sql_built_is_sql() -> None:
    """Found on InfluxDB 1.6: a usage hint printed to the console, ``"INSERT INTO
    <database>.<retention-policy> <point>"``, was a stored SQL name with a migration to
    propose. Printed, logged or an error's text, it is a message; built with Sprintf, or
    written to another writer (a file of queries), it is still SQL."""
    src = '''
    package chat

    func hint(db *sql.DB, id string) error {
    	fmt.Println("INSERT INTO <database>.<run_id> <point>")
    	log.Printf("SELECT * FROM runs WHERE run_id = %s", id)
    	q := fmt.Sprintf("SELECT * FROM runs WHERE run_id = %s", id)
    	fmt.Fprintf(script, "DELETE FROM runs WHERE run_id = 1;\\n")
    	_, _ = db.Exec(q)
    	return fmt.Errorf("insert into runs (run_id) failed")
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (4, "run_id", R.MESSAGE, "fmt.Println"),
        (5, "run_id", R.MESSAGE, "log.Printf"),
        (6, "run_id", R.SQL, "SELECT"),
        (7, "run_id", R.SQL, "DELETE"),
        (9, "run_id", R.MESSAGE, "fmt.Errorf"),
    ]


def test_text_printed_to_a_writer_is_output_not_a_message() -> None:
    """``fmt.Fprintf(conn, "X-Run-ID: %s\\r\\n", id)`` writes a header line on the wire: it is
    a string to review, not a message to rename; printed to the console it is a message."""
    src = '''
    package chat

    func send(w io.Writer, conn net.Conn, id string) {
    	fmt.Fprintf(w, "X-Run-ID: %s\\r\\n", id)
    	fmt.Fprintln(conn, "run_id", id)
    	io.WriteString(w, "run_id: ok")
    	fmt.Fprintf(os.Stderr, "no run_id %s\\n", id)
    	fmt.Fprint(os.Stdout, "run_id ", id)
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (4, "X-Run-ID", R.STRING, "fmt.Fprintf"),
        (5, "run_id", R.STRING, "fmt.Fprintln"),
        (6, "run_id", R.STRING, "io.WriteString"),
        (7, "run_id", R.MESSAGE, "fmt.Fprintf"),
        (8, "run_id", R.MESSAGE, "fmt.Fprint"),
    ]


def test_the_text_of_net_https_error_is_a_body_not_a_log_key() -> None:
    """Found on an URL checker: ``http.Error(w, "batch_not_found", 404)`` was a log key, as a
    logger's ``Error(msg, key, value)`` would have it. It is the response's body: a code (a
    string to review) when it is the name alone, else a message; a logger's Error is still
    one."""
    src = '''
    package chat

    import "net/http"

    func fail(w http.ResponseWriter, logger *slog.Logger) {
    	http.Error(w, "run_id", http.StatusNotFound)
    	http.Error(w, "no run_id given", http.StatusBadRequest)
    	logger.Error("failed", "run_id", 1)
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (6, "run_id", R.STRING, "http.Error"),
        (7, "run_id", R.MESSAGE, "http.Error"),
        (8, "run_id", R.LOG_KEY, "Error"),
    ]


def test_a_flag_sets_flag_name_is_external_and_zerologs_field_a_log_key() -> None:
    """Found on a gold shop's settlement CLI (workers -> lanes): ``fs.Int("workers", 0,
    "usage")`` on a flag.FlagSet was read as zerolog's ``Int(key, value)``, a log key, and
    dual-emit chained a second ``.Int("lanes", ...)`` onto the *int it returns: go build
    failed. A FlagSet's flag definitions (three arguments; four for the ``Var`` and pflag ``P``
    forms) name a command-line flag, set from outside the program; zerolog's field methods
    take a key and a value."""
    src = '''
    package cli

    func parse(fs *flag.FlagSet, logger zerolog.Logger) {
    	n := fs.Int("run_id", 0, "the run")
    	fs.IntVar(n, "run_id", 0, "the run")
    	fs.StringP("run_id", "r", "", "the run")
    	logger.Info().Int("run_id", *n).Msg("parsed")
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (4, "run_id", R.EXTERNAL_NAME, "FlagSet.Int"),
        (5, "run_id", R.EXTERNAL_NAME, "FlagSet.IntVar"),
        (6, "run_id", R.EXTERNAL_NAME, "FlagSet.StringP"),
        (7, "run_id", R.LOG_KEY, "Int"),
    ]


def test_a_tests_setenv_names_the_variable_the_code_reads() -> None:
    """Found on a shipping API's config test under a policy renaming strings:
    ``t.Setenv("CEAE_PAYMENT_TIMEOUT", "1m")`` was a plain string, renamed, while the code's
    ``os.Getenv("CEAE_PAYMENT_TIMEOUT")`` was kept (an external name); the test set a variable
    nothing reads. A test's Setenv names an environment variable as os.Setenv does."""
    src = '''
    package config

    import (
    	"os"
    	"testing"
    )

    func TestEnv(t *testing.T) {
    	t.Setenv("APP_RUN_ID", "r1")
    	_ = os.Getenv("APP_RUN_ID")
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (9, "APP_RUN_ID", R.EXTERNAL_NAME, "Setenv"),
        (10, "APP_RUN_ID", R.EXTERNAL_NAME, "os.Getenv"),
    ]


def test_a_helper_that_reads_the_environment_names_the_variable_too() -> None:
    """Found on an audit-log service: ``getenv("DATA_DIR", ".")``, a helper of its file that
    reads ``os.LookupEnv(key)``, was a plain string, renamed by a policy that renames strings,
    while its test's ``t.Setenv("DATA_DIR", ...)`` was kept: the helper's string names the
    variable as ``os.Getenv``'s does."""
    src = '''
    package config

    import "os"

    func load() (string, string) {
    	return getenv("APP_RUN_ID", "r0"), other("APP_RUN_ID")
    }

    func getenv(key, fallback string) string {
    	if v, ok := os.LookupEnv(key); ok {
    		return v
    	}
    	return fallback
    }

    func other(s string) string { return s }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (6, "APP_RUN_ID", R.EXTERNAL_NAME, "getenv(os.Getenv)"),
        (6, "APP_RUN_ID", R.STRING, ""),
    ]


def test_a_receiver_variable_declared_as_a_header_or_values_tells_the_role() -> None:
    """Found on Go's net/http (Cookie -> Biscuit): ``wantH := http.Header{}`` then
    ``wantH.Set("Cookie", v)`` was a query parameter, dual-emitted, so the test expected a
    header the code never sent. A receiver's declaration in its function tells which."""
    src = '''
    package chat

    func f(r *http.Request, h http.Header) {
    	want := http.Header{}
    	want.Set("run_id", "1")
    	q := r.URL.Query()
    	q.Set("X-Run-ID", "1")
    	vals := make(url.Values)
    	vals.Add("run_id", "1")
    	h.Del("run_id")
    	other.Set("run_id", "1")
    }
    '''
    assert rows(src, "line", "text", "role") == [
        (5, "run_id", R.HTTP_HEADER),
        (7, "X-Run-ID", R.QUERY_PARAM),
        (9, "run_id", R.QUERY_PARAM),
        (10, "run_id", R.HTTP_HEADER),
        (11, "run_id", R.QUERY_PARAM),  # not known: a name alone is read as a parameter
    ]


def test_a_receiver_declared_as_another_type_reads_no_query_parameter() -> None:
    """Found on a URL shortener (analytics -> clicks): ``met := metrics.NewRegistry()`` then
    ``met.Get("analytics_enqueued")``, a counter, was read as a query parameter; accept-both
    wrote ``if len(clicksEnqueued) == 0`` on the uint64 it returns, and go vet failed. A
    receiver declared from a constructor, a composite literal or as a parameter of another
    type reads no parameter; one the syntax does not tell still does (a helper may return a
    url.Values), and so does gRPC's metadata.MD."""
    src = '''
    package chat

    func f(reg *metrics.Registry, md metadata.MD, v any) {
    	met := metrics.NewRegistry()
    	_ = met.Get("run_id")
    	c := &cache.Store{}
    	c.Set("run_id", 1)
    	reg.Add("run_id", 1)
    	_ = md.Get("run_id")
    	q := buildQuery()
    	_ = q.Get("run_id")
    	_ = v.(url.Values).Get("run_id")
    }
    '''
    assert rows(src, "line", "text", "role") == [
        (5, "run_id", R.STRING),
        (7, "run_id", R.STRING),
        (8, "run_id", R.STRING),
        (9, "run_id", R.QUERY_PARAM),
        (11, "run_id", R.QUERY_PARAM),  # not told
        (12, "run_id", R.QUERY_PARAM),
    ]


def test_comments_trailing_and_doc() -> None:
    src = '''
    package chat

    // runIDs lists the sessions.
    // It is filled by RunID lookups.
    var runIDs []string

    func f() {
    	x := 1 // not a RunID

    	// a loose remark about run_id
    	_ = x
    }
    '''
    assert rows(src, "line", "text", "role") == [
        (3, "runIDs", R.DOC_COMMENT),
        (4, "RunID", R.DOC_COMMENT),
        (5, "runIDs", R.VAR_DECL),
        (8, "RunID", R.COMMENT),
        (10, "run_id", R.COMMENT),
    ]


def test_example_output_is_its_own_role_only_where_go_test_reads_it() -> None:
    # Found on Go's bufio: renaming the "// Output:" of an example like any comment, while the
    # string it prints stays, fails go test.
    src = """
    package chat

    func ExampleRunID() {
    	// the RunID is printed below
    	fmt.Println("RunID")
    	// Output:
    	// RunID
    }

    func ExampleRunID_unordered() {
    	fmt.Println("RunID")
    	/* Unordered output: RunID */
    }

    func ExampleRunID_notLast() {
    	// Output: RunID
    	fmt.Println("x")
    	// done with RunID
    }

    func TestRunID(t *testing.T) {
    	// Output: RunID
    }
    """
    data = textwrap.dedent(src).lstrip("\n").encode()
    found = [(o.line, o.role) for o in scan_go("x_test.go", data, SPEC).occurrences
             if o.role in (R.COMMENT, R.EXAMPLE_OUTPUT)]
    assert found == [
        (4, R.COMMENT), (7, R.EXAMPLE_OUTPUT),
        (12, R.EXAMPLE_OUTPUT),
        (16, R.COMMENT), (18, R.COMMENT),
        (22, R.COMMENT),
    ]
    # outside a _test.go file an Example function is an ordinary function
    assert {o.role for o in scan_go("x.go", data, SPEC).occurrences} & {R.EXAMPLE_OUTPUT} == set()


def test_homonyms_are_never_occurrences() -> None:
    src = '''
    package chat

    func runLoop(eng Engine) {
    	run := "session"
    	eng.RunInference(ctx, run)
    	_ = runtime.GOOS
    	_ = "prune_id TrunID"
    }
    '''
    assert rows(src) == []


def test_related_vocabulary_lists_first_word_names() -> None:
    src = textwrap.dedent('''
    package chat

    func runLoop(runID string) {
    	run := runID
    	eng.RunInference(ctx, run)
    }
    ''').encode()
    related = sorted({t for t, *_ in scan_go("x.go", src, SPEC).related})
    assert related == ["RunInference", "run", "runLoop"]


def test_syntax_error_keeps_rows_as_unparsed() -> None:
    src = '''
    package chat

    func f( {
    	x := conv.RunID
    }
    '''
    data = textwrap.dedent(src).lstrip("\n").encode()
    scan = scan_go("x.go", data, SPEC)
    assert [o.role for o in scan.occurrences] == [R.UNPARSED]
    assert scan.occurrences[0].parse_error
    assert scan.syntax_errors


def test_generated_header() -> None:
    assert is_generated(b"// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage p\n")
    assert not is_generated(b"package p\n\n// Code generated by x. DO NOT EDIT.\n")


@pytest.mark.parametrize(("header", "generated"), [
    # protoc-gen-go and gogo before 2017: the same statement over three lines
    ("// Code generated by protoc-gen-gogo.\n// source: internal/meta.proto\n// DO NOT EDIT!", True),
    ("// Automatically generated by MockGen. DO NOT EDIT!\n// Source: store.go", True),
    ("// This file was autogenerated by go-to-protobuf. Do not edit it manually!\n"
     "// DO NOT EDIT", True),
    # hand-written: generated is said of something else, or nobody says DO NOT EDIT
    ("// Package ids has the generated IDs' helpers.", False),
    ("// DO NOT EDIT the order of these constants.", False),
    ("/* Code generated by x.\nDO NOT EDIT! */", False),
])
def test_older_generated_headers(header: str, generated: bool) -> None:
    # What people meant before Go settled the one-line rule: a rename must not edit those files.
    assert is_generated(f"{header}\n\npackage p\n".encode()) is generated
    assert not is_generated(f"package p\n\n{header}\n".encode())


@pytest.mark.parametrize(("header", "inputs"), [
    ("// Code generated from _gen/386.rules using 'go generate'; DO NOT EDIT.", ["_gen/386.rules"]),
    ('// Code generated by goyacc from "expr.y". DO NOT EDIT.', ["expr.y"]),
    ("// Code generated by protoc-gen-go. DO NOT EDIT.\n// versions:\n// \tprotoc v4\n"
     "// source: api/run.proto", ["api/run.proto"]),
    ("// Code generated by MockGen. DO NOT EDIT.\n// Source: store.go", ["store.go"]),
    ('// Code generated by "stringer -type=Op"; DO NOT EDIT.', []),
    ("// Code generated by protoc-gen-gogo.\n// source: internal/meta.proto\n// DO NOT EDIT!",
     ["internal/meta.proto"]),
    ("// Code generated from x.rules (not Go's line: no DO NOT EDIT)", []),
])
def test_generated_header_names_the_generator_input(header: str, inputs: list[str]) -> None:
    # What go generate reads again: the names a generated file spells come from there.
    assert generator_inputs(f"{header}\n\npackage p\n".encode()) == inputs
    assert generator_inputs(f"package p\n\n{header}\n".encode()) == []


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_every_family_token_is_exactly_one_occurrence(newline: bytes) -> None:
    src = textwrap.dedent('''
    package chat

    // RunID doc, run_id, runToTurn
    type T struct { RunID string `json:"run_id"` }

    func f(t T) string { runIDs := []string{t.RunID}; return runIDs[0] + "X-Run-ID" }
    ''').encode().replace(b"\n", newline)
    scan = scan_go("x.go", src, SPEC)
    found = sorted((o.start_byte, o.end_byte) for o in scan.occurrences)
    expected = sorted((s, e) for s, e, tok in tokens(src) if SPEC.is_member(tok))
    expected.append((src.index(b"X-Run-ID"), src.index(b"X-Run-ID") + 8))
    assert found == sorted(expected)


def test_receivers_labels_and_conversions() -> None:
    src = '''
    package chat

    type RunID string

    func (runID RunID) String() string { return string(runID) }

    func loop(ids []RunID) {
    RunIDs:
    	for _, id := range ids {
    		if id == "" {
    			continue RunIDs
    		}
    	}
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (3, "RunID", R.TYPE_DECL, ""),
        (5, "runID", R.RECEIVER, ""),
        (5, "RunID", R.TYPE_USE, ""),
        (5, "runID", R.LOCAL_USE, ""),
        (7, "RunID", R.TYPE_USE, ""),
        (8, "RunIDs", R.LABEL, ""),
        (11, "RunIDs", R.LABEL, ""),
    ]


def test_a_qualified_type_use_records_its_package_as_a_qualified_call_does() -> None:
    src = '''
    package chat

    import "example.com/events"

    func meta(v any) (events.RunID, RunID) {
    	if p, ok := v.(*events.RunID); ok {
    		return *p, RunID(events.RunID(""))
    	}
    	return []events.RunID{}[0], ""
    }
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (5, "RunID", R.TYPE_USE, "events"),
        (5, "RunID", R.TYPE_USE, ""),
        (6, "RunID", R.TYPE_USE, "events"),
        (7, "RunID", R.FUNC_CALL, ""),
        (7, "RunID", R.FUNC_CALL, "events"),
        (9, "RunID", R.TYPE_USE, "events"),
    ]


@pytest.mark.parametrize(("owner", "qualifier"), [
    ("events.Meta", "events"), ("&events.Meta", "events"), ("[]*events.Meta", "events"),
    ("[4]events.Meta", "events"), ("[...]events.Meta", "events"),
    ("map[string]events.Meta", "events"), ("map[key.K][]events.Meta", "events"),
    ("events.Pair[int]", "events"), ("Meta", ""), ("Pair[events.ID]", ""),
    ("struct { name string; d time.Duration }", ""),
    ("[]struct{ d time.Duration }", ""), ("map[string]struct{ d time.Duration }", ""),
])
def test_the_package_of_a_composite_literal_s_fields(owner: str, qualifier: str) -> None:
    assert literal_qualifier(owner) == qualifier


def test_directives_are_classified_apart_from_prose() -> None:
    # Found on Go's internal/syscall/unix: `//go:cgo_import_dynamic libc_arc4random_buf
    # arc4random_buf "..."` names a libc symbol; renamed as prose, it imported one that does not
    # exist. A directive is read by the toolchain wherever it stands; only a trailing comment or
    # one that does not start the line is prose.
    src = '''
    //go:build linux && !no_run_id
    // +build linux,!no_run_id

    // Package chat keeps the RunID of each chat.
    package chat

    /*
    #cgo CFLAGS: -I${SRCDIR}/run_id/include
    static int next_run_id(void) { return 1; }
    */
    import "C"

    import _ "embed"

    //go:generate stringer -type=RunID
    //go:embed run_id.txt
    var runIDText string

    //go:linkname lookupRunID runtime.lookupRunID
    func lookupRunID() string

    //export ExportRunID
    func ExportRunID() { lookupRunID() }

    //line run_id.go:10
    // RunID is prose. //go:noinline is not a directive here
    type RunID string // a trailing //export RunID is prose too
    '''
    assert rows(src, "line", "text", "role", "detail") == [
        (1, "no_run_id", R.DIRECTIVE, "go:build"),
        (2, "no_run_id", R.DIRECTIVE, "+build"),
        (4, "RunID", R.DOC_COMMENT, ""),
        (8, "run_id", R.DIRECTIVE, "cgo"),
        (9, "next_run_id", R.DIRECTIVE, "cgo"),
        (15, "RunID", R.DIRECTIVE, "go:generate"),
        (16, "run_id", R.DIRECTIVE, "go:embed"),
        (17, "runIDText", R.VAR_DECL, ""),
        (19, "lookupRunID", R.DIRECTIVE, "go:linkname"),
        (19, "lookupRunID", R.DIRECTIVE, "go:linkname"),
        (20, "lookupRunID", R.FUNC_DECL, R.NO_BODY),
        (22, "ExportRunID", R.DIRECTIVE, "export"),
        (23, "ExportRunID", R.FUNC_DECL, ""),
        (23, "lookupRunID", R.FUNC_CALL, ""),
        (25, "run_id", R.DIRECTIVE, "line"),
        (26, "RunID", R.DOC_COMMENT, ""),
        (27, "RunID", R.TYPE_DECL, ""),
        (27, "RunID", R.COMMENT, ""),
    ]

    # a comment above another import is not the cgo preamble
    src = '''
    package chat

    // the RunID helpers
    import "strings"

    var _ = strings.ToUpper
    '''
    assert rows(src, "line", "text", "role", "detail") == [(3, "RunID", R.DOC_COMMENT, "")]


ESCAPES = r'''
package wire

const (
	interpreted = "GET\r\nX-Run-ID: 1\tRunID \x41runID \u00e9RunID \101RunID"
	escaped     = "C:\\runID \\nRunID"
	raw         = `GET\r\nX-Run-ID: 1\tRunID C:\runID \\nRunID`
)

// A dump: "GET\r\nX-Run-ID: 1"
'''


MEMBER_NAMES = """
package a

type Req struct {
	A string `validate:"required_without=RunID" binding:"eqfield=RunID|required"`
	B string `validate:"oneof=RunID other,max=RunID"`
	C string `gorm:"foreignKey:RunID;references:RunID;column:run_id"`
}

func f(v reflect.Value, m *Mock, t *testing.T) {
	v.FieldByName("RunID")
	v.MethodByName("FindByRunID")
	m.On("FindByRunID", 1)
	m.AssertCalled(t, "FindByRunID")
	m.AssertCalled(t, "x", "RunID")
	m.On("the RunID")
	On("RunID")
}
"""


def test_strings_that_name_a_field_or_method() -> None:
    found = rows(MEMBER_NAMES, "line", "text", "role", "detail")
    assert found == [
        (4, "RunID", R.MEMBER_NAME, "validate tag"),
        (4, "RunID", R.MEMBER_NAME, "binding tag"),
        (5, "RunID", R.STRUCT_TAG, "validate"),  # a value of oneof
        (5, "RunID", R.STRUCT_TAG, "validate"),
        (6, "RunID", R.MEMBER_NAME, "gorm tag"),
        (6, "RunID", R.MEMBER_NAME, "gorm tag"),
        (6, "run_id", R.STRUCT_TAG, "gorm"),  # a column
        (10, "RunID", R.MEMBER_NAME, "FieldByName"),
        (11, "FindByRunID", R.MEMBER_NAME, "MethodByName"),
        (12, "FindByRunID", R.MEMBER_NAME, "On"),
        (13, "FindByRunID", R.MEMBER_NAME, "AssertCalled"),
        (14, "RunID", R.STRING, ""),  # an argument of the call, not its name
        (15, "RunID", R.STRING, ""),  # not the whole string
        (16, "RunID", R.STRING, ""),  # a function, not a mock's method
    ]


PATH_PARAMS = """
package a

func routes(mux *http.ServeMux, r chi.Router, g *gin.Engine, m *mux.Router) {
	mux.HandleFunc("GET /runs/{run_id}/{rest...}", nil)
	r.Get("/runs/{run_id:[0-9]+}/{runID}", nil)
	g.GET("/runs/:run_id/*run_ids", nil)
	m.HandleFunc("https://api.example.com/runs/{run_id}", nil)
}

func read(req *http.Request, c *gin.Context, ps httprouter.Params) {
	_ = req.PathValue("run_id")
	_ = chi.URLParam(req, "run_id")
	_ = c.Param("run_id")
	_ = ps.ByName("run_id")
	_ = mux.Vars(req)["run_id"]
	_ = "use {run_id} here"
	_ = "/runs?run_id=1"
	_ = req.URL.Query().Get("run_id")
	_ = strings.ReplaceAll(route, "{run_id}", id)
}
"""


def test_path_parameters_in_routes_and_their_reads() -> None:
    found = rows(PATH_PARAMS, "line", "text", "role", "detail")
    assert found == [
        (4, "run_id", R.PATH_PARAM, "route"),
        (5, "run_id", R.PATH_PARAM, "route"),
        (5, "runID", R.PATH_PARAM, "route"),
        (6, "run_id", R.PATH_PARAM, "route"),
        (6, "run_ids", R.PATH_PARAM, "route"),
        (7, "run_id", R.PATH_PARAM, "route"),
        (11, "run_id", R.PATH_PARAM, "PathValue"),
        (12, "run_id", R.PATH_PARAM, "URLParam"),
        (13, "run_id", R.PATH_PARAM, "Param"),
        (14, "run_id", R.PATH_PARAM, "ByName"),
        (15, "run_id", R.PATH_PARAM, "Vars"),
        (16, "run_id", R.STRING, ""),  # not a route
        (17, "run_id", R.QUERY_PARAM, "url"),  # a query parameter a URL sends
        (18, "run_id", R.QUERY_PARAM, "Get"),
        (19, "run_id", R.PATH_PARAM, "route"),  # the placeholder that fills a route in
    ]


def test_tags_that_bind_a_path_parameter_spell_the_route_parameter() -> None:
    # gin's `uri` (ShouldBindUri) and echo's `param` tags read the route's parameter by name.
    src = """
package a

type getRun struct {
	RunID  string `uri:"run_id" binding:"required"`
	Other  string `param:"run_id" query:"run_id" json:"run_id"`
}
"""
    assert rows(src, "line", "text", "role", "detail", "symbol") == [
        (4, "RunID", R.FIELD_DECL, "", "getRun"),
        (4, "run_id", R.PATH_PARAM, "uri tag", "getRun"),
        (5, "run_id", R.PATH_PARAM, "param tag", "getRun"),
        (5, "run_id", R.STRUCT_TAG, "query", "getRun"),
        (5, "run_id", R.STRUCT_TAG, "json", "getRun"),
    ]


METRICS = """
package a

var runs = prometheus.NewCounterVec(prometheus.CounterOpts{
	Namespace: "app",
	Name:      "run_id_lookups_total",
	Help:      "Lookups by run_id.",
}, []string{"run_id"})

var desc = prometheus.NewDesc("app_run_id_seconds", "help", []string{"run_id"},
	prometheus.Labels{"run_id": "x"})

func count(id string) {
	runs.With(prometheus.Labels{"run_id": id}).Inc()
	_ = map[string]string{"run_id": id}
	_ = []string{"run_id"}
}
"""


def test_prometheus_metric_and_label_names() -> None:
    # What the metrics backend stores: metric names in the options, label names in Labels and
    # in the []string a *Vec or a Desc declares. The help text, a map and a slice elsewhere
    # are not.
    assert rows(METRICS, "line", "text", "role", "detail") == [
        (5, "run_id_lookups_total", R.METRIC_NAME, "metric"),
        (6, "run_id", R.STRING, ""),
        (7, "run_id", R.METRIC_NAME, "label"),
        (9, "app_run_id_seconds", R.METRIC_NAME, "metric"),
        (9, "run_id", R.METRIC_NAME, "label"),
        (10, "run_id", R.METRIC_NAME, "label"),
        (13, "run_id", R.METRIC_NAME, "label"),
        (14, "run_id", R.MAP_KEY, ""),
        (15, "run_id", R.STRING, ""),
    ]


def test_grpc_metadata_keys_are_headers() -> None:
    src = """
package a

import "google.golang.org/grpc/metadata"

func f(ctx context.Context, id string) {
	ctx = metadata.AppendToOutgoingContext(ctx, "run-id", id, "k", "run-id")
	_ = metadata.Pairs("run-id", id)
	_ = metadata.ValueFromIncomingContext(ctx, "run-id")
	_ = other.Pairs("run-id", id)
}
"""
    assert rows(src, "line", "text", "role", "detail") == [
        (6, "run-id", R.HTTP_HEADER, "metadata.AppendToOutgoingContext"),
        (6, "run-id", R.STRING, ""),  # a value
        (7, "run-id", R.HTTP_HEADER, "metadata.Pairs"),
        (8, "run-id", R.HTTP_HEADER, "metadata.ValueFromIncomingContext"),
        (9, "run-id", R.STRING, ""),  # not the metadata package
    ]


def test_cookie_names() -> None:
    src = """
package a

func f(w http.ResponseWriter, r *http.Request, c *gin.Context) {
	_, _ = r.Cookie("run_id")
	http.SetCookie(w, &http.Cookie{Name: "run_id", Value: "run_id"})
	c.SetCookie("run_id", "v", 0, "/", "", true, true)
	_ = Other{Name: "run_id"}
}
"""
    assert rows(src, "line", "text", "role", "detail") == [
        (4, "run_id", R.COOKIE_NAME, "Cookie"),
        (5, "run_id", R.COOKIE_NAME, "Name"),
        (5, "run_id", R.STRING, ""),  # its value
        (6, "run_id", R.COOKIE_NAME, "SetCookie"),
        (7, "run_id", R.STRING, ""),  # another type's Name
    ]


def test_a_package_name_is_read_where_a_local_of_its_name_is_not_yet_in_scope() -> None:
    # Found on a real tree: `db := db.AllArtists` reads the package db (a local's scope begins
    # after its declaration), but any local of that name made the whole function's `db.` a
    # selector, which the plan then kept as a member declared outside the roots.
    src = """
package a

import "example.com/db"

func f() {
	db := db.RunIDs
	_ = db.RunIDs
	if db := db.RunIDs; db != nil {
		_ = db
	}
}

func g(db int) int { return db.RunIDs }

func h() {
	{
		db := 1
		_ = db
	}
	_ = db.RunIDs
}
"""
    assert rows(src, "line", "text", "role", "detail") == [
        (6, "RunIDs", R.PACKAGE_USE, "db"),
        (7, "RunIDs", R.SELECTOR, ""),  # the local
        (8, "RunIDs", R.SELECTOR, ""),  # the local of line 6, in scope in the if's header
        (13, "RunIDs", R.SELECTOR, ""),  # a parameter
        (20, "RunIDs", R.PACKAGE_USE, "db"),  # the block's local is out of scope
    ]


def test_an_import_of_a_mixed_case_folder_binds_its_lower_case_package_name() -> None:
    # Found on a real tree: `package templatemaker` in `internal/templateMaker`, imported
    # without an alias and used as `templatemaker.F()`.
    src = """
package a

import "example.com/internal/templateMaker"

func f() { _ = templatemaker.MakeRunID() }
"""
    assert rows(src, "line", "text", "role", "detail") == [(5, "MakeRunID", R.FUNC_CALL, "templatemaker")]
    # and a package of the family so named is a use of the package its import names
    src = src.replace("internal/templateMaker", "internal/runIDs").replace(
        "templatemaker.MakeRunID", "runids.Make")
    assert rows(src, "line", "text", "role", "owner") == [
        (3, "runIDs", R.IMPORT_PATH, ""), (5, "runids", R.PACKAGE_USE, "example.com/internal/runIDs")]


def test_zap_and_logrus_log_keys() -> None:
    # zap's fields, its sugared logger's key-value pairs and logrus's WithField were plain
    # strings (review); a WithField of a receiver not named like a logger is not read as one.
    src = """
package a

import (
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
)

func f(logger *zap.Logger, sugar *zap.SugaredLogger, entry *logrus.Entry, id string) {
	logger.Info("start", zap.String("run_id", id))
	logrus.WithField("run_id", id).Info("x")
	entry.WithField("run_id", id).Info("x")
	query.WithField("run_id", id)
	sugar.Infow("start", "run_id", id)
}
"""
    assert rows(src, "line", "text", "role", "detail") == [
        (9, "run_id", R.LOG_KEY, "zap.String"),
        (10, "run_id", R.LOG_KEY, "WithField"),
        (11, "run_id", R.LOG_KEY, "WithField"),
        (12, "run_id", R.STRING, ""),
        (13, "run_id", R.LOG_KEY, "Infow"),
    ]


EXTERNAL_NAMES = """
package a

import (
	"flag"
	"os"

	"github.com/spf13/viper"
)

func f(fs *flag.FlagSet) {
	_ = os.Getenv("RUN_ID")
	_, _ = os.LookupEnv("APP_RUN_ID")
	_ = flag.String("run-id", "", "usage run_id")
	flag.StringVar(&v, "run_id", "", "")
	_ = viper.GetString("worker.run_id")
	_ = fs.String("run-id", "", "")
	_ = cfg.Getenv("RUN_ID")
}
"""


def test_names_set_from_outside_the_program() -> None:
    # Environment variables, flags and viper's keys: deployments and scripts set them.
    found = rows(EXTERNAL_NAMES, "line", "text", "role", "detail")
    assert found == [
        (11, "RUN_ID", R.EXTERNAL_NAME, "os.Getenv"),
        (12, "APP_RUN_ID", R.EXTERNAL_NAME, "os.LookupEnv"),
        (13, "run-id", R.EXTERNAL_NAME, "flag.String"),
        (13, "run_id", R.STRING, ""),  # the usage text
        (14, "run_id", R.EXTERNAL_NAME, "flag.StringVar"),
        (15, "run_id", R.EXTERNAL_NAME, "viper.GetString"),
        (16, "run-id", R.EXTERNAL_NAME, "FlagSet.String"),  # a FlagSet's, by its arguments
        (17, "RUN_ID", R.STRING, ""),  # not the os package
    ]


LOWER_AFTER_ESCAPES = r'''
package wire

// Prints:
//
//	name\trunID
const (
	interpreted = "name\trunID\nrun_id=%s\x41run_id"
	raw         = `name\trunID`
	escaped     = "C:\\trunID"
)
'''


def test_a_lower_case_token_after_an_escape_is_found() -> None:
    # Widened over the escape's letters, `\trunID` reads `trunID` and `\nrun_id` `nrun_id`,
    # whose words are not the term's: a table header and a log line were never renamed. After an
    # escaped backslash (`\\t`) the `t` is text, and `trunID` is no member.
    assert rows(LOWER_AFTER_ESCAPES, "line", "column", "text", "role") == [
        (5, 10, "runID", R.DOC_COMMENT),
        (7, 23, "runID", R.STRING),
        (7, 30, "run_id", R.STRING),
        (7, 43, "run_id", R.STRING),
        (8, 23, "runID", R.STRING),
    ]


def test_escape_letters_are_not_part_of_the_token() -> None:
    # Found on Go's net/http: "...\r\nUser-Agent: ..." was inventoried as `nUser-Agent`.
    # In an interpreted string an escape (`\n`, `\t`, `\x41`, `\u00e9`, `\101`) is never text.
    # A raw string or a comment has no escapes, but often holds escaped text: a Go escape form
    # after a backslash is cut off there only when the term begins after it, so the Windows
    # path `C:\runID` keeps its `r`; after an escaped backslash (`\\n`) the `n` is text.
    assert rows(ESCAPES, "line", "column", "text", "role") == [
        (4, 24, "X-Run-ID", R.HTTP_HEADER),
        (4, 37, "RunID", R.STRING),
        (4, 47, "runID", R.STRING),
        (4, 59, "RunID", R.STRING),
        (4, 69, "RunID", R.STRING),
        (5, 21, "runID", R.STRING),
        (5, 29, "nRunID", R.STRING),
        (6, 24, "X-Run-ID", R.HTTP_HEADER),
        (6, 37, "RunID", R.STRING),
        (6, 46, "runID", R.STRING),
        (6, 54, "nRunID", R.STRING),
        (9, 20, "X-Run-ID", R.COMMENT),
    ]


def test_import_paths() -> None:
    # A package renamed with its clause (`package store` -> `package repo`) still builds with its
    # import path, which names the folder the patch does not move: kept, with the reason.
    src = """
package a

import (
	"example.com/svc/run_id"
	rid "example.com/run_id/store"
)

var _ = "example.com/svc/run_id"
"""
    assert rows(src, "line", "text", "role") == [
        (4, "run_id", R.IMPORT_PATH),
        (5, "run_id", R.IMPORT_PATH),
        (8, "run_id", R.PATH_SEGMENT),  # a path, not imported
    ]


def test_keys_of_json_documents_in_strings() -> None:
    # A test's input, its expected output, a body written by hand: keys of JSON held in Go
    # strings, raw or interpreted; a key-like word elsewhere in such a string is not one.
    src = """
package a

func f(t *testing.T, w io.Writer, out []byte) {
	_ = json.Unmarshal([]byte(`{"run_id": "r1"}`), &v)
	if string(out) != "{\\"run_id\\":\\"r1\\"}" {
		t.Fatal(out)
	}
	want := `[{"run_id":1}]`
	tests := []struct{ in, want string }{{in: "x", want: `{"run_id": 2}`}}
	fmt.Fprintf(w, `{"run_id": %q}`, "r1")
	other := `{"note": "run_id"}`
	_, _, _, _, _ = want, tests, other, v, body["run_id"]
}
"""
    assert rows(src, "line", "text", "role", "detail") == [
        (4, "run_id", R.JSON_TEXT, "decoded"),
        (5, "run_id", R.JSON_TEXT, "compared"),
        (8, "run_id", R.JSON_TEXT, "compared"),
        (9, "run_id", R.JSON_TEXT, "compared"),
        (10, "run_id", R.JSON_TEXT, "written"),
        (11, "run_id", R.STRING, ""),
        (12, "run_id", R.STRING, R.MAP_INDEX),  # a map's key, read
    ]


def test_segments_of_paths() -> None:
    # A route's static segments, the path a test requests, a file's path: a URL's or a file's
    # path, which clients and the file system hold (kept by default, not to review one by one).
    # A parameter is a path parameter; a word after the path, or in a query, is not a segment.
    src = """
package a

func f(mux *http.ServeMux) {
	mux.HandleFunc("GET /runs/{run_id}", h)
	_ = httptest.NewRequest("GET", "/api/runs/", nil)
	_ = "/static/runs.css"
	_ = "GET /x and runs"
	_ = "/x?view=runs"
}
"""
    data = textwrap.dedent(src).lstrip("\n").encode()
    found = [(o.line, o.text, o.role) for o in scan_go("x.go", data, Spec("Run", "Session")).occurrences
             if o.text != "run_id"]
    assert rows(src, "line", "text", "role") == [(4, "run_id", R.PATH_PARAM)]
    assert found == [
        (4, "runs", R.PATH_SEGMENT),
        (5, "runs", R.PATH_SEGMENT),
        (6, "runs", R.PATH_SEGMENT),
        (7, "runs", R.STRING),
        (8, "runs", R.STRING),
    ]


def test_newer_go_syntax_is_parsed_from_a_masked_copy_of_the_same_length() -> None:
    from idrename.gosyntax import parse_masked
    from idrename.newsyntax import masked

    src = textwrap.dedent("""\
        package a

        func f(n int) []int {
        	p, q, r := new(42), new(T{A: 1}), new(int)
        	make := func(n int) []int { return nil }
        	_, _, _ = p, q, r
        	return make(n - 1)
        }

        func (l *List[E]) Map[T any, U ~[]T](f func(E) T) U { return nil }

        func g() ([]int, map[string]int, *int) { return make([]int, 3), make(map[string]int), new(T) }
        """).encode()
    copy, spans = masked(src)
    assert len(copy) == len(src) and copy.count(b"\n") == src.count(b"\n")
    assert [src[s:e] for s, e in spans] == [b"new", b"new", b"make", b"[T any, U ~[]T]"]
    tree, found = parse_masked(src)
    assert not tree.root_node.has_error and found == spans
    # a file that parses as it is is not masked
    plain = b"package a\n\nvar x = new(int)\n"
    assert parse_masked(plain)[1] == ()

"""Patch golden tests: Go text before, Go text after (gofmt'd by the real toolchain), warnings."""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from idrename.decisions import decide
from idrename.inventory import scan
from idrename.patch import RENAMED_LINES_FORMATTED, Patch, build_patch, unified_diff
from idrename.policy import Policy, parse_policy
from idrename.transforms import InferenceWiring

BASE_POLICY = """
[rename]
from = "RunID"
to = "SessionID"
"""


def go(src: str) -> str:
    return textwrap.dedent(src).lstrip("\n")


def assert_codemod(
    tmp_path: Path,
    files: dict[str, str],
    expected: dict[str, str],
    *,
    policy: str = "",
    expected_warnings: list[str] | None = None,
    wiring: bool = False,
    base: str = BASE_POLICY,
) -> None:
    root = tmp_path / "mod"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    pol = parse_policy(base + textwrap.dedent(policy))
    patch = plan(root, pol, wiring=wiring)
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after == {k: go(v) for k, v in expected.items()}
    warnings = [w.split(": ", 1)[1] for w in patch.warnings]
    assert warnings == (expected_warnings or [])
    # Applied, then planned again: nothing more to do (a second apply is a no-op), and the same
    # warnings for what is left to do by hand.
    for fp in patch.changed():
        (root / fp.path).write_bytes(fp.after)
    again = plan(root, pol, wiring=wiring)
    assert {fp.path: fp.diff() for fp in again.changed()} == {}
    assert [w.split(": ", 1)[1] for w in again.warnings] == warnings


def plan(root: Path, pol: Policy, *, wiring: bool = False) -> Patch:
    """The patch of the tree at ``root`` (nothing written)."""
    inv = scan([root], pol.spec, sections=pol.sections)
    return build_patch(decide(inv.frame, pol, inv.roots), inv.roots,
                       wiring=InferenceWiring() if wiring else None)


def test_field_with_tag_is_renamed_and_realigned(tmp_path: Path) -> None:
    before = """
    package a

    type Conversation struct {
    	ID    string
    	RunID string `json:"run_id"`
    	Title string
    }

    func (c Conversation) Key() string { return c.RunID }
    """
    after = """
    package a

    type Conversation struct {
    	ID        string
    	SessionID string `json:"run_id"`
    	Title     string
    }

    func (c Conversation) Key() string { return c.SessionID }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nstruct_tag = "keep"\n')


def terms(old: str, new: str) -> str:
    """A policy's ``[rename]`` table for another term pair."""
    return f'[rename]\nfrom = "{old}"\nto = "{new}"\n'


def test_a_one_word_term_in_lower_case_becomes_lower_camel(tmp_path: Path) -> None:
    before = """
    package a

    type Fset struct{ base int }

    // newFset returns the fset that fsetString prints.
    func newFset() *Fset { return &Fset{} }

    func fsetString(fset *Fset) string {
    	netHTTPFset, fset2 := fset, fset
    	_, _ = netHTTPFset, fset2
    	return ""
    }
    """
    after = """
    package a

    type FileSet struct{ base int }

    // newFileSet returns the fileSet that fileSetString prints.
    func newFileSet() *FileSet { return &FileSet{} }

    func fileSetString(fileSet *FileSet) string {
    	netHTTPFileSet, fileSet2 := fileSet, fileSet
    	_, _ = netHTTPFileSet, fileSet2
    	return ""
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, base=terms("Fset", "FileSet"))


def test_plurals_take_the_new_terms_english_plural(tmp_path: Path) -> None:
    before = """
    package ssa

    type Addr struct{ off int }

    const MAX_ADDRS = 2

    // localAddrs returns the addrs seen, at most MAX_ADDRS.
    func localAddrs(addrs []Addr) map[Addr]bool {
    	seen := make(map[Addr]bool, MAX_ADDRS)
    	for _, addr := range addrs {
    		seen[addr] = true
    	}
    	return seen
    }
    """
    after = """
    package ssa

    type Address struct{ off int }

    const MAX_ADDRESSES = 2

    // localAddresses returns the addresses seen, at most MAX_ADDRESSES.
    func localAddresses(addresses []Address) map[Address]bool {
    	seen := make(map[Address]bool, MAX_ADDRESSES)
    	for _, address := range addresses {
    		seen[address] = true
    	}
    	return seen
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, base=terms("Addr", "Address"))


def test_english_plurals_of_the_old_term_are_renamed(tmp_path: Path) -> None:
    before = """
    package a

    type Entry struct{}

    func numEntries(entries []Entry) int { return len(entries) }
    """
    after = """
    package a

    type Key struct{}

    func numKeys(keys []Key) int { return len(keys) }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, base=terms("Entry", "Key"))
    assert_codemod(tmp_path / "back", {"a.go": after}, {"a.go": before},
                   base=terms("Key", "Entry"))


def test_keyed_literal_is_renamed_and_realigned(tmp_path: Path) -> None:
    before = """
    package a

    type M struct{ ID, RunID, TurnID string }

    var m = M{
    	ID:     "1",
    	RunID:  "s",
    	TurnID: "t",
    }
    """
    after = """
    package a

    type M struct{ ID, SessionID, TurnID string }

    var m = M{
    	ID:        "1",
    	SessionID: "s",
    	TurnID:    "t",
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after})


def test_interface_method_with_two_implementations_and_call_sites(tmp_path: Path) -> None:
    files = {
        "go.mod": "module example.com/m\n\ngo 1.22\n",
        "api/api.go": """
        package api

        type Finder interface {
        	FindConversationByRunID(id string) bool
        }
        """,
        "one/one.go": """
        package one

        type A struct{}

        func (A) FindConversationByRunID(id string) bool { return id != "" }
        """,
        "two/two.go": """
        package two

        import "example.com/m/api"

        type B struct{}

        func (B) FindConversationByRunID(id string) bool { return false }

        func use(f api.Finder) bool { return f.FindConversationByRunID("x") }
        """,
    }
    expected = {
        "api/api.go": files["api/api.go"].replace("ByRunID", "BySessionID"),
        "one/one.go": files["one/one.go"].replace("ByRunID", "BySessionID"),
        "two/two.go": files["two/two.go"].replace("ByRunID", "BySessionID"),
    }
    assert_codemod(tmp_path, files, expected)


def test_dual_keys_in_a_response_map(tmp_path: Path) -> None:
    before = """
    package a

    func resp(runID, convID string) map[string]any {
    	return map[string]any{
    		"run_id":  runID,
    		"conv_id": convID,
    	}
    }

    func inline(runID string) map[string]any {
    	return map[string]any{"run_id": runID}
    }
    """
    after = """
    package a

    func resp(sessionID, convID string) map[string]any {
    	return map[string]any{
    		"run_id":     sessionID,
    		"session_id": sessionID,
    		"conv_id":    convID,
    	}
    }

    func inline(sessionID string) map[string]any {
    	return map[string]any{"run_id": sessionID, "session_id": sessionID}
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nmap_key = "dual"\n')


def test_dual_log_keys_zerolog_and_slog(tmp_path: Path) -> None:
    before = """
    package a

    import "log/slog"

    type Event struct{}

    func (e *Event) Str(k, v string) *Event { return e }
    func (e *Event) Msg(string)             {}

    func logIt(e *Event, runID string) {
    	e.Str("run_id", runID).Msg("hi")
    	slog.Info("hi", "run_id", runID)
    	slog.Info("hi", slog.String("run_id", runID))
    }
    """
    after = """
    package a

    import "log/slog"

    type Event struct{}

    func (e *Event) Str(k, v string) *Event { return e }
    func (e *Event) Msg(string)             {}

    func logIt(e *Event, sessionID string) {
    	e.Str("run_id", sessionID).Str("session_id", sessionID).Msg("hi")
    	slog.Info("hi", "run_id", sessionID, "session_id", sessionID)
    	slog.Info("hi", slog.String("run_id", sessionID), slog.String("session_id", sessionID))
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nlog_key = "dual"\n')


def test_dual_log_keys_in_a_slog_group(tmp_path: Path) -> None:
    # slog.Group("req", "run_id", v) takes key-value pairs after the group's name; they were
    # plain strings to review, while the same pair in slog.Info was dual-emitted. The group's own
    # name is a key too (a prefix of its keys), dual-emitted as an attribute. A Group method of
    # anything but the slog package (a router's) is not slog's.
    before = """
    package a

    import "log/slog"

    type Router struct{}

    func (Router) Group(path string, names ...string) {}

    func logIt(r Router, runID string) {
    	slog.Info("hi", slog.Group("req", "run_id", runID, "n", 1))
    	slog.Info("hi", slog.Group("run_id", "id", runID))
    	r.Group("/runs", "run_id", "x")
    }
    """
    after = """
    package a

    import "log/slog"

    type Router struct{}

    func (Router) Group(path string, names ...string) {}

    func logIt(r Router, sessionID string) {
    	slog.Info("hi", slog.Group("req", "run_id", sessionID, "session_id", sessionID, "n", 1))
    	slog.Info("hi", slog.Group("run_id", "id", sessionID), slog.Group("session_id", "id", sessionID))
    	r.Group("/runs", "run_id", "x")
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nlog_key = "dual"\n')


def test_a_value_computed_by_a_call_is_not_written_twice(tmp_path: Path) -> None:
    # Dual-emitted, {"run_id": newID()} became {"run_id": newID(), "session_id": newID()}: two
    # calls, two IDs, and a client reading the legacy name saw another run than one reading
    # the new name. A getter (req.GetRunId(), id.String()) or a conversion reads one value.
    # A computed value is put in a variable on the line before, written under both names
    # (numbered when the function has that name), where nothing runs before it in the
    # statement; a statement repeated for the new name (a header's Set) still warns.
    before = """
    package a

    import (
    	"log/slog"
    	"net/http"
    	"strconv"

    	"example.com/a/ids"
    )

    type Req struct{ ID ids.ID }

    func (r Req) GetRunId() string { return r.ID.String() }

    func handle(w http.ResponseWriter, r Req, next <-chan string) map[string]any {
    	w.Header().Set("X-Run-ID", ids.New().String())
    	slog.Info("started", "run_id", <-next)
    	slog.Info("read", "run_id", r.GetRunId())
    	slog.Info("next", "run_id", r.ID.Next())
    	slog.Info("pure", "run_id", strconv.Quote(string(r.ID)))
    	return map[string]any{
    		"run_id": ids.New(),
    		"runId":  string(r.ID.String()),
    	}
    }
    """
    after = """
    package a

    import (
    	"log/slog"
    	"net/http"
    	"strconv"

    	"example.com/a/ids"
    )

    type Req struct{ ID ids.ID }

    func (r Req) GetSessionId() string { return r.ID.String() }

    func handle(w http.ResponseWriter, r Req, next <-chan string) map[string]any {
    	w.Header().Set("X-Run-ID", ids.New().String())
    	sessionID := <-next
    	slog.Info("started", "run_id", sessionID, "session_id", sessionID)
    	slog.Info("read", "run_id", r.GetSessionId(), "session_id", r.GetSessionId())
    	sessionID2 := r.ID.Next()
    	slog.Info("next", "run_id", sessionID2, "session_id", sessionID2)
    	slog.Info("pure", "run_id", strconv.Quote(string(r.ID)), "session_id", strconv.Quote(string(r.ID)))
    	sessionID3 := ids.New()
    	return map[string]any{
    		"run_id":     sessionID3,
    		"session_id": sessionID3,
    		"runId":      string(r.ID.String()),
    		"sessionId":  string(r.ID.String()),
    	}
    }
    """
    ids_go = """
    package ids

    type ID string

    func New() ID { return "n" }

    func (i ID) String() string { return string(i) }

    func (i ID) Next() ID { return i + "+" }
    """
    call = "comes from a call ({}), which would run again for {} and could give it another " \
        "value; put the value in a variable first, or add the new name by hand"
    assert_codemod(tmp_path, {"a.go": before, "ids/ids.go": ids_go},
                   {"a.go": after}, policy='[defaults]\nlog_key = "dual"\nmap_key = "dual"\n'
                   'http_header = "dual"\n', expected_warnings=[
                       "the value of 'X-Run-ID' " + call.format("ids.New()", "'X-Session-ID'")])


def test_a_qualifier_of_a_package_outside_the_roots_is_kept(tmp_path: Path) -> None:
    # Renaming Error -> Failure renamed errors.New to failures.New (the plural of the term),
    # and String -> Text renamed strings.Join to texts.Join: `undefined: failures`. A package
    # no clause of the roots declares keeps its name; a package of the roots still follows its
    # clause.
    before = """
    package a

    import (
    	"errors"
    	"strings"

    	"example.com/a/errors2"
    )

    // Error is a failed run.
    type Error struct{ Msg string }

    var errEmpty = errors.New("empty")

    func describe(e Error, xs []string) string {
    	return strings.Join(xs, ",") + e.Msg + errEmpty.Error() + errors2.Code
    }
    """
    after = """
    package a

    import (
    	"errors"
    	"strings"

    	"example.com/a/errors2"
    )

    // Failure is a failed run.
    type Failure struct{ Msg string }

    var errEmpty = errors.New("empty")

    func describe(e Failure, xs []string) string {
    	return strings.Join(xs, ",") + e.Msg + errEmpty.Error() + failures2.Code
    }
    """
    assert_codemod(tmp_path, {"a.go": before, "errors2/e.go": "package errors2\n\nconst Code = \"c\"\n"},
                   {"a.go": after, "errors2/e.go": "package failures2\n\nconst Code = \"c\"\n"},
                   base=terms("Error", "Failure"))
    strings_before = """
    package a

    import "strings"

    // String is a run's text.
    type String string

    func join(xs []String) string { return strings.Repeat(string(xs[0]), 2) }
    """
    strings_after = """
    package a

    import "strings"

    // Text is a run's text.
    type Text string

    func join(xs []Text) string { return strings.Repeat(string(xs[0]), 2) }
    """
    assert_codemod(tmp_path / "s", {"a.go": strings_before}, {"a.go": strings_after},
                   base=terms("String", "Text"))


HTTP_PACKAGE = {
    "transport/http/handler.go": """
        package http

        import "net/http"

        // Handler answers health checks.
        func Handler(w http.ResponseWriter, r *http.Request) {
        	w.WriteHeader(http.StatusNoContent)
        }
        """,
    "transport/http/handler_test.go": """
        package http

        import (
        	"net/http"
        	"net/http/httptest"
        	"testing"
        )

        func TestHandler(t *testing.T) {
        	rec := httptest.NewRecorder()
        	Handler(rec, httptest.NewRequest(http.MethodGet, "/", nil))
        	if rec.Code != http.StatusNoContent {
        		t.Fatal(rec.Code)
        	}
        }
        """,
    "main.go": """
        package main

        import (
        	"net/http"

        	transporthttp "example.com/a/transport/http"
        )

        func main() {
        	_ = http.ListenAndServe(":8080", http.HandlerFunc(transporthttp.Handler))
        }
        """,
}


def test_a_qualifier_of_a_standard_package_named_like_a_renamed_one_is_kept(
        tmp_path: Path) -> None:
    # Found on a patrol-dispatch API (http -> webapi): its package `http` under transport/
    # imports net/http, and every `http.ResponseWriter`, in that package and in main, became
    # `webapi.ResponseWriter`: `undefined: webapi`. A clause of the roots named `http` left
    # the qualifiers of net/http renamed with it. A qualifier whose import is found outside
    # the roots, or is of the standard library, keeps its name.
    after = {name: text.replace("package http", "package webapi")
             for name, text in HTTP_PACKAGE.items() if name != "main.go"}
    go_mod = {"go.mod": "module example.com/a\n\ngo 1.21\n"}
    assert_codemod(tmp_path / "plan", {**go_mod, **HTTP_PACKAGE}, after,
                   base=terms("http", "webapi"))
    go_test_after_rename(tmp_path / "built", HTTP_PACKAGE, base=terms("http", "webapi"))


def test_names_the_toolchain_looks_for_are_kept(tmp_path: Path) -> None:
    # Main -> Primary made `package main` `package primary` and `func main` `func primary`: go
    # build then made a library of the command, and passed. Init -> Setup made `func init`
    # `func setup`, which nothing runs. TestMain became TestPrimary, which go vet refuses.
    command = """
    package main

    import "example.com/a/lib"

    // MainConfig configures the tool.
    type MainConfig struct{ Verbose bool }

    func main() { lib.Start(MainConfig{}.Verbose) }
    """
    command_after = """
    package main

    import "example.com/a/lib"

    // PrimaryConfig configures the tool.
    type PrimaryConfig struct{ Verbose bool }

    func main() { lib.Start(PrimaryConfig{}.Verbose) }
    """
    lib = """
    package lib

    var ready bool

    func init() { ready = true }

    // Start starts, once init ran.
    func Start(bool) {}
    """
    lib_test = """
    package lib

    import (
    	"os"
    	"testing"
    )

    func TestMain(m *testing.M) { os.Exit(m.Run()) }

    func TestInitRan(t *testing.T) {
    	if !ready {
    		t.Fatal("not ready")
    	}
    }
    """
    files = {"cmd/tool/main.go": command, "lib/lib.go": lib, "lib/lib_test.go": lib_test}
    assert_codemod(tmp_path / "m", files, {"cmd/tool/main.go": command_after},
                   base=terms("Main", "Primary"))
    assert_codemod(tmp_path / "i", files, {
        "lib/lib.go": lib.replace("once init ran", "once setup ran"),
        "lib/lib_test.go": lib_test.replace("TestInitRan", "TestSetupRan")},
        base=terms("Init", "Setup"))
    # a test whose new name would lose its prefix keeps it; a helper is renamed
    tests = """
    package lib

    import "testing"

    func TestStart(t *testing.T) { testHelper(t) }

    func testHelper(t *testing.T) {}
    """
    assert_codemod(tmp_path / "t", {"lib/lib.go": lib, "lib/x_test.go": tests},
                   {"lib/x_test.go": tests.replace("testHelper", "checkHelper")},
                   base=terms("Test", "Check"))


def test_the_xml_name_field_keeps_its_name(tmp_path: Path) -> None:
    # Renaming Name -> Label renamed the field XMLName to XMLLabel: encoding/xml then wrote
    # <Feed><rss></rss>...</Feed> instead of <rss>...</rss>, and the build passed.
    before = """
    package a

    import "encoding/xml"

    type Feed struct {
    	XMLName xml.Name `xml:"rss"`
    	Name    string   `xml:"channel>title"`
    }

    func root(f Feed) string { return f.XMLName.Local + f.Name }

    var entry = Feed{XMLName: xml.Name{Local: "entry"}, Name: "n"}
    """
    after = """
    package a

    import "encoding/xml"

    type Feed struct {
    	XMLName xml.Name `xml:"rss"`
    	Label   string   `xml:"channel>title"`
    }

    func root(f Feed) string { return f.XMLName.Local + f.Label }

    var entry = Feed{XMLName: xml.Name{Local: "entry"}, Label: "n"}
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, base=terms("Name", "Label"))
    go_test_as_patched(tmp_path, """
    package a

    import (
    	"encoding/xml"
    	"testing"
    )

    func TestFeed(t *testing.T) {
    	b, err := xml.Marshal(Feed{Label: "t"})
    	if err != nil || string(b) != "<rss><channel><title>t</title></channel></rss>" {
    		t.Fatalf("%s %v", b, err)
    	}
    }
    """)


def test_a_value_of_predeclared_functions_is_written_twice(tmp_path: Path) -> None:
    # A stats map (a real habit tracker's): {"avg_streak": float64(total) / float64(len(hl))}
    # was left with a warning (len is a call), while the map of the same function's other
    # return and the test's expected map got the new key: the test then failed. len, cap, min
    # and max compute from their arguments alone, as a conversion does.
    before = """
    package a

    func stats(ids []string) map[string]any {
    	total := 0
    	for _, id := range ids {
    		total += len(id)
    	}
    	return map[string]any{
    		"run_ids":        len(ids),
    		"avg_run_id_len": float64(total) / float64(max(len(ids), 1)),
    	}
    }
    """
    after = """
    package a

    func stats(ids []string) map[string]any {
    	total := 0
    	for _, id := range ids {
    		total += len(id)
    	}
    	return map[string]any{
    		"run_ids":            len(ids),
    		"session_ids":        len(ids),
    		"avg_run_id_len":     float64(total) / float64(max(len(ids), 1)),
    		"avg_session_id_len": float64(total) / float64(max(len(ids), 1)),
    	}
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nmap_key = "dual"\n')
    go_test_as_patched(tmp_path, """
    package a

    import "testing"

    func TestStats(t *testing.T) {
    	got := stats([]string{"ab", "abcd"})
    	for _, key := range []string{"run_ids", "session_ids"} {
    		if got[key] != 2 {
    			t.Errorf("%s: %v", key, got[key])
    		}
    	}
    	for _, key := range []string{"avg_run_id_len", "avg_session_id_len"} {
    		if got[key] != 3.0 {
    			t.Errorf("%s: %v", key, got[key])
    		}
    	}
    }
    """)


def test_a_computed_value_is_put_in_a_variable_where_that_runs_it_at_the_same_point(
        tmp_path: Path) -> None:
    # Before, every computed value was left with "put the value in a variable first": that is
    # done where nothing runs before the value in its statement, an if's initializer included
    # (it runs once, first). A call before it (moved after the call, the value would be
    # computed first) keeps the warning. An encoder made before the value
    # (json.NewEncoder(w).Encode(...)) may be made after it.
    before = """
    package a

    import (
    	"encoding/json"
    	"io"
    	"log/slog"
    )

    var n int

    func newID() string { n++; return string(rune('a' + n)) }

    func label() string { n += 10; return "l" }

    func status(sessionID string) map[string]any {
    	slog.Info("made", "run_id", newID(), "by", sessionID)
    	slog.Info(label(), "run_id", newID())
    	if m := (map[string]any{"run_id": newID()}); m != nil {
    		slog.Info("header")
    	}
    	return map[string]any{"run_id": newID(), "n": n}
    }

    func write(w io.Writer) error {
    	return json.NewEncoder(w).Encode(map[string]any{"run_id": newID()})
    }
    """
    after = """
    package a

    import (
    	"encoding/json"
    	"io"
    	"log/slog"
    )

    var n int

    func newID() string { n++; return string(rune('a' + n)) }

    func label() string { n += 10; return "l" }

    func status(sessionID string) map[string]any {
    	sessionID2 := newID()
    	slog.Info("made", "run_id", sessionID2, "session_id", sessionID2, "by", sessionID)
    	slog.Info(label(), "run_id", newID())
    	sessionID3 := newID()
    	if m := (map[string]any{"run_id": sessionID3, "session_id": sessionID3}); m != nil {
    		slog.Info("header")
    	}
    	sessionID4 := newID()
    	return map[string]any{"run_id": sessionID4, "session_id": sessionID4, "n": n}
    }

    func write(w io.Writer) error {
    	sessionID := newID()
    	return json.NewEncoder(w).Encode(map[string]any{"run_id": sessionID, "session_id": sessionID})
    }
    """
    call = "comes from a call (newID()), which would run again for 'session_id' and could " \
        "give it another value; put the value in a variable first, or add the new name by hand"
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nlog_key = "dual"\nmap_key = "dual"\n',
                   expected_warnings=["the value of 'run_id' " + call])
    go_test_as_patched(tmp_path, """
    package a

    import (
    	"strings"
    	"testing"
    )

    func TestStatus(t *testing.T) {
    	got := status("s")
    	if got["run_id"] != got["session_id"] || got["run_id"] == nil || got["n"] != 14 {
    		t.Fatal(got)
    	}
    	var b strings.Builder
    	if err := write(&b); err != nil || b.String() != `{"run_id":"p","session_id":"p"}`+"\\n" {
    		t.Fatal(b.String(), err)
    	}
    }
    """)


def test_a_computed_value_on_the_right_of_and_is_not_put_before_its_statement(
        tmp_path: Path) -> None:
    # Put in a variable before the statement, newID() would run when ready is false too.
    before = """
    package a

    import "log/slog"

    var n int

    func newID() string { n++; return "x" }

    func emit(ready bool) bool {
    	return ready && send(map[string]any{"run_id": newID()})
    }

    func send(m map[string]any) bool { slog.Info("sent", "n", len(m)); return true }
    """
    assert_codemod(tmp_path, {"a.go": before}, {},
                   policy='[defaults]\nmap_key = "dual"\n',
                   expected_warnings=[
                       "the value of 'run_id' comes from a call (newID()), which would run again "
                       "for 'session_id' and could give it another value; put the value in a "
                       "variable first, or add the new name by hand"])



def test_a_value_whose_type_its_literal_leaves_out_is_not_put_before_its_statement(
        tmp_path: Path) -> None:
    # Found on a fleet monitor's test table (heartbeat -> pulse): `"...": {body: ...}` leaves
    # the element's type to the map's, so the value taken out as `pulse := {...}` did not
    # parse, and the plan stopped ("a bug in a transformation"). Its type is not written out
    # (an anonymous struct would be a page of it): the key is left to add by hand.
    before = """
    package a

    type Point struct{ X string }

    var n int

    func newID() string { n++; return "x" }

    func points() map[string]Point {
    	return map[string]Point{"run_id": {X: newID()}, "origin": {X: "0"}}
    }

    func fixed() map[string]Point {
    	return map[string]Point{"run_id": {X: "1"}}
    }
    """
    after = """
    package a

    type Point struct{ X string }

    var n int

    func newID() string { n++; return "x" }

    func points() map[string]Point {
    	return map[string]Point{"run_id": {X: newID()}, "origin": {X: "0"}}
    }

    func fixed() map[string]Point {
    	return map[string]Point{"run_id": {X: "1"}, "session_id": {X: "1"}}
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nmap_key = "dual"\n',
                   expected_warnings=[
                       "the value of 'run_id' comes from a call (newID()), which would run again "
                       "for 'session_id' and could give it another value; put the value in a "
                       "variable first, or add the new name by hand"])


def test_a_test_tables_case_names_are_messages_not_wire_keys(tmp_path: Path) -> None:
    # Found on a fleet monitor's tests (heartbeat -> pulse, RecordHeartbeat -> LogHeartbeat):
    # the case names of its test tables were map keys, dual-emitted as a wire key is, each case
    # written twice. A key with a space is read by a person wherever it is; so is the key of a
    # map of anonymous structs in a test (a table of cases, which t.Run names): each renamed in
    # place, as a message. A test's other maps (an expected payload) keep their wire keys.
    src = go("""
        package svc

        import "testing"

        func TestRequests(t *testing.T) {
        	tests := map[string]struct{ path string }{
        		"GET with run_id missing returns 400": {path: "/runs"},
        		"RunID": {path: "/runs/1"},
        	}
        	for name, tc := range tests {
        		t.Run(name, func(t *testing.T) {
        			if tc.path == "" {
        				t.Fatal(name)
        			}
        		})
        	}
        	want := map[string]any{"run_id": "1"}
        	_ = want
        }
        """)
    analysis, patch = wire_plan(tmp_path, {"a_test.go": src})
    rows = {(r["line"], r["role"], r["decision"]) for r in
            analysis.decided[["line", "role", "decision"]].to_dict("records")}
    assert {(7, "message", "rename"), (8, "message", "rename"), (17, "map_key", "dual")} <= rows
    after = {fp.path: fp.after.decode() for fp in patch.changed()}["a_test.go"]
    assert '\t\t"GET with session_id missing returns 400": {path: "/runs"},\n' \
        '\t\t"SessionID": {path: "/runs/1"},\n' in after
    assert 'map[string]any{"run_id": "1", "session_id": "1"}' in after
    assert after.count("missing returns 400") == 1


def test_a_test_tables_case_names_in_a_field_t_run_reads_are_messages(tmp_path: Path) -> None:
    # Found on an invoice-line parser (Quantity -> Units): its table's cases name themselves in
    # a field, `{name: "leading zero on quantity", ...}`, which `t.Run(tc.name+"/strict", ...)`
    # reads. Each was a plain string left to review, five per plan. A field of the cases that
    # the file's t.Run calls read is the subtest's name: a message, renamed in place, when it
    # is a sentence (one word may also be the case's input, `f(tc.name)`); the cases' other
    # strings (an input line) stay strings.
    code = """
        package a

        // Units is the quantity of a line.
        func Units(line string) string { return line }
        """
    test = """
        package a

        import "testing"

        func TestRunID(t *testing.T) {
        	cases := []struct {
        		name string
        		line string
        	}{
        		{name: "leading zero on run_id", line: "run_id"},
        		{name: "run_id alone", line: "x"},
        		{name: "run_id", line: "run_id"},
        	}
        	for _, tc := range cases {
        		t.Run(tc.name+"/strict", func(t *testing.T) {
        			if Units(tc.line) != tc.line {
        				t.Fatal(tc.name)
        			}
        		})
        	}
        }
        """
    analysis, patch = wire_plan(tmp_path, {"a.go": go(code), "a_test.go": go(test)})
    rows = [(r["line"], r["column"], r["role"], r["decision"]) for r in
            analysis.decided[["line", "column", "role", "decision"]].to_dict("records")]
    assert rows == [(5, 6, "func_decl", "rename"), (10, 27, "message", "rename"),
                    (10, 43, "string", "review"), (11, 11, "message", "rename"),
                    (12, 11, "string", "review"), (12, 27, "string", "review")]
    after = {fp.path: fp.after.decode() for fp in patch.changed()}["a_test.go"]
    assert '{name: "leading zero on session_id", line: "run_id"},\n' \
        '\t\t{name: "session_id alone", line: "x"},' in after


def test_a_function_literal_is_written_again_as_it_is(tmp_path: Path) -> None:
    # Its body runs when it is called, not where it stands: `func() string { return newID() }`
    # under two keys makes two functions that do the same. It was taken for a call that could
    # give the new key another value, and the key was left to add by hand.
    before = """
    package a

    var n int

    func newID() string { n++; return "x" }

    func makers() map[string]func() string {
    	return map[string]func() string{
    		"run_id": func() string { return newID() },
    	}
    }
    """
    after = """
    package a

    var n int

    func newID() string { n++; return "x" }

    func makers() map[string]func() string {
    	return map[string]func() string{
    		"run_id":     func() string { return newID() },
    		"session_id": func() string { return newID() },
    	}
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nmap_key = "dual"\n')


def test_opentelemetry_attribute_keys_are_log_keys(tmp_path: Path) -> None:
    # attribute.String("run_id", id) names what dashboards and alerts query: it was a plain
    # string, left to review. It is a log key now, dual-emitted as slog's attributes are.
    attribute = """
    package attribute

    type KeyValue struct{ Key, Value string }

    func String(k, v string) KeyValue { return KeyValue{k, v} }
    """
    before = """
    package a

    import "example.com/a/attribute"

    func record(set func(...attribute.KeyValue), runID string) {
    	set(
    		attribute.String("run_id", runID),
    		attribute.String("kind", "chat"),
    	)
    }
    """
    after = """
    package a

    import "example.com/a/attribute"

    func record(set func(...attribute.KeyValue), sessionID string) {
    	set(
    		attribute.String("run_id", sessionID), attribute.String("session_id", sessionID),
    		attribute.String("kind", "chat"),
    	)
    }
    """
    assert_codemod(tmp_path, {"a.go": before, "attribute/attribute.go": attribute},
                   {"a.go": after}, policy='[defaults]\nlog_key = "dual"\n')


def test_a_dual_slog_attribute_outside_a_list_is_left_with_a_warning(tmp_path: Path) -> None:
    # `attr := slog.String("run_id", v)` became `attr := slog.String(...), slog.String(...)`:
    # gofmt took it, go build did not (assignment mismatch). In a slice literal it is added,
    # once (a second plan added it again).
    before = """
    package a

    import "log/slog"

    var base = []slog.Attr{slog.String("run_id", "none")}

    func logIt(runID string) {
    	attr := slog.String("run_id", runID)
    	slog.Info("hi", attr)
    }
    """
    after = """
    package a

    import "log/slog"

    var base = []slog.Attr{slog.String("run_id", "none"), slog.String("session_id", "none")}

    func logIt(sessionID string) {
    	attr := slog.String("run_id", sessionID)
    	slog.Info("hi", attr)
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nlog_key = "dual"\n',
                   expected_warnings=["the attribute 'run_id' is not an element of a list (an "
                                      "argument, a slice); add 'session_id' beside it by hand"])
    go_test_after_rename(tmp_path / "built", {"a.go": before})


def test_query_parameter_falls_back_to_the_legacy_name(tmp_path: Path) -> None:
    before = """
    package a

    import "net/http"

    func handle(w http.ResponseWriter, r *http.Request) {
    	runID := r.URL.Query().Get("run_id")
    	_, _ = w.Write([]byte(runID))
    }
    """
    after = """
    package a

    import "net/http"

    func handle(w http.ResponseWriter, r *http.Request) {
    	sessionID := r.URL.Query().Get("session_id")
    	if sessionID == "" {
    		sessionID = r.URL.Query().Get("run_id")
    	}
    	_, _ = w.Write([]byte(sessionID))
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nquery_param = "accept-both"\n')


def test_a_query_parameter_read_inside_an_expression_is_read_before_its_statement(
        tmp_path: Path) -> None:
    # Found on a task API: `if q := strings.TrimSpace(r.URL.Query().Get("status")); q != ""`
    # and a read returned as it is were left with "needs a statement x := A.Get(...)". The read
    # goes to a new variable on the lines before (the new name first, the legacy one when it
    # is absent), numbered past the names the function uses, the renamed ones included.
    before = """
    package a

    import (
    	"net/http"
    	"strconv"
    	"strings"
    )

    func handle(r *http.Request) string { return r.URL.Query().Get("run_id") }

    func page(r *http.Request) (int, string) {
    	if q := strings.TrimSpace(r.URL.Query().Get("run_id")); q != "" {
    		return 0, q
    	}
    	if runID := r.URL.Query().Get("run_id"); runID != "" {
    		return 1, runID
    	}
    	switch r.FormValue("run_id") {
    	case "":
    		return 2, ""
    	}
    	n, _ := strconv.Atoi(r.URL.Query().Get("run_id"))
    	return n, ""
    }
    """
    after = """
    package a

    import (
    	"net/http"
    	"strconv"
    	"strings"
    )

    func handle(r *http.Request) string {
    	sessionID := r.URL.Query().Get("session_id")
    	if sessionID == "" {
    		sessionID = r.URL.Query().Get("run_id")
    	}
    	return sessionID
    }

    func page(r *http.Request) (int, string) {
    	sessionID2 := r.URL.Query().Get("session_id")
    	if sessionID2 == "" {
    		sessionID2 = r.URL.Query().Get("run_id")
    	}
    	if q := strings.TrimSpace(sessionID2); q != "" {
    		return 0, q
    	}
    	sessionID3 := r.URL.Query().Get("session_id")
    	if sessionID3 == "" {
    		sessionID3 = r.URL.Query().Get("run_id")
    	}
    	if sessionID := sessionID3; sessionID != "" {
    		return 1, sessionID
    	}
    	sessionID4 := r.FormValue("session_id")
    	if sessionID4 == "" {
    		sessionID4 = r.FormValue("run_id")
    	}
    	switch sessionID4 {
    	case "":
    		return 2, ""
    	}
    	sessionID5 := r.URL.Query().Get("session_id")
    	if sessionID5 == "" {
    		sessionID5 = r.URL.Query().Get("run_id")
    	}
    	n, _ := strconv.Atoi(sessionID5)
    	return n, ""
    }
    """
    policy = '[defaults]\nquery_param = "accept-both"\n'
    assert_codemod(tmp_path / "plan", {"a.go": before}, {"a.go": after}, policy=policy)
    test = """
    package a

    import (
    	"net/http/httptest"
    	"testing"
    )

    func TestBothNames(t *testing.T) {
    	for _, url := range []string{"/?session_id=7", "/?run_id=7"} {
    		r := httptest.NewRequest("GET", url, nil)
    		if handle(r) != "7" {
    			t.Fatal(url)
    		}
    		if n, s := page(r); n != 0 || s != "7" {
    			t.Fatal(url, n, s)
    		}
    	}
    }
    """
    go_test_after_rename(tmp_path / "built", {"a.go": before}, {"a_test.go": test},
                         policy=policy)


def test_a_read_after_other_reads_of_the_query_is_read_on_the_lines_before(
        tmp_path: Path) -> None:
    # Found on a home-inventory API: `s.locations.Filter(r.URL.Query().Get("room"),
    # r.URL.Query().Get("position"))` was left with "needs a statement x := A.Get(...)": the
    # query read before it was taken for a call that may change what the second one reads.
    # Reading a request's query again changes nothing; a call of the code's own still does.
    before = """
    package a

    import "net/http"

    func filter(room, runID string) []string { return []string{room, runID} }

    func next() string { return "" }

    func list(r *http.Request) ([]string, []string) {
    	found := filter(r.URL.Query().Get("room"), r.URL.Query().Get("run_id"))
    	return found, filter(next(), r.URL.Query().Get("run_id"))
    }
    """
    after = """
    package a

    import "net/http"

    func filter(room, sessionID string) []string { return []string{room, sessionID} }

    func next() string { return "" }

    func list(r *http.Request) ([]string, []string) {
    	sessionID := r.URL.Query().Get("session_id")
    	if sessionID == "" {
    		sessionID = r.URL.Query().Get("run_id")
    	}
    	found := filter(r.URL.Query().Get("room"), sessionID)
    	return found, filter(next(), r.URL.Query().Get("run_id"))
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nquery_param = "accept-both"\n',
                   expected_warnings=[
                       "accept-both for 'run_id' needs a statement `x := "
                       "A.Get(\"run_id\")`; edit it by hand"])


def test_reads_after_reads_and_in_a_var_declaration_are_read_before_their_statement(
        tmp_path: Path) -> None:
    # A read before another read may run after it (reading a parameter or a header changes
    # nothing), and `var x = ...` in a function is a statement like `x := ...`; a call of
    # another kind before a read keeps it where it is.
    before = """
    package a

    import "net/http"

    func pair(a, b string) string { return a + b }

    func handle(r *http.Request) string {
    	var x = pair(r.FormValue("run_id"), r.Header.Get("X-Run-ID"))
    	return pair(r.FormValue("run_id"), r.FormValue("run_id")) + x
    }

    var n int

    func next() string { n++; return "" }

    func counted(r *http.Request) string { return pair(next(), r.FormValue("run_id")) }
    """
    after = """
    package a

    import "net/http"

    func pair(a, b string) string { return a + b }

    func handle(r *http.Request) string {
    	sessionID := r.FormValue("session_id")
    	if sessionID == "" {
    		sessionID = r.FormValue("run_id")
    	}
    	xSessionID := r.Header.Get("X-Session-ID")
    	if xSessionID == "" {
    		xSessionID = r.Header.Get("X-Run-ID")
    	}
    	var x = pair(sessionID, xSessionID)
    	sessionID2 := r.FormValue("session_id")
    	if sessionID2 == "" {
    		sessionID2 = r.FormValue("run_id")
    	}
    	sessionID3 := r.FormValue("session_id")
    	if sessionID3 == "" {
    		sessionID3 = r.FormValue("run_id")
    	}
    	return pair(sessionID2, sessionID3) + x
    }

    var n int

    func next() string { n++; return "" }

    func counted(r *http.Request) string { return pair(next(), r.FormValue("run_id")) }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nquery_param = "accept-both"\nhttp_header = "accept-both"\n',
                   expected_warnings=[
                       "accept-both for 'run_id' needs a statement `x := A.Get(\"run_id\")`; "
                       "edit it by hand"])


def test_a_query_parameter_read_where_moving_it_changes_what_runs_is_left_with_a_warning(
        tmp_path: Path) -> None:
    # Read before its statement, these would run where they did not (on the right of &&, in
    # a loop's condition) or before what they depend on (after ParseForm, in an if's condition
    # behind an initializer).
    before = """
    package a

    import "net/http"

    func handle(r *http.Request) bool {
    	ok := r != nil && r.URL.Query().Get("run_id") != ""
    	for i := 0; i < len(r.FormValue("run_id")); i++ {
    	}
    	if err := r.ParseForm(); err == nil && r.Form.Get("run_id") != "" {
    		return true
    	}
    	return ok
    }
    """
    where = "accept-both for 'run_id' needs a statement `x := A.Get(\"run_id\")`; edit it by hand"
    assert_codemod(tmp_path, {"a.go": before}, {}, policy='[defaults]\nquery_param = "accept-both"\n',
                   expected_warnings=[where] * 3)


def test_accept_both_falls_back_on_what_each_read_returns_when_absent(tmp_path: Path) -> None:
    # Found on Go's net/textproto: Values returns a slice, and `if values == ""` did not compile.
    before = """
    package a

    import (
    	"net/http"
    	"net/url"
    )

    func read(h http.Header, q url.Values) ([]string, bool, string) {
    	all := q["x"]
    	all = h.Values("run_id")
    	has := q.Has("run_id")
    	_ = q.Get("run_id")
    	one := q.Get("run_id")
    	return all, has, one
    }
    """
    after = """
    package a

    import (
    	"net/http"
    	"net/url"
    )

    func read(h http.Header, q url.Values) ([]string, bool, string) {
    	all := q["x"]
    	all = h.Values("session_id")
    	if len(all) == 0 {
    		all = h.Values("run_id")
    	}
    	has := q.Has("session_id")
    	if !has {
    		has = q.Has("run_id")
    	}
    	_ = q.Get("run_id")
    	one := q.Get("session_id")
    	if one == "" {
    		one = q.Get("run_id")
    	}
    	return all, has, one
    }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {"a.go": after},
        policy='[defaults]\nquery_param = "accept-both"\nhttp_header = "accept-both"\n',
        expected_warnings=["accept-both for 'run_id' reads into _; edit it by hand"],
    )


# gRPC's metadata.MD, whose Get returns every value of a key: a stand-in of the same shape, so
# that `go test` builds it here.
METADATA = """
package a

import (
	"net/http"
	"strings"
)

// MD is shaped like google.golang.org/grpc/metadata.MD.
type MD map[string][]string

// Get returns the values of a key.
func (md MD) Get(k string) []string { return md[strings.ToLower(k)] }

func fromMetadata(in MD) string {
	ids := in.Get("run-id")
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func fromQuery(r *http.Request) string {
	q := r.URL.Query()
	id := q.Get("run_id")
	return id
}
"""
METADATA_TEST = """
package a

import (
	"net/http/httptest"
	"testing"
)

func TestReads(t *testing.T) {
	if got := fromMetadata(MD{"run-id": {"r-1"}}); got != "r-1" {
		t.Fatalf("metadata: got %q", got)
	}
	if got := fromQuery(httptest.NewRequest("GET", "/?run_id=r-2", nil)); got != "r-2" {
		t.Fatalf("query: got %q", got)
	}
}
"""


def test_accept_both_tests_a_get_of_an_unknown_receiver_by_length(tmp_path: Path) -> None:
    # Before, every Get was tested with `ids == ""`: on gRPC's metadata.MD, whose Get returns a
    # []string, the patch did not build. A Get of url.Values (`q := r.URL.Query()`) still
    # tests for "".
    after = METADATA.replace(
        '\tids := in.Get("run-id")\n',
        '\tids := in.Get("session-id")\n\tif len(ids) == 0 {\n\t\tids = in.Get("run-id")\n\t}\n',
    ).replace(
        '\tid := q.Get("run_id")\n',
        '\tid := q.Get("session_id")\n\tif id == "" {\n\t\tid = q.Get("run_id")\n\t}\n',
    )
    pol = '[defaults]\nquery_param = "accept-both"\n'
    assert_codemod(tmp_path, {"a.go": METADATA}, {"a.go": after}, policy=pol)
    go_test_after_rename(tmp_path / "built", {"a.go": METADATA, "a_test.go": METADATA_TEST},
                         policy=pol)


def test_accept_both_leaves_a_read_with_a_default_to_the_user(tmp_path: Path) -> None:
    before = """
    package a

    type ctx struct{}

    func (ctx) DefaultQuery(k, d string) string { return d }

    func read(c ctx) string {
    	runID := c.DefaultQuery("run_id", "none")
    	return runID
    }
    """
    after = """
    package a

    type ctx struct{}

    func (ctx) DefaultQuery(k, d string) string { return d }

    func read(c ctx) string {
    	sessionID := c.DefaultQuery("run_id", "none")
    	return sessionID
    }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {"a.go": after},
        policy='[defaults]\nquery_param = "accept-both"\n',
        expected_warnings=["accept-both for 'run_id' does not know what DefaultQuery() returns "
                           "when the name is absent; edit it by hand"],
    )


def test_dual_header_is_set_again_only_beside_its_own_statement(tmp_path: Path) -> None:
    # The set inside a function literal is repeated there, never the statement around the
    # literal (which would run it twice); a set in a for header cannot be repeated.
    before = """
    package a

    import "net/http"

    func run(f func()) { f() }

    func stamp(w http.ResponseWriter, ids []string) {
    	run(func() { w.Header().Set("X-Run-ID", ids[0]) })
    	run(func() { defer w.Header().Set("X-Run-ID", ids[0]) })
    	for i := 0; i < len(ids); w.Header().Set("X-Run-ID", ids[i]) {
    		i++
    	}
    }
    """
    after = """
    package a

    import "net/http"

    func run(f func()) { f() }

    func stamp(w http.ResponseWriter, ids []string) {
    	run(func() {
    		w.Header().Set("X-Run-ID", ids[0])
    		w.Header().Set("X-Session-ID", ids[0])
    	})
    	run(func() { defer w.Header().Set("X-Run-ID", ids[0]) })
    	for i := 0; i < len(ids); w.Header().Set("X-Run-ID", ids[i]) {
    		i++
    	}
    }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {"a.go": after},
        policy='[defaults]\nhttp_header = "dual"\n',
        expected_warnings=[
            "'X-Run-ID' is not set in a statement of its own; add 'X-Session-ID' by hand",
            "'X-Run-ID' is set in the header of a for statement; add 'X-Session-ID' by hand"],
    )


def test_dual_header_held_in_a_constant_says_what_to_add(tmp_path: Path) -> None:
    # A header's name in a constant named in the family gets a legacy constant beside it, and
    # its use the second Set (a function on one line, a constant on its own); in a constant
    # named otherwise, the warning says what to add (the constant's uses have no rows).
    before = """
    package a

    import "net/http"

    const HeaderRunID = "X-Run-ID"

    func stamp(w http.ResponseWriter, id string) { w.Header().Set(HeaderRunID, id) }

    const headerName = "X-Run-ID"

    func stamp2(w http.ResponseWriter, id string) { w.Header().Set(headerName, id) }
    """
    after = """
    package a

    import "net/http"

    const HeaderSessionID = "X-Session-ID"

    // LegacyHeaderSessionID is HeaderSessionID's name before the rename, sent too.
    const LegacyHeaderSessionID = "X-Run-ID"

    func stamp(w http.ResponseWriter, id string) {
    	w.Header().Set(HeaderSessionID, id)
    	w.Header().Set(LegacyHeaderSessionID, id)
    }

    const headerName = "X-Run-ID"

    func stamp2(w http.ResponseWriter, id string) { w.Header().Set(headerName, id) }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {"a.go": after},
        policy='[defaults]\nhttp_header = "dual"\n',
        expected_warnings=[
            "'X-Run-ID' is the value of headerName: declare one for 'X-Session-ID' beside it "
            "and use both where headerName is sent, by hand"],
    )


def test_zap_and_logrus_keys_are_dual_emitted(tmp_path: Path) -> None:
    before = """
    package a

    import (
    	"github.com/sirupsen/logrus"
    	"go.uber.org/zap"
    )

    func f(logger *zap.Logger, sugar *zap.SugaredLogger, runID string) {
    	logger.Info("start", zap.String("run_id", runID))
    	logrus.WithField("run_id", runID).Info("x")
    	sugar.Infow("start", "run_id", runID)
    	field := zap.String("run_id", runID)
    	logger.Info("again", field)
    }
    """
    after = """
    package a

    import (
    	"github.com/sirupsen/logrus"
    	"go.uber.org/zap"
    )

    func f(logger *zap.Logger, sugar *zap.SugaredLogger, sessionID string) {
    	logger.Info("start", zap.String("run_id", sessionID), zap.String("session_id", sessionID))
    	logrus.WithField("run_id", sessionID).WithField("session_id", sessionID).Info("x")
    	sugar.Infow("start", "run_id", sessionID, "session_id", sessionID)
    	field := zap.String("run_id", sessionID)
    	logger.Info("again", field)
    }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {"a.go": after},
        policy='[defaults]\nlog_key = "dual"\n',
        expected_warnings=["the attribute 'run_id' is not an element of a list (an argument, a "
                           "slice); add 'session_id' beside it by hand"])


def test_dual_header_keeps_the_comment_of_its_line(tmp_path: Path) -> None:
    # Found on Go's net/http (transport_test.go): the set for the new name was inserted before
    # the comment of the line, which then described the new statement.
    before = """
    package a

    import "net/http"

    func stamp(r *http.Request, runID string) {
    	r.Header.Set("X-Run-ID", runID) // known value for the test
    	r.Header.Add("X-Run-ID", runID)
    }
    """
    after = """
    package a

    import "net/http"

    func stamp(r *http.Request, sessionID string) {
    	r.Header.Set("X-Run-ID", sessionID) // known value for the test
    	r.Header.Set("X-Session-ID", sessionID)
    	r.Header.Add("X-Run-ID", sessionID)
    	r.Header.Add("X-Session-ID", sessionID)
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nhttp_header = "dual"\n')


def test_what_stands_beside_the_legacy_name_already_is_not_added_again(tmp_path: Path) -> None:
    # Written by hand (or by an earlier apply): the same value is left as it is, silently; another
    # value is left with a warning, since adding the name again would give it two values (a map
    # literal with a key twice does not even compile).
    before = """
    package a

    import (
    	"log/slog"
    	"net/http"
    )

    func resp(id, old string) map[string]any {
    	return map[string]any{"run_id": id, "session_id": id}
    }

    func other(id, old string) map[string]any {
    	return map[string]any{"run_id": old, "session_id": id}
    }

    func logIt(id, old string) {
    	slog.Info("same", "run_id", id, "session_id", id)
    	slog.Info("other", slog.String("run_id", old), slog.String("session_id", id))
    }

    func stamp(w http.ResponseWriter, r *http.Request, id, old string) {
    	w.Header().Set("X-Session-ID", id)
    	w.Header().Set("X-Run-ID", id)
    	r.Header.Set("X-Run-ID", old)
    	r.Header.Set("X-Session-ID", id)
    	q := r.URL.Query()
    	v := q.Get("session_id")
    	if v == "" {
    		v = q.Get("run_id")
    	}
    	_, _ = w.Write([]byte(v))
    }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {},
        policy='[defaults]\nmap_key = "dual"\nlog_key = "dual"\nhttp_header = "dual"\n'
               'query_param = "accept-both"\n',
        expected_warnings=[
            "'session_id' already stands beside 'run_id', with another value; both are left as "
            "they are",
            "'session_id' already stands beside 'run_id', with another value; both are left as "
            "they are",
            "'X-Session-ID' already stands beside 'X-Run-ID', with another value; both are left "
            "as they are"],
    )


def test_drop_legacy_removes_a_set_only_beside_the_same_set_for_the_new_name(
        tmp_path: Path) -> None:
    # Removing only the call (`.Set(...)`) left `w.Header()` behind; and a set with no
    # counterpart is the only one that sends the value.
    before = """
    package a

    import "net/http"

    func stamp(w http.ResponseWriter, runID string) {
    	w.Header().Set("X-Run-ID", runID) // legacy
    	w.Header().Set("X-Session-ID", runID)
    }

    func alone(w http.ResponseWriter, runID string) {
    	w.Header().Set("X-Run-ID", runID)
    }
    """
    after = """
    package a

    import "net/http"

    func stamp(w http.ResponseWriter, sessionID string) {
    	w.Header().Set("X-Session-ID", sessionID)
    }

    func alone(w http.ResponseWriter, sessionID string) {
    	w.Header().Set("X-Run-ID", sessionID)
    }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {"a.go": after},
        policy='[defaults]\nhttp_header = "drop-legacy"\n',
        expected_warnings=[
            "'X-Run-ID' is not set beside 'X-Session-ID' with the same value, so dropping it "
            "would lose data; left as it is"],
    )


EXAMPLE = """
    package a_test

    import "fmt"

    func ExampleReadRunID() {
    	runID := "run-1"
    	fmt.Println("the RunID is", runID)
    	// Output: the RunID is run-1
    }
    """


def test_example_output_follows_the_string_it_prints(tmp_path: Path) -> None:
    # Found on Go's net/url: the printed label "Fragment:" was renamed and the expected output
    # was not; on Go's bufio the other way round. Both failed go test. The output now follows
    # the strings of its example that spell the same name.
    after = """
    package a_test

    import "fmt"

    func ExampleReadSessionID() {
    	sessionID := "run-1"
    	fmt.Println("the SessionID is", sessionID)
    	// Output: the SessionID is run-1
    }
    """
    assert_codemod(tmp_path, {"a_test.go": EXAMPLE}, {"a_test.go": after})


def test_example_output_is_kept_with_the_string_it_prints(tmp_path: Path) -> None:
    after = """
    package a_test

    import "fmt"

    func ExampleReadSessionID() {
    	sessionID := "run-1"
    	fmt.Println("the RunID is", sessionID)
    	// Output: the RunID is run-1
    }
    """
    assert_codemod(tmp_path, {"a_test.go": EXAMPLE}, {"a_test.go": after},
                   policy='[defaults]\nmessage = "keep"\n')


def test_a_name_right_after_an_escape_is_renamed_with_the_rest(tmp_path: Path) -> None:
    # `\trunID` and `\nrun_id` were read as `trunID` and `nrun_id`: the parameter was renamed
    # and the header and the log line that print it were not.
    before = r"""
    package a

    import "fmt"

    func Show(runID string) {
    	fmt.Printf("name\trunID\n")
    	fmt.Println("done\nrun_id:", runID)
    }
    """
    after = r"""
    package a

    import "fmt"

    func Show(sessionID string) {
    	fmt.Printf("name\tsessionID\n")
    	fmt.Println("done\nsession_id:", sessionID)
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after})


def test_names_beside_unicode_text_are_renamed(tmp_path: Path) -> None:
    # `// 根据runID查询` was one word and no member; `«RunID»` was a token with its quotes.
    before = """
    package a

    // Get returns the «RunID» of the “runID”.
    // 根据runID查询
    func Get(runID string) string {
    	return runID
    }
    """
    after = """
    package a

    // Get returns the «SessionID» of the “sessionID”.
    // 根据sessionID查询
    func Get(sessionID string) string {
    	return sessionID
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after})


def test_legacy_accepting_unmarshal_json(tmp_path: Path) -> None:
    before = """
    package a

    import "encoding/json"

    type Request struct {
    	RunID  string `json:"run_id,omitempty"`
    	Prompt string `json:"prompt"`
    }

    func decode(b []byte) (Request, error) {
    	var r Request
    	err := json.Unmarshal(b, &r)
    	return r, err
    }
    """
    after = """
    package a

    import "encoding/json"

    type Request struct {
    	SessionID string `json:"session_id,omitempty"`
    	Prompt    string `json:"prompt"`
    }

    // UnmarshalJSON accepts the legacy "run_id" key when "session_id" is absent.
    func (r *Request) UnmarshalJSON(data []byte) error {
    	type plain Request
    	aux := struct {
    		*plain
    		SessionID       json.RawMessage `json:"session_id"`
    		LegacySessionID json.RawMessage `json:"run_id"`
    	}{plain: (*plain)(r)}
    	if err := json.Unmarshal(data, &aux); err != nil {
    		return err
    	}
    	if aux.SessionID == nil {
    		aux.SessionID = aux.LegacySessionID
    	}
    	if aux.SessionID != nil {
    		if err := json.Unmarshal(aux.SessionID, &r.SessionID); err != nil {
    			return err
    		}
    	}
    	return nil
    }

    func decode(b []byte) (Request, error) {
    	var r Request
    	err := json.Unmarshal(b, &r)
    	return r, err
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nstruct_tag = "accept-both"\n')


def test_inference_id_wiring(tmp_path: Path) -> None:
    before = """
    package a

    import (
    	"example.com/events"
    	"example.com/turns"
    	"example.com/uuid"
    )

    func step(eng Engine, t *turns.Turn, sid string) events.EventMetadata {
    	md := events.EventMetadata{
    		SessionID: sid,
    		TurnID:    t.ID,
    	}
    	out, _ := eng.RunInference(ctx, t)
    	_ = out
    	return md
    }
    """
    after = """
    package a

    import (
    	"example.com/events"
    	"example.com/turns"
    	"example.com/uuid"
    )

    func step(eng Engine, t *turns.Turn, sid string) events.EventMetadata {
    	md := events.EventMetadata{
    		SessionID:   sid,
    		TurnID:      t.ID,
    		InferenceID: turns.KeyTurnMetaInferenceID.Value(t.Metadata),
    	}
    	if _, ok := turns.KeyTurnMetaInferenceID.Get(t.Metadata); !ok {
    		turns.KeyTurnMetaInferenceID.Set(&t.Metadata, uuid.NewString())
    	}
    	out, _ := eng.RunInference(ctx, t)
    	_ = out
    	return md
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, wiring=True)


def test_crlf_and_bom_are_kept_and_the_diff_applies(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    root.mkdir()
    data = b"\xef\xbb\xbfpackage a\r\n\r\nvar runID = 1\r\n\r\nfunc f() int { return runID }"
    (root / "a.go").write_bytes(data)
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    patch = build_patch(decide(inv.frame, pol), inv.roots)
    (fp,) = patch.changed()
    # not gofmt-clean before, as gofmt reads it (no final newline): the last line, which gofmt
    # rewrites anyway, stays as edited; the BOM and the CRLF line endings stay
    assert fp.after == data.replace(b"runID", b"sessionID")
    assert fp.gofmt == (f"{RENAMED_LINES_FORMATTED}; kept its byte order mark and its CRLF line "
                        "endings, which gofmt does not write")
    diff = unified_diff(patch)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (tmp_path / "p.diff").write_text(diff)
    check = subprocess.run(["git", "-C", str(root), "apply", "--check", str(tmp_path / "p.diff")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("last", [
    b"type Maker interface {\n\tCreate(runID int64) error\n}",
    b"var (\n\truns = map[string]int{\"runID\": 1}\n\trunID = 1\n)",
    b"type runIDs = map[string]int",
])
def test_a_file_whose_last_line_has_no_newline_is_parsed(tmp_path: Path, last: bytes) -> None:
    # Go accepts it, but tree-sitter-go found an error at the end: every occurrence of the file
    # was `unparsed` and never edited (found on a real tree whose interface ended the file).
    root = tmp_path / "mod"
    root.mkdir()
    data = b"package a\n\n" + last
    (root / "a.go").write_bytes(data)
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    assert "unparsed" not in set(inv.frame.role) and not inv.issues
    (fp,) = build_patch(decide(inv.frame, pol), inv.roots).changed()
    assert b"sessionID" in fp.after and not fp.after.endswith(b"\n")  # its last line as it was


@pytest.mark.parametrize("decision", ["keep", "ignore", "review"])
def test_non_renaming_decisions_change_nothing(tmp_path: Path, decision: str) -> None:
    before = "package a\n\nvar runID = 1\n"
    assert_codemod(tmp_path, {"a.go": before}, {},
                   policy=f'[defaults]\nvar_decl = "{decision}"\n')


def test_a_json_tag_whose_struct_cannot_have_methods_is_kept(tmp_path: Path) -> None:
    # Found on a real tree (a type declared inside a function): dual-emit put MarshalJSON and
    # UnmarshalJSON inside the function, and the plan stopped: "the edited file does not
    # parse". In `type T []struct{...}` they would be T's, not the struct's. Without them the
    # legacy key cannot be kept working, so the tag is kept, with a warning.
    before = """
    package a

    import "encoding/json"

    type Runs []struct {
    	RunID string `json:"run_id"`
    }

    func decode(data []byte) (string, error) {
    	type reply struct {
    		RunID string `json:"run_id"`
    	}
    	var r reply
    	err := json.Unmarshal(data, &r)
    	return r.RunID, err
    }
    """
    after = before.replace("RunID string", "SessionID string").replace("r.RunID", "r.SessionID")
    assert_codemod(
        tmp_path, {"a.go": before}, {"a.go": after},
        policy='[defaults]\nstruct_tag = "dual"\n',
        expected_warnings=[
            "the 'run_id' tag is on an anonymous struct inside Runs: the methods that "
            "keep 'run_id' working cannot be added there, so the tag is kept; name the struct at "
            "package level and rename it by hand with those methods",
            "the 'run_id' tag is on a struct declared inside a function, where Go allows "
            "no methods: the methods that keep 'run_id' working cannot be added there, so the "
            "tag is kept; name the struct at package level and rename it by hand with those "
            "methods"],
    )


def test_unmarshal_json_adds_the_json_import(tmp_path: Path) -> None:
    before = """
    package a

    import "fmt"

    type Request struct {
    	RunID string `json:"run_id"`
    }

    func (r Request) String() string { return fmt.Sprint(r.RunID) }
    """
    result = """
    package a

    import "fmt"
    import "encoding/json"

    type Request struct {
    	SessionID string `json:"session_id"`
    }

    // UnmarshalJSON accepts the legacy "run_id" key when "session_id" is absent.
    func (r *Request) UnmarshalJSON(data []byte) error {
    	type plain Request
    	aux := struct {
    		*plain
    		SessionID       json.RawMessage `json:"session_id"`
    		LegacySessionID json.RawMessage `json:"run_id"`
    	}{plain: (*plain)(r)}
    	if err := json.Unmarshal(data, &aux); err != nil {
    		return err
    	}
    	if aux.SessionID == nil {
    		aux.SessionID = aux.LegacySessionID
    	}
    	if aux.SessionID != nil {
    		if err := json.Unmarshal(aux.SessionID, &r.SessionID); err != nil {
    			return err
    		}
    	}
    	return nil
    }

    func (r Request) String() string { return fmt.Sprint(r.SessionID) }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": result},
                   policy='[defaults]\nstruct_tag = "accept-both"\n')


def test_inference_id_wiring_needs_the_packages_it_names(tmp_path: Path) -> None:
    before = """
    package a

    import "example.com/events"

    func step(eng Engine, t *Turn) events.EventMetadata {
    	eng.RunInference(ctx, t)
    	return events.EventMetadata{
    		TurnID: t.ID,
    	}
    }
    """
    assert_codemod(
        tmp_path, {"a.go": before}, {}, wiring=True,
        expected_warnings=[
            "the file does not import turns, uuid, which the InferenceID wiring "
            "(turns.KeyTurnMetaInferenceID; uuid.NewString()) needs; wire it by hand",
            "the file does not import turns, which the InferenceID wiring "
            "(turns.KeyTurnMetaInferenceID) needs; wire it by hand",
        ],
    )


def test_batched_gofmt_matches_gofmt_file_by_file(tmp_path: Path) -> None:
    """The default gofmt runs once for all files; the result, the gofmt states and the warnings
    are those of gofmt run on each file alone (a BOM file, an unformatted one)."""
    from idrename.gotool import find_toolchain, gofmt_source

    toolchain = find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text(go("""
        package a

        type T struct {
        	RunID string `json:"run_id"`
        	X     int
        }
        """))
    (root / "b.go").write_text("package a\n\nfunc f(runID   int) int { return runID }\n")
    (root / "c.go").write_bytes(b"\xef\xbb\xbfpackage a\n\nvar RunID = 1\n")
    (root / "d.go").write_text(go("""
        package a

        func g() int {
        	runID := 2
        	return runID
        }
        """))
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    decided = decide(inv.frame, pol)
    batched = build_patch(decided, inv.roots)
    one_by_one = build_patch(decided, inv.roots, gofmt=lambda src: gofmt_source(src, toolchain))
    assert [(f.path, f.after, f.gofmt) for f in batched.files] == \
        [(f.path, f.after, f.gofmt) for f in one_by_one.files]
    assert batched.warnings == one_by_one.warnings
    assert [f.gofmt for f in batched.changed()] == [
        "formatted", RENAMED_LINES_FORMATTED,
        "formatted; kept its byte order mark, which gofmt does not write", "formatted"]


def test_gofmt_answers_are_remembered_for_the_same_contents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second patch of the same files runs no gofmt: whether each file was clean and what
    gofmt made of it come from the result cache. An edited file is run through gofmt again."""
    from idrename import patch as patch_module
    from idrename.gotool import find_toolchain

    if find_toolchain() is None:
        pytest.skip("no Go toolchain")
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "mod"
    root.mkdir()
    for name in ("a", "b", "c"):
        (root / f"{name}.go").write_text(go(f"""
            package a

            type T{name} struct {{
            	RunID string `json:"run_id"`
            	X     int
            }}
            """))
    (root / "d.go").write_text("package a\n\nfunc f(runID   int) int { return runID }\n")
    pol = parse_policy(BASE_POLICY)

    def plan() -> list[tuple[str, bytes, str, list[str]]]:
        inv = scan([root], pol.spec)
        built = build_patch(decide(inv.frame, pol), inv.roots)
        return [(f.path, f.after, f.gofmt, f.warnings) for f in built.files]

    runs: list[tuple[str, int]] = []
    real = patch_module._gofmt_files

    def counting(toolchain: object, cwd: Path, flag: str, folder: str) -> object:
        runs.append((flag, len(list((cwd / folder).iterdir()))))
        return real(toolchain, cwd, flag, folder)  # type: ignore[arg-type]

    monkeypatch.setattr(patch_module, "_gofmt_files", counting)
    # the patch memo would answer for the unchanged files before gofmt is asked: off here
    monkeypatch.setattr(patch_module._PatchMemo, "get", lambda *args: None)
    first = plan()
    assert [state for _p, _a, state, _w in first].count("formatted") == 3
    runs.clear()
    assert plan() == first and runs == []
    (root / "a.go").write_text((root / "a.go").read_text().replace("X     int", "X     int64"))
    again = plan()
    assert runs == [("-w", 1)] or runs == [("-l", 1), ("-w", 1)]
    assert [p for p, *_ in again] == [p for p, *_ in first] and again[1:] == first[1:]



def test_files_the_patch_memo_knows_are_not_checked_by_gofmt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-plan whose files were all patched before, for the same content and rows, starts no
    ``gofmt -l`` on them, even when the gofmt memo lost what it knew of them (another plan's
    save dropped them, the cache was trimmed): their finished patches come from the patch memo.
    Before, every such file was copied out and listed by gofmt, for nothing (0.7 s on the
    benchmark tree's warm re-plans)."""
    from idrename import patch as patch_module
    from idrename.gotool import find_toolchain

    if find_toolchain() is None:
        pytest.skip("no Go toolchain")
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "mod"
    root.mkdir()
    for name in ("a", "b", "c"):
        (root / f"{name}.go").write_text(go(f"""
            package a

            type T{name} struct {{
            	RunID string `json:"run_id"`
            }}
            """))
    pol = parse_policy(BASE_POLICY)

    def plan() -> list[tuple[str, bytes, str]]:
        inv = scan([root], pol.spec)
        built = build_patch(decide(inv.frame, pol), inv.roots)
        return [(f.path, f.after, f.gofmt) for f in built.files]

    first = plan()
    assert [state for _p, _a, state in first] == ["formatted"] * 3
    checked: list[list[tuple[str, str]]] = []
    real = patch_module._CleanCheck

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, toolchain: object, files: dict[tuple[str, str], bytes]) -> None:
            checked.append(sorted(files))
            super().__init__(toolchain, files)

    monkeypatch.setattr(patch_module, "_CleanCheck", Recording)
    monkeypatch.setattr(patch_module._GofmtMemo, "clean", lambda *args: None)
    assert plan() == first
    assert checked == []
    # a file edited since is checked (with the others it may be batched with: none here)
    (root / "a.go").write_text((root / "a.go").read_text() + "\nvar RunID = 1\n")
    (root / "b.go").write_text((root / "b.go").read_text() + "\nvar runID = 2\n")
    plan()
    assert checked == [[(root.name, "a.go"), (root.name, "b.go")]]

# -- a file that was not gofmt-clean before: the rename's lines formatted, the rest as it was ------
def unclean_warning(path: str) -> str:
    return (f"{path}: was not gofmt-clean before the patch, so gofmt formatted only the lines the "
            "rename changed (where that rewrites none of the file's own lines) and left the rest "
            "as it was; run gofmt on the file separately to format all of it")


def gofmt_or_skip() -> Callable[[bytes], bytes]:
    from idrename.gotool import find_toolchain, gofmt_source

    toolchain = find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    return lambda src: gofmt_source(src, toolchain)


def patch_files(root: Path, files: dict[str, str], **options: Any) -> Patch:
    """The patch (RunID -> SessionID) of the Go files ``files`` written under ``root``."""
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(go(text))
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    return build_patch(decide(inv.frame, pol, inv.roots), inv.roots, cache=False, **options)


# Found on InfluxDB 1.6 (ShardID -> PartitionID) under a newer gofmt, which would add the
# //go:build line and space `x:=1`: the renamed field came out misaligned with its block.
UNCLEAN_ALIGNED = """
// +build linux

package a

type Meta struct {
	MaxRunID *uint64 // the largest
	Name     *string // its name
}

const (
	RunIDKey = 1
	Other    = 2
)

var m = Meta{
	MaxRunID: nil,
	Name:     nil,
}

func f() int {
	x:=RunIDKey
	return x
}
"""
UNCLEAN_REALIGNED = """
// +build linux

package a

type Meta struct {
	MaxSessionID *uint64 // the largest
	Name         *string // its name
}

const (
	SessionIDKey = 1
	Other        = 2
)

var m = Meta{
	MaxSessionID: nil,
	Name:         nil,
}

func f() int {
	x:=SessionIDKey
	return x
}
"""


def test_a_file_not_gofmt_clean_gets_the_rename_realigned_and_the_rest_kept(
        tmp_path: Path) -> None:
    gofmt = gofmt_or_skip()
    patch = patch_files(tmp_path / "mod", {"a.go": UNCLEAN_ALIGNED})
    (fp,) = patch.changed()
    assert fp.after.decode() == go(UNCLEAN_REALIGNED)
    assert fp.gofmt == RENAMED_LINES_FORMATTED
    assert patch.warnings == [unclean_warning("mod/a.go")]
    # every edit is there: gofmt makes of the result what it makes of the edited file
    assert gofmt(fp.after) == gofmt(go(UNCLEAN_ALIGNED).replace("RunID", "SessionID").encode())


def test_a_rename_on_lines_gofmt_would_rewrite_anyway_stays_as_edited(tmp_path: Path) -> None:
    """The renamed line is itself not gofmt-clean (`v:=runID`), or its block holds a line that
    is not (`n  = 2`, which gofmt would realign with or without the rename)."""
    gofmt_or_skip()
    before = """
    package a

    var (
    	runID = 1
    	n  = 2
    )

    func f() int {
    	v:=runID
    	return v + n
    }
    """
    patch = patch_files(tmp_path / "mod", {"a.go": before})
    (fp,) = patch.changed()
    assert fp.after.decode() == go(before).replace("runID", "sessionID")
    assert fp.gofmt == RENAMED_LINES_FORMATTED
    assert patch.warnings == [unclean_warning("mod/a.go")]


@pytest.mark.parametrize("batched", [True, False])
def test_a_merge_gofmt_does_not_prove_is_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batched: bool) -> None:
    """A merge that lost an edit (here: a broken merge that puts one name back) formats to
    something else than the edited file does: the file is left as edited, in both paths."""
    from idrename import patch as patch_module

    gofmt = gofmt_or_skip()
    real = patch_module.merge_formatted

    def losing_an_edit(*args: bytes) -> bytes:
        return real(*args).replace(b"MaxSessionID", b"MaxRunID", 1)

    monkeypatch.setattr(patch_module, "merge_formatted", losing_an_edit)
    files = {"a.go": UNCLEAN_ALIGNED, "b.go": "package a\n\nvar runID = 1\n"}
    patch = patch_files(tmp_path / "mod", files, **({} if batched else {"gofmt": gofmt}))
    after = {fp.path: (fp.after.decode(), fp.gofmt) for fp in patch.changed()}
    assert after == {
        "a.go": (go(UNCLEAN_ALIGNED).replace("RunID", "SessionID"), RENAMED_LINES_FORMATTED),
        "b.go": ("package a\n\nvar sessionID = 1\n", "formatted"),
    }
    assert patch.warnings == [unclean_warning("mod/a.go")]


def test_batched_gofmt_formats_the_renamed_lines_in_the_same_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files that were not gofmt-clean are formatted as gofmt run on each file alone would,
    in the batch's runs: one `gofmt -w` for every edited file and every unclean file as it was,
    one for the merges to prove. A second patch of the same files asks gofmt nothing."""
    from idrename import patch as patch_module

    gofmt = gofmt_or_skip()
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "mod"
    files = {
        "a.go": "package a\n\ntype T struct {\n\tRunID string\n\tX     int\n}\n",
        "b.go": UNCLEAN_ALIGNED,
        "c.go": UNCLEAN_ALIGNED.replace("Meta", "Other").replace("RunIDKey", "RunIDMax"),
        "d.go": "package a\n\nfunc g(runID   int) int { return runID }\n",
    }
    for name, text in files.items():
        root.mkdir(exist_ok=True)
        (root / name).write_text(go(text))
    pol = parse_policy(BASE_POLICY)
    runs: list[tuple[str, int]] = []
    real = patch_module._gofmt_files

    def counting(toolchain: object, cwd: Path, flag: str, folder: str) -> object:
        runs.append((flag, len(list((cwd / folder).iterdir()))))
        return real(toolchain, cwd, flag, folder)  # type: ignore[arg-type]

    monkeypatch.setattr(patch_module, "_gofmt_files", counting)
    # the patch memo would answer for the unchanged files before gofmt is asked: off here
    monkeypatch.setattr(patch_module._PatchMemo, "get", lambda *args: None)

    def plan(**options: Any) -> list[tuple[str, bytes, str, list[str]]]:
        inv = scan([root], pol.spec)
        built = build_patch(decide(inv.frame, pol), inv.roots, **options)
        return [(f.path, f.after, f.gofmt, f.warnings) for f in built.files]

    batched = plan()
    # `gofmt -l` ran in the background; then the 4 edited files and 3 unclean ones as they
    # were, then the 2 merges (d.go's rename is on a line gofmt rewrites: nothing to merge)
    assert runs == [("-w", 7), ("-w", 2)]
    assert batched == plan(gofmt=gofmt)
    assert [state for _p, _a, state, _w in batched] == ["formatted"] + [
        RENAMED_LINES_FORMATTED] * 3
    assert batched[1][1].decode() == go(UNCLEAN_REALIGNED)
    assert batched[3][1].decode() == go(files["d.go"]).replace("runID", "sessionID")
    runs.clear()
    assert plan() == batched and runs == []


# -- what gofmt is not given: a byte order mark, CRLF line endings; a file it cannot read ---------
ALIGNED = """
package a

// Rec is a record.
type Rec struct {
	RunID string
	Name  string
}

func Get(r Rec) string { return r.RunID }
"""
REALIGNED = """
package a

// Rec is a record.
type Rec struct {
	SessionID string
	Name      string
}

func Get(r Rec) string { return r.SessionID }
"""
CRLF_KEPT = "formatted; kept its CRLF line endings, which gofmt does not write"


def crlf(text: str) -> bytes:
    return go(text).replace("\n", "\r\n").encode()


def patch_bytes(root: Path, files: dict[str, bytes], *, batched: bool = True) -> Patch:
    """The patch (RunID -> SessionID) of the files ``files`` written under ``root`` as they are,
    with a gofmt-clean file beside them, so that the default gofmt formats them in one batch
    (``batched``), or with the real gofmt called on each file alone."""
    gofmt = gofmt_or_skip()
    root.mkdir()
    for name, data in {**files, "z.go": b"package a\n\nvar runID = 1\n"}.items():
        (root / name).write_bytes(data)
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    return build_patch(decide(inv.frame, pol, inv.roots), inv.roots, cache=False,
                       **({} if batched else {"gofmt": gofmt}))


def changed_files(patch: Patch) -> dict[str, tuple[bytes, str]]:
    """Each changed file but the one :func:`patch_bytes` adds: (after, gofmt state)."""
    return {fp.path: (fp.after, fp.gofmt) for fp in patch.changed() if fp.path != "z.go"}


def git_applies(tmp_path: Path, root: Path, patch: Patch) -> None:
    """``git apply`` takes the patch's diff in a fresh repository of ``root``, and leaves each
    file as the patch says, byte for byte."""
    diff = tmp_path / "patch.diff"
    diff.write_bytes(unified_diff(patch).encode("utf-8", "surrogateescape"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    applied = subprocess.run(["git", "-C", str(root), "apply", str(diff)],
                             capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert {fp.path: (root / fp.path).read_bytes() for fp in patch.changed()} == \
        {fp.path: fp.after for fp in patch.changed()}


@pytest.mark.parametrize("batched", [True, False])
def test_a_crlf_file_is_formatted_as_an_lf_file_and_keeps_its_line_endings(
        tmp_path: Path, batched: bool) -> None:
    """gofmt writes LF, so a CRLF file never came out of it as it went in: it was left
    unformatted, the renamed field misaligned with its block. Now it is formatted as the same
    file with LF line endings, which then get their CR back: the diff is that of an LF file."""
    from idrename.patch import gofmt_clean_before

    root = tmp_path / "mod"
    files = {"a.go": crlf(ALIGNED), "b.go": crlf(UNCLEAN_ALIGNED)}
    patch = patch_bytes(root, files, batched=batched)
    assert changed_files(patch) == {
        "a.go": (crlf(REALIGNED), CRLF_KEPT),
        "b.go": (crlf(UNCLEAN_REALIGNED), f"{RENAMED_LINES_FORMATTED}; kept its CRLF line "
                 "endings, which gofmt does not write"),
    }
    assert patch.warnings == [unclean_warning("mod/b.go")]  # the column says CRLF was kept
    # gofmt -l lists a CRLF file, before the patch as after: verify must not blame the patch
    assert [gofmt_clean_before(state) for _after, state in changed_files(patch).values()] == \
        [False, False]
    git_applies(tmp_path, root, patch)


@pytest.mark.parametrize("batched", [True, False])
def test_a_file_with_mixed_line_endings_keeps_each_lines_own(
        tmp_path: Path, batched: bool) -> None:
    """Some lines end CRLF, some LF: the file is formatted as LF text, then each line the patch
    leaves gets its own ending back, and each line it changes that of the line it replaces."""
    endings = ["\r\n", "\r\n", "\n", "\r\n", "\n", "\r\n", "\n", "\r\n", "\n"]

    def mixed(text: str) -> bytes:
        lines = go(text).split("\n")[:-1]
        return "".join(map(str.__add__, lines, endings)).encode()

    root = tmp_path / "mod"
    patch = patch_bytes(root, {"a.go": mixed(ALIGNED)}, batched=batched)
    assert changed_files(patch) == {"a.go": (mixed(REALIGNED), CRLF_KEPT.replace(
        "its CRLF line endings", "its line endings, CRLF and LF mixed"))}
    assert patch.warnings == [
        "mod/a.go: mixes CRLF and LF line endings (5 CRLF, 4 LF): it was formatted with LF line "
        "endings, then each line the patch leaves was given its own ending back, and each line "
        "it changes or adds the ending of the line it replaces (or else of the line above)"]
    git_applies(tmp_path, root, patch)


def test_an_import_the_patch_adds_to_a_file_not_gofmt_clean_is_written_once(
        tmp_path: Path) -> None:
    # Found on an access-log analyzer (Timestamp -> OccurredAt, default policy): its main.go was
    # not gofmt-clean, and the dual-key MarshalJSON needs "bytes". The patch put the import at
    # the block's top, gofmt sorted it after "bufio", and the merge of the rename's lines took
    # both: `"bytes" redeclared in this block`. The import now goes where gofmt sorts it.
    before = """
    package main

    import (
    	"bufio"
    	"encoding/json"
    	"fmt"
    	"os"
    )

    // Entry is a parsed log line.
    type Entry struct {
    	IP        string `json:"ip"`
    	Timestamp string `json:"timestamp"`
    }

    func main() {
    	s := bufio.NewScanner(os.Stdin)
    	for s.Scan() {
    		b, _ := json.Marshal(Entry{IP: s.Text(), Timestamp: "now"})
    		fmt.Println(string(b))
    	}
    	n  := 0 // (not gofmt-clean)
    	_ = n
    }
    """
    test = """
    package main

    import "testing"

    func TestEntry(t *testing.T) {}
    """
    from idrename import gotool

    root, _analysis, patch = workflow_plan(tmp_path, {"main.go": before, "main_test.go": test},
                                           terms("Timestamp", "OccurredAt"))
    (fp,) = patch.changed()
    assert fp.gofmt == RENAMED_LINES_FORMATTED
    after = fp.after.decode()
    assert after.startswith('package main\n\nimport (\n\t"bufio"\n\t"bytes"\n\t"encoding/json"\n')
    assert after.count('"bytes"') == 1 and "func (e Entry) MarshalJSON()" in after
    assert "\tn  := 0 // (not gofmt-clean)\n" in after  # the file's own layout, kept
    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    (root / "main.go").write_text(after)
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


@pytest.mark.parametrize("batched", [True, False])
def test_a_merge_that_writes_an_import_twice_is_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batched: bool) -> None:
    """gofmt drops an import written twice, so a merge that wrote one twice formats to what the
    edited file does; but the compiler refuses it: the words must be the edited file's too."""
    from idrename import patch as patch_module

    gofmt = gofmt_or_skip()
    real = patch_module.merge_formatted

    def twice(*args: bytes) -> bytes:
        return real(*args).replace(b'import (\n', b'import (\n\t"fmt"\n', 1)

    monkeypatch.setattr(patch_module, "merge_formatted", twice)
    before = """
    package a

    import (
    	"fmt"
    )

    var (
    	runID = 1
    	long = fmt.Sprint(2)
    )

    func f() int {
    	x:=runID
    	return x
    }
    """
    patch = patch_files(tmp_path / "mod", {"a.go": before},
                        **({} if batched else {"gofmt": gofmt}))
    (fp,) = patch.changed()
    assert fp.after.decode() == go(before).replace("runID", "sessionID")
    assert fp.gofmt == RENAMED_LINES_FORMATTED
    assert patch.warnings == [unclean_warning("mod/a.go")]


def test_a_byte_order_mark_is_kept_and_not_counted_as_gofmt_clean(tmp_path: Path) -> None:
    """gofmt drops a byte order mark, so gofmt -l lists a file that has one: its state said
    "formatted", and verify then blamed the patch for the file not being gofmt-clean."""
    from idrename.verify import changed_from_patch

    root = tmp_path / "mod"
    bom = b"\xef\xbb\xbf"
    patch = patch_bytes(root, {"a.go": bom + go(ALIGNED).encode(),
                               "b.go": bom + crlf(ALIGNED)})
    assert changed_files(patch) == {
        "a.go": (bom + go(REALIGNED).encode(),
                 "formatted; kept its byte order mark, which gofmt does not write"),
        "b.go": (bom + crlf(REALIGNED), "formatted; kept its byte order mark and its CRLF line "
                 "endings, which gofmt does not write"),
    }
    assert changed_from_patch(patch) == {"mod": {"a.go": False, "b.go": False, "z.go": True}}
    assert patch.warnings == []  # (b.go: CRLF kept, as its gofmt column says)


@pytest.mark.parametrize("batched", [True, False])
def test_a_file_gofmt_cannot_read_is_edited_without_formatting_and_says_why(
        tmp_path: Path, batched: bool) -> None:
    """A syntax error the grammar reads past but gofmt does not: the file is renamed, nothing
    formatted, and the warning says so (it said the rename's lines were formatted)."""
    from idrename.patch import NOT_READ

    before = ALIGNED + "\nfunc f(runIDs ...int, n int) int { return n }\n"
    patch = patch_bytes(tmp_path / "mod", {"a.go": go(before).encode()}, batched=batched)
    edited = go(before).replace("RunID", "SessionID").replace("runID", "sessionID")
    assert changed_files(patch) == {"a.go": (edited.encode(), NOT_READ)}
    assert patch.warnings == [
        "mod/a.go: edited without formatting, since gofmt cannot read the file (a.go:11:15: can "
        "only use ... with final parameter); fix the syntax error gofmt reports, then run the "
        "plan again, or align the rename's lines by hand"]


@pytest.mark.parametrize("batched", [True, False])
def test_an_edit_gofmt_cannot_read_in_a_file_not_gofmt_clean_is_left_as_edited(
        batched: bool) -> None:
    """The edited file of a file that was not gofmt-clean does not parse (a transformation's
    bug, made up here): it is left as edited, and the warning says why."""
    from idrename.gotool import find_toolchain
    from idrename.patch import EDITED_NOT_READ, FilePatch, format_files

    gofmt_or_skip()
    broken = FilePatch("mod", "a.go", b"package a\n\nvar  runID = 1\n",
                       b"package a\n\nvar  sessionID = = 1\n")
    clean = FilePatch("mod", "b.go", b"package a\n\nvar runID = 1\n",
                      b"package a\n\nvar sessionID = 1\n")
    format_files([broken, clean] if batched else [broken], find_toolchain())
    assert (broken.after, broken.gofmt) == (b"package a\n\nvar  sessionID = = 1\n", EDITED_NOT_READ)
    assert broken.warnings == [
        "a.go: left as edited, without formatting: gofmt read the file as it was but cannot "
        "read it edited (a.go:3:18: expected operand, found '='); check this file's diff, and "
        "report it with this file (a bug in a transformation)"]


def test_a_file_gofmt_clean_only_after_the_rename_is_not_told_to_run_gofmt(
        tmp_path: Path) -> None:
    """What gofmt would have changed was the padding the rename fills: the result is gofmt's
    version of the whole file, so no warning asks to run gofmt on it."""
    from idrename.patch import CLEAN_AFTER_RENAME, gofmt_clean_before

    before = "package a\n\ntype Rec struct {\n\tRunID string\n\tName      string\n}\n"
    patch = patch_bytes(tmp_path / "mod", {"a.go": before.encode()})
    after = before.replace("RunID", "SessionID").encode()
    assert changed_files(patch) == {"a.go": (after, CLEAN_AFTER_RENAME)}
    assert patch.warnings == []
    assert gofmt_clean_before(CLEAN_AFTER_RENAME) is False


def test_the_diff_cuts_lines_at_lf_only(tmp_path: Path) -> None:
    """A form feed, a lone CR or a U+2028 inside a line broke the diff (str.splitlines cuts
    lines there, and each piece got a "No newline at end of file"): git apply refused it."""
    root = tmp_path / "mod"
    before = ("package a\n\n// One.\f Two.\nvar runID = 1\n\n// a\rb \u2028 c\n"
              "var n = runID\n").encode()
    patch = patch_bytes(root, {"a.go": before})
    assert changed_files(patch)["a.go"][0] == before.replace(b"runID", b"sessionID")
    git_applies(tmp_path, root, patch)


def test_directives_and_funcs_without_a_body_keep_their_names(tmp_path: Path) -> None:
    # Found on Go's internal/syscall/unix (--from Buf --to Buffer): the patch imported a libc
    # symbol arc4random_buffer that does not exist, and renamed the trampoline that
    # asm_darwin.s defines as ·libc_arc4random_buf_trampoline.
    before = """
        package unix

        import "internal/abi"

        //go:cgo_import_dynamic libc_run_id run_id "/usr/lib/libSystem.B.dylib"

        func libc_run_id_trampoline()

        // RunID calls the run_id(3) function.
        func RunID(runID []byte) {
        	syscall(abi.FuncPCABI0(libc_run_id_trampoline), runID)
        }

        func syscall(fn uintptr, b []byte) {}
        """
    after = """
        package unix

        import "internal/abi"

        //go:cgo_import_dynamic libc_run_id run_id "/usr/lib/libSystem.B.dylib"

        func libc_run_id_trampoline()

        // SessionID calls the session_id(3) function.
        func SessionID(sessionID []byte) {
        	syscall(abi.FuncPCABI0(libc_run_id_trampoline), sessionID)
        }

        func syscall(fn uintptr, b []byte) {}
        """
    asm = "TEXT ·libc_run_id_trampoline(SB),NOSPLIT,$0-0; JMP libc_run_id(SB)\n"
    assert_codemod(tmp_path, {"a.go": before, "asm_darwin.s": asm}, {"a.go": after})


def test_a_header_after_an_escape_is_renamed_as_a_header(tmp_path: Path) -> None:
    # Found on Go's net/http: `"...\r\nUser-Agent: ..."` was read as the token `nUser-Agent`,
    # which is no header name, so a rule for headers missed it. The escape's letter is not part
    # of the token now, in a raw string too; other strings stay for review.
    before = r'''
    package wire

    const (
    	dump = "GET\r\nX-Run-ID: 1\tRunID"
    	raw  = `GET\r\nX-Run-ID: 1 C:\runID`
    )
    '''
    after = r'''
    package wire

    const (
    	dump = "GET\r\nX-Session-ID: 1\tRunID"
    	raw  = `GET\r\nX-Session-ID: 1 C:\runID`
    )
    '''
    assert_codemod(tmp_path, {"wire.go": before}, {"wire.go": after},
                   policy='[defaults]\nhttp_header = "rename"\n')


def write_module(tmp_path: Path, files: dict[str, str]) -> Path:
    """The files (dedented) under ``tmp_path / "mod"``, as :func:`assert_codemod` writes them."""
    root = tmp_path / "mod"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    return root


def decisions_of(root: Path, pol: Policy, *rows: tuple[str, str]) -> list[tuple[str, ...]]:
    """(path, role, text, decision, decided_by) of the rows of ``rows`` ((path, text) each)."""
    inv = scan([root], pol.spec, sections=pol.sections)
    decided = decide(inv.frame, pol)
    wanted = decided[[(p, t) in rows
                      for p, t in zip(decided["path"], decided["text"], strict=True)]]
    return list(wanted[["path", "role", "text", "decision", "decided_by"]]
                .itertuples(index=False, name=None))


def test_the_arguments_of_a_func_without_a_body_keep_their_names(tmp_path: Path) -> None:
    # Found on Go's runtime (--from Buf --to Buffer): `func gogo(buf *gobuf)` became `buffer`
    # and go vet failed on asm_amd64.s: "gogo: unknown variable buf; offset 0 is buffer+0(FP)".
    before = """
        package rt

        type runIDBuf struct{ sp uintptr }

        func gogo(runID *runIDBuf)

        func getRunID() (runID uint64)

        func save(runID *runIDBuf) uint64 { gogo(runID); return getRunID() }
        """
    after = """
        package rt

        type sessionIDBuf struct{ sp uintptr }

        func gogo(runID *sessionIDBuf)

        func getRunID() (runID uint64)

        func save(sessionID *sessionIDBuf) uint64 { gogo(sessionID); return getRunID() }
        """
    asm = go("""
        #include "textflag.h"

        TEXT ·gogo(SB), NOSPLIT, $0-8
        	MOVQ	runID+0(FP), BX
        	RET

        TEXT ·getRunID(SB), NOSPLIT, $0-8
        	MOVQ	AX, runID+0(FP)
        	RET
        """)
    files = {"rt.go": before, "asm_amd64.s": asm}
    assert decisions_of(write_module(tmp_path, files), parse_policy(BASE_POLICY),
                        ("rt.go", "runID")) == [
        ("rt.go", "parameter", "runID", "keep", "no-body"),
        ("rt.go", "parameter", "runID", "keep", "no-body"),
        ("rt.go", "parameter", "runID", "rename", "builtin:parameter"),
        ("rt.go", "local_use", "runID", "rename", "builtin:local_use"),
    ]
    assert_codemod(tmp_path, files, {"rt.go": after})


def test_a_func_or_var_a_linkname_names_keeps_its_name(tmp_path: Path) -> None:
    # Found on Go's runtime (--from KeepAlive --to Heartbeat): `func cgoKeepAlive` became
    # cgoHeartbeat and the build failed on linkname.go's `//go:linkname cgoKeepAlive`: "must
    # refer to declared function or variable"; cmd/cgo and other packages use the old name.
    files = {
        "go.mod": "module example.com/m\n\ngo 1.22\n",
        "rt/rt.go": """
            package rt

            import _ "unsafe"

            //go:linkname runIDHook
            func runIDHook(x int) int { return x }

            //go:linkname runIDCount
            var runIDCount int

            //go:linkname localRunID example.com/m/other.remoteRunID
            func localRunID() int

            func useRunID() int { return runIDHook(runIDCount) + localRunID() }
            """,
        "other/other.go": """
            package other

            func remoteRunID() int { return 1 }

            func otherRunID() int { return remoteRunID() }
            """,
    }
    after = {
        "rt/rt.go": """
            package rt

            import _ "unsafe"

            //go:linkname runIDHook
            func runIDHook(x int) int { return x }

            //go:linkname runIDCount
            var runIDCount int

            //go:linkname localRunID example.com/m/other.remoteRunID
            func localRunID() int

            func useSessionID() int { return runIDHook(runIDCount) + localRunID() }
            """,
        "other/other.go": """
            package other

            func remoteRunID() int { return 1 }

            func otherSessionID() int { return remoteRunID() }
            """,
    }
    pol = parse_policy(BASE_POLICY)
    declared = [("rt/rt.go", "runIDHook"), ("rt/rt.go", "runIDCount"),
                ("other/other.go", "remoteRunID")]
    assert decisions_of(write_module(tmp_path, files), pol, *declared) == [
        ("other/other.go", "func_decl", "remoteRunID", "keep", "linkname"),
        ("other/other.go", "func_call", "remoteRunID", "keep", "linkname"),
        ("rt/rt.go", "directive", "runIDHook", "keep", "builtin:directive"),
        ("rt/rt.go", "func_decl", "runIDHook", "keep", "linkname"),
        ("rt/rt.go", "directive", "runIDCount", "keep", "builtin:directive"),
        ("rt/rt.go", "var_decl", "runIDCount", "keep", "linkname"),
        ("rt/rt.go", "func_call", "runIDHook", "keep", "linkname"),
        ("rt/rt.go", "package_use", "runIDCount", "keep", "linkname"),
    ]
    assert_codemod(tmp_path, files, after)


CFG_FILES = {
    "go.mod": "module example.com/m\n\ngo 1.22\n",
    "cfg/cfg.go": """
        package cfg

        var BuildX bool
        """,
    "cfg/cfg_test.go": """
        package cfg_test

        import (
        	"testing"

        	"example.com/m/cfg"
        )

        func TestBuildX(t *testing.T) { _ = cfg.BuildX }
        """,
    "run/run.go": """
        package run

        import "example.com/m/cfg"

        func runCfg() bool { return cfg.BuildX }
        """,
}


def test_a_package_keeps_its_name_in_every_file_when_one_file_keeps_it(tmp_path: Path) -> None:
    # Found on Go's cmd/go (--from Cfg --to Config): `package cfg` became `package config` in
    # cfg.go and bench_test.go but not in the generated zdefaultcc.go, and the build failed:
    # "found packages config (bench_test.go) and cfg (zdefaultcc.go)".
    files = {**CFG_FILES, "cfg/zdefaultcc.go": """
        // Code generated by go tool dist; DO NOT EDIT.

        package cfg

        const DefaultCC = "gcc"
        """}
    pol = parse_policy(terms("Cfg", "Config"))
    clauses = [("cfg/cfg.go", "cfg"), ("cfg/cfg_test.go", "cfg_test"),
               ("cfg/cfg_test.go", "cfg"), ("cfg/zdefaultcc.go", "cfg"), ("run/run.go", "cfg")]
    assert decisions_of(write_module(tmp_path, files), pol, *clauses) == [
        ("cfg/cfg.go", "package_use", "cfg", "keep", "package-name"),
        ("cfg/cfg_test.go", "package_use", "cfg_test", "keep", "package-name"),
        ("cfg/cfg_test.go", "import_path", "cfg", "keep", "builtin:import_path"),
        ("cfg/cfg_test.go", "package_use", "cfg", "keep", "package-name"),
        ("cfg/zdefaultcc.go", "package_use", "cfg", "keep", "generated"),
        ("run/run.go", "import_path", "cfg", "keep", "builtin:import_path"),
        ("run/run.go", "package_use", "cfg", "keep", "package-name"),
    ]
    after = {"run/run.go": """
        package run

        import "example.com/m/cfg"

        func runConfig() bool { return cfg.BuildX }
        """}
    assert_codemod(tmp_path, files, after, base=terms("Cfg", "Config"))


def test_the_qualifiers_of_a_renamed_package_follow_its_name(tmp_path: Path) -> None:
    # No file keeps the name, but a rule keeps the qualifiers of one importer: they follow the
    # package clauses, or `cfg.BuildX` would name a package the import no longer binds.
    after = {
        "cfg/cfg.go": """
            package config

            var BuildX bool
            """,
        "cfg/cfg_test.go": """
            package config_test

            import (
            	"testing"

            	"example.com/m/cfg"
            )

            func TestBuildX(t *testing.T) { _ = config.BuildX }
            """,
        "run/run.go": """
            package run

            import "example.com/m/cfg"

            func runCfg() bool { return config.BuildX }
            """,
    }
    rule = '[[rule]]\npath = "run/*"\ndecision = "keep"\nrationale = "not this package"\n'
    assert_codemod(tmp_path, CFG_FILES, after, base=terms("Cfg", "Config") + rule)


def test_dual_json_tag_writes_both_keys_and_reads_either(tmp_path: Path) -> None:
    # Found on InfluxDB 1.6 (ShardID -> PartitionID): backup manifests are written and read back
    # with one struct; dual added only a MarshalJSON, so a manifest written before the rename
    # decoded with PartitionID 0; the UnmarshalJSON compared a uint64 field with ""; and two
    # renamed tags in one struct got two MarshalJSON methods, which does not compile. The legacy
    # key is written with the tag's options (omitempty), and read without them.
    before = """
    package a

    import "time"

    type Entry struct {
    	RunID  uint64        `json:"run_id,omitempty"`
    	RunIDs []uint64      `json:"run_ids"`
    	Age    time.Duration `json:"age"`
    }
    """
    after = """
    package a

    import "time"
    import "bytes"
    import "encoding/json"

    type Entry struct {
    	SessionID  uint64        `json:"session_id,omitempty"`
    	SessionIDs []uint64      `json:"session_ids"`
    	Age        time.Duration `json:"age"`
    }

    // MarshalJSON writes each value under both its key and its legacy key:
    // "session_id" and "run_id", "session_ids" and "run_ids".
    func (e Entry) MarshalJSON() ([]byte, error) {
    	type plain Entry
    	var out bytes.Buffer
    	enc := json.NewEncoder(&out)
    	enc.SetEscapeHTML(false) // (the encoder calling this one escapes as it is set)
    	err := enc.Encode(struct {
    		plain
    		LegacySessionID  uint64   `json:"run_id,omitempty"`
    		LegacySessionIDs []uint64 `json:"run_ids"`
    	}{plain(e), e.SessionID, e.SessionIDs})
    	return bytes.TrimSuffix(out.Bytes(), []byte("\\n")), err
    }

    // UnmarshalJSON accepts each legacy key when its new key is absent:
    // "run_id" for "session_id", "run_ids" for "session_ids".
    func (e *Entry) UnmarshalJSON(data []byte) error {
    	type plain Entry
    	aux := struct {
    		*plain
    		SessionID        json.RawMessage `json:"session_id"`
    		LegacySessionID  json.RawMessage `json:"run_id"`
    		SessionIDs       json.RawMessage `json:"session_ids"`
    		LegacySessionIDs json.RawMessage `json:"run_ids"`
    	}{plain: (*plain)(e)}
    	if err := json.Unmarshal(data, &aux); err != nil {
    		return err
    	}
    	if aux.SessionID == nil {
    		aux.SessionID = aux.LegacySessionID
    	}
    	if aux.SessionID != nil {
    		if err := json.Unmarshal(aux.SessionID, &e.SessionID); err != nil {
    			return err
    		}
    	}
    	if aux.SessionIDs == nil {
    		aux.SessionIDs = aux.LegacySessionIDs
    	}
    	if aux.SessionIDs != nil {
    		if err := json.Unmarshal(aux.SessionIDs, &e.SessionIDs); err != nil {
    			return err
    		}
    	}
    	return nil
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nstruct_tag = "dual"\n')


def test_a_struct_that_has_the_method_already_gets_a_warning(tmp_path: Path) -> None:
    before = """
    package a

    type Entry struct {
    	RunID string `json:"run_id"`
    }

    func (e *Entry) UnmarshalJSON(b []byte) error { return nil }
    """
    after = """
    package a

    type Entry struct {
    	SessionID string `json:"session_id"`
    }

    func (e *Entry) UnmarshalJSON(b []byte) error { return nil }
    """
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text(go(before))
    patch = plan(root, parse_policy(BASE_POLICY + '[defaults]\nstruct_tag = "accept-both"\n'))
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {"a.go": go(after)}
    assert patch.warnings == [
        "mod/a.go:4: Entry already has UnmarshalJSON; merge the legacy 'run_id' key into it by "
        "hand"]



SHIMMED = """
package a

import "encoding/json"

type Entry struct {
	ConvID    string `json:"conv_id"`
	SessionID string `json:"session_id"`
	Turns     []int  `json:"turns,omitempty"`
}

// MarshalJSON writes the value under both "session_id" and the legacy "run_id" key.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry
	return json.Marshal(struct {
		plain
		LegacySessionID string `json:"run_id"`
	}{plain(e), e.SessionID})
}

// UnmarshalJSON accepts the legacy "run_id" key when "session_id" is absent.
func (e *Entry) UnmarshalJSON(data []byte) error {
	type plain Entry
	var aux struct {
		plain
		LegacySessionID string `json:"run_id"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*e = Entry(aux.plain)
	if e.SessionID == "" {
		e.SessionID = aux.LegacySessionID
	}
	return nil
}
"""


def go_test_as_patched(tmp_path: Path, test: str) -> None:
    """Run ``test`` (a_test.go) with `go test` in the module ``assert_codemod`` patched."""
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    root = tmp_path / "mod"
    (root / "go.mod").write_text("module example.com/a\n\ngo 1.21\n")
    (root / "a_test.go").write_text(go(test))
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_a_legacy_key_is_merged_into_the_methods_an_earlier_rename_wrote(tmp_path: Path) -> None:
    # The library renamed several names at once: after RunID -> SessionID wrote Entry's legacy
    # key methods, ConvID -> ThreadID found them declared, and could only warn. They are
    # idrename's own (their text is what it writes for the keys they name), so they are
    # written again with the new key after theirs.
    after = """
    package a

    import "encoding/json"
    import "bytes"

    type Entry struct {
    	ThreadID  string `json:"thread_id"`
    	SessionID string `json:"session_id"`
    	Turns     []int  `json:"turns,omitempty"`
    }

    // MarshalJSON writes each value under both its key and its legacy key:
    // "session_id" and "run_id", "thread_id" and "conv_id".
    func (e Entry) MarshalJSON() ([]byte, error) {
    	type plain Entry
    	var out bytes.Buffer
    	enc := json.NewEncoder(&out)
    	enc.SetEscapeHTML(false) // (the encoder calling this one escapes as it is set)
    	err := enc.Encode(struct {
    		plain
    		LegacySessionID string `json:"run_id"`
    		LegacyThreadID  string `json:"conv_id"`
    	}{plain(e), e.SessionID, e.ThreadID})
    	return bytes.TrimSuffix(out.Bytes(), []byte("\\n")), err
    }

    // UnmarshalJSON accepts each legacy key when its new key is absent:
    // "run_id" for "session_id", "conv_id" for "thread_id".
    func (e *Entry) UnmarshalJSON(data []byte) error {
    	type plain Entry
    	aux := struct {
    		*plain
    		SessionID       json.RawMessage `json:"session_id"`
    		LegacySessionID json.RawMessage `json:"run_id"`
    		ThreadID        json.RawMessage `json:"thread_id"`
    		LegacyThreadID  json.RawMessage `json:"conv_id"`
    	}{plain: (*plain)(e)}
    	if err := json.Unmarshal(data, &aux); err != nil {
    		return err
    	}
    	if aux.SessionID == nil {
    		aux.SessionID = aux.LegacySessionID
    	}
    	if aux.SessionID != nil {
    		if err := json.Unmarshal(aux.SessionID, &e.SessionID); err != nil {
    			return err
    		}
    	}
    	if aux.ThreadID == nil {
    		aux.ThreadID = aux.LegacyThreadID
    	}
    	if aux.ThreadID != nil {
    		if err := json.Unmarshal(aux.ThreadID, &e.ThreadID); err != nil {
    			return err
    		}
    	}
    	return nil
    }
    """
    assert_codemod(tmp_path, {"a.go": SHIMMED}, {"a.go": after},
                   base=terms("ConvID", "ThreadID"), policy='[defaults]\nstruct_tag = "dual"\n')
    go_test_as_patched(tmp_path, """
        package a

        import (
        	"encoding/json"
        	"testing"
        )

        func TestLegacyKeys(t *testing.T) {
        	var e Entry
        	if err := json.Unmarshal([]byte(`{"run_id":"s","conv_id":"c"}`), &e); err != nil ||
        		e.SessionID != "s" || e.ThreadID != "c" {
        		t.Fatal(e, err)
        	}
        	out, _ := json.Marshal(e)
        	want := `{"thread_id":"c","session_id":"s","run_id":"s","conv_id":"c"}`
        	if string(out) != want {
        		t.Fatal(string(out))
        	}
        }
        """)


def test_a_method_of_the_users_own_is_left_to_merge_by_hand(tmp_path: Path) -> None:
    # One line changed by hand: not idrename's method any more.
    edited = SHIMMED.replace("return err\n", "return fmt.Errorf(\"entry: %w\", err)\n")
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text(go(edited))
    patch = plan(root, parse_policy(terms("ConvID", "ThreadID")
                                    + '[defaults]\nstruct_tag = "accept-both"\n'))
    assert [w.split(": ", 1)[1] for w in patch.warnings] == [
        "Entry already has UnmarshalJSON; merge the legacy 'conv_id' key into it by hand"]


def test_a_field_renamed_again_gets_a_second_legacy_key(tmp_path: Path) -> None:
    # RunID -> SessionID wrote the methods; SessionID -> ChatID renames the same field again:
    # run_id and session_id both stay readable (and written, under dual-emit), and the latest
    # one wins when an input has both.
    files = {"a.go": SHIMMED.replace("ConvID    string `json:\"conv_id\"`\n\t", "")}
    after = """
    package a

    import "encoding/json"
    import "bytes"

    type Entry struct {
    	ChatID string `json:"chat_id"`
    	Turns  []int  `json:"turns,omitempty"`
    }

    // MarshalJSON writes each value under both its key and its legacy key:
    // "chat_id" and "session_id", "chat_id" and "run_id".
    func (e Entry) MarshalJSON() ([]byte, error) {
    	type plain Entry
    	var out bytes.Buffer
    	enc := json.NewEncoder(&out)
    	enc.SetEscapeHTML(false) // (the encoder calling this one escapes as it is set)
    	err := enc.Encode(struct {
    		plain
    		LegacyChatID  string `json:"session_id"`
    		LegacyChatID2 string `json:"run_id"`
    	}{plain(e), e.ChatID, e.ChatID})
    	return bytes.TrimSuffix(out.Bytes(), []byte("\\n")), err
    }

    // UnmarshalJSON accepts each legacy key when its new key is absent:
    // "session_id" for "chat_id", "run_id" for "chat_id".
    func (e *Entry) UnmarshalJSON(data []byte) error {
    	type plain Entry
    	aux := struct {
    		*plain
    		ChatID        json.RawMessage `json:"chat_id"`
    		LegacyChatID  json.RawMessage `json:"session_id"`
    		LegacyChatID2 json.RawMessage `json:"run_id"`
    	}{plain: (*plain)(e)}
    	if err := json.Unmarshal(data, &aux); err != nil {
    		return err
    	}
    	if aux.ChatID == nil {
    		aux.ChatID = aux.LegacyChatID
    	}
    	if aux.ChatID == nil {
    		aux.ChatID = aux.LegacyChatID2
    	}
    	if aux.ChatID != nil {
    		if err := json.Unmarshal(aux.ChatID, &e.ChatID); err != nil {
    			return err
    		}
    	}
    	return nil
    }
    """
    assert_codemod(tmp_path, files, {"a.go": after},
                   base=terms("SessionID", "ChatID"), policy='[defaults]\nstruct_tag = "dual"\n')
    go_test_as_patched(tmp_path, """
        package a

        import (
        	"encoding/json"
        	"testing"
        )

        func TestBothLegacyKeys(t *testing.T) {
        	for _, in := range []string{`{"run_id":"c"}`, `{"session_id":"c"}`, `{"chat_id":"c"}`,
        		`{"session_id":"c","run_id":"old"}`} {
        		var e Entry
        		if err := json.Unmarshal([]byte(in), &e); err != nil || e.ChatID != "c" {
        			t.Fatal(in, e, err)
        		}
        	}
        	out, _ := json.Marshal(Entry{ChatID: "c"})
        	if string(out) != `{"chat_id":"c","session_id":"c","run_id":"c"}` {
        		t.Fatal(string(out))
        	}
        }
        """)


def test_legacy_key_of_a_named_type_is_taken_when_the_new_key_is_absent(tmp_path: Path) -> None:
    # A named type's zero value is not plain to test in Go text: the new key's presence is.
    before = """
    package a

    import "encoding/json"

    type Key [2]byte

    type Job struct {
    	RunID Key `json:"run_id"`
    }
    """
    after = """
    package a

    import "encoding/json"

    type Key [2]byte

    type Job struct {
    	SessionID Key `json:"session_id"`
    }

    // UnmarshalJSON accepts the legacy "run_id" key when "session_id" is absent.
    func (j *Job) UnmarshalJSON(data []byte) error {
    	type plain Job
    	aux := struct {
    		*plain
    		SessionID       json.RawMessage `json:"session_id"`
    		LegacySessionID json.RawMessage `json:"run_id"`
    	}{plain: (*plain)(j)}
    	if err := json.Unmarshal(data, &aux); err != nil {
    		return err
    	}
    	if aux.SessionID == nil {
    		aux.SessionID = aux.LegacySessionID
    	}
    	if aux.SessionID != nil {
    		if err := json.Unmarshal(aux.SessionID, &j.SessionID); err != nil {
    			return err
    		}
    	}
    	return nil
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nstruct_tag = "accept-both"\n')


RUN_RECORD = """
package a

type RunIDKind int

// RunIDRecord is stored.
type RunIDRecord struct {
	RunID   string    `json:"run_id"`
	RunKind RunIDKind `json:"run_id_kind"`
}
"""
RUN_RECORD_TEST = """
package a

import (
	"encoding/json"
	"testing"
)

func TestLegacyKeys(t *testing.T) {
	var r SessionIDRecord
	if err := json.Unmarshal([]byte(`{"run_id": "r1", "run_id_kind": 2}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.SessionID != "r1" || r.RunKind != SessionIDKind(2) {
		t.Fatalf("legacy keys: %+v", r)
	}
	out, err := json.Marshal(r)
	if err != nil || string(out) != `{"session_id":"r1","session_id_kind":2,"run_id":"r1","run_id_kind":2}` {
		t.Fatalf("written: %v %s", err, out)
	}
}
"""


def test_legacy_key_methods_are_declared_on_the_struct_as_renamed(tmp_path: Path) -> None:
    # Found while reading a swag-annotated handler: when the struct's own name is in the family
    # (`RunIDResponse`), the methods that keep its legacy keys were declared on the old name,
    # and the field's type (`RunIDKind`) was written as it was: the patch did not build.
    root = tmp_path / "plan"
    root.mkdir()
    (root / "a.go").write_text(go(RUN_RECORD))
    changed = plan(root, parse_policy(BASE_POLICY + '[defaults]\nstruct_tag = "dual"\n')).changed()
    after = changed[0].after.decode()
    assert "func (s SessionIDRecord) MarshalJSON() ([]byte, error) {" in after
    assert "func (s *SessionIDRecord) UnmarshalJSON(data []byte) error {" in after
    assert "\t\tLegacyRunKind   SessionIDKind `json:\"run_id_kind\"`\n" in after
    assert "RunIDRecord" not in after and "RunIDKind" not in after
    go_test_after_rename(tmp_path / "built", {"a.go": RUN_RECORD}, {"a_test.go": RUN_RECORD_TEST},
                         policy='[defaults]\nstruct_tag = "dual"\n')


ROUND_TRIP_TEST = """\
package a

import (
	"encoding/json"
	"testing"
)

func decoded[T any](t *testing.T, input string) T {
	var v T
	if err := json.Unmarshal([]byte(input), &v); err != nil {
		t.Fatalf("%s: %v", input, err)
	}
	return v
}

func TestRoundTrip(t *testing.T) {
	if e := decoded[Entry](t, `{"run_id": 7}`); e.SessionID != 7 {
		t.Fatalf("legacy only: %+v", e)
	}
	if e := decoded[Entry](t, `{"session_id": 8, "run_id": 7}`); e.SessionID != 8 {
		t.Fatalf("both: %+v", e)
	}
	out, err := json.Marshal(Entry{SessionID: 9})
	if err != nil || string(out) != `{"session_id":9,"run_id":9}` {
		t.Fatalf("written: %v %s", err, out)
	}
	if j := decoded[Job](t, `{"run_id": [1, 2]}`); j.SessionID != (Key{1, 2}) {
		t.Fatalf("legacy key: %+v", j)
	}
	if j := decoded[Job](t, `{"session_id": [0, 0], "run_id": [1, 2]}`); j.SessionID != (Key{}) {
		t.Fatalf("new key, zero: %+v", j)
	}
}
"""


def test_the_legacy_key_methods_compile_and_round_trip(tmp_path: Path) -> None:
    # The methods above, built and run by the real toolchain: a legacy-only input decodes, the
    # new key wins over the legacy one (even when it holds the zero value, for a named type),
    # and the output carries both.
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    root = tmp_path / "mod"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/a\n\ngo 1.21\n")
    (root / "entry.go").write_text(go("""
    package a

    type Entry struct {
    	RunID uint64 `json:"run_id"`
    }
    """))
    (root / "job.go").write_text(go("""
    package a

    type Key [2]byte

    type Job struct {
    	RunID Key `json:"run_id"`
    }
    """))
    pol = parse_policy(BASE_POLICY + '[[rule]]\nrole = "struct_tag"\npath = "entry.go"\n'
                       'decision = "dual"\nrationale = "r"\n\n[defaults]\n'
                       'struct_tag = "accept-both"\n')
    changed = plan(root, pol).changed()
    assert sorted(fp.path for fp in changed) == ["entry.go", "job.go"]
    for fp in changed:
        (root / fp.path).write_bytes(fp.after)
    (root / "a_test.go").write_text(ROUND_TRIP_TEST)  # written after the rename, in its names
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_the_legacy_key_methods_of_types_named_data_and_plain_compile(tmp_path: Path) -> None:
    # Found on a transcript viewer (Session -> Dialog): its JSON view model is `type data
    # struct`, and the UnmarshalJSON written for it said `UnmarshalJSON(data []byte)` then
    # `type plain data`, which named the parameter ("data (parameter) is not a type"). A type
    # named plain would have declared `type plain plain`.
    view = """
    package a

    type data struct {
    	RunID string `json:"run_id"`
    }

    type plain struct {
    	RunID string `json:"run_id"`
    }
    """
    test = """
    package a

    import (
    	"encoding/json"
    	"testing"
    )

    func TestBothKeysAreWrittenAndTheLegacyOneRead(t *testing.T) {
    	var d data
    	var p plain
    	if json.Unmarshal([]byte(`{"run_id":"r1"}`), &d) != nil || d.RunID != "r1" ||
    		json.Unmarshal([]byte(`{"run_id":"r2"}`), &p) != nil || p.RunID != "r2" {
    		t.Fatal(d, p)
    	}
    	out, err := json.Marshal(struct {
    		D data
    		P plain
    	}{d, p})
    	want := `{"D":{"session_id":"r1","run_id":"r1"},"P":{"session_id":"r2","run_id":"r2"}}`
    	if err != nil || string(out) != want {
    		t.Fatalf("%s %v", out, err)
    	}
    }
    """
    root, _analysis, patch = workflow_plan(tmp_path, {"view.go": view, "view_test.go": test},
                                           BASE_POLICY + '\n[defaults]\nstruct_tag = "dual"\n')
    assert patch is not None
    after = next(fp.after.decode() for fp in patch.changed() if fp.path == "view.go")
    assert "func (d *data) UnmarshalJSON(raw []byte) error {\n\ttype plain data\n" in after
    assert "func (p *plain) UnmarshalJSON(data []byte) error {\n\ttype base plain\n" in after
    applied_and_go_tested(root, patch)


# -- untagged fields on the wire (idrename.wirefields) ----------------------------------------------
WIRE_HEADER = go("""
    package api

    import (
    	"encoding/json"
    	"net/http"
    )

    """)


def wire_plan(tmp_path: Path, files: dict[str, str], policy: str = "") -> tuple[Any, Patch]:
    """(analysis, patch) of the whole workflow (compat included) on a Go module in tmp_path."""
    from idrename.workflow import analyse_and_patch

    root = tmp_path / "svc"
    (root / "go.mod").parent.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module example.com/svc\n\ngo 1.21\n")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    analysis, patch = analyse_and_patch([root], parse_policy(BASE_POLICY + go(policy)),
                                        cache=False)
    assert patch is not None
    return analysis, patch


def test_a_policy_default_gives_no_legacy_key_methods_to_an_embedded_struct(
        tmp_path: Path) -> None:
    # Found on an end-of-life checker (SnapshotDate -> CatalogDate, every struct tag dual by
    # the policy's [defaults]): Report got a MarshalJSON writing both keys, and its envelope,
    # struct{ Tool string; SchemaVersion int; *Report }, inherited it: the JSON output lost
    # "tool" and "schema_version", silently. compat had flagged the struct as embedded, but a
    # policy's default beat the computed strategy and its flag. Such a tag goes to review.
    src = go("""
        package api

        import "encoding/json"

        type Report struct {
        	Path  string `json:"path"`
        	RunID string `json:"run_id"`
        }

        type envelope struct {
        	Tool string `json:"tool"`
        	*Report
        }

        func Render(r *Report) ([]byte, error) { return json.Marshal(envelope{"x", r}) }
        """)
    analysis, patch = wire_plan(tmp_path, {"api.go": src},
                                policy='[defaults]\nstruct_tag = "dual"\n')
    tag = analysis.decided[analysis.decided["role"] == "struct_tag"].iloc[0]
    assert tag["decision"] == "review"
    assert tag["rationale"].endswith(
        "but Report is embedded in svc/api.go: envelope: the MarshalJSON and UnmarshalJSON "
        "that keep the legacy key would be promoted there, and those structs would encode and "
        "decode as Report alone, dropping their other fields; write the legacy key into their "
        "own methods by hand, or keep the tag")
    after = {fp.path: fp.after.decode() for fp in patch.changed()}["api.go"]
    assert "MarshalJSON" not in after and '`json:"run_id"`' in after


def wire_warnings(analysis: Any) -> list[str]:
    return [c.message for c in analysis.conflicts if c.kind == "wire_name"]


def test_an_untagged_encoded_field_keeps_its_json_key(tmp_path: Path) -> None:
    # encoding/json writes an untagged field under its Go name: the rename keeps that key
    src = WIRE_HEADER + go("""
        type Status struct {
        	RunID string
        	Done  bool
        }

        func handle(w http.ResponseWriter, r *http.Request) {
        	s := Status{RunID: r.URL.Path, Done: true}
        	_ = json.NewEncoder(w).Encode(s)
        }
        """)
    analysis, patch = wire_plan(tmp_path, {"api.go": src})
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after == {"api.go": src.replace(
        "\tRunID string\n\tDone  bool\n",
        "\tSessionID string `json:\"RunID\"`\n\tDone      bool\n").replace(
        "Status{RunID:", "Status{SessionID:")}
    decided = analysis.decided
    field = decided[decided["role"] == "field_decl"].iloc[0]
    assert field["rationale"] == (
        "its Go name was its JSON key (encoded at svc/api.go:15): renamed in Go, "
        "`json:\"RunID\"` added so the key stays (decide hard-cut to rename the key too)")
    assert wire_warnings(analysis) == []


def test_a_struct_coded_through_a_named_slice_map_or_defined_type_keeps_its_json_keys(
        tmp_path: Path) -> None:
    # Task -> Title in a to-do CLI: `type List []item`, saved with json.Marshal(l) on a *List,
    # so the file's key "Task" became "Title" and every saved list lost its tasks. A codec of a
    # type declared as a slice, map or pointer of a struct, or as the struct itself (a defined
    # type or an alias), codes that struct, and through a struct's field of such a type too.
    before = go("""
    package todo

    import "encoding/json"

    type item struct {
    	RunID string
    	Done  bool
    }

    type List []item

    func (l *List) Save() ([]byte, error) { return json.Marshal(l) }

    type Entry struct{ RunID string }

    type Index map[string]*Entry

    type Page struct {
    	Entries Index `json:"entries"`
    }

    func (p Page) Encode() ([]byte, error) { return json.Marshal(p) }

    type Base struct{ RunID string }

    type Admin Base

    type Admins = []Admin

    func Load(data []byte) (Admins, error) {
    	var out Admins
    	err := json.Unmarshal(data, &out)
    	return out, err
    }

    type Local struct{ RunID string }

    type Locals []Local

    func count(l Locals) int { return len(l) }
    """)
    after = before.replace(
        "\tRunID string\n\tDone  bool\n", "\tSessionID string `json:\"RunID\"`\n\tDone      bool\n"
    ).replace("type Entry struct{ RunID string }",
              "type Entry struct {\n\tSessionID string `json:\"RunID\"`\n}").replace(
        "type Base struct{ RunID string }",
        "type Base struct {\n\tSessionID string `json:\"RunID\"`\n}").replace(
        "type Local struct{ RunID string }", "type Local struct{ SessionID string }")
    analysis, patch = wire_plan(tmp_path, {"todo.go": before})
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {"todo.go": after}
    assert wire_warnings(analysis) == []


def test_a_struct_of_a_function_or_of_a_test_keeps_the_json_keys_it_is_coded_with(
        tmp_path: Path) -> None:
    # The package's Status kept "RunID" with a tag, but the test decoded the response into
    # `var got struct{ RunID string }`, renamed bare: got.SessionID read nothing, and a handler
    # decoding its request into a struct of its own stopped reading "RunID". A struct declared
    # in a function, or in a test file, that a codec of that file codes keeps its keys too,
    # with the structs its fields carry along; one no codec touches is renamed as before.
    code = go("""
        package a

        import (
        	"encoding/json"
        	"net/http"
        )

        type Status struct {
        	RunID string
        	Done  bool
        }

        func Handle(w http.ResponseWriter, r *http.Request) {
        	var req struct {
        		RunID string
        	}
        	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
        		http.Error(w, err.Error(), http.StatusBadRequest)
        		return
        	}
        	_ = json.NewEncoder(w).Encode(Status{RunID: req.RunID, Done: true})
        }
        """)
    test = go("""
        package a

        import (
        	"encoding/json"
        	"net/http/httptest"
        	"strings"
        	"testing"
        )

        type echoed struct {
        	RunID string
        }

        func TestHandle(t *testing.T) {
        	type step struct{ RunID string }
        	type request struct {
        		RunID string
        		Steps []step
        	}
        	body, _ := json.Marshal(request{RunID: "r1"})
        	rec := httptest.NewRecorder()
        	Handle(rec, httptest.NewRequest("POST", "/", strings.NewReader(string(body))))
        	var got struct {
        		RunID string
        		Done  bool
        	}
        	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
        		t.Fatal(err)
        	}
        	var again echoed
        	_ = json.Unmarshal(rec.Body.Bytes(), &again)
        	cases := []struct{ RunID string }{{RunID: "r1"}}
        	kept := strings.Contains(rec.Body.String(), `"RunID"`)
        	if got.RunID != cases[0].RunID || again.RunID != "r1" || !kept {
        		t.Fatalf("got %+v from %s", got, rec.Body.String())
        	}
        }
        """)
    after = code.replace("\tRunID string\n\tDone  bool\n",
                         "\tSessionID string `json:\"RunID\"`\n\tDone      bool\n").replace(
        "\t\tRunID string\n", "\t\tSessionID string `json:\"RunID\"`\n").replace(
        "RunID: req.RunID", "SessionID: req.SessionID")
    after_test = test.replace(
        "type echoed struct {\n\tRunID string\n",
        "type echoed struct {\n\tSessionID string `json:\"RunID\"`\n").replace(
        "type step struct{ RunID string }",
        "type step struct {\n\t\tSessionID string `json:\"RunID\"`\n\t}").replace(
        "\t\tRunID string\n\t\tSteps []step\n",
        "\t\tSessionID string `json:\"RunID\"`\n\t\tSteps     []step\n").replace(
        "request{RunID:", "request{SessionID:").replace(
        "\t\tRunID string\n\t\tDone  bool\n",
        "\t\tSessionID string `json:\"RunID\"`\n\t\tDone      bool\n").replace(
        "struct{ RunID string }{{RunID:", "struct{ SessionID string }{{SessionID:").replace(
        "got.RunID != cases[0].RunID || again.RunID",
        "got.SessionID != cases[0].SessionID || again.SessionID")
    workflow_and_go_test(tmp_path, {"a.go": code, "a_test.go": test},
                         {"a.go": after, "a_test.go": after_test})


def test_a_part_of_a_response_a_table_test_looks_for_follows_the_new_key_in_place(
        tmp_path: Path) -> None:
    # Found on a to-do API (Done -> Completed and 3 more pairs, default policy): a table's
    # wantBody `"title":"t","done":true`, looked for in the response with strings.Contains,
    # was a plain string left to review. The response's tag became dual-emit, so its
    # MarshalJSON writes the new key in place and the legacy one after the struct's own: the
    # part no longer matched. Such a part of an object is a JSON text now; an expected output
    # leaves out the contracts of structs that are only decoded (the handler's own request
    # struct, whose codec its file shows), and under dual-emit the part takes the new key.
    code = go("""
        package a

        import (
        	"encoding/json"
        	"net/http"
        )

        type Status struct {
        	Title string `json:"title"`
        	RunID string `json:"run_id"`
        	Done  bool   `json:"done"`
        }

        func Handle(w http.ResponseWriter, r *http.Request) {
        	var body struct {
        		RunID string `json:"run_id"`
        	}
        	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
        		http.Error(w, err.Error(), http.StatusBadRequest)
        		return
        	}
        	_ = json.NewEncoder(w).Encode(Status{Title: "t", RunID: body.RunID, Done: true})
        }
        """)
    test = go("""
        package a

        import (
        	"net/http/httptest"
        	"strings"
        	"testing"
        )

        func TestHandle(t *testing.T) {
        	cases := []struct {
        		body     string
        		wantBody string
        	}{
        		{body: `{"run_id":"r1"}`, wantBody: `"title":"t","run_id":"r1","done":true`},
        		{body: `{"run_id":"r2"}`, wantBody: `"run_id":"r2"`},
        	}
        	for _, tc := range cases {
        		rec := httptest.NewRecorder()
        		Handle(rec, httptest.NewRequest("POST", "/", strings.NewReader(tc.body)))
        		if !strings.Contains(rec.Body.String(), tc.wantBody) {
        			t.Fatalf("%s lacks %s", rec.Body.String(), tc.wantBody)
        		}
        	}
        }
        """)
    root, analysis, patch = workflow_plan(tmp_path, {"a.go": code, "a_test.go": test},
                                          BASE_POLICY)
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    # the requests keep the key the request struct still reads; the expected parts move
    assert after["a_test.go"] == test.replace(
        'wantBody: `"title":"t","run_id":"r1","done":true`',
        'wantBody: `"title":"t","session_id":"r1","done":true`').replace(
        'wantBody: `"run_id":"r2"`', 'wantBody: `"session_id":"r2"`')
    assert "\t\tSessionID string `json:\"run_id\"`\n" in after["a.go"]
    matrix = analysis.matrix.set_index("contract")
    assert matrix.loc["json_tag:run_id@Handle", "direction"] == "inbound"
    assert matrix.loc["json_tag:run_id@Status", "strategy"] == "dual-emit"
    part = analysis.decided[(analysis.decided["role"] == "json_text")
                            & (analysis.decided["owner"] == "fragment")]
    assert part["decision"].tolist() == ["rename", "rename"]
    applied_and_go_tested(root, patch)


def test_a_field_of_a_standard_type_declared_in_another_file_is_not_renamed(
        tmp_path: Path) -> None:
    # Found on vim-go's motion (Comment -> CommentSpan): the roots declare Options.Comments,
    # and `p.file.Comments` (file *ast.File, declared in parser.go) was renamed in query.go,
    # which imports nothing: a type outside the roots was looked for only among the packages
    # the use's own file imports. Those its package's other files import count now.
    parser = """
        package a

        import (
        	"go/ast"
        	"go/parser"
        	"go/token"
        )

        type Options struct {
        	Comments bool
        }

        type Parser struct {
        	file *ast.File
        }

        func New(src string, opts Options) (*Parser, error) {
        	mode := parser.Mode(0)
        	if opts.Comments {
        		mode = parser.ParseComments
        	}
        	f, err := parser.ParseFile(token.NewFileSet(), "a.go", src, mode)
        	return &Parser{file: f}, err
        }
        """
    query = """
        package a

        func (p *Parser) Count() int {
        	return len(p.file.Comments)
        }
        """
    test = """
        package a

        import "testing"

        func TestCount(t *testing.T) {
        	p, err := New("package a\\n\\n// x\\n", Options{Comments: true})
        	if err != nil || p.Count() != 1 {
        		t.Fatal(err)
        	}
        }
        """
    workflow_and_go_test(tmp_path, {"parser.go": parser, "query.go": query, "a_test.go": test}, {
        "parser.go": textwrap.dedent(parser).replace("Comments bool", "Notes bool").replace(
            "opts.Comments", "opts.Notes"),
        "a_test.go": textwrap.dedent(test).replace("Options{Comments:", "Options{Notes:"),
    }, base='[rename]\nfrom = "Comment"\nto = "Note"\n')


# The few methods of fiber's Ctx that the handlers below use, with fiber v2's signatures: a
# stand-in module beside the one planned (outside its root), so that it builds offline.
FIBER_STAND_IN = {
    "go.mod": "module github.com/gofiber/fiber/v2\n\ngo 1.21\n",
    "fiber.go": """
        package fiber

        import "encoding/json"

        type Ctx struct {
        	body     []byte
        	Response []byte
        }

        func NewCtx(body []byte) *Ctx { return &Ctx{body: body} }

        func (c *Ctx) BodyParser(out interface{}) error { return json.Unmarshal(c.body, out) }

        func (c *Ctx) JSON(data interface{}) error {
        	b, err := json.Marshal(data)
        	c.Response = b
        	return err
        }
        """,
}


def test_a_fiber_handlers_request_and_response_are_told_apart(tmp_path: Path) -> None:
    # fiber's `c.BodyParser(&in)` reads what clients send, and its one-argument `c.JSON(v)`
    # writes the response: neither was a codec, so both structs were "both" ways, dual-emit.
    # The request struct now accepts both keys (accept-both: an UnmarshalJSON only), the
    # response writes both (dual-emit), and the test's expected document gets both keys.
    for name, text in FIBER_STAND_IN.items():
        (tmp_path / "fiber").mkdir(exist_ok=True)
        (tmp_path / "fiber" / name).write_text(go(text))
    code = go("""
        package a

        import "github.com/gofiber/fiber/v2"

        type CreateRequest struct {
        	RunID string `json:"run_id"`
        }

        type Created struct {
        	RunID string `json:"run_id"`
        }

        func Create(c *fiber.Ctx) error {
        	var in CreateRequest
        	if err := c.BodyParser(&in); err != nil {
        		return err
        	}
        	return c.JSON(Created{RunID: in.RunID})
        }
        """)
    test = go("""
        package a

        import (
        	"testing"

        	"github.com/gofiber/fiber/v2"
        )

        func TestCreate(t *testing.T) {
        	c := fiber.NewCtx([]byte(`{"run_id":"r1"}`))
        	if err := Create(c); err != nil {
        		t.Fatal(err)
        	}
        	if string(c.Response) != `{"run_id":"r1"}` {
        		t.Fatal(string(c.Response))
        	}
        }
        """)
    mod = ("module example.com/a\n\ngo 1.21\n\nrequire github.com/gofiber/fiber/v2 v2.0.0\n\n"
           "replace github.com/gofiber/fiber/v2 => ../fiber\n")
    root, analysis, patch = workflow_plan(tmp_path, {"go.mod": mod, "a.go": code,
                                                     "a_test.go": test}, BASE_POLICY)
    assert patch is not None
    strategies = analysis.matrix.set_index("contract")[["direction", "strategy"]]
    assert strategies.to_dict("index") == {
        "json_tag:run_id@CreateRequest": {"direction": "inbound", "strategy": "accept-both"},
        "json_tag:run_id@Created": {"direction": "outbound", "strategy": "dual-emit"}}
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert "func (c *CreateRequest) UnmarshalJSON" in after["a.go"]
    assert "func (c CreateRequest) MarshalJSON" not in after["a.go"]
    assert "func (c Created) MarshalJSON" in after["a.go"]
    assert after["a_test.go"] == test.replace(
        'Response) != `{"run_id":"r1"}`', 'Response) != `{"session_id":"r1","run_id":"r1"}`')
    applied_and_go_tested(root, patch)


def test_a_document_follows_the_tags_the_policys_default_decides(tmp_path: Path) -> None:
    # Found while checking the json_document warning on a to-do API: under a policy with
    # `struct_tag = "rename"`, the tag was renamed (the policy's default beats the contract's
    # computed dual-emit), but the test's expected document followed the computed dual-emit
    # and got both keys, which the struct no longer writes: the test failed. A document now
    # follows the strategy its contract's tags are decided by.
    code = """
        package a

        import (
        	"encoding/json"
        	"net/http"
        )

        type Status struct {
        	RunID string `json:"run_id"`
        }

        func Handle(w http.ResponseWriter, r *http.Request) {
        	json.NewEncoder(w).Encode(Status{RunID: "r1"})
        }
        """
    test = """
        package a

        import (
        	"net/http/httptest"
        	"testing"
        )

        func TestHandle(t *testing.T) {
        	rec := httptest.NewRecorder()
        	Handle(rec, httptest.NewRequest("GET", "/", nil))
        	want := `{"run_id":"r1"}` + "\\n"
        	if rec.Body.String() != want {
        		t.Fatal(rec.Body.String())
        	}
        }
        """
    workflow_and_go_test(tmp_path, {"a.go": code, "a_test.go": test}, {
        "a.go": tag_renamed(code, "{RunID:"),
        "a_test.go": textwrap.dedent(test).replace('`{"run_id":"r1"}`', '`{"session_id":"r1"}`'),
    }, base=TAGS_RENAMED)


TAGS_RENAMED = BASE_POLICY + '[defaults]\nstruct_tag = "rename"\n'


def tag_renamed(code: str, *uses: str) -> str:
    """``code`` dedented, with its field ``RunID string `json:"run_id"``` renamed outright (Go
    name and tag) and each of ``uses`` (``in.RunID``) renamed."""
    out = textwrap.dedent(code).replace('RunID string `json:"run_id"`',
                                        'SessionID string `json:"session_id"`')
    for use in uses:
        out = out.replace(use, use.replace("RunID", "SessionID"))
    return out


def test_a_document_follows_the_codes_tags_not_a_tests_own_map_of_the_key(
        tmp_path: Path) -> None:
    # Found on an albums API under `struct_tag = "rename"`: a test's body, `{"run_id":"r1"}`,
    # was left to review because the test's own map of the key (the document it expects back)
    # had a contract of its own, the computed dual-emit, that disagreed with the code's tag,
    # renamed; sent with the old key, the body decoded nothing. A test's map follows the
    # code's tags (it is renamed here), so a document follows those alone when there are any.
    code = """
        package a

        import (
        	"encoding/json"
        	"net/http"
        )

        type Item struct {
        	RunID string `json:"run_id"`
        }

        func Create(w http.ResponseWriter, r *http.Request) {
        	var in Item
        	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.RunID == "" {
        		http.Error(w, "bad request", http.StatusBadRequest)
        		return
        	}
        	json.NewEncoder(w).Encode(in)
        }
        """
    test = """
        package a

        import (
        	"encoding/json"
        	"net/http/httptest"
        	"reflect"
        	"strings"
        	"testing"
        )

        func TestCreate(t *testing.T) {
        	rec := httptest.NewRecorder()
        	Create(rec, httptest.NewRequest("POST", "/", strings.NewReader(`{"run_id":"r1"}`)))
        	var got map[string]string
        	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
        		t.Fatal(err)
        	}
        	if want := map[string]string{"run_id": "r1"}; !reflect.DeepEqual(got, want) {
        		t.Fatal(got)
        	}
        }
        """
    workflow_and_go_test(tmp_path, {"a.go": code, "a_test.go": test}, {
        "a.go": tag_renamed(code, "in.RunID"),
        "a_test.go": textwrap.dedent(test).replace('`{"run_id":"r1"}`', '`{"session_id":"r1"}`'
                                                   ).replace('{"run_id": "r1"}',
                                                             '{"session_id": "r1"}'),
    }, base=TAGS_RENAMED)


def test_a_document_the_string_default_decides_against_its_contract_is_warned_of(
        tmp_path: Path) -> None:
    # Found on a work-hours tracker under a policy renaming every string: the config struct's
    # untagged field keeps its JSON key (a tag is added), but the test's config document took
    # the policy's `string = "rename"` (json_text has no default there), so the test decoded
    # nothing. That default still decides it, as documented; a warning now says the contract
    # would keep the key, and how to let it decide.
    code = go("""
        package a

        import "encoding/json"

        type Config struct {
        	RunID string
        }

        func Load(b []byte) (Config, error) {
        	var c Config
        	err := json.Unmarshal(b, &c)
        	return c, err
        }
        """)
    test = go("""
        package a

        import "testing"

        func TestLoad(t *testing.T) {
        	c, err := Load([]byte(`{"RunID": "r1"}`))
        	if err != nil || c.RunID != "r1" {
        		t.Fatal(c, err)
        	}
        }
        """)
    files = {"a.go": code, "a_test.go": test}
    strings = BASE_POLICY + '[defaults]\nstring = "rename"\n'
    root, analysis, patch = workflow_plan(tmp_path / "inherited", files, strings)
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after["a_test.go"] == test.replace('`{"RunID": "r1"}`', '`{"SessionID": "r1"}`'
                                              ).replace("c.RunID", "c.SessionID")
    assert [(c.severity, c.message) for c in analysis.conflicts
            if c.kind == "json_document"] == [("warning", (
                "the key RunID of a JSON document written in Go at mod/a_test.go:6 is decided "
                "rename by the policy's default for role string, which json_text takes when it "
                "has no default of its own; its contract would decide it keep "
                "(field_name:RunID@Config (keep-legacy) keeps RunID on the wire), so the "
                "document and the code would disagree: give json_text a default of its own "
                '(json_text = "review" lets the contracts decide it) or a [[rule]] for this '
                "key"))]
    # as the warning says: the contract decides the document, which the struct still reads
    own = strings + 'json_text = "review"\n'
    root, analysis, patch = workflow_plan(tmp_path / "own", files, own)
    assert patch is not None
    assert [c for c in analysis.conflicts if c.kind == "json_document"] == []
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after["a_test.go"] == test.replace("c.RunID", "c.SessionID")
    assert '\tSessionID string `json:"RunID"`\n' in after["a.go"]
    applied_and_go_tested(root, patch)


def test_a_golden_document_that_is_signed_not_compared_keeps_its_bytes(tmp_path: Path) -> None:
    # Found on a payment provider's webhook signer (Provider -> Gateway, Event -> Notice,
    # default policy): `goldenBody = `{"event_id":...,"provider":...}``, signed with a pinned
    # HMAC, was taken for an expected output by its name and got the new key with the legacy
    # one after it: the signature changed. A document held in a want/golden name is compared
    # unless every use of the name signs or hashes it (Sign, Verify, an HMAC): an input, left
    # to review. `want` below is compared: it gets both keys.
    code = go("""
        package a

        import (
        	"crypto/hmac"
        	"crypto/sha256"
        	"encoding/hex"
        	"encoding/json"
        )

        type Event struct {
        	RunID string `json:"run_id"`
        }

        func Encode(e Event) ([]byte, error) { return json.Marshal(e) }

        func Sign(body []byte, key string) string {
        	mac := hmac.New(sha256.New, []byte(key))
        	mac.Write(body)
        	return hex.EncodeToString(mac.Sum(nil))
        }

        func Verify(body []byte, key, mac string) bool { return Sign(body, key) == mac }
        """)
    test = go("""
        package a

        import "testing"

        const (
        	goldenBody = `{"run_id":"r1"}`
        	goldenMAC  = "79f72ea6eb45749007cf564402207dac8323eda6cff7b10e0d4eea2b5421ee24"
        )

        func TestSign(t *testing.T) {
        	if got := Sign([]byte(goldenBody), "k"); got != goldenMAC {
        		t.Fatal(got)
        	}
        	if !Verify([]byte(goldenBody), "k", goldenMAC) {
        		t.Fatal("not verified")
        	}
        }

        func TestEncode(t *testing.T) {
        	want := `{"run_id":"r1"}`
        	out, err := Encode(Event{RunID: "r1"})
        	if err != nil || string(out) != want {
        		t.Fatal(string(out), err)
        	}
        }
        """)
    root, analysis, patch = workflow_plan(tmp_path, {"a.go": code, "a_test.go": test},
                                          BASE_POLICY)
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after["a_test.go"] == test.replace(
        "\twant := `{\"run_id\":\"r1\"}`", "\twant := `{\"session_id\":\"r1\",\"run_id\":\"r1\"}`"
    ).replace("Event{RunID:", "Event{SessionID:")
    texts = analysis.decided[analysis.decided["role"] == "json_text"]
    assert texts[["line", "detail", "decision"]].values.tolist() == [
        [6, "", "review"], [20, "compared", "dual"]]
    applied_and_go_tested(root, patch)


def test_a_tests_server_body_follows_the_tag_of_the_package_its_package_imports(
        tmp_path: Path) -> None:
    # Found on a certificate client (Reissue -> Rekey, every tag renamed): a test of package
    # app served `{"reissue_supported": true}` to the client of package api. A mock server, a
    # program of its own, writes the same key from a map (dual-emit): the contracts disagreed,
    # app declares none, and the body was left to review; applied, the test decoded false.
    # The contracts of the packages app imports decide it.
    files = {
        "api/api.go": """
            package api

            import (
            	"encoding/json"
            	"net/http"
            )

            // Certificate is a certificate order as the API returns it.
            type Certificate struct {
            	ID           string `json:"id"`
            	RunIDEnabled bool   `json:"run_id_enabled"`
            }

            // Fetch reads a certificate order from the API at base.
            func Fetch(base string) (Certificate, error) {
            	var c Certificate
            	resp, err := http.Get(base + "/certificate")
            	if err != nil {
            		return c, err
            	}
            	defer resp.Body.Close()
            	err = json.NewDecoder(resp.Body).Decode(&c)
            	return c, err
            }
            """,
        "app/app.go": """
            package app

            import "example.com/a/api"

            // Allowed says whether the API's order allows it.
            func Allowed(base string) (bool, error) {
            	c, err := api.Fetch(base)
            	return c.RunIDEnabled, err
            }
            """,
        "app/app_test.go": """
            package app

            import (
            	"net/http"
            	"net/http/httptest"
            	"testing"
            )

            func TestAnOrderThatAllowsItIsRead(t *testing.T) {
            	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
            		_, _ = w.Write([]byte(`{"id": "c1", "run_id_enabled": true}`))
            	}))
            	defer srv.Close()
            	ok, err := Allowed(srv.URL)
            	if err != nil || !ok {
            		t.Fatal(ok, err)
            	}
            }
            """,
        "mock/main.go": """
            // Command mock serves a fake certificate API for manual tests.
            package main

            import (
            	"encoding/json"
            	"net/http"
            )

            func main() {
            	http.HandleFunc("/certificate", func(w http.ResponseWriter, r *http.Request) {
            		_ = json.NewEncoder(w).Encode(map[string]any{"id": "c1", "run_id_enabled": true})
            	})
            	_ = http.ListenAndServe("localhost:8080", nil)
            }
            """,
    }
    root, analysis, patch = workflow_plan(tmp_path, files,
                                          BASE_POLICY + '[defaults]\nstruct_tag = "rename"\n')
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after["app/app_test.go"] == go(files["app/app_test.go"]).replace(
        '"run_id_enabled": true}`', '"session_id_enabled": true}`')
    body = analysis.decided[analysis.decided["role"] == "json_text"]
    assert body[["path", "decision", "decided_by"]].values.tolist() == [
        ["app/app_test.go", "rename", "contract:json_tag:run_id_enabled@Certificate"]]
    applied_and_go_tested(root, patch)


def test_the_environment_file_the_code_writes_keeps_the_variable_it_reads(
        tmp_path: Path) -> None:
    # Found on a certificate tool (APIKey -> AccessToken, every string renamed): it reads
    # REGFISH_API_KEY (kept, as every variable set from outside) and writes the systemd
    # environment file that sets it, `"REGFISH_API_KEY=" + quote(key)`, a string renamed by the
    # policy: the unit it installed would have set a variable the program no longer reads.
    code = """
        package config

        import (
        	"os"
        	"strings"
        )

        // RunID is the run the service resumes, from RUN_ID.
        func RunID() string { return os.Getenv("RUN_ID") }

        // EnvFile is the environment file the service's unit loads.
        func EnvFile(runID string) string {
        	return strings.Join([]string{"RUN_ID=" + runID, "LOG_LEVEL=info"}, "\\n") + "\\n"
        }
        """
    test = """
        package config

        import (
        	"strings"
        	"testing"
        )

        func TestTheUnitSetsWhatTheServiceReads(t *testing.T) {
        	for _, line := range strings.Split(strings.TrimSpace(EnvFile("r1")), "\\n") {
        		k, v, _ := strings.Cut(line, "=")
        		t.Setenv(k, v)
        	}
        	if got := RunID(); got != "r1" {
        		t.Fatal(got)
        	}
        }
        """
    root, analysis, patch = workflow_plan(
        tmp_path, {"config/config.go": code, "config/config_test.go": test},
        BASE_POLICY + '[defaults]\nstring = "rename"\nmessage = "rename"\n')
    assert patch is not None
    decided = analysis.decided
    env = decided[decided["text"] == "RUN_ID"]
    assert env[["line", "role", "decision", "decided_by"]].values.tolist() == [
        [8, "doc_comment", "rename", "builtin:doc_comment"],
        [9, "external_name", "keep", "builtin:external_name"],
        [13, "string", "keep", "external-spelling"],
    ]
    assert "the file it writes would set a name the code no longer reads" in \
        env["rationale"].iloc[2]
    applied_and_go_tested(root, patch)


def test_a_json_key_spelled_like_a_flag_follows_its_tag_not_the_flag(tmp_path: Path) -> None:
    # Found on a certificate tool (Product -> Offering, every tag and string renamed): its
    # command line has a `-product` flag (kept, as every flag), and its tests serve API bodies
    # holding the key "product" that a renamed tag decodes. The keys were kept as spellings of
    # the flag, and the decoded product was empty. A JSON document's key is the documents'.
    files = {
        "api/api.go": """
            package api

            import "encoding/json"

            // Order is a certificate order as the API returns it.
            type Order struct {
            	Product string `json:"product"`
            }

            // Parse reads an order.
            func Parse(body []byte) (Order, error) {
            	var o Order
            	err := json.Unmarshal(body, &o)
            	return o, err
            }
            """,
        "cmd/order/main.go": """
            package main

            import (
            	"flag"
            	"fmt"
            )

            func main() {
            	var product string
            	flag.StringVar(&product, "product", "basic", "the product to order")
            	flag.Parse()
            	fmt.Println(product)
            }
            """,
        "api/api_test.go": """
            package api

            import "testing"

            func TestAnOrderIsParsed(t *testing.T) {
            	o, err := Parse([]byte(`{
            		"product": "RapidSSL"
            	}`))
            	if err != nil || o.Product != "RapidSSL" {
            		t.Fatal(o, err)
            	}
            }
            """,
    }
    policy = '[rename]\nfrom = "Product"\nto = "Offering"\n[defaults]\nstruct_tag = "rename"\n' \
        'string = "rename"\n'
    root, analysis, patch = workflow_plan(tmp_path, files, policy)
    assert patch is not None
    decided = analysis.decided
    keys = decided[(decided["text"] == "product") & decided["role"].isin(
        ["struct_tag", "json_text", "external_name"])]
    assert keys[["path", "role", "decision"]].values.tolist() == [
        ["api/api.go", "struct_tag", "rename"], ["api/api_test.go", "json_text", "rename"],
        ["cmd/order/main.go", "external_name", "keep"]]
    applied_and_go_tested(root, patch)


def test_an_examples_output_follows_the_message_of_the_code_it_prints(tmp_path: Path) -> None:
    # Found on a JSON Pointer library (Pointer -> Locator, default policy): an example prints
    # the package's ErrSyntax, "invalid JSON pointer", renamed as a message; no string of the
    # example spells the name, so its `// Output:` line was left to review, and go test failed.
    code = """
        package jsonptr

        import (
        	"errors"
        	"strings"
        )

        // ErrSyntax is returned for a pointer that does not parse.
        var ErrSyntax = errors.New("invalid JSON pointer")

        // Parse splits a pointer into its tokens.
        func Parse(pointer string) ([]string, error) {
        	if pointer != "" && !strings.HasPrefix(pointer, "/") {
        		return nil, ErrSyntax
        	}
        	return strings.Split(pointer, "/")[1:], nil
        }
        """
    example = """
        package jsonptr_test

        import (
        	"fmt"

        	"example.com/a"
        )

        func ExampleParse_error() {
        	_, err := jsonptr.Parse("a~x")
        	fmt.Println(err)
        	// Output:
        	// invalid JSON pointer
        }
        """
    root, analysis, patch = workflow_plan(
        tmp_path, {"jsonptr.go": code, "example_test.go": example},
        BASE_POLICY.replace('"RunID"', '"Pointer"').replace('"SessionID"', '"Locator"'))
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after["example_test.go"] == go(example).replace("// invalid JSON pointer",
                                                           "// invalid JSON locator")
    output = analysis.decided[analysis.decided["role"] == "example_output"]
    assert output[["decision", "decided_by"]].values.tolist() == [["rename", "example-output"]]
    assert "follows the message(s) of the code its line prints, at jsonptr.go:9" in \
        output["rationale"].iloc[0]
    applied_and_go_tested(root, patch)


def test_another_programs_command_line_is_kept_when_every_string_is_renamed(
        tmp_path: Path) -> None:
    # Found on a tool driving git (worktree -> workspace, every string renamed): `run(dir,
    # "worktree", "add", ...)` hands its words to exec.Command("git", args...), and git has no
    # `workspace` command. The words of another program's command line are external names:
    # exec.Command's and exec.CommandContext's arguments, a call of a function or method of
    # the file that hands its variadic parameter to one, a []string held and handed so.
    before = """
    package wt

    import (
    	"context"
    	"os/exec"
    )

    // Worktree is a git worktree.
    type Worktree struct{ Path string }

    func run(dir string, args ...string) ([]byte, error) {
    	cmd := exec.Command("git", args...)
    	cmd.Dir = dir
    	return cmd.Output()
    }

    // Add adds a worktree.
    func Add(dir, path string) error {
    	_, err := run(dir, "worktree", "add", path)
    	return err
    }

    // Remove removes a worktree.
    func Remove(ctx context.Context, dir, path string, force bool) error {
    	args := []string{"worktree", "remove"}
    	if force {
    		args = append(args, "--force")
    	}
    	args = append(args, path)
    	return exec.CommandContext(ctx, "git", args...).Run()
    }

    // Prune prunes the worktree list.
    func Prune(dir string) error { return exec.Command("git", "-C", dir, "worktree", "prune").Run() }

    // Label names a worktree in messages.
    const Label = "worktree"
    """
    after = before.replace("// Worktree is a git worktree.\n    type Worktree struct",
                           "// Workspace is a git workspace.\n    type Workspace struct").replace(
        "// Add adds a worktree.", "// Add adds a workspace.").replace(
        "// Remove removes a worktree.", "// Remove removes a workspace.").replace(
        "// Prune prunes the worktree list.", "// Prune prunes the workspace list.").replace(
        '// Label names a worktree in messages.\n    const Label = "worktree"',
        '// Label names a workspace in messages.\n    const Label = "workspace"')
    assert_codemod(tmp_path, {"wt.go": before}, {"wt.go": after}, policy="""
    [defaults]
    string = "rename"
    """, base=BASE_POLICY.replace('"RunID"', '"Worktree"').replace('"SessionID"', '"Workspace"'))


def test_a_one_word_tag_renamed_by_the_policy_takes_its_siblings_style_with_its_documents(
        tmp_path: Path) -> None:
    # Found on an HTTPS redirector (BlockQuery -> DropQuery, every tag renamed): the tag
    # `json:"blockquery"` became `dropquery` (the word alone tells no style) while the test's
    # document followed the contract, whose new key takes the style of the struct's other keys
    # (`target_path`): `drop_query`. The document then set nothing. Both are `drop_query` now.
    code = """
        package routes

        import "encoding/json"

        // Route is one route of the routes file.
        type Route struct {
        	TargetPath *string `json:"target_path"`
        	BlockQuery *bool   `json:"blockquery"`
        }

        // Load reads a routes file.
        func Load(data []byte) (map[string]Route, error) {
        	var routes map[string]Route
        	err := json.Unmarshal(data, &routes)
        	return routes, err
        }
        """
    test = """
        package routes

        import "testing"

        func TestARoutesFileLoads(t *testing.T) {
        	routes, err := Load([]byte(`{"/old": {"target_path": "/new", "blockquery": true}}`))
        	if err != nil || routes["/old"].BlockQuery == nil || !*routes["/old"].BlockQuery {
        		t.Fatal(routes, err)
        	}
        }
        """
    policy = ('[rename]\nfrom = "BlockQuery"\nto = "DropQuery"\n[defaults]\n'
              'struct_tag = "rename"\n')
    root, _analysis, patch = workflow_plan(tmp_path, {"routes.go": code, "routes_test.go": test},
                                           policy)
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after["routes.go"] == go(code).replace(
        "\tBlockQuery *bool   `json:\"blockquery\"`", "\tDropQuery  *bool   `json:\"drop_query\"`")
    assert after["routes_test.go"] == go(test).replace('"blockquery": true', '"drop_query": true') \
        .replace(".BlockQuery", ".DropQuery")
    applied_and_go_tested(root, patch)


def test_a_field_an_encoding_library_codes_in_its_own_tests_keeps_its_toml_key(
        tmp_path: Path) -> None:
    # Found on a TOML library (Products -> Goods, default policy): its test marshalled a
    # config struct of its own with the package's bare Marshal and looked for "[[Products]]";
    # the field was renamed bare and the output said "[[Goods]]". A package named after an
    # encoding codes with its own Marshal and Unmarshal, and TOML names an untagged field by
    # its Go name as JSON does: the field keeps its key with `toml:"..."`, as with `json`.
    code = go("""
        package toml

        import (
        	"fmt"
        	"reflect"
        	"strings"
        )

        // Marshal writes a struct's fields as key = value lines, each named by its toml tag, else
        // by its Go name.
        func Marshal(v any) ([]byte, error) {
        	rv := reflect.Indirect(reflect.ValueOf(v))
        	var b strings.Builder
        	for i := 0; i < rv.NumField(); i++ {
        		name := rv.Type().Field(i).Name
        		if tag := rv.Type().Field(i).Tag.Get("toml"); tag != "" {
        			name = tag
        		}
        		fmt.Fprintf(&b, "%s = %q\\n", name, fmt.Sprint(rv.Field(i).Interface()))
        	}
        	return []byte(b.String()), nil
        }
        """)
    test = go("""
        package toml

        import "testing"

        func TestMarshal(t *testing.T) {
        	type config struct {
        		RunID string
        		Title string `toml:"title"`
        	}
        	out, err := Marshal(config{RunID: "r1", Title: "x"})
        	if err != nil || string(out) != "RunID = \\"r1\\"\\ntitle = \\"x\\"\\n" {
        		t.Fatalf("got %q, %v", out, err)
        	}
        }
        """)
    after_test = test.replace(
        "\t\tRunID string\n\t\tTitle string `toml:\"title\"`\n",
        "\t\tSessionID string `toml:\"RunID\"`\n\t\tTitle     string `toml:\"title\"`\n").replace(
        "config{RunID:", "config{SessionID:")
    workflow_and_go_test(tmp_path, {"a.go": code, "a_test.go": test}, {"a_test.go": after_test})


def test_an_embedded_type_that_names_its_json_key_keeps_the_key(tmp_path: Path) -> None:
    # Label -> Tag: encoding/json names an embedded field of a type that is no struct by the
    # type's name, so {"Label":"x"} became {"Tag":"x"} and the build passed. The embedded field
    # keeps its key with a tag; a field of that type is named by its own name, and an embedded
    # struct is written inline: neither gets one.
    before = """
    package a

    import "encoding/json"

    // Label names an item.
    type Label string

    // Meta is written inline.
    type Meta struct{ Owner string }

    type Item struct {
    	Label
    	Meta
    	Alias Label
    }

    type Ref struct {
    	*Label `json:",omitempty"`
    }

    func encode(i Item, r Ref) string {
    	a, _ := json.Marshal(i)
    	b, _ := json.Marshal(r)
    	return string(a) + string(b)
    }
    """
    after = """
    package a

    import "encoding/json"

    // Tag names an item.
    type Tag string

    // Meta is written inline.
    type Meta struct{ Owner string }

    type Item struct {
    	Tag `json:"Label"`
    	Meta
    	Alias Tag
    }

    type Ref struct {
    	*Tag `json:"Label,omitempty"`
    }

    func encode(i Item, r Ref) string {
    	a, _ := json.Marshal(i)
    	b, _ := json.Marshal(r)
    	return string(a) + string(b)
    }
    """
    from idrename import gotool
    from idrename.workflow import analyse_and_patch

    root = tmp_path / "mod"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/a\n\ngo 1.21\n")
    (root / "a.go").write_text(go(before))
    analysis, patch = analyse_and_patch([root], parse_policy(terms("Label", "Tag")), cache=False)
    assert patch is not None and not patch.warnings
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {"a.go": go(after)}
    assert [c.kind for c in analysis.conflicts] == ["api_change"]  # (Label is exported)
    for fp in patch.changed():
        (root / fp.path).write_bytes(fp.after)
    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    (root / "a_test.go").write_text(go("""
    package a

    import "testing"

    func TestEncode(t *testing.T) {
    	tag := Tag("r")
    	got := encode(Item{Tag: "x", Meta: Meta{Owner: "o"}, Alias: "y"}, Ref{&tag})
    	if got != `{"Label":"x","Owner":"o","Alias":"y"}{"Label":"r"}` {
    		t.Fatal(got)
    	}
    }
    """))
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_the_json_key_goes_into_the_tag_the_field_has(tmp_path: Path) -> None:
    # options only, other keys only (raw and interpreted), "-" (not on the wire), a JSON name
    # of its own (its contract decides it, as before), and a decoder variable: json all along
    src = WIRE_HEADER + go("""
        type Request struct {
        	RunID       string `json:",omitempty"`
        	ParentRunID string `yaml:"parent"`
        	ChildRunID  string "yaml:\\"child\\""
        	LastRunID   string `json:"-"`
        	NextRunID   string `json:"next_run_id"`
        }

        func handle(w http.ResponseWriter, r *http.Request) {
        	var req Request
        	dec := json.NewDecoder(r.Body)
        	_ = dec.Decode(&req)
        }
        """)
    policy = """
        [[contract]]
        wire = "next_run_id"
        strategy = "keep-legacy"
        rationale = "clients send it"
        """
    analysis, patch = wire_plan(tmp_path, {"api.go": src}, policy)
    after = patch.changed()[0].after.decode()
    assert after == WIRE_HEADER + go("""
        type Request struct {
        	SessionID       string `json:"RunID,omitempty"`
        	ParentSessionID string `yaml:"parent" json:"ParentRunID"`
        	ChildSessionID  string "yaml:\\"child\\" json:\\"ChildRunID\\""
        	LastSessionID   string `json:"-"`
        	NextSessionID   string `json:"next_run_id"`
        }

        func handle(w http.ResponseWriter, r *http.Request) {
        	var req Request
        	dec := json.NewDecoder(r.Body)
        	_ = dec.Decode(&req)
        }
        """)
    assert wire_warnings(analysis) == []


def test_a_field_of_an_embedded_struct_keeps_its_key_and_one_never_encoded_does_not(
        tmp_path: Path) -> None:
    src = WIRE_HEADER + go("""
        type Meta struct {
        	RunID string
        }

        type Event struct {
        	Meta
        	Kind string
        }

        type Local struct {
        	RunID string
        }

        func handle(w http.ResponseWriter, r *http.Request) {
        	e := Event{Kind: "x"}
        	b, _ := json.Marshal(e)
        	_, _ = w.Write(b)
        	_ = Local{RunID: "y"}
        }
        """)
    _analysis, patch = wire_plan(tmp_path, {"api.go": src})
    after = patch.changed()[0].after.decode()
    assert "type Meta struct {\n\tSessionID string `json:\"RunID\"`\n}" in after
    assert "type Local struct {\n\tSessionID string\n}" in after


def test_a_hard_cut_of_the_field_renames_its_key_too(tmp_path: Path) -> None:
    src = WIRE_HEADER + go("""
        type Status struct {
        	RunID       string
        	ParentRunID string
        }

        func handle(w http.ResponseWriter, r *http.Request) {
        	_ = json.NewEncoder(w).Encode(Status{RunID: "x"})
        }
        """)
    policy = """
        [[rule]]
        role = "field_decl"
        text = "RunID"
        decision = "hard-cut"
        rationale = "every client moves with us"
        """
    analysis, patch = wire_plan(tmp_path, {"api.go": src}, policy)
    after = patch.changed()[0].after.decode()
    assert ("type Status struct {\n\tSessionID       string\n"
            "\tParentSessionID string `json:\"ParentRunID\"`\n}") in after
    decided = analysis.decided
    parent = decided[decided["text"] == "ParentRunID"].iloc[0]
    assert parent["decided_by"] == "builtin:field_decl"
    assert wire_warnings(analysis) == []


def test_other_encodings_get_a_warning_and_no_tag(tmp_path: Path) -> None:
    # (the advice gives each encoding's own key: YAML's is the Go name in lower case)
    src = go("""
        package api

        import (
        	"encoding/gob"
        	"io"

        	"github.com/hashicorp/go-msgpack/codec"
        	"gopkg.in/yaml.v3"
        )

        type Join struct {
        	LTimeRunID uint64
        }

        type Leave struct {
        	RunID string
        }

        type Conf struct {
        	ParentRunID string
        }

        func send(w io.Writer, h *codec.MsgpackHandle) {
        	msg := Join{LTimeRunID: 1}
        	_ = codec.NewEncoder(w, h).Encode(&msg)
        	enc := gob.NewEncoder(w)
        	l := Leave{RunID: "x"}
        	_ = enc.Encode(l)
        	_, _ = yaml.Marshal(Conf{ParentRunID: "p"})
        }
        """)
    analysis, patch = wire_plan(tmp_path, {"api.go": src})
    after = patch.changed()[0].after.decode()
    assert "\tLTimeSessionID uint64\n}" in after and "\tSessionID string\n}" in after
    assert "\tParentSessionID string\n}" in after
    assert "`" not in after
    assert wire_warnings(analysis) == [
        "the field Join.LTimeRunID at svc/api.go:12 has no name of its own in its tag for codec, "
        "which write or read it under its Go name (encoded at svc/api.go:25): renaming it to "
        "LTimeSessionID changes that name on the wire, and the build does not say so: add "
        "`codec:\"LTimeRunID\"` (the encoder's tag with the old name), or keep the field (an "
        "[[override]] keep of its id)",
        "the field Leave.RunID at svc/api.go:16 has no name of its own in its tag for gob, "
        "which write or read it under its Go name (encoded at svc/api.go:28): renaming it to "
        "SessionID changes that name on the wire, and the build does not say so: gob has no "
        "tags: renaming the field changes the stream; keep it unless every reader moves "
        "together",
        # YAML's key of an untagged field is its Go name in lower case
        "the field Conf.ParentRunID at svc/api.go:20 has no name of its own in its tag for "
        "yaml, which write or read it under its Go name (encoded at svc/api.go:29): renaming it "
        "to ParentSessionID changes that name on the wire, and the build does not say so: add "
        "`yaml:\"parentrunid\"` (the encoder's tag with the old name), or keep the field (an "
        "[[override]] keep of its id)",
    ]
    severities = {c.severity for c in analysis.conflicts if c.kind == "wire_name"}
    assert severities == {"warning"}


def test_a_hard_cut_field_name_contract_renames_the_key_too(tmp_path: Path) -> None:
    src = WIRE_HEADER + go("""
        type Status struct {
        	RunID string
        }

        func handle(w http.ResponseWriter, r *http.Request) {
        	_ = json.NewEncoder(w).Encode(Status{RunID: "x"})
        }
        """)
    policy = """
        [[contract]]
        wire = "RunID"
        kind = "field_name"
        strategy = "hard-cut"
        rationale = "every client moves with us"
        """
    _analysis, patch = wire_plan(tmp_path, {"api.go": src}, policy)
    assert "type Status struct {\n\tSessionID string\n}" in patch.changed()[0].after.decode()


def test_a_struct_passed_to_a_json_helper_keeps_its_key(tmp_path: Path) -> None:
    src = WIRE_HEADER + go("""
        type Status struct {
        	RunID string
        }

        func writeJSON(w http.ResponseWriter, v any) {
        	_ = json.NewEncoder(w).Encode(v)
        }

        func handle(w http.ResponseWriter, r *http.Request) {
        	writeJSON(w, Status{RunID: r.URL.Path})
        }
        """)
    _analysis, patch = wire_plan(tmp_path, {"api.go": src})
    assert "\tSessionID string `json:\"RunID\"`\n" in patch.changed()[0].after.decode()


# -- Go templates (idrename.gotemplate) ----------------------------------------------------------
PAGE = """
package page

import (
	"embed"
	"html/template"
	"io"
)

//go:embed templates
var files embed.FS

// Conv is what the page shows.
type Conv struct {
	RunID string
}

var funcs = template.FuncMap{"shortRunID": func(id string) string { return id[:4] }}

var pages = template.Must(template.New("").Funcs(funcs).ParseFS(files, "templates/*.gohtml"))

var inline = template.Must(template.New("inline").Parse(`<i>{{.RunID}}</i>`))

// Render writes the page of one conversation.
func Render(w io.Writer, c Conv) error {
	if err := pages.ExecuteTemplate(w, "page", c); err != nil {
		return err
	}
	return inline.Execute(w, c)
}
"""
PAGE_TEMPLATE = """
{{define "page"}}<b data-run-id="{{.RunID}}">{{shortRunID .RunID}}</b>{{end}}
"""
PAGE_TEST = """
package page

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	var b strings.Builder
	if err := Render(&b, Conv{SessionID: "abcdef"}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != `<b data-run-id="abcdef">abcd</b><i>abcdef</i>` {
		t.Fatalf("got %q", got)
	}
}
"""


def test_templates_follow_the_fields_they_read(tmp_path: Path) -> None:
    # A template reads a field by its name at run time: `go build` never sees it. Before, the
    # field was renamed and `{{.RunID}}` was not, and the page failed ("can't evaluate field
    # RunID"). The HTML's own `data-run-id` is what the page writes out: kept.
    after_page = PAGE.replace("RunID string", "SessionID string").replace(
        '"shortRunID"', '"shortSessionID"').replace("{{.RunID}}", "{{.SessionID}}")
    after_template = """
    {{define "page"}}<b data-run-id="{{.SessionID}}">{{shortSessionID .SessionID}}</b>{{end}}
    """
    assert_codemod(tmp_path, {"page.go": PAGE, "templates/page.gohtml": PAGE_TEMPLATE},
                   {"page.go": after_page, "templates/page.gohtml": after_template})


def go_test_after_rename(tmp_path: Path, files: dict[str, str],
                         tests_after: dict[str, str] | None = None, policy: str = "",
                         base: str = BASE_POLICY) -> None:
    """Write ``files`` as a module, apply the plan's patch, write ``tests_after`` (tests in the
    new names), and run `go test` with the real toolchain."""
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    root = tmp_path / "mod"
    for name, text in {"go.mod": "module example.com/a\n\ngo 1.21\n", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    for fp in plan(root, parse_policy(base + textwrap.dedent(policy))).changed():
        (root / fp.path).write_bytes(fp.after)
    for name, text in (tests_after or {}).items():
        (root / name).write_text(go(text))
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def codemod_and_go_test(tmp_path: Path, code: str, test: str, after: str,
                        after_test: str | None = None, *, base: str = BASE_POLICY) -> None:
    """:func:`assert_codemod` on ``a.go`` and ``a_test.go`` (in ``tmp_path / "plan"``; the
    test unchanged when ``after_test`` is None), then `go test` after the patch, with the real
    toolchain (:func:`go_test_after_rename`, in ``tmp_path / "built"``)."""
    expected = {"a.go": after, **({"a_test.go": after_test} if after_test is not None else {})}
    assert_codemod(tmp_path / "plan", {"a.go": code, "a_test.go": test}, expected, base=base)
    go_test_after_rename(tmp_path / "built", {"a.go": code, "a_test.go": test}, base=base)


def files_codemod_and_go_test(tmp_path: Path, files: dict[str, str], expected: dict[str, str],
                              base: str) -> None:
    """:func:`assert_codemod` on ``files`` (in ``tmp_path / "plan"``), then `go test` after the
    patch with the real toolchain (in ``tmp_path / "built"``)."""
    assert_codemod(tmp_path / "plan", files, expected, base=base)
    go_test_after_rename(tmp_path / "built", files, base=base)


def workflow_plan(tmp_path: Path, files: dict[str, str], base: str) -> tuple[Path, Any, Any]:
    """(root, analysis, patch) of ``files`` written as a module under ``tmp_path / "mod"``,
    planned as ``idrename diff`` plans (:func:`idrename.workflow.analyse_and_patch`, with the
    wire contracts); nothing written to the module."""
    from idrename.workflow import analyse_and_patch

    root = tmp_path / "mod"
    for name, text in {"go.mod": "module example.com/a\n\ngo 1.21\n", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    analysis, patch = analyse_and_patch([root], parse_policy(base), cache=False)
    return root, analysis, patch


def workflow_and_go_test(tmp_path: Path, files: dict[str, str], expected: dict[str, str], *,
                         base: str = BASE_POLICY) -> None:
    """The patch as ``idrename diff`` plans it (:func:`idrename.workflow.analyse_and_patch`,
    with the wire contracts) of ``files`` as a module: the changed files are ``expected``, and
    `go test` passes once it is applied, with the real toolchain."""
    root, _analysis, patch = workflow_plan(tmp_path, files, base)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        k: go(v) for k, v in expected.items()}
    applied_and_go_tested(root, patch)


def applied_and_go_tested(root: Path, patch: Patch) -> None:
    """Write the patch's changed files under ``root`` and run `go test` there with the real
    toolchain: it passes."""
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    for fp in patch.changed():
        (root / fp.path).write_bytes(fp.after)
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_renamed_templates_still_render(tmp_path: Path) -> None:
    go_test_after_rename(tmp_path, {"page.go": PAGE, "templates/page.gohtml": PAGE_TEMPLATE},
                         {"page_test.go": PAGE_TEST})


def test_a_configuration_files_keys_and_comments_are_kept(tmp_path: Path) -> None:
    # Found on InfluxDB's etc/config.sample.toml: `# retention-policy = ""` is a key commented
    # out. Renamed as prose, the sample named a key the program does not read (its
    # `toml:"retention-policy"` tag is kept, as every key users wrote in a file is).
    before = """
    package a

    // Config is read from app.toml.
    type Config struct {
    	RunID string `toml:"run_id"`
    }
    """
    after = """
    package a

    // Config is read from app.toml.
    type Config struct {
    	SessionID string `toml:"run_id"`
    }
    """
    config = """
    # Where the runs come from.
    # run_id = "scheduler"
    run_id = "x"
    """
    assert_codemod(tmp_path, {"a.go": before, "app.toml": config}, {"a.go": after})


# -- strings that name a Go field or method (role member_name) --------------------------------------
MEMBERS = """
package a

import "reflect"

type Req struct {
	RunID   string `validate:"required_without=Name"`
	Name    string `validate:"required_without=RunID,max=64"`
	Choices string `validate:"oneof=RunID Name"`
}

type Conv struct {
	RunID string
	Req   Req `gorm:"foreignKey:RunID;references:RunID;column:run_id"`
}

// Store finds conversations.
type Store interface {
	FindByRunID(id string) (Conv, error)
}

// Field reads a field of a request by its name.
func Field(r Req) reflect.Value {
	return reflect.ValueOf(r).FieldByName("RunID")
}
"""
MEMBERS_TEST = """
package a

import "testing"

type mockStore struct{ expected []string }

func (m *mockStore) On(method string, args ...any) { m.expected = append(m.expected, method) }

func (m *mockStore) AssertCalled(t *testing.T, method string, args ...any) bool { return true }

func TestStore(t *testing.T) {
	m := &mockStore{}
	m.On("FindByRunID", "r1")
	m.AssertCalled(t, "FindByRunID", "r1")
	if !Field(Req{}).IsValid() {
		t.Fatal("no such field")
	}
}
"""


def test_strings_that_name_a_member_follow_it(tmp_path: Path) -> None:
    # reflect and testify's mock find a field or method by its name at run time, a validator
    # tag names the field it compares, gorm's foreignKey the field that holds the key: they
    # were left to review one by one. `oneof=RunID` is a value, and gorm's `column` a column.
    after = MEMBERS.replace("RunID   string", "SessionID string").replace(
        "Name    string", "Name      string").replace("Choices string", "Choices   string").replace(
        "required_without=RunID", "required_without=SessionID").replace(
        "RunID string\n\tReq   Req", "SessionID string\n\tReq       Req").replace(
        "foreignKey:RunID;references:RunID", "foreignKey:SessionID;references:SessionID").replace(
        "FindByRunID", "FindBySessionID").replace('FieldByName("RunID")',
                                                  'FieldByName("SessionID")')
    after_test = MEMBERS_TEST.replace("FindByRunID", "FindBySessionID")
    assert_codemod(tmp_path, {"a.go": MEMBERS, "a_test.go": MEMBERS_TEST},
                   {"a.go": after, "a_test.go": after_test})


def test_renamed_member_names_still_find_their_members(tmp_path: Path) -> None:
    go_test_after_rename(tmp_path, {"a.go": MEMBERS, "a_test.go": MEMBERS_TEST})


# -- path parameters (role path_param) --------------------------------------------------------------
ROUTES = """
package a

import "net/http"

// Routes serves one run.
func Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /runs/{run_id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.PathValue("run_id")))
	})
}
"""
ROUTES_TEST = """
package a

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRoutes(t *testing.T) {
	mux := http.NewServeMux()
	Routes(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/runs/r-1", nil))
	if body, _ := io.ReadAll(w.Result().Body); string(body) != "r-1" {
		t.Fatalf("got %q", body)
	}
}
"""


def test_a_path_parameter_is_renamed_in_its_route_and_its_reads(tmp_path: Path) -> None:
    # A client sends the value, never the name: `{run_id}` is internal to the server. Before,
    # the route was left to review and PathValue was read as a query parameter, with a
    # fallback to the legacy name that the route alone could satisfy.
    after = ROUTES.replace("{run_id}", "{session_id}").replace('PathValue("run_id")',
                                                                'PathValue("session_id")')
    assert_codemod(tmp_path, {"a.go": ROUTES}, {"a.go": after})
    go_test_after_rename(tmp_path / "built", {"go.mod": "module example.com/a\n\ngo 1.22\n",
                                              "a.go": ROUTES, "a_test.go": ROUTES_TEST})


def test_a_tag_that_binds_a_path_parameter_goes_with_its_route(tmp_path: Path) -> None:
    # gin binds `:run_id` to the field whose `uri` tag spells it. Before, the route was renamed
    # and the tag kept as a request tag: ShouldBindUri then failed `required` on every request.
    before = """
    package a

    import "github.com/gin-gonic/gin"

    type getRun struct {
    	ID string `uri:"run_id" binding:"required"`
    }

    func routes(g *gin.Engine) {
    	g.GET("/runs/:run_id", func(c *gin.Context) {
    		var req getRun
    		if err := c.ShouldBindUri(&req); err != nil {
    			c.JSON(400, gin.H{"error": err.Error()})
    		}
    	})
    }
    """
    after = before.replace("run_id", "session_id")
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after})


def test_a_path_parameter_kept_in_a_generated_route_keeps_its_reads_for_review(
        tmp_path: Path) -> None:
    generated = """
    // Code generated by oapi-codegen. DO NOT EDIT.

    package a

    import "net/http"

    // Routes serves one run.
    func Routes(mux *http.ServeMux, h http.HandlerFunc) {
    	mux.HandleFunc("GET /runs/{run_id}", h)
    }
    """
    handler = """
    package a

    import "net/http"

    func handle(w http.ResponseWriter, r *http.Request) {
    	w.Write([]byte(r.PathValue("run_id")))
    }
    """
    root = tmp_path / "mod"
    root.mkdir()
    (root / "routes.gen.go").write_text(go(generated))
    (root / "handler.go").write_text(go(handler))
    pol = parse_policy(BASE_POLICY)
    frame = decide(scan([root], pol.spec).frame, pol)
    read = frame[frame.path == "handler.go"].iloc[0]
    assert (read.role, read.decision, read.decided_by) == ("path_param", "review", "path-param")
    assert "routes.gen.go:9 is keep (generated)" in read.rationale


def test_a_route_that_already_has_the_new_parameter_is_left_to_review(tmp_path: Path) -> None:
    # `{session_id}` twice in one pattern: net/http panics when the route is registered.
    routes = """
    package a

    import "net/http"

    func routes(mux *http.ServeMux, h http.HandlerFunc) {
    	mux.HandleFunc("GET /runs/{run_id}/sessions/{session_id}", h)
    }

    func read(r *http.Request) string { return r.PathValue("run_id") }
    """
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text(go(routes))
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    assert [(r.role, r.decision, r.decided_by) for r in frame.itertuples()] == [
        ("path_param", "review", "name-taken"), ("path_param", "review", "path-param")]
    assert not build_patch(frame, inv.roots).changed()


# -- a test's strings that quote a message ----------------------------------------------------------
LOOKUP = """
package a

import "errors"

// Lookup finds a run.
func Lookup(runID string) error {
	if runID == "" {
		return errors.New("no run_id given")
	}
	return nil
}
"""
LOOKUP_TEST = """
package a

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	err := Lookup("")
	if err == nil || err.Error() != "no run_id given" {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "no run_id") {
		t.Fatal("the name is missing")
	}
	keys := map[string]string{"a": "run_id"}
	queries := []string{"run_id given"} // a part of a message, compared with no error
	_, _ = keys, queries
}
"""


def test_a_test_string_that_quotes_a_message_follows_it(tmp_path: Path) -> None:
    # The message was renamed and the test that compares it was left to review: go test failed
    # until someone renamed it by hand. A bare "run_id" may be a key, and a string that no
    # error is compared with (found on InfluxDB: `SHOW MEASUREMENTS`, which a usage text also
    # held) is not quoting a message: both still to review.
    after = LOOKUP.replace("runID", "sessionID").replace("no run_id", "no session_id")
    after_test = LOOKUP_TEST.replace('!= "no run_id', '!= "no session_id').replace(
        '"no run_id")', '"no session_id")')
    codemod_and_go_test(tmp_path, LOOKUP, LOOKUP_TEST, after, after_test)


PARSE = """
package a

import (
	"errors"
	"fmt"
	"strings"
)

// Parse reads a run's key.
func Parse(key string) (string, error) {
	if key == "" {
		return "", errors.New("no run_id given")
	}
	runID, ok := strings.CutPrefix(key, "run:")
	if !ok {
		return "", fmt.Errorf("key %q holds no run_id", key)
	}
	return runID, nil
}
"""
PARSE_TEST = """
package a

import "testing"

func TestParse(t *testing.T) {
	tests := []struct{ key, wantErr string }{
		{"", "no run_id given"},
		{"x", "key \\"x\\" holds no run_id"},
		{"run:1", ""},
	}
	for _, tt := range tests {
		_, err := Parse(tt.key)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.wantErr {
			t.Errorf("Parse(%q): got %q, want %q", tt.key, got, tt.wantErr)
		}
	}
	_ = []string{"run_id given", "holds no run_id"} // parts of messages, compared with nothing
}
"""


def test_a_test_string_that_quotes_a_part_of_what_a_format_prints_follows_it(
        tmp_path: Path) -> None:
    # Found on an ETL framework (step -> action, default policy, go test failed): the test
    # looked for "step[0] failed" in the error of fmt.Errorf("step[%d] failed: %w", ...). The
    # message was renamed; the test's string, the start of what the format prints with a
    # number for %d, was not taken for quoting it. A part of what a format prints, cut where
    # the string is and writing the name itself, quotes it; a part a verb alone prints
    # (anything %w wraps) does not.
    code = go("""
        package a

        import "fmt"

        func Run(steps []func() error) error {
        	for i, step := range steps {
        		if err := step(); err != nil {
        			return fmt.Errorf("step[%d] failed: %w", i, err)
        		}
        	}
        	return nil
        }
        """)
    test = go("""
        package a

        import (
        	"errors"
        	"strings"
        	"testing"
        )

        func TestRun(t *testing.T) {
        	err := Run([]func() error{func() error { return errors.New("broke") }})
        	if err == nil || !strings.Contains(err.Error(), "step[0] failed") {
        		t.Fatal(err)
        	}
        }
        """)
    codemod_and_go_test(
        tmp_path, code, test,
        code.replace("i, step := range steps", "i, action := range actions").replace(
            "func Run(steps []", "func Run(actions []").replace(
            "err := step();", "err := action();").replace('"step[%d] failed', '"action[%d] failed'),
        test.replace('"step[0] failed"', '"action[0] failed"'), base=terms("step", "action"))


def test_a_test_table_that_quotes_whole_messages_follows_them(tmp_path: Path) -> None:
    # Table-driven tests hold the expected error text away from the line that compares it.
    # Before, those strings were left to review and go test failed after the rename. A string
    # of a test file that compares errors follows a message when it is the whole message, or
    # what its format prints (%q standing for "x"); a part of one still goes to review.
    after = PARSE.replace("runID", "sessionID").replace("no run_id", "no session_id")
    after_test = PARSE_TEST.replace('"no run_id given"}', '"no session_id given"}').replace(
        'holds no run_id"},', 'holds no session_id"},')
    codemod_and_go_test(tmp_path, PARSE, PARSE_TEST, after, after_test)


RUN_ERROR = """
package a

import "fmt"

// RunIDError is a failed run.
type RunIDError struct {
	Code int
	Text string
}

func (e *RunIDError) Error() string { return fmt.Sprintf("RunIDError(%d, %q)", e.Code, e.Text) }
"""
RUN_ERROR_TEST = """
package a

import "testing"

func TestErrorText(t *testing.T) {
	if got, want := (&RunIDError{13, "x"}).Error(), `RunIDError(13, "x")`; got != want {
		t.Fatalf("error=%s, want %s", got, want)
	}
}
"""


def test_a_string_compared_with_an_error_follows_the_format_that_prints_it(
        tmp_path: Path) -> None:
    # Found on jepsen-io/maelstrom (RPCError -> RemoteError): the format `"RPCError(%s, %q)"`
    # was renamed, and the `RPCError(Crash, "foo")` its test compares `.Error()` with, on the
    # same line, was left to review: only a part of the message's text counted there, not what
    # its format prints. go test failed.
    after = RUN_ERROR.replace("RunIDError", "SessionIDError")
    after_test = RUN_ERROR_TEST.replace("RunIDError", "SessionIDError")
    codemod_and_go_test(tmp_path, RUN_ERROR, RUN_ERROR_TEST, after, after_test)


# sqlc's output, in a folder whose name is not its package's: `package db` in `db-gen`.
SQLC_MODELS = """
// Code generated by sqlc. DO NOT EDIT.

package db

type GetUnreadParams struct {
	ConversationID int64
	RunID          int64
}

type Participant struct {
	RunID int64
}
"""
SQLC_TX = """
package db

// MarkReadParams is written by hand.
type MarkReadParams struct {
	RunID int64
}

// Result holds a participant.
type Result struct {
	P Participant
}

// Create makes a result.
func Create(p MarkReadParams) Result { return Result{P: Participant{RunID: p.RunID}} }

// Unread counts.
func Unread(p GetUnreadParams) int64 { return p.RunID }
"""
SQLC_TEST = """
package tests

import (
	"testing"

	"example.com/a/db-gen"
)

func TestTx(t *testing.T) {
	result := db.Create(db.MarkReadParams{RunID: 7})
	if result.P.RunID != 7 || db.Unread(db.GetUnreadParams{RunID: 7}) != 7 {
		t.Fatal(result)
	}
}
"""


def test_a_generated_package_named_unlike_its_folder_keeps_its_members(tmp_path: Path) -> None:
    # Found on a real tree (sqlc in db/sqlc/db-gen, `package db`): the import binds `db`, not
    # the folder's `db_gen`, so `db.GetUnreadParams{RunID: 7}` was not seen to be the generated
    # struct's, and was renamed: the build failed. A selector whose receiver the syntax does not
    # type (`result.P.RunID`), of a name that generated and hand-written structs both declare,
    # goes to review.
    files = {"db-gen/models.go": SQLC_MODELS, "db-gen/tx.go": SQLC_TX, "tests/tx_test.go": SQLC_TEST}
    root = tmp_path / "mod"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    decided = decide(inv.frame, pol, inv.roots)
    uses = decided[decided.path == "tests/tx_test.go"]
    assert [(r.owner, r.decision, r.decided_by) for r in uses.itertuples()] == [
        ("db.MarkReadParams", "rename", "builtin:composite_key"),
        ("", "review", "generated-homonym"),
        ("db.GetUnreadParams", "keep", "declared-in-generated")]
    go_test_after_rename(tmp_path / "built", files)


def test_package_names_read_as_go_reads_them_build_after_the_rename(tmp_path: Path) -> None:
    # Both found on real trees, where the renamed declaration was left with uses of its old
    # name (`undefined: db.AllRunIDs`): a local shadowing the package after its own declaration
    # (`db := db.AllRunIDs`), and a package named in lower case in a mixed-case folder.
    files = {
        "db/db.go": "package db\n\n// AllRunIDs lists the runs.\nvar AllRunIDs = []string{\"r\"}\n",
        "templateMaker/page.go": """
            package templatemaker

            // PageForRunID renders a run.
            func PageForRunID(id string) string { return "<p>" + id + "</p>" }
            """,
        "web/web.go": """
            package web

            import (
            	"example.com/a/db"
            	"example.com/a/templateMaker"
            )

            // First renders the first run.
            func First() string {
            	db := db.AllRunIDs
            	return templatemaker.PageForRunID(db[0])
            }
            """,
        "web/web_test.go": """
            package web

            import "testing"

            func TestFirst(t *testing.T) {
            	if got := First(); got != "<p>r</p>" {
            		t.Fatal(got)
            	}
            }
            """,
    }
    go_test_after_rename(tmp_path, files)


def test_environment_variables_and_flags_are_kept(tmp_path: Path) -> None:
    # Deployments set RUN_ID and scripts pass --run-id: renamed, they would stop reaching the
    # program. They were left to review one by one; now they are kept, with the reason.
    before = """
    package a

    import (
    	"flag"
    	"os"
    )

    var runIDFlag = flag.String("run-id", "", "the run")

    func runID() string {
    	if id := os.Getenv("RUN_ID"); id != "" {
    		return id
    	}
    	return *runIDFlag
    }
    """
    after = """
    package a

    import (
    	"flag"
    	"os"
    )

    var sessionIDFlag = flag.String("run-id", "", "the run")

    func sessionID() string {
    	if id := os.Getenv("RUN_ID"); id != "" {
    		return id
    	}
    	return *sessionIDFlag
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after})
    pol = parse_policy(BASE_POLICY)
    inv = scan([tmp_path / "mod"], pol.spec)
    decided = decide(inv.frame, pol, inv.roots)
    kept = decided[decided.role == "external_name"]
    assert sorted(kept.text) == ["RUN_ID", "run-id"]
    assert set(kept.decision) == {"keep"} and set(kept.decided_by) == {"builtin:external_name"}


def test_prometheus_names_are_kept_with_their_queries(tmp_path: Path) -> None:
    # Before, prometheus.Labels{"run_id": id} was a map key, dual-emitted under the compat
    # default: With() then got a label the CounterVec does not declare, and client_golang panics
    # on it. The metric's and labels' names are kept (role metric_name); the Go names renamed.
    before = """
    package a

    import "github.com/prometheus/client_golang/prometheus"

    var lookups = prometheus.NewCounterVec(prometheus.CounterOpts{
    	Name: "run_id_lookups_total",
    }, []string{"run_id"})

    func count(runID string) {
    	lookups.With(prometheus.Labels{"run_id": runID}).Inc()
    }
    """
    after = before.replace("(runID string)", "(sessionID string)").replace(
        '"run_id": runID}', '"run_id": sessionID}')
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nmap_key = "dual"\n')
    pol = parse_policy(BASE_POLICY)
    inv = scan([tmp_path / "mod"], pol.spec)
    kept = decide(inv.frame, pol, inv.roots).query("role == 'metric_name'")
    assert [(r.text, r.decision, r.decided_by) for r in kept.itertuples()] == [
        ("run_id_lookups_total", "keep", "builtin:metric_name"),
        ("run_id", "keep", "builtin:metric_name"),
        ("run_id", "keep", "builtin:metric_name")]
    assert "dashboards, alerts and recording rules" in kept.rationale.iloc[0]


def test_a_cookie_keeps_its_name(tmp_path: Path) -> None:
    # Before, the cookie's name was a plain string, left to review one by one; renamed, every
    # cookie browsers already hold would be lost. The Go names are renamed.
    before = """
    package a

    import "net/http"

    func remember(w http.ResponseWriter, r *http.Request) string {
    	if c, err := r.Cookie("run_id"); err == nil {
    		return c.Value
    	}
    	runID := r.URL.Path
    	http.SetCookie(w, &http.Cookie{Name: "run_id", Value: runID})
    	return runID
    }
    """
    after = before.replace("runID", "sessionID")
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after})
    pol = parse_policy(BASE_POLICY)
    inv = scan([tmp_path / "mod"], pol.spec)
    kept = decide(inv.frame, pol, inv.roots).query("role == 'cookie_name'")
    assert [(r.line, r.decision, r.decided_by) for r in kept.itertuples()] == [
        (6, "keep", "builtin:cookie_name"), (10, "keep", "builtin:cookie_name")]
    assert "browsers hold the cookies" in kept.rationale.iloc[0]


def test_a_database_filter_keeps_its_stored_field(tmp_path: Path) -> None:
    # Dual-emitted like a response's map, FindOne(M{"run_id": id}) became a filter on both
    # "run_id" and "session_id": no stored document has both, so it matched nothing. A map a
    # database call takes (MongoDB's filters, updates and documents, gorm's Where) names a
    # stored field: kept until a migration renames it. A response's map is still dual-emitted.
    before = """
    package a

    import "encoding/json"

    type M map[string]any

    type Coll struct{}

    func (Coll) FindOne(filter any) error { return nil }
    func (Coll) UpdateOne(f, u any) error { return nil }

    func find(c Coll, runID string) ([]byte, error) {
    	if err := c.FindOne(M{"run_id": runID}); err != nil {
    		return nil, err
    	}
    	if err := c.UpdateOne(M{"x": 1}, M{"$set": M{"run_id": runID}}); err != nil {
    		return nil, err
    	}
    	return json.Marshal(map[string]string{"run_id": runID})
    }
    """
    after = """
    package a

    import "encoding/json"

    type M map[string]any

    type Coll struct{}

    func (Coll) FindOne(filter any) error { return nil }
    func (Coll) UpdateOne(f, u any) error { return nil }

    func find(c Coll, sessionID string) ([]byte, error) {
    	if err := c.FindOne(M{"run_id": sessionID}); err != nil {
    		return nil, err
    	}
    	if err := c.UpdateOne(M{"x": 1}, M{"$set": M{"run_id": sessionID}}); err != nil {
    		return nil, err
    	}
    	return json.Marshal(map[string]string{"run_id": sessionID, "session_id": sessionID})
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   policy='[defaults]\nmap_key = "dual"\n')


def test_a_sprintf_string_without_a_space_is_left_to_review(tmp_path: Path) -> None:
    # fmt.Sprintf's strings were all messages, renamed: the URL of another service's query
    # parameter (which that service may not accept yet) and a cache key (whose stored entries
    # would no longer be found) with them. Without a space it is no sentence: review.
    before = """
    package a

    import "fmt"

    func endpoint(base, id string) string {
    	return fmt.Sprintf("%s/api/conversation?run_id=%s", base, id)
    }

    func cacheKey(id string) string { return fmt.Sprintf("conv:%s:run_id", id) }

    func describe(id string) string { return fmt.Sprintf("the run_id is %s", id) }
    """
    after = before.replace("the run_id is", "the session_id is")
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after})
    pol = parse_policy(BASE_POLICY)
    inv = scan([tmp_path / "mod"], pol.spec)
    decided = decide(inv.frame, pol, inv.roots)
    assert list(decided.decision) == ["review", "review"]



def test_a_doc_comments_verb_spelled_like_the_plural_is_kept(tmp_path: Path) -> None:
    # Renaming the one-word term Store, `// Put stores rec` became `// Put repos rec`: the
    # word after the name a Go doc comment starts with is its verb. Elsewhere, and as a noun,
    # the plural is renamed; a [[rule]] with detail "verb" renames the verb too.
    before = """
    package a

    // Store keeps records.
    type Store struct{}

    // Put stores rec under its key,
    // stores being the place for it.
    func (s *Store) Put(rec string) {}

    // Stores lists the stores we know.
    var Stores []Store
    """
    after = """
    package a

    // Repo keeps records.
    type Repo struct{}

    // Put stores rec under its key,
    // repos being the place for it.
    func (s *Repo) Put(rec string) {}

    // Repos lists the repos we know.
    var Repos []Repo
    """
    base = '[rename]\nfrom = "Store"\nto = "Repo"\n'
    assert_codemod(tmp_path / "kept", {"a.go": before}, {"a.go": after}, base=base)
    rule = '[[rule]]\nrole = "doc_comment"\ndetail = "verb"\ndecision = "rename"\nrationale = "r"\n'
    assert_codemod(tmp_path / "ruled", {"a.go": before},
                   {"a.go": after.replace("Put stores", "Put repos")}, base=base, policy=rule)


PROSE = """
package a

import "fmt"

// Lookup returns the conversation of a run ID; Run IDs are unique.
func Lookup(id string) error {
	// the RUN ID must be known: a run, ID checks and a rerun ID are other words
	return fmt.Errorf("unknown run ID %q", id)
}

//go:generate echo run ID
var _ = 0
"""


def test_prose_that_writes_the_terms_words_apart_is_renamed_in_comments(tmp_path: Path) -> None:
    # "the run ID" in a comment names the same thing as RunID, and gopls leaves it. Comments
    # only: a message's words reach users and tests (the Errorf stays), and a directive's are
    # read by the toolchain.
    after = """
    package a

    import "fmt"

    // Lookup returns the conversation of a session ID; Session IDs are unique.
    func Lookup(id string) error {
    	// the SESSION ID must be known: a run, ID checks and a rerun ID are other words
    	return fmt.Errorf("unknown run ID %q", id)
    }

    //go:generate echo run ID
    var _ = 0
    """
    assert_codemod(tmp_path, {"a.go": PROSE}, {"a.go": after})


def test_prose_follows_a_rule_of_its_own(tmp_path: Path) -> None:
    # detail "prose" lets a policy keep the words while the names are renamed
    files = {"a.go": PROSE.replace("func Lookup", "func LookupRunID")}
    after = PROSE.replace("func Lookup", "func LookupSessionID")
    assert_codemod(tmp_path, files, {"a.go": after}, policy="""
        [[rule]]
        role = ["comment", "doc_comment"]
        detail = "prose"
        decision = "keep"
        rationale = "prose is edited by the docs team"
        """)
    pol = parse_policy(BASE_POLICY + '[[rule]]\nrole = ["comment", "doc_comment"]\n'
                       'detail = "prose"\ndecision = "keep"\nrationale = "docs"\n')
    inv = scan([tmp_path / "mod"], pol.spec)
    decided = decide(inv.frame, pol, inv.roots)
    prose = decided[decided["detail"] == "prose"]
    assert prose[["line", "text", "decision"]].values.tolist() == [
        [5, "run ID", "keep"], [5, "Run IDs", "keep"], [7, "RUN ID", "keep"]]


def _toolchain_at_least(minor: int) -> Any:
    """The Go toolchain, or a skip when there is none or it is older than Go 1.<minor>."""
    import re

    from idrename import gotool

    toolchain = gotool.find_toolchain()
    found = re.match(r"go1\.(\d+)", toolchain.version) if toolchain is not None else None
    if toolchain is None or found is None or int(found.group(1)) < minor:
        pytest.skip(f"needs a Go 1.{minor} toolchain")
    return toolchain


NEWER_SYNTAX = """
package a

type Options struct {
	RunID *string
	Limit *int
}

type Store struct{ runs []string }

// Find returns the options of a run: new(expr) is Go 1.26.
func Find(runID string) Options {
	return Options{RunID: new(runID), Limit: new(len(runID) + 1)}
}

// Map applies f to each run: type parameters on a method are Go 1.27.
func (s *Store) Map[T any](f func(string) T) []T {
	var out []T
	for _, runID := range s.runs {
		out = append(out, f(runID))
	}
	return out
}
"""


def test_a_file_with_newer_go_syntax_is_renamed(tmp_path: Path) -> None:
    # tree-sitter-go reads new's argument as a type and knows no method type parameters: the
    # file did not parse, its occurrences were unparsed and never edited, so every use of the
    # family in it was a conflict. It is parsed from a masked copy of the same length now.
    toolchain = _toolchain_at_least(27)
    after = (NEWER_SYNTAX.replace("RunID", "SessionID").replace("runID", "sessionID")
             .replace("\tLimit *int", "\tLimit     *int"))
    assert_codemod(tmp_path, {"a.go": NEWER_SYNTAX}, {"a.go": after})
    from idrename import gotool

    root = tmp_path / "mod"
    (root / "go.mod").write_text("module example.com/a\n\ngo 1.27\n")
    (root / "a_test.go").write_text(go("""
        package a

        import "testing"

        func TestFind(t *testing.T) {
        	if o := Find("r1"); *o.SessionID != "r1" || *o.Limit != 3 {
        		t.Fatal(*o.SessionID, *o.Limit)
        	}
        	s := &Store{runs: []string{"a", "bc"}}
        	if got := s.Map(func(v string) int { return len(v) }); len(got) != 2 || got[1] != 2 {
        		t.Fatal(got)
        	}
        }
        """))
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_a_member_in_a_methods_type_parameters_keeps_the_file_unparsed(tmp_path: Path) -> None:
    # What is masked to parse the file is neither classified nor edited: a type parameter
    # named in the family would be renamed at its uses and not where it is declared.
    from idrename.gosyntax import scan_go
    from idrename.spec import Spec

    src = go("""
        package a

        type Store struct{}

        func (s *Store) Get[RunID ~string](id RunID) RunID { return id }
        """).encode()
    rows = scan_go("a.go", src, Spec("RunID", "SessionID"))
    assert [(o.line, o.role) for o in rows.occurrences] == [
        (5, "unparsed"), (5, "unparsed"), (5, "unparsed")]
    assert rows.syntax_errors



KEYS = """
package keys

// Wire names.
const (
	HeaderRunID = "X-Run-ID" // sent and read
	ParamRunID  = "run_id"
	LogRunID    = "run_id"
)
"""
HANDLER = """
package api

import (
	"log/slog"
	"net/http"

	"example.com/a/keys"
)

func Handle(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get(keys.ParamRunID)
	if id == "" {
		id = r.Header.Get(keys.HeaderRunID)
	}
	slog.Info("handled", keys.LogRunID, id)
	w.Header().Set(keys.HeaderRunID, id)
}
"""
HELD_POLICY = '[defaults]\nhttp_header = "dual"\nquery_param = "accept-both"\nlog_key = "dual"\n'


def test_a_wire_name_held_in_a_constant_of_the_family_gets_its_legacy_constant(
        tmp_path: Path) -> None:
    # The constants were renamed and their values left with a warning: declare the legacy
    # names and use them by hand, at every use, in other packages. The legacy constant is
    # declared beside each, and each use gets the shim a string there gets: a second Set, a
    # second log pair, a read that falls back (under dual-emit too, for a read).
    keys_after = """
    package keys

    // Wire names.
    const (
    	HeaderSessionID = "X-Session-ID" // sent and read
    	// LegacyHeaderSessionID is HeaderSessionID's name before the rename, sent too.
    	LegacyHeaderSessionID = "X-Run-ID"
    	ParamSessionID        = "session_id"
    	// LegacyParamSessionID is ParamSessionID's name before the rename, read too.
    	LegacyParamSessionID = "run_id"
    	LogSessionID         = "session_id"
    	// LegacyLogSessionID is LogSessionID's name before the rename, logged too.
    	LegacyLogSessionID = "run_id"
    )
    """
    handler_after = """
    package api

    import (
    	"log/slog"
    	"net/http"

    	"example.com/a/keys"
    )

    func Handle(w http.ResponseWriter, r *http.Request) {
    	id := r.URL.Query().Get(keys.ParamSessionID)
    	if id == "" {
    		id = r.URL.Query().Get(keys.LegacyParamSessionID)
    	}
    	if id == "" {
    		id = r.Header.Get(keys.HeaderSessionID)
    		if id == "" {
    			id = r.Header.Get(keys.LegacyHeaderSessionID)
    		}
    	}
    	slog.Info("handled", keys.LogSessionID, id, keys.LegacyLogSessionID, id)
    	w.Header().Set(keys.HeaderSessionID, id)
    	w.Header().Set(keys.LegacyHeaderSessionID, id)
    }
    """
    assert_codemod(tmp_path, {"keys/keys.go": KEYS, "api/handler.go": HANDLER},
                   {"keys/keys.go": keys_after, "api/handler.go": handler_after},
                   policy=HELD_POLICY)


def test_a_legacy_constant_already_declared_leaves_the_constant_to_the_user(
        tmp_path: Path) -> None:
    # LegacyLogSessionID is declared in the package already: another would not build.
    files = {"keys/keys.go": KEYS + "\nconst LegacyLogSessionID = 1\n", "api/handler.go": HANDLER}
    root = tmp_path / "mod"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    patch = plan(root, parse_policy(BASE_POLICY + HELD_POLICY))
    assert [w.split(": ", 1)[1] for w in patch.warnings] == [
        "'run_id' is the value of LogSessionID: declare one for 'session_id' beside it and use "
        "both where LogSessionID is logged, by hand"]
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert "LegacyHeaderSessionID = \"X-Run-ID\"" in after["keys/keys.go"]
    assert "keys.LegacyLogSessionID" not in after["api/handler.go"]


def test_a_struct_printed_by_percent_v_in_an_expected_string_follows_its_field(
        tmp_path: Path) -> None:
    # Found on Go's debug/pe (NumLineNumbers -> NumLineNos): a test compares fmt's %+v of a
    # struct with `{Size:8 NumLineNumbers:0 ...}`. The string was left to review and go test
    # failed after apply; a field's name before a colon in such a dump names the field.
    files = {
        "aux.go": """
        package a

        type Aux struct {
        	Size  int
        	RunID uint16
        }
        """,
        "aux_test.go": """
        package a

        import (
        	"fmt"
        	"testing"
        )

        func TestDump(t *testing.T) {
        	if got := fmt.Sprintf("%+v", Aux{Size: 8, RunID: 3}); got != "{Size:8 RunID:3}" {
        		t.Fatal(got)
        	}
        	if got := fmt.Sprintf("%#v", Aux{Size: 8}); got != "a.Aux{Size:8, RunID:0x0}" {
        		t.Fatal(got)
        	}
        	if want := "RunID: 3"; want == "" { // prose, not a dump: left
        		t.Fatal(want)
        	}
        }
        """,
    }
    go_test_after_rename(tmp_path, files)
    after = (tmp_path / "mod" / "aux_test.go").read_text()
    assert '"{Size:8 SessionID:3}"' in after and '"a.Aux{Size:8, SessionID:0x0}"' in after
    assert '"RunID: 3"' in after


def test_a_constant_read_inside_an_expression_falls_back_before_its_statement(
        tmp_path: Path) -> None:
    # strconv.Atoi(r.URL.Query().Get(keys.ParamRunID)) could not take the legacy constant's
    # fallback, so the constant was left whole; the read goes to a variable before it now.
    handler = HANDLER.replace('"net/http"', '"net/http"\n\t"strconv"').replace(
        "func Handle(", "func Page(r *http.Request) (int, error) {\n"
        "\treturn strconv.Atoi(r.URL.Query().Get(keys.ParamRunID))\n}\n\nfunc Handle(")
    root = tmp_path / "mod"
    for name, text in {"keys/keys.go": KEYS, "api/handler.go": handler}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    patch = plan(root, parse_policy(BASE_POLICY + HELD_POLICY))
    assert patch.warnings == []
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert 'LegacyParamSessionID = "run_id"' in after["keys/keys.go"]
    assert go("""
    func Page(r *http.Request) (int, error) {
    	paramSessionID := r.URL.Query().Get(keys.ParamSessionID)
    	if paramSessionID == "" {
    		paramSessionID = r.URL.Query().Get(keys.LegacyParamSessionID)
    	}
    	return strconv.Atoi(paramSessionID)
    }
    """) in after["api/handler.go"]


def test_a_constant_with_a_use_that_cannot_take_its_shim_is_left_whole(tmp_path: Path) -> None:
    # A read on the right of && cannot fall back on the legacy constant (read before the
    # statement, it would run when r is nil): renamed with that use left, the constant would
    # stop reading the legacy name there. All the uses or none.
    handler = HANDLER.replace(
        "func Handle(", "func Page(r *http.Request) bool {\n"
        "\treturn r != nil && r.URL.Query().Get(keys.ParamRunID) != \"\"\n}\n\nfunc Handle(")
    root = tmp_path / "mod"
    for name, text in {"keys/keys.go": KEYS, "api/handler.go": handler}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    patch = plan(root, parse_policy(BASE_POLICY + HELD_POLICY))
    assert [w.split(": ", 1)[1] for w in patch.warnings] == [
        "'run_id' is the value of ParamSessionID: declare one for 'session_id' beside it and "
        "use both where ParamSessionID is read, by hand"]
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert 'ParamSessionID        = "run_id"' in after["keys/keys.go"]  # the value kept
    assert "LegacyParamSessionID" not in after["keys/keys.go"] + after["api/handler.go"]
    assert "keys.LegacyHeaderSessionID" in after["api/handler.go"]  # the others are written


DELIMS_PAGE = """
package a

import (
	"embed"
	"io"
	"text/template"
)

//go:embed templates/page.tmpl
var files embed.FS

type Page struct{ RunID string }

var page = template.Must(template.New("page.tmpl").Delims("[[", "]]").ParseFS(files, "templates/page.tmpl"))

var inline = template.Must(template.New("x").Delims("<%", "%>").Parse("run <% .RunID %>\\n"))

func Render(w io.Writer, p Page) error {
	if err := page.Execute(w, p); err != nil {
		return err
	}
	return inline.Execute(w, p)
}
"""


def test_templates_with_other_delimiters_follow_their_fields(tmp_path: Path) -> None:
    # A template parsed after Delims("[[", "]]") reads `[[ .RunID ]]`: its file was text to
    # keep and the string a string to review, so the field was renamed and the template failed
    # at run time (template: no field RunID). Its `{{ ... }}` is text there.
    page_test = """
    package a

    import (
    	"strings"
    	"testing"
    )

    func TestRender(t *testing.T) {
    	var b strings.Builder
    	err := Render(&b, Page{SessionID: "r1"})
    	if err != nil || b.String() != "Run: r1 {{ text }}\\nrun r1\\n" {
    		t.Fatalf("%q %v", b.String(), err)
    	}
    }
    """
    go_test_after_rename(tmp_path, {"page.go": DELIMS_PAGE,
                                    "templates/page.tmpl": "Run: [[ .RunID ]] {{ text }}\n"},
                         {"page_test.go": page_test})
    assert (tmp_path / "mod" / "templates" / "page.tmpl").read_text() == \
        "Run: [[ .SessionID ]] {{ text }}\n"


def test_a_constant_declared_with_another_is_left_whole(tmp_path: Path) -> None:
    # `HeaderRunID, Other = "X-Run-ID", "x"`: no legacy constant can be declared beside one
    # name of two, so its uses must not name one either. (The warning named the comma too.)
    keys = KEYS.replace('HeaderRunID = "X-Run-ID" // sent and read',
                        'HeaderRunID, Other = "X-Run-ID", "x"')
    root = tmp_path / "mod"
    for name, text in {"keys/keys.go": keys, "api/handler.go": HANDLER}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    patch = plan(root, parse_policy(BASE_POLICY + HELD_POLICY))
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert "LegacyHeaderSessionID" not in after["keys/keys.go"] + after["api/handler.go"]
    assert "keys.LegacyParamSessionID" in after["api/handler.go"]
    assert [w.split(": ", 1)[1] for w in patch.warnings if "gofmt" not in w] == [
        "'X-Run-ID' is the value of HeaderSessionID, Other: declare one for 'X-Session-ID' "
        "beside it and use both where HeaderSessionID, Other is sent, by hand"]


def test_the_article_before_a_word_renamed_in_prose_follows_the_new_word(tmp_path: Path) -> None:
    # "an order" becomes "a purchase", and back again; an article that did not agree with the
    # old word is the writer's, and an Example's output and a directive are not English
    before = """
    package a

    // Order is an order of a customer; an Order is placed once.
    // An order's lines are priced by a order desk (sic).
    type Order struct{ ID string }

    // Place stores an
    // order: AN ORDER it keeps.
    func Place(o Order) {} // place an	order
    """
    after = """
    package a

    // Purchase is a purchase of a customer; a Purchase is placed once.
    // A purchase's lines are priced by a purchase desk (sic).
    type Purchase struct{ ID string }

    // Place stores an
    // purchase: A PURCHASE it keeps.
    func Place(o Purchase) {} // place a	purchase
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, base=terms("Order", "Purchase"))
    back = {"a.go": after.replace("(sic)", "")}
    expected = before.replace("(sic)", "").replace("a order desk", "an order desk")
    assert_codemod(tmp_path / "back", back, {"a.go": expected},
                   base=terms("Purchase", "Order"))


def test_an_initialism_takes_the_article_of_its_first_letters_name(tmp_path: Path) -> None:
    # "a run ID" stays "a session ID"; an ID read letter by letter: "an HTTP handler" and
    # "a URL handler"; a u word the spelling does not settle keeps its article
    before = """
    package a

    // HTTPHandler serves a request: a HTTPHandler is an HTTP handler.
    type HTTPHandler struct{}

    // Handle is an HTTPHandler method, for an HTTPHandler. A urgent case.
    func (HTTPHandler) Handle() {}
    """
    after = """
    package a

    // URLHandler serves a request: a URLHandler is a URL handler.
    type URLHandler struct{}

    // Handle is a URLHandler method, for a URLHandler. A urgent case.
    func (URLHandler) Handle() {}
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   base=terms("HTTPHandler", "URLHandler"))


# -- a message that spells a value of the code --------------------------------------------------
CODES = """
package a

import "net/http"

// Batch is a batch of checks.
type Batch struct{ ID string }

func notFound(w http.ResponseWriter) {
	http.Error(w, "batch_not_found", http.StatusNotFound)
}
"""
CODES_TEST = """
package a

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNotFound(t *testing.T) {
	rec := httptest.NewRecorder()
	notFound(rec)
	if got := rec.Body.String(); !strings.Contains(got, "batch_not_found") {
		t.Errorf("code = %q, want batch_not_found", got)
	}
	_ = Batch{}
}
"""


def test_a_message_that_spells_a_string_of_the_code_follows_it(tmp_path: Path) -> None:
    # Found on an URL checker (Batch -> Scan): the error code "batch_not_found" was left to
    # review, and the test's failure message that names it was renamed "want scan_not_found":
    # it named a code the server never sends. It follows the code's strings: to review with
    # them, kept with them, renamed with them.
    root = tmp_path / "review"
    for name, text in {"a.go": CODES, "a_test.go": CODES_TEST}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    pol = parse_policy(terms("Batch", "Scan"))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    code = frame[frame["text"] == "batch_not_found"]
    assert [(r.path, r.role, r.decision, r.decided_by) for r in code.itertuples()] == [
        ("a.go", "string", "review", "builtin:string"),
        ("a_test.go", "string", "review", "builtin:string"),
        ("a_test.go", "message", "review", "wire-spelling")]
    assert code.iloc[2]["rationale"] == (
        "spells the value at a.go:9, decided review: decide the message as it is (it names the "
        "value the code uses)")
    kept = CODES.replace("Batch", "Scan").replace("batch of", "scan of")
    kept_test = CODES_TEST.replace("Batch{}", "Scan{}")
    assert_codemod(tmp_path / "keep", {"a.go": CODES, "a_test.go": CODES_TEST},
                   {"a.go": kept, "a_test.go": kept_test}, base=terms("Batch", "Scan"),
                   policy='[defaults]\nstring = "keep"\n')
    assert_codemod(tmp_path / "rename", {"a.go": CODES, "a_test.go": CODES_TEST},
                   {"a.go": kept.replace("batch_not", "scan_not"),
                    "a_test.go": kept_test.replace("batch_not", "scan_not")},
                   base=terms("Batch", "Scan"), policy='[defaults]\nstring = "rename"\n')


def test_a_go_name_of_another_package_does_not_stop_a_message_following_a_value(
        tmp_path: Path) -> None:
    # Found on a status-page generator (Service -> Component): its config reader's error
    # `"service" must be declared as [[service]] blocks` was renamed while the key it names,
    # doc["service"], went to review (kept by the patch), and the tests expecting the error
    # failed. A parameter named `service` in another package's test had made "service" a Go
    # name the message might mean; only a Go name of the message's own package counts now.
    config = """
    package config

    import "fmt"

    // Service is one probed service.
    type Service struct{ Name string }

    func Parse(doc map[string]any) ([]Service, error) {
    	if doc["service"] == nil {
    		return nil, fmt.Errorf("\\"service\\" must be declared as [[service]] blocks")
    	}
    	return nil, nil
    }
    """
    other_test = """
    package stats

    func rec(service string) string { return service }
    """
    root = tmp_path / "svc"
    for name, text in {"config/config.go": config, "stats/stats_test.go": other_test}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    pol = parse_policy(terms("Service", "Component"))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    in_config = frame[(frame["text"] == "service") & (frame["path"] == "config/config.go")
                      & frame["role"].isin(["string", "message"])]
    assert [(r.role, r.decision, r.decided_by) for r in in_config.itertuples()] == [
        ("string", "review", "builtin:string"),
        ("message", "review", "wire-spelling"), ("message", "review", "wire-spelling")]
    # in the package that has a Go name `service`, a message spelling it is renamed with it
    (root / "config" / "config.go").write_text(go(config).replace(
        "func Parse(doc map[string]any)", "func Parse(service string, doc map[string]any)"))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    messages = frame[(frame["role"] == "message") & (frame["path"] == "config/config.go")]
    assert set(messages["decided_by"]) == {"builtin:message"}


def test_a_tests_string_quoting_a_message_that_spells_a_value_follows_it_to_review(
        tmp_path: Path) -> None:
    # Found on the same status-page generator: once its config error went to review (it
    # spells the key doc["service"] reads), the test's strings quoting it had already been
    # renamed after it ("quotes a message of the code that is renamed"), since they were
    # decided first: the patch changed the test's input and kept the code. A message now
    # follows the value it spells first, and a test's string quoting it follows what it became.
    config = """
    package config

    import "fmt"

    // Service is one probed service.
    type Service struct{ Name string }

    func Parse(doc map[string]any) error {
    	if _, ok := doc["service"].([]any); !ok {
    		return fmt.Errorf("no service block defined")
    	}
    	return nil
    }
    """
    config_test = """
    package config

    import "testing"

    func TestParse(t *testing.T) {
    	err := Parse(map[string]any{})
    	if err == nil || err.Error() != "no service block defined" {
    		t.Fatal(err)
    	}
    }
    """
    root = tmp_path / "svc"
    for name, text in {"config/config.go": config, "config/config_test.go": config_test}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    pol = parse_policy(terms("Service", "Component"))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    rows = frame[(frame["text"] == "service") & frame["role"].isin(["string", "message"])]
    assert [(r.path, r.role, r.decision, r.decided_by, r.suggestion)
            for r in rows.itertuples()] == [
        ("config/config.go", "string", "review", "builtin:string", ""),
        ("config/config.go", "message", "review", "wire-spelling", "component"),
        ("config/config_test.go", "string", "review", "quotes-message", "component")]


def test_a_line_key_a_message_writes_follows_the_value_the_code_reads_it_by(
        tmp_path: Path) -> None:
    # Found on a note-taking CLI (tags -> labels, default policy, go test failed): its
    # frontmatter writer's "tags: [%s]\n" was renamed, while its reader's case "tags": and the
    # test's expected text were strings left to review: notes written could not be read back.
    # The message spells that value, but the package also has a variable tags, so it was taken
    # for naming the variable. Written as a line's key (first on its line, a colon after it),
    # it is the key the code reads, and follows that value; one in a sentence names the Go name.
    code = go("""
        package a

        import (
        	"fmt"
        	"strings"
        )

        func Format(tags []string) string {
        	return fmt.Sprintf("title: x\\ntags: [%s]\\n", strings.Join(tags, ", "))
        }

        func Parse(text string) []string {
        	for _, line := range strings.Split(text, "\\n") {
        		key, value, _ := strings.Cut(line, ": ")
        		switch key {
        		case "tags":
        			return strings.Split(strings.Trim(value, "[]"), ", ")
        		}
        	}
        	return nil
        }

        func Check(tags []string) error {
        	if len(tags) == 0 {
        		return fmt.Errorf("no tags given")
        	}
        	return nil
        }
        """)
    test = go("""
        package a

        import "testing"

        func TestRoundTrip(t *testing.T) {
        	text := Format([]string{"go", "cli"})
        	if text != "title: x\\ntags: [go, cli]\\n" || len(Parse(text)) != 2 {
        		t.Fatalf("%q", text)
        	}
        }
        """)
    after = code.replace("func Format(tags []string)", "func Format(labels []string)").replace(
        "strings.Join(tags,", "strings.Join(labels,").replace(
        "func Check(tags []string)", "func Check(labels []string)").replace(
        "len(tags) == 0", "len(labels) == 0").replace('"no tags given"', '"no labels given"')
    files_codemod_and_go_test(tmp_path, {"a.go": code, "a_test.go": test}, {"a.go": after},
                              base=terms("tags", "labels"))


def test_a_media_type_and_the_form_data_disposition_keep_their_words(tmp_path: Path) -> None:
    # Found on Go's net/http and mime/multipart (Form -> Input): "multipart/form-data" became
    # "multipart/input-data" in the code that checks a request's Content-Type and in the tests
    # that send one, and `form-data; name="x"` lost its disposition: uploads were refused.
    # A standard's names are kept wherever they are written; the Go names are renamed.
    before = """
    package a

    import (
    	"fmt"
    	"net/http"
    )

    // ParseForm reads a multipart/form-data or an application/x-www-form-urlencoded form.
    func ParseForm(r *http.Request) error {
    	if r.Header.Get("Content-Type") != "multipart/form-data" {
    		return fmt.Errorf("form: want multipart/form-data")
    	}
    	_ = fmt.Sprintf(`form-data; name="%s"`, "f")
    	return nil
    }
    """
    after = """
    package a

    import (
    	"fmt"
    	"net/http"
    )

    // ParseInput reads a multipart/form-data or an application/x-www-form-urlencoded input.
    func ParseInput(r *http.Request) error {
    	if r.Header.Get("Content-Type") != "multipart/form-data" {
    		return fmt.Errorf("input: want multipart/form-data")
    	}
    	_ = fmt.Sprintf(`form-data; name="%s"`, "f")
    	return nil
    }
    """
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, base=terms("Form", "Input"),
                   policy='[defaults]\nstring = "rename"\n')


def test_a_message_that_spells_a_wire_name_is_renamed_as_its_contract_keeps_both(
        tmp_path: Path) -> None:
    # A JSON key's tag is decided by its contract (dual-emit: both keys sent), not by the
    # decisions: a message that spells it is renamed as by default. Before, the tag's decision
    # before compat (review) sent 1,204 messages of the benchmark's tree to review.
    before = """
    package a

    import "fmt"

    // Batch is a batch.
    type Batch struct {
    	ID string `json:"batch_id"`
    }

    func check(b Batch) error {
    	if b.ID == "" {
    		return fmt.Errorf("no batch_id")
    	}
    	return nil
    }
    """
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text(go(before))
    pol = parse_policy(terms("Batch", "Scan"))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    message = frame[frame["role"] == "message"]
    assert message[["text", "decision", "decided_by"]].values.tolist() == [
        ["batch_id", "rename", "builtin:message"]]


def test_a_cgi_variable_of_a_standard_header_in_a_tests_map_is_kept(tmp_path: Path) -> None:
    # Found on Go's net/http/cgi (Cookie -> Biscuit): the test's expected environment got
    # "env-HTTP_BISCUIT" beside "env-HTTP_COOKIE" (a map key, dual-emitted by its contract),
    # which no web server sets; the map's own key of the application is renamed.
    before = """
    package a

    var want = map[string]string{
    	"env-HTTP_COOKIE": "nom=NOM",
    	"cookie_jar":      "x",
    }
    """
    after = before.replace('"cookie_jar":      "x"', '"cookie_jar":      "x",\n'
                           '    \t"biscuit_jar":     "x"')
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after}, base=terms("Cookie", "Biscuit"),
                   policy='[defaults]\nmap_key = "dual"\n')


CONFIG_BEFORE = """
package a

import (
	"bytes"
	"encoding/json"
)

// Policy has defaults that a partial document keeps.
type Policy struct {
	Tolerance int    `json:"tolerance"`
	OnNew     string `json:"on_new"`
}

// File is a lockfile; New gives its defaults.
type File struct {
	Policy Policy            `json:"policy"`
	Runs   map[string]int    `json:"runs"`
	RunID  string            `json:"run_id"`
	Count  int               `json:"count,string"`
	Extra  map[string]string `json:"extra"`
}

func New() File {
	return File{Policy: Policy{Tolerance: 10, OnNew: "fail"}, Runs: map[string]int{},
		RunID: "default", Count: 7}
}

func Parse(data []byte) (File, error) {
	f := New()
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&f)
	return f, err
}
"""
# Passes before the rename (with the names as they were) and after it, for the legacy keys.
CONFIG_TEST = """
package a

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want string
		run  int
	}{
		{`{}`, "default", 0},  // absent: New's value stays
		{`{"run_id":"old"}`, "old", 0},  // the legacy key alone
		{`{"session_id":"new","run_id":"old"}`, "new", 0},  // both: the new key wins
		{`{"session_id":"new","runs":{"a":1}}`, "new", 1},
	} {
		f, err := Parse([]byte(c.doc))
		if err != nil {
			t.Fatal(c.doc, err)
		}
		if f.SessionID != c.want || len(f.Sessions) != c.run || f.Policy.Tolerance != 10 ||
			f.Policy.OnNew != "fail" || f.Count != 7 {
			t.Fatalf("%s: %+v", c.doc, f)
		}
	}
	// a partial nested object keeps the other defaults; `,string` reads a quoted number
	f, err := Parse([]byte(`{"policy":{"tolerance":3},"count":"9","sessions":{"b":2}}`))
	if err != nil || f.Policy.OnNew != "fail" || f.Policy.Tolerance != 3 || f.Count != 9 ||
		f.Sessions["b"] != 2 {
		t.Fatalf("%+v %v", f, err)
	}
	f, err = Parse([]byte(`{"runs":{"c":3}}`))  // a legacy map key, added to New's map
	if err != nil || f.Sessions["c"] != 3 {
		t.Fatalf("%+v %v", f, err)
	}
}
"""


def test_the_legacy_key_methods_keep_what_the_value_held_before_decoding(tmp_path: Path) -> None:
    # `f := New(); Decode(&f)` keeps New's defaults for the keys the input does not name, as
    # encoding/json does. The UnmarshalJSON written before decoded into a zero value: the
    # defaults were lost (a lockfile's policy read as "" and refused), and the legacy key was
    # not taken when New had already set the renamed field (an old file's budgets dropped).
    root = tmp_path / "mod"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/a\n\ngo 1.21\n")
    (root / "a.go").write_text(CONFIG_BEFORE.lstrip("\n"))
    pol = parse_policy(BASE_POLICY + '[defaults]\nstruct_tag = "accept-both"\n'
                       '[rename.explicit]\nRuns = "Sessions"\nruns = "sessions"\n')
    patch = plan(root, pol)
    after = {fp.path: fp.after.decode() for fp in patch.changed()}["a.go"]
    assert "}{plain: (*plain)(f)}" in after
    assert '\tif err := json.Unmarshal(aux.SessionID, &f.SessionID); err != nil {' in after
    assert patch.warnings == []
    (root / "a.go").write_text(after)
    go_test_as_patched(tmp_path, CONFIG_TEST)


def test_a_method_in_the_current_form_takes_a_second_rename(tmp_path: Path) -> None:
    # RunID -> SessionID wrote the methods; ConvID -> ThreadID merges its key into them.
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text(go("""
    package a

    type Entry struct {
    	RunID  string `json:"run_id"`
    	ConvID string `json:"conv_id"`
    }
    """))
    first = plan(root, parse_policy(BASE_POLICY + '[defaults]\nstruct_tag = "accept-both"\n'))
    (root / "a.go").write_bytes(first.changed()[0].after)
    second = plan(root, parse_policy('[rename]\nfrom = "ConvID"\nto = "ThreadID"\n'
                                     '[defaults]\nstruct_tag = "accept-both"\n'))
    assert second.warnings == []
    after = second.changed()[0].after.decode()
    assert after.count("func (e *Entry) UnmarshalJSON") == 1
    assert '// "run_id" for "session_id", "conv_id" for "thread_id".' in after
    (root / "a.go").write_text(after)
    go_test_as_patched(tmp_path, """
    package a

    import (
    	"encoding/json"
    	"testing"
    )

    func TestBoth(t *testing.T) {
    	var e Entry
    	if err := json.Unmarshal([]byte(`{"run_id":"r","conv_id":"c"}`), &e); err != nil {
    		t.Fatal(err)
    	}
    	if e.SessionID != "r" || e.ThreadID != "c" {
    		t.Fatalf("%+v", e)
    	}
    }
    """)


VALIDATE = """
package a

import "fmt"

// Validate checks the budgets.
func Validate(budgets map[string]int) error {
	for name, v := range budgets {
		if name == "" {
			return fmt.Errorf("budgets: empty run_id name")
		}
		if v < 0 {
			return fmt.Errorf("budgets[%s]: negative run_id", name)
		}
	}
	return nil
}
"""
VALIDATE_TEST = """
package a

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		budgets map[string]int
		wantErr string
	}{
		{map[string]int{"": 1}, "empty run_id name"},
		{map[string]int{"a": -1}, "negative run_id"},
	}
	for _, c := range cases {
		err := Validate(c.budgets)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Fatalf("err = %v, want %q", err, c.wantErr)
		}
	}
}
"""


def test_a_phrase_of_a_message_that_a_table_test_looks_for_follows_it(tmp_path: Path) -> None:
    # Found on a real CI tool's lockfile tests: `strings.Contains(err.Error(), c.wantErr)` with
    # `wantErr: "empty suite name"` for `fmt.Errorf("budgets: empty suite name")`. A part of a
    # message in a table was left to review (only whole messages counted away from the line
    # that compares), so go test failed after the rename. In a file that looks for a part of
    # an error's text, a phrase of three words or more of a message follows it; two words
    # ("negative run_id") may be a key a message also holds, and stay to review.
    after = VALIDATE.replace("run_id", "session_id")
    after_test = VALIDATE_TEST.replace('"empty run_id name"', '"empty session_id name"')
    assert_codemod(tmp_path / "plan", {"a.go": VALIDATE, "a_test.go": VALIDATE_TEST},
                   {"a.go": after, "a_test.go": after_test})



NPCS = """
package world

import "fmt"

// NPC is a character of the world.
type NPC struct {
	ID       string
	Dialogue string
}

// Check reports an NPC that cannot speak.
func Check(n NPC) error {
	if n.Dialogue == "" {
		return fmt.Errorf("NPC %q needs dialogue", n.ID)
	}
	return nil
}
"""
NPCS_TEST = """
package world

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"npc.guard", "needs dialogue"},
	} {
		err := Check(NPC{ID: tc.id})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("want %q, got %v", tc.want, err)
		}
	}
}
"""


def test_a_two_word_phrase_of_a_message_follows_it_where_its_name_is_a_plain_word(
        tmp_path: Path) -> None:
    # Found on a text-adventure server (Dialogue -> Speech): its table's `want: "needs
    # dialogue"`, looked for in `err.Error()`, quotes `fmt.Errorf("NPC %q needs dialogue")`.
    # Two words were too few for a phrase, so it stayed to review and go test failed once the
    # message was renamed. Two words quote a message where the name is written as a plain
    # word; a snake_case name ("negative run_id" above) may be a key, and stays to review.
    after = (NPCS.replace("Dialogue", "Speech").replace("dialogue", "speech")
             .replace("ID       string", "ID     string"))
    after_test = NPCS_TEST.replace('"needs dialogue"', '"needs speech"')
    codemod_and_go_test(tmp_path, NPCS, NPCS_TEST, after, after_test,
                        base=terms("Dialogue", "Speech"))



ROSTER = """
package world

// NPC is a character the server moves.
type NPC struct{ ID string }

// World holds the NPCs by id.
type World struct{ NPCs map[string]NPC }

func (w *World) resolveNPCLocked(id string) (NPC, bool) {
	npc, ok := w.NPCs[id]
	return npc, ok
}

// MaxNPCs bounds a room.
const MaxNPCs = 8
"""


def test_a_term_written_in_capitals_is_an_initialism_in_camel_case(tmp_path: Path) -> None:
    # Found on the same server (NPC -> Character): the patch declared `type CHARACTER`,
    # `resolveCHARACTERLocked` and `World.CHARACTERs`, since only Go's own initialisms were
    # read as such and `NPC` was taken for a name in capitals. The user wrote the term in
    # capitals: it is an initialism, which Go writes in capitals inside camel case.
    after = go("""
    package world

    // Character is a character the server moves.
    type Character struct{ ID string }

    // World holds the Characters by id.
    type World struct{ Characters map[string]Character }

    func (w *World) resolveCharacterLocked(id string) (Character, bool) {
    	character, ok := w.Characters[id]
    	return character, ok
    }

    // MaxCharacters bounds a room.
    const MaxCharacters = 8
    """)
    assert_codemod(tmp_path, {"a.go": ROSTER}, {"a.go": after}, base=terms("NPC", "Character"))


ANNOUNCE = """
package a

import "log/slog"

// Announce logs a reply sent.
func Announce(l *slog.Logger, id string) {
	l.Info("server response", "id", id)
}
"""
ANNOUNCE_TEST = """
package a

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestAnnounce(t *testing.T) {
	var buf bytes.Buffer
	Announce(slog.New(slog.NewJSONHandler(&buf, nil)), "x")
	var entry map[string]any
	if err := json.Unmarshal(buf.Bytes(), &entry); err != nil {
		t.Fatal(err)
	}
	if entry["msg"] != "server response" {
		t.Fatalf("msg = %v", entry["msg"])
	}
}
"""


def test_a_tests_string_that_is_a_whole_message_follows_it(tmp_path: Path) -> None:
    # Found on the same server (server -> mud): its test reads the JSON log and counts
    # `entry["msg"] == "server response"`, the whole text of `logger.Info("server response")`.
    # Only strings compared with an error's text were taken to quote a message, so it stayed
    # to review while the log's message was renamed, and go test failed. A test's string that
    # is a whole message of the code, of two words at least, quotes it wherever it stands.
    after = ANNOUNCE.replace("server response", "server reply")
    after_test = ANNOUNCE_TEST.replace("server response", "server reply")
    codemod_and_go_test(tmp_path, ANNOUNCE, ANNOUNCE_TEST, after, after_test,
                        base=terms("Response", "Reply"))



def test_a_tests_own_message_is_not_quoted_by_its_strings(tmp_path: Path) -> None:
    # Found on a status page (history -> probelog): a test's configuration text, `"history =
    # \"data/probes.jsonl\"\noutput = ..."`, was taken for what the test's own
    # `t.Fatalf("history = %+v", recs)` prints, and renamed with it: the config then named a
    # key the program does not read. Away from an error's text, a string quotes only the
    # code's messages, and only whole.
    code = """
    package a

    import "strings"

    // Load reads the run_id key of a config text.
    func Load(text string) string {
    	key, value, _ := strings.Cut(strings.TrimSpace(text), " = ")
    	if key != "run_id" {
    		return ""
    	}
    	return value
    }
    """
    test = """
    package a

    import "testing"

    func TestLoad(t *testing.T) {
    	got := Load("run_id = x\\n")
    	if got != "x" {
    		t.Fatalf("run_id = %+v", got)
    	}
    }
    """
    root = tmp_path / "mod"
    root.mkdir()
    for name, text in {"a.go": code, "a_test.go": test}.items():
        (root / name).write_text(go(text))
    pol = parse_policy(BASE_POLICY)
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    strings = frame[(frame["path"] == "a_test.go") & (frame["role"] == "string")]
    assert [(r.line, r.decision, r.decided_by) for r in strings.itertuples()] == [
        (6, "review", "builtin:string")]



REPLICATION = """
package a

import (
	"fmt"
	"strings"
)

// Info writes the replication section, a field a line.
func Info(runID string, port int) string {
	var b strings.Builder
	b.WriteString("# Replication\\r\\n")
	b.WriteString(fmt.Sprintf("run_id:%s\\r\\n", runID))
	b.WriteString(fmt.Sprintf("port:%d\\r\\n", port))
	return b.String()
}

// Check refuses an empty run id.
func Check(runID string) error {
	if runID == "" {
		return fmt.Errorf("run_id: %q is empty", runID)
	}
	return nil
}
"""
REPLICATION_TEST = """
package a

import "testing"

func TestInfo(t *testing.T) {
	want := "# Replication\\r\\nrun_id:x\\r\\nport:1\\r\\n"
	if got := Info("x", 1); got != want {
		t.Fatalf("Info() = %q, want %q", got, want)
	}
}
"""


def test_the_key_of_a_field_a_format_writes_is_not_prose(tmp_path: Path) -> None:
    # Found on a Redis clone (MasterHost -> PrimaryHost): `fmt.Sprintf("master_host:%s\r\n")`
    # writes a field of the INFO reply, a protocol's key, but as a message it was renamed
    # (`primary_host:`), while the test's expected reply was left to review: go test failed,
    # and every client reading master_host would have. A message that writes the name as the
    # key of a field (at its start or after a line break or a field separator, right before
    # `:` or `=` and a verb, the field ending the line or the text) goes to review; an error
    # that begins with the name (`run_id: %q is empty`) is still prose.
    after = (REPLICATION.replace("runID", "sessionID").replace("run id", "session id")
             .replace('"run_id: %q', '"session_id: %q'))
    codemod_and_go_test(tmp_path, REPLICATION, REPLICATION_TEST, after)
    pol = parse_policy(BASE_POLICY)
    inv = scan([tmp_path / "plan" / "mod"], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    keys = frame[(frame["role"] == "message") & (frame["decided_by"] == "record-key")]
    assert [(r.line, r.decision, r.suggestion) for r in keys.itertuples()] == [
        (12, "review", "session_id")]



def test_a_one_word_key_among_key_value_fields_is_not_prose(tmp_path: Path) -> None:
    # Found on a network lab's HTTP/2 client (Status -> Verdict): `"%s: protocol=%s status=%s
    # duration=%s\n"` writes a line of fields, but the key was one word, which the record-key
    # pass took for prose: `verdict=` was written for every reader of those lines. A one-word
    # key goes to review as one field of several `key=%v`; alone, or before `:` or ` = `, it
    # stays prose.
    before = go("""
        package a

        import "fmt"

        func Report(name, proto, runID string) string {
        	line := fmt.Sprintf("%s: proto=%s run=%s took=%d", name, proto, runID, 3)
        	prose := fmt.Sprintf("the run: %s", runID)
        	spaced := fmt.Sprintf("n=%d run = %s", 1, runID)
        	alone := fmt.Sprintf("%s and run=%s", name, runID)
        	return line + prose + spaced + alone
        }
        """)
    root = tmp_path / "mod"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/a\n\ngo 1.21\n")
    (root / "a.go").write_text(before)
    pol = parse_policy(terms("run", "session"))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    messages = frame[frame["role"] == "message"]
    assert [(r.line, r.decision, r.decided_by, r.suggestion) for r in messages.itertuples()] == [
        (6, "review", "record-key", "session"),
        (7, "rename", "builtin:message", ""),
        (8, "rename", "builtin:message", ""),
        (9, "rename", "builtin:message", "")]
    # (a word alone before `=`, after prose: `... and run=%s`, ends its line, but no other
    # field stands beside it)


PAGES = """
package web

import (
	"embed"
	"html/template"
	"io"
)

//go:embed templates/*.html
var templateFS embed.FS

// Report is what a page shows.
type Report struct{ Title string }

// Render writes a page of the report.
func Render(w io.Writer, page string, r Report) error {
	t, err := template.ParseFS(templateFS, "templates/"+page)
	if err != nil {
		return err
	}
	return t.Execute(w, r)
}

// RenderReport writes the report's page.
func RenderReport(w io.Writer, r Report) error { return Render(w, "report.html", r) }
"""
PAGES_TEST = """
package web

import (
	"strings"
	"testing"
)

func TestRenderReport(t *testing.T) {
	var b strings.Builder
	if err := RenderReport(&b, Report{Title: "x"}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "<h1>x</h1>\\n" {
		t.Fatalf("page = %q", b.String())
	}
}
"""


def test_a_page_its_package_embeds_keeps_its_bare_name(tmp_path: Path) -> None:
    # Found on a weather app (weather -> wxmodel, every string renamed): its server parses
    # `"templates/"+name` from its embedded folder for `name` in `"weather.html"`, ...; the
    # bare name was renamed to a page that does not exist, and every handler failed. A bare
    # file name that its package embeds from a folder is a path, kept (`file-path`).
    policy = '[defaults]\nstring = "rename"\n'
    files = {"web.go": PAGES, "web_test.go": PAGES_TEST, "templates/report.html": "<h1>{{.Title}}</h1>\n"}
    go_test_after_rename(tmp_path, files, policy=policy, base=terms("Report", "Bulletin"))


def test_a_comment_or_message_naming_a_file_of_the_roots_keeps_the_file_s_name(
        tmp_path: Path) -> None:
    # Found on a cron parser (Next -> Following): its file's header `// File: cronexpr_next.go`
    # became `cronexpr_following.go`, and on a job queue (queue -> workq) `//
    # internal/queue/dlq.go` became `internal/workq/dlq.go`: the patch moves no file, so both
    # named nothing. A comment's or message's word that names a file of the roots is kept.
    before = {
        "internal/queue/next.go": """
            // internal/queue/next.go
            // File: next.go (see queue.go).

            // Package queue holds the next task.
            package queue

            import "errors"

            // ErrNext is returned by Next.
            var ErrNext = errors.New("queue: see next.go")

            // Next is the next task.
            func Next() string { return "" }
            """,
        "internal/queue/queue.go": "package queue\n",
    }
    after = {"internal/queue/next.go": before["internal/queue/next.go"]
             .replace("holds the next", "holds the following")
             .replace("ErrNext", "ErrFollowing").replace("by Next", "by Following")
             .replace("// Next is the next", "// Following is the following")
             .replace("func Next", "func Following")}
    assert_codemod(tmp_path, before, after, base=terms("Next", "Following"))



def test_a_string_spelling_an_import_path_of_the_module_keeps_it(tmp_path: Path) -> None:
    # Found on an import linter (Lint -> Check, every string renamed): its tests expect the
    # module path `"github.com/hedhyw/go-import-lint"`, from a constant and from a go.mod
    # written in a raw string of several lines; both became `go-import-check`, a module that
    # does not exist, and go test failed. The patch renames no module and moves no folder: a
    # string (or a line of one) that is the module's path or an import path in it is kept. So
    # was a Sudoku solver's `"github.com/scottbushyhead/sudoku-flow/internal/solver"`, given to
    # `go list -deps` (solver -> deducer), a path whose segments have a role of their own.
    go_mod = "module example.com/lint-tool\n\ngo 1.21\n"
    before = {
        "go.mod": go_mod,
        "a.go": """
            package a

            // Lint lints the module.
            func Lint() string { return "lint" }
            """,
        "a_test.go": """
            package a

            import "testing"

            const modPath = "example.com/lint-tool"

            // the package `go list -deps` is asked about (a path, role path_segment)
            const subPkg = "example.com/lint-tool/lint"

            const goMod = `
            module example.com/lint-tool/sub
            `

            func TestLint(t *testing.T) {
            	if Lint() != "lint" || modPath == "" || goMod == "" || subPkg == "" {
            		t.Fatal(modPath)
            	}
            }
            """,
    }
    after = {
        "a.go": before["a.go"].replace("Lint lints", "Check lints").replace(
            "Lint()", "Check()").replace('"lint"', '"check"'),
        "a_test.go": before["a_test.go"].replace("TestLint", "TestCheck").replace(
            "Lint()", "Check()").replace('"lint"', '"check"'),
    }
    assert_codemod(tmp_path, before, after,
                   base=terms("Lint", "Check") + '[defaults]\nstring = "rename"\n')


def test_a_folder_named_by_a_join_of_literals_keeps_its_name(tmp_path: Path) -> None:
    # Found on a kit installer (Kit -> Bundle, every string renamed): its tests read the
    # fixtures at `filepath.Join("..", "..", "testdata", "kits")`; the last element became
    # "bundles", a folder that does not exist. An element of filepath.Join or path.Join after
    # literals only is read as the path they make, and kept where it names a file or folder.
    code = """
        package a

        import (
        	"os"
        	"path/filepath"
        )

        // Kits lists the kits of a folder.
        func Kits(dir string) []string {
        	entries, _ := os.ReadDir(dir)
        	var kits []string
        	for _, e := range entries {
        		kits = append(kits, e.Name())
        	}
        	return kits
        }

        func fixtures() []string { return Kits(filepath.Join("testdata", "kits")) }
        """
    test = """
        package a

        import "testing"

        func TestKits(t *testing.T) {
        	if got := fixtures(); len(got) != 1 || got[0] != "core" {
        		t.Fatal(got)
        	}
        }
        """
    after = code.replace("Kits", "Bundles").replace("kits", "bundles").replace(
        '"testdata", "bundles"', '"testdata", "kits"')
    after_test = test.replace("TestKits", "TestBundles")
    files = {"a.go": code, "a_test.go": test, "testdata/kits/core/kit.json": "{}\n"}
    policy = terms("Kit", "Bundle") + '[defaults]\nstring = "rename"\n'
    files_codemod_and_go_test(tmp_path, files, {"a.go": after, "a_test.go": after_test}, policy)


def test_a_keyword_that_spells_the_term_is_never_renamed(tmp_path: Path) -> None:
    # Found on a habit tracker (Import -> Ingest, every string renamed): the `import` keyword
    # of each file was taken for a string and renamed, `ingest (`, which does not parse; the
    # plan stopped. Keywords (`import`, `range`) and the grammar's `nil`, `true`, `false` and
    # `iota` are the language's: no occurrence.
    code = """
        package a

        import "fmt"

        // Import reads the habits at path; import them once.
        func Import(path string) (n int, err error) {
        	for range path {
        		n++
        	}
        	if n == 0 {
        		return 0, fmt.Errorf("import %s: empty path", path)
        	}
        	return n, nil
        }

        var importKind = "import"
        """
    test = """
        package a

        import "testing"

        func TestImport(t *testing.T) {
        	if n, err := Import("ab"); err != nil || n != 2 || importKind != "import" {
        		t.Fatal(n, err)
        	}
        }
        """
    after = code.replace("Import(", "Ingest(").replace("// Import reads", "// Ingest reads").replace(
        "; import them", "; ingest them").replace('"import %s', '"ingest %s').replace(
        'importKind = "import"', 'ingestKind = "ingest"')
    after_test = test.replace("TestImport", "TestIngest").replace("Import(", "Ingest(").replace(
        'importKind != "import"', 'ingestKind != "ingest"')
    policy = terms("Import", "Ingest") + '[defaults]\nstring = "rename"\n'
    codemod_and_go_test(tmp_path, code, test, after, after_test, base=policy)


def test_a_file_name_of_a_folder_below_is_kept(tmp_path: Path) -> None:
    # Found on an INI parser (GLOBAL_SECTION -> DEFAULT_SECTION, every string renamed): its
    # test reads `filepath.Join(testfiles_base, "global-section.ini")`, with testfiles_base a
    # constant "testfiles"; the name became "default-section.ini", a file that does not exist.
    # A file's bare name is looked for in the folders just below the Go file's and its
    # module's too (a constant may hold it: `types_file = "types.ini"`); one that names no file
    # there is renamed.
    code = """
        package a

        // GlobalSection names the section before any header.
        const GlobalSection = "global"
        """
    test = """
        package a

        import (
        	"os"
        	"path/filepath"
        	"testing"
        )

        const testfilesBase = "testfiles"

        const globalFile = "global-section.ini"

        func TestGlobalSection(t *testing.T) {
        	if _, err := os.Stat(filepath.Join(testfilesBase, "global-section.ini")); err != nil {
        		t.Fatal(err)
        	}
        	if _, err := os.Stat(filepath.Join(testfilesBase, globalFile)); err != nil {
        		t.Fatal(err)
        	}
        	if GlobalSection != "global" {
        		t.Fatal(filepath.Join(testfilesBase, "global-section-draft.ini"))
        	}
        }
        """
    after = code.replace("GlobalSection", "DefaultSection").replace('"global"', '"default"')
    after_test = test.replace("GlobalSection", "DefaultSection").replace(
        '!= "global"', '!= "default"').replace("global-section-draft", "default-section-draft").replace(
        "globalFile", "defaultFile")
    files = {"a.go": code, "a_test.go": test, "testfiles/global-section.ini": "a = 1\n"}
    policy = terms("Global", "Default") + '[defaults]\nstring = "rename"\n'
    files_codemod_and_go_test(tmp_path, files, {"a.go": after, "a_test.go": after_test}, policy)


def test_a_glob_pattern_that_matches_files_of_the_roots_is_kept(tmp_path: Path) -> None:
    # Found on a TOML library (Document -> Manifest, every string renamed): its round-trip test
    # reads `fs.Glob(fixtures, "testdata/document/*.toml")`, which became
    # `testdata/manifest/*.toml`, a folder that does not exist: "no manifest fixtures found".
    # A pattern is a path too: kept while it matches a file of the roots; one that matches
    # nothing is renamed as any string.
    code = """
        package a

        import (
        	"embed"
        	"io/fs"
        )

        //go:embed testdata
        var fixtures embed.FS

        // Documents lists the document fixtures.
        func Documents() ([]string, error) { return fs.Glob(fixtures, "testdata/document/*.toml") }

        // Drafts lists the draft documents, none yet.
        func Drafts() ([]string, error) { return fs.Glob(fixtures, "testdata/document-draft/*.toml") }
        """
    test = """
        package a

        import "testing"

        func TestDocuments(t *testing.T) {
        	if got, err := Documents(); err != nil || len(got) != 1 {
        		t.Fatal(got, err)
        	}
        }
        """
    after = code.replace("Documents", "Manifests").replace("the document", "the manifest").replace(
        "draft documents", "draft manifests").replace("document-draft", "manifest-draft")
    files = {"a.go": code, "a_test.go": test, "testdata/document/a.toml": "a = 1\n"}
    policy = terms("Document", "Manifest") + '[defaults]\nstring = "rename"\n'
    files_codemod_and_go_test(tmp_path, files, {
        "a.go": after, "a_test.go": test.replace("Documents", "Manifests")}, policy)


def test_a_usage_text_that_shows_the_command_keeps_its_name(tmp_path: Path) -> None:
    # Found on a habit tracker (habit -> routine, default policy): its command is built from
    # cmd/habit, so it is `habit`, but the patch wrote "usage: routine export <format>
    # <output-file>" and "run: routine help", naming a command that does not exist; the tests
    # passed. A word shown as the command (after `usage:`, at a line's start before an argument
    # or a word the command dispatches on, `run: habit help`, a doc's `Command habit`) is kept;
    # the word of a sentence is renamed.
    main = """
        // Command habit tracks habits.
        package main

        import (
        	"fmt"
        	"os"
        )

        func main() {
        	if err := run(os.Args[1:]); err != nil {
        		fmt.Fprintln(os.Stderr, err)
        		os.Exit(1)
        	}
        }

        func run(args []string) error {
        	if len(args) == 0 {
        		printUsage()
        		return nil
        	}
        	switch args[0] {
        	case "list", "ls":
        		fmt.Println(listHabits())
        	case "mark":
        		if len(args) < 2 {
        			return fmt.Errorf("please provide a habit name")
        		}
        		return fmt.Errorf("habit '%s' not found", args[1])
        	case "export":
        		if len(args) < 3 {
        			return fmt.Errorf("usage: habit export <format> <file>")
        		}
        	case "help":
        		printUsage()
        	default:
        		return fmt.Errorf("unknown command %q; run: habit help", args[0])
        	}
        	return nil
        }

        func printUsage() {
        	fmt.Println("Usage: habit <command> [arguments]")
        	fmt.Println("  habit list")
        	fmt.Println("  habit mark \\"Morning run\\"")
        	fmt.Println("  habit -v")
        	fmt.Println("  habit streaks are kept for a year")
        }

        // listHabits lists every habit.
        func listHabits() string { return "no habit yet" }
        """
    test = """
        package main

        import "testing"

        func TestExportNeedsAFile(t *testing.T) {
        	err := run([]string{"export"})
        	if err == nil || err.Error() != "usage: habit export <format> <file>" {
        		t.Fatal(err)
        	}
        }

        func TestMarkNeedsAName(t *testing.T) {
        	if err := run([]string{"mark"}); err == nil || err.Error() != "please provide a habit name" {
        		t.Fatal(err)
        	}
        }
        """
    after = main.replace("tracks habits", "tracks routines").replace(
        "a habit name", "a routine name").replace("listHabits", "listRoutines").replace(
        "every habit", "every routine").replace(
        "habit streaks", "routine streaks").replace("habit '%s'", "routine '%s'")
    after_test = test.replace("a habit name", "a routine name")
    files = {"cmd/habit/main.go": main, "cmd/habit/main_test.go": test}
    files_codemod_and_go_test(tmp_path, files, {
        "cmd/habit/main.go": after, "cmd/habit/main_test.go": after_test}, terms("habit", "routine"))


PRODUCTS = """
package a

import "fmt"

// Products lists the products of a snapshot.
func Products(date string, names []string) string {
	return fmt.Sprintf("products — snapshot %s (%d products)\\n", date, len(names))
}
"""
PRODUCTS_TEST = """
package a

import (
	"strings"
	"testing"
)

func TestProducts(t *testing.T) {
	out := Products("2026-06-15", []string{"go"})
	for _, want := range []string{"snapshot 2026-06-15", "1 products"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in %q", want, out)
		}
	}
}
"""


def test_a_phrase_of_what_a_message_prints_follows_it_where_a_test_looks_for_parts(
        tmp_path: Path) -> None:
    # Found on an end-of-life checker (Snapshot -> Catalog): its test looks for each of
    # `[]string{"snapshot 2026-06-15", ...}` in the output with strings.Contains, and the
    # output is `fmt.Sprintf("eolvet products — snapshot %s (schema %d)")`. The phrase is
    # what the format prints, not its text, and the file compares no error: it stayed to
    # review and go test failed. In a test file that looks for parts of a text, a phrase of
    # what a message of the code prints follows it.
    after = PRODUCTS.replace("snapshot", "catalog")
    after_test = PRODUCTS_TEST.replace('"snapshot 2026-06-15"', '"catalog 2026-06-15"')
    codemod_and_go_test(tmp_path, PRODUCTS, PRODUCTS_TEST, after, after_test,
                        base=terms("Snapshot", "Catalog"))


KITS = """
package a

import "fmt"

func find(name string, kits map[string]string) (string, error) {
	if dir, ok := kits[name]; ok {
		return dir, nil
	}
	return "", fmt.Errorf("kit %q not found", name)
}

// Install finds a kit in a repository.
func Install(name, repo string) error {
	if _, err := find(name, nil); err != nil {
		return fmt.Errorf("%w in %s", err, repo)
	}
	return nil
}
"""
KITS_TEST = """
package a

import (
	"strings"
	"testing"
)

func TestInstallMissing(t *testing.T) {
	err := Install("nope", "file:///tmp/r")
	if err == nil || !strings.Contains(err.Error(), `kit "nope" not found in file://`) {
		t.Errorf("missing kit: %v", err)
	}
}
"""


def test_a_test_s_text_of_a_wrapped_error_follows_the_message_it_holds(tmp_path: Path) -> None:
    # Found on a kit installer (Kit -> Bundle): its test looks for `kit "nope" not found in
    # file://`, what `fmt.Errorf("kit %q not found")` prints and then the `"%w in %s"` that
    # wraps it. No message prints all of it, so the test's string stayed as it was while the
    # message was renamed, and go test failed. A test's string that holds all a message prints,
    # inside the text that wraps it, follows it.
    after = KITS.replace('"kit %q', '"bundle %q').replace("a kit in", "a bundle in").replace(
        "kits", "bundles")
    after_test = KITS_TEST.replace("`kit ", "`bundle ").replace('"missing kit', '"missing bundle')
    codemod_and_go_test(tmp_path, KITS, KITS_TEST, after, after_test,
                        base=terms("Kit", "Bundle"))


EVENTS = """
package a

import "fmt"

func line(clock, message string) string {
	return fmt.Sprintf("[%s] %s", clock, message)
}

// Registered is the log line of a player's registration.
func Registered(clock string, id int) string {
	return line(clock, fmt.Sprintf("Player [%d] registered", id))
}
"""
EVENTS_TEST = """
package a

import (
	"reflect"
	"testing"
)

func TestRegistered(t *testing.T) {
	got := []string{Registered("14:00:00", 1)}
	want := []string{
		"[14:00:00] Player [1] registered",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
"""


def test_a_test_s_line_holding_a_message_another_wraps_follows_it(tmp_path: Path) -> None:
    # Found on a dungeon event log (Player -> Hero): the test wants `"[14:00:00] Player [1]
    # registered"`, what `"[%s] %s"` prints around `fmt.Sprintf("Player [%d] registered")`.
    # It is neither message nor what one prints, so it stayed while the message was renamed,
    # and go test failed. A test's string that holds all a message prints follows it.
    after = EVENTS.replace("Player [", "Hero [").replace("a player's", "a hero's")
    after_test = EVENTS_TEST.replace("Player [", "Hero [")
    codemod_and_go_test(tmp_path, EVENTS, EVENTS_TEST, after, after_test,
                        base=terms("Player", "Hero"))



TARGETS = """
package a

import (
	"encoding/json"
	"fmt"
)

// Target is where a kit is installed.
type Target struct {
	Name     string `json:"name"`
	RootFile string `json:"root_file"`
}

// Parse reads targets and checks them.
func Parse(data []byte) ([]Target, error) {
	var targets []Target
	if err := json.Unmarshal(data, &targets); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.RootFile == "" {
			return nil, fmt.Errorf("%s: root_file is required", t.Name)
		}
	}
	return targets, nil
}
"""
TARGETS_TEST = """
package a

import (
	"strings"
	"testing"
)

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"missing root", `[{"name":"a"}]`, "root_file is required"},
	} {
		_, err := Parse([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
"""


def test_a_test_s_string_follows_a_message_kept_with_a_wire_name(tmp_path: Path) -> None:
    # Found on a kit installer (RootFile -> InstructionsFile): the decisions renamed the
    # message `"%s: root_file is required"`, and the table's `"root_file is required"` quoting
    # it; then the contracts kept the tag `root_file` (JSON the program only reads), and the
    # message with it, but not the test's string: go test failed. The string follows the
    # messages it quotes to where the contracts leave them.
    after = TARGETS.replace("RootFile", "InstructionsFile").replace(
        "Name     string", "Name             string")  # (gofmt aligns the fields again)
    workflow_and_go_test(tmp_path, {"a.go": TARGETS, "a_test.go": TARGETS_TEST}, {"a.go": after},
                         base=terms("RootFile", "InstructionsFile"))


def test_a_test_s_string_quoting_a_message_left_to_review_is_left_to_review(
        tmp_path: Path) -> None:
    # As above, but the tag is decoded strictly and written too: the contracts leave it to
    # review, and the message spelling it with it; the test's string quoting that message
    # is left to review as well (the first cut kept it, as if the message were kept).
    code = TARGETS.replace("json.Unmarshal(data, &targets)", "strict(data, &targets)") + """
        func strict(data []byte, v any) error {
        	dec := json.NewDecoder(bytes.NewReader(data))
        	dec.DisallowUnknownFields()
        	return dec.Decode(v)
        }

        // Save writes targets.
        func Save(targets []Target) ([]byte, error) { return json.Marshal(targets) }
        """.replace("\n        ", "\n")
    code = code.replace('import (\n\t"encoding/json"', 'import (\n\t"bytes"\n\t"encoding/json"')
    _root, analysis, _patch = workflow_plan(tmp_path, {"a.go": code, "a_test.go": TARGETS_TEST},
                                            terms("RootFile", "InstructionsFile"))
    rows = analysis.decided.set_index(["path", "role"])
    assert rows.loc[("a.go", "struct_tag"), "decision"] == "review"
    assert rows.loc[("a.go", "message"), "decision"] == "review"
    assert tuple(rows.loc[("a_test.go", "string"), ["decision", "decided_by"]]) == (
        "review", "quotes-message")


SOURCE = """
package a

import (
	"errors"
	"flag"
)

func source(args []string) (string, error) {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	repo := fs.String("repo", "", "where kits come from")
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if *repo == "" {
		return "", errors.New("nothing configured; run `kits config set repo <url>`, or pass --repo <url>")
	}
	return *repo, nil
}
"""
SOURCE_TEST = """
package a

import (
	"strings"
	"testing"
)

func TestSourceMissing(t *testing.T) {
	_, err := source(nil)
	if err == nil || !strings.Contains(err.Error(), "kits config set repo") {
		t.Fatal(err)
	}
}
"""


def test_a_test_s_string_follows_the_part_of_a_message_it_quotes(tmp_path: Path) -> None:
    # Found on a kit installer (Repo -> Remote): the message `run `kits config set repo
    # <url>`, or pass --repo <url>` was renamed in part, its flag kept, and a literal renamed
    # in part counted as kept: the test's `"kits config set repo"` stayed while the message
    # said `set remote`, and go test failed. A test's string follows what the part of the
    # message it quotes becomes.
    after = SOURCE.replace("repo :=", "remote :=").replace("*repo", "*remote").replace(
        "set repo", "set remote")
    after_test = SOURCE_TEST.replace("set repo", "set remote")
    codemod_and_go_test(tmp_path, SOURCE, SOURCE_TEST, after, after_test,
                        base=terms("Repo", "Remote"))


FLAGS = """
package cli

import (
	"flag"
	"fmt"
	"io"
)

// Run parses the check command's flags.
func Run(args []string, stderr io.Writer) int {
	flags := flag.NewFlagSet("check", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	runID := flags.String("run-id", "", "the run to check")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	// an explicit --run-id must not be empty
	for name, value := range map[string]string{"run-id": *runID} {
		if flagSet(flags, name) && value == "" {
			fmt.Fprintf(stderr, "flag --%s requires a value\\n", name)
			return 2
		}
	}
	return 0
}

func flagSet(flags *flag.FlagSet, name string) bool {
	found := false
	flags.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}
"""
FLAGS_TEST = """
package cli

import (
	"io"
	"testing"
)

func TestEmptyRunID(t *testing.T) {
	if code := Run([]string{"--run-id", ""}, io.Discard); code != 2 {
		t.Fatalf("exit = %d, want 2", code)
	}
}
"""


def test_the_code_s_own_spellings_of_a_kept_flag_keep_with_it(tmp_path: Path) -> None:
    # Found on a node preflight CLI (DataDir -> LedgerDir): the flag `data-dir` is kept, as
    # every name read from outside the program is, but the map of flag names the command
    # checks, `map[string]string{"data-dir": *dataDir}`, was written under both names
    # (dual-emit, a map key's default), and the comment's `--data-dir` was renamed: the docs
    # named a flag the program does not have. With every map key and string renamed, the
    # check looked for a flag `ledger-dir` and `--data-dir ""` was accepted. A comment, message
    # or string that writes the name as a flag, and a map key or string of the flag's package
    # that is the name, are kept with it (`external-spelling`).
    after = FLAGS.replace("runID", "sessionID")
    assert_codemod(tmp_path / "plan", {"a.go": FLAGS, "a_test.go": FLAGS_TEST},
                   {"a.go": after, "a_test.go": FLAGS_TEST.replace("EmptyRunID", "EmptySessionID")})
    go_test_after_rename(tmp_path / "built", {"a.go": FLAGS, "a_test.go": FLAGS_TEST},
                         policy='[defaults]\nmap_key = "rename"\nstring = "rename"\n')
    # with the wire contracts (as `idrename diff` plans): the map key is no contract's, not
    # written under both names
    from idrename.workflow import analyse_and_patch

    root = tmp_path / "full"
    root.mkdir()
    for name, text in {"go.mod": "module example.com/a\n\ngo 1.21\n", "a.go": FLAGS,
                       "a_test.go": FLAGS_TEST}.items():
        (root / name).write_text(go(text))
    _analysis, patch = analyse_and_patch([root], parse_policy(BASE_POLICY), cache=False)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()}["a.go"] == go(after)



def test_a_json_key_beside_a_flag_of_the_same_name_is_a_wire_name(tmp_path: Path) -> None:
    # Found on a test-flakiness scorer (Bucket -> Window, every map key and string renamed),
    # by the sweep of the last change: `map[string]any{"buckets": bs}` writes the JSON trend
    # beside the flag `buckets`, and was kept as the flag's name, while the test decoding it
    # with `json:"buckets"` was renamed. A map key spells the flag only where its value is the
    # variable the flag is read into (`"run-id": *runID` above).
    code = FLAGS.replace('for name, value := range map[string]string{"run-id": *runID} {',
                         'for name, value := range map[string]string{"run-id": *runID} {\n'
                         '\t\t_ = map[string]any{"run-id": len(name)}')
    pol = parse_policy(BASE_POLICY + '[defaults]\nmap_key = "rename"\n')
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text(go(code))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    keys = frame[frame["role"] == "map_key"]
    assert [(r.line, r.decision, r.decided_by) for r in keys.itertuples()] == [
        (18, "keep", "external-spelling"), (19, "rename", "default:map_key")]


GATES = """
package a

import "fmt"

// Gate lists the failures of the overall delta.
func Gate(base, cur, tolerance float64) []string {
	var failures []string
	if base-cur > tolerance {
		failures = append(failures, fmt.Sprintf("total: %.1f%% -> %.1f%%", base, cur))
	}
	return failures
}

// Total is the overall coverage.
func Total(covered, lines int) float64 { return 100 * float64(covered) / float64(lines) }
"""
GATES_TEST = """
package a

import (
	"strings"
	"testing"
)

func TestGate(t *testing.T) {
	failures := Gate(Total(1, 2), Total(1, 4), 1)
	if len(failures) != 1 || !strings.Contains(failures[0], "total:") {
		t.Fatalf("failures = %v", failures)
	}
}
"""

GATES_HELPER_TEST = """
package a

import (
	"strings"
	"testing"
)

func assertContains(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("%q lacks %q", got, want)
	}
}

func TestGate(t *testing.T) {
	assertContains(t, Gate(Total(1, 2), Total(1, 4), 1)[0], "total:")
}
"""



def test_a_part_of_a_message_a_test_looks_for_in_a_string_follows_it(tmp_path: Path) -> None:
    # Found on a coverage-drift CLI (Total -> Instrumented): its gate's failures are messages,
    # and the test looks for `strings.Contains(res.GateFailures[0], "total:")`. Only a part
    # looked for in an error's text quoted a message, so it stayed to review and go test
    # failed. A part looked for with Contains, HasPrefix or HasSuffix now quotes the messages
    # holding it, as in an error's text, unless a string of the code holds it too.
    after = GATES.replace("Total", "Instrumented").replace("total:", "instrumented:")
    after_test = GATES_TEST.replace("Total", "Instrumented").replace('"total:"', '"instrumented:"')
    codemod_and_go_test(tmp_path, GATES, GATES_TEST, after, after_test,
                        base=terms("Total", "Instrumented"))
    # Found on a weather app: its tests look through a helper of their own,
    # `assertContains(t, rec.Body.String(), "please enter a location")`
    assert_codemod(tmp_path / "helper", {"a.go": GATES, "a_test.go": GATES_HELPER_TEST},
                   {"a.go": after, "a_test.go": GATES_HELPER_TEST.replace(
                       "Total", "Instrumented").replace('"total:"', '"instrumented:"')},
                   base=terms("Total", "Instrumented"))
    # a string of the code holding it too (a report's line): it may be what the test reads,
    # and the test's string stays to review with it
    printed = GATES.replace('import "fmt"', 'import (\n\t"fmt"\n\t"io"\n)') + go("""
    // Report prints the overall coverage.
    func Report(w io.Writer, pct float64) { fmt.Fprintf(w, "total: %.1f%%\\n", pct) }
    """)
    pol = parse_policy(terms("Total", "Instrumented"))
    root = tmp_path / "printed"
    for name, text in {"a.go": printed, "a_test.go": GATES_TEST}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    quoted = frame[(frame["path"] == "a_test.go") & (frame["role"] == "string")]
    assert [(r.text, r.decision, r.decided_by) for r in quoted.itertuples()] == [
        ("total", "review", "builtin:string")]


def test_a_renamed_label_keeps_the_column_of_its_report(tmp_path: Path) -> None:
    # Found on an M/M/c simulation (Served -> Completed): its report's `served     = %d`
    # became `completed     = %d`, its `=` three columns right of the lines above. The padding
    # after a renamed word keeps the column where the line above or below has the same sign
    # there; a label that does not line up with another keeps its padding.
    code = """
        package a

        import "fmt"

        // Stats are a run's results.
        type Stats struct {
        	Rho    float64
        	Served int
        }

        // Report prints the results as a table.
        func Report(s Stats) string {
        	return fmt.Sprintf(`results
          rho        = %.4f
          served     = %d
        `, s.Rho, s.Served)
        }

        // Line prints one result.
        func Line(s Stats) string { return fmt.Sprintf("served  = %d", s.Served) }
        """
    test = """
        package a

        import (
        	"strings"
        	"testing"
        )

        func TestReport(t *testing.T) {
        	if r := Report(Stats{Served: 3}); !strings.Contains(r, "= 3") {
        		t.Fatal(r)
        	}
        }
        """
    after = code.replace("Served", "Completed").replace("Rho    float64", "Rho       float64").replace(
        "served     = %d", "completed  = %d").replace('"served  = %d"', '"completed  = %d"')
    codemod_and_go_test(tmp_path, code, test, after, test.replace("Served", "Completed"),
                        base=terms("Served", "Completed"))


def test_a_package_renamed_to_a_name_of_several_words_is_spelled_as_go_spells_packages(
        tmp_path: Path) -> None:
    # Found on a session-cookie helper (session -> WebSession): the clauses became `package
    # webSession` and `package web_session_test`, and go build refused them ("found packages
    # webSession and web_session"). A package clause written as Go writes package names is
    # renamed the same way, its words joined in lower case, and an external test package keeps
    # its `_test`; the compounds keep their words.
    code = """
        package session

        // NewSessionID returns a session's id.
        func NewSessionID() string { return "s1" }
        """
    test = """
        package session_test

        import (
        	"testing"

        	"example.com/a/session"
        )

        func TestNewSessionID(t *testing.T) {
        	if session.NewSessionID() != "s1" {
        		t.Fatal()
        	}
        }
        """
    after = """
        package websession

        // NewWebSessionID returns a webSession's id.
        func NewWebSessionID() string { return "s1" }
        """
    after_test = test.replace("session_test", "websession_test").replace(
        "session.NewSessionID", "websession.NewWebSessionID").replace(
        "TestNewSessionID", "TestNewWebSessionID")
    workflow_and_go_test(tmp_path, {"session/a.go": code, "session/a_test.go": test},
                         {"session/a.go": after, "session/a_test.go": after_test},
                         base=terms("session", "WebSession"))


def test_the_qualifier_of_a_package_bound_by_its_clause_follows_the_clause(
        tmp_path: Path) -> None:
    # Found on a to-do CLI (todo -> CoreTodo): the module's own folder is `package todo`, and
    # `import "github.com/msa-ali/todo-cli"` binds `todo`, the clause, not the path's name.
    # The clause became `coretodo` and the qualifier `coreTodo.List`: "undefined". A bare name
    # that a file's import binds by the imported package's clause follows that clause.
    code = """
        package todo

        // List holds the todo items.
        type List []string
        """
    main = """
        package main

        import (
        	"fmt"

        	"example.com/todo-cli"
        )

        func main() { fmt.Println(len(todo.List{})) }
        """
    files = {"go.mod": "module example.com/todo-cli\n\ngo 1.21\n", "todo.go": code,
             "cmd/todo/main.go": main}
    workflow_and_go_test(tmp_path, files, {
        "todo.go": code.replace("package todo", "package coretodo").replace(
            "the todo items", "the coreTodo items"),
        "cmd/todo/main.go": main.replace("todo.List", "coretodo.List")},
        base=terms("todo", "CoreTodo"))


SEARCHED = {
    "a.go": """
        package a

        import (
        	"fmt"
        	"io"
        )

        // Response is a reply read from the wire.
        type Response struct{ Body []byte }

        func read(r io.Reader) (*Response, error) {
        	b, err := io.ReadAll(r)
        	if err == nil && len(b) == 0 {
        		err = io.EOF
        	}
        	if err != nil {
        		return nil, fmt.Errorf("read response: %w", err)
        	}
        	return &Response{Body: b}, nil
        }
        """,
    "a_test.go": """
        package a

        import (
        	"strings"
        	"testing"
        )

        func TestRead(t *testing.T) {
        	for _, tc := range []struct{ in, text string }{
        		{"", "response"},
        	} {
        		if _, err := read(strings.NewReader(tc.in)); err == nil ||
        			!strings.Contains(err.Error(), tc.text) {
        			t.Fatal(err)
        		}
        	}
        }
        """,
    # another program of the repository, which the test does not run
    "cmd/probe/main.go": """
        package main

        import "fmt"

        func main() { fmt.Println(map[string]int{"response": 1}) }
        """,
}


def test_a_test_s_word_looked_for_in_a_message_follows_it(tmp_path: Path) -> None:
    # Found on a networking lab (Response -> Outcome, default policy): a table's "response",
    # looked for with strings.Contains(err.Error(), tc.text), stayed while the message became
    # "read DNS TCP outcome: %w", and go test failed. Where every text of the code the test
    # runs that spells the word is a message, decided alike, the word follows them; another
    # program's map key does not count.
    after = {"a.go": go(SEARCHED["a.go"]).replace("Response", "Outcome").replace(
                 "read response", "read outcome"),
             "a_test.go": go(SEARCHED["a_test.go"]).replace('"response"', '"outcome"')}
    base = terms("Response", "Outcome")
    assert_codemod(tmp_path / "plan", SEARCHED, after, base=base)
    go_test_after_rename(tmp_path / "built", SEARCHED, base=base)
    assert searched_word_decisions(tmp_path / "decided", SEARCHED, base) == [
        ("rename", "searched-word")]


def test_a_test_s_word_that_a_string_of_the_code_spells_too_stays_to_review(
        tmp_path: Path) -> None:
    """The package also writes the word as a key (`"response": ...`): the test may look for
    that one, which is decided apart; it stays to review."""
    files = dict(SEARCHED)
    files["a.go"] = SEARCHED["a.go"] + """
        var kinds = map[string]int{"response": 1}
        """
    assert searched_word_decisions(tmp_path, files, terms("Response", "Outcome")) == [
        ("review", "builtin:string")]


def test_a_test_s_word_compared_whole_is_no_part_it_looks_for(tmp_path: Path) -> None:
    # Found on a CSV codec (field -> slot, default policy): a test of the tag parser,
    # `parseTag("field,foobar,foo")` then `if name != "field"`, beside an `opts.Contains`.
    # The compared word followed the package's messages and became "slot" while the parsed
    # input stayed to review, and go test failed. A word compared whole with == or != is a
    # value, not a part of a text the test looks for.
    files = dict(SEARCHED)
    files["a_test.go"] = SEARCHED["a_test.go"] + """
        func TestWord(t *testing.T) {
        	name, _, _ := strings.Cut("response,x", ",")
        	if name != "response" {
        		t.Fatal(name)
        	}
        }
        """
    assert searched_word_decisions(tmp_path, files, terms("Response", "Outcome")) == [
        ("rename", "searched-word"), ("review", "builtin:string"),
        ("review", "builtin:string")]


def searched_word_decisions(root: Path, files: dict[str, str], base: str
                            ) -> list[tuple[str, str]]:
    """(decision, decided_by) of the strings of ``a_test.go`` among ``files``, written under
    ``root`` and decided under the policy ``base``."""
    pol = parse_policy(base)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(go(text))
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    word = frame[(frame["path"] == "a_test.go") & (frame["role"] == "string")]
    return [(r.decision, r.decided_by) for r in word.itertuples()]


ACKS = """
package a

type ack struct {
	Queue string
	RunID string
}

func replay(acks []ack) map[string]map[string]bool {
	acked := map[string]map[string]bool{}
	for _, p := range acks {
		if acked[p.Queue] == nil {
			acked[p.Queue] = map[string]bool{}
		}
		acked[p.Queue][p.RunID] = true
	}
	return acked
}
"""


def test_an_index_of_an_index_names_a_field_not_a_package_s_type(tmp_path: Path) -> None:
    # Found on a message queue's write-ahead log (Message -> Envelope): tree-sitter reads
    # `acked[p.Queue][p.MessageID]` as a generic type's instantiation, `p.MessageID` as a type
    # of a package p; the use was kept as declared outside the roots while the field was
    # renamed, and go build failed. No import binds p: it is a value's field.
    after = ACKS.replace("RunID", "SessionID").replace("\tQueue string", "\tQueue     string")
    assert_codemod(tmp_path, {"a.go": ACKS}, {"a.go": after})


def test_a_call_of_a_name_declared_only_as_a_value_field_is_another_type_s_method(
        tmp_path: Path) -> None:
    # Found on a note-taking CLI (ModTime -> ModifiedAt, default policy, go build failed:
    # info.ModifiedAt undefined): Note's field ModTime was filled from info.ModTime(), a method
    # of fs.FileInfo, which was renamed with it. A call x.Name() names a method or a field of
    # a func type: when the roots declare Name as no method and only as fields that cannot be
    # called, the call is another type's and is kept. A field of a func type is still called.
    code = go("""
        package a

        import (
        	"os"
        	"time"
        )

        type Entry struct {
        	Size    int64
        	ModTime time.Time
        	Hooks   []string
        }

        type Watcher struct {
        	OnSize func(int64) int64
        }

        func Stat(path string, w Watcher) (Entry, error) {
        	info, err := os.Stat(path)
        	if err != nil {
        		return Entry{}, err
        	}
        	return Entry{Size: w.OnSize(info.Size()), ModTime: info.ModTime()}, nil
        }
        """)
    test = go("""
        package a

        import "testing"

        func TestStat(t *testing.T) {
        	e, err := Stat("a.go", Watcher{OnSize: func(n int64) int64 { return n }})
        	if err != nil || e.Size == 0 || e.ModTime.IsZero() {
        		t.Fatal(e, err)
        	}
        }
        """)
    files = {"a.go": code, "a_test.go": test}
    files_codemod_and_go_test(tmp_path / "mod", files, {
        "a.go": code.replace("\tModTime time.Time", "\tModifiedAt time.Time").replace(
            "\tSize    int64", "\tSize       int64").replace(
            "\tHooks   []string", "\tHooks      []string").replace(
            "ModTime: info.ModTime()", "ModifiedAt: info.ModTime()"),
        "a_test.go": test.replace("e.ModTime.IsZero()", "e.ModifiedAt.IsZero()")},
        base=terms("ModTime", "ModifiedAt"))
    # info.Size() is kept alike, while OnSize, a field of a func type, is renamed with its call
    files_codemod_and_go_test(tmp_path / "size", files, {
        "a.go": code.replace("\tSize    int64", "\tBytes   int64").replace(
            "Entry{Size:", "Entry{Bytes:").replace("\tOnSize func(int64) int64",
                                                  "\tOnBytes func(int64) int64").replace(
            "w.OnSize(", "w.OnBytes("),
        "a_test.go": test.replace("e.Size == 0", "e.Bytes == 0").replace(
            "Watcher{OnSize:", "Watcher{OnBytes:")},
        base=terms("Size", "Bytes"))


def test_a_call_of_an_indexed_field_names_a_field_not_a_package_s_type(tmp_path: Path) -> None:
    # Found on an HTTP router (Middleware -> Interceptor): tree-sitter reads
    # `h = g.middlewares[i](h)` as the conversion of h to a generic type `middlewares[i]` of a
    # package g; the use was kept as declared outside the roots while the field was renamed,
    # and go build failed ("g.middlewares undefined"). No import binds g: it is a value's field.
    before = """
    package a

    import "net/http"

    // Middleware wraps a handler.
    type Middleware func(http.HandlerFunc) http.HandlerFunc

    type Router struct {
    	middlewares []Middleware
    	byName      map[string]Middleware
    }

    func (g *Router) wrap(h http.HandlerFunc) http.HandlerFunc {
    	for i := len(g.middlewares) - 1; i >= 0; i-- {
    		h = g.middlewares[i](h)
    	}
    	return g.byName["Middleware"](h)
    }
    """
    after = before.replace("Middleware", "Interceptor").replace(
        "middlewares", "interceptors").replace('byName["Interceptor"]', 'byName["Middleware"]').replace(
        "byName      map", "byName       map")
    assert_codemod(tmp_path, {"a.go": before}, {"a.go": after},
                   base=terms("Middleware", "Interceptor"))


HEADERS_BEFORE = """
package cors

import "fmt"

type Headers map[string][]string

// Has reports whether at least one field carries name.
func (h Headers) Has(name string) bool { return len(h[name]) > 0 }

// Get returns the first field of name; the actual response has no others.
func (h Headers) Get(name string) string {
	if !h.Has(name) {
		return ""
	}
	return h[name][0]
}

func blocked(origin, method string) string {
	if method != "GET" {
		return fmt.Sprintf("origin %s has been blocked: browsers only uppercase DELETE/GET/HEAD", origin)
	}
	return fmt.Sprintf("origin %s has been blocked", origin)
}
"""


def test_a_one_word_name_that_is_an_english_word_leaves_the_sentences_alone(
        tmp_path: Path) -> None:
    # Found on a CORS diagnoser (Has -> Contains, Get -> Lookup): "has been blocked" became
    # "contains been blocked" and "DELETE/GET/HEAD" "DELETE/LOOKUP/HEAD", and the tests that
    # compare the browser's messages failed. A function word of English in a sentence, and an
    # HTTP method in capitals, are kept; the doc comment's first word is the name.
    after = HEADERS_BEFORE.replace("Has reports", "Contains reports").replace(
        ") Has(name", ") Contains(name").replace("!h.Has(", "!h.Contains(")
    assert_codemod(tmp_path, {"cors.go": HEADERS_BEFORE}, {"cors.go": after},
                   base='[rename]\nfrom = "Has"\nto = "Contains"\n')
    after = HEADERS_BEFORE.replace("// Get returns", "// Lookup returns").replace(
        ") Get(name", ") Lookup(name")
    assert_codemod(tmp_path / "get", {"cors.go": HEADERS_BEFORE}, {"cors.go": after},
                   base='[rename]\nfrom = "Get"\nto = "Lookup"\n')


PREFLIGHT_BEFORE = """
package cors

import "fmt"

// Preflight is the OPTIONS exchange before the request.
type Preflight struct{ Status int }

func check(p Preflight) error {
	if p.Status != 204 {
		return fmt.Errorf("status %d in preflight response; blocked by CORS policy", p.Status)
	}
	return fmt.Errorf("the preflight passed")
}
"""


def test_a_word_whose_neighbour_already_completes_the_new_name_is_kept(tmp_path: Path) -> None:
    # Found on a CORS diagnoser (Preflight -> PreflightResponse, cors -> corspolicy): "in
    # preflight response" became "in preflightResponse response" and "blocked by CORS policy"
    # "blocked by CORSPOLICY policy", which the tests compare with the browser's messages. The
    # words beside them already make the new name: kept; elsewhere the word is renamed.
    after = PREFLIGHT_BEFORE.replace("// Preflight is", "// PreflightResponse is").replace(
        "type Preflight ", "type PreflightResponse ").replace(
        "p Preflight)", "p PreflightResponse)").replace(
        "the preflight passed", "the preflightResponse passed")
    assert_codemod(tmp_path, {"cors.go": PREFLIGHT_BEFORE}, {"cors.go": after},
                   base='[rename]\nfrom = "Preflight"\nto = "PreflightResponse"\n')
    after = PREFLIGHT_BEFORE.replace("package cors", "package corspolicy")
    assert_codemod(tmp_path / "pkg", {"cors/cors.go": PREFLIGHT_BEFORE},
                   {"cors/cors.go": after}, base='[rename]\nfrom = "cors"\nto = "corspolicy"\n')
    # (the words before it: "CORS policy" under Policy -> CORSPolicy)
    after = PREFLIGHT_BEFORE.replace('"the preflight passed"', '"the policy passed"')
    assert_codemod(tmp_path / "before", {"cors.go": PREFLIGHT_BEFORE.replace(
        '"the preflight passed"', '"the policy passed"')}, {"cors.go": after.replace(
            '"the policy passed"', '"the corsPolicy passed"')},
        base='[rename]\nfrom = "Policy"\nto = "CORSPolicy"\n')


SORT_BEFORE = """
package sqlwhere

import (
	"errors"
	"strings"
)

// ErrOrderConflict: the base SQL already has ORDER BY.
var ErrOrderConflict = errors.New("sqlwhere: base SQL already has ORDER BY")

// Order is a single ORDER BY term.
type Order struct{ Field string }

func render(b *strings.Builder, orders []Order) {
	if len(orders) > 0 {
		b.WriteString(" ORDER BY ")
		b.WriteString(orders[0].Field)
	}
	b.WriteString(" RETURNING id")
}
"""


def test_a_sql_keyword_in_capitals_is_kept_where_the_term_spells_it(tmp_path: Path) -> None:
    # Found on a query builder (Order -> SortTerm): its comments and its error message said
    # "SORT_TERM BY", and under a policy renaming every string the query it built did too.
    # A keyword of SQL in capitals is the language's, not the concept's.
    after = SORT_BEFORE.replace("ErrOrderConflict", "ErrSortTermConflict").replace(
        "// Order is", "// SortTerm is").replace("type Order ", "type SortTerm ").replace(
        "[]Order)", "[]SortTerm)").replace("orders", "sortTerms")
    base = '[rename]\nfrom = "Order"\nto = "SortTerm"\n'
    assert_codemod(tmp_path, {"q.go": SORT_BEFORE}, {"q.go": after}, base=base)
    assert_codemod(tmp_path / "strings", {"q.go": SORT_BEFORE}, {"q.go": after},
                   base=base + '[defaults]\nstring = "rename"\n')


FIXTURE_BEFORE = """
package threats

import "os"

func load(name string) ([]byte, error) { return os.ReadFile("../testdata/" + name) }

func fixture() ([]byte, error) {
	const command = "matrix render -doc threats.json -output threats.md"
	_ = command
	return load("threats.json")
}

var kind = "threats"
"""


def test_a_string_that_names_a_file_of_the_roots_is_kept(tmp_path: Path) -> None:
    # Found on a requirements-matrix tool (threats -> hazards, every string renamed): the
    # fixture "threats.json" and the golden command line's file names became hazards.json,
    # which no file is, and the tests failed; the patch moves no file.
    after = FIXTURE_BEFORE.replace("package threats", "package hazards").replace(
        'kind = "threats"', 'kind = "hazards"')
    assert_codemod(tmp_path, {"threats/threats.go": FIXTURE_BEFORE, "testdata/threats.json": "{}",
                              "testdata/threats.md": "# threats\n"},
                   {"threats/threats.go": after},
                   base='[rename]\nfrom = "threats"\nto = "hazards"\n[defaults]\n'
                        'string = "rename"\n')


def test_the_dual_key_marshaljson_of_a_struct_holding_a_lock_takes_a_pointer(
        tmp_path: Path) -> None:
    # IdxCounter -> LastID in a bookmark server: its Store (a sync.RWMutex beside the fields)
    # got `func (s Store) MarshalJSON` and `plain(s)`, and `go vet` failed: "MarshalJSON passes
    # lock by value", "call of plain copies lock value". A struct that holds a lock (here
    # through a struct of its own) gets the method on a pointer, the value embedded through
    # one; a struct without a lock keeps the value receiver.
    before = """
    package a

    import (
    	"encoding/json"
    	"sync"
    )

    type guard struct{ mu sync.RWMutex }

    type Store struct {
    	RunID string `json:"run_id"`
    	g     guard
    }

    type Plain struct {
    	RunID string `json:"run_id"`
    }

    func Save(s *Store, p Plain) ([]byte, []byte, error) {
    	a, err := json.Marshal(s)
    	if err != nil {
    		return nil, nil, err
    	}
    	b, err := json.Marshal(p)
    	return a, b, err
    }

    func Load(data []byte) (*Store, error) {
    	s := &Store{}
    	return s, json.Unmarshal(data, s)
    }
    """
    test = """
    package a

    import "testing"

    func TestBothKeys(t *testing.T) {
    	a, b, err := Save(&Store{SessionID: "s1"}, Plain{SessionID: "p1"})
    	if err != nil {
    		t.Fatal(err)
    	}
    	if string(a) != `{"session_id":"s1","run_id":"s1"}` ||
    		string(b) != `{"session_id":"p1","run_id":"p1"}` {
    		t.Fatalf("%s %s", a, b)
    	}
    	s, err := Load([]byte(`{"run_id":"old"}`))
    	if err != nil || s.SessionID != "old" {
    		t.Fatal(s, err)
    	}
    }
    """
    from idrename import gotool

    root, analysis, patch = workflow_plan(tmp_path, {"a.go": before},
                                          BASE_POLICY + '[defaults]\nstruct_tag = "dual"\n')
    assert patch is not None and not analysis.errors
    after = patch.changed()[0].after.decode()
    assert "func (s *Store) MarshalJSON() ([]byte, error) {" in after
    assert "\t\t*plain\n\t\tLegacySessionID string `json:\"run_id\"`\n\t}{(*plain)(s), s.SessionID})" \
        in after
    assert "func (p Plain) MarshalJSON() ([]byte, error) {" in after
    assert "\t}{plain(p), p.SessionID})" in after
    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    (root / "a.go").write_text(after)
    (root / "a_test.go").write_text(go(test))
    vet = gotool.go_vet(root, toolchain=toolchain)
    assert vet.returncode == 0, vet.output
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output

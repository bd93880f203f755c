"""Safety checks: Go text in files under tmp_path, a real inventory, decisions, and the exact
conflicts expected (in the manner of LibCST's codemod tests: input, expected findings)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from idrename import scan
from idrename.checks import CONFLICT_COLUMNS, Conflict, conflicts_frame, run_checks
from idrename.decisions import decide
from idrename.gosymbols import SymbolIndex, import_path_in
from idrename.policy import Policy, load_policy, parse_policy, policy_from_terms
from idrename.spec import Spec

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "data" / "fixtures" / "moments" / "backend"
POLICY = REPO / "data" / "policies" / "runid-to-sessionid.toml"
SPEC = Spec("RunID", "SessionID")


def write_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "backend"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/backend\n\ngo 1.22\n")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def decided(root: Path, spec: Spec = SPEC, rules: str = "") -> tuple[pd.DataFrame, dict[str, Path]]:
    inv = scan([root], spec)
    policy = (parse_policy(f'[rename]\nfrom = "{spec.old}"\nto = "{spec.new}"\n' + rules)
              if rules else policy_from_terms(spec.old, spec.new))
    if spec.explicit:
        policy.spec = spec
    return decide(inv.frame, policy), inv.roots


def override(frame: pd.DataFrame, path: str, text: str, decision: str, *,
             line: int | None = None, target: str | None = None) -> pd.DataFrame:
    mask = (frame["path"] == path) & (frame["text"] == text)
    if line is not None:
        mask &= frame["line"] == line
    assert mask.any(), f"no occurrence {text} in {path}"
    frame = frame.copy()
    frame.loc[mask, "decision"] = decision
    frame.loc[mask, "target"] = target if target is not None else text
    return frame


def check(root: Path, frame: pd.DataFrame | None = None, roots: dict[str, Path] | None = None,
          spec: Spec = SPEC) -> list[Conflict]:
    if frame is None:
        frame, roots = decided(root, spec)
    assert roots is not None
    return run_checks(frame, roots, spec)


def of_kind(conflicts: list[Conflict], *kinds: str) -> list[Conflict]:
    return [c for c in conflicts if c.kind in kinds]


def errors(conflicts: list[Conflict]) -> list[Conflict]:
    return [c for c in conflicts if c.severity == "error"]


# -- fields ------------------------------------------------------------------------------------
def test_struct_that_already_has_the_target_field(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"conv/conv.go": """
        package conv

        type Conversation struct {
        	ID        string
        	RunID     string
        	SessionID string
        }
        """})
    found = errors(check(root))
    assert [(c.kind, c.path, c.line, c.other) for c in found] == [
        ("field_collision", "backend/conv/conv.go", 5, "backend/conv/conv.go:6"),
    ]
    assert found[0].message == (
        "struct Conversation would get two fields named SessionID: field RunID at "
        "backend/conv/conv.go:5 is renamed to SessionID, and field SessionID at "
        "backend/conv/conv.go:6 already has that name"
    )
    assert len(found[0].ids) == 1  # SessionID is not a family member, so not in the inventory


@pytest.mark.parametrize("module, import_path", [
    ("example.com/backend", "example.com/backend/pkg/base"),
    # Go's src/go.mod says "module std", and its packages are imported as "net/http"
    ("std", "pkg/base"),
])
def test_promoted_field_from_an_embedded_struct_in_another_package(
        tmp_path: Path, module: str, import_path: str) -> None:
    root = write_tree(tmp_path, {
        "go.mod": f"module {module}\n\ngo 1.22\n",
        "pkg/base/base.go": """
            package base

            // Meta is embedded by the conversation types.
            type Meta struct {
            	SessionID string
            }
            """,
        "pkg/conv/conv.go": f"""
            package conv

            import "{import_path}"

            type Conversation struct {{
            	base.Meta
            	RunID string
            }}
            """,
    })
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("field_collision", "backend/pkg/conv/conv.go:7", "backend/pkg/base/base.go:5"),
    ]
    assert found[0].message == (
        "struct Conversation would get two fields named SessionID: field RunID at "
        "backend/pkg/conv/conv.go:7 is renamed to SessionID, and field SessionID at "
        "backend/pkg/base/base.go:5 (promoted from embedded base.Meta) already has that name"
    )


def test_import_paths_of_go_own_src_and_of_nested_modules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"go.mod": "module std\n\ngo 1.27\n",
                                 "pkg/base/b.go": "package base\n"})
    index = SymbolIndex({"backend": root})
    assert (index.import_path("backend", "pkg/base"), index.import_path("backend", "")) == (
        "pkg/base", "")
    # a root inside Go's src (src/net), and nested modules, the deepest first
    assert import_path_in([("", "std/net")], "http") == "net/http"
    assert [import_path_in([("sub", "example.com/x"), ("", "example.com/m")], d)
            for d in ("sub/a", "sub", "a", "")] == [
        "example.com/x/a", "example.com/x", "example.com/m/a", "example.com/m"]


def test_renamed_field_of_an_embedded_struct_hidden_by_the_outer_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"conv/conv.go": """
        package conv

        type Meta struct {
        	RunID string
        }

        type Conversation struct {
        	*Meta
        	SessionID string
        }
        """})
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("field_collision", "backend/conv/conv.go:4", "backend/conv/conv.go:9"),
    ]
    assert "(promoted from embedded Meta) is renamed to SessionID" in found[0].message
    assert found[0].message.startswith("struct Conversation would get two fields named SessionID")


def test_two_renamed_fields_with_the_same_target(tmp_path: Path) -> None:
    spec = Spec("RunID", "SessionID", explicit={"legacySession": "sessionID"})
    root = write_tree(tmp_path, {"conv/conv.go": """
        package conv

        type state struct {
        	runID         string
        	legacySession string
        }
        """})
    found = errors(check(root, spec=spec))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("field_collision", "backend/conv/conv.go:4", "backend/conv/conv.go:5"),
    ]
    assert found[0].message.endswith(
        "field legacySession at backend/conv/conv.go:5 is renamed to sessionID too")
    assert len(found[0].ids) == 2


# -- methods -----------------------------------------------------------------------------------
def test_two_methods_and_a_method_against_a_field(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"store/store.go": """
        package store

        type Store struct {
        	SessionIDs []string
        }

        func (s *Store) LoadRunID() string { return "" }

        func (s *Store) LoadSessionID() string { return "" }

        func (s *Store) RunIDs() []string { return s.SessionIDs }

        type Finder interface {
        	FindByRunID(id string) string
        	FindBySessionID(id string) string
        }
        """})
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("method_collision", "backend/store/store.go:7", "backend/store/store.go:9"),
        ("method_collision", "backend/store/store.go:11", "backend/store/store.go:4"),
        ("method_collision", "backend/store/store.go:14", "backend/store/store.go:15"),
    ]
    assert found[0].message == (
        "struct Store would get two methods named LoadSessionID: method LoadRunID at "
        "backend/store/store.go:7 is renamed to LoadSessionID, and method LoadSessionID at "
        "backend/store/store.go:9 already has that name"
    )
    assert found[1].message.startswith("struct Store would get a field and a method named SessionIDs")
    assert found[2].message.startswith("interface Finder would get two methods named FindBySessionID")
    # an interface method that nothing implements or calls shows no coupling
    assert of_kind(check(root), "interface_coupling") == []


# -- locals ------------------------------------------------------------------------------------
def test_local_already_in_scope(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"h/h.go": """
        package h

        func lookup() string { return "" }

        func Handle(runID string) string {
        	sessionID := lookup()
        	return runID + sessionID
        }

        func Other(runID string) string {
        	return runID
        }

        func Sibling() string {
        	sessionID := lookup()
        	return sessionID
        }
        """})
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("local_collision", "backend/h/h.go:5", "backend/h/h.go:6"),
    ]
    assert found[0].message == (
        "the parameter runID at backend/h/h.go:5 is renamed to sessionID, which is already "
        "declared in Handle at backend/h/h.go:6"
    )


def test_renamed_local_would_capture_a_use_of_the_enclosing_function(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"h/h.go": """
        package h

        func Outer() func(string) string {
        	sessionID := "s"
        	return func(runID string) string {
        		return runID + sessionID
        	}
        }
        """})
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("local_collision", "backend/h/h.go:5", "backend/h/h.go:4"),
    ]
    assert found[0].message == (
        "the parameter runID at backend/h/h.go:5 is renamed to sessionID, which would capture "
        "the use of sessionID at backend/h/h.go:6 in the func literal at backend/h/h.go:5 in "
        "Outer (the local of the enclosing function declared at backend/h/h.go:4)"
    )


def test_package_level_func_shadowed_by_a_renamed_local(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"ids/ids.go": """
        package ids

        // SessionID returns the current session id.
        func SessionID() string { return "s" }

        func Describe() string {
        	RunID := "r"
        	return RunID + SessionID()
        }
        """})
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("shadowing", "backend/ids/ids.go:7", "backend/ids/ids.go:4"),
    ]
    assert found[0].message == (
        "the local RunID at backend/ids/ids.go:7 is renamed to SessionID, which would shadow "
        "the package-level func SessionID declared at backend/ids/ids.go:4 and used at "
        "backend/ids/ids.go:8 in Describe"
    )


def test_parameter_renamed_to_the_type_in_its_own_declaration(tmp_path: Path) -> None:
    # a parameter's scope is the function body: `request *request` still names the type there
    spec = Spec("Req", "Request")
    root = write_tree(tmp_path, {"fcgi/child.go": """
        package fcgi

        type request struct{ id int }

        func newResponse(req *request) *request {
        	return req
        }

        func clone(req *request) *request {
        	copied := request{id: req.id}
        	return &copied
        }
        """})
    found = errors(check(root, spec=spec))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("shadowing", "backend/fcgi/child.go:9", "backend/fcgi/child.go:3"),
    ]
    assert found[0].message == (
        "the parameter req at backend/fcgi/child.go:9 is renamed to request, which would shadow "
        "the package-level type request declared at backend/fcgi/child.go:3 and used at "
        "backend/fcgi/child.go:10 in clone"
    )


def test_local_hides_a_renamed_package_level_name_only_after_its_declaration(
        tmp_path: Path) -> None:
    # a local's scope begins at the end of its declaration: uses before it, and the one in its
    # own initializer, still name the package-level var
    spec = Spec("Timeout", "Deadline")
    root = write_tree(tmp_path, {"t/alarm.go": """
        package t

        var timeout = 5

        func start() int {
        	if timeout <= 0 {
        		return 0
        	}
        	deadline := 1 + timeout
        	return deadline + timeout
        }

        func once() int {
        	if timeout <= 0 {
        		return 0
        	}
        	deadline := 1 + timeout
        	return deadline
        }
        """})
    found = errors(check(root, spec=spec))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("shadowing", "backend/t/alarm.go:3", "backend/t/alarm.go:9"),
    ]
    assert found[0].message == (
        "the package-level var timeout at backend/t/alarm.go:3 is renamed to deadline, but the "
        "local deadline declared at backend/t/alarm.go:9 in start would shadow it at its use at "
        "backend/t/alarm.go:10"
    )


def test_renamed_local_may_take_a_name_its_own_initializer_uses(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"ids/ids.go": """
        package ids

        func SessionID() string { return "s" }

        func Describe() string {
        	RunID := SessionID()
        	return RunID
        }
        """})
    assert errors(check(root)) == []


def test_import_shadowed_by_a_renamed_local(tmp_path: Path) -> None:
    spec = Spec("RunID", "SessionID", explicit={"runStrings": "strings"})
    root = write_tree(tmp_path, {"ids/ids.go": """
        package ids

        import "strings"

        func Join(runStrings []string) string {
        	return strings.Join(runStrings, ",")
        }
        """})
    found = errors(check(root, spec=spec))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("shadowing", "backend/ids/ids.go:5", "backend/ids/ids.go:3"),
    ]
    assert "which would shadow the import strings declared at backend/ids/ids.go:3" in found[0].message


def test_package_level_rename_collides_and_is_shadowed(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"ids/ids.go": """
        package ids

        func lookupRunID() string { return "r" }

        func lookupSessionID() string { return "s" }

        // RunID is the legacy accessor.
        func RunID() string { return lookupRunID() }

        func Report() string {
        	SessionID := "local"
        	return SessionID + RunID()
        }
        """})
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("package_collision", "backend/ids/ids.go:3", "backend/ids/ids.go:5"),
        ("shadowing", "backend/ids/ids.go:8", "backend/ids/ids.go:11"),
    ]
    assert found[0].message == (
        "the package-level func lookupRunID at backend/ids/ids.go:3 is renamed to "
        "lookupSessionID, which is already declared in package ids at backend/ids/ids.go:5"
    )
    assert found[1].message == (
        "the package-level func RunID at backend/ids/ids.go:8 is renamed to SessionID, but the "
        "local SessionID declared at backend/ids/ids.go:11 in Report would shadow it at its use "
        "at backend/ids/ids.go:12"
    )


# -- interfaces --------------------------------------------------------------------------------
INTERFACE_TREE = {
    "pkg/lookup/lookup.go": """
        package lookup

        // Lookup finds the conversation of a session.
        type Lookup interface {
        	FindByRunID(id string) (string, bool)
        }

        // Resolve returns the conversation of id, or "".
        func Resolve(l Lookup, id string) string {
        	conv, _ := l.FindByRunID(id)
        	return conv
        }
        """,
    "pkg/mem/mem.go": """
        package mem

        type Store struct{ byRun map[string]string }

        func (s Store) FindByRunID(id string) (string, bool) {
        	conv, ok := s.byRun[id]
        	return conv, ok
        }
        """,
    "pkg/sqlstore/sqlstore.go": """
        package sqlstore

        type DB struct{}

        func (d *DB) FindByRunID(id string) (string, bool) { return "", false }

        // Other has a method of the same name but another shape: not coupled.
        type Other struct{}

        func (Other) FindByRunID() string { return "" }
        """,
}


def test_interface_with_two_implementations_all_renamed_is_info(tmp_path: Path) -> None:
    root = write_tree(tmp_path, INTERFACE_TREE)
    found = check(root)
    assert errors(found) == []
    coupling = of_kind(found, "interface_coupling")
    assert [(c.severity, c.where, c.other) for c in coupling] == [
        ("info", "backend/pkg/lookup/lookup.go:5", "backend/pkg/mem/mem.go:5"),
    ]
    assert coupling[0].message == (
        "interface method lookup.Lookup.FindByRunID at backend/pkg/lookup/lookup.go:5 is coupled "
        "to 2 other method declaration(s) and 1 call(s), all renamed to FindBySessionID: method "
        "mem.Store.FindByRunID at backend/pkg/mem/mem.go:5; method sqlstore.DB.FindByRunID at "
        "backend/pkg/sqlstore/sqlstore.go:5"
    )
    assert len(coupling[0].ids) == 4


def test_interface_with_one_implementation_kept_is_an_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path, INTERFACE_TREE)
    frame, roots = decided(root)
    frame = override(frame, "pkg/mem/mem.go", "FindByRunID", "keep")
    found = errors(check(root, frame, roots))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("interface_coupling", "backend/pkg/mem/mem.go:5", "backend/pkg/lookup/lookup.go:5"),
    ]
    assert found[0].message == (
        "method mem.Store.FindByRunID at backend/pkg/mem/mem.go:5 is decided keep but it is "
        "coupled to interface method lookup.Lookup.FindByRunID at backend/pkg/lookup/lookup.go:5, "
        "which is renamed to FindBySessionID: rename both or neither"
    )


def test_interface_kept_call_site_and_different_targets(tmp_path: Path) -> None:
    root = write_tree(tmp_path, INTERFACE_TREE)
    frame, roots = decided(root)
    frame = override(frame, "pkg/lookup/lookup.go", "FindByRunID", "ignore", line=10)
    frame = override(frame, "pkg/sqlstore/sqlstore.go", "FindByRunID", "rename", line=5,
                     target="LookupSession")
    found = errors(check(root, frame, roots))
    assert [(c.kind, c.where) for c in found] == [
        ("interface_coupling", "backend/pkg/lookup/lookup.go:10"),
        ("interface_coupling", "backend/pkg/sqlstore/sqlstore.go:5"),
    ]
    assert found[0].message.startswith(
        "the call .FindByRunID() in Resolve at backend/pkg/lookup/lookup.go:10 is decided ignore")
    assert found[1].message.endswith("which is renamed to FindBySessionID: give both the same new name")


def test_interface_method_promoted_through_embedding(tmp_path: Path) -> None:
    files = dict(INTERFACE_TREE)
    files["pkg/wrap/wrap.go"] = """
        package wrap

        import "example.com/backend/pkg/mem"

        // Cached embeds the store, so it provides FindByRunID through it.
        type Cached struct {
        	mem.Store
        	hits int
        }

        func (c *Cached) FindBySessionID(id string) (string, bool) { return "", false }
        """
    root = write_tree(tmp_path, files)
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("method_collision", "backend/pkg/mem/mem.go:5", "backend/pkg/wrap/wrap.go:11"),
    ]
    assert "(promoted from embedded mem.Store) is renamed to FindBySessionID" in found[0].message


# -- generated files, unparsed files, reviews, API ---------------------------------------------
GENERATED = """
    // Code generated by protoc-gen-go. DO NOT EDIT.

    package planning

    type PlanUpdate struct {
    	RunId string `protobuf:"bytes,1,opt,name=run_id,proto3" json:"run_id,omitempty"`
    }

    func (x *PlanUpdate) GetRunId() string { return x.RunId }
    """


def test_generated_file_is_kept_by_decisions_and_refused_when_renamed(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pkg/planning/planning.pb.go": GENERATED})
    frame, roots = decided(root)
    assert errors(check(root, frame, roots)) == []
    frame = override(frame, "pkg/planning/planning.pb.go", "RunId", "rename", line=6,
                     target="SessionId")
    found = errors(check(root, frame, roots))
    assert [(c.kind, c.where) for c in found] == [
        ("generated_file", "backend/pkg/planning/planning.pb.go:6"),
    ]
    assert found[0].message == (
        "RunId at backend/pkg/planning/planning.pb.go:6 is decided rename to SessionId inside a "
        "generated file; regenerate it from its source instead of editing it"
    )


def test_new_spelling_that_is_a_go_keyword_is_refused(tmp_path: Path) -> None:
    # Found on Go's own bytes package: Span -> Range makes the local span "range".
    spec = Spec("Span", "Range")
    root = write_tree(tmp_path, {"pkg/text/span.go": """
        package text

        // Span is a range of bytes.
        type Span struct {
        	Lo, Hi int
        	span   int `json:"span"`
        }

        func width(span Span) int {
        	return span.Hi - span.Lo
        }
        """})
    found = errors(check(root, spec=spec))
    # one finding per file and spelling: the field, the parameter and its two uses
    assert [(c.kind, c.where, len(c.ids)) for c in found] == [
        ("keyword", "backend/pkg/text/span.go:6", 4),
    ]
    assert found[0].message == (
        "span at backend/pkg/text/span.go:6 (and 3 more place(s) in that file) would be renamed "
        "to range, a Go keyword: the file would not compile; spell it otherwise in the policy "
        '([rename.explicit] span = "...") or keep it'
    )
    # An explicit spelling clears it; the JSON tag "span" (a string) was never a finding.
    explicit = Spec("Span", "Range", explicit={"span": "rng"})
    assert of_kind(check(root, spec=explicit), "keyword") == []


def test_new_spelling_that_go_reserves_for_init_or_main_is_refused(tmp_path: Path) -> None:
    # Setup -> Init made `func setup()` Go's `func init()` and its call `init()`: undefined.
    # A local may be called init; a package-level name of package main may not be main.
    root = write_tree(tmp_path, {"lib/lib.go": """
        package lib

        var ready bool

        func setup() { ready = true }

        // Prepare prepares.
        func Prepare() { setup() }

        func local() int {
        	setup := 1
        	return setup
        }
        """, "cmd/tool/main.go": """
        package main

        func start() {}

        func main() { start() }
        """})
    found = errors(check(root, spec=Spec("Setup", "Init")))
    assert [(c.kind, c.where, len(c.ids)) for c in found] == [
        ("keyword", "backend/lib/lib.go:5", 2)]  # the func and its call, not the local
    assert "would be renamed to init, a name Go reserves" in found[0].message
    # (package main has its func main, which the renamed func collides with too)
    found = errors(check(root, spec=Spec("Start", "Main")))
    assert sorted((c.kind, c.where) for c in found) == [
        ("keyword", "backend/cmd/tool/main.go:3"),
        ("package_collision", "backend/cmd/tool/main.go:3")]


def test_a_helper_renamed_into_a_test_is_refused(tmp_path: Path) -> None:
    # Check -> Test made the helper CheckAll(t) of a _test.go file TestAll, which go test then
    # ran on its own; the same name in a file that is not a test is no test. A test renamed out
    # of its prefix is kept by the decisions (no finding), and TestCheck -> TestTest stays one.
    root = write_tree(tmp_path, {"lib/lib.go": """
        package lib

        // CheckAll checks.
        func CheckAll() bool { return true }
        """, "lib/lib_test.go": """
        package lib

        import "testing"

        func CheckAll2(t *testing.T) {
        	if !CheckAll() {
        		t.Fatal("no")
        	}
        }

        func TestCheck(t *testing.T) { CheckAll2(t) }

        func Checkout() {}
        """})
    found = errors(check(root, spec=Spec("Check", "Test")))
    assert [(c.kind, c.where, len(c.ids)) for c in found] == [
        ("test_name", "backend/lib/lib_test.go:5", 1)]
    assert found[0].message == (
        "CheckAll2 at backend/lib/lib_test.go:5 would be renamed to TestAll2, which makes it a "
        'test go test runs; spell it otherwise in the policy ([rename.explicit] CheckAll2 = '
        '"...") or keep it and its calls (a [[rule]] with text = "CheckAll2" and decision = '
        '"keep")')
    explicit = Spec("Check", "Test", explicit={"CheckAll2": "testAllHelper"})
    assert of_kind(check(root, spec=explicit), "test_name") == []


def test_a_renamed_package_whose_new_name_is_taken_where_it_is_imported(tmp_path: Path) -> None:
    # Found on a Monkey interpreter (Lexer -> Scanner): `package lexer` became `package
    # scanner`, and the REPL's `scanner := bufio.NewScanner(in)` then captured
    # `scanner.New(line)`: go build failed. So would another import named scanner, or a
    # package-level scanner of the importing package.
    root = write_tree(tmp_path, {"go.mod": "module m\n", "lexer/lexer.go": """
        package lexer

        // Lexer reads tokens.
        type Lexer struct{ in string }

        // New makes a Lexer.
        func New(in string) *Lexer { return &Lexer{in} }
        """, "repl/repl.go": """
        package repl

        import (
        	"bufio"
        	"io"

        	"m/lexer"
        )

        // Start reads lines.
        func Start(in io.Reader) {
        	scanner := bufio.NewScanner(in)
        	for scanner.Scan() {
        		_ = lexer.New(scanner.Text())
        	}
        }

        func other() *lexer.Lexer { return lexer.New("") }
        """, "tok/tok.go": """
        package tok

        import (
        	"text/scanner"

        	"m/lexer"
        )

        var _ scanner.Position
        var _ = lexer.New("")
        """, "parse/parse.go": """
        package parse

        import "m/lexer"

        var scanner = 1

        var _ = lexer.New("")
        """})
    found = errors(check(root, spec=Spec("Lexer", "Scanner")))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("package_collision", "backend/parse/parse.go:7", "backend/parse/parse.go:5"),
        ("shadowing", "backend/repl/repl.go:14", "backend/repl/repl.go:12"),
        ("package_collision", "backend/tok/tok.go:10", "backend/tok/tok.go:4"),
    ]
    assert found[1].message == (
        "the package lexer is renamed to scanner and used by that name at "
        "backend/repl/repl.go:14, but the local scanner declared at backend/repl/repl.go:12 in "
        "Start would capture that use: rename the local first")


def test_generated_file_that_uses_a_renamed_name_must_be_generated_again(tmp_path: Path) -> None:
    # Found on Go's regexp/syntax: stringer's op_string.go uses OpWordBoundary, declared by hand
    # in regexp.go; Boundary -> Border renamed the const, the generated file kept the old name.
    root = write_tree(tmp_path, {
        "pkg/op/op.go": """
            package op

            type Op uint8

            const (
            	OpNone Op = iota
            	OpRunID
            )

            type Event struct{}

            func (Event) RunID() string { return "" }
            """,
        "pkg/op/op_string.go": """
            // Code generated by "stringer -type Op"; DO NOT EDIT.

            package op

            func _() {
            	var x [1]struct{}
            	_ = x[OpRunID-1]
            }

            func describe(e Event) string { return e.RunID() }
            """,
        "pkg/other/other.go": """
            // Code generated by hand-rolled tool; DO NOT EDIT.

            package other

            const OpRunID = 7 // its own name, in another package
            """,
    })
    found = of_kind(check(root), "generated_use")
    assert [(c.severity, c.where) for c in found] == [
        ("warning", "backend/pkg/op/op_string.go:7")]
    assert found[0].message == (
        "backend/pkg/op/op_string.go is generated (never edited) and uses OpRunID (renamed to "
        "OpSessionID at backend/pkg/op/op.go:7); RunID (renamed to SessionID at "
        "backend/pkg/op/op.go:12): generate it again after the patch (go generate), or the "
        "build breaks")
    # the same from remembered symbol findings (a policy edit that changes only strings)
    from idrename.policy import parse_policy
    from idrename.workflow import analyse

    cache = tmp_path / "cache"
    for extra in ("", '[defaults]\nstring = "keep"\n'):
        policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n' + extra)
        kinds = [c.kind for c in analyse([root], policy, cache=cache).conflicts]
        assert kinds.count("generated_use") == 1


def test_generated_use_names_the_declaration_nearest_the_generated_file(tmp_path: Path) -> None:
    # Found on Go's cmd with Ctxt -> Context: ssa's generated rewrite386.go uses config.ctxt, a
    # field of ssa.Config, but the warning named a field ctxt of a struct in cmd/asm.
    root = write_tree(tmp_path, {
        "pkg/asm/parser.go": """
            package asm

            type Parser struct {
            	runID string
            }
            """,
        "pkg/ssa/config.go": """
            package ssa

            type Config struct {
            	arch  string
            	runID int
            }
            """,
        "pkg/ssa/rewrite.go": """
            // Code generated by "mkrewrite -arch=all"; DO NOT EDIT.

            package ssa

            func rewrite(config *Config) bool { return config.runID > 0 }
            """,
        "pkg/walk/zwalk.go": """
            // Code generated by mkwalk from missing.rules; DO NOT EDIT.

            package walk

            type state struct{ runID int }

            func walk(s state) int { return s.runID }
            """,
        "pkg/zlink/link.go": """
            package zlink

            type Link struct {
            	runID int
            }
            """,
    })
    found = of_kind(check(root), "generated_use")
    assert [c.message for c in found] == [
        # its own package declares one: that one
        "backend/pkg/ssa/rewrite.go is generated (never edited) and uses runID (renamed to "
        "sessionID at backend/pkg/ssa/config.go:5): generate it again after the patch (go "
        "generate), or the build breaks",
        # zwalk.go declares runID itself, in a generated file (never renamed): its use names
        # that one, which keeps the name, not those of two other packages (found on InfluxDB:
        # meta.pb.go's own MaxShardID was said to use the hand-written meta.Data's)
    ]


def test_generated_use_of_a_qualified_name(tmp_path: Path) -> None:
    # Found on Go's cmd with Prog -> Program: amd64/simdssa.go, generated, declares `var p
    # *obj.Prog`; obj.Prog was renamed, no warning said so, and go build failed there.
    root = write_tree(tmp_path, {
        "pkg/obj/obj.go": """
            package obj

            type RunID struct{}
            """,
        "pkg/amd64/zssa.go": """
            // Code generated by "mkssa"; DO NOT EDIT.

            package amd64

            import "example.com/backend/pkg/obj"

            var p *obj.RunID
            """,
    })
    found = of_kind(check(root), "generated_use")
    assert [c.message for c in found] == [
        "backend/pkg/amd64/zssa.go is generated (never edited) and uses RunID (renamed to "
        "SessionID at backend/pkg/obj/obj.go:3): generate it again after the patch (go "
        "generate), or the build breaks",
    ]


def test_generated_use_says_where_the_name_must_change_before_generating(tmp_path: Path) -> None:
    # The header of Go's ssa/rewrite386.go: "Code generated from _gen/386.rules using 'go
    # generate'". The .rules file spells config.ctxt and is not read: go generate after the
    # patch writes the old name again. A generator input the plan renames is brought in line.
    root = write_tree(tmp_path, {
        "pkg/ssa/config.go": """
            package ssa

            type Config struct {
            	runID int
            }
            """,
        "pkg/ssa/_gen/generic.rules": """
            (Add x y) && config.runID > 0 => (Sub x y)
            (Mul x y) && config.runID == 0 => (Nop) // runIDs, a compound, is another word
            """,
        "pkg/ssa/rewritegeneric.go": """
            // Code generated from _gen/generic.rules using 'go generate'; DO NOT EDIT.

            package ssa

            func rewrite(config *Config) bool { return config.runID > 0 }
            """,
        "pkg/event/event.go": """
            package event

            type Event struct {
            	RunID string
            }
            """,
        "pkg/event/event_easyjson.go": """
            // Code generated by easyjson from event.go; DO NOT EDIT.

            package event

            func marshal(e Event) string { return e.RunID }
            """,
    })
    found = of_kind(check(root), "generated_use")
    assert [(c.severity, c.where) for c in found] == [
        ("warning", "backend/pkg/event/event_easyjson.go:5"),
        ("warning", "backend/pkg/ssa/rewritegeneric.go:5")]
    assert [c.message for c in found] == [
        "backend/pkg/event/event_easyjson.go is generated (never edited) and uses RunID "
        "(renamed to SessionID at backend/pkg/event/event.go:4): it is generated from "
        "backend/pkg/event/event.go, which the plan changes: generate it again after the "
        "patch (go generate) to bring it in line, or the build breaks",
        "backend/pkg/ssa/rewritegeneric.go is generated (never edited) and uses runID (renamed "
        "to sessionID at backend/pkg/ssa/config.go:4): it is generated from "
        "backend/pkg/ssa/_gen/generic.rules, which still spells runID (2 times) and the plan "
        "does not rename it there: rename it there by hand, then generate it again after the "
        "patch (go generate), or the build breaks",
    ]


def test_directive_that_names_a_renamed_declaration_is_warned_about(tmp_path: Path) -> None:
    # A directive is kept (the toolchain reads it); where it names a Go declaration the plan
    # renames, `//export` and `//go:linkname` name a func that no longer exists.
    root = write_tree(tmp_path, {"pkg/c/c.go": """
        package c

        import "C"

        import _ "unsafe"

        //export ExportRunID
        func ExportRunID() {}

        //go:linkname runIDHook example.com/other.runIDHook
        func runIDHook() int { return 1 }

        //go:linkname lookupRunID runtime.lookupRunID
        func lookupRunID() string

        //go:cgo_import_dynamic libc_run_id run_id "libc.so"
        """})
    frame, roots = decided(root)
    directives = frame[frame["role"] == "directive"]
    assert set(directives["decision"]) == {"keep"}
    # a func a //go:linkname names is kept by default (decided_by linkname): renamed anyway
    hook = (frame["text"] == "runIDHook") & (frame["role"] == "func_decl")
    assert list(frame.loc[hook, "decided_by"]) == ["linkname"]
    frame = override(frame, "pkg/c/c.go", "runIDHook", "rename", line=11,
                     target="sessionIDHook")
    found = of_kind(check(root, frame, roots), "directive")
    assert [(c.severity, c.where, c.message) for c in found] == [
        ("warning", "backend/pkg/c/c.go:7",
         "the //export directive at backend/pkg/c/c.go:7 names ExportRunID (renamed to "
         "ExportSessionID at backend/pkg/c/c.go:8), and the toolchain reads it as written: the "
         "build may break; rename it with the declaration (an [[override]] per occurrence, "
         "decision rename) or keep the name"),
        ("warning", "backend/pkg/c/c.go:10",
         "the //go:linkname directive at backend/pkg/c/c.go:10 names runIDHook (renamed to "
         "sessionIDHook at backend/pkg/c/c.go:11), and the toolchain reads it as written: the "
         "build may break; rename it with the declaration (an [[override]] per occurrence, "
         "decision rename) or keep the name"),
    ]
    # renamed alike, the directive follows its declaration: nothing to say
    renamed = override(frame, "pkg/c/c.go", "ExportRunID", "rename", line=7,
                       target="ExportSessionID")
    assert [c.where for c in of_kind(check(root, renamed, roots), "directive")] == [
        "backend/pkg/c/c.go:10"]


ASM_GO = """
    package rt

    type wbRunID struct {
    	next uintptr
    }

    type p struct {
    	wbRunID wbRunID
    }

    const runIDShift = 3

    func flushRunID()

    func callRunID() { flushRunID() }

    func runIDBody() int { return runIDShift }
    """
ASM_S = """
    #include "go_asm.h"
    #include "textflag.h"

    TEXT ·flushRunID(SB),NOSPLIT,$0-0
    	MOVQ	(p_wbRunID+wbRunID_next)(R13), R12
    	SHLQ	$const_runIDShift, R12
    	// runIDBody is named in a comment only
    	CALL	·runIDBody(SB)
    	RET
    """


def asm_conflicts(root: Path, policy: str = "") -> list[Conflict]:
    from idrename.policy import parse_policy
    from idrename.workflow import analyse

    pol = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n' + policy)
    found = analyse([root], pol, cache=False).conflicts
    return of_kind(found, "asm_reference", "no_body")


def test_names_spelled_by_assembly_of_the_package_are_errors(tmp_path: Path) -> None:
    # Found on Go's runtime: asm_amd64.s reads `(p_wbBuf+wbBuf_next)(R13)` (offsets go_asm.h
    # gives for the field p.wbBuf and the type wbBuf) and calls ·wbBufFlush.
    root = write_tree(tmp_path, {"rt/rt.go": ASM_GO, "rt/asm_amd64.s": ASM_S,
                                 "other/o.go": "package other\n\nfunc runIDBody() {}\n"})
    found = asm_conflicts(root)
    assert [(c.severity, c.kind, c.where, c.other) for c in found] == [
        ("error", "asm_reference", "backend/rt/rt.go:3", "backend/rt/asm_amd64.s:5"),
        ("error", "asm_reference", "backend/rt/rt.go:8", "backend/rt/asm_amd64.s:5"),
        ("error", "asm_reference", "backend/rt/rt.go:11", "backend/rt/asm_amd64.s:6"),
        ("error", "asm_reference", "backend/rt/rt.go:17", "backend/rt/asm_amd64.s:8"),
    ]
    assert found[3].message == (
        "runIDBody at backend/rt/rt.go:17 would be renamed to sessionIDBody, and assembly of "
        "its package spells the old name at backend/rt/asm_amd64.s:8: the build breaks; keep "
        "the name (a [[rule]] or an [[override]]), or rename it in those .s files by hand")


def test_a_func_without_a_body_is_kept_unless_a_rule_renames_it(tmp_path: Path) -> None:
    # Found on Go's internal/syscall/unix: `func libc_arc4random_buf_trampoline()` is the
    # `TEXT ·libc_arc4random_buf_trampoline(SB)` of asm_darwin.s.
    root = write_tree(tmp_path, {"rt/rt.go": ASM_GO, "rt/asm_amd64.s": ASM_S,
                                 "lk/lk.go": "package lk\n\nfunc nowRunID() int64\n"})
    keep_others = """
        [[rule]]
        path = "rt/*"
        decision = "keep"
        rationale = "assembly reads them"
        """
    assert asm_conflicts(root, textwrap.dedent(keep_others)) == []
    renamed = textwrap.dedent("""
        [[rule]]
        detail = "no body"
        decision = "rename"
        rationale = "renamed in its .s file and its linkname too"
        """) + textwrap.dedent(keep_others)
    found = asm_conflicts(root, renamed)
    assert [(c.severity, c.kind, c.where, c.other) for c in found] == [
        ("warning", "no_body", "backend/lk/lk.go:3", ""),
        ("error", "asm_reference", "backend/rt/rt.go:13", "backend/rt/asm_amd64.s:4"),
    ]
    assert found[0].message == (
        "nowRunID at backend/lk/lk.go:3 is declared without a body and renamed to nowSessionID: "
        "its code is in a .s file of the package or linked by a directive (//go:linkname), "
        "under the old name; rename it there too, or keep the name")


# -- interfaces declared outside the roots --------------------------------------------------------
# Found on Go's net/http (Timeout -> Deadline): `timeoutError.Timeout` implements net.Error, and
# `ne.Timeout()` calls it on a `ne, ok := err.(net.Error)`; net is outside the roots.
OUTSIDE_ERROR = """
    package ext

    // Error is an error that may be a timeout.
    type Error interface {
    	error
    	Timeout() bool
    	Temporary() bool
    }

    // Conn is a connection.
    type Conn struct{}

    // Timeout reports whether the last read timed out.
    func (*Conn) Timeout() bool { return false }
    """
IMPLEMENTS_AND_CALLS = """
    package app

    import "example.com/backend/ext"

    type timeoutError struct{}

    func (timeoutError) Error() string   { return "timed out" }
    func (timeoutError) Timeout() bool   { return true }
    func (timeoutError) Temporary() bool { return true }

    type partial struct{}

    func (partial) Timeout() bool { return false }

    func isTimeout(err error) bool {
    	if ne, ok := err.(ext.Error); ok && ne.Timeout() {
    		return true
    	}
    	switch e := err.(type) {
    	case ext.Error:
    		return e.Timeout()
    	}
    	var p partial
    	return p.Timeout() || err.(ext.Error).Timeout()
    }

    func later() bool { return pick().Timeout() }

    func connTimeout(c *ext.Conn) bool { return c.Timeout() }

    var pick func() ext.Error
    """


# The decisions keep a method that types outside the roots meet (idrename.implementedoutside);
# a rule that renames it all the same is what the checks below find.
DECLARATIONS_RENAMED = """
[[rule]]
role = ["method_decl", "interface_method"]
decision = "rename"
rationale = "every method declaration, whatever meets it"
"""


def renamed_anyway(old: str, new: str, extra: str = "") -> Policy:
    """The policy of a rename whose rule renames every method declaration."""
    return parse_policy(f'[rename]\nfrom = "{old}"\nto = "{new}"\n' + extra + DECLARATIONS_RENAMED)


def outside_interface(roots: list[Path], extra: str = "") -> list[Conflict]:
    from idrename.workflow import analyse

    policy = renamed_anyway("Timeout", "Deadline", extra)
    found = analyse(roots, policy, cache=False).conflicts
    return of_kind(found, "outside_interface", "outside_method")


def test_methods_and_calls_of_an_interface_declared_outside_the_roots(tmp_path: Path) -> None:
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": IMPLEMENTS_AND_CALLS})
    found = outside_interface([module / "app"])  # ext is outside the roots, in their module
    declared = f"{module / 'ext' / 'ext.go'}:4"
    # The calls whose receiver the function types as ext.Error or *ext.Conn (:16, :21, :24,
    # :29) are kept by the decisions (see the next test); not p.Timeout() (:24, a method of
    # partial, a type of the roots, which lacks the rest of ext.Error)
    assert [(c.severity, c.kind, c.where, c.other) for c in found] == [
        ("error", "outside_interface", "app/app.go:8", declared),  # timeoutError.Timeout
        # pick().Timeout(), pick a package-level variable: the syntax does not tell
        ("warning", "outside_method", "app/app.go:27", declared),
    ]
    assert found[0].message == (
        f"timeoutError.Timeout at app/app.go:8 implements ext.Error (example.com/backend/ext, "
        f"at {declared}), declared outside the roots, which keeps the name Timeout; renamed to "
        "Deadline, timeoutError no longer implements ext.Error, and the build does not say so "
        "(a type assertion or errors.As on ext.Error stops seeing it): keep the name (a "
        "[[rule]] or an [[override]]), or rename the method where the interface is declared "
        "too")
    assert found[1].message == (
        "the call .Timeout() at app/app.go:27 in later may be of ext.Error.Timeout, "
        "ext.Conn.Timeout, declared "
        "outside the roots in a package this file imports, which keeps the name (the syntax "
        "does not tell the receiver's type): if it is, renamed to Deadline it does not "
        "compile; `idrename verify` builds it: keep this call if so (an [[override]] of its "
        "id)")
    # The interface in the roots instead: renamed with its methods and calls; what is left is
    # that os.IsTimeout and net look Timeout up by its name on any error.
    assert [(c.kind, c.where, c.other) for c in outside_interface([module])] == [
        ("outside_interface", "backend/app/app.go:8", "")]


def test_calls_typed_as_a_type_outside_the_roots_are_kept(tmp_path: Path) -> None:
    """Seen on golang.org/x/tools (Obj -> Object): the roots declare methods Obj of their own,
    and call ``named.Obj()`` on a ``*types.Named``; the decisions keep those calls."""
    from idrename.workflow import analyse

    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": IMPLEMENTS_AND_CALLS})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    calls = analysis.decided[analysis.decided["role"] == "method_call"]
    assert [(int(r.line), r.decision, r.decided_by) for r in calls.itertuples()] == [
        (16, "keep", "declared-outside"),  # ne, ok := err.(ext.Error)
        (21, "keep", "declared-outside"),  # case ext.Error
        (24, "rename", "builtin:method_call"),  # p.Timeout(), p a partial of the roots
        (24, "keep", "declared-outside"),  # err.(ext.Error).Timeout()
        (27, "rename", "builtin:method_call"),  # pick().Timeout(): untyped (a warning)
        (29, "keep", "declared-outside"),  # c *ext.Conn
    ]
    assert calls.iloc[-1]["rationale"] == (
        "the call's receiver is a ext.Conn (example.com/backend/ext), declared outside the "
        f"roots, whose method Timeout (at {module / 'ext' / 'ext.go'}:14) this plan does not "
        "edit: renamed here alone it would not compile; rename it where it is declared, or "
        "widen the roots")
    edited = analysis_patch_text(analysis, module / "app" / "app.go")
    assert "return e.Timeout()" in edited and "func (partial) Deadline() bool" in edited
    assert "return p.Deadline() || err.(ext.Error).Timeout()" in edited
    assert "func connDeadline(c *ext.Conn) bool { return c.Timeout() }" in edited


# A struct declared outside the roots, with a field the roots also declare (config.Timeout).
OUTSIDE_FILE = """
    package ext

    // File is a file.
    type File struct {
    	Timeout int
    }
    """


def test_fields_of_a_struct_declared_outside_the_roots(tmp_path: Path) -> None:
    """Seen on cmd (Prog -> Program): the roots declare a type Progs, so ``f.elf.Progs`` (a
    field of debug/elf's File) was renamed, and go build failed."""
    from idrename.workflow import analyse

    app = """
        package app

        import "example.com/backend/ext"

        type config struct{ Timeout int }

        func wait(f *ext.File, c config) int { return f.Timeout + c.Timeout }

        func open() *ext.File { return nil }

        func later() int { return open().Timeout }

        func (s *store) wait() int { return s.file.Timeout + s.cfg.Timeout + s.inner.f.Timeout }

        func global() int { return current.Timeout }
        """
    # a struct of the package, in another file: its fields' types are followed
    store = """
        package app

        import x "example.com/backend/ext"

        type store struct {
        	file  *x.File
        	cfg   config
        	inner struct{ f *x.File }
        }

        var current *x.File
        """
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_FILE, "app/app.go": app, "app/store.go": store})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[analysis.decided["role"] == "selector"]
    assert [(r.path, int(r.line), r.decision, r.decided_by) for r in uses.itertuples()] == [
        ("app.go", 7, "keep", "declared-outside"),  # f.Timeout, f *ext.File
        ("app.go", 7, "rename", "builtin:selector"),  # c.Timeout, c config
        # open().Timeout: open, of the roots, says it returns an *ext.File
        ("app.go", 11, "keep", "declared-outside"),
        ("app.go", 13, "keep", "declared-outside"),  # s.file.Timeout: store.file *x.File
        ("app.go", 13, "rename", "builtin:selector"),  # s.cfg.Timeout: store.cfg config
        ("app.go", 13, "keep", "declared-outside"),  # s.inner.f.Timeout: an anonymous struct's
        # current.Timeout: a package-level variable is not followed (a warning)
        ("app.go", 15, "rename", "builtin:selector"),
    ]
    assert uses.iloc[0]["rationale"] == (
        "the selector's receiver is a ext.File (example.com/backend/ext), declared outside the "
        f"roots, whose field Timeout (at {module / 'ext' / 'ext.go'}:5) this plan does not edit: "
        "renamed here alone it would not compile; rename it where it is declared, or widen the "
        "roots")
    found = of_kind(analysis.conflicts, "outside_method")
    assert [(c.severity, c.where) for c in found] == [("warning", "app/app.go:15")]
    assert found[0].message.startswith(
        "the selector .Timeout at app/app.go:15 in global may be of ext.File.Timeout, "
        "declared outside the roots in a package this file imports")
    edited = analysis_patch_text(analysis, module / "app" / "app.go")
    assert "return f.Timeout + c.Deadline" in edited
    assert "return open().Timeout" in edited
    assert "return s.file.Timeout + s.cfg.Deadline + s.inner.f.Timeout" in edited


def test_elements_of_named_container_types(tmp_path: Path) -> None:
    """Seen on InfluxDB 1.6 (Measurement -> Metric): ``a[i].Measurement`` in ``func (a
    TagKeysSlice) Less``, a slice of a struct of the roots, was warned as maybe of an outside
    type; a named slice of an outside type is followed to it."""
    from idrename.workflow import analyse

    app = """
        package app

        import "example.com/backend/ext"

        type config struct{ Timeout int }

        type configs []config

        type files []*ext.File

        func (c configs) Less(i, j int) bool { return c[i].Timeout < c[j].Timeout }

        func first(fs files) int {
        	for _, f := range fs {
        		return f.Timeout
        	}
        	return fs[0].Timeout
        }
        """
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_FILE, "app/app.go": app})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[analysis.decided["role"] == "selector"]
    assert [(int(r.line), r.decision, r.decided_by) for r in uses.itertuples()] == [
        (11, "rename", "builtin:selector"), (11, "rename", "builtin:selector"),
        (15, "keep", "declared-outside"), (17, "keep", "declared-outside"),
    ]
    assert of_kind(analysis.conflicts, "outside_method") == []


def test_results_of_functions_declared_outside_the_roots(tmp_path: Path) -> None:
    """Seen on cmd (Prog -> Program): ``ef, err := elf.NewFile(f)`` then ``ef.Progs``."""
    from idrename.workflow import analyse

    ext = """
        package ext

        import "example.com/backend/ext/inner"

        // File is a file.
        type File struct {
        	Timeout int
        }

        func Open(name string) (*File, error) { return &File{}, nil }

        func Must(f *File) *File { return f }

        func Both() (n, m int, f *File) { return 0, 0, nil }

        func Deep() *inner.Conn { return nil }
        """
    inner = """
        package inner

        type Conn struct{ Timeout int }
        """
    app = """
        package app

        import "example.com/backend/ext"

        type config struct{ Timeout int }

        func read(c config) int {
        	f, err := ext.Open("x")
        	if err != nil {
        		return c.Timeout
        	}
        	_, _, g := ext.Both()
        	return f.Timeout + ext.Must(f).Timeout + g.Timeout + ext.Deep().Timeout
        }
        """
    module = write_tree(tmp_path, {"ext/ext.go": ext, "ext/inner/inner.go": inner,
                                   "app/app.go": app})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[analysis.decided["role"] == "selector"]
    assert [(int(r.line), r.decision, r.decided_by) for r in uses.itertuples()] == [
        (10, "rename", "builtin:selector"),  # c.Timeout, c config
        (13, "keep", "declared-outside"),  # f.Timeout: ext.Open's first result
        (13, "keep", "declared-outside"),  # ext.Must(f).Timeout: a function of one argument
        (13, "keep", "declared-outside"),  # g.Timeout: ext.Both's third result
        (13, "keep", "declared-outside"),  # ext.Deep().Timeout: inner.Conn, via ext's imports
    ]
    assert of_kind(analysis.conflicts, "outside_method") == []


def test_elements_of_slices_and_maps_of_outside_types(tmp_path: Path) -> None:
    """Seen on cmd/compile/internal/types2 (Pos -> Position): ``lhs[i].Pos()`` with ``lhs
    []syntax.Expr``, and ``file.Pos()`` in ``for _, file := range check.files``."""
    from idrename.workflow import analyse

    app = """
        package app

        import "example.com/backend/ext"

        type config struct{ Timeout int }

        type holder struct{ files []*ext.File }

        func all(fs []*ext.File, byName map[string]*ext.File, cs []config, h holder) int {
        	n := fs[0].Timeout + byName["a"].Timeout + cs[0].Timeout
        	for _, f := range fs {
        		n += f.Timeout
        	}
        	for k, c := range cs {
        		n += c.Timeout + k
        	}
        	for _, f := range h.files {
        		n += f.Timeout
        	}
        	return n
        }
        """
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_FILE, "app/app.go": app})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[analysis.decided["role"] == "selector"]
    assert [(int(r.line), r.decision) for r in uses.itertuples()] == [
        (10, "keep"),  # fs[0].Timeout: fs []*ext.File
        (10, "keep"),  # byName["a"].Timeout: a map's value
        (10, "rename"),  # cs[0].Timeout: cs []config
        (12, "keep"),  # f.Timeout, ranging over fs
        (15, "rename"),  # c.Timeout, ranging over cs
        (18, "keep"),  # f.Timeout, ranging over the field h.files
    ]
    assert of_kind(analysis.conflicts, "outside_method") == []
    edited = analysis_patch_text(analysis, module / "app" / "app.go")
    assert "n := fs[0].Timeout + byName[\"a\"].Timeout + cs[0].Deadline" in edited


def test_fields_of_structs_outside_the_roots_type_a_receiver(tmp_path: Path) -> None:
    """Seen on cmd/compile/internal/types2 (Pos -> Position): ``s.Name.Pos()`` with ``s
    *syntax.ConstDecl``, whose field Name is a ``*syntax.Name``, declared outside the roots."""
    from idrename.workflow import analyse

    ext = """
        package ext

        import "example.com/backend/ext/inner"

        // Decl is a declaration.
        type Decl struct {
        	Name  *Ident
        	Names []*Ident
        	Conn  *inner.Conn
        }

        // Ident is a name.
        type Ident struct {
        	Timeout int
        }
        """
    inner = """
        package inner

        type Conn struct{ Timeout int }
        """
    app = """
        package app

        import "example.com/backend/ext"

        type config struct{ Timeout int }

        func decl(s *ext.Decl, c config) int {
        	n := s.Name.Timeout + s.Conn.Timeout + c.Timeout
        	for _, id := range s.Names {
        		n += id.Timeout
        	}
        	return n
        }
        """
    module = write_tree(tmp_path, {"ext/ext.go": ext, "ext/inner/inner.go": inner,
                                   "app/app.go": app})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[analysis.decided["role"] == "selector"]
    assert [(int(r.line), r.decision) for r in uses.itertuples()] == [
        (8, "keep"),  # s.Name.Timeout: ext.Decl's field Name is an *ext.Ident
        (8, "keep"),  # s.Conn.Timeout: an *inner.Conn, as ext.go imports inner
        (8, "rename"),  # c.Timeout
        (10, "keep"),  # id.Timeout, ranging over the field s.Names
    ]
    assert of_kind(analysis.conflicts, "outside_method") == []


def test_the_decisions_and_the_checks_parse_each_outside_file_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The decisions (typed calls) and the checks (implementations, untyped calls) of one plan
    read the same packages outside the roots: each of their files is parsed once."""
    from idrename import outsideiface
    from idrename.workflow import analyse

    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": IMPLEMENTS_AND_CALLS})
    parsed: list[str] = []
    real = outsideiface.index_file
    monkeypatch.setattr(outsideiface, "index_file",
                        lambda folder, name, *a: parsed.append(name) or real(folder, name, *a))
    analysis = analyse([module / "app"], renamed_anyway("Timeout", "Deadline"), cache=False)
    assert len(of_kind(analysis.conflicts, "outside_interface", "outside_method")) == 2
    assert parsed == ["ext.go"]


def test_outside_interfaces_the_roots_cannot_meet_are_left_out(tmp_path: Path) -> None:
    """Seen on cmd/compile/internal/types2 (Pos -> Position): its object.Pos was said to
    implement go/types.Object, an interface with unexported methods (which only go/types' own
    types can have), imported only by a test file of the folder."""
    unexported = """
        package ext

        // Object has an unexported method: only this package's types implement it.
        type Object interface {
        	Timeout() bool
        	scope() int
        }
        """
    app = """
        package app

        import "example.com/backend/ext"

        type object struct{}

        func (object) Timeout() bool { return true }
        func (object) scope() int    { return 0 }

        var _ ext.Object
        """
    module = write_tree(tmp_path, {"ext/ext.go": unexported, "app/app.go": app})
    assert outside_interface([module / "app"]) == []
    # ext.Error (all its methods exported) imported only by a test file of the folder
    only_tested = IMPLEMENTS_AND_CALLS.split("type partial struct{}")[0].replace(
        'import "example.com/backend/ext"', "")
    test = 'package app\n\nimport "example.com/backend/ext"\n\nvar _ ext.Error = timeoutError{}\n'
    (tmp_path / "t").mkdir()
    module = write_tree(tmp_path / "t", {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": only_tested,
                                         "app/app_test.go": test})
    # (only that os.IsTimeout and net look Timeout up by its name on any error)
    assert [(c.where, c.other) for c in outside_interface([module / "app"])] == [
        ("app/app.go:8", "")]
    (module / "app" / "more.go").write_text(test)  # a non-test file imports it too
    assert [(c.kind, c.where) for c in outside_interface([module / "app"])] == [
        ("outside_interface", "app/app.go:8")]  # timeoutError.Timeout


def test_a_second_plan_reads_no_imports_again(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The decisions and the checks share one imports cache, saved once per plan: saved after
    the decisions, it kept only what they had read, and the checks read every other file's
    imports again on every plan."""
    from idrename import cache as cache_module
    from idrename import outside
    from idrename.workflow import analyse

    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust a signature however recent
    more = "package app\n\nimport \"strings\"\n\nvar _ = strings.Fields\n"
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": IMPLEMENTS_AND_CALLS,
                                   "app/more.go": more})
    read: list[bytes] = []
    real = outside.file_imports
    monkeypatch.setattr(outside, "file_imports", lambda data: read.append(data) or real(data))
    policy = policy_from_terms("Timeout", "Deadline")
    first = analyse([module / "app"], policy, cache=tmp_path / "cache").conflicts
    assert len(read) == 2  # app.go (its calls, then its methods), more.go (its folder's)
    read.clear()
    assert analyse([module / "app"], policy, cache=tmp_path / "cache").conflicts == first
    assert read == []


def analysis_patch_text(analysis: Any, path: Path) -> str:
    """The new text of one file of an analysis's patch."""
    from idrename.workflow import make_patch

    patch = make_patch(analysis)
    return next(f.after.decode() for f in patch.files if f.path.endswith(path.name))


def test_a_rule_that_renames_a_typed_call_is_still_an_error(tmp_path: Path) -> None:
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": IMPLEMENTS_AND_CALLS})
    forced = '[[rule]]\nrole = "method_call"\ndecision = "rename"\nrationale = "all calls"\n'
    found = outside_interface([module / "app"], forced)
    assert [(c.severity, c.kind, c.where) for c in found] == [
        ("error", "outside_interface", "app/app.go:8"),
        ("error", "outside_interface", "app/app.go:16"),
        ("error", "outside_interface", "app/app.go:21"),
        ("error", "outside_interface", "app/app.go:24"),
        ("warning", "outside_method", "app/app.go:27"),
        ("error", "outside_method", "app/app.go:29"),
    ]
    assert found[1].message == (
        f"the call .Timeout() at app/app.go:16 in isTimeout is of ext.Error.Timeout "
        f"(example.com/backend/ext, at {module / 'ext' / 'ext.go'}:4), declared outside the "
        "roots, which keeps the name: renamed to Deadline, it does not compile; keep this call "
        "(an [[override]] of its id, or a [[rule]])")


# Seen on golang.org/x/tools (Obj -> Object): `case interface{ Obj() *types.TypeName }:` is
# written to match *types.Named and *types.TypeParam; renamed, it matches nothing any more.
MATCHES_OUTSIDE_TYPES = """
    package app

    import "example.com/backend/ext"

    type Timeouter interface{ Timeout() bool }

    type timeouter interface{ Timeout() bool }

    func slow(x any) bool {
    	switch v := x.(type) {
    	case interface{ Timeout() bool }:
    		return v.Timeout()
    	}
    	return false
    }

    func connSlow(c *ext.Conn) bool { return c.Timeout() }
    """


def test_an_interface_of_the_roots_that_types_outside_them_implement(tmp_path: Path) -> None:
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": MATCHES_OUTSIDE_TYPES})
    found = outside_interface([module / "app"])
    error, conn = f"{module / 'ext' / 'ext.go'}:4", f"{module / 'ext' / 'ext.go'}:14"
    assert [(c.severity, c.kind, c.where, c.other) for c in found] == [
        ("warning", "outside_interface", "app/app.go:5", error),  # Timeouter: exported
        ("error", "outside_interface", "app/app.go:7", error),  # timeouter: unexported
        ("error", "outside_interface", "app/app.go:11", error),  # the case's anonymous one
    ]
    assert found[2].message == (
        "the method Timeout of an anonymous interface at app/app.go:11 is renamed to Deadline, "
        f"but ext.Error (example.com/backend/ext, at {error}), ext.Conn (example.com/backend/ext, "
        f"at {conn}), declared outside the roots in a package its folder imports, implement that "
        "interface with the method Timeout, which they keep: after the rename they no longer "
        "implement it, and the build does not say so (a type switch or assertion to the "
        "interface stops matching them): keep the name (a [[rule]] or an [[override]]), or "
        "rename the method where those types are declared too")
    assert found[0].message.startswith(
        "the method Timeout of interface Timeouter at app/app.go:5 is renamed to Deadline, but "
        "ext.Error")
    assert ("the build does not say so (if values of those types reach it, a type switch"
            in found[0].message)
    # c.Timeout() on a *ext.Conn is kept, and coupled to neither interface of the roots.
    from idrename.workflow import analyse

    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    assert [c for c in of_kind(analysis.conflicts, "interface_coupling") if c.severity == "error"] == []
    call = analysis.decided[analysis.decided["role"] == "method_call"].iloc[-1]
    assert (call["line"], call["decided_by"]) == (17, "declared-outside")
    # Without the import, nothing outside is looked at.
    alone = MATCHES_OUTSIDE_TYPES.replace('import "example.com/backend/ext"', "").replace(
        "func connSlow(c *ext.Conn) bool { return c.Timeout() }", "")
    (module / "app" / "app.go").write_text(textwrap.dedent(alone).lstrip())
    assert outside_interface([module / "app"]) == []


def test_the_imports_of_the_roots_files_are_read_once_per_file_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs on every plan; with a cache, a file's imports are read again only when
    the file changed, and the findings stay the same."""
    from idrename import cache as cache_module
    from idrename import outside
    from idrename.outsideiface import outside_interface_conflicts

    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust a signature however recent
    more = "package app\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n"
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_ERROR, "app/app.go": IMPLEMENTS_AND_CALLS,
                                   "app/more.go": more})
    frame, roots = decided(module / "app", Spec("Timeout", "Deadline"), DECLARATIONS_RENAMED)
    read: list[bytes] = []
    real = outside.file_imports
    monkeypatch.setattr(outside, "file_imports", lambda data: read.append(data) or real(data))
    cache = tmp_path / "cache"
    first = outside_interface_conflicts(frame, roots, ["vendor"], cache=cache)
    assert len(read) == 2 and len(first) == 2  # (the calls of ext's methods: kept)
    read.clear()
    assert outside_interface_conflicts(frame, roots, ["vendor"], cache=cache) == first
    assert read == []
    (module / "app" / "more.go").write_text(
        "package app\n\nimport \"strings\"\n\nvar _ = strings.Fields\n")
    assert outside_interface_conflicts(frame, roots, ["vendor"], cache=cache) == first
    assert len(read) == 1 and b"strings.Fields" in read[0]


PROTOCOL_TYPES = """
    package app

    import "errors"

    // NotFound is an error that matches any other NotFound.
    type NotFound struct{ Key string }

    func (e *NotFound) Error() string        { return "not found: " + e.Key }
    func (e *NotFound) Is(target error) bool { _, ok := target.(*NotFound); return ok }

    // Wrapped wraps an error.
    type Wrapped struct{ Err error }

    func (w Wrapped) Error() string { return "wrapped: " + w.Err.Error() }
    func (w Wrapped) Unwrap() error { return w.Err }

    // Set is not an error: its Is and Unwrap are its own.
    type Set struct{ items []string }

    func (s Set) Is(target error) bool { return false }
    func (s Set) Unwrap() error         { return nil }

    // Key prints as its name, though this file does not import fmt.
    type Key struct{ name string }

    func (k Key) String() string { return k.name }

    // Rune has a String of another shape.
    type Rune struct{}

    func (Rune) String(prefix string) string { return prefix }

    func missing(err error) bool { return errors.Is(err, &NotFound{}) }
    """


def test_methods_the_standard_library_looks_up_by_name(tmp_path: Path) -> None:
    # Renaming Is, Unwrap or String passed the build and changed what the program does:
    # errors.Is asserts interface{ Is(error) bool } where it needs it, fmt asserts Stringer;
    # no interface of an imported package names them. Renaming Error did not build.
    from idrename.policy import parse_policy
    from idrename.workflow import analyse

    module = write_tree(tmp_path, {"app/app.go": PROTOCOL_TYPES})

    def found(old: str, new: str) -> list[tuple[str, str, int]]:
        policy = renamed_anyway(old, new)
        return [(c.severity, c.kind, c.line) for c in of_kind(
            analyse([module], policy, cache=False).conflicts, "outside_interface")]

    assert found("Is", "Matches") == [("error", "outside_interface", 9)]  # not Set.Is
    assert found("Unwrap", "Inner") == [("error", "outside_interface", 15)]  # not Set.Unwrap
    assert found("Error", "Failure") == [("error", "outside_interface", 8),
                                         ("error", "outside_interface", 14)]
    assert found("String", "Text") == [("error", "outside_interface", 26)]  # not Rune.String
    message = of_kind(analyse([module], renamed_anyway("Unwrap", "Inner"), cache=False).conflicts,
                      "outside_interface")[0].message
    assert message == (
        "Wrapped.Unwrap at backend/app/app.go:15 is the method errors.Is, errors.As and "
        "errors.Unwrap look up by its name, on a value of any type; renamed to Inner, they stop "
        "at Wrapped instead of walking on to the error it wraps (errors.Is on an error it wraps "
        "turns false), and the build does not say so: keep the name (a [[rule]] or an "
        "[[override]])")
    # kept by a rule: nothing to say
    policy = parse_policy('[rename]\nfrom = "Unwrap"\nto = "Inner"\n\n[[rule]]\n'
                          'role = "method_decl"\ndecision = "keep"\nrationale = "errors"\n')
    assert of_kind(analyse([module], policy, cache=False).conflicts, "outside_interface") == []
    # by default, the decisions keep it (idrename.implementedoutside): nothing to say either
    analysis = analyse([module], policy_from_terms("Unwrap", "Inner"), cache=False)
    assert of_kind(analysis.conflicts, "outside_interface") == []
    methods = analysis.decided[analysis.decided["role"] == "method_decl"]
    assert [(m.owner, m.decision, m.decided_by) for m in methods.itertuples()] == [
        ("Wrapped", "keep", "implemented-outside"), ("Set", "rename", "builtin:method_decl")]


def test_format_and_servehttp_of_other_parameters_are_no_such_methods(tmp_path: Path) -> None:
    # A Format(a, b) of a file that does not import fmt cannot take a fmt.State: it is no
    # fmt.Formatter, and renaming it changes nothing fmt does. One that does is refused.
    from idrename.workflow import analyse

    module = write_tree(tmp_path, {"text/page.go": """
        package text

        // Page lays out lines.
        type Page struct{ width int }

        // Format wraps s to w columns.
        func (p *Page) Format(s string, w int) { p.width = w }
        """, "fmtd/value.go": """
        package fmtd

        import "fmt"

        // Value prints itself.
        type Value struct{}

        // Format formats v.
        func (Value) Format(f fmt.State, verb rune) { fmt.Fprint(f, "v") }
        """})
    policy = renamed_anyway("Format", "Layout")
    found = of_kind(analyse([module], policy, cache=False).conflicts, "outside_interface")
    assert [(c.severity, c.where) for c in found] == [("error", "backend/fmtd/value.go:9")]


def test_a_method_looked_up_by_a_package_of_the_roots_is_theirs(tmp_path: Path) -> None:
    # Renaming Unwrap across Go's own tree renames errors.Is's interface{ Unwrap() error } too:
    # the lookup is the roots', and the plan is whole.
    from idrename.policy import parse_policy
    from idrename.workflow import analyse

    src = tmp_path / "src"
    files = {
        "go.mod": "module std\n\ngo 1.22\n",
        "errors/wrap.go": "package errors\n\n// Unwrap unwraps.\nfunc Unwrap(err error) error {\n"
                          "\tu, ok := err.(interface{ Unwrap() error })\n\tif !ok {\n"
                          "\t\treturn nil\n\t}\n\treturn u.Unwrap()\n}\n",
        "app/app.go": textwrap.dedent(PROTOCOL_TYPES).lstrip(),
    }
    for rel, text in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text)
    policy = parse_policy('[rename]\nfrom = "Unwrap"\nto = "Inner"\n')
    assert of_kind(analyse([src], policy, cache=False).conflicts, "outside_interface") == []


def test_a_standard_library_interface_is_found_in_the_toolchain_goroot(tmp_path: Path) -> None:
    from idrename.outsideiface import outside_interface_conflicts

    goroot = tmp_path / "goroot"
    (goroot / "src" / "ext").mkdir(parents=True)
    (goroot / "src" / "ext" / "ext.go").write_text(textwrap.dedent(OUTSIDE_ERROR).lstrip())
    app = IMPLEMENTS_AND_CALLS.replace('"example.com/backend/ext"', '"ext"')
    root = write_tree(tmp_path, {"app/app.go": app})
    frame, roots = decided(root, Spec("Timeout", "Deadline"), DECLARATIONS_RENAMED)
    found = outside_interface_conflicts(frame, roots, ["vendor"], goroot=lambda: goroot)
    assert [(c.kind, c.where) for c in found if c.severity == "error"][:2] == [
        ("outside_interface", "backend/app/app.go:8"),
        ("outside_interface", "backend/app/app.go:16"),
    ]
    # without the GOROOT, only that os.IsTimeout and net look Timeout up by its name on errors
    assert [(c.where, c.other) for c in outside_interface_conflicts(
        frame, roots, ["vendor"], goroot=lambda: None)] == [("backend/app/app.go:8", "")]


def test_generated_method_coupled_to_a_renamed_interface(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "pkg/planning/planning.pb.go": GENERATED,
        "pkg/planning/source.go": """
            package planning

            type RunIdSource interface {
            	GetRunId() string
            }
            """,
    })
    frame, roots = decided(root)
    frame = override(frame, "pkg/planning/source.go", "GetRunId", "rename", target="GetSessionId")
    found = of_kind(errors(check(root, frame, roots)), "interface_coupling")
    assert [(c.where, c.other) for c in found] == [
        ("backend/pkg/planning/planning.pb.go:9", "backend/pkg/planning/source.go:4"),
    ]
    assert "is in a generated file but it is coupled to interface method" in found[0].message


def test_unparsed_review_and_api_change(tmp_path: Path) -> None:
    spec = Spec("RunID", "SessionID")
    root = write_tree(tmp_path, {
        "pkg/broken/broken.go": """
            package broken

            func f(runID string {
            	return runID
            }
            """,
        "pkg/loop/loop.go": """
            package loop

            // Conversation is exported: renaming its field changes the API.
            type Conversation struct {
            	RunID string
            	runID string
            }

            func run(c Conversation) string {
            	sessionRunID := c.RunID
            	return sessionRunID
            }
            """,
        "pkg/loop/loop_test.go": """
            package loop

            func TestRunID(t *testing.T) {}
            """,
    })
    found = check(root, spec=spec)
    assert errors(found) == []
    unparsed = of_kind(found, "unparsed")
    assert [(c.severity, c.where, len(c.ids)) for c in unparsed] == [
        ("warning", "backend/pkg/broken/broken.go:3", 2),
    ]
    review = of_kind(found, "review")  # unparsed rows are reported once, as unparsed
    assert [c.where for c in review] == [
        "backend/pkg/loop/loop.go:10", "backend/pkg/loop/loop.go:11",
    ]
    assert review[0].message.endswith("; suggestion: sessionID")
    assert review[0].message.startswith(
        "sessionRunID (local_decl) at backend/pkg/loop/loop.go:10 is still decided review: ")
    api = of_kind(found, "api_change")
    assert [(c.severity, c.message) for c in api] == [(
        "info",
        "exported field loop.Conversation.RunID at backend/pkg/loop/loop.go:5 becomes "
        "loop.Conversation.SessionID; code outside the roots that uses it must change with it",
    )]


def test_names_a_file_the_grammar_cannot_parse_uses_are_errors_per_name(
        tmp_path: Path) -> None:
    # Labels that end a block: valid Go the bundled grammar cannot read, so server.go is
    # unparsed.
    # Not reported: its own locals, otherRunID and peerRunID (unexported, of another package),
    # lastRunID (server.go declares one itself), runIDPrefix (declared there: kept in use.go)
    root = write_tree(tmp_path, {
        "pkg/conf/conf.go": """
            package conf

            type Config struct {
            	RunID string
            }

            func (c *Config) LookupRunID() string { return c.RunID }

            var defaultRunID = "r"

            func own(runID string) string { return runID }

            type other struct{ lastRunID string }
            """,
        "pkg/conf/server.go": """
            package conf

            var current = new(Config{RunID: defaultRunID})

            func serve(c *Config, runID string) string {
            	return c.LookupRunID() + c.LookupRunID() + runID + otherRunID
            }

            var runIDPrefix = new("p")

            func skip() {
            	goto done
            	goto end
            done:
            end:
            }

            type state struct{ lastRunID string }

            func (s *state) get(p *peer) string { return s.lastRunID + p.peerRunID }
            """,
        "pkg/conf/use.go": """
            package conf

            func prefix() string { return runIDPrefix + "x" }
            """,
        "pkg/other/other.go": """
            package other

            var otherRunID = 1

            type peer struct{ peerRunID string }
            """,
    })
    frame, roots = decided(root)
    kept = frame[frame["path"] == "pkg/conf/use.go"]
    assert kept[["text", "decision", "decided_by"]].values.tolist() == [
        ["runIDPrefix", "keep", "declared-unparsed"]]
    assert kept["rationale"].iloc[0].startswith(
        "declared in pkg/conf/server.go:9, a file idrename cannot parse")
    found = of_kind(check(root, frame, roots), "unparsed_use")
    assert [(c.severity, c.where, c.other) for c in found] == [
        ("error", "backend/pkg/conf/server.go:3", "backend/pkg/conf/conf.go:4"),
        ("error", "backend/pkg/conf/server.go:3", "backend/pkg/conf/conf.go:9"),
        ("error", "backend/pkg/conf/server.go:6", "backend/pkg/conf/conf.go:7"),
    ]
    assert found[2].message == (
        "LookupRunID is used at backend/pkg/conf/server.go:6, backend/pkg/conf/server.go:6, in "
        "a file idrename cannot parse (never edited), and is renamed to LookupSessionID where "
        "it is declared at backend/pkg/conf/conf.go:7: those uses would no longer compile; "
        "rename LookupRunID in that file by hand before applying, or keep the name ([[rule]] "
        'text = "LookupRunID", decision = "keep", with a rationale)'
    )


def test_all_conflicts_reported_sorted_and_as_a_frame(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "b/b.go": """
            package b

            type B struct {
            	RunID     string
            	SessionID string
            }
            """,
        "a/a.go": """
            package a

            func F(runID string) string {
            	sessionID := "x"
            	return runID + sessionID
            }

            type A struct {
            	RunID     string
            	SessionID string
            }
            """,
    })
    found = errors(check(root))
    assert [(c.path, c.line, c.kind) for c in found] == [
        ("backend/a/a.go", 3, "local_collision"),
        ("backend/a/a.go", 9, "field_collision"),
        ("backend/b/b.go", 4, "field_collision"),
    ]
    table = conflicts_frame(found)
    assert list(table.columns) == CONFLICT_COLUMNS
    assert table["line"].tolist() == [3, 9, 4]
    assert set(table["severity"]) == {"error"}
    assert list(conflicts_frame([]).columns) == CONFLICT_COLUMNS


def test_run_checks_needs_decisions(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"a/a.go": "package a\n\nvar RunID = 1\n"})
    inv = scan([root], SPEC)
    with pytest.raises(ValueError, match="lacks decision"):
        run_checks(inv.frame, inv.roots, SPEC)


# -- the symbol index --------------------------------------------------------------------------
def test_symbol_index_packages_scopes_and_shapes(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "p/p.go": """
            package p

            import lg "log"

            type I interface {
            	M(a, b string, c ...int) (string, error)
            }

            func F(x int) func() int {
            	y := x
            	return func() int { z := y; lg.Println(z); return z }
            }
            """,
        "p/p_ext_test.go": "package p_test\n\nfunc TestX() {}\n",
    })
    index = SymbolIndex({"backend": root})
    keys = [(p.key.dir, p.key.name, p.import_path) for p in index.packages()]
    assert keys == [("p", "p", "example.com/backend/p"), ("p", "p_test", "example.com/backend/p")]
    pkg = index.package_of("backend", "p/p.go")
    assert pkg is not None and sorted(pkg.names) == ["F", "I"]
    (method,) = pkg.types["I"].methods
    assert (method.name, method.shape, method.variadic) == ("M", (3, 2), True)
    info = index.file("backend", "p/p.go")
    assert info is not None and info.imports["lg"][0] == "log"
    outer = info.scope_at(info.scopes[0].start_byte)
    assert outer is not None and sorted(outer.declared) == ["x", "y"]
    (literal,) = outer.children
    assert sorted(literal.declared) == ["z"] and "lg" in literal.used and "y" in literal.used


# -- the bundled fixture -----------------------------------------------------------------------
@pytest.mark.skipif(not (FIXTURE / "go.mod").is_file() or not POLICY.is_file(),
                    reason="the moments fixture or its policy is not there yet")
def test_fixture_has_no_error_under_its_policy() -> None:
    policy = load_policy(POLICY)
    inv = scan([FIXTURE], policy.spec, sections=policy.sections, skip=policy.skip)
    found = run_checks(decide(inv.frame, policy), inv.roots, policy.spec)
    assert [c.message for c in found if c.severity == "error"] == []
    coupling = of_kind(found, "interface_coupling")
    assert [c.severity for c in coupling] == ["info"]
    assert "FindConversationBySessionID" in coupling[0].message
    for c in found:
        assert str(FIXTURE) not in c.message  # paths are relative to the root label


def test_interface_method_only_called_in_the_roots(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pkg/lookup/lookup.go": INTERFACE_TREE["pkg/lookup/lookup.go"]})
    found = of_kind(check(root), "interface_coupling")
    assert [(c.severity, c.where, c.other) for c in found] == [
        ("info", "backend/pkg/lookup/lookup.go:5", "backend/pkg/lookup/lookup.go:10"),
    ]
    assert found[0].message.endswith(
        "is coupled to 0 other method declaration(s) and 1 call(s), all renamed to "
        "FindBySessionID: the call at backend/pkg/lookup/lookup.go:10")


def _declarations(index: SymbolIndex) -> list[object]:
    out: list[object] = []
    for pkg in index.packages():
        out.append((pkg.key, pkg.import_path, sorted(pkg.names.items())))
        out.append([(f.path, f.package, f.generated, f.parse_error, sorted(f.imports.items()))
                    for f in pkg.files])
        out.append([(t.name, t.kind, t.place, t.fields, t.methods, t.embeds, t.alias_of,
                     t.constraint, t.local) for t in pkg.all_types()])
        out.append(sorted(pkg.types))
        out.append(sorted(pkg.methods.items()))
    return out


@pytest.mark.skipif(not (FIXTURE / "go.mod").is_file(), reason="the moments fixture is not there")
def test_index_without_detail_keeps_every_declaration_and_type() -> None:
    """Files indexed without detail (no scopes, no calls) hold the same names, imports, types
    (local and anonymous ones too, in the same order) and methods as fully indexed ones."""
    full = SymbolIndex({"backend": FIXTURE})
    light = SymbolIndex({"backend": FIXTURE}, detail=lambda root, path, data: False)
    assert _declarations(light) == _declarations(full)
    assert all(not f.scopes and not f.calls for p in light.packages() for f in p.files)
    assert any(f.scopes for p in full.packages() for f in p.files)


# -- the index loads on demand: files that spell neither name still count ----------------------
def test_collision_through_a_chain_of_embeddings_in_files_without_the_family(
        tmp_path: Path) -> None:
    """Meta (with RunID) is embedded by Mid, which Outer embeds next to its own SessionID: the
    files of Mid and Outer spell no family member, and are found through the embedding."""
    root = write_tree(tmp_path, {
        "pkg/a/a.go": """
            package a

            type Meta struct {
            	RunID string
            }
            """,
        "pkg/b/b.go": """
            package b

            import "example.com/backend/pkg/a"

            type Mid struct {
            	a.Meta
            	note string
            }
            """,
        "pkg/c/c.go": """
            package c

            import "example.com/backend/pkg/b"

            type Outer struct {
            	*b.Mid
            	SessionID string
            }
            """,
    })
    found = errors(check(root))
    assert [(c.kind, c.where, c.other) for c in found] == [
        ("field_collision", "backend/pkg/a/a.go:4", "backend/pkg/c/c.go:7"),
    ]
    assert found[0].message == (
        "struct Outer would get two fields named SessionID: field RunID at backend/pkg/a/a.go:4 "
        "(promoted from embedded b.Mid.a.Meta) is renamed to SessionID, and field SessionID at "
        "backend/pkg/c/c.go:7 already has that name"
    )


# Impl satisfies Finder only with its Close, declared in a file that spells no family member.
CLOSE_ELSEWHERE = {
    "pkg/p/p.go": """
        package p

        type Finder interface {
        	FindByRunID(id string) string
        	Close() error
        }
        """,
    "pkg/q/impl.go": """
        package q

        type Impl struct{}

        func (Impl) FindByRunID(id string) string { return id }
        """,
    "pkg/q/close.go": """
        package q

        func (Impl) Close() error { return nil }
        """,
}


def test_interface_coupling_sees_methods_declared_in_files_without_the_family(
        tmp_path: Path) -> None:
    """Impl satisfies Finder only with its Close, declared in a file that spells no family
    member: the coupling still holds."""
    root = write_tree(tmp_path, CLOSE_ELSEWHERE)
    found = of_kind(check(root), "interface_coupling")
    assert [(c.severity, c.where, c.other) for c in found] == [
        ("info", "backend/pkg/p/p.go:4", "backend/pkg/q/impl.go:5"),
    ]
    # without Close the type does not implement Finder: nothing is coupled
    (root / "pkg/q/close.go").unlink()
    assert of_kind(check(root), "interface_coupling") == []


def test_prefetched_files_are_those_the_member_questions_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Prepared.prefetch starts indexing the files that spell a type the files with rows declare
    methods on (close.go: Impl's Close, no family member in it): the checks then read none on
    demand and find the same coupling."""
    from idrename.checks import start_checks

    root = write_tree(tmp_path, {
        **CLOSE_ELSEWHERE,
        "pkg/q/other.go": """
            package q

            func helper() int { return 1 }
            """,
    })
    frame, roots = decided(root)
    expected = check(root)
    assert of_kind(expected, "interface_coupling")
    prepared = start_checks(frame, roots, SPEC)
    prepared.prefetch()
    index = prepared.context.index
    index._wait()
    assert sorted(path for _, path in index._files) == [
        "pkg/p/p.go", "pkg/q/close.go", "pkg/q/impl.go"]
    on_demand: list[str] = []
    real = SymbolIndex._load

    def load(self: SymbolIndex, root: str, rel_dir: str, path: str) -> None:
        on_demand.append(path)
        real(self, root, rel_dir, path)

    monkeypatch.setattr(SymbolIndex, "_load", load)
    found = run_checks(frame, roots, SPEC, prepared=prepared)
    assert [c.__dict__ for c in found] == [c.__dict__ for c in expected]
    assert on_demand == []


def test_index_loads_only_what_the_questions_need(tmp_path: Path) -> None:
    """Files that spell no family member, no new name and nothing a question names are never
    parsed."""
    files = {f"pkg/other{i}/o.go": f"package other{i}\n\ntype T{i} struct{{ n int }}\n"
             for i in range(5)}
    files["pkg/a/a.go"] = "package a\n\ntype Meta struct {\n\tRunID string\n}\n"
    root = write_tree(tmp_path, files)
    frame, roots = decided(root)
    from idrename.checks import _Context

    ctx = _Context(frame, roots, SPEC)
    assert [t.name for _, t in ctx.candidate_types()] == ["Meta"]
    assert sorted(path for _, path in ctx.index._files) == ["pkg/a/a.go"]


def _scope_facts(index: SymbolIndex, files: list[tuple[str, str]],
                 keeps: object) -> list[object]:
    out: list[object] = []
    for root, path in files:
        info = index.file(root, path)
        assert info is not None
        for top in info.scopes:
            for scope in top.walk():
                kept = {p.byte for n, ps in scope.declared.items() if keeps(n) for p in ps}
                out.append((path, scope.kind, scope.name, scope.start_byte, scope.end_byte,
                            sorted((n, p) for n, p in scope.declared.items() if keeps(n)),
                            sorted((n, p) for n, p in scope.used.items() if keeps(n)),
                            sorted((b, e) for b, e in scope.starts.items() if b in kept)))
        out.append(sorted((b, c) for b, c in info.calls.items() if keeps(c.name)))
    return out


@pytest.mark.parametrize("tree", ["fixture", "corpus"])
def test_scopes_from_the_occurrences_equal_the_full_walk(tree: str, tmp_path: Path) -> None:
    """The index that loads on demand finds the names at the inventory's places instead of
    walking every function: for the names the checks ask about (family members and new
    names), its scopes and calls equal those of the full walk."""
    from idrename import corpus
    from idrename.checks import _Context

    if tree == "fixture":
        root = FIXTURE
    else:
        root = tmp_path / "backend"
        corpus.generate(root, files=40, lines_per_file=200, seed=3)
    frame, roots = decided(root)
    ctx = _Context(frame, roots, SPEC)
    relevant = ctx.index._relevant
    assert relevant is not None
    files = sorted({(r, p) for r, p in zip(frame["root"], frame["path"], strict=True)
                    if p.endswith(".go")})
    full = SymbolIndex(roots)
    assert _scope_facts(ctx.index, files, relevant.keeps) == _scope_facts(full, files, relevant.keeps)


def test_rows_read_before_the_strategies_serve_the_checks_after_them(tmp_path: Path) -> None:
    """start_checks keeps the rows it read; run_checks reads the symbol-level findings from
    them when only strings and tags were decided anew since, and reads the frame again when an
    identifier was (the findings are those of a run without it either way)."""
    from idrename.checks import start_checks

    root = write_tree(tmp_path, {"conv/conv.go": """
        package conv

        type Conversation struct {
        	RunID     string `json:"run_id"`
        	SessionID string
        }

        func (c Conversation) Key() string { return "run_id" }
        """})
    frame, roots = decided(root)

    def found(conflicts: list[Any]) -> list[tuple[str, str, str]]:
        return [(c.kind, c.where, c.message) for c in conflicts]

    tag_kept = override(frame, "conv/conv.go", "run_id", "keep")
    field_kept = override(frame, "conv/conv.go", "RunID", "keep")
    for after, serves in ((tag_kept, True), (field_kept, False)):
        prepared = start_checks(frame, roots, SPEC)
        assert prepared.serves(after, roots, SPEC) is serves
        expected = found(run_checks(after, roots, SPEC))
        assert found(run_checks(after, roots, SPEC, prepared=prepared)) == expected
    assert "field_collision" in [kind for kind, _where, _message in found(
        run_checks(tag_kept, roots, SPEC, prepared=start_checks(frame, roots, SPEC)))]
    moved = frame.assign(start_byte=frame["start_byte"] + 1)  # the same rows, elsewhere
    assert not start_checks(frame, roots, SPEC).serves(moved, roots, SPEC)
    assert not start_checks(frame, roots, SPEC).serves(tag_kept, {"other": root}, SPEC)
    assert not start_checks(frame, roots, SPEC).serves(frame.drop(columns="language"), roots,
                                                       SPEC)


def test_an_index_started_early_gives_the_same_conflicts(tmp_path: Path) -> None:
    """start_index begins indexing in the background; run_checks uses it when it was built for
    the same occurrences and new names, and builds its own (closing the early one) otherwise."""
    from idrename.checks import start_index

    root = write_tree(tmp_path, {"conv/conv.go": """
        package conv

        type Conversation struct {
        	RunID     string
        	SessionID string
        }
        """})
    frame, roots = decided(root)
    expected = [(c.kind, c.where, c.message) for c in run_checks(frame, roots, SPEC)]
    assert "field_collision" in [kind for kind, _where, _message in expected]
    early = start_index(frame, roots, SPEC)
    found = run_checks(frame, roots, SPEC, index=early)
    assert [(c.kind, c.where, c.message) for c in found] == expected
    other = start_index(override(frame, "conv/conv.go", "RunID", "rename", target="ChatID"),
                        roots, SPEC)
    found = run_checks(frame, roots, SPEC, index=other)
    assert [(c.kind, c.where, c.message) for c in found] == expected


def test_symbol_checks_forked_give_the_findings_of_a_run_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fork_checks runs the symbol-level checks in a forked child; run_checks takes
    its findings when the identifiers are decided alike, and checks here when they are not or
    when the child failed: the conflicts are a run without it's in every case."""
    from idrename import checks
    from idrename.checks import Prepared

    monkeypatch.delenv("IDRENAME_NO_FORK", raising=False)
    root = write_tree(tmp_path, {"conv/conv.go": """
        package conv

        type Conversation struct {
        	RunID     string `json:"run_id"`
        	SessionID string
        }

        func (c Conversation) Key() string { return c.RunID }
        """})
    frame, roots = decided(root)
    inventory = scan([root], SPEC).frame

    def start_checks(rows: pd.DataFrame) -> Prepared:
        early = checks.fork_checks(inventory, roots, SPEC)
        assert early is not None, "no fork: a thread left running by another test?"
        prepared = early.decided(rows)
        assert prepared is not None
        return prepared

    def found(conflicts: list[Any]) -> list[tuple[str, str, str]]:
        return [(c.kind, c.where, c.message) for c in conflicts]

    tag_kept = override(frame, "conv/conv.go", "run_id", "keep")
    field_kept = override(frame, "conv/conv.go", "RunID", "keep")
    expected = found(run_checks(tag_kept, roots, SPEC))
    assert "field_collision" in [kind for kind, _where, _message in expected]
    prepared = start_checks(frame)
    assert prepared.forked is not None
    assert found(run_checks(tag_kept, roots, SPEC, prepared=prepared)) == expected
    prepared = start_checks(frame)  # other identifiers: checked here
    assert found(run_checks(field_kept, roots, SPEC, prepared=prepared)) == found(
        run_checks(field_kept, roots, SPEC))
    assert not prepared.forked._process.is_alive()  # type: ignore[union-attr]

    def broken(*args: Any, **kwargs: Any) -> list[Conflict]:
        raise RuntimeError("the child's index is broken")

    monkeypatch.setattr(checks, "_checked_here", broken)  # the child inherits it
    prepared = start_checks(frame)
    assert prepared.symbol_findings() is None
    assert found(run_checks(tag_kept, roots, SPEC, prepared=prepared)) == expected


def test_symbol_checks_forked_before_the_decisions_load_the_index_meanwhile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fork_checks starts the child on the inventory, before the decisions: it loads the index
    of the inventory's files from the cache while this process decides, then takes the decided
    rows. Its findings are a run here's in every case. The checks take the index it loaded when
    the rows are renamed to names the new term's pattern spells; they index anew when a row is
    renamed to another name (the index would look for other names), when the decided rows are
    not the inventory's (other files would be indexed in detail), and when the cache lacks too
    many files (a pool beside the parent's work would hold memory on top of memory)."""
    from idrename import checks, gosymbols

    monkeypatch.delenv("IDRENAME_NO_FORK", raising=False)
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    root = write_tree(tmp_path, {
        "conv/conv.go": """
            package conv

            type Conversation struct {
            	RunID     string `json:"run_id"`
            	SessionID string
            }

            func (c Conversation) Key() string { return c.RunID }
            """,
        "conv/store.go": """
            package conv

            func Lookup(c Conversation) string { return c.RunID }
            """,
        "conv/other.go": "package conv\n\nfunc sessionIDs() []string { return nil }\n",
    })
    inventory = scan([root], SPEC).frame
    frame, roots = decided(root)
    chat = override(frame, "conv/conv.go", "RunID", "rename", target="ChatID")
    log = tmp_path / "preloads.log"
    real_preload = SymbolIndex.preload

    def counting(self: SymbolIndex, *args: Any, **kwargs: Any) -> bool:
        loaded = real_preload(self, *args, **kwargs)
        with log.open("a") as f:  # appended to by the child too
            f.write(f"{'early' if kwargs.get('at_most') is not None else 'checks'} {loaded}\n")
        return loaded

    monkeypatch.setattr(SymbolIndex, "preload", counting)

    def forked_findings(rows: pd.DataFrame, spec: Spec = SPEC
                        ) -> tuple[list[tuple[str, str, str]], list[str]]:
        log.write_text("")
        early = checks.fork_checks(inventory, roots, spec)
        assert early is not None, "no fork: a thread left running by another test?"
        prepared = early.decided(rows)
        assert prepared is not None and prepared.forked is not None
        found = run_checks(rows, roots, spec, prepared=prepared)
        assert not prepared.forked._process.is_alive()
        return [(c.kind, c.where, c.message) for c in found], log.read_text().splitlines()

    monkeypatch.setattr(gosymbols, "PARALLEL_MIN_FILES", 2)  # the cache is empty: give up
    expected = [(c.kind, c.where, c.message) for c in run_checks(frame, roots, SPEC)]
    assert "field_collision" in [kind for kind, _where, _message in expected]
    log.write_text("")
    run_checks(frame, roots, SPEC)  # the cache holds every file now
    assert log.read_text().splitlines() == ["checks True"]
    assert forked_findings(frame) == (expected, ["early True"])  # taken
    expected_chat = [(c.kind, c.where, c.message) for c in run_checks(chat, roots, SPEC)]
    assert forked_findings(chat) == (expected_chat, ["early True", "checks True"])  # dropped
    # A name outside the pattern that the spec's explicit mapping gives is spelled by the index
    # built before the decisions too: taken (once a plan has left it in the cache).
    explicit = Spec("RunID", "SessionID", explicit={"RunID": "ChatKey"})
    keyed, _ = decided(root, explicit)
    assert "ChatKey" in set(keyed["target"])
    expected_keyed = [(c.kind, c.where, c.message) for c in run_checks(keyed, roots, explicit)]
    assert forked_findings(keyed, explicit) == (expected_keyed, ["early True"])
    fewer = frame[frame["path"] != "conv/store.go"].reset_index(drop=True)
    assert len(fewer) < len(frame)
    expected_fewer = [(c.kind, c.where, c.message) for c in run_checks(fewer, roots, SPEC)]
    assert forked_findings(fewer) == (expected_fewer, ["early True", "checks True"])
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "empty-cache"))
    assert forked_findings(frame) == (expected, ["early False", "checks True"])


CHAINS_STORE = """
    package store

    import "example.com/backend/ext"

    // Store holds files.
    type Store struct{ files map[string]*ext.File }

    // Entry is an entry.
    type Entry struct{ Timeout int }

    // Entries lists the entries.
    func (s *Store) Entries() []Entry { return nil }

    // File gives a file.
    func (s *Store) File(name string) *ext.File { return s.files[name] }
    """
CHAINS_APP = """
    package app

    import (
    	"example.com/backend/app/store"
    	"example.com/backend/ext"
    )

    type config struct{ Timeout int }

    // Getter is where files come from.
    type Getter interface {
    	File(name string) *ext.File
    	Config() *config
    }

    type server struct {
    	Getter
    	store  *store.Store
    	byName map[string]*config
    	cur    struct{ files []*ext.File }
    }

    func open(n int) *store.Store { return nil }

    var current *server

    func (s *server) all(name string) int {
    	n := s.File(name).Timeout + s.Config().Timeout
    	c := s.byName[name]
    	f := s.store.File(name)
    	n += c.Timeout + f.Timeout
    	for _, e := range s.store.Entries() {
    		n += e.Timeout
    	}
    	st := open(1)
    	n += st.File(name).Timeout + s.cur.files[0].Timeout
    	for _, e := range st.Entries() {
    		n += e.Timeout
    	}
    	return n + current.File(name).Timeout
    }
    """


def test_receivers_typed_through_chains_maps_and_embedded_types(tmp_path: Path) -> None:
    """Seen on InfluxDB 1.6 (Measurement -> Metric, RetentionPolicy -> ExpiryPolicy) and on
    cmd/compile/internal/types2 (Pos -> Position): a method of a field (``e.MetaClient.
    Database(name)``, an interface's), a method promoted from an embedded struct or interface
    (``check.errpos``, a test's ``Store`` embedding ``*tsdb.Store``), a map's value (``series
    := i.series[k]``), a function's result read as a conversion (``s := MustOpenStore(x)``), an
    anonymous struct's field (``itr.keys.buf``): each was an outside_method warning. A
    package-level variable stays one."""
    from idrename.workflow import analyse

    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_FILE, "app/store/store.go": CHAINS_STORE,
                                   "app/app.go": CHAINS_APP})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[(analysis.decided["role"] == "selector")
                            & (analysis.decided["path"] == "app.go")]
    assert [(int(r.line), r.decision) for r in uses.itertuples()] == [
        (28, "keep"),  # s.File(name): Getter's File, promoted, is an *ext.File
        (28, "rename"),  # s.Config(): a *config
        (31, "rename"),  # c := s.byName[name]: a *config
        (31, "keep"),  # f := s.store.File(name): store.Store's File, an *ext.File
        (33, "rename"),  # ranging over s.store.Entries(): store.Entry
        (36, "keep"),  # st := open(1): a function's result (not a conversion), *store.Store
        (36, "keep"),  # s.cur.files[0]: the anonymous struct's field, []*ext.File
        (38, "rename"),  # ranging over st.Entries()
        (40, "rename"),  # current: a package-level variable, not told
    ]
    assert [c.where for c in of_kind(analysis.conflicts, "outside_method")] == ["app/app.go:40"]


EMBEDDING_EXT = """
    package ext

    import "example.com/backend/ext/gone"

    type node struct{ pos int }

    // Timeout is the node's.
    func (n *node) Timeout() int { return n.pos }

    type expr struct{ node }

    // Name embeds expr, which embeds node.
    type Name struct {
    	expr
    	Value string
    }

    // Lost embeds a type of a package not found.
    type Lost struct{ gone.Thing }

    // Plain has no Timeout at all.
    type Plain struct{ Value string }

    // Pos declares one itself (as syntax.Pos does).
    type Pos struct{ Timeout int }
    """


def test_members_promoted_from_types_embedded_outside_the_roots(tmp_path: Path) -> None:
    """Seen on cmd/compile/internal/types2 (Pos -> Position): ``rname.Pos()`` on a
    ``*syntax.Name``, whose Pos is declared on ``node``, embedded in ``expr``, embedded in
    ``Name``: the receiver was typed, the type declares no Pos itself, and 71 such calls were
    renamed. An embedded type not found leaves the member's owner untold (a warning), when the
    roots declare a method of that name; when they declare it only as a field that cannot be
    called (``Timeout int``), the call is not theirs and is kept (idrename.calledfields)."""
    from idrename.workflow import analyse

    app = """
        package app

        import "example.com/backend/ext"

        type config struct{}

        func (c config) Timeout() int { return 0 }

        func (c config) all(n *ext.Name, l ext.Lost, p *ext.Plain) int {
        	return n.Timeout() + l.Timeout() + c.Timeout() + len(p.Value)
        }
        """
    module = write_tree(tmp_path, {"ext/ext.go": EMBEDDING_EXT, "app/app.go": app})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[analysis.decided["role"].isin(["method_call", "selector"])]
    assert [(int(r.column), r.decision) for r in uses.itertuples()] == [
        (11, "keep"),  # n.Timeout(): node's, promoted through expr and Name
        (25, "rename"),  # l.Timeout(): Lost embeds gone.Thing, not found: not told
        (39, "rename"),  # c.Timeout()
    ]
    warned = of_kind(analysis.conflicts, "outside_method")
    assert [(c.where, c.message.split(" may be ")[0]) for c in warned] == [
        ("app/app.go:10", "the call .Timeout() at app/app.go:10 in config.all")]
    fields = app.replace("type config struct{}\n\n        func (c config) Timeout() int { return 0 }",
                         "type config struct{ Timeout int }").replace("c.Timeout()", "c.Timeout")
    (tmp_path / "fields").mkdir()
    module = write_tree(tmp_path / "fields", {"ext/ext.go": EMBEDDING_EXT, "app/app.go": fields})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[analysis.decided["role"].isin(["method_call", "selector"])]
    assert [(int(r.column), r.decision, r.decided_by) for r in uses.itertuples()] == [
        (11, "keep", "declared-outside"), (25, "keep", "declared-outside"),
        (39, "rename", "builtin:selector")]
    assert of_kind(analysis.conflicts, "outside_method") == []


def test_keys_of_map_fields_of_a_dot_imported_struct(tmp_path: Path) -> None:
    """Seen on cmd/compile/internal/types2 (Pos -> Position): in ``package types2_test``, which
    dot-imports types2, ``info := Info{...}`` then ``for id, obj := range info.Uses`` and
    ``id.Pos()``: the key of the field's map type, a ``*syntax.Name``."""
    from idrename.workflow import analyse

    app = """
        package app

        import "example.com/backend/ext"

        type config struct{ Timeout int }

        // Info records files.
        type Info struct{ Uses map[*ext.File]config }
        """
    test = """
        package app_test

        import (
        	. "example.com/backend/app"
        	"example.com/backend/ext"
        )

        var _ ext.File

        func count(info Info) int {
        	n := 0
        	for f, c := range info.Uses {
        		n += f.Timeout + c.Timeout
        	}
        	return n
        }
        """
    module = write_tree(tmp_path, {"ext/ext.go": OUTSIDE_FILE, "app/app.go": app,
                                   "app/app_test.go": test})
    analysis = analyse([module / "app"], policy_from_terms("Timeout", "Deadline"), cache=False)
    uses = analysis.decided[(analysis.decided["role"] == "selector")
                            & (analysis.decided["path"] == "app_test.go")]
    assert [(int(r.column), r.decision) for r in uses.itertuples()] == [
        (10, "keep"),  # f: the key of Info.Uses, an *ext.File
        (22, "rename"),  # c: its value, a config
    ]
    assert of_kind(analysis.conflicts, "outside_method") == []

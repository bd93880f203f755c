"""Methods and interface methods coupled to ones the policy keeps are kept with them
(idrename.implementedoutside, ``coupled``): Go text before, Go text after, the decisions, and
`go test` with the real toolchain once the patch is applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_patch import applied_and_go_tested, go, workflow_plan

# Seen on a JSON Pointer library (rebase -> prefixWith) and a CSV codec (HeaderNames ->
# ColumnNames), with every method kept by a rule: the interface methods their types implement
# were renamed by the default, and the plans were refused (interface_coupling).
SHAPES = """
    // Package shapes names shapes.
    package shapes

    // Shape is a shape with a label.
    type Shape interface {
    	Area() int
    	RunID() string
    	withRunID(id string) Shape
    }

    type square struct {
    	side int
    	id   string
    }

    func (s square) Area() int                 { return s.side * s.side }
    func (s square) RunID() string             { return s.id }
    func (s square) withRunID(id string) Shape { return square{s.side, id} }

    type circle struct {
    	r  int
    	id string
    }

    func (c circle) Area() int                 { return 3 * c.r * c.r }
    func (c circle) RunID() string             { return c.id }
    func (c circle) withRunID(id string) Shape { return circle{c.r, id} }

    // job has a RunID of another shape, and implements no Shape.
    type job struct{ id string }

    func (j job) RunID() (string, bool) { return j.id, j.id != "" }

    // Describe gives a shape's labels and area.
    func Describe(s Shape) (string, string, int) { return s.RunID(), s.withRunID("x").RunID(), s.Area() }

    func jobRunID(j job) string {
    	id, _ := j.RunID()
    	return id
    }
    """

SHAPES_TEST = """
    package shapes

    import "testing"

    func TestDescribe(t *testing.T) {
    	if label, other, area := Describe(square{3, "s"}); label != "s" || other != "x" || area != 9 {
    		t.Fatalf("Describe(square) = %q, %q, %d", label, other, area)
    	}
    	if label, other, area := Describe(circle{1, "c"}); label != "c" || other != "x" || area != 3 {
    		t.Fatalf("Describe(circle) = %q, %q, %d", label, other, area)
    	}
    	if id := jobRunID(job{"j"}); id != "j" {
    		t.Fatalf("jobRunID = %q", id)
    	}
    }
    """

BASE = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'


def _planned(tmp_path: Path, rule: str) -> tuple[Path, Any, Any]:
    """(root, analysis, patch) of the shapes under BASE and one ``[[rule]]`` (its body): the
    plan has no error."""
    root, analysis, patch = workflow_plan(
        tmp_path, {"shapes.go": SHAPES, "shapes_test.go": SHAPES_TEST},
        BASE + "\n[[rule]]\n" + rule)
    assert [c.message for c in analysis.conflicts if c.severity == "error"] == []
    assert patch is not None
    return root, analysis, patch


def _rows(analysis, name: str) -> list[tuple[int, str, str, str]]:
    decided = analysis.decided
    found = decided[(decided["text"] == name) & (decided["path"] == "shapes.go")]
    return [(r.line, r.role, r.decision, r.decided_by) for r in found.itertuples()]


def test_the_interface_methods_a_kept_method_implements_are_kept_with_their_other_types(
        tmp_path: Path) -> None:
    # One rule keeps square's methods. Shape's methods are coupled to them, and circle's to
    # Shape's: all are kept, and so are the calls through a Shape. job's RunID, of another
    # shape, implements nothing and is renamed with its call and the function named after it.
    root, analysis, patch = _planned(tmp_path, 'role = "method_decl"\nsymbol = "square.*"\n'
                                     'decision = "keep"\nrationale = "square keeps its names"\n')
    after = (SHAPES.replace("job has a RunID", "job has a SessionID")
             .replace("func (j job) RunID()", "func (j job) SessionID()")
             .replace("func jobRunID(", "func jobSessionID(")
             .replace("id, _ := j.RunID()", "id, _ := j.SessionID()"))
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "shapes.go": go(after),
        "shapes_test.go": go(SHAPES_TEST.replace("jobRunID", "jobSessionID"))}
    assert [r for r in _rows(analysis, "RunID") if r[1] != "func_decl"] == [
        (7, "interface_method", "keep", "coupled"),
        (17, "method_decl", "keep", "rule:1"),
        (26, "method_decl", "keep", "coupled"),
        (29, "doc_comment", "rename", "builtin:doc_comment"),
        (32, "method_decl", "rename", "builtin:method_decl"),
        (35, "method_call", "keep", "coupled"),
        (35, "method_call", "keep", "coupled"),
        (38, "method_call", "rename", "builtin:method_call"),
    ]
    assert _rows(analysis, "withRunID") == [
        (8, "interface_method", "keep", "coupled"),
        (18, "method_decl", "keep", "rule:1"),
        (27, "method_decl", "keep", "coupled"),
        (35, "method_call", "keep", "declaration"),
    ]
    decided = analysis.decided.set_index(["line", "role", "text"])
    assert decided.loc[(7, "interface_method", "RunID"), "rationale"] == (
        "kept with the method RunID of a type that implements this interface, which is kept: "
        "renamed alone, the interface would no longer be implemented by it")
    assert decided.loc[(26, "method_decl", "RunID"), "rationale"] == (
        "kept with the interface method RunID it implements, which is kept: renamed alone, "
        "circle would no longer implement that interface")
    applied_and_go_tested(root, patch)


def test_the_methods_that_implement_a_kept_interface_method_are_kept(tmp_path: Path) -> None:
    # The mirror: a rule keeps the interface's methods, and the types' methods follow.
    root, analysis, patch = _planned(tmp_path, 'role = "interface_method"\ndecision = "keep"\n'
                                     'rationale = "the interface keeps its names"\n')
    assert [r[2:] for r in _rows(analysis, "withRunID")] == [
        ("keep", "rule:1"), ("keep", "coupled"), ("keep", "coupled"), ("keep", "declaration")]
    assert [r[1:] for r in _rows(analysis, "RunID") if r[1] == "method_decl"] == [
        ("method_decl", "keep", "coupled"), ("method_decl", "keep", "coupled"),
        ("method_decl", "rename", "builtin:method_decl")]
    applied_and_go_tested(root, patch)


def test_an_override_that_renames_a_coupled_method_is_still_refused(tmp_path: Path) -> None:
    # An entry of the policy that renames one side decides it: the checks' error stays, and
    # the plan is refused, as before.
    policy = BASE + ('\n[[rule]]\nrole = "method_decl"\nsymbol = "square.*"\n'
                     'decision = "keep"\nrationale = "square keeps its names"\n'
                     '\n[[rule]]\nrole = "method_decl"\nsymbol = "circle.*"\n'
                     'decision = "rename"\nrationale = "circle moves"\n')
    _, analysis, patch = workflow_plan(
        tmp_path, {"shapes.go": SHAPES, "shapes_test.go": SHAPES_TEST}, policy)
    assert patch is None
    assert {(c.kind, c.severity) for c in analysis.conflicts if c.severity == "error"} == {
        ("interface_coupling", "error")}

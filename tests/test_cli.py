"""The command line end to end on small trees written on the fly: exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from idrename.cli import main

GO = textwrap.dedent('''\
    package store

    type Record struct {
    	RunID string `json:"run_id"`
    }

    func Key(r Record) string { return r.RunID }
    ''')


def tree(tmp_path: Path, go: str = GO) -> Path:
    root = tmp_path / "svc"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/svc\n\ngo 1.22\n")
    (root / "store.go").write_text(go)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_inventory_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    assert main(["inventory", str(root), "--from", "RunID", "--to", "SessionID", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["line"], r["role"], r["text"]) for r in rows] == [
        (4, "field_decl", "RunID"), (4, "struct_tag", "run_id"), (7, "selector", "RunID")]
    assert {"id", "path", "start_byte", "wire", "declared_in_module", "section"} <= set(rows[0])


def test_dash_as_output_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    # `-o -` wrote a file named "-" in the working folder.
    root = tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    terms = ["--from", "RunID", "--to", "SessionID"]
    assert main(["inventory", str(root), *terms, "--format", "json", "-o", "-"]) == 0
    assert [r["text"] for r in json.loads(capsys.readouterr().out)] == ["RunID", "run_id", "RunID"]
    assert main(["plan", str(root), *terms, "-o", "-"]) == 0
    captured = capsys.readouterr()
    plan = json.loads(captured.out)  # the plan alone: what is said of it is on stderr
    assert plan["decisions"] and "plan is clean" in captured.err.splitlines()[-1]
    assert main(["diff", str(root), *terms, "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("diff --git a/store.go b/store.go")
    assert not (tmp_path / "-").exists()


def test_plan_clean_then_conflict_exit_3_naming_both_places(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    assert main(["plan", str(root), "--from", "RunID", "--to", "SessionID"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "plan is clean: 1 file(s) would change"
    (root / "store.go").write_text(GO.replace("RunID string", "RunID string\n\tSessionID string"))
    before = snapshot(root)
    capsys.readouterr()
    assert main(["plan", str(root), "--from", "RunID", "--to", "SessionID"]) == 3
    out = capsys.readouterr().out
    assert "field_collision" in out and "svc/store.go:4" in out and "svc/store.go:5" in out
    assert snapshot(root) == before


def test_a_plan_is_clean_only_with_nothing_left_to_look_at() -> None:
    from idrename.cli import _plan_verdict

    assert _plan_verdict(3, 0, 0) == "plan is clean: 3 file(s) would change"
    assert _plan_verdict(3, 47, 45) == (
        "plan has no conflicts: 3 file(s) would change; 47 occurrence(s) left for review and "
        "45 warning(s) above to read before applying")
    assert _plan_verdict(0, 2, 0) == (
        "plan has no conflicts: 0 file(s) would change; 2 occurrence(s) left for review above "
        "to read before applying")


def test_malformed_policy_exit_2_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    policy = tmp_path / "p.toml"
    policy.write_text('[rename]\nfrom = "RunID"\nto = "func"\n')
    assert main(["plan", str(root), "--policy", str(policy)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert f"{policy}:3: rename.to:" in err and "keyword" in err


def test_terms_that_differ_only_in_case_exit_2(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    assert main(["plan", str(root), "--from", "RunID", "--to", "RunId"]) == 2
    assert capsys.readouterr().err == (
        "idrename: --from RunID --to RunId: 'RunID' -> 'RunId' differ only in case, and "
        "idrename spells each renamed name in the case style it already has, so every spelling "
        "of the family would stay as it is; give a new term with other words (to change only "
        "the case of some names, rename them with gopls rename)\n")


def test_missing_root_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inventory", str(tmp_path / "nope"), "--from", "RunID", "--to", "SessionID"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_diff_says_what_the_patch_cannot_edit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    vendored = root / "vendor" / "other.com" / "lib" / "lib.go"
    vendored.parent.mkdir(parents=True)
    vendored.write_text('package lib\n\nimport "example.com/svc"\n\n'
                        'func key(r store.Record) string { return r.RunID }\n')
    assert main(["diff", str(root), "--from", "RunID", "--to", "SessionID",
                 "-o", str(tmp_path / "r.diff")]) == 0
    err = capsys.readouterr().err
    assert ("warning: skipped_use: svc/vendor/other.com/lib/lib.go:5 is under vendor/, which the "
            "policy skips (never edited), and it spells RunID (example.com/svc, renamed to "
            "SessionID)") in err
    assert "RunID" in vendored.read_text()
    # so is a file that did not parse, whose occurrences are never edited
    (root / "broken.go").write_text("package store\n\nfunc RunIDOf( {\n")
    assert main(["diff", str(root), "--from", "RunID", "--to", "SessionID",
                 "-o", str(tmp_path / "r.diff")]) == 0
    assert "warning: unparsed: 1 occurrence(s) in svc/broken.go" in capsys.readouterr().err


def test_diff_apply_stale_and_second_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    terms = ["--from", "RunID", "--to", "SessionID"]
    diff = tmp_path / "r.diff"
    assert main(["diff", str(root), *terms, "-o", str(diff)]) == 0
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    check = subprocess.run(["git", "-C", str(root), "apply", "--check", str(diff)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    plan = tmp_path / "plan.json"
    assert main(["plan", str(root), *terms, "-o", str(plan)]) == 0
    doc = json.loads(plan.read_text())
    assert [f["path"] for f in doc["files"]] == ["store.go"] and len(doc["files"][0]["sha256"]) == 64
    # A file changed since planning: refused with exit 4, nothing written.
    (root / "store.go").write_text(GO + "\n// edited\n")
    before = snapshot(root)
    assert main(["apply", str(root), "--plan", str(plan)]) == 4
    assert "changed since the plan" in capsys.readouterr().err
    assert snapshot(root) == before
    (root / "store.go").write_text(GO)
    assert main(["apply", str(root), "--plan", str(plan), "--dry-run"]) == 0
    assert snapshot(root)["store.go"] == GO.encode()
    assert main(["apply", str(root), "--plan", str(plan)]) == 0
    assert "SessionID string" in (root / "store.go").read_text()
    capsys.readouterr()
    assert main(["apply", str(root), *terms]) == 0
    assert "nothing to do" in capsys.readouterr().out


WIRE = textwrap.dedent('''\
    package store

    import (
    	"log/slog"
    	"net/http"
    )

    func handle(w http.ResponseWriter, r *http.Request) {
    	runID := r.URL.Query().Get("run_id")
    	w.Header().Set("X-Run-ID", runID)
    	slog.Info("handled", "run_id", runID)
    	writeJSON(w, map[string]any{"run_id": runID})
    }

    func writeJSON(w http.ResponseWriter, v any) {}
    ''')


def test_a_second_apply_of_the_compatibility_edits_is_a_no_op(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Found on Go's net/http: the legacy names stay after a first apply (dual-emit keeps them),
    # and the second added the new ones again (a header sent twice).
    root = tree(tmp_path, WIRE)
    terms = ["--from", "RunID", "--to", "SessionID"]
    assert main(["apply", str(root), *terms]) == 0
    assert "applied: 1 file(s) changed" in capsys.readouterr().out
    applied = snapshot(root)
    assert applied["store.go"].decode() == GO_WIRE_APPLIED
    assert main(["diff", str(root), *terms, "-o", str(tmp_path / "again.diff")]) == 0
    assert (tmp_path / "again.diff").read_text() == ""
    capsys.readouterr()
    assert main(["apply", str(root), *terms]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert snapshot(root) == applied


GO_WIRE_APPLIED = textwrap.dedent('''\
    package store

    import (
    	"log/slog"
    	"net/http"
    )

    func handle(w http.ResponseWriter, r *http.Request) {
    	sessionID := r.URL.Query().Get("session_id")
    	if sessionID == "" {
    		sessionID = r.URL.Query().Get("run_id")
    	}
    	w.Header().Set("X-Run-ID", sessionID)
    	w.Header().Set("X-Session-ID", sessionID)
    	slog.Info("handled", "run_id", sessionID, "session_id", sessionID)
    	writeJSON(w, map[string]any{"run_id": sessionID, "session_id": sessionID})
    }

    func writeJSON(w http.ResponseWriter, v any) {}
    ''')


def test_verify_after_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    terms = ["--from", "RunID", "--to", "SessionID", "--policy"]
    policy = tmp_path / "p.toml"
    policy.write_text('[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\nstruct_tag = "keep"\n')
    assert main(["apply", str(root), "--policy", str(policy)]) == 0
    capsys.readouterr()
    code = main(["verify", str(root), "--policy", str(policy)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "verification holds" in out
    del terms


def test_verify_allows_what_is_left_for_review_when_asked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A string left to review stays after the apply: verify fails on it, unless the plan was
    # applied before its review on purpose (--allow-review lists it and passes).
    root = tree(tmp_path)
    (root / "note.go").write_text(
        'package store\n\nvar note = label("see run_id")\n\nfunc label(s string) string { return s }\n')
    terms = ["--from", "RunID", "--to", "SessionID"]
    assert main(["apply", str(root), *terms]) == 0
    capsys.readouterr()
    assert main(["verify", str(root), *terms]) == 1
    out = capsys.readouterr().out
    assert "unexpected residual occurrences:" in out and "note.go" in out
    assert main(["verify", str(root), *terms, "--allow-review"]) == 0
    out = capsys.readouterr().out
    assert "unexpected residual occurrences:" not in out
    assert "left for review (allowed by --allow-review):" in out and "note.go" in out
    assert "(0 unexpected, 1 left for review)" in out


# Valid Go that the bundled tree-sitter grammar cannot read: labels that end a block.
LABELS = "package store\n\nfunc skip() {\n\tgoto done\n\tgoto end\ndone:\nend:\n}\n"
# Parses, but is not gofmt-clean (and holds no family member: the patch leaves it alone).
MESSY = "package store\n\nfunc  messy( ) int {return 1}\n"


def test_verify_blames_the_patch_only_for_what_it_did(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Found on Go's net/http: verify failed the rename for a file the grammar cannot read (which
    # Go reads) and for two files that were not gofmt-clean before and that the patch never
    # touched, and said "not run" of go build with no reason.
    root = tree(tmp_path)
    (root / "go.mod").unlink()
    (root / "labels.go").write_text(LABELS)
    (root / "messy.go").write_text(MESSY)
    (root / "messy_run.go").write_text(MESSY.replace("messy", "runIDOf"))
    terms = ["--from", "RunID", "--to", "SessionID"]
    assert main(["apply", str(root), *terms]) == 0
    assert "SessionID string" in (root / "store.go").read_text()
    assert (root / "messy.go").read_text() == MESSY
    # a file that was not gofmt-clean is renamed; its renamed line, which gofmt would rewrite
    # anyway, is not reformatted
    assert (root / "messy_run.go").read_text() == MESSY.replace("messy", "sessionIDOf")
    capsys.readouterr()
    assert main(["verify", str(root), *terms]) == 1
    out = capsys.readouterr().out
    rows = {line.split("  ")[0]: line for line in out.splitlines()}
    scope = "(failures counted in the 2 file(s) the patch changed)"
    parses = rows[f"every Go file parses {scope}"]
    assert " True " in parses and "all parse (judged by Go's parser, gofmt -e, go1." in parses
    assert "1 valid Go file(s) idrename's grammar cannot read: svc/labels.go" in parses
    assert " True " in rows[f"gofmt-clean {scope}"]
    before = rows["so before the patch (reported, not failed)"]
    assert ("svc/messy.go is not gofmt-clean (not changed by the patch); svc/messy_run.go is not "
            "gofmt-clean (not gofmt-clean before the patch)") in before
    assert ("not run: no go.mod at or under svc, so no module to build"
            in rows["go build / vet / test"])
    assert "0 parse error(s), 0 unformatted file(s), 2 pre-existing" in out


def test_verify_without_a_record_of_the_patch_judges_every_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A tree patched by other means (git apply): every file counts, and the table says so.
    root = tree(tmp_path, GO.replace("RunID", "SessionID").replace("run_id", "session_id"))
    (root / "messy.go").write_text(MESSY)
    assert main(["verify", str(root), "--from", "RunID", "--to", "SessionID"]) == 1
    out = capsys.readouterr().out
    rows = {line.split("  ")[0]: line.split() for line in out.splitlines()}
    gofmt = rows["gofmt-clean (failures counted in every file: no record of what the patch changed)"]
    assert gofmt[-2:] == ["False", "svc/messy.go"]
    assert "1 unformatted file(s)" in out


@pytest.mark.parametrize(("above", "said"), [
    ("module example.com/mono\n", "svc has no go.mod of its own: it is part of the module "
     "example.com/mono (go.mod at ..); verify that folder to build, vet and test it"),
    ("module std\n", "svc is part of Go's own source tree (module std, go.mod at ..), which "
     "only the Go toolchain it belongs to builds"),
])
def test_verify_says_why_go_did_not_run(tmp_path: Path, above: str, said: str) -> None:
    from idrename.policy import policy_from_terms
    from idrename.verify import verify

    root = tree(tmp_path)
    (root / "go.mod").unlink()
    (tmp_path / "go.mod").write_text(above)
    result = verify([root], policy_from_terms("RunID", "SessionID"))
    assert result.go_results == [] and not result.ok
    assert result.notes == [f"{said}" + ("" if "mono" in above else ": run its `go test` there")]
    assert result.checks_frame().iloc[-1]["detail"] == f"not run: {result.notes[0]}"
    skipped = verify([root], policy_from_terms("RunID", "SessionID"), run_go=False)
    assert skipped.notes == ["not asked for (run_go=False)"]


ALIGNED = textwrap.dedent('''\
    package store

    type Record struct {
    	RunID string
    	Name  string
    }

    func Key(r Record) string { return r.RunID }
    ''')


def test_crlf_and_bom_files_diff_apply_and_verify_as_gofmt_formats_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A CRLF file was left unformatted (the renamed field misaligned with its block), and a file
    # with a byte order mark was counted gofmt-clean before, so verify blamed the patch for it.
    root = tree(tmp_path, ALIGNED.replace("\n", "\r\n"))
    other = ALIGNED.replace("Record", "Other").replace("Key", "OtherKey")
    (root / "bom.go").write_bytes(b"\xef\xbb\xbf" + other.encode())
    realigned = ALIGNED.replace("RunID string", "SessionID string").replace(
        "Name  string", "Name      string").replace("r.RunID", "r.SessionID")
    terms = ["--from", "RunID", "--to", "SessionID"]
    diff = tmp_path / "r.diff"
    assert main(["diff", str(root), *terms, "-o", str(diff)]) == 0
    err = capsys.readouterr().err
    assert "kept its CRLF line endings" in err  # the gofmt column says it; no warning needed
    assert [line for line in err.splitlines() if line.startswith("warning")] == []
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    check = subprocess.run(["git", "-C", str(root), "apply", "--check", str(diff)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert main(["apply", str(root), *terms]) == 0
    assert (root / "store.go").read_bytes() == realigned.replace("\n", "\r\n").encode()
    assert (root / "bom.go").read_bytes() == \
        b"\xef\xbb\xbf" + realigned.replace("Record", "Other").replace("Key", "OtherKey").encode()
    capsys.readouterr()
    code = main(["verify", str(root), *terms])
    out = capsys.readouterr().out
    assert code == 0, out
    assert ("svc/bom.go is not gofmt-clean (not gofmt-clean before the patch); svc/store.go is "
            "not gofmt-clean (not gofmt-clean before the patch)") in out


def test_the_apply_record_keeps_the_state_before_the_first_apply(tmp_path: Path) -> None:
    from idrename.patch import RENAMED_LINES_FORMATTED, FilePatch
    from idrename.verify import record_apply, recorded_changes

    root = tmp_path / "svc"
    root.mkdir()
    first, second, third = (MESSY.replace("messy", name).encode() for name in ("a", "b", "c"))
    (root / "x.go").write_bytes(second)
    record_apply(root, [FilePatch("svc", "x.go", first, second, gofmt=RENAMED_LINES_FORMATTED)])
    assert recorded_changes(root) == {"x.go": False}
    # applied again on top: what was known before the first apply stays
    (root / "x.go").write_bytes(third)
    record_apply(root, [FilePatch("svc", "x.go", second, third, gofmt="formatted")])
    assert recorded_changes(root) == {"x.go": False}
    # the tree copied afresh: the record is not about it any more
    (root / "x.go").write_bytes(first)
    assert recorded_changes(root) is None


def test_compat_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logged = 'func log(l Logger, r Record) { l.Str("run_id", r.RunID) }\n\nfunc Key'
    root = tree(tmp_path, GO.replace("func Key", logged))
    terms = ["--from", "RunID", "--to", "SessionID"]
    assert main(["compat", str(root), *terms, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["contract"] for r in records} >= {"log_key:run_id"}
    assert main(["compat", str(root), *terms, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("| contract | direction |")


def test_a_policy_entry_that_matches_nothing_is_a_warning_of_plan_and_diff(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    policy = tmp_path / "P.toml"
    tag_rule, web_rule, field_rule = (textwrap.dedent(entry) for entry in ('''
        [[rule]]
        role = "struct_tag"
        path = "svc/*"
        decision = "keep"
        rationale = "the tag is read by another service"
        ''', '''
        [[rule]]
        path = "web/*"
        decision = "keep"
        rationale = "the frontend moves later"
        ''', '''
        [[rule]]
        role = "field_decl"
        path = "store.go"
        decision = "rename"
        rationale = "matches: no warning"
        '''))
    terms = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'
    policy.write_text(terms + tag_rule + web_rule + field_rule)
    warnings = [
        f'warning: policy: rule[1] at {policy}:5 (role = "struct_tag", path = "svc/*") matches '
        'no occurrence; paths are relative to the root svc: did you mean "*"?',
        f'warning: policy: rule[2] at {policy}:11 (path = "web/*") matches no occurrence',
    ]
    # a warning: the exit status stays 0, and the verdict counts it
    assert main(["plan", str(root), "--policy", str(policy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("warning:")] == warnings
    assert out[-1] == ("plan has no conflicts: 1 file(s) would change; 2 warning(s) above to "
                       "read before applying")
    assert main(["diff", str(root), "--policy", str(policy), "-o", str(tmp_path / "r.diff")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith("warning:")] == warnings
    # said with the conflicts too, which may be what the entry was written for
    (root / "store.go").write_text(GO.replace("RunID string", "RunID string\n\tSessionID string"))
    assert main(["diff", str(root), "--policy", str(policy)]) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == warnings and err[2].startswith("error: field_collision: ")
    (root / "store.go").write_text(GO)
    # written from the root, the rule decides the tag, and the plan has nothing to say of it
    policy.write_text(terms + tag_rule.replace('"svc/*"', '"*"') + field_rule)
    assert main(["plan", str(root), "--policy", str(policy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert not [line for line in out if line.startswith("warning:")]
    assert out[-1] == "plan is clean: 1 file(s) would change"

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "moments"
POLICY = FIXTURE.parents[2] / "data" / "policies" / "runid-to-sessionid.toml"


def test_fixture_plans_without_conflicts_and_a_colliding_field_exits_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from idrename.scratch import scratch_copy

    copy = scratch_copy(FIXTURE / "backend", tmp_path / "scratch")
    args = ["plan", str(copy), "--consumers", str(FIXTURE / "web"), "--policy", str(POLICY)]
    assert main(args) == 0
    # no conflict, but two InferenceID wirings to do by hand: not "clean"
    assert capsys.readouterr().out.splitlines()[-1] == (
        "plan has no conflicts: 19 file(s) would change; 2 warning(s) above to read before "
        "applying")
    conv = copy / "pkg" / "webchat" / "conversation.go"
    conv.write_text(conv.read_text().replace("\tTurn  *turns.Turn\n",
                                             "\tTurn  *turns.Turn\n\tSessionID string\n", 1))
    assert main(args) == 3
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("error: field_collision"))
    assert "backend/pkg/webchat/conversation.go:19" in line
    assert "backend/pkg/webchat/conversation.go:21" in line


def test_apply_plan_refuses_a_tree_that_would_change_elsewhere(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    plan = tmp_path / "plan.json"
    assert main(["plan", str(root), "--from", "RunID", "--to", "SessionID", "-o", str(plan)]) == 0
    (root / "other.go").write_text("package store\n\nvar lastRunID string\n")
    before = snapshot(root)
    capsys.readouterr()
    # store.go is unchanged, but the plan was made without other.go: its decisions do not
    # cover it, and applying must not pretend they do.
    assert main(["apply", str(root), "--plan", str(plan)]) == 0
    assert (root / "other.go").read_bytes() == before["other.go"]


def _command(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``python -m idrename.cli`` as a separate process (its own exit, a cache of its own), its
    output buffered as a pipe's is by default."""
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["IDRENAME_CACHE_DIR"] = str(tmp_path / "cache")
    return subprocess.run([sys.executable, "-m", "idrename.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_command_exits_with_its_status_and_all_its_output(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(tmp_path)
    terms = ["--from", "RunID", "--to", "SessionID"]
    assert main(["diff", str(root), *terms]) == 0
    expected = capsys.readouterr()
    done = _command("diff", str(root), *terms, tmp_path=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected.out, expected.err)
    assert "+\tSessionID string `json:\"session_id\"`" in done.stdout
    (root / "store.go").write_text(GO.replace("RunID string", "RunID string\n\tSessionID string"))
    done = _command("plan", str(root), *terms, tmp_path=tmp_path)
    assert done.returncode == 3 and "field_collision" in done.stdout
    done = _command("inventory", str(tmp_path / "missing"), *terms, tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (f"idrename: the root {tmp_path / 'missing'} does not exist: "
                           "give the folder of a Go tree\n")


def test_the_command_exits_as_usual_while_a_thread_or_a_finalizer_is_alive() -> None:
    import sys

    # (in a process of its own: the check shuts logging down, and pytest holds finalizers)
    script = textwrap.dedent("""\
        import threading, weakref
        from idrename.cli import _nothing_left
        said = [_nothing_left()]
        stop = threading.Event()
        worker = threading.Thread(target=stop.wait)
        worker.start()
        said.append(_nothing_left())
        stop.set()
        worker.join()
        class Held:
            pass
        held = Held()
        finalizer = weakref.finalize(held, print, "finalized")
        said.append(_nothing_left())
        finalizer()
        said.append(_nothing_left())
        print(said)
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout == "finalized\n[True, False, False, True]\n"


def test_a_reader_that_goes_away_ends_the_command_quietly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os
    import sys

    root = tree(tmp_path)
    assert main(["inventory", str(root), "--from", "RunID", "--to", "SessionID"]) == 0
    said = capsys.readouterr().err  # what the command says besides its output
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["IDRENAME_CACHE_DIR"] = str(tmp_path / "cache")
    many = tmp_path / "many"  # more output than a buffer holds: written while the command runs
    many.mkdir()
    (many / "store.go").write_text("package store\n\ntype Record struct {\n" + "".join(
        f"\tRunID{i} string `json:\"run_id_{i}\"`\n" for i in range(200)) + "}\n")
    assert main(["inventory", str(many), "--from", "RunID", "--to", "SessionID"]) == 0
    assert len(capsys.readouterr().out) > 16384
    # the small output fails only at exit, after the summary; the large one stops the command
    for folder, expected in ((root, said), (many, "")):
        # (`idrename inventory ... | head -0`: the reader has gone before anything is written)
        child = subprocess.Popen(
            [sys.executable, "-m", "idrename.cli", "inventory", str(folder), "--from", "RunID",
             "--to", "SessionID"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        err = child.stderr.read()
        assert (child.wait(timeout=300), err.decode()) == (141, expected)
    # a broken pipe that is not the output's is an error, said as one
    script = ("import sys\nfrom idrename.cli import _exit_status\n"
              "print(_exit_status(BrokenPipeError(32, 'Broken pipe')), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.stderr == "idrename: [Errno 32] Broken pipe\n2\n"


@pytest.mark.parametrize(("command", "arrow"), [("plan", False), ("audit", True)])
def test_the_command_line_keeps_pandas_off_arrow_but_for_the_audit(command: str, arrow: bool) -> None:
    pytest.importorskip("pyarrow")  # (without it there is nothing to keep off)
    probe = ("import sys; from idrename.cli import _without_arrow; "
             f"_without_arrow([{command!r}, 'ROOT']); import pandas as pd; "
             "print(sys.modules.get('pyarrow') is not None, pd.Series(['RunID']).tolist())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == [str(arrow), "['RunID']"]


def test_diff_says_which_renamed_fields_change_a_name_on_the_wire(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # gob writes a field under its Go name and has no tags: the patch cannot keep the name, so
    # the plan warns, and `diff` (where the patch is written) must say it too, not `plan` alone.
    root = tree(tmp_path, textwrap.dedent('''\
        package store

        import (
        	"encoding/gob"
        	"io"
        )

        type Record struct {
        	RunID string
        }

        func Save(w io.Writer, r Record) error { return gob.NewEncoder(w).Encode(r) }
        '''))
    assert main(["diff", str(root), "--from", "RunID", "--to", "SessionID",
                 "-o", str(tmp_path / "r.diff")]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines()
              if line.startswith("warning: wire_name")]
    assert len(warned) == 1 and "Record.RunID at svc/store.go:9" in warned[0], warned

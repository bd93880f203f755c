"""Bad input files: each is reported (file named, what to do said) and never edited, while the
rest of the tree gets exactly what the plan says."""

from __future__ import annotations

from pathlib import Path

import pytest

from idrename import roles as R
from idrename.apply import ApplyError, FileChange, apply_changes, sha256
from idrename.inventory import scan
from idrename.policy import parse_policy

from ._support import (
    BASE_POLICY,
    RENAME_ALL,
    assert_tree,
    expected_after,
    go,
    one_line,
    plan,
    snapshot,
    write_tree,
)

GOOD = go("""
    package a

    // Conversation holds a RunID.
    type Conversation struct {
    	RunID string
    }

    func FindConversationByRunID(runID string) *Conversation {
    	return &Conversation{RunID: runID}
    }
    """)
GOOD_AFTER = go("""
    package a

    // Conversation holds a SessionID.
    type Conversation struct {
    	SessionID string
    }

    func FindConversationBySessionID(sessionID string) *Conversation {
    	return &Conversation{SessionID: sessionID}
    }
    """)


def apply_exactly(root: Path, policy: str = RENAME_ALL, *, untouched: tuple[str, ...] = ()):
    """Plan and apply; the tree must end exactly as the plan says, ``untouched`` files unchanged."""
    before = snapshot(root)
    planned = plan(root, policy)
    afters = planned.afters()
    for rel in untouched:
        assert rel not in afters, f"{rel} is in the plan"
    result = apply_changes(root, planned.changes())
    assert sorted(result.written) == sorted(afters)
    assert_tree(snapshot(root), expected_after(before, root, afters))
    for rel in untouched:
        assert snapshot(root)[f"{root.name}/{rel}"] == before[f"{root.name}/{rel}"]
    return planned


def test_not_utf8_file_is_reported_as_unparsed_and_never_edited(tmp_path: Path, ledger) -> None:
    root = write_tree(tmp_path / "mod", {
        "good.go": GOOD,
        "latin1.go": b"package a\n\n// caf\xe9 au lait\nvar RunID = \"run_id\"\n",
    })
    ledger.fault()
    planned = apply_exactly(root, untouched=("latin1.go",))
    (issue,) = planned.issues("not_utf8")
    assert issue.path == "latin1.go"
    assert one_line(issue.message).startswith("latin1.go: is not valid UTF-8 (line 3)")
    assert "re-encode the file to UTF-8" in issue.message
    rows = planned.rows("latin1.go")
    assert len(rows) == 2 and set(rows["role"]) == {R.UNPARSED} and rows["parse_error"].all()
    assert (root / "good.go").read_text() == GOOD_AFTER


def test_binary_file_named_go_is_reported_and_never_edited(tmp_path: Path, ledger) -> None:
    blob = bytes(range(256)) * 4 + b"RunID\x00run_id\x00" + bytes(range(256))
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, "blob.go": blob})
    ledger.fault()
    planned = apply_exactly(root, untouched=("blob.go",))
    (issue,) = planned.issues("binary")
    assert issue.path == "blob.go"
    assert one_line(issue.message).startswith("blob.go: holds NUL bytes")
    assert "Rename it" in issue.message
    assert planned.rows("blob.go").empty


def test_empty_go_file_is_harmless(tmp_path: Path, ledger) -> None:
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, "empty.go": b"", "blank.go": b"\n\n"})
    ledger.fault()
    planned = apply_exactly(root, untouched=("empty.go", "blank.go"))
    assert planned.inventory.issues == []
    assert planned.inventory.files_scanned == 3
    assert (root / "empty.go").read_bytes() == b""


def test_ten_megabyte_file_is_inventoried_completely(tmp_path: Path, ledger) -> None:
    parts = [b"package big\n\n"]
    pad = b"// pad %07d lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n"
    expected_lines: list[int] = []
    line = 3
    i = 0
    size = len(parts[0])
    while size < 10 * 1024 * 1024:
        if i % 12 == 0:
            chunk = b"func F%07d(runID string) string { return runID } // RunID\n" % i
            expected_lines.append(line)
        else:
            chunk = pad % i
        parts.append(chunk)
        size += len(chunk)
        line += 1
        i += 1
    data = b"".join(parts)
    root = write_tree(tmp_path / "big", {"big.go": data})
    ledger.fault()
    inv = scan([root], parse_policy(BASE_POLICY).spec)
    frame = inv.frame
    n = len(expected_lines)
    assert len(data) >= 10 * 1024 * 1024
    assert inv.issues == []
    assert frame["role"].value_counts().to_dict() == {
        R.PARAMETER: n, R.LOCAL_USE: n, R.COMMENT: n}
    assert sorted(set(frame["line"])) == expected_lines
    last = frame.iloc[-1]
    assert (last["start_byte"], last["text"]) == (data.rindex(b"RunID"), "RunID")
    assert frame["id"].is_unique


def test_syntax_error_file_is_reported_unparsed_and_never_edited(tmp_path: Path, ledger) -> None:
    broken = go("""
        package a

        func Broken(runID string {
        	return runID
        }
        """)
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, "broken.go": broken})
    ledger.fault()
    first = plan(root, RENAME_ALL)
    rows = first.rows("broken.go")
    assert len(rows) == 2 and set(rows["role"]) == {R.UNPARSED}
    (issue,) = first.issues("syntax_error")
    assert one_line(issue.message).startswith("broken.go: has syntax errors (at 3:")
    assert "will not be edited" in issue.message and "Fix the file" in issue.message
    # Even an override that asks for the rename by id does not edit a file that does not parse.
    override = (f'\n[[override]]\nid = "{rows.iloc[0]["id"]}"\ndecision = "rename"\n'
                'rationale = "force it"\n')
    apply_exactly(root, RENAME_ALL + override, untouched=("broken.go",))
    assert (root / "broken.go").read_text() == broken


def test_valid_go_the_grammar_cannot_read_is_reported_as_such(tmp_path: Path, ledger) -> None:
    # Labels that end a block: valid Go that tree-sitter-go 0.25 does not parse. The file is
    # not broken, so the report must not tell the user to fix it; it is still never edited.
    newer = go("""
        package a

        var defaultRunID = "r-0"

        func CurrentRunID() string { return defaultRunID }

        func skip() {
        	goto done
        	goto end
        done:
        end:
        }
        """)
    from idrename.gotool import find_toolchain, go_parses

    toolchain = find_toolchain()
    if toolchain is None or not go_parses([write_tree(tmp_path / "probe", {"n.go": newer})
                                           / "n.go"], toolchain):
        pytest.skip("needs a Go toolchain")
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, "newer.go": newer})
    ledger.fault()
    first = plan(root, RENAME_ALL)
    assert set(first.rows("newer.go")["role"]) == {R.UNPARSED}
    assert first.issues("syntax_error") == []
    (issue,) = first.issues("unsupported_syntax")
    message = one_line(issue.message)
    assert message.startswith(f"newer.go: is valid Go ({toolchain.version} reads it) but uses "
                              "syntax that idrename's Go grammar (tree-sitter-go ")
    assert "cannot parse (at 11:4)" in message and "its 3 occurrence(s)" in message
    assert "will not be edited" in message and "by hand" in message and "Fix" not in message
    apply_exactly(root, untouched=("newer.go",))
    assert (root / "newer.go").read_text() == newer


def test_go_parses_names_only_the_files_go_reads(tmp_path: Path) -> None:
    from idrename.gotool import find_toolchain, go_parses

    toolchain = find_toolchain()
    if toolchain is None:
        pytest.skip("needs a Go toolchain")
    # gofmt names a file it cannot read as "path:line:col: message", and a path may hold ": "
    root = write_tree(tmp_path, {"ok.go": "package a\n", "bad.go": "package a\nfunc (\n",
                                 "x: bad.go": "package a\nvar = 1\n", "x": "package a\n"})
    files = [root / "ok.go", root / "bad.go", root / "x: bad.go", root / "x"]
    assert go_parses(files, toolchain) == {root / "ok.go", root / "x"}


def test_generated_file_is_never_edited(tmp_path: Path, ledger) -> None:
    generated = go("""
        // Code generated by protoc-gen-go. DO NOT EDIT.

        package a

        type Event struct {
        	EventRunID string `json:"run_id"`
        }
        """)
    user = go("""
        package a

        func eventRun(e Event) string { return e.EventRunID }
        """)
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, "event.pb.go": generated, "use.go": user})
    ledger.fault()
    first = plan(root, RENAME_ALL)
    gen_rows = first.rows("event.pb.go")
    assert gen_rows["is_generated"].all() and set(gen_rows["decision"]) == {"keep"}
    use_rows = first.rows("use.go")
    assert list(use_rows["decided_by"]) == ["declared-in-generated"]
    override = (f'\n[[override]]\nid = "{gen_rows.iloc[0]["id"]}"\ndecision = "rename"\n'
                'rationale = "force it"\n')
    apply_exactly(root, RENAME_ALL + override, untouched=("event.pb.go", "use.go"))
    # A change for a generated file that reaches apply anyway is refused before any write.
    before = snapshot(root)
    data = (root / "event.pb.go").read_bytes()
    changes = [FileChange("good.go", sha256((root / "good.go").read_bytes()), b"package a\n"),
               FileChange("event.pb.go", sha256(data), data.replace(b"RunID", b"SessionID"))]
    with pytest.raises(ApplyError) as err:
        apply_changes(root, changes)
    assert one_line(str(err.value)).startswith("event.pb.go: is a generated file")
    assert "regenerate it from its source" in str(err.value)
    assert_tree(snapshot(root), before)


@pytest.mark.parametrize("skipped", ["vendor/example.com/dep/dep.go", "node_modules/pkg/index.ts",
                                     "web/node_modules/pkg/index.go", "sub/vendor/x/x.go"])
def test_vendor_and_node_modules_are_skipped(tmp_path: Path, ledger, skipped: str) -> None:
    content = GOOD if skipped.endswith(".go") else "export const runId = 1; // RunID\n"
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, skipped: content})
    ledger.fault()
    planned = apply_exactly(root, untouched=(skipped,))
    assert skipped not in set(planned.inventory.frame["path"])
    assert planned.inventory.files_scanned == 1


def test_crlf_line_endings_are_kept_byte_for_byte(tmp_path: Path, ledger) -> None:
    before = GOOD.replace("\n", "\r\n").encode()
    root = write_tree(tmp_path / "mod", {"crlf.go": before})
    ledger.fault()
    apply_exactly(root)
    assert (root / "crlf.go").read_bytes() == GOOD_AFTER.replace("\n", "\r\n").encode()


def test_utf8_bom_is_kept_and_the_rest_is_gofmt_aligned(tmp_path: Path, ledger) -> None:
    src = go("""
        package a

        type Conversation struct {
        	ID    string
        	RunID string `json:"run_id"`
        }
        """)
    root = write_tree(tmp_path / "mod", {
        "bom.go": b"\xef\xbb\xbf" + src.encode(),
        "bom_crlf.go": b"\xef\xbb\xbf" + src.replace("\n", "\r\n").encode(),
    })
    ledger.fault()
    planned = apply_exactly(root, BASE_POLICY)
    aligned = src.replace("ID    string", "ID        string").replace("RunID string", "SessionID string")
    assert (root / "bom.go").read_bytes() == b"\xef\xbb\xbf" + aligned.encode()
    # formatted as the same file with LF line endings would be, then given its CRLF back
    crlf = aligned.replace("\n", "\r\n")
    assert (root / "bom_crlf.go").read_bytes() == b"\xef\xbb\xbf" + crlf.encode()
    if planned.patch.files[0].gofmt:
        assert [f.gofmt.split(":")[0].split(";")[0] for f in planned.patch.files] in (
            ["formatted", "formatted"], ["skipped", "skipped"])

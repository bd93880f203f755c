"""The pandas-free inventory path: ``scan_table`` gives ``scan().frame``'s rows, ``write_rows``
writes them exactly as the frame writers do; the walk reads regular files only and a file
holding NUL bytes is reported as binary, whatever its language."""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from idrename import cli
from idrename.spec import Spec

inventory = importlib.import_module("idrename.inventory")

SPEC = Spec("RunID", "SessionID")
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "moments"


def _frame_of(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=inventory.COLUMNS)
    for col in ("line", "column", "end_line", "end_column", "start_byte", "end_byte"):
        frame[col] = frame[col].astype("int64")
    for col in ("is_test", "is_generated", "wire", "declared_in_module", "parse_error"):
        frame[col] = frame[col].astype(bool)
    return frame


def _row(text: str, detail: str, symbol: str = "") -> tuple[object, ...]:
    return ("abc", "backend", "a.go", 3, 5, 3, 10, 40, 45, "go", "struct_tag", text, symbol,
            "Conv", "webchat", detail, False, True, True, False, "other", False)


TRICKY = [
    _row("run_id", "json:run_id,omitempty"),
    _row("runID", 'say "hi"', "F"),
    _row("runID", "line\nbreak", "G"),
    _row("runID", "carriage\rreturn"),
    _row("RunID", "", ""),
    _row("RunID", "café ünïcode", " spaced "),
    _row("RunID", "semi;colon\ttab"),
]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_rows_are_written_as_the_frame_writers_write_them(fmt: str) -> None:
    expected, got = io.StringIO(), io.StringIO()
    cli.write_frame(_frame_of(TRICKY), fmt, expected)
    inventory.write_rows(TRICKY, fmt, got)
    assert got.getvalue() == expected.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_no_rows_are_written_as_an_empty_frame(fmt: str) -> None:
    expected, got = io.StringIO(), io.StringIO()
    cli.write_frame(_frame_of([]), fmt, expected)
    inventory.write_rows([], fmt, got)
    assert got.getvalue() == expected.getvalue()


def test_scan_table_holds_the_frames_rows(tmp_path: Path) -> None:
    sections = {"webchat/": "webchat"}
    inv = inventory.scan([FIXTURE], SPEC, sections=sections, cache=False)
    table = inventory.scan_table([FIXTURE], SPEC, sections=sections, cache=False)
    assert table.rows == list(inv.frame.itertuples(index=False, name=None))
    assert (table.issues, table.files_scanned, table.files_matched, table.roots) == (
        inv.issues, inv.files_scanned, inv.files_matched, inv.roots)
    assert table.summary() == inv.summary()


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_the_command_line_writes_without_pandas_and_a_warm_run_without_tree_sitter(
        tmp_path: Path, fmt: str) -> None:
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text("package a\n\ntype T struct {\n\tRunID string `json:\"run_id\"`\n}\n")
    (root / "b.ts").write_text("export const runId = 1;\n")
    probe = (
        "import sys\nfrom idrename import cli\n"
        "code = cli.main(sys.argv[1:])\n"
        "print(code, 'pandas' in sys.modules, 'tree_sitter' in sys.modules)\n"
    )
    env = {**os.environ, "IDRENAME_CACHE_DIR": str(tmp_path / "cache")}
    args = [sys.executable, "-c", probe, "inventory", str(root), "--from", "RunID", "--to",
            "SessionID", "--format", fmt, "-o", str(tmp_path / "out.txt")]
    cold = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert cold.stdout.split() == ["0", "False", "True"]
    first = (tmp_path / "out.txt").read_text()
    warm = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert warm.stdout.split() == ["0", "False", "False"]
    assert (tmp_path / "out.txt").read_text() == first
    frame = inventory.scan([root], SPEC, cache=False).frame
    expected = io.StringIO()
    cli.write_frame(frame, fmt, expected, cli.TABLE_COLUMNS if fmt == "table" else None)
    assert first == expected.getvalue()


# -- files that are not read -------------------------------------------------------------------
def test_the_walk_takes_regular_files_only(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text("package a\n")
    os.mkfifo(root / "pipe.go")
    files, issues = inventory.walk_files("mod", root)
    assert files == ["a.go"]
    assert [(i.path, i.kind) for i in issues] == [("pipe.go", "not_regular")]


def test_a_fifo_swapped_in_after_the_walk_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    root.mkdir()
    os.mkfifo(root / "late.go")
    result = inventory.scan_file("mod", str(root), "late.go", SPEC)
    assert [(i.path, i.kind) for i in result.issues] == [("late.go", "not_regular")]


@pytest.mark.parametrize("name", ["a.go", "data.json", "notes.md", "schema.sql", "api.ts",
                                  "conf.yaml", "x.proto"])
def test_a_file_holding_nul_bytes_is_binary_and_not_scanned(name: str) -> None:
    result = inventory.scan_bytes("mod", name, b"\x00 run_id RunID runId \x00", SPEC)
    assert result.occurrences == []
    assert [(i.kind, i.message.split(";")[0]) for i in result.issues] == [
        ("binary", f"{name}: holds NUL bytes, so it is not "
                   f"{'Go source' if name.endswith('.go') else 'a text file'}")]


def test_a_file_without_the_family_is_not_judged(tmp_path: Path) -> None:
    assert inventory.scan_bytes("mod", "data.json", b"\x00\x01", SPEC).issues == []


def test_csv_from_the_rows_heads_is_the_csv_of_the_rows(tmp_path: Path) -> None:
    """Table.write_csv (rows' CSV heads computed with the payloads, cached with them) writes
    what write_rows(rows, "csv") writes: for the fixture with sections, for fields that need
    quoting, for a section that needs quoting, and for payloads cached under another label."""
    tricky = tmp_path / "tricky"
    tricky.mkdir()
    (tricky / "a.go").write_text(
        'package a\n\ntype T struct {\n\tRunID string `json:"run_id,omitempty" db:"run_id"`\n}\n\n'
        'func F() string { return "a \\"run_id\\", b" }\n')
    cache = tmp_path / "cache"
    for roots, sections in (([FIXTURE], {"webchat/": "webchat"}),
                            ([tricky], {"a.go": 'odd, "quoted" section'})):
        table = inventory.scan_table(roots, SPEC, sections=sections, cache=cache)
        expected, got = io.StringIO(), io.StringIO()
        inventory.write_rows(table.rows, "csv", expected)
        table.write_csv(got)
        assert got.getvalue() == expected.getvalue()
    # payloads computed for another label (the same folder scanned under another name)
    table.scanned = [("elsewhere", rel, payload) for _label, rel, payload in table.scanned]
    table.__dict__.pop("rows", None)
    expected, got = io.StringIO(), io.StringIO()
    inventory.write_rows(table.rows, "csv", expected)
    table.write_csv(got)
    assert got.getvalue() == expected.getvalue() and ",elsewhere,a.go," in got.getvalue()


def test_make_occurrence_builds_what_the_dataclass_builds() -> None:
    # make_occurrence fills the instance's fields in one step, for speed: the object must be
    # the one Occurrence(...) makes (equal, same hash, same field order, still frozen), and an
    # unknown field must still be an error.
    import dataclasses

    from idrename.occurrence import LineIndex, Occurrence, make_occurrence

    index = LineIndex(b"package x\nvar RunID int\n")
    made = make_occurrence("a.go", index, 14, 19, "RunID", language="go", role="identifier",
                           symbol="RunID", is_test=True)
    plain = Occurrence("a.go", "go", "identifier", 14, 19, 2, 5, 2, 10, "RunID",
                       symbol="RunID", is_test=True)
    assert made == plain and hash(made) == hash(plain)
    assert dataclasses.astuple(made) == dataclasses.astuple(plain)
    assert list(vars(made)) == [f.name for f in dataclasses.fields(Occurrence)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.role = "string"  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"unexpected field.*colour"):
        make_occurrence("a.go", index, 14, 19, "RunID", language="go", role="x", colour="red")

"""Golden tests for idrename.textfiles: XML documents, CSV tables and plain text files (a golden
file, a script, a Makefile, anything in a testdata folder), a snippet in, the rows out.

Each row is (line, column, text, role, symbol, detail); columns are 1-based byte columns.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from idrename import roles
from idrename.consumers import scan_file
from idrename.spec import Spec
from idrename.textfiles import text_language

# (``idrename.inventory`` is also the name of a function the package exports)
inventory = importlib.import_module("idrename.inventory")

SPEC = Spec("RunID", "SessionID")

Row = tuple[int, int, str, str, str, str]


def rows(rel: str, data: bytes, spec: Spec = SPEC) -> list[Row]:
    found = scan_file(rel, data, spec)
    for occ in found:
        assert data[occ.start_byte:occ.end_byte].decode() == occ.text
        assert occ.role in roles.ALL_ROLES
    return [(o.line, o.column, o.text, o.role, o.symbol, o.detail) for o in found]


def test_an_xml_documents_names_values_and_comments() -> None:
    data = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<runs run_id="r0">\n'
            b'  <!-- one run_id per run -->\n'
            b'  <run><run_id>r1</run_id><note>the run_id</note></run>\n'
            b'  <run_id/>\n'
            b'  <![CDATA[<run_id>]]>\n'
            b'</runs>\n')
    assert rows("feeds/runs.xml", data) == [
        (2, 7, "run_id", "config_key", "runs@run_id", "attribute"),
        (3, 12, "run_id", "config_comment", "runs", ""),
        (4, 9, "run_id", "config_key", "runs/run/run_id", "element"),  # (r1 is no member)
        (4, 20, "run_id", "config_key", "runs/run/run_id", "element"),
        (4, 37, "run_id", "config_value", "runs/run/note", ""),
        (5, 4, "run_id", "config_key", "runs/run_id", "element"),  # (closes itself)
        (6, 13, "run_id", "config_value", "runs", ""),  # CDATA is text
    ]


def test_an_xml_file_that_is_not_well_formed_still_gives_its_names() -> None:
    data = b"<a><run_id>1</b> x < run_id <run_id attr='run_id"
    assert rows("broken.gpx", data) == [
        (1, 5, "run_id", "config_key", "a/run_id", "element"),
        (1, 22, "run_id", "config_value", "a/run_id", ""),  # (after a lone `<`)
        (1, 30, "run_id", "config_key", "a/run_id/run_id", "element"),
        (1, 43, "run_id", "config_value", "a/run_id/run_id@attr", ""),  # (never closed)
    ]


def test_a_csv_tables_header_and_cells() -> None:
    data = (b'\n'
            b'id,run_id,"note, free"\r\n'
            b'1,r1,"the run_id\n'
            b'of ""run_id"""\r\n'
            b'2,run_id,x\n')
    assert rows("exports/runs.csv", data) == [
        (2, 4, "run_id", "config_key", "run_id", "header"),
        (3, 11, "run_id", "config_value", "note, free", ""),
        (4, 6, "run_id", "config_value", "note, free", ""),
        (5, 3, "run_id", "config_value", "run_id", ""),
    ]
    assert rows("exports/runs.tsv", b"id\trun_id\n1\trun_id\n") == [
        (1, 4, "run_id", "config_key", "run_id", "header"),
        (2, 3, "run_id", "config_value", "run_id", ""),
    ]


def test_plain_text_files_by_name_and_in_testdata() -> None:
    assert rows("Makefile", b"run:\n\tgo run . -run-id=$(RUN_ID)\n") == [
        (2, 12, "run-id", "plain_text", "", ""),
        (2, 21, "RUN_ID", "plain_text", "", ""),
    ]
    assert rows("deploy/Dockerfile.prod", b"ENV RUN_ID=1\n") == [
        (1, 5, "RUN_ID", "plain_text", "", "")]
    assert rows("scripts/seed.sh", b'curl "$API/runs?run_id=$1"\n') == [
        (1, 17, "run_id", "plain_text", "", "")]
    # a golden file: its prose may write the words apart, as Markdown's does
    assert rows("render/testdata/page.golden", b"the run ID is run_id\n") == [
        (1, 5, "run ID", "plain_text", "", ""),
        (1, 15, "run_id", "plain_text", "", ""),
    ]
    assert rows("render/testdata/wire/resp", b"run_id=1\n") == [
        (1, 1, "run_id", "plain_text", "", "")]


@pytest.mark.parametrize(("rel", "language"), [
    ("a.xml", "xml"), ("track.GPX", "xml"), ("icon.svg", "xml"), ("a.csv", "csv"),
    ("a.tsv", "csv"), ("notes.txt", "text"), ("x/testdata/in.golden", "text"),
    ("x/testdata/request", "text"), ("testdata/deep/any.bin", "text"), ("run.sh", "shell"),
    ("Makefile", "make"), ("rules.mk", "make"), ("Dockerfile", "docker"),
    ("Dockerfile.dev", "docker"), ("build.dockerfile", "docker"), ("schema.graphql", "graphql"),
    ("main.tf", "hcl"),
    ("a.go", None), ("a.json", None), ("x/testdata/a.go", None), ("x/testdata/a.toml", None),
    ("x/testdata/.env", None), ("notes.xyz", None), ("LICENSE", None), ("go.sum", None),
    ("testdata", None),  # (a file named so is no folder)
])
def test_which_files_are_read_as_text(rel: str, language: str | None) -> None:
    assert text_language(rel) == language


def test_a_testdata_file_holding_nul_bytes_is_data_and_passed_over() -> None:
    # a compressed fixture or an image in testdata is no text file gone wrong: no issue
    result = inventory.scan_bytes("mod", "x/testdata/blob", b"\x00 run_id \x00", SPEC)
    assert (result.occurrences, result.issues) == ([], [])
    # a file named as text still is one
    result = inventory.scan_bytes("mod", "x/testdata/notes.txt", b"\x00 run_id \x00", SPEC)
    assert [i.kind for i in result.issues] == ["binary"]


def test_the_walk_reads_text_files_and_skips_the_files_the_policy_names(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    for rel in ("a.go", "Makefile", "LICENSE", "go.sum", "data/runs.csv", "data/EXPECTED.csv",
                "x/testdata/out", "x/testdata/in.json", "x/notes.xyz"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("run_id\n")
    files, _ = inventory.walk_files("mod", root)
    assert files == ["Makefile", "a.go", "data/EXPECTED.csv", "data/runs.csv",
                     "x/testdata/in.json", "x/testdata/out"]
    files, _ = inventory.walk_files("mod", root, (".git", "EXPECTED.csv"))
    assert "data/EXPECTED.csv" not in files and "data/runs.csv" in files


def test_a_golden_file_holding_json_or_xml_is_read_as_such() -> None:
    found = scan_file("render/testdata/report.golden", b'{"run_id": "run_id"}\n', SPEC)
    assert [(o.role, o.language, o.symbol) for o in found] == [
        ("config_key", "json", "run_id"), ("config_value", "json", "run_id")]
    found = scan_file("render/testdata/feed", b"<feed><run_id>1</run_id></feed>\n", SPEC)
    assert [(o.role, o.language, o.detail) for o in found] == [
        ("config_key", "xml", "element"), ("config_key", "xml", "element")]
    # not a whole document: plain text
    for data in (b'{"run_id": 1,\n', b"<run_id> is required\n", b"[run_id] done\n"):
        found = scan_file("render/testdata/out.golden", data, SPEC)
        assert [(o.role, o.language) for o in found] == [("plain_text", "text")], data

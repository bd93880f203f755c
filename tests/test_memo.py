"""idrename.memo and the memos of a plan: the matrix and the conflicts of an unchanged tree and
policy are read back, each file's patch is redone only when its content or its edits changed,
and nothing remembered ever changes what a plan reports."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from idrename import cache as C
from idrename import compat, memo
from idrename import patch as patch_module
from idrename.gotool import find_toolchain
from idrename.policy import parse_policy
from idrename.workflow import Analysis, analyse, make_patch

POLICY = """
[rename]
from = "RunID"
to = "SessionID"
"""

FILES = {
    "go.mod": "module example.com/backend\n\ngo 1.22\n",
    "conv/conv.go": """
        package conv

        // Conversation is one chat.
        type Conversation struct {
        	RunID     string `json:"run_id"`
        	SessionID string
        }

        func (c *Conversation) Key() string { return c.RunID }
        """,
    "conv/store.go": """
        package conv

        func lookup(runID string) string { return runID }
        """,
    "api/handler.go": """
        package api

        import "encoding/json"

        type Response struct {
        	RunID string `json:"run_id"`
        }

        func encode(r Response) ([]byte, error) { return json.Marshal(r) }
        """,
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "backend"
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The matrices computed (not read back), by the roots they were computed for."""
    seen: list[str] = []
    real = compat.contracts

    def counting(*args: Any, **kwargs: Any) -> pd.DataFrame:
        seen.append("contracts")
        return real(*args, **kwargs)

    monkeypatch.setattr(compat, "contracts", counting)
    return seen


def outcome(a: Analysis) -> tuple[Any, ...]:
    return (a.matrix.to_dict("list"), a.matrix.attrs, a.decided.to_dict("list"),
            [c.__dict__ for c in a.conflicts])


def plan(root: Path, policy: str = POLICY, **kwargs: Any) -> Analysis:
    return analyse([root], parse_policy(textwrap.dedent(policy)), **kwargs)


def stage_files(folder: Path) -> list[Path]:
    return sorted((folder / "stages").glob("analysis-*.idx"))


def test_an_unchanged_tree_and_policy_read_the_matrix_and_conflicts_back(
        root: Path, folder: Path, computed: list[str]) -> None:
    first = plan(root)
    assert computed == ["contracts"] and len(stage_files(folder)) == 1
    assert [c.kind for c in first.errors] == ["field_collision"]
    again = plan(root)
    assert computed == ["contracts"]  # read back
    assert outcome(again) == outcome(first)
    pd.testing.assert_frame_equal(again.matrix, first.matrix)
    pd.testing.assert_frame_equal(again.decided, first.decided)
    assert outcome(plan(root, cache=False)) == outcome(first)  # as computed without any cache


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename", "policy", "vendor", "git"])
def test_any_change_to_a_file_or_the_policy_is_analysed_again(
        root: Path, folder: Path, computed: list[str], change: str) -> None:
    policy = POLICY
    plan(root)
    if change == "edit":  # the collision goes away
        path = root / "conv" / "conv.go"
        path.write_text(path.read_text().replace("SessionID string", "Title     string"))
    elif change == "add":
        (root / "conv" / "more.go").write_text("package conv\n\nvar SessionID = 1\n")
    elif change == "remove":
        (root / "api" / "handler.go").unlink()
    elif change == "rename":
        (root / "api" / "handler.go").rename(root / "api" / "handlers.go")
    elif change == "policy":
        policy = POLICY + textwrap.dedent("""
            [[rule]]
            role = "struct_tag"
            decision = "keep"
            rationale = "the wire name stays"
            """)
    elif change == "vendor":  # the policy's skip list does not name vendor: the inventory reads it
        policy = POLICY + '\n[inventory]\nskip = [".git"]\n'
        plan(root, policy)
        computed.clear()
        (root / "vendor").mkdir()
        (root / "vendor" / "v.go").write_text("package v\n\nvar RunID = 1\n")
    else:  # nor .git here: the inventory reads what is in it
        policy = POLICY + '\n[inventory]\nskip = ["vendor"]\n'
        (root / ".git").mkdir()
        plan(root, policy)
        computed.clear()
        (root / ".git" / "notes.md").write_text("the RunID notes\n")
    computed.clear()
    after = plan(root, policy)
    assert computed == ["contracts"]
    assert outcome(after) == outcome(plan(root, policy, cache=False))


def test_a_folder_every_stage_skips_does_not_count(root: Path, folder: Path,
                                                   computed: list[str]) -> None:
    plan(root)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "vendor").mkdir()
    (root / "vendor" / "v.go").write_text("package v\n\nvar RunID = 1\n")
    computed.clear()
    plan(root)
    assert computed == []


@pytest.fixture
def hashed(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose content the tree digest reads, by their path under ``root``."""
    seen: list[str] = []
    real = memo._content_digest

    def recording(path: str) -> bytes:
        seen.append(Path(path).relative_to(root).as_posix())
        return real(path)

    monkeypatch.setattr(memo, "_content_digest", recording)
    return seen


def test_files_changed_just_now_are_hashed_the_others_known_by_their_signature(
        root: Path, hashed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    before = memo.tree_digest(root)  # every file was written just now
    assert sorted(hashed) == sorted(FILES)
    path = root / "conv" / "store.go"
    path.write_text(path.read_text().replace("runID", "runId"))  # same size
    assert memo.tree_digest(root) != before
    monkeypatch.setattr(C, "RACY_NS", 0)  # as if the files were old
    hashed.clear()
    old = memo.tree_digest(root)
    assert hashed == [] and memo.tree_digest(root) == old
    path.touch()
    assert memo.tree_digest(root) != old


def test_with_a_table_a_file_rewritten_with_the_same_bytes_is_read_once(
        root: Path, tmp_path: Path, hashed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # A checkout, a stash and its pop, a formatter that changed nothing: the bytes are the same,
    # the signature is new. Without a table the digest changes (and a plan misses its memo);
    # with one, the file is read once and the digest stays.
    monkeypatch.setattr(C, "RACY_NS", 0)  # as if the files were old
    store = C.ResultCache(tmp_path / "cache")
    first = memo.tree_digest(root, table=memo.ContentTable.of(store, str(root)))
    assert sorted(hashed) == sorted(FILES)
    hashed.clear()
    fresh = memo.ContentTable.of(store, str(root))  # read back from the cache folder
    assert memo.tree_digest(root, table=fresh) == first and hashed == []
    path = root / "conv" / "store.go"
    without = memo.tree_digest(root)
    path.write_bytes(path.read_bytes())
    assert memo.tree_digest(root) != without
    assert memo.tree_digest(root, table=memo.ContentTable.of(store, str(root))) == first
    assert hashed == ["conv/store.go"]
    path.write_text(path.read_text().replace("runID", "runId"))  # same size, other bytes
    assert memo.tree_digest(root, table=memo.ContentTable.of(store, str(root))) != first


def test_a_plan_of_a_touched_tree_reads_its_results_back(
        root: Path, folder: Path, computed: list[str]) -> None:
    first = plan(root)
    for path in root.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes())
    computed.clear()
    assert outcome(plan(root)) == outcome(first)
    assert computed == []


def test_a_file_edited_while_the_plan_ran_is_not_remembered(
        root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = compat.contracts

    def editing(*args: Any, **kwargs: Any) -> pd.DataFrame:
        result = real(*args, **kwargs)
        path = root / "conv" / "store.go"
        path.write_text(path.read_text() + "\n// edited meanwhile\n")
        return result

    monkeypatch.setattr(compat, "contracts", editing)
    plan(root)
    assert stage_files(folder) == []


@pytest.mark.parametrize("damage", ["truncate", "flip", "other-key"])
def test_a_damaged_memo_is_ignored(root: Path, folder: Path, computed: list[str],
                                   damage: str) -> None:
    first = plan(root)
    (path,) = stage_files(folder)
    blob = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        path.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    else:  # a well-formed entry filed under this key by something else
        store = memo.StageMemo(folder)
        other = memo.StageMemo(folder)
        other.put("analysis", "0" * 64, {"rows": []})
        (folder / "stages" / f"analysis-{'0' * 40}.idx").replace(path)
        assert store.get("analysis", "0" * 64) is None  # gone from its own name
    computed.clear()
    assert outcome(plan(root)) == outcome(first)
    assert computed == ["contracts"]


def test_the_policy_digest_covers_every_field_but_the_path(tmp_path: Path) -> None:
    a = parse_policy(textwrap.dedent(POLICY))
    b = parse_policy(textwrap.dedent(POLICY))
    b.path = tmp_path / "elsewhere.toml"
    assert memo.policy_digest(a) == memo.policy_digest(b)
    b.skip = (*b.skip, "third_party")
    assert memo.policy_digest(a) != memo.policy_digest(b)


class _Log:
    """Lines appended to a file, so that a forked child's appends count too (the symbol-level
    checks of a plan run in one: see idrename.forked); compares equal to a list of the same
    lines in any order (a child and this process append in their own time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.clear()

    def append(self, line: str) -> None:
        with self.path.open("a") as f:
            f.write(line + "\n")

    def clear(self) -> None:
        self.path.write_text("")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, list) and sorted(self.path.read_text().splitlines()) == sorted(
            other)

    def __repr__(self) -> str:
        return repr(self.path.read_text().splitlines())


@pytest.fixture
def symbol_checks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> _Log:
    """Each time the symbol-level checks ran and each time they took a symbol index (built
    for them, or the one a child forked before the decisions loaded meanwhile: see
    checks.fork_checks), here or in a forked child. That early index is loaded on the child's
    core while the decisions are made, before it is known whether the findings are
    remembered; it is counted only when the checks take it."""
    from idrename import checks

    seen = _Log(tmp_path / "symbol-checks.log")
    real_checks, real_index = checks._symbol_conflicts, checks._Context.index

    def counting_checks(ctx: Any) -> Any:
        seen.append("checks")
        return real_checks(ctx)

    def counting_index(ctx: Any) -> Any:
        if ctx._index is None:
            seen.append("index")
        return real_index.fget(ctx)  # type: ignore[attr-defined]

    monkeypatch.setattr(checks, "_symbol_conflicts", counting_checks)
    monkeypatch.setattr(checks._Context, "index", property(counting_index))
    return seen


TAGS_KEPT = POLICY + textwrap.dedent("""
    [[rule]]
    role = "struct_tag"
    decision = "keep"
    rationale = "the wire name stays"
    """)
FIELD_KEPT = POLICY + textwrap.dedent("""
    [[rule]]
    role = "field_decl"
    path = "conv/*"
    decision = "keep"
    rationale = "the struct already has a SessionID"
    """)


def test_a_policy_edit_of_strings_only_reads_the_symbol_findings_back(
        root: Path, folder: Path, symbol_checks: _Log) -> None:
    plan(root)
    assert symbol_checks == ["index", "checks"]
    symbol_checks.clear()
    edited = plan(root, TAGS_KEPT)
    assert symbol_checks == []  # neither indexed nor checked: the identifiers are decided alike
    assert outcome(edited) == outcome(plan(root, TAGS_KEPT, cache=False))
    assert [c.kind for c in edited.errors] == ["field_collision"]


def test_a_policy_edit_of_an_identifier_runs_the_symbol_checks_again(
        root: Path, folder: Path, symbol_checks: _Log) -> None:
    plan(root)
    symbol_checks.clear()
    edited = plan(root, FIELD_KEPT)
    assert symbol_checks == ["index", "checks"]
    assert edited.errors == []
    assert outcome(edited) == outcome(plan(root, FIELD_KEPT, cache=False))


# -- the patch, file by file ---------------------------------------------------------------------
@pytest.fixture
def results(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose edits were computed (not read back)."""
    if find_toolchain() is None:
        pytest.skip("no Go toolchain")
    seen: list[str] = []
    real = patch_module.FileEdits.result

    def counting(self: Any) -> bytes:
        seen.append(self.path)
        return real(self)

    monkeypatch.setattr(patch_module.FileEdits, "result", counting)
    return seen


def patched(a: Analysis) -> tuple[list[tuple[str, bytes, str, list[str], int]], list[str], str]:
    p = make_patch(a)
    return ([(f.path, f.after, f.gofmt, f.warnings, len(f.edits)) for f in p.files], p.warnings,
            patch_module.unified_diff(p))


def test_a_policy_change_redoes_only_the_files_whose_edits_change(
        root: Path, folder: Path, results: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first = patched(plan(root))
    assert sorted(results) == ["api/handler.go", "conv/conv.go", "conv/store.go"]
    results.clear()
    assert patched(plan(root)) == first and results == []
    policy = POLICY + textwrap.dedent("""
        [[rule]]
        role = "struct_tag"
        path = "api/*"
        decision = "keep"
        rationale = "the API's wire name stays"
        """)
    changed = patched(plan(root, policy))
    assert results == ["api/handler.go"]
    assert b'json:"run_id"' in dict((p, a) for p, a, *_ in changed[0])["api/handler.go"]
    results.clear()
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(folder.parent / "fresh"))
    assert patched(plan(root, policy)) == changed  # as computed from nothing


def test_an_edited_file_is_patched_again(root: Path, folder: Path, results: list[str]) -> None:
    patched(plan(root))
    path = root / "api" / "handler.go"
    path.write_text(path.read_text().replace("Response", "Reply"))
    results.clear()
    again = patched(plan(root))
    assert results == ["api/handler.go"]
    assert b"type Reply struct" in dict((p, a) for p, a, *_ in again[0])["api/handler.go"]


@pytest.mark.parametrize("command", ["plan", "diff", "compat"])
def test_no_cache_on_the_command_line_reads_and_writes_nothing(
        root: Path, folder: Path, tmp_path: Path, command: str) -> None:
    from idrename import cli

    argv = [command, str(root), "--from", "RunID", "--to", "SessionID", "-o",
            str(tmp_path / "out")]
    cli.main([*argv, "--no-cache"])
    assert not folder.exists()
    cli.main(argv)
    assert len(stage_files(folder)) == 1


def test_a_file_edited_after_the_digest_is_not_answered_from_the_memo(
        root: Path, folder: Path, computed: list[str], symbol_checks: _Log,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest is taken before the inventory reads the files; a file edited in between makes
    the remembered results stale for the rows the inventory read, so they are computed."""
    import importlib

    inventory = importlib.import_module("idrename.inventory")  # the package exports a function
    plan(root)
    computed.clear()
    symbol_checks.clear()
    real = inventory.scan

    def editing(*args: Any, **kwargs: Any) -> Any:
        path = root / "conv" / "conv.go"
        path.write_text(path.read_text().replace("SessionID string", "Title     string"))
        return real(*args, **kwargs)

    monkeypatch.setattr(inventory, "scan", editing)
    after = plan(root)
    assert computed == ["contracts"] and symbol_checks == ["index", "checks"]
    assert after.errors == []


def test_the_fixture_with_its_frontend_reads_back_what_it_computed(
        tmp_path: Path, folder: Path, computed: list[str]) -> None:
    from idrename.policy import load_policy

    repo = Path(__file__).resolve().parents[1]
    fixture = repo / "data" / "fixtures" / "moments"
    policy = load_policy(repo / "data" / "policies" / "runid-to-sessionid.toml")

    def run(**kwargs: Any) -> Analysis:
        return analyse([fixture / "backend"], policy, [fixture / "web"], **kwargs)

    first, again = run(), run()
    assert computed == ["contracts"]
    assert outcome(again) == outcome(first) == outcome(run(cache=False))
    assert patched(again) == patched(run(cache=False))


def test_a_policy_edit_reads_the_go_facts_of_the_same_tree_back(
        root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from idrename.gofacts import GoFacts

    scans: list[list[str]] = []
    real = GoFacts._begin

    def counting(self: GoFacts, labels: list[str], *args: Any) -> Any:
        scans.append(labels)
        return real(self, labels, *args)

    monkeypatch.setattr(GoFacts, "_begin", counting)
    plan(root)
    assert scans == [["backend"]]
    edited = plan(root, TAGS_KEPT)
    assert scans == [["backend"]]  # the facts were read back; the matrix was computed again
    assert outcome(edited) == outcome(plan(root, TAGS_KEPT, cache=False))
    (root / "conv" / "store.go").write_text("package conv\n\nfunc other(runID int) {}\n")
    plan(root, TAGS_KEPT)
    assert scans[-1] == ["backend"] and len(scans) == 3  # the tree changed: read again


def test_identifiers_changed_compares_only_the_go_identifiers_ids_decisions_and_targets() -> None:
    from idrename.checks import identifiers_changed

    before = pd.DataFrame({"role": ["field_decl", "struct_tag", "parameter"],
                           "decision": ["rename", "rename", None],
                           "target": ["SessionID", "session_id", float("nan")]})
    tag_kept = before.assign(decision=["rename", "keep", None],
                             target=["SessionID", "run_id", float("nan")])
    assert not identifiers_changed(before, tag_kept)
    field_kept = before.assign(decision=["keep", "rename", None])
    assert identifiers_changed(before, field_kept)
    assert identifiers_changed(before, before.iloc[:2])
    with_ids = before.assign(id=["a", "b", "c"])
    assert not identifiers_changed(with_ids, tag_kept.assign(id=["a", "x", "c"]))  # a tag's id
    assert identifiers_changed(with_ids, with_ids.assign(id=["x", "b", "c"]))


def test_read_back_symbol_findings_come_with_the_same_row_findings(
        root: Path, folder: Path, symbol_checks: _Log) -> None:
    """Generated files, unparsed files and open reviews are found from the rows every time."""
    (root / "conv" / "gen.go").write_text(
        "// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage conv\n\n"
        "type Wire struct {\n\tRunID string `json:\"run_id\"`\n}\n")
    (root / "conv" / "broken.go").write_text("package conv\n\nfunc broken(runID string {\n")
    reviewing = POLICY + textwrap.dedent("""
        [[rule]]
        role = "comment"
        decision = "review"
        rationale = "comments are read by a person"
        """)
    (root / "conv" / "store.go").write_text(
        "package conv\n\nfunc lookup(runID string) string {\n\treturn runID // the RunID\n}\n")
    plan(root, reviewing)
    symbol_checks.clear()
    edited = plan(root, reviewing + TAGS_KEPT.removeprefix(POLICY))
    assert symbol_checks == []  # read back
    kinds = sorted({c.kind for c in edited.conflicts})
    assert {"review", "unparsed", "field_collision"} <= set(kinds)
    assert outcome(edited) == outcome(plan(root, reviewing + TAGS_KEPT.removeprefix(POLICY),
                                           cache=False))


def test_whether_a_file_spells_a_relevant_name_is_kept_and_an_unchanged_file_is_not_read(
        tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index looks closely at the files of a folder that spell a family member or a new
    name; the answer for each other file is kept in the cache, so a later plan does not read
    an unchanged one, and reads one edited since (here to declare a new name, which collides)."""
    from idrename import gosymbols
    from idrename.checks import run_checks
    from idrename.decisions import decide
    from idrename.inventory import scan

    monkeypatch.setattr(C, "RACY_NS", 0)  # trust signatures at once, as after two seconds
    root = tmp_path / "mod"
    (root / "p").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/mod\n\ngo 1.22\n")
    (root / "p" / "meta.go").write_text("package p\n\ntype Meta struct {\n\tRunID string\n}\n")
    plain = root / "p" / "plain.go"
    plain.write_text("package p\n\nfunc helper() int { return 1 }\n")
    policy = parse_policy(textwrap.dedent(POLICY))
    searched: list[str] = []
    real = gosymbols.Spelling.search

    def recording(self: Any, root_label: str, path: str, data: bytes) -> bool:
        searched.append(path)
        return real(self, root_label, path, data)

    monkeypatch.setattr(gosymbols.Spelling, "search", recording)

    def conflicts(cache: Any = folder) -> list[tuple[str, str]]:
        inv = scan([root], policy.spec)
        found = run_checks(decide(inv.frame, policy), inv.roots, policy.spec, cache=cache)
        return sorted((c.kind, c.where) for c in found)

    before = conflicts()
    assert "p/plain.go" in searched
    searched.clear()
    assert conflicts() == before and "p/plain.go" not in searched  # from the cache, unread
    plain.write_text("package p\n\nfunc (m Meta) SessionID() string { return \"\" }\n")
    after = conflicts()
    assert "p/plain.go" in searched
    assert after == conflicts(cache=False) and after != before


def test_an_embedding_added_to_a_file_is_seen_through_the_cache_of_embedded_names(
        tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files that may embed a type are found by a line prefilter kept per file in the
    cache; an unchanged file is not read again, an edited one is, and the embedding it adds is
    found with the collision it promotes."""
    from idrename import gosymbols
    from idrename.checks import run_checks
    from idrename.decisions import decide
    from idrename.inventory import scan

    monkeypatch.setattr(C, "RACY_NS", 0)  # trust signatures at once, as after two seconds
    root = tmp_path / "mod"
    (root / "p").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/mod\n\ngo 1.22\n")
    (root / "p" / "meta.go").write_text("package p\n\ntype Meta struct {\n\tRunID string\n}\n")
    (root / "p" / "other.go").write_text("package p\n\ntype Other struct {\n\tSessionID string\n}\n")
    (root / "q").mkdir()
    outer = root / "q" / "outer.go"  # another package: found only by the prefilter
    outer.write_text('package q\n\nimport "example.com/mod/p"\n\ntype Outer struct {\n\tp.Other\n}\n')
    policy = parse_policy(textwrap.dedent(POLICY))
    prefiltered: list[bytes] = []
    real = gosymbols.embedded_names

    def recording(data: bytes) -> frozenset[str]:
        prefiltered.append(data)
        return real(data)

    monkeypatch.setattr(gosymbols, "embedded_names", recording)

    def collisions() -> list[str]:
        inv = scan([root], policy.spec)
        found = run_checks(decide(inv.frame, policy), inv.roots, policy.spec, cache=folder)
        return sorted(c.message.split(" would get ")[0] for c in found
                      if c.kind == "field_collision")

    assert collisions() == [] and prefiltered == [outer.read_bytes()]
    prefiltered.clear()
    assert collisions() == [] and prefiltered == []  # from the cache, unread
    outer.write_text('package q\n\nimport "example.com/mod/p"\n\n'
                     'type Outer struct {\n\tp.Meta\n\tp.Other\n}\n')
    assert collisions() == ["struct Outer"] and prefiltered == [outer.read_bytes()]


def test_only_the_most_recently_used_stage_results_are_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(memo, "MAX_STAGE_RESULTS", 3)
    store = memo.StageMemo(tmp_path)
    for n in range(5):
        assert store.put("analysis", str(n) * 64, {"n": n})
        time.sleep(0.01)  # distinct modification times
    assert store.get("analysis", "0" * 64) is None
    assert [store.get("analysis", str(n) * 64) for n in (2, 3, 4)] == [{"n": 2}, {"n": 3}, {"n": 4}]
    assert len(list((tmp_path / "stages").glob("*.idx"))) == 3

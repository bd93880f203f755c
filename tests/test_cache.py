"""idrename.cache: per-file inventory results kept between runs, never trusted when they do not
match, written atomically, and never able to change what the inventory reports."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pandas as pd
import pytest

from idrename import cache as C
from idrename import cli
from idrename.spec import Spec

inventory = importlib.import_module("idrename.inventory")  # the package exports a function of that name

SPEC = Spec("RunID", "SessionID")

CONVERSATION = """\
package webchat

// Conversation is one chat; RunID is its session.
type Conversation struct {
	RunID string `json:"run_id"`
}

func (c *Conversation) Key() string { return c.RunID }
"""
ROUTER = """\
package webchat

func lookup(runID string) string { return runID }
"""
PLAIN = """\
package webchat

func add(a, b int) int { return a + b }
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "backend"
    for rel, text in {"conversation.go": CONVERSATION, "router.go": ROUTER,
                      "util/plain.go": PLAIN}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(cache_dir))
    return cache_dir


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the inventory actually parses (not served from the cache)."""
    seen: list[str] = []
    real = inventory._scan_go_file

    def counting(result: object, rel: str, data: bytes, spec: Spec) -> None:
        seen.append(rel)
        real(result, rel, data, spec)

    monkeypatch.setattr(inventory, "_scan_go_file", counting)
    return seen


def rows(inv: object) -> list[tuple[str, int, str, str]]:
    return [(r.path, r.line, r.role, r.text) for r in inv.frame.itertuples()]


def index_files(folder: Path) -> list[Path]:
    return sorted((folder / "inventory").glob("*.idx"))


EXPECTED = [
    ("conversation.go", 3, "doc_comment", "RunID"),
    ("conversation.go", 5, "field_decl", "RunID"),
    ("conversation.go", 5, "struct_tag", "run_id"),
    ("conversation.go", 8, "selector", "RunID"),
    ("router.go", 3, "parameter", "runID"),
    ("router.go", 3, "local_use", "runID"),
]


# -- hits and misses ---------------------------------------------------------------------------
def test_a_warm_run_parses_nothing_and_reports_the_same(tree: Path, folder: Path,
                                                        parsed: list[str]) -> None:
    cold = inventory.scan([tree], SPEC)
    assert rows(cold) == EXPECTED
    assert parsed == ["conversation.go", "router.go"]  # plain.go fails the prefilter
    parsed.clear()
    warm = inventory.scan([tree], SPEC)
    assert parsed == []
    pd.testing.assert_frame_equal(warm.frame, cold.frame)
    pd.testing.assert_frame_equal(warm.related, cold.related)
    assert (warm.files_scanned, warm.files_matched) == (cold.files_scanned, cold.files_matched)
    assert len(index_files(folder)) == 1


def test_only_the_edited_file_is_parsed_again(tree: Path, folder: Path, parsed: list[str]) -> None:
    inventory.scan([tree], SPEC)
    (tree / "router.go").write_text(ROUTER + "\nvar defaultRunID = \"r\"\n")
    parsed.clear()
    inv = inventory.scan([tree], SPEC)
    assert parsed == ["router.go"]
    assert rows(inv) == [*EXPECTED, ("router.go", 5, "var_decl", "defaultRunID")]


def test_a_moved_file_is_parsed_again_since_rows_carry_the_path(tree: Path, folder: Path,
                                                                 parsed: list[str]) -> None:
    inventory.scan([tree], SPEC)
    (tree / "router.go").rename(tree / "routes.go")
    parsed.clear()
    inv = inventory.scan([tree], SPEC)
    assert parsed == ["routes.go"]
    assert {r[0] for r in rows(inv)} == {"conversation.go", "routes.go"}


def test_another_spec_never_sees_these_results(tree: Path, folder: Path, parsed: list[str]) -> None:
    inventory.scan([tree], SPEC)
    parsed.clear()
    other = Spec("RunID", "SessionID", explicit={"lookup": "lookupSession"})
    inv = inventory.scan([tree], other)
    assert parsed == ["conversation.go", "router.go"]
    assert ("router.go", 3, "func_decl", "lookup") in rows(inv)
    assert len(index_files(folder)) == 2


def test_entries_of_another_tool_version_are_ignored_and_rewritten(
        tree: Path, folder: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    inventory.scan([tree], SPEC)
    monkeypatch.setattr(C, "tool_version", lambda: "idrename 9.9 (another build)")
    parsed.clear()
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED
    assert parsed == ["conversation.go", "router.go"]
    parsed.clear()
    inventory.scan([tree], SPEC)
    assert parsed == []  # rewritten for this version


def test_the_key_covers_tool_spec_path_and_content(tmp_path: Path) -> None:
    store = C.ResultCache(tmp_path / "c")
    index = store.index(tmp_path, SPEC)
    key = index.key("a.go", b"package a\n")
    assert key != index.key("b.go", b"package a\n")
    assert key != index.key("a.go", b"package b\n")
    assert key != store.index(tmp_path, Spec("RunID", "TraceID")).key("a.go", b"package a\n")
    assert key == store.index(tmp_path, SPEC).key("a.go", b"package a\n")


# -- never trusted -----------------------------------------------------------------------------
@pytest.mark.parametrize("damage", [
    pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
    pytest.param(lambda blob: blob[:-10] + bytes(10), id="bytes-zeroed"),
    pytest.param(lambda blob: b"not an index at all", id="garbage"),
    pytest.param(lambda blob: b"", id="empty"),
])
def test_a_damaged_index_is_ignored_and_rewritten(tree: Path, folder: Path, parsed: list[str],
                                                  damage) -> None:
    inventory.scan([tree], SPEC)
    (path,) = index_files(folder)
    path.write_bytes(damage(path.read_bytes()))
    parsed.clear()
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED
    assert parsed == ["conversation.go", "router.go"]
    parsed.clear()
    inventory.scan([tree], SPEC)
    assert parsed == []


def test_an_index_of_another_root_under_this_name_is_ignored(tmp_path: Path, tree: Path,
                                                            folder: Path, parsed: list[str]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "conversation.go").write_text(CONVERSATION.replace("RunID string", "RunID int"))
    inventory.scan([other], SPEC)
    (theirs,) = index_files(folder)
    mine = C.ResultCache(folder).index(tree, SPEC).path
    theirs.rename(mine)  # same files, same keys: only the root recorded inside differs
    parsed.clear()
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED
    assert parsed == ["conversation.go", "router.go"]


def test_a_well_formed_entry_of_the_wrong_shape_is_not_used(tree: Path, folder: Path,
                                                           parsed: list[str]) -> None:
    inventory.scan([tree], SPEC)
    store = C.ResultCache(folder)
    index = store.index(tree, SPEC)
    key = index.key("router.go", ROUTER.encode())
    index.put("router.go", key, ("webchat", (("only", "three", "fields"),), (), (), "", ("x",)))
    assert index.get("conversation.go", index.key("conversation.go", CONVERSATION.encode()))
    assert index.save()
    parsed.clear()
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED
    assert parsed == ["router.go"]


# -- writing -----------------------------------------------------------------------------------
def test_writes_are_atomic_and_leave_no_temporary_file(tree: Path, folder: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(C.os, "replace", failing_replace)
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED
    assert list((folder / "inventory").iterdir()) == []
    monkeypatch.undo()
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(folder))
    inventory.scan([tree], SPEC)
    assert [p.suffix for p in (folder / "inventory").iterdir()] == [".idx"]


def test_an_unusable_cache_folder_only_turns_the_cache_off(tree: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(blocker / "cache"))
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED


def test_no_cache_writes_nothing(tree: Path, folder: Path) -> None:
    assert rows(inventory.scan([tree], SPEC, cache=False)) == EXPECTED
    assert not folder.exists()


def test_files_without_a_possible_member_are_not_cached(tree: Path, folder: Path) -> None:
    inventory.scan([tree], SPEC)
    index = C.ResultCache(folder).index(tree, SPEC)
    assert sorted(index._old) == ["conversation.go", "router.go"]


def test_entries_of_deleted_files_are_dropped(tree: Path, folder: Path) -> None:
    inventory.scan([tree], SPEC)
    (tree / "router.go").unlink()
    inventory.scan([tree], SPEC)
    assert sorted(C.ResultCache(folder).index(tree, SPEC)._old) == ["conversation.go"]


def test_the_least_recently_used_indexes_are_pruned(tmp_path: Path) -> None:
    store = C.ResultCache(tmp_path / "c", max_indexes=2)
    for n in range(3):
        root = tmp_path / f"root{n}"
        root.mkdir()
        (root / "a.go").write_text(ROUTER)
        inventory.scan([root], SPEC, cache=store)
        index = store.index(root, SPEC)
        os.utime(index.path, ns=(n * 10**9, n * 10**9))
    inventory.scan([tmp_path / "root2"], SPEC, cache=store)  # a save prunes
    kept = sorted(p.name for p in (tmp_path / "c" / "inventory").glob("*.idx"))
    assert len(kept) == 2
    assert store.index(tmp_path / "root0", SPEC).path.name not in kept


# -- the journal --------------------------------------------------------------------------------
def journals(folder: Path) -> list[Path]:
    return sorted((folder / "inventory").glob(f"*{C.SUFFIX}{C.JOURNAL}"))


ROUTER_V2 = ROUTER + "\nvar defaultRunID = \"r\"\n"
ROUTER_V3 = ROUTER + "\nvar otherRunID = \"r\"\n"


def test_a_few_changes_go_to_a_journal_read_back_on_top_of_the_index(
        tree: Path, folder: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # (files written just now keep no stat signature: the index holds two entries here)
    monkeypatch.setattr(C, "JOURNAL_SHARE", 1.0)
    cold = inventory.scan([tree], SPEC)
    [index] = index_files(folder)
    written = index.read_bytes()
    assert journals(folder) == []
    (tree / "router.go").write_text(ROUTER_V2)
    edited = inventory.scan([tree], SPEC)
    assert index.read_bytes() == written  # the index file is left as it was
    assert len(journals(folder)) == 1
    assert rows(edited) != rows(cold)
    parsed.clear()
    again = inventory.scan([tree], SPEC)
    assert parsed == []  # router.go from the journal, the others from the index
    pd.testing.assert_frame_equal(again.frame, edited.frame)
    (tree / "router.go").unlink()  # a dropped entry goes to the journal too
    inventory.scan([tree], SPEC)
    assert index.read_bytes() == written
    (tree / "router.go").write_text(ROUTER_V2)
    parsed.clear()
    inventory.scan([tree], SPEC)
    assert parsed == ["router.go"]


def test_a_journal_that_grows_is_folded_into_the_index(
        tree: Path, folder: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "JOURNAL_SHARE", 0.5)
    inventory.scan([tree], SPEC)
    [index] = index_files(folder)
    written = index.read_bytes()
    (tree / "router.go").write_text(ROUTER_V2)
    (tree / "conversation.go").write_text(CONVERSATION + "\n// RunID again\n")
    edited = inventory.scan([tree], SPEC)  # two changes in three entries
    assert index.read_bytes() != written and journals(folder) == []
    parsed.clear()
    pd.testing.assert_frame_equal(inventory.scan([tree], SPEC).frame, edited.frame)
    assert parsed == []


def test_a_damaged_journal_or_one_for_another_index_is_ignored(
        tree: Path, folder: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "JOURNAL_SHARE", 0.5)
    inventory.scan([tree], SPEC)
    (tree / "router.go").write_text(ROUTER_V2)
    inventory.scan([tree], SPEC)
    [journal] = journals(folder)
    blob = journal.read_bytes()
    journal.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    parsed.clear()
    damaged = inventory.scan([tree], SPEC)
    assert parsed == ["router.go"]  # its entry was in the journal only
    # A journal left from before the index was written again names the old index: ignored.
    journal.write_bytes(blob)
    monkeypatch.setattr(C, "JOURNAL_SHARE", 0.0)  # every change rewrites the index now
    (tree / "router.go").write_text(ROUTER_V3)
    inventory.scan([tree], SPEC)
    assert journals(folder) == []
    journal.write_bytes(blob)  # router.go v2 on top of an index that holds v3
    parsed.clear()
    latest = inventory.scan([tree], SPEC)
    assert parsed == []
    assert "otherRunID" in [text for *_rest, text in rows(latest)]
    assert rows(damaged) != rows(latest)


def test_a_journal_goes_with_its_index(tree: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "JOURNAL_SHARE", 0.5)
    store = C.ResultCache(tmp_path / "c")
    inventory.scan([tree], SPEC, cache=store)
    (tree / "router.go").write_text(ROUTER_V2)
    inventory.scan([tree], SPEC, cache=store)
    folder = tmp_path / "c" / "inventory"
    [journal] = journals(tmp_path / "c")
    orphan = folder / f"{'0' * 40}{C.SUFFIX}{C.JOURNAL}"
    orphan.write_bytes(journal.read_bytes())
    store.prune(folder)
    assert journals(tmp_path / "c") == [journal]  # the orphan is gone, the other kept
    store.prune(folder, keep=0)
    assert list(folder.iterdir()) == []


# -- where it lives ----------------------------------------------------------------------------
def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IDRENAME_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert C.default_cache_dir() == tmp_path / "home" / ".cache" / "idrename"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert C.default_cache_dir() == tmp_path / "xdg" / "idrename"
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "mine"))
    assert C.default_cache_dir() == tmp_path / "mine"


def test_scan_cache_argument(tree: Path, tmp_path: Path, folder: Path) -> None:
    inventory.scan([tree], SPEC, cache=tmp_path / "elsewhere")
    assert len(list((tmp_path / "elsewhere" / "inventory").glob("*.idx"))) == 1
    assert not folder.exists()
    inventory.scan([tree], SPEC, cache=True)
    assert len(index_files(folder)) == 1


@pytest.mark.parametrize("flags,cached", [([], True), (["--no-cache"], False)])
def test_the_command_line_flag(tree: Path, folder: Path, tmp_path: Path, flags: list[str],
                               cached: bool) -> None:
    out = tmp_path / "inv.csv"
    code = cli.main(["inventory", str(tree), "--from", "RunID", "--to", "SessionID",
                     "--format", "csv", "-o", str(out), *flags])
    assert code == 0
    assert out.read_text().count("\n") == 1 + len(EXPECTED)
    assert folder.exists() is cached


def test_a_root_under_another_label_gets_its_own_ids(tree: Path, tmp_path: Path, folder: Path,
                                                     parsed: list[str]) -> None:
    inventory.scan([tree], SPEC)  # cached under the label "backend"
    twin = tmp_path / "twin" / "backend"
    twin.mkdir(parents=True)
    (twin / "router.go").write_text(ROUTER)
    parsed.clear()
    warm = inventory.scan([twin, tree], SPEC)  # now the cached root is labelled "<parent>/backend"
    assert parsed == ["router.go"]  # the twin's file; the cached root is served from the cache
    cold = inventory.scan([twin, tree], SPEC, cache=False)
    pd.testing.assert_frame_equal(warm.frame, cold.frame)
    assert sorted(set(warm.frame["root"])) == ["backend", f"{tmp_path.name}/backend"]


# -- the stat fast path ------------------------------------------------------------------------
@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the inventory actually opens and reads."""
    seen: list[str] = []
    real = inventory._read_stat

    def counting(label: str, root: str, rel: str) -> object:
        seen.append(rel)
        return real(label, root, rel)

    monkeypatch.setattr(inventory, "_read_stat", counting)
    return seen


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust signatures of files changed just before the scan (tests cannot wait RACY_NS)."""
    monkeypatch.setattr(C, "RACY_NS", 0)


def test_a_warm_run_reads_no_unchanged_file(tree: Path, folder: Path, trusting: None,
                                            reads: list[str], parsed: list[str]) -> None:
    cold = inventory.scan([tree], SPEC)
    assert sorted(reads) == ["conversation.go", "router.go", "util/plain.go"]
    index = C.ResultCache(folder).index(tree, SPEC)
    assert sorted(index._old) == ["conversation.go", "router.go"]
    assert sorted(index._old_plain) == ["util/plain.go"]  # its signature only, no result
    reads.clear()
    parsed.clear()
    warm = inventory.scan([tree], SPEC)
    assert (reads, parsed) == ([], [])
    pd.testing.assert_frame_equal(warm.frame, cold.frame)
    pd.testing.assert_frame_equal(warm.related, cold.related)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tree: Path, folder: Path, trusting: None,
                                                          reads: list[str]) -> None:
    inventory.scan([tree], SPEC)
    path = tree / "router.go"
    before = path.stat()
    edited = ROUTER.replace("runID", "runId")
    assert len(edited) == len(ROUTER)
    path.write_text(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time still moves
    plain = tree / "util" / "plain.go"
    plain_before = plain.stat()
    plain.write_text(PLAIN.replace("add", "run"))
    os.utime(plain, ns=(plain_before.st_atime_ns, plain_before.st_mtime_ns))
    reads.clear()
    inv = inventory.scan([tree], SPEC)
    assert sorted(reads) == ["router.go", "util/plain.go"]
    assert ("router.go", 3, "parameter", "runId") in rows(inv)


def test_a_file_changed_during_the_racy_window_is_hashed_every_time(
        tree: Path, folder: Path, reads: list[str], parsed: list[str]) -> None:
    inventory.scan([tree], SPEC)  # every file was just written: no signature is trusted
    index = C.ResultCache(folder).index(tree, SPEC)
    assert all(entry[2] is None for entry in index._old.values())
    assert index._old_plain == {}
    reads.clear()
    parsed.clear()
    assert rows(inventory.scan([tree], SPEC)) == EXPECTED
    assert sorted(reads) == ["conversation.go", "router.go", "util/plain.go"]
    assert parsed == []  # hashed, found unchanged, not parsed


def test_a_signature_is_trusted_only_outside_the_racy_window() -> None:
    from types import SimpleNamespace

    now = 10 * C.RACY_NS

    def st(mtime: int, ctime: int) -> object:
        return SimpleNamespace(st_size=120, st_mtime_ns=mtime, st_ctime_ns=ctime, st_ino=7,
                               st_dev=3)

    assert C.stat_signature(st(1, 2), now) == (120, 1, 2, 7, 3)  # type: ignore[arg-type]
    assert C.stat_signature(st(now - 1, 2), now) is None  # type: ignore[arg-type]
    assert C.stat_signature(st(1, now - 1), now) is None  # type: ignore[arg-type]

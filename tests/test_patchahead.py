"""Files patched ahead in the process pool: the same patch, warnings and diffs as patched here;
a file changed since, or with other rows, patched again; what gofmt said kept for the cache."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from idrename import patchahead
from idrename.decisions import decide
from idrename.inventory import scan
from idrename.patch import RENAMED_LINES_FORMATTED, _GofmtMemo, build_patch
from idrename.policy import parse_policy

POLICY = parse_policy("""
[rename]
from = "RunID"
to = "SessionID"

[[rule]]
role = "log_key"
decision = "dual"
rationale = "dashboards read run_id until the migration"
""")

CLEAN = textwrap.dedent("""
    package p{i}

    import "github.com/rs/zerolog/log"

    type Chat struct {{
    	ID    string
    	RunID string `json:"run_id"`
    }}

    func Start(c Chat) {{
    	log.Info().Str("run_id", c.RunID).Msg("started")
    }}
    """).lstrip()

# Not gofmt-clean (the field is misaligned): renamed, and its block, which gofmt would realign
# anyway, is not reformatted; a warning says so.
UNCLEAN = "package q\n\ntype Turn struct {\n\tRunID string\n\tN int\n}\n"


def _tree(tmp_path: Path, copies: int) -> Path:
    root = tmp_path / "svc"
    for i in range(copies):
        (root / f"p{i}").mkdir(parents=True)
        (root / f"p{i}" / "chat.go").write_text(CLEAN.format(i=i))
    (root / "q").mkdir()
    (root / "q" / "turn.go").write_text(UNCLEAN)
    return root


def _decided(tmp_path: Path, copies: int, cache: Path | bool = False
             ) -> tuple[Path, Any, pd.DataFrame]:
    """The tree of ``copies`` clean files and an unclean one, scanned and decided."""
    root = _tree(tmp_path, copies)
    inv = scan([root], POLICY.spec, cache=cache)
    return root, inv, decide(inv.frame, POLICY)


def _started(decided: pd.DataFrame, inv: Any) -> patchahead.PatchAhead:
    ahead = patchahead.PatchAhead.start(decided, inv.roots)
    assert ahead is not None
    return ahead


def _summary(patch: object) -> tuple[object, ...]:
    files = patch.files  # type: ignore[attr-defined]
    return ([(f.root, f.path, f.before, f.after, f.edits, f.warnings, f.gofmt, f.diff())
             for f in files], patch.warnings)  # type: ignore[attr-defined]


@pytest.fixture
def few(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patchahead, "PARALLEL_MIN_FILES", 2)


def test_files_patched_ahead_give_the_patch_made_here(tmp_path: Path, few: None) -> None:
    _root, inv, decided = _decided(tmp_path, 4)
    here = build_patch(decided, inv.roots, cache=False)
    made = build_patch(decided, inv.roots, cache=False, ahead=_started(decided, inv).collect())
    assert _summary(made) == _summary(here)
    after = made.files[0].after.decode()
    assert 'Str("run_id", c.SessionID).Str("session_id", c.SessionID)' in after
    assert "\tSessionID string `json:\"run_id\"`\n" in after
    assert [f.gofmt for f in made.files] == ["formatted"] * 4 + [RENAMED_LINES_FORMATTED]


def test_a_file_changed_since_or_with_other_rows_is_patched_again(
        tmp_path: Path, few: None, monkeypatch: pytest.MonkeyPatch) -> None:
    root, inv, decided = _decided(tmp_path, 3)
    ahead = _started(decided, inv).collect()
    # p0 changes on disk after the workers read it (a comment at its end: the rows still
    # fit); p1's rows are not those the workers had
    (root / "p0" / "chat.go").write_text(CLEAN.format(i=0) + "\n// edited\n")
    other = decided.copy()
    other.loc[(other["path"] == "p1/chat.go") & (other["role"] == "log_key"), "decision"] = "rename"
    planned: list[str] = []
    real = patchahead.PatchAhead.take

    def take(self: patchahead.PatchAhead, label: str, path: str, data: bytes,
             rows: list[dict[str, object]]) -> object:
        found = real(self, label, path, data, rows)
        if found is not None:
            planned.append(path)
        return found

    monkeypatch.setattr(patchahead.PatchAhead, "take", take)
    made = build_patch(other, inv.roots, cache=False, ahead=ahead)
    assert planned == ["p2/chat.go", "q/turn.go"]
    by_path = {f.path: f.after.decode() for f in made.files}
    assert by_path["p0/chat.go"].endswith("// edited\n")
    assert 'Str("session_id", c.SessionID).Msg' in by_path["p1/chat.go"]
    assert _summary(made) == _summary(build_patch(other, inv.roots, cache=False))


def test_what_gofmt_said_ahead_is_kept_for_the_next_plan(tmp_path: Path, few: None) -> None:
    cache = tmp_path / "cache"
    _root, inv, decided = _decided(tmp_path, 2, cache)
    ahead = _started(decided, inv)
    made = build_patch(decided, inv.roots, cache=cache, ahead=ahead.collect())
    memo = _GofmtMemo(ahead.toolchain, inv.roots, cache)
    label = next(iter(inv.roots))
    first = made.files[0]
    assert memo.clean(label, first.path, first.before) is True
    assert memo.clean(label, "q/turn.go", UNCLEAN.encode()) is False


def _failing_for_p1(pickled: bytes, *args: object) -> object:
    if b"p1/chat.go" in pickled:
        raise RuntimeError("a worker failed")
    return REAL_BATCH(pickled, *args)


REAL_BATCH = patchahead._patch_batch


def test_a_batch_that_fails_is_patched_here_and_nothing_is_left_behind(
        tmp_path: Path, few: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patchahead, "_BATCH", 1)
    monkeypatch.setattr(patchahead, "_patch_batch", _failing_for_p1)
    monkeypatch.setattr(patchahead.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    _root, inv, decided = _decided(tmp_path, 3)
    ahead = _started(decided, inv)
    assert len(list((tmp_path / "tmp").iterdir())) == 1  # the workers' folder
    ahead.collect()
    assert list((tmp_path / "tmp").iterdir()) == []
    assert sorted(ahead._done) == [("svc", "p0/chat.go"), ("svc", "p2/chat.go"),
                                   ("svc", "q/turn.go")]
    made = build_patch(decided, inv.roots, cache=False, ahead=ahead)
    assert _summary(made) == _summary(build_patch(decided, inv.roots, cache=False))


def test_without_a_temporary_folder_the_patch_makes_every_file_itself(
        tmp_path: Path, few: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _root, inv, decided = _decided(tmp_path, 2)

    def no_folder(*_args: object, **_kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(patchahead.tempfile, "mkdtemp", no_folder)
    assert patchahead.PatchAhead.start(decided, inv.roots) is None


def test_a_patch_read_back_whole_leaves_the_cache_as_it_was(tmp_path: Path, few: None) -> None:
    """A later plan whose files all come from the patch's own memo rewrites nothing in the
    cache: what the workers' gofmt said was kept once, for the files it was said of."""
    cache = tmp_path / "cache"
    _root, inv, decided = _decided(tmp_path, 2, cache)
    first = build_patch(decided, inv.roots, cache=cache, ahead=_started(decided, inv).collect())

    def contents() -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in sorted(cache.rglob("*")) if p.is_file()}

    kept = contents()
    again = build_patch(decided, inv.roots, cache=cache)
    assert _summary(again) == _summary(first)
    assert contents() == kept


def test_files_the_patch_memo_holds_are_not_sent_to_the_workers(
        tmp_path: Path, few: None) -> None:
    """A re-plan sends the pool only the files whose content or rows changed since a plan kept
    their patches: the others are read from the patch memo (before, every file with rows was
    planned and gofmt'd again in the pool, for nothing)."""
    cache = tmp_path / "cache"
    root, inv, decided = _decided(tmp_path, 4, cache)
    first = build_patch(decided, inv.roots, cache=cache)
    assert patchahead.PatchAhead.start(decided, inv.roots, cache=cache) is None  # all known
    for i in (0, 1):
        (root / f"p{i}" / "chat.go").write_text(CLEAN.format(i=i) + "\n// edited\n")
    inv = scan([root], POLICY.spec, cache=cache)
    decided = decide(inv.frame, POLICY)
    ahead = patchahead.PatchAhead.start(decided, inv.roots, cache=cache)
    assert ahead is not None
    assert sorted(ahead._rows) == [("svc", "p0/chat.go"), ("svc", "p1/chat.go")]
    made = build_patch(decided, inv.roots, cache=cache, ahead=ahead.collect())
    assert _summary(made) == _summary(build_patch(decided, inv.roots, cache=False))
    assert [f.after for f in made.files][2:] == [f.after for f in first.files][2:]


def test_files_made_ahead_and_held_by_the_patch_memo_keep_what_gofmt_said(
        tmp_path: Path, few: None) -> None:
    """When the workers made files the patch memo holds too (a pool started without the
    cache), the patch takes the memo's, and the gofmt memo keeps its answers for them. Before,
    it kept only the files the plan asked gofmt about, and lost the others for every later
    plan: each then ran gofmt -l on every file again (0.7 s on the benchmark tree)."""
    cache = tmp_path / "cache"
    root, inv, decided = _decided(tmp_path, 3, cache)
    build_patch(decided, inv.roots, cache=cache, ahead=_started(decided, inv).collect())
    (root / "p0" / "chat.go").write_text(CLEAN.format(i=0) + "\n// edited\n")
    inv = scan([root], POLICY.spec, cache=cache)
    decided = decide(inv.frame, POLICY)
    ahead = _started(decided, inv)  # (no cache: every file is made)
    build_patch(decided, inv.roots, cache=cache, ahead=ahead.collect())
    memo = _GofmtMemo(ahead.toolchain, inv.roots, cache)
    for i in range(3):
        data = (root / f"p{i}" / "chat.go").read_bytes()
        assert memo.clean("svc", f"p{i}/chat.go", data) is True, i
    assert memo.clean("svc", "q/turn.go", UNCLEAN.encode()) is False

"""idrename.corpus: synthetic Go trees, deterministic, parsing cleanly, with the family share asked
for; a small tree is gofmt-clean and passes `go vet` (tests included) with the real toolchain."""

from __future__ import annotations

from pathlib import Path

import pytest

from idrename import corpus, gotool
from idrename.gosyntax import is_generated, parse
from idrename.inventory import scan
from idrename.spec import Spec

SPEC = Spec("RunID", "SessionID")
TOOLCHAIN = gotool.find_toolchain()
needs_go = pytest.mark.skipif(TOOLCHAIN is None, reason="no Go toolchain in this environment")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> corpus.CorpusInfo:
    return corpus.generate(tmp_path_factory.mktemp("corpus") / "tree", files=40,
                           lines_per_file=120, seed=7)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_the_same_seed_writes_the_same_tree(tmp_path: Path, small: corpus.CorpusInfo) -> None:
    again = corpus.generate(tmp_path / "again", files=40, lines_per_file=120, seed=7)
    assert tree_bytes(again.root) == tree_bytes(small.root)
    other = corpus.generate(tmp_path / "other", files=40, lines_per_file=120, seed=8)
    assert tree_bytes(other.root) != tree_bytes(small.root)


def test_the_tree_has_the_files_lines_and_modules_asked_for(small: corpus.CorpusInfo) -> None:
    go_files = sorted(p.relative_to(small.root).as_posix() for p in small.root.rglob("*.go"))
    assert go_files == small.files
    assert len(go_files) == 40
    assert 0.8 * 40 * 120 <= small.lines <= 1.2 * 40 * 120
    assert small.modules == ["svc-chat"]
    assert (small.root / "svc-chat" / "go.mod").read_text() == \
        "module example.com/chat\n\ngo 1.22\n"
    kinds = {
        "test": [f for f in go_files if f.endswith("_test.go")],
        "generated": [f for f in go_files if is_generated((small.root / f).read_bytes())],
    }
    assert kinds["test"] and kinds["generated"]
    assert all(f.endswith(".pb.go") for f in kinds["generated"])


def test_exactly_the_family_share_of_files_hold_family_members(small: corpus.CorpusInfo) -> None:
    holding = [f for f in small.files if any(SPEC.find((small.root / f).read_bytes()))]
    assert holding == small.family_files
    assert len(holding) == round(40 * 0.25)


def test_homonyms_stand_outside_the_family(small: corpus.CorpusInfo) -> None:
    text = "\n".join((small.root / f).read_text() for f in small.files)
    for homonym in ("RunInference", "runLoop", "RunIdleSince1"):
        assert homonym in text
        assert not SPEC.is_member(homonym)
    # RunIdleSince passes the prefilter, so files holding it are read but yield nothing.
    assert SPEC.pattern.search(b"RunIdleSince1")


def test_every_file_parses_cleanly_with_tree_sitter_go(small: corpus.CorpusInfo) -> None:
    broken = [f for f in small.files if parse((small.root / f).read_bytes()).root_node.has_error]
    assert broken == []


def test_the_inventory_finds_the_family_in_the_family_files_only(small: corpus.CorpusInfo) -> None:
    inv = scan([small.root], SPEC, cache=False)
    assert inv.issues == []
    assert sorted(set(inv.frame["path"])) == small.family_files
    assert inv.files_matched == len(small.family_files)
    assert {"field_decl", "struct_tag", "log_key", "sql", "query_param", "interface_method",
            "doc_comment"} <= set(inv.frame["role"])


def test_the_rename_plan_on_the_tree_has_no_conflicts(small: corpus.CorpusInfo) -> None:
    from idrename.policy import policy_from_terms
    from idrename.workflow import analyse

    analysis = analyse([small.root], policy_from_terms("RunID", "SessionID"))
    assert [c.message for c in analysis.errors] == []


def test_another_term_pair(tmp_path: Path) -> None:
    info = corpus.generate(tmp_path / "t", files=12, lines_per_file=60, family_share=0.5,
                           term=("UserID", "AccountID"))
    spec = Spec("UserID", "AccountID")
    text = "\n".join((info.root / f).read_text() for f in info.family_files)
    assert len(info.family_files) == 6
    for member in ("UserID", "userID", "user_id", "X-User-ID"):
        assert member in text
    assert all(any(spec.find((info.root / f).read_bytes())) for f in info.family_files)
    assert "AccountID" not in text


@pytest.mark.parametrize("kwargs,message", [
    ({"files": 0}, "files must be at least 1"),
    ({"family_share": 1.5}, "family_share must be between 0 and 1"),
])
def test_bad_arguments_are_refused(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        corpus.generate(tmp_path / "x", **kwargs)


@needs_go
def test_a_small_tree_is_gofmt_clean_and_passes_go_vet(small: corpus.CorpusInfo) -> None:
    assert TOOLCHAIN is not None
    files = [(small.root / f).read_bytes() for f in small.files]
    assert [f for f, data in zip(small.files, files, strict=True)
            if gotool.gofmt_source(data, TOOLCHAIN) != data] == []
    for module in small.modules:
        result = gotool.go_vet(small.root / module, TOOLCHAIN)
        assert result.ok, result.output

"""The symbol index of a file, encoded for the cache and the worker processes, reads back
equal; the checks keep it in the cache and a warm run indexes nothing again."""

from __future__ import annotations

from pathlib import Path

import pytest

from idrename import corpus, gosymbols, indexcodec
from idrename.checks import _Context, run_checks
from idrename.decisions import decide
from idrename.inventory import scan
from idrename.policy import policy_from_terms

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "data" / "fixtures" / "moments" / "backend"
POLICY = policy_from_terms("RunID", "SessionID")


def _fields(indexed: gosymbols.IndexedFile) -> tuple[object, ...]:
    info = indexed.info

    def scope(s: gosymbols.Scope) -> tuple[object, ...]:
        return (s.kind, s.name, s.place, s.start_byte, s.end_byte, s.declared, s.used,
                [scope(c) for c in s.children], s.parent.start_byte if s.parent else None)

    def typ(t: gosymbols.TypeInfo) -> tuple[object, ...]:
        return (t.name, t.kind, t.place, t.fields, t.methods, t.embeds, t.alias_of,
                t.constraint, t.local, t.file is info)

    return ((info.root, info.path, info.package, info.generated, info.parse_error,
             info.imports, info.calls, info.receivers, [typ(t) for t in info.types]),
            [scope(s) for s in info.scopes], indexed.names, [typ(t) for t in indexed.types],
            indexed.methods)


@pytest.mark.parametrize("tree", ["fixture", "corpus"])
def test_a_file_index_reads_back_equal(tree: str, tmp_path: Path) -> None:
    root = FIXTURE if tree == "fixture" else corpus.generate(
        tmp_path / "backend", files=30, lines_per_file=200, seed=5).root
    frame = decide(scan([root], POLICY.spec, cache=False).frame, POLICY)
    ctx = _Context(frame, {"backend": root}, POLICY.spec)
    relevant = ctx.index._relevant
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.go"))
    assert files
    for path in files:
        data = (root / path).read_bytes()
        for detail, spelling in ((True, relevant.for_file("backend", path)), (False, None)):
            indexed = gosymbols.index_file("backend", path, data, detail, spelling)
            encoded = indexcodec.encode(indexed)
            again = indexcodec.decode("backend", path, encoded)
            assert _fields(again) == _fields(indexed)
    with pytest.raises(ValueError):
        indexcodec.decode("backend", files[0], ("not", "an", "index"))


def test_a_warm_check_indexes_nothing_again(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = corpus.generate(tmp_path / "backend", files=40, lines_per_file=200, seed=7).root
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    inv = scan([root], POLICY.spec)
    frame = decide(inv.frame, POLICY)
    indexed: list[str] = []
    real = gosymbols.index_file

    def counting(root: str, path: str, *args: object) -> object:
        indexed.append(path)
        return real(root, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(gosymbols, "index_file", counting)
    cold = [c.__dict__ for c in run_checks(frame, inv.roots, POLICY.spec)]
    assert indexed
    indexed.clear()
    warm = [c.__dict__ for c in run_checks(frame, inv.roots, POLICY.spec)]
    assert warm == cold and indexed == []
    # an entry that does not decode is dropped and the file indexed again
    real_decode = indexcodec.decode
    refused: list[str] = []

    def refuse_one(root: str, path: str, data: object) -> object:
        if not refused:
            refused.append(path)
            raise ValueError("damaged")
        return real_decode(root, path, data)  # type: ignore[arg-type]

    monkeypatch.setattr(indexcodec, "decode", refuse_one)
    again = [c.__dict__ for c in run_checks(frame, inv.roots, POLICY.spec)]
    assert again == cold and indexed == refused

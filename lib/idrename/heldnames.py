"""Wire names held in package-level constants, read by the other files of their package.

The classifier reads one file at a time (in parallel, each file's rows cached by its content):
``const cookieRun = "run_id"`` takes the role that the calls of its own file give it
(``r.Cookie(cookieRun)``: a cookie's name). A package-level constant or variable that its own
file never passes to such a call, since it is declared in a ``keys.go`` and used elsewhere, is
left a ``string`` detailed :data:`idrename.roles.HELD`. After the scan, :func:`resolve` reads
the other Go files of its folder that name it, and the row takes the role their calls give it
when they agree (the methods of a log key need not: ``Info`` and ``Warn`` are listed together).
Otherwise, with no use that says what it is, or with uses that say two things,
it stays a string to review.

A constant named in the family (``keys.ParamRunID``) has a row at each of its uses, so only the
files with such a row are read, in any package. An exported one named outside the family
(``keys.CookieName``) that its own folder says nothing of is looked for in the other Go files
of its root that spell ``.CookieName`` and import a path ending in its folder's name.

This runs on every scan, the cached ones included, since it depends on files other than the
row's own (which need not contain the family at all). It reads only folders that have such a
row, and only the files there that spell the constant's name; each answer is kept in the
result cache by the ``stat`` signatures of the files it read.
"""

from __future__ import annotations

import marshal
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import roles as R

# The fields of a payload's row (inventory._OCCURRENCE_FIELDS) read and written here.
_LANG, _ROLE = 1, 2
_TEXT, _SYMBOL, _DETAIL, _OWNER = 9, 10, 12, 13
Role = tuple[str, str, str]  # (role, owner, detail)
_DECLARES = frozenset({R.CONST_DECL, R.VAR_DECL})


def resolve(roots: Mapping[str, Path], scanned: Sequence[tuple[str, str, Any]],
            heads: Callable[[Sequence[tuple[Any, ...]]], tuple[str, ...]],
            open_indexes: Callable[[], Mapping[str, Any]] | None = None,
            go_files: Callable[[], Mapping[str, Sequence[str]]] | None = None,
            ) -> list[tuple[str, str, Any]]:
    """``scanned`` (the inventory's (label, path, payload) of each file) with the rows detailed
    :data:`roles.HELD` given the role their package's other files give them. ``heads``: the
    function that computes a payload's CSV heads from its rows, called again for a file whose
    rows changed. The rows keep their ids. ``open_indexes``: gives a result cache index per
    root label (:meth:`idrename.cache.ResultCache.named_index`; called only when there is such
    a row), where each folder's answers are kept by the ``stat`` signatures of its Go files: a
    folder none of whose Go files changed is not read again. ``go_files``: gives each root's
    Go files (relative paths), for the exported names of the family's outsiders."""
    asked: dict[tuple[str, str], dict[tuple[str, str, str], list[tuple[int, int]]]] = {}
    for n, (label, rel, payload) in enumerate(scanned):
        for i, row in enumerate(payload[1]):
            if row[_DETAIL] == R.HELD and row[_ROLE] == R.STRING and row[_LANG] == "go" \
                    and row[_SYMBOL]:
                folder = rel.rpartition("/")[0]
                asked.setdefault((label, folder), {}).setdefault(
                    (row[_SYMBOL], row[_TEXT], rel), []).append((n, i))
    if not asked:
        return list(scanned)
    # A constant whose own name is of the family (`const RunIDKey = "run_id"`) has a row at its
    # declaration and at each of its uses, in its package or in another (`keys.RunIDKey`): only
    # the files with a use are read.
    names = {q[0] for questions in asked.values() for q in questions}
    declared: dict[str, set[tuple[str, str]]] = {}  # label -> (file, name) declared there
    used: dict[str, dict[str, set[str]]] = {}  # label -> name -> the files that use it
    for label, rel, payload in scanned:
        for row in payload[1]:
            if row[_TEXT] in names and row[_LANG] == "go":
                if row[_ROLE] in _DECLARES:
                    declared.setdefault(label, set()).add((rel, row[_TEXT]))
                elif row[_ROLE] == R.PACKAGE_USE:
                    used.setdefault(label, {}).setdefault(row[_TEXT], set()).add(rel)
    changed: dict[int, list[tuple[Any, ...]]] = {}
    indexes: Mapping[str, Any] | None = None
    for (label, folder), questions in sorted(asked.items()):
        ours, uses = declared.get(label, set()), used.get(label, {})
        within = {q: (uses.get(q[0], set()) - {q[2]}) if (q[2], q[0]) in ours else None
                  for q in questions}
        if indexes is None and any(w is None or w for w in within.values()):
            indexes = open_indexes() if open_indexes is not None else {}
        reader = _Folder(roots[label], folder, (indexes or {}).get(label))
        answers = reader.answer(sorted(questions), within)
        outside = sorted(q for q, found in answers.items()
                         if not found and within[q] is None and q[0][:1].isupper() and folder)
        if outside and go_files is not None:
            others = [rel for rel in go_files().get(label, ())
                      if rel.rpartition("/")[0] != folder]
            answers.update(reader.answer(outside, {q: set(others) for q in outside},
                                         memo=f"{folder}/*", imports=True))
        for question, found in answers.items():
            agreed = _agreed(found)
            if agreed is None:
                continue
            role, owner, detail = agreed
            for n, i in questions[question]:
                rows = changed.setdefault(n, list(scanned[n][2][1]))
                new = list(rows[i])
                new[_ROLE], new[_OWNER], new[_DETAIL] = role, owner, detail
                rows[i] = tuple(new)
    for index in (indexes or {}).values():
        index.save()
    out = list(scanned)
    for n, rows in changed.items():
        label, rel, payload = scanned[n]
        out[n] = (label, rel, (payload[0], tuple(rows), *payload[2:6], heads(rows)))
    return out


class _Folder:
    """The Go files of one folder (and those elsewhere in its root that name its constants),
    read and parsed only when they spell a name asked of."""

    def __init__(self, root: Path, folder: str, index: Any = None) -> None:
        self.root = root
        self.folder = folder
        self.index = index

    def answer(self, questions: list[tuple[str, str, str]],
               within: Mapping[tuple[str, str, str], set[str] | None], *,
               memo: str | None = None, imports: bool = False,
               ) -> dict[tuple[str, str, str], list[Role]]:
        """For each (name, token, file) asked, the roles the calls of the folder's Go files
        but that one give the identifier ``name`` that holds ``token`` (sorted); ``within``:
        for each question, the only files (relative to the root) that can, in any folder
        (None: any of the folder's). ``memo``: the entry of the memo the answers are kept
        under (default: the folder's); ``imports``: a file of another folder counts only if it
        spells ``.name`` and imports a path that ends in the folder's name."""
        listing = any(w is None for w in within.values())
        wanted = {rel for w in within.values() for rel in w or ()}
        if not listing and not wanted:
            return {q: [] for q in questions}
        paths = self._listing() if listing else {}
        for rel in wanted:
            paths.setdefault(rel, self.root / rel)
        entries = []
        for rel, path in sorted(paths.items()):
            try:
                st = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                entries.append((rel, path, st))
        entry = memo if memo is not None else self.folder
        key = self._key(entries, questions, entry)
        if key is not None:
            found = self.index.get(entry, key)
            if isinstance(found, dict) and all(_text(q) in found for q in questions):
                return {q: [tuple(r) for r in found[_text(q)]] for q in questions}
        files: dict[str, bytes] = {}
        spelled = [b"." + q[0].encode() for q in questions] if imports else []
        imported = b"/" + self.folder.rpartition("/")[2].encode() + b'"'
        for rel, path, _st in entries:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue  # the scan reports what cannot be read
            if not imports or (imported in data and any(w in data for w in spelled)):
                files[rel] = data
        parsed: dict[str, Any] = {}
        answers: dict[tuple[str, str, str], list[Role]] = {}
        for name, token, exclude in questions:
            word = name.encode()
            roles: set[Role] = set()
            only = within.get((name, token, exclude))
            for rel, data in files.items():
                here = rel.rpartition("/")[0] == self.folder
                if rel == exclude or word not in data or (only is None and not here) or \
                        (only is not None and rel not in only):
                    continue
                if rel not in parsed:
                    parsed[rel] = _classifier(data)
                # an external test package (`package api_test` beside `package api`) imports
                # the folder's package: its uses are selectors, as another folder's are
                outside = not here or _external_test(rel, parsed[rel])
                roles |= parsed[rel].held_roles(name, token, qualified=outside)
            answers[(name, token, exclude)] = sorted(roles)
        if key is not None:
            self.index.put(entry, key, {_text(q): [list(r) for r in a]
                                        for q, a in answers.items()})
        return answers

    def _listing(self) -> dict[str, Path]:
        """The folder's Go files (relative to the root), links left out."""
        base = self.root / self.folder if self.folder else self.root
        prefix = f"{self.folder}/" if self.folder else ""
        try:
            return {prefix + e.name: Path(e.path) for e in os.scandir(base)
                    if e.name.endswith(".go") and e.is_file(follow_symlinks=False)}
        except OSError:
            return {}

    def _key(self, entries: list[tuple[str, Path, os.stat_result]],
             questions: list[tuple[str, str, str]], entry: str) -> bytes | None:
        """The memo's key for these files as they are (None: no memo, or a file changed too
        recently to be known by its signature)."""
        if self.index is None:
            return None
        signatures = []
        for rel, _path, st in entries:
            sig = self.index.signature(st)
            if sig is None:
                return None
            signatures.append((rel, sig))
        return self.index.key(entry, marshal.dumps((signatures, questions)))


def _agreed(found: Sequence[Role]) -> Role | None:
    """The one role the uses give a name, or None (no use, or uses that say two things). The
    uses of a log key that differ only in their method agree: ``slog.Info(..., keys.LogRun,
    id)`` and ``slog.Warn(...)`` both log it under that key; the detail names them all (``Info,
    Warn``). Elsewhere the detail says more (a header ``Get`` reads, a ``Set`` writes): it must
    agree too."""
    if len(found) == 1:
        return found[0]
    if not found or any(role != R.LOG_KEY for role, _owner, _detail in found) or \
            len({owner for _role, owner, _detail in found}) != 1:
        return None
    return R.LOG_KEY, found[0][1], ", ".join(sorted({detail for _r, _o, detail in found}))


def _text(question: tuple[str, str, str]) -> str:
    return "\0".join(question)


def _external_test(rel: str, classifier: Any) -> bool:
    """Whether the file is an external test package's (``package api_test``), which sees its
    folder's package as an import."""
    return rel.endswith("_test.go") and classifier.ctx.package.endswith("_test")


def _classifier(data: bytes) -> Any:
    from .gosyntax import GoClassifier, parse

    return GoClassifier(parse(data).root_node, data)

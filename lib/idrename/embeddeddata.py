"""Data files a Go package builds into the program with ``//go:embed``, and their keys.

A JSON, YAML or TOML file of the roots is configuration by default: deployments and users
write it, so its keys are kept (role ``config_key``). A file that a ``//go:embed`` directive
names is no such thing: it is compiled into the program, which decodes it with the tags of its
own structs (``json:"snapshot_date"``), so its keys are the input those tags read. When the plan
renames the tags (a hard cut, a policy's rule or default), the file must move with them, or the
program silently reads nothing (an empty date, no products) and no build says so.

:func:`follow_embedded_data` decides such keys, left at their built-in default, after the tags
of the same name and encoding: those of the folders whose Go files embed the file, else those
of the root. Renamed when every such tag is renamed to one name; kept when every one still reads
the key (kept, dual-emit, accept-both); to review when they disagree or are themselves to
review. A file no directive names keeps its default, unless the roots' Go code names it by a
path (``os.ReadFile("testdata/world.json")`` in a test, ``flag.String("world",
"data/world.json", ...)`` in a program run from its module's folder): the repository's own copy
is then read by the program, and it follows the tags the same way (copies deployed elsewhere
move as the plan's strategy says). A key of a ``testdata`` folder's file, left to review, follows
them when they all move the name or all keep it; when they read both names it stays to review,
since a test's expected document would change.

Go's rules for a directive's patterns (``go doc embed``): each is a ``path.Match`` pattern,
relative to the package's folder, quoted or not; a pattern naming a folder embeds its files
recursively but for those whose names begin with ``.`` or ``_`` (unless the pattern starts
with ``all:``); the package's folder is the data file's or one above it, in the same module.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import roles as R
from .policy import set_decision
from .textfiles import CSV_EXTENSIONS, XML_EXTENSIONS

DECIDED_BY = "embedded-data"
# The decided_by of a row in a testdata folder (left to review by the decisions): a key of a
# data file there follows the tags that decode it when they all move, or all keep the name.
TESTDATA = "testdata"
# The struct tag key that decodes a data file of each language (the inventory's ``language``).
TAG_OF_LANGUAGE = {"json": "json", "yaml": "yaml", "toml": "toml", "xml": "xml", "csv": "csv"}
# Decisions after which a tag still reads its legacy key, and those after which it reads the new
# name only.
_STILL_READS = frozenset({"keep", "ignore", "migrate"})
# ... and the decisions whose patch keeps a JSON tag reading its legacy key beside the new one
# (UnmarshalJSON; the patch writes no such code for the other encodings)
_READS_BOTH = frozenset({"dual", "accept-both"})
_MOVES = frozenset({"rename", "hard-cut", "drop-legacy"})
_DIRECTIVE = re.compile(rb"^[ \t]*//go:embed[ \t]+([^\r\n]*)", re.MULTILINE)


def embed_patterns(data: bytes) -> list[str]:
    """The patterns of a Go file's ``//go:embed`` directives, unquoted, in order. A pattern may
    be a bare word, an interpreted string (``"my file.json"``) or a raw one; a directive that
    does not parse gives what it had before the fault."""
    found: list[str] = []
    for match in _DIRECTIVE.finditer(data):
        found.extend(_split(match.group(1).decode("utf-8", "replace")))
    return found


def _split(text: str) -> list[str]:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in " \t":
            i += 1
        elif text[i] == "`":
            end = text.find("`", i + 1)
            if end < 0:
                break
            out.append(text[i + 1 : end])
            i = end + 1
        elif text[i] == '"':
            word, i = _interpreted(text, i + 1)
            if word is None:
                break
            out.append(word)
        else:
            end = i
            while end < n and text[end] not in " \t":
                end += 1
            out.append(text[i:end])
            i = end
    return out


def _interpreted(text: str, i: int) -> tuple[str | None, int]:
    """The string that starts after the quote at ``i - 1`` (simple escapes), and where it
    ends; None when it is not closed."""
    chars: list[str] = []
    while i < len(text):
        c = text[i]
        if c == '"':
            return "".join(chars), i + 1
        if c == "\\" and i + 1 < len(text):
            chars.append({"n": "\n", "t": "\t"}.get(text[i + 1], text[i + 1]))
            i += 2
            continue
        chars.append(c)
        i += 1
    return None, i


def pattern_embeds(pattern: str, rel: str) -> bool:
    """Whether a directive's pattern, relative to a package's folder, embeds the file at
    ``rel`` (relative to that folder, ``/``-separated)."""
    every = pattern.startswith("all:")
    if every:
        pattern = pattern[len("all:") :]
    parts, names = pattern.split("/"), rel.split("/")
    if not pattern or len(parts) > len(names):
        return False
    if not all(_component(p).fullmatch(n) for p, n in zip(parts, names, strict=False)):
        return False
    inside = names[len(parts) :]  # below a folder the pattern names
    return every or not any(n.startswith((".", "_")) for n in inside)


_COMPONENTS: dict[str, re.Pattern[str]] = {}


def _component(pattern: str) -> re.Pattern[str]:
    """A ``path.Match`` pattern of one path element as a regular expression (``*`` and ``?``
    never match ``/``; ``[^a-z]`` negates a class; a backslash quotes)."""
    if pattern in _COMPONENTS:
        return _COMPONENTS[pattern]
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end]
                negate = body.startswith("^")
                body = body[1:] if negate else body
                out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    try:
        compiled = re.compile("".join(out))
    except re.error:
        compiled = re.compile(re.escape(pattern))
    _COMPONENTS[pattern] = compiled
    return compiled


# a directive, the comments after it, then the variable it sets (`var data []byte`, or a
# spec of a `var (...)` block)
_EMBEDDED_VAR = re.compile(rb"^[ \t]*//go:embed[^\n]*\n(?:[ \t]*//[^\n]*\n)*[ \t]*"
                           rb"(?:var[ \t]+)?([A-Za-z_]\w*)", re.MULTILINE)


def path_names(root: Path, go: str, literal: str, embedders: Embedders | None = None,
               label: str = "") -> str | None:
    """The file or folder of ``root`` (relative, ``/``-separated) that a Go string of the file
    ``go`` names as a path (see :func:`_resolved`; a bare name may also be a file that its
    package embeds from a folder, :meth:`Embedders.folders`, or a file of a folder just below
    the Go file's or its module's, which a program joins to a folder it holds in a variable,
    ``filepath.Join(testfilesBase, "global-section.ini")``: :meth:`Embedders.subfolders`), or
    None. Only a string that looks like a path is taken: with a ``/`` or a file name's
    extension. ``embedders``: the roots' (``root`` is root ``label`` of them), to read each
    folder's directives once."""
    if not looks_like_path(literal):
        return None
    for rel in _resolved(root, go, literal):
        if rel == "." or rel.startswith("../"):
            continue
        if _GLOB.search(rel) is not None:
            # a pattern (`fs.Glob(fixtures, "testdata/manifest/*.toml")`): what it matches
            found = next(iter(root.glob(rel)), None) if _globbable(rel) else None
            if found is not None:
                return found.relative_to(root).as_posix()
        elif (root / rel).exists():
            return rel
    if "/" not in literal:  # a bare name, of a file the package embeds from a folder
        if embedders is None:
            embedders, label = Embedders({"": root}), ""
        for folder in [*embedders.folders(label, go.rpartition("/")[0]),
                       *embedders.subfolders(label, go)]:
            rel = posixpath.join(folder, literal)
            if (root / rel).is_file():
                return rel
    return None


def looks_like_path(literal: str) -> bool:
    """Whether a string may be a relative path that :func:`path_names` looks up: with a ``/``
    or a file name's extension, and no space or ``:`` (a pattern's ``*``, ``?`` and ``[...]``
    are taken)."""
    return bool(literal) and not any(c in literal for c in " \t\n:") and \
        not literal.startswith("/") and ("/" in literal or _EXTENSION.search(literal) is not None)


_GLOB = re.compile(r"[*?\[]")


def _globbable(pattern: str) -> bool:
    """Whether a pattern is one :meth:`pathlib.Path.glob` reads as Go's ``path.Match`` does
    (no ``**``, no empty part, brackets closed)."""
    return "**" not in pattern and "//" not in pattern and \
        pattern.count("[") == pattern.count("]")


def _resolved(root: Path, go: str, literal: str) -> list[str]:
    """The paths (relative to ``root``) that the Go file ``go``'s string ``literal`` may name:
    from the file's folder (a test runs there), from its module's (a program run there), and
    for a bare name from their ``testdata`` folders (``filepath.Join("testdata", name)``, a
    fixture helper's)."""
    folder = go.rpartition("/")[0]
    module = module_folder(root, folder)
    starts = [folder, module]
    if "/" not in literal:
        starts += [posixpath.join(folder, "testdata"), posixpath.join(module, "testdata")]
    return [posixpath.normpath(posixpath.join(start, literal)) for start in starts]


def module_folder(root: Path, folder: str) -> str:
    """The folder (relative to ``root``) of the nearest ``go.mod`` at or above ``folder``, up
    to the root ("" at the root, or when none is found)."""
    while folder and not (root / folder / "go.mod").is_file():
        folder = folder.rpartition("/")[0]
    return folder


_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$")
# A Go string that is the path of a data file (``"testdata/world.json"``), and the folders a
# search for them does not walk.
_DATA_EXTENSIONS = "|".join(["json", "ya?ml", "toml", "golden", *sorted(e[1:] for e in (
    *XML_EXTENSIONS, *CSV_EXTENSIONS))]).encode()
_DATA_PATH = re.compile(rb'"([^"\\\n]*\.(?:' + _DATA_EXTENSIONS + rb'))"|`([^`\n]*\.(?:'
                        + _DATA_EXTENSIONS + rb'))`', re.IGNORECASE)
_NOT_WALKED = frozenset({".git", ".hg", ".svn", "vendor", "node_modules"})


def embedded_vars(data: bytes) -> list[str]:
    """The variables a Go file's ``//go:embed`` directives fill, in order."""
    return [m.group(1).decode() for m in _EMBEDDED_VAR.finditer(data)
            if m.group(1) not in (b"var", b"func", b"type", b"const")]


class Embedders:
    """Which Go files of the roots embed a data file (each folder's Go files read once)."""

    def __init__(self, roots: Mapping[str, str | Path]) -> None:
        self._roots = {label: Path(path) for label, path in roots.items()}
        self._folders: dict[tuple[str, str], list[tuple[str, list[str]]]] = {}
        self._named: dict[str, dict[str, list[tuple[str, str]]]] = {}  # see _paths
        self._below: dict[tuple[str, str], list[str]] = {}  # see subfolders

    def of(self, label: str, rel: str) -> list[str]:
        """The Go files (paths relative to the root) whose directives embed the file ``rel``
        of root ``label``: in its folder and those above it, up to the root or a ``go.mod``."""
        root = self._roots.get(label)
        if root is None:
            return []
        found = []
        folder = rel.rpartition("/")[0]
        while True:
            below = rel[len(folder) + 1 :] if folder else rel
            directives = self._directives(label, root, folder)
            found.extend(go for go, patterns in directives
                         if any(pattern_embeds(p, below) for p in patterns))
            if not folder or (root / folder / "go.mod").is_file():
                return found
            folder = folder.rpartition("/")[0]

    def readers(self, label: str, rel: str) -> list[tuple[str, str]]:
        """(Go file, its string) of the Go files of root ``label`` that name the data file
        ``rel`` by a path (a test's ``"testdata/x.json"``, ``"../../data/world.json"``, a
        program's ``"data/world.json"``: see :func:`_resolved`)."""
        root = self._roots.get(label)
        if root is None:
            return []
        return [(go, literal) for go, literal in self._paths(label, root).get(
            rel.rpartition("/")[2], []) if rel in _resolved(root, go, literal)]

    def _paths(self, label: str, root: Path) -> dict[str, list[tuple[str, str]]]:
        """The strings of the root's Go files that end in a data file's name, by that name."""
        if label not in self._named:
            index: dict[str, list[tuple[str, str]]] = {}
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if d not in _NOT_WALKED)
                for name in sorted(files):
                    if not name.endswith(".go"):
                        continue
                    path = os.path.join(folder, name)
                    try:
                        with open(path, "rb") as fh:
                            data = fh.read()
                    except OSError:
                        continue
                    go = os.path.relpath(path, root).replace(os.sep, "/")
                    for match in _DATA_PATH.finditer(data):
                        literal = (match.group(1) or match.group(2)).decode("utf-8", "replace")
                        index.setdefault(literal.rpartition("/")[2], []).append((go, literal))
            self._named[label] = index
        return self._named[label]

    def variables(self, label: str, folder: str) -> set[str]:
        """The variables that the directives of a folder's Go files fill."""
        root = self._roots.get(label)
        if root is None:
            return set()
        found: set[str] = set()
        for go, _patterns in self._directives(label, root, folder):
            try:
                found.update(embedded_vars((root / go).read_bytes()))
            except OSError:
                continue
        return found

    def folders(self, label: str, folder: str) -> list[str]:
        """The folders (relative to the root) from which the Go files of ``folder`` of root
        ``label`` embed files: each ``//go:embed`` pattern's folder (``templates/*.html``:
        ``templates``), or the pattern where it is one. A program names such a file by its bare
        name (``template.ParseFS(fs, "templates/"+name)`` with ``name`` ``"report.html"``)."""
        root = self._roots.get(label)
        found: list[str] = []
        if root is None:
            return found
        for _go, patterns in self._directives(label, root, folder):
            for pattern in patterns:
                rel = posixpath.normpath(posixpath.join(folder, pattern.removeprefix("all:")))
                if not (root / rel).is_dir():
                    rel = posixpath.dirname(rel)
                if rel not in found and rel not in (folder, ".") and not rel.startswith("../"):
                    found.append(rel)
        return found

    def subfolders(self, label: str, go: str) -> list[str]:
        """The folders (relative to the root) just below the folder of the Go file ``go`` and
        of its module's, where a program or a test joins a file's bare name to a folder it
        holds in a variable or a constant (``filepath.Join(testfilesBase, name)``)."""
        root = self._roots.get(label)
        if root is None:
            return []
        folder = go.rpartition("/")[0]
        found: list[str] = []
        for start in dict.fromkeys((folder, module_folder(root, folder))):
            key = (label, start)
            if key not in self._below:
                try:
                    names = sorted(e.name for e in os.scandir(root / start)
                                   if e.is_dir() and not e.name.startswith(".")
                                   and e.name not in _NOT_WALKED)
                except OSError:
                    names = []
                self._below[key] = [posixpath.join(start, n) if start else n for n in names]
            found.extend(self._below[key])
        return found

    def _directives(self, label: str, root: Path, folder: str) -> list[tuple[str, list[str]]]:
        key = (label, folder)
        if key not in self._folders:
            found = []
            try:
                names = sorted(p.name for p in (root / folder).iterdir()
                               if p.name.endswith(".go") and p.is_file())
            except OSError:
                names = []
            for name in names:
                try:
                    data = (root / folder / name).read_bytes()
                except OSError:
                    continue
                if b"go:embed" in data:
                    patterns = embed_patterns(data)
                    if patterns:
                        found.append((f"{folder}/{name}" if folder else name, patterns))
            self._folders[key] = found
        return self._folders[key]


def follow_embedded_data(frame: Any, values: dict[str, list[Any]]) -> bool:
    """Decide the keys of embedded data files left at their built-in default (see the module
    doc). ``frame``: the decided inventory (its ``attrs["roots"]`` gives the folders);
    ``values``: the columns ``decision``, ``rationale``, ``decided_by`` and ``target`` as
    lists, changed in place. True when a row changed."""
    roots = frame.attrs.get("roots") or {}
    if not roots or "language" not in frame.columns:
        return False
    roles_, languages = frame["role"].tolist(), frame["language"].tolist()
    wanted = [i for i, (role, language) in enumerate(zip(roles_, languages, strict=True))
              if role == R.CONFIG_KEY and language in TAG_OF_LANGUAGE
              and values["decided_by"][i] in (f"builtin:{R.CONFIG_KEY}", TESTDATA)]
    if not wanted:
        return False
    labels, paths, texts, _details, owners, tags = tag_columns(frame, roles_)
    embedders = Embedders(roots)
    changed = False
    for i in wanted:
        label, path, text = str(labels[i]), str(paths[i]), str(texts[i])
        kind = TAG_OF_LANGUAGE[languages[i]]
        candidates = tags.get((label, kind, text))
        if not candidates:
            continue
        embedding = embedders.of(label, path)
        how = f"which `//go:embed` in {embedding[0]} builds into the program" if embedding \
            else ""
        if not embedding:
            named = embedders.readers(label, path)
            if not named:
                continue
            embedding = [go for go, _literal in named]
            how = f"which {named[0][0]} reads by its path ({named[0][1]!r})"
        folders = {go.rpartition("/")[0] for go in embedding}
        near = [j for j in candidates if str(paths[j]).rpartition("/")[0] in folders]
        scope = near or candidates
        decision, target, why = _decision(scope, values, text, kind, path, how,
                                          [place(paths[j], owners[j]) for j in scope])
        if values["decided_by"][i] == TESTDATA and (decision == "review" or (
                decision == "keep" and any(values["decision"][j] in _READS_BOTH
                                           for j in scope))):
            continue  # (a test's expected document changes under both names: to review)
        set_decision(values, i, decision, why, DECIDED_BY, target)
        changed = True
    return changed


def tag_columns(frame: Any, roles_: list[Any]) -> tuple[list[Any], list[Any], list[Any],
                                                        list[Any], list[Any],
                                                        dict[tuple[str, str, str], list[int]]]:
    """The columns a pass following the struct tags reads from a decided frame (``roles_``: its
    roles): its roots, paths, texts, details and owners as lists, and :func:`struct_tags`."""
    labels, paths = frame["root"].tolist(), frame["path"].tolist()
    texts, details = frame["text"].tolist(), frame["detail"].tolist()
    owners = frame["owner"].tolist() if "owner" in frame.columns else [""] * len(frame)
    return labels, paths, texts, details, owners, struct_tags(roles_, labels, details, texts)


def struct_tags(roles_: list[Any], labels: list[Any], details: list[Any], texts: list[Any]
                ) -> dict[tuple[str, str, str], list[int]]:
    """The struct tag rows of a decided frame's columns, by (root, tag key, name)."""
    tags: dict[tuple[str, str, str], list[int]] = {}
    for j, role in enumerate(roles_):
        if role == R.STRUCT_TAG:  # (detail: the tag's key, with its options: json:omitempty)
            key = str(details[j]).split(":", 1)[0]
            tags.setdefault((str(labels[j]), key, str(texts[j])), []).append(j)
    return tags


def place(path: Any, owner: Any) -> str:
    """A tag's place in a rationale: its struct and file, ``Track (track/track.go)``."""
    owner = owner if isinstance(owner, str) and owner else ""
    return f"{owner} ({path})" if owner else str(path)


def tags_move(scope: list[int], values: dict[str, list[Any]], kind: str) -> str | None:
    """What the tag rows ``scope`` (of the tag key ``kind``) do with their name: the new name
    when every one is renamed to it, "" when every one still reads the old name (a JSON tag
    under dual-emit and accept-both too), None when they are decided apart or to review."""
    decisions = [str(values["decision"][j]) for j in scope]
    targets = {str(values["target"][j]) for j in scope if values["decision"][j] in _MOVES}
    if all(d in _MOVES for d in decisions) and len(targets) == 1:
        return targets.pop()
    reads = _STILL_READS | _READS_BOTH if kind == "json" else _STILL_READS
    return "" if all(d in reads for d in decisions) else None


def _decision(scope: list[int], values: dict[str, list[Any]], text: str, kind: str, path: str,
              how: str, places: list[str]) -> tuple[str, str, str]:
    """(decision, target, rationale) of a key that the tag rows ``scope`` decode; ``how``: how
    the program comes to read the file."""
    decisions = [str(values["decision"][j]) for j in scope]
    named = ", ".join(sorted(set(places))[:3]) + (" and others" if len(set(places)) > 3 else "")
    what = f"a key of {path}, {how}, decoded by the {kind} tag {text} of {named}"
    new = tags_move(scope, values, kind)
    if new:
        return "rename", new, (f"{what}, which this plan renames to {new}: renamed with it, "
                               "else the program would no longer read it (and no build says so)")
    if new == "":
        how = "/".join(sorted(set(decisions)))
        return "keep", text, f"{what}, which still reads {text} ({how}): kept"
    if "review" in decisions:
        return "review", text, (f"{what}, which is to review: decide it with the tag (renamed "
                                "with it, kept while the tag still reads it)")
    return "review", text, (f"{what}; those tags are decided apart ("
                            f"{', '.join(sorted(set(decisions)))}): rename it with the tags "
                            "that decode it, keep it while they read it")

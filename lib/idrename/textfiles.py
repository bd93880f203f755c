"""Family occurrences in the data and text files around a Go backend that are none of the
languages :mod:`idrename.consumers` parses: XML documents, CSV tables, and plain text (a test's
golden file, a shell script, a Makefile, a Dockerfile, notes).

Which files are read (:func:`text_language`):

- XML by extension (``.xml``, ``.gpx``, ``.kml``, ``.svg``, ``.xsd``, ``.plist``...): an
  element's or an attribute's name is a ``config_key`` (``detail`` ``element`` or
  ``attribute``; ``symbol`` the path of elements down to it, ``gpx/trk/trkseg``), what an element
  or an attribute holds is a ``config_value``, a ``<!-- -->`` comment a ``config_comment``;
- CSV and TSV by extension: a cell of the first line is a ``config_key`` (``detail``
  ``header``), every other cell a ``config_value`` whose symbol is its column's header;
- plain text (role ``plain_text``) by extension or name (``.txt``, ``.golden``, ``.sh``,
  ``Makefile``, ``Dockerfile``...) and every other text file in a ``testdata`` folder, the
  data Go's tests read, whatever its name.

A plain text file that holds a whole JSON or XML document (a golden file, `{"run_id":"r1"}`) is
read as one (:func:`sniffed`), so its keys are keys. A file of a ``testdata`` folder that holds
NUL bytes is data, not text: it is passed over without a word.

Keys of XML and CSV files that the program builds in or reads by their path follow the ``xml``
and ``csv`` tags that decode them (:mod:`idrename.embeddeddata`), as JSON, YAML and TOML keys
do; the rest is kept (the built-in default for these roles), and whatever a ``testdata`` file
holds is left to review.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from idrename import roles

if TYPE_CHECKING:
    from idrename.consumers import _Emitter
    from idrename.spec import Spec

XML_EXTENSIONS = frozenset({".xml", ".gpx", ".kml", ".svg", ".xsd", ".xsl", ".xslt", ".wsdl",
                            ".plist", ".rss", ".atom", ".xhtml", ".xliff", ".xlf", ".resx"})
CSV_EXTENSIONS = {".csv": b",", ".tsv": b"\t"}
# extension or file name -> the language column's value of its rows
PLAIN_EXTENSIONS = {".txt": "text", ".text": "text", ".golden": "text", ".rst": "text",
                    ".adoc": "text", ".sh": "shell", ".bash": "shell", ".zsh": "shell",
                    ".mk": "make", ".graphql": "graphql", ".gql": "graphql", ".hcl": "hcl",
                    ".tf": "hcl", ".tfvars": "hcl", ".properties": "text", ".conf": "text",
                    ".cfg": "text"}
PLAIN_NAMES = {"Makefile": "make", "GNUmakefile": "make", "makefile": "make",
               "Justfile": "make", "justfile": "make", "Dockerfile": "docker",
               "Containerfile": "docker", "Procfile": "text"}
TESTDATA = "testdata"
# Languages whose prose may write a term's words apart (`the run ID`), as Markdown's does
_PROSE_LANGUAGES = frozenset({"text"})


def text_language(rel: str) -> str | None:
    """The language of a file that this module reads (``xml``, ``csv``, ``text``, ``shell``,
    ``make``, ``docker``, ``graphql``, ``hcl``), from its path relative to its root; None for
    the other files (those :mod:`idrename.consumers` parses, Go, and any other file outside a
    ``testdata`` folder)."""
    path = PurePosixPath(rel)
    language = _named_language(path)
    if language is None and TESTDATA in path.parts[:-1] and not _parsed_elsewhere(path):
        return "text"
    return language


def _parsed_elsewhere(path: PurePosixPath) -> bool:
    """A Go file, or one of a language :mod:`idrename.consumers` parses (`.env` included)."""
    from idrename.consumers import CONSUMER_EXTENSIONS

    name = path.name.lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    return suffix == ".go" or suffix in CONSUMER_EXTENSIONS


def sniffed(language: str, data: bytes) -> tuple[str, str]:
    """(language, scanner) of a file :func:`text_language` reads as ``language``: a plain text
    file (a golden file, a file of a ``testdata`` folder) that holds a JSON document is read as
    JSON (scanner ``json``), and one that holds an XML document as XML; else ``language`` and
    this module's scanner (``text``)."""
    if language != "text":
        return language, "text"
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            json.loads(data)
        except ValueError:
            return language, "text"
        return "json", "json"
    if head == b"<" and _XML_DOCUMENT.match(data.lstrip()) is not None and (
            b"</" in data or b"/>" in data):
        return "xml", "text"
    return language, "text"


_XML_DOCUMENT = re.compile(rb"<(?:\?xml|!--|[A-Za-z_][\w.:-]*[\s/>])")


def only_in_testdata(rel: str) -> bool:
    """Whether a file of no language :mod:`idrename.consumers` parses is read only for being
    in a ``testdata`` folder (its name alone would not have it read): such a file holding NUL
    bytes is data, passed over without a word."""
    path = PurePosixPath(rel)
    return TESTDATA in path.parts[:-1] and _named_language(path) is None


def _named_language(path: PurePosixPath) -> str | None:
    suffix = path.suffix.lower()
    if suffix in XML_EXTENSIONS:
        return "xml"
    if suffix in CSV_EXTENSIONS:
        return "csv"
    language = PLAIN_EXTENSIONS.get(suffix) or PLAIN_NAMES.get(path.name)
    if language is None and (path.name.startswith(("Dockerfile.", "Containerfile."))
                             or suffix == ".dockerfile"):
        language = "docker"
    return language


def scan_text(out: _Emitter, data: bytes, spec: Spec) -> None:
    """Add every family occurrence of one file of :func:`text_language`'s languages to
    ``out`` (whose ``language`` is that language)."""
    if out.language == "xml":
        _emit(out, data, spec, _xml_regions(data))
    elif out.language == "csv":
        suffix = PurePosixPath(out.path).suffix.lower()
        _emit(out, data, spec, _csv_regions(data, CSV_EXTENSIONS.get(suffix, b",")))
    else:
        for hit in spec.find(data, prose=out.language in _PROSE_LANGUAGES):
            out.add(hit, roles.PLAIN_TEXT)


# (start, end, role, symbol, detail) of each part of a file, in order, back to back
_Region = tuple[int, int, str, str, str]


def _emit(out: _Emitter, data: bytes, spec: Spec, regions: list[_Region]) -> None:
    starts = [r[0] for r in regions]
    for hit in spec.find(data):
        i = bisect.bisect_right(starts, hit.start) - 1
        if i < 0:
            out.add(hit, roles.CONFIG_VALUE)
            continue
        _, _, role, symbol, detail = regions[i]
        out.add(hit, role, symbol=symbol, detail=detail)


# -- XML (a tolerant tokenizer: a document that is not well formed still gives its names) ------
_XML_NAME = re.compile(rb"[^\s/>=\"'<]+")
_XML_ATTRIBUTE = re.compile(rb"""\s*([^\s/>=\"'<]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
# (opening, closing) of the parts of a document that are not elements
_XML_SPECIALS = ((b"<!--", b"-->", roles.CONFIG_COMMENT), (b"<![CDATA[", b"]]>", roles.CONFIG_VALUE),
                 (b"<?", b"?>", roles.CONFIG_VALUE), (b"<!", b">", roles.CONFIG_VALUE))


def _xml_regions(data: bytes) -> list[_Region]:
    regions: list[_Region] = []
    stack: list[str] = []
    pos, size = 0, len(data)

    def path() -> str:
        return "/".join(stack)

    while pos < size:
        lt = data.find(b"<", pos)
        if lt < 0:
            lt = size
        if lt > pos:
            regions.append((pos, lt, roles.CONFIG_VALUE, path(), ""))
        if lt >= size:
            break
        special = next((s for s in _XML_SPECIALS if data.startswith(s[0], lt)), None)
        if special is not None:
            close = data.find(special[1], lt + len(special[0]))
            end = size if close < 0 else close + len(special[1])
            regions.append((lt, end, special[2], path(), ""))
            pos = end
            continue
        closing = data.startswith(b"</", lt)
        name_at = lt + (2 if closing else 1)
        name = _XML_NAME.match(data, name_at)
        if name is None:  # a lone `<` in text
            regions.append((lt, lt + 1, roles.CONFIG_VALUE, path(), ""))
            pos = lt + 1
            continue
        element = name.group().decode("utf-8", "replace")
        if closing:
            if element in stack:
                while stack and stack.pop() != element:
                    pass
            regions.append((lt, name.end(), roles.CONFIG_KEY, "/".join([*stack, element]),
                            "element"))
            end = data.find(b">", name.end())
            end = size if end < 0 else end + 1
            regions.append((name.end(), end, roles.CONFIG_VALUE, path(), ""))
            pos = end
            continue
        stack.append(element)
        regions.append((lt, name.end(), roles.CONFIG_KEY, path(), "element"))
        pos = name.end()
        while pos < size:
            attribute = _XML_ATTRIBUTE.match(data, pos)
            if attribute is None or attribute.end() == pos:
                break
            regions.append((pos, attribute.end(1), roles.CONFIG_KEY,
                            f"{path()}@{attribute.group(1).decode('utf-8', 'replace')}",
                            "attribute"))
            if attribute.end() > attribute.end(1):
                regions.append((attribute.end(1), attribute.end(), roles.CONFIG_VALUE,
                                f"{path()}@{attribute.group(1).decode('utf-8', 'replace')}", ""))
            pos = attribute.end()
        end = data.find(b">", pos)
        end = size if end < 0 else end + 1
        if data[max(pos, end - 2):end] == b"/>":
            stack.pop()
        regions.append((pos, end, roles.CONFIG_VALUE, path(), ""))
        pos = end
    return regions


# -- CSV and TSV ---------------------------------------------------------------------------------
def _csv_regions(data: bytes, delimiter: bytes) -> list[_Region]:
    """Each cell of a table (a quoted cell may hold the delimiter, quotes and line ends): those
    of the first record that is not blank are its header."""
    d = re.escape(delimiter)
    tokens = re.compile(rb'"(?:[^"]|"")*"?|' + d + rb"|\n|[^\n\"" + d + rb"]+")
    regions: list[_Region] = []
    headers: list[str] | None = None
    cells: list[tuple[int, int]] = []
    start = 0
    for m in tokens.finditer(data):
        if m.group() not in (delimiter, b"\n"):
            continue
        cells.append((start, m.start()))
        start = m.end()
        if m.group() == b"\n":
            headers = _csv_record(data, cells, headers, regions)
            cells = []
    if start < len(data) or cells:
        cells.append((start, len(data)))
        _csv_record(data, cells, headers, regions)
    return regions


def _csv_record(data: bytes, cells: list[tuple[int, int]], headers: list[str] | None,
                regions: list[_Region]) -> list[str] | None:
    """Add one record's cells to ``regions``; the headers after it (the first record that is
    not blank gives them)."""
    if headers is None:
        names = [data[a:b].strip().strip(b'"').decode("utf-8", "replace") for a, b in cells]
        blank = not any(names)
        for (a, b), name in zip(cells, names, strict=True):
            regions.append((a, b, roles.CONFIG_VALUE if blank else roles.CONFIG_KEY, name,
                            "" if blank else "header"))
        return None if blank else names
    for column, (a, b) in enumerate(cells):
        symbol = headers[column] if column < len(headers) else ""
        regions.append((a, b, roles.CONFIG_VALUE, symbol, ""))
    return headers

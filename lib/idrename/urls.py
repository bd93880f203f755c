"""Names inside absolute URLs of other hosts: a link in a comment or a README
(``https://github.com/acme/runid-spec``), an XML namespace (``http://www.topografix.com/GPX/1/1``),
another service's endpoint (``https://api.acme.io/v1/runs?runid=``).

The host serves such a URL under its own names whatever the code is called, so a rename that
moved a part of it would break the link, the namespace or the call. :func:`mark_external` gives
every occurrence of a string, a comment or a document's text that lies inside one the role
``external_url`` (kept by default; a policy's default for strings does not reach it), with the
host as its detail.

A URL of the program's own hosts is left as it was classified: ``localhost``, loopback and
private addresses, a host without a dot (a service's name on an internal network), the names
reserved for documentation and tests (``example.com``, ``*.test``, ``*.local``, ...), and a host
built at run time (``http://%s/runs``, ``http://{host}/``). Their paths are routes of the code's
own servers, which the routes' decisions cover.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from . import roles as R
from .occurrence import Occurrence

# The roles whose text may hold a URL: strings, comments and documents' text. An identifier, an
# import path, a directive or an unparsed row never moves here.
URL_ROLES = frozenset({
    R.STRING, R.MESSAGE, R.COMMENT, R.DOC_COMMENT, R.EXAMPLE_OUTPUT, R.PATH_SEGMENT,
    R.QUERY_PARAM, R.STRUCT_TAG, R.TEMPLATE_TEXT, R.TEMPLATE_COMMENT, R.DOC_TEXT,
    R.CONFIG_VALUE, R.CONFIG_COMMENT, R.TS_STRING, R.TS_COMMENT, R.PROTO_COMMENT,
    R.SQL_COMMENT, R.PLAIN_TEXT,
})

# The last labels of the hosts a module path or a link without its scheme starts with
# (`github.com/acme/runid`, `gopkg.in/yaml.v3`, `go.uber.org/zap`): not a file's extension
# (`main.go/`, `README.md/`).
_TLDS = (b"com|org|net|io|dev|app|in|me|co|ai|gov|edu|info|biz|us|uk|de|fr|nl|jp|cn|ru|eu|ca|"
         b"au|ch|se|no|fi|dk|it|es|pl|cz|be|at|br|kr|tw|xyz|tech|cloud|page|site|tools|ly|tv|"
         b"cc|gg|im|is|li|nz|sg|hk")
# A URL: scheme://authority (group 1), or a dotted host whose last label is one of those
# followed by a path (group 2), then the path, query and fragment, up to a space, a quote, an
# escape, a bracket or a template's brace. `file:` URLs name the program's own files.
_URL_RE = re.compile(
    rb"(?:(?<![A-Za-z0-9+.\-])(?!file:)[A-Za-z][A-Za-z0-9+.\-]{0,15}://"
    rb"([^/?#\s\"'`<>\\(){}\[\]|]*)"
    rb"|(?<![A-Za-z0-9+.\-/@:_])((?:[a-z0-9][a-z0-9\-]*\.)+(?:" + _TLDS + rb"))(?=/))"
    rb"[^\s\"'`<>\\(){}\[\]|]*"
)
_LOCAL_NAMES = frozenset({"localhost", "0.0.0.0", "::1", "example.com", "example.org",
                          "example.net"})
_LOCAL_SUFFIXES = (".localhost", ".local", ".test", ".example", ".invalid", ".internal",
                   ".localdomain", ".lan", ".home.arpa", ".example.com", ".example.org",
                   ".example.net")
_PRIVATE_RE = re.compile(r"^(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)")
_BUILT = frozenset("%${")  # a host filled in at run time


def host_of(authority: str) -> str:
    """The host of a URL's authority (``user@Host:8080`` -> ``host``, ``[::1]:80`` -> ``::1``),
    lower-cased, without a final dot."""
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    else:
        host = host.partition(":")[0]
    return host.lower().rstrip(".")


def is_external(host: str) -> bool:
    """Whether a URL's host is another party's: a dotted name or a public address, neither the
    program's own (loopback, private, a bare service name) nor reserved for examples and
    tests."""
    if not host or "." not in host or any(c in _BUILT for c in host):
        return False
    if host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES) or _PRIVATE_RE.match(host):
        return False
    return True


def external_urls(line: bytes) -> list[tuple[int, int, str]]:
    """(start, end, host) of each URL of another host in ``line``."""
    out = []
    for m in _URL_RE.finditer(line):
        authority = m.group(1) if m.group(1) is not None else m.group(2)
        host = host_of(authority.decode("utf-8", "replace"))
        if is_external(host):
            out.append((m.start(), m.end(), host))
    return out


def mark_external(data: bytes, occurrences: Sequence[Occurrence]) -> list[Occurrence]:
    """``occurrences`` of the file ``data``, those inside a URL of another host given the role
    ``external_url`` and the host as their detail (the others unchanged). Only the lines that
    hold such an occurrence and a slash are searched (a URL spans no line end)."""
    lines: dict[int, list[tuple[int, int, str]]] = {}  # a line's start -> its URLs, absolute
    out: list[Occurrence] = []
    for o in occurrences:
        if o.role in URL_ROLES:
            first = data.rfind(b"\n", 0, o.start_byte) + 1
            urls = lines.get(first)
            if urls is None:
                last = data.find(b"\n", o.end_byte)
                line = data[first : last if last >= 0 else len(data)]
                urls = lines[first] = [(first + a, first + b, host) for a, b, host in
                                       external_urls(line)] if b"/" in line else []
            for a, b, host in urls:
                if a <= o.start_byte and o.end_byte <= b:
                    o = replace(o, role=R.EXTERNAL_URL, detail=host)
                    break
        out.append(o)
    return out

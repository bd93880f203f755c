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

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

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

# scheme://authority then the path, query and fragment, up to a space, a quote, an escape, a
# bracket or a template's brace. `file:` URLs name the program's own files.
_URL_RE = re.compile(
    rb"(?<![A-Za-z0-9+.\-])(?!file:)[A-Za-z][A-Za-z0-9+.\-]{0,15}://"
    rb"([^/?#\s\"'`<>\\(){}\[\]|]*)"
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


@dataclass(frozen=True)
class ExternalURLs:
    """The spans of the absolute URLs of other hosts in one file, sorted by their start."""

    starts: list[int]
    ends: list[int]
    hosts: list[str]

    @classmethod
    def of(cls, data: bytes) -> ExternalURLs:
        starts: list[int] = []
        ends: list[int] = []
        hosts: list[str] = []
        if b"://" in data:
            for m in _URL_RE.finditer(data):
                host = host_of(m.group(1).decode("utf-8", "replace"))
                if is_external(host):
                    starts.append(m.start())
                    ends.append(m.end())
                    hosts.append(host)
        return cls(starts, ends, hosts)

    def host_around(self, start: int, end: int) -> str | None:
        """The host of the URL that holds the bytes [start, end), or None."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and end <= self.ends[i]:
            return self.hosts[i]
        return None


def mark_external(data: bytes, occurrences: Sequence[Occurrence]) -> list[Occurrence]:
    """``occurrences`` of the file ``data``, those inside a URL of another host given the role
    ``external_url`` and the host as their detail (the others unchanged)."""
    if b"://" not in data:
        return list(occurrences)
    urls: ExternalURLs | None = None
    out: list[Occurrence] = []
    for o in occurrences:
        if o.role in URL_ROLES:
            if urls is None:
                urls = ExternalURLs.of(data)
                if not urls.starts:
                    return list(occurrences)
            host = urls.host_around(o.start_byte, o.end_byte)
            if host is not None:
                o = replace(o, role=R.EXTERNAL_URL, detail=host)
        out.append(o)
    return out

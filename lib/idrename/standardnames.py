"""Wire names that a standard, not the code, defines: HTTP's header fields, media types.

``Cookie``, ``Authorization`` or ``User-Agent`` mean what the HTTP specifications (and the
registry of header fields) say, and every client, proxy and server reads them by that name: a
rename of the Go concept that spells one (``--from Cookie``, ``--from UserAgent``) renames the
Go names only. Sending a second, new header beside it (dual-emit) would be a header no one reads,
and reading it first would read nothing. The list holds the registered fields in common use, the
CORS, WebSocket and trace-context ones, and the ``X-`` fields every proxy and browser knows;
an application's own ``X-`` headers (``X-Request-ID``) are not in it. Compared without case,
as HTTP compares header names.

A media type (``multipart/form-data``, ``application/x-www-form-urlencoded``, and a vendor's
``application/vnd.acme.order+json``, which its clients ask for by name) and the ``form-data``
disposition are left as they are too, wherever they are written (a string, a message, a
comment): under ``--from Form``, a server that checks for ``multipart/input-data`` refuses
every upload. So is CGI's variable of a standard header (``HTTP_COOKIE``), which the web server
sets, and an HTTP method in capitals (``GET``, ``DELETE``: under ``--from Get``, a message's
``"DELETE/GET/HEAD"`` names the protocol's methods).
"""

from __future__ import annotations

import re

_HEADERS = """
Accept Accept-Charset Accept-Encoding Accept-Language Accept-Patch Accept-Post Accept-Ranges
Access-Control-Allow-Credentials Access-Control-Allow-Headers Access-Control-Allow-Methods
Access-Control-Allow-Origin Access-Control-Expose-Headers Access-Control-Max-Age
Access-Control-Request-Headers Access-Control-Request-Method Age Allow Alt-Svc Authorization
Cache-Control Clear-Site-Data Connection Content-Disposition Content-Encoding Content-Language
Content-Length Content-Location Content-Range Content-Security-Policy
Content-Security-Policy-Report-Only Content-Type Cookie Cross-Origin-Embedder-Policy
Cross-Origin-Opener-Policy Cross-Origin-Resource-Policy Date Early-Data ETag Expect Expires
Forwarded From Host If-Match If-Modified-Since If-None-Match If-Range If-Unmodified-Since
Keep-Alive Last-Modified Link Location Max-Forwards Origin Permissions-Policy Pragma Priority
Proxy-Authenticate Proxy-Authorization Range Referer Referrer-Policy Retry-After
Sec-Fetch-Dest Sec-Fetch-Mode Sec-Fetch-Site Sec-Fetch-User Sec-WebSocket-Accept
Sec-WebSocket-Extensions Sec-WebSocket-Key Sec-WebSocket-Protocol Sec-WebSocket-Version Server
Server-Timing Set-Cookie Strict-Transport-Security TE Timing-Allow-Origin Traceparent Tracestate
Trailer Transfer-Encoding Upgrade Upgrade-Insecure-Requests User-Agent Vary Via Warning
WWW-Authenticate X-Content-Type-Options X-Forwarded-For X-Forwarded-Host X-Forwarded-Proto
X-Frame-Options X-Real-IP X-Requested-With X-XSS-Protection
"""
STANDARD_HEADERS = frozenset(name.lower() for name in _HEADERS.split())
# The ``decided_by`` of a header row kept as a standard's (compat makes no contract of it).
STANDARD_HEADER = "standard-header"
STANDARD_HEADER_RATIONALE = (
    "{name} is a standard HTTP header: the specifications define it, and clients, proxies and "
    "servers read it by that name, so a header of another name would be read by no one; kept "
    "(the Go names are renamed)")


def is_standard_header(name: str) -> bool:
    """Whether ``name`` is a header field HTTP (or a standard beside it) defines."""
    return name.lower() in STANDARD_HEADERS


STANDARD_NAME = "standard-name"
STANDARD_NAME_RATIONALE = (
    "a part of {what} {name}, by which clients and servers tell what they send: a rename would "
    "make one that neither reads; kept (the Go names are renamed)")
# A media type: a registered top-level type, then a subtype (RFC 6838's characters).
_MEDIA_TYPE = re.compile(
    rb"(?:application|audio|font|image|message|model|multipart|text|video)/[A-Za-z0-9!#$&^_.+-]+")
# Content-Disposition's type of a multipart form's part.
_DISPOSITIONS = frozenset({b"form-data"})
_JOINS = (b"/", b"-", b".", b"+", b"_")
# CGI's (RFC 3875) variable of a request header: HTTP_ and the name in capitals, - as _.
_CGI_VARIABLE = re.compile(rb"(?<![A-Za-z0-9])HTTP_([A-Z0-9_]+)(?![A-Za-z0-9_])")
# HTTP's request methods (RFC 9110, and PATCH), in the capitals the protocol sends.
_HTTP_METHODS = frozenset({b"GET", b"HEAD", b"POST", b"PUT", b"PATCH", b"DELETE", b"CONNECT",
                           b"OPTIONS", b"TRACE"})
# What continues a name (a method in capitals stands alone: not GET_ALL, not FORGET).
_NAME_BYTES = frozenset(bytes([c]) for c in
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_TOKEN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-/")


def standard_name_around(data: bytes, start: int, end: int) -> tuple[str, str] | None:
    """(what, the name) of the HTTP method (``GET``, in capitals), the media type
    (``multipart/form-data``, ``application/vnd.acme.order+json``), the disposition
    (``form-data``) or CGI's variable of a standard header (``HTTP_COOKIE``) that the bytes
    ``data[start:end]`` are, or are a part of, or None."""
    word = data[start:end]
    if word in _HTTP_METHODS and data[start - 1 : start] not in _NAME_BYTES and \
            data[end : end + 1] not in _NAME_BYTES:
        return "the HTTP method", word.decode("ascii")  # ("DELETE/GET/HEAD", "a GET request")
    if not (data[start - 1 : start] in _JOINS or data[end : end + 1] in _JOINS):
        return None  # (no such name without them)
    i, j = start, end
    while i > 0 and data[i - 1] in _TOKEN:
        i -= 1
    while j < len(data) and data[j] in _TOKEN:
        j += 1
    span = data[i:j].rstrip(b".")  # (the end of a sentence)
    if _MEDIA_TYPE.fullmatch(span) is not None:
        return "the media type", span.decode("ascii")
    if span.lower() in _DISPOSITIONS:
        return "the disposition", span.decode("ascii")
    for found in _CGI_VARIABLE.finditer(span):  # (CGI's variable of a header: HTTP_USER_AGENT)
        if i + found.start() <= start and end <= i + found.end() and is_standard_header(
                found.group(1).replace(b"_", b"-").decode("ascii")):
            return "the CGI variable", found.group(0).decode("ascii")
    return None

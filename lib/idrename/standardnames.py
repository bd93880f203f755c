"""Wire names that a standard, not the code, defines: HTTP's header fields.

``Cookie``, ``Authorization`` or ``User-Agent`` mean what the HTTP specifications (and the
registry of header fields) say, and every client, proxy and server reads them by that name: a
rename of the Go concept that spells one (``--from Cookie``, ``--from UserAgent``) renames the
Go names only. Sending a second, new header beside it (dual-emit) would be a header no one reads,
and reading it first would read nothing. The list holds the registered fields in common use, the
CORS, WebSocket and trace-context ones, and the ``X-`` fields every proxy and browser knows;
an application's own ``X-`` headers (``X-Request-ID``) are not in it. Compared without case,
as HTTP compares header names.
"""

from __future__ import annotations

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

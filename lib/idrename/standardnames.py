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
``"DELETE/GET/HEAD"`` names the protocol's methods). So is a keyword of SQL in capitals
(``ORDER BY``, ``RETURNING``, ``VALUES``): under ``--from Order`` a query builder's
``" ORDER BY "`` and its comments name the language's clause, not the concept.
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
SQL_KEYWORD = "the SQL keyword"
SQL_KEYWORD_RATIONALE = (
    "{name} in capitals is {what}, which the database reads as a clause of the statement, not "
    "a name of the code's: kept (the Go names are renamed)")

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
# SQL's keywords (the standard's and PostgreSQL's, MySQL's and SQLite's in common use), in the
# capitals a query is written in: a word of the language, never a name of the code's.
_SQL_KEYWORDS = frozenset(b"""
ADD ALL ALTER ANALYZE AND ANY AS ASC BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN
COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT_DATE CURRENT_TIMESTAMP DATABASE DEFAULT DELETE
DESC DISTINCT DO DROP DUPLICATE ELSE END ESCAPE EXCEPT EXISTS EXPLAIN FALSE FETCH FIRST FOR
FOREIGN FROM FULL FUNCTION GRANT GROUP HAVING IF ILIKE IN INDEX INNER INSERT INTERSECT INTO IS
JOIN KEY LAST LATERAL LEFT LIKE LIMIT LOCK LOCKED NATURAL NEXT NOT NOTHING NOWAIT NULL NULLS
OFFSET ON ONLY OR ORDER OUTER OVER PARTITION PRIMARY RECURSIVE REFERENCES REPLACE RESTRICT
RETURNING REVOKE RIGHT ROLLBACK ROW ROWS SCHEMA SELECT SET SKIP TABLE THEN TO TRANSACTION
TRIGGER TRUE TRUNCATE UNION UNIQUE UPDATE USING VACUUM VALUES VIEW WHEN WHERE WINDOW WITH
""".split())
# Two keywords that make a clause of SQL together: a keyword in capitals beside its other word
# is SQL's, not a word of a sentence in capitals ("AN ORDER it keeps").
_SQL_PHRASES = frozenset(tuple(phrase.split()) for phrase in """
ORDER BY|GROUP BY|PARTITION BY|INSERT INTO|DELETE FROM|SELECT DISTINCT|SELECT ALL|LEFT JOIN|
RIGHT JOIN|INNER JOIN|OUTER JOIN|CROSS JOIN|FULL JOIN|NATURAL JOIN|LEFT OUTER|RIGHT OUTER|
FULL OUTER|PRIMARY KEY|FOREIGN KEY|ON CONFLICT|DO NOTHING|DO UPDATE|IS NULL|NOT NULL|UNION ALL|
CREATE TABLE|CREATE INDEX|CREATE VIEW|CREATE SCHEMA|CREATE TRIGGER|CREATE FUNCTION|DROP TABLE|
DROP INDEX|DROP VIEW|ALTER TABLE|ADD COLUMN|DROP COLUMN|ALTER COLUMN|IF EXISTS|IF NOT|NOT EXISTS|
NULLS FIRST|NULLS LAST|FOR UPDATE|SKIP LOCKED|INSERT OR|OR REPLACE|OR IGNORE|ON DUPLICATE|
DUPLICATE KEY|KEY UPDATE|UNIQUE INDEX|WITH RECURSIVE|ROWS ONLY|FETCH FIRST|FETCH NEXT|
DEFAULT VALUES|ON DELETE|ON UPDATE|DELETE CASCADE|
UPDATE CASCADE|BEGIN TRANSACTION|ROLLBACK TO|EXPLAIN ANALYZE|RETURNING ALL|UPDATE SET
""".replace("\n", "").encode().split(b"|"))
# What continues a name (a method in capitals stands alone: not GET_ALL, not FORGET).
_NAME_BYTES = frozenset(bytes([c]) for c in
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_TOKEN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-/")


def standard_name_around(data: bytes, start: int, end: int) -> tuple[str, str] | None:
    """(what, the name) of the HTTP method (``GET``, in capitals), the SQL keyword (``ORDER``,
    in capitals), the media type (``multipart/form-data``, ``application/vnd.acme.order+json``),
    the disposition (``form-data``) or CGI's variable of a standard header (``HTTP_COOKIE``)
    that the bytes ``data[start:end]`` are, or are a part of, or None."""
    word = data[start:end]
    alone = data[start - 1 : start] not in _NAME_BYTES and data[end : end + 1] not in _NAME_BYTES
    if word in _HTTP_METHODS and alone:
        return "the HTTP method", word.decode("ascii")  # ("DELETE/GET/HEAD", "a GET request")
    if word in _SQL_KEYWORDS and alone and _in_sql(data, start, end):
        return SQL_KEYWORD, word.decode("ascii")  # (" ORDER BY ", "VALUES", "// ORDER BY term")
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


def _in_sql(data: bytes, start: int, end: int) -> bool:
    """Whether the keyword ``data[start:end]`` is written as SQL: with its clause's other word
    beside it (``ORDER BY``, ``INSERT INTO``), before a value (``VALUES (``, ``LIMIT $1``,
    ``LIMIT ?``), or as a literal's whole text (``"RETURNING"``, ``" VALUES "``)."""
    word = data[start:end]
    before = re.search(rb"(?<![A-Za-z0-9_])([A-Z]+)[ \t]+\Z", data[max(start - 24, 0) : start])
    after = re.match(rb"[ \t]+([A-Z]+)(?![A-Za-z0-9_])", data[end : end + 24])
    if (before is not None and (before.group(1), word) in _SQL_PHRASES) or \
            (after is not None and (word, after.group(1)) in _SQL_PHRASES):
        return True
    if re.match(rb"[ \t]*[($?]", data[end : end + 8]) is not None:
        return True
    left = data[max(start - 8, 0) : start].rstrip(b" \t")[-1:]
    right = data[end : end + 8].lstrip(b" \t")[:1]
    return left in (b'"', b"`") and right == left


def standard_name_rationale(what: str, name: str) -> str:
    """Why a name :func:`standard_name_around` found is kept."""
    template = SQL_KEYWORD_RATIONALE if what == SQL_KEYWORD else STANDARD_NAME_RATIONALE
    return template.format(what=what, name=name)

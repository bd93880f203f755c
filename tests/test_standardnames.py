"""Names a standard defines: HTTP's header fields, media types and the form-data disposition."""

from __future__ import annotations

import pytest

from idrename.standardnames import is_standard_header, standard_name_around


@pytest.mark.parametrize(("name", "standard"), [
    ("Cookie", True), ("set-cookie", True), ("AUTHORIZATION", True), ("X-Forwarded-For", True),
    ("traceparent", True), ("X-Request-ID", False), ("X-Run-ID", False), ("Cookies", False),
])
def test_is_standard_header(name: str, standard: bool) -> None:
    assert is_standard_header(name) is standard


@pytest.mark.parametrize(("text", "token", "found"), [
    (b'"multipart/form-data"', b"form", ("the media type", "multipart/form-data")),
    (b"an application/x-www-form-urlencoded body", b"form",
     ("the media type", "application/x-www-form-urlencoded")),
    (b"Accept: application/vnd.acme.order+json", b"order",
     ("the media type", "application/vnd.acme.order+json")),
    (b"// it sends text/plain.", b"plain", ("the media type", "text/plain")),
    (b'`form-data; name="%s"`', b"form", ("the disposition", "form-data")),
    (b'"/api/form-data/1"', b"form", None),  # a path, not a media type
    (b"the form data", b"form", None),
    (b'"order.created"', b"order", None),
    (b'"forms/form-data"', b"form", None),  # no registered top-level type
    (b'"env-HTTP_COOKIE": "a=b"', b"COOKIE", ("the CGI variable", "HTTP_COOKIE")),
    (b'os.Getenv("HTTP_USER_AGENT")', b"USER", ("the CGI variable", "HTTP_USER_AGENT")),
    (b'"HTTP_COOKIE_JAR"', b"COOKIE", None),  # no header of that name
    (b'"env-HTTP_COOKIE"', b"HTTP_COOKIE", ("the CGI variable", "HTTP_COOKIE")),
    (b'"run_id"', b"run", None),
])
def test_standard_name_around(text: bytes, token: bytes, found: tuple[str, str] | None) -> None:
    at = text.rindex(token)
    assert standard_name_around(text, at, at + len(token)) == found


@pytest.mark.parametrize(("data", "start", "end", "found"), [
    (b'"DELETE/GET/HEAD"', 8, 11, ("the HTTP method", "GET")),
    (b'"a GET request"', 3, 6, ("the HTTP method", "GET")),
    (b'"GET"', 1, 4, ("the HTTP method", "GET")),
    (b'"GET_ALL"', 1, 4, None),  # a name of the code's
    (b'"FORGET"', 4, 7, None),
    (b'"get it"', 1, 4, None),  # the verb
    (b'" ORDER BY "', 2, 7, ("the SQL keyword", "ORDER")),
    (b'"VALUES"', 1, 7, ("the SQL keyword", "VALUES")),
    (b'"ORDERS"', 1, 6, None),  # no keyword
    (b'"ORDER_ID"', 1, 6, None),  # a name of the code's
    (b'"order by"', 1, 6, None),  # lower case: a word
    (b'"INSERT INTO t VALUES ($1)"', 15, 21, ("the SQL keyword", "VALUES")),
    (b"// AN ORDER it keeps", 6, 11, None),  # a sentence in capitals
    (b"// ORDER BY term", 3, 8, ("the SQL keyword", "ORDER")),
])
def test_an_http_method_or_a_sql_keyword_in_capitals_is_a_standard_name(
        data: bytes, start: int, end: int, found: tuple[str, str] | None) -> None:
    assert standard_name_around(data, start, end) == found

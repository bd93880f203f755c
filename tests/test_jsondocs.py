"""idrename.jsondocs: expected JSON documents in Go tests get the legacy keys a dual-emit writes."""

from __future__ import annotations

import textwrap

from idrename.edits import FileEdits
from idrename.gosyntax import parse
from idrename.jsondocs import DocKey, dual_json_documents


def dual(src: str, *renames: tuple[str, str]) -> tuple[str, list[str]]:
    """The Go text after each (old, new) key of its JSON documents is written under both names;
    and the warnings."""
    data = textwrap.dedent(src).lstrip("\n").encode()
    fe = FileEdits("a_test.go", data)
    keys = []
    for old, new in renames:
        at = data.find(f'"{old}'.encode())
        while at >= 0:
            if data[at + 1 + len(old) : at + 2 + len(old)] in (b'"', b"\\"):
                keys.append(DocKey(at + 1, at + 1 + len(old), old, new, (f"{old}@{at}",)))
            at = data.find(f'"{old}'.encode(), at + 1)
    dual_json_documents(fe, parse(data).root_node, keys)
    return fe.result().decode(), fe.warnings


def test_each_object_gets_the_legacy_keys_after_its_own_in_their_order() -> None:
    after, warnings = dual("""
        package a

        var want = `{"run_id":"r1","n":2,"peer_run_ids":["a","b"],"inner":{"run_id":7}}`
        """, ("run_id", "session_id"), ("peer_run_ids", "peer_session_ids"))
    assert warnings == []
    assert after.split("\n")[2] == (
        'var want = `{"session_id":"r1","n":2,"peer_session_ids":["a","b"],'
        '"inner":{"session_id":7,"run_id":7},"run_id":"r1","peer_run_ids":["a","b"]}`')


def test_a_spaced_document_keeps_its_separators() -> None:
    after, warnings = dual("""
        package a

        var want = `[{"run_id": "r1", "n": 2}, {"run_id": "r2"}]`
        """, ("run_id", "session_id"))
    assert warnings == []
    assert '`[{"session_id": "r1", "n": 2, "run_id": "r1"}, {"session_id": "r2", "run_id": "r2"}]`' \
        in after


def test_an_interpreted_string_is_decoded_and_written_back_with_its_escapes() -> None:
    # Left to the user with a warning before: a test comparing the encoding with
    # "{\"run_id\":\"r2\"}" failed after apply. What is added is escaped as the literal is,
    # an escaped quote inside a JSON string and an escaped line break included.
    after, warnings = dual(r"""
        package a

        var want = "{\"run_id\":\"r\\\"2\",\n \"inner\":{\"run_id\":7}}"
        """, ("run_id", "session_id"))
    assert warnings == []
    assert after.split("\n")[2] == (
        r'var want = "{\"session_id\":\"r\\\"2\",\n \"inner\":{\"session_id\":7,\n '
        r'\"run_id\":7},\n \"run_id\":\"r\\\"2\"}"')
    # applied twice, nothing more is added
    again, _ = dual(after, ("run_id", "session_id"))
    assert again == after


def test_an_interpreted_string_with_other_escapes_is_left_with_a_warning() -> None:
    after, warnings = dual(r"""
        package a

        var want = "{\"run_id\":\"\u00e9\"}"
        """, ("run_id", "session_id"))
    assert r'var want = "{\"run_id\":\"\u00e9\"}"' in after
    assert warnings == ['a_test.go:3: the JSON document is in a string with escapes idrename '
                        'does not write back: add "run_id" beside "session_id" by hand (both are '
                        'written now)']


def test_an_object_that_has_both_keys_already_is_left_as_it_is() -> None:
    src = """
        package a

        var want = `{"session_id":"r1","run_id":"r1"}`
        """
    after, warnings = dual(src, ("run_id", "session_id"))
    assert (after, warnings) == (textwrap.dedent(src).lstrip("\n"), [])

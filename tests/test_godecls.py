"""Parsing only the wanted top-level declarations: Go text in, the declarations the tree holds
(with the file's own rows) out, and the whole file parsed wherever the split is not safe."""

from __future__ import annotations

import re
import textwrap

from idrename.godecls import declaration_starts, parse_wanted
from idrename.gosyntax import parse

STRUCT = (re.compile(rb"struct\b"),)


def _go(text: str) -> bytes:
    return textwrap.dedent(text).lstrip().encode()


def _declarations(tree: object) -> list[tuple[str, int]]:
    """The top-level nodes of a tree but the package clause: (first line of text, 1-based row)."""
    root = tree.root_node  # type: ignore[attr-defined]
    return [(n.text.decode().splitlines()[0], n.start_point[0] + 1)
            for n in root.named_children if n.type not in ("package_clause", "comment")]


def test_only_the_declarations_that_hold_a_wanted_pattern_are_parsed() -> None:
    src = _go("""
        // Package api serves chats.
        package api

        import "fmt"

        func helper() string {
        	return fmt.Sprint(1)
        }

        type Chat struct {
        	RunID string
        }

        var count = 3

        type Reply struct{ Text string }

        func other() {}
        """)
    tree = parse_wanted(src, STRUCT)
    assert not tree.root_node.has_error
    assert _declarations(tree) == [('import "fmt"', 4), ("type Chat struct {", 10),
                                   ("type Reply struct{ Text string }", 16)]
    assert _declarations(parse(src)) == [
        ('import "fmt"', 4), ("func helper() string {", 6), ("type Chat struct {", 10),
        ("var count = 3", 14), ("type Reply struct{ Text string }", 16), ("func other() {}", 18)]


def test_the_declarations_that_hold_a_byte_are_parsed() -> None:
    src = _go("""
        package api

        func one() { a() }

        func two() { b() }

        func three() { c() }
        """)
    tree = parse_wanted(src, at=[src.index(b"b()"), src.index(b"c()")])
    assert _declarations(tree) == [("func two() { b() }", 5), ("func three() { c() }", 7)]


def test_nothing_wanted_parses_the_header_only() -> None:
    src = _go("""
        package api

        func helper() {}
        """)
    tree = parse_wanted(src, STRUCT)
    assert not tree.root_node.has_error
    assert _declarations(tree) == []


def test_a_declaration_line_inside_a_raw_string_parses_the_whole_file() -> None:
    # The struct line is text in a string; cut there, it would read as a declaration of its own.
    src = _go("""
        package api

        var q = `
        type Fake struct { X int }
        func f() {
        `

        func g() {}
        """)
    assert declaration_starts(src) is None
    tree = parse_wanted(src, STRUCT)
    assert [d for d, _row in _declarations(tree)] == ["var q = `", "func g() {}"]


def test_a_declaration_line_inside_a_block_comment_parses_the_whole_file() -> None:
    src = _go("""
        package api

        /*
        type Fake struct { X int }
        */
        func g() {}
        """)
    assert declaration_starts(src) is None
    assert [d for d, _row in _declarations(parse_wanted(src, STRUCT))] == ["func g() {}"]


def test_quotes_in_comments_strings_and_runes_do_not_open_a_raw_string() -> None:
    src = _go("""
        package api

        // a ` in a comment
        var tick = '`'
        var s = "a ` and a /* in a string"

        type Chat struct {
        	RunID string `json:"run_id"`
        }
        """)
    assert declaration_starts(src) == [src.index(b"var tick"), src.index(b"var s"),
                                       src.index(b"type Chat")]
    assert _declarations(parse_wanted(src, STRUCT)) == [("type Chat struct {", 7)]


def test_a_raw_string_over_several_lines_between_declarations_is_safe() -> None:
    src = _go("""
        package api

        const query = `
        SELECT run_id
        FROM runs`

        type Chat struct{ RunID string }
        """)
    assert declaration_starts(src) == [src.index(b"const"), src.index(b"type")]
    assert _declarations(parse_wanted(src, STRUCT)) == [("type Chat struct{ RunID string }", 7)]


def test_a_syntax_error_in_a_wanted_declaration_parses_the_whole_file() -> None:
    src = _go("""
        package api

        type Chat struct {
        	RunID string

        func g() {}
        """)
    tree = parse_wanted(src, STRUCT)
    assert tree.root_node.has_error
    assert str(tree.root_node) == str(parse(src).root_node)


def test_a_syntax_error_elsewhere_leaves_the_wanted_declarations_whole() -> None:
    # tree-sitter's recovery from the broken function swallows the struct after it when the
    # whole file is parsed; parsed on its own, the struct is read as written.
    src = _go("""
        package api

        func broken() {
        	goto done
        	goto end
        done:
        end:
        }

        type Chat struct{ RunID string }
        """)
    assert parse(src).root_node.has_error
    tree = parse_wanted(src, STRUCT)
    assert not tree.root_node.has_error
    assert _declarations(tree) == [("type Chat struct{ RunID string }", 10)]


def test_declarations_start_at_line_starts_only() -> None:
    src = b"func first() {}\n\tfunc indented() {}\nfunction := 1\ntype T int\n"
    assert declaration_starts(src) == [0, src.index(b"type")]


def test_no_pattern_of_the_library_uses_a_possessive_quantifier_or_an_atomic_group() -> None:
    # Python 3.11.2 (Debian 12's) matched godecls' possessive repeat wrongly, and two tests
    # failed on a machine with only that Python: the README promises any Python 3.11. (The
    # compiled patterns of every module, as they are at import.)
    import importlib
    import pkgutil
    import re

    import idrename

    found = []
    for info in pkgutil.iter_modules(idrename.__path__):
        module = importlib.import_module(f"idrename.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                text = value.pattern if isinstance(value.pattern, str) else \
                    value.pattern.decode("latin-1")
                if re.search(r"(?<!\\)(?:\\\\)*[*+?}]\+|\(\?>", text):
                    found.append(f"{info.name}.{name}")
    assert found == []

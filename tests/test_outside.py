"""The imports of a Go file, read by text from its header (:func:`idrename.outside.file_imports`,
:func:`idrename.outside.import_paths`)."""

from __future__ import annotations

from idrename.outside import file_imports, import_paths, import_specs_of


def test_imports_of_a_block_and_of_lines() -> None:
    src = b"""// Package a does things.
//go:build linux

package a // the package

import "fmt"
import m "math"

import (
	"context"
	sq "database/sql"
	_ "embed"
	. "strings"
	"example.com/svc/api/v2"
	"gopkg.in/yaml.v3"
	"example.com/templateMaker"
)

func f() {}
"""
    assert file_imports(src) == {
        "fmt": "fmt",
        "m": "math",
        "context": "context",
        "sq": "database/sql",
        "api": "example.com/svc/api/v2",
        "yaml": "gopkg.in/yaml.v3",
        "templateMaker": "example.com/templateMaker",
        "templatemaker": "example.com/templateMaker",  # as the package is named in its folder
    }
    assert import_paths(src) == {"fmt", "math", "context", "database/sql", "embed", "strings",
                                 "example.com/svc/api/v2", "gopkg.in/yaml.v3",
                                 "example.com/templateMaker"}


def test_go_source_held_in_a_string_imports_nothing() -> None:
    # A test (go/types, runtime) holds Go source in a raw string: its import lines are text.
    src = b'''package a_test

import "testing"

const src = `package p

import (
	"fmt"
	lib "example.com/lib"
)
`

func TestX(t *testing.T) {}
'''
    assert file_imports(src) == {"testing": "testing"}


def test_comments_semicolons_and_odd_spacing_in_the_header() -> None:
    # A ')' in a comment inside the block does not end it; a cgo preamble is a comment; a BOM,
    # semicolons, no space after the keyword, a raw string path, comments between the tokens.
    src = ("\ufeff/* a (header) */ package a; import\"os\"; import/* x */(\n"
           "\t\"io\" // io (readers)\n"
           "\t/* ) */ b \"bytes\"\n"
           "\tr `regexp`\n"
           ")\n"
           "// #include <stdio.h>\n"
           "import \"C\"\n"
           "var x = 1\n"
           "import \"late\"\n").encode()
    assert import_specs_of(src) == [("", "os"), ("", "io"), ("b", "bytes"), ("r", "regexp"),
                                    ("", "C")]
    assert file_imports(src) == {"os": "os", "io": "io", "b": "bytes", "r": "regexp", "C": "C",
                                 "c": "C"}


def test_a_file_without_a_package_clause_or_imports() -> None:
    assert file_imports(b"") == {}
    assert file_imports(b"import \"fmt\"\n") == {}  # no package clause: not a Go file
    assert file_imports(b"package a\n\nfunc f() {}\n") == {}
    # a spec cut short: the specs before it are kept
    assert import_specs_of(b"package a\nimport (\n\t\"fmt\"\n\tbroken\n)\n") == [("", "fmt")]

"""Methods that types outside the roots meet are kept, with what is coupled to them
(idrename.implementedoutside): Go text before, Go text after, and `go test` with the real
toolchain once the patch is applied."""

from __future__ import annotations

from pathlib import Path

from test_patch import applied_and_go_tested, go, workflow_plan

# Seen on a JSON Pointer library (token -> segment): its exported JSONDecoder interface is
# written for *json.Decoder, which the library itself passes to it. Renamed, Token was no
# longer a method of *json.Decoder's, and go build failed.
READER = """
    // Package reader counts the tokens of JSON documents.
    package reader

    import (
    	"bytes"
    	"encoding/json"
    )

    // TokenReader is the part of a json.Decoder that CountTokens reads.
    type TokenReader interface {
    	Token() (json.Token, error)
    	More() bool
    }

    // CountTokens counts the tokens a reader gives.
    func CountTokens(r TokenReader) int {
    	n := 0
    	for {
    		if _, err := r.Token(); err != nil {
    			return n
    		}
    		n++
    	}
    }

    // CountDocument counts the tokens of a JSON document.
    func CountDocument(doc []byte) int {
    	return CountTokens(json.NewDecoder(bytes.NewReader(doc)))
    }

    // tape replays tokens.
    type tape struct{ items []json.Token }

    func (t *tape) Token() (json.Token, error) {
    	if len(t.items) == 0 {
    		return nil, bytes.ErrTooLarge
    	}
    	first := t.items[0]
    	t.items = t.items[1:]
    	return first, nil
    }

    func (t *tape) More() bool { return len(t.items) > 0 }

    // lexer splits text into words.
    type lexer struct{ words []string }

    // Token returns the next word, or "" at the end.
    func (l *lexer) Token() string {
    	if len(l.words) == 0 {
    		return ""
    	}
    	first := l.words[0]
    	l.words = l.words[1:]
    	return first
    }

    func countWords(l *lexer) int {
    	n := 0
    	for l.Token() != "" {
    		n++
    	}
    	return n
    }
    """

READER_TEST = """
    package reader

    import (
    	"encoding/json"
    	"testing"
    )

    func TestCountTokens(t *testing.T) {
    	if got := CountDocument([]byte(`{"a":[1,2]}`)); got != 7 {
    		t.Fatalf("CountDocument = %d, want 7", got)
    	}
    	if got := CountTokens(&tape{items: []json.Token{json.Delim('['), json.Delim(']')}}); got != 2 {
    		t.Fatalf("CountTokens(tape) = %d, want 2", got)
    	}
    	if got := countWords(&lexer{words: []string{"a", "b"}}); got != 2 {
    		t.Fatalf("countWords = %d, want 2", got)
    	}
    }
    """

TOKEN_POLICY = '[rename]\nfrom = "Token"\nto = "Segment"\n'


def test_an_interface_written_for_an_outside_type_keeps_its_method_and_its_calls(
        tmp_path: Path) -> None:
    # The interface's method is kept, and with it tape's (tape implements the interface) and
    # the call through the interface; lexer's Token, of another shape, is renamed with its
    # call. The type and the functions named after tokens are renamed.
    after = (READER.replace("counts the tokens", "counts the segments")
             .replace("TokenReader", "SegmentReader").replace("CountTokens", "CountSegments")
             .replace("replays tokens", "replays segments")
             .replace("// Token returns the next word", "// Segment returns the next word")
             .replace("func (l *lexer) Token()", "func (l *lexer) Segment()")
             .replace("l.Token() != \"\"", "l.Segment() != \"\""))
    root, analysis, patch = workflow_plan(
        tmp_path, {"reader.go": READER, "reader_test.go": READER_TEST}, TOKEN_POLICY)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "reader.go": go(after),
        "reader_test.go": go(READER_TEST.replace("CountTokens", "CountSegments"))}
    decided = analysis.decided
    methods = decided[(decided["text"] == "Token") & (decided["path"] == "reader.go")
                      & (decided["role"] != "type_use")]  # (json.Token: declared outside)
    assert [(r.line, r.role, r.decision, r.decided_by) for r in methods.itertuples()] == [
        (11, "interface_method", "keep", "implemented-outside"),
        (19, "method_call", "keep", "implemented-outside"),
        (34, "method_decl", "keep", "implemented-outside"),  # tape's: implements it
        (48, "doc_comment", "rename", "builtin:doc_comment"),
        (49, "method_decl", "rename", "builtin:method_decl"),  # lexer's: another shape
        (60, "method_call", "rename", "builtin:method_call"),
    ]
    rationale = methods.iloc[0]["rationale"]
    assert rationale.startswith(
        "kept, since renaming it alone would break what the roots cannot edit: the method "
        "Token of interface TokenReader at mod/reader.go:11 would be renamed to Segment, but "
        "json.Decoder (encoding/json, at ")
    assert rationale.endswith("a rule or an override that renames it is an outside_interface "
                              "error")
    assert methods.iloc[1]["rationale"] == (
        "the receiver is a TokenReader, whose Token is kept (a type or interface outside the "
        "roots meets it): the use keeps the name too")
    assert [c for c in analysis.conflicts if c.kind.startswith("outside")] == []
    applied_and_go_tested(root, patch)


def test_an_interface_no_file_of_its_package_ties_to_an_outside_type_is_renamed(
        tmp_path: Path) -> None:
    # Without json.Decoder named beside it, an exported interface is the package's own: other
    # packages may implement it too. Renamed with its implementations and calls, with the
    # checks' warning; `go test` passes.
    reader = (READER.replace("a json.Decoder", "a token source")
              .replace("return CountTokens(json.NewDecoder(bytes.NewReader(doc)))",
                       "return CountTokens(&tape{items: []json.Token{json.Delim('{'), "
                       "json.Delim('}')}})"))
    test = READER_TEST.replace("`{\"a\":[1,2]}`)); got != 7", "`{}`)); got != 2").replace(
        "want 7", "want 2")
    root, analysis, patch = workflow_plan(
        tmp_path, {"reader.go": reader, "reader_test.go": test}, TOKEN_POLICY)
    decided = analysis.decided
    methods = decided[(decided["text"] == "Token") & decided["role"].isin(
        ["interface_method", "method_decl", "method_call"])]
    assert set(methods["decision"]) == {"rename"}
    assert [(c.kind, c.severity, c.line) for c in analysis.conflicts
            if c.kind.startswith("outside")] == [("outside_interface", "warning", 11)]
    assert patch is not None
    applied_and_go_tested(root, patch)


# Seen on a TOML library (Marshal -> Encode): the plan was refused, since a scalar's
# MarshalText implements encoding.TextMarshaler. It is kept now, and so is its doc comment's
# name.
TOML = """
    // Package toml marshals scalars.
    package toml

    import (
    	"encoding"
    	"fmt"
    )

    type scalar struct{ s string }

    // MarshalText writes the scalar as text.
    func (s scalar) MarshalText() ([]byte, error) { return []byte(s.s), nil }

    // Marshal writes v as TOML.
    func Marshal(v any) ([]byte, error) {
    	if m, ok := v.(encoding.TextMarshaler); ok {
    		return m.MarshalText()
    	}
    	return nil, fmt.Errorf("cannot marshal %T", v)
    }
    """

TOML_TEST = """
    package toml

    import "testing"

    func TestMarshal(t *testing.T) {
    	if b, err := Marshal(scalar{"x"}); err != nil || string(b) != "x" {
    		t.Fatalf("Marshal = %q, %v", b, err)
    	}
    }
    """


def test_a_method_of_a_standard_interface_is_kept_with_its_doc_comments_name(
        tmp_path: Path) -> None:
    after = (TOML.replace("toml marshals", "toml encodes").replace("// Marshal writes",
                                                                  "// Encode writes")
             .replace("func Marshal(", "func Encode(").replace("cannot marshal", "cannot encode"))
    root, analysis, patch = workflow_plan(
        tmp_path, {"toml.go": TOML, "toml_test.go": TOML_TEST},
        '[rename]\nfrom = "Marshal"\nto = "Encode"\n')
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "toml.go": go(after), "toml_test.go": go(TOML_TEST.replace("Marshal", "Encode"))}
    decided = analysis.decided.set_index("line")
    assert decided.loc[12, "decided_by"] == "implemented-outside"
    assert (decided.loc[11, "decision"], decided.loc[11, "decided_by"]) == ("keep", "doc-name")
    assert [c for c in analysis.conflicts if c.severity == "error"] == []
    applied_and_go_tested(root, patch)

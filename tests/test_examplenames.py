"""Example functions are named after what they show (idrename.examplenames): Go text before, Go
text after, and `go vet` and `go test` with the real toolchain once the patch is applied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_patch import applied_and_go_tested, go, workflow_plan

STREAM = """
    // Package stream filters words.
    package stream

    // Stream holds words.
    type Stream struct{ words []string }

    // Filter keeps the words ok says.
    func (s Stream) Filter(ok func(string) bool) Stream {
    	var out []string
    	for _, w := range s.words {
    		if ok(w) {
    			out = append(out, w)
    		}
    	}
    	return Stream{out}
    }

    // FilterEmpty drops the empty words.
    func FilterEmpty(s Stream) Stream { return s.Filter(func(w string) bool { return w != "" }) }
    """

EXAMPLES = """
    package stream

    import "fmt"

    func ExampleStream_Filter() {
    	fmt.Println(Stream{[]string{"a", "bb"}}.Filter(func(w string) bool { return len(w) > 1 }).words)
    	// Output: [bb]
    }

    func ExampleFilterEmpty() {
    	fmt.Println(len(FilterEmpty(Stream{[]string{"a", ""}}).words))
    	// Output: 1
    }

    func ExampleStream_Filter_twice() {
    	fmt.Println(len(FilterEmpty(FilterEmpty(Stream{[]string{""}})).words))
    	// Output: 0
    }
    """

POLICY = '[rename]\nfrom = "Filter"\nto = "Where"\n'


@pytest.mark.parametrize(("rule", "renamed"), [
    # the methods keep their names: so do their examples; the function's example follows it
    ('[[rule]]\nrole = "method_decl"\ndecision = "keep"\nrationale = "the API keeps it"\n',
     {"FilterEmpty": "WhereEmpty"}),
    # a function renamed to a name of the rule's own: its example takes it
    ('[[rule]]\nrole = "func_decl"\ntext = "FilterEmpty"\ndecision = "rename"\n'
     'target = "DropEmpty"\nrationale = "says what it drops"\n',
     {"Filter": "Where", "FilterEmpty": "DropEmpty"}),
    # a rule keeps every func_decl, the examples too: they follow what they show all the same
    ('[[rule]]\nrole = "func_decl"\ndecision = "keep"\nrationale = "functions keep theirs"\n',
     {"Filter": "Where"}),
])
def test_an_examples_name_follows_what_it_shows(tmp_path: Path, rule: str,
                                               renamed: dict[str, str]) -> None:
    # Seen on a stream library (Filter -> Where, its methods kept by a rule): the examples were
    # renamed ExampleStream_Where, and go vet failed ("refers to unknown field or method").
    def after(text: str) -> str:
        text = text.replace("filters words", "wheres words")
        for old, new in renamed.items():  # (whole words only: Filter is not FilterEmpty)
            text = re.sub(rf"(?:(?<![A-Za-z0-9])|(?<=Example)){old}(?![A-Za-z0-9])", new, text)
        return text

    root, analysis, patch = workflow_plan(
        tmp_path, {"stream.go": STREAM, "example_test.go": EXAMPLES}, POLICY + rule)
    assert patch is not None
    changed = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert changed == {"stream.go": go(after(STREAM)), "example_test.go": go(after(EXAMPLES))}
    examples = analysis.decided[analysis.decided["text"].str.startswith("Example")]
    assert "example-name" in set(examples["decided_by"])
    applied_and_go_tested(root, patch)

"""A comment's annotation key that the code looks for (idrename.annotationkeys) follows the
code's pattern: Go text before, Go text after, and `go test` with the real toolchain once the
patch is applied."""

from __future__ import annotations

from pathlib import Path

from idrename import roles as R
from test_patch import BASE_POLICY, applied_and_go_tested, go, workflow_plan

SITE = """
    package site

    import (
    	"fmt"
    	"regexp"
    	"strings"
    	"text/template"
    )

    var layoutRe = regexp.MustCompile(`{{/\\* layout:(\\w+) \\*/}}`)

    // Layouts maps a layout's name to its template.
    var Layouts = map[string]string{"base": "<main>{{.}}</main>"}

    // Render renders a page in the layout its annotation names.
    func Render(page string) (string, error) {
    	m := layoutRe.FindStringSubmatch(page)
    	if m == nil {
    		return "", fmt.Errorf("the page names no layout")
    	}
    	t, err := template.New(m[1]).Parse(Layouts[m[1]])
    	if err != nil {
    		return "", err
    	}
    	var b strings.Builder
    	err = t.Execute(&b, layoutRe.ReplaceAllString(page, ""))
    	return b.String(), err
    }
    """
SITE_TEST = """
    package site

    import "testing"

    func TestAPageIsRenderedInItsLayout(t *testing.T) {
    	out, err := Render("{{/* layout:base */}}hi")
    	if err != nil || out != "<main>hi</main>" {
    		t.Fatalf("%q %v", out, err)
    	}
    }
    """
LAYOUT_TO_SKELETON = BASE_POLICY.replace('"RunID"', '"Layout"').replace('"SessionID"',
                                                                          '"Skeleton"')


def renamed_names(text: str) -> str:
    return go(text.replace("layoutRe", "skeletonRe").replace("Layouts", "Skeletons").replace(
        "a layout's name", "a skeleton's name").replace("in the layout its", "in the skeleton its")
        .replace("names no layout", "names no skeleton").replace("InItsLayout", "InItsSkeleton"))


def test_an_annotation_the_codes_pattern_looks_for_is_left_to_review_with_it(
        tmp_path: Path) -> None:
    # Found on a static site generator (layout -> skeleton): its pages' `{{- /* layout:base.tmpl
    # */ -}}` were renamed as template comments while the pattern that finds them, a string,
    # was left to review, and the pages lost their layout. The pattern is no template either.
    _root, analysis, patch = workflow_plan(tmp_path, {"site.go": SITE, "site_test.go": SITE_TEST},
                                          LAYOUT_TO_SKELETON)
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after == {"site.go": renamed_names(SITE), "site_test.go": renamed_names(SITE_TEST)}
    decided = analysis.decided
    review = decided[decided["decision"] == "review"]
    assert sorted(zip(review["path"], review["role"], review["decided_by"], strict=True)) == [
        ("site.go", R.STRING, "builtin:string"),
        ("site_test.go", R.TEMPLATE_COMMENT, "annotation-key"),
    ]
    assert "the key 'layout:' of an annotation, which the code looks for with the string at " \
        "site.go:10" in review["rationale"].iloc[1]


def test_an_annotation_is_renamed_with_the_codes_pattern(tmp_path: Path) -> None:
    root, _analysis, patch = workflow_plan(
        tmp_path, {"site.go": SITE, "site_test.go": SITE_TEST},
        LAYOUT_TO_SKELETON + '\n[defaults]\nstring = "rename"\n')
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after == {
        "site.go": renamed_names(SITE).replace("/\\* layout:", "/\\* skeleton:"),
        "site_test.go": renamed_names(SITE_TEST).replace("/* layout:", "/* skeleton:"),
    }
    applied_and_go_tested(root, patch)


def test_a_comments_word_before_a_colon_the_code_never_looks_for_is_prose(
        tmp_path: Path) -> None:
    # A test looking for "Layout:" in what the code prints is no reader of annotations: the
    # doc comment is prose, renamed.
    before = """
    package site

    import "fmt"

    // Layout: the page's frame (see Render).
    type Layout struct{ Name string }

    // Describe says which frame a page has.
    func Describe(l Layout) string { return fmt.Sprint("frame: ", l.Name) }
    """
    test = """
    package site

    import (
    	"strings"
    	"testing"
    )

    func TestTheFrameIsNamed(t *testing.T) {
    	if got := Describe(Layout{Name: "base"}); strings.Contains(got, "Layout:") {
    		t.Fatal(got)
    	}
    }
    """
    _root, analysis, patch = workflow_plan(tmp_path, {"site.go": before, "site_test.go": test},
                                           LAYOUT_TO_SKELETON)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "site.go": go(before.replace("Layout", "Skeleton")),
        "site_test.go": go(test.replace("Layout{", "Skeleton{"))}
    assert "annotation-key" not in set(analysis.decided["decided_by"])

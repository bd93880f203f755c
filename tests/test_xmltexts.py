"""XML documents written in Go strings follow the xml tags of their names (idrename.xmltexts):
Go text before, Go text after, and `go test` with the real toolchain once the patch is applied."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from idrename.policy import parse_policy
from idrename.workflow import analyse_and_patch

TRACK = """
    package track

    import "encoding/xml"

    // Point is one point of a track; its run is an attribute.
    type Point struct {
    	RunID string `xml:"run_id,attr"`
    }

    // Track is a recorded track.
    type Track struct {
    	XMLName xml.Name `xml:"track"`
    	RunID   string   `xml:"run_id"`
    	Points  []Point  `xml:"point"`
    }

    // Parse reads a track document.
    func Parse(data []byte) (Track, error) {
    	var t Track
    	err := xml.Unmarshal(data, &t)
    	return t, err
    }
    """
TRACK_TEST = """
    package track

    import (
    	"encoding/xml"
    	"testing"
    )

    func TestATrackDocumentParses(t *testing.T) {
    	tr, err := Parse([]byte(`<track><run_id>r1</run_id><point run_id="r1"/></track>`))
    	if err != nil || tr.RunID != "r1" || len(tr.Points) != 1 || tr.Points[0].RunID != "r1" {
    		t.Fatalf("%+v %v", tr, err)
    	}
    }

    func TestATrackIsWrittenAsExpected(t *testing.T) {
    	out, err := xml.Marshal(Track{RunID: "r1"})
    	want := "<track><run_id>r1</run_id></track>"
    	if err != nil || string(out) != want {
    		t.Fatalf("%s %v", out, err)
    	}
    }
    """
RENAMED = '[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\nstruct_tag = "rename"\n'


def planned(tmp_path: Path, policy: str) -> tuple[Path, dict[str, str], list[str]]:
    """The module (track.go, track_test.go) under ``tmp_path``, and the files the plan changes,
    and its decisions of the test file's xml_text rows."""
    root = tmp_path / "mod"
    root.mkdir(parents=True)
    for name, text in {"go.mod": "module example.com/a\n\ngo 1.21\n", "track.go": TRACK,
                       "track_test.go": TRACK_TEST}.items():
        (root / name).write_text(textwrap.dedent(text).lstrip("\n"))
    analysis, patch = analyse_and_patch([root], parse_policy(policy), cache=False)
    assert patch is not None
    rows = analysis.decided[analysis.decided["role"] == "xml_text"]
    return root, {fp.path: fp.after.decode() for fp in patch.changed()}, \
        [f"{o}:{d}:{t}" for o, d, t in rows[["owner", "decision", "target"]].values.tolist()]


def go_test(root: Path, changed: dict[str, str]) -> None:
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    for path, text in changed.items():
        (root / path).write_text(text)
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_a_tests_xml_documents_are_renamed_with_the_xml_tags(tmp_path: Path) -> None:
    # Found on a GPX library under a policy renaming every tag: its tests compare XML written
    # in Go strings, which were plain strings to review, and `go test` failed once the patch
    # was applied. Their element and attribute names now follow the tags.
    root, changed, decided = planned(tmp_path, RENAMED)
    assert decided == ["element:rename:session_id", "element:rename:session_id",
                       "attribute:rename:session_id", "element:rename:session_id",
                       "element:rename:session_id"]
    assert changed["track_test.go"] == textwrap.dedent(TRACK_TEST).lstrip("\n").replace(
        "<run_id>r1</run_id>", "<session_id>r1</session_id>").replace(
        'point run_id="r1"', 'point session_id="r1"').replace(".RunID", ".SessionID").replace(
        "Track{RunID:", "Track{SessionID:").replace("tr.Points[0].RunID", "tr.Points[0].SessionID")
    go_test(root, changed)


def test_a_tests_xml_documents_keep_the_names_the_kept_tags_read(tmp_path: Path) -> None:
    # under the built-in policy the tags, only read, keep their names: so do the documents
    root, changed, decided = planned(tmp_path, RENAMED.split("[defaults]")[0])
    assert decided == ["element:keep:run_id", "element:keep:run_id", "attribute:keep:run_id",
                       "element:keep:run_id", "element:keep:run_id"]
    assert "<run_id>r1</run_id>" in changed["track_test.go"]
    go_test(root, changed)


def test_tags_decided_apart_leave_the_document_to_review(tmp_path: Path) -> None:
    policy = RENAMED + ('[[rule]]\nrole = "struct_tag"\nsymbol = "Point"\ndecision = "keep"\n'
                        'rationale = "points keep theirs"\n')
    _root, _changed, decided = planned(tmp_path, policy)
    assert decided == ["element:review:run_id", "element:review:run_id",
                       "attribute:review:run_id", "element:review:run_id",
                       "element:review:run_id"]


def test_which_names_of_a_go_string_are_an_xml_documents() -> None:
    from idrename.gosyntax import scan_go
    from idrename.spec import Spec

    src = textwrap.dedent('''
        package a

        import "encoding/xml"

        const doc = `<?xml version="1.0"?>
        <track run_id="x"><run_id>r1</run_id><note>the run_id</note><gpx:run_id/></track>`

        var lines = "<track>\\n  <run_id>r1</run_id>\\n</track>"

        func f(v any) error {
        	return xml.Unmarshal([]byte("<t run_id=\\"1\\"><run_id>1</run_id></t>"), v)
        }

        var msg = "<b>run_id</b> is missing: run_id=1"
        ''').lstrip("\n").encode()
    found = scan_go("a.go", src, Spec("RunID", "SessionID")).occurrences
    assert [(o.line, o.column, o.role, o.owner, o.detail) for o in found] == [
        (6, 8, "xml_text", "attribute", ""),
        (6, 20, "xml_text", "element", ""),
        (6, 31, "xml_text", "element", ""),
        (6, 48, "string", "", ""),  # what an element holds: a string as any other
        (6, 66, "xml_text", "element", ""),  # (after its namespace's prefix)
        (8, 26, "xml_text", "element", ""),
        (8, 37, "xml_text", "element", ""),
        (11, 34, "xml_text", "attribute", "decoded"),
        (11, 48, "xml_text", "element", "decoded"),
        (11, 58, "xml_text", "element", "decoded"),
        (14, 15, "string", "", ""),  # HTML in a message, and no tag's attribute
        (14, 38, "string", "", ""),
    ]

"""XML documents written in Go strings (idrename.xmltexts) and in the files tests read
(idrename.textfiles, idrename.embeddeddata) follow the xml tags of their names: Go text before,
Go text after, and `go test` with the real toolchain once the patch is applied."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

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


def planned(tmp_path: Path, policy: str, files: dict[str, str] | None = None
            ) -> tuple[Path, Any, dict[str, str]]:
    """The module (track.go, and ``files``, by default track_test.go) under ``tmp_path``, its
    analysis, and the files the plan changes."""
    root = tmp_path / "mod"
    root.mkdir(parents=True)
    for name, text in {"go.mod": "module example.com/a\n\ngo 1.21\n", "track.go": TRACK,
                       **(files or {"track_test.go": TRACK_TEST})}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip("\n"))
    analysis, patch = analyse_and_patch([root], parse_policy(policy), cache=False)
    assert patch is not None
    return root, analysis, {fp.path: fp.after.decode() for fp in patch.changed()}


def decided(analysis: Any, role: str = "xml_text") -> list[str]:
    """``owner:decision:target`` of each row of ``role``."""
    rows = analysis.decided[analysis.decided["role"] == role]
    return [f"{o}:{d}:{t}" for o, d, t in rows[["owner", "decision", "target"]].values.tolist()]


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
    root, analysis, changed = planned(tmp_path, RENAMED)
    assert decided(analysis) == ["element:rename:session_id", "element:rename:session_id",
                       "attribute:rename:session_id", "element:rename:session_id",
                       "element:rename:session_id"]
    assert changed["track_test.go"] == textwrap.dedent(TRACK_TEST).lstrip("\n").replace(
        "<run_id>r1</run_id>", "<session_id>r1</session_id>").replace(
        'point run_id="r1"', 'point session_id="r1"').replace(".RunID", ".SessionID").replace(
        "Track{RunID:", "Track{SessionID:").replace("tr.Points[0].RunID", "tr.Points[0].SessionID")
    go_test(root, changed)


def test_a_tests_xml_documents_keep_the_names_the_kept_tags_read(tmp_path: Path) -> None:
    # under the built-in policy the tags, only read, keep their names: so do the documents
    root, analysis, changed = planned(tmp_path, RENAMED.split("[defaults]")[0])
    assert decided(analysis) == ["element:keep:run_id", "element:keep:run_id", "attribute:keep:run_id",
                       "element:keep:run_id", "element:keep:run_id"]
    assert "<run_id>r1</run_id>" in changed["track_test.go"]
    go_test(root, changed)


def test_tags_decided_apart_leave_the_document_to_review(tmp_path: Path) -> None:
    policy = RENAMED + ('[[rule]]\nrole = "struct_tag"\nsymbol = "Point"\ndecision = "keep"\n'
                        'rationale = "points keep theirs"\n')
    _root, analysis, _changed = planned(tmp_path, policy)
    assert decided(analysis) == ["element:review:run_id", "element:review:run_id",
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


TRACK_XML = """
    <?xml version="1.0" encoding="UTF-8"?>
    <!-- a track of one run_id -->
    <track>
      <run_id>r1</run_id>
      <point run_id="r1"/>
    </track>
    """
# Passes before the rename and after it (with the fields' new Go names).
TRACK_FILE_TEST = """
    package track

    import (
    	"os"
    	"testing"
    )

    func TestTheRecordedTrackParses(t *testing.T) {
    	data, err := os.ReadFile("testdata/track.xml")
    	if err != nil {
    		t.Fatal(err)
    	}
    	tr, err := Parse(data)
    	if err != nil || tr.RunID != "r1" || len(tr.Points) != 1 || tr.Points[0].RunID != "r1" {
    		t.Fatalf("%+v %v", tr, err)
    	}
    }
    """


def test_a_tests_xml_file_follows_the_xml_tags(tmp_path: Path) -> None:
    # Found on two GPX libraries under a policy renaming every tag: their tests read GPX
    # documents from testdata, whose elements no inventory saw, so the renamed `xml` tags
    # decoded nothing and `go test` failed. An XML file's element and attribute names are keys,
    # and follow the tags that decode them as a JSON file's keys do (idrename.embeddeddata);
    # its comment stays to review, as the rest of a testdata file.
    files = {"track_test.go": TRACK_FILE_TEST, "testdata/track.xml": TRACK_XML}
    root, analysis, changed = planned(tmp_path, RENAMED, files)
    assert decided(analysis, "config_key") == [":rename:session_id"] * 3
    assert decided(analysis, "config_comment") == [":review:run_id"]
    assert changed["testdata/track.xml"] == textwrap.dedent(TRACK_XML).lstrip("\n").replace(
        "<run_id>r1</run_id>", "<session_id>r1</session_id>").replace(
        'point run_id="r1"', 'point session_id="r1"')
    go_test(root, changed)
    # under the built-in policy the tags, only read, keep their names, and so does the file
    _root, analysis, _changed = planned(tmp_path / "again", RENAMED.split("[defaults]")[0], files)
    assert decided(analysis, "config_key") == [":keep:run_id"] * 3

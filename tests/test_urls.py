"""Names inside URLs of other hosts (idrename.urls) are kept: a link in a comment or a README, an
XML namespace, another service's endpoint. Go text before, Go text after, and `go test` with the
real toolchain once the patch is applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from idrename import roles as R
from idrename.inventory import scan
from idrename.policy import parse_policy
from idrename.urls import external_urls, host_of, is_external
from test_patch import BASE_POLICY, applied_and_go_tested, assert_codemod, go, workflow_plan

LINKS = """
    // Package runs tracks runs.
    //
    // The RunID format is https://github.com/acme/runid-spec/blob/main/RunID.md.
    package runs

    import "fmt"

    // RunID names a run (see https://docs.acme.io/runid/overview#RunID).
    type RunID string

    const schemaURL = "https://schemas.acme.io/runid/v1/run.json"

    // Local is the development server's page of a run.
    func Local(id RunID) string {
    	return fmt.Sprintf("run %s: http://localhost:8080/runs/%s", id, id)
    }
    """


def test_links_in_comments_and_other_hosts_urls_are_kept(tmp_path: Path) -> None:
    # A comment's prose is renamed, its link is not: github.com still serves `runid-spec`.
    after = LINKS.replace("The RunID format", "The SessionID format").replace(
        "// RunID names", "// SessionID names").replace("type RunID", "type SessionID").replace(
        "(id RunID)", "(id SessionID)")
    assert_codemod(tmp_path, {"runs.go": LINKS}, {"runs.go": after})


def test_the_inventory_names_the_host_of_each_kept_part(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    root.mkdir()
    (root / "runs.go").write_text(go(LINKS))
    (root / "README.md").write_text(
        "# Runs\n\nEach run has a run ID ([spec](https://github.com/acme/runid-spec)); "
        "the dev server lists them at <http://localhost:8080/runid>.\n")
    pol = parse_policy(BASE_POLICY)
    frame = scan([root], pol.spec).frame
    external = frame[frame["role"] == R.EXTERNAL_URL]
    assert sorted(zip(external["path"], external["line"], external["text"], external["detail"],
                      strict=True)) == [
        ("README.md", 3, "runid", "github.com"),
        ("runs.go", 3, "RunID", "github.com"),
        ("runs.go", 3, "runid", "github.com"),
        ("runs.go", 8, "RunID", "docs.acme.io"),
        ("runs.go", 8, "runid", "docs.acme.io"),
        ("runs.go", 11, "runid", "schemas.acme.io"),
    ]
    # the local server's URL in the README is the document's text, as before
    local = frame[(frame["path"] == "README.md") & (frame["role"] != R.EXTERNAL_URL)]
    assert set(local["role"]) == {R.DOC_TEXT}


GPX = """
    package track

    import "encoding/xml"

    // Namespace is the GPX 1.1 schema's namespace.
    const Namespace = "http://www.topografix.com/GPX/1/1"

    // Document is a GPX document.
    type Document struct {
    	XMLName xml.Name `xml:"http://www.topografix.com/GPX/1/1 gpx"`
    	Creator string   `xml:"creator,attr"`
    }

    // Encode writes a GPX document.
    func Encode(creator string) ([]byte, error) {
    	return xml.Marshal(Document{Creator: creator})
    }
    """
GPX_TEST = """
    package track

    import "testing"

    func TestAGPXDocumentNamesItsNamespace(t *testing.T) {
    	out, err := Encode("me")
    	want := `<gpx xmlns="http://www.topografix.com/GPX/1/1" creator="me"></gpx>`
    	if err != nil || string(out) != want || Namespace != "http://www.topografix.com/GPX/1/1" {
    		t.Fatalf("%s %v", out, err)
    	}
    }
    """


def test_an_xml_namespace_is_kept_when_every_string_is_renamed(tmp_path: Path) -> None:
    # Found on a GPX library under a policy renaming every tag and string (Gpx -> Geo): the
    # namespace URL was renamed in the test's expected document and the schema's constant, and
    # go test failed. The URL is topografix.com's; the element's name follows its tag.
    policy = """
    [rename]
    from = "Gpx"
    to = "Geo"

    [defaults]
    struct_tag = "rename"
    string = "rename"
    message = "rename"
    """
    root, analysis, patch = workflow_plan(tmp_path, {"gpx.go": GPX, "gpx_test.go": GPX_TEST},
                                          go(policy))
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert after["gpx.go"] == go(GPX.replace(
        "// Namespace is the GPX 1.1", "// Namespace is the GEO 1.1").replace(
        "/1 gpx\"`", "/1 geo\"`").replace(
        "// Document is a GPX", "// Document is a GEO").replace(
        "// Encode writes a GPX", "// Encode writes a GEO"))
    assert after["gpx_test.go"] == go(GPX_TEST.replace("`<gpx ", "`<geo ").replace(
        "</gpx>`", "</geo>`"))
    kept = analysis.decided[analysis.decided["role"] == R.EXTERNAL_URL]
    assert set(kept["decision"]) == {"keep"} and len(kept) == 4
    applied_and_go_tested(root, patch)


def test_a_rule_renames_another_hosts_url_where_it_moved_too(tmp_path: Path) -> None:
    before = """
    package runs

    // Spec is where the run ID format is written down.
    const Spec = "https://docs.acme.io/runid/"

    // Mirror is a copy of it.
    const Mirror = "https://mirror.acme.io/runid/"
    """
    after = """
    package runs

    // Spec is where the session ID format is written down.
    const Spec = "https://docs.acme.io/sessionid/"

    // Mirror is a copy of it.
    const Mirror = "https://mirror.acme.io/runid/"
    """
    assert_codemod(tmp_path, {"runs.go": before}, {"runs.go": after}, policy="""
    [[rule]]
    role = "external_url"
    detail = "docs.acme.io"
    decision = "rename"
    rationale = "the docs moved their page with the rename"
    """)


@pytest.mark.parametrize(("url_authority", "host", "external"), [
    ("github.com", "github.com", True),
    ("API.Acme.io:443", "api.acme.io", True),
    ("user:secret@db.prod.acme.io:5432", "db.prod.acme.io", True),
    ("93.184.216.34", "93.184.216.34", True),
    ("localhost:8080", "localhost", False),
    ("127.0.0.1:9000", "127.0.0.1", False),
    ("[::1]:80", "::1", False),
    ("10.1.2.3", "10.1.2.3", False),
    ("172.20.0.5", "172.20.0.5", False),
    ("192.168.0.1", "192.168.0.1", False),
    ("0.0.0.0:80", "0.0.0.0", False),
    ("runs-service:8080", "runs-service", False),  # a service's name on an internal network
    ("example.com", "example.com", False),
    ("api.example.org", "api.example.org", False),
    ("runs.test", "runs.test", False),
    ("printer.local", "printer.local", False),
    ("%s", "%s", False),  # filled in at run time
    ("${HOST}", "${host}", False),
    ("", "", False),
])
def test_which_hosts_are_another_partys(url_authority: str, host: str, external: bool) -> None:
    assert host_of(url_authority) == host
    assert is_external(host) is external


def test_a_module_path_of_another_host_is_kept_in_a_comment_and_a_string(tmp_path: Path) -> None:
    # A Go comment names the modules it works with by their paths, without a scheme; the
    # module is served under that path whatever this code calls the thing.
    before = """
    package runs

    // RunID is the run id of github.com/acme/runid-go, also served as gopkg.in/runid.v2.
    type RunID string

    // Generated is the import the generator writes.
    const Generated = "github.com/acme/runid-go/client"
    """
    after = """
    package runs

    // SessionID is the session id of github.com/acme/runid-go, also served as gopkg.in/runid.v2.
    type SessionID string

    // Generated is the import the generator writes.
    const Generated = "github.com/acme/runid-go/client"
    """
    assert_codemod(tmp_path, {"runs.go": before}, {"runs.go": after})


@pytest.mark.parametrize(("line", "urls"), [
    (b"// see github.com/acme/runid.", [(7, 29, "github.com")]),
    (b'"https://api.acme.io/v1/runs?runid=1" and go.uber.org/zap',
     [(1, 36, "api.acme.io"), (42, 57, "go.uber.org")]),
    (b"// cmd/runid/main.go/ and docs/README.md/ are files", []),
    (b"// http://localhost:8080/runid and example.com/runid", []),
    (b"// user@github.com/runid is no module path", []),
])
def test_which_parts_of_a_line_are_urls_of_other_hosts(
        line: bytes, urls: list[tuple[int, int, str]]) -> None:
    assert external_urls(line) == urls

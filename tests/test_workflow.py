"""workflow.analyse_and_patch: the analysis and its patch, the patch built while the safety
checks finish in a forked child; the same analysis and patch as analyse then make_patch, and
the same errors in the same order of precedence."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from idrename import cache as cache_module
from idrename import checks
from idrename import patch as patch_module
from idrename.forked import DISABLE_VARIABLE
from idrename.patch import PatchError
from idrename.policy import parse_policy
from idrename.workflow import Analysis, analyse, analyse_and_patch, make_patch

POLICY = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n')

CLEAN = {
    "conv/conv.go": """
        package conv

        type Conversation struct {
        	RunID string `json:"run_id"`
        }

        func (c *Conversation) Key() string { return c.RunID }
        """,
}
COLLIDING = {
    "conv/conv.go": """
        package conv

        type Conversation struct {
        	RunID     string
        	SessionID string
        }
        """,
}


def write_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "backend"
    for rel, text in {"go.mod": "module example.com/backend\n\ngo 1.22\n", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.fixture(params=["forked", "here"])
def where(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The checks in a forked child, or in this process (IDRENAME_NO_FORK)."""
    if request.param == "here":
        monkeypatch.setenv(DISABLE_VARIABLE, "1")
    else:
        monkeypatch.delenv(DISABLE_VARIABLE, raising=False)
    return str(request.param)


@pytest.fixture
def order(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """When the patch was built and when the checks were waited for."""
    seen: list[str] = []
    real_build, real_checks = patch_module.build_patch, checks.run_checks

    def build(*args: Any, **kwargs: Any) -> Any:
        seen.append("patch")
        return real_build(*args, **kwargs)

    def check(*args: Any, **kwargs: Any) -> Any:
        seen.append("checks")
        return real_checks(*args, **kwargs)

    monkeypatch.setattr(patch_module, "build_patch", build)
    monkeypatch.setattr(checks, "run_checks", check)
    return seen


def outcome(analysis: Analysis) -> tuple[Any, ...]:
    return (analysis.decided.to_dict("list"), analysis.matrix.to_dict("list"),
            [c.__dict__ for c in analysis.conflicts])


def test_the_same_analysis_and_patch_as_one_after_the_other(
        tmp_path: Path, where: str, order: list[str]) -> None:
    root = write_tree(tmp_path, CLEAN)
    analysis, patch = analyse_and_patch([root], POLICY, cache=False)
    # forked: the patch is built before the checks' findings are waited for
    assert order == (["patch", "checks"] if where == "forked" else ["checks", "patch"])
    order.clear()
    separately = analyse([root], POLICY, cache=False)
    expected = make_patch(separately)
    assert outcome(analysis) == outcome(separately)
    assert patch is not None
    assert [(fp.path, fp.after) for fp in patch.changed()] == [
        (fp.path, fp.after) for fp in expected.changed()]
    assert patch.changed()[0].after == textwrap.dedent("""\
        package conv

        import (
        	"bytes"
        	"encoding/json"
        )

        type Conversation struct {
        	SessionID string `json:"session_id"`
        }

        // MarshalJSON writes the value under both "session_id" and the legacy "run_id" key.
        func (c Conversation) MarshalJSON() ([]byte, error) {
        	type plain Conversation
        	var out bytes.Buffer
        	enc := json.NewEncoder(&out)
        	enc.SetEscapeHTML(false) // (the encoder calling this one escapes as it is set)
        	err := enc.Encode(struct {
        		plain
        		LegacySessionID string `json:"run_id"`
        	}{plain(c), c.SessionID})
        	return bytes.TrimSuffix(out.Bytes(), []byte("\\n")), err
        }

        // UnmarshalJSON accepts the legacy "run_id" key when "session_id" is absent.
        func (c *Conversation) UnmarshalJSON(data []byte) error {
        	type plain Conversation
        	aux := struct {
        		*plain
        		SessionID       json.RawMessage `json:"session_id"`
        		LegacySessionID json.RawMessage `json:"run_id"`
        	}{plain: (*plain)(c)}
        	if err := json.Unmarshal(data, &aux); err != nil {
        		return err
        	}
        	if aux.SessionID == nil {
        		aux.SessionID = aux.LegacySessionID
        	}
        	if aux.SessionID != nil {
        		if err := json.Unmarshal(aux.SessionID, &c.SessionID); err != nil {
        			return err
        		}
        	}
        	return nil
        }

        func (c *Conversation) Key() string { return c.SessionID }
        """).encode()


def test_no_patch_when_the_checks_find_an_error(tmp_path: Path, where: str) -> None:
    root = write_tree(tmp_path, COLLIDING)
    analysis, patch = analyse_and_patch([root], POLICY, cache=False)
    assert patch is None
    assert [c.kind for c in analysis.errors] == ["field_collision"]


def test_a_patch_error_comes_after_the_conflicts(
        tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*args: Any, **kwargs: Any) -> Any:
        raise PatchError("conv/conv.go changed since it was read; plan again")

    monkeypatch.setattr(patch_module, "build_patch", fails)
    analysis, patch = analyse_and_patch([write_tree(tmp_path / "a", COLLIDING)], POLICY,
                                        cache=False)
    assert patch is None and analysis.errors  # the conflicts are said, not the patch's error
    with pytest.raises(PatchError, match="changed since it was read"):
        analyse_and_patch([write_tree(tmp_path / "b", CLEAN)], POLICY, cache=False)


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every child forked (idrename.forked.start), in order."""
    from idrename import forked

    monkeypatch.delenv(DISABLE_VARIABLE, raising=False)
    started: list[Any] = []
    real_start = forked.start

    def start(*args: Any, **kwargs: Any) -> Any:
        child = real_start(*args, **kwargs)
        assert child is not None, "no fork: a thread left running by another test?"
        started.append(child)
        return child

    monkeypatch.setattr(forked, "start", start)
    return started


@pytest.mark.parametrize("failing", ["decisions", "compat"])
def test_an_error_after_the_fork_stops_the_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, children: list[Any],
        failing: str) -> None:
    """The checks fork before the decisions: an error while deciding (the child waits for the
    decided rows) or after they were handed over stops the child."""
    from idrename import compat, decisions

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{failing} failed")

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(30)  # the child would still be at it without the stop

    monkeypatch.setattr(checks, "_checked_here", slow)
    if failing == "decisions":
        monkeypatch.setattr(decisions, "decide", broken)
    else:
        monkeypatch.setattr(compat, "contracts", broken)
    with pytest.raises(RuntimeError, match=f"{failing} failed"):
        analyse_and_patch([write_tree(tmp_path, CLEAN)], POLICY, cache=False)
    assert len(children) == 1
    assert not children[0]._process.is_alive()  # stopped, not left to finish


def test_a_remembered_analysis_stops_the_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, children: list[Any]) -> None:
    """Nothing changed since the last plan: the analysis is read back, and the child forked
    before it was known (it would check the same rows again) is stopped."""
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust a signature however recent
    root = write_tree(tmp_path, CLEAN)
    first, _ = analyse_and_patch([root], POLICY)
    second, _ = analyse_and_patch([root], POLICY)
    assert len(children) == 2 and not children[1]._process.is_alive()
    assert children[1].result() is None  # stopped before it answered
    assert outcome(second) == outcome(first)


def test_without_a_child_the_go_facts_start_before_the_decisions_and_stop_if_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the checks cannot fork (here: forking is off), the pool reads the Go facts while
    this process decides; an analysis read back from the cache gives them up."""
    from idrename import decisions, gofacts

    monkeypatch.setenv("IDRENAME_NO_FORK", "1")
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust a signature however recent
    events: list[str] = []
    for owner, name in ((gofacts.GoFacts, "start"), (gofacts.GoFacts, "cancel"),
                        (gofacts.GoFacts, "scan"), (decisions, "decide")):
        real = getattr(owner, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            events.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    root = write_tree(tmp_path, CLEAN)
    first, _ = analyse_and_patch([root], POLICY)
    assert events == ["start", "decide", "scan"]
    events.clear()
    second, _ = analyse_and_patch([root], POLICY)  # nothing changed: read back
    assert events == ["start", "decide", "cancel"]
    assert outcome(second) == outcome(first)


def test_the_forked_checks_go_on_only_when_the_go_facts_need_no_pool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, children: list[Any]) -> None:
    """A child beside a pool reading the whole tree would hold more memory at once: the forked
    checks go on only when fewer Go files than the facts' pool threshold are not in the cache;
    else the child is stopped and the checks start here, as without a fork."""
    from idrename import gofacts

    monkeypatch.setattr(gofacts, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    here: list[Any] = []
    real_start = checks.start_checks

    def start(*args: Any, **kwargs: Any) -> Any:
        prepared = real_start(*args, **kwargs)
        here.append(prepared.forked)
        return prepared

    monkeypatch.setattr(checks, "start_checks", start)
    # The child must not finish (and remember its findings, which this process would then read
    # back instead of starting the checks) before it is stopped, however loaded the machine.
    held = tmp_path / "hold-the-child"
    real_checked = checks._checked_here

    def checked(*args: Any, **kwargs: Any) -> Any:
        while held.exists():  # in the child; stopped from the parent
            time.sleep(0.01)
        return real_checked(*args, **kwargs)

    monkeypatch.setattr(checks, "_checked_here", checked)
    root = write_tree(tmp_path, {**CLEAN, "conv/a.go": "package conv\n\nvar runID = 1\n",
                                 "conv/b.go": "package conv\n\nvar other = 2\n"})
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust a signature however recent
    held.touch()
    analyse_and_patch([root], POLICY)  # three files to read: the child is stopped
    held.unlink()
    assert len(children) == 1 and not children[0]._process.is_alive()
    assert here == [None]  # then started here
    (root / "conv" / "b.go").write_text("package conv\n\nvar other = 3\n")
    second, _ = analyse_and_patch([root], POLICY)  # one file to read again: the child checks
    assert len(children) == 2 and here == [None]
    assert outcome(second) == outcome(analyse([root], POLICY, cache=False))


def test_here_the_files_are_patched_in_the_pool_while_the_checks_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: list[str]) -> None:
    """Without a child, each file's edits, gofmt and diff are made in the process pool while this
    process runs the checks (idrename.patchahead); the patch then takes them."""
    from idrename import patchahead

    monkeypatch.setenv(DISABLE_VARIABLE, "1")
    monkeypatch.setattr(patchahead, "PARALLEL_MIN_FILES", 1)
    real_start, real_take = patchahead.PatchAhead.start, patchahead.PatchAhead.take
    taken: list[str] = []

    def start(*args: Any, **kwargs: Any) -> Any:
        order.append("ahead")
        return real_start(*args, **kwargs)

    def take(self: Any, label: str, path: str, *args: Any) -> Any:
        found = real_take(self, label, path, *args)
        taken.append(path if found is not None else "")
        return found

    monkeypatch.setattr(patchahead.PatchAhead, "start", start)
    monkeypatch.setattr(patchahead.PatchAhead, "take", take)
    root = write_tree(tmp_path, CLEAN)
    _analysis, patch = analyse_and_patch([root], POLICY, cache=False)
    assert order == ["ahead", "checks", "patch"] and taken == ["conv/conv.go"]
    expected = make_patch(analyse([root], POLICY, cache=False))
    assert patch is not None
    assert [(fp.path, fp.after, fp.warnings, fp.diff()) for fp in patch.files] == [
        (fp.path, fp.after, fp.warnings, fp.diff()) for fp in expected.files]


def test_files_patched_ahead_are_given_up_when_the_checks_find_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in the checks: no patch, and nothing the workers made is left behind."""
    import tempfile

    from idrename import patchahead

    monkeypatch.setenv(DISABLE_VARIABLE, "1")
    monkeypatch.setattr(patchahead, "PARALLEL_MIN_FILES", 1)
    started: list[Any] = []
    real_start = patchahead.PatchAhead.start

    def start(*args: Any, **kwargs: Any) -> Any:
        started.append(real_start(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(patchahead.PatchAhead, "start", start)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    root = write_tree(tmp_path, COLLIDING)
    analysis, patch = analyse_and_patch([root], POLICY, cache=False)
    assert analysis.errors and patch is None
    assert len(started) == 1 and started[0] is not None
    assert list(scratch.iterdir()) == []

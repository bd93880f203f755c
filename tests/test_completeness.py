"""Completeness: every family token in a Go file is exactly one occurrence, none lost, none
counted twice. Checked against an independent scan (every identifier-character run, kept when
the spec calls it a member) on the fixture and on generated Go sources."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from idrename.gosyntax import scan_go
from idrename.spec import Spec, tokens

SPEC = Spec("RunID", "SessionID", explicit={"runToTurn": "sessionToTurn"})
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "moments"


def expected_spans(data: bytes) -> list[tuple[int, int]]:
    """The independent oracle: plain identifier tokens that are members, plus kebab-case members
    (`X-Run-ID`) inside strings and comments, which the Go scanner joins across hyphens."""
    plain = [(s, e) for s, e, tok in tokens(data) if SPEC.is_member(tok)]
    kebab = [(h.start, h.end) for h in SPEC.find(data) if "-" in h.token]
    covered = [(s, e) for s, e in plain if not any(ks <= s and e <= ke for ks, ke in kebab)]
    return sorted(covered + kebab)


def found_spans(data: bytes) -> list[tuple[int, int]]:
    return sorted((o.start_byte, o.end_byte) for o in scan_go("x.go", data, SPEC).occurrences)


def test_fixture_files_are_complete() -> None:
    files = sorted((FIXTURE / "backend").rglob("*.go"))
    assert files
    for path in files:
        data = path.read_bytes()
        assert found_spans(data) == expected_spans(data), path.name


MEMBERS = ["RunID", "runID", "run_id", "RUN_ID", "runIds", "FindConversationByRunID", "resRunID",
           "runToTurn", "runIDs", "RunId"]
HOMONYMS = ["RunInference", "runLoop", "Runtime", "TrunID", "prune_id", "run", "ID", "runner"]
NAMES = MEMBERS + HOMONYMS


@st.composite
def go_source(draw: st.DrawFn) -> bytes:
    lines = ["package p", "", 'import "fmt"', ""]
    for i in range(draw(st.integers(1, 6))):
        field = draw(st.sampled_from(NAMES))
        tag = draw(st.sampled_from(NAMES))
        lines += [f"// T{i} documents {draw(st.sampled_from(NAMES))} and X-Run-ID.",
                  f"type T{i} struct {{", f"\t{field.capitalize()}X string `json:\"{tag}\"`", "}", ""]
    for i in range(draw(st.integers(1, 6))):
        a, b, c = (draw(st.sampled_from(NAMES)) for _ in range(3))
        lines += [
            f"func f{i}({a}Arg string) string {{",
            f"\t{b}Local := {a}Arg // {c}",
            f'\tfmt.Println("{c} {a}", {b}Local)',
            f"\treturn {b}Local",
            "}",
            "",
        ]
    return "\n".join(lines).encode()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(go_source())
def test_generated_sources_are_complete(data: bytes) -> None:
    assert found_spans(data) == expected_spans(data)

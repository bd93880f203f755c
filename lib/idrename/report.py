"""The audit record: run the four notebooks against a codebase and write one HTML report.

``run_audit`` executes ``01_inventory`` .. ``04_patch_application`` with papermill (their first
code cell is a ``parameters`` cell), writes the executed notebooks, the tables they produce (CSV
and Parquet), the patch, and ``report.html``: a summary page followed by the four notebooks, in
one self-contained file (plots are embedded). The analysed tree is never modified: notebook 04
applies the patch to a scratch copy under the output folder.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

NOTEBOOKS = ("01_inventory", "02_naming_policy", "03_compat_analysis", "04_patch_application")
TITLES = {
    "01_inventory": "1. Inventory",
    "02_naming_policy": "2. Naming policy",
    "03_compat_analysis": "3. Compatibility",
    "04_patch_application": "4. Patch and verification",
}


def notebooks_dir() -> Path:
    """The project's notebooks (next to lib/ in a checkout)."""
    here = Path(__file__).resolve().parents[2] / "notebooks"
    if not (here / f"{NOTEBOOKS[0]}.ipynb").exists():
        raise FileNotFoundError(
            f"the workbench notebooks are not in {here}; run idrename audit from a checkout of "
            "the project (pip install -e .)"
        )
    return here


def run_audit(
    root: str | os.PathLike[str],
    *,
    consumers: Sequence[str | os.PathLike[str]] = (),
    policy: str | os.PathLike[str] | None = None,
    terms: tuple[str, str] | None = None,
    out: str | os.PathLike[str],
    expected: str | os.PathLike[str] | None = None,
    expected_contracts: str | os.PathLike[str] | None = None,
    expected_tree: str | os.PathLike[str] | None = None,
    progress: TextIO | None = None,
) -> str:
    """Execute the four notebooks into ``out`` and write ``out/report.html``; return the summary."""
    import papermill

    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = out_dir / "tables"

    def absolute(p: str | os.PathLike[str] | None) -> str | None:
        return str(Path(p).resolve()) if p is not None else None

    parameters = {
        "ROOTS": [absolute(root)],
        "CONSUMER_ROOTS": [absolute(c) for c in consumers],
        "POLICY": absolute(policy),
        "FROM": terms[0] if terms else None,
        "TO": terms[1] if terms else None,
        "EXPECTED": absolute(expected),
        "EXPECTED_CONTRACTS": absolute(expected_contracts),
        "EXPECTED_TREE": absolute(expected_tree),
        "OUT": str(tables),
        "SCRATCH": str(out_dir / "scratch"),
    }
    source = notebooks_dir()
    executed = []
    for name in NOTEBOOKS:
        if progress is not None:
            print(f"idrename audit: running {name} ...", file=progress, flush=True)
        target = out_dir / f"{name}.ipynb"
        papermill.execute_notebook(
            str(source / f"{name}.ipynb"), str(target), parameters=parameters,
            cwd=str(source), progress_bar=False, log_output=False, kernel_name="python3",
        )
        executed.append(target)
    summary = summarise(tables)
    report = out_dir / "report.html"
    report.write_text(render_report(summary, executed), encoding="utf-8")
    paragraph = summary_paragraph(summary)
    (out_dir / "summary.txt").write_text(paragraph + "\n", encoding="utf-8")
    return f"{paragraph}\nreport: {report}"


def summarise(tables: Path) -> dict[str, object]:
    """The figures of the summary page, read from the tables the notebooks wrote."""
    import pandas as pd

    summary: dict[str, object] = {}
    inv = tables / "inventory.csv"
    if inv.exists():
        frame = pd.read_csv(inv, keep_default_na=False)
        summary["occurrences"] = len(frame)
        summary["files"] = int(frame[["root", "path"]].drop_duplicates().shape[0])
        summary["roles"] = frame["role"].value_counts().sort_index().to_dict()
    dec = tables / "decisions.csv"
    if dec.exists():
        frame = pd.read_csv(dec, keep_default_na=False)
        summary["decisions"] = frame["decision"].value_counts().sort_index().to_dict()
    conflicts = tables / "conflicts.csv"
    if conflicts.exists():
        frame = pd.read_csv(conflicts, keep_default_na=False)
        summary["conflicts"] = frame["severity"].value_counts().sort_index().to_dict() if len(frame) else {}
    contracts = tables / "contracts.csv"
    if contracts.exists():
        frame = pd.read_csv(contracts, keep_default_na=False)
        summary["contracts"] = len(frame)
        summary["strategies"] = frame["strategy"].value_counts().sort_index().to_dict()
    diffstat = tables / "diffstat.csv"
    if diffstat.exists():
        frame = pd.read_csv(diffstat, keep_default_na=False)
        summary["diff"] = {"files": len(frame), "added": int(frame["added"].sum()),
                           "removed": int(frame["removed"].sum())}
    verification = tables / "verification.json"
    if verification.exists():
        summary["verification"] = json.loads(verification.read_text(encoding="utf-8"))
    return summary


def summary_paragraph(summary: dict[str, object]) -> str:
    parts = []
    if "occurrences" in summary:
        parts.append(f"{summary['occurrences']} occurrences of the family in {summary['files']} files")
    if "decisions" in summary:
        decisions = summary["decisions"]
        assert isinstance(decisions, dict)
        parts.append("decisions: " + ", ".join(f"{k} {v}" for k, v in decisions.items()))
    if "conflicts" in summary:
        conflicts = summary["conflicts"]
        assert isinstance(conflicts, dict)
        parts.append(f"{conflicts.get('error', 0)} conflict(s)")
    if "contracts" in summary:
        strategies = summary["strategies"]
        assert isinstance(strategies, dict)
        parts.append(f"{summary['contracts']} wire contracts ("
                     + ", ".join(f"{k} {v}" for k, v in strategies.items()) + ")")
    if "diff" in summary:
        diff = summary["diff"]
        assert isinstance(diff, dict)
        parts.append(f"patch: {diff['files']} files, +{diff['added']} -{diff['removed']} lines")
    if "verification" in summary:
        ver = summary["verification"]
        assert isinstance(ver, dict)
        parts.append(str(ver.get("summary", "")))
    return "; ".join(parts) + "." if parts else "no tables were written."


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
nav a { margin-right: 1.5em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
pre { background: #f6f8fa; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
section.notebook { border-top: 3px solid #445; margin-top: 3em; }
img { max-width: 100%; }
"""


def render_report(summary: dict[str, object], notebooks: Sequence[Path]) -> str:
    """One self-contained HTML page: the summary, then the four executed notebooks."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    nav = " ".join(f'<a href="#{p.stem}">{html.escape(TITLES.get(p.stem, p.stem))}</a>'
                   for p in notebooks)
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(_fmt(v))}</td></tr>"
        for k, v in summary.items()
    )
    body = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>idrename audit record</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>idrename audit record</h1>",
        f"<nav>{nav}</nav>",
        f"<p>{html.escape(summary_paragraph(summary))}</p>",
        f"<h2>Summary</h2><table>{rows}</table>",
    ]
    for path in notebooks:
        nb = _static(nbformat.read(path, as_version=4))
        content, _ = exporter.from_notebook_node(nb)
        body.append(f'<section class="notebook" id="{path.stem}">{content}</section>')
    body.append("</body></html>")
    return "\n".join(body)


def _static(nb: Any) -> Any:
    """The notebook without live widget views (a static page has no kernel to draw them; their
    text form stays), so the report needs no script."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    return nb


def _fmt(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    return str(value)

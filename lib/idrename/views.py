"""Tables and plots the notebooks and the report show: pure functions of the stage data, sorted,
with paths relative to the analysed roots, so the executed notebooks are reproducible."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

SHOW_COLUMNS = ["root", "path", "line", "column", "role", "text", "symbol"]
COMPARE_KEYS = ["root", "path", "line", "column"]


def counts(frame: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Occurrences per value of ``by``, most first, ties by name."""
    by = [by] if isinstance(by, str) else list(by)
    out = frame.groupby(by).size().rename("occurrences").reset_index()
    return out.sort_values(["occurrences", *by], ascending=[False] + [True] * len(by),
                           ignore_index=True)


def role_by_package(frame: pd.DataFrame) -> pd.DataFrame:
    """A package x role count table (packages as rows)."""
    keyed = frame.assign(package=frame["package"].where(frame["package"] != "", frame["root"]))
    table = keyed.pivot_table(index="package", columns="role", values="id", aggfunc="count",
                              fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    return table[sorted(table.columns)]


def sections(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The inventory grouped the way the policy's sections group it: per section, one row per
    file with its occurrence count, its roles and the distinct spellings."""
    out = {}
    for name, group in sorted(frame.groupby("section"), key=lambda kv: kv[0]):
        rows = []
        for (root, path), g in group.groupby(["root", "path"], sort=True):
            rows.append({
                "file": f"{root}/{path}",
                "occurrences": len(g),
                "roles": ", ".join(f"{r} {n}" for r, n in g["role"].value_counts().sort_index().items()),
                "spellings": ", ".join(sorted(set(g["text"]))),
            })
        import pandas as pd

        out[name] = pd.DataFrame(rows, columns=["file", "occurrences", "roles", "spellings"])
    return out


def compare_with_expected(frame: pd.DataFrame, expected_csv: str | Path) -> pd.DataFrame:
    """Rows where the inventory and a hand-written expected inventory disagree on
    (root, path, line, column, role, text): empty when they are equal."""
    import pandas as pd

    expected = pd.read_csv(expected_csv, dtype={"line": "int64", "column": "int64"},
                           keep_default_na=False)
    got = frame[[*COMPARE_KEYS, "role", "text"]]
    merged = got.merge(expected[[*COMPARE_KEYS, "role", "text"]], on=COMPARE_KEYS, how="outer",
                       suffixes=("", "_expected"), indicator=True)
    differs = (merged["_merge"] != "both") | (merged["role"] != merged["role_expected"]) | (
        merged["text"] != merged["text_expected"])
    out = merged[differs].rename(columns={"_merge": "found_in"})
    out["found_in"] = out["found_in"].map(
        {"left_only": "inventory only", "right_only": "expected only", "both": "both"})
    return out.sort_values(COMPARE_KEYS, ignore_index=True)


def rename_table(decided: pd.DataFrame) -> pd.DataFrame:
    """Distinct old -> new spellings per role and decision, with how many places each has."""
    table = decided.groupby(["role", "text", "target", "decision"]).size().rename(
        "occurrences").reset_index()
    return table.sort_values(["role", "text", "target"], ignore_index=True)


def plot_counts(table: pd.DataFrame, title: str, *, path: str | Path | None = None) -> Any:
    """A horizontal stacked bar chart of a count table (rows stacked by column)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.35 * len(table) + 1)))
    table.iloc[::-1].plot.barh(stacked=True, ax=ax, width=0.75)
    ax.set_title(title)
    ax.set_xlabel("occurrences")
    ax.set_ylabel("")
    ax.legend(fontsize="small", ncol=2, loc="lower right")
    fig.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=80, metadata={"Software": None})
    return fig


def diff_for(diff_text: str, path: str) -> str:
    """The part of a unified diff that concerns one file."""
    parts = diff_text.split("diff --git ")
    for part in parts:
        if part.startswith(f"a/{path} "):
            return "diff --git " + part
    return ""


def policy_tables(policy: Any) -> dict[str, pd.DataFrame]:
    """The policy as tables: defaults per role, rules, exclusions, overrides, contracts."""
    import pandas as pd

    defaults = pd.DataFrame(sorted(policy.defaults.items()), columns=["role", "decision"])
    rules = pd.DataFrame(
        [{"rule": r.index, "roles": ", ".join(r.roles) or "(any)",
          "match": ", ".join(f"{k}={'|'.join(v)}" for k, v in r.match.items()) or "(any)",
          "decision": r.decision, "rationale": r.rationale} for r in policy.rules],
        columns=["rule", "roles", "match", "decision", "rationale"])
    excludes = pd.DataFrame(
        [{"text": e.text, "path": e.path or "", "symbol": e.symbol or "", "rationale": e.rationale}
         for e in policy.excludes], columns=["text", "path", "symbol", "rationale"])
    overrides = pd.DataFrame(
        [{"id": o.id, "decision": o.decision, "target": o.target or "", "rationale": o.rationale}
         for o in policy.overrides], columns=["id", "decision", "target", "rationale"])
    contracts = pd.DataFrame(
        [{"wire": c.wire, "kind": c.kind or "", "path": c.path or "", "owner": c.owner or "",
          "strategy": c.strategy, "rationale": c.rationale} for c in policy.contracts],
        columns=["wire", "kind", "path", "owner", "strategy", "rationale"])
    return {"defaults": defaults, "rules": rules, "excludes": excludes, "overrides": overrides,
            "contracts": contracts}


def odd_compounds(decided: pd.DataFrame, spec: Any) -> pd.DataFrame:
    """Compounds whose mechanical rename repeats a word, with the suggestion and the decision."""
    from .spec import collapse_repeats

    mechanical = decided["text"].map(spec.rename)
    suggestion = mechanical.map(lambda t: collapse_repeats(t) or "")
    odd = decided[suggestion != ""].assign(mechanical=mechanical, suggested=suggestion)
    table = odd.groupby(["text", "mechanical", "suggested", "target", "decision"]).size().rename(
        "occurrences").reset_index()
    return table.sort_values("text", ignore_index=True)


def compare_contracts(matrix: pd.DataFrame, expected_csv: str | Path) -> pd.DataFrame:
    """Contracts where the matrix and a hand-written expected matrix disagree (empty when equal)."""
    import pandas as pd

    from .compat import ORACLE_COLUMNS, oracle_frame

    expected = pd.read_csv(expected_csv, dtype=str, keep_default_na=False)
    got = oracle_frame(matrix).astype(str)
    merged = got.merge(expected, how="outer", on=list(ORACLE_COLUMNS), indicator=True)
    out = merged[merged["_merge"] != "both"].rename(columns={"_merge": "found_in"})
    out["found_in"] = out["found_in"].map({"left_only": "matrix only", "right_only": "expected only"})
    return out.sort_values(["contract", "found_in"], ignore_index=True)

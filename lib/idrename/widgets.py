"""The review panel: filter the decided occurrences, pick some, and write overrides to the policy.

The panel edits only the policy file (through :func:`idrename.policy.write_override`, which keeps
every other byte of it); after each write it reloads the policy and re-runs
:func:`idrename.decisions.decide`, so the list always shows what the file now says.

Labels name an occurrence by its root label and root-relative path, never by an absolute path,
and the rows keep the order of the decided frame, so the panel is the same on every machine.

Each widget carries a CSS class for browser tests and styling: ``idrename-review-panel`` (the
box), ``idrename-filter-<role|package|section|decision>``, ``idrename-search``, ``idrename-rows``,
``idrename-count``, ``idrename-details``, ``idrename-decision`` (the decision to set),
``idrename-target``, ``idrename-rationale``, ``idrename-apply`` and ``idrename-status``.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from idrename.decisions import DECISION_COLUMNS, check_overrides, decide
from idrename.policy import (
    DECISIONS,
    Policy,
    PolicyError,
    load_policy,
    row_value,
    write_override,
)

ALL = "(all)"
FILTER_COLUMNS = ("role", "package", "section", "decision")
SEARCH_COLUMNS = ("text", "symbol", "path")
DEFAULT_MAX_ROWS = 1000
DETAIL_ROWS = 10
# Rows line up better in a fixed-width font; scoped to the panel's own classes.
PANEL_STYLE = (
    "<style>.idrename-rows select, .idrename-details code "
    "{font-family: monospace; white-space: pre;}</style>"
)


def row_label(row: Any) -> str:
    """``root/path:line:column  role  text -> target  [decision]`` for one decided row."""
    where = f"{row_value(row, 'root')}/{row_value(row, 'path')}"
    where += f":{row_value(row, 'line')}:{row_value(row, 'column')}"
    change = f"{row_value(row, 'text')} -> {row_value(row, 'target')}"
    return f"{where}  {row_value(row, 'role')}  {change}  [{row_value(row, 'decision')}]"


def filter_rows(decided: pd.DataFrame, filters: dict[str, str], search: str = "") -> pd.DataFrame:
    """The rows whose columns equal every filter value (``(all)`` matches anything) and whose
    text, symbol or path contains ``search`` (case-insensitive)."""
    mask = pd.Series(True, index=decided.index)
    for column, value in filters.items():
        if value != ALL and column in decided.columns:
            mask &= _text(decided[column]) == value
    needle = search.strip().casefold()
    if needle:
        found = pd.Series(False, index=decided.index)
        for column in SEARCH_COLUMNS:
            if column in decided.columns:
                found |= _text(decided[column]).str.casefold().str.contains(needle, regex=False)
        mask &= found
    return decided[mask]


def _text(column: pd.Series) -> pd.Series:
    return column.fillna("").astype(str)


def _choices(values: Iterable[Any]) -> list[str]:
    return [ALL, *sorted({str(v) for v in values if isinstance(v, str) and v})]


class ReviewPanel:
    """Review decided occurrences and write ``[[override]]`` entries to ``policy_path``.

    ``decided`` is the output of ``decide(inventory_frame, policy)``; ``policy`` is the loaded
    policy (read from ``policy_path`` when not given); ``roots`` the folders of the inventory's
    roots by label, which deciding again reads (see :func:`idrename.decisions.decide`).
    ``.widget`` is the top-level box.
    """

    def __init__(self, decided: pd.DataFrame, policy_path: str | os.PathLike[str], *,
                 policy: Policy | None = None, max_rows: int = DEFAULT_MAX_ROWS,
                 roots: Mapping[str, str | os.PathLike[str]] | None = None) -> None:
        self.policy_path = Path(policy_path)
        self.roots = roots
        self.policy = policy if policy is not None else load_policy(self.policy_path)
        self.inventory = decided.drop(columns=[c for c in DECISION_COLUMNS if c in decided.columns])
        self.decided = decided.copy()
        self.max_rows = max_rows
        self.shown = self.decided.iloc[:0]

        self.filters = {
            column: w.Dropdown(description=column, options=self._filter_options(column),
                               value=ALL, layout=w.Layout(width="auto"))
            for column in FILTER_COLUMNS
        }
        self.search = w.Text(placeholder="search text, symbol, path", description="search",
                             continuous_update=False, layout=w.Layout(width="50%"))
        self.rows = w.SelectMultiple(options=[], rows=16, layout=w.Layout(width="100%"))
        self.count = w.Label()
        self.details = w.HTML()
        self.decision = w.Dropdown(description="set to", options=list(DECISIONS),
                                   value=DECISIONS[0])
        self.rationale = w.Text(description="rationale", placeholder="why (required)",
                                layout=w.Layout(width="60%"))
        self.target = w.Text(description="target", placeholder="new text (optional)")
        self.apply = w.Button(description="Apply to selected", button_style="primary",
                              icon="check", layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.message = ""

        for name, widget in (*((f"filter-{c}", d) for c, d in self.filters.items()),
                             ("search", self.search),
                             ("rows", self.rows), ("count", self.count),
                             ("details", self.details), ("decision", self.decision),
                             ("rationale", self.rationale), ("target", self.target),
                             ("apply", self.apply), ("status", self.status)):
            widget.add_class(f"idrename-{name}")
        for widget in (*self.filters.values(), self.search):
            widget.observe(self._on_filter, names="value")
        self.rows.observe(self._on_select, names="value")
        self.apply.on_click(self._on_apply)

        self.widget = w.VBox(
            [
                w.HTML(PANEL_STYLE),
                w.HBox([self.filters[c] for c in FILTER_COLUMNS]),
                self.search,
                self.count,
                self.rows,
                self.details,
                w.HBox([self.decision, self.target]),
                w.HBox([self.rationale, self.apply]),
                self.status,
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("idrename-review-panel")
        self.refresh()

    # -- construction helpers --------------------------------------------------------------

    @classmethod
    def from_roots(cls, roots: Sequence[str | os.PathLike[str]],
                   policy_path: str | os.PathLike[str], **kwargs: Any) -> ReviewPanel:
        """Scan ``roots`` with the policy at ``policy_path``, decide, and build the panel."""
        from idrename.inventory import scan

        policy = load_policy(policy_path)
        inv = scan(list(roots), policy.spec, sections=policy.sections, skip=policy.skip)
        return cls(decide(inv.frame, policy, inv.roots), policy_path, policy=policy,
                   roots=inv.roots, **kwargs)

    def _filter_options(self, column: str) -> list[str]:
        if column == "decision":
            return [ALL, *DECISIONS]
        if column not in self.inventory.columns:
            return [ALL]
        return _choices(self.inventory[column])

    # -- state -----------------------------------------------------------------------------

    @property
    def selected(self) -> tuple[str, ...]:
        """The ids of the selected occurrences."""
        return tuple(self.rows.value)

    def filter_values(self) -> dict[str, str]:
        return {column: str(widget.value) for column, widget in self.filters.items()}

    def refresh(self) -> None:
        """Re-filter the decided frame into the row list, keeping the selection that is still
        shown."""
        keep = set(self.rows.value)
        matching = filter_rows(self.decided, self.filter_values(), str(self.search.value))
        self.shown = matching.iloc[: self.max_rows]
        options = [(row_label(row), row_value(row, "id"))
                   for row in self.shown.to_dict("records")]
        self.rows.options = options
        self.rows.value = tuple(ident for _, ident in options if ident in keep)
        total = len(self.decided)
        text = f"{len(matching)} of {total} occurrences"
        if len(matching) > len(self.shown):
            text += f" (showing the first {len(self.shown)})"
        self.count.value = text
        self._show_details()

    def _show_details(self) -> None:
        ids = set(self.rows.value)
        if not ids:
            self.details.value = ""
            return
        picked = self.decided[self.decided["id"].astype(str).isin(ids)]
        lines = []
        for row in picked.iloc[:DETAIL_ROWS].to_dict("records"):
            why = f"{row_value(row, 'decided_by')}: {row_value(row, 'rationale')}"
            suggestion = row_value(row, "suggestion")
            if suggestion:
                why += f" (suggestion: {suggestion})"
            lines.append(f"<li><code>{html.escape(row_value(row, 'id'))}</code> "
                         f"{html.escape(why)}</li>")
        more = len(picked) - DETAIL_ROWS
        if more > 0:
            lines.append(f"<li>... and {more} more</li>")
        self.details.value = f"<ul class='idrename-details-list'>{''.join(lines)}</ul>"

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message = text
        color = "#b00020" if error else "inherit"
        self.status.value = f"<span style='color:{color}'>{html.escape(text)}</span>"

    # -- events ----------------------------------------------------------------------------

    def _on_filter(self, _change: Any) -> None:
        self.refresh()

    def _on_select(self, _change: Any) -> None:
        self._show_details()

    def _on_apply(self, _button: Any = None) -> None:
        self.apply_to_selected()

    def apply_to_selected(self) -> int:
        """Write an override for each selected id; returns how many were written (0 when the
        request is refused: nothing selected, or no rationale)."""
        ids = self.selected
        name = self.policy_path.name
        if not ids:
            self._say("refused: select at least one occurrence first", error=True)
            return 0
        rationale = str(self.rationale.value).strip()
        if not rationale:
            self._say("refused: a rationale is required (say why this decision is right)",
                      error=True)
            return 0
        decision = str(self.decision.value)
        target = str(self.target.value).strip() or None
        written = 0
        problem: str | None = None
        for ident in ids:
            try:
                write_override(self.policy_path, ident, decision, rationale, target=target)
            except (PolicyError, OSError) as exc:
                problem = _without_dirs(str(exc), self.policy_path)
                break
            written += 1
        if written:  # the file changed: show what it now says
            try:
                self.reload()
            except PolicyError as exc:
                problem = problem or _without_dirs(str(exc), self.policy_path)
        noun = "override" if written == 1 else "overrides"
        text = f"{written} {noun} written to {name}"
        if problem is not None:
            self._say(f"{text}; stopped at an error: {problem}", error=True)
            return written
        warnings = [
            _without_dirs(str(e), self.policy_path)
            for e in check_overrides(self.inventory, self.policy)
            if any(f"'{ident}'" in str(e) or f" {ident} " in str(e) for ident in ids)
        ]
        if warnings:
            self._say(f"{text}; check: {' | '.join(warnings)}", error=True)
        else:
            self._say(text)
        return written

    def reload(self) -> None:
        """Reload the policy from its file, decide again and refresh the list."""
        self.policy = load_policy(self.policy_path)
        self.decided = decide(self.inventory, self.policy, self.roots)
        self.refresh()

    # -- display ---------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _without_dirs(text: str, path: Path) -> str:
    """A message with the policy's full path shortened to its file name."""
    return text.replace(str(path), path.name)

"""Rows of a DataFrame as plain dicts, fast.

``DataFrame.to_dict("records")`` boxes every cell one by one (half a second for the benchmark's
33,000 decided rows); converting whole columns with ``tolist`` and zipping them gives the same
dicts (Python scalars, ``None``/``nan`` where the frame has them) several times faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``, column by column."""
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names):
        return frame.to_dict("records")  # duplicate column names: let pandas decide
    columns = [frame[c].tolist() for c in frame.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]

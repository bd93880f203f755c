"""idrename: plan, review, apply and record an identifier-family rename across a Go codebase.

Stages, each a function of the previous stage's data:
``spec`` (the family) -> ``inventory`` -> ``decisions`` -> ``checks`` -> ``compat`` -> ``patch``
-> ``apply`` -> ``verify`` -> ``report``. Importing the package is light: pandas and tree-sitter
load only when a stage runs.
"""

from __future__ import annotations

from .inventory import inventory, scan
from .spec import Spec

__version__ = "0.1.0"

__all__ = ["Spec", "__version__", "inventory", "scan"]

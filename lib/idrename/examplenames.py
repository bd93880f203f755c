"""Example functions named after what they show, renamed as those are.

``go test`` runs ``ExampleStream_Filter`` as the example of the method ``Filter`` of
``Stream``, and ``go vet`` checks that the name refers to one: ``ExampleF`` to a function or
type ``F`` of the package, ``ExampleT_M`` to a method or field ``M`` of ``T``, each with an
optional ``_suffix`` that starts with a lower-case letter. The defaults rename an example's name
as any other compound; where the names it refers to are decided otherwise (a rule that keeps
``method_decl``: seen on a stream library, whose seven examples were renamed while their
methods were kept, and ``go vet`` failed), :func:`follow_example_names` gives the example the
names its parts became: ``example-name``. So it does when a rule decides the example itself
(one keeping ``func_decl``): only an override decides an example's name apart.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from . import roles
from .policy import row_value

if TYPE_CHECKING:
    from .decisions import Decision

_PREFIX = "Example"
_NAMED = frozenset({roles.FUNC_DECL, roles.TYPE_DECL, roles.METHOD_DECL, roles.FIELD_DECL})


def follow_example_names(rows: list[dict[str, Any]], results: list[Decision],
                         rename: Callable[[str], str], renaming: Collection[str]) -> None:
    """Give each example function the name its parts' declarations make (see the module doc),
    unless an override decides it: as for the names the toolchain looks for
    (``entry-point``), the toolchain's reading comes before a rule's (a rule keeping
    ``func_decl`` kept ``ExampleStream_Filter`` while the method was renamed, and ``go vet``
    failed); ``rename``: the policy's spelling of a name (for the suffix);
    ``renaming``: the decisions that rename. ``results`` is changed in place."""
    from .decisions import Decision

    examples = [i for i, row in enumerate(rows)
                if row.get("role") == roles.FUNC_DECL and row_value(row, "path").endswith(
                    "_test.go") and row_value(row, "text").startswith(_PREFIX)
                and results[i].decided_by.startswith(("default:", "builtin:", "rule:"))]
    if not examples:
        return
    declared: dict[tuple[str, str, str, str], int] = {}
    for i, row in enumerate(rows):
        role = row.get("role")
        if role not in _NAMED or row_value(row, "language") != "go":
            continue
        if role == roles.FUNC_DECL and row_value(row, "path").endswith("_test.go"):
            continue
        owner = row_value(row, "owner").lstrip("*").split("[", 1)[0] \
            if role in (roles.METHOD_DECL, roles.FIELD_DECL) else ""
        declared.setdefault((row_value(row, "root"), _folder(row), owner,
                             row_value(row, "text")), i)
    for i in examples:
        row = rows[i]
        parts = _parts(row_value(row, "text")[len(_PREFIX):])
        if parts is None:
            continue
        name, member, suffix = parts
        where = (row_value(row, "root"), _folder(row))
        first = declared.get((*where, "", name)) if name else None
        second = declared.get((*where, name, member)) if member else None
        if first is None and second is None:
            continue  # (the family is in the suffix only, or names nothing declared here)
        new_name = _became(results[first], name, renaming) if first is not None else name
        new_member = _became(results[second], member, renaming) if second is not None \
            else member
        target = _PREFIX + new_name + (f"_{new_member}" if member else "") + (
            rename(suffix) if suffix else "")
        current = results[i]
        if target == (current.target if current.decision in renaming else
                      row_value(row, "text")):
            continue
        shown = f"{name}.{member}" if member else name
        if target == row_value(row, "text"):
            results[i] = Decision("keep", f"go test and go vet read the example's name as the "
                                  f"example of {shown}, which keeps its name", "example-name",
                                  target)
        else:
            results[i] = Decision("rename", f"go test and go vet read the example's name as "
                                  f"the example of {shown}: renamed as that became", "example-name",
                                  target)


def _parts(rest: str) -> tuple[str, str, str] | None:
    """(the name, the member or "", the suffix with its ``_`` or "") of an example's name after
    ``Example``; None when it is no example's name (``Examples``)."""
    if rest and not rest[0].isupper() and not rest.startswith("_"):
        return None
    pieces = rest.split("_")
    name, more = pieces[0], pieces[1:]
    member = more.pop(0) if more and more[0][:1].isupper() else ""
    if more and not more[0][:1].islower():
        return None
    return name, member, ("_" + "_".join(more)) if more else ""


def _became(decision: Decision, text: str, renaming: Collection[str]) -> str:
    return decision.target if decision.decision in renaming else text


def _folder(row: dict[str, Any]) -> str:
    return row_value(row, "path").rpartition("/")[0]

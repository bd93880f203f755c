"""The uses of names that a generated file of the roots declares, where a hand-written
declaration elsewhere in the roots spells the same name.

A generated file is never edited, so what it declares keeps its name; a use of it must keep the
name too, though the plan renames a struct field, method or type of the same name written by
hand. Found on InfluxDB 1.6, whose ``services/meta`` declares ``Data.MaxShardID`` and
``RetentionPolicyInfo`` by hand and whose ``services/meta/internal/meta.pb.go`` (``package
meta``, imported as ``internal``) declares them again for protobuf: ``&internal.Data{MaxShardID:
v}``, ``pb.DefaultRetentionPolicy`` with ``pb := &internal.DatabaseInfo{}`` and
``[]*internal.RetentionPolicyInfo`` were renamed with the hand-written names, and ``go build``
failed.

Syntax only: a literal's type as written (the row's ``owner``), a receiver's type as its
function says it (:func:`idrename.receivertypes.receiver_type`), and a qualifier resolved
through the file's imports to the folder of the roots whose root-relative path the import path
ends with (a module path, a GOPATH path and an alias all resolve; a package named unlike its
folder too). Only rows whose name a generated declaration spells are looked at, so a plan reads
the imports of a few files, not of every file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import roles as R
from .policy import row_flag, row_value

# The generated declarations of a member: (root, folder, type, name) -> the generated file
Members = dict[tuple[str, str, str, str], str]


class _Imports:
    """The import names of the roots' files, read once each, and the folders they name."""

    def __init__(self, roots: Mapping[str, Path] | None,
                 folders: set[tuple[str, str]],
                 packages: Mapping[tuple[str, str], str] | None = None) -> None:
        self.roots = roots or {}
        self.folders = folders  # (root, folder) of the declarations asked about
        # (root, folder) -> its package's name, which an import without an alias binds (it may
        # differ from the path's last element: `package db` in the folder `db-gen`)
        self.packages = packages or {}
        self._read: dict[tuple[str, str], dict[str, str]] = {}

    def folder(self, root: str, path: str, qualifier: str) -> str | None:
        """The folder of ``root`` that ``qualifier`` names in file ``path`` ("": its own), among
        the folders asked about; None when it names none of them."""
        if not qualifier:
            return path.rpartition("/")[0]
        if (root, path) not in self._read:
            self._read[(root, path)] = self._imports(root, path)
        import_path = self._read[(root, path)].get(qualifier)
        if not import_path:
            return None
        named = [f for r, f in self.folders if r == root and f
                 and (import_path == f or import_path.endswith("/" + f))]
        return max(named, key=len) if named else None

    def sees(self, root: str, path: str, folder: str) -> bool:
        """Whether the file ``path`` of ``root`` is in ``folder`` or imports it."""
        if path.rpartition("/")[0] == folder:
            return True
        if (root, path) not in self._read:
            self._read[(root, path)] = self._imports(root, path)
        return any(p == folder or p.endswith("/" + folder)
                   for p in self._read[(root, path)].values())

    def _imports(self, root: str, path: str) -> dict[str, str]:
        from .outside import file_imports, import_specs_of

        base = self.roots.get(root)
        if base is None:
            return {}
        try:
            data = (base / path).read_bytes()
        except OSError:
            return {}
        out = file_imports(data)
        for alias, import_path in import_specs_of(data):
            if alias:
                continue
            named = [f for r, f in self.folders if r == root and f
                     and (import_path == f or import_path.endswith("/" + f))]
            package = self.packages.get((root, max(named, key=len))) if named else None
            if package:
                out.setdefault(package, import_path)
        return out


def declared_members(rows: Sequence[Mapping[str, Any]], roles: Collection[str],
                     wanted: Callable[[Mapping[str, Any]], bool]) -> Members:
    """The members (fields, methods, interface methods: ``roles``) that the ``wanted`` rows
    declare, by (root, folder, type, name), each with the first file declaring it."""
    found: Members = {}
    for row in rows:
        if row_value(row, "role") in roles and wanted(row):
            path = row_value(row, "path")
            owner = row_value(row, "owner") or row_value(row, "symbol").split(".", 1)[0]
            found.setdefault((row_value(row, "root"), path.rpartition("/")[0], owner,
                              row_value(row, "text")), path)
    return found


def generated_members(rows: Sequence[Mapping[str, Any]]) -> Members:
    """The fields and methods that generated files of the roots declare, by (root, folder,
    type, name)."""
    return declared_members(rows, (R.FIELD_DECL, R.METHOD_DECL),
                            lambda row: row_flag(row, "is_generated"))


def uses_of_generated_members(rows: Sequence[Mapping[str, Any]],
                              roots: Mapping[str, Path] | None
                              ) -> tuple[dict[str, str], dict[str, str]]:
    """The hand-written uses (by row id) of a field or method that a generated struct of the
    roots declares, mapped to that generated file: a key of a literal of that struct's type
    (``internal.Data{MaxShardID: v}``), a selector or call whose receiver its function types as
    that struct (``pb.Name`` with ``pb := &internal.DatabaseInfo{}``). Second, the selectors
    and calls whose receiver the syntax does not type, of a name that both a generated struct
    and hand-written code of the roots declare (sqlc's ``UserID`` and a request's), in a file
    of the generated struct's package or one that imports it: which one they reach is not
    known, mapped to the generated file."""
    members = generated_members(rows)
    if not members:
        return {}, {}
    names = {name for _r, _f, _t, name in members}
    written_too = {row_value(row, "text") for row in rows
                   if row_value(row, "role") in (R.FIELD_DECL, R.METHOD_DECL)
                   and not row_flag(row, "is_generated")} & names
    declaring: dict[tuple[str, str], dict[str, str]] = {}  # (root, name) -> folder -> file
    for (root, folder, _type, name), file in members.items():
        declaring.setdefault((root, name), {}).setdefault(folder, file)
    packages = {(row_value(row, "root"), row_value(row, "path").rpartition("/")[0]):
                row_value(row, "package") for row in rows
                if row_value(row, "package") and not row_flag(row, "is_test")}
    imports = _Imports(roots, {(root, folder) for root, folder, _t, _n in members}, packages)
    typed = _Receivers(roots)
    found: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for row in rows:
        role, text = row_value(row, "role"), row_value(row, "text")
        if (text not in names or role not in (R.COMPOSITE_KEY, R.SELECTOR, R.METHOD_CALL)
                or row_flag(row, "is_generated")):
            continue
        root, path = row_value(row, "root"), row_value(row, "path")
        written = path  # the file whose imports the qualifier is of
        if role == R.COMPOSITE_KEY:
            qualifier, _, struct = row_value(row, "owner").rpartition(".")
        else:
            receiver = typed.of(root, path, row.get("start_byte"))
            if receiver is None:
                seen = [file for folder, file in declaring.get((root, text), {}).items()
                        if imports.sees(root, path, folder)] if text in written_too else []
                if seen:  # the generated type is in scope here: the use may reach it
                    unknown[row_value(row, "id")] = seen[0]
                continue
            where, qualifier, struct = receiver
            written = where or path
        if not struct:
            continue
        folder = imports.folder(root, written, qualifier)
        declared = members.get((root, folder, struct, text)) if folder is not None else None
        if declared is not None:
            found[row_value(row, "id")] = declared
    return found, unknown


class _Receivers:
    """The receiver types of selectors in the roots' files, as their functions say them."""

    def __init__(self, roots: Mapping[str, Path] | None) -> None:
        self.roots = roots or {}
        self._fields: dict[str, Any] = {}

    def of(self, root: str, path: str, start: Any) -> tuple[str, str, str] | None:
        """(the file the type is written in, "" for this one; qualifier; type name) of the
        receiver of the selector at byte ``start`` of the file, when its function says it (the
        type of a field is written where its struct is declared); None otherwise."""
        from .receivertypes import StructFields, receiver_type

        base = self.roots.get(root)
        if base is None or start is None or start != start:
            return None
        if root not in self._fields:
            self._fields[root] = StructFields(base)
        fields = self._fields[root]
        tree = fields.tree(path)
        if tree is None:
            return None
        return receiver_type(tree, int(start), lambda where, qualifier, struct, field: (
            None if qualifier else fields.type_of(where or path, struct, field)))


def qualified_folders(rows: Sequence[Mapping[str, Any]], roots: Mapping[str, Path] | None,
                      names: set[str], folders: set[tuple[str, str]]) -> dict[str, str]:
    """The folder (by row id) that the qualifier of each qualified use of one of ``names``
    (``internal.RetentionPolicyInfo``) names among ``folders`` (root, folder), read from the
    file's imports: a package-level name is looked up there, not by the package's name, which
    another package may share and an alias may hide."""
    if not names:
        return {}
    imports = _Imports(roots, folders)
    found: dict[str, str] = {}
    for row in rows:
        detail = row_value(row, "detail")
        if (row_value(row, "text") not in names or not detail or detail in (
                "conversion", "import", R.PACKAGE_CLAUSE)
                or row_value(row, "role") not in (R.PACKAGE_USE, R.FUNC_CALL, R.TYPE_USE)):
            continue
        folder = imports.folder(row_value(row, "root"), row_value(row, "path"), detail)
        if folder is not None:
            found[row_value(row, "id")] = folder
    return found

"""Untagged struct fields on the wire: an exported field whose tag gives its encoding no name is
encoded under its Go name, so renaming the field renames the key its readers look for.

``encoding/json`` writes ``Status{RunID: "x"}`` as ``{"RunID": "x"}`` when the field has no
``json`` name in its tag (no tag, a tag without ``json``, or ``json:",omitempty"``: options
only); so do ``xml``, ``yaml``, ``toml``, ``msgpack`` and ``codec`` packages for their own tag
keys, and ``gob`` always, having no tags. A field of a struct embedded in an encoded struct, or
the type of one of its fields, is on the wire as well (the codec sites of
:class:`idrename.gofacts.GoFacts` are carried along to them).

:func:`find` lists, when the compatibility matrix is built, each such field of the roots with
the encodings and sites (``root/path:line``) that name it by its Go name; the list rides on the
matrix (``matrix.attrs["wire_fields"]``), so a matrix read back from the memo brings it along.
Then, with the decisions:

- every such site is JSON (:func:`keep_json_keys`): the field is renamed in Go and keeps its key,
  the patch adds the old name as the JSON name (``SessionID string `json:"RunID"```, or into the
  tag it has: ``json:"RunID,omitempty"``, ``yaml:"x" json:"RunID"``), which the row's ``detail``
  (:data:`idrename.transforms.KEEP_JSON_KEY`) tells the patch; TOML alike (``toml:"RunID"``,
  :data:`idrename.transforms.KEEP_TOML_KEY`): BurntSushi's toml and go-toml name an untagged
  field by its Go name too, and match keys without regard to case when they decode;
- another or an unknown encoding among them (:func:`wire_warnings`): nothing is added, and a
  ``wire_name`` warning names the field, its struct, the sites and what to do.

A field of a gorm model (a struct that embeds ``gorm.Model``, tags a field ``gorm``, or is
given to gorm's ``AutoMigrate``) whose ``gorm`` tag has no ``column:`` is stored in the column
gorm's default naming gives its Go name (``RunID`` -> ``run_id``): renamed in Go, it would read
and write ``session_id``, which the table does not have. It counts as a site of the family
``gorm`` (action ``store``, at the field, or at the ``AutoMigrate`` call), and the patch
writes the old column into its tag (``gorm:"column:run_id"``, or ``column:run_id;`` into the
``gorm`` tag it has), which the row's ``detail`` (:data:`idrename.transforms.KEEP_GORM_COLUMN`)
tells the patch, beside the JSON name when JSON encodes it too.

The compatibility matrix lists each such field as a contract of kind ``field_name``
(:func:`contract_rows`; ``field_name:RunID@Status``, wire name the Go name, direction from its
codec sites, strategy ``keep-legacy`` by default). A field decided ``hard-cut`` (an
``[[override]]`` of its declaration's id, a ``[[rule]]`` of role ``field_decl``, or a
``[[contract]]`` of kind ``field_name`` with strategy ``hard-cut``) renames the key with it,
without a tag or a warning; ``keep`` keeps both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import roles as R
from .policy import row_flag, row_value
from .transforms import KEEP_GORM_COLUMN, KEEP_JSON_KEY, KEEP_TOML_KEY, gorm_column

if TYPE_CHECKING:
    import pandas as pd

    from .checks import Conflict
    from .gofacts import GoFacts
    from .policy import Policy

ATTR = "wire_fields"  # the matrix's attrs key of :func:`find`'s list
KIND = "wire_name"  # the kind of the warnings
CONTRACT_KIND = "field_name"  # the kind of the matrix's contracts
# The tag key that names a field for each codec family (gob has none; "" is unknown).
_TAG_KEYS = {"json": "json", "xml": "xml", "yaml": "yaml", "toml": "toml", "msgpack": "msgpack",
             "codec": "codec"}
# The families whose name the patch keeps when the field is renamed, and the marker it reads
_KEPT = {"json": KEEP_JSON_KEY, "toml": KEEP_TOML_KEY, "gorm": KEEP_GORM_COLUMN}
GORM = "gorm"
# Decisions that rename the field in Go and leave its wire name to this module: a hard-cut
# renames the wire name too.
_KEEPS_WIRE = frozenset({"rename", "dual", "accept-both", "drop-legacy"})
_LISTED = 3  # sites named in a message; the rest counted

# One field on the wire by its Go name: the field_decl row's id, the struct, the field, and
# (family, action, site) of each codec site that names it so.
WireField = tuple[str, str, str, tuple[tuple[str, str, str], ...]]


def find(rows: Iterable[Mapping[str, Any]], facts: GoFacts,
         consumer_roots: Iterable[str] = ()) -> list[WireField]:
    """The exported fields of the roots' structs (one per ``field_decl`` row of ``rows``) that
    some codec site encodes or decodes under their Go name, in row order."""
    from .compat import site_key

    skipped = set(consumer_roots)
    out: list[WireField] = []
    for r in rows:
        role = r.get("role")
        if role not in (R.FIELD_DECL, R.TYPE_USE) or row_value(r, "root") in skipped:
            continue
        name = row_value(r, "text")
        if not name[:1].isupper() or row_flag(r, "is_generated"):
            continue
        root, path = row_value(r, "root"), row_value(r, "path")
        if role == R.FIELD_DECL:
            owner = row_value(r, "owner")
            info = _struct_info(facts, owner, root, path)
            tags = _field_tags(info, name)
            if info is None:  # a struct of a function, or of a test file
                local = _local_sites(facts, r, name)
                if local is not None:
                    out.append((row_value(r, "id"),
                                owner or f"(a struct in {row_value(r, 'symbol')})", name, local))
                continue
        else:  # a type's name, perhaps that of a field it is embedded as
            owner = row_value(r, "symbol")
            info = _struct_info(facts, owner, root, path) if owner else None
            tags = _embedded_tags(info, name, facts)
        if tags is None:
            continue
        folder = f"{root}/{path}".rpartition("/")[0]
        found = {(c.family, c.action, c.site) for c in facts.codecs_of(owner, folder)
                 if not _named_by(c.family, tags)}
        if role == R.FIELD_DECL and _gorm_column_by_name(info, tags):
            found.add((GORM, "store", f"{root}/{path}:{int(r['line'])}"))
        sites = sorted(found, key=lambda s: (*site_key(s[2]), s[0], s[1]))
        if sites:
            out.append((row_value(r, "id"), owner, name, tuple(sites)))
    return out


def _local_sites(facts: GoFacts, row: Mapping[str, Any], name: str
                 ) -> tuple[tuple[str, str, str], ...] | None:
    """The codec sites that name the field ``name`` of a struct coded in its own file
    (:mod:`idrename.localwire`) by its Go name, for the field_decl ``row``; None when there are
    none."""
    root, path = row_value(row, "root"), row_value(row, "path")
    local = facts.local_struct_at(root, path, int(row["start_byte"]))
    if local is None:
        return None
    tags = next((dict(pairs) for field, _type, pairs in local[2] if field == name), None)
    if tags is None:
        return None
    sites = sorted({(family, action, f"{root}/{path}:{line}")
                    for family, action, line, _source in local[3] if not _named_by(family, tags)})
    return tuple(sites) if sites else None


def _struct_info(facts: GoFacts, owner: str, root: str, path: str) -> Any:
    """The facts' struct ``owner`` declared in ``root/path``, or None (a struct inside a
    function, an anonymous struct)."""
    return next((i for i in facts.structs.get(owner, []) if i.root == root and i.path == path),
                None)


def _field_tags(info: Any, name: str) -> dict[str, str] | None:
    """The tags of the field ``name`` of the struct ``info``, or None when the facts do not
    know that field."""
    for field_name, _type, pairs in info.fields if info is not None else ():
        if field_name == name:
            return dict(pairs)
    return None


def _embedded_tags(info: Any, name: str, facts: GoFacts) -> dict[str, str] | None:
    """The tags of the field the type ``name`` is embedded as in the struct ``info``, when
    encoders name that field by the type's name: a type that is no struct of the roots (a
    string type, an interface; a struct's fields are written inline instead), embedded by
    value or by pointer, from this package or another (``pkg.Label``). None otherwise."""
    if info is None or facts.structs.get(name):
        return None
    for field_name, type_text, pairs in info.fields:
        if field_name == "" and type_text.lstrip("*").rsplit(".", 1)[-1] == name:
            return dict(pairs)
    return None


def _gorm_column_by_name(info: Any, tags: Mapping[str, str]) -> bool:
    """Whether gorm stores the field (of tags ``tags``) of the struct ``info`` in the column its
    Go name gives: the struct is a gorm model (it embeds ``gorm.Model``, or a field has a
    ``gorm`` tag) and the field's ``gorm`` tag names no column and does not leave it out
    (``-``)."""
    if not any((field_name == "" and type_text.lstrip("*").endswith("gorm.Model")) or
               "gorm" in dict(pairs) for field_name, type_text, pairs in info.fields):
        return False
    return _gorm_unnamed(tags)


def _gorm_unnamed(tags: Mapping[str, str]) -> bool:
    """Whether a field's ``gorm`` tag names no column and does not leave the field out."""
    options = [o.strip() for o in tags.get("gorm", "").split(";")]
    return not any(o == "-" or o.startswith("-:") or o.lower().startswith("column:")
                   for o in options)


def _named_by(family: str, tags: Mapping[str, str]) -> bool:
    """Whether the field's tag gives the encoding ``family`` a name of its own (``json:"-"``
    included: not on the wire at all); an unknown encoding counts as named when any tag key
    names it."""
    if family == "gob":
        return False
    if family == GORM:
        return not _gorm_unnamed(tags)
    keys = [_TAG_KEYS[family]] if family in _TAG_KEYS else list(_TAG_KEYS.values())
    return any(tags.get(key, "").split(",", 1)[0] for key in keys)


def plain(fields: Sequence[WireField]) -> list[list[Any]]:
    """The fields as lists (how the memo and a Parquet file's metadata keep them)."""
    return [[ident, owner, name, [list(s) for s in sites]] for ident, owner, name, sites in fields]


def from_plain(value: Any) -> list[WireField]:
    """What :func:`plain` gave (or :func:`find`'s tuples), as :data:`WireField` tuples; raises
    ``TypeError``/``ValueError`` for a value of another shape."""
    out: list[WireField] = []
    for ident, owner, name, sites in value:
        triples = tuple((str(f), str(a), str(s)) for f, a, s in sites)
        out.append((str(ident), str(owner), str(name), triples))
    return out


def _of(matrix: pd.DataFrame) -> list[WireField]:
    try:
        return from_plain(matrix.attrs.get(ATTR) or [])
    except (TypeError, ValueError):
        return []


def _renamed(row: Mapping[str, Any]) -> bool:
    """Whether a field's row renames it in Go and leaves its wire name to this module."""
    return row_value(row, "decision") in _KEEPS_WIRE and \
        row_value(row, "target") not in ("", row_value(row, "text")) and \
        not row_flag(row, "parse_error")


def _kept_by_patch(sites: Sequence[tuple[str, str, str]]) -> bool:
    """Whether the patch keeps the field's name for every site (JSON keys, gorm columns)."""
    return all(family in _KEPT for family, _action, _site in sites)


def _cut(matrix: pd.DataFrame) -> set[str]:
    """The ids of the fields whose ``field_name`` contract the policy hard-cuts."""
    if matrix.empty or "kind" not in matrix.columns:
        return set()
    cut = matrix[(matrix["kind"] == CONTRACT_KIND) & (matrix["strategy"] == "hard-cut")]
    return {ident for ids in cut["occurrence_ids"] for ident in ids}


def _wire_fields(matrix: pd.DataFrame, kept: bool) -> list[WireField]:
    """The matrix's fields whose names the patch keeps at every site (or not), but those
    hard-cut."""
    cut = _cut(matrix)
    return [f for f in _of(matrix) if _kept_by_patch(f[3]) == kept and f[0] not in cut]


def keep_json_keys(decided: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """The decisions with each renamed field whose every wire site is JSON or gorm marked for
    the tag that keeps its key (``detail``: :data:`KEEP_JSON_KEY`, :data:`KEEP_GORM_COLUMN`, or
    both joined by ``; ``) and the reason added to its rationale. Returns ``decided`` itself
    when no field is marked, else a new frame."""
    fields = _wire_fields(matrix, True)
    if not fields or decided.empty:
        return decided
    position = {ident: i for i, ident in enumerate(decided["id"].tolist())}
    marked: dict[int, tuple[str, str]] = {}
    for ident, _owner, name, sites in fields:
        i = position.get(ident)
        if i is None:
            continue
        row = decided.iloc[i]
        if _renamed(row):
            families = sorted({family for family, _action, _site in sites}, key=list(_KEPT).index)
            marked[i] = ("; ".join(_KEPT[f] for f in families),
                         _kept_reason(name, sites, row_value(row, "rationale"),
                                      row_value(row, "decided_by")))
    if not marked:
        return decided
    out = decided.copy()
    details = out["detail"].tolist() if "detail" in out.columns else [""] * len(out)
    rationales = out["rationale"].tolist()
    for i, (detail, why) in marked.items():
        details[i], rationales[i] = detail, why
    out["detail"] = details
    out["rationale"] = rationales
    return out


def _kept_reason(name: str, sites: Sequence[tuple[str, str, str]], rationale: str,
                 decided_by: str) -> str:
    """Why the field gets a JSON or TOML name or a column; after the rule's or override's own
    reason, if any."""
    gorm = [s for s in sites if s[0] == GORM]
    said = []
    for family, label in (("json", "JSON"), ("toml", "TOML")):
        keyed = [s for s in sites if s[0] == family]
        if keyed:
            said.append(f"its Go name was its {label} key ({_where(keyed)}): renamed in Go, "
                        f"`{family}:\"{name}\"` added so the key stays")
    keyed_any = len(said) > 0
    if gorm:
        said.append(f"gorm stored it in the column {gorm_column(name)} by its Go name "
                    f"({_where(gorm)}): `gorm:\"column:{gorm_column(name)}\"` added so the "
                    "column stays")
    why = "; ".join(said) + " (decide hard-cut to rename " + \
        ("the key and the column" if keyed_any and gorm else "the key" if keyed_any
         else "the column") + \
        " too)"
    if decided_by.startswith(("rule:", "override:", "default:")) and rationale:
        return f"{rationale}; {why}"
    return why


_VERBS = {"encode": "encoded", "decode": "decoded", "store": "a gorm model"}


def _where(sites: Sequence[tuple[str, str, str]]) -> str:
    """``encoded at a.go:10, decoded at b.go:3 and 2 more``."""
    said = [f"{_VERBS.get(action, action)} at {site}" for _family, action, site in sites[:_LISTED]]
    more = f" and {len(sites) - _LISTED} more" if len(sites) > _LISTED else ""
    return ", ".join(said) + more


def wire_warnings(decided: pd.DataFrame, matrix: pd.DataFrame) -> list[Conflict]:
    """A ``wire_name`` warning for each renamed field that an encoding other than JSON (or one
    the syntax does not tell) writes or reads under its Go name: no edit keeps that name, so
    the rename changes what goes on the wire."""
    from .checks import WARNING, Conflict

    fields = _wire_fields(matrix, False)
    if not fields or decided.empty:
        return []
    position = {ident: i for i, ident in enumerate(decided["id"].tolist())}
    out = []
    for ident, owner, name, sites in fields:
        i = position.get(ident)
        if i is None or not _renamed(row := decided.iloc[i]):
            continue
        root, path = row_value(row, "root"), row_value(row, "path")
        out.append(Conflict(KIND, WARNING, _message(owner, name, row_value(row, "target"),
                                                    f"{root}/{path}:{int(row['line'])}", sites),
                            f"{root}/{path}", int(row["line"]), sites[0][2], [ident]))
    return out


def _default_key(family: str, name: str) -> str:
    """The key an encoding gives an untagged field ``name``: the YAML packages (yaml.v2,
    yaml.v3, goccy's) lower-case the Go name, the others take it as it is."""
    return name.lower() if family == "yaml" else name


def _families(sites: Sequence[tuple[str, str, str]],
              unknown: str = "an encoding the syntax does not tell") -> list[str]:
    """The codec families of the sites, sorted, an unknown one called ``unknown``."""
    return sorted({family or unknown for family, _action, _site in sites})


def _message(owner: str, name: str, new: str, where: str,
             sites: Sequence[tuple[str, str, str]]) -> str:
    families = _families(sites)
    what = " and ".join(families)
    advice = []
    if "gob" in families:
        advice.append("gob has no tags: renaming the field changes the stream; keep it unless "
                      "every reader moves together")
    tagged = sorted(f for f in families if f in _TAG_KEYS)
    if GORM in families:
        advice.append(f'gorm stores it in the column {gorm_column(name)}: add '
                      f'`gorm:"column:{gorm_column(name)}"`')
    if tagged or not advice:
        keys = (", ".join(f'`{_TAG_KEYS[f]}:"{_default_key(f, name)}"`' for f in tagged)
                + " (the encoder's tag with the old name)") if tagged else \
            f"the encoder's tag with the old name {name}"
        advice.append(f"add {keys}, or keep the field (an [[override]] keep of its id)")
    return (f"the field {owner}.{name} at {where} has no name of its own in its tag for {what}, "
            f"which write or read it under its Go name ({_where(sites)}): renaming it to {new} "
            f"changes that name on the wire, and the build does not say so: "
            + "; ".join(advice))


# -- the matrix's contracts ----------------------------------------------------------------------
def contract_rows(fields: Sequence[WireField], rows: Iterable[Mapping[str, Any]],
                  policy: Policy) -> list[dict[str, Any]]:
    """One row of the compatibility matrix (the columns of :data:`idrename.compat.MATRIX_COLUMNS`)
    per field on the wire by its Go name: its strategy the policy's ``[[contract]]`` for the
    name (kind ``field_name``) if any, ``hard-cut`` when a rule or an override decides the
    field so, else ``keep-legacy``."""
    from .compat import sort_sites

    by_id = {row_value(r, "id"): r for r in rows if r.get("role") == R.FIELD_DECL}
    named = Counter(f"{CONTRACT_KIND}:{name}@{owner}" for _ident, owner, name, _sites in fields)
    out = []
    for ident, owner, name, sites in fields:
        row = by_id.get(ident)
        if row is None:
            continue
        site = f"{row_value(row, 'root')}/{row_value(row, 'path')}:{int(row['line'])}"
        contract = f"{CONTRACT_KIND}:{name}@{owner}"
        if named[contract] > 1:
            contract += f"#{site.rpartition('/')[0]}"
        strategy, rationale, source = _strategy(row, name, sites, policy)
        families = _families(sites, "unknown")
        flags = [] if set(families) <= set(_KEPT) or strategy == "hard-cut" else [
            f"no automatic edit for {', '.join(families)}: see the wire_name warning"]
        actions = {action for _f, action, _s in sites} - {"store"}
        out.append({
            "contract": contract, "kind": CONTRACT_KIND, "wire_name": name,
            "new_wire": row_value(row, "target") or name, "owner": owner,
            "direction": "stored" if not actions else "both" if len(actions) == 2 else
            "outbound" if actions == {"encode"} else "inbound",
            "producers": sort_sites([site, *(s for _f, a, s in sites if a == "encode")]),
            "consumers": sort_sites(s for _f, a, s in sites if a == "decode"),
            "consumer_set": "unknown", "strategy": strategy, "strategy_source": source,
            "rationale": rationale, "proposed_change": _proposal(owner, name, families, strategy),
            "occurrence_ids": [ident], "edit_ids": [], "paired_ids": [], "fixed_ids": [],
            "flags": flags,
        })
    return out


def _strategy(row: Mapping[str, Any], name: str, sites: Sequence[tuple[str, str, str]],
              policy: Policy) -> tuple[str, str, str]:
    """(strategy, rationale, source) of a field's contract."""
    path, owner = row_value(row, "path"), row_value(row, "owner")
    for entry in policy.contracts:
        if entry.applies_to(wire=name, kind=CONTRACT_KIND, path=path, owner=owner) and \
                entry.kind in (None, CONTRACT_KIND):
            return entry.strategy, entry.rationale, f"policy:contract[{entry.index}]"
    by = row_value(row, "decided_by")
    if row_value(row, "decision") == "hard-cut" and by.startswith(("rule:", "override:")):
        kind, _, n = by.partition(":")
        return "hard-cut", row_value(row, "rationale"), f"policy:{kind}[{n}]"
    families = _families(sites)
    return "keep-legacy", (f"{name} is the field's Go name and its name on the wire "
                           f"({', '.join(families)}): rename the Go field, keep the wire name"
                           ), "default"


def _proposal(owner: str, name: str, families: Sequence[str], strategy: str) -> str:
    if strategy == "hard-cut":
        return f"Rename {owner}.{name} on the wire too (no tag added); every reader must move."
    if set(families) <= set(_KEPT):
        tags = " ".join([f'{f}:"{name}"' for f in ("json", "toml") if f in families] +
                        ([f'gorm:"column:{gorm_column(name)}"'] if GORM in families else []))
        return f"Add `{tags}` to the tag of {owner}'s renamed field (done by the patch)."
    if "gob" in families:
        return f"Keep {owner}.{name}: gob has no tags, the name is the stream's."
    keys = " ".join(f'{_TAG_KEYS[f]}:"{_default_key(f, name)}"' for f in families
                    if f in _TAG_KEYS)
    return (f"Add `{keys}` to the tag of {owner}'s renamed field by hand, or keep the field."
            if keys else f"Add the encoder's tag with {name} to {owner}'s renamed field by "
            "hand, or keep the field.")

"""The names of XML documents written in Go strings follow the ``xml`` tags of the same name.

A test that parses `` `<track><run_id>r1</run_id></track>` `` with ``xml.Unmarshal``, or
compares ``xml.Marshal``'s output with such a string, holds the names the struct tags
(``xml:"run_id"``, ``xml:"run_id,attr"``) read and write. When the plan renames those tags, the
document must move with them, or the test decodes nothing (an empty field) or compares with a
name no longer written; when the tags keep the name, so does the document.

:func:`follow_xml_texts` decides such names (role ``xml_text``, left at their built-in default,
review) after the ``xml`` tags of the same name in the folder of the string's file, else in its
root: renamed when every one is renamed to one name, kept when every one still reads and writes
it (kept, ignored, migrated), else left to review (tags decided apart, or a tag to review, as a
policy's dual-emit leaves an ``xml`` tag: its patch would need both names).
"""

from __future__ import annotations

from typing import Any

from . import roles as R
from .embeddeddata import place, tag_columns, tags_move
from .policy import set_decision

DECIDED_BY = "xml-tags"
_USES = {"decoded": "an input a test decodes", "compared": "an expected output",
         "written": "a document written by hand"}


def follow_xml_texts(frame: Any, values: dict[str, list[Any]]) -> bool:
    """Decide the ``xml_text`` rows of ``frame`` (the decided inventory) left at their built-in
    default after the ``xml`` tags of their name (see the module doc). ``values``: the columns
    ``decision``, ``rationale``, ``decided_by`` and ``target`` as lists, changed in place.
    True when a row changed."""
    roles_ = frame["role"].tolist()
    builtin = f"builtin:{R.XML_TEXT}"
    wanted = [i for i, role in enumerate(roles_)
              if role == R.XML_TEXT and values["decided_by"][i] == builtin]
    if not wanted:
        return False
    labels, paths, texts, details, owners, tags = tag_columns(frame, roles_)
    changed = False
    for i in wanted:
        text = str(texts[i])
        candidates = tags.get((str(labels[i]), "xml", text))
        if not candidates:
            continue
        folder = str(paths[i]).rpartition("/")[0]
        scope = [j for j in candidates if str(paths[j]).rpartition("/")[0] == folder] \
            or candidates
        new = tags_move(scope, values, "xml")
        if new is None:
            continue
        places = sorted({place(paths[j], owners[j]) for j in scope})
        named = ", ".join(places[:3]) + (" and others" if len(places) > 3 else "")
        what = (f"the {owners[i] or 'name'} {text} of an XML document written in Go"
                f"{' (' + _USES[str(details[i])] + ')' if str(details[i]) in _USES else ''}, "
                f"which the xml tag {text} of {named} reads and writes")
        if new:
            set_decision(values, i, "rename", f"{what}, renamed to {new} by this plan: renamed "
                         "with it, else the document would name what the tag no longer reads",
                         DECIDED_BY, new)
        else:
            set_decision(values, i, "keep", f"{what}, which still reads {text}: kept",
                         DECIDED_BY, text)
        changed = True
    return changed

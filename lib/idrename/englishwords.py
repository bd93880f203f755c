"""Words of an English sentence that a one-word Go name spells: ``has``, ``is``, ``with``.

Renaming the method ``Has`` to ``Contains`` renames the Go names, the doc comment that starts
with ``Has`` and the messages that say ``Has``; but ``"the origin %s has been blocked"`` says
the verb, not the method, and renamed it reads ``contains been blocked``, and every test that
compares the message fails. The words here are English's function words and auxiliary verbs
(the closed classes), which a sentence uses whatever the code is about; a one-word name that is
one of them (``Has``, ``Is``, ``With``, ``From``, ``All``) is spelled in prose by the sentence,
not by the name. A word of an open class (``error``, ``snapshot``, ``voyage``) may be the
concept the rename moves, and is left to the role's default.

Only the word in lower case, between spaces or punctuation of prose, is one: ``Has`` (a doc
comment's first word, the name), ``h.has`` or ``has_run`` are the code's.
"""

from __future__ import annotations

_FUNCTION_WORDS = frozenset("""
a an the this that these those some any all each every no none both either neither
is are was were be been being am has have had having do does did done
can could may might must shall should will would
and or nor but if then else so yet not only also
of to in on at by for with from into onto over under about after before between through
during without within upon as than via per
it its they them their he she we us our you your
""".split())
# What may stand beside a word of a sentence: blanks, and punctuation that is not code's.
_PROSE_EDGES = frozenset(b" \t\n\r,;:!?'\"`()[]{}<>/-")


def is_english_word(text: str) -> bool:
    """Whether a one-word spelling is one of English's function words, in lower case."""
    return text in _FUNCTION_WORDS


def in_a_sentence(data: bytes, start: int, end: int) -> bool:
    """Whether ``data[start:end]`` stands as a word of prose: blanks or prose punctuation on
    both sides, and a blank on one side at least (``(has)`` alone is not a sentence)."""
    before = data[start - 1] if start > 0 else ord(" ")
    after = data[end] if end < len(data) else ord(" ")
    return (before in _PROSE_EDGES and after in _PROSE_EDGES
            and (before in b" \t\n" or after in b" \t\n"))

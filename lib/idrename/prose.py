"""English around a renamed word in prose: the indefinite article before it.

A comment that says ``// returns an error`` says ``// returns a failure`` once ``Error`` is
renamed ``Failure``: the article follows the sound the new word starts with. The sound is guessed
from the spelling, and only where the guess is safe: a word whose article the spelling does not
settle (``url``, ``ubiquitous``, most words in ``u``) leaves the article as it is, and so does an
article that did not agree with the old word (``a error``): the writer's choice, kept.
"""

from __future__ import annotations

import re

from .spec import split_words

# The letters whose spoken name starts with a vowel sound: "an ID", "an HTTP handler",
# "an SQL query", "a UUID".
_VOWEL_NAMED_LETTERS = frozenset("AEFHILMNORSX")
# Words in h whose h is silent, and words in a vowel letter that start with a consonant sound.
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_CONSONANT_SOUND = ("one", "once", "eu", "ewe", "uni", "una", "use", "usa", "usi", "usu",
                    "uti", "ubiq", "uran", "urin", "uku")
# The u words said with a vowel ("an update", "an unknown id"); other u words ("url", "us")
# are said both ways.
_VOWEL_SOUND_U = ("un", "up", "ul", "um", "ug", "ud")
_INITIALISM = 4  # the longest word in capitals read letter by letter: UUID, HTTP
# The article just before a word: at the start of the text or after a non-letter, then blanks
# on the same line.
_ARTICLE_BEFORE = re.compile(rb"(?:^|(?<=[^A-Za-z0-9_]))(an|An|AN|a|A)([ \t]+)\Z")


def article_for(word: str) -> str | None:
    """``"a"`` or ``"an"`` before ``word`` (an identifier: its first word is what is said), or
    None where the spelling does not settle it."""
    words = split_words(word)
    if not words:
        return None
    first = words[0].text
    if (1 < len(first) <= _INITIALISM and first.isupper()) or (len(first) == 1 and first.isalpha()):
        # an initialism, read letter by letter (a longer word in capitals is a word: ORDER)
        return "an" if first[0].upper() in _VOWEL_NAMED_LETTERS else "a"
    lower = first.lower()
    if not lower[:1].isalpha():
        return None
    if lower.startswith(_CONSONANT_SOUND):
        return "a"
    if lower.startswith(_SILENT_H):
        return "an"
    if lower[0] == "u":
        return "an" if lower.startswith(_VOWEL_SOUND_U) else None
    return "an" if lower[0] in "aeio" else "a"


def article_change(data: bytes, start: int, old: str, new: str) -> tuple[int, int, bytes] | None:
    """The edit ``(start, end, text)`` that makes the article before ``data[start:]`` agree
    with ``new`` where it agreed with ``old``, or None when nothing is to change (no article
    there, the same article for both words, an article the spelling cannot settle, or one that
    did not agree with ``old``)."""
    before, after = article_for(old), article_for(new)
    if before is None or after is None or before == after:
        return None
    window = data[max(0, start - 16):start]
    found = _ARTICLE_BEFORE.search(window)
    if found is None or found.group(1).lower() != before.encode():
        return None
    written = found.group(1).decode()
    at = start - len(window) + found.start(1)
    return at, at + len(written), _cased(after, written, new).encode()


def _cased(article: str, like: str, word: str) -> str:
    """``article`` in the case of the one written (``like``): in capitals when it was and the
    word after it is ("A PURCHASE" → "AN ORDER")."""
    if like.isupper() and (len(like) > 1 or (len(word) > 1 and word.isupper())):
        return article.upper()
    if like[0].isupper():
        return article.capitalize()
    return article

"""What to rename: a term pair, the family of spellings it stands for, and how each one is renamed.

A *family* is every spelling of one term (``RunID``, ``RunId``, ``runID``, ``runId``, ``run_id``,
``RUN_ID``, ``run-id``, ``runid``) and every compound that contains the term's word sequence at word
boundaries (``FindConversationByRunID``, ``resRunID``, ``runIDs``). ``RunInference``, ``Runtime``,
``prune_id`` and ``TrunID`` are not members: their words differ. In mixed case an underscore
before a capital letter separates two names (``ExampleTime_Format``, the example of
``Time.Format``; protobuf's ``Outer_Inner``), so the term's words are not matched across it:
``Time_Format`` is no spelling of ``TimeFormat``, while ``time_format`` and ``TIME_FORMAT`` are.
A plural of the term's last word is a member too, with a plain ``s`` or its regular English
plural (``Addresses`` for ``Address``, ``Entries`` for ``Entry``), and is renamed to the regular
plural of the new term (``localAddrs`` -> ``localAddresses`` for ``Addr`` -> ``Address``).

Everything works on bytes, so offsets are byte offsets into the file, as tree-sitter reports them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# Go's usual initialisms (the ones golint and staticcheck know): kept upper-case in camel case.
INITIALISMS = frozenset(
    "acl api ascii cpu css dns eof guid html http https id ip json lhs qps ram rhs rpc sla smtp "
    "sql ssh tcp tls ttl udp ui gid uid uuid uri url utf8 vm xml xmpp xsrf xss".split()
)

# Identifier characters: ASCII letters, digits, underscore, and any non-ASCII byte (Go allows
# Unicode letters in identifiers; treating every such byte as a letter keeps boundaries honest).
_IDENT_BYTE = rb"A-Za-z0-9_\x80-\xff"
_ASCII_IDENT = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
_TOKEN_RE = re.compile(rb"[" + _IDENT_BYTE + rb"]+")
_KEBAB_TOKEN_RE = re.compile(rb"[" + _IDENT_BYTE + rb"]+(?:-[" + _IDENT_BYTE + rb"]+)*")

# One word of an identifier. Order matters: a plural initialism (`IDs`), an initialism before a
# capitalised word (`HTTPServer` -> `HTTP`), a capitalised or lower word, a run of capitals, digits,
# a run of other letters. A term is ASCII, and a comment in Chinese or Japanese glues it to the
# text around it (`根据runID查询`): ASCII and other letters are separate words.
_WORD_RE = re.compile(
    r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+|[^\W\d_A-Za-z]+")


@dataclass(frozen=True)
class Word:
    """One word of an identifier, with its offsets inside the identifier."""

    text: str
    start: int
    end: int


def split_words(token: str) -> list[Word]:
    """Split an identifier into words: camelCase, PascalCase, initialisms, snake and kebab case.

    >>> [w.text for w in split_words("FindConversationByRunIDs")]
    ['Find', 'Conversation', 'By', 'Run', 'IDs']
    >>> [w.text for w in split_words("RUN_ID")]
    ['RUN', 'ID']
    """
    return list(_split_words(token))


@functools.lru_cache(maxsize=1 << 16)
def _split_words(token: str) -> tuple[Word, ...]:
    return tuple(Word(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(token))


def _style(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "upper"
    if word.islower():
        return "lower"
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()):
        return "title"
    return "mixed"


def _apply_style(word: str, style: str) -> str:
    if style == "upper":
        return word.upper()
    if style == "lower":
        return word.lower()
    if style == "title":
        return word[:1].upper() + word[1:].lower()
    return word


@dataclass(frozen=True)
class Span:
    """Where the term's words stand inside one token: [start, end) in the token's characters."""

    start: int
    end: int
    joined: bool = False  # the words were written as one word (`runid`)
    plural: str = ""  # the plural ending the span ends with, as written (`s` in `runIDs`, `es`)


@dataclass(frozen=True)
class TokenHit:
    """A family member found in a text: the whole token and the spans of the term inside it."""

    start: int  # byte offset of the token in the scanned text
    end: int
    token: str
    spans: tuple[Span, ...]
    explicit: bool = False  # named in the policy's explicit mapping (`runToTurn`)


@dataclass(frozen=True)
class Spec:
    """A term pair and the family it stands for.

    ``old``/``new`` are spelled as Go identifiers (``RunID`` / ``SessionID``); ``explicit`` maps
    whole identifiers that do not contain the term but belong to the rename (``runToTurn`` ->
    ``sessionToTurn``); ``exclude`` lists whole tokens that are never family members.
    """

    old: str
    new: str
    explicit: Mapping[str, str] = field(default_factory=dict)
    exclude: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name, value in (("from", self.old), ("to", self.new)):
            if not value or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", value):
                raise ValueError(
                    f"the term {name}={value!r} is not an identifier: give it as a Go name such "
                    "as RunID"
                )
        if not split_words(self.old) or not split_words(self.new):
            raise ValueError(f"the term pair {self.old!r} -> {self.new!r} has no words")

    # -- words ---------------------------------------------------------------------------------
    @property
    def old_words(self) -> tuple[str, ...]:
        return tuple(w.text.lower() for w in split_words(self.old))

    @property
    def new_words(self) -> tuple[str, ...]:
        return tuple(w.text for w in split_words(self.new))

    @property
    def first_word(self) -> str:
        return self.old_words[0]

    # -- matching ------------------------------------------------------------------------------
    @property
    def pattern(self) -> re.Pattern[bytes]:
        """One compiled pattern that every family member matches (a prefilter, case-insensitive)."""
        return _compiled_pattern(self.old_words, tuple(sorted(self.explicit)))

    @property
    def lowered_pattern(self) -> re.Pattern[bytes]:
        """:attr:`pattern` for lower-cased bytes: ``lowered_pattern.search(data.lower())`` finds
        what ``pattern.search(data)`` finds, at the same offsets (both fold ASCII letters only),
        about four times faster: re scans a case-sensitive pattern for its literal start, and
        tries a case-insensitive one at every byte."""
        return _compiled_pattern(self.old_words, tuple(sorted(self.explicit)), lowered=True)

    def may_hold(self, data: bytes) -> bool:
        """The prefilter: whether ``data`` may hold a family member (:attr:`pattern` matches)."""
        return self.lowered_pattern.search(data.lower()) is not None

    @property
    def new_pattern(self) -> re.Pattern[bytes]:
        """The same prefilter for the new term's words (``SessionID``, ``session_id``, ...)."""
        return _compiled_pattern(tuple(w.lower() for w in self.new_words), ())

    @property
    def initialisms(self) -> frozenset[str]:
        """Go's initialisms (:data:`INITIALISMS`) and the words a term of the pair writes in
        capitals (``NPC``, ``NPCState``), in lower case: Go writes such a word in capitals in
        camel case (``resolveNPCLocked``), as the user wrote it. Not where both terms are in
        capitals (``MAX`` -> ``LIMIT``), nor in a term in UPPER_SNAKE (``RUN_ID``): those are
        the words of constants."""
        memo = self._memo("initialisms")
        if not memo:
            words = set(INITIALISMS)
            for term, other in ((self.old, self.new), (self.new, self.old)):
                if not other.isupper() and "_" not in term:
                    words.update(w.text.lower() for w in split_words(term)
                                 if len(w.text) > 1 and w.text.isalpha() and w.text.isupper())
            memo["words"] = frozenset(words)
        found: frozenset[str] = memo["words"]
        return found

    def _memo(self, kind: str) -> dict[str, Any]:
        """A per-spec memo of a pure function of a token (a spec is frozen: set it once)."""
        memos = self.__dict__.get("_memos")
        if memos is None:
            memos = {}
            object.__setattr__(self, "_memos", memos)
        return memos.setdefault(kind, {})

    def spans(self, token: str) -> tuple[Span, ...]:
        """Where the term's words stand in ``token``, at word boundaries; empty if not a member."""
        memo = self._memo("spans")
        found = memo.get(token)
        if found is None:
            found = memo[token] = self._token_spans(token)
        return found

    def _token_spans(self, token: str) -> tuple[Span, ...]:
        if token in self.exclude:
            return ()
        words = split_words(token)
        target = self.old_words
        n = len(target)
        joined = "".join(target)
        lower = [w.text.lower() for w in words]
        found: list[Span] = []
        i = 0
        while i < len(words):
            if lower[i : i + n] == list(target) and not _parts_apart(token, words, i, n):
                found.append(Span(words[i].start, words[i + n - 1].end))
                i += n
                continue
            last = i + n - 1
            if last < len(words) and lower[i:last] == list(target[:-1]) and \
                    not _parts_apart(token, words, i, n):
                ending = _plural_ending(lower[last], target[-1])
                if ending:
                    end = words[last].end
                    found.append(Span(words[i].start, end, plural=token[end - len(ending) : end]))
                    i += n
                    continue
            if n > 1 and lower[i] == joined:
                found.append(Span(words[i].start, words[i].end, joined=True))
            elif n > 1 and (ending := _plural_ending(lower[i], joined)):
                end = words[i].end
                found.append(Span(words[i].start, end, joined=True,
                                  plural=token[end - len(ending) : end]))
            i += 1
        return tuple(found)

    def is_member(self, token: str) -> bool:
        return token in self.explicit or bool(self.spans(token))

    def find(self, data: bytes, *, kebab: bool = True, prose: bool = False
             ) -> Iterator[TokenHit]:
        """Every family token in ``data``, in order, once each.

        ``kebab`` lets a token run across hyphens (``X-Run-ID`` in a header name); in Go code a
        hyphen is an operator, so the Go scanner asks for that only inside strings and comments.
        ``prose`` lets the words of a term of several words stand apart, as prose writes them
        (``the run ID``, ``Run IDs``); the Go scanner keeps those in comments only.
        """
        lowered = data.lower()
        last_end = -1
        for m in self.lowered_pattern.finditer(lowered):
            if m.start() < last_end:
                continue
            hit = self.token_at(data, m.start(), m.end(), kebab=kebab, prose=prose)
            if hit is not None:
                last_end = hit.end
                yield hit
            elif b" " in lowered[m.start() : m.end()]:
                # `run id_run`: a member may start inside a prose match that is none; the
                # search goes on from just after its start (rare: one search per match then)
                yield from self._find_from(data, lowered, m.start() + 1, kebab, prose)
                return

    def _find_from(self, data: bytes, lowered: bytes, at: int, kebab: bool, prose: bool
                   ) -> Iterator[TokenHit]:
        """:meth:`find` from ``at`` on, one search at a time."""
        search = self.lowered_pattern.search
        while (m := search(lowered, at)) is not None:
            hit = self.token_at(data, m.start(), m.end(), kebab=kebab, prose=prose)
            if hit is not None:
                at = hit.end
                yield hit
            elif b" " in lowered[m.start() : m.end()]:
                at = m.start() + 1
            else:
                at = m.end()

    def token_at(
        self, data: bytes, start: int, end: int, *, kebab: bool = True, prose: bool = False
    ) -> TokenHit | None:
        """The family token around the prefilter hit ``data[start:end]``, or None."""
        matched = data[start:end]
        if b" " in matched and not prose:
            return None
        hit_has_hyphen = b"-" in matched
        if hit_has_hyphen and not kebab:
            return None
        token_re = _KEBAB_TOKEN_RE if (kebab and hit_has_hyphen) else _TOKEN_RE
        t_start, t_end = _expand(data, start, end, token_re)
        hit = self.token_in(data, t_start, t_end)
        if hit is None and (letters := escape_length(data, t_start)) and t_start + letters <= start:
            # `"\nrun_id"`: widened over the escape's letters, the token reads `nrun_id`, whose
            # words are not the term's; the token after the escape is the member.
            hit = self.token_in(data, t_start + letters, t_end)
        return hit

    def token_in(self, data: bytes, t_start: int, t_end: int) -> TokenHit | None:
        """``data[t_start:t_end]`` taken as one whole token, without widening it: the family
        member it is, or None. (A caller that knows better where a token begins, such as the Go
        scanner after an escape sequence, asks this.)"""
        raw = data[t_start:t_end]
        try:
            token = raw.decode("ascii")
        except UnicodeDecodeError:
            token = raw.decode("utf-8", "replace")
        if token in self.explicit:
            return TokenHit(t_start, t_end, token, (), explicit=True)
        spans = self.spans(token)
        if not spans:
            return None
        return TokenHit(t_start, t_end, token, spans)

    # -- renaming ------------------------------------------------------------------------------
    def rename(self, token: str) -> str:
        """The new spelling of a family token, keeping each spelling's style.

        ``RunID`` -> ``SessionID``, ``runId`` -> ``sessionId``, ``RUN_ID`` -> ``SESSION_ID``,
        ``FindConversationByRunID`` -> ``FindConversationBySessionID``, ``runIDs`` -> ``sessionIDs``.
        A plural takes the new term's regular plural (``addrs`` -> ``addresses``, ``KEYS`` ->
        ``ENTRIES``). A token that is not a member comes back unchanged.

        A one-word old term (``Fset``) spelled in lower case is read as lowerCamel when a new
        term of several words replaces it: ``fset`` -> ``fileSet``, ``fsetString`` ->
        ``fileSetString``, as a Go name must be. Its flat reading (``fileset``, which a joined
        ``runid`` keeps) would be the same text, and the token alone cannot tell them apart, so
        one reading serves every place the text stands: a comment most often names the Go
        identifier (``// fset is the file set``) and must keep naming it; a wire key (``"fset"``
        in a tag or a log call) follows no convention the token shows, lowerCamel is the usual
        one for JSON, and its new spelling is reviewed through the contract's strategy and can
        be set in ``[rename.explicit]``. Only the token's own separators choose otherwise:
        ``fset_size`` -> ``file_set_size``, ``x-fset`` -> ``x-file-set``, and an all-capitals
        token is UPPER_SNAKE (``FSET`` -> ``FILE_SET``), the way names of several words are
        written in capitals (``RUN_ID``, environment variables, C constants), but for a term
        that is one initialism, which Go writes in capitals in camel case (``UID`` ->
        ``AccountID``, ``userUID`` -> ``userAccountID``; Go's own, and the words a term of the
        pair writes in capitals, :attr:`initialisms`: ``NPC`` -> ``Character``). (:meth:`find`
        gives a kebab token whole only when the term's own words are joined by a hyphen, so in
        a scanned ``"x-fset"`` the token is ``fset``.)
        """
        memo = self._memo("rename")
        new = memo.get(token)
        if new is None:
            new = memo[token] = self._token_rename(token)
        return new

    def _token_rename(self, token: str) -> str:
        if token in self.explicit:
            return self.explicit[token]
        spans = self.spans(token)
        out = []
        pos = 0
        for span in spans:
            out.append(token[pos : span.start])
            out.append(self._rename_span(token, span))
            pos = span.end
        out.append(token[pos:])
        return "".join(out)

    def _rename_span(self, token: str, span: Span) -> str:
        """The new spelling of the term where ``span`` stands in ``token``, plural if it is."""
        source = token[span.start : span.end]
        if not span.plural:
            return self._restyle(source, span.joined, _joiner(token, span, self.initialisms))
        singular = _singular(source, span.plural)
        new = self._restyle(singular, span.joined, _joiner(token, span, self.initialisms))
        return pluralize(new, upper=span.plural.isupper())

    def _restyle(self, source: str, joined: bool, joiner: str = "") -> str:
        """The new term in the style of ``source`` (the old term as one token spells it);
        ``joiner``: how that token joins its words around the term (see :func:`_joiner`)."""
        new_words = self.new_words
        initialisms = self.initialisms
        if joined:
            text = "".join(new_words)
            style = _style(source)
            return text.upper() if style == "upper" else (
                text.lower() if style == "lower" else _apply_style(text, "title")
            )
        src = split_words(source)
        if len(src) == 1 and len(new_words) > 1:
            one = _restyle_one_word(src[0].text, new_words, joiner, initialisms)
            if one is not None:
                return one
        sep = ""
        if len(src) > 1:
            sep = source[src[0].end : src[1].start]
        src_styles = [_style(w.text) for w in src]
        if len(src) == 1 and src_styles == ["upper"] and not joiner:
            # in camel case, or an initialism alone (`UID`): a word in capitals there is an
            # initialism (`OutcomeNotCORS`), and the new word is capitalised camel case
            src_styles = ["title"]
        all_upper = all(s == "upper" for s in src_styles)
        result = []
        for i, word in enumerate(new_words):
            if i == len(new_words) - 1 and len(src) > 0:
                style = src_styles[-1]
                if style == "upper" and not all_upper and word.lower() not in initialisms:
                    style = "title"
                if (
                    style == "title"
                    and word.isupper()
                    and word.lower() in initialisms
                    and src[-1].text.lower() not in (word.lower(), word.lower() + "s")
                ):
                    style = "upper"
                if i == 0 and src_styles[0] == "lower":
                    style = "lower"  # one new word for lowerCamel: `tokenType` -> `kind`
            elif i == 0:
                style = src_styles[0]
                if style == "upper" and not all_upper:
                    style = "title" if word.lower() not in initialisms else "upper"
                elif style == "title" and word.isupper() and word.lower() in initialisms:
                    style = "upper"  # `HTTPClient`: the new term's initialism stays in capitals
            elif all_upper:
                style = "upper"
            elif sep and all(s == "lower" for s in src_styles):
                style = "lower"
            else:
                style = "upper" if word.isupper() and word.lower() in initialisms else "title"
            result.append(_apply_style(word, style))
        return sep.join(result)


def _interior(word: str, initialisms: frozenset[str] = INITIALISMS) -> str:
    """A word of a new term after the first, in camel case: an initialism the term writes in
    capitals stays so (``ID``), any other word is capitalised."""
    return word if word.isupper() and word.lower() in initialisms else _apply_style(word, "title")


def _restyle_one_word(word: str, new_words: tuple[str, ...], joiner: str,
                      initialisms: frozenset[str] = INITIALISMS) -> str | None:
    """A new term of several words for the one word ``word`` of the old term, in the reading
    the word's case and ``joiner`` give (see :meth:`Spec.rename`): lower case joined by ``_``
    or ``-`` (``file_set``), lower case alone as lowerCamel (``fileSet``), capitals joined
    (``FILE_SET``), and any case joined by ``-`` (``X-File-Set``). None for the readings the
    general rule already spells (``Fset`` -> ``FileSet``, ``BUF`` inside a camel-case token)."""
    style = _style(word)
    if joiner == "-" or (joiner == "_" and style in ("lower", "upper")):
        return joiner.join(_apply_style(w, style) for w in new_words)
    if style == "lower":
        return new_words[0].lower() + "".join(_interior(w, initialisms) for w in new_words[1:])
    return None


def _parts_apart(token: str, words: list[Word], i: int, n: int) -> bool:
    """Whether an underscore before a capital letter separates two of the ``n`` words from
    ``words[i]`` after a word with a lower-case letter (``Time_Format`` in ``ExampleTime_Format``,
    the example of the method Time.Format; protobuf's ``Outer_Inner``): in mixed case, Go uses
    it between two names, never inside one. ``run_id`` and ``RUN_ID`` spell one."""
    for k in range(i, i + n - 1):
        gap = token[words[k].end : words[k + 1].start]
        if "_" in gap and token[words[k + 1].start].isupper() and \
                any(c.islower() for c in words[k].text):
            return True
    return False


def _joiner(token: str, span: Span, initialisms: frozenset[str] = INITIALISMS) -> str:
    """How ``token`` joins its words around ``span``: the ``_`` or ``-`` between the span and a
    neighbouring word (``fset_size``, ``x-fset``); else ``_`` for a token without lower-case
    letters (``FSET``, which is UPPER_SNAKE); else ``""`` (camel case). A leading or trailing
    underscore (``_fset``) joins no words. A span glued to letters of a part that has
    lower-case letters is in camel case, whatever joins that part to the next
    (``TestHTTP_Flow``, a test's name and its case)."""
    start = max(token.rfind("_", 0, span.start), token.rfind("-", 0, span.start)) + 1
    ends = [i for i in (token.find("_", span.end), token.find("-", span.end)) if i != -1]
    end = min(ends, default=len(token))
    if (start < span.start or span.end < end) and any(c.islower() for c in token[start:end]):
        return ""
    before = token[span.start - 1] if span.start >= 2 else ""
    after = token[span.end] if span.end + 1 < len(token) else ""
    for sep in (before, after):
        if sep in ("_", "-"):
            return sep
    if token[span.start : span.end].lower() in initialisms and not any(
            c in "_-" for c in token):
        return ""  # `UID` is a Go name in camel case, as `Uid` would be: no UPPER_SNAKE
    return "_" if not any(c.islower() for c in token) else ""


# The endings after which an English plural takes ``es`` (``addresses``, ``boxes``, ``batches``).
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural_of(word: str) -> str:
    """The regular English plural of a lower-case word: ``addr`` -> ``addrs``, ``address`` ->
    ``addresses``, ``entry`` -> ``entries``, ``key`` -> ``keys``. An initialism takes a plain
    ``s`` (``ids``), as it is written in Go (``IDs``, ``URLs``)."""
    if word in INITIALISMS:
        return word + "s"
    if word.endswith(_SIBILANT_ENDINGS):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiouy":
        return word[:-1] + "ies"
    return word + "s"


def _plural_ending(word: str, singular: str) -> str:
    """The plural ending by which the lower-case ``word`` is a plural of ``singular`` (``s`` for
    ``addrs``, ``es`` for ``addresses``, ``ies`` for ``entries``); empty if it is not one. A plain
    ``s`` is always taken too (``Entrys``, ``runids``): code writes it whatever English says."""
    if word == singular + "s":
        return "s"
    plural = plural_of(singular)
    if word != plural:
        return ""
    return plural[len(singular) :] if plural.startswith(singular) else plural[len(singular) - 1 :]


def _singular(text: str, ending: str) -> str:
    """``text`` without its plural ``ending`` (as written in it): ``Addresses`` -> ``Address``,
    ``ENTRIES`` -> ``ENTRY``; an ``ies`` ending stood for a final ``y``."""
    stem = text[: len(text) - len(ending)]
    if ending.lower() == "ies":
        return stem + ("Y" if ending.isupper() else "y")
    return stem


def pluralize(spelling: str, *, upper: bool = False) -> str:
    """``spelling`` (one spelling of a term) with its last word made plural by
    :func:`plural_of`, the ending in capitals if ``upper``: ``Address`` -> ``Addresses``,
    ``SESSION_ID`` -> ``SESSION_IDS``, ``sessionID`` -> ``sessionIDs``, ``entry`` -> ``entries``."""
    words = split_words(spelling)
    if not words:
        return spelling
    last = words[-1].text.lower()
    plural = plural_of(last)
    kept = len(last) if plural.startswith(last) else len(last) - 1  # `entry` -> `entr` + `ies`
    ending = plural[kept:]
    return spelling[: words[-1].start + kept] + (ending.upper() if upper else ending)


@functools.lru_cache(maxsize=1 << 16)
def collapse_repeats(token: str) -> str | None:
    """For a compound that repeats a word after renaming (``sessionSessionID``), the name with the
    repeat collapsed (``sessionID``); None when no word repeats."""
    words = split_words(token)
    for a, b in itertools.pairwise(words):
        if a.text.lower() == b.text.lower() and token[a.end : b.start] in ("", "_", "-"):
            return token[: a.end] + token[b.end :]
    return None


_IS_IDENT = bytes(1 if (c >= 0x80 or c in _ASCII_IDENT) else 0 for c in range(256))
_IDENT_TAIL_RE = re.compile(rb"[" + _IDENT_BYTE + rb"]*")
_KEBAB_TAIL_RE = re.compile(rb"[" + _IDENT_BYTE + rb"]*(?:-[" + _IDENT_BYTE + rb"]+)*")


def _expand(data: bytes, start: int, end: int, token_re: re.Pattern[bytes]) -> tuple[int, int]:
    """Widen [start, end) to the whole token that ``token_re`` describes around it: identifier
    bytes to the left (and, for a kebab token, a hyphen between two of them), the pattern's
    tail to the right. Linear in the token's length."""
    kebab = token_re is _KEBAB_TOKEN_RE
    is_ident = _IS_IDENT
    s = start
    while True:
        while s > 0 and is_ident[data[s - 1]]:
            s -= 1
        if kebab and s > 1 and data[s - 1] == 0x2D and is_ident[data[s - 2]] and (
                s < len(data) and is_ident[data[s]]):
            s -= 1
            continue
        break
    tail = (_KEBAB_TAIL_RE if kebab else _IDENT_TAIL_RE).match(data, end)
    e = tail.end() if tail is not None else end
    if not data[s:e].isascii():
        return _letters_around(data, s, e, start, end, kebab)
    return s, e


def _letters_around(data: bytes, s: int, e: int, start: int, end: int,
                    kebab: bool) -> tuple[int, int]:
    """Narrow the widened token [s, e) to the identifier characters around the hit [start, end).

    Every non-ASCII byte is taken for a letter while widening (fast, and Go allows Unicode
    letters in names), but ``«RunID»``, ``“runID”``, ``id→runID`` and ``—run_id`` glue
    punctuation to the token: only letters, digits and ``_`` (and a kebab token's hyphens) are
    part of it. [s, start) and [end, e) begin and end on character boundaries: the bytes just
    outside them, and the hit itself, are ASCII."""
    left = data[s:start].decode("utf-8", "replace")
    right = data[end:e].decode("utf-8", "replace")
    i = len(left)
    while i > 0 and (left[i - 1].isalnum() or left[i - 1] == "_" or (kebab and left[i - 1] == "-")):
        i -= 1
    j = 0
    while j < len(right) and (right[j].isalnum() or right[j] == "_"
                              or (kebab and right[j] == "-")):
        j += 1
    s = start - len(left[i:].encode())
    e = end + len(right[:j].encode())
    while s < start and data[s] == 0x2D:  # `→-run-id`: the hyphen joined nothing
        s += 1
    while e > end and data[e - 1] == 0x2D:
        e -= 1
    return s, e


# After a backslash, the escape forms of Go (JSON, JavaScript and C share the one-letter and
# `\u` ones): one letter, or a letter or digit and a fixed count of digits.
_ESCAPE_FORMS = (re.compile(rb"[abfnrtv]"), re.compile(rb"x[0-9A-Fa-f]{2}"),
                 re.compile(rb"u[0-9A-Fa-f]{4}"), re.compile(rb"U[0-9A-Fa-f]{8}"),
                 re.compile(rb"[0-7]{3}"))


def escape_length(data: bytes, start: int) -> int:
    """How many bytes from ``start`` belong to a backslash escape whose backslash stands just
    before ``start`` (0: none; a backslash that is itself escaped, ``\\\\n``, starts nothing)."""
    if start == 0 or data[start - 1] != 0x5C:
        return 0
    backslashes = 1
    while start - backslashes > 0 and data[start - backslashes - 1] == 0x5C:
        backslashes += 1
    if backslashes % 2 == 0:
        return 0
    for form in _ESCAPE_FORMS:
        if (m := form.match(data, start)) is not None:
            return m.end() - start
    return 0


_PATTERN_CACHE: dict[tuple[tuple[str, ...], tuple[str, ...], bool], re.Pattern[bytes]] = {}


def _compiled_pattern(words: tuple[str, ...], explicit: tuple[str, ...], *,
                      lowered: bool = False) -> re.Pattern[bytes]:
    """The family's prefilter: case-insensitive, or (``lowered``) case-sensitive for bytes that
    were lower-cased with ``bytes.lower`` (ASCII letters only, as re folds them in bytes)."""
    key = (words, explicit, lowered)
    pattern = _PATTERN_CACHE.get(key)
    if pattern is None:
        if lowered:
            words = tuple(w.lower() for w in words)
            explicit = tuple(name.encode().lower().decode() for name in explicit)
        escaped = [re.escape(w.encode()) for w in words]
        plural = plural_of(words[-1])
        if not plural.startswith(words[-1]):  # `entr(?:y|ies)`: `entries` holds no `entry`
            stem = re.escape(words[-1][:-1].encode())
            escaped[-1] = stem + b"(?:" + re.escape(words[-1][-1:].encode()) + b"|" + \
                re.escape(plural[len(words[-1]) - 1 :].encode()) + b")"
        body = rb"[_\- ]?".join(escaped)  # (a space: prose, `the run ID`)
        alternatives = [body] + [re.escape(name.encode()) for name in explicit]
        either = b"|".join(alternatives)
        pattern = re.compile(either if lowered else b"(?i:" + either + b")")
        _PATTERN_CACHE[key] = pattern
    return pattern


def tokens(data: bytes) -> Iterator[tuple[int, int, str]]:
    """Every identifier-character token in ``data`` (an independent scan, used by tests and by
    the related-vocabulary pass)."""
    for m in _TOKEN_RE.finditer(data):
        yield m.start(), m.end(), m.group().decode("utf-8", "replace")

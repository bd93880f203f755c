"""The family of a term pair: which spellings belong, and how each is renamed."""

from __future__ import annotations

import pytest

from idrename.spec import Spec, collapse_repeats, plural_of, pluralize, split_words

SPEC = Spec("RunID", "SessionID", explicit={"runToTurn": "sessionToTurn"})


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("FindConversationByRunIDs", ["Find", "Conversation", "By", "Run", "IDs"]),
        ("RUN_ID", ["RUN", "ID"]),
        ("run-id", ["run", "id"]),
        ("HTTPServerRunId", ["HTTP", "Server", "Run", "Id"]),
        ("runid", ["runid"]),
    ],
)
def test_split_words(token: str, words: list[str]) -> None:
    assert [w.text for w in split_words(token)] == words


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("RunID", "SessionID"),
        ("RunId", "SessionId"),
        ("runID", "sessionID"),
        ("runId", "sessionId"),
        ("run_id", "session_id"),
        ("RUN_ID", "SESSION_ID"),
        ("run-id", "session-id"),
        ("runid", "sessionid"),
        ("RUNID", "SESSIONID"),
        ("runIDs", "sessionIDs"),
        ("RunIDs", "SessionIDs"),
        ("run_ids", "session_ids"),
        ("FindConversationByRunID", "FindConversationBySessionID"),
        ("resRunID", "resSessionID"),
        ("updatedRunID", "updatedSessionID"),
        ("X-Run-ID", "X-Session-ID"),
        ("runIDToRunID", "sessionIDToSessionID"),
        ("runToTurn", "sessionToTurn"),
    ],
)
def test_members_are_renamed_in_their_own_style(old: str, new: str) -> None:
    assert SPEC.is_member(old)
    assert SPEC.rename(old) == new


@pytest.mark.parametrize(
    "token", ["RunInference", "Runtime", "prune_id", "TrunID", "runLoop", "run", "ID", "RunIDentity"]
)
def test_homonyms_are_not_members(token: str) -> None:
    assert not SPEC.is_member(token)
    assert SPEC.rename(token) == token


def test_an_underscore_before_a_capital_in_mixed_case_separates_two_names() -> None:
    # Found renaming net/http's TimeFormat in Go's own tree: `ExampleTime_Format` (the example of
    # the method Time.Format) became `ExampleHTTP_Time_Layout`, which go vet refuses (it names
    # no identifier). In mixed case Go puts `_` between two names (examples, tests, protobuf's
    # Outer_Inner), never inside one; snake and upper snake case still spell the term.
    spec = Spec("TimeFormat", "HTTPTimeLayout")
    assert not spec.is_member("ExampleTime_Format")
    assert [spec.is_member(t) for t in ("TimeFormat", "time_format", "TIME_FORMAT",
                                       "X-Time-Format", "parseTimeFormats")] == [True] * 5
    assert not SPEC.is_member("Run_ID") and not SPEC.is_member("run_ID")
    assert SPEC.rename("ExampleServer_RunID") == "ExampleServer_SessionID"
    assert SPEC.rename("Msg_RunId") == "Msg_SessionId"


def test_other_term_pairs_keep_styles() -> None:
    spec = Spec("UserID", "AccountHolderID")
    assert [spec.rename(t) for t in ("UserID", "userId", "user_id", "USER_ID", "userIDs")] == [
        "AccountHolderID", "accountHolderId", "account_holder_id", "ACCOUNT_HOLDER_ID",
        "accountHolderIDs",
    ]


def test_odd_compound_collapses() -> None:
    assert SPEC.rename("sessionRunID") == "sessionSessionID"
    assert collapse_repeats("sessionSessionID") == "sessionID"
    assert collapse_repeats("sessionID") is None


def test_find_respects_boundaries_and_kebab() -> None:
    data = b'x := conv.RunID; "run_id"; RunInference(); TrunID; X-Run-ID a-runID'
    hits = [(h.token, data[h.start : h.end].decode()) for h in SPEC.find(data)]
    assert hits == [("RunID", "RunID"), ("run_id", "run_id"), ("X-Run-ID", "X-Run-ID"),
                    ("runID", "runID")]
    assert [h.token for h in SPEC.find(b"a-run-id", kebab=False)] == []


def test_find_takes_the_token_after_an_escape_whose_letters_hide_it() -> None:
    # Widened over the escape's letters, `\nrun_id` reads `nrun_id` and `\trunID` `trunID`:
    # neither is a member, and both were missed. An escaped backslash (`\\n`) escapes nothing.
    data = rb'"a\nrun_id=1", "b\trunID", "c\x41RunID", "d\\nrun_id", "e\\\trunID"'
    hits = [(h.token, h.start) for h in SPEC.find(data)]
    assert hits == [("run_id", data.index(b"run_id")), ("runID", data.index(b"runID")),
                    ("x41RunID", data.index(b"x41RunID")),
                    ("runID", data.rindex(b"runID"))]


def test_find_leaves_unicode_punctuation_out_of_a_token() -> None:
    # Every non-ASCII byte is read as a letter while widening: `«RunID»` was the token, and
    # `id→runID` one that no table would group with `runID`.
    data = "«RunID», “runID”, id→runID, —run_id".encode()
    hits = [(h.token, data[h.start : h.end].decode()) for h in SPEC.find(data)]
    assert hits == [("RunID", "RunID"), ("runID", "runID"), ("runID", "runID"),
                    ("run_id", "run_id")]


def test_a_term_glued_to_other_letters_is_a_member() -> None:
    # A comment in Chinese glues the name to the text around it.
    assert [w.text for w in split_words("根据runID查询")] == ["根据", "run", "ID", "查询"]
    data = "// 根据runID查询; var 日本RunID".encode()
    assert [h.token for h in SPEC.find(data)] == ["根据runID查询", "日本RunID"]
    assert SPEC.rename("根据runID查询") == "根据sessionID查询"
    assert SPEC.rename("日本RunID") == "日本SessionID"


def test_bad_terms_are_refused() -> None:
    with pytest.raises(ValueError, match="not an identifier"):
        Spec("run id", "SessionID")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("fset", "fileSet"),  # lowerCamel, not the flat `fileset`
        ("fsetString", "fileSetString"),
        ("netHTTPFset", "netHTTPFileSet"),
        ("Fset", "FileSet"),
        ("TestFset_Position", "TestFileSet_Position"),  # `_` in a Go test name joins no words
        ("_fset", "_fileSet"),
        ("fsets", "fileSets"),
        ("fset_size", "file_set_size"),
        ("FSET_SIZE", "FILE_SET_SIZE"),
        ("FSET", "FILE_SET"),
        ("x-fset", "x-file-set"),
    ],
)
def test_a_one_word_term_takes_the_reading_of_its_token(old: str, new: str) -> None:
    assert Spec("Fset", "FileSet").rename(old) == new


def test_a_one_word_term_in_lower_case_is_lower_camel_with_initialisms_kept() -> None:
    assert [Spec("Buf", "ByteBuffer").rename(t) for t in ("buf", "bufSize", "BufSize")] == [
        "byteBuffer", "byteBufferSize", "ByteBufferSize"]
    assert [Spec("Buf", "HTTPBufferID").rename(t) for t in ("buf", "buf_size")] == [
        "httpBufferID", "http_buffer_id_size"]


@pytest.mark.parametrize(
    ("old", "new", "tokens", "renamed"),
    [
        # Found on a real tree: `UID` was read as UPPER_SNAKE, and `--from UID --to AccountID`
        # renamed the field UID to ACCOUNT_ID; an initialism alone is a Go name in camel case.
        ("UID", "AccountID", ["UID", "UIDs", "userUID", "Uid", "uid", "UID_KEY", "uid_key"],
         ["AccountID", "AccountIDs", "userAccountID", "AccountID", "accountID", "ACCOUNT_ID_KEY",
          "account_id_key"]),
        ("UID", "Key", ["UID", "userUID", "uid"], ["Key", "userKey", "key"]),
        # and a new term's initialism stays in capitals where the old term's first word was
        ("ID", "UUID", ["ID", "IDs", "userID", "id", "USER_ID"],
         ["UUID", "UUIDs", "userUUID", "uuid", "USER_UUID"]),
        ("RunID", "HTTPClient", ["RunID", "runID", "RUN_ID", "RunIDs"],
         ["HTTPClient", "httpClient", "HTTP_CLIENT", "HTTPClients"]),
        # Found on a text-adventure server: `--from NPC --to Character` declared `type
        # CHARACTER`, `resolveCHARACTERLocked` and `world.CHARACTERs`, since only Go's own
        # initialisms were read as such. A word a term writes in capitals is one too, as the
        # user wrote it, unless the other term is in capitals as well (`MAX` -> `LIMIT`, the
        # words of constants, keep reading `MaxRetries` as `LimitRetries`)
        ("NPC", "Character",
         ["NPC", "NPCs", "npc", "npcs", "resolveNPCLocked", "npcState", "NPC_KIND", "Npc"],
         ["Character", "Characters", "character", "characters", "resolveCharacterLocked",
          "characterState", "CHARACTER_KIND", "Character"]),
        ("Monster", "NPC", ["Monster", "monsters", "resolveMonsterLocked", "MONSTER_KIND"],
         ["NPC", "npcs", "resolveNPCLocked", "NPC_KIND"]),
        ("CharacterState", "NPCState", ["CharacterState", "characterState", "CHARACTER_STATE"],
         ["NPCState", "npcState", "NPC_STATE"]),
        ("MAX", "LIMIT", ["MAX", "MaxRetries", "maxRetries", "MAX_RETRIES"],
         ["LIMIT", "LimitRetries", "limitRetries", "LIMIT_RETRIES"]),
        ("RUN_ID", "SessionID", ["RUN_ID", "RunID", "runID", "run_id"],
         ["SESSION_ID", "SessionID", "sessionID", "session_id"]),
        # Found on a patrol-dispatch API (http -> webapi): `TestHTTP_PatrolTaskFullFlow` became
        # `TestWEBAPI_PatrolTaskFullFlow`, the `_` after the word read as UPPER_SNAKE, and on a
        # CORS diagnoser (cors -> corspolicy) `OutcomeNotCORS` became `OutcomeNotCORSPOLICY`.
        # In camel case Go writes only initialisms in capitals, whatever the word; a part of
        # its own in capitals (`HTTP_PORT`, `Test_HTTP_x`) stays UPPER_SNAKE.
        ("http", "webapi",
         ["TestHTTP_PatrolTaskFullFlow", "HTTPServer", "HTTP", "HTTP_PORT", "Test_HTTP_x"],
         ["TestWebapi_PatrolTaskFullFlow", "WebapiServer", "Webapi", "WEBAPI_PORT",
          "Test_WEBAPI_x"]),
        ("cors", "corspolicy", ["OutcomeNotCORS", "corsHandler", "CORS_ORIGIN"],
         ["OutcomeNotCorspolicy", "corspolicyHandler", "CORSPOLICY_ORIGIN"]),
        ("Fset", "FileSet", ["fset_size", "myFset_size", "FSET"],
         ["file_set_size", "myFileSet_size", "FILE_SET"]),
    ],
)
def test_an_initialism_in_capitals_is_camel_case(
    old: str, new: str, tokens: list[str], renamed: list[str]
) -> None:
    spec = Spec(old, new)
    assert [spec.rename(t) for t in tokens] == renamed
    # (a term in UPPER_SNAKE writes the words of a constant, no initialism)
    assert "run" not in spec.initialisms


@pytest.mark.parametrize(
    ("old", "new", "tokens", "renamed"),
    [
        ("Addr", "Address", ["localAddrs", "OpLocalAddrs", "addrs", "ADDRS", "ADDRS_MAX"],
         ["localAddresses", "OpLocalAddresses", "addresses", "ADDRESSES", "ADDRESSES_MAX"]),
        ("Address", "Addr", ["Addresses", "localAddresses", "ADDRESSES"],
         ["Addrs", "localAddrs", "ADDRS"]),
        ("Key", "Entry", ["Keys", "keys", "KEYS", "key_s"], ["Entries", "entries", "ENTRIES", "entry_s"]),
        ("Entry", "Key", ["Entries", "numEntries", "ENTRIES", "Entrys"],
         ["Keys", "numKeys", "KEYS", "Keys"]),
        ("RunID", "SessionAddress", ["runIDs", "RUN_IDS", "run_ids", "runids"],
         ["sessionAddresses", "SESSION_ADDRESSES", "session_addresses", "sessionaddresses"]),
        ("UserEntry", "AccountID", ["userEntries", "user_entries", "userentries"],
         ["accountIDs", "account_ids", "accountids"]),
    ],
)
def test_plurals_follow_english_rules_for_the_new_term(
    old: str, new: str, tokens: list[str], renamed: list[str]
) -> None:
    spec = Spec(old, new)
    assert all(spec.is_member(t) for t in tokens)
    assert [spec.rename(t) for t in tokens] == renamed


def test_an_english_plural_is_found_in_text() -> None:
    data = b'n := numEntries(entries) // "ENTRIES"; Entryway; entriesx'
    assert [h.token for h in Spec("Entry", "Key").find(data)] == [
        "numEntries", "entries", "ENTRIES"]
    assert not Spec("Entry", "Key").is_member("Entryway")


@pytest.mark.parametrize(
    ("word", "plural"),
    [("addr", "addrs"), ("address", "addresses"), ("box", "boxes"), ("batch", "batches"),
     ("hash", "hashes"), ("entry", "entries"), ("key", "keys"), ("id", "ids"), ("y", "ys")],
)
def test_plural_of(word: str, plural: str) -> None:
    assert plural_of(word) == plural


@pytest.mark.parametrize(
    ("spelling", "upper", "plural"),
    [("Address", False, "Addresses"), ("ADDRESS", True, "ADDRESSES"),
     ("sessionID", False, "sessionIDs"), ("SESSION_ID", True, "SESSION_IDS"),
     ("Entry", False, "Entries"), ("user_entry", False, "user_entries"), ("Key", False, "Keys")],
)
def test_pluralize(spelling: str, upper: bool, plural: str) -> None:
    assert pluralize(spelling, upper=upper) == plural


def test_a_new_term_of_one_word_keeps_a_lower_camel_token_unexported() -> None:
    # Found on a Monkey interpreter (--from TokenType --to Kind): the parameter `tokenType`
    # became `Kind`, the style of the old term's last word: exported, where a package-level
    # name would have changed its API (and could collide with the type).
    spec = Spec("TokenType", "Kind")
    assert [spec.rename(t) for t in ("tokenType", "TokenType", "tokenTypes", "newTokenType",
                                     "token_type", "TOKEN_TYPE")] == [
        "kind", "Kind", "kinds", "newKind", "kind", "KIND"]
    spec = Spec("RunID", "UID")
    assert [spec.rename(t) for t in ("runID", "RunID", "myRunID")] == ["uid", "UID", "myUID"]


@pytest.mark.parametrize("spec", [
    SPEC,
    Spec("Entry", "Item"),  # `entr(?:y|ies)`
    Spec("RunID", "SessionID", explicit={"runToTurn": "sessionToTurn", "ÉtatRun": "ÉtatSession"}),
])
def test_the_lowered_prefilter_finds_what_the_case_insensitive_one_finds(spec: Spec) -> None:
    # The prefilter searches lower-cased bytes with a case-sensitive pattern (several times
    # faster in re): the same matches, at the same offsets, as the case-insensitive pattern.
    samples = [
        b"var RUN_ID = runId // RunIDs, X-Run-Id, runid, rUn-iD",
        b"ENTRIES entries Entry entryList ENTRY_KEY",
        "RUNTOTURN runtoturn ÉtatRun étatrun ÉTATRUN".encode(),
        b"nothing here: running, ID, a run, identity",
    ]
    for data in samples:
        expected = [m.span() for m in spec.pattern.finditer(data)]
        assert [m.span() for m in spec.lowered_pattern.finditer(data.lower())] == expected
        assert spec.may_hold(data) == bool(expected)
    assert not SPEC.may_hold(b"nothing here: running, ID, a run, identity")
    assert SPEC.may_hold(b"x := rUN_iD")


def test_a_member_that_starts_inside_a_prose_match_is_found() -> None:
    # `run id_run_id`: the prefilter's match `run id` is no member outside prose, and the
    # member after it starts inside that match.
    data = b"x run id_run_id y"
    assert [(h.token, h.start) for h in SPEC.find(data)] == [("id_run_id", 6)]
    assert [h.token for h in SPEC.find(b"the run ID and RunID", prose=True)] == ["run ID", "RunID"]
    assert [h.token for h in SPEC.find(b"the run ID and RunID")] == ["RunID"]

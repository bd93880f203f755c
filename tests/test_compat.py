"""Golden tests for idrename.compat: Go (and TypeScript) text in, contract rows out."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from idrename import compat, wiresyntax
from idrename.decisions import decide
from idrename.inventory import scan
from idrename.policy import Policy, load_policy, parse_policy, policy_from_terms

PROJECT = Path(__file__).resolve().parents[1]
FIXTURE = PROJECT / "data" / "fixtures" / "moments"
POLICY = PROJECT / "data" / "policies" / "runid-to-sessionid.toml"


def write(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def analyse(
    tmp_path: Path,
    go: dict[str, str],
    web: dict[str, str] | None = None,
    policy: Policy | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(decisions, matrix) for a Go root `backend` and an optional consumer root `web`."""
    policy = policy or policy_from_terms("RunID", "SessionID")
    write(tmp_path / "backend", go)
    roots = [tmp_path / "backend"]
    if web is not None:
        write(tmp_path / "web", web)
        roots.append(tmp_path / "web")
    inv = scan(roots, policy.spec, sections=policy.sections)
    decided = decide(inv.frame, policy)
    matrix = compat.contracts(decided, consumer_roots={"web"} if web is not None else set(),
                              policy=policy, roots=inv.roots)
    return decided, matrix


def applied_rows(tmp_path: Path, go: dict[str, str], policy: Policy, role: str,
                 columns: list[str]) -> list[list[object]]:
    """``columns`` of the rows of ``role`` once the strategies are applied (see
    :func:`analyse`)."""
    decided, matrix = analyse(tmp_path, go, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    return applied[applied["role"] == role][columns].values.tolist()


def row(matrix: pd.DataFrame, contract: str) -> dict[str, object]:
    found = matrix[matrix["contract"] == contract]
    assert len(found) == 1, f"{contract} not in {list(matrix['contract'])}"
    return found.iloc[0].to_dict()


def strategies(matrix: pd.DataFrame) -> list[tuple[object, ...]]:
    """(contract, direction, strategy) of each row of the matrix."""
    return [(c, d, s) for c, d, s, *_ in summary(matrix)]


def summary(matrix: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        (r["contract"], r["direction"], r["strategy"], r["producers"], r["consumers"],
         r["consumer_set"])
        for r in matrix.to_dict("records")
    ]


# -- a small service and its web client ------------------------------------------------------------
SERVICE = {
    "api/handler.go": """
        package api

        import (
        	"encoding/json"
        	"net/http"
        )

        type startRequest struct {
        	Prompt string `json:"prompt"`
        	RunID  string `json:"run_id"`
        }

        type Handler struct{ mux *http.ServeMux }

        func New() *Handler {
        	h := &Handler{mux: http.NewServeMux()}
        	h.mux.HandleFunc("POST /api/start", h.start)
        	h.mux.HandleFunc("GET /api/find", h.find)
        	return h
        }

        func (h *Handler) start(w http.ResponseWriter, r *http.Request) {
        	var req startRequest
        	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
        		return
        	}
        	_ = json.NewEncoder(w).Encode(map[string]any{
        		"run_id": req.RunID,
        		"prompt": req.Prompt,
        	})
        }

        func (h *Handler) find(w http.ResponseWriter, r *http.Request) {
        	runID := r.URL.Query().Get("run_id")
        	trace := r.Header.Get("X-Run-ID")
        	_, _ = runID, trace
        }
        """,
    "api/event.go": """
        package api

        import "encoding/json"

        type Event struct {
        	RunID string `json:"run_id"`
        	Kind  string `json:"kind"`
        }

        func encodeEvent(runID string) ([]byte, error) {
        	ev := Event{RunID: runID, Kind: "start"}
        	return json.Marshal(ev)
        }
        """,
    "client/summary.go": """
        package client

        import (
        	"encoding/json"
        	"net/http"
        )

        type Summary struct {
        	RunID string `json:"run_id"`
        	Text  string `json:"text"`
        }

        func Fetch(url string) (*Summary, error) {
        	resp, err := http.Get(url)
        	if err != nil {
        		return nil, err
        	}
        	defer resp.Body.Close()
        	var out Summary
        	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
        		return nil, err
        	}
        	return &out, nil
        }
        """,
    "store/store.go": """
        package store

        const updateRun = `UPDATE conversations SET run_id = $1 WHERE id = $2`

        type Row struct {
        	RunID string `db:"run_id"`
        }
        """,
    "store/schema.sql": """
        CREATE TABLE conversations (id TEXT PRIMARY KEY, run_id TEXT);
        CREATE INDEX idx_conversations_run_id ON conversations (run_id);
        """,
}
CLIENT = {
    "src/api.ts": """
        export interface StartResponse {
          run_id: string;
          prompt: string;
        }

        export interface StartRequest {
          prompt: string;
          run_id?: string;
        }

        export async function start(body: StartRequest): Promise<StartResponse> {
          const r = await fetch("/api/start", { method: "POST", body: JSON.stringify(body) });
          const resp: StartResponse = await r.json();
          console.log(resp.run_id, resp.prompt);
          return resp;
        }

        export function findUrl(runId: string): string {
          return `/api/find?run_id=${runId}`;
        }
        """,
    "src/mock.ts": """
        import type { StartResponse } from "./api";

        export function mockStart(): StartResponse {
          return { run_id: "s-1", prompt: "hi" };
        }
        """,
}


def test_contracts_of_a_small_service(tmp_path: Path) -> None:
    _, matrix = analyse(tmp_path, SERVICE, CLIENT)
    assert summary(matrix) == [
        ("db_tag:run_id@Row", "stored", "migrate", ["backend/store/store.go:6"], [], "unknown"),
        ("http_header:X-Run-ID@Handler.find", "inbound", "accept-both", [],
         ["backend/api/handler.go:35"], "unknown"),
        ("json_tag:run_id@Event", "outbound", "dual-emit",
         ["backend/api/event.go:6", "backend/api/event.go:12"], [], "unknown"),
        ("json_tag:run_id@Summary", "inbound", "keep-legacy", ["backend/client/summary.go:9"],
         ["backend/client/summary.go:20"], "unknown"),
        ("json_tag:run_id@startRequest", "inbound", "accept-both", ["backend/api/handler.go:10"],
         ["backend/api/handler.go:24", "web/src/api.ts:8"], "known"),
        ("map_key:run_id@Handler.start", "outbound", "dual-emit", ["backend/api/handler.go:28"],
         ["web/src/api.ts:2", "web/src/api.ts:14", "web/src/mock.ts:4"], "known"),
        ("query_param:run_id@Handler.find", "inbound", "accept-both", [],
         ["backend/api/handler.go:34", "web/src/api.ts:19"], "known"),
        ("sql:idx_conversations_run_id@conversations", "stored", "migrate",
         ["backend/store/schema.sql:2"], [], "unknown"),
        ("sql:run_id@conversations", "stored", "migrate",
         ["backend/store/schema.sql:1", "backend/store/schema.sql:2", "backend/store/store.go:3"],
         [], "unknown"),
    ]
    # The parameter `runId` of findUrl only carries the value: camelCase is a protobuf accessor,
    # and there is no protobuf contract here.
    assert matrix.attrs["unattributed"] == []
    sql = row(matrix, "sql:run_id@conversations")
    assert sql["proposed_change"] == (
        "Write a migration `ALTER TABLE conversations RENAME COLUMN run_id TO session_id;` "
        "(proposal, not applied) and switch the queries to it when it runs.")
    assert "needs a migration (proposal only, never applied)" in sql["flags"]
    index = row(matrix, "sql:idx_conversations_run_id@conversations")
    assert index["proposed_change"].startswith(
        "Write a migration `ALTER INDEX idx_conversations_run_id RENAME TO "
        "idx_conversations_session_id;`")
    request = row(matrix, "json_tag:run_id@startRequest")
    assert request["proposed_change"] == (
        'Change the tag on startRequest to `json:"session_id"` and add an UnmarshalJSON that still '
        'accepts `"run_id"` when `"session_id"` is absent.')
    assert request["strategy_source"] == "default"
    assert row(matrix, "json_tag:run_id@Summary")["rationale"].startswith(
        "JSON produced by another service that we only decode")


HANDLERS_READING_THROUGH_A_NAME_GO = """
    package api

    import (
    	"encoding/json"
    	"io"
    	"net/http"
    )

    type startRequest struct {
    	RunID string `json:"run_id"`
    }

    type stopRequest struct {
    	RunID string `json:"run_id"`
    }

    type Summary struct {
    	RunID string `json:"run_id"`
    }

    func start(w http.ResponseWriter, r *http.Request) {
    	dec := json.NewDecoder(r.Body)
    	var in startRequest
    	_ = dec.Decode(&in)
    }

    func stop(w http.ResponseWriter, r *http.Request) {
    	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
    	if err != nil {
    		return
    	}
    	var in stopRequest
    	_ = json.Unmarshal(body, &in)
    }

    func fetch(r *http.Request, url string) (Summary, error) {
    	var s Summary
    	resp, err := http.Get(url)
    	if err != nil {
    		return s, err
    	}
    	dec := json.NewDecoder(resp.Body)
    	err = dec.Decode(&s)
    	return s, err
    }
    """


def test_a_request_read_through_a_name_is_what_clients_send(tmp_path: Path) -> None:
    # `dec := json.NewDecoder(r.Body); dec.Decode(&in)` decodes what clients send as surely as
    # `json.NewDecoder(r.Body).Decode(&in)` does; so does `json.Unmarshal(body, &in)` of a
    # `body` read from r.Body. Both were taken for another service's JSON and kept, with that
    # rationale. A response another service sends, read the same way, still is.
    _, matrix = analyse(tmp_path, {"api/api.go": HANDLERS_READING_THROUGH_A_NAME_GO})
    assert strategies(matrix) == [
        ("json_tag:run_id@Summary", "inbound", "keep-legacy"),
        ("json_tag:run_id@startRequest", "inbound", "accept-both"),
        ("json_tag:run_id@stopRequest", "inbound", "accept-both"),
    ]
    assert row(matrix, "json_tag:run_id@startRequest")["rationale"].startswith(
        "inbound: clients still send run_id")
    assert row(matrix, "json_tag:run_id@Summary")["rationale"].startswith(
        "JSON produced by another service that we only decode")
    # a decoder that refuses unknown keys: the tag goes to review, the reason given
    strict = HANDLERS_READING_THROUGH_A_NAME_GO.replace(
        "\tdec := json.NewDecoder(r.Body)\n", "\tdec := json.NewDecoder(r.Body)\n"
        "\tdec.DisallowUnknownFields()\n")
    _, matrix = analyse(tmp_path / "strict", {"api/api.go": strict})
    request = row(matrix, "json_tag:run_id@startRequest")
    assert request["strategy"] == "accept-both"
    assert any(f.startswith(compat.STRICT) for f in request["flags"])
    # echo's request, read the same way
    echo = textwrap.dedent(HANDLERS_READING_THROUGH_A_NAME_GO).replace(
        '"net/http"', '"net/http"\n\n\t"github.com/labstack/echo/v4"').replace(
        "func start(w http.ResponseWriter, r *http.Request) {\n\tdec := json.NewDecoder(r.Body)",
        "func start(c echo.Context) error {\n\tdec := json.NewDecoder(c.Request().Body)").replace(
        "\t_ = dec.Decode(&in)\n}", "\treturn dec.Decode(&in)\n}")
    assert "c.Request().Body" in echo and "return dec.Decode" in echo
    _, matrix = analyse(tmp_path / "echo", {"api/api.go": echo})
    assert row(matrix, "json_tag:run_id@startRequest")["strategy"] == "accept-both"
    # gin's body read whole, then decoded
    gin = textwrap.dedent(HANDLERS_READING_THROUGH_A_NAME_GO).replace(
        '"net/http"', '"net/http"\n\n\t"github.com/gin-gonic/gin"').replace(
        "func stop(w http.ResponseWriter, r *http.Request) {\n"
        "\tbody, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))",
        "func stop(c *gin.Context) {\n\tbody, err := c.GetRawData()")
    assert "c.GetRawData()" in gin
    _, matrix = analyse(tmp_path / "gin", {"api/api.go": gin})
    assert row(matrix, "json_tag:run_id@stopRequest")["strategy"] == "accept-both"


STRUCTS_OF_A_FUNCTION_GO = """
    package api

    import (
    	"encoding/json"
    	"net/http"
    )

    func start(w http.ResponseWriter, r *http.Request) {
    	var in struct {
    		RunID string `json:"run_id"`
    	}
    	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
    		return
    	}
    	type reply struct {
    		RunID string `json:"run_id"`
    		OK    bool   `json:"ok"`
    	}
    	_ = json.NewEncoder(w).Encode(reply{RunID: in.RunID, OK: true})
    }

    func stop(w http.ResponseWriter, r *http.Request) {
    	var in struct {
    		RunID string `json:"run_id"`
    	}
    	if !decode(r, &in) {
    		return
    	}
    	_ = in.RunID
    }

    func decode(r *http.Request, v any) bool {
    	return json.NewDecoder(r.Body).Decode(v) == nil
    }
    """


def test_a_struct_that_can_have_no_methods_keeps_its_key(tmp_path: Path) -> None:
    # A struct declared in a function can have no UnmarshalJSON or MarshalJSON, which is what
    # keeps a legacy key working under accept-both and dual-emit. The matrix proposed those
    # methods all the same, and the patch then kept the tag with a warning. Such a contract is
    # keep-legacy, the reason given, and the patch renames only the Go names, with no warning.
    decided, matrix = analyse(tmp_path, {"api/api.go": STRUCTS_OF_A_FUNCTION_GO})
    assert strategies(matrix) == [
        ("json_tag:run_id@reply", "outbound", "keep-legacy"),
        ("json_tag:run_id@start", "inbound", "keep-legacy"),
        # decoded through a helper, which the syntax cannot type: direction assumed both
        ("json_tag:run_id@stop", "both", "keep-legacy"),
    ]
    request = row(matrix, "json_tag:run_id@start")
    assert request["rationale"].startswith(
        "inbound: clients still send run_id; the struct of start is declared in a function or "
        "is anonymous, where Go allows no methods")
    assert request["proposed_change"] == \
        'Keep `json:"run_id"` on start; rename only the Go field.'
    from idrename.patch import build_patch

    patch = build_patch(compat.apply_strategies(decided, matrix),
                        {"backend": tmp_path / "backend"})
    after = STRUCTS_OF_A_FUNCTION_GO.replace("RunID string", "SessionID string").replace(
        "OK    bool", "OK        bool").replace("RunID: in.RunID", "SessionID: in.SessionID"
                                                ).replace("_ = in.RunID", "_ = in.SessionID")
    assert {f.path: f.after.decode() for f in patch.changed()} == {
        "api/api.go": textwrap.dedent(after).lstrip()}
    assert patch.warnings == []


def test_hard_cut_when_every_known_consumer_reads_the_new_name(tmp_path: Path) -> None:
    web = {"src/api.ts": """
        export async function start(): Promise<string> {
          const resp = await (await fetch("/api/start", { method: "POST" })).json();
          return resp.session_id ?? resp.run_id;
        }
        """}
    _, matrix = analyse(tmp_path, {"api/handler.go": SERVICE["api/handler.go"]}, web)
    out = row(matrix, "map_key:run_id@Handler.start")
    assert (out["strategy"], out["consumers"], out["consumer_set"]) == (
        "hard-cut", ["web/src/api.ts:3"], "known")


# -- pairs: already emitting both names ------------------------------------------------------------
PAIRED = {
    "pkg/out/out.go": """
        package out

        import "log/slog"

        type logger struct{}

        func (logger) Str(k, v string) logger { return logger{} }
        func (logger) Msg(string)             {}

        func response(id string) map[string]any {
        	return map[string]any{
        		"run_id":     id,
        		"session_id": id,
        	}
        }

        func other(id, old string) map[string]any {
        	return map[string]any{"run_id": old, "session_id": id}
        }

        func logged(l logger, id string) {
        	l.Str("run_id", id).Str("session_id", id).Msg("both")
        	slog.Info("both", "run_id", id, "session_id", id)
        	slog.Info("attrs", slog.String("run_id", id), slog.String("session_id", id))
        }
        """,
}


def test_pairs_that_already_emit_both_are_recognised_and_kept_by_default(tmp_path: Path) -> None:
    # The seed: the alias goes in a follow-up, once consumers moved. Unknown consumers have not
    # been seen to move, so the default keeps both names and proposes drop-legacy in the flags.
    decided, matrix = analyse(tmp_path, PAIRED)
    assert summary(matrix) == [
        ("log_key:run_id", "outbound", "keep-legacy",
         ["backend/pkg/out/out.go:22", "backend/pkg/out/out.go:23", "backend/pkg/out/out.go:24"],
         [], "unknown"),
        ("map_key:run_id@other", "outbound", "dual-emit", ["backend/pkg/out/out.go:18"], [],
         "unknown"),
        ("map_key:run_id@response", "outbound", "keep-legacy", ["backend/pkg/out/out.go:12"], [],
         "unknown"),
    ]
    assert "drop run_id (drop-legacy) once they have moved" in str(
        row(matrix, "map_key:run_id@response")["rationale"])
    assert len(row(matrix, "log_key:run_id")["paired_ids"]) == 3
    # `"run_id": old, "session_id": id` carries two values: not a pair.
    assert row(matrix, "map_key:run_id@other")["paired_ids"] == []
    applied = compat.apply_strategies(decided, matrix)
    wire = applied[applied["wire"]].sort_values("line")
    assert list(zip(wire["line"], wire["decision"], strict=True)) == [
        (12, "keep"), (18, "dual"), (22, "keep"), (23, "keep"), (24, "keep")]


def test_drop_legacy_when_the_policy_says_so(tmp_path: Path) -> None:
    policy = parse_policy(
        '[rename]\nfrom = "RunID"\nto = "SessionID"\n\n[[contract]]\nwire = "run_id"\n'
        'strategy = "drop-legacy"\nrationale = "dashboards moved to session_id"\n')
    decided, matrix = analyse(tmp_path, PAIRED, policy=policy)
    dropped = row(matrix, "map_key:run_id@response")
    assert dropped["strategy"] == "drop-legacy"
    assert dropped["proposed_change"] == (
        "Remove the legacy `run_id` where `session_id` already carries the same value (response).")
    applied = compat.apply_strategies(decided, matrix)
    wire = applied[applied["wire"]].sort_values("line")
    assert list(zip(wire["line"], wire["decision"], wire["target"], strict=True)) == [
        (12, "drop-legacy", "session_id"),
        (18, "keep", "run_id"),  # two different values: dropping run_id would lose one
        (22, "drop-legacy", "session_id"),
        (23, "drop-legacy", "session_id"),
        (24, "drop-legacy", "session_id"),
    ]


def test_a_site_already_paired_inside_a_dual_emit_contract_is_kept(tmp_path: Path) -> None:
    go = {"pkg/out/out.go": """
        package out

        type logger struct{}

        func (logger) Str(k, v string) logger { return logger{} }
        func (logger) Msg(string)             {}

        func logged(l logger, id string) {
        	l.Str("run_id", id).Str("session_id", id).Msg("both")
        	l.Str("run_id", id).Msg("legacy only")
        }
        """}
    decided, matrix = analyse(tmp_path, go)
    out = row(matrix, "log_key:run_id")
    assert out["strategy"] == "dual-emit"
    assert "already emits both run_id and session_id at 1 of 2 site(s)" in out["flags"]
    applied = compat.apply_strategies(decided, matrix)
    wire = applied[applied["wire"]].sort_values("line")
    assert list(zip(wire["line"], wire["decision"], strict=True)) == [(9, "keep"), (10, "dual")]
    assert next(iter(wire["rationale"])) == "already emits both run_id and session_id"


def test_a_header_set_beside_the_same_set_for_the_new_name_is_paired(tmp_path: Path) -> None:
    # What a dual-emit apply leaves (found applying twice on Go's net/http): the legacy set stays
    # and the set for the new name follows it. A plan made again keeps both, and adds nothing.
    go = {"api/api.go": """
        package api

        import "net/http"

        func stamp(w http.ResponseWriter, id, old string) {
        	w.Header().Set("X-Run-ID", id)
        	w.Header().Set("X-Session-ID", id)
        }

        func other(w http.ResponseWriter, id, old string) {
        	w.Header().Set("X-Run-ID", old)
        	w.Header().Set("X-Session-ID", id)
        }
        """}
    decided, matrix = analyse(tmp_path, go)
    stamped = row(matrix, "http_header:X-Run-ID@stamp")
    assert (stamped["strategy"], len(stamped["paired_ids"])) == ("keep-legacy", 1)
    assert "already emits both X-Run-ID and X-Session-ID at 1 of 1 site(s)" in stamped["flags"]
    # two values: not a pair
    assert row(matrix, "http_header:X-Run-ID@other")["paired_ids"] == []
    applied = compat.apply_strategies(decided, matrix)
    wire = applied[applied["wire"]].sort_values("line")
    assert list(zip(wire["line"], wire["decision"], strict=True)) == [(6, "keep"), (11, "dual")]


# -- the policy ------------------------------------------------------------------------------------
POLICY_TEXT = """
[rename]
from = "RunID"
to = "SessionID"

[[rule]]
role = "http_header"
text = "X-Run-ID"
decision = "keep"
rationale = "tracing reads X-Run-ID"

[[contract]]
wire = "run_id"
kind = "map_key"
path = "api/*"
strategy = "hard-cut"
rationale = "the only client moved already"

[[contract]]
wire = "run_id"
kind = "json_tag"
owner = "Event"
strategy = "keep-legacy"
rationale = "events are archived with run_id"
"""


def test_policy_contracts_and_rules_override_the_defaults(tmp_path: Path) -> None:
    policy = parse_policy(POLICY_TEXT, "compat.toml")
    decided, matrix = analyse(tmp_path, SERVICE, CLIENT, policy)
    cut = row(matrix, "map_key:run_id@Handler.start")
    assert (cut["strategy"], cut["strategy_source"], cut["rationale"]) == (
        "hard-cut", "policy:contract[1]", "the only client moved already")
    assert "policy overrides the default dual-emit" in cut["flags"]
    event = row(matrix, "json_tag:run_id@Event")
    assert (event["strategy"], event["strategy_source"]) == ("keep-legacy", "policy:contract[2]")
    # A scoped rule that decides every site of a contract is the reviewer's strategy.
    header = row(matrix, "http_header:X-Run-ID@Handler.find")
    assert (header["strategy"], header["strategy_source"], header["rationale"]) == (
        "keep-legacy", "policy:rule[1]", "tracing reads X-Run-ID")
    # The summary contract has no policy entry: the default stands.
    assert row(matrix, "json_tag:run_id@Summary")["strategy_source"] == "default"
    applied = compat.apply_strategies(decided, matrix).set_index("id")
    ids = cut["edit_ids"]
    assert [(applied.at[i, "decision"], applied.at[i, "decided_by"], applied.at[i, "target"])
            for i in ids] == [("rename", "contract:map_key:run_id@Handler.start", "session_id")]
    assert applied.at[ids[0], "rationale"] == "the only client moved already"


# -- consumers: attribution and homonyms -----------------------------------------------------------
PROTO_GO = {
    "pkg/plan/plan.pb.go": """
        // Code generated by protoc-gen-go. DO NOT EDIT.

        package plan

        type Update struct {
        	RunId string `protobuf:"bytes,1,opt,name=run_id,proto3" json:"run_id,omitempty"`
        	Step  string `protobuf:"bytes,2,opt,name=step,proto3" json:"step,omitempty"`
        }

        func (x *Update) GetRunId() string { return x.RunId }
        """,
    "pkg/plan/use.go": """
        package plan

        // Key groups updates: one update per inference.
        func Key(u *Update) string { return u.GetRunId() }

        // RunInference is not part of the family.
        func RunInference() {}
        """,
}
PROTO_WEB = {
    "src/plan.ts": """
        interface UpdatePayload {
          run_id: string;
          step: string;
        }

        export function onUpdate(payload: UpdatePayload, seen: Set<string>) {
          const runId = payload.run_id;
          seen.add(runId);
        }
        """,
    "src/retry.ts": """
        export function retry(op: () => void) {
          for (let runId = 0; runId < 3; runId++) {
            op();
          }
        }
        """,
}


def test_protobuf_consumers_and_the_homonym_retry_counter(tmp_path: Path) -> None:
    policy = parse_policy(textwrap.dedent("""
        [rename]
        from = "RunID"
        to = "SessionID"

        [[exclude]]
        text = "runId"
        path = "src/retry.ts"
        rationale = "counts retry attempts"
        """), "p.toml")
    decided, matrix = analyse(tmp_path, PROTO_GO, PROTO_WEB, policy)
    proto = row(matrix, "proto_field:run_id@Update")
    assert (proto["direction"], proto["strategy"], proto["producers"], proto["consumers"]) == (
        "inbound", "keep-legacy", ["backend/pkg/plan/plan.pb.go:6"],
        ["backend/pkg/plan/use.go:4", "web/src/plan.ts:2", "web/src/plan.ts:7",
         "web/src/plan.ts:8"])
    assert "semantic: run_id here is one inference, not the session" in proto["flags"]
    retry_ids = set(decided[decided["path"] == "src/retry.ts"]["id"])
    assert retry_ids and not retry_ids & set(proto["occurrence_ids"])
    assert matrix.attrs["unattributed"] == []
    # Without the exclude the counter is still no consumer: nothing in retry.ts names the message.
    _, plain = analyse(tmp_path / "again", PROTO_GO, PROTO_WEB)
    assert row(plain, "proto_field:run_id@Update")["consumers"] == proto["consumers"]
    assert plain.attrs["unattributed"] == [
        "web/src/retry.ts:2 runId (ts_identifier)"] * 3


def test_a_homonym_in_a_file_that_names_the_message_is_kept_out_by_the_exclude(
        tmp_path: Path) -> None:
    retry = """
        export function retryUpdate(op: () => void) {
          for (let runId = 0; runId < 3; runId++) op();
        }
        """
    web = {"src/plan.ts": textwrap.dedent(PROTO_WEB["src/plan.ts"]) + textwrap.dedent(retry)}
    # plan.ts names the message (UpdatePayload), so a bare `runId` there would count ...
    _, plain = analyse(tmp_path / "a", PROTO_GO, web)
    assert "web/src/plan.ts:12" in row(plain, "proto_field:run_id@Update")["consumers"]
    # ... unless the policy says it is a homonym.
    policy = parse_policy(textwrap.dedent("""
        [rename]
        from = "RunID"
        to = "SessionID"

        [[exclude]]
        text = "runId"
        path = "src/plan.ts"
        symbol = "retryUpdate"
        rationale = "counts retry attempts"
        """), "p.toml")
    _, excluded = analyse(tmp_path / "b", PROTO_GO, web, policy)
    assert row(excluded, "proto_field:run_id@Update")["consumers"] == [
        "backend/pkg/plan/use.go:4", "web/src/plan.ts:2", "web/src/plan.ts:7", "web/src/plan.ts:8"]


def test_a_database_functions_parameters_get_no_column_migration(tmp_path: Path) -> None:
    """Found on goiardi (NodeName -> HostName): a PL/pgSQL function's parameter `m_node_name`
    got `ALTER TABLE reports RENAME COLUMN m_node_name` proposals. A parameter or DECLAREd
    variable of a function is code: it has no contract, and is left to review (it changes in
    the database only when a migration re-creates the function); the columns it is written
    to keep their migration."""
    schema = {"sql/merge.sql": """
        CREATE OR REPLACE FUNCTION merge_reports(m_run_id uuid, m_note text) RETURNS VOID AS
        $$
        DECLARE
            old_run_id uuid;
        BEGIN
            SELECT run_id INTO old_run_id FROM reports WHERE run_id = m_run_id;
            INSERT INTO reports (run_id, note) VALUES (m_run_id, m_note);
        END;
        $$ LANGUAGE plpgsql;
        DROP FUNCTION merge_reports(m_run_id uuid, m_note text);
        """}
    decided, matrix = analyse(tmp_path, {**SERVICE, **schema})
    assert [c for c in matrix["contract"] if "m_run_id" in c or "old_run_id" in c] == []
    assert row(matrix, "sql:run_id@reports")["producers"] == [
        "backend/sql/merge.sql:6", "backend/sql/merge.sql:7"]
    variables = decided[decided["role"] == "sql_variable"]
    assert sorted(zip(variables["line"], variables["text"], variables["detail"],
                      strict=True)) == [
        (1, "m_run_id", "parameter"), (4, "old_run_id", "variable"),
        (6, "m_run_id", "parameter"), (6, "old_run_id", "variable"),
        (7, "m_run_id", "parameter"), (10, "m_run_id", "parameter"),
    ]
    assert set(variables["decision"]) == {"review"}
    assert set(variables["symbol"]) == {"merge_reports"}
    assert set(variables["wire"]) == {False}
    assert all("re-creates the function" in why for why in variables["rationale"])


PROTO_ENUM = {
    "meta/internal/meta.proto": """
        syntax = "proto2";
        package meta;

        message Command {
        	enum Type {
        		CreateNodeCommand = 1;
        		DropRunIDCommand  = 2;
        	}
        	required Type type = 1;
        }

        message RunIDInfo {
        	required uint64 ID = 1;
        }

        message Data {
        	repeated RunIDInfo Infos = 1;
        }
        """,
    "meta/internal/meta.pb.go": """
        // Code generated by protoc-gen-gogo.
        // source: meta.proto
        // DO NOT EDIT!

        package meta

        type Command_Type int32

        const (
        	Command_CreateNodeCommand Command_Type = 1
        	Command_DropRunIDCommand  Command_Type = 2
        )

        var Command_Type_name = map[int32]string{
        	1: "CreateNodeCommand",
        	2: "DropRunIDCommand",
        }
        var Command_Type_value = map[string]int32{
        	"CreateNodeCommand": 1,
        	"DropRunIDCommand":  2,
        }
        """,
}


def test_a_generated_enum_map_is_the_enum_contract_not_a_map_key(tmp_path: Path) -> None:
    """Found on InfluxDB (Shard -> Partition): the keys of gogo's `Command_Type_value` map made
    one map_key contract each, beside the contract the .proto's enum already states. They are
    that enum's value names: one proto_field contract per value, which the generated map
    produces too, flagged as an enum value; and a message's name used as a field's type
    (`repeated RunIDInfo Infos`) is no contract of its own."""
    decided, matrix = analyse(tmp_path, PROTO_ENUM)
    assert sorted(matrix["contract"]) == [
        "proto_field:DropRunIDCommand@Command.Type",
        "proto_field:RunIDInfo@RunIDInfo",
    ]
    enum = row(matrix, "proto_field:DropRunIDCommand@Command.Type")
    assert enum["producers"] == ["backend/meta/internal/meta.pb.go:20",
                                 "backend/meta/internal/meta.proto:7"]
    assert enum["strategy"] == "keep-legacy"
    assert compat.ENUM_VALUE_FLAG in enum["flags"]
    assert compat.ENUM_VALUE_FLAG not in row(matrix, "proto_field:RunIDInfo@RunIDInfo")["flags"]
    keys = decided[(decided["role"] == "map_key")]
    assert list(keys["decision"]) == ["keep"]


def test_an_enum_value_from_generated_go_alone_is_one_contract(tmp_path: Path) -> None:
    """Without the .proto in the roots, the generated map still states the enum's contract,
    under the enum's Go name."""
    generated = "meta/internal/meta.pb.go"
    _, matrix = analyse(tmp_path, {generated: PROTO_ENUM[generated]})
    assert list(matrix["contract"]) == ["proto_field:DropRunIDCommand@Command_Type"]
    assert row(matrix, "proto_field:DropRunIDCommand@Command_Type")["flags"] == [
        compat.ENUM_VALUE_FLAG, "declared in a generated file: regenerate it from its source"]


# -- helpers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("statement", "token", "expected"),
    [
        ("SELECT conv_id FROM conversations WHERE run_id = $1", "run_id", ("conversations", False)),
        ("INSERT INTO public.runs (run_id) VALUES ($1)", "run_id", ("runs", False)),
        ("UPDATE runs SET run_id = $1", "run_id", ("runs", False)),
        ("CREATE UNIQUE INDEX IF NOT EXISTS idx_run_id ON runs (run_id)", "idx_run_id",
         ("runs", True)),
        ("ALTER TABLE runs ADD COLUMN run_id TEXT", "run_id", ("runs", False)),
        # found on goiardi's schema dump: a comment's words and COPY's stdin are no tables
        ("-- first try to update the key\n UPDATE goiardi.clients SET run_id = m_run_id",
         "run_id", ("clients", False)),
        ("/* insert into the log */ UPDATE runs SET run_id = 1", "run_id", ("runs", False)),
        ("COPY reports (id, run_id, data) FROM stdin", "run_id", ("reports", False)),
        # PL/pgSQL and MySQL: SELECT ... INTO names variables, FROM the table
        ("SELECT run_id INTO u_run_id FROM reports WHERE id = 1", "run_id", ("reports", False)),
        ("INSERT INTO runs SELECT run_id FROM old_runs", "run_id", ("runs", False)),
        # goiardi's dumps: pg_dump's ALTER TABLE ONLY, mysqldump's quoted names and LOCK TABLES
        ("ALTER TABLE ONLY runs ADD CONSTRAINT runs_run_id_key UNIQUE (run_id)", "run_id",
         ("runs", False)),
        ("CREATE TABLE `runs` (`run_id` varchar(36))", "run_id", ("runs", False)),
        ("LOCK TABLES `runs` WRITE", "runs", ("runs", False)),
        ("CREATE INDEX run_id_idx ON ONLY runs (run_id)", "run_id_idx", ("runs", True)),
    ],
)
def test_sql_target(statement: str, token: str, expected: tuple[str, bool]) -> None:
    assert compat.sql_target(statement, token) == expected


@pytest.mark.parametrize(
    ("statement", "token", "expected"),
    [
        ("ALTER TABLE ONLY runs ADD CONSTRAINT runs_pkey PRIMARY KEY (id)", "runs_pkey",
         "constraint"),
        ("ALTER TABLE ONLY runs ADD CONSTRAINT runs_pkey PRIMARY KEY (id)", "runs", "table"),
        ("CREATE SEQUENCE runs_id_seq START WITH 1", "runs_id_seq", "sequence"),
        ("ALTER SEQUENCE runs_id_seq OWNED BY runs.id", "runs", "table"),
        ("DROP FUNCTION goiardi.merge_runs(m_name text)", "merge_runs", "function"),
        ("CREATE OR REPLACE VIEW run_ids AS SELECT id FROM runs", "run_ids", "view"),
        ("CREATE TABLE `runs` (id int, run text)", "runs", "table"),
        ("CREATE TABLE `runs` (id int, run text)", "run", "column"),
        ("SELECT run FROM goiardi.runs WHERE x", "runs", "table"),
        ("INSERT INTO runs (run_id) VALUES (1)", "runs", "table"),
        ("INSERT INTO runs (run_id) VALUES (1)", "run_id", "column"),
        ("SELECT count(*) FROM run_ids(1)", "run_ids", "column"),  # a function's result
        ("SELECT * FROM runs r JOIN run_ids ON r.id = run_ids.id", "run_ids", "table"),
        # MySQL's upsert updates the row's columns, not a table
        ("INSERT INTO nodes (run_id) VALUES (?) ON DUPLICATE KEY UPDATE run_id = ?", "run_id",
         "column"),
    ],
)
def test_sql_object(statement: str, token: str, expected: str) -> None:
    """Found on goiardi (Environment -> Stage): table names, sequences, constraints and
    functions got `ALTER TABLE <table> RENAME COLUMN` proposals."""
    assert compat.sql_object(statement, token) == expected


def test_each_schema_object_gets_its_own_migration(tmp_path: Path) -> None:
    """A table's, a constraint's, a sequence's and a function's names are renamed by their own
    ALTER; a dump's COPY data ("Runs for postgres") is data, not a column of a table `for`."""
    schema = {"sql/schema.sql": """
        CREATE SEQUENCE runs_id_seq START WITH 1;
        CREATE TABLE runs (id bigint DEFAULT nextval('runs_id_seq'), name text);
        ALTER SEQUENCE runs_id_seq OWNED BY runs.id;
        ALTER TABLE ONLY runs
            ADD CONSTRAINT runs_pkey PRIMARY KEY (id);
        DROP FUNCTION goiardi.merge_runs(m_name text);
        COPY changes (change_id, change, note) FROM stdin;
        c89b	runs	Runs for postgres
        \\.

        SELECT name FROM runs;
        """}
    decided, matrix = analyse(tmp_path, schema, policy=policy_from_terms("Run", "Job"))
    changes = dict(zip(matrix["contract"], matrix["proposed_change"], strict=True))
    assert {c: changes[c].split("`")[1] for c in changes} == {
        "sql:merge_runs": "ALTER FUNCTION merge_runs(<argument types>) RENAME TO merge_jobs;",
        "sql:runs@runs": "ALTER TABLE runs RENAME TO jobs;",
        "sql:runs_id_seq": "ALTER SEQUENCE runs_id_seq RENAME TO jobs_id_seq;",
        "sql:runs_pkey@runs": "ALTER TABLE runs RENAME CONSTRAINT runs_pkey TO jobs_pkey;",
    }
    copied = decided[decided["line"] == 8]
    assert list(zip(copied["text"], copied["role"], copied["wire"], strict=True)) == [
        ("runs", "string", False), ("Runs", "string", False)]


def test_camel_accessor() -> None:
    assert [compat.camel(w) for w in ("run_id", "run-id", "session_id", "id")] == [
        "runId", "runId", "sessionId", "id"]


def test_markdown_and_records(tmp_path: Path) -> None:
    _, matrix = analyse(tmp_path, PAIRED)
    text = compat.matrix_markdown(matrix)
    assert text.splitlines()[:3] == [
        "| contract | direction | producers | consumers | strategy | proposed change | flags |",
        "|---|---|---|---|---|---|---|",
        "| `log_key:run_id` | outbound | 3 | 0 (unknown) | keep-legacy | Keep `run_id` as it is at "
        "every site. | already emits both run_id and session_id at 3 of 3 site(s) |",
    ]
    records = compat.matrix_records(matrix)
    assert json.loads(json.dumps(records)) == records
    assert list(records[0]) == compat.MATRIX_COLUMNS


def test_without_roots_the_matrix_says_the_source_was_not_read(tmp_path: Path) -> None:
    write(tmp_path / "backend", PAIRED)
    policy = policy_from_terms("RunID", "SessionID")
    frame = scan([tmp_path / "backend"], policy.spec).frame
    del frame.attrs["roots"]  # (a frame of unknown origin)
    matrix = compat.contracts(frame, consumer_roots=set(), policy=policy)
    assert list(matrix["contract"]) == ["log_key:run_id", "map_key:run_id@other",
                                        "map_key:run_id@response"]
    assert all("source not read (no roots given): direction and pairs not analysed" in f
               for f in matrix["flags"])


# -- the bundled fixture ---------------------------------------------------------------------------
needs_fixture = pytest.mark.skipif(
    not (FIXTURE / "backend").is_dir() or not (FIXTURE / "web").is_dir()
    or not (FIXTURE / "EXPECTED_CONTRACTS.csv").is_file() or not POLICY.is_file(),
    reason="the moments fixture or its policy is not there",
)


@pytest.fixture(scope="module")
def fixture_analysis() -> tuple[pd.DataFrame, pd.DataFrame]:
    policy = load_policy(POLICY)
    inv = scan([FIXTURE / "backend", FIXTURE / "web"], policy.spec, sections=policy.sections,
               skip=policy.skip)
    decided = decide(inv.frame, policy)
    matrix = compat.contracts(decided, consumer_roots={"web"}, policy=policy, roots=inv.roots)
    return decided, matrix


@needs_fixture
def test_fixture_matrix_equals_the_hand_written_oracle(
        fixture_analysis: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, matrix = fixture_analysis
    with (FIXTURE / "EXPECTED_CONTRACTS.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    actual = compat.oracle_frame(matrix).to_dict("records")
    assert actual == expected


@needs_fixture
def test_fixture_flags_attribution_and_applied_decisions(
        fixture_analysis: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    decided, matrix = fixture_analysis
    proto = row(matrix, "proto_field:run_id@PlanUpdate")
    assert "semantic: run_id here is one inference, not the session" in proto["flags"]
    # chat.ts's lookupConversationUrl(runId) only passes the value on; retry.ts is a homonym.
    assert matrix.attrs["unattributed"] == ["web/src/api/chat.ts:33 runId (ts_identifier)",
                                           "web/src/api/chat.ts:34 runId (ts_identifier)"]
    retry = set(decided[decided["path"] == "src/util/retry.ts"]["id"])
    assert retry and not any(retry & set(ids) for ids in matrix["occurrence_ids"])
    applied = compat.apply_strategies(decided, matrix)
    wire = applied[applied["wire"] & (applied["root"] == "backend")]
    got = sorted(zip(wire["path"], wire["line"], wire["role"], wire["decision"], wire["decided_by"],
                     strict=True))
    assert got == [
        ("pkg/artifact/buffer.go", 37, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/autosummary/summary_client.go", 14, "struct_tag", "keep",
         "contract:json_tag:run_id@SummaryResponse"),
        ("pkg/memory/extractor.go", 61, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/memory/extractor.go", 78, "sql", "keep", "contract:sql:run_id@conversations"),
        ("pkg/planning/planning.pb.go", 8, "struct_tag", "keep", "generated"),
        ("pkg/planning/planning.pb.go", 8, "struct_tag", "keep", "generated"),
        ("pkg/teamchat/team_suggestions_sink.go", 41, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/webchat/conversation.go", 62, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/webchat/forwarder.go", 40, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/webchat/langfuse_middleware.go", 42, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/webchat/log_blocks_middleware.go", 19, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/webchat/moments_global_prompt_middleware.go", 23, "log_key", "dual",
         "contract:log_key:run_id"),
        ("pkg/webchat/router.go", 17, "struct_tag", "accept-both",
         "contract:json_tag:run_id@chatRequest"),
        ("pkg/webchat/router.go", 59, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/webchat/router.go", 62, "http_header", "keep",
         "contract:http_header:X-Run-ID@Router.handleChat"),
        ("pkg/webchat/router.go", 65, "map_key", "dual", "contract:map_key:run_id@Router.handleChat"),
        ("pkg/webchat/router.go", 71, "query_param", "accept-both",
         "contract:query_param:run_id@Router.handleLookup"),
        ("pkg/webchat/router.go", 78, "log_key", "dual", "contract:log_key:run_id"),
        ("pkg/webchat/router.go", 84, "map_key", "dual",
         "contract:map_key:run_id@Router.handleLookup"),
        # the test's request `?run_id=`: the handler still reads run_id
        ("pkg/webchat/router_test.go", 89, "query_param", "keep", "url-query"),
    ]
    # Nothing outside the wire rows changed.
    others = ~applied["id"].isin(wire["id"])
    assert applied[others][["decision", "decided_by"]].equals(decided[others][["decision", "decided_by"]])


def test_the_syntax_answers_are_the_same_from_a_pool_and_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What compat reads around wire rows (SQL statements, map keys, pairs) is read in a process
    pool for many files and kept in the result cache; the matrix is the one read here."""
    policy = load_policy(POLICY)
    inv = scan([FIXTURE / "backend", FIXTURE / "web"], policy.spec)
    decided = decide(inv.frame, policy)
    labels = list(inv.roots)

    def matrix() -> pd.DataFrame:
        return compat.contracts(decided, consumer_roots={labels[1]}, policy=policy,
                                roots=inv.roots)

    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "here"))
    here = matrix()
    monkeypatch.setattr(compat, "SYNTAX_PARALLEL_MIN_FILES", 1)
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "pool"))
    pd.testing.assert_frame_equal(matrix(), here)  # read in a pool, then cached
    answered: list[int] = []
    real = wiresyntax.answer

    def counting(data: bytes, questions: list) -> tuple:  # type: ignore[type-arg]
        answered.append(len(questions))
        return real(data, questions)

    monkeypatch.setattr(compat, "SYNTAX_PARALLEL_MIN_FILES", 10**9)
    monkeypatch.setattr(wiresyntax, "answer", counting)
    pd.testing.assert_frame_equal(matrix(), here)  # from the cache: nothing read again
    assert answered == []
    assert any(here["paired_ids"].map(len)) or any(here["flags"].map(len))


def test_the_comment_words_are_kept_per_file_and_read_again_when_it_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The semantic flag searches each Go file's comments once; the words found are kept in the
    result cache by the file's content, so a later plan reads no unchanged file again, and an
    edited file is searched again."""
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache"))
    flag = "semantic: run_id here is one inference, not the session"
    searched: list[int] = []
    real = compat._vocabulary_comments

    def counting(text: str, vocabulary: set[str]) -> dict[int, str]:
        searched.append(len(text))
        return real(text, vocabulary)

    monkeypatch.setattr(compat, "_vocabulary_comments", counting)
    decided, matrix = analyse(tmp_path, PROTO_GO)
    assert flag in row(matrix, "proto_field:run_id@Update")["flags"]
    assert searched
    searched.clear()
    roots = {"backend": tmp_path / "backend"}
    policy = policy_from_terms("RunID", "SessionID")
    again = compat.contracts(decided, consumer_roots=set(), policy=policy, roots=roots)
    pd.testing.assert_frame_equal(again, matrix)
    assert searched == []
    use = tmp_path / "backend" / "pkg/plan/use.go"
    use.write_text(use.read_text().replace("one update per inference", "one update per request"))
    edited = compat.contracts(decided, consumer_roots=set(), policy=policy, roots=roots)
    assert searched == [len(use.read_text())]
    assert flag not in row(edited, "proto_field:run_id@Update")["flags"]
    uncached = compat.contracts(decided, consumer_roots=set(), policy=policy, roots=roots,
                                cache=False)
    pd.testing.assert_frame_equal(edited, uncached)


# -- a type name resolves in its own package ------------------------------------------------------
def test_a_struct_named_like_another_packages_is_not_its_codec(tmp_path: Path) -> None:
    # Two packages declare a Manifest; only backup's carries the family. index writes and reads
    # its own Manifest: those sites are not backup.Manifest's producers or consumers. A site
    # that writes backup.Manifest through the package's name is.
    go = {
        "backup/manifest.go": """
            package backup

            import "encoding/json"

            type Manifest struct {
            	RunID uint64 `json:"run_id"`
            }

            func Save(m Manifest) ([]byte, error) { return json.Marshal(m) }
            """,
        "index/manifest.go": """
            package index

            import "encoding/json"

            type Manifest struct {
            	Levels []int `json:"levels"`
            }

            func Load(b []byte) (*Manifest, error) {
            	var m Manifest
            	return &m, json.Unmarshal(b, &m)
            }
            """,
        "tool/dump.go": """
            package tool

            import (
            	"encoding/json"

            	bk "example.com/svc/backup"
            )

            func Dump() ([]byte, error) {
            	var m bk.Manifest
            	return json.Marshal(&m)
            }
            """,
    }
    _, matrix = analyse(tmp_path, go)
    out = row(matrix, "json_tag:run_id@Manifest")
    assert (out["direction"], out["producers"], out["consumers"], out["strategy"]) == (
        "outbound",
        ["backend/backup/manifest.go:6", "backend/backup/manifest.go:9", "backend/tool/dump.go:11"],
        [], "dual-emit")
    assert out["proposed_change"] == (
        "Change the tag on Manifest to `json:\"session_id\"`, write `run_id` too (a MarshalJSON "
        "that emits both keys with the same value) and keep reading `run_id` when `session_id` is "
        "absent (an UnmarshalJSON), so what was written before still decodes.")


def test_a_configuration_file_read_with_toml_decode_keeps_its_keys(tmp_path: Path) -> None:
    # Found on InfluxDB 1.6: `toml.Decode(input, c)` fills its second argument (a decoder's
    # Decode fills its first), through the field `UDP []udp.Config` of the top config; the udp
    # key was "both, assumed" and dual-emit, when users' config files are only read.
    go = {
        "udp/config.go": """
            package udp

            type Config struct {
            	RunID string `toml:"run-id"`
            }
            """,
        "run/config.go": """
            package run

            import (
            	"github.com/BurntSushi/toml"

            	"example.com/svc/udp"
            )

            type Config struct {
            	UDP []udp.Config `toml:"udp"`
            }

            func (c *Config) FromToml(input string) error {
            	_, err := toml.Decode(input, c)
            	return err
            }
            """,
    }
    _, matrix = analyse(tmp_path, go)
    out = row(matrix, "toml_tag:run-id@Config")
    assert (out["direction"], out["consumers"], out["strategy"]) == (
        "inbound", ["backend/run/config.go:14"], "keep-legacy")
    assert out["rationale"] == (
        "TOML we only read (a configuration file, the environment, another program's output), "
        "written with this key: keep run-id on the wire, rename only the Go names")


def test_a_struct_that_others_embed_gets_no_legacy_key_methods(tmp_path: Path) -> None:
    # A MarshalJSON added to Meta would be promoted to Event, which embeds it: json.Marshal of
    # an Event would then write Meta's fields alone. The tag is left to review, with why.
    go = {
        "meta/meta.go": """
            package meta

            import "encoding/json"

            type Meta struct {
            	RunID string `json:"run_id"`
            }

            func Encode(m Meta) ([]byte, error) { return json.Marshal(m) }
            """,
        "events/event.go": """
            package events

            import "example.com/svc/meta"

            type Event struct {
            	*meta.Meta
            	Kind string `json:"kind"`
            }
            """,
        "meta/local.go": """
            package meta

            type Other struct{ Meta }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    out = row(matrix, "json_tag:run_id@Meta")
    assert out["strategy"] == "dual-emit"
    flag = ("embedded in backend/events/event.go: Event; backend/meta/local.go: Other: the "
            "MarshalJSON and UnmarshalJSON that keep the legacy key would be promoted there, and "
            "those structs would encode and decode as Meta alone, dropping their other fields; "
            "write the legacy key into their own methods by hand, or keep the tag")
    assert flag in out["flags"]
    applied = compat.apply_strategies(decided, matrix)
    tag = applied[applied["role"] == "struct_tag"].iloc[0]
    assert (tag["decision"], tag["rationale"]) == ("review", f"dual-emit, but Meta is {flag}")


def _patched(tmp_path: Path, go: dict[str, str], path: str, policy: Policy | None = None
             ) -> tuple[pd.DataFrame, str, list[str]]:
    """(matrix, the file at ``path`` after the patch, the patch's warnings)."""
    from idrename.patch import build_patch

    decided, matrix = analyse(tmp_path, go, policy=policy)
    patch = build_patch(compat.apply_strategies(decided, matrix), {"backend": tmp_path / "backend"})
    after = {f.path: f.after.decode() for f in patch.files}
    return matrix, after[path], patch.warnings


URL_HANDLER = """
    package api

    import "net/http"

    func Lookup(w http.ResponseWriter, r *http.Request) {
    	id := r.URL.Query().Get("run_id")
    	_, _ = w.Write([]byte(id))
    }
    """
URL_TEST = """
    package api

    import (
    	"net/http/httptest"
    	"testing"
    )

    func TestLookup(t *testing.T) {
    	rec := httptest.NewRecorder()
    	Lookup(rec, httptest.NewRequest("GET", "/lookup?run_id=r1", nil))
    	if rec.Body.String() != "r1" {
    		t.Fatal(rec.Body.String())
    	}
    }
    """


@pytest.mark.parametrize(("strategy", "decision", "request_line"), [
    # the handler reads both names: the test's request works as it is
    ("accept-both", "keep", '"/lookup?run_id=r1"'),
    # the handler reads the new name only: the request sends it
    ("hard-cut", "rename", '"/lookup?session_id=r1"'),
])
def test_a_query_parameter_a_url_sends_follows_the_code_that_reads_it(
        tmp_path: Path, strategy: str, decision: str, request_line: str) -> None:
    # A test's request URL was a plain string to review; now it follows the handler's contract.
    policy = parse_policy(f'[rename]\nfrom = "RunID"\nto = "SessionID"\n[[contract]]\n'
                          f'kind = "query_param"\nwire = "run_id"\nstrategy = "{strategy}"\n'
                          'rationale = "r"\n')
    go = {"api/lookup.go": URL_HANDLER, "api/lookup_test.go": URL_TEST}
    decided, matrix = analyse(tmp_path, go, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    sent = applied[applied["path"] == "api/lookup_test.go"]
    assert sent[["role", "detail", "decision", "decided_by"]].values.tolist() == [
        ["query_param", "url", decision, "url-query"]]
    from idrename.patch import build_patch

    patch = build_patch(applied, {"backend": tmp_path / "backend"})
    assert patch.warnings == []
    after = {f.path: f.after.decode() for f in patch.changed()}.get(
        "api/lookup_test.go", textwrap.dedent(URL_TEST))
    assert f'httptest.NewRequest("GET", {request_line}, nil)' in after


@pytest.mark.parametrize("extra", [
    *(f'[[contract]]\nkind = "query_param"\nwire = "run_id"\nstrategy = "{strategy}"\n'
      'rationale = "r"\n' for strategy in ("accept-both", "hard-cut", "dual-emit")),
    # The policy's default beats the contract's computed accept-both at the handler's read,
    # which reads session_id alone: the URL kept run_id, following the computed strategy, and
    # the handler read nothing. It follows the read as decided now.
    '[defaults]\nquery_param = "rename"\n',
], ids=["accept-both", "hard-cut", "dual-emit", "default-rename"])
def test_a_tests_request_still_passes_after_the_patch(tmp_path: Path, extra: str) -> None:
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n' + extra)
    built_after_plan(tmp_path, {"lookup.go": URL_HANDLER.replace("package api", "package a"),
                                "lookup_test.go": URL_TEST.replace("package api", "package a")},
                     {}, policy)


def test_a_query_parameter_no_code_of_the_roots_reads_stays_to_review(tmp_path: Path) -> None:
    go = {"api/client.go": """
        package api

        import "net/http"

        func Fetch(base, id string) (*http.Response, error) {
        	return http.Get(base + "/v1/runs?limit=1&run_id=" + id)
        }
        """}
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    sent = applied[applied["role"] == "query_param"]
    assert sent[["detail", "decision"]].values.tolist() == [["url", "review"]]
    assert "which no code of the roots reads" in sent["rationale"].item()


def test_keys_users_wrote_in_configuration_stay_with_mapstructure(tmp_path: Path) -> None:
    # Found on hashicorp/serf: the agent's config file says node_name; the tag was renamed (an
    # accept-both the patch cannot write for a mapstructure tag, with a warning), so every
    # existing config file would have stopped setting the field.
    go = {
        "agent/config.go": """
            package agent

            import "github.com/mitchellh/mapstructure"

            type Config struct {
            	RunID string `mapstructure:"run_id"`
            	Role  string `mapstructure:"role"`
            }

            func Decode(raw map[string]interface{}) (*Config, error) {
            	var result Config
            	err := mapstructure.Decode(raw, &result)
            	return &result, err
            }
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "agent/config.go")
    out = row(matrix, "mapstructure_tag:run_id@Config")
    assert (out["direction"], out["strategy"], out["rationale"]) == (
        "inbound", "keep-legacy",
        "MAPSTRUCTURE we only read (a configuration file, the environment, another program's "
        "output), written with this key: keep run_id on the wire, rename only the Go names")
    assert after.splitlines()[4:8] == [
        "type Config struct {",
        '\tSessionID string `mapstructure:"run_id"`',
        '\tRole      string `mapstructure:"role"`',
        "}",
    ]
    assert warnings == []


def test_environment_variables_and_flags_named_in_tags_stay(tmp_path: Path) -> None:
    # kelseyhightower/envconfig's `envconfig`, jessevdk/go-flags' `long` and ff's `flag` name
    # what deployments and scripts set; envconfig's tag was a struct tag to review.
    go = {
        "cmd/options.go": """
            package cmd

            type Options struct {
            	RunID  string `envconfig:"RUN_ID" default:"r0"`
            	LastID string `long:"run-id" env:"RUN_ID" description:"the run"`
            	Flag   string `flag:"run-id"`
            }
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "cmd/options.go")
    for contract in ("envconfig_tag:RUN_ID@Options", "long_tag:run-id@Options",
                     "flag_tag:run-id@Options", "env_tag:RUN_ID@Options"):
        out = row(matrix, contract)
        assert (out["direction"], out["strategy"]) == ("inbound", "keep-legacy"), contract
    assert after.splitlines()[2:7] == [
        "type Options struct {",
        '\tSessionID string `envconfig:"RUN_ID" default:"r0"`',
        '\tLastID    string `long:"run-id" env:"RUN_ID" description:"the run"`',
        '\tFlag      string `flag:"run-id"`',
        "}",
    ]
    assert warnings == []


@pytest.mark.parametrize(("tag", "call", "direction", "both"), [
    ("form", "_ = c.ShouldBindQuery(&q)", "inbound",
     "read session_id first and fall back to run_id"),
    ("yaml", "c.YAML(200, q)", "outbound",
     "emit run_id and session_id with the same value"),
])
def test_a_tag_the_patch_writes_no_shim_for_keeps_its_key(
        tmp_path: Path, tag: str, call: str, direction: str, both: str) -> None:
    # accept-both and dual-emit are written for JSON tags only (MarshalJSON, UnmarshalJSON);
    # for another tag the default renamed the key with a warning, breaking its clients.
    go = {
        "api/query.go": f"""
            package api

            import "github.com/gin-gonic/gin"

            type query struct {{
            	RunID string `{tag}:"run_id"`
            }}

            func handle(c *gin.Context) {{
            	var q query
            	{call}
            }}
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "api/query.go")
    out = row(matrix, f"{tag}_tag:run_id@query")
    who = ("clients still send run_id" if direction == "inbound"
           else "outbound, its consumers are unknown")
    assert (out["direction"], out["strategy"]) == (direction, "keep-legacy")
    assert out["rationale"].endswith(
        f"{who}; a {tag} tag names one key only, and the patch writes code that would {both} "
        "for JSON tags alone: keep it on the wire, rename only the Go names (to move it, write "
        "that code by hand, then give this contract the strategy hard-cut in a [[contract]] "
        "entry)")
    assert f'\tSessionID string `{tag}:"run_id"`' in after.splitlines()
    assert warnings == []


def test_an_untagged_field_on_the_wire_is_a_field_name_contract(tmp_path: Path) -> None:
    # its Go name is its JSON key: listed with its sites, keep-legacy by default; a field that
    # only gob writes is listed too, with what the patch cannot do
    go = {
        "api/api.go": """
            package api

            import (
            	"encoding/gob"
            	"encoding/json"
            	"io"
            	"net/http"
            )

            type Status struct {
            	RunID string
            }

            type Snapshot struct {
            	LastRunID string
            }

            func handle(w http.ResponseWriter, r *http.Request) {
            	var s Status
            	_ = json.NewDecoder(r.Body).Decode(&s)
            	_ = json.NewEncoder(w).Encode(s)
            }

            func save(w io.Writer, snap Snapshot) error {
            	return gob.NewEncoder(w).Encode(snap)
            }
            """,
    }
    _decided, matrix = analyse(tmp_path, go)
    status = row(matrix, "field_name:RunID@Status")
    assert (status["wire_name"], status["new_wire"], status["direction"], status["strategy"],
            status["producers"], status["consumers"], status["flags"]) == (
        "RunID", "SessionID", "both", "keep-legacy",
        ["backend/api/api.go:11", "backend/api/api.go:21"], ["backend/api/api.go:20"], [])
    snapshot = row(matrix, "field_name:LastRunID@Snapshot")
    assert (snapshot["direction"], snapshot["strategy"], snapshot["proposed_change"],
            snapshot["flags"]) == (
        "outbound", "keep-legacy", "Keep Snapshot.LastRunID: gob has no tags, the name is the "
        "stream's.", ["no automatic edit for gob: see the wire_name warning"])
    policy = parse_policy(textwrap.dedent("""
        [rename]
        from = "RunID"
        to = "SessionID"

        [[contract]]
        wire = "RunID"
        kind = "field_name"
        strategy = "hard-cut"
        rationale = "every client moves with us"
        """))
    _decided, cut = analyse(tmp_path / "cut", go, policy=policy)
    status = row(cut, "field_name:RunID@Status")
    assert (status["strategy"], status["strategy_source"]) == ("hard-cut", "policy:contract[1]")


def test_under_dual_emit_a_site_that_reads_the_header_accepts_both(tmp_path: Path) -> None:
    # A header the service reads and writes back: dual-emit for the contract. Before, the read
    # was decided dual too, which the patch cannot write for a read (a warning, no edit): a
    # client sending only the new header was not heard.
    go = {
        "api/h.go": """
            package api

            import "net/http"

            func h(w http.ResponseWriter, r *http.Request) {
            	runID := r.Header.Get("X-Run-ID")
            	w.Header().Set("X-Run-ID", runID)
            }
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "api/h.go")
    assert (row(matrix, "http_header:X-Run-ID@h")["direction"],
            row(matrix, "http_header:X-Run-ID@h")["strategy"]) == ("both", "dual-emit")
    assert after == textwrap.dedent("""\
        package api

        import "net/http"

        func h(w http.ResponseWriter, r *http.Request) {
        	sessionID := r.Header.Get("X-Session-ID")
        	if sessionID == "" {
        		sessionID = r.Header.Get("X-Run-ID")
        	}
        	w.Header().Set("X-Run-ID", sessionID)
        	w.Header().Set("X-Session-ID", sessionID)
        }
        """)
    assert warnings == []


def test_a_standard_http_header_is_kept_on_the_wire(tmp_path: Path) -> None:
    # Found on Go's net/http (Cookie -> Biscuit): the Cookie header was dual-emitted, and the
    # HTTP/2 tests got a "Biscuit" header beside it, which no client or server reads. A header
    # the HTTP standards define keeps its name (any case); the Go names are renamed, and an
    # application's own header (X-Cookie-Policy) follows the strategy of its contract.
    go = {
        "api/h.go": """
            package api

            import "net/http"

            func h(w http.ResponseWriter, r *http.Request) {
            	cookie := r.Header.Get("Cookie")
            	w.Header().Set("set-cookie", cookie)
            	w.Header().Set("X-Cookie-Policy", "strict")
            }
            """,
    }
    policy = policy_from_terms("Cookie", "Biscuit")
    matrix, after, warnings = _patched(tmp_path, go, "api/h.go", policy=policy)
    assert [(r["contract"], r["strategy"]) for r in matrix.to_dict("records")] == [
        ("http_header:Cookie@h", "dual-emit")]  # X-Cookie-Policy's alone
    decided, _ = analyse(tmp_path / "again", go, policy=policy)
    headers = decided[decided["role"] == "http_header"]
    assert [(r.line, r.decision, r.decided_by) for r in headers.itertuples()] == [
        (6, "keep", "standard-header"), (7, "keep", "standard-header"),
        (8, "review", "builtin:http_header")]
    assert headers.iloc[1]["rationale"].startswith(
        "set-cookie is a standard HTTP header: the specifications define it")
    assert after == textwrap.dedent("""\
        package api

        import "net/http"

        func h(w http.ResponseWriter, r *http.Request) {
        	biscuit := r.Header.Get("Cookie")
        	w.Header().Set("set-cookie", biscuit)
        	w.Header().Set("X-Cookie-Policy", "strict")
        	w.Header().Set("X-Biscuit-Policy", "strict")
        }
        """)
    assert warnings == []


def test_grpc_metadata_keys_are_headers_sent_under_both_names(tmp_path: Path) -> None:
    # gRPC metadata travels as HTTP/2 headers. Before, the keys of metadata.Pairs and
    # AppendToOutgoingContext were plain strings (review), and a read was a query parameter.
    go = {
        "client/call.go": """
            package client

            import (
            	"context"

            	"google.golang.org/grpc/metadata"
            )

            func outgoing(ctx context.Context, runID string) (context.Context, metadata.MD) {
            	ctx = metadata.AppendToOutgoingContext(ctx, "run-id", runID, "k", "v")
            	md := metadata.Pairs("run-id", runID)
            	return ctx, md
            }

            func incoming(ctx context.Context) []string {
            	ids := metadata.ValueFromIncomingContext(ctx, "run-id")
            	return ids
            }
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "client/call.go")
    assert [(r["contract"], r["direction"], r["strategy"]) for r in compat.matrix_records(
        matrix)] == [("http_header:run-id@incoming", "inbound", "accept-both"),
                     ("http_header:run-id@outgoing", "outbound", "dual-emit")]
    assert after.splitlines()[8:18] == [
        "func outgoing(ctx context.Context, sessionID string) (context.Context, metadata.MD) {",
        '\tctx = metadata.AppendToOutgoingContext(ctx, "run-id", sessionID, "session-id", '
        'sessionID, "k", "v")',
        '\tmd := metadata.Pairs("run-id", sessionID, "session-id", sessionID)',
        "\treturn ctx, md",
        "}",
        "",
        "func incoming(ctx context.Context) []string {",
        '\tids := metadata.ValueFromIncomingContext(ctx, "session-id")',
        "\tif len(ids) == 0 {",
        '\t\tids = metadata.ValueFromIncomingContext(ctx, "run-id")',
    ]
    assert warnings == []


def test_a_gorm_model_keeps_the_column_its_go_name_gave(tmp_path: Path) -> None:
    # gorm stores a field without `column:` in the column its default naming gives the Go name:
    # RunID in run_id. Before, the field became SessionID and gorm read and wrote session_id, a
    # column the table does not have: the build and vet said nothing. Now the patch writes the
    # old column into the tag, beside the JSON name when JSON encodes the field by its name too.
    go = {
        "store/models.go": """
            package store

            import (
            	"encoding/json"
            	"io"

            	"gorm.io/gorm"
            )

            type Turn struct {
            	gorm.Model
            	RunID string
            }

            type Step struct {
            	ID          uint
            	RunID       string `gorm:"index"`
            	RunIDs      string `gorm:"column:ids"`
            	SkipRunID   string `gorm:"-"`
            	ParentRunID string `json:"parent"`
            }

            type Plain struct {
            	RunID string
            }

            type Blank struct {
            	ID    uint   `gorm:"primaryKey"`
            	RunID string ``
            }

            func dump(w io.Writer, t Turn, b Blank) error {
            	_ = json.NewEncoder(w).Encode(b)
            	return json.NewEncoder(w).Encode(t)
            }

            type Migrated struct {
            	ID    uint
            	RunID string
            }

            func migrate(db *gorm.DB) error { return db.AutoMigrate(&Migrated{}) }
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "store/models.go")
    assert '\tSessionID string `json:"RunID" gorm:"column:run_id"`' in after.split("Blank")[1]
    # a struct given to AutoMigrate is a model too, with no gorm tag or gorm.Model
    assert '\tSessionID string `gorm:"column:run_id"`' in after.split("Migrated")[1]
    assert after.splitlines()[9:25] == [
        "type Turn struct {",
        "\tgorm.Model",
        '\tSessionID string `json:"RunID" gorm:"column:run_id"`',
        "}",
        "",
        "type Step struct {",
        "\tID              uint",
        '\tSessionID       string `gorm:"column:run_id;index"`',
        '\tSessionIDs      string `gorm:"column:ids"`',
        '\tSkipSessionID   string `gorm:"-"`',
        '\tParentSessionID string `json:"parent" gorm:"column:parent_run_id"`',
        "}",
        "",
        "type Plain struct {",
        "\tSessionID string",
        "}",
    ]
    assert warnings == []
    turn = row(matrix, "field_name:RunID@Turn")
    assert (turn["direction"], turn["strategy"], turn["proposed_change"]) == (
        "outbound", "keep-legacy",
        "Add `json:\"RunID\" gorm:\"column:run_id\"` to the tag of Turn's renamed field (done by "
        "the patch).")
    assert row(matrix, "field_name:RunID@Step")["direction"] == "stored"


@pytest.mark.parametrize(("field", "column"), [
    ("RunID", "run_id"), ("RunIDs", "run_ids"), ("ParentRunID", "parent_run_id"),
    ("HTTPServerURL", "http_server_url"), ("HTTPSPort", "https_port"), ("APIKey", "api_key"),
    ("ID", "id"), ("Text", "text"),
])
def test_gorm_column_names_follow_its_default_naming(field: str, column: str) -> None:
    from idrename.transforms import gorm_column

    assert gorm_column(field) == column


def test_a_one_word_key_takes_the_style_of_its_siblings(tmp_path: Path) -> None:
    # Found on a real tree: `json:"uid"` beside `json:"role_id"` became `json:"accountID"` (the
    # lowerCamel reading of a lower-case word), a new public key in another style than its
    # neighbours'. With snake_case siblings it is `account_id`; without any, lowerCamel still.
    go = {
        "api/user.go": """
            package api

            import (
            	"encoding/json"
            	"io"
            )

            type UserReq struct {
            	UID    string `json:"uid"`
            	RoleID string `json:"role_id"`
            	Phone  string `json:"phone_number"`
            }

            type Claims struct {
            	UID  string `json:"uid"`
            	Name string `json:"name"`
            }

            func write(w io.Writer, u UserReq, c Claims) {
            	_ = json.NewEncoder(w).Encode(u)
            	_ = json.NewEncoder(w).Encode(c)
            	_ = json.NewEncoder(w).Encode(map[string]string{"uid": u.UID, "role_id": u.RoleID})
            }
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "api/user.go",
                                       policy_from_terms("UID", "AccountID"))
    assert warnings == []
    assert [(r["contract"], r["new_wire"]) for r in compat.matrix_records(matrix)] == [
        ("json_tag:uid@Claims", "accountID"), ("json_tag:uid@UserReq", "account_id"),
        ("map_key:uid@write", "account_id")]
    assert '\tAccountID string `json:"account_id"`' in after
    assert '{"uid": u.AccountID, "account_id": u.AccountID, "role_id": u.RoleID}' in after
    # a spelling the policy gives is kept
    policy = parse_policy('[rename]\nfrom = "UID"\nto = "AccountID"\n'
                          '[rename.explicit]\nuid = "accountId"\n')
    _decided, matrix = analyse(tmp_path / "explicit", go, policy=policy)
    assert {r["new_wire"] for r in compat.matrix_records(matrix)} == {"accountId"}


def test_a_key_in_a_call_to_the_roots_own_fixed_logger_is_left_to_review(tmp_path: Path) -> None:
    # Found on eediallo/groupie-tracker: `logger.Info(funcName, "ArtistHandler", "...")` calls the
    # project's `func (l LogCollector) Info(FuncName, OperationName, desc string)`, which looks
    # like slog's key-value form. Under dual-emit a second pair was added: `too many arguments`.
    go = {
        "logstack/log.go": """
            package logstack

            type Collector struct{ Package string }

            func (l Collector) Info(funcName string, op string, desc string) {}
            """,
        "api/handler.go": """
            package api

            import (
            	"log/slog"

            	"example.com/app/logstack"
            )

            var logger = logstack.Collector{Package: "api"}

            func handle(id string) {
            	logger.Info("handle", "run_id", id)
            	slog.Info("handled", "run_id", id)
            	other.Info("five", "run_id", id, "n", 1)
            }
            """,
        # a call with another number of arguments than the fixed Info's cannot be to it
        "api/other.go": """
            package api

            import "log/slog"

            var other = slog.Default()
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    log_key = row(matrix, "log_key:run_id")
    assert log_key["strategy"] == "dual-emit"
    assert len(log_key["fixed_ids"]) == 1
    assert any(f.startswith("may call backend/logstack/log.go:5: func (l Collector) Info("
                            "funcName string, op string, desc string)") for f in log_key["flags"])
    applied = compat.apply_strategies(decided, matrix)
    logged = applied[applied["role"] == "log_key"].sort_values("line")
    assert logged["decision"].tolist() == ["review", "dual", "dual"]
    assert "a second key would not build" in logged["rationale"].iloc[0]
    _matrix, after, warnings = _patched(tmp_path / "patched", go, "api/handler.go")
    assert warnings == []
    assert '\tlogger.Info("handle", "run_id", id)\n' in after
    assert '\tslog.Info("handled", "run_id", id, "session_id", id)\n' in after


def test_a_logger_with_a_variadic_method_of_the_roots_still_gets_both_keys(
        tmp_path: Path) -> None:
    go = {
        "api/handler.go": """
            package api

            type Log struct{}

            func (Log) Info(msg string, kv ...any) {}

            func handle(l Log, id string) {
            	l.Info("handle", "run_id", id)
            }
            """,
    }
    matrix, after, warnings = _patched(tmp_path, go, "api/handler.go")
    assert row(matrix, "log_key:run_id")["fixed_ids"] == []
    assert warnings == []
    assert '\tl.Info("handle", "run_id", id, "session_id", id)\n' in after


def built_after_plan(tmp_path: Path, files: dict[str, str], tests_after: dict[str, str],
                     policy: Policy | None = None) -> None:
    """Write ``files`` as the module example.com/a, apply the patch of the whole workflow's plan
    (compat included), write ``tests_after`` and run `go test` with the real toolchain."""
    from idrename import gotool
    from idrename.workflow import analyse_and_patch

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    root = tmp_path / "mod"
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n", **files, **tests_after})
    _analysis, patch = analyse_and_patch(
        [root], policy or policy_from_terms("RunID", "SessionID"), cache=False)
    assert patch is not None
    for fp in patch.changed():
        (root / fp.path).write_bytes(fp.after)
    result = gotool.go_test(root, toolchain=toolchain)
    assert result.returncode == 0, result.output


def test_an_expected_document_in_an_interpreted_string_passes_go_test_under_dual_emit(
        tmp_path: Path) -> None:
    # The encoding is compared with "{\"run_id\":...}": under dual-emit it was left to the user
    # with a warning, and go test failed after apply. It gets the legacy key as a raw string's
    # document does, escaped as the literal is.
    reply = """
    package a

    type Reply struct {
    	RunID string `json:"run_id"`
    	Text  string `json:"text"`
    }
    """
    test = r"""
    package a

    import (
    	"encoding/json"
    	"testing"
    )

    func TestEncode(t *testing.T) {
    	out, err := json.Marshal(Reply{RunID: "r\"2", Text: "hi"})
    	if err != nil || string(out) != "{\"run_id\":\"r\\\"2\",\"text\":\"hi\"}" {
    		t.Fatal(string(out), err)
    	}
    }
    """
    built_after_plan(tmp_path, {"reply.go": reply}, {"reply_test.go": test},
                     policy=parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                                         '[defaults]\nstruct_tag = "dual"\n'))
    after = (tmp_path / "mod" / "reply_test.go").read_text()
    assert r'"{\"session_id\":\"r\\\"2\",\"text\":\"hi\",\"run_id\":\"r\\\"2\"}"' in after



def test_wire_names_held_in_constants_keep_old_clients_working_after_apply(
        tmp_path: Path) -> None:
    # The whole workflow (compat's strategies) on a keys package used by a handler in another
    # package, a test written as an old client (it sends ?run_id= and X-Run-ID, and reads the
    # X-Run-ID the handler sets) and one as a new client: both pass on the patched module.
    files = {
        "keys/keys.go": """
            package keys

            const (
            	HeaderRunID = "X-Run-ID"
            	ParamRunID  = "run_id"
            )
            """,
        "api/handler.go": """
            package api

            import (
            	"net/http"

            	"example.com/a/keys"
            )

            func Handle(w http.ResponseWriter, r *http.Request) {
            	id := r.URL.Query().Get(keys.ParamRunID)
            	if id == "" {
            		id = r.Header.Get(keys.HeaderRunID)
            	}
            	w.Header().Set(keys.HeaderRunID, id)
            }
            """,
    }
    old_client = {"api/handler_test.go": """
        package api

        import (
        	"net/http/httptest"
        	"testing"
        )

        func TestOldClient(t *testing.T) {
        	for _, url := range []string{"/?run_id=r1", "/"} {
        		req := httptest.NewRequest("GET", url, nil)
        		if url == "/" {
        			req.Header.Set("X-Run-ID", "r1")
        		}
        		rec := httptest.NewRecorder()
        		Handle(rec, req)
        		if got := rec.Header().Get("X-Run-ID"); got != "r1" {
        			t.Fatalf("%s: X-Run-ID = %q", url, got)
        		}
        	}
        }
        """}
    new_client = {"api/new_client_test.go": """
        package api

        import (
        	"net/http/httptest"
        	"testing"
        )

        func TestNewClient(t *testing.T) {
        	rec := httptest.NewRecorder()
        	Handle(rec, httptest.NewRequest("GET", "/?session_id=s2", nil))
        	if got := rec.Header().Get("X-Session-ID"); got != "s2" {
        		t.Fatalf("X-Session-ID = %q", got)
        	}
        }
        """}
    built_after_plan(tmp_path, files, {**old_client, **new_client})
    keys = (tmp_path / "mod" / "keys" / "keys.go").read_text()
    assert 'LegacyHeaderSessionID = "X-Run-ID"' in keys and 'LegacyParamSessionID = "run_id"' in keys

def test_an_example_of_another_name_with_the_terms_words_keeps_its_name(tmp_path: Path) -> None:
    # Renaming net/http's TimeFormat in Go's own tree renamed time's `ExampleTime_Format` (the
    # example of Time.Format) to `ExampleHTTP_Time_Layout`: go vet refuses an example that names
    # no identifier. The patched module must pass go vet and go test.
    from idrename import gotool
    from idrename.workflow import analyse_and_patch

    toolchain = gotool.find_toolchain()
    if toolchain is None:
        pytest.skip("no Go toolchain")
    root = tmp_path / "mod"
    write(root, {"go.mod": "module example.com/a\n\ngo 1.21\n", "a.go": """
        package a

        // TimeFormat is the layout of HTTP dates.
        const TimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

        // Time is a point in time.
        type Time struct{}

        // Format formats t.
        func (t Time) Format(layout string) string { return layout }
        """, "example_test.go": """
        package a_test

        import (
        	"fmt"

        	"example.com/a"
        )

        func ExampleTime_Format() {
        	fmt.Println(a.Time{}.Format(a.TimeFormat) != "")
        	// Output: true
        }
        """})
    _analysis, patch = analyse_and_patch(
        [root], policy_from_terms("TimeFormat", "HTTPTimeLayout"), cache=False)
    assert patch is not None
    for fp in patch.changed():
        (root / fp.path).write_bytes(fp.after)
    assert "func ExampleTime_Format() {" in (root / "example_test.go").read_text()
    assert "a.HTTPTimeLayout" in (root / "example_test.go").read_text()
    for tool in (gotool.go_vet, gotool.go_test):
        result = tool(root, toolchain=toolchain)
        assert result.returncode == 0, result.output


def test_the_keys_of_an_array_or_slice_literal_are_values_renamed_with_their_constant(
        tmp_path: Path) -> None:
    # Found renaming html/template's elementScript in Go's own tree: `[...]state{elementScript:
    # stateJS}` indexes the array by the constant, but its key was read as a struct field's name
    # (composite_key of `[...]state`), never renamed: `undefined: elementScript`.
    built_after_plan(tmp_path, {"a.go": """
        package a

        type element int

        const (
        	elementNone element = iota
        	elementRunID
        )

        var names = [...]string{
        	elementNone:  "none",
        	elementRunID: "run",
        }

        var byIndex = []int{elementRunID: 7}

        var byKey = map[element]bool{elementRunID: true}

        type pair struct{ runIDCount int }

        var p = pair{runIDCount: 1}

        func Name(e element) string { return names[e] }
        """}, {"a_test.go": """
        package a

        import "testing"

        func TestName(t *testing.T) {
        	if Name(1) != "run" || byIndex[1] != 7 || !byKey[1] || p.sessionIDCount != 1 {
        		t.Fatal()
        	}
        }
        """})


def test_a_call_to_the_roots_own_fixed_logger_still_builds(tmp_path: Path) -> None:
    # The key-value reading of `logger.Info(op, "run_id", msg)` is slog's; the roots' own Info
    # takes three strings, so the patch must not add a pair to it (it did: too many arguments).
    built_after_plan(tmp_path, {
        "logstack/log.go": """
            package logstack

            type Collector struct{}

            func (Collector) Info(funcName string, op string, desc string) {}
            """,
        "a.go": """
            package a

            import (
            	"log/slog"

            	"example.com/a/logstack"
            )

            var logger logstack.Collector

            func Handle(runID string) {
            	logger.Info("Handle", "run_id", runID)
            	slog.Info("handled", "run_id", runID)
            }
            """,
    }, {"a_test.go": """
            package a

            import "testing"

            func TestHandle(t *testing.T) { Handle("r1") }
            """})


def test_a_call_through_the_roots_own_logger_interface_with_fixed_parameters_still_builds(
        tmp_path: Path) -> None:
    # The same fixed Info, reached through an interface the roots declare (the implementation
    # lives elsewhere, or only in tests): its method is a fact as a func declaration is.
    built_after_plan(tmp_path, {
        "logstack/log.go": """
            package logstack

            type Logger interface {
            	Info(funcName, op, desc string)
            	Debug(msg string, kv ...any)
            }

            type Short interface{ Warn(op, msg string) }
            """,
        "a.go": """
            package a

            import "example.com/a/logstack"

            var logger logstack.Logger
            var short logstack.Short

            func Handle(runID string) {
            	if logger != nil {
            		logger.Info("Handle", "run_id", runID)
            		logger.Debug("handled", "run_id", runID)
            		short.Warn("run_id", runID)
            	}
            }
            """,
    }, {"a_test.go": """
            package a

            import "testing"

            func TestHandle(t *testing.T) { Handle("r1") }
            """})


def test_a_fixed_logger_call_still_builds_when_the_policy_makes_log_keys_dual(
        tmp_path: Path) -> None:
    # `[defaults] log_key = "dual"` beat the computed strategy, and the guard with it: a
    # project's Logger.Warn(event, orderID, reason string) got a second pair, `too many
    # arguments`. The policy's default still decides every other site.
    from idrename.policy import parse_policy

    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n\n[defaults]\n'
                          'log_key = "dual"\n')
    files = {
        "a.go": """
            package a

            import "log/slog"

            type Logger interface {
            	Info(msg string, args ...any)
            	Warn(event, runID, reason string)
            }

            func Handle(l Logger, runID string) {
            	l.Warn("handle", "run_id", "empty")
            	l.Info("handled", "run_id", runID)
            	slog.Info("handled", "run_id", runID)
            }
            """,
    }
    tests = {"a_test.go": """
            package a

            import (
            	"log/slog"
            	"testing"
            )

            type logger struct{ *slog.Logger }

            func (l logger) Warn(event, sessionID, reason string) { l.Logger.Warn(event, "id", sessionID) }

            func TestHandle(t *testing.T) { Handle(logger{slog.Default()}, "r1") }
            """}
    built_after_plan(tmp_path, files, tests, policy)
    decided, matrix = analyse(tmp_path / "plain", {"a.go": files["a.go"]}, policy=policy)
    after = compat.apply_strategies(decided, matrix)
    keys = after[after["role"] == "log_key"].sort_values("line")
    assert keys["decision"].tolist() == ["review", "dual", "dual"]
    assert "but this call may call backend/a.go:7: Logger interface: Warn(event, runID, " \
        "reason string)" in keys["rationale"].iloc[0]


def test_a_key_in_a_call_through_a_fixed_logger_interface_is_left_to_review(
        tmp_path: Path) -> None:
    go = {
        "logstack/log.go": """
            package logstack

            type Logger interface {
            	Info(funcName, op, desc string)
            	Debug(msg string, kv ...any)
            }
            """,
        "api/handler.go": """
            package api

            import "example.com/app/logstack"

            func handle(logger logstack.Logger, id string) {
            	logger.Info("handle", "run_id", id)
            	logger.Debug("handled", "run_id", id)
            }
            """,
    }
    _decided, matrix = analyse(tmp_path, go)
    log_key = row(matrix, "log_key:run_id")
    assert log_key["strategy"] == "dual-emit"
    assert len(log_key["fixed_ids"]) == 1
    assert any(f.startswith("may call backend/logstack/log.go:4: Logger interface: "
                            "Info(funcName, op, desc string)") for f in log_key["flags"])
    _matrix, after, warnings = _patched(tmp_path / "patched", go, "api/handler.go")
    assert warnings == []
    assert '\tlogger.Info("handle", "run_id", id)\n' in after
    assert '\tlogger.Debug("handled", "run_id", id, "session_id", id)\n' in after


def test_a_structs_own_json_methods_in_another_file_are_not_declared_again(
        tmp_path: Path) -> None:
    # The patch looked for an existing MarshalJSON in the struct's own file only: one in
    # run_json.go was declared again in run.go, and the package did not build.
    built_after_plan(tmp_path, {
        "run.go": """
            package a

            // Run is one run.
            type Run struct {
            	RunID string `json:"run_id"`
            	N     int    `json:"n"`
            }
            """,
        "run_json.go": """
            package a

            import "encoding/json"

            // MarshalJSON writes Run as it is.
            func (r Run) MarshalJSON() ([]byte, error) {
            	type alias Run
            	return json.Marshal(alias(r))
            }
            """,
    }, {"run_test.go": """
            package a

            import (
            	"encoding/json"
            	"testing"
            )

            func TestRun(t *testing.T) {
            	b, err := json.Marshal(Run{SessionID: "r1", N: 2})
            	if err != nil || string(b) != `{"run_id":"r1","n":2}` {
            		t.Fatal(string(b), err)
            	}
            }
            """})


def test_a_struct_that_encodes_as_text_gets_no_json_methods(tmp_path: Path) -> None:
    # encoding/json calls MarshalText and UnmarshalText instead of reading the fields' tags: a
    # MarshalJSON added beside them made Name an object instead of a string.
    go = {
        "api/name.go": """
            package api

            import "strings"

            type Name struct {
            	RunID string `json:"run_id"`
            }

            func (n Name) MarshalText() ([]byte, error) { return []byte(n.RunID), nil }

            func (n *Name) UnmarshalText(b []byte) error {
            	n.RunID = strings.TrimSpace(string(b))
            	return nil
            }

            type Half struct {
            	RunID string `json:"run_id"`
            }

            func (h Half) MarshalText() ([]byte, error) { return []byte(h.RunID), nil }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    tags = applied[applied["role"] == "struct_tag"]
    assert tags[["line", "decision"]].values.tolist() == [[6, "rename"], [17, "review"]]
    assert "never reads its tags" in tags["rationale"].iloc[0]
    assert "Half has its own MarshalText (backend/api/name.go:20), which a MarshalJSON would " \
           "override" in tags["rationale"].iloc[1]
    _matrix, after, warnings = _patched(tmp_path / "patched", go, "api/name.go")
    assert warnings == []
    assert "MarshalJSON" not in after
    assert '\tSessionID string `json:"session_id"`' in after
    assert '\tSessionID string `json:"run_id"`' in after


def test_a_wire_name_held_in_a_constant_takes_the_role_of_its_uses(tmp_path: Path) -> None:
    # Before, `const cookieRun = "run_id"` was a plain string, to review one by one, whatever the
    # calls that use it. Its uses in the file now say what it is: a cookie's name (kept), a
    # query parameter read (accept-both, written by hand beside the constant), a log key.
    # A name two kinds of call use stays a string to review.
    go = {
        "api/handler.go": """
            package api

            import (
            	"log/slog"
            	"net/http"
            )

            const (
            	cookieRun = "run_id"
            	paramRun  = "run_id"
            	either    = "run_id"
            )

            var logKey = "run_id"

            func handle(w http.ResponseWriter, r *http.Request) {
            	c, err := r.Cookie(cookieRun)
            	if err != nil {
            		return
            	}
            	id := r.URL.Query().Get(paramRun)
            	slog.Info("handled", logKey, c.Value, "id", id)
            	_, _ = r.Cookie(either)
            	_ = r.Header.Get(either)
            }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    assert decided.sort_values("line")[["line", "role", "decision"]].values.tolist() == [
        [9, "cookie_name", "keep"], [10, "query_param", "review"], [11, "string", "review"],
        [14, "log_key", "review"]]
    assert [(r["contract"], r["strategy"]) for r in compat.matrix_records(matrix)] == [
        ("log_key:run_id", "dual-emit"), ("query_param:run_id@paramRun", "accept-both")]
    _matrix, after, warnings = _patched(tmp_path / "patched", go, "api/handler.go")
    assert after == textwrap.dedent(go["api/handler.go"]).lstrip("\n")
    assert warnings == [
        "backend/api/handler.go:10: 'run_id' is the value of paramRun: declare one for "
        "'session_id' beside it and use both where paramRun is read, by hand",
        "backend/api/handler.go:14: 'run_id' is the value of logKey: declare one for "
        "'session_id' beside it and use both where logKey is logged, by hand",
    ]


HELD_KEYS = """
    package api

    // The names the API reads and writes.
    const (
    	paramRun  = "run_id"
    	cookieRun = "run_id"
    	logRun    = "run_id"
    	either    = "run_id"
    	unused    = "run_id"
    )

    // A name of the family has a row at each use: only those files are read.
    const (
    	RunIDCookie = "run_id"
    	RunIDUnused = "run_id"
    )
    """


def test_a_wire_name_held_in_a_constant_takes_the_role_its_packages_other_files_give_it(
        tmp_path: Path) -> None:
    # Constants are often declared in a file of their own (keys.go) and used elsewhere; the
    # classifier reads one file at a time, so they were plain strings to review. The other files
    # of the package are read after the scan, the cached ones included; cookie.go does not
    # contain the family at all (it is not scanned), and still says what cookieRun is.
    go = {
        "api/keys.go": HELD_KEYS,
        "api/handler.go": """
            package api

            import (
            	"log/slog"
            	"net/http"
            )

            func Handle(w http.ResponseWriter, r *http.Request) {
            	id := r.URL.Query().Get(paramRun)
            	slog.Info("handled", logRun, id, "n", 1)
            	_ = r.URL.Query().Get(either)
            	_, _ = w.Write([]byte(id))
            }
            """,
        "api/cookie.go": """
            package api

            import "net/http"

            func session(r *http.Request) string {
            	c, err := r.Cookie(cookieRun)
            	if err != nil {
            		return ""
            	}
            	_, _ = r.Cookie(either)
            	_, _ = r.Cookie(RunIDCookie)
            	return c.Value
            }
            """,
        "other/other.go": """
            package other

            import "net/http"

            func read(r *http.Request) { _, _ = r.Cookie(unused) }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    keys = applied[applied["path"] == "api/keys.go"]
    assert keys[["line", "symbol", "role", "detail", "decision"]].values.tolist() == [
        [5, "paramRun", "query_param", "Get", "accept-both"],
        [6, "cookieRun", "cookie_name", "Cookie", "keep"],
        [7, "logRun", "log_key", "Info", "dual"],
        # two files that say two things, and none at all (other/ is another package)
        [8, "either", "string", "held", "review"],
        [9, "unused", "string", "held", "review"],
        [14, "RunIDCookie", "const_decl", "", "rename"],
        [14, "RunIDCookie", "cookie_name", "Cookie", "keep"],
        [15, "RunIDUnused", "const_decl", "", "rename"],
        [15, "RunIDUnused", "string", "held", "review"],
    ]
    _matrix, after, warnings = _patched(tmp_path / "patched", go, "api/keys.go")
    assert after == textwrap.dedent(HELD_KEYS).lstrip("\n").replace(
        "\tRunIDCookie = ", "\tSessionIDCookie = ").replace(
        "\tRunIDUnused = ", "\tSessionIDUnused = ")
    assert warnings == [
        "backend/api/keys.go:5: 'run_id' is the value of paramRun: declare one for "
        "'session_id' beside it and use both where paramRun is read, by hand",
        "backend/api/keys.go:7: 'run_id' is the value of logRun: declare one for "
        "'session_id' beside it and use both where logRun is logged, by hand",
    ]


def test_a_constant_of_a_keys_package_takes_the_role_other_packages_give_it(
        tmp_path: Path) -> None:
    # A `keys` package holds the wire names; handlers elsewhere pass `keys.ParamRunID`. A name
    # of the family has a row at each use, so those files are read, in any folder; an exported
    # name outside the family (CookieName) is looked for in the files that spell
    # `.CookieName` and import a path ending in /keys (other/ has a CookieName of its own).
    go = {
        "keys/keys.go": """
            package keys

            const (
            	ParamRunID = "run_id"
            	LogRunID   = "run_id"
            	CookieName = "run_id"
            	OtherName  = "run_id"
            )
            """,
        "other/other.go": """
            package other

            import "net/http"

            const OtherName = "x"

            func Read(r *http.Request) { _ = r.URL.Query().Get(OtherName) }
            """,
        "api/names.go": """
            package api

            import (
            	"net/http"

            	"example.com/app/other"
            )

            func read(r *http.Request) { _, _ = r.Cookie(other.OtherName) }
            """,
        "api/handler.go": """
            package api

            import (
            	"log/slog"
            	"net/http"

            	"example.com/app/keys"
            )

            func Handle(w http.ResponseWriter, r *http.Request) {
            	id := r.URL.Query().Get(keys.ParamRunID)
            	_, _ = r.Cookie(keys.CookieName)
            	slog.Info("handled", keys.LogRunID, id)
            	_, _ = w.Write([]byte(id))
            }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    keys = applied[(applied["path"] == "keys/keys.go") & (applied["role"] != "const_decl")]
    assert keys[["line", "role", "detail", "decision"]].values.tolist() == [
        [4, "query_param", "Get", "accept-both"],
        [5, "log_key", "Info", "dual"],
        [6, "cookie_name", "Cookie", "keep"],
        [7, "string", "held", "review"],
    ]


def test_a_held_constant_logged_at_two_levels_is_a_log_key(tmp_path: Path) -> None:
    # slog.Info and slog.Warn give the constant the same role with two details (the method):
    # the uses were taken to disagree, and the key stayed a string to review. A use as a
    # cookie's name and one as a log key still disagree (so do two roles' details elsewhere:
    # only a log key's methods say nothing of its direction).
    go = {
        "keys/keys.go": """
            package keys

            const (
            	LogRun    = "run_id"
            	CookieRun = "run_id"
            	ParamRun  = "run_id"
            )
            """,
        "api/handler.go": """
            package api

            import (
            	"log/slog"
            	"net/http"

            	"example.com/app/keys"
            )

            func Handle(w http.ResponseWriter, r *http.Request) {
            	id := r.PathValue("id")
            	slog.Info("handled", keys.LogRun, id)
            	slog.Warn("slow", keys.LogRun, id, "ms", 3)
            	_, _ = r.Cookie(keys.CookieRun)
            	slog.Debug("cookie", keys.CookieRun, id)
            	_ = r.URL.Query().Get(keys.ParamRun) + r.FormValue(keys.ParamRun)
            }
            """,
    }
    _matrix, _after, warnings = _patched(tmp_path, go, "keys/keys.go")
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    names = applied[(applied["path"] == "keys/keys.go") & (applied["text"] == "run_id")]
    assert names[["line", "role", "detail", "decision"]].values.tolist() == [
        [4, "log_key", "Info, Warn", "dual"],
        [5, "string", "held", "review"],
        # Get and FormValue: joined, the detail would name no read method compat knows
        [6, "string", "held", "review"],
    ]
    # a log key held in a constant is dual-emitted by hand: the patch says where and how
    warnings = [w for w in warnings if "LogRun" in w]
    assert warnings == ["backend/keys/keys.go:4: 'run_id' is the value of LogRun: declare one for "
                        "'session_id' beside it and use both where LogRun is logged, by hand"]


def test_a_held_constant_used_by_its_folders_external_test_package(tmp_path: Path) -> None:
    # `package api_test` sits in api/ but imports api: its uses are selectors (`api.CookieName`),
    # as another package's are. They were looked for bare, as the package's own files' are, so
    # a constant used only there stayed a string to review.
    go = {
        "api/names.go": """
            package api

            const (
            	CookieName = "run_id"
            	ParamRunID = "run_id"
            )
            """,
        "api/handler.go": """
            package api

            import "net/http"

            func Handle(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }
            """,
        "api/handler_test.go": """
            package api_test

            import (
            	"net/http"
            	"net/http/httptest"
            	"testing"

            	"example.com/app/api"
            )

            func TestHandle(t *testing.T) {
            	r := httptest.NewRequest("GET", "/", nil)
            	_, _ = r.Cookie(api.CookieName)
            	_ = r.URL.Query().Get(api.ParamRunID)
            	api.Handle(httptest.NewRecorder(), r)
            }
            """,
    }
    decided, _matrix = analyse(tmp_path, go)
    names = decided[(decided["path"] == "api/names.go") & (decided["text"] == "run_id")]
    assert names[["line", "role", "detail"]].values.tolist() == [
        [4, "cookie_name", "Cookie"],
        [5, "query_param", "Get"],
    ]


def test_a_context_keys_string_is_kept_with_its_reason(tmp_path: Path) -> None:
    # A typed context key's string never leaves the process: it was a string to review. Written
    # in the call (converted to the key's type), read back with ctx.Value, or held in a
    # constant used in another package.
    go = {
        "keys/keys.go": """
            package keys

            type ctxKey string

            // RunIDKey is the context key of the run being served.
            const RunIDKey ctxKey = "run_id"
            """,
        "api/handler.go": """
            package api

            import (
            	"context"

            	"example.com/app/keys"
            )

            type key string

            func With(ctx context.Context, id string) context.Context {
            	ctx = context.WithValue(ctx, key("run_id"), id)
            	return context.WithValue(ctx, keys.RunIDKey, id)
            }

            func Other(ctx context.Context) any { return ctx.Value(key("run_id")) }

            func Cache(c interface{ Value(any) any }) any { return c.Value("run_id") }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    strings = applied[applied["text"] == "run_id"]
    assert strings[["path", "line", "detail", "decision", "decided_by"]].values.tolist() == [
        ["api/handler.go", 12, "context_key", "keep", "context-key"],
        ["api/handler.go", 16, "context_key", "keep", "context-key"],
        # a Value method of something not named like a context
        ["api/handler.go", 18, "", "review", "builtin:string"],
        ["keys/keys.go", 6, "context_key", "keep", "context-key"],
    ]


def test_a_held_names_role_follows_an_edit_of_a_file_the_cache_does_not_hold(
        tmp_path: Path) -> None:
    # keys.go's rows come from the cache on the second scan; its constant's role still
    # follows the file that uses it, which has no family member and is never cached.
    policy = policy_from_terms("RunID", "SessionID")
    root = tmp_path / "backend"
    write(root, {"api/keys.go": HELD_KEYS, "api/cookie.go": """
        package api

        import "net/http"

        func session(r *http.Request) { _, _ = r.Cookie(cookieRun) }
        """})
    cache = tmp_path / "cache"

    def role_of_cookie_run() -> tuple[str, str]:
        frame = scan([root], policy.spec, cache=cache).frame
        found = frame[frame["symbol"] == "cookieRun"]
        return found["role"].item(), found["detail"].item()

    assert role_of_cookie_run() == ("cookie_name", "Cookie")
    assert role_of_cookie_run() == ("cookie_name", "Cookie")
    write(root, {"api/cookie.go": """
        package api

        import "net/http"

        func session(r *http.Request) { _ = r.URL.Query().Get(cookieRun) }
        """})
    assert role_of_cookie_run() == ("query_param", "Get")
    (root / "api" / "cookie.go").unlink()
    assert role_of_cookie_run() == ("string", "held")


SWAG_HANDLER = """
    package api

    import "net/http"

    // GetRun godoc
    // @Summary Get a run
    // @Param run_id path string true "The run"
    // @Param run_id query string false "The run, again"
    // @Param X-Run-ID header string false "The run's header"
    // @Param body body string false "run_id is not a parameter's name here"
    // @Router /runs/{run_id} [get]
    func GetRun(w http.ResponseWriter, r *http.Request) {
    	id := r.PathValue("run_id")
    	q := r.URL.Query().Get("run_id")
    	h := r.Header.Get("X-Run-ID")
    	_, _ = w.Write([]byte(id + q + h))
    }

    // Routes registers GetRun.
    func Routes(mux *http.ServeMux) {
    	mux.HandleFunc("GET /runs/{run_id}", GetRun)
    }
    """


def test_swag_annotations_document_the_names_the_handler_reads(tmp_path: Path) -> None:
    # swag (swaggo) writes the OpenAPI document from these comments. As doc comments they were
    # all renamed, whatever the code went on reading: a kept query parameter was documented
    # under a name the handler does not read. Each @Param name now has the role of where it
    # is read and goes with its contract (documented by its new name whenever the handler reads
    # that, accept-both included); the @Router's parameter goes with the route.
    decided, _matrix = analyse(tmp_path, {"api/handler.go": SWAG_HANDLER})
    documented = decided[decided["line"].between(7, 11)].sort_values("line")
    assert documented[["line", "role", "detail"]].values.tolist() == [
        [7, "path_param", "@Param path"], [8, "query_param", "@Param query"],
        [9, "http_header", "@Param header"], [10, "doc_comment", ""], [11, "path_param", "route"]]
    _matrix, after, warnings = _patched(tmp_path / "patched", {"api/handler.go": SWAG_HANDLER},
                                        "api/handler.go")
    assert warnings == []
    assert after.split("func GetRun")[0] == textwrap.dedent("""\
        package api

        import "net/http"

        // GetRun godoc
        // @Summary Get a run
        // @Param session_id path string true "The run"
        // @Param session_id query string false "The run, again"
        // @Param X-Session-ID header string false "The run's header"
        // @Param body body string false "session_id is not a parameter's name here"
        // @Router /runs/{session_id} [get]
        """)
    assert '\tq := r.URL.Query().Get("session_id")\n\tif q == "" {\n' in after
    # kept on the wire: documented as it is read
    keep = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\n'
                        'query_param = "keep"\nhttp_header = "keep"\n')
    _matrix, after, warnings = _patched(tmp_path / "kept", {"api/handler.go": SWAG_HANDLER},
                                        "api/handler.go", keep)
    assert warnings == []
    assert "// @Param run_id query string false" in after
    assert "// @Param X-Run-ID header string false" in after
    assert "// @Param session_id path string true" in after
    assert '\tq := r.URL.Query().Get("run_id")\n' in after


JSON_API = {
    "api/api.go": """
        package api

        import (
        	"encoding/json"
        	"io"
        )

        // Reply is written to clients.
        type Reply struct {
        	RunID string `json:"run_id"`
        }

        // Write encodes a reply.
        func Write(w io.Writer, id string) error { return json.NewEncoder(w).Encode(Reply{RunID: id}) }
        """,
    "api/api_test.go": """
        package api

        import (
        	"encoding/json"
        	"strings"
        	"testing"
        )

        func TestWrite(t *testing.T) {
        	var out strings.Builder
        	_ = Write(&out, "r1")
        	if out.String() != `{"run_id":"r1"}`+"\\n" {
        		t.Fatal(out.String())
        	}
        	var back Reply
        	if err := json.Unmarshal([]byte(`{"run_id":"r2"}`), &back); err != nil || back.RunID != "r2" {
        		t.Fatal(back)
        	}
        }
        """,
}


def test_json_documents_in_tests_follow_the_contract_of_their_key(tmp_path: Path) -> None:
    # The keys of JSON written in Go strings were plain strings to review, and after a
    # dual-emit the test that compares the encoding failed. Under dual-emit (the default for an
    # encoded struct) an input that is decoded keeps the legacy key, which is still read, and
    # an expected output gets both keys, as the struct now writes them. Under hard-cut both are
    # renamed. go test passes on the patched module either way.
    decided, matrix = analyse(tmp_path, JSON_API)
    applied = compat.apply_strategies(decided, matrix)
    texts = applied[applied["role"] == "json_text"].sort_values("line")
    assert texts[["line", "detail", "decision", "decided_by"]].values.tolist() == [
        [12, "compared", "dual", "contract:json_tag:run_id@Reply"],
        [16, "decoded", "keep", "contract:json_tag:run_id@Reply"]]
    assert "both session_id and run_id are written" in texts["rationale"].iloc[0]
    _matrix, after, warnings = _patched(tmp_path / "dual", JSON_API, "api/api_test.go")
    assert warnings == []
    assert "if out.String() != `{\"session_id\":\"r1\",\"run_id\":\"r1\"}`+\"\\n\" {" in after
    assert "json.Unmarshal([]byte(`{\"run_id\":\"r2\"}`), &back)" in after
    built_after_plan(tmp_path / "built-dual", JSON_API, {})
    cut = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[[contract]]\n'
                       'wire = "run_id"\nkind = "json_tag"\nstrategy = "hard-cut"\n'
                       'rationale = "all clients moved"\n')
    _matrix, after, warnings = _patched(tmp_path / "cut", JSON_API, "api/api_test.go", cut)
    assert warnings == []
    assert "if out.String() != `{\"session_id\":\"r1\"}`+\"\\n\" {" in after
    assert "json.Unmarshal([]byte(`{\"session_id\":\"r2\"}`), &back)" in after
    built_after_plan(tmp_path / "built", JSON_API, {}, cut)


def test_a_policy_default_for_strings_decides_json_documents_too(tmp_path: Path) -> None:
    # json_text was split from string: a policy written before it that keeps plain strings
    # ("test payloads must keep sending run_id") keeps deciding them, and says why.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\nstring = "keep"\n')
    decided, matrix = analyse(tmp_path, JSON_API, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    texts = applied[applied["role"] == "json_text"]
    assert texts[["decision", "decided_by"]].values.tolist() == [
        ["keep", "default:string"], ["keep", "default:string"]]
    assert "which json_text refines" in texts["rationale"].iloc[0]
    own = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\nstring = "keep"\n'
                       'json_text = "rename"\n')
    decided, _matrix = analyse(tmp_path / "own", JSON_API, policy=own)
    assert set(decided[decided["role"] == "json_text"]["decision"]) == {"rename"}


def test_a_test_reading_what_the_code_writes_under_both_names_is_kept(tmp_path: Path) -> None:
    # A handler writes X-Run-ID (dual-emit) and its test reads the response's header. The read
    # was decided accept-both, which the patch cannot write in an if's condition: a warning to
    # act on, for a test that passes as it is, since both headers are written now.
    go = {
        "api/h.go": """
            package api

            import "net/http"

            func h(w http.ResponseWriter, r *http.Request) {
            	w.Header().Set("X-Run-ID", r.URL.Path)
            }
            """,
        "api/h_test.go": """
            package api

            import (
            	"net/http/httptest"
            	"testing"
            )

            func TestH(t *testing.T) {
            	rec := httptest.NewRecorder()
            	h(rec, httptest.NewRequest("GET", "/r1", nil))
            	if rec.Header().Get("X-Run-ID") != "/r1" {
            		t.Fatal(rec.Header())
            	}
            }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    read = applied[(applied["path"] == "api/h_test.go") & (applied["role"] == "http_header")]
    assert read[["decision", "decided_by"]].values.tolist() == [
        ["keep", "contract:http_header:X-Run-ID@TestH"]]
    assert "goes on testing the legacy name" in read["rationale"].iloc[0]
    _matrix, after, warnings = _patched(tmp_path / "patched", go, "api/h.go")
    assert warnings == []
    assert '\tw.Header().Set("X-Session-ID", r.URL.Path)\n' in after
    built_after_plan(tmp_path / "built", go, {})


def test_a_tests_read_of_a_decoded_key_follows_what_the_code_writes(tmp_path: Path) -> None:
    # `body["run_id"]` of a decoded response was a plain string to review. Under dual-emit the
    # response carries both keys: the read passes as it is (kept). Under hard-cut only the new
    # key is written: renamed, and go test passes on the patched module.
    go = {
        **JSON_API,
        "api/read_test.go": """
            package api

            import (
            	"encoding/json"
            	"strings"
            	"testing"
            )

            func TestRead(t *testing.T) {
            	var out strings.Builder
            	_ = Write(&out, "r1")
            	var body map[string]any
            	if err := json.Unmarshal([]byte(out.String()), &body); err != nil || body["run_id"] != "r1" {
            		t.Fatal(body)
            	}
            }
            """,
    }
    decided, matrix = analyse(tmp_path, go)
    applied = compat.apply_strategies(decided, matrix)
    read = applied[applied["path"] == "api/read_test.go"]
    assert read[["role", "detail", "decision", "decided_by"]].values.tolist() == [
        ["string", "index", "keep", "contract:json_tag:run_id@Reply"]]
    cut = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[[contract]]\n'
                       'wire = "run_id"\nkind = "json_tag"\nstrategy = "hard-cut"\n'
                       'rationale = "all clients moved"\n')
    _matrix, after, _warnings = _patched(tmp_path / "cut", go, "api/read_test.go", cut)
    assert 'body["session_id"] != "r1"' in after
    built_after_plan(tmp_path / "built", go, {}, cut)


STRICT_GO = """
    package lock

    import (
    	"bytes"
    	"encoding/json"
    )

    type Budget struct {
    	RunID string `json:"run_id"`
    }

    type File struct {
    	Budgets map[string]Budget `json:"budgets"`
    }

    // Parse refuses unknown keys: a typo must never disable a gate.
    func Parse(data []byte) (File, error) {
    	var f File
    	dec := json.NewDecoder(bytes.NewReader(data))
    	dec.DisallowUnknownFields()
    	err := dec.Decode(&f)
    	return f, err
    }
    """


def test_a_struct_decoded_strictly_gets_no_legacy_key_methods(tmp_path: Path) -> None:
    # The UnmarshalJSON that reads the legacy key decodes with json.Unmarshal, which does not
    # inherit DisallowUnknownFields: a real lockfile's test of a misspelt key failed after the
    # rename (the key was taken silently). The tag goes to review, the reason given.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "accept-both"\n')
    decided, matrix = analyse(tmp_path, {"lock/lock.go": STRICT_GO}, policy=policy)
    rec = row(matrix, "json_tag:run_id@Budget")
    flag = next(f for f in rec["flags"] if f.startswith(compat.STRICT))
    assert "backend/lock/lock.go:20 makes a decoder refuse unknown keys" in flag
    applied = compat.apply_strategies(decided, matrix)
    tag = applied[applied["role"] == "struct_tag"]
    assert tag[["text", "decision"]].values.tolist() == [["run_id", "review"]]
    assert "json.Unmarshal, which does not inherit that setting" in tag["rationale"].iloc[0]
    from idrename.patch import build_patch

    patch = build_patch(applied, {"backend": tmp_path / "backend"})
    after = {f.path: f.after.decode() for f in patch.changed()}["lock/lock.go"]
    assert "UnmarshalJSON" not in after and '`json:"run_id"`' in after
    # without the strict decoder, the methods are written as before
    lenient = STRICT_GO.replace("\tdec.DisallowUnknownFields()\n", "")
    decided, matrix = analyse(tmp_path / "lenient", {"lock/lock.go": lenient}, policy=policy)
    assert not [f for f in row(matrix, "json_tag:run_id@Budget")["flags"]
                if f.startswith(compat.STRICT)]


WIRE_MESSAGE_GO = """
    package lock

    import (
    	"encoding/json"
    	"errors"
    )

    type Policy struct {
    	RunID string `json:"run_id"`
    }

    func Load(data []byte) (Policy, error) {
    	var p Policy
    	if err := json.Unmarshal(data, &p); err != nil {
    		return p, err
    	}
    	if p.RunID == "" {
    		return p, errors.New("policy.run_id must be set")
    	}
    	return p, nil
    }
    """


@pytest.mark.parametrize(("strategy", "decision", "by"), [
    ("keep-legacy", "keep", "wire-spelling"),  # the file still says run_id: so does the message
    ("hard-cut", "rename", "builtin:message"),  # the key moved: the message names the new one
    ("accept-both", "rename", "builtin:message"),
])
def test_a_message_spelling_a_wire_name_follows_its_strategy(
        tmp_path: Path, strategy: str, decision: str, by: str) -> None:
    # The decisions rename such a message (compat keeps a contract's name working, they
    # assume); a real lockfile's tag stayed (to review) while its message said the new key.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[[contract]]\n'
                          f'kind = "json_tag"\nwire = "run_id"\nstrategy = "{strategy}"\n'
                          'rationale = "r"\n')
    decided, matrix = analyse(tmp_path, {"lock/lock.go": WIRE_MESSAGE_GO}, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    message = applied[applied["role"] == "message"]
    assert message[["text", "decision", "decided_by"]].values.tolist() == [
        ["run_id", decision, by]]
    from idrename.patch import build_patch

    patch = build_patch(applied, {"backend": tmp_path / "backend"})
    after = {f.path: f.after.decode() for f in patch.changed()}["lock/lock.go"]
    spelled = "run_id" if decision == "keep" else "session_id"
    assert f'errors.New("policy.{spelled} must be set")' in after


def test_a_message_spelling_a_wire_name_to_review_goes_to_review(tmp_path: Path) -> None:
    # lock.go decodes strictly, so Policy's tag cannot take the legacy-key methods: review
    files = {"lock/lock.go": STRICT_GO, "lock/policy.go": WIRE_MESSAGE_GO}
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "accept-both"\n')
    decided, matrix = analyse(tmp_path, files, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    message = applied[applied["role"] == "message"]
    assert message[["text", "decision", "decided_by"]].values.tolist() == [
        ["run_id", "review", "wire-spelling"]]
    assert "which is to review" in message["rationale"].iloc[0]


HANDLER_GO = """
    package api

    import (
    	"encoding/json"
    	"net/http"
    )

    type createReq struct {
    	RunID string `json:"run_id"`
    }

    // Create refuses a body with keys it does not know.
    func Create(w http.ResponseWriter, r *http.Request) {
    	var req createReq
    	dec := json.NewDecoder(r.Body)
    	dec.DisallowUnknownFields()
    	if err := dec.Decode(&req); err != nil {
    		http.Error(w, err.Error(), http.StatusBadRequest)
    		return
    	}
    	w.WriteHeader(http.StatusCreated)
    }
    """
HANDLER_TEST = """
    package api

    import (
    	"bytes"
    	"encoding/json"
    	"net/http/httptest"
    	"testing"
    )

    func TestCreate(t *testing.T) {
    	body, _ := json.Marshal(map[string]any{"run_id": "r1"})
    	rec := httptest.NewRecorder()
    	Create(rec, httptest.NewRequest("POST", "/", bytes.NewReader(body)))
    	if rec.Code != 201 {
    		t.Fatal(rec.Code, rec.Body.String())
    	}
    }
    """


@pytest.mark.parametrize(("strategy", "decision"), [
    ("keep-legacy", "keep"),  # the tag keeps run_id: so does the body the test sends
    ("hard-cut", "rename"),  # the tag reads session_id only: the body sends it
])
def test_a_tests_map_follows_the_tags_of_the_code(
        tmp_path: Path, strategy: str, decision: str) -> None:
    # The map's own contract (test files only) wrote both keys (dual-emit): the handler, which
    # refuses unknown keys, answered 400 to the body with session_id beside run_id.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[[contract]]\n'
                          f'kind = "json_tag"\nwire = "run_id"\nstrategy = "{strategy}"\n'
                          'rationale = "r"\n')
    files = {"api/api.go": HANDLER_GO, "api/api_test.go": HANDLER_TEST}
    decided, matrix = analyse(tmp_path / "a", files, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[(applied["role"] == "map_key") & (applied["path"] == "api/api_test.go")]
    assert key[["decision", "decided_by"]].values.tolist() == [[decision, "test-map"]]
    built_after_plan(tmp_path / "b", files, {}, policy=policy)


def test_a_tests_map_is_left_to_review_with_a_tag_to_review(tmp_path: Path) -> None:
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "accept-both"\n')
    files = {"api/api.go": HANDLER_GO, "api/api_test.go": HANDLER_TEST}
    decided, matrix = analyse(tmp_path, files, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[(applied["role"] == "map_key") & (applied["path"] == "api/api_test.go")]
    assert key[["decision", "decided_by"]].values.tolist() == [["review", "test-map"]]
    assert "json_tag:run_id@createReq of this name is to review" in key["rationale"].iloc[0]


VALIDATION_GO = """
    package api

    import (
    	"encoding/json"
    	"net/http"
    )

    type album struct {
    	RunID string `json:"run_id"`
    }

    // Create answers the fields it misses by their JSON names.
    func Create(w http.ResponseWriter, r *http.Request) {
    	var a album
    	_ = json.NewDecoder(r.Body).Decode(&a)
    	missing := map[string]string{}
    	if a.RunID == "" {
    		missing["run_id"] = "required"
    	}
    	_ = json.NewEncoder(w).Encode(map[string]any{"missing": missing, "album": a})
    }
    """
VALIDATION_TEST = """
    package api

    import (
    	"encoding/json"
    	"net/http/httptest"
    	"reflect"
    	"strings"
    	"testing"
    )

    func TestMissing(t *testing.T) {
    	rec := httptest.NewRecorder()
    	Create(rec, httptest.NewRequest("POST", "/", strings.NewReader("{}")))
    	var got struct{ Missing map[string]string }
    	_ = json.Unmarshal(rec.Body.Bytes(), &got)
    	want := map[string]string{"run_id": "required"}
    	if !reflect.DeepEqual(got.Missing, want) {
    		t.Fatal(got.Missing)
    	}
    }
    """


def test_a_tests_map_is_left_to_review_when_the_code_spells_its_key_as_a_string_too(
        tmp_path: Path) -> None:
    # Artist -> Composer in an albums API: the tag became dual, so the test's expected map of
    # missing fields got "composer" beside "artist"; but the handler's `errors["artist"]` (a
    # string, to review) still answered "artist" alone, and the test failed. The map may mirror
    # the tags or that string: it follows only when they agree.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "dual"\n')
    files = {"api/api.go": VALIDATION_GO, "api/api_test.go": VALIDATION_TEST}
    decided, matrix = analyse(tmp_path, files, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[(applied["role"] == "map_key") & (applied["path"] == "api/api_test.go")]
    assert key[["decision", "decided_by"]].values.tolist() == [["review", "test-map"]]
    assert key["rationale"].iloc[0].endswith(
        "the code's tags of this name (json_tag:run_id@album) are decided dual, but the code "
        "spells it as a string too (api/api.go:18), decided review: the map may mirror "
        "either; decide the key with them")
    # a policy that makes every map key dual does not write the test's map with both either
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "dual"\nmap_key = "dual"\n')
    decided, matrix = analyse(tmp_path / "b", files, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[(applied["role"] == "map_key") & (applied["path"] == "api/api_test.go")]
    assert key[["decision", "decided_by"]].values.tolist() == [["review", "test-map"]]
    assert "but the code spells it as a string too (api/api.go:18), which has one name" in \
        key["rationale"].iloc[0]


def test_a_struct_whose_strict_decode_the_syntax_cannot_type_is_flagged(tmp_path: Path) -> None:
    # `f := New(); dec.Decode(&f)`: no decode of File is found (New's result is not typed),
    # only its encode; the strict decoder of its folder still reads it, so it is flagged
    go = STRICT_GO.replace("\tvar f File\n", "\tf := New()\n") + """
    func New() File { return File{Budgets: map[string]Budget{}} }

    func (f File) Marshal() ([]byte, error) { return json.Marshal(f) }
    """.replace("\n    ", "\n")
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "accept-both"\n')
    _decided, matrix = analyse(tmp_path, {"lock/lock.go": go}, policy=policy)
    assert [f for f in row(matrix, "json_tag:run_id@Budget")["flags"]
            if f.startswith(compat.STRICT)]


ENV_GO = """
    package config

    import (
    	"errors"
    	"os"
    )

    // Load reads RUN_ID from the environment.
    func Load() (string, error) {
    	v := getenv("RUN_ID", "")
    	if v == "" {
    		return "", errors.New("config: RUN_ID must be set")
    	}
    	return v, nil
    }

    func getenv(key, fallback string) string {
    	if v, ok := os.LookupEnv(key); ok {
    		return v
    	}
    	return fallback
    }
    """
ENV_TEST = """
    package config

    import "testing"

    func TestLoad(t *testing.T) {
    	for _, env := range []map[string]string{{"RUN_ID": "r1"}} {
    		for k, v := range env {
    			t.Setenv(k, v)
    		}
    		if got, err := Load(); err != nil || got != "r1" {
    			t.Fatal(got, err)
    		}
    	}
    }
    """


def test_a_tests_table_of_variables_and_a_message_follow_the_code_s_variable(
        tmp_path: Path) -> None:
    # Found on an audit-log service under a policy renaming map keys and strings: the code's
    # variable was kept (read through its getenv helper), the test's table key that sets it
    # in a loop was renamed, and go test failed; its error message named a variable the
    # program no longer read.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\n'
                          'map_key = "rename"\nstring = "rename"\n')
    files = {"config/config.go": ENV_GO, "config/config_test.go": ENV_TEST}
    decided, matrix = analyse(tmp_path / "a", files, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    got = applied[applied["text"] == "RUN_ID"][["path", "role", "decision", "decided_by"]]
    assert got.values.tolist() == [
        ["config/config.go", "doc_comment", "rename", "builtin:doc_comment"],
        ["config/config.go", "external_name", "keep", "builtin:external_name"],
        ["config/config.go", "message", "keep", "wire-spelling"],
        ["config/config_test.go", "map_key", "keep", "external-spelling"],
    ]
    built_after_plan(tmp_path / "b", files, {}, policy=policy)


STRICT_WRAPPER = {
    "httpx/httpx.go": """
        package httpx

        import (
        	"encoding/json"
        	"net/http"
        )

        // Decode reads the JSON body into dst, refusing unknown keys.
        func Decode(r *http.Request, dst any) error {
        	dec := json.NewDecoder(r.Body)
        	dec.DisallowUnknownFields()
        	return dec.Decode(dst)
        }
        """,
    "tenant/handler.go": """
        package tenant

        import (
        	"net/http"

        	"example.com/a/httpx"
        )

        type CreateInput struct {
        	RunID string `json:"run_id"`
        }

        func Create(w http.ResponseWriter, r *http.Request) {
        	var in CreateInput
        	if err := httpx.Decode(r, &in); err != nil {
        		w.WriteHeader(http.StatusBadRequest)
        		return
        	}
        	w.WriteHeader(http.StatusCreated)
        }
        """,
}

STRICT_WRAPPER_TEST = {
    "tenant/handler_test.go": """
        package tenant

        import (
        	"net/http"
        	"net/http/httptest"
        	"strings"
        	"testing"
        )

        func TestUnknownKeysAreRefused(t *testing.T) {
        	body := `{"session_id":"s1","is_admin":true}`
        	rec := httptest.NewRecorder()
        	Create(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
        	if rec.Code != http.StatusBadRequest {
        		t.Fatalf("status = %d, want 400", rec.Code)
        	}
        }
        """,
}


def test_a_strict_decoder_in_another_packages_wrapper_keeps_the_legacy_key_methods_out(
        tmp_path: Path) -> None:
    # A real building-management API decodes every body with httpx.Decode, which calls
    # DisallowUnknownFields; under dual the UnmarshalJSON that reads the legacy key (a plain
    # json.Unmarshal) let a body with an unknown key through, and its test failed. The
    # wrapper's decoder is now found through the call in the handler's package.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "dual"\n')
    go = {"go.mod": "module example.com/a\n\ngo 1.21\n", **STRICT_WRAPPER}
    decided, matrix = analyse(tmp_path, go, policy=policy)
    flag = next(f for f in row(matrix, "json_tag:run_id@CreateInput")["flags"]
                if f.startswith(compat.STRICT))
    assert "backend/httpx/httpx.go:11 makes a decoder refuse unknown keys" in flag
    applied = compat.apply_strategies(decided, matrix)
    tag = applied[applied["role"] == "struct_tag"]
    assert tag[["text", "decision"]].values.tolist() == [["run_id", "review"]]
    built_after_plan(tmp_path / "built", STRICT_WRAPPER, STRICT_WRAPPER_TEST, policy)


STRICT_HANDLER = {
    "api/api.go": """
        package api

        import (
        	"encoding/json"
        	"net/http"
        )

        type createRequest struct {
        	RunID string `json:"run_id"`
        }

        func Create(w http.ResponseWriter, r *http.Request) {
        	var in createRequest
        	dec := json.NewDecoder(r.Body)
        	dec.DisallowUnknownFields()
        	if err := dec.Decode(&in); err != nil || in.RunID == "" {
        		w.WriteHeader(http.StatusBadRequest)
        		return
        	}
        	w.WriteHeader(http.StatusCreated)
        }
        """,
    "api/api_test.go": """
        package api

        import (
        	"bytes"
        	"encoding/json"
        	"net/http"
        	"net/http/httptest"
        	"testing"
        )

        func TestCreate(t *testing.T) {
        	body, _ := json.Marshal(map[string]any{"run_id": "r1"})
        	rec := httptest.NewRecorder()
        	Create(rec, httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)))
        	if rec.Code != http.StatusCreated {
        		t.Fatalf("status = %d", rec.Code)
        	}
        }
        """,
}


def test_a_test_body_the_policys_default_makes_dual_follows_a_strictly_decoded_tag(
        tmp_path: Path) -> None:
    # A shipping-dispatch API refuses unknown keys; with [defaults] map_key = "dual" the
    # test's body map sent both run_id and session_id, and the handler answered 400. The
    # key now follows the tag (to review, as the strict decoder leaves it).
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nmap_key = "dual"\nstruct_tag = "dual"\n')
    decided, matrix = analyse(tmp_path, STRICT_HANDLER, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[applied["role"] == "map_key"]
    assert key[["text", "decision", "decided_by"]].values.tolist() == [
        ["run_id", "review", "test-map"]]
    assert ("the policy's default for role map_key; but backend/api/api.go:15 makes a decoder "
            "of the code refuse unknown keys") in key["rationale"].iloc[0]
    built_after_plan(tmp_path / "built", STRICT_HANDLER, {}, policy)
    # a lenient handler: the body keeps both names, as the policy's default says
    lenient = {**STRICT_HANDLER, "api/api.go": STRICT_HANDLER["api/api.go"].replace(
        "\tdec.DisallowUnknownFields()\n", "")}
    decided, matrix = analyse(tmp_path / "lenient", lenient, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[applied["role"] == "map_key"]
    assert key[["text", "decision"]].values.tolist() == [["run_id", "dual"]]
    built_after_plan(tmp_path / "built-lenient", lenient, {}, policy)
    # Found on a freight-booking API under `struct_tag = "rename"`: the tag renamed outright
    # needs no UnmarshalJSON, which the strict decoder is about, but the body was still left to
    # review for it, and sent with the old key it was refused. Such a flag counts only where a
    # site is decided to need those methods (dual, accept-both).
    renamed = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                           '[defaults]\nstruct_tag = "rename"\n')
    assert applied_rows(tmp_path / "renamed", STRICT_HANDLER, renamed, "map_key",
                        ["text", "decision", "decided_by"]) == [["run_id", "rename", "test-map"]]
    built_after_plan(tmp_path / "built-renamed", STRICT_HANDLER, {}, renamed)


TOKEN_PARSER = {
    "merge/merge.go": """
        package merge

        import "fmt"

        type Policy int

        const (
        	KeepAll Policy = iota
        	RunIDFirst
        )

        func Parse(tok string) (Policy, error) {
        	switch tok {
        	case "all":
        		return KeepAll, nil
        	case "run-id-first":
        		return RunIDFirst, nil
        	}
        	return KeepAll, fmt.Errorf("unknown policy %q", tok)
        }
        """,
    "merge/merge_test.go": """
        package merge

        import "testing"

        func TestParse(t *testing.T) {
        	good := map[string]Policy{"all": KeepAll, "run-id-first": RunIDFirst}
        	for tok, want := range good {
        		if got, err := Parse(tok); err != nil || got != want {
        			t.Fatalf("Parse(%q) = %v, %v", tok, got, err)
        		}
        	}
        }
        """,
}


def test_a_tests_token_table_key_follows_the_string_the_code_parses(tmp_path: Path) -> None:
    # A JUnit-report merger's test fed every key of a token table to the parser; dual-emit
    # added "prefer-green" beside "prefer-pass", which the parser's `case "prefer-pass":`
    # (a string, to review) refused: go test failed. The key follows the code's string.
    decided, matrix = analyse(tmp_path, TOKEN_PARSER)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[applied["role"] == "map_key"]
    assert key[["text", "decision", "decided_by"]].values.tolist() == [
        ["run-id-first", "review", "test-map"]]
    assert "the code's strings of this value (merge/merge.go:16) are to review" in \
        key["rationale"].iloc[0]
    built_after_plan(tmp_path / "built", TOKEN_PARSER, {})
    # the policy renames the code's strings: the key is renamed with them
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[[rule]]\n'
                          'role = "string"\ndecision = "rename"\nrationale = "tokens move"\n')
    decided, matrix = analyse(tmp_path / "renamed", TOKEN_PARSER, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[applied["role"] == "map_key"]
    assert key[["text", "decision", "target"]].values.tolist() == [
        ["run-id-first", "rename", "session-id-first"]]
    built_after_plan(tmp_path / "built-renamed", TOKEN_PARSER, {}, policy)
    # the policy's default makes map keys dual: the table's key follows the string all the same
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nmap_key = "dual"\n')
    decided, matrix = analyse(tmp_path / "dual", TOKEN_PARSER, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    key = applied[applied["role"] == "map_key"]
    assert key[["text", "decision", "decided_by"]].values.tolist() == [
        ["run-id-first", "review", "test-map"]]
    assert key["rationale"].iloc[0].startswith(
        "the policy's default for role map_key; but the code matches one spelling of it")
    built_after_plan(tmp_path / "built-dual", TOKEN_PARSER, {}, policy)


ENVELOPE = {
    "report/report.go": """
        package report

        import (
        	"encoding/json"
        	"io"
        )

        type envelope struct {
        	RunID int    `json:"run_id"`
        	URL   string `json:"url"`
        }

        // Write writes the report as indented JSON, HTML left unescaped for humans.
        func Write(w io.Writer, url string) error {
        	enc := json.NewEncoder(w)
        	enc.SetIndent("", "  ")
        	enc.SetEscapeHTML(false)
        	return enc.Encode(envelope{RunID: 1, URL: url})
        }
        """,
}

ENVELOPE_TEST = {
    "report/report_test.go": """
        package report

        import (
        	"bytes"
        	"encoding/json"
        	"strings"
        	"testing"
        )

        func TestURLVerbatim(t *testing.T) {
        	var buf bytes.Buffer
        	if err := Write(&buf, "https://a.test/q?a=1&b=2"); err != nil {
        		t.Fatal(err)
        	}
        	if !strings.Contains(buf.String(), "a=1&b=2") || strings.Contains(buf.String(), `\\u0026`) {
        		t.Fatalf("HTML escaping must be off:\\n%s", buf.String())
        	}
        	if !strings.Contains(buf.String(), "\\n  \\"url\\": ") {
        		t.Fatalf("indented:\\n%s", buf.String())
        	}
        	escaped, _ := json.Marshal(envelope{URL: "a&b"})
        	if !strings.Contains(string(escaped), `a\\u0026b`) {
        		t.Fatalf("json.Marshal escapes: %s", escaped)
        	}
        }
        """,
}


def test_the_dual_emit_marshaljson_escapes_html_as_the_calling_encoder_is_set(
        tmp_path: Path) -> None:
    # A CORS diagnoser writes its JSON report with SetEscapeHTML(false); the MarshalJSON that
    # writes both keys encoded with json.Marshal, which escapes & whatever the calling encoder
    # says, and the report's URL came out as a=1\u0026b=2: its test failed. The method now
    # encodes unescaped, and the calling encoder escapes as it is set.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "dual"\n')
    built_after_plan(tmp_path, ENVELOPE, ENVELOPE_TEST, policy)
    after = (tmp_path / "mod" / "report/report.go").read_text()
    assert "func (e envelope) MarshalJSON() ([]byte, error) {" in after
    assert "\tenc.SetEscapeHTML(false) // (the encoder calling this one escapes as it is set)\n" \
        in after
    assert 'import (\n\t"bytes"\n\t"encoding/json"\n\t"io"\n)' in after


JUNIT = {
    "junit/junit.go": """
        package junit

        import "encoding/xml"

        type testCase struct {
        	Name  string `xml:"name,attr"`
        	RunID string `xml:"run-id"`
        }

        // Parse reads a JUnit-style case, as other tools write it.
        func Parse(data []byte) (string, error) {
        	var c testCase
        	err := xml.Unmarshal(data, &c)
        	return c.RunID, err
        }
        """,
    "junit/junit_test.go": """
        package junit

        import "testing"

        func TestParse(t *testing.T) {
        	got, err := Parse([]byte(`<testcase name="x"><run-id>r1</run-id></testcase>`))
        	if err != nil || got != "r1" {
        		t.Fatalf("got %q, %v", got, err)
        	}
        }
        """,
}


def test_a_policy_default_of_dual_on_an_xml_tag_goes_to_review(tmp_path: Path) -> None:
    # A JUnit/TAP report merger under [defaults] struct_tag = "dual": the patch writes the
    # legacy-key methods for JSON tags alone, so its xml:"system-out" was renamed with a warning,
    # and the JUnit files other tools write were no longer read. Such a tag goes to review.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n'
                          '[defaults]\nstruct_tag = "dual"\n')
    decided, matrix = analyse(tmp_path, JUNIT, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    tag = applied[applied["role"] == "struct_tag"]
    assert tag[["text", "decision", "decided_by"]].values.tolist() == [
        ["run-id", "review", "default:struct_tag"]]
    assert ("but this xml tag names one key only, and no methods keep run-id working beside "
            "session-id for it") in tag["rationale"].iloc[0]
    built_after_plan(tmp_path / "built", JUNIT, {}, policy)


FLAG_GO = """
    package cli

    import (
    	"flag"
    	"fmt"
    	"io"
    )

    // Trend prints the runs split into buckets.
    func Trend(w io.Writer, args []string) error {
    	fs := flag.NewFlagSet("trend", flag.ContinueOnError)
    	buckets := fs.Int("buckets", 10, "number of buckets")
    	if err := fs.Parse(args); err != nil {
    		return err
    	}
    	if *buckets < 1 {
    		return fmt.Errorf("invalid --buckets %d", *buckets)
    	}
    	fmt.Fprintf(w, "%d runs in %d buckets\\n", 9, *buckets)
    	return nil
    }
    """
FLAG_TEST = """
    package cli

    import (
    	"strings"
    	"testing"
    )

    func TestTrend(t *testing.T) {
    	var out strings.Builder
    	if err := Trend(&out, []string{"--buckets", "2"}); err != nil {
    		t.Fatal(err)
    	}
    	if !strings.Contains(out.String(), "9 runs in 2 buckets") {
    		t.Fatalf("got %q", out.String())
    	}
    	err := Trend(&out, []string{"-buckets=0"})
    	if err == nil || err.Error() != "invalid --buckets 0" {
    		t.Fatalf("got %v", err)
    	}
    }
    """


def test_a_flag_spelled_in_a_message_is_kept_and_a_test_s_sentence_is_not_the_flag(
        tmp_path: Path) -> None:
    # Found on a test-flakiness scorer, Bucket -> Window under a policy renaming every string:
    # the flag "buckets" was kept, but "invalid --buckets %d" was renamed (the local variable
    # buckets is spelled alike, so the message was taken to name it), and the test's
    # "9 runs in 2 buckets" was kept as if it spelled the flag, while the output it looks for
    # was renamed. go test failed twice.
    policy = parse_policy('[rename]\nfrom = "Bucket"\nto = "Window"\n[defaults]\n'
                          'map_key = "rename"\nstring = "rename"\n')
    files = {"cli/trend.go": FLAG_GO, "cli/trend_test.go": FLAG_TEST}
    from idrename.workflow import analyse as analyse_all

    write(tmp_path / "a", files)
    analysis = analyse_all([tmp_path / "a"], policy, cache=False)
    got = analysis.decided[analysis.decided["text"] == "buckets"]
    assert [(r["path"], r["line"], r["role"], r["decision"], r["decided_by"])
            for r in got.to_dict("records") if r["role"] != "local_use"] == [
        ("cli/trend.go", 9, "doc_comment", "rename", "builtin:doc_comment"),
        ("cli/trend.go", 12, "local_decl", "rename", "builtin:local_decl"),
        ("cli/trend.go", 12, "external_name", "keep", "builtin:external_name"),
        ("cli/trend.go", 12, "string", "rename", "default:string"),
        ("cli/trend.go", 17, "message", "keep", "wire-spelling"),  # --buckets: the flag
        ("cli/trend.go", 19, "string", "rename", "default:string"),  # a sentence
        ("cli/trend_test.go", 10, "string", "keep", "external-spelling"),  # "--buckets"
        ("cli/trend_test.go", 13, "string", "rename", "default:string"),  # a sentence
        ("cli/trend_test.go", 16, "string", "keep", "external-spelling"),  # "-buckets=0"
        ("cli/trend_test.go", 17, "string", "keep", "external-spelling"),  # --buckets
    ]
    built_after_plan(tmp_path / "b", files, {}, policy=policy)


OWN_ENCODING = """
    package report

    import "encoding/json"

    type Report struct {
    	RunIDs []string `json:"run_ids"`
    }

    // MarshalJSON writes the report with a computed count.
    func (r Report) MarshalJSON() ([]byte, error) {
    	return json.Marshal(struct {
    		RunIDs []string `json:"run_ids"`
    		Count  int      `json:"count"`
    	}{r.RunIDs, len(r.RunIDs)})
    }
    """
OWN_ENCODING_TEST = """
    package report

    import (
    	"encoding/json"
    	"strings"
    	"testing"
    )

    func TestReport(t *testing.T) {
    	out, _ := json.Marshal(Report{RunIDs: []string{"r1"}})
    	if !strings.Contains(string(out), `"run_ids":["r1"]`) {
    		t.Fatal(string(out))
    	}
    }
    """
HAND_SHIM = """
    package report

    import "encoding/json"

    type Reply struct {
    	SessionID string `json:"session_id"`
    }

    // MarshalJSON writes the id under its old key too, for old clients.
    func (r Reply) MarshalJSON() ([]byte, error) {
    	return json.Marshal(struct {
    		SessionID string `json:"session_id"`
    		RunID     string `json:"run_id"`
    	}{r.SessionID, r.SessionID})
    }
    """


def test_a_marshal_json_that_is_the_type_s_own_encoding_is_no_shim(tmp_path: Path) -> None:
    # Found on a policy engine, Violations -> Findings under a policy renaming every tag and
    # string: the tag of its MarshalJSON's anonymous struct (which adds a computed field) was
    # kept as "part of a JSON compatibility shim", while the test's expected key was renamed;
    # go test failed. Compatibility code writes or reads both names; a method whose text spells
    # no name of the new term is the type's encoding, and its tags follow the policy.
    policy = parse_policy('[rename]\nfrom = "RunID"\nto = "SessionID"\n[defaults]\n'
                          'struct_tag = "rename"\nstring = "rename"\n')
    files = {"report/report.go": OWN_ENCODING, "report/reply.go": HAND_SHIM,
             "report/report_test.go": OWN_ENCODING_TEST}
    decided, matrix = analyse(tmp_path / "a", files, policy=policy)
    applied = compat.apply_strategies(decided, matrix)
    got = applied[applied["role"] == "struct_tag"]
    assert got[["path", "line", "text", "decision", "decided_by"]].values.tolist() == [
        ["report/reply.go", 13, "run_id", "keep", "shim"],  # writes session_id too
        ["report/report.go", 6, "run_ids", "rename", "default:struct_tag"],
        ["report/report.go", 12, "run_ids", "rename", "default:struct_tag"],
    ]
    # (the hand-written shim's RunID field would collide with its SessionID: not built)
    built_after_plan(tmp_path / "b", {"report/report.go": OWN_ENCODING},
                     {"report/report_test.go": OWN_ENCODING_TEST.replace("run_ids",
                                                                          "session_ids")},
                     policy=policy)


OWN_DECODER = """
    package world

    import (
    	"encoding/json"
    	"strings"
    )

    type NPC struct {
    	RunID    string `json:"run_id"`
    	Dialogue string `json:"-"`
    }

    // UnmarshalJSON reads dialogue as text or as lines.
    func (n *NPC) UnmarshalJSON(data []byte) error {
    	type plain NPC
    	var fields struct {
    		*plain
    		Lines []string `json:"dialogue"`
    	}
    	fields.plain = (*plain)(n)
    	if err := json.Unmarshal(data, &fields); err != nil {
    		return err
    	}
    	n.Dialogue = strings.Join(fields.Lines, "\\n")
    	return nil
    }
    """
OWN_DECODER_TEST = """
    package world

    import (
    	"encoding/json"
    	"testing"
    )

    func TestLoad(t *testing.T) {
    	var n NPC
    	if err := json.Unmarshal([]byte(`{"run_id":"r1","dialogue":["hi"]}`), &n); err != nil {
    		t.Fatal(err)
    	}
    	out, _ := json.Marshal(n)
    	if n.RunID != "r1" || string(out) != `{"run_id":"r1"}` {
    		t.Fatal(n, string(out))
    	}
    }
    """


def test_a_struct_with_its_own_unmarshal_json_in_its_file_leaves_the_tag_to_review(
        tmp_path: Path) -> None:
    # Found on a text-adventure server (AttackPower -> Strength): NPC's own UnmarshalJSON, in
    # the struct's file, was taken for one the patch writes and merges keys into; the patch
    # renamed the tag under dual-emit, warned that the key was to merge by hand, and the world
    # file's "attack_power" was no longer read. A method of the struct's file that idrename did
    # not write is the struct's own, as one in another file is.
    files = {"world/npc.go": OWN_DECODER, "world/npc_test.go": OWN_DECODER_TEST}
    decided, matrix = analyse(tmp_path / "a", files)
    applied = compat.apply_strategies(decided, matrix)
    tags = applied[applied["role"] == "struct_tag"]
    assert tags[["line", "decision"]].values.tolist() == [[9, "review"]]
    assert ("NPC has its own UnmarshalJSON (backend/world/npc.go:14), written by hand, which "
            "the patch cannot merge a key into") in tags["rationale"].iloc[0]
    built_after_plan(tmp_path / "b", files, {})

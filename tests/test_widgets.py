"""idrename.widgets: the review panel, driven through its widget models as a reviewer would.

Each test scans a small Go tree written to tmp_path (real inventory, real policy file), sets
filter and form values on the widgets, clicks the button, and checks the policy file's new text,
the re-decided frame and the status line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from idrename.decisions import decide
from idrename.inventory import scan
from idrename.policy import load_policy
from idrename.widgets import ALL, ReviewPanel, filter_rows, row_label

CONV_GO = """package chat

// Conversation holds one chat; RunID is really the session id.
type Conversation struct {
	RunID string `json:"run_id"`
}

func (c *Conversation) FindConversationByRunID(runID string) bool {
	return c.RunID == runID
}
"""

STORE_GO = """package store

func lookup(m map[string]string, runID string) string {
	return m[runID]
}
"""

POLICY = """# Review policy for the widget tests.
[rename]
from = "RunID"
to = "SessionID"

[defaults]
struct_tag = "review"  # a wire contract: decide each tag

[sections]
"pkg/chat/" = "1 chat"
"pkg/store/" = "2 store"

# -- overrides (the review panel appends here) --
"""

LABELS = [
    "backend/pkg/chat/conv.go:3:33  doc_comment  RunID -> SessionID  [rename]",
    "backend/pkg/chat/conv.go:5:2  field_decl  RunID -> SessionID  [rename]",
    "backend/pkg/chat/conv.go:5:22  struct_tag  run_id -> run_id  [review]",
    "backend/pkg/chat/conv.go:8:24  method_decl  FindConversationByRunID -> "
    "FindConversationBySessionID  [rename]",
    "backend/pkg/chat/conv.go:8:48  parameter  runID -> sessionID  [rename]",
    "backend/pkg/chat/conv.go:9:11  selector  RunID -> SessionID  [rename]",
    "backend/pkg/chat/conv.go:9:20  local_use  runID -> sessionID  [rename]",
    "backend/pkg/store/store.go:3:34  parameter  runID -> sessionID  [rename]",
    "backend/pkg/store/store.go:4:11  local_use  runID -> sessionID  [rename]",
]


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A Go module ``backend`` and a policy file next to it."""
    root = tmp_path / "backend"
    (root / "pkg" / "chat").mkdir(parents=True)
    (root / "pkg" / "store").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/backend\n\ngo 1.22\n")
    (root / "pkg" / "chat" / "conv.go").write_text(CONV_GO)
    (root / "pkg" / "store" / "store.go").write_text(STORE_GO)
    policy = tmp_path / "policy.toml"
    policy.write_bytes(POLICY.encode())
    return root, policy


def make_panel(tree: tuple[Path, Path], **kwargs: object) -> ReviewPanel:
    root, policy_path = tree
    policy = load_policy(policy_path)
    inv = scan([root], policy.spec, sections=policy.sections, skip=policy.skip)
    return ReviewPanel(decide(inv.frame, policy), policy_path, policy=policy, **kwargs)


def labels(panel: ReviewPanel) -> list[str]:
    return [label for label, _ in panel.rows.options]


def id_at(panel: ReviewPanel, where: str) -> str:
    """The id of the occurrence whose label starts with ``where`` (``root/path:line:column``)."""
    found = [ident for label, ident in panel.rows.options if label.startswith(where + "  ")]
    assert len(found) == 1, f"{where}: {found}"
    return found[0]


def pick(panel: ReviewPanel, *wheres: str) -> list[str]:
    ids = [id_at(panel, where) for where in wheres]
    panel.rows.value = tuple(ids)
    return ids


def override_block(ident: str, decision: str, rationale: str, target: str | None = None) -> str:
    lines = ["[[override]]", f'id = "{ident}"', f'decision = "{decision}"']
    if target is not None:
        lines.append(f'target = "{target}"')
    lines.append(f'rationale = "{rationale}"')
    return "\n".join(lines) + "\n"


# -- the list ------------------------------------------------------------------------------------


def test_rows_are_readable_labels_with_ids_in_frame_order(tree: tuple[Path, Path]) -> None:
    panel = make_panel(tree)
    assert labels(panel) == LABELS
    assert [ident for _, ident in panel.rows.options] == list(panel.decided["id"])
    assert panel.count.value == "9 of 9 occurrences"
    assert panel.status.value == ""
    assert not any(str(tree[0].parent) in label for label in labels(panel))


def test_filter_choices_come_from_the_frame(tree: tuple[Path, Path]) -> None:
    panel = make_panel(tree)
    assert panel.filters["role"].options == (
        ALL, "doc_comment", "field_decl", "local_use", "method_decl", "parameter", "selector",
        "struct_tag",
    )
    assert panel.filters["package"].options == (ALL, "chat", "store")
    assert panel.filters["section"].options == (ALL, "1 chat", "2 store")
    assert panel.filters["decision"].options[0] == ALL
    assert "review" in panel.filters["decision"].options


def test_filters_and_search_narrow_the_list(tree: tuple[Path, Path]) -> None:
    panel = make_panel(tree)
    panel.filters["role"].value = "parameter"
    assert labels(panel) == [LABELS[4], LABELS[7]]
    assert panel.count.value == "2 of 9 occurrences"

    panel.filters["section"].value = "2 store"
    assert labels(panel) == [LABELS[7]]

    panel.filters["role"].value = ALL
    panel.filters["section"].value = ALL
    panel.search.value = "findconversation"  # symbol and text, case-insensitive
    assert labels(panel) == LABELS[3:7]

    panel.search.value = "store.go"  # path
    assert labels(panel) == LABELS[7:]

    panel.search.value = ""
    panel.filters["decision"].value = "review"
    assert labels(panel) == [LABELS[2]]
    panel.filters["package"].value = "store"
    assert labels(panel) == []
    assert panel.count.value == "0 of 9 occurrences"


def test_selection_survives_a_filter_change_while_shown(tree: tuple[Path, Path]) -> None:
    panel = make_panel(tree)
    ids = pick(panel, "backend/pkg/chat/conv.go:8:48", "backend/pkg/store/store.go:3:34")
    panel.filters["package"].value = "store"
    assert panel.selected == (ids[1],)
    assert ids[1] in panel.details.value


def test_max_rows_caps_the_list_and_says_so(tree: tuple[Path, Path]) -> None:
    panel = make_panel(tree, max_rows=4)
    assert labels(panel) == LABELS[:4]
    assert panel.count.value == "9 of 9 occurrences (showing the first 4)"


def test_filter_rows_and_row_label_are_plain_functions(tree: tuple[Path, Path]) -> None:
    panel = make_panel(tree)
    frame = filter_rows(panel.decided, {"role": "struct_tag", "decision": ALL}, "")
    assert [row_label(r) for r in frame.to_dict("records")] == [LABELS[2]]


# -- applying overrides --------------------------------------------------------------------------


def test_apply_writes_an_override_and_redecides(tree: tuple[Path, Path]) -> None:
    _, policy_path = tree
    panel = make_panel(tree)
    (ident,) = pick(panel, "backend/pkg/chat/conv.go:5:22")
    panel.decision.value = "keep"
    panel.rationale.value = "old clients read run_id"
    panel.apply.click()

    expected = POLICY + "\n" + override_block(ident, "keep", "old clients read run_id")
    assert policy_path.read_bytes().decode() == expected
    assert policy_path.read_bytes().startswith(POLICY.encode())  # comments kept byte for byte
    assert panel.message == "1 override written to policy.toml"
    assert "1 override written to policy.toml" in panel.status.value

    row = panel.decided.set_index("id").loc[ident]
    assert (row["decision"], row["decided_by"], row["rationale"]) == (
        "keep", f"override:{ident}", "old clients read run_id")
    assert labels(panel)[2] == "backend/pkg/chat/conv.go:5:22  struct_tag  run_id -> run_id  [keep]"
    assert panel.selected == (ident,)
    assert panel.policy.override_for(ident) is not None


def test_apply_to_several_with_a_target(tree: tuple[Path, Path]) -> None:
    _, policy_path = tree
    panel = make_panel(tree)
    ids = pick(panel, "backend/pkg/store/store.go:3:34", "backend/pkg/store/store.go:4:11")
    panel.decision.value = "rename"
    panel.rationale.value = "a key, not a session"
    panel.target.value = "key"
    panel.apply.click()

    blocks = [override_block(i, "rename", "a key, not a session", target="key") for i in ids]
    assert policy_path.read_text() == POLICY + "\n" + "\n".join(blocks)
    assert panel.message == "2 overrides written to policy.toml"
    assert labels(panel)[7:] == [
        "backend/pkg/store/store.go:3:34  parameter  runID -> key  [rename]",
        "backend/pkg/store/store.go:4:11  local_use  runID -> key  [rename]",
    ]


def test_apply_again_updates_the_same_override(tree: tuple[Path, Path]) -> None:
    _, policy_path = tree
    panel = make_panel(tree)
    (ident,) = pick(panel, "backend/pkg/chat/conv.go:5:22")
    panel.decision.value = "keep"
    panel.rationale.value = "first thought"
    panel.apply.click()
    panel.decision.value = "accept-both"
    panel.rationale.value = "read both names"
    panel.apply.click()

    assert policy_path.read_text() == POLICY + "\n" + override_block(
        ident, "accept-both", "read both names")
    assert labels(panel)[2] == (
        "backend/pkg/chat/conv.go:5:22  struct_tag  run_id -> session_id  [accept-both]")


def test_an_empty_rationale_is_refused(tree: tuple[Path, Path]) -> None:
    _, policy_path = tree
    panel = make_panel(tree)
    pick(panel, "backend/pkg/chat/conv.go:5:22")
    panel.decision.value = "keep"
    panel.rationale.value = "   "
    panel.apply.click()

    assert policy_path.read_bytes() == POLICY.encode()
    assert panel.message == "refused: a rationale is required (say why this decision is right)"
    assert "rationale is required" in panel.status.value
    assert labels(panel) == LABELS


def test_nothing_selected_is_refused(tree: tuple[Path, Path]) -> None:
    _, policy_path = tree
    panel = make_panel(tree)
    panel.rationale.value = "why not"
    panel.apply.click()
    assert policy_path.read_bytes() == POLICY.encode()
    assert panel.message == "refused: select at least one occurrence first"


def test_a_target_that_is_not_a_go_name_is_written_and_flagged(tree: tuple[Path, Path]) -> None:
    _, policy_path = tree
    panel = make_panel(tree)
    (ident,) = pick(panel, "backend/pkg/chat/conv.go:5:2")
    panel.decision.value = "rename"
    panel.rationale.value = "spell it as the wire does"
    panel.target.value = "session-id"
    panel.apply.click()

    assert override_block(ident, "rename", "spell it as the wire does", "session-id") in (
        policy_path.read_text())
    assert panel.message.startswith("1 override written to policy.toml; check: policy.toml:")
    assert f"occurrence {ident} is a Go field_decl" in panel.message
    assert str(policy_path.parent) not in panel.message


def test_a_broken_policy_file_stops_with_its_error(tree: tuple[Path, Path]) -> None:
    _, policy_path = tree
    panel = make_panel(tree)
    pick(panel, "backend/pkg/chat/conv.go:5:22")
    broken = POLICY + "[[override]\n"
    policy_path.write_text(broken)
    panel.rationale.value = "anything"
    panel.apply.click()

    assert policy_path.read_text() == broken
    assert panel.message.startswith("0 overrides written to policy.toml; stopped at an error: "
                                    "policy.toml:")
    assert str(policy_path.parent) not in panel.message


# -- display -------------------------------------------------------------------------------------


def test_display_delegates_to_the_vbox(tree: tuple[Path, Path]) -> None:
    panel = make_panel(tree)
    bundle = panel._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == panel.widget.model_id
    assert "idrename-review-panel" in panel.widget._dom_classes


def test_policy_is_loaded_from_the_path_when_not_given(tree: tuple[Path, Path]) -> None:
    root, policy_path = tree
    policy = load_policy(policy_path)
    decided = decide(scan([root], policy.spec, sections=policy.sections).frame, policy)
    panel = ReviewPanel(decided, policy_path)
    assert panel.policy.spec == policy.spec
    assert labels(panel) == LABELS


def test_from_roots_scans_and_decides(tree: tuple[Path, Path]) -> None:
    root, policy_path = tree
    panel = ReviewPanel.from_roots([root], policy_path)
    assert labels(panel) == LABELS

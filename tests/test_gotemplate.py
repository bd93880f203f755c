"""Go templates: the actions of a template, what a family token in one is, and the decisions
that make a template follow the Go names it reads."""

from __future__ import annotations

import textwrap
from pathlib import Path

from idrename import roles as R
from idrename.decisions import decide
from idrename.gotemplate import Template, actions
from idrename.inventory import scan
from idrename.policy import parse_policy
from idrename.spec import Spec

SPEC = Spec("RunID", "SessionID")
POLICY = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'


def text(src: str) -> str:
    return textwrap.dedent(src).lstrip("\n")


def refs(data: bytes) -> list[tuple[str, str, str, str]]:
    """(token, role, owner, template) of every family token in a template text."""
    template = Template(data)
    out = []
    for hit in SPEC.find(data):
        ref = template.reference(hit.start, hit.end)
        if ref is None:
            out.append((hit.token, "text", "", template.template_at(hit.start)))
        else:
            out.append((hit.token, ref.role, ref.owner, ref.template))
    return out


def test_an_action_ends_at_the_first_closing_delimiter_outside_a_string() -> None:
    data = b'a {{index .M "}}" .RunID}} b {{- /* c }} d */ -}} e {{.RunID'
    found = [(data[a.start : a.end].decode(), a.comment) for a in actions(data)[0]]
    assert found == [('{{index .M "}}" .RunID}}', False), ("{{- /* c }} d */ -}}", True),
                     ("{{.RunID", False)]


def test_what_a_token_in_an_action_is() -> None:
    data = text('''
        <p data-run-id="{{.RunID}}">run_id</p>
        {{define "row"}}{{$runID := $.Conv.RunID}}{{shortRunID $runID}}{{end}}
        {{block "card" .}}{{index .Meta "run_id"}} {{(.Get).RunID}}{{/* RunID */}}{{end}}
        {{.RunIDs}} {{ if .HasRunID -}} yes {{- end }}
    ''').encode()
    assert refs(data) == [
        ("data-run-id", "text", "", ""),
        ("RunID", R.TEMPLATE_FIELD, ".", ""),
        ("run_id", "text", "", ""),
        ("runID", R.TEMPLATE_VARIABLE, "", "row"),
        ("RunID", R.TEMPLATE_FIELD, "$.Conv", "row"),
        ("shortRunID", R.TEMPLATE_FUNC, "", "row"),
        ("runID", R.TEMPLATE_VARIABLE, "", "row"),
        ("run_id", R.TEMPLATE_STRING, "index", "card"),
        ("RunID", R.TEMPLATE_FIELD, "(...)", "card"),
        ("RunID", R.TEMPLATE_COMMENT, "", "card"),
        ("RunIDs", R.TEMPLATE_FIELD, ".", ""),
        ("HasRunID", R.TEMPLATE_FIELD, ".", ""),
    ]


PAGE_GO = text('''
    package page

    import "html/template"

    type Conv struct {
    	RunID string
    }

    var funcs = template.FuncMap{"shortRunID": func(id string) string { return id[:4] }}

    var inline = template.Must(template.New("x").Funcs(funcs).Parse(`{{.RunID}} run_id`))
''')
PAGE_TMPL = text('''
    {{define "page"}}<b data-run-id="{{.RunID}}">{{shortRunID .RunID}}</b>
    {{.FindByRunID}} {{/* the run */}}{{end}}
''')


def decided(tmp_path: Path, policy: str = "") -> list[tuple[str, str, str, str, str]]:
    root = tmp_path / "mod"
    (root / "templates").mkdir(parents=True)
    (root / "page.go").write_text(PAGE_GO)
    (root / "templates" / "page.gohtml").write_text(PAGE_TMPL)
    pol = parse_policy(POLICY + policy)
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol)
    return [(r.path, r.role, r.text, r.decision, r.target) for r in frame.itertuples()
            if r.role in R.TEMPLATE_ROLES]


def test_template_references_follow_the_go_names_they_read(tmp_path: Path) -> None:
    assert decided(tmp_path) == [
        ("page.go", R.TEMPLATE_FUNC_DECL, "shortRunID", "rename", "shortSessionID"),
        ("page.go", R.TEMPLATE_FIELD, "RunID", "rename", "SessionID"),
        ("templates/page.gohtml", R.TEMPLATE_TEXT, "data-run-id", "keep", "data-run-id"),
        ("templates/page.gohtml", R.TEMPLATE_FIELD, "RunID", "rename", "SessionID"),
        ("templates/page.gohtml", R.TEMPLATE_FUNC, "shortRunID", "rename", "shortSessionID"),
        ("templates/page.gohtml", R.TEMPLATE_FIELD, "RunID", "rename", "SessionID"),
        # no Go FindByRunID in the roots: declared elsewhere, so kept
        ("templates/page.gohtml", R.TEMPLATE_FIELD, "FindByRunID", "keep", "FindByRunID"),
    ]


def test_a_kept_field_keeps_its_template_references(tmp_path: Path) -> None:
    rule = '[[rule]]\nrole = "field_decl"\ndecision = "keep"\nrationale = "wire"\n'
    fields = [(path, role, decision) for path, role, t, decision, _ in decided(tmp_path, rule)
              if role == R.TEMPLATE_FIELD and t == "RunID"]
    assert fields == [("page.go", R.TEMPLATE_FIELD, "keep"),
                      ("templates/page.gohtml", R.TEMPLATE_FIELD, "keep"),
                      ("templates/page.gohtml", R.TEMPLATE_FIELD, "keep")]


def test_fields_decided_differently_leave_the_template_to_review(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    root.mkdir()
    (root / "a.go").write_text("package a\n\ntype A struct{ RunID string }\n")
    (root / "b.go").write_text("package a\n\ntype B struct{ RunID string }\n")
    (root / "a.tmpl").write_text("{{.RunID}}\n")
    pol = parse_policy(POLICY + '[[rule]]\npath = "b.go"\ndecision = "keep"\nrationale = "r"\n')
    frame = decide(scan([root], pol.spec).frame, pol)
    row = frame[frame.path == "a.tmpl"].iloc[0]
    assert (row.decision, row.decided_by) == ("review", "template")
    assert "a.go:3, b.go:3" in row.rationale


def test_a_funcmap_key_whose_new_name_is_taken_goes_to_review(tmp_path: Path) -> None:
    # Renamed, "shortRunID" became a second "shortSessionID" key: go build failed with
    # "duplicate key", and the template would have called the other function.
    root = tmp_path / "mod"
    root.mkdir()
    (root / "f.go").write_text(text('''
        package f

        import "html/template"

        var funcs = template.FuncMap{
        	"shortRunID":     func(s string) string { return s[:4] },
        	"shortSessionID": func(s string) string { return s[:6] },
        }

        var page = template.Must(template.New("").Funcs(funcs).Parse(`{{shortRunID .}}`))
    '''))
    pol = parse_policy(POLICY)
    inv = scan([root], pol.spec)
    frame = decide(inv.frame, pol, inv.roots)
    assert [(r.role, r.decision, r.decided_by) for r in frame.itertuples()] == [
        (R.TEMPLATE_FUNC_DECL, "review", "name-taken"),
        (R.TEMPLATE_FUNC, "review", "template"),
    ]
    assert frame.rationale.iloc[0].startswith("the FuncMap already has a function shortSessionID")


def test_an_action_between_other_delimiters_is_read_as_one() -> None:
    # Delims("[[", "]]") and the like: a field, a variable or a function named in such an
    # action is one; the same words in plain brackets of text, or other text, are not.
    from idrename.gotemplate import Template, delims_around

    data = b"[[ .RunID ]] <% $run.RunID %> [[ runID . ]] [[see RunID]] (RunID) {{ .Other }}"
    at = [data.index(word) for word in (b".RunID ]]", b".RunID %>", b"runID .", b"RunID]]",
                                        b"RunID)")]
    at[0], at[1] = at[0] + 1, at[1] + 1
    found = [delims_around(data, s, s + 5) for s in at]
    assert found == [(b"[[", b"]]"), (b"<%", b"%>"), (b"[[", b"]]"), None, None]
    ref = Template(data, (b"[[", b"]]")).reference(at[0], at[0] + 5)
    assert ref is not None and ref.role == R.TEMPLATE_FIELD and ref.owner == "."
    # lexed with the default delimiters, the same text holds no action there
    assert Template(data).reference(at[0], at[0] + 5) is None

"""Malformed policies and unusable roots: one line that names the file (and line) and says what
to do, raised before anything is read for writing; the tree is never touched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idrename.decisions import check_overrides
from idrename.inventory import InputError, scan
from idrename.policy import PolicyError, load_policy, parse_policy

from ._support import BASE_POLICY, assert_tree, go, one_line, snapshot, write_tree

HEAD = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'
SOURCE = go("""
    package a

    type Conversation struct {
    	RunID string
    }
    """)

CASES = {
    "unknown top-level key": (
        HEAD + "\n[renames]\nx = 1\n", 5, "renames",
        "unknown key 'renames' at the top level; did you mean 'rename'?"),
    "unknown key in a rule": (
        HEAD + '\n[[rule]]\nrole = "field_decl"\ndecison = "keep"\nrationale = "r"\n', 7,
        "rule[1].decison", "unknown key 'decison' in [[rule]]; did you mean 'decision'?"),
    "wrong type: skip": (
        HEAD + '\n[inventory]\nskip = "vendor"\n', 6, "inventory.skip",
        'expected an array of strings, got a string; write skip = [".git", "vendor"]'),
    "wrong type: from": (
        '[rename]\nfrom = 3\nto = "SessionID"\n', 2, "rename.from",
        'expected a string, got an integer; write a Go name such as "RunID"'),
    "wrong type: is_test": (
        HEAD + '\n[[rule]]\nis_test = "yes"\ndecision = "keep"\nrationale = "r"\n', 6,
        "rule[1].is_test", "expected a boolean, got a string; write is_test = true"),
    "unknown decision": (
        HEAD + '\n[defaults]\nfield_decl = "renam"\n', 6, "defaults.field_decl",
        "unknown decision 'renam'; did you mean 'rename'?"),
    "target not a Go identifier": (
        HEAD + '\n[[rule]]\nrole = "field_decl"\ndecision = "rename"\ntarget = "Session-ID"\n'
        'rationale = "r"\n', 8, "rule[1].target",
        "'Session-ID' is not a Go identifier; this rule can match Go identifiers: give a Go name"),
    "target is a keyword": (
        HEAD + '\n[[rule]]\nrole = ["local_decl", "local_use"]\ndecision = "rename"\n'
        'target = "func"\nrationale = "r"\n', 8, "rule[1].target", "'func' is a Go keyword"),
    "new term is a keyword": (
        '[rename]\nfrom = "RunID"\nto = "type"\n', 3, "rename.to",
        "'type' is a Go keyword; give the term as a Go name"),
    "override path escapes the root": (
        HEAD + '\n[[override]]\nid = "0123456789ab"\ndecision = "keep"\npath = "../other/x.go"\n'
        'rationale = "r"\n', 8, "override[1].path",
        "'../other/x.go' leaves the analysed root through '..'; give the path relative to the "
        "analysed root"),
    "override path is absolute": (
        HEAD + '\n[[override]]\nid = "0123456789ab"\ndecision = "keep"\npath = "/etc/x.go"\n'
        'rationale = "r"\n', 8, "override[1].path", "'/etc/x.go' is absolute"),
    "section escapes the root": (
        HEAD + '\n[sections]\n"../x" = "y"\n', 6, 'sections."../x"',
        "'../x' leaves the analysed root through '..'"),
    "TOML syntax error": (
        '[rename]\nfrom = "RunID\nto = "SessionID"\n', 2, "toml",
        "syntax error: Illegal character"),
}


@pytest.fixture
def tree(tmp_path: Path):
    root = write_tree(tmp_path / "mod", {"a.go": SOURCE})
    before = snapshot(root)
    yield tmp_path, root
    assert_tree(snapshot(root), before)


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_policy_is_one_line_with_file_and_line(tree, ledger, case: str) -> None:
    tmp_path, _root = tree
    text, line, key, says = CASES[case]
    path = tmp_path / "policy.toml"
    path.write_text(text)
    ledger.fault()
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    message = one_line(str(err.value))
    assert message.startswith(f"{path}:{line}: {key}: "), message
    assert says in message
    assert (err.value.file, err.value.line, err.value.key) == (str(path), line, key)
    assert err.value.fix  # always says what to do


def test_policy_that_is_not_utf8(tree, ledger) -> None:
    tmp_path, _root = tree
    path = tmp_path / "policy.toml"
    path.write_bytes(HEAD.encode() + b"# caf\xe9\n")
    ledger.fault()
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert one_line(str(err.value)).startswith(f"{path}:1: file: not UTF-8")
    assert str(err.value).endswith("save it as UTF-8")


def _ids(root: Path) -> list[str]:
    inv = scan([root], parse_policy(BASE_POLICY).spec)
    return list(inv.frame["id"])


def test_override_id_that_matches_nothing(tree, ledger) -> None:
    tmp_path, root = tree
    (real,) = _ids(root)
    path = tmp_path / "policy.toml"
    path.write_text(HEAD + f'\n[[override]]\nid = "{real}"\ndecision = "keep"\nrationale = "r"\n'
                    '\n[[override]]\nid = "ffffffffffff"\ndecision = "keep"\nrationale = "r"\n'
                    f'\n[[override]]\nid = "{real}x"\ndecision = "keep"\npath = "b.go"\n'
                    'rationale = "r"\n')
    ledger.fault(2)
    policy = load_policy(path)
    inv = scan([root], policy.spec)
    errors = check_overrides(inv.frame, policy)
    assert [one_line(str(e)) for e in errors] == [
        f"{path}:10: override[2].id: id 'ffffffffffff' matches no occurrence in the inventory; "
        "remove this [[override]], or take the current id from a fresh inventory",
        f"{path}:15: override[3].id: id '{real}x' matches no occurrence in the inventory; "
        "remove this [[override]], or take the current id from a fresh inventory",
    ]


def test_override_target_that_cannot_name_a_go_identifier(tree, ledger) -> None:
    tmp_path, root = tree
    (real,) = _ids(root)
    path = tmp_path / "policy.toml"
    path.write_text(HEAD + f'\n[[override]]\nid = "{real}"\ndecision = "rename"\n'
                    'target = "range"\nrationale = "r"\n')
    ledger.fault()
    policy = load_policy(path)
    (error,) = check_overrides(scan([root], policy.spec).frame, policy)
    assert one_line(str(error)) == (
        f"{path}:5: override[1].target: 'range' is a Go keyword; occurrence {real} is a Go "
        "field_decl: give a Go name")


def test_roots_that_overlap(tree, ledger) -> None:
    tmp_path, root = tree
    write_tree(root, {"sub/b.go": SOURCE})
    ledger.fault()
    with pytest.raises(InputError) as err:
        scan([root, root / "sub"], parse_policy(BASE_POLICY).spec)
    assert one_line(str(err.value)) == (
        f"the roots {root} and {root / 'sub'} overlap: give each tree once (files would be "
        "counted twice)")
    (root / "sub" / "b.go").unlink()
    (root / "sub").rmdir()
    with pytest.raises(InputError, match="overlap"):
        scan([root, tmp_path / "mod"], parse_policy(BASE_POLICY).spec)


def test_root_that_does_not_exist(tree, ledger) -> None:
    tmp_path, root = tree
    ledger.fault()
    missing = tmp_path / "nope"
    with pytest.raises(InputError) as err:
        scan([root, missing], parse_policy(BASE_POLICY).spec)
    assert one_line(str(err.value)) == (
        f"the root {missing} does not exist: give the folder of a Go tree")


def test_root_that_is_a_file(tree, ledger) -> None:
    _tmp_path, root = tree
    ledger.fault()
    with pytest.raises(InputError) as err:
        scan([root / "a.go"], parse_policy(BASE_POLICY).spec)
    assert one_line(str(err.value)) == (
        f"the root {root / 'a.go'} is a file, not a folder: give the folder it is in")
    assert re.search(r"\ba\.go\b", str(err.value))

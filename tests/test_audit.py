"""`idrename audit` on a Go tree built on the fly: a complete record, and the tree untouched."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from idrename import gotool
from idrename.cli import main

FILES = {
    "go.mod": "module example.com/accounts\n\ngo 1.22\n",
    "user/user.go": textwrap.dedent('''\
        package user

        import "log/slog"

        // User is an account holder; UserID is its primary key.
        type User struct {
        	UserID string `json:"user_id"`
        	Name   string `json:"name"`
        }

        // FindByUserID returns the user with that id.
        func FindByUserID(users []User, userID string) (User, bool) {
        	for _, u := range users {
        		if u.UserID == userID {
        			slog.Info("found", "user_id", userID)
        			return u, true
        		}
        	}
        	return User{}, false
        }
        '''),
    "user/user_test.go": textwrap.dedent('''\
        package user

        import "testing"

        func TestFindByUserID(t *testing.T) {
        	if _, ok := FindByUserID([]User{{UserID: "u1"}}, "u1"); !ok {
        		t.Fatal("not found")
        	}
        }
        '''),
}


@pytest.mark.skipif(gotool.find_toolchain() is None, reason="no Go toolchain")
def test_audit_on_another_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "accounts"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    out = tmp_path / "record"
    assert main(["audit", str(root), "--from", "UserID", "--to", "AccountID", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "report:" in printed and "occurrences of the family" in printed
    # The analysed tree is untouched: same files, same bytes.
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    for name in ("01_inventory", "02_naming_policy", "03_compat_analysis", "04_patch_application"):
        assert (out / f"{name}.ipynb").is_file()
    tables = out / "tables"
    inventory = pd.read_csv(tables / "inventory.csv")
    assert set(inventory["text"]) >= {"UserID", "userID", "user_id", "FindByUserID"}
    assert (tables / "inventory.parquet").is_file() and (tables / "contracts.csv").is_file()
    assert "+func FindByAccountID" in (tables / "rename.diff").read_text()
    verification = json.loads((tables / "verification.json").read_text())
    assert verification["ok"], verification
    report = (out / "report.html").read_text()
    assert "idrename audit record" in report and "<script" not in report
    assert str(root) not in report.split("# Parameters", 1)[0]

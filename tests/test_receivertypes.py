"""What a function's syntax tells of a receiver's type (idrename.receivertypes), on Go text."""

from __future__ import annotations

import pytest

from idrename.gosyntax import parse
from idrename.receivertypes import receiver_type

BODY = """\
package a

func f(p *pkg.Param, x any) {
	a := new(pkg.T)
	b := &pkg.U{}
	c := V{}
	d := new(W)
	e, ok := x.(*pkg.X)
	var g pkg.G
	h := pkg.H(x)
	_, _, _, _, _, _, _, _, _ = a.RunID, b.RunID, c.RunID, d.RunID, e.RunID, g.RunID, h.RunID, p.RunID, ok
	var y = compute()
	_ = y.RunID
}
"""


@pytest.mark.parametrize(("receiver", "expected"), [
    ("a", ("", "pkg", "T")),  # new(pkg.T)
    ("b", ("", "pkg", "U")),  # &pkg.U{}
    ("c", ("", "", "V")),  # V{}
    ("d", ("", "", "W")),  # new(W)
    ("e", ("", "pkg", "X")),  # e, ok := x.(*pkg.X)
    ("g", ("", "pkg", "G")),  # var g pkg.G
    ("h", ("", "pkg", "H")),  # a conversion (or a call: the package tells)
    ("p", ("", "pkg", "Param")),  # a parameter
    ("y", None),  # a local function's result: not told
])
def test_the_receiver_type_the_function_says(receiver: str, expected: object) -> None:
    data = BODY.encode()
    at = data.index(f" {receiver}.RunID".encode()) + len(receiver) + 2
    assert receiver_type(parse(data), at, lambda *asked: None) == expected

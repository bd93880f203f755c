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
    ("y", ("", "", "compute()#0")),  # a function of the package: its declaration tells
])
def test_the_receiver_type_the_function_says(receiver: str, expected: object) -> None:
    data = BODY.encode()
    at = data.index(f" {receiver}.RunID".encode()) + len(receiver) + 2
    assert receiver_type(parse(data), at, lambda *asked: None) == expected


RESULTS = """\
package a

func f(sources influxql.Sources, c *pkg.Client) {
	for _, mm := range sources.Measurements() {
		_ = mm.RunID
	}
	r := c.Result()
	_ = r.RunID
	for _, x := range pkg.List() {
		_ = x.RunID
	}
	local := newLocal()
	_ = local.RunID
}
"""


@pytest.mark.parametrize(("receiver", "expected"), [
    # a method's result, of the type the function declares its receiver with; ranged over
    ("mm", ("", "influxql", "Sources.Measurements()#0[]")),
    ("r", ("", "pkg", "Client.Result()#0")),
    # a package's function's result, ranged over
    ("x", ("", "pkg", "List()#0[]")),
    # a function of the file's own package: its result is of that package (never outside)
    ("local", ("", "", "newLocal()#0")),
])
def test_results_of_methods_and_functions(receiver: str, expected: object) -> None:
    # The package tells what those results are (outsideiface reads its declarations).
    data = RESULTS.encode()
    at = data.index(f" {receiver}.RunID".encode()) + len(receiver) + 2
    assert receiver_type(parse(data), at, lambda *asked: None) == expected


def test_a_method_s_result_type_from_its_declaration() -> None:
    from idrename.receivertypes import result_type

    source = (b"package influxql\n\ntype Sources []Source\n\n"
              b"func (a Sources) Measurements() []*Measurement { return nil }\n\n"
              b"func (c *Client) Pair() (x int, m *Measurement) { return 0, nil }\n")
    assert result_type(source, "Sources.Measurements", 0) == ("", "[]Measurement")
    assert result_type(source, "Client.Pair", 1) == ("", "Measurement")
    assert result_type(source, "Other.Measurements", 0) is None
    assert result_type(source, "Measurements", 0) is None  # a method is no function


def test_elements_of_named_container_types() -> None:
    # InfluxDB's `func (a TagKeysSlice) Less(i, j int) bool { return a[i].Measurement < ... }`:
    # the element of a named slice type is what its declaration says, which the package tells.
    from idrename.receivertypes import element_type

    src = b"""package a
func (a TagKeysSlice) Less(i, j int) bool { return a[i].RunID < a[j].RunID }
func f(s pkg.Sources) { for _, x := range s { _ = x.RunID } }
"""
    tree = parse(src)
    at = [src.index(b"a[i].RunID") + 5, src.index(b"x.RunID") + 2]
    assert [receiver_type(tree, a, lambda *asked: None) for a in at] == [
        ("", "", "TagKeysSlice[]"), ("", "pkg", "Sources[]")]
    declared = b"package p\n\ntype Sources []*Source\n\ntype M map[string]pkg.V\n\ntype N int\n"
    assert element_type(declared, "Sources") == ("", "Source")
    assert element_type(declared, "M") == ("pkg", "V")
    assert element_type(declared, "N") is None

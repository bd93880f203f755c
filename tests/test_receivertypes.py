"""What a function's syntax tells of a receiver's type (idrename.receivertypes), on Go text."""

from __future__ import annotations

from pathlib import Path

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


VALUES = """\
package a

func f(s *Server, xs []*pkg.Item, m map[string]*pkg.Conf, next *Node) {
	v := s.client
	w := v
	first := xs[0]
	conf, ok := m["a"]
	db, err := s.client.Database("x")
	rp := s.client.Database("x").Policy()
	cut := xs[1:]
	p := &xs[0]
	next := next.parent
	_, _, _, _, _, _, _, _ = w.RunID, first.RunID, conf.RunID, db.RunID, rp.RunID, cut[0].RunID, p.RunID, ok
	_, _, _ = err, next.RunID, s.client.Database("y").RunID
}
"""


def _fields(where: str, qualifier: str, struct: str, field: str) -> tuple[str, str, str] | None:
    """Server.client is a *pkg.Client, declared in server.go; Node.parent a *Node."""
    return {("", "", "Server", "client"): ("server.go", "pkg", "Client"),
            ("", "", "Node", "parent"): ("node.go", "", "Node")}.get(
        (where, qualifier, struct, field))


def _results(where: str, qualifier: str, name: str) -> tuple[str, str, str] | None:
    """What the package pkg declares: Client.Database returns a *Database."""
    return {("server.go", "pkg", "Client.Database()#0"): ("/pkg/client.go", "", "Database")}.get(
        (where, qualifier, name))


@pytest.mark.parametrize(("receiver", "expected"), [
    ("w", ("server.go", "pkg", "Client")),  # w := v, v := s.client: a field's type
    ("first", ("", "pkg", "Item")),  # first := xs[0]
    ("conf", ("", "pkg", "Conf")),  # conf, ok := m["a"]: the map's value
    # db, err := s.client.Database("x"): a method of a field's type, told by its declaration
    ("db", ("server.go", "pkg", "Client.Database()#0")),
    # a method of that method's result: the declared result named first (results)
    ("rp", ("/pkg/client.go", "", "Database.Policy()#0")),
    ("cut[0]", ("", "pkg", "Item")),  # a slice of xs is of its type
    ("p", ("", "pkg", "Item")),  # &xs[0]
    # next := next.parent: the next on the right is the parameter (its scope ends there)
    ("next", ("node.go", "", "Node")),
    ('s.client.Database("y")', ("server.go", "pkg", "Client.Database()#0")),
])
def test_variables_typed_by_the_values_they_are_declared_with(receiver: str,
                                                             expected: object) -> None:
    # Seen on InfluxDB 1.6 (Measurement -> Metric, RetentionPolicy -> ExpiryPolicy):
    # `dbi := e.MetaClient.Database(name)`, `series := i.series[k]`, `db :=
    # c.cacheData.Database(database)` had untyped receivers, each an outside_method warning.
    data = VALUES.encode()
    at = data.index(f" {receiver}.RunID".encode()) + len(receiver) + 2
    assert receiver_type(parse(data), at, _fields, _results) == expected


def test_a_method_of_a_result_is_not_told_without_its_declaration() -> None:
    # Without what the declarations say (no results given), a result's method is not told,
    # nor is a variable declared untyped taken for a package's name (`v.M()` is no `pkg.F()`).
    data = VALUES.encode()
    at = data.index(b" rp.RunID") + 4
    assert receiver_type(parse(data), at, _fields) is None
    src = b"package a\nfunc f() {\n\tv := g\n\tr := v.Open(1)\n\t_ = r.RunID\n}\n"
    assert receiver_type(parse(src), src.index(b"r.RunID") + 2, _fields) is None


KEYS = """\
package a

func f(byName map[*syntax.Name]Object, xs []*pkg.Item) {
	uses := make(map[*syntax.Name]Object)
	for id := range uses {
		_ = id.RunID
	}
	for id, obj := range byName {
		_, _ = id.RunID, obj.RunID
	}
	for i := range xs {
		_ = i.RunID
	}
	lit := map[pkg.Key]int{}
	for k := range lit {
		_ = k.RunID
	}
}
"""


@pytest.mark.parametrize(("receiver", "nth", "expected"), [
    ("id", 0, ("", "syntax", "Name")),  # a key of a map made with make
    ("id", 1, ("", "syntax", "Name")),  # of a parameter declared with the map type
    ("obj", 0, ("", "", "Object")),
    ("i", 0, None),  # ranging over a slice: an index
    ("k", 0, ("", "pkg", "Key")),  # a map literal's
])
def test_the_keys_a_range_over_a_map_gives(receiver: str, nth: int, expected: object) -> None:
    # Seen on cmd/compile/internal/types2 (Pos -> Position): `for id, obj := range defs` with
    # `defs := make(map[*syntax.Name]Object)`, then `id.Pos()`.
    data = KEYS.encode()
    starts = [i for i in range(len(data)) if data.startswith(f" {receiver}.RunID".encode(), i)
              or data.startswith(f"({receiver}.RunID".encode(), i)]
    at = starts[nth] + len(receiver) + 2
    assert receiver_type(parse(data), at, lambda *asked: None) == expected


def test_the_result_of_an_interface_s_method() -> None:
    # `e.MetaClient.Database(name)` with `MetaClient MetaClient`, an interface of the roots.
    from idrename.receivertypes import declared_type, result_type

    source = (b"package coordinator\n\ntype MetaClient interface {\n"
              b"\tDatabase(name string) *meta.DatabaseInfo\n"
              b"\tPair() (int, []*Shard)\n}\n")
    assert result_type(source, "MetaClient.Database", 0) == ("meta", "DatabaseInfo")
    assert declared_type(source, "MetaClient.Pair()#1[]") == ("", "Shard")
    assert declared_type(source, "MetaClient.Pair()#1") == ("", "")  # a slice, no receiver
    assert declared_type(source, "MetaClient.Other()#0") is None


def test_fields_of_anonymous_and_embedded_structs(tmp_path: Path) -> None:
    # InfluxDB's `itr.keys.buf[itr.keys.i]` with `keys struct { buf []*series; i int }`.
    from idrename.receivertypes import StructFields

    (tmp_path / "inmem").mkdir()
    (tmp_path / "inmem" / "inmem.go").write_text(
        "package inmem\n\ntype iterator struct {\n\tkeys struct {\n\t\tbuf []*series\n"
        "\t\tnested *struct{ s pkg.S }\n\t}\n\t*Base\n\tpkg.Other\n}\n")
    fields = StructFields(tmp_path)
    assert fields.type_of("inmem/x.go", "iterator", "keys") == (
        "inmem/inmem.go", "", "iterator.keys")
    assert fields.type_of("inmem/x.go", "iterator.keys", "buf") == (
        "inmem/inmem.go", "", "[]series")
    assert fields.type_of("inmem/x.go", "iterator.keys.nested", "s") == (
        "inmem/inmem.go", "pkg", "S")
    assert fields.embedded_in("inmem", "iterator") == (
        "inmem/inmem.go", [("", "Base"), ("pkg", "Other")])
    assert fields.type_in("inmem", "iterator", "keys", clause="other") is None


FUNC_VALUES = """\
package a

func f(get func() *pkg.T, pair func(int) (int, *Local)) {
	mk := func() pkg.U { return pkg.U{} }
	var cb func() *pkg.V
	_, l := pair(2)
	_, _, _, _ = get().RunID, mk().RunID, cb().RunID, l.RunID
	s := &Server{}
	for k := range s.byName {
		_ = k.RunID
	}
}
"""


@pytest.mark.parametrize(("receiver", "expected"), [
    ("get()", ("", "pkg", "T")),  # a parameter of a func type
    ("mk()", ("", "pkg", "U")),  # a func literal's result
    ("cb()", ("", "pkg", "V")),  # a var of a func type
    ("l", ("", "", "Local")),  # the second result of one
    # a key of a map field: the struct's field, asked with KEY_OF
    ("k", ("server.go", "pkg", "Key")),  # (s := &Server{})
])
def test_results_of_func_values_and_keys_of_map_fields(receiver: str, expected: object) -> None:
    from idrename.receivertypes import KEY_OF

    def fields(where: str, qualifier: str, struct: str, field: str
               ) -> tuple[str, str, str] | None:
        asked = (where, qualifier, struct, field)
        return ("server.go", "pkg", "Key") if asked == ("", "", "Server", "byName" + KEY_OF) \
            else None

    data = FUNC_VALUES.encode()
    at = data.index(f" {receiver}.RunID".encode()) + len(receiver) + 2
    assert receiver_type(parse(data), at, fields) == expected

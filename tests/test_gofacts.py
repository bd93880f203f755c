"""Go facts for the compatibility analysis: Go text in, the facts each file gives out, and the
same merged facts whether they come from a pool, an executor, the cache or this process."""

from __future__ import annotations

import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from idrename import gofacts
from idrename.gofacts import GoFacts, file_facts
from idrename.spec import Spec

SPEC = Spec("RunID", "SessionID")

HANDLER = textwrap.dedent("""
    package api

    import (
    	"encoding/json"
    	"net/http"
    )

    type ChatRequest struct {
    	RunID   string `json:"run_id" db:"run_id"`
    	Message string `json:"message,omitempty"`
    	Meta
    }

    type ChatResponse struct {
    	Reply string `json:"reply"`
    }

    func Routes(mux *http.ServeMux, rt *Router) {
    	mux.HandleFunc("POST /api/chat", rt.handleChat)
    	mux.Handle("/api/lookup", http.HandlerFunc(rt.handleLookup))
    }

    func (rt *Router) handleChat(w http.ResponseWriter, r *http.Request) {
    	var req ChatRequest
    	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
    		return
    	}
    	resp := ChatResponse{Reply: "ok"}
    	_ = json.NewEncoder(w).Encode(resp)
    	body, _ := json.Marshal(&ChatResponse{})
    	var other ChatRequest
    	_ = json.Unmarshal(body, &other)
    	_ = RunInference(req.RunID)
    }
    """).lstrip()


def test_one_file_gives_its_structs_codecs_routes_and_tokens() -> None:
    structs, codecs, routes, tokens, fixed, *_ = file_facts("api/chat.go", HANDLER.encode(), "run")
    assert structs == (
        ("ChatRequest", (
            ("RunID", "string", (("json", "run_id"), ("db", "run_id"))),
            ("Message", "string", (("json", "message,omitempty"),)),
            ("", "Meta", ()),
        )),
        ("ChatResponse", (("Reply", "string", (("json", "reply"),)),)),
    )
    assert sorted(routes) == [("handleChat", "/api/chat"), ("handleLookup", "/api/lookup")]
    assert codecs == (
        ("ChatRequest", "decode", "request", 25, "handleChat", "json", -1),
        ("ChatResponse", "encode", "", 29, "handleChat", "json", -1),
        ("ChatResponse", "encode", "", 30, "handleChat", "json", -1),
        ("ChatRequest", "decode", "external", 32, "handleChat", "json", -1),
    )
    assert tokens == ("RunID", "RunInference", "run_id")
    assert fixed == ()


def test_declarations_without_facts_are_skipped_and_the_lines_stay_the_files() -> None:
    # Only the declarations that can hold a fact are parsed (idrename.godecls): the helpers
    # are not, and the codecs after them keep the file's own lines.
    helpers = textwrap.dedent("""
        func helper(n int) int {
        	return n * 2
        }

        var limit = 10

        """)
    src = HANDLER.replace("type ChatRequest struct", helpers + "type ChatRequest struct", 1)
    structs, codecs, *_ = file_facts("api/chat.go", src.encode(), "run")
    assert [name for name, _fields in structs] == ["ChatRequest", "ChatResponse"]
    lines = helpers.count("\n")
    assert [c[3] for c in codecs] == [25 + lines, 29 + lines, 30 + lines, 32 + lines]


def test_each_model_given_to_gorm_automigrate_is_a_store_site() -> None:
    src = textwrap.dedent("""\
        package store

        import "gorm.io/gorm"

        func migrate(db *gorm.DB) error {
        	return db.AutoMigrate(&Turn{}, &Step{}, new(Run))
        }
        """)
    _structs, codecs, *_ = file_facts("store/migrate.go", src.encode(), "run")
    assert [(c[0], c[1], c[3], c[4], c[5]) for c in codecs] == [
        ("Turn", "store", 6, "migrate", "gorm"), ("Step", "store", 6, "migrate", "gorm"),
        ("Run", "store", 6, "migrate", "gorm")]


def test_a_test_file_gives_only_its_tokens_and_its_own_coded_structs() -> None:
    # (and the loggers and JSON methods it declares, which it has none of); a struct it
    # declares itself and decodes is its own (idrename.localwire), not the package's
    facts = file_facts("api/chat_test.go", HANDLER.encode(), "run")
    assert facts[:7] == ((), (), (), ("RunID", "RunInference", "run_id"), (), (), ())
    [(start, _end, fields, sites, methods)] = facts[7]
    assert HANDLER.encode()[start:].startswith(b"struct {\n\tRunID   string")
    assert methods  # a package-level type of the test file: it can have methods
    assert [name for name, _type, _tags in fields] == ["RunID", "Message", ""]
    # decoded from the request (r.Body, of the handler's parameter), and from other bytes
    assert {(action, source) for _family, action, _line, source in sites} == {
        ("decode", "request"), ("decode", "external")}


LOCAL = textwrap.dedent("""\
    package toml

    import (
    	"encoding/json"
    	"testing"
    )

    type wire struct {
    	RunID string `toml:"run"`
    }

    func TestEncode(t *testing.T) {
    	type step struct{ RunID string }
    	var cfg struct {
    		Steps []step
    		Meta  struct{ RunID string }
    	}
    	_, _ = Marshal(&cfg)
    	var w wire
    	_ = json.Unmarshal(nil, &w)
    	other := struct{ Name string }{}
    	_, _ = json.Marshal(other)
    	cases := []struct{ RunID string }{}
    	_ = cases
    }

    func TestDecode(t *testing.T) {
    	var got []*wire
    	_ = json.Unmarshal(nil, &got)
    	var one *struct{ RunID string }
    	_ = json.Unmarshal(nil, &one)
    }
    """)


def test_a_test_file_gives_the_structs_its_codecs_code_with_those_they_carry_along() -> None:
    # The package's own bare Marshal codes toml (a package named after an encoding); a struct
    # without the term (other) or that no codec codes (cases) is not kept. Only the file's
    # package-level type (wire) can have methods.
    local = file_facts("toml/encode_test.go", LOCAL.encode(), "run")[7]
    data = LOCAL.encode()
    assert [(data[start:end].decode().split("\n")[0], fields, sites, methods)
            for start, end, fields, sites, methods in local] == [
        ("struct {", (("RunID", "string", (("toml", "run"),)),),
         (("json", "decode", 20, "external"), ("json", "decode", 29, "external")), True),
        ("struct{ RunID string }", (("RunID", "string", ()),), (("toml", "encode", 18, ""),),
         False),
        ("struct {", (("Steps", "[]step", ()), ("Meta", "struct{ RunID string }", ())),
         (("toml", "encode", 18, ""),), False),
        ("struct{ RunID string }", (("RunID", "string", ()),), (("toml", "encode", 18, ""),),
         False),
        ("struct{ RunID string }", (("RunID", "string", ()),),
         (("json", "decode", 31, "external"),), False),
    ]
    # a file of another package does not take bare calls for codecs
    other = LOCAL.replace("package toml", "package api").encode()
    assert [sites for *_span, _f, sites, _m in file_facts("api/a_test.go", other, "run")[7]] == [
        (("json", "decode", 20, "external"), ("json", "decode", 29, "external")),
        (("json", "decode", 31, "external"),)]


def test_the_structs_coded_in_their_file_are_merged_and_read_back_from_the_memo(
        tmp_path: Path) -> None:
    from idrename.memo import Inputs

    root = tmp_path / "b"
    (root / "toml").mkdir(parents=True)
    (root / "toml" / "encode_test.go").write_text(LOCAL)
    inputs = Inputs.of([root], ())
    scanned = GoFacts({"b": root}, SPEC).scan(["b"], cache=tmp_path / "c", inputs=inputs)
    at = LOCAL.index("Meta  struct{ RunID") + len("Meta  struct{ ")  # Meta's own field
    assert scanned.local_struct_at("b", "toml/encode_test.go", at)[2] == (
        ("RunID", "string", ()),)
    assert scanned.local_struct_at("b", "toml/encode_test.go", LOCAL.index("Steps")) is not None
    assert scanned.local_struct_at("b", "toml/encode_test.go", LOCAL.index("cases")) is None
    again = GoFacts({"b": root}, SPEC)
    assert again._read_back(["b"], tmp_path / "c", inputs)
    assert again.local_structs == scanned.local_structs


def test_a_file_gives_its_named_types_that_are_not_structs() -> None:
    # what a codec of such a type carries along to (GoFacts._propagate_codecs)
    src = b"""package todo

type List []item

type (
\tIndex map[string]*Entry
\tAdmin model.User // a defined type
\tRows  = [4]Row
)

type Status string

type Walker interface{ Walk() }

type Handler func(Run)

type Run struct{ RunID string }

func f() {
\ttype local []Run
}
"""
    assert file_facts("todo/list.go", src, "run")[6] == (
        ("List", "[]item"), ("Index", "map[string]*Entry"), ("Admin", "model.User"),
        ("Rows", "[4]Row"), ("Status", "string"))


def _tree(tmp_path: Path, copies: int) -> Path:
    root = tmp_path / "backend"
    for i in range(copies):
        folder = root / f"svc{i}"
        folder.mkdir(parents=True)
        (folder / "chat.go").write_text(HANDLER.replace("package api", f"package svc{i}"))
        (folder / "chat_test.go").write_text(f"package svc{i}\n\n// runSomething is a helper\n")
    return root


def _summary(facts: GoFacts) -> tuple[object, ...]:
    return (
        sorted((n, i.root, i.path, i.fields) for n, infos in facts.structs.items() for i in infos),
        sorted((c.type_name, c.action, c.source, c.site, c.function) for c in facts.codecs),
        sorted((h, sorted(r)) for h, r in facts.routes.items()),
        sorted(facts.vocabulary),
    )


def test_the_same_facts_from_a_pool_an_executor_the_cache_and_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, 6)
    cache = tmp_path / "cache"
    here = _summary(GoFacts({"b": root}, SPEC).scan(["b"], cache=False))
    assert "inference" in here[3] and ("ChatRequest", "decode", "request",
                                       "b/svc0/chat.go:25", "handleChat") in here[1]
    with ThreadPoolExecutor(2) as pool:
        assert _summary(GoFacts({"b": root}, SPEC).scan(["b"], executor=pool, cache=False)) == here
    monkeypatch.setattr(gofacts, "PARALLEL_MIN_FILES", 2)  # our own process pool
    assert _summary(GoFacts({"b": root}, SPEC).scan(["b"], cache=cache)) == here

    def fail(*_args: object) -> object:
        raise AssertionError("a cached file was read again")

    monkeypatch.setattr(gofacts, "file_facts", fail)
    assert _summary(GoFacts({"b": root}, SPEC).scan(["b"], cache=cache)) == here


def test_a_changed_file_is_read_again_and_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    root = _tree(tmp_path, 2)
    cache = tmp_path / "cache"
    GoFacts({"b": root}, SPEC).scan(["b"], cache=cache)
    path = root / "svc1" / "chat.go"
    path.write_text(path.read_text().replace("ChatResponse{Reply", "ChatReply{Reply"))
    facts = GoFacts({"b": root}, SPEC).scan(["b"], cache=cache)
    assert ("ChatReply", "encode", "", "b/svc1/chat.go:29", "handleChat") in _summary(facts)[1]
    for index in (cache / "inventory").iterdir():
        index.write_bytes(b"idrename-inventory-cache\n" + b"\0" * 40)
    again = GoFacts({"b": root}, SPEC).scan(["b"], cache=cache)
    assert _summary(again) == _summary(facts)


def test_stale_files_counts_what_a_scan_would_read(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from idrename import cache as cache_module
    from idrename.memo import Inputs

    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust a signature however recent
    root = tmp_path / "backend"
    root.mkdir()
    for name in ("a", "b", "c"):
        (root / f"{name}.go").write_text(
            f"package backend\n\ntype {name.upper()} struct {{\n\tRunID string `json:\"run_id\"`\n}}\n")
    spec, cache = Spec("RunID", "SessionID"), tmp_path / "cache"

    def fresh() -> GoFacts:
        return GoFacts({"backend": root}, spec)

    assert fresh().stale_files(["backend"], False) == 3  # no cache: every file is read
    assert fresh().stale_files(["backend"], cache) == 3
    scanned = fresh().scan(["backend"], cache=cache)
    assert fresh().stale_files(["backend"], cache) == 0
    (root / "b.go").write_text((root / "b.go").read_text() + "\n// edited\n")
    assert fresh().stale_files(["backend"], cache) == 1
    fresh().scan(["backend"], cache=cache, inputs=Inputs.of([root]))  # the merged facts kept
    again = fresh()
    assert again.stale_files(["backend"], cache, Inputs.of([root])) == 0  # read back whole
    assert again._indexes == {}  # no per-file cache opened
    assert again.scan(["backend"], cache=cache, inputs=Inputs.of([root])).structs.keys() == \
        scanned.structs.keys() == {"A", "B", "C"}


class _Recording(ThreadPoolExecutor):
    """A thread pool that counts the chunks of work it is given."""

    def __init__(self) -> None:
        super().__init__(2)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_a_started_scan_sends_the_files_out_at_once_and_the_scan_takes_what_they_gave(
        tmp_path: Path) -> None:
    root = _tree(tmp_path, 3)
    here = _summary(GoFacts({"b": root}, SPEC).scan(["b"], cache=False))
    with _Recording() as pool:
        facts = GoFacts({"b": root}, SPEC)
        facts.start(["b"], executor=pool, cache=False)
        sent = pool.submitted
        assert sent >= 1  # before the scan is asked for
        assert _summary(facts.scan(["b"], executor=pool, cache=False)) == here
        assert pool.submitted == sent  # nothing sent again
        # given up: a scan afterwards reads the files itself
        again = GoFacts({"b": root}, SPEC)
        again.start(["b"], executor=pool, cache=False)
        again.cancel()
        assert again._started is None
        assert _summary(again.scan(["b"], executor=pool, cache=False)) == here
        assert pool.submitted == 3 * sent
        # a scan of other roots, or with another cache, than the one started begins anew
        other = GoFacts({"b": root}, SPEC)
        other.start(["b"], executor=pool, cache=False)
        assert _summary(other.scan(["b"], executor=pool, cache=tmp_path / "cache")) == here
        assert pool.submitted == 5 * sent


@pytest.mark.parametrize("tree", ["fixture", "corpus"])
def test_facts_from_the_wanted_declarations_equal_those_of_the_whole_file(
        tree: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing only the declarations that can hold a fact (idrename.godecls) gives every file
    of the bundled fixture and of a generated tree the facts of a whole parse."""
    from idrename import corpus, godecls
    from idrename.gosyntax import parse

    if tree == "fixture":
        root = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "moments" / "backend"
    else:
        root = tmp_path / "backend"
        corpus.generate(root, files=60, lines_per_file=200, seed=7)
    files = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in sorted(root.rglob("*.go"))]
    assert len(files) >= 20
    partial = [file_facts(path, data, "run") for path, data in files]
    assert any(structs or codecs for structs, codecs, *_rest in partial)
    monkeypatch.setattr(godecls, "parse_wanted", lambda data, *_args, **_kw: parse(data))
    assert partial == [file_facts(path, data, "run") for path, data in files]


CODECS = textwrap.dedent("""
    package api

    import (
    	enc "encoding/json"
    	"encoding/gob"
    	"encoding/xml"
    	"io"

    	"github.com/BurntSushi/toml"
    	"github.com/gin-gonic/gin"
    	"github.com/hashicorp/go-msgpack/codec"
    	"github.com/vmihailenco/msgpack/v5"
    	"gopkg.in/yaml.v3"
    	k8syaml "sigs.k8s.io/yaml"
    )

    type T struct{ A string }

    func f(w io.Writer, r io.Reader, d *xml.Decoder, c *gin.Context, other Decoder) {
    	var t T
    	b, _ := enc.Marshal(t)
    	_ = enc.NewEncoder(w).Encode(t)
    	g := gob.NewEncoder(w)
    	_ = g.Encode(t)
    	var m = codec.NewDecoder(r, nil)
    	_ = m.Decode(&t)
    	_ = d.Decode(&t)
    	_ = yaml.Unmarshal(b, &t)
    	_ = k8syaml.Unmarshal(b, &t)
    	_, _ = toml.Decode(string(b), &t)
    	_, _ = msgpack.Marshal(&t)
    	c.JSON(200, t)
    	_ = c.ShouldBindJSON(&t)
    	_ = c.ShouldBind(&t)
    	_ = other.Decode(&t)
    }
    """).lstrip()


def test_each_codec_site_says_its_encoding_when_the_syntax_does() -> None:
    # the qualifier through the imports (renamed ones too), a constructor called in place, a
    # variable assigned from one, a parameter's type, gin's method names; "" for the others
    _structs, codecs, *_ = file_facts("api/codecs.go", CODECS.encode(), "a")
    assert [(c[3], c[5]) for c in codecs] == [
        (21, "json"), (22, "json"), (24, "gob"), (26, "codec"), (27, "xml"), (28, "yaml"),
        (29, "json"), (30, "toml"), (31, "msgpack"), (32, "json"), (33, "json"), (34, ""),
        (35, ""),
    ]


def test_fiber_reads_requests_into_a_binding_and_writes_one_argument() -> None:
    # fiber v2's BodyParser and v3's Bind().JSON and Bind().Body (in any encoding) read the
    # request; its one-argument JSON and XML write the response (gin's and echo's take the
    # status first)
    src = textwrap.dedent("""
        package api

        import "github.com/gofiber/fiber/v2"

        type T struct {
        	RunID string `json:"run_id"`
        }

        func h(c *fiber.Ctx) error {
        	var t T
        	_ = c.BodyParser(&t)
        	_ = c.Bind().JSON(&t)
        	_ = c.XML(t)
        	_ = c.Bind().Body(&t)
        	return c.JSON(t)
        }
        """).lstrip()
    _structs, codecs, *_ = file_facts("api/h.go", src.encode(), "a")
    assert [(c[0], c[1], c[2], c[3], c[5]) for c in codecs] == [
        ("T", "decode", "request", 11, ""), ("T", "decode", "request", 12, "json"),
        ("T", "encode", "", 13, "xml"), ("T", "decode", "request", 14, ""),
        ("T", "encode", "", 15, "json")]


def test_facts_cached_in_an_older_shape_are_read_again_not_misread(tmp_path: Path) -> None:
    # An entry (or merged facts in the memo) written before codecs said their encoding has
    # codecs of five values (seven merged): it is computed again, never taken as it is.
    from idrename.memo import Inputs

    root = _tree(tmp_path, 1)
    cache = tmp_path / "cache"
    facts = GoFacts({"b": root}, SPEC)
    index = facts._index("b", cache)
    for path in facts.go_files("b"):
        data = (root / path).read_bytes()
        now = file_facts(path, data, SPEC.first_word)
        old = (now[0], tuple(c[:5] for c in now[1]), now[2], now[3])
        st = (root / path).stat()
        index.put(path, index.key(path, data), old, index.signature(st))
    index.save()
    scanned = GoFacts({"b": root}, SPEC).scan(["b"], cache=cache)
    assert {c.family for c in scanned.codecs} == {"json"}
    inputs = Inputs.of([root], ())
    plain = scanned._plain()
    plain["codecs"] = [c[:7] for c in plain["codecs"]]  # no family, no parameter
    assert GoFacts({"b": root}, SPEC)._restore(plain) is False
    again = GoFacts({"b": root}, SPEC).scan(["b"], cache=cache, inputs=inputs)
    assert {c.family for c in again.codecs} == {"json"}


def test_a_call_of_a_codec_wrapper_codes_the_type_it_passes(tmp_path: Path) -> None:
    # encodeMessage codes its interface{} parameter; send passes its own on (a wrapper too);
    # their calls in the folder code what they pass, at the call's site
    root = tmp_path / "b"
    (root / "wire").mkdir(parents=True)
    (root / "wire" / "codec.go").write_text(textwrap.dedent("""
        package wire

        import (
        	"bytes"

        	"github.com/hashicorp/go-msgpack/codec"
        )

        func encodeMessage(t byte, msg interface{}) ([]byte, error) {
        	buf := bytes.NewBuffer(nil)
        	err := codec.NewEncoder(buf, &codec.MsgpackHandle{}).Encode(msg)
        	return buf.Bytes(), err
        }

        func decodeMessage(buf []byte, out any) error {
        	return codec.NewDecoder(bytes.NewReader(buf), &codec.MsgpackHandle{}).Decode(out)
        }
        """).lstrip())
    (root / "wire" / "use.go").write_text(textwrap.dedent("""
        package wire

        type Join struct{ LTime uint64 }

        func (n *Node) send(kind byte, body interface{}) { _, _ = encodeMessage(kind, body) }

        func (n *Node) join() {
        	j := Join{LTime: 1}
        	n.send(1, &j)
        }

        func receive(buf []byte) {
        	var j Join
        	_ = decodeMessage(buf, &j)
        }
        """).lstrip())
    facts = GoFacts({"b": root}, Spec("LTime", "LamportTime")).scan(["b"], cache=False)
    assert sorted((c.type_name, c.action, c.site, c.family, c.function)
                  for c in facts.codecs_of("Join", "b/wire")) == [
        ("Join", "decode", "b/wire/use.go:14", "codec", "receive"),
        ("Join", "encode", "b/wire/use.go:9", "codec", "join"),
    ]


def write_tree(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(textwrap.dedent(text).lstrip())


def test_a_decoded_struct_carries_only_the_struct_types_an_encoder_sees(tmp_path: Path) -> None:
    # Found on InfluxDB 1.6: toml.Decode of the stress tool's Config reached client.Query
    # through `Template Query`, where stress's own Query is no struct (another package's
    # struct of that name was taken), and meta.Data through a Client's unexported `cacheData
    # *Data`; renamed fields of both were then said to change a TOML key.
    root = tmp_path / "b"
    write_tree(root, {
        "stress/config.go": """
            package stress

            import "github.com/BurntSushi/toml"

            type Query string

            type Config struct {
            	Template Query  `toml:"template"`
            	Client   Client `toml:"client"`
            	Shared
            }

            type Client struct {
            	cacheData *Data
            	Name      string
            }

            type Shared struct{ Owner Owner }

            type Owner struct{ NodeID uint64 }

            type Data struct{ MaxShardID uint64 }

            func Decode(s string) (*Config, error) {
            	c := &Config{}
            	_, err := toml.Decode(s, c)
            	return c, err
            }
            """,
        "client/query.go": """
            package client

            type Query struct{ NodeID uint64 }
            """,
    })
    facts = GoFacts({"b": root}, Spec("NodeID", "MemberID")).scan(["b"], cache=False)
    coded = {(name, folder): [c.site for c in facts.codecs_of(name, folder)]
             for name, folder in [("Query", "b/client"), ("Data", "b/stress"),
                                  ("Client", "b/stress"), ("Owner", "b/stress")]}
    assert coded == {("Query", "b/client"): [], ("Data", "b/stress"): [],
                     ("Client", "b/stress"): ["b/stress/config.go:26"],
                     ("Owner", "b/stress"): ["b/stress/config.go:26"]}


def test_a_function_named_like_a_key_value_log_method_with_fixed_parameters_is_a_fact() -> None:
    src = """package logstack

type Log struct{}

func (l Log) Info(op string,
	msg string) {}
func (l *Log) Error(msg string, kv ...any) {}
func Debug[T any](v T, msg string) {}
func Warn(f func(string), msg string) {}
func (l Log) Print(msg string) {}
"""
    *_rest, fixed, _methods, _named, _local = file_facts("logstack/log.go", src.encode(), "run")
    # the variadic Error is slog's shape; Warn's parameters hold parentheses: not read
    assert fixed == (("Info", 5, "func (l Log) Info(op string, msg string)", 2),
                     ("Debug", 8, "func Debug[T any](v T, msg string)", 2))
    # the count of parameters a call must match
    *_rest, fixed, _methods, _named, _local = file_facts(
        "logx/logx.go", b"package logx\n\nfunc Info() *Event { return nil }\n"
        b"func Warn(a, b, c string) {}\n", "run")
    assert [(name, count) for name, _line, _text, count in fixed] == [("Info", 0), ("Warn", 3)]


def test_a_method_of_an_interface_named_like_a_key_value_log_method_is_a_fact() -> None:
    src = """package logx

type Logger interface {
	Info(funcName, op, desc string)
	Error(msg string, kv ...any)
	// Warn(a, b string) in a comment is not a method
	Debug(msg string, fields map[string]any)
	With(args ...any) Logger
}

type Short interface{ Warn(msg string); Info(a, b string) }

type Empty interface{}

type G[T any] interface {
	Infow(a T, b string) error
}
"""
    *_rest, fixed, _methods, _named, _local = file_facts("logx/logx.go", src.encode(), "run")
    # the variadic Error and With are slog's shape
    assert fixed == (("Info", 4, "Logger interface: Info(funcName, op, desc string)", 3),
                     ("Debug", 7, "Logger interface: Debug(msg string, fields map[string]any)", 2),
                     ("Warn", 11, "Short interface: Warn(msg string)", 1),
                     ("Info", 11, "Short interface: Info(a, b string)", 2),
                     ("Infow", 16, "G interface: Infow(a T, b string)", 2))


def test_the_methods_encoding_json_calls_instead_of_the_tags_are_facts() -> None:
    src = """package run

func (r Run) MarshalJSON() ([]byte, error) { return nil, nil }
func (r *Run) UnmarshalJSON([]byte) error  { return nil }
func (Name) MarshalText() ([]byte, error)  { return nil, nil }
func (n *List[T]) UnmarshalText([]byte) error { return nil }
func (r Run) Marshal() ([]byte, error)     { return nil, nil }
"""
    *_rest, methods, _named, _local = file_facts("run/run.go", src.encode(), "run")
    assert methods == (("Run", "MarshalJSON", 3, False), ("Run", "UnmarshalJSON", 4, False),
                       ("Name", "MarshalText", 5, False), ("List", "UnmarshalText", 6, False))
    # test files declare methods too: a duplicate there breaks `go test`
    *_rest, methods, _named, _local = file_facts("run/run_test.go", src.encode(), "run")
    assert len(methods) == 4


def test_a_json_method_idrename_wrote_is_told_by_its_doc_comment() -> None:
    # (a file that only unmarshals says "Unmarshal", never "Marshal": it is read too)
    src = """package run

// UnmarshalJSON accepts the legacy "run_id" key when "session_id" is absent.
func (r *Run) UnmarshalJSON(b []byte) error { return nil }

// UnmarshalJSON accepts each legacy key when its new key is absent:
// "run_id" for "session_id", "conv_id" for "chat_id".
func (c *Chat) UnmarshalJSON(b []byte) error { return nil }

// UnmarshalJSON reads the lines of a dialogue.
func (n *NPC) UnmarshalJSON(b []byte) error { return nil }
"""
    *_rest, methods, _named, _local = file_facts("run/run.go", src.encode(), "run")
    assert methods == (("Run", "UnmarshalJSON", 4, True), ("Chat", "UnmarshalJSON", 8, True),
                       ("NPC", "UnmarshalJSON", 11, False))


def test_an_exported_wrapper_is_followed_into_the_packages_that_import_it(
        tmp_path: Path) -> None:
    # httpx.Decode(r, &in) in another package decodes CreateInput at the call's site; the
    # wrapper's own decoder is kept as ``via`` (it is where DisallowUnknownFields is set up).
    root = tmp_path / "b"
    write_tree(root, {
        "go.mod": "module example.com/habitat\n\ngo 1.21\n",
        "platform/httpx/httpx.go": """
            package httpx

            import (
            	"encoding/json"
            	"net/http"
            )

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

            	web "example.com/habitat/platform/httpx"
            )

            type CreateInput struct {
            	FullName string `json:"full_name"`
            }

            type decoder struct{}

            func (decoder) Decode(r *http.Request, dst any) error { return nil }

            func create(w http.ResponseWriter, r *http.Request) {
            	var in CreateInput
            	_ = web.Decode(r, &in)
            	var again CreateInput
            	_ = decoder{}.Decode(r, &again)
            }
            """,
        "tenant/handler_test.go": """
            package tenant

            import (
            	"net/http"
            	"testing"

            	"example.com/habitat/platform/httpx"
            )

            func TestDecode(t *testing.T) {
            	var in CreateInput
            	_ = httpx.Decode(&http.Request{}, &in)
            }
            """,
    })
    facts = GoFacts({"b": root}, Spec("FullName", "DisplayName")).scan(["b"], cache=False)
    assert sorted((c.action, c.site, c.function, c.via)
                  for c in facts.codecs_of("CreateInput", "b/tenant")) == [
        ("decode", "b/tenant/handler.go:19", "create", "b/platform/httpx/httpx.go:11"),
        # (a method of that name of another type: a codec by its name, as before)
        ("decode", "b/tenant/handler.go:21", "create", ""),
    ]
    assert facts.json_methods[("b/platform/httpx", "")] == {
        "DisallowUnknownFields": "b/platform/httpx/httpx.go:10"}

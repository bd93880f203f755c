"""Synthetic Go trees for benchmarks and scale tests, deterministic from a seed.

``generate(root, files=3000, lines_per_file=330)`` writes about ``files * lines_per_file`` lines of
Go: one module per ~150 files (a ``go.mod``, a zerolog-style ``logx`` stand-in package, no
third-party imports, so a tree builds offline), packages of 6 to 14 files holding structs with JSON
and db tags, stores behind interfaces, methods, SQL strings, HTTP handlers, zerolog-style and
``log/slog`` logging, doc comments, tests and a few generated (``.pb.go``) files.

Exactly ``round(files * family_share)`` of the ``.go`` files contain members of the old term's
family (``RunID`` fields and tags, ``FindConversationByRunID``, ``runID`` locals, ``run_id`` log
keys, SQL columns and query parameters, ``X-Run-ID`` headers, ``runIDs``); the other files use
neutral names (``TraceID``) and homonyms (``RunInference``, ``runLoop``, and ``RunIdleSince``,
which passes the inventory's prefilter but is not a member). Nothing in the tree collides with
the new term, so a plan for ``old -> new`` on it is clean.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .spec import INITIALISMS, Spec, split_words

GO_VERSION = "1.22"
LOGX_FILE = "logx/logx.go"

MODULE_NAMES = (
    "chat billing ledger search notify catalog identity payments routing media analytics "
    "scheduler gateway storage planner reports inbox pricing support tracking".split()
)
PACKAGE_NAMES = (
    "webchat store api events worker audit cache syncer export ingest metrics policy queue render "
    "tenant quota agent review archive feeds alerts graph index jobs mailer rules tasks profile "
    "billing ledger sinks adapters handlers middleware memory doclens teamchat artifact".split()
)
PACKAGE_PARENTS = ("internal", "pkg", "internal/app", "pkg/core")
NOUNS = (
    "Conversation Message Invoice Payment Order Ticket Document Artifact Summary Profile Account "
    "Report Upload Thread Prompt Turn Event Batch Shipment Review Comment Draft Template Channel "
    "Webhook Contract Quote Receipt Refund Subscription Plan Feature Rule Alert Incident "
    "Deployment Build Release Snapshot Backup Dataset Metric Dashboard Widget Segment Campaign "
    "Coupon Cart Wishlist Address Contact Lead Task Project Milestone Sprint Attachment "
    "Notification Digest Feed Bookmark Note Folder Workspace Member Invite Grant Certificate "
    "Domain Route Suggestion Extractor Forwarder Selector Buffer".split()
)
NEUTRAL_IDS = (
    "TraceID RequestID TenantID SpanID ShardID BatchID OwnerID ParentID CorrelationID DeviceID "
    "RegionID StreamID".split()
)
TABLE_SUFFIX = "s"


# -- names -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Names:
    """The spellings of one identifier (``RunID``): Go field, local, wire name, header, proto."""

    pascal: str  # RunID
    camel: str  # runID
    snake: str  # run_id
    upper: str  # RUN_ID
    header: str  # X-Run-ID
    proto: str  # RunId (protoc-gen-go's field name for run_id)

    @classmethod
    def of(cls, term: str) -> Names:
        words = [w.text for w in split_words(term)]
        lower = [w.lower() for w in words]
        pascal = "".join(w.upper() if w.lower() in INITIALISMS else w[:1].upper() + w[1:]
                         for w in words)
        camel = lower[0] + pascal[len(words[0]):]
        header_words = [w.upper() if w.lower() in INITIALISMS else w.title() for w in words]
        return cls(
            pascal=pascal,
            camel=camel,
            snake="_".join(lower),
            upper="_".join(w.upper() for w in words),
            header="X-" + "-".join(header_words),
            proto="".join(w.title() for w in lower),
        )


@dataclass(frozen=True)
class Homonyms:
    """Names that share the term's first word but are not family members."""

    inference: str  # RunInference
    loop: str  # runLoop
    idle: str  # RunIdle: passes the prefilter (run[_-]?id), words Run, Idle


def _homonyms(spec: Spec) -> Homonyms:
    words = [w.text for w in split_words(spec.old)]
    first = words[0][:1].upper() + words[0][1:].lower()
    rest = "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
    out = Homonyms(inference=f"{first}Inference", loop=f"{first.lower()}Loop",
                   idle=f"{first}{rest}le")
    for name in (out.inference, out.loop, out.idle):
        if spec.is_member(name) or spec.is_member(name + "Since"):
            raise ValueError(f"cannot make homonyms for {spec.old}: {name} is a member")
    return out


@dataclass
class CorpusInfo:
    """What :func:`generate` wrote (paths relative to the root, with ``/``)."""

    root: Path
    files: list[str] = field(default_factory=list)  # every .go file
    family_files: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)  # folders holding a go.mod
    lines: int = 0
    bytes: int = 0


# -- Go text helpers ---------------------------------------------------------------------------
def _go(text: str) -> str:
    """Go written with 4-space indents in this file -> tabs, as gofmt wants."""
    lines = text.strip("\n").split("\n")
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 4
        out.append("\t" * depth + stripped if stripped else "")
    return "\n".join(out) + "\n"


def _struct(name: str, rows: list[tuple[str, str, str]], indent: str = "") -> str:
    """A struct type whose fields (name, type, tag) are aligned the way gofmt aligns them."""
    wn = max(len(r[0]) for r in rows)
    wt = max(len(r[1]) for r in rows)
    body = []
    for fname, ftype, tag in rows:
        line = f"{indent}\t{fname.ljust(wn)} {ftype.ljust(wt) if tag else ftype}"
        if tag:
            line += f" `{tag}`"
        body.append(line.rstrip())
    return f"{indent}type {name} struct {{\n" + "\n".join(body) + f"\n{indent}}}\n"


def _kv_lines(pairs: list[tuple[str, str]], depth: int) -> str:
    """Lines ``key: value,`` of a multi-line composite literal, aligned as gofmt does."""
    width = max(len(k) for k, _ in pairs)
    tabs = "\t" * depth
    return "\n".join(f"{tabs}{k}:{' ' * (width - len(k) + 1)}{v}," for k, v in pairs)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _snake(name: str) -> str:
    return "_".join(w.text.lower() for w in split_words(name))


@dataclass
class Block:
    text: str
    imports: frozenset[str] = frozenset()


@dataclass
class _File:
    """Per-file generation context."""

    pkg: str
    noun: str
    ids: Names  # the entity's id field: the family's names or neutral ones
    family: bool
    homonyms: Homonyms
    logx: str  # import path of the module's logx package
    rng: random.Random

    @property
    def n(self) -> str:  # lower-case words for prose
        return " ".join(w.text.lower() for w in split_words(self.noun))

    @property
    def table(self) -> str:
        return _snake(self.noun) + TABLE_SUFFIX


# -- source blocks -----------------------------------------------------------------------------
def _entity(f: _File) -> Block:
    i = f.ids
    doc = f"// {f.noun} is one {f.n} as the {f.pkg} service stores it; {i.pascal} ties it to its\n"
    doc += "// owner's session.\n"
    rows = [
        ("ID", "string", 'json:"id" db:"id"'),
        (i.pascal, "string", f'json:"{i.snake}" db:"{i.snake}"'),
        ("Owner", "string", 'json:"owner,omitempty" db:"owner"'),
        ("CreatedAt", "time.Time", 'json:"created_at" db:"created_at"'),
        ("Turns", "int", 'json:"turns" db:"turns"'),
        ("Labels", "map[string]string", 'json:"labels,omitempty" db:"-"'),
    ]
    methods = _go(f"""
// Key returns the {f.n}'s lookup key.
func (c *{f.noun}) Key() string {{
    return c.ID + "/" + c.{i.pascal}
}}

// Validate reports the first missing field.
func (c *{f.noun}) Validate() error {{
    if c.ID == "" {{
        return errors.New("{f.n}: missing id")
    }}
    if c.{i.pascal} == "" {{
        return fmt.Errorf("{f.n} %s: missing {i.snake}", c.ID)
    }}
    return nil
}}
""")
    return Block(doc + _struct(f.noun, rows) + "\n" + methods,
                 frozenset({"time", "errors", "fmt"}))


def _store(f: _File) -> Block:
    i, N = f.ids, f.noun
    find = f"Find{N}By{i.pascal}"
    text = _go(f"""
// {N}Store finds and keeps {f.n}s.
type {N}Store interface {{
    // {find} looks a {f.n} up by its {i.pascal}.
    {find}({i.camel} string) (*{N}, bool)
    Put(ctx context.Context, c *{N}) error
    Delete(id string) bool
}}

// memory{N}Store keeps {f.n}s in a map; safe for concurrent use.
type memory{N}Store struct {{
    mu    sync.Mutex
    items map[string]*{N}
}}

var _ {N}Store = (*memory{N}Store)(nil)

// newMemory{N}Store returns an empty store.
func newMemory{N}Store() *memory{N}Store {{
    return &memory{N}Store{{items: map[string]*{N}{{}}}}
}}

// {find} looks a {f.n} up by its {i.snake}.
func (s *memory{N}Store) {find}({i.camel} string) (*{N}, bool) {{
    s.mu.Lock()
    defer s.mu.Unlock()
    c, ok := s.items[{i.camel}]
    return c, ok
}}

// Put stores c under its {i.pascal}, replacing an older entry.
func (s *memory{N}Store) Put(ctx context.Context, c *{N}) error {{
    if err := c.Validate(); err != nil {{
        return err
    }}
    if err := ctx.Err(); err != nil {{
        return err
    }}
    s.mu.Lock()
    s.items[c.{i.pascal}] = c
    s.mu.Unlock()
    logx.Info().Str("{i.snake}", c.{i.pascal}).Str("id", c.ID).Int("turns", c.Turns).Msg("stored {f.n}")
    return nil
}}

// Delete removes the {f.n} with the given id.
func (s *memory{N}Store) Delete(id string) bool {{
    s.mu.Lock()
    defer s.mu.Unlock()
    for k, c := range s.items {{
        if c.ID == id {{
            delete(s.items, k)
            logx.Debug().Str("{i.snake}", k).Msg("deleted {f.n}")
            return true
        }}
    }}
    return false
}}
""")
    return Block(text, frozenset({"context", "sync", f.logx}))


def _sql(f: _File) -> Block:
    i, N = f.ids, f.noun
    text = _go(f"""
const select{N}SQL = `SELECT id, {i.snake}, owner, created_at, turns
FROM {f.table}
WHERE {i.snake} = $1`

const insert{N}SQL = `INSERT INTO {f.table} (id, {i.snake}, owner, created_at, turns)
VALUES ($1, $2, $3, $4, $5)`

// load{N} reads one {f.n} by {i.snake}.
func load{N}(ctx context.Context, db *sql.DB, {i.camel} string) (*{N}, error) {{
    c := &{N}{{}}
    row := db.QueryRowContext(ctx, select{N}SQL, {i.camel})
    if err := row.Scan(&c.ID, &c.{i.pascal}, &c.Owner, &c.CreatedAt, &c.Turns); err != nil {{
        return nil, fmt.Errorf("load {f.n} %s: %w", {i.camel}, err)
    }}
    return c, nil
}}

// save{N} writes one {f.n}.
func save{N}(ctx context.Context, db *sql.DB, c *{N}) error {{
    _, err := db.ExecContext(ctx, insert{N}SQL, c.ID, c.{i.pascal}, c.Owner, c.CreatedAt, c.Turns)
    return err
}}
""")
    return Block(text, frozenset({"context", "database/sql", "fmt"}))


def _handler(f: _File) -> Block:
    i, N = f.ids, f.noun
    body = _kv_lines([('"id"', "c.ID"), (f'"{i.snake}"', f"c.{i.pascal}"),
                      ('"turns"', "c.Turns")], 3)
    text = _go(f"""
// handle{N}Get serves GET /{f.table}?{i.snake}=... (or the {i.header} header).
func handle{N}Get(store {N}Store) http.HandlerFunc {{
    return func(w http.ResponseWriter, r *http.Request) {{
        {i.camel} := r.URL.Query().Get("{i.snake}")
        if {i.camel} == "" {{
            {i.camel} = r.Header.Get("{i.header}")
        }}
        c, ok := store.Find{N}By{i.pascal}({i.camel})
        if !ok {{
            http.Error(w, "unknown {i.snake}", http.StatusNotFound)
            return
        }}
        w.Header().Set("{i.header}", c.{i.pascal})
        w.Header().Set("Content-Type", "application/json")
        _ = json.NewEncoder(w).Encode(map[string]any{{
@@BODY@@
        }})
    }}
}}
""").replace("@@BODY@@", body)
    return Block(text, frozenset({"net/http", "encoding/json"}))


def _slog(f: _File) -> Block:
    i, N = f.ids, f.noun
    text = _go(f"""
// report{N} logs a summary line for c with log/slog.
func report{N}(logger *slog.Logger, c *{N}) {{
    logger.Info("{f.n} loaded", "{i.snake}", c.{i.pascal}, "turns", c.Turns)
    if c.Turns == 0 {{
        logger.Warn("{f.n} is empty", slog.String("{i.snake}", c.{i.pascal}), slog.String("owner", c.Owner))
    }}
}}
""")
    return Block(text, frozenset({"log/slog"}))


def _engine(f: _File, j: int) -> Block:
    N, h = f.noun, f.homonyms
    text = _go(f"""
// {N}Engine{j} runs one inference over a {f.n}.
type {N}Engine{j} interface {{
    {h.inference}(ctx context.Context, prompt string) (string, error)
}}

// ask{N}{j} asks the engine once and trims the answer.
func ask{N}{j}(ctx context.Context, eng {N}Engine{j}, prompt string) (string, error) {{
    out, err := eng.{h.inference}(ctx, prompt)
    if err != nil {{
        return "", fmt.Errorf("inference: %w", err)
    }}
    return strings.TrimSpace(out), nil
}}
""")
    return Block(text, frozenset({"context", "fmt", "strings"}))


def _worker(f: _File, j: int) -> Block:
    N, n = f.noun, _lower_first(f.noun)
    text = _go(f"""
// {n}Worker{j} drains a queue of {f.n} keys.
type {n}Worker{j} struct {{
    queue chan string
    done  int
}}

// {f.homonyms.loop} handles keys until the queue closes or ctx ends; it returns how many it saw.
func (w *{n}Worker{j}) {f.homonyms.loop}(ctx context.Context) int {{
    for {{
        select {{
        case <-ctx.Done():
            return w.done
        case key, ok := <-w.queue:
            if !ok {{
                return w.done
            }}
            if key != "" {{
                w.done++
            }}
        }}
    }}
}}

// start{N}Worker{j} starts a worker on a fresh queue.
func start{N}Worker{j}(ctx context.Context, size int) (*{n}Worker{j}, chan<- string) {{
    w := &{n}Worker{j}{{queue: make(chan string, size)}}
    go w.{f.homonyms.loop}(ctx)
    return w, w.queue
}}
""")
    return Block(text, frozenset({"context"}))


def _idle(f: _File, j: int) -> Block:
    N = f.noun
    text = _go(f"""
// {f.homonyms.idle}Since{j} reports whether the {f.n} saw no turn for longer than d.
func (c *{N}) {f.homonyms.idle}Since{j}(now time.Time, d time.Duration) bool {{
    return now.Sub(c.CreatedAt) > d && c.Turns == 0
}}
""")
    return Block(text, frozenset({"time"}))


def _summarize(f: _File, j: int) -> Block:
    N = f.noun
    text = _go(f"""
// summarize{N}{j} counts the {f.n} labels by value, most frequent first.
func summarize{N}{j}(items []*{N}) []string {{
    counts := map[string]int{{}}
    for _, item := range items {{
        for _, v := range item.Labels {{
            counts[v]++
        }}
    }}
    keys := make([]string, 0, len(counts))
    for k := range counts {{
        keys = append(keys, k)
    }}
    sort.Slice(keys, func(a, b int) bool {{
        if counts[keys[a]] != counts[keys[b]] {{
            return counts[keys[a]] > counts[keys[b]]
        }}
        return keys[a] < keys[b]
    }})
    return keys
}}
""")
    return Block(text, frozenset({"sort"}))


def _options(f: _File, j: int) -> Block:
    N, n = f.noun, _lower_first(f.noun)
    text = _go(f"""
// {n}Options{j} configures a {f.n} query.
type {n}Options{j} struct {{
    limit  int
    offset int
    owner  string
}}

// {N}Option{j} sets one query option.
type {N}Option{j} func(*{n}Options{j})

// With{N}Limit{j} caps the number of results.
func With{N}Limit{j}(limit int) {N}Option{j} {{
    return func(o *{n}Options{j}) {{ o.limit = limit }}
}}

// With{N}Owner{j} keeps the results of one owner.
func With{N}Owner{j}(owner string) {N}Option{j} {{
    return func(o *{n}Options{j}) {{ o.owner = owner }}
}}

func apply{N}Options{j}(opts ...{N}Option{j}) {n}Options{j} {{
    o := {n}Options{j}{{limit: 50}}
    for _, opt := range opts {{
        opt(&o)
    }}
    return o
}}
""")
    return Block(text)


def _states(f: _File, j: int) -> Block:
    N = f.noun
    text = _go(f"""
// {N}State{j} is where a {f.n} is in its life cycle.
type {N}State{j} int

const (
    {N}Pending{j} {N}State{j} = iota
    {N}Active{j}
    {N}Closed{j}
)

// String names the state.
func (s {N}State{j}) String() string {{
    switch s {{
    case {N}Pending{j}:
        return "pending"
    case {N}Active{j}:
        return "active"
    case {N}Closed{j}:
        return "closed"
    default:
        return "unknown"
    }}
}}
""")
    return Block(text)


def _retry(f: _File, j: int) -> Block:
    N = f.noun
    text = _go(f"""
// retry{N}{j} calls fn until it succeeds or attempts run out, doubling the pause each time.
func retry{N}{j}(ctx context.Context, attempts int, fn func() error) error {{
    pause := 10 * time.Millisecond
    var err error
    for i := 0; i < attempts; i++ {{
        if err = fn(); err == nil {{
            return nil
        }}
        select {{
        case <-ctx.Done():
            return ctx.Err()
        case <-time.After(pause):
        }}
        pause *= 2
    }}
    return fmt.Errorf("retry{N}{j}: %d attempts: %w", attempts, err)
}}
""")
    return Block(text, frozenset({"context", "time", "fmt"}))


def _normalize(f: _File, j: int) -> Block:
    N = f.noun
    text = _go(f"""
// normalize{N}Label{j} trims and lower-cases a label, dropping characters outside [a-z0-9-].
func normalize{N}Label{j}(s string) string {{
    s = strings.ToLower(strings.TrimSpace(s))
    var b strings.Builder
    for _, r := range s {{
        if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {{
            b.WriteRune(r)
        }}
    }}
    return b.String()
}}
""")
    return Block(text, frozenset({"strings"}))


def _group(f: _File, j: int) -> Block:
    i, N = f.ids, f.noun
    text = _go(f"""
// group{N}By{i.pascal}{j} indexes {f.n}s by {i.snake}; later entries win.
func group{N}By{i.pascal}{j}(items []*{N}) map[string]*{N} {{
    out := make(map[string]*{N}, len(items))
    for _, item := range items {{
        if item.{i.pascal} == "" {{
            continue
        }}
        out[item.{i.pascal}] = item
    }}
    return out
}}

// collect{N}{i.pascal}s{j} returns the distinct {i.pascal} values, sorted.
func collect{N}{i.pascal}s{j}(items []*{N}) []string {{
    seen := map[string]bool{{}}
    var {i.camel}s []string
    for _, item := range items {{
        if !seen[item.{i.pascal}] {{
            seen[item.{i.pascal}] = true
            {i.camel}s = append({i.camel}s, item.{i.pascal})
        }}
    }}
    sort.Strings({i.camel}s)
    return {i.camel}s
}}
""")
    return Block(text, frozenset({"sort"}))


def _constants(f: _File, j: int) -> Block:
    i, N = f.ids, f.noun
    names = [f"{N}{i.pascal}Env{j}", f"{N}TimeoutEnv{j}"]
    values = [f'"{f.pkg.upper()}_{i.upper}"', f'"{f.pkg.upper()}_TIMEOUT"']
    width = max(len(x) for x in names)  # gofmt aligns the `=` of a const block
    body = "\n".join(f"\t{a.ljust(width)} = {b}" for a, b in zip(names, values, strict=True))
    return Block(f"// Names of the {f.n} environment settings.\nconst (\n{body}\n)\n")


FILLERS: tuple[Callable[[_File, int], Block], ...] = (
    _summarize, _options, _states, _retry, _normalize, _group, _worker, _engine, _constants,
)


# -- files -------------------------------------------------------------------------------------
def _imports(paths: Iterable[str], module: str) -> str:
    paths = set(paths)
    std = sorted(p for p in paths if not p.startswith(module + "/"))
    local = sorted(p for p in paths if p.startswith(module + "/"))
    if not std and not local:
        return ""
    groups = [g for g in (std, local) if g]
    if len(paths) == 1:
        return f'import "{next(iter(paths))}"\n\n'
    body = "\n\n".join("\n".join(f'\t"{p}"' for p in g) for g in groups)
    return f"import (\n{body}\n)\n\n"


def _assemble(pkg: str, blocks: list[Block], module: str, header: str = "") -> str:
    imports: set[str] = set()
    for b in blocks:
        imports |= b.imports
    text = header + f"package {pkg}\n\n" + _imports(imports, module)
    return text + "\n".join(b.text for b in blocks)


def _lines(blocks: list[Block]) -> int:
    return sum(b.text.count("\n") + 1 for b in blocks)


def _source_file(f: _File, module: str, target: int) -> str:
    rng = f.rng
    blocks = [_entity(f), _store(f)]
    optional = [_sql, _handler, _slog]
    rng.shuffle(optional)
    for make in optional[: rng.randint(1, 3)]:
        blocks.append(make(f))
    if not f.family and rng.random() < 0.3:
        blocks.append(_idle(f, 1))
    j = 1
    while _lines(blocks) + 14 < target:
        blocks.append(rng.choice(FILLERS)(f, j))
        j += 1
    return _assemble(f.pkg, blocks, module)


def _test_file(f: _File, src: _File, module: str, target: int) -> str:
    """Tests for ``src``'s entity; uses its id field only when this file is a family file or
    the field is neutral."""
    N = src.noun
    may_use_field = f.family or not src.family
    blocks: list[Block] = []
    if may_use_field:
        i = src.ids
        blocks.append(Block(_go(f"""
func Test{N}Key(t *testing.T) {{
    c := &{N}{{ID: "a1", {i.pascal}: "s1"}}
    if got := c.Key(); got != "a1/s1" {{
        t.Fatalf("Key() = %q, want %q", got, "a1/s1")
    }}
}}

func TestMemory{N}StoreRoundTrip(t *testing.T) {{
    s := newMemory{N}Store()
    c := &{N}{{ID: "a1", {i.pascal}: "s1"}}
    if err := s.Put(context.Background(), c); err != nil {{
        t.Fatal(err)
    }}
    got, ok := s.Find{N}By{i.pascal}("s1")
    if !ok || got.ID != "a1" {{
        t.Fatalf("Find{N}By{i.pascal} = %v, %v", got, ok)
    }}
}}
"""), frozenset({"testing", "context"})))
    blocks.append(Block(_go(f"""
func Test{N}ValidateWantsAnID(t *testing.T) {{
    c := &{N}{{}}
    if err := c.Validate(); err == nil {{
        t.Fatal("Validate() = nil for an empty {src.n}")
    }}
}}
"""), frozenset({"testing"})))
    if f.family and not src.family:
        i = f.ids
        blocks.append(Block(_go(f"""
// Test{N}Log{i.pascal} checks that the {i.snake} log key survives a round trip.
func Test{N}Log{i.pascal}(t *testing.T) {{
    {i.camel} := "r-42"
    line := "{i.snake}=" + {i.camel}
    if !strings.HasSuffix(line, {i.camel}) {{
        t.Fatalf("line %q lost the {i.snake}", line)
    }}
    t.Logf("{i.snake}=%s", {i.camel})
}}
"""), frozenset({"testing", "strings"})))
    j = 1
    while _lines(blocks) + 8 < target:
        cases = [("empty", '""', "0"), ("one", '"a"', "1"), ("two", '"ab"', "2"),
                 ("word", f'"{src.n}"', str(len(src.n)))]
        rows = "\n".join(f'\t\t{{"{a}", {b}, {c}}},' for a, b, c in cases[: 2 + j % 3])
        blocks.append(Block(_go(f"""
func Test{N}Table{j}(t *testing.T) {{
    cases := []struct {{
        name string
        in   string
        want int
    }}{{
@@ROWS@@
    }}
    for _, tc := range cases {{
        t.Run(tc.name, func(t *testing.T) {{
            if got := len(normalizeTest{N}{j}(tc.in)); got != tc.want {{
                t.Errorf("len(%q) = %d, want %d", tc.in, got, tc.want)
            }}
        }})
    }}
}}

func normalizeTest{N}{j}(s string) string {{
    return strings.TrimSpace(s)
}}
""").replace("@@ROWS@@", rows), frozenset({"testing", "strings"})))
        j += 1
    return _assemble(f.pkg, blocks, module)


def _generated_file(f: _File, module: str, target: int) -> str:
    header = (
        "// Code generated by protoc-gen-go. DO NOT EDIT.\n"
        f"// source: {f.pkg}/{_snake(f.noun)}.proto\n\n"
    )
    i = f.ids
    blocks: list[Block] = []
    k = 1
    while _lines(blocks) + 10 < target:
        name = f"{f.noun}Event{k}"
        fields = [
            ("Id", "string", 'protobuf:"bytes,1,opt,name=id,proto3" json:"id,omitempty"'),
            (i.proto, "string",
             f'protobuf:"bytes,2,opt,name={i.snake},json={_lower_first(i.proto)},proto3" '
             f'json:"{i.snake},omitempty"'),
            ("Kind", "string", 'protobuf:"bytes,3,opt,name=kind,proto3" json:"kind,omitempty"'),
            ("Seq", "int64", 'protobuf:"varint,4,opt,name=seq,proto3" json:"seq,omitempty"'),
        ]
        text = f"// {name} is the wire form of a {f.n} event.\n" + _struct(name, fields)
        for fname, ftype, _tag in fields:
            zero = '""' if ftype == "string" else "0"
            text += "\n" + _go(f"""
func (x *{name}) Get{fname}() {ftype} {{
    if x != nil {{
        return x.{fname}
    }}
    return {zero}
}}
""")
        blocks.append(Block(text))
        k += 1
    return _assemble(f.pkg, blocks, module, header)


LOGX = _go("""
// Package logx is a small zerolog-style logger: chained fields, then a message.
package logx

import (
    "fmt"
    "io"
    "os"
    "strconv"
    "strings"
)

// Output receives every line; tests may swap it.
var Output io.Writer = os.Stderr

// Event is one log line under construction.
type Event struct {
    level  string
    fields []string
}

// Info starts an info line.
func Info() *Event { return &Event{level: "info"} }

// Debug starts a debug line.
func Debug() *Event { return &Event{level: "debug"} }

// Warn starts a warning line.
func Warn() *Event { return &Event{level: "warn"} }

// Error starts an error line.
func Error() *Event { return &Event{level: "error"} }

// Str adds a string field.
func (e *Event) Str(key, val string) *Event {
    e.fields = append(e.fields, key+"="+strconv.Quote(val))
    return e
}

// Int adds an integer field.
func (e *Event) Int(key string, val int) *Event {
    e.fields = append(e.fields, key+"="+strconv.Itoa(val))
    return e
}

// Err adds the error field.
func (e *Event) Err(err error) *Event {
    if err != nil {
        e.fields = append(e.fields, "error="+strconv.Quote(err.Error()))
    }
    return e
}

// Msg writes the line.
func (e *Event) Msg(msg string) {
    fmt.Fprintf(Output, "level=%s msg=%s %s\\n", e.level, strconv.Quote(msg), strings.Join(e.fields, " "))
}

// Msgf writes the line with a formatted message.
func (e *Event) Msgf(format string, args ...any) {
    e.Msg(fmt.Sprintf(format, args...))
}
""")


# -- the tree ----------------------------------------------------------------------------------
@dataclass
class _Slot:
    module: str  # folder of the module
    module_path: str  # Go module path
    path: str  # relative to the root
    kind: str  # source, test, generated, logx
    pkg: str = ""
    noun: str = ""
    pair: int = -1  # a test file's source slot


def _usable(words: Iterable[str], specs: list[Spec]) -> list[str]:
    return [w for w in words if not any(s.pattern.search(w.encode()) for s in specs)]


def _layout(files: int, rng: random.Random, nouns: list[str], packages: list[str],
            modules: list[str]) -> list[_Slot]:
    n_modules = max(1, math.ceil(files / 150))
    per_module = [files // n_modules + (1 if m < files % n_modules else 0) for m in range(n_modules)]
    slots: list[_Slot] = []
    for m, count in enumerate(per_module):
        name = modules[m % len(modules)] + (f"{m // len(modules) + 1}" if m >= len(modules) else "")
        folder = f"svc-{name}"
        mod_path = f"example.com/{name}"
        slots.append(_Slot(folder, mod_path, f"{folder}/{LOGX_FILE}", "logx"))
        remaining = count - 1
        p = 0
        used_pkgs: set[str] = set()
        while remaining > 0:
            size = min(remaining, rng.randint(6, 14))
            pkg = packages[(m * 7 + p) % len(packages)]
            parent = PACKAGE_PARENTS[p % len(PACKAGE_PARENTS)]
            while f"{parent}/{pkg}" in used_pkgs:
                parent += f"/{pkg[:2]}{p}"
            used_pkgs.add(f"{parent}/{pkg}")
            pkg_nouns = rng.sample(nouns, size)
            start = len(slots)
            n_gen = 1 if size >= 8 and rng.random() < 0.25 else 0
            n_test = (size - n_gen) // 3
            n_src = size - n_gen - n_test
            for k in range(n_src):
                noun = pkg_nouns[k]
                slots.append(_Slot(folder, mod_path, f"{folder}/{parent}/{pkg}/{_snake(noun)}.go",
                                   "source", pkg, noun))
            for k in range(n_test):
                src = start + k
                slots.append(_Slot(folder, mod_path,
                                   f"{folder}/{parent}/{pkg}/{_snake(slots[src].noun)}_test.go",
                                   "test", pkg, slots[src].noun, pair=src))
            for k in range(n_gen):
                noun = pkg_nouns[n_src + k]
                slots.append(_Slot(folder, mod_path,
                                   f"{folder}/{parent}/{pkg}/{_snake(noun)}.pb.go",
                                   "generated", pkg, noun))
            remaining -= size
            p += 1
    return slots


def generate(
    root: str | Path,
    *,
    files: int = 3000,
    lines_per_file: int = 330,
    family_share: float = 0.25,
    seed: int = 0,
    term: tuple[str, str] = ("RunID", "SessionID"),
) -> CorpusInfo:
    """Write a synthetic Go tree of ``files`` ``.go`` files under ``root`` (created; existing
    files with the same names are overwritten) and say what was written."""
    if files < 1:
        raise ValueError("files must be at least 1")
    if not 0.0 <= family_share <= 1.0:
        raise ValueError("family_share must be between 0 and 1")
    old, new = term
    spec, new_spec = Spec(old, new), Spec(new, old)
    homonyms = _homonyms(spec)
    family_names = Names.of(old)
    specs = [spec, new_spec]
    nouns = _usable(NOUNS, specs)
    packages = _usable(PACKAGE_NAMES, specs)
    modules = _usable(MODULE_NAMES, specs)
    neutral = [Names.of(t) for t in _usable(NEUTRAL_IDS, specs)]
    if len(nouns) < 20 or not packages or not modules or not neutral:
        raise ValueError(f"the term pair {old} -> {new} leaves too few names to build a tree")

    rng = random.Random(seed)
    slots = _layout(files, rng, nouns, packages, modules)
    candidates = [k for k, s in enumerate(slots) if s.kind != "logx"]
    n_family = min(len(candidates), round(files * family_share))
    family = set(rng.sample(candidates, n_family))

    root = Path(root)
    info = CorpusInfo(root=root)
    contexts: dict[int, _File] = {}
    written_modules: set[str] = set()
    for k, slot in enumerate(slots):
        if slot.module not in written_modules:
            written_modules.add(slot.module)
            info.modules.append(slot.module)
            _write(root / slot.module / "go.mod", f"module {slot.module_path}\n\ngo {GO_VERSION}\n")
        target = max(12, round(lines_per_file * rng.uniform(0.8, 1.2)))
        if slot.kind == "logx":
            text = LOGX
        else:
            fam = k in family
            ctx = _File(slot.pkg, slot.noun, family_names if fam else rng.choice(neutral), fam,
                        homonyms, f"{slot.module_path}/logx", random.Random(rng.random()))
            contexts[k] = ctx
            if slot.kind == "source":
                text = _source_file(ctx, slot.module_path, target)
            elif slot.kind == "test":
                text = _test_file(ctx, contexts[slot.pair], slot.module_path, target)
            else:
                text = _generated_file(ctx, slot.module_path, target)
            has_member = any(True for _ in spec.find(text.encode()))
            if has_member != fam:
                raise AssertionError(f"corpus generator: {slot.path} family={fam} but "
                                     f"members found={has_member}")
            if fam:
                info.family_files.append(slot.path)
        data = text.encode()
        _write(root / slot.path, data)
        info.files.append(slot.path)
        info.lines += text.count("\n")
        info.bytes += len(data)
    info.files.sort()
    info.family_files.sort()
    return info


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)


"""The role vocabulary: what an occurrence is, syntactically.

Every row of the inventory carries one of these roles. The names are stable: policies, the
expected inventory next to the fixture and the notebooks refer to them.
"""

from __future__ import annotations

import re

# Go identifiers -----------------------------------------------------------------------------
FIELD_DECL = "field_decl"  # struct field declaration: `RunID string`
SELECTOR = "selector"  # field selector: `conv.RunID` (not called)
COMPOSITE_KEY = "composite_key"  # keyed struct literal: `EventMetadata{RunID: x}`
METHOD_DECL = "method_decl"  # `func (m *M) FindConversationByRunID(...)`
INTERFACE_METHOD = "interface_method"  # `FindConversationByRunID(id string) ...` in an interface
METHOD_CALL = "method_call"  # `m.FindConversationByRunID(id)`
FUNC_DECL = "func_decl"  # `func lookupRunID(...)`
# The detail of a func_decl declared without a body (`func f(x int) int`): its code is elsewhere,
# in a .s file of the package or in another package (`//go:linkname`). Its parameters, results
# and receiver carry it too: assembly names them (`x+0(FP)`).
NO_BODY = "no body"
FUNC_CALL = "func_call"  # `lookupRunID(x)`, `pkg.LookupRunID(x)`
PARAMETER = "parameter"  # `func f(runID string)`
RECEIVER = "receiver"  # `func (runID RunID) String()`
LOCAL_DECL = "local_decl"  # `runID := ...`, `var runID string` in a function, range variables
LOCAL_USE = "local_use"  # a use of a parameter or local
VAR_DECL = "var_decl"  # package-level `var RunIDKey = ...`
CONST_DECL = "const_decl"  # package-level `const RunIDHeader = ...`
TYPE_DECL = "type_decl"  # `type RunID string`
TYPE_USE = "type_use"  # a use of a type name
PACKAGE_USE = "package_use"  # a use of a package-level var/const/func value, or `pkg.Name`
# The detail of the package_use that is a file's package clause (`package cfg`): every file of
# a folder spells the package's one name. A qualifier (`cfg` in `cfg.X`) bound by an import
# without an alias has that import's path as its ``owner``: it spells the package's name too.
PACKAGE_CLAUSE = "package clause"
LABEL = "label"  # a statement label

# Go string literals -------------------------------------------------------------------------
STRUCT_TAG = "struct_tag"  # `json:"run_id"` (tag key in `detail`)
LOG_KEY = "log_key"  # `.Str("run_id", v)`, `slog.String("run_id", v)`, `logger.Info("m", "run_id", v)`
MAP_KEY = "map_key"  # `map[string]any{"run_id": v}`, `gin.H{"run_id": v}`
QUERY_PARAM = "query_param"  # `r.URL.Query().Get("run_id")`, `r.FormValue("run_id")`
HTTP_HEADER = "http_header"  # `r.Header.Get("X-Run-ID")`
# A path parameter: its name in a route (`"GET /runs/{run_id}"`, `"/runs/:run_id"`) and its
# reads (`r.PathValue("run_id")`, `chi.URLParam(r, "run_id")`, `c.Param("run_id")`,
# `mux.Vars(r)["run_id"]`). A client sends the value, never the name: internal to the server.
PATH_PARAM = "path_param"
# The detail of a parameter's name in a swag annotation (``// @Param run_id query ...``), then
# where it is read: "@Param query" (a path parameter, query parameter or header in a doc comment)
SWAG_PARAM = "@Param"
SQL = "sql"  # SQL text in a Go string
MESSAGE = "message"  # error, log or console text: `fmt.Errorf("no run_id")`, `.Msg("...")`
STRING = "string"  # any other string literal
MAP_INDEX = "index"  # the detail of a string that is a map's key read: `body["run_id"]`
# The detail of a string that is the whole value of a package-level constant or variable
# (`const cookieRun = "run_id"`) its own file does not pass to a call that says what it is: the
# other files of its package are read for that after the scan (:mod:`idrename.heldnames`).
HELD = "held"
# The detail of a query parameter's name in a URL a string spells (`"/runs?run_id=" + id`): sent,
# by a test or a client; it follows the contracts of the code that reads that name (compat).
URL_QUERY = "url"
# The detail of a string that is a context key (`context.WithValue(ctx, ctxKey("run_id"), v)`, or
# the constant it holds): it never leaves the process, so no client sees it.
CONTEXT_KEY = "context_key"

# Go comments --------------------------------------------------------------------------------
DOC_COMMENT = "doc_comment"  # a comment directly above a declaration or field
# The detail of a doc comment's verb that a plural of the term spells (``// Put stores rec``
# when ``Store`` is renamed): the word after the declared name that starts a doc comment
DOC_VERB = "verb"
COMMENT = "comment"
# The detail of a comment's prose that writes the term's words apart (``the run ID``, ``Run
# IDs``): a term of several words, in a comment (not a directive, not an example's output)
PROSE = "prose"
# The expected output of an example test (`// Output:` ending an Example function): `go test`
# compares it with what the example prints, so it changes only with the strings it prints.
EXAMPLE_OUTPUT = "example_output"
# A comment the toolchain reads, not prose: `//go:linkname`, `//go:cgo_import_dynamic`,
# `//go:embed`, `//go:generate`, `//go:build`, `// +build`, `//export`, `//line`, and the cgo
# preamble above `import "C"` (C code and `#cgo` flags). ``detail`` names the directive
# (`go:linkname`, `export`, `+build`, `cgo`, ...). It names linker symbols, files, flags or
# C code, so renaming it as prose breaks the build.
DIRECTIVE = "directive"
# The owner of a `//go:linkname local importpath.name` token that is one of its names:
# LINKNAME_LOCAL for the first (a declaration of the directive's package), the import path for
# the name in the second. (Not an import path: Go's cannot hold parentheses.)
LINKNAME = "go:linkname"
LINKNAME_LOCAL = "(local)"

# A file that failed to parse keeps its occurrences under this role ---------------------------
UNPARSED = "unparsed"

# Consumers (non-Go) -------------------------------------------------------------------------
TS_PROPERTY = "ts_property"  # `run_id: string` in an interface or type literal
TS_MEMBER = "ts_member"  # `resp.run_id`, `payload.runId`
TS_OBJECT_KEY = "ts_object_key"  # `{ run_id: "x" }`
TS_IDENTIFIER = "ts_identifier"  # a variable, parameter or function name
TS_STRING = "ts_string"  # a string or template literal
TS_COMMENT = "ts_comment"
PROTO_FIELD = "proto_field"  # `string run_id = 1;`
PROTO_COMMENT = "proto_comment"
SQL_FILE = "sql_column"  # a name in a `.sql` file (column, index, table)
SQL_COMMENT = "sql_comment"
# A parameter or declared variable of a function or procedure a `.sql` file defines (or drops):
# `m_run_id` in `CREATE FUNCTION merge(m_run_id uuid) ... $$ ... VALUES (m_run_id) ... $$`, with
# its uses in the body. ``detail``: `parameter` or `variable`; ``symbol``: the routine. Code,
# not a column: no migration is proposed for it.
SQL_VARIABLE = "sql_variable"
DOC_TEXT = "doc_text"  # Markdown prose or code spans
CONFIG_KEY = "config_key"  # a YAML/JSON key
CONFIG_VALUE = "config_value"  # a YAML/JSON value
# A comment in a configuration file: often a key commented out (`# retention-policy = ""`).
CONFIG_COMMENT = "config_comment"
# A name that deployments and scripts set from outside the program: an environment variable
# (`os.Getenv("RUN_ID")`), a command-line flag (`flag.String("run-id", ...)`), a key of viper's
# configuration (`viper.GetString("run_id")`).
EXTERNAL_NAME = "external_name"
# A stored field named in a database call's document or filter: `coll.FindOne(ctx,
# bson.M{"run_id": id})`, gorm's `db.Where(map[string]any{"run_id": id})`.
DB_FIELD = "db_field"
# A name a metrics backend stores, which dashboards, alerts and recording rules select on: a
# Prometheus metric's name (`CounterOpts{Name: "run_id_lookups_total"}`, NewDesc's first
# argument) or a label's (`prometheus.Labels{"run_id": id}`, NewCounterVec's label names).
# ``detail``: `metric` or `label`.
METRIC_NAME = "metric_name"
# A cookie's name: `r.Cookie("run_id")`, `http.Cookie{Name: "run_id"}`, gin's `c.SetCookie`.
# Browsers hold cookies under it.
COOKIE_NAME = "cookie_name"
# A key of a JSON document written in a Go string (`{"run_id": "r1"}`): a test's input or
# expected output, or a body written by hand. ``detail``: what the statement does with it,
# `decoded`, `compared`, `written`, or "" (see idrename.compat.follow_json_texts). ``owner``:
# JSON_FRAGMENT for a part of an object's members without its braces (`"run_id":"r1","done":
# true`, a text looked for in a response), else "".
JSON_TEXT = "json_text"
JSON_FRAGMENT = "fragment"
# An element's or an attribute's name in an XML document written in a Go string
# (`<run_id>r1</run_id>`, `<point run_id="r1"/>`): a test's input or expected output. ``detail``:
# what the statement does with it, as for json_text; ``owner``: `element` or `attribute`.
XML_TEXT = "xml_text"
# A segment of a URL's or a file's path in a string (`"GET /tasks"`, `"/tasks/"`,
# `"/static/tasks.css"`): what clients, links and the file system hold.
PATH_SEGMENT = "path_segment"
# A name in a text file of no language the inventory parses (idrename.textfiles): a test's
# golden file, a shell script, a Makefile, a Dockerfile, notes, any text file of a `testdata`
# folder. ``detail``: the file's note from its path (`test`, `mock`) or "".
PLAIN_TEXT = "plain_text"
# A part of an absolute URL of another host, in a string, a comment or a document's text (a
# link, `https://github.com/acme/runid-spec`; an XML namespace; another service's endpoint):
# the host keeps serving it under that name (idrename.urls). ``detail``: the host.
EXTERNAL_URL = "external_url"
# A role split from another: a policy that sets the other's default and not its own gives it
# that default (a policy written before json_text keeps deciding JSON documents by `string`).
REFINES = {JSON_TEXT: STRING, PATH_SEGMENT: STRING, XML_TEXT: STRING}
# An import path (`import "example.com/svc/runstore"`): it names a folder and a module, which
# the patch never moves.
IMPORT_PATH = "import_path"
# A string that names a Go field or method: reflect's `FieldByName("RunID")`, testify mock's
# `On("FindByRunID")`, a validator's `required_without=RunID`, gorm's `foreignKey:RunID`.
MEMBER_NAME = "member_name"
# The detail of a member name in a struct as fmt's %+v or %#v prints it (`{Size:8 NumRelocs:1}`)
STRUCT_DUMP = "%+v"
# Go templates (idrename.gotemplate), in a template file or a Go string that holds one.
TEMPLATE_FIELD = "template_field"  # `{{.RunID}}`, `{{$conv.RunID}}`: a field, method or map key
TEMPLATE_FUNC = "template_func"  # `{{runID .}}`: a function of the template's FuncMap
TEMPLATE_FUNC_DECL = "template_func_decl"  # `template.FuncMap{"runID": f}`, in Go
TEMPLATE_VARIABLE = "template_variable"  # `{{$runID := .ID}}`
TEMPLATE_STRING = "template_string"  # `{{index .M "run_id"}}`
TEMPLATE_COMMENT = "template_comment"  # `{{/* the run_id */}}`
TEMPLATE_TEXT = "template_text"  # what the template writes out as is (HTML, generated code)
TEMPLATE_ROLES = frozenset({TEMPLATE_FIELD, TEMPLATE_FUNC, TEMPLATE_FUNC_DECL, TEMPLATE_VARIABLE,
                            TEMPLATE_STRING, TEMPLATE_COMMENT, TEMPLATE_TEXT})

GO_IDENTIFIER_ROLES = frozenset(
    {
        FIELD_DECL, SELECTOR, COMPOSITE_KEY, METHOD_DECL, INTERFACE_METHOD, METHOD_CALL,
        FUNC_DECL, FUNC_CALL, PARAMETER, RECEIVER, LOCAL_DECL, LOCAL_USE, VAR_DECL, CONST_DECL,
        TYPE_DECL, TYPE_USE, PACKAGE_USE, LABEL,
    }
)
GO_STRING_ROLES = frozenset(
    {STRUCT_TAG, LOG_KEY, MAP_KEY, QUERY_PARAM, HTTP_HEADER, SQL, MESSAGE, STRING, MEMBER_NAME,
     PATH_PARAM, EXTERNAL_NAME, DB_FIELD, METRIC_NAME, COOKIE_NAME, IMPORT_PATH, JSON_TEXT,
     PATH_SEGMENT, XML_TEXT}
)
COMMENT_ROLES = frozenset({DOC_COMMENT, COMMENT, EXAMPLE_OUTPUT, DIRECTIVE, TS_COMMENT,
                           PROTO_COMMENT, SQL_COMMENT, TEMPLATE_COMMENT, CONFIG_COMMENT})
DECLARATION_ROLES = frozenset(
    {FIELD_DECL, METHOD_DECL, INTERFACE_METHOD, FUNC_DECL, VAR_DECL, CONST_DECL, TYPE_DECL}
)
# Go's predeclared identifiers (the universe block): the built-in types, constants, zero value
# and functions, which no package declares and a patch cannot rename.
def go_test_prefix(name: str) -> str | None:
    """The prefix by which ``go test`` takes a top-level func of a ``_test.go`` file for a
    test, benchmark, fuzz test or example (``Test``, ``Benchmark``, ``Fuzz``, ``Example``):
    ending the name or followed by anything but a lower-case letter (``Testify`` is no test);
    None for any other name."""
    found = _GO_TEST_PREFIX.match(name)
    return found.group(1) if found is not None else None


_GO_TEST_PREFIX = re.compile(r"(Test|Benchmark|Fuzz|Example)(?![a-z])")

PREDECLARED = frozenset(
    "any append bool byte cap clear close comparable complex complex64 complex128 copy delete "
    "error false float32 float64 imag int int8 int16 int32 int64 iota len make max min new nil "
    "panic print println real recover rune string true uint uint8 uint16 uint32 uint64 uintptr"
    .split()
)
# Package-level declarations, and the uses that name a field or method (x.Name, T{Name: v}).
PACKAGE_DECL_ROLES = frozenset({FUNC_DECL, VAR_DECL, CONST_DECL, TYPE_DECL})
MEMBER_USE_ROLES = frozenset({SELECTOR, METHOD_CALL, COMPOSITE_KEY})
# Roles whose text is a name that leaves the process.
WIRE_ROLES = frozenset(
    {STRUCT_TAG, LOG_KEY, MAP_KEY, QUERY_PARAM, HTTP_HEADER, SQL, TS_PROPERTY, TS_MEMBER,
     TS_OBJECT_KEY, PROTO_FIELD, SQL_FILE, CONFIG_KEY}
)
# Struct tag keys whose value is a wire name.
WIRE_TAG_KEYS = frozenset(
    {"json", "yaml", "mapstructure", "db", "xml", "bson", "toml", "form", "query", "header",
     "protobuf", "msgpack", "gorm", "bigquery", "dynamodbav", "avro", "csv", "url", "schema",
     "koanf", "env", "envconfig", "long", "flag"}
)

ALL_ROLES = (
    GO_IDENTIFIER_ROLES | GO_STRING_ROLES | COMMENT_ROLES
    | {UNPARSED, TS_PROPERTY, TS_MEMBER, TS_OBJECT_KEY, TS_IDENTIFIER, TS_STRING, PROTO_FIELD,
       SQL_FILE, SQL_VARIABLE, DOC_TEXT, CONFIG_KEY, CONFIG_VALUE, PLAIN_TEXT, EXTERNAL_URL}
    | TEMPLATE_ROLES
)

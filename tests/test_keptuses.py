"""Declarations left to the defaults follow the uses a rule or an override keeps
(idrename.decisions, ``kept-use``): Go text before, Go text after, the decisions, and `go test`
with the real toolchain once the patch is applied."""

from __future__ import annotations

from pathlib import Path

from test_patch import applied_and_go_tested, go, workflow_plan

# Seen on 36 plans of 14 small services and tools, each with a rule keeping the package the
# most others import (`path = "re:internal/sim/[^/]+"`): the rule kept that package's uses of
# names the other packages declare (`e.Customer`, `event.Arrival`, `models.HabitList`), the
# defaults renamed the declarations, and every plan applied cleanly and failed `go build`.
EVENT = """
    // Package event holds the queue's events.
    package event

    // Event is an arrival.
    type Event struct {
    	Customer int
    	At       int
    }

    // Arrival makes an event.
    func Arrival(customer, at int) Event { return Event{Customer: customer, At: at} }

    // CustomerCount counts the distinct customers of events.
    func CustomerCount(events []Event) int {
    	seen := map[int]bool{}
    	for _, e := range events {
    		seen[e.Customer] = true
    	}
    	return len(seen)
    }
    """

SIM = """
    // Package sim runs the queue.
    package sim

    import "example.com/a/event"

    // Run makes an event per customer, and sums their numbers.
    func Run(customers int) (events []event.Event, total int) {
    	for c := 1; c <= customers; c++ {
    		e := event.Event{Customer: c, At: 2 * c}
    		events = append(events, e)
    		total += e.Customer
    	}
    	return events, total
    }
    """

REPORT = """
    // Package report describes events.
    package report

    import "example.com/a/event"

    // Numbers gives the events' numbers, and how many there are.
    func Numbers(events []event.Event) ([]int, int) {
    	var out []int
    	for _, e := range events {
    		out = append(out, e.Customer)
    	}
    	return out, event.CustomerCount(events)
    }
    """

REPORT_TEST = """
    package report

    import (
    	"testing"

    	"example.com/a/event"
    	"example.com/a/sim"
    )

    func TestNumbers(t *testing.T) {
    	events, total := sim.Run(3)
    	events = append(events, event.Arrival(1, 9))
    	if numbers, n := Numbers(events); len(numbers) != 4 || n != 3 || total != 6 {
    		t.Fatalf("Numbers = %v, %d; total %d", numbers, n, total)
    	}
    }
    """

# A field of the name that sim does not use, in a package of its own.
BILLING = """
    // Package billing bills accounts.
    package billing

    // Account is billed.
    type Account struct{ Customer string }

    // Bill names the account's holder.
    func Bill(a Account) string { return "bill " + a.Customer }
    """

FILES = {"event/event.go": EVENT, "sim/sim.go": SIM, "report/report.go": REPORT,
         "report/report_test.go": REPORT_TEST, "billing/billing.go": BILLING}
POLICY = ('[rename]\nfrom = "Customer"\nto = "Client"\n\n[[rule]]\npath = "re:sim/[^/]+"\n'
          'decision = "keep"\nrationale = "sim belongs to another team"\n')


def _decisions(analysis, path: str, text: str) -> list[tuple[int, str, str, str]]:
    decided = analysis.decided
    found = decided[(decided["path"] == path) & (decided["text"] == text)]
    return [(r.line, r.role, r.decision, r.decided_by) for r in found.itertuples()]


def test_the_declarations_a_kept_package_uses_are_kept_with_their_other_uses(
        tmp_path: Path) -> None:
    # The field Customer of event.Event, which sim uses, is kept where it is declared, and its
    # uses elsewhere follow it (typed: `e event.Event`); what sim does not use (CustomerCount,
    # the parameters, the prose, billing's field of the same name) is renamed.
    root, analysis, patch = workflow_plan(tmp_path, FILES, POLICY)
    assert [c.message for c in analysis.conflicts if c.severity == "error"] == []
    assert patch is not None
    changed = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert changed == {
        "event/event.go": go(EVENT.replace("func Arrival(customer, at int)",
                                           "func Arrival(client, at int)")
                             .replace("Event{Customer: customer,", "Event{Customer: client,")
                             .replace("// CustomerCount counts the distinct customers",
                                      "// ClientCount counts the distinct clients")
                             .replace("func CustomerCount(", "func ClientCount(")),
        "report/report.go": go(REPORT.replace("event.CustomerCount(", "event.ClientCount(")),
        "billing/billing.go": go(BILLING.replace("Customer", "Client")),
    }
    assert _decisions(analysis, "event/event.go", "Customer") == [
        (6, "field_decl", "keep", "kept-use"),
        (11, "composite_key", "keep", "declaration"),
        (17, "selector", "keep", "declaration"),
    ]
    assert _decisions(analysis, "report/report.go", "Customer") == [
        (10, "selector", "keep", "declaration")]
    assert _decisions(analysis, "sim/sim.go", "Customer") == [
        (9, "composite_key", "keep", "rule:1"), (11, "selector", "keep", "rule:1")]
    rationale = analysis.decided.set_index(["path", "line"]).loc[("event/event.go", 6),
                                                                  "rationale"]
    assert rationale == (
        "kept: a use that rule 1 keeps names it (sim/sim.go:9, sim belongs to another team): "
        "renamed, that use would name nothing (widen the rule, or rename both with an "
        "override)")
    applied_and_go_tested(root, patch)


def test_a_use_an_exclude_ignores_keeps_nothing(tmp_path: Path) -> None:
    # An exclude says its tokens are another name's (a homonym): the declarations of the
    # family's name do not follow them.
    policy = ('[rename]\nfrom = "Customer"\nto = "Client"\n\n[[exclude]]\ntext = "Customer"\n'
              'path = "sim/*"\nrationale = "a homonym"\n')
    _, analysis, _ = workflow_plan(tmp_path, FILES, policy)
    assert _decisions(analysis, "event/event.go", "Customer")[0] == (
        6, "field_decl", "rename", "builtin:field_decl")


DOMAIN = """
    // Package domain holds the bookings.
    package domain

    // Booking is a seat on a voyage.
    type Booking struct {
    	VoyageID string
    	Seats    int
    }

    // NewBooking books a seat.
    func NewBooking(voyageID string) *Booking { return &Booking{VoyageID: voyageID, Seats: 1} }
    """

CARGO = """
    // Package cargo ships goods.
    package cargo

    // Manifest lists a voyage's goods.
    type Manifest struct{ VoyageID string }

    // Label names the manifest's voyage.
    func Label(m Manifest) string { return "manifest " + m.VoyageID }
    """

SERVICE = """
    // Package booking moves bookings.
    package booking

    import "example.com/a/domain"

    // Rebook moves a booking to another voyage, and says which.
    func Rebook(b *domain.Booking, voyage string) string {
    	b.VoyageID = voyage
    	return b.VoyageID
    }
    """

SERVICE_TEST = """
    package booking

    import (
    	"testing"

    	"example.com/a/cargo"
    	"example.com/a/domain"
    )

    func TestRebook(t *testing.T) {
    	if got := Rebook(domain.NewBooking("v1"), "v2"); got != "v2" {
    		t.Fatal(got)
    	}
    	if got := cargo.Label(cargo.Manifest{VoyageID: "v3"}); got != "manifest v3" {
    		t.Fatal(got)
    	}
    	bookings := []domain.Booking{{VoyageID: "v4", Seats: 2}}
    	if got := Rebook(&bookings[0], "v5"); got != "v5" {
    		t.Fatal(got)
    	}
    }
    """


def test_a_member_use_follows_the_declaration_of_its_receivers_type(tmp_path: Path) -> None:
    # Seen on a shipping service (VoyageID -> RouteID, a rule keeping internal/domain):
    # domain.Booking's VoyageID was kept, cargo.Manifest's renamed, and the declarations of
    # the name disagreeing, `b.VoyageID` (b *domain.Booking) was left to the default, renamed,
    # and go build failed. Its receiver's type tells which it names, and a literal's type
    # (written, or elided in a slice's: `[]domain.Booking{{VoyageID: v}}`) which its key names.
    policy = ('[rename]\nfrom = "VoyageID"\nto = "RouteID"\n\n[[rule]]\n'
              'path = "re:domain/[^/]+"\ndecision = "keep"\nrationale = "the domain stays"\n')
    root, analysis, patch = workflow_plan(
        tmp_path, {"domain/domain.go": DOMAIN, "cargo/cargo.go": CARGO,
                   "booking/service.go": SERVICE, "booking/service_test.go": SERVICE_TEST},
        policy)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "cargo/cargo.go": go(CARGO.replace("VoyageID", "RouteID")),
        "booking/service_test.go": go(SERVICE_TEST.replace("Manifest{VoyageID:",
                                                           "Manifest{RouteID:"))}
    assert _decisions(analysis, "booking/service.go", "VoyageID") == [
        (8, "selector", "keep", "declaration"), (9, "selector", "keep", "declaration")]
    applied_and_go_tested(root, patch)


QUEUE = """
    // Package queue queues jobs.
    package queue

    // Job is queued.
    type Job struct{ ID int }

    // JobKind is the kind of every job.
    const JobKind = "job"

    // NewJob makes a job.
    func NewJob(id int) Job { return Job{ID: id} }
    """

API = """
    // Package api serves the queue.
    package api

    import q "example.com/a/queue"

    // Make makes a job.
    func Make(id int) q.Job { return q.NewJob(id) }

    // Kind says what Make makes.
    func Kind() string { return q.JobKind }
    """

API_TEST = """
    package api

    import "testing"

    func TestMake(t *testing.T) {
    	if Make(2).ID != 2 || Kind() != "job" {
    		t.Fatal("Make")
    	}
    }
    """


def test_a_name_qualified_by_an_imports_alias_follows_its_package(tmp_path: Path) -> None:
    # Seen on a container-security service (Task -> Job, a rule keeping internal/queue, which
    # internal/http imports as q): `q.Job` and `q.NewJob` name no package called q, so they
    # were left to the defaults, renamed, and go build failed. The import tells the package.
    policy = ('[rename]\nfrom = "Job"\nto = "Task"\n\n[[rule]]\npath = "re:queue/[^/]+"\n'
              'decision = "keep"\nrationale = "the queue stays"\n')
    root, analysis, patch = workflow_plan(
        tmp_path, {"queue/queue.go": QUEUE, "api/api.go": API, "api/api_test.go": API_TEST},
        policy)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "api/api.go": go(API.replace("// Make makes a job.", "// Make makes a task."))}
    assert [r[2:] for r in _decisions(analysis, "api/api.go", "Job")] == [
        ("keep", "declaration")]
    assert [r[2:] for r in _decisions(analysis, "api/api.go", "NewJob")] == [
        ("keep", "declaration")]
    assert [r[1:] for r in _decisions(analysis, "api/api.go", "JobKind")] == [
        ("package_use", "keep", "declaration")]
    applied_and_go_tested(root, patch)


SIMULATION = """
    // Package sim simulates traffic.
    package sim

    // Sim keeps its events.
    type Sim struct{ events []string }

    // Log records an event.
    func (s *Sim) Log(message string) int {
    	s.events = append(s.events, message)
    	return len(s.events)
    }
    """

SERVER = """
    package main

    import (
    	"fmt"
    	"net/http"

    	"example.com/a/sim"
    )

    type server struct{ sim *sim.Sim }

    func (s *server) events(w http.ResponseWriter, r *http.Request) {
    	fmt.Fprint(w, s.sim.Log(r.URL.Path))
    }

    func routes(s *server) *http.ServeMux {
    	mux := http.NewServeMux()
    	mux.HandleFunc("/events", s.events)
    	return mux
    }

    func main() { _ = routes(&server{sim: &sim.Sim{}}) }
    """


def test_a_method_value_follows_its_method_not_a_field_of_its_name(tmp_path: Path) -> None:
    # Seen on an air traffic simulator (Event -> Notice, a rule keeping internal/sim): sim's
    # field events was kept, and `s.events`, a method value of the server's method events, a
    # selector not called, followed the fields of its name: kept, while the method was
    # renamed, and go build failed. Its receiver's type says it is the server's.
    policy = ('[rename]\nfrom = "Event"\nto = "Notice"\n\n[[rule]]\npath = "re:sim/[^/]+"\n'
              'decision = "keep"\nrationale = "the simulation stays"\n')
    root, analysis, patch = workflow_plan(
        tmp_path, {"sim/sim.go": SIMULATION, "main.go": SERVER}, policy)
    assert patch is not None
    assert {fp.path: fp.after.decode() for fp in patch.changed()} == {
        "main.go": go(SERVER.replace(") events(", ") notices(").replace("s.events)",
                                                                          "s.notices)"))}
    assert _decisions(analysis, "main.go", "events") == [
        (12, "method_decl", "rename", "builtin:method_decl"),
        (18, "path_segment", "keep", "builtin:path_segment"),
        (18, "selector", "rename", "builtin:selector")]
    applied_and_go_tested(root, patch)


BOOKS = """
    // Package books loads the reading log.
    package books

    // Book is one read book.
    type Book struct{ Title, DateRead string }
    """

HANDLERS = """
    // Package handlers serves the reading log.
    package handlers

    import "example.com/a/books"

    var cached = []books.Book{{Title: "Dune", DateRead: "2024-01-02"}}

    // Response is what a client reads.
    type Response struct{ Title, DateRead string }

    // Responses gives the cached books as responses.
    func Responses() []Response {
    	var out []Response
    	for _, book := range cached {
    		out = append(out, Response{Title: book.Title, DateRead: book.DateRead})
    	}
    	return out
    }
    """

HANDLERS_TEST = """
    package handlers

    import "testing"

    func TestResponses(t *testing.T) {
    	if got := Responses(); len(got) != 1 || got[0].DateRead != "2024-01-02" {
    		t.Fatalf("Responses = %v", got)
    	}
    }
    """


def test_a_member_use_of_a_package_level_var_is_typed(tmp_path: Path) -> None:
    # Seen on a reading log (DateRead -> DateFinished, a rule keeping internal/books): the
    # handlers range over a package-level `var cachedBooks []books.Book` and declare a response
    # struct of their own with a DateRead field. Untyped, `book.DateRead` could name either, was
    # left to the default, renamed, and go build failed. The var's type tells.
    policy = ('[rename]\nfrom = "DateRead"\nto = "DateFinished"\n\n[[rule]]\n'
              'path = "re:books/[^/]+"\ndecision = "keep"\nrationale = "the log stays"\n')
    root, analysis, patch = workflow_plan(
        tmp_path, {"books/books.go": BOOKS, "handlers/handlers.go": HANDLERS,
                   "handlers/handlers_test.go": HANDLERS_TEST}, policy)
    assert patch is not None
    changed = {fp.path: fp.after.decode() for fp in patch.changed()}
    assert changed == {
        "handlers/handlers.go": go(HANDLERS.replace(
            "type Response struct{ Title, DateRead string }",
            "type Response struct{ Title, DateFinished string }").replace(
            "Response{Title: book.Title, DateRead: book.DateRead}",
            "Response{Title: book.Title, DateFinished: book.DateRead}")),
        "handlers/handlers_test.go": go(HANDLERS_TEST.replace("got[0].DateRead",
                                                              "got[0].DateFinished"))}
    assert [r[1:] for r in _decisions(analysis, "handlers/handlers.go", "DateRead")
            if r[1] == "selector"] == [("selector", "keep", "declaration")]
    applied_and_go_tested(root, patch)

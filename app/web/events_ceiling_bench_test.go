package web_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// The physical ceiling of the rush (issue 16): PostgreSQL's own client,
// pgbench, runs exactly the statements one registration runs
// (testdata/rush_registration.pgbench) on the rush's database, schema and
// users, for a fresh 35-seat event at each client count. The best rate is
// the most any application could do on this machine; the rush is measured
// against it in the same run.

// pgbenchClients are the client counts of the ceiling.
var pgbenchClients = []int{1, 10, 20, 50, 100}

// eventLockSpace mirrors the store's advisory lock keys of events.
const eventLockSpace int64 = 727275 << 32

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbenchPath finds pgbench, or "" when the machine has none.
func pgbenchPath() string {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p
	}
	return ""
}

// pgbenchEvent prepares a fresh event for one pgbench run and the arguments
// that hand each client its own people.
func pgbenchEvent(b *testing.B, a *testenv.App, people []rushUser, capacity, clients int) (*app.Event, []string) {
	ev := createEvent(b, a, func(in *app.EventInput) { in.Capacity = app.N(capacity) })
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if ids[len(ids)-1]-ids[0] != int64(len(ids)-1) {
		b.Fatalf("the rush's accounts are not numbered without gaps (%d..%d for %d)", ids[0], ids[len(ids)-1], len(ids))
	}
	return ev, []string{
		"-D", "event=" + itoa(ev.ID), "-D", "lockkey=" + strconv.FormatInt(eventLockSpace|ev.ID, 10),
		"-D", "first_user=" + strconv.FormatInt(ids[0], 10), "-D", "per_client=" + strconv.Itoa(len(ids)/clients), "-D", "n=0",
	}
}

// runPgbench runs the registration script and returns its output.
func runPgbench(b *testing.B, a *testenv.App, args ...string) string {
	base := []string{"-n", "-M", "prepared", "-j", "2", "-f", "testdata/rush_registration.pgbench"}
	cmd := exec.Command(pgbenchPath(), append(append(base, args...), testenv.DirectURL(b, a.DatabaseURL))...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("pgbench: %v\n%s", err, out)
	}
	return string(out)
}

// checkPgbenchEvent makes sure pgbench did what the app does: one stored
// registration per transaction, never more seats than capacity.
func checkPgbenchEvent(b *testing.B, a *testenv.App, eventID int64, want, capacity int) {
	var row struct{ Stored, Confirmed, SeatsTaken int }
	err := a.Store.Gorm().Raw(`SELECT (SELECT COUNT(*) FROM event_registrations WHERE event_id = ?) AS stored,
		(SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'confirmed') AS confirmed,
		(SELECT seats_taken FROM events WHERE id = ?) AS seats_taken`, eventID, eventID, eventID).Scan(&row).Error
	if err != nil {
		b.Fatal(err)
	}
	if row.Stored != want || row.SeatsTaken != capacity {
		b.Fatalf("pgbench stored %d registrations of %d, %d seats taken of %d", row.Stored, want, row.SeatsTaken, capacity)
	}
}

// freeConnections is how many more connections the PostgreSQL server
// accepts, less a few for other work (it may be shared).
func freeConnections(b *testing.B, a *testenv.App) int {
	var free int
	err := a.Store.Gorm().Raw(`SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
		- (SELECT COUNT(*) FROM pg_stat_activity) - 5`).Scan(&free).Error
	if err != nil {
		b.Fatal(err)
	}
	return free
}

// pgbenchCeiling prints the rate of every client count and returns the best.
func pgbenchCeiling(b *testing.B, a *testenv.App, people []rushUser, capacity int) float64 {
	best := 0.0
	fmt.Fprintf(os.Stdout, "  pgbench ceiling (the registration's statements, %d registrations a run, fresh %d-seat event each):\n", len(people), capacity)
	for _, clients := range pgbenchClients {
		if free := freeConnections(b, a); clients > free {
			fmt.Fprintf(os.Stdout, "    %3d clients: not run, the server has only %d connections free (max_connections)\n", clients, free)
			continue
		}
		ev, vars := pgbenchEvent(b, a, people, capacity, clients)
		per := len(people) / clients
		out := runPgbench(b, a, append(vars, "-c", strconv.Itoa(clients), "-t", strconv.Itoa(per))...)
		m := tpsLine.FindStringSubmatch(out)
		if m == nil {
			b.Fatalf("pgbench printed no rate:\n%s", out)
		}
		checkPgbenchEvent(b, a, ev.ID, per*clients, capacity)
		tps, _ := strconv.ParseFloat(m[1], 64)
		best = max(best, tps)
		fmt.Fprintf(os.Stdout, "    %3d clients: %4.0f registrations/s; load average %s\n", clients, tps, loadAverage())
	}
	fmt.Fprintf(os.Stdout, "    best: %.0f registrations/s\n", best)
	return best
}

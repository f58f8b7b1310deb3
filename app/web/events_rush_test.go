package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// rushUser is an account with a personal access token, made directly in the
// store for load tests.
type rushUser struct {
	ID    int64
	Token string
}

// createRushUsers inserts n verified accounts with API tokens in batches.
func createRushUsers(t testing.TB, s *store.Store, n int, prefix string) []rushUser {
	t.Helper()
	now := s.Now()
	users := make([]app.User, n)
	for i := range users {
		email := fmt.Sprintf("%s-%d@example.org", prefix, i)
		users[i] = app.User{Email: &email, EmailVerifiedAt: &now, DisplayName: fmt.Sprintf("%s %d", prefix, i), Role: app.RoleCitizen,
			Locale: "de", PrivacyConsentAt: &now, PrivacyVersion: app.PrivacyVersion, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.Gorm().CreateInBatches(users, 200).Error; err != nil {
		t.Fatalf("create users: %v", err)
	}
	out := make([]rushUser, n)
	tokens := make([]app.APIToken, n)
	for i, u := range users {
		plain, _ := auth.NewToken()
		plain = auth.APITokenPrefix + plain
		tokens[i] = app.APIToken{UserID: u.ID, Name: "rush", TokenHash: auth.HashToken(plain), CreatedAt: now}
		out[i] = rushUser{ID: u.ID, Token: plain}
	}
	if err := s.Gorm().CreateInBatches(tokens, 200).Error; err != nil {
		t.Fatalf("create tokens: %v", err)
	}
	return out
}

// apiClient calls the JSON API with bearer tokens from many goroutines.
type apiClient struct {
	http *http.Client
}

func newAPIClient(conns int) *apiClient {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &apiClient{http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

func (c *apiClient) do(method, url, token string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

type registrationAnswer struct {
	Status           string `json:"status"`
	WaitlistPosition *int   `json:"waitlist_position"`
}

// seatSample is what the monitor reads in one statement: the counter and
// the registrations holding a seat.
type seatSample struct {
	SeatsTaken    int
	Held          int
	Waiting       int
	WaitingCounts int
}

// TestRegistrationRush: three app instances on one PostgreSQL database (one
// on SQLite), 500 people registering at once for a 35-seat first-come event
// while 50 confirmed people cancel. A monitor reads the database throughout:
// never more than 35 seats held and the counter always equal to the
// registrations holding a seat. Afterwards every 201 is in the database,
// the waiting list is contiguous and in arrival order, and every freed seat
// went as exactly one offer to the head of the waiting list.
func TestRegistrationRush(t *testing.T) {
	const users, capacity, cancellations = 500, 35, 50
	instances := 1
	if testenv.Postgres() {
		instances = 3
	}
	first := testenv.StartApp(t, testenv.WithoutSMTP())
	apps := []*testenv.App{first}
	for i := 1; i < instances; i++ {
		apps = append(apps, testenv.StartApp(t, testenv.WithDatabase(first.DatabaseURL), testenv.WithoutSMTP(), testenv.WithClock(first.Clock)))
	}
	ev := createEvent(t, first, func(in *app.EventInput) { in.Capacity = app.N(capacity) })
	people := createRushUsers(t, first.Store, users, "Rush")
	api := newAPIClient(200)
	base := func(i int) string { return apps[i%len(apps)].URL + "/api/v1/events/" + itoa(ev.ID) }

	// The monitor samples the committed state as often as it can.
	var maxHeld, samples atomic.Int64
	var mismatch atomic.Value
	stop := make(chan struct{})
	monitorDone := make(chan struct{})
	go func() {
		defer close(monitorDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			var s seatSample
			err := first.Store.Gorm().Raw(`SELECT e.seats_taken AS seats_taken,
				(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status IN ('confirmed', 'offered')) AS held,
				(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waiting,
				(SELECT COALESCE(SUM(n), 0) FROM event_wait_counts c WHERE c.event_id = e.id) AS waiting_counts
				FROM events e WHERE e.id = ?`, ev.ID).Scan(&s).Error
			if err != nil {
				mismatch.Store(err.Error())
				return
			}
			samples.Add(1)
			if int64(s.Held) > maxHeld.Load() {
				maxHeld.Store(int64(s.Held))
			}
			if s.Held != s.SeatsTaken {
				mismatch.Store(fmt.Sprintf("seats_taken %d but %d registrations hold a seat", s.SeatsTaken, s.Held))
			}
			if s.Waiting != s.WaitingCounts {
				mismatch.Store(fmt.Sprintf("waiting counter %d but %d registrations wait", s.WaitingCounts, s.Waiting))
			}
			time.Sleep(time.Millisecond)
		}
	}()

	type answer struct {
		user       int
		status     int
		body       registrationAnswer
		start, end time.Time
	}
	answers := make([]answer, users)
	var cancelled atomic.Int64
	var waiters atomic.Int64
	var failures sync.Map
	cancel := func(i int) bool {
		// Take one of the 50 cancellations once at least 50 people were
		// told they wait, so that every freed seat has somebody to go to.
		// (One waiter was once enough here, because the cancellations queued
		// in the admission line behind the rush; since registrations wait for
		// their turn outside that line, a cancellation can overtake them.)
		for waiters.Load() < cancellations {
			time.Sleep(time.Millisecond)
		}
		if cancelled.Add(1) > cancellations {
			return false
		}
		st, b, err := api.do(http.MethodDelete, base(i+1)+"/registrations/me", people[i].Token, nil)
		if err != nil || st != http.StatusNoContent {
			failures.Store(fmt.Sprintf("cancel %d", i), fmt.Sprintf("%d %s %v", st, b, err))
		}
		return true
	}
	var inflight atomic.Int64
	startGun := make(chan struct{})
	for i := 0; i < users; i++ {
		inflight.Add(1)
		go func(i int) {
			defer inflight.Add(-1)
			<-startGun
			a := answer{user: i, start: time.Now()}
			st, b, err := api.do(http.MethodPost, base(i)+"/registrations", people[i].Token, map[string]any{})
			a.end, a.status = time.Now(), st
			if err != nil || st != http.StatusCreated || json.Unmarshal(b, &a.body) != nil {
				failures.Store(fmt.Sprintf("register %d", i), fmt.Sprintf("%d %s %v", st, b, err))
			}
			answers[i] = a
			switch a.body.Status {
			case app.RegWaitlisted:
				waiters.Add(1)
			case app.RegConfirmed:
				cancel(i)
			}
		}(i)
	}
	close(startGun)

	// Offers go out as seats are freed; their holders accept and, while
	// cancellations remain, cancel again.
	byUser := map[int64]int{}
	for i, p := range people {
		byUser[p.ID] = i
	}
	accepted := map[int64]bool{}
	acceptOffers := func() int {
		offered, err := first.Store.RegistrationsWithStatus(context.Background(), ev.ID, app.RegOffered)
		if err != nil {
			t.Error(err)
			return 0
		}
		n := 0
		for _, r := range offered {
			if accepted[r.ID] {
				continue
			}
			accepted[r.ID] = true
			i := byUser[*r.UserID]
			st, b, err := api.do(http.MethodPost, base(i)+"/registrations/me/accept", people[i].Token, nil)
			if err != nil || st != http.StatusOK {
				failures.Store(fmt.Sprintf("accept %d", i), fmt.Sprintf("%d %s %v", st, b, err))
			}
			inflight.Add(1)
			go func() { defer inflight.Add(-1); cancel(i) }()
			n++
		}
		return n
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if time.Now().After(deadline) {
			failures.Range(func(k, v any) bool {
				t.Errorf("%s: %s", k, v)
				return true
			})
			t.Fatalf("the rush did not settle: %d requests in flight, %d cancellations", inflight.Load(), cancelled.Load())
		}
		if acceptOffers() == 0 && inflight.Load() == 0 && cancelled.Load() >= cancellations && acceptOffers() == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	<-monitorDone

	failures.Range(func(k, v any) bool {
		t.Errorf("%s: %s", k, v)
		return true
	})
	if m := mismatch.Load(); m != nil {
		t.Fatalf("monitor: %v", m)
	}
	t.Logf("%d instances, %d monitor samples, at most %d seats held", instances, samples.Load(), maxHeld.Load())
	if maxHeld.Load() > capacity {
		t.Fatalf("%d seats held at one time, capacity %d", maxHeld.Load(), capacity)
	}
	if samples.Load() < 10 {
		t.Fatalf("the monitor read the database only %d times", samples.Load())
	}

	// Every 201 is in the database, in a status that can follow it.
	ctx := context.Background()
	follows := map[string][]string{
		app.RegConfirmed:  {app.RegConfirmed, app.RegCancelled},
		app.RegWaitlisted: {app.RegWaitlisted, app.RegOffered, app.RegConfirmed, app.RegCancelled},
	}
	var confirmedAnswers, waitlistedAnswers int
	for _, a := range answers {
		if a.status != http.StatusCreated {
			continue
		}
		r, err := first.Store.RegistrationOf(ctx, ev.ID, people[a.user].ID)
		if err != nil {
			t.Fatalf("201 for user %d, but no registration: %v", a.user, err)
		}
		if !slices.Contains(follows[a.body.Status], r.Status) {
			t.Errorf("answered %s, now %s", a.body.Status, r.Status)
		}
		switch a.body.Status {
		case app.RegConfirmed:
			confirmedAnswers++
		case app.RegWaitlisted:
			waitlistedAnswers++
			if a.body.WaitlistPosition == nil || *a.body.WaitlistPosition < 1 {
				t.Errorf("waitlisted answer without a position: %+v", a.body)
			}
		}
	}
	if confirmedAnswers+waitlistedAnswers != users {
		t.Fatalf("%d confirmed + %d waitlisted answers for %d people", confirmedAnswers, waitlistedAnswers, users)
	}
	var total int64
	first.Store.Gorm().Model(&app.Registration{}).Where("event_id = ?", ev.ID).Count(&total)
	if total != users {
		t.Fatalf("%d registrations in the database for %d people", total, users)
	}

	// All seats are held again; the counter agrees with the rows.
	final := reloadEvent(t, first, ev.ID)
	counts, _ := first.Store.CountRegistrations(ctx, []int64{ev.ID})
	c := counts[ev.ID]
	if final.SeatsTaken != capacity || c.Confirmed+c.Offered != capacity {
		t.Fatalf("after the rush: seats_taken %d, confirmed %d + offered %d, capacity %d", final.SeatsTaken, c.Confirmed, c.Offered, capacity)
	}
	if c.Cancelled != cancellations {
		t.Fatalf("%d cancellations, want %d", c.Cancelled, cancellations)
	}

	// The waiting list is contiguous (positions 1..n as the API shows them)
	// and in arrival order: whoever got their answer before somebody else
	// asked stands before them.
	waiting, err := first.Store.WaitingList(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != users-capacity-cancellations {
		t.Fatalf("%d waiting, want %d", len(waiting), users-capacity-cancellations)
	}
	position := map[int]int{}
	for _, w := range waiting {
		i := byUser[*w.UserID]
		st, b, err := api.do(http.MethodGet, base(i)+"/registrations/me", people[i].Token, nil)
		var got registrationAnswer
		if err != nil || st != http.StatusOK || json.Unmarshal(b, &got) != nil || got.WaitlistPosition == nil {
			t.Fatalf("position of user %d: %d %s %v", i, st, b, err)
		}
		position[i] = *got.WaitlistPosition
	}
	seen := map[int]bool{}
	for _, p := range position {
		if p < 1 || p > len(waiting) || seen[p] {
			t.Fatalf("positions are not 1..%d without gaps: %d appears twice or is out of range", len(waiting), p)
		}
		seen[p] = true
	}
	for x, px := range position {
		for y, py := range position {
			if answers[x].end.Before(answers[y].start) && px > py {
				t.Fatalf("user %d was answered before user %d asked, but stands behind (%d > %d)", x, y, px, py)
			}
		}
	}

	// Every freed seat was offered exactly once, to the head of the list:
	// the offered people are exactly the 50 earliest arrivals among all who
	// ever waited.
	offers, _ := first.Store.CountEventLog(ctx, ev.ID, app.LogOffer)
	cancels, _ := first.Store.CountEventLog(ctx, ev.ID, app.LogCancel)
	if offers != cancellations || cancels != cancellations {
		t.Fatalf("%d seats freed by cancellation, %d offers made; want %d each", cancels, offers, cancellations)
	}
	log, _ := first.Store.EventLog(ctx, ev.ID, 1000)
	offeredRegs := map[int64]bool{}
	for _, e := range log {
		if e.Action == app.LogOffer {
			if offeredRegs[*e.RegistrationID] {
				t.Fatalf("registration %d got two offers", *e.RegistrationID)
			}
			offeredRegs[*e.RegistrationID] = true
		}
	}
	var everWaited []*app.Registration
	first.Store.Gorm().Where("event_id = ? AND wait_seq > 0", ev.ID).Find(&everWaited)
	var waitedSeqs []*app.Registration
	for _, r := range everWaited {
		if answers[byUser[*r.UserID]].body.Status == app.RegWaitlisted {
			waitedSeqs = append(waitedSeqs, r)
		}
	}
	sort.Slice(waitedSeqs, func(i, j int) bool { return waitedSeqs[i].WaitSeq < waitedSeqs[j].WaitSeq })
	for i, r := range waitedSeqs {
		if (i < cancellations) != offeredRegs[r.ID] {
			t.Fatalf("arrival %d on the waiting list: offered=%v; the first %d arrivals should have had the offers", i+1, offeredRegs[r.ID], cancellations)
		}
	}
}

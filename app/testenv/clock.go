package testenv

import (
	"sync"
	"time"
)

// Clock is a controllable time source for the platform under test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at the given time (zero: the real current time).
func NewClock(start time.Time) *Clock {
	if start.IsZero() {
		start = time.Now()
	}
	return &Clock{now: start.UTC()}
}

// Now returns the clock's time. Every call moves it on by a microsecond, so
// that two things created one after the other never share a timestamp; it
// does not follow real time (use Advance).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Microsecond)
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}

package rainbondtest

import (
	"sync"
	"time"
)

// Clock is the time the server's components change state by: after a
// deploy, start, stop or upgrade, a component is in a passing state
// ("building", "starting", "stopping", "upgrade") for the server's
// transition time (see [WithTransitionTime]), then in the settled one. A
// test that owns the clock moves it with Advance, so that code waiting on
// components can be tested without sleeping.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at start; only Advance moves it.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// WithClock runs the server on clock instead of the system's time.
func WithClock(clock *Clock) Option {
	return func(o *options) { o.clock = clock }
}

// WithTransitionTime makes component state changes take d: a component
// deployed, started, stopped or upgraded reports the passing state until
// d has passed on the server's clock. The default is 0: changes are
// immediate.
func WithTransitionTime(d time.Duration) Option {
	return func(o *options) { o.transition = max(d, 0) }
}

// now is the server's time. s.mu is held.
func (s *Server) now() time.Time {
	if s.clock != nil {
		return s.clock.Now()
	}
	return time.Now()
}

// transition is a state change in progress: the component reports its
// passing state until at, then to.
type transition struct {
	to string
	at time.Time
}

// change moves a component to state, through passing for the server's
// transition time. s.mu is held.
func (s *Server) change(c *component, passing, state string) {
	if s.transition <= 0 {
		c.state, c.pending = state, nil
		return
	}
	c.state = passing
	c.pending = &transition{to: state, at: s.now().Add(s.transition)}
}

// settle applies a component's change once its time has come. s.mu is
// held.
func (s *Server) settle(c *component) {
	if c.pending != nil && !s.now().Before(c.pending.at) {
		c.state, c.pending = c.pending.to, nil
	}
}

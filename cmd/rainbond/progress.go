package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// Waits: their own default --timeout, their progress on stderr (terminal
// or not, so that a CI log shows it), and an error, when the time runs
// out, that names what was still pending.

// waitSpec is how a command waits: the --timeout it defaults to when it
// waits, and when it does.
type waitSpec struct {
	timeout time.Duration
	// when says when the command waits, for help: "with --wait"; ""
	// when it always does.
	when string
	// waits reports whether the command line makes the command wait; nil
	// when it always does.
	waits func(fs *flag.FlagSet) bool
}

// waitsWith is a waitSpec for a command that waits when boolean flag
// name is set.
func waitsWith(name string, timeout time.Duration) *waitSpec {
	return &waitSpec{timeout: timeout, when: "with --" + name, waits: func(fs *flag.FlagSet) bool {
		f := fs.Lookup(name)
		return f != nil && f.Value.String() == "true"
	}}
}

// timeoutHelp is the --timeout flag's default, as help shows it.
func (n *node) timeoutHelp() string {
	switch {
	case n.wait == nil:
		return fmtDuration(defaultTimeout)
	case n.wait.waits == nil:
		return fmtDuration(n.wait.timeout)
	}
	return fmt.Sprintf("%s; %s %s", fmtDuration(defaultTimeout), fmtDuration(n.wait.timeout), n.wait.when)
}

// applyTimeout sets the command's --timeout when the command line did
// not: the wait's default when it waits.
func (n *node) applyTimeout(fs *flag.FlagSet, s *session) {
	if isFlagSet(fs, "timeout") {
		return
	}
	s.timeoutNote = "the default"
	if n.wait != nil && (n.wait.waits == nil || n.wait.waits(fs)) {
		s.timeout = n.wait.timeout
		if n.wait.when != "" {
			s.timeoutNote = "the default " + n.wait.when
		}
	}
}

// fmtDuration writes d without its zero units: 1m, 1h30m, 2s, 200ms.
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// elapsed is d rounded for a person: to the second, or the millisecond
// below a second.
func elapsed(d time.Duration) string {
	if d >= time.Second {
		return fmtDuration(d.Round(time.Second))
	}
	return fmtDuration(d.Round(time.Millisecond))
}

// tracker follows one wait: it prints a line on stderr when the state
// changes, and a heartbeat when it has printed nothing for a while, and
// remembers the components' names for errors.
type tracker struct {
	s     *session
	what  string // "the components of app 12 to be running"
	w     io.Writer
	start time.Time

	mu    sync.Mutex
	state string
	last  time.Time
	names map[string]string          // service_id: display name
	comps []rainbond.ServiceBaseInfo // as the last poll saw them

	stop chan struct{}
	done chan struct{}
}

// wait starts following a wait for what; call end when it is over.
func (s *session) wait(what string) *tracker {
	t := &tracker{s: s, what: what, w: s.progress(), start: time.Now(), names: map[string]string{}}
	t.mu.Lock()
	t.printLocked("waiting for %s (--timeout %s)", what, fmtDuration(s.timeout))
	t.mu.Unlock()
	if t.w != io.Discard && s.heartbeat > 0 {
		t.stop, t.done = make(chan struct{}), make(chan struct{})
		go t.beat(s.heartbeat)
	}
	return t
}

// printLocked writes a progress line, secrets redacted; t.mu is held.
func (t *tracker) printLocked(format string, args ...any) {
	t.last = time.Now()
	line := fmt.Sprintf(format, args...)
	fmt.Fprintf(t.w, "rainbond: [%s] %s\n", fmtDuration(time.Since(t.s.started).Round(time.Second)), t.s.redact(line))
}

// beat prints that the wait goes on when nothing was printed for every.
func (t *tracker) beat(every time.Duration) {
	defer close(t.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-t.stop:
			return
		case <-tick.C:
			t.mu.Lock()
			if time.Since(t.last) >= every*9/10 {
				state := ""
				if t.state != "" {
					state = ": " + t.state
				}
				t.printLocked("still waiting for %s%s", t.what, state)
			}
			t.mu.Unlock()
		}
	}
}

// set records the state of what is waited for, printing it when it
// changed.
func (t *tracker) set(state string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if state != t.state {
		t.state = state
		t.printLocked("%s", state)
	}
}

// say prints a line about the wait, whatever the state.
func (t *tracker) say(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.printLocked(format, args...)
}

// components records the components' states, as a wait's poll sees them.
func (t *tracker) components(comps []rainbond.ServiceBaseInfo) {
	states := make([]string, len(comps))
	t.mu.Lock()
	for i, c := range comps {
		t.names[c.ServiceID] = c.ServiceCname
		states[i] = displayName(c) + " " + c.Status.String()
	}
	t.comps = slices.Clone(comps)
	t.mu.Unlock()
	t.set(strings.Join(states, ", "))
}

// event records an event's state, as a wait's poll finds it (nil: not
// listed yet), printing it when it changed. The SDK has redacted its
// message; the line is redacted again as every progress line is. A done
// event is left to the wait's result, which says how it ended.
func (t *tracker) event(ev *rainbond.ComponentEvent) {
	switch {
	case ev == nil:
		t.set("the event is not listed among the component's events yet")
	case ev.Done():
	default:
		state := ev.OptType + " " + ev.Status.String()
		if ev.OptType == "" {
			state = "event " + ev.Status.String()
		}
		if msg := oneLine(ev.Message, 200); msg != "" {
			state += ": " + msg
		}
		t.set(state)
	}
}

// oneLine is s on one line, cut to at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}

// displayName is how a component is shown: its display name, else its id.
func displayName(c rainbond.ServiceBaseInfo) string {
	if c.ServiceCname != "" {
		return c.ServiceCname
	}
	return c.ServiceID
}

// end stops the heartbeat.
func (t *tracker) end() {
	if t.stop != nil {
		close(t.stop)
		<-t.done
		t.stop = nil
	}
}

// name is the display name of component id, as the wait saw it.
func (t *tracker) name(id string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := t.names[id]; n != "" {
		return n
	}
	return id
}

// result ends the wait and turns its error into the user's words: a
// wait whose time ran out names what was pending, by the names the user
// sees; components are named by their display names.
func (t *tracker) result(ctx context.Context, err error) error {
	t.end()
	if err == nil {
		return nil
	}
	var we *rainbond.WaitError
	var ee *rainbond.EventWaitError
	pending := ""
	switch {
	case errors.As(err, &we):
		pending = t.pendingComponents(we)
	case errors.As(err, &ee):
		pending = eventState(ee)
	default:
		t.mu.Lock()
		pending = t.state
		t.mu.Unlock()
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return t.timedOut(pending, true, err)
	}
	if we != nil {
		return &namedWaitError{msg: fmt.Sprintf("waiting for %s: %s: %v", t.what, pending, we.Err), err: err}
	}
	return err
}

// timedOut is the error of the wait when its time ran out.
func (t *tracker) timedOut(pending string, mayFinish bool, err error) *timeoutError {
	return &timeoutError{what: t.what, pending: pending, mayFinish: mayFinish, waited: time.Since(t.s.started),
		timeout: t.s.timeout, note: t.s.timeoutNote, err: err}
}

// pendingComponents names the components a wait still waited for, with
// their states.
func (t *tracker) pendingComponents(we *rainbond.WaitError) string {
	pending := we.Pending
	if len(pending) == 0 && we.Until != "" {
		// The wait ended during a poll: the last poll says what was pending.
		t.mu.Lock()
		pending = map[string]rainbond.ComponentStatus{}
		for _, c := range t.comps {
			if c.Status != we.Until {
				pending[c.ServiceID] = c.Status
			}
		}
		t.mu.Unlock()
	}
	ids := make([]string, 0, len(pending))
	for id := range pending {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return strings.Compare(t.name(a), t.name(b)) })
	parts := make([]string, len(ids))
	for i, id := range ids {
		state := pending[id].String()
		if pending[id] == "" {
			state = "no state reported"
		}
		parts[i] = t.name(id) + " (" + state + ")"
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ")
}

// eventState says how an event stood when its wait ended.
func eventState(ee *rainbond.EventWaitError) string {
	if ee.Event == nil {
		return fmt.Sprintf("event %s (not seen among the component's events)", ee.EventID)
	}
	state := fmt.Sprintf("event %s (%s, %s)", ee.EventID, ee.Event.OptType, ee.Event.Status)
	if ee.Event.Message != "" {
		state += ": " + ee.Event.Message
	}
	return state
}

// timeoutError is a wait whose time ran out (exit 7): what it waited for,
// what was still pending, and how long it waited.
type timeoutError struct {
	what, pending string
	mayFinish     bool // the work goes on without the command
	waited        time.Duration
	timeout       time.Duration
	note          string // where --timeout came from: "" given, else "the default..."
	err           error
}

func (e *timeoutError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "timed out after %s waiting for %s", elapsed(e.waited), e.what)
	if e.pending != "" {
		fmt.Fprintf(&b, "; still pending: %s", e.pending)
	}
	how := fmtDuration(e.timeout)
	if e.note != "" {
		how += ", " + e.note
	}
	if e.mayFinish {
		b.WriteString(". The work may still finish")
	}
	fmt.Fprintf(&b, "; to wait longer, raise --timeout (it was %s)", how)
	return b.String()
}

func (e *timeoutError) Unwrap() error { return e.err }

// namedWaitError is a wait's failure with the components named as the
// user sees them.
type namedWaitError struct {
	msg string
	err error
}

func (e *namedWaitError) Error() string { return e.msg }
func (e *namedWaitError) Unwrap() error { return e.err }

package rainbond

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// ErrComponentFailed is matched by the error of
// [AppsService.WaitForComponents] when a component reached one of the
// states in [WaitOptions].FailOn.
var ErrComponentFailed = errors.New("rainbond: component failed")

// ErrComponentGone is matched by the error of
// [AppsService.WaitForComponents] when a component it was watching is no
// longer in the app (deleted, or moved), so it can never reach the state.
var ErrComponentGone = errors.New("rainbond: component gone")

// Bounds of every wait of this package.
const (
	// DefaultWaitTimeout bounds a wait ([AppsService.WaitForComponents],
	// [AppsService.OperateAndWait] and the like) whose context has no
	// deadline and whose options set no Timeout: a wait always ends.
	DefaultWaitTimeout = 30 * time.Minute
	// MinPollInterval is the shortest wait between two polls a wait
	// accepts: less would poll the console in a loop as fast as it
	// answers.
	MinPollInterval = 10 * time.Millisecond
)

// WaitOptions tunes [AppsService.WaitForComponents].
type WaitOptions struct {
	// Until is the state every component must reach; empty means
	// [ComponentRunning]. Other useful ones: [ComponentClosed],
	// [ComponentUndeploy].
	Until ComponentStatus
	// ServiceIDs limits the wait to these components; empty waits for every
	// component the app has at the first poll. Components that appear
	// later are not waited for.
	ServiceIDs []string
	// FailOn lists states that end the wait at once with an error matching
	// ErrComponentFailed, e.g. [ComponentAbnormal]. Empty waits through any
	// state.
	FailOn []ComponentStatus
	// Interval is the wait after the first poll, 2 s by default; each next
	// wait is half again as long, up to MaxInterval (15 s by default).
	// Both must be at least MinPollInterval.
	Interval, MaxInterval time.Duration
	// Timeout bounds the wait when ctx has no deadline;
	// DefaultWaitTimeout when zero. A ctx deadline stands as it is.
	Timeout time.Duration
	// OnPoll, when set, receives the watched components after each poll,
	// e.g. to show progress. It must not keep the slice.
	OnPoll func([]ServiceBaseInfo)
}

// WaitError is the error of a [AppsService.WaitForComponents] that ended
// before every component reached the wanted state.
type WaitError struct {
	// AppID is the app waited on.
	AppID int64
	// Until is the state waited for.
	Until ComponentStatus
	// Pending maps the components not in that state to their last state
	// ("" when the cluster did not report one, or the component is gone).
	Pending map[string]ComponentStatus
	// Err is why the wait ended: the context's error, ErrComponentFailed,
	// ErrComponentGone, ErrNotFound for a component of ServiceIDs the app
	// did not have at the first poll, or the error of the last poll.
	Err error
}

// Error names the components still pending and why the wait ended.
func (e *WaitError) Error() string {
	ids := make([]string, 0, len(e.Pending))
	for id := range e.Pending {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = oneLine(id, 64) + ": " + oneLine(e.Pending[id].String(), 64)
	}
	return fmt.Sprintf("rainbond: waiting for the components of app %d to be %s: %d not yet (%s): %v",
		e.AppID, e.Until, len(ids), strings.Join(parts, ", "), e.Err)
}

// Unwrap returns why the wait ended.
func (e *WaitError) Unwrap() error { return e.Err }

// WaitForComponents polls the components of app appID until every one (or
// every one of opts.ServiceIDs) reports the state opts.Until, then returns
// them as last seen, Status holding each state. Polls back off from
// opts.Interval to opts.MaxInterval; each poll is a
// [AppsService.ListComponents] call (GET
// /teams/{team}/regions/{region}/apps/{app}/services), retried as the
// client's policy says.
//
// The components waited for are fixed at the first poll: one that then
// disappears ends the wait with [ErrComponentGone], never with success,
// and components added later are not waited for. It also ends early with a
// [*WaitError] when ctx ends, when a component reaches a state in
// opts.FailOn, when a component in opts.ServiceIDs is not in the app at
// the first poll, or when a poll fails; the components last seen are
// returned with it. An app without components has nothing to wait for and
// returns at once.
func (s *AppsService) WaitForComponents(ctx context.Context, teamID, regionName string, appID int64, opts *WaitOptions, callOpts ...CallOption) ([]ServiceBaseInfo, error) {
	return s.wait(ctx, teamID, regionName, appID, opts, nil, callOpts)
}

// wait is WaitForComponents; when opts names no components, it watches
// those of the first poll that pick accepts (nil: all).
func (s *AppsService) wait(ctx context.Context, teamID, regionName string, appID int64, opts *WaitOptions, pick func(ServiceBaseInfo) bool, callOpts []CallOption) ([]ServiceBaseInfo, error) {
	o := WaitOptions{Until: ComponentRunning, Interval: 2 * time.Second, MaxInterval: 15 * time.Second}
	if opts != nil {
		o.Until = cmp.Or(opts.Until, o.Until)
		o.ServiceIDs, o.FailOn, o.OnPoll = opts.ServiceIDs, opts.FailOn, opts.OnPoll
		o.Interval = cmp.Or(opts.Interval, o.Interval)
		o.MaxInterval = cmp.Or(opts.MaxInterval, max(o.MaxInterval, o.Interval))
		o.Timeout = opts.Timeout
	}
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	v.pollIntervals(o.Interval, o.MaxInterval, o.Timeout)
	if err := v.err(); err != nil {
		return nil, err
	}
	ctx, cancel := boundWait(ctx, o.Timeout, DefaultWaitTimeout)
	defer cancel()
	w := &waiter{opts: o, appID: appID, redact: s.client.creds().forms, pick: pick}
	wait := o.Interval
	var lastWatched []ServiceBaseInfo
	var lastPending map[string]ComponentStatus
	for {
		all, _, err := s.ListComponents(ctx, teamID, regionName, appID, callOpts...)
		if err != nil {
			// A poll cut short (ctx ended in it, the console failed): the
			// states last seen say what was still pending.
			return lastWatched, w.fail(lastPending, err)
		}
		watched, pending, err := w.check(all)
		lastWatched, lastPending = watched, pending
		if o.OnPoll != nil {
			o.OnPoll(watched)
		}
		if err != nil || len(pending) == 0 {
			return watched, err
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return watched, w.fail(pending, err)
		}
		wait = min(wait+wait/2, o.MaxInterval)
	}
}

// pollIntervals checks a wait's intervals and timeout.
func (v *validator) pollIntervals(interval, maxInterval, timeout time.Duration) {
	switch {
	case interval < MinPollInterval:
		v.add("interval", "%v: below MinPollInterval (%v), which would poll the console in a loop", interval, MinPollInterval)
	case maxInterval < interval:
		v.add("max_interval", "%v: below Interval (%v)", maxInterval, interval)
	}
	if timeout < 0 {
		v.add("timeout", "%v: must not be negative", timeout)
	}
}

// boundWait gives ctx a deadline when it has none: timeout, or def when
// timeout is zero.
func boundWait(ctx context.Context, timeout, def time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, cmp.Or(timeout, def))
}

// waiter is one WaitForComponents: the components it watches, fixed at
// the first poll.
type waiter struct {
	opts    WaitOptions
	appID   int64
	redact  redactor
	pick    func(ServiceBaseInfo) bool // the components to watch, when opts names none
	watched []string                   // nil until the first poll
}

// check picks the watched components out of a poll and says which are not
// yet in the wanted state, or why waiting is pointless.
func (w *waiter) check(all []ServiceBaseInfo) ([]ServiceBaseInfo, map[string]ComponentStatus, error) {
	byID := make(map[string]ServiceBaseInfo, len(all))
	for _, c := range all {
		byID[c.ServiceID] = c
	}
	first := w.watched == nil
	if first {
		w.watched = uniqueIDs(w.opts.ServiceIDs)
		if len(w.watched) == 0 {
			w.watched = make([]string, 0, len(all))
			for _, c := range all {
				if w.pick == nil || w.pick(c) {
					w.watched = append(w.watched, c.ServiceID)
				}
			}
		}
	}
	watched := make([]ServiceBaseInfo, 0, len(w.watched))
	var missing []string
	for _, id := range w.watched {
		c, ok := byID[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		watched = append(watched, c)
	}
	if len(missing) > 0 {
		gone := make(map[string]ComponentStatus, len(missing))
		for _, id := range missing {
			gone[id] = ""
		}
		cause := ErrComponentGone
		if first {
			cause = ErrNotFound
		}
		return watched, nil, w.fail(gone, fmt.Errorf("%w: %s not in app %d", cause, strings.Join(missing, ", "), w.appID))
	}
	pending := map[string]ComponentStatus{}
	for _, c := range watched {
		switch {
		case slices.Contains(w.opts.FailOn, c.Status):
			return watched, nil, w.fail(map[string]ComponentStatus{c.ServiceID: c.Status},
				fmt.Errorf("%w: %s (%s) is %s", ErrComponentFailed, c.ServiceCname, c.ServiceID, c.Status))
		case c.Status != w.opts.Until:
			pending[c.ServiceID] = c.Status
		}
	}
	return watched, pending, nil
}

// uniqueIDs is ids without repeats, in their first order.
func uniqueIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// fail builds the wait's error from redacted text: ids and states come
// from the console, which could echo anything.
func (w *waiter) fail(pending map[string]ComponentStatus, err error) error {
	clean := make(map[string]ComponentStatus, len(pending))
	for id, state := range pending {
		clean[w.redact.string(id)] = ComponentStatus(w.redact.string(string(state)))
	}
	return &WaitError{AppID: w.appID, Until: w.opts.Until, Pending: clean, Err: w.redact.error(err)}
}

package rainbond

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// A component's events and their logs: AppServiceEventsView
// (openapi/views/apps/apps.py, AppServiceEventsSerializer and
// ListServiceEventsResponse) and TeamEventLogView
// (openapi/views/team_view.py, TeamEventLogSerializer). The values are the
// cluster's (goodrain/rainbond db/model/event.go ServiceEvent), passed on
// as strings.

// EventStatus is how an event ended.
type EventStatus string

// The statuses the cluster gives an event (goodrain/rainbond
// db/model/event.go and the code that writes them); another value is kept
// as it is.
const (
	// EventPending: the cluster has not finished the event ("").
	EventPending EventStatus = ""
	// EventSuccess: the event succeeded.
	EventSuccess EventStatus = "success"
	// EventFailure: the event failed; Message says why.
	EventFailure EventStatus = "failure"
	// EventTimedOut: the work timed out in the cluster (a stop whose
	// instances did not end in time).
	EventTimedOut EventStatus = "timeout"
	// EventChecking: a health check of the component's instances failed
	// (a pod event, with final status running).
	EventChecking EventStatus = "checking"
)

// String returns the status, or "pending" for "".
func (s EventStatus) String() string {
	if s == EventPending {
		return "pending"
	}
	return string(s)
}

// EventFinalStatus says whether the cluster is done with an event.
type EventFinalStatus string

// The final statuses of an event (goodrain/rainbond db/model/event.go,
// api/util/events.go).
const (
	// EventRunning: the cluster is not done with the event ("" for an
	// operation, "running" for a health-check pod event).
	EventRunning EventFinalStatus = "running"
	// EventComplete: the cluster is done; Status says how it went.
	EventComplete EventFinalStatus = "complete"
	// EventEmptyComplete: a pod event completed by a later callback.
	EventEmptyComplete EventFinalStatus = "emptycomplete"
	// EventFinalFailure is defined by the cluster but never written.
	EventFinalFailure EventFinalStatus = "failure"
	// EventEmpty: a pod event (OOM killed, image pull back-off...) that a
	// callback may still complete.
	EventEmpty EventFinalStatus = "empty"
	// EventFinalTimeout: the operation was still unfinished three minutes
	// after it started when the next operation on the component looked at
	// it, and the cluster stopped waiting for it (api/util/events.go). The
	// work itself may still finish.
	EventFinalTimeout EventFinalStatus = "timeout"
)

// done reports a final status after which the cluster no longer follows
// the event.
func (s EventFinalStatus) done() bool {
	return s == EventComplete || s == EventEmptyComplete || s == EventFinalFailure || s == EventFinalTimeout
}

// ComponentEvent is an event of a component: a build, a deploy, an
// upgrade... Until the cluster finishes it, Status, FinalStatus and
// EndTime are "".
//
// Source: AppServiceEventsSerializer: fifteen strings, empty strings
// included; the console does not validate the cluster's values.
type ComponentEvent struct {
	// EventID identifies the event.
	EventID string `json:"event_id"`
	// UserName is who started it.
	UserName string `json:"user_name"`
	// OptType names the operation as the cluster records it, e.g.
	// "build-service", "upgrade-service".
	OptType string `json:"opt_type"`
	// Target is the kind of thing the event is about ("service").
	Target string `json:"target"`
	// TargetID is that thing's id (the component's).
	TargetID string `json:"target_id"`
	// ServiceID is the component's id.
	ServiceID string `json:"service_id"`
	// TenantID is the team's id.
	TenantID string `json:"tenant_id"`
	// Status is how the event ended; "" while it runs.
	Status EventStatus `json:"status"`
	// FinalStatus is "complete" once the cluster is done with the event;
	// "" while it runs.
	FinalStatus EventFinalStatus `json:"final_status"`
	// Message is the event's message, e.g. the reason of a failure.
	Message string `json:"message"`
	// RequestBody is the request that started it, as text.
	RequestBody string `json:"request_body"`
	// CreateTime, StartTime and EndTime are the cluster's times, as text.
	CreateTime string `json:"create_time"`
	// StartTime: see CreateTime.
	StartTime string `json:"start_time"`
	// EndTime: see CreateTime; "" while the event runs.
	EndTime string `json:"end_time"`
	// SynType is the cluster's synchronisation type, a number as text
	// ("0").
	SynType string `json:"syn_type"`
}

// Done reports whether the cluster is done with the event.
func (e *ComponentEvent) Done() bool { return e.FinalStatus.done() }

// EventList is a page of a component's events.
type EventList struct {
	// Events are the page's events, newest first.
	Events []ComponentEvent `json:"events"`
	// Total is the cluster's count of the component's events.
	Total int `json:"total"`
	// Page and PageSize are the page the console asked the cluster for.
	Page int `json:"page"`
	// PageSize: see Page.
	PageSize int `json:"page_size"`
}

// ListEvents returns a page of component serviceID's events, newest
// first; opts.Query is refused (the console has no search here).
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/events
// (consoles since v5.2.1).
func (s *ComponentsService) ListEvents(ctx context.Context, teamID, regionName string, appID int64, serviceID string, opts *ListOptions, callOpts ...CallOption) (*EventList, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/events")
	opts.validate(&v)
	if opts != nil && opts.Query != "" {
		v.add("query", "the console cannot search events")
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(EventList)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, query: opts.values().Encode(), opts: callOpts, since: sinceComponentRoutes}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// AllEvents iterates over component serviceID's events, newest first,
// fetching page after page as the loop goes, with the guarantees of
// [TeamsService.All]: it ends after the last page, at the first error,
// when ctx ends, and with [ErrPaging] when pages repeat an event.
func (s *ComponentsService) AllEvents(ctx context.Context, teamID, regionName string, appID int64, serviceID string, opts *ListOptions, callOpts ...CallOption) iter.Seq2[ComponentEvent, error] {
	return paginate(ctx, opts, func(e ComponentEvent) string { return e.EventID }, func(ctx context.Context, o *ListOptions) ([]ComponentEvent, int, error) {
		page, _, err := s.ListEvents(ctx, teamID, regionName, appID, serviceID, o, callOpts...)
		if err != nil {
			return nil, 0, err
		}
		return page.Events, page.Total, nil
	})
}

// EventLogLine is a line of an event's log.
type EventLogLine struct {
	// Message is the line.
	Message string `json:"message"`
	// Time is when it was written, as the cluster formats it.
	Time string `json:"time"`
	// UTime is the same time, as a Unix timestamp; 0 when absent.
	UTime int64 `json:"utime"`
}

// EventLogs returns the log of event eventID, in team teamID and region
// regionName: the lines written so far while the event runs. An unknown
// event has an empty log.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/events/{event_id}/logs
// (consoles since v5.4.0). A log holding an empty line makes the console
// refuse the whole answer (400 about logs[i].message).
func (s *ComponentsService) EventLogs(ctx context.Context, teamID, regionName, eventID string, callOpts ...CallOption) ([]EventLogLine, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/events/")
	v.pathSegment("event_id", eventID)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out struct {
		Logs []EventLogLine `json:"logs"`
	}
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path + url.PathEscape(eventID) + "/logs", opts: callOpts, since: sinceBuild}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out.Logs, resp, nil
}

// ErrEventFailed is matched by the error of [ComponentsService.WaitForEvent]
// when the event ended with a status other than success.
var ErrEventFailed = errors.New("rainbond: the event failed")

// ErrEventTimedOut is matched by the error of
// [ComponentsService.WaitForEvent] when the cluster marked the event timed
// out ([EventFinalTimeout]): it stopped following it, and the work may
// still finish. It also matches [ErrEventFailed].
var ErrEventTimedOut = fmt.Errorf("%w: the cluster marked it timed out", ErrEventFailed)

// ErrEventNotFound is matched by the error of
// [ComponentsService.WaitForEvent] when the event is not among the
// component's recent events.
var ErrEventNotFound = errors.New("rainbond: no such event among the component's recent events")

// DefaultEventTimeout bounds [ComponentsService.WaitForEvent] when its
// context has no deadline and its options set no Timeout.
const DefaultEventTimeout = DefaultWaitTimeout

// EventWaitOptions tunes [ComponentsService.WaitForEvent].
type EventWaitOptions struct {
	// Interval is the first wait between two polls, 2 s by default; each
	// next wait is half again as long, up to MaxInterval (10 s by
	// default). Both must be at least MinPollInterval.
	Interval, MaxInterval time.Duration
	// Timeout bounds the wait when ctx has no deadline;
	// DefaultEventTimeout when zero.
	Timeout time.Duration
	// Logs, when set, receives the event's log lines as they appear, in
	// order, each once; the last ones after the event is done. When the
	// log cannot be read, Logs receives the error (and a zero line) once,
	// and following the log stops; the wait goes on.
	Logs func(EventLogLine, error)
	// OnPoll, when set, is called after each poll with the event as found
	// (nil while it is not listed yet), its message redacted, so that a
	// caller can show its progress.
	OnPoll func(*ComponentEvent)
	// SearchPages is how many pages of the component's events (20 each)
	// are searched for the event at every poll; 3 by default.
	SearchPages int
	// Secrets are values to keep out of the event's message, its log
	// lines and the wait's error, besides the client's token and any
	// password in a URL (user:password@), which are always redacted: the
	// build's password, say, which a clone URL in a failure message can
	// carry.
	Secrets []Secret
}

// EventWaitError is the error of a [ComponentsService.WaitForEvent] that
// did not end in success.
type EventWaitError struct {
	// EventID is the event waited for.
	EventID string
	// Event is the event as last seen; nil when it was never found.
	Event *ComponentEvent
	// Err is why: ErrEventFailed, ErrEventNotFound, the context's error
	// (the wait timed out), or the error of a poll.
	Err error
}

// Error says how the wait ended.
func (e *EventWaitError) Error() string {
	state := "never seen"
	if e.Event != nil {
		state = fmt.Sprintf("status %s, final status %q", e.Event.Status, e.Event.FinalStatus)
		if e.Event.Message != "" {
			state += ": " + oneLine(e.Event.Message, 200)
		}
	}
	return fmt.Sprintf("rainbond: waiting for event %s (%s): %v", oneLine(e.EventID, 64), state, e.Err)
}

// Unwrap returns why the wait ended.
func (e *EventWaitError) Unwrap() error { return e.Err }

// WaitForEvent polls component serviceID's events until event eventID is
// done, and returns it. It ends:
//
//   - with the event and a nil error when it succeeded;
//   - with an [*EventWaitError] matching [ErrEventFailed] when it ended
//     otherwise (Event says how: failure, or timeout for a stop whose
//     instances did not end in time), and also [ErrEventTimedOut] when
//     the cluster marked it timed out and stopped following it;
//   - with an [*EventWaitError] matching context.DeadlineExceeded (or
//     Canceled) when ctx ends first, and [DefaultEventTimeout] bounds a
//     ctx without a deadline: the wait always ends;
//   - with an [*EventWaitError] matching [ErrEventNotFound] when the event
//     is not among the component's recent events (opts.SearchPages pages)
//     for five polls in a row, and with the error of a poll that fails.
//
// With opts.Logs it follows the event's log ([ComponentsService.EventLogs])
// at each poll, so that a command can stream a build's output.
func (s *ComponentsService) WaitForEvent(ctx context.Context, teamID, regionName string, appID int64, serviceID, eventID string, opts *EventWaitOptions, callOpts ...CallOption) (*ComponentEvent, error) {
	o := EventWaitOptions{Interval: 2 * time.Second, MaxInterval: 10 * time.Second, SearchPages: 3}
	if opts != nil {
		o.Interval = cmp.Or(opts.Interval, o.Interval)
		o.MaxInterval = cmp.Or(opts.MaxInterval, max(o.MaxInterval, o.Interval))
		o.Logs, o.OnPoll = opts.Logs, opts.OnPoll
		o.SearchPages = cmp.Or(opts.SearchPages, o.SearchPages)
		o.Timeout = opts.Timeout
		o.Secrets = opts.Secrets
	}
	v := s.client.validator(ctx)
	componentPath(&v, teamID, regionName, appID, serviceID, "")
	v.pathSegment("event_id", eventID)
	v.pollIntervals(o.Interval, o.MaxInterval, o.Timeout)
	if o.SearchPages < 0 {
		v.add("search_pages", "%d: must not be negative", o.SearchPages)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	ctx, cancel := boundWait(ctx, o.Timeout, DefaultEventTimeout)
	defer cancel()
	w := &eventWaiter{s: s, team: teamID, region: regionName, app: appID, service: serviceID, id: eventID, opts: o, callOpts: callOpts,
		redact: s.client.creds().forms.with(secretStrings(opts)...)}
	return w.run(ctx)
}

// eventWaiter is one WaitForEvent.
type eventWaiter struct {
	s                     *ComponentsService
	team, region, service string
	app                   int64
	id                    string
	opts                  EventWaitOptions
	callOpts              []CallOption
	last                  *ComponentEvent
	linesSeen             int
	logsFailed            bool
	redact                redactor // the token and opts.Secrets
}

// secretStrings are the wait's secrets, as text to find.
func secretStrings(opts *EventWaitOptions) []string {
	if opts == nil {
		return nil
	}
	out := make([]string, len(opts.Secrets))
	for i, s := range opts.Secrets {
		out[i] = s.Value()
	}
	return out
}

// notFoundPolls is how many polls in a row may miss the event before the
// wait gives up on it.
const notFoundPolls = 5

func (w *eventWaiter) run(ctx context.Context) (*ComponentEvent, error) {
	wait, misses := w.opts.Interval, 0
	for {
		ev, err := w.find(ctx)
		if err != nil {
			return w.fail(err)
		}
		if ev == nil {
			misses++
		} else {
			misses, w.last = 0, ev
		}
		w.followLogs(ctx)
		if w.opts.OnPoll != nil {
			w.opts.OnPoll(w.shown(ev))
		}
		switch {
		case misses >= notFoundPolls:
			_, err := w.fail(fmt.Errorf("%w (%d polls)", ErrEventNotFound, misses))
			return nil, err
		case ev != nil && ev.Done() && ev.Status == EventSuccess:
			return w.shown(ev), nil
		case ev != nil && ev.FinalStatus == EventFinalTimeout:
			return w.fail(fmt.Errorf("%w (unfinished three minutes after its start; the work may still finish)", ErrEventTimedOut))
		case ev != nil && ev.Done():
			return w.fail(fmt.Errorf("%w: status %s", ErrEventFailed, ev.Status))
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return w.fail(err)
		}
		wait = min(wait+wait/2, w.opts.MaxInterval)
	}
}

// shown is a copy of ev with its texts redacted, for OnPoll; nil for nil.
func (w *eventWaiter) shown(ev *ComponentEvent) *ComponentEvent {
	if ev == nil {
		return nil
	}
	c := *ev
	c.Message, c.RequestBody = w.redact.string(c.Message), w.redact.string(c.RequestBody)
	return &c
}

// searchPageSize is the page size WaitForEvent searches events with.
const searchPageSize = 20

// find looks for the event in the component's newest events. A console
// that answers every page with the same events (ignoring paging) ends the
// search with ErrPaging rather than being searched again and again.
func (w *eventWaiter) find(ctx context.Context) (*ComponentEvent, error) {
	var seen map[string]bool
	for page := 1; page <= w.opts.SearchPages; page++ {
		list, _, err := w.s.ListEvents(ctx, w.team, w.region, w.app, w.service, &ListOptions{Page: page, PageSize: searchPageSize}, w.callOpts...)
		if err != nil {
			return nil, err
		}
		for i := range list.Events {
			id := list.Events[i].EventID
			if id == w.id {
				return &list.Events[i], nil
			}
			if seen[id] {
				return nil, fmt.Errorf("%w: page %d of the component's events repeats event %s", ErrPaging, page, id)
			}
			if seen == nil {
				seen = make(map[string]bool, searchPageSize*w.opts.SearchPages)
			}
			seen[id] = true
		}
		if len(list.Events) < searchPageSize || page*searchPageSize >= list.Total {
			return nil, nil
		}
	}
	return nil, nil
}

// followLogs hands the lines written since the last poll to opts.Logs.
func (w *eventWaiter) followLogs(ctx context.Context) {
	if w.opts.Logs == nil || w.logsFailed {
		return
	}
	lines, _, err := w.s.EventLogs(ctx, w.team, w.region, w.id, w.callOpts...)
	if err != nil {
		w.logsFailed = true
		w.opts.Logs(EventLogLine{}, err)
		return
	}
	for _, line := range lines[min(w.linesSeen, len(lines)):] {
		line.Message = w.redact.string(line.Message)
		w.opts.Logs(line, nil)
	}
	w.linesSeen = max(w.linesSeen, len(lines))
}

// fail ends the wait with the event last seen and an error, both
// redacted copies: the event's message and request body come from the
// cluster, which could echo anything.
func (w *eventWaiter) fail(err error) (*ComponentEvent, error) {
	ev := w.shown(w.last)
	return ev, &EventWaitError{EventID: w.redact.string(w.id), Event: ev, Err: w.redact.error(err)}
}

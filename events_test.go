package rainbond

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	eventsPathT = componentPathT + "/events"
	logsPathT   = "/openapi/v1/teams/t1/regions/r1/events/ev1/logs"
)

// eventsPage is AppServiceEventsView's answer with event ev1 in the state
// given: fifteen strings each.
func eventsPage(status, final string) canned {
	return canned{status: 200, body: fmt.Sprintf(`{"page":1,"page_size":20,"total":2,"events":[
	 {"event_id":"ev1","user_name":"admin","end_time":"","target":"service","opt_type":"build-service","target_id":"s1",
	  "service_id":"s1","status":%q,"request_body":"","create_time":"2026-11-23T09:00:00","final_status":%q,
	  "start_time":"2026-11-23T09:00:00","syn_type":"0","message":"","tenant_id":"t1"},
	 {"event_id":"ev0","user_name":"admin","end_time":"x","target":"service","opt_type":"start-service","target_id":"s1",
	  "service_id":"s1","status":"success","request_body":"","create_time":"","final_status":"complete",
	  "start_time":"","syn_type":"0","message":"","tenant_id":"t1"}]}`, status, final)}
}

func logs(lines ...string) canned {
	body := `{"logs":[`
	for i, l := range lines {
		if i > 0 {
			body += ","
		}
		body += fmt.Sprintf(`{"message":%q,"time":"2026-11-23T09:00:0%d","utime":%d}`, l, i, 1795424400+i)
	}
	return canned{status: 200, body: body + "]}"}
}

var fastEvents = &EventWaitOptions{Interval: 10 * time.Millisecond, MaxInterval: 10 * time.Millisecond}

func TestWaitForEventFollowsTheBuildAndItsLog(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"GET " + eventsPathT: {eventsPage("", ""), eventsPage("", ""), eventsPage("success", "complete")},
		"GET " + logsPathT:   {logs("start"), logs("start", "pull"), logs("start", "pull", "done")},
	})
	var got []string
	var polled []EventStatus
	opts := *fastEvents
	opts.Logs = func(l EventLogLine, err error) {
		require.NoError(t, err)
		got = append(got, l.Message)
	}
	opts.OnPoll = func(ev *ComponentEvent) {
		require.NotNil(t, ev)
		polled = append(polled, ev.Status)
	}
	ev, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", &opts)
	require.NoError(t, err)
	assert.Equal(t, EventSuccess, ev.Status)
	assert.True(t, ev.Done())
	assert.Equal(t, []string{"start", "pull", "done"}, got, "each line once, in order, the last after the end")
	assert.Equal(t, []EventStatus{"", "", EventSuccess}, polled, "OnPoll sees each poll's event")
}

func TestWaitForEventReportsAFailedEvent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + eventsPathT: {eventsPage("failure", "complete")}})
	ev, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", fastEvents)
	require.ErrorIs(t, err, ErrEventFailed)
	var we *EventWaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, EventFailure, we.Event.Status)
	assert.Equal(t, EventFailure, ev.Status, "the event comes back with the error")
}

func TestWaitForEventEndsWhenTheContextDoes(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + eventsPathT: {eventsPage("", "")}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.Components.WaitForEvent(ctx, "t1", "r1", 7, "s1", "ev1", fastEvents)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var we *EventWaitError
	require.ErrorAs(t, err, &we)
	require.NotNil(t, we.Event)
	assert.False(t, we.Event.Done())
}

func TestWaitForEventGivesUpOnAnEventItNeverSees(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + eventsPathT: {eventsPage("", "")}})
	_, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev-unknown", fastEvents)
	assert.ErrorIs(t, err, ErrEventNotFound)
	assert.Len(t, rt.sentTo(), 5, "five polls, one page each: the page holds every event")
}

func TestWaitForEventKeepsWaitingWhenTheLogCannotBeRead(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"GET " + eventsPathT: {eventsPage("", ""), eventsPage("success", "complete")},
		"GET " + logsPathT:   {{status: 400, body: `{"detail":"参数错误","err":{"logs":[{},{"message":["该字段不能为空。"]}]},"code":20400}`}},
	})
	var errs []error
	opts := *fastEvents
	opts.Logs = func(_ EventLogLine, err error) { errs = append(errs, err) }
	_, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", &opts)
	require.NoError(t, err, "the event succeeded")
	require.Len(t, errs, 1, "the log's error is handed over once")
	assert.ErrorIs(t, errs[0], ErrBadRequest)
}

func TestAllEventsPagesThroughTheEvents(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + eventsPathT: {eventsPage("", "")}})
	var ids []string
	for ev, err := range c.Components.AllEvents(context.Background(), "t1", "r1", 7, "s1", &ListOptions{PageSize: 20}) {
		require.NoError(t, err)
		ids = append(ids, ev.EventID)
	}
	assert.Equal(t, []string{"ev1", "ev0"}, ids)
	assert.Len(t, rt.sentTo(), 1, "total 2 reached")
	assert.Equal(t, "page=1&page_size=20", rt.last(t).RawQuery)

	_, _, err := c.Components.ListEvents(context.Background(), "t1", "r1", 7, "s1", &ListOptions{Query: "build"})
	assertRefused(t, err, "query", "no search")
}

func TestEventLogsOfAnUnknownEventAreEmpty(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET /openapi/v1/teams/t1/regions/r1/events/nope/logs": {{status: 200, body: `{"logs":[]}`}}})
	lines, _, err := c.Components.EventLogs(context.Background(), "t1", "r1", "nope")
	require.NoError(t, err)
	assert.Empty(t, lines)
	_, _, err = c.Components.EventLogs(context.Background(), "t1", "r1", "../x")
	assert.True(t, errors.As(err, new(*ValidationError)))
}

func TestWaitForEventNoticesAConsoleRepeatingOnePage(t *testing.T) {
	t.Parallel()
	events := make([]string, searchPageSize)
	for i := range events {
		events[i] = fmt.Sprintf(`{"event_id":"old%d","status":"success","final_status":"complete"}`, i)
	}
	full := canned{status: 200, body: `{"page":1,"page_size":20,"total":100,"events":[` + strings.Join(events, ",") + `]}`}
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + eventsPathT: {full}})
	_, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", fastEvents)
	require.ErrorIs(t, err, ErrPaging)
	assert.Len(t, rt.sentTo(), 2, "the second page repeated the first: no third page, no second poll")
}

func TestWaitForEventEndsOnEveryFinalStateTheClusterWrites(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		polls []canned
		is    error
		not   error
	}{
		"marked timed out by the cluster": {[]canned{eventsPage("", ""), eventsPage("", "timeout")}, ErrEventTimedOut, nil},
		"a stop that timed out":           {[]canned{eventsPage("timeout", "complete")}, ErrEventFailed, ErrEventTimedOut},
		"a failure":                       {[]canned{eventsPage("failure", "complete")}, ErrEventFailed, ErrEventTimedOut},
	} {
		c, mt := newMockClient(t)
		rt := newRouter(mt, map[string][]canned{"GET " + eventsPathT: tc.polls})
		ev, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", fastEvents)
		require.ErrorIs(t, err, tc.is, name)
		assert.ErrorIs(t, err, ErrEventFailed, name)
		if tc.not != nil {
			assert.NotErrorIs(t, err, tc.not, name)
		}
		require.NotNil(t, ev, name)
		assert.Len(t, rt.sentTo(), len(tc.polls), "%s: ends at the state, without polling on", name)
	}

	// A health check's pod event is not an end.
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + eventsPathT: {eventsPage("checking", "running"), eventsPage("success", "complete")}})
	ev, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", fastEvents)
	require.NoError(t, err)
	assert.Equal(t, EventSuccess, ev.Status)
}

func TestAFailedEventsMessageNeverPrintsASecret(t *testing.T) {
	t.Parallel()
	const gitPassword = "gitpass-6d3c1f"
	failure := canned{status: 200, body: `{"page":1,"page_size":20,"total":1,"events":[{"event_id":"ev1","status":"failure","final_status":"complete",` +
		`"message":"clone https://ci:` + gitPassword + `@git.example.com/shop.git failed; token ` + testToken + `; again ` + gitPassword + `",` +
		`"request_body":"{\"password\": \"` + gitPassword + `\"}"}]}`}
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + eventsPathT: {failure}, "GET " + logsPathT: {logs("cloning https://ci:" + gitPassword + "@git.example.com/shop.git")}})
	var lines []string
	opts := *fastEvents
	opts.Secrets = []Secret{NewSecret(gitPassword)}
	opts.Logs = func(l EventLogLine, _ error) { lines = append(lines, l.Message) }
	ev, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", &opts)
	require.ErrorIs(t, err, ErrEventFailed)
	var we *EventWaitError
	require.ErrorAs(t, err, &we)
	printed := strings.Join([]string{err.Error(), fmt.Sprintf("%v|%+v|%#v", err, err, we), we.Event.Message, we.Event.RequestBody, ev.Message, strings.Join(lines, "\n")}, "\n")
	assert.NotContains(t, printed, gitPassword)
	assert.NotContains(t, printed, testToken)
	assert.Contains(t, err.Error(), "https://ci:[REDACTED]@git.example.com/shop.git")

	// Without Secrets, the token and a URL's password are still redacted.
	c, mt = newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + eventsPathT: {failure}})
	_, err = c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", fastEvents)
	assert.NotContains(t, err.Error(), testToken)
	assert.Contains(t, err.Error(), "ci:[REDACTED]@")
}

func TestAFinishedEventComesBackRedactedToo(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	page := eventsPage("success", "complete")
	page.body = strings.Replace(page.body, `"message":""`, `"message":"cloned https://ci:hunter2@git.example.com/shop.git with pw-9f8e7d6c"`, 1)
	newRouter(mt, map[string][]canned{"GET " + eventsPathT: {page}, "GET " + logsPathT: {logs()}})
	opts := *fastEvents
	opts.Secrets = []Secret{NewSecret("pw-9f8e7d6c")}
	ev, err := c.Components.WaitForEvent(context.Background(), "t1", "r1", 7, "s1", "ev1", &opts)
	require.NoError(t, err)
	assert.NotContains(t, ev.Message, "pw-9f8e7d6c")
	assert.NotContains(t, ev.Message, "hunter2")
}

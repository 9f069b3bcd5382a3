package rainbond

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTeamsListSendsPaging(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "console/teams.json"))
	answer(mt, rec)
	got, resp, err := c.Teams.List(context.Background(), &ListOptions{Query: "team a", Page: 2, PageSize: 5})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	sent := rec.only(t)
	assert.Equal(t, "GET", sent.Method)
	assert.Equal(t, "/openapi/v1/teams", sent.Path)
	assert.Equal(t, "page=2&page_size=5&query=team+a", sent.RawQuery)
	assert.Empty(t, sent.Body)
	assert.Equal(t, 12, got.Total)

	_, _, err = c.Teams.List(context.Background(), &ListOptions{Page: -1, PageSize: -2})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.True(t, ve.Has("page") && ve.Has("page_size"))
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestTeamRegionsAndRegionsAskTheirRoutes(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"/openapi/v1/teams/o19p6wen/regions",
		httpmock.NewStringResponder(200, readFixture(t, "console/team_regions.json")))
	mt.RegisterResponder("GET", testBase+"/openapi/v1/regions",
		httpmock.NewStringResponder(200, readFixture(t, "console/regions.json")))
	tr, _, err := c.Teams.ListRegions(context.Background(), "o19p6wen", nil)
	require.NoError(t, err)
	assert.Len(t, tr.Regions, 1)
	regions, _, err := c.Regions.List(context.Background())
	require.NoError(t, err)
	assert.Len(t, regions, 1)

	_, _, err = c.Teams.ListRegions(context.Background(), "../x", nil)
	var ve *ValidationError
	assert.True(t, errors.As(err, &ve))
	_, _, err = c.Teams.ListRegions(context.Background(), "o19p6wen", &ListOptions{Query: "rain"})
	require.ErrorAs(t, err, &ve, "the console's search of a team's regions is broken SQL: every query is a 500")
	assert.True(t, ve.Has("query"))
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestCreateAppSendsTheNameAndAccepts201(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(201, readFixture(t, "console/app_created.json"))
	answer(mt, rec)
	got, resp, err := c.Apps.Create(context.Background(), "t1", "rainbond", &AppPostInfo{AppName: "shop", AppNote: "n"})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "shop", got.GroupName)
	sent := rec.only(t)
	assert.Equal(t, "POST", sent.Method)
	assert.Equal(t, "/openapi/v1/teams/t1/regions/rainbond/apps", sent.Path)
	assert.JSONEq(t, `{"app_name": "shop", "app_note": "n"}`, string(sent.Body))

	_, _, err = c.Apps.Create(context.Background(), "t1", "rainbond", &AppPostInfo{AppName: " 博客_v1.0 ", AppNote: "   ", K8sApp: "blog"})
	require.NoError(t, err, "the console trims the name and allows a blank note")
	for _, bad := range []*AppPostInfo{nil, {}, {AppName: "  "}, {AppName: strings.Repeat("a", 129)},
		{AppName: "a b"}, {AppName: "a/b"}, {AppName: "x\x00"}, {AppName: "x", AppNote: "\x00"},
		{AppName: "x", K8sApp: " padded"}, {AppName: "\x1c\x1f"}} {
		_, _, err := c.Apps.Create(context.Background(), "t1", "rainbond", bad)
		var ve *ValidationError
		assert.True(t, errors.As(err, &ve), "%+v", bad)
	}
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestListAppsGetAppAndDelete(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	base := testBase + "/openapi/v1/teams/t1/regions/rainbond/apps"
	var queries []string
	mt.RegisterResponder("GET", base, func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.RawQuery)
		return httpmock.NewStringResponse(200, readFixture(t, "console/apps.json")), nil
	})
	mt.RegisterResponder("GET", base+"/42", httpmock.NewStringResponder(200, readFixture(t, "console/app_raw.json")))
	var deletes []string
	mt.RegisterResponder("DELETE", base+"/42", func(r *http.Request) (*http.Response, error) {
		deletes = append(deletes, r.URL.RawQuery)
		return httpmock.NewStringResponse(200, ""), nil
	})

	apps, _, err := c.Apps.List(context.Background(), "t1", "rainbond", &ListAppsOptions{Query: "blog & co"})
	require.NoError(t, err)
	assert.Len(t, apps, 2)
	_, _, err = c.Apps.List(context.Background(), "t1", "rainbond", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"query=blog+%26+co", ""}, queries)

	info, _, err := c.Apps.Get(context.Background(), "t1", "rainbond", 42)
	require.NoError(t, err)
	assert.Equal(t, int64(42), info.ID)

	resp, err := c.Apps.Delete(context.Background(), "t1", "rainbond", 42, nil)
	require.NoError(t, err, "the console answers 200 with no body")
	assert.Equal(t, 200, resp.StatusCode)
	_, err = c.Apps.Delete(context.Background(), "t1", "rainbond", 42, &DeleteAppOptions{Force: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"", "force=1"}, deletes)
}

// The lookup errors every team/region/app call shares, on each call.
func TestWorkflowCallsReportTheConsolesLookupErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"create": func(c *Client) error {
			_, _, err := c.Apps.Create(ctx, "t", "r", &AppPostInfo{AppName: "a"})
			return err
		},
		"list apps":  func(c *Client) error { _, _, err := c.Apps.List(ctx, "t", "r", nil); return err },
		"get":        func(c *Client) error { _, _, err := c.Apps.Get(ctx, "t", "r", 1); return err },
		"delete":     func(c *Client) error { _, err := c.Apps.Delete(ctx, "t", "r", 1, nil); return err },
		"components": func(c *Client) error { _, _, err := c.Apps.ListComponents(ctx, "t", "r", 1); return err },
		"copyable":   func(c *Client) error { _, _, err := c.Apps.ListCopyable(ctx, "t", "r", 1); return err },
		"team regions": func(c *Client) error {
			_, _, err := c.Teams.ListRegions(ctx, "t", nil)
			return err
		},
		"teams":   func(c *Client) error { _, _, err := c.Teams.List(ctx, nil); return err },
		"regions": func(c *Client) error { _, _, err := c.Regions.List(ctx); return err },
		"wait": func(c *Client) error {
			_, err := c.Apps.WaitForComponents(ctx, "t", "r", 1, nil)
			return err
		},
	}
	for name, call := range calls {
		for _, tc := range []struct {
			status int
			body   string
			code   int
		}{
			{404, `{"code": 404, "msg": "no found team", "msg_show": "团队不存在", "data": {"bean": {}, "list": []}}`, 404},
			{404, `{"code": 3000, "msg": "the region is not found", "msg_show": "集群不存在", "data": {"bean": {}, "list": []}}`, 3000},
			{400, `{"code": 400, "msg": "There are running components under the current application", "msg_show": "当前应用下有运行态的组件，不可删除"}`, 400},
			{401, `{"detail": "No such user", "code": 401, "msg": "No such user", "msg_show": "No such user", "error_type": "AuthenticationFailed"}`, 401},
		} {
			c, mt := newMockClient(t)
			answer(mt, newRecorder(tc.status, tc.body))
			err := call(c)
			var apiErr *APIError
			require.True(t, errors.As(err, &apiErr), "%s: %v", name, err)
			assert.Equal(t, tc.status, apiErr.StatusCode, name)
			assert.Equal(t, tc.code, apiErr.Code, name)
			assert.Equal(t, 1, mt.GetTotalCallCount(), name)
		}
	}
}

// pager answers /teams with total teams, pageSize at a time, as the console
// pages them.
func pager(t *testing.T, total, failOnPage int) (*Client, *httpmock.MockTransport) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"/openapi/v1/teams", func(r *http.Request) (*http.Response, error) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
		if page == failOnPage {
			return httpmock.NewStringResponse(502, "bad gateway"), nil
		}
		out := TeamList{Total: total, Tenants: []TeamInfo{}}
		for i := (page - 1) * size; i < min(page*size, total); i++ {
			out.Tenants = append(out.Tenants, TeamInfo{TenantID: "id" + strconv.Itoa(i), TenantName: "team" + strconv.Itoa(i)})
		}
		return httpmock.NewJsonResponse(200, out)
	})
	return c, mt
}

func TestAllIteratesOverEveryPageAndStops(t *testing.T) {
	t.Parallel()
	var names []string
	c, mt := pager(t, 7, 0)
	for team, err := range c.Teams.All(context.Background(), &ListOptions{PageSize: 3}) {
		require.NoError(t, err)
		names = append(names, team.TenantName)
	}
	assert.Equal(t, []string{"team0", "team1", "team2", "team3", "team4", "team5", "team6"}, names)
	assert.Equal(t, 3, mt.GetTotalCallCount(), "pages 1-3, and no fourth")

	c, mt = pager(t, 7, 0)
	for range c.Teams.All(context.Background(), &ListOptions{PageSize: 3}) {
		break
	}
	assert.Equal(t, 1, mt.GetTotalCallCount(), "breaking out fetches nothing more")

	c, mt = pager(t, 7, 2)
	var got []error
	for _, err := range c.Teams.All(context.Background(), &ListOptions{PageSize: 3}) {
		got = append(got, err)
	}
	require.Len(t, got, 4, "3 teams, then the error")
	assert.ErrorIs(t, got[3], ErrServer)
	assert.Equal(t, 2, mt.GetTotalCallCount(), "the 502 page is not retried by NoRetry")

	c, mt = pager(t, 7, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for _, err := range c.Teams.All(ctx, &ListOptions{PageSize: 3}) {
		if err != nil {
			assert.ErrorIs(t, err, context.Canceled)
			break
		}
		n++
		if n == 3 {
			cancel()
		}
	}
	assert.Equal(t, 3, n)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "a cancelled context ends the iteration")
}

func TestAllStopsOnAConsoleThatIgnoresPaging(t *testing.T) {
	t.Parallel()
	// answers serves page n (from 1) with the teams pages(n) names.
	answers := func(total int, pages func(n int) []string) *Client {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", testBase+"/openapi/v1/teams", func(r *http.Request) (*http.Response, error) {
			n, _ := strconv.Atoi(r.URL.Query().Get("page"))
			out := TeamList{Total: total}
			for _, id := range pages(n) {
				out.Tenants = append(out.Tenants, TeamInfo{TenantID: id})
			}
			return httpmock.NewJsonResponse(200, out)
		})
		return c
	}
	run := func(c *Client, pageSize int) (count int, errs []error) {
		for _, err := range c.Teams.All(context.Background(), &ListOptions{PageSize: pageSize}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			count++
		}
		return count, errs
	}
	for name, tc := range map[string]struct {
		c        *Client
		size     int
		items    int
		contains string
	}{
		"the same page again": {answers(0, func(int) []string { return []string{"a", "b"} }), 2, 2, `repeats "a"`},
		// The same items in a changing order, with no total.
		"shuffled": {answers(0, func(n int) []string {
			items := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
			return append(items[n%10:], items[:n%10]...)
		}), 10, 10, "repeats"},
		// Pages A, B, A with a huge total.
		"alternating": {answers(1<<30, func(n int) []string {
			if n%2 == 0 {
				return []string{"c", "d"}
			}
			return []string{"a", "b"}
		}), 2, 4, `page 3 repeats "a"`},
		"the total reached": {answers(3, func(n int) []string { return []string{"p" + strconv.Itoa(n)} }), 1, 3, ""},
	} {
		count, errs := run(tc.c, tc.size)
		if tc.contains == "" {
			assert.Empty(t, errs, name)
			assert.Equal(t, tc.items, count, name)
			continue
		}
		assert.Equal(t, tc.items, count, name)
		require.Len(t, errs, 1, name)
		assert.ErrorIs(t, errs[0], ErrPaging, name)
		assert.ErrorContains(t, errs[0], tc.contains, name)
	}
	// A console whose single-item pages never end and never repeat, with a
	// total it then exceeds.
	count, errs := run(answers(2, func(n int) []string { return []string{"p" + strconv.Itoa(n)} }), 10)
	assert.Equal(t, 2, count, "a short page ends a list; a total ends it sooner")
	assert.Empty(t, errs)
}

func TestAllStopsAtMaxPages(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"/openapi/v1/teams", func(r *http.Request) (*http.Response, error) {
		return httpmock.NewJsonResponse(200, TeamList{Total: 1 << 30, Tenants: []TeamInfo{{TenantID: r.URL.Query().Get("page")}}})
	})
	var last error
	count := 0
	for _, err := range c.Teams.All(context.Background(), &ListOptions{PageSize: 1}) {
		if err != nil {
			last = err
			break
		}
		count++
	}
	assert.Equal(t, MaxPages, count)
	assert.ErrorIs(t, last, ErrPaging)
	assert.Equal(t, MaxPages+1, mt.GetTotalCallCount())
}

// states answers a component list whose states advance one poll at a time.
func states(t *testing.T, polls ...string) (*Client, *httpmock.MockTransport) {
	c, mt := newMockClient(t)
	n := 0
	mt.RegisterResponder("GET", testBase+"/openapi/v1/teams/t/regions/r/apps/1/services", func(r *http.Request) (*http.Response, error) {
		body := polls[min(n, len(polls)-1)]
		n++
		return httpmock.NewStringResponse(200, body), nil
	})
	return c, mt
}

func comps(statuses ...string) string {
	out := "["
	for i, s := range statuses {
		if i > 0 {
			out += ","
		}
		out += `{"service_id": "s` + strconv.Itoa(i) + `", "service_cname": "c` + strconv.Itoa(i) + `", "status": "` + s + `"}`
	}
	return out + "]"
}

func TestWaitForComponentsPollsWithBackoffUntilAllRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := states(t, comps("undeploy", "starting"), comps("starting", "running"), comps("running", "running"))
		start := time.Now()
		got, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, nil)
		require.NoError(t, err)
		assert.Equal(t, 3, mt.GetTotalCallCount())
		assert.Equal(t, 2*time.Second+3*time.Second, time.Since(start), "waits of 2 s, then 3 s")
		require.Len(t, got, 2)
		assert.Equal(t, ComponentRunning, got[1].Status)
	})
}

func TestWaitForComponentsEndsWithTheContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, _ := states(t, comps("running", "starting"))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		got, err := c.Apps.WaitForComponents(ctx, "t", "r", 1, &WaitOptions{Interval: time.Second, MaxInterval: 4 * time.Second})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var we *WaitError
		require.True(t, errors.As(err, &we))
		assert.Equal(t, map[string]ComponentStatus{"s1": ComponentStarting}, we.Pending)
		assert.Len(t, got, 2, "the last states seen")
		assert.Contains(t, err.Error(), "s1: starting")
	})
}

func TestWaitForComponentsCutInAPollSaysWhatWasPending(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	n := 0
	mt.RegisterResponder("GET", testBase+"/openapi/v1/teams/t/regions/r/apps/1/services", func(r *http.Request) (*http.Response, error) {
		if n++; n == 1 {
			return httpmock.NewStringResponse(200, comps("running", "starting")), nil
		}
		return httpmock.NewStringResponse(502, "bad gateway"), nil
	})
	got, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, &WaitOptions{Interval: MinPollInterval})
	var we *WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, map[string]ComponentStatus{"s1": ComponentStarting}, we.Pending, "the states of the last poll that answered")
	assert.Len(t, got, 2)
}

func TestWaitForComponentsStopsOnAFailureStateOrAMissingComponent(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := states(t, comps("starting", "starting"), comps("abnormal", "running"))
		_, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, &WaitOptions{FailOn: []ComponentStatus{ComponentAbnormal}})
		assert.ErrorIs(t, err, ErrComponentFailed)
		assert.Equal(t, 2, mt.GetTotalCallCount())

		c, _ = states(t, comps("running"))
		_, err = c.Apps.WaitForComponents(context.Background(), "t", "r", 1, &WaitOptions{ServiceIDs: []string{"s0", "nope"}})
		assert.ErrorIs(t, err, ErrNotFound)

		c, mt = states(t, comps("running", "closed"), comps("closed", "closed"))
		got, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, &WaitOptions{Until: "closed", ServiceIDs: []string{"s1"}})
		require.NoError(t, err, "only s1 is watched")
		assert.Equal(t, 1, mt.GetTotalCallCount())
		assert.Len(t, got, 1)

		c, _ = states(t, `[]`)
		got, err = c.Apps.WaitForComponents(context.Background(), "t", "r", 1, nil)
		assert.NoError(t, err, "nothing to wait for")
		assert.Empty(t, got)
	})
}

func TestWaitForComponentsNeverCallsVanishedComponentsASuccess(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// a, b starting, then no components at all.
		c, _ := states(t, comps("starting", "starting"), `[]`)
		got, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, nil)
		require.ErrorIs(t, err, ErrComponentGone)
		var we *WaitError
		require.ErrorAs(t, err, &we)
		assert.Equal(t, map[string]ComponentStatus{"s0": "", "s1": ""}, we.Pending)
		assert.Empty(t, got)

		// Replaced by other components, which run.
		c, _ = states(t, comps("starting", "starting"),
			`[{"service_id": "x0", "status": "running"}, {"service_id": "x1", "status": "running"}]`)
		_, err = c.Apps.WaitForComponents(context.Background(), "t", "r", 1, nil)
		assert.ErrorIs(t, err, ErrComponentGone)

		// One of two gone while the other runs.
		c, _ = states(t, comps("starting", "starting"), `[{"service_id": "s0", "status": "running"}]`)
		_, err = c.Apps.WaitForComponents(context.Background(), "t", "r", 1, nil)
		assert.ErrorIs(t, err, ErrComponentGone)
		assert.ErrorContains(t, err, "s1 not in app 1")
	})
}

func TestWaitForComponentsIgnoresComponentsThatAppearLater(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := states(t, comps("starting"), comps("running", "abnormal"))
		got, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, &WaitOptions{FailOn: []ComponentStatus{ComponentAbnormal}})
		require.NoError(t, err, "s1 was not there at the first poll")
		assert.Equal(t, 2, mt.GetTotalCallCount())
		require.Len(t, got, 1)
		assert.Equal(t, "s0", got[0].ServiceID)
	})
}

func TestWaitForComponentsTreatsAnUnreportedStateAsPending(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := states(t, `[{"service_id": "s0", "status": null}]`, comps("running"))
		_, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, nil)
		require.NoError(t, err)
		assert.Equal(t, 2, mt.GetTotalCallCount())

		c, _ = states(t, `[{"service_id": "s0", "status": null}]`)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err = c.Apps.WaitForComponents(ctx, "t", "r", 1, &WaitOptions{Interval: 100 * time.Millisecond})
		assert.ErrorContains(t, err, "s0: unreported")
	})
}

func TestEveryComponentWaitIsBoundedByDefault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := states(t, comps("starting"))
		mt.RegisterResponder("POST", testBase+"/openapi/v1/teams/t/regions/r/apps/1/operations", httpmock.NewStringResponder(200, `{}`))
		start := time.Now()
		_, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, nil)
		require.ErrorIs(t, err, context.DeadlineExceeded, "a context without a deadline still ends")
		assert.Equal(t, 30*time.Minute, time.Since(start), "the documented default")

		start = time.Now()
		_, err = c.Apps.OperateAndWait(context.Background(), "t", "r", 1, &AppOperation{Action: ActionStart, ServiceIDs: []string{"s0"}},
			&WaitOptions{Timeout: time.Minute})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Minute, time.Since(start), "Timeout replaces the default")
	})
}

func TestAWaitRefusesAnIntervalThatWouldPollInALoop(t *testing.T) {
	t.Parallel()
	c, mt := states(t, comps("starting"))
	for _, o := range []*WaitOptions{{Interval: time.Nanosecond}, {Interval: time.Second, MaxInterval: time.Millisecond}, {Timeout: -1}} {
		_, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, o)
		assert.ErrorAs(t, err, new(*ValidationError), "%+v", o)
	}
	_, err := c.Components.WaitForEvent(context.Background(), "t", "r", 1, "s1", "ev1", &EventWaitOptions{Interval: time.Nanosecond})
	assert.ErrorAs(t, err, new(*ValidationError))
	assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")
}

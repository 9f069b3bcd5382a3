package rainbond

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const teamsPage = `{"tenants": [{"tenant_id": "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", "tenant_name": "o19p6wen", "tenant_alias": "Team A",
 "enterprise_id": "e1f0a2b3c4d5e6f708192a3b4c5d6e7f", "is_active": true, "create_time": "2026-01-02 03:04:05", "creater": "admin",
 "role_infos": [{"role_id": 6, "role_name": "owner"}], "service_num": 12, "region_num": 2, "unknown": 1}], "total": 7}`

func TestTeamsListSendsPagingAndDecodesEveryField(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, teamsPage)
	answer(mt, rec)
	got, resp, err := c.Teams.List(context.Background(), &ListOptions{Query: "team a", Page: 2, PageSize: 5})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	sent := rec.only(t)
	assert.Equal(t, "GET", sent.Method)
	assert.Equal(t, "/openapi/v1/teams", sent.Path)
	assert.Equal(t, "page=2&page_size=5&query=team+a", sent.RawQuery)
	assert.Empty(t, sent.Body)
	assert.Equal(t, &TeamList{Total: 7, Tenants: []TeamInfo{{
		TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", TenantName: "o19p6wen", TenantAlias: "Team A",
		EnterpriseID: "e1f0a2b3c4d5e6f708192a3b4c5d6e7f", IsActive: true, CreateTime: "2026-01-02 03:04:05",
		Creater: "admin", RoleInfos: []RoleInfo{{RoleID: 6, RoleName: "owner"}}, ServiceNum: 12, RegionNum: 2,
	}}}, got)

	_, _, err = c.Teams.List(context.Background(), &ListOptions{Page: -1, PageSize: -2})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.True(t, ve.Has("page") && ve.Has("page_size"))
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestTeamRegionsAndRegionsDecodeEveryField(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"/openapi/v1/teams/o19p6wen/regions", httpmock.NewStringResponder(200,
		`{"regions": [{"region_id": "r1", "region_name": "rainbond", "region_alias": "默认集群", "tenant_name": "o19p6wen",
		  "url": "https://r:8443", "wsurl": "ws://r:6060", "httpdomain": "apps.test", "tcpdomain": "tcp.test", "token": null,
		  "status": "1", "desc": "d", "scope": "private"}], "total": 1}`))
	mt.RegisterResponder("GET", testBase+"/openapi/v1/regions", httpmock.NewStringResponder(200,
		`[{"region_id": "r1", "region_name": "rainbond", "region_alias": "默认集群", "url": "https://r:8443", "wsurl": "ws://r:6060",
		  "httpdomain": "apps.test", "tcpdomain": "tcp.test", "scope": "private", "ssl_ca_cert": null, "cert_file": "CERT",
		  "key_file": null, "status": "1", "desc": "d"}]`))
	tr, _, err := c.Teams.ListRegions(context.Background(), "o19p6wen", nil)
	require.NoError(t, err)
	assert.Equal(t, &TeamRegionList{Total: 1, Regions: []TeamRegion{{
		RegionID: "r1", RegionName: "rainbond", RegionAlias: "默认集群", TenantName: "o19p6wen", URL: "https://r:8443",
		WsURL: "ws://r:6060", HTTPDomain: "apps.test", TCPDomain: "tcp.test", Status: "1", Desc: "d", Scope: "private",
	}}}, tr)
	regions, _, err := c.Regions.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []RegionInfo{{
		RegionID: "r1", RegionName: "rainbond", RegionAlias: "默认集群", URL: "https://r:8443", WsURL: "ws://r:6060",
		HTTPDomain: "apps.test", TCPDomain: "tcp.test", Scope: "private", CertFile: ptr("CERT"), Status: "1", Desc: "d",
	}}, regions)

	_, _, err = c.Teams.ListRegions(context.Background(), "../x", nil)
	var ve *ValidationError
	assert.True(t, errors.As(err, &ve))
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

const appJSON = `{"ID": 12, "tenant_id": "t1", "group_name": "blog", "region_name": "rainbond", "is_default": false,
 "order_index": 3, "note": null, "username": "admin", "governance_mode": "KUBERNETES_NATIVE_SERVICE", "k8s_app": "blog",
 "app_type": "rainbond", "logo": "", "create_time": "2026-11-01T08:00:00.000000", "update_time": "2026-11-02T08:00:00+08:00"`

var wantApp = AppBaseInfo{
	ID: 12, TenantID: "t1", GroupName: "blog", RegionName: "rainbond", OrderIndex: 3, Username: "admin",
	GovernanceMode: "KUBERNETES_NATIVE_SERVICE", K8sApp: "blog", AppType: "rainbond",
	CreateTime: "2026-11-01T08:00:00.000000", UpdateTime: "2026-11-02T08:00:00+08:00",
}

func TestCreateAppSendsTheNameAndAccepts201(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(201, appJSON+`}`)
	answer(mt, rec)
	got, resp, err := c.Apps.Create(context.Background(), "t1", "rainbond", &AppPostInfo{AppName: "blog", AppNote: "n"})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, &wantApp, got)
	sent := rec.only(t)
	assert.Equal(t, "POST", sent.Method)
	assert.Equal(t, "/openapi/v1/teams/t1/regions/rainbond/apps", sent.Path)
	assert.JSONEq(t, `{"app_name": "blog", "app_note": "n"}`, string(sent.Body))

	for _, bad := range []*AppPostInfo{nil, {}, {AppName: "  "}, {AppName: string(make([]byte, 129))}} {
		_, _, err := c.Apps.Create(context.Background(), "t1", "rainbond", bad)
		var ve *ValidationError
		assert.True(t, errors.As(err, &ve), "%+v", bad)
	}
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestListAppsGetAppAndDelete(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	base := testBase + "/openapi/v1/teams/t1/regions/rainbond/apps"
	var queries []string
	mt.RegisterResponder("GET", base, func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.RawQuery)
		return httpmock.NewStringResponse(200, `[`+appJSON+`}]`), nil
	})
	mt.RegisterResponder("GET", base+"/12", httpmock.NewStringResponder(200, appJSON+`, "enterprise_id": "e1",
		"service_count": 3, "running_service_count": 2, "used_momory": 1536, "used_cpu": 1500, "app_id": 12,
		"team_name": "o19p6wen", "status": "part_running"}`))
	var deletes []string
	mt.RegisterResponder("DELETE", base+"/12", func(r *http.Request) (*http.Response, error) {
		deletes = append(deletes, r.URL.RawQuery)
		return httpmock.NewStringResponse(200, ""), nil
	})

	apps, _, err := c.Apps.List(context.Background(), "t1", "rainbond", &ListAppsOptions{Query: "blog & co"})
	require.NoError(t, err)
	assert.Equal(t, []AppBaseInfo{wantApp}, apps)
	_, _, err = c.Apps.List(context.Background(), "t1", "rainbond", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"query=blog+%26+co", ""}, queries)

	info, _, err := c.Apps.Get(context.Background(), "t1", "rainbond", 12)
	require.NoError(t, err)
	assert.Equal(t, &AppInfo{AppBaseInfo: wantApp, EnterpriseID: "e1", ServiceCount: 3, RunningServiceCount: 2,
		UsedMemory: 1536, UsedCPU: 1500, AppID: 12, TeamName: "o19p6wen", Status: AppPartRunning}, info)

	resp, err := c.Apps.Delete(context.Background(), "t1", "rainbond", 12, nil)
	require.NoError(t, err, "the console answers 200 with no body")
	assert.Equal(t, 200, resp.StatusCode)
	_, err = c.Apps.Delete(context.Background(), "t1", "rainbond", 12, &DeleteAppOptions{Force: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"", "force=1"}, deletes)
}

func TestComponentsAndCopyableLists(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	base := testBase + "/openapi/v1/teams/t1/regions/rainbond/apps/12"
	mt.RegisterResponder("GET", base+"/services", httpmock.NewStringResponder(200,
		`[{"service_id": "s1", "service_cname": "mysql", "status": "running", "min_memory": 1024, "desc": null}]`))
	mt.RegisterResponder("GET", base+"/copy", httpmock.NewStringResponder(200,
		`[{"service_id": "s1", "service_cname": "mysql", "service_alias": "gr1a2b3c", "service_type": "application",
		  "version": "8.0", "deploy_version": "20261101080000", "app_name": "blog", "min_memory": "1024",
		  "create_status": "complete", "update_time": "2026-11-01 08:00:00",
		  "build_source": {"version": "8.0", "language": null, "code_from": null, "service_source": "market",
		   "image": "goodrain.me/mysql:8.0", "docker_cmd": null, "git_url": null, "code_version": null, "rain_app_name": "mysql"}}]`))
	comps, _, err := c.Apps.ListComponents(context.Background(), "t1", "rainbond", 12)
	require.NoError(t, err)
	assert.Equal(t, []ServiceBaseInfo{{ServiceID: "s1", ServiceCname: "mysql", Status: "running", MinMemory: 1024}}, comps)
	copyable, _, err := c.Apps.ListCopyable(context.Background(), "t1", "rainbond", 12)
	require.NoError(t, err)
	assert.Equal(t, []AppCopyL{{
		ServiceID: "s1", ServiceCname: "mysql", ServiceAlias: "gr1a2b3c", ServiceType: "application", Version: "8.0",
		DeployVersion: "20261101080000", AppName: "blog", MinMemory: "1024", CreateStatus: "complete",
		UpdateTime:  "2026-11-01 08:00:00",
		BuildSource: &CopyBuildSource{Version: ptr("8.0"), ServiceSource: ptr("market"), Image: ptr("goodrain.me/mysql:8.0"), RainAppName: ptr("mysql")},
	}}, copyable)
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
			out.Tenants = append(out.Tenants, TeamInfo{TenantName: "team" + strconv.Itoa(i)})
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
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"/openapi/v1/teams", httpmock.NewStringResponder(200,
		`{"tenants": [{"tenant_name": "a"}, {"tenant_name": "b"}]}`))
	var errs []error
	count := 0
	for _, err := range c.Teams.All(context.Background(), &ListOptions{PageSize: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		count++
	}
	assert.Equal(t, 2, count)
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "ignores paging")
	assert.Equal(t, 2, mt.GetTotalCallCount())
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
		assert.Equal(t, "running", got[1].Status)
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
		assert.Equal(t, map[string]string{"s1": "starting"}, we.Pending)
		assert.Len(t, got, 2, "the last states seen")
		assert.Contains(t, err.Error(), "s1: starting")
	})
}

func TestWaitForComponentsStopsOnAFailureStateOrAMissingComponent(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := states(t, comps("starting", "starting"), comps("abnormal", "running"))
		_, err := c.Apps.WaitForComponents(context.Background(), "t", "r", 1, &WaitOptions{FailOn: []string{"abnormal"}})
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

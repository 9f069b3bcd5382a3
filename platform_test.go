package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The answers below are the console's, as openapi/views/user_view.py,
// admin_view.py, team_view.py, region_view.py and enterprise_view.py
// write them (see the comments at each call).

const meBody = `{"bean":{"user_id":1,"email":"admin@example.com","nick_name":"admin","real_name":null,"phone":null,"is_active":true,"origion":"","enterprise_id":"e1"}}`

// emptyCreated is the console's 201 without a body or a Content-Type.
var emptyCreated = canned{status: 201, header: http.Header{}}

func TestMeReadsTheBeanWrapper(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET /openapi/v1/currentuser": {{status: 200, body: meBody}}})
	me, _, err := c.Users.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, CurrentUser{UserID: 1, NickName: "admin", Email: "admin@example.com", IsActive: true, EnterpriseID: "e1"}, *me)
}

func TestMeOnTheConsolesThatFailIt(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// v6.0.0 to v6.3.x: KeyError on the dropped origion column.
	newRouter(mt, map[string][]canned{"GET /openapi/v1/currentuser": {{status: 500,
		body: `{"code":10401,"msg":"'origion'","msg_show":"Traceback (most recent call last): ...","error_type":"KeyError"}`}}})
	_, _, err := c.Users.Me(context.Background())
	require.ErrorIs(t, err, ErrCurrentUserBroken)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.StatusCode)
}

func TestPingTellsItsFailuresApart(t *testing.T) {
	t.Parallel()
	unauthorized := canned{status: 401, body: `{"detail":"No such user or user is not admin","code":401}`}
	for name, tc := range map[string]struct {
		answers map[string][]canned
		check   func(t *testing.T, err error)
	}{
		"wrong base URL": {map[string][]canned{"GET /openapi/v1/currentuser": {djangoNotFound}, "GET /openapi/v1/regions": {djangoNotFound}},
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrNoOpenAPI) }},
		"bad token": {map[string][]canned{"GET /openapi/v1/currentuser": {unauthorized}},
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrUnauthorized) }},
		"old console": {map[string][]canned{"GET /openapi/v1/currentuser": {djangoNotFound}, "GET /openapi/v1/regions": {{status: 200, body: `[]`}},
			"GET /openapi/v1/teams": {{status: 200, body: `{"tenants":[],"total":0,"page":1,"page_size":1}`}}},
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrUnsupported)
				assert.NotErrorIs(t, err, ErrUnauthorized)
			}},
		"old console, bad token": {map[string][]canned{"GET /openapi/v1/currentuser": {djangoNotFound}, "GET /openapi/v1/regions": {unauthorized},
			"GET /openapi/v1/teams": {unauthorized}},
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrUnauthorized) }},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			newRouter(mt, tc.answers)
			res, err := c.Ping(context.Background())
			assert.Nil(t, res)
			tc.check(t, err)
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterNoResponder(httpmock.NewErrorResponder(errors.New("dial tcp 10.0.0.9:7070: connect: connection refused")))
		_, err := c.Ping(context.Background())
		var te *TransportError
		assert.ErrorAs(t, err, &te)
	})
	t.Run("success, with the version", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		rt := newRouter(mt, map[string][]canned{"GET /openapi/v1/currentuser": {{status: 200, body: meBody}},
			// console/views/logos.py ConfigRUDView: the envelope, bean.version.
			"GET /console/config/info": {{status: 200, body: `{"code":200,"msg":"query success","msg_show":"Logo获取成功","data":{"bean":{"version":{"enable":true,"value":"v6.9.8-release"},"enterprise_id":"e1"}}}`}}})
		res, err := c.Ping(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "admin", res.User.NickName)
		assert.Equal(t, "v6.9.8-release", res.ConsoleVersion)
		assert.Empty(t, rt.last(t).Header.Get("Authorization"), "the configuration page gets no token")
	})
}

func TestCreateUserSendsWhatTheConsoleNeedsAndReadsTheUserBack(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET /openapi/v1/currentuser": {{status: 200, body: meBody}},
		"POST /openapi/v1/users":      {emptyCreated},
		// ListUsersView: every enterprise's, by substring; alice of e2 first.
		"GET /openapi/v1/users": {{status: 200, body: `{"users":[{"user_id":9,"nick_name":"alice","enterprise_id":"e2"},` +
			`{"user_id":8,"nick_name":"alice2","enterprise_id":"e1"},{"user_id":7,"email":"alice@example.com","nick_name":"alice","phone":null,` +
			`"is_active":true,"origion":null,"create_time":"2026-12-04 10:00:00","client_ip":null,"enterprise_id":"e1"}],"total":3}`}},
	})
	user, _, err := c.Users.Create(context.Background(), &UserCreate{NickName: "alice", Password: NewSecret("s3cret-pass"), Email: "alice@example.com"})
	require.NoError(t, err)
	assert.Equal(t, int64(7), user.UserID)
	assert.Equal(t, []string{"GET /openapi/v1/currentuser", "POST /openapi/v1/users", "GET /openapi/v1/users"}, rt.sentTo())
	assert.Contains(t, rt.last(t).RawQuery, "query=alice")
	var body map[string]any
	require.NoError(t, json.Unmarshal(rt.requests[1].Body, &body))
	assert.Equal(t, map[string]any{"nick_name": "alice", "password": "s3cret-pass", "email": "alice@example.com", "enterprise_id": "e1", "is_active": true}, body)
}

func TestCreateUserRefusesWhatTheConsoleWould(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	ok := UserCreate{NickName: "alice", Password: NewSecret("12345678"), Email: "a@example.com", EnterpriseID: "e1"}
	for name, tc := range map[string]struct {
		edit  func(u *UserCreate)
		field string
	}{
		"short password": {func(u *UserCreate) { u.Password = NewSecret("1234567") }, "password"},
		"long password":  {func(u *UserCreate) { u.Password = NewSecret(strings.Repeat("x", 17)) }, "password"},
		"no email":       {func(u *UserCreate) { u.Email = "" }, "email"},
		"bad email":      {func(u *UserCreate) { u.Email = "alice@localhost" }, "email"},
		"space in name":  {func(u *UserCreate) { u.NickName = "al ice" }, "nick_name"},
		"long name":      {func(u *UserCreate) { u.NickName = strings.Repeat("a", 25) }, "nick_name"},
		"long phone":     {func(u *UserCreate) { u.Phone = "123456789012" }, "phone"},
	} {
		in := ok
		tc.edit(&in)
		_, _, err := c.Users.Create(context.Background(), &in)
		assertRefused(t, err, tc.field, name)
		assert.NotContains(t, err.Error(), in.Password.Value(), name)
	}
	assert.Empty(t, rt.sentTo())
}

func TestCreateUserMarksTheConsolesExistErrors(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]canned{
		// The view reads e.message, which Python 3 exceptions lack: a 500.
		"name taken": {status: 500, body: `{"code":10401,"msg":"'UserExistError' object has no attribute 'message'","msg_show":"...","error_type":"AttributeError"}`},
		"email used": {status: 400, body: `{"code":400,"msg":"email already exists","msg_show":"邮箱alice@example.com已存在"}`},
	} {
		c, mt := newMockClient(t)
		newRouter(mt, map[string][]canned{"POST /openapi/v1/users": {answer}})
		_, _, err := c.Users.Create(context.Background(), &UserCreate{NickName: "alice", Password: NewSecret("12345678"), Email: "alice@example.com", EnterpriseID: "e1"})
		assert.ErrorIs(t, err, ErrUserExists, name)
	}
}

// usersDoesNotExist is the console's 500 for a user it does not have (the
// view catches another exception than the one its lookup raises).
var usersDoesNotExist = canned{status: 500, body: `{"code":10401,"msg":"Users matching query does not exist.","msg_show":"...","error_type":"DoesNotExist"}`}

func TestGetUserNotFoundIsTheConsoles500(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET /openapi/v1/users/99": {usersDoesNotExist}})
	_, _, err := c.Users.Get(context.Background(), 99)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestGetByIDIsNotTheUserNamedSo(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// No user 42: UserInfoView then looks for a user named "42".
	newRouter(mt, map[string][]canned{"GET /openapi/v1/users/42": {{status: 200, body: `{"user_id":3,"nick_name":"42","enterprise_id":"e1"}`}}})
	_, _, err := c.Users.Get(context.Background(), 42)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestGetByNameOfDigitsIsNotAnotherUser(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET /openapi/v1/users/12": {{status: 200, body: `{"user_id":12,"nick_name":"bob","enterprise_id":"e1"}`}}})
	_, _, err := c.Users.GetByName(context.Background(), "12")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "user id 12")
}

func TestUpdateUserChecksFirstAndNeverChangesTheEmailAlone(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET /openapi/v1/users/99": {usersDoesNotExist}})
	email := "new@example.com"
	_, _, err := c.Users.Update(context.Background(), 99, &UserUpdate{Email: &email})
	assertRefused(t, err, "email", "email without password")
	assert.Empty(t, rt.sentTo())

	_, _, err = c.Users.Update(context.Background(), 99, &UserUpdate{Email: &email, Password: NewSecret("12345678")})
	assert.ErrorIs(t, err, ErrNotFound, "the console answers success for an unknown user")
	assert.Equal(t, []string{"GET /openapi/v1/users/99"}, rt.sentTo(), "no PUT")
}

func TestStopTeamsIsSentOnceThoughAGet(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetry(RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	rt := newRouter(mt, map[string][]canned{
		"GET /openapi/v1/users/5":       {{status: 200, body: `{"user_id":5,"nick_name":"bob"}`}},
		"GET /openapi/v1/users/5/close": {{status: 502, body: "bad gateway", header: http.Header{"Content-Type": {"text/plain"}}}},
	})
	_, err := c.Users.StopTeams(context.Background(), 5)
	require.Error(t, err)
	assert.Equal(t, []string{"GET /openapi/v1/users/5", "GET /openapi/v1/users/5/close"}, rt.sentTo(), "a GET that stops components is not resent")
}

func TestRemoveAdminMarksTheConsolesRefusals(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		answer canned
		is     error
	}{
		"last admin": {canned{status: 500, body: `{"code":10401,"msg":"'ErrCannotDelLastAdminUser' object has no attribute 'message'","error_type":"AttributeError"}`}, ErrLastAdmin},
		"self":       {canned{status: 400, body: `{"detail":"参数错误","err":{"msg":"不能删除自己"},"code":20400,"error_type":"ValidationError"}`}, ErrRemoveSelf},
		"not admin":  {canned{status: 404, body: `{"detail":"用户'3'不是企业管理员","code":404,"msg":"用户'3'不是企业管理员","error_type":"NotFound"}`}, ErrNotFound},
	} {
		c, mt := newMockClient(t)
		newRouter(mt, map[string][]canned{"DELETE /openapi/v1/administrators/3": {tc.answer}})
		_, err := c.Admins.Remove(context.Background(), 3)
		assert.ErrorIs(t, err, tc.is, name)
	}
}

func TestAdminsAllGoesPastShortPagesAndListsEachOnce(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// Rows whose user is gone count in total but are not listed, so a
	// page may be short before the last; a user administering two
	// enterprises is listed twice.
	rt := newRouter(mt, map[string][]canned{"GET /openapi/v1/administrators": {
		{status: 200, body: `{"users":[{"user_id":1,"nick_name":"admin"}],"total":4}`},
		{status: 200, body: `{"users":[{"user_id":1,"nick_name":"admin"},{"user_id":2,"nick_name":"bob"}],"total":4}`},
		{status: 200, body: `{"users":[],"total":4}`},
	}})
	var got []int64
	for u, err := range c.Admins.All(context.Background(), "e1") {
		require.NoError(t, err)
		got = append(got, u.UserID)
	}
	assert.Equal(t, []int64{1, 2}, got)
	assert.Len(t, rt.sentTo(), 3, "until the empty page")
	assert.Contains(t, rt.last(t).RawQuery, "eid=e1")
}

func usage(team string) string {
	return `{"total_cpu":4000,"total_memory":8192,"used_cpu":500,"used_memory":1024,"used_cpu_percentage":12.5,"used_memory_percentage":12.5,"team_id":"` + team + `","team_name":"n","team_alias":"a"}`
}

func TestUsageOfNamesThePairsTheConsoleDropped(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// (A, r1) is dropped: the console answers the others in order.
	rt := newRouter(mt, map[string][]canned{"POST /openapi/v1/teams/resource": {{status: 200, body: `[` + usage("B") + `]`}}})
	got, _, err := c.Teams.UsageOf(context.Background(), []TeamRegionRef{{"A", "r1"}, {"B", "r1"}})
	require.NoError(t, err)
	assert.Nil(t, got[0].Usage)
	require.NotNil(t, got[1].Usage)
	assert.Equal(t, int64(500), got[1].Usage.UsedCPU)
	assert.Len(t, rt.sentTo(), 1)
}

func TestUsageOfAsksOneByOneWhenTheAnswerCannotSay(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"POST /openapi/v1/teams/resource":             {{status: 200, body: `[` + usage("B") + `,` + usage("A") + `]`}},
		"GET /openapi/v1/teams/A/regions/r1/resource": {{status: 409, body: `{"code":2001,"msg":"team not opened in the region","msg_show":"团队未开通该集群"}`}},
		"GET /openapi/v1/teams/A/regions/r2/resource": {{status: 200, body: usage("A")}},
	})
	got, _, err := c.Teams.UsageOf(context.Background(), []TeamRegionRef{{"A", "r1"}, {"B", "r1"}, {"A", "r2"}})
	require.NoError(t, err)
	assert.Nil(t, got[0].Usage, "A is not opened in r1")
	assert.NotNil(t, got[1].Usage)
	assert.NotNil(t, got[2].Usage)
	assert.Len(t, rt.sentTo(), 3)
}

func TestUsageOfTrustsNoMatchWhenAnAnswerFitsNoPair(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// The answer names team "a" as "A" (MySQL compares without case), then
	// a team the SDK cannot place: no match is trusted, each pair is asked.
	rt := newRouter(mt, map[string][]canned{
		"POST /openapi/v1/teams/resource":             {{status: 200, body: `[` + usage("A") + `,` + usage("Z") + `]`}},
		"GET /openapi/v1/teams/a/regions/r1/resource": {{status: 200, body: usage("A")}},
		"GET /openapi/v1/teams/b/regions/r1/resource": {{status: 404, body: `{"code":404,"msg":"no found team","msg_show":"团队不存在"}`}},
	})
	got, _, err := c.Teams.UsageOf(context.Background(), []TeamRegionRef{{"a", "r1"}, {"b", "r1"}})
	require.NoError(t, err)
	assert.NotNil(t, got[0].Usage)
	assert.Nil(t, got[1].Usage)
	assert.Len(t, rt.sentTo(), 3)
}

func TestTeamUpdateSendsTheTenantIDAndOnlyWhatChanges(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	team := `{"tenant_id":"0123456789abcdef0123456789abcdef","tenant_name":"shop","tenant_alias":"Shop","is_active":true}`
	rt := newRouter(mt, map[string][]canned{
		// By tenant_name, the route answers 404 code 2002.
		"GET /openapi/v1/teams/shop":                             {{status: 404, body: `{"code":2002,"msg":"team not found","msg_show":"团队不存在"}`}},
		"GET /openapi/v1/teams":                                  {{status: 200, body: `{"tenants":[` + team + `],"total":1,"page":1,"page_size":10}`}},
		"PUT /openapi/v1/teams/0123456789abcdef0123456789abcdef": {{status: 200, header: http.Header{}}},
		"GET /openapi/v1/teams/0123456789abcdef0123456789abcdef": {{status: 200, body: strings.Replace(team, `"Shop"`, `"Shop EU"`, 1)}},
	})
	alias := "Shop EU"
	got, _, err := c.Teams.Update(context.Background(), "shop", &TeamUpdate{Alias: &alias})
	require.NoError(t, err)
	assert.Equal(t, "Shop EU", got.TenantAlias)
	var body map[string]any
	for _, r := range rt.requests {
		if r.Method == http.MethodPut {
			require.NoError(t, json.Unmarshal(r.Body, &body))
		}
	}
	assert.Equal(t, map[string]any{"tenant_alias": "Shop EU"}, body)

	blank := " "
	_, _, err = c.Teams.Update(context.Background(), "shop", &TeamUpdate{Alias: &blank})
	assertRefused(t, err, "tenant_alias", "blank alias")
}

func TestRegionCreateSendsEveryMemberTheConsoleNeeds(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET /openapi/v1/currentuser": {{status: 200, body: meBody}},
		"POST /openapi/v1/regions": {{status: 201, body: `{"region_id":"f00d","region_name":"eu","region_alias":"EU","url":"https://10.0.0.1:8443","token":null,` +
			`"wsurl":"wss://10.0.0.1:6060","httpdomain":"eu.example.com","tcpdomain":"10.0.0.1","scope":"private","ssl_ca_cert":"","cert_file":"","key_file":"PRIVATE","status":"1","desc":"","enterprise_id":"e1"}`}},
	})
	in := &RegionCreate{Name: "eu", Alias: "EU", URL: "https://10.0.0.1:8443", WsURL: "wss://10.0.0.1:6060", HTTPDomain: "eu.example.com", TCPDomain: "10.0.0.1", KeyFile: NewSecret("PRIVATE")}
	region, _, err := c.Regions.Create(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, "PRIVATE", region.KeyFile.Value())
	assert.NotContains(t, fmtAll(region), "PRIVATE")
	var body map[string]any
	require.NoError(t, json.Unmarshal(rt.last(t).Body, &body))
	assert.Regexp(t, `^[0-9a-f]{32}$`, body["region_id"], "required, then replaced by the console")
	for _, member := range []string{"ssl_ca_cert", "cert_file"} {
		assert.Equal(t, "", body[member], "%s must be text: None fails the console's connection test", member)
	}
	assert.Equal(t, "e1", body["enterprise_id"])
	assert.Equal(t, "1", body["status"])

	for name, tc := range map[string]struct {
		edit  func(r *RegionCreate)
		field string
	}{
		"in-cluster name": {func(r *RegionCreate) { r.URL = "https://rbd-api-api:8443" }, "url"},
		"tcp not an IP":   {func(r *RegionCreate) { r.TCPDomain = "tcp.example.com" }, "tcpdomain"},
		"bad scope":       {func(r *RegionCreate) { r.Scope = "shared" }, "scope"},
		"bad status":      {func(r *RegionCreate) { r.Status = "4" }, "status"},
		"dotted name":     {func(r *RegionCreate) { r.Name = "eu.west" }, "region_name"},
	} {
		bad := *in
		tc.edit(&bad)
		_, _, err := c.Regions.Create(context.Background(), &bad)
		assertRefused(t, err, tc.field, name)
	}
}

// fmtAll prints v every way a log line might.
func fmtAll(v any) string {
	b, _ := json.Marshal(v)
	return fmt.Sprintf("%v %+v %#v %s", v, v, v, b)
}

// consolePaste is what the console and Prometheus do with the query
// parameter: Django decodes it once, the console pastes it after
// "?query=" (get_query_data), urllib3 leaves %XX escapes and the
// sub-delimiters as they are, and Prometheus (Go's url.ParseQuery) decodes
// what arrives.
func consolePaste(t *testing.T, rawQuery string) string {
	t.Helper()
	django, err := url.ParseQuery(rawQuery)
	require.NoError(t, err)
	pasted := "query=" + django.Get("query")
	prom, err := url.ParseQuery(pasted)
	require.NoError(t, err)
	require.Len(t, prom, 1, "nothing split off the query: %q", pasted)
	return prom.Get("query")
}

func TestQueryReachesPrometheusIntact(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET /openapi/v1/monitor/query": {{status: 200, body: `{"status":"success","data":{"resultType":"vector","result":[]}}`}}})
	promql := `sum(rate(http_requests_total{job="api",path=~"/a|/b"}[5m])) + sum(up) & 100 # comment`
	_, _, err := c.Monitor.Query(context.Background(), "rainbond", promql)
	require.NoError(t, err)
	assert.Equal(t, promql, consolePaste(t, rt.last(t).RawQuery))
}

func TestPrometheusAnswersDecodeIntoSeries(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"GET /openapi/v1/monitor/query": {{status: 200, body: `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"__name__":"up","job":"api"},"value":[1700000000.123,"1"]},{"metric":{"job":"db"},"value":[1700000000.123,"NaN"]}]},"warnings":["w"]}`}},
		"GET /openapi/v1/monitor/query_range": {{status: 200, body: `{"status":"success","data":{"resultType":"matrix","result":[` +
			`{"metric":{"job":"api"},"values":[[1700000000,"1.5"],[1700000060,"+Inf"]]}]}}`}},
	})
	res, _, err := c.Monitor.Query(context.Background(), "rainbond", "up")
	require.NoError(t, err)
	require.Len(t, res.Series, 2)
	assert.Equal(t, "api", res.Series[0].Labels["job"])
	assert.Equal(t, time.Unix(1700000000, 123000000), res.Series[0].Samples[0].Time)
	assert.Equal(t, 1.0, res.Series[0].Samples[0].Value)
	assert.True(t, math.IsNaN(res.Series[1].Samples[0].Value))
	assert.Equal(t, []string{"w"}, res.Warnings)

	start := time.Unix(1700000000, 0)
	res, _, err = c.Monitor.QueryRange(context.Background(), "rainbond", "up", start, start.Add(time.Minute), time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "matrix", res.Type)
	require.Len(t, res.Series[0].Samples, 2)
	assert.Equal(t, 1.5, res.Series[0].Samples[0].Value)
	assert.True(t, math.IsInf(res.Series[0].Samples[1].Value, 1))
}

func TestQueryRefusesWhatTheConsolesServerWouldCut(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	// 2,000 bytes of '{' grow to 10,000 once encoded twice: past the 8 KiB
	// request line of the console's server.
	_, _, err := c.Monitor.Query(context.Background(), "rainbond", strings.Repeat("{", 2000))
	assertRefused(t, err, "query", "too long once encoded")
	assert.Empty(t, rt.sentTo())
}

func TestQueryRangeChecksItsWindow(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	now := time.Now()
	_, _, err := c.Monitor.QueryRange(context.Background(), "rainbond", "up", now, now.Add(-time.Minute), time.Second)
	assertRefused(t, err, "end", "end before start")
	_, _, err = c.Monitor.QueryRange(context.Background(), "rainbond", "up", now.Add(-24*time.Hour), now, time.Second)
	assertRefused(t, err, "step", "too many points")
	assert.Empty(t, rt.sentTo())
}

func TestAppMetricsReadTheConsolesReshapedAnswer(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// TeamAppsMonitorQueryView: metric dropped, the time stringified.
	newRouter(mt, map[string][]canned{"GET " + appBaseT + "/monitor/query": {{status: 200, body: `[{"monitors":[{"data":{"resultType":"vector","result":[{"value":["1700000000.5","42"]}]},` +
		`"monitor_item":"request_time","status":"success"}],"service_id":"s1","service_cname":"web","service_alias":"gr1"}]`}}})
	got, _, err := c.Apps.AppMetrics(context.Background(), "t1", "r1", 7, false)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, []Sample{{Time: time.Unix(1700000000, 500000000), Value: 42}}, got[0].Metrics[AppRequestTime])
	assert.Equal(t, `ceil(avg(app_requesttime{mode="avg",service_id="s1"}))`, AppRequestTime.PromQL("s1"))
}

func TestPublishModelReadsTheViewsOwnAnswer(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// EntAppModelView answers {"msg", "app_id"}, not the envelope.
	rt := newRouter(mt, map[string][]canned{"POST /openapi/v1/app_model": {
		{status: 200, body: `{"msg":"版本已创建","app_id":"5d3c0a6b1e2f4a9b8c7d6e5f4a3b2c1d"}`},
		{status: 200, body: `{"msg":"版本已更新","app_id":"5d3c0a6b1e2f4a9b8c7d6e5f4a3b2c1d"}`},
	}})
	in := &ModelPublish{Name: "shop", Version: "1.0", Components: json.RawMessage(`[{"service_cname":"web"}]`)}
	got, _, err := c.Apps.PublishModel(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, ModelPublished{ModelID: "5d3c0a6b1e2f4a9b8c7d6e5f4a3b2c1d", Created: true}, *got)
	got, _, err = c.Apps.PublishModel(context.Background(), in)
	require.NoError(t, err)
	assert.False(t, got.Created, "the version was replaced")
	var body map[string]any
	require.NoError(t, json.Unmarshal(rt.last(t).Body, &body))
	assert.Equal(t, []any{map[string]any{"service_cname": "web"}}, body["apps"], "an array, not a JSON string")

	_, _, err = c.Apps.PublishModel(context.Background(), &ModelPublish{Name: "shop", Version: "1.0", Components: json.RawMessage(`{}`)})
	assertRefused(t, err, "apps", "not an array")
}

func TestPingTakesAProxysPageForAWrongAddress(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]canned{
		"nginx 404": {status: 404, header: http.Header{"Content-Type": {"text/html"}}, body: "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>"},
		"a web app": {status: 200, header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, body: "<!doctype html><title>Welcome</title>"},
	} {
		c, mt := newMockClient(t)
		newRouter(mt, map[string][]canned{"GET /openapi/v1/currentuser": {answer}})
		_, err := c.Ping(context.Background())
		assert.ErrorIs(t, err, ErrNoOpenAPI, name)
	}
}

func TestSamplesWriteNaNAndInfinitiesAsPrometheusDoes(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	b, err := json.Marshal([]Sample{{at, 1.5}, {at, math.NaN()}, {at, math.Inf(1)}, {at, math.Inf(-1)}})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"time":"2026-12-04T10:00:00Z","value":1.5},{"time":"2026-12-04T10:00:00Z","value":"NaN"},`+
		`{"time":"2026-12-04T10:00:00Z","value":"+Inf"},{"time":"2026-12-04T10:00:00Z","value":"-Inf"}]`, string(b))
}

package rainbondtest_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// From openapi/views/enterprise_view.py MonitorQueryOverview and
// MonitorQueryRangeOverview, openapi/views/apps/apps.py
// TeamAppsMonitorQueryView and TeamAppsMonitorQueryRangeView, and
// www/apiclient/regionapi.py (notes: r5-platform.md §6).

// at1700000000 is a clock at 2023-11-14T22:13:20Z: minute 28333333 of
// the epoch, so up{job="db"} is 1, app_requesttime 27.5 and
// app_requestclient 4.
func at1700000000() *rainbondtest.Clock { return rainbondtest.NewClock(time.Unix(1700000000, 0)) }

// promQuery asks GET /monitor/query for promql, encoded once as a client
// encodes a parameter.
func promQuery(t *testing.T, srv *rainbondtest.Server, region, promql string) map[string]any {
	t.Helper()
	resp := do(t, srv, "GET", "/openapi/v1/monitor/query?region_name="+region+"&query="+url.QueryEscape(promql), "")
	require.Equal(t, 200, resp.StatusCode)
	return readJSON(t, resp).(map[string]any)
}

func results(body map[string]any) []any {
	return body["data"].(map[string]any)["result"].([]any)
}

func TestMonitorQueryPassesPrometheusOnBare(t *testing.T) {
	t.Parallel()
	clock := at1700000000()
	srv := rainbondtest.NewServer(rainbondtest.WithClock(clock))
	defer srv.Close()
	resp := do(t, srv, "GET", "/openapi/v1/monitor/query?region_name=rainbond&query=up", "")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `{"status":"success","data":{"resultType":"vector","result":[`+
		`{"metric":{"__name__":"up","instance":"rbd-api:8443","job":"api"},"value":[1700000000,"1"]},`+
		`{"metric":{"__name__":"up","instance":"rbd-db:3306","job":"db"},"value":[1700000000,"1"]}]}}`, bodyOf(t, resp))

	for promql, want := range map[string]string{`sum(up)`: "2", `avg(up)`: "1", `max(up{job!="api"})`: "1", `sum(up{job=~"a.*"})`: "1"} {
		got := results(promQuery(t, srv, "rainbond", promql))
		require.Len(t, got, 1, promql)
		assert.Equal(t, map[string]any{}, got[0].(map[string]any)["metric"], promql)
		assert.Equal(t, want, got[0].(map[string]any)["value"].([]any)[1], promql)
	}
	assert.Empty(t, results(promQuery(t, srv, "rainbond", `sum(nothing)`)))

	clock.Advance(6*time.Minute + 500*time.Millisecond) // minute 28333339: db is down
	got := results(promQuery(t, srv, "rainbond", `sum(up)`))
	assert.Equal(t, []any{1700000360.5, "1"}, got[0].(map[string]any)["value"])
}

func TestMonitorQueryPastesTheQueryUnencoded(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithClock(at1700000000()))
	defer srv.Close()
	// Encoded once, '+' reaches Prometheus as a space.
	assert.Empty(t, results(promQuery(t, srv, "rainbond", `up{job=~"a+pi"}`)))
	// Encoded twice, it survives.
	once := strings.NewReplacer("{", "%7B", "}", "%7D", `"`, "%22", "=", "%3D", "~", "%7E", "+", "%2B").Replace(`up{job=~"a+pi"}`)
	resp := do(t, srv, "GET", "/openapi/v1/monitor/query?region_name=rainbond&query="+url.QueryEscape(once), "")
	require.Equal(t, 200, resp.StatusCode)
	assert.Len(t, results(readJSON(t, resp).(map[string]any)), 1)
	// '&' splits the parameter.
	assert.Len(t, results(promQuery(t, srv, "rainbond", `up&job="db"`)), 2)

	resp = do(t, srv, "GET", "/openapi/v1/monitor/query?region_name=rainbond&query="+url.QueryEscape(`sum(up)+sum(up)`), "")
	require.Equal(t, 400, resp.StatusCode)
	var failed struct {
		Code int `json:"code"`
		Msg  struct {
			APIType  string `json:"apitype"`
			URL      string `json:"url"`
			Method   string `json:"method"`
			HTTPCode int    `json:"httpcode"`
			Body     struct {
				Status, ErrorType, Error string
			} `json:"body"`
		} `json:"msg"`
		MsgShow string `json:"msg_show"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&failed))
	assert.Equal(t, 400, failed.Code)
	assert.Equal(t, "Not specified", failed.Msg.APIType)
	assert.Equal(t, "https://rainbond.region.test:8443/api/v1/query?query=sum(up)+sum(up)", failed.Msg.URL)
	assert.Equal(t, 400, failed.Msg.HTTPCode)
	assert.Equal(t, "error", failed.Msg.Body.Status)
	assert.Equal(t, "bad_data", failed.Msg.Body.ErrorType)
	assert.True(t, strings.HasPrefix(failed.Msg.Body.Error, `invalid parameter "query": 1:9: parse error:`), failed.Msg.Body.Error)
	assert.True(t, strings.HasPrefix(failed.MsgShow, "数据中心操作故障 {'apitype': 'Not specified', 'url': 'https://"), failed.MsgShow)

	for _, promql := range []string{`rate(up[5m])`, `up[5m]`, `foo(`, `{job=""}`, ``, `sum by (job) (up)`} {
		resp := do(t, srv, "GET", "/openapi/v1/monitor/query?region_name=rainbond&query="+url.QueryEscape(promql), "")
		assert.Equal(t, 400, resp.StatusCode, promql)
		assert.Contains(t, bodyOf(t, resp), `"errorType":"bad_data"`, promql)
	}
}

func TestMonitorQueryRange(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithClock(at1700000000()))
	defer srv.Close()
	resp := do(t, srv, "GET", "/openapi/v1/monitor/query_range?region_name=region-b&query=sum(up)&start=1699999880&end=1700000000&step=60", "")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1699999880,"2"],[1699999940,"2"],[1700000000,"2"]]}]}}`, bodyOf(t, resp))

	for query, want := range map[string]string{
		"&start=1&end=2":                               `invalid parameter \"step\": cannot parse \"None\" to a valid duration`,
		"&end=2&step=1":                                `invalid parameter \"start\": cannot parse \"None\" to a valid timestamp`,
		"&start=2&end=1&step=1":                        `end timestamp must not be before start time`,
		"&start=1&end=2&step=0":                        `zero or negative query resolution step widths`,
		"&start=0&end=1700000000&step=1":               `exceeded maximum resolution of 11,000 points`,
		"&start=2023-11-14T22:00:00Z&end=2":            `end timestamp must not be before start time`,
		"%23x&start=1699999880&end=1700000000&step=60": `invalid parameter \"start\": cannot parse \"\" to a valid timestamp`, // '#' ends the URL
	} {
		resp := do(t, srv, "GET", "/openapi/v1/monitor/query_range?region_name=rainbond&query=up"+query, "")
		assert.Equal(t, 400, resp.StatusCode, query)
		assert.Contains(t, bodyOf(t, resp), want, query)
	}
	ok := do(t, srv, "GET", "/openapi/v1/monitor/query_range?region_name=rainbond&query=up&start=2023-11-14T22:12:00Z&end=2023-11-14T22:13:20Z&step=1m", "")
	assert.Equal(t, 200, ok.StatusCode, "RFC 3339 and durations")
}

func TestMonitorQueryErrors(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	for _, q := range []string{"query=up", "region_name=nowhere&query=up"} {
		a := answerOf(t, do(t, srv, "GET", "/openapi/v1/monitor/query?"+q, ""), 404)
		assert.Equal(t, "region not found", a.Msg)
		assert.Equal(t, "数据中心不存在", a.MsgShow)
	}
	require.NoError(t, srv.SetClusterDown("rainbond", true))
	a := answerOf(t, do(t, srv, "GET", "/openapi/v1/monitor/query?region_name=rainbond&query=up", ""), 400)
	assert.Equal(t, 10411, a.Code)
	assert.Equal(t, "访问数据中心异常，请稍后重试", a.MsgShow)

	for _, path := range []string{"/openapi/v1/monitor/series?match[]=up&region_name=rainbond", "/openapi/v1/instances/monitor"} {
		errType, msg := serverErrorOf(t, do(t, srv, "GET", path, ""))
		assert.Equal(t, "AttributeError", errType, path)
		assert.Contains(t, msg, "object has no attribute 'get_", path)
	}
	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v6.3.2"))
	defer old.Close()
	assert.Equal(t, 404, do(t, old, "GET", "/openapi/v1/monitor/query?region_name=rainbond&query=up", "").StatusCode, "came with v6.3.3")
}

func TestAppMonitorsReshapePrometheus(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithClock(at1700000000()))
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)
	path := appPathOf(seed.TeamA, seed.AppA, "/monitor/query")
	assert.Equal(t, []any{}, readJSON(t, do(t, srv, "GET", path, "")), "no component has the plugin")

	wp := installedWordPress(t, srv, seed.AppA.ID)
	require.NoError(t, srv.EnablePerformanceAnalysis(wp.ServiceID))
	resp := do(t, srv, "GET", path, "")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `[{"monitors":[`+
		`{"data":{"resultType":"vector","result":[{"value":["1700000000","28"]}]},"monitor_item":"request_time","status":"success"},`+
		`{"data":{"resultType":"vector","result":[{"value":["1700000000","10"]}]},"monitor_item":"request","status":"success"},`+
		`{"data":{"resultType":"vector","result":[{"value":["1700000000","4"]}]},"monitor_item":"request_client","status":"success"}],`+
		`"service_id":"`+wp.ServiceID+`","service_cname":"wordpress","service_alias":"`+wp.Alias+`"}]`, bodyOf(t, resp))
	assert.Equal(t, []any{}, readJSON(t, do(t, srv, "GET", path+"?is_outer=true", "")), "its port is not open to the outside")

	// The bare selector of the plugin's metric, through /monitor/query.
	got := results(promQuery(t, srv, "rainbond", `app_requesttime`))
	require.Len(t, got, 1)
	assert.Equal(t, "27.5", got[0].(map[string]any)["value"].([]any)[1])

	rangePath := appPathOf(seed.TeamA, seed.AppA, "/monitor/query_range")
	monitors := readJSON(t, do(t, srv, "GET", rangePath+"?start=1699999880&end=1700000000", "")).([]any)[0].(map[string]any)["monitors"].([]any)
	require.Len(t, monitors, 3)
	assert.Equal(t, map[string]any{"data": map[string]any{"resultType": "matrix", "result": []any{map[string]any{"value": []any{}}}},
		"monitor_item": "request_time", "status": "success"}, monitors[0], "values read as value: no data points")
	monitors = readJSON(t, do(t, srv, "GET", rangePath+"?start=x&end=1700000000", "")).([]any)[0].(map[string]any)["monitors"].([]any)
	assert.Empty(t, monitors, "Prometheus' 400 is swallowed")
	a := answerOf(t, do(t, srv, "GET", rangePath+"?start=1699999880", ""), 400)
	assert.Equal(t, "params error", a.Msg)
	assert.Equal(t, "缺少query参数", a.MsgShow)

	require.NoError(t, srv.SetClusterDown("rainbond", true))
	a = answerOf(t, do(t, srv, "GET", path, ""), 400)
	assert.Equal(t, 10411, a.Code, "query: the cluster's error is the answer")
	monitors = readJSON(t, do(t, srv, "GET", rangePath+"?start=1699999880&end=1700000000", "")).([]any)[0].(map[string]any)["monitors"].([]any)
	assert.Empty(t, monitors, "query_range: swallowed")
}

func installedWordPress(t *testing.T, srv *rainbondtest.Server, appID int64) rainbondtest.Component {
	t.Helper()
	for _, c := range srv.Components(appID) {
		if c.Cname == "wordpress" {
			return c
		}
	}
	t.Fatal("no wordpress")
	return rainbondtest.Component{}
}

package rainbondtest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// From openapi/views/enterprise_view.py and the services behind it:
// service_overview.py, performance_overview.py,
// global_resource_processing.py, component_memory_processing.py (notes:
// r5-platform.md §6e, §6f), and console/views/logos.py for the config
// (§7).

func TestEnterpriseOverview(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)
	_, err := srv.AddTeam(rainbondtest.Team{TenantName: "foreign", EnterpriseID: "other"})
	require.NoError(t, err)
	resp := do(t, srv, "GET", "/openapi/v1/overview", "")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `{"teams":2,"apps":2,"components":2,"instances":3,"nodes":6,"visual_monitor":{"enable":true,"value":{`+
		`"home_url":"https://visualmonitor.goodrain.com","cluster_monitor_suffix":"/d/cluster/ji-qun-jian-kong-ke-shi-hua",`+
		`"node_monitor_suffix":"/d/node/jie-dian-jian-kong-ke-shi-hua","component_monitor_suffix":"/d/component/zu-jian-jian-kong-ke-shi-hua",`+
		`"slo_monitor_suffix":"/d/service/fu-wu-jian-kong-ke-shi-hua"}}}`, bodyOf(t, resp))
	require.NoError(t, srv.SetClusterDown("region-b", true))
	got := readJSON(t, do(t, srv, "GET", "/openapi/v1/overview", "")).(map[string]any)
	assert.Equal(t, float64(3), got["nodes"], "a cluster that fails counts nothing")
}

func TestServiceOverview(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamB, seed.AppB, "/install"), installBody(seed, "6.4")).StatusCode)
	comps := srv.Components(seed.AppA.ID)
	require.NoError(t, srv.SetComponentStatus(comps[1].ServiceID, "abnormal"))
	resp := do(t, srv, "GET", "/openapi/v1/monitor/service_overview?region_name=rainbond", "")
	assert.Equal(t, `{"abnormal_service_num":1,"closed_service_num":2,"started_service_num":1}`, bodyOf(t, resp))
	for _, q := range []string{"", "?region_name=nowhere"} {
		errType, msg := serverErrorOf(t, do(t, srv, "GET", "/openapi/v1/monitor/service_overview"+q, ""))
		assert.Equal(t, "UnboundLocalError", errType, q)
		assert.Contains(t, msg, "'data'")
	}
}

func TestPerformanceOverviewSendsRawFloatsWhenItsSerializerFails(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)
	resp := do(t, srv, "GET", "/openapi/v1/monitor/performance_overview", "")
	assert.Equal(t, `{"cpu_use_sum":2,"memory_use_sum":2048,"disk_use_sum":0,"node_number":6,"service_number":2}`, bodyOf(t, resp))

	redis := fmt.Sprintf(`{"market_url": %q, "market_domain": %q, "market_type": "rainstore", "market_access_key": null, "app_model_id": %q, "app_model_version": "7.2"}`,
		seed.Store.URL, seed.Store.Domain, seed.Redis.ID)
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamB, seed.AppB, "/install?is_deploy=true"), redis).StatusCode)
	resp = do(t, srv, "GET", "/openapi/v1/monitor/performance_overview/anything", "")
	assert.Equal(t, `{"cpu_use_sum":2.5,"memory_use_sum":2304,"disk_use_sum":0.0,"node_number":6,"service_number":3}`, bodyOf(t, resp),
		"2.5 cores fail IntegerField: every value goes out raw; no $ in the route")
}

func TestComponentMemoryAndResourceOverviews(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	assert.Equal(t, `[{"nodes":[],"links":[]}]`, bodyOf(t, do(t, srv, "GET", "/openapi/v1/monitor/component_memory_overview", "")))
	assert.Equal(t, `[{"nodes":[],"links":[]}]`, bodyOf(t, do(t, srv, "GET", "/openapi/v1/monitor/resource_over_view", "")))

	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)
	resp := do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/services"), fmt.Sprintf(`{"group_id":%d,"service_cname":"web","image":"nginx:1.25"}`, seed.AppA.ID))
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `[{"nodes":[{"id":"web","level":0},{"id":"Team A","level":1},{"id":"rainbond","level":2}],`+
		`"links":[{"source":"web","target":"Team A","value":512},{"source":"Team A","target":"rainbond","value":512}]}]`,
		bodyOf(t, do(t, srv, "GET", "/openapi/v1/monitor/component_memory_overview", "")), "store components are left out")

	wp := installedWordPress(t, srv, seed.AppA.ID)
	openRule(t, srv, seed.TeamA, seed.AppA, wp.ServiceID, "blog.example.com", "/")
	got := readJSON(t, do(t, srv, "GET", "/openapi/v1/monitor/resource_over_view", "")).([]any)[0].(map[string]any)
	nodes := got["nodes"].([]any)
	require.Len(t, nodes, 4)
	assert.Equal(t, map[string]any{"id": wp.Alias + ":80", "level": float64(0)}, nodes[0], "the host the console makes of the route's name")
	assert.Equal(t, map[string]any{"id": fmt.Sprintf("blog(%d)", seed.AppA.ID), "level": float64(1)}, nodes[1])
	assert.Equal(t, map[string]any{"id": "Team A", "level": float64(2)}, nodes[2])
	assert.Equal(t, map[string]any{"id": "默认集群", "level": float64(3)}, nodes[3], "the region's alias")
	links := got["links"].([]any)
	require.Len(t, links, 3)
	assert.Equal(t, "Team A", links[2].(map[string]any)["source"])

	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v6.2.0"))
	defer old.Close()
	assert.Equal(t, 200, do(t, old, "GET", "/openapi/v1/monitor/resource_over_view", "").StatusCode)
	assert.Equal(t, 404, do(t, old, "GET", "/openapi/v1/monitor/component_memory_overview", "").StatusCode, "came with v6.3.3")
}

func TestConfigInfoTellsTheRelease(t *testing.T) {
	t.Parallel()
	for version, want := range map[string]string{"": "v6.9.8-release", "v6.2.0": "v6.2.0-release", "5.3.1-release": "v5.3.1-release"} {
		srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion(version))
		resp := do(t, srv, "GET", "/console/config/info", "", "Authorization", "")
		require.Equal(t, 200, resp.StatusCode, "no token needed")
		got := readJSON(t, resp).(map[string]any)
		assert.Equal(t, float64(200), got["code"])
		assert.Equal(t, "query success", got["msg"])
		bean := got["data"].(map[string]any)["bean"].(map[string]any)
		assert.Equal(t, map[string]any{"enable": true, "value": want}, bean["version"], version)
		srv.Close()
	}
}

package rainbondtest_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func statuses(comps []rainbondtest.Component) []string {
	out := []string{}
	for _, c := range comps {
		out = append(out, c.Status)
	}
	return out
}

func deployAll(t *testing.T, srv *rainbondtest.Server, team rainbondtest.Team, app rainbondtest.App) {
	t.Helper()
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(team, app, "/operations"), `{"action": "deploy"}`).StatusCode)
}

func TestCloseStopsTheTeamsComponentsInTheRegion(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := teamPath(seed.TeamA, "/apps/close")

	resp := do(t, srv, "POST", path, "")
	assert.Equal(t, 200, resp.StatusCode, "no components: a no-op")
	installWordPress(t, srv, seed.TeamA, seed.AppA)
	deployAll(t, srv, seed.TeamA, seed.AppA)
	installWordPress(t, srv, seed.TeamB, seed.AppB)
	deployAll(t, srv, seed.TeamB, seed.AppB)

	a := answerOf(t, do(t, srv, "POST", path, fmt.Sprintf(`{"service_ids": [%q]}`, srv.Components(seed.AppB.ID)[0].ServiceID)), 500)
	assert.Equal(t, []any{500, "batch manage error", "系统异常"}, []any{a.Code, a.Msg, a.MsgShow}, "another team's id: nothing to stop")
	assert.Equal(t, []string{"该字段不能为 null。"}, answerOf(t, do(t, srv, "POST", path, `{"service_ids": null}`), 400).Err["service_ids"])

	first := srv.Components(seed.AppA.ID)[0].ServiceID
	resp = do(t, srv, "POST", path, fmt.Sprintf(`{"service_ids": [%q, "unknown"]}`, first))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Type"))
	assert.Empty(t, must(io.ReadAll(resp.Body)))
	assert.Equal(t, []string{"closed", "running"}, statuses(srv.Components(seed.AppA.ID)))

	require.Equal(t, 200, do(t, srv, "POST", path, `{"service_ids": []}`).StatusCode)
	assert.Equal(t, []string{"closed", "closed"}, statuses(srv.Components(seed.AppA.ID)), "an empty list is every component")
	assert.Equal(t, []string{"running", "running"}, statuses(srv.Components(seed.AppB.ID)))
}

func TestDeletingAnAppRefusesOnlyRunningComponentsAndOrphansThirdParty(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	installWordPress(t, srv, seed.TeamA, seed.AppA)
	deployAll(t, srv, seed.TeamA, seed.AppA)
	third := answerOf(t, do(t, srv, "POST", appPath(seed, "/third-components"),
		`{"endpoints_type": "static", "endpoints": ["10.0.0.9:80"], "component_name": "legacy"}`), 200)
	_ = third
	require.NoError(t, srv.SetComponentStatus(srv.Components(seed.AppA.ID)[2].ServiceID, "running"))

	a := answerOf(t, do(t, srv, "DELETE", appPath(seed, ""), ""), 400)
	assert.Equal(t, "当前应用下有运行态的组件，不可删除", a.MsgShow)
	require.Equal(t, 200, do(t, srv, "POST", teamPath(seed.TeamA, "/apps/close"), "").StatusCode)
	require.NoError(t, srv.SetComponentStatus(srv.Components(seed.AppA.ID)[2].ServiceID, "running"))

	assert.Equal(t, 200, do(t, srv, "DELETE", appPath(seed, ""), "").StatusCode, "stopped components go with the app; the third-party one is not checked")
	assert.NotContains(t, srv.Apps(), seed.AppA)
	assert.Equal(t, []string{"legacy"}, cnames(srv.Components(seed.AppA.ID)), "the third-party component is left behind")
}

func TestDeleteAppEverythingStopsAndDeletesWithoutAsking(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	installWordPress(t, srv, seed.TeamA, seed.AppA)
	deployAll(t, srv, seed.TeamA, seed.AppA)
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/third-components"),
		`{"endpoints_type": "static", "endpoints": ["10.0.0.9:80"], "component_name": "legacy"}`).StatusCode)
	require.NoError(t, srv.AddAppResource(rainbondtest.AppResource{AppID: seed.AppA.ID, Kind: "k8s", Name: "cm"}))

	a := answerOf(t, do(t, srv, "DELETE", teamPath(seed.TeamA, fmt.Sprintf("/app/%d/delete", seed.AppA.ID)), ""), 200)
	assert.Equal(t, "删除成功", a.MsgShow)
	assert.Empty(t, srv.Components(seed.AppA.ID), "running and third-party components alike")
	assert.Empty(t, srv.AppResources(seed.AppA.ID))
	assert.NotContains(t, srv.Apps(), seed.AppA)

	assert.Equal(t, "RegionApp matching query does not exist.", answerOf(t, do(t, srv, "DELETE", teamPath(seed.TeamA, "/app/999/delete"), ""), 500).Msg)
	assert.Equal(t, 10401, answerOf(t, do(t, srv, "DELETE", teamPath(seed.TeamA, "/app/abc/delete"), ""), 500).Code)
}

func TestDeleteAppEverythingWithAnotherTeamsAppIDDeletesItsResources(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	installWordPress(t, srv, seed.TeamB, seed.AppB)
	require.NoError(t, srv.AddAppResource(rainbondtest.AppResource{AppID: seed.AppB.ID, Kind: "config_group", Name: "settings"}))

	a := answerOf(t, do(t, srv, "DELETE", teamPath(seed.TeamA, fmt.Sprintf("/app/%d/delete", seed.AppB.ID)), ""), 500)
	assert.Equal(t, "'NoneType' object has no attribute 'app_type'", a.Msg)
	assert.Empty(t, srv.AppResources(seed.AppB.ID), "team B's config group went before the 500")
	assert.Len(t, srv.Components(seed.AppB.ID), 2, "its components are not team A's: kept")
	assert.Contains(t, srv.Apps(), seed.AppB)
}

func TestHelmChartChecksButNeverInstallsSinceV600(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	srv.AddHelmChart("bitnami", "nginx", "15.0.0", "kind: Deployment\n")
	path := teamPath(seed.TeamA, "/app/whatever/helm_chart")

	a := answerOf(t, do(t, srv, "GET", path+"?repo_name=bitnami", ""), 400)
	assert.Equal(t, []string{"该字段是必填项。"}, a.Err["chart_name"])
	a = answerOf(t, do(t, srv, "GET", path+"?repo_name=bitnami&chart_name=nginx&version=15.0.0", ""), 200)
	assert.Equal(t, map[string]any{"checkAdopt": "true", "yaml": "kind: Deployment\n"}, a.Data.Bean)
	a = answerOf(t, do(t, srv, "GET", path+"?repo_name=bitnami&chart_name=nginx&version=9", ""), 200)
	assert.Equal(t, "false", a.Data.Bean["checkAdopt"], "a string, not a boolean")

	body := `{"repo_name": "bitnami", "chart_name": "nginx", "version": "15.0.0"}`
	a = answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app/42/helm_chart"), body), 500)
	assert.Equal(t, "'NoneType' object has no attribute 'app_id'", a.Msg)
	assert.Equal(t, "42", srv.LocalModels()[0].ID, "the template it made has the path's app_id as id")

	assert.Equal(t, []string{"该字段是必填项。"}, answerOf(t, do(t, srv, "PUT", path, `{}`), 400).Err["operating_mode"])
	assert.Equal(t, "成功", answerOf(t, do(t, srv, "PUT", path, `{"operating_mode": "anything"}`), 200).MsgShow)
}

func TestHelmChartInstalledBeforeV600(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.17.1"))
	defer srv.Close()
	seed := srv.Seed()
	path := teamPath(seed.TeamA, fmt.Sprintf("/app/%d/helm_chart", seed.AppA.ID))
	a := answerOf(t, do(t, srv, "POST", path, `{"repo_name": "bitnami", "chart_name": "nginx", "version": "15.0.0"}`), 200)
	assert.Equal(t, "成功", a.MsgShow)
	assert.Equal(t, []string{"nginx"}, cnames(srv.Components(seed.AppA.ID)))
	assert.Equal(t, 405, do(t, srv, "PUT", path, `{"operating_mode": "x"}`).StatusCode, "PUT came with v6.0.0")
}

func TestOperationsIgnoreUnknownIDs(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	resp := do(t, srv, "POST", appPath(seed, "/operations"), `{"action": "stop", "service_ids": ["nope", 1, {"a": 1}]}`)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, map[string]any{"msg": "操作成功"}, rawJSON(t, resp))
}

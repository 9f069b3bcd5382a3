package rainbondtest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// shopModel is a local-library model with two versions.
var shopModel = rainbondtest.AppModel{ID: "shop", Name: "shop", Versions: []rainbondtest.AppModelVersion{
	{Version: "1.0", Components: []rainbondtest.ComponentTemplate{{Cname: "web", Image: "shop/web:1.0", Version: "1.0", Port: 8080}}},
	{Version: "2.0", Components: []rainbondtest.ComponentTemplate{
		{Cname: "web", Image: "shop/web:2.0", Version: "2.0", Port: 8080},
		{Cname: "worker", Image: "shop/worker:2.0", Version: "2.0"},
	}},
}}

func deployBody(fields string) string { return `{"deploy_type": "ram", ` + fields + `}` }

func TestRamDeployInstallsALocalModelIntoAnyTeamsApp(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	srv.AddLocalModel(shopModel)
	path := teamPath(seed.TeamA, "/app-model/deploy")

	a := answerOf(t, do(t, srv, "POST", path, deployBody(fmt.Sprintf(`"action": "deploy", "app_id": %d, "group_key": "shop", "group_version": "1.0"`, seed.AppB.ID))), 200)
	assert.Equal(t, "安装应用成功", a.MsgShow)
	comps := srv.Components(seed.AppB.ID)
	require.Len(t, comps, 1, "app_id is looked up in every team")
	assert.Equal(t, seed.TeamA.TenantID, comps[0].TenantID, "the component is the path team's")

	for body, want := range map[string]answer{
		deployBody(`"action": "deploy", "app_id": 1, "group_key": "shop"`):                           {Code: 10401, Msg: "'group_version'"},
		deployBody(`"action": "deploy", "group_key": "shop", "group_version": "1.0"`):                {Code: 10401, Msg: "'app_id'"},
		deployBody(`"action": "deploy", "app_id": 999, "group_key": "shop", "group_version": "1.0"`): {Code: 404, Msg: "app not found", MsgShow: "应用不存在"},
		deployBody(`"action": "deploy", "app_id": 1, "group_key": "nope", "group_version": "1.0"`):   {Code: 400, Msg: "未找到该应用", MsgShow: "未找到该应用"},
		deployBody(`"action": "deploy", "app_id": 1, "group_key": "shop", "group_version": "9"`):     {Code: 404, Msg: "app version not found", MsgShow: "应用市场应用版本不存在"},
		deployBody(`"action": "rollback"`):                                                           {Code: 400, Msg: "params error", MsgShow: "暂不支持当前操作:rollback"},
		`{"deploy_type": "helm", "action": "deploy"}`:                                                {Code: 400, Msg: "params error", MsgShow: "暂不支持当前操作:helm"},
	} {
		resp := do(t, srv, "POST", path, body)
		got := rawJSON(t, resp)
		assert.Equal(t, fmt.Sprint(want.Code), fmt.Sprint(got["code"]), body)
		assert.Equal(t, want.Msg, got["msg"], body)
		if want.MsgShow != "" {
			assert.Equal(t, want.MsgShow, got["msg_show"], body)
		}
	}
	a = answerOf(t, do(t, srv, "POST", path, deployBody(`"action": "deploy", "app_id": null`)), 400)
	assert.Equal(t, []string{"该字段不能为 null。"}, a.Err["app_id"])
}

func TestRamUpgradeFollowsTheInstalledModels(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	srv.AddLocalModel(shopModel)
	path := teamPath(seed.TeamA, "/app-model/deploy")
	upgrade := func(key, version string) string {
		return deployBody(fmt.Sprintf(`"action": "upgrade", "app_id": %d, "group_key": %q, "group_version": %q`, seed.AppA.ID, key, version))
	}
	require.Equal(t, 200, do(t, srv, "POST", path, deployBody(`"action": "deploy", "app_id": 1, "group_key": "shop", "group_version": "1.0"`)).StatusCode)

	assert.Equal(t, "'other'", answerOf(t, do(t, srv, "POST", path, upgrade("other", "2.0")), 500).Msg, "a model the app lacks: KeyError")
	assert.Equal(t, "'NoneType' object has no attribute 'app_template'", answerOf(t, do(t, srv, "POST", path, upgrade("shop", "3.0")), 500).Msg)

	assert.Equal(t, "升级应用成功", answerOf(t, do(t, srv, "POST", path, upgrade("shop", "2.0")), 200).MsgShow)
	comps := srv.Components(seed.AppA.ID)
	assert.Equal(t, []string{"web", "worker"}, cnames(comps))
	assert.Equal(t, "shop/web:2.0", comps[0].Image)

	a := answerOf(t, do(t, srv, "POST", path, upgrade("shop", "2.0")), 404)
	assert.Equal(t, []any{404, "failed", "没有可升级的版本"}, []any{a.Code, a.Msg, a.MsgShow})
}

func TestRamUpgradeSwallowsA404(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	installWordPress(t, srv, seed.TeamA, seed.AppA)
	before := srv.Components(seed.AppA.ID)
	// The library knows a 7.0 of the store's model; the store does not.
	srv.AddLocalModel(rainbondtest.AppModel{ID: seed.WordPress.ID, Name: "wordpress", Versions: []rainbondtest.AppModelVersion{{Version: "7.0"}}})
	body := deployBody(fmt.Sprintf(`"action": "upgrade", "app_id": 1, "group_key": %q, "group_version": "7.0"`, seed.WordPress.ID))
	assert.Equal(t, "升级应用成功", answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/deploy"), body), 200).MsgShow)
	assert.Equal(t, before, srv.Components(seed.AppA.ID), "the store's 404 was swallowed: nothing upgraded")
}

func TestComposeDeployLeavesAnEmptyAppSinceV660(t *testing.T) {
	t.Parallel()
	yaml := `"services:\n  web:\n    image: nginx:1.25\n  db:\n    image: mysql:8\n"`
	for version, want := range map[string][]string{"": {}, "v6.5.0": {"web", "db"}} {
		srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion(version))
		defer srv.Close()
		seed := srv.Seed()
		path := teamPath(seed.TeamA, "/app-model/deploy")
		body := `{"deploy_type": "docker-compose", "action": "x", "group_name": "compose-app", "yaml_content": ` + yaml + `}`
		assert.Equal(t, "docker compose 部署成功", answerOf(t, do(t, srv, "POST", path, body), 200).MsgShow)
		var app rainbondtest.App
		for _, a := range srv.Apps() {
			if a.Name == "compose-app" {
				app = a
			}
		}
		require.NotZero(t, app.ID, "a new app")
		assert.Equal(t, want, cnames(srv.Components(app.ID)), version)

		assert.Equal(t, "app name exist", answerOf(t, do(t, srv, "POST", path, body), 400).Msg)
		for body, show := range map[string]string{
			`{"deploy_type": "docker-compose", "action": "x", "yaml_content": "a: 1"}`:                    "请指明需要创建的compose组名",
			`{"deploy_type": "docker-compose", "action": "x", "group_name": "n"}`:                         "未指明yaml内容",
			`{"deploy_type": "docker-compose", "action": "x", "group_name": "n", "yaml_content": "a: ["}`: "yaml内容格式不正确",
		} {
			assert.Equal(t, show, answerOf(t, do(t, srv, "POST", path, body), 400).MsgShow, body)
		}
	}
}

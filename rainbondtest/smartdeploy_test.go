package rainbondtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The answers of SmartDeployTemplateView (openapi/views/apps/apps.py).

func TestSmartDeployInstallsThenSkipsThenFailsToUpgrade(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	model := rainbondtest.AppModel{ID: "shop", Name: "shop", Versions: []rainbondtest.AppModelVersion{
		{Version: "1.0", Components: []rainbondtest.ComponentTemplate{{Cname: "web", Image: "goodrain.me/shop:1.0", Version: "1.0"}}},
	}}
	srv.AddLocalModel(model)
	path := teamPath(seed.TeamA, "/app-model/smart-deploy")

	a := answerOf(t, do(t, srv, "POST", path, `{"app_name": "shop-app", "template_id": "shop"}`), 200)
	assert.Equal(t, "模板安装成功", a.MsgShow)
	assert.Equal(t, "install", a.Data.Bean["action"])
	assert.Equal(t, "shop-app", a.Data.Bean["app_name"])
	assert.Equal(t, "1.0", a.Data.Bean["template_version"])
	var app rainbondtest.App
	for _, x := range srv.Apps() {
		if x.Name == "shop-app" {
			app = x
		}
	}
	require.NotZero(t, app.ID, "the app is created")
	assert.Equal(t, "shop-app", app.K8sApp, "its k8s name is its name")
	assert.Equal(t, []string{"web"}, cnames(srv.Components(app.ID)))

	a = answerOf(t, do(t, srv, "POST", path, `{"app_name": "shop-app", "template_id": "shop"}`), 200)
	assert.Equal(t, map[string]any{"action": "skip", "template_id": "shop", "current_version": "1.0", "latest_version": "1.0"}, a.Data.Bean)

	model.Versions = append(model.Versions, rainbondtest.AppModelVersion{Version: "1.1", Components: model.Versions[0].Components})
	srv.AddLocalModel(model)
	a = answerOf(t, do(t, srv, "POST", path, `{"app_name": "shop-app", "template_id": "shop"}`), 500)
	assert.Equal(t, "upgrade failed", a.Msg)
	assert.Len(t, srv.Components(app.ID), 1, "nothing changed")
}

func TestSmartDeployRefusals(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := teamPath(seed.TeamA, "/app-model/smart-deploy")
	a := answerOf(t, do(t, srv, "POST", path, `{"app_name": "x", "template_id": "nothing"}`), 404)
	assert.Equal(t, "template not found", a.Msg)
	a = answerOf(t, do(t, srv, "POST", path, `{"template_id": "x", "is_deploy": null}`), 400)
	assert.Equal(t, map[string][]string{"app_name": {"该字段是必填项。"}, "is_deploy": {"该字段不能为 null。"}}, a.Err)
	a = answerOf(t, do(t, srv, "POST", path, `{"app_name": "a b", "template_id": "x"}`), 400)
	assert.Equal(t, "app_name illegal", a.Msg)
}

package rainbondtest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// nextShop is a local-library model whose wordpress has its port open
// to the outside, as a canary needs.
var nextShop = rainbondtest.AppModel{ID: "shop-next", Name: "shop", Versions: []rainbondtest.AppModelVersion{
	{Version: "1.9", Components: []rainbondtest.ComponentTemplate{{Cname: "wordpress", Image: "goodrain.me/wordpress:6.9", Version: "6.9", Port: 80, Outer: true}}},
	{Version: "2.0", Components: []rainbondtest.ComponentTemplate{{Cname: "wordpress", Image: "goodrain.me/wordpress:7.0", Version: "7.0", Port: 80, Outer: true}}},
}}

// canaryApp installs WordPress 6.4 into the app with a rule for
// shop.example.com on its wordpress, adds nextShop to the library and
// returns the route's name and the original component.
func canaryApp(t *testing.T, srv *rainbondtest.Server, team rainbondtest.Team, app rainbondtest.App) (string, rainbondtest.Component) {
	t.Helper()
	wp := installWordPress(t, srv, team, app)
	host := "shop.example.com"
	if team.TenantName != "o19p6wen" { // a host is one team's
		host = team.TenantName + ".example.com"
	}
	openRule(t, srv, team, app, wp.ServiceID, host, "/")
	srv.AddLocalModel(nextShop)
	return fmt.Sprintf("%d%sp-ps-s-%s", app.ID, host, wp.Alias), wp
}

func grayBody(route string, ratio any) string {
	return fmt.Sprintf(`{"template_id": "shop-next", "domain_name": %q, "gray_ratio": %v}`, route, ratio)
}

func TestRoutesAreNamedAsTheClusterNamesThem(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	openRule(t, srv, seed.TeamA, seed.AppA, wp.ServiceID, "Shop.Example.com", "/")
	openRule(t, srv, seed.TeamA, seed.AppA, wp.ServiceID, "Shop.Example.com", "/api")
	openRule(t, srv, seed.TeamA, seed.AppA, wp.ServiceID, "*.my_shop.example.com", "/")

	var names []string
	for _, r := range srv.GatewayRoutes(seed.AppA.ID) {
		names = append(names, r.Name)
		assert.Equal(t, []rainbondtest.RouteBackend{{ServiceName: wp.Alias + "-80", ServicePort: 80, Weight: 100}}, r.Backends)
	}
	assert.Equal(t, []string{
		"1shop.example.comp-ps-s-" + wp.Alias,            // lower-cased; every rule's path is "/*"
		"1wildcard.myshop.example.comp-ps-s-" + wp.Alias, // "*" → wildcard, "_" dropped
	}, names)
}

func TestCanaryValidationIsA500WithThePythonRepr(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := appPath(seed, "/gray-release")
	for body, show := range map[string]string{
		`{}`: "灰度发布创建失败: {'template_id': [ErrorDetail(string='该字段是必填项。', code='required')], 'domain_name': [ErrorDetail(string='该字段是必填项。', code='required')], 'gray_ratio': [ErrorDetail(string='该字段是必填项。', code='required')]}",
		`{"template_id": "x", "domain_name": "r", "gray_ratio": 101}`:                    "灰度发布创建失败: {'gray_ratio': [ErrorDetail(string='灰度比例必须在0-100之间', code='invalid')]}",
		`{"template_id": "x", "domain_name": "r", "gray_ratio": 50.5}`:                   "灰度发布创建失败: {'gray_ratio': [ErrorDetail(string='请填写合法的整数值。', code='invalid')]}",
		`{"template_id": "x", "domain_name": "r", "gray_ratio": true}`:                   "灰度发布创建失败: {'gray_ratio': [ErrorDetail(string='请填写合法的整数值。', code='invalid')]}",
		`{"template_id": "x", "domain_name": "r", "gray_ratio": 5, "market_name": null}`: "灰度发布创建失败: {'market_name': [ErrorDetail(string='该字段不能为 null。', code='null')]}",
	} {
		a := answerOf(t, do(t, srv, "POST", path, body), 500)
		assert.Equal(t, 500, a.Code, body)
		assert.Equal(t, "failed", a.Msg, body)
		assert.Equal(t, show, a.MsgShow, body)
	}
	a := answerOf(t, do(t, srv, "PUT", appPath(seed, "/gray-ratio"), `{"template_id": "x", "gray_ratio": -1}`), 500)
	assert.Equal(t, "灰度比例更新失败: {'gray_ratio': [ErrorDetail(string='灰度比例必须在0-100之间', code='invalid')]}", a.MsgShow)
	a = answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-rollback"), `[]`), 500)
	assert.Equal(t, "灰度回滚失败: {'non_field_errors': [ErrorDetail(string='无效数据。期待为字典类型，得到的是 list 。', code='invalid')]}", a.MsgShow)
}

func TestACanaryOnAnUnknownRouteIsA404ThatNamesTheRoutes(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	route, wp := canaryApp(t, srv, seed.TeamA, seed.AppA)

	a := answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody("shop.example.com", 20)), 404)
	assert.Equal(t, "failed", a.Msg)
	assert.Equal(t, "API网关中未找到路由: shop.example.com。当前应用可用路由: "+route, a.MsgShow, "a host name is no route name")
	assert.Len(t, srv.Components(seed.AppA.ID), 2, "the install is rolled back")

	for i := range 5 {
		openRule(t, srv, seed.TeamA, seed.AppA, wp.ServiceID, fmt.Sprintf("h%d.example.com", i), "/")
	}
	a = answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody("nope", 20)), 404)
	assert.True(t, strings.HasSuffix(a.MsgShow, "..."), "five names, then ...: %s", a.MsgShow)
	assert.Equal(t, 4, strings.Count(a.MsgShow, ", "))
}

func TestACanarySplitsTheRoutesTraffic(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	route, wp := canaryApp(t, srv, seed.TeamA, seed.AppA)

	a := answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody(route, `"20"`)), 200)
	assert.Equal(t, "灰度发布创建成功", a.MsgShow)
	comps := srv.Components(seed.AppA.ID)
	require.Len(t, comps, 3, "the template's latest version installed into the same app")
	fresh := comps[2]
	assert.Equal(t, "goodrain.me/wordpress:7.0", fresh.Image)
	assert.Equal(t, map[string]any{
		"app_id": float64(seed.AppA.ID), "app_name": "blog", "original_service_id": wp.ServiceID, "original_service_cname": "wordpress",
		"original_weight": float64(80), "new_service_id": fresh.ServiceID, "new_service_cname": "wordpress", "new_weight": float64(20),
		"domain_name": route, "gray_ratio": float64(20),
	}, a.Data.Bean)
	routes := srv.GatewayRoutes(seed.AppA.ID)
	require.Len(t, routes, 1)
	assert.Equal(t, []rainbondtest.RouteBackend{
		{ServiceName: fresh.Alias + "-80", ServicePort: 80, Weight: 20},
		{ServiceName: wp.Alias + "-80", ServicePort: 80, Weight: 80},
	}, routes[0].Backends)

	list := answerOf(t, do(t, srv, "GET", "/openapi/v1/gray-releases", ""), 200).Data.List
	require.Len(t, list, 1)
	item := list[0].(map[string]any)
	assert.Equal(t, "active", item["status"])
	assert.Equal(t, "shop", item["template_name"])
	assert.Equal(t, "2.0", item["template_version"])
	assert.Equal(t, []any{}, item["service_mappings"], "the console looks the component groups up as apps: no pairs")
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`, item["create_time"])

	// No check for an active canary: a second one installs again.
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody(route, 30)).StatusCode)
	assert.Len(t, srv.Components(seed.AppA.ID), 4)
	assert.Len(t, srv.GrayReleases(), 2)
}

func TestACanaryNeedsTheNewComponentsOuterPort(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	route, _ := canaryApp(t, srv, seed.TeamA, seed.AppA)
	// The store's WordPress 6.5, its ports not open to the outside.
	body := fmt.Sprintf(`{"template_id": %q, "domain_name": %q, "gray_ratio": 10, "install_from_cloud": "true", "market_name": "RainbondMarket"}`, seed.WordPress.ID, route)
	a := answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-release"), body), 400)
	assert.Equal(t, "新服务没有对外端口", a.MsgShow)
	assert.Equal(t, "failed", a.Msg)
	assert.Equal(t, 400, a.Code)
	assert.Len(t, srv.Components(seed.AppA.ID), 2)

	body = fmt.Sprintf(`{"template_id": %q, "domain_name": %q, "gray_ratio": 10, "install_from_cloud": true}`, seed.WordPress.ID, route)
	assert.Equal(t, "从云端安装时必须指定市场名称", answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-release"), body), 400).MsgShow)
	body = fmt.Sprintf(`{"template_id": "nope", "domain_name": %q, "gray_ratio": 10}`, route)
	assert.Equal(t, "应用模板不存在", answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-release"), body), 404).MsgShow)
}

func TestRatioChangesThenPromotionDeletesTheOriginalGroup(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	route, wp := canaryApp(t, srv, seed.TeamA, seed.AppA)
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody(route, 20)).StatusCode)
	fresh := srv.Components(seed.AppA.ID)[2]
	ratio := func(template string, n int) string {
		return fmt.Sprintf(`{"template_id": %q, "gray_ratio": %d}`, template, n)
	}

	a := answerOf(t, do(t, srv, "PUT", appPath(seed, "/gray-ratio"), ratio("other", 50)), 404)
	assert.Equal(t, "not_found", a.Msg, "the view's own 404")
	assert.Equal(t, "未找到应用 1 模板 other 的活跃灰度发布记录", a.MsgShow)

	require.Equal(t, 200, do(t, srv, "PUT", appPath(seed, "/gray-ratio"), ratio("shop-next", 0)).StatusCode)
	assert.Equal(t, []rainbondtest.RouteBackend{{ServiceName: wp.Alias + "-80", ServicePort: 80, Weight: 100}},
		srv.GatewayRoutes(seed.AppA.ID)[0].Backends, "0: the new backend is left out")
	assert.Equal(t, "active", srv.GrayReleases()[0].Status)

	a = answerOf(t, do(t, srv, "PUT", appPath(seed, "/gray-ratio"), ratio("shop-next", 100)), 200)
	assert.Equal(t, wp.ServiceID, a.Data.Bean["original_service_id"], "the answer names the original it just deleted")
	assert.Equal(t, []string{"wordpress"}, cnames(srv.Components(seed.AppA.ID)), "the whole original group went, mysql too")
	assert.Equal(t, fresh.ServiceID, srv.Components(seed.AppA.ID)[0].ServiceID)
	assert.Equal(t, []rainbondtest.RouteBackend{{ServiceName: fresh.Alias + "-80", ServicePort: 80, Weight: 100}}, srv.GatewayRoutes(seed.AppA.ID)[0].Backends)
	assert.Equal(t, "completed", srv.GrayReleases()[0].Status)
	assert.Equal(t, "not_found", answerOf(t, do(t, srv, "PUT", appPath(seed, "/gray-ratio"), ratio("shop-next", 50)), 404).Msg)
}

func TestRollbackDeletesTheGrayGroup(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	route, wp := canaryApp(t, srv, seed.TeamA, seed.AppA)
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody(route, 40)).StatusCode)

	a := answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-rollback"), `{"template_id": "shop-next"}`), 200)
	assert.Equal(t, "灰度回滚成功", a.MsgShow)
	assert.Equal(t, map[string]any{"app_id": float64(1), "app_name": "blog", "domain_name": route, "deleted_service_count": float64(1)}, a.Data.Bean)
	assert.Equal(t, []string{"wordpress", "mysql"}, cnames(srv.Components(seed.AppA.ID)))
	assert.Equal(t, []rainbondtest.RouteBackend{{ServiceName: wp.Alias + "-80", ServicePort: 80, Weight: 100}}, srv.GatewayRoutes(seed.AppA.ID)[0].Backends)
	assert.Equal(t, "cancelled", srv.GrayReleases()[0].Status)

	a = answerOf(t, do(t, srv, "POST", appPath(seed, "/gray-rollback"), `{"template_id": "shop-next"}`), 404)
	assert.Equal(t, "failed", a.Msg, "here the 404 is the service's: msg failed")
	assert.Equal(t, "未找到应用 1 模板 shop-next 的活跃灰度发布记录", a.MsgShow)
}

func TestPromotingACanaryOfAnImageComponentDeletesTheTeamsGroupZero(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	other, err := srv.AddApp(rainbondtest.App{TenantID: seed.TeamA.TenantID, RegionName: "rainbond", Name: "other"})
	require.NoError(t, err)
	image := func(app rainbondtest.App) string {
		a := answerOf(t, do(t, srv, "POST", appPathOf(seed.TeamA, app, "/services"),
			fmt.Sprintf(`{"group_id": %d, "service_cname": "wordpress", "image": "wordpress:6", "is_deploy": false}`, app.ID)), 200)
		return a.Data.Bean["service_id"].(string)
	}
	web, bystander := image(seed.AppA), image(other)
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/services/"+web+"/ports"), `{"port": 80, "is_inner_service": false}`).StatusCode)
	openRule(t, srv, seed.TeamA, seed.AppA, web, "img.example.com", "/")
	srv.AddLocalModel(nextShop)
	route := srv.GatewayRoutes(seed.AppA.ID)[0].Name

	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody(route, 50)).StatusCode)
	assert.Equal(t, 0, srv.GrayReleases()[0].OriginalGroupID, "a component made from an image is in no component group: 0")
	require.Equal(t, 200, do(t, srv, "PUT", appPath(seed, "/gray-ratio"), `{"template_id": "shop-next", "gray_ratio": 100}`).StatusCode)
	assert.Empty(t, srv.Components(other.ID), "group 0 of the team: the other app's image component %s went too", bystander)
	assert.Len(t, srv.Components(seed.AppA.ID), 1)
}

func TestTheCanaryListHoldsEveryTeamsRecords(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	routeA, _ := canaryApp(t, srv, seed.TeamA, seed.AppA)
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/gray-release"), grayBody(routeA, 10)).StatusCode)
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/gray-rollback"), `{"template_id": "shop-next"}`).StatusCode)
	routeB, _ := canaryApp(t, srv, seed.TeamB, seed.AppB)
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamB, seed.AppB, "/gray-release"), grayBody(routeB, 10)).StatusCode)

	list := answerOf(t, do(t, srv, "GET", "/openapi/v1/gray-releases", ""), 200).Data.List
	require.Len(t, list, 2)
	assert.Equal(t, seed.TeamB.TenantID, list[0].(map[string]any)["team_id"], "most recently updated first")
	assert.Equal(t, seed.TeamA.TenantID, list[1].(map[string]any)["team_id"])
	cancelled := answerOf(t, do(t, srv, "GET", "/openapi/v1/gray-releases?status=cancelled", ""), 200).Data.List
	require.Len(t, cancelled, 1)
	assert.Equal(t, "cancelled", cancelled[0].(map[string]any)["status"])
	assert.Empty(t, answerOf(t, do(t, srv, "GET", "/openapi/v1/gray-releases?status=bogus", ""), 200).Data.List)
}

func TestCanaryRoutesCameWithV660(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v6.5.9"))
	defer srv.Close()
	for _, path := range []string{appPath(srv.Seed(), "/gray-release"), "/openapi/v1/gray-releases"} {
		resp := do(t, srv, "GET", path, "")
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	}
}

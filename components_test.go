package rainbond

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const componentPathT = "/openapi/v1/teams/t1/regions/r1/apps/7/services/s1"

// componentRaw is AppServicesView.get's raw answer: the row's columns,
// a null status, access addresses.
const componentRaw = `{"status":null,"access_infos":["http://shop.example.com/"],"service_id":"s1","tenant_id":"t1",
 "service_key":"k","service_alias":"gr1a2b3c","service_cname":"web","service_region":"r1","desc":null,"category":"application",
 "version":"1.25","update_version":1,"image":"nginx:1.25","cmd":null,"min_node":1,"min_cpu":250,"container_gpu":0,"min_memory":512,
 "extend_method":"stateless_multiple","code_from":null,"git_url":null,"git_project_id":0,"code_version":null,"service_type":null,
 "creater":1,"language":null,"build_strategy":null,"total_memory":0,"is_service":false,"service_origin":"assistant",
 "tenant_service_group_id":0,"open_webhooks":false,"service_source":"docker_image","create_status":"complete","check_uuid":null,
 "check_event_id":null,"docker_cmd":null,"server_type":"git","is_upgrate":false,"build_upgrade":true,"oauth_service_id":null,
 "k8s_component_name":"web","job_strategy":null,"arch":"amd64","dockerfile":null}`

func TestComponentGetReadsTheRawRow(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + componentPathT: {{status: 200, body: componentRaw}}})
	comp, _, err := c.Components.Get(context.Background(), "t1", "r1", 7, "s1")
	require.NoError(t, err)
	assert.Equal(t, ComponentStatus(""), comp.Status, "null: the cluster did not report it")
	assert.Equal(t, []string{"http://shop.example.com/"}, comp.AccessInfos)
	assert.Equal(t, "complete", comp.CreateStatus)
	assert.Nil(t, comp.Extra)
}

func TestComponentDeleteWithForceChecksWhetherTheComponentIsGone(t *testing.T) {
	t.Parallel()
	refused := canned{status: 409, body: `{"code":409,"msg":"delete error","msg_show":"组件可能处于运行状态,请先关闭组件"}`}
	gone := canned{status: 404, body: `{"code":404,"msg":"no found component","msg_show":"组件不存在"}`}
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"DELETE " + componentPathT: {refused}, "GET " + componentPathT: {gone}})
	_, err := c.Components.Delete(context.Background(), "t1", "r1", 7, "s1", &DeleteComponentOptions{Force: true})
	require.NoError(t, err, "the console force-deleted it and still answered its refusal")
	assert.Equal(t, "force=1", rt.requests[0].RawQuery)
	assert.Equal(t, []string{"DELETE " + componentPathT, "GET " + componentPathT}, rt.sentTo())

	c2, mt2 := newMockClient(t)
	newRouter(mt2, map[string][]canned{"DELETE " + componentPathT: {refused}, "GET " + componentPathT: {{status: 200, body: componentRaw}}})
	_, err = c2.Components.Delete(context.Background(), "t1", "r1", 7, "s1", &DeleteComponentOptions{Force: true})
	assert.ErrorIs(t, err, ErrConflict, "still there: the refusal stands")

	c3, mt3 := newMockClient(t)
	rt3 := newRouter(mt3, map[string][]canned{"DELETE " + componentPathT: {refused}})
	_, err = c3.Components.Delete(context.Background(), "t1", "r1", 7, "s1", nil)
	assert.ErrorIs(t, err, ErrConflict)
	assert.Len(t, rt3.sentTo(), 1, "without force nothing is read back")
}

func TestCreateFromImageSendsTheAppAsGroupIDAndABooleanDeploy(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST /openapi/v1/teams/t1/regions/r1/apps/7/services": {{status: 200,
		body: `{"code":200,"msg":"success","msg_show":"组件创建成功","data":{"bean":{"service_id":"s9"},"list":[]}}`}}})
	created, _, err := c.Components.CreateFromImage(context.Background(), "t1", "r1", 7, &ComponentCreate{ServiceCname: "web", Image: "nginx:1.25"})
	require.NoError(t, err)
	assert.Equal(t, "s9", created.ServiceID)
	assert.JSONEq(t, `{"group_id":7,"service_cname":"web","image":"nginx:1.25","is_deploy":false}`, string(rt.last(t).Body),
		"false as JSON: the console deploys for any other value, \"false\" included")
}

func TestCreateFromImageRefusesBadInputAndKeepsThePasswordSecret(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST /openapi/v1/teams/t1/regions/r1/apps/7/services": {{status: 400,
		body: `{"code":400,"msg":"call cloud api failure","msg_show":"registry login failed for s3cret-registry-pass"}`}}})
	ctx := context.Background()
	for name, tc := range map[string]struct {
		c     *ComponentCreate
		field string
	}{
		"nil":               {nil, "body"},
		"no name":           {&ComponentCreate{Image: "nginx:1"}, "service_cname"},
		"empty tag":         {&ComponentCreate{ServiceCname: "web", Image: "nginx:"}, "image"},
		"bad tag":           {&ComponentCreate{ServiceCname: "web", Image: "nginx:-x"}, "image"},
		"bad k8s name":      {&ComponentCreate{ServiceCname: "web", Image: "nginx:1", K8sComponentName: "Web_1"}, "k8s_component_name"},
		"password, no user": {&ComponentCreate{ServiceCname: "web", Image: "nginx:1", Password: NewSecret("p")}, "user_name"},
	} {
		_, _, err := c.Components.CreateFromImage(ctx, "t1", "r1", 7, tc.c)
		assertRefused(t, err, tc.field, name)
	}
	assert.Empty(t, rt.sentTo())

	in := &ComponentCreate{ServiceCname: "web", Image: "registry.example.com:5000/team/web:1.0", UserName: "ci", Password: NewSecret("s3cret-registry-pass")}
	_, _, err := c.Components.CreateFromImage(ctx, "t1", "r1", 7, in)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret-registry-pass")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, *in), "s3cret-registry-pass", verb)
	}
	var log strings.Builder
	slog.New(slog.NewTextHandler(&log, nil)).Info("create", "body", *in)
	assert.NotContains(t, log.String(), "s3cret-registry-pass")
}

func TestBuildRefusesToWipeTheStoredCredentialsUnlessAsked(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + componentPathT + "/build": {{status: 200, body: `{"event_id":"ev1"}`}}})
	ctx := context.Background()

	_, _, err := c.Components.Build(ctx, "t1", "r1", 7, "s1", &BuildOptions{RepoURL: "https://git.example.com/shop.git"})
	assertRefused(t, err, "credentials", "repo_url alone")
	_, _, err = c.Components.Build(ctx, "t1", "r1", 7, "s1", &BuildOptions{Branch: "main"})
	assertRefused(t, err, "repo_url", "branch alone")
	assert.Empty(t, rt.sentTo())

	ev, _, err := c.Components.Build(ctx, "t1", "r1", 7, "s1", nil)
	require.NoError(t, err)
	assert.Equal(t, "ev1", ev.EventID)
	assert.JSONEq(t, `{}`, string(rt.last(t).Body), "the current source")

	_, _, err = c.Components.Build(ctx, "t1", "r1", 7, "s1", &BuildOptions{RepoURL: "https://git.example.com/shop.git", ClearCredentials: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"repo_url":"https://git.example.com/shop.git"}`, string(rt.last(t).Body))
}

func TestBuildRecognisesTheConsolesRefusals(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST " + componentPathT + "/build": {
		{status: 400, body: `{"code":400,"msg":"component create status is creating","msg_show":"组件未完成创建，禁止构建"}`},
		{status: 400, body: `{"detail":"参数错误","err":{"event_id":["该字段不能为空。"]},"code":20400}`},
		{status: 400, body: `{"detail":"参数错误","err":{"repo_url":["bad hunter2-password-echo"]},"code":20400}`},
	}})
	ctx := context.Background()
	_, _, err := c.Components.Build(ctx, "t1", "r1", 7, "s1", nil)
	assert.ErrorIs(t, err, ErrComponentNotCreated)
	var apiErr *APIError
	assert.ErrorAs(t, err, &apiErr)

	_, _, err = c.Components.Build(ctx, "t1", "r1", 7, "s1", nil)
	assert.ErrorIs(t, err, ErrBuildWithoutEvent)
	assert.Contains(t, err.Error(), "the build was started")

	_, _, err = c.Components.Build(ctx, "t1", "r1", 7, "s1", &BuildOptions{RepoURL: "https://git.example.com/x.git", Username: "ci", Password: NewSecret("hunter2-password-echo")})
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrBuildWithoutEvent)
	assert.NotContains(t, err.Error(), "hunter2-password-echo")
	assert.NotContains(t, fmt.Sprintf("%+v", BuildOptions{Password: NewSecret("hunter2-password-echo")}), "hunter2")
}

func TestChangeImageNeedsAnExplicitTag(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"PUT " + componentPathT + "/docker-image-change": {{status: 200,
		body: `{"code":200,"msg":"success","msg_show":"更改镜像地址成功","data":{"bean":{},"list":[]}}`}}})
	ctx := context.Background()
	for _, bad := range []string{"", "nginx", "nginx:", "registry:5000/nginx", "nginx:1.25 ", "nginx:bad/tag", strings.Repeat("a", 200) + ":1"} {
		_, err := c.Components.ChangeImage(ctx, "t1", "r1", 7, "s1", bad)
		assertRefused(t, err, "image", bad)
	}
	assert.Empty(t, rt.sentTo())
	_, err := c.Components.ChangeImage(ctx, "t1", "r1", 7, "s1", "registry.example.com:5000/team/web:1.27")
	require.NoError(t, err)
	assert.JSONEq(t, `{"image":"registry.example.com:5000/team/web:1.27"}`, string(rt.last(t).Body))
}

func TestScalingChecksTheConsolesLimits(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"POST " + componentPathT + "/telescopic/vertical":   {{status: 200, header: map[string][]string{}}},
		"POST " + componentPathT + "/telescopic/horizontal": {{status: 200, header: map[string][]string{}}},
	})
	ctx := context.Background()
	for _, m := range []int{0, 63, 65, 129, 65537} {
		_, err := c.Components.ScaleVertical(ctx, "t1", "r1", 7, "s1", &VerticalScale{MemoryMiB: m})
		assertRefused(t, err, "new_memory", fmt.Sprint(m))
	}
	_, err := c.Components.ScaleVertical(ctx, "t1", "r1", 7, "s1", &VerticalScale{MemoryMiB: 512, CPU: Ptr(-1)})
	assertRefused(t, err, "new_cpu", "negative cpu")
	for _, n := range []int{0, 101} {
		_, err := c.Components.ScaleHorizontal(ctx, "t1", "r1", 7, "s1", n)
		assertRefused(t, err, "new_node", fmt.Sprint(n))
	}
	assert.Empty(t, rt.sentTo())

	_, err = c.Components.ScaleVertical(ctx, "t1", "r1", 7, "s1", &VerticalScale{MemoryMiB: 100})
	require.NoError(t, err, "100 is no multiple of 64, but the console takes it")
	assert.JSONEq(t, `{"new_memory":100,"new_cpu":null,"new_gpu":null}`, string(rt.last(t).Body), "both keys are required, null allowed")
	_, err = c.Components.ScaleHorizontal(ctx, "t1", "r1", 7, "s1", 3)
	require.NoError(t, err, "an empty 200 body is the console's success")
	assert.JSONEq(t, `{"new_node":3}`, string(rt.last(t).Body))
}

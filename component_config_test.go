package rainbond

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const envsAnswer = `{"envs":[{"note":"","name":"DEBUG","value":"1","is_change":true,"scope":"inner"},
 {"note":"连接地址","name":"GR1A2B3C80_HOST","value":"127.0.0.1","is_change":true,"scope":"outer"}]}`

func TestUpdateEnvsAlwaysSendsTheNote(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"PUT " + componentPathT + "/envs": {{status: 200, body: envsAnswer}}})
	envs, _, err := c.Components.UpdateEnvs(context.Background(), "t1", "r1", 7, "s1", []EnvVar{{Name: "DEBUG", Value: "1"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"envs":[{"name":"DEBUG","value":"1","note":""}]}`, string(rt.last(t).Body))
	require.Len(t, envs, 2, "every variable of the component")
	assert.Equal(t, EnvScopeOuter, envs[1].Scope)
	assert.Equal(t, Ptr(true), envs[1].IsChange)

	_, _, err = c.Components.ListEnvs(context.Background(), "t1", "r1", 7, "s1")
	require.NoError(t, err)
	assert.JSONEq(t, `{"envs":[]}`, string(rt.last(t).Body), "an empty list, never null")
}

func TestUpdateEnvsRefusesWhatTheConsoleWouldRefuseOrChange(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	for name, tc := range map[string]struct {
		env   EnvVar
		field string
	}{
		"digit first":  {EnvVar{Name: "1A", Value: "x"}, "envs[0].name"},
		"dash":         {EnvVar{Name: "A-B", Value: "x"}, "envs[0].name"},
		"dot":          {EnvVar{Name: "a.b", Value: "x"}, "envs[0].name"},
		"empty value":  {EnvVar{Name: "A", Value: ""}, "envs[0].value"},
		"padded value": {EnvVar{Name: "A", Value: " x "}, "envs[0].value"},
		"long value":   {EnvVar{Name: "A", Value: strings.Repeat("x", 1025)}, "envs[0].value"},
		"long note":    {EnvVar{Name: "A", Value: "x", Note: strings.Repeat("n", 101)}, "envs[0].note"},
		"reserved":     {EnvVar{Name: "PATH", Value: "/bin"}, "envs[0].name"},
		"reserved too": {EnvVar{Name: " SERVICE_ID ", Value: "x"}, "envs[0].name"},
	} {
		_, _, err := c.Components.UpdateEnvs(context.Background(), "t1", "r1", 7, "s1", []EnvVar{tc.env})
		assertRefused(t, err, tc.field, name)
	}
	_, _, err := c.Components.UpdateEnvs(context.Background(), "t1", "r1", 7, "s1", []EnvVar{{Name: "A", Value: "1"}, {Name: "A ", Value: "2"}})
	assertRefused(t, err, "envs[1].name", "twice, once padded")
	_, _, err = c.Components.UpdateEnvs(context.Background(), "t1", "r1", 7, "s1", []EnvVar{{Name: "A", Value: " x"}})
	assert.ErrorContains(t, err, "which the console would remove", "the console trims values")
	assert.Empty(t, rt.sentTo())
}

func TestUpdateEnvsSendsPaddedNamesAndNotesForTheConsoleToTrim(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"PUT " + componentPathT + "/envs": {{status: 200, body: `{"envs":[]}`}}})
	_, _, err := c.Components.UpdateEnvs(context.Background(), "t1", "r1", 7, "s1", []EnvVar{{Name: " path ", Value: "x", Note: " n "}})
	require.NoError(t, err, "the console trims names and notes, and only PATH in capitals is reserved")
	assert.JSONEq(t, `{"envs":[{"name":" path ","value":"x","note":" n "}]}`, string(rt.last(t).Body))
}

func TestUpdateEnvsMarksAClusterFailureInTheLoopAsPartlyApplied(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"PUT " + componentPathT + "/envs": {{status: 400, body: `{"code":400,` +
		`"msg":{"apitype":"Not specified","url":"http://region/v2/tenants/t/services/s/env","method":"POST","httpcode":500,"body":{"msg":"Add env error, boom"}},` +
		`"msg_show":"数据中心操作故障 Add env error, boom"}`}}})
	_, _, err := c.Components.UpdateEnvs(context.Background(), "t1", "r1", 7, "s1", []EnvVar{{Name: "A", Value: "1"}, {Name: "B", Value: "2"}})
	assert.ErrorIs(t, err, ErrEnvsPartlyApplied)
	assert.ErrorIs(t, err, ErrBadRequest)
}

func TestUpdateEnvsNamesTheConsolesTwoPartialOutcomes(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"PUT " + componentPathT + "/envs": {
		{status: 400, body: `{"code":400,"msg":"update or create envs error","msg_show":"集群设置环境变量失败"}`},
		{status: 400, body: `{"detail":"参数错误","err":{"envs":[{},{"name":["变量名不合法"]}]},"code":20400}`},
	}})
	ctx := context.Background()
	_, _, err := c.Components.UpdateEnvs(ctx, "t1", "r1", 7, "s1", []EnvVar{{Name: "A", Value: "1"}})
	assert.ErrorIs(t, err, ErrEnvsPartlyApplied)
	assert.Contains(t, err.Error(), "may be applied in the cluster")

	_, _, err = c.Components.UpdateEnvs(ctx, "t1", "r1", 7, "s1", []EnvVar{{Name: "A", Value: "1"}})
	assert.ErrorIs(t, err, ErrEnvsNotListed)
	assert.NotErrorIs(t, err, ErrEnvsPartlyApplied)
	assert.Contains(t, err.Error(), "the variables were written")
}

const portBean = `{"code":200,"msg":"success","msg_show":"添加成功","data":{"bean":{"container_port":8080,"mapping_port":8080,
 "lb_mapping_port":0,"protocol":"http","port_alias":"GR1A2B3C8080","is_inner_service":true,"is_outer_service":false,
 "k8s_service_name":"gr1a2b3c-8080"},"list":[]}}`

func TestPortsReadTheConsolesEnvelope(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"POST " + componentPathT + "/ports":        {{status: 200, body: portBean}},
		"GET " + componentPathT + "/ports":         {{status: 200, body: `{"code":200,"msg":"success","msg_show":"查询成功","data":{"bean":{},"list":[{"container_port":8080,"protocol":"http"}]}}`}},
		"PUT " + componentPathT + "/ports/8080":    {{status: 200, body: portBean}},
		"DELETE " + componentPathT + "/ports/8080": {{status: 409, body: `{"code":409,"msg":"can not delete inner port","msg_show":"请关闭对内服务"}`}},
	})
	ctx := context.Background()
	p, _, err := c.Components.AddPort(ctx, "t1", "r1", 7, "s1", &PortCreate{Port: 8080, IsInnerService: true})
	require.NoError(t, err)
	assert.Equal(t, "GR1A2B3C8080", p.PortAlias)
	assert.JSONEq(t, `{"port":8080,"is_inner_service":true}`, string(rt.last(t).Body), "is_inner_service is required, even false")

	list, _, err := c.Components.ListPorts(ctx, "t1", "r1", 7, "s1")
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, ProtocolHTTP, list[0].Protocol)

	_, _, err = c.Components.UpdatePort(ctx, "t1", "r1", 7, "s1", 8080, &PortUpdate{Action: PortOnlyOpenOuter})
	require.NoError(t, err)
	assert.JSONEq(t, `{"action":"only_open_outer"}`, string(rt.last(t).Body))

	_, _, err = c.Components.DeletePort(ctx, "t1", "r1", 7, "s1", 8080)
	assert.ErrorIs(t, err, ErrConflict)
}

func TestPortsRefuseBadInputAndSendNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		p     *PortCreate
		field string
	}{
		"nil":        {nil, "body"},
		"port 0":     {&PortCreate{}, "port"},
		"port 70000": {&PortCreate{Port: 70000}, "port"},
		"protocol":   {&PortCreate{Port: 80, Protocol: "https"}, "protocol"},
		"alias":      {&PortCreate{Port: 80, PortAlias: "web_80"}, "port_alias"},
	} {
		_, _, err := c.Components.AddPort(ctx, "t1", "r1", 7, "s1", tc.p)
		assertRefused(t, err, tc.field, name)
	}
	for name, tc := range map[string]struct {
		u     *PortUpdate
		field string
	}{
		"no action":                            {&PortUpdate{}, "action"},
		"protocol missing":                     {&PortUpdate{Action: PortChangeProtocol}, "protocol"},
		"alias missing":                        {&PortUpdate{Action: PortChangeAlias}, "port_alias"},
		"alias without action":                 {&PortUpdate{Action: PortOpenInner, PortAlias: "WEB"}, "port_alias"},
		"alias without k8s service name":       {&PortUpdate{Action: PortChangeAlias, PortAlias: "WEB"}, "k8s_service_name"},
		"k8s service name with another action": {&PortUpdate{Action: PortOpenOuter, K8sServiceName: "web"}, "k8s_service_name"},
		"k8s service name in capitals":         {&PortUpdate{Action: PortChangeAlias, PortAlias: "WEB", K8sServiceName: "Web"}, "k8s_service_name"},
	} {
		_, _, err := c.Components.UpdatePort(ctx, "t1", "r1", 7, "s1", 80, tc.u)
		assertRefused(t, err, tc.field, name)
	}
	assert.Empty(t, rt.sentTo())
}

package rainbond

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const operationsPath = "/openapi/v1/teams/t1/regions/r1/apps/7/operations"

// operated is APPOperationsView's success: no event ids.
const operated = `{"msg":"操作成功"}`

// held answers the app's component list with s1 and s2, which Operate
// reads to check its ids.
var held = canned{status: 200, body: `[{"service_id":"s1","service_cname":"web"},{"service_id":"s2","service_cname":"db"}]`}

const componentsPathT = "/openapi/v1/teams/t1/regions/r1/apps/7/services"

func TestOperateSendsTheActionAndTheComponents(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + operationsPath: {{status: 200, body: operated}}, "GET " + componentsPathT: {held}})

	resp, err := c.Apps.Operate(context.Background(), "t1", "r1", 7, &AppOperation{Action: ActionStop, ServiceIDs: []string{"s1", "s2"}})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"action":"stop","service_ids":["s1","s2"]}`, string(rt.last(t).Body))
}

func TestOperateAllSendsAnExplicitlyEmptyList(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + operationsPath: {{status: 200, body: operated}}})

	_, err := c.Apps.OperateAll(context.Background(), "t1", "r1", 7, ActionDeploy)
	require.NoError(t, err)
	assert.JSONEq(t, `{"action":"deploy","service_ids":[]}`, string(rt.last(t).Body), "every component, said explicitly; never null: the console refuses null")
}

func TestOperateSendsAComponentNamedTwiceAsItIs(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + operationsPath: {{status: 200, body: operated}}, "GET " + componentsPathT: {held}})
	_, err := c.Apps.Operate(context.Background(), "t1", "r1", 7, &AppOperation{Action: ActionStart, ServiceIDs: []string{"s1", "s1"}})
	require.NoError(t, err, "the console acts on it once")
	assert.JSONEq(t, `{"action":"start","service_ids":["s1","s1"]}`, string(rt.last(t).Body))
}

func TestOperateRefusesBadInputAndSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		op    *AppOperation
		field string
	}{
		"nil":                {nil, "body"},
		"no components":      {&AppOperation{Action: ActionStart}, "service_ids"},
		"unknown action":     {&AppOperation{Action: "restart", ServiceIDs: []string{"s1"}}, "action"},
		"empty id":           {&AppOperation{Action: ActionStart, ServiceIDs: []string{""}}, "service_ids[0]"},
		"padded id":          {&AppOperation{Action: ActionStart, ServiceIDs: []string{" s1"}}, "service_ids[0]"},
		"too long for an id": {&AppOperation{Action: ActionStart, ServiceIDs: []string{strings.Repeat("a", 33)}}, "service_ids[0]"},
	} {
		_, err := c.Apps.Operate(ctx, "t1", "r1", 7, tc.op)
		assertRefused(t, err, tc.field, name)
	}
	_, err := c.Apps.OperateAll(ctx, "t1", "r1", 7, "restart")
	assert.ErrorAs(t, err, new(*ValidationError))
	assert.Empty(t, rt.sentTo())
}

func TestOperateReportsAMissingPermission(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + componentsPathT: {held}, "POST " + operationsPath: {{status: 403,
		body: `{"code":10402,"msg":"no permissions ","msg_show":"没有操作权限","data":{"bean":{},"list":[]}}`}}})

	_, err := c.Apps.Operate(context.Background(), "t1", "r1", 7, &AppOperation{Action: ActionDeploy, ServiceIDs: []string{"s1"}})
	assert.ErrorIs(t, err, ErrPermissionDenied)
	assert.Contains(t, err.Error(), "deploy the components of app 7", "the error names the action")
	assert.ErrorIs(t, err, ErrForbidden)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 10402, apiErr.Code)
}

func TestOperateReportsTheConsolesHTMLServerError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST " + operationsPath: {{status: 500, body: "<h1>server error</h1>",
		header: map[string][]string{"Content-Type": {"text/html; charset=utf8"}}}}})

	_, err := c.Apps.Operate(context.Background(), "t1", "r1", 7, &AppOperation{Action: ActionStart, ServiceIDs: []string{"s1"}})
	assert.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrUnsupported)
}

func TestOperateRefusesIdsTheAppDoesNotHold(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + componentsPathT: {held}})
	_, err := c.Apps.Operate(context.Background(), "t1", "r1", 7, &AppOperation{Action: ActionStop, ServiceIDs: []string{"s1", "s9"}})
	require.ErrorIs(t, err, ErrNotFound)
	var nia *NotInAppError
	require.ErrorAs(t, err, &nia)
	assert.Equal(t, []string{"s9"}, nia.ServiceIDs)
	assert.Contains(t, err.Error(), "stop the components of app 7")
	assert.Equal(t, []string{"GET " + componentsPathT}, rt.sentTo(), "the console would have answered success having done nothing: nothing sent")
}

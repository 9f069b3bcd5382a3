package rainbond

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// teamCreated is TeamBaseInfoSerializer over a new team: the generated
// tenant_name, the given name as alias, Python's str(datetime).
const teamCreated = `{"tenant_id":"5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b","tenant_name":"k3x9q2mz","region":"","is_active":true,
 "create_time":"2026-11-23 09:15:02.123456","creater":1,"limit_memory":0,"update_time":"2026-11-23 09:15:02.123456",
 "tenant_alias":"Ops team","enterprise_id":"e1"}`

func TestTeamCreateReturnsTheGeneratedName(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST /openapi/v1/teams": {{status: 201, body: teamCreated}}})

	team, resp, err := c.Teams.Create(context.Background(), &TeamCreate{TenantName: "Ops team", Region: "rainbond"})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "k3x9q2mz", team.TenantName, "the console generates the tenant_name")
	assert.Equal(t, "Ops team", team.TenantAlias)
	assert.Equal(t, int64(1), team.Creator)
	assert.JSONEq(t, `{"tenant_name":"Ops team","region":"rainbond"}`, string(rt.last(t).Body))
}

func TestTeamCreateRefusesBadInputAndSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	for name, tc := range map[string]struct {
		team  *TeamCreate
		field string
	}{
		"nil":           {nil, "body"},
		"no name":       {&TeamCreate{}, "tenant_name"},
		"name too long": {&TeamCreate{TenantName: "0123456789012345678901234"}, "tenant_name"},
		"long region":   {&TeamCreate{TenantName: "x", Region: "0123456789012345678901234"}, "region"},
	} {
		_, _, err := c.Teams.Create(context.Background(), tc.team)
		assertRefused(t, err, tc.field, name)
	}
	assert.Empty(t, rt.sentTo())
}

func TestEnsureRegionWritesOnlyWhenTheRegionIsMissing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	const regions = "/openapi/v1/teams/5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b/regions"
	rt := newRouter(mt, map[string][]canned{
		"GET " + regions:  {{status: 200, body: `{"regions":[{"region_name":"rainbond"}],"total":1}`}},
		"POST " + regions: {{status: 201, body: teamCreated}},
	})
	ctx := context.Background()

	opened, err := c.Teams.EnsureRegion(ctx, "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", "rainbond")
	require.NoError(t, err)
	assert.False(t, opened)
	assert.Equal(t, []string{"GET " + regions}, rt.sentTo())

	opened, err = c.Teams.EnsureRegion(ctx, "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", "region-b")
	require.NoError(t, err)
	assert.True(t, opened)
	assert.JSONEq(t, `{"region":"region-b"}`, string(rt.last(t).Body))
}

func TestEnsureRegionFindsTheTenantIDOfATeamGivenByName(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET /openapi/v1/teams/k3x9q2mz/regions":  {{status: 200, body: `{"regions":[],"total":0}`}},
		"POST /openapi/v1/teams/k3x9q2mz/regions": {{status: 404, body: `{"code":2002,"msg":"the team is not found","msg_show":"团队不存在"}`}},
		"GET /openapi/v1/teams": {{status: 200,
			body: `{"tenants":[{"tenant_id":"5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b","tenant_name":"k3x9q2mz"}],"total":1,"page":1,"page_size":10}`}},
		"POST /openapi/v1/teams/5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b/regions": {{status: 201, body: teamCreated}},
	})
	opened, err := c.Teams.EnsureRegion(context.Background(), "k3x9q2mz", "rainbond")
	require.NoError(t, err)
	assert.True(t, opened)
	assert.Equal(t, []string{
		"GET /openapi/v1/teams/k3x9q2mz/regions", "POST /openapi/v1/teams/k3x9q2mz/regions",
		"GET /openapi/v1/teams", "POST /openapi/v1/teams/5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b/regions",
	}, rt.sentTo())
}

func TestTeamGetReadsTheOwnerAsText(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET /openapi/v1/teams/5f1c": {{status: 200,
		body: `{"tenant_id":"5f1c","tenant_name":"k3x9q2mz","tenant_alias":null,"enterprise_id":"e1","is_active":true,"create_time":"2026-11-23 09:15:02.123456","creater":"1"}`}}})
	team, _, err := c.Teams.Get(context.Background(), "5f1c")
	require.NoError(t, err)
	assert.Equal(t, "1", team.Creator)
	assert.Empty(t, team.TenantAlias, "null")
}

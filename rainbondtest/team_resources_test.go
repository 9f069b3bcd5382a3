package rainbondtest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// From openapi/views/team_view.py, openapi/serializer/team_serializer.py
// and console/services/team_services.py (notes: r5-platform.md §4).

func TestTeamResourceIsWhatItsComponentsRequest(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)

	resp := do(t, srv, "GET", teamPath(seed.TeamA, "/resource"), "")
	require.Equal(t, 200, resp.StatusCode)
	raw := bodyOf(t, resp)
	assert.True(t, strings.HasPrefix(raw, `{"total_cpu":16000,"total_memory":65536,"used_cpu":2000,"used_memory":2048,"used_cpu_percentage":12.5,"used_memory_percentage":3.12,`),
		"declaration order; round(3.125, 2) is 3.12: %s", raw)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &got))
	assert.Equal(t, seed.TeamA.TenantID, got["team_id"])
	assert.Equal(t, "o19p6wen", got["team_name"])
	assert.Equal(t, "Team A", got["team_alias"])

	require.NoError(t, srv.SetTeamLimit(seed.TeamA.TenantID, "rainbond", 4096))
	got = readJSON(t, do(t, srv, "GET", teamPath(seed.TeamA, "/resource-and-anything"), "")).(map[string]any)
	assert.Equal(t, float64(4096), got["total_memory"], "the team's limit; no $ in the route")
	assert.Equal(t, float64(50), got["used_memory_percentage"])

	overview := do(t, srv, "GET", teamPath(seed.TeamA, "/overview"), "")
	assert.Equal(t, `{"total_cpu":16000,"total_memory":4096,"used_cpu":2000,"used_memory":2048,"app_nums":1,"component_nums":2}`, bodyOf(t, overview))

	require.NoError(t, srv.SetClusterDown("rainbond", true))
	resp = do(t, srv, "GET", teamPath(seed.TeamA, "/resource"), "")
	assert.Contains(t, bodyOf(t, resp), `{"total_cpu":0,"total_memory":0,"used_cpu":0,"used_memory":0,"used_cpu_percentage":0.0,"used_memory_percentage":0.0,`,
		"a cluster error reads as an idle team")
	assert.Equal(t, `{"total_cpu":0,"total_memory":0,"used_cpu":0,"used_memory":0,"app_nums":1,"component_nums":2}`,
		bodyOf(t, do(t, srv, "GET", teamPath(seed.TeamA, "/overview"), "")))

	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.3.1"))
	defer old.Close()
	assert.Equal(t, 200, do(t, old, "GET", teamPath(old.Seed().TeamA, "/resource"), "").StatusCode)
	assert.Equal(t, 404, do(t, old, "GET", teamPath(old.Seed().TeamA, "/overview"), "").StatusCode, "came with v5.3.2")
}

func TestTeamResourceOfALongAliasFailsItsValidation(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	team, err := srv.AddTeam(rainbondtest.Team{TenantName: "longalias", TenantAlias: strings.Repeat("a", 65), Regions: []string{"rainbond"}})
	require.NoError(t, err)
	a := answerOf(t, do(t, srv, "GET", teamPath(team, "/resource"), ""), 400)
	assert.Equal(t, []string{"请确保这个字段不能超过 64 个字符。"}, a.Err["team_alias"])
	assert.Equal(t, 200, do(t, srv, "GET", teamPath(team, "/overview"), "").StatusCode, "no alias there")
	blank, err := srv.AddTeam(rainbondtest.Team{TenantName: "blankalias", TenantAlias: " ", Regions: []string{"rainbond"}})
	require.NoError(t, err)
	a = answerOf(t, do(t, srv, "GET", teamPath(blank, "/resource"), ""), 400)
	assert.Equal(t, map[string][]string{"team_alias": {"该字段不能为空。"}}, a.Err)

	var errs struct {
		Err []map[string][]string `json:"err"`
	}
	body := fmt.Sprintf(`[{"tenant_id":%q,"region_name":"rainbond"},{"tenant_id":%q,"region_name":"rainbond"}]`, srv.Seed().TeamA.TenantID, team.TenantID)
	resp := do(t, srv, "POST", "/openapi/v1/teams/resource", body)
	require.Equal(t, 400, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&errs))
	assert.Equal(t, []map[string][]string{{}, {"team_alias": {"请确保这个字段不能超过 64 个字符。"}}}, errs.Err)
}

func TestTeamsResourceDropsWhatItCannotFind(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	foreign, err := srv.AddTeam(rainbondtest.Team{TenantName: "foreign", EnterpriseID: "other", Regions: []string{"rainbond"}})
	require.NoError(t, err)
	body := fmt.Sprintf(`[{"tenant_id":%q,"region_name":"rainbond"},{"tenant_id":%q,"region_name":"region-b"},{"tenant_id":"o19p6wen","region_name":"rainbond"},{"tenant_id":%q,"region_name":"rainbond"},{"tenant_id":%q,"region_name":"region-b"}]`,
		seed.TeamA.TenantID, seed.TeamB.TenantID, foreign.TenantID, seed.TeamA.TenantID)
	got := readJSON(t, do(t, srv, "POST", "/openapi/v1/teams/resource", body)).([]any)
	require.Len(t, got, 2, "TeamB is not in region-b, a name is no id, the foreign team is another enterprise's")
	assert.Equal(t, seed.TeamA.TenantID, got[0].(map[string]any)["team_id"])
	assert.Equal(t, seed.TeamA.TenantID, got[1].(map[string]any)["team_id"])

	assert.Equal(t, []any{}, readJSON(t, do(t, srv, "POST", "/openapi/v1/teams/resource", `[]`)))
	var notList struct {
		Err map[string][]string `json:"err"`
	}
	resp := do(t, srv, "POST", "/openapi/v1/teams/resource", `{}`)
	require.Equal(t, 400, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&notList))
	assert.Equal(t, []string{"期望为一个包含物件的列表，得到的类型是“dict”。"}, notList.Err["non_field_errors"])
	var badItem struct {
		Err []map[string][]string `json:"err"`
	}
	resp = do(t, srv, "POST", "/openapi/v1/teams/resource", `[{"tenant_id":"x"}]`)
	require.Equal(t, 400, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&badItem))
	assert.Equal(t, []map[string][]string{{"region_name": {"该字段是必填项。"}}}, badItem.Err)
	assert.Equal(t, 405, do(t, srv, "GET", "/openapi/v1/teams/resource", "").StatusCode, "resource is never a team")
}

func TestUpdateTeamWritesTheRawBody(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := "/openapi/v1/teams/" + seed.TeamA.TenantID
	teamInfo := func() map[string]any { return readJSON(t, do(t, srv, "GET", path, "")).(map[string]any) }

	assertEmpty(t, do(t, srv, "PUT", path, `{"tenant_alias":" Renamed ","creater":2,"is_active":true,"limit_memory":1024}`), 200)
	assert.Equal(t, " Renamed ", teamInfo()["tenant_alias"], "the raw value, not the trimmed one")
	assert.Equal(t, "2", teamInfo()["creater"])
	assertEmpty(t, do(t, srv, "PUT", "/openapi/v1/teams/o19p6wen", `{"tenant_alias":"ByName"}`), 200)
	assert.Equal(t, " Renamed ", teamInfo()["tenant_alias"], "found by name, updated by id: no row")

	for body, field := range map[string]string{`{"region":"rainbond"}`: "region", `{"creator":1}`: "creator", `{"tenant_alias":"x","nope":1}`: "nope"} {
		errType, msg := serverErrorOf(t, do(t, srv, "PUT", path, body))
		assert.Equal(t, "FieldDoesNotExist", errType, body)
		assert.Equal(t, "Tenants has no field named '"+field+"'", msg)
	}
	assert.Equal(t, " Renamed ", teamInfo()["tenant_alias"], "a failed update writes nothing")
	var refused struct {
		Err []string `json:"err"`
	}
	for body, want := range map[string]string{`{"creator":999}`: "指定用户不存在", `{"enterprise_id":"nope"}`: "指定企业不存在"} {
		resp := do(t, srv, "PUT", path, body)
		require.Equal(t, 400, resp.StatusCode, body)
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&refused))
		assert.Equal(t, []string{want}, refused.Err)
	}
	errType, _ := serverErrorOf(t, do(t, srv, "PUT", path, `{"is_active":"yes"}`))
	assert.Equal(t, "ValidationError", errType)
	a := answerOf(t, do(t, srv, "PUT", path, `{"tenant_alias":"abcdefghijklmnopqrstuvwxy"}`), 400)
	assert.Equal(t, []string{"请确保这个字段不能超过 24 个字符。"}, a.Err["tenant_alias"])
}

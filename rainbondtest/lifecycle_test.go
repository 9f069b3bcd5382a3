package rainbondtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The fake's lifecycle routes, tested on the wire as a client of the
// console sees them.

func appPath(seed rainbondtest.Seed, suffix string) string {
	return fmt.Sprintf("/openapi/v1/teams/%s/regions/%s/apps/%d%s", seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID, suffix)
}

func readJSON(t *testing.T, resp *http.Response) any {
	t.Helper()
	var v any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
	return v
}

func TestUpgradeListIsTheConsolesEightFields(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed), installBody(seed, "6.4")).StatusCode)

	resp := do(t, srv, "GET", appPath(seed, "/upgrade"), "")
	require.Equal(t, 200, resp.StatusCode)
	list := readJSON(t, resp).([]any)
	require.Len(t, list, 1)
	item := list[0].(map[string]any)
	assert.Len(t, item, 8)
	assert.Equal(t, "6.4", item["current_version"])
	assert.Equal(t, []any{"6.5"}, item["upgrade_versions"])
	assert.Equal(t, true, item["can_upgrade"])
	assert.Equal(t, "RainbondMarket", item["market_name"])
}

func TestUpgradeOfAModelTheAppLacksIsASilent200(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	resp := do(t, srv, "POST", appPath(seed, "/upgrade"),
		`{"update_versions":[{"market_name":"RainbondMarket","app_model_id":"`+seed.Redis.ID+`","app_model_version":"7.2"}]}`)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []any{}, readJSON(t, resp))

	resp = do(t, srv, "POST", appPath(seed, "/upgrade"), `{"update_versions":[{"app_model_id":"x","app_model_version":"1"}]}`)
	assert.Equal(t, 400, resp.StatusCode, "market_name must be present, even as null")
	assert.Contains(t, fmt.Sprint(readJSON(t, resp)), "market_name")
}

func TestOperationsValidateTheirBody(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	for body, want := range map[string]int{
		`{"action":"start"}`:                     200,
		`{"action":"start","service_ids":[]}`:    200,
		`{"action":"restart"}`:                   400,
		`{"action":"start","service_ids":null}`:  400,
		`{"action":"start","service_ids":"abc"}`: 400,
		`{}`:                                     400,
	} {
		resp := do(t, srv, "POST", appPath(seed, "/operations"), body)
		assert.Equal(t, want, resp.StatusCode, body)
		if want == 200 {
			assert.Equal(t, map[string]any{"msg": "操作成功"}, readJSON(t, resp))
		}
	}
}

func TestComponentsMoveWithTheClock(t *testing.T) {
	t.Parallel()
	clock := rainbondtest.NewClock(time.Unix(0, 0))
	srv := rainbondtest.NewServer(rainbondtest.WithClock(clock), rainbondtest.WithTransitionTime(time.Minute))
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed)+"?is_deploy=true", installBody(seed, "6.4")).StatusCode)
	states := func() []string {
		var out []string
		for _, c := range srv.Components(seed.AppA.ID) {
			out = append(out, c.Status)
		}
		return out
	}
	assert.Equal(t, []string{"building", "building"}, states())
	clock.Advance(time.Minute)
	assert.Equal(t, []string{"running", "running"}, states())
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/operations"), `{"action":"stop"}`).StatusCode)
	assert.Equal(t, []string{"stopping", "stopping"}, states())
	clock.Advance(time.Minute - time.Nanosecond)
	assert.Equal(t, []string{"stopping", "stopping"}, states())
	clock.Advance(time.Nanosecond)
	assert.Equal(t, []string{"closed", "closed"}, states())
}

func TestTeamsCreateGeneratesTheName(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	resp := do(t, srv, "POST", "/openapi/v1/teams", `{"tenant_name":"  Ops  "}`)
	require.Equal(t, 201, resp.StatusCode)
	team := readJSON(t, resp).(map[string]any)
	assert.Regexp(t, regexp.MustCompile(`^[a-z0-9]{8}$`), team["tenant_name"])
	assert.Equal(t, "Ops", team["tenant_alias"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$`, team["create_time"])

	resp = do(t, srv, "POST", "/openapi/v1/teams/"+team["tenant_id"].(string)+"/regions", "")
	assert.Equal(t, 500, resp.StatusCode, "the console dereferences the missing region")
	resp = do(t, srv, "POST", "/openapi/v1/teams/"+team["tenant_name"].(string)+"/regions", `{"region":"rainbond"}`)
	assert.Equal(t, 404, resp.StatusCode, "by tenant_name: code 2002")
	assert.Equal(t, float64(2002), readJSON(t, resp).(map[string]any)["code"])
}

func TestAnOlderConsoleLacksLaterRoutes(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.1.9"))
	defer srv.Close()
	seed := srv.Seed()
	resp := do(t, srv, "GET", appPath(seed, "/upgrade"), "")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), "<h1>Not Found</h1>")

	resp = do(t, srv, "GET", appPath(seed, ""), "")
	assert.Equal(t, 200, resp.StatusCode)

	// Before v6.9.2 a team not opened in the region is not refused.
	resp = do(t, srv, "GET", fmt.Sprintf("/openapi/v1/teams/%s/regions/%s/apps", seed.TeamB.TenantID, seed.OtherRegion.RegionName), "")
	assert.Equal(t, 200, resp.StatusCode)
}

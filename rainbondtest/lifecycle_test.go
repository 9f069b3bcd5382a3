package rainbondtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
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

func TestComponentRoutesOnTheWire(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	resp := do(t, srv, "POST", appPath(seed, "/services"), fmt.Sprintf(`{"group_id":%d,"service_cname":"web","image":"nginx:1.25","is_deploy":"false"}`, seed.AppA.ID))
	require.Equal(t, 200, resp.StatusCode)
	bean := readJSON(t, resp).(map[string]any)["data"].(map[string]any)["bean"].(map[string]any)
	id := bean["service_id"].(string)
	comp := appPath(seed, "/services/"+id)

	events := readJSON(t, do(t, srv, "GET", comp+"/events", "")).(map[string]any)
	require.Len(t, events["events"], 1, `"false" is true to Python: the component was deployed`)
	ev := events["events"].([]any)[0].(map[string]any)
	assert.Len(t, ev, 15)
	for k, v := range ev {
		assert.IsType(t, "", v, k)
	}
	assert.Equal(t, 500, do(t, srv, "GET", comp+"/events?page=x", "").StatusCode, "int() of the page")

	require.Equal(t, 200, do(t, srv, "PUT", comp+"/docker-image-change", `{"image":"nginx"}`).StatusCode)
	got := readJSON(t, do(t, srv, "GET", comp, "")).(map[string]any)
	assert.Equal(t, "nginx", got["version"], "the text after the last ':' is the whole name")

	resp = do(t, srv, "POST", comp+"/ports", `{"port":80}`)
	assert.Equal(t, 400, resp.StatusCode, "is_inner_service is required")
	resp = do(t, srv, "POST", comp+"/ports", `{"port":80,"is_inner_service":false}`)
	require.Equal(t, 200, resp.StatusCode)
	port := readJSON(t, resp).(map[string]any)["data"].(map[string]any)["bean"].(map[string]any)
	assert.Len(t, port, 8)

	resp = do(t, srv, "POST", appPath(seed, "/httpdomains"), `{"service_id":"`+id+`","container_port":80,"domain_name":"a.example.com","whether_open":true}`)
	require.Equal(t, 201, resp.StatusCode)
	created := readJSON(t, resp).(map[string]any)
	assert.Equal(t, []any{}, created["rewrites"], "an array in the creation's answer")
	assert.NotContains(t, created, "ID")
	rules := readJSON(t, do(t, srv, "GET", appPath(seed, "/httpdomains"), "")).([]any)
	assert.Equal(t, "[]", rules[0].(map[string]any)["rewrites"], "a string elsewhere")

	blank := readJSON(t, do(t, srv, "GET", appPath(seed, "/httpdomains/unknown"), "")).(map[string]any)
	assert.Equal(t, "", blank["http_rule_id"])
	assert.Nil(t, blank["container_port"])
	assert.Equal(t, "", blank["auto_ssl_config"])

	resp = do(t, srv, "PUT", comp+"/envs", `{"envs":[{"name":"A","value":" x "}]}`)
	require.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, fmt.Sprint(readJSON(t, resp)), "value:x", "the console trims the value")
	resp = do(t, srv, "POST", comp+"/telescopic/vertical", `{"new_memory":512}`)
	assert.Equal(t, 400, resp.StatusCode, "new_cpu and new_gpu are required keys")
	resp = do(t, srv, "POST", comp+"/telescopic/vertical", `{"new_memory":65,"new_cpu":null,"new_gpu":null}`)
	assert.Equal(t, 400, resp.StatusCode, "65 is one above a multiple of 64")
	resp = do(t, srv, "POST", comp+"/telescopic/vertical", `{"new_memory":100,"new_cpu":null,"new_gpu":null}`)
	assert.Equal(t, 200, resp.StatusCode, "100 passes the console's check")
	body, _ := io.ReadAll(resp.Body)
	assert.Empty(t, body)
}

func TestASeedFileReplacesTheDefaultFixtures(t *testing.T) {
	t.Parallel()
	f, err := rainbondtest.ReadSeedFile(strings.NewReader(`{"regions":[{"region_name":"r1"}],
	 "teams":[{"tenant_name":"ops","regions":["r1"]}],"apps":[{"tenant_id":"ops","region_name":"r1","name":"shop"}],
	 "stores":[{"domain":"d","url":"https://s.example.com","models":[{"id":"m","name":"web","versions":[{"version":"1","components":[{"cname":"web","image":"nginx:1","port":80}]}]}]}]}`))
	require.NoError(t, err)
	srv := rainbondtest.NewServer(rainbondtest.WithSeedFile(f))
	defer srv.Close()
	require.Len(t, srv.Apps(), 1)
	assert.Equal(t, "shop", srv.Apps()[0].Name)
	resp := do(t, srv, "POST", "/openapi/v1/teams/ops/regions/r1/apps/1/install",
		`{"market_url":"https://s.example.com","market_domain":"d","market_type":"rainstore","market_access_key":null,"app_model_id":"m","app_model_version":"1"}`)
	assert.Equal(t, 200, resp.StatusCode)

	_, err = rainbondtest.ReadSeedFile(strings.NewReader(`{"teams":[{"tenant_nmae":"typo"}]}`))
	assert.ErrorContains(t, err, "tenant_nmae", "a misspelt field is an error")
	_, err = rainbondtest.StartServer(rainbondtest.WithSeedFile(&rainbondtest.SeedFile{Teams: []rainbondtest.Team{{TenantName: "x", Regions: []string{"nowhere"}}}}))
	assert.ErrorContains(t, err, "nowhere")
}

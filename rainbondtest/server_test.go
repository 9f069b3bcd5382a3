package rainbondtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// do sends a raw request, as any client of the console would.
func do(t *testing.T, srv *rainbondtest.Server, method, path, body string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", srv.Token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// decodeStrict decodes into an SDK model, refusing members it does not
// know, so that the fake and the SDK are checked against each other.
func decodeStrict(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	dec := json.NewDecoder(resp.Body)
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v))
}

func installBody(seed rainbondtest.Seed, version string) string {
	return fmt.Sprintf(`{"market_url": %q, "market_domain": %q, "market_type": "rainstore", "market_access_key": null, "app_model_id": %q, "app_model_version": %q}`,
		seed.Store.URL, seed.Store.Domain, seed.WordPress.ID, version)
}

func installPath(seed rainbondtest.Seed) string {
	return fmt.Sprintf("/openapi/v1/teams/%s/regions/%s/apps/%d/install", seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID)
}

func TestInstallAnswersEveryComponentFieldTheSDKKnows(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()

	resp := do(t, srv, "POST", installPath(seed), installBody(seed, "6.4"))
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var got rainbond.MarketInstall
	decodeStrict(t, resp, &got)
	assert.Equal(t, seed.EnterpriseID, got.EnterpriseID)
	assert.Equal(t, seed.TeamA.TenantID, got.TeamID)
	assert.Empty(t, got.Note)
	assert.Equal(t, seed.AppA.ID, got.ID)
	assert.Equal(t, "rainbond", got.RegionName)
	require.Len(t, got.ServiceList, 2)
	for _, s := range got.ServiceList {
		assert.Nil(t, s.Extra, "the fake sends only fields the SDK knows")
		assert.Empty(t, s.Status, "install answers carry an empty status")
		assert.Equal(t, []string{}, s.AccessInfos)
		assert.Len(t, s.ServiceID, 32)
		assert.Equal(t, seed.TeamA.TenantID, s.TenantID)
		assert.Regexp(t, `^gr[0-9a-f]{6}$`, s.ServiceAlias)
		assert.Equal(t, "rainbond", s.ServiceRegion)
		assert.Equal(t, "market", s.ServiceSource)
		assert.Equal(t, "cloud", s.ServiceOrigin)
		assert.Empty(t, s.GitURL)
		assert.Empty(t, s.Cmd)
		assert.Zero(t, s.OAuthServiceID)
		assert.Equal(t, "amd64", s.Arch)
	}
	assert.Equal(t, "wordpress", got.ServiceList[0].ServiceCname)
	assert.Equal(t, 2, got.ServiceList[0].MinNode)
	assert.Equal(t, "mysql", got.ServiceList[1].ServiceCname)
	assert.Equal(t, "state_singleton", got.ServiceList[1].ExtendMethod)
	assert.Equal(t, 1024, got.ServiceList[1].MinMemory)
}

func TestIsDeployIsReadAsTheConsoleReadsIt(t *testing.T) {
	t.Parallel()
	for query, deployed := range map[string]bool{
		"":                false,
		"?is_deploy=":     false,
		"?is_deploy=true": true,
		// Any non-empty value deploys, "false" included.
		"?is_deploy=false": true,
		"?is_deploy=0":     true,
	} {
		srv := rainbondtest.NewServer()
		seed := srv.Seed()
		resp := do(t, srv, "POST", installPath(seed)+query, installBody(seed, "6.4"))
		require.Equal(t, 200, resp.StatusCode, query)
		want := "undeploy"
		if deployed {
			want = "running"
		}
		for _, c := range srv.Components(seed.AppA.ID) {
			assert.Equal(t, want, c.Status, "query %q", query)
		}
		srv.Close()
	}
}

func TestAuthFailuresAreTheFrameworks401(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	for name, tc := range map[string]struct{ token, detail string }{
		"missing": {"", "No token"},
		"wrong":   {"nope", "No such user or user is not admin"},
		"bearer":  {"Bearer " + srv.Token, "No such user or user is not admin"},
	} {
		resp := do(t, srv, "GET", "/openapi/v1/regions", "", "Authorization", tc.token)
		assert.Equal(t, 401, resp.StatusCode, name)
		assert.Equal(t, "Token", resp.Header.Get("WWW-Authenticate"))
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		assert.Equal(t, tc.detail, body["detail"], name)
		assert.Equal(t, float64(401), body["code"])
		assert.Equal(t, "AuthenticationFailed", body["error_type"])
		assert.Contains(t, body["error_trace"], "Traceback")
	}
}

func TestUnknownPathsAndTrailingSlashesGetDjangosHTML404(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	for _, path := range []string{installPath(seed) + "/", "/openapi/v1/nope", "/openapi/v1/teams/a.b/regions"} {
		resp := do(t, srv, "POST", path, "{}")
		assert.Equal(t, 404, resp.StatusCode, path)
		assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	}
	resp := do(t, srv, "GET", installPath(seed), "")
	assert.Equal(t, 405, resp.StatusCode)
}

func TestInstallBodyValidationIsDRFs(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	for name, tc := range map[string]struct {
		body string
		err  map[string][]string
	}{
		"missing everything": {`{}`, map[string][]string{
			"market_url": {"该字段是必填项。"}, "market_domain": {"该字段是必填项。"}, "market_type": {"该字段是必填项。"},
			"market_access_key": {"该字段是必填项。"}, "app_model_id": {"该字段是必填项。"}, "app_model_version": {"该字段是必填项。"},
		}},
		"blank, null, too long, wrong type": {
			`{"market_url": "  ", "market_domain": null, "market_type": true, "market_access_key": "", "app_model_id": "` + strings.Repeat("x", 65) + `", "app_model_version": 1}`,
			map[string][]string{
				"market_url": {"该字段不能为空。"}, "market_domain": {"该字段不能为 null。"}, "market_type": {"不是有效的字符串。"},
				"market_access_key": {"该字段不能为空。"}, "app_model_id": {"请确保这个字段不能超过 64 个字符。"},
			},
		},
		"not an object": {`[]`, map[string][]string{"non_field_errors": {"无效数据。期待为字典类型，得到的是 list 。"}}},
	} {
		resp := do(t, srv, "POST", installPath(seed), tc.body)
		require.Equal(t, 400, resp.StatusCode, name)
		var body struct {
			Detail    string              `json:"detail"`
			Err       map[string][]string `json:"err"`
			Code      int                 `json:"code"`
			ErrorType string              `json:"error_type"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		assert.Equal(t, "参数错误", body.Detail)
		assert.Equal(t, 20400, body.Code)
		assert.Equal(t, "ValidationError", body.ErrorType)
		assert.Equal(t, tc.err, body.Err, name)
	}
	resp := do(t, srv, "POST", installPath(seed), `{"market_url":`)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Empty(t, srv.Components(seed.AppA.ID), "nothing was installed")
}

func TestCopyBodiesTheConsoleCannotUseAreTracebacks(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d/copy", seed.TeamA.TenantName, seed.AppA.ID)
	target := fmt.Sprintf(`"target_team_name": %q, "target_region_name": "rainbond", "target_app_id": %d`, seed.TeamB.TenantName, seed.AppB.ID)
	for name, body := range map[string]string{
		"not an object":      `[]`,
		"no services":        `{` + target + `}`,
		"services not list":  `{"services": "all", ` + target + `}`,
		"no service_id":      `{"services": [{}], ` + target + `}`,
		"unknown service_id": `{"services": [{"service_id": "nope"}], ` + target + `}`,
		"no target":          `{"services": []}`,
	} {
		resp := do(t, srv, "POST", path, body)
		require.Equal(t, 500, resp.StatusCode, name)
		var got struct {
			Code    int    `json:"code"`
			MsgShow string `json:"msg_show"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
		assert.Equal(t, 10401, got.Code)
		assert.True(t, strings.HasPrefix(got.MsgShow, "Traceback (most recent call last):"), name)
	}
	resp := do(t, srv, "POST", path, `{"services": [{"service_id": "x", "change": {"build_source": {"version": ""}}}], `+target+`}`)
	assert.Equal(t, 400, resp.StatusCode, "an empty build version is the one thing the console checks")
}

func TestListsDecodeIntoTheSDKModels(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed)+"?is_deploy=true", installBody(seed, "6.4")).StatusCode)

	var regions []rainbond.RegionInfo
	decodeStrict(t, do(t, srv, "GET", "/openapi/v1/regions", ""), &regions)
	assert.Len(t, regions, 2)

	var teams rainbond.TeamList
	decodeStrict(t, do(t, srv, "GET", "/openapi/v1/teams?page_size=1&page=2", ""), &teams)
	assert.Equal(t, 2, teams.Total)
	require.Len(t, teams.Tenants, 1)
	assert.Equal(t, seed.TeamB.TenantName, teams.Tenants[0].TenantName)

	var teamRegions rainbond.TeamRegionList
	decodeStrict(t, do(t, srv, "GET", "/openapi/v1/teams/"+seed.TeamA.TenantName+"/regions", ""), &teamRegions)
	assert.Equal(t, 2, teamRegions.Total)

	base := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps", seed.TeamA.TenantID)
	var apps []rainbond.AppBaseInfo
	decodeStrict(t, do(t, srv, "GET", base, ""), &apps)
	require.Len(t, apps, 1)

	var app rainbond.AppInfo
	decodeStrict(t, do(t, srv, "GET", fmt.Sprintf("%s/%d", base, seed.AppA.ID), ""), &app)
	assert.Equal(t, rainbond.AppRunning, app.Status)
	assert.Equal(t, 2, app.ServiceCount)

	var comps []rainbond.ServiceBaseInfo
	decodeStrict(t, do(t, srv, "GET", fmt.Sprintf("%s/%d/services", base, seed.AppA.ID), ""), &comps)
	require.Len(t, comps, 2)
	assert.Equal(t, rainbond.ComponentRunning, comps[0].Status)

	var copyable []rainbond.AppCopyL
	decodeStrict(t, do(t, srv, "GET", fmt.Sprintf("%s/%d/copy", base, seed.AppA.ID), ""), &copyable)
	require.Len(t, copyable, 2)
	assert.Equal(t, json.Number("512"), copyable[0].MinMemory)

	var created rainbond.AppBaseInfo
	resp := do(t, srv, "POST", base, `{"app_name": "new"}`)
	assert.Equal(t, 201, resp.StatusCode)
	decodeStrict(t, resp, &created)
	assert.Equal(t, "new", created.GroupName)
}

func TestFaultsAnswerInsteadOfTheConsole(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()

	srv.InjectFaults(2, rainbondtest.BadGateway())
	for range 2 {
		resp := do(t, srv, "GET", "/openapi/v1/regions", "")
		assert.Equal(t, 502, resp.StatusCode)
		b, _ := io.ReadAll(resp.Body)
		assert.Contains(t, string(b), "nginx")
	}
	assert.Equal(t, 200, do(t, srv, "GET", "/openapi/v1/regions", "").StatusCode, "two faults, then normal answers")

	srv.InjectFaults(1, rainbondtest.Throttled(3))
	resp := do(t, srv, "GET", "/openapi/v1/regions", "")
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "3", resp.Header.Get("Retry-After"))

	srv.InjectFaults(1, rainbondtest.Fault{Method: "POST", PathSuffix: "/install", DropConnection: true, AfterHandling: true})
	assert.Equal(t, 200, do(t, srv, "GET", "/openapi/v1/regions", "").StatusCode, "the fault waits for a matching request")
	req, _ := http.NewRequest("POST", srv.URL+installPath(seed), strings.NewReader(installBody(seed, "6.4")))
	req.Header.Set("Authorization", srv.Token)
	_, err := http.DefaultTransport.RoundTrip(req)
	assert.Error(t, err, "the connection was dropped")
	assert.Len(t, srv.Components(seed.AppA.ID), 2, "after handling: the install happened")

	srv.InjectFaults(1, rainbondtest.Fault{TruncateBody: true, AfterHandling: true})
	resp = do(t, srv, "GET", "/openapi/v1/regions", "")
	_, err = io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	srv.InjectFaults(1, rainbondtest.Fault{Delay: 50 * time.Millisecond, Status: 503})
	start := time.Now()
	assert.Equal(t, 503, do(t, srv, "GET", "/openapi/v1/regions", "").StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
}

func TestRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	do(t, srv, "POST", "/openapi/v1/teams/x/regions/y/apps/1/install?is_deploy=true", `{"a":1}`)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/openapi/v1/teams/x/regions/y/apps/1/install", reqs[0].Path)
	assert.Equal(t, "is_deploy=true", reqs[0].RawQuery)
	assert.Equal(t, srv.Token, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, `{"a":1}`, string(reqs[0].Body))
}

func TestConcurrentInstallsGetDistinctComponents(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", srv.URL+installPath(seed), bytes.NewBufferString(installBody(seed, "6.4")))
			req.Header.Set("Authorization", srv.Token)
			resp, err := http.DefaultClient.Do(req)
			if assert.NoError(t, err) {
				assert.Equal(t, 200, resp.StatusCode)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	comps := srv.Components(seed.AppA.ID)
	assert.Len(t, comps, 32)
	ids, groups := map[string]bool{}, map[int]int{}
	for _, c := range comps {
		ids[c.ServiceID] = true
		groups[c.GroupID]++
	}
	assert.Len(t, ids, 32, "every component has its own id")
	assert.Len(t, groups, 16, "every install is its own component group")
}

func TestAddFunctionsRefuseWhatTheConsoleWouldNotHold(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithoutSeed())
	defer srv.Close()
	_, err := srv.AddRegion(rainbondtest.Region{RegionName: "a/b"})
	assert.Error(t, err)
	_, err = srv.AddTeam(rainbondtest.Team{Regions: []string{"missing"}})
	assert.Error(t, err)
	_, err = srv.AddApp(rainbondtest.App{TenantID: "nobody", RegionName: "r"})
	assert.Error(t, err)
	assert.Error(t, srv.AddStore(rainbondtest.Store{}))
	r, err := srv.AddRegion(rainbondtest.Region{RegionName: "r1"})
	require.NoError(t, err)
	assert.Len(t, r.RegionID, 32)
	team, err := srv.AddTeam(rainbondtest.Team{Regions: []string{"r1"}})
	require.NoError(t, err)
	a, err := srv.AddApp(rainbondtest.App{TenantID: team.TenantName, RegionName: "r1"})
	require.NoError(t, err)
	assert.Equal(t, team.TenantID, a.TenantID)
	assert.Positive(t, a.ID)
}

// rawJSON decodes an answer into generic JSON, to check its exact shape.
func rawJSON(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	var v map[string]any
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v))
	return v
}

func TestAppDetailIsValidatedOrRawAsOnTheConsole(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d", seed.TeamA.TenantID, seed.AppA.ID)

	empty := rawJSON(t, do(t, srv, "GET", path, ""))
	assert.Equal(t, json.Number("0"), empty["used_cpu"])
	assert.Equal(t, json.Number(fmt.Sprint(seed.AppA.ID)), empty["app_id"], "validated: app_id an integer")
	assert.NotContains(t, empty, "ID", "ID is read-only in AppInfoSerializer: never sent")

	// wordpress 6.4: 512 + 1024 MiB → 360 "CPU", integral: still validated.
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed), installBody(seed, "6.4")).StatusCode)
	validated := rawJSON(t, do(t, srv, "GET", path, ""))
	assert.Equal(t, json.Number("360"), validated["used_cpu"])
	assert.Equal(t, json.Number("1536"), validated["used_momory"])

	// A component of 100 MiB makes used_cpu fractional: the raw input.
	srv2 := rainbondtest.NewServer()
	defer srv2.Close()
	seed2 := srv2.Seed()
	require.NoError(t, srv2.AddStore(rainbondtest.Store{Domain: "odd", URL: "https://odd.example", Models: []rainbondtest.AppModel{{
		ID: "m", Versions: []rainbondtest.AppModelVersion{{Version: "1", Components: []rainbondtest.ComponentTemplate{{Cname: "tiny", MinMemory: 100}}}},
	}}}))
	body := `{"market_url": "https://odd.example", "market_domain": "odd", "market_type": "rainstore", "market_access_key": null, "app_model_id": "m", "app_model_version": "1"}`
	require.Equal(t, 200, do(t, srv2, "POST", installPath(seed2), body).StatusCode)
	raw := rawJSON(t, do(t, srv2, "GET", fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d", seed2.TeamA.TenantID, seed2.AppA.ID), ""))
	assert.Equal(t, json.Number("23.4375"), raw["used_cpu"])
	assert.Equal(t, fmt.Sprint(seed2.AppA.ID), raw["app_id"], "raw: app_id is the path's text")
}

func TestUsedCPUOfARawAnswerIsAPythonFloat(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	long, err := srv.AddTeam(rainbondtest.Team{TenantName: strings.Repeat("t", 40), Regions: []string{"rainbond"}})
	require.NoError(t, err)
	app, err := srv.AddApp(rainbondtest.App{TenantID: long.TenantID, RegionName: "rainbond"})
	require.NoError(t, err)
	path := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d", long.TenantID, app.ID)
	resp := do(t, srv, "POST", path+"/install", installBody(seed, "6.4"))
	require.Equal(t, 200, resp.StatusCode)
	b, err := io.ReadAll(do(t, srv, "GET", path, "").Body)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"used_cpu":360.0`, "a team name over 32 characters fails validation: the float stays")
}

func TestTeamsAreRawRowsWithStringRoleIDs(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	got := rawJSON(t, do(t, srv, "GET", "/openapi/v1/teams?page=x&page_size=1", ""))
	assert.Equal(t, json.Number("1"), got["page"], "what int() cannot read becomes 1")
	assert.Equal(t, json.Number("1"), got["page_size"])
	assert.Equal(t, json.Number("2"), got["total"])
	team := got["tenants"].([]any)[0].(map[string]any)
	for _, absent := range []string{"service_num", "region_num"} {
		assert.NotContains(t, team, absent)
	}
	assert.Equal(t, "admin", team["creater"], "the caller's nick name")
	assert.IsType(t, json.Number(""), team["ID"])
	role := team["role_infos"].([]any)[0].(map[string]any)
	assert.IsType(t, "", role["role_id"], "UserRole.role_id is a text column")
}

func TestRegionsListFailsWholeOnOneBadRegion(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	resp := do(t, srv, "GET", "/openapi/v1/regions", "")
	var regions []map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&regions))
	for _, r := range regions {
		for _, absent := range []string{"wsurl", "httpdomain", "tcpdomain"} {
			assert.NotContains(t, r, absent)
		}
		assert.Nil(t, r["key_file"])
		assert.Contains(t, r, "key_file")
	}
	_, err := srv.AddRegion(rainbondtest.Region{RegionName: "long", RegionAlias: strings.Repeat("区", 33)})
	require.NoError(t, err)
	resp = do(t, srv, "GET", "/openapi/v1/regions", "")
	require.Equal(t, 400, resp.StatusCode)
	var body struct {
		Err []map[string][]string `json:"err"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	assert.Equal(t, []map[string][]string{{}, {}, {"region_alias": {"请确保这个字段不能超过 32 个字符。"}}}, body.Err)
}

func TestTeamNotOpenedInTheRegionIsA409BeforeTheApp(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	resp := do(t, srv, "GET", fmt.Sprintf("/openapi/v1/teams/%s/regions/region-b/apps/99999", seed.TeamB.TenantID), "")
	assert.Equal(t, 409, resp.StatusCode)
	assert.Equal(t, json.Number("2001"), rawJSON(t, resp)["code"])
}

func TestAQuotaRefusalIs412ForACopyAndAFailedInstallForAnInstall(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithoutSeed())
	defer srv.Close()
	_, err := srv.AddRegion(rainbondtest.Region{RegionName: "r"})
	require.NoError(t, err)
	src, err := srv.AddTeam(rainbondtest.Team{TenantName: "src", Regions: []string{"r"}})
	require.NoError(t, err)
	dst, err := srv.AddTeam(rainbondtest.Team{TenantName: "dst", Regions: []string{"r"}, MemoryQuota: 256})
	require.NoError(t, err)
	srcApp, _ := srv.AddApp(rainbondtest.App{TenantID: src.TenantID, RegionName: "r"})
	dstApp, _ := srv.AddApp(rainbondtest.App{TenantID: dst.TenantID, RegionName: "r"})
	require.NoError(t, srv.AddStore(rainbondtest.Store{Domain: "d", URL: "https://s", Models: []rainbondtest.AppModel{{
		ID: "m", Versions: []rainbondtest.AppModelVersion{{Version: "1", Components: []rainbondtest.ComponentTemplate{{Cname: "big", MinMemory: 1024}}}},
	}}}))
	body := `{"market_url": "https://s", "market_domain": "d", "market_type": "rainstore", "market_access_key": null, "app_model_id": "m", "app_model_version": "1"}`

	resp := do(t, srv, "POST", fmt.Sprintf("/openapi/v1/teams/dst/regions/r/apps/%d/install?is_deploy=true", dstApp.ID), body)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "install app failure", rawJSON(t, resp)["msg"])
	assert.Empty(t, srv.Components(dstApp.ID), "a failed install is cleaned up")

	require.Equal(t, 200, do(t, srv, "POST", fmt.Sprintf("/openapi/v1/teams/src/regions/r/apps/%d/install", srcApp.ID), body).StatusCode)
	resp = do(t, srv, "POST", fmt.Sprintf("/openapi/v1/teams/src/regions/r/apps/%d/copy", srcApp.ID),
		fmt.Sprintf(`{"services": [], "target_team_name": "dst", "target_region_name": "r", "target_app_id": %d}`, dstApp.ID))
	assert.Equal(t, 412, resp.StatusCode)
	assert.Equal(t, json.Number("10413"), rawJSON(t, resp)["code"])
	copies := srv.Components(dstApp.ID)
	require.Len(t, copies, 1, "the copies were saved before the deploy was refused")
	assert.Equal(t, "undeploy", copies[0].Status)
}

func TestCreateAppChecksNamesAsTheConsoleDoes(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps", seed.TeamA.TenantID)
	created := do(t, srv, "POST", path, `{"app_name": " 博客_v1.0 ", "app_note": "   "}`)
	require.Equal(t, 201, created.StatusCode)
	app := rawJSON(t, created)
	assert.Equal(t, "博客_v1.0", app["group_name"], "trimmed")
	assert.Equal(t, "", app["note"], "a blank note is allowed and stored as \"\"")
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`, app["create_time"], "to_dict()'s format")
	for body, msg := range map[string]string{
		`{"app_name": "博客_v1.0"}`:                         "app name exist",
		`{"app_name": "a b"}`:                             "app_name illegal",
		`{"app_name": "x", "k8s_app": "` + "app-1" + `"}`: "k8s app exists",
	} {
		resp := do(t, srv, "POST", path, body)
		assert.Equal(t, 400, resp.StatusCode, body)
		assert.Equal(t, msg, rawJSON(t, resp)["msg"], body)
	}
}

func TestUnreportedComponentsHaveANullStatus(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed), installBody(seed, "6.4")).StatusCode)
	comps := srv.Components(seed.AppA.ID)
	require.NoError(t, srv.SetComponentStatus(comps[0].ServiceID, ""))
	resp := do(t, srv, "GET", fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d/services", seed.TeamA.TenantID, seed.AppA.ID), "")
	var list []map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	assert.Nil(t, list[0]["status"])
	assert.Contains(t, list[0], "status")
	assert.Equal(t, "undeploy", list[1]["status"])
}

func TestTheEnvLoopReachesTheClusterBeforeAReservedName(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	base := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d/services", seed.TeamA.TenantID, seed.AppA.ID)
	created := do(t, srv, "POST", base, fmt.Sprintf(`{"group_id":%d,"service_cname":"web","image":"nginx:1.27"}`, seed.AppA.ID))
	require.Equal(t, 200, created.StatusCode)
	var bean struct {
		Data struct {
			Bean struct {
				ServiceID string `json:"service_id"`
			} `json:"bean"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(created.Body).Decode(&bean))
	id := bean.Data.Bean.ServiceID

	resp := do(t, srv, "PUT", base+"/"+id+"/envs", `{"envs":[{"name":"FIRST","value":"1"},{"name":"PATH","value":"/bin"}]}`)
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Contains(t, string(body), "不允许的变量名PATH")
	assert.NotContains(t, srv.Envs(id), "FIRST", "the console rolled back")
	assert.Equal(t, "1", srv.ClusterEnvs(id)["FIRST"], "the cluster did not")
}

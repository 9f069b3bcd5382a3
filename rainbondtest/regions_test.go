package rainbondtest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// From openapi/views/region_view.py, openapi/serializer/region_serializer.py
// and console/services/region_services.py (notes: r5-platform.md §5).

// regionBody is a POST /regions body; extra fields replace or add.
func regionBody(eid string, extra map[string]any) string {
	body := map[string]any{
		"region_id": "anything", "region_name": "r3", "region_alias": "Third", "url": "https://r3.example.com:8443",
		"wsurl": "wss://r3.example.com:6060", "httpdomain": "apps.r3.example.com", "tcpdomain": "10.0.0.9",
		"ssl_ca_cert": "CA", "cert_file": "CERT", "key_file": "KEY", "status": 1, "enterprise_id": eid, "token": "tok",
	}
	for k, v := range extra {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	b, _ := json.Marshal(body)
	return string(b)
}

func TestCreateRegionAnswersTheRowWithItsSecrets(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	eid := srv.Seed().EnterpriseID
	resp := do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, nil))
	require.Equal(t, 201, resp.StatusCode)
	got := readJSON(t, resp).(map[string]any)
	assert.Len(t, got, 15)
	assert.Len(t, got["region_id"], 32, "the body's region_id is replaced")
	assert.NotEqual(t, "anything", got["region_id"])
	assert.Equal(t, "1", got["status"], "the number as text")
	assert.Equal(t, "private", got["scope"])
	assert.Equal(t, "", got["desc"])
	assert.Equal(t, "KEY", got["key_file"])
	assert.Equal(t, "tok", got["token"])
	assert.Equal(t, eid, got["enterprise_id"])

	detail := readJSON(t, do(t, srv, "GET", "/openapi/v1/regions/"+got["region_id"].(string), "")).(map[string]any)
	assert.Equal(t, "r3", detail["region_name"], "by id")
	assert.Equal(t, "CERT", detail["cert_file"])
	listed := readJSON(t, do(t, srv, "GET", "/openapi/v1/regions", "")).([]any)
	assert.Len(t, listed, 3)

	// Blank certificates are accepted, and then fail every read.
	resp = do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, map[string]any{"region_name": "r4", "ssl_ca_cert": "", "cert_file": "", "key_file": "", "url": "http://10.1.2.3:8888"}))
	require.Equal(t, 201, resp.StatusCode)
	a := answerOf(t, do(t, srv, "GET", "/openapi/v1/regions/r4", ""), 400)
	assert.Equal(t, map[string][]string{"ssl_ca_cert": {"该字段不能为空。"}, "cert_file": {"该字段不能为空。"}, "key_file": {"该字段不能为空。"}}, a.Err)
}

func TestCreateRegionRefusals(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	eid := srv.Seed().EnterpriseID
	for name, tc := range map[string]struct {
		extra map[string]any
		err   map[string][]string
	}{
		"no region_id":    {map[string]any{"region_id": nil}, map[string][]string{"region_id": {"该字段是必填项。"}}},
		"taken name":      {map[string]any{"region_name": "rainbond"}, map[string][]string{"region_name": {"具有 region name 的 region config 已存在。"}}},
		"service name":    {map[string]any{"url": "https://rbd-api-api:8443", "wsurl": "wss://rbd-api-websocket:6060"}, map[string][]string{"url": {"集群API地址非法"}, "wsurl": {"集群Websocket地址非法"}}},
		"tcp domain name": {map[string]any{"tcpdomain": "tcp.example.com"}, map[string][]string{"tcpdomain": {"TCP访问地址非法"}}},
		"status":          {map[string]any{"status": "5"}, map[string][]string{"status": {"集群状态值不正确"}}},
		"scope":           {map[string]any{"scope": "shared"}, map[string][]string{"scope": {"集群开放类型不正确"}}},
	} {
		a := answerOf(t, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, tc.extra)), 400)
		assert.Equal(t, tc.err, a.Err, name)
	}

	// An IP at the start is all ipregex asks.
	assert.Equal(t, 201, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, map[string]any{"tcpdomain": "10.0.0.1.nip.io"})).StatusCode)

	a := answerOf(t, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, map[string]any{"region_name": "r5", "enterprise_id": nil})), 404)
	assert.Equal(t, "enterprise not found", a.Msg)
	assert.Equal(t, "企业不存在", a.MsgShow)
	a = answerOf(t, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, map[string]any{"region_name": "r5", "enterprise_id": "nope"})), 404)
	assert.Equal(t, "enterprise not found", a.Msg)

	errType, msg := serverErrorOf(t, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, map[string]any{"region_name": "r5", "key_file": nil})))
	assert.Equal(t, "TypeError", errType, "the client cache key adds the three certificate fields")
	assert.Equal(t, `can only concatenate str (not "NoneType") to str`, msg)

	srv.SetClusterReachable("https://r6.example.com:8443", false)
	a = answerOf(t, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, map[string]any{"region_name": "r6", "url": "https://r6.example.com:8443"})), 400)
	assert.Equal(t, 400, a.Code)
	assert.Equal(t, "test link region field", a.Msg)
	assert.True(t, strings.HasPrefix(a.MsgShow, `连接集群测试失败，请确认网络和集群状态(400, 10411, "MaxRetryErrorHTTPSConnectionPool(host='r6.example.com', port=8443)`),
		"the repr of the exception's args: %s", a.MsgShow)
	_, exists := srv.RegionConnection("r6")
	assert.False(t, exists)
}

func TestTheFirstRegionOfAnEnterpriseGetsADefaultTeam(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithoutSeed())
	defer srv.Close()
	eid := srv.Seed().EnterpriseID
	require.Equal(t, 201, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, nil)).StatusCode)
	require.Equal(t, 201, do(t, srv, "POST", "/openapi/v1/regions", regionBody(eid, map[string]any{"region_name": "r4"})).StatusCode)
	teams := readJSON(t, do(t, srv, "GET", "/openapi/v1/teams", "")).(map[string]any)["tenants"].([]any)
	require.Len(t, teams, 1)
	team := teams[0].(map[string]any)
	assert.Equal(t, "default", team["tenant_name"])
	assert.Equal(t, "admin 工作空间", team["tenant_alias"])
	regions := readJSON(t, do(t, srv, "GET", "/openapi/v1/teams/default/regions", "")).(map[string]any)["regions"].([]any)
	require.Len(t, regions, 1, "opened in the first region only")
	assert.Equal(t, "r3", regions[0].(map[string]any)["region_name"])
	assert.Equal(t, "https://r3.example.com:8443", regions[0].(map[string]any)["url"])
}

func TestGetRegionByNameOrIDWithExtendInfo(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	resp := do(t, srv, "GET", "/openapi/v1/regions/rainbond", "")
	require.Equal(t, 200, resp.StatusCode)
	raw := bodyOf(t, resp)
	assert.Contains(t, raw, `"used_cpu":0.0`, "FloatField: a JSON float")
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &got))
	assert.Len(t, got, 19)
	assert.Equal(t, "ok", got["health_status"])
	assert.Nil(t, got["ssl_ca_cert"])
	assert.Equal(t, "https://rainbond.region.test:8443", got["url"])

	installWordPress(t, srv, seed.TeamA, seed.AppA)
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)
	require.NoError(t, srv.SetRegionCapacity("rainbond", rainbondtest.RegionCapacity{CPU: 8000, Memory: 32768, Disk: 100, Nodes: 2}))
	got = readJSON(t, do(t, srv, "GET", "/openapi/v1/regions/"+seed.Region.RegionID+"?extend_info=true", "")).(map[string]any)
	assert.Equal(t, float64(2), got["used_cpu"], "2×500m and 1000m of the deployed install")
	assert.Equal(t, float64(8), got["total_cpu"])
	assert.Equal(t, float64(2048), got["used_memory"])
	assert.Equal(t, float64(32768), got["total_memory"])
	assert.Equal(t, float64(100), got["total_disk"])

	require.NoError(t, srv.SetClusterDown("rainbond", true))
	got = readJSON(t, do(t, srv, "GET", "/openapi/v1/regions/rainbond?extend_info=true", "")).(map[string]any)
	assert.Equal(t, "failure", got["health_status"])
	assert.Equal(t, float64(0), got["total_cpu"])

	a := answerOf(t, do(t, srv, "GET", "/openapi/v1/regions/nowhere", ""), 404)
	assert.Equal(t, "no found region", a.Msg)
	assert.Equal(t, "数据中心不存在", a.MsgShow)
}

func TestGrctlIPBlanksWhatItIsNotSent(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	a := answerOf(t, do(t, srv, "POST", "/openapi/v1/grctl/ip", `{"region_name":"rainbond","url":"https://10.9.9.9:8443","wsurl":"ignored"}`), 200)
	assert.Equal(t, "success", a.Msg)
	assert.Equal(t, "更新成功", a.MsgShow)
	conn, ok := srv.RegionConnection("rainbond")
	require.True(t, ok)
	assert.Equal(t, "https://10.9.9.9:8443", conn.URL)
	assert.Equal(t, "", conn.WsURL, "ws_url was not sent: blanked")
	assert.Equal(t, "", conn.TCPDomain)
	require.NotNil(t, conn.KeyFile)
	assert.Equal(t, "", *conn.KeyFile)
	assert.Equal(t, "1", conn.Status, "untouched")
	a = answerOf(t, do(t, srv, "GET", "/openapi/v1/regions/rainbond", ""), 400)
	assert.Contains(t, a.Err, "wsurl")

	a = answerOf(t, do(t, srv, "POST", "/openapi/v1/grctl/ip", `{"region_name":"nowhere"}`), 404)
	assert.Equal(t, "region not found", a.Msg)
	a = answerOf(t, do(t, srv, "POST", "/openapi/v1/grctl/ip", `{"region_name":"region-b","url":null}`), 500)
	assert.Equal(t, "更新失败", a.MsgShow, "url takes no null")
	errType, _ := serverErrorOf(t, do(t, srv, "POST", "/openapi/v1/grctl/ip", `[]`))
	assert.Equal(t, "AttributeError", errType)
	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.8.0"))
	defer old.Close()
	assert.Equal(t, 404, do(t, old, "POST", "/openapi/v1/grctl/ip", `{}`).StatusCode, "came with v5.9.0")
}

func TestRegionListFollowsTheRows(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	require.Equal(t, 200, do(t, srv, "POST", "/openapi/v1/grctl/ip",
		`{"region_name":"region-b","url":"https://b.example.com:8443","ws_url":"wss://b","http_domain":"b","tcp_domain":"10.2.2.2"}`).StatusCode)
	listed := readJSON(t, do(t, srv, "GET", "/openapi/v1/regions", "")).([]any)
	assert.Equal(t, "https://b.example.com:8443", listed[1].(map[string]any)["url"])
}

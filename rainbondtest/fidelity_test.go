package rainbondtest_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// TeamInfo.put writes the raw body: is_active, limit_memory and even
// tenant_id change; by tenant_name no row matches and nothing is written.
func TestTeamUpdateWritesEveryColumn(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := "/openapi/v1/teams/" + seed.TeamA.TenantID

	require.Equal(t, 200, do(t, srv, "PUT", path, `{"is_active": false, "limit_memory": 2048}`).StatusCode)
	assert.Equal(t, false, rawJSON(t, do(t, srv, "GET", path, ""))["is_active"])
	opened := readJSON(t, do(t, srv, "POST", path+"/regions", `{"region": "rainbond"}`)).(map[string]any)
	assert.Equal(t, []any{false, 2048.0}, []any{opened["is_active"], opened["limit_memory"]})

	dup := do(t, srv, "PUT", path, `{"tenant_id": "`+seed.TeamB.TenantID+`"}`)
	assert.Equal(t, 500, dup.StatusCode)
	assert.Equal(t, "(1062, \"Duplicate entry '"+seed.TeamB.TenantID+"' for key 'tenant_id'\")", rawJSON(t, dup)["msg"])
	byName := "/openapi/v1/teams/" + seed.TeamA.TenantName
	assert.Equal(t, 200, do(t, srv, "PUT", byName, `{"tenant_id": "`+seed.TeamB.TenantID+`"}`).StatusCode, "no row: no duplicate")
	assert.Equal(t, 500, do(t, srv, "PUT", byName, `{"is_active": "yes"}`).StatusCode, "the values are converted all the same")

	require.Equal(t, 200, do(t, srv, "PUT", path, `{"tenant_id": "renamed"}`).StatusCode)
	assert.Equal(t, 404, do(t, srv, "GET", path, "").StatusCode)
	assert.Equal(t, "renamed", rawJSON(t, do(t, srv, "GET", "/openapi/v1/teams/renamed", ""))["tenant_id"])
}

// change_port_alias renames the port's variables, points every *_HOST at
// the new service name, and refuses a name another component's port has:
// the console's rows roll back, the cluster's renames stay.
func TestChangingAPortAliasRenamesItsVariables(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	oldAlias := strings.ToUpper(wp.Alias) + "80"
	require.Equal(t, map[string]string{oldAlias + "_HOST": wp.Alias + "-80", oldAlias + "_PORT": "80"}, srv.Envs(wp.ServiceID))

	portPath := appPath(seed, "/services/"+wp.ServiceID+"/ports/80")
	a := answerOf(t, do(t, srv, "PUT", portPath, `{"action": "change_port_alias", "port_alias": "WEB", "k8s_service_name": "blog"}`), 200)
	assert.Equal(t, []any{"WEB", "blog"}, []any{a.Data.Bean["port_alias"], a.Data.Bean["k8s_service_name"]})
	want := map[string]string{"WEB_HOST": "blog", "WEB_PORT": "80"}
	assert.Equal(t, want, srv.Envs(wp.ServiceID))
	assert.Equal(t, want, srv.ClusterEnvs(wp.ServiceID))

	var mysql rainbondtest.Component
	for _, c := range srv.Components(seed.AppA.ID) {
		if c.Cname == "mysql" {
			mysql = c
		}
	}
	mysqlAlias := strings.ToUpper(mysql.Alias) + "3306"
	a = answerOf(t, do(t, srv, "PUT", appPath(seed, "/services/"+mysql.ServiceID+"/ports/3306"),
		`{"action": "change_port_alias", "port_alias": "DB", "k8s_service_name": "blog"}`), 409)
	assert.Equal(t, []any{20500, "k8s service name already exists", "内部域名已存在"}, []any{a.Code, a.Msg, a.MsgShow})
	assert.Contains(t, srv.Envs(mysql.ServiceID), mysqlAlias+"_HOST", "the console's rows are rolled back")
	assert.Equal(t, map[string]string{"DB_HOST": "blog", "DB_PORT": "3306"}, srv.ClusterEnvs(mysql.ServiceID), "the cluster's are not")

	a = answerOf(t, do(t, srv, "PUT", portPath, `{"action": "change_port_alias", "port_alias": "WEB", "k8s_service_name": ""}`), 400)
	assert.Equal(t, []string{"该字段不能为空。"}, a.Err["k8s_service_name"])
}

// update_httpdomain: the component (400), the rule (404), the domain,
// then ServiceDomain(**data) refuses domain_header and whether_open.
// The row keeps its service_alias; is_senior is never cleared.
func TestHTTPRuleUpdateChecksInTheConsolesOrder(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	openRule(t, srv, seed.TeamA, seed.AppA, wp.ServiceID, "blog.example.com", "/")
	rules := readJSON(t, do(t, srv, "GET", appPath(seed, "/httpdomains"), "")).([]any)
	require.Len(t, rules, 1)
	rule := rules[0].(map[string]any)
	rulePath := appPath(seed, "/httpdomains/"+rule["http_rule_id"].(string))

	resp := do(t, srv, "PUT", rulePath, `{"service_id": "nope", "domain_header": "x"}`)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "组件不存在", rawJSON(t, resp)["msg"])
	assert.Equal(t, 404, do(t, srv, "PUT", appPath(seed, "/httpdomains/nope"), `{"service_id": "`+wp.ServiceID+`", "whether_open": true}`).StatusCode)
	resp = do(t, srv, "PUT", rulePath, `{"service_id": "`+wp.ServiceID+`", "domain_header": "x", "whether_open": true}`)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "ServiceDomain() got unexpected keyword arguments: 'domain_header', 'whether_open'", rawJSON(t, resp)["msg"])
	resp = do(t, srv, "PUT", rulePath, `{"service_id": "`+wp.ServiceID+`", "domain_name": "博客.example.com", "domain_header": "x"}`)
	assert.Equal(t, "域名不能包含中文", answerOf(t, resp, 400).MsgShow)

	var mysql rainbondtest.Component
	for _, c := range srv.Components(seed.AppA.ID) {
		if c.Cname == "mysql" {
			mysql = c
		}
	}
	got := rawJSON(t, do(t, srv, "PUT", rulePath, `{"service_id": "`+mysql.ServiceID+`", "container_port": 3306, "domain_path": "  /blog  "}`))
	assert.Equal(t, []any{mysql.ServiceID, mysql.Alias, "wordpress", "/blog", true},
		[]any{got["service_id"], got["service_name"], got["service_alias"], got["domain_path"], got["is_senior"]})
	got = rawJSON(t, do(t, srv, "PUT", rulePath, `{"service_id": "`+mysql.ServiceID+`", "domain_path": "/"}`))
	assert.Equal(t, true, got["is_senior"], "never cleared")
}

// EntAppModelView checks the members' truth before it decodes apps.
func TestPublishModelChecksBeforeDecoding(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	resp := do(t, srv, "POST", "/openapi/v1/app_model", `{"app_name": "shop", "apps": "not json"}`)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "参数不完整", rawJSON(t, resp)["msg"])
	resp = do(t, srv, "POST", "/openapi/v1/app_model", `{"app_name": "shop", "apps": "[1, ", "version": "1.0"}`)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "Expecting value: line 1 column 5 (char 4)", rawJSON(t, resp)["msg"])
	assert.Equal(t, 200, do(t, srv, "POST", "/openapi/v1/app_model", `{"app_name": "shop", "apps": "[]", "version": "1.0"}`).StatusCode,
		"apps is tested before it is decoded")
}

// DRF's ParseError carries Python's json error.
func TestParseErrorsArePythons(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	for body, want := range map[string]string{
		`{"tenant_name": `:      "Expecting value: line 1 column 17 (char 16)",
		`{"tenant_name": "a",}`: "Expecting property name enclosed in double quotes: line 1 column 21 (char 20)",
		"{\n 'a': 1}":           "Expecting property name enclosed in double quotes: line 2 column 2 (char 3)",
		`{"a": NaN}`:            "Out of range float values are not JSON compliant: 'NaN'",
		" ":                     "Expecting value: line 1 column 2 (char 1)",
		"{} x":                  "Extra data: line 1 column 4 (char 3)",
		"\xff":                  "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
	} {
		resp := do(t, srv, "POST", "/openapi/v1/teams", body)
		assert.Equal(t, 400, resp.StatusCode, body)
		assert.Equal(t, "JSON parse error - "+want, rawJSON(t, resp)["detail"], body)
	}
}

// AppModelImportEvent is per user: the caller's unfinished record, by
// nick name; create_import_app_dir records get_name(), the real name.
func TestImportRecordsAreTheCallers(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	_, token, err := srv.AddUser(rainbondtest.User{NickName: "bob", RealName: "Bob B", Admin: true})
	require.NoError(t, err)
	path := teamPath(seed.TeamA, "/app-model/import")
	mine := answerOf(t, do(t, srv, "POST", path, ""), 200).Data.Bean["event_id"]
	bobs := answerOf(t, do(t, srv, "POST", path, "", "Authorization", token), 200).Data.Bean["event_id"]
	assert.NotEqual(t, mine, bobs)
	assert.Equal(t, mine, answerOf(t, do(t, srv, "POST", path, ""), 200).Data.Bean["event_id"])
	dir := answerOf(t, do(t, srv, "POST", path+"/x/dir", "", "Authorization", token), 200).Data.Bean
	assert.Equal(t, []any{"Bob B", 3.0}, []any{dir["user_name"], dir["ID"]}, "the table's own sequence")
}

// Events carry the operator, the caller's nick name; components the
// creater, the caller's id.
func TestEventsAndComponentsAreTheCallers(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	bob, token, err := srv.AddUser(rainbondtest.User{NickName: "bob", Admin: true})
	require.NoError(t, err)
	require.Equal(t, 200, do(t, srv, "POST", appPath(seed, "/install?is_deploy=true"), installBody(seed, "6.4"), "Authorization", token).StatusCode)
	wp := srv.Components(seed.AppA.ID)[0]
	comp := readJSON(t, do(t, srv, "GET", appPath(seed, "/services/"+wp.ServiceID), "")).(map[string]any)
	assert.Equal(t, float64(bob.UserID), comp["creater"])
	events := readJSON(t, do(t, srv, "GET", appPath(seed, "/services/"+wp.ServiceID+"/events"), "")).(map[string]any)["events"].([]any)
	require.NotEmpty(t, events)
	assert.Equal(t, "bob", events[0].(map[string]any)["user_name"])
}

// A column narrower than the serializer allows fails the save: a 500.
func TestAVolumeTooLongForItsColumnIsA500(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	path := appPath(seed, "/services/"+wp.ServiceID+"/volumes")
	resp := do(t, srv, "POST", path, volumeBody(strings.Repeat("v", 101), "/data", ""))
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "(1406, \"Data too long for column 'volume_name' at row 1\")", rawJSON(t, resp)["msg"])
	a := answerOf(t, do(t, srv, "POST", path, volumeBody("data", "/data", "")), 200)
	assert.Equal(t, 1.0, a.Data.Bean["ID"], "volumes are numbered by their own table")
}

// The refused variable's answer names the cluster call: the region's
// URL, the team's name, the component's alias.
func TestARefusedVariableNamesTheClusterCall(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	srv.RefuseEnv("BAD")
	resp := do(t, srv, "PUT", appPath(seed, "/services/"+wp.ServiceID+"/envs"), `{"envs": [{"name": "BAD", "value": "1"}]}`)
	assert.Equal(t, 400, resp.StatusCode)
	msg := rawJSON(t, resp)["msg"].(map[string]any)
	assert.Equal(t, "https://rainbond.region.test:8443/v2/tenants/"+seed.TeamA.TenantName+"/services/"+wp.Alias+"/env", msg["url"])
}

// request.GET takes a repeated name's last value; int() of "" fails.
func TestQueriesAreReadAsDjangoReadsThem(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	dir := teamPath(seed.TeamA, "/app-model/import/x/dir")
	assert.Equal(t, 400, do(t, srv, "DELETE", dir+"?event_id=x&event_id=", "").StatusCode)
	assert.Equal(t, 500, do(t, srv, "DELETE", dir+"?event_id=&event_id=x", "").StatusCode)
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	a := answerOf(t, do(t, srv, "DELETE", appPath(seed, "/services/"+wp.ServiceID+"?force="), ""), 400)
	assert.Equal(t, "force value error", a.Msg)
}

// DeleteApp and UserTenantDelete share their steps: the cluster's batch
// stop first.
func TestDeletingAnAppWholeNeedsItsCluster(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.NoError(t, srv.SetClusterDown("rainbond", true))
	a := answerOf(t, do(t, srv, "DELETE", teamPath(seed.TeamA, "/app/"+strconv.FormatInt(seed.AppA.ID, 10)+"/delete"), ""), 400)
	assert.Equal(t, 10411, a.Code)
	assert.Len(t, srv.Apps(), 2, "nothing deleted")
}

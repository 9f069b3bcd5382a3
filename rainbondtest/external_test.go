package rainbondtest_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func thirdBody(kind string, endpoints ...string) string {
	b, _ := json.Marshal(endpoints)
	if endpoints == nil {
		b = []byte("[]")
	}
	return fmt.Sprintf(`{"endpoints_type": %q, "endpoints": %s, "component_name": "legacy"}`, kind, b)
}

func TestThirdPartyEndpointsAreValidatedAsTheConsoleDoes(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	path := appPath(seed, "/third-components")

	for _, ok := range [][]string{
		{"10.0.0.1:8080"}, {"10.0.0.1"}, {"http://10.0.0.1:80"}, {"169.254.1.1:80"},
		{"example.com"}, {"https://example.com:8443"}, {"中文.com"}, {"my_host.local"},
		{"10.0.0.1:99999"}, {"10.0.0.1:80", "10.0.0.2:81"}, nil,
	} {
		assert.Equal(t, 200, do(t, srv, "POST", path, thirdBody("static", ok...)).StatusCode, ok)
	}
	for endpoints, want := range map[string][]any{
		`["localhost:80"]`:              {[]any{"localhost must be a valid IP address"}, "ip地址不合法"},
		`["127.0.0.1:80"]`:              {[]any{"127.0.0.1 may not be in the loopback range (127.0.0.0/8)"}, "ip地址不合法"},
		`["0.0.0.0:80"]`:                {[]any{"0.0.0.0 may not be unspecified (0.0.0.0)"}, "ip地址不合法"},
		`["1.2.3:80"]`:                  {[]any{"1.2.3 must be a valid IP address"}, "ip地址不合法"},
		`["x.co1"]`:                     {[]any{"x.co1 must be a valid IP address"}, "ip地址不合法"},
		`["example.com/path"]`:          {[]any{"example.com/path must be a valid IP address"}, "ip地址不合法"},
		`["[::1]:80"]`:                  {[]any{"[::1] must be a valid IP address"}, "ip地址不合法"},
		`["10.0.0.1", "10.0.0.1"]`:      {"Multiple instances of the same address are not allowed", "不允许多实例地址相同"},
		`["a.example.com", "b.com"]`:    {"do not support multi domain endpoint", "不允许多实例域名地址"},
		`["a.example.com", "10.0.0.1"]`: {"do not support multi domain endpoint", "不允许多实例域名、ip混合地址"},
	} {
		body := `{"endpoints_type": "api", "endpoints": ` + endpoints + `, "component_name": "x"}`
		a := answerOf(t, do(t, srv, "POST", path, body), 400)
		assert.Equal(t, []any{400, want[0], want[1]}, []any{a.Code, a.Msg, a.MsgShow}, endpoints)
	}

	a := answerOf(t, do(t, srv, "POST", path, `{"endpoints_type": "kubernetes", "endpoints": "1.2.3.4:80", "component_name": " "}`), 400)
	assert.Equal(t, map[string][]string{
		"endpoints_type": {"“kubernetes” 不是合法选项。"},
		"endpoints":      {"期望为一个包含物件的列表，得到的类型是“str”。"},
		"component_name": {"该字段不能为空。"},
	}, a.Err)
	assert.Equal(t, "argument of type 'int' is not iterable", answerOf(t, do(t, srv, "POST", path, `{"endpoints_type": "static", "endpoints": [80], "component_name": "x"}`), 500).Msg)
}

func TestAThirdPartyComponentGetsOnePortFromItsEndpoints(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	create := func(kind string, endpoints ...string) map[string]any {
		return rawJSON(t, do(t, srv, "POST", appPath(seed, "/third-components"), thirdBody(kind, endpoints...)))
	}
	ports := func(id string) []any {
		return answerOf(t, do(t, srv, "GET", appPath(seed, "/services/"+id+"/ports"), ""), 200).Data.List
	}

	row := create("static", "10.0.0.1:8080", "10.0.0.2:8080")
	assert.NotContains(t, row, "code", "a bare row, no envelope")
	assert.Equal(t, "creating", row["create_status"], "answered before the cluster call")
	assert.Equal(t, "third_party", row["service_source"])
	id := row["service_id"].(string)
	p := ports(id)
	require.Len(t, p, 1)
	assert.Equal(t, map[string]any{
		"container_port": float64(8080), "mapping_port": float64(8080), "lb_mapping_port": float64(0), "protocol": "tcp",
		"port_alias": fmt.Sprintf("%s8080", upper(row["service_alias"].(string))), "is_inner_service": false, "is_outer_service": false,
		"k8s_service_name": row["service_alias"].(string) + "-8080",
	}, p[0])
	assert.Equal(t, []string{"10.0.0.1:8080", "10.0.0.2:8080"}, srv.Endpoints(id))
	assert.Equal(t, "complete", rawJSON(t, do(t, srv, "GET", appPath(seed, "/services/"+id), ""))["create_status"])

	http80 := ports(create("static", "http://example.com")["service_id"].(string))
	require.Len(t, http80, 1)
	assert.Equal(t, []any{float64(80), "http"}, []any{http80[0].(map[string]any)["container_port"], http80[0].(map[string]any)["protocol"]})
	assert.Empty(t, ports(create("static", "10.0.0.1:80", "10.0.0.2:81")["service_id"].(string)), "different ports: none")
	assert.Empty(t, ports(create("static", "10.0.0.1:0")["service_id"].(string)))

	api := create("api", "10.0.0.9:80")
	assert.Len(t, api["api_service_key"], 8)
	assert.Equal(t, srv.URL+"/console/third_party/"+api["service_id"].(string), api["url"])
	assert.Nil(t, srv.Endpoints(api["service_id"].(string)), "api endpoints are not stored")

	before := len(srv.Components(seed.AppA.ID))
	a := answerOf(t, do(t, srv, "POST", appPath(seed, "/third-components"), thirdBody("static", "10.0.0.1:abc")), 500)
	assert.Equal(t, "invalid literal for int() with base 10: 'abc'", a.Msg)
	assert.Len(t, srv.Components(seed.AppA.ID), before)
	orphans := srv.Components(0)
	require.Len(t, orphans, 1, "the row was saved before the 500: in no app")
	assert.Equal(t, "legacy", orphans[0].Cname)
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

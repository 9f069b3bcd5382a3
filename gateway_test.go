package rainbond

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rulesPath = "/openapi/v1/teams/t1/regions/r1/apps/7/httpdomains"

// ruleFields are ServiceDomain's columns as the console answers them;
// rewrites is filled in by each answer.
func ruleAnswer(extra, rewrites string) string {
	return `{` + extra + `"http_rule_id":"r1","region_id":"rg","tenant_id":"t1","service_id":"s1","service_name":"gr1a2b3c",
	 "domain_name":"shop.example.com","container_port":80,"protocol":"http","certificate_id":0,"domain_type":"www",
	 "service_alias":"web","is_senior":false,"domain_path":"/","domain_cookie":"","domain_heander":"","type":1,"the_weight":100,
	 "is_outer_service":true,"auto_ssl":false,"auto_ssl_config":null,"path_rewrite":false,"rewrites":` + rewrites + `}`
}

func TestHTTPRulesReadRewritesAsArrayOrString(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"POST " + rulesPath:        {{status: 201, body: ruleAnswer("", `[]`)}},
		"GET " + rulesPath:         {{status: 200, body: `[` + ruleAnswer(`"ID":4,"rule_extensions":[],`, `"[]"`) + `]`}},
		"GET " + rulesPath + "/r1": {{status: 200, body: ruleAnswer(`"ID":4,"rule_extensions":[],`, `"[{\"regex\":\"^/a\",\"replacement\":\"/b\"}]"`)}},
	})
	ctx := context.Background()
	created, _, err := c.Gateway.CreateHTTPRule(ctx, "t1", "r1", 7, &HTTPRuleCreate{ServiceID: "s1", ContainerPort: 80, DomainName: "shop.example.com", OpenPort: true})
	require.NoError(t, err)
	assert.Equal(t, JSONText("[]"), created.Rewrites)
	assert.Zero(t, created.ID, "the creation's answer has no ID")
	assert.Equal(t, "http://shop.example.com/", created.URL())

	list, _, err := c.Gateway.ListHTTPRules(ctx, "t1", "r1", 7)
	require.NoError(t, err)
	assert.Equal(t, JSONText("[]"), list[0].Rewrites, "the string \"[]\" is read as the array")
	assert.Equal(t, int64(4), list[0].ID)

	one, _, err := c.Gateway.GetHTTPRule(ctx, "t1", "r1", 7, "r1")
	require.NoError(t, err)
	assert.JSONEq(t, `[{"regex":"^/a","replacement":"/b"}]`, one.Rewrites.String())
}

func TestCreateHTTPRuleSendsTheConsolesBody(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + rulesPath: {
		{status: 201, body: ruleAnswer("", `[]`)},
		{status: 400, body: `{"msg":"没有开启对外端口"}`},
	}})
	ctx := context.Background()
	_, _, err := c.Gateway.CreateHTTPRule(ctx, "t1", "r1", 7, &HTTPRuleCreate{ServiceID: "s1", ContainerPort: 80, DomainName: "shop.example.com", OpenPort: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"service_id":"s1","container_port":80,"domain_name":"shop.example.com","whether_open":true}`, string(rt.last(t).Body))

	_, _, err = c.Gateway.CreateHTTPRule(ctx, "t1", "r1", 7, &HTTPRuleCreate{ServiceID: "s1", ContainerPort: 80, DomainName: "shop.example.com"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "a bare {\"msg\"} refusal")
	assert.Equal(t, "没有开启对外端口", apiErr.Msg)
	assert.Zero(t, apiErr.Code)

	for name, rule := range map[string]*HTTPRuleCreate{
		"scheme": {ServiceID: "s1", ContainerPort: 80, DomainName: "https://shop.example.com"},
		"path":   {ServiceID: "s1", ContainerPort: 80, DomainName: "shop.example.com/a"},
		"space":  {ServiceID: "s1", ContainerPort: 80, DomainName: "shop example.com"},
		"cjk":    {ServiceID: "s1", ContainerPort: 80, DomainName: "商店.example.com"},
	} {
		_, _, err := c.Gateway.CreateHTTPRule(ctx, "t1", "r1", 7, rule)
		assertRefused(t, err, "domain_name", name)
	}
	assert.Len(t, rt.sentTo(), 2)
}

func TestGetHTTPRuleMapsTheBlankAnswerToNotFound(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + rulesPath + "/gone": {{status: 200,
		body: `{"http_rule_id":"","region_id":"","tenant_id":"","service_id":"","service_name":"","domain_name":"","container_port":null,
		 "protocol":"","certificate_id":null,"domain_type":"","service_alias":"","is_senior":false,"domain_path":"","domain_cookie":"",
		 "domain_heander":"","type":null,"the_weight":null,"is_outer_service":false,"auto_ssl":false,"auto_ssl_config":"",
		 "path_rewrite":false,"rewrites":""}`}}})
	_, _, err := c.Gateway.GetHTTPRule(context.Background(), "t1", "r1", 7, "gone")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorIs(t, err, ErrRuleNotFound)
}

func TestUpdateHTTPRuleMakesTheCallerSayWhatHappensToTheCertificate(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"PUT " + rulesPath + "/r1": {{status: 200, body: ruleAnswer("", `"[]"`)}}})
	ctx := context.Background()
	_, _, err := c.Gateway.UpdateHTTPRule(ctx, "t1", "r1", 7, "r1", &HTTPRuleUpdate{ServiceID: "s1", DomainPath: Ptr("/shop")})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("certificate_id"))
	assert.True(t, ve.Has("auto_ssl_config"))
	assert.Empty(t, rt.sentTo())

	_, _, err = c.Gateway.UpdateHTTPRule(ctx, "t1", "r1", 7, "r1", &HTTPRuleUpdate{
		ServiceID: "s1", DomainPath: Ptr("/shop"), CertificateID: Ptr(3), AutoSSLConfig: Ptr(""),
	})
	require.NoError(t, err)
	assert.JSONEq(t, `{"service_id":"s1","domain_path":"/shop","certificate_id":3}`, string(rt.last(t).Body),
		"no auto-SSL is the member left out: the serializer refuses null and \"\"")

	_, _, err = c.Gateway.UpdateHTTPRule(ctx, "t1", "r1", 7, "r1", &HTTPRuleUpdate{
		ServiceID: "s1", DomainCookie: Ptr(""), CertificateID: Ptr(3), AutoSSLConfig: Ptr(""),
	})
	assertRefused(t, err, "domain_cookie", "the serializer refuses a blank cookie: it cannot be removed")
}

func TestDeleteHTTPRuleOfAnUnknownRuleIsNotFound(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"DELETE " + rulesPath + "/nope": {{status: 404, body: `{"code":1404,"msg":"domain not found","msg_show":"域名不存在"}`}}})
	_, _, err := c.Gateway.DeleteHTTPRule(context.Background(), "t1", "r1", 7, "nope")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestTCPRules(t *testing.T) {
	t.Parallel()
	const domains = "/openapi/v1/teams/t1/regions/r1/apps/7/domains"
	tcp := `{"ID":2,"tcp_rule_id":"tr","region_id":"rg","tenant_id":"t1","service_id":"s1","service_name":"gr1a2b3c",
	 "end_point":"10.0.0.1:30001","protocol":"tcp","container_port":6379,"service_alias":"redis","type":1,"rule_extensions":null,"is_outer_service":true}`
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET " + domains:  {{status: 200, body: `{"tcp":[` + tcp + `]}`}},
		"POST " + domains: {{status: 200, body: `{"http":[],"tcp":[` + tcp + `]}`}},
	})
	ctx := context.Background()
	list, _, err := c.Gateway.ListTCPRules(ctx, "t1", "r1", 7)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Nil(t, list[0].RuleExtensions)
	assert.Equal(t, "query=tcp", rt.last(t).RawQuery)

	rules, _, err := c.Gateway.CreateTCPRule(ctx, "t1", "r1", 7, &TCPRuleCreate{ServiceID: "s1", ContainerPort: 6379, EndPoint: "10.0.0.1:30001", DefaultIP: "10.0.0.1", DefaultPort: 30001})
	require.NoError(t, err)
	assert.Len(t, rules.TCP, 1)
	assert.JSONEq(t, `{"protocol":"tcp","tcp":{"service_id":"s1","container_port":6379,"end_point":"10.0.0.1:30001","default_ip":"10.0.0.1","default_port":30001}}`, string(rt.last(t).Body))

	_, _, err = c.Gateway.CreateTCPRule(ctx, "t1", "r1", 7, &TCPRuleCreate{ServiceID: "s1", ContainerPort: 6379})
	assertRefused(t, err, "end_point", "no end point")
}

func TestGatewayRefusalsWithoutACodeHaveSentinels(t *testing.T) {
	t.Parallel()
	create := &HTTPRuleCreate{ServiceID: "s1", ContainerPort: 80, DomainName: "shop.example.com"}
	for name, tc := range map[string]struct {
		answer canned
		is     error
	}{
		"rule exists":       {canned{status: 400, body: `{"msg":"策略已存在"}`}, ErrRuleExists},
		"port not open":     {canned{status: 400, body: `{"msg":"没有开启对外端口"}`}, ErrPortNotOpen},
		"unknown component": {canned{status: 400, body: `{"msg":"组件不存在"}`}, ErrRuleComponentNotFound},
		"domain of another team": {canned{status: 400, body: `{"code":400,"msg":"domain be used other team","msg_show":"域名已经被其他团队使用","data":{"bean":{},"list":[]}}`},
			ErrDomainTaken},
		"opening the port failed": {canned{status: 400, body: `{"msg":"change port fail"}`}, ErrPortChangeFailed},
	} {
		c, mt := newMockClient(t)
		newRouter(mt, map[string][]canned{"POST " + rulesPath: {tc.answer}})
		_, _, err := c.Gateway.CreateHTTPRule(context.Background(), "t1", "r1", 7, create)
		assert.ErrorIs(t, err, tc.is, name)
		assert.ErrorIs(t, err, ErrBadRequest, name)
		var apiErr *APIError
		assert.ErrorAs(t, err, &apiErr, name)
	}

	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST /openapi/v1/teams/t1/regions/r1/apps/7/domains": {{status: 400,
		body: `{"code":400,"msg":"exist","msg_show":"策略已存在","data":{"bean":{},"list":[]}}`}}})
	_, _, err := c.Gateway.CreateTCPRule(context.Background(), "t1", "r1", 7, &TCPRuleCreate{ServiceID: "s1", ContainerPort: 6379,
		EndPoint: "0.0.0.0:30001", DefaultIP: "0.0.0.0", DefaultPort: 30001})
	assert.ErrorIs(t, err, ErrRuleExists, "a taken end point")
}

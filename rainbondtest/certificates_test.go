package rainbondtest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The certificate routes, the enterprise's HTTP rules and apps_port, on
// the wire.

// certSpec describes a test certificate.
type certSpec struct {
	cn       string
	dns      []string
	ips      []net.IP
	notAfter time.Time // zero: a year from now
	issuer   string    // the CN of the signing CA; "" signs it with its own key
}

// newCert makes an ECDSA certificate and its PKCS #8 key, both PEM with
// the final newline.
func newCert(t *testing.T, spec certSpec) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	if spec.notAfter.IsZero() {
		spec.notAfter = time.Now().AddDate(1, 0, 0)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: spec.cn}, DNSNames: spec.dns, IPAddresses: spec.ips,
		NotBefore: spec.notAfter.AddDate(-2, 0, 0), NotAfter: spec.notAfter,
	}
	parent, signer := tmpl, key
	if spec.issuer != "" {
		parent = &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: spec.issuer}}
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

func certBody(alias, certPEM, keyPEM, certType string) string {
	b, _ := json.Marshal(map[string]string{"alias": alias, "certificate": certPEM, "private_key": keyPEM, "certificate_type": certType})
	return string(b)
}

func certsPath(team string) string { return "/openapi/v1/teams/" + team + "/certificates" }

func certPath(team string, id any) string { return fmt.Sprintf("%s/%v", certsPath(team), id) }

// createCert creates a certificate through the API and returns its id.
func createCert(t *testing.T, srv *rainbondtest.Server, team, alias string) int {
	t.Helper()
	certPEM, keyPEM := newCert(t, certSpec{cn: alias + ".example.com"})
	resp := do(t, srv, "POST", certsPath(team), certBody(alias, certPEM, keyPEM, "服务端证书"))
	require.Equal(t, 200, resp.StatusCode)
	return int(readJSON(t, resp).(map[string]any)["id"].(float64))
}

// refusal reads a ServiceHandleException's code, msg and msg_show.
func refusal(t *testing.T, resp *http.Response) (code any, msg any, msgShow any) {
	t.Helper()
	body := readJSON(t, resp).(map[string]any)
	return body["code"], body["msg"], body["msg_show"]
}

func TestCertificateCreateAnswersBase64AndGetAnswersThePEM(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	certPEM, keyPEM := newCert(t, certSpec{cn: "www.example.com"})
	require.True(t, strings.HasSuffix(certPEM, "\n"))

	resp := do(t, srv, "POST", certsPath(seed.TeamA.TenantID), certBody(" web ", certPEM, keyPEM, "服务端证书"))
	require.Equal(t, 200, resp.StatusCode)
	created := readJSON(t, resp).(map[string]any)
	assert.Len(t, created, 5)
	assert.Equal(t, "web", created["alias"], "CharField trims")
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte(strings.TrimSpace(certPEM))), created["certificate"],
		"the answer carries the stored base64 of the trimmed PEM")
	assert.Equal(t, strings.TrimSpace(keyPEM), created["private_key"])
	assert.Equal(t, "服务端证书", created["certificate_type"])
	id := created["id"]

	stored := srv.Certificates()
	require.Len(t, stored, 1)
	assert.Equal(t, seed.TeamA.TenantID, stored[0].TeamID)
	assert.Equal(t, strings.TrimSpace(certPEM), stored[0].PEM)

	// Another team's path reads it: the id is looked up in every team.
	resp = do(t, srv, "GET", certPath(seed.TeamB.TenantName, id), "")
	require.Equal(t, 200, resp.StatusCode)
	got := readJSON(t, resp).(map[string]any)
	assert.Equal(t, strings.TrimSpace(certPEM), got["certificate"], "GET decodes the PEM")
	assert.Equal(t, strings.TrimSpace(keyPEM), got["private_key"])
	assert.Equal(t, "web", got["alias"])

	resp = do(t, srv, "GET", certPath(seed.TeamA.TenantID, 999), "")
	assert.Equal(t, 404, resp.StatusCode)
	body := readJSON(t, resp).(map[string]any)
	assert.Contains(t, body, "msg")
	assert.Nil(t, body["msg"], "the view raises with msg=None")
	assert.Equal(t, "证书不存在", body["msg_show"])
	assert.Equal(t, float64(404), body["code"])
	assert.Equal(t, 500, do(t, srv, "GET", certPath(seed.TeamA.TenantID, "1-2"), "").StatusCode, "the route admits it, int() does not")
	assert.Equal(t, 404, do(t, srv, "GET", certPath("no-such-team", id), "").StatusCode)
}

func TestCertificateCreateRefusals(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	team := srv.Seed().TeamA.TenantID
	createCert(t, srv, team, "taken")
	good, goodKey := newCert(t, certSpec{cn: "good.example.com"})
	_, otherKey := newCert(t, certSpec{cn: "other.example.com"})
	expired, expiredKey := newCert(t, certSpec{cn: "old.example.com", notAfter: time.Now().Add(-time.Hour)})

	for name, tc := range map[string]struct {
		body         string
		status       int
		code         float64
		msg, msgShow string
	}{
		"alias taken in the team": {certBody("taken", good, goodKey, "x"), 412, 412, "certificate name already exists", "证书别名已存在"},
		"bad certificate":         {certBody("a", "not a pem", goodKey, "x"), 400, 400, "the certificate is invalid", "无效证书"},
		"expired certificate":     {certBody("b", expired, expiredKey, "x"), 400, 400, "the certificate has been expired", "证书已过期"},
		"bad private key":         {certBody("c", good, "not a key", "x"), 400, 400, "the private key is invalid", "无效私钥"},
		"key of another cert":     {certBody("d", good, otherKey, "x"), 400, 400, "the certificate key pair mismatch", "证书密钥对不匹配"},
	} {
		resp := do(t, srv, "POST", certsPath(team), tc.body)
		assert.Equal(t, tc.status, resp.StatusCode, name)
		code, msg, msgShow := refusal(t, resp)
		assert.Equal(t, []any{tc.code, tc.msg, tc.msgShow}, []any{code, msg, msgShow}, name)
	}

	resp := do(t, srv, "POST", certsPath(team), certBody("gw", good, goodKey, "gateway"))
	assert.Equal(t, 500, resp.StatusCode, "the view passes region None to the gateway call")
	_, msg, _ := refusal(t, resp)
	assert.Equal(t, "'NoneType' object has no attribute 'region_name'", msg)

	resp = do(t, srv, "POST", certsPath(team), `{"alias":"e","certificate":"x","private_key":"y"}`)
	assert.Equal(t, 500, resp.StatusCode, "the serializer's errors are not raised: the service misses an argument")
	_, msg, _ = refusal(t, resp)
	assert.Equal(t, "DomainService.add_certificate() missing 1 required positional argument: 'certificate_type'", msg)

	assert.Len(t, srv.Certificates(), 1, "no refusal stored anything")

	// Only the first certificate of a chain is checked.
	resp = do(t, srv, "POST", certsPath(team), certBody("chain", good+expired, goodKey, "x"))
	assert.Equal(t, 200, resp.StatusCode)
	// The alias is unique in a team only.
	resp = do(t, srv, "POST", certsPath(srv.Seed().TeamB.TenantID), certBody("taken", good, goodKey, "x"))
	assert.Equal(t, 200, resp.StatusCode)
}

func TestCertificateBadValuesAreStoredBeforeThe400(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	team := srv.Seed().TeamA.TenantID
	certPEM, keyPEM := newCert(t, certSpec{cn: "www.example.com"})

	resp := do(t, srv, "POST", certsPath(team), certBody("", certPEM, keyPEM, "x"))
	assert.Equal(t, 400, resp.StatusCode, "the answer's validation refuses the empty alias")
	body := readJSON(t, resp).(map[string]any)
	assert.Equal(t, map[string]any{"alias": []any{"该字段不能为空。"}}, body["err"])
	assert.Equal(t, float64(20400), body["code"])

	stored := srv.Certificates()
	require.Len(t, stored, 1, "the certificate was created all the same")
	assert.Equal(t, certPEM, stored[0].PEM, "an invalid body is passed on raw: the PEM keeps its newline")

	resp = do(t, srv, "GET", certsPath(team), "")
	assert.Equal(t, 400, resp.StatusCode, "and the list validates what it holds")
	assert.Equal(t, map[string]any{"list": []any{map[string]any{"alias": []any{"该字段不能为空。"}}}}, readJSON(t, resp).(map[string]any)["err"])
}

func TestCertificateListIsComputedFromThePEM(t *testing.T) {
	t.Parallel()
	clock := rainbondtest.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := rainbondtest.NewServer(rainbondtest.WithClock(clock))
	defer srv.Close()
	team := srv.Seed().TeamA.TenantID
	notAfter := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	for alias, spec := range map[string]certSpec{
		"1-sans":   {cn: "a.example.com", dns: []string{"x.example.com", "y.example.com"}, ips: []net.IP{net.ParseIP("10.0.0.1"), net.ParseIP("127.0.0.1")}},
		"2-one":    {cn: "x.example.com", dns: []string{"single.example.com"}},
		"3-no-cn":  {dns: []string{"y.example.com"}, ips: []net.IP{net.ParseIP("10.0.0.1")}},
		"4-issued": {cn: "le.example.com", issuer: "rainbond"},
	} {
		spec.notAfter = notAfter
		certPEM, keyPEM := newCert(t, spec)
		_, err := srv.AddCertificate(rainbondtest.Certificate{TeamID: team, Alias: alias, Type: "服务端证书", PEM: certPEM, PrivateKey: keyPEM})
		require.NoError(t, err)
	}
	// They were added in map order: index the list by alias.
	byAlias := func(list []any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, item := range list {
			out[item.(map[string]any)["alias"].(string)] = item.(map[string]any)
		}
		return out
	}

	resp := do(t, srv, "GET", certsPath(team), "")
	require.Equal(t, 200, resp.StatusCode)
	body := readJSON(t, resp).(map[string]any)
	assert.Equal(t, []any{float64(1), float64(10), float64(4)}, []any{body["page"], body["page_size"], body["total"]})
	items := byAlias(body["list"].([]any))
	require.Len(t, items, 4)
	for _, item := range items {
		assert.Len(t, item, 7, "no certificate and no private key in the list")
		assert.Equal(t, "2030-06-01 20:00:00", item["end_data"], "notAfter in the console's local time, Asia/Shanghai")
		assert.Equal(t, false, item["has_expired"])
	}
	assert.Equal(t, []any{"x.example.com", "y.example.com", "10.0.0.1", "a.example.com"}, items["1-sans"]["issued_to"], "127.0.0.1 is dropped")
	assert.Equal(t, []any{"x.example.com"}, items["2-one"]["issued_to"], "a lone SAN is lost")
	assert.Equal(t, []any{"y.example.com", "10.0.0.1", nil}, items["3-no-cn"]["issued_to"])
	assert.Equal(t, "Let's Encrypt签发", items["4-issued"]["issued_by"])
	assert.Equal(t, "第三方签发", items["1-sans"]["issued_by"])

	page := readJSON(t, do(t, srv, "GET", certsPath(team)+"?page=2&page_size=3", "")).(map[string]any)
	assert.Len(t, page["list"], 1)
	assert.Equal(t, float64(4), page["total"])
	assert.Empty(t, readJSON(t, do(t, srv, "GET", certsPath(team)+"?page_size=0", "")).(map[string]any)["list"])
	assert.Equal(t, 500, do(t, srv, "GET", certsPath(team)+"?page=x", "").StatusCode, "int() of the page")
	assert.Equal(t, 500, do(t, srv, "GET", certsPath(team)+"?page=0", "").StatusCode, "a negative slice")
	assert.Empty(t, readJSON(t, do(t, srv, "GET", certsPath(srv.Seed().TeamB.TenantID), "")).(map[string]any)["list"])

	clock.Advance(365 * 24 * time.Hour)
	for _, item := range byAlias(readJSON(t, do(t, srv, "GET", certsPath(team), "")).(map[string]any)["list"].([]any)) {
		assert.Equal(t, true, item["has_expired"], "computed at read time")
	}
}

func TestCertificateUpdateIsAFullReplace(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	team := srv.Seed().TeamA.TenantID
	one := createCert(t, srv, team, "one")
	createCert(t, srv, team, "two")
	certPEM, keyPEM := newCert(t, certSpec{cn: "new.example.com"})

	resp := do(t, srv, "PUT", certPath(team, one), certBody("one-b", certPEM, keyPEM, "x"))
	require.Equal(t, 200, resp.StatusCode)
	got := readJSON(t, resp).(map[string]any)
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte(strings.TrimSpace(certPEM))), got["certificate"], "base64, as POST")
	assert.Equal(t, "one-b", srv.Certificates()[0].Alias)
	assert.Equal(t, "x", srv.Certificates()[0].Type)

	resp = do(t, srv, "PUT", certPath(team, one), `{"alias":"one-b","certificate":"x","certificate_type":"x"}`)
	assert.Equal(t, 500, resp.StatusCode, "every field is a required argument")

	resp = do(t, srv, "PUT", certPath(team, 999), certBody("z", "bad", keyPEM, "x"))
	assert.Equal(t, 400, resp.StatusCode, "the PEM is checked before the id")
	resp = do(t, srv, "PUT", certPath(team, 999), certBody("z", certPEM, keyPEM, "x"))
	assert.Equal(t, 404, resp.StatusCode)
	code, msg, msgShow := refusal(t, resp)
	assert.Equal(t, []any{float64(404), "certificate not found", "证书不存在"}, []any{code, msg, msgShow})

	resp = do(t, srv, "PUT", certPath(team, one), certBody("two", certPEM, keyPEM, "x"))
	assert.Equal(t, 412, resp.StatusCode, "the new alias is taken in the team")

	for _, certType := range []string{"gateway", "服务端证书"} {
		resp = do(t, srv, "PUT", certPath(team, one), certBody("one-c", certPEM, keyPEM, certType))
		assert.Equal(t, 500, resp.StatusCode, certType)
		_, msg, _ = refusal(t, resp)
		assert.Equal(t, "'NoneType' object has no attribute 'region_name'", msg, certType)
	}
	assert.Equal(t, "one-b", srv.Certificates()[0].Alias, "nothing was saved")
}

func TestCertificateDelete(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	team := seed.TeamA.TenantID
	used := createCert(t, srv, team, "used")
	unused := createCert(t, srv, team, "unused")
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed), installBody(seed, "6.4")).StatusCode)
	web := srv.Components(seed.AppA.ID)[0]

	resp := do(t, srv, "POST", appPath(seed, "/httpdomains"),
		fmt.Sprintf(`{"service_id":%q,"container_port":80,"domain_name":"a.example.com","certificate_id":%d,"whether_open":true}`, web.ServiceID, used))
	require.Equal(t, 201, resp.StatusCode)
	rule := readJSON(t, resp).(map[string]any)
	assert.Equal(t, "https", rule["protocol"])
	assert.Equal(t, float64(used), rule["certificate_id"])

	resp = do(t, srv, "POST", appPath(seed, "/httpdomains"),
		fmt.Sprintf(`{"service_id":%q,"container_port":80,"domain_name":"b.example.com","certificate_id":999}`, web.ServiceID))
	require.Equal(t, 201, resp.StatusCode)
	rule = readJSON(t, resp).(map[string]any)
	assert.Equal(t, "https", rule["protocol"], "an unknown certificate is accepted silently")
	assert.Equal(t, float64(0), rule["certificate_id"], "and stored as 0")

	resp = do(t, srv, "DELETE", certPath(team, used), "")
	assert.Equal(t, 400, resp.StatusCode)
	code, msg, msgShow := refusal(t, resp)
	assert.Equal(t, []any{float64(400), "the certificate still has http rules", "仍有网关策略在使用该证书"}, []any{code, msg, msgShow})

	gateway, err := srv.AddCertificate(rainbondtest.Certificate{TeamID: team, Alias: "gw", Type: "gateway"})
	require.NoError(t, err)
	assert.Equal(t, 500, do(t, srv, "DELETE", certPath(team, gateway.ID), "").StatusCode)
	assert.Len(t, srv.Certificates(), 3, "the gateway certificate is still there")

	resp = do(t, srv, "DELETE", certPath(team, 999), "")
	assert.Equal(t, 404, resp.StatusCode)
	code, msg, _ = refusal(t, resp)
	assert.Equal(t, []any{float64(404), "certificate not found"}, []any{code, msg})

	// Another team's path deletes it: the id is global.
	resp = do(t, srv, "DELETE", certPath(seed.TeamB.TenantID, unused), "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Type"))
	b, _ := io.ReadAll(resp.Body)
	assert.Empty(t, b)
	assert.Equal(t, 404, do(t, srv, "GET", certPath(team, unused), "").StatusCode)
}

func TestCertificateRoutesFollowTheConsolesReleases(t *testing.T) {
	t.Parallel()
	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.1.9"))
	defer old.Close()
	assert.Equal(t, 404, do(t, old, "GET", certsPath(old.Seed().TeamA.TenantID), "").StatusCode, "added in v5.2.0")

	broken := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.14.0"))
	defer broken.Close()
	certPEM, keyPEM := newCert(t, certSpec{cn: "www.example.com"})
	resp := do(t, broken, "POST", certsPath(broken.Seed().TeamA.TenantID), certBody("a", certPEM, keyPEM, "x"))
	assert.Equal(t, 500, resp.StatusCode, "v5.13.0 to v5.14.0 read self.region, which these views lack")
	_, msg, _ := refusal(t, resp)
	assert.Equal(t, "'TeamCertificatesLCView' object has no attribute 'region'", msg)
}

// addHTTPRule adds a rule on port 80 of a component and checks it is made.
func addHTTPRule(t *testing.T, srv *rainbondtest.Server, appPrefix, serviceID, domain string, autoSSL bool) {
	t.Helper()
	resp := do(t, srv, "POST", appPrefix+"/httpdomains",
		fmt.Sprintf(`{"service_id":%q,"container_port":80,"domain_name":%q,"whether_open":true,"auto_ssl":%t}`, serviceID, domain, autoSSL))
	require.Equal(t, 201, resp.StatusCode)
}

func TestEnterpriseHTTPDomainsListsEveryTeamsRules(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	appB := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d", seed.TeamB.TenantID, seed.AppB.ID)
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed), installBody(seed, "6.4")).StatusCode)
	require.Equal(t, 200, do(t, srv, "POST", appB+"/install", installBody(seed, "6.4")).StatusCode)
	addHTTPRule(t, srv, appPath(seed, ""), srv.Components(seed.AppA.ID)[0].ServiceID, "a.example.com", true)
	addHTTPRule(t, srv, appPath(seed, ""), srv.Components(seed.AppA.ID)[0].ServiceID, "b.example.com", false)
	addHTTPRule(t, srv, appB, srv.Components(seed.AppB.ID)[0].ServiceID, "c.example.com", false)

	resp := do(t, srv, "GET", "/openapi/v1/httpdomains", "")
	require.Equal(t, 200, resp.StatusCode)
	all := readJSON(t, resp).([]any)
	require.Len(t, all, 3)
	first := all[0].(map[string]any)
	assert.Equal(t, "a.example.com", first["domain_name"])
	assert.Equal(t, seed.TeamA.TenantName, first["team_name"])
	assert.Equal(t, "rainbond", first["region_name"])
	assert.Equal(t, float64(seed.AppA.ID), first["app_id"])
	assert.Equal(t, "", first["rule_extensions"], "the stored text, not a list")
	assert.Contains(t, first, "ID")
	assert.NotContains(t, first, "create_time")
	assert.Equal(t, seed.TeamB.TenantName, all[2].(map[string]any)["team_name"])

	domains := func(path string) []string {
		var out []string
		for _, r := range readJSON(t, do(t, srv, "GET", path, "")).([]any) {
			out = append(out, r.(map[string]any)["domain_name"].(string))
		}
		return out
	}
	assert.Equal(t, []string{"a.example.com"}, domains("/openapi/v1/httpdomains?auto_ssl=TRUE"))
	assert.Equal(t, []string{"b.example.com", "c.example.com"}, domains("/openapi/v1/httpdomains?auto_ssl=yes"), "anything but true is false")
	assert.Len(t, domains("/openapi/v1/httpdomains/anything"), 3, "the route has no $")
	assert.Len(t, domains("/openapi/v1/httpdomainsXYZ"), 3)
}

func TestAppsPortListsTheTeamsInnerPortsOfEveryRegion(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed), installBody(seed, "6.4")).StatusCode)
	other, err := srv.AddApp(rainbondtest.App{TenantID: seed.TeamA.TenantID, RegionName: "region-b", Name: "cache"})
	require.NoError(t, err)
	redis := fmt.Sprintf(`{"market_url":%q,"market_domain":%q,"market_type":"rainstore","market_access_key":null,"app_model_id":%q,"app_model_version":"7.2"}`,
		seed.Store.URL, seed.Store.Domain, seed.Redis.ID)
	resp := do(t, srv, "POST", fmt.Sprintf("/openapi/v1/teams/%s/regions/region-b/apps/%d/install", seed.TeamA.TenantID, other.ID), redis)
	require.Equal(t, 200, resp.StatusCode)
	appB := fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps/%d", seed.TeamB.TenantID, seed.AppB.ID)
	require.Equal(t, 200, do(t, srv, "POST", appB+"/install", redis).StatusCode, "another team's port")

	resp = do(t, srv, "GET", fmt.Sprintf("/openapi/v1/teams/%s/regions/rainbond/apps_port", seed.TeamA.TenantName), "")
	require.Equal(t, 200, resp.StatusCode)
	body := readJSON(t, resp).(map[string]any)
	assert.Equal(t, "查询成功", body["msg_show"])
	bean := body["data"].(map[string]any)["bean"].(map[string]any)
	assert.Equal(t, seed.TeamA.TenantID, bean["namespace"], "the namespace of a team made without one is its tenant_id")
	wordpress := srv.Components(seed.AppA.ID)[0]
	cache := srv.Components(other.ID)[0]
	assert.Equal(t, []any{
		map[string]any{"port": float64(80), "service_name": wordpress.Alias + "-80", "namespace": seed.TeamA.TenantID, "component_name": "wordpress"},
		map[string]any{"port": float64(3306), "service_name": srv.Components(seed.AppA.ID)[1].Alias + "-3306", "namespace": seed.TeamA.TenantID, "component_name": "mysql"},
		map[string]any{"port": float64(6379), "service_name": cache.Alias + "-6379", "namespace": seed.TeamA.TenantID, "component_name": nil},
	}, bean["ports"], "every region's ports; a name only for the path's region")
}

func TestDomainsRuleRoutesActOnHTTPRulesOnly(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", installPath(seed), installBody(seed, "6.4")).StatusCode)
	mysql := srv.Components(seed.AppA.ID)[1]

	resp := do(t, srv, "POST", appPath(seed, "/domains"), fmt.Sprintf(
		`{"protocol":"tcp","tcp":{"container_port":3306,"service_id":%q,"end_point":"0.0.0.0:30001","default_port":30001,"default_ip":"0.0.0.0"}}`, mysql.ServiceID))
	require.Equal(t, 200, resp.StatusCode)
	rules := readJSON(t, do(t, srv, "GET", appPath(seed, "/domains"), "")).(map[string]any)
	assert.Equal(t, []any{}, rules["http"])
	require.Len(t, rules["tcp"], 1)
	tcp := rules["tcp"].([]any)[0].(map[string]any)
	assert.Equal(t, "10.0.0.1:30001", tcp["end_point"], "0.0.0.0 is answered as the region's tcpdomain")
	id := tcp["tcp_rule_id"].(string)

	resp = do(t, srv, "PUT", appPath(seed, "/domains/"+id), fmt.Sprintf(`{"service_id":%q}`, mysql.ServiceID))
	assert.Equal(t, 404, resp.StatusCode)
	code, msg, msgShow := refusal(t, resp)
	assert.Equal(t, []any{float64(404), "no found", "no found"}, []any{code, msg, msgShow}, "looked up among HTTP rules")
	resp = do(t, srv, "DELETE", appPath(seed, "/domains/"+id), "")
	assert.Equal(t, 404, resp.StatusCode)
	code, msg, msgShow = refusal(t, resp)
	assert.Equal(t, []any{float64(1404), "domain not found", "域名不存在"}, []any{code, msg, msgShow})
}

package rainbond

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// selfSigned makes a PEM certificate for cn and names, valid from
// notBefore to notAfter, and its PEM key (cn alone when names is nil).
func selfSigned(t *testing.T, cn string, names []string, notBefore, notAfter time.Time) (string, string) {
	t.Helper()
	cert, key, err := rainbondtest.SelfSignedCertificate(append([]string{cn}, names...), notBefore, notAfter)
	require.NoError(t, err)
	return cert, key
}

func validPair(t *testing.T, names ...string) (string, string) {
	return selfSigned(t, names[0], names[1:], time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
}

const certsPath = "/openapi/v1/teams/t1/certificates"

func TestCertificateCreateChecksThePairBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	good, key := validPair(t, "shop.example.com")
	_, otherKey := validPair(t, "other.example.com")
	expired, expiredKey := selfSigned(t, "old.example.com", nil, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	future, futureKey := selfSigned(t, "new.example.com", nil, time.Now().Add(24*time.Hour), time.Now().Add(48*time.Hour))
	for name, tc := range map[string]struct {
		cert  *CertificateCreate
		field string
		why   string
	}{
		"not PEM":       {&CertificateCreate{Alias: "a", Certificate: "hello", PrivateKey: NewSecret(key)}, "certificate", "not a PEM certificate"},
		"key mismatch":  {&CertificateCreate{Alias: "a", Certificate: good, PrivateKey: NewSecret(otherKey)}, "certificate", "does not match"},
		"key not PEM":   {&CertificateCreate{Alias: "a", Certificate: good, PrivateKey: NewSecret("nope")}, "certificate", "not PEM"},
		"expired":       {&CertificateCreate{Alias: "a", Certificate: expired, PrivateKey: NewSecret(expiredKey)}, "certificate", "expired"},
		"not yet valid": {&CertificateCreate{Alias: "a", Certificate: future, PrivateKey: NewSecret(futureKey)}, "certificate", "not valid before"},
		"no alias":      {&CertificateCreate{Certificate: good, PrivateKey: NewSecret(key)}, "alias", "required"},
		"long alias":    {&CertificateCreate{Alias: strings.Repeat("a", 65), Certificate: good, PrivateKey: NewSecret(key)}, "alias", "longer"},
		"gateway type":  {&CertificateCreate{Alias: "a", Certificate: good, PrivateKey: NewSecret(key), Type: CertificateGateway}, "certificate_type", "OpenAPI"},
		"huge PEM":      {&CertificateCreate{Alias: "a", Certificate: good + strings.Repeat(" ", 6200) + "x", PrivateKey: NewSecret(key)}, "certificate", "longer"},
	} {
		_, _, err := c.Certificates.Create(context.Background(), "t1", tc.cert)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.True(t, ve.Has(tc.field), "%s: %v", name, err)
		assert.Contains(t, err.Error(), tc.why, name)
		assert.NotContains(t, err.Error(), "PRIVATE KEY", "%s: the key is never quoted", name)
	}
	assert.Empty(t, rt.sentTo())
}

func TestCertificateAnswersGiveThePEMWhateverTheConsoleSent(t *testing.T) {
	t.Parallel()
	cert, key := validPair(t, "shop.example.com")
	stored := base64.StdEncoding.EncodeToString([]byte(strings.TrimSpace(cert)))
	answer := func(c string) canned {
		b, _ := json.Marshal(map[string]any{"alias": "shop", "private_key": strings.TrimSpace(key), "certificate": c, "certificate_type": "服务端证书", "id": 7})
		return canned{status: 200, body: string(b)}
	}
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"POST " + certsPath:       {answer(stored)},
		"GET " + certsPath + "/7": {answer(strings.TrimSpace(cert))},
	})
	created, _, err := c.Certificates.Create(context.Background(), "t1", &CertificateCreate{Alias: "shop", Certificate: cert, PrivateKey: NewSecret(key)})
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(cert), created.Certificate, "the create's base64 is decoded")
	assert.Equal(t, strings.TrimSpace(key), created.PrivateKey.Value())
	assert.NotContains(t, fmt.Sprintf("%+v", created), "PRIVATE KEY")
	var body map[string]string
	require.NoError(t, json.Unmarshal(rt.last(t).Body, &body))
	assert.Equal(t, map[string]string{"alias": "shop", "certificate": cert, "private_key": key, "certificate_type": "服务端证书"}, body,
		"all four members, the key itself")

	got, _, err := c.Certificates.Get(context.Background(), "t1", 7)
	require.NoError(t, err)
	assert.Equal(t, created.Certificate, got.Certificate)
}

func TestCertificateRefusalsHaveSentinels(t *testing.T) {
	t.Parallel()
	cert, key := validPair(t, "shop.example.com")
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"POST " + certsPath: {{status: 412, body: `{"code":412,"msg":"certificate name already exists","msg_show":"证书别名已存在","data":{"bean":{},"list":[]}}`},
			{status: 400, body: `{"code":400,"msg":"the certificate key pair mismatch","msg_show":"证书密钥对不匹配","data":{"bean":{},"list":[]}}`}},
		"DELETE " + certsPath + "/7": {{status: 400, body: `{"code":400,"msg":"the certificate still has http rules","msg_show":"仍有网关策略在使用该证书","data":{"bean":{},"list":[]}}`},
			{status: 200, body: ""}},
	})
	in := &CertificateCreate{Alias: "shop", Certificate: cert, PrivateKey: NewSecret(key)}
	_, _, err := c.Certificates.Create(context.Background(), "t1", in)
	assert.ErrorIs(t, err, ErrCertificateAliasTaken)
	_, _, err = c.Certificates.Create(context.Background(), "t1", in)
	assert.ErrorIs(t, err, ErrCertificateRejected)
	_, err = c.Certificates.Delete(context.Background(), "t1", 7)
	assert.ErrorIs(t, err, ErrCertificateInUse)
	_, err = c.Certificates.Delete(context.Background(), "t1", 7)
	assert.NoError(t, err, "an empty 200")
}

func TestACertificateCoversItsNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cn     string
		names  []string
		domain string
		covers bool
	}{
		{"shop.example.com", nil, "shop.example.com", true},
		{"x", []string{"shop.example.com"}, "shop.example.com", true},
		{"x", []string{"*.example.com"}, "shop.example.com", true},
		{"*.example.com", nil, "shop.example.com", true},
		{"*.example.com", nil, "a.shop.example.com", false},
		{"x", []string{"shop.example.com"}, "blog.example.com", false},
	} {
		certPEM, key := validPair(t, append([]string{tc.cn}, tc.names...)...)
		if tc.names == nil {
			certPEM, key = selfSigned(t, tc.cn, nil, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
		}
		cert, err := ParseCertificatePair(certPEM, NewSecret(key), time.Now())
		require.NoError(t, err)
		assert.Equal(t, tc.covers, coversDomain(cert, tc.domain), "%s %v %s", tc.cn, tc.names, tc.domain)
	}
}

func TestCertificateCallsRefuseIDZero(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	_, _, err := c.Certificates.Get(context.Background(), "t1", 0)
	assertRefused(t, err, "certificate_id", "get")
	_, err = c.Certificates.Delete(context.Background(), "t1", 0)
	assertRefused(t, err, "certificate_id", "delete")
	assert.Empty(t, rt.sentTo(), "id 0 would have been the list's path")
}

package rainbond_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// certFor makes a self-signed certificate for names, valid for a day, and
// its key.
func certFor(t *testing.T, names ...string) (string, rainbond.Secret) {
	t.Helper()
	cert, key, err := rainbondtest.SelfSignedCertificate(names, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	require.NoError(t, err)
	return cert, rainbond.NewSecret(key)
}

func TestE2ECertificatesAndHTTPSRulesConverge(t *testing.T) {
	t.Parallel()
	srv, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)

	pemA, keyA := certFor(t, "shop.example.com")
	cert, done, err := c.Certificates.Ensure(ctx, team, &rainbond.CertificateCreate{Alias: "shop", Certificate: pemA, PrivateKey: keyA})
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeCreated, done.Outcome)
	_, done, err = c.Certificates.Ensure(ctx, team, &rainbond.CertificateCreate{Alias: "shop", Certificate: pemA, PrivateKey: keyA})
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUnchanged, done.Outcome)

	want := &rainbond.HTTPRuleEnsure{DomainName: "shop.example.com", ServiceID: id, ContainerPort: 80, CertificateID: int(cert.ID)}
	_, _, err = c.Gateway.EnsureHTTPRule(ctx, team, region, appID, want)
	assert.ErrorIs(t, err, rainbond.ErrPortNotOpen, "the port is closed and OpenPort is off")
	want.OpenPort = true
	rule, done, err := c.Gateway.EnsureHTTPRule(ctx, team, region, appID, want)
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeCreated, done.Outcome)
	assert.Equal(t, "https://shop.example.com/", rule.URL())
	_, done, err = c.Gateway.EnsureHTTPRule(ctx, team, region, appID, want)
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUnchanged, done.Outcome)

	// The certificate rotates under the rule.
	pemB, keyB := certFor(t, "shop.example.com")
	rotated, done, err := c.Certificates.Ensure(ctx, team, &rainbond.CertificateCreate{Alias: "shop", Certificate: pemB, PrivateKey: keyB})
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUpdated, done.Outcome)
	assert.Equal(t, []string{"certificate", "private_key"}, done.Changed)
	assert.Equal(t, cert.ID, rotated.ID)
	got, _, err := c.Certificates.Get(ctx, team, cert.ID)
	require.NoError(t, err)
	assert.Equal(t, pemB[:len(pemB)-1], got.Certificate, "the new PEM, without its final newline")

	// Back to http: the rule is updated, named by what changed.
	want.CertificateID = 0
	_, done, err = c.Gateway.EnsureHTTPRule(ctx, team, region, appID, want)
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUpdated, done.Outcome)
	assert.Equal(t, []string{"certificate_id"}, done.Changed)

	// A certificate for another domain is refused before anything is sent.
	other, otherKey := certFor(t, "blog.example.com")
	otherCert, _, err := c.Certificates.Create(ctx, team, &rainbond.CertificateCreate{Alias: "blog", Certificate: other, PrivateKey: otherKey})
	require.NoError(t, err)
	want.CertificateID = int(otherCert.ID)
	_, _, err = c.Gateway.EnsureHTTPRule(ctx, team, region, appID, want)
	var ve *rainbond.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "does not cover shop.example.com")

	rules, _, err := c.Gateway.ListHTTPRules(ctx, team, region, appID)
	require.NoError(t, err)
	assert.Len(t, rules, 1, "one rule, whatever the runs")

	// The certificate a rule uses is not deleted.
	want.CertificateID = int(cert.ID)
	_, _, err = c.Gateway.EnsureHTTPRule(ctx, team, region, appID, want)
	require.NoError(t, err)
	_, err = c.Certificates.Delete(ctx, team, cert.ID)
	assert.ErrorIs(t, err, rainbond.ErrCertificateInUse)
	_, err = c.Certificates.Delete(ctx, team, otherCert.ID)
	require.NoError(t, err)
	list, _, err := c.Certificates.List(ctx, team, nil)
	require.NoError(t, err)
	require.Len(t, list.Certificates, 1)
	assert.Equal(t, []string{"shop.example.com"}, list.Certificates[0].IssuedTo, "the console's list drops a single SAN, keeping the common name")

	// The enterprise's rules, and the team's ports.
	all, _, err := c.Gateway.ListEnterpriseHTTPRules(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, appID, all[0].AppID)
	assert.Equal(t, "https://shop.example.com/", all[0].URL())
	none, _, err := c.Gateway.ListEnterpriseHTTPRules(ctx, &rainbond.ListEnterpriseHTTPRulesOptions{AutoSSL: rainbond.Ptr(true)})
	require.NoError(t, err)
	assert.Empty(t, none)
	ports, _, err := c.Teams.ListPorts(ctx, team, region)
	require.NoError(t, err)
	assert.NotEmpty(t, ports.Namespace)
	require.NotEmpty(t, ports.Ports)
	assert.Equal(t, 80, ports.Ports[0].Port)
	_ = srv
}

func TestE2ETCPRulesConvergeWhereTheConsoleLetsThem(t *testing.T) {
	t.Parallel()
	_, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)
	_, _, err := c.Components.AddPort(ctx, team, region, appID, id, &rainbond.PortCreate{Port: 6379, Protocol: "tcp", IsInnerService: true})
	require.NoError(t, err)
	want := &rainbond.TCPRuleCreate{ServiceID: id, ContainerPort: 6379, EndPoint: "0.0.0.0:30001", DefaultIP: "0.0.0.0", DefaultPort: 30001}

	rule, done, err := c.Gateway.EnsureTCPRule(ctx, team, region, appID, want)
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeCreated, done.Outcome)
	assert.Equal(t, 6379, rule.ContainerPort)
	_, done, err = c.Gateway.EnsureTCPRule(ctx, team, region, appID, want)
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUnchanged, done.Outcome, "found though the console answers the end point with the region's TCP domain")

	want.ContainerPort = 80
	_, _, err = c.Gateway.EnsureTCPRule(ctx, team, region, appID, want)
	assert.ErrorIs(t, err, rainbond.ErrTCPRuleImmutable)

	rules, _, err := c.Gateway.ListRules(ctx, team, region, appID)
	require.NoError(t, err)
	assert.Len(t, rules.TCP, 1)
}

func TestE2EEnsureHTTPRuleWithNoUpdateLeavesAnotherRuleAlone(t *testing.T) {
	t.Parallel()
	_, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)
	first, _, err := c.Gateway.EnsureHTTPRule(ctx, team, region, appID, &rainbond.HTTPRuleEnsure{DomainName: "shop.example.com", ServiceID: id, ContainerPort: 80, OpenPort: true})
	require.NoError(t, err)

	want := &rainbond.HTTPRuleEnsure{DomainName: "shop.example.com", ServiceID: id, ContainerPort: 80, AutoSSL: true, AutoSSLConfig: "letsencrypt", NoUpdate: true}
	got, done, err := c.Gateway.EnsureHTTPRule(ctx, team, region, appID, want)
	require.ErrorIs(t, err, rainbond.ErrRuleExists)
	assert.Nil(t, done)
	assert.Equal(t, first.HTTPRuleID, got.HTTPRuleID, "the rule found is returned")
	again, _, err := c.Gateway.GetHTTPRule(ctx, team, region, appID, first.HTTPRuleID)
	require.NoError(t, err)
	assert.False(t, again.AutoSSL, "nothing was changed")
}

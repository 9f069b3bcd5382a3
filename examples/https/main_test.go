package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestHTTPSRunsAgainstTheEmbeddedConsoleWithoutEnvironment(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), nil, func(string) string { return "" }, &out))
	got := out.String()
	assert.Contains(t, got, "using the embedded fake console")
	lines := strings.Split(strings.TrimSpace(got), "\n")
	assert.Equal(t, []string{
		`  certificate "shop-tls" (id 1): created`,
		`  https://shop.example.com/: created`,
		`  certificate "shop-tls" (id 1): unchanged`,
		`  https://shop.example.com/: unchanged`,
		`Rotating the certificate:`,
		`  certificate "shop-tls" (id 1): updated [certificate private_key]`,
		`  https://shop.example.com/: unchanged`,
	}, lines[2:])
}

// TestHTTPSRunTwiceLeavesOneRule runs the example twice against one
// console, as a pipeline would.
func TestHTTPSRunTwiceLeavesOneRule(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	require.NoError(t, err)
	s, err := fakeSettings(context.Background(), settings{}, srv)
	require.NoError(t, err)
	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": srv.Token}
	args := []string{"-team", seed.TeamA.TenantName, "-team-id", seed.TeamA.TenantID, "-region", "rainbond", "-app", "1",
		"-component", s.component, "-domain", "shop.example.com"}
	assert.Equal(t, "web", s.component, "named as the console shows it")
	for n := range 2 {
		var out strings.Builder
		require.NoError(t, run(context.Background(), args, func(k string) string { return env[k] }, &out), "run %d", n)
		assert.NotContains(t, out.String(), "Rotating", "a real console's certificate is never rotated")
		if n == 1 {
			assert.NotContains(t, out.String(), "https://shop.example.com/: created", "the second run creates no rule")
			assert.Contains(t, out.String(), "https://shop.example.com/: unchanged")
		}
	}
	rules, _, err := client.Gateway.ListHTTPRules(context.Background(), seed.TeamA.TenantID, "rainbond", seed.AppA.ID)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, "https", rules[0].Protocol)
	var web string
	for _, c := range srv.Components(seed.AppA.ID) {
		if c.Cname == "web" {
			web = c.ServiceID
		}
	}
	assert.Equal(t, web, rules[0].ServiceID, "-component web was sent as its service_id")
}

// The certificate files go together, and an unknown component is named.
func TestHTTPSRefusesHalfAPairAndUnknownComponents(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": srv.Token}
	getenv := func(k string) string { return env[k] }
	cert := filepath.Join(t.TempDir(), "shop.crt")
	require.NoError(t, os.WriteFile(cert, []byte("-----BEGIN CERTIFICATE-----\n"), 0o600))
	for _, args := range [][]string{{"-cert-file", cert}, {"-key-file", cert}} {
		err := run(context.Background(), args, getenv, io.Discard)
		require.Error(t, err)
		assert.Equal(t, "-cert-file and -key-file go together", err.Error())
	}
	assert.Empty(t, srv.Requests(), "nothing sent")

	err := run(context.Background(), []string{"-team", seed.TeamA.TenantName, "-team-id", seed.TeamA.TenantID, "-region", "rainbond",
		"-app", "1", "-component", "no-such-component", "-domain", "shop.example.com"}, getenv, io.Discard)
	require.ErrorIs(t, err, rainbond.ErrNotFound)
	assert.Contains(t, err.Error(), "-component no-such-component")
	assert.Empty(t, srv.Certificates(), "nothing published")
}

package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func noEnv(string) string { return "" }

func TestQuickstartRunsAgainstTheEmbeddedConsoleWithoutEnvironment(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), nil, noEnv, &out))
	got := out.String()
	assert.Contains(t, got, "using the embedded fake console")
	assert.Contains(t, got, "Installed wordpress 6.5 into app 1 (team o19p6wen, region rainbond): 2 new components")
	assert.Contains(t, got, "Copied 2 components into app 2 (team k2m8x4qa, region rainbond)")
	assert.Equal(t, 2, strings.Count(got, "-copy "), "two copies listed")
	assert.Equal(t, 2, strings.Count(got, "SERVICE ID"), "two tables")
}

func TestQuickstartTalksToTheConsoleNamedByTheEnvironment(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	env := map[string]string{"RAINBOND_URL": srv.URL + "/openapi/v1", "RAINBOND_TOKEN": srv.Token}
	args := []string{
		"-team", seed.TeamA.TenantID, "-region", "rainbond", "-app", "1",
		"-market-url", seed.Store.URL, "-market-domain", seed.Store.Domain,
		"-model", seed.Redis.ID, "-version", "7.2", "-to-team", seed.TeamB.TenantName, "-to-app", "2", "-deploy",
	}
	var out strings.Builder
	require.NoError(t, run(context.Background(), args, func(k string) string { return env[k] }, &out))
	assert.NotContains(t, out.String(), "fake console")
	assert.Contains(t, out.String(), "1 new components")
	assert.Len(t, srv.Components(2), 1, "one redis copied")
	assert.Equal(t, "running", srv.Components(1)[0].Status, "-deploy deploys")
}

func TestQuickstartReportsTheConsolesMessage(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": srv.Token}
	args := []string{"-team", "nosuchteam", "-region", "rainbond", "-app", "1", "-model", "m", "-version", "1", "-to-team", "x", "-to-app", "2"}
	err := run(context.Background(), args, func(k string) string { return env[k] }, &strings.Builder{})
	require.Error(t, err)
	msg := explain(err)
	assert.Contains(t, msg, "404 Not Found")
	assert.Contains(t, msg, "no found team")
	assert.Contains(t, msg, "团队不存在")
	assert.NotContains(t, msg, srv.Token)
}

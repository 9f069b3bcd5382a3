package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestMigrateRunsAgainstTheEmbeddedConsoleWithoutEnvironment(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), nil, func(string) string { return "" }, &out))
	got := out.String()
	assert.Contains(t, got, "using the embedded fake console")
	assert.Contains(t, got, `Created app 3 "blog-migrated" in team k2m8x4qa`)
	assert.Contains(t, got, "Copied 2 components")
	assert.Contains(t, got, "All 2 components of app 3 run.")
	assert.Len(t, regexp.MustCompile(`-copy +running`).FindAllString(got, -1), 2)
}

func TestMigrateMovesAnAppOfARealConsole(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	c, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	require.NoError(t, err)
	_, _, err = c.Apps.InstallFromMarket(context.Background(), seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.Redis.ID, AppModelVersion: "7.2",
	}, nil)
	require.NoError(t, err)

	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": srv.Token}
	args := []string{"-team", seed.TeamA.TenantID, "-region", "rainbond", "-app", strconv.FormatInt(seed.AppA.ID, 10),
		"-to-team", seed.TeamA.TenantName, "-to-region", "region-b", "-name", "cache", "-interval", "10ms"}
	var out strings.Builder
	require.NoError(t, run(context.Background(), args, func(k string) string { return env[k] }, &out))
	apps, _, err := c.Apps.List(context.Background(), seed.TeamA.TenantID, "region-b", &rainbond.ListAppsOptions{Query: "cache"})
	require.NoError(t, err)
	require.Len(t, apps, 1)
	comps := srv.Components(apps[0].ID)
	require.Len(t, comps, 1)
	assert.Equal(t, "redis-copy", comps[0].Cname)
}

func TestMigrateReportsWhatWentWrong(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": "wrong-token"}
	err := run(context.Background(), []string{"-team", "t", "-region", "rainbond", "-app", "1", "-to-team", "x"},
		func(k string) string { return env[k] }, &strings.Builder{})
	assert.ErrorIs(t, err, rainbond.ErrUnauthorized)
	assert.ErrorContains(t, err, "reading the app to migrate")
}

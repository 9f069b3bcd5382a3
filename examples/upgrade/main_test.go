package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestUpgradeRunsAgainstTheEmbeddedConsoleWithoutEnvironment(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), nil, func(string) string { return "" }, &out))
	got := out.String()
	assert.Contains(t, got, "using the embedded fake console")
	assert.Contains(t, got, `App "shop" is app 3 (created).`)
	assert.Contains(t, got, "at 6.4: installed.")
	assert.Contains(t, got, "recorded at 6.4 (as installed), the store offers [6.5]")
	assert.Contains(t, got, "to 6.5 sent (the console records 6.4).")
	assert.Equal(t, 2, strings.Count(got, " running "), "wordpress and mysql, running")
}

// TestUpgradeRunTwiceChangesNothingTheSecondTime runs the example twice
// against one console, as a cron would.
func TestUpgradeRunTwiceChangesNothingTheSecondTime(t *testing.T) {
	t.Parallel()
	clock := rainbondtest.NewClock(time.Unix(0, 0))
	srv := rainbondtest.NewServer(rainbondtest.WithClock(clock))
	defer srv.Close()
	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": srv.Token}
	seed := srv.Seed()
	args := []string{"-team", seed.TeamA.TenantName, "-region", "rainbond", "-app", "shop",
		"-market-url", seed.Store.URL, "-market-domain", seed.Store.Domain, "-model", seed.WordPress.ID, "-version", "6.4",
		"-interval", "10ms"}
	for n, want := range []string{"(created)", "(already there)"} {
		var out strings.Builder
		require.NoError(t, run(context.Background(), args, func(k string) string { return env[k] }, &out), "run %d", n)
		assert.Contains(t, out.String(), want)
		if n == 1 {
			assert.Contains(t, out.String(), "at 6.4: unknown.", "the console records 6.4 as installed, and cannot show the upgrade")
		}
	}
	assert.Len(t, srv.Apps(), 3, "the seed's two apps and shop, once")
	assert.Len(t, srv.Components(3), 2, "installed once")
	for _, comp := range srv.Components(3) {
		assert.Contains(t, []string{"goodrain.me/wordpress:6.5-php8.3", "goodrain.me/mysql:8.4"}, comp.Image, "upgraded to 6.5")
	}
}

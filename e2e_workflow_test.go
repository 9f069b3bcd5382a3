package rainbond_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestE2ETeamsAndRegions(t *testing.T) {
	t.Parallel()
	_, c, seed := fakeConsole(t)
	ctx := context.Background()

	var names []string
	for team, err := range c.Teams.All(ctx, &rainbond.ListOptions{PageSize: 1}) {
		require.NoError(t, err)
		names = append(names, team.TenantName)
	}
	assert.Equal(t, []string{seed.TeamA.TenantName, seed.TeamB.TenantName}, names)

	page, _, err := c.Teams.List(ctx, &rainbond.ListOptions{Query: "team b"})
	require.NoError(t, err)
	require.Len(t, page.Tenants, 1)
	assert.Equal(t, seed.TeamB.TenantID, page.Tenants[0].TenantID)

	var regions []string
	for r, err := range c.Teams.AllRegions(ctx, seed.TeamA.TenantName, nil) {
		require.NoError(t, err)
		regions = append(regions, r.RegionName)
	}
	assert.Equal(t, []string{"rainbond", "region-b"}, regions)

	all, _, err := c.Regions.List(ctx)
	require.NoError(t, err)
	assert.Len(t, all, 2)

	_, _, err = c.Teams.ListRegions(ctx, "nobody", nil)
	assert.ErrorIs(t, err, rainbond.ErrNotFound)
}

func TestE2EAppLifecycle(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithStartupReads(2))
	t.Cleanup(srv.Close)
	seed := srv.Seed()
	c, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	require.NoError(t, err)
	ctx := context.Background()
	team := seed.TeamB.TenantName

	created, resp, err := c.Apps.Create(ctx, team, "rainbond", &rainbond.AppPostInfo{AppName: "shop", AppNote: "migrated"})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "shop", created.GroupName)
	assert.Equal(t, "migrated", created.Note)

	apps, _, err := c.Apps.List(ctx, team, "rainbond", &rainbond.ListAppsOptions{Query: "sho"})
	require.NoError(t, err)
	require.Len(t, apps, 1)
	assert.Equal(t, created.ID, apps[0].ID)

	info, _, err := c.Apps.Get(ctx, team, "rainbond", created.ID)
	require.NoError(t, err)
	assert.Equal(t, rainbond.AppClosed, info.Status)
	assert.Zero(t, info.ServiceCount)

	_, _, err = c.Apps.InstallFromMarket(ctx, team, "rainbond", created.ID, wordpress(seed, "6.4"), &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	copyable, _, err := c.Apps.ListCopyable(ctx, team, "rainbond", created.ID)
	require.NoError(t, err)
	assert.Len(t, copyable, 2)
	assert.Equal(t, rainbond.CopyBuildSource{Version: "6.4-php8.2", ServiceSource: "market", RainAppName: "wordpress"}, copyable[0].BuildSource)

	got, err := c.Apps.WaitForComponents(ctx, team, "rainbond", created.ID, &rainbond.WaitOptions{Interval: 10 * time.Millisecond})
	require.NoError(t, err)
	for _, comp := range got {
		assert.Equal(t, rainbond.ComponentRunning, comp.Status)
	}
	info, _, err = c.Apps.Get(ctx, team, "rainbond", created.ID)
	require.NoError(t, err)
	assert.Equal(t, rainbond.AppRunning, info.Status)
	assert.Equal(t, 2, info.RunningServiceCount)

	_, err = c.Apps.Delete(ctx, team, "rainbond", created.ID, &rainbond.DeleteAppOptions{Force: true})
	var apiErr *rainbond.APIError
	require.True(t, errors.As(err, &apiErr), "refused while components run: %v", err)
	assert.Equal(t, 400, apiErr.StatusCode)

	require.NoError(t, srv.SetComponentStatus(got[0].ServiceID, "closed"))
	_, _, err = c.Apps.Get(ctx, team, "rainbond", created.ID)
	require.NoError(t, err)
	require.NoError(t, srv.SetComponentStatus(got[1].ServiceID, "closed"))
	resp, err = c.Apps.Delete(ctx, team, "rainbond", created.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	_, _, err = c.Apps.Get(ctx, team, "rainbond", created.ID)
	assert.ErrorIs(t, err, rainbond.ErrNotFound)
	assert.Empty(t, srv.Components(created.ID))
}

func TestE2EWorkflowErrorShapes(t *testing.T) {
	t.Parallel()
	_, c, seed := fakeConsole(t)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		err  error
		code int
	}{
		"unknown team": {func() error {
			_, _, err := c.Apps.List(ctx, "nobody", "rainbond", nil)
			return err
		}(), 404},
		"unknown region": {func() error {
			_, _, err := c.Apps.Create(ctx, seed.TeamA.TenantID, "nowhere", &rainbond.AppPostInfo{AppName: "x"})
			return err
		}(), 3000},
		"unknown app": {func() error {
			_, _, err := c.Apps.ListComponents(ctx, seed.TeamA.TenantID, "rainbond", 999)
			return err
		}(), 404},
		"app of another team": {func() error {
			_, _, err := c.Apps.Get(ctx, seed.TeamA.TenantID, "rainbond", seed.AppB.ID)
			return err
		}(), 404},
	} {
		var apiErr *rainbond.APIError
		require.True(t, errors.As(tc.err, &apiErr), name)
		assert.Equal(t, 404, apiErr.StatusCode, name)
		assert.Equal(t, tc.code, apiErr.Code, name)
	}
	copyable, _, err := c.Apps.ListCopyable(ctx, seed.TeamA.TenantID, "rainbond", 999)
	require.NoError(t, err, "the console lists nothing to copy for an unknown app")
	assert.Empty(t, copyable)
}

// The console answers an app's detail raw, a float and a string id among
// it, as soon as a component's memory is not a multiple of 64 MiB; the
// SDK reads both answers the same way.
func TestE2EAppDetailValidatedAndRaw(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	require.NoError(t, srv.AddStore(rainbondtest.Store{Domain: "odd", URL: "https://odd.example", Models: []rainbondtest.AppModel{{
		ID: "tiny", Versions: []rainbondtest.AppModelVersion{{Version: "1", Components: []rainbondtest.ComponentTemplate{{Cname: "tiny", MinMemory: 100}}}},
	}}}))
	_, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), nil)
	require.NoError(t, err)
	validated, resp, err := c.Apps.Get(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, rainbond.KeepRawBody())
	require.NoError(t, err)
	assert.Contains(t, string(resp.Body), `"used_cpu":360,`)
	assert.Equal(t, seed.AppA.ID, validated.ID)
	assert.Equal(t, 360.0, validated.UsedCPU)

	_, _, err = c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
		MarketURL: "https://odd.example", MarketDomain: "odd", AppModelID: "tiny", AppModelVersion: "1"}, nil)
	require.NoError(t, err)
	raw, resp, err := c.Apps.Get(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, rainbond.KeepRawBody())
	require.NoError(t, err)
	assert.Contains(t, string(resp.Body), `"app_id":"`, "the raw answer")
	assert.Equal(t, seed.AppA.ID, raw.ID, "ID comes from app_id whichever shape it has")
	assert.Equal(t, 383.4375, raw.UsedCPU)
	assert.Equal(t, 1636, raw.UsedMemory)
	assert.Equal(t, 3, raw.ServiceCount)
	assert.Equal(t, "blog", raw.GroupName)
}

func TestE2EQuotaRefusals(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	t.Cleanup(srv.Close)
	seed := srv.Seed()
	c, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	require.NoError(t, err)
	ctx := context.Background()
	small, err := srv.AddTeam(rainbondtest.Team{TenantName: "small", Regions: []string{"rainbond"}, MemoryQuota: 512})
	require.NoError(t, err)
	app, err := srv.AddApp(rainbondtest.App{TenantID: small.TenantID, RegionName: "rainbond"})
	require.NoError(t, err)

	_, _, err = c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), nil)
	require.NoError(t, err)
	_, _, err = c.Apps.CopyAllComponents(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.AppCopyC{
		TargetTeamName: "small", TargetRegionName: "rainbond", TargetAppID: app.ID})
	assert.ErrorIs(t, err, rainbond.ErrQuotaExceeded)
	var apiErr *rainbond.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 412, apiErr.StatusCode)
	assert.Equal(t, 10413, apiErr.Code)
	assert.Len(t, srv.Components(app.ID), 2, "the copies exist, undeployed: look before copying again")

	_, _, err = c.Apps.InstallFromMarket(ctx, "small", "rainbond", app.ID, wordpress(seed, "6.4"), &rainbond.InstallOptions{Deploy: true})
	assert.ErrorIs(t, err, rainbond.ErrBadRequest, "an install wraps the refusal in its own 400")
	assert.NotErrorIs(t, err, rainbond.ErrQuotaExceeded)
}

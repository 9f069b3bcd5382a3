package rainbond_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The release calls against the fake console, which answers as the
// console's views do.

func TestE2ESmartDeployAndEnsureInstalledSayTheSameThing(t *testing.T) {
	t.Parallel()
	_, c, seed := fakeConsole(t)
	ctx := context.Background()
	team, region := seed.TeamA.TenantName, seed.Region.RegionName
	_, _, err := c.Apps.InstallFromMarket(ctx, team, region, seed.AppA.ID, wordpress(seed, "6.5"), nil)
	require.NoError(t, err)

	ensured, err := c.Apps.EnsureInstalled(ctx, team, region, seed.AppA.ID, wordpress(seed, "6.5"), nil)
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUnknown, ensured.Outcome, "the recorded version is the one asked for")
	smart, _, err := c.Apps.SmartDeploy(ctx, team, region, &rainbond.SmartDeploy{AppName: seed.AppA.Name, TemplateID: seed.WordPress.ID, MarketName: "RainbondMarket"})
	require.NoError(t, err)
	assert.Equal(t, rainbond.SmartSkipped, smart.Action)
	assert.Equal(t, "6.5", ensured.RecordedVersion)
	assert.Equal(t, "6.5", smart.CurrentVersion, "both read the recorded version")

	// An older recorded version: EnsureInstalled upgrades, SmartDeploy
	// cannot (the console's branch fails before changing anything).
	_, _, err = c.Apps.InstallFromMarket(ctx, seed.TeamB.TenantName, region, seed.AppB.ID, wordpress(seed, "6.4"), nil)
	require.NoError(t, err)
	_, _, err = c.Apps.SmartDeploy(ctx, seed.TeamB.TenantName, region, &rainbond.SmartDeploy{AppName: seed.AppB.Name, TemplateID: seed.WordPress.ID, MarketName: "RainbondMarket"})
	assert.ErrorIs(t, err, rainbond.ErrSmartUpgradeBroken)
	ensured, err = c.Apps.EnsureInstalled(ctx, seed.TeamB.TenantName, region, seed.AppB.ID, wordpress(seed, "6.5"), nil)
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUpgraded, ensured.Outcome)

	fresh, _, err := c.Apps.SmartDeploy(ctx, team, region, &rainbond.SmartDeploy{AppName: "blog-2", TemplateID: seed.WordPress.ID, MarketName: "RainbondMarket", NoDeploy: true})
	require.NoError(t, err)
	assert.Equal(t, rainbond.SmartInstalled, fresh.Action)
	assert.Equal(t, "6.5", fresh.TemplateVersion)
	comps, _, err := c.Apps.ListComponents(ctx, team, region, fresh.AppID)
	require.NoError(t, err)
	assert.NotEmpty(t, comps, "installed into the app it created")
}

// canaryShop is a local model whose web listens outside, as a canary's
// new version must.
func canaryShop(versions ...string) rainbondtest.AppModel {
	m := rainbondtest.AppModel{ID: "shop", Name: "shop"}
	for _, v := range versions {
		m.Versions = append(m.Versions, rainbondtest.AppModelVersion{Version: v, Components: []rainbondtest.ComponentTemplate{
			{Cname: "web", Image: "goodrain.me/shop:" + v, Version: v, Port: 80, Outer: true}}})
	}
	return m
}

// canaryPlan smart-deploys shop 1.0, publishes it on shop.example.com,
// publishes 1.1, and returns the app and a plan for it.
func canaryPlan(t *testing.T, srv *rainbondtest.Server, c *rainbond.Client, seed rainbondtest.Seed) (int64, *rainbond.CanaryPlan) {
	t.Helper()
	ctx := context.Background()
	team, region := seed.TeamA.TenantName, seed.Region.RegionName
	srv.AddLocalModel(canaryShop("1.0"))
	deployed, _, err := c.Apps.SmartDeploy(ctx, team, region, &rainbond.SmartDeploy{AppName: "shop", TemplateID: "shop"})
	require.NoError(t, err)
	web, err := c.Apps.FindComponent(ctx, team, region, deployed.AppID, "web")
	require.NoError(t, err)
	_, _, err = c.Gateway.EnsureHTTPRule(ctx, team, region, deployed.AppID, &rainbond.HTTPRuleEnsure{DomainName: "shop.example.com", ServiceID: web.ServiceID, ContainerPort: 80, OpenPort: true})
	require.NoError(t, err)
	srv.AddLocalModel(canaryShop("1.0", "1.1"))
	route, err := c.Apps.CanaryRoute(ctx, deployed.AppID, "shop.example.com", "/", web.ServiceAlias)
	require.NoError(t, err)
	return deployed.AppID, &rainbond.CanaryPlan{Start: rainbond.CanaryStart{TemplateID: "shop", RouteName: route, Ratio: 10}, Schedule: []int{50, 100}}
}

func TestE2ERunCanaryWalksItsScheduleThenRefusesTheRenamedRoute(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	app, plan := canaryPlan(t, srv, c, seed)
	var asked []int
	plan.Gate = func(_ context.Context, ratio int) error { asked = append(asked, ratio); return nil }
	canary, err := c.Apps.RunCanary(ctx, seed.TeamA.TenantName, "rainbond", app, plan)
	require.NoError(t, err)
	assert.Equal(t, []int{10, 50, 100}, asked)
	assert.Equal(t, 100, canary.NewWeight)
	comps, _, err := c.Apps.ListComponents(ctx, seed.TeamA.TenantName, "rainbond", app)
	require.NoError(t, err)
	require.Len(t, comps, 1, "the promotion deleted the original")
	assert.Equal(t, "goodrain.me/shop:1.1", comps[0].Image)

	records, _, err := c.Apps.ListCanaries(ctx, rainbond.CanaryCompleted)
	require.NoError(t, err)
	require.Len(t, records, 1)
	_, err = c.Apps.CanaryRoute(ctx, app, "shop.example.com", "/", comps[0].ServiceAlias)
	assert.ErrorIs(t, err, rainbond.ErrCanaryRouteRenamed)
}

func TestE2ERunCanaryRollsBackWhenTheGateRefuses(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	app, plan := canaryPlan(t, srv, c, seed)
	refusal := errors.New("p99 latency 2.3 s")
	plan.Gate = func(_ context.Context, ratio int) error {
		if ratio == 50 {
			return refusal
		}
		return nil
	}
	_, err := c.Apps.RunCanary(ctx, seed.TeamA.TenantName, "rainbond", app, plan)
	var run *rainbond.CanaryRunError
	require.ErrorAs(t, err, &run)
	assert.True(t, run.RolledBack)
	assert.Equal(t, 50, run.Ratio)
	assert.ErrorIs(t, err, refusal)
	comps, _, err := c.Apps.ListComponents(ctx, seed.TeamA.TenantName, "rainbond", app)
	require.NoError(t, err)
	require.Len(t, comps, 1, "the new version was deleted")
	assert.Equal(t, "goodrain.me/shop:1.0", comps[0].Image)
	_, _, err = c.Apps.SetCanaryRatio(ctx, seed.TeamA.TenantName, "rainbond", app, "shop", 20)
	assert.ErrorIs(t, err, rainbond.ErrCanaryNotFound)
}

func TestE2EImportAPackage(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	team, region := seed.TeamA.TenantName, seed.Region.RegionName
	srv.AddImportPackage("shop-1.0.tar", canaryShop("1.0"))
	record, _, err := c.Apps.StartImport(ctx, team, region)
	require.NoError(t, err)
	_, err = c.Apps.UploadPackage(ctx, record, "shop-1.0.tar", strings.NewReader("tarball"))
	require.NoError(t, err)
	files, _, err := c.Apps.ListPackages(ctx, team, region, record.EventID)
	require.NoError(t, err)
	assert.Equal(t, []string{"shop-1.0.tar"}, files)
	_, err = c.Apps.ImportPackages(ctx, team, region, record.EventID, files)
	require.NoError(t, err)
	state, err := c.Apps.WaitForImport(ctx, team, region, record.EventID, 10*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, state.Models, 1)
	assert.Equal(t, rainbond.ImportedModel{GroupKey: "shop", GroupName: "shop", GroupVersion: "1.0"}, state.Models[0])

	_, err = c.Apps.DeployModel(ctx, team, region, &rainbond.ModelDeploy{AppID: seed.AppA.ID, ModelID: "shop", Version: "1.0"})
	require.NoError(t, err)
	web, err := c.Apps.FindComponent(ctx, team, region, seed.AppA.ID, "web")
	require.NoError(t, err)
	assert.Equal(t, "goodrain.me/shop:1.0", web.Image)
}

func TestE2EStorageExternalComponentsAndDeletingEverything(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	team, region, app := seed.TeamA.TenantName, seed.Region.RegionName, seed.AppA.ID
	installed, _, err := c.Apps.InstallFromMarket(ctx, team, region, app, wordpress(seed, "6.4"), &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	web := installed.ServiceList[0].ServiceID

	vol, _, err := c.Components.AddVolume(ctx, team, region, app, web, &rainbond.VolumeCreate{Name: "uploads", Path: "/var/www/uploads", Capacity: 5})
	require.NoError(t, err)
	assert.Equal(t, "/var/www/uploads", vol.Path)
	_, _, err = c.Components.AddVolume(ctx, team, region, app, web, &rainbond.VolumeCreate{Name: "nested", Path: "/var/www/uploads/x"})
	assert.ErrorIs(t, err, rainbond.ErrVolumeExists, "a path inside another volume's")

	ext, _, err := c.Apps.CreateExternalComponent(ctx, team, region, app, &rainbond.ExternalComponentCreate{Name: "billing-db", Endpoints: []string{"10.0.3.7:5432"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"10.0.3.7:5432"}, srv.Endpoints(ext.ServiceID))

	_, err = c.Apps.CloseAll(ctx, team, region, nil)
	require.NoError(t, err)

	_, err = c.Apps.DeleteEverything(ctx, seed.TeamB.TenantName, region, app)
	assert.ErrorIs(t, err, rainbond.ErrNotFound, "another team's app is not deleted")
	assert.NotEmpty(t, srv.Components(app))
	_, err = c.Apps.DeleteEverything(ctx, team, region, app)
	require.NoError(t, err)
	assert.Empty(t, srv.Components(app))
}

package rainbond

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const appsPath = "/openapi/v1/teams/t1/regions/r1/apps"

func TestEnsureAppReturnsTheAppNamedExactlySo(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + appsPath: {{status: 200,
		body: `[{"ID":3,"group_name":"blog-old"},{"ID":4,"group_name":"blog"}]`}}})

	app, created, err := c.Apps.Ensure(context.Background(), "t1", "r1", &AppPostInfo{AppName: "blog"})
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, int64(4), app.ID, "a name containing the query is not the app")
	assert.Equal(t, []string{"GET " + appsPath}, rt.sentTo())
	assert.Equal(t, "query=blog", rt.last(t).RawQuery)
}

func TestEnsureAppCreatesAMissingApp(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET " + appsPath:  {{status: 200, body: `[{"ID":3,"group_name":"blog-old"}]`}},
		"POST " + appsPath: {{status: 201, body: `{"ID":9,"group_name":"blog"}`}},
	})
	app, created, err := c.Apps.Ensure(context.Background(), "t1", "r1", &AppPostInfo{AppName: "blog"})
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, int64(9), app.ID)
	assert.Equal(t, []string{"GET " + appsPath, "POST " + appsPath, "GET " + appsPath}, rt.sentTo(), "read back after creating")
}

func TestEnsureAppReturnsTheAppARacingWriterCreated(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET " + appsPath: {{status: 200, body: `[]`}, {status: 200, body: `[{"ID":12,"group_name":"Blog"}]`}},
		"POST " + appsPath: {{status: 400,
			body: `{"code":400,"msg":"app name exist","msg_show":"应用名称已存在","data":{"bean":{},"list":[]}}`}},
	})
	app, created, err := c.Apps.Ensure(context.Background(), "t1", "r1", &AppPostInfo{AppName: "blog"})
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, int64(12), app.ID, "the console compares names without case")
	assert.Equal(t, []string{"GET " + appsPath, "POST " + appsPath, "GET " + appsPath}, rt.sentTo())
}

const (
	installPath = "/openapi/v1/teams/t1/regions/r1/apps/7/install"
	// heldAt64 lists model m1 installed at 6.4 from market "mk".
	heldAt64 = `[{"market_name":"mk","app_model_id":"a9a2c3e4f5b6478899aabbccddeeff00","app_model_name":"w","current_version":"6.4",
	 "enterprise_id":"e","can_upgrade":true,"upgrade_versions":["6.5"],"source":"market"}]`
)

func ensureInstall(version string) *Install {
	in := validInstall()
	in.AppModelVersion = version
	return in
}

func TestEnsureInstalledInstallsAModelTheAppLacks(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET " + upgradePath:  {{status: 200, body: `[]`}},
		"POST " + installPath: {{status: 200, body: readFixture(t, "console/install.json")}},
	})
	res, err := c.Apps.EnsureInstalled(context.Background(), "t1", "r1", 7, ensureInstall("6.4"), &InstallOptions{Deploy: true})
	require.NoError(t, err)
	assert.Equal(t, OutcomeInstalled, res.Outcome)
	require.NotNil(t, res.Installed)
	assert.Equal(t, []string{"GET " + upgradePath, "POST " + installPath}, rt.sentTo())
	assert.Equal(t, "is_deploy=true", rt.last(t).RawQuery)
}

func TestEnsureInstalledSaysUnknownWhenTheRecordMatches(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 200, body: heldAt64}}})
	res, err := c.Apps.EnsureInstalled(context.Background(), "t1", "r1", 7, ensureInstall("6.4"), nil)
	require.NoError(t, err)
	assert.Equal(t, OutcomeUnknown, res.Outcome, "the record does not show upgrades made through the OpenAPI: never \"unchanged\"")
	assert.Equal(t, "6.4", res.RecordedVersion)
	assert.Equal(t, []string{"GET " + upgradePath}, rt.sentTo(), "nothing written")
}

func TestEnsureInstalledUpgradesAnOlderVersionThroughItsMarket(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET " + upgradePath:  {{status: 200, body: heldAt64}},
		"POST " + upgradePath: {{status: 200, body: heldAt64}},
	})
	res, err := c.Apps.EnsureInstalled(context.Background(), "t1", "r1", 7, ensureInstall("6.5"), nil)
	require.NoError(t, err)
	assert.Equal(t, OutcomeUpgraded, res.Outcome)
	assert.Equal(t, "6.4", res.RecordedVersion)
	assert.JSONEq(t, `{"update_versions":[{"market_name":"mk","app_model_id":"a9a2c3e4f5b6478899aabbccddeeff00","app_model_version":"6.5"}]}`,
		string(rt.last(t).Body), "the console's market name, read from the list, not the store's domain")
}

func TestEnsureInstalledNeverDowngradesBelowTheRecordNorInstallsBlind(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 200, body: heldAt64}}})
	_, err := c.Apps.EnsureInstalled(context.Background(), "t1", "r1", 7, ensureInstall("6.3"), nil)
	assert.ErrorIs(t, err, ErrNewerInstalled)

	c2, mt2 := newMockClient(t)
	rt2 := newRouter(mt2, map[string][]canned{"GET " + upgradePath: {{status: 400, body: localModelRefusal}}})
	_, err = c2.Apps.EnsureInstalled(context.Background(), "t1", "r1", 7, ensureInstall("6.5"), nil)
	assert.ErrorIs(t, err, ErrLocalLibraryModel, "what the app holds cannot be read: nothing is installed")
	assert.Equal(t, []string{"GET " + upgradePath}, rt.sentTo())
	assert.Equal(t, []string{"GET " + upgradePath}, rt2.sentTo())
}

package rainbond

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const upgradePath = "/openapi/v1/teams/t1/regions/r1/apps/7/upgrade"

// upgradeList is AppUpgradeView's answer: ListUpgradeSerializer's eight
// fields, upgrade_versions in the order of a Python set.
const upgradeList = `[{"market_name":"0a1b2c3d4e5f","app_model_id":"m1","app_model_name":"wordpress",
 "current_version":"6.4","enterprise_id":"e1","can_upgrade":true,
 "upgrade_versions":["6.5","6.10","6.9.1"],"source":"market"}]`

// localModelRefusal is the console failing its own list: one item per
// model, {} for the good ones.
const localModelRefusal = `{"detail":"参数错误","err":[{},{"market_name":["该字段不能为 null。"]}],"code":20400,"error_type":"ValidationError"}`

func TestListUpgradesSortsTheOfferedVersionsNewestFirst(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 200, body: upgradeList}}})

	list, _, err := c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, []string{"6.10", "6.9.1", "6.5"}, list[0].UpgradeVersions)
	assert.Equal(t, "6.10", list[0].Latest())
	assert.Equal(t, "0a1b2c3d4e5f", list[0].MarketName)
	assert.Equal(t, []string{"GET " + upgradePath}, rt.sentTo())
}

func TestListUpgradesReportsALocalLibraryModel(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 400, body: localModelRefusal}}})

	_, _, err := c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	assert.ErrorIs(t, err, ErrLocalLibraryModel)
	assert.ErrorIs(t, err, ErrBadRequest, "still the console's 400 underneath")
	var le *UpgradeListError
	require.ErrorAs(t, err, &le)
	assert.False(t, le.UpgradeSent)
	assert.Contains(t, le.Err.FieldErrors, "[1].market_name")
	assert.Contains(t, err.Error(), "local library")
}

func TestUpgradeSendsTheConsolesBodyWithNullForTheLocalLibrary(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + upgradePath: {{status: 200, body: upgradeList}}})

	_, _, err := c.Apps.Upgrade(context.Background(), "t1", "r1", 7, &AppUpgrade{UpdateVersions: []AppModelUpgrade{
		{MarketName: "0a1b2c3d4e5f", AppModelID: "m1", AppModelVersion: "6.10"},
	}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"update_versions":[{"market_name":"0a1b2c3d4e5f","app_model_id":"m1","app_model_version":"6.10"}]}`, string(rt.last(t).Body))

	_, _, err = c.Apps.Upgrade(context.Background(), "t1", "r1", 7, &AppUpgrade{UpdateVersions: []AppModelUpgrade{
		{AppModelID: "m1", AppModelVersion: "6.10"},
	}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"update_versions":[{"market_name":null,"app_model_id":"m1","app_model_version":"6.10"}]}`, string(rt.last(t).Body),
		"the key is required; null means the local library, and \"\" is refused by the console")
}

func TestUpgradeReportsAModelTheAppDoesNotHold(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST " + upgradePath: {{status: 200, body: upgradeList}}})

	list, _, err := c.Apps.Upgrade(context.Background(), "t1", "r1", 7, &AppUpgrade{UpdateVersions: []AppModelUpgrade{
		{MarketName: "0a1b2c3d4e5f", AppModelID: "m1", AppModelVersion: "6.10"},
		{MarketName: "0a1b2c3d4e5f", AppModelID: "other", AppModelVersion: "1.0"},
	}})
	require.ErrorIs(t, err, ErrModelNotInApp, "the console's 200 for a model it skipped is not a success")
	var me *ModelNotInAppError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"other"}, me.AppModelIDs)
	assert.Len(t, list, 1, "the list comes with the error: m1 was upgraded")
}

func TestUpgradeSaysWhenTheUpgradeWasSentBeforeTheListFailed(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST " + upgradePath: {{status: 400, body: localModelRefusal}}})

	_, _, err := c.Apps.Upgrade(context.Background(), "t1", "r1", 7, &AppUpgrade{UpdateVersions: []AppModelUpgrade{{AppModelID: "m1", AppModelVersion: "2"}}})
	var le *UpgradeListError
	require.ErrorAs(t, err, &le)
	assert.True(t, le.UpgradeSent)
	assert.Contains(t, err.Error(), "the upgrade was sent")
}

func TestUpgradeBodyErrorsAreNotMistakenForAListFailure(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST " + upgradePath: {{status: 400,
		body: `{"detail":"参数错误","err":{"update_versions":[{"app_model_version":["该字段不能为空。"]}]},"code":20400}`}}})

	_, _, err := c.Apps.Upgrade(context.Background(), "t1", "r1", 7, &AppUpgrade{UpdateVersions: []AppModelUpgrade{{AppModelID: "m1", AppModelVersion: "2"}}})
	var le *UpgradeListError
	assert.False(t, errors.As(err, &le))
	assert.ErrorIs(t, err, ErrBadRequest)
}

func TestUpgradeRefusesBadInputAndSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	long := "0123456789abcdef0123456789abcdef0"
	for name, tc := range map[string]struct {
		up    *AppUpgrade
		field string
	}{
		"nil":           {nil, "body"},
		"empty":         {&AppUpgrade{}, "update_versions"},
		"no model":      {&AppUpgrade{UpdateVersions: []AppModelUpgrade{{AppModelVersion: "1"}}}, "update_versions[0].app_model_id"},
		"no version":    {&AppUpgrade{UpdateVersions: []AppModelUpgrade{{AppModelID: "m"}}}, "update_versions[0].app_model_version"},
		"long model id": {&AppUpgrade{UpdateVersions: []AppModelUpgrade{{AppModelID: long, AppModelVersion: "1"}}}, "update_versions[0].app_model_id"},
		"blank market":  {&AppUpgrade{UpdateVersions: []AppModelUpgrade{{MarketName: "  ", AppModelID: "m", AppModelVersion: "1"}}}, "update_versions[0].market_name"},
		"model twice":   {&AppUpgrade{UpdateVersions: []AppModelUpgrade{{AppModelID: "m", AppModelVersion: "1"}, {AppModelID: "m", AppModelVersion: "2"}}}, "update_versions[1].app_model_id"},
	} {
		_, _, err := c.Apps.Upgrade(context.Background(), "t1", "r1", 7, tc.up)
		assertRefused(t, err, tc.field, name)
	}
	assert.Empty(t, rt.sentTo())
}

func TestUpgradeToLatestPicksTheNewestOfferAndUsesTheListedMarket(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET " + upgradePath:  {{status: 200, body: upgradeList}},
		"POST " + upgradePath: {{status: 200, body: upgradeList}},
	})
	res, _, err := c.Apps.UpgradeToLatest(context.Background(), "t1", "r1", 7, "m1")
	require.NoError(t, err)
	require.Len(t, res.Models, 1, "the models the answer lists")
	got := res.Models[0]
	assert.Equal(t, []string{"m1", "0a1b2c3d4e5f", "6.4"}, []string{got.AppModelID, got.MarketName, got.CurrentVersion})
	assert.Equal(t, []string{"6.10", "6.9.1", "6.5"}, got.UpgradeVersions, "newest first")
	res.Models = nil
	assert.Equal(t, &UpgradeResult{AppModelID: "m1", Recorded: "6.4", To: "6.10"}, res)
	assert.Equal(t, []string{"GET " + upgradePath, "POST " + upgradePath}, rt.sentTo())
	assert.JSONEq(t, `{"update_versions":[{"market_name":"0a1b2c3d4e5f","app_model_id":"m1","app_model_version":"6.10"}]}`, string(rt.last(t).Body))
}

func TestUpgradeToLatestSendsNothingWhenNothingIsNewer(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 200,
		body: `[{"market_name":"mk","app_model_id":"m1","app_model_name":"w","current_version":"2.0","enterprise_id":"e","can_upgrade":true,"upgrade_versions":["2.0"],"source":"market"}]`}}})
	res, _, err := c.Apps.UpgradeToLatest(context.Background(), "t1", "r1", 7, "m1")
	require.NoError(t, err)
	assert.Equal(t, "2.0", res.Recorded)
	assert.Empty(t, res.To, "2.0 republished is not an upgrade")
	assert.Equal(t, []string{"2.0"}, res.NotNewer)
	assert.Contains(t, res.Why, "the console offers 2.0")
	assert.Equal(t, []string{"GET " + upgradePath}, rt.sentTo())

	_, _, err = c.Apps.UpgradeToLatest(context.Background(), "t1", "r1", 7, "absent")
	assert.ErrorIs(t, err, ErrModelNotInApp)
}

func TestUpgradeModelToSendsTheVersionThroughTheListedMarket(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"GET " + upgradePath:  {{status: 200, body: upgradeList}},
		"POST " + upgradePath: {{status: 200, body: upgradeList}},
	})
	res, _, err := c.Apps.UpgradeModelTo(context.Background(), "t1", "r1", 7, "m1", "6.5")
	require.NoError(t, err)
	assert.Equal(t, "6.4", res.Recorded)
	assert.Equal(t, "6.5", res.To, "the version asked for, not the newest")
	assert.JSONEq(t, `{"update_versions":[{"market_name":"0a1b2c3d4e5f","app_model_id":"m1","app_model_version":"6.5"}]}`, string(rt.last(t).Body))

	_, _, err = c.Apps.UpgradeModelTo(context.Background(), "t1", "r1", 7, "m1", " ")
	assertRefused(t, err, "app_model_version", "blank version")
	_, _, err = c.Apps.UpgradeModelTo(context.Background(), "t1", "r1", 7, "absent", "1.0")
	assert.ErrorIs(t, err, ErrModelNotInApp)
}

func TestUpgradeToLatestSaysWhyWhenTheConsoleRanksVersionsOtherwise(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// compare_version ranks 1.0.0-beta.5 above 1.0.0-rc.1 ([1,0,-1,5] >
	// [1,0,-1,1]) and offers it; semver ranks it below.
	rt := newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 200,
		body: `[{"market_name":"mk","app_model_id":"m1","app_model_name":"w","current_version":"1.0.0-rc.1","enterprise_id":"e","can_upgrade":true,"upgrade_versions":["1.0.0-beta.5"],"source":"market"}]`}}})
	res, _, err := c.Apps.UpgradeToLatest(context.Background(), "t1", "r1", 7, "m1")
	require.NoError(t, err)
	assert.Empty(t, res.To)
	assert.Equal(t, []string{"1.0.0-beta.5"}, res.NotNewer)
	assert.Contains(t, res.Why, "compare_version")
	assert.Contains(t, res.Why, "UpgradeModelTo")
	assert.Equal(t, []string{"GET " + upgradePath}, rt.sentTo())

	newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 200,
		body: `[{"market_name":"mk","app_model_id":"m1","app_model_name":"w","current_version":"2.0","enterprise_id":"e","can_upgrade":false,"upgrade_versions":[],"source":"market"}]`}}})
	res, _, err = c.Apps.UpgradeToLatest(context.Background(), "t1", "r1", 7, "m1")
	require.NoError(t, err)
	assert.Equal(t, "the store offers nothing newer than 2.0, the version the console records", res.Why)
}

func TestUpgradeRecognisesTheConsolesOwnFailures(t *testing.T) {
	t.Parallel()
	typeError := func(msg string) canned {
		return canned{status: 500, body: `{"code":10401,"msg":"` + msg + `","msg_show":"Traceback (most recent call last):\n...","error_type":"TypeError"}`}
	}
	up := &AppUpgrade{UpdateVersions: []AppModelUpgrade{{MarketName: "mk", AppModelID: "m1", AppModelVersion: "6.5"}}}
	for name, tc := range map[string]struct {
		answer canned
		is     error
		not    error
	}{
		"a version that adds components": {typeError("MarketAppService.install_service_when_upgrade_app() takes from 9 to 11 positional arguments but 12 were given"), ErrUpgradeAddsComponents, ErrUnsupported},
		"a local-library model":          {typeError("RainbondCenterAppRepository.get_rainbond_app_and_version() missing 1 required positional argument: 'app_version'"), ErrLocalLibraryModel, ErrUnsupported},
		"a console v5.3.1 to v6.9.3":     {typeError("get_or_create_upgrade_record() missing 1 required positional argument: 'upgrade_group_id'"), ErrUnsupported, ErrUpgradeAddsComponents},
		"any other 500":                  {typeError("something else()"), ErrServer, ErrUnsupported},
	} {
		c, mt := newMockClient(t)
		newRouter(mt, map[string][]canned{"POST " + upgradePath: {tc.answer}})
		_, _, err := c.Apps.Upgrade(context.Background(), "t1", "r1", 7, up)
		assert.ErrorIs(t, err, tc.is, name)
		assert.ErrorIs(t, err, ErrServer, "%s: still the console's 500", name)
		assert.NotErrorIs(t, err, tc.not, name)
		var apiErr *APIError
		assert.ErrorAs(t, err, &apiErr, name)
	}
}

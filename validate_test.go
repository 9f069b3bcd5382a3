package rainbond

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInstallValidationListsEveryProblemAndSendsNothing(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		team, region string
		appID        int64
		in           *Install
		fields       []string
	}{
		"everything wrong": {
			team: "", region: "..", appID: 0,
			in:     &Install{MarketAccessKey: NewSecret("  ")},
			fields: []string{"app_id", "team_id", "region_name", "market_url", "market_domain", "app_model_id", "app_model_version", "market_access_key"},
		},
		"too long": {
			team: "team", region: "region", appID: 1,
			in: &Install{
				MarketURL: "https://" + strings.Repeat("s", 248), MarketDomain: strings.Repeat("d", 65),
				MarketType: strings.Repeat("t", 65), MarketAccessKey: NewSecret(strings.Repeat("k", 65)),
				AppModelID: strings.Repeat("i", 65), AppModelVersion: strings.Repeat("v", 65),
			},
			fields: []string{"market_url", "market_domain", "market_type", "market_access_key", "app_model_id", "app_model_version"},
		},
		"blank after trimming": {
			team: "team", region: "region", appID: 1,
			in:     &Install{MarketURL: " ", MarketDomain: "\t", AppModelID: "\n", AppModelVersion: "  "},
			fields: []string{"market_url", "market_domain", "app_model_id", "app_model_version"},
		},
		"nil body":        {team: "team", region: "region", appID: 1, in: nil, fields: []string{"body"}},
		"negative app id": {team: "team", region: "region", appID: -3, in: validInstall(), fields: []string{"app_id"}},
		"path escape":     {team: "../admin", region: "r/../x", appID: 1, in: validInstall(), fields: []string{"team_id", "region_name"}},
		"query injection": {team: "t?x=1", region: "r#frag", appID: 1, in: validInstall(), fields: []string{"team_id", "region_name"}},
		"encoded dots":    {team: "%2e%2e", region: "%2F", appID: 1, in: validInstall(), fields: []string{"team_id", "region_name"}},
		"dot segments":    {team: ".", region: "..", appID: 1, in: validInstall(), fields: []string{"team_id", "region_name"}},
		"spaces":          {team: "my team", region: " region", appID: 1, in: validInstall(), fields: []string{"team_id", "region_name"}},
		"invalid utf8":    {team: "t\xff", region: "region", appID: 1, in: validInstall(), fields: []string{"team_id"}},
		"too long a path": {team: strings.Repeat("t", 65), region: strings.Repeat("r", 65), appID: 1, in: validInstall(), fields: []string{"team_id", "region_name"}},
		"NUL characters": {
			team: "team", region: "region", appID: 1,
			in:     &Install{MarketURL: "https://s\x00", MarketDomain: "d", AppModelID: "i\x00", AppModelVersion: "v", MarketAccessKey: NewSecret("k\x00")},
			fields: []string{"market_url", "app_model_id", "market_access_key"},
		},
		"blank to Python's strip": {
			team: "team", region: "region", appID: 1,
			in:     &Install{MarketURL: "\x1c\x1d", MarketDomain: "\x1e\x1f \u3000", AppModelID: "\u00a0", AppModelVersion: "\u2028"},
			fields: []string{"market_url", "market_domain", "app_model_id", "app_model_version"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			answer(mt, newRecorder(200, `{}`))
			res, resp, err := c.Apps.InstallFromMarket(context.Background(), tc.team, tc.region, tc.appID, tc.in, nil)
			assert.Nil(t, res)
			assert.Nil(t, resp)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Field)
			}
			assert.ElementsMatch(t, tc.fields, got)
			assert.Zero(t, mt.GetTotalCallCount(), "no request leaves the process")
			assert.NotContains(t, err.Error(), strings.Repeat("k", 65), "a secret value is never echoed")
		})
	}
}

func TestInstallValidationCountsCharactersLikeTheConsole(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	answer(mt, newRecorder(200, readFixture(t, "console/install.json")))
	in := validInstall()
	in.AppModelVersion = strings.Repeat("版", 64) // 64 characters, 192 bytes
	in.MarketDomain = "  rainbond  "             // trimmed by the console
	// 64 characters once Python's strip() has removed the separators
	// Go's TrimSpace keeps.
	in.AppModelID = "\x1c" + strings.Repeat("i", 64) + "\x1f"
	_, _, err := c.Apps.InstallFromMarket(context.Background(), "团队", "region_1-a", 1, in, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestNonASCIIPathSegmentsAreEscaped(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "console/install.json"))
	answer(mt, rec)
	_, _, err := c.Apps.InstallFromMarket(context.Background(), "团队", "region", 9, validInstall(), nil)
	require.NoError(t, err)
	assert.Equal(t, "/openapi/v1/teams/%E5%9B%A2%E9%98%9F/regions/region/apps/9/install", rec.only(t).Path)
}

func TestCopyValidationListsEveryProblemAndSendsNothing(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		cp     *AppCopyC
		fields []string
	}{
		"nil body": {nil, []string{"body"}},
		"empty target": {
			&AppCopyC{Services: []AppCopyModify{{ServiceID: "s1"}}},
			[]string{"target_team_name", "target_region_name", "target_app_id"},
		},
		"bad services": {
			&AppCopyC{
				Services: []AppCopyModify{
					{ServiceID: ""},
					{ServiceID: strings.Repeat("x", 33)},
					{ServiceID: "s1"},
					{ServiceID: "s1"},
					{ServiceID: "s2", Change: &AppCopyChange{BuildSource: &AppCopyBuildSource{Version: Ptr("")}}},
					{ServiceID: "s3", Change: &AppCopyChange{BuildSource: &AppCopyBuildSource{Version: Ptr(strings.Repeat("v", 33))}}},
					{ServiceID: "s4", Change: &AppCopyChange{Envs: map[string]string{" ": "x"}}},
				},
				TargetTeamName: strings.Repeat("t", 65), TargetRegionName: strings.Repeat("r", 65), TargetAppID: -1,
			},
			[]string{
				"services[0].service_id", "services[1].service_id", "services[3].service_id",
				"services[4].change.build_source.version", "services[5].change.build_source.version",
				"services[6].change.envs", "target_team_name", "target_region_name", "target_app_id",
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			answer(mt, newRecorder(200, `{"services": []}`))
			res, resp, err := c.Apps.CopyApp(context.Background(), "team", "region", 1, tc.cp)
			assert.Nil(t, res)
			assert.Nil(t, resp)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Field)
			}
			assert.ElementsMatch(t, tc.fields, got)
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

// The copy body is used by the console exactly as sent: what the client
// checks is what it sends, or it refuses the value.
func TestCopyValuesAreCheckedAsTheyAreSent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, `{"services": []}`)
	answer(mt, rec)
	ok := validCopy()
	ok.TargetTeamName, ok.TargetRegionName = strings.Repeat("t", 64), strings.Repeat("r", 64)
	_, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 1, ok)
	require.NoError(t, err, "the columns hold 64 characters; the serializer's 32 is never enforced")
	assert.JSONEq(t, `"`+strings.Repeat("t", 64)+`"`, string(mustMember(t, rec.only(t).Body, "target_team_name")))

	for name, mod := range map[string]func(*AppCopyC){
		"padded service id":   func(cp *AppCopyC) { cp.Services[0].ServiceID = " " + cp.Services[0].ServiceID },
		"padded team":         func(cp *AppCopyC) { cp.TargetTeamName += "\n" },
		"separator in region": func(cp *AppCopyC) { cp.TargetRegionName = "\x1f" + cp.TargetRegionName },
		"NUL in an env":       func(cp *AppCopyC) { cp.Services[0].Change = &AppCopyChange{Envs: map[string]string{"A": "\x00"}} },
	} {
		cp := validCopy()
		mod(cp)
		_, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 1, cp)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, name)
	}
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// The one member the console trims itself, the build version, is sent
	// as given and checked trimmed.
	cp := validCopy()
	cp.Services[0].Change = &AppCopyChange{BuildSource: &AppCopyBuildSource{Version: Ptr(" v2 ")}}
	_, _, err = c.Apps.CopyApp(context.Background(), "team", "region", 1, cp)
	require.NoError(t, err)
}

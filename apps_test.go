package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInstallFromMarketSendsExactlyTheConsolesRequest(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "console/install.json"))
	answer(mt, rec)

	_, resp, err := c.Apps.InstallFromMarket(context.Background(), "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", "rainbond", 42, validInstall(), nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)

	got := rec.only(t)
	assert.Equal(t, "POST", got.Method)
	assert.Equal(t, "/openapi/v1/teams/5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b/regions/rainbond/apps/42/install", got.Path)
	assert.Empty(t, got.RawQuery, "no deploy: is_deploy is left out")
	assert.Equal(t, []string{testToken}, got.Header["Authorization"])
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	assert.Equal(t, "rainbond-go/"+Version, got.Header.Get("User-Agent"))
	assert.JSONEq(t, `{
		"market_url": "https://store.goodrain.com",
		"market_domain": "rainbond",
		"market_type": "rainstore",
		"market_access_key": "`+testKey+`",
		"app_model_id": "a9a2c3e4f5b6478899aabbccddeeff00",
		"app_model_version": "1.2.0"
	}`, string(got.Body))
}

func TestInstallWithoutKeyOrTypeSendsNullKeyAndDefaultType(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "console/install.json"))
	answer(mt, rec)
	in := validInstall()
	in.MarketAccessKey, in.MarketType = NewSecret(""), ""

	_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, in, nil)
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.only(t).Body, &body))
	v, present := body["market_access_key"]
	assert.True(t, present, "the console requires the member")
	assert.Nil(t, v, "null, never \"\"")
	assert.Equal(t, "rainstore", body["market_type"])
	assert.Empty(t, in.MarketType, "the caller's struct is not changed")
}

func TestInstallDeploySendsIsDeployTrueAndNeverFalse(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		opts  *InstallOptions
		query string
	}{
		"deploy":         {&InstallOptions{Deploy: true}, "is_deploy=true"},
		"explicit false": {&InstallOptions{Deploy: false}, ""},
		"nil options":    {nil, ""},
		"zero options":   {&InstallOptions{}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := newRecorder(200, readFixture(t, "console/install.json"))
			answer(mt, rec)
			_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), tc.opts)
			require.NoError(t, err)
			got := rec.only(t)
			assert.Equal(t, tc.query, got.RawQuery)
			assert.NotContains(t, got.RawQuery, "false", "the console deploys on is_deploy=false")
		})
	}
}

// The seed document's example misspells the group id's key with a leading
// space: the real console never sends that, so it is an unknown member,
// kept raw, and the group id stays 0.
func TestInstallDecodesTheSeedExampleResponse(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "seed_install_response.json"))
	got, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	require.NoError(t, err)
	require.Len(t, got.ServiceList, 1)
	s := got.ServiceList[0]
	assert.Equal(t, "string", got.Note)
	assert.Equal(t, 3, s.Creator)
	assert.Equal(t, 3, s.OAuthServiceID)
	assert.True(t, s.IsUpgrade)
	assert.Zero(t, s.TenantServiceGroupID)
	assert.Equal(t, map[string]json.RawMessage{" tenant_service_group_id": json.RawMessage("3")}, s.Extra)
}

func TestCopyAppSendsTheObjectTheConsoleReads(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "seed_copy_response.json"))
	answer(mt, rec)
	cp := validCopy()
	cp.Services = append(cp.Services, AppCopyModify{
		ServiceID: "f9e8d7c6b5a4938271605f4e3d2c1b0a",
		Change: &AppCopyChange{
			BuildSource: &AppCopyBuildSource{Version: Ptr("v2.1")},
			Envs:        map[string]string{"DB_HOST": "DATABASE_HOST"},
		},
	})

	res, resp, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, cp)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, res.Services, 1)

	got := rec.only(t)
	assert.Equal(t, "POST", got.Method)
	assert.Equal(t, "/openapi/v1/teams/team/regions/region/apps/3/copy", got.Path)
	assert.Empty(t, got.RawQuery)
	assert.Equal(t, []string{testToken}, got.Header["Authorization"])
	assert.JSONEq(t, `{
		"services": [
			{"service_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
			{"service_id": "f9e8d7c6b5a4938271605f4e3d2c1b0a",
			 "change": {"build_source": {"version": "v2.1"}, "envs": {"DB_HOST": "DATABASE_HOST"}}}
		],
		"target_team_name": "o19p6wen",
		"target_region_name": "rainbond",
		"target_app_id": 7
	}`, string(got.Body))
}

func TestCopyAppSendsANullVersionToKeepTheSources(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, `{"services": []}`)
	answer(mt, rec)
	cp := validCopy()
	cp.Services[0].Change = &AppCopyChange{BuildSource: &AppCopyBuildSource{}}
	_, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, cp)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"service_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "change": {"build_source": {"version": null}}}]`,
		string(mustMember(t, rec.only(t).Body, "services")))
}

func TestCopyAllComponentsSendsAnEmptyListDeliberately(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "seed_copy_response.json"))
	answer(mt, rec)
	cp := validCopy()
	cp.Services = nil

	_, _, err := c.Apps.CopyAllComponents(context.Background(), "team", "region", 3, cp)
	require.NoError(t, err)
	assert.JSONEq(t, `[]`, string(mustMember(t, rec.only(t).Body, "services")))
	assert.Nil(t, cp.Services, "the caller's struct is not changed")
}

func TestCopyAppRefusesAnEmptyListThatWouldCopyEverything(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	cp := validCopy()
	cp.Services = []AppCopyModify{}
	_, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, cp)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.True(t, ve.Has("services"))
	assert.Contains(t, err.Error(), "CopyAllComponents")
	assert.Zero(t, mt.GetTotalCallCount())

	cp = validCopy()
	_, _, err = c.Apps.CopyAllComponents(context.Background(), "team", "region", 3, cp)
	require.True(t, errors.As(err, &ve), "a list given to CopyAllComponents is a mistake too")
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestCopyDecodesTheSeedExampleResponse(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "seed_copy_response.json"))
	res, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, validCopy())
	require.NoError(t, err)
	require.Len(t, res.Services, 1)
	s := res.Services[0]
	assert.Equal(t, 3, s.TenantServiceGroupID)
	assert.Equal(t, "string", s.ServiceSource)
	assert.Nil(t, s.Extra, "the copy seed spells every key as the console does")
}

func TestKeepRawBodyKeepsTheSuccessBody(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	body := readFixture(t, "console/install.json")
	answer(mt, newRecorder(200, body))

	_, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	require.NoError(t, err)
	assert.Nil(t, resp.Body, "not kept by default")
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))

	_, resp, err = c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil, KeepRawBody())
	require.NoError(t, err)
	assert.Equal(t, body, string(resp.Body))
}

func mustMember(t *testing.T, body []byte, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	v, ok := m[name]
	require.True(t, ok, "member %q", name)
	return v
}

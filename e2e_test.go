package rainbond_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// fakeConsole starts a fake console and a client for it.
func fakeConsole(t *testing.T, opts ...rainbond.Option) (*rainbondtest.Server, *rainbond.Client, rainbondtest.Seed) {
	t.Helper()
	srv := rainbondtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := rainbond.NewClient(srv.URL, append([]rainbond.Option{rainbond.WithToken(srv.Token)}, opts...)...)
	require.NoError(t, err)
	return srv, c, srv.Seed()
}

func wordpress(seed rainbondtest.Seed, version string) *rainbond.Install {
	return &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain,
		AppModelID: seed.WordPress.ID, AppModelVersion: version,
	}
}

func TestE2EInstallCreatesANewComponentGroupEveryTime(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()

	first, resp, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantName, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, seed.TeamA.TenantID, first.TeamID, "team_id is the tenant_id even when the path used the name")
	require.Len(t, first.ServiceList, 2)
	assert.Len(t, first.NewComponents(), 2)

	second, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.5"), &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	require.Len(t, second.ServiceList, 4, "every component of the app, old and new")
	fresh := second.NewComponents()
	require.Len(t, fresh, 2)
	old := map[string]bool{}
	for _, s := range first.ServiceList {
		old[s.ServiceID] = true
	}
	for _, s := range fresh {
		assert.False(t, old[s.ServiceID], "a second install creates new components with fresh ids")
		assert.NotEqual(t, first.ServiceList[0].TenantServiceGroupID, s.TenantServiceGroupID)
	}
	states := map[string]string{}
	for _, comp := range srv.Components(seed.AppA.ID) {
		states[comp.ServiceID] = comp.Status
	}
	assert.Equal(t, "undeploy", states[first.ServiceList[0].ServiceID])
	assert.Equal(t, "running", states[fresh[0].ServiceID], "deploy sends is_deploy=true")
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.RawQuery, "false")
		assert.Equal(t, srv.Token, r.Header.Get("Authorization"))
	}
}

func TestE2ECopyCreatesDeployedCopiesInTheTarget(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	installed, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), nil)
	require.NoError(t, err)
	wp, db := installed.ServiceList[0], installed.ServiceList[1]

	res, _, err := c.Apps.CopyApp(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.AppCopyC{
		Services: []rainbond.AppCopyModify{
			{ServiceID: wp.ServiceID, Change: &rainbond.AppCopyChange{BuildSource: &rainbond.AppCopyBuildSource{Version: rainbond.Ptr("6.4-php8.3")}}},
			{ServiceID: db.ServiceID},
		},
		TargetTeamName: seed.TeamB.TenantName, TargetRegionName: "rainbond", TargetAppID: seed.AppB.ID,
	})
	require.NoError(t, err)
	require.Len(t, res.Services, 2, "only the new copies")
	assert.Equal(t, "wordpress-copy", res.Services[0].ServiceCname)
	assert.Equal(t, "goodrain.me/wordpress:6.4-php8.3", res.Services[0].Image, "change.build_source.version sets the image tag")
	assert.Equal(t, "mysql-copy", res.Services[1].ServiceCname)
	assert.Equal(t, seed.TeamB.TenantID, res.Services[1].TenantID)
	for _, comp := range srv.Components(seed.AppB.ID) {
		assert.Equal(t, "running", comp.Status, "copies are always deployed")
	}

	again, _, err := c.Apps.CopyApp(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.AppCopyC{
		Services:       []rainbond.AppCopyModify{{ServiceID: db.ServiceID}},
		TargetTeamName: seed.TeamB.TenantName, TargetRegionName: "rainbond", TargetAppID: seed.AppB.ID,
	})
	require.NoError(t, err)
	require.Len(t, again.Services, 1)
	assert.Equal(t, "mysql-"+again.Services[0].ServiceAlias, again.Services[0].K8sComponentName, "a clashing cluster name gets the alias")
	assert.Len(t, srv.Components(seed.AppB.ID), 3, "a second copy creates new components")
}

func TestE2ECopyAllComponentsCopiesTheWholeApp(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	_, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.5"), nil)
	require.NoError(t, err)
	res, _, err := c.Apps.CopyAllComponents(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.AppCopyC{
		TargetTeamName: seed.TeamA.TenantName, TargetRegionName: "region-b", TargetAppID: mustApp(t, srv, seed.TeamA.TenantID, "region-b").ID,
	})
	require.NoError(t, err)
	assert.Len(t, res.Services, 2)
}

func mustApp(t *testing.T, srv *rainbondtest.Server, team, region string) rainbondtest.App {
	t.Helper()
	a, err := srv.AddApp(rainbondtest.App{TenantID: team, RegionName: region})
	require.NoError(t, err)
	return a
}

// Every error path of install and copy on the fake console, through the SDK.
func TestE2EErrorPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type call func(c *rainbond.Client, srv *rainbondtest.Server, seed rainbondtest.Seed) error
	install := func(team, region string, app int64, in func(rainbondtest.Seed) *rainbond.Install) call {
		return func(c *rainbond.Client, srv *rainbondtest.Server, seed rainbondtest.Seed) error {
			if team == "" {
				team = seed.TeamA.TenantID
			}
			if app == 0 {
				app = seed.AppA.ID
			}
			_, _, err := c.Apps.InstallFromMarket(ctx, team, region, app, in(seed), nil)
			return err
		}
	}
	good := func(s rainbondtest.Seed) *rainbond.Install { return wordpress(s, "6.4") }
	copyOf := func(mod func(rainbondtest.Seed, *rainbond.AppCopyC) int64) call {
		return func(c *rainbond.Client, srv *rainbondtest.Server, seed rainbondtest.Seed) error {
			installed, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), nil)
			if err != nil {
				return err
			}
			cp := &rainbond.AppCopyC{
				Services:       []rainbond.AppCopyModify{{ServiceID: installed.ServiceList[0].ServiceID}},
				TargetTeamName: seed.TeamB.TenantName, TargetRegionName: "rainbond", TargetAppID: seed.AppB.ID,
			}
			source := mod(seed, cp)
			_, _, err = c.Apps.CopyApp(ctx, seed.TeamA.TenantID, "rainbond", source, cp)
			return err
		}
	}
	for name, tc := range map[string]struct {
		token  string
		run    call
		is     error
		status int
		code   int
	}{
		"wrong token":    {token: "wrong-token", run: install("", "rainbond", 0, good), is: rainbond.ErrUnauthorized, status: 401, code: 401},
		"unknown team":   {run: install("nosuchteam", "rainbond", 0, good), is: rainbond.ErrNotFound, status: 404, code: 404},
		"unknown region": {run: install("", "nowhere", 0, good), is: rainbond.ErrNotFound, status: 404, code: 3000},
		"unknown app":    {run: install("", "rainbond", 999, good), is: rainbond.ErrNotFound, status: 404, code: 404},
		"app of another team": {run: func(c *rainbond.Client, srv *rainbondtest.Server, seed rainbondtest.Seed) error {
			_, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppB.ID, wordpress(seed, "6.4"), nil)
			return err
		}, is: rainbond.ErrNotFound, status: 404, code: 404},
		"unknown model": {run: install("", "rainbond", 0, func(s rainbondtest.Seed) *rainbond.Install {
			in := wordpress(s, "6.4")
			in.AppModelID = "nosuchmodel"
			return in
		}), is: rainbond.ErrNotFound, status: 404, code: 404},
		"unknown version": {run: install("", "rainbond", 0, func(s rainbondtest.Seed) *rainbond.Install { return wordpress(s, "9.9") }), is: rainbond.ErrNotFound, status: 404, code: 404},
		"team not opened in the region": {run: func(c *rainbond.Client, srv *rainbondtest.Server, seed rainbondtest.Seed) error {
			a := mustApp(t, srv, seed.TeamB.TenantID, "region-b")
			_, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamB.TenantID, "region-b", a.ID, wordpress(seed, "6.4"), nil)
			return err
		}, is: rainbond.ErrConflict, status: 409, code: 2001},
		"store refuses the key": {run: func(c *rainbond.Client, srv *rainbondtest.Server, seed rainbondtest.Seed) error {
			require.NoError(t, srv.AddStore(rainbondtest.Store{Domain: "private", URL: "https://private.example.com", AccessKey: "right-key", Models: []rainbondtest.AppModel{seed.Redis}}))
			_, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
				MarketURL: "https://private.example.com", MarketDomain: "private", MarketAccessKey: rainbond.NewSecret("wrong-key"),
				AppModelID: seed.Redis.ID, AppModelVersion: "7.2",
			}, nil)
			return err
		}, is: rainbond.ErrStoreUnauthorized, status: 401, code: 10421},
		"store forbids the model": {run: func(c *rainbond.Client, srv *rainbondtest.Server, seed rainbondtest.Seed) error {
			m := seed.Redis
			m.Restricted = true
			require.NoError(t, srv.AddStore(rainbondtest.Store{Domain: "vip", URL: "https://vip.example.com", Models: []rainbondtest.AppModel{m}}))
			_, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
				MarketURL: "https://vip.example.com", MarketDomain: "vip", AppModelID: m.ID, AppModelVersion: "7.2",
			}, nil)
			return err
		}, is: rainbond.ErrForbidden, status: 403, code: 10407},
		"unreachable store": {run: install("", "rainbond", 0, func(s rainbondtest.Seed) *rainbond.Install {
			in := wordpress(s, "6.4")
			in.MarketURL = "https://nowhere.example.com"
			return in
		}), is: rainbond.ErrServer, status: 500, code: 10401},
		"copy target team unknown": {run: copyOf(func(s rainbondtest.Seed, cp *rainbond.AppCopyC) int64 {
			cp.TargetTeamName = "nobody"
			return s.AppA.ID
		}), is: rainbond.ErrNotFound, status: 404, code: 404},
		"copy target team not in region": {run: copyOf(func(s rainbondtest.Seed, cp *rainbond.AppCopyC) int64 {
			cp.TargetRegionName = "region-b"
			return s.AppA.ID
		}), is: rainbond.ErrNotFound, status: 404, code: 404},
		"copy target app unknown": {run: copyOf(func(s rainbondtest.Seed, cp *rainbond.AppCopyC) int64 {
			cp.TargetAppID = 999
			return s.AppA.ID
		}), is: rainbond.ErrNotFound, status: 404, code: 404},
		"copy target app of another team": {run: copyOf(func(s rainbondtest.Seed, cp *rainbond.AppCopyC) int64 {
			cp.TargetAppID = s.AppA.ID
			return s.AppA.ID
		}), is: rainbond.ErrBadRequest, status: 400, code: 400},
		"copy unknown component": {run: copyOf(func(s rainbondtest.Seed, cp *rainbond.AppCopyC) int64 {
			cp.Services[0].ServiceID = "0123456789abcdef0123456789abcdef"
			return s.AppA.ID
		}), is: rainbond.ErrServer, status: 500, code: 10401},
		"copy from an app that does not exist": {run: copyOf(func(s rainbondtest.Seed, cp *rainbond.AppCopyC) int64 {
			return 999
		}), is: rainbond.ErrServer, status: 500, code: 10401},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := rainbondtest.NewServer()
			defer srv.Close()
			token := srv.Token
			if tc.token != "" {
				token = tc.token
			}
			c, err := rainbond.NewClient(srv.URL, rainbond.WithToken(token))
			require.NoError(t, err)
			err = tc.run(c, srv, srv.Seed())
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.is)
			var apiErr *rainbond.APIError
			require.True(t, errors.As(err, &apiErr), "%T %v", err, err)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.NotEmpty(t, apiErr.Msg)
			assert.NotContains(t, err.Error(), "Traceback")
			assert.NotContains(t, err.Error(), srv.Token)
			if tc.status == 500 {
				assert.True(t, strings.HasPrefix(apiErr.MsgShow, "Traceback"), "the traceback stays reachable")
			}
		})
	}
}

// jsonCodecDropping is a codec that drops a member from request bodies,
// standing in for an older client: it is the only way through the SDK's
// own validation to the console's 400.
type jsonCodecDropping struct{ member string }

func (d jsonCodecDropping) Marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	delete(m, d.member)
	return json.Marshal(m)
}

func (jsonCodecDropping) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

func TestE2EConsoleValidationErrorsReachTheCaller(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t, rainbond.WithJSONCodec(jsonCodecDropping{member: "market_access_key"}))
	_, _, err := c.Apps.InstallFromMarket(context.Background(), seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), nil)
	assert.ErrorIs(t, err, rainbond.ErrBadRequest)
	var apiErr *rainbond.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, 20400, apiErr.Code)
	assert.Equal(t, map[string][]string{"market_access_key": {"该字段是必填项。"}}, apiErr.FieldErrors)
	assert.Contains(t, err.Error(), "market_access_key: 该字段是必填项。")
	assert.Empty(t, srv.Components(seed.AppA.ID))
}

// TestOneClientSharedBy64Goroutines is meant for -race: one Client, many
// concurrent installs and copies against the fake console.
func TestOneClientSharedBy64Goroutines(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	base, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), nil)
	require.NoError(t, err)
	source := base.ServiceList[0].ServiceID

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, _, err = c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), &rainbond.InstallOptions{Deploy: i%4 == 0})
			} else {
				_, _, err = c.Apps.CopyApp(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.AppCopyC{
					Services:       []rainbond.AppCopyModify{{ServiceID: source}},
					TargetTeamName: seed.TeamB.TenantName, TargetRegionName: "rainbond", TargetAppID: seed.AppB.ID,
				})
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Len(t, srv.Components(seed.AppA.ID), 2+32*2, "32 installs of 2 components each")
	assert.Len(t, srv.Components(seed.AppB.ID), 32, "32 copies")
	assert.Len(t, srv.Requests(), 65, "each call sent exactly once")
}

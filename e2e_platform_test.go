package rainbond_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The platform calls against the fake console, which answers as the
// console's views do.

func TestE2EPingTellsTheFailuresApart(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeConsole(t)
	ctx := context.Background()
	res, err := c.Ping(ctx)
	require.NoError(t, err)
	assert.Equal(t, "admin", res.User.NickName)
	assert.NotEmpty(t, res.ConsoleVersion)

	wrong, err := rainbond.NewClient(srv.URL, rainbond.WithToken("0123456789abcdef0123"))
	require.NoError(t, err)
	_, err = wrong.Ping(ctx)
	assert.ErrorIs(t, err, rainbond.ErrUnauthorized)

	misplaced, err := rainbond.NewClient(srv.URL+"/console", rainbond.WithToken(srv.Token))
	require.NoError(t, err)
	_, err = misplaced.Ping(ctx)
	assert.ErrorIs(t, err, rainbond.ErrNoOpenAPI)

	for version, want := range map[string]error{"v5.10.0": rainbond.ErrUnsupported, "v6.2.0": rainbond.ErrCurrentUserBroken} {
		old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion(version))
		oc, err := rainbond.NewClient(old.URL, rainbond.WithToken(old.Token))
		require.NoError(t, err)
		_, err = oc.Ping(ctx)
		assert.ErrorIs(t, err, want, version)
		bad, err := rainbond.NewClient(old.URL, rainbond.WithToken("0123456789abcdef0123"))
		require.NoError(t, err)
		_, err = bad.Ping(ctx)
		assert.ErrorIs(t, err, rainbond.ErrUnauthorized, "%s: a bad token is told even where currentuser cannot say", version)
		old.Close()
	}
}

func TestE2EUsersFromCreateToDelete(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeConsole(t)
	ctx := context.Background()
	user, _, err := c.Users.Create(ctx, &rainbond.UserCreate{NickName: "alice", Password: rainbond.NewSecret("first-pass"), Email: "alice@example.com"})
	require.NoError(t, err)
	assert.Equal(t, "alice", user.NickName)
	assert.True(t, srv.CheckPassword(int(user.UserID), "first-pass"))

	_, _, err = c.Users.Create(ctx, &rainbond.UserCreate{NickName: "alice", Password: rainbond.NewSecret("other-pass"), Email: "alice2@example.com"})
	assert.ErrorIs(t, err, rainbond.ErrUserExists)

	email := "alice@corp.example.com"
	updated, _, err := c.Users.Update(ctx, user.UserID, &rainbond.UserUpdate{Email: &email, Password: rainbond.NewSecret("second-pass")})
	require.NoError(t, err)
	assert.Equal(t, email, updated.Email)
	assert.True(t, srv.CheckPassword(int(user.UserID), "second-pass"), "the password is hashed with the new email")

	_, err = c.Users.SetPassword(ctx, user.UserID, rainbond.NewSecret("third-pass"))
	require.NoError(t, err)
	assert.True(t, srv.CheckPassword(int(user.UserID), "third-pass"))

	var names []string
	for u, err := range c.Users.All(ctx, &rainbond.ListOptions{PageSize: 1}) {
		require.NoError(t, err)
		names = append(names, u.NickName)
	}
	assert.ElementsMatch(t, []string{"admin", "alice"}, names)

	_, err = c.Admins.Add(ctx, user.UserID, "")
	require.NoError(t, err)
	var admins []int64
	for a, err := range c.Admins.All(ctx, "") {
		require.NoError(t, err)
		admins = append(admins, a.UserID)
	}
	assert.Contains(t, admins, user.UserID)
	_, err = c.Admins.Remove(ctx, user.UserID)
	require.NoError(t, err)
	me, _, err := c.Users.Me(ctx)
	require.NoError(t, err)
	_, err = c.Admins.Remove(ctx, me.UserID)
	assert.ErrorIs(t, err, rainbond.ErrRemoveSelf)

	_, err = c.Users.Delete(ctx, user.UserID)
	require.NoError(t, err)
	_, _, err = c.Users.Get(ctx, user.UserID)
	assert.ErrorIs(t, err, rainbond.ErrNotFound)
	_, err = c.Users.StopTeams(ctx, user.UserID)
	assert.ErrorIs(t, err, rainbond.ErrNotFound, "checked first: the console answers a bare 500")
}

func TestE2ETeamsSettingsAndUse(t *testing.T) {
	t.Parallel()
	_, c, seed := fakeConsole(t)
	ctx := context.Background()
	ensured, err := c.Teams.Ensure(ctx, &rainbond.TeamEnsure{Name: "Payments", Regions: []string{"rainbond"}})
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeCreated, ensured.Outcome)
	again, err := c.Teams.Ensure(ctx, &rainbond.TeamEnsure{Name: "Payments", Regions: []string{"rainbond"}})
	require.NoError(t, err)
	assert.Equal(t, rainbond.OutcomeUnchanged, again.Outcome)
	assert.Equal(t, ensured.Team.TenantID, again.Team.TenantID)

	alias := "Payments EU"
	team, _, err := c.Teams.Update(ctx, ensured.Team.TenantName, &rainbond.TeamUpdate{Alias: &alias})
	require.NoError(t, err, "by tenant_name: the SDK finds the tenant_id")
	assert.Equal(t, alias, team.TenantAlias)

	_, _, err = c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantName, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	use, _, err := c.Teams.Usage(ctx, seed.TeamA.TenantID, "rainbond")
	require.NoError(t, err)
	// The seed's WordPress 6.4: wordpress 2 × 512 MiB, mysql 1 × 1024 MiB,
	// on a region of 65536 MiB (rainbondtest's default capacity).
	assert.Equal(t, int64(2048), use.UsedMemory)
	assert.Equal(t, int64(65536), use.TotalMemory)
	over, _, err := c.Teams.Overview(ctx, seed.TeamA.TenantID, "rainbond")
	require.NoError(t, err)
	assert.Equal(t, 2, over.Components)

	both, _, err := c.Teams.UsageOf(ctx, []rainbond.TeamRegionRef{{TeamID: seed.TeamA.TenantID, RegionName: "rainbond"}, {TeamID: ensured.Team.TenantID, RegionName: "region-b"}})
	require.NoError(t, err)
	require.NotNil(t, both[0].Usage)
	assert.Equal(t, int64(2048), both[0].Usage.UsedMemory)
	assert.Nil(t, both[1].Usage, "the new team is not opened in region-b: the console drops the pair")
}

func TestE2ERegionsAreCreatedByAdministratorsOnly(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeConsole(t)
	ctx := context.Background()
	in := &rainbond.RegionCreate{Name: "eu", Alias: "EU", URL: "https://10.0.0.9:8443", WsURL: "wss://10.0.0.9:6060", HTTPDomain: "eu.example.com", TCPDomain: "10.0.0.9",
		KeyFile: rainbond.NewSecret("-----BEGIN PRIVATE KEY-----\nMC4CAQA=\n-----END PRIVATE KEY-----\n")}

	_, userToken, err := srv.AddUser(rainbondtest.User{NickName: "bob", Password: "bob-password"})
	require.NoError(t, err)
	bob, err := rainbond.NewClient(srv.URL, rainbond.WithToken(userToken))
	require.NoError(t, err)
	_, _, err = bob.Regions.Create(ctx, in)
	assert.ErrorIs(t, err, rainbond.ErrForbidden)

	srv.SetClusterReachable(in.URL, false)
	_, _, err = c.Regions.Create(ctx, in)
	assert.ErrorIs(t, err, rainbond.ErrBadRequest, "the console tests the cluster's API first")
	srv.SetClusterReachable(in.URL, true)
	created, _, err := c.Regions.Create(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, "eu", created.RegionName)
	assert.Equal(t, strings.TrimSpace(in.KeyFile.Value()), created.KeyFile.Value(), "stored trimmed, as DRF does")

	_, _, err = c.Regions.Get(ctx, "eu", nil)
	assert.ErrorIs(t, err, rainbond.ErrBadRequest, "without certificates, the console's answer fails its own check")
	in.Name, in.SSLCACert, in.CertFile = "eu-tls", "CA PEM", "CERT PEM"
	_, _, err = c.Regions.Create(ctx, in)
	require.NoError(t, err)
	got, _, err := bob.Regions.Get(ctx, "eu-tls", &rainbond.RegionGetOptions{WithUsage: true})
	require.NoError(t, err, "any user may read a region")
	assert.Equal(t, "ok", got.HealthStatus)
	assert.Positive(t, got.TotalCPU)
}

func TestE2EMonitoringSurvivesTheConsolesPasting(t *testing.T) {
	t.Parallel()
	srv, c, seed := fakeConsole(t)
	ctx := context.Background()
	// '+', '&' and '#' reach Prometheus whole only if the query is encoded
	// twice: cut or turned into spaces, the selector would not parse.
	res, _, err := c.Monitor.Query(ctx, "rainbond", `up{job!="a+b&c#d"}`)
	require.NoError(t, err)
	assert.Len(t, res.Series, 2)
	res, _, err = c.Monitor.Query(ctx, "rainbond", `up{job=~"api|db"}`)
	require.NoError(t, err)
	assert.Equal(t, "vector", res.Type)
	assert.Len(t, res.Series, 2)

	end := time.Now()
	res, _, err = c.Monitor.QueryRange(ctx, "rainbond", `up{job="api"}`, end.Add(-10*time.Minute), end, time.Minute)
	require.NoError(t, err)
	require.Len(t, res.Series, 1)
	assert.GreaterOrEqual(t, len(res.Series[0].Samples), 10)
	assert.Equal(t, 1.0, res.Series[0].Samples[0].Value)

	_, _, err = c.Monitor.Query(ctx, "nowhere", "up")
	assert.ErrorIs(t, err, rainbond.ErrNotFound)

	installed, _, err := c.Apps.InstallFromMarket(ctx, seed.TeamA.TenantName, "rainbond", seed.AppA.ID, wordpress(seed, "6.4"), &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	web := installed.ServiceList[0].ServiceID
	require.NoError(t, srv.EnablePerformanceAnalysis(web))
	metrics, _, err := c.Apps.AppMetrics(ctx, seed.TeamA.TenantName, "rainbond", seed.AppA.ID, false)
	require.NoError(t, err)
	require.Len(t, metrics, 1, "only the component with the plugin")
	assert.Equal(t, web, metrics[0].ServiceID)
	assert.NotEmpty(t, metrics[0].Metrics[rainbond.AppRequestTime])
	series, _, err := c.Monitor.QueryRange(ctx, "rainbond", rainbond.AppRequestTime.PromQL(web), end.Add(-5*time.Minute), end, time.Minute)
	require.NoError(t, err, "the console's own expression, for the range its route drops")
	assert.NotEmpty(t, series.Series)

	counts, _, err := c.Monitor.ComponentCounts(ctx, "rainbond")
	require.NoError(t, err)
	assert.Equal(t, 2, counts.Running)
	over, _, err := c.Monitor.Overview(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, over.Teams)
}

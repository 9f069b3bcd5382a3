package rainbond_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// webComponent creates an image component in the seed's first app, with
// port 80 open inside.
func webComponent(t *testing.T, c *rainbond.Client, seed rainbondtest.Seed) string {
	t.Helper()
	ctx := context.Background()
	created, _, err := c.Components.CreateFromImage(ctx, seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID,
		&rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.25"})
	require.NoError(t, err)
	_, _, err = c.Components.AddPort(ctx, seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID, created.ServiceID,
		&rainbond.PortCreate{Port: 80, IsInnerService: true})
	require.NoError(t, err)
	return created.ServiceID
}

// TestE2EBuildAndExpose is the pipeline of examples/build-and-expose on a
// clock the test moves: the build's event is followed to its end, its
// log line by line, then the port is published under a domain.
func TestE2EBuildAndExpose(t *testing.T) {
	t.Parallel()
	clock := rainbondtest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	srv, c, seed := console(t, rainbondtest.WithClock(clock), rainbondtest.WithTransitionTime(90*time.Second))
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)

	_, err := c.Components.ChangeImage(ctx, team, region, appID, id, "nginx:1.27")
	require.NoError(t, err)
	ev, _, err := c.Components.Build(ctx, team, region, appID, id, nil)
	require.NoError(t, err)

	var lines []string
	done := make(chan error, 1)
	go func() {
		_, err := c.Components.WaitForEvent(ctx, team, region, appID, id, ev.EventID, &rainbond.EventWaitOptions{
			Interval: 10 * time.Millisecond, MaxInterval: 10 * time.Millisecond,
			Logs: func(l rainbond.EventLogLine, err error) { lines = append(lines, l.Message) },
		})
		done <- err
	}()
	polls := func() int { return countRequests(srv, "/events") }
	for step := range 3 {
		start := polls()
		require.Eventually(t, func() bool { return polls() >= start+3 }, 10*time.Second, time.Millisecond, "step %d", step)
		clock.Advance(30 * time.Second)
	}
	require.NoError(t, <-done)
	assert.Equal(t, []string{"Start build-service of web", "Pulling nginx:1.27", "Image nginx:1.27 ready", "Build and deploy finished"}, lines)

	_, _, err = c.Components.UpdatePort(ctx, team, region, appID, id, 80, &rainbond.PortUpdate{Action: rainbond.PortOpenOuter})
	require.NoError(t, err)
	rule, _, err := c.Gateway.CreateHTTPRule(ctx, team, region, appID, &rainbond.HTTPRuleCreate{ServiceID: id, ContainerPort: 80, DomainName: "shop.example.com"})
	require.NoError(t, err)
	assert.Equal(t, "http://shop.example.com/", rule.URL())
	comp, _, err := c.Components.Get(ctx, team, region, appID, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"http://shop.example.com/"}, comp.AccessInfos)
	assert.Equal(t, "1.27", comp.Version)
	assert.Equal(t, rainbond.ComponentRunning, comp.Status)

	_, err = c.Components.Delete(ctx, team, region, appID, id, nil)
	assert.ErrorIs(t, err, rainbond.ErrConflict, "a running component is not deleted")
	_, _, err = c.Components.DeletePort(ctx, team, region, appID, id, 80)
	assert.Error(t, err, "a port with a domain rule is not deleted")
}

func countRequests(srv *rainbondtest.Server, suffix string) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

func TestE2EBuildFailuresAndGates(t *testing.T) {
	t.Parallel()
	srv, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)

	srv.FailNextBuild(id, "exit status 1")
	ev, _, err := c.Components.Build(ctx, team, region, appID, id, nil)
	require.NoError(t, err)
	_, err = c.Components.WaitForEvent(ctx, team, region, appID, id, ev.EventID, &rainbond.EventWaitOptions{Interval: 10 * time.Millisecond})
	assert.ErrorIs(t, err, rainbond.ErrEventFailed)
	assert.Contains(t, err.Error(), "exit status 1")

	srv.OmitBuildEventIDs(true)
	_, _, err = c.Components.Build(ctx, team, region, appID, id, nil)
	assert.ErrorIs(t, err, rainbond.ErrBuildWithoutEvent)
	srv.OmitBuildEventIDs(false)

	require.NoError(t, srv.SetCreateStatus(id, "creating"))
	_, _, err = c.Components.Build(ctx, team, region, appID, id, nil)
	assert.ErrorIs(t, err, rainbond.ErrComponentNotCreated)
}

func TestE2EEnvsAndTheirPartialOutcomes(t *testing.T) {
	t.Parallel()
	srv, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)

	envs, _, err := c.Components.UpdateEnvs(ctx, team, region, appID, id, []rainbond.EnvVar{{Name: "MODE", Value: "prod", Note: "run mode"}})
	require.NoError(t, err)
	names := map[string]string{}
	for _, e := range envs {
		names[e.Name] = e.Value
	}
	assert.Equal(t, "prod", names["MODE"])
	assert.Contains(t, names, strings.ToUpper(srv.Components(appID)[0].Alias)+"80_PORT", "the port's variables come with the list")

	_, _, err = c.Components.UpdateEnvs(ctx, team, region, appID, id, []rainbond.EnvVar{{Name: "MODE", Value: "staging"}})
	require.NoError(t, err)
	assert.Equal(t, "staging", srv.Envs(id)["MODE"], "an existing variable is updated by name")

	srv.RefuseEnv("BAD")
	_, _, err = c.Components.UpdateEnvs(ctx, team, region, appID, id, []rainbond.EnvVar{{Name: "OK", Value: "1"}, {Name: "BAD", Value: "1"}})
	assert.ErrorIs(t, err, rainbond.ErrEnvsPartlyApplied, "the cluster's refusal, in the console's region-error shape")
	assert.NotContains(t, srv.Envs(id), "OK", "the console rolled its rows back")
	assert.Equal(t, "1", srv.ClusterEnvs(id)["OK"], "the cluster kept the variable before the refused one")

	_, _, err = c.Components.UpdateEnvs(ctx, team, region, appID, id, []rainbond.EnvVar{{Name: "FIRST", Value: "1"}, {Name: "PATH", Value: "/bin"}})
	assert.ErrorAs(t, err, new(*rainbond.ValidationError), "a reserved name is refused before anything is sent")
	assert.NotContains(t, srv.ClusterEnvs(id), "FIRST")

	require.NoError(t, srv.AddEnv(id, "spring.profile", "x"))
	_, _, err = c.Components.UpdateEnvs(ctx, team, region, appID, id, []rainbond.EnvVar{{Name: "LATE", Value: "1"}})
	assert.ErrorIs(t, err, rainbond.ErrEnvsNotListed)
	assert.Equal(t, "1", srv.Envs(id)["LATE"], "written before the answer failed")
}

func TestE2EScaling(t *testing.T) {
	t.Parallel()
	_, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	installed, _, err := c.Apps.InstallFromMarket(ctx, team, region, appID, wordpress(seed, "6.4"), &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	var web, db string
	for _, comp := range installed.ServiceList {
		switch comp.ServiceCname {
		case "wordpress":
			web = comp.ServiceID
		case "mysql":
			db = comp.ServiceID
		}
	}
	_, err = c.Components.ScaleHorizontal(ctx, team, region, appID, web, 3)
	require.NoError(t, err)
	_, err = c.Components.ScaleHorizontal(ctx, team, region, appID, db, 2)
	assert.ErrorIs(t, err, rainbond.ErrConflict, "mysql is a singleton")
	_, err = c.Components.ScaleVertical(ctx, team, region, appID, web, &rainbond.VerticalScale{MemoryMiB: 1024, CPU: rainbond.Ptr(1000)})
	require.NoError(t, err)
	comp, _, err := c.Components.Get(ctx, team, region, appID, web)
	require.NoError(t, err)
	assert.Equal(t, 3, comp.MinNode)
	assert.Equal(t, 1024, comp.MinMemory)
	assert.Equal(t, 1000, comp.MinCPU)
}

func TestE2EGatewayRules(t *testing.T) {
	t.Parallel()
	_, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)

	_, _, err := c.Gateway.CreateHTTPRule(ctx, team, region, appID, &rainbond.HTTPRuleCreate{ServiceID: id, ContainerPort: 80, DomainName: "a.example.com"})
	var apiErr *rainbond.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "没有开启对外端口", apiErr.Msg, "the port is not open and OpenPort was not asked")

	rule, _, err := c.Gateway.CreateHTTPRule(ctx, team, region, appID, &rainbond.HTTPRuleCreate{ServiceID: id, ContainerPort: 80, DomainName: "a.example.com", OpenPort: true})
	require.NoError(t, err)
	got, _, err := c.Gateway.GetHTTPRule(ctx, team, region, appID, rule.HTTPRuleID)
	require.NoError(t, err)
	assert.NotZero(t, got.ID)
	assert.Equal(t, rainbond.JSONText("[]"), got.Rewrites)
	_, _, err = c.Gateway.GetHTTPRule(ctx, team, region, appID, "0123456789abcdef")
	assert.ErrorIs(t, err, rainbond.ErrNotFound)

	updated, _, err := c.Gateway.UpdateHTTPRule(ctx, team, region, appID, rule.HTTPRuleID, &rainbond.HTTPRuleUpdate{
		ServiceID: id, DomainPath: rainbond.Ptr("/shop"), CertificateID: rainbond.Ptr(0), AutoSSLConfig: rainbond.Ptr(""),
	})
	require.NoError(t, err)
	assert.Equal(t, "http://a.example.com/shop", updated.URL())

	list, _, err := c.Gateway.ListHTTPRules(ctx, team, region, appID)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	_, _, err = c.Gateway.DeleteHTTPRule(ctx, team, region, appID, rule.HTTPRuleID)
	require.NoError(t, err)
	_, _, err = c.Gateway.DeleteHTTPRule(ctx, team, region, appID, rule.HTTPRuleID)
	assert.ErrorIs(t, err, rainbond.ErrNotFound)

	rules, _, err := c.Gateway.CreateTCPRule(ctx, team, region, appID, &rainbond.TCPRuleCreate{ServiceID: id, ContainerPort: 80, EndPoint: "10.0.0.1:30080", DefaultIP: "10.0.0.1", DefaultPort: 30080})
	require.NoError(t, err)
	require.Len(t, rules.TCP, 1)
	tcp, _, err := c.Gateway.ListTCPRules(ctx, team, region, appID)
	require.NoError(t, err)
	assert.Equal(t, "10.0.0.1:30080", tcp[0].EndPoint)
}

func TestE2EComponentCallsOnAnOlderConsole(t *testing.T) {
	t.Parallel()
	_, c, seed := console(t, rainbondtest.WithConsoleVersion("v5.10.1"))
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	_, _, err := c.Components.CreateFromImage(ctx, team, region, appID, &rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1"})
	var ue *rainbond.UnsupportedError
	require.ErrorAs(t, err, &ue, "the services route exists; its POST came later")
	assert.Equal(t, "v5.11.2", ue.Since)
	assert.Equal(t, http.StatusMethodNotAllowed, ue.Response.StatusCode)
	_, _, err = c.Components.ListPorts(ctx, team, region, appID, "s1")
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "v5.17.0", ue.Since)
}

func TestE2ECopyableFailsForAnImageComponentAsTheConsoleDoes(t *testing.T) {
	t.Parallel()
	_, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	_, _, err := c.Components.CreateFromImage(ctx, team, region, appID, &rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.27"})
	require.NoError(t, err)

	_, _, err = c.Apps.ListCopyable(ctx, team, region, appID)
	require.ErrorIs(t, err, rainbond.ErrBuildSourceUnlistable)
	var apiErr *rainbond.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
}

// TestE2EAWaitEndsWhenTheClusterGivesUpOnTheEvent: a build still running
// three minutes after its start is marked timed out by the cluster when
// the next operation on the component starts.
func TestE2EAWaitEndsWhenTheClusterGivesUpOnTheEvent(t *testing.T) {
	t.Parallel()
	clock := rainbondtest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	_, c, seed := console(t, rainbondtest.WithClock(clock), rainbondtest.WithTransitionTime(10*time.Minute))
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)

	first, _, err := c.Components.Build(ctx, team, region, appID, id, nil)
	require.NoError(t, err)
	clock.Advance(4 * time.Minute)
	_, _, err = c.Components.Build(ctx, team, region, appID, id, nil)
	require.NoError(t, err)

	ev, err := c.Components.WaitForEvent(ctx, team, region, appID, id, first.EventID, &rainbond.EventWaitOptions{Interval: 10 * time.Millisecond})
	require.ErrorIs(t, err, rainbond.ErrEventTimedOut)
	assert.ErrorIs(t, err, rainbond.ErrEventFailed)
	assert.Equal(t, rainbond.EventFinalTimeout, ev.FinalStatus)
}

func TestE2EUpdatingARuleWithAutoSSLOffIsAcceptedByTheConsole(t *testing.T) {
	t.Parallel()
	srv, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)
	_, _, err := c.Components.UpdatePort(ctx, team, region, appID, id, 80, &rainbond.PortUpdate{Action: rainbond.PortOpenOuter})
	require.NoError(t, err)
	_, _, err = c.Gateway.CreateHTTPRule(ctx, team, region, appID, &rainbond.HTTPRuleCreate{ServiceID: id, ContainerPort: 80, DomainName: "shop.example.com"})
	require.NoError(t, err)
	rules, _, err := c.Gateway.ListHTTPRules(ctx, team, region, appID)
	require.NoError(t, err)
	require.Len(t, rules, 1)

	updated, _, err := c.Gateway.UpdateHTTPRule(ctx, team, region, appID, rules[0].HTTPRuleID, &rainbond.HTTPRuleUpdate{
		ServiceID: id, DomainPath: rainbond.Ptr("/shop"), CertificateID: rainbond.Ptr(0), AutoSSLConfig: rainbond.Ptr(""),
	})
	require.NoError(t, err, "README's form for \"no auto-SSL\"")
	assert.Equal(t, "/shop", updated.DomainPath)

	// The fake refuses what the console's serializer refuses.
	resp, err := srv.Client().Do(mustRequest(t, "PUT", srv.URL+"/openapi/v1/teams/"+team+"/regions/"+region+"/apps/"+strconv.FormatInt(appID, 10)+
		"/httpdomains/"+rules[0].HTTPRuleID, `{"service_id":"`+id+`","auto_ssl_config":null}`, srv.Token))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
}

func mustRequest(t *testing.T, method, url, body, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestE2EChangingAPortAliasNamesTheKubernetesServiceOfEveryPort(t *testing.T) {
	t.Parallel()
	_, c, seed := console(t)
	ctx := context.Background()
	team, region, appID := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	id := webComponent(t, c, seed)
	_, _, err := c.Components.AddPort(ctx, team, region, appID, id, &rainbond.PortCreate{Port: 8443, IsInnerService: true})
	require.NoError(t, err)

	_, _, err = c.Components.UpdatePort(ctx, team, region, appID, id, 80, &rainbond.PortUpdate{Action: rainbond.PortChangeAlias, PortAlias: "WEB"})
	assert.ErrorAs(t, err, new(*rainbond.ValidationError), "the console would fail after renaming the variables in the cluster")

	p, _, err := c.Components.UpdatePort(ctx, team, region, appID, id, 80, &rainbond.PortUpdate{Action: rainbond.PortChangeAlias, PortAlias: "WEB", K8sServiceName: "web-svc"})
	require.NoError(t, err)
	assert.Equal(t, "WEB", p.PortAlias)
	ports, _, err := c.Components.ListPorts(ctx, team, region, appID, id)
	require.NoError(t, err)
	for _, port := range ports {
		assert.Equal(t, "web-svc", port.K8sServiceName, "port %d", port.ContainerPort)
	}
}

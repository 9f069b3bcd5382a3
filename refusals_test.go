package rainbond

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The console trims these fields and then uses them well: the SDK sends
// them as given (README: "Where the SDK refuses what the console takes").
func TestWhatTheConsoleTrimsAndUsesIsSent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"POST " + componentPathT + "/build":                       {{status: 200, body: `{"event_id":"ev1"}`}},
		"POST " + componentPathT + "/ports":                       {{status: 200, body: portBean}},
		"POST /openapi/v1/teams/t1/regions/r1/apps/7/services":    {{status: 200, body: `{"code":200,"msg":"success","msg_show":"ok","data":{"bean":{"service_id":"s9"},"list":[]}}`}},
		"POST /openapi/v1/teams/t1/regions/r1/apps/7/domains":     {{status: 200, body: `{"http":[],"tcp":[]}`}},
		"POST /openapi/v1/teams/t1/regions/r1/apps/7/httpdomains": {{status: 201, body: ruleAnswer("", `"[]"`)}},
	})
	ctx := context.Background()
	_, _, err := c.Components.Build(ctx, "t1", "r1", 7, "s1", &BuildOptions{RepoURL: " https://git.example.com/a.git ", Branch: " main", ClearCredentials: true})
	assert.NoError(t, err, "repo_url and branch are trimmed by the console")
	_, _, err = c.Components.AddPort(ctx, "t1", "r1", 7, "s1", &PortCreate{Port: 8080, PortAlias: "  "})
	assert.NoError(t, err, "a blank alias gets the console's default")
	_, _, err = c.Components.CreateFromImage(ctx, "t1", "r1", 7, &ComponentCreate{ServiceCname: "web", Image: "nginx"})
	assert.NoError(t, err, "a new component's version is latest whatever the tag")
	_, _, err = c.Components.CreateFromImage(ctx, "t1", "r1", 7, &ComponentCreate{ServiceCname: "web", Image: "nginx@sha256:0123"})
	assert.NoError(t, err)
	_, _, err = c.Gateway.CreateTCPRule(ctx, "t1", "r1", 7, &TCPRuleCreate{ServiceID: " s1 ", ContainerPort: 6379, EndPoint: " 0.0.0.0:30001", DefaultIP: "0.0.0.0", DefaultPort: 30001})
	assert.NoError(t, err)
	_, _, err = c.Gateway.CreateHTTPRule(ctx, "t1", "r1", 7, &HTTPRuleCreate{ServiceID: "s1 ", ContainerPort: 80, DomainName: "a.example.com"})
	assert.NoError(t, err)
}

// What the console would take but get wrong, or fail on part-way, is
// refused, with a reason that says what the console would do.
func TestWhatTheConsoleWouldGetWrongIsRefusedWithTheReason(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	ctx := context.Background()
	check := func(err error, field, reason, name string) {
		t.Helper()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, name)
		require.True(t, ve.Has(field), "%s: %v", name, err)
		assert.Contains(t, err.Error(), reason, name)
	}
	_, _, err := c.Components.Build(ctx, "t1", "r1", 7, "s1", &BuildOptions{RepoURL: "https://git.example.com/a.git", Username: "ci", Password: NewSecret(" pw ")})
	check(err, "password", "which the console would remove", "a padded password")
	_, _, err = c.Components.UpdateEnvs(ctx, "t1", "r1", 7, "s1", []EnvVar{{Name: "A", Value: "1", Scope: "everywhere"}})
	check(err, "envs[0].scope", "inner, outer, both or build", "a scope the cluster refuses")
	_, _, err = c.Gateway.CreateTCPRule(ctx, "t1", "r1", 7, &TCPRuleCreate{ServiceID: "s1", ContainerPort: 6379, EndPoint: "0.0.0.0", DefaultIP: "0.0.0.0", DefaultPort: 1})
	check(err, "end_point", "ip:port", "an end point without a port")
	_, _, err = c.Teams.List(ctx, &ListOptions{Query: `a" OR "1"="1`})
	check(err, "query", "SQL", "a quote in the teams query")
	_, _, err = c.Components.UpdatePort(ctx, "t1", "r1", 7, "s1", 80, &PortUpdate{Action: PortChangeProtocol})
	check(err, "protocol", "would switch the port to http", "change_protocol without a protocol")
	_, _, err = c.Components.UpdatePort(ctx, "t1", "r1", 7, "s1", 80, &PortUpdate{Action: PortChangeAlias, PortAlias: "WEB", K8sServiceName: "1web"})
	check(err, "k8s_service_name", "a lower-case letter", "a k8s service name starting with a digit")
	_, err = c.Components.ChangeImage(ctx, "t1", "r1", 7, "s1", "nginx")
	check(err, "image", "explicit tag", "ChangeImage stores the text after the last ':' as the version")
	assert.Empty(t, rt.sentTo())
}

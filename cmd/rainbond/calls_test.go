package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
)

// The commands of the SDK's calls that had none (issue 23 item 7): their
// cases of TestEveryConsoleCommand, and what each promises beyond them.
func init() {
	maps.Copy(consoleCommands, callCases)
	for _, path := range []string{"apps compose"} {
		once[path] = true
	}
	consoleVersions["apps compose"] = "v6.5.0" // later consoles create the app empty
}

const composeFile = `services:
  web:
    image: nginx:1.25
  cache:
    image: redis:7
`

// shopTemplate is a model's component templates, as publish-model reads
// them.
const shopTemplate = `[{"service_cname": "web", "image": "nginx:1.25", "version": "1.25"}]`

// helmChart puts redis 17.3.7 in the fixture's console's repository
// bitnami, and returns the chart's package, named as helm names it.
func helmChart(f *fixture) string {
	f.srv.AddHelmChart("bitnami", "redis", "17.3.7", "kind: StatefulSet\nmetadata:\n  name: redis-master\n")
	return fileBeside(f, "redis-17.3.7.tgz", "a chart")
}

// importEvent is the token user's open import in the fixture's console.
func importEvent(f *fixture) string {
	c, err := rainbond.NewClient(f.srv.URL, rainbond.WithToken(f.srv.Token))
	if err != nil {
		panic(err)
	}
	record, _, err := c.Apps.StartImport(context.Background(), f.seed.TeamA.TenantID, "rainbond")
	if err != nil {
		panic(err)
	}
	return record.EventID
}

var callCases = map[string]commandCase{
	"components create": {func(f *fixture) []string {
		return appArgs(f, "--name", "nginx", "--image", "nginx:1.25", "--deploy")
	}, "Created component nginx ("},
	"gateway http get":             {func(f *fixture) []string { return appArgs(f, "--rule", f.rule) }, "http://blog.example.com/"},
	"gateway http update":          {func(f *fixture) []string { return appArgs(f, "--rule", f.rule, "--path", "/blog") }, "http://blog.example.com/blog"},
	"gateway http list-enterprise": {func(*fixture) []string { return nil }, "blog.example.com"},
	"gateway rules":                {func(f *fixture) []string { return appArgs(f) }, "http://blog.example.com/"},
	"apps deploy-model": {func(f *fixture) []string {
		return appArgs(f, "--model", nextShop.ID, "--version", "2.0")
	}, "Sent the install of shop-next 2.0 into app 1"},
	"apps publish-model": {func(f *fixture) []string {
		return []string{"--name", "shop2", "--version", "1.0", "--template", fileBeside(f, "shop.json", shopTemplate)}
	}, "Published shop2 1.0 as model "},
	"apps compose": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--name", "compose-shop", "--file", fileBeside(f, "compose.yml", composeFile)}
	}, ": 2 components, deploying"},
	"apps helm check": {func(f *fixture) []string {
		helmChart(f)
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--repo", "bitnami", "--chart", "redis", "--version", "17.3.7"}
	}, "name: redis-master"},
	"apps helm deploy": {func(f *fixture) []string { return appArgs(f, "--chart", helmChart(f)) }, "Chart redis 17.3.7 installed in app 1"},
	"apps import-status": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--event", importEvent(f)}
	}, ": uploading"},
	"apps metrics": {func(f *fixture) []string {
		if err := f.srv.EnablePerformanceAnalysis(f.web); err != nil {
			panic(err)
		}
		return appArgs(f)
	}, "request_time"},
	"monitor overview":   {func(*fixture) []string { return nil }, "TEAMS"},
	"monitor components": {func(*fixture) []string { return []string{"--region", "rainbond"} }, "RUNNING"},
	"monitor usage":      {func(*fixture) []string { return nil }, "cores"},
	"monitor flows":      {func(*fixture) []string { return []string{"--memory"} }, "SOURCE"},
}

// publishStub answers POST /openapi/v1/app_model as the console's
// EntAppModelView does ({"msg", "app_id"}, the message saying whether the
// version was created or replaced), for token only; it keeps the bodies.
func publishStub(t *testing.T, token string) (*httptest.Server, func() [][]byte) {
	t.Helper()
	var mu sync.Mutex
	var bodies [][]byte
	versions := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("Authorization") != token:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"detail": "No such user"}`)
			return
		case r.Method != http.MethodPost || r.URL.Path != "/openapi/v1/app_model":
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"detail": "Not found."}`)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var in struct {
			Name    string `json:"app_name"`
			Version string `json:"version"`
		}
		_ = json.Unmarshal(b, &in)
		mu.Lock()
		bodies = append(bodies, b)
		msg := "版本已创建"
		if versions[in.Name+" "+in.Version] {
			msg = "版本已更新"
		}
		versions[in.Name+" "+in.Version] = true
		mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"msg": msg, "app_id": "5d3c0a6b1e2f4a9b8c7d6e5f4a3b2c1d"})
	}))
	t.Cleanup(srv.Close)
	return srv, func() [][]byte { mu.Lock(); defer mu.Unlock(); return slices.Clone(bodies) }
}

// The fake console lacks POST /openapi/v1/app_model: publish-model runs
// TestEveryConsoleCommand's checks against a stub of the view.
func TestPublishModelAgainstAStub(t *testing.T) {
	t.Parallel()
	const token = "publish-token-1234"
	srv, bodies := publishStub(t, token)
	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": token}
	template := filepath.Join(t.TempDir(), "shop.json")
	require.NoError(t, os.WriteFile(template, []byte(shopTemplate), 0o600))
	args := []string{"apps", "publish-model", "--name", "shop", "--version", "1.0", "--template", template, "--info", "first"}

	r := cli(t, env, args...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Equal(t, "Published shop 1.0 as model 5d3c0a6b1e2f4a9b8c7d6e5f4a3b2c1d (version created)\n", r.stdout)
	var sent map[string]any
	require.NoError(t, json.Unmarshal(bodies()[0], &sent))
	assert.Equal(t, map[string]any{"app_name": "shop", "version": "1.0", "app_version_info": "first",
		"apps": []any{map[string]any{"service_cname": "web", "image": "nginx:1.25", "version": "1.25"}}}, sent, "the template as a JSON array")

	r = cli(t, env, append(args, "-o", "json")...)
	require.Equal(t, exitOK, r.code, r.all())
	var out struct {
		ModelID string `json:"model_id"`
		Created bool   `json:"created"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	assert.Equal(t, "5d3c0a6b1e2f4a9b8c7d6e5f4a3b2c1d", out.ModelID)
	assert.False(t, out.Created, "published again: replaced")

	assert.Equal(t, exitUsage, cli(t, env, append(args, "--bogus")...).code)
	r = cli(t, map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": "not-the-token"}, args...)
	assert.Equal(t, exitConsole, r.code, r.all())
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	r = cli(t, map[string]string{"RAINBOND_URL": dead.URL, "RAINBOND_TOKEN": token}, append(args, "--retries", "0")...)
	assert.Equal(t, exitFailure, r.code, r.all())

	notArray := filepath.Join(t.TempDir(), "object.json")
	require.NoError(t, os.WriteFile(notArray, []byte(`{"service_cname": "web"}`), 0o600))
	r = cli(t, env, "apps", "publish-model", "--name", "shop", "--version", "1.0", "--template", notArray)
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "--template: a JSON array of component templates")
	r = cli(t, env, "apps", "publish-model", "--name", "shop", "--version", "1.0")
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "--template is required")

	var stdout, stderr strings.Builder
	code := runWith(context.Background(), []string{"apps", "publish-model", "--name", "shop", "--version", "2.0", "--template", "-"},
		func(k string) (string, bool) { v, ok := env[k]; return v, ok }, strings.NewReader(shopTemplate), &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stdout.String(), "(version created)", "- reads stdin")
	assert.Len(t, bodies(), 3)
}

// An HTTP rule's update keeps what no flag changes: the console would
// drop the certificate and the auto-SSL config it writes on every update.
func TestGatewayHTTPUpdateKeepsWhatNoFlagChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	get := func() map[string]any {
		t.Helper()
		r := cli(t, f.env, append([]string{"gateway", "http", "get"}, appArgs(f, "--rule", f.rule, "-o", "json")...)...)
		require.Equal(t, exitOK, r.code, r.all())
		var rule map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &rule), r.stdout)
		return rule
	}
	update := func(extra ...string) result {
		t.Helper()
		return cli(t, f.env, append([]string{"gateway", "http", "update"}, appArgs(f, append([]string{"--rule", f.rule}, extra...)...)...)...)
	}
	cert, err := strconv.Atoi(f.certID)
	require.NoError(t, err)
	r := update("--certificate", f.certID, "--auto-ssl", "true", "--auto-ssl-config", "letsencrypt")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Updated rule "+f.rule+" (https://blog.example.com/): --auto-ssl, --auto-ssl-config, --certificate")
	assert.Contains(t, r.stdout, "Auto SSL:     true (letsencrypt)")

	r = update("--path", "/blog")
	require.Equal(t, exitOK, r.code, r.all())
	rule := get()
	assert.Equal(t, "/blog", rule["domain_path"])
	assert.Equal(t, float64(cert), rule["certificate_id"], "the certificate is kept")
	assert.Equal(t, true, rule["auto_ssl"])
	assert.Equal(t, "letsencrypt", rule["auto_ssl_config"], "the auto-SSL config is kept")
	assert.Equal(t, f.web, rule["service_id"])
	put := f.srv.Requests()[len(f.srv.Requests())-2]
	require.Equal(t, "PUT", put.Method, "read first, then the update, then get: %s", put.Path)
	assert.Contains(t, string(put.Body), `"certificate_id":`+f.certID)

	r = update("--certificate", "0", "--auto-ssl-config", "")
	require.Equal(t, exitOK, r.code, r.all())
	rule = get()
	assert.Equal(t, 0.0, rule["certificate_id"], "--certificate 0 removes it")
	assert.Equal(t, "", rule["auto_ssl_config"])
	assert.Equal(t, "http", rule["protocol"])
	assert.Equal(t, "blog.example.com", rule["domain_name"])
	assert.Equal(t, "/blog", rule["domain_path"])

	r = update("--component", "mysql", "--port", "3306")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Component:    mysql (")

	r = update()
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "name what to change")
	r = update("--component", "nothing-of-that-name")
	assert.Equal(t, exitConsole, r.code, r.all())
	r = cli(t, f.env, append([]string{"gateway", "http", "get"}, appArgs(f, "--rule", "no-such-rule")...)...)
	assert.Equal(t, exitConsole, r.code, r.all())
}

// A compose file on a console since v6.6.0 leaves the app empty: exit 3,
// with the app's id.
func TestComposeOnANewConsoleIsExit3(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, "apps", "compose", "--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--name", "compose-shop",
		"--file", fileBeside(f, "compose.yml", composeFile))
	assert.Equal(t, exitConsole, r.code, r.all())
	assert.Regexp(t, `the console created the app but no component of the compose file: app \d+ is empty`, r.stderr)
}

func TestChartNameVersion(t *testing.T) {
	t.Parallel()
	for file, want := range map[string][2]string{
		"redis-17.3.7.tgz": {"redis", "17.3.7"}, "dir/redis-ha-4.12.0.tgz": {"redis-ha", "4.12.0"},
		"app-1.0.0-rc-1.tgz": {"app", "1.0.0-rc-1"}, "nginx-v1.2.tgz": {"nginx", "v1.2"},
		"redis.tgz": {}, "redis-17.3.7.tar.gz": {}, "-1.0.tgz": {}, "redis-latest.tgz": {},
	} {
		name, version, ok := chartNameVersion(file)
		assert.Equal(t, want[0] != "", ok, file)
		assert.Equal(t, want, [2]string{name, version}, file)
	}
}

func TestHelmChartsAreCheckedAndDeployed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tr := []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond"}
	r := cli(t, f.env, append(append([]string{"apps", "helm", "check"}, tr...), "--repo", "bitnami", "--chart", "redis", "--version", "1.0")...)
	assert.Equal(t, exitConsole, r.code, "a chart that cannot be adopted: %s", r.all())
	assert.Contains(t, r.stdout, `chart "redis" version "1.0" not found`, "why, on stdout")
	assert.Contains(t, r.stderr, "chart redis 1.0 of repository bitnami cannot be adopted")

	chart := fileBeside(f, "my-chart.tgz", "a chart")
	r = cli(t, f.env, append([]string{"apps", "helm", "deploy"}, appArgs(f, "--chart", chart)...)...)
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "not named NAME-VERSION.tgz; pass --name and --version")

	r = cli(t, f.env, append([]string{"apps", "helm", "deploy"}, appArgs(f, "--chart", chart, "--name", "cache", "--version", "2.1", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	var out struct {
		EventID string `json:"event_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	uploaded := f.srv.UploadedFiles(out.EventID)
	require.Len(t, uploaded, 1)
	assert.Equal(t, "cache-2.1.tgz", uploaded[0].Name, "uploaded under the name the console looks for")
	names := []string{}
	for _, c := range f.srv.Components(f.seed.AppA.ID) {
		names = append(names, c.Cname)
	}
	assert.Contains(t, names, "cache", "installed into the app")

	r = cli(t, f.env, append([]string{"apps", "import-status"}, append(tr, "--event", out.EventID)...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Package: cache-2.1.tgz")
}

func TestTeamsUsageOfEveryTeam(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, "teams", "usage", "--all")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Regexp(t, `(?m)^o19p6wen +rainbond +\d+m of \d+m`, r.stdout)
	assert.Regexp(t, `(?m)^o19p6wen +region-b `, r.stdout)
	assert.Regexp(t, `(?m)^k2m8x4qa +rainbond `, r.stdout)

	r = cli(t, f.env, "teams", "usage", "--all", "--region", "region-b", "-o", "json")
	require.Equal(t, exitOK, r.code, r.all())
	var usage []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &usage), r.stdout)
	require.Len(t, usage, 1, "team B is not opened in region-b")
	assert.Equal(t, f.seed.TeamA.TenantID, usage[0]["tenant_id"])
	assert.Equal(t, "region-b", usage[0]["region_name"])
	require.IsType(t, map[string]any{}, usage[0]["Usage"], r.stdout)
	assert.Equal(t, f.seed.TeamA.TenantName, usage[0]["Usage"].(map[string]any)["team_name"])

	r = cli(t, f.env, "teams", "usage", "--all", "--team", f.seed.TeamA.TenantName)
	assert.Equal(t, exitUsage, r.code, r.all())
}

func TestEventsAllPagesThroughEveryEvent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := rainbond.NewClient(f.srv.URL, rainbond.WithToken(f.srv.Token))
	require.NoError(t, err)
	var built []string
	for range 3 {
		ev, _, err := c.Components.Build(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID, f.web, nil)
		require.NoError(t, err)
		built = append(built, ev.EventID)
	}
	// The fake's events, newest first, as its route answers them in one page.
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/openapi/v1/teams/%s/regions/rainbond/apps/%d/services/%s/events?page=1&page_size=1000",
		f.srv.URL, f.seed.TeamA.TenantID, f.seed.AppA.ID, f.web), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", f.srv.Token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var page struct {
		Events []struct {
			EventID string `json:"event_id"`
		} `json:"events"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	var want []string
	for _, e := range page.Events {
		want = append(want, e.EventID)
	}
	require.Greater(t, len(want), 3)
	assert.Equal(t, []string{built[2], built[1], built[0]}, want[:3], "the fake lists the newest first")

	r := cli(t, f.env, append([]string{"components", "events"}, componentArgs(f, "--all", "--page-size", "2", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	var events []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &events), r.stdout)
	got := make([]string, len(events))
	for i, e := range events {
		got[i], _ = e["event_id"].(string)
	}
	assert.Equal(t, want, got, "every page, in order")

	for _, extra := range [][]string{{"--all", "--watch"}, {"--all", "--page", "2"}} {
		r = cli(t, f.env, append([]string{"components", "events"}, componentArgs(f, extra...)...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", extra, r.all())
	}
}

// A build's wait shows the event's state as each poll finds it: a line
// when it changes, not one per poll.
func TestEventWaitsShowTheEventsState(t *testing.T) {
	t.Parallel()
	f := newSlowFixture(t, 300*time.Millisecond)
	r := cli(t, f.env, append([]string{"components", "build"}, f.app("--component", "wordpress", "--wait", "--interval", "20ms")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Equal(t, 1, strings.Count(r.stderr, "] build-service pending\n"), "a line for the change, none per poll: %s", r.stderr)
	assert.Contains(t, r.stderr, "still waiting for build ", "the heartbeat goes on")
	assert.Contains(t, r.stderr, ": build-service pending\n", "and says the state")

	c, err := rainbond.NewClient(f.srv.URL, rainbond.WithToken(f.srv.Token))
	require.NoError(t, err)
	ev, _, err := c.Components.Build(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID, f.web, nil)
	require.NoError(t, err)
	r = cli(t, f.env, append([]string{"components", "logs"}, f.app("--component", "wordpress", "--event", ev.EventID, "--follow", "--interval", "20ms")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "] build-service pending\n")
}

func TestTrackerShowsAnEventAsThePollsFindIt(t *testing.T) {
	t.Parallel()
	var stderr strings.Builder
	s := newSession(func(k string) (string, bool) { return "hunter2-secret", k == "RAINBOND_BUILD_PASSWORD" }, nil, nil, &stderr)
	s.heartbeat = 0
	tr := s.wait("build e1 of component web")
	tr.event(nil)
	tr.event(nil)
	running := &rainbond.ComponentEvent{EventID: "e1", OptType: "build-service"}
	tr.event(running)
	tr.event(running)
	tr.event(&rainbond.ComponentEvent{EventID: "e1", OptType: "build-service", Message: "cloning\nhttps://git.example.com with hunter2-secret"})
	tr.event(&rainbond.ComponentEvent{EventID: "e1", OptType: "build-service", Status: rainbond.EventSuccess, FinalStatus: rainbond.EventComplete})
	tr.end()
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	require.Len(t, lines, 4, stderr.String())
	assert.Contains(t, lines[1], "] the event is not listed among the component's events yet")
	assert.Contains(t, lines[2], "] build-service pending")
	assert.Contains(t, lines[3], "] build-service pending: cloning https://git.example.com with [REDACTED]", "one line, secrets redacted")
}

// A registry's password comes from a file or the environment, with
// --username, and is never printed.
func TestComponentsCreateKeepsTheRegistryPasswordSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const password = "registry-s3cret-pw"
	pw := fileBeside(f, "registry.pw", password+"\n")
	lastBody := func() string { reqs := f.srv.Requests(); return string(reqs[len(reqs)-1].Body) }
	r := cli(t, f.env, append([]string{"components", "create"}, appArgs(f, "--name", "private", "--image", "registry.example.com/shop/web:1.0",
		"--username", "ci", "--password-file", pw, "--verbose", "--dry-run")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.NotContains(t, r.all(), password, "a dry run shows no password")

	r = cli(t, f.env, append([]string{"components", "create"}, appArgs(f, "--name", "private", "--image", "registry.example.com/shop/web:1.0",
		"--username", "ci", "--password-file", pw, "--verbose", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, lastBody(), `"password":"`+password+`"`, "sent to the console")
	assert.NotContains(t, r.all(), password)

	env := maps.Clone(f.env)
	env["RAINBOND_REGISTRY_PASSWORD"] = password
	r = cli(t, env, append([]string{"components", "create"}, appArgs(f, "--name", "private2", "--image", "registry.example.com/shop/web:1.0", "--username", "ci")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, lastBody(), `"password":"`+password+`"`, "from the environment")
	r = cli(t, env, append([]string{"components", "create"}, appArgs(f, "--name", "public", "--image", "nginx:1.25")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.NotContains(t, lastBody(), "password", "without --username, the variable is for another call")

	r = cli(t, f.env, append([]string{"components", "create"}, appArgs(f, "--name", "x", "--image", "nginx:1.25", "--password-file", pw)...)...)
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "--password-file goes with --username")
}

func TestMonitorFlowsNeedsOneKind(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, "monitor", "flows", "--traffic")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Regexp(t, `(?m)^blog\(1\) +Team A +\d+`, r.stdout, "route, app, team, region")
	for _, args := range [][]string{{}, {"--traffic", "--memory"}} {
		r = cli(t, f.env, append([]string{"monitor", "flows"}, args...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r.all())
	}
}

// The new commands' validation errors name their flags, not the console's
// fields.
func TestNewCommandsNameTheirFlagsInErrors(t *testing.T) {
	t.Parallel()
	srv, _, env := console(t)
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"components", "create", "--team", "t", "--region", "r", "--app", "1", "--name", "web", "--image", "nginx:1.25", "--k8s-name", "Bad Name"}, "--k8s-name: \"Bad Name\""},
		{[]string{"apps", "deploy-model", "--team", "t", "--region", "r", "--app", "1"}, "--model: required; --version: required"},
		{[]string{"apps", "helm", "check", "--team", "t", "--region", "r", "--chart", "redis"}, "--repo: required; --version: required"},
		{[]string{"apps", "import-status", "--team", "t", "--region", "r"}, "--event: "},
		{[]string{"gateway", "http", "get", "--team", "t", "--region", "r", "--app", "1"}, "--rule: "},
	} {
		r := cli(t, env, tc.args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", tc.args, r.all())
		assert.Contains(t, r.stderr, tc.says, tc.args)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

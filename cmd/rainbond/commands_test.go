package main

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// fixture is a fake console with a deployed WordPress in the seed's first
// app, port 80 open inside, an HTTP rule, and a finished build.
type fixture struct {
	srv               *rainbondtest.Server
	seed              rainbondtest.Seed
	env               map[string]string
	app               string
	web, rule         string
	event, store      string
	certFile, keyFile string // a certificate for blog.example.com
	certID            string // of the team's certificate "blog"
	pkgFile           string // an app package the fake imports as nextShop

	canary sync.Once // started by startCanary
}

// nextShop is a model of the local library whose wordpress listens
// outside, as a canary's new version must.
var nextShop = rainbondtest.AppModel{ID: "shop-next", Name: "shop", Versions: []rainbondtest.AppModelVersion{
	{Version: "2.0", Components: []rainbondtest.ComponentTemplate{{Cname: "wordpress", Image: "goodrain.me/wordpress:7.0", Version: "7.0", Port: 80, Outer: true}}},
}}

// startCanary starts a canary of nextShop on blog.example.com at 10 %,
// once.
func (f *fixture) startCanary() {
	f.canary.Do(func() {
		c, err := rainbond.NewClient(f.srv.URL, rainbond.WithToken(f.srv.Token))
		if err != nil {
			panic(err)
		}
		comp, err := c.Apps.FindComponent(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID, f.web)
		if err != nil {
			panic(err)
		}
		route := rainbond.CanaryRouteName(f.seed.AppA.ID, "blog.example.com", "/", comp.ServiceAlias)
		if _, _, err := c.Apps.StartCanary(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID,
			&rainbond.CanaryStart{TemplateID: nextShop.ID, RouteName: route, Ratio: 10}); err != nil {
			panic(err)
		}
	})
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureAt(t, "")
}

// newFixtureAt is newFixture on a console answering as release version
// ("": the newest).
func newFixtureAt(t *testing.T, version string) *fixture {
	t.Helper()
	srv, seed, env := consoleAt(t, version)
	c, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	require.NoError(t, err)
	ctx := context.Background()
	team, region, app := seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	installed, _, err := c.Apps.InstallFromMarket(ctx, team, region, app, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.WordPress.ID, AppModelVersion: "6.4",
	}, &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	f := &fixture{srv: srv, seed: seed, env: env, app: strconv.FormatInt(app, 10), web: installed.ServiceList[0].ServiceID}
	rule, _, err := c.Gateway.CreateHTTPRule(ctx, team, region, app, &rainbond.HTTPRuleCreate{ServiceID: f.web, ContainerPort: 80, DomainName: "blog.example.com", OpenPort: true})
	require.NoError(t, err)
	f.rule = rule.HTTPRuleID
	ev, _, err := c.Components.Build(ctx, team, region, app, f.web, nil)
	require.NoError(t, err)
	f.event = ev.EventID
	_, _, err = c.Components.AddPort(ctx, team, region, app, f.web, &rainbond.PortCreate{Port: 9090})
	require.NoError(t, err)
	certPEM, keyPEM := selfSigned(t, "blog.example.com")
	dir := t.TempDir()
	f.certFile, f.keyFile = filepath.Join(dir, "blog.crt"), filepath.Join(dir, "blog.key")
	require.NoError(t, os.WriteFile(f.certFile, []byte(certPEM), 0o644))
	require.NoError(t, os.WriteFile(f.keyFile, []byte(keyPEM), 0o600))
	cert, _, err := c.Certificates.Create(ctx, team, &rainbond.CertificateCreate{Alias: "blog", Certificate: certPEM, PrivateKey: rainbond.NewSecret(keyPEM)})
	require.NoError(t, err)
	f.certID = strconv.FormatInt(cert.ID, 10)
	srv.AddLocalModel(nextShop)
	f.pkgFile = filepath.Join(dir, "shop-2.0.tar")
	require.NoError(t, os.WriteFile(f.pkgFile, []byte("a package"), 0o644))
	srv.AddImportPackage("shop-2.0.tar", rainbondtest.AppModel{ID: "shop-imported", Name: "shop", Versions: nextShop.Versions})
	return f
}

// selfSigned makes a PEM certificate for domain, valid for a day, and its
// PEM key.
func selfSigned(t *testing.T, domain string) (string, string) {
	t.Helper()
	cert, key, err := rainbondtest.SelfSignedCertificate([]string{domain}, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	require.NoError(t, err)
	return cert, key
}

func certArgs(f *fixture, extra ...string) []string {
	return append([]string{"--team", f.seed.TeamA.TenantID}, extra...)
}

// commandCase is how a command is run in the tests: the arguments of a
// success, and what its output must hold.
type commandCase struct {
	args func(f *fixture) []string
	says string
}

// once are the commands that cannot succeed twice (they create or delete
// a named thing): their JSON output is not tried.
var once = map[string]bool{"apps create": true, "apps delete": true, "components delete": true, "components ports add": true,
	"components ports delete": true, "gateway http create": true, "gateway http delete": true, "certificates create": true,
	"certificates delete": true, "gateway tcp create": true, "apps canary start": true, "components volumes add": true,
	"components create-external": true, "apps canary rollback": true}

func appArgs(f *fixture, extra ...string) []string {
	return append([]string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--app", f.app}, extra...)
}

func componentArgs(f *fixture, extra ...string) []string {
	return appArgs(f, append([]string{"--component", f.web}, extra...)...)
}

// consoleCommands lists every command that talks to a console.
var consoleCommands = map[string]commandCase{
	"teams list":          {func(*fixture) []string { return nil }, "o19p6wen"},
	"teams create":        {func(*fixture) []string { return []string{"--name", "Ops"} }, "Created team"},
	"teams regions":       {func(f *fixture) []string { return []string{"--team", f.seed.TeamA.TenantName} }, "region-b"},
	"teams ensure-region": {func(f *fixture) []string { return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond"} }, "was already opened"},
	"regions list":        {func(*fixture) []string { return nil }, "region-b"},
	"apps list":           {func(f *fixture) []string { return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond"} }, "blog"},
	"apps get":            {func(f *fixture) []string { return appArgs(f) }, "2 of 2 components running"},
	"apps create": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--name", "shop"}
	}, "Created app"},
	"apps ensure": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--name", "blog"}
	}, "already there"},
	"apps delete": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamB.TenantName, "--region", "rainbond", "--app", "2"}
	}, "Deleted app 2"},
	"apps components": {func(f *fixture) []string { return appArgs(f) }, "running"},
	"apps copyable":   {func(f *fixture) []string { return appArgs(f) }, "wordpress"},
	"apps install":    {func(f *fixture) []string { return installArgs(f.seed)[2:] }, "new components"},
	"apps copy": {func(f *fixture) []string {
		return appArgs(f, "--all", "--to-team", f.seed.TeamB.TenantName, "--to-region", "rainbond", "--to-app", "2")
	}, "Copied 2 components"},
	"apps upgrades":           {func(f *fixture) []string { return appArgs(f) }, "6.5"},
	"apps upgrade":            {func(f *fixture) []string { return appArgs(f, "--model", f.seed.WordPress.ID) }, "to 6.5 sent (the console records 6.4"},
	"apps deploy":             {func(f *fixture) []string { return appArgs(f, "--all") }, "Sent deploy"},
	"apps start":              {func(f *fixture) []string { return appArgs(f, "--components", f.web, "--wait", "--interval", "10ms") }, "running"},
	"apps stop":               {func(f *fixture) []string { return appArgs(f, "--all", "--wait", "--interval", "10ms") }, "closed"},
	"apps wait":               {func(f *fixture) []string { return appArgs(f, "--interval", "10ms") }, "running"},
	"components get":          {func(f *fixture) []string { return componentArgs(f) }, "http://blog.example.com/"},
	"components delete":       {func(f *fixture) []string { return componentArgs(f, "--force") }, "Deleted component"},
	"components build":        {func(f *fixture) []string { return componentArgs(f, "--wait", "--interval", "10ms") }, "success"},
	"components set-image":    {func(f *fixture) []string { return componentArgs(f, "--image", "goodrain.me/wordpress:6.6") }, "set to goodrain.me/wordpress:6.6"},
	"components env list":     {func(f *fixture) []string { return componentArgs(f) }, "_PORT"},
	"components env set":      {func(f *fixture) []string { return componentArgs(f, "MODE=prod") }, "MODE"},
	"components ports list":   {func(f *fixture) []string { return componentArgs(f) }, "80"},
	"components ports add":    {func(f *fixture) []string { return componentArgs(f, "--port", "8080", "--inner") }, "8080"},
	"components ports update": {func(f *fixture) []string { return componentArgs(f, "--port", "80", "--action", "close_outer") }, "false"},
	"components ports delete": {func(f *fixture) []string { return componentArgs(f, "--port", "9090") }, ""},
	"components scale":        {func(f *fixture) []string { return componentArgs(f, "--instances", "3") }, "Scaled"},
	"components events":       {func(f *fixture) []string { return componentArgs(f) }, "build-service"},
	"components logs": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--event", f.event}
	}, "Build and deploy finished"},
	"gateway http list":   {func(f *fixture) []string { return appArgs(f) }, "http://blog.example.com/"},
	"gateway http create": {func(f *fixture) []string { return componentArgs(f, "--port", "80", "--domain", "shop.example.com") }, "http://shop.example.com/"},
	"gateway http delete": {func(f *fixture) []string { return appArgs(f, "--rule", f.rule) }, "Deleted rule"},
	"gateway http ensure": {func(f *fixture) []string {
		return componentArgs(f, "--port", "80", "--domain", "blog.example.com", "--certificate", f.certID)
	}, "https://blog.example.com/: updated (rule"},
	"gateway tcp list":   {func(f *fixture) []string { return appArgs(f) }, "END POINT"},
	"gateway tcp create": {func(f *fixture) []string { return componentArgs(f, "--port", "9090", "--end-point", "0.0.0.0:30090") }, "10.0.0.1:30090"},
	"gateway tcp ensure": {func(f *fixture) []string { return componentArgs(f, "--port", "9090", "--end-point", "0.0.0.0:30091") }, "created"},
	"certificates list":  {func(f *fixture) []string { return certArgs(f) }, "blog.example.com"},
	"certificates create": {func(f *fixture) []string {
		return certArgs(f, "--alias", "blog-2", "--cert-file", f.certFile, "--key-file", f.keyFile)
	}, "Created certificate"},
	"certificates get": {func(f *fixture) []string { return certArgs(f, "--id", f.certID) }, "BEGIN CERTIFICATE"},
	"certificates update": {func(f *fixture) []string {
		return certArgs(f, "--id", f.certID, "--alias", "blog", "--cert-file", f.certFile, "--key-file", f.keyFile)
	}, "Updated certificate"},
	"certificates delete": {func(f *fixture) []string { return certArgs(f, "--id", f.certID) }, "Deleted certificate"},
	"certificates ensure": {func(f *fixture) []string {
		return certArgs(f, "--alias", "blog", "--cert-file", f.certFile, "--key-file", f.keyFile)
	}, "unchanged"},
	"apps smart-deploy": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--name", "shop", "--template", nextShop.ID}
	}, "Installed shop-next 2.0 into app"},
	"apps canary start": {func(f *fixture) []string {
		return appArgs(f, "--template", nextShop.ID, "--domain", "blog.example.com", "--component", "wordpress", "--ratio", "10")
	}, "Canary on 1blog.example.comp-ps-s-"},
	"apps canary ratio": {func(f *fixture) []string {
		f.startCanary()
		return appArgs(f, "--template", nextShop.ID, "--ratio", "50")
	}, ": 50% to wordpress"},
	"apps canary rollback": {func(f *fixture) []string { f.startCanary(); return appArgs(f, "--template", nextShop.ID) }, "Rolled back shop-next"},
	"apps canary list":     {func(f *fixture) []string { f.startCanary(); return []string{"--status", "active"} }, "1blog.example.comp-ps-s-"},
	"apps import": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--file", f.pkgFile, "--interval", "10ms"}
	}, "shop-imported"},
	"apps close-all": {func(f *fixture) []string { return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond"} }, "Sent close to every component"},
	"components volumes add": {func(f *fixture) []string {
		return componentArgs(f, "--name", "data", "--path", "/data", "--capacity", "1")
	}, "/data"},
	"components create-external": {func(f *fixture) []string {
		return appArgs(f, "--name", "billing-db", "--endpoint", "10.0.3.7:5432")
	}, "billing-db"},
	"api": {func(f *fixture) []string { return []string{"GET", "/teams/" + f.seed.TeamA.TenantID} }, `"tenant_name": "o19p6wen"`},
}

// consoleVersions are the console releases the commands that need an
// older one run against: the others run against the newest.
var consoleVersions = map[string]string{}

// refusedWith are the exit codes of the commands that tell a refusal
// apart from other 4xx answers.
var refusedWith = map[string]int{"whoami": exitAuth}

// consoleError names, for the commands without a team, how to make the
// console refuse them: a token it does not know.
func consoleErrorArgs(path string, args []string) []string {
	for i, a := range args {
		if a == "--team" && i+1 < len(args) {
			out := append([]string(nil), args...)
			out[i+1] = "nobody"
			return out
		}
	}
	if path == "api" {
		return []string{"GET", "/teams/nobody"}
	}
	return args
}

func TestEveryConsoleCommandHasItsCase(t *testing.T) {
	t.Parallel()
	commands().walk("", func(path string, leaf *node) {
		if leaf.console {
			_, ok := consoleCommands[path]
			assert.True(t, ok, "no test case for %q", path)
		}
	})
}

// TestEveryConsoleCommand runs each command: a success (table and JSON),
// a usage error (2), the console's refusal (3) and no console (4).
func TestEveryConsoleCommand(t *testing.T) {
	t.Parallel()
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadURL := "http://" + dead.Addr().String()
	dead.Close()
	for path, tc := range consoleCommands {
		t.Run(strings.ReplaceAll(path, " ", "_"), func(t *testing.T) {
			t.Parallel()
			f := newFixtureAt(t, consoleVersions[path])
			words := strings.Fields(path)
			args := tc.args(f)

			r := cli(t, f.env, append(words, args...)...)
			require.Equal(t, exitOK, r.code, r.all())
			assert.Contains(t, r.stdout, tc.says)

			if !once[path] {
				r = cli(t, f.env, append(append(words, args...), "-o", "json")...)
				require.Equal(t, exitOK, r.code, r.all())
				assert.True(t, r.stdout == "" || json.Valid([]byte(r.stdout)), "-o json prints JSON: %s", r.stdout)
			}

			r = cli(t, f.env, append(append(words, args...), "--bogus")...)
			assert.Equal(t, exitUsage, r.code, r.all())

			bad := f.env
			if refused := consoleErrorArgs(path, args); strings.Join(refused, " ") != strings.Join(args, " ") {
				args = refused
			} else {
				bad = map[string]string{"RAINBOND_URL": f.srv.URL, "RAINBOND_TOKEN": "not-the-token"}
			}
			r = cli(t, bad, append(words, args...)...)
			assert.Equal(t, cmp.Or(refusedWith[path], exitConsole), r.code, r.all())

			r = cli(t, map[string]string{"RAINBOND_URL": deadURL, "RAINBOND_TOKEN": f.srv.Token}, append(append(words, tc.args(f)...), "--retries", "0")...)
			assert.Equal(t, exitFailure, r.code, r.all())
		})
	}
}

func TestEveryCommandsHelpHasAnExample(t *testing.T) {
	t.Parallel()
	commands().walk("", func(path string, leaf *node) {
		r := cli(t, nil, append(strings.Fields(path), "--help")...)
		assert.Equal(t, exitOK, r.code, path)
		assert.Contains(t, r.stdout, "Example:\n  ", path)
		assert.Contains(t, r.stdout, "rainbond "+strings.Fields(path)[0], path)
	})
	r := cli(t, nil, "apps")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "rainbond apps deploy")
	r = cli(t, nil, "apps", "bogus")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown command "apps bogus"`)
}

// TestWaitsHaveTheirOwnExitCodes: a failed build (6), a component that
// fails (6), a wait whose time runs out (7).
func TestWaitsHaveTheirOwnExitCodes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.FailNextBuild(f.web, "exit status 2")
	r := cli(t, f.env, append([]string{"components", "build"}, componentArgs(f, "--wait", "--interval", "10ms")...)...)
	assert.Equal(t, exitWaitFailed, r.code, r.all())
	assert.Contains(t, r.stderr, "exit status 2")

	require.NoError(t, f.srv.SetComponentStatus(f.web, "abnormal"))
	r = cli(t, f.env, append([]string{"apps", "wait"}, appArgs(f, "--interval", "10ms")...)...)
	assert.Equal(t, exitWaitFailed, r.code, r.all())

	r = cli(t, f.env, append([]string{"apps", "wait"}, appArgs(f, "--state", "closed", "--fail-on", "build_failure", "--interval", "10ms", "--timeout", "50ms")...)...)
	assert.Equal(t, exitTimedOut, r.code, r.all())
	assert.Contains(t, r.stderr, "timed out after")
	assert.Contains(t, r.stderr, "raise --timeout (it was 50ms)")

	r = cli(t, f.env, append([]string{"components", "build"}, componentArgs(f, "--logs")...)...)
	assert.Equal(t, exitUsage, r.code, "--logs needs --wait")
}

func TestBuildStreamsItsLogAndKeepsThePasswordSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(pw, []byte("s3cret-repo-password\n"), 0o600))
	r := cli(t, f.env, append([]string{"components", "build"}, componentArgs(f, "--repo-url", "goodrain.me/wordpress:6.6",
		"--username", "ci", "--password-file", pw, "--wait", "--logs", "--interval", "10ms", "--verbose")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "Pulling goodrain.me/wordpress:6.4-php8.2\nImage goodrain.me/wordpress:6.4-php8.2 ready\nBuild and deploy finished\n",
		"the log, on stderr, in order (a market component keeps its image: the console ignores repo_url for it)")
	assert.Contains(t, string(f.srv.Requests()[len(f.srv.Requests())-3].Body), "s3cret-repo-password", "sent to the console")
	assert.NotContains(t, r.all(), "s3cret-repo-password")

	r = cli(t, f.env, append([]string{"components", "build"}, componentArgs(f, "--repo-url", "https://git.example.com/x.git")...)...)
	assert.Equal(t, exitUsage, r.code, "a repo_url without credentials would wipe the stored ones")
	assert.Contains(t, r.stderr, "ClearCredentials")
}

func TestAPISendsDataAndQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, "api", "PUT", "/teams/"+f.seed.TeamA.TenantID, "--data", `{"tenant_alias":"Renamed"}`)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Empty(t, r.stdout, "the console answers nothing")
	r = cli(t, f.env, "api", "get", "/teams", "--query", "query=Renamed", "-o", "json")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Renamed")
	r = cli(t, f.env, "api", "GET", "/nowhere")
	assert.Equal(t, exitConsole, r.code, "Django's HTML 404: unsupported")
	assert.Contains(t, r.stderr, "does not have this endpoint")
	r = cli(t, f.env, "api", "GET", "/teams/../x")
	assert.Equal(t, exitUsage, r.code)
	r = cli(t, f.env, "api", "POST", "/teams", "--data", "{not json")
	assert.Equal(t, exitUsage, r.code)
	r = cli(t, f.env, "api", "GET")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "METHOD PATH")
}

func TestFakeConsoleServesUntilInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	require.NoError(t, os.WriteFile(seed, []byte(`{"regions":[{"region_name":"r1"}],"teams":[{"tenant_name":"ops","regions":["r1"]}]}`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncWriter{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"fake-console", "--env", "--seed", seed, "--console-version", "v5.16.0"}, func(string) (string, bool) { return "", false }, out, &syncWriter{})
	}()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "RAINBOND_TOKEN=") }, 5*time.Second, 10*time.Millisecond)
	vars := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		k, v, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		vars[k] = v
	}
	r := cli(t, vars, "teams", "list", "-o", "json")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, `"tenant_name": "ops"`, "seeded from the file")
	r = cli(t, vars, "components", "ports", "list", "--team", "ops", "--region", "r1", "--app", "1", "--component", "x")
	assert.Equal(t, exitConsole, r.code, "v5.16.0 has no ports route: %s", r.all())
	cancel()
	assert.Equal(t, exitOK, <-done)

	r = cli(t, nil, "fake-console", "--seed", filepath.Join(dir, "missing.json"))
	assert.Equal(t, exitUsage, r.code)
}

func TestCompletionScriptsCompleteCommandsAndFlags(t *testing.T) {
	t.Parallel()
	r := cli(t, nil, "completion", "bash")
	require.Equal(t, exitOK, r.code, r.all())
	script := filepath.Join(t.TempDir(), "rainbond.bash")
	require.NoError(t, os.WriteFile(script, []byte(r.stdout), 0o600))
	complete := func(words ...string) string {
		t.Helper()
		line := "source " + script + "; COMP_WORDS=(rainbond"
		for _, w := range words {
			line += " " + strconv.Quote(w)
		}
		line += "); COMP_CWORD=" + strconv.Itoa(len(words)) + "; _rainbond; echo \"${COMPREPLY[*]}\""
		out, err := exec.Command("bash", "-c", line).CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.TrimSpace(string(out))
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	assert.ElementsMatch(t, []string{"api", "apps"}, strings.Fields(complete("ap")))
	assert.Contains(t, complete("apps", "de"), "deploy")
	assert.Contains(t, complete("apps", "deploy", "--w"), "--wait")
	assert.Equal(t, "json", complete("apps", "list", "-o", "j"))
	assert.Equal(t, "bash", complete("completion", "b"))

	r = cli(t, nil, "completion", "zsh")
	require.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "#compdef rainbond"))
	if zsh, err := exec.LookPath("zsh"); err == nil {
		out, err := exec.Command(zsh, "-n", "-c", r.stdout).CombinedOutput()
		assert.NoError(t, err, string(out))
	}
	assert.Equal(t, exitUsage, cli(t, nil, "completion", "tcsh").code)
}

func TestUpgradeToAVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, append([]string{"apps", "upgrade"}, appArgs(f, "--model", f.seed.WordPress.ID, "--to", "6.5", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, `"to": "6.5"`)
	r = cli(t, f.env, append([]string{"apps", "upgrade"}, appArgs(f, "--model", f.seed.WordPress.ID, "--to", "9.9")...)...)
	assert.Equal(t, exitConsole, r.code, "a version the store lacks: %s", r.all())
}

// TestNothingTheCommandPrintsHoldsASecretItKnows: a failed build whose
// message echoes the password and the token, and an events list holding a
// password the command knows only from its environment.
func TestNothingTheCommandPrintsHoldsASecretItKnows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const password = "s3cret-repo-password"
	f.srv.FailNextBuild(f.web, "clone https://ci:"+password+"@git.example.com/x.git failed; Authorization: "+f.env["RAINBOND_TOKEN"])
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte(password+"\n"), 0o600))
	r := cli(t, f.env, append([]string{"components", "build"}, componentArgs(f, "--repo-url", "https://git.example.com/x.git",
		"--username", "ci", "--password-file", pw, "--wait", "--logs", "--interval", "10ms")...)...)
	assert.Equal(t, exitWaitFailed, r.code, r.all())
	assert.Contains(t, r.stderr, "waiting for event")
	assert.NotContains(t, r.all(), password)
	assert.NotContains(t, r.all(), f.env["RAINBOND_TOKEN"])

	const envPassword = "env-only-pass-93b1"
	f.srv.FailNextBuild(f.web, "login with "+envPassword+" refused")
	r = cli(t, f.env, append([]string{"components", "build"}, componentArgs(f)...)...)
	require.Equal(t, exitOK, r.code, r.all())
	r = cli(t, f.env, append([]string{"components", "events"}, componentArgs(f, "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	require.Contains(t, r.stdout, envPassword, "without it in the environment, the message is data like any other")

	env := maps.Clone(f.env)
	env["RAINBOND_BUILD_PASSWORD"] = envPassword
	r = cli(t, env, append([]string{"components", "events"}, componentArgs(f, "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.NotContains(t, r.stdout, envPassword, "a secret of the environment is redacted, whatever the command")
	assert.Contains(t, r.stdout, "login with [REDACTED] refused")
}

func TestAPIRefusesAPathThatWouldLeaveItsEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, path := range []string{"/%2E%2E%2F%2E%2E%2Fconsole", "/teams/abc%2Fregions%2Frainbond", "/teams/a%5Cb"} {
		r := cli(t, f.env, "api", "GET", path)
		assert.Equal(t, exitUsage, r.code, "%s: %s", path, r.all())
	}
	for _, req := range f.srv.Requests() {
		assert.NotContains(t, req.Path, "console", "nothing was sent")
	}
}

// startFake runs fake-console with args until the test ends, and returns
// the variables its --env output sets and what it wrote on stderr.
func startFake(t *testing.T, env map[string]string, args ...string) (map[string]string, *syncWriter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncWriter{}, &syncWriter{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"fake-console", "--env"}, args...), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, out, errOut)
	}()
	t.Cleanup(func() { cancel(); <-done })
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "RAINBOND_TOKEN=") }, 5*time.Second, 10*time.Millisecond)
	vars := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		k, v, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		vars[k] = v
	}
	return vars, errOut
}

func TestFakeConsoleMakesATokenPerRunAndWarnsBeyondLoopback(t *testing.T) {
	t.Parallel()
	first, errOut := startFake(t, nil)
	second, _ := startFake(t, nil)
	assert.NotEqual(t, first["RAINBOND_TOKEN"], second["RAINBOND_TOKEN"], "a new token every run")
	assert.NotEqual(t, rainbondtest.DefaultToken, first["RAINBOND_TOKEN"], "never the published one")
	assert.Len(t, first["RAINBOND_TOKEN"], 40)
	assert.NotContains(t, errOut.String(), "warning")

	published := maps.Clone(first)
	published["RAINBOND_TOKEN"] = rainbondtest.DefaultToken
	r := cli(t, published, "teams", "list")
	assert.Equal(t, exitConsole, r.code, "the published token does not open it: %s", r.all())
	r = cli(t, first, "teams", "list")
	assert.Equal(t, exitOK, r.code, r.all())

	given, _ := startFake(t, map[string]string{"RAINBOND_FAKE_TOKEN": "chosen-token-123456"})
	assert.Equal(t, "chosen-token-123456", given["RAINBOND_TOKEN"])

	_, errOut = startFake(t, nil, "--listen", "0.0.0.0:0")
	assert.Contains(t, errOut.String(), "warning: the fake console listens on", "every interface")
}

func TestCertificatesNeverPrintTheirKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	key, err := os.ReadFile(f.keyFile)
	require.NoError(t, err)
	body := strings.Split(strings.TrimSpace(string(key)), "\n")[1] // a line of the key's base64
	for _, args := range [][]string{
		append([]string{"certificates", "get"}, certArgs(f, "--id", f.certID, "-o", "json")...),
		append([]string{"certificates", "ensure"}, certArgs(f, "--alias", "blog", "--cert-file", f.certFile, "--key-file", f.keyFile, "-o", "json")...),
		append([]string{"certificates", "update"}, certArgs(f, "--id", f.certID, "--alias", "blog", "--cert-file", f.certFile, "--key-file", f.keyFile, "-o", "json")...),
	} {
		r := cli(t, f.env, args...)
		require.Equal(t, exitOK, r.code, r.all())
		assert.NotContains(t, r.all(), body, "%v", args)
		assert.Contains(t, r.stdout, `"private_key": "[REDACTED]"`, "%v", args)
	}
}

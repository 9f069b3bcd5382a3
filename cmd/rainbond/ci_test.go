package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The rainbond command in a CI job (issue 23): progress without a
// terminal, timeouts that fit the work, errors in the user's words,
// secrets off the command line, following what already runs, a fake
// console that says what it holds, consistent commands, tables that read
// right in Chinese, completion of values.

// slowFixture is a fake console whose components take transition to
// change state, with WordPress installed and running in the seed's first
// app; its environment beats every 50 ms.
type slowFixture struct {
	srv  *rainbondtest.Server
	seed rainbondtest.Seed
	env  map[string]string
	web  string // wordpress's service_id
}

func newSlowFixture(t *testing.T, transition time.Duration) *slowFixture {
	t.Helper()
	srv := rainbondtest.NewServer(rainbondtest.WithTransitionTime(transition))
	t.Cleanup(srv.Close)
	seed := srv.Seed()
	c, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	require.NoError(t, err)
	installed, _, err := c.Apps.InstallFromMarket(context.Background(), seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.WordPress.ID, AppModelVersion: "6.4",
	}, &rainbond.InstallOptions{Deploy: true})
	require.NoError(t, err)
	_, err = c.Apps.WaitForComponents(context.Background(), seed.TeamA.TenantID, "rainbond", seed.AppA.ID,
		&rainbond.WaitOptions{Interval: 10 * time.Millisecond, MaxInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	env := map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": srv.Token, "RAINBOND_HEARTBEAT": "50ms"}
	return &slowFixture{srv: srv, seed: seed, env: env, web: installed.ServiceList[0].ServiceID}
}

func (f *slowFixture) app(extra ...string) []string {
	return append([]string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--app", "1"}, extra...)
}

// Item 1: every wait prints its progress on stderr without a terminal (a
// line when the state changes, a heartbeat while it does not), never on
// stdout; --quiet turns it off.
func TestWaitsShowTheirProgressWithoutATerminal(t *testing.T) {
	t.Parallel()
	f := newSlowFixture(t, 300*time.Millisecond)
	waits := map[string][]string{
		"deploy":  append([]string{"apps", "deploy"}, f.app("--all", "--wait", "--interval", "20ms")...),
		"start":   append([]string{"apps", "start"}, f.app("--components", "wordpress", "--wait", "--interval", "20ms")...),
		"upgrade": append([]string{"apps", "upgrade"}, f.app("--model", f.seed.WordPress.ID, "--wait", "--interval", "20ms")...),
		"build":   append([]string{"components", "build"}, f.app("--component", "wordpress", "--wait", "--interval", "20ms")...),
	}
	for name, args := range waits {
		r := cli(t, f.env, append(args, "-o", "json")...)
		require.Equal(t, exitOK, r.code, "%s: %s", name, r.all())
		assert.True(t, json.Valid([]byte(r.stdout)), "%s: stdout is the JSON alone: %s", name, r.stdout)
		assert.Regexp(t, `(?m)^rainbond: \[0s\] waiting for .* \(--timeout \d+m\)$`, r.stderr, name)
		assert.Contains(t, r.stderr, "still waiting for", "%s: a heartbeat while nothing changes", name)
		if name != "build" && name != "start" {
			assert.Regexp(t, `(?m)^rainbond: \[\d+s\] wordpress \w+, mysql \w+$`, r.stderr, "%s: the states, by the names users see", name)
		}

		r = cli(t, f.env, append(args, "--quiet")...)
		require.Equal(t, exitOK, r.code, "%s: %s", name, r.all())
		assert.Empty(t, r.stderr, "%s: --quiet", name)
	}

	r := cli(t, f.env, append([]string{"apps", "stop"}, f.app("--all", "--wait", "--interval", "20ms")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	assert.Contains(t, lines[len(lines)-1], "wordpress closed, mysql closed", "the last state seen")
	states := 0
	for _, l := range lines {
		if !strings.Contains(l, "waiting") {
			states++
		}
	}
	assert.Less(t, states, 4, "a line per change, not per poll (polls every 20 ms for 300 ms): %s", r.stderr)
	r = cli(t, f.env, append([]string{"apps", "wait"}, f.app("--state", "closed", "--interval", "20ms")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "waiting for the components of app 1 to be closed (--timeout 10m)")
}

func TestImportAndCanaryShowTheirProgress(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, "apps", "import", "--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--file", f.pkgFile, "--interval", "10ms")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "waiting for the import of 1 packages (--timeout 30m)")
	assert.Contains(t, r.stderr, "uploading "+f.pkgFile)
	assert.Contains(t, r.stderr, "importing (import ")

	r = cli(t, f.env, canaryArgs(f, "--schedule", "10,100", "--gate-cmd", "true")...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "waiting for the canary of shop-next to walk 10%, 100% (--timeout 1h)")
	assert.Contains(t, r.stderr, "at 10%: running the gate")
	assert.Contains(t, r.stderr, "at 10%: the gate passed; moving to 100%")
}

// A heartbeat's period comes from RAINBOND_HEARTBEAT, 30 s by default; a
// wrong one is said and ignored.
func TestTheHeartbeatIsConfigurable(t *testing.T) {
	t.Parallel()
	s := newSession(func(string) (string, bool) { return "", false }, nil, nil, &strings.Builder{})
	assert.Equal(t, 30*time.Second, s.heartbeat)
	var stderr strings.Builder
	s = newSession(func(k string) (string, bool) { return "soon", k == "RAINBOND_HEARTBEAT" }, nil, nil, &stderr)
	assert.Equal(t, 30*time.Second, s.heartbeat)
	assert.Contains(t, stderr.String(), `RAINBOND_HEARTBEAT="soon" is not a positive duration`)
}

// Item 2: each wait has its own default --timeout, shown by --help; when
// it runs out, the error names what was pending, how long the command
// waited and the flag to raise (exit 7).
func TestWaitsHaveTimeoutsThatFitTheWork(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"apps deploy":        "(default 1m; 10m with --wait)",
		"apps stop":          "(default 1m; 10m with --wait)",
		"apps upgrade":       "(default 1m; 15m with --wait)",
		"apps wait":          "(default 10m)",
		"apps import":        "(default 30m)",
		"apps canary start":  "(default 1m; 1h with --schedule)",
		"components build":   "(default 1m; 30m with --wait)",
		"components logs":    "(default 1m; 30m with --follow)",
		"components events":  "(default 1m; 10m with --watch)",
		"apps list":          "(default 1m)",
		"components env set": "(default 1m)",
	} {
		r := cli(t, nil, append(strings.Fields(path), "--help")...)
		assert.Contains(t, r.stdout, "  --timeout duration\n      time limit for the whole command, retries and waits included "+want, path)

		n, _, _ := commands().find(strings.Fields(path))
		timeout := func(args ...string) time.Duration {
			fs := n.flagSet(path)
			s := &session{}
			s.common.register(fs)
			n.setup(fs, s)
			require.NoError(t, fs.Parse(args), path)
			n.applyTimeout(fs, s)
			return s.timeout
		}
		assert.Equal(t, time.Minute, timeout("--timeout", "1m"), path)
		assert.Equal(t, 5*time.Second, timeout("--timeout", "5s"), "%s: --timeout given stands", path)
	}
	n, _, _ := commands().find([]string{"components", "build"})
	fs := n.flagSet("components build")
	s := &session{}
	s.common.register(fs)
	n.setup(fs, s)
	require.NoError(t, fs.Parse([]string{"--wait"}))
	n.applyTimeout(fs, s)
	assert.Equal(t, 30*time.Minute, s.timeout)
	assert.Equal(t, "the default with --wait", s.timeoutNote)

	n, _, _ = commands().find([]string{"apps", "import"})
	fs = n.flagSet("apps import")
	s = &session{}
	s.common.register(fs)
	n.setup(fs, s)
	require.NoError(t, fs.Parse([]string{"--no-wait"}))
	n.applyTimeout(fs, s)
	assert.Equal(t, 30*time.Minute, s.timeout, "--no-wait still uploads: the import's default")
}

func TestAWaitThatRunsOutSaysWhatWasPending(t *testing.T) {
	t.Parallel()
	f := newSlowFixture(t, 400*time.Millisecond)
	r := cli(t, f.env, append([]string{"apps", "deploy"}, f.app("--all", "--wait", "--interval", "20ms", "--timeout", "100ms")...)...)
	assert.Equal(t, exitTimedOut, r.code, r.all())
	assert.Regexp(t, `rainbond: timed out after \d+ms waiting for the components of app 1 to be running after deploy; `+
		`still pending: mysql \(\w+\), wordpress \(\w+\)\. The work may still finish; to wait longer, raise --timeout \(it was 100ms\)`, r.stderr)
	assert.NotContains(t, r.stderr, f.web, "components are named as users see them")

	r = cli(t, f.env, append([]string{"components", "build"}, f.app("--component", "wordpress", "--wait", "--interval", "20ms", "--timeout", "100ms")...)...)
	assert.Equal(t, exitTimedOut, r.code, r.all())
	assert.Regexp(t, `timed out after \d+ms waiting for build \w+ of component wordpress; still pending: event \w+ \(build-service, pending\)`, r.stderr)
	assert.Contains(t, r.stderr, "raise --timeout (it was 100ms)")
}

// Item 3: errors name the flags the user set, and the variable the token
// came from; help and usage errors write flags as --flag.
func TestErrorsAreInTheUsersWords(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
		says string
	}{
		"no region":      {env, []string{"apps", "list", "--team", seed.TeamA.TenantName}, "rainbond: invalid input: --region: required\n"},
		"bad app":        {env, []string{"apps", "get", "--team", "t", "--region", "r"}, "--app: 0: must be a positive app id"},
		"copy target":    {env, []string{"apps", "copy", "--team", "t", "--region", "r", "--app", "1", "--all", "--to-region", "r", "--to-app", "2"}, "--to-team: required"},
		"short token":    {map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": "abc"}, []string{"teams", "list"}, "the API token from RAINBOND_TOKEN: shorter than 8 characters"},
		"bearer token":   {map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": "Bearer " + srv.Token}, []string{"teams", "list"}, "the API token from RAINBOND_TOKEN: pass the token alone"},
		"url":            {map[string]string{"RAINBOND_URL": "console.example.com", "RAINBOND_TOKEN": srv.Token}, []string{"teams", "list"}, `RAINBOND_URL "console.example.com": no scheme`},
		"url flag":       {env, []string{"teams", "list", "--url", "console.example.com"}, `--url "console.example.com": no scheme`},
		"unknown flag":   {env, []string{"teams", "list", "--bogus"}, "rainbond: flag provided but not defined: --bogus; see --help"},
		"one dash":       {env, []string{"teams", "list", "-bogus"}, "flag provided but not defined: --bogus"},
		"bad value":      {env, []string{"teams", "list", "--timeout", "soon"}, `invalid value "soon" for flag --timeout`},
		"needs argument": {env, []string{"teams", "list", "--query"}, "flag needs an argument: --query"},
	} {
		r := cli(t, tc.env, tc.args...)
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.all())
		assert.Contains(t, r.stderr, tc.says, name)
		assert.NotContains(t, r.stderr, "WithToken", name)
		assert.NotContains(t, r.stderr, "region_name", name)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")

	dir := t.TempDir()
	short := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(short, []byte("abc\n"), 0o600))
	r := cli(t, map[string]string{"RAINBOND_URL": srv.URL}, "teams", "list", "--token-file", short)
	assert.Contains(t, r.stderr, "the API token from --token-file "+short+": shorter than 8 characters")
	r = cli(t, map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN_FILE": short}, "teams", "list")
	assert.Contains(t, r.stderr, "the API token from RAINBOND_TOKEN_FILE ("+short+"): shorter")

	commands().walk("", func(path string, leaf *node) {
		r := cli(t, nil, append(strings.Fields(path), "--help")...)
		assert.NotRegexp(t, `(?m)^  -[a-np-z]`, r.stdout, "%s: flags are --flag (only -o has one dash)", path)
		assert.NotContains(t, r.stdout, "\x00", path)
	})
	r = cli(t, nil, "apps", "copy", "--help")
	assert.Contains(t, r.stdout, "\nFlags:\n  --all\n")
	assert.Contains(t, r.stdout, "\nCommon flags:\n  --dry-run\n")
	assert.Contains(t, r.stdout, "  -o string\n      output: table or json (default \"table\")\n")
	assert.NotContains(t, r.stdout, "--service", "the old name is not shown")
}

// The names of the console's fields map to the flags of the command that
// set them.
func TestFieldsMapToTheCommandsFlags(t *testing.T) {
	t.Parallel()
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	fs.String("team", "", "")
	fs.String("name", "", "")
	fs.Var(&copyPicks{}, "components", "")
	fs.String("market-access-key-file", "", "")
	s := &session{flags: fs}
	err := &rainbond.ValidationError{Problems: []rainbond.Problem{
		{Field: "team_id", Reason: "required"}, {Field: "tenant_name", Reason: "too long"},
		{Field: "services[2].service_id", Reason: "required"}, {Field: "market_access_key", Reason: "blank"},
		{Field: "ctx", Reason: "nil context"},
	}}
	assert.Equal(t, "--team: required; --team: too long; --components (value 3): required; "+
		"--market-access-key-file or RAINBOND_MARKET_ACCESS_KEY: blank; ctx: nil context", s.problems(err))
	fs = flag.NewFlagSet("", flag.ContinueOnError)
	fs.String("name", "", "")
	s = &session{flags: fs}
	assert.Equal(t, "--name", s.fieldName("tenant_name"), "teams create names its team with --name")
	assert.Equal(t, "RAINBOND_MARKET_ACCESS_KEY", s.fieldName("market_access_key"))
}

// Item 4: variables' values come from a file, stdin or the environment,
// and are never printed.
func TestEnvSetReadsValuesFromFilesAndTheEnvironment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const fileSecret, stdinSecret, envSecret = "file-s3cret-4b1e", "stdin-s3cret-77a0", "env-s3cret-90c2"
	file := filepath.Join(t.TempDir(), "web.env")
	require.NoError(t, os.WriteFile(file, []byte("# the web's settings\n\nAPI_KEY=\""+fileSecret+"\"\n  # indented comment\nexport SHORT=1\r\n"), 0o600))
	env := maps.Clone(f.env)
	env["CI_DB_PASSWORD"] = envSecret
	env["LOG_LEVEL"] = "debug"

	set := func(stdin string, extra ...string) result {
		var stdout, stderr strings.Builder
		args := append([]string{"components", "env", "set"}, componentArgs(f, extra...)...)
		code := runWith(context.Background(), args, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, strings.NewReader(stdin), &stdout, &stderr)
		return result{code, stdout.String(), stderr.String()}
	}
	r := set("", "MODE=prod", "--from-file", file, "--from-env", "DB_PASSWORD=CI_DB_PASSWORD", "--from-env", "LOG_LEVEL", "--verbose")
	require.Equal(t, exitOK, r.code, r.all())
	got := f.srv.Envs(f.web)
	assert.Equal(t, "prod", got["MODE"])
	assert.Equal(t, fileSecret, got["API_KEY"], "quotes around a value go")
	assert.Equal(t, "1", got["SHORT"])
	assert.Equal(t, envSecret, got["DB_PASSWORD"])
	assert.Equal(t, "debug", got["LOG_LEVEL"])
	assert.NotContains(t, r.all(), fileSecret)
	assert.NotContains(t, r.all(), envSecret)
	assert.Regexp(t, `(?m)^SHORT +\[REDACTED\]`, r.stdout, "a short value from a file is not shown either")
	assert.Regexp(t, `(?m)^MODE +prod`, r.stdout, "a value on the command line is shown")

	r = set("STDIN_KEY="+stdinSecret+"\n", "--from-file", "-", "-o", "json", "--dry-run")
	require.Equal(t, exitOK, r.code, r.all())
	assert.NotContains(t, r.all(), stdinSecret, "not in a dry run's body either")
	assert.Contains(t, r.stdout, `"value": "[REDACTED]"`)
	r = set("STDIN_KEY="+stdinSecret+"\n", "--from-file", "-")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Equal(t, stdinSecret, f.srv.Envs(f.web)["STDIN_KEY"])

	for name, tc := range map[string]struct {
		stdin string
		args  []string
		says  string
	}{
		"nothing":     {"", nil, "name the variables"},
		"unset":       {"", []string{"--from-env", "NOT_SET"}, "--from-env NOT_SET: the variable NOT_SET is not set"},
		"bad line":    {"GOOD=1\n" + stdinSecret + "\n", []string{"--from-file", "-"}, "--from-file -: line 2: want NAME=VALUE"},
		"no file":     {"", []string{"--from-file", filepath.Join(t.TempDir(), "missing")}, "--from-file: open"},
		"bad arg":     {"", []string{"MODE"}, `"MODE": want NAME=VALUE`},
		"empty name":  {"", []string{"--from-env", "=X"}, "want NAME or NAME=VARIABLE"},
		"unset alias": {"", []string{"--from-env", "A=NOT_SET"}, "the variable NOT_SET is not set"},
	} {
		r := set(tc.stdin, tc.args...)
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.all())
		assert.Contains(t, r.stderr, tc.says, name)
		assert.NotContains(t, r.all(), stdinSecret, name)
	}
}

// Item 5: logs --follow follows a build started elsewhere; events --watch
// prints events as they come.
func TestLogsFollowAnEventStartedElsewhere(t *testing.T) {
	t.Parallel()
	f := newSlowFixture(t, 300*time.Millisecond)
	c, err := rainbond.NewClient(f.srv.URL, rainbond.WithToken(f.srv.Token))
	require.NoError(t, err)
	ev, _, err := c.Components.Build(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID, f.web, nil)
	require.NoError(t, err)
	logs := func(extra ...string) result {
		return cli(t, f.env, append([]string{"components", "logs"}, f.app(append([]string{"--component", "wordpress", "--event", ev.EventID}, extra...)...)...)...)
	}
	r := logs("--follow", "--interval", "20ms")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Pulling goodrain.me/wordpress:6.4-php8.2\nImage goodrain.me/wordpress:6.4-php8.2 ready\nBuild and deploy finished\n")
	assert.Contains(t, r.stderr, "waiting for event "+ev.EventID+" of component wordpress (--timeout 30m)")
	assert.Contains(t, r.stderr, "event "+ev.EventID+" (build-service): success")

	r = logs("--follow", "--interval", "20ms", "-o", "json")
	require.Equal(t, exitOK, r.code, r.all())
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.NotEmpty(t, lines)
	var messages []string
	for _, l := range lines {
		var line struct {
			Message string `json:"message"`
			Time    string `json:"time"`
			UTime   int64  `json:"utime"`
		}
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&line), "one JSON object a line: %s", l)
		assert.NotEmpty(t, line.Time, l)
		messages = append(messages, line.Message)
	}
	assert.Contains(t, strings.Join(messages, "\n")+"\n",
		"Pulling goodrain.me/wordpress:6.4-php8.2\nImage goodrain.me/wordpress:6.4-php8.2 ready\nBuild and deploy finished\n", "the build's lines, in order")

	f.srv.FailNextBuild(f.web, "exit status 2")
	failed, _, err := c.Components.Build(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID, f.web, nil)
	require.NoError(t, err)
	r = cli(t, f.env, append([]string{"components", "logs"}, f.app("--component", f.web, "--event", failed.EventID, "--follow", "--interval", "20ms")...)...)
	assert.Equal(t, exitWaitFailed, r.code, r.all())
	assert.Contains(t, r.stderr, "exit status 2")

	running, _, err := c.Components.Build(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID, f.web, nil)
	require.NoError(t, err)
	r = cli(t, f.env, append([]string{"components", "logs"}, f.app("--component", "wordpress", "--event", running.EventID, "--follow", "--interval", "20ms", "--timeout", "100ms")...)...)
	assert.Equal(t, exitTimedOut, r.code, r.all())
	assert.Contains(t, r.stderr, "waiting for event "+running.EventID+" of component wordpress; still pending: event "+running.EventID+" (build-service, pending)")

	r = cli(t, f.env, "components", "logs", "--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--event", ev.EventID, "--follow")
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "--follow needs --app and --component")
}

func TestEventsWatchPrintsEventsAsTheyCome(t *testing.T) {
	t.Parallel()
	f := newSlowFixture(t, 600*time.Millisecond)
	c, err := rainbond.NewClient(f.srv.URL, rainbond.WithToken(f.srv.Token))
	require.NoError(t, err)
	ev, _, err := c.Components.Build(context.Background(), f.seed.TeamA.TenantID, "rainbond", f.seed.AppA.ID, f.web, nil)
	require.NoError(t, err)
	r := cli(t, f.env, append([]string{"components", "events"}, f.app("--component", "wordpress", "--watch", "--interval", "20ms", "--timeout", "1500ms")...)...)
	require.Equal(t, exitOK, r.code, "the watch's end is no failure: %s", r.all())
	assert.Regexp(t, `(?m)^\S+  `+ev.EventID+`  build-service  pending  $`, r.stdout, "seen running")
	assert.Regexp(t, `(?m)^\S+  `+ev.EventID+`  build-service  success  $`, r.stdout, "then done")
	assert.Equal(t, 2, strings.Count(r.stdout, ev.EventID), "each state once: %s", r.stdout)
	assert.Contains(t, r.stderr, "stopped watching the events of wordpress")

	r = cli(t, f.env, append([]string{"components", "events"}, f.app("--component", "wordpress", "--watch", "--interval", "20ms", "--timeout", "100ms", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	seen := map[string]string{}
	for sc.Scan() {
		var e struct {
			EventID string `json:"event_id"`
			OptType string `json:"opt_type"`
			Status  string `json:"status"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e), sc.Text())
		require.NotEmpty(t, e.EventID, sc.Text())
		seen[e.EventID] = e.OptType + " " + e.Status
	}
	assert.Equal(t, "build-service success", seen[ev.EventID], "one JSON object a line, the build's among them: %s", r.stdout)
}

// Item 6: fake-console says what it holds, exports it with --env, and
// writes --ready-file once it serves.
func TestFakeConsoleSaysWhatItHolds(t *testing.T) {
	t.Parallel()
	ready := filepath.Join(t.TempDir(), "fake.env")
	require.NoError(t, os.WriteFile(ready, []byte("export RAINBOND_URL=http://stale\n"), 0o600))
	vars, errOut := startFake(t, nil, "--ready-file", ready)
	srv := rainbondtest.NewServer() // the same default seed, for its names
	t.Cleanup(srv.Close)
	seed := srv.Seed()
	assert.Equal(t, seed.TeamA.TenantName, vars["RAINBOND_FAKE_TEAM"])
	assert.Len(t, vars["RAINBOND_FAKE_TEAM_ID"], 32)
	assert.Equal(t, "rainbond", vars["RAINBOND_FAKE_REGION"])
	assert.Equal(t, "1", vars["RAINBOND_FAKE_APP"])
	assert.Equal(t, seed.Store.URL, vars["RAINBOND_FAKE_MARKET_URL"])
	assert.Equal(t, seed.Store.Domain, vars["RAINBOND_FAKE_MARKET_DOMAIN"])
	assert.Equal(t, "6.4", vars["RAINBOND_FAKE_MODEL_VERSION"])
	assert.NotEmpty(t, vars["RAINBOND_FAKE_MODEL"])
	for _, want := range []string{"Teams", seed.TeamA.TenantName, seed.TeamB.TenantName, "Team A", "rainbond,region-b",
		"Regions", "默认集群", "enabled", "Apps", "blog-staging", "App store rainbond (--market-url https://store.goodrain.com --market-domain rainbond)",
		"wordpress", "6.4,6.5", "redis", "7.2"} {
		assert.Contains(t, errOut.String(), want, "with --env, stderr says what it holds")
	}

	var written []byte
	require.Eventually(t, func() bool {
		written, _ = os.ReadFile(ready)
		return strings.Contains(string(written), "export RAINBOND_TOKEN="+vars["RAINBOND_TOKEN"]+"\n")
	}, 5*time.Second, 10*time.Millisecond, "the ready file holds the export lines, not the stale ones")
	assert.Contains(t, string(written), "export RAINBOND_FAKE_APP=1\n")
	r := cli(t, vars, "apps", "list", "--team", vars["RAINBOND_FAKE_TEAM"], "--region", vars["RAINBOND_FAKE_REGION"])
	require.Equal(t, exitOK, r.code, "the ready file's console serves: %s", r.all())

	// Without --env, stdout says it all; a seed file's store and library.
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(seedFile, []byte(`{"regions":[{"region_name":"r1","region_alias":"北京"}],"teams":[{"tenant_name":"ops","regions":["r1"]}],
		"apps":[{"tenant_id":"ops","region_name":"r1","name":"商城"}],
		"stores":[{"domain":"d","url":"https://s.example.com","models":[{"id":"m1","name":"web","versions":[{"version":"1.0"},{"version":"2.0"}]}]}],
		"local_models":[{"id":"lib1","name":"shop","versions":[{"version":"3.0"}]}]}`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncWriter{}
	done := make(chan int, 1)
	ready2 := filepath.Join(t.TempDir(), "ready")
	go func() {
		done <- run(ctx, []string{"fake-console", "--seed", seedFile, "--ready-file", ready2}, func(string) (string, bool) { return "", false }, out, &syncWriter{})
	}()
	require.Eventually(t, func() bool { _, err := os.Stat(ready2); return err == nil }, 5*time.Second, 10*time.Millisecond)
	for _, want := range []string{"Fake console at http://127.0.0.1:", "ops", "r1", "北京", "商城", "App store d (--market-url https://s.example.com --market-domain d)",
		"m1", "1.0,2.0", "Local library", "lib1", "3.0"} {
		assert.Contains(t, out.String(), want)
	}
	written, err := os.ReadFile(ready2)
	require.NoError(t, err)
	assert.Contains(t, string(written), "export RAINBOND_FAKE_TEAM=ops\nexport RAINBOND_FAKE_TEAM_ID=")
	assert.Contains(t, string(written), "export RAINBOND_FAKE_MODEL=m1\nexport RAINBOND_FAKE_MODEL_VERSION=1.0\n")
	cancel()
	assert.Equal(t, exitOK, <-done)
	_, err = os.Stat(ready2)
	assert.True(t, os.IsNotExist(err), "the ready file goes when the console stops")
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "http://127.0.0.1:8080", shellQuote("http://127.0.0.1:8080"))
	assert.Equal(t, "'Team A'", shellQuote("Team A"))
	assert.Equal(t, `'it'\''s'`, shellQuote("it's"))
	assert.Equal(t, "''", shellQuote(""))
}

// buildCommand builds the command into a directory of the test, for
// the tests that run it from a shell.
func buildCommand(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build the command with")
	}
	bin := filepath.Join(t.TempDir(), "rainbond")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// README's CLI section runs as pasted: its lifecycle snippet, against
// the fake console it starts.
func TestREADMELifecycleSnippetRunsAsPasted(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("the snippet uses jq")
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	section := string(readme)
	start := strings.Index(section, "## The `rainbond` command")
	require.GreaterOrEqual(t, start, 0)
	section = section[start:]
	section = section[:strings.Index(section[3:], "\n## ")+3]
	m := regexp.MustCompile("(?s)A scripted lifecycle.*?```sh\n(.*?)```").FindStringSubmatch(section)
	require.NotNil(t, m, "the lifecycle snippet")
	snippet := m[1]
	assert.NotContains(t, snippet, "sleep 1", "it waits for the ready file, not for a guessed second")
	bin := buildCommand(t)
	work := t.TempDir()
	seed, err := filepath.Abs("../../examples/cli")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(work, "examples"), 0o755))
	require.NoError(t, os.Symlink(seed, filepath.Join(work, "examples", "cli")))
	// The snippet leaves its fake console running, as it would in a
	// terminal: the script ends by stopping whatever it started.
	script := "set -euo pipefail\n" + snippet + "\nkill $(jobs -p) 2>/dev/null || true\n"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = work
	cmd.Env = append(slicesWithout(os.Environ(), "RAINBOND_", "PATH="), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // anything left behind
	}
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), `"status": "running"`)
	assert.Contains(t, string(out), "waiting for", "its waits show their progress")
}

// slicesWithout drops the variables of env that start with prefixes.
func slicesWithout(env []string, prefixes ...string) []string {
	var out []string
	for _, e := range env {
		keep := true
		for _, p := range prefixes {
			keep = keep && !strings.HasPrefix(e, p)
		}
		if keep {
			out = append(out, e)
		}
	}
	return out
}

// Item 7: teams regions, regions' status in words, one flag name per
// concept, summaries that name teams alike, scale's result.
func TestCommandsAreConsistent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, "teams", "regions", "--team", f.seed.TeamA.TenantName)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Regexp(t, `(?m)^rainbond +默认集群 +enabled +rainbond\.apps\.test`, r.stdout)
	assert.Regexp(t, `(?m)^region-b +Second cluster +enabled`, r.stdout)
	r = cli(t, f.env, "regions", "list")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Regexp(t, `(?m)^rainbond +默认集群 +enabled$`, r.stdout)
	for status, words := range map[string]string{"0": "editing", "1": "enabled", "2": "disabled", "3": "maintenance", "9": "9"} {
		assert.Equal(t, words, regionStatus(status))
	}

	r = cli(t, f.env, append([]string{"apps", "copy"}, appArgs(f, "--components", "wordpress,mysql=8.0", "--to-team", f.seed.TeamB.TenantName,
		"--to-region", "rainbond", "--to-app", "2")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Copied 2 components of app 1 (team o19p6wen, region rainbond) into app 2 (team k2m8x4qa, region rainbond)")
	r = cli(t, f.env, append([]string{"apps", "copy"}, appArgs(f, "--service", "wordpress", "--to-team", f.seed.TeamB.TenantName,
		"--to-region", "rainbond", "--to-app", "2")...)...)
	require.Equal(t, exitOK, r.code, "--service, the old name, still works: %s", r.all())
	r = cli(t, f.env, append([]string{"apps", "copy"}, appArgs(f, "--components", "wordpress", "--all", "--to-team", f.seed.TeamB.TenantName,
		"--to-region", "rainbond", "--to-app", "2")...)...)
	assert.Equal(t, exitUsage, r.code, r.all())
	r = cli(t, f.env, append([]string{"apps", "copy"}, appArgs(f, "--components", "web=", "--to-team", "x", "--to-region", "r", "--to-app", "2")...)...)
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, `"web=": want NAME or NAME=VERSION`)

	r = cli(t, f.env, installArgs(f.seed)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "into app 1 (team o19p6wen, region rainbond)", "the team as the user named it, as copy does")

	r = cli(t, f.env, append([]string{"components", "scale"}, componentArgs(f, "--instances", "3", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	var scaled map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &scaled), r.stdout)
	assert.Equal(t, f.web, scaled["service_id"])
	assert.Equal(t, map[string]any{"instances": 3.0}, scaled["set"])
	component, ok := scaled["component"].(map[string]any)
	require.True(t, ok, r.stdout)
	assert.Equal(t, 3.0, component["min_node"], "read back after scaling")
	assert.Equal(t, f.web, component["service_id"])
	r = cli(t, f.env, append([]string{"components", "scale"}, componentArgs(f, "--memory", "1024", "--cpu", "250")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Scaled wordpress: 3 instances of 250m CPU and 1024Mi memory each")
}

// Item 8: tables align by display width: a Chinese character takes two
// columns, a combining mark none.
func TestTablesAlignByDisplayWidth(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"abc": 3, "默认集群": 8, "ｗｅｂ": 6, "e\u0301": 1, "한국": 4, "🚀": 2, "café": 4, "": 0, "Ω": 1, "カタカナ": 8} {
		assert.Equal(t, want, displayWidth(s), "%q", s)
	}
	var b strings.Builder
	require.NoError(t, table(&b, "NAME\tDISPLAY NAME\tSTATUS", [][]string{
		{"rainbond", "默认集群", "enabled"},
		{"region-b", "Second cluster", "enabled"},
		{"北京", "e\u0301te\u0301", "disabled"},
		{"x", "multi\nline", ""},
	}))
	assert.Equal(t, ""+
		"NAME      DISPLAY NAME    STATUS\n"+
		"rainbond  默认集群        enabled\n"+
		"region-b  Second cluster  enabled\n"+
		"北京      e\u0301te\u0301             disabled\n"+
		"x         multi line\n", b.String())
}

// Item 9: completion completes values from the console, fast and silent
// on failure; for bash, zsh and fish.
func TestCompletionCompletesValuesFromTheConsole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	values := func(env map[string]string, args ...string) result {
		return cli(t, env, append([]string{"__complete-values", "--"}, args...)...)
	}
	for name, tc := range map[string]struct {
		args []string
		want []string
	}{
		"teams":              {[]string{"--team", "apps", "list"}, []string{"o19p6wen\tTeam A", "k2m8x4qa\tTeam B"}},
		"the team's regions": {[]string{"--region", "apps", "list", "--team", "k2m8x4qa"}, []string{"rainbond\t默认集群"}},
		"every region":       {[]string{"--region", "apps", "list"}, []string{"rainbond\t默认集群", "region-b\tSecond cluster"}},
		"apps":               {[]string{"--app", "apps", "get", "--team", "o19p6wen", "--region=rainbond"}, []string{"1\tblog"}},
		"target apps":        {[]string{"--to-app", "apps", "copy", "--team", "o19p6wen", "--to-team", "k2m8x4qa", "--to-region", "rainbond"}, []string{"2\tblog-staging"}},
		"components":         {[]string{"--component", "components", "get", "--team", "o19p6wen", "--region", "rainbond", "--app", "1"}, []string{"wordpress\trunning", "mysql\trunning"}},
		"no app yet":         {[]string{"--component", "components", "get", "--team", "o19p6wen", "--region", "rainbond"}, nil},
		"not a value flag":   {[]string{"--image", "components", "set-image"}, nil},
	} {
		r := values(f.env, tc.args...)
		assert.Equal(t, exitOK, r.code, name)
		assert.Empty(t, r.stderr, name)
		var got []string
		if out := strings.TrimSpace(r.stdout); out != "" {
			got = strings.Split(out, "\n")
		}
		assert.ElementsMatch(t, tc.want, got, name)
	}

	blackhole := rainbondtest.NewServer()
	t.Cleanup(blackhole.Close)
	blackhole.InjectFaults(10, rainbondtest.Fault{Delay: 10 * time.Second, Status: 200})
	for name, env := range map[string]map[string]string{
		"no console":  nil,
		"no token":    {"RAINBOND_URL": f.srv.URL},
		"wrong token": {"RAINBOND_URL": f.srv.URL, "RAINBOND_TOKEN": "not-the-token"},
		"short token": {"RAINBOND_URL": f.srv.URL, "RAINBOND_TOKEN": "abc"},
		"bad url":     {"RAINBOND_URL": "::", "RAINBOND_TOKEN": f.srv.Token},
		"slow":        {"RAINBOND_URL": blackhole.URL, "RAINBOND_TOKEN": blackhole.Token},
	} {
		start := time.Now()
		r := values(env, "--team", "apps", "list")
		assert.Equal(t, exitOK, r.code, name)
		assert.Empty(t, r.all(), "%s: silent", name)
		assert.Less(t, time.Since(start), 3*time.Second, "%s: bounded", name)
	}
	r := values(nil)
	assert.Equal(t, exitOK, r.code)
	assert.Empty(t, r.all())
	r = cli(t, nil, "--help")
	assert.NotContains(t, r.stdout, "__complete-values", "hidden")
}

// The scripts, run by the shells, complete values through the command.
func TestCompletionScriptsCompleteValuesInEveryShell(t *testing.T) {
	t.Parallel()
	bashPath, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	f := newFixture(t)
	bin := buildCommand(t)
	dir := t.TempDir()
	env := append(slicesWithout(os.Environ(), "RAINBOND_", "PATH="), "RAINBOND_URL="+f.srv.URL, "RAINBOND_TOKEN="+f.srv.Token,
		"PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	script := func(shell string) string {
		r := cli(t, nil, "completion", shell)
		require.Equal(t, exitOK, r.code, r.all())
		path := filepath.Join(dir, "rainbond."+shell)
		require.NoError(t, os.WriteFile(path, []byte(r.stdout), 0o600))
		return path
	}
	bash := script("bash")
	complete := func(words ...string) []string {
		t.Helper()
		line := "source " + bash + "; COMP_WORDS=(rainbond"
		for _, w := range words {
			line += " " + strconv.Quote(w)
		}
		line += "); COMP_CWORD=" + strconv.Itoa(len(words)) + "; _rainbond; printf '%s\\n' \"${COMPREPLY[@]}\""
		cmd := exec.Command(bashPath, "-c", line)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.Fields(string(out))
	}
	assert.ElementsMatch(t, []string{"o19p6wen", "k2m8x4qa"}, complete("apps", "list", "--team", ""))
	assert.Equal(t, []string{"k2m8x4qa"}, complete("apps", "copy", "--to-team", "k2"))
	assert.Equal(t, []string{"1"}, complete("apps", "get", "--team", "o19p6wen", "--region", "rainbond", "--app", ""))
	assert.ElementsMatch(t, []string{"wordpress", "mysql"}, complete("components", "get", "--team", "o19p6wen", "--region", "rainbond", "--app", "1", "--component", ""))
	assert.Contains(t, complete("teams", ""), "regions", "teams regions")
	assert.Contains(t, complete("completion", ""), "fish")
	assert.NotContains(t, complete(""), "__complete-values")
	assert.NotContains(t, complete("apps", "copy", "--"), "--service", "old names are not offered")

	if zsh, err := exec.LookPath("zsh"); err == nil {
		out, err := exec.Command(zsh, "-n", script("zsh")).CombinedOutput()
		assert.NoError(t, err, string(out))
	}
	if fish, err := exec.LookPath("fish"); err == nil {
		fishScript := script("fish")
		run := func(line string) []string {
			cmd := exec.Command(fish, "--no-config", "-c", "source "+fishScript+"; complete -C "+strconv.Quote(line))
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, string(out))
			var first []string
			for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				first = append(first, strings.SplitN(l, "\t", 2)[0])
			}
			return first
		}
		assert.Contains(t, run("rainbond ap"), "apps")
		assert.Contains(t, run("rainbond apps de"), "deploy")
		assert.Contains(t, run("rainbond apps deploy --wa"), "--wait")
		assert.ElementsMatch(t, []string{"table", "json"}, run("rainbond apps list -o "))
		assert.ElementsMatch(t, []string{"o19p6wen", "k2m8x4qa"}, run("rainbond apps list --team "))
		assert.ElementsMatch(t, []string{"wordpress", "mysql"}, run("rainbond components get --team o19p6wen --region rainbond --app 1 --component "))
	}
}

package main

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// What a review of the command found: uploads, the canary's gate, files
// read within --timeout, exit codes, secrets in dry runs and URLs.

// requestsSince are the requests the fake console received after the
// first n.
func requestsSince(srv *rainbondtest.Server, n int) []rainbondtest.Request {
	return srv.Requests()[n:]
}

// A missing package is refused before the import starts: nothing sent.
func TestImportOpensEveryFileBeforeSendingAnything(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	missing := filepath.Join(t.TempDir(), "missing.tar")
	before := len(f.srv.Requests())
	r := cli(t, f.env, "apps", "import", "--team", f.seed.TeamA.TenantName, "--region", "rainbond",
		"--file", f.pkgFile, "--file", missing, "--no-wait")
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "--file: open "+missing)
	assert.Empty(t, requestsSince(f.srv, before), "no import started, nothing uploaded")

	r = cli(t, f.env, "apps", "import", "--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--file", t.TempDir())
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "is a directory")

	r = cli(t, f.env, append([]string{"apps", "helm", "deploy"}, appArgs(f, "--chart", filepath.Join(t.TempDir(), "redis-1.0.tgz"))...)...)
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Empty(t, requestsSince(f.srv, before), "no import started for the chart either")

	for _, cmd := range []string{"import", "helm deploy"} {
		r = cli(t, nil, append(append([]string{"apps"}, strings.Fields(cmd)...), "--help")...)
		assert.Contains(t, r.stdout, "another job importing with the same token shares it", cmd)
	}

	r = cli(t, f.env, "apps", "import", "--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--file", f.pkgFile, "--no-wait", "-o", "json")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "(--timeout 30m)", "--no-wait uploads within the import's default --timeout too")
}

// The gate's shell gets the command's environment without its secrets.
// Not parallel: it sets the process's environment, which the gate gets.
func TestTheGateGetsNoSecrets(t *testing.T) {
	f := newFixture(t)
	secrets := map[string]string{"RAINBOND_TOKEN": "os-token-5e1f9a7c", "RAINBOND_TOKEN_FILE": "/run/secrets/token",
		"RAINBOND_MARKET_ACCESS_KEY": "os-key-0b3c", "RAINBOND_BUILD_PASSWORD": "os-build-pw", "RAINBOND_USER_PASSWORD": "os-user-pw",
		"RAINBOND_REGISTRY_PASSWORD": "os-registry-pw"}
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	t.Setenv("GATE_KEEPS_THIS", "kept")
	names := slices.Sorted(maps.Keys(secrets))
	var gate strings.Builder
	for _, k := range names {
		gate.WriteString(k + "=${" + k + "-unset} ")
	}
	gate.WriteString("GATE_KEEPS_THIS=$GATE_KEEPS_THIS RATIO=$RAINBOND_CANARY_RATIO")
	r := cli(t, f.env, canaryArgs(f, "--schedule", "10,100", "--gate-cmd", "echo "+gate.String(), "--quiet")...)
	require.Equal(t, exitOK, r.code, r.all())
	var want strings.Builder
	for _, k := range names {
		want.WriteString(k + "=unset ")
	}
	assert.Contains(t, r.stderr, want.String()+"GATE_KEEPS_THIS=kept RATIO=10\n")
	for _, v := range secrets {
		assert.NotContains(t, r.all(), v)
	}
}

// --timeout kills the gate's whole process group: a child holding the
// gate's output does not keep the command waiting.
func TestTimeoutKillsTheGatesChildren(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start := time.Now()
	r := cli(t, f.env, canaryArgs(f, "--schedule", "10,100", "--gate-cmd", "sleep 30; echo never", "--timeout", "2s")...)
	assert.Equal(t, exitTimedOut, r.code, r.all())
	assert.Less(t, time.Since(start), gateWaitDelay-time.Second, "the sleep was killed with its shell, not waited for")
	assert.NotContains(t, r.stderr, "never")
}

// A gate that exits 0 and leaves a child holding its output passes once
// gateWaitDelay is over, and the child is killed.
func TestAGatesLeftoverChildIsKilled(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc")
	}
	f := newFixture(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	gate := `if [ "$RAINBOND_CANARY_RATIO" = 10 ]; then sleep 30 & echo $! > ` + pidFile + `; fi; echo "gate at $RAINBOND_CANARY_RATIO"`
	start := time.Now()
	r := cli(t, f.env, canaryArgs(f, "--schedule", "10,100", "--gate-cmd", gate, "--quiet")...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Less(t, time.Since(start), gateWaitDelay+10*time.Second)
	assert.Equal(t, "gate at 10\ngate at 100\n", r.stderr)
	b, err := os.ReadFile(pidFile)
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	assert.Eventually(t, func() bool {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return true // gone
		}
		_, rest, _ := strings.Cut(string(stat), ") ")
		return strings.HasPrefix(rest, "Z") // killed, not yet reaped
	}, 5*time.Second, 50*time.Millisecond, "the sleep the gate left behind was killed")
}

// Every file is read within --timeout: a FIFO nobody writes to does not
// hold the command.
func TestEveryInputIsReadWithinTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fifo := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for name, args := range map[string][]string{
		"--data @FILE":   {"api", "POST", "/teams", "--data", "@" + fifo},
		"--content-file": append([]string{"components", "volumes", "add"}, componentArgs(f, "--name", "conf", "--path", "/etc/x.conf", "--type", "config-file", "--content-file", fifo)...),
		"--cert-file":    append([]string{"certificates", "create"}, certArgs(f, "--alias", "x", "--cert-file", fifo, "--key-file", f.keyFile)...),
		"--ca-file": {"regions", "create", "--name", "eu", "--alias", "EU", "--api-url", "https://10.0.0.1:8443", "--ws-url", "wss://10.0.0.1:6060",
			"--http-domain", "eu.example.com", "--tcp-domain", "10.0.0.1", "--ca-file", fifo},
	} {
		start := time.Now()
		r := cli(t, f.env, append(args, "--timeout", "500ms")...)
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.all())
		assert.Contains(t, r.stderr, name[:strings.IndexAny(name+" ", " ")]+": reading "+fifo+" did not finish within --timeout", name)
		assert.Less(t, time.Since(start), 3*time.Second, name)
	}

	var stdout, stderr strings.Builder
	code := runWith(context.Background(), []string{"api", "POST", "/teams", "--data", "@-", "--dry-run"},
		func(k string) (string, bool) { v, ok := f.env[k]; return v, ok }, strings.NewReader(`{"tenant_name": "from-stdin"}`), &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stdout.String(), `"tenant_name": "from-stdin"`, "@- reads the command's standard input")
	r := cli(t, nil, "api", "--help")
	assert.Contains(t, r.stdout, "a body that holds a\n      secret goes in @FILE or @-")
}

// Smart deploy's upgrade fails on every console (a 500): exit 3, not the
// 4 scripts retry.
func TestSmartDeploysBrokenUpgradeIsExit3(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	args := []string{"apps", "smart-deploy", "--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--name", "shop", "--template", nextShop.ID}
	require.Equal(t, exitOK, cli(t, f.env, args...).code)
	newer := nextShop
	newer.Versions = append(slices.Clone(nextShop.Versions), rainbondtest.AppModelVersion{Version: "2.1", Components: nextShop.Versions[0].Components})
	f.srv.AddLocalModel(newer)
	r := cli(t, f.env, args...)
	assert.Equal(t, exitConsole, r.code, r.all())
	assert.Contains(t, r.stderr, "upgrade")
	r = cli(t, nil, "apps", "smart-deploy", "--help")
	assert.Contains(t, r.stdout, "that is exit 3")
}

// A dry run's body hides every secret member by name, and the values env
// set read from files or the environment, however short.
func TestDryRunBodiesHideSecrets(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `{
  "envs": [
    {
      "name": "SHORT",
      "value": "[REDACTED]"
    },
    {
      "name": "MODE",
      "value": "prod"
    }
  ],
  "id": 12345678901234567890,
  "key_file": "[REDACTED]",
  "market_access_key": null,
  "nested": {
    "api_service_key": "[REDACTED]",
    "token": "[REDACTED]"
  },
  "password": "[REDACTED]",
  "password1": "[REDACTED]",
  "private_key": "[REDACTED]",
  "url": "a<b>&c"
}`, redactBody([]byte(`{"password": "p", "password1": "p", "private_key": "k", "key_file": "k", "market_access_key": null, "id": 12345678901234567890,
		"url": "a<b>&c", "nested": {"token": "t", "api_service_key": "a"}, "envs": [{"name": "SHORT", "value": "1"}, {"name": "MODE", "value": "prod"}]}`),
		map[string]bool{"SHORT": true}))
	assert.Equal(t, "(a body that is not JSON)", redactBody([]byte("{"), nil))

	f := newFixture(t)
	env := maps.Clone(f.env)
	env["PIN"] = "42"
	r := cli(t, env, append([]string{"components", "env", "set"}, componentArgs(f, "MODE=production", "--from-env", "PIN", "--dry-run")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Regexp(t, `"name": "PIN",(\s+"\w+": "[^"]*",)*\s+"value": "\[REDACTED\]"`, r.stdout)
	assert.Contains(t, r.stdout, `"value": "production"`, "a value given on the command line is no secret")
	assert.NotContains(t, r.stdout, `"42"`)

	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte("s3cret-pw-1"), 0o600))
	r = cli(t, f.env, "users", "set-password", "--self", "--password-file", pw, "--dry-run")
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, `"password": "[REDACTED]"`)
	assert.Contains(t, r.stdout, `"password1": "[REDACTED]"`)
	r = cli(t, nil, "apps", "list", "--help")
	assert.Contains(t, r.stdout, "print the first request the command would send")
	assert.Contains(t, r.stdout, "prints that read only")
}

// A password in --repo-url would be a flag value: refused, nothing sent.
func TestARepoURLWithAPasswordIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	before := len(f.srv.Requests())
	r := cli(t, f.env, append([]string{"components", "build"}, componentArgs(f, "--repo-url", "https://ci:hunter2-pw@git.example.com/shop.git")...)...)
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "--repo-url carries a password")
	assert.Contains(t, r.stderr, "--password-file")
	assert.NotContains(t, r.all(), "hunter2-pw")
	for _, req := range requestsSince(f.srv, before) {
		assert.Equal(t, "GET", req.Method, "only the component's lookup: %s", req.Path)
	}
	r = cli(t, f.env, append([]string{"components", "build"}, componentArgs(f, "--repo-url", "https://ci@git.example.com/shop.git", "--clear-credentials", "--dry-run")...)...)
	assert.Equal(t, exitOK, r.code, "a user name alone is no secret: %s", r.all())
}

// teams usage --all --region asks no team for its regions.
func TestTeamsUsageInOneRegionListsNoRegions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	before := len(f.srv.Requests())
	r := cli(t, f.env, "teams", "usage", "--all", "--region", "rainbond")
	require.Equal(t, exitOK, r.code, r.all())
	var paths []string
	for _, req := range requestsSince(f.srv, before) {
		paths = append(paths, req.Method+" "+req.Path)
		assert.NotRegexp(t, `^/openapi/v1/teams/[^/]+/regions`, req.Path)
	}
	assert.Equal(t, 1, strings.Count(strings.Join(paths, "\n"), "POST /openapi/v1/teams/resource"), "%v", paths)
	assert.Regexp(t, `(?m)^o19p6wen +rainbond `, r.stdout)
	assert.Regexp(t, `(?m)^k2m8x4qa +rainbond `, r.stdout)
	r = cli(t, nil, "teams", "usage", "--help")
	assert.Contains(t, r.stdout, "read in one usage call")
}

// Several components named at once are found with one list of the app's.
func TestComponentNamesAreFoundWithOneList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	before := len(f.srv.Requests())
	r := cli(t, f.env, append([]string{"apps", "stop"}, appArgs(f, "--components", "wordpress,mysql")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	lists := 0
	for _, req := range requestsSince(f.srv, before) {
		if req.Method == "GET" && strings.HasSuffix(req.Path, "/apps/"+f.app+"/services") {
			lists++
		}
	}
	assert.Equal(t, 2, lists, "the names' lookup, then the SDK's check that the ids are the app's")

	before = len(f.srv.Requests())
	r = cli(t, f.env, append([]string{"apps", "stop"}, appArgs(f, "--components", "wordpress,mysql", "--dry-run")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, `component "wordpress" is used as given`)
	assert.Contains(t, r.stderr, `component "mysql" is used as given`)
	assert.Empty(t, requestsSince(f.srv, before))
}

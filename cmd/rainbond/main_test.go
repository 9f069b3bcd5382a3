package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

const marketKey = "mk-7f3e9a1c5b2d4e6f8a0b1c2d3e4f5a6b"

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) all() string { return r.stdout + r.stderr }

// cli runs the command in-process with the given environment.
func cli(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(context.Background(), args, func(k string) (string, bool) { v, ok := vars[k]; return v, ok }, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// console starts a fake console and the environment pointing at it.
func console(t *testing.T) (*rainbondtest.Server, rainbondtest.Seed, map[string]string) {
	t.Helper()
	return consoleAt(t, "")
}

// consoleAt is console answering as console release version ("": the
// newest).
func consoleAt(t *testing.T, version string) (*rainbondtest.Server, rainbondtest.Seed, map[string]string) {
	t.Helper()
	srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion(version))
	t.Cleanup(srv.Close)
	return srv, srv.Seed(), map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": srv.Token, "RAINBOND_MARKET_ACCESS_KEY": marketKey}
}

func installArgs(seed rainbondtest.Seed, extra ...string) []string {
	return append([]string{"apps", "install", "--team", seed.TeamA.TenantName, "--region", "rainbond",
		"--app", strconv.FormatInt(seed.AppA.ID, 10), "--market-url", seed.Store.URL, "--market-domain", seed.Store.Domain,
		"--model-id", seed.WordPress.ID, "--model-version", "6.4"}, extra...)
}

func TestInstallPrintsATableByDefault(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	r := cli(t, env, installArgs(seed, "--deploy")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "2 new components")
	assert.Contains(t, r.stdout, "SERVICE ID")
	assert.Contains(t, r.stdout, "goodrain.me/mysql:8.0")
	assert.Empty(t, r.stderr)
	comps := srv.Components(seed.AppA.ID)
	require.Len(t, comps, 2)
	assert.Equal(t, "running", comps[0].Status, "--deploy deploys")
	assert.Equal(t, "is_deploy=true", srv.Requests()[0].RawQuery)
}

func TestJSONOutputIsTheDecodedAnswer(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	r := cli(t, env, installArgs(seed, "-o", "json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	assert.Equal(t, float64(seed.AppA.ID), got["ID"])
	assert.Equal(t, "rainbond", got["region_name"])
	list, ok := got["service_list"].([]any)
	require.True(t, ok, r.stdout)
	require.Len(t, list, 2)
	comps := srv.Components(seed.AppA.ID)
	require.Len(t, comps, 2)
	ids := make([]string, len(list))
	for i, c := range list {
		comp, ok := c.(map[string]any)
		require.True(t, ok, r.stdout)
		ids[i], _ = comp["service_id"].(string)
		assert.Equal(t, comps[i].ServiceID, ids[i], "the fake's component %d", i)
		assert.Equal(t, comps[i].Cname, comp["service_cname"])
	}

	// The copy, scripted from the install's JSON, as the README shows.
	args := []string{"apps", "copy", "--team", seed.TeamA.TenantID, "--region", "rainbond", "--app", "1",
		"--to-team", seed.TeamB.TenantName, "--to-region", "rainbond", "--to-app", "2", "-o", "json",
		"--components", ids[0] + "=6.4-php8.3", "--components", ids[1]}
	r = cli(t, env, args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var copied map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &copied), r.stdout)
	services, ok := copied["services"].([]any)
	require.True(t, ok, r.stdout)
	require.Len(t, services, 2)
	first, ok := services[0].(map[string]any)
	require.True(t, ok, r.stdout)
	assert.Equal(t, "wordpress-copy", first["service_cname"])
	assert.Equal(t, "goodrain.me/wordpress:6.4-php8.3", first["image"])
	var copies []any
	for _, c := range srv.Components(seed.AppB.ID) {
		copies = append(copies, c.ServiceID)
	}
	assert.Contains(t, copies, first["service_id"], "one of the fake's copies")
}

func TestCopyAllServicesAndTable(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	require.Equal(t, exitOK, cli(t, env, installArgs(seed)...).code)
	r := cli(t, env, "apps", "copy", "--team", seed.TeamA.TenantID, "--region", "rainbond", "--app", "1",
		"--to-team", seed.TeamB.TenantName, "--to-region", "rainbond", "--to-app", "2", "--all-services")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Copied 2 components of app 1 (team "+seed.TeamA.TenantID+", region rainbond) into app 2 (team k2m8x4qa, region rainbond)",
		"--all-services, the old name of --all, still works")
	assert.Len(t, srv.Components(seed.AppB.ID), 2)
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadURL := "http://" + closed.Addr().String()
	closed.Close()
	copyArgs := func(extra ...string) []string {
		return append([]string{"apps", "copy", "--team", seed.TeamA.TenantID, "--region", "rainbond", "--app", "1",
			"--to-team", seed.TeamB.TenantName, "--to-region", "rainbond", "--to-app", "2"}, extra...)
	}
	without := func(k string) map[string]string {
		m := map[string]string{}
		for kk, v := range env {
			if kk != k {
				m[kk] = v
			}
		}
		return m
	}
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
		code int
		says string
	}{
		"no command":         {env, nil, exitUsage, "Usage"},
		"unknown command":    {env, []string{"deploy"}, exitUsage, `unknown command "deploy"`},
		"unknown flag":       {env, installArgs(seed, "--bogus"), exitUsage, "flag provided but not defined: --bogus"},
		"stray argument":     {env, installArgs(seed, "extra"), exitUsage, `unexpected argument "extra"`},
		"no url":             {without("RAINBOND_URL"), installArgs(seed), exitUsage, "pass --url or set RAINBOND_URL"},
		"no token":           {without("RAINBOND_TOKEN"), installArgs(seed), exitUsage, "pass --token-file or set RAINBOND_TOKEN or RAINBOND_TOKEN_FILE"},
		"bad output":         {env, installArgs(seed, "-o", "yaml"), exitUsage, "want table or json"},
		"invalid input":      {env, installArgs(seed, "--team", "../x"), exitUsage, `--team: "../x": only letters`},
		"missing model":      {env, installArgs(seed, "--model-id", ""), exitUsage, "--model-id: required"},
		"nothing to copy":    {env, copyArgs(), exitUsage, "--components"},
		"unknown team 404":   {env, installArgs(seed, "--team", "nobody"), exitConsole, "404 Not Found: no found team (团队不存在)"},
		"wrong token 401":    {map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": "not-the-token"}, installArgs(seed), exitConsole, "401 Unauthorized"},
		"unknown component":  {env, copyArgs("--components", "0123456789abcdef0123456789abcdef"), exitConsole, `app 1 has no component named "0123456789abcdef0123456789abcdef"`},
		"connection refused": {map[string]string{"RAINBOND_URL": deadURL, "RAINBOND_TOKEN": "0123456789abcdef"}, installArgs(seed), exitFailure, "connection refused"},
		"help":               {env, []string{"apps", "copy", "--help"}, exitOK, "Example:"},
	} {
		r := cli(t, tc.env, tc.args...)
		assert.Equal(t, tc.code, r.code, "%s: %s", name, r.all())
		assert.Contains(t, r.all(), tc.says, name)
		assert.NotContains(t, r.all(), "Traceback", name)
	}
}

func TestTimeoutIsAFailure(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	srv.InjectFaults(1, rainbondtest.Fault{Delay: 2 * time.Second, Status: 200})
	start := time.Now()
	r := cli(t, env, installArgs(seed, "--timeout", "100ms")...)
	assert.Equal(t, exitFailure, r.code, r.all())
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestDryRunSendsNothingAndRedacts(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	r := cli(t, env, installArgs(seed, "--dry-run", "--deploy")...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Empty(t, srv.Requests(), "nothing was sent")
	assert.Contains(t, r.stdout, "POST "+srv.URL+"/openapi/v1/teams/"+seed.TeamA.TenantName+"/regions/rainbond/apps/1/install?is_deploy=true")
	assert.Contains(t, r.stdout, "Authorization: [REDACTED]")
	assert.Contains(t, r.stdout, `"market_access_key": "[REDACTED]"`)
	assert.Contains(t, r.stdout, `"app_model_version": "6.4"`)
	assert.NotContains(t, r.all(), srv.Token)
	assert.NotContains(t, r.all(), marketKey)

	r = cli(t, env, installArgs(seed, "--dry-run", "--team", "..")...)
	assert.Equal(t, exitUsage, r.code, "a dry run still validates")
	assert.Empty(t, srv.Requests())
}

func TestSecretsComeFromFilesAndNeverShow(t *testing.T) {
	t.Parallel()
	srv, seed, _ := console(t)
	dir := t.TempDir()
	tokenFile, keyFile := filepath.Join(dir, "token"), filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(tokenFile, []byte(srv.Token+"\n"), 0o600))
	require.NoError(t, os.WriteFile(keyFile, []byte(marketKey+"\n"), 0o600))
	env := map[string]string{"RAINBOND_URL": srv.URL}

	for _, extra := range [][]string{
		{"--token-file", tokenFile, "--market-access-key-file", keyFile, "--verbose"},
		{"--token-file", tokenFile, "--market-access-key-file", keyFile, "--verbose", "-o", "json"},
		{"--token-file", tokenFile, "--market-access-key-file", keyFile, "--verbose", "--team", "nobody"},
		{"--token-file", tokenFile, "--market-access-key-file", keyFile, "--dry-run", "--verbose"},
	} {
		r := cli(t, env, installArgs(seed, extra...)...)
		assert.NotContains(t, r.all(), srv.Token, "%v", extra)
		assert.NotContains(t, r.all(), marketKey, "%v", extra)
	}
	r := cli(t, env, installArgs(seed, "--token-file", tokenFile, "--verbose")...)
	assert.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "level=DEBUG", "--verbose logs the attempts")
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, srv.Token, last.Header.Get("Authorization"), "the file's newline is trimmed")

	r = cli(t, map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN_FILE": tokenFile}, installArgs(seed)...)
	assert.Equal(t, exitOK, r.code, r.all())
	r = cli(t, env, installArgs(seed, "--token-file", filepath.Join(dir, "missing"))...)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--token-file")
}

func TestVersion(t *testing.T) {
	t.Parallel()
	r := cli(t, nil, "version")
	assert.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "rainbond "+rainbond.Version+" "))
	assert.Equal(t, exitUsage, cli(t, nil, "version", "x").code)
}

// failingWriter fails every write, as stdout redirected to /dev/full does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// An install that succeeded and could not print its result exits with its
// own code, never the transport failure's 4, and says what was done.
func TestAFailedWriteAfterASuccessIsNotAFailure(t *testing.T) {
	t.Parallel()
	srv, seed, env := console(t)
	for _, output := range []string{"json", "table"} {
		var stderr strings.Builder
		code := run(context.Background(), installArgs(seed, "-o", output),
			func(k string) (string, bool) { v, ok := env[k]; return v, ok }, failingWriter{}, &stderr)
		assert.Equal(t, exitOutput, code, stderr.String())
		comps := srv.Components(seed.AppA.ID)
		require.NotEmpty(t, comps)
		assert.Contains(t, stderr.String(), "installed "+seed.WordPress.ID+" 6.4 into app 1: components ")
		assert.Contains(t, stderr.String(), comps[len(comps)-1].ServiceID, "the ids of what was created")
		assert.Contains(t, stderr.String(), "no space left on device")
	}
}

func TestSecretFilesMustBeSmallRegularFiles(t *testing.T) {
	t.Parallel()
	srv, seed, _ := console(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	big := filepath.Join(dir, "big")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("x", 65<<10)), 0o600))
	for name, path := range map[string]string{"a FIFO nobody writes to": fifo, "an endless device": "/dev/zero", "a large file": big, "a directory": dir} {
		start := time.Now()
		r := cli(t, map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN_FILE": path}, installArgs(seed, "--timeout", "5s")...)
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.all())
		assert.Contains(t, r.stderr, "RAINBOND_TOKEN_FILE", name)
		assert.Less(t, time.Since(start), 2*time.Second, "%s: refused at once, not read", name)
	}
	assert.Empty(t, srv.Requests())

	open := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(open, []byte(srv.Token+"\n"), 0o644))
	r := cli(t, map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN_FILE": open}, installArgs(seed)...)
	assert.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, "can be read by other users (mode -rw-r--r--); run: chmod 600")
	assert.NotContains(t, r.all(), srv.Token)
}

// A console that echoes the token and the access key in a successful
// answer: the command's output carries neither.
func TestOutputNeverCarriesTheSecretsAnAnswerEchoes(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef0123456789abcdef01234567"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Key string `json:"market_access_key"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ID": 1, "team_id": %q, "region_name": %q, "service_list": [{"service_id": "s1", "service_cname": %q, "image": %q, "tenant_service_group_id": 1}]}`,
			r.Header.Get("Authorization"), body.Key, r.Header.Get("Authorization"), body.Key)
	}))
	t.Cleanup(echo.Close)
	env := map[string]string{"RAINBOND_URL": echo.URL, "RAINBOND_TOKEN": token, "RAINBOND_MARKET_ACCESS_KEY": marketKey}
	for _, output := range []string{"json", "table"} {
		r := cli(t, env, "apps", "install", "--team", "t", "--region", "r", "--app", "1", "--market-url", "https://s",
			"--market-domain", "d", "--model-id", "m", "--model-version", "1", "-o", output)
		require.Equal(t, exitOK, r.code, r.all())
		assert.Contains(t, r.stdout, "[REDACTED]")
		assert.NotContains(t, r.all(), token)
		assert.NotContains(t, r.all(), marketKey)
	}
}

// syncWriter is a strings.Builder safe for a writer and a reader.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

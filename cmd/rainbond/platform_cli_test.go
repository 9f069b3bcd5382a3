package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The platform commands' cases of TestEveryConsoleCommand.
func init() {
	for path, c := range platformCases {
		consoleCommands[path] = c
	}
	for _, path := range []string{"users create", "users delete", "regions create", "admins remove"} {
		once[path] = true
	}
}

// extraUsers are users a case adds to its fixture's console, once.
var extraUsers sync.Map // *fixture+name → user id

// extraUser adds user name (an administrator with admin) to f's console
// once, and returns its id as text.
func extraUser(f *fixture, name string, admin bool) string {
	key := f.srv.URL + "/" + name
	if id, ok := extraUsers.Load(key); ok {
		return id.(string)
	}
	u, _, err := f.srv.AddUser(rainbondtest.User{NickName: name, Admin: admin})
	if err != nil {
		panic(err)
	}
	extraUsers.Store(key, strconv.Itoa(u.UserID))
	return strconv.Itoa(u.UserID)
}

// fileBeside writes content to a file in the fixture's directory.
func fileBeside(f *fixture, name, content string) string {
	path := filepath.Join(filepath.Dir(f.certFile), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		panic(err)
	}
	return path
}

var platformCases = map[string]commandCase{
	"whoami":     {func(*fixture) []string { return nil }, "admin (user 1, enterprise "},
	"users list": {func(*fixture) []string { return nil }, "admin"},
	"users create": {func(f *fixture) []string {
		return []string{"--name", "carol", "--email", "carol@example.com", "--password-file", fileBeside(f, "carol.pw", "carol-pass\n")}
	}, "carol@example.com"},
	"users get":    {func(*fixture) []string { return []string{"--name", "admin"} }, "admin"},
	"users update": {func(*fixture) []string { return []string{"--user", "1", "--phone", "13800000000"} }, "13800000000"},
	"users delete": {func(f *fixture) []string { return []string{"--user", extraUser(f, "dave", false)} }, "Deleted user"},
	"users set-password": {func(f *fixture) []string {
		return []string{"--user", extraUser(f, "dave", false), "--password-file", fileBeside(f, "dave.pw", "dave-pass")}
	}, "Password set"},
	"users stop-teams":       {func(*fixture) []string { return []string{"--user", "1", "--yes"} }, "Done: stop-teams for user 1"},
	"users delete-team-apps": {func(f *fixture) []string { return []string{"--user", extraUser(f, "dave", false), "--yes"} }, "Done: delete-team-apps"},
	"admins list":            {func(*fixture) []string { return nil }, "admin"},
	"admins add":             {func(f *fixture) []string { return []string{"--user", extraUser(f, "dave", false)} }, "is an administrator"},
	"admins remove":          {func(f *fixture) []string { return []string{"--user", extraUser(f, "erin", true)} }, "is no longer an administrator"},
	"teams update": {func(f *fixture) []string {
		return []string{"--team", f.seed.TeamA.TenantName, "--alias", "Team A2", "--active", "true"}
	}, "display name Team A2"},
	"teams usage":   {func(f *fixture) []string { return []string{"--team", f.seed.TeamA.TenantName, "--region", "rainbond"} }, "COMPONENTS"},
	"regions get":   {func(*fixture) []string { return []string{"--region", "rainbond", "--usage"} }, "rainbond"},
	"monitor query": {func(*fixture) []string { return []string{"--region", "rainbond", "--promql", `up{job!="a+b&c"}`} }, `up{instance=`},
	"monitor range": {func(*fixture) []string {
		return []string{"--region", "rainbond", "--promql", "up", "--since", "10m", "--step", "1m"}
	}, `job="api"`},
	"regions create": {func(f *fixture) []string {
		return []string{"--name", "eu", "--alias", "EU", "--api-url", "https://10.0.0.9:8443", "--ws-url", "wss://10.0.0.9:6060",
			"--http-domain", "eu.example.com", "--tcp-domain", "10.0.0.9", "--ca-file", f.certFile, "--cert-file", f.certFile, "--key-file", f.keyFile}
	}, "Created region eu"},
}

// TestWhoamiTellsTheFailuresApart: each way a setup can be wrong has its
// exit code.
func TestWhoamiTellsTheFailuresApart(t *testing.T) {
	t.Parallel()
	srv, _, env := console(t)
	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.10.0"))
	t.Cleanup(old.Close)
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadURL := "http://" + dead.Addr().String()
	dead.Close()
	for name, tc := range map[string]struct {
		env  map[string]string
		code int
		says string
	}{
		"works":       {env, exitOK, "admin (user 1"},
		"bad token":   {map[string]string{"RAINBOND_URL": srv.URL, "RAINBOND_TOKEN": "not-the-token"}, exitAuth, "401"},
		"wrong URL":   {map[string]string{"RAINBOND_URL": srv.URL + "/console", "RAINBOND_TOKEN": srv.Token}, exitNoAPI, "no Rainbond OpenAPI at this address"},
		"old console": {map[string]string{"RAINBOND_URL": old.URL, "RAINBOND_TOKEN": old.Token}, exitConsole, "added in Rainbond console v5.11.2"},
		"unreachable": {map[string]string{"RAINBOND_URL": deadURL, "RAINBOND_TOKEN": srv.Token}, exitFailure, "connection refused"},
	} {
		r := cli(t, tc.env, "whoami", "--retries", "0")
		assert.Equal(t, tc.code, r.code, "%s: %s", name, r.all())
		assert.Contains(t, r.all(), tc.says, name)
	}
}

func TestUserPasswordsNeverShow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	env := map[string]string{"RAINBOND_USER_PASSWORD": "short"}
	for k, v := range f.env {
		env[k] = v
	}
	r := cli(t, env, "users", "create", "--name", "frank", "--email", "frank@example.com")
	assert.Equal(t, exitUsage, r.code, r.all())
	assert.Contains(t, r.stderr, "password")
	assert.NotContains(t, r.all(), "short", "the password is a secret, even when refused")
	r = cli(t, f.env, "users", "stop-teams", "--user", "1")
	assert.Equal(t, exitUsage, r.code, "needs --yes: %s", r.all())
}

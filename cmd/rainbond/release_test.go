package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func canaryArgs(f *fixture, extra ...string) []string {
	return append([]string{"apps", "canary", "start"}, appArgs(f, append([]string{"--template", nextShop.ID,
		"--domain", "blog.example.com", "--component", "wordpress"}, extra...)...)...)
}

func TestACanaryWalksItsScheduleWhileTheGatePasses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, canaryArgs(f, "--schedule", "10,50,100", "--gate-cmd", `echo "gate at $RAINBOND_CANARY_RATIO"`, "-o", "json", "--quiet")...)
	require.Equal(t, exitOK, r.code, r.all())
	var canary struct {
		Ratio int `json:"gray_ratio"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &canary))
	assert.Equal(t, 100, canary.Ratio)
	assert.Equal(t, "gate at 10\ngate at 50\ngate at 100\n", r.stderr, "the gate's output, after each step, and with --quiet nothing else")
	assert.Equal(t, "completed", f.srv.GrayReleases()[0].Status)
}

func TestAFailingGateRollsTheCanaryBackWithExit6(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, canaryArgs(f, "--schedule", "10,50,100", "--gate-cmd", `test "$RAINBOND_CANARY_RATIO" -lt 50`)...)
	assert.Equal(t, exitWaitFailed, r.code, r.all())
	assert.Contains(t, r.stderr, "the canary stopped at step 50%")
	assert.Contains(t, r.stderr, "rolled back: all traffic is on the original version")
	assert.Empty(t, r.stdout)
	assert.Equal(t, "cancelled", f.srv.GrayReleases()[0].Status)
}

func TestCanaryFlagsExcludeEachOther(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, args := range [][]string{
		canaryArgs(f, "--ratio", "10", "--schedule", "10,100"),
		canaryArgs(f, "--ratio", "10", "--gate-cmd", "true"),
		canaryArgs(f, "--route", "x", "--ratio", "10"),
		canaryArgs(f),
	} {
		r := cli(t, f.env, args...)
		assert.Equal(t, exitUsage, r.code, r.all())
	}
	assert.Empty(t, f.srv.GrayReleases(), "nothing was started")
}

func TestComponentsAreNamedAsTheConsoleShowsThem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, append([]string{"components", "get"}, appArgs(f, "--component", "wordpress", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, f.web, "the display name found the component")

	r = cli(t, f.env, append([]string{"apps", "stop"}, appArgs(f, "--components", "wordpress,nothing")...)...)
	assert.Equal(t, exitConsole, r.code, r.all())
	assert.Contains(t, r.stderr, `no component named "nothing"`)
	assert.Equal(t, "running", f.srv.Components(f.seed.AppA.ID)[0].Status, "nothing was stopped")

	f.startCanary() // a second component shown as wordpress, with another k8s name
	r = cli(t, f.env, append([]string{"components", "get"}, appArgs(f, "--component", "wordpress", "-o", "json")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, f.web, "the k8s name, unique, is tried before the display name")
	// Two components shown as billing-db, whose k8s names (their aliases)
	// differ from it: the name is ambiguous.
	var ids []string
	for range 2 {
		r = cli(t, f.env, append([]string{"components", "create-external"}, appArgs(f, "--name", "billing-db", "--endpoint", "10.0.3.7:5432", "-o", "json")...)...)
		require.Equal(t, exitOK, r.code, r.all())
		var created map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &created), r.stdout)
		id, _ := created["service_id"].(string)
		require.NotEmpty(t, id, r.stdout)
		ids = append(ids, id)
	}
	for _, c := range f.srv.Components(f.seed.AppA.ID) {
		if c.Cname == "billing-db" {
			require.NotEqual(t, "billing-db", c.K8sComponentName)
		}
	}
	before := len(f.srv.Requests())
	r = cli(t, f.env, append([]string{"components", "scale"}, appArgs(f, "--component", "billing-db", "--instances", "2")...)...)
	assert.Equal(t, exitConsole, r.code, "a name several components have: nothing sent, as for a 4xx: %s", r.all())
	assert.Contains(t, r.stderr, `"billing-db" in app `+f.app)
	assert.Contains(t, r.stderr, ids[0])
	assert.Contains(t, r.stderr, ids[1])
	for _, req := range f.srv.Requests()[before:] {
		assert.Equal(t, "GET", req.Method, "only the lookup: %s", req.Path)
	}

	r = cli(t, f.env, append([]string{"components", "scale"}, appArgs(f, "--component", "mysql", "--instances", "2", "--dry-run")...)...)
	assert.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stderr, `component "mysql" is used as given`)
	assert.Contains(t, r.stdout, "/services/mysql/telescopic/horizontal")
}

func TestDeleteEverythingDeletesRunningComponents(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := cli(t, f.env, append([]string{"apps", "delete"}, appArgs(f)...)...)
	assert.Equal(t, exitConsole, r.code, "the plain delete refuses running components: %s", r.all())
	r = cli(t, f.env, append([]string{"apps", "delete"}, appArgs(f, "--everything")...)...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Empty(t, f.srv.Components(f.seed.AppA.ID))
	r = cli(t, f.env, append([]string{"apps", "delete"}, appArgs(f, "--everything", "--force")...)...)
	assert.Equal(t, exitUsage, r.code, r.all())
}

func TestSmartDeploySaysWhatItDid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	args := []string{"apps", "smart-deploy", "--team", f.seed.TeamA.TenantName, "--region", "rainbond", "--name", "shop", "--template", nextShop.ID}
	r := cli(t, f.env, args...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.Contains(t, r.stdout, "Installed shop-next 2.0")
	r = cli(t, f.env, args...)
	require.Equal(t, exitOK, r.code, r.all())
	assert.True(t, strings.HasPrefix(r.stdout, "Nothing sent: the console records shop-next 2.0"), r.stdout)
}

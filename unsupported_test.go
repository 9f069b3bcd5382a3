package rainbond

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAMissingRouteIsUnsupportedWithTheReleaseThatAddedIt(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + upgradePath: {djangoNotFound}})

	_, _, err := c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	require.ErrorIs(t, err, ErrUnsupported)
	assert.NotErrorIs(t, err, ErrNotFound, "no app was looked for")
	var ue *UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "v5.2.1", ue.Since)
	assert.Equal(t, "GET", ue.Method)
	assert.Contains(t, err.Error(), "added in Rainbond console v5.2.1")
}

func TestAMethodAnOlderRouteLacksIsUnsupported(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST /openapi/v1/teams": {{status: 405,
		body: `{"detail":"Method \"POST\" not allowed.","code":405,"msg":"Method \"POST\" not allowed.","error_type":"MethodNotAllowed"}`}}})

	_, _, err := c.Teams.Create(context.Background(), &TeamCreate{TenantName: "ops"})
	var ue *UnsupportedError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "v5.1.6", ue.Since)
	assert.Contains(t, err.Error(), "does not accept POST")
}

func TestAJSON404IsNotFoundNotUnsupported(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 404, body: `{"code":404,"msg":"no found app","msg_show":"应用不存在"}`}}})

	_, _, err := c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrUnsupported)
}

func TestAProxysHTML404IsNotTakenForAMissingRoute(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + upgradePath: {{status: 404, header: map[string][]string{"Content-Type": {"text/html"}},
		body: "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>"}}})

	_, _, err := c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrUnsupported)
}

func TestADeleteRetriedIntoAMissingRouteIsNotASuccess(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetry(fastRetry))
	newRouter(mt, map[string][]canned{"DELETE /openapi/v1/teams/t1": {{status: 502, body: "bad gateway"}, djangoNotFound}})

	_, err := c.Teams.Delete(context.Background(), "t1")
	assert.ErrorIs(t, err, ErrUnsupported, "a 404 after an ambiguous DELETE means gone only when the route answered it")
}

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

func TestTheAnswerBehindAnUnsupportedErrorIsReachable(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST /openapi/v1/teams": {{status: 405,
		body: `{"detail":"Method \"POST\" not allowed.","code":10405,"msg":"Method \"POST\" not allowed.","error_type":"MethodNotAllowed"}`}}})

	_, _, err := c.Teams.Create(context.Background(), &TeamCreate{TenantName: "ops"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the console's answer stays reachable")
	assert.Equal(t, 405, apiErr.StatusCode)
	assert.Equal(t, 10405, apiErr.Code)
	assert.Equal(t, `Method "POST" not allowed.`, apiErr.Msg)
	assert.Contains(t, err.Error(), `Method "POST" not allowed.`, "the console's message is in the error")
	assert.Contains(t, err.Error(), "[code 10405]")
	assert.NotErrorIs(t, err, ErrNotFound)

	newRouter(mt, map[string][]canned{"GET " + upgradePath: {djangoNotFound}, "GET /openapi/v1/regions": {{status: 401, body: `{"detail":"no auth"}`}}})
	_, _, err = c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.NotErrorIs(t, err, ErrNotFound, "reaching the answer does not make the page a missing app")
}

func TestAnAddressWithoutTheOpenAPIIsToldFromAMissingRoute(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + upgradePath: {djangoNotFound}, "GET /openapi/v1/regions": {djangoNotFound}})

	_, _, err := c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	require.ErrorIs(t, err, ErrNoOpenAPI)
	assert.NotErrorIs(t, err, ErrUnsupported, "upgrading the console would not help")
	assert.Contains(t, err.Error(), "no Rainbond OpenAPI at this address")
	assert.Contains(t, err.Error(), "check the base URL")
	assert.NotContains(t, err.Error(), "added in", "no release is blamed")
	assert.Len(t, rt.requests, 2, "one probe")

	// A console that has the probe route lacks only the endpoint; it is
	// asked once, then known.
	c, mt = newMockClient(t)
	rt = newRouter(mt, map[string][]canned{"GET " + upgradePath: {djangoNotFound}, "GET /openapi/v1/regions": {{status: 200, body: `[]`}}})
	for range 2 {
		_, _, err = c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
		require.ErrorIs(t, err, ErrUnsupported)
		assert.NotErrorIs(t, err, ErrNoOpenAPI)
		assert.Contains(t, err.Error(), "this console does not have this endpoint")
	}
	assert.Len(t, rt.requests, 3, "the probe is sent once per client once it answered")

	// A probe that gets no answer proves nothing.
	c, mt = newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + upgradePath: {djangoNotFound}})
	_, _, err = c.Apps.ListUpgrades(context.Background(), "t1", "r1", 7)
	require.ErrorIs(t, err, ErrUnsupported)
}

func TestABaseURLWithoutASchemeSaysWhatToType(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"192.168.2.225:7070", "localhost:7070", "console.example.com"} {
		_, err := NewClient(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), `"`+in+`"`, "names what was typed")
		assert.Contains(t, err.Error(), `did you mean "http://`+in+`"`)
	}
	_, err := NewClient("user:secret@host:7070")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret")
}

package rainbond

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRequestRefusesPathsThatCouldLeaveTheEndpoint(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	for name, tc := range map[string]struct{ method, path, field string }{
		"lower-case method": {"get", "/teams", "method"},
		"unknown method":    {"BREW", "/teams", "method"},
		"relative":          {"GET", "teams", "path"},
		"query in path":     {"GET", "/teams?page=2", "path"},
		"fragment":          {"GET", "/teams#x", "path"},
		"dot dot":           {"GET", "/teams/../regions", "path"},
		"escaped dot dot":   {"GET", "/teams/%2e%2E/regions", "path"},
		"bad escape":        {"GET", "/teams/%zz", "path"},
		"space":             {"GET", "/teams/a b", "path"},
		"escaped slashes":   {"GET", "/%2E%2E%2F%2E%2E%2Fconsole", "path"},
		"an escaped slash":  {"GET", "/teams/abc%2Fregions%2Frainbond", "path"},
		"a backslash":       {"GET", "/teams/abc%5C..%5Cconsole", "path"},
		"an escaped space":  {"GET", "/teams/a%20b", "path"},
		"an escaped NUL":    {"GET", "/teams/a%00b", "path"},
	} {
		_, err := c.NewRequest(tc.method, tc.path, nil)
		assertRefused(t, err, tc.field, name)
	}
}

func TestJoinPathEscapesEachSegment(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "/teams/a%2Fb%3Fc/regions/r%25", JoinPath("teams", "a/b?c", "regions", "r%"))
	c, _ := newMockClient(t)
	_, err := c.NewRequest("GET", JoinPath("teams", "..", "regions"), nil)
	assert.Error(t, err, "an escaped segment that is .. is still refused")
	_, err = c.NewRequest("GET", JoinPath("teams", "abc/regions/rainbond"), nil)
	assertRefused(t, err, "path", "a value with a slash cannot become several segments")
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/%2E%2E%2F%2E%2E%2Fconsole"}, nil)
	assertRefused(t, err, "path", "Do checks too")
}

func TestDoSendsWithTheClientsTokenAndDecodes(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET /openapi/v1/teams/t1/regions/r1/apps/7/upgrade": {{status: 200, body: upgradeList}}})

	req, err := c.NewRequest(http.MethodGet, JoinPath("teams", "t1", "regions", "r1", "apps", "7", "upgrade"), nil)
	require.NoError(t, err)
	req.Query = url.Values{"page": {"2"}}
	var out []map[string]any
	resp, err := c.Do(context.Background(), req, &out)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, out, 1)
	assert.Equal(t, "wordpress", out[0]["app_model_name"])
	got := rt.last(t)
	assert.Equal(t, []string{testToken}, got.Header["Authorization"])
	assert.Equal(t, "page=2", got.RawQuery)
}

func TestDoSendsARawMessageAsItIs(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"PUT /openapi/v1/teams/t1": {{status: 200}}})
	req, err := c.NewRequest(http.MethodPut, "/teams/t1", json.RawMessage(`{"tenant_alias":"New name"}`))
	require.NoError(t, err)
	var out map[string]any
	_, err = c.Do(context.Background(), req, &out)
	require.NoError(t, err, "an empty 200 (the console's Response(None)) is a success")
	assert.Nil(t, out, "and leaves out as it was")
	assert.JSONEq(t, `{"tenant_alias":"New name"}`, string(rt.last(t).Body))
}

func TestDoRetriesOnlyWhatIsSafeToRetry(t *testing.T) {
	t.Parallel()
	unavailable := canned{status: 503, body: `{"msg":"busy"}`}
	c, mt := newMockClient(t, WithRetry(fastRetry))
	rt := newRouter(mt, map[string][]canned{
		"GET /openapi/v1/teams":  {unavailable, {status: 200, body: `{"tenants":[],"total":0}`}},
		"POST /openapi/v1/teams": {unavailable, {status: 201, body: `{}`}},
	})
	get, _ := c.NewRequest(http.MethodGet, "/teams", nil)
	resp, err := c.Do(context.Background(), get, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)

	post, _ := c.NewRequest(http.MethodPost, "/teams", map[string]string{"tenant_name": "x"})
	resp, err = c.Do(context.Background(), post, nil)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, resp.Attempts, "a POST that reached the console is never resent on its own")
	assert.Equal(t, []string{"GET /openapi/v1/teams", "GET /openapi/v1/teams", "POST /openapi/v1/teams"}, rt.sentTo())
}

func TestDoReturnsTypedErrors(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"GET /openapi/v1/teams/gone":  {{status: 404, body: `{"code":404,"msg":"no found team","msg_show":"团队不存在"}`}},
		"GET /openapi/v1/nowhere":     {djangoNotFound},
		"PATCH /openapi/v1/teams/t1":  {{status: 405, body: `{"detail":"Method \"PATCH\" not allowed.","code":405}`}},
		"POST /openapi/v1/teams/t1/x": {{status: 400, body: `{"msg":"bad secret sk-0123456789abcdef"}`}},
	})
	ctx := context.Background()
	do := func(method, path string, secrets ...string) error {
		req, err := c.NewRequest(method, path, nil)
		require.NoError(t, err)
		req.Secrets = secrets
		_, err = c.Do(ctx, req, nil)
		return err
	}
	err := do("GET", "/teams/gone")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrUnsupported)

	err = do("GET", "/nowhere")
	assert.ErrorIs(t, err, ErrUnsupported, "Django's HTML 404: no such route")
	assert.NotErrorIs(t, err, ErrNotFound)

	err = do("PATCH", "/teams/t1")
	var apiErr *APIError
	assert.ErrorAs(t, err, &apiErr, "a 405 to Do is the caller's wrong method, not an older console")

	err = do("POST", "/teams/t1/x", "sk-0123456789abcdef")
	require.ErrorAs(t, err, &apiErr)
	assert.NotContains(t, err.Error(), "sk-0123456789abcdef")
	assert.NotContains(t, string(apiErr.Response.Body), "sk-0123456789abcdef")
	assert.True(t, strings.Contains(apiErr.Msg, "[REDACTED]"))
}

func TestDoRefusesANilRequest(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	_, err := c.Do(context.Background(), nil, nil)
	assert.ErrorAs(t, err, new(*ValidationError))
}

func TestARequestWithSecretsPrintsThemRedacted(t *testing.T) {
	t.Parallel()
	const pw = "db-pass-41c8e2"
	req := &Request{Method: "POST", Path: "/teams/t1/x", Body: map[string]any{"password": pw, "nested": []string{"u:" + pw}}, Secrets: []string{pw}}
	var logs strings.Builder
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		slog.New(h).Info("calling", "req", req, "value", *req, "in", []*Request{req}, "struct", struct{ R *Request }{req})
	}
	b, err := json.Marshal([]any{req, *req, map[string]*Request{"r": req}})
	require.NoError(t, err)
	printed := strings.Join([]string{fmt.Sprint(req), fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", req, *req, req, req, req, req), logs.String(), string(b),
		fmt.Sprintf("%+v", []Request{*req})}, "\n")
	assert.NotContains(t, printed, pw)
	assert.NotContains(t, printed, fmt.Sprintf("%x", pw))
	assert.Contains(t, printed, "[REDACTED]")
	assert.Contains(t, fmt.Sprintf("%#v", req), "rainbond.Request{")
}

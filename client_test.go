package rainbond

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientAcceptsEveryFormOfTheConsoleAddress(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://host:7070":                        "http://host:7070/openapi/v1",
		"http://host:7070/":                       "http://host:7070/openapi/v1",
		"http://host:7070/openapi/v1":             "http://host:7070/openapi/v1",
		"http://host:7070/openapi/v1/":            "http://host:7070/openapi/v1",
		"  https://console.example.com  ":         "https://console.example.com/openapi/v1",
		"https://example.com/rainbond/":           "https://example.com/rainbond/openapi/v1",
		"https://example.com/rainbond/openapi/v1": "https://example.com/rainbond/openapi/v1",
		"http://[::1]:7070":                       "http://[::1]:7070/openapi/v1",
	} {
		c, err := NewClient(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, c.BaseURL(), in)
	}
}

func TestNewClientRejectsBadAddressesWithoutPanicking(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "   ", "host:7070", "ftp://host", "http://", "http:///openapi/v1", "http:host",
		"http://user:secret@host:7070", "http://host:7070/?x=1", "http://host:7070/#frag",
		"http://host:7070?", "://host", "http://ho st", "http://host:port", "\x00", "http://%zz",
	} {
		c, err := NewClient(in)
		assert.Error(t, err, "%q", in)
		assert.Nil(t, c)
		if err != nil {
			assert.NotContains(t, err.Error(), "secret", "a password in the URL is not echoed")
		}
	}
}

func TestNewClientRejectsBadOptionValues(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]Option{
		"empty token":         WithToken(""),
		"blank token":         WithToken("   "),
		"bearer prefix":       WithToken("Bearer abc"),
		"lowercase bearer":    WithToken("bearer abc"),
		"token with newline":  WithToken("abcdefgh\r\nX-Evil: 1"),
		"short token":         WithToken("t0k3n"),
		"nil http client":     WithHTTPClient(nil),
		"nil transport":       WithTransport(nil),
		"negative timeout":    WithTimeout(-time.Second),
		"empty user agent":    WithUserAgent(" "),
		"user agent newline":  WithUserAgent("a\nb"),
		"nil logger":          WithLogger(nil),
		"zero attempts":       WithRetry(RetryPolicy{}),
		"no backoff":          WithRetry(RetryPolicy{MaxAttempts: 3}),
		"backoff inverted":    WithRetry(RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Minute, MaxBackoff: time.Second}),
		"zero response limit": WithMaxResponseBytes(0),
		"nil codec":           WithJSONCodec(nil),
		"nil option":          nil,
	} {
		_, err := NewClient(testBase, opt)
		assert.Error(t, err, name)
	}
}

func TestTokenIsSentRawWithUserAgentAndNotToOtherOptions(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithUserAgent("migrator/2.0"))
	rec := newRecorder(200, `[]`)
	answer(mt, rec)
	var out []any
	_, err := c.do(context.Background(), &request{method: http.MethodGet, path: "/regions"}, &out)
	require.NoError(t, err)
	got := rec.only(t)
	assert.Equal(t, []string{testToken}, got.Header["Authorization"], "raw token, no Bearer prefix")
	assert.Equal(t, "migrator/2.0 rainbond-go/"+Version, got.Header.Get("User-Agent"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	assert.Empty(t, got.Header.Get("Content-Type"), "no body, no content type")
	assert.Empty(t, got.Header.Get("Cookie"))
}

func TestWithHTTPClientIsCopiedNotChanged(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: time.Hour}
	_, err := NewClient(testBase, WithHTTPClient(hc), WithTimeout(5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, time.Hour, hc.Timeout)
	assert.Nil(t, hc.CheckRedirect)
	assert.Nil(t, hc.Transport)
}

func TestDefaultTransportPoolsConnectionsForConcurrency(t *testing.T) {
	t.Parallel()
	c, err := NewClient(testBase)
	require.NoError(t, err)
	require.NotNil(t, c.tr)
	hc := httpClient(defaultConfig())
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 32)
	assert.Equal(t, DefaultTimeout, hc.Timeout)
	assert.NotNil(t, hc.CheckRedirect)
}

func TestLoggerGetsOneDebugLinePerAttemptWithoutSecrets(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockClient(t, WithLogger(logger))
	answer(mt, newRecorder(200, readFixture(t, "console/install.json")))
	_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	require.NoError(t, err)
	line := buf.String()
	for _, want := range []string{"level=DEBUG", "method=POST", "path=/openapi/v1/teams/team/regions/region/apps/1/install", "status=200", "attempt=1", "duration="} {
		assert.Contains(t, line, want)
	}
	assert.Equal(t, 1, strings.Count(line, "\n"))
	assert.NotContains(t, line, testToken)
	assert.NotContains(t, line, testKey)
}

func TestNilContextIsAValidationError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	//lint:ignore SA1012 the point is a nil context
	_, _, err := c.Apps.InstallFromMarket(nil, "team", "region", 1, validInstall(), nil) //nolint:staticcheck
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.True(t, ve.Has("ctx"))
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestIsJSONReadsMediaTypesWithoutAllocating(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, " Application/JSON ": true,
		"application/problem+json": true, "text/html": false, "text/html; charset=utf-8": false,
		"+json": false, "application/jsonp": false, "": false,
	} {
		assert.Equal(t, want, isJSON(ct), ct)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { isJSON("application/json; charset=utf-8") }))
}

// The caller's http.Client keeps its Timeout when WithTimeout is not given.
func TestWithHTTPClientKeepsTheCallersTimeout(t *testing.T) {
	t.Parallel()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	c, err := NewClient(slow.URL, WithToken(testToken), WithRetry(NoRetry), WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}))
	require.NoError(t, err)
	start := time.Now()
	_, _, err = c.Apps.Get(context.Background(), "t", "r", 1)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.True(t, te.Timeout())
	assert.Less(t, time.Since(start), 3*time.Second, "200 ms, not DefaultTimeout's 30 s")

	c, err = NewClient(slow.URL, WithToken(testToken), WithRetry(NoRetry),
		WithHTTPClient(&http.Client{Timeout: time.Hour}), WithTimeout(100*time.Millisecond))
	require.NoError(t, err)
	start = time.Now()
	_, _, err = c.Apps.Get(context.Background(), "t", "r", 1)
	require.ErrorAs(t, err, &te)
	assert.Less(t, time.Since(start), 3*time.Second, "WithTimeout wins when given")
}

// KeepRawBody does not trust a claimed Content-Length with memory.
func TestAClaimedContentLengthAllocatesNothingUpFront(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, `[]`)
		resp.Header.Set("Content-Type", "application/json")
		resp.ContentLength = 1 << 30
		resp.Request = req
		return resp, nil
	})
	_, resp, err := c.Apps.ListComponents(context.Background(), "t", "r", 1, KeepRawBody())
	require.NoError(t, err)
	assert.Equal(t, "[]", string(resp.Body))
	// The kept body is the buffer the answer was read into: its capacity
	// is what the claim made the client allocate.
	assert.LessOrEqual(t, cap(resp.Body), 4<<20+1, "a claimed gigabyte allocates at most the 4 MiB a claim is trusted with, not the 64 MiB limit")
}

func TestNewClientRefusalsAreConfigErrors(t *testing.T) {
	t.Parallel()
	for setting, make := range map[string]func() error{
		"WithToken":   func() error { _, err := NewClient(testBase, WithToken("ab12cd")); return err },
		"base URL":    func() error { _, err := NewClient("console.test:7070"); return err },
		"WithTimeout": func() error { _, err := NewClient(testBase, WithTimeout(-time.Second)); return err },
	} {
		var ce *ConfigError
		err := make()
		require.ErrorAs(t, err, &ce, setting)
		assert.Equal(t, setting, ce.Setting)
		assert.NotEmpty(t, ce.Reason)
		assert.NotContains(t, err.Error(), "ab12cd", "never the token")
	}
}

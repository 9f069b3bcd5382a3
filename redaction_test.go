package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecretsAppearNowhere drives every kind of call outcome, with a console
// that echoes the secrets back in every error member it has, and searches
// all that the SDK prints (log lines at debug level, in text and JSON, error
// strings, %v, %+v, %#v and %s of models, errors and the client) for the
// token and the market access key.
func TestSecretsAppearNowhere(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var logs syncBuffer
		handler := slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})
		text := slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})
		logger := slog.New(fanout{handler, text})

		echo := `{"code": 10421, "msg": "bad key ` + testKey + ` for ` + testToken + `", "msg_show": "` + testKey + `",` +
			` "detail": "` + testToken + `", "err": {"market_access_key": ["` + testKey + ` is wrong"]},` +
			` "error_trace": "token=` + testToken + `", "data": {"bean": {"key": "` + testKey + `"}}}`
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){
			fail(errRefused),                      // retried: logged at info, attempt at debug
			echoing(401, echo),                    // an API error echoing both secrets
			echoing(200, `not json`),              // a decode error
			fail(errReset),                        // an ambiguous transport error
			echoing(200, successBody("/install")), // a success
		}}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(s.respond)
		c, err := NewClient(testBase, WithToken(testToken), WithTransport(mt), WithLogger(logger))
		require.NoError(t, err)

		var printed []string
		in := validInstall()
		for range 3 { // refused then 401; not JSON; reset
			_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, in, nil)
			require.Error(t, err)
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				printed = append(printed, fmt.Sprintf("%#v", *apiErr), fmt.Sprintf("%+v", apiErr.FieldErrors), string(apiErr.MsgJSON), string(apiErr.Data))
			}
			printed = append(printed, err.Error(), fmt.Sprintf("%v|%+v|%s|%#v", err, err, err, err))
		}
		_, _, err = c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, in, nil)
		require.NoError(t, err)
		logger.Debug("the request", "install", in, "ptr", in, "client", c)

		printed = append(printed,
			fmt.Sprintf("%v|%+v|%s|%#v", *in, *in, *in, *in),
			fmt.Sprintf("%v|%+v|%s|%#v", in, in, in, in),
			fmt.Sprintf("%v|%+v|%s|%#v", c, c, c, c),
			fmt.Sprintf("%v", []*Install{in}),
			fmt.Sprintf("%+v", struct{ Body *Install }{in}),
			logs.String(),
		)
		all := strings.Join(printed, "\n")
		assert.Contains(t, all, redacted, "secrets are replaced, not just dropped")
		assert.Contains(t, logs.String(), `"level":"DEBUG"`)
		assert.Contains(t, logs.String(), "level=INFO msg=\"rainbond retry\"")
		assert.NotContains(t, all, testToken)
		assert.NotContains(t, all, testKey)
		assert.Equal(t, 5, s.calls)
	})
}

func echoing(code int, body string) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(code, body)
		resp.Header.Set("Content-Type", "application/json")
		resp.Request = req
		return resp, nil
	}
}

// fanout sends every record to several handlers.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool { return f[0].Enabled(ctx, l) }
func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}
func (f fanout) WithAttrs(as []slog.Attr) slog.Handler { return f }
func (f fanout) WithGroup(string) slog.Handler         { return f }

func TestInstallPrintsItsKeyOnlyAsRedacted(t *testing.T) {
	t.Parallel()
	in := validInstall()
	for _, printed := range []string{fmt.Sprint(in), fmt.Sprintf("%+v", *in), fmt.Sprintf("%#v", in), fmt.Sprintf("%s|%q|%x", in, in, in)} {
		assert.NotContains(t, printed, testKey)
	}
	assert.Contains(t, fmt.Sprintf("%+v", *in), "MarketAccessKey:[REDACTED]")
	assert.Contains(t, fmt.Sprintf("%#v", *in), `MarketAccessKey:"[REDACTED]"`)
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"market_access_key":"[REDACTED]"`, "json.Marshal of the model redacts too")
	wire, err := json.Marshal(in.wire())
	require.NoError(t, err)
	assert.Contains(t, string(wire), `"market_access_key":"`+testKey+`"`, "the body sent is the wire type's")
	in.MarketAccessKey = NewSecret("")
	assert.Contains(t, fmt.Sprintf("%+v", *in), "MarketAccessKey: ", "no key, nothing to redact")
	wire, _ = json.Marshal(in.wire())
	assert.Contains(t, string(wire), `"market_access_key":null`)
}

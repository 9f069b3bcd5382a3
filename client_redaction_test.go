package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Secrets with characters that JSON and URL encoding change, so that each
// encoded form differs from the raw one.
const (
	echoToken = "tok/5e3c+9a1&<b>9f0a"
	echoKey   = "mk-é/key+0af5dff6"
)

// echoForms are the ways a server could echo s that a person would still
// recognise, written independently of the SDK's secretForms.
func echoForms(s string) []string {
	quoted, _ := json.Marshal(s) // HTML-escaped: \u0026 \u003c
	var ascii strings.Builder
	for _, r := range s {
		if r < 0x80 {
			ascii.WriteRune(r)
		} else {
			fmt.Fprintf(&ascii, `\u%04x`, r)
		}
	}
	return []string{s, string(quoted[1 : len(quoted)-1]), ascii.String(), url.QueryEscape(s), url.PathEscape(s),
		strings.ReplaceAll(s, "/", `\/`)}
}

// echoingConsole answers every request by echoing the Authorization header
// and the body's access key in every place an HTTP answer can carry text:
// status-specific bodies (JSON members and keys, HTML, plain text), headers
// and Location.
func echoingConsole(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get("Authorization")
		var body struct {
			Key string `json:"market_access_key"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		key := body.Key
		both := token + " " + key
		all := strings.Join(append(echoForms(token), echoForms(key)...), " | ")
		h := w.Header()
		h.Set("X-Echo", all)
		h.Set("WWW-Authenticate", "Token realm="+token)
		h.Set("X-"+url.PathEscape(token), key)
		switch as := strings.Split(r.URL.Path, "/")[4]; as { // /openapi/v1/teams/{as}/...
		case "json":
			h.Set("Content-Type", "application/json")
			w.WriteHeader(401)
			b, _ := json.Marshal(map[string]any{
				"code": 401, "msg": all, "msg_show": both, "detail": token, "error_type": token,
				"error_trace": all, "err": map[string]any{token: []string{key}, "list": []any{map[string]any{key: []string{token}}}},
				"data":          map[string]any{"bean": map[string]string{token: key}},
				"error_details": map[string]any{"args": []string{token}, "message": key, "module": token},
			})
			_, _ = w.Write(b)
		case "html":
			h.Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprintf(w, "<html><head><title>%s</title></head><body>%s</body></html>", all, all)
		case "text":
			h.Set("Content-Type", "text/plain")
			w.WriteHeader(503)
			_, _ = io.WriteString(w, all)
		case "redirect":
			h.Set("Location", "http://elsewhere.test/?t="+url.QueryEscape(token)+"&k="+url.QueryEscape(key))
			w.WriteHeader(307)
		case "content-type":
			h.Set("Content-Type", "text/"+url.PathEscape(both))
			_, _ = io.WriteString(w, all)
		case "bad-json":
			h.Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ID": {"`+token+`": "`+key+`"}, "service_list": "`+all+`"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestNothingTheSDKProducesHoldsAnEchoedSecret(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	logger := slog.New(fanout{
		slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}),
	})
	var printed []string
	record := func(resp *Response, err error) {
		printed = append(printed, err.Error(), fmt.Sprintf("%v %+v %#v %s %q", err, err, err, err, err))
		if resp != nil {
			printed = append(printed, string(resp.Body), fmt.Sprint(resp.Header))
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			printed = append(printed, fmt.Sprintf("%#v %+v", *apiErr, apiErr.ErrorDetails), string(apiErr.MsgJSON), string(apiErr.Data))
			for k, v := range apiErr.FieldErrors {
				printed = append(printed, k, strings.Join(v, " "))
			}
		}
	}
	in := validInstall()
	in.MarketAccessKey = NewSecret(echoKey)
	base := echoingConsole(t)
	for _, as := range []string{"json", "html", "text", "redirect", "content-type", "bad-json"} {
		c, err := NewClient(base, WithToken(echoToken), WithLogger(logger), WithRetry(NoRetry))
		require.NoError(t, err)
		// The team name tells the console what to answer.
		_, resp, err := c.Apps.InstallFromMarket(context.Background(), as, "region", 1, in, nil)
		require.Error(t, err, as)
		record(resp, err)
		_, resp, err = c.Apps.ListComponents(context.Background(), as, "region", 1)
		require.Error(t, err, as)
		record(resp, err)
	}
	// A malformed status line holding the token, which net/http puts in
	// its error.
	statusLine, _ := rawServer(t, func(c *net.TCPConn) { fmt.Fprintf(c, "HTTP/1.1 %s OK\r\nContent-Length: 0\r\n\r\n", echoToken) })
	c, err := NewClient(statusLine, WithToken(echoToken), WithLogger(logger), WithRetry(NoRetry))
	require.NoError(t, err)
	_, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, in, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	record(resp, err)
	_, err = c.Apps.Delete(context.Background(), "team", "region", 1, nil)
	require.Error(t, err)
	record(nil, err)

	printed = append(printed, logs.String())
	all := strings.Join(printed, "\n")
	assert.Contains(t, all, redacted)
	for _, secret := range []string{echoToken, echoKey} {
		for _, form := range echoForms(secret) {
			assert.NotContains(t, all, form, "%q, a form of a secret", form)
		}
	}
}

func TestValidationErrorsNeverEchoTheToken(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	_, _, err := c.Apps.Get(context.Background(), "x", testToken+"/", 1)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.NotContains(t, err.Error(), testToken)
	assert.Zero(t, mt.GetTotalCallCount())
}

// Every exported type that holds a secret, every service and the client,
// printed with every fmt verb and logged with both slog handlers.
func TestNoVerbAndNoHandlerPrintsTheToken(t *testing.T) {
	t.Parallel()
	const token, key = "SECRET-0123456789abcdef", "KEY-fedcba9876543210"
	c, err := NewClient(testBase, WithToken(token))
	require.NoError(t, err)
	in := validInstall()
	in.MarketAccessKey = NewSecret(key)
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%T", "%p", "%c", "%U", "%e", "%10.3s", "%-8v"}
	print := func(values ...any) string {
		var out strings.Builder
		for _, v := range values {
			for _, verb := range verbs {
				fmt.Fprintf(&out, verb+"\n", v)
			}
			fmt.Fprintln(&out, v)
			slog.New(slog.NewTextHandler(&out, nil)).Info("value", "v", v)
			slog.New(slog.NewJSONHandler(&out, nil)).Info("value", "v", v)
		}
		return out.String()
	}
	for _, printed := range []string{
		print(c, *c, c.Apps, *c.Apps, c.Teams, *c.Teams, c.Regions, *c.Regions, c.creds, in, *in, TeamRegion{}, Response{}, APIError{}),
	} {
		for _, form := range []string{token, fmt.Sprintf("%x", token), fmt.Sprintf("%X", token), fmt.Sprintf("%q", token)} {
			assert.NotContains(t, printed, form)
		}
	}
	// The request's access key and a region's token are plain string
	// fields of the caller's values: every verb but %p of the value itself
	// (which fmt prints without calling any method) redacts them.
	verbs = slices.DeleteFunc(verbs, func(v string) bool { return v == "%p" })
	printed := print(in, *in, TeamRegion{RegionName: "r", Token: NewSecret(key)}, &TeamRegion{Token: NewSecret(key)})
	for _, form := range []string{key, fmt.Sprintf("%x", key), fmt.Sprintf("%X", key), fmt.Sprintf("%q", key)} {
		assert.NotContains(t, printed, form)
	}
}

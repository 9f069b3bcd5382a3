package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func req(method, rawURL string) *http.Request {
	r, _ := http.NewRequest(method, rawURL, nil)
	r.Header.Set("Authorization", "tok")
	return r
}

func TestRedirectPolicyKeepsTheTokenOnTheOrigin(t *testing.T) {
	t.Parallel()
	check := CheckRedirect(nil)
	for to, keep := range map[string]bool{
		"http://console:7070/other":     true,
		"http://CONSOLE:7070/x":         true,
		"https://console/x":             false, // an upgrade, but from 7070 to 443
		"http://console:7071/x":         false,
		"http://console/x":              false, // port 80 is another service
		"http://evil.example/x":         false,
		"http://sub.console:7070/x":     false, // Go itself would keep it
		"http://console.evil.example/x": false,
		"http://user@console:7070/x":    true,
	} {
		r := req("GET", to)
		assert.NoError(t, check(r, []*http.Request{req("GET", "http://console:7070/openapi/v1/regions")}), to)
		assert.Equal(t, keep, r.Header.Get("Authorization") != "", to)
	}
	down := req("GET", "http://console/x")
	assert.NoError(t, check(down, []*http.Request{req("GET", "https://console/x")}))
	assert.Empty(t, down.Header.Get("Authorization"), "https to http is a downgrade")

	for from, upgrades := range map[string]map[string]bool{
		"http://console/x":      {"https://console/y": true, "https://console:443/y": true, "https://console:8443/y": false},
		"http://console:80/x":   {"https://console/y": true},
		"http://console:7070/x": {"https://console:7070/y": true, "https://console/y": false, "https://console:7071/y": false},
	} {
		for to, keep := range upgrades {
			r := req("GET", to)
			assert.NoError(t, check(r, []*http.Request{req("GET", from)}))
			assert.Equal(t, keep, r.Header.Get("Authorization") != "", "%s → %s", from, to)
		}
	}
}

func TestOnlyGetAndHeadFollowRedirects(t *testing.T) {
	t.Parallel()
	check := CheckRedirect(nil)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		assert.ErrorIs(t, check(req("GET", "http://console:7070/x"), []*http.Request{req(m, "http://console:7070/y")}), http.ErrUseLastResponse, m)
	}
	var asked []string
	refuse := errors.New("no redirects here")
	strict := CheckRedirect(func(r *http.Request, via []*http.Request) error {
		asked = append(asked, via[0].Method)
		return refuse
	})
	assert.ErrorIs(t, strict(req("GET", "http://console:7070/x"), []*http.Request{req("POST", "http://console:7070/y")}), refuse,
		"the caller's policy is consulted for a POST too, and its error stands")
	assert.ErrorIs(t, strict(req("GET", "http://console:7070/x"), []*http.Request{req("GET", "http://console:7070/y")}), refuse)
	assert.Equal(t, []string{"POST", "GET"}, asked)
	via := make([]*http.Request, 10)
	for i := range via {
		via[i] = req("GET", "http://console:7070/x")
	}
	assert.Error(t, check(req("GET", "http://console:7070/x"), via), "ten redirects are enough")
}

func TestDefaultTransportPoolsForConcurrency(t *testing.T) {
	t.Parallel()
	tr := DefaultTransport()
	assert.Equal(t, MaxConnsPerHost, tr.MaxIdleConnsPerHost, "every allowed connection can stay for reuse")
	assert.Equal(t, MaxConnsPerHost, tr.MaxConnsPerHost)
	assert.NotSame(t, http.DefaultTransport, tr)
	assert.NotNil(t, tr.Proxy, "proxies from the environment still apply")
}

// TestDoFreshIsNeverResentByNetHTTP: a server that reads a request on a
// kept-alive connection and hangs up without answering makes net/http
// send a GET again on its own; DoFresh's GET goes out once.
func TestDoFreshIsNeverResentByNetHTTP(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		fresh bool
		seen  int32
	}{"Do": {false, 3}, "DoFresh": {true, 2}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var seen atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if seen.Add(1) == 2 {
					conn, _, err := w.(http.Hijacker).Hijack()
					if err == nil {
						conn.Close() // read, then hang up: no answer
					}
					return
				}
				w.WriteHeader(http.StatusOK)
			}))
			defer srv.Close()
			tr := New(&http.Client{Transport: DefaultTransport()})
			send := tr.Do
			if tc.fresh {
				send = tr.DoFresh
			}
			resp, err := tr.Do(context.Background(), http.MethodGet, srv.URL, http.Header{}, nil) // a connection to reuse
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			resp, err = send(context.Background(), http.MethodGet, srv.URL, http.Header{}, nil)
			if err == nil {
				resp.Body.Close()
			}
			assert.Equal(t, tc.seen, seen.Load())
		})
	}
}

package rainbond

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seen records what a test server received.
type seen struct {
	mu    sync.Mutex
	auth  []string
	count int
	body  []string
}

func (s *seen) record(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	s.body = append(s.body, string(b))
}

func (s *seen) snapshot() (int, []string, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count, append([]string(nil), s.auth...), append([]string(nil), s.body...)
}

// elsewhere is another host (another port is another origin) that answers
// every request with an empty component list.
func elsewhere(t *testing.T) (*httptest.Server, *seen) {
	t.Helper()
	var s seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, successBody(r.URL.Path))
	}))
	t.Cleanup(srv.Close)
	return srv, &s
}

// redirecting is the "console", redirecting every request to target with
// the given status.
func redirecting(t *testing.T, status int, target func(r *http.Request) string) (*Client, *seen) {
	t.Helper()
	var s seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		http.Redirect(w, r, target(r), status)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, WithToken(testToken), WithRetry(NoRetry))
	require.NoError(t, err)
	return c, &s
}

func TestARedirectToAnotherHostNeverCarriesTheToken(t *testing.T) {
	t.Parallel()
	other, got := elsewhere(t)
	c, console := redirecting(t, http.StatusFound, func(r *http.Request) string { return other.URL + r.URL.Path })

	_, _, err := c.Apps.ListComponents(context.Background(), "team", "region", 1)
	require.NoError(t, err, "a GET follows the redirect")
	n, auth, _ := console.snapshot()
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{testToken}, auth)
	n, auth, _ = got.snapshot()
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{""}, auth, "the other host gets no token")
}

func TestAPostIsNotRedirectedToAnotherHost(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound, http.StatusMovedPermanently} {
		other, got := elsewhere(t)
		c, _ := redirecting(t, status, func(r *http.Request) string { return other.URL + r.URL.Path })
		_, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr), "%d: %v", status, err)
		assert.Equal(t, status, resp.StatusCode)
		assert.Contains(t, err.Error(), "redirected to "+other.URL)
		n, _, _ := got.snapshot()
		assert.Zero(t, n, "%d: the body, with its access key, stays home", status)
	}
}

func TestARedirectWithinTheConsoleKeepsTheToken(t *testing.T) {
	t.Parallel()
	var s seen
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		if !strings.HasPrefix(r.URL.Path, "/new") {
			http.Redirect(w, r, srv.URL+"/new"+r.URL.Path, http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, successBody(r.URL.Path))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, WithToken(testToken))
	require.NoError(t, err)
	_, _, err = c.Apps.ListComponents(context.Background(), "team", "region", 1)
	require.NoError(t, err)
	n, auth, _ := s.snapshot()
	assert.Equal(t, 2, n)
	assert.Equal(t, []string{testToken, testToken}, auth)

	_, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	assert.ErrorContains(t, err, "redirected to "+srv.URL+"/new/openapi/v1/")
	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
	n, _, _ = s.snapshot()
	assert.Equal(t, 3, n, "an install is sent once, even to the same console")
}

func TestARedirectLoopStopsAfterTenRequests(t *testing.T) {
	t.Parallel()
	c, console := redirecting(t, http.StatusFound, func(r *http.Request) string { return r.URL.Path })
	_, _, err := c.Apps.ListComponents(context.Background(), "team", "region", 1)
	assert.ErrorIs(t, err, ErrTooManyRedirects)
	n, _, _ := console.snapshot()
	assert.Equal(t, 10, n)
}

func TestTheCallersRedirectPolicyStillRuns(t *testing.T) {
	t.Parallel()
	other, got := elsewhere(t)
	var s seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer srv.Close()
	refuse := errors.New("no redirects here")
	c, err := NewClient(srv.URL, WithToken(testToken), WithHTTPClient(&http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return refuse },
	}))
	require.NoError(t, err)
	_, _, err = c.Apps.ListComponents(context.Background(), "team", "region", 1)
	assert.ErrorIs(t, err, refuse)
	n, _, _ := got.snapshot()
	assert.Zero(t, n)
}

// The caller's policy is consulted for an install too: its refusal
// stands, rather than the redirect answer the SDK would return.
func TestTheCallersRedirectPolicyRunsForAPost(t *testing.T) {
	t.Parallel()
	other, got := elsewhere(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	refuse := errors.New("no redirects here")
	var asked []string
	c, err := NewClient(srv.URL, WithToken(testToken), WithRetry(NoRetry), WithHTTPClient(&http.Client{
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			asked = append(asked, via[0].Method)
			return refuse
		},
	}))
	require.NoError(t, err)
	_, _, err = c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	assert.ErrorIs(t, err, refuse)
	assert.Equal(t, []string{"POST"}, asked)
	n, _, _ := got.snapshot()
	assert.Zero(t, n, "never followed")
}

// An upgrade from http to https keeps the token only from port 80 to 443:
// https on another port may be another service.
func TestAnUpgradeToAnotherPortDropsTheToken(t *testing.T) {
	t.Parallel()
	var s seen
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `[]`)
	}))
	t.Cleanup(secure.Close)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, secure.URL+r.URL.Path, http.StatusFound) // https://127.0.0.1:B
	}))
	t.Cleanup(plain.Close)
	c, err := NewClient(plain.URL, WithToken(testToken), WithHTTPClient(secure.Client()))
	require.NoError(t, err)
	_, _, err = c.Apps.ListComponents(context.Background(), "team", "region", 1)
	require.NoError(t, err)
	n, auth, _ := s.snapshot()
	require.Equal(t, 1, n)
	assert.Empty(t, auth[0], "http://host:A → https://host:B must not carry the token")
}

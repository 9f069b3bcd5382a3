package rainbond

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scripted answers the requests it receives in turn, repeating the last.
type scripted struct {
	answers []func(*http.Request) (*http.Response, error)
	calls   int
}

func (s *scripted) respond(req *http.Request) (*http.Response, error) {
	a := s.answers[min(s.calls, len(s.answers)-1)]
	s.calls++
	return a(req)
}

func status(code int, header ...string) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		body := `{"code": ` + strconv.Itoa(code) + `, "msg": "x"}`
		if code == 200 {
			body = successBody(req.URL.Path)
		}
		resp := httpmock.NewStringResponse(code, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		resp.Request = req
		return resp, nil
	}
}

// successBody is a 200 body fitting the call.
func successBody(path string) string {
	switch {
	case strings.HasSuffix(path, "/services"):
		return `[]`
	case strings.HasSuffix(path, "/copy"):
		return `{"services": []}`
	}
	return readFixtureRaw("console/install.json")
}

func fail(err error) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

var (
	errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	errReset   = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
)

// scriptedClient is a client whose requests are answered by s, with the
// default retry policy unless opts say otherwise.
func scriptedClient(t *testing.T, s *scripted, opts ...Option) *Client {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(s.respond)
	c, err := NewClient(testBase, append([]Option{WithToken(testToken), WithTransport(mt)}, opts...)...)
	require.NoError(t, err)
	return c
}

func install(c *Client, opts ...CallOption) error {
	_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil, opts...)
	return err
}

func listComponents(c *Client) error {
	_, _, err := c.Apps.ListComponents(context.Background(), "team", "region", 1)
	return err
}

// An install or copy may reach the console in each of these failures: it is
// sent exactly once.
func TestAmbiguousFailuresSendAPostExactlyOnce(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]func(*http.Request) (*http.Response, error){
		"connection reset":     fail(errReset),
		"unexpected EOF":       fail(fmt.Errorf("net/http: HTTP/1.x transport connection broken: %w", io.ErrUnexpectedEOF)),
		"timeout":              fail(&url.Error{Op: "Post", URL: "u", Err: &timeoutErr{}}),
		"502":                  status(502),
		"503":                  status(503),
		"504":                  status(504),
		"429 with retry-after": status(429, "Retry-After", "1"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				s := &scripted{answers: []func(*http.Request) (*http.Response, error){answer, status(200)}}
				c := scriptedClient(t, s)
				assert.Error(t, install(c))
				assert.Equal(t, 1, s.calls, "install")

				s.calls = 0
				_, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 1, validCopy())
				assert.Error(t, err)
				assert.Equal(t, 1, s.calls, "copy")

				s.calls = 0
				assert.NoError(t, listComponents(c), "a GET is retried and succeeds")
				assert.Equal(t, 2, s.calls)
			})
		})
	}
}

func TestARequestThatNeverLeftIsRetriedWhateverItsMethod(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){fail(errRefused), fail(errRefused), status(200)}}
		c := scriptedClient(t, s)
		start := time.Now()
		_, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
		require.NoError(t, err)
		assert.Equal(t, 3, s.calls)
		assert.Equal(t, 3, resp.Attempts)
		waited := time.Since(start)
		// 2 waits: [250ms, 500ms] then [500ms, 1s].
		assert.GreaterOrEqual(t, waited, 750*time.Millisecond)
		assert.LessOrEqual(t, waited, 1500*time.Millisecond)
	})
}

func TestAttemptsAreCapped(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){fail(errRefused)}}
		c := scriptedClient(t, s, WithRetry(RetryPolicy{MaxAttempts: 5, InitialBackoff: time.Second, MaxBackoff: 2 * time.Second}))
		err := install(c)
		var te *TransportError
		require.True(t, errors.As(err, &te))
		assert.False(t, te.MaybeSent, "a refused connection never carried the request")
		assert.Equal(t, 5, te.Attempts)
		assert.Equal(t, 5, s.calls)
		assert.Contains(t, err.Error(), "after 5 attempts")

		s.calls = 0
		c = scriptedClient(t, s, WithRetry(NoRetry))
		assert.Error(t, install(c))
		assert.Equal(t, 1, s.calls)
	})
}

func TestRetryAfterIsHonouredInSecondsAndAsADate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){status(429, "Retry-After", "7"), status(200)}}
		c := scriptedClient(t, s)
		start := time.Now()
		require.NoError(t, listComponents(c))
		assert.Equal(t, 7*time.Second, time.Since(start), "exactly the wait asked for")

		date := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
		s = &scripted{answers: []func(*http.Request) (*http.Response, error){status(503, "Retry-After", date), status(200)}}
		c = scriptedClient(t, s)
		start = time.Now()
		require.NoError(t, listComponents(c))
		assert.Equal(t, 30*time.Second, time.Since(start))
	})
}

func TestARetryAfterBeyondTheCapIsReturnedAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){status(429, "Retry-After", "3600"), status(200)}}
		c := scriptedClient(t, s)
		start := time.Now()
		err := listComponents(c)
		assert.ErrorIs(t, err, ErrRateLimited)
		assert.Zero(t, time.Since(start))
		assert.Equal(t, 1, s.calls)
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr))
		d, ok := apiErr.RetryAfter()
		assert.True(t, ok)
		assert.Equal(t, time.Hour, d)
	})
}

func TestCancellingTheContextEndsAWaitAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){status(503, "Retry-After", "50")}}
		c := scriptedClient(t, s)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		start := time.Now()
		_, _, err := c.Apps.ListComponents(ctx, "team", "region", 1)
		assert.Equal(t, 2*time.Second, time.Since(start))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, ErrServer, "the last answer stays reachable")
		assert.Contains(t, err.Error(), "gave up waiting to retry")
		assert.Equal(t, 1, s.calls)
	})
}

func TestResendAfterAmbiguousFailureIsOptInPerCall(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){status(503), fail(errReset), status(200)}}
		c := scriptedClient(t, s)
		require.NoError(t, install(c, ResendAfterAmbiguousFailure()))
		assert.Equal(t, 3, s.calls)

		s.calls = 0
		assert.Error(t, install(c), "the next call is back to the safe default")
		assert.Equal(t, 1, s.calls)
	})
}

func TestNonRetryableAnswersAreReturnedAtOnce(t *testing.T) {
	t.Parallel()
	for _, code := range []int{400, 401, 403, 404, 409, 412, 500, 501} {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){status(code), status(200)}}
		c := scriptedClient(t, s)
		assert.Error(t, listComponents(c), code)
		assert.Equal(t, 1, s.calls, code)
	}
}

type timeoutErr struct{}

func (*timeoutErr) Error() string   { return "i/o timeout" }
func (*timeoutErr) Timeout() bool   { return true }
func (*timeoutErr) Temporary() bool { return true }

// A DELETE whose first answer was lost, and whose retry finds nothing to
// delete, did what it was asked: the thing is gone.
func TestADeleteRetriedAfterALostAnswerSucceedsOnNotFound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){fail(errReset), status(404)}}
		c := scriptedClient(t, s)
		resp, err := c.Apps.Delete(context.Background(), "t", "r", 1, nil)
		require.NoError(t, err)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, 2, resp.Attempts)

		s = &scripted{answers: []func(*http.Request) (*http.Response, error){status(502), status(404)}}
		_, err = scriptedClient(t, s).Apps.Delete(context.Background(), "t", "r", 1, nil)
		require.NoError(t, err, "a gateway's 502 may hide a DELETE that went through")

		// Without an earlier ambiguous attempt, a 404 is a 404.
		s = &scripted{answers: []func(*http.Request) (*http.Response, error){status(404)}}
		_, err = scriptedClient(t, s).Apps.Delete(context.Background(), "t", "r", 1, nil)
		assert.ErrorIs(t, err, ErrNotFound)
		s = &scripted{answers: []func(*http.Request) (*http.Response, error){status(429), status(404)}}
		_, err = scriptedClient(t, s).Apps.Delete(context.Background(), "t", "r", 1, nil)
		assert.ErrorIs(t, err, ErrNotFound, "a throttled attempt was not carried out")
		// A GET's 404 after a lost answer stays a 404.
		s = &scripted{answers: []func(*http.Request) (*http.Response, error){fail(errReset), status(404)}}
		_, _, err = scriptedClient(t, s).Apps.Get(context.Background(), "t", "r", 1)
		assert.ErrorIs(t, err, ErrNotFound)
	})
}

// A policy written as a literal without MaxRetryAfter still honours
// Retry-After, within DefaultRetryPolicy's minute.
func TestAPolicyWithoutMaxRetryAfterStillHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{answers: []func(*http.Request) (*http.Response, error){status(429, "Retry-After", "5"), status(200)}}
		c := scriptedClient(t, s, WithRetry(RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Second, MaxBackoff: 10 * time.Second}))
		start := time.Now()
		_, _, err := c.Apps.ListComponents(context.Background(), "t", "r", 1)
		require.NoError(t, err)
		assert.Equal(t, 5*time.Second, time.Since(start))
		assert.Equal(t, 2, s.calls)
	})
}

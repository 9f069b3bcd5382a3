package rainbond

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastRetry retries at once, so that the matrix runs in real time.
var fastRetry = RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxRetryAfter: 2 * time.Second}

// rawServer answers each connection with fn, over plain TCP, for answers
// net/http cannot give: resets after the headers or in the middle of the
// body. It counts the requests it read.
func rawServer(t *testing.T, fn func(c *net.TCPConn)) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var count atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				count.Add(1)
				fn(conn.(*net.TCPConn))
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://" + ln.Addr().String(), &count
}

// reset closes the connection with a TCP RST rather than a FIN.
func reset(c *net.TCPConn) {
	_ = c.SetLinger(0)
	_ = c.Close()
}

func okHeaders(n int) string {
	return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(n) + "\r\n\r\n"
}

// httpServer answers with h and counts requests.
func httpServer(t *testing.T, h http.HandlerFunc) (string, *atomic.Int32) {
	t.Helper()
	var count atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &count
}

// closedPort is an address nothing listens on.
func closedPort(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr, new(atomic.Int32)
}

func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	body := readFixtureRaw("console/install.json")
	for name, tc := range map[string]struct {
		server func(t *testing.T) (string, *atomic.Int32)
		// check asserts the typed error.
		check func(t *testing.T, err error)
		// posts and gets are the requests the server must have received
		// for an install and for a component list.
		posts, gets int32
		opts        []Option
	}{
		"connection refused": {
			server: closedPort,
			check: func(t *testing.T, err error) {
				var te *TransportError
				require.True(t, errors.As(err, &te))
				assert.False(t, te.MaybeSent)
				assert.Equal(t, 3, te.Attempts, "never sent, so retried whatever the method")
				var op *net.OpError
				assert.True(t, errors.As(err, &op))
			},
		},
		"reset after headers": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return rawServer(t, func(c *net.TCPConn) { _, _ = io.WriteString(c, okHeaders(len(body))); reset(c) })
			},
			check: func(t *testing.T, err error) {
				var te *TransportError
				require.True(t, errors.As(err, &te))
				assert.True(t, te.MaybeSent, "the console answered: it had the request")
			},
			posts: 1, gets: 1,
		},
		"reset mid-body": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return rawServer(t, func(c *net.TCPConn) {
					_, _ = io.WriteString(c, okHeaders(len(body))+body[:len(body)/2])
					reset(c)
				})
			},
			check: func(t *testing.T, err error) {
				var te *TransportError
				require.True(t, errors.As(err, &te))
				assert.True(t, te.MaybeSent)
			},
			posts: 1, gets: 1,
		},
		"truncated json": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, `{"enterprise_id": "e", "service_list": [{"service_id": "a"`)
				})
			},
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.True(t, errors.As(err, &de))
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			},
			posts: 1, gets: 1,
		},
		"html 502 from a proxy": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(502)
					_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
				})
			},
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrServer)
				assert.Contains(t, err.Error(), `HTML page "502 Bad Gateway"`)
			},
			posts: 1, gets: 3,
		},
		"empty 200": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
				})
			},
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.True(t, errors.As(err, &de))
				assert.Contains(t, err.Error(), "empty")
			},
			posts: 1, gets: 1,
		},
		"200 with text/html": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					_, _ = io.WriteString(w, "<html><title>Sign in</title></html>")
				})
			},
			check: func(t *testing.T, err error) {
				var de *DecodeError
				require.True(t, errors.As(err, &de))
				assert.Contains(t, string(de.Response.Body), "Sign in")
			},
			posts: 1, gets: 1,
		},
		"slow headers past the timeout": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-r.Context().Done():
					case <-time.After(300 * time.Millisecond):
					}
				})
			},
			opts: []Option{WithTimeout(50 * time.Millisecond)},
			check: func(t *testing.T, err error) {
				var te *TransportError
				require.True(t, errors.As(err, &te))
				assert.True(t, te.Timeout())
				assert.True(t, te.MaybeSent)
			},
			posts: 1, gets: 3,
		},
		"429 with Retry-After": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Retry-After", "0")
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(429)
					_, _ = io.WriteString(w, `{"detail": "Request was throttled.", "code": 429, "msg": "Request was throttled."}`)
				})
			},
			check: func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrRateLimited) },
			posts: 1, gets: 3,
		},
		"3xx loop": {
			server: func(t *testing.T) (string, *atomic.Int32) {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, r.URL.Path, http.StatusTemporaryRedirect)
				})
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrTooManyRedirects) {
					var apiErr *APIError
					require.True(t, errors.As(err, &apiErr), "an install is not redirected: %v", err)
					assert.Equal(t, http.StatusTemporaryRedirect, apiErr.StatusCode)
				}
			},
			posts: 1, gets: 10,
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, method := range []string{"POST", "GET"} {
				base, count := tc.server(t)
				c, err := NewClient(base, append([]Option{WithToken(testToken), WithRetry(fastRetry)}, tc.opts...)...)
				require.NoError(t, err)
				want := tc.posts
				if method == "POST" {
					_, _, err = c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
				} else {
					want = tc.gets
					_, _, err = c.Apps.ListComponents(context.Background(), "team", "region", 1)
				}
				require.Error(t, err, method)
				tc.check(t, err)
				assert.Equal(t, want, count.Load(), "%s: requests the server received", method)
				assert.NotContains(t, err.Error(), testToken)
			}
		})
	}
}

func TestErrorBodiesAreReadUpToOneMiB(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 3<<20)
	base, _ := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, huge)
	})
	c, err := NewClient(base, WithToken(testToken), WithRetry(NoRetry))
	require.NoError(t, err)
	_, _, err = c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Len(t, apiErr.Response.Body, 1<<20)
	assert.Less(t, len(err.Error()), 1000, "the message carries an excerpt, not the body")
}

func TestSuccessBodiesAreCappedWhateverTheyClaim(t *testing.T) {
	t.Parallel()
	// A chunked answer (no Content-Length) that would never end.
	base, _ := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `[{"service_id": "`)
		chunk := strings.Repeat("a", 64<<10)
		for r.Context().Err() == nil {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	})
	c, err := NewClient(base, WithToken(testToken), WithMaxResponseBytes(1<<20))
	require.NoError(t, err)
	_, _, err = c.Apps.ListComponents(context.Background(), "team", "region", 1)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
}

package transport

import (
	"net"
	"net/http"
	"strings"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// MaxIdleConnsPerHost is the idle pool of the default transport. Go's
// default of 2 makes a client shared by many goroutines open and close a
// connection per call; a console is one host, so the pool can be its size.
const MaxIdleConnsPerHost = 100

// DefaultTransport returns a fresh transport with Go's defaults (proxy from
// the environment, dial and TLS timeouts, HTTP/2) and a connection pool sized
// for concurrent use of one console.
func DefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = MaxIdleConnsPerHost
	t.MaxIdleConnsPerHost = MaxIdleConnsPerHost
	return t
}

// CheckRedirect returns a redirect policy that keeps credentials on the
// origin: the Authorization header is dropped when a redirect leaves the
// original scheme and host (Go's own rule keeps it for subdomains, and for an
// https to http downgrade). A request whose method a 301/302/303 would change
// (an install POST turned into a GET) is not followed: the caller gets the
// redirect response itself, which says where the console moved. next, when
// not nil, is the caller's own policy and runs afterwards.
func CheckRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return retry.ErrTooManyRedirects
		}
		first := via[0]
		if req.Method != first.Method {
			return http.ErrUseLastResponse
		}
		if !sameOrigin(first, req) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

func sameOrigin(a, b *http.Request) bool {
	return strings.EqualFold(a.URL.Scheme, b.URL.Scheme) && hostPort(a) == hostPort(b)
}

// hostPort is the URL's host, lower-cased, with the scheme's default port
// made explicit so that "h" and "h:80" compare equal.
func hostPort(r *http.Request) string {
	host, port := strings.ToLower(r.URL.Hostname()), r.URL.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(r.URL.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(host, port)
}

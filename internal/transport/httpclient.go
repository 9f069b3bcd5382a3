package transport

import (
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

// CheckRedirect returns a redirect policy that keeps credentials and
// requests on the console:
//   - only GET and HEAD follow redirects. Any other request (an install, a
//     copy) is sent once, to the address the caller gave: the caller gets
//     the redirect answer, which says where the console moved. Its body (an
//     install's carries the store's access key) never goes elsewhere;
//   - a redirect within the origin (same scheme, host and port, or an
//     upgrade from http to https on the same host name) keeps the
//     Authorization header; one to anywhere else drops it (Go's own rule
//     would keep it for a subdomain).
//
// next, when not nil, is the caller's own policy and runs afterwards.
func CheckRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			return http.ErrUseLastResponse
		}
		if len(via) >= 10 {
			return retry.ErrTooManyRedirects
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

// sameOrigin reports whether to may receive from's credentials.
func sameOrigin(from, to *http.Request) bool {
	if !strings.EqualFold(from.URL.Hostname(), to.URL.Hostname()) {
		return false
	}
	fromScheme, toScheme := strings.ToLower(from.URL.Scheme), strings.ToLower(to.URL.Scheme)
	if fromScheme == "http" && toScheme == "https" {
		return true // an upgrade on the same host
	}
	return fromScheme == toScheme && port(from) == port(to)
}

// port is the URL's port, with the scheme's default made explicit.
func port(r *http.Request) string {
	if p := r.URL.Port(); p != "" {
		return p
	}
	if strings.EqualFold(r.URL.Scheme, "https") {
		return "443"
	}
	return "80"
}

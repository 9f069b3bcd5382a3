package transport

import (
	"net/http"
	"strings"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// MaxConnsPerHost caps the connections of the default transport to the
// console, idle or busy; a request beyond it waits for one to be free. The
// console is one Django deployment: more parallel connections from one
// client only queue there, and the cap keeps a runaway loop from opening
// hundreds. Every one of them stays in the idle pool for reuse (Go's
// default keeps 2, so a client shared by many goroutines would open and
// close a connection per call). The cap also closes a race in Go's
// transport, which otherwise dials an extra connection when a released one
// goes to a request still waiting on its own dial.
const MaxConnsPerHost = 32

// DefaultTransport returns a fresh transport with Go's defaults (proxy from
// the environment, dial and TLS timeouts, HTTP/2) and a connection pool sized
// for concurrent use of one console.
func DefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = MaxConnsPerHost
	t.MaxIdleConnsPerHost = MaxConnsPerHost
	t.MaxIdleConns = 4 * MaxConnsPerHost // a few hosts: redirects, a proxy
	return t
}

// CheckRedirect returns a redirect policy that keeps credentials and
// requests on the console:
//   - only GET and HEAD follow redirects. Any other request (an install, a
//     copy) is sent once, to the address the caller gave: the caller gets
//     the redirect answer, which says where the console moved. Its body (an
//     install's carries the store's access key) never goes elsewhere;
//   - a redirect within the origin (same scheme, host and port, or an
//     upgrade from http to https on the same host, from port 80 to 443 or
//     keeping an explicit port) keeps the Authorization header; one to
//     anywhere else drops it (Go's own rule would keep it for a subdomain,
//     or for another port).
//
// next, when not nil, is the caller's own policy and runs afterwards,
// for every redirect: the SDK's rules can only make it stricter. For a
// request that is not followed, an error from next is returned instead of
// the redirect answer.
func CheckRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			if next != nil {
				if err := next(req, via); err != nil {
					return err
				}
			}
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
		// An upgrade: from the default port to the default port, or on
		// the same explicit port. Any other port may be another service.
		return port(from) == "80" && port(to) == "443" ||
			from.URL.Port() != "" && from.URL.Port() == to.URL.Port()
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

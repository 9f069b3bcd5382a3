package rainbond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// PingResult is what [Client.Ping] learned.
type PingResult struct {
	// User is the token's user.
	User CurrentUser
	// ConsoleVersion is the console's release as its build names it (e.g.
	// "v6.9.8-release"), "" when it could not be learned: no OpenAPI
	// answer carries it, so it is read from the console's public
	// configuration page (/console/config/info), which builds may leave
	// as "public-cloud".
	ConsoleVersion string
}

// Ping checks the address and the token in one or two calls, the first a
// pipeline should make, and tells the ways it can fail apart:
//
//   - the host cannot be reached: a [*TransportError];
//   - the address serves no Rainbond OpenAPI (a wrong base URL, or the
//     console's OpenAPI turned off), or answers a page that is not the
//     console's (a proxy's 404, a web server's HTML): [ErrNoOpenAPI];
//   - the token is refused: [ErrUnauthorized] (a 401);
//   - the token works, but the console is too old (before v5.11.2) or
//     broken (v6.0.0 to v6.3.x) to say whose it is: [ErrUnsupported] or
//     [ErrCurrentUserBroken].
//
// It calls GET /openapi/v1/currentuser ([UsersService.Me]); when that
// route is missing or broken, GET /openapi/v1/teams (one team) to learn
// whether the token works; and, on success, GET /console/config/info
// (without the token) for the version, whose failure is not an error.
func (c *Client) Ping(ctx context.Context, callOpts ...CallOption) (*PingResult, error) {
	me, _, err := c.Users.Me(ctx, callOpts...)
	if err != nil {
		if notConsoles(err) {
			return nil, fmt.Errorf("%w: %w", ErrNoOpenAPI, err)
		}
		if errors.Is(err, ErrNoOpenAPI) || !(errors.Is(err, ErrUnsupported) || errors.Is(err, ErrCurrentUserBroken)) {
			return nil, err
		}
		// An old console: the token may still be wrong, which only a
		// route it has can tell.
		if _, _, teamsErr := c.Teams.List(ctx, &ListOptions{PageSize: 1}, callOpts...); teamsErr != nil {
			return nil, teamsErr
		}
		return nil, err
	}
	return &PingResult{User: *me, ConsoleVersion: c.consoleVersion(ctx)}, nil
}

// notConsoles reports an answer no console route gives: a 404 or a
// success that is not JSON (a proxy's page, a web server's), which a wrong
// base URL gets in front of the console.
func notConsoles(err error) bool {
	var apiErr *APIError
	var decodeErr *DecodeError
	var unsupported *UnsupportedError
	switch {
	case errors.As(err, &unsupported):
		return false // Django's own page: the console is there, or was told apart already
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && apiErr.Response != nil:
		return !isJSON(apiErr.Response.Header.Get("Content-Type"))
	case errors.As(err, &decodeErr) && decodeErr.Response != nil:
		return !isJSON(decodeErr.Response.Header.Get("Content-Type"))
	}
	return false
}

// consoleVersion reads the release from the console's public
// configuration, without the token (the page needs none); "" when it
// cannot.
func (c *Client) consoleVersion(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	header := http.Header{"User-Agent": c.creds().noBody["User-Agent"], "Accept": {"application/json"}}
	hresp, err := c.tr.Do(ctx, http.MethodGet, c.consoleRoot()+"/console/config/info", header, nil)
	if err != nil {
		return ""
	}
	body := readAndClose(hresp.Body, 1<<20)
	if hresp.StatusCode != http.StatusOK {
		return ""
	}
	var page envelope[struct {
		Version struct {
			Value string `json:"value"`
		} `json:"version"`
	}]
	if c.codec.Unmarshal(body, &page) != nil {
		return ""
	}
	return oneLine(page.Data.Bean.Version.Value, 80)
}

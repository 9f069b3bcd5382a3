// Package rainbond is a client for the Rainbond console's OpenAPI
// (/openapi/v1): install an app from an app store into a team's app, copy an
// app's components into another team, region or app, and the calls around
// them (teams, regions, apps, components); then upgrade from the store,
// deploy, start and stop, with calls that check the state before they
// write (Ensure, EnsureInstalled, EnsureRegion) so that a script can run
// again. [Client.Do] reaches any other endpoint with the same guarantees.
//
// Every call takes a context first, checks its input before anything is
// sent (a [*ValidationError] lists every problem), and returns the decoded
// answer together with the [*Response] it came in. Failures are typed:
// [*APIError] for an answer with an error status (errors.Is works with
// [ErrNotFound], [ErrUnauthorized] and the rest), [*DecodeError] for a
// success whose body cannot be read, [*TransportError] when no answer came.
//
// Install and copy create resources and are not idempotent: the client
// never sends them twice on its own (see [RetryPolicy]). An endpoint the
// console does not have (an older release) is an [*UnsupportedError].
//
// The package rainbondtest provides an in-process fake console for tests and
// demos.
package rainbond

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rbdkit/rainbond-go/internal/retry"
	"github.com/rbdkit/rainbond-go/internal/transport"
)

// Version is this SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// apiPrefix starts every path of the console's OpenAPI.
const apiPrefix = "/openapi/v1"

// Client talks to one Rainbond console. It is safe for concurrent use; make
// one and share it, so that connections are reused.
type Client struct {
	// Apps installs, copies, upgrades and operates apps and their
	// components.
	Apps *AppsService
	// Teams creates, lists and changes teams, opens regions for them and
	// reports their use of resources.
	Teams *TeamsService
	// Regions lists, reads and adds the enterprise's regions (clusters).
	Regions *RegionsService
	// Components reads, builds, configures and scales components, and
	// follows their events.
	Components *ComponentsService
	// Gateway publishes components with HTTP domain and TCP rules.
	Gateway *GatewayService
	// Certificates manages the teams' TLS certificates, for HTTPS rules.
	Certificates *CertificatesService
	// Users creates, changes and deletes users, and tells who the token's
	// user is.
	Users *UsersService
	// Admins lists, adds and removes enterprise administrators.
	Admins *AdminsService
	// Monitor runs PromQL against a region's monitoring and reads the
	// enterprise's overviews.
	Monitor *MonitorService

	base     string // scheme://host[/prefix]/openapi/v1
	basePath string // [/prefix]/openapi/v1, for messages
	// creds holds the token and the headers that carry it, out of reach
	// of fmt and slog (see secret).
	creds   secret
	logger  *slog.Logger
	retry   RetryPolicy
	maxBody int64
	codec   JSONCodec
	tr      *transport.Transport
	// apiSeen is set once a route every console has answered as the
	// console does: the base URL is right (see noOpenAPI).
	apiSeen *atomic.Bool
}

// Response is the HTTP answer a call received. Calls return it with their
// error too whenever an answer arrived.
type Response struct {
	// StatusCode is the HTTP status, e.g. 200.
	StatusCode int
	// Header holds the answer's headers, with the token and the request's
	// secrets redacted should the server echo them.
	Header http.Header
	// Body is the raw body: always for an error answer (up to 1 MiB, with
	// the token and the request's secrets redacted), and for a successful
	// one, as received, when the call was made with [KeepRawBody].
	Body []byte
	// Attempts is how many times the request was sent; more than 1 when the
	// retry policy retried it.
	Attempts int
}

// NewClient returns a client for the console at baseURL, which is the
// console's address with or without the API prefix: "http://host:7070",
// "http://host:7070/" and "http://host:7070/openapi/v1" are the same. A
// path prefix in front of the console (a reverse proxy's) is kept.
//
// It fails on a malformed URL, a scheme other than http or https, a URL
// carrying credentials, a query or a fragment, and on an option given a bad
// value.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	base, basePath, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, configError("Option", "nil")
		}
		if err := opt(&cfg); err != nil {
			return nil, err // a *ConfigError
		}
	}
	userAgent := "rainbond-go/" + Version
	if cfg.userAgent != "" {
		userAgent = cfg.userAgent + " " + userAgent
	}
	noBody, body := headers(userAgent, cfg.token)
	c := &Client{
		base:     base,
		basePath: basePath,
		creds:    newSecret(&credentials{token: cfg.token, forms: newRedactor(cfg.token), noBody: noBody, body: body}),
		logger:   cfg.logger,
		retry:    cfg.retry,
		maxBody:  cfg.maxBodyBytes,
		codec:    cfg.codec,
		tr:       transport.New(httpClient(cfg)),
		apiSeen:  new(atomic.Bool),
	}
	c.Apps = &AppsService{client: c}
	c.Teams = &TeamsService{client: c}
	c.Regions = &RegionsService{client: c}
	c.Components = &ComponentsService{client: c}
	c.Gateway = &GatewayService{client: c}
	c.Certificates = &CertificatesService{client: c}
	c.Users = &UsersService{client: c}
	c.Admins = &AdminsService{client: c}
	c.Monitor = &MonitorService{client: c}
	return c, nil
}

// BaseURL is the API's root the client sends to, ending in /openapi/v1.
func (c *Client) BaseURL() string { return c.base }

// CloseIdleConnections closes the connections the client keeps open for
// reuse. Call it when a client is no longer needed in a long-running
// program; the client stays usable and opens new connections on demand.
func (c *Client) CloseIdleConnections() { c.tr.CloseIdleConnections() }

// String names the client by its console; it never prints the token (fmt's
// %+v would print every field, the token's included).
func (c *Client) String() string { return "rainbond.Client(" + c.base + ")" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// LogValue logs the client by its console, without the token.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

func parseBaseURL(raw string) (base, basePath string, err error) {
	fail := func(why string) (string, string, error) {
		return "", "", &ConfigError{Setting: "base URL", Reason: fmt.Sprintf("%q: %s", redactURL(raw), why)}
	}
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") && raw != "" {
		// "192.168.2.225:7070" fails to parse, and "localhost:7070"
		// parses with "localhost" as its scheme: neither says why.
		typed := strings.TrimPrefix(redactURL("http://"+raw), "http://")
		return "", "", &ConfigError{Setting: "base URL", Reason: fmt.Sprintf("%q: no scheme; did you mean %q?", typed, "http://"+typed)}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fail("not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fail("the scheme must be http or https")
	case u.Host == "" || u.Opaque != "":
		return fail("no host")
	case u.User != nil:
		return fail("credentials do not belong in the URL; use WithToken")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fail("a query or fragment does not belong in the base URL")
	}
	if _, err := url.ParseRequestURI(u.Scheme + "://" + u.Host); err != nil {
		return fail("bad host")
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	p = strings.TrimSuffix(p, apiPrefix)
	p = strings.TrimRight(p, "/") + apiPrefix
	return u.Scheme + "://" + u.Host + p, p, nil
}

// redactURL hides a password in a URL that is about to be printed.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}

// httpClient builds the *http.Client the client sends through, never
// changing one the caller passed: the caller's Timeout stands unless
// WithTimeout was given, and the caller's CheckRedirect runs after the
// SDK's own redirect rules.
func httpClient(cfg config) *http.Client {
	hc := &http.Client{Timeout: DefaultTimeout}
	if cfg.httpClient != nil {
		copied := *cfg.httpClient
		hc = &copied
	}
	if cfg.transport != nil {
		hc.Transport = cfg.transport
	}
	if hc.Transport == nil {
		hc.Transport = transport.DefaultTransport()
	}
	if cfg.timeoutSet {
		hc.Timeout = cfg.timeout
	}
	hc.CheckRedirect = transport.CheckRedirect(hc.CheckRedirect)
	return hc
}

// request is one API call, before it is sent.
type request struct {
	method string
	path   string // escaped, relative to the base, starting with "/"
	query  string // encoded, without "?"; "" for none
	body   any    // encoded with the codec; nil for none
	secret string // a value of the request never to print, e.g. an access key
	opts   []CallOption
	// since is the console release that added the endpoint, for
	// UnsupportedError; "" when every console with the OpenAPI has it.
	since string
	// raw marks a Client.Do request: its method may be wrong, so a 405 is
	// the console's answer rather than a sign of an older console, and an
	// empty success body is not an error.
	raw bool
	// more holds further secrets of a Client.Do request.
	more []string
	// once marks a GET that changes things (the console has a few): it
	// is sent once, like a POST, never retried, over a new connection
	// (net/http itself resends a GET after a reused connection failed).
	once bool
	// redact is set by do: it finds the token and the secret, using
	// texts and secretText for its storage, which saves allocations on
	// every call.
	redact     redactor
	texts      [2]*secretText
	secretText secretText
}

// idempotent reports a request that may be sent twice with the effect of
// once.
func (r *request) idempotent() bool { return retry.Idempotent(r.method) && !r.once }

// setRedactor makes r.redact find the client's token and r.secret.
func (r *request) setRedactor(token redactor) {
	n := copy(r.texts[:], token)
	if r.secret != "" && n < len(r.texts) {
		r.secretText.set(r.secret)
		r.texts[n] = &r.secretText
		n++
	}
	r.redact = r.texts[:n]
	if len(r.more) > 0 {
		r.redact = r.redact.with(r.more...)
	}
}

// do sends r, retrying as the policy allows, and decodes a successful answer
// into out (nil to discard it).
func (c *Client) do(ctx context.Context, r *request, out any) (*Response, error) {
	var cc callConfig
	for _, opt := range r.opts {
		if opt != nil {
			opt(&cc)
		}
	}
	r.setRedactor(c.creds().forms)
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = c.codec.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("rainbond: %s %s: encoding the request body: %w", r.method, c.pathOf(r), r.redact.error(err))
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, &TransportError{Method: r.method, Path: c.pathOf(r), Err: err}
	}
	target := c.base + r.path
	if r.query != "" {
		target = c.base + r.path + "?" + r.query
	}
	maybeDone := false // an earlier attempt may have taken effect
	for attempt := 1; ; attempt++ {
		resp, next, err := c.attempt(ctx, r, cc, target, payload, out, attempt)
		if err == nil {
			return resp, nil
		}
		if ue, ok := err.(*UnsupportedError); ok && resp.StatusCode == http.StatusNotFound {
			ue.NoOpenAPI = c.noOpenAPI(ctx, r)
			return resp, ue
		}
		if maybeDone && r.method == http.MethodDelete && resp != nil && resp.StatusCode == http.StatusNotFound {
			// The first DELETE's answer was lost: the thing it deleted is
			// gone, which is what the caller asked for.
			return resp, nil
		}
		maybeDone = maybeDone || next.maybeDone
		if !next.retry || attempt >= c.retry.MaxAttempts {
			return resp, err
		}
		wait := retry.Backoff(attempt, c.retry.InitialBackoff, c.retry.MaxBackoff)
		if next.hasRetryAfter {
			if next.retryAfter > c.retry.MaxRetryAfter {
				return resp, err
			}
			wait = next.retryAfter
		}
		if c.logger.Enabled(ctx, slog.LevelInfo) {
			c.logger.LogAttrs(ctx, slog.LevelInfo, "rainbond retry",
				slog.String("method", r.method), slog.String("path", c.pathOf(r)),
				slog.Int("attempt", attempt), slog.Duration("wait", wait),
				slog.String("error", err.Error()))
		}
		if ctxErr := retry.Sleep(ctx, wait); ctxErr != nil {
			return resp, &retryAbortedError{ctxErr: ctxErr, last: err}
		}
	}
}

// nextStep says whether a failed attempt may be tried again.
type nextStep struct {
	retry         bool
	retryAfter    time.Duration
	hasRetryAfter bool
	// maybeDone: the attempt may have taken effect although it failed (a
	// connection broken after sending, a gateway's 502/503/504).
	maybeDone bool
}

// attempt sends the request once. Everything the answer carries is
// redacted before it goes into a Response or an error.
func (c *Client) attempt(ctx context.Context, r *request, cc callConfig, target string, payload []byte, out any, n int) (*Response, nextStep, error) {
	// Only a request that must not be resent needs proof that it never
	// left; the hooks cost allocations on every attempt.
	var progress *retry.Progress
	sendCtx := ctx
	if !r.idempotent() {
		progress = new(retry.Progress)
		sendCtx = httptrace.WithClientTrace(ctx, progress.Trace())
	}
	start := time.Now()
	creds := c.creds()
	header := creds.noBody
	if payload != nil {
		header = creds.body
	}
	send := c.tr.Do
	if r.once {
		send = c.tr.DoFresh
	}
	hresp, err := send(sendCtx, r.method, target, header, payload)
	if err != nil {
		next, err := c.transportError(ctx, r, n, err, progress, cc)
		c.logAttempt(ctx, r, 0, time.Since(start), n, err)
		return nil, next, err
	}
	resp := &Response{StatusCode: hresp.StatusCode, Header: r.redact.header(hresp.Header), Attempts: n}
	c.logAttempt(ctx, r, hresp.StatusCode, time.Since(start), n, nil)
	if hresp.StatusCode >= 200 && hresp.StatusCode <= 299 {
		return resp, nextStep{}, c.decode(ctx, hresp, resp, out, cc.keepBody, r, n)
	}
	resp.Body = r.redact.bytes(readAndClose(hresp.Body, maxErrorBody))
	var next nextStep
	if retry.RetryableStatus(resp.StatusCode) && (r.idempotent() || cc.allowResend) {
		next.retry = true
		next.retryAfter, next.hasRetryAfter = retry.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	next.maybeDone = resp.StatusCode >= 502 && resp.StatusCode <= 504
	answer := newAPIError(r.method, c.pathOf(r), resp, c.codec, r.redact)
	if isDjangoNotFound(resp) || (resp.StatusCode == http.StatusMethodNotAllowed && !r.raw) {
		return resp, next, &UnsupportedError{Method: r.method, Path: c.pathOf(r), Since: r.since, Response: resp, answer: answer}
	}
	return resp, next, answer
}

// probePath is a route every console with the OpenAPI has (since v5.1.6,
// the first release with the /openapi/v1 API this package speaks).
const probePath = "/regions"

// noOpenAPI tells, after a call answered Django's "Not Found" page, an
// address that serves no OpenAPI at all from a console that lacks the one
// endpoint: it asks once for probePath, and reports true only when that
// answers Django's page too. A probe that fails otherwise proves nothing
// (false); once the console has answered it, later calls do not ask.
func (c *Client) noOpenAPI(ctx context.Context, r *request) bool {
	switch {
	case c.apiSeen.Load():
		return false
	case r.path == probePath:
		return true // the call was the probe
	}
	hresp, err := c.tr.Do(ctx, http.MethodGet, c.base+probePath, c.creds().noBody, nil)
	if err != nil {
		return false
	}
	resp := &Response{StatusCode: hresp.StatusCode, Header: hresp.Header, Body: readAndClose(hresp.Body, maxErrorBody)}
	if isDjangoNotFound(resp) {
		return true
	}
	if isJSON(resp.Header.Get("Content-Type")) {
		c.apiSeen.Store(true)
	}
	return false
}

// uploadTarget resolves an upload address an answer gave: a path of the
// console (joined with the console's root, the base URL without
// /openapi/v1), or an http(s) URL of its own.
func (c *Client) uploadTarget(raw string) (string, error) {
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		return c.consoleRoot() + raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", &ValidationError{Problems: []Problem{{Field: "upload_url", Reason: fmt.Sprintf("%q: not an http(s) address", redactURL(raw))}}}
	}
	return u.String(), nil
}

// consoleRoot is the console's address: the base URL without /openapi/v1.
func (c *Client) consoleRoot() string { return strings.TrimSuffix(c.base, apiPrefix) }

// upload posts a body to an address outside the API, without the token
// (the address takes none), once: an upload is not idempotent. The
// client's per-attempt timeout would cut a large upload short: ctx bounds
// it, DefaultWaitTimeout when it has no deadline.
func (c *Client) upload(ctx context.Context, target, contentType string, body []byte) (*Response, error) {
	r := &request{method: http.MethodPost, path: target}
	r.setRedactor(c.creds().forms)
	header := http.Header{"User-Agent": c.creds().noBody["User-Agent"], "Content-Type": {contentType}, "Accept": {"application/json"}}
	ctx, cancel := boundWait(ctx, 0, DefaultWaitTimeout)
	defer cancel()
	hresp, err := c.tr.DoLong(ctx, http.MethodPost, target, header, body)
	if err != nil {
		return nil, &TransportError{Method: http.MethodPost, Path: redactURL(target), Attempts: 1, MaybeSent: true, Err: r.redact.error(err)}
	}
	resp := &Response{StatusCode: hresp.StatusCode, Header: r.redact.header(hresp.Header), Attempts: 1}
	if hresp.StatusCode >= 200 && hresp.StatusCode <= 299 {
		drainAndClose(hresp.Body)
		return resp, nil
	}
	resp.Body = r.redact.bytes(readAndClose(hresp.Body, maxErrorBody))
	return resp, newAPIError(http.MethodPost, redactURL(target), resp, c.codec, r.redact)
}

// pathOf is the request's path without the host, for messages. It is built
// only when one is needed, off the path of a successful call.
func (c *Client) pathOf(r *request) string { return c.basePath + r.path }

func (c *Client) transportError(ctx context.Context, r *request, n int, err error, p *retry.Progress, cc callConfig) (nextStep, error) {
	kind := retry.Classify(err, p)
	maybeSent := !retry.NeverSent(err, p)
	cause := err
	if ue, ok := err.(*url.Error); ok {
		cause = ue.Err // it repeats the method and the URL
	}
	te := &TransportError{Method: r.method, Path: c.pathOf(r), Attempts: n, MaybeSent: maybeSent, Err: r.redact.error(cause), once: r.once}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !errors.Is(err, ctxErr) {
			te.Err = fmt.Errorf("%w: %w", ctxErr, te.Err)
		}
		return nextStep{}, te
	}
	safe := kind == retry.NotSent || r.idempotent() || cc.allowResend
	return nextStep{retry: safe && retry.Retryable(kind, err), maybeDone: maybeSent}, te
}

// headers builds the two header sets every request uses, once: with and
// without a JSON body. They are shared by all requests and never changed;
// each value slice is full (len == cap), so an append copies it.
func headers(userAgent, token string) (noBody, withBody http.Header) {
	noBody = http.Header{
		"User-Agent": {userAgent},
		"Accept":     {"application/json"},
	}
	if token != "" {
		// The raw token: the console reads the whole value as the token.
		noBody["Authorization"] = []string{token}
	}
	withBody = noBody.Clone()
	withBody["Content-Type"] = []string{"application/json"}
	for _, h := range []http.Header{noBody, withBody} {
		for k, v := range h {
			h[k] = v[:len(v):len(v)]
		}
	}
	return noBody, withBody
}

// decode reads a successful answer and decodes it into out.
func (c *Client) decode(ctx context.Context, hresp *http.Response, resp *Response, out any, keep bool, r *request, n int) error {
	if out == nil {
		drainAndClose(hresp.Body)
		return nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && !isJSON(ct) {
		resp.Body = r.redact.bytes(readAndClose(hresp.Body, maxErrorBody))
		return &DecodeError{Method: r.method, Path: c.pathOf(r), Response: resp, Err: fmt.Errorf("the Content-Type is %q, not JSON", oneLine(ct, 100))}
	}
	_, pooled := c.codec.(defaultCodec)
	pooled = pooled && !keep
	buf, err := c.readBody(ctx, hresp, resp, r, n, pooled)
	if err != nil {
		return err
	}
	if keep {
		resp.Body = buf.b
	}
	defer buf.release()
	body := bytes.TrimSpace(buf.b)
	switch {
	case len(body) == 0 && r.raw:
		return nil // Client.Do: the console answers some calls with nothing
	case len(body) == 0:
		return &DecodeError{Method: r.method, Path: c.pathOf(r), Response: resp, Err: errors.New("the body is empty")}
	case string(body) == "null":
		return &DecodeError{Method: r.method, Path: c.pathOf(r), Response: resp, Err: errors.New("the body is null")}
	}
	if err := c.codec.Unmarshal(buf.b, out); err != nil {
		return &DecodeError{Method: r.method, Path: c.pathOf(r), Response: resp, Err: r.redact.error(err)}
	}
	if m, ok := out.(normalizer); ok {
		m.normalize()
	}
	return nil
}

// readBody reads a successful answer's body whole, within the size limit,
// and closes it. A pooled buffer is used when the decoded value will not
// refer to it; release returns it.
func (c *Client) readBody(ctx context.Context, hresp *http.Response, resp *Response, r *request, n int, pooled bool) (buf bodyBuffer, err error) {
	body := limitedBody{r: hresp.Body, limit: c.maxBody}
	defer body.discardAndClose(hresp.Body)
	need := sizeHint(hresp.ContentLength, c.maxBody)
	if pooled {
		buf.pool = bodyPool.Get().(*[]byte)
		buf.b = (*buf.pool)[:0]
	}
	if cap(buf.b) < need {
		buf.b = make([]byte, 0, need)
	}
	for {
		if len(buf.b) == cap(buf.b) {
			buf.b = append(buf.b, 0)[:len(buf.b)]
		}
		k, err := body.Read(buf.b[len(buf.b):cap(buf.b)])
		buf.b = buf.b[:len(buf.b)+k]
		if err == io.EOF {
			return buf, nil
		}
		if err == nil {
			continue
		}
		buf.release()
		if body.tooLarge {
			return buf, &DecodeError{Method: r.method, Path: c.pathOf(r), Response: resp,
				Err: fmt.Errorf("%w: more than %d bytes (see WithMaxResponseBytes)", ErrResponseTooLarge, c.maxBody)}
		}
		// The console answered, so it processed the request; the answer
		// was cut off on the way.
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		return buf, &TransportError{Method: r.method, Path: c.pathOf(r), Attempts: n, MaybeSent: true,
			Err: fmt.Errorf("reading the %d answer: %w", resp.StatusCode, r.redact.error(err))}
	}
}

// bodyBuffer is a body read whole, possibly in a pooled buffer.
type bodyBuffer struct {
	b    []byte
	pool *[]byte // where b goes back to, when it came from the pool
}

// maxPooledBody is the largest buffer kept for reuse; a rare larger answer
// is left to the garbage collector rather than held on to.
const maxPooledBody = 4 << 20

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

func (b *bodyBuffer) release() {
	if b.pool == nil {
		return
	}
	if cap(b.b) <= maxPooledBody {
		*b.pool = b.b[:0]
		bodyPool.Put(b.pool)
	}
	b.pool, b.b = nil, nil
}

// isJSON reports a JSON media type (application/json, or any +json),
// ignoring parameters and case, without allocating.
func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	const plain, suffix = "application/json", "+json"
	return strings.EqualFold(mt, plain) ||
		len(mt) > len(suffix) && strings.EqualFold(mt[len(mt)-len(suffix):], suffix) && strings.Contains(mt, "/")
}

// sizeHint is the first buffer size for a body that claims contentLength
// bytes: the whole body, so that it is read into one allocation, up to a
// point. A server could claim a gigabyte and send two bytes, so the claim
// is trusted up to 4 MiB (a 1000-component answer is 1.3 MiB); beyond,
// the buffer grows as bytes actually arrive.
func sizeHint(contentLength, limit int64) int {
	const fallback, trusted = 4 << 10, 4 << 20
	if contentLength <= 0 {
		return fallback
	}
	return int(min(contentLength+1, limit+1, trusted))
}

// limitedBody reads at most limit bytes and fails, rather than cutting the
// body short, when there are more. It remembers read errors so that a
// broken connection is not mistaken for bad JSON.
type limitedBody struct {
	r        io.Reader
	limit, n int64
	tooLarge bool
	readErr  error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.tooLarge {
		return 0, ErrResponseTooLarge
	}
	if room := b.limit + 1 - b.n; int64(len(p)) > room {
		p = p[:room]
	}
	k, err := b.r.Read(p)
	b.n += int64(k)
	if b.n > b.limit {
		b.tooLarge = true
		return k - int(b.n-b.limit), ErrResponseTooLarge
	}
	if err != nil && err != io.EOF {
		b.readErr = err
	}
	return k, err
}

// readAndClose reads up to max bytes of an answer that is kept whole, such
// as an error body, then closes it. A read error keeps what was read.
func readAndClose(body io.ReadCloser, max int64) []byte {
	defer drainAndClose(body)
	b, _ := io.ReadAll(io.LimitReader(body, max))
	return b
}

// drainLimit is how much of a body's rest is read before closing it, so
// that the connection goes back to the pool rather than being closed.
const drainLimit = 4 << 10

// drainAndClose reads what little may be left of a body, then closes it.
func drainAndClose(body io.ReadCloser) {
	(&limitedBody{r: body}).discardAndClose(body)
}

// discardAndClose reads at most drainLimit more bytes through b, then
// closes body.
func (b *limitedBody) discardAndClose(body io.Closer) {
	if !b.tooLarge && b.readErr == nil {
		b.limit = b.n + drainLimit
		var sink [512]byte
		for {
			if _, err := b.Read(sink[:]); err != nil {
				break
			}
		}
	}
	_ = body.Close()
}

func (c *Client) logAttempt(ctx context.Context, r *request, status int, d time.Duration, attempt int, err error) {
	if !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.method),
		slog.String("path", c.pathOf(r)),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.Int("attempt", attempt),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "rainbond request", attrs...)
}

// Redact replaces, in s, the given secrets in every form a server could
// echo them in (raw, JSON-escaped, URL-encoded), and the password of any
// URL (user:password@), with [REDACTED]: [Client.Redact] without a
// client's token, for a program that prints text before it has a client.
func Redact(s string, secrets ...string) string {
	return newRedactor(secrets...).string(s)
}

// Redact replaces, in s, the client's token and the given secrets (say a
// market access key) in every form a server could echo them in (raw,
// JSON-escaped, URL-encoded), and the password of any URL
// (user:password@), with [REDACTED]. The SDK does this to every
// string it produces; Redact is for what a program prints of the console's
// answers, such as a command writing a decoded answer to a CI log.
func (c *Client) Redact(s string, secrets ...string) string {
	return c.creds().forms.with(secrets...).string(s)
}

// Package transport sends a single HTTP request and hands back the response
// with its body unread. Retries, size limits, decoding and error mapping live
// in the rainbond package; resty stays behind this file so that it can be
// replaced without touching the public API.
package transport

import (
	"bytes"
	"context"
	"net/http"
	"sync"

	"github.com/go-resty/resty/v2"
)

// Transport performs one attempt of a request. It is safe for concurrent use.
type Transport struct {
	rc *resty.Client
	// fresh sends over new connections only: net/http resends a GET on
	// its own when a reused connection fails before the answer, which a
	// GET that changes things must not be. Made on first use.
	fresh func() *resty.Client
	// long is rc without hc's Timeout, for an upload that ctx bounds.
	long func() *resty.Client
}

// New wraps hc. hc is used as given: its Transport, Timeout and CheckRedirect
// decide how the request travels. When hc's Transport is an *http.Transport
// (or nil, the default), DoFresh sends over a clone of it that keeps no
// connection alive.
func New(hc *http.Client) *Transport {
	t := &Transport{rc: newResty(hc)}
	t.fresh = sync.OnceValue(func() *resty.Client {
		rt := hc.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		ht, ok := rt.(*http.Transport)
		if !ok {
			return t.rc
		}
		noReuse := ht.Clone()
		noReuse.DisableKeepAlives = true
		c := *hc
		c.Transport = noReuse
		return newResty(&c)
	})
	t.long = sync.OnceValue(func() *resty.Client {
		c := *hc
		c.Timeout = 0
		return newResty(&c)
	})
	return t
}

func newResty(hc *http.Client) *resty.Client {
	rc := resty.NewWithClient(hc)
	// resty v2 resends every method, POST included, on any transport error
	// once a retry count is set; the caller owns the retry decision.
	rc.SetRetryCount(0)
	// resty's debug log prints the Authorization header; its logger would
	// print request errors on its own. Neither may ever run.
	rc.SetDebug(false)
	rc.SetLogger(silentLogger{})
	// Hand the body back unread, so it can be decoded from the stream and
	// capped by the caller instead of buffered whole by resty.
	rc.SetDoNotParseResponse(true)
	return rc
}

// Do sends method to rawURL with header and body (nil for none). header is
// only read: its value slices are shared with the request, not copied, so
// they must never be changed. On success the caller must close the returned
// response's Body.
func (t *Transport) Do(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*http.Response, error) {
	return do(t.rc, ctx, method, rawURL, header, body)
}

// DoFresh is Do over a new connection, which net/http never resends a
// request on (it resends a GET only after a reused connection failed).
// With a custom RoundTripper (not an *http.Transport) it is Do.
func (t *Transport) DoFresh(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*http.Response, error) {
	return do(t.fresh(), ctx, method, rawURL, header, body)
}

// DoLong is Do without the http.Client's Timeout, which bounds an attempt
// (30 s by default) and would cut a large upload short: ctx alone bounds it.
func (t *Transport) DoLong(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*http.Response, error) {
	return do(t.long(), ctx, method, rawURL, header, body)
}

func do(rc *resty.Client, ctx context.Context, method, rawURL string, header http.Header, body []byte) (*http.Response, error) {
	r := rc.R().SetContext(ctx)
	// resty only reads a request's header map (it copies it into the
	// http.Request): the shared map is handed over, not copied entry by
	// entry.
	r.Header = header
	if body != nil {
		// A reader is handed to net/http as is; a []byte would first be
		// copied into one of resty's buffers.
		r.SetBody(bytes.NewReader(body))
	}
	resp, err := r.Execute(method, rawURL)
	if err != nil {
		if resp != nil && resp.RawResponse != nil && resp.RawResponse.Body != nil {
			resp.RawResponse.Body.Close()
		}
		return nil, err
	}
	return resp.RawResponse, nil
}

// CloseIdleConnections closes the connections kept for reuse.
func (t *Transport) CloseIdleConnections() { t.rc.GetClient().CloseIdleConnections() }

// silentLogger drops resty's own log lines: the rainbond package logs each
// attempt itself, through slog, with secrets redacted.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}

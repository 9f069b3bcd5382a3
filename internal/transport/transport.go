// Package transport sends a single HTTP request and hands back the response
// with its body unread. Retries, size limits, decoding and error mapping live
// in the rainbond package; resty stays behind this file so that it can be
// replaced without touching the public API.
package transport

import (
	"context"
	"net/http"

	"github.com/go-resty/resty/v2"
)

// Transport performs one attempt of a request. It is safe for concurrent use.
type Transport struct {
	rc *resty.Client
}

// New wraps hc. hc is used as given: its Transport, Timeout and CheckRedirect
// decide how the request travels.
func New(hc *http.Client) *Transport {
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
	return &Transport{rc: rc}
}

// Do sends method to rawURL with header and body (nil for none). header is
// consumed: the caller must not reuse it. On success the caller must close
// the returned response's Body.
func (t *Transport) Do(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*http.Response, error) {
	r := t.rc.R().SetContext(ctx)
	r.Header = header
	if body != nil {
		r.SetBody(body)
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

// silentLogger drops resty's own log lines: the rainbond package logs each
// attempt itself, through slog, with secrets redacted.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}

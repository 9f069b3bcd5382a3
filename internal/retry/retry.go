// Package retry holds the pieces of the retry decision that do not depend on
// the public API: how far an attempt got, what kind of failure it met, how
// long to wait, and a context-aware sleep.
package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Failure says what a transport error proves about the request.
type Failure int

const (
	// Ambiguous: the request may have reached the server. Only an idempotent
	// request may be sent again.
	Ambiguous Failure = iota
	// NotSent: the connection was never established, so the server cannot
	// have seen the request. Any method may be sent again.
	NotSent
	// Permanent: sending again would fail the same way (a certificate the
	// client rejects, a redirect loop). Never retried.
	Permanent
)

// Progress records, from httptrace callbacks, how far an attempt got. The
// callbacks may run on the transport's dial goroutines, hence the atomics.
type Progress struct {
	asked  atomic.Bool
	handed atomic.Bool
	trace  httptrace.ClientTrace
}

// Trace returns the hooks that fill p, made once and kept in p, so that
// one attempt's tracing costs as few allocations as it can.
func (p *Progress) Trace() *httptrace.ClientTrace {
	if p.trace.GetConn == nil {
		p.trace.GetConn = p.getConn
		p.trace.GotConn = p.gotConn
	}
	return &p.trace
}

func (p *Progress) getConn(string)                { p.asked.Store(true) }
func (p *Progress) gotConn(httptrace.GotConnInfo) { p.handed.Store(true) }

// Classify says what err, returned by one attempt described by p, proves.
// p may be nil.
func Classify(err error, p *Progress) Failure {
	if isPermanent(err) {
		return Permanent
	}
	if NeverSent(err, p) {
		return NotSent
	}
	return Ambiguous
}

// NeverSent reports positive evidence that not a byte of the request was
// written: a dial error (DNS, refused, unreachable), or a request that asked
// for a connection (DNS, TCP, TLS handshake) and was never handed one. A
// RoundTripper that does not honour httptrace gives evidence only through
// dial errors.
func NeverSent(err error, p *Progress) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return p != nil && p.asked.Load() && !p.handed.Load()
}

// isPermanent reports failures that repeat identically on every attempt.
func isPermanent(err error) bool {
	var (
		certErr    *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		recordErr  tls.RecordHeaderError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidErr) || errors.As(err, &recordErr) {
		return true
	}
	return errors.Is(err, ErrTooManyRedirects)
}

// isNetworkError reports errors from the network rather than from policy
// (redirect checks, request construction).
func isNetworkError(err error) bool {
	// url.Error itself looks like a net.Error; look inside every layer.
	for {
		var ue *url.Error
		if !errors.As(err, &ue) {
			break
		}
		err = ue.Err
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE)
}

// Retryable reports whether a failure of the given kind may be retried at
// all; whether it is safe for the method is the caller's decision.
func Retryable(f Failure, err error) bool {
	switch f {
	case NotSent:
		return true
	case Ambiguous:
		return isNetworkError(err)
	default:
		return false
	}
}

// ErrTooManyRedirects stops a redirect chain. It is permanent.
var ErrTooManyRedirects = errors.New("stopped after 10 redirects")

// RetryableStatus reports the statuses worth another try: throttled, and the
// gateway errors a proxy in front of the console answers while it restarts.
func RetryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Idempotent reports methods that may be sent twice with the effect of once.
func Idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// Backoff is the wait before retry number n (1 for the first retry):
// exponential from base, capped at max, with "equal jitter" (half fixed, half
// random) so that many clients spread out but never retry at once.
func Backoff(n int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max || d <= 0 {
		d = max
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// RetryAfter parses a Retry-After header value, in seconds or as an
// HTTP-date, relative to now. ok is false when the header is absent or not
// understood; a date in the past is a zero wait.
func RetryAfter(value string, now time.Time) (wait time.Duration, ok bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	if d := at.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// Sleep waits for d or until ctx ends, whichever comes first, and returns
// ctx's error in the latter case.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

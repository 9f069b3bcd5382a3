package retry

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"

	"net/http/httptrace"
	"net/url"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoffGrowsIsCappedAndJittered(t *testing.T) {
	t.Parallel()
	base, max := 500*time.Millisecond, 4*time.Second
	for n, want := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 3: 2 * time.Second, 4: 4 * time.Second, 10: 4 * time.Second, 1000: 4 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 200 {
			d := Backoff(n, base, max)
			assert.GreaterOrEqual(t, d, want/2, "retry %d", n)
			assert.LessOrEqual(t, d, want, "retry %d", n)
			seen[d] = true
		}
		assert.Greater(t, len(seen), 1, "retry %d is jittered", n)
	}
}

func TestRetryAfterReadsSecondsAndDates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for value, want := range map[string]time.Duration{
		"0":                             0,
		"7":                             7 * time.Second,
		" 120 ":                         2 * time.Minute,
		"Sun, 22 Nov 2026 10:00:30 GMT": 30 * time.Second,
		"Sun, 22 Nov 2026 09:59:00 GMT": 0,
		"999999999999":                  24 * time.Hour,
	} {
		got, ok := RetryAfter(value, now)
		assert.True(t, ok, value)
		assert.Equal(t, want, got, value)
	}
	for _, value := range []string{"", "soon", "-5", "1.5"} {
		_, ok := RetryAfter(value, now)
		assert.False(t, ok, value)
	}
}

func TestClassifyNeedsEvidenceToCallARequestUnsent(t *testing.T) {
	t.Parallel()
	dialErr := &url.Error{Op: "Post", URL: "http://h", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	readErr := &url.Error{Op: "Post", URL: "http://h", Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	assert.Equal(t, NotSent, Classify(dialErr, nil))
	assert.Equal(t, Ambiguous, Classify(readErr, nil))
	assert.Equal(t, Ambiguous, Classify(io.ErrUnexpectedEOF, nil))

	var asked Progress
	asked.Trace().GetConn("h:80")
	assert.Equal(t, NotSent, Classify(errors.New("tls: handshake failure"), &asked), "asked for a connection, never got one")

	var got Progress
	got.Trace().GetConn("h:80")
	got.Trace().GotConn(httptrace.GotConnInfo{})
	assert.Equal(t, Ambiguous, Classify(readErr, &got))

	assert.Equal(t, Permanent, Classify(&tls.CertificateVerificationError{Err: errors.New("x509")}, &asked))
	assert.Equal(t, Permanent, Classify(&url.Error{Op: "Get", URL: "u", Err: ErrTooManyRedirects}, &got))
	assert.False(t, Retryable(Permanent, ErrTooManyRedirects))
	assert.False(t, Retryable(Ambiguous, errors.New("not a network error")))
	assert.True(t, Retryable(Ambiguous, readErr))
	assert.True(t, Retryable(NotSent, errors.New("anything")))
	nested := &url.Error{Op: "Get", URL: "u", Err: &url.Error{Op: "Get", URL: "u", Err: errors.New("policy")}}
	assert.False(t, Retryable(Ambiguous, nested), "url.Error looks like a net.Error at every layer")
}

func TestIdempotentMethodsAndRetryableStatuses(t *testing.T) {
	t.Parallel()
	for _, m := range []string{"GET", "HEAD", "PUT", "DELETE", "OPTIONS"} {
		assert.True(t, Idempotent(m), m)
	}
	for _, m := range []string{"POST", "PATCH", ""} {
		assert.False(t, Idempotent(m), m)
	}
	for code := 100; code < 600; code++ {
		want := code == 429 || code == 502 || code == 503 || code == 504
		assert.Equal(t, want, RetryableStatus(code), code)
	}
}

func TestSleepEndsWithTheContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		assert.NoError(t, Sleep(context.Background(), 3*time.Second))
		assert.Equal(t, 3*time.Second, time.Since(start))

		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start = time.Now()
		assert.ErrorIs(t, Sleep(ctx, time.Hour), context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start), "the wait ends at once with the context")
	})
}

package rainbond

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go/internal/jsonwire"
)

// Option configures a [Client]. An option given a bad value makes
// [NewClient] return an error.
type Option func(*config) error

type config struct {
	token        string
	httpClient   *http.Client
	transport    http.RoundTripper
	timeout      time.Duration
	timeoutSet   bool
	userAgent    string
	logger       *slog.Logger
	retry        RetryPolicy
	maxBodyBytes int64
	codec        JSONCodec
}

// Defaults of a [Client] made without options.
const (
	// DefaultTimeout bounds each attempt of a call: connecting, sending and
	// reading the whole answer. The caller's context bounds the call.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxResponseBytes caps the body of a successful answer. An
	// answer with 1000 components is about 1.5 MiB.
	DefaultMaxResponseBytes = 64 << 20
)

func defaultConfig() config {
	return config{
		timeout:      DefaultTimeout,
		logger:       slog.New(slog.DiscardHandler),
		retry:        DefaultRetryPolicy,
		maxBodyBytes: DefaultMaxResponseBytes,
		codec:        defaultCodec{},
	}
}

// WithToken sets the personal access token (console: personal center →
// access tokens; 40 hexadecimal characters). It is sent as the raw
// Authorization header value: the console rejects a "Bearer " prefix, so
// one is refused here. The token is never logged, never put in an error
// (in any encoding a server echoes it), and never sent to a host other
// than the console's, redirects included. A token shorter than 8
// characters is refused: none is, and keeping so short a string out of
// every message would mangle them.
func WithToken(token string) Option {
	return func(c *config) error {
		switch {
		case strings.TrimSpace(token) == "":
			return configError("WithToken", "the token is empty")
		case len(token) < minTokenLength:
			return configError("WithToken", "shorter than %d characters: not a console token", minTokenLength)
		case hasPrefixFold(token, "Bearer "), hasPrefixFold(token, "Token "):
			return configError("WithToken", "pass the token alone: the console reads the whole Authorization header as the token and rejects a scheme prefix")
		case strings.ContainsFunc(token, isCtlOrSpace):
			return configError("WithToken", "the token contains spaces or control characters")
		}
		c.token = token
		return nil
	}
}

// minTokenLength is the shortest token accepted; the console's are 40
// characters (console/services/user_accesstoken_services.py generate_key).
const minTokenLength = 8

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isCtlOrSpace(r rune) bool { return r < 0x21 || r == 0x7f }

// WithHTTPClient makes the client send through hc. hc is copied, not
// changed. Its Timeout stands (0 meaning none) unless [WithTimeout] is given
// too. Its CheckRedirect is consulted for every redirect, after the SDK's
// own rules, which can only make it stricter: only GET and HEAD follow
// redirects (any other method gets the redirect answer, unless hc's policy
// returns an error), at most 10, and the token is dropped when a redirect
// leaves the console's origin.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return configError("WithHTTPClient", "nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTransport makes the client send through rt instead of its default
// transport: a clone of http.DefaultTransport that opens at most 32
// connections to the console and keeps them all for reuse. With WithHTTPClient too, rt replaces that client's
// Transport.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) error {
		if rt == nil {
			return configError("WithTransport", "nil http.RoundTripper")
		}
		c.transport = rt
		return nil
	}
}

// WithTimeout bounds each attempt of a call (connecting, sending and reading
// the whole answer); the default is [DefaultTimeout], or the Timeout of the
// client given to [WithHTTPClient]. 0 removes the bound, leaving only the
// caller's context. Negative is an error.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return configError("WithTimeout", "negative timeout %v", d)
		}
		c.timeout, c.timeoutSet = d, true
		return nil
	}
}

// WithUserAgent puts product in front of the SDK's own User-Agent,
// "rainbond-go/<Version>", e.g. "my-migrator/1.2 rainbond-go/0.1.0".
func WithUserAgent(product string) Option {
	return func(c *config) error {
		product = strings.TrimSpace(product)
		if product == "" || strings.ContainsFunc(product, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return configError("WithUserAgent", "empty, or contains control characters")
		}
		c.userAgent = product
		return nil
	}
}

// WithLogger makes the client log each attempt at debug level (method,
// path, status, duration, attempt) and each retry at info level. Nothing
// secret is logged: no header, no body. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return configError("WithLogger", "nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}

// WithRetry replaces [DefaultRetryPolicy].
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return configError("WithRetry", "%v", err)
		}
		if p.MaxRetryAfter == 0 {
			p.MaxRetryAfter = DefaultRetryPolicy.MaxRetryAfter
		}
		c.retry = p
		return nil
	}
}

// WithMaxResponseBytes caps the body of a successful answer; the default is
// [DefaultMaxResponseBytes]. A larger body fails the call with an error
// matching [ErrResponseTooLarge]. Error answers are always read up to 1 MiB.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return configError("WithMaxResponseBytes", "%d is not a positive size", n)
		}
		c.maxBodyBytes = n
		return nil
	}
}

// JSONCodec encodes request bodies and decodes answers: every byte of JSON
// the client reads or writes goes through it, error bodies included.
//
// The default codec encodes with encoding/json and decodes with the SDK's
// own decoder, which is faster than encoding/json, reads each answer in one
// pass, keeps the members a component does not know in
// [ServiceBaseInfo].Extra, and converts between JSON scalar types where the
// console is loose (see the package documentation). A replacement (a
// faster JSON library) must honour encoding/json struct tags and the
// json.Marshaler/json.Unmarshaler methods of this package's models; it then
// decides itself how lenient to be, and Extra stays nil.
type JSONCodec interface {
	// Marshal encodes v.
	Marshal(v any) ([]byte, error)
	// Unmarshal decodes the JSON value in data into v. data is only valid
	// during the call: the client reuses its memory.
	Unmarshal(data []byte, v any) error
}

// WithJSONCodec replaces the default codec.
func WithJSONCodec(codec JSONCodec) Option {
	return func(c *config) error {
		if codec == nil {
			return configError("WithJSONCodec", "nil JSONCodec")
		}
		c.codec = codec
		return nil
	}
}

// defaultCodec encodes with encoding/json and decodes with jsonwire.
type defaultCodec struct{}

func (defaultCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (defaultCodec) Unmarshal(data []byte, v any) error { return jsonwire.Unmarshal(data, v) }

// RetryPolicy says when and how a failed call is tried again.
//
// Whatever the policy, a request is sent again only when that is safe:
//   - a request that provably never reached the console (DNS, connection
//     refused or any other dial failure, a failed TLS handshake) is retried
//     whatever its method;
//   - answers 429, 502, 503 and 504, and connections that broke after the
//     request was sent, are retried for idempotent methods only (GET, HEAD,
//     PUT, DELETE, OPTIONS);
//   - install and copy (POST) are never sent again once their bytes may have
//     reached the console, unless the call was made with
//     [ResendAfterAmbiguousFailure].
//
// Waits grow exponentially from InitialBackoff up to MaxBackoff, with jitter;
// a Retry-After header (seconds or an HTTP date) replaces the computed wait.
// Every wait ends at once when the call's context ends.
type RetryPolicy struct {
	// MaxAttempts caps the attempts of one call, the first included. 1
	// disables retries.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry, before jitter.
	InitialBackoff time.Duration
	// MaxBackoff caps each computed wait.
	MaxBackoff time.Duration
	// MaxRetryAfter caps the wait a Retry-After header may ask for: an
	// answer asking for longer is returned to the caller instead. 0 means
	// DefaultRetryPolicy's, one minute.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is used unless [WithRetry] says otherwise: 3 attempts,
// waits from 500 ms up to 10 s, Retry-After honoured up to one minute.
var DefaultRetryPolicy = RetryPolicy{
	MaxAttempts:    3,
	InitialBackoff: 500 * time.Millisecond,
	MaxBackoff:     10 * time.Second,
	MaxRetryAfter:  time.Minute,
}

// NoRetry makes every call a single attempt.
var NoRetry = RetryPolicy{MaxAttempts: 1}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1:
		return fmt.Errorf("MaxAttempts %d: must be at least 1", p.MaxAttempts)
	case p.MaxAttempts == 1:
		return nil
	case p.MaxAttempts > 100:
		return fmt.Errorf("MaxAttempts %d: more than 100", p.MaxAttempts)
	case p.InitialBackoff <= 0 || p.MaxBackoff <= 0:
		return errors.New("InitialBackoff and MaxBackoff must be positive")
	case p.InitialBackoff > p.MaxBackoff:
		return errors.New("InitialBackoff is larger than MaxBackoff")
	case p.MaxRetryAfter < 0:
		return errors.New("MaxRetryAfter is negative")
	}
	return nil
}

// CallOption changes one call.
type CallOption func(*callConfig)

type callConfig struct {
	keepBody    bool
	allowResend bool
}

// KeepRawBody keeps a successful answer's raw body in [Response].Body. By
// default a successful answer is decoded straight from the connection and
// not kept, so that a large answer is not held in memory twice.
func KeepRawBody() CallOption {
	return func(c *callConfig) { c.keepBody = true }
}

// ResendAfterAmbiguousFailure lets the retry policy send a non-idempotent
// request (an install, a copy) again after a failure that may have happened
// after the console received it: a broken connection, a timeout, a 502, 503
// or 504 from a proxy.
//
// The risk: if the console did receive the first request, the app is
// installed, or the components copied, twice. Use it only when duplicates
// are acceptable or will be cleaned up.
func ResendAfterAmbiguousFailure() CallOption {
	return func(c *callConfig) { c.allowResend = true }
}

package rainbond

import (
	"io"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testBase  = "http://console.test:7070"
	testToken = "tok-5e3c9a1f2b7d4c6e8f0a1b2c3d4e5f6a"
	testKey   = "mk-0af5dff63cb740788e1234567890ab"
)

// newMockClient returns a client sending to a fresh httpmock transport, so
// that tests can run in parallel.
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := NewClient(testBase, append([]Option{WithToken(testToken), WithTransport(mt), WithRetry(NoRetry)}, opts...)...)
	require.NoError(t, err)
	return c, mt
}

// sent is a request as the mock transport received it.
type sent struct {
	Method   string
	Path     string // escaped
	RawQuery string
	Header   http.Header
	Body     []byte
}

// recorder answers every request with one canned answer and keeps what it
// received.
type recorder struct {
	mu       sync.Mutex
	requests []sent
	status   int
	body     string
	header   http.Header
}

func newRecorder(status int, body string) *recorder {
	return &recorder{status: status, body: body, header: http.Header{"Content-Type": {"application/json"}}}
}

func (r *recorder) respond(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	r.requests = append(r.requests, sent{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, req.Header.Clone(), body})
	r.mu.Unlock()
	resp := httpmock.NewStringResponse(r.status, r.body)
	resp.Header = r.header.Clone()
	resp.Request = req
	return resp, nil
}

func (r *recorder) only(t *testing.T) sent {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Len(t, r.requests, 1)
	return r.requests[0]
}

// answer registers rec for every request the mock transport receives.
func answer(mt *httpmock.MockTransport, rec *recorder) {
	mt.RegisterNoResponder(rec.respond)
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes, for log output.
type syncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// validInstall is an install body that passes validation.
func validInstall() *Install {
	return &Install{
		MarketURL:       "https://store.goodrain.com",
		MarketDomain:    "rainbond",
		MarketType:      "rainstore",
		MarketAccessKey: NewSecret(testKey),
		AppModelID:      "a9a2c3e4f5b6478899aabbccddeeff00",
		AppModelVersion: "1.2.0",
	}
}

// validCopy is a copy body that passes validation.
func validCopy() *AppCopyC {
	return &AppCopyC{
		Services:         []AppCopyModify{{ServiceID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}},
		TargetTeamName:   "o19p6wen",
		TargetRegionName: "rainbond",
		TargetAppID:      7,
	}
}

// readFixtureRaw reads a fixture where no *testing.T is at hand; the
// fixtures are part of the repository.
func readFixtureRaw(name string) string {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// canned is one answer of a router.
type canned struct {
	status int
	body   string
	header http.Header // nil: JSON
}

// router answers each "METHOD /escaped/path" with its canned answer, and
// keeps what it received; anything else is answered 599.
type router struct {
	mu       sync.Mutex
	answers  map[string][]canned // consumed in order; the last one repeats
	requests []sent
}

func newRouter(mt *httpmock.MockTransport, answers map[string][]canned) *router {
	r := &router{answers: answers}
	mt.RegisterNoResponder(r.respond)
	return r
}

func (r *router) respond(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	key := req.Method + " " + req.URL.EscapedPath()
	r.mu.Lock()
	r.requests = append(r.requests, sent{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, req.Header.Clone(), body})
	queue := r.answers[key]
	a := canned{status: 599, body: "no answer for " + key}
	if len(queue) > 0 {
		a = queue[0]
		if len(queue) > 1 {
			r.answers[key] = queue[1:]
		}
	}
	r.mu.Unlock()
	resp := httpmock.NewStringResponse(a.status, a.body)
	resp.Header = a.header
	if resp.Header == nil {
		resp.Header = http.Header{"Content-Type": {"application/json"}}
	}
	resp.Request = req
	return resp, nil
}

// sentTo lists the requests received, as "METHOD path".
func (r *router) sentTo() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.requests))
	for i, s := range r.requests {
		out[i] = s.Method + " " + s.Path
	}
	return out
}

// last is the last request received.
func (r *router) last(t *testing.T) sent {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.requests)
	return r.requests[len(r.requests)-1]
}

// djangoNotFound is the page Django answers for a path no route matches.
var djangoNotFound = canned{
	status: 404,
	header: http.Header{"Content-Type": {"text/html"}},
	body:   "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n",
}

// assertRefused checks that err is a ValidationError naming field.
func assertRefused(t *testing.T, err error, field, name string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve, name)
	assert.True(t, ve.Has(field), "%s: %v", name, err)
}

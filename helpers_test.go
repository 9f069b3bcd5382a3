package rainbond

import (
	"io"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
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

func ptr[T any](v T) *T { return &v }

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
		MarketAccessKey: testKey,
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

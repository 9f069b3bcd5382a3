package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// fuzzClient answers every request with status, contentType and body.
func fuzzClient(t *testing.T, status int, contentType string, body []byte) (*Client, *httpmock.MockTransport) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", contentType)
		resp.Request = req
		return resp, nil
	})
	c, err := NewClient(testBase, WithToken(testToken), WithTransport(mt), WithRetry(NoRetry))
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

func addFixtures(f *testing.F, add func(body []byte)) {
	files, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/console/*.json")
	files = append(files, more...)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// FuzzDecodeResponses feeds any body, as a 200, to every call: each either
// decodes, or fails with a *DecodeError; nothing panics, and a component
// that decodes encodes back to the same component.
func FuzzDecodeResponses(f *testing.F) {
	addFixtures(f, func(b []byte) { f.Add(b) })
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"services": null}`))
	f.Add([]byte(`[{"service_id": 1}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := fuzzClient(t, 200, "application/json", body)
		ctx := context.Background()
		results := []func() (any, error){
			func() (any, error) {
				r, _, err := c.Apps.InstallFromMarket(ctx, "t", "r", 1, validInstall(), nil)
				return r, err
			},
			func() (any, error) { r, _, err := c.Apps.CopyApp(ctx, "t", "r", 1, validCopy()); return r, err },
			func() (any, error) { r, _, err := c.Apps.ListComponents(ctx, "t", "r", 1); return r, err },
			func() (any, error) { r, _, err := c.Apps.Get(ctx, "t", "r", 1); return r, err },
			func() (any, error) { r, _, err := c.Apps.ListCopyable(ctx, "t", "r", 1); return r, err },
			func() (any, error) { r, _, err := c.Teams.List(ctx, nil); return r, err },
			func() (any, error) { r, _, err := c.Regions.List(ctx); return r, err },
		}
		for _, call := range results {
			_, err := call()
			var de *DecodeError
			if err != nil && !errors.As(err, &de) {
				t.Fatalf("a 200 failed with %T: %v", err, err)
			}
		}
		var comps []ServiceBaseInfo
		if (defaultCodec{}).Unmarshal(body, &comps) != nil {
			return
		}
		out, err := json.Marshal(comps)
		if err != nil {
			t.Fatalf("decoded components do not encode: %v", err)
		}
		var again []ServiceBaseInfo
		if err := (defaultCodec{}).Unmarshal(out, &again); err != nil {
			t.Fatalf("encoded components do not decode: %v\n%s", err, out)
		}
		if len(again) != len(comps) {
			t.Fatalf("round trip changed the length")
		}
	})
}

// FuzzErrorBodies feeds any body with any error status: the result is an
// *APIError of that status, matching exactly its sentinel, whose message is
// one line without the token.
func FuzzErrorBodies(f *testing.F) {
	addFixtures(f, func(b []byte) { f.Add(500, "application/json", b) })
	for _, seed := range []string{
		`{"code": 404, "msg": "no found team", "msg_show": "团队不存在", "data": {"bean": {}, "list": []}}`,
		`{"detail": "参数错误", "err": {"market_url": ["该字段是必填项。"]}, "code": 20400, "error_type": "ValidationError"}`,
		`{"detail": "No token", "code": 401, "msg": "No token", "msg_show": "No token", "error_type": "AuthenticationFailed", "error_trace": "Traceback\n"}`,
		`{"code": 10401, "msg": "'services'", "msg_show": "Traceback (most recent call last):\n  File x\nKeyError"}`,
		`{"code": 400, "msg": {"httpcode": 400, "body": {"msg": "x"}}, "msg_show": "数据中心操作故障"}`,
		`<html><head><title>502 Bad Gateway</title></head></html>`,
		``,
	} {
		f.Add(400, "application/json", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 300 || status > 599 || strings.ContainsAny(contentType, "\r\n") {
			return
		}
		c, mt := fuzzClient(t, status, contentType, body)
		_, resp, err := c.Apps.InstallFromMarket(context.Background(), "t", "r", 1, validInstall(), nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("status %d gave %T: %v", status, err, err)
		}
		if apiErr.StatusCode != status || resp.StatusCode != status || mt.GetTotalCallCount() != 1 {
			t.Fatalf("status %d: error %d, response %d, %d requests", status, apiErr.StatusCode, resp.StatusCode, mt.GetTotalCallCount())
		}
		msg := err.Error()
		if strings.ContainsAny(msg, "\n\r") || strings.Contains(msg, testToken) {
			t.Fatalf("message %q", msg)
		}
		notToken := apiErr.Code == 10400 || apiErr.Code == 10421
		for sentinel, is := range map[error]bool{
			ErrNotFound: status == 404, ErrUnauthorized: status == 401 && !notToken, ErrServer: status >= 500,
			ErrConflict: status == 409, ErrRateLimited: status == 429,
			ErrInvalidLicense: status == 401 && apiErr.Code == 10400,
		} {
			if errors.Is(err, sentinel) != is {
				t.Fatalf("status %d: errors.Is(%v) = %v", status, sentinel, !is)
			}
		}
	})
}

// FuzzPathParams checks that any team, region and app id either fails
// validation with nothing sent, or makes exactly one request whose path has
// exactly the expected segments on the console's host.
func FuzzPathParams(f *testing.F) {
	for _, seed := range []struct {
		team, region string
		app          int64
	}{
		{"o19p6wen", "rainbond", 1}, {"..", "r", 1}, {"a/b", "r", 1}, {"t", "r?x=1", 1}, {"t#f", "r", 1},
		{"%2e%2e", "r", 1}, {"团队", "集群", 9}, {"", "", 0}, {"t", "r", -1}, {"a\x00b", "r", 1}, {"t", "r\xff", 1},
	} {
		f.Add(seed.team, seed.region, seed.app)
	}
	f.Fuzz(func(t *testing.T, team, region string, app int64) {
		c, mt := newMockClient(t)
		rec := newRecorder(200, readFixtureRaw("console/install.json"))
		answer(mt, rec)
		_, _, err := c.Apps.InstallFromMarket(context.Background(), team, region, app, validInstall(), nil)
		var ve *ValidationError
		if errors.As(err, &ve) {
			if mt.GetTotalCallCount() != 0 {
				t.Fatalf("a refused request was sent")
			}
			return
		}
		if err != nil {
			t.Fatalf("%q %q %d: %v", team, region, app, err)
		}
		got := rec.only(t)
		want := "/openapi/v1/teams/" + url.PathEscape(team) + "/regions/" + url.PathEscape(region) + "/apps/" + strconv.FormatInt(app, 10) + "/install"
		if got.Path != want {
			t.Fatalf("path %q, want %q", got.Path, want)
		}
		segments := strings.Split(got.Path, "/")
		if len(segments) != 10 {
			t.Fatalf("path %q has %d segments", got.Path, len(segments))
		}
		for i, want := range map[int]string{4: team, 6: region} {
			if s, err := url.PathUnescape(segments[i]); err != nil || s != want || s == "." || s == ".." {
				t.Fatalf("segment %d = %q (%v), want %q", i, s, err, want)
			}
		}
	})
}

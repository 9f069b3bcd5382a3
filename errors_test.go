package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// traceback is what the console puts in msg_show of an unhandled error.
const traceback = "Traceback (most recent call last):\n  File \"/app/ui/console/views/base.py\", line 456, in dispatch\n    response = handler(request, *args, **kwargs)\nKeyError: 'services'"

// Every error body shape in ../shared/spec/wire.md, through InstallFromMarket.
func TestAPIErrorDecodesEveryConsoleErrorShape(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		status      int
		contentType string
		header      http.Header
		body        string
		is          error
		isNot       []error
		check       func(t *testing.T, e *APIError)
		inError     []string
		notInError  []string
	}{
		"business 404 team": {
			status: 404, body: `{"code": 404, "msg": "no found team", "msg_show": "团队不存在", "data": {"bean": {}, "list": []}}`,
			is: ErrNotFound,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, 404, e.Code)
				assert.Equal(t, "no found team", e.Msg)
				assert.Equal(t, "团队不存在", e.MsgShow)
				assert.JSONEq(t, `{"bean": {}, "list": []}`, string(e.Data))
			},
			inError: []string{"404 Not Found", "no found team", "团队不存在"},
		},
		"model version not found": {
			status: 404, body: `{"code": 404, "msg": "not found", "msg_show": "云端应用版本不存在", "data": {"bean": {}, "list": []}}`,
			is:      ErrNotFound,
			inError: []string{"not found", "云端应用版本不存在"},
		},
		"no permissions 403": {
			status: 403, body: `{"code": 10402, "msg": "no permissions", "msg_show": "没有操作权限", "data": {"bean": {}, "list": []}}`,
			is:      ErrForbidden,
			check:   func(t *testing.T, e *APIError) { assert.Equal(t, 10402, e.Code) },
			inError: []string{"403 Forbidden", "no permissions", "[code 10402]"},
		},
		"store refused key 403 with data": {
			status: 403, body: `{"code": 10407, "msg": "no store auth", "msg_show": "应用商店授权失败", "data": {"bean": {"name": "goodrain"}}}`,
			is: ErrForbidden,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, 10407, e.Code)
				assert.JSONEq(t, `{"bean": {"name": "goodrain"}}`, string(e.Data))
			},
		},
		"team not opened in region 409 code 2001": {
			status: 409, body: `{"code": 2001, "msg": "team not open this region", "msg_show": "团队未开通该集群"}`,
			is:      ErrConflict,
			check:   func(t *testing.T, e *APIError) { assert.Equal(t, 2001, e.Code); assert.Nil(t, e.Data) },
			inError: []string{"409 Conflict", "[code 2001]"},
		},
		"cluster busy 409": {
			status: 409, body: `{"code": 409, "msg": "wait a moment please", "msg_show": "操作过于频繁，请稍后再试"}`,
			is:      ErrConflict,
			inError: []string{"wait a moment please"},
		},
		"validation 400": {
			status: 400, body: `{"detail": "参数错误", "err": {"market_url": ["该字段是必填项。"], "app_model_version": ["请确保这个字段不能超过 64 个字符。"]}, "code": 20400, "error_type": "ValidationError"}`,
			is: ErrBadRequest,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, 20400, e.Code)
				assert.Equal(t, "参数错误", e.Detail)
				assert.Equal(t, "ValidationError", e.ErrorType)
				assert.Equal(t, map[string][]string{
					"market_url":        {"该字段是必填项。"},
					"app_model_version": {"请确保这个字段不能超过 64 个字符。"},
				}, e.FieldErrors)
			},
			inError: []string{"参数错误", "app_model_version: 请确保", "market_url: 该字段是必填项。", "[code 20400]"},
		},
		"nested validation errors": {
			status: 400, is: ErrBadRequest, body: `{"detail": "参数错误", "err": {"services": [{"service_id": ["This field is required."]}, {}], "change": {"version": ["This field may not be blank."]}}, "code": 20400}`,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, map[string][]string{
					"services[0].service_id": {"This field is required."},
					"change.version":         {"This field may not be blank."},
				}, e.FieldErrors)
			},
		},
		"authentication failed 401": {
			status: 401, header: http.Header{"Www-Authenticate": {"Token"}},
			body: `{"detail": "No such user", "code": 401, "msg": "No such user", "msg_show": "用户不存在", "error_type": "AuthenticationFailed", "error_trace": "Traceback (most recent call last):\n  File x"}`,
			is:   ErrUnauthorized,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, "AuthenticationFailed", e.ErrorType)
				assert.Contains(t, e.ErrorTrace, "Traceback")
				assert.Equal(t, "Token", e.Response.Header.Get("WWW-Authenticate"))
			},
			inError:    []string{"401 Unauthorized", "No such user"},
			notInError: []string{"Traceback"},
		},
		"throttled 429 with Retry-After": {
			status: 429, header: http.Header{"Retry-After": {"17"}},
			body: `{"detail": "Request was throttled.", "code": 429, "msg": "Request was throttled.", "msg_show": "请求过于频繁", "error_type": "Throttled"}`,
			is:   ErrRateLimited,
			check: func(t *testing.T, e *APIError) {
				d, ok := e.RetryAfter()
				assert.True(t, ok)
				assert.Equal(t, 17*time.Second, d)
			},
		},
		"msg is an object": {
			status: 404, body: `{"code": 404, "msg": {"code": 404, "msg": "region no found this resource"}, "msg_show": "集群资源不存在"}`,
			is: ErrNotFound,
			check: func(t *testing.T, e *APIError) {
				assert.JSONEq(t, `{"code": 404, "msg": "region no found this resource"}`, string(e.MsgJSON))
				assert.Equal(t, `{"code":404,"msg":"region no found this resource"}`, e.Msg)
			},
			inError: []string{"region no found this resource"},
		},
		"resource not enough 412": {
			status: 412, body: `{"code": 10406, "msg": "resource is not enough", "msg_show": "资源不足"}`,
			is:    ErrQuotaExceeded,
			check: func(t *testing.T, e *APIError) { assert.Equal(t, 10406, e.Code) },
		},
		"team memory limit 412": {
			status: 412, body: `{"code": 10413, "msg": "tenant lack of memory", "msg_show": "团队使用内存已超过限额，请联系企业管理员增加限额", "data": {"bean": {}, "list": []}}`,
			is:      ErrQuotaExceeded,
			inError: []string{"412 Precondition Failed", "tenant lack of memory", "[code 10413]"},
		},
		"billing quota 400": {
			status: 400, body: `{"code": 20002, "msg": "not enough quota", "msg_show": "not enough quota", "data": {"bean": {}, "list": []}}`,
			is: ErrQuotaExceeded,
		},
		"invalid license 401": {
			status: 401, body: `{"code": 10400, "msg": "invalid license", "msg_show": "license不正确或已过期"}`,
			is:      ErrInvalidLicense,
			isNot:   []error{ErrUnauthorized, ErrStoreUnauthorized},
			inError: []string{"invalid license", "[code 10400]"},
		},
		"store refused the key 401": {
			status: 401, body: `{"code": 10421, "msg": "unauthorized", "msg_show": "应用商店认证失败", "data": {"bean": {}, "list": []}}`,
			is:    ErrStoreUnauthorized,
			isNot: []error{ErrUnauthorized, ErrInvalidLicense},
		},
		"err is a list, one entry per item": {
			status: 400, body: `{"detail": "参数错误", "err": [{}, {"market_name": ["该字段不能为 null。"]}], "code": 20400, "error_type": "ValidationError"}`,
			is: ErrBadRequest,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, map[string][]string{"[1].market_name": {"该字段不能为 null。"}}, e.FieldErrors)
			},
			inError: []string{"[1].market_name: 该字段不能为 null。"},
		},
		"err is a list of messages": {
			status: 400, body: `{"detail": "参数错误", "err": ["指定企业不存在"], "code": 20400, "error_type": "ValidationError"}`,
			is: ErrBadRequest,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, map[string][]string{NonFieldErrors: {"指定企业不存在"}}, e.FieldErrors)
			},
			inError: []string{"参数错误", "[code 20400]: 指定企业不存在"},
		},
		"unhandled 500 with traceback": {
			status: 500, body: `{"code": 10401, "msg": "'services'", "msg_show": ` + jsonString(traceback) + `, "error_type": "KeyError", "error_trace": ` + jsonString(traceback) + `, "error_details": {"args": ["services"], "message": "'services'", "module": "builtins"}}`,
			is: ErrServer,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, 10401, e.Code)
				assert.Equal(t, traceback, e.MsgShow, "the traceback stays reachable")
				assert.Equal(t, "KeyError", e.ErrorType)
				require.NotNil(t, e.ErrorDetails)
				assert.Equal(t, "'services'", e.ErrorDetails.Message)
				assert.Equal(t, "builtins", e.ErrorDetails.Module)
				assert.JSONEq(t, `["services"]`, string(e.ErrorDetails.Args))
			},
			inError:    []string{"500 Internal Server Error", "'services'"},
			notInError: []string{"Traceback", "dispatch", "\n"},
		},
		"proxy html 502": {
			status: 502, contentType: "text/html",
			body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
			is:   ErrServer,
			check: func(t *testing.T, e *APIError) {
				assert.Contains(t, string(e.Response.Body), "<center>nginx</center>")
				assert.Zero(t, e.Code)
			},
			inError: []string{"502 Bad Gateway", `HTML page "502 Bad Gateway"`},
		},
		"the console's own html 500, without a title": {
			status: 500, contentType: "text/html; charset=utf8", body: "<h1>server error</h1>",
			is:      ErrServer,
			inError: []string{"500 Internal Server Error", "HTML page: server error"},
		},
		"an html page with a script and no title": {
			status: 503, contentType: "text/html", body: "<html><script>var x = 1 < 2;</script><style>p{}</style><!-- c --><p>Down for &lt;maintenance&gt;</p></html>",
			is:         ErrServer,
			inError:    []string{"HTML page: Down for <maintenance>"},
			notInError: []string{"var x", "p{}", "<p>"},
		},
		"plain text 503": {
			status: 503, contentType: "text/plain", body: "upstream connect error or disconnect/reset before headers",
			is:      ErrServer,
			inError: []string{"503 Service Unavailable", "upstream connect error"},
		},
		"empty 504": {
			status: 504, contentType: "text/plain", body: "",
			is:      ErrServer,
			inError: []string{"504 Gateway Timeout", "empty body"},
		},
		"django html 404 for a trailing slash": {
			status: 404, contentType: "text/html", body: "<!DOCTYPE html><html><head><title>Page not found at /openapi/v1/teams/</title></head></html>",
			is:      ErrNotFound,
			inError: []string{"Page not found"},
		},
		"json that is not an object": {
			status: 400, body: `["bad"]`,
			is:      ErrBadRequest,
			inError: []string{`body "[\"bad\"]"`},
		},
		"broken json": {
			status: 500, body: `{"code": 10401, "msg": `,
			is:      ErrServer,
			check:   func(t *testing.T, e *APIError) { assert.Zero(t, e.Code) },
			inError: []string{"500"},
		},
		"unexpected member types": {
			status: 400, body: `{"code": "20400", "msg": 12, "msg_show": null, "detail": ["a", "b"], "error_type": 5}`,
			is: ErrBadRequest,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, 20400, e.Code)
				assert.Equal(t, "12", e.Msg)
				assert.Equal(t, map[string][]string{NonFieldErrors: {"a", "b"}}, e.FieldErrors, "plain DRF: a list of messages in detail")
				assert.Equal(t, "5", e.ErrorType)
			},
		},
		"plain drf field errors in detail": {
			status: 400, is: ErrBadRequest, body: `{"detail": {"market_url": ["This field is required."]}}`,
			check: func(t *testing.T, e *APIError) {
				assert.Equal(t, map[string][]string{"market_url": {"This field is required."}}, e.FieldErrors)
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := newRecorder(tc.status, tc.body)
			if tc.contentType != "" {
				rec.header.Set("Content-Type", tc.contentType)
			}
			for k, v := range tc.header {
				rec.header[k] = v
			}
			answer(mt, rec)

			res, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
			require.Error(t, err)
			assert.Nil(t, res)
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			var e *APIError
			require.True(t, errors.As(err, &e), "%T", err)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, "POST", e.Method)
			assert.Equal(t, "/openapi/v1/teams/team/regions/region/apps/1/install", e.Path)
			assert.Equal(t, tc.body, string(e.Response.Body), "the raw body stays reachable")
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			byStatus := map[int]error{400: ErrBadRequest, 401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound,
				409: ErrConflict, 429: ErrRateLimited, 500: ErrServer, 502: ErrServer, 503: ErrServer, 504: ErrServer}
			for _, other := range []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict,
				ErrRateLimited, ErrServer, ErrQuotaExceeded, ErrInvalidLicense, ErrStoreUnauthorized} {
				want := other == tc.is || other == byStatus[tc.status] && !slices.Contains(tc.isNot, other)
				assert.Equal(t, want, errors.Is(err, other), "errors.Is(%v)", other)
			}
			for _, other := range tc.isNot {
				assert.NotErrorIs(t, err, other)
			}
			if tc.check != nil {
				tc.check(t, e)
			}
			msg := err.Error()
			for _, want := range tc.inError {
				assert.Contains(t, msg, want)
			}
			for _, unwanted := range append(tc.notInError, testToken, testKey) {
				assert.NotContains(t, msg, unwanted)
			}
			assert.Equal(t, 1, mt.GetTotalCallCount(), "never sent twice")
		})
	}
}

func TestSuccessBodiesThatDoNotDecodeAreErrors(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		contentType, body string
		want              string
	}{
		"html 200":        {"text/html; charset=utf-8", "<html><title>Login</title></html>", "not JSON"},
		"empty 200":       {"application/json", "", "empty"},
		"truncated json":  {"application/json", `{"enterprise_id": "e", "service_list": [{"service_id"`, "unexpected end of JSON"},
		"wrong type":      {"application/json", `{"ID": "forty-two"}`, "ID: a JSON string cannot be read as int64"},
		"not an object":   {"application/json", `"ok"`, "a JSON string cannot be read as rainbond.MarketInstall"},
		"no content type": {"", `nope`, "invalid literal"},
		"null":            {"application/json", `null`, "the body is null"},
		"trailing data":   {"application/json", `{"ID": 1} {"ID": 2}`, "data after the JSON value"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := newRecorder(200, tc.body)
			rec.header = http.Header{}
			if tc.contentType != "" {
				rec.header.Set("Content-Type", tc.contentType)
			}
			answer(mt, rec)
			res, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
			assert.Nil(t, res, "never a zero value with a nil error")
			var de *DecodeError
			require.True(t, errors.As(err, &de), "%T: %v", err, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Same(t, resp, de.Response)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestAResponseOverTheLimitIsAClearError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithMaxResponseBytes(1024))
	answer(mt, newRecorder(200, readFixture(t, "console/install.json")))
	_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Contains(t, err.Error(), "more than 1024 bytes")

	c, mt = newMockClient(t, WithMaxResponseBytes(int64(len(readFixture(t, "console/install.json")))))
	answer(mt, newRecorder(200, readFixture(t, "console/install.json")))
	_, _, err = c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	assert.NoError(t, err, "a body of exactly the limit is fine")
}

func TestCancelledContextIsReportedAsSuch(t *testing.T) {
	t.Parallel()
	t.Run("before the call", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		answer(mt, newRecorder(200, `{}`))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, _, err := c.Apps.InstallFromMarket(ctx, "team", "region", 1, validInstall(), nil)
		assert.ErrorIs(t, err, context.Canceled)
		var te *TransportError
		require.True(t, errors.As(err, &te))
		assert.False(t, te.MaybeSent)
		assert.Zero(t, mt.GetTotalCallCount(), "nothing is sent on a finished context")
	})
	t.Run("while waiting for the answer", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t, WithRetry(DefaultRetryPolicy))
		ctx, cancel := context.WithCancel(context.Background())
		mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			cancel()
			<-req.Context().Done()
			return nil, req.Context().Err()
		})
		_, _, err := c.Apps.CopyApp(ctx, "team", "region", 1, validCopy())
		assert.ErrorIs(t, err, context.Canceled)
		var te *TransportError
		require.True(t, errors.As(err, &te))
		assert.True(t, te.MaybeSent)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "a cancelled copy is not resent")
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			<-req.Context().Done()
			return nil, req.Context().Err()
		})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, _, err := c.Apps.InstallFromMarket(ctx, "team", "region", 1, validInstall(), nil)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var te *TransportError
		require.True(t, errors.As(err, &te))
		assert.True(t, te.Timeout())
	})
}

func TestAmbiguousTransportFailureOfAPostIsNotResent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithRetry(DefaultRetryPolicy))
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("read: connection reset by peer")
	})
	_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	var te *TransportError
	require.True(t, errors.As(err, &te))
	assert.True(t, te.MaybeSent)
	assert.Contains(t, err.Error(), "may have received the request")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestValidationErrorFormatting(t *testing.T) {
	t.Parallel()
	e := &ValidationError{Problems: []Problem{{"team_id", "required"}, {"app_id", "0: must be a positive app id"}}}
	assert.Equal(t, "rainbond: invalid request: team_id: required; app_id: 0: must be a positive app id", e.Error())
	assert.True(t, e.Has("app_id"))
	assert.False(t, e.Has("region_name"))
}

func TestOneLineKeepsMessagesOnOneLine(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a b c", oneLine(" a\n\tb \r\n c ", 10))
	assert.Equal(t, "abc…", oneLine("abcdef", 3))
	assert.False(t, strings.ContainsAny(oneLine("x\x00\x1b[31my", 20), "\x00\x1b"))
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestHTMLTextReadsAPageOfManyTagsInOnePass(t *testing.T) {
	t.Parallel()
	page := []byte("<html><body><SCRIPT>var a = '<b>';</Script><p>Bad gateway</p><style>p{}</STYLE>" + strings.Repeat("<i>", 200000) + "</body></html>")
	assert.Equal(t, "Bad gateway", htmlText(page, 40), "scripts and styles left out, whatever their case")
}

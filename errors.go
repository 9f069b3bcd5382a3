package rainbond

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// Sentinel errors. An [*APIError] matches the one for its HTTP status (and,
// for the last few, its business code) with errors.Is, so callers can
// branch without reading status codes:
//
//	if errors.Is(err, rainbond.ErrNotFound) { ... }
var (
	// ErrBadRequest matches a 400 answer: the console refused the request
	// (invalid body, a failed install, a target app of another team...).
	ErrBadRequest = errors.New("rainbond: bad request")
	// ErrUnauthorized matches a 401 answer about the token: missing, wrong
	// or expired. The two 401s that are not about the token match
	// [ErrInvalidLicense] and [ErrStoreUnauthorized] instead, so that code
	// which refreshes its token on ErrUnauthorized does not misfire.
	ErrUnauthorized = errors.New("rainbond: unauthorized")
	// ErrForbidden matches a 403 answer.
	ErrForbidden = errors.New("rainbond: forbidden")
	// ErrNotFound matches a 404 answer: an unknown team, region, app, app
	// model or version.
	ErrNotFound = errors.New("rainbond: not found")
	// ErrConflict matches a 409 answer: the cluster is busy ("wait a moment
	// please"), or the team is not opened in the region (code 2001). Check
	// Code to tell them apart.
	ErrConflict = errors.New("rainbond: conflict")
	// ErrRateLimited matches a 429 answer.
	ErrRateLimited = errors.New("rainbond: rate limited")
	// ErrServer matches any 5xx answer, from the console or from a proxy in
	// front of it.
	ErrServer = errors.New("rainbond: server error")
	// ErrQuotaExceeded matches a refusal for lack of resources: HTTP 412
	// with code 10406 (cluster memory), 10410 (resources), 10413–10420
	// (team memory or CPU limit or quota, cluster licence), raised when the
	// cluster refuses to deploy (console/exception/main.py), and code 20002
	// (a billing service's quota, sent with HTTP 400).
	ErrQuotaExceeded = errors.New("rainbond: quota exceeded")
	// ErrInvalidLicense matches 401 code 10400: the cluster's licence is
	// invalid or expired. A new token does not help.
	ErrInvalidLicense = errors.New("rainbond: the cluster's licence is invalid or expired")
	// ErrStoreUnauthorized matches 401 code 10421: the app store refused
	// the market access key of an install. A new token does not help; a new
	// access key might.
	ErrStoreUnauthorized = errors.New("rainbond: the app store refused the access key")

	// ErrPermissionDenied matches 403 code 10402: the token's user lacks
	// the team permission an action needs (see [AppsService.Operate]).
	ErrPermissionDenied = errors.New("rainbond: permission denied")
	// ErrUnsupported is matched by an [*UnsupportedError]: the console does
	// not have the endpoint a call needs (an older console).
	ErrUnsupported = errors.New("rainbond: the console does not support this call")

	// ErrResponseTooLarge is matched by the error of a call whose response
	// body exceeded the limit set with [WithMaxResponseBytes].
	ErrResponseTooLarge = errors.New("rainbond: response body too large")
	// ErrTooManyRedirects is matched by the error of a call that was
	// redirected more than 10 times.
	ErrTooManyRedirects = retry.ErrTooManyRedirects
)

// Business codes the console sends that the sentinels above decide on.
const (
	codeInvalidLicense    = 10400
	codeStoreUnauthorized = 10421
	codeBillingQuota      = 20002
	codeNoPermission      = 10402
	// codeClusterUnreachable: the console could not reach the cluster
	// (www/apiclient/regionapibaseclient.py).
	codeClusterUnreachable = 10411
)

// isQuotaCode reports the codes of console/exception/main.py's
// ErrInsufficientResource family and of the other resource refusals.
func isQuotaCode(code int) bool {
	return code == 10406 || code == 10410 || code >= 10413 && code <= 10420 || code == codeBillingQuota
}

// maxErrorBody is how much of an error response is read. Console error
// bodies are small; a proxy's HTML page is cut here.
const maxErrorBody = 1 << 20

// NonFieldErrors is the [APIError].FieldErrors key of the console's
// messages that concern no single field: a top-level list of strings in
// "err" (a view raising ValidationError("...")), and DRF's own
// non_field_errors.
const NonFieldErrors = "non_field_errors"

// APIError is an answer from the console (or a proxy in front of it) with a
// status other than 2xx. It carries every part of the console's error
// bodies that was present (console/views/base.py custom_exception_handler):
//
//   - business errors: {"code", "msg", "msg_show", "data"};
//   - body validation (400): {"detail", "err", "code": 20400}, where err
//     maps fields to problems, or is a list (one entry per item of a list,
//     or plain messages);
//   - other framework errors (401, 403, 405, 429): {"detail", "code", "msg",
//     "msg_show", "error_type", "error_trace"};
//   - unhandled errors (500): {"code": 10401, "msg", "msg_show" (a Python
//     traceback), "error_type", "error_trace", "error_details"};
//
// and, for anything else (an HTML page from a proxy, an empty body), the raw
// body in Response.Body. Messages are written for people and are often in
// Chinese: branch on StatusCode, Code or errors.Is, never on the text.
type APIError struct {
	// Method and Path identify the request (the path without the host).
	Method string
	Path   string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the console's business code (e.g. 2001 team not opened in the
	// region, 10421 store unauthorized, 20400 invalid body); the HTTP status
	// when the console repeats it; 0 when the body had none.
	Code int
	// Msg is the console's message in English. When the console sent an
	// object (cluster API errors do), Msg is its JSON text and MsgJSON holds
	// it.
	Msg string
	// MsgJSON is "msg" exactly as sent, when present: a JSON string or
	// object.
	MsgJSON json.RawMessage
	// MsgShow is the console's message for people, often in Chinese. For a
	// 5xx it may be a Python traceback: it is kept here and left out of
	// Error().
	MsgShow string
	// Detail is the framework's message ("参数错误", "No such user"...).
	Detail string
	// FieldErrors maps a field of the request body to the console's problems
	// with it (400 validation answers). Nested fields are joined with dots,
	// items of a list by their index ("[1].market_name"); messages about no
	// single field are under [NonFieldErrors].
	FieldErrors map[string][]string
	// ErrorType is the framework's exception class, e.g.
	// "AuthenticationFailed" or "ValidationError".
	ErrorType string
	// ErrorTrace is the framework's traceback, when it sent one.
	ErrorTrace string
	// ErrorDetails describes the exception behind an unhandled 500 (consoles
	// since v6.1.1); nil otherwise.
	ErrorDetails *ErrorDetails
	// Data is the "data" member of a business error, raw; e.g. for a store
	// that refused the key, {"bean": {"name": <market>}}.
	Data json.RawMessage
	// Response is the answer itself: headers, and the raw body (at most
	// 1 MiB).
	Response *Response
}

// ErrorDetails is the "error_details" member of the console's 500 answer.
type ErrorDetails struct {
	// Args are the exception's arguments, raw (a JSON list).
	Args json.RawMessage `json:"args"`
	// Message is the exception's message.
	Message string `json:"message"`
	// Module is the Python module of the exception's class, e.g. "builtins".
	Module string `json:"module"`
}

// consoleError is every error body shape of the console at once. Members are
// raw so that an unexpected type in one of them never hides the others.
type consoleError struct {
	Code         json.RawMessage `json:"code"`
	Msg          json.RawMessage `json:"msg"`
	MsgShow      json.RawMessage `json:"msg_show"`
	Detail       json.RawMessage `json:"detail"`
	Err          json.RawMessage `json:"err"`
	ErrorType    json.RawMessage `json:"error_type"`
	ErrorTrace   json.RawMessage `json:"error_trace"`
	ErrorDetails json.RawMessage `json:"error_details"`
	Data         json.RawMessage `json:"data"`
}

// newAPIError reads what it can from an error answer, with the client's
// codec, and redacts what it read (resp.Body is redacted already, but a
// member decoded from it can hold a secret the raw text held in another
// encoding). It never fails: a body it does not understand stays in
// resp.Body.
func newAPIError(method, path string, resp *Response, codec JSONCodec, redact redactor) *APIError {
	e := parseAPIError(method, path, resp, codec)
	clean := redact.string
	e.Msg, e.MsgShow, e.Detail = clean(e.Msg), clean(e.MsgShow), clean(e.Detail)
	e.ErrorType, e.ErrorTrace = redact.string(e.ErrorType), redact.string(e.ErrorTrace)
	e.MsgJSON, e.Data = redact.bytes(e.MsgJSON), redact.bytes(e.Data)
	if d := e.ErrorDetails; d != nil {
		d.Args, d.Message, d.Module = redact.bytes(d.Args), redact.string(d.Message), redact.string(d.Module)
	}
	if len(e.FieldErrors) > 0 {
		clean := make(map[string][]string, len(e.FieldErrors))
		for field, problems := range e.FieldErrors {
			for i := range problems {
				problems[i] = redact.string(problems[i])
			}
			clean[redact.string(field)] = problems
		}
		e.FieldErrors = clean
	}
	return e
}

func parseAPIError(method, path string, resp *Response, codec JSONCodec) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: resp.StatusCode, Response: resp}
	body := bytes.TrimSpace(resp.Body)
	if len(body) == 0 || body[0] != '{' {
		return e
	}
	var ce consoleError
	if codec.Unmarshal(body, &ce) != nil {
		return e
	}
	e.Code = rawInt(ce.Code)
	if len(ce.Msg) > 0 && string(ce.Msg) != "null" {
		e.MsgJSON = ce.Msg
		e.Msg = rawText(ce.Msg)
	}
	e.MsgShow = rawText(ce.MsgShow)
	e.ErrorType = rawText(ce.ErrorType)
	e.ErrorTrace = rawText(ce.ErrorTrace)
	if len(ce.Data) > 0 && string(ce.Data) != "null" {
		e.Data = ce.Data
	}
	if len(ce.ErrorDetails) > 0 && ce.ErrorDetails[0] == '{' {
		var details ErrorDetails
		if codec.Unmarshal(ce.ErrorDetails, &details) == nil {
			e.ErrorDetails = &details
		}
	}
	// Plain DRF puts field errors straight into "detail" when the custom
	// handler is not in the way; the console nests them under "err".
	if fields := fieldErrors(ce.Err); len(fields) > 0 {
		e.FieldErrors = fields
		e.Detail = rawText(ce.Detail)
	} else if fields := fieldErrors(ce.Detail); len(fields) > 0 {
		e.FieldErrors = fields
	} else {
		e.Detail = rawText(ce.Detail)
	}
	return e
}

// rawInt reads a number, or a string holding one; anything else is 0.
func rawInt(raw json.RawMessage) int {
	s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	i, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return i
}

// rawText reads a JSON string; any other value is returned as compact JSON
// text, and null or absent as "".
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

// fieldErrors flattens DRF's errors: {"f": ["p"]}, nested objects
// ({"services": [{"service_id": ["p"]}]}), a top-level list with one entry
// per item of a list ([{}, {"market_name": ["p"]}]), and plain messages
// (["p"] or "p").
func fieldErrors(raw json.RawMessage) map[string][]string {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	out := make(map[string][]string)
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			flattenFieldErrors(k, child, out)
		}
	case []any:
		flattenFieldErrors("", v, out)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func flattenFieldErrors(field string, v any, out map[string][]string) {
	switch v := v.(type) {
	case string:
		key := field
		if key == "" {
			key = NonFieldErrors
		}
		out[key] = append(out[key], v)
	case []any:
		for i, item := range v {
			if _, nested := item.(map[string]any); nested {
				flattenFieldErrors(field+"["+strconv.Itoa(i)+"]", item, out)
			} else {
				flattenFieldErrors(field, item, out)
			}
		}
	case map[string]any:
		for k, child := range v {
			name := k
			if field != "" {
				name = field + "." + k
			}
			flattenFieldErrors(name, child, out)
		}
	case nil:
	default:
		b, _ := json.Marshal(v)
		flattenFieldErrors(field, string(b), out)
	}
}

// Error describes the answer in one line: status, the console's message and
// code, field problems, or an excerpt of a body that was not the console's.
// A 5xx's MsgShow (a traceback) and the raw body stay out of it.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rainbond: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	msg := e.Msg
	if msg == "" {
		msg = e.Detail
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(msg, 300))
	}
	if show := e.MsgShow; e.StatusCode < 500 && show != "" && show != msg && !strings.Contains(show, "\n") {
		b.WriteString(" (" + oneLine(show, 200) + ")")
	}
	if e.Code != 0 && e.Code != e.StatusCode {
		fmt.Fprintf(&b, " [code %d]", e.Code)
	}
	if len(e.FieldErrors) > 0 {
		b.WriteString(": ")
		b.WriteString(formatFieldErrors(e.FieldErrors))
	}
	if msg == "" && len(e.FieldErrors) == 0 {
		b.WriteString(": ")
		b.WriteString(e.bodySummary())
	}
	if loc := e.location(); loc != "" {
		b.WriteString(" (redirected to " + loc + ")")
	}
	return b.String()
}

func formatFieldErrors(fields map[string][]string) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, name := range names {
		problems := oneLine(strings.Join(fields[name], " "), 200)
		if name == NonFieldErrors {
			parts[i] = problems
		} else {
			parts[i] = oneLine(name, 100) + ": " + problems
		}
	}
	return strings.Join(parts, "; ")
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// bodySummary names a body that is not a console error: empty, an HTML page
// (by its title), or a short excerpt of text.
func (e *APIError) bodySummary() string {
	if e.Response == nil {
		return "no body"
	}
	body := bytes.TrimSpace(e.Response.Body)
	switch {
	case len(body) == 0:
		return "empty body"
	case isHTML(e.Response.Header, body):
		if m := htmlTitle.FindSubmatch(body); m != nil {
			return fmt.Sprintf("HTML page %q", oneLine(string(m[1]), 100))
		}
		if text := htmlText(body, 200); text != "" {
			return fmt.Sprintf("HTML page: %s", text)
		}
		return fmt.Sprintf("HTML page (%d bytes, no text)", len(e.Response.Body))
	default:
		return fmt.Sprintf("body %q", oneLine(string(body), 200))
	}
}

// htmlText is the text a browser would show of an HTML page, on one line
// and cut to max runes: tags, comments, scripts and styles left out.
func htmlText(page []byte, max int) string {
	var b strings.Builder
	s := string(page)
	// Stop once enough text is kept: oneLine cuts it to max runes anyway.
	for s != "" && b.Len() < 4*max+64 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:lt])
		b.WriteByte(' ')
		s = s[lt:]
		var i int
		switch {
		case strings.HasPrefix(s, "<!--"):
			i = endOf(s, "-->")
		case hasPrefixFold(s, "<script"):
			i = endOfFold(s, "</script>")
		case hasPrefixFold(s, "<style"):
			i = endOfFold(s, "</style>")
		default:
			i = endOf(s, ">")
		}
		if i < 0 {
			break
		}
		s = s[i:]
	}
	return oneLine(html.UnescapeString(b.String()), max)
}

// endOf is the index just past the first end in s, -1 without one.
func endOf(s, end string) int {
	if i := strings.Index(s, end); i >= 0 {
		return i + len(end)
	}
	return -1
}

// endOfFold is endOf for an ASCII end in any case, in one pass.
func endOfFold(s, end string) int {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		if hasPrefixFold(s[i:], end) {
			return i + len(end)
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return -1
}

// location is the redirect target of a 3xx answer that was not followed.
func (e *APIError) location() string {
	if e.StatusCode < 300 || e.StatusCode >= 400 || e.Response == nil {
		return ""
	}
	loc := e.Response.Header.Get("Location")
	if u, err := url.Parse(loc); err == nil {
		return u.Redacted()
	}
	return ""
}

func isHTML(h http.Header, body []byte) bool {
	if strings.Contains(strings.ToLower(h.Get("Content-Type")), "html") {
		return true
	}
	head := body[:min(len(body), len("<!doctype html"))]
	return hasPrefixFold(string(head), "<!doctype html") || hasPrefixFold(string(head), "<html")
}

// oneLine collapses whitespace and control characters and cuts s to max
// runes, so that a message from the wire cannot break a log line.
func oneLine(s string, max int) string {
	var b strings.Builder
	space, n := false, 0
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		if n >= max {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and its siblings work.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized && e.Code != codeInvalidLicense && e.Code != codeStoreUnauthorized
	case ErrInvalidLicense:
		return e.StatusCode == http.StatusUnauthorized && e.Code == codeInvalidLicense
	case ErrStoreUnauthorized:
		return e.StatusCode == http.StatusUnauthorized && e.Code == codeStoreUnauthorized
	case ErrQuotaExceeded:
		return isQuotaCode(e.Code) && (e.StatusCode == http.StatusPreconditionFailed || e.StatusCode == http.StatusBadRequest)
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrPermissionDenied:
		return e.StatusCode == http.StatusForbidden && e.Code == codeNoPermission
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// RetryAfter is the wait the answer asked for in its Retry-After header
// (seconds or an HTTP date), and whether it asked.
func (e *APIError) RetryAfter() (time.Duration, bool) {
	if e.Response == nil {
		return 0, false
	}
	return retry.RetryAfter(e.Response.Header.Get("Retry-After"), time.Now())
}

// Problem is one reason a request was refused before it was sent.
type Problem struct {
	// Field is the path of the offending value, named as on the wire:
	// "team_id", "market_url", "services[2].service_id".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// ValidationError lists every problem found in a request before it was
// sent. When a call returns one, nothing left the process.
type ValidationError struct {
	// Problems are in the order the fields were checked.
	Problems []Problem
}

// Error lists every problem on one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Reason
	}
	return "rainbond: invalid request: " + strings.Join(parts, "; ")
}

// Has reports whether field is among the problems.
func (e *ValidationError) Has(field string) bool {
	return slices.ContainsFunc(e.Problems, func(p Problem) bool { return p.Field == field })
}

// DecodeError is a 2xx answer whose body is not what the call expects:
// not JSON, cut short, of the wrong shape, empty, or over the size limit.
// The request was processed by the console: for an install or a copy, the
// resources were probably created.
type DecodeError struct {
	// Method and Path identify the request.
	Method string
	Path   string
	// Response is the answer; its Body holds what was read when the body
	// was not JSON.
	Response *Response
	// Err is the underlying problem (a *json.SyntaxError, io.ErrUnexpectedEOF,
	// ErrResponseTooLarge...).
	Err error
}

// Error describes the undecodable answer.
func (e *DecodeError) Error() string {
	status := 0
	if e.Response != nil {
		status = e.Response.StatusCode
	}
	return fmt.Sprintf("rainbond: %s %s: %d %s with a body that cannot be read as the expected JSON: %v",
		e.Method, e.Path, status, http.StatusText(status), e.Err)
}

// Unwrap returns the underlying problem.
func (e *DecodeError) Unwrap() error { return e.Err }

// TransportError is a call that got no complete HTTP answer: the console was
// unreachable, the connection broke, or a timeout or the context ended it.
type TransportError struct {
	// Method and Path identify the request.
	Method string
	Path   string
	// Attempts is how many times the request was tried.
	Attempts int
	// MaybeSent reports that the console may have received the request.
	// For an install or a copy, check what exists before calling again:
	// calling again may create the components a second time.
	MaybeSent bool
	// Err is the underlying error (net/http's *url.Error unwrapped: Method
	// and Path say the same). errors.Is(err, context.Canceled) and
	// context.DeadlineExceeded work through it. When its text held a
	// secret, Err is a redacted stand-in that matches what the original
	// matches with errors.Is and errors.As, without unwrapping to it.
	Err error

	once bool // a GET with effects, which must not be sent again blindly either
}

// Error describes the failure and, for a request the console may have
// received, says so.
func (e *TransportError) Error() string {
	msg := fmt.Sprintf("rainbond: %s %s: %v", e.Method, e.Path, e.Err)
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.MaybeSent && (!retry.Idempotent(e.Method) || e.once) {
		msg += " (the console may have received the request: check before sending it again)"
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the call ended on a timeout (the client's or the
// context's deadline).
func (e *TransportError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// retryAbortedError is a call whose wait before a retry was cut short by its
// context: it matches both the context's error and the last failure.
type retryAbortedError struct {
	ctxErr error
	last   error
}

func (e *retryAbortedError) Error() string {
	return fmt.Sprintf("%v (gave up waiting to retry: %v)", e.last, e.ctxErr)
}

func (e *retryAbortedError) Unwrap() []error { return []error{e.ctxErr, e.last} }

// ConfigError is [NewClient]'s refusal of its base URL or of an option's
// value: nothing was sent.
type ConfigError struct {
	// Setting is what is wrong: "base URL", or the option, e.g.
	// "WithToken".
	Setting string
	// Reason says why (never the token itself).
	Reason string
}

// Error names the setting and the reason.
func (e *ConfigError) Error() string { return "rainbond: " + e.Setting + ": " + e.Reason }

func configError(setting, format string, args ...any) error {
	return &ConfigError{Setting: setting, Reason: fmt.Sprintf(format, args...)}
}

// ErrNoOpenAPI is matched by an [*UnsupportedError] whose call went to an
// address that serves no Rainbond OpenAPI at all: a route every console
// has answered Django's "Not Found" page too. The base URL is wrong (a
// path prefix too many or too few), or the console runs with its OpenAPI
// turned off. It does not match [ErrUnsupported]: upgrading the console
// would not help.
var ErrNoOpenAPI = errors.New("rainbond: no Rainbond OpenAPI at this address")

// UnsupportedError is the answer of a console that does not have the
// endpoint a call needs. Every route of the console's OpenAPI answers JSON,
// its 404s included; a path no route matches gets Django's own HTML "Not
// Found" page. A console older than the endpoint answers so, and so does a
// console with its OpenAPI turned off (every call), or an address that is
// not the console's. A method the console's route does not have yet (405)
// is reported the same way.
//
// To tell the two apart, the SDK then asks for a route every console has
// (GET /openapi/v1/regions) once: when that answers Django's page too,
// NoOpenAPI is set and the error matches [ErrNoOpenAPI] instead of
// [ErrUnsupported]; when it answers JSON, the console is there and lacks
// this endpoint.
//
// It matches [ErrUnsupported] with errors.Is, and not [ErrNotFound]: the
// team, app or component was not looked for. The console's answer is
// reachable with errors.As as an [*APIError] all the same (its status,
// code and message), although it does not match ErrNotFound through it.
type UnsupportedError struct {
	// Method and Path identify the request.
	Method, Path string
	// Since is the console release that added the endpoint, e.g. "v5.4.0",
	// when the SDK knows it.
	Since string
	// NoOpenAPI reports that no route of the OpenAPI answered at this
	// address: see [ErrNoOpenAPI].
	NoOpenAPI bool
	// Response is the answer: Django's HTML page, or a 405.
	Response *Response

	answer *APIError // the answer, read as any error answer is
}

// Error says which endpoint is missing and since when consoles have it,
// or that the address serves no OpenAPI at all.
func (e *UnsupportedError) Error() string {
	if e.NoOpenAPI {
		return fmt.Sprintf("rainbond: %s %s: no Rainbond OpenAPI at this address: %s/regions, which every console has, "+
			"answers 404 too; check the base URL (the console's address, e.g. http://host:7070) and that the console's OpenAPI is turned on",
			e.Method, e.Path, e.apiRoot())
	}
	what := "this console does not have this endpoint"
	if e.Response != nil && e.Response.StatusCode == http.StatusMethodNotAllowed {
		what = "this console does not accept " + e.Method + " on this endpoint (405"
		if a := e.answer; a != nil && (a.Msg != "" || a.Detail != "") {
			what += ": " + oneLine(cmp.Or(a.Msg, a.Detail), 200)
		}
		if a := e.answer; a != nil && a.Code != 0 && a.Code != http.StatusMethodNotAllowed {
			what += fmt.Sprintf(" [code %d]", a.Code)
		}
		what += ")"
	}
	msg := fmt.Sprintf("rainbond: %s %s: %s", e.Method, e.Path, what)
	if e.Since != "" {
		msg += "; it was added in Rainbond console " + e.Since
	}
	return msg
}

// apiRoot is the request path's /openapi/v1 root, for messages.
func (e *UnsupportedError) apiRoot() string {
	if i := strings.Index(e.Path, apiPrefix); i >= 0 {
		return e.Path[:i+len(apiPrefix)]
	}
	return apiPrefix
}

// Is makes errors.Is(err, ErrUnsupported) work, or ErrNoOpenAPI when no
// route answered at all.
func (e *UnsupportedError) Is(target error) bool {
	if e.NoOpenAPI {
		return target == ErrNoOpenAPI
	}
	return target == ErrUnsupported
}

// As gives errors.As the console's answer as an *APIError. The answer is
// not unwrapped, so that errors.Is does not take the page for ErrNotFound.
func (e *UnsupportedError) As(target any) bool {
	if t, ok := target.(**APIError); ok && e.answer != nil {
		*t = e.answer
		return true
	}
	return false
}

// isDjangoNotFound reports Django's own 404 page, which the console sends
// for a path none of its routes match (its views answer JSON).
func isDjangoNotFound(resp *Response) bool {
	return resp.StatusCode == http.StatusNotFound && isHTML(resp.Header, resp.Body) &&
		bytes.Contains(resp.Body, []byte("<h1>Not Found</h1>"))
}

// markedError is an answer of the console that the SDK recognised as a
// documented outcome: it is the [*APIError] (errors.As) and also matches
// the outcome's sentinel (errors.Is).
type markedError struct {
	err  error // the call's error, through which the *APIError is reached
	mark error
	note string // what the sentinel means here, added to the message
}

func (e *markedError) Error() string {
	if e.note == "" {
		return e.err.Error()
	}
	return e.err.Error() + " (" + e.note + ")"
}

func (e *markedError) Unwrap() []error { return []error{e.err, e.mark} }

// mark wraps err, when it holds an APIError that match accepts, so that it
// also matches sentinel, keeping all err already matches (an
// UnsupportedError's ErrUnsupported, an earlier mark); any other error is
// returned as it is.
func mark(err error, sentinel error, note string, match func(*APIError) bool) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && match(apiErr) {
		return &markedError{err: err, mark: sentinel, note: note}
	}
	return err
}

package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
)

// Request is a call to any endpoint of the console's OpenAPI, for
// [Client.Do]: the way to reach an endpoint this package has no method for
// yet. Make one with [Client.NewRequest].
type Request struct {
	// Method is the HTTP method, e.g. "GET".
	Method string
	// Path is the endpoint's path below /openapi/v1, escaped, starting
	// with "/": "/teams/t1/regions/r1/apps/7/upgrade". Build it with
	// [JoinPath] so that values from users are escaped.
	Path string
	// Query is the query string; nil for none.
	Query url.Values
	// Body is encoded as JSON with the client's codec; nil sends no body.
	// A json.RawMessage is sent as it is.
	Body any
	// Secrets are values of the request (a password, an access key) that
	// must never be printed: they are redacted, like the token, from
	// errors, logs and the Response.
	Secrets []string
}

// requestFields is Request without its methods, for printing.
type requestFields Request

// printed renders r as fmt would with verb (%+v for the verbs that do not
// print structs), then redacts r.Secrets from the text, in every form.
func (r Request) printed(verb string) string {
	if verb != "%v" && verb != "%+v" && verb != "%#v" {
		verb = "%+v"
	}
	text := fmt.Sprintf(verb, requestFields(r))
	if verb == "%#v" {
		text = "rainbond.Request" + strings.TrimPrefix(text, "rainbond.requestFields")
	}
	return newRedactor(r.Secrets...).string(text)
}

// String prints the request with its Secrets redacted wherever they
// appear, the Body included.
func (r Request) String() string { return r.printed("%+v") }

// GoString is String for %#v.
func (r Request) GoString() string { return r.printed("%#v") }

// Format prints the request with its Secrets redacted, whatever the verb.
func (r Request) Format(f fmt.State, verb rune) {
	text := r.printed(fmt.FormatString(f, verb))
	if verb == 'v' {
		_, _ = io.WriteString(f, text)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), text)
}

// LogValue logs the request with its Secrets redacted.
func (r Request) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON encodes the request, Body included, with its Secrets
// redacted. (Client.Do sends the Body, encoded by the client's codec; this
// is for logs.)
func (r Request) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(requestFields(r))
	if err != nil {
		return nil, err
	}
	return newRedactor(r.Secrets...).bytes(b), nil
}

// NewRequest checks a method and a path and returns a [Request] for
// [Client.Do]. path is below /openapi/v1 and already escaped ([JoinPath]
// builds one); it must start with "/" and hold neither a query, a
// fragment, "." or ".." segments, nor a segment that holds "/", "\",
// spaces or control characters once unescaped (%2F: servers that decode
// it before routing would read other segments), so that a request can
// only reach the endpoint its path names.
func (c *Client) NewRequest(method, path string, body any) (*Request, error) {
	r := &Request{Method: method, Path: path, Body: body}
	v := validator{redact: c.creds().forms}
	r.check(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	return r, nil
}

// Do sends req with every guarantee a method of this package has: the
// token, the base URL, the retry policy (a POST is never sent twice unless
// it provably never left, or [ResendAfterAmbiguousFailure] is given), the
// size limit, redaction and typed errors ([*APIError], [*DecodeError],
// [*TransportError], and [*UnsupportedError] for a path the console does
// not have). A successful answer's JSON is decoded into out, a pointer (a
// *json.RawMessage keeps it raw); nil discards it. An empty successful
// body, which several console endpoints send, leaves out as it was.
func (c *Client) Do(ctx context.Context, req *Request, out any, callOpts ...CallOption) (*Response, error) {
	if req == nil {
		return nil, &ValidationError{Problems: []Problem{{Field: "request", Reason: "nil *Request"}}}
	}
	v := c.validator(ctx)
	req.check(&v)
	if err := v.err(); err != nil {
		return nil, err
	}
	r := &request{method: req.Method, path: req.Path, body: req.Body, opts: callOpts, raw: true, more: req.Secrets}
	if len(req.Query) > 0 {
		r.query = req.Query.Encode()
	}
	return c.do(ctx, r, out)
}

// methods are the HTTP methods Do sends.
var methods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true}

// check adds the request's problems to v, its secrets redacted.
func (r *Request) check(v *validator) {
	v.redact = v.redact.with(r.Secrets...)
	if !methods[r.Method] {
		v.add("method", "%q: not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", oneLine(r.Method, 20))
	}
	v.relativePath("path", r.Path)
}

// relativePath checks a path below the API's root, as Client.Do takes it.
func (v *validator) relativePath(field, p string) {
	switch {
	case !strings.HasPrefix(p, "/"):
		v.add(field, "must start with \"/\" (it is below /openapi/v1)")
		return
	case strings.ContainsAny(p, "?#"):
		v.add(field, "holds a query or a fragment; put the query in Request.Query")
		return
	case strings.ContainsFunc(p, isCtlOrSpace):
		v.add(field, "holds spaces or control characters; escape the segments with JoinPath")
		return
	}
	for _, seg := range strings.Split(p[1:], "/") {
		plain, err := url.PathUnescape(seg)
		switch {
		case err != nil:
			v.add(field, "a bad %%-escape: %v", errors.Unwrap(err))
			return
		case plain == "." || plain == "..":
			v.add(field, "a %q segment would leave the endpoint", plain)
			return
		case strings.ContainsAny(plain, `/\`):
			// Servers and proxies that decode %2F before routing (WSGI's
			// PATH_INFO, nginx's normalised URI) would read more
			// segments, and route the request elsewhere.
			v.add(field, "the segment %q holds a '/' or '\\' once unescaped: servers that decode %%2F would route it to another endpoint", oneLine(seg, 80))
			return
		case strings.ContainsFunc(plain, isCtlOrSpace):
			v.add(field, "the segment %q holds spaces or control characters once unescaped", oneLine(seg, 80))
			return
		}
	}
}

// JoinPath escapes each segment and joins them into a path for
// [Request].Path: JoinPath("teams", team, "regions", region) is
// "/teams/<team>/regions/<region>", with "?", "%" and the like in team or
// region escaped. A segment holding "/" or "\" is escaped too, and then
// refused by [Client.NewRequest] and [Client.Do]: servers that decode %2F
// before routing would take it for several segments. So a value can never
// reach another endpoint.
func JoinPath(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// Ptr returns a pointer to v, for the optional fields of requests:
// rainbond.Ptr(true), rainbond.Ptr("1.2").
func Ptr[T any](v T) *T { return &v }

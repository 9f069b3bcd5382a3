package rainbond

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// redacted is what is printed in place of a secret.
const redacted = "[REDACTED]"

func redactSecret(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// credentials are what a client must keep and never print: the token, the
// request headers that carry it, and the forms it may be echoed in.
type credentials struct {
	token  string
	forms  redactor // finds the token as a server might echo it
	noBody http.Header
	body   http.Header
}

// secret holds credentials behind a function. fmt prints a function as an
// address whatever the verb, and a function's captured values cannot be
// reached by reflection, so no fmt verb, slog handler or JSON encoder can
// print the token, even through the unexported fields of a Client (which
// fmt prints by reflection, nested pointers included, when a verb does not
// fit them).
type secret func() *credentials

func newSecret(c *credentials) secret { return func() *credentials { return c } }

// String prints the secret as [REDACTED].
func (s secret) String() string { return redacted }

// GoString prints the secret as [REDACTED], for %#v.
func (s secret) GoString() string { return redacted }

// Format prints the secret as [REDACTED] whatever the verb.
func (s secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue logs the secret as [REDACTED].
func (s secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON encodes the secret as "[REDACTED]".
func (s secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// secretText is a secret to find in text, in every form a server could
// echo it.
type secretText struct {
	value string
	// core is the secret's longest run of ASCII letters and digits, which
	// no encoding below changes: text without it holds no form, and the
	// forms are worked out only for text that has it.
	core  string
	once  sync.Once
	forms []string
}

func newSecretText(s string) *secretText {
	st := &secretText{}
	st.set(s)
	return st
}

// set makes st find s; st must be new.
func (st *secretText) set(s string) {
	core, run := "", 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isAlnum(s[i]) {
			run++
			continue
		}
		if run > len(core) {
			core = s[i-run : i]
		}
		run = 0
	}
	st.value, st.core = s, core
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// in reports whether text may hold the secret, cheaply.
func (st *secretText) in(text string) bool { return strings.Contains(text, st.core) }

func (st *secretText) all() []string {
	st.once.Do(func() { st.forms = secretForms(st.value) })
	return st.forms
}

// secretForms lists the ways a server could echo s that a person would
// still recognise: as is, URL-encoded (upper- or lower-case hex), and each
// of those JSON-escaped once or twice (with or without HTML escaping,
// ASCII-only as Python writes it, "/" escaped). A console token is plain
// hex, so for one the list is a single entry.
func secretForms(s string) []string {
	if s == "" {
		return nil
	}
	var forms []string
	add := func(f string) bool {
		if f == "" || contains(forms, f) {
			return false
		}
		forms = append(forms, f)
		return true
	}
	base := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	for _, b := range base[1:] {
		base = append(base, lowerHexEscapes(b))
	}
	for _, b := range base {
		add(b)
		for _, once := range jsonEscapes(b) {
			if add(once) {
				for _, twice := range jsonEscapes(once) {
					add(twice)
				}
			}
		}
	}
	return forms
}

// jsonEscapes are the ways s may appear inside a JSON string.
func jsonEscapes(s string) []string {
	quoted, _ := json.Marshal(s)
	html := string(quoted[1 : len(quoted)-1])
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	plain := strings.TrimSpace(buf.String())
	plain = plain[1 : len(plain)-1]
	return []string{html, plain, strings.ReplaceAll(plain, "/", `\/`), asciiEscaped(plain)}
}

// lowerHexEscapes writes the %XX escapes of s in lower case, as Go's
// canonical header names do.
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// asciiEscaped escapes every non-ASCII rune of s as \uXXXX, as Python's
// json.dumps does by default.
func asciiEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteString(`\u` + strconv.FormatInt(int64(0x10000+r), 16)[1:])
		}
	}
	return b.String()
}

// redactor replaces every form of some secrets.
type redactor []*secretText

// newRedactor finds the given secrets (empty ones are skipped).
func newRedactor(secrets ...string) redactor { return redactor(nil).with(secrets...) }

// with returns r extended with more secrets (a request's access key).
func (r redactor) with(secrets ...string) redactor {
	out := r
	for _, s := range secrets {
		if s != "" {
			out = append(out[:len(out):len(out)], newSecretText(s))
		}
	}
	return out
}

func (r redactor) inString(s string) bool {
	for _, st := range r {
		if st.in(s) {
			for _, f := range st.all() {
				if strings.Contains(s, f) {
					return true
				}
			}
		}
	}
	return false
}

// string redacts s.
func (r redactor) string(s string) string {
	for _, st := range r {
		if !st.in(s) {
			continue
		}
		for _, f := range st.all() {
			if strings.Contains(s, f) {
				s = strings.ReplaceAll(s, f, redacted)
			}
		}
	}
	return scrubURLPasswords(s)
}

// bytes redacts b, in place when nothing is found.
func (r redactor) bytes(b []byte) []byte {
	for _, st := range r {
		if !bytes.Contains(b, []byte(st.core)) {
			continue
		}
		for _, f := range st.all() {
			if bytes.Contains(b, []byte(f)) {
				b = bytes.ReplaceAll(b, []byte(f), []byte(redacted))
			}
		}
	}
	if bytes.Contains(b, []byte("://")) && bytes.IndexByte(b, '@') >= 0 {
		b = urlPassword.ReplaceAll(b, []byte("$1:"+redacted+"@"))
	}
	return b
}

// header returns h, or a redacted copy of it when a value or name holds a
// secret.
func (r redactor) header(h http.Header) http.Header {
	found := false
	for k, vs := range h {
		found = found || r.inString(k)
		for _, v := range vs {
			found = found || r.inString(v)
		}
	}
	if !found {
		return h
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		clean := make([]string, len(vs))
		for i, v := range vs {
			clean[i] = r.string(v)
		}
		out[r.string(k)] = clean
	}
	return out
}

// error returns err, or, when its message holds a secret, an error with a
// redacted message that still matches what err matches with errors.Is and
// errors.As.
func (r redactor) error(err error) error {
	if err == nil || !r.inString(err.Error()) {
		return err
	}
	return &scrubbedError{msg: r.string(err.Error()), orig: err}
}

// scrubbedError is an error whose message had a secret in it. It does not
// unwrap, so that the message with the secret cannot be reached by
// errors.Unwrap, but it answers errors.Is and errors.As as the original
// would (a context's error, a net.Error's Timeout).
type scrubbedError struct {
	msg  string
	orig error
}

func (e *scrubbedError) Error() string        { return e.msg }
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.orig, target) }
func (e *scrubbedError) As(target any) bool   { return errors.As(e.orig, target) }

// Timeout reports a timeout of the original error.
func (e *scrubbedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.orig, &t) && t.Timeout()
}

// Secret is a value that must never be printed: a password, an access key,
// a private key. Make one with [NewSecret] and read it with
// [Secret.Value]; everything that prints it gets [REDACTED]: every fmt
// verb, both slog handlers, json.Marshal and encoding.TextMarshaler users,
// whether the Secret stands alone or inside a struct, slice, map or
// pointer. The value is held behind a function, which fmt prints as an
// address whatever the verb and which reflection cannot read, so even
// fmt's fallback for a verb that does not fit (%!s(*T=&{…}), which calls
// no String or Format method) cannot print it. Every field of this
// package that holds a secret has this type, so a value that holds one is
// safe to print or log by construction. The zero Secret is empty and
// prints as "".
//
// Because it holds a function, a Secret is not comparable with ==, and
// reflect.DeepEqual (so testify's assert.Equal) reports two Secrets of the
// same value as different: compare their Value()s. A pointer would compare,
// but reflection (go-spew, testify's diffs) would then print the value.
type Secret struct {
	get func() string
}

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{get: func() string { return s }}
}

// Value returns the secret itself, for the code that must use it.
func (s Secret) Value() string {
	if s.get == nil {
		return ""
	}
	return s.get()
}

// IsZero reports an empty secret.
func (s Secret) IsZero() bool { return s.Value() == "" }

// String prints the secret as [REDACTED] ("" when empty).
func (s Secret) String() string { return redactSecret(s.Value()) }

// GoString prints the secret as [REDACTED], quoted, for %#v.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Format prints the secret as [REDACTED] whatever the verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s.GoString())
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// LogValue logs the secret as [REDACTED].
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes the secret as "[REDACTED]". The client sends the
// real value: its request bodies are encoded from their own wire types.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText encodes the secret as [REDACTED], for encoders that use
// encoding.TextMarshaler (map keys, YAML, TOML).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalJSON reads a secret from a JSON string (null is empty), as an
// answer carries one; any other JSON value is kept as its JSON text.
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v *string
	if err := json.Unmarshal(b, &v); err != nil {
		if !json.Valid(b) {
			return fmt.Errorf("rainbond: a secret must be JSON: %w", redactingError(err))
		}
		// Another JSON value (a number, an object) is kept, as its JSON
		// text, as the secret: refused, a decoder would keep it raw
		// among a struct's unknown members, where it would print.
		*s = NewSecret(string(bytes.TrimSpace(b)))
		return nil
	}
	*s = Secret{}
	if v != nil {
		*s = NewSecret(*v)
	}
	return nil
}

// redactingError drops the text of a JSON error, which may quote what it
// could not read.
func redactingError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("a %s, not a string", te.Value)
	}
	return errors.New("not valid JSON")
}

// urlPassword finds the password of a URL's userinfo: scheme://user:password@.
var urlPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^\s/@:]*):([^\s/@]+)@`)

// scrubURLPasswords replaces the password of every URL in s that carries
// one (a git clone URL in a build's failure, say) with [REDACTED]: text
// from the console or the cluster can hold credentials the client never
// knew.
func scrubURLPasswords(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return s
	}
	return urlPassword.ReplaceAllString(s, "$1:"+redacted+"@")
}

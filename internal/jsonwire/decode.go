// Package jsonwire decodes the console's JSON into Go values in one pass,
// with the console's looseness built in.
//
// It honours encoding/json's struct tags, json.Unmarshaler and
// encoding.TextUnmarshaler, and differs from encoding/json in three ways:
//
//   - Scalars convert: a JSON number, string, boolean or null decodes into
//     any Go scalar it can be read as. A number into a string field keeps its
//     literal text; a numeric string or a float into an integer field keeps
//     the number's integer part, exactly (9007199254740993.0 is
//     9007199254740993); 0/1 and "true"/"false" into a bool; null into
//     anything leaves the zero value. A string converts to a number only
//     when it is a plain decimal number: JSON's number grammar, or that
//     with a leading '+' (not " 12", "1_000", "0x1p4", "nan" or "inf").
//     The console returns many answers unvalidated (Python values as they
//     are), so the same member can arrive as 1, 1.0 or "1".
//   - Unknown members can be kept: a struct field of type
//     map[string]json.RawMessage tagged `jsonwire:"unknown"` receives every
//     member the struct has no field for, raw, in the same pass.
//   - A member that cannot be converted at all (an object where a string is
//     declared) goes to that unknown-members field too, so that one odd field
//     never fails a whole answer; only a struct without one reports a
//     *TypeError.
//
// Syntax is checked as strictly as encoding/json does: malformed JSON, or
// anything but whitespace after the value, is a *SyntaxError.
package jsonwire

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds nesting, as encoding/json does, so that hostile input
// cannot exhaust the stack.
const maxDepth = 10000

// SyntaxError is malformed JSON. Data that ends before the value does
// matches io.ErrUnexpectedEOF.
type SyntaxError struct {
	// Offset is the byte offset at which the problem was found.
	Offset int
	msg    string
	cut    bool
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.msg)
}

// Unwrap is io.ErrUnexpectedEOF for data cut short.
func (e *SyntaxError) Unwrap() error {
	if e.cut {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// TypeError is a JSON value that cannot be converted to the Go type of its
// destination, in a struct that keeps no unknown members.
type TypeError struct {
	// Member is the path of the member, e.g. "service_list[3].access_infos".
	Member string
	// JSON is the kind of value found: object, array, string, number,
	// boolean.
	JSON string
	// Go is the destination type.
	Go reflect.Type
}

func (e *TypeError) Error() string {
	where := e.Member
	if where == "" {
		where = "the value"
	}
	return fmt.Sprintf("%s: a JSON %s cannot be read as %s", where, e.JSON, e.Go)
}

// errMismatch is returned by a value decoder whose JSON cannot become its
// Go type; the enclosing struct decides what to do with the member.
var errMismatch = errors.New("jsonwire: mismatch")

// Unmarshal decodes the JSON value in data into v, a non-nil pointer.
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("jsonwire: Unmarshal needs a non-nil pointer, not %T", v)
	}
	c := codecFor(rv.Type().Elem())
	d := decoders.Get().(*decoder)
	*d = decoder{data: data, path: d.path[:0], kept: d.kept[:0], names: d.names}
	defer func() {
		d.data = nil
		if cap(d.kept) > maxPooledKept {
			d.kept = nil
		}
		decoders.Put(d)
	}()
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.syntax("no JSON value")
	}
	if err := c.dec(d, rv.UnsafePointer()); err != nil {
		if err == errMismatch {
			// As encoding/json does, report bad syntax anywhere in the
			// document before a value that does not fit.
			if serr := (&decoder{data: data}).document(); serr != nil {
				return serr
			}
		}
		return d.finish(err)
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return d.syntax("data after the JSON value")
	}
	return nil
}

// Valid reports whether data is exactly one JSON value, with the same
// syntax rules as Unmarshal.
func Valid(data []byte) bool {
	d := decoder{data: data}
	d.skipSpace()
	return d.pos < len(d.data) && d.document() == nil
}

// decoders are reused: the decode functions reach a decoder through
// function values, so a new one would always be allocated.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// decoder is the read position in one JSON document.
type decoder struct {
	data  []byte
	pos   int
	depth int
	// path collects, innermost first, the members and indexes a mismatch
	// passed through on its way up, for the message of a TypeError.
	path []string
	// mismatchKind is the JSON kind that caused the last errMismatch.
	mismatchKind string
	mismatchType reflect.Type
	// kept are the unknown members of the structs being decoded, the
	// innermost struct's last: their names and where their values are in
	// data. A struct copies its own into its unknown-members map when its
	// object ends (structPlan.flush), all values into one allocation.
	kept []keptMember
	// names interns unknown members' names: the same names come in every
	// component of an answer, and in every answer. It stays with the
	// pooled decoder, bounded by maxNames.
	names map[string]string
}

// keptMember is an unknown member waiting for its struct's object to end.
type keptMember struct {
	name       string
	start, end int // the raw value is data[start:end]
}

const (
	// maxNames bounds the interned names of a decoder; past it they
	// start over, so that odd names cannot grow it.
	maxNames = 256
	// maxNameLen is the longest name interned.
	maxNameLen = 64
	// maxPooledKept is the largest kept list a pooled decoder holds on to.
	maxPooledKept = 1024
)

// intern returns name as a string, the same string each time a decoder
// meets the same name, without allocating when it has met it before.
func (d *decoder) intern(name []byte) string {
	if s, ok := d.names[string(name)]; ok {
		return s
	}
	s := string(name)
	if len(name) <= maxNameLen {
		if d.names == nil {
			d.names = make(map[string]string, 16)
		} else if len(d.names) >= maxNames {
			clear(d.names)
		}
		d.names[s] = s
	}
	return s
}

// within records, for a mismatch on its way up, the member or index it
// passed through.
func (d *decoder) within(err error, segment string) error {
	if err == errMismatch {
		d.path = append(d.path, segment)
	}
	return err
}

// finish turns an errMismatch that reached the top into a TypeError.
func (d *decoder) finish(err error) error {
	if err == errMismatch {
		slices.Reverse(d.path)
		member := strings.TrimPrefix(strings.Join(d.path, ""), ".")
		return &TypeError{Member: member, JSON: d.mismatchKind, Go: d.mismatchType}
	}
	return err
}

func (d *decoder) syntax(msg string) error {
	if d.pos >= len(d.data) && len(d.data) > 0 {
		return &SyntaxError{Offset: d.pos, msg: "unexpected end of JSON", cut: true}
	}
	return &SyntaxError{Offset: d.pos, msg: msg}
}

// mismatch records what could not be converted.
func (d *decoder) mismatch(t reflect.Type) error {
	d.mismatchKind = kindName(d.peek())
	d.mismatchType = t
	return errMismatch
}

func kindName(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the first byte of the next value (after whitespace), or 0 at
// the end of the data.
func (d *decoder) peek() byte {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// expect consumes the byte c, after whitespace.
func (d *decoder) expect(c byte) error {
	if d.peek() != c {
		if d.pos >= len(d.data) {
			return d.syntax("unexpected end of JSON")
		}
		return d.syntax(fmt.Sprintf("want %q, found %q", c, d.data[d.pos]))
	}
	d.pos++
	return nil
}

// literal consumes one of null, true, false.
func (d *decoder) literal() (byte, error) {
	c := d.peek()
	var word string
	switch c {
	case 'n':
		word = "null"
	case 't':
		word = "true"
	case 'f':
		word = "false"
	default:
		return 0, d.syntax("invalid character")
	}
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return 0, d.syntax("invalid literal")
	}
	d.pos += len(word)
	return c, nil
}

// number consumes a JSON number and returns its text, which aliases the
// data.
func (d *decoder) number() ([]byte, error) {
	start := d.pos
	i := d.pos
	data := d.data
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	default:
		d.pos = i
		return nil, d.syntax("invalid number")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			d.pos = i
			return nil, d.syntax("invalid number")
		}
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			d.pos = i
			return nil, d.syntax("invalid number")
		}
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	}
	d.pos = i
	return data[start:i], nil
}

// rawString consumes a JSON string. Without escapes or invalid UTF-8 the
// contents alias the data and copied is false; otherwise they are a new,
// unescaped buffer.
func (d *decoder) rawString() (contents []byte, copied bool, err error) {
	if d.peek() != '"' {
		return nil, false, d.syntax("want a string")
	}
	data := d.data
	start := d.pos + 1
	for i := start; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			d.pos = i + 1
			return data[start:i], false, nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return d.slowString(start, i)
		}
	}
	d.pos = len(data)
	return nil, false, d.syntax("unterminated string")
}

// slowString unescapes a string from start, where i is the first byte that
// needs care. Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func (d *decoder) slowString(start, i int) ([]byte, bool, error) {
	data := d.data
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, data[start:i]...)
	clean := true
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			if clean {
				return data[start:i], false, nil
			}
			return buf, true, nil
		case c < 0x20:
			d.pos = i
			return nil, false, d.syntax("control character in string")
		case c == '\\':
			clean = false
			if i+1 >= len(data) {
				d.pos = i
				return nil, false, d.syntax("unterminated string")
			}
			i++
			switch data[i] {
			case '"', '\\', '/':
				buf = append(buf, data[i])
				i++
			case 'b':
				buf, i = append(buf, '\b'), i+1
			case 'f':
				buf, i = append(buf, '\f'), i+1
			case 'n':
				buf, i = append(buf, '\n'), i+1
			case 'r':
				buf, i = append(buf, '\r'), i+1
			case 't':
				buf, i = append(buf, '\t'), i+1
			case 'u':
				r, n, ok := unicodeEscape(data[i+1:])
				if !ok {
					d.pos = i
					return nil, false, d.syntax("invalid \\u escape")
				}
				buf, i = utf8.AppendRune(buf, r), i+1+n
			default:
				d.pos = i
				return nil, false, d.syntax("invalid escape")
			}
		case c < utf8.RuneSelf:
			buf, i = append(buf, c), i+1
		default:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				clean = false
			}
			buf, i = utf8.AppendRune(buf, r), i+n
		}
	}
	d.pos = len(data)
	return nil, false, d.syntax("unterminated string")
}

// unicodeEscape reads the hex digits after \u (and a following surrogate
// pair's second half), returning the rune and the bytes consumed.
func unicodeEscape(b []byte) (rune, int, bool) {
	r, ok := hex4(b)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r) {
		return r, 4, true
	}
	if len(b) >= 10 && b[4] == '\\' && b[5] == 'u' {
		if r2, ok := hex4(b[6:]); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, 10, true
			}
		}
	}
	return utf8.RuneError, 4, true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// str consumes a JSON string into a new Go string.
func (d *decoder) str() (string, error) {
	b, copied, err := d.rawString()
	if err != nil {
		return "", err
	}
	if copied {
		return unsafe.String(unsafe.SliceData(b), len(b)), nil // b is ours alone
	}
	return string(b), nil
}

// document checks the syntax of the whole data: one value and whitespace.
func (d *decoder) document() error {
	if err := d.skip(); err != nil {
		return err
	}
	if d.skipSpace(); d.pos != len(d.data) {
		return d.syntax("data after the JSON value")
	}
	return nil
}

// skip consumes one value of any kind, checking its syntax.
func (d *decoder) skip() error {
	switch c := d.peek(); c {
	case '{':
		return d.skipComposite('}')
	case '[':
		return d.skipComposite(']')
	case '"':
		_, _, err := d.rawString()
		return err
	case 'n', 't', 'f':
		_, err := d.literal()
		return err
	case 0:
		return d.syntax("unexpected end of JSON")
	default:
		_, err := d.number()
		return err
	}
}

func (d *decoder) skipComposite(end byte) error {
	if d.depth++; d.depth > maxDepth {
		return d.syntax("nested too deeply")
	}
	defer func() { d.depth-- }()
	d.pos++
	if d.peek() == end {
		d.pos++
		return nil
	}
	for {
		if end == '}' {
			if _, _, err := d.rawString(); err != nil {
				return err
			}
			if err := d.expect(':'); err != nil {
				return err
			}
		}
		if err := d.skip(); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case end:
			d.pos++
			return nil
		default:
			return d.syntax("want ',' or the end of the object or array")
		}
	}
}

// rawValue consumes one value and returns its bytes, aliasing the data.
func (d *decoder) rawValue() ([]byte, error) {
	d.skipSpace()
	start := d.pos
	if err := d.skip(); err != nil {
		return nil, err
	}
	return d.data[start:d.pos], nil
}

// keepRaw consumes one value and keeps it, under name, as an unknown
// member of the innermost struct being decoded.
func (d *decoder) keepRaw(name string) error {
	d.skipSpace()
	start := d.pos
	if err := d.skip(); err != nil {
		return err
	}
	d.kept = append(d.kept, keptMember{name: name, start: start, end: d.pos})
	return nil
}

// Scalars, read leniently. Each returns errMismatch for an object or array.

// scalarText returns the text a scalar converts to for a string
// destination: a string's contents, a number's literal, "true"/"false";
// null reports isNull.
func (d *decoder) scalarText(t reflect.Type) (s string, isNull bool, err error) {
	switch c := d.peek(); c {
	case '"':
		s, err = d.str()
		return s, false, err
	case 'n':
		_, err = d.literal()
		return "", true, err
	case 't', 'f':
		_, err = d.literal()
		if c == 't' {
			return "true", false, err
		}
		return "false", false, err
	case '{', '[':
		return "", false, d.mismatch(t)
	case 0:
		return "", false, d.syntax("unexpected end of JSON")
	default:
		n, err := d.number()
		return string(n), false, err
	}
}

// numberText returns the text of a number for a numeric destination: a
// number's literal, or a string's contents (quoted is then true: the text
// is not yet known to be a number). ok is false for null and for false
// (both zero).
func (d *decoder) numberText(t reflect.Type) (text []byte, quoted, isBool, boolVal, ok bool, err error) {
	switch c := d.peek(); c {
	case '"':
		b, _, err := d.rawString()
		return b, true, false, false, err == nil, err
	case 'n', 't', 'f':
		_, err := d.literal()
		return nil, false, c != 'n', c == 't', false, err
	case '{', '[':
		return nil, false, false, false, false, d.mismatch(t)
	case 0:
		return nil, false, false, false, false, d.syntax("unexpected end of JSON")
	default:
		n, err := d.number()
		return n, false, false, false, true, err
	}
}

// A string converts to a number only when it is a plain decimal number:
// the JSON number grammar (an optional '-', digits without a leading zero,
// an optional fraction, an optional exponent), with an optional leading
// '+' as well. Nothing else converts, not even what strconv or Python
// would read (" 12", "1_000", "0x1p4", "nan", "inf", "012").

// splitDecimal splits a plain decimal number into its sign, the digits
// before and after its decimal point, and its exponent (saturated far
// beyond any exponent that matters). ok is false for anything else.
func splitDecimal(b []byte) (neg bool, whole, frac []byte, exp int, ok bool) {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	start := i
	if i < len(b) && b[i] == '0' {
		i++
	} else {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i == start {
		return false, nil, nil, 0, false
	}
	whole = b[start:i]
	if i < len(b) && b[i] == '.' {
		i++
		start = i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false, nil, nil, 0, false
		}
		frac = b[start:i]
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		negExp := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			negExp = b[i] == '-'
			i++
		}
		start = i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if exp < 1e8 {
				exp = exp*10 + int(b[i]-'0')
			}
			i++
		}
		if i == start {
			return false, nil, nil, 0, false
		}
		if negExp {
			exp = -exp
		}
	}
	return neg, whole, frac, exp, i == len(b)
}

// integerPart returns the integer part of a plain decimal number, exactly
// (truncated toward zero: 2.9 → 2, -2.9 → -2), as a sign and a magnitude.
// ok is false for anything but a plain decimal number, and for a magnitude
// of 2^64 or more.
func integerPart(text []byte) (neg bool, mag uint64, ok bool) {
	neg, whole, frac, exp, ok := splitDecimal(text)
	if !ok {
		return false, 0, false
	}
	// The integer part's digits are the first len(whole)+exp digits of
	// whole and frac together, then zeros when there are fewer.
	for i, n := 0, len(whole)+exp; i < n; i++ {
		var c byte
		switch {
		case i < len(whole):
			c = whole[i]
		case i-len(whole) < len(frac):
			c = frac[i-len(whole)]
		case mag == 0:
			return neg, 0, true // zeros times a power of ten
		default:
			c = '0'
		}
		v := uint64(c - '0')
		if mag > (math.MaxUint64-v)/10 {
			return neg, 0, false
		}
		mag = mag*10 + v
	}
	return neg, mag, true
}

// parseInt reads an integer of the given size from text: a plain decimal
// number's integer part, exactly, when in range.
func parseInt(text []byte, bits int) (int64, bool) {
	if n, ok := digits(text); ok {
		if bits < 64 && (n < -1<<(bits-1) || n > 1<<(bits-1)-1) {
			return 0, false
		}
		return n, true
	}
	neg, mag, ok := integerPart(text)
	limit := uint64(1) << (bits - 1)
	switch {
	case !ok:
		return 0, false
	case neg && mag <= limit:
		return -int64(mag), true // -2^63 too: int64(2^63) wraps to itself
	case !neg && mag < limit:
		return int64(mag), true
	}
	return 0, false
}

// parseUint is parseInt for unsigned integers; a negative number whose
// integer part is 0 (-0.5) is 0.
func parseUint(text []byte, bits int) (uint64, bool) {
	if i, ok := digits(text); ok {
		if i < 0 || (bits < 64 && i >= 1<<bits) {
			return 0, false
		}
		return uint64(i), true
	}
	neg, mag, ok := integerPart(text)
	if !ok || (neg && mag != 0) || (bits < 64 && mag >= 1<<bits) {
		return 0, false
	}
	return mag, true
}

// digits parses an optionally signed run of up to 18 decimal digits, with
// no leading zero, without allocating: the integers of the fast path.
func digits(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, b = b[0] == '-', b[1:]
	}
	if len(b) == 0 || len(b) > 18 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// The scalar readers below return set == false for null, which leaves the
// destination as it was (as encoding/json does), and errMismatch for an
// object or array, a string that is not a plain decimal number, or a value
// out of the destination's range.

func (d *decoder) intValue(t reflect.Type, bits int) (n int64, set bool, err error) {
	start := d.pos
	text, _, isBool, b, ok, err := d.numberText(t)
	switch {
	case err != nil:
		return 0, false, err
	case isBool:
		return boolInt(b), true, nil
	case !ok:
		return 0, false, nil
	}
	n, good := parseInt(text, bits)
	if !good {
		d.pos = start
		return 0, false, d.mismatch(t)
	}
	return n, true, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (d *decoder) uintValue(t reflect.Type, bits int) (n uint64, set bool, err error) {
	start := d.pos
	text, _, isBool, b, ok, err := d.numberText(t)
	switch {
	case err != nil:
		return 0, false, err
	case isBool:
		return uint64(boolInt(b)), true, nil
	case !ok:
		return 0, false, nil
	}
	n, good := parseUint(text, bits)
	if !good {
		d.pos = start
		return 0, false, d.mismatch(t)
	}
	return n, true, nil
}

func (d *decoder) floatValue(t reflect.Type, bits int) (f float64, set bool, err error) {
	start := d.pos
	text, quoted, isBool, b, ok, err := d.numberText(t)
	switch {
	case err != nil:
		return 0, false, err
	case isBool:
		return float64(boolInt(b)), true, nil
	case !ok:
		return 0, false, nil
	}
	if quoted {
		if _, _, _, _, plain := splitDecimal(text); !plain {
			d.pos = start
			return 0, false, d.mismatch(t)
		}
	}
	f, perr := strconv.ParseFloat(string(text), bits)
	if perr != nil {
		d.pos = start
		return 0, false, d.mismatch(t)
	}
	return f, true, nil
}

func (d *decoder) boolValue(t reflect.Type) (v, set bool, err error) {
	start := d.pos
	switch c := d.peek(); c {
	case 't', 'f', 'n':
		_, err := d.literal()
		return c == 't', c != 'n' && err == nil, err
	case '"':
		s, err := d.str()
		if err != nil {
			return false, false, err
		}
		b, perr := strconv.ParseBool(strings.TrimSpace(s))
		if perr != nil {
			d.pos = start
			return false, false, d.mismatch(t)
		}
		return b, true, nil
	case '{', '[':
		return false, false, d.mismatch(t)
	case 0:
		return false, false, d.syntax("unexpected end of JSON")
	default:
		n, err := d.number()
		if err != nil {
			return false, false, err
		}
		f, _ := strconv.ParseFloat(string(n), 64)
		return f != 0, true, nil
	}
}

// Codecs: a decode function per Go type, built once and cached.

type decodeFn func(d *decoder, p unsafe.Pointer) error

type typeCodec struct {
	typ reflect.Type
	dec decodeFn
}

var cache sync.Map // reflect.Type → *typeCodec

func codecFor(t reflect.Type) *typeCodec {
	if c, ok := cache.Load(t); ok {
		return c.(*typeCodec)
	}
	b := builder{building: map[reflect.Type]*typeCodec{}}
	c := b.codec(t)
	// Publish only complete codecs: a recursive type's codec is
	// referenced before it is finished.
	for typ, built := range b.building {
		cache.LoadOrStore(typ, built)
	}
	actual, _ := cache.Load(t)
	if actual == nil {
		return c
	}
	return actual.(*typeCodec)
}

type builder struct {
	building map[reflect.Type]*typeCodec
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	extraType           = reflect.TypeFor[map[string]json.RawMessage]()
)

func (b *builder) codec(t reflect.Type) *typeCodec {
	if c, ok := cache.Load(t); ok {
		return c.(*typeCodec)
	}
	if c, ok := b.building[t]; ok {
		return c
	}
	c := &typeCodec{typ: t}
	b.building[t] = c
	c.dec = b.decoder(t)
	return c
}

func (b *builder) decoder(t reflect.Type) decodeFn {
	if t == rawMessageType {
		return decodeRaw
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType) {
		return unmarshalerDecoder(t)
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return textUnmarshalerDecoder(t)
	}
	switch t.Kind() {
	case reflect.String:
		return stringDecoder(t)
	case reflect.Bool:
		return func(d *decoder, p unsafe.Pointer) error {
			v, set, err := d.boolValue(t)
			if set {
				*(*bool)(p) = v
			}
			return err
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intDecoder(t)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintDecoder(t)
	case reflect.Float32, reflect.Float64:
		return floatDecoder(t)
	case reflect.Pointer:
		return b.pointerDecoder(t)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(unmarshalerType) {
			return bytesDecoder(t)
		}
		return b.sliceDecoder(t)
	case reflect.Array:
		return b.arrayDecoder(t)
	case reflect.Map:
		return b.mapDecoder(t)
	case reflect.Struct:
		return b.structDecoder(t)
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return func(d *decoder, p unsafe.Pointer) error {
				v, err := d.anyValue()
				if err == nil {
					reflect.NewAt(t, p).Elem().Set(reflect.ValueOf(&v).Elem())
				}
				return err
			}
		}
	}
	return fallbackDecoder(t)
}

func decodeRaw(d *decoder, p unsafe.Pointer) error {
	raw, err := d.rawValue()
	if err != nil {
		return err
	}
	*(*[]byte)(p) = append([]byte(nil), raw...)
	return nil
}

func unmarshalerDecoder(t reflect.Type) decodeFn {
	return func(d *decoder, p unsafe.Pointer) error {
		raw, err := d.rawValue()
		if err != nil {
			return err
		}
		return reflect.NewAt(t, p).Interface().(json.Unmarshaler).UnmarshalJSON(raw)
	}
}

func textUnmarshalerDecoder(t reflect.Type) decodeFn {
	return func(d *decoder, p unsafe.Pointer) error {
		switch d.peek() {
		case 'n':
			_, err := d.literal()
			return err
		case '"':
			b, _, err := d.rawString()
			if err != nil {
				return err
			}
			return reflect.NewAt(t, p).Interface().(encoding.TextUnmarshaler).UnmarshalText(b)
		case 0:
			return d.syntax("unexpected end of JSON")
		default:
			return d.mismatch(t)
		}
	}
}

// fallbackDecoder hands kinds this package does not decode itself
// (non-empty interfaces, channels, functions, complex numbers) to
// encoding/json, which reports them.
func fallbackDecoder(t reflect.Type) decodeFn {
	return func(d *decoder, p unsafe.Pointer) error {
		raw, err := d.rawValue()
		if err != nil {
			return err
		}
		return json.Unmarshal(raw, reflect.NewAt(t, p).Interface())
	}
}

func stringDecoder(t reflect.Type) decodeFn {
	if t == reflect.TypeFor[string]() {
		return func(d *decoder, p unsafe.Pointer) error {
			s, isNull, err := d.scalarText(t)
			if err == nil && !isNull {
				*(*string)(p) = s
			}
			return err
		}
	}
	return func(d *decoder, p unsafe.Pointer) error {
		s, isNull, err := d.scalarText(t)
		if err == nil && !isNull {
			reflect.NewAt(t, p).Elem().SetString(s)
		}
		return err
	}
}

func intDecoder(t reflect.Type) decodeFn {
	bits := t.Bits()
	return func(d *decoder, p unsafe.Pointer) error {
		n, set, err := d.intValue(t, bits)
		if !set {
			return err
		}
		switch bits {
		case 8:
			*(*int8)(p) = int8(n)
		case 16:
			*(*int16)(p) = int16(n)
		case 32:
			*(*int32)(p) = int32(n)
		default:
			*(*int64)(p) = n
		}
		return nil
	}
}

func uintDecoder(t reflect.Type) decodeFn {
	bits := t.Bits()
	return func(d *decoder, p unsafe.Pointer) error {
		n, set, err := d.uintValue(t, bits)
		if !set {
			return err
		}
		switch bits {
		case 8:
			*(*uint8)(p) = uint8(n)
		case 16:
			*(*uint16)(p) = uint16(n)
		case 32:
			*(*uint32)(p) = uint32(n)
		default:
			*(*uint64)(p) = n
		}
		return nil
	}
}

func floatDecoder(t reflect.Type) decodeFn {
	bits := t.Bits()
	return func(d *decoder, p unsafe.Pointer) error {
		f, set, err := d.floatValue(t, bits)
		if !set {
			return err
		}
		if bits == 32 {
			*(*float32)(p) = float32(f)
		} else {
			*(*float64)(p) = f
		}
		return nil
	}
}

// bytesDecoder reads a []byte from base64 text, as encoding/json does.
func bytesDecoder(t reflect.Type) decodeFn {
	return func(d *decoder, p unsafe.Pointer) error {
		switch d.peek() {
		case 'n':
			_, err := d.literal()
			reflect.NewAt(t, p).Elem().SetZero()
			return err
		case '"':
			b, _, err := d.rawString()
			if err != nil {
				return err
			}
			out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
			n, derr := base64.StdEncoding.Decode(out, b)
			if derr != nil {
				return d.mismatch(t)
			}
			reflect.NewAt(t, p).Elem().SetBytes(out[:n])
			return nil
		case 0:
			return d.syntax("unexpected end of JSON")
		default:
			return d.mismatch(t)
		}
	}
}

func (b *builder) pointerDecoder(t reflect.Type) decodeFn {
	elem := b.codec(t.Elem())
	return func(d *decoder, p unsafe.Pointer) error {
		if d.peek() == 'n' {
			_, err := d.literal()
			*(*unsafe.Pointer)(p) = nil
			return err
		}
		target := *(*unsafe.Pointer)(p)
		if target == nil {
			target = reflect.New(t.Elem()).UnsafePointer()
			*(*unsafe.Pointer)(p) = target
		}
		return elem.dec(d, target)
	}
}

// sliceHeader is the layout of a slice, for the slice decoder, which
// writes slice headers itself rather than through reflect (whose
// MakeSlice allocates a header each time).
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// zeroArray is where an empty, non-nil slice points, as make([]T, 0)'s
// do.
var zeroArray [0]uint64

func (b *builder) sliceDecoder(t reflect.Type) decodeFn {
	elem := b.codec(t.Elem())
	size := t.Elem().Size()
	return func(d *decoder, p unsafe.Pointer) error {
		s := (*sliceHeader)(p)
		switch d.peek() {
		case 'n':
			_, err := d.literal()
			*s = sliceHeader{}
			return err
		case '[':
		case 0:
			return d.syntax("unexpected end of JSON")
		default:
			return d.mismatch(t)
		}
		if d.depth++; d.depth > maxDepth {
			return d.syntax("nested too deeply")
		}
		defer func() { d.depth-- }()
		d.pos++
		s.len = 0
		reused := s.cap // elements of the caller's array may hold old values
		if d.peek() == ']' {
			d.pos++
			if s.data == nil {
				s.data = unsafe.Pointer(&zeroArray)
			}
			return nil
		}
		for i := 0; ; i++ {
			if i == s.cap {
				grow(t, s, max(4, 2*i))
				reused = 0 // a new array is zeroed
			}
			s.len = i + 1
			at := unsafe.Add(s.data, uintptr(i)*size)
			if i < reused {
				reflect.NewAt(t.Elem(), at).Elem().SetZero()
			}
			if err := elem.dec(d, at); err != nil {
				return d.within(err, "["+strconv.Itoa(i)+"]")
			}
			switch d.peek() {
			case ',':
				d.pos++
			case ']':
				d.pos++
				return nil
			default:
				return d.syntax("want ',' or ']' in an array")
			}
		}
	}
}

// grow moves the slice s of type t to a new array of n elements.
func grow(t reflect.Type, s *sliceHeader, n int) {
	grown := reflect.MakeSlice(t, s.len, n)
	data := grown.UnsafePointer()
	if s.len > 0 {
		reflect.Copy(grown, reflect.NewAt(t, unsafe.Pointer(s)).Elem())
	}
	*s = sliceHeader{data: data, len: s.len, cap: n}
}

func (b *builder) arrayDecoder(t reflect.Type) decodeFn {
	elem := b.codec(t.Elem())
	size := t.Elem().Size()
	n := t.Len()
	return func(d *decoder, p unsafe.Pointer) error {
		switch d.peek() {
		case 'n':
			_, err := d.literal()
			return err
		case '[':
		case 0:
			return d.syntax("unexpected end of JSON")
		default:
			return d.mismatch(t)
		}
		reflect.NewAt(t, p).Elem().SetZero()
		if d.depth++; d.depth > maxDepth {
			return d.syntax("nested too deeply")
		}
		defer func() { d.depth-- }()
		d.pos++
		if d.peek() == ']' {
			d.pos++
			return nil
		}
		for i := 0; ; i++ {
			var err error
			if i < n {
				err = elem.dec(d, unsafe.Add(p, uintptr(i)*size))
			} else {
				err = d.skip() // encoding/json drops extra elements too
			}
			if err != nil {
				return d.within(err, "["+strconv.Itoa(i)+"]")
			}
			switch d.peek() {
			case ',':
				d.pos++
			case ']':
				d.pos++
				return nil
			default:
				return d.syntax("want ',' or ']' in an array")
			}
		}
	}
}

func (b *builder) mapDecoder(t reflect.Type) decodeFn {
	key := t.Key()
	var keyOf func(name string) (reflect.Value, bool)
	switch {
	case key.Kind() == reflect.String:
		keyOf = func(name string) (reflect.Value, bool) { return reflect.ValueOf(name).Convert(key), true }
	case key.Kind() >= reflect.Int && key.Kind() <= reflect.Int64:
		keyOf = func(name string) (reflect.Value, bool) {
			n, err := strconv.ParseInt(name, 10, key.Bits())
			return reflect.ValueOf(n).Convert(key), err == nil
		}
	case key.Kind() >= reflect.Uint && key.Kind() <= reflect.Uintptr:
		keyOf = func(name string) (reflect.Value, bool) {
			n, err := strconv.ParseUint(name, 10, key.Bits())
			return reflect.ValueOf(n).Convert(key), err == nil
		}
	default:
		return fallbackDecoder(t)
	}
	elem := b.codec(t.Elem())
	return func(d *decoder, p unsafe.Pointer) error {
		switch d.peek() {
		case 'n':
			_, err := d.literal()
			reflect.NewAt(t, p).Elem().SetZero()
			return err
		case '{':
		case 0:
			return d.syntax("unexpected end of JSON")
		default:
			return d.mismatch(t)
		}
		m := reflect.NewAt(t, p).Elem()
		if m.IsNil() {
			m.Set(reflect.MakeMap(t))
		}
		return d.object(func(name []byte) error {
			k, ok := keyOf(string(name))
			if !ok {
				return d.mismatch(t)
			}
			v := reflect.New(t.Elem())
			if err := elem.dec(d, v.UnsafePointer()); err != nil {
				return d.within(err, "."+string(name))
			}
			m.SetMapIndex(k, v.Elem())
			return nil
		})
	}
}

// object walks the members of an object (at '{'), calling member with
// each name, positioned at its value, which member must consume. The name
// may alias the data.
func (d *decoder) object(member func(name []byte) error) error {
	if d.depth++; d.depth > maxDepth {
		return d.syntax("nested too deeply")
	}
	defer func() { d.depth-- }()
	d.pos++
	if d.peek() == '}' {
		d.pos++
		return nil
	}
	for {
		name, _, err := d.rawString()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		if err := member(name); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return nil
		default:
			return d.syntax("want ',' or '}' in an object")
		}
	}
}

// anyValue decodes into the types encoding/json uses for an interface{}.
func (d *decoder) anyValue() (any, error) {
	switch c := d.peek(); c {
	case '{':
		m := map[string]any{}
		err := d.object(func(name []byte) error {
			v, err := d.anyValue()
			m[string(name)] = v
			return err
		})
		return m, err
	case '[':
		if d.depth++; d.depth > maxDepth {
			return nil, d.syntax("nested too deeply")
		}
		defer func() { d.depth-- }()
		d.pos++
		list := []any{}
		if d.peek() == ']' {
			d.pos++
			return list, nil
		}
		for {
			v, err := d.anyValue()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			switch d.peek() {
			case ',':
				d.pos++
			case ']':
				d.pos++
				return list, nil
			default:
				return nil, d.syntax("want ',' or ']' in an array")
			}
		}
	case '"':
		return d.str()
	case 'n', 't', 'f':
		_, err := d.literal()
		if c == 'n' {
			return nil, err
		}
		return c == 't', err
	case 0:
		return nil, d.syntax("unexpected end of JSON")
	default:
		n, err := d.number()
		if err != nil {
			return nil, err
		}
		f, perr := strconv.ParseFloat(string(n), 64)
		if perr != nil {
			d.pos -= len(n)
			return nil, d.mismatch(reflect.TypeFor[float64]())
		}
		return f, nil
	}
}

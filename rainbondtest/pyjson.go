package rainbondtest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Python's json.loads, as far as its errors go: the console reads bodies
// with DRF's JSONParser (json.load through a UTF-8 stream reader, NaN and
// the infinities refused) and some views decode members with json.loads.
// Their error text is the message and position CPython's C scanner
// (Modules/_json.c) gives.

// pyJSONCheck returns the text of the ValueError Python raises reading
// body as JSON, "" when it reads; decoded is the text Python reads: the
// body decoded as UTF-8 by a stream reader, which drops an incomplete
// sequence at the end. strict refuses NaN, Infinity and -Infinity as
// DRF's parse_constant does.
func pyJSONCheck(body []byte, strict bool) (decoded, errText string) {
	decoded, errText = pyStreamDecodeUTF8(body)
	if errText != "" {
		return "", errText
	}
	if strings.HasPrefix(decoded, "\ufeff") {
		return "", pyJSONError("Unexpected UTF-8 BOM (decode using utf-8-sig)", decoded, 0)
	}
	sc := &pyScanner{s: []rune(decoded), strict: strict}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(pyScanError)
			if !ok {
				panic(r)
			}
			decoded, errText = "", e.text
		}
	}()
	end := sc.value(sc.skipWS(0))
	if end = sc.skipWS(end); end != len(sc.s) {
		sc.fail("Extra data", end)
	}
	return decoded, ""
}

// pyStreamDecodeUTF8 is codecs' StreamReader for UTF-8 reading a whole
// stream: strict, except that an incomplete sequence at the end is kept
// for a next read that never comes.
func pyStreamDecodeUTF8(b []byte) (string, string) {
	var out strings.Builder
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			out.WriteRune(r)
			i += size
			continue
		}
		if !utf8.FullRune(b[i:]) && validPrefix(b[i:]) || len(b)-i == 2 && b[i] == 0xed && b[i+1] >= 0xa0 && b[i+1] <= 0xbf {
			break // incomplete at the end (a truncated surrogate counts as one)
		}
		n := 1 // the bytes of a valid prefix before the bad one
		for n < len(b)-i && validPrefix(b[i:i+n+1]) {
			n++
		}
		reason := "invalid continuation byte"
		if c := b[i]; c < 0xc2 || c > 0xf4 {
			reason = "invalid start byte"
		}
		if n == 1 {
			return "", fmt.Sprintf("'utf-8' codec can't decode byte 0x%02x in position %d: %s", b[i], i, reason)
		}
		return "", fmt.Sprintf("'utf-8' codec can't decode bytes in position %d-%d: %s", i, i+n-1, reason)
	}
	return out.String(), ""
}

// validPrefix reports whether p could start a valid UTF-8 sequence.
func validPrefix(p []byte) bool {
	c := p[0]
	if c < 0xc2 || c > 0xf4 {
		return false
	}
	lo, hi := byte(0x80), byte(0xbf)
	switch c {
	case 0xe0:
		lo = 0xa0
	case 0xed:
		hi = 0x9f
	case 0xf0:
		lo = 0x90
	case 0xf4:
		hi = 0x8f
	}
	need := 2
	if c >= 0xe0 {
		need = 3
	}
	if c >= 0xf0 {
		need = 4
	}
	if len(p) > need {
		return false
	}
	for i, x := range p[1:] {
		if i == 0 && (x < lo || x > hi) || i > 0 && (x < 0x80 || x > 0xbf) {
			return false
		}
	}
	return true
}

// pyJSONError is str(JSONDecodeError(msg, doc, pos)).
func pyJSONError(msg, doc string, pos int) string {
	s := []rune(doc)
	line, col := 1, pos+1
	for i := 0; i < pos && i < len(s); i++ {
		if s[i] == '\n' {
			line, col = line+1, pos-i
		}
	}
	return fmt.Sprintf("%s: line %d column %d (char %d)", msg, line, col, pos)
}

type pyScanError struct{ text string }

// pyScanner is the C scanner over the decoded text; it panics with a
// pyScanError.
type pyScanner struct {
	s      []rune
	strict bool
}

func (sc *pyScanner) fail(msg string, pos int) {
	panic(pyScanError{pyJSONError(msg, string(sc.s), pos)})
}

func (sc *pyScanner) skipWS(i int) int {
	for i < len(sc.s) && strings.ContainsRune(" \t\n\r", sc.s[i]) {
		i++
	}
	return i
}

func (sc *pyScanner) has(i int, word string) bool {
	return i+len(word) <= len(sc.s) && string(sc.s[i:i+len(word)]) == word
}

// value is scan_once: the end of the value at i, or "Expecting value".
func (sc *pyScanner) value(i int) int {
	if i >= len(sc.s) {
		sc.fail("Expecting value", i)
	}
	switch sc.s[i] {
	case '"':
		return sc.str(i + 1)
	case '{':
		return sc.object(i + 1)
	case '[':
		return sc.array(i + 1)
	}
	for _, word := range []string{"null", "true", "false", "NaN", "Infinity", "-Infinity"} {
		if sc.has(i, word) {
			if sc.strict && (word == "NaN" || strings.HasSuffix(word, "Infinity")) {
				panic(pyScanError{"Out of range float values are not JSON compliant: " + pyRepr(word)})
			}
			return i + len(word)
		}
	}
	return sc.number(i)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// number is _match_number_unicode.
func (sc *pyScanner) number(start int) int {
	i, n := start, len(sc.s)
	if sc.s[i] == '-' {
		if i++; i >= n {
			sc.fail("Expecting value", start)
		}
	}
	switch {
	case sc.s[i] >= '1' && sc.s[i] <= '9':
		for i++; i < n && isDigit(sc.s[i]); i++ {
		}
	case sc.s[i] == '0':
		i++
	default:
		sc.fail("Expecting value", start)
	}
	if i < n-1 && sc.s[i] == '.' && isDigit(sc.s[i+1]) {
		for i += 2; i < n && isDigit(sc.s[i]); i++ {
		}
	}
	if i < n-1 && (sc.s[i] == 'e' || sc.s[i] == 'E') {
		e := i
		if i++; i < n-1 && (sc.s[i] == '-' || sc.s[i] == '+') {
			i++
		}
		for ; i < n && isDigit(sc.s[i]); i++ {
		}
		if !isDigit(sc.s[i-1]) {
			i = e
		}
	}
	return i
}

// str is scanstring_unicode from just after the opening quote.
func (sc *pyScanner) str(end int) int {
	begin, n := end-1, len(sc.s)
	for {
		next := end
		for ; next < n && sc.s[next] != '"' && sc.s[next] != '\\'; next++ {
			if sc.s[next] <= 0x1f {
				sc.fail("Invalid control character at", next)
			}
		}
		if next >= n {
			sc.fail("Unterminated string starting at", begin)
		}
		if sc.s[next] == '"' {
			return next + 1
		}
		if next++; next == n {
			sc.fail("Unterminated string starting at", begin)
		}
		if sc.s[next] != 'u' {
			if !strings.ContainsRune(`"\/bfnrt`, sc.s[next]) {
				sc.fail(`Invalid \escape`, next-1)
			}
			end = next + 1
			continue
		}
		next++
		end = next + 4
		if end >= n {
			sc.fail(`Invalid \uXXXX escape`, next-1)
		}
		c := sc.hex4(next, end)
		if c >= 0xd800 && c <= 0xdbff && end+6 < n && sc.s[end] == '\\' && sc.s[end+1] == 'u' {
			if c2 := sc.hex4(end+2, end+6); c2 >= 0xdc00 && c2 <= 0xdfff {
				end += 6
			}
		}
	}
}

func (sc *pyScanner) hex4(from, end int) int {
	c := 0
	for _, r := range sc.s[from:end] {
		d := strings.IndexRune("0123456789abcdef", r)
		if d < 0 && 'A' <= r && r <= 'F' {
			d = int(r-'A') + 10
		}
		if d < 0 {
			sc.fail(`Invalid \uXXXX escape`, end-5)
		}
		c = c<<4 | d
	}
	return c
}

// object is _parse_object_unicode from just after the '{'.
func (sc *pyScanner) object(i int) int {
	n := len(sc.s)
	if i = sc.skipWS(i); i < n && sc.s[i] == '}' {
		return i + 1
	}
	for {
		if i >= n || sc.s[i] != '"' {
			sc.fail("Expecting property name enclosed in double quotes", i)
		}
		if i = sc.skipWS(sc.str(i + 1)); i >= n || sc.s[i] != ':' {
			sc.fail("Expecting ':' delimiter", i)
		}
		i = sc.skipWS(sc.value(sc.skipWS(i + 1)))
		if i < n && sc.s[i] == '}' {
			return i + 1
		}
		if i >= n || sc.s[i] != ',' {
			sc.fail("Expecting ',' delimiter", i)
		}
		i = sc.skipWS(i + 1)
	}
}

// array is _parse_array_unicode from just after the '['.
func (sc *pyScanner) array(i int) int {
	n := len(sc.s)
	if i = sc.skipWS(i); i < n && sc.s[i] == ']' {
		return i + 1
	}
	for {
		i = sc.skipWS(sc.value(i))
		if i < n && sc.s[i] == ']' {
			return i + 1
		}
		if i >= n || sc.s[i] != ',' {
			sc.fail("Expecting ',' delimiter", i)
		}
		i = sc.skipWS(i + 1)
	}
}

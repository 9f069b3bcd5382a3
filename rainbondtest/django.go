package rainbondtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The pieces of Django and DRF the platform routes need beyond drf.go's:
// CharField's min_length, EmailField with Django's EmailValidator, and
// request.GET as QueryDict reads a query string.

// minLength is CharField's min_length over a value that passed the other
// checks.
func minLength(errs *drfErrors, out map[string]*string, name string, n int) {
	if v := out[name]; v != nil && utf8.RuneCountInString(*v) < n {
		errs.add(name, fmt.Sprintf("请确保这个字段至少包含 %d 个字符。", n), "min_length")
		delete(out, name)
	}
}

// drfEmail is an optional EmailField: a CharField whose every validator
// runs, the length and Django's EmailValidator.
func drfEmail(errs *drfErrors, data map[string]any, name string, maxLen int) {
	v, present := data[name]
	if !present {
		return
	}
	var s string
	switch v := v.(type) {
	case nil:
		errs.add(name, "该字段不能为 null。", "null")
		return
	case string:
		s = strings.TrimSpace(v)
	case json.Number:
		s = v.String()
	default:
		errs.add(name, "不是有效的字符串。", "invalid")
		return
	}
	if s == "" {
		errs.add(name, "该字段不能为空。", "blank")
		return
	}
	if utf8.RuneCountInString(s) > maxLen {
		errs.add(name, fmt.Sprintf("请确保这个字段不能超过 %d 个字符。", maxLen), "max_length")
	}
	if !validEmail(s) {
		errs.add(name, "请输入合法的邮件地址。", "invalid")
	}
}

// Django's EmailValidator.
var (
	emailUserPart   = regexp.MustCompile(`(?i)^(?:[-!#$%&'*+/=?^_` + "`" + `{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_` + "`" + `{}|~0-9A-Z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")$`)
	emailDomainPart = regexp.MustCompile(`(?i)^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}$`)
)

func validEmail(value string) bool {
	at := strings.LastIndexByte(value, '@')
	if at < 0 || len(value) > 320 {
		return false
	}
	local, domain := value[:at], value[at+1:]
	if !emailUserPart.MatchString(local) {
		return false
	}
	if domain == "localhost" || validEmailDomain(domain) {
		return true
	}
	labels := strings.Split(domain, ".")
	for i, l := range labels {
		if !isASCII(l) {
			labels[i] = "xn--" + punycode(strings.ToLower(l))
		}
	}
	return validEmailDomain(strings.Join(labels, "."))
}

func validEmailDomain(domain string) bool {
	return emailDomainPart.MatchString(domain) && !strings.HasSuffix(domain, "-")
}

// mysqlError is an error MySQL (strict mode, as the console's database
// runs) raises on a write, as Django passes it on: its class and str().
type mysqlError struct{ errType, text string }

func refusedNull(column string) mysqlError {
	return mysqlError{"IntegrityError", "(1048, \"Column '" + column + "' cannot be null\")"}
}

func tooLong(column string) mysqlError {
	return mysqlError{"DataError", "(1406, \"Data too long for column '" + column + "' at row 1\")"}
}

func duplicate(column, value string) mysqlError {
	return mysqlError{"IntegrityError", "(1062, \"Duplicate entry '" + value + "' for key '" + column + "'\")"}
}

// dbError answers a failed write: the exception escapes the view, a 500.
func (c *call) dbError(e mysqlError) {
	c.serverError(e.errType, e.text)
}

// varchar is a value for a column of width characters.
type varchar struct {
	column, value string
	width         int
}

// firstTooLong is MySQL's refusal of the first value, in the table's
// column order, wider than its column.
func firstTooLong(values ...varchar) (mysqlError, bool) {
	for _, v := range values {
		if utf8.RuneCountInString(v.value) > v.width {
			return tooLong(v.column), true
		}
	}
	return mysqlError{}, false
}

// djangoQS is request.GET as Django's QueryDict reads the query string:
// pairs split on '&' only, '+' a space, escapes decoded (a bad one kept),
// a repeated name giving its last value.
type djangoQS map[string][]string

func djangoQuery(raw string) djangoQS {
	q := djangoQS{}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		name, value = pyUnquotePlus(name), pyUnquotePlus(value)
		q[name] = append(q[name], value)
	}
	return q
}

func (q djangoQS) get(name string) (string, bool) {
	v := q[name]
	if len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

// int is int(request.GET.get(name, def)); ok is false, text the value,
// when int() refuses it.
func (q djangoQS) int(name string, def int) (n int, text string, ok bool) {
	v, present := q.get(name)
	if !present {
		return def, "", true
	}
	i, ok := pyIntText(v)
	return int(i), v, ok
}

// intOr is int(request.GET.get(name, def)), def when int() fails (the
// views that catch the ValueError).
func (q djangoQS) intOr(name string, def int) int {
	if n, _, ok := q.int(name, def); ok {
		return n
	}
	return def
}

// queryInt is int(request.GET.get(name, def)) uncaught: its ValueError
// is a 500. false when answered.
func (c *call) queryInt(name string, def int) (int, bool) {
	n, text, ok := djangoQuery(c.r.URL.RawQuery).int(name, def)
	if !ok {
		c.serverError("ValueError", "invalid literal for int() with base 10: "+pyRepr(text))
	}
	return n, ok
}

// pyUnquotePlus is urllib's unquote_plus: '+' a space, %XX bytes decoded
// as UTF-8 with replacement, a '%' that starts no escape kept.
func pyUnquotePlus(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

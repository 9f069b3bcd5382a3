package rainbondtest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Helpers for the views that turn a DRF ValidationError into text
// (str(e) is the Python repr of the error dict) and for the values DRF
// fields take, shared by the routes of canary.go, appmodel.go and the
// others.

// drfError is one ErrorDetail: its message and code.
type drfError struct{ msg, code string }

// drfErrors are a serializer's errors, in the order of its fields.
type drfErrors struct {
	order []string
	by    map[string][]drfError
}

func (e *drfErrors) add(field, msg, code string) {
	if e.by == nil {
		e.by = map[string][]drfError{}
	}
	if _, seen := e.by[field]; !seen {
		e.order = append(e.order, field)
	}
	e.by[field] = append(e.by[field], drfError{msg, code})
}

func (e *drfErrors) empty() bool { return len(e.order) == 0 }

// repr is str(ValidationError(errors)): the Python repr of a dict of
// lists of ErrorDetail.
func (e *drfErrors) repr() string {
	var b strings.Builder
	b.WriteString("{")
	for i, field := range e.order {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyRepr(field) + ": [")
		for j, d := range e.by[field] {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "ErrorDetail(string=%s, code=%s)", pyRepr(d.msg), pyRepr(d.code))
		}
		b.WriteString("]")
	}
	b.WriteString("}")
	return b.String()
}

// fields is the errors as the DRF handler answers them: field → messages.
func (e *drfErrors) fields() map[string][]string {
	out := make(map[string][]string, len(e.order))
	for _, f := range e.order {
		for _, d := range e.by[f] {
			out[f] = append(out[f], d.msg)
		}
	}
	return out
}

// pyRepr is Python's repr of a str: single quotes unless the text holds
// one and no double quote.
func pyRepr(s string) string {
	quote := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case !unicode.IsPrint(r):
			switch {
			case r < 0x100:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// drfCode is the code of one of the CharField messages checkCharFields
// gives.
func drfCode(msg string) string {
	switch {
	case msg == "该字段是必填项。":
		return "required"
	case msg == "该字段不能为 null。":
		return "null"
	case msg == "该字段不能为空。":
		return "blank"
	case strings.HasPrefix(msg, "请确保这个字段不能超过"):
		return "max_length"
	}
	return "invalid"
}

// charInto checks CharFields as checkCharFields does and adds their
// problems to errs, with codes.
func charInto(errs *drfErrors, data map[string]any, fields ...charField) map[string]*string {
	out, problems := checkCharFields(data, fields)
	for _, f := range fields {
		for _, msg := range problems[f.name] {
			errs.add(f.name, msg, drfCode(msg))
		}
	}
	return out
}

// reDecimal is IntegerField's re_decimal: a trailing ".0" is dropped
// before int().
var reDecimal = regexp.MustCompile(`\.0*\s*$`)

// drfInt is IntegerField.to_internal_value over a decoded JSON value
// (json.Number or float64): int(re_decimal.sub(”, str(data))). present
// is false when the field is absent; ok false when errs got a problem.
func drfInt(errs *drfErrors, data map[string]any, name string, required, allowNull bool) (n int, present, ok bool) {
	v, present := data[name]
	if !present {
		if required {
			errs.add(name, "该字段是必填项。", "required")
		}
		return 0, false, false
	}
	var text string
	switch v := v.(type) {
	case nil:
		if !allowNull {
			errs.add(name, "该字段不能为 null。", "null")
		}
		return 0, true, false
	case json.Number:
		text = v.String()
		if f, err := v.Float64(); err == nil && strings.ContainsAny(text, ".eE") {
			text = pyFloatText(f)
		}
	case float64:
		text = pyFloatText(v)
	case string:
		text = v
	default: // bool, list, dict: str() is no integer
		errs.add(name, "请填写合法的整数值。", "invalid")
		return 0, true, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(reDecimal.ReplaceAllString(text, "")))
	if err != nil {
		errs.add(name, "请填写合法的整数值。", "invalid")
		return 0, true, false
	}
	return n, true, true
}

// pyFloatText is str() of a Python float.
func pyFloatText(f float64) string {
	return string(must2(pyFloat(f).MarshalJSON()))
}

func must2(b []byte, _ error) []byte { return b }

// drfBool is BooleanField.to_internal_value: DRF's true and false
// spellings, or "必须是有效的布尔值。".
func drfBool(errs *drfErrors, data map[string]any, name string, def bool) bool {
	v, present := data[name]
	if !present {
		return def
	}
	switch v := v.(type) {
	case nil:
		errs.add(name, "该字段不能为 null。", "null")
		return def
	case bool:
		return v
	case json.Number:
		switch f, _ := v.Float64(); f {
		case 1:
			return true
		case 0:
			return false
		}
	case float64:
		switch v {
		case 1:
			return true
		case 0:
			return false
		}
	case string:
		switch v {
		case "t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1":
			return true
		case "f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0":
			return false
		}
	}
	errs.add(name, "必须是有效的布尔值。", "invalid")
	return def
}

// rawBody reads the body as request.data: {} when empty, numbers kept as
// json.Number; raw is the decoded value, of any type. parseErr is the
// text of DRF's ParseError for a body that is not JSON, with Python's
// json error (pyjson.go).
func (c *call) rawBody() (raw any, parseErr string) {
	if len(c.body) == 0 {
		return map[string]any{}, ""
	}
	text, pyErr := pyJSONCheck(c.body, true)
	if pyErr != "" {
		return nil, "JSON parse error - " + pyErr
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, "JSON parse error - " + err.Error() // what Python reads and Go does not
	}
	return raw, ""
}

// notADict is Serializer's refusal of a body that is not an object.
func notADict(errs *drfErrors, raw any) {
	errs.add("non_field_errors", fmt.Sprintf("无效数据。期待为字典类型，得到的是 %s 。", pyTypeNumber(raw)), "invalid")
}

// pyTypeNumber is pyType for values decoded with UseNumber.
func pyTypeNumber(v any) string {
	if n, ok := v.(json.Number); ok {
		if strings.ContainsAny(n.String(), ".eE") {
			return "float"
		}
		return "int"
	}
	return pyType(v)
}

// bodyObject reads a body as a DRF serializer does, answering DRF's 400
// for a body that is no JSON object; nil when answered.
func (c *call) bodyObject() map[string]any {
	raw, parseErr := c.rawBody()
	if parseErr != "" {
		c.apiException(http.StatusBadRequest, "ParseError", parseErr)
		return nil
	}
	data, ok := raw.(map[string]any)
	if !ok {
		var errs drfErrors
		notADict(&errs, raw)
		c.validationErrors(errs.fields())
		return nil
	}
	return data
}

// failed answers the envelope general_message(status, msg, msgShow)
// with that HTTP status.
func (c *call) failed(status int, msg, msgShow string) {
	c.message(status, status, msg, msgShow, nil)
}

// htmlServerError is the console's ErrorPage rewrite of Django's 500
// page, for a view that returned no Response or a body that cannot be
// rendered.
func (c *call) htmlServerError() {
	c.a.status = http.StatusInternalServerError
	c.a.header.Set("Content-Type", "text/html; charset=utf8")
	c.a.body = []byte("<h1>server error</h1>")
}

// makeUUID3 is www/utils/crypt.py make_uuid3: uuid3 in the console's
// namespace, without dashes.
func makeUUID3(key string) string {
	ns, _ := hex.DecodeString("edb115dc4b8e11ed95395a219a836f51")
	sum := md5.Sum(append(ns, key...))
	sum[6] = sum[6]&0x0f | 0x30
	sum[8] = sum[8]&0x3f | 0x80
	return hex.EncodeToString(sum[:])
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// consoleTime is a time as the console's to_dict() and strftime print
// it: local time of Asia/Shanghai (TIME_ZONE, USE_TZ False).
func consoleTime(t time.Time) string {
	return t.In(shanghai).Format("2006-01-02 15:04:05")
}

var shanghai = time.FixedZone("CST", 8*3600)

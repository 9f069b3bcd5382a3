// Package jsonobj walks the members of a JSON object without decoding their
// values, so that a struct can find the fields it does not know in a single
// pass and without allocating for the ones it does.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"unicode/utf8"
)

var errMalformed = errors.New("jsonobj: malformed JSON object")

// Members calls fn with the unquoted name and the raw value of each member
// of the JSON object in data, in order. Both may alias data and must not be
// kept; the name is handed over as bytes so that a lookup such as
// m[string(name)] costs no allocation. Data that is valid JSON but not an
// object (null, say) has no members. Malformed data stops the walk with an
// error; it never panics.
func Members(data []byte, fn func(name, value []byte)) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil
	}
	for i < len(data) {
		if data[i] != '"' {
			return errMalformed
		}
		end, ok := skipString(data, i)
		if !ok {
			return errMalformed
		}
		name, ok := memberName(data[i:end])
		if !ok {
			return errMalformed
		}
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return errMalformed
		}
		start := skipSpace(data, i+1)
		end, ok = skipValue(data, start)
		if !ok {
			return errMalformed
		}
		fn(name, data[start:end])
		i = skipSpace(data, end)
		if i >= len(data) {
			return errMalformed
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return nil
		default:
			return errMalformed
		}
	}
	return errMalformed
}

// AppendMembers adds members (sorted by name) to the encoded object obj,
// skipping names in exclude. obj must be an encoded JSON object.
func AppendMembers(obj []byte, members map[string]json.RawMessage, exclude map[string]struct{}) ([]byte, error) {
	obj = bytes.TrimRight(obj, " \t\r\n")
	if len(obj) < 2 || obj[len(obj)-1] != '}' {
		return nil, errMalformed
	}
	names := make([]string, 0, len(members))
	for name := range members {
		if _, skip := exclude[name]; !skip {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := append([]byte(nil), obj[:len(obj)-1]...)
	empty := len(bytes.TrimSpace(out)) == 1 // just "{"
	for _, name := range names {
		value := members[name]
		if !json.Valid(value) {
			return nil, errMalformed
		}
		if !empty {
			out = append(out, ',')
		}
		empty = false
		key, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		out = append(out, key...)
		out = append(out, ':')
		out = append(out, value...)
	}
	return append(out, '}'), nil
}

// memberName returns the unquoted name of a quoted JSON string, as
// encoding/json reads it. Plain names, which is all of them in practice,
// are returned in place, without decoding or copying.
func memberName(quoted []byte) ([]byte, bool) {
	if bytes.IndexByte(quoted, '\\') < 0 && utf8.Valid(quoted) {
		return quoted[1 : len(quoted)-1], true
	}
	var name string
	if err := json.Unmarshal(quoted, &name); err != nil {
		return nil, false
	}
	return []byte(name), true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string that opens at i.
func skipString(data []byte, i int) (int, bool) {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return 0, false
}

// skipValue returns the index just past the value that starts at i.
func skipValue(data []byte, i int) (int, bool) {
	if i >= len(data) {
		return 0, false
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		return skipComposite(data, i)
	}
	start := i
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i, i > start
		case '{', '[', '"', ':':
			return 0, false
		}
		i++
	}
	return i, i > start
}

// skipComposite returns the index just past the object or array at i,
// counting brackets outside strings.
func skipComposite(data []byte, i int) (int, bool) {
	depth := 0
	for i < len(data) {
		switch data[i] {
		case '"':
			end, ok := skipString(data, i)
			if !ok {
				return 0, false
			}
			i = end
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return 0, false
}

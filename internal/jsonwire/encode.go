package jsonwire

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
)

// AppendMembers adds members (sorted by name) to the encoded object obj,
// skipping names in exclude: the way a struct with unknown members encodes
// them back. obj must be an encoded JSON object, and each member valid
// JSON.
func AppendMembers(obj []byte, members map[string]json.RawMessage, exclude map[string]struct{}) ([]byte, error) {
	obj = bytes.TrimRight(obj, " \t\r\n")
	if len(obj) < 2 || obj[len(obj)-1] != '}' {
		return nil, errors.New("jsonwire: AppendMembers needs an encoded object")
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
			return nil, errors.New("jsonwire: member " + name + " is not valid JSON")
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

package jsonobj

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func members(t *testing.T, data string) map[string]string {
	t.Helper()
	got := map[string]string{}
	require.NoError(t, Members([]byte(data), func(name, value []byte) { got[string(name)] = string(value) }))
	return got
}

func TestMembersWalksEveryKindOfValue(t *testing.T) {
	t.Parallel()
	got := members(t, ` { "s" : "a\"}b" , "n":-1.5e+3,"t":true,"f":false,"z":null,
		"o":{"x":[1,{"y":"]"}]},"a":[],"e":{}, "esc\u0061ped":1, "uni\u00e9":2 } `)
	assert.Equal(t, map[string]string{
		"s": `"a\"}b"`, "n": "-1.5e+3", "t": "true", "f": "false", "z": "null",
		"o": `{"x":[1,{"y":"]"}]}`, "a": "[]", "e": "{}", "escaped": "1", "unié": "2",
	}, got)
}

func TestMembersOfNonObjectsAndEmptyObjects(t *testing.T) {
	t.Parallel()
	for _, data := range []string{`null`, `[]`, `"x"`, `1`, ``, `{}`, ` { } `} {
		assert.Empty(t, members(t, data), data)
	}
}

func TestMembersRejectsMalformedObjects(t *testing.T) {
	t.Parallel()
	for _, data := range []string{`{`, `{"a"`, `{"a":`, `{"a":1`, `{"a" 1}`, `{a:1}`, `{"a":1,}`, `{"a":"x}`, `{"a":[1}`, `{"a":1 "b":2}`, `{"a":"\`} {
		err := Members([]byte(data), func(_, _ []byte) {})
		assert.Error(t, err, data)
	}
}

func TestAppendMembersAddsSortedMembers(t *testing.T) {
	t.Parallel()
	out, err := AppendMembers([]byte(`{"a":1}`), map[string]json.RawMessage{"c": json.RawMessage(`3`), "b": json.RawMessage(`"2"`), "a": json.RawMessage(`9`)}, map[string]struct{}{"a": {}})
	require.NoError(t, err)
	assert.Equal(t, `{"a":1,"b":"2","c":3}`, string(out))

	out, err = AppendMembers([]byte(`{}`), map[string]json.RawMessage{"x": json.RawMessage(`null`)}, nil)
	require.NoError(t, err)
	assert.Equal(t, `{"x":null}`, string(out))

	_, err = AppendMembers([]byte(`{}`), map[string]json.RawMessage{"x": json.RawMessage(`{bad`)}, nil)
	assert.Error(t, err, "invalid raw values are refused, not written")
}

// FuzzMembers checks that any input is walked without panicking and that,
// for valid JSON objects, the walk finds exactly what encoding/json finds.
func FuzzMembers(f *testing.F) {
	for _, seed := range []string{`{"a":1}`, `{"a":{"b":[1,"}"]},"c":null}`, `{"\u0061":"\""}`, `{`, `[1]`, `{"a":1,}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := map[string]string{}
		err := Members(data, func(name, value []byte) { got[string(name)] = string(value) })
		var want map[string]json.RawMessage
		if json.Unmarshal(data, &want) != nil || want == nil {
			return
		}
		if err != nil {
			t.Fatalf("valid object %q: %v", data, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: got %d members, encoding/json %d", data, len(got), len(want))
		}
		for name, value := range want {
			if got[name] != string(value) {
				t.Fatalf("%q: member %q = %q, encoding/json %q", data, name, got[name], value)
			}
		}
	})
}

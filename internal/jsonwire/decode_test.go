package jsonwire

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// component is shaped like the console's component: scalars of every kind
// and a map for the members it does not know.
type component struct {
	Status    string                     `json:"status"`
	ServiceID string                     `json:"service_id"`
	MinCPU    int                        `json:"min_cpu"`
	UsedCPU   float64                    `json:"used_cpu"`
	IsService bool                       `json:"is_service"`
	Access    []string                   `json:"access_infos"`
	Group     int64                      `json:"tenant_service_group_id"`
	Port      uint16                     `json:"port"`
	Extra     map[string]json.RawMessage `json:"-" jsonwire:"unknown"`
}

func TestScalarsConvertTheWayTheConsoleIsLoose(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want component
	}{
		{`{"service_id": 12}`, component{ServiceID: "12"}},
		{`{"service_id": -1.5e3}`, component{ServiceID: "-1.5e3"}},
		{`{"service_id": true}`, component{ServiceID: "true"}},
		{`{"status": null}`, component{}},
		{`{"min_cpu": 500.0}`, component{MinCPU: 500}},
		{`{"min_cpu": 23.4375}`, component{MinCPU: 23}},
		{`{"min_cpu": "500"}`, component{MinCPU: 500}},
		{`{"min_cpu": "+7"}`, component{MinCPU: 7}},
		{`{"min_cpu": "-0.5"}`, component{}},
		{`{"min_cpu": "2.5"}`, component{MinCPU: 2}},
		{`{"min_cpu": true}`, component{MinCPU: 1}},
		{`{"min_cpu": null}`, component{}},
		{`{"used_cpu": 46.875}`, component{UsedCPU: 46.875}},
		{`{"used_cpu": 240}`, component{UsedCPU: 240}},
		{`{"used_cpu": "0.5"}`, component{UsedCPU: 0.5}},
		{`{"is_service": 1}`, component{IsService: true}},
		{`{"is_service": 0}`, component{}},
		{`{"is_service": "True"}`, component{IsService: true}},
		{`{"is_service": "false"}`, component{}},
		{`{"access_infos": null}`, component{}},
		{`{"access_infos": [1, "a", null]}`, component{Access: []string{"1", "a", ""}}},
		{`{"tenant_service_group_id": "118"}`, component{Group: 118}},
		{`{"port": 8080.0}`, component{Port: 8080}},
	} {
		var got component
		require.NoError(t, Unmarshal([]byte(tc.json), &got), tc.json)
		assert.Equal(t, tc.want, got, tc.json)
	}
}

func TestWhatCannotConvertIsKeptRawWithTheUnknownMembers(t *testing.T) {
	t.Parallel()
	var got component
	require.NoError(t, Unmarshal([]byte(`{"service_id": {"a": 1}, "min_cpu": [1],
		"access_infos": "x", "port": 70000, "is_service": "maybe", "gpu_type": "nvidia", "labels": {"k": [1, 2]}}`), &got))
	assert.Equal(t, component{Extra: map[string]json.RawMessage{
		"service_id":   json.RawMessage(`{"a": 1}`),
		"min_cpu":      json.RawMessage(`[1]`),
		"access_infos": json.RawMessage(`"x"`),
		"port":         json.RawMessage(`70000`),
		"is_service":   json.RawMessage(`"maybe"`),
		"gpu_type":     json.RawMessage(`"nvidia"`),
		"labels":       json.RawMessage(`{"k": [1, 2]}`),
	}}, got)
}

func TestAMismatchHalfWayThroughAListLeavesTheFieldEmpty(t *testing.T) {
	t.Parallel()
	var got component
	require.NoError(t, Unmarshal([]byte(`{"access_infos": ["a", {"b": 1}], "status": "running"}`), &got))
	assert.Nil(t, got.Access)
	assert.Equal(t, "running", got.Status)
	assert.JSONEq(t, `["a", {"b": 1}]`, string(got.Extra["access_infos"]))
}

func TestWithoutUnknownMembersAMismatchIsATypeErrorWithItsPath(t *testing.T) {
	t.Parallel()
	type inner struct {
		Name string `json:"name"`
	}
	type outer struct {
		List []inner `json:"list"`
	}
	var got outer
	err := Unmarshal([]byte(`{"list": [{"name": "a"}, {"name": ["b"]}]}`), &got)
	var te *TypeError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "list[1].name", te.Member)
	assert.Equal(t, "array", te.JSON)
	assert.Equal(t, "list[1].name: a JSON array cannot be read as string", err.Error())
}

func TestUnknownMembersAreReplacedOnEachDecode(t *testing.T) {
	t.Parallel()
	got := component{Extra: map[string]json.RawMessage{"old": json.RawMessage(`1`)}}
	require.NoError(t, Unmarshal([]byte(`{"service_id": "a"}`), &got))
	assert.Nil(t, got.Extra)
}

func TestSyntaxIsCheckedAsStrictlyAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		``, ` `, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `01`, `1.`, `.5`, `-`, `1e`, `+1`,
		`"\x"`, "\"a\x01\"", `"\u12"`, `tru`, `nul`, `{"a":1}x`, `{"a":1} {"b":2}`, `null null`,
		`{"service_id": "a", "extra": [1,}`, `'a'`, `NaN`, `Infinity`,
	} {
		var got component
		err := Unmarshal([]byte(bad), &got)
		var se *SyntaxError
		assert.ErrorAs(t, err, &se, "%q", bad)
		assert.False(t, json.Valid([]byte(bad)), "%q is valid JSON after all", bad)
	}
}

func TestStringsAreUnescapedAndInvalidUTF8Replaced(t *testing.T) {
	t.Parallel()
	var got []string
	require.NoError(t, Unmarshal([]byte(`["a\"b\\c\/d\n\t", "\u00e9\ud83d\ude00", "\ud800x", "caf`+"\xc3"+`", "中文"]`), &got))
	assert.Equal(t, []string{"a\"b\\c/d\n\t", "é😀", "\ufffdx", "caf\ufffd", "中文"}, got)
}

func TestNestingIsBounded(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	var v any
	var se *SyntaxError
	assert.ErrorAs(t, Unmarshal([]byte(deep), &v), &se)
	var c component
	assert.ErrorAs(t, Unmarshal([]byte(`{"gpu":`+deep+`}`), &c), &se)
}

func TestEmbeddedStructsPromoteTheirFieldsAsEncodingJSONDoes(t *testing.T) {
	t.Parallel()
	type base struct {
		ID   int64  `json:"ID"`
		Name string `json:"name"`
	}
	type info struct {
		base
		Name  string `json:"name"` // shadows base.Name
		AppID int64  `json:"app_id"`
	}
	var got info
	require.NoError(t, Unmarshal([]byte(`{"ID": 3, "name": "x", "app_id": "7", "APP_ID": 8}`), &got))
	assert.Equal(t, info{base: base{ID: 3}, Name: "x", AppID: 8}, got, "names also match case-insensitively, last one wins")
}

type upper string

func (u *upper) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*u = upper(strings.ToUpper(s))
	return nil
}

func TestUnmarshalersRawMessagesAndNumbersAreHonoured(t *testing.T) {
	t.Parallel()
	var got struct {
		U   upper           `json:"u"`
		P   *upper          `json:"p"`
		Raw json.RawMessage `json:"raw"`
		N   json.Number     `json:"n"`
		M   map[string]int  `json:"m"`
		K   map[int]string  `json:"k"`
		A   any             `json:"a"`
		B   []byte          `json:"b"`
	}
	require.NoError(t, Unmarshal([]byte(`{"u": "x", "p": "y", "raw": {"z": [1]}, "n": 1.5, "m": {"a": "2"},
		"k": {"3": "c"}, "a": {"l": [1, true, null, "s"]}, "b": "aGk="}`), &got))
	assert.Equal(t, upper("X"), got.U)
	assert.Equal(t, upper("Y"), *got.P)
	assert.Equal(t, `{"z": [1]}`, string(got.Raw))
	assert.Equal(t, json.Number("1.5"), got.N)
	assert.Equal(t, map[string]int{"a": 2}, got.M)
	assert.Equal(t, map[int]string{3: "c"}, got.K)
	assert.Equal(t, map[string]any{"l": []any{1.0, true, nil, "s"}}, got.A)
	assert.Equal(t, []byte("hi"), got.B)
}

func TestANonPointerIsRefused(t *testing.T) {
	t.Parallel()
	var c component
	assert.Error(t, Unmarshal([]byte(`{}`), c))
	assert.Error(t, Unmarshal([]byte(`{}`), (*component)(nil)))
}

func TestNumbersOutOfRangeDoNotConvert(t *testing.T) {
	t.Parallel()
	var got struct {
		I8  int8                       `json:"i8"`
		U   uint                       `json:"u"`
		F   float32                    `json:"f"`
		I   int64                      `json:"i"`
		Any any                        `json:"any"`
		X   map[string]json.RawMessage `json:"-" jsonwire:"unknown"`
	}
	require.NoError(t, Unmarshal([]byte(`{"i8": 300, "u": -1, "f": 1e300, "i": 1e19, "any": 1e400}`), &got))
	assert.Len(t, got.X, 5)
	require.NoError(t, Unmarshal([]byte(`{"i8": -128, "u": 18446744073709551615, "f": 1.5, "i": -9223372036854775808}`), &got))
	assert.Equal(t, int8(-128), got.I8)
	assert.Equal(t, uint(math.MaxUint64), got.U)
	assert.Equal(t, int64(math.MinInt64), got.I)
}

// FuzzAgreesWithEncodingJSON checks the decoder against encoding/json: the
// same inputs are valid, a value into interface{} is identical, and a
// struct that encoding/json decodes without complaint decodes identically.
func FuzzAgreesWithEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{"status":"running","service_id":"a","min_cpu":500,"access_infos":["x"],"gpu":{"a":[1,2.5,null]}}`,
		`[1,"two",true,null,{"3":[]}]`, `"\u00e9\ud83d\ude00"`, `{"a":1,"A":2}`, `-0.5e-3`, `{"port":65535}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want, got any
		wantErr := json.Unmarshal(data, &want)
		gotErr := Unmarshal(data, &got)
		if json.Valid(data) != (gotErr == nil || isTypeError(gotErr)) {
			t.Fatalf("validity of %q: encoding/json %v, jsonwire %v", data, json.Valid(data), gotErr)
		}
		if wantErr == nil && (gotErr != nil || !reflect.DeepEqual(want, got)) {
			t.Fatalf("%q into any: encoding/json %#v, jsonwire %#v (%v)", data, want, got, gotErr)
		}
		type strict struct {
			Status string            `json:"status"`
			ID     *string           `json:"service_id"`
			CPU    int               `json:"min_cpu"`
			Port   uint16            `json:"port"`
			Access []string          `json:"access_infos"`
			Labels map[string]string `json:"labels"`
			Ratio  float64           `json:"ratio"`
			Raw    json.RawMessage   `json:"raw"`
			On     bool              `json:"on"`
		}
		var ws, gs []strict
		if json.Unmarshal(data, &ws) == nil {
			if err := Unmarshal(data, &gs); err != nil || !reflect.DeepEqual(ws, gs) {
				t.Fatalf("%q: encoding/json %#v, jsonwire %#v (%v)", data, ws, gs, err)
			}
		}
	})
}

func isTypeError(err error) bool {
	var te *TypeError
	return errors.As(err, &te)
}

func TestValidAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range []string{`[]`, ` {"a":[1,"x",null]} `, `"[]"`, `1e3`, ``, ` `, `[`, `{"a":}`, `[] []`, `nul`, `"\x"`} {
		if got, want := Valid([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("Valid(%q) = %v, encoding/json says %v", s, got, want)
		}
	}
}

package jsonwire

import (
	"encoding/json"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numbers has an integer, an unsigned, a small and a float field, and
// keeps what does not convert.
type numbers struct {
	I     int64                      `json:"i"`
	U     uint64                     `json:"u"`
	I8    int8                       `json:"i8"`
	F     float64                    `json:"f"`
	Extra map[string]json.RawMessage `json:"-" jsonwire:"unknown"`
}

func TestIntegersWrittenWithAFractionOrExponentConvertExactly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value string
		i     int64
		u     uint64
	}{
		{`9007199254740993.0`, 9007199254740993, 9007199254740993},
		{`9.007199254740993e15`, 9007199254740993, 9007199254740993},
		{`"9007199254740993"`, 9007199254740993, 9007199254740993},
		{`"9007199254740993.0"`, 9007199254740993, 9007199254740993},
		{`"+9.007199254740993E+15"`, 9007199254740993, 9007199254740993},
		{`500.0`, 500, 500},
		{`5e2`, 500, 500},
		{`"5e2"`, 500, 500},
		{`0.05e4`, 500, 500},
		{`9007199254740993.9`, 9007199254740993, 9007199254740993}, // truncated, as before
		{`9223372036854775807.9`, math.MaxInt64, math.MaxInt64},
		{`123456789012345678901e-3`, 123456789012345678, 123456789012345678},
		{`0.000e999999999`, 0, 0},
		{`1e-999999999`, 0, 0},
		{`-0.99999999999999999999`, 0, 0}, // a float rounds it to -1, which a uint refused
		{`"-0"`, 0, 0},
	} {
		doc := `{"i": ` + tc.value + `, "u": ` + tc.value + `}`
		var got numbers
		require.NoError(t, Unmarshal([]byte(doc), &got), doc)
		assert.Equal(t, numbers{I: tc.i, U: tc.u}, got, doc)
	}
	for _, tc := range []struct {
		doc  string
		want numbers
	}{
		{`{"i": -9223372036854775808.5}`, numbers{I: math.MinInt64}},
		{`{"i": -9.223372036854775808e18}`, numbers{I: math.MinInt64}},
		{`{"u": 18446744073709551615.5}`, numbers{U: math.MaxUint64}},
		{`{"u": 1.8446744073709551615e19}`, numbers{U: math.MaxUint64}},
		{`{"i8": -128.9, "u": "12345678901234567890"}`, numbers{I8: -128, U: 12345678901234567890}},
		// One past the range does not convert, however it is written.
		{`{"i": 9223372036854775808.0}`, numbers{Extra: map[string]json.RawMessage{"i": json.RawMessage(`9223372036854775808.0`)}}},
		{`{"i": 9.223372036854775808e18}`, numbers{Extra: map[string]json.RawMessage{"i": json.RawMessage(`9.223372036854775808e18`)}}},
		{`{"u": 18446744073709551616.0}`, numbers{Extra: map[string]json.RawMessage{"u": json.RawMessage(`18446744073709551616.0`)}}},
		{`{"u": -1.5}`, numbers{Extra: map[string]json.RawMessage{"u": json.RawMessage(`-1.5`)}}},
		{`{"i8": 128.0}`, numbers{Extra: map[string]json.RawMessage{"i8": json.RawMessage(`128.0`)}}},
		{`{"i": 1e999999999}`, numbers{Extra: map[string]json.RawMessage{"i": json.RawMessage(`1e999999999`)}}},
	} {
		var got numbers
		require.NoError(t, Unmarshal([]byte(tc.doc), &got), tc.doc)
		assert.Equal(t, tc.want, got, tc.doc)
	}
}

func TestOnlyPlainDecimalStringsConvertToNumbers(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"0x1p4", "0x10", "0b1", "0o7", "nan", "NaN", "inf", "+Inf", "-infinity", "1_000", " 12", "12 ", "\t12",
		"012", "-01", "00", "1.", ".5", "+-1", "--1", "", "+", "-", "1e", "1e+", "1e5x", "1,5", "١٢", "12\u00a0",
	} {
		quoted, err := json.Marshal(s)
		require.NoError(t, err)
		doc := `{"i": ` + string(quoted) + `, "u": ` + string(quoted) + `, "f": ` + string(quoted) + `}`
		var got numbers
		require.NoError(t, Unmarshal([]byte(doc), &got), doc)
		assert.Equal(t, numbers{Extra: map[string]json.RawMessage{
			"i": json.RawMessage(quoted), "u": json.RawMessage(quoted), "f": json.RawMessage(quoted),
		}}, got, "%q", s)

		var strict struct {
			F float32 `json:"f"`
		}
		var te *TypeError
		assert.ErrorAs(t, Unmarshal([]byte(doc), &strict), &te, "%q without unknown members", s)
	}
	for s, want := range map[string]numbers{
		"+12":     {I: 12, U: 12, F: 12},
		"-0":      {F: math.Copysign(0, -1)},
		"12.5e1":  {I: 125, U: 125, F: 125},
		"1E2":     {I: 100, U: 100, F: 100},
		"2.5":     {I: 2, U: 2, F: 2.5},
		"0.1e-2":  {F: 0.001},
		"+0.0E-0": {},
	} {
		doc := `{"i": "` + s + `", "u": "` + s + `", "f": "` + s + `"}`
		var got numbers
		require.NoError(t, Unmarshal([]byte(doc), &got), doc)
		assert.Equal(t, want, got, doc)
	}
}

var (
	// plainDecimal is the grammar of a string that converts to a number.
	plainDecimal = regexp.MustCompile(`^[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	// exponent is a number's exponent, without its leading zeros.
	exponent = regexp.MustCompile(`[eE][+-]?0*([0-9]+)$`)
)

// FuzzNumbersConvertExactly checks every conversion of a number or a
// string into an integer or float field against a reference in
// arbitrary precision: a JSON number, or a string of a plain decimal
// number, gives its integer part exactly when in range (and the nearest
// float); anything else is kept in Extra.
func FuzzNumbersConvertExactly(f *testing.F) {
	for _, seed := range []string{
		"9007199254740993.0", "9.007199254740993e15", "500.0", "5e2", "-0.5", "18446744073709551615.5",
		"-9223372036854775808.9", "0x1p4", "nan", "inf", "1_000", " 12", "+12", "012", "1e-400", "1e400", "-0",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		quoted, _ := json.Marshal(s)
		docs := []string{`{"i": ` + string(quoted) + `, "u": ` + string(quoted) + `, "i8": ` + string(quoted) + `, "f": ` + string(quoted) + `}`}
		if json.Valid([]byte(s)) && strings.TrimSpace(s) == s && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') && !plainDecimal.MatchString(s) {
			t.Fatalf("%q is a JSON number but not a plain decimal", s)
		}
		if plainDecimal.MatchString(s) && s[0] != '+' {
			docs = append(docs, `{"i": `+s+`, "u": `+s+`, "i8": `+s+`, "f": `+s+`}`)
		}
		for _, doc := range docs {
			var got numbers
			if err := Unmarshal([]byte(doc), &got); err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			want, ok := reference(s)
			if !ok {
				continue // an exponent too large to check
			}
			if !reflectEqual(want, got) {
				t.Fatalf("%s: want %+v, got %+v", doc, want, got)
			}
		}
	})
}

// reference converts s as the decoder should, with math/big. ok is false
// when the exponent is too large to compute.
func reference(s string) (want numbers, ok bool) {
	if !plainDecimal.MatchString(s) {
		return numbers{Extra: map[string]json.RawMessage{"i": nil, "u": nil, "i8": nil, "f": nil}}, true
	}
	if m := exponent.FindStringSubmatch(s); m != nil && len(m[1]) > 4 {
		return numbers{}, false
	}
	r, good := new(big.Rat).SetString(s)
	if !good {
		panic(s)
	}
	whole := new(big.Int).Quo(r.Num(), r.Denom()) // truncated toward zero
	extra := map[string]json.RawMessage{}
	keep := func(name string) { extra[name] = nil }
	if whole.IsInt64() {
		want.I = whole.Int64()
	} else {
		keep("i")
	}
	if whole.IsUint64() {
		want.U = whole.Uint64()
	} else {
		keep("u")
	}
	if whole.IsInt64() && whole.Int64() >= math.MinInt8 && whole.Int64() <= math.MaxInt8 {
		want.I8 = int8(whole.Int64())
	} else {
		keep("i8")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		want.F = f
	} else {
		keep("f")
	}
	if len(extra) > 0 {
		want.Extra = extra
	}
	return want, true
}

// reflectEqual compares the fields, and the names (not the raw text: a
// number and a string of it are both kept as sent) of the kept members.
func reflectEqual(want, got numbers) bool {
	if want.I != got.I || want.U != got.U || want.I8 != got.I8 || math.Float64bits(want.F) != math.Float64bits(got.F) ||
		len(want.Extra) != len(got.Extra) {
		return false
	}
	for name := range want.Extra {
		if _, ok := got.Extra[name]; !ok {
			return false
		}
	}
	return true
}

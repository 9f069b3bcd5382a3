package jsonwire

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownDoc is a list of n components, each with the known members and
// eight the struct does not model, as the console's answers carry.
func unknownDoc(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"status":"running","service_id":"` + strconv.Itoa(i) + `","min_cpu":500,"port":8080,` +
			`"service_port":8080,"is_web_service":false,"deploy_version":"20240501123045",` +
			`"create_time":"2024-05-01T12:30:45.123456","update_time":"2024-05-01T12:31:02.514398","expired_time":null,` +
			`"build_source":{"language":"Go","version":"1.2"},"ports":[{"container_port":8080,"protocol":"http"}]}`)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// The SDK decodes from a pooled buffer that the next answer overwrites: no
// kept value may alias the data it was decoded from.
func TestUnknownMembersAreCopiesNotAliasesOfTheData(t *testing.T) {
	t.Parallel()
	data := unknownDoc(3)
	want := string(data)
	var got []component
	require.NoError(t, Unmarshal(data, &got))
	var before []component
	require.NoError(t, json.Unmarshal([]byte(want), &before)) // encoding/json: known fields only
	require.Len(t, got, 3)
	snapshot := make([]map[string]string, len(got))
	for i, c := range got {
		require.Len(t, c.Extra, 8)
		snapshot[i] = map[string]string{}
		for k, v := range c.Extra {
			snapshot[i][k] = string(v)
		}
	}
	assert.Equal(t, "null", snapshot[0]["expired_time"])
	assert.JSONEq(t, `{"language":"Go","version":"1.2"}`, snapshot[2]["build_source"])

	// The buffer goes back to a pool and is overwritten by the next answer.
	for i := range data {
		data[i] = 'x'
	}
	for i, c := range got {
		for k, v := range c.Extra {
			assert.Equal(t, snapshot[i][k], string(v), "component %d, member %s changed with the data", i, k)
			if len(v) > 0 && len(data) > 0 {
				inData := uintptr(unsafe.Pointer(unsafe.SliceData(v))) - uintptr(unsafe.Pointer(unsafe.SliceData(data)))
				assert.False(t, inData < uintptr(len(data)), "component %d, member %s aliases the data", i, k)
			}
		}
	}
	assert.Equal(t, before[1].ServiceID, got[1].ServiceID)
}

// The values of one struct share an allocation: appending to one must not
// write over another.
func TestAppendingToAnUnknownMemberLeavesTheOthersAlone(t *testing.T) {
	t.Parallel()
	var got component
	require.NoError(t, Unmarshal([]byte(`{"a":1,"b":"two","c":[3],"status":{"x":4}}`), &got))
	for name, v := range got.Extra {
		_ = append(v, `XXXXXXXXXXXXXXXX`...)
		assert.Equal(t, len(v), cap(v), "%s has room to append into its neighbour", name)
	}
	assert.Equal(t, map[string]json.RawMessage{
		"a": json.RawMessage(`1`), "b": json.RawMessage(`"two"`), "c": json.RawMessage(`[3]`), "status": json.RawMessage(`{"x":4}`),
	}, got.Extra)
}

// Structs with unknown members nested in one another each keep their own,
// whether the inner one ends before, between or after the outer's.
func TestNestedStructsKeepTheirOwnUnknownMembers(t *testing.T) {
	t.Parallel()
	type outer struct {
		Name  string                     `json:"name"`
		One   component                  `json:"one"`
		List  []component                `json:"list"`
		Ptr   *component                 `json:"ptr"`
		Extra map[string]json.RawMessage `json:"-" jsonwire:"unknown"`
	}
	var got outer
	require.NoError(t, Unmarshal([]byte(`{"x":1,"one":{"status":"a","y":2},"z":"3",
		"list":[{"w":4},{},{"v":[5]}],"list2":[{"u":6}],"ptr":{"t":null,"port":"bad"},"name":["mismatch"]}`), &got))
	assert.Equal(t, outer{
		One: component{Status: "a", Extra: map[string]json.RawMessage{"y": json.RawMessage(`2`)}},
		List: []component{
			{Extra: map[string]json.RawMessage{"w": json.RawMessage(`4`)}},
			{},
			{Extra: map[string]json.RawMessage{"v": json.RawMessage(`[5]`)}},
		},
		Ptr: &component{Extra: map[string]json.RawMessage{"t": json.RawMessage(`null`), "port": json.RawMessage(`"bad"`)}},
		Extra: map[string]json.RawMessage{
			"x": json.RawMessage(`1`), "z": json.RawMessage(`"3"`), "list2": json.RawMessage(`[{"u":6}]`),
			"name": json.RawMessage(`["mismatch"]`),
		},
	}, got)

	// A list whose second element does not fit is kept whole; the first
	// element's members went with it.
	var again outer
	require.NoError(t, Unmarshal([]byte(`{"list":[{"w":4},"no"],"after":1}`), &again))
	assert.Nil(t, again.List)
	assert.Equal(t, map[string]json.RawMessage{"list": json.RawMessage(`[{"w":4},"no"]`), "after": json.RawMessage(`1`)}, again.Extra)
}

func TestARepeatedUnknownMemberKeepsItsLastValue(t *testing.T) {
	t.Parallel()
	var got component
	require.NoError(t, Unmarshal([]byte(`{"a":1,"a":[2],"port":"x","port":9}`), &got))
	assert.Equal(t, map[string]json.RawMessage{"a": json.RawMessage(`[2]`), "port": json.RawMessage(`"x"`)}, got.Extra)
	assert.Equal(t, uint16(9), got.Port)
}

// Members kept before a syntax error are in the map, as they were when
// each was stored as it came.
func TestUnknownMembersBeforeASyntaxErrorAreKept(t *testing.T) {
	t.Parallel()
	var got component
	var se *SyntaxError
	require.ErrorAs(t, Unmarshal([]byte(`{"a":1,"b":[2],"c":}`), &got), &se)
	assert.Equal(t, map[string]json.RawMessage{"a": json.RawMessage(`1`), "b": json.RawMessage(`[2]`)}, got.Extra)
}

func TestUnknownMemberNamesAreInterned(t *testing.T) {
	var first, second []component
	require.NoError(t, Unmarshal(unknownDoc(2), &first))
	require.NoError(t, Unmarshal(unknownDoc(1), &second))
	name := func(c component, want string) string {
		for k := range c.Extra {
			if k == want {
				return k
			}
		}
		t.Fatalf("no %s", want)
		return ""
	}
	a, b := name(first[0], "deploy_version"), name(first[1], "deploy_version")
	assert.Equal(t, unsafe.StringData(a), unsafe.StringData(b), "one string for one name within an answer")

	// An escaped name is unescaped before it is interned, and a long one
	// is not interned but still kept.
	long := strings.Repeat("n", maxNameLen+1)
	var c component
	require.NoError(t, Unmarshal([]byte(`{"deploy_\u0076ersion":1,"`+long+`":2}`), &c))
	assert.Equal(t, map[string]json.RawMessage{"deploy_version": json.RawMessage(`1`), long: json.RawMessage(`2`)}, c.Extra)
}

func TestTheInternedNamesAreBounded(t *testing.T) {
	d := &decoder{}
	for i := range 3 * maxNames {
		s := d.intern([]byte("name" + strconv.Itoa(i)))
		require.Equal(t, "name"+strconv.Itoa(i), s)
		require.LessOrEqual(t, len(d.names), maxNames)
	}
}

// Keeping a struct's unknown members costs a fixed few allocations (its
// map and one buffer for all the values), not two per member.
func TestUnknownMembersCostAFewAllocationsPerStruct(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under -race are not the program's")
	}
	doc := unknownDoc(50)
	var out []component
	require.NoError(t, Unmarshal(doc, &out))
	withExtra := testing.AllocsPerRun(20, func() { _ = Unmarshal(doc, &out) })
	var known []struct {
		Status    string `json:"status"`
		ServiceID string `json:"service_id"`
		MinCPU    int    `json:"min_cpu"`
		Port      uint16 `json:"port"`
	}
	require.NoError(t, Unmarshal(doc, &known))
	skipped := testing.AllocsPerRun(20, func() { _ = Unmarshal(doc, &known) })
	perStruct := (withExtra - skipped) / 50
	t.Logf("%.1f allocations per struct for 8 unknown members", perStruct)
	assert.LessOrEqual(t, perStruct, 3.0)
}

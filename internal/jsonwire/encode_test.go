package jsonwire

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	_, err = AppendMembers([]byte(`[]`), nil, nil)
	assert.Error(t, err)
}

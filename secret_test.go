package rainbond

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestARedactorFindsEveryFormOfASecret(t *testing.T) {
	t.Parallel()
	r := newRedactor("a/b+c&<d>é9f", "")
	assert.Len(t, r, 1, "empty secrets are skipped")
	assert.Equal(t, "9f", r[0].core[len(r[0].core)-2:])
	for _, form := range []string{
		"a/b+c&<d>é9f", `a/b+c\u0026\u003cd\u003eé9f`, `a\/b+c&<d>é9f`, `a/b+c&<d>\u00e99f`,
		url.QueryEscape("a/b+c&<d>é9f"), url.PathEscape("a/b+c&<d>é9f"), strings.ToLower(url.PathEscape("a/b+c&<d>é9f")),
		`a/b+c\\u0026\\u003cd\\u003eé9f`, // JSON-escaped twice
	} {
		assert.Equal(t, "x "+redacted+" y", r.string("x "+form+" y"), form)
		assert.Equal(t, "x "+redacted+" y", string(r.bytes([]byte("x "+form+" y"))), form)
		assert.True(t, r.inString(form), form)
	}
	assert.False(t, r.inString("a/b+c&<d>é"), "a part of the secret is not the secret")
}

func TestAHexTokenHasOneFormAndCostsNothingUntilSeen(t *testing.T) {
	t.Parallel()
	r := newRedactor("0123456789abcdef0123456789abcdef01234567")
	assert.Equal(t, "nothing here", r.string("nothing here"))
	assert.Nil(t, r[0].forms, "no forms worked out for text without the secret's core")
	assert.Equal(t, redacted, r.string("0123456789abcdef0123456789abcdef01234567"))
	assert.Len(t, r[0].forms, 1)
}

func TestASecretSentAsANumberIsKeptAsTheSecret(t *testing.T) {
	t.Parallel()
	var src CopyBuildSource
	require.NoError(t, defaultCodec{}.Unmarshal([]byte(`{"user_name":"ci","password":12345678,"version":"1.0"}`), &src))
	assert.Equal(t, "12345678", src.Password.Value())
	assert.NotContains(t, fmt.Sprintf("%+v", src), "12345678", "not kept raw among the unknown members")
}

package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildAndExposeRunsAgainstTheEmbeddedConsoleWithoutEnvironment(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), nil, func(string) string { return "" }, &out))
	got := out.String()
	assert.Contains(t, got, "using the embedded fake console")
	assert.Contains(t, got, "Image set to nginx:1.27.")
	assert.Contains(t, got, "  | Start build-service of web\n  | Pulling nginx:1.27\n  | Image nginx:1.27 ready\n  | Build and deploy finished\n",
		"the whole log, each line once, in order")
	assert.Contains(t, got, "Build success.")
	assert.True(t, strings.HasSuffix(got, "Published: http://shop.example.com/\n"), got)
}

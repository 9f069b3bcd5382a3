package rainbond_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeSnippetIsTheCompiledExample keeps the README's usage snippet
// identical to the body of Example, which the tests compile and run.
func TestReadmeSnippetIsTheCompiledExample(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- snippet: Example[^>]*-->\n```go\n(.*?)\n```").FindSubmatch(readme)
	require.NotNil(t, m, "README.md has the usage snippet")

	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	e := regexp.MustCompile(`(?s)// README: begin\n(.*?)\n\t// README: end`).FindSubmatch(src)
	require.NotNil(t, e, "example_test.go marks the snippet")
	lines := strings.Split(string(e[1]), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t")
	}
	assert.Equal(t, strings.Join(lines, "\n"), string(m[1]))
}

// TestReadmeStartsWithTheTwoCommands checks that the commands a newcomer
// runs are near the top, exactly as .ci/run runs them.
func TestReadmeStartsWithTheTwoCommands(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	top := string(readme[:min(len(readme), 1500)])
	assert.Contains(t, top, "go run ./examples/quickstart")
	assert.Contains(t, top, "go test ./...")
	ci, err := os.ReadFile(".ci/run")
	require.NoError(t, err)
	assert.Contains(t, string(ci), "\ngo run ./examples/quickstart")
	assert.Contains(t, string(ci), "\ngo test ./...")
}

// TestReadmeNamesOnlyTestsThatExist keeps the Reliability section's
// evidence honest: every test it names is defined somewhere.
func TestReadmeNamesOnlyTestsThatExist(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	names := regexp.MustCompile("`((?:Test|Fuzz)[A-Za-z0-9_]+)`").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, names)
	var sources strings.Builder
	for _, pattern := range []string{"*_test.go", "*/*_test.go", "*/*/*_test.go"} {
		files, err := filepath.Glob(pattern)
		require.NoError(t, err)
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			sources.Write(b)
		}
	}
	for _, m := range names {
		assert.Contains(t, sources.String(), "func "+m[1]+"(", "README names %s", m[1])
	}
}

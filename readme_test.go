package rainbond_test

import (
	"os"
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

package rainbond

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// coverageRows are COVERAGE.md's operations: "METHOD /openapi/v1/…" to
// the text of its last column.
func coverageRows(t *testing.T) map[string]string {
	t.Helper()
	text, err := os.ReadFile("COVERAGE.md")
	require.NoError(t, err)
	rows := map[string]string{}
	row := regexp.MustCompile("^\\| \\d+ \\| (GET|POST|PUT|DELETE) \\| `([^`]+)` \\| (v[0-9.]+) \\| (.+) \\|$")
	for _, line := range strings.Split(string(text), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			key := m[1] + " " + m[2]
			assert.NotContains(t, rows, key, "listed twice")
			rows[key] = m[4]
		}
	}
	return rows
}

// callTypes are the types whose methods COVERAGE.md names.
func callTypes() map[string]reflect.Type {
	out := map[string]reflect.Type{"Client": reflect.TypeFor[*Client](), "AppMonitorItem": reflect.TypeFor[AppMonitorItem]()}
	client := reflect.TypeFor[Client]()
	for i := range client.NumField() {
		if f := client.Field(i); f.IsExported() && f.Type.Kind() == reflect.Pointer && strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			out[f.Name] = f.Type
		}
	}
	return out
}

func TestCoverageListsEveryOperationOnce(t *testing.T) {
	t.Parallel()
	rows := coverageRows(t)
	assert.Len(t, rows, 112, "the console's 112 operations (101, the 9 MCP routes and the 2 of the AI proxy)")
	for op, cover := range rows {
		if strings.HasPrefix(cover, "— excused: ") {
			assert.Greater(t, len(cover), len("— excused: ")+20, "%s: say why", op)
			continue
		}
		assert.Regexp(t, "^`[A-Z]", cover, "%s: a call, or a reason", op)
	}
}

func TestCoverageNamesOnlyCallsThatExist(t *testing.T) {
	t.Parallel()
	types := callTypes()
	call := regexp.MustCompile("`([A-Z][A-Za-z]*)\\.([A-Z][A-Za-z]*)`")
	for op, cover := range coverageRows(t) {
		for _, m := range call.FindAllStringSubmatch(cover, -1) {
			typ, ok := types[m[1]]
			if assert.True(t, ok, "%s: no service %s", op, m[1]) {
				_, ok := typ.MethodByName(m[2])
				assert.True(t, ok, "%s: %s has no method %s", op, m[1], m[2])
			}
		}
	}
}

func TestEveryCallIsInTheCoverage(t *testing.T) {
	t.Parallel()
	named := map[string]bool{}
	call := regexp.MustCompile("`([A-Z][A-Za-z]*\\.[A-Z][A-Za-z]*)`")
	for _, cover := range coverageRows(t) {
		for _, m := range call.FindAllStringSubmatch(cover, -1) {
			named[m[1]] = true
		}
	}
	for name, typ := range callTypes() {
		if name == "Client" || name == "AppMonitorItem" {
			continue
		}
		for i := range typ.NumMethod() {
			assert.True(t, named[name+"."+typ.Method(i).Name], "COVERAGE.md does not name %s.%s", name, typ.Method(i).Name)
		}
	}
}

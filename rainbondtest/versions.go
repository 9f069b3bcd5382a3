package rainbondtest

import (
	"strconv"
	"strings"
)

// WithConsoleVersion makes the server answer as the console release
// version (e.g. "v5.2.1") did: routes added later answer Django's HTML 404
// page, methods added later to an existing route answer 405, and a team
// not opened in a region is not refused with 409 code 2001 (added in
// v6.9.2). The releases are those of the console's route history, as the
// SDK's ErrUnsupported reports them. The default is the newest console.
func WithConsoleVersion(version string) Option {
	return func(o *options) { o.version = version }
}

// parseVersion reads "v5.2.1" (or "5.2.1-release") into its numbers; nil
// for "", the newest console.
func parseVersion(v string) []int {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	v, _, _ = strings.Cut(v, "-")
	if v == "" {
		return nil
	}
	var out []int
	for _, part := range strings.Split(v, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			n = 0
		}
		out = append(out, n)
	}
	return out
}

// has reports whether the server's console has what release since added
// ("" for what every console with the OpenAPI has).
func (s *Server) has(since string) bool {
	if s.version == nil || since == "" {
		return true
	}
	want := parseVersion(since)
	for i := range max(len(want), len(s.version)) {
		a, b := at(s.version, i), at(want, i)
		if a != b {
			return a > b
		}
	}
	return true
}

func at(v []int, i int) int {
	if i < len(v) {
		return v[i]
	}
	return 0
}

package rainbond

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompareVersionsReadsVersionsAsPeopleDo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ older, newer string }{
		{"1.9.2", "1.10.0"},     // numbers, not text
		{"1.9.2-rc.1", "1.9.2"}, // semver: a pre-release is older
		{"1.0.0-alpha", "1.0.0-beta"},
		{"1.0.0-rc.9", "1.0.0-rc.10"},
		{"v1.2.3", "1.2.4"},       // a leading v is ignored
		{"6.9", "6.10"},           // not semver: segments
		{"1.2", "1.2.1"},          // a prefix is older
		{"1.a", "1.0"},            // text ranks below a number, as the console ranks it
		{"6.9-php8", "6.10-php8"}, // digits inside text are numbers
		{"2024.01.9", "2024.01.10"},
		{"0099", "100"},
	} {
		assert.Equal(t, -1, CompareVersions(tc.older, tc.newer), "%s < %s", tc.older, tc.newer)
		assert.Equal(t, 1, CompareVersions(tc.newer, tc.older), "%s > %s", tc.newer, tc.older)
	}
	assert.Equal(t, 0, CompareVersions("1.2.3", "1.2.3"))
	assert.NotZero(t, CompareVersions("1.0", "v1.0"), "equal ranks, different text: still ordered")
}

// TestCompareVersionsIsATotalOrder checks what sorting relies on, over
// random versions: antisymmetry and transitivity, and 0 only for equal
// strings.
func TestCompareVersionsIsATotalOrder(t *testing.T) {
	t.Parallel()
	parts := []string{"0", "1", "2", "9", "10", "01", "a", "rc1", "rc10", "v1", "1-rc.1", "1+b", "-", ""}
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() string {
		n := 1 + r.IntN(4)
		s := ""
		for i := range n {
			if i > 0 {
				s += "."
			}
			s += parts[r.IntN(len(parts))]
		}
		return s
	}
	vs := make([]string, 300)
	for i := range vs {
		vs[i] = gen()
	}
	for _, a := range vs[:60] {
		for _, b := range vs[:60] {
			ab, ba := CompareVersions(a, b), CompareVersions(b, a)
			if ab != -ba || (ab == 0) != (a == b) {
				t.Fatalf("compare(%q, %q) = %d, compare(%q, %q) = %d", a, b, ab, b, a, ba)
			}
			for _, c := range vs[:60] {
				if ab < 0 && CompareVersions(b, c) < 0 && CompareVersions(a, c) >= 0 {
					t.Fatalf("not transitive: %q < %q < %q", a, b, c)
				}
			}
		}
	}
	sortNewestFirst(vs)
	assert.True(t, slices.IsSortedFunc(vs, func(a, b string) int { return CompareVersions(b, a) }))
}

func TestLatestIsTheNewestVersionAboveTheCurrentOne(t *testing.T) {
	t.Parallel()
	u := AppUpgradeInfo{CurrentVersion: "6.4", UpgradeVersions: []string{"6.4", "6.10", "6.5"}}
	assert.Equal(t, "6.10", u.Latest())
	u = AppUpgradeInfo{CurrentVersion: "6.10", UpgradeVersions: []string{"6.10"}} // republished
	assert.Empty(t, u.Latest())
	u = AppUpgradeInfo{UpgradeVersions: []string{"1.0", "2.0"}} // no current version: any
	assert.Equal(t, "2.0", u.Latest())
}

package rainbond

import (
	"slices"
	"strings"
)

// CompareVersions compares two app model versions the way people read
// them, and returns -1, 0 or +1 as a is older than, the same as, or newer
// than b:
//
//   - when both are semantic versions (an optional "v", then
//     MAJOR.MINOR.PATCH, an optional -prerelease and +build), by semver
//     precedence: "1.10.0" > "1.9.2" > "1.9.2-rc.1";
//   - otherwise segment by segment, split at ".": numbers as numbers
//     ("6.10" > "6.9"), a number above text (as the console ranks them),
//     text in natural order, its runs of digits as numbers ("6.10-php8" >
//     "6.9-php8"); a version that is a prefix of another is older ("1.2" <
//     "1.2.1").
//
// Versions that rank equal but are spelled differently ("1.0" and
// "v1.0", "1.0.0+a" and "1.0.0+b") are ordered by their text, so that 0
// means the same string and sorting is stable across runs.
func CompareVersions(a, b string) int {
	if a == b {
		return 0
	}
	if sa, ok := parseSemver(a); ok {
		if sb, ok := parseSemver(b); ok {
			if c := sa.compare(sb); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		}
	}
	if c := compareSegments(trimV(a), trimV(b), "."); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// sortNewestFirst sorts versions in place, newest first: the console sends
// them as a Python set, in an order that changes from one process to the
// next.
func sortNewestFirst(versions []string) {
	slices.SortFunc(versions, func(a, b string) int { return CompareVersions(b, a) })
}

// trimV drops the "v" of "v1.2".
func trimV(s string) string {
	if len(s) > 1 && (s[0] == 'v' || s[0] == 'V') && isDigits(s[1:2]) {
		return s[1:]
	}
	return s
}

type semver struct {
	core [3]string // digits, without leading zeros
	pre  string    // "" for a release
}

// parseSemver reads MAJOR.MINOR.PATCH[-PRE][+BUILD], with an optional "v".
func parseSemver(s string) (semver, bool) {
	var v semver
	s = trimV(s)
	s, _, _ = strings.Cut(s, "+")
	s, pre, hasPre := strings.Cut(s, "-")
	if hasPre && (pre == "" || slices.Contains(strings.Split(pre, "."), "")) {
		return v, false
	}
	v.pre = pre
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return v, false
	}
	for i, p := range parts {
		if !isDigits(p) || (len(p) > 1 && p[0] == '0') {
			return v, false
		}
		v.core[i] = p
	}
	return v, true
}

func (a semver) compare(b semver) int {
	for i := range a.core {
		if c := compareNumbers(a.core[i], b.core[i]); c != 0 {
			return c
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1 // a release ranks above its pre-releases
	case b.pre == "":
		return -1
	}
	return compareSegments(a.pre, b.pre, ".")
}

// compareSegments compares a and b split at sep: numbers as numbers, a
// number above text, text in natural order; a prefix ranks lower.
func compareSegments(a, b, sep string) int {
	as, bs := strings.Split(a, sep), strings.Split(b, sep)
	for i := range min(len(as), len(bs)) {
		x, y := as[i], bs[i]
		xn, yn := isDigits(x), isDigits(y)
		var c int
		switch {
		case xn && yn:
			c = compareNumbers(x, y)
		case xn:
			c = 1
		case yn:
			c = -1
		default:
			c = compareNatural(x, y)
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case len(as) < len(bs):
		return -1
	case len(as) > len(bs):
		return 1
	}
	return 0
}

// compareNumbers compares two strings of digits of any length.
func compareNumbers(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compareNatural compares text with its runs of digits read as numbers:
// "rc10" > "rc9".
func compareNatural(a, b string) int {
	for a != "" && b != "" {
		ra, rb := leadingRun(a), leadingRun(b)
		var c int
		if da, db := isDigits(ra), isDigits(rb); da && db {
			c = compareNumbers(ra, rb)
		} else {
			c = strings.Compare(ra, rb)
		}
		if c != 0 {
			return c
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	return strings.Compare(a, b)
}

// leadingRun is s's first run of digits, or of anything else.
func leadingRun(s string) string {
	digit := s[0] >= '0' && s[0] <= '9'
	i := 1
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') == digit {
		i++
	}
	return s[:i]
}

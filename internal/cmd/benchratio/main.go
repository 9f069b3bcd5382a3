// Command benchratio reads `go test -bench -benchmem` output on stdin and
// prints, for each benchmark measured both ways, the ratio of the SDK to
// the hand-written baseline (impl=sdk / impl=baseline, codec=X /
// codec=baseline), and of the JSON codec hook to the default codec
// (codec=hook / codec=default), from the median of the runs (-count). It
// is how BENCHMARKS.md's tables are made:
//
//	go test -run='^$' -bench=. -benchmem -count=6 . | go run ./internal/cmd/benchratio
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// metrics are the per-op measurements of one benchmark line: wall time,
// process CPU time (when the benchmark reports cpu-ns/op), bytes and
// allocations.
type metrics struct{ ns, cpu, bytes, allocs float64 }

// pairs maps the side measured to the side it is compared with: the SDK to
// the hand-written baseline, encoding/json plugged into the codec hook to
// the default codec, and each codec of internal/benchcodec to the baseline.
var pairs = [][2]string{
	{"impl=sdk", "impl=baseline"}, {"codec=hook", "codec=default"},
	{"codec=default", "codec=baseline"}, {"codec=goccy", "codec=baseline"}, {"codec=stdlib", "codec=baseline"},
}

var (
	line  = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)
	value = regexp.MustCompile(`([\d.]+) (\S+)`)
)

func main() {
	runs, order, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
	if err := report(os.Stdout, runs, order); err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}

func parse(r io.Reader) (map[string][]metrics, []string, error) {
	runs := map[string][]metrics{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var got metrics
		for _, v := range value.FindAllStringSubmatch(m[2], -1) {
			switch v[2] {
			case "ns/op":
				got.ns = num(v[1])
			case "cpu-ns/op":
				got.cpu = num(v[1])
			case "B/op":
				got.bytes = num(v[1])
			case "allocs/op":
				got.allocs = num(v[1])
			}
		}
		name := m[1]
		if _, seen := runs[name]; !seen {
			order = append(order, name)
		}
		runs[name] = append(runs[name], got)
	}
	return runs, order, sc.Err()
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func report(w io.Writer, runs map[string][]metrics, order []string) error {
	fmt.Fprintln(w, "| benchmark | time/op | ratio | CPU/op | ratio | B/op | ratio | allocs/op | ratio | runs |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	rows := 0
	for _, name := range order {
		for _, p := range pairs {
			if !strings.Contains(name, p[0]) {
				continue
			}
			other := strings.Replace(name, p[0], p[1], 1)
			a, b := median(runs[name]), median(runs[other])
			if len(runs[other]) == 0 {
				continue
			}
			fmt.Fprintf(w, "| %s | %s vs %s | %s | %s vs %s | %s | %.0f vs %.0f | %s | %.0f vs %.0f | %s | %d |\n",
				strings.Replace(strings.TrimPrefix(name, "Benchmark"), p[0], p[0]+" vs "+strings.SplitN(p[1], "=", 2)[1], 1),
				dur(a.ns), dur(b.ns), ratio(a.ns, b.ns), dur(a.cpu), dur(b.cpu), ratio(a.cpu, b.cpu),
				a.bytes, b.bytes, ratio(a.bytes, b.bytes), a.allocs, b.allocs, ratio(a.allocs, b.allocs), len(runs[name]))
			rows++
		}
	}
	if rows == 0 {
		return fmt.Errorf("no pair of benchmarks to compare in the input")
	}
	return nil
}

func median(ms []metrics) metrics {
	pick := func(f func(metrics) float64) float64 {
		v := make([]float64, len(ms))
		for i, m := range ms {
			v[i] = f(m)
		}
		slices.Sort(v)
		if len(v) == 0 {
			return 0
		}
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return metrics{
		ns:     pick(func(m metrics) float64 { return m.ns }),
		cpu:    pick(func(m metrics) float64 { return m.cpu }),
		bytes:  pick(func(m metrics) float64 { return m.bytes }),
		allocs: pick(func(m metrics) float64 { return m.allocs }),
	}
}

// ratio is a/b in bold, or "-" when either side was not measured.
func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return fmt.Sprintf("**%.2f**", a/b)
}

func dur(ns float64) string {
	switch {
	case ns == 0:
		return "-"
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.0fns", ns)
}

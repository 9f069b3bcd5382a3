package rainbond_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/internal/benchbase"
)

// The benchmarks compare the SDK with the hand-written client of
// internal/benchbase (net/http, encoding/json and plain structs of its own)
// making the same two calls against the same loopback server, in the same
// run. See BENCHMARKS.md for how to read them.

// TestBaselineSendsTheSDKsBytes keeps the comparison fair: both sides send
// the same request, byte for byte, and decode the same answer to the same
// values.
func TestBaselineSendsTheSDKsBytes(t *testing.T) {
	answer := benchbase.ComponentsBody(t, 2, false)
	var got [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, append([]byte(r.Method+" "+r.URL.String()+"\n"), b...))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer srv.Close()
	ctx := context.Background()
	sdk, _, err := benchbase.SDK(t, srv.URL).Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchbase.Install(), benchbase.Deploy)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := benchbase.NewBaseline(srv.URL).Install(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !bytes.Equal(got[0], got[1]) {
		t.Fatalf("the two requests differ:\n%s\n%s", got[0], got[1])
	}
	if len(sdk.ServiceList) != 2 || sdk.ServiceList[1].K8sComponentName != plain.ServiceList[1].K8sComponentName ||
		sdk.ServiceList[1].CodeVersion != plain.ServiceList[1].CodeVersion || sdk.ServiceList[1].MinMemory != plain.ServiceList[1].MinMemory {
		t.Fatalf("the two decode differently: %+v / %+v", sdk.ServiceList[1], plain.ServiceList[1])
	}
	got = nil
	_, _, _ = benchbase.SDK(t, srv.URL).Apps.CopyApp(ctx, "o19p6wen", "rainbond", 1, benchbase.Copy())
	_, _ = benchbase.NewBaseline(srv.URL).Copy(ctx)
	if len(got) != 2 || !bytes.Equal(got[0], got[1]) {
		t.Fatalf("the two copy requests differ:\n%s\n%s", got[0], got[1])
	}
}

// TestBenchmarkAnswersCarryUnknownMembers keeps the comparison honest: the
// console's real components carry members the SDK does not model (see
// benchbase.UnknownMembers), which the SDK keeps in Extra and the baseline
// skips, so every component of the answers measured has some of every
// kind.
func TestBenchmarkAnswersCarryUnknownMembers(t *testing.T) {
	ctx := context.Background()
	for _, copyAnswer := range []bool{false, true} {
		srv := benchbase.Server(t, benchbase.ComponentsBody(t, 3, copyAnswer))
		c := benchbase.SDK(t, srv.URL)
		var comps []rainbond.ServiceBaseInfo
		if copyAnswer {
			res, _, err := c.Apps.CopyApp(ctx, "o19p6wen", "rainbond", 1, benchbase.Copy())
			if err != nil {
				t.Fatal(err)
			}
			comps = res.Services
		} else {
			res, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchbase.Install(), benchbase.Deploy)
			if err != nil {
				t.Fatal(err)
			}
			comps = res.ServiceList
		}
		if len(comps) != 3 {
			t.Fatalf("copy %v: %d components", copyAnswer, len(comps))
		}
		for i, comp := range comps {
			kinds := map[string]int{}
			for _, raw := range comp.Extra {
				switch raw[0] {
				case '"':
					kinds["string"]++
				case '{':
					kinds["object"]++
				case '[':
					kinds["array"]++
				case 'n':
					kinds["null"]++
				case 't', 'f':
					kinds["boolean"]++
				default:
					kinds["number"]++
				}
			}
			if len(comp.Extra) < 5 || kinds["string"] == 0 || kinds["number"] == 0 || kinds["null"] == 0 ||
				kinds["object"] == 0 || kinds["array"] == 0 {
				t.Errorf("copy %v, component %d: unknown members %v, want at least 5 of mixed kinds", copyAnswer, i, kinds)
			}
		}
	}
}

func BenchmarkInstall(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1, 100, 1000} {
		srv := benchbase.Server(b, benchbase.ComponentsBody(b, n, false))
		b.Run(fmt.Sprintf("components=%d/impl=sdk", n), func(b *testing.B) {
			c := benchbase.SDK(b, srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchbase.Install(), benchbase.Deploy)
				if err != nil || len(res.ServiceList) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("components=%d/impl=baseline", n), func(b *testing.B) {
			c := benchbase.NewBaseline(srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, err := c.Install(ctx)
				if err != nil || len(res.ServiceList) != n {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCopy(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1, 100, 1000} {
		srv := benchbase.Server(b, benchbase.ComponentsBody(b, n, true))
		b.Run(fmt.Sprintf("components=%d/impl=sdk", n), func(b *testing.B) {
			c := benchbase.SDK(b, srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, _, err := c.Apps.CopyApp(ctx, "o19p6wen", "rainbond", 1, benchbase.Copy())
				if err != nil || len(res.Services) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("components=%d/impl=baseline", n), func(b *testing.B) {
			c := benchbase.NewBaseline(srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, err := c.Copy(ctx)
				if err != nil || len(res.Services) != n {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInstallParallel runs 32 goroutines (whatever GOMAXPROCS is)
// against one client.
func BenchmarkInstallParallel(b *testing.B) {
	ctx := context.Background()
	srv := benchbase.Server(b, benchbase.ComponentsBody(b, 1, false))
	parallelism := max(1, 32/runtime.GOMAXPROCS(0))
	b.Run("components=1/impl=sdk", func(b *testing.B) {
		c := benchbase.SDK(b, srv.URL)
		defer cpuPerOp(b)()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchbase.Install(), benchbase.Deploy); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("components=1/impl=baseline", func(b *testing.B) {
		c := benchbase.NewBaseline(srv.URL)
		defer cpuPerOp(b)()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Install(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkPeakHeap measures, for one install of 1000 components from a
// cold start (no pooled buffer), the heap the call needs at its peak: the
// collector is off during the call, so nothing is freed and its B/op is
// the height the heap reaches.
func BenchmarkPeakHeap(b *testing.B) {
	ctx := context.Background()
	srv := benchbase.Server(b, benchbase.ComponentsBody(b, 1000, false))
	measure := func(b *testing.B, call func() error) {
		for b.Loop() {
			b.StopTimer()
			runtime.GC()
			runtime.GC() // twice: a pool keeps its buffers through one collection
			old := debug.SetGCPercent(-1)
			b.StartTimer()
			err := call()
			b.StopTimer()
			debug.SetGCPercent(old)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
	b.Run("components=1000/impl=sdk", func(b *testing.B) {
		c := benchbase.SDK(b, srv.URL)
		measure(b, func() error {
			_, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchbase.Install(), benchbase.Deploy)
			return err
		})
	})
	b.Run("components=1000/impl=baseline", func(b *testing.B) {
		c := benchbase.NewBaseline(srv.URL)
		measure(b, func() error { _, err := c.Install(ctx); return err })
	})
}

// stdlibCodec is encoding/json behind the codec hook: what a user who
// wants encoding/json's strictness would plug in.
type stdlibCodec struct{}

func (stdlibCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (stdlibCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// BenchmarkJSONCodecHook shows that the hook reaches every decoded byte:
// with encoding/json plugged in, a 1000-component install costs what
// encoding/json costs. (internal/benchcodec plugs in a third-party codec.)
func BenchmarkJSONCodecHook(b *testing.B) {
	ctx := context.Background()
	srv := benchbase.Server(b, benchbase.ComponentsBody(b, 1000, false))
	for _, tc := range []struct {
		name string
		opts []rainbond.Option
	}{{"codec=default", nil}, {"codec=hook", []rainbond.Option{rainbond.WithJSONCodec(stdlibCodec{})}}} {
		b.Run("components=1000/"+tc.name, func(b *testing.B) {
			c := benchbase.SDK(b, srv.URL, tc.opts...)
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchbase.Install(), benchbase.Deploy); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cpuPerOp first returns the previous sub-benchmark's memory to the OS (a
// 1000-component answer leaves megabytes), outside the timed loop: without
// it, whichever side runs right after the largest case pays for the
// runtime's background scavenging of the other's memory. It then returns a
// function that reports the process CPU time (user and system, every
// thread: client, server and runtime) spent per operation since, as
// "cpu-ns/op". Unlike wall time it hardly moves with what else the machine
// runs, so it is the steadier measure of what a call costs.
func cpuPerOp(b *testing.B) func() {
	debug.FreeOSMemory()
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

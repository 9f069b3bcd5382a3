package rainbond_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// The benchmarks compare the SDK with a careful hand-written client doing
// the identical request (same body, headers and query, decoded into the
// same structs) against the same loopback server, in the same run. See
// BENCHMARKS.md for how to read them.

const benchToken = "bench-token-0b6f2c8e4d1a4f7e9c3b5a7d9e1f3a5c"

// componentsBody returns an install answer with n components, each a copy
// of a realistic console component with its own ids.
func componentsBody(tb testing.TB, n int, copyAnswer bool) []byte {
	raw, err := os.ReadFile("testdata/console/install.json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(doc["service_list"], &list); err != nil {
		tb.Fatal(err)
	}
	comps := make([]map[string]json.RawMessage, n)
	for i := range comps {
		c := make(map[string]json.RawMessage, len(list[0]))
		for k, v := range list[i%2] {
			c[k] = v
		}
		c["service_id"] = json.RawMessage(strconv.Quote(fmt.Sprintf("%032x", i)))
		c["service_alias"] = json.RawMessage(strconv.Quote(fmt.Sprintf("gr%06x", i)))
		comps[i] = c
	}
	var out []byte
	if copyAnswer {
		out, err = json.Marshal(map[string]any{"services": comps})
	} else {
		doc["service_list"], _ = json.Marshal(comps)
		out, err = json.Marshal(doc)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// benchServer answers every request with body, as the console would.
func benchServer(tb testing.TB, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

func benchInstall() *rainbond.Install {
	return &rainbond.Install{
		MarketURL: "https://store.goodrain.com", MarketDomain: "rainbond", MarketType: "rainstore",
		MarketAccessKey: "0af5dff63cb740788e1234567890abcd", AppModelID: "a9a2c3e4f5b6478899aabbccddeeff00", AppModelVersion: "1.2.0",
	}
}

func benchCopy() *rainbond.AppCopyC {
	return &rainbond.AppCopyC{
		Services:       []rainbond.AppCopyModify{{ServiceID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}, {ServiceID: "f9e8d7c6b5a4938271605f4e3d2c1b0a"}},
		TargetTeamName: "k2m8x4qa", TargetRegionName: "rainbond", TargetAppID: 2,
	}
}

// baseline is the hand-written client a careful engineer would write:
// net/http and encoding/json, a pooled transport, a timeout (the SDK's
// default, 30 s), the body streamed into the decoder and drained.
type baseline struct {
	hc   *http.Client
	base string
}

func newBaseline(url string) *baseline {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 100, 100
	return &baseline{hc: &http.Client{Transport: tr, Timeout: rainbond.DefaultTimeout}, base: url + "/openapi/v1"}
}

func (b *baseline) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", benchToken)
	req.Header.Set("User-Agent", "rainbond-go/"+rainbond.Version)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	err = json.NewDecoder(resp.Body).Decode(out)
	_, _ = io.Copy(io.Discard, resp.Body)
	return err
}

func (b *baseline) install(ctx context.Context) (*rainbond.MarketInstall, error) {
	out := new(rainbond.MarketInstall)
	return out, b.post(ctx, "/teams/o19p6wen/regions/rainbond/apps/1/install?is_deploy=true", benchInstall(), out)
}

func (b *baseline) copy(ctx context.Context) (*rainbond.AppCopyCRes, error) {
	out := new(rainbond.AppCopyCRes)
	return out, b.post(ctx, "/teams/o19p6wen/regions/rainbond/apps/1/copy", benchCopy(), out)
}

func sdkClient(tb testing.TB, url string, opts ...rainbond.Option) *rainbond.Client {
	c, err := rainbond.NewClient(url, append([]rainbond.Option{rainbond.WithToken(benchToken)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var deploy = &rainbond.InstallOptions{Deploy: true}

func BenchmarkInstall(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1, 100, 1000} {
		srv := benchServer(b, componentsBody(b, n, false))
		b.Run(fmt.Sprintf("components=%d/impl=sdk", n), func(b *testing.B) {
			c := sdkClient(b, srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchInstall(), deploy)
				if err != nil || len(res.ServiceList) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("components=%d/impl=baseline", n), func(b *testing.B) {
			c := newBaseline(srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, err := c.install(ctx)
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
		srv := benchServer(b, componentsBody(b, n, true))
		b.Run(fmt.Sprintf("components=%d/impl=sdk", n), func(b *testing.B) {
			c := sdkClient(b, srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, _, err := c.Apps.CopyApp(ctx, "o19p6wen", "rainbond", 1, benchCopy())
				if err != nil || len(res.Services) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("components=%d/impl=baseline", n), func(b *testing.B) {
			c := newBaseline(srv.URL)
			defer cpuPerOp(b)()
			for b.Loop() {
				res, err := c.copy(ctx)
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
	srv := benchServer(b, componentsBody(b, 1, false))
	parallelism := max(1, 32/runtime.GOMAXPROCS(0))
	b.Run("components=1/impl=sdk", func(b *testing.B) {
		c := sdkClient(b, srv.URL)
		defer cpuPerOp(b)()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchInstall(), deploy); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("components=1/impl=baseline", func(b *testing.B) {
		c := newBaseline(srv.URL)
		defer cpuPerOp(b)()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.install(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// stdlibCodec is encoding/json behind the codec hook, to show that the
// hook itself costs nothing.
type stdlibCodec struct{}

func (stdlibCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (stdlibCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

func BenchmarkJSONCodecHook(b *testing.B) {
	ctx := context.Background()
	srv := benchServer(b, componentsBody(b, 100, false))
	for name, opts := range map[string][]rainbond.Option{
		"codec=default": nil,
		"codec=hook":    {rainbond.WithJSONCodec(stdlibCodec{})},
	} {
		b.Run("components=100/"+name, func(b *testing.B) {
			c := sdkClient(b, srv.URL, opts...)
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchInstall(), deploy); err != nil {
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
// "cpu-ns/op". Unlike wall time it
// hardly moves with what else the machine runs, so it is the steadier
// measure of what a call costs.
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

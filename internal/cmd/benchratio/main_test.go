package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
BenchmarkInstall/components=1/impl=sdk-2         	    5718	    200 ns/op	   400 cpu-ns/op	   150 B/op	     12 allocs/op
BenchmarkInstall/components=1/impl=baseline-2    	    6400	    100 ns/op	   200 cpu-ns/op	   100 B/op	     10 allocs/op
BenchmarkInstall/components=1/impl=sdk-2         	    5718	    300 ns/op	   400 cpu-ns/op	   150 B/op	     12 allocs/op
BenchmarkInstall/components=1/impl=baseline-2    	    6400	    100 ns/op	   200 cpu-ns/op	   100 B/op	     10 allocs/op
BenchmarkInstall/components=1/impl=sdk-2         	    5718	    900 ns/op	   400 cpu-ns/op	   150 B/op	     12 allocs/op
BenchmarkInstall/components=1/impl=baseline-2    	    6400	    100 ns/op	   200 cpu-ns/op	   100 B/op	     10 allocs/op
BenchmarkJSONCodecHook/components=100/codec=hook-2 	 10	 1000 ns/op	 5 B/op	 1 allocs/op
BenchmarkJSONCodecHook/components=100/codec=default-2 	 10	 1000 ns/op	 5 B/op	 1 allocs/op
PASS
`

func TestRatiosComeFromTheMedians(t *testing.T) {
	t.Parallel()
	runs, order, err := parse(strings.NewReader(sample))
	require.NoError(t, err)
	var out strings.Builder
	require.NoError(t, report(&out, runs, order))
	assert.Contains(t, out.String(), "| Install/components=1/impl=sdk vs baseline | 300ns vs 100ns | **3.00** | 400ns vs 200ns | **2.00** | 150 vs 100 | **1.50** | 12 vs 10 | **1.20** | 3 |")
	assert.Contains(t, out.String(), "codec=hook vs default | 1.0µs vs 1.0µs | **1.00** | - vs - | - |", "no CPU metric, no CPU ratio")
}

func TestNothingToCompareIsAnError(t *testing.T) {
	t.Parallel()
	runs, order, err := parse(strings.NewReader("BenchmarkX-2 10 5 ns/op\n"))
	require.NoError(t, err)
	assert.Error(t, report(&strings.Builder{}, runs, order))
}

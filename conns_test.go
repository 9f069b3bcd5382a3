package rainbond_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/internal/benchbase"
)

// countingServer answers installs and counts the TCP connections it
// accepts.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	body := benchbase.ComponentsBody(t, 1, false)
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// installConcurrently makes calls installs from goroutines goroutines
// sharing client.
func installConcurrently(t *testing.T, client *rainbond.Client, goroutines, calls int) {
	t.Helper()
	var next atomic.Int32
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for next.Add(1) <= int32(calls) {
				_, _, err := client.Apps.InstallFromMarket(context.Background(), "o19p6wen", "rainbond", 1, benchbase.Install(), nil)
				if !assert.NoError(t, err) {
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestConcurrentCallsReuseConnections(t *testing.T) {
	t.Parallel()
	srv, conns := countingServer(t)
	client := benchbase.SDK(t, srv.URL)
	installConcurrently(t, client, 32, 2000)
	assert.LessOrEqual(t, conns.Load(), int32(32), "at most one connection per goroutine")
	assert.Positive(t, conns.Load())

	before := conns.Load()
	client.CloseIdleConnections()
	_, _, err := client.Apps.InstallFromMarket(context.Background(), "o19p6wen", "rainbond", 1, benchbase.Install(), nil)
	require.NoError(t, err, "usable after closing its idle connections")
	assert.Equal(t, conns.Load(), before+1, "exactly one new connection")
}

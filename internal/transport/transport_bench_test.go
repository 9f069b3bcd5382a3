package transport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkSend measures what resty costs: one POST with a small body and
// a small answer, through Transport (impl=resty) and through the same
// *http.Client directly (impl=nethttp), in the same run:
//
//	go test -run='^$' -bench=Send -benchmem ./internal/transport
func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	header := http.Header{"Content-Type": {"application/json"}, "Authorization": {"token"}}
	body := []byte(`{"market_url":"https://store.example.com","app_model_id":"a9a2c3e4"}`)
	ctx := context.Background()
	drain := func(resp *http.Response) {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	b.Run("impl=resty", func(b *testing.B) {
		b.ReportAllocs()
		tr := New(srv.Client())
		for b.Loop() {
			resp, err := tr.Do(ctx, http.MethodPost, srv.URL+"/x", header, body)
			if err != nil {
				b.Fatal(err)
			}
			drain(resp)
		}
	})
	b.Run("impl=nethttp", func(b *testing.B) {
		b.ReportAllocs()
		hc := srv.Client()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/x", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header = header
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			drain(resp)
		}
	})
}

// Package benchcodec measures the SDK with a third-party JSON library
// plugged into rainbond.WithJSONCodec. It is a module of its own so that
// the SDK's go.mod never lists the library its users would then inherit:
//
//	cd internal/benchcodec && go test -run='^$' -bench=. -benchmem -count=6 . | go run ../cmd/benchratio
package benchcodec

import (
	"context"
	"encoding/json"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/internal/benchbase"
)

// goccyCodec is github.com/goccy/go-json, which reads encoding/json's tags
// and methods.
type goccyCodec struct{}

func (goccyCodec) Marshal(v any) ([]byte, error)      { return gojson.Marshal(v) }
func (goccyCodec) Unmarshal(data []byte, v any) error { return gojson.Unmarshal(data, v) }

// stdlibCodec is encoding/json, the slowest codec one could plug in.
type stdlibCodec struct{}

func (stdlibCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (stdlibCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// BenchmarkCodecs installs 1000 components with each codec, against the
// hand-written baseline in the same run: codec=X vs baseline is how much
// of the baseline's cost the SDK with codec X takes.
func BenchmarkCodecs(b *testing.B) {
	ctx := context.Background()
	srv := benchbase.Server(b, benchbase.ComponentsBody(b, 1000, false))
	for _, tc := range []struct {
		name  string
		codec rainbond.JSONCodec
	}{{"goccy", goccyCodec{}}, {"stdlib", stdlibCodec{}}, {"default", nil}} {
		b.Run("components=1000/codec="+tc.name, func(b *testing.B) {
			var opts []rainbond.Option
			if tc.codec != nil {
				opts = append(opts, rainbond.WithJSONCodec(tc.codec))
			}
			c := benchbase.SDK(b, srv.URL, opts...)
			for b.Loop() {
				res, _, err := c.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, benchbase.Install(), benchbase.Deploy)
				if err != nil || len(res.ServiceList) != 1000 {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("components=1000/codec=baseline", func(b *testing.B) {
		c := benchbase.NewBaseline(srv.URL)
		for b.Loop() {
			if _, err := c.Install(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestGoccyDecodesTheConsolesAnswer checks that the codec measured gives
// the same components, so that the numbers compare like with like.
func TestGoccyDecodesTheConsolesAnswer(t *testing.T) {
	srv := benchbase.Server(t, benchbase.ComponentsBody(t, 3, false))
	ctx := context.Background()
	want, _, err := benchbase.SDK(t, srv.URL).Apps.InstallFromMarket(ctx, "t", "r", 1, benchbase.Install(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := benchbase.SDK(t, srv.URL, rainbond.WithJSONCodec(goccyCodec{})).Apps.InstallFromMarket(ctx, "t", "r", 1, benchbase.Install(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ServiceList) != 3 || got.ServiceList[2].ServiceID != want.ServiceList[2].ServiceID ||
		got.ServiceList[1].CodeVersion != want.ServiceList[1].CodeVersion {
		t.Fatalf("goccy %+v, default %+v", got.ServiceList[1], want.ServiceList[1])
	}
}

module github.com/rbdkit/rainbond-go/internal/benchcodec

go 1.25.0

require github.com/rbdkit/rainbond-go v0.0.0

require (
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/goccy/go-json v0.10.5
	golang.org/x/net v0.43.0 // indirect
)

replace github.com/rbdkit/rainbond-go => ../..

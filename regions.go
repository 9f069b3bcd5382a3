package rainbond

import (
	"context"
	"net/http"
)

// RegionsService lists the enterprise's regions (clusters). Reach it as
// Client.Regions.
type RegionsService struct {
	client *Client
}

// RegionInfo is a region (cluster) of the enterprise.
type RegionInfo struct {
	// RegionID is the region's id.
	RegionID string `json:"region_id"`
	// RegionName is the region's name, for the region_name of app calls
	// and [AppCopyC].TargetRegionName.
	RegionName string `json:"region_name"`
	// RegionAlias is the region's display name.
	RegionAlias string `json:"region_alias"`
	// URL is the region's API address.
	URL string `json:"url"`
	// WsURL is the region's websocket address.
	WsURL string `json:"wsurl"`
	// HTTPDomain is the root domain of the region's HTTP gateway.
	HTTPDomain string `json:"httpdomain"`
	// TCPDomain is the root domain of the region's TCP gateway.
	TCPDomain string `json:"tcpdomain"`
	// Scope is "private" or "public".
	Scope string `json:"scope"`
	// SSLCACert is the region API's CA certificate, when sent.
	SSLCACert *string `json:"ssl_ca_cert"`
	// CertFile is the client certificate for the region API, when sent.
	CertFile *string `json:"cert_file"`
	// KeyFile is the client key for the region API, when sent: a secret.
	KeyFile *string `json:"key_file"`
	// Status is "0" editing, "1" enabled, "2" disabled, "3" maintenance.
	Status string `json:"status"`
	// Desc is the region's description.
	Desc string `json:"desc"`
}

// List returns every region of the enterprise. The console serves it to
// enterprise administrators.
func (s *RegionsService) List(ctx context.Context, callOpts ...CallOption) ([]RegionInfo, *Response, error) {
	var v validator
	v.context(ctx)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []RegionInfo
	resp, err := s.client.do(ctx, request{method: http.MethodGet, path: "/regions", opts: callOpts}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

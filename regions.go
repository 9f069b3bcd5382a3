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
//
// Source: ListRegionInfo.get in openapi/views/region_view.py, validated
// with RegionInfoRespSerializer (openapi/serializer/region_serializer.py).
// The view asks console/services/region_services.py for the regions at
// level "", which leaves out the websocket address and the gateway
// domains (wsurl, httpdomain, tcpdomain are never sent; read them from
// [TeamsService.ListRegions]) and the certificates (always null).
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
	// Scope is "private" or "public".
	Scope string `json:"scope"`
	// Status is "0" editing, "1" enabled, "2" disabled, "3" maintenance.
	Status string `json:"status"`
	// Desc is the region's description.
	Desc string `json:"desc"`
	// SSLCACert, CertFile and KeyFile are the region API's certificates.
	// This route always sends null for them: they stay "".
	SSLCACert string `json:"ssl_ca_cert"`
	// CertFile: see SSLCACert.
	CertFile string `json:"cert_file"`
	// KeyFile: see SSLCACert.
	KeyFile string `json:"key_file"`
}

// List returns every region of the enterprise. The console serves it to
// enterprise administrators.
//
// It calls GET /openapi/v1/regions.
func (s *RegionsService) List(ctx context.Context, callOpts ...CallOption) ([]RegionInfo, *Response, error) {
	v := s.client.validator(ctx)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []RegionInfo
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/regions", opts: callOpts}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

package rainbond

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
)

// RegionsService lists, reads and adds the enterprise's regions
// (clusters). Reach it as
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
	// KeyFile: see SSLCACert; a [Secret].
	KeyFile Secret `json:"key_file"`
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

// Releases that added the region routes.
const sinceRegions = "v5.1.6"

// Region is a region (cluster) as [RegionsService.Get] and
// [RegionsService.Create] return it.
//
// Source: RegionInfoRSerializer (Get, validated: the console answers 400
// when the region's URL, websocket URL, domains, scope or certificates
// are the empty string) and RegionInfoSerializer (Create, the row as
// stored). Get leaves out RegionID, EnterpriseID and Token; Create leaves
// out the resources.
type Region struct {
	// RegionID is the region's id (Create only).
	RegionID string `json:"region_id"`
	// RegionName is the region's name, for the region_name of app calls.
	RegionName string `json:"region_name"`
	// RegionAlias is the display name.
	RegionAlias string `json:"region_alias"`
	// URL is the cluster API's address.
	URL string `json:"url"`
	// WsURL is the cluster's websocket address.
	WsURL string `json:"wsurl"`
	// HTTPDomain is the root domain of the HTTP gateway.
	HTTPDomain string `json:"httpdomain"`
	// TCPDomain is the address of the TCP gateway.
	TCPDomain string `json:"tcpdomain"`
	// Scope is "private" or "public".
	Scope string `json:"scope"`
	// SSLCACert and CertFile are the cluster API's CA and client
	// certificate (PEM); the console sends them to any user.
	SSLCACert string `json:"ssl_ca_cert"`
	// CertFile: see SSLCACert.
	CertFile string `json:"cert_file"`
	// KeyFile is the client certificate's private key: a [Secret].
	KeyFile Secret `json:"key_file"`
	// Token is the region's API token (Create only): a [Secret].
	Token Secret `json:"token"`
	// Status is "0" editing, "1" enabled, "2" disabled, "3" maintenance.
	Status string `json:"status"`
	// Desc is the description.
	Desc string `json:"desc"`
	// EnterpriseID is the region's enterprise (Create only).
	EnterpriseID string `json:"enterprise_id"`
	// HealthStatus is "ok", or "failure" when the cluster could not be
	// asked (Get with WithUsage).
	HealthStatus string `json:"health_status"`
	// UsedCPU and TotalCPU are cores requested and allocatable (Get with
	// WithUsage; 0 otherwise).
	UsedCPU float64 `json:"used_cpu"`
	// TotalCPU: see UsedCPU.
	TotalCPU float64 `json:"total_cpu"`
	// UsedMemory and TotalMemory are MiB requested and allocatable.
	UsedMemory float64 `json:"used_memory"`
	// TotalMemory: see UsedMemory.
	TotalMemory float64 `json:"total_memory"`
	// UsedDisk and TotalDisk are GiB.
	UsedDisk float64 `json:"used_disk"`
	// TotalDisk: see UsedDisk.
	TotalDisk float64 `json:"total_disk"`
}

// RegionGetOptions are the options of [RegionsService.Get].
type RegionGetOptions struct {
	// WithUsage asks the cluster for its resources (slower: the console
	// calls the cluster).
	WithUsage bool
}

// Get returns region region (its region_name or region_id) of the token
// user's enterprise.
//
// It calls GET /openapi/v1/regions/{region_id} (consoles since v5.1.6),
// which any user may call. [ErrNotFound] for an unknown region;
// [ErrBadRequest] for a region whose addresses or certificates are ""
// (the console's answer fails its own check).
func (s *RegionsService) Get(ctx context.Context, region string, opts *RegionGetOptions, callOpts ...CallOption) (*Region, *Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("region_id", region)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := ""
	if opts != nil && opts.WithUsage {
		query = "extend_info=true"
	}
	out := new(Region)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/regions/" + url.PathEscape(region), query: query, opts: callOpts, since: sinceRegions}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// RegionCreate is the body of [RegionsService.Create].
type RegionCreate struct {
	// Name is the region's name: letters, digits, '_' and '-' (the
	// OpenAPI's routes take no other), at most 64, unique.
	Name string
	// Alias is the display name, at most 64 characters.
	Alias string
	// URL and WsURL are the cluster API's addresses: http(s) and ws(s),
	// on a dotted domain, localhost or an IPv4 (the console refuses
	// in-cluster names such as https://rbd-api-api:8443).
	URL string
	// WsURL: see URL.
	WsURL string
	// HTTPDomain is the root domain of the HTTP gateway.
	HTTPDomain string
	// TCPDomain is the TCP gateway's address, starting with an IPv4.
	TCPDomain string
	// Scope is "private" (the default) or "public".
	Scope string
	// SSLCACert and CertFile are the API's CA and client certificate, and
	// KeyFile the client's private key (PEM), when the API needs them.
	SSLCACert string
	// CertFile: see SSLCACert.
	CertFile string
	// KeyFile: see SSLCACert.
	KeyFile Secret
	// Token is the region's API token, if any.
	Token Secret
	// Status is "1" enabled (the default), "0" editing, "2" disabled or
	// "3" maintenance.
	Status string
	// Desc is a description, at most 200 characters.
	Desc string
	// EnterpriseID is the region's enterprise; "" for the token user's
	// (the console does not use the caller's).
	EnterpriseID string
}

// regionURL and regionTCP are the console's urlregex and ipregex
// (openapi/serializer/utils.py); ipregex is matched at the start only.
var (
	regionURL = regexp.MustCompile(`(?i)^(?:http|ftp|ws)s?://(?:(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+(?:[A-Z]{2,6}\.?|[A-Z0-9-]{2,}\.?)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?::\d+)?(?:/?|[/?]\S+)$`)
	regionTCP = regexp.MustCompile(`^((2(5[0-5]|[0-4]\d))|[0-1]?\d{1,2})(\.((2(5[0-5]|[0-4]\d))|[0-1]?\d{1,2})){3}`)
)

func (v *validator) regionCreate(in *RegionCreate) {
	v.pathSegment("region_name", in.Name)
	v.text("region_alias", in.Alias, charField{required: true, max: 64, noTrimming: true})
	for _, f := range []struct{ name, value, scheme string }{{"url", in.URL, "http"}, {"wsurl", in.WsURL, "ws"}} {
		v.text(f.name, f.value, charField{required: true, max: 256, noTrimming: true})
		if f.value != "" && !regionURL.MatchString(f.value) {
			v.add(f.name, "%q: the console takes a %s(s):// address on a dotted domain, localhost or an IPv4", oneLine(f.value, 80), f.scheme)
		}
	}
	v.text("httpdomain", in.HTTPDomain, charField{required: true, max: 256, noTrimming: true})
	v.text("tcpdomain", in.TCPDomain, charField{required: true, max: 256, noTrimming: true})
	if in.TCPDomain != "" && !regionTCP.MatchString(in.TCPDomain) {
		v.add("tcpdomain", "%q: the console takes an address that starts with an IPv4", oneLine(in.TCPDomain, 80))
	}
	if in.Scope != "" && in.Scope != "private" && in.Scope != "public" {
		v.add("scope", "%q: private or public", oneLine(in.Scope, 20))
	}
	if in.Status != "" && (len(in.Status) != 1 || in.Status[0] < '0' || in.Status[0] > '3') {
		v.add("status", "%q: \"0\" to \"3\"", oneLine(in.Status, 20))
	}
	v.text("desc", in.Desc, charField{max: 200, noTrimming: true})
	v.text("token", in.Token.Value(), charField{max: 255, noTrimming: true})
	v.text("enterprise_id", in.EnterpriseID, charField{max: 36, noTrimming: true})
}

// Create adds a region (a cluster) to the enterprise and returns it. The
// console tests the cluster's API first (GET <url>/v2/show, one second);
// a cluster it cannot reach is [ErrBadRequest] and nothing is added. The
// enterprise's first region also gets a "default" team. A region without
// SSLCACert and CertFile cannot be read with [RegionsService.Get]
// afterwards (the console needs them as text here, then refuses them
// empty there).
//
// It calls GET /openapi/v1/currentuser when in.EnterpriseID is "", then
// POST /openapi/v1/regions (consoles since v5.1.6), which only enterprise
// administrators may call ([ErrForbidden]). A POST, never sent twice by
// the client on its own.
func (s *RegionsService) Create(ctx context.Context, in *RegionCreate, callOpts ...CallOption) (*Region, *Response, error) {
	v := s.client.validator(ctx)
	if in == nil {
		v.add("body", "nil *RegionCreate")
	} else {
		v.regionCreate(in)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	eid := in.EnterpriseID
	if eid == "" {
		me, resp, err := s.client.Users.Me(ctx, callOpts...)
		if err != nil {
			return nil, resp, fmt.Errorf("rainbond: finding the token user's enterprise: %w", err)
		}
		eid = me.EnterpriseID
	}
	// The console requires a region_id and then replaces it with its own;
	// it needs the three certificate members as text, "" included.
	body := map[string]any{"region_id": newRequestID(), "region_name": in.Name, "region_alias": in.Alias, "url": in.URL, "wsurl": in.WsURL,
		"httpdomain": in.HTTPDomain, "tcpdomain": in.TCPDomain, "scope": cmp.Or(in.Scope, "private"), "ssl_ca_cert": in.SSLCACert,
		"cert_file": in.CertFile, "key_file": in.KeyFile.Value(), "token": in.Token.Value(), "status": cmp.Or(in.Status, "1"),
		"desc": in.Desc, "enterprise_id": eid}
	out := new(Region)
	r := &request{method: http.MethodPost, path: "/regions", body: body, secret: in.KeyFile.Value(), more: []string{in.Token.Value()}, opts: callOpts, since: sinceRegions}
	resp, err := s.client.do(ctx, r, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// newRequestID is 32 random hex digits.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

package rainbond

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/rbdkit/rainbond-go/internal/jsonwire"
)

// External (third-party) components: CreateThirdComponentView
// (openapi/views/apps/apps.py), CreateThirdComponentSerializer, and
// console/utils/validation.py validate_endpoints_info.

// sinceExternal is the console release that added the route.
const sinceExternal = "v5.3.0"

// EndpointsType is how an external component's addresses are known.
type EndpointsType string

// The kinds of external components.
const (
	// EndpointsStatic: the addresses are given (Endpoints).
	EndpointsStatic EndpointsType = "static"
	// EndpointsAPI: the addresses are reported later through the
	// console's API, with the key the answer carries.
	EndpointsAPI EndpointsType = "api"
)

// ExternalComponentCreate is the body of
// [AppsService.CreateExternalComponent].
type ExternalComponentCreate struct {
	// Name is the component's display name, at most 64 characters.
	Name string `json:"component_name"`
	// Type is how its addresses are known; "" is EndpointsStatic.
	Type EndpointsType `json:"endpoints_type"`
	// Endpoints are its addresses, for EndpointsStatic: "ip:port"
	// (IPv4, neither loopback nor 0.0.0.0), or a single domain
	// ("db.example.com:5432"), with an optional http:// or https://. All
	// with one port get a port on the component; none is fine too.
	Endpoints []string `json:"endpoints"`
}

// ExternalComponent is the console's answer to
// [AppsService.CreateExternalComponent]: the component's row as it stood
// before the console registered it in the cluster, so CreateStatus says
// "creating" even when that succeeded.
type ExternalComponent struct {
	ServiceBaseInfo
	// APIServiceKey is the key to report the addresses with, for
	// EndpointsAPI.
	APIServiceKey Secret `json:"api_service_key"`
	// URL is where to report them, for EndpointsAPI.
	URL string `json:"url"`
}

// CreateExternalComponent adds to app appID a component that stands for a
// service outside the cluster, at the given addresses, and returns it.
//
// The addresses are checked as the console checks them
// (validate_endpoints_info), and more: the port must be a number from 1
// to 65535 (the console creates the component and then fails (500) on
// another, leaving it behind).
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/third-components
// (consoles since v5.3.0). A POST, never sent twice by the client on its
// own.
func (s *AppsService) CreateExternalComponent(ctx context.Context, teamID, regionName string, appID int64, in *ExternalComponentCreate, callOpts ...CallOption) (*ExternalComponent, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/third-components")
	v.externalComponent(in)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := *in
	if body.Type == "" {
		body.Type = EndpointsStatic
	}
	if body.Endpoints == nil {
		body.Endpoints = []string{}
	}
	out := new(ExternalComponent)
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceExternal}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// endpointDomain is validators.domain's pattern (validators 0.14): labels
// of letters, digits, '-' and '_', a top-level label ending in a letter.
var endpointDomain = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-_]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9][A-Za-z0-9-_]{0,61}[A-Za-z]$`)

func (v *validator) externalComponent(in *ExternalComponentCreate) {
	if in == nil {
		v.add("body", "nil *ExternalComponentCreate")
		return
	}
	v.text("component_name", in.Name, charField{required: true, max: 64})
	switch in.Type {
	case "", EndpointsStatic:
	case EndpointsAPI:
		if len(in.Endpoints) > 0 {
			v.add("endpoints", "an api component reports its addresses later: give none")
		}
	default:
		v.add("endpoints_type", "%q: static or api", oneLine(string(in.Type), 20))
	}
	seen := map[string]int{}
	domains := 0
	for i, e := range in.Endpoints {
		field := "endpoints[" + strconv.Itoa(i) + "]"
		if first, dup := seen[e]; dup {
			v.add(field, "same address as endpoints[%d]: the console refuses it", first)
			continue
		}
		seen[e] = i
		isDomain, why := checkEndpoint(e)
		if why != "" {
			v.add(field, "%q: %s", oneLine(e, 80), why)
		}
		if isDomain {
			domains++
		}
	}
	if domains > 0 && len(in.Endpoints) > 1 {
		v.add("endpoints", "a domain must be the only address: the console refuses several domains, or a domain among addresses")
	}
}

// checkEndpoint reads an address as validate_endpoint_address does, and
// checks its port; it reports a domain, or why the address is refused.
func checkEndpoint(e string) (isDomain bool, why string) {
	if strings.ContainsFunc(e, isCtlOrSpace) {
		return false, "holds spaces or control characters"
	}
	rest, _ := strings.CutPrefix(e, "https://")
	rest, _ = strings.CutPrefix(rest, "http://")
	host, port := rest, ""
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		host, port = rest[:i], rest[i+1:]
	}
	if port != "" && !isPortNumber(port) {
		return false, "the port must be a number from 1 to 65535 (the console would fail after creating the component)"
	}
	if strings.Contains(host, ":") || strings.HasPrefix(host, "[") {
		return false, "IPv6 is not supported by the console"
	}
	ip := net.ParseIP(host)
	switch {
	case ip != nil && ip.To4() == nil:
		return false, "IPv6 is not supported by the console"
	case ip != nil && ip.IsLoopback():
		return false, "a loopback address"
	case ip != nil && ip.IsUnspecified():
		return false, "0.0.0.0 is not an address"
	case ip != nil:
		return false, ""
	case endpointDomain.MatchString(host) && !looksNumeric(host):
		return true, ""
	}
	return false, fmt.Sprintf("%q is neither an IPv4 address nor a domain", oneLine(host, 64))
}

// looksNumeric reports a host of digits and dots, which the console reads
// as an (invalid) IP address rather than a domain.
func looksNumeric(host string) bool {
	return strings.Trim(host, "0123456789.") == ""
}

// MarshalJSON encodes the component with the key (redacted) and the URL:
// the embedded ServiceBaseInfo's own MarshalJSON would leave them out.
func (c ExternalComponent) MarshalJSON() ([]byte, error) {
	base, err := c.ServiceBaseInfo.MarshalJSON()
	if err != nil {
		return nil, err
	}
	key, _ := c.APIServiceKey.MarshalJSON()
	u, err := json.Marshal(c.URL)
	if err != nil {
		return nil, err
	}
	return jsonwire.AppendMembers(base, map[string]json.RawMessage{"api_service_key": key, "url": u}, nil)
}

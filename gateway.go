package rainbond

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rbdkit/rainbond-go/internal/jsonwire"
)

// GatewayService publishes an app's components through the region's
// gateway: HTTP domain rules and TCP rules. Reach it as Client.Gateway.
//
// The console's views: openapi/views/gateway/gateway.py, with
// openapi/serializer/gateway_serializer.py and
// console/services/app_config/domain_service.py.
type GatewayService struct {
	client *Client
}

// sinceGateway is the console release that added the gateway routes.
const sinceGateway = "v5.2.1"

// JSONText is a JSON value that the console sends either as itself or as
// a string holding its text (a rule's "rewrites" is an array in one answer
// and the string "[]" in the others). It holds the value's JSON, unquoted:
// []byte("[]") either way; nil when the member was null or absent.
type JSONText []byte

// UnmarshalJSON keeps the value, or the JSON text of a string, as JSON.
// A string that does not hold JSON is kept as a JSON string.
func (t *JSONText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*t = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := jsonwire.Unmarshal(b, &s); err != nil {
			return err
		}
		if inner := bytes.TrimSpace([]byte(s)); jsonwire.Valid(inner) {
			*t = JSONText(inner)
			return nil
		}
	}
	*t = append(JSONText(nil), b...)
	return nil
}

// MarshalJSON writes the value as JSON; null when there is none.
func (t JSONText) MarshalJSON() ([]byte, error) {
	if len(t) == 0 {
		return []byte("null"), nil
	}
	return t, nil
}

// String is the value's JSON text.
func (t JSONText) String() string { return string(t) }

// HTTPRule is an HTTP domain rule: requests for DomainName (and
// DomainPath) go to ContainerPort of a component.
//
// Source: HTTPGatewayRuleSerializer over ServiceDomain (www/models/main.py)
// without create_time. The console's answers differ: lists and single
// rules carry ID and rule_extensions, the answers to a creation, an update
// and a deletion do not (ID is then 0); rewrites is an array in the
// answer to a creation and a string in the others (JSONText reads both).
type HTTPRule struct {
	// ID is the rule's row id; 0 when the answer did not carry it.
	ID int64 `json:"ID"`
	// HTTPRuleID is the rule's id, for the rule calls.
	HTTPRuleID string `json:"http_rule_id"`
	// RegionID is the region's id.
	RegionID string `json:"region_id"`
	// TenantID is the team's id.
	TenantID string `json:"tenant_id"`
	// ServiceID is the component's id.
	ServiceID string `json:"service_id"`
	// ServiceName is the component's alias (service_alias, e.g.
	// "gr1a2b3c"), despite its name.
	ServiceName string `json:"service_name"`
	// ServiceAlias is the display name (service_cname), despite its name,
	// of the component the rule was made for: an update that moves the
	// rule changes ServiceID and ServiceName, not this
	// (domain_service.update_httpdomain keeps the row's service_alias).
	ServiceAlias string `json:"service_alias"`
	// DomainName is the rule's domain.
	DomainName string `json:"domain_name"`
	// DomainPath is the path it matches, "/" by default.
	DomainPath string `json:"domain_path"`
	// DomainCookie and DomainHeader are the cookie and header conditions.
	DomainCookie string `json:"domain_cookie"`
	// DomainHeader: see DomainCookie. The console spells the member
	// "domain_heander".
	DomainHeader string `json:"domain_heander"`
	// ContainerPort is the component's port.
	ContainerPort int `json:"container_port"`
	// Protocol is "http", or "https" with a certificate.
	Protocol string `json:"protocol"`
	// CertificateID is the certificate's id; 0 for none.
	CertificateID int `json:"certificate_id"`
	// DomainType is the kind of domain ("www").
	DomainType string `json:"domain_type"`
	// IsSenior reports advanced routing conditions.
	IsSenior bool `json:"is_senior"`
	// Type is 0 for the default domain, 1 for a custom one.
	Type int `json:"type"`
	// TheWeight is the rule's weight.
	TheWeight int `json:"the_weight"`
	// IsOuterService reports the port open to the outside.
	IsOuterService bool `json:"is_outer_service"`
	// AutoSSL reports that an outside service issues the certificate.
	AutoSSL bool `json:"auto_ssl"`
	// AutoSSLConfig is how it does (nullable).
	AutoSSLConfig string `json:"auto_ssl_config"`
	// PathRewrite reports simple path rewriting.
	PathRewrite bool `json:"path_rewrite"`
	// Rewrites are the rewriting rules, as JSON.
	Rewrites JSONText `json:"rewrites"`
	// RuleExtensions are the rule's extensions, as JSON (a list; in
	// practice empty); nil when the answer did not carry them.
	RuleExtensions JSONText `json:"rule_extensions"`
}

// URL is the address the rule publishes: http or https, the domain and
// the path.
func (r *HTTPRule) URL() string {
	scheme := "http"
	if r.Protocol == "https" || r.CertificateID != 0 {
		scheme = "https"
	}
	path := r.DomainPath
	if path == "" {
		path = "/"
	}
	return scheme + "://" + r.DomainName + path
}

// RuleExtension is a key and value of a rule's extensions.
type RuleExtension struct {
	// Key names the extension, e.g. "lb-type".
	Key string `json:"key"`
	// Value is its setting.
	Value string `json:"value"`
}

// HTTPRuleConfiguration is the proxy settings of an HTTP rule. Zero
// values are sent as they are: set every field you care about.
type HTTPRuleConfiguration struct {
	// ProxyBodySize is the largest request body, in MiB; 0 for no limit.
	ProxyBodySize int `json:"proxy_body_size"`
	// ProxyBufferNumbers and ProxyBufferSize (KiB) size the answer's
	// buffers.
	ProxyBufferNumbers int `json:"proxy_buffer_numbers"`
	// ProxyBufferSize: see ProxyBufferNumbers.
	ProxyBufferSize int `json:"proxy_buffer_size"`
	// ProxyBuffering is "on" or "off".
	ProxyBuffering string `json:"proxy_buffering"`
	// ProxyConnectTimeout, ProxyReadTimeout and ProxySendTimeout are in
	// seconds.
	ProxyConnectTimeout int `json:"proxy_connect_timeout"`
	// ProxyReadTimeout: see ProxyConnectTimeout.
	ProxyReadTimeout int `json:"proxy_read_timeout"`
	// ProxySendTimeout: see ProxyConnectTimeout.
	ProxySendTimeout int `json:"proxy_send_timeout"`
	// SetHeaders are headers set on the proxied requests.
	SetHeaders []HTTPHeader `json:"set_headers"`
}

// HTTPHeader is a header an HTTP rule sets.
type HTTPHeader struct {
	// Key is the header's name.
	Key string `json:"key"`
	// Value is its value.
	Value string `json:"value"`
}

// DefaultHTTPRuleConfiguration is the console's defaults for
// [HTTPRuleConfiguration].
var DefaultHTTPRuleConfiguration = HTTPRuleConfiguration{
	ProxyBufferNumbers: 4, ProxyBufferSize: 4, ProxyBuffering: "off",
	ProxyConnectTimeout: 75, ProxyReadTimeout: 60, ProxySendTimeout: 60, SetHeaders: []HTTPHeader{},
}

// HTTPRuleCreate is the body of [GatewayService.CreateHTTPRule].
type HTTPRuleCreate struct {
	// ServiceID is the component to publish.
	ServiceID string `json:"service_id"`
	// ContainerPort is its port.
	ContainerPort int `json:"container_port"`
	// DomainName is the domain, at most 253 characters.
	DomainName string `json:"domain_name"`
	// DomainPath is the path to match; empty means "/".
	DomainPath string `json:"domain_path,omitempty"`
	// DomainCookie and DomainHeader are optional conditions.
	DomainCookie string `json:"domain_cookie,omitempty"`
	// DomainHeader: see DomainCookie.
	DomainHeader string `json:"domain_header,omitempty"`
	// TheWeight is the rule's weight; nil leaves the console's.
	TheWeight *int `json:"the_weight,omitempty"`
	// CertificateID is a certificate of the team, making the rule https;
	// 0 for http.
	CertificateID int `json:"certificate_id,omitempty"`
	// RuleExtensions are extensions of the rule.
	RuleExtensions []RuleExtension `json:"rule_extensions,omitempty"`
	// OpenPort opens the port to the outside first. Without it the port
	// must be open already ([ComponentsService.UpdatePort] with
	// [PortOnlyOpenOuter]), or the console refuses the rule.
	OpenPort bool `json:"whether_open"`
	// AutoSSL lets an outside service issue the certificate.
	AutoSSL bool `json:"auto_ssl,omitempty"`
	// AutoSSLConfig says how.
	AutoSSLConfig string `json:"auto_ssl_config,omitempty"`
	// Configuration holds proxy settings; nil leaves the console's.
	Configuration *HTTPRuleConfiguration `json:"configuration,omitempty"`
}

// HTTPRuleUpdate is the body of [GatewayService.UpdateHTTPRule]. The nil
// fields are left as they are, except CertificateID and AutoSSLConfig:
// the console writes both on every update, its defaults (no certificate,
// no auto-SSL) when they are missing, so they must be given.
//
// A rule's header condition cannot be changed: the console's update
// (domain_service.py update_httpdomain) fails with a 500 on a
// domain_header member, after it has already updated the cluster. Delete
// the rule and create it again to change it.
type HTTPRuleUpdate struct {
	// ServiceID is the component the rule publishes (required).
	ServiceID string
	// ContainerPort is its port.
	ContainerPort *int
	// DomainName, DomainPath and DomainCookie change the rule's
	// conditions.
	DomainName *string
	// DomainPath: see DomainName.
	DomainPath *string
	// DomainCookie: see DomainName. It cannot be removed: the console
	// refuses "".
	DomainCookie *string
	// TheWeight is the rule's weight.
	TheWeight *int
	// RuleExtensions replaces the rule's extensions.
	RuleExtensions *[]RuleExtension
	// AutoSSL turns the outside certificate service on or off.
	AutoSSL *bool
	// CertificateID is required: Ptr(0) removes the rule's certificate
	// (the rule becomes http), Ptr(rule.CertificateID) keeps it.
	CertificateID *int
	// AutoSSLConfig is required: Ptr("") removes it (the member is left
	// out, which the console reads as none; it refuses null and ""),
	// Ptr(rule.AutoSSLConfig) keeps it. At most 32 characters.
	AutoSSLConfig *string
}

// httpRuleUpdateWire is UpdatePostHTTPGatewayRuleSerializer's body.
type httpRuleUpdateWire struct {
	ServiceID      string           `json:"service_id"`
	ContainerPort  *int             `json:"container_port,omitempty"`
	DomainName     *string          `json:"domain_name,omitempty"`
	DomainPath     *string          `json:"domain_path,omitempty"`
	DomainCookie   *string          `json:"domain_cookie,omitempty"`
	TheWeight      *int             `json:"the_weight,omitempty"`
	RuleExtensions *[]RuleExtension `json:"rule_extensions,omitempty"`
	AutoSSL        *bool            `json:"auto_ssl,omitempty"`
	CertificateID  int              `json:"certificate_id"`
	// AutoSSLConfig is left out for none: the serializer's default is
	// None, and it has no allow_null, so null is a 400.
	AutoSSLConfig *string `json:"auto_ssl_config,omitempty"`
}

func (u *HTTPRuleUpdate) wire() *httpRuleUpdateWire {
	w := &httpRuleUpdateWire{
		ServiceID: u.ServiceID, ContainerPort: u.ContainerPort, DomainName: u.DomainName, DomainPath: u.DomainPath,
		DomainCookie: u.DomainCookie, TheWeight: u.TheWeight,
		RuleExtensions: u.RuleExtensions, AutoSSL: u.AutoSSL, CertificateID: *u.CertificateID,
	}
	if *u.AutoSSLConfig != "" {
		w.AutoSSLConfig = u.AutoSSLConfig
	}
	return w
}

// ListHTTPRules returns the HTTP rules of every component of app appID.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/httpdomains
// (consoles since v5.2.1).
func (s *GatewayService) ListHTTPRules(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) ([]HTTPRule, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/httpdomains")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []HTTPRule
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceGateway}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// CreateHTTPRule publishes a component's port under a domain and returns
// the rule (without ID and RuleExtensions, which the console's answer
// leaves out).
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/httpdomains
// (consoles since v5.2.1), which answers 201. Each call is a POST, never
// sent twice by the client on its own. Refusals ([ErrBadRequest], with
// Msg and no Code): the component does not exist (组件不存在), the same rule
// exists (策略已存在), the port is not open to the outside (没有开启对外端口:
// set OpenPort); a domain in use by another team, or with Chinese
// characters. A port the component lacks is a 500.
func (s *GatewayService) CreateHTTPRule(ctx context.Context, teamID, regionName string, appID int64, rule *HTTPRuleCreate, callOpts ...CallOption) (*HTTPRule, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/httpdomains")
	v.httpRule(rule)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(HTTPRule)
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: rule, opts: callOpts, since: sinceGateway}, out)
	if err != nil {
		return nil, resp, gatewayRefusal(err)
	}
	return out, resp, nil
}

// ErrRuleNotFound is matched, with [ErrNotFound], by the error of
// [GatewayService.GetHTTPRule] for a rule the app does not have: the
// console answers 200 with a rule whose fields are all empty.
var ErrRuleNotFound = errors.New("rainbond: no such rule in the app")

// GetHTTPRule returns HTTP rule ruleID of app appID.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/httpdomains/{rule_id}
// (consoles since v5.2.1). For a rule the app does not have, the console
// answers 200 with an empty rule; GetHTTPRule reports it as an error
// matching [ErrNotFound] and [ErrRuleNotFound].
func (s *GatewayService) GetHTTPRule(ctx context.Context, teamID, regionName string, appID int64, ruleID string, callOpts ...CallOption) (*HTTPRule, *Response, error) {
	v := s.client.validator(ctx)
	path := rulePath(&v, teamID, regionName, appID, ruleID)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(HTTPRule)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceGateway}, out)
	if err != nil {
		return nil, resp, err
	}
	if out.HTTPRuleID == "" {
		return nil, resp, fmt.Errorf("rainbond: GET %s: %w: %w (the console answered an empty rule)", s.client.basePath+path, ErrRuleNotFound, ErrNotFound)
	}
	return out, resp, nil
}

// UpdateHTTPRule changes HTTP rule ruleID and returns it (without ID and
// RuleExtensions). change.CertificateID and change.AutoSSLConfig are
// required: the console writes them on every update.
//
// It calls PUT /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/httpdomains/{rule_id}
// (consoles since v5.2.1). [ErrNotFound] for an unknown rule;
// [ErrBadRequest] (Msg 组件不存在) for an unknown component.
func (s *GatewayService) UpdateHTTPRule(ctx context.Context, teamID, regionName string, appID int64, ruleID string, change *HTTPRuleUpdate, callOpts ...CallOption) (*HTTPRule, *Response, error) {
	v := s.client.validator(ctx)
	path := rulePath(&v, teamID, regionName, appID, ruleID)
	v.ruleUpdate(change)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(HTTPRule)
	resp, err := s.client.do(ctx, &request{method: http.MethodPut, path: path, body: change.wire(), opts: callOpts, since: sinceGateway}, out)
	if err != nil {
		return nil, resp, gatewayRefusal(err)
	}
	return out, resp, nil
}

// DeleteHTTPRule deletes HTTP rule ruleID and returns it as it was
// (without ID). The console accepts any rule of the team here, not only
// the app's.
//
// It calls DELETE /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/httpdomains/{rule_id}
// (consoles since v5.2.1). [ErrNotFound] (code 1404) for an unknown rule;
// a retry that finds it gone after an ambiguous failure counts as success.
func (s *GatewayService) DeleteHTTPRule(ctx context.Context, teamID, regionName string, appID int64, ruleID string, callOpts ...CallOption) (*HTTPRule, *Response, error) {
	v := s.client.validator(ctx)
	path := rulePath(&v, teamID, regionName, appID, ruleID)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(HTTPRule)
	resp, err := s.client.do(ctx, &request{method: http.MethodDelete, path: path, opts: callOpts, since: sinceGateway}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// The gateway's refusals. The console sends most of them as a bare
// {"msg": "<Chinese text>"} without a code (openapi/views/gateway/
// gateway.py), so the SDK recognises the text and each matches one of
// these with errors.Is, besides [ErrBadRequest]: match on them, never on
// the message.
var (
	// ErrRuleExists: a rule for the same component, port, domain, path and
	// protocol exists (策略已存在), or, for a TCP rule, the end point is
	// taken.
	ErrRuleExists = errors.New("rainbond: the gateway rule exists")
	// ErrPortNotOpen: the component's port is not open to the outside
	// (没有开启对外端口); open it first ([ComponentsService.UpdatePort]
	// with [PortOnlyOpenOuter]) or create the rule with OpenPort.
	ErrPortNotOpen = errors.New("rainbond: the component's port is not open to the outside")
	// ErrRuleComponentNotFound: the component the rule names is not a
	// component of the team (组件不存在).
	ErrRuleComponentNotFound = errors.New("rainbond: the rule's component is not in the team")
	// ErrDomainTaken: another team of the region uses the domain
	// (域名已经被其他团队使用).
	ErrDomainTaken = errors.New("rainbond: another team uses the domain")
	// ErrPortChangeFailed: opening the component's port, asked for with
	// the rule, failed (change port fail); MsgShow says why.
	ErrPortChangeFailed = errors.New("rainbond: opening the component's port failed")
)

// gatewayRefusals maps the console's messages to the refusals above.
var gatewayRefusals = []struct {
	msg, show string // a message or a msg_show to match exactly ("" matches any)
	sentinel  error
}{
	{"策略已存在", "", ErrRuleExists},
	{"exist", "策略已存在", ErrRuleExists},
	{"没有开启对外端口", "", ErrPortNotOpen},
	{"组件不存在", "", ErrRuleComponentNotFound},
	{"not service", "", ErrRuleComponentNotFound},
	{"domain be used other team", "", ErrDomainTaken},
	{"change port fail", "", ErrPortChangeFailed},
}

// gatewayRefusal marks a refusal of a gateway route with its sentinel.
func gatewayRefusal(err error) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode >= 500 {
		return err
	}
	for _, r := range gatewayRefusals {
		if apiErr.Msg == r.msg && (r.show == "" || apiErr.MsgShow == r.show) {
			return mark(err, r.sentinel, strings.TrimPrefix(r.sentinel.Error(), "rainbond: "), func(*APIError) bool { return true })
		}
	}
	return err
}

// isPortNumber reports a port number, 1 to 65535.
func isPortNumber(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535 && strconv.Itoa(n) == s
}

// maxAutoSSLConfig is the column's size (ServiceDomain.auto_ssl_config):
// the serializer sets no limit, and a longer value fails when it is saved
// (a 500 on MySQL).
const maxAutoSSLConfig = 32

// rulePath is …/apps/{app}/httpdomains/{rule}.
func rulePath(v *validator, teamID, regionName string, appID int64, ruleID string) string {
	path := appPath(v, teamID, regionName, appID, "/httpdomains/")
	v.pathSegment("rule_id", ruleID)
	return path + url.PathEscape(ruleID)
}

// TCPRule is a TCP rule: a gateway address forwarded to a component's
// port.
//
// Source: TCPGatewayRuleSerializer over ServiceTcpDomain
// (www/models/main.py) without create_time.
type TCPRule struct {
	// ID is the rule's row id.
	ID int64 `json:"ID"`
	// TCPRuleID is the rule's id.
	TCPRuleID string `json:"tcp_rule_id"`
	// RegionID, TenantID and ServiceID name the region, team and
	// component.
	RegionID string `json:"region_id"`
	// TenantID: see RegionID.
	TenantID string `json:"tenant_id"`
	// ServiceID: see RegionID.
	ServiceID string `json:"service_id"`
	// ServiceName is the component's alias, despite its name.
	ServiceName string `json:"service_name"`
	// ServiceAlias is the component's display name, despite its name.
	ServiceAlias string `json:"service_alias"`
	// EndPoint is the gateway's address, "ip:port".
	EndPoint string `json:"end_point"`
	// Protocol is "tcp" or "udp".
	Protocol string `json:"protocol"`
	// ContainerPort is the component's port.
	ContainerPort int `json:"container_port"`
	// Type is 0 for the default rule, 1 for a custom one.
	Type int `json:"type"`
	// RuleExtensions are the rule's extensions, as JSON (the console
	// stores text; nil for null).
	RuleExtensions JSONText `json:"rule_extensions"`
	// IsOuterService reports the port open to the outside.
	IsOuterService bool `json:"is_outer_service"`
}

// GatewayRules are the rules of an app.
type GatewayRules struct {
	// HTTP are the HTTP rules.
	HTTP []HTTPRule `json:"http"`
	// TCP are the TCP rules.
	TCP []TCPRule `json:"tcp"`
}

// TCPRuleCreate is the body of [GatewayService.CreateTCPRule].
type TCPRuleCreate struct {
	// ServiceID is the component to publish.
	ServiceID string `json:"service_id"`
	// ContainerPort is its port.
	ContainerPort int `json:"container_port"`
	// EndPoint is the gateway's address, "ip:port", at most 32 characters.
	EndPoint string `json:"end_point"`
	// DefaultIP and DefaultPort are the address's parts.
	DefaultIP string `json:"default_ip"`
	// DefaultPort: see DefaultIP.
	DefaultPort int `json:"default_port"`
	// RuleExtensions are extensions (keys and values at most 32
	// characters).
	RuleExtensions []RuleExtension `json:"rule_extensions,omitempty"`
}

// ListTCPRules returns the TCP rules of app appID.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/domains?query=tcp
// (consoles since v5.2.1).
func (s *GatewayService) ListTCPRules(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) ([]TCPRule, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/domains")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(GatewayRules)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, query: "query=tcp", opts: callOpts, since: sinceGateway}, out)
	if err != nil {
		return nil, resp, err
	}
	return out.TCP, resp, nil
}

// ListRules returns every HTTP and TCP rule of app appID. A TCP rule's
// end point on every address (0.0.0.0:<port>) is answered as the
// region's TCP domain and the port.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/domains
// (consoles since v5.2.1). The PUT and DELETE of
// …/apps/{app_id}/domains/{rule_id} are the console's
// …/httpdomains/{rule_id} under another name (HTTP rules only):
// [GatewayService.UpdateHTTPRule] and [GatewayService.DeleteHTTPRule]
// call those; no OpenAPI route changes or deletes a TCP rule.
func (s *GatewayService) ListRules(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) (*GatewayRules, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/domains")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(GatewayRules)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceGateway}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// EnterpriseHTTPRule is an HTTP rule of any team of the enterprise, with
// where it lives.
//
// Source: EnterpriseHTTPGatewayRuleSerializer, answered raw (its unique
// check on http_rule_id fails on existing rows): rule_extensions is the
// console's stored text, not a list.
type EnterpriseHTTPRule struct {
	HTTPRule
	// RegionName, TeamName and AppID say where the rule lives.
	RegionName string `json:"region_name"`
	// TeamName: see RegionName (the team's tenant_name).
	TeamName string `json:"team_name"`
	// AppID: see RegionName.
	AppID int64 `json:"app_id"`
}

// ListEnterpriseHTTPRulesOptions filters [GatewayService.ListEnterpriseHTTPRules].
type ListEnterpriseHTTPRulesOptions struct {
	// AutoSSL, when set, keeps the rules whose auto-SSL is on (true) or
	// off (false).
	AutoSSL *bool
}

// ListEnterpriseHTTPRules returns the HTTP rules of every team of the
// token's enterprise, at once (the console does not page them). Rules
// whose component is in no app, or whose region the enterprise lacks, are
// left out by the console.
//
// It calls GET /openapi/v1/httpdomains (consoles since v5.2.1).
func (s *GatewayService) ListEnterpriseHTTPRules(ctx context.Context, opts *ListEnterpriseHTTPRulesOptions, callOpts ...CallOption) ([]EnterpriseHTTPRule, *Response, error) {
	v := s.client.validator(ctx)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := ""
	if opts != nil && opts.AutoSSL != nil {
		query = "auto_ssl=" + strconv.FormatBool(*opts.AutoSSL)
	}
	var out []EnterpriseHTTPRule
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/httpdomains", query: query, opts: callOpts, since: sinceGateway}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// CreateTCPRule forwards a gateway address to a component's port, opening
// the port to the outside, and returns every rule of the app afterwards.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/domains
// with protocol "tcp" (consoles since v5.2.1). Refusals
// ([ErrBadRequest]): "not service" (no such component), "exist" (the end
// point is taken). The console has no call to change or delete a TCP
// rule.
func (s *GatewayService) CreateTCPRule(ctx context.Context, teamID, regionName string, appID int64, rule *TCPRuleCreate, callOpts ...CallOption) (*GatewayRules, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/domains")
	v.tcpRule(rule)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := struct {
		Protocol string         `json:"protocol"`
		TCP      *TCPRuleCreate `json:"tcp"`
	}{"tcp", rule}
	out := new(GatewayRules)
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceGateway}, out)
	if err != nil {
		return nil, resp, gatewayRefusal(err)
	}
	return out, resp, nil
}

// domain checks a domain name: what the console's serializer and its
// domain checks accept (no spaces, no Chinese characters, at most 253),
// and what a gateway can route (letters, digits, '-', '.', a leading "*.").
func (v *validator) domain(field, d string) {
	host := strings.TrimPrefix(d, "*.")
	switch {
	case d == "":
		v.add(field, "required")
	case len(d) > 253:
		v.add(field, "longer than 253 characters")
	case strings.Contains(d, "://") || strings.ContainsAny(d, "/:?#"):
		v.add(field, "%q: a domain only, without scheme, port or path (see DomainPath)", oneLine(d, 80))
	case host == "" || strings.ContainsFunc(host, func(r rune) bool {
		return !(r == '-' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}):
		v.add(field, "%q: letters, digits, '-' and '.' only (and a leading \"*.\")", oneLine(d, 80))
	}
}

func (v *validator) httpRule(rule *HTTPRuleCreate) {
	if rule == nil {
		v.add("body", "nil *HTTPRuleCreate")
		return
	}
	v.text("service_id", rule.ServiceID, charField{required: true, max: maxServiceID})
	v.port("container_port", rule.ContainerPort)
	v.domain("domain_name", rule.DomainName)
	if rule.DomainPath != "" {
		v.domainPath("domain_path", rule.DomainPath)
	}
	if rule.CertificateID < 0 {
		v.add("certificate_id", "%d: must not be negative", rule.CertificateID)
	}
	if rule.AutoSSLConfig != "" {
		v.text("auto_ssl_config", rule.AutoSSLConfig, charField{required: true, max: maxAutoSSLConfig})
	}
}

func (v *validator) ruleUpdate(u *HTTPRuleUpdate) {
	if u == nil {
		v.add("body", "nil *HTTPRuleUpdate")
		return
	}
	v.text("service_id", u.ServiceID, charField{required: true, max: maxServiceID})
	if u.CertificateID == nil {
		v.add("certificate_id", "required: the console writes it on every update; Ptr(0) removes the certificate, the rule's own CertificateID keeps it")
	} else if *u.CertificateID < 0 {
		v.add("certificate_id", "%d: must not be negative", *u.CertificateID)
	}
	if u.AutoSSLConfig == nil {
		v.add("auto_ssl_config", "required: the console writes it on every update; Ptr(\"\") removes it, the rule's own AutoSSLConfig keeps it")
	} else if *u.AutoSSLConfig != "" {
		v.text("auto_ssl_config", *u.AutoSSLConfig, charField{required: true, max: maxAutoSSLConfig})
	}
	if u.ContainerPort != nil {
		v.port("container_port", *u.ContainerPort)
	}
	if u.DomainName != nil {
		v.domain("domain_name", *u.DomainName)
	}
	if u.DomainPath != nil {
		v.domainPath("domain_path", *u.DomainPath)
	}
	if u.DomainCookie != nil && pyStrip(*u.DomainCookie) == "" {
		v.add("domain_cookie", "blank: the console refuses it, so a rule's cookie condition can be changed but not removed (delete the rule and create it again)")
	}
}

// domainPath checks a rule's path. The console stores a path without its
// leading "/" as given, while the cluster routes it with one, so the two
// would disagree: it is refused.
func (v *validator) domainPath(field, p string) {
	if !strings.HasPrefix(p, "/") {
		v.add(field, "%q: must start with \"/\" (the console would store it without, and the cluster route it with one)", oneLine(p, 80))
	}
}

func (v *validator) tcpRule(r *TCPRuleCreate) {
	if r == nil {
		v.add("body", "nil *TCPRuleCreate")
		return
	}
	v.text("service_id", r.ServiceID, charField{required: true, max: maxServiceID})
	v.port("container_port", r.ContainerPort)
	v.text("end_point", r.EndPoint, charField{required: true, max: 32})
	if _, port, ok := cutLast(pyStrip(r.EndPoint), ":"); pyStrip(r.EndPoint) != "" && (!ok || !isPortNumber(port)) {
		// bind_tcpdomain splits it at ':' and reads a number after it,
		// failing (500) after it has opened the component's port.
		v.add("end_point", "%q: ip:port, with a port number", oneLine(r.EndPoint, 40))
	}
	v.text("default_ip", r.DefaultIP, charField{required: true, max: 32})
	v.port("default_port", r.DefaultPort)
	for i, e := range r.RuleExtensions {
		field := "rule_extensions[" + strconv.Itoa(i) + "]"
		v.text(field+".key", e.Key, charField{required: true, max: 32})
		v.text(field+".value", e.Value, charField{required: true, max: 32})
	}
}

package rainbondtest

import (
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Third-party (external) components: CreateThirdComponentView.post
// (openapi/views/apps/apps.py, console v5.3.0+) with
// console/utils/validation.py validate_endpoints_info and
// console/services/app.py create_third_party_app.

// thirdEndpoints are a third-party component's addresses
// (ThirdPartyServiceEndpoints) and, for type api, its secret key.
type thirdEndpoints struct {
	kind      string
	static    []string
	secretKey string
}

// createThirdComponent is CreateThirdComponentView.post (v5.3.0):
// CreateThirdComponentSerializer (DRF 400), validate_endpoints_info (400,
// for both types), then the component saved (create_status "creating"),
// its port and endpoints, the app relation, the cluster. A port that
// int() cannot read is a 500 after the component was saved: it is left
// in no app. The answer is the bare row as it was before the cluster
// call: create_status "creating", though it is "complete" after.
func (c *call) createThirdComponent() {
	t, region, a := c.teamApp()
	if a == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	kind := ""
	switch v, present := data["endpoints_type"]; {
	case !present:
		errs.add("endpoints_type", "该字段是必填项。", "required")
	case v == nil:
		errs.add("endpoints_type", "该字段不能为 null。", "null")
	case v == "static" || v == "api":
		kind = v.(string)
	default:
		errs.add("endpoints_type", "“"+pyStr(v)+"” 不是合法选项。", "invalid_choice")
	}
	var endpoints []any
	switch v, present := data["endpoints"]; {
	case !present:
		errs.add("endpoints", "该字段是必填项。", "required")
	case v == nil:
		errs.add("endpoints", "该字段不能为 null。", "null")
	default:
		list, ok := v.([]any)
		if !ok {
			errs.add("endpoints", "期望为一个包含物件的列表，得到的类型是“"+pyTypeNumber(v)+"”。", "not_a_list")
		}
		endpoints = list
	}
	name := charInto(&errs, data, charField{name: "component_name", max: 64})["component_name"]
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	addresses, domains, typeErr := endpointStrings(endpoints)
	if typeErr != "" {
		c.serverError("TypeError", typeErr)
		return
	}
	if e := validateEndpoints(addresses); e != nil {
		c.handled(e)
		return
	}
	comp, row := c.s.newThirdParty(t, region, *name, c.user)
	ep := &thirdEndpoints{kind: kind}
	if kind == "static" && len(addresses) > 0 {
		p, bad := thirdPartyPort(comp, addresses, domains)
		if bad != "" {
			c.serverError("ValueError", "invalid literal for int() with base 10: "+pyRepr(bad))
			return
		}
		if p != nil {
			comp.ports = append(comp.ports, p)
		}
		ep.static = addresses
	}
	if kind == "api" {
		ep.secretKey = c.s.newID()[:8]
		row["api_service_key"] = ep.secretKey
		row["url"] = "http://" + c.r.Host + "/console/third_party/" + comp.ServiceID
	}
	initMap(&c.s.state.release.endpoints)[comp.ServiceID] = ep
	comp.appID = a.ID
	comp.CreateStatus = ptr("complete")
	c.json(http.StatusOK, row)
}

// endpointStrings are the endpoints when they are all strings; typeErr
// is the TypeError validate_endpoints_info meets first otherwise.
// domains says which are domains.
func endpointStrings(items []any) (out []string, domains []bool, typeErr string) {
	for _, item := range items {
		switch v := item.(type) {
		case string:
			out = append(out, v)
		case []any, map[string]any:
			return nil, nil, "unhashable type: '" + pyType(v) + "'"
		default:
			return nil, nil, "argument of type '" + pyTypeNumber(v) + "' is not iterable"
		}
	}
	for _, a := range out {
		_, isDomain := endpointAddressErrors(endpointHost(a))
		domains = append(domains, isDomain)
	}
	return out, domains, ""
}

// endpointHost strips a scheme and the text from the last ':'.
func endpointHost(address string) string {
	if _, after, ok := strings.Cut(address, "https://"); ok {
		address = after
	}
	if _, after, ok := strings.Cut(address, "http://"); ok {
		address = after
	}
	if i := strings.LastIndexByte(address, ':'); i >= 0 {
		address = address[:i]
	}
	return address
}

// validateEndpoints is validate_endpoints_info.
func validateEndpoints(addresses []string) *shErr {
	seen := map[string]bool{}
	domains := 0
	for _, a := range addresses {
		if seen[a] {
			return &shErr{status: http.StatusBadRequest, msg: "Multiple instances of the same address are not allowed", msgShow: "不允许多实例地址相同"}
		}
		seen[a] = true
		problems, isDomain := endpointAddressErrors(endpointHost(a))
		if isDomain {
			domains++
		}
		if len(problems) > 0 {
			return &shErr{status: http.StatusBadRequest, msg: problems, msgShow: "ip地址不合法"}
		}
	}
	switch {
	case domains > 1:
		return &shErr{status: http.StatusBadRequest, msg: "do not support multi domain endpoint", msgShow: "不允许多实例域名地址"}
	case domains > 0 && len(addresses) > 1:
		return &shErr{status: http.StatusBadRequest, msg: "do not support multi domain endpoint", msgShow: "不允许多实例域名、ip混合地址"}
	}
	return nil
}

// endpointAddressErrors is validate_endpoint_address: the first '.' or
// ':' of the host decides IPv4 or IPv6; what fails to parse may be a
// domain (validators 0.14's); no '.' nor ':' is no IP at all.
func endpointAddressErrors(host string) (problems []string, isDomain bool) {
	i := strings.IndexAny(host, ".:")
	var ip netip.Addr
	if i >= 0 {
		addr, err := netip.ParseAddr(host)
		valid := err == nil && addr.Zone() == "" && (host[i] == '.' && addr.Is4() || host[i] == ':' && addr.Is6())
		if !valid {
			if isDomainName(host) {
				return nil, true
			}
			i = -1
		}
		ip = addr
	}
	if i < 0 {
		return []string{host + " must be a valid IP address"}, false
	}
	if ip.IsUnspecified() {
		problems = append(problems, host+" may not be unspecified (0.0.0.0)")
	}
	if ip.IsLoopback() {
		problems = append(problems, host+" may not be in the loopback range (127.0.0.0/8)")
	}
	return problems, false
}

// domainPattern is validators 0.14's domain regex.
var domainPattern = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-_]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9][A-Za-z0-9-_]{0,61}[A-Za-z]$`)

// isDomainName is validators.domain: the IDNA form of value matches.
func isDomainName(value string) bool {
	labels := strings.Split(value, ".")
	trailingDot := len(labels) > 1 && labels[len(labels)-1] == ""
	if trailingDot {
		labels = labels[:len(labels)-1]
	}
	for i, l := range labels {
		if !isASCII(l) {
			l = "xn--" + punycode(strings.ToLower(l))
		}
		if l == "" || len(l) > 63 {
			return false // UnicodeError: label empty or too long
		}
		labels[i] = l
	}
	encoded := strings.Join(labels, ".")
	if trailingDot {
		encoded += "."
	}
	return domainPattern.MatchString(encoded)
}

// punycode is RFC 3492's encoding of a label.
func punycode(s string) string {
	const base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
	adapt := func(delta, points int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / points
		k := 0
		for delta > (base-tmin)*tmax/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	runes := []rune(s)
	var out []byte
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := 128, 0, 72
	for h < len(runes) {
		m := int(utf8.MaxRune) + 1
		for _, r := range runes {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if int(r) < n {
				delta++
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := base; ; k += base {
				t := min(max(k-bias, tmin), tmax)
				if q < t {
					break
				}
				out = append(out, digit(t+(q-t)%(base-t)))
				q = (q - t) / (base - t)
			}
			out = append(out, digit(q))
			bias = adapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out)
}

// thirdPartyPort is create_third_party_app's port: the text after the
// first ':' of each scheme-stripped endpoint (80 or 443 for a lone domain
// with a scheme and no port); one distinct value makes a port, unless it
// is 0. bad is a value int() cannot read.
func thirdPartyPort(comp *component, addresses []string, domains []bool) (p *port, bad string) {
	var ports []string
	prefix, protocol := "", "tcp"
	for _, a := range addresses {
		if _, after, ok := strings.Cut(a, "https://"); ok {
			a, prefix, protocol = after, "https", "http"
		}
		if _, after, ok := strings.Cut(a, "http://"); ok {
			a, prefix, protocol = after, "http", "http"
		}
		if parts := strings.Split(a, ":"); len(parts) > 1 {
			ports = append(ports, parts[1])
		}
	}
	if len(ports) == 0 && slices.Contains(domains, true) && prefix != "" {
		ports = []string{map[bool]string{true: "443", false: "80"}[prefix == "https"]}
	}
	slices.Sort(ports)
	if ports = slices.Compact(ports); len(ports) != 1 {
		return nil, ""
	}
	n, err := strconv.Atoi(strings.TrimSpace(ports[0]))
	if err != nil {
		return nil, ports[0]
	}
	if n == 0 {
		return nil, ""
	}
	return &port{
		ContainerPort: n, MappingPort: n, Protocol: protocol,
		PortAlias:      strings.ReplaceAll(strings.ToUpper(comp.ServiceAlias), "-", "_") + strconv.Itoa(n),
		K8sServiceName: comp.ServiceAlias + "-" + strconv.Itoa(n),
	}, ""
}

// newThirdParty saves a third-party component of team t, in no app yet
// (_create_third_component), and returns it with its row as to_dict()
// gives it.
func (s *Server) newThirdParty(t *Team, region, cname string, by *user) (*component, map[string]any) {
	alias := "gr" + s.newID()[:6]
	info := serviceInfo{
		AccessInfos: []string{}, ServiceID: s.newID(), TenantID: t.TenantID, ServiceKey: "application", ServiceAlias: alias,
		ServiceCname: cname, ServiceRegion: region, Desc: ptr("third party service"), Category: "application",
		Version: "81701", UpdateVersion: 1, Image: "third_party", Cmd: ptr(""), ExtendMethod: "stateless_multiple",
		ServiceType: ptr("application"), Creater: by.id, BuildStrategy: ptr(""), ServiceOrigin: "assistant",
		ServiceSource: ptr("third_party"), CreateStatus: ptr("creating"), CheckUUID: ptr(""), CheckEventID: ptr(""),
		BuildUpgrade: true, K8sComponentName: alias, JobStrategy: ptr(""), Arch: ptr("amd64"), Dockerfile: ptr(""),
	}
	comp := s.newComponent(info, 0, by, false)
	s.state.addComponent(comp)
	now := consoleTime(s.now())
	row := map[string]any{
		"ID": comp.rowID, "service_id": info.ServiceID, "tenant_id": info.TenantID, "service_key": info.ServiceKey,
		"service_alias": alias, "service_cname": cname, "service_region": region, "desc": *info.Desc, "category": info.Category,
		"service_port": 0, "is_web_service": false, "version": info.Version, "update_version": 1, "image": info.Image,
		"cmd": "", "min_node": 0, "min_cpu": 0, "container_gpu": 0, "min_memory": 0, "setting": "",
		"extend_method": info.ExtendMethod, "env": "", "inner_port": 0, "volume_mount_path": "", "host_path": "",
		"deploy_version": "", "code_from": nil, "git_url": nil, "create_time": now, "git_project_id": 0,
		"is_code_upload": false, "code_version": nil, "service_type": "application", "creater": info.Creater,
		"language": nil, "build_strategy": "", "protocol": "tcp", "total_memory": 0, "is_service": false,
		"namespace": "third_party", "volume_type": "shared", "port_type": "multi_outer", "service_origin": "assistant",
		"tenant_service_group_id": 0, "expired_time": nil, "open_webhooks": false, "service_source": "third_party",
		"create_status": "creating", "update_time": now, "check_uuid": "", "check_event_id": "", "docker_cmd": nil,
		"secret": nil, "server_type": "", "is_upgrate": false, "build_upgrade": true, "service_name": "",
		"oauth_service_id": nil, "git_full_name": nil, "k8s_component_name": alias, "job_strategy": "",
		"arch": "amd64", "dockerfile": "",
	}
	return comp, row
}

// Endpoints returns the static addresses of third-party component
// serviceID, as stored.
func (s *Server) Endpoints(serviceID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ep := s.state.release.endpoints[serviceID]; ep != nil {
		return slices.Clone(ep.static)
	}
	return nil
}

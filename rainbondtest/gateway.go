package rainbondtest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Gateway rules: openapi/views/gateway/gateway.py with
// openapi/serializer/gateway_serializer.py and
// console/services/app_config/domain_service.py.

// httpRule is a row of ServiceDomain.
type httpRule struct {
	ID             int64
	HTTPRuleID     string
	RegionID       string
	TenantID       string
	ServiceID      string
	ServiceName    string // the component's alias
	DomainName     string
	ContainerPort  int
	Protocol       string
	CertificateID  int
	DomainType     string
	ServiceAlias   string // the component's cname
	IsSenior       bool
	DomainPath     string
	DomainCookie   string
	DomainHeander  string
	Type           int
	TheWeight      int
	RuleExtensions string // stored text
	IsOuterService bool
	AutoSSL        bool
	AutoSSLConfig  *string
	PathRewrite    bool
	Rewrites       string // stored text, "[]"
}

// fields is the rule as model_to_dict gives it (no ID, which is not
// editable), with rewrites as stored, or parsed as the creation's answer
// has it.
func (r *httpRule) fields(rewritesParsed bool) map[string]any {
	m := map[string]any{
		"http_rule_id": r.HTTPRuleID, "region_id": r.RegionID, "tenant_id": r.TenantID, "service_id": r.ServiceID,
		"service_name": r.ServiceName, "domain_name": r.DomainName, "container_port": r.ContainerPort, "protocol": r.Protocol,
		"certificate_id": r.CertificateID, "domain_type": r.DomainType, "service_alias": r.ServiceAlias, "is_senior": r.IsSenior,
		"domain_path": r.DomainPath, "domain_cookie": r.DomainCookie, "domain_heander": r.DomainHeander, "type": r.Type,
		"the_weight": r.TheWeight, "is_outer_service": r.IsOuterService, "auto_ssl": r.AutoSSL,
		"auto_ssl_config": r.AutoSSLConfig, "path_rewrite": r.PathRewrite, "rewrites": r.Rewrites,
	}
	if rewritesParsed {
		m["rewrites"] = []any{}
	}
	return m
}

// listed is HTTPGatewayRuleSerializer over a row: ID, and rule_extensions
// parsed (the stored "key:value" text is neither JSON nor Python, so [])
func (r *httpRule) listed() map[string]any {
	m := r.fields(false)
	m["ID"] = r.ID
	m["rule_extensions"] = []any{}
	return m
}

// tcpRule is a row of ServiceTcpDomain.
type tcpRule struct {
	ID             int64   `json:"ID"`
	TCPRuleID      string  `json:"tcp_rule_id"`
	RegionID       string  `json:"region_id"`
	TenantID       string  `json:"tenant_id"`
	ServiceID      string  `json:"service_id"`
	ServiceName    string  `json:"service_name"`
	EndPoint       string  `json:"end_point"`
	Protocol       string  `json:"protocol"`
	ContainerPort  int     `json:"container_port"`
	ServiceAlias   string  `json:"service_alias"`
	Type           int     `json:"type"`
	RuleExtensions *string `json:"rule_extensions"`
	IsOuterService bool    `json:"is_outer_service"`
}

// appOf is the app of component serviceID (0 for none): a rule is its
// component's app's (get_http_rules_by_app_id lists the rules of the
// app's components).
func (st *state) appOf(serviceID string) int64 {
	if comp := st.components[serviceID]; comp != nil {
		return comp.appID
	}
	return 0
}

func (s *Server) appHTTPRules(appID int64) []any {
	out := []any{}
	for _, r := range s.state.httpRules {
		if s.state.appOf(r.ServiceID) == appID {
			out = append(out, r.listed())
		}
	}
	return out
}

// appTCPRules is get_tcp_rules_by_app_id: an end point stored as
// 0.0.0.0:<port> is answered as the tcpdomain of region (the path's, not
// the rule's) and the port.
func (s *Server) appTCPRules(appID int64, region string) []any {
	out := []any{}
	for _, r := range s.state.tcpRules {
		if s.state.appOf(r.ServiceID) != appID {
			continue
		}
		answered := *r
		if parts := strings.Split(r.EndPoint, ":"); len(parts) == 2 && parts[0] == "0.0.0.0" {
			answered.EndPoint = s.regionTCPDomain(s.state.region(region)) + ":" + parts[1]
		}
		out = append(out, answered)
	}
	return out
}

// regionTCPDomain is a region's tcpdomain, as GET /teams/{t}/regions
// answers it ("" for no region). s.mu is held.
func (s *Server) regionTCPDomain(r *Region) string {
	if r == nil {
		return ""
	}
	return s.row(r).tcpdomain
}

// listHTTPRules is ListAppGatewayHTTPRuleView.get.
func (c *call) listHTTPRules() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	c.json(http.StatusOK, c.s.appHTTPRules(a.ID))
}

// httpRuleBody reads PostHTTPGatewayRuleSerializer's fields, with its
// defaults; ok is false when an answer has been written.
func (c *call) httpRuleBody(raw map[string]any, update bool) (map[string]any, bool) {
	errs := map[string][]string{}
	out := map[string]any{}
	if _, present := raw["container_port"]; present || !update {
		if n, ok := intField(raw, "container_port", false, errs); ok {
			out["container_port"] = n
		}
	}
	// service_id is a CharField without max_length: 1<<20 stands for none.
	// auto_ssl_config: CharField(required=False, default=None), without
	// allow_null: null and "" are refused, absent is None.
	// Path, cookie and header are CharFields without allow_blank: "" is
	// refused, and the value kept is the trimmed text.
	values, textErrs := checkCharFields(raw, []charField{{name: "service_id", max: 1 << 20}, {name: "domain_name", max: 253, optional: update},
		{name: "auto_ssl_config", max: 1 << 20, optional: true}, {name: "domain_path", max: 1 << 20, optional: true},
		{name: "domain_cookie", max: 1 << 20, optional: true}, {name: "domain_header", max: 1 << 20, optional: true}})
	maps.Copy(errs, textErrs)
	for name, v := range values {
		if v != nil {
			out[name] = *v
		}
	}
	certificate := 0
	if _, present := raw["certificate_id"]; present {
		certificate, _ = intField(raw, "certificate_id", false, errs)
	}
	out["certificate_id"] = certificate
	if _, ok := out["domain_path"]; !ok && !update {
		out["domain_path"] = "/"
	}
	if w, present := raw["the_weight"]; present && w != nil {
		out["the_weight"], _ = intField(raw, "the_weight", false, errs)
	}
	for _, name := range []string{"whether_open", "auto_ssl"} {
		if b, ok := raw[name].(bool); ok {
			out[name] = b
		} else if !update {
			out[name] = false
		}
	}
	if len(errs) > 0 {
		c.validationErrors(errs)
		return nil, false
	}
	return out, true
}

// createHTTPRule is ListAppGatewayHTTPRuleView.post. Its refusals are bare
// {"msg": ...} bodies; a port the component lacks is a 500.
func (c *call) createHTTPRule() {
	t, region, a, raw := c.appBody()
	if a == nil {
		return
	}
	body, ok := c.httpRuleBody(raw, false)
	if !ok {
		return
	}
	if r := c.bindHTTPRule(t, region, body); r != nil {
		c.json(http.StatusCreated, r.fields(true))
	}
}

// bindHTTPRule checks and stores a new rule; nil when an answer has been
// written.
func (c *call) bindHTTPRule(t *Team, region string, body map[string]any) *httpRule {
	comp := c.s.state.components[body["service_id"].(string)]
	if comp == nil || comp.TenantID != t.TenantID {
		c.bare(http.StatusBadRequest, "组件不存在")
		return nil
	}
	protocol := "http"
	if body["certificate_id"].(int) != 0 {
		protocol = "https"
	}
	port := body["container_port"].(int)
	domain, path := body["domain_name"].(string), body["domain_path"].(string)
	for _, r := range c.s.state.httpRules {
		if r.ServiceID == comp.ServiceID && r.ContainerPort == port && r.DomainName == domain && r.Protocol == protocol && r.DomainPath == path {
			c.bare(http.StatusBadRequest, "策略已存在")
			return nil
		}
	}
	p := findPort(comp, port)
	if p == nil {
		c.serverError("AttributeError", "'NoneType' object has no attribute 'container_port'")
		return nil
	}
	if body["whether_open"] == true {
		p.IsOuterService = true
	}
	if !p.IsOuterService {
		c.bare(http.StatusBadRequest, "没有开启对外端口")
		return nil
	}
	for _, r := range c.s.state.httpRules {
		if r.DomainName == domain && r.TenantID != t.TenantID && c.s.state.region(region).RegionID == r.RegionID {
			c.failed(http.StatusBadRequest, "domain name is exist", "域名已被其他团队使用")
			return nil
		}
	}
	if hasChinese(domain) {
		c.failed(http.StatusBadRequest, "domain can not include chinese", "域名不能包含中文")
		return nil
	}
	// A certificate_id that names no certificate (of any team) is stored
	// as 0; the protocol stays https.
	certificate := body["certificate_id"].(int)
	if !c.s.state.certificateExists(certificate) {
		certificate = 0
	}
	r := &httpRule{
		ID: int64(c.s.state.httpRuleIDs.next()), HTTPRuleID: c.s.newID(), RegionID: c.s.state.region(region).RegionID, TenantID: t.TenantID,
		ServiceID: comp.ServiceID, ServiceName: comp.ServiceAlias, DomainName: domain, ContainerPort: port, Protocol: protocol,
		CertificateID: certificate, DomainType: "www", ServiceAlias: comp.ServiceCname, DomainPath: path,
		Type: 1, TheWeight: 100, IsOuterService: true, Rewrites: "[]",
	}
	r.DomainCookie, _ = body["domain_cookie"].(string)
	r.DomainHeander, _ = body["domain_header"].(string)
	r.IsSenior = r.DomainCookie != "" || r.DomainHeander != ""
	if w, ok := body["the_weight"].(int); ok {
		r.TheWeight = w
	}
	r.AutoSSL, _ = body["auto_ssl"].(bool)
	if cfg, ok := body["auto_ssl_config"].(string); ok {
		r.AutoSSLConfig = &cfg
	}
	c.s.state.httpRules = append(c.s.state.httpRules, r)
	return r
}

// bare answers one of the gateway's refusals: {"msg": ...}, no code.
func (c *call) bare(status int, msg string) {
	c.json(status, map[string]string{"msg": msg})
}

func (c *call) appRule(a *app) *httpRule {
	for _, r := range c.s.state.httpRules {
		if c.s.state.appOf(r.ServiceID) == a.ID && r.HTTPRuleID == c.params[3] {
			return r
		}
	}
	return nil
}

// getHTTPRule is UpdateAppGatewayHTTPRuleView.get: an unknown rule is
// HTTPGatewayRuleSerializer(None).data, every field at its initial value.
func (c *call) getHTTPRule() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	if r := c.appRule(a); r != nil {
		c.json(http.StatusOK, r.listed())
		return
	}
	blank := map[string]any{}
	for name, v := range (&httpRule{}).fields(false) {
		switch v.(type) {
		case string, *string:
			blank[name] = ""
		case bool:
			blank[name] = false
		default:
			blank[name] = nil
		}
	}
	c.json(http.StatusOK, blank)
}

// updateHTTPRule is the PUT of UpdateAppGatewayHTTPRuleView (and of
// UpdateAppGatewayRuleView) with domain_service.update_httpdomain: the
// component of the team, then the rule, found by id alone, then its
// domain checked; the row (to_dict) takes the serializer's data,
// certificate_id and auto_ssl_config always, service_id and
// service_name from the component (service_alias stays), and is saved
// as ServiceDomain(**domain_info).
func (c *call) updateHTTPRule() {
	t, _, a, raw := c.appBody()
	if a == nil {
		return
	}
	body, ok := c.httpRuleBody(raw, true)
	if !ok {
		return
	}
	comp := c.s.state.components[body["service_id"].(string)]
	if comp == nil || comp.TenantID != t.TenantID {
		c.bare(http.StatusBadRequest, "组件不存在")
		return
	}
	i := slices.IndexFunc(c.s.state.httpRules, func(r *httpRule) bool { return r.HTTPRuleID == c.params[3] })
	if i < 0 {
		c.failed(http.StatusNotFound, "no found", "no found")
		return
	}
	r := c.s.state.httpRules[i]
	domain := r.DomainName
	if v, ok := body["domain_name"].(string); ok {
		domain = v
	}
	if !c.checkDomainName(t, r.RegionID, domain) {
		return
	}
	// The model has no domain_header (its column is domain_heander) and
	// no whether_open: ServiceDomain(**domain_info) refuses either, after
	// the cluster was sent the change.
	var unexpected []string
	for _, name := range []string{"domain_header", "whether_open"} {
		if _, present := body[name]; present {
			unexpected = append(unexpected, pyRepr(name))
		}
	}
	if len(unexpected) > 0 {
		msg := "ServiceDomain() got unexpected keyword arguments: " + strings.Join(unexpected, ", ")
		if !c.s.has("v6.9.2") { // Django 2.2 names the first
			msg = "ServiceDomain() got an unexpected keyword argument " + unexpected[0]
		}
		c.serverError("TypeError", msg)
		return
	}
	r.ServiceID, r.ServiceName = comp.ServiceID, comp.ServiceAlias
	r.DomainName = domain
	r.CertificateID, r.Protocol = body["certificate_id"].(int), "http"
	if r.CertificateID != 0 {
		r.Protocol = "https"
	}
	r.AutoSSLConfig = nil
	if cfg, ok := body["auto_ssl_config"].(string); ok {
		r.AutoSSLConfig = &cfg
	}
	if v, ok := body["container_port"].(int); ok {
		r.ContainerPort = v
	}
	if v, ok := body["domain_path"].(string); ok {
		r.DomainPath = v
	}
	if v, ok := body["domain_cookie"].(string); ok {
		r.DomainCookie = v
	}
	if v, ok := body["the_weight"].(int); ok {
		r.TheWeight = v
	}
	if v, ok := body["auto_ssl"].(bool); ok {
		r.AutoSSL = v
	}
	// is_senior is set, never cleared.
	if r.DomainPath != "/" || r.DomainCookie != "" || r.DomainHeander != "" {
		r.IsSenior = true
	}
	c.json(http.StatusOK, r.fields(false))
}

// checkDomainName is domain_service.__check_domain_name: no Chinese, and
// the first rule of that domain (any team) not another team's in the
// region. false when answered.
func (c *call) checkDomainName(t *Team, regionID, domain string) bool {
	if hasChinese(domain) {
		c.failed(http.StatusBadRequest, "domain can not be include chinese", "域名不能包含中文")
		return false
	}
	i := slices.IndexFunc(c.s.state.httpRules, func(r *httpRule) bool { return r.DomainName == domain })
	if i >= 0 && c.s.state.httpRules[i].TenantID != t.TenantID && c.s.state.httpRules[i].RegionID == regionID {
		c.failed(http.StatusBadRequest, "domain be used other team", "域名已经被其他团队使用")
		return false
	}
	return true
}

// hasChinese is re.search('[\u4e00-\u9fa5]+', domain).
func hasChinese(domain string) bool {
	return strings.ContainsFunc(domain, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fa5 })
}

// deleteHTTPRule is the DELETE of the rule views: any rule of the team.
func (c *call) deleteHTTPRule() {
	t, _, a := c.teamApp()
	if a == nil {
		return
	}
	i := slices.IndexFunc(c.s.state.httpRules, func(r *httpRule) bool {
		return r.HTTPRuleID == c.params[3] && r.TenantID == t.TenantID
	})
	if i < 0 {
		c.message(http.StatusNotFound, 1404, "domain not found", "域名不存在", nil)
		return
	}
	r := c.s.state.httpRules[i]
	c.s.state.httpRules = slices.Delete(c.s.state.httpRules, i, i+1)
	out := r.fields(false)
	out["rule_extensions"] = []any{}
	c.json(http.StatusOK, out)
}

// listRules is ListAppGatewayRuleView.get: ?query=http or tcp names the
// one list to answer.
func (c *call) listRules() {
	_, region, a := c.teamApp()
	if a == nil {
		return
	}
	out := map[string]any{}
	switch query, _ := djangoQuery(c.r.URL.RawQuery).get("query"); query {
	case "http":
		out["http"] = c.s.appHTTPRules(a.ID)
	case "tcp":
		out["tcp"] = c.s.appTCPRules(a.ID, region)
	default:
		out["http"], out["tcp"] = c.s.appHTTPRules(a.ID), c.s.appTCPRules(a.ID, region)
	}
	c.json(http.StatusOK, out)
}

// createRule is ListAppGatewayRuleView.post for protocol "tcp" (and
// "http", as the httpdomains route): the app's rules answered.
func (c *call) createRule() {
	t, region, a, raw := c.appBody()
	if a == nil {
		return
	}
	protocol, _ := raw["protocol"].(string)
	switch protocol {
	case "tcp":
		tcp, _ := raw["tcp"].(map[string]any)
		if tcp == nil {
			c.failed(http.StatusBadRequest, "Missing parameters: tcp", "缺少参数: tcp")
			return
		}
		if !c.bindTCPRule(t, region, tcp) {
			return
		}
	case "http":
		h, _ := raw["http"].(map[string]any)
		if h == nil {
			c.failed(http.StatusBadRequest, "Missing parameters: tcp", "缺少参数: http")
			return
		}
		body, ok := c.httpRuleBody(h, false)
		if !ok || c.bindHTTPRule(t, region, body) == nil {
			return
		}
	default:
		c.failed(http.StatusBadRequest, "error parameters: protocol", "错误参数: protocol")
		return
	}
	c.json(http.StatusOK, map[string]any{"http": c.s.appHTTPRules(a.ID), "tcp": c.s.appTCPRules(a.ID, region)})
}

// bindTCPRule validates PostTCPGatewayRuleSerializer and stores the rule,
// opening the port to the outside.
func (c *call) bindTCPRule(t *Team, region string, raw map[string]any) bool {
	errs := map[string][]string{}
	port, _ := intField(raw, "container_port", false, errs)
	intField(raw, "default_port", false, errs) // required; the gateway takes the end point
	values, textErrs := checkCharFields(raw, []charField{{name: "service_id", max: 32}, {name: "end_point", max: 32}, {name: "default_ip", max: 32}})
	maps.Copy(errs, textErrs)
	texts := map[string]string{"service_id": deref(values["service_id"]), "end_point": deref(values["end_point"])}
	if len(errs) > 0 {
		c.validationErrors(map[string]any{"tcp": errs})
		return false
	}
	comp := c.s.state.components[texts["service_id"]]
	if comp == nil {
		c.failed(http.StatusBadRequest, "not service", "组件不存在")
		return false
	}
	regionID := c.s.state.region(region).RegionID
	for _, r := range c.s.state.tcpRules {
		if r.EndPoint == texts["end_point"] && r.RegionID == regionID {
			c.failed(http.StatusBadRequest, "exist", "策略已存在")
			return false
		}
	}
	p := findPort(comp, port)
	if p == nil {
		c.failed(http.StatusInternalServerError, "change port fail", "open port failure")
		return false
	}
	p.IsOuterService = true
	c.s.state.tcpRules = append(c.s.state.tcpRules, &tcpRule{
		ID: int64(c.s.state.tcpRuleIDs.next()), TCPRuleID: c.s.newID(), RegionID: regionID, TenantID: t.TenantID, ServiceID: comp.ServiceID,
		ServiceName: comp.ServiceAlias, EndPoint: texts["end_point"], Protocol: p.Protocol,
		ContainerPort: port, ServiceAlias: comp.ServiceCname, Type: 1, IsOuterService: true,
	})
	return true
}

// listEnterpriseHTTPRules is ListEnterpriseAppGatewayHTTPRuleView.get
// (get_http_rules_by_enterprise_id): the HTTP rules of every team of the
// enterprise, all of them or, with auto_ssl, those whose auto_ssl is
// whether the value is "true" in any case. No paging. A rule whose region
// or app is not found is left out. The serializer's validation fails on
// the existing rule ids, so the raw rows are answered: rule_extensions
// as stored, region_name, team_name and app_id added, no create_time.
func (c *call) listEnterpriseHTTPRules() {
	var autoSSL *bool
	if v, present := djangoQuery(c.r.URL.RawQuery).get("auto_ssl"); present {
		autoSSL = ptr(strings.ToLower(v) == "true")
	}
	teamNames := map[string]string{}
	for _, t := range c.s.state.teams {
		if t.EnterpriseID == c.s.state.enterpriseID {
			teamNames[t.TenantID] = t.TenantName
		}
	}
	regionNames := map[string]string{}
	for _, r := range c.s.state.regions {
		regionNames[r.RegionID] = r.RegionName
	}
	out := []any{}
	for _, r := range c.s.state.httpRules {
		team, ok := teamNames[r.TenantID]
		if !ok || autoSSL != nil && r.AutoSSL != *autoSSL {
			continue
		}
		comp := c.s.state.components[r.ServiceID]
		region := regionNames[r.RegionID]
		if comp == nil || comp.appID == 0 || region == "" {
			continue
		}
		item := r.fields(false)
		item["ID"], item["region_name"], item["team_name"], item["app_id"] = r.ID, region, team, comp.appID
		item["rule_extensions"] = r.RuleExtensions
		out = append(out, item)
	}
	c.json(http.StatusOK, out)
}

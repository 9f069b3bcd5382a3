package rainbondtest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// Regions and their clusters: ListRegionInfo.post, RegionInfo.get and
// ReplaceRegionIP (openapi/views/region_view.py), with
// openapi/serializer/region_serializer.py and
// console/services/region_services.py add_region, conver_region_info and
// update_region.

// regionRow is the rest of a region's RegionConfig row, and the cluster
// it names.
type regionRow struct {
	enterpriseID                      *string
	url, wsurl, httpdomain, tcpdomain string
	token                             *string
	scope, status                     string
	sslCACert, certFile, keyFile      *string
	capacity                          RegionCapacity
	// down makes every call to the cluster fail.
	down bool
}

// RegionCapacity is what a region's cluster reports it has.
type RegionCapacity struct {
	// CPU is the allocatable CPU in millicores; 0 means 16000.
	CPU int
	// Memory is the allocatable memory in MiB; 0 means 65536.
	Memory int
	// Disk is the disk capacity in GiB; 0 means 500.
	Disk int
	// Nodes is the number of nodes; 0 means 3. All of them are ready.
	Nodes int
}

func (rc RegionCapacity) orDefaults() RegionCapacity {
	if rc.CPU <= 0 {
		rc.CPU = 16000
	}
	if rc.Memory <= 0 {
		rc.Memory = 65536
	}
	if rc.Disk <= 0 {
		rc.Disk = 500
	}
	if rc.Nodes <= 0 {
		rc.Nodes = 3
	}
	return rc
}

// row is region r's RegionConfig row: a region added by AddRegion or a
// seed is the server enterprise's, at https://<name>.region.test:8443,
// without certificates. s.mu is held.
func (s *Server) row(r *Region) *regionRow {
	p := &s.state.platform
	if row := p.regions[r]; row != nil {
		return row
	}
	row := &regionRow{
		enterpriseID: ptr(s.state.enterpriseID),
		url:          "https://" + r.RegionName + ".region.test:8443", wsurl: "ws://" + r.RegionName + ".region.test:6060",
		httpdomain: r.RegionName + ".apps.test", tcpdomain: "10.0.0.1", scope: "private", status: "1",
	}
	p.regions[r] = row
	return row
}

// clusterDown reports whether calls to region r's cluster fail: it was
// set down, its API URL is unreachable or blank. s.mu is held.
func (s *Server) clusterDown(r *Region) bool {
	row := s.row(r)
	return row.down || row.url == "" || s.state.platform.unreachable[row.url]
}

// enterpriseRegions are the regions of enterprise eid, oldest first.
func (s *Server) enterpriseRegions(eid string) []*Region {
	var out []*Region
	for _, r := range s.state.regions {
		if deref(s.row(r).enterpriseID) == eid {
			out = append(out, r)
		}
	}
	return out
}

// clusterUnreachable answers a cluster call that failed to connect:
// MaxRetryError as a ServiceHandleException, 400 code 10411.
func (c *call) clusterUnreachable(r *Region, path string) {
	url := ""
	if r != nil {
		url = c.s.row(r).url
	}
	c.message(http.StatusBadRequest, 10411, "MaxRetryError"+maxRetryText(url, path), "访问数据中心异常，请稍后重试", nil)
}

// maxRetryText is str() of urllib3's MaxRetryError for a call to path of
// the cluster at apiURL.
func maxRetryText(apiURL, path string) string {
	pool, port := "HTTPSConnectionPool", "443"
	rest, isHTTP := strings.CutPrefix(apiURL, "http://")
	if isHTTP {
		pool, port = "HTTPConnectionPool", "80"
	} else {
		rest = strings.TrimPrefix(rest, "https://")
	}
	host, _, _ := strings.Cut(rest, "/")
	if h, p, ok := strings.Cut(host, ":"); ok {
		host, port = h, p
	}
	return fmt.Sprintf("%s(host=%s, port=%s): Max retries exceeded with url: %s (Caused by NewConnectionError("+
		"'<urllib3.connection.HTTPSConnection object at 0x7f2c3a1e4d90>: Failed to establish a new connection: [Errno 111] Connection refused'))",
		pool, pyRepr(host), port, path)
}

// urlPattern and ipPattern are openapi/serializer/utils.py's urlregex and
// ipregex (the latter matched at the start only).
var (
	urlPattern = regexp.MustCompile(`(?i)^(?:http|ftp|ws)s?://(?:(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+(?:[A-Z]{2,6}\.?|[A-Z0-9-]{2,}\.?)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?::\d+)?(?:/?|[/?]\S+)$`)
	ipPattern  = regexp.MustCompile(`^((2(5[0-5]|[0-4]\d))|[0-1]?\d{1,2})(\.((2(5[0-5]|[0-4]\d))|[0-1]?\d{1,2})){3}`)
)

// regionRecord is RegionInfoSerializer over a RegionConfig row.
type regionRecord struct {
	RegionID     string  `json:"region_id"`
	RegionName   string  `json:"region_name"`
	RegionAlias  string  `json:"region_alias"`
	URL          string  `json:"url"`
	Token        *string `json:"token"`
	WsURL        string  `json:"wsurl"`
	HTTPDomain   string  `json:"httpdomain"`
	TCPDomain    string  `json:"tcpdomain"`
	Scope        string  `json:"scope"`
	SSLCACert    *string `json:"ssl_ca_cert"`
	CertFile     *string `json:"cert_file"`
	KeyFile      *string `json:"key_file"`
	Status       string  `json:"status"`
	Desc         string  `json:"desc"`
	EnterpriseID *string `json:"enterprise_id"`
}

// createRegion is ListRegionInfo.post (administrators only, by the
// route): RegionInfoSerializer (region_id required though replaced; url
// and wsurl by urlregex, tcpdomain by ipregex), then add_region: the
// body's enterprise_id must name an enterprise (404 envelope), the
// connection test hashes url and the three certificate fields, so a
// missing one is a TypeError (500), and must reach the cluster (400
// envelope). The first region of an enterprise gets a "default" team.
// 201 with the row, certificates and token included.
func (c *call) createRegion() {
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	text := func(f charField) *string { return charInto(&errs, data, f)[f.name] }
	unique := func(name string, v *string, taken func(*Region) bool) {
		if v != nil && slices.ContainsFunc(c.s.state.regions, taken) {
			errs.add(name, "具有 "+strings.ReplaceAll(name, "_", " ")+" 的 region config 已存在。", "unique")
		}
	}
	check := func(name string, v *string, ok func(string) bool, msg string) {
		if v != nil && !ok(*v) {
			errs.add(name, msg, "invalid")
		}
	}
	regionID := text(charField{name: "region_id", max: 36})
	unique("region_id", regionID, func(r *Region) bool { return r.RegionID == *regionID })
	name := text(charField{name: "region_name", max: 64})
	unique("region_name", name, func(r *Region) bool { return r.RegionName == *name })
	alias := text(charField{name: "region_alias", max: 64})
	url := text(charField{name: "url", max: 256})
	check("url", url, urlPattern.MatchString, "集群API地址非法")
	token := text(charField{name: "token", max: 255, allowBlank: true, allowNull: true, optional: true})
	wsurl := text(charField{name: "wsurl", max: 256})
	check("wsurl", wsurl, urlPattern.MatchString, "集群Websocket地址非法")
	httpdomain := text(charField{name: "httpdomain", max: 256})
	tcpdomain := text(charField{name: "tcpdomain", max: 256})
	check("tcpdomain", tcpdomain, ipPattern.MatchString, "TCP访问地址非法")
	scope := text(charField{name: "scope", max: 10, optional: true})
	check("scope", scope, func(v string) bool { return v == "private" || v == "public" }, "集群开放类型不正确")
	var certs [3]*string
	for i, f := range []string{"ssl_ca_cert", "cert_file", "key_file"} {
		certs[i] = text(charField{name: f, max: 1 << 30, allowBlank: true, allowNull: true, optional: true})
	}
	status := text(charField{name: "status", max: 2})
	check("status", status, func(v string) bool { return len(v) == 1 && v[0] >= '0' && v[0] <= '3' }, "集群状态值不正确")
	desc := text(charField{name: "desc", max: 200, allowBlank: true, optional: true})
	eid := text(charField{name: "enterprise_id", max: 36, allowBlank: true, allowNull: true, optional: true})
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	if eid == nil || !c.s.state.enterpriseExists(*eid) {
		c.failed(http.StatusNotFound, "enterprise not found", "企业不存在")
		return
	}
	for _, cert := range certs {
		if cert == nil {
			c.serverError("TypeError", `can only concatenate str (not "NoneType") to str`)
			return
		}
	}
	if c.s.state.platform.unreachable[*url] {
		c.failed(http.StatusBadRequest, "test link region field", "连接集群测试失败，请确认网络和集群状态(400, 10411, "+
			pyRepr("MaxRetryError"+maxRetryText(*url, "/v2/show"))+", '访问数据中心异常，请稍后重试')")
		return
	}
	first := len(c.s.enterpriseRegions(*eid)) == 0
	r := &Region{RegionName: *name, RegionAlias: *alias, RegionID: c.s.newID(), Desc: deref(desc)}
	row := &regionRow{
		enterpriseID: eid, url: *url, wsurl: *wsurl, httpdomain: *httpdomain, tcpdomain: *tcpdomain, token: token,
		scope: "private", status: *status, sslCACert: certs[0], certFile: certs[1], keyFile: certs[2],
	}
	if scope != nil {
		row.scope = *scope
	}
	c.s.state.regions = append(c.s.state.regions, r)
	c.s.state.platform.regions[r] = row
	if first {
		c.s.createSampleTeam(*eid, r, c.user)
	}
	c.json(http.StatusCreated, c.s.regionRecord(r))
}

// createSampleTeam is create_sample_application: a team named "default",
// shown as "<nick> 工作空间", opened in region r. Its errors are
// swallowed: a "default" team elsewhere (tenant_name is unique) leaves
// none.
func (s *Server) createSampleTeam(eid string, r *Region, u *user) {
	for _, t := range s.state.teams {
		if t.TenantName == "default" {
			return
		}
	}
	t := &Team{TenantID: s.newID(), TenantName: "default", TenantAlias: deref(u.nick) + " 工作空间", EnterpriseID: eid, Regions: []string{r.RegionName}}
	s.state.teams = append(s.state.teams, t)
	s.state.teamRow(t).creater = u.id
}

func (s *Server) regionRecord(r *Region) regionRecord {
	row := s.row(r)
	return regionRecord{
		RegionID: r.RegionID, RegionName: r.RegionName, RegionAlias: r.RegionAlias, URL: row.url, Token: row.token,
		WsURL: row.wsurl, HTTPDomain: row.httpdomain, TCPDomain: row.tcpdomain, Scope: row.scope,
		SSLCACert: row.sslCACert, CertFile: row.certFile, KeyFile: row.keyFile, Status: row.status, Desc: r.Desc,
		EnterpriseID: row.enterpriseID,
	}
}

// regionDetail is RegionInfoRSerializer's validated data, in its order.
type regionDetail struct {
	RegionName   string  `json:"region_name"`
	RegionAlias  string  `json:"region_alias"`
	URL          string  `json:"url"`
	WsURL        string  `json:"wsurl"`
	HTTPDomain   string  `json:"httpdomain"`
	TCPDomain    string  `json:"tcpdomain"`
	Scope        string  `json:"scope"`
	SSLCACert    *string `json:"ssl_ca_cert"`
	CertFile     *string `json:"cert_file"`
	KeyFile      *string `json:"key_file"`
	Desc         string  `json:"desc"`
	UsedDisk     pyFloat `json:"used_disk"`
	TotalDisk    pyFloat `json:"total_disk"`
	UsedMemory   pyFloat `json:"used_memory"`
	TotalMemory  pyFloat `json:"total_memory"`
	UsedCPU      pyFloat `json:"used_cpu"`
	TotalCPU     pyFloat `json:"total_cpu"`
	HealthStatus string  `json:"health_status"`
	Status       string  `json:"status"`
}

// getRegion is RegionInfo.get: the region by name or id, of the caller's
// enterprise (404 envelope), with its connection and certificates, to
// any user. extend_info=true asks the cluster for its resources; a
// cluster that fails makes health_status "failure". The answer is
// validated: a blank url, wsurl, httpdomain, tcpdomain, scope or
// certificate field (null passes) is a 400.
func (c *call) getRegion() {
	var r *Region
	for _, byID := range []bool{false, true} {
		for _, cand := range c.s.enterpriseRegions(c.user.enterpriseID) {
			if !byID && cand.RegionName == c.params[0] || byID && cand.RegionID == c.params[0] {
				r = cand
				break
			}
		}
		if r != nil {
			break
		}
	}
	if r == nil {
		c.failed(http.StatusNotFound, "no found region", "数据中心不存在")
		return
	}
	row := c.s.row(r)
	d := regionDetail{
		RegionName: r.RegionName, RegionAlias: r.RegionAlias, URL: row.url, WsURL: row.wsurl,
		HTTPDomain: row.httpdomain, TCPDomain: row.tcpdomain, Scope: row.scope, SSLCACert: row.sslCACert,
		CertFile: row.certFile, KeyFile: row.keyFile, Desc: r.Desc, HealthStatus: "ok", Status: row.status,
	}
	if extend, _ := djangoQuery(c.r.URL.RawQuery).get("extend_info"); extend == "true" {
		if st, ok := c.s.clusterStats(r); ok {
			d.UsedDisk, d.TotalDisk = pyFloat(st.reqDisk), pyFloat(st.capDisk)
			d.UsedMemory, d.TotalMemory = pyFloat(st.reqMem), pyFloat(st.capMem)
			d.UsedCPU, d.TotalCPU = pyFloat(st.reqCPU), pyFloat(st.capCPU)
		} else {
			d.HealthStatus = "failure"
		}
	}
	problems := map[string][]string{}
	for field, v := range map[string]*string{
		"region_name": &d.RegionName, "region_alias": &d.RegionAlias, "url": &d.URL, "wsurl": &d.WsURL,
		"httpdomain": &d.HTTPDomain, "tcpdomain": &d.TCPDomain, "scope": &d.Scope, "ssl_ca_cert": d.SSLCACert,
		"cert_file": d.CertFile, "key_file": d.KeyFile, "status": &d.Status,
	} {
		if v != nil && strings.TrimSpace(*v) == "" {
			problems[field] = []string{"该字段不能为空。"}
		}
	}
	if len(problems) > 0 {
		c.validationErrors(problems)
		return
	}
	c.json(http.StatusOK, d)
}

// replaceRegionIP is ReplaceRegionIP.post (v5.9.0), for grctl after a
// cluster's address changed: the region by name in any enterprise (404
// envelope), then its url, wsurl, httpdomain, tcpdomain (sent as ws_url,
// http_domain and tcp_domain) and the three certificate fields replaced
// by the body's, "" for each one not sent; nothing validated, no
// permission asked. A null where the column takes none fails the save:
// 500 envelope. A body that is no object fails before the view's try (the
// notes' "any exception → 500 envelope" does not cover it): 500 JSON.
func (c *call) replaceRegionIP() {
	data, ok := c.requestData()
	if !ok {
		return
	}
	var r *Region
	if name, present := data["region_name"]; !present || name != nil {
		r = c.s.state.region(pyStr(valueOr(data, "region_name", "")))
	}
	if r == nil {
		c.failed(http.StatusNotFound, "region not found", "数据中心不存在")
		return
	}
	values := map[string]*string{}
	for _, key := range []string{"url", "ws_url", "http_domain", "tcp_domain", "ssl_ca_cert", "cert_file", "key_file"} {
		if v := valueOr(data, key, ""); v != nil {
			values[key] = ptr(pyStr(v))
		}
	}
	for _, key := range []string{"url", "ws_url", "http_domain", "tcp_domain"} {
		if values[key] == nil {
			c.failed(http.StatusInternalServerError, "failed", "更新失败")
			return
		}
	}
	row := c.s.row(r)
	row.url, row.wsurl, row.httpdomain, row.tcpdomain = *values["url"], *values["ws_url"], *values["http_domain"], *values["tcp_domain"]
	row.sslCACert, row.certFile, row.keyFile = values["ssl_ca_cert"], values["cert_file"], values["key_file"]
	c.envelope("更新成功", nil, nil)
}

// valueOr is dict.get(key, def) over a decoded body.
func valueOr(data map[string]any, key string, def any) any {
	if v, ok := data[key]; ok {
		return v
	}
	return def
}

// clusterStats is what a cluster's /v2/cluster reports: CPU in cores,
// memory in MiB, disk in GiB (the console divides the bytes), the
// components that run counted as requests and their instances as pods.
type clusterStats struct {
	capCPU, reqCPU   float64
	capMem, reqMem   float64
	capDisk, reqDisk float64
	nodes, pods      int
	// reqCPUFraction is whether req_cpu has a fraction (a JSON float the
	// console keeps as one).
	reqCPUFraction bool
}

// clusterStats asks region r's cluster for its resources; false when the
// cluster fails. s.mu is held.
func (s *Server) clusterStats(r *Region) (clusterStats, bool) {
	if s.clusterDown(r) {
		return clusterStats{}, false
	}
	capacity := s.row(r).capacity.orDefaults()
	st := clusterStats{
		capCPU: float64(capacity.CPU / 1000), capMem: float64(capacity.Memory), capDisk: float64(capacity.Disk), nodes: capacity.Nodes,
	}
	milli := 0
	for _, comp := range s.requesting(func(c *component) bool { return c.ServiceRegion == r.RegionName }) {
		milli += comp.MinCPU * comp.MinNode
		st.reqMem += float64(comp.MinMemory * comp.MinNode)
		st.pods += comp.MinNode
	}
	st.reqCPU = float64(milli) / 1000
	st.reqCPUFraction = milli%1000 != 0
	return st, true
}

// requesting are the components that hold their requests on a cluster:
// deployed and not closed. s.mu is held.
func (s *Server) requesting(keep func(*component) bool) []*component {
	var out []*component
	for _, id := range s.state.order {
		c := s.state.components[id]
		s.settle(c)
		if c.state != "undeploy" && c.state != "closed" && keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// SetRegionCapacity sets what region's cluster reports having.
func (s *Server) SetRegionCapacity(region string, capacity RegionCapacity) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.state.region(region)
	if r == nil {
		return fmt.Errorf("rainbondtest: no region %q", region)
	}
	s.row(r).capacity = capacity
	return nil
}

// SetClusterDown makes every call to region's cluster fail (down) or
// succeed again, as a cluster the console cannot reach: resources read
// as zeros, monitoring queries fail, extend_info reports "failure".
func (s *Server) SetClusterDown(region string, down bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.state.region(region)
	if r == nil {
		return fmt.Errorf("rainbondtest: no region %q", region)
	}
	s.row(r).down = down
	return nil
}

// SetClusterReachable decides whether a cluster API URL answers: POST
// /regions tests the connection to the url it is given, and a region
// whose url does not answer is down. Every URL answers by default.
func (s *Server) SetClusterReachable(url string, reachable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if reachable {
		delete(s.state.platform.unreachable, url)
	} else {
		s.state.platform.unreachable[url] = true
	}
}

// RegionConnection is how the console reaches a region's cluster: the
// RegionConfig columns POST /regions sets and POST /grctl/ip replaces.
// Pointers are nullable columns.
type RegionConnection struct {
	// EnterpriseID is the region's enterprise.
	EnterpriseID *string
	// URL, WsURL, HTTPDomain and TCPDomain are the API and websocket
	// addresses and the apps' HTTP and TCP domains.
	URL, WsURL, HTTPDomain, TCPDomain string
	// Token is the region's token.
	Token *string
	// Scope ("private" or "public") and Status ("0" to "3").
	Scope, Status string
	// SSLCACert, CertFile and KeyFile are the client certificate fields.
	SSLCACert, CertFile, KeyFile *string
}

// RegionConnection returns region's connection record, or false for no
// such region.
func (s *Server) RegionConnection(region string) (RegionConnection, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.state.region(region)
	if r == nil {
		return RegionConnection{}, false
	}
	row := s.row(r)
	return RegionConnection{
		EnterpriseID: row.enterpriseID, URL: row.url, WsURL: row.wsurl, HTTPDomain: row.httpdomain,
		TCPDomain: row.tcpdomain, Token: row.token, Scope: row.scope, Status: row.status,
		SSLCACert: row.sslCACert, CertFile: row.certFile, KeyFile: row.keyFile,
	}, true
}

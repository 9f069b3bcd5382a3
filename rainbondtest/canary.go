package rainbondtest

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Canaries (gray releases, console v6.6.0+): GrayReleaseView,
// UpdateGrayRatioView, GrayRollbackView and GrayReleaseListView
// (openapi/views/apps/gray_release.py) with GrayReleaseService
// (console/services/gray_release_service.py).
//
// A canary splits the traffic of one gateway route between a component
// and the same-named component of a newer install of an app model. The
// routes are the cluster's ApisixRoutes, which the console names
// "{app_id}{route}-{alias}" (regionapi.py api_gateway_get_proxy). Here
// they are made from the fake's HTTP rules, as the cluster makes them:
// the console's POST …/httpdomains calls api_gateway_bind_http_domain
// with paths ["/*"] whatever the rule's domain_path (a rule on "/" and
// one on "/api" alike), and rainbond's CreateHTTPAPIRoute
// (api/controller/apigateway/api_gateway_route.go) names the route
// lower(replace(host, "*", "wildcard") + "/*") with "/" → "p-p", "*" →
// "s-s" and "_" removed: host shop.example.com gives
// "shop.example.comp-ps-s". With default=true an existing route of that
// name is kept, so the first rule of a host in a team makes its route:
// its app, its component's alias, its port's k8s service as the one
// backend, weight 100. (A rule made through …/domains gets its route from
// the worker at the component's next deploy, under the same name for
// hosts without "*" or "_"; the fake names every route the first way.)
// A route appears the first time the fake looks at the gateway after its
// rule was made, and stays when the rule or its component goes.

// RouteBackend is a backend of a gateway route.
type RouteBackend struct {
	// ServiceName is the k8s service (a port's k8s_service_name).
	ServiceName string
	// ServicePort is its port.
	ServicePort int
	// Weight is its share of the traffic.
	Weight int
}

// gwRoute is an ApisixRoute: in a team's namespace, labelled with an
// app and component aliases.
type gwRoute struct {
	tenantID string
	appID    int64
	name     string // the k8s name, e.g. "shop.example.comp-ps-s"
	hosts    []string
	aliases  []string
	backends []RouteBackend
}

// consoleName is the name the console gives the route.
func (r *gwRoute) consoleName() string {
	name := strconv.FormatInt(r.appID, 10) + r.name
	for _, a := range r.aliases {
		name += "-" + a
	}
	return name
}

// routeKey is CreateHTTPAPIRoute's name of the route of host on "/*".
func routeKey(host string) string {
	name := strings.ToLower(strings.ReplaceAll(host, "*", "wildcard") + "/*")
	name = strings.ReplaceAll(name, "/", "p-p")
	name = strings.ReplaceAll(name, "*", "s-s")
	return strings.ReplaceAll(name, "_", "")
}

func (s *Server) gwRouteNamed(tenantID, name string) *gwRoute {
	for _, r := range s.state.release.routes {
		if r.tenantID == tenantID && r.name == name {
			return r
		}
	}
	return nil
}

// syncRoutes makes the routes of the HTTP rules that have none yet.
// s.mu is held.
func (s *Server) syncRoutes() {
	for _, rule := range s.state.httpRules {
		name := routeKey(rule.DomainName)
		if s.gwRouteNamed(rule.TenantID, name) != nil {
			continue
		}
		backend := rule.ServiceName + "-" + strconv.Itoa(rule.ContainerPort)
		if comp := s.state.components[rule.ServiceID]; comp != nil {
			if p := findPort(comp, rule.ContainerPort); p != nil && p.K8sServiceName != "" {
				backend = p.K8sServiceName
			}
		}
		s.state.release.routes = append(s.state.release.routes, &gwRoute{
			tenantID: rule.TenantID, appID: s.state.appOf(rule.ServiceID), name: name, hosts: []string{rule.DomainName},
			aliases: []string{rule.ServiceName}, backends: []RouteBackend{{ServiceName: backend, ServicePort: rule.ContainerPort, Weight: 100}},
		})
	}
}

// appRoutes are the routes of an app of a team, in the order the
// cluster lists them (by name).
func (s *Server) appRoutes(tenantID string, appID int64) []*gwRoute {
	s.syncRoutes()
	var out []*gwRoute
	for _, r := range s.state.release.routes {
		if r.tenantID == tenantID && r.appID == appID {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *gwRoute) int { return strings.Compare(a.name, b.name) })
	return out
}

// trailingAlias is get_domain_by_name's re.sub(r'-[a-zA-Z0-9]+$', ”, …).
var trailingAlias = regexp.MustCompile(`-[a-zA-Z0-9]+$`)

// findGrayRoute is get_domain_by_name: the app's route whose console
// name is domainName, or domainName without its last "-word". Not found:
// the 404 naming the first five routes of the app.
func (s *Server) findGrayRoute(t *Team, a *app, domainName string) (*gwRoute, *shErr) {
	parsed := trailingAlias.ReplaceAllString(domainName, "")
	var names []string
	for _, r := range s.appRoutes(t.TenantID, a.ID) {
		name := r.consoleName()
		if name == parsed || name == domainName {
			return r, nil
		}
		names = append(names, name)
	}
	more := ""
	if len(names) > 5 {
		names, more = names[:5], "..."
	}
	return nil, &shErr{status: http.StatusNotFound, msgShow: "API网关中未找到路由: " + domainName + "。当前应用可用路由: " + strings.Join(names, ", ") + more}
}

// grayFail answers a ServiceHandleException of the gray release service
// as the gray views' except clauses do: its status and msg_show, with
// msg "failed".
func (c *call) grayFail(e *shErr) {
	c.failed(e.status, "failed", e.msgShow)
}

func firstOuterPort(comp *component, containerPort int) *port {
	for _, p := range comp.ports {
		if p.IsOuterService && (containerPort == 0 || p.ContainerPort == containerPort) {
			return p
		}
	}
	return nil
}

// setWeights is _update_apisix_route_weights: the new component's
// outer port gets newW, the original's outer port of the same number
// origW (unless a full release); a zero weight drops its backend. The
// cluster call that follows always succeeds here.
func (s *Server) setWeights(rt *gwRoute, orig, fresh *component, origW, newW int, full bool) *shErr {
	np := firstOuterPort(fresh, 0)
	if np == nil {
		return &shErr{status: http.StatusBadRequest, msgShow: "新服务没有对外端口"}
	}
	var backends []RouteBackend
	if newW > 0 {
		backends = append(backends, RouteBackend{ServiceName: np.K8sServiceName, ServicePort: np.ContainerPort, Weight: newW})
	}
	if !full && origW > 0 {
		if op := firstOuterPort(orig, np.ContainerPort); op != nil {
			backends = append(backends, RouteBackend{ServiceName: op.K8sServiceName, ServicePort: op.ContainerPort, Weight: origW})
		}
	}
	rt.backends = backends
	rt.aliases = []string{orig.ServiceAlias}
	return nil
}

// dropRoutesOf is _delete_new_service_domains: every route of the team
// whose one backend is an outer port of comps goes.
func (s *Server) dropRoutesOf(tenantID string, comps []*component) {
	s.syncRoutes()
	names := map[string]bool{}
	for _, comp := range comps {
		for _, p := range comp.ports {
			if p.IsOuterService {
				names[p.K8sServiceName] = true
			}
		}
	}
	s.state.release.routes = slices.DeleteFunc(s.state.release.routes, func(r *gwRoute) bool {
		return r.tenantID == tenantID && len(r.backends) == 1 && names[r.backends[0].ServiceName]
	})
}

// grayRecord is a GrayReleaseRecord.
type grayRecord struct {
	id                       int
	tenantID, region         string
	appID                    int64
	appName                  string
	templateID, templateName string
	templateVersion          string
	origGroup, grayGroup     int
	origID, origCname        string
	grayID, grayCname        string
	mappings                 []map[string]string
	domainName               string
	ratio                    int
	status                   string
	created, updated         time.Time
	seq                      int // orders records updated in the same second
}

func (s *Server) touchGray(r *grayRecord) {
	r.updated = s.now()
	r.seq = s.state.release.graySeq.next()
}

// grayBean is the answer of create and ratio update.
type grayBean struct {
	AppID                int64  `json:"app_id"`
	AppName              string `json:"app_name"`
	OriginalServiceID    string `json:"original_service_id"`
	OriginalServiceCname string `json:"original_service_cname"`
	OriginalWeight       int    `json:"original_weight"`
	NewServiceID         string `json:"new_service_id"`
	NewServiceCname      string `json:"new_service_cname"`
	NewWeight            int    `json:"new_weight"`
	DomainName           string `json:"domain_name"`
	GrayRatio            int    `json:"gray_ratio"`
}

// grayInput reads a gray view's body with its serializer. The views run
// it inside their try: what fails is a 500 whose msg_show is prefix and
// the Python repr of the errors. data is nil when answered.
func (c *call) grayInput(prefix string, read func(errs *drfErrors, data map[string]any)) map[string]any {
	raw, parseErr := c.rawBody()
	if parseErr != "" {
		c.failed(http.StatusInternalServerError, "failed", prefix+": "+parseErr)
		return nil
	}
	var errs drfErrors
	data, ok := raw.(map[string]any)
	if ok {
		read(&errs, data)
	} else {
		notADict(&errs, raw)
	}
	if !errs.empty() {
		c.failed(http.StatusInternalServerError, "failed", prefix+": "+errs.repr())
		return nil
	}
	return data
}

// grayRatio is gray_ratio: IntegerField with gray_ratio_validator.
func grayRatio(errs *drfErrors, data map[string]any) int {
	n, _, ok := drfInt(errs, data, "gray_ratio", true, false)
	if ok && (n < 0 || n > 100) {
		errs.add("gray_ratio", "灰度比例必须在0-100之间", "invalid")
	}
	return n
}

// createGrayRelease is GrayReleaseView.post (v6.6.0): install the
// template's latest version into the app (deployed, no domains), find
// the route, split its traffic between its component and the new
// same-named one, record the canary "active". The route: a console HTTP
// rule (domain_path "/" or any other) is served by the ApisixRoute of
// its host on path "/*", named "{app_id}{host}p-ps-s-{alias}" (see the
// top of this file). A failure after the install rolls the console's
// rows back (transaction.atomic): the new components go again. No check
// for a canary already active.
func (c *call) createGrayRelease() {
	t, region, a := c.teamApp()
	if a == nil {
		return
	}
	var templateID, domainName, marketName string
	var ratio int
	var fromCloud bool
	if c.grayInput("灰度发布创建失败", func(errs *drfErrors, data map[string]any) {
		texts := charInto(errs, data, charField{name: "template_id", max: 128}, charField{name: "domain_name", max: 128})
		templateID, domainName = deref(texts["template_id"]), deref(texts["domain_name"])
		ratio = grayRatio(errs, data)
		marketName = deref(charInto(errs, data, charField{name: "market_name", max: 128, allowBlank: true, optional: true})["market_name"])
		fromCloud = drfBool(errs, data, "install_from_cloud", false)
	}) == nil {
		return
	}
	model, version, market, gerr := c.s.grayTemplate(templateID, marketName, fromCloud)
	if gerr != nil {
		c.grayFail(gerr)
		return
	}
	group := c.s.state.nextGroupID
	c.s.installVersion(t, a, version, model, market, c.user, true)
	var fresh []*component
	for _, comp := range c.s.state.componentsOf(a.ID) {
		if comp.TenantServiceGroupID == group {
			fresh = append(fresh, comp)
		}
	}
	c.s.dropRoutesOf(t.TenantID, fresh)
	bean, rec, gerr := c.s.splitTraffic(t, a, domainName, ratio)
	if gerr != nil {
		for _, comp := range fresh {
			c.s.destroyComponent(comp.ServiceID)
		}
		delete(c.s.state.groups, group)
		c.grayFail(gerr)
		return
	}
	// The install deployed the new components: no start is needed.
	rec.tenantID, rec.region, rec.appName, rec.templateID, rec.domainName = t.TenantID, region, a.Name, templateID, domainName
	rec.templateName, rec.templateVersion = "unknown", "unknown"
	if g := c.s.state.groups[c.s.state.components[rec.grayID].TenantServiceGroupID]; g != nil {
		rec.templateVersion = g.version
		if m := findModelIn(c.s.state.library, templateID); m != nil && findVersion(m, g.version) != nil && m.Name != "" {
			rec.templateName = m.Name
		}
	}
	rec.mappings = c.s.grayMappings(t.TenantID, rec.origGroup, rec.grayGroup)
	rec.id, rec.status, rec.created = c.s.state.release.grayIDs.next(), "active", c.s.now()
	c.s.touchGray(rec)
	c.s.state.release.gray = append(c.s.state.release.gray, rec)
	bean.DomainName = domainName
	c.envelope("灰度发布创建成功", bean, nil)
}

// grayTemplate is install_template_to_app's lookup: a local-library
// model by id (any enterprise) or a store's through a market record;
// the latest version either way (the library's by update_time, the
// fake's last; the store's last too), there is no version field.
func (s *Server) grayTemplate(templateID, marketName string, fromCloud bool) (*AppModel, *AppModelVersion, *Market, *shErr) {
	if !fromCloud {
		m := findModelIn(s.state.library, templateID)
		if m == nil {
			return nil, nil, nil, &shErr{status: http.StatusNotFound, msgShow: "应用模板不存在"}
		}
		if len(m.Versions) == 0 {
			return nil, nil, nil, &shErr{status: http.StatusNotFound, msgShow: "应用模板版本不存在"}
		}
		return m, &m.Versions[len(m.Versions)-1], nil, nil
	}
	if marketName == "" {
		return nil, nil, nil, &shErr{status: http.StatusBadRequest, msgShow: "从云端安装时必须指定市场名称"}
	}
	market := s.marketNamed(marketName)
	if market == nil {
		return nil, nil, nil, &shErr{status: http.StatusNotFound, msgShow: "应用市场不存在"}
	}
	store := s.state.store(market.Domain, market.URL)
	switch {
	case store == nil: // the store cannot be reached: any other error
		return nil, nil, nil, &shErr{status: http.StatusInternalServerError, msgShow: "安装应用模板失败"}
	case store.AccessKey != "" && (market.AccessKey == nil || *market.AccessKey != store.AccessKey):
		return nil, nil, nil, &shErr{status: http.StatusUnauthorized, msgShow: "应用商店认证失败，请检查应用商店的访问令牌"}
	}
	m := findModel(store, templateID)
	switch {
	case m == nil || len(m.Versions) == 0:
		return nil, nil, nil, &shErr{status: http.StatusNotFound, msgShow: "应用模板不存在"}
	case m.Restricted:
		return nil, nil, nil, &shErr{status: http.StatusForbidden, msgShow: "无权访问该应用商店的应用"}
	}
	return m, &m.Versions[len(m.Versions)-1], market, nil
}

// splitTraffic is setup_domain_weights: the route's first backend names
// a port of the team, whose component must be in the app; the new
// component is the first other one of the app with its display name.
func (s *Server) splitTraffic(t *Team, a *app, domainName string, ratio int) (grayBean, *grayRecord, *shErr) {
	rt, gerr := s.findGrayRoute(t, a, domainName)
	if gerr != nil {
		return grayBean{}, nil, gerr
	}
	if len(rt.backends) == 0 {
		return grayBean{}, nil, &shErr{status: http.StatusBadRequest, msgShow: "域名未配置后端服务"}
	}
	k8sName := rt.backends[0].ServiceName
	if k8sName == "" {
		return grayBean{}, nil, &shErr{status: http.StatusBadRequest, msgShow: "后端服务名称为空"}
	}
	var orig *component
	for _, id := range s.state.order {
		comp := s.state.components[id]
		if comp.TenantID == t.TenantID && slices.ContainsFunc(comp.ports, func(p *port) bool { return p.K8sServiceName == k8sName }) {
			orig = comp
			break
		}
	}
	if orig == nil {
		return grayBean{}, nil, &shErr{status: http.StatusNotFound, msgShow: "未找到对应的端口配置: " + k8sName}
	}
	members := s.state.componentsOf(a.ID)
	if !slices.Contains(members, orig) {
		return grayBean{}, nil, &shErr{status: http.StatusBadRequest, msgShow: "域名不属于该应用"}
	}
	i := slices.IndexFunc(members, func(comp *component) bool { return comp != orig && comp.ServiceCname == orig.ServiceCname })
	if i < 0 {
		return grayBean{}, nil, &shErr{status: http.StatusNotFound, msgShow: "应用中未找到新版本服务（service_cname=" + orig.ServiceCname + "）。请确保已安装新版本并且新旧版本的组件名称相同。"}
	}
	fresh := members[i]
	if gerr := s.setWeights(rt, orig, fresh, 100-ratio, ratio, false); gerr != nil {
		return grayBean{}, nil, gerr
	}
	bean := grayBean{
		AppID: a.ID, AppName: a.Name, OriginalServiceID: orig.ServiceID, OriginalServiceCname: orig.ServiceCname,
		OriginalWeight: 100 - ratio, NewServiceID: fresh.ServiceID, NewServiceCname: fresh.ServiceCname, NewWeight: ratio, GrayRatio: ratio,
	}
	rec := &grayRecord{
		appID: a.ID, origGroup: orig.TenantServiceGroupID, grayGroup: fresh.TenantServiceGroupID, origID: orig.ServiceID,
		origCname: orig.ServiceCname, grayID: fresh.ServiceID, grayCname: fresh.ServiceCname, ratio: ratio,
	}
	return bean, rec, nil
}

// grayMappings is create_gray_release's service_mappings, as the console
// computes them: group_service.get_group_services takes an *app* id, and
// is given the two component group ids, so the pairs are those of the
// components of the apps whose ids equal the group ids (none, as a
// rule), matched by display name.
func (s *Server) grayMappings(tenantID string, origGroup, grayGroup int) []map[string]string {
	byCname := func(appID int) (names []string, m map[string]*component) {
		m = map[string]*component{}
		for _, comp := range s.state.componentsOf(int64(appID)) {
			if comp.TenantID != tenantID {
				continue
			}
			if _, seen := m[comp.ServiceCname]; !seen {
				names = append(names, comp.ServiceCname)
			}
			m[comp.ServiceCname] = comp
		}
		return names, m
	}
	names, orig := byCname(origGroup)
	_, gray := byCname(grayGroup)
	out := []map[string]string{}
	for _, name := range names {
		if g := gray[name]; g != nil && origGroup != 0 && grayGroup != 0 {
			o := orig[name]
			out = append(out, map[string]string{
				"original_service_id": o.ServiceID, "original_service_cname": o.ServiceCname, "original_service_alias": o.ServiceAlias,
				"gray_service_id": g.ServiceID, "gray_service_cname": g.ServiceCname, "gray_service_alias": g.ServiceAlias,
			})
		}
	}
	return out
}

// activeGray is get_active_record_by_app_and_template: the first active
// record.
func (s *Server) activeGray(tenantID string, appID int64, templateID string) *grayRecord {
	for _, r := range s.state.release.gray {
		if r.tenantID == tenantID && r.appID == appID && r.templateID == templateID && r.status == "active" {
			return r
		}
	}
	return nil
}

func (s *Server) teamComponent(tenantID, id string) *component {
	if comp := s.state.components[id]; comp != nil && comp.TenantID == tenantID {
		return comp
	}
	return nil
}

// updateGrayRatio is UpdateGrayRatioView.put (v6.6.0): the active canary
// of the template (else the view's own 404, msg "not_found"), the
// route's weights set again; at 100 the new component takes all the
// traffic and every component of the team in the original component
// group is force-deleted (group 0, that of components not installed
// from a model, included), the canary "completed".
func (c *call) updateGrayRatio() {
	t, _, a := c.teamApp()
	if a == nil {
		return
	}
	var templateID string
	var ratio int
	if c.grayInput("灰度比例更新失败", func(errs *drfErrors, data map[string]any) {
		templateID = deref(charInto(errs, data, charField{name: "template_id", max: 128})["template_id"])
		ratio = grayRatio(errs, data)
	}) == nil {
		return
	}
	rec := c.s.activeGray(t.TenantID, a.ID, templateID)
	if rec == nil {
		c.failed(http.StatusNotFound, "not_found", fmt.Sprintf("未找到应用 %s 模板 %s 的活跃灰度发布记录", c.params[2], templateID))
		return
	}
	orig, fresh := c.s.teamComponent(t.TenantID, rec.origID), c.s.teamComponent(t.TenantID, rec.grayID)
	if orig == nil || fresh == nil {
		c.grayFail(&shErr{status: http.StatusNotFound, msgShow: "灰度发布记录中的服务不存在"})
		return
	}
	rt, gerr := c.s.findGrayRoute(t, a, rec.domainName)
	if gerr == nil {
		gerr = c.s.setWeights(rt, orig, fresh, 100-ratio, ratio, ratio == 100)
	}
	if gerr != nil {
		c.grayFail(gerr)
		return
	}
	rec.ratio = ratio
	c.s.touchGray(rec)
	bean := grayBean{
		AppID: a.ID, AppName: a.Name, OriginalServiceID: orig.ServiceID, OriginalServiceCname: orig.ServiceCname,
		OriginalWeight: 100 - ratio, NewServiceID: fresh.ServiceID, NewServiceCname: fresh.ServiceCname, NewWeight: ratio,
		DomainName: rec.domainName, GrayRatio: ratio,
	}
	if ratio == 100 {
		var doomed []string
		for _, comp := range c.s.state.components {
			if comp.TenantID == t.TenantID && comp.TenantServiceGroupID == rec.origGroup {
				doomed = append(doomed, comp.ServiceID)
			}
		}
		for _, id := range doomed {
			c.s.destroyComponent(id)
		}
		if len(doomed) > 0 {
			rec.status = "completed"
			c.s.touchGray(rec)
		}
	}
	c.envelope("灰度比例更新成功", bean, nil)
}

// grayRollback is GrayRollbackView.post (v6.6.0): all traffic back to the
// original (when the new component still exists), every component of
// the team in the gray component group force-deleted (with the routes
// whose one backend is theirs), the canary "cancelled".
func (c *call) grayRollback() {
	t, _, a := c.teamApp()
	if a == nil {
		return
	}
	var templateID string
	if c.grayInput("灰度回滚失败", func(errs *drfErrors, data map[string]any) {
		templateID = deref(charInto(errs, data, charField{name: "template_id", max: 128})["template_id"])
	}) == nil {
		return
	}
	rec := c.s.activeGray(t.TenantID, a.ID, templateID)
	if rec == nil {
		c.grayFail(&shErr{status: http.StatusNotFound, msgShow: fmt.Sprintf("未找到应用 %d 模板 %s 的活跃灰度发布记录", a.ID, templateID)})
		return
	}
	orig, fresh := c.s.teamComponent(t.TenantID, rec.origID), c.s.teamComponent(t.TenantID, rec.grayID)
	if orig == nil {
		c.grayFail(&shErr{status: http.StatusNotFound, msgShow: "原始服务不存在"})
		return
	}
	rt, gerr := c.s.findGrayRoute(t, a, rec.domainName)
	if gerr == nil && fresh != nil {
		gerr = c.s.setWeights(rt, orig, fresh, 100, 0, false)
	}
	if gerr != nil {
		c.grayFail(gerr)
		return
	}
	deleted := 0
	if rec.grayGroup != 0 {
		var doomed []*component
		for _, id := range c.s.state.order {
			if comp := c.s.state.components[id]; comp.TenantID == t.TenantID && comp.TenantServiceGroupID == rec.grayGroup {
				doomed = append(doomed, comp)
			}
		}
		c.s.dropRoutesOf(t.TenantID, doomed)
		for _, comp := range doomed {
			c.s.destroyComponent(comp.ServiceID)
			deleted++
		}
	}
	rec.status = "cancelled"
	c.s.touchGray(rec)
	c.envelope("灰度回滚成功", map[string]any{
		"app_id": a.ID, "app_name": a.Name, "domain_name": rec.domainName, "deleted_service_count": deleted,
	}, nil)
}

// grayListItem is an item of GET /gray-releases.
type grayListItem struct {
	ID              int                 `json:"id"`
	AppID           int64               `json:"app_id"`
	TeamID          string              `json:"team_id"`
	AppName         string              `json:"app_name"`
	TemplateID      string              `json:"template_id"`
	TemplateName    string              `json:"template_name"`
	TemplateVersion string              `json:"template_version"`
	DomainName      string              `json:"domain_name"`
	GrayRatio       int                 `json:"gray_ratio"`
	Status          string              `json:"status"`
	ServiceMappings []map[string]string `json:"service_mappings"`
	CreateTime      string              `json:"create_time"`
	UpdateTime      string              `json:"update_time"`
}

// listGrayReleases is GrayReleaseListView.get (v6.6.0): every record of
// the console, all enterprises and teams, most recently updated first;
// a non-empty status filters exactly.
func (c *call) listGrayReleases() {
	status, _ := djangoQuery(c.r.URL.RawQuery).get("status")
	recs := slices.Clone(c.s.state.release.gray)
	slices.SortFunc(recs, func(a, b *grayRecord) int {
		return cmp.Or(b.updated.Truncate(time.Second).Compare(a.updated.Truncate(time.Second)), b.seq-a.seq)
	})
	list := []any{}
	for _, r := range recs {
		if status != "" && r.status != status {
			continue
		}
		list = append(list, grayListItem{
			ID: r.id, AppID: r.appID, TeamID: r.tenantID, AppName: r.appName, TemplateID: r.templateID,
			TemplateName: r.templateName, TemplateVersion: r.templateVersion, DomainName: r.domainName, GrayRatio: r.ratio,
			Status: r.status, ServiceMappings: r.mappings, CreateTime: consoleTime(r.created), UpdateTime: consoleTime(r.updated),
		})
	}
	c.envelope("查询成功", nil, list)
}

// GatewayRoute is an HTTP route of the cluster's gateway (an
// ApisixRoute), as the canary routes see it.
type GatewayRoute struct {
	// Name is the route's name as the console gives it, the name a
	// canary's domain_name must be: "{app_id}{route}-{alias}", e.g.
	// "3shop.example.comp-ps-s-gr1a2b3c".
	Name string
	// AppID is the app the route is labelled with.
	AppID int64
	// Hosts are the route's hosts.
	Hosts []string
	// Backends are the services the traffic goes to, with their weights.
	Backends []RouteBackend
}

// GatewayRoutes returns the gateway routes of app appID (made from its
// HTTP rules, weighted by its canaries), in the order the cluster lists
// them.
func (s *Server) GatewayRoutes(appID int64) []GatewayRoute {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.state.apps[appID]
	if a == nil {
		return nil
	}
	var out []GatewayRoute
	for _, r := range s.appRoutes(a.TenantID, appID) {
		out = append(out, GatewayRoute{Name: r.consoleName(), AppID: r.appID, Hosts: slices.Clone(r.hosts), Backends: slices.Clone(r.backends)})
	}
	return out
}

// GrayRelease is a canary record (GrayReleaseRecord).
type GrayRelease struct {
	// ID is the record's id, listed as "id".
	ID int
	// TenantID and AppID name the app.
	TenantID string
	AppID    int64
	// TemplateID and TemplateVersion are the model installed.
	TemplateID, TemplateVersion string
	// DomainName is the route name the canary was made on.
	DomainName string
	// GrayRatio is the new component's share of the traffic.
	GrayRatio int
	// Status is "active", "completed" or "cancelled".
	Status string
	// OriginalServiceID and GrayServiceID are the two components;
	// OriginalGroupID and GrayGroupID their component groups.
	OriginalServiceID, GrayServiceID string
	OriginalGroupID, GrayGroupID     int
}

// GrayReleases returns every canary record, oldest first.
func (s *Server) GrayReleases() []GrayRelease {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]GrayRelease, 0, len(s.state.release.gray))
	for _, r := range s.state.release.gray {
		out = append(out, GrayRelease{
			ID: r.id, TenantID: r.tenantID, AppID: r.appID, TemplateID: r.templateID, TemplateVersion: r.templateVersion,
			DomainName: r.domainName, GrayRatio: r.ratio, Status: r.status, OriginalServiceID: r.origID, GrayServiceID: r.grayID,
			OriginalGroupID: r.origGroup, GrayGroupID: r.grayGroup,
		})
	}
	return out
}

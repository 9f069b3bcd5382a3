package rainbondtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The team, region and app lookups of the console's base views
// (openapi/views/base.py). Each returns nil after writing the error answer.

// team is the path's team, of the caller's enterprise.
func (c *call) team() *Team {
	t := c.s.state.team(c.params[0], c.user.enterpriseID)
	if t == nil {
		c.failed(http.StatusNotFound, "no found team", "团队不存在")
	}
	return t
}

// teamRegion is TeamAPIView.initial: the team, then the region, then
// (consoles since v6.9.2) whether the team is opened in it.
func (c *call) teamRegion() (*Team, string) {
	t := c.team()
	if t == nil {
		return nil, ""
	}
	region := c.params[1]
	if c.s.state.region(region) == nil {
		c.message(http.StatusNotFound, 3000, "the region is not found", "集群不存在", nil)
		return nil, ""
	}
	if !t.openedIn(region) && c.s.has("v6.9.2") {
		c.message(http.StatusConflict, 2001, "the team is not initialized in the region", "团队未在该集群中初始化", nil)
		return nil, ""
	}
	return t, region
}

func (c *call) teamApp() (*Team, string, *app) {
	t, region := c.teamRegion()
	if t == nil {
		return nil, "", nil
	}
	a := c.s.state.appIn(t, region, c.appID())
	if a == nil {
		c.failed(http.StatusNotFound, "no found app", "应用不存在")
	}
	return t, region, a
}

// appID reads the app id of the path. The route admits digits and '-';
// what int() cannot read matches no app.
func (c *call) appID() int64 {
	id, err := strconv.ParseInt(c.params[2], 10, 64)
	if err != nil {
		return -1
	}
	return id
}

// install is AppInstallView (openapi/views/apps/market.py).
func (c *call) install() {
	t, _, a := c.teamApp()
	if a == nil {
		return
	}
	// The console turns the exact string "true" into True and keeps any
	// other value as a string, then tests it for truth: "false" deploys.
	v, present := djangoQuery(c.r.URL.RawQuery).get("is_deploy")
	deploy := present && v != ""
	fields, ok := c.charFields([]charField{
		{name: "market_url", max: 255},
		{name: "market_domain", max: 64},
		{name: "market_type", max: 64},
		{name: "market_access_key", max: 64, allowNull: true},
		{name: "app_model_id", max: 64},
		{name: "app_model_version", max: 64},
	})
	if !ok {
		return
	}
	domain, marketURL := *fields["market_domain"], *fields["market_url"]
	market := c.s.state.market(domain, marketURL)
	if market == nil {
		market = &Market{Name: c.s.newID(), Domain: domain, URL: marketURL, Type: *fields["market_type"], AccessKey: fields["market_access_key"]}
		c.s.state.markets = append(c.s.state.markets, market)
	}
	store := c.s.state.store(domain, marketURL)
	if store == nil {
		c.serverError("ConnectionError", "HTTPSConnectionPool(host='"+hostOf(marketURL)+"', port=443): Max retries exceeded with url: /app-server/markets/"+domain+"/apps")
		return
	}
	if store.AccessKey != "" && (market.AccessKey == nil || *market.AccessKey != store.AccessKey) {
		c.message(http.StatusUnauthorized, 10421, "unauthorized", "应用商店认证失败，请检查应用商店的访问令牌", nil)
		return
	}
	model := findModel(store, *fields["app_model_id"])
	if model == nil {
		c.failed(http.StatusNotFound, "not found", "云端应用不存在")
		return
	}
	if model.Restricted {
		c.message(http.StatusForbidden, 10407, "no store auth", "无权访问该应用商店的应用", map[string]any{"name": market.Name})
		return
	}
	version := findVersion(model, *fields["app_model_version"])
	if version == nil {
		c.failed(http.StatusNotFound, "not found", "云端应用版本不存在")
		return
	}
	if deploy && c.s.overQuota(t, version.memory()) {
		// install_service wraps every failure, and removes what it made.
		c.failed(http.StatusBadRequest, "install app failure",
			"安装应用发生异常(412, 10413, 'tenant lack of memory', '团队使用内存已超过限额，请联系企业管理员增加限额')")
		return
	}
	c.s.installVersion(t, a, version, model, market, c.user, deploy)
	c.json(http.StatusOK, marketInstall{
		EnterpriseID: c.s.state.enterpriseID, TeamID: t.TenantID, Note: nullable(a.Note), ID: a.ID,
		RegionName: a.RegionName, ServiceList: c.s.serialize(c.s.state.componentsOf(a.ID), false),
	})
}

// installVersion creates the components of version in app a, as a new
// component group installed from market (nil: the local library), by
// user by, deployed or not.
func (s *Server) installVersion(t *Team, a *app, version *AppModelVersion, model *AppModel, market *Market, by *user, deploy bool) {
	group := s.state.nextGroupID
	s.state.nextGroupID++
	s.state.groups[group] = &componentGroup{id: group, appID: a.ID, modelID: model.ID, modelName: model.Name, version: version.Version, market: market}
	for _, tpl := range version.Components {
		s.addTemplateComponent(t, a, group, model.ID, tpl, by, deploy)
	}
}

// addTemplateComponent creates a component of an app model in group,
// its creater user by (new_components.py: component.creater =
// self.user.pk).
func (s *Server) addTemplateComponent(t *Team, a *app, group int, modelID string, tpl ComponentTemplate, by *user, deploy bool) {
	alias := "gr" + s.newID()[:6]
	info := newServiceInfo(s.newID(), t.TenantID, a.RegionName, alias, group, by)
	info.ServiceKey = modelID
	info.ServiceCname = tpl.Cname
	info.Version = tpl.Version
	info.Image = tpl.Image
	info.ExtendMethod = cmp.Or(tpl.ExtendMethod, "stateless_multiple")
	info.MinNode = cmp.Or(tpl.MinNode, 1)
	info.MinCPU = cmp.Or(tpl.MinCPU, 500)
	info.MinMemory = cmp.Or(tpl.MinMemory, 512)
	info.TotalMemory = 0 // deprecated column, left at its default
	info.K8sComponentName = s.state.uniqueK8sName(t.TenantID, tpl.Cname, alias)
	comp := s.newComponent(info, a.ID, by, deploy)
	if tpl.Port != 0 {
		p := &port{ContainerPort: tpl.Port, MappingPort: tpl.Port, Protocol: cmp.Or(tpl.Protocol, "http"),
			PortAlias: strings.ToUpper(alias) + strconv.Itoa(tpl.Port), K8sServiceName: alias + "-" + strconv.Itoa(tpl.Port)}
		p.IsOuterService = tpl.Outer
		comp.ports = append(comp.ports, p)
		openInner(comp, p)
	}
	s.state.addComponent(comp)
}

// newServiceInfo is a component with the values the console gives a
// component installed from a store by user by.
func newServiceInfo(id, tenantID, region, alias string, group int, by *user) serviceInfo {
	return serviceInfo{
		AccessInfos: []string{}, ServiceID: id, TenantID: tenantID, ServiceAlias: alias,
		ServiceRegion: region, Desc: ptr("market app"), Category: "app_publish", UpdateVersion: 1,
		ServiceType: ptr("application"), Creater: by.id, ServiceOrigin: "cloud", TenantServiceGroupID: group,
		ServiceSource: ptr("market"), CreateStatus: ptr("complete"), CheckUUID: ptr(""), CheckEventID: ptr(""),
		ServerType: "git", BuildUpgrade: true, Arch: ptr("amd64"), BuildStrategy: ptr(""), JobStrategy: ptr(""),
		Dockerfile: ptr(""),
	}
}

// newComponent stores a new component of app appID: "undeploy", or, when
// deployed, "building" for the transition time, "starting" for the
// server's startup reads, and "running" after.
func (s *Server) newComponent(info serviceInfo, appID int64, by *user, deploy bool) *component {
	c := &component{serviceInfo: info, appID: appID, state: "undeploy"}
	if deploy {
		s.deploy(c, by)
	}
	return c
}

// deploy builds a component and runs the build, recording its event as
// user by's. s.mu is held.
func (s *Server) deploy(c *component, by *user) *event {
	s.change(c, "building", "running")
	c.startingReads = s.startupReads
	c.deployVersion = ptr(s.now().UTC().Format("20060102150405"))
	return s.recordEvent(c, "build-service", by)
}

// serialize renders components as ServiceBaseInfoSerializer does. Install
// and copy answers carry status "" (the field's default) and no access
// addresses; component lists carry the state the cluster reports, null for
// a component it does not report.
func (s *Server) serialize(cs []*component, withStatus bool) []serviceInfo {
	out := make([]serviceInfo, len(cs))
	for i, c := range cs {
		out[i] = c.serviceInfo
		out[i].AccessInfos = []string{}
		out[i].Status = ptr("")
		if withStatus {
			out[i].Status = nullable(s.readState(c))
		}
	}
	return out
}

func findModel(st *Store, id string) *AppModel {
	for i := range st.Models {
		if st.Models[i].ID == id {
			return &st.Models[i]
		}
	}
	return nil
}

func findVersion(m *AppModel, version string) *AppModelVersion {
	for i := range m.Versions {
		if m.Versions[i].Version == version {
			return &m.Versions[i]
		}
	}
	return nil
}

// copy is GroupAppsCopyView.post (openapi/views/groupapp.py). The console
// does not validate the body: what it cannot use ends in a 500 traceback.
func (c *call) copy() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	body, ok := c.requestData()
	if !ok {
		return
	}
	picks, ok := c.copyServices(body["services"])
	if !ok {
		return
	}
	targetTeamName, ok1 := body["target_team_name"].(string)
	targetRegion, ok2 := body["target_region_name"].(string)
	targetAppID, ok3 := intValue(body["target_app_id"])
	if !ok1 || !ok2 || !ok3 {
		c.serverError("KeyError", "'target_team_name'")
		return
	}
	target := c.s.state.teamByName(targetTeamName, c.s.state.enterpriseID)
	if target == nil || !target.openedIn(targetRegion) {
		c.failed(http.StatusNotFound, "no found team or team not join this region", "目标团队不存在，或团队未开通该集群")
		return
	}
	targetApp := c.s.state.apps[targetAppID]
	if targetApp == nil {
		c.failed(http.StatusNotFound, "no found group app", "目标应用不存在")
		return
	}
	if targetApp.TenantID != target.TenantID || targetApp.RegionName != targetRegion {
		c.failed(http.StatusBadRequest, "group app and team relation no found", "目标应用不属于目标团队")
		return
	}
	source := c.s.state.appIn(t, region, c.appID())
	if source == nil {
		c.serverError("DoesNotExist", "ServiceGroup matching query does not exist.")
		return
	}
	sources, ok := c.copySources(source, picks)
	if !ok {
		return
	}
	memory := 0
	for _, src := range sources {
		memory += src.comp.MinNode * src.comp.MinMemory
	}
	deploy := !c.s.overQuota(target, memory)
	created := c.s.copyComponents(target, targetApp, sources, c.user, deploy)
	if !deploy {
		// The copies are saved before they are deployed; the cluster's
		// refusal of the first deploy ends the call (groupcopy_service.py
		// build_services, regionapibaseclient.py _check_status).
		c.message(http.StatusPreconditionFailed, 10413, "tenant lack of memory", "团队使用内存已超过限额，请联系企业管理员增加限额", nil)
		return
	}
	c.json(http.StatusOK, appCopyRes{Services: c.s.serialize(created, false)})
}

// copyPick is one entry of the body's services.
type copyPick struct {
	serviceID string
	version   *string
}

// copyServices reads the body's services. The console checks only the
// build source version (AppCopyModifySerializer's change).
func (c *call) copyServices(raw any) ([]copyPick, bool) {
	list, ok := raw.([]any)
	if !ok {
		c.serverError("TypeError", fmt.Sprintf("'%s' object is not iterable", pyTypeNumber(raw)))
		return nil, false
	}
	picks := make([]copyPick, 0, len(list))
	for _, item := range list {
		entry, ok := item.(map[string]any)
		if !ok {
			c.serverError("TypeError", "string indices must be integers")
			return nil, false
		}
		id, ok := entry["service_id"].(string)
		if !ok {
			c.serverError("KeyError", "'service_id'")
			return nil, false
		}
		pick := copyPick{serviceID: id}
		if change, _ := entry["change"].(map[string]any); change != nil {
			if bs, _ := change["build_source"].(map[string]any); len(bs) > 0 {
				v, present := bs["version"]
				switch v := v.(type) {
				case nil:
					if !present {
						c.validation("version", "该字段是必填项。")
						return nil, false
					}
				case string:
					if strings.TrimSpace(v) == "" {
						c.validation("version", "该字段不能为空。")
						return nil, false
					}
					if utf8.RuneCountInString(v) > 32 {
						c.validation("version", "请确保这个字段不能超过 32 个字符。")
						return nil, false
					}
					pick.version = &v
				default:
					c.validation("version", "不是有效的字符串。")
					return nil, false
				}
			}
		}
		picks = append(picks, pick)
	}
	return picks, true
}

// copySources resolves the picks in the source app; no picks means every
// component of the app.
func (c *call) copySources(source *app, picks []copyPick) ([]copySource, bool) {
	if len(picks) == 0 {
		var all []copySource
		for _, comp := range c.s.state.componentsOf(source.ID) {
			all = append(all, copySource{comp: comp})
		}
		return all, true
	}
	out := make([]copySource, 0, len(picks))
	for _, p := range picks {
		comp := c.s.state.components[p.serviceID]
		if comp == nil || comp.appID != source.ID {
			c.serverError("KeyError", "'"+p.serviceID+"'")
			return nil, false
		}
		out = append(out, copySource{comp: comp, version: p.version})
	}
	return out, true
}

type copySource struct {
	comp    *component
	version *string
}

// copyComponents creates deployed copies named "<cname>-copy" in the
// target app, applying a new build version where one is given.
func (s *Server) copyComponents(target *Team, targetApp *app, sources []copySource, by *user, deploy bool) []*component {
	group := s.state.nextGroupID
	s.state.nextGroupID++
	created := make([]*component, 0, len(sources))
	for _, src := range sources {
		info := src.comp.serviceInfo
		alias := "gr" + s.newID()[:6]
		info.ServiceID = s.newID()
		info.TenantID = target.TenantID
		info.ServiceAlias = alias
		info.ServiceRegion = targetApp.RegionName
		info.ServiceCname = src.comp.ServiceCname + "-copy"
		info.TenantServiceGroupID = group
		info.UpdateVersion = 1
		info.K8sComponentName = s.state.uniqueK8sName(target.TenantID, src.comp.K8sComponentName, alias)
		if src.version != nil {
			applyVersion(&info, *src.version)
		}
		c := s.newComponent(info, targetApp.ID, by, deploy)
		s.state.addComponent(c)
		created = append(created, c)
	}
	return created
}

// applyVersion sets the code version of a source-built component, or the
// image tag of an image component.
func applyVersion(info *serviceInfo, version string) {
	if info.CodeVersion != nil {
		info.CodeVersion = &version
		return
	}
	if i := strings.LastIndexByte(info.Image, ':'); i > strings.LastIndexByte(info.Image, '/') {
		info.Image = info.Image[:i]
	}
	info.Image += ":" + version
	info.Version = version
}

// charField is a DRF CharField: trimmed, not blank, at most max characters.
type charField struct {
	name       string
	max        int
	allowNull  bool
	allowBlank bool
	optional   bool
}

// charFields validates the body as a DRF Serializer of CharFields, with the
// console's Chinese messages, and answers 400 with every problem.
func (c *call) charFields(fields []charField) (map[string]*string, bool) {
	var raw any = map[string]any{}
	if !c.parseJSON(&raw) {
		return nil, false
	}
	data, ok := raw.(map[string]any)
	if !ok {
		c.validation("non_field_errors", fmt.Sprintf("无效数据。期待为字典类型，得到的是 %s 。", pyType(raw)))
		return nil, false
	}
	out, errs := checkCharFields(data, fields)
	if len(errs) > 0 {
		c.validationErrors(errs)
		return nil, false
	}
	return out, true
}

// checkCharFields reads CharFields out of a JSON object as DRF does:
// trimmed, numbers taken as their text, then checked for presence, null,
// blank and length. out holds what passed (nil for an allowed null), errs
// the problems by field.
func checkCharFields(data map[string]any, fields []charField) (out map[string]*string, errs map[string][]string) {
	out = make(map[string]*string, len(fields))
	errs = map[string][]string{}
	for _, f := range fields {
		v, present := data[f.name]
		var s string
		switch v := v.(type) {
		case nil:
			switch {
			case !present && f.optional:
				continue
			case !present:
				errs[f.name] = []string{"该字段是必填项。"}
			case f.allowNull:
				out[f.name] = nil
			default:
				errs[f.name] = []string{"该字段不能为 null。"}
			}
			continue
		case string:
			s = strings.TrimSpace(v)
		case float64:
			s = strconv.FormatFloat(v, 'f', -1, 64)
		case json.Number:
			s = v.String()
		default:
			errs[f.name] = []string{"不是有效的字符串。"}
			continue
		}
		switch {
		case s == "" && !f.allowBlank:
			errs[f.name] = []string{"该字段不能为空。"}
		case utf8.RuneCountInString(s) > f.max:
			errs[f.name] = []string{fmt.Sprintf("请确保这个字段不能超过 %d 个字符。", f.max)}
		default:
			out[f.name] = &s
		}
	}
	return out, errs
}

// pyType names a decoded JSON value's Python type, for messages.
func pyType(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	case string:
		return "str"
	case bool:
		return "bool"
	default:
		return "int"
	}
}

func intValue(v any) (int64, bool) {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		f, err := v.Float64()
		return int64(f), err == nil && f == float64(int64(f))
	case float64:
		return int64(v), v == float64(int64(v))
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func hostOf(rawURL string) string {
	s := rawURL
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/:"); i >= 0 {
		s = s[:i]
	}
	return s
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ptr[T any](v T) *T { return &v }

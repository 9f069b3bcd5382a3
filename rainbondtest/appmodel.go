package rainbondtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Deploying app models: AppDeployView (openapi/views/apps/apps.py, console
// v5.15.1+) with market_app_service.install_app and upgrade_service.

// deployAppModel is AppDeployView.post (v5.15.1): DeployAppSerializer
// (DRF 400), then by deploy_type. Its optional fields are absent from the
// serializer's data when not sent, and the view indexes them: a missing
// app_id, group_key or group_version is a KeyError, a 500.
func (c *call) deployAppModel() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	appID, hasAppID, _ := drfInt(&errs, data, "app_id", false, false)
	texts := charInto(&errs, data,
		charField{name: "deploy_type", max: 255}, charField{name: "action", max: 255},
		charField{name: "group_key", max: 128, optional: true}, charField{name: "group_version", max: 128, optional: true})
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	deployType, action := *texts["deploy_type"], *texts["action"]
	keyError := func(name string) bool {
		if _, ok := texts[name]; name == "app_id" && !hasAppID || name != "app_id" && !ok {
			c.serverError("KeyError", "'"+name+"'")
			return true
		}
		return false
	}
	switch {
	case deployType == "ram" && action == "deploy":
		if keyError("group_version") || keyError("group_key") || keyError("app_id") {
			return
		}
		if c.installLocal(t, int64(appID), *texts["group_key"], *texts["group_version"]) {
			c.envelope("安装应用成功", nil, nil)
		}
	case deployType == "ram" && action == "upgrade":
		if keyError("app_id") {
			return
		}
		a := c.s.state.appIn(t, region, int64(appID))
		if a == nil {
			c.serverError("AttributeError", "'NoneType' object has no attribute 'ID'")
			return
		}
		if keyError("group_version") || keyError("group_key") {
			return
		}
		c.upgradeInstalled(a, *texts["group_key"], *texts["group_version"], "升级应用成功")
	case deployType == "ram":
		c.failed(http.StatusBadRequest, "params error", "暂不支持当前操作:"+action)
	case deployType == "docker-compose":
		c.deployCompose(t, region, data)
	default:
		c.failed(http.StatusBadRequest, "params error", "暂不支持当前操作:"+deployType)
	}
}

// installLocal is market_app_service.install_app from the local library:
// the app by id in any team (group_repo.get_group_by_id), then the model
// and version of the enterprise's library, installed and deployed for
// team t. false when an answer has been written.
func (c *call) installLocal(t *Team, appID int64, key, version string) bool {
	a := c.s.state.apps[appID]
	if a == nil {
		c.failed(http.StatusNotFound, "app not found", "应用不存在")
		return false
	}
	m := findModelIn(c.s.state.library, key)
	if m == nil {
		c.failed(http.StatusBadRequest, "未找到该应用", "未找到该应用")
		return false
	}
	v := findVersion(m, version)
	if v == nil {
		c.failed(http.StatusNotFound, "app version not found", "应用市场应用版本不存在")
		return false
	}
	c.s.installVersion(t, a, v, m, nil, c.user, true)
	return true
}

// installedModel is an item of get_market_apps_in_app, with its group.
type installedModel struct {
	modelID    string
	canUpgrade bool
	group      *componentGroup
}

// marketAppsIn is get_market_apps_in_app as upgradeItems walks it, with
// the component group of each item.
func (s *Server) marketAppsIn(appID int64) []installedModel {
	var out []installedModel
	seen := map[int]bool{}
	for _, comp := range s.state.componentsOf(appID) {
		g := s.state.groups[comp.TenantServiceGroupID]
		if g == nil || seen[g.id] || g.modelID != comp.ServiceKey {
			continue
		}
		seen[g.id] = true
		model := s.groupModel(g)
		if model == nil {
			continue
		}
		can := false
		for _, v := range model.Versions {
			can = can || g.version == "" || pyCompareVersion(v.Version, g.version) == 1
		}
		out = append(out, installedModel{modelID: g.modelID, canUpgrade: can, group: g})
	}
	return out
}

// upgradeInstalled is the view's upgrade branch (ram upgrade, and a
// chart's): the model must be installed in the app (else KeyError, a
// 500) and upgradable (else 404 没有可升级的版本); the version is read
// from the local library by key and version (None: a 500), the template
// itself from where the group was installed from. A 404 raised by the
// upgrade (a store that lacks the version) is swallowed: 200, nothing
// done. The upgrade changes the group's components, adds those the
// version adds, and the group's version.
func (c *call) upgradeInstalled(a *app, key, version, okMsg string) {
	var found *installedModel
	for _, m := range c.s.marketAppsIn(a.ID) {
		if m.modelID == key {
			found = &m
		}
	}
	switch {
	case found == nil:
		c.serverError("KeyError", "'"+key+"'")
		return
	case !found.canUpgrade:
		c.failed(http.StatusNotFound, "failed", "没有可升级的版本")
		return
	}
	libModel := findModelIn(c.s.state.library, key)
	if libModel == nil || findVersion(libModel, version) == nil {
		c.serverError("AttributeError", "'NoneType' object has no attribute 'app_template'")
		return
	}
	g := found.group
	target := findVersion(libModel, version)
	if g.market != nil {
		target = nil
		if store := c.s.state.store(g.market.Domain, g.market.URL); store != nil {
			if m := findModel(store, key); m != nil {
				target = findVersion(m, version)
			}
		}
	}
	if target != nil {
		c.s.upgradeGroup(a, g, target, c.user)
	}
	c.envelope(okMsg, nil, nil)
}

// upgradeGroup is AppUpgrade.upgrade: the group's components changed to
// the version's template, its new components added (deployed), the
// group's version set; by is the user upgrading.
func (s *Server) upgradeGroup(a *app, g *componentGroup, v *AppModelVersion, by *user) {
	var comps []*component
	for _, comp := range s.state.componentsOf(a.ID) {
		if comp.TenantServiceGroupID == g.id {
			comps = append(comps, comp)
		}
	}
	s.upgradeComponents(comps, v)
	if len(comps) > 0 {
		t := s.state.team(comps[0].TenantID, s.state.enterpriseID)
		for _, tpl := range v.Components {
			if t != nil && !slices.ContainsFunc(comps, func(comp *component) bool { return comp.ServiceCname == tpl.Cname }) {
				s.addTemplateComponent(t, a, g.id, g.modelID, tpl, by, true)
			}
		}
	}
	g.version = v.Version
}

// deployCompose is the docker-compose branch: the raw body's group_name,
// yaml_content, group_note and k8s_app checked, a new app created, then
// the cluster's check of the compose. Since v6.6.0 (0efe11df4 changed
// create_group_compose's arguments and this view was not) the check
// fails and the answer is 200 "docker compose 部署成功" with an empty app;
// before, each service of the YAML became a component (its name and
// image), built.
func (c *call) deployCompose(t *Team, region string, data map[string]any) {
	if note, ok := data["group_note"].(string); ok && utf8.RuneCountInString(note) > 2048 {
		c.failed(http.StatusBadRequest, "node too long", "应用备注长度限制2048")
		return
	}
	if !pyTruthy(data["group_name"]) {
		c.failed(http.StatusBadRequest, "params error", "请指明需要创建的compose组名")
		return
	}
	if !pyTruthy(data["yaml_content"]) {
		c.failed(http.StatusBadRequest, "params error", "未指明yaml内容")
		return
	}
	content, ok := data["yaml_content"].(string)
	if !ok {
		c.serverError("TypeError", "initial_value must be str or None, not "+pyTypeNumber(data["yaml_content"]))
		return
	}
	services, ok := composeServices(content)
	if !ok {
		c.failed(http.StatusBadRequest, "parse yaml error", "yaml内容格式不正确")
		return
	}
	name := pyStr(data["group_name"])
	k8sApp, _ := data["k8s_app"].(string)
	if k8sApp == "" {
		k8sApp = "app-" + c.s.newID()[:6]
	}
	if !c.checkAppName(t, region, name, k8sApp) {
		return
	}
	note, _ := data["group_note"].(string)
	a := c.s.state.addApp(App{TenantID: t.TenantID, RegionName: region, Name: name, Note: note, K8sApp: k8sApp})
	if !c.s.has("v6.6.0") {
		for _, svc := range services {
			alias := "gr" + c.s.newID()[:6]
			info := dockerImageComponent(c.s.newID(), t.TenantID, region, alias, c.user)
			info.ServiceCname, info.Image, info.K8sComponentName = svc.name, svc.image, alias
			info.ServiceSource, info.Language, info.CodeFrom = ptr("docker_compose"), ptr("docker-compose"), ptr("")
			if i := strings.LastIndexByte(svc.image, ':'); i > strings.LastIndexByte(svc.image, '/') {
				info.Version = svc.image[i+1:]
			}
			comp := c.s.newComponent(info, a.ID, c.user, false)
			c.s.state.addComponent(comp)
			c.s.deploy(comp, c.user)
		}
	}
	c.envelope("docker compose 部署成功", nil, nil)
}

type composeService struct{ name, image string }

// composeServices are the services of a compose file, in order: the
// keys under "services", or the top-level keys of a version-1 file, with
// their "image". It reads a block-style file by its indentation, not as
// full YAML (which would take a YAML library into the SDK's module for
// one fake route); ok is false for what is not a mapping of that shape.
func composeServices(content string) (out []composeService, ok bool) {
	type line struct {
		indent     int
		key, value string
	}
	var lines []line
	for _, raw := range strings.Split(content, "\n") {
		text, _, _ := strings.Cut(raw, " #")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		body := strings.TrimLeft(text, " ")
		if strings.HasPrefix(body, "\t") || strings.HasPrefix(body, "- ") {
			if strings.HasPrefix(body, "\t") {
				return nil, false // YAML forbids tabs in indentation
			}
			continue // a list item: no service or image is one
		}
		key, value, found := strings.Cut(body, ":")
		if !found {
			return nil, false
		}
		value = strings.TrimSpace(value)
		if open := strings.IndexAny(value, "[{"); open == 0 && !strings.HasSuffix(value, map[byte]string{'[': "]", '{': "}"}[value[0]]) {
			return nil, false // an unclosed flow collection
		}
		lines = append(lines, line{len(text) - len(body), strings.TrimSpace(key), strings.Trim(value, `"'`)})
	}
	if len(lines) == 0 || lines[0].indent != 0 {
		return nil, false
	}
	// The services are the keys one level under "services:" (or at the
	// top of a version-1 file); an image is a key below one of them.
	base, level := -1, 0
	for i, l := range lines {
		if l.indent == 0 && l.key == "services" && l.value == "" && i+1 < len(lines) {
			base, level = i, lines[i+1].indent
		}
	}
	for i := base + 1; i < len(lines); i++ {
		l := lines[i]
		switch {
		case base >= 0 && l.indent == 0:
			return out, true
		case l.indent == level && l.value == "":
			out = append(out, composeService{name: l.key})
		case l.indent > level && l.key == "image" && len(out) > 0:
			out[len(out)-1].image = l.value
		}
	}
	return out, true
}

// pyTruthy is Python's truth of a value decoded with UseNumber.
func pyTruthy(v any) bool {
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		return err != nil || f != 0
	}
	return truthy(v)
}

// pyStr is str() of a decoded JSON value.
func pyStr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case string:
		return v
	case bool:
		if v {
			return "True"
		}
		return "False"
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			f, _ := v.Float64()
			return pyFloatText(f)
		}
		return v.String()
	case float64:
		if v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10)
		}
		return pyFloatText(v)
	}
	b, _ := json.Marshal(v)
	return fmt.Sprint(string(b))
}

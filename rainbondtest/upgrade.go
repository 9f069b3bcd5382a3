package rainbondtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Upgrading installed app models: AppUpgradeView (openapi/views/apps/
// market.py), market_app_service.get_market_apps_in_app and yield_app_info,
// upgrade_service.openapi_upgrade_app_models.

// upgradeItem is ListUpgradeSerializer's item, before the console
// validates it: market_name is null for a local-library model.
type upgradeItem struct {
	MarketName      *string  `json:"market_name"`
	AppModelID      string   `json:"app_model_id"`
	AppModelName    string   `json:"app_model_name"`
	CurrentVersion  string   `json:"current_version"`
	EnterpriseID    string   `json:"enterprise_id"`
	CanUpgrade      bool     `json:"can_upgrade"`
	UpgradeVersions []string `json:"upgrade_versions"`
	Source          string   `json:"source"`
}

// AddLocalModel adds an app model to the enterprise's local library, from
// which [Server.InstallFromLocalLibrary] installs. A model of the same id
// is replaced, as when a new version is published to the library.
func (s *Server) AddLocalModel(m AppModel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := findModelIn(s.state.library, m.ID); old != nil {
		*old = m
		return
	}
	s.state.library = append(s.state.library, m)
}

// InstallFromLocalLibrary installs version of a local-library model into
// app appID, undeployed, as the console's UI does: its components carry no
// market name, which makes the console unable to list the app's models
// for an upgrade (GET .../upgrade answers 400).
func (s *Server) InstallFromLocalLibrary(appID int64, modelID, version string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.state.apps[appID]
	if a == nil {
		return fmt.Errorf("rainbondtest: no app %d", appID)
	}
	model := findModelIn(s.state.library, modelID)
	if model == nil {
		return fmt.Errorf("rainbondtest: no local model %q", modelID)
	}
	v := findVersion(model, version)
	if v == nil {
		return fmt.Errorf("rainbondtest: local model %q has no version %q", modelID, version)
	}
	t := s.state.team(a.TenantID, s.state.enterpriseID)
	s.installVersion(t, a, v, model, nil, s.state.fixtureUser(), false)
	return nil
}

func findModelIn(models []AppModel, id string) *AppModel {
	for i := range models {
		if models[i].ID == id {
			return &models[i]
		}
	}
	return nil
}

// groupModel is the app model a component group was installed from, as
// the console finds it now: nil when its store or library no longer holds
// it (the console then leaves the group out of its list).
func (s *Server) groupModel(g *componentGroup) *AppModel {
	if g.market == nil {
		return findModelIn(s.state.library, g.modelID)
	}
	store := s.state.store(g.market.Domain, g.market.URL)
	if store == nil {
		return nil
	}
	return findModel(store, g.modelID)
}

// upgradeItems is get_market_apps_in_app: one item per component group of
// the app that still has components, in the order of their first
// component, its upgrade versions gathered in a set (Go's map order
// stands in for Python's set order, which changes between processes).
func (s *Server) upgradeItems(appID int64) []upgradeItem {
	items := []upgradeItem{}
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
		set := map[string]bool{}
		for _, v := range model.Versions {
			if g.version == "" || pyCompareVersion(v.Version, g.version) == 1 {
				set[v.Version] = true
			}
		}
		versions := []string{}
		for v := range set {
			versions = append(versions, v)
		}
		item := upgradeItem{
			AppModelID: g.modelID, AppModelName: model.Name, CurrentVersion: g.version,
			EnterpriseID: s.state.enterpriseID, CanUpgrade: len(versions) > 0, UpgradeVersions: versions, Source: "local",
		}
		if g.market != nil {
			item.MarketName, item.Source = &g.market.Name, "market"
		}
		items = append(items, item)
	}
	return items
}

// pyCompareVersion is console/utils/version.py compare_version: versions
// split at ".", numeric parts compared as numbers, others as -1; of two
// versions that rank equal, the second one is taken as the larger.
func pyCompareVersion(current, expected string) int {
	if current == expected {
		return 0
	}
	key := func(v string) []int {
		var out []int
		for _, part := range strings.Split(v, ".") {
			n, err := strconv.Atoi(part)
			if err != nil || strings.ContainsAny(part, "+-") {
				n = -1
			}
			out = append(out, n)
		}
		return out
	}
	if slices.Compare(key(current), key(expected)) > 0 {
		return 1
	}
	return -1
}

// answerUpgradeList answers the app's models through
// ListUpgradeSerializer(many=True) with raise_exception: an item with a
// null market name fails the whole list.
func (c *call) answerUpgradeList(appID int64) {
	items := c.s.upgradeItems(appID)
	problems := make([]any, len(items))
	bad := false
	for i, item := range items {
		problems[i] = map[string]any{}
		if item.MarketName == nil {
			problems[i] = map[string][]string{"market_name": {"该字段不能为 null。"}}
			bad = true
		}
	}
	if bad {
		c.validationErrors(problems)
		return
	}
	c.json(http.StatusOK, items)
}

// listUpgrades is AppUpgradeView.get.
func (c *call) listUpgrades() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	c.answerUpgradeList(a.ID)
}

// upgradeRequest is an item of UpgradeSerializer's update_versions.
type upgradeRequest struct {
	marketName *string
	modelID    string
	version    string
}

// upgrade is AppUpgradeView.post and upgrade_service.
// openapi_upgrade_app_models (console/services/upgrade_services.py), one
// transaction: per item, every component of the model in the app, in
// every component group (none: skipped without a word); the version's
// template from the group's own store; the components compared with it
// and changed where they differ. It fails, changing nothing, where the
// console does: a TypeError on consoles v5.3.1 to v6.9.3 (fixed in
// v6.9.4, b0abfa976), for a model of the local library (since v6.0.0),
// and for a version that adds components. No group's version is changed:
// the list answered, read again, shows the old one.
func (c *call) upgrade() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	reqs, ok := c.upgradeRequests()
	if !ok {
		return
	}
	if c.s.has("v5.3.1") && !c.s.has("v6.9.4") {
		c.serverError("TypeError", "get_or_create_upgrade_record() missing 1 required positional argument: 'upgrade_group_id'")
		return
	}
	type change struct {
		comps   []*component
		version *AppModelVersion
	}
	var changes []change
	for _, req := range reqs {
		var comps []*component
		for _, comp := range c.s.state.componentsOf(a.ID) {
			if comp.ServiceKey == req.modelID {
				comps = append(comps, comp)
			}
		}
		if len(comps) == 0 {
			continue
		}
		if req.marketName == nil && c.s.has("v6.0.0") {
			c.serverError("TypeError", "RainbondCenterAppRepository.get_rainbond_app_and_version() missing 1 required positional argument: 'app_version'")
			return
		}
		if req.marketName != nil && c.s.marketNamed(*req.marketName) == nil {
			c.failed(http.StatusNotFound, "no found app market", "应用商店不存在")
			return
		}
		model := c.s.groupModel(c.s.state.groups[comps[0].TenantServiceGroupID])
		var version *AppModelVersion
		if model != nil {
			version = findVersion(model, req.version)
		}
		if version == nil {
			c.failed(http.StatusBadRequest, "app version "+req.version+" can not exist", "版本已被删除")
			return
		}
		for _, tpl := range version.Components {
			if !slices.ContainsFunc(comps, func(comp *component) bool { return comp.ServiceCname == tpl.Cname }) {
				c.serverError("TypeError", "MarketAppService.install_service_when_upgrade_app() takes from 9 to 11 positional arguments but 12 were given")
				return
			}
		}
		changes = append(changes, change{comps, version})
	}
	for _, ch := range changes {
		c.s.upgradeComponents(ch.comps, ch.version)
	}
	c.answerUpgradeList(a.ID)
}

func (s *Server) marketNamed(name string) *Market {
	for _, m := range s.state.markets {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// upgradeComponents changes components to version's template: those
// whose image differs are upgraded (rolled over when deployed), the others
// are left alone, as PropertiesChanges finds nothing to change in them.
func (s *Server) upgradeComponents(comps []*component, version *AppModelVersion) {
	for _, existing := range comps {
		i := slices.IndexFunc(version.Components, func(tpl ComponentTemplate) bool { return tpl.Cname == existing.ServiceCname })
		if i < 0 {
			continue // the template lacks it: the console leaves it as it is
		}
		tpl := version.Components[i]
		if existing.Image == tpl.Image && existing.Version == tpl.Version {
			continue // no property changes: nothing is sent to the cluster
		}
		existing.Image, existing.Version = tpl.Image, tpl.Version
		existing.UpdateVersion++
		s.settle(existing)
		if existing.state != "undeploy" && existing.state != "closed" {
			s.change(existing, "upgrade", "running")
		}
	}
}

// upgradeRequests validates UpgradeSerializer: update_versions a list of
// {market_name (required, may be null, not blank), app_model_id (≤32),
// app_model_version (≤64)}.
func (c *call) upgradeRequests() ([]upgradeRequest, bool) {
	var raw any = map[string]any{}
	if !c.parseJSON(&raw) {
		return nil, false
	}
	body, _ := raw.(map[string]any)
	list, present := body["update_versions"]
	items, isList := list.([]any)
	switch {
	case body == nil:
		c.validation("non_field_errors", fmt.Sprintf("无效数据。期待为字典类型，得到的是 %s 。", pyType(raw)))
		return nil, false
	case !present:
		c.validation("update_versions", "该字段是必填项。")
		return nil, false
	case !isList:
		c.validationErrors(map[string]any{"update_versions": map[string][]string{"non_field_errors": {fmt.Sprintf("期望一个列表的项目，但是得到了类型 \"%s\"。", pyType(list))}}})
		return nil, false
	}
	out := make([]upgradeRequest, len(items))
	problems := make([]map[string][]string, len(items))
	bad := false
	for i, item := range items {
		fields, _ := item.(map[string]any)
		values, errs := checkCharFields(fields, []charField{
			{name: "market_name", max: 64, allowNull: true},
			{name: "app_model_id", max: 32},
			{name: "app_model_version", max: 64},
		})
		out[i] = upgradeRequest{marketName: values["market_name"], modelID: deref(values["app_model_id"]), version: deref(values["app_model_version"])}
		problems[i] = errs
		bad = bad || len(errs) > 0
	}
	if bad {
		c.validationErrors(map[string]any{"update_versions": problems})
		return nil, false
	}
	return out, true
}

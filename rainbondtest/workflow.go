package rainbondtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The calls around install and copy (openapi/views/region_view.py,
// team_view.py, apps/apps.py, groupapp.py).

// listRegions is the enterprise's regions.
func (c *call) listRegions() {
	out := []regionInfo{}
	for _, r := range c.s.state.regions {
		out = append(out, regionInfo{
			RegionID: r.RegionID, RegionName: r.RegionName, RegionAlias: r.RegionAlias,
			URL: "https://" + r.RegionName + ".region.test:8443", WsURL: "ws://" + r.RegionName + ".region.test:6060",
			HTTPDomain: r.RegionName + ".apps.test", TCPDomain: r.RegionName + ".tcp.test",
			Scope: "private", Status: "1", Desc: r.RegionAlias,
		})
	}
	c.json(http.StatusOK, out)
}

// listTeams is ListTeamInfo: the user's teams, searched by name, paged.
func (c *call) listTeams() {
	query := c.r.URL.Query().Get("query")
	var matched []teamInfo
	for _, t := range c.s.state.teams {
		if t.EnterpriseID != c.s.state.enterpriseID || !containsFold(t.TenantAlias+" "+t.TenantName, query) {
			continue
		}
		matched = append(matched, teamInfo{
			TenantID: t.TenantID, TenantName: t.TenantName, TenantAlias: t.TenantAlias,
			EnterpriseID: t.EnterpriseID, IsActive: true, CreateTime: fakeTime(len(matched)), Creater: "admin",
			RoleInfos: []roleInfo{{RoleID: 1, RoleName: "admin"}}, ServiceNum: c.s.teamComponents(t),
			RegionNum: len(t.Regions),
		})
	}
	page := pageOf(matched, c.r)
	c.json(http.StatusOK, teamList{Tenants: page, Total: len(matched)})
}

// listTeamRegions is a team's regions, searched by name, paged.
func (c *call) listTeamRegions() {
	t := c.team()
	if t == nil {
		return
	}
	query := c.r.URL.Query().Get("query")
	var matched []teamRegion
	for _, name := range t.Regions {
		r := c.s.state.region(name)
		if r == nil || !containsFold(r.RegionAlias+" "+r.RegionName, query) {
			continue
		}
		matched = append(matched, teamRegion{
			RegionID: r.RegionID, RegionName: r.RegionName, RegionAlias: r.RegionAlias, TenantName: t.TenantName,
			URL: "https://" + r.RegionName + ".region.test:8443", WsURL: "ws://" + r.RegionName + ".region.test:6060",
			HTTPDomain: r.RegionName + ".apps.test", TCPDomain: r.RegionName + ".tcp.test",
			Token: nil, Status: "1", Desc: r.RegionAlias, Scope: "private",
		})
	}
	c.json(http.StatusOK, teamRegionList{Regions: pageOf(matched, c.r), Total: len(matched)})
}

// listApps is ListAppsView.get: the team's apps in the region, searched by
// name.
func (c *call) listApps() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	query := c.r.URL.Query().Get("query")
	out := []appBaseInfo{}
	for _, a := range c.s.state.appList() {
		if a.TenantID == t.TenantID && a.RegionName == region && containsFold(a.Name, query) {
			out = append(out, baseInfo(a))
		}
	}
	c.json(http.StatusOK, out)
}

// createApp is ListAppsView.post: 201 with the new app.
func (c *call) createApp() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	fields, ok := c.charFields([]charField{
		{name: "app_name", max: 128},
		{name: "app_note", max: 2048, allowBlank: true, optional: true},
	})
	if !ok {
		return
	}
	a := App{TenantID: t.TenantID, RegionName: region, Name: *fields["app_name"]}
	if note := fields["app_note"]; note != nil {
		a.Note = *note
	}
	c.json(http.StatusCreated, baseInfo(c.s.state.addApp(a)))
}

// getApp is AppInfoView.get: the app with its components' states counted.
func (c *call) getApp() {
	t, _, a := c.teamApp()
	if a == nil {
		return
	}
	comps := c.s.state.componentsOf(a.ID)
	info := appInfo{
		appBaseInfo: baseInfo(a), EnterpriseID: c.s.state.enterpriseID, ServiceCount: len(comps),
		AppID: a.ID, TeamName: t.TenantName, Status: "closed",
	}
	for _, comp := range comps {
		if comp.readState() == "running" {
			info.RunningServiceCount++
			info.UsedCPU += comp.MinCPU * comp.MinNode
			info.UsedMomory += comp.MinMemory * comp.MinNode
		}
	}
	switch {
	case info.RunningServiceCount > 0 && info.RunningServiceCount == len(comps):
		info.Status = "running"
	case info.RunningServiceCount > 0:
		info.Status = "part_running"
	}
	c.json(http.StatusOK, info)
}

// deleteApp is AppInfoView.delete: refused while a component runs;
// otherwise the components and the app go, answered with 200 and no body.
func (c *call) deleteApp() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	if v := c.r.URL.Query().Get("force"); v != "" {
		if _, err := strconv.Atoi(v); err != nil {
			c.message(http.StatusBadRequest, http.StatusBadRequest, "force value error", "参数错误", nil)
			return
		}
	}
	comps := c.s.state.componentsOf(a.ID)
	for _, comp := range comps {
		if st := comp.readState(); st != "closed" && st != "undeploy" {
			c.message(http.StatusBadRequest, http.StatusBadRequest, "There are running components under the current application", "当前应用下有运行态的组件，不可删除", nil)
			return
		}
	}
	for _, comp := range comps {
		delete(c.s.state.components, comp.ServiceID)
	}
	c.s.state.order = slices.DeleteFunc(c.s.state.order, func(id string) bool { return c.s.state.components[id] == nil })
	delete(c.s.state.apps, a.ID)
	c.a.status = http.StatusOK
}

// listComponents is ListAppServicesView: the app's components with their
// running state.
func (c *call) listComponents() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	comps := c.s.state.componentsOf(a.ID)
	out := c.s.serialize(comps, false)
	for i, comp := range comps {
		out[i].Status = comp.readState()
	}
	c.json(http.StatusOK, out)
}

// listCopyable is GroupAppsCopyView.get: what can be copied from the app;
// an app that does not exist has nothing to copy.
func (c *call) listCopyable() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	out := []appCopyL{}
	a := c.s.state.appIn(t, region, c.appID())
	if a == nil {
		c.json(http.StatusOK, out)
		return
	}
	for _, comp := range c.s.state.componentsOf(a.ID) {
		bs := buildSource{Version: ptr(comp.Version), Language: comp.Language, CodeFrom: comp.CodeFrom, ServiceSource: comp.ServiceSource}
		if comp.GitURL != nil {
			bs.GitURL, bs.CodeVersion = comp.GitURL, comp.CodeVersion
		} else {
			bs.Image, bs.DockerCmd = ptr(comp.Image), comp.DockerCmd
		}
		out = append(out, appCopyL{
			ServiceID: comp.ServiceID, ServiceCname: comp.ServiceCname, ServiceAlias: comp.ServiceAlias,
			ServiceType: "application", Version: comp.Version, DeployVersion: "20261101080000",
			AppName: a.Name, MinMemory: strconv.Itoa(comp.MinMemory), CreateStatus: "complete",
			UpdateTime: fakeTime(int(a.ID)), BuildSource: bs,
		})
	}
	c.json(http.StatusOK, out)
}

func baseInfo(a *app) appBaseInfo {
	return appBaseInfo{
		ID: a.ID, TenantID: a.TenantID, GroupName: a.Name, RegionName: a.RegionName, Note: nullable(a.Note),
		Username: "admin", GovernanceMode: "KUBERNETES_NATIVE_SERVICE", K8sApp: "app-" + strconv.FormatInt(a.ID, 10),
		AppType: "rainbond", CreateTime: a.createTime, UpdateTime: a.createTime,
	}
}

func (s *Server) teamComponents(t *Team) int {
	n := 0
	for _, c := range s.state.components {
		if c.TenantID == t.TenantID {
			n++
		}
	}
	return n
}

// pageOf cuts the page that the page and page_size parameters name, with
// the console's defaults (1 and 10) for missing or unreadable values.
func pageOf[T any](items []T, r *http.Request) []T {
	page, size := intParam(r, "page", 1), intParam(r, "page_size", 10)
	if page < 1 || size < 1 {
		return []T{}
	}
	start := (page - 1) * size
	if start >= len(items) {
		return []T{}
	}
	return items[start:min(start+size, len(items))]
}

func intParam(r *http.Request, name string, def int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return def
	}
	return n
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

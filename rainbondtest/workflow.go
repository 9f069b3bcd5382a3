package rainbondtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The calls around install and copy (openapi/views/region_view.py,
// team_view.py, apps/apps.py, groupapp.py).

// listRegions is ListRegionInfo.get (openapi/views/region_view.py): every
// region at level "", validated with RegionInfoRespSerializer(many=True),
// so one region whose alias or name is over 32 characters, or whose
// description is over 128, fails the whole call with a list of errors.
func (c *call) listRegions() {
	out := []regionInfo{}
	var problems []any
	bad := false
	for _, r := range c.s.enterpriseRegions(c.user.enterpriseID) {
		row := c.s.row(r)
		out = append(out, regionInfo{
			RegionID: r.RegionID, RegionName: r.RegionName, RegionAlias: r.RegionAlias,
			URL: row.url, Scope: row.scope, Status: row.status, Desc: r.Desc,
		})
		item := map[string][]string{}
		for field, v := range map[string]struct {
			value string
			max   int
		}{"region_name": {r.RegionName, 32}, "region_alias": {r.RegionAlias, 32}, "desc": {r.Desc, 128}} {
			if utf8.RuneCountInString(v.value) > v.max {
				item[field] = []string{fmt.Sprintf("请确保这个字段不能超过 %d 个字符。", v.max)}
				bad = true
			}
		}
		problems = append(problems, item)
	}
	if bad {
		c.validationErrors(problems)
		return
	}
	c.json(http.StatusOK, out)
}

// listTeams is ListTeamInfo.get (openapi/views/team_view.py): the rows of
// team_repo.py list_by_user_id, answered unvalidated, with the page and
// page size it parsed (1 and 10 for what int() cannot read).
func (c *call) listTeams() {
	q := djangoQuery(c.r.URL.RawQuery)
	query, _ := q.get("query")
	page, size := q.intOr("page", 1), q.intOr("page_size", 10)
	var matched []teamRow
	for i, t := range c.s.state.teams {
		if t.EnterpriseID != c.user.enterpriseID || !containsFold(t.TenantAlias+" "+deref(c.user.nick), query) {
			continue
		}
		matched = append(matched, teamRow{
			ID: int64(i + 1), TenantID: t.TenantID, TenantName: t.TenantName, TenantAlias: nullable(t.TenantAlias),
			IsActive: !c.s.state.teamRow(t).inactive, EnterpriseID: t.EnterpriseID, CreateTime: fakeTime(i),
			// The query joins the caller's membership row: creater is the
			// caller's nick name, whoever owns the team.
			Creater:   c.user.nick,
			RoleInfos: []roleInfo{{RoleID: strconv.Itoa(3*i + 1), RoleName: "admin"}},
		})
	}
	c.json(http.StatusOK, teamList{Tenants: pageOf(matched, page, size), Total: len(matched), Page: page, PageSize: size})
}

// listTeamRegions is ListRegionsView.get: the team's regions, paged,
// validated with TeamRegionsRespSerializer.
func (c *call) listTeamRegions() {
	t := c.team()
	if t == nil {
		return
	}
	q := djangoQuery(c.r.URL.RawQuery)
	if query, _ := q.get("query"); query != "" {
		// region_repo.py builds "like '%q% OR ... like '%q%)'": the quotes
		// do not balance, and MySQL refuses the statement.
		c.serverError("ProgrammingError", "(1064, \"You have an error in your SQL syntax\")")
		return
	}
	var matched []teamRegion
	for _, name := range t.Regions {
		r := c.s.state.region(name)
		if r == nil {
			continue
		}
		row := c.s.row(r)
		matched = append(matched, teamRegion{
			RegionID: r.RegionID, RegionName: r.RegionName, RegionAlias: r.RegionAlias, TenantName: t.TenantName,
			URL: row.url, WsURL: row.wsurl, HTTPDomain: row.httpdomain, TCPDomain: row.tcpdomain,
			Token: row.token, Status: row.status, Desc: r.Desc, Scope: row.scope,
		})
	}
	page, size := q.intOr("page", 1), q.intOr("page_size", 10)
	c.json(http.StatusOK, teamRegionList{Regions: pageOf(matched, page, size), Total: len(matched)})
}

// listApps is ListAppsView.get: the team's apps in the region, searched by
// name.
func (c *call) listApps() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	query, _ := djangoQuery(c.r.URL.RawQuery).get("query")
	out := []appBaseInfo{}
	for _, a := range c.s.state.appList() {
		if a.TenantID == t.TenantID && a.RegionName == region && containsFold(a.Name, query) {
			out = append(out, baseInfo(a))
		}
	}
	c.json(http.StatusOK, out)
}

// createApp is ListAppsView.post: AppPostInfoSerializer, then
// group_service.create_app's checks (console/services/group_service.py
// check_app_name); 201 with AppBaseInfoSerializer over the new row's
// to_dict(), whose times have no fraction and a space.
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
	name := *fields["app_name"]
	var raw map[string]any
	_ = json.Unmarshal(c.body, &raw)
	k8sApp, _ := raw["k8s_app"].(string)
	if k8sApp == "" {
		k8sApp = "app-" + c.s.newID()[:6]
	}
	if !c.checkAppName(t, region, name, k8sApp) {
		return
	}
	a := App{TenantID: t.TenantID, RegionName: region, Name: name, K8sApp: k8sApp}
	if note := fields["app_note"]; note != nil {
		a.Note = *note
	}
	if d := c.s.createLatency; d > 0 {
		// The cluster call inside create_app's transaction: the insert
		// is not seen by others, whose checks pass meanwhile.
		c.s.mu.Unlock()
		time.Sleep(d)
		c.s.mu.Lock()
	}
	stored := c.s.state.addApp(a)
	info := baseInfo(stored)
	// create_app stores "" rather than null, and to_dict() prints times as
	// "2006-01-02 15:04:05".
	info.Note, info.AppStoreName, info.AppStoreURL = ptr(a.Note), ptr(""), ptr("")
	info.AppTemplateName, info.Version, info.Logo = ptr(""), ptr(""), ptr("")
	info.CreateTime, info.UpdateTime = pyTime(info.CreateTime, false), pyTime(info.UpdateTime, false)
	c.json(http.StatusCreated, info)
}

// appNamePattern is check_app_name's pattern, whose $ (Python's) also
// matches before a final newline.
var appNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.\-\x{4e00}-\x{9fa5}]+\n?$`)

// checkAppName is group_service.check_app_name for a new app of team t
// in region, in its order: a name, of at most 128 characters, of the
// pattern; no app with k8sApp as its cluster name (21003); no app of
// that name. false when answered.
func (c *call) checkAppName(t *Team, region, name, k8sApp string) bool {
	switch {
	case name == "":
		c.failed(http.StatusBadRequest, "app name required", "应用名不能为空")
	case utf8.RuneCountInString(name) > 128:
		c.failed(http.StatusBadRequest, "app_name illegal", "应用名称最多支持128个字符")
	case !appNamePattern.MatchString(name):
		c.failed(http.StatusBadRequest, "app_name illegal", "应用名称只支持中英文, 数字, 下划线, 中划线和点")
	case k8sApp != "" && c.s.state.appWithK8sName(t.TenantID, region, k8sApp) != nil:
		c.message(http.StatusBadRequest, 21003, "k8s app exists", "应用英文名已存在", nil)
	case c.s.state.appNamed(t.TenantID, region, name) != nil:
		c.failed(http.StatusBadRequest, "app name exist", "应用名称已存在")
	default:
		return true
	}
	return false
}

// getApp is AppInfoView.get: the app with its components counted. The
// answer is AppInfoSerializer's validated data when the serializer accepts
// its input, and that input, raw, when it does not: used_cpu is
// Σ min_memory/128×30 in Python float arithmetic (openapi/services/
// app_service.py get_app_memory_and_cpu_used), which fails IntegerField
// whenever it has a fraction, as does a team name over 32 characters.
func (c *call) getApp() {
	t, _, a := c.teamApp()
	if a == nil {
		return
	}
	comps := c.s.state.componentsOf(a.ID)
	var usedCPU float64
	usedMemory, running := 0, 0
	for _, comp := range comps {
		usedMemory += comp.MinMemory
		usedCPU += float64(comp.MinMemory) / 128 * 30
		if c.s.readState(comp) == "running" {
			running++
		}
	}
	status := "closed"
	switch {
	case running > 0 && running == len(comps):
		status = "running"
	case running > 0:
		status = "part_running"
	}
	cols := baseInfo(a).appColumns
	valid := usedCPU == math.Trunc(usedCPU) && cols.GroupName != "" && utf8.RuneCountInString(t.TenantName) <= 32
	if valid {
		c.json(http.StatusOK, appInfo{
			appColumns: cols, EnterpriseID: c.s.state.enterpriseID, ServiceCount: len(comps),
			RunningServiceCount: running, UsedMomory: usedMemory, UsedCPU: int(usedCPU), AppID: a.ID,
			TeamName: t.TenantName, Status: status,
		})
		return
	}
	c.json(http.StatusOK, appInfoRaw{
		appColumns: cols, EnterpriseID: c.s.state.enterpriseID, ServiceCount: len(comps),
		RunningServiceCount: running, UsedMomory: usedMemory, UsedCPU: pyFloat(usedCPU), AppID: c.params[2],
		TeamName: t.TenantName, Status: status,
	})
}

// deleteApp is AppInfoView.delete (v5.2.1): refused (400) while a component is in
// any state but closed or undeploy; otherwise the components are
// force-deleted and the app goes, answered with 200 and no body.
// Third-party components are neither checked nor deleted
// (get_group_services_by_id leaves them out): they stay, in no app that
// exists.
func (c *call) deleteApp() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	if _, _, ok := djangoQuery(c.r.URL.RawQuery).int("force", 0); !ok {
		c.failed(http.StatusBadRequest, "force value error", "参数错误")
		return
	}
	comps := slices.DeleteFunc(c.s.state.componentsOf(a.ID), isThirdParty)
	for _, comp := range comps {
		if st := c.s.readState(comp); st != "closed" && st != "undeploy" {
			c.failed(http.StatusBadRequest, "There are running components under the current application", "当前应用下有运行态的组件，不可删除")
			return
		}
	}
	for _, comp := range comps {
		c.s.destroyComponent(comp.ServiceID)
	}
	delete(c.s.state.apps, a.ID)
	c.a.status = http.StatusOK
}

// listComponents is ListAppServicesView.get: the app's component rows with
// the state the cluster reports for each (null for one it does not).
func (c *call) listComponents() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	c.json(http.StatusOK, c.s.serialize(c.s.state.componentsOf(a.ID), true))
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
		if errs := unlistableBuildSource(comp); errs != nil {
			c.validationErrors(errs)
			return
		}
		bs := buildSource{Version: ptr(comp.Version), Language: comp.Language, CodeFrom: comp.CodeFrom, ServiceSource: comp.ServiceSource}
		if comp.ServiceSource != nil && *comp.ServiceSource == "market" {
			bs.RainAppName = ptr(comp.ServiceCname)
		}
		out = append(out, appCopyL{
			ServiceID: comp.ServiceID, ServiceCname: comp.ServiceCname, ServiceAlias: comp.ServiceAlias,
			ServiceType: comp.ServiceType, Version: comp.Version, DeployVersion: comp.deployVersion,
			AppName: a.Name, MinMemory: strconv.Itoa(comp.MinMemory), CreateStatus: comp.CreateStatus,
			UpdateTime: pyTime(fakeTime(int(a.ID)), true), BuildSource: bs,
		})
	}
	c.json(http.StatusOK, out)
}

// unlistableBuildSource is the error AppCopyLSerializer.get_build_source
// raises for an image or source-code component: get_build_infos
// (console/services/service_services.py) always sets user_name to "",
// which CompomentDockerImageBuildSourceSerializer and
// CompomentCodeBuildSourceSerializer refuse as blank, and password to the
// stored one, or "" (refused too) when there is none. nil for the others.
func unlistableBuildSource(comp *component) map[string][]string {
	if comp.ServiceSource == nil || (*comp.ServiceSource != "docker_image" && *comp.ServiceSource != "source_code") {
		return nil
	}
	errs := map[string][]string{"user_name": {"该字段不能为空。"}}
	if comp.repoPassword == "" {
		errs["password"] = []string{"该字段不能为空。"}
	}
	return errs
}

// baseInfo is AppBaseInfoSerializer over an app's row.
func baseInfo(a *app) appBaseInfo {
	return appBaseInfo{ID: a.ID, appColumns: appColumns{
		TenantID: a.TenantID, GroupName: a.Name, RegionName: a.RegionName, Note: nullable(a.Note),
		Username: ptr("admin"), GovernanceMode: ptr("KUBERNETES_NATIVE_SERVICE"), CreateTime: a.createTime,
		UpdateTime: a.createTime, AppType: "rainbond", K8sApp: a.K8sApp,
	}}
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

// pageOf cuts the page that page and size name, as the repositories' SQL
// LIMIT does (a page below 1 is the first).
func pageOf[T any](items []T, page, size int) []T {
	page = max(page, 1)
	if size < 1 {
		return []T{}
	}
	start := (page - 1) * size
	if start >= len(items) {
		return []T{}
	}
	return items[start:min(start+size, len(items))]
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

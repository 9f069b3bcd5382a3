package rainbondtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// Closing a team's components and deleting apps whole: TeamAppsCloseView
// and DeleteApp (openapi/views/apps/apps.py).

// closeTeamApps is TeamAppsCloseView.post (v5.3.1): every component of
// the team in the region, every app (third-party and app-less ones
// included), or those of them service_ids names; batch_action("stop")
// stops the complete ones. 200 with no body; a team without components
// is a no-op 200; ids that match none of them are a 500 ("batch manage
// error"), as batch_action never gets to say 200.
func (c *call) closeTeamApps() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var ids []any
	if v, present := data["service_ids"]; present {
		switch list := v.(type) {
		case nil:
			c.validation("service_ids", "该字段不能为 null。")
			return
		case []any:
			ids = list
		default:
			c.validation("service_ids", fmt.Sprintf("期望为一个包含物件的列表，得到的类型是“%s”。", pyTypeNumber(v)))
			return
		}
	}
	var targets []*component
	for _, id := range c.s.state.order {
		if comp := c.s.state.components[id]; comp.TenantID == t.TenantID && comp.ServiceRegion == region {
			targets = append(targets, comp)
		}
	}
	if len(targets) == 0 {
		c.a.status = http.StatusOK
		return
	}
	if len(ids) > 0 {
		wanted := map[string]bool{}
		for _, id := range ids {
			switch id := id.(type) {
			case []any, map[string]any:
				c.serverError("TypeError", "unhashable type: '"+pyType(id)+"'")
				return
			case string:
				wanted[id] = true
			}
		}
		targets = slices.DeleteFunc(targets, func(comp *component) bool { return !wanted[comp.ServiceID] })
	}
	if len(targets) == 0 {
		c.failed(http.StatusInternalServerError, "batch manage error", "系统异常")
		return
	}
	for _, comp := range targets {
		if deref(comp.CreateStatus) == "complete" {
			c.s.settle(comp)
			c.s.act(comp, "stop", c.user)
		}
	}
	c.a.status = http.StatusOK
}

// AppResource is a k8s resource or a config group of an app, which
// DELETE …/app/{app_id}/delete removes (by app id, whatever the team).
type AppResource struct {
	// AppID is the app.
	AppID int64
	// Kind is "k8s" (a K8sResource) or "config_group".
	Kind string
	// Name is the resource's name.
	Name string
}

// AddAppResource gives an app a k8s resource or a config group.
func (s *Server) AddAppResource(r AppResource) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.apps[r.AppID] == nil {
		return fmt.Errorf("rainbondtest: no app %d", r.AppID)
	}
	if r.Kind != "k8s" && r.Kind != "config_group" {
		return fmt.Errorf("rainbondtest: resource kind %q: want k8s or config_group", r.Kind)
	}
	s.state.release.resources = append(s.state.release.resources, &r)
	return nil
}

// AppResources returns the k8s resources and config groups of app appID.
func (s *Server) AppResources(appID int64) []AppResource {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []AppResource
	for _, r := range s.state.release.resources {
		if r.AppID == appID {
			out = append(out, *r)
		}
	}
	return out
}

// deleteAppEverything is DeleteApp.delete (v5.15.1), "一键删除应用": no
// lookup of the app first, deleteAppParts, then the app, looked up in
// this team: an app of another team is a 500 after its resources went.
// 200 envelope 删除成功.
func (c *call) deleteAppEverything() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	id, err := strconv.ParseInt(c.params[2], 10, 64)
	if err != nil {
		c.serverError("ValueError", fmt.Sprintf("Field 'group_id' expected a number but got %s.", pyRepr(c.params[2])))
		return
	}
	if !c.deleteAppParts(t, region, id) {
		return
	}
	a := c.s.state.appIn(t, region, id)
	if a == nil {
		c.serverError("AttributeError", "'NoneType' object has no attribute 'app_type'")
		return
	}
	delete(c.s.state.apps, id)
	c.envelope("删除成功", nil, nil)
}

// deleteAppParts is what DeleteApp and UserTenantDelete do for an app id
// of team t in region before deleting the app itself:
// batch_delete_app_services (the cluster's batch stop of the complete
// components, then every component of the app in this team and region
// force-deleted, third-party ones included, running or not), then
// batch_delete_k8s_resource of the app id (any team's), which needs the
// app's region app (none, an unknown id or an app of another region, is
// a 500), and batch_delete_config_group. false when answered.
func (c *call) deleteAppParts(t *Team, region string, appID int64) bool {
	if r := c.s.state.region(region); r == nil || c.s.clusterDown(r) {
		c.clusterUnreachable(r, "/v2/tenants/"+t.TenantName+"/batchoperation")
		return false
	}
	var doomed []*component
	for _, comp := range c.s.state.componentsOf(appID) {
		if comp.TenantID == t.TenantID && comp.ServiceRegion == region {
			doomed = append(doomed, comp)
		}
	}
	for _, comp := range doomed {
		if deref(comp.CreateStatus) == "complete" {
			c.s.settle(comp)
			c.s.act(comp, "stop", c.user)
		}
	}
	for _, comp := range doomed {
		c.s.destroyComponent(comp.ServiceID)
	}
	if a := c.s.state.apps[appID]; a == nil || a.RegionName != region {
		c.serverError("DoesNotExist", "RegionApp matching query does not exist.")
		return false
	}
	c.s.state.release.resources = slices.DeleteFunc(c.s.state.release.resources, func(r *AppResource) bool { return r.AppID == appID })
	return true
}

package rainbondtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// The team routes: ListTeamInfo.post, TeamInfo and ListRegionsView.post in
// openapi/views/team_view.py, with console/services/team_services.py
// create_team and delete_by_tenant_id, and region_services.py
// create_tenant_on_region and delete_tenant_on_region.

// teamBaseInfo is TeamBaseInfoSerializer over a team's row.
type teamBaseInfo struct {
	TenantID     string  `json:"tenant_id"`
	TenantName   string  `json:"tenant_name"`
	Region       string  `json:"region"`
	IsActive     bool    `json:"is_active"`
	CreateTime   string  `json:"create_time"`
	Creater      int     `json:"creater"`
	LimitMemory  int     `json:"limit_memory"`
	UpdateTime   string  `json:"update_time"`
	TenantAlias  *string `json:"tenant_alias"`
	EnterpriseID string  `json:"enterprise_id"`
}

// teamInfo is TeamInfoSerializer over a team's row, as GET /teams/{id}
// answers: creater is the owner's user id, as text.
type teamInfo struct {
	TenantID     string  `json:"tenant_id"`
	TenantName   string  `json:"tenant_name"`
	TenantAlias  *string `json:"tenant_alias"`
	EnterpriseID string  `json:"enterprise_id"`
	IsActive     bool    `json:"is_active"`
	CreateTime   string  `json:"create_time"`
	Creater      string  `json:"creater"`
}

func (s *Server) teamBase(t *Team) teamBaseInfo {
	created := pyTime(fakeTime(s.teamIndex(t)), true)
	return teamBaseInfo{
		TenantID: t.TenantID, TenantName: t.TenantName, IsActive: true, CreateTime: created,
		Creater: s.state.userID, UpdateTime: created, TenantAlias: nullable(t.TenantAlias), EnterpriseID: t.EnterpriseID,
	}
}

func (s *Server) teamIndex(t *Team) int {
	return slices.Index(s.state.teams, t)
}

// createTeam is ListTeamInfo.post: CreateTeamReqSerializer, then a team
// whose display name is the tenant_name given and whose tenant_name is
// generated (team_services.py random_tenant_name), opened in the region
// when one is given.
func (c *call) createTeam() {
	fields, ok := c.charFields([]charField{{name: "tenant_name", max: 24}, {name: "region", max: 24, optional: true}})
	if !ok {
		return
	}
	var region *Region
	if name := fields["region"]; name != nil && *name != "" {
		if region = c.s.state.region(*name); region == nil {
			c.regionNotFound()
			return
		}
	}
	t := &Team{TenantID: c.s.newID(), TenantName: c.s.randomTenantName(), TenantAlias: *fields["tenant_name"], EnterpriseID: c.s.state.enterpriseID}
	if region != nil {
		t.Regions = []string{region.RegionName}
	}
	c.s.state.teams = append(c.s.state.teams, t)
	c.json(http.StatusCreated, c.s.teamBase(t))
}

// randomTenantName is eight characters of [a-z0-9], unused so far.
func (s *Server) randomTenantName() string {
	for {
		id := s.newID()
		name := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'f' {
				return 'g' + (r - 'a') // hex letters spread over the alphabet
			}
			return r
		}, id[:8])
		if s.state.teamByName(name, s.state.enterpriseID) == nil {
			return name
		}
	}
}

func (c *call) regionNotFound() {
	c.message(http.StatusNotFound, 3000, "the region is not found", "集群不存在", nil)
}

// byIDOnly is team_repo.get_team_by_team_id, which the routes below call
// after the base view found team t by id or name: a tenant_name fails it.
// false when an answer has been written.
func (c *call) byIDOnly(t *Team) bool {
	if t.TenantID != c.params[0] {
		c.message(http.StatusNotFound, 2002, "the team is not found", "团队不存在", nil)
		return false
	}
	return true
}

// getTeam is TeamInfo.get.
func (c *call) getTeam() {
	t := c.team()
	if t == nil || !c.byIDOnly(t) {
		return
	}
	created := pyTime(fakeTime(c.s.teamIndex(t)), true)
	c.json(http.StatusOK, teamInfo{
		TenantID: t.TenantID, TenantName: t.TenantName, TenantAlias: nullable(t.TenantAlias),
		EnterpriseID: t.EnterpriseID, IsActive: true, CreateTime: created, Creater: "1",
	})
}

// deleteTeam is TeamInfo.delete: refused while a component of the team
// runs in any region; otherwise its components, apps and the team go,
// answered with 200 and no body.
func (c *call) deleteTeam() {
	t := c.team()
	if t == nil {
		return
	}
	for _, comp := range c.s.state.components {
		if comp.TenantID != t.TenantID {
			continue
		}
		if st := c.s.readState(comp); st != "closed" && st != "undeploy" {
			c.message(http.StatusBadRequest, http.StatusBadRequest, "There are running components under the current application",
				"团队在集群"+comp.ServiceRegion+"下有运行态的组件,请关闭组件后再卸载当前集群", nil)
			return
		}
	}
	for id, comp := range c.s.state.components {
		if comp.TenantID == t.TenantID {
			delete(c.s.state.components, id)
		}
	}
	c.s.state.order = slices.DeleteFunc(c.s.state.order, func(id string) bool { return c.s.state.components[id] == nil })
	for id, a := range c.s.state.apps {
		if a.TenantID == t.TenantID {
			delete(c.s.state.apps, id)
		}
	}
	c.s.state.teams = slices.DeleteFunc(c.s.state.teams, func(other *Team) bool { return other == t })
	c.a.status = http.StatusOK
}

// openRegion is ListRegionsView.post: the region is looked up before the
// team by id; a missing region in the body ends in a 500, as the view
// dereferences None; a region already opened is answered the same way.
func (c *call) openRegion() {
	t := c.team()
	if t == nil {
		return
	}
	fields, ok := c.charFields([]charField{{name: "region", max: 24, optional: true}})
	if !ok {
		return
	}
	name := fields["region"]
	if name == nil || *name == "" {
		if c.byIDOnly(t) {
			c.serverError("AttributeError", "'NoneType' object has no attribute 'region_name'")
		}
		return
	}
	if c.s.state.region(*name) == nil {
		c.regionNotFound()
		return
	}
	if !c.byIDOnly(t) {
		return
	}
	if !t.openedIn(*name) {
		t.Regions = append(t.Regions, *name)
	}
	c.json(http.StatusCreated, c.s.teamBase(t))
}

// teamColumns are the columns of the team row (www/models/main.py Tenants)
// a PUT may name; any other key makes the console's update fail.
var teamColumns = map[string]bool{"tenant_alias": true, "is_active": true, "creater": true, "enterprise_id": true, "limit_memory": true}

// updateTeam is TeamInfo.put: UpdateTeamInfoReqSerializer validates the
// body, then the raw body is written to the row found by tenant_id (by
// tenant_name no row matches, and nothing changes); a key that is not a
// column, the declared "region" included, is a 500. 200 with no body.
func (c *call) updateTeam() {
	t := c.team()
	if t == nil {
		return
	}
	if _, ok := c.charFields([]charField{{name: "tenant_alias", max: 24, optional: true}, {name: "region", max: 24, optional: true}}); !ok {
		return
	}
	var raw map[string]any
	_ = json.Unmarshal(c.body, &raw)
	for key := range raw {
		if !teamColumns[key] {
			c.serverError("FieldDoesNotExist", "Tenants has no field named '"+key+"'")
			return
		}
	}
	if alias, ok := raw["tenant_alias"].(string); ok && t.TenantID == c.params[0] {
		t.TenantAlias = alias // as sent: the validated, trimmed value is not the one written
	}
	c.a.status = http.StatusOK
}

package rainbondtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
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
		Creater: s.state.teamCreator(t), UpdateTime: created, TenantAlias: nullable(t.TenantAlias), EnterpriseID: t.EnterpriseID,
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
	c.s.state.platform.creators[t] = c.user.id
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
		EnterpriseID: t.EnterpriseID, IsActive: true, CreateTime: created, Creater: strconv.Itoa(c.s.state.teamCreator(t)),
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

// updateTeam is TeamInfo.put: UpdateTeamInfoReqSerializer; an
// enterprise_id must name an enterprise and a "creator" (sic: the
// serializer's field is creater) a user, both refused with 400 (the view
// passes 404 as the error's code); then the raw body is written with a
// queryset update on the row of tenant_id (by tenant_name no row matches,
// and nothing changes, though the values are still converted): a key
// that is not a column, the declared "region" and "creator" included, is
// a 500, as is a value its column refuses. 200 with no body.
func (c *call) updateTeam() {
	t := c.team()
	if t == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	charInto(&errs, data, charField{name: "region", max: 24, optional: true})
	drfBool(&errs, data, "is_active", false)
	drfInt(&errs, data, "creater", false, false)
	charInto(&errs, data, charField{name: "tenant_alias", max: 24, optional: true}, charField{name: "enterprise_id", max: 32, optional: true})
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	if v := data["enterprise_id"]; pyTruthy(v) && !c.s.state.enterpriseExists(pyStr(v)) {
		c.validationErrors([]string{"指定企业不存在"})
		return
	}
	if v := data["creator"]; pyTruthy(v) {
		id, ok := lookupInt(v)
		if !ok {
			c.fieldIntError("user_id", pyStr(v))
			return
		}
		if c.s.state.userByID(id) == nil {
			c.validationErrors([]string{"指定用户不存在"})
			return
		}
	}
	apply := []func(){}
	for _, key := range jsonKeys(c.body) {
		f, ok := c.teamColumn(t, key, data[key])
		if !ok {
			return
		}
		if f != nil {
			apply = append(apply, f)
		}
	}
	if t.TenantID == c.params[0] {
		for _, f := range apply {
			f()
		}
	}
	c.empty(http.StatusOK)
}

// teamColumn converts a value for a column of the team row (Tenants,
// www/models/main.py) and returns how to write it; false when the update
// fails (written). Columns the fake does not keep are converted and
// dropped.
func (c *call) teamColumn(t *Team, key string, v any) (func(), bool) {
	intColumn := func() (int64, bool) {
		if v == nil {
			c.serverError("IntegrityError", "(1048, \"Column '"+key+"' cannot be null\")")
			return 0, false
		}
		n, ok := lookupInt(v)
		if !ok {
			c.fieldIntError(key, pyStr(v))
		}
		return n, ok
	}
	switch key {
	case "tenant_alias":
		return func() { t.TenantAlias = deref(nullableText(v)) }, true
	case "is_active":
		_, ok := c.djangoBool(v)
		return nil, ok
	case "creater":
		n, ok := intColumn()
		return func() { c.s.state.platform.creators[t] = int(n) }, ok
	case "limit_memory", "ID":
		_, ok := intColumn()
		return nil, ok
	case "enterprise_id":
		return func() { t.EnterpriseID = deref(nullableText(v)) }, true
	case "tenant_name":
		name := pyStr(v)
		if other := c.s.state.teamByNameAny(name); other != nil && other != t {
			c.serverError("IntegrityError", "(1062, \"Duplicate entry '"+name+"' for key 'tenant_name'\")")
			return nil, false
		}
		return func() { t.TenantName = name }, true
	case "tenant_id", "create_time", "update_time", "namespace", "logo":
		return nil, true
	}
	c.serverError("FieldDoesNotExist", "Tenants has no field named "+pyRepr(key))
	return nil, false
}

// nullableText is a CharField column's value: null stays null, anything
// else is str() of it.
func nullableText(v any) *string {
	if v == nil {
		return nil
	}
	return ptr(pyStr(v))
}

func (st *state) teamByNameAny(name string) *Team {
	for _, t := range st.teams {
		if t.TenantName == name {
			return t
		}
	}
	return nil
}

// jsonKeys are the top-level keys of a JSON object, in their order.
func jsonKeys(body []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

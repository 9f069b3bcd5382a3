package rainbondtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
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
	row := s.state.teamRow(t)
	return teamBaseInfo{
		TenantID: t.TenantID, TenantName: t.TenantName, IsActive: !row.inactive, CreateTime: created, Creater: row.creater,
		LimitMemory: row.limitMemory, UpdateTime: created, TenantAlias: nullable(t.TenantAlias), EnterpriseID: t.EnterpriseID,
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
	c.s.state.teamRow(t).creater = c.user.id
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
	row := c.s.state.teamRow(t)
	c.json(http.StatusOK, teamInfo{
		TenantID: t.TenantID, TenantName: t.TenantName, TenantAlias: nullable(t.TenantAlias),
		EnterpriseID: t.EnterpriseID, IsActive: !row.inactive, CreateTime: created, Creater: strconv.Itoa(row.creater),
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
			c.failed(http.StatusBadRequest, "There are running components under the current application",
				"团队在集群"+comp.ServiceRegion+"下有运行态的组件,请关闭组件后再卸载当前集群")
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
// a 500, as is a value its column refuses. Every column is written:
// is_active and limit_memory change, and a tenant_id changes the team's
// id. 200 with no body.
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
	// QuerySet.update: every key must name a field, then each value is
	// converted for its column, then MySQL writes the row, if one
	// matched, or refuses a value.
	var keys []string
	for _, key := range jsonKeys(c.body) {
		if !slices.Contains(keys, key) {
			keys = append(keys, key)
		}
	}
	for _, key := range keys {
		if !slices.Contains(tenantColumns, key) {
			c.serverError("FieldDoesNotExist", "Tenants has no field named "+pyRepr(key))
			return
		}
	}
	writes := make([]columnWrite, 0, len(keys))
	for _, key := range keys {
		w, ok := c.teamColumn(t, key, data[key])
		if !ok {
			return
		}
		writes = append(writes, w)
	}
	if t.TenantID != c.params[0] {
		c.empty(http.StatusOK) // by tenant_name: no row matches
		return
	}
	for _, w := range writes {
		if w.refused != nil {
			c.dbError(*w.refused)
			return
		}
	}
	for _, w := range writes {
		if w.apply != nil {
			w.apply()
		}
	}
	c.empty(http.StatusOK)
}

// tenantColumns are the Tenants model's fields.
var tenantColumns = []string{"ID", "tenant_id", "tenant_name", "is_active", "create_time", "creater", "limit_memory",
	"update_time", "tenant_alias", "enterprise_id", "namespace", "logo"}

// columnWrite is a converted value for a column: what MySQL makes of
// it, either refused (its error) or applied.
type columnWrite struct {
	refused *mysqlError
	apply   func()
}

func refusedWrite(e mysqlError) columnWrite { return columnWrite{refused: &e} }

// teamColumn converts a value for a column of the team row (Tenants,
// www/models/main.py) as get_db_prep_save does, answering its error
// (false), and says how MySQL takes it. The columns the fake does not
// keep (ID, create_time, update_time, namespace, logo) are dropped, ID
// after its conversion.
func (c *call) teamColumn(t *Team, key string, v any) (columnWrite, bool) {
	row := c.s.state.teamRow(t)
	intColumn := func(set func(int)) (columnWrite, bool) {
		if v == nil {
			return refusedWrite(refusedNull(key)), true
		}
		n, ok := lookupInt(v)
		if !ok {
			c.fieldIntError(key, pyStr(v))
			return columnWrite{}, false
		}
		return columnWrite{apply: func() { set(int(n)) }}, true
	}
	// text is a CharField's value: null, or str() of it.
	text := func(maxLen int, null bool) (string, columnWrite, bool) {
		switch {
		case v == nil && !null:
			return "", refusedWrite(refusedNull(key)), false
		case v != nil && utf8.RuneCountInString(pyStr(v)) > maxLen:
			return "", refusedWrite(tooLong(key)), false
		}
		return pyStr(v), columnWrite{}, true
	}
	switch key {
	case "tenant_alias", "enterprise_id":
		if _, refused, ok := text(map[string]int{"tenant_alias": 64, "enterprise_id": 32}[key], true); !ok {
			return refused, true
		}
		if key == "tenant_alias" {
			return columnWrite{apply: func() { t.TenantAlias = deref(nullableText(v)) }}, true
		}
		return columnWrite{apply: func() { t.EnterpriseID = deref(nullableText(v)) }}, true
	case "is_active":
		active, ok := c.djangoBool(v)
		return columnWrite{apply: func() { row.inactive = !active }}, ok
	case "creater":
		return intColumn(func(n int) { row.creater = n })
	case "limit_memory":
		return intColumn(func(n int) { row.limitMemory = n })
	case "ID":
		return intColumn(func(int) {})
	case "tenant_name", "tenant_id":
		value, refused, ok := text(map[string]int{"tenant_name": 64, "tenant_id": 33}[key], false)
		if !ok {
			return refused, true
		}
		if c.s.state.teamWhere(func(other *Team) bool {
			return other != t && (key == "tenant_name" && other.TenantName == value || key == "tenant_id" && other.TenantID == value)
		}) != nil {
			return refusedWrite(duplicate(key, value)), true
		}
		if key == "tenant_name" {
			return columnWrite{apply: func() { t.TenantName = value }}, true
		}
		// The team's apps and components keep the old id: they are no
		// longer the team's.
		return columnWrite{apply: func() { t.TenantID = value }}, true
	}
	// create_time, update_time, namespace, logo
	return columnWrite{}, true
}

// nullableText is a CharField column's value: null stays null, anything
// else is str() of it.
func nullableText(v any) *string {
	if v == nil {
		return nil
	}
	return ptr(pyStr(v))
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

package rainbondtest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A team's resources in a region: TeamAppsResourceView, TeamOverviewView
// and TeamsResourceView (openapi/views/team_view.py), over
// team_services.py get_tenant_resource and overview, which ask the
// cluster's /v2/resources/tenants.

// teamResource is TeamAppsResourceSerializer's data.
type teamResourceInfo struct {
	TotalCPU             int     `json:"total_cpu"`
	TotalMemory          int     `json:"total_memory"`
	UsedCPU              int     `json:"used_cpu"`
	UsedMemory           int     `json:"used_memory"`
	UsedCPUPercentage    pyFloat `json:"used_cpu_percentage"`
	UsedMemoryPercentage pyFloat `json:"used_memory_percentage"`
	TeamID               string  `json:"team_id"`
	TeamName             string  `json:"team_name"`
	TeamAlias            string  `json:"team_alias"`
}

// tenantResources is the cluster's answer for team t in region r: the
// CPU (millicores) and memory (MiB) its running components request, the
// cluster's allocatable CPU, and the team's memory limit there (the
// cluster's allocatable memory when it has none). False when the cluster
// fails or does not know the team (not opened there). s.mu is held.
func (s *Server) tenantResources(t *Team, r *Region) (cpu, memory, limitCPU, limitMemory int, ok bool) {
	if r == nil || !t.openedIn(r.RegionName) || s.clusterDown(r) {
		return 0, 0, 0, 0, false
	}
	for _, comp := range s.requesting(func(c *component) bool { return c.TenantID == t.TenantID && c.ServiceRegion == r.RegionName }) {
		cpu += comp.MinCPU * comp.MinNode
		memory += comp.MinMemory * comp.MinNode
	}
	capacity := s.row(r).capacity.orDefaults()
	limitCPU, limitMemory = capacity.CPU, s.teamLimit(t, r.RegionName)
	if limitMemory <= 0 {
		limitMemory = capacity.Memory
	}
	return cpu, memory, limitCPU, limitMemory, true
}

// teamLimit is the cluster's memory limit of team t in region: the one
// SetTeamLimit set, else the team's MemoryQuota.
func (s *Server) teamLimit(t *Team, region string) int {
	if n, ok := s.state.platform.teamLimits[[2]string{t.TenantID, region}]; ok {
		return n
	}
	return t.MemoryQuota
}

// teamResourceOf is get_tenant_resource: zeros when the cluster fails.
func (s *Server) teamResourceOf(t *Team, region string) teamResourceInfo {
	info := teamResourceInfo{TeamID: t.TenantID, TeamName: t.TenantName, TeamAlias: t.TenantAlias}
	cpu, memory, limitCPU, limitMemory, ok := s.tenantResources(t, s.state.region(region))
	if !ok {
		return info
	}
	info.UsedCPU, info.UsedMemory, info.TotalCPU, info.TotalMemory = cpu, memory, limitCPU, limitMemory
	if limitCPU != 0 {
		info.UsedCPUPercentage = pyFloat(round2(float64(cpu) / float64(limitCPU) * 100))
	}
	if limitMemory != 0 {
		info.UsedMemoryPercentage = pyFloat(round2(float64(memory) / float64(limitMemory) * 100))
	}
	return info
}

// round2 is Python's round(x, 2): correctly rounded, a tie of the exact
// binary value to even, as strconv rounds.
func round2(x float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return f
}

// problems is the output validation of TeamAppsResourceSerializer: the
// names and alias, trimmed, must be 1 to 64 characters.
func (info teamResourceInfo) problems() map[string][]string {
	out := map[string][]string{}
	for field, v := range map[string]string{"team_id": info.TeamID, "team_name": info.TeamName, "team_alias": info.TeamAlias} {
		switch v = strings.TrimSpace(v); {
		case v == "":
			out[field] = []string{"该字段不能为空。"}
		case utf8.RuneCountInString(v) > 64:
			out[field] = []string{"请确保这个字段不能超过 64 个字符。"}
		}
	}
	return out
}

// teamResource is TeamAppsResourceView.get: the bare resource object; a
// team whose alias is empty (or over 64 characters) fails the answer's
// validation, a 400.
func (c *call) teamResource() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	info := c.s.teamResourceOf(t, region)
	if p := info.problems(); len(p) > 0 {
		c.validationErrors(p)
		return
	}
	c.json(http.StatusOK, info)
}

// teamOverview is TeamOverviewView.get: the resource numbers, the team's
// apps in the region and its components bound to an app there.
func (c *call) teamOverview() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	info := c.s.teamResourceOf(t, region)
	apps, components := 0, 0
	for _, a := range c.s.state.apps {
		if a.TenantID == t.TenantID && a.RegionName == region {
			apps++
		}
	}
	for _, comp := range c.s.state.components {
		if comp.TenantID == t.TenantID && comp.ServiceRegion == region && comp.appID != 0 {
			components++
		}
	}
	c.json(http.StatusOK, struct {
		TotalCPU      int `json:"total_cpu"`
		TotalMemory   int `json:"total_memory"`
		UsedCPU       int `json:"used_cpu"`
		UsedMemory    int `json:"used_memory"`
		AppNums       int `json:"app_nums"`
		ComponentNums int `json:"component_nums"`
	}{info.TotalCPU, info.TotalMemory, info.UsedCPU, info.UsedMemory, apps, components})
}

// teamsResource is TeamsResourceView.post (v5.2.1): a JSON array of
// {tenant_id, region_name} (TenantRegionListSerializer(many=True)); a
// pair whose team (by id only) is not opened in the region, or is of
// another enterprise, is dropped without a word; the others are answered
// in order, validated together (one bad alias: a 400 listing every item).
func (c *call) teamsResource() {
	raw, parseErr := c.rawBody()
	if parseErr != "" {
		c.apiException(http.StatusBadRequest, "ParseError", parseErr)
		return
	}
	items, isList := raw.([]any)
	if !isList {
		c.validationErrors(map[string][]string{"non_field_errors": {fmt.Sprintf("期望为一个包含物件的列表，得到的类型是“%s”。", pyTypeNumber(raw))}})
		return
	}
	type pair struct{ tenantID, region string }
	var pairs []pair
	problems, bad := make([]any, len(items)), false
	for i, item := range items {
		var errs drfErrors
		data, isDict := item.(map[string]any)
		if !isDict {
			notADict(&errs, item)
		} else {
			out := charInto(&errs, data, charField{name: "tenant_id", max: math.MaxInt32}, charField{name: "region_name", max: math.MaxInt32})
			if errs.empty() {
				pairs = append(pairs, pair{*out["tenant_id"], *out["region_name"]})
			}
		}
		problems[i] = errs.fields()
		bad = bad || !errs.empty()
	}
	if bad {
		c.validationErrors(problems)
		return
	}
	answers := []teamResourceInfo{}
	for _, p := range pairs {
		for _, t := range c.s.state.teams {
			if t.TenantID == p.tenantID && t.EnterpriseID == c.user.enterpriseID && t.openedIn(p.region) {
				answers = append(answers, c.s.teamResourceOf(t, p.region))
				break
			}
		}
	}
	problems, bad = make([]any, len(answers)), false
	for i, a := range answers {
		p := a.problems()
		problems[i], bad = p, bad || len(p) > 0
	}
	if bad {
		c.validationErrors(problems)
		return
	}
	c.json(http.StatusOK, answers)
}

// SetTeamLimit sets the memory limit (MiB) the cluster of region holds
// for a team (by tenant_id or tenant_name), as GET …/resource answers it
// in total_memory; 0 or less means none, the cluster's allocatable memory
// being answered instead. Without it the team's MemoryQuota is its limit
// in every region.
func (s *Server) SetTeamLimit(team, region string, memory int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.state.team(team, s.state.enterpriseID)
	if t == nil {
		return fmt.Errorf("rainbondtest: no team %q", team)
	}
	if s.state.region(region) == nil {
		return fmt.Errorf("rainbondtest: no region %q", region)
	}
	s.state.platform.teamLimits[[2]string{t.TenantID, region}] = memory
	return nil
}

package rainbondtest

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The enterprise overviews of openapi/views/enterprise_view.py:
// EnterpriseOverview, ServiceOverview, Performance_overview, the second
// ResourceOverview and ComponentMemoryOverview, over
// console/services/service_overview.py, performance_overview.py,
// global_resource_processing.py and component_memory_processing.py.

// visualMonitor is VisualMonitorSeralizer's data with the console's
// defaults (the URLs come from its environment).
type visualMonitor struct {
	Enable bool `json:"enable"`
	Value  struct {
		HomeURL                string `json:"home_url"`
		ClusterMonitorSuffix   string `json:"cluster_monitor_suffix"`
		NodeMonitorSuffix      string `json:"node_monitor_suffix"`
		ComponentMonitorSuffix string `json:"component_monitor_suffix"`
		SLOMonitorSuffix       string `json:"slo_monitor_suffix"`
	} `json:"value"`
}

// enterpriseOverview is EnterpriseOverview.get (v6.3.3): the nodes and
// pods of the enterprise's clusters (one that fails counts nothing), its
// teams, and the apps and components of every enterprise.
func (c *call) enterpriseOverview() {
	nodes, instances, teams := 0, 0, 0
	for _, r := range c.s.enterpriseRegions(c.user.enterpriseID) {
		if st, ok := c.s.clusterStats(r); ok {
			nodes += st.nodes
			instances += st.pods
		}
	}
	for _, t := range c.s.state.teams {
		if t.EnterpriseID == c.user.enterpriseID {
			teams++
		}
	}
	var vm visualMonitor
	vm.Enable = true
	vm.Value.HomeURL = "https://visualmonitor.goodrain.com"
	vm.Value.ClusterMonitorSuffix = "/d/cluster/ji-qun-jian-kong-ke-shi-hua"
	vm.Value.NodeMonitorSuffix = "/d/node/jie-dian-jian-kong-ke-shi-hua"
	vm.Value.ComponentMonitorSuffix = "/d/component/zu-jian-jian-kong-ke-shi-hua"
	vm.Value.SLOMonitorSuffix = "/d/service/fu-wu-jian-kong-ke-shi-hua"
	c.json(http.StatusOK, struct {
		Teams         int           `json:"teams"`
		Apps          int           `json:"apps"`
		Components    int           `json:"components"`
		Instances     int           `json:"instances"`
		Nodes         int           `json:"nodes"`
		VisualMonitor visualMonitor `json:"visual_monitor"`
	}{teams, len(c.s.state.apps), len(c.s.state.components), instances, nodes, vm})
}

// boundComponents counts the components bound to an app in region, of
// every enterprise (get_service_number).
func (s *Server) boundComponents(region string) int {
	n := 0
	for _, comp := range s.state.components {
		if comp.appID != 0 && comp.ServiceRegion == region {
			n++
		}
	}
	return n
}

// serviceOverview is ServiceOverview.get (v6.3.3): the running and
// abnormal components the cluster of region_name reports for the
// enterprise, and the region's app-bound components less those (it can
// go below 0). Without the region, or with a cluster that fails, the
// service reads a variable it never set: a 500.
func (c *call) serviceOverview() {
	name, present := djangoQuery(c.r.URL.RawQuery).get("region_name")
	r := c.s.state.region(name)
	if !present || r == nil || c.s.clusterDown(r) {
		c.serverError("UnboundLocalError", "cannot access local variable 'data' where it is not associated with a value")
		return
	}
	running, abnormal := 0, 0
	for _, id := range c.s.state.order {
		comp := c.s.state.components[id]
		t := c.s.state.teamByID(comp.TenantID)
		if comp.ServiceRegion != name || t == nil || t.EnterpriseID != c.user.enterpriseID {
			continue
		}
		switch c.s.settle(comp); comp.state {
		case "running":
			running++
		case "abnormal":
			abnormal++
		}
	}
	c.json(http.StatusOK, struct {
		Abnormal int `json:"abnormal_service_num"`
		Closed   int `json:"closed_service_num"`
		Started  int `json:"started_service_num"`
	}{abnormal, c.s.boundComponents(name) - running - abnormal, running})
}

// performanceOverview is Performance_overview.get (v6.3.3): over the
// enterprise's enabled regions (status "1"), the CPU (cores), memory
// (MiB) and disk (GiB) requested, the ready nodes and the app-bound
// components. The serializer's result is ignored: when a sum is not a
// whole number its IntegerField fails and every value is sent as the
// Python value it was, the disk a float once a cluster answered. (The
// notes' "ints when integral, else the raw floats" holds for the answer
// as a whole, not per field: get_initial() sends every field raw.)
func (c *call) performanceOverview() {
	var cpu, disk float64
	memory, nodes, services := 0, 0, 0
	cpuFloat, diskFloat := false, false
	for _, r := range c.s.enterpriseRegions(c.user.enterpriseID) {
		if c.s.row(r).status != "1" {
			continue
		}
		if st, ok := c.s.clusterStats(r); ok {
			cpu += st.reqCPU
			cpuFloat = cpuFloat || st.reqCPUFraction
			memory += int(st.reqMem)
			disk += st.reqDisk
			diskFloat = true
			nodes += st.nodes
		}
		services += c.s.boundComponents(r.RegionName)
	}
	pyNumber := func(v float64, isFloat bool) any {
		if isFloat {
			return pyFloat(v)
		}
		return int(v)
	}
	if cpu != math.Trunc(cpu) || disk != math.Trunc(disk) {
		c.json(http.StatusOK, performance{pyNumber(cpu, cpuFloat), memory, pyNumber(disk, diskFloat), nodes, services})
		return
	}
	c.json(http.StatusOK, performance{int(cpu), memory, int(disk), nodes, services})
}

// performance is PerformanceOverviewSeralizer's fields, in order.
type performance struct {
	CPU      any `json:"cpu_use_sum"`
	Memory   int `json:"memory_use_sum"`
	Disk     any `json:"disk_use_sum"`
	Nodes    int `json:"node_number"`
	Services int `json:"service_number"`
}

// sankeyNode and sankeyLink are the overviews' Sankey data.
type sankeyNode struct {
	ID    string `json:"id"`
	Level int    `json:"level"`
}

type sankeyLink struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Value  int    `json:"value"`
}

type sankey struct {
	Nodes []sankeyNode `json:"nodes"`
	Links []sankeyLink `json:"links"`
}

// dedupNodes is list({n["id"]: n for n in nodes}.values()): the place of
// an id's first node, the value of its last.
func dedupNodes(nodes []sankeyNode) []sankeyNode {
	out := []sankeyNode{}
	at := map[string]int{}
	for _, n := range nodes {
		if i, seen := at[n.ID]; seen {
			out[i] = n
			continue
		}
		at[n.ID] = len(out)
		out = append(out, n)
	}
	return out
}

// teamInRegion is a TenantRegionInfo row: a team opened in a region.
type teamInRegion struct {
	team   *Team
	region *Region
}

// resourceOverview is the second ResourceOverview.get (v6.2.0): the top
// 20 gateway routes by requests over the last hour (from each cluster's
// APISIX metrics), linked to their app, team and region, for the teams
// of the enterprise. The route's host is what the console derives from
// the route's name (the "sum by (route)" keeps no matched_host); a route
// whose component has no app is left out; the region node is the
// region's alias.
func (c *call) resourceOverview() {
	eid := c.user.enterpriseID
	var tenants []teamInRegion
	for _, r := range c.s.enterpriseRegions(eid) {
		for _, t := range c.s.state.teams {
			if t.EnterpriseID == eid && t.openedIn(r.RegionName) {
				tenants = append(tenants, teamInRegion{t, r})
			}
		}
	}
	type host struct {
		name     string
		requests int
		appID    int64
		team     string
		region   string
	}
	var hosts []host
	for _, tr := range tenants {
		if c.s.clusterDown(tr.region) {
			continue
		}
		built := "query=sort_desc(sum(ceil(increase(apisix_http_status%7Broute%3D~%22" + tr.team.TenantName + "_.*%22%7D%5B1h%5D)))%20by%20(route))"
		res := c.s.prometheus(tr.region, built, false)
		if res.status != http.StatusOK {
			continue
		}
		for _, item := range res.body.(promData).Data.Result.([]promVectorItem) {
			route := item.Metric["route"]
			ns, rest, found := strings.Cut(route, "_")
			if route == "" || !found {
				continue
			}
			alias, _, _ := strings.Cut(rest, "-")
			requests := 1
			if f, err := strconv.ParseFloat(item.Value[1].(string), 64); err == nil && int(f) != 0 {
				requests = int(f)
			}
			owner := slices.IndexFunc(tenants, func(o teamInRegion) bool { return o.team.TenantName == ns })
			if owner < 0 {
				continue
			}
			var comp *component
			for _, id := range c.s.state.order {
				if cand := c.s.state.components[id]; cand.ServiceAlias == alias {
					comp = cand
					break
				}
			}
			if comp == nil || comp.appID == 0 {
				continue
			}
			name := item.Metric["matched_host"]
			if name == "" {
				name = routeHost(route)
			}
			hosts = append(hosts, host{name, requests, comp.appID, tenants[owner].team.TenantAlias, tenants[owner].region.RegionAlias})
		}
	}
	slices.SortStableFunc(hosts, func(a, b host) int { return b.requests - a.requests })
	hosts = hosts[:min(len(hosts), 20)]
	var nodes []sankeyNode
	links := []sankeyLink{}
	type pair struct{ a, b string }
	appTeam, teamRegion := map[pair]int{}, map[pair]int{}
	var appTeamOrder, teamRegionOrder []pair
	for _, h := range hosts {
		nodes = append(nodes, sankeyNode{h.name, 0})
		a := c.s.state.apps[h.appID]
		if a == nil || !slices.ContainsFunc(tenants, func(tr teamInRegion) bool { return tr.team.TenantID == a.TenantID }) {
			continue
		}
		appName := a.Name + "(" + strconv.FormatInt(a.ID, 10) + ")"
		nodes = append(nodes, sankeyNode{appName, 1}, sankeyNode{h.team, 2}, sankeyNode{h.region, 3})
		links = append(links, sankeyLink{h.name, appName, h.requests})
		if _, seen := appTeam[pair{appName, h.team}]; !seen {
			appTeamOrder = append(appTeamOrder, pair{appName, h.team})
		}
		appTeam[pair{appName, h.team}] += h.requests
		if _, seen := teamRegion[pair{h.team, h.region}]; !seen {
			teamRegionOrder = append(teamRegionOrder, pair{h.team, h.region})
		}
		teamRegion[pair{h.team, h.region}] += h.requests
	}
	for _, p := range appTeamOrder {
		links = append(links, sankeyLink{p.a, p.b, appTeam[p]})
	}
	for _, p := range teamRegionOrder {
		links = append(links, sankeyLink{p.a, p.b, teamRegion[p]})
	}
	c.json(http.StatusOK, []sankey{{dedupNodes(nodes), links}})
}

// routeHost is host_obtain_handle's guess at a route's host: after the
// namespace, up to a "netp-" (then "net"), a "-p-" (then ".net"), a
// final ".netp" (then ".net"), else "<alias>:<port>".
func routeHost(route string) string {
	rest := route
	if _, after, ok := strings.Cut(route, "_"); ok {
		rest = after
	}
	switch {
	case strings.Contains(rest, "netp-"):
		before, _, _ := strings.Cut(rest, "netp-")
		return before + "net"
	case strings.Contains(rest, "-p-"):
		before, _, _ := strings.Cut(rest, "-p-")
		return before + ".net"
	case strings.HasSuffix(rest, ".netp"):
		return strings.TrimSuffix(rest, ".netp") + ".net"
	}
	if parts := strings.Split(rest, "-"); len(parts) >= 2 {
		return parts[0] + ":" + parts[1]
	}
	return rest
}

// componentMemoryOverview is ComponentMemoryOverview.get (v6.3.3): the
// 30 components with the most memory configured (min_memory), of the
// enterprise's teams in the regions they are opened in, except the ones
// installed from a store (service_source "market": the notes leave this
// out, component_memory_processing.py excludes them), linked to their
// team (by alias) and region.
func (c *call) componentMemoryOverview() {
	type entry struct {
		name, team, region string
		memory             int
	}
	var comps []entry
	for _, t := range c.s.state.teams {
		if t.EnterpriseID != c.user.enterpriseID {
			continue
		}
		for _, region := range t.Regions {
			for _, id := range c.s.state.order {
				comp := c.s.state.components[id]
				if comp.TenantID != t.TenantID || comp.ServiceRegion != region || deref(comp.ServiceSource) == "market" || comp.MinMemory <= 0 {
					continue
				}
				name := comp.ServiceCname
				if name == "" {
					name = comp.ServiceAlias
				}
				comps = append(comps, entry{name, t.TenantAlias, region, comp.MinMemory})
			}
		}
	}
	slices.SortStableFunc(comps, func(a, b entry) int { return b.memory - a.memory })
	comps = comps[:min(len(comps), 30)]
	var nodes []sankeyNode
	links := []sankeyLink{}
	type total struct {
		region string
		memory int
	}
	byTeam := map[string]*total{}
	var teams []string
	for _, e := range comps {
		nodes = append(nodes, sankeyNode{e.name, 0}, sankeyNode{e.team, 1}, sankeyNode{e.region, 2})
		links = append(links, sankeyLink{e.name, e.team, e.memory})
		if byTeam[e.team] == nil {
			byTeam[e.team] = &total{region: e.region}
			teams = append(teams, e.team)
		}
		byTeam[e.team].memory += e.memory
	}
	for _, team := range teams {
		links = append(links, sankeyLink{team, byTeam[team].region, byTeam[team].memory})
	}
	c.json(http.StatusOK, []sankey{{dedupNodes(nodes), links}})
}

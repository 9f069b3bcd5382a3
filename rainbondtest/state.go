package rainbondtest

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// wordOrHyphen is the console's [\w\-]+ (Python's \w admits non-ASCII
// letters and digits).
var wordOrHyphen = regexp.MustCompile(`^[\p{L}\p{N}_\-]+$`)

// state is everything the fake console holds. The server's mutex guards it.
type state struct {
	enterpriseID string
	teams        []*Team
	regions      []*Region
	apps         map[int64]*app
	nextAppID    int64
	components   map[string]*component
	order        []string // component ids, oldest first
	// serviceIDs numbers the components' rows (TenantServiceInfo.ID).
	serviceIDs  rowIDs
	stores      []*Store
	markets     []*Market
	nextGroupID int
	// groups are the component groups: one per install of an app model.
	groups map[int]*componentGroup
	// library is the enterprise's local library of app models.
	library []AppModel
	// denied are the operations the token's user may not do.
	denied map[string]bool
	// events are each component's events, newest first.
	events map[string][]*event
	// failBuilds makes the next build of a component fail, with a message.
	failBuilds map[string]string
	// noEventIDs makes the cluster return no event id for builds.
	noEventIDs bool
	// refusedEnvs are variable names the cluster refuses.
	refusedEnvs map[string]bool
	// httpRules and tcpRules are the gateway's rules (ServiceDomain and
	// ServiceTcpDomain), each table numbering its rows.
	httpRules               []*httpRule
	tcpRules                []*tcpRule
	httpRuleIDs, tcpRuleIDs rowIDs
	// certificates are the teams' certificates (ServiceDomainCertificate),
	// oldest first; nextCertID numbers them.
	certificates []*certRow
	nextCertID   int
	// release is what the canary, app-model, import, storage and third-party
	// routes keep (canary.go, appmodel.go, appimport.go, volumes.go,
	// external.go).
	release releaseState
	// platform is what the user, administrator, region and monitoring
	// routes keep (platform_state.go).
	platform platformState
}

// componentGroup is a component group (TenantServiceGroup): the
// components of one install of an app model, with the version installed
// (group_version), which an upgrade through the OpenAPI does not change.
type componentGroup struct {
	id        int
	appID     int64
	modelID   string
	modelName string
	version   string
	market    *Market // nil: installed from the local library
}

func newState(enterpriseID string) *state {
	return &state{
		enterpriseID: enterpriseID,
		apps:         make(map[int64]*app),
		nextAppID:    1,
		components:   make(map[string]*component),
		nextGroupID:  100,
		groups:       make(map[int]*componentGroup),
		denied:       make(map[string]bool),
		events:       make(map[string][]*event),
		failBuilds:   make(map[string]string),
		refusedEnvs:  make(map[string]bool),
		platform:     newPlatformState(enterpriseID),
	}
}

type app struct {
	App
	createTime string
}

// component is a component as the console stores and serializes it.
type component struct {
	serviceInfo
	// rowID is the row's ID column, which the serializers exclude.
	rowID int
	appID int64
	// state is the state the cluster reports, answered as "status" by
	// component lists; "" when it reports none (null).
	state string
	// deployVersion is the build deployed; nil before the first deploy.
	deployVersion *string
	// startingReads is how many more reads of a just deployed component's
	// state answer "starting" before state.
	startingReads int
	// pending is a state change in progress (see Clock).
	pending *transition
	// repoUser and repoPassword are the stored source credentials.
	repoUser, repoPassword string
	// ports and envs are the component's ports and variables.
	ports []*port
	envs  []*envVar
	// clusterEnvs are the variables as the cluster holds them: the
	// console's loop sends each in turn, and rolls back only its own
	// rows when one fails.
	clusterEnvs map[string]string
}

// readState is the component's running state as a status query sees it.
// s.mu is held.
func (s *Server) readState(c *component) string {
	s.settle(c)
	if c.startingReads > 0 {
		c.startingReads--
		return "starting"
	}
	return c.state
}

func (st *state) region(name string) *Region {
	for _, r := range st.regions {
		if r.RegionName == name {
			return r
		}
	}
	return nil
}

// teamWhere is the first team, oldest first, that match accepts.
func (st *state) teamWhere(match func(*Team) bool) *Team {
	if i := slices.IndexFunc(st.teams, match); i >= 0 {
		return st.teams[i]
	}
	return nil
}

// team finds a team of the enterprise by tenant_id, falling back to
// tenant_name, as the console's team views do.
func (st *state) team(idOrName, enterpriseID string) *Team {
	if t := st.teamWhere(func(t *Team) bool { return t.TenantID == idOrName && t.EnterpriseID == enterpriseID }); t != nil {
		return t
	}
	return st.teamByName(idOrName, enterpriseID)
}

func (st *state) teamByName(name, enterpriseID string) *Team {
	return st.teamWhere(func(t *Team) bool { return t.TenantName == name && t.EnterpriseID == enterpriseID })
}

// teamByID is the team of tenant_id id, of any enterprise.
func (st *state) teamByID(id string) *Team {
	return st.teamWhere(func(t *Team) bool { return t.TenantID == id })
}

func (st *state) addApp(a App) *app {
	a.ID = st.nextAppID
	st.nextAppID++
	if a.K8sApp == "" {
		a.K8sApp = "app-" + strconv.FormatInt(a.ID, 10)
	}
	stored := &app{App: a, createTime: fakeTime(int(a.ID))}
	st.apps[a.ID] = stored
	return stored
}

// appIn finds an app of a team in a region, as group_service.get_app_by_id.
func (st *state) appIn(t *Team, region string, id int64) *app {
	a := st.apps[id]
	if a == nil || a.TenantID != t.TenantID || a.RegionName != region {
		return nil
	}
	return a
}

// appNamed finds an app of a team in a region by name.
func (st *state) appNamed(tenantID, region, name string) *app {
	for _, a := range st.apps {
		if a.TenantID == tenantID && a.RegionName == region && a.Name == name {
			return a
		}
	}
	return nil
}

// appWithK8sName finds an app of a team in a region by its cluster name.
func (st *state) appWithK8sName(tenantID, region, k8sApp string) *app {
	for _, a := range st.apps {
		if a.TenantID == tenantID && a.RegionName == region && a.K8sApp == k8sApp {
			return a
		}
	}
	return nil
}

func (st *state) appList() []*app {
	out := make([]*app, 0, len(st.apps))
	for _, a := range st.apps {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *app) int { return int(a.ID - b.ID) })
	return out
}

func (st *state) componentsOf(appID int64) []*component {
	var out []*component
	for _, id := range st.order {
		if c := st.components[id]; c.appID == appID {
			out = append(out, c)
		}
	}
	return out
}

func (st *state) addComponent(c *component) {
	c.rowID = st.serviceIDs.next()
	st.components[c.ServiceID] = c
	st.order = append(st.order, c.ServiceID)
}

// uniqueK8sName returns name, or name-alias when another component of the
// team already uses name, as the console does for copies.
func (st *state) uniqueK8sName(tenantID, name, alias string) string {
	for _, c := range st.components {
		if c.TenantID == tenantID && c.K8sComponentName == name {
			return name + "-" + alias
		}
	}
	return name
}

func (st *state) store(domain, url string) *Store {
	for _, s := range st.stores {
		if s.Domain == domain && strings.TrimRight(s.URL, "/") == strings.TrimRight(url, "/") {
			return s
		}
	}
	return nil
}

func (st *state) market(domain, url string) *Market {
	for _, m := range st.markets {
		if m.Domain == domain && m.URL == url {
			return m
		}
	}
	return nil
}

func (t *Team) openedIn(region string) bool {
	return slices.Contains(t.Regions, region)
}

// overQuota reports whether deploying memory more MiB would take team t
// past its memory quota, counting what already runs.
func (s *Server) overQuota(t *Team, memory int) bool {
	if t.MemoryQuota <= 0 {
		return false
	}
	used := 0
	for _, c := range s.state.components {
		if s.settle(c); c.TenantID == t.TenantID && c.state != "undeploy" && c.state != "closed" {
			used += c.MinNode * c.MinMemory
		}
	}
	return used+memory > t.MemoryQuota
}

// fakeTime is a stable timestamp for the n-th record, as DRF writes a
// naive datetime: ISO 8601 without a zone.
func fakeTime(n int) string {
	return "2026-11-01T08:" + twoDigits(n/60%60) + ":" + twoDigits(n%60) + ".123456"
}

// pyTime is the same time as Python's str() and the models' to_dict()
// print it: a space instead of the T; to_dict drops the fraction.
func pyTime(iso string, fraction bool) string {
	s := strings.Replace(iso, "T", " ", 1)
	if !fraction {
		s, _, _ = strings.Cut(s, ".")
	}
	return s
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}

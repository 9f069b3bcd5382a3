package rainbondtest

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
)

// Team is a team (the console's "tenant").
type Team struct {
	// TenantID is the team's 32-character id; generated when empty.
	TenantID string `json:"tenant_id,omitempty"`
	// TenantName is the team's name in URLs and copy targets (e.g.
	// "o19p6wen"); generated when empty.
	TenantName string `json:"tenant_name,omitempty"`
	// TenantAlias is the team's display name.
	TenantAlias string `json:"tenant_alias,omitempty"`
	// Regions are the names of the regions the team is opened in.
	Regions []string `json:"regions,omitempty"`
	// EnterpriseID is the team's enterprise; empty means the server's. A
	// team of another enterprise is invisible to the server's token, as on
	// a real console.
	EnterpriseID string `json:"enterprise_id,omitempty"`
	// MemoryQuota, when above 0, is the memory in MiB the team's deployed
	// components may use. A deploy past it is refused as the console
	// refuses it: a copy answers 412 code 10413 after creating the copies,
	// an install with deploy 400 "install app failure".
	MemoryQuota int `json:"memory_quota,omitempty"`
}

// Region is a region (cluster) of the enterprise.
type Region struct {
	// RegionName is the region's name in URLs, e.g. "rainbond".
	RegionName string `json:"region_name,omitempty"`
	// RegionAlias is the region's display name.
	RegionAlias string `json:"region_alias,omitempty"`
	// RegionID is the region's id; generated when empty.
	RegionID string `json:"region_id,omitempty"`
	// Desc is the region's description. Over 128 characters, or an alias
	// or name over 32, makes GET /regions answer 400, as the console does.
	Desc string `json:"desc,omitempty"`
}

// App is an app (the console's "group") in a team and region.
type App struct {
	// ID is the app's id; assigned by the server.
	ID int64 `json:"id,omitempty"`
	// TenantID is the tenant_id of the app's team.
	TenantID string `json:"tenant_id,omitempty"`
	// RegionName is the region the app lives in.
	RegionName string `json:"region_name,omitempty"`
	// Name is the app's name.
	Name string `json:"name,omitempty"`
	// Note is the app's note; "" is sent as null.
	Note string `json:"note,omitempty"`
	// K8sApp is the app's name in the cluster; generated when empty.
	K8sApp string `json:"k8s_app,omitempty"`
}

// Store is an app store (market) the console can install from. Installs
// name it by Domain and URL.
type Store struct {
	// Domain is the store's domain, e.g. "rainbond".
	Domain string `json:"domain,omitempty"`
	// URL is the store's address, e.g. "https://store.goodrain.com".
	URL string `json:"url,omitempty"`
	// AccessKey, when not empty, is the key the store requires. An install
	// through a market record holding another key is refused with 401 code
	// 10421, as the console does when a store answers 401.
	AccessKey string `json:"access_key,omitempty"`
	// Models are the app models the store holds.
	Models []AppModel `json:"models,omitempty"`
}

// AppModel is an app in a store.
type AppModel struct {
	// ID is the app model's id, as given to an install.
	ID string `json:"id,omitempty"`
	// Name is the app model's name.
	Name string `json:"name,omitempty"`
	// Restricted makes the store answer 403 for this model (code 10407).
	Restricted bool `json:"restricted,omitempty"`
	// Versions are the model's versions.
	Versions []AppModelVersion `json:"versions,omitempty"`
}

// AppModelVersion is one version of an app model.
type AppModelVersion struct {
	// Version is the version string, as given to an install.
	Version string `json:"version,omitempty"`
	// Components are the components an install of this version creates.
	Components []ComponentTemplate `json:"components,omitempty"`
}

// memory is what deploying every component of v takes, in MiB.
func (v *AppModelVersion) memory() int {
	total := 0
	for _, c := range v.Components {
		total += max(c.MinNode, 1) * cmp.Or(c.MinMemory, 512)
	}
	return total
}

// ComponentTemplate describes a component of an app model version.
type ComponentTemplate struct {
	// Cname is the component's display name, e.g. "mysql".
	Cname string `json:"cname,omitempty"`
	// Image is the container image, e.g. "goodrain.me/mysql:8.0".
	Image string `json:"image,omitempty"`
	// Version is the component's version (the image tag).
	Version string `json:"version,omitempty"`
	// ExtendMethod is the deployment type; empty means stateless_multiple.
	ExtendMethod string `json:"extend_method,omitempty"`
	// MinNode is the number of instances; 0 means 1.
	MinNode int `json:"min_node,omitempty"`
	// MinCPU is the CPU in millicores; 0 means 500.
	MinCPU int `json:"min_cpu,omitempty"`
	// MinMemory is the memory in MiB; 0 means 512.
	MinMemory int `json:"min_memory,omitempty"`
	// Port, when not 0, is a port the component listens on, open to the
	// app's other components.
	Port int `json:"port,omitempty"`
	// Protocol is the port's protocol: http (the default), tcp, udp,
	// mysql or grpc.
	Protocol string `json:"protocol,omitempty"`
	// Outer also opens Port to the outside (is_outer_service), as a
	// template exported with its gateway port open does. A canary needs
	// it on the new component.
	Outer bool `json:"outer,omitempty"`
}

// Market is a market record of the enterprise, created by the first
// install that names a store's domain and URL (the console ignores the
// type and key of later installs through the same record).
type Market struct {
	// Name is the record's generated name.
	Name string
	// Domain and URL name the store.
	Domain, URL string
	// Type is the market type the creating install sent.
	Type string
	// AccessKey is the key the creating install sent; nil for null.
	AccessKey *string
}

// Seed names what a new server holds unless [WithoutSeed] is given. Its
// values are the same on every server.
type Seed struct {
	// EnterpriseID is the enterprise of the server's token.
	EnterpriseID string
	// Region and OtherRegion are the enterprise's regions. Both teams are
	// opened in Region; only TeamA in OtherRegion.
	Region, OtherRegion Region
	// TeamA and TeamB are two teams of the enterprise.
	TeamA, TeamB Team
	// AppA is an empty app of TeamA in Region; AppB one of TeamB in Region.
	AppA, AppB App
	// Store is a public app store, already known to the enterprise as a
	// market record.
	Store Store
	// WordPress is an app model of Store with versions "6.4" (wordpress
	// and mysql) and "6.5" (wordpress, mysql and redis).
	WordPress AppModel
	// Redis is an app model of Store with version "7.2" (one component).
	Redis AppModel
}

// seed fills a new server's state.
func (s *Server) seed() {
	s.seedData = Seed{
		Region:      Region{RegionName: "rainbond", RegionAlias: "默认集群"},
		OtherRegion: Region{RegionName: "region-b", RegionAlias: "Second cluster"},
	}
	sd := &s.seedData
	sd.Region = s.mustAddRegion(sd.Region)
	sd.OtherRegion = s.mustAddRegion(sd.OtherRegion)
	sd.TeamA = s.mustAddTeam(Team{TenantName: "o19p6wen", TenantAlias: "Team A", Regions: []string{"rainbond", "region-b"}})
	sd.TeamB = s.mustAddTeam(Team{TenantName: "k2m8x4qa", TenantAlias: "Team B", Regions: []string{"rainbond"}})
	sd.AppA = s.mustAddApp(App{TenantID: sd.TeamA.TenantID, RegionName: "rainbond", Name: "blog"})
	sd.AppB = s.mustAddApp(App{TenantID: sd.TeamB.TenantID, RegionName: "rainbond", Name: "blog-staging"})
	sd.WordPress = AppModel{
		ID: s.newID(), Name: "wordpress",
		Versions: []AppModelVersion{{
			Version: "6.4",
			Components: []ComponentTemplate{
				{Cname: "wordpress", Image: "goodrain.me/wordpress:6.4-php8.2", Version: "6.4-php8.2", MinNode: 2, MinCPU: 500, MinMemory: 512, Port: 80},
				{Cname: "mysql", Image: "goodrain.me/mysql:8.0", Version: "8.0", ExtendMethod: "state_singleton", MinCPU: 1000, MinMemory: 1024, Port: 3306, Protocol: "mysql"},
			},
		}, {
			Version: "6.5",
			Components: []ComponentTemplate{
				{Cname: "wordpress", Image: "goodrain.me/wordpress:6.5-php8.3", Version: "6.5-php8.3", MinNode: 2, MinCPU: 500, MinMemory: 512, Port: 80},
				{Cname: "mysql", Image: "goodrain.me/mysql:8.4", Version: "8.4", ExtendMethod: "state_singleton", MinCPU: 1000, MinMemory: 1024, Port: 3306, Protocol: "mysql"},
			},
		}},
	}
	sd.Redis = AppModel{
		ID: s.newID(), Name: "redis",
		Versions: []AppModelVersion{{Version: "7.2", Components: []ComponentTemplate{
			{Cname: "redis", Image: "goodrain.me/redis:7.2", Version: "7.2", MinMemory: 256, Port: 6379, Protocol: "tcp"},
		}}},
	}
	sd.Store = Store{Domain: "rainbond", URL: "https://store.goodrain.com", Models: []AppModel{sd.WordPress, sd.Redis}}
	s.mustAddStore(sd.Store)
	s.state.markets = append(s.state.markets, &Market{Name: "RainbondMarket", Domain: sd.Store.Domain, URL: sd.Store.URL, Type: "rainstore"})
}

// Seed returns the fixtures a new server is seeded with.
func (s *Server) Seed() Seed { return s.seedData }

// AddRegion adds a region to the enterprise and returns it with its
// generated fields filled in.
func (s *Server) AddRegion(r Region) (Region, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !validName(r.RegionName) {
		return Region{}, fmt.Errorf("rainbondtest: region name %q: need letters, digits, '_' or '-'", r.RegionName)
	}
	if s.state.region(r.RegionName) != nil {
		return Region{}, fmt.Errorf("rainbondtest: region %q exists", r.RegionName)
	}
	if r.RegionID == "" {
		r.RegionID = s.newID()
	}
	if r.RegionAlias == "" {
		r.RegionAlias = r.RegionName
	}
	s.state.regions = append(s.state.regions, &r)
	return r, nil
}

// AddTeam adds a team and returns it with its generated fields filled in.
// Its regions must exist.
func (s *Server) AddTeam(t Team) (Team, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.TenantID == "" {
		t.TenantID = s.newID()
	}
	if t.TenantName == "" {
		t.TenantName = s.newID()[:8]
	}
	if t.TenantAlias == "" {
		t.TenantAlias = t.TenantName
	}
	if t.EnterpriseID == "" {
		t.EnterpriseID = s.state.enterpriseID
	}
	if !validName(t.TenantID) || !validName(t.TenantName) {
		return Team{}, fmt.Errorf("rainbondtest: team %q/%q: need letters, digits, '_' or '-'", t.TenantID, t.TenantName)
	}
	for _, other := range s.state.teams {
		if other.TenantID == t.TenantID || other.TenantName == t.TenantName {
			return Team{}, fmt.Errorf("rainbondtest: team %q exists", t.TenantName)
		}
	}
	for _, name := range t.Regions {
		if s.state.region(name) == nil {
			return Team{}, fmt.Errorf("rainbondtest: team %q: no region %q", t.TenantName, name)
		}
	}
	t.Regions = append([]string(nil), t.Regions...)
	s.state.teams = append(s.state.teams, &t)
	return t, nil
}

// AddApp creates an app in a team (by tenant_id or tenant_name) and region
// and returns it with its ID.
func (s *Server) AddApp(a App) (App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.state.team(a.TenantID, s.state.enterpriseID)
	if t == nil {
		return App{}, fmt.Errorf("rainbondtest: no team %q", a.TenantID)
	}
	if s.state.region(a.RegionName) == nil {
		return App{}, fmt.Errorf("rainbondtest: no region %q", a.RegionName)
	}
	a.TenantID = t.TenantID
	if a.Name == "" {
		a.Name = "app-" + strconv.FormatInt(s.state.nextAppID, 10)
	}
	return s.state.addApp(a).App, nil
}

// AddStore adds an app store to the catalog installs can reach. A store
// the enterprise has no market record for gets one on the first install
// that names it.
func (s *Server) AddStore(st Store) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.Domain == "" || st.URL == "" {
		return fmt.Errorf("rainbondtest: a store needs a domain and a URL")
	}
	if s.state.store(st.Domain, st.URL) != nil {
		return fmt.Errorf("rainbondtest: store %s %s exists", st.Domain, st.URL)
	}
	s.state.stores = append(s.state.stores, &st)
	return nil
}

// Markets returns the enterprise's market records.
func (s *Server) Markets() []Market {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Market, len(s.state.markets))
	for i, m := range s.state.markets {
		out[i] = *m
	}
	return out
}

// Apps returns the apps of every team.
func (s *Server) Apps() []App {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]App, 0, len(s.state.apps))
	for _, a := range s.state.appList() {
		out = append(out, a.App)
	}
	return out
}

// Component is a component as the server holds it.
type Component struct {
	// ServiceID is the component's id.
	ServiceID string
	// AppID is the app the component belongs to.
	AppID int64
	// TenantID is the component's team.
	TenantID string
	// Cname is the display name.
	Cname string
	// Alias is the generated alias ("gr" and 6 hex digits).
	Alias string
	// K8sComponentName is the name in the cluster.
	K8sComponentName string
	// Version is the version (image tag or code version).
	Version string
	// Image is the image.
	Image string
	// Status is the running state: "undeploy" until deployed, "running"
	// after.
	Status string
	// GroupID is the component group (tenant_service_group_id).
	GroupID int
}

// Components returns the components of app appID, oldest first; 0
// gives those in no app (a third-party component whose creation failed).
func (s *Server) Components(appID int64) []Component {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Component
	for _, c := range s.state.componentsOf(appID) {
		s.settle(c)
		out = append(out, Component{
			ServiceID: c.ServiceID, AppID: c.appID, TenantID: c.TenantID, Cname: c.ServiceCname,
			Alias: c.ServiceAlias, K8sComponentName: c.K8sComponentName, Version: c.Version,
			Image: c.Image, Status: c.state, GroupID: c.TenantServiceGroupID,
		})
	}
	return out
}

// SetComponentStatus sets the state the cluster reports for a component,
// e.g. "running", "abnormal" or "closed", for tests of code that waits on
// it; "" makes the cluster not report it (the console then sends null).
func (s *Server) SetComponentStatus(serviceID, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.state.components[serviceID]
	if c == nil {
		return fmt.Errorf("rainbondtest: no component %q", serviceID)
	}
	c.state, c.pending, c.startingReads = status, nil, 0
	return nil
}

func (s *Server) mustAddRegion(r Region) Region {
	r, err := s.AddRegion(r)
	must(err)
	return r
}

func (s *Server) mustAddTeam(t Team) Team {
	t, err := s.AddTeam(t)
	must(err)
	return t
}

func (s *Server) mustAddApp(a App) App {
	a, err := s.AddApp(a)
	must(err)
	return a
}

func (s *Server) mustAddStore(st Store) {
	must(s.AddStore(st))
}

// must stops on a seed that contradicts itself, which is a bug in this
// package, never a user's input.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

// newID returns the next 32-character hex id. Ids are derived from a
// counter, so a fresh server hands out the same ids in the same order.
func (s *Server) newID() string {
	s.idCounter++
	sum := sha256.Sum256([]byte("rainbondtest/" + strconv.Itoa(s.idCounter)))
	return hex.EncodeToString(sum[:16])
}

// validName is the console's URL rule for team and region names.
func validName(s string) bool {
	return s != "" && wordOrHyphen.MatchString(s)
}

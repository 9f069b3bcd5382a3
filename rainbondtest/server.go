// Package rainbondtest is an in-process stand-in for a Rainbond console's
// OpenAPI, the way net/http/httptest stands in for a server: start one in a
// test (or in a demo's main), point a rainbond.Client at its URL with its
// Token, and it answers as the console does, error bodies included.
//
// It holds its state in memory and is safe for concurrent requests. A new
// server is seeded with an enterprise, two teams, two regions, an app per
// team and an app store with two app models (see [Seed]); Add* functions add
// more. For tests of retry and error handling, [Server.InjectFaults] makes the
// next requests fail in chosen ways, and [Server.Requests] returns what was
// received.
//
// What it serves, read from the console's source: install from a store,
// copy components, and the calls around them (teams, regions, apps, an app's
// components, copyable components), with the console's auth, path lookups
// and error shapes, its quirks included (is_deploy=false deploys; a copy body
// is not validated and a bad one is a 500 with a traceback). And the app's
// life after: upgrades from the store (versions in no order, the silent
// no-op for a model the app lacks, the 400 for a local-library model),
// operations (the empty-means-all rule, the per-action 403), team creation
// and region opening; components' builds with their events and logs,
// images, variables, ports, scaling, gateway rules and the team's
// certificates. Components change state over time on a [Clock] the test
// may own, and [WithConsoleVersion] answers as an older console.
// [WithSeedFile] replaces the default fixtures with a JSON file's, and
// [WithListener] serves on a chosen address: the rainbond command's
// fake-console is this server.
//
// The platform routes too: users ([Server.AddUser] adds some, each with
// a token of its own) and their passwords, enterprise administrators,
// regions with their connection records and clusters (whose resources
// and reachability a test may set), team resources, the clusters'
// Prometheus (a small store of series on the server's clock, listed at
// [Server.EnablePerformanceAnalysis]) with the console's overviews, and the console's /console/config/info. As on
// the console, only GET and POST /regions ask for an administrator.
package rainbondtest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultToken is the token of a server made without [WithToken].
const DefaultToken = "rbd-test-token-0b6f2c8e4d1a4f7e9c3b5a7d9e1f3a5c"

// Server is a fake console listening on loopback.
type Server struct {
	// URL is the console's address, e.g. "http://127.0.0.1:41234", to pass
	// to rainbond.NewClient.
	URL string
	// Token is a valid API token of the enterprise's user.
	Token string

	srv      *httptest.Server
	mu       sync.Mutex // guards everything below
	state    *state
	seedData Seed
	requests []Request
	faults   []*pendingFault
	// idCounter feeds newID.
	idCounter int
	// startupReads is WithStartupReads's n.
	startupReads int
	// clock and transition are WithClock's and WithTransitionTime's.
	clock      *Clock
	transition time.Duration
	// version is WithConsoleVersion's, parsed; nil for the newest.
	version []int
	// createLatency is WithAppCreateLatency's d.
	createLatency time.Duration
}

// Option configures a [Server].
type Option func(*options)

type options struct {
	token         string
	noSeed        bool
	tls           bool
	startupReads  int
	clock         *Clock
	transition    time.Duration
	version       string
	seedFile      *SeedFile
	listener      net.Listener
	createLatency time.Duration
}

// WithToken sets the token the server accepts instead of [DefaultToken].
func WithToken(token string) Option {
	return func(o *options) { o.token = token }
}

// WithoutSeed starts the server with an enterprise and nothing else: add
// regions, teams, apps and stores yourself.
func WithoutSeed() Option {
	return func(o *options) { o.noSeed = true }
}

// WithStartupReads makes a deployed component report "starting" to the
// first n reads of its state (component lists, app status) and "running"
// after, so that code waiting for components has something to wait for.
// The default is 0: deployed components run at once.
func WithStartupReads(n int) Option {
	return func(o *options) { o.startupReads = max(n, 0) }
}

// WithAppCreateLatency makes creating an app take d between the
// console's check that the name is free and the moment the new app is
// seen by others, as the console's create_app does: it checks, inserts,
// then calls the cluster, all in one database transaction, and the name
// has no unique constraint. Two creations of one name whose windows
// overlap then both succeed, as they do on a real console; other requests
// are served meanwhile. The default, 0, leaves no window.
func WithAppCreateLatency(d time.Duration) Option {
	return func(o *options) { o.createLatency = max(d, 0) }
}

// WithTLS serves over HTTPS with a self-signed certificate; use
// [Server.Client] to get an *http.Client that trusts it.
func WithTLS() Option {
	return func(o *options) { o.tls = true }
}

// NewServer starts a fake console. Call Close when done. It panics on a
// seed file that contradicts itself; [StartServer] returns the error.
func NewServer(opts ...Option) *Server {
	s, err := StartServer(opts...)
	must(err)
	return s
}

// StartServer starts a fake console, or says why its seed file cannot be
// loaded. Call Close when done.
func StartServer(opts ...Option) (*Server, error) {
	o := options{token: DefaultToken}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	s := &Server{Token: o.token, startupReads: o.startupReads, clock: o.clock, transition: o.transition, version: parseVersion(o.version), createLatency: o.createLatency}
	s.state = newState(s.newID())
	s.seedData.EnterpriseID = s.state.enterpriseID
	switch {
	case o.seedFile != nil:
		if err := s.applySeedFile(o.seedFile); err != nil {
			return nil, err
		}
	case !o.noSeed:
		s.seed()
		s.seedData.EnterpriseID = s.state.enterpriseID
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if o.listener != nil {
		_ = s.srv.Listener.Close()
		s.srv.Listener = o.listener
	}
	if o.tls {
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	s.URL = s.srv.URL
	return s, nil
}

// Close shuts the server down, ending connections in flight.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Client returns an *http.Client that trusts the server's certificate
// (with [WithTLS]); pass it to rainbond.WithHTTPClient.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Request is a request the server received.
type Request struct {
	// Method and Path (unescaped) of the request; RawQuery its query.
	Method, Path, RawQuery string
	// Header holds the request's headers, as sent.
	Header http.Header
	// Body is the request body.
	Body []byte
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// maxRequestBody bounds what the server reads of a request.
const maxRequestBody = 8 << 20

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	fault := s.takeFault(r)
	s.mu.Unlock()

	if fault != nil && !fault.AfterHandling {
		fault.apply(w, r, nil)
		return
	}
	rec := &recorded{header: http.Header{}}
	s.mu.Lock()
	s.route(rec, r, body)
	s.mu.Unlock()
	if fault != nil {
		fault.apply(w, r, rec)
		return
	}
	rec.writeTo(w)
}

// recorded is an answer built under the lock and written after it, so that
// a slow client never holds the state.
type recorded struct {
	status int
	header http.Header
	body   []byte
}

func (a *recorded) writeTo(w http.ResponseWriter) {
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// route is the console's URL table (openapi/urls.py and its sub_urls).
// Django answers an unknown path, a trailing slash included, with its own
// HTML page.
func (s *Server) route(a *recorded, r *http.Request, body []byte) {
	for _, rt := range routes {
		m := rt.pattern.FindStringSubmatch(r.URL.Path)
		if m == nil || !s.has(rt.since) {
			continue
		}
		c := &call{s: s, a: a, r: r, body: body, params: m[1:]}
		if !rt.public && !(c.authenticate() && c.permitted(rt.perms) && c.inEnterprise()) {
			return
		}
		h, ok := rt.methods[r.Method]
		if !ok || !s.has(rt.methodSince[r.Method]) {
			c.methodNotAllowed()
			return
		}
		h(c)
		return
	}
	a.status = http.StatusNotFound
	a.header.Set("Content-Type", "text/html")
	a.body = []byte("<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n")
}

// route is a URL pattern of the console, with the release that added it
// and, for methods added later, theirs (by the first release tag holding
// each, from the console's git history).
type route struct {
	pattern     *regexp.Regexp
	methods     map[string]func(*call)
	since       string
	methodSince map[string]string
	// public routes take no token: the upload the console proxies to
	// the cluster, the console's own config.
	public bool
	// perms is the view's view_perms: "regions" admits enterprise
	// administrators only; "" every user.
	perms string
}

const (
	teamPart      = `/openapi/v1/teams/([\p{L}\p{N}_\-]+)`
	regionPart    = teamPart + `/regions/([\p{L}\p{N}_\-]+)`
	appPart       = regionPart + `/apps/([\d\-]+)`
	componentPart = appPart + `/services/([\w\-]+)`
	// userPart is a user id or name in a path ([\w\-]+).
	userPart = `([\p{L}\p{N}_\-]+)`
)

var routes = []route{
	{pattern: regexp.MustCompile(`^/openapi/v1/regions$`), methods: map[string]func(*call){"GET": (*call).listRegions, "POST": (*call).createRegion},
		methodSince: map[string]string{"POST": "v5.1.6"}, perms: "regions"},
	// teams/resource precedes the team route: "resource" is never a team.
	{pattern: regexp.MustCompile(`^/openapi/v1/teams/resource$`), methods: map[string]func(*call){"POST": (*call).teamsResource}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^/openapi/v1/teams$`), methods: map[string]func(*call){"GET": (*call).listTeams, "POST": (*call).createTeam},
		methodSince: map[string]string{"POST": "v5.1.6"}},
	{pattern: regexp.MustCompile(`^` + teamPart + `$`), methods: map[string]func(*call){"GET": (*call).getTeam, "PUT": (*call).updateTeam, "DELETE": (*call).deleteTeam}, since: "v5.1.6"},
	{pattern: regexp.MustCompile(`^` + teamPart + `/regions$`), methods: map[string]func(*call){"GET": (*call).listTeamRegions, "POST": (*call).openRegion},
		methodSince: map[string]string{"POST": "v5.1.8"}},
	{pattern: regexp.MustCompile(`^` + regionPart + `/apps$`), methods: map[string]func(*call){"GET": (*call).listApps, "POST": (*call).createApp}},
	{pattern: regexp.MustCompile(`^` + appPart + `$`), methods: map[string]func(*call){"GET": (*call).getApp, "DELETE": (*call).deleteApp}},
	{pattern: regexp.MustCompile(`^` + appPart + `/install$`), methods: map[string]func(*call){"POST": (*call).install}},
	{pattern: regexp.MustCompile(`^` + appPart + `/upgrade$`), methods: map[string]func(*call){"GET": (*call).listUpgrades, "POST": (*call).upgrade}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + appPart + `/operations$`), methods: map[string]func(*call){"POST": (*call).operate}, since: "v5.1.10"},
	{pattern: regexp.MustCompile(`^` + appPart + `/copy$`), methods: map[string]func(*call){"GET": (*call).listCopyable, "POST": (*call).copy}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + appPart + `/services$`), methods: map[string]func(*call){"GET": (*call).listComponents, "POST": (*call).createFromImage},
		since: "v5.2.1", methodSince: map[string]string{"POST": "v5.11.2"}},
	{pattern: regexp.MustCompile(`^` + componentPart + `$`), methods: map[string]func(*call){"GET": (*call).getComponent, "DELETE": (*call).deleteComponent}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/build$`), methods: map[string]func(*call){"POST": (*call).build}, since: "v5.4.0"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/docker-image-change$`), methods: map[string]func(*call){"PUT": (*call).changeImage}, since: "v5.17.1"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/events$`), methods: map[string]func(*call){"GET": (*call).listEvents}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/envs$`), methods: map[string]func(*call){"PUT": (*call).updateEnvs}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/ports$`), methods: map[string]func(*call){"GET": (*call).listPorts, "POST": (*call).addPort}, since: "v5.17.0"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/ports/([\w\-]+)$`), methods: map[string]func(*call){"PUT": (*call).updatePort, "DELETE": (*call).deletePort}, since: "v5.17.0"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/telescopic/vertical$`), methods: map[string]func(*call){"POST": (*call).scaleVertical}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + componentPart + `/telescopic/horizontal$`), methods: map[string]func(*call){"POST": (*call).scaleHorizontal}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/events/([\w\-]+)/logs`), methods: map[string]func(*call){"GET": (*call).eventLogs}, since: "v5.4.0"},
	{pattern: regexp.MustCompile(`^` + appPart + `/httpdomains$`), methods: map[string]func(*call){"GET": (*call).listHTTPRules, "POST": (*call).createHTTPRule}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + appPart + `/httpdomains/([\w\-]+)$`), methods: map[string]func(*call){"GET": (*call).getHTTPRule, "PUT": (*call).updateHTTPRule, "DELETE": (*call).deleteHTTPRule}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + appPart + `/domains$`), methods: map[string]func(*call){"GET": (*call).listRules, "POST": (*call).createRule}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + appPart + `/domains/([\w\-]+)$`), methods: map[string]func(*call){"PUT": (*call).updateHTTPRule, "DELETE": (*call).deleteHTTPRule}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + teamPart + `/certificates$`), methods: map[string]func(*call){"GET": (*call).listCertificates, "POST": (*call).createCertificate}, since: "v5.2.0"},
	{pattern: regexp.MustCompile(`^` + teamPart + `/certificates/([\d\-]+)$`), methods: map[string]func(*call){"GET": (*call).getCertificate, "PUT": (*call).updateCertificate, "DELETE": (*call).deleteCertificate}, since: "v5.2.0"},
	// No $: any path that starts so is this view, /openapi/v1/httpdomains/x too.
	{pattern: regexp.MustCompile(`^/openapi/v1/httpdomains`), methods: map[string]func(*call){"GET": (*call).listEnterpriseHTTPRules}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/apps_port$`), methods: map[string]func(*call){"GET": (*call).listAppsPort}, since: "v5.15.3"},
	// canary.go
	{pattern: regexp.MustCompile(`^` + appPart + `/gray-release$`), methods: map[string]func(*call){"POST": (*call).createGrayRelease}, since: "v6.6.0"},
	{pattern: regexp.MustCompile(`^` + appPart + `/gray-ratio$`), methods: map[string]func(*call){"PUT": (*call).updateGrayRatio}, since: "v6.6.0"},
	{pattern: regexp.MustCompile(`^` + appPart + `/gray-rollback$`), methods: map[string]func(*call){"POST": (*call).grayRollback}, since: "v6.6.0"},
	{pattern: regexp.MustCompile(`^/openapi/v1/gray-releases$`), methods: map[string]func(*call){"GET": (*call).listGrayReleases}, since: "v6.6.0"},
	{pattern: regexp.MustCompile(`^/openapi/v1/app_model$`), methods: map[string]func(*call){"POST": (*call).publishModel}, since: "v6.3.1"},
	// appmodel.go, appimport.go
	{pattern: regexp.MustCompile(`^` + regionPart + `/app-model/deploy$`), methods: map[string]func(*call){"POST": (*call).deployAppModel}, since: "v5.15.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/app-model/smart-deploy$`), methods: map[string]func(*call){"POST": (*call).smartDeploy}, since: "v6.6.0"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/app-model/import$`), methods: map[string]func(*call){"POST": (*call).createImport}, since: "v5.15.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/app-model/import/([\w\-]+)/dir$`),
		methods: map[string]func(*call){"GET": (*call).importDir, "POST": (*call).createImportDir, "DELETE": (*call).deleteImportDir}, since: "v5.15.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/app-model/import/([\w\-]+)$`),
		methods: map[string]func(*call){"GET": (*call).importStatus, "POST": (*call).startImport, "DELETE": (*call).deleteImport}, since: "v5.15.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/app-model/import/([\w\-]+)/chart$`), methods: map[string]func(*call){"POST": (*call).importChart}, since: "v5.15.1"},
	// The upload, not an OpenAPI route: the console's realtime proxy to
	// the cluster (v6.9.2+), and the cluster's own address.
	{pattern: regexp.MustCompile(`^/console/regions/([\w\-]+)/websocket/app/upload/([\w\-]+)$`),
		methods: map[string]func(*call){"POST": (*call).upload, "OPTIONS": (*call).upload}, since: "v6.9.2", public: true},
	{pattern: regexp.MustCompile(`^/app/upload/([\w\-]+)$`), methods: map[string]func(*call){"POST": (*call).upload, "OPTIONS": (*call).upload}, public: true},
	// helmchart.go, teamapps.go
	{pattern: regexp.MustCompile(`^` + regionPart + `/app/([\w\-]+)/helm_chart$`),
		methods: map[string]func(*call){"GET": (*call).checkHelmChart, "POST": (*call).installHelmChart, "PUT": (*call).authorizeHelmChart},
		since:   "v5.17.1", methodSince: map[string]string{"PUT": "v6.0.0"}},
	{pattern: regexp.MustCompile(`^` + regionPart + `/app/([\w\-]+)/delete$`), methods: map[string]func(*call){"DELETE": (*call).deleteAppEverything}, since: "v5.15.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/apps/close$`), methods: map[string]func(*call){"POST": (*call).closeTeamApps}, since: "v5.3.1"},
	// volumes.go, external.go
	{pattern: regexp.MustCompile(`^` + componentPart + `/volumes$`), methods: map[string]func(*call){"POST": (*call).addVolume}, since: "v5.17.1"},
	{pattern: regexp.MustCompile(`^` + appPart + `/third-components$`), methods: map[string]func(*call){"POST": (*call).createThirdComponent}, since: "v5.3.0"},
	// users.go, admins.go
	{pattern: regexp.MustCompile(`^/openapi/v1/currentuser$`), methods: map[string]func(*call){"GET": (*call).currentUser}, since: "v5.11.2"},
	{pattern: regexp.MustCompile(`^/openapi/v1/users$`), methods: map[string]func(*call){"GET": (*call).listUsers, "POST": (*call).createUser}, since: "v5.1.6"},
	{pattern: regexp.MustCompile(`^/openapi/v1/users/` + userPart + `$`),
		methods: map[string]func(*call){"GET": (*call).getUser, "PUT": (*call).updateUser, "DELETE": (*call).deleteUser}, since: "v5.1.6"},
	{pattern: regexp.MustCompile(`^/openapi/v1/users/` + userPart + `/close$`), methods: map[string]func(*call){"GET": (*call).closeUserTeams}, since: "v6.2.0"},
	{pattern: regexp.MustCompile(`^/openapi/v1/users/` + userPart + `/delete$`), methods: map[string]func(*call){"GET": (*call).deleteUserApps}, since: "v6.2.0"},
	{pattern: regexp.MustCompile(`^/openapi/v1/users/` + userPart + `/changepwd$`), methods: map[string]func(*call){"PUT": (*call).changeUserPassword}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^/openapi/v1/changepwd$`), methods: map[string]func(*call){"PUT": (*call).changeOwnPassword}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^/openapi/v1/administrators$`), methods: map[string]func(*call){"GET": (*call).listAdmins, "POST": (*call).addAdmin}, since: "v5.1.6"},
	{pattern: regexp.MustCompile(`^/openapi/v1/administrators/` + userPart + `$`), methods: map[string]func(*call){"DELETE": (*call).deleteAdmin}, since: "v5.2.1"},
	// regions.go, team_resources.go; no $ after resource and overview.
	{pattern: regexp.MustCompile(`^/openapi/v1/regions/([\p{L}\p{N}_\-]+)$`), methods: map[string]func(*call){"GET": (*call).getRegion}, since: "v5.1.6"},
	{pattern: regexp.MustCompile(`^/openapi/v1/grctl/ip$`), methods: map[string]func(*call){"POST": (*call).replaceRegionIP}, since: "v5.9.0"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/resource`), methods: map[string]func(*call){"GET": (*call).teamResource}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + regionPart + `/overview`), methods: map[string]func(*call){"GET": (*call).teamOverview}, since: "v5.3.2"},
	// monitoring.go, overview.go; no $ after performance_overview.
	{pattern: regexp.MustCompile(`^` + appPart + `/monitor/query$`), methods: map[string]func(*call){"GET": (*call).appMonitorQuery}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^` + appPart + `/monitor/query_range$`), methods: map[string]func(*call){"GET": (*call).appMonitorQueryRange}, since: "v5.2.1"},
	{pattern: regexp.MustCompile(`^/openapi/v1/monitor/query$`), methods: map[string]func(*call){"GET": (*call).monitorQuery}, since: "v6.3.3"},
	{pattern: regexp.MustCompile(`^/openapi/v1/monitor/query_range$`), methods: map[string]func(*call){"GET": (*call).monitorQueryRange}, since: "v6.3.3"},
	{pattern: regexp.MustCompile(`^/openapi/v1/monitor/series$`), methods: map[string]func(*call){"GET": (*call).monitorSeries}, since: "v6.3.3"},
	{pattern: regexp.MustCompile(`^/openapi/v1/instances/monitor$`), methods: map[string]func(*call){"GET": (*call).instancesMonitor}, since: "v6.3.3"},
	{pattern: regexp.MustCompile(`^/openapi/v1/overview$`), methods: map[string]func(*call){"GET": (*call).enterpriseOverview}, since: "v6.3.3"},
	{pattern: regexp.MustCompile(`^/openapi/v1/monitor/service_overview$`), methods: map[string]func(*call){"GET": (*call).serviceOverview}, since: "v6.3.3"},
	{pattern: regexp.MustCompile(`^/openapi/v1/monitor/performance_overview`), methods: map[string]func(*call){"GET": (*call).performanceOverview}, since: "v6.3.3"},
	{pattern: regexp.MustCompile(`^/openapi/v1/monitor/resource_over_view$`), methods: map[string]func(*call){"GET": (*call).resourceOverview}, since: "v6.2.0"},
	{pattern: regexp.MustCompile(`^/openapi/v1/monitor/component_memory_overview$`), methods: map[string]func(*call){"GET": (*call).componentMemoryOverview}, since: "v6.3.3"},
	// configinfo.go: the console's own route, outside /openapi.
	{pattern: regexp.MustCompile(`^/console/config/info$`), methods: map[string]func(*call){"GET": (*call).configInfo}, public: true},
}

// call is one request being answered.
type call struct {
	s      *Server
	a      *recorded
	r      *http.Request
	body   []byte
	params []string
	// user is the token's user.
	user *user
}

func (c *call) json(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.serverError("TypeError", err.Error())
		return
	}
	c.a.status = status
	c.a.header.Set("Content-Type", "application/json")
	c.a.body = b
}

// authenticate is OpenAPIAuthentication: the whole Authorization header is
// the token, of user 1 or of a user of [Server.AddUser]. An unknown token
// is "No such user or user is not admin" (openapi/auth/authentication.py;
// up to v5.2.1 that raise sat inside the try whose except answers "No
// such user"). The token of a deleted user makes get_user_by_user_id
// raise UserNotExistError, a BaseException the authenticator does not
// catch: gevent's plain 500.
func (c *call) authenticate() bool {
	token := c.r.Header.Get("Authorization")
	uid, known := c.s.state.platform.tokens[token]
	switch {
	case token == "":
		c.apiException(http.StatusUnauthorized, "AuthenticationFailed", "No token")
	case token == c.s.Token:
		uid, known = 1, true
	case !known && !c.s.has("v5.2.2"):
		c.apiException(http.StatusUnauthorized, "AuthenticationFailed", "No such user")
	case !known:
		c.apiException(http.StatusUnauthorized, "AuthenticationFailed", "No such user or user is not admin")
	}
	if !known {
		c.a.header.Set("WWW-Authenticate", "Token")
		return false
	}
	if c.user = c.s.state.userByID(int64(uid)); c.user == nil {
		c.plainServerError()
		return false
	}
	return true
}

// permitted is OpenAPIPermissions: every view asks whether the user is an
// administrator of its enterprise (which makes the enterprise's first
// user one again), and a view with view_perms ["regions"] refuses the
// others with DRF's 403.
func (c *call) permitted(perms string) bool {
	if c.s.isEnterpriseAdmin(c.user) || perms == "" {
		return true
	}
	c.apiException(http.StatusForbidden, "PermissionDenied", "您没有执行该操作的权限。")
	return false
}

// inEnterprise is BaseOpenAPIView.initial's first check: the user's
// enterprise must exist.
func (c *call) inEnterprise() bool {
	if c.s.state.enterpriseExists(c.user.enterpriseID) {
		return true
	}
	c.message(http.StatusNotFound, 1000, "the enterprise is not found", "用户所在企业不存在", nil)
	return false
}

func (c *call) methodNotAllowed() {
	c.apiException(http.StatusMethodNotAllowed, "MethodNotAllowed", `Method "`+c.r.Method+`" not allowed.`)
}

func (c *call) apiException(status int, errType, detail string) {
	c.json(status, apiExceptionBody{
		Detail: detail, Code: status, Msg: detail, MsgShow: detail, ErrorType: errType,
		ErrorTrace: traceback("rest_framework.exceptions." + errType + ": " + detail),
	})
}

// shErr is a ServiceHandleException: its HTTP status (its code too),
// msg (text, or for some a list) and msg_show.
type shErr struct {
	status  int
	msg     any
	msgShow string
}

// handled answers a ServiceHandleException as the global handler does.
func (c *call) handled(e *shErr) {
	c.message(e.status, e.status, e.msg, e.msgShow, nil)
}

// message answers general_message(code, msg, msgShow, bean) with HTTP
// status status, as the handler does a ServiceHandleException.
func (c *call) message(status, code int, msg any, msgShow string, bean any) {
	if bean == nil {
		bean = map[string]any{}
	}
	c.json(status, messageBody{Code: code, Msg: msg, MsgShow: msgShow, Data: messageData{Bean: bean, List: []any{}}})
}

func (c *call) validation(field string, problems ...string) {
	c.validationErrors(map[string][]string{field: problems})
}

// validationErrors answers a DRF ValidationError. errs is an object of
// fields to problems, or a list: one entry per item of a many=True
// serializer ({} for the good ones), or plain messages.
func (c *call) validationErrors(errs any) {
	c.json(http.StatusBadRequest, validationBody{Detail: "参数错误", Err: errs, Code: 20400, ErrorType: "ValidationError"})
}

// serverError answers an unhandled exception: 500, traceback in msg_show.
func (c *call) serverError(errType, msg string) {
	tb := traceback(errType + ": " + msg)
	c.json(http.StatusInternalServerError, serverErrorBody{
		Code: 10401, Msg: msg, MsgShow: tb, ErrorType: errType, ErrorTrace: tb,
		ErrorDetails: map[string]any{"args": []string{msg}, "message": msg, "module": "builtins"},
	})
}

func traceback(last string) string {
	return "Traceback (most recent call last):\n" +
		"  File \"/app/ui/console/views/base.py\", line 551, in dispatch\n" +
		"    response = handler(request, *args, **kwargs)\n" +
		"  File \"/app/ui/openapi/views/groupapp.py\", line 71, in post\n" +
		"    services = serializers.data.get(\"services\")\n" + last + "\n"
}

// parseJSON reads the body as DRF's JSONParser does into v, left as it
// is for an empty body. ok is false when an error answer has been
// written.
func (c *call) parseJSON(v any) bool {
	if len(c.body) == 0 {
		return true
	}
	text, pyErr := pyJSONCheck(c.body, true)
	if pyErr != "" {
		c.apiException(http.StatusBadRequest, "ParseError", "JSON parse error - "+pyErr)
		return false
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		c.apiException(http.StatusBadRequest, "ParseError", "JSON parse error - "+err.Error())
		return false
	}
	return true
}

// Fault is an abnormal answer the server gives instead of, or after,
// handling a request, for tests of retry and error handling.
type Fault struct {
	// Method and PathSuffix, when set, limit the fault to matching
	// requests, e.g. "POST" and "/install".
	Method, PathSuffix string
	// Status, when not 0, replaces the answer's status.
	Status int
	// Body is the body of the replacing answer.
	Body string
	// Header holds the headers of the replacing answer.
	Header http.Header
	// Delay holds the answer back (or the drop, with DropConnection).
	Delay time.Duration
	// DropConnection closes the connection without answering.
	DropConnection bool
	// TruncateBody sends the headers and half of the body, then closes
	// the connection.
	TruncateBody bool
	// AfterHandling handles the request first (an install installs) and
	// then applies the fault: the request takes effect, its answer is lost.
	AfterHandling bool
}

type pendingFault struct {
	Fault
	left int
}

// InjectFaults makes the next n requests that match f fail as f says.
// Faults queue up in the order they are injected.
func (s *Server) InjectFaults(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > 0 {
		s.faults = append(s.faults, &pendingFault{Fault: f, left: n})
	}
}

// BadGateway is the HTML 502 page a proxy (nginx) answers while the
// console is down.
func BadGateway() Fault {
	return Fault{
		Status: http.StatusBadGateway,
		Header: http.Header{"Content-Type": {"text/html"}, "Server": {"nginx"}},
		Body:   "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
	}
}

// Throttled is the console's 429 with a Retry-After of the given seconds.
func Throttled(retryAfterSeconds int) Fault {
	detail := "Request was throttled. Expected available in " + strconv.Itoa(retryAfterSeconds) + " seconds."
	b, _ := json.Marshal(apiExceptionBody{Detail: detail, Code: 429, Msg: detail, MsgShow: detail, ErrorType: "Throttled", ErrorTrace: traceback("rest_framework.exceptions.Throttled")})
	return Fault{
		Status: http.StatusTooManyRequests,
		Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {strconv.Itoa(retryAfterSeconds)}},
		Body:   string(b),
	}
}

// takeFault pops the first fault matching r. s.mu is held.
func (s *Server) takeFault(r *http.Request) *Fault {
	for i, f := range s.faults {
		if f.Method != "" && f.Method != r.Method {
			continue
		}
		if f.PathSuffix != "" && !strings.HasSuffix(r.URL.Path, f.PathSuffix) {
			continue
		}
		f.left--
		if f.left == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		fault := f.Fault
		return &fault
	}
	return nil
}

// apply answers r as the fault says; handled is the answer the console
// built, when it handled the request first.
func (f *Fault) apply(w http.ResponseWriter, r *http.Request, handled *recorded) {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case f.DropConnection:
		dropConnection(w)
	case f.TruncateBody:
		answer := handled
		if answer == nil || f.Status != 0 {
			answer = &recorded{status: f.status(), header: f.Header.Clone(), body: []byte(f.Body)}
		}
		truncate(w, answer)
	case f.Status != 0:
		(&recorded{status: f.Status, header: f.Header.Clone(), body: []byte(f.Body)}).writeTo(w)
	case handled != nil:
		handled.writeTo(w)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *Fault) status() int {
	if f.Status == 0 {
		return http.StatusOK
	}
	return f.Status
}

func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2: abort the stream
}

// truncate writes a's headers, announcing the whole body, and half of it.
func truncate(w http.ResponseWriter, a *recorded) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if a.header == nil {
		a.header = http.Header{}
	}
	a.header.Set("Content-Length", strconv.Itoa(len(a.body)))
	_, _ = buf.WriteString("HTTP/1.1 " + strconv.Itoa(a.status) + " " + http.StatusText(a.status) + "\r\n")
	_ = a.header.Write(buf)
	_, _ = buf.WriteString("\r\n")
	_, _ = buf.Write(a.body[:len(a.body)/2])
	_ = buf.Flush()
}

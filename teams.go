package rainbond

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TeamsService lists teams and the regions they are opened in. Reach it as
// Client.Teams.
type TeamsService struct {
	client *Client
}

// TeamInfo is a team (the console's "tenant") as [TeamsService.List]
// returns it.
//
// Source: ListTeamInfo.get in openapi/views/team_view.py returns the raw
// rows of console/repositories/team_repo.py list_by_user_id (it answers
// serializer.initial_data, unvalidated), with role_infos added by
// console/services/team_services.py list_teams_by_user_id. The schema's
// service_num and region_num are never sent.
type TeamInfo struct {
	// ID is the team's row id.
	ID int64 `json:"ID"`
	// TenantID is the team's id, for the team_id of app calls.
	TenantID string `json:"tenant_id"`
	// TenantName is the team's name, e.g. "o19p6wen": the target of a copy
	// ([AppCopyC].TargetTeamName), also accepted as team_id by the app
	// calls.
	TenantName string `json:"tenant_name"`
	// TenantAlias is the team's display name (nullable).
	TenantAlias string `json:"tenant_alias"`
	// IsActive reports whether the team is active.
	IsActive bool `json:"is_active"`
	// EnterpriseID is the team's enterprise.
	EnterpriseID string `json:"enterprise_id"`
	// CreateTime is when the team was created, ISO 8601 without a zone
	// ("2024-05-01T12:30:45.123456").
	CreateTime string `json:"create_time"`
	// Creator is, despite its name, the nick name of the calling user (the
	// console's query joins the caller's membership row), not the team
	// owner's; nullable. The console spells the member "creater".
	Creator string `json:"creater"`
	// RoleInfos are the calling user's roles in the team.
	RoleInfos []RoleInfo `json:"role_infos"`
}

// RoleInfo is a role of a user in a team.
type RoleInfo struct {
	// RoleID is the role's id. It is text: the console stores it in a text
	// column (UserRole.role_id) and sends it as such, e.g. "3".
	RoleID string `json:"role_id"`
	// RoleName is the role's name, e.g. "admin", "developer", "viewer".
	RoleName string `json:"role_name"`
}

// TeamList is one page of teams.
type TeamList struct {
	// Tenants are the teams of the page.
	Tenants []TeamInfo `json:"tenants"`
	// Total is the number of teams matching, over all pages.
	Total int `json:"total"`
	// Page is the page number the console used (1 when the request's was
	// not a number).
	Page int `json:"page"`
	// PageSize is the page size the console used (10 when the request's
	// was not a number).
	PageSize int `json:"page_size"`
}

// TeamRegion is a region a team is opened in.
//
// Source: TeamRegionsRespSerializer in openapi/serializer/team_serializer.py
// over the region rows (console/repositories/region_repo.py
// list_by_tenant_id), validated: the whole call answers 400 when an opened
// region has an empty wsurl, httpdomain or tcpdomain, an alias over 32 or a
// description over 128 characters.
type TeamRegion struct {
	// RegionID is the region's id.
	RegionID string `json:"region_id"`
	// RegionName is the region's name, for the region_name of app calls.
	RegionName string `json:"region_name"`
	// RegionAlias is the region's display name.
	RegionAlias string `json:"region_alias"`
	// TenantName is the team's name.
	TenantName string `json:"tenant_name"`
	// URL is the region's API address.
	URL string `json:"url"`
	// WsURL is the region's websocket address.
	WsURL string `json:"wsurl"`
	// HTTPDomain is the root domain of the region's HTTP gateway.
	HTTPDomain string `json:"httpdomain"`
	// TCPDomain is the address of the region's TCP gateway.
	TCPDomain string `json:"tcpdomain"`
	// Token is the region's API token, as the console stores it (often
	// empty; nullable): a [Secret], never printed.
	Token Secret `json:"token"`
	// Status is "0" editing, "1" enabled, "2" disabled, "3" maintenance.
	Status string `json:"status"`
	// Desc is the region's description.
	Desc string `json:"desc"`
	// Scope is "private" or "public".
	Scope string `json:"scope"`
}

// TeamRegionList is one page of a team's regions.
type TeamRegionList struct {
	// Regions are the regions of the page.
	Regions []TeamRegion `json:"regions"`
	// Total is the number of regions matching, over all pages.
	Total int `json:"total"`
}

// ListOptions selects a page of a paged list.
type ListOptions struct {
	// Query searches by name; empty lists everything. For teams the console
	// matches the display name (tenant_alias) and, oddly, the caller's own
	// nick name, which matches every team; its Total counts display-name
	// matches only (console/repositories/team_repo.py).
	Query string
	// Page is the page number, from 1; 0 means 1.
	Page int
	// PageSize is the number of items per page; 0 means the console's
	// default, 10.
	PageSize int
}

// defaultPageSize is the console's page size when none is given.
const defaultPageSize = 10

func (o *ListOptions) validate(v *validator) {
	if o == nil {
		return
	}
	if o.Page < 0 {
		v.add("page", "%d: must not be negative", o.Page)
	}
	if o.PageSize < 0 {
		v.add("page_size", "%d: must not be negative", o.PageSize)
	}
}

func (o *ListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if o.Query != "" {
		q.Set("query", o.Query)
	}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PageSize > 0 {
		q.Set("page_size", strconv.Itoa(o.PageSize))
	}
	return q
}

// List returns one page of the teams the token's user belongs to; a
// Query matches the team's display name or its creator's, as SQL's LIKE
// (so '%' and '_' match any text and any character), and may hold neither
// '"' nor '\', which the console's SQL cannot take.
//
// It calls GET /openapi/v1/teams.
func (s *TeamsService) List(ctx context.Context, opts *ListOptions, callOpts ...CallOption) (*TeamList, *Response, error) {
	v := s.client.validator(ctx)
	opts.validate(&v)
	if opts != nil && strings.ContainsAny(opts.Query, `"\`) {
		// The console pastes the query into its SQL between double quotes
		// (console/repositories/team_repo.py): a quote or a backslash
		// breaks it (a 500), or changes what it selects.
		v.add("query", "a '\"' or '\\' would break the console's SQL")
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(TeamList)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/teams", query: opts.values().Encode(), opts: callOpts}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// All iterates over every team matching opts.Query, fetching page after
// page (from opts.Page) as the loop goes. It stops after the last page, at
// the first error (yielded with a zero TeamInfo), when ctx ends, and with
// [ErrPaging] when the console's pages repeat a team or pass [MaxPages].
func (s *TeamsService) All(ctx context.Context, opts *ListOptions, callOpts ...CallOption) iter.Seq2[TeamInfo, error] {
	return paginate(ctx, opts, func(t TeamInfo) string { return t.TenantID }, func(ctx context.Context, o *ListOptions) ([]TeamInfo, int, error) {
		page, _, err := s.List(ctx, o, callOpts...)
		if err != nil {
			return nil, 0, err
		}
		return page.Tenants, page.Total, nil
	})
}

// ListRegions returns one page of the regions team teamID (its tenant_id
// or tenant_name) is opened in.
//
// It calls GET /openapi/v1/teams/{team_id}/regions.
//
// opts.Query is refused: the console builds its search into SQL with
// unbalanced quotes (console/repositories/region_repo.py
// list_by_tenant_id), so any query answers a 500. Filter the regions
// yourself.
func (s *TeamsService) ListRegions(ctx context.Context, teamID string, opts *ListOptions, callOpts ...CallOption) (*TeamRegionList, *Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("team_id", teamID)
	opts.validate(&v)
	if opts != nil && opts.Query != "" {
		v.add("query", "the console cannot search a team's regions (its SQL is malformed: every query is a 500); filter the list yourself")
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(TeamRegionList)
	path := "/teams/" + url.PathEscape(teamID) + "/regions"
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, query: opts.values().Encode(), opts: callOpts}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// TeamPorts are the ports a team's components open inside their clusters.
//
// Source: AppsPortView (openapi/views/apps/apps.py), an envelope's bean.
type TeamPorts struct {
	// Namespace is the team's Kubernetes namespace.
	Namespace string `json:"namespace"`
	// Ports are the ports.
	Ports []TeamPort `json:"ports"`
}

// TeamPort is a port a component of the team opens inside its cluster.
type TeamPort struct {
	// Port is the container port.
	Port int `json:"port"`
	// ServiceName is the port's Kubernetes service name (may be "").
	ServiceName string `json:"service_name"`
	// Namespace is the team's namespace.
	Namespace string `json:"namespace"`
	// ComponentName is the component's display name; "" for a component
	// of another region than the one asked for.
	ComponentName string `json:"component_name"`
}

// sinceAppsPort is the console release that added the apps_port route.
const sinceAppsPort = "v5.15.3"

// ListPorts returns every port that a component of team teamID opens
// inside its cluster (is_inner_service), in every region of the team:
// regionName only picks which components are named (the others have
// ComponentName ""). The ports carry no component id.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps_port
// (consoles since v5.15.3), whose name says "apps" though it lists the
// team's ports.
func (s *TeamsService) ListPorts(ctx context.Context, teamID, regionName string, callOpts ...CallOption) (*TeamPorts, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/apps_port")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(envelope[TeamPorts])
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceAppsPort}, out)
	if err != nil {
		return nil, resp, err
	}
	return &out.Data.Bean, resp, nil
}

// AllRegions iterates over every region team teamID is opened in, as
// [TeamsService.All] does over teams.
func (s *TeamsService) AllRegions(ctx context.Context, teamID string, opts *ListOptions, callOpts ...CallOption) iter.Seq2[TeamRegion, error] {
	return paginate(ctx, opts, func(r TeamRegion) string { return r.RegionName }, func(ctx context.Context, o *ListOptions) ([]TeamRegion, int, error) {
		page, _, err := s.ListRegions(ctx, teamID, o, callOpts...)
		if err != nil {
			return nil, 0, err
		}
		return page.Regions, page.Total, nil
	})
}

// MaxPages bounds the pages one [TeamsService.All] or
// [TeamsService.AllRegions] loop fetches: with the console's default page
// size, 100,000 items.
const MaxPages = 10000

// ErrPaging is matched by the error an All iterator ends with when the
// console's pages contradict themselves: a page repeats an item already
// seen (a console that ignores or reorders paging would otherwise be
// iterated forever, and so would one that sends more pages than its total
// allows), or MaxPages is passed.
var ErrPaging = errors.New("rainbond: the console's pages are inconsistent")

// paginate turns a page fetcher into an iterator over items, each known by
// key. It stops once total items were seen (or, without a total, on a
// short page), on an empty page, on an error, when ctx ends, and with
// ErrPaging when the pages cannot be trusted.
func paginate[T any](ctx context.Context, opts *ListOptions, key func(T) string, fetch func(context.Context, *ListOptions) ([]T, int, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		o := ListOptions{Page: 1, PageSize: defaultPageSize}
		if opts != nil {
			o.Query = opts.Query
			o.Page = max(opts.Page, 1)
			if opts.PageSize > 0 {
				o.PageSize = opts.PageSize
			}
		}
		seen := map[string]bool{}
		for pages := 1; ; pages++ {
			if ctx != nil && ctx.Err() != nil {
				yield(zero, ctx.Err())
				return
			}
			items, total, err := fetch(ctx, &o)
			if err == nil {
				err = checkPage(items, pages, o.Page, key, seen)
			}
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			// Trust total when the console sends it (it may cap the page
			// size); without it, a short page is the last.
			if len(items) == 0 || (total > 0 && len(seen) >= total) || (total <= 0 && len(items) < o.PageSize) {
				return
			}
			o.Page++
		}
	}
}

// checkPage records a page's items and says why the page cannot be
// trusted, if it cannot.
func checkPage[T any](items []T, pages, page int, key func(T) string, seen map[string]bool) error {
	// With every item new, pages cannot outrun a total: the loop ends once
	// total distinct items were seen.
	if pages > MaxPages {
		return fmt.Errorf("%w: more than %d pages", ErrPaging, MaxPages)
	}
	for _, item := range items {
		k := key(item)
		if seen[k] {
			return fmt.Errorf("%w: page %d repeats %q, seen on an earlier page: the console ignores paging", ErrPaging, page, k)
		}
		seen[k] = true
	}
	return nil
}

// Console releases that added the team routes (openapi/urls.py).
const (
	sinceTeamCreate = "v5.1.6"
	sinceOpenRegion = "v5.1.8"
)

// TeamBaseInfo is a team as [TeamsService.Create] and
// [TeamsService.OpenRegion] return it.
//
// Source: TeamBaseInfoSerializer (openapi/serializer/team_serializer.py)
// over the team's row, serialized without validation.
type TeamBaseInfo struct {
	// TenantID is the team's id (32 hex digits), for the team_id of every
	// call.
	TenantID string `json:"tenant_id"`
	// TenantName is the team's name, generated by the console (8
	// characters of [a-z0-9]).
	TenantName string `json:"tenant_name"`
	// TenantAlias is the team's display name: the name given to Create.
	TenantAlias string `json:"tenant_alias"`
	// Region is a deprecated column, always "".
	Region string `json:"region"`
	// IsActive reports whether the team is active.
	IsActive bool `json:"is_active"`
	// CreateTime and UpdateTime are as Python prints a time without zone:
	// "2024-05-01 12:30:45.123456".
	CreateTime string `json:"create_time"`
	// UpdateTime: see CreateTime.
	UpdateTime string `json:"update_time"`
	// Creator is the user id of the team's creator. The console spells the
	// member "creater".
	Creator int64 `json:"creater"`
	// LimitMemory is the team's memory limit in MiB.
	LimitMemory int `json:"limit_memory"`
	// EnterpriseID is the team's enterprise.
	EnterpriseID string `json:"enterprise_id"`
}

// TeamCreate is the body of [TeamsService.Create].
type TeamCreate struct {
	// TenantName is the team's display name, at most 24 characters. The
	// console makes it the team's tenant_alias and generates the
	// tenant_name itself.
	TenantName string `json:"tenant_name"`
	// Region, when not empty, is a region to open the team in at once.
	Region string `json:"region,omitempty"`
}

// Create creates a team and returns it, with the tenant_name the console
// generated: team.TenantName becomes the display name (TenantAlias).
//
// It calls POST /openapi/v1/teams (consoles since v5.1.6). Each call
// creates another team, even with a display name already in use: the call
// is not idempotent, and is never sent twice by the client on its own.
// Errors to expect: [ErrNotFound] (code 3000) for an unknown region, before
// anything is created; [ErrBadRequest] ("cluster not found", "cluster init
// failure") when opening the region failed, after the team was created.
func (s *TeamsService) Create(ctx context.Context, team *TeamCreate, callOpts ...CallOption) (*TeamBaseInfo, *Response, error) {
	v := s.client.validator(ctx)
	if team == nil {
		v.add("body", "nil *TeamCreate")
	} else {
		v.text("tenant_name", team.TenantName, charField{required: true, max: 24})
		if team.Region != "" {
			v.text("region", team.Region, charField{required: true, max: 24})
		}
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(TeamBaseInfo)
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: "/teams", body: team, opts: callOpts, since: sinceTeamCreate}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Get returns team teamID, which must be its tenant_id: by tenant_name the
// console answers 404 with code 2002 although the team exists. In the
// answer, Creator is the owner's user id as text ("1"), and ID and
// RoleInfos are not sent.
//
// It calls GET /openapi/v1/teams/{team_id} (consoles since v5.1.6).
func (s *TeamsService) Get(ctx context.Context, teamID string, callOpts ...CallOption) (*TeamInfo, *Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("team_id", teamID)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(TeamInfo)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/teams/" + url.PathEscape(teamID), opts: callOpts, since: sinceTeamCreate}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Delete deletes team teamID (its tenant_id or tenant_name) with,
// in every region it is opened in, its components, plugins and apps.
//
// It calls DELETE /openapi/v1/teams/{team_id} (consoles since v5.1.6).
// The console refuses ([ErrBadRequest]) while any component of the team
// runs: stop them first. A retry that finds the team gone (404) after an
// ambiguous failure counts as success.
func (s *TeamsService) Delete(ctx context.Context, teamID string, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("team_id", teamID)
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.client.do(ctx, &request{method: http.MethodDelete, path: "/teams/" + url.PathEscape(teamID), opts: callOpts, since: sinceTeamCreate}, nil)
}

// OpenRegion opens region regionName for team teamID, which must be its
// tenant_id (by tenant_name the console answers 404 with code 2002), and
// returns the team. A region already opened is answered the same way,
// without any change.
//
// It calls POST /openapi/v1/teams/{team_id}/regions (consoles since
// v5.1.8). Errors to expect: [ErrNotFound] (code 3000) for an unknown
// region; [ErrBadRequest] ("cluster not found", "cluster init failure")
// when the region belongs to another enterprise or its cluster failed.
// [TeamsService.EnsureRegion] checks first and accepts a tenant_name.
func (s *TeamsService) OpenRegion(ctx context.Context, teamID, regionName string, callOpts ...CallOption) (*TeamBaseInfo, *Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("team_id", teamID)
	v.pathSegment("region_name", regionName)
	if utf8.RuneCountInString(regionName) > 24 {
		v.add("region_name", "longer than 24 characters, the console's limit for this call")
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(TeamBaseInfo)
	body := struct {
		Region string `json:"region"`
	}{regionName}
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: "/teams/" + url.PathEscape(teamID) + "/regions", body: &body, opts: callOpts, since: sinceOpenRegion}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// codeTeamNotFoundByID is TenantNotExistError's code
// (console/exception/exceptions.py), raised by
// team_repo.get_team_by_team_id: the routes that look the team up by
// tenant_id alone answer it to a tenant_name.
const codeTeamNotFoundByID = 2002

// EnsureRegion makes sure team teamID (its tenant_id or tenant_name) is
// opened in region regionName, and reports whether this call opened it.
//
// It reads the team's regions first ([TeamsService.AllRegions]) and
// writes only when the region is missing, with [TeamsService.OpenRegion];
// given a tenant_name, which that call does not take, it finds the team's
// tenant_id among the teams of the token's user. Running it twice opens
// the region once. Two processes racing both see the region missing and
// both open it; the console's answer to the second is the same as to the
// first, so the race is harmless (both report opened).
func (s *TeamsService) EnsureRegion(ctx context.Context, teamID, regionName string, callOpts ...CallOption) (opened bool, err error) {
	v := s.client.validator(ctx)
	v.pathSegment("team_id", teamID)
	v.pathSegment("region_name", regionName)
	if err := v.err(); err != nil {
		return false, err
	}
	for r, err := range s.AllRegions(ctx, teamID, nil, callOpts...) {
		if err != nil {
			return false, err
		}
		if r.RegionName == regionName {
			return false, nil
		}
	}
	_, _, err = s.OpenRegion(ctx, teamID, regionName, callOpts...)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == codeTeamNotFoundByID {
		id, findErr := s.tenantID(ctx, teamID, callOpts)
		if findErr != nil {
			return false, errors.Join(err, findErr)
		}
		_, _, err = s.OpenRegion(ctx, id, regionName, callOpts...)
	}
	return err == nil, err
}

// tenantID finds the tenant_id of the team named name among the teams of
// the token's user.
func (s *TeamsService) tenantID(ctx context.Context, name string, callOpts []CallOption) (string, error) {
	for t, err := range s.All(ctx, nil, callOpts...) {
		if err != nil {
			return "", err
		}
		if t.TenantName == name {
			return t.TenantID, nil
		}
	}
	return "", fmt.Errorf("rainbond: no team named %q among the teams of the token's user", oneLine(name, 64))
}

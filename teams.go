package rainbond

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
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
	// empty; nullable): a secret, never printed by this package.
	Token string `json:"token"`
	// Status is "0" editing, "1" enabled, "2" disabled, "3" maintenance.
	Status string `json:"status"`
	// Desc is the region's description.
	Desc string `json:"desc"`
	// Scope is "private" or "public".
	Scope string `json:"scope"`
}

// teamRegionFields is TeamRegion without its methods.
type teamRegionFields TeamRegion

// Format prints the region with its token redacted, whatever the verb.
func (r TeamRegion) Format(f fmt.State, verb rune) {
	r.Token = redactSecret(r.Token)
	formatFields(f, verb, teamRegionFields(r), fmt.Sprintf("rainbond.TeamRegion%+v", teamRegionFields(r)))
}

// LogValue logs the region with its token redacted.
func (r TeamRegion) LogValue() slog.Value {
	return slog.GroupValue(slog.String("region_name", r.RegionName), slog.String("region_alias", r.RegionAlias),
		slog.String("tenant_name", r.TenantName), slog.String("url", r.URL), slog.String("status", r.Status),
		slog.String("token", redactSecret(r.Token)))
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

// List returns one page of the teams the token's user belongs to.
func (s *TeamsService) List(ctx context.Context, opts *ListOptions, callOpts ...CallOption) (*TeamList, *Response, error) {
	v := s.client.validator(ctx)
	opts.validate(&v)
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

package rainbond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Team settings and resources: TeamInfo.put, TeamAppsResourceView,
// TeamOverviewView and TeamsResourceView (openapi/views/team_view.py),
// UpdateTeamInfoReqSerializer, TeamAppsResourceSerializer,
// TeamOverviewSerializer and TenantRegionListSerializer
// (openapi/serializer/team_serializer.py), and
// console/services/team_services.py (update, get_tenant_resource,
// overview).

// Releases that added the team resource routes.
const (
	sinceTeamResource = "v5.2.1"
	sinceTeamOverview = "v5.3.2"
)

// TeamUpdate is the body of [TeamsService.Update]: nil members are left
// alone. The console writes what it is sent into the team's row without
// further checks, so only these safe members are offered (renaming the
// tenant_name or namespace there would part the console from the
// cluster).
type TeamUpdate struct {
	// Alias is the display name: at most 24 characters, not blank (a team
	// without one makes the console's resource answers fail).
	Alias *string
	// Active turns the team on or off.
	Active *bool
	// OwnerID is the user id of the team's owner (the console's
	// "creater").
	OwnerID *int64
}

func (u *TeamUpdate) body(v *validator) map[string]any {
	body := map[string]any{}
	if u.Alias != nil {
		v.text("tenant_alias", *u.Alias, charField{required: true, max: 24, noTrimming: true})
		body["tenant_alias"] = *u.Alias
	}
	if u.Active != nil {
		body["is_active"] = *u.Active
	}
	if u.OwnerID != nil {
		v.id("creater", "user", *u.OwnerID)
		body["creater"] = *u.OwnerID
	}
	if len(body) == 0 {
		v.add("body", "nothing to change")
	}
	return body
}

// Update changes team teamID (its tenant_id or tenant_name) and returns
// it as the console then holds it.
//
// It reads the team first ([TeamsService.Get], which finds the tenant_id
// of a tenant_name among the token user's teams: by tenant_name the
// console answers success and changes nothing), checks that an OwnerID
// names a user ([UsersService.Get]; the console does not), then calls
// PUT /openapi/v1/teams/{team_id} (consoles since v5.1.6) and reads the
// team back.
func (s *TeamsService) Update(ctx context.Context, teamID string, in *TeamUpdate, callOpts ...CallOption) (*TeamInfo, *Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("team_id", teamID)
	var body map[string]any
	if in == nil {
		v.add("body", "nil *TeamUpdate")
	} else {
		body = in.body(&v)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	id, resp, err := s.resolveID(ctx, teamID, callOpts)
	if err != nil {
		return nil, resp, err
	}
	if in.OwnerID != nil {
		if _, resp, err := s.client.Users.Get(ctx, *in.OwnerID, callOpts...); err != nil {
			return nil, resp, fmt.Errorf("rainbond: the team's new owner: %w", err)
		}
	}
	resp, err = s.client.do(ctx, &request{method: http.MethodPut, path: "/teams/" + url.PathEscape(id), body: body, opts: callOpts, since: sinceTeamCreate}, nil)
	if err != nil {
		return nil, resp, err
	}
	return s.Get(ctx, id, callOpts...)
}

// resolveID returns the tenant_id of team teamID, given either.
func (s *TeamsService) resolveID(ctx context.Context, teamID string, callOpts []CallOption) (string, *Response, error) {
	team, resp, err := s.Get(ctx, teamID, callOpts...)
	if err == nil {
		return team.TenantID, resp, nil
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != codeTeamNotFoundByID {
		return "", resp, err
	}
	id, findErr := s.tenantID(ctx, teamID, callOpts)
	if findErr != nil {
		return "", resp, errors.Join(err, findErr)
	}
	return id, resp, nil
}

// TeamEnsure is what [TeamsService.Ensure] converges a team to.
type TeamEnsure struct {
	// Name is the team's display name (its tenant_alias): the team is
	// found by it among the token user's teams, and created with it.
	Name string
	// Regions are opened for the team when it is not opened in them.
	Regions []string
	// Active, when not nil, turns the team on or off.
	Active *bool
}

// TeamEnsured is what [TeamsService.Ensure] did.
type TeamEnsured struct {
	// Team is the team as it then stands.
	Team TeamInfo
	// Ensured says what was done: OutcomeCreated, OutcomeUpdated (Changed
	// names what changed: "is_active", "region:<name>") or
	// OutcomeUnchanged.
	Ensured
}

// ErrDuplicateTeam is matched by the error of [TeamsService.Ensure] when
// several teams of the token's user have the display name: the console
// does not keep names unique.
var ErrDuplicateTeam = errors.New("rainbond: several teams have that display name")

// Ensure finds the token user's team whose display name is in.Name,
// creating it when there is none, and converges it: it opens the regions
// it is not opened in and sets Active when it differs. Running it twice
// creates and opens once. Two processes racing may both create the team
// (the console allows duplicate display names); the next Ensure then
// reports [ErrDuplicateTeam] with both ids.
//
// Calls: [TeamsService.All] (query: the name), [TeamsService.Create],
// [TeamsService.EnsureRegion], [TeamsService.Update].
func (s *TeamsService) Ensure(ctx context.Context, in *TeamEnsure, callOpts ...CallOption) (*TeamEnsured, error) {
	v := s.client.validator(ctx)
	if in == nil {
		v.add("body", "nil *TeamEnsure")
	} else {
		v.text("tenant_alias", in.Name, charField{required: true, max: 24, noTrimming: true})
		if strings.ContainsAny(in.Name, `"\`) {
			v.add("tenant_alias", "a '\"' or '\\' would break the console's team search")
		}
		for i, r := range in.Regions {
			v.pathSegment(fmt.Sprintf("regions[%d]", i), r)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	team, err := s.findByAlias(ctx, in.Name, callOpts)
	if err != nil {
		return nil, err
	}
	out := &TeamEnsured{Ensured: Ensured{Outcome: OutcomeUnchanged}}
	regions := in.Regions
	if team == nil {
		created, _, err := s.Create(ctx, &TeamCreate{TenantName: in.Name}, callOpts...)
		if err != nil {
			return nil, err
		}
		out.Outcome = OutcomeCreated
		team = &TeamInfo{TenantID: created.TenantID, TenantName: created.TenantName, TenantAlias: created.TenantAlias, IsActive: created.IsActive}
	}
	for _, r := range regions {
		opened, err := s.EnsureRegion(ctx, team.TenantID, r, callOpts...)
		if err != nil {
			return nil, fmt.Errorf("rainbond: team %s: region %s: %w", team.TenantName, r, err)
		}
		if opened {
			out.Changed = append(out.Changed, "region:"+r)
		}
	}
	if in.Active != nil && *in.Active != team.IsActive {
		if _, _, err := s.Update(ctx, team.TenantID, &TeamUpdate{Active: in.Active}, callOpts...); err != nil {
			return nil, fmt.Errorf("rainbond: team %s: %w", team.TenantName, err)
		}
		out.Changed = append(out.Changed, "is_active")
	}
	if out.Outcome != OutcomeCreated && len(out.Changed) > 0 {
		out.Outcome = OutcomeUpdated
	}
	got, _, err := s.Get(ctx, team.TenantID, callOpts...)
	if err != nil {
		return nil, fmt.Errorf("rainbond: team %s was ensured, but reading it back failed: %w", team.TenantName, err)
	}
	out.Team = *got
	return out, nil
}

// findByAlias returns the token user's team of display name alias, nil
// when there is none.
func (s *TeamsService) findByAlias(ctx context.Context, alias string, callOpts []CallOption) (*TeamInfo, error) {
	var found []TeamInfo
	for t, err := range s.All(ctx, &ListOptions{Query: alias}, callOpts...) {
		if err != nil {
			return nil, err
		}
		if t.TenantAlias == alias {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return &found[0], nil
	}
	ids := make([]string, len(found))
	for i, t := range found {
		ids[i] = t.TenantID
	}
	return nil, fmt.Errorf("%w: %q: %s", ErrDuplicateTeam, oneLine(alias, 40), strings.Join(ids, ", "))
}

// TeamUsage is a team's use of a region's resources.
//
// Source: TeamAppsResourceSerializer over team_services.get_tenant_resource,
// from the cluster's tenant resources. When the console cannot reach the
// cluster it answers zeros, which look like an idle team.
type TeamUsage struct {
	// TeamID, TeamName and TeamAlias are the team (tenant_id,
	// tenant_name, display name).
	TeamID string `json:"team_id"`
	// TeamName: see TeamID.
	TeamName string `json:"team_name"`
	// TeamAlias: see TeamID.
	TeamAlias string `json:"team_alias"`
	// UsedCPU is the CPU the team's components request, in millicores.
	UsedCPU int64 `json:"used_cpu"`
	// UsedMemory is the memory they request, in MiB.
	UsedMemory int64 `json:"used_memory"`
	// TotalCPU is what the team may use, in millicores (the cluster's
	// allocatable CPU when the team has no limit).
	TotalCPU int64 `json:"total_cpu"`
	// TotalMemory is what the team may use, in MiB (its memory limit, or
	// the cluster's allocatable memory).
	TotalMemory int64 `json:"total_memory"`
	// UsedCPUPercent and UsedMemoryPercent are Used of Total, 0 to 100.
	UsedCPUPercent float64 `json:"used_cpu_percentage"`
	// UsedMemoryPercent: see UsedCPUPercent.
	UsedMemoryPercent float64 `json:"used_memory_percentage"`
}

// Usage returns team teamID's use of region regionName's resources.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/resource
// (consoles since v5.2.1). The console answers 400 for a team whose
// display name is empty.
func (s *TeamsService) Usage(ctx context.Context, teamID, regionName string, callOpts ...CallOption) (*TeamUsage, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/resource")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(TeamUsage)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceTeamResource}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// TeamOverview is a team's resources and counts in a region.
//
// Source: TeamOverviewSerializer over team_services.overview.
type TeamOverview struct {
	// UsedCPU, UsedMemory, TotalCPU and TotalMemory are as in [TeamUsage].
	UsedCPU int64 `json:"used_cpu"`
	// UsedMemory: see UsedCPU.
	UsedMemory int64 `json:"used_memory"`
	// TotalCPU: see UsedCPU.
	TotalCPU int64 `json:"total_cpu"`
	// TotalMemory: see UsedCPU.
	TotalMemory int64 `json:"total_memory"`
	// Apps is the number of the team's apps in the region.
	Apps int `json:"app_nums"`
	// Components is the number of its components in the region.
	Components int `json:"component_nums"`
}

// Overview returns team teamID's resources and its numbers of apps and
// components in region regionName.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/overview
// (consoles since v5.3.2).
func (s *TeamsService) Overview(ctx context.Context, teamID, regionName string, callOpts ...CallOption) (*TeamOverview, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/overview")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(TeamOverview)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceTeamOverview}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// TeamRegionRef names a team (its tenant_id) in a region, for
// [TeamsService.UsageOf].
type TeamRegionRef struct {
	// TeamID is the team's tenant_id (a tenant_name is not looked up).
	TeamID string `json:"tenant_id"`
	// RegionName is the region.
	RegionName string `json:"region_name"`
}

// TeamRegionUsage is a team's use of a region, or why there is none.
type TeamRegionUsage struct {
	// TeamRegionRef is the pair asked for.
	TeamRegionRef
	// Usage is the team's use; nil when the console left the pair out:
	// the team is not opened in the region, or is not of the token user's
	// enterprise.
	Usage *TeamUsage
}

// UsageOf returns the use of each team in each region of refs, in order,
// in one call. A pair the console leaves out (it drops them without a
// word) has a nil Usage. When a team is asked for in several regions and
// the console left some out, its answer cannot say which (it names no
// region): the SDK then asks for those pairs one by one
// ([TeamsService.Usage]).
//
// It calls POST /openapi/v1/teams/resource (consoles since v5.2.1), a
// read despite the method: it is sent once, as every POST.
func (s *TeamsService) UsageOf(ctx context.Context, refs []TeamRegionRef, callOpts ...CallOption) ([]TeamRegionUsage, *Response, error) {
	v := s.client.validator(ctx)
	for i, r := range refs {
		v.pathSegment(fmt.Sprintf("[%d].tenant_id", i), r.TeamID)
		v.pathSegment(fmt.Sprintf("[%d].region_name", i), r.RegionName)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := refs
	if body == nil {
		body = []TeamRegionRef{}
	}
	var answer []TeamUsage
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: "/teams/resource", body: body, opts: callOpts, since: sinceTeamResource}, &answer)
	if err != nil {
		return nil, resp, err
	}
	out, unsure := matchUsage(refs, answer)
	for _, i := range unsure {
		u, _, err := s.Usage(ctx, refs[i].TeamID, refs[i].RegionName, callOpts...)
		switch {
		case err == nil:
			out[i].Usage = u
		case !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict):
			return nil, resp, fmt.Errorf("rainbond: team %s in region %s: %w", refs[i].TeamID, refs[i].RegionName, err)
		}
	}
	return out, resp, nil
}

// matchUsage pairs the console's answers with the pairs asked for: they
// come in order, with the pairs it dropped left out. It returns the
// indexes of pairs whose answer cannot be told (their team appears more
// than once and something was dropped).
func matchUsage(refs []TeamRegionRef, answer []TeamUsage) ([]TeamRegionUsage, []int) {
	out := make([]TeamRegionUsage, len(refs))
	for i, r := range refs {
		out[i].TeamRegionRef = r
	}
	aligned := len(answer) == len(refs)
	for i := 0; aligned && i < len(refs); i++ {
		aligned = strings.EqualFold(refs[i].TeamID, answer[i].TeamID)
	}
	if aligned {
		for i := range answer {
			out[i].Usage = &answer[i]
		}
		return out, nil
	}
	count := map[string]int{}
	for _, r := range refs {
		count[strings.ToLower(r.TeamID)]++
	}
	// Ids compare without case, as the console's MySQL does.
	same := func(a, b string) bool { return strings.EqualFold(a, b) }
	var unsure []int
	j := 0
	for i, r := range refs {
		if count[strings.ToLower(r.TeamID)] > 1 {
			unsure = append(unsure, i)
			for j < len(answer) && same(answer[j].TeamID, r.TeamID) {
				j++ // skip this team's answers: which region each is, is unknown
			}
			continue
		}
		if j < len(answer) && same(answer[j].TeamID, r.TeamID) {
			out[i].Usage = &answer[j]
			j++
		}
	}
	if j != len(answer) {
		// An answer matched no pair in order: trust none of the matching.
		unsure = unsure[:0]
		for i := range out {
			out[i].Usage = nil
			unsure = append(unsure, i)
		}
	}
	return out, unsure
}

package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var (
	_ resource.ResourceWithConfigure   = (*teamResource)(nil)
	_ resource.ResourceWithImportState = (*teamResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*teamResource)(nil)
)

// teamResource is rainbond_team: Teams.Create, Get, Update, OpenRegion,
// Delete.
type teamResource struct {
	clientHolder
}

// teamModel is rainbond_team's state.
type teamModel struct {
	ID           types.String `tfsdk:"id"`
	DisplayName  types.String `tfsdk:"display_name"`
	TenantName   types.String `tfsdk:"tenant_name"`
	EnterpriseID types.String `tfsdk:"enterprise_id"`
	Regions      types.Set    `tfsdk:"regions"`
}

// regionsUnsetKey is the private state's record that the configuration
// leaves regions unset (or, after an import, that no apply has seen the
// configuration yet): a refresh then lists every region the team is opened
// in. Create, Update and ImportState always write it; when it is "false",
// a refresh keeps the state's regions that are still open.
const regionsUnsetKey = "regions_unset"

// privateGetter and privateSetter are the private state of a request and
// a response.
type (
	privateGetter interface {
		GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	}
	privateSetter interface {
		SetKey(context.Context, string, []byte) diag.Diagnostics
	}
)

// regionsUnset reads the private record: true when the configuration
// leaves regions unset.
func regionsUnset(ctx context.Context, p privateGetter, diags *diag.Diagnostics) bool {
	b, d := p.GetKey(ctx, regionsUnsetKey)
	diags.Append(d...)
	return string(b) == "true"
}

// recordRegionsUnset writes the private record from the configuration.
func recordRegionsUnset(ctx context.Context, cfg types.Set, p privateSetter, diags *diag.Diagnostics) {
	v := "false"
	if cfg.IsNull() {
		v = "true"
	}
	diags.Append(p.SetKey(ctx, regionsUnsetKey, []byte(v))...)
}

// NewTeamResource makes the rainbond_team resource.
func NewTeamResource() resource.Resource { return &teamResource{} }

// Metadata names the resource rainbond_team.
func (r *teamResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

// Schema describes rainbond_team.
func (r *teamResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A team (the console's tenant), opened in regions. The console generates the team's " +
			"`tenant_name`; the given name is its display name. Destroying the team deletes, in every region, " +
			"its apps and components, including those Terraform does not manage; the console refuses while any " +
			"of them runs. Import with the team's `tenant_id`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "The team's `tenant_id` (32 hex digits), the `team_id` of the other resources.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				Required: true,
				Description: "The team's display name (`tenant_alias`), at most 24 characters. A change, or a rename " +
					"made in the console, is put right in place (`Teams.Update`): the team is never replaced for it.",
				Validators: []validator.String{lengthBetween(1, 24)},
			},
			"tenant_name": schema.StringAttribute{
				Computed:      true,
				Description:   "The team's generated name (8 characters of `[a-z0-9]`), the target of copies.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"enterprise_id": schema.StringAttribute{
				Computed:      true,
				Description:   "The team's enterprise.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"regions": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Description: "Regions (`region_name`) the team is opened in. Regions added are opened in place. " +
					"The OpenAPI cannot close a team's region: one removed from the list stays open and is no " +
					"longer managed (the plan warns). Set, it holds the listed regions that are still open (a region " +
					"opened elsewhere is not added). Unset, each refresh lists every region the team is opened in, " +
					"those opened in the console included, and nothing is opened.",
			},
		},
	}
}

// ModifyPlan warns that a region removed from the list stays open.
func (r *teamResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var state, plan teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Regions.IsUnknown() || plan.Regions.IsNull() {
		return
	}
	removed := setDifference(setStrings(ctx, state.Regions, &resp.Diagnostics), setStrings(ctx, plan.Regions, &resp.Diagnostics))
	if len(removed) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("regions"), "Regions stay open",
			fmt.Sprintf("The Rainbond OpenAPI cannot close a team's region: %s will stay open, no longer managed by Terraform. "+
				"Close it in the console if it must go.", strings.Join(removed, ", ")))
	}
}

// Create creates the team, then opens its regions. A create whose answer
// was lost is looked for among the teams before anything else is tried.
func (r *teamResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamModel
	var cfgRegions types.Set
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("regions"), &cfgRegions)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.DisplayName.ValueString()
	named := func(ctx context.Context) ([]string, error) { return r.teamsNamed(ctx, name) }
	before, err := named(ctx)
	if err != nil {
		addCallError(&resp.Diagnostics, "list the teams before creating one", err)
		return
	}
	team, _, err := r.client.Teams.Create(ctx, &rainbond.TeamCreate{TenantName: name})
	var tenantID string
	switch {
	case err == nil:
		tenantID = team.TenantID
	case maybeSent(err):
		tenantID, _ = adoptLost(ctx, fmt.Sprintf("team %q", name), err, before, named, &resp.Diagnostics)
	default:
		addCallError(&resp.Diagnostics, "create the team", err)
	}
	if tenantID == "" {
		return
	}
	plan.ID = types.StringValue(tenantID)
	recordRegionsUnset(ctx, cfgRegions, resp.Private, &resp.Diagnostics)
	// From here on the team exists: the state is saved even on an error
	// below, and Terraform marks the team tainted.
	defer r.readInto(ctx, &plan, cfgRegions.IsNull(), &resp.State, &resp.Diagnostics)
	if plan.Regions.IsUnknown() {
		return
	}
	r.openRegions(ctx, tenantID, setStrings(ctx, plan.Regions, &resp.Diagnostics), &resp.Diagnostics)
}

// teamsNamed lists the tenant_ids of the teams whose display name is
// name.
func (r *teamResource) teamsNamed(ctx context.Context, name string) ([]string, error) {
	teams, err := listTeams(ctx, r.client, &name)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(teams))
	for i, t := range teams {
		ids[i] = t.TenantID
	}
	return ids, nil
}

// openRegions opens the team in each region, in order.
func (r *teamResource) openRegions(ctx context.Context, tenantID string, regions []string, diags *diag.Diagnostics) {
	for _, region := range regions {
		if _, _, err := r.client.Teams.OpenRegion(ctx, tenantID, region); err != nil {
			addCallError(diags, fmt.Sprintf("open region %q for the team", region), err)
			return
		}
	}
}

// Read refreshes the team; a team the console no longer has leaves the
// state.
func (r *teamResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	all := regionsUnset(ctx, req.Private, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &state, all, &resp.State, &resp.Diagnostics)
}

// readInto reads team m.ID into m and writes m to out; when the console
// has no such team, out is emptied. The regions become every region the
// team is opened in when all is true (the configuration leaves them unset,
// or an import has not met the configuration yet); else the ones of m
// still open.
func (r *teamResource) readInto(ctx context.Context, m *teamModel, all bool, out stateSetter, diags *diag.Diagnostics) {
	team, _, err := r.client.Teams.Get(ctx, m.ID.ValueString())
	if isNotFound(err) {
		out.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCallError(diags, "read the team", err)
		return
	}
	opened, err := r.openedRegions(ctx, team.TenantID)
	if err != nil {
		addCallError(diags, "list the team's regions", err)
		return
	}
	var managed []string
	if !all {
		managed = setStrings(ctx, m.Regions, diags)
	}
	applyTeam(m, team, regionsToKeep(managed, opened, all))
	diags.Append(out.Set(ctx, m)...)
}

// openedRegions lists the regions the team is opened in.
func (r *teamResource) openedRegions(ctx context.Context, tenantID string) ([]string, error) {
	var names []string
	for reg, err := range r.client.Teams.AllRegions(ctx, tenantID, nil) {
		if err != nil {
			return nil, err
		}
		names = append(names, reg.RegionName)
	}
	return names, nil
}

// regionsToKeep is what the state's regions become: every opened region
// when all (the configuration leaves regions unset, or an import has not
// met it yet), else the managed regions that are still open, so that a
// region closed behind Terraform's back shows as a change.
func regionsToKeep(managed, opened []string, all bool) []string {
	if all {
		return sortedCopy(opened)
	}
	var keep []string
	for _, m := range managed {
		if slices.Contains(opened, m) {
			keep = append(keep, m)
		}
	}
	return sortedCopy(keep)
}

// applyTeam copies the console's team into m.
func applyTeam(m *teamModel, team *rainbond.TeamInfo, regions []string) {
	m.ID = types.StringValue(team.TenantID)
	m.DisplayName = types.StringValue(team.TenantAlias)
	m.TenantName = types.StringValue(team.TenantName)
	m.EnterpriseID = types.StringValue(team.EnterpriseID)
	m.Regions = stringSet(regions)
}

// Update renames the team in place when its display name differs (in
// the configuration, or after a rename in the console), then opens the
// regions added to the list.
func (r *teamResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state teamModel
	var cfgRegions types.Set
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("regions"), &cfgRegions)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = state.ID
	recordRegionsUnset(ctx, cfgRegions, resp.Private, &resp.Diagnostics)
	defer r.readInto(ctx, &plan, cfgRegions.IsNull(), &resp.State, &resp.Diagnostics)
	if u := teamUpdate(&plan, &state); u != nil {
		if _, _, err := r.client.Teams.Update(ctx, plan.ID.ValueString(), u); err != nil {
			addCallError(&resp.Diagnostics, "rename the team", err)
			return
		}
	}
	if !plan.Regions.IsUnknown() {
		added := setDifference(setStrings(ctx, plan.Regions, &resp.Diagnostics), setStrings(ctx, state.Regions, &resp.Diagnostics))
		r.openRegions(ctx, plan.ID.ValueString(), added, &resp.Diagnostics)
	}
}

// teamUpdate is the Teams.Update that turns the team of state into plan;
// nil when the display name is the same.
func teamUpdate(plan, state *teamModel) *rainbond.TeamUpdate {
	name := plan.DisplayName.ValueString()
	if plan.DisplayName.IsUnknown() || name == state.DisplayName.ValueString() {
		return nil
	}
	return &rainbond.TeamUpdate{Alias: &name}
}

// Delete deletes the team; a team already gone is deleted.
func (r *teamResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := r.client.Teams.Delete(ctx, state.ID.ValueString()); err != nil && !isNotFound(err) {
		addCallError(&resp.Diagnostics, "delete the team (the console refuses while any of its components runs)", err)
	}
}

// ImportState imports a team by its tenant_id. Its regions are every
// region it is opened in, refreshed so until an apply sees the
// configuration.
func (r *teamResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importIDs(ctx, req.ID, resp, "id")
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, regionsUnsetKey, []byte("true"))...)
}

// stringSet makes a set of strings (empty, not null, for none).
func stringSet(values []string) types.Set {
	s, _ := types.SetValueFrom(context.Background(), types.StringType, values)
	if values == nil {
		s, _ = types.SetValueFrom(context.Background(), types.StringType, []string{})
	}
	return s
}

// sortedCopy is values sorted, never nil.
func sortedCopy(values []string) []string {
	out := append([]string{}, values...)
	sort.Strings(out)
	return out
}

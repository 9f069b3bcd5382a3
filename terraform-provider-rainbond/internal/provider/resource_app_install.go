package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var (
	_ resource.ResourceWithConfigure   = (*appInstallResource)(nil)
	_ resource.ResourceWithImportState = (*appInstallResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*appInstallResource)(nil)
)

// appInstallResource is rainbond_app_install: an app model from a store,
// installed into an app at a version (Apps.InstallFromMarket), upgraded in
// place (Apps.UpgradeModelTo).
type appInstallResource struct {
	clientHolder
}

// appInstallModel is rainbond_app_install's state.
type appInstallModel struct {
	ID               types.String `tfsdk:"id"`
	TeamID           types.String `tfsdk:"team_id"`
	Region           types.String `tfsdk:"region"`
	AppID            types.Int64  `tfsdk:"app_id"`
	MarketURL        types.String `tfsdk:"market_url"`
	MarketDomain     types.String `tfsdk:"market_domain"`
	MarketType       types.String `tfsdk:"market_type"`
	MarketAccessKey  types.String `tfsdk:"market_access_key"`
	AppModelID       types.String `tfsdk:"app_model_id"`
	Version          types.String `tfsdk:"version"`
	Deploy           types.Bool   `tfsdk:"deploy"`
	RecordedVersion  types.String `tfsdk:"recorded_version"`
	AppModelName     types.String `tfsdk:"app_model_name"`
	MarketName       types.String `tfsdk:"market_name"`
	ComponentGroupID types.Int64  `tfsdk:"component_group_id"`
	ComponentIDs     types.List   `tfsdk:"component_ids"`
}

// NewAppInstallResource makes the rainbond_app_install resource.
func NewAppInstallResource() resource.Resource { return &appInstallResource{} }

// Metadata names the resource rainbond_app_install.
func (r *appInstallResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_app_install"
}

// Schema describes rainbond_app_install.
func (r *appInstallResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "An app model from an app store, installed into an app at a version. A change of `version` is an " +
			"upgrade in place (`Apps.UpgradeModelTo`), never a reinstall; the console's OpenAPI upgrade cannot add " +
			"components, nor remove or revert what a version changed. **Version drift cannot be detected**: the " +
			"console records the version installed (or last upgraded in its UI), never an upgrade made through the " +
			"OpenAPI, so the state keeps the version Terraform applied and `recorded_version` shows the console's " +
			"record. `market_url`, `market_domain` and `market_type` are read at installation only: a change is " +
			"stored in place (the plan warns), never a reinstall. Destroying it stops and deletes the components " +
			"the install created. Import with `team_id/region/app_id/app_model_id`: the version is then taken from " +
			"the console's record, and the store settings from the configuration.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, Description: "`team_id/region/app_id/app_model_id`, the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"team_id": schema.StringAttribute{Required: true, PlanModifiers: replace, Description: "The team's `tenant_id`."},
			"region":  schema.StringAttribute{Required: true, PlanModifiers: replace, Description: "The region's `region_name`."},
			"app_id": schema.Int64Attribute{
				Required: true, Description: "The app to install into (`rainbond_app.x.app_id`).",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"market_url": schema.StringAttribute{
				Required: true,
				Description: "The app store's address, e.g. `https://store.goodrain.com`. Read at installation only: " +
					"a change is stored, nothing is sent, the components stay.",
				Validators: []validator.String{lengthBetween(1, 255)},
			},
			"market_domain": schema.StringAttribute{
				Required: true,
				Description: "The store's domain (its name in the store), e.g. `rainbond`. Read at installation " +
					"only: a change is stored, nothing is sent, the components stay.",
				Validators: []validator.String{lengthBetween(1, 64)},
			},
			"market_type": schema.StringAttribute{
				Optional: true,
				Description: "The store's type; `rainstore` when unset. Read at installation only: a change is " +
					"stored, nothing is sent, the components stay.",
				Validators: []validator.String{lengthBetween(1, 64)},
			},
			"market_access_key": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				Description: "The store's access key, for a private store; write-only (never stored in the state; " +
					"Terraform 1.11 or newer), read at installation only. The console keeps the key of the first " +
					"install through a store.",
				Validators: []validator.String{lengthBetween(1, 64)},
			},
			"app_model_id": schema.StringAttribute{
				Required: true, PlanModifiers: replace, Validators: []validator.String{lengthBetween(1, 64)},
				Description: "The app model's id in the store.",
			},
			"version": schema.StringAttribute{
				Required: true, Validators: []validator.String{lengthBetween(1, 64)},
				Description: "The version to install, then to upgrade to in place. Kept from the configuration: the " +
					"console cannot show the version after an upgrade through the OpenAPI.",
			},
			"deploy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				Description: "Whether the installed components are built and started (default true). Read at installation only.",
			},
			"recorded_version": schema.StringAttribute{
				Computed: true,
				Description: "The version the console records for the model: the one installed, or last upgraded in its " +
					"UI, not one reached through the OpenAPI.",
			},
			"app_model_name": schema.StringAttribute{
				Computed: true, Description: "The app model's name.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"market_name": schema.StringAttribute{
				Computed: true, Description: "The console's name of the store record the model came from.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"component_group_id": schema.Int64Attribute{
				Computed: true, Description: "The component group the install created.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"component_ids": schema.ListAttribute{
				ElementType: types.StringType, Computed: true,
				Description:   "The `service_id`s of the components the install created.",
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// ModifyPlan warns that a change of the store settings reaches the state
// only: they were read at installation, and the console keeps no copy the
// OpenAPI could change.
func (r *appInstallResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var state, plan appInstallModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if changed := storeSettingsChanged(&state, &plan); len(changed) > 0 {
		resp.Diagnostics.AddWarning("Store settings are read at installation only",
			fmt.Sprintf("The change of %s is stored in the state only: the installed components stay as they are, and "+
				"nothing is sent to the console. Upgrades keep using the store the model was installed from.",
				strings.Join(changed, ", ")))
	}
}

// storeSettingsChanged names the store settings that plan changes from a
// value state has (a value first set after an import is not a change).
func storeSettingsChanged(state, plan *appInstallModel) []string {
	var out []string
	for _, a := range []struct {
		name        string
		state, plan types.String
	}{
		{"market_url", state.MarketURL, plan.MarketURL},
		{"market_domain", state.MarketDomain, plan.MarketDomain},
		{"market_type", state.MarketType, plan.MarketType},
	} {
		if !a.state.IsNull() && !a.plan.IsUnknown() && !a.state.Equal(a.plan) {
			out = append(out, a.name)
		}
	}
	return out
}

// Create installs the model, after checking that the app does not hold it
// already: an install is not idempotent, so a second one would install the
// components again. An install whose answer was lost is looked for before
// anything else is tried.
func (r *appInstallResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg appInstallModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...) // the write-only access key is only in the configuration
	if resp.Diagnostics.HasError() {
		return
	}
	team, region, appID, model := plan.TeamID.ValueString(), plan.Region.ValueString(), plan.AppID.ValueInt64(), plan.AppModelID.ValueString()
	held, err := r.heldModel(ctx, team, region, appID, model)
	if err != nil {
		addCallError(&resp.Diagnostics, "list the app's models before installing", err)
		return
	}
	if held != nil {
		resp.Diagnostics.AddError("Rainbond: the app already holds the model",
			fmt.Sprintf("App %d already holds app model %s (recorded version %s). Installing it again would create its "+
				"components a second time: import it instead, with the id %s/%s/%d/%s.",
				appID, model, held.CurrentVersion, team, region, appID, model))
		return
	}
	before, _, err := r.client.Apps.ListComponents(ctx, team, region, appID)
	if err != nil {
		addCallError(&resp.Diagnostics, "list the app's components before installing", err)
		return
	}
	install := &rainbond.Install{
		MarketURL: plan.MarketURL.ValueString(), MarketDomain: plan.MarketDomain.ValueString(),
		MarketType: plan.MarketType.ValueString(), MarketAccessKey: rainbond.NewSecret(cfg.MarketAccessKey.ValueString()),
		AppModelID: model, AppModelVersion: plan.Version.ValueString(),
	}
	installed, _, err := r.client.Apps.InstallFromMarket(ctx, team, region, appID, install, &rainbond.InstallOptions{Deploy: plan.Deploy.ValueBool()})
	var group int
	switch {
	case err == nil:
		if group = newGroup(before, installed.NewComponents()); group == 0 {
			resp.Diagnostics.AddError("Rainbond: the install created no component",
				fmt.Sprintf("The console accepted the install of app model %s version %s into app %d, but the app holds no "+
					"new component of it, so nothing was saved in the state. Look at the app in the console: if the "+
					"install did create components, import them with `terraform import <address> %s/%s/%d/%s` "+
					"(applying again would install them a second time); if the version has no component, there is "+
					"nothing for Terraform to manage: pick another version.", model, plan.Version.ValueString(), appID, team, region, appID, model))
		}
	case maybeSent(err):
		group, _ = adoptLost(ctx, fmt.Sprintf("install of app model %q", model), err, componentGroups(before),
			func(ctx context.Context) ([]int, error) {
				after, _, err := r.client.Apps.ListComponents(ctx, team, region, appID)
				return newModelGroups(nil, after, model), err
			}, &resp.Diagnostics)
	default:
		addCallError(&resp.Diagnostics, "install the app model", err)
	}
	if group == 0 {
		return
	}
	plan.ComponentGroupID = types.Int64Value(int64(group))
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// newGroup is the component group of an install's new components; 0
// when there are none. NewComponents picks the app's newest group, which
// is an older one when the install created nothing: a group the app had
// before is no new one.
func newGroup(before, comps []rainbond.ServiceBaseInfo) int {
	if len(comps) == 0 {
		return 0
	}
	g := comps[0].TenantServiceGroupID
	for _, c := range before {
		if c.TenantServiceGroupID == g {
			return 0
		}
	}
	return g
}

// componentGroups is the component groups of comps, each once.
func componentGroups(comps []rainbond.ServiceBaseInfo) []int {
	var groups []int
	for _, c := range comps {
		if !slices.Contains(groups, c.TenantServiceGroupID) {
			groups = append(groups, c.TenantServiceGroupID)
		}
	}
	return groups
}

// newModelGroups is the component groups of model modelID that after has
// and before had not, ascending.
func newModelGroups(before, after []rainbond.ServiceBaseInfo, modelID string) []int {
	old := map[int]bool{}
	for _, c := range before {
		old[c.TenantServiceGroupID] = true
	}
	seen := map[int]bool{}
	var out []int
	for _, c := range after {
		g := c.TenantServiceGroupID
		if c.ServiceKey == modelID && !old[g] && !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	sort.Ints(out)
	return out
}

// heldModel is the app's install of model, as the console lists it; nil
// when the app does not hold it.
func (r *appInstallResource) heldModel(ctx context.Context, team, region string, appID int64, model string) (*rainbond.AppUpgradeInfo, error) {
	models, _, err := r.client.Apps.ListUpgrades(ctx, team, region, appID)
	if err != nil {
		return nil, err
	}
	for i := range models {
		if models[i].AppModelID == model {
			return &models[i], nil
		}
	}
	return nil, nil
}

// Read refreshes the install. It leaves the state when the app is gone,
// no longer holds the model, or holds none of the install's components
// (the next plan installs again). The version stays as in the state.
func (r *appInstallResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state appInstallModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &state, &resp.State, &resp.Diagnostics)
}

// readInto reads the install into m and writes m to out.
func (r *appInstallResource) readInto(ctx context.Context, m *appInstallModel, out stateSetter, diags *diag.Diagnostics) {
	team, region, appID, model := m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64(), m.AppModelID.ValueString()
	held, err := r.heldModel(ctx, team, region, appID, model)
	if isNotFound(err) {
		out.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCallError(diags, "list the app's models", err)
		return
	}
	comps, _, err := r.client.Apps.ListComponents(ctx, team, region, appID)
	if isNotFound(err) {
		out.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCallError(diags, "list the app's components", err)
		return
	}
	group, err := installGroup(comps, model, m.ComponentGroupID)
	if err != nil {
		diags.AddError("Rainbond: cannot tell which components the install created", err.Error())
		return
	}
	ids := groupComponents(comps, group)
	if held == nil || len(ids) == 0 {
		out.RemoveResource(ctx)
		return
	}
	applyInstall(m, held, group, ids)
	diags.Append(out.Set(ctx, m)...)
}

// installGroup is the install's component group: the state's, or, on an
// import, the one group of the model's components (an app holding the model
// twice cannot be imported: nothing tells the installs apart).
func installGroup(comps []rainbond.ServiceBaseInfo, model string, known types.Int64) (int, error) {
	if !known.IsNull() && !known.IsUnknown() {
		return int(known.ValueInt64()), nil
	}
	groups := newModelGroups(nil, comps, model)
	if len(groups) > 1 {
		return 0, fmt.Errorf("the app holds app model %s %d times (component groups %v); nothing tells the installs apart", model, len(groups), groups)
	}
	if len(groups) == 0 {
		return 0, nil
	}
	return groups[0], nil
}

// groupComponents is the ids of group's components, in the app's order.
func groupComponents(comps []rainbond.ServiceBaseInfo, group int) []string {
	var ids []string
	for _, c := range comps {
		if group != 0 && c.TenantServiceGroupID == group {
			ids = append(ids, c.ServiceID)
		}
	}
	return ids
}

// applyInstall copies what the console says of the install into m. The
// version stays as m has it (the console cannot show an upgrade made
// through the OpenAPI); only an import, with none, takes the record.
func applyInstall(m *appInstallModel, held *rainbond.AppUpgradeInfo, group int, ids []string) {
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%d/%s", m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64(), held.AppModelID))
	if m.Version.IsNull() || m.Version.IsUnknown() {
		m.Version = types.StringValue(held.CurrentVersion)
	}
	if m.Deploy.IsNull() || m.Deploy.IsUnknown() {
		m.Deploy = types.BoolValue(true)
	}
	m.MarketAccessKey = types.StringNull() // write-only: never in the state
	m.RecordedVersion = types.StringValue(held.CurrentVersion)
	m.AppModelName = types.StringValue(held.AppModelName)
	m.MarketName = types.StringValue(held.MarketName)
	m.ComponentGroupID = types.Int64Value(int64(group))
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = types.StringValue(id)
	}
	m.ComponentIDs = types.ListValueMust(types.StringType, elems)
}

// Update upgrades the model in place when the version changes; the other
// changes it takes (the store settings, read at installation only) send
// nothing.
func (r *appInstallResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state appInstallModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ComponentGroupID = state.ComponentGroupID
	if v := plan.Version.ValueString(); v != state.Version.ValueString() {
		_, _, err := r.client.Apps.UpgradeModelTo(ctx, plan.TeamID.ValueString(), plan.Region.ValueString(),
			plan.AppID.ValueInt64(), plan.AppModelID.ValueString(), v)
		if err != nil {
			addCallError(&resp.Diagnostics, fmt.Sprintf("upgrade app model %s to version %s", plan.AppModelID.ValueString(), v), upgradeError(err))
			return
		}
	}
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// upgradeError adds, to the upgrade refusals the console's OpenAPI cannot
// get past, what to do instead.
func upgradeError(err error) error {
	switch {
	case errors.Is(err, rainbond.ErrUpgradeAddsComponents):
		return fmt.Errorf("%w; upgrade the app in the console's UI, or install the version into a new app", err)
	case errors.Is(err, rainbond.ErrLocalLibraryModel):
		return fmt.Errorf("%w; the OpenAPI cannot upgrade a model of the local library", err)
	}
	return err
}

// Delete stops the install's components, waits until they are closed,
// and deletes them; those already gone are deleted.
func (r *appInstallResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state appInstallModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var ids []string
	resp.Diagnostics.Append(state.ComponentIDs.ElementsAs(ctx, &ids, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := stopAndDelete(ctx, r.client, state.TeamID.ValueString(), state.Region.ValueString(), state.AppID.ValueInt64(), ids)
	if err != nil {
		addCallError(&resp.Diagnostics, "delete the installed components", err)
	}
}

// ImportState imports an install by team_id/region/app_id/app_model_id.
func (r *appInstallResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importIDs(ctx, req.ID, resp, "team_id", "region", "app_id", "app_model_id")
}

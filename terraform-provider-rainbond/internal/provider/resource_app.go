package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var (
	_ resource.ResourceWithConfigure   = (*appResource)(nil)
	_ resource.ResourceWithImportState = (*appResource)(nil)
)

// appNamePattern is the console's check_app_name: letters, digits, '_',
// '.', '-' and Chinese characters, at most 128.
var appNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.\-\x{4e00}-\x{9fa5}]{1,128}$`)

// appResource is rainbond_app: Apps.Create, Get, Delete.
type appResource struct {
	clientHolder
}

// appModel is rainbond_app's state.
type appModel struct {
	ID     types.String `tfsdk:"id"`
	TeamID types.String `tfsdk:"team_id"`
	Region types.String `tfsdk:"region"`
	Name   types.String `tfsdk:"name"`
	Note   types.String `tfsdk:"note"`
	K8sApp types.String `tfsdk:"k8s_app"`
	AppID  types.Int64  `tfsdk:"app_id"`
	Status types.String `tfsdk:"status"`
}

// NewAppResource makes the rainbond_app resource.
func NewAppResource() resource.Resource { return &appResource{} }

// Metadata names the resource rainbond_app.
func (r *appResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_app"
}

// Schema describes rainbond_app.
func (r *appResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "An app (the console's group) of a team in a region, for components and installs to go into. " +
			"The OpenAPI has no call to change an app, so every change replaces it. Destroying it first stops its " +
			"running components and waits until they are closed (the console refuses to delete an app while one " +
			"runs), then deletes the app with all its components. Import with `team_id/region/app_id`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "`team_id/region/app_id`, the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"team_id": schema.StringAttribute{
				Required:      true,
				Description:   "The team's `tenant_id` (`rainbond_team.x.id`); its `tenant_name` works too.",
				PlanModifiers: replace,
			},
			"region": schema.StringAttribute{
				Required:      true,
				Description:   "The region's `region_name`; the team must be opened in it.",
				PlanModifiers: replace,
			},
			"name": schema.StringAttribute{
				Required: true,
				Description: "The app's name: 1 to 128 letters, digits, `_`, `.`, `-` or Chinese characters, " +
					"unique in the team and region.",
				Validators:    []validator.String{matches(appNamePattern, "1 to 128 letters, digits, '_', '.', '-' or Chinese characters")},
				PlanModifiers: replace,
			},
			"note": schema.StringAttribute{
				Optional:      true,
				Description:   "A note on the app, at most 2048 characters.",
				Validators:    []validator.String{lengthBetween(0, 2048)},
				PlanModifiers: replace,
			},
			"k8s_app": schema.StringAttribute{
				Optional:    true,
				Computed:    true,
				Description: "The app's name in the cluster; the console picks `app-` and six characters when unset.",
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured(),
				},
			},
			"app_id": schema.Int64Attribute{
				Computed:      true,
				Description:   "The app's id, the `app_id` of the other resources.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{
				Computed:    true,
				Description: "`running`, `part_running` or `closed`, from the states of its components, when last read.",
			},
		},
	}
}

// Create creates the app. A create whose answer was lost is looked for by
// name (Apps.Ensure) rather than sent again.
func (r *appResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan appModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	team, region := plan.TeamID.ValueString(), plan.Region.ValueString()
	body := &rainbond.AppPostInfo{AppName: plan.Name.ValueString(), AppNote: plan.Note.ValueString()}
	if !plan.K8sApp.IsUnknown() {
		body.K8sApp = plan.K8sApp.ValueString()
	}
	app, _, err := r.client.Apps.Create(ctx, team, region, body)
	if maybeSent(err) {
		app, err = r.recoverCreate(ctx, team, region, body, err, &resp.Diagnostics)
	}
	if err != nil {
		addCallError(&resp.Diagnostics, "create the app", err)
		return
	}
	plan.AppID = types.Int64Value(app.ID)
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// recoverCreate finds, after a create whose answer was lost, the app by
// its name, creating it only when the console has none (Apps.Ensure).
func (r *appResource) recoverCreate(ctx context.Context, team, region string, body *rainbond.AppPostInfo, cause error, diags *diag.Diagnostics) (*rainbond.AppBaseInfo, error) {
	app, created, err := r.client.Apps.Ensure(ctx, team, region, body)
	var dup *rainbond.DuplicateAppError
	if errors.As(err, &dup) {
		return nil, fmt.Errorf("the create got no answer (%v), and the name is now held by apps %v: delete the extra ones, import one, and apply again: %w", cause, dup.AppIDs, err)
	}
	if err != nil {
		return nil, fmt.Errorf("the create got no answer (%v), and looking for the app by name failed: %w", cause, err)
	}
	if !created {
		diags.AddWarning("Rainbond: adopted the app created without an answer",
			fmt.Sprintf("The create got no answer (%v); app %d, which it created, is used.", cause, app.ID))
	}
	return app, nil
}

// Read refreshes the app; an app the console no longer has leaves the
// state.
func (r *appResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state appModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &state, &resp.State, &resp.Diagnostics)
}

// readInto reads app m.AppID into m and writes m to out.
func (r *appResource) readInto(ctx context.Context, m *appModel, out stateSetter, diags *diag.Diagnostics) {
	app, _, err := r.client.Apps.Get(ctx, m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64())
	if isNotFound(err) {
		out.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCallError(diags, "read the app", err)
		return
	}
	applyApp(m, app)
	diags.Append(out.Set(ctx, m)...)
}

// applyApp copies the console's app into m. A note the console has as
// empty stays null when the configuration has none.
func applyApp(m *appModel, app *rainbond.AppInfo) {
	m.AppID = types.Int64Value(app.ID)
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%d", m.TeamID.ValueString(), m.Region.ValueString(), app.ID))
	m.Name = types.StringValue(app.GroupName)
	m.Note = optionalString(m.Note, app.Note)
	m.K8sApp = types.StringValue(app.K8sApp)
	m.Status = types.StringValue(string(app.Status))
}

// Update is never called with a change: every attribute replaces the app.
// It refreshes the state.
func (r *appResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan appModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// Delete stops the app's running components, waits until they are
// closed, then deletes the app; an app already gone is deleted.
func (r *appResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state appModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	team, region, appID := state.TeamID.ValueString(), state.Region.ValueString(), state.AppID.ValueInt64()
	if err := stopAndWait(ctx, r.client, team, region, appID, nil); err != nil {
		if !isNotFound(err) {
			addCallError(&resp.Diagnostics, "stop the app's components before deleting it", err)
		}
		return
	}
	if _, err := r.client.Apps.Delete(ctx, team, region, appID, nil); err != nil && !isNotFound(err) {
		addCallError(&resp.Diagnostics, "delete the app", err)
	}
}

// ImportState imports an app by team_id/region/app_id.
func (r *appResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importIDs(ctx, req.ID, resp, "team_id", "region", "app_id")
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	rainbond "github.com/rbdkit/rainbond-go"
)

var (
	_ resource.ResourceWithConfigure   = (*componentResource)(nil)
	_ resource.ResourceWithImportState = (*componentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*componentResource)(nil)

	_ resource.ResourceWithValidateConfig = (*componentResource)(nil)
)

var (
	// envNamePattern is the console's rule for a variable's name.
	envNamePattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]{0,99}$`)
	// portAliasPattern is the console's rule for a port's alias.
	portAliasPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	// taggedImagePattern is an image reference with an explicit tag and
	// no digest, which ChangeImage requires.
	taggedImagePattern = regexp.MustCompile(`^[^\s@]+:[\w][\w.-]{0,127}$`)
	// k8sNamePattern is a Kubernetes name.
	k8sNamePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

// componentResource is rainbond_component: a component from an image,
// with its variables, ports and scale.
type componentResource struct {
	clientHolder
}

// componentModel is rainbond_component's state.
type componentModel struct {
	ID               types.String `tfsdk:"id"`
	TeamID           types.String `tfsdk:"team_id"`
	Region           types.String `tfsdk:"region"`
	AppID            types.Int64  `tfsdk:"app_id"`
	Name             types.String `tfsdk:"name"`
	Image            types.String `tfsdk:"image"`
	K8sComponentName types.String `tfsdk:"k8s_component_name"`
	Deploy           types.Bool   `tfsdk:"deploy"`
	Envs             types.Map    `tfsdk:"envs"`
	EnvsWO           types.Map    `tfsdk:"envs_wo"`
	EnvsWOVersion    types.Int64  `tfsdk:"envs_wo_version"`
	Ports            types.Map    `tfsdk:"ports"`
	Scaling          types.Object `tfsdk:"scaling"`
	ServiceID        types.String `tfsdk:"service_id"`
	ServiceAlias     types.String `tfsdk:"service_alias"`
	Version          types.String `tfsdk:"version"`
	Status           types.String `tfsdk:"status"`
}

// portModel is one port of rainbond_component's ports, keyed by the
// container port.
type portModel struct {
	Protocol types.String `tfsdk:"protocol"`
	Alias    types.String `tfsdk:"alias"`
	Inner    types.Bool   `tfsdk:"inner"`
	Outer    types.Bool   `tfsdk:"outer"`
}

// scalingModel is rainbond_component's scaling.
type scalingModel struct {
	MemoryMiB types.Int64 `tfsdk:"memory_mib"`
	CPU       types.Int64 `tfsdk:"cpu"`
	Instances types.Int64 `tfsdk:"instances"`
}

// portObjectType and scalingObjectType are the nested objects' types.
var (
	portObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"protocol": types.StringType, "alias": types.StringType, "inner": types.BoolType, "outer": types.BoolType,
	}}
	scalingObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"memory_mib": types.Int64Type, "cpu": types.Int64Type, "instances": types.Int64Type,
	}}
)

// componentRef addresses a component.
type componentRef struct {
	team, region string
	appID        int64
	serviceID    string
}

func (m *componentModel) ref() componentRef {
	return componentRef{m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64(), m.ServiceID.ValueString()}
}

// NewComponentResource makes the rainbond_component resource.
func NewComponentResource() resource.Resource { return &componentResource{} }

// Metadata names the resource rainbond_component.
func (r *componentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_component"
}

// Schema describes rainbond_component.
func (r *componentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "A component of an app, run from a container image. Its variables, ports, scale and image " +
			"change in place. Destroying it stops it, waits until it is closed, then deletes it. Import with " +
			"`team_id/region/app_id/service_id`: the import reads the component, its ports and scale, never its " +
			"variables (`envs` stays unset in the state); the first apply after it then shows the configured " +
			"`envs` as added and sends only those whose value differs from the console's, and, when " +
			"`envs_wo_version` is set, does the same with `envs_wo`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "`team_id/region/app_id/service_id`, the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"team_id": schema.StringAttribute{
				Required: true, PlanModifiers: replace,
				Description: "The team's `tenant_id` (`rainbond_team.x.id`).",
			},
			"region": schema.StringAttribute{
				Required: true, PlanModifiers: replace,
				Description: "The region's `region_name`.",
			},
			"app_id": schema.Int64Attribute{
				Required:      true,
				Description:   "The app's id (`rainbond_app.x.app_id`).",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true, PlanModifiers: replace,
				Description: "The component's display name (`service_cname`), 1 to 100 characters. The OpenAPI " +
					"cannot rename a component, so a change replaces it.",
				Validators: []validator.String{lengthBetween(1, 100)},
			},
			"image": schema.StringAttribute{
				Required: true,
				Description: "The image to run, with an explicit tag (`nginx:1.27`). A change is made in place: " +
					"the image is changed, then the component is built and deployed, and the apply waits for the build.",
				Validators: []validator.String{matches(taggedImagePattern, "an image reference with an explicit tag and no digest, e.g. \"nginx:1.27\"")},
			},
			"k8s_component_name": schema.StringAttribute{
				Optional: true, Computed: true,
				Description: "The component's name in the cluster, unique in the app; the console picks one when unset.",
				Validators:  []validator.String{matches(k8sNamePattern, "a Kubernetes name (lower-case letters, digits and '-')")},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured(),
				},
			},
			"deploy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				Description: "Whether the new component is built and started at once (default true). Read at " +
					"creation only.",
			},
			"envs": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true, Sensitive: true,
				Description: "Environment variables by name, set in place (the console's `inner` scope). Sensitive: " +
					"the plan hides the values, but **they are stored in the state** in plain text, as they are read " +
					"back so that a value changed in the console shows as a change. Put a value that must stay out " +
					"of the state in `envs_wo` instead. Only the variables named here are read back; the component's " +
					"other variables (set in the console, or by its ports) are never read into the state. The OpenAPI " +
					"cannot delete a variable: one removed from the map stays on the component, no longer managed " +
					"(the plan warns). Unset, no variable is managed or read.",
				Validators: []validator.Map{envNames{}},
			},
			"envs_wo": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true, Sensitive: true, WriteOnly: true,
				Description: "Environment variables by name, as `envs`, whose values never reach the state: " +
					"write-only (Terraform 1.11 or newer). As nothing is stored or read back, a change of a value is " +
					"not seen, neither in the configuration nor in the console: the variables are sent when the " +
					"component is created, and again, those whose value differs from the console's, on each apply " +
					"that changes `envs_wo_version`. A name cannot be in both `envs` and `envs_wo`. A variable removed " +
					"from the map stays on the component (the OpenAPI cannot delete one).",
				Validators: []validator.Map{envNames{}},
			},
			"envs_wo_version": schema.Int64Attribute{
				Optional: true,
				Description: "Any change of this number (a rotation counter, say) sends `envs_wo` again, in place. " +
					"Unset, `envs_wo` is sent at creation only.",
			},
			"ports": schema.MapNestedAttribute{
				Optional: true, Computed: true,
				Description: "The component's ports, keyed by container port (`\"80\"`). When set, it is the " +
					"complete list: ports missing from it are closed and deleted. Unset, it lists the console's ports.",
				Validators:    []validator.Map{portKeys{}},
				PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"protocol": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString(string(rainbond.ProtocolHTTP)),
						Description: "`http` (default), `tcp`, `udp`, `mysql` or `grpc`.",
						Validators:  []validator.String{matches(regexp.MustCompile(`^(http|tcp|udp|mysql|grpc)$`), "one of http, tcp, udp, mysql, grpc")},
					},
					"alias": schema.StringAttribute{
						Optional: true, Computed: true,
						Description:   "The port's alias (upper-case letters, digits, `_`), which names its variables; the console makes one when unset.",
						Validators:    []validator.String{matches(portAliasPattern, "an upper-case letter, then upper-case letters, digits and '_'")},
						PlanModifiers: []planmodifier.String{stringplanmodifier.UseNonNullStateForUnknown()},
					},
					"inner": schema.BoolAttribute{
						Optional: true, Computed: true,
						Description:   "Open to the app's other components. Unset, left as the console has it (closed for a new port).",
						PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseNonNullStateForUnknown()},
					},
					"outer": schema.BoolAttribute{
						Optional: true, Computed: true,
						Description: "Open to the outside through the gateway, as an HTTP rule needs. Unset, left as " +
							"the console has it, so that a rule created with `open_port` does not fight it.",
						PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseNonNullStateForUnknown()},
					},
				}},
			},
			"scaling": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				Description:   "Memory, CPU and instances of the component, changed in place (vertical, then horizontal scaling).",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"memory_mib": schema.Int64Attribute{
						Optional: true, Computed: true,
						Description:   "Memory of each instance in MiB, 64 to 65536 (never one above a multiple of 64).",
						Validators:    []validator.Int64{between(64, 65536)},
						PlanModifiers: []planmodifier.Int64{int64planmodifier.UseNonNullStateForUnknown()},
					},
					"cpu": schema.Int64Attribute{
						Optional: true, Computed: true,
						Description: "CPU of each instance in millicores (1000 is a core); unset, the console derives it from the memory.",
						Validators:  []validator.Int64{between(0, 1<<20)},
					},
					"instances": schema.Int64Attribute{
						Optional: true, Computed: true,
						Description:   "Number of instances, 1 to 100.",
						Validators:    []validator.Int64{between(1, 100)},
						PlanModifiers: []planmodifier.Int64{int64planmodifier.UseNonNullStateForUnknown()},
					},
				},
			},
			"service_id": schema.StringAttribute{
				Computed: true, Description: "The component's id, for HTTP rules.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"service_alias": schema.StringAttribute{
				Computed: true, Description: "The component's generated alias (`gr` and 6 characters).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"version": schema.StringAttribute{Computed: true, Description: "The component's version, as the console records it."},
			"status":  schema.StringAttribute{Computed: true, Description: "The component's state when last read (`running`, `closed`, `undeploy`...)."},
		},
	}
}

// ModifyPlan warns that variables removed from envs (or envs removed)
// stay on the component.
func (r *componentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var state, plan componentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Envs.IsUnknown() {
		return
	}
	removed := setDifference(mapKeys(stringMap(ctx, state.Envs, &resp.Diagnostics)), mapKeys(stringMap(ctx, plan.Envs, &resp.Diagnostics)))
	if len(removed) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("envs"), "Variables stay on the component",
			fmt.Sprintf("The Rainbond OpenAPI cannot delete a variable: %s will stay on the component, no longer managed by Terraform.",
				strings.Join(removed, ", ")))
	}
}

// ValidateConfig refuses a variable named in both envs and envs_wo.
func (r *componentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var envs, wo types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("envs"), &envs)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("envs_wo"), &wo)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plain := envs.Elements() // none when null or unknown
	for _, name := range mapKeys(wo.Elements()) {
		if _, ok := plain[name]; ok {
			resp.Diagnostics.AddAttributeError(path.Root("envs_wo").AtMapKey(name), "Variable set twice",
				fmt.Sprintf("%s is in both envs and envs_wo: keep it in one of them.", name))
		}
	}
}

// Create creates the component, then sets its variables, ports and scale.
// A create whose answer was lost is looked for among the app's components
// before anything else is tried.
func (r *componentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan componentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	// The write-only variables are only in the configuration; a new
	// component gets them all.
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("envs_wo"), &plan.EnvsWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := plan.ref()
	before, _, err := r.client.Apps.ListComponents(ctx, ref.team, ref.region, ref.appID)
	if err != nil {
		addCallError(&resp.Diagnostics, "list the app's components before creating one", err)
		return
	}
	body := &rainbond.ComponentCreate{
		ServiceCname: plan.Name.ValueString(), Image: plan.Image.ValueString(), Deploy: plan.Deploy.ValueBool(),
	}
	if !plan.K8sComponentName.IsUnknown() {
		body.K8sComponentName = plan.K8sComponentName.ValueString()
	}
	created, _, err := r.client.Components.CreateFromImage(ctx, ref.team, ref.region, ref.appID, body)
	switch {
	case err == nil:
		ref.serviceID = created.ServiceID
	case maybeSent(err):
		ref.serviceID, _ = adoptLost(ctx, fmt.Sprintf("component %q", body.ServiceCname), err, serviceIDs(before, ""),
			func(ctx context.Context) ([]string, error) {
				after, _, err := r.client.Apps.ListComponents(ctx, ref.team, ref.region, ref.appID)
				return serviceIDs(after, body.ServiceCname), err
			}, &resp.Diagnostics)
	default:
		addCallError(&resp.Diagnostics, "create the component", err)
	}
	if ref.serviceID == "" {
		return
	}
	plan.ServiceID = types.StringValue(ref.serviceID)
	// From here on the component exists: the state is saved even on an
	// error below, and Terraform marks the component tainted.
	defer r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
	current, found, err := r.read(ctx, &plan)
	if err != nil || !found {
		addCallError(&resp.Diagnostics, "read the new component", errors.Join(err, errIfNotFound(found)))
		return
	}
	r.apply(ctx, ref, &plan, current, &resp.Diagnostics)
}

// errIfNotFound is an error for a thing a read did not find.
func errIfNotFound(found bool) error {
	if found {
		return nil
	}
	return rainbond.ErrNotFound
}

// serviceIDs is the ids of comps; of those named name only, unless name
// is "".
func serviceIDs(comps []rainbond.ServiceBaseInfo, name string) []string {
	var ids []string
	for _, c := range comps {
		if name == "" || c.ServiceCname == name {
			ids = append(ids, c.ServiceID)
		}
	}
	return ids
}

// Read refreshes the component; one the console no longer has leaves the
// state.
func (r *componentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state componentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &state, &resp.State, &resp.Diagnostics)
}

// readInto reads the component into m and writes m to out.
func (r *componentResource) readInto(ctx context.Context, m *componentModel, out stateSetter, diags *diag.Diagnostics) {
	got, found, err := r.read(ctx, m)
	if err != nil {
		addCallError(diags, "read the component", err)
		return
	}
	if !found {
		out.RemoveResource(ctx)
		return
	}
	diags.Append(out.Set(ctx, got)...)
}

// read reads the component that m addresses, with the variables m
// manages (none when m.Envs is unset: the console's other variables never
// reach the state), its ports and scale.
func (r *componentResource) read(ctx context.Context, m *componentModel) (*componentModel, bool, error) {
	ref := m.ref()
	comp, _, err := r.client.Components.Get(ctx, ref.team, ref.region, ref.appID, ref.serviceID)
	if isNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	ports, _, err := r.client.Components.ListPorts(ctx, ref.team, ref.region, ref.appID, ref.serviceID)
	if err != nil {
		return nil, false, fmt.Errorf("listing its ports: %w", err)
	}
	out := *m
	applyComponent(&out, comp)
	out.Ports = portsValue(ports)
	out.Envs = types.MapNull(types.StringType)
	out.EnvsWO = types.MapNull(types.StringType) // write-only: never in the state
	if m.Envs.IsNull() || m.Envs.IsUnknown() {
		return &out, true, nil // no variable managed: none is listed
	}
	var diags diag.Diagnostics
	managed := mapKeys(stringMap(ctx, m.Envs, &diags))
	if diags.HasError() {
		return nil, false, fmt.Errorf("reading the state's variables: %v", diags)
	}
	envs, _, err := r.client.Components.ListEnvs(ctx, ref.team, ref.region, ref.appID, ref.serviceID)
	if err != nil {
		return nil, false, fmt.Errorf("listing its variables: %w", err)
	}
	out.Envs = stringMapValue(envsToKeep(envs, managed))
	return &out, true, nil
}

// applyComponent copies the console's component into m.
func applyComponent(m *componentModel, comp *rainbond.ServiceBaseInfo) {
	m.ServiceID = types.StringValue(comp.ServiceID)
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%d/%s", m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64(), comp.ServiceID))
	m.Name = types.StringValue(comp.ServiceCname)
	m.Image = types.StringValue(comp.Image)
	m.K8sComponentName = types.StringValue(comp.K8sComponentName)
	m.ServiceAlias = types.StringValue(comp.ServiceAlias)
	m.Version = types.StringValue(comp.Version)
	m.Status = types.StringValue(string(comp.Status))
	if m.Deploy.IsNull() || m.Deploy.IsUnknown() {
		m.Deploy = types.BoolValue(true) // an import: the default
	}
	m.Scaling = types.ObjectValueMust(scalingObjectType.AttrTypes, map[string]attr.Value{
		"memory_mib": types.Int64Value(int64(comp.MinMemory)),
		"cpu":        types.Int64Value(int64(comp.MinCPU)),
		"instances":  types.Int64Value(int64(comp.MinNode)),
	})
}

// envsToKeep is what the state's envs become: the managed variables the
// component still has, so that a variable changed or deleted behind
// Terraform's back shows as a change. No other variable is ever kept: one
// set in the console may hold a secret the configuration never named.
func envsToKeep(envs []rainbond.EnvVar, managed []string) map[string]string {
	out := map[string]string{}
	for _, e := range envs {
		if slices.Contains(managed, e.Name) {
			out[e.Name] = e.Value
		}
	}
	return out
}

// portsValue is the console's ports as the ports attribute.
func portsValue(ports []rainbond.ComponentPort) types.Map {
	elems := map[string]attr.Value{}
	for _, p := range ports {
		elems[strconv.Itoa(p.ContainerPort)] = types.ObjectValueMust(portObjectType.AttrTypes, map[string]attr.Value{
			"protocol": types.StringValue(string(p.Protocol)),
			"alias":    types.StringValue(p.PortAlias),
			"inner":    types.BoolValue(p.IsInnerService),
			"outer":    types.BoolValue(p.IsOuterService),
		})
	}
	return types.MapValueMust(portObjectType, elems)
}

// Update changes, in this order, the variables, the ports, the scale and
// the image (then builds and waits for the build) of the component. The
// write-only variables are sent when envs_wo_version changes.
func (r *componentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state componentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ServiceID = state.ServiceID
	if !plan.EnvsWOVersion.Equal(state.EnvsWOVersion) {
		// The write-only variables are sent again: they are only in the
		// configuration.
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("envs_wo"), &plan.EnvsWO)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	defer r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
	r.apply(ctx, plan.ref(), &plan, &state, &resp.Diagnostics)
}

// apply sends what differs between plan and have, the component as it is.
func (r *componentResource) apply(ctx context.Context, ref componentRef, plan, have *componentModel, diags *diag.Diagnostics) {
	steps := []func(context.Context, componentRef, *componentModel, *componentModel, *diag.Diagnostics){
		r.applyEnvs, r.applyPorts, r.applyScaling, r.applyImage,
	}
	for _, step := range steps {
		step(ctx, ref, plan, have, diags)
		if diags.HasError() {
			return
		}
	}
}

// applyEnvs sets the variables of envs whose value differs from the
// console's (after an import, the state has none to compare with), and
// those of envs_wo when plan holds them (a create, or a new
// envs_wo_version), keeping the notes the console has for them (it clears
// a note that is not sent). The values are scrubbed out of its errors: they
// are no SDK secrets, which the SDK would redact.
func (r *componentResource) applyEnvs(ctx context.Context, ref componentRef, plan, have *componentModel, diags *diag.Diagnostics) {
	want := stringMap(ctx, plan.Envs, diags)
	writeOnly := stringMap(ctx, plan.EnvsWO, diags)
	if diags.HasError() || (len(changedEnvs(want, stringMap(ctx, have.Envs, diags))) == 0 && len(writeOnly) == 0) {
		return
	}
	// The names are never in both maps (ValidateConfig).
	all := make(map[string]string, len(want)+len(writeOnly))
	maps.Copy(all, want)
	maps.Copy(all, writeOnly)
	values := slices.Collect(maps.Values(all))
	current, _, err := r.client.Components.ListEnvs(ctx, ref.team, ref.region, ref.appID, ref.serviceID)
	if err != nil {
		addCallError(diags, "list the component's variables", scrubValues(err, values))
		return
	}
	notes, console := map[string]string{}, map[string]string{}
	for _, e := range current {
		notes[e.Name], console[e.Name] = e.Note, e.Value
	}
	changed := changedEnvs(all, console)
	if len(changed) == 0 {
		return
	}
	vars := make([]rainbond.EnvVar, len(changed))
	for i, name := range changed {
		vars[i] = rainbond.EnvVar{Name: name, Value: all[name], Note: notes[name]}
	}
	if _, _, err := r.client.Components.UpdateEnvs(ctx, ref.team, ref.region, ref.appID, ref.serviceID, vars); err != nil {
		addCallError(diags, "set the component's variables", scrubValues(err, values))
	}
}

// changedEnvs names, sorted, the variables of want whose value have lacks
// or differs.
func changedEnvs(want, have map[string]string) []string {
	var out []string
	for name, v := range want {
		if old, ok := have[name]; !ok || old != v {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// portChange is one call of a port update, in the order it is sent.
type portChange struct {
	// kind is "add", "update" or "delete".
	kind   string
	port   int
	create *rainbond.PortCreate
	update *rainbond.PortUpdate
}

// planPorts is the calls that turn the ports have into want: deletions
// (closing a port first), then additions (then opening) and changes, each
// port in ascending order. Members of want left unknown (alias, inner,
// outer) are left as they are; k8sNames are the ports' Kubernetes service
// names, which an alias change needs.
func planPorts(want, have map[string]portModel, k8sNames map[int]string) []portChange {
	var out []portChange
	for _, key := range sortedPortKeys(have) {
		if _, ok := want[key]; !ok {
			n, _ := strconv.Atoi(key)
			out = append(out, closePort(n, have[key])...)
			out = append(out, portChange{kind: "delete", port: n})
		}
	}
	for _, key := range sortedPortKeys(want) {
		n, _ := strconv.Atoi(key)
		h, exists := have[key]
		if !exists {
			out = append(out, addPort(n, want[key])...)
			continue
		}
		out = append(out, changePort(n, want[key], h, k8sNames[n])...)
	}
	return out
}

// closePort closes a port's outer, then inner, service.
func closePort(n int, h portModel) []portChange {
	var out []portChange
	if h.Outer.ValueBool() {
		out = append(out, portChange{kind: "update", port: n, update: &rainbond.PortUpdate{Action: rainbond.PortCloseOuter}})
	}
	if h.Inner.ValueBool() {
		out = append(out, portChange{kind: "update", port: n, update: &rainbond.PortUpdate{Action: rainbond.PortCloseInner}})
	}
	return out
}

// addPort adds a port, then opens its outer service when asked.
func addPort(n int, w portModel) []portChange {
	create := &rainbond.PortCreate{Port: n, Protocol: rainbond.PortProtocol(w.Protocol.ValueString()), IsInnerService: w.Inner.ValueBool()}
	if known(w.Alias) {
		create.PortAlias = w.Alias.ValueString()
	}
	out := []portChange{{kind: "add", port: n, create: create}}
	if w.Outer.ValueBool() {
		out = append(out, portChange{kind: "update", port: n, update: &rainbond.PortUpdate{Action: rainbond.PortOnlyOpenOuter}})
	}
	return out
}

// changePort changes an existing port's protocol, alias and services:
// outer closed before inner, inner opened before outer.
func changePort(n int, w, h portModel, k8sName string) []portChange {
	var out []portChange
	upd := func(u rainbond.PortUpdate) { out = append(out, portChange{kind: "update", port: n, update: &u}) }
	if known(w.Protocol) && w.Protocol.ValueString() != h.Protocol.ValueString() {
		upd(rainbond.PortUpdate{Action: rainbond.PortChangeProtocol, Protocol: rainbond.PortProtocol(w.Protocol.ValueString())})
	}
	if known(w.Alias) && w.Alias.ValueString() != h.Alias.ValueString() {
		upd(rainbond.PortUpdate{Action: rainbond.PortChangeAlias, PortAlias: w.Alias.ValueString(), K8sServiceName: k8sName})
	}
	if knownBool(w.Outer) && !w.Outer.ValueBool() && h.Outer.ValueBool() {
		upd(rainbond.PortUpdate{Action: rainbond.PortCloseOuter})
	}
	if knownBool(w.Inner) && w.Inner.ValueBool() != h.Inner.ValueBool() {
		if w.Inner.ValueBool() {
			upd(rainbond.PortUpdate{Action: rainbond.PortOpenInner})
		} else {
			upd(rainbond.PortUpdate{Action: rainbond.PortCloseInner})
		}
	}
	if knownBool(w.Outer) && w.Outer.ValueBool() && !h.Outer.ValueBool() {
		upd(rainbond.PortUpdate{Action: rainbond.PortOnlyOpenOuter})
	}
	return out
}

// known reports a string set to a known value.
func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

// knownBool reports a bool set to a known value.
func knownBool(v types.Bool) bool { return !v.IsNull() && !v.IsUnknown() }

// sortedPortKeys is the keys of ports in ascending port order.
func sortedPortKeys(ports map[string]portModel) []string {
	keys := make([]string, 0, len(ports))
	for k := range ports {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.Atoi(keys[i])
		b, _ := strconv.Atoi(keys[j])
		return a < b
	})
	return keys
}

// applyPorts adds, changes and deletes ports as the plan says.
func (r *componentResource) applyPorts(ctx context.Context, ref componentRef, plan, have *componentModel, diags *diag.Diagnostics) {
	if plan.Ports.IsUnknown() || plan.Ports.IsNull() {
		return
	}
	want, current := portMap(ctx, plan.Ports, diags), portMap(ctx, have.Ports, diags)
	if diags.HasError() {
		return
	}
	ports, _, err := r.client.Components.ListPorts(ctx, ref.team, ref.region, ref.appID, ref.serviceID)
	if err != nil {
		addCallError(diags, "list the component's ports", err)
		return
	}
	k8sNames := map[int]string{}
	for _, p := range ports {
		k8sNames[p.ContainerPort] = p.K8sServiceName
	}
	for _, ch := range planPorts(want, current, k8sNames) {
		if err := r.sendPortChange(ctx, ref, ch); err != nil {
			addCallError(diags, fmt.Sprintf("%s port %d", ch.kind, ch.port), err)
			return
		}
	}
}

// sendPortChange sends one port call; a port already deleted is deleted.
func (r *componentResource) sendPortChange(ctx context.Context, ref componentRef, ch portChange) error {
	var err error
	switch ch.kind {
	case "add":
		_, _, err = r.client.Components.AddPort(ctx, ref.team, ref.region, ref.appID, ref.serviceID, ch.create)
	case "update":
		_, _, err = r.client.Components.UpdatePort(ctx, ref.team, ref.region, ref.appID, ref.serviceID, ch.port, ch.update)
	case "delete":
		_, _, err = r.client.Components.DeletePort(ctx, ref.team, ref.region, ref.appID, ref.serviceID, ch.port)
		if isNotFound(err) {
			err = nil
		}
	}
	return err
}

// applyScaling scales vertically when memory or CPU differ, then
// horizontally when the instances differ.
func (r *componentResource) applyScaling(ctx context.Context, ref componentRef, plan, have *componentModel, diags *diag.Diagnostics) {
	want, ok := scalingOf(ctx, plan.Scaling, diags)
	cur, _ := scalingOf(ctx, have.Scaling, diags)
	if !ok || diags.HasError() {
		return
	}
	if v := verticalChange(want, cur); v != nil {
		if _, err := r.client.Components.ScaleVertical(ctx, ref.team, ref.region, ref.appID, ref.serviceID, v); err != nil {
			addCallError(diags, "scale the component vertically", err)
			return
		}
	}
	if !want.Instances.IsUnknown() && !want.Instances.IsNull() && want.Instances.ValueInt64() != cur.Instances.ValueInt64() {
		n := int(want.Instances.ValueInt64())
		if _, err := r.client.Components.ScaleHorizontal(ctx, ref.team, ref.region, ref.appID, ref.serviceID, n); err != nil {
			addCallError(diags, "scale the component horizontally", err)
		}
	}
}

// verticalChange is the vertical scale to send, or nil when memory and
// CPU are as wanted (or not set). Unset memory keeps the current memory;
// unset CPU lets the console derive it.
func verticalChange(want, cur scalingModel) *rainbond.VerticalScale {
	memSet := !want.MemoryMiB.IsUnknown() && !want.MemoryMiB.IsNull()
	cpuSet := !want.CPU.IsUnknown() && !want.CPU.IsNull()
	memChanged := memSet && want.MemoryMiB.ValueInt64() != cur.MemoryMiB.ValueInt64()
	cpuChanged := cpuSet && want.CPU.ValueInt64() != cur.CPU.ValueInt64()
	if !memChanged && !cpuChanged {
		return nil
	}
	v := &rainbond.VerticalScale{MemoryMiB: int(cur.MemoryMiB.ValueInt64())}
	if memSet {
		v.MemoryMiB = int(want.MemoryMiB.ValueInt64())
	}
	if cpuSet {
		v.CPU = rainbond.Ptr(int(want.CPU.ValueInt64()))
	}
	return v
}

// scalingOf reads the scaling object; false when it is null or unknown.
func scalingOf(ctx context.Context, o types.Object, diags *diag.Diagnostics) (scalingModel, bool) {
	var s scalingModel
	if o.IsNull() || o.IsUnknown() {
		return s, false
	}
	diags.Append(o.As(ctx, &s, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	return s, true
}

// applyImage changes the image, builds the component and waits for the
// build.
func (r *componentResource) applyImage(ctx context.Context, ref componentRef, plan, have *componentModel, diags *diag.Diagnostics) {
	image := plan.Image.ValueString()
	if image == have.Image.ValueString() {
		return
	}
	if _, err := r.client.Components.ChangeImage(ctx, ref.team, ref.region, ref.appID, ref.serviceID, image); err != nil {
		addCallError(diags, "change the component's image", err)
		return
	}
	ev, _, err := r.client.Components.Build(ctx, ref.team, ref.region, ref.appID, ref.serviceID, nil)
	if errors.Is(err, rainbond.ErrBuildWithoutEvent) {
		diags.AddWarning("Rainbond: the build runs unfollowed",
			"The image was changed and the build started, but the console gave no event to follow it by.")
		return
	}
	if err != nil {
		addCallError(diags, "build the component with its new image", err)
		return
	}
	if _, err := r.client.Components.WaitForEvent(ctx, ref.team, ref.region, ref.appID, ref.serviceID, ev.EventID, nil); err != nil {
		addCallError(diags, "build the component with its new image", err)
	}
}

// Delete stops the component, waits until it is closed, then deletes
// it; a component already gone is deleted.
func (r *componentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state componentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := state.ref()
	if err := stopAndDelete(ctx, r.client, ref.team, ref.region, ref.appID, []string{ref.serviceID}); err != nil {
		addCallError(&resp.Diagnostics, "delete the component", err)
	}
}

// ImportState imports a component by team_id/region/app_id/service_id.
func (r *componentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importIDs(ctx, req.ID, resp, "team_id", "region", "app_id", "service_id")
}

// stringMap reads a map of strings; nil when null or unknown.
func stringMap(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := map[string]string{}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

// stringMapValue makes a map of strings (empty, not null, for none).
func stringMapValue(values map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(values))
	for k, v := range values {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// portMap reads the ports attribute; nil when null or unknown.
func portMap(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]portModel {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := map[string]portModel{}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

// mapKeys is the keys of m, sorted.
func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// envNames checks the envs map's names by the console's rule, and refuses
// the names the console reserves.
type envNames struct{}

// reservedEnvNames are the console's SENSITIVE_ENV_NAMES.
var reservedEnvNames = []string{"TENANT_ID", "SERVICE_ID", "TENANT_NAME", "SERVICE_NAME", "SERVICE_VERSION", "MEMORY_SIZE",
	"SERVICE_EXTEND_METHOD", "SLUG_URL", "DEPEND_SERVICE", "REVERSE_DEPEND_SERVICE", "POD_ORDER", "PATH", "POD_NET_IP", "LOG_MATCH"}

// Description says what the validator checks.
func (envNames) Description(context.Context) string {
	return "names must start with a letter, hold letters, digits and '_' (at most 100), and not be reserved by the console; values must be 1 to 1024 characters without spaces around them"
}

// MarkdownDescription is Description.
func (v envNames) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateMap checks every known name and value.
func (v envNames) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	for name, val := range req.ConfigValue.Elements() {
		p := req.Path.AtMapKey(name)
		switch {
		case !envNamePattern.MatchString(name):
			resp.Diagnostics.AddAttributeError(p, "Invalid variable name", fmt.Sprintf("%q: %s.", name, v.Description(ctx)))
		case slices.Contains(reservedEnvNames, name):
			resp.Diagnostics.AddAttributeError(p, "Reserved variable name", fmt.Sprintf("The console reserves the variable %s.", name))
		}
		s, ok := val.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if n := len([]rune(s.ValueString())); n < 1 || n > 1024 || strings.TrimSpace(s.ValueString()) != s.ValueString() {
			resp.Diagnostics.AddAttributeError(p, "Invalid variable value",
				fmt.Sprintf("The value of %s must be 1 to 1024 characters without spaces around them (the console would trim them).", name))
		}
	}
}

// portKeys checks that the ports map is keyed by port numbers.
type portKeys struct{}

// Description says what the validator checks.
func (portKeys) Description(context.Context) string {
	return "keys must be container ports, 1 to 65535, written in decimal"
}

// MarkdownDescription is Description.
func (v portKeys) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateMap checks every key.
func (v portKeys) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	for key := range req.ConfigValue.Elements() {
		n, err := strconv.Atoi(key)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != key {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Invalid port", fmt.Sprintf("%q: %s.", key, v.Description(ctx)))
		}
	}
}

package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var (
	_ resource.ResourceWithConfigure   = (*httpRuleResource)(nil)
	_ resource.ResourceWithImportState = (*httpRuleResource)(nil)
)

var (
	// domainPattern is a domain name as a gateway routes it: no scheme,
	// port, path, '_' or spaces.
	domainPattern = regexp.MustCompile(`^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
	// domainPathPattern is a path starting with '/'.
	domainPathPattern = regexp.MustCompile(`^/\S*$`)
)

// httpRuleResource is rainbond_http_rule: Gateway.EnsureHTTPRule,
// GetHTTPRule, UpdateHTTPRule, DeleteHTTPRule.
type httpRuleResource struct {
	clientHolder
}

// httpRuleModel is rainbond_http_rule's state.
type httpRuleModel struct {
	ID            types.String `tfsdk:"id"`
	TeamID        types.String `tfsdk:"team_id"`
	Region        types.String `tfsdk:"region"`
	AppID         types.Int64  `tfsdk:"app_id"`
	DomainName    types.String `tfsdk:"domain_name"`
	DomainPath    types.String `tfsdk:"domain_path"`
	DomainHeader  types.String `tfsdk:"domain_header"`
	DomainCookie  types.String `tfsdk:"domain_cookie"`
	ServiceID     types.String `tfsdk:"service_id"`
	ContainerPort types.Int64  `tfsdk:"container_port"`
	CertificateID types.Int64  `tfsdk:"certificate_id"`
	AutoSSL       types.Bool   `tfsdk:"auto_ssl"`
	AutoSSLConfig types.String `tfsdk:"auto_ssl_config"`
	OpenPort      types.Bool   `tfsdk:"open_port"`
	RuleID        types.String `tfsdk:"rule_id"`
	Protocol      types.String `tfsdk:"protocol"`
	URL           types.String `tfsdk:"url"`
}

// NewHTTPRuleResource makes the rainbond_http_rule resource.
func NewHTTPRuleResource() resource.Resource { return &httpRuleResource{} }

// Metadata names the resource rainbond_http_rule.
func (r *httpRuleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_http_rule"
}

// Schema describes rainbond_http_rule.
func (r *httpRuleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Description: "An HTTP domain rule of the gateway: requests for a domain (and path, header, cookie) go to a " +
			"component's port, over HTTPS with a certificate. Created with `Gateway.EnsureHTTPRule`: a rule of the " +
			"app for the same domain, path, header and cookie that already routes exactly as configured is adopted " +
			"(the apply warns); one that routed otherwise is changed by it, then refused, as it may belong to " +
			"another resource: import it to manage it. Changed in place, except its header condition, and a " +
			"cookie condition removed, which replace it. Import with `team_id/region/app_id/rule_id`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, Description: "`team_id/region/app_id/rule_id`, the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"team_id": schema.StringAttribute{Required: true, PlanModifiers: replace, Description: "The team's `tenant_id`."},
			"region":  schema.StringAttribute{Required: true, PlanModifiers: replace, Description: "The region's `region_name`."},
			"app_id": schema.Int64Attribute{
				Required: true, Description: "The app of the component (`rainbond_app.x.app_id`).",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"domain_name": schema.StringAttribute{
				Required: true, Description: "The domain, without scheme, port or path (`shop.example.com`).",
				Validators: []validator.String{lengthBetween(1, 253), matches(domainPattern, "a domain name without scheme, port, path, '_' or spaces")},
			},
			"domain_path": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("/"),
				Description: "The path to match, starting with `/` (default `/`).",
				Validators:  []validator.String{matches(domainPathPattern, "a path starting with '/'")},
			},
			"domain_header": schema.StringAttribute{
				Optional: true, PlanModifiers: replace,
				Description: "A header condition (`name=value`). The console cannot change it: a change replaces the rule.",
			},
			"domain_cookie": schema.StringAttribute{
				Optional: true,
				Description: "A cookie condition (`name=value`). Set or changed in place (the console's update writes " +
					"it). The console's update refuses an empty cookie, so removing the condition replaces the rule.",
				Validators:    []validator.String{matches(regexp.MustCompile(`\S`), "a cookie condition, not empty (remove the attribute for none)")},
				PlanModifiers: []planmodifier.String{replaceWhenCleared()},
			},
			"service_id": schema.StringAttribute{
				Required: true, Description: "The component to route to (`rainbond_component.x.service_id`).",
			},
			"container_port": schema.Int64Attribute{
				Required: true, Description: "The component's port; it must be open to the outside (see `open_port`).",
				Validators: []validator.Int64{between(1, 65535)},
			},
			"certificate_id": schema.Int64Attribute{
				Optional: true,
				Description: "A certificate of the team (`rainbond_certificate.x.certificate_id`) for HTTPS; unset for " +
					"HTTP. It must cover the domain and be valid now.",
				Validators: []validator.Int64{between(1, 1<<53)},
			},
			"auto_ssl": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				Description: "Whether an outside service issues the certificate.",
			},
			"auto_ssl_config": schema.StringAttribute{
				Optional: true, Description: "How the outside service issues it, at most 32 characters.",
				Validators: []validator.String{lengthBetween(1, 32)},
			},
			"open_port": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				Description: "Open the component's port to the outside when the rule is created, if it is closed. A " +
					"component managed by Terraform can instead say `outer = true` on its port. Read at creation only.",
			},
			"rule_id": schema.StringAttribute{
				Computed: true, Description: "The rule's id (`http_rule_id`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"protocol": schema.StringAttribute{Computed: true, Description: "`http`, or `https` with a certificate."},
			"url":      schema.StringAttribute{Computed: true, Description: "The address the rule publishes."},
		},
	}
}

// replaceWhenCleared replaces the rule when a condition it has is
// removed: the console's update refuses "" (UpdatePostHTTPGatewayRuleSerializer's
// CharField, not allow_blank), and leaves the rule's value when the member
// is missing, so the OpenAPI can set or change a cookie, never clear it.
func replaceWhenCleared() planmodifier.String {
	const desc = "Replaces the rule when the condition is removed; a change is made in place."
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = cookieCleared(req.StateValue, req.PlanValue)
	}, desc, desc)
}

// cookieCleared reports a condition the state has and the plan drops.
func cookieCleared(state, plan types.String) bool {
	return state.ValueString() != "" && !plan.IsUnknown() && plan.ValueString() == ""
}

// Create makes the app route the domain as asked, creating the rule or
// adopting the app's rule for the same domain, path, header and cookie
// when it already routes as asked. A rule that routes otherwise is left as
// it is and refused (EnsureHTTPRule's NoUpdate; see refuseRule).
func (r *httpRuleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan httpRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := &rainbond.HTTPRuleEnsure{
		DomainName: plan.DomainName.ValueString(), DomainPath: plan.DomainPath.ValueString(),
		DomainHeader: plan.DomainHeader.ValueString(), DomainCookie: plan.DomainCookie.ValueString(),
		ServiceID: plan.ServiceID.ValueString(), ContainerPort: int(plan.ContainerPort.ValueInt64()),
		CertificateID: int(plan.CertificateID.ValueInt64()), AutoSSL: plan.AutoSSL.ValueBool(),
		AutoSSLConfig: plan.AutoSSLConfig.ValueString(), OpenPort: plan.OpenPort.ValueBool(), NoUpdate: true,
	}
	rule, done, err := r.client.Gateway.EnsureHTTPRule(ctx, plan.TeamID.ValueString(), plan.Region.ValueString(), plan.AppID.ValueInt64(), want)
	if errors.Is(err, rainbond.ErrRuleExists) && rule != nil {
		refuseRule(&plan, rule, err, &resp.Diagnostics)
		return
	}
	if err != nil {
		addCallError(&resp.Diagnostics, "create the HTTP rule", err)
		return
	}
	warnIfAdopted(rule, done, &resp.Diagnostics)
	plan.RuleID = types.StringValue(rule.HTTPRuleID)
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// warnIfAdopted warns when the rule EnsureHTTPRule gave is one the app
// already had, routing as configured: Terraform now manages it.
func warnIfAdopted(rule *rainbond.HTTPRule, done *rainbond.Ensured, diags *diag.Diagnostics) {
	if done.Outcome == rainbond.OutcomeUnchanged {
		diags.AddWarning("Rainbond: adopted an existing HTTP rule",
			fmt.Sprintf("The app already had rule %s for %s, routing as configured; it is now managed by Terraform.", rule.HTTPRuleID, rule.URL()))
	}
}

// refuseRule says why the app's rule for the domain, routing otherwise,
// was neither changed nor adopted: it may belong to another resource or to
// the console, and two resources would share one rule.
func refuseRule(plan *httpRuleModel, rule *rainbond.HTTPRule, err error, diags *diag.Diagnostics) {
	diags.AddError("Rainbond: the app already has a rule for this domain",
		fmt.Sprintf("App %d already has rule %s for %s, routing otherwise: %v. Nothing was changed, and it is not adopted: it may "+
			"belong to another resource, or to the console. If this resource should manage it, import it: "+
			"`terraform import <address> %s/%s/%d/%s`; otherwise give this rule another domain, path, header or cookie.",
			plan.AppID.ValueInt64(), rule.HTTPRuleID, rule.URL(), err,
			plan.TeamID.ValueString(), plan.Region.ValueString(), plan.AppID.ValueInt64(), rule.HTTPRuleID))
}

// Read refreshes the rule; a rule the app no longer has leaves the state.
func (r *httpRuleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state httpRuleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &state, &resp.State, &resp.Diagnostics)
}

// readInto reads rule m.RuleID into m and writes m to out.
func (r *httpRuleResource) readInto(ctx context.Context, m *httpRuleModel, out stateSetter, diags *diag.Diagnostics) {
	rule, _, err := r.client.Gateway.GetHTTPRule(ctx, m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64(), m.RuleID.ValueString())
	if isNotFound(err) {
		out.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCallError(diags, "read the HTTP rule", err)
		return
	}
	applyHTTPRule(m, rule)
	diags.Append(out.Set(ctx, m)...)
}

// applyHTTPRule copies the console's rule into m. Optional members the
// console has as empty stay null when the configuration has none.
func applyHTTPRule(m *httpRuleModel, rule *rainbond.HTTPRule) {
	m.RuleID = types.StringValue(rule.HTTPRuleID)
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%d/%s", m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64(), rule.HTTPRuleID))
	m.DomainName = types.StringValue(rule.DomainName)
	m.DomainPath = types.StringValue(cmp.Or(rule.DomainPath, "/"))
	m.DomainHeader = optionalString(m.DomainHeader, rule.DomainHeader)
	m.DomainCookie = optionalString(m.DomainCookie, rule.DomainCookie)
	m.ServiceID = types.StringValue(rule.ServiceID)
	m.ContainerPort = types.Int64Value(int64(rule.ContainerPort))
	m.CertificateID = types.Int64Null()
	if rule.CertificateID != 0 {
		m.CertificateID = types.Int64Value(int64(rule.CertificateID))
	}
	m.AutoSSL = types.BoolValue(rule.AutoSSL)
	m.AutoSSLConfig = optionalString(m.AutoSSLConfig, rule.AutoSSLConfig)
	if m.OpenPort.IsNull() || m.OpenPort.IsUnknown() {
		m.OpenPort = types.BoolValue(false) // an import: the default
	}
	m.Protocol = types.StringValue(rule.Protocol)
	m.URL = types.StringValue(rule.URL())
}

// Update sends what changed; the certificate and auto-SSL settings are
// always sent, as the console writes both on every update.
func (r *httpRuleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state httpRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.RuleID = state.RuleID
	if !routeChanged(&plan, &state) { // open_port, set after an import: nothing to send
		r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
		return
	}
	_, _, err := r.client.Gateway.UpdateHTTPRule(ctx, plan.TeamID.ValueString(), plan.Region.ValueString(), plan.AppID.ValueInt64(),
		plan.RuleID.ValueString(), ruleUpdate(&plan, &state))
	if err != nil {
		addCallError(&resp.Diagnostics, "update the HTTP rule", err)
		return
	}
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// routeChanged reports whether plan routes otherwise than state: anything
// UpdateHTTPRule sends.
func routeChanged(plan, state *httpRuleModel) bool {
	return plan.ServiceID.ValueString() != state.ServiceID.ValueString() ||
		plan.ContainerPort.ValueInt64() != state.ContainerPort.ValueInt64() ||
		plan.DomainName.ValueString() != state.DomainName.ValueString() ||
		plan.DomainPath.ValueString() != state.DomainPath.ValueString() ||
		plan.DomainCookie.ValueString() != state.DomainCookie.ValueString() ||
		plan.CertificateID.ValueInt64() != state.CertificateID.ValueInt64() ||
		plan.AutoSSL.ValueBool() != state.AutoSSL.ValueBool() ||
		plan.AutoSSLConfig.ValueString() != state.AutoSSLConfig.ValueString()
}

// ruleUpdate is the update that turns the rule state into plan.
func ruleUpdate(plan, state *httpRuleModel) *rainbond.HTTPRuleUpdate {
	u := &rainbond.HTTPRuleUpdate{
		ServiceID:     plan.ServiceID.ValueString(),
		CertificateID: rainbond.Ptr(int(plan.CertificateID.ValueInt64())),
		AutoSSLConfig: rainbond.Ptr(plan.AutoSSLConfig.ValueString()),
	}
	if plan.ContainerPort.ValueInt64() != state.ContainerPort.ValueInt64() {
		u.ContainerPort = rainbond.Ptr(int(plan.ContainerPort.ValueInt64()))
	}
	if v := plan.DomainName.ValueString(); v != state.DomainName.ValueString() {
		u.DomainName = rainbond.Ptr(v)
	}
	if v := plan.DomainPath.ValueString(); v != state.DomainPath.ValueString() {
		u.DomainPath = rainbond.Ptr(v)
	}
	if v := plan.DomainCookie.ValueString(); v != "" && v != state.DomainCookie.ValueString() {
		u.DomainCookie = rainbond.Ptr(v) // "" is never sent: a cookie removed replaces the rule
	}
	if v := plan.AutoSSL.ValueBool(); v != state.AutoSSL.ValueBool() {
		u.AutoSSL = rainbond.Ptr(v)
	}
	return u
}

// Delete deletes the rule; a rule already gone is deleted.
func (r *httpRuleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state httpRuleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, _, err := r.client.Gateway.DeleteHTTPRule(ctx, state.TeamID.ValueString(), state.Region.ValueString(), state.AppID.ValueInt64(), state.RuleID.ValueString())
	if err != nil && !isNotFound(err) {
		addCallError(&resp.Diagnostics, "delete the HTTP rule", err)
	}
}

// ImportState imports a rule by team_id/region/app_id/rule_id.
func (r *httpRuleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importIDs(ctx, req.ID, resp, "team_id", "region", "app_id", "rule_id")
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	_ resource.ResourceWithConfigure   = (*certificateResource)(nil)
	_ resource.ResourceWithImportState = (*certificateResource)(nil)
)

// certificateResource is rainbond_certificate: Certificates.Create, Get,
// Update, Delete.
type certificateResource struct {
	clientHolder
}

// certificateModel is rainbond_certificate's state.
type certificateModel struct {
	ID              types.String `tfsdk:"id"`
	TeamID          types.String `tfsdk:"team_id"`
	Alias           types.String `tfsdk:"alias"`
	Certificate     types.String `tfsdk:"certificate"`
	PrivateKey      types.String `tfsdk:"private_key"`
	CertificateID   types.Int64  `tfsdk:"certificate_id"`
	CertificateType types.String `tfsdk:"certificate_type"`
}

// NewCertificateResource makes the rainbond_certificate resource.
func NewCertificateResource() resource.Resource { return &certificateResource{} }

// Metadata names the resource rainbond_certificate.
func (r *certificateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate"
}

// Schema describes rainbond_certificate.
func (r *certificateResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A team's TLS certificate, for HTTPS rules. Alias, certificate and key change in place (the console " +
			"pushes the new certificate to the gateways). The PEM pair is checked before anything is sent: it must parse, " +
			"match, and be valid now. The private key is write-only: never stored in the state (Terraform 1.11 or newer). " +
			"Import with `team_id/certificate_id`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, Description: "`team_id/certificate_id`, the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"team_id": schema.StringAttribute{
				Required: true, Description: "The team's `tenant_id`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"alias": schema.StringAttribute{
				Required: true, Description: "The certificate's name, 1 to 64 characters, unique in the team.",
				Validators: []validator.String{lengthBetween(1, 64)},
			},
			"certificate": schema.StringAttribute{
				Required: true,
				Description: "The PEM certificate, its chain after it (`file(\"cert.pem\")`). Whitespace around it is " +
					"not a change: the console trims it. Imported with a final newline, as PEM files end.",
			},
			"private_key": schema.StringAttribute{
				Required: true, Sensitive: true, WriteOnly: true,
				Description: "The PEM private key of the certificate. Write-only: sent on create and on every update, " +
					"never stored, so a change of the key alone is not seen; change `certificate` with it.",
			},
			"certificate_id": schema.Int64Attribute{
				Computed: true, Description: "The certificate's id, the `certificate_id` of HTTP rules.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"certificate_type": schema.StringAttribute{
				Computed: true, Description: "What the certificate is for, as the console stores it (`服务端证书`, a server certificate).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// Create adds the certificate. A create whose answer was lost is looked
// for by alias before anything else is tried.
func (r *certificateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg certificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...) // the write-only key is only in the configuration
	if resp.Diagnostics.HasError() {
		return
	}
	team := plan.TeamID.ValueString()
	body := &rainbond.CertificateCreate{
		Alias: plan.Alias.ValueString(), Certificate: plan.Certificate.ValueString(),
		PrivateKey: rainbond.NewSecret(cfg.PrivateKey.ValueString()),
	}
	cert, _, err := r.client.Certificates.Create(ctx, team, body)
	if maybeSent(err) {
		cert, err = r.recoverCreate(ctx, team, body, err, &resp.Diagnostics)
	}
	if errors.Is(err, rainbond.ErrCertificateAliasTaken) {
		err = fmt.Errorf("%w: import it (team_id/certificate_id) or choose another alias", err)
	}
	if err != nil {
		addCallError(&resp.Diagnostics, "create the certificate", err)
		return
	}
	plan.CertificateID = types.Int64Value(cert.ID)
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// recoverCreate finds, after a create whose answer was lost, the team's
// certificate of that alias when it holds the same PEM.
func (r *certificateResource) recoverCreate(ctx context.Context, team string, body *rainbond.CertificateCreate, cause error, diags *diag.Diagnostics) (*rainbond.Certificate, error) {
	for c, err := range r.client.Certificates.All(ctx, team, nil) {
		if err != nil {
			return nil, fmt.Errorf("the create got no answer (%v), and listing the team's certificates to find it failed: %w", cause, err)
		}
		if c.Alias != body.Alias {
			continue
		}
		cert, _, err := r.client.Certificates.Get(ctx, team, c.ID)
		if err != nil {
			return nil, fmt.Errorf("the create got no answer (%v), and reading certificate %d failed: %w", cause, c.ID, err)
		}
		if !samePEM(cert.Certificate, body.Certificate) {
			return nil, fmt.Errorf("the create got no answer (%v), and the team's certificate %q (id %d) holds another PEM: "+
				"import or delete it, then apply again", cause, body.Alias, c.ID)
		}
		diags.AddWarning("Rainbond: adopted the certificate created without an answer",
			fmt.Sprintf("The create got no answer (%v); certificate %d, which it created, is used.", cause, c.ID))
		return cert, nil
	}
	return nil, fmt.Errorf("the create got no answer, and the team has no certificate %q: nothing was created; apply again: %w", body.Alias, cause)
}

// samePEM reports two PEM texts equal but for whitespace around them.
func samePEM(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }

// Read refreshes the certificate; one the console no longer has leaves
// the state.
func (r *certificateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state certificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &state, &resp.State, &resp.Diagnostics)
}

// readInto reads certificate m.CertificateID into m and writes m to out.
func (r *certificateResource) readInto(ctx context.Context, m *certificateModel, out stateSetter, diags *diag.Diagnostics) {
	cert, _, err := r.client.Certificates.Get(ctx, m.TeamID.ValueString(), m.CertificateID.ValueInt64())
	if isNotFound(err) {
		out.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCallError(diags, "read the certificate", err)
		return
	}
	applyCertificate(m, cert)
	diags.Append(out.Set(ctx, m)...)
}

// applyCertificate copies the console's certificate into m. The PEM keeps
// the configuration's spelling when it differs only by whitespace around
// it, which the console trims; otherwise (an import, a change behind
// Terraform's back) it is the console's PEM with a final newline, as PEM
// files and heredocs end. The key is never kept.
func applyCertificate(m *certificateModel, cert *rainbond.Certificate) {
	m.CertificateID = types.Int64Value(cert.ID)
	m.ID = types.StringValue(fmt.Sprintf("%s/%d", m.TeamID.ValueString(), cert.ID))
	m.Alias = types.StringValue(cert.Alias)
	if m.Certificate.IsNull() || m.Certificate.IsUnknown() || !samePEM(m.Certificate.ValueString(), cert.Certificate) {
		m.Certificate = types.StringValue(strings.TrimSpace(cert.Certificate) + "\n")
	}
	m.PrivateKey = types.StringNull()
	m.CertificateType = types.StringValue(string(cert.Type))
}

// Update replaces the certificate's alias, PEM and key (the console's
// update takes all of them), keeping its type.
func (r *certificateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, cfg certificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.CertificateID = state.CertificateID
	body := &rainbond.CertificateCreate{
		Alias: plan.Alias.ValueString(), Certificate: plan.Certificate.ValueString(),
		PrivateKey: rainbond.NewSecret(cfg.PrivateKey.ValueString()), Type: rainbond.CertificateType(state.CertificateType.ValueString()),
	}
	if _, _, err := r.client.Certificates.Update(ctx, plan.TeamID.ValueString(), plan.CertificateID.ValueInt64(), body); err != nil {
		addCallError(&resp.Diagnostics, "update the certificate", err)
		return
	}
	r.readInto(ctx, &plan, &resp.State, &resp.Diagnostics)
}

// Delete deletes the certificate; one already gone is deleted.
func (r *certificateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state certificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := r.client.Certificates.Delete(ctx, state.TeamID.ValueString(), state.CertificateID.ValueInt64())
	if errors.Is(err, rainbond.ErrCertificateInUse) {
		err = fmt.Errorf("%w: delete the HTTP rules that use it first", err)
	}
	if err != nil && !isNotFound(err) {
		addCallError(&resp.Diagnostics, "delete the certificate", err)
	}
}

// ImportState imports a certificate by team_id/certificate_id.
func (r *certificateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importIDs(ctx, req.ID, resp, "team_id", "certificate_id")
}

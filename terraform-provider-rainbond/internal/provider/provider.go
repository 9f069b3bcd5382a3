// Package provider is the Rainbond provider for Terraform and OpenTofu:
// its settings, resources and data sources, each mapped onto calls of the
// rainbond-go SDK (github.com/rbdkit/rainbond-go) and nothing else.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

// Address is the provider's source address, for dev_overrides and
// required_providers blocks.
const Address = "registry.terraform.io/rbdkit/rainbond"

// Environment variables the provider falls back to when its block leaves
// a setting out.
const (
	// EnvURL is the console's address.
	EnvURL = "RAINBOND_URL"
	// EnvToken is the personal access token.
	EnvToken = "RAINBOND_TOKEN"
)

// maxRetries bounds the retries setting: more would only hold an apply up.
const maxRetries = 10

var _ provider.Provider = (*rainbondProvider)(nil)

// rainbondProvider is the provider: its settings make one SDK client,
// which every resource and data source shares.
type rainbondProvider struct {
	version string
}

// providerModel is the provider block.
type providerModel struct {
	URL     types.String `tfsdk:"url"`
	Token   types.String `tfsdk:"token"`
	Retries types.Int64  `tfsdk:"retries"`
	Timeout types.String `tfsdk:"timeout"`
}

// New returns a function that makes the provider, as providerserver wants
// it; version is the provider's release, sent in the User-Agent.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &rainbondProvider{version: version}
	}
}

// Metadata names the provider: resources are rainbond_*.
func (p *rainbondProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "rainbond"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *rainbondProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages teams, apps, components, app store installs, certificates and HTTP rules " +
			"of a Rainbond console through its OpenAPI (/openapi/v1).",
		MarkdownDescription: "Manages teams, apps, components, app store installs, certificates and HTTP rules " +
			"of a Rainbond console through its OpenAPI (`/openapi/v1`), with the rainbond-go SDK.\n\n" +
			"How it meets the console's traps:\n\n" +
			"- **Creates are not repeated blindly.** Creating a team, an app, a component, an install or a " +
			"certificate is not idempotent on the console, and the SDK never resends one that may have reached " +
			"it. When such a create gets no answer, the provider looks for what it may have made (the new team " +
			"or component of that name, the app by name, the install's new component group, the certificate by " +
			"alias) and adopts it, with a warning, rather than creating it twice; when it finds nothing new, " +
			"nothing was made, and applying again is safe. An install also refuses an app that already holds the " +
			"model, and an HTTP rule adopts the app's rule for its domain only when that already routes as " +
			"configured: import them instead.\n" +
			"- **Gone is gone.** A read that finds the thing deleted drops it from the state, so the next plan " +
			"creates it again; a delete that finds it gone is done.\n" +
			"- **What the OpenAPI cannot change replaces or warns.** An app, a component's name, an HTTP rule's " +
			"header, and a cookie condition removed from a rule are replaced (a team's display name is renamed in " +
			"place, and a rule's cookie set or changed in place); a team's region or a component's variable " +
			"removed from the configuration stays on the console, no longer managed (the plan warns).\n" +
			"- **The version of an install cannot drift.** The console records the version installed, never an " +
			"upgrade made through the OpenAPI: `rainbond_app_install` keeps the version it applied.\n" +
			"- **Secrets can stay out of the state.** The token is sensitive; a certificate's private key, a " +
			"store's access key and a component's `envs_wo` are write-only (Terraform 1.11 or newer): never " +
			"stored. A component's `envs` are sensitive only, hidden in plans but stored in the state in plain " +
			"text, as they are read back to show drift: put a secret in `envs_wo`.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				Optional: true,
				Description: "The console's address, e.g. `http://192.168.2.225:7070` (with or without " +
					"`/openapi/v1`). Defaults to the `RAINBOND_URL` environment variable.",
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "A personal access token (console: personal center → access tokens), sent " +
					"as the raw `Authorization` header. Defaults to the `RAINBOND_TOKEN` environment variable.",
			},
			"retries": schema.Int64Attribute{
				Optional: true,
				Description: fmt.Sprintf("How many times a failed call is retried (0 to %d; default 2). "+
					"Only calls that are safe to repeat are retried: a create (team, app, component, install) "+
					"is never sent twice once it may have reached the console.", maxRetries),
			},
			"timeout": schema.StringAttribute{
				Optional: true,
				Description: "Bound on each attempt of a call, as a Go duration (`30s`, `2m`; default `30s`); " +
					"`0s` removes it, and Terraform sets no deadline of its own: an attempt then runs until it " +
					"ends or the run is interrupted. Waits (a build followed, components stopped before a delete) " +
					"are not bounded by it: each is bounded by the SDK's `DefaultWaitTimeout`, 30 minutes.",
			},
		},
	}
}

// Configure makes the SDK client from the provider block and the
// environment.
func (p *rainbondProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, diags := resolveSettings(cfg, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := rainbond.NewClient(s.url, s.options(p.version)...)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Cannot make a Rainbond client", err.Error())
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
}

// Resources lists the provider's resources.
func (p *rainbondProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewTeamResource,
		NewAppResource,
		NewComponentResource,
		NewAppInstallResource,
		NewCertificateResource,
		NewHTTPRuleResource,
	}
}

// DataSources lists the provider's data sources.
func (p *rainbondProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewRegionsDataSource,
		NewTeamsDataSource,
		NewAppsDataSource,
		NewAppComponentsDataSource,
		NewMarketAppVersionsDataSource,
	}
}

// settings are the provider's settings once resolved.
type settings struct {
	url, token string
	// retries is nil when not set: the SDK's default policy.
	retries *int64
	// timeout is nil when not set: the SDK's default.
	timeout *time.Duration
}

// options are the SDK client options for s.
func (s settings) options(version string) []rainbond.Option {
	opts := []rainbond.Option{
		rainbond.WithToken(s.token),
		rainbond.WithUserAgent("terraform-provider-rainbond/" + version),
	}
	if s.retries != nil {
		policy := rainbond.DefaultRetryPolicy
		policy.MaxAttempts = int(*s.retries) + 1
		opts = append(opts, rainbond.WithRetry(policy))
	}
	if s.timeout != nil {
		opts = append(opts, rainbond.WithTimeout(*s.timeout))
	}
	return opts
}

// resolveSettings reads the provider block, falling back to the
// environment (getenv) for url and token, and checks every value.
func resolveSettings(cfg providerModel, getenv func(string) string) (settings, diag.Diagnostics) {
	var s settings
	var diags diag.Diagnostics
	s.url = stringSetting(cfg.URL, getenv(EnvURL), "url", EnvURL, &diags)
	s.token = stringSetting(cfg.Token, getenv(EnvToken), "token", EnvToken, &diags)
	switch {
	case cfg.Retries.IsUnknown():
		diags.AddAttributeError(path.Root("retries"), "Unknown retries", "retries must be known when the provider is configured.")
	case !cfg.Retries.IsNull():
		n := cfg.Retries.ValueInt64()
		if n < 0 || n > maxRetries {
			diags.AddAttributeError(path.Root("retries"), "Invalid retries",
				fmt.Sprintf("retries must be between 0 and %d, not %d.", maxRetries, n))
		}
		s.retries = &n
	}
	switch {
	case cfg.Timeout.IsUnknown():
		diags.AddAttributeError(path.Root("timeout"), "Unknown timeout", "timeout must be known when the provider is configured.")
	case !cfg.Timeout.IsNull():
		d, err := time.ParseDuration(cfg.Timeout.ValueString())
		if err != nil || d < 0 {
			diags.AddAttributeError(path.Root("timeout"), "Invalid timeout",
				fmt.Sprintf("timeout must be a non-negative Go duration such as \"30s\" or \"2m\", not %q.", cfg.Timeout.ValueString()))
		}
		s.timeout = &d
	}
	return s, diags
}

// stringSetting is a required string setting: the block's value, else
// the environment's; an error names both when neither is set. The value
// itself is never put in a message (the token is a secret).
func stringSetting(v types.String, env, name, envName string, diags *diag.Diagnostics) string {
	if v.IsUnknown() {
		diags.AddAttributeError(path.Root(name), "Unknown "+name,
			fmt.Sprintf("The provider's %s depends on a value known only after apply; set it in the provider block "+
				"or in the %s environment variable.", name, envName))
		return ""
	}
	value := v.ValueString()
	if v.IsNull() {
		value = env
	}
	if strings.TrimSpace(value) == "" {
		diags.AddAttributeError(path.Root(name), "Missing "+name,
			fmt.Sprintf("Set %s in the provider block or the %s environment variable.", name, envName))
	}
	return value
}

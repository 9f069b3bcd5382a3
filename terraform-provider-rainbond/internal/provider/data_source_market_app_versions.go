package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var _ datasource.DataSourceWithConfigure = (*marketAppVersionsDataSource)(nil)

// marketAppVersionsDataSource is rainbond_market_app_versions:
// Apps.ListUpgrades.
type marketAppVersionsDataSource struct {
	dataSourceClient
}

// marketAppVersionsModel is rainbond_market_app_versions' state.
type marketAppVersionsModel struct {
	ID     types.String `tfsdk:"id"`
	TeamID types.String `tfsdk:"team_id"`
	Region types.String `tfsdk:"region"`
	AppID  types.Int64  `tfsdk:"app_id"`
	Models []modelItem  `tfsdk:"models"`
}

// modelItem is one app model installed in the app.
type modelItem struct {
	AppModelID      string   `tfsdk:"app_model_id"`
	AppModelName    string   `tfsdk:"app_model_name"`
	MarketName      string   `tfsdk:"market_name"`
	Source          string   `tfsdk:"source"`
	CurrentVersion  string   `tfsdk:"current_version"`
	UpgradeVersions []string `tfsdk:"upgrade_versions"`
	Latest          string   `tfsdk:"latest"`
	CanUpgrade      bool     `tfsdk:"can_upgrade"`
}

// NewMarketAppVersionsDataSource makes the rainbond_market_app_versions
// data source.
func NewMarketAppVersionsDataSource() datasource.DataSource { return &marketAppVersionsDataSource{} }

// Metadata names the data source rainbond_market_app_versions.
func (d *marketAppVersionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_market_app_versions"
}

// Schema describes rainbond_market_app_versions.
func (d *marketAppVersionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The app store models installed in an app, each with the version the console records and the " +
			"versions its store offers above it. `current_version` is the version installed or last upgraded in the " +
			"console's UI: an upgrade through the OpenAPI (`rainbond_app_install`) does not change it.",
		Attributes: map[string]schema.Attribute{
			"id":      schema.StringAttribute{Computed: true, Description: "`team_id/region/app_id`."},
			"team_id": schema.StringAttribute{Required: true, Description: "The team's `tenant_id` (or `tenant_name`)."},
			"region":  schema.StringAttribute{Required: true, Description: "The region's `region_name`."},
			"app_id":  schema.Int64Attribute{Required: true, Description: "The app's id."},
			"models": schema.ListNestedAttribute{
				Computed: true, Description: "One item per install of a model, in the console's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"app_model_id":    schema.StringAttribute{Computed: true, Description: "The app model's id."},
					"app_model_name":  schema.StringAttribute{Computed: true, Description: "The app model's name."},
					"market_name":     schema.StringAttribute{Computed: true, Description: "The console's name of the store record."},
					"source":          schema.StringAttribute{Computed: true, Description: "`market` or `local`."},
					"current_version": schema.StringAttribute{Computed: true, Description: "The version the console records."},
					"upgrade_versions": schema.ListAttribute{
						ElementType: types.StringType, Computed: true,
						Description: "The versions offered above the recorded one, newest first.",
					},
					"latest":      schema.StringAttribute{Computed: true, Description: "The newest version above the recorded one; empty when there is none."},
					"can_upgrade": schema.BoolAttribute{Computed: true, Description: "Whether any version is offered."},
				}},
			},
		},
	}
}

// Read lists the app's models.
func (d *marketAppVersionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m marketAppVersionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	models, _, err := d.client.Apps.ListUpgrades(ctx, m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64())
	if err != nil {
		addCallError(&resp.Diagnostics, "list the app's models and their versions", err)
		return
	}
	fillModels(&m, models)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// fillModels puts the console's models into m.
func fillModels(m *marketAppVersionsModel, models []rainbond.AppUpgradeInfo) {
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%d", m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64()))
	m.Models = []modelItem{}
	for i := range models {
		u := &models[i]
		m.Models = append(m.Models, modelItem{
			AppModelID: u.AppModelID, AppModelName: u.AppModelName, MarketName: u.MarketName, Source: u.Source,
			CurrentVersion: u.CurrentVersion, UpgradeVersions: append([]string{}, u.UpgradeVersions...),
			Latest: u.Latest(), CanUpgrade: u.CanUpgrade,
		})
	}
}

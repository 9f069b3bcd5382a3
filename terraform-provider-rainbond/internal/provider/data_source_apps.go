package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var _ datasource.DataSourceWithConfigure = (*appsDataSource)(nil)

// appsDataSource is rainbond_apps: Apps.List.
type appsDataSource struct {
	dataSourceClient
}

// appsModel is rainbond_apps' state.
type appsModel struct {
	ID     types.String `tfsdk:"id"`
	TeamID types.String `tfsdk:"team_id"`
	Region types.String `tfsdk:"region"`
	Name   types.String `tfsdk:"name"`
	Apps   []appItem    `tfsdk:"apps"`
}

// appItem is one app.
type appItem struct {
	AppID      int64  `tfsdk:"app_id"`
	Name       string `tfsdk:"name"`
	Note       string `tfsdk:"note"`
	K8sApp     string `tfsdk:"k8s_app"`
	AppType    string `tfsdk:"app_type"`
	IsDefault  bool   `tfsdk:"is_default"`
	CreateTime string `tfsdk:"create_time"`
}

// NewAppsDataSource makes the rainbond_apps data source.
func NewAppsDataSource() datasource.DataSource { return &appsDataSource{} }

// Metadata names the data source rainbond_apps.
func (d *appsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apps"
}

// Schema describes rainbond_apps.
func (d *appsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The apps of a team in a region.",
		Attributes: map[string]schema.Attribute{
			"id":      schema.StringAttribute{Computed: true, Description: "`team_id/region`."},
			"team_id": schema.StringAttribute{Required: true, Description: "The team's `tenant_id` (or `tenant_name`)."},
			"region":  schema.StringAttribute{Required: true, Description: "The region's `region_name`."},
			"name":    schema.StringAttribute{Optional: true, Description: "Keep only the apps of exactly this name."},
			"apps": schema.ListNestedAttribute{
				Computed: true, Description: "The apps, in the console's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"app_id":      schema.Int64Attribute{Computed: true, Description: "The app's id."},
					"name":        schema.StringAttribute{Computed: true, Description: "The app's name."},
					"note":        schema.StringAttribute{Computed: true, Description: "The app's note."},
					"k8s_app":     schema.StringAttribute{Computed: true, Description: "The app's name in the cluster."},
					"app_type":    schema.StringAttribute{Computed: true, Description: "`rainbond` or `helm`."},
					"is_default":  schema.BoolAttribute{Computed: true, Description: "Whether it is the team's default app."},
					"create_time": schema.StringAttribute{Computed: true, Description: "When the app was created, as the console writes it."},
				}},
			},
		},
	}
}

// Read lists the apps.
func (d *appsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m appsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	apps, _, err := d.client.Apps.List(ctx, m.TeamID.ValueString(), m.Region.ValueString(), &rainbond.ListAppsOptions{Query: m.Name.ValueString()})
	if err != nil {
		addCallError(&resp.Diagnostics, "list the apps", err)
		return
	}
	fillApps(&m, apps)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// fillApps puts the console's apps into m, filtered by exact name when m
// has one (the console's query matches names that contain it).
func fillApps(m *appsModel, apps []rainbond.AppBaseInfo) {
	m.ID = types.StringValue(fmt.Sprintf("%s/%s", m.TeamID.ValueString(), m.Region.ValueString()))
	m.Apps = []appItem{}
	for _, a := range apps {
		if !m.Name.IsNull() && a.GroupName != m.Name.ValueString() {
			continue
		}
		m.Apps = append(m.Apps, appItem{
			AppID: a.ID, Name: a.GroupName, Note: a.Note, K8sApp: a.K8sApp, AppType: a.AppType,
			IsDefault: a.IsDefault, CreateTime: a.CreateTime,
		})
	}
}

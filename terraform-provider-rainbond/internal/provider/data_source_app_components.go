package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var _ datasource.DataSourceWithConfigure = (*appComponentsDataSource)(nil)

// appComponentsDataSource is rainbond_app_components:
// Apps.ListComponents.
type appComponentsDataSource struct {
	dataSourceClient
}

// appComponentsModel is rainbond_app_components' state.
type appComponentsModel struct {
	ID         types.String    `tfsdk:"id"`
	TeamID     types.String    `tfsdk:"team_id"`
	Region     types.String    `tfsdk:"region"`
	AppID      types.Int64     `tfsdk:"app_id"`
	Components []componentItem `tfsdk:"components"`
}

// componentItem is one component.
type componentItem struct {
	ServiceID        string   `tfsdk:"service_id"`
	Name             string   `tfsdk:"name"`
	ServiceAlias     string   `tfsdk:"service_alias"`
	K8sComponentName string   `tfsdk:"k8s_component_name"`
	Image            string   `tfsdk:"image"`
	Version          string   `tfsdk:"version"`
	Status           string   `tfsdk:"status"`
	ServiceSource    string   `tfsdk:"service_source"`
	MemoryMiB        int64    `tfsdk:"memory_mib"`
	CPU              int64    `tfsdk:"cpu"`
	Instances        int64    `tfsdk:"instances"`
	AccessInfos      []string `tfsdk:"access_infos"`
}

// NewAppComponentsDataSource makes the rainbond_app_components data
// source.
func NewAppComponentsDataSource() datasource.DataSource { return &appComponentsDataSource{} }

// Metadata names the data source rainbond_app_components.
func (d *appComponentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_app_components"
}

// Schema describes rainbond_app_components.
func (d *appComponentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The components of an app, each with its state, e.g. those an install created.",
		Attributes: map[string]schema.Attribute{
			"id":      schema.StringAttribute{Computed: true, Description: "`team_id/region/app_id`."},
			"team_id": schema.StringAttribute{Required: true, Description: "The team's `tenant_id` (or `tenant_name`)."},
			"region":  schema.StringAttribute{Required: true, Description: "The region's `region_name`."},
			"app_id":  schema.Int64Attribute{Required: true, Description: "The app's id."},
			"components": schema.ListNestedAttribute{
				Computed: true, Description: "The components, oldest first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"service_id":         schema.StringAttribute{Computed: true, Description: "The component's id."},
					"name":               schema.StringAttribute{Computed: true, Description: "The component's display name."},
					"service_alias":      schema.StringAttribute{Computed: true, Description: "The component's generated alias."},
					"k8s_component_name": schema.StringAttribute{Computed: true, Description: "The component's name in the cluster."},
					"image":              schema.StringAttribute{Computed: true, Description: "The image it runs."},
					"version":            schema.StringAttribute{Computed: true, Description: "Its version."},
					"status":             schema.StringAttribute{Computed: true, Description: "Its state (`running`, `closed`, `undeploy`...); empty when the cluster did not report it."},
					"service_source":     schema.StringAttribute{Computed: true, Description: "Where it comes from: `market`, `docker_image`, `source_code`..."},
					"memory_mib":         schema.Int64Attribute{Computed: true, Description: "Memory per instance, MiB."},
					"cpu":                schema.Int64Attribute{Computed: true, Description: "CPU per instance, millicores."},
					"instances":          schema.Int64Attribute{Computed: true, Description: "Number of instances."},
					"access_infos": schema.ListAttribute{
						ElementType: types.StringType, Computed: true, Description: "Its access addresses.",
					},
				}},
			},
		},
	}
}

// Read lists the components.
func (d *appComponentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m appComponentsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	comps, _, err := d.client.Apps.ListComponents(ctx, m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64())
	if err != nil {
		addCallError(&resp.Diagnostics, "list the app's components", err)
		return
	}
	fillComponents(&m, comps)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// fillComponents puts the console's components into m.
func fillComponents(m *appComponentsModel, comps []rainbond.ServiceBaseInfo) {
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%d", m.TeamID.ValueString(), m.Region.ValueString(), m.AppID.ValueInt64()))
	m.Components = []componentItem{}
	for _, c := range comps {
		m.Components = append(m.Components, componentItem{
			ServiceID: c.ServiceID, Name: c.ServiceCname, ServiceAlias: c.ServiceAlias, K8sComponentName: c.K8sComponentName,
			Image: c.Image, Version: c.Version, Status: string(c.Status), ServiceSource: c.ServiceSource,
			MemoryMiB: int64(c.MinMemory), CPU: int64(c.MinCPU), Instances: int64(c.MinNode),
			AccessInfos: append([]string{}, c.AccessInfos...),
		})
	}
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	rainbond "github.com/rbdkit/rainbond-go"
)

var _ datasource.DataSourceWithConfigure = (*regionsDataSource)(nil)

// regionsDataSource is rainbond_regions: Regions.List.
type regionsDataSource struct {
	dataSourceClient
}

// regionsModel is rainbond_regions' state.
type regionsModel struct {
	ID      string       `tfsdk:"id"`
	Regions []regionItem `tfsdk:"regions"`
}

// regionItem is one region.
type regionItem struct {
	RegionID    string `tfsdk:"region_id"`
	RegionName  string `tfsdk:"region_name"`
	RegionAlias string `tfsdk:"region_alias"`
	URL         string `tfsdk:"url"`
	Scope       string `tfsdk:"scope"`
	Status      string `tfsdk:"status"`
	Desc        string `tfsdk:"desc"`
}

// NewRegionsDataSource makes the rainbond_regions data source.
func NewRegionsDataSource() datasource.DataSource { return &regionsDataSource{} }

// Metadata names the data source rainbond_regions.
func (d *regionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_regions"
}

// Schema describes rainbond_regions.
func (d *regionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The enterprise's regions (clusters). The console lists them for enterprise administrators.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, Description: "Always `regions`."},
			"regions": schema.ListNestedAttribute{
				Computed: true, Description: "The regions, in the console's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"region_id":    schema.StringAttribute{Computed: true, Description: "The region's id."},
					"region_name":  schema.StringAttribute{Computed: true, Description: "The region's name, the `region` of the other resources."},
					"region_alias": schema.StringAttribute{Computed: true, Description: "The region's display name."},
					"url":          schema.StringAttribute{Computed: true, Description: "The region's API address."},
					"scope":        schema.StringAttribute{Computed: true, Description: "`private` or `public`."},
					"status":       schema.StringAttribute{Computed: true, Description: "`0` editing, `1` enabled, `2` disabled, `3` maintenance."},
					"desc":         schema.StringAttribute{Computed: true, Description: "The region's description."},
				}},
			},
		},
	}
}

// Read lists the regions.
func (d *regionsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	regions, _, err := d.client.Regions.List(ctx)
	if err != nil {
		addCallError(&resp.Diagnostics, "list the regions", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, regionsState(regions))...)
}

// regionsState is the data source's state for the console's regions.
func regionsState(regions []rainbond.RegionInfo) regionsModel {
	m := regionsModel{ID: "regions", Regions: []regionItem{}}
	for _, r := range regions {
		m.Regions = append(m.Regions, regionItem{
			RegionID: r.RegionID, RegionName: r.RegionName, RegionAlias: r.RegionAlias,
			URL: r.URL, Scope: r.Scope, Status: r.Status, Desc: r.Desc,
		})
	}
	return m
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

var _ datasource.DataSourceWithConfigure = (*teamsDataSource)(nil)

// teamsDataSource is rainbond_teams: Teams.All.
type teamsDataSource struct {
	dataSourceClient
}

// teamsModel is rainbond_teams' state.
type teamsModel struct {
	ID          types.String `tfsdk:"id"`
	DisplayName types.String `tfsdk:"display_name"`
	Teams       []teamItem   `tfsdk:"teams"`
}

// teamItem is one team.
type teamItem struct {
	TenantID     string `tfsdk:"tenant_id"`
	TenantName   string `tfsdk:"tenant_name"`
	DisplayName  string `tfsdk:"display_name"`
	EnterpriseID string `tfsdk:"enterprise_id"`
	CreateTime   string `tfsdk:"create_time"`
}

// NewTeamsDataSource makes the rainbond_teams data source.
func NewTeamsDataSource() datasource.DataSource { return &teamsDataSource{} }

// Metadata names the data source rainbond_teams.
func (d *teamsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_teams"
}

// Schema describes rainbond_teams.
func (d *teamsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The teams the token's user belongs to.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, Description: "`teams`, or `teams/<display_name>`."},
			"display_name": schema.StringAttribute{
				Optional: true, Description: "Keep only the teams of exactly this display name.",
			},
			"teams": schema.ListNestedAttribute{
				Computed: true, Description: "The teams, in the console's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"tenant_id":     schema.StringAttribute{Computed: true, Description: "The team's id, the `team_id` of the other resources."},
					"tenant_name":   schema.StringAttribute{Computed: true, Description: "The team's generated name."},
					"display_name":  schema.StringAttribute{Computed: true, Description: "The team's display name."},
					"enterprise_id": schema.StringAttribute{Computed: true, Description: "The team's enterprise."},
					"create_time":   schema.StringAttribute{Computed: true, Description: "When the team was created, as the console writes it."},
				}},
			},
		},
	}
}

// Read lists the teams, page after page (listTeams).
func (d *teamsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m teamsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	teams, err := listTeams(ctx, d.client, m.DisplayName.ValueStringPointer())
	if err != nil {
		addCallError(&resp.Diagnostics, "list the teams", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, teamsState(m.DisplayName, teams))...)
}

// teamsState is the data source's state: the teams, filtered by exact
// display name when one is given.
func teamsState(displayName types.String, teams []rainbond.TeamInfo) teamsModel {
	m := teamsModel{ID: types.StringValue("teams"), DisplayName: displayName, Teams: []teamItem{}}
	if !displayName.IsNull() {
		m.ID = types.StringValue("teams/" + displayName.ValueString())
	}
	for _, t := range teams {
		if !displayName.IsNull() && t.TenantAlias != displayName.ValueString() {
			continue
		}
		m.Teams = append(m.Teams, teamItem{
			TenantID: t.TenantID, TenantName: t.TenantName, DisplayName: t.TenantAlias,
			EnterpriseID: t.EnterpriseID, CreateTime: t.CreateTime,
		})
	}
	return m
}

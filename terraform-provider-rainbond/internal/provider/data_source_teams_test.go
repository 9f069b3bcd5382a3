package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	rainbond "github.com/rbdkit/rainbond-go"
)

func TestTeamsStateFiltersByExactDisplayName(t *testing.T) {
	teams := []rainbond.TeamInfo{{TenantID: "1", TenantAlias: "Ops"}, {TenantID: "2", TenantAlias: "Ops-2"}, {TenantID: "3", TenantAlias: "Dev"}}
	if m := teamsState(types.StringValue("Ops"), teams); len(m.Teams) != 1 || m.Teams[0].TenantID != "1" || m.ID.ValueString() != "teams/Ops" {
		t.Errorf("got %+v; want exactly the team named Ops", m)
	}
	if m := teamsState(types.StringNull(), teams); len(m.Teams) != 3 {
		t.Errorf("no filter: %d teams", len(m.Teams))
	}
}

func TestAccTeamsDataSource(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(`
data "rainbond_teams" "all" {}

data "rainbond_teams" "a" {
  display_name = "` + seed.TeamA.TenantAlias + `"
}
`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.rainbond_teams.all", "teams.#", "2"),
				resource.TestCheckResourceAttr("data.rainbond_teams.a", "teams.#", "1"),
				resource.TestCheckResourceAttr("data.rainbond_teams.a", "teams.0.tenant_id", seed.TeamA.TenantID),
				resource.TestCheckResourceAttr("data.rainbond_teams.a", "teams.0.tenant_name", seed.TeamA.TenantName),
			),
		}},
	})
}

package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestFillAppsFiltersByExactName(t *testing.T) {
	m := appsModel{TeamID: types.StringValue("t"), Region: types.StringValue("r"), Name: types.StringValue("shop")}
	fillApps(&m, []rainbond.AppBaseInfo{{ID: 1, GroupName: "shop"}, {ID: 2, GroupName: "shop-2"}})
	if len(m.Apps) != 1 || m.Apps[0].AppID != 1 || m.ID.ValueString() != "t/r" {
		t.Errorf("got %+v; want the app named exactly shop (the console's query matches shop-2 too)", m)
	}
}

func TestAccAppsDataSource(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	extra, err := e.srv.AddApp(rainbondtest.App{TenantID: seed.TeamA.TenantID, RegionName: "rainbond", Name: "shop"})
	must(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
data "rainbond_apps" "all" {
  team_id = %[1]q
  region  = "rainbond"
}

data "rainbond_apps" "shop" {
  team_id = %[1]q
  region  = "rainbond"
  name    = "shop"
}
`, seed.TeamA.TenantID)),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.rainbond_apps.all", "apps.#", "2"),
				resource.TestCheckResourceAttr("data.rainbond_apps.shop", "apps.#", "1"),
				resource.TestCheckResourceAttr("data.rainbond_apps.shop", "apps.0.app_id", strconv.FormatInt(extra.ID, 10)),
			),
		}},
	})
}

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	rainbond "github.com/rbdkit/rainbond-go"
)

func TestFillModels(t *testing.T) {
	m := marketAppVersionsModel{TeamID: types.StringValue("t"), Region: types.StringValue("r"), AppID: types.Int64Value(3)}
	fillModels(&m, []rainbond.AppUpgradeInfo{{AppModelID: "wp", CurrentVersion: "6.4", UpgradeVersions: []string{"6.10", "6.5"}, CanUpgrade: true}})
	if got := m.Models[0]; got.Latest != "6.10" || len(got.UpgradeVersions) != 2 || !got.CanUpgrade {
		t.Errorf("got %+v", got)
	}
}

func TestAccMarketAppVersionsDataSource(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	_, _, err := e.client.Apps.InstallFromMarket(e.ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.WordPress.ID, AppModelVersion: "6.4",
	}, nil)
	must(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
data "rainbond_market_app_versions" "v" {
  team_id = %q
  region  = "rainbond"
  app_id  = %d
}
`, seed.TeamA.TenantID, seed.AppA.ID)),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.rainbond_market_app_versions.v", "models.#", "1"),
				resource.TestCheckResourceAttr("data.rainbond_market_app_versions.v", "models.0.app_model_id", seed.WordPress.ID),
				resource.TestCheckResourceAttr("data.rainbond_market_app_versions.v", "models.0.current_version", "6.4"),
				resource.TestCheckResourceAttr("data.rainbond_market_app_versions.v", "models.0.latest", "6.5"),
				resource.TestCheckResourceAttr("data.rainbond_market_app_versions.v", "models.0.upgrade_versions.0", "6.5"),
			),
		}},
	})
}

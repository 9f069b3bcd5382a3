package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	rainbond "github.com/rbdkit/rainbond-go"
)

func TestFillComponents(t *testing.T) {
	m := appComponentsModel{TeamID: types.StringValue("t"), Region: types.StringValue("r"), AppID: types.Int64Value(3)}
	fillComponents(&m, []rainbond.ServiceBaseInfo{{ServiceID: "s", ServiceCname: "web", MinMemory: 512, MinCPU: 250, MinNode: 2, Status: rainbond.ComponentRunning}})
	c := m.Components[0]
	if m.ID.ValueString() != "t/r/3" || c.Name != "web" || c.MemoryMiB != 512 || c.CPU != 250 || c.Instances != 2 || c.Status != "running" || c.AccessInfos == nil {
		t.Errorf("got %+v", m)
	}
}

func TestAccAppComponentsDataSource(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	_, _, err := e.client.Apps.InstallFromMarket(e.ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.WordPress.ID, AppModelVersion: "6.4",
	}, &rainbond.InstallOptions{Deploy: true})
	must(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
data "rainbond_app_components" "c" {
  team_id = %q
  region  = "rainbond"
  app_id  = %d
}
`, seed.TeamA.TenantID, seed.AppA.ID)),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.rainbond_app_components.c", "components.#", "2"),
				resource.TestCheckTypeSetElemNestedAttrs("data.rainbond_app_components.c", "components.*", map[string]string{
					"name": "wordpress", "status": "running", "service_source": "market",
				}),
				resource.TestCheckTypeSetElemNestedAttrs("data.rainbond_app_components.c", "components.*", map[string]string{"name": "mysql"}),
			),
		}},
	})
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	rainbond "github.com/rbdkit/rainbond-go"
)

func TestRegionsState(t *testing.T) {
	m := regionsState([]rainbond.RegionInfo{{RegionID: "r1", RegionName: "rainbond", RegionAlias: "Main", Status: "1"}})
	if m.ID != "regions" || len(m.Regions) != 1 || m.Regions[0].RegionName != "rainbond" || m.Regions[0].Status != "1" {
		t.Errorf("got %+v", m)
	}
	if m := regionsState(nil); m.Regions == nil {
		t.Error("no regions gives a null list; want an empty one")
	}
}

func TestAccRegionsDataSource(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(`data "rainbond_regions" "all" {}`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.rainbond_regions.all", "regions.#", "2"),
				resource.TestCheckTypeSetElemNestedAttrs("data.rainbond_regions.all", "regions.*", map[string]string{"region_name": seed.Region.RegionName}),
				resource.TestCheckTypeSetElemNestedAttrs("data.rainbond_regions.all", "regions.*", map[string]string{"region_name": seed.OtherRegion.RegionName}),
			),
		}},
	})
}

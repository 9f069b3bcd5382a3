package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func comp(id, model string, group int) rainbond.ServiceBaseInfo {
	return rainbond.ServiceBaseInfo{ServiceID: id, ServiceKey: model, TenantServiceGroupID: group}
}

func TestNewModelGroups(t *testing.T) {
	before := []rainbond.ServiceBaseInfo{comp("a", "m", 1), comp("b", "other", 2)}
	after := append(before, comp("c", "m", 3), comp("d", "m", 3), comp("e", "other", 4))
	if got := newModelGroups(before, after, "m"); !slices.Equal(got, []int{3}) {
		t.Errorf("got %v; want the one new group of the model", got)
	}
	if got := newModelGroups(nil, after, "m"); !slices.Equal(got, []int{1, 3}) {
		t.Errorf("got %v; want every group of the model", got)
	}
}

func TestNewGroupIsNeverOneTheAppHadBefore(t *testing.T) {
	before := []rainbond.ServiceBaseInfo{comp("a", "other", 1)}
	if g := newGroup(before, []rainbond.ServiceBaseInfo{comp("b", "m", 2), comp("c", "m", 2)}); g != 2 {
		t.Errorf("got group %d; want the new group 2", g)
	}
	// An install that created nothing: NewComponents picks the app's newest
	// group, one it had before.
	if g := newGroup(before, []rainbond.ServiceBaseInfo{comp("a", "other", 1)}); g != 0 {
		t.Errorf("got group %d; want none", g)
	}
	if g := newGroup(nil, nil); g != 0 {
		t.Errorf("got group %d from no component", g)
	}
}

func TestStoreSettingsChangedIgnoresAValueFirstSet(t *testing.T) {
	state := appInstallModel{MarketURL: types.StringValue("https://a"), MarketDomain: types.StringValue("d"), MarketType: types.StringNull()}
	plan := appInstallModel{MarketURL: types.StringValue("https://b"), MarketDomain: types.StringValue("d"), MarketType: types.StringValue("rainstore")}
	if got := storeSettingsChanged(&state, &plan); !slices.Equal(got, []string{"market_url"}) {
		t.Errorf("got %v; want market_url only (market_type is first set)", got)
	}
}

func TestInstallGroupRefusesAnAmbiguousImport(t *testing.T) {
	comps := []rainbond.ServiceBaseInfo{comp("a", "m", 1), comp("b", "m", 3)}
	if g, err := installGroup(comps, "m", types.Int64Value(3)); err != nil || g != 3 {
		t.Errorf("with the state's group: %d, %v", g, err)
	}
	if _, err := installGroup(comps, "m", types.Int64Null()); err == nil || !strings.Contains(err.Error(), "2 times") {
		t.Errorf("an import of a model held twice: %v; want a refusal", err)
	}
	if g, _ := installGroup(comps[:1], "m", types.Int64Null()); g != 1 {
		t.Errorf("an import of a model held once: group %d", g)
	}
	if got := groupComponents(comps, 0); got != nil {
		t.Errorf("group 0 (none) selects %v", got)
	}
}

func TestApplyInstallKeepsTheVersionApplied(t *testing.T) {
	m := appInstallModel{TeamID: types.StringValue("t"), Region: types.StringValue("r"), AppID: types.Int64Value(4),
		Version: types.StringValue("1.1"), Deploy: types.BoolValue(false), MarketAccessKey: types.StringValue("leak")}
	held := &rainbond.AppUpgradeInfo{AppModelID: "m", CurrentVersion: "1.0", AppModelName: "Shop", MarketName: "mk"}
	applyInstall(&m, held, 3, []string{"a", "b"})
	if m.Version.ValueString() != "1.1" || m.RecordedVersion.ValueString() != "1.0" || m.Deploy.ValueBool() || !m.MarketAccessKey.IsNull() {
		t.Errorf("got %+v; want the applied version kept, the record beside it, and no key", m)
	}
	m.Version = types.StringNull() // an import
	applyInstall(&m, held, 3, []string{"a", "b"})
	if m.Version.ValueString() != "1.0" || m.ID.ValueString() != "t/r/4/m" || len(m.ComponentIDs.Elements()) != 2 {
		t.Errorf("import: %+v", m)
	}
}

// accStore is a store with a model whose versions 1.0 and 1.1 have the
// same components, so that the console's OpenAPI can upgrade it.
var accStore = rainbondtest.Store{Domain: "acc", URL: "https://store.acc.test", Models: []rainbondtest.AppModel{{
	ID: "shop", Name: "Shop", Versions: []rainbondtest.AppModelVersion{
		{Version: "1.0", Components: []rainbondtest.ComponentTemplate{{Cname: "web", Image: "shop/web:1.0", Version: "1.0", Port: 80}, {Cname: "db", Image: "mysql:8.0", Version: "8.0"}}},
		{Version: "1.1", Components: []rainbondtest.ComponentTemplate{{Cname: "web", Image: "shop/web:1.1", Version: "1.1", Port: 80}, {Cname: "db", Image: "mysql:8.0", Version: "8.0"}}},
	},
}}}

func TestAccAppInstall(t *testing.T) {
	e := newAccEnv(t)
	must(t, e.srv.AddStore(accStore))
	seed := e.srv.Seed()
	team, appID := seed.TeamA.TenantID, seed.AppA.ID
	market := `
  market_url    = "https://store.acc.test"
  market_domain = "acc"`
	// The same store under another address and a type: cosmetic changes.
	moved := `
  market_url    = "https://store.acc.test/"
  market_domain = "acc"
  market_type   = "rainstore"`
	withMarket := func(version, market string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_app_install" "i" {
  team_id       = %q
  region        = "rainbond"
  app_id        = %d
  app_model_id  = "shop"
  version       = %q
%s
}
`, team, appID, version, market))
	}
	cfg := func(version string) string { return withMarket(version, market) }
	var ids []string
	sameComponents := func(s *terraform.State) error {
		var got []string
		for _, c := range e.srv.Components(appID) {
			got = append(got, c.ServiceID)
		}
		slices.Sort(got)
		if ids == nil {
			ids = got
		} else if !slices.Equal(got, ids) {
			return fmt.Errorf("the app's components are now %v, were %v: reinstalled", got, ids)
		}
		return nil
	}
	installed := func(n int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := len(e.srv.Components(appID)); got != n {
				return fmt.Errorf("the app has %d components, want %d", got, n)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy:             installed(0),
		Steps: []resource.TestStep{
			{
				Config: cfg("1.0"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("rainbond_app_install.i", "component_ids.#", "2"),
					resource.TestCheckResourceAttr("rainbond_app_install.i", "recorded_version", "1.0"),
					resource.TestCheckResourceAttr("rainbond_app_install.i", "app_model_name", "Shop"),
					installed(2),
					sameComponents,
				),
			},
			{
				ResourceName: "rainbond_app_install.i", ImportState: true, ImportStateVerify: true,
				// The console cannot show how the model was installed.
				ImportStateVerifyIgnore: []string{"market_url", "market_domain", "market_type", "market_access_key"},
			},
			{ // a new version is an upgrade in place, never a reinstall
				Config:           cfg("1.1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_app_install.i", plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("rainbond_app_install.i", "version", "1.1"),
					// The console keeps recording the version installed.
					resource.TestCheckResourceAttr("rainbond_app_install.i", "recorded_version", "1.0"),
					installed(2),
					func(*terraform.State) error {
						for _, c := range e.srv.Components(appID) {
							if c.Cname == "web" && c.Version != "1.1" {
								return fmt.Errorf("web runs version %s after the upgrade", c.Version)
							}
						}
						return nil
					},
				),
			},
			{ // the store's address and type changed: stored in place, never a reinstall
				Config:           withMarket("1.1", moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_app_install.i", plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("rainbond_app_install.i", "market_url", "https://store.acc.test/"),
					resource.TestCheckResourceAttr("rainbond_app_install.i", "market_type", "rainstore"),
					installed(2),
					sameComponents,
				),
			},
			{ // and back: in place again
				Config:           cfg("1.1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_app_install.i", plancheck.ResourceActionUpdate)}},
				Check:            resource.ComposeAggregateTestCheckFunc(resource.TestCheckNoResourceAttr("rainbond_app_install.i", "market_type"), sameComponents),
			},
			{ // an upgrade behind Terraform's back cannot be seen: the plan stays empty (documented)
				PreConfig: func() {
					_, _, err := e.client.Apps.UpgradeModelTo(e.ctx, team, "rainbond", appID, "shop", "1.0")
					must(t, err)
				},
				Config:   cfg("1.1"),
				PlanOnly: true,
			},
			{ // the components deleted behind Terraform's back: installed again
				PreConfig: func() {
					for _, c := range e.srv.Components(appID) {
						_, err := e.client.Components.Delete(e.ctx, team, "rainbond", appID, c.ServiceID, &rainbond.DeleteComponentOptions{Force: true})
						must(t, err)
					}
				},
				Config:           cfg("1.1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_app_install.i", plancheck.ResourceActionCreate)}},
				Check:            installed(2),
			},
		},
	})
}

func TestAccAppInstallRefusesAModelTheAppHolds(t *testing.T) {
	e := newAccEnv(t)
	must(t, e.srv.AddStore(accStore))
	seed := e.srv.Seed()
	_, _, err := e.client.Apps.InstallFromMarket(e.ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID,
		&rainbond.Install{MarketURL: accStore.URL, MarketDomain: accStore.Domain, AppModelID: "shop", AppModelVersion: "1.0"}, nil)
	must(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
resource "rainbond_app_install" "i" {
  team_id       = %q
  region        = "rainbond"
  app_id        = %d
  market_url    = "https://store.acc.test"
  market_domain = "acc"
  app_model_id  = "shop"
  version       = "1.0"
}
`, seed.TeamA.TenantID, seed.AppA.ID)),
			ExpectError: regexpMust(`already holds app model shop[\s\S]*import it instead`),
		}},
	})
	if got := len(e.srv.Components(seed.AppA.ID)); got != 2 {
		t.Errorf("the app has %d components; the refused install installed anyway", got)
	}
}

// emptyStore has a model whose version has no component: the console
// accepts its install, which creates nothing.
var emptyStore = rainbondtest.Store{Domain: "hollow", URL: "https://store.hollow.test", Models: []rainbondtest.AppModel{{
	ID: "hollow", Name: "Hollow", Versions: []rainbondtest.AppModelVersion{{Version: "1.0"}},
}}}

func TestAccAppInstallThatCreatesNothingIsAnError(t *testing.T) {
	for _, withOthers := range []bool{false, true} {
		t.Run(fmt.Sprintf("other components %v", withOthers), func(t *testing.T) {
			e := newAccEnv(t)
			must(t, e.srv.AddStore(emptyStore))
			must(t, e.srv.AddStore(accStore))
			seed := e.srv.Seed()
			team, appID := seed.TeamA.TenantID, seed.AppA.ID
			if withOthers { // the app's newest component group is then an older install's
				_, _, err := e.client.Apps.InstallFromMarket(e.ctx, team, "rainbond", appID,
					&rainbond.Install{MarketURL: accStore.URL, MarketDomain: accStore.Domain, AppModelID: "shop", AppModelVersion: "1.0"}, nil)
				must(t, err)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps: []resource.TestStep{{
					Config: e.config(fmt.Sprintf(`
resource "rainbond_app_install" "i" {
  team_id       = %q
  region        = "rainbond"
  app_id        = %d
  market_url    = "https://store.hollow.test"
  market_domain = "hollow"
  app_model_id  = "hollow"
  version       = "1.0"
}
`, team, appID)),
					ExpectError: regexpMust(fmt.Sprintf(`created no component[\s\S]*app model hollow version 1\.0 into app %d[\s\S]*terraform import`, appID)),
				}},
			})
		})
	}
}

func TestAccAppInstallWithLostAnswerIsAdoptedNotRepeated(t *testing.T) {
	e := newAccEnv(t)
	must(t, e.srv.AddStore(accStore))
	seed := e.srv.Seed()
	e.srv.InjectFaults(1, rainbondtest.Fault{Method: "POST", PathSuffix: "/install", DropConnection: true, AfterHandling: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
resource "rainbond_app_install" "i" {
  team_id           = %q
  region            = "rainbond"
  app_id            = %d
  market_url        = "https://store.acc.test"
  market_domain     = "acc"
  market_access_key = "not-needed-but-secret"
  app_model_id      = "shop"
  version           = "1.0"
}
`, seed.TeamA.TenantID, seed.AppA.ID)),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("rainbond_app_install.i", "component_ids.#", "2"),
				resource.TestCheckNoResourceAttr("rainbond_app_install.i", "market_access_key"),
				stateHoldsNoLineOf("not-needed-but-secret"),
				func(*terraform.State) error {
					if got := len(e.srv.Components(seed.AppA.ID)); got != 2 {
						return fmt.Errorf("the app has %d components; want one install's 2", got)
					}
					return nil
				},
			),
		}},
	})
}

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestApplyAppKeepsAnAbsentNoteNull(t *testing.T) {
	m := appModel{TeamID: types.StringValue("t"), Region: types.StringValue("r"), Note: types.StringNull()}
	info := &rainbond.AppInfo{AppBaseInfo: rainbond.AppBaseInfo{ID: 7, GroupName: "shop", K8sApp: "app-x"}, Status: rainbond.AppClosed}
	applyApp(&m, info)
	if !m.Note.IsNull() || m.ID.ValueString() != "t/r/7" || m.AppID.ValueInt64() != 7 || m.Status.ValueString() != "closed" {
		t.Errorf("got %+v", m)
	}
	info.Note = "set in the UI"
	applyApp(&m, info)
	if m.Note.ValueString() != "set in the UI" {
		t.Errorf("a note set behind Terraform's back is hidden: %v", m.Note)
	}
}

// appOf is the team, region and app id of resource name in the state.
func appOf(s *terraform.State, name string) (string, string, int64, error) {
	r := s.RootModule().Resources[name]
	if r == nil {
		return "", "", 0, fmt.Errorf("no %s in the state", name)
	}
	id, err := parseID("app_id", r.Primary.Attributes["app_id"])
	return r.Primary.Attributes["team_id"], r.Primary.Attributes["region"], id, err
}

func TestAccApp(t *testing.T) {
	e := newAccEnv(t)
	team := e.srv.Seed().TeamA.TenantID
	var appID int64
	cfg := func(name, note string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_app" "a" {
  team_id = %q
  region  = "rainbond"
  name    = %q
  note    = %q
}
`, team, name, note))
	}
	exists := func(name string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			var err error
			_, _, appID, err = appOf(s, "rainbond_app.a")
			if err != nil {
				return err
			}
			app, _, err := e.client.Apps.Get(e.ctx, team, "rainbond", appID)
			if err != nil {
				return err
			}
			if app.GroupName != name {
				return fmt.Errorf("the console's app is named %q, want %q", app.GroupName, name)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := e.client.Apps.Get(e.ctx, team, "rainbond", appID); !isNotFound(err) {
				return fmt.Errorf("app %d is still there after destroy: %v", appID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("acc-app", "first"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("rainbond_app.a", "status", "closed"),
					resource.TestCheckResourceAttrSet("rainbond_app.a", "k8s_app"),
					exists("acc-app"),
				),
			},
			{ResourceName: "rainbond_app.a", ImportState: true, ImportStateVerify: true},
			{ // the OpenAPI cannot change an app: a new name replaces it
				Config:           cfg("acc-app-2", "first"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_app.a", plancheck.ResourceActionDestroyBeforeCreate)}},
				Check:            exists("acc-app-2"),
			},
			{ // deleted behind Terraform's back: created again
				PreConfig: func() {
					_, err := e.client.Apps.Delete(e.ctx, team, "rainbond", appID, nil)
					must(t, err)
				},
				Config:           cfg("acc-app-2", "first"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_app.a", plancheck.ResourceActionCreate)}},
				Check:            exists("acc-app-2"),
			},
			{ // a component running in the app, started behind Terraform's back: destroy stops it first
				PreConfig: func() {
					_, _, err := e.client.Components.CreateFromImage(e.ctx, team, "rainbond", appID,
						&rainbond.ComponentCreate{ServiceCname: "running", Image: "nginx:1.27", Deploy: true})
					must(t, err)
				},
				Config: cfg("acc-app-2", "first"),
				Check:  resource.TestCheckResourceAttr("rainbond_app.a", "status", "running"),
			},
		},
	})
}

func TestAccAppCreateWithLostAnswerIsAdoptedNotRepeated(t *testing.T) {
	e := newAccEnv(t)
	team := e.srv.Seed().TeamA.TenantID
	e.srv.InjectFaults(1, rainbondtest.Fault{Method: "POST", PathSuffix: "/apps", DropConnection: true, AfterHandling: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
resource "rainbond_app" "a" {
  team_id = %q
  region  = "rainbond"
  name    = "lost-answer"
}
`, team)),
			Check: func(s *terraform.State) error {
				apps, _, err := e.client.Apps.List(e.ctx, team, "rainbond", &rainbond.ListAppsOptions{Query: "lost-answer"})
				if err != nil {
					return err
				}
				_, _, id, err := appOf(s, "rainbond_app.a")
				if err != nil {
					return err
				}
				if len(apps) != 1 || apps[0].ID != id {
					return fmt.Errorf("apps named lost-answer: %d; want exactly the one in the state, %d", len(apps), id)
				}
				return nil
			},
		}},
	})
}

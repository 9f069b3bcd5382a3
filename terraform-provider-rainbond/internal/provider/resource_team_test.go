package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestRegionsToKeep(t *testing.T) {
	opened := []string{"region-b", "rainbond", "extra"}
	if got := regionsToKeep(nil, opened, true); !slices.Equal(got, []string{"extra", "rainbond", "region-b"}) {
		t.Errorf("nothing managed yet: %v; want every opened region, sorted", got)
	}
	if got := regionsToKeep([]string{"rainbond", "closed-behind-our-back"}, opened, false); !slices.Equal(got, []string{"rainbond"}) {
		t.Errorf("managed: %v; want the managed regions still open, and no other", got)
	}
	if got := regionsToKeep([]string{"gone"}, opened, false); got == nil || len(got) != 0 {
		t.Errorf("got %#v; want an empty, non-nil list", got)
	}
}

func TestApplyTeamTakesTheConsolesValues(t *testing.T) {
	var m teamModel
	applyTeam(&m, &rainbond.TeamInfo{TenantID: "tid", TenantName: "o19p6wen", TenantAlias: "Ops", EnterpriseID: "ent"}, []string{"rainbond"})
	if m.ID.ValueString() != "tid" || m.TenantName.ValueString() != "o19p6wen" || m.DisplayName.ValueString() != "Ops" ||
		m.EnterpriseID.ValueString() != "ent" || len(m.Regions.Elements()) != 1 {
		t.Errorf("got %+v", m)
	}
}

// teamID is the id of rainbond_team.t in the state.
func teamID(s *terraform.State) string { return s.RootModule().Resources["rainbond_team.t"].Primary.ID }

func TestAccTeam(t *testing.T) {
	e := newAccEnv(t)
	var id string
	cfg := func(regions string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_team" "t" {
  display_name = "acc-team"
  regions      = %s
}
`, regions))
	}
	opened := func(want ...string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			id = teamID(s)
			var got []string
			for r, err := range e.client.Teams.AllRegions(e.ctx, id, nil) {
				if err != nil {
					return err
				}
				got = append(got, r.RegionName)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				return fmt.Errorf("the console has the team in %v, want %v", got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := e.client.Teams.Get(e.ctx, id); !isNotFound(err) {
				return fmt.Errorf("the team is still there after destroy: %v", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create; the plan after the apply must be empty
				Config: cfg(`["rainbond"]`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("rainbond_team.t", "display_name", "acc-team"),
					resource.TestCheckResourceAttrSet("rainbond_team.t", "tenant_name"),
					resource.TestCheckResourceAttr("rainbond_team.t", "regions.#", "1"),
					opened("rainbond"),
				),
			},
			{ResourceName: "rainbond_team.t", ImportState: true, ImportStateVerify: true},
			{ // a region added is opened in place
				Config:           cfg(`["rainbond", "region-b"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_team.t", plancheck.ResourceActionUpdate)}},
				Check:            resource.ComposeAggregateTestCheckFunc(resource.TestCheckResourceAttr("rainbond_team.t", "regions.#", "2"), opened("rainbond", "region-b")),
			},
			{ // a region removed stays open (the OpenAPI cannot close one) and leaves the state
				Config: cfg(`["rainbond"]`),
				Check:  resource.ComposeAggregateTestCheckFunc(resource.TestCheckResourceAttr("rainbond_team.t", "regions.#", "1"), opened("rainbond", "region-b")),
			},
			{ // deleted behind Terraform's back: the plan creates it again
				PreConfig: func() {
					_, err := e.client.Teams.Delete(e.ctx, id)
					must(t, err)
				},
				Config:           cfg(`["rainbond"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_team.t", plancheck.ResourceActionCreate)}},
				Check:            opened("rainbond"),
			},
		},
	})
}

func TestAccTeamCreateWithLostAnswerIsAdoptedNotRepeated(t *testing.T) {
	e := newAccEnv(t)
	e.srv.InjectFaults(1, rainbondtest.Fault{Method: "POST", PathSuffix: "/teams", DropConnection: true, AfterHandling: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "rainbond_team" "t" {
  display_name = "lost-answer"
}
`),
			Check: func(s *terraform.State) error {
				var named []string
				for team, err := range e.client.Teams.All(e.ctx, nil) {
					if err != nil {
						return err
					}
					if team.TenantAlias == "lost-answer" {
						named = append(named, team.TenantID)
					}
				}
				if len(named) != 1 || named[0] != teamID(s) {
					return fmt.Errorf("teams named lost-answer: %v; want exactly the one in the state, %s", named, teamID(s))
				}
				return lookedAfterLostCreate(e.srv, "/openapi/v1/teams", "/openapi/v1/teams")
			},
		}},
	})
}

// lookedAfterLostCreate checks that the create (a POST to createPath) was
// sent once, and that a GET of listPath came after it: the provider looked
// for what the create made instead of sending it again.
func lookedAfterLostCreate(srv *rainbondtest.Server, createPath, listPath string) error {
	posts, listedAfter := 0, false
	for _, r := range srv.Requests() {
		switch {
		case r.Method == "POST" && r.Path == createPath:
			posts++
		case r.Method == "GET" && r.Path == listPath && posts > 0:
			listedAfter = true
		}
	}
	if posts != 1 || !listedAfter {
		return fmt.Errorf("%d creates sent, listed after: %v; want one create, then a look", posts, listedAfter)
	}
	return nil
}

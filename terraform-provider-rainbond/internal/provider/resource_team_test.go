package provider

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
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

func TestTeamUpdateRenamesOnlyWhenTheNameDiffers(t *testing.T) {
	state := teamModel{DisplayName: types.StringValue("Ops")}
	plan := teamModel{DisplayName: types.StringValue("Ops")}
	if u := teamUpdate(&plan, &state); u != nil {
		t.Errorf("same name: %+v; want nothing sent", u)
	}
	plan.DisplayName = types.StringValue("Platform")
	if u := teamUpdate(&plan, &state); u == nil || u.Alias == nil || *u.Alias != "Platform" || u.Active != nil || u.OwnerID != nil {
		t.Errorf("renamed: %+v; want the alias only", u)
	}
}

// teamID is the id of rainbond_team.t in the state.
func teamID(s *terraform.State) string { return s.RootModule().Resources["rainbond_team.t"].Primary.ID }

func TestAccTeam(t *testing.T) {
	e := newAccEnv(t)
	var id string
	named := func(name, regions string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_team" "t" {
  display_name = %q
  regions      = %s
}
`, name, regions))
	}
	cfg := func(regions string) string { return named("acc-team", regions) }
	alias := func(want string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			if teamID(s) != id {
				return fmt.Errorf("the team is now %s, was %s: it was replaced", teamID(s), id)
			}
			team, _, err := e.client.Teams.Get(e.ctx, id)
			if err != nil {
				return err
			}
			if team.TenantAlias != want {
				return fmt.Errorf("the console names the team %q, want %q", team.TenantAlias, want)
			}
			return nil
		}
	}
	inPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_team.t", plancheck.ResourceActionUpdate)}}
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
			{ // a new display name renames the team in place, never replaces it (which would delete its apps)
				Config:           named("acc-team-renamed", `["rainbond"]`),
				ConfigPlanChecks: inPlace,
				Check:            alias("acc-team-renamed"),
			},
			{ // renamed in the console: the plan renames it back in place
				PreConfig: func() {
					_, _, err := e.client.Teams.Update(e.ctx, id, &rainbond.TeamUpdate{Alias: rainbond.Ptr("renamed-in-ui")})
					must(t, err)
				},
				Config:           named("acc-team-renamed", `["rainbond"]`),
				ConfigPlanChecks: inPlace,
				Check:            alias("acc-team-renamed"),
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

func TestAccTeamWithoutRegionsListsEveryOpenedRegion(t *testing.T) {
	e := newAccEnv(t)
	cfg := e.config(`
resource "rainbond_team" "t" {
  display_name = "all-regions"
}
`)
	var before int
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					n, err := strconv.Atoi(s.RootModule().Resources["rainbond_team.t"].Primary.Attributes["regions.#"])
					before = n
					return err
				},
			},
			{ // a region opened in the console shows in the state, and the plan stays empty
				PreConfig: func() {
					var id string
					for team, err := range e.client.Teams.All(e.ctx, nil) {
						must(t, err)
						if team.TenantAlias == "all-regions" {
							id = team.TenantID
						}
					}
					_, _, err := e.client.Teams.OpenRegion(e.ctx, id, "region-b")
					must(t, err)
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckTypeSetElemAttr("rainbond_team.t", "regions.*", "region-b"),
					func(s *terraform.State) error {
						got := s.RootModule().Resources["rainbond_team.t"].Primary.Attributes["regions.#"]
						if got != strconv.Itoa(before+1) {
							return fmt.Errorf("regions.# is %s after opening one more than %d", got, before)
						}
						return nil
					},
				),
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

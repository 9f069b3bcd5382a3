package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccExample applies examples/terraform/main.tf, as README.md there
// runs it, against a fake console: a team, an app, a component and an
// HTTPS domain; then destroys it all.
func TestAccExample(t *testing.T) {
	e := newAccEnv(t)
	cert, key := pemPair(t, "shop.example.com")
	var team string
	resource.ParallelTest(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := e.client.Teams.Get(e.ctx, team); !isNotFound(err) {
				return fmt.Errorf("the example's team is still there after destroy: %v", err)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			// The directory has its own provider block: the factories go
			// with the step.
			ProtoV6ProviderFactories: factories,
			ConfigDirectory:          config.StaticDirectory("../../../examples/terraform"),
			ConfigVariables: config.Variables{
				"rainbond_url":    config.StringVariable(e.srv.URL),
				"rainbond_token":  config.StringVariable(e.srv.Token),
				"certificate_pem": config.StringVariable(cert + "\n"),
				"private_key_pem": config.StringVariable(key + "\n"),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckOutput("url", "https://shop.example.com/"),
				func(s *terraform.State) error {
					team = s.RootModule().Resources["rainbond_team.shop"].Primary.ID
					_, region, appID, err := appOf(s, "rainbond_app.web")
					if err != nil {
						return err
					}
					rules, _, err := e.client.Gateway.ListHTTPRules(e.ctx, team, region, appID)
					if err != nil {
						return err
					}
					if len(rules) != 1 || rules[0].URL() != "https://shop.example.com/" {
						return fmt.Errorf("the console's rules: %+v", rules)
					}
					return nil
				},
			),
		}},
	})
}

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	rainbond "github.com/rbdkit/rainbond-go"
)

func ruleModel(path string, cert int64) httpRuleModel {
	return httpRuleModel{
		ServiceID: types.StringValue("svc"), ContainerPort: types.Int64Value(80), DomainName: types.StringValue("shop.example.com"),
		DomainPath: types.StringValue(path), DomainCookie: types.StringNull(), AutoSSL: types.BoolValue(false),
		AutoSSLConfig: types.StringNull(), CertificateID: types.Int64Value(cert),
	}
}

func TestRuleUpdateSendsWhatChangedAndAlwaysTheCertificate(t *testing.T) {
	state, plan := ruleModel("/", 5), ruleModel("/shop", 5)
	u := ruleUpdate(&plan, &state)
	if u.DomainPath == nil || *u.DomainPath != "/shop" || u.DomainName != nil || u.ContainerPort != nil || u.AutoSSL != nil || u.DomainCookie != nil {
		t.Errorf("got %+v; want the path only among the optional members", u)
	}
	if u.CertificateID == nil || *u.CertificateID != 5 || u.AutoSSLConfig == nil || *u.AutoSSLConfig != "" || u.ServiceID != "svc" {
		t.Errorf("got %+v; the certificate and auto-SSL must be sent, or the console drops them", u)
	}
	plan.CertificateID = types.Int64Null()
	if u := ruleUpdate(&plan, &state); *u.CertificateID != 0 {
		t.Errorf("a certificate removed from the configuration is sent as %d, want 0", *u.CertificateID)
	}
}

func TestACookieIsSetInPlaceAndNeverSentEmpty(t *testing.T) {
	state, plan := ruleModel("/", 5), ruleModel("/", 5)
	plan.DomainCookie = types.StringValue("beta=1")
	if !routeChanged(&plan, &state) {
		t.Error("a cookie added is not sent")
	}
	if u := ruleUpdate(&plan, &state); u.DomainCookie == nil || *u.DomainCookie != "beta=1" {
		t.Errorf("a cookie added: %+v; want it sent", u)
	}
	state.DomainCookie = types.StringValue("beta=1")
	if u := ruleUpdate(&plan, &state); u.DomainCookie != nil {
		t.Errorf("the same cookie is sent again: %q", *u.DomainCookie)
	}
	plan.DomainCookie = types.StringNull()
	if u := ruleUpdate(&plan, &state); u.DomainCookie != nil {
		t.Errorf("a cookie removed is sent as %q; the console refuses an empty one", *u.DomainCookie)
	}
	for _, c := range []struct {
		state, plan types.String
		replace     bool
	}{
		{types.StringNull(), types.StringValue("a=1"), false},
		{types.StringValue("a=1"), types.StringValue("a=2"), false},
		{types.StringValue("a=1"), types.StringUnknown(), false},
		{types.StringValue("a=1"), types.StringNull(), true},
		{types.StringValue(""), types.StringNull(), false},
	} {
		if got := cookieCleared(c.state, c.plan); got != c.replace {
			t.Errorf("cookie %v -> %v: replace %v, want %v", c.state, c.plan, got, c.replace)
		}
	}
}

func TestOnlyARouteChangeIsSent(t *testing.T) {
	state, plan := ruleModel("/", 5), ruleModel("/", 5)
	plan.OpenPort, state.OpenPort = types.BoolValue(true), types.BoolValue(false)
	if routeChanged(&plan, &state) {
		t.Error("open_port alone counts as a change to send")
	}
	plan.CertificateID = types.Int64Null()
	if !routeChanged(&plan, &state) {
		t.Error("a certificate removed is not sent")
	}
}

func TestApplyHTTPRule(t *testing.T) {
	m := ruleModel("/", 0)
	m.TeamID, m.Region, m.AppID = types.StringValue("t"), types.StringValue("r"), types.Int64Value(2)
	applyHTTPRule(&m, &rainbond.HTTPRule{HTTPRuleID: "rid", DomainName: "shop.example.com", ServiceID: "svc", ContainerPort: 80, Protocol: "http"})
	if !m.CertificateID.IsNull() || m.DomainPath.ValueString() != "/" || !m.DomainCookie.IsNull() || m.ID.ValueString() != "t/r/2/rid" ||
		m.URL.ValueString() != "http://shop.example.com/" || m.OpenPort.ValueBool() {
		t.Errorf("got %+v", m)
	}
}

func TestDomainPattern(t *testing.T) {
	for domain, ok := range map[string]bool{
		"shop.example.com": true, "*.example.com": true, "localhost": true,
		"https://shop.example.com": false, "shop.example.com:443": false, "shop.example.com/x": false, "a_b.example.com": false, "a b": false,
	} {
		if domainPattern.MatchString(domain) != ok {
			t.Errorf("%q: accepted %v, want %v", domain, !ok, ok)
		}
	}
}

// ruleOf is rainbond_http_rule.r's rule id in the state.
func ruleOf(s *terraform.State) (string, error) {
	r := s.RootModule().Resources["rainbond_http_rule.r"]
	if r == nil {
		return "", fmt.Errorf("no rainbond_http_rule.r in the state")
	}
	return r.Primary.Attributes["rule_id"], nil
}

func TestAccHTTPRule(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	team, appID := seed.TeamA.TenantID, seed.AppA.ID
	created, _, err := e.client.Components.CreateFromImage(e.ctx, team, "rainbond", appID,
		&rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.27", Deploy: true})
	must(t, err)
	svc := created.ServiceID
	_, _, err = e.client.Components.AddPort(e.ctx, team, "rainbond", appID, svc, &rainbond.PortCreate{Port: 80})
	must(t, err)
	cert, key := pemPair(t, "shop.example.com")
	var ruleID string
	cfg := func(rule string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_certificate" "c" {
  team_id     = %q
  alias       = "shop"
  certificate = %q
  private_key = %q
}

resource "rainbond_http_rule" "r" {
  team_id        = %q
  region         = "rainbond"
  app_id         = %d
  service_id     = %q
  container_port = 80
  domain_name    = "shop.example.com"
  open_port      = true
%s
}
`, team, cert, key, team, appID, svc, rule))
	}
	https := cfg(`  certificate_id = rainbond_certificate.c.certificate_id`)
	moved := cfg(`
  certificate_id = rainbond_certificate.c.certificate_id
  domain_path    = "/shop"
`)
	cookie := func(c string) string {
		return cfg(fmt.Sprintf(`
  certificate_id = rainbond_certificate.c.certificate_id
  domain_path    = "/shop"
  domain_cookie  = %q
`, c))
	}
	// hasCookie checks the console's cookie, and that the rule is the one
	// of the step before (updated in place) or not (replaced).
	hasCookie := func(want string, sameRule bool) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			before := ruleID
			id, err := ruleOf(s)
			if err != nil {
				return err
			}
			if (id == before) != sameRule {
				return fmt.Errorf("rule %s, before %s: want the same rule %v", id, before, sameRule)
			}
			ruleID = id
			rule, _, err := e.client.Gateway.GetHTTPRule(e.ctx, team, "rainbond", appID, ruleID)
			if err != nil {
				return err
			}
			if rule.DomainCookie != want {
				return fmt.Errorf("the console's cookie is %q, want %q", rule.DomainCookie, want)
			}
			return nil
		}
	}
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_http_rule.r", plancheck.ResourceActionUpdate)}}
	console := func(path, protocol string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			var err error
			if ruleID, err = ruleOf(s); err != nil {
				return err
			}
			rule, _, err := e.client.Gateway.GetHTTPRule(e.ctx, team, "rainbond", appID, ruleID)
			if err != nil {
				return err
			}
			if rule.DomainPath != path || rule.Protocol != protocol || (protocol == "https") != (rule.CertificateID != 0) {
				return fmt.Errorf("the console routes %s (certificate %d), want %s %s", rule.URL(), rule.CertificateID, protocol, path)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := e.client.Gateway.GetHTTPRule(e.ctx, team, "rainbond", appID, ruleID); !isNotFound(err) {
				return fmt.Errorf("rule %s is still there after destroy: %v", ruleID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: https,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("rainbond_http_rule.r", "protocol", "https"),
					resource.TestCheckResourceAttr("rainbond_http_rule.r", "url", "https://shop.example.com/"),
					console("/", "https"),
				),
			},
			{ResourceName: "rainbond_http_rule.r", ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"open_port"}},
			{
				Config:           moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_http_rule.r", plancheck.ResourceActionUpdate)}},
				Check:            console("/shop", "https"),
			},
			{ // the certificate dropped behind Terraform's back through the SDK: put back
				PreConfig: func() {
					_, _, err := e.client.Gateway.UpdateHTTPRule(e.ctx, team, "rainbond", appID, ruleID,
						&rainbond.HTTPRuleUpdate{ServiceID: svc, CertificateID: rainbond.Ptr(0), AutoSSLConfig: rainbond.Ptr("")})
					must(t, err)
				},
				Config:           moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_http_rule.r", plancheck.ResourceActionUpdate)}},
				Check:            console("/shop", "https"),
			},
			{ // a cookie condition added: in place
				Config:           cookie("beta=1"),
				ConfigPlanChecks: update,
				Check: resource.ComposeAggregateTestCheckFunc(hasCookie("beta=1", true),
					resource.TestCheckResourceAttr("rainbond_http_rule.r", "domain_cookie", "beta=1")),
			},
			{ // changed: in place
				Config:           cookie("beta=2"),
				ConfigPlanChecks: update,
				Check:            resource.ComposeAggregateTestCheckFunc(hasCookie("beta=2", true), console("/shop", "https")),
			},
			{ // changed in the console: put back in place
				PreConfig: func() {
					rule, _, err := e.client.Gateway.GetHTTPRule(e.ctx, team, "rainbond", appID, ruleID)
					must(t, err)
					_, _, err = e.client.Gateway.UpdateHTTPRule(e.ctx, team, "rainbond", appID, ruleID, &rainbond.HTTPRuleUpdate{
						ServiceID: svc, CertificateID: rainbond.Ptr(rule.CertificateID), AutoSSLConfig: rainbond.Ptr(""), DomainCookie: rainbond.Ptr("ui=1"),
					})
					must(t, err)
				},
				Config:           cookie("beta=2"),
				ConfigPlanChecks: update,
				Check:            hasCookie("beta=2", true),
			},
			{ // removed: the console's update cannot clear it, so the rule is replaced
				Config:           moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_http_rule.r", plancheck.ResourceActionDestroyBeforeCreate)}},
				Check: resource.ComposeAggregateTestCheckFunc(hasCookie("", false), console("/shop", "https"),
					resource.TestCheckNoResourceAttr("rainbond_http_rule.r", "domain_cookie")),
			},
			{ // deleted behind Terraform's back: created again
				PreConfig: func() {
					_, _, err := e.client.Gateway.DeleteHTTPRule(e.ctx, team, "rainbond", appID, ruleID)
					must(t, err)
				},
				Config:           moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_http_rule.r", plancheck.ResourceActionCreate)}},
				Check:            console("/shop", "https"),
			},
		},
	})
}

func TestAccHTTPRuleAdoptsOnlyARuleThatRoutesAsConfigured(t *testing.T) {
	for _, c := range []struct {
		name     string
		existing int // the container port the app's rule routes to
		adopted  bool
	}{
		{"routing as configured: adopted", 80, true},
		{"routing otherwise: refused", 8080, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			seed := e.srv.Seed()
			team, appID := seed.TeamA.TenantID, seed.AppA.ID
			created, _, err := e.client.Components.CreateFromImage(e.ctx, team, "rainbond", appID,
				&rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.27", Deploy: true})
			must(t, err)
			svc := created.ServiceID
			for _, p := range []int{80, 8080} {
				_, _, err = e.client.Components.AddPort(e.ctx, team, "rainbond", appID, svc, &rainbond.PortCreate{Port: p})
				must(t, err)
			}
			existing, _, err := e.client.Gateway.EnsureHTTPRule(e.ctx, team, "rainbond", appID, &rainbond.HTTPRuleEnsure{
				DomainName: "shop.example.com", ServiceID: svc, ContainerPort: c.existing, OpenPort: true,
			})
			must(t, err)
			step := resource.TestStep{Config: e.config(fmt.Sprintf(`
resource "rainbond_http_rule" "r" {
  team_id        = %q
  region         = "rainbond"
  app_id         = %d
  service_id     = %q
  container_port = 80
  domain_name    = "shop.example.com"
  open_port      = true
}
`, team, appID, svc))}
			if c.adopted {
				step.Check = resource.TestCheckResourceAttr("rainbond_http_rule.r", "rule_id", existing.HTTPRuleID)
			} else {
				step.ExpectError = regexpMust(fmt.Sprintf(`already[\s\S]*rule[\s\S]*%s[\s\S]*container_port[\s\S]*differed[\s\S]*not[\s\S]*adopted[\s\S]*import[\s\S]*%s/rainbond/%d/%s`,
					existing.HTTPRuleID, team, appID, existing.HTTPRuleID))
			}
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: factories, Steps: []resource.TestStep{step}})
			if c.adopted {
				return // and destroyed with the resource
			}
			rules, _, err := e.client.Gateway.ListHTTPRules(e.ctx, team, "rainbond", appID)
			must(t, err)
			if len(rules) != 1 || rules[0].HTTPRuleID != existing.HTTPRuleID {
				t.Errorf("the app's rules: %+v; want the one rule it had, and no state to destroy it", rules)
			} else if rules[0].ContainerPort != c.existing {
				t.Errorf("the rule routes to port %d; the refused create must leave it on %d", rules[0].ContainerPort, c.existing)
			}
		})
	}
}

package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestApplyCertificateKeepsTheConfigurationsWhitespace(t *testing.T) {
	m := certificateModel{TeamID: types.StringValue("t"), Certificate: types.StringValue("-----PEM-----\n"), PrivateKey: types.StringValue("key")}
	applyCertificate(&m, &rainbond.Certificate{ID: 9, Alias: "shop", Certificate: "-----PEM-----", Type: rainbond.CertificateServer})
	if m.Certificate.ValueString() != "-----PEM-----\n" {
		t.Errorf("the console's trimmed PEM replaced the configuration's: %q (a perpetual diff)", m.Certificate.ValueString())
	}
	if !m.PrivateKey.IsNull() || m.ID.ValueString() != "t/9" || m.CertificateType.ValueString() != string(rainbond.CertificateServer) {
		t.Errorf("got %+v; want no key in the state", m)
	}
	applyCertificate(&m, &rainbond.Certificate{ID: 9, Certificate: "-----OTHER-----"})
	if m.Certificate.ValueString() != "-----OTHER-----\n" {
		t.Errorf("a PEM changed behind Terraform's back is hidden: %q", m.Certificate.ValueString())
	}
}

// pemPair makes a certificate for names, valid now, and its key, both
// without the final newline (as chomp(file(...)) gives them).
func pemPair(t *testing.T, names ...string) (string, string) {
	t.Helper()
	cert, key, err := rainbondtest.SelfSignedCertificate(names, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	must(t, err)
	return strings.TrimSpace(cert), strings.TrimSpace(key)
}

// certificateID is the certificate_id of resource name in the state.
func certificateID(s *terraform.State, name string) (int64, error) {
	r := s.RootModule().Resources[name]
	if r == nil {
		return 0, fmt.Errorf("no %s in the state", name)
	}
	return parseID("certificate_id", r.Primary.Attributes["certificate_id"])
}

func TestAccCertificate(t *testing.T) {
	e := newAccEnv(t)
	team := e.srv.Seed().TeamA.TenantID
	cert1, key1 := pemPair(t, "shop.example.com")
	cert2, key2 := pemPair(t, "shop.example.com", "www.shop.example.com")
	var id int64
	cfg := func(alias, cert, key string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_certificate" "c" {
  team_id     = %q
  alias       = %q
  certificate = <<-EOT
%s
EOT
  private_key = <<-EOT
%s
EOT
}
`, team, alias, cert, key))
	}
	console := func(alias, cert, key string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			var err error
			if id, err = certificateID(s, "rainbond_certificate.c"); err != nil {
				return err
			}
			got, _, err := e.client.Certificates.Get(e.ctx, team, id)
			if err != nil {
				return err
			}
			if got.Alias != alias || !samePEM(got.Certificate, cert) || !samePEM(got.PrivateKey.Value(), key) {
				return fmt.Errorf("the console holds certificate %q with another PEM or key than configured", got.Alias)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := e.client.Certificates.Get(e.ctx, team, id); !isNotFound(err) {
				return fmt.Errorf("certificate %d is still there after destroy: %v", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("shop", cert1, key1),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr("rainbond_certificate.c", "private_key"),
					stateHoldsNoLineOf(key1),
					console("shop", cert1, key1),
				),
			},
			{
				ResourceName: "rainbond_certificate.c", ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"private_key"},
			},
			{ // renamed and rotated in place
				Config:           cfg("shop-2", cert2, key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_certificate.c", plancheck.ResourceActionUpdate)}},
				Check:            resource.ComposeAggregateTestCheckFunc(console("shop-2", cert2, key2), stateHoldsNoLineOf(key1), stateHoldsNoLineOf(key2)),
			},
			{ // changed behind Terraform's back through the SDK: put back
				PreConfig: func() {
					_, _, err := e.client.Certificates.Update(e.ctx, team, id, &rainbond.CertificateCreate{
						Alias: "renamed-in-ui", Certificate: cert1, PrivateKey: rainbond.NewSecret(key1),
					})
					must(t, err)
				},
				Config:           cfg("shop-2", cert2, key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_certificate.c", plancheck.ResourceActionUpdate)}},
				Check:            console("shop-2", cert2, key2),
			},
			{ // deleted behind Terraform's back: created again
				PreConfig: func() {
					_, err := e.client.Certificates.Delete(e.ctx, team, id)
					must(t, err)
				},
				Config:           cfg("shop-2", cert2, key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_certificate.c", plancheck.ResourceActionCreate)}},
				Check:            console("shop-2", cert2, key2),
			},
		},
	})
}

func TestAccCertificateRefusesAnExpiredPairBeforeSending(t *testing.T) {
	e := newAccEnv(t)
	cert, key, err := rainbondtest.SelfSignedCertificate([]string{"old.example.com"}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	must(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
resource "rainbond_certificate" "c" {
  team_id     = %q
  alias       = "old"
  certificate = %q
  private_key = %q
}
`, e.srv.Seed().TeamA.TenantID, cert, key)),
			ExpectError: regexpMust(`(?i)expired`),
		}},
	})
	if n := len(e.srv.Certificates()); n != 0 {
		t.Errorf("the console holds %d certificates; the expired one was sent", n)
	}
}

package rainbond_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// Publish a component over HTTPS, in a job that runs again and again: the
// certificate and the rule are created once, then found unchanged.
func ExampleGatewayService_EnsureHTTPRule() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	ctx := context.Background()
	team := srv.Seed().TeamA
	web, _, err := client.Components.CreateFromImage(ctx, team.TenantID, "rainbond", 1, &rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.27"})
	if err != nil {
		log.Fatal(err)
	}
	if _, _, err := client.Components.AddPort(ctx, team.TenantID, "rainbond", 1, web.ServiceID, &rainbond.PortCreate{Port: 80, IsInnerService: true}); err != nil {
		log.Fatal(err)
	}
	certPEM, key := exampleCertificate("shop.example.com")

	for range 2 {
		cert, certDone, err := client.Certificates.Ensure(ctx, team.TenantID, &rainbond.CertificateCreate{Alias: "shop", Certificate: certPEM, PrivateKey: key})
		if err != nil {
			log.Fatal(err)
		}
		rule, ruleDone, err := client.Gateway.EnsureHTTPRule(ctx, team.TenantID, "rainbond", 1, &rainbond.HTTPRuleEnsure{
			DomainName: "shop.example.com", ServiceID: web.ServiceID, ContainerPort: 80, CertificateID: int(cert.ID), OpenPort: true,
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(certDone.Outcome, ruleDone.Outcome, rule.URL())
	}
	// Output:
	// created created https://shop.example.com/
	// unchanged unchanged https://shop.example.com/
}

// exampleCertificate makes a self-signed certificate for domain and its
// key, as a real pipeline would read them from files.
func exampleCertificate(domain string) (string, rainbond.Secret) {
	cert, key, err := rainbondtest.SelfSignedCertificate([]string{domain}, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	return cert, rainbond.NewSecret(key)
}

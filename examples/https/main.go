// Command https publishes a component over HTTPS and keeps it published:
// it makes sure the team holds the certificate (Certificates.Ensure) and
// that the domain routes to the component with it
// (Gateway.EnsureHTTPRule), and runs the same publish again to show that
// nothing changes.
//
// With RAINBOND_URL and RAINBOND_TOKEN set it talks to that console (see
// -help for the flags; -component names the component as the console
// shows it, or by its k8s name, service_alias or service_id; -cert-file
// and -key-file name the PEM files, otherwise a self-signed certificate is
// made in memory). Without them it starts the embedded fake console,
// creates an nginx component there to publish, says so, and also rotates
// the certificate (a new one under the same alias, which the rule keeps
// using): on a real console the example never replaces the certificate it
// was given.
//
//	go run ./examples/https
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// settings are what the example works on.
type settings struct {
	url, token        string
	team, teamID      string
	region            string
	app               int64
	component         string
	port              int
	domain, alias     string
	certFile, keyFile string
	timeout           time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "https:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	s, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	fake := s.url == "" || s.token == ""
	if fake {
		srv := rainbondtest.NewServer()
		defer srv.Close()
		fmt.Fprintf(out, "RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at %s.\n\n", srv.URL)
		if s, err = fakeSettings(ctx, s, srv); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-https-example"))
	if err != nil {
		return err
	}
	cert, key, err := s.pair()
	if err != nil {
		return err
	}
	comp, err := client.Apps.FindComponent(ctx, s.team, s.region, s.app, s.component)
	if err != nil {
		return fmt.Errorf("-component %s: %w", s.component, err)
	}
	s.component = comp.ServiceID
	for round := range 2 { // the second publish changes nothing
		if err := publish(ctx, client, s, cert, key, out); err != nil {
			return fmt.Errorf("publish, round %d: %w", round+1, err)
		}
	}
	if !fake {
		return nil // the user's certificate stays as given
	}
	// A rotation, on the fake console only: a new certificate under the
	// same alias; the rule keeps using it.
	cert, key, err = selfSigned(s.domain)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "Rotating the certificate:")
	return publish(ctx, client, s, cert, key, out)
}

// publish makes sure the team holds the certificate and the domain routes
// to the component over HTTPS with it.
func publish(ctx context.Context, client *rainbond.Client, s settings, cert string, key rainbond.Secret, out io.Writer) error {
	c, done, err := client.Certificates.Ensure(ctx, s.teamID, &rainbond.CertificateCreate{Alias: s.alias, Certificate: cert, PrivateKey: key})
	if err != nil {
		return fmt.Errorf("certificate %s: %w", s.alias, err)
	}
	fmt.Fprintf(out, "  certificate %q (id %d): %s%s\n", c.Alias, c.ID, done.Outcome, changed(done))
	rule, done, err := client.Gateway.EnsureHTTPRule(ctx, s.team, s.region, s.app, &rainbond.HTTPRuleEnsure{
		DomainName: s.domain, ServiceID: s.component, ContainerPort: s.port, CertificateID: int(c.ID), OpenPort: true,
	})
	if err != nil {
		return fmt.Errorf("rule for %s: %w", s.domain, err)
	}
	fmt.Fprintf(out, "  %s: %s%s\n", rule.URL(), done.Outcome, changed(done))
	return nil
}

func changed(done *rainbond.Ensured) string {
	if len(done.Changed) == 0 {
		return ""
	}
	return fmt.Sprintf(" %v", done.Changed)
}

// pair is the certificate and key to publish with: the files', or a
// self-signed one made in memory.
func (s settings) pair() (string, rainbond.Secret, error) {
	if s.certFile == "" {
		return selfSigned(s.domain)
	}
	cert, err := os.ReadFile(s.certFile)
	if err != nil {
		return "", rainbond.Secret{}, err
	}
	key, err := os.ReadFile(s.keyFile)
	if err != nil {
		return "", rainbond.Secret{}, err
	}
	return string(cert), rainbond.NewSecret(string(key)), nil
}

// selfSigned makes a certificate for domain, valid for 90 days, and its
// key, in memory.
func selfSigned(domain string) (string, rainbond.Secret, error) {
	cert, key, err := rainbondtest.SelfSignedCertificate([]string{domain}, time.Now().Add(-time.Minute), time.Now().Add(90*24*time.Hour))
	return cert, rainbond.NewSecret(key), err
}

func parseFlags(args []string, getenv func(string) string) (settings, error) {
	s := settings{url: getenv("RAINBOND_URL"), token: getenv("RAINBOND_TOKEN")}
	fs := flag.NewFlagSet("https", flag.ContinueOnError)
	fs.StringVar(&s.team, "team", "", "team: tenant_id or tenant_name")
	fs.StringVar(&s.teamID, "team-id", "", "the team's tenant_id (the certificate routes take no name; default -team)")
	fs.StringVar(&s.region, "region", "", "region (cluster) name")
	fs.Int64Var(&s.app, "app", 0, "id of the component's app")
	fs.StringVar(&s.component, "component", "", "the component: its name as the console shows it, its k8s name, service_alias or service_id")
	fs.IntVar(&s.port, "port", 80, "the component's port to publish")
	fs.StringVar(&s.domain, "domain", "", "the domain to publish it under")
	fs.StringVar(&s.alias, "alias", "", "the certificate's name in the team (default: the domain)")
	fs.StringVar(&s.certFile, "cert-file", "", "PEM certificate (default: a self-signed one made in memory)")
	fs.StringVar(&s.keyFile, "key-file", "", "PEM key of -cert-file")
	fs.DurationVar(&s.timeout, "timeout", 5*time.Minute, "overall time limit")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if (s.certFile == "") != (s.keyFile == "") {
		return s, errors.New("-cert-file and -key-file go together")
	}
	if s.teamID == "" {
		s.teamID = s.team
	}
	if s.alias == "" {
		s.alias = s.domain
	}
	return s, nil
}

// fakeSettings creates, on the fake console, an nginx component with port
// 80 open inside, and points the example at it.
func fakeSettings(ctx context.Context, s settings, srv *rainbondtest.Server) (settings, error) {
	seed := srv.Seed()
	s.url, s.token = srv.URL, srv.Token
	s.team, s.teamID, s.region, s.app = seed.TeamA.TenantName, seed.TeamA.TenantID, seed.Region.RegionName, seed.AppA.ID
	s.domain, s.alias = "shop.example.com", "shop-tls"
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		return s, err
	}
	in := &rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.27"}
	created, _, err := client.Components.CreateFromImage(ctx, s.team, s.region, s.app, in)
	if err != nil {
		return s, err
	}
	s.component = in.ServiceCname // as a user names it; run finds its service_id
	_, _, err = client.Components.AddPort(ctx, s.team, s.region, s.app, created.ServiceID, &rainbond.PortCreate{Port: 80, IsInnerService: true})
	return s, err
}

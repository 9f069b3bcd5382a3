// Command canary releases a new version of an app model the careful way:
// it smart-deploys the template into an app (installed once, skipped
// after), publishes the app's web component on a domain, then starts a
// canary of the template's newest version at 10 % of the domain's traffic
// and walks it to 50 % and 100 %, asking a health gate between steps. A
// gate that fails rolls the canary back: all traffic returns to the
// running version and the new one is deleted.
//
// With RAINBOND_URL and RAINBOND_TOKEN set it talks to that console (see
// -help; the gate asks -health-url for a 2xx, and that every component of
// the app runs). Without them it starts the embedded fake console, where
// it publishes version 1.1 of a "shop" template and releases it, then
// publishes a 1.2 whose component breaks at 10 % and shows the rollback:
//
//	go run ./examples/canary
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// settings are what the example works on.
type settings struct {
	url, token       string
	team, region     string
	appName          string
	template, market string
	component        string
	port             int
	domain           string
	healthURL        string
	settle           time.Duration
	timeout          time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "canary:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	s, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	if s.url != "" && s.token != "" {
		ctx, cancel := context.WithTimeout(ctx, s.timeout)
		defer cancel()
		client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-canary-example"))
		if err != nil {
			return err
		}
		if err := deploy(ctx, client, s, out); err != nil {
			return err
		}
		_, err = release(ctx, client, s, out, nil)
		return err
	}
	return demo(ctx, s, out)
}

// deploy smart-deploys the template: it installs the newest version into
// the app (created when missing), or finds it there already. An app that
// holds an older version is left to the canary: the console's smart
// deploy cannot upgrade (ErrSmartUpgradeBroken).
func deploy(ctx context.Context, client *rainbond.Client, s settings, out io.Writer) error {
	deployed, _, err := client.Apps.SmartDeploy(ctx, s.team, s.region, &rainbond.SmartDeploy{AppName: s.appName, TemplateID: s.template, MarketName: s.market})
	switch {
	case errors.Is(err, rainbond.ErrSmartUpgradeBroken):
		fmt.Fprintf(out, "smart deploy of %s into %q: an older version runs; the canary releases the newest\n", s.template, s.appName)
		return nil
	case err != nil:
		return fmt.Errorf("smart deploy: %w", err)
	}
	fmt.Fprintf(out, "smart deploy of %s into %q: %s %s\n", s.template, s.appName, deployed.Action, cmp.Or(deployed.TemplateVersion, deployed.CurrentVersion))
	return nil
}

// release publishes the component on the domain and runs a canary of the
// template's newest version. breakIt,
// when not nil, runs once the canary takes its first share of the traffic
// (the demo breaks the new version there).
func release(ctx context.Context, client *rainbond.Client, s settings, out io.Writer, breakIt func()) (*rainbond.Canary, error) {
	app, err := findApp(ctx, client, s)
	if err != nil {
		return nil, err
	}
	web, err := client.Apps.FindComponent(ctx, s.team, s.region, app, s.component)
	if err != nil {
		return nil, err
	}
	rule, _, err := client.Gateway.EnsureHTTPRule(ctx, s.team, s.region, app, &rainbond.HTTPRuleEnsure{
		DomainName: s.domain, ServiceID: web.ServiceID, ContainerPort: s.port, OpenPort: true})
	if err != nil {
		return nil, fmt.Errorf("publishing %s: %w", s.component, err)
	}
	fmt.Fprintf(out, "%s serves %s (%s)\n", rule.URL(), s.component, web.ServiceID)

	// The route keeps the name it was first given, also after a promotion
	// replaced its component: CanaryRoute finds it.
	route, err := client.Apps.CanaryRoute(ctx, app, s.domain, "/", web.ServiceAlias)
	if err != nil {
		return nil, err
	}
	plan := &rainbond.CanaryPlan{
		Start:    rainbond.CanaryStart{TemplateID: s.template, RouteName: route, Ratio: 10, MarketName: s.market, FromStore: s.market != ""},
		Schedule: []int{50, 100},
		Settle:   s.settle,
		Gate: func(ctx context.Context, ratio int) error {
			if breakIt != nil && ratio == 10 {
				breakIt()
			}
			err := healthy(ctx, client, s, app)
			fmt.Fprintf(out, "  at %3d%%: %s\n", ratio, verdict(err))
			return err
		},
	}
	canary, err := client.Apps.RunCanary(ctx, s.team, s.region, app, plan)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "released: %s (%s) takes all of %s\n", canary.NewServiceName, canary.NewServiceID, s.domain)
	return canary, nil
}

func verdict(err error) string {
	if err != nil {
		return "unhealthy: " + err.Error()
	}
	return "healthy"
}

// healthy is the gate: every component of the app runs, and -health-url,
// when given, answers 2xx.
func healthy(ctx context.Context, client *rainbond.Client, s settings, app int64) error {
	comps, _, err := client.Apps.ListComponents(ctx, s.team, s.region, app)
	if err != nil {
		return err
	}
	for _, c := range comps {
		if c.Status != rainbond.ComponentRunning {
			return fmt.Errorf("component %s (%s) is %s", c.ServiceCname, c.ServiceID, c.Status)
		}
	}
	if s.healthURL == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.healthURL, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", s.healthURL, resp.Status)
	}
	return nil
}

// findApp is the id of the app named s.appName.
func findApp(ctx context.Context, client *rainbond.Client, s settings) (int64, error) {
	apps, _, err := client.Apps.List(ctx, s.team, s.region, &rainbond.ListAppsOptions{Query: s.appName})
	if err != nil {
		return 0, err
	}
	for _, a := range apps {
		if a.GroupName == s.appName {
			return a.ID, nil
		}
	}
	return 0, fmt.Errorf("no app named %q after the smart deploy", s.appName)
}

// demo runs two releases on the embedded fake console: 1.1 goes to 100 %;
// 1.2 breaks at 10 % and is rolled back.
func demo(ctx context.Context, s settings, out io.Writer) error {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	fmt.Fprintf(out, "RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at %s.\n", srv.URL)
	seed := srv.Seed()
	s.url, s.token, s.team, s.region = srv.URL, srv.Token, seed.TeamA.TenantName, seed.Region.RegionName
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-canary-example"))
	if err != nil {
		return err
	}
	publish := func(versions ...string) {
		m := rainbondtest.AppModel{ID: s.template, Name: "shop"}
		for _, v := range versions {
			m.Versions = append(m.Versions, rainbondtest.AppModelVersion{Version: v, Components: []rainbondtest.ComponentTemplate{
				{Cname: s.component, Image: "goodrain.me/shop-web:" + v, Version: v, Port: s.port, Outer: true}}})
		}
		srv.AddLocalModel(m)
	}

	fmt.Fprintln(out, "\nThe library holds shop 1.0; the first smart deploy installs it:")
	publish("1.0")
	for range 2 { // the second finds it there
		if err := deploy(ctx, client, s, out); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "\nshop 1.1 is published, and its web component fails once it takes traffic:")
	publish("1.0", "1.1")
	if err := deploy(ctx, client, s, out); err != nil {
		return err
	}
	_, err = release(ctx, client, s, out, func() {
		for _, g := range srv.GrayReleases() {
			if g.Status == "active" {
				_ = srv.SetComponentStatus(g.GrayServiceID, "abnormal")
			}
		}
	})
	var stopped *rainbond.CanaryRunError
	if !errors.As(err, &stopped) || !stopped.RolledBack {
		return fmt.Errorf("the broken release should have been rolled back, got: %v", err)
	}
	fmt.Fprintf(out, "stopped, as it should: %v\n", err)
	if err := serving(ctx, client, s, out); err != nil {
		return err
	}

	fmt.Fprintln(out, "\nshop 1.2 is published; release it:")
	publish("1.0", "1.1", "1.2")
	if _, err := release(ctx, client, s, out, nil); err != nil {
		return err
	}
	if err := serving(ctx, client, s, out); err != nil {
		return err
	}

	// The promotion deleted the component the route is named after; the
	// console could not move or roll back a canary on it.
	fmt.Fprintln(out, "\nshop 1.3 is published; a canary on the promoted route is refused before it starts:")
	publish("1.0", "1.1", "1.2", "1.3")
	_, err = release(ctx, client, s, out, nil)
	if !errors.Is(err, rainbond.ErrCanaryRouteRenamed) {
		return fmt.Errorf("want ErrCanaryRouteRenamed, got: %v", err)
	}
	fmt.Fprintf(out, "refused: %v\n", err)
	return nil
}

// serving says which version serves the domain.
func serving(ctx context.Context, client *rainbond.Client, s settings, out io.Writer) error {
	app, err := findApp(ctx, client, s)
	if err != nil {
		return err
	}
	web, err := client.Apps.FindComponent(ctx, s.team, s.region, app, s.component)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is served by %s, image %s\n", s.domain, web.ServiceCname, web.Image)
	return nil
}

func parseFlags(args []string, getenv func(string) string) (settings, error) {
	s := settings{url: getenv("RAINBOND_URL"), token: getenv("RAINBOND_TOKEN")}
	fs := flag.NewFlagSet("canary", flag.ContinueOnError)
	fs.StringVar(&s.team, "team", "", "team: tenant_id or tenant_name")
	fs.StringVar(&s.region, "region", "", "region (cluster) name")
	fs.StringVar(&s.appName, "app-name", "shop", "the app to deploy the template into (created if missing)")
	fs.StringVar(&s.template, "template", "shop", "the app model's id")
	fs.StringVar(&s.market, "market", "", "the store the model comes from (default: the local library)")
	fs.StringVar(&s.component, "component", "web", "the component that serves the domain (its name)")
	fs.IntVar(&s.port, "port", 80, "its port")
	fs.StringVar(&s.domain, "domain", "shop.example.com", "the domain whose traffic is split")
	fs.StringVar(&s.healthURL, "health-url", "", "asked between steps; a 2xx passes")
	fs.DurationVar(&s.settle, "settle", 0, "wait after each step before the gate")
	fs.DurationVar(&s.timeout, "timeout", 30*time.Minute, "overall time limit")
	err := fs.Parse(args)
	return s, err
}

// Command upgrade keeps an app installed from an app store up to date, in
// a way that can run again and again (a CI job, a cron): it makes sure the
// app exists, makes sure the app model is installed (at -version when it
// is not yet), lists the versions the store offers, upgrades to the
// newest, deploys the app and waits for its components to run, then
// prints their states.
//
// With RAINBOND_URL and RAINBOND_TOKEN set it talks to that console (see
// -help; the store's access key, if any, comes from
// RAINBOND_MARKET_ACCESS_KEY). Without them it starts the embedded fake
// console and says so:
//
//	go run ./examples/upgrade
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// settings are what the example works on.
type settings struct {
	url, token                   string
	team, region, app            string
	marketURL, marketDomain, key string
	model, version               string
	interval, timeout            time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "upgrade:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	s, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	if s.url == "" || s.token == "" {
		// Components take 2 s to build, start or upgrade on this fake.
		srv := rainbondtest.NewServer(rainbondtest.WithTransitionTime(2 * time.Second))
		defer srv.Close()
		fmt.Fprintf(out, "RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at %s.\n\n", srv.URL)
		s = fakeSettings(s, srv)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-upgrade-example"))
	if err != nil {
		return err
	}
	return keepUpToDate(ctx, client, s, out)
}

func keepUpToDate(ctx context.Context, client *rainbond.Client, s settings, out io.Writer) error {
	app, created, err := client.Apps.Ensure(ctx, s.team, s.region, &rainbond.AppPostInfo{AppName: s.app})
	if err != nil {
		return fmt.Errorf("ensure app: %w", err)
	}
	fmt.Fprintf(out, "App %q is app %d (%s).\n", app.GroupName, app.ID, map[bool]string{true: "created", false: "already there"}[created])

	ensured, err := client.Apps.EnsureInstalled(ctx, s.team, s.region, app.ID, &rainbond.Install{
		MarketURL: s.marketURL, MarketDomain: s.marketDomain, MarketAccessKey: rainbond.NewSecret(s.key),
		AppModelID: s.model, AppModelVersion: s.version,
	}, nil)
	switch {
	case errors.Is(err, rainbond.ErrNewerInstalled):
		fmt.Fprintf(out, "The console records a newer version than %s: leaving it.\n", s.version)
	case err != nil:
		return fmt.Errorf("ensure installed: %w", err)
	default:
		fmt.Fprintf(out, "App model %s at %s: %s.\n", s.model, s.version, ensured.Outcome)
	}

	models, _, err := client.Apps.ListUpgrades(ctx, s.team, s.region, app.ID)
	if err != nil {
		return fmt.Errorf("list upgrades: %w", err)
	}
	for _, m := range models {
		fmt.Fprintf(out, "  %s (%s): recorded at %s (as installed), the store offers [%s]\n",
			m.AppModelName, m.AppModelID, m.CurrentVersion, strings.Join(m.UpgradeVersions, ", "))
	}

	result, _, err := client.Apps.UpgradeToLatest(ctx, s.team, s.region, app.ID, s.model)
	if err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	if result.To == "" {
		fmt.Fprintf(out, "No upgrade sent: %s.\n", result.Why)
	} else {
		// The console keeps recording the installed version: a later run
		// sends this upgrade again, which changes nothing.
		fmt.Fprintf(out, "Upgrade of %s to %s sent (the console records %s).\n", s.model, result.To, result.Recorded)
	}

	fmt.Fprintln(out, "Deploying the app and waiting for its components to run...")
	comps, err := client.Apps.OperateAllAndWait(ctx, s.team, s.region, app.ID, rainbond.ActionDeploy, &rainbond.WaitOptions{
		Interval: s.interval, FailOn: []rainbond.ComponentStatus{rainbond.ComponentAbnormal, rainbond.ComponentBuildFailure},
	})
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  NAME\tSTATE\tIMAGE\tINSTANCES")
	for _, c := range comps {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%d\n", c.ServiceCname, c.Status, c.Image, c.MinNode)
	}
	return w.Flush()
}

func parseFlags(args []string, getenv func(string) string) (settings, error) {
	s := settings{url: getenv("RAINBOND_URL"), token: getenv("RAINBOND_TOKEN"), key: getenv("RAINBOND_MARKET_ACCESS_KEY")}
	fs := flag.NewFlagSet("upgrade", flag.ContinueOnError)
	fs.StringVar(&s.team, "team", "", "team: tenant_id or tenant_name")
	fs.StringVar(&s.region, "region", "", "region (cluster) name")
	fs.StringVar(&s.app, "app", "", "name of the app to keep up to date (created when missing)")
	fs.StringVar(&s.marketURL, "market-url", "https://store.goodrain.com", "app store URL")
	fs.StringVar(&s.marketDomain, "market-domain", "rainbond", "app store domain")
	fs.StringVar(&s.model, "model", "", "app model id in the store")
	fs.StringVar(&s.version, "version", "", "version to install when the app does not hold the model yet")
	fs.DurationVar(&s.interval, "interval", 2*time.Second, "first wait between two polls of the components")
	fs.DurationVar(&s.timeout, "timeout", 10*time.Minute, "overall time limit")
	return s, fs.Parse(args)
}

// fakeSettings points the example at the fake console's seed: WordPress,
// installed at 6.4 and upgraded to 6.5.
func fakeSettings(s settings, srv *rainbondtest.Server) settings {
	seed := srv.Seed()
	s.url, s.token, s.key = srv.URL, srv.Token, ""
	s.team, s.region, s.app = seed.TeamA.TenantName, seed.Region.RegionName, "shop"
	s.marketURL, s.marketDomain = seed.Store.URL, seed.Store.Domain
	s.model, s.version = seed.WordPress.ID, "6.4"
	s.interval = 500 * time.Millisecond
	return s
}

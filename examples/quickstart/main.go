// Command quickstart installs an app from an app store into an app, copies
// two of the new components into another team's app, and prints what was
// created.
//
// With RAINBOND_URL and RAINBOND_TOKEN set it talks to that console (see
// -help for the flags naming the team, region, apps and app model; the
// store's access key, if any, comes from RAINBOND_MARKET_ACCESS_KEY).
// Without them it starts the embedded fake console and says so:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"text/tabwriter"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// settings are what the quickstart works on.
type settings struct {
	url, token                   string
	team, region                 string
	app                          int64
	marketURL, marketDomain, key string
	model, modelName, version    string
	toTeam, toRegion             string
	toApp                        int64
	deploy                       bool
	timeout                      time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", explain(err))
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	s, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	if s.url == "" || s.token == "" {
		srv := rainbondtest.NewServer()
		defer srv.Close()
		fmt.Fprintf(out, "RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at %s.\n\n", srv.URL)
		s = fakeSettings(s, srv)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-quickstart"))
	if err != nil {
		return err
	}

	installed, _, err := client.Apps.InstallFromMarket(ctx, s.team, s.region, s.app, &rainbond.Install{
		MarketURL: s.marketURL, MarketDomain: s.marketDomain, MarketAccessKey: rainbond.NewSecret(s.key),
		AppModelID: s.model, AppModelVersion: s.version,
	}, &rainbond.InstallOptions{Deploy: s.deploy})
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	created := installed.NewComponents()
	fmt.Fprintf(out, "Installed %s %s into app %d (team %s, region %s): %d new components\n",
		s.modelName, s.version, installed.ID, s.team, installed.RegionName, len(created))
	printComponents(out, created)

	picks := make([]rainbond.AppCopyModify, 0, 2)
	for _, c := range created[:min(2, len(created))] {
		picks = append(picks, rainbond.AppCopyModify{ServiceID: c.ServiceID})
	}
	if len(picks) == 0 {
		return errors.New("the install created no components to copy")
	}
	copied, _, err := client.Apps.CopyApp(ctx, s.team, s.region, s.app, &rainbond.AppCopyC{
		Services: picks, TargetTeamName: s.toTeam, TargetRegionName: s.toRegion, TargetAppID: s.toApp,
	})
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	fmt.Fprintf(out, "\nCopied %d components into app %d (team %s, region %s); copies are deployed\n",
		len(copied.Services), s.toApp, s.toTeam, s.toRegion)
	printComponents(out, copied.Services)
	return nil
}

func parseFlags(args []string, getenv func(string) string) (settings, error) {
	s := settings{url: getenv("RAINBOND_URL"), token: getenv("RAINBOND_TOKEN"), key: getenv("RAINBOND_MARKET_ACCESS_KEY")}
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.StringVar(&s.team, "team", "", "team to install into: tenant_id or tenant_name")
	fs.StringVar(&s.region, "region", "", "region (cluster) name")
	fs.Int64Var(&s.app, "app", 0, "id of the app to install into")
	fs.StringVar(&s.marketURL, "market-url", "https://store.goodrain.com", "app store URL")
	fs.StringVar(&s.marketDomain, "market-domain", "rainbond", "app store domain")
	fs.StringVar(&s.model, "model", "", "app model id in the store")
	fs.StringVar(&s.version, "version", "", "app model version")
	fs.StringVar(&s.toTeam, "to-team", "", "tenant_name of the team to copy into")
	fs.StringVar(&s.toRegion, "to-region", "", "region to copy into (default: -region)")
	fs.Int64Var(&s.toApp, "to-app", 0, "id of the app to copy into")
	fs.BoolVar(&s.deploy, "deploy", false, "deploy the installed components")
	fs.DurationVar(&s.timeout, "timeout", 2*time.Minute, "overall time limit")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if s.toRegion == "" {
		s.toRegion = s.region
	}
	s.modelName = "app model " + s.model
	return s, nil
}

// fakeSettings points the quickstart at the fake console's seed, keeping
// nothing of a real console's settings.
func fakeSettings(s settings, srv *rainbondtest.Server) settings {
	seed := srv.Seed()
	s.url, s.token, s.key = srv.URL, srv.Token, ""
	s.team, s.region, s.app = seed.TeamA.TenantName, seed.Region.RegionName, seed.AppA.ID
	s.marketURL, s.marketDomain = seed.Store.URL, seed.Store.Domain
	s.model, s.modelName, s.version = seed.WordPress.ID, seed.WordPress.Name, "6.5"
	s.toTeam, s.toRegion, s.toApp = seed.TeamB.TenantName, seed.Region.RegionName, seed.AppB.ID
	return s
}

func printComponents(out io.Writer, comps []rainbond.ServiceBaseInfo) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  SERVICE ID\tNAME\tK8S NAME\tIMAGE\tCPU\tMEMORY\tINSTANCES")
	for _, c := range comps {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%dm\t%dMi\t%d\n", c.ServiceID, c.ServiceCname, c.K8sComponentName, c.Image, c.MinCPU, c.MinMemory, c.MinNode)
	}
	w.Flush()
}

// explain turns an error into the console's own words where it has them.
func explain(err error) string {
	var apiErr *rainbond.APIError
	if errors.As(err, &apiErr) {
		msg := apiErr.Error()
		if apiErr.MsgShow != "" && apiErr.StatusCode < 500 {
			msg += "\n  console says: " + apiErr.MsgShow
		}
		return msg
	}
	return err.Error()
}

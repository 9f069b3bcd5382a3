// Command migrate copies every component of one app into a new app it
// creates in another team (or region), then waits for the copies to run.
//
// With RAINBOND_URL and RAINBOND_TOKEN set it works on that console (see
// -help); without them it starts the embedded fake console, installs an app
// there to have something to migrate, and says so:
//
//	go run ./examples/migrate
package main

import (
	"cmp"
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

type settings struct {
	url, token       string
	team, region     string
	app              int64
	toTeam, toRegion string
	name             string
	timeout          time.Duration
	interval         time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "migrate:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	s := settings{url: getenv("RAINBOND_URL"), token: getenv("RAINBOND_TOKEN")}
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.StringVar(&s.team, "team", "", "team of the app to migrate: tenant_id or tenant_name")
	fs.StringVar(&s.region, "region", "", "region of the app to migrate")
	fs.Int64Var(&s.app, "app", 0, "id of the app to migrate")
	fs.StringVar(&s.toTeam, "to-team", "", "tenant_name of the team to migrate into")
	fs.StringVar(&s.toRegion, "to-region", "", "region to migrate into (default: -region)")
	fs.StringVar(&s.name, "name", "", "name of the new app (default: the old name with -migrated)")
	fs.DurationVar(&s.timeout, "timeout", 10*time.Minute, "overall time limit, waiting included")
	fs.DurationVar(&s.interval, "interval", 2*time.Second, "first wait between state checks")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	if s.url == "" || s.token == "" {
		srv := rainbondtest.NewServer(rainbondtest.WithStartupReads(2))
		defer srv.Close()
		fmt.Fprintf(out, "RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at %s.\n", srv.URL)
		var err error
		if s, err = prepareFake(ctx, out, srv, s); err != nil {
			return err
		}
	}
	s.toRegion = cmp.Or(s.toRegion, s.region)

	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-migrate"))
	if err != nil {
		return err
	}
	source, _, err := client.Apps.Get(ctx, s.team, s.region, s.app)
	if err != nil {
		return fmt.Errorf("reading the app to migrate: %w", err)
	}
	target, _, err := client.Apps.Create(ctx, s.toTeam, s.toRegion, &rainbond.AppPostInfo{
		AppName: cmp.Or(s.name, source.GroupName+"-migrated"),
		AppNote: fmt.Sprintf("migrated from app %d of team %s", source.ID, source.TeamName),
	})
	if err != nil {
		return fmt.Errorf("creating the new app: %w", err)
	}
	fmt.Fprintf(out, "Created app %d %q in team %s, region %s.\n", target.ID, target.GroupName, s.toTeam, s.toRegion)

	copied, _, err := client.Apps.CopyAllComponents(ctx, s.team, s.region, s.app, &rainbond.AppCopyC{
		TargetTeamName: s.toTeam, TargetRegionName: s.toRegion, TargetAppID: target.ID,
	})
	if err != nil {
		return fmt.Errorf("copying the components: %w", err)
	}
	fmt.Fprintf(out, "Copied %d components of app %d (%s); waiting for them to run...\n", len(copied.Services), source.ID, source.GroupName)

	states, err := client.Apps.WaitForComponents(ctx, s.toTeam, s.toRegion, target.ID, &rainbond.WaitOptions{
		FailOn: []rainbond.ComponentStatus{rainbond.ComponentAbnormal}, Interval: s.interval,
	})
	printStates(out, states)
	if err != nil {
		var we *rainbond.WaitError
		if errors.As(err, &we) && errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("the copies did not all start within -timeout %s: %w", s.timeout, err)
		}
		return err
	}
	fmt.Fprintf(out, "All %d components of app %d run.\n", len(states), target.ID)
	return nil
}

// prepareFake points the migration at the fake console's seed, after
// installing an app there so that there is something to migrate.
func prepareFake(ctx context.Context, out io.Writer, srv *rainbondtest.Server, s settings) (settings, error) {
	seed := srv.Seed()
	s.url, s.token = srv.URL, srv.Token
	s.team, s.region, s.app = seed.TeamA.TenantName, seed.Region.RegionName, seed.AppA.ID
	s.toTeam, s.toRegion = seed.TeamB.TenantName, seed.Region.RegionName
	s.interval = 50 * time.Millisecond
	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token))
	if err != nil {
		return s, err
	}
	_, _, err = client.Apps.InstallFromMarket(ctx, s.team, s.region, s.app, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.WordPress.ID, AppModelVersion: "6.5",
	}, &rainbond.InstallOptions{Deploy: true})
	if err != nil {
		return s, fmt.Errorf("preparing the fake console: %w", err)
	}
	fmt.Fprintf(out, "Installed wordpress 6.5 into app %d of team %s, to have something to migrate.\n\n", s.app, s.team)
	return s, nil
}

func printStates(w io.Writer, comps []rainbond.ServiceBaseInfo) {
	if len(comps) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  SERVICE ID\tNAME\tSTATE")
	for _, c := range comps {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.ServiceID, c.ServiceCname, c.Status)
	}
	tw.Flush()
}

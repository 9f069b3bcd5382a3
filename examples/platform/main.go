// Command platform onboards a user into a team of their own and offboards
// them, as a platform team's script would: it checks the token (Ping),
// creates the user (the password is a Secret, never printed), makes a team
// with the region opened and the user as its owner, installs an app to
// have something to measure, reads the team's use of the region against
// what it may use, then stops and deletes the team's apps, the team and the
// user.
//
// The console's OpenAPI has no call for a team's members or its quota: the
// user becomes the team's owner (its "creater"), and the quota is the
// region's (or one set in the console's UI).
//
// With RAINBOND_URL and RAINBOND_TOKEN set it talks to that console (see
// -help; the password comes from RAINBOND_USER_PASSWORD). Without them it
// starts the embedded fake console:
//
//	go run ./examples/platform
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
	url, token string
	user       string
	email      string
	password   rainbond.Secret
	team       string
	region     string
	install    *rainbond.Install
	timeout    time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "platform:", err)
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
		seed := srv.Seed()
		s.url, s.token, s.region = srv.URL, srv.Token, seed.Region.RegionName
		s.password = rainbond.NewSecret("s3cret-onboard")
		s.install = &rainbond.Install{MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.WordPress.ID, AppModelVersion: "6.4"}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-platform-example"))
	if err != nil {
		return err
	}
	ping, err := client.Ping(ctx)
	if err != nil {
		return fmt.Errorf("checking the token: %w", err)
	}
	fmt.Fprintf(out, "token of %s, enterprise %s, console %s\n", ping.User.NickName, ping.User.EnterpriseID, ping.ConsoleVersion)
	team, user, err := onboard(ctx, client, s, out)
	if err != nil {
		return err
	}
	if err := measure(ctx, client, s, team, out); err != nil {
		return err
	}
	return offboard(ctx, client, team, user, out)
}

// onboard creates the user and their team, opened in the region.
func onboard(ctx context.Context, client *rainbond.Client, s settings, out io.Writer) (*rainbond.TeamInfo, *rainbond.User, error) {
	user, _, err := client.Users.Create(ctx, &rainbond.UserCreate{NickName: s.user, Email: s.email, Password: s.password})
	if err != nil {
		return nil, nil, fmt.Errorf("creating user %s: %w", s.user, err)
	}
	fmt.Fprintf(out, "created user %s (id %d)\n", user.NickName, user.UserID)
	var ensured *rainbond.TeamEnsured
	for range 2 { // the second finds the team as it is
		if ensured, err = client.Teams.Ensure(ctx, &rainbond.TeamEnsure{Name: s.team, Regions: []string{s.region}}); err != nil {
			return nil, nil, fmt.Errorf("team %s: %w", s.team, err)
		}
		fmt.Fprintf(out, "team %q (%s): %s%s\n", ensured.Team.TenantAlias, ensured.Team.TenantName, ensured.Outcome, changed(ensured.Changed))
	}
	team, _, err := client.Teams.Update(ctx, ensured.Team.TenantID, &rainbond.TeamUpdate{OwnerID: &user.UserID})
	if err != nil {
		return nil, nil, fmt.Errorf("making %s the team's owner: %w", user.NickName, err)
	}
	fmt.Fprintf(out, "%s owns team %s (the console records owner %q)\n", user.NickName, team.TenantName, team.Creator)
	return team, user, nil
}

func changed(what []string) string {
	if len(what) == 0 {
		return ""
	}
	return fmt.Sprintf(" %v", what)
}

// measure installs an app into the team and reads the team's use of the
// region.
func measure(ctx context.Context, client *rainbond.Client, s settings, team *rainbond.TeamInfo, out io.Writer) error {
	if s.install != nil {
		app, _, err := client.Apps.Ensure(ctx, team.TenantID, s.region, &rainbond.AppPostInfo{AppName: "starter"})
		if err != nil {
			return err
		}
		if _, _, err := client.Apps.InstallFromMarket(ctx, team.TenantID, s.region, app.ID, s.install, &rainbond.InstallOptions{Deploy: true}); err != nil {
			return fmt.Errorf("installing a starter app: %w", err)
		}
		fmt.Fprintf(out, "installed %s %s into app %d\n", s.install.AppModelID, s.install.AppModelVersion, app.ID)
	}
	use, _, err := client.Teams.Usage(ctx, team.TenantID, s.region)
	if err != nil {
		return err
	}
	over, _, err := client.Teams.Overview(ctx, team.TenantID, s.region)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "team %s in %s: %d apps, %d components, memory %d of %d MiB (%.1f%%), CPU %dm of %dm\n",
		team.TenantName, s.region, over.Apps, over.Components, use.UsedMemory, use.TotalMemory, use.UsedMemoryPercent, use.UsedCPU, use.TotalCPU)
	return nil
}

// offboard stops and deletes what the user's teams run, the team and the
// user.
func offboard(ctx context.Context, client *rainbond.Client, team *rainbond.TeamInfo, user *rainbond.User, out io.Writer) error {
	if _, err := client.Users.StopTeams(ctx, user.UserID); err != nil {
		return fmt.Errorf("stopping %s's teams: %w", user.NickName, err)
	}
	if _, err := client.Users.DeleteTeamApps(ctx, user.UserID); err != nil {
		return fmt.Errorf("deleting the apps of %s's teams: %w", user.NickName, err)
	}
	fmt.Fprintf(out, "stopped and deleted the apps of every team %s owns\n", user.NickName)
	if _, err := client.Teams.Delete(ctx, team.TenantID); err != nil {
		return fmt.Errorf("deleting team %s: %w", team.TenantName, err)
	}
	if _, err := client.Users.Delete(ctx, user.UserID); err != nil {
		return fmt.Errorf("deleting user %s: %w", user.NickName, err)
	}
	_, _, err := client.Users.Get(ctx, user.UserID)
	if !errors.Is(err, rainbond.ErrNotFound) {
		return fmt.Errorf("user %d should be gone, got %v", user.UserID, err)
	}
	fmt.Fprintf(out, "deleted team %s and user %s\n", team.TenantName, user.NickName)
	return nil
}

func parseFlags(args []string, getenv func(string) string) (settings, error) {
	s := settings{url: getenv("RAINBOND_URL"), token: getenv("RAINBOND_TOKEN"), password: rainbond.NewSecret(getenv("RAINBOND_USER_PASSWORD"))}
	fs := flag.NewFlagSet("platform", flag.ContinueOnError)
	fs.StringVar(&s.user, "user", "newcomer", "the new user's login name")
	fs.StringVar(&s.email, "email", "newcomer@example.com", "the new user's email")
	fs.StringVar(&s.team, "team", "Newcomer's team", "the display name of the team made for them")
	fs.StringVar(&s.region, "region", "rainbond", "the region to open the team in")
	fs.DurationVar(&s.timeout, "timeout", 5*time.Minute, "overall time limit")
	err := fs.Parse(args)
	return s, err
}

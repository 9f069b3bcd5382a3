package rainbond_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// Keep an app model installed and at a version, in a job that runs again
// and again: the second run changes nothing.
func ExampleAppsService_EnsureInstalled() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	ctx := context.Background()

	install := &rainbond.Install{
		MarketURL: "https://store.goodrain.com", MarketDomain: "rainbond",
		AppModelID: srv.Seed().WordPress.ID, AppModelVersion: "6.4",
	}
	for range 2 {
		res, err := client.Apps.EnsureInstalled(ctx, "o19p6wen", "rainbond", 1, install, nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Outcome)
	}
	// Output:
	// installed
	// unchanged
}

// Upgrade an installed app model to the newest version its store offers.
func ExampleAppsService_UpgradeToLatest() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	ctx := context.Background()
	model := srv.Seed().WordPress.ID
	if _, _, err := client.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, &rainbond.Install{
		MarketURL: "https://store.goodrain.com", MarketDomain: "rainbond", AppModelID: model, AppModelVersion: "6.4",
	}, nil); err != nil {
		log.Fatal(err)
	}

	res, _, err := client.Apps.UpgradeToLatest(ctx, "o19p6wen", "rainbond", 1, model)
	switch {
	case errors.Is(err, rainbond.ErrUnsupported):
		log.Fatal("this console is older than v5.2.1: ", err)
	case err != nil:
		log.Fatal(err)
	case res.To == "":
		fmt.Println("already at the latest version,", res.From)
	default:
		fmt.Printf("upgraded from %s to %s\n", res.From, res.To)
	}
	// Output: upgraded from 6.4 to 6.5
}

// Deploy every component of an app and wait until they all run.
func ExampleAppsService_OperateAllAndWait() {
	srv := rainbondtest.NewServer(rainbondtest.WithTransitionTime(50 * time.Millisecond))
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, _, err := client.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, &rainbond.Install{
		MarketURL: "https://store.goodrain.com", MarketDomain: "rainbond", AppModelID: srv.Seed().Redis.ID, AppModelVersion: "7.2",
	}, nil); err != nil {
		log.Fatal(err)
	}

	comps, err := client.Apps.OperateAllAndWait(ctx, "o19p6wen", "rainbond", 1, rainbond.ActionDeploy, &rainbond.WaitOptions{
		Interval: 20 * time.Millisecond,
		FailOn:   []rainbond.ComponentStatus{rainbond.ComponentAbnormal, rainbond.ComponentBuildFailure},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range comps {
		fmt.Println(c.ServiceCname, c.Status)
	}
	// Output: redis running
}

// Call an endpoint the SDK has no method for, with the client's token,
// retries and typed errors.
func ExampleClient_Do() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	ctx := context.Background()
	teamID := srv.Seed().TeamA.TenantID

	req, err := client.NewRequest(http.MethodPut, rainbond.JoinPath("teams", teamID), map[string]string{"tenant_alias": "Shop team"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Do(ctx, req, nil); err != nil {
		log.Fatal(err)
	}
	team, _, err := client.Teams.Get(ctx, teamID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(team.TenantAlias)
	// Output: Shop team
}

// Create a team; the console generates its tenant_name.
func ExampleTeamsService_Create() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))

	team, _, err := client.Teams.Create(context.Background(), &rainbond.TeamCreate{TenantName: "Shop", Region: "rainbond"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(team.TenantAlias, len(team.TenantName))
	// Output: Shop 8
}

func ExampleCompareVersions() {
	fmt.Println(rainbond.CompareVersions("6.10", "6.9"), rainbond.CompareVersions("1.2.0-rc.1", "1.2.0"))
	// Output: 1 -1
}

package rainbond_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The examples run against the fake console of package rainbondtest; with a
// real console, pass its address and your token instead.

// Install an app from the app store, then copy two of its components into
// another team's app. This is the README's usage snippet.
func Example() {
	srv := rainbondtest.NewServer() // stands in for your console
	defer srv.Close()
	consoleURL, token, appModelID := srv.URL, srv.Token, srv.Seed().WordPress.ID

	// README: begin
	client, err := rainbond.NewClient(consoleURL, rainbond.WithToken(token))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Install version 6.4 of an app model into app 1 of team o19p6wen.
	installed, _, err := client.Apps.InstallFromMarket(ctx, "o19p6wen", "rainbond", 1, &rainbond.Install{
		MarketURL:       "https://store.goodrain.com",
		MarketDomain:    "rainbond",
		AppModelID:      appModelID,
		AppModelVersion: "6.4",
	}, &rainbond.InstallOptions{Deploy: true})
	if err != nil {
		log.Fatal(err)
	}
	var picks []rainbond.AppCopyModify
	for _, c := range installed.NewComponents() {
		fmt.Println("installed", c.ServiceCname)
		picks = append(picks, rainbond.AppCopyModify{ServiceID: c.ServiceID})
	}

	// Copy them into app 2 of team k2m8x4qa.
	copied, _, err := client.Apps.CopyApp(ctx, "o19p6wen", "rainbond", 1, &rainbond.AppCopyC{
		Services:         picks,
		TargetTeamName:   "k2m8x4qa",
		TargetRegionName: "rainbond",
		TargetAppID:      2,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range copied.Services {
		fmt.Println("copied", c.ServiceCname)
	}
	// README: end

	// Output:
	// installed wordpress
	// installed mysql
	// copied wordpress-copy
	// copied mysql-copy
}

func ExampleNewClient() {
	// Any of "http://host:7070", "http://host:7070/" and
	// "http://host:7070/openapi/v1" names the same console.
	client, err := rainbond.NewClient("http://192.168.2.225:7070/",
		rainbond.WithToken("your-personal-access-token"),
		rainbond.WithUserAgent("my-migrator/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	// Output: http://192.168.2.225:7070/openapi/v1
}

func ExampleAppsService_InstallFromMarket() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		log.Fatal(err)
	}

	res, resp, err := client.Apps.InstallFromMarket(context.Background(), seed.TeamA.TenantName, "rainbond", seed.AppA.ID,
		&rainbond.Install{
			MarketURL:       seed.Store.URL,
			MarketDomain:    seed.Store.Domain,
			MarketAccessKey: rainbond.NewSecret(""), // a public store: sent as null
			AppModelID:      seed.Redis.ID,
			AppModelVersion: "7.2",
		}, nil) // nil options: install without deploying
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("status:", resp.StatusCode)
	for _, c := range res.NewComponents() {
		fmt.Printf("%s %s %dm CPU %dMi\n", c.ServiceCname, c.Image, c.MinCPU, c.MinMemory)
	}
	// Output:
	// status: 200
	// redis goodrain.me/redis:7.2 500m CPU 256Mi
}

func ExampleAppsService_CopyApp() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	installed, _, err := client.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.WordPress.ID, AppModelVersion: "6.4",
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	wordpress := installed.ServiceList[0]

	// Copy one component, building the copy from another image tag.
	version := "6.4-php8.3"
	res, _, err := client.Apps.CopyApp(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.AppCopyC{
		Services: []rainbond.AppCopyModify{{
			ServiceID: wordpress.ServiceID,
			Change:    &rainbond.AppCopyChange{BuildSource: &rainbond.AppCopyBuildSource{Version: &version}},
		}},
		TargetTeamName:   seed.TeamB.TenantName, // the tenant_name, not the display name
		TargetRegionName: "rainbond",
		TargetAppID:      seed.AppB.ID,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range res.Services {
		fmt.Println(c.ServiceCname, c.Image)
	}
	// Output: wordpress-copy goodrain.me/wordpress:6.4-php8.3
}

func ExampleAPIError() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		log.Fatal(err)
	}

	_, _, err = client.Apps.InstallFromMarket(context.Background(), "nosuchteam", "rainbond", 1, &rainbond.Install{
		MarketURL: "https://store.goodrain.com", MarketDomain: "rainbond", AppModelID: "m", AppModelVersion: "1.0",
	}, nil)

	var apiErr *rainbond.APIError
	switch {
	case errors.Is(err, rainbond.ErrNotFound) && errors.As(err, &apiErr):
		fmt.Println("not found:", apiErr.Msg, "/", apiErr.MsgShow)
	case err != nil:
		log.Fatal(err)
	}
	// Output: not found: no found team / 团队不存在
}

func ExampleValidationError() {
	client, err := rainbond.NewClient("http://console.example.com:7070", rainbond.WithToken("0123456789abcdef0123456789abcdef01234567"))
	if err != nil {
		log.Fatal(err)
	}
	// Nothing is sent: the request is checked first, by the console's rules.
	_, _, err = client.Apps.CopyApp(context.Background(), "../admin", "rainbond", 0, &rainbond.AppCopyC{})

	var invalid *rainbond.ValidationError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Printf("%s: %s\n", p.Field, p.Reason)
		}
	}
	// Output:
	// team_id: "../admin": only letters, digits, '_' and '-' can appear in the console's URLs
	// app_id: 0: must be a positive app id
	// services: empty: the console would copy every component of the app; call CopyAllComponents to do that deliberately
	// target_team_name: required
	// target_region_name: required
	// target_app_id: 0: must be a positive app id
}

func ExampleTeamsService_All() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		log.Fatal(err)
	}
	// Pages are fetched as the loop goes; breaking out stops fetching.
	for team, err := range client.Teams.All(context.Background(), &rainbond.ListOptions{PageSize: 50}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(team.TenantName, team.TenantAlias)
	}
	// Output:
	// o19p6wen Team A
	// k2m8x4qa Team B
}

func ExampleAppsService_WaitForComponents() {
	srv := rainbondtest.NewServer(rainbondtest.WithStartupReads(2)) // components start slowly
	defer srv.Close()
	seed := srv.Seed()
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, _, err = client.Apps.InstallFromMarket(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.Install{
		MarketURL: seed.Store.URL, MarketDomain: seed.Store.Domain, AppModelID: seed.Redis.ID, AppModelVersion: "7.2",
	}, &rainbond.InstallOptions{Deploy: true})
	if err != nil {
		log.Fatal(err)
	}

	comps, err := client.Apps.WaitForComponents(ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, &rainbond.WaitOptions{
		FailOn:   []rainbond.ComponentStatus{rainbond.ComponentAbnormal},
		Interval: 10 * time.Millisecond, // the default, 2 s, suits a real console
	})
	if err != nil {
		log.Fatal(err) // a *rainbond.WaitError names the components still pending
	}
	for _, c := range comps {
		fmt.Println(c.ServiceCname, c.Status)
	}
	// Output: redis running
}

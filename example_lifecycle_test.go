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
// and again: the second run sends nothing, and says "unknown" rather than
// "unchanged", since the console records the version installed and not
// upgrades made through the OpenAPI since.
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
	// unknown
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
		fmt.Println("nothing sent:", res.Why)
	default:
		fmt.Printf("upgrade to %s sent (the console records %s)\n", res.To, res.Recorded)
	}
	// Output: upgrade to 6.5 sent (the console records 6.4)
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

// Build a component and follow the build to its end, printing its log.
func ExampleComponentsService_WaitForEvent() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	ctx := context.Background()
	web, _, err := client.Components.CreateFromImage(ctx, "o19p6wen", "rainbond", 1, &rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.27"})
	if err != nil {
		log.Fatal(err)
	}

	build, _, err := client.Components.Build(ctx, "o19p6wen", "rainbond", 1, web.ServiceID, nil)
	if err != nil {
		log.Fatal(err)
	}
	ev, err := client.Components.WaitForEvent(ctx, "o19p6wen", "rainbond", 1, web.ServiceID, build.EventID, &rainbond.EventWaitOptions{
		Interval: 10 * time.Millisecond,
		Logs: func(line rainbond.EventLogLine, err error) {
			if err == nil {
				fmt.Println("|", line.Message)
			}
		},
	})
	if errors.Is(err, rainbond.ErrEventFailed) {
		log.Fatal("the build failed: ", err)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ev.Status)
	// Output:
	// | Start build-service of web
	// | Pulling nginx:1.27
	// | Image nginx:1.27 ready
	// | Build and deploy finished
	// success
}

// Publish a component's port under a domain.
func ExampleGatewayService_CreateHTTPRule() {
	srv := rainbondtest.NewServer()
	defer srv.Close()
	client, _ := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	ctx := context.Background()
	web, _, _ := client.Components.CreateFromImage(ctx, "o19p6wen", "rainbond", 1, &rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.27"})
	if _, _, err := client.Components.AddPort(ctx, "o19p6wen", "rainbond", 1, web.ServiceID, &rainbond.PortCreate{Port: 80, IsInnerService: true}); err != nil {
		log.Fatal(err)
	}

	rule, _, err := client.Gateway.CreateHTTPRule(ctx, "o19p6wen", "rainbond", 1, &rainbond.HTTPRuleCreate{
		ServiceID: web.ServiceID, ContainerPort: 80, DomainName: "shop.example.com",
		OpenPort: true, // open the port to the outside first
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rule.URL())
	// Output: http://shop.example.com/
}

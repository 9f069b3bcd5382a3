// Command build-and-expose is the end of a delivery pipeline: it points a
// component at a new image, builds it, follows the build to its end with
// its log, opens the component's port and publishes it under a domain,
// then prints the URL.
//
// With RAINBOND_URL and RAINBOND_TOKEN set it talks to that console (see
// -help for the flags). Without them it starts the embedded fake console,
// creates an nginx component there to work on, and says so:
//
//	go run ./examples/build-and-expose
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
	team, region      string
	app               int64
	component, image  string
	port              int
	domain            string
	interval, timeout time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "build-and-expose:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	s, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	if s.url == "" || s.token == "" {
		// A build takes 3 s on this fake, its log written as it goes.
		srv := rainbondtest.NewServer(rainbondtest.WithTransitionTime(3 * time.Second))
		defer srv.Close()
		fmt.Fprintf(out, "RAINBOND_URL and RAINBOND_TOKEN are not set: using the embedded fake console at %s.\n\n", srv.URL)
		if s, err = fakeSettings(ctx, s, srv); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := rainbond.NewClient(s.url, rainbond.WithToken(s.token), rainbond.WithUserAgent("rainbond-build-and-expose"))
	if err != nil {
		return err
	}
	return buildAndExpose(ctx, client, s, out)
}

func buildAndExpose(ctx context.Context, client *rainbond.Client, s settings, out io.Writer) error {
	comps := client.Components
	if _, err := comps.ChangeImage(ctx, s.team, s.region, s.app, s.component, s.image); err != nil {
		return fmt.Errorf("change image: %w", err)
	}
	fmt.Fprintf(out, "Image set to %s.\n", s.image)

	build, _, err := comps.Build(ctx, s.team, s.region, s.app, s.component, nil)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	fmt.Fprintf(out, "Build %s started; its log:\n", build.EventID)
	ev, err := comps.WaitForEvent(ctx, s.team, s.region, s.app, s.component, build.EventID, &rainbond.EventWaitOptions{
		Interval: s.interval,
		Logs: func(line rainbond.EventLogLine, err error) {
			if err != nil {
				fmt.Fprintf(out, "  (the log cannot be read: %v)\n", err)
				return
			}
			fmt.Fprintf(out, "  | %s\n", line.Message)
		},
	})
	switch {
	case errors.Is(err, rainbond.ErrEventFailed):
		return fmt.Errorf("the build failed: %w", err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("the build did not end in time: %w", err)
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "Build %s.\n", ev.Status)

	if _, _, err := comps.UpdatePort(ctx, s.team, s.region, s.app, s.component, s.port, &rainbond.PortUpdate{Action: rainbond.PortOnlyOpenOuter}); err != nil {
		return fmt.Errorf("open port %d: %w", s.port, err)
	}
	rule, _, err := client.Gateway.CreateHTTPRule(ctx, s.team, s.region, s.app, &rainbond.HTTPRuleCreate{
		ServiceID: s.component, ContainerPort: s.port, DomainName: s.domain,
	})
	if err != nil {
		return fmt.Errorf("publish %s: %w", s.domain, err)
	}
	fmt.Fprintf(out, "Published: %s\n", rule.URL())
	return nil
}

func parseFlags(args []string, getenv func(string) string) (settings, error) {
	s := settings{url: getenv("RAINBOND_URL"), token: getenv("RAINBOND_TOKEN")}
	fs := flag.NewFlagSet("build-and-expose", flag.ContinueOnError)
	fs.StringVar(&s.team, "team", "", "team: tenant_id or tenant_name")
	fs.StringVar(&s.region, "region", "", "region (cluster) name")
	fs.Int64Var(&s.app, "app", 0, "id of the component's app")
	fs.StringVar(&s.component, "component", "", "the component's service_id or service_alias")
	fs.StringVar(&s.image, "image", "", "the image to build, with its tag (name:tag)")
	fs.IntVar(&s.port, "port", 80, "the component's port to publish")
	fs.StringVar(&s.domain, "domain", "", "the domain to publish it under")
	fs.DurationVar(&s.interval, "interval", 2*time.Second, "first wait between two polls of the build")
	fs.DurationVar(&s.timeout, "timeout", 20*time.Minute, "overall time limit")
	return s, fs.Parse(args)
}

// fakeSettings creates, on the fake console, an nginx component with port
// 80 open inside, and points the example at it.
func fakeSettings(ctx context.Context, s settings, srv *rainbondtest.Server) (settings, error) {
	seed := srv.Seed()
	s.url, s.token = srv.URL, srv.Token
	s.team, s.region, s.app = seed.TeamA.TenantName, seed.Region.RegionName, seed.AppA.ID
	s.image, s.port, s.domain, s.interval = "nginx:1.27", 80, "shop.example.com", 500*time.Millisecond
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		return s, err
	}
	created, _, err := client.Components.CreateFromImage(ctx, s.team, s.region, s.app, &rainbond.ComponentCreate{ServiceCname: "web", Image: "nginx:1.25"})
	if err != nil {
		return s, err
	}
	s.component = created.ServiceID
	_, _, err = client.Components.AddPort(ctx, s.team, s.region, s.app, s.component, &rainbond.PortCreate{Port: 80, IsInnerService: true})
	return s, err
}

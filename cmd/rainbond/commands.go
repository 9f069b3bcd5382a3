package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/rbdkit/rainbond-go"
)

func printUsage(w io.Writer) {
	fmt.Fprint(w, `rainbond drives a Rainbond console's OpenAPI from scripts.

Usage:
  rainbond apps install  install an app from an app store into an app
  rainbond apps copy     copy components of an app into another app
  rainbond version       print the version

Run "rainbond apps install --help" or "rainbond apps copy --help" for flags and examples.

Settings: --url or RAINBOND_URL; --token-file, RAINBOND_TOKEN or RAINBOND_TOKEN_FILE.
Exit codes: 0 success, 2 usage or validation error (nothing sent),
3 the console answered with an error (4xx), 4 server or transport failure.
`)
}

func printAppsUsage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  rainbond apps install [flags]   install an app from an app store into an app
  rainbond apps copy [flags]      copy components of an app into another app
`)
}

func versionCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return usageError(stderr, "version takes no arguments")
	}
	fmt.Fprintf(stdout, "rainbond %s (rainbond-go %s, %s %s/%s)\n", rainbond.Version, rainbond.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// newFlagSet makes a command's flag set with a usage text that shows an
// example first.
func newFlagSet(name, summary, example string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: rainbond %s [flags]\n\n%s\n\nExample:\n%s\n\nFlags:\n", name, summary, example)
		fs.PrintDefaults()
	}
	return fs
}

// appFlags name the app a command works on.
type appFlags struct {
	team, region string
	app          int64
}

func (a *appFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.team, "team", "", "team: its tenant_id or tenant_name (required)")
	fs.StringVar(&a.region, "region", "", "region (cluster) name (required)")
	fs.Int64Var(&a.app, "app", 0, "app id (required)")
}

func installCommand(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	var c common
	var a appFlags
	var in rainbond.Install
	var keyFile string
	var deploy bool
	fs := newFlagSet("apps install", "Installs a version of an app model from an app store into an app. The store's\n"+
		"access key, if it needs one, comes from --market-access-key-file or\nRAINBOND_MARKET_ACCESS_KEY, never from a flag value.",
		`  export RAINBOND_URL=http://192.168.2.225:7070 RAINBOND_TOKEN_FILE=~/.rainbond/token
  rainbond apps install --team o19p6wen --region rainbond --app 12 \
    --market-url https://store.goodrain.com --market-domain rainbond \
    --model-id 3d2c1b0a9f8e7d6c --model-version 1.0 --deploy -o json | jq -r '.service_list[].service_id'`)
	c.register(fs)
	a.register(fs)
	fs.StringVar(&in.MarketURL, "market-url", "", "app store URL (required)")
	fs.StringVar(&in.MarketDomain, "market-domain", "", "app store domain (required)")
	fs.StringVar(&in.MarketType, "market-type", rainbond.DefaultMarketType, "app store type")
	fs.StringVar(&keyFile, "market-access-key-file", "", "file holding the app store's access key (default $RAINBOND_MARKET_ACCESS_KEY)")
	fs.StringVar(&in.AppModelID, "model-id", "", "app model id in the store (required)")
	fs.StringVar(&in.AppModelVersion, "model-version", "", "app model version (required)")
	fs.BoolVar(&deploy, "deploy", false, "build and start the installed components")
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	return finish(install(ctx, &c, &a, &in, keyFile, deploy, getenv, stdout, stderr), stderr)
}

func install(ctx context.Context, c *common, a *appFlags, in *rainbond.Install, keyFile string, deploy bool, getenv env, stdout, stderr io.Writer) error {
	ctx, cancel := c.context(ctx)
	defer cancel()
	var err error
	if keyFile != "" {
		if in.MarketAccessKey, err = readSecretFile(ctx, "--market-access-key-file", keyFile, stderr); err != nil {
			return err
		}
	} else if key, ok := getenv("RAINBOND_MARKET_ACCESS_KEY"); ok {
		in.MarketAccessKey = strings.TrimSpace(key)
	}
	client, err := c.client(ctx, getenv, stdout, stderr)
	if err != nil {
		return err
	}
	res, _, err := client.Apps.InstallFromMarket(ctx, a.team, a.region, a.app, in, &rainbond.InstallOptions{Deploy: deploy})
	if err != nil {
		return err
	}
	created := res.NewComponents()
	done := fmt.Sprintf("installed %s %s into app %d: components %s", in.AppModelID, in.AppModelVersion, res.ID, serviceIDs(created))
	redact := func(s string) string { return client.Redact(s, in.MarketAccessKey) }
	return emit(stdout, redact, done, func(w io.Writer) error {
		if c.output == "json" {
			return printJSON(w, res)
		}
		fmt.Fprintf(w, "Installed %s %s into app %d (team %s, region %s): %d new components\n",
			in.AppModelID, in.AppModelVersion, res.ID, res.TeamID, res.RegionName, len(created))
		return printComponents(w, created)
	})
}

// serviceIDs lists the ids of components, for messages.
func serviceIDs(comps []rainbond.ServiceBaseInfo) string {
	ids := make([]string, len(comps))
	for i, c := range comps {
		ids[i] = c.ServiceID
	}
	return strings.Join(ids, ", ")
}

// services collects repeated --service ID or --service ID=VERSION flags.
type services []rainbond.AppCopyModify

func (s *services) String() string { return "" }

func (s *services) Set(v string) error {
	id, version, hasVersion := strings.Cut(v, "=")
	m := rainbond.AppCopyModify{ServiceID: id}
	if hasVersion {
		m.Change = &rainbond.AppCopyChange{BuildSource: &rainbond.AppCopyBuildSource{Version: &version}}
	}
	*s = append(*s, m)
	return nil
}

func copyCommand(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	var c common
	var a appFlags
	var picks services
	var all bool
	var to rainbond.AppCopyC
	fs := newFlagSet("apps copy", "Copies components of an app into an app of another team, region or the same\n"+
		"team. The copies are created and deployed, named <name>-copy.",
		`  rainbond apps copy --team o19p6wen --region rainbond --app 12 \
    --service 0a1b2c3d4e5f60718293a4b5c6d7e8f9 --service f9e8d7c6b5a4938271605f4e3d2c1b0a=v2.1 \
    --to-team k2m8x4qa --to-region rainbond --to-app 34`)
	c.register(fs)
	a.register(fs)
	fs.Var(&picks, "service", "component id to copy, or ID=VERSION to build the copy from VERSION (repeatable)")
	fs.BoolVar(&all, "all-services", false, "copy every component of the app (instead of --service)")
	fs.StringVar(&to.TargetTeamName, "to-team", "", "tenant_name of the target team (required)")
	fs.StringVar(&to.TargetRegionName, "to-region", "", "target region (required)")
	fs.Int64Var(&to.TargetAppID, "to-app", 0, "id of the target app (required)")
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	to.Services = picks
	return finish(copyApp(ctx, &c, &a, &to, all, getenv, stdout, stderr), stderr)
}

func copyApp(ctx context.Context, c *common, a *appFlags, to *rainbond.AppCopyC, all bool, getenv env, stdout, stderr io.Writer) error {
	if all && len(to.Services) > 0 {
		return usagef("--all-services and --service exclude each other")
	}
	if !all && len(to.Services) == 0 {
		return usagef("name the components to copy with --service, or pass --all-services")
	}
	ctx, cancel := c.context(ctx)
	defer cancel()
	client, err := c.client(ctx, getenv, stdout, stderr)
	if err != nil {
		return err
	}
	copyFn := client.Apps.CopyApp
	if all {
		copyFn = client.Apps.CopyAllComponents
	}
	res, _, err := copyFn(ctx, a.team, a.region, a.app, to)
	if err != nil {
		return err
	}
	done := fmt.Sprintf("copied components into app %d: %s", to.TargetAppID, serviceIDs(res.Services))
	return emit(stdout, func(s string) string { return client.Redact(s) }, done, func(w io.Writer) error {
		if c.output == "json" {
			return printJSON(w, res)
		}
		fmt.Fprintf(w, "Copied %d components into app %d (team %s, region %s); copies are deployed\n",
			len(res.Services), to.TargetAppID, to.TargetTeamName, to.TargetRegionName)
		return printComponents(w, res.Services)
	})
}

func printComponents(w io.Writer, comps []rainbond.ServiceBaseInfo) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE ID\tNAME\tK8S NAME\tIMAGE\tCPU\tMEMORY\tINSTANCES")
	for _, c := range comps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%dm\t%dMi\t%d\n", c.ServiceID, c.ServiceCname, c.K8sComponentName, c.Image, c.MinCPU, c.MinMemory, c.MinNode)
	}
	return tw.Flush()
}

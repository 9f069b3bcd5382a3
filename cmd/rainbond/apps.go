package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go"
)

func appsCommands() []*node {
	return []*node{
		appsList(), appsGet(), appsCreate(), appsEnsure(), appsDelete(), appsComponents(), appsCopyable(),
		appsInstall(), appsCopy(), appsUpgrades(), appsUpgrade(),
		appsOperate(rainbond.ActionDeploy, "Builds and deploys components of an app."),
		appsOperate(rainbond.ActionStart, "Starts components of an app."),
		appsOperate(rainbond.ActionStop, "Stops components of an app."),
		appsWait(),
		appsSmartDeploy(),
		{name: "canary", subs: appsCanaryCommands()},
		appsImport(), appsImportStatus(),
		appsCloseAll(),
		appsDeployModel(), appsPublishModel(), appsCompose(),
		{name: "helm", subs: appsHelmCommands()},
		appsMetrics(),
	}
}

func appsList() *node {
	return &node{name: "list", summary: "Lists the apps of a team in a region.", console: true,
		example: "  rainbond apps list --team o19p6wen --region rainbond --query shop",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			tr.register(fs)
			query := fs.String("query", "", "keep the apps whose name contains this")
			return func(ctx context.Context, _ []string) error {
				apps, _, err := s.client.Apps.List(ctx, tr.team, tr.region, &rainbond.ListAppsOptions{Query: *query})
				if err != nil {
					return err
				}
				return s.print("listed apps", apps, func(w io.Writer) error { return printApps(w, apps) })
			}
		}}
}

func printApps(w io.Writer, apps []rainbond.AppBaseInfo) error {
	rows := make([][]string, len(apps))
	for i, a := range apps {
		rows[i] = []string{fmt.Sprint(a.ID), a.GroupName, a.K8sApp, a.Note}
	}
	return table(w, "ID\tNAME\tK8S NAME\tNOTE", rows)
}

func appsGet() *node {
	return &node{name: "get", summary: "Shows an app: its state and component counts.", console: true,
		example: "  rainbond apps get --team o19p6wen --region rainbond --app 12 -o json | jq -r .status",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			return func(ctx context.Context, _ []string) error {
				app, _, err := s.client.Apps.Get(ctx, a.team, a.region, a.app)
				if err != nil {
					return err
				}
				return s.printf("read app", app, "App %d %s: %s, %d of %d components running\n", app.ID, app.GroupName, app.Status, app.RunningServiceCount, app.ServiceCount)
			}
		})}
}

// appPostFlags are the fields of a new app.
func appPostFlags(fs *flag.FlagSet) *rainbond.AppPostInfo {
	var p rainbond.AppPostInfo
	fs.StringVar(&p.AppName, "name", "", "the app's name (required)")
	fs.StringVar(&p.AppNote, "note", "", "a note on the app")
	fs.StringVar(&p.K8sApp, "k8s-app", "", "the app's name in the cluster (default: chosen by the console)")
	return &p
}

func appsCreate() *node {
	return &node{name: "create", summary: "Creates an app in a team and region.", console: true,
		example: "  rainbond apps create --team o19p6wen --region rainbond --name shop -o json | jq .ID",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			tr.register(fs)
			p := appPostFlags(fs)
			return func(ctx context.Context, _ []string) error {
				app, _, err := s.client.Apps.Create(ctx, tr.team, tr.region, p)
				if err != nil {
					return err
				}
				return s.printf(fmt.Sprintf("created app %d", app.ID), app, "Created app %d %s\n", app.ID, app.GroupName)
			}
		}}
}

func appsEnsure() *node {
	return &node{name: "ensure", summary: "Returns the app of that name, creating it when there is none.", console: true,
		example: "  app=$(rainbond apps ensure --team o19p6wen --region rainbond --name shop -o json | jq .app.ID)",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			tr.register(fs)
			p := appPostFlags(fs)
			return func(ctx context.Context, _ []string) error {
				app, created, err := s.client.Apps.Ensure(ctx, tr.team, tr.region, p)
				if err != nil {
					return err
				}
				result := map[string]any{"app": app, "created": created}
				return s.print(fmt.Sprintf("ensured app %d", app.ID), result, func(w io.Writer) error {
					what := "already there"
					if created {
						what = "created"
					}
					_, err := fmt.Fprintf(w, "App %d %s (%s)\n", app.ID, app.GroupName, what)
					return err
				})
			}
		}}
}

func appsDelete() *node {
	return &node{name: "delete", console: true,
		summary: "Deletes an app and its components, which must be stopped; with --everything, stops\n" +
			"and deletes it with everything in it, whatever its components' states.",
		example: "  rainbond apps delete --team o19p6wen --region rainbond --app 12 --everything",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			force := fs.Bool("force", false, "retry deleting components the cluster failed to delete")
			everything := fs.Bool("everything", false, "stop and delete running components, third-party ones and config groups too")
			return func(ctx context.Context, _ []string) error {
				var err error
				switch {
				case *everything && *force:
					return usagef("--everything and --force exclude each other")
				case *everything:
					_, err = s.client.Apps.DeleteEverything(ctx, a.team, a.region, a.app)
				default:
					_, err = s.client.Apps.Delete(ctx, a.team, a.region, a.app, &rainbond.DeleteAppOptions{Force: *force})
				}
				if err != nil {
					return err
				}
				result := map[string]any{"deleted": a.app}
				return s.printf(fmt.Sprintf("deleted app %d", a.app), result, "Deleted app %d\n", a.app)
			}
		})}
}

func appsComponents() *node {
	return &node{name: "components", summary: "Lists an app's components with their states.", console: true,
		example: "  rainbond apps components --team o19p6wen --region rainbond --app 12 -o json | jq -r '.[] | .service_id + \" \" + .status'",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			return func(ctx context.Context, _ []string) error {
				comps, _, err := s.client.Apps.ListComponents(ctx, a.team, a.region, a.app)
				if err != nil {
					return err
				}
				return s.print("listed components", comps, func(w io.Writer) error { return printStates(w, comps) })
			}
		})}
}

func appsCopyable() *node {
	return &node{name: "copyable", summary: "Lists the components of an app that can be copied.", console: true,
		example: "  rainbond apps copyable --team o19p6wen --region rainbond --app 12",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			return func(ctx context.Context, _ []string) error {
				comps, _, err := s.client.Apps.ListCopyable(ctx, a.team, a.region, a.app)
				if err != nil {
					return err
				}
				return s.print("listed copyable components", comps, func(w io.Writer) error {
					rows := make([][]string, len(comps))
					for i, c := range comps {
						rows[i] = []string{c.ServiceID, c.ServiceCname, c.BuildSource.ServiceSource, c.BuildSource.Version}
					}
					return table(w, "SERVICE ID\tNAME\tSOURCE\tVERSION", rows)
				})
			}
		})}
}

func appsInstall() *node {
	return &node{name: "install", console: true,
		summary: "Installs a version of an app model from an app store into an app. The store's\n" +
			"access key, if it needs one, comes from --market-access-key-file or\nRAINBOND_MARKET_ACCESS_KEY, never from a flag value.\n" +
			"With --ensure, it installs only when the app does not hold the model, upgrades\nan older version, and leaves the version asked for alone.",
		example: `  export RAINBOND_URL=http://192.168.2.225:7070 RAINBOND_TOKEN_FILE=~/.rainbond/token
  rainbond apps install --team o19p6wen --region rainbond --app 12 \
    --market-url https://store.goodrain.com --market-domain rainbond \
    --model-id 3d2c1b0a9f8e7d6c --model-version 1.0 --deploy -o json | jq -r '.service_list[].service_id'`,
		setup: func(fs *flag.FlagSet, s *session) action {
			var a appFlags
			var in rainbond.Install
			a.register(fs)
			fs.StringVar(&in.MarketURL, "market-url", "", "app store URL (required)")
			fs.StringVar(&in.MarketDomain, "market-domain", "", "app store domain (required)")
			fs.StringVar(&in.MarketType, "market-type", rainbond.DefaultMarketType, "app store type")
			keyFile := fs.String("market-access-key-file", "", "file holding the app store's access key (default $RAINBOND_MARKET_ACCESS_KEY)")
			fs.StringVar(&in.AppModelID, "model-id", "", "app model id in the store (required)")
			fs.StringVar(&in.AppModelVersion, "model-version", "", "app model version (required)")
			deploy := fs.Bool("deploy", false, "build and start the installed components")
			ensure := fs.Bool("ensure", false, "install only if the app does not hold the model at this version (upgrade an older one)")
			return func(ctx context.Context, _ []string) error {
				var err error
				if in.MarketAccessKey, err = s.secretFrom(ctx, "--market-access-key-file", *keyFile, "RAINBOND_MARKET_ACCESS_KEY"); err != nil {
					return err
				}
				if *ensure {
					return ensureInstalled(ctx, s, &a, &in, *deploy)
				}
				res, _, err := s.client.Apps.InstallFromMarket(ctx, a.team, a.region, a.app, &in, &rainbond.InstallOptions{Deploy: *deploy})
				if err != nil {
					return err
				}
				created := res.NewComponents()
				done := fmt.Sprintf("installed %s %s into app %d: components %s", in.AppModelID, in.AppModelVersion, res.ID, serviceIDs(created))
				return s.print(done, res, func(w io.Writer) error {
					fmt.Fprintf(w, "Installed %s %s into app %d (team %s, region %s): %d new components\n",
						in.AppModelID, in.AppModelVersion, res.ID, a.team, a.region, len(created))
					return printComponents(w, created)
				})
			}
		}}
}

func ensureInstalled(ctx context.Context, s *session, a *appFlags, in *rainbond.Install, deploy bool) error {
	res, err := s.client.Apps.EnsureInstalled(ctx, a.team, a.region, a.app, in, &rainbond.InstallOptions{Deploy: deploy})
	if err != nil {
		return err
	}
	done := fmt.Sprintf("%s %s %s in app %d", res.Outcome, in.AppModelID, in.AppModelVersion, a.app)
	result := map[string]any{"outcome": res.Outcome, "recorded_version": res.RecordedVersion, "installed": res.Installed, "models": res.Models}
	return s.printf(done, result, "App model %s at %s in app %d: %s\n", in.AppModelID, in.AppModelVersion, a.app, ensuredSummary(res))
}

// ensuredSummary says what EnsureInstalled did without claiming what the
// console cannot show: it records the version installed (or upgraded in
// its UI), not upgrades made through the OpenAPI.
func ensuredSummary(res *rainbond.InstallEnsured) string {
	switch res.Outcome {
	case rainbond.OutcomeUpgraded:
		return "upgrade sent (the console records " + res.RecordedVersion + ", the version installed; it does not record upgrades made through the OpenAPI)"
	case rainbond.OutcomeUnknown:
		return "nothing sent: the console records this version, as installed; an upgrade made through the OpenAPI since would not show, so what runs is unknown"
	}
	return string(res.Outcome)
}

// copyPicks collects --components: NAME or NAME=VERSION, comma-separated
// or repeated.
type copyPicks []rainbond.AppCopyModify

func (p *copyPicks) String() string { return "" }

func (p *copyPicks) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		name, version, hasVersion := strings.Cut(part, "=")
		if name == "" || (hasVersion && version == "") {
			return fmt.Errorf("%q: want NAME or NAME=VERSION", part)
		}
		m := rainbond.AppCopyModify{ServiceID: name}
		if hasVersion {
			m.Change = &rainbond.AppCopyChange{BuildSource: &rainbond.AppCopyBuildSource{Version: &version}}
		}
		*p = append(*p, m)
	}
	return nil
}

func appsCopy() *node {
	return &node{name: "copy", console: true,
		summary: "Copies components of an app into an app of another team, region or the same\n" +
			"team. The copies are created and deployed, named <name>-copy.",
		example: `  rainbond apps copy --team o19p6wen --region rainbond --app 12 \
    --components web,api=v2.1 \
    --to-team k2m8x4qa --to-region rainbond --to-app 34`,
		setup: func(fs *flag.FlagSet, s *session) action {
			var a appFlags
			var picks copyPicks
			var to rainbond.AppCopyC
			var all bool
			a.register(fs)
			fs.Var(&picks, "components", "components to copy (names, k8s names or ids), comma-separated or repeated; NAME=VERSION builds the copy from VERSION")
			fs.Var(&picks, "service", hiddenFlag+"the old name of --components")
			fs.BoolVar(&all, "all", false, "copy every component of the app (instead of --components)")
			fs.BoolVar(&all, "all-services", false, hiddenFlag+"the old name of --all")
			fs.StringVar(&to.TargetTeamName, "to-team", "", "tenant_name of the target team (required)")
			fs.StringVar(&to.TargetRegionName, "to-region", "", "target region (required)")
			fs.Int64Var(&to.TargetAppID, "to-app", 0, "id of the target app (required)")
			return func(ctx context.Context, _ []string) error {
				to.Services = picks
				if all && len(picks) > 0 {
					return usagef("--all and --components exclude each other")
				}
				if !all && len(picks) == 0 {
					return usagef("name the components to copy with --components, or pass --all")
				}
				names := make([]string, len(to.Services))
				for i, m := range to.Services {
					names[i] = m.ServiceID
				}
				ids, err := s.componentIDs(ctx, &a, names)
				if err != nil {
					return err
				}
				for i := range to.Services {
					to.Services[i].ServiceID = ids[i]
				}
				copyFn := s.client.Apps.CopyApp
				if all {
					copyFn = s.client.Apps.CopyAllComponents
				}
				res, _, err := copyFn(ctx, a.team, a.region, a.app, &to)
				if err != nil {
					return err
				}
				done := fmt.Sprintf("copied components into app %d: %s", to.TargetAppID, serviceIDs(res.Services))
				return s.print(done, res, func(w io.Writer) error {
					fmt.Fprintf(w, "Copied %d components of app %d (team %s, region %s) into app %d (team %s, region %s); copies are deployed\n",
						len(res.Services), a.app, a.team, a.region, to.TargetAppID, to.TargetTeamName, to.TargetRegionName)
					return printComponents(w, res.Services)
				})
			}
		}}
}

func appsUpgrades() *node {
	return &node{name: "upgrades", summary: "Lists the app models installed in an app, with the versions offered, newest first.", console: true,
		example: "  rainbond apps upgrades --team o19p6wen --region rainbond --app 12 -o json | jq -r '.[0].upgrade_versions[0]'",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			return func(ctx context.Context, _ []string) error {
				models, _, err := s.client.Apps.ListUpgrades(ctx, a.team, a.region, a.app)
				if err != nil {
					return err
				}
				return s.print("listed upgrades", models, func(w io.Writer) error { return printUpgrades(w, models) })
			}
		})}
}

func printUpgrades(w io.Writer, models []rainbond.AppUpgradeInfo) error {
	rows := make([][]string, len(models))
	for i, m := range models {
		rows[i] = []string{m.AppModelID, m.AppModelName, m.CurrentVersion, strings.Join(m.UpgradeVersions, ","), m.MarketName}
	}
	return table(w, "MODEL ID\tNAME\tINSTALLED\tOFFERED\tMARKET", rows)
}

// waitFlags are the flags of a command that can wait for components.
type waitFlags struct {
	wait     bool
	interval time.Duration
	failOn   list
}

// register registers --wait and how to wait.
func (wf *waitFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&wf.wait, "wait", false, "wait until the components run (or are closed, after stop); bounded by --timeout")
	wf.registerPolls(fs, ", with --wait")
}

// registerPolls registers how to wait (with says when it applies), for a
// command that may wait, or one that always does.
func (wf *waitFlags) registerPolls(fs *flag.FlagSet, with string) {
	fs.DurationVar(&wf.interval, "interval", 2*time.Second, "first wait between two polls"+with)
	fs.Var(&wf.failOn, "fail-on", "states that end the wait as a failure, e.g. abnormal,build_failure"+with+" (default abnormal)")
}

// options turns the flags into the SDK's, each poll's states reported to
// t.
func (wf *waitFlags) options(t *tracker, until rainbond.ComponentStatus, ids []string) *rainbond.WaitOptions {
	o := &rainbond.WaitOptions{Until: until, ServiceIDs: ids, Interval: wf.interval, MaxInterval: max(15*time.Second, wf.interval)}
	o.FailOn = []rainbond.ComponentStatus{rainbond.ComponentAbnormal}
	if len(wf.failOn) > 0 {
		o.FailOn = nil
		for _, st := range wf.failOn {
			o.FailOn = append(o.FailOn, rainbond.ComponentStatus(st))
		}
	}
	o.OnPoll = t.components
	return o
}

// How long the commands that wait wait, unless --timeout says otherwise.
const (
	operateWait = 10 * time.Minute // deploy, start, stop --wait; apps wait
	upgradeWait = 15 * time.Minute // upgrade --wait: builds every component anew
	buildWait   = 30 * time.Minute // build --wait, logs --follow: a build from source
	importWait  = 30 * time.Minute // import: uploads and unpacks packages
	canaryWait  = time.Hour        // canary start --schedule: every step settles
	watchWait   = 10 * time.Minute // events --watch
)

func appsUpgrade() *node {
	return &node{name: "upgrade", console: true, wait: waitsWith("wait", upgradeWait),
		summary: "Upgrades an app model of an app to the newest version its store offers, or to\n--to VERSION; with --wait, waits for the app's components to run.",
		example: "  rainbond apps upgrade --team o19p6wen --region rainbond --app 12 --model 3d2c1b0a9f8e7d6c --to latest --wait",
		setup: func(fs *flag.FlagSet, s *session) action {
			var a appFlags
			var wf waitFlags
			a.register(fs)
			wf.register(fs)
			model := fs.String("model", "", "the app model's id (required)")
			to := fs.String("to", "latest", "the version to upgrade to, or latest")
			return func(ctx context.Context, _ []string) error {
				var result *rainbond.UpgradeResult
				var err error
				if *to == "latest" {
					result, _, err = s.client.Apps.UpgradeToLatest(ctx, a.team, a.region, a.app, *model)
				} else {
					result, _, err = s.client.Apps.UpgradeModelTo(ctx, a.team, a.region, a.app, *model, *to)
				}
				if err != nil {
					return err
				}
				out := map[string]any{"app_model_id": result.AppModelID, "recorded": result.Recorded, "to": result.To, "why": result.Why, "models": result.Models}
				if wf.wait && result.To != "" {
					t := s.wait(fmt.Sprintf("the components of app %d to run %s %s", a.app, result.AppModelID, result.To))
					comps, err := s.client.Apps.WaitForComponents(ctx, a.team, a.region, a.app, wf.options(t, rainbond.ComponentRunning, nil))
					if err := t.result(ctx, err); err != nil {
						return err
					}
					out["components"] = comps
				}
				return s.print(fmt.Sprintf("sent the upgrade of %s to %s", result.AppModelID, result.To), out, func(w io.Writer) error {
					if result.To == "" {
						_, err := fmt.Fprintf(w, "Nothing sent for %s: %s\n", result.AppModelID, result.Why)
						return err
					}
					_, err := fmt.Fprintf(w, "Upgrade of %s to %s sent (the console records %s, the version installed; it does not record upgrades made through the OpenAPI)\n",
						result.AppModelID, result.To, result.Recorded)
					return err
				})
			}
		}}
}

func appsOperate(op0 rainbond.AppAction, summary string) *node {
	name := string(op0)
	return &node{name: name, summary: summary + " Name them with --components, or pass --all.", console: true,
		wait:    waitsWith("wait", operateWait),
		example: fmt.Sprintf("  rainbond apps %s --team o19p6wen --region rainbond --app 12 --all --wait --timeout 20m", name),
		setup: func(fs *flag.FlagSet, s *session) action {
			var a appFlags
			var wf waitFlags
			var ids list
			a.register(fs)
			wf.register(fs)
			fs.Var(&ids, "components", "components (names, k8s names or ids), comma-separated or repeated")
			all := fs.Bool("all", false, "every component of the app (instead of --components)")
			return func(ctx context.Context, _ []string) error {
				if *all == (len(ids) > 0) {
					return usagef("name the components with --components, or pass --all (not both)")
				}
				ids, err := s.componentIDs(ctx, &a, ids)
				if err != nil {
					return err
				}
				op := &rainbond.AppOperation{Action: op0, ServiceIDs: ids}
				if !wf.wait {
					if *all {
						_, err = s.client.Apps.OperateAll(ctx, a.team, a.region, a.app, op0)
					} else {
						_, err = s.client.Apps.Operate(ctx, a.team, a.region, a.app, op)
					}
					if err != nil {
						return err
					}
					result := map[string]any{"action": op0, "app": a.app, "components": []string(ids)}
					return s.printf(fmt.Sprintf("%s sent to app %d", name, a.app), result, "Sent %s to app %d\n", name, a.app)
				}
				until := rainbond.ComponentRunning
				if op0 == rainbond.ActionStop {
					until = rainbond.ComponentClosed
				}
				t := s.wait(fmt.Sprintf("the components of app %d to be %s after %s", a.app, until, name))
				wait := wf.options(t, until, nil)
				var comps []rainbond.ServiceBaseInfo
				if *all {
					comps, err = s.client.Apps.OperateAllAndWait(ctx, a.team, a.region, a.app, op0, wait)
				} else {
					comps, err = s.client.Apps.OperateAndWait(ctx, a.team, a.region, a.app, op, wait)
				}
				if err := t.result(ctx, err); err != nil {
					return err
				}
				return s.print(fmt.Sprintf("%s done in app %d", name, a.app), comps, func(w io.Writer) error { return printStates(w, comps) })
			}
		}}
}

func appsWait() *node {
	return &node{name: "wait", summary: "Waits until the components of an app reach a state (running by default).", console: true,
		wait:    &waitSpec{timeout: operateWait},
		example: "  rainbond apps wait --team o19p6wen --region rainbond --app 12 --state running --fail-on abnormal --timeout 5m",
		setup: func(fs *flag.FlagSet, s *session) action {
			var a appFlags
			var wf waitFlags
			var ids list
			a.register(fs)
			wf.registerPolls(fs, "")
			fs.Var(&ids, "components", "wait for these components only, by name or id (default: all at the first poll)")
			state := fs.String("state", "running", "the state to wait for: running, closed, undeploy...")
			return func(ctx context.Context, _ []string) error {
				ids, err := s.componentIDs(ctx, &a, ids)
				if err != nil {
					return err
				}
				t := s.wait(fmt.Sprintf("the components of app %d to be %s", a.app, *state))
				comps, err := s.client.Apps.WaitForComponents(ctx, a.team, a.region, a.app, wf.options(t, rainbond.ComponentStatus(*state), ids))
				if err := t.result(ctx, err); err != nil {
					return err
				}
				return s.print(fmt.Sprintf("components of app %d are %s", a.app, *state), comps, func(w io.Writer) error { return printStates(w, comps) })
			}
		}}
}

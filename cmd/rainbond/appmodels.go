package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/rbdkit/rainbond-go"
)

// App models beyond the stores: the local library's (deploy, publish),
// docker-compose files, Helm charts, imports, and the metrics of an app.

func appsDeployModel() *node {
	return &node{name: "deploy-model", console: true,
		summary: "Installs a version of a model of the enterprise's local library into an app, or with\n" +
			"--upgrade upgrades the app's install of it (consoles since v6.0.0 fail the upgrade:\n" +
			"use apps upgrade). The install goes on in the cluster: apps wait follows it.",
		example: "  rainbond apps deploy-model --team o19p6wen --region rainbond --app 12 --model 3d2c1b0a9f8e7d6c --version 1.0\n" +
			"  rainbond apps wait --team o19p6wen --region rainbond --app 12",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			var in rainbond.ModelDeploy
			fs.StringVar(&in.ModelID, "model", "", "the local library's model id (required)")
			fs.StringVar(&in.Version, "version", "", "the model's version (required)")
			fs.BoolVar(&in.Upgrade, "upgrade", false, "upgrade the app's install of the model instead of installing it")
			return func(ctx context.Context, _ []string) error {
				in.AppID = a.app
				if _, err := s.client.Apps.DeployModel(ctx, a.team, a.region, &in); err != nil {
					return err
				}
				what := "install"
				if in.Upgrade {
					what = "upgrade"
				}
				result := map[string]any{"app": a.app, "model": in.ModelID, "version": in.Version, "action": what}
				return s.printf(fmt.Sprintf("sent the %s of %s %s into app %d", what, in.ModelID, in.Version, a.app), result, "Sent the %s of %s %s into app %d; the cluster goes on with it (apps wait follows it)\n", what, in.ModelID, in.Version, a.app)
			}
		})}
}

func appsPublishModel() *node {
	return &node{name: "publish-model", console: true,
		summary: "Publishes a version of an app model into the enterprise's local library, from a\n" +
			"template: --template FILE holds the JSON array of component templates (Rainbond's\n" +
			"app template v2, as an exported model's \"apps\"; - reads stdin). The model is\n" +
			"created with its first version; publishing a version again replaces it. Deploy it\n" +
			"with apps deploy-model or apps smart-deploy.",
		example: "  jq .apps exported-shop.json > shop-components.json\n" +
			"  rainbond apps publish-model --name shop --version 1.1 --template shop-components.json -o json | jq -r .model_id",
		setup: func(fs *flag.FlagSet, s *session) action {
			var in rainbond.ModelPublish
			fs.StringVar(&in.Name, "name", "", "the model's name, from which its id comes (required)")
			fs.StringVar(&in.Version, "version", "", "the version to create or replace (required)")
			template := fs.String("template", "", "file holding the JSON array of component templates, - for stdin (required)")
			fs.StringVar(&in.VersionInfo, "info", "", "a description of the version")
			fs.StringVar(&in.Arch, "arch", "", "the CPU architecture (default amd64)")
			return func(ctx context.Context, _ []string) error {
				b, err := s.readInput(ctx, "template", *template, maxInputFile, false)
				if err != nil {
					return err
				}
				in.Components = b
				published, _, err := s.client.Apps.PublishModel(ctx, &in)
				if err != nil {
					return err
				}
				what := "replaced"
				if published.Created {
					what = "created"
				}
				result := map[string]any{"model_id": published.ModelID, "name": in.Name, "version": in.Version, "created": published.Created}
				return s.printf(fmt.Sprintf("published %s %s as model %s", in.Name, in.Version, published.ModelID), result, "Published %s %s as model %s (version %s)\n", in.Name, in.Version, published.ModelID, what)
			}
		}}
}

func appsCompose() *node {
	return &node{name: "compose", console: true,
		summary: "Creates an app from a docker-compose file and deploys its services. A private\n" +
			"registry's password comes from --password-file or RAINBOND_REGISTRY_PASSWORD (with\n" +
			"--username). Consoles since v6.6.0 create the app empty (their compose check always\n" +
			"fails): that is exit 3, with the app's id.",
		example: "  rainbond apps compose --team o19p6wen --region rainbond --name shop --file docker-compose.yml -o json | jq .ID",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			var in rainbond.ComposeDeploy
			tr.register(fs)
			fs.StringVar(&in.AppName, "name", "", "the new app's name (required)")
			file := fs.String("file", "", "the docker-compose file, - for stdin (required)")
			fs.StringVar(&in.Note, "note", "", "a note on the app")
			fs.StringVar(&in.K8sApp, "k8s-app", "", "the app's name in the cluster (default: chosen by the console)")
			fs.StringVar(&in.UserName, "username", "", "the registry's user name")
			pwFile := fs.String("password-file", "", "file holding the registry's password, with --username (default $RAINBOND_REGISTRY_PASSWORD)")
			return func(ctx context.Context, _ []string) error {
				b, err := s.readInput(ctx, "file", *file, maxInputFile, false)
				if err != nil {
					return err
				}
				in.YAML = string(b)
				if in.Password, err = s.registryPassword(ctx, *pwFile, in.UserName); err != nil {
					return err
				}
				app, _, err := s.client.Apps.DeployCompose(ctx, tr.team, tr.region, &in)
				if err != nil {
					return err
				}
				comps, _, err := s.client.Apps.ListComponents(ctx, tr.team, tr.region, app.ID)
				if err != nil {
					fmt.Fprintf(s.stderr, "rainbond: created app %d, but listing its components failed: %s\n", app.ID, s.redact(err.Error()))
				}
				result := map[string]any{"app": app, "components": comps}
				return s.print(fmt.Sprintf("created app %d from %s", app.ID, *file), result, func(w io.Writer) error {
					fmt.Fprintf(w, "Created app %d %s from %s: %d components, deploying\n", app.ID, app.GroupName, *file, len(comps))
					return printStates(w, comps)
				})
			}
		}}
}

func appsHelmCommands() []*node {
	return []*node{appsHelmCheck(), appsHelmDeploy()}
}

func appsHelmCheck() *node {
	return &node{name: "check", console: true,
		summary: "Renders a chart of one of the console's Helm repositories and says whether it can\n" +
			"be adopted; prints the rendered manifest, or why not (then exit 3).",
		example: "  rainbond apps helm check --team o19p6wen --region rainbond --repo bitnami --chart redis --version 17.3.7 > redis.yaml",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			tr.register(fs)
			repo := fs.String("repo", "", "the console's Helm repository (required)")
			chart := fs.String("chart", "", "the chart's name (required)")
			version := fs.String("version", "", "the chart's version (required)")
			app := fs.Int64("app", 1, "an app id for the route (the console does not use it)")
			return func(ctx context.Context, _ []string) error {
				check, _, err := s.client.Apps.CheckHelmChart(ctx, tr.team, tr.region, *app, *repo, *chart, *version)
				if err != nil {
					return err
				}
				what := fmt.Sprintf("chart %s %s of repository %s", *chart, *version, *repo)
				result := map[string]any{"repo": *repo, "chart": *chart, "version": *version, "adoptable": check.Adoptable, "yaml": check.YAML}
				if err := s.print("checked "+what, result, func(w io.Writer) error {
					_, err := fmt.Fprint(w, strings.TrimSuffix(check.YAML, "\n")+"\n")
					return err
				}); err != nil {
					return err
				}
				if !check.Adoptable {
					return &codedError{exitConsole, fmt.Errorf("%s cannot be adopted: %s", what, oneLine(check.YAML, 300))}
				}
				return nil
			}
		}}
}

// chartNameVersion splits a chart package's file name, NAME-VERSION.tgz,
// at the first '-' before a digit (or v and a digit).
func chartNameVersion(file string) (name, version string, ok bool) {
	base, found := strings.CutSuffix(filepath.Base(file), ".tgz")
	if !found {
		return "", "", false
	}
	for i := 1; i < len(base)-1; i++ {
		rest := strings.TrimPrefix(base[i+1:], "v")
		if base[i] == '-' && rest != "" && unicode.IsDigit(rune(rest[0])) {
			return base[:i], base[i+1:], true
		}
	}
	return "", "", false
}

func appsHelmDeploy() *node {
	return &node{name: "deploy", console: true,
		summary: "Installs a Helm chart package into an app: uploads --chart to a new import, has\n" +
			"the console convert it into a model of the local library, and installs that (or\n" +
			"with --upgrade upgrades the app's install of it; consoles since v6.0.0 fail the\n" +
			"upgrade). The chart's name and version come from its file name, NAME-VERSION.tgz,\n" +
			"unless --name and --version give them. The chart is opened before anything is\n" +
			"sent; the upload is bounded by --timeout (1m by default: raise it for a large chart\n" +
			"or a slow link). The console hands out the token user's unfinished import, if there\n" +
			"is one, rather than a new one: another job importing with the same token shares it.\n" +
			"When the upload or the conversion fails, the import is abandoned.",
		example: "  rainbond apps helm deploy --team o19p6wen --region rainbond --app 12 --chart redis-17.3.7.tgz",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			var in rainbond.HelmChartDeploy
			chart := fs.String("chart", "", "the chart package, a .tgz file (required)")
			fs.StringVar(&in.Name, "name", "", "the chart's name (default: from the file name)")
			fs.StringVar(&in.Version, "version", "", "the chart's version (default: from the file name)")
			fs.BoolVar(&in.Upgrade, "upgrade", false, "upgrade the app's install of the chart instead of installing it")
			return func(ctx context.Context, _ []string) error {
				if *chart == "" {
					return usagef("--chart is required")
				}
				if in.Name == "" || in.Version == "" {
					name, version, ok := chartNameVersion(*chart)
					if !ok {
						return usagef("--chart %s: not named NAME-VERSION.tgz; pass --name and --version", *chart)
					}
					in.Name, in.Version = cmp.Or(in.Name, name), cmp.Or(in.Version, version)
				}
				in.AppID = a.app
				uploads, err := openPackages(ctx, "--chart", []string{*chart}, func(string) string { return in.Name + "-" + in.Version + ".tgz" })
				if err != nil {
					return err
				}
				defer closeAll(uploads)
				record, err := s.intoImport(ctx, nil, a.team, a.region, uploads, func(eventID string) error {
					_, err := s.client.Apps.DeployHelmChart(ctx, a.team, a.region, eventID, &in)
					return err
				})
				if err != nil {
					return err
				}
				what := "installed"
				if in.Upgrade {
					what = "upgraded"
				}
				result := map[string]any{"app": a.app, "chart": in.Name, "version": in.Version, "event_id": record.EventID, "action": what}
				return s.printf(fmt.Sprintf("%s chart %s %s in app %d", what, in.Name, in.Version, a.app), result, "Chart %s %s %s in app %d (import %s); the cluster goes on with it (apps wait follows it)\n", in.Name, in.Version, what, a.app, record.EventID)
			}
		})}
}

func appsImportStatus() *node {
	return &node{name: "import-status", console: true,
		summary: "Shows where an import stands (apps import --no-wait prints its event id), the\n" +
			"packages uploaded to it, and the models it imported (in the first answer that sees\n" +
			"it succeed only: the console answers none afterwards).",
		example: "  rainbond apps import-status --team o19p6wen --region rainbond --event 5f4e3d2c1b0a -o json | jq -r .status",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			tr.register(fs)
			event := fs.String("event", "", "the import's event id (required)")
			return func(ctx context.Context, _ []string) error {
				state, _, err := s.client.Apps.ImportStatus(ctx, tr.team, tr.region, *event)
				if err != nil {
					return err
				}
				packages, _, err := s.client.Apps.ListPackages(ctx, tr.team, tr.region, *event)
				if err != nil {
					return err
				}
				models := state.Models
				if models == nil {
					models = []rainbond.ImportedModel{}
				}
				result := map[string]any{"event_id": *event, "status": state.Record.Status, "record": state.Record, "packages": packages, "models": models}
				return s.print("read import "+*event, result, func(w io.Writer) error {
					fmt.Fprintf(w, "Import %s: %s\n", *event, state.Record.Status)
					for _, p := range packages {
						fmt.Fprintln(w, "Package:", p)
					}
					if len(models) == 0 {
						return nil
					}
					return printImported(w, models)
				})
			}
		}}
}

func appsMetrics() *node {
	return &node{name: "metrics", console: true,
		summary: "Shows the current metrics of an app's components that have the performance-analysis\n" +
			"plugin: response time (ms), requests, clients. Others are left out.",
		example: "  rainbond apps metrics --team o19p6wen --region rainbond --app 12 -o json | jq '.[].metrics.request_time'",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			outer := fs.Bool("outer", false, "only the components with a port open to the outside")
			return func(ctx context.Context, _ []string) error {
				metrics, _, err := s.client.Apps.AppMetrics(ctx, a.team, a.region, a.app, *outer)
				if err != nil {
					return err
				}
				return s.print(fmt.Sprintf("read the metrics of app %d", a.app), metrics, func(w io.Writer) error {
					var rows [][]string
					for _, m := range metrics {
						items := make([]string, 0, len(m.Metrics))
						for item := range m.Metrics {
							items = append(items, string(item))
						}
						slices.Sort(items)
						for _, item := range items {
							for _, sample := range m.Metrics[rainbond.AppMonitorItem(item)] {
								rows = append(rows, []string{m.ServiceID, m.ServiceCname, item, strconv.FormatFloat(sample.Value, 'g', -1, 64)})
							}
						}
					}
					if len(rows) == 0 {
						_, err := fmt.Fprintf(w, "No component of app %d reports metrics (they need the performance-analysis plugin, and to run)\n", a.app)
						return err
					}
					return table(w, "SERVICE ID\tNAME\tMETRIC\tVALUE", rows)
				})
			}
		})}
}

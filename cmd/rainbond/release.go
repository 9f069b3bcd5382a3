package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// Release commands: smart deploy, canaries, package import, closing a
// team's components, storage and external components.

func appsSmartDeploy() *node {
	return &node{name: "smart-deploy", console: true,
		summary: "Deploys the newest version of an app model into the app of that name in one call:\n" +
			"creates the app when the team has none, installs the model when the app does not\n" +
			"hold it, skips when the console records the newest version. Prints the action.\n" +
			"When the app holds an older version, the console cannot upgrade it (its smart\n" +
			"deploy's upgrade fails on every release, with a 500): that is exit 3, as the\n" +
			"console's refusals are, and not worth retrying; use apps upgrade.",
		example: "  rainbond apps smart-deploy --team o19p6wen --region rainbond --name shop --template 3d2c1b0a9f8e7d6c -o json | jq -r .action",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			var in rainbond.SmartDeploy
			tr.register(fs)
			fs.StringVar(&in.AppName, "name", "", "the app's name (required)")
			fs.StringVar(&in.TemplateID, "template", "", "the app model's id (required)")
			fs.StringVar(&in.MarketName, "market", "", "the store the model comes from (default: the local library)")
			fs.BoolVar(&in.NoDeploy, "no-deploy", false, "install without building and starting")
			return func(ctx context.Context, _ []string) error {
				res, _, err := s.client.Apps.SmartDeploy(ctx, tr.team, tr.region, &in)
				if err != nil {
					return err
				}
				return s.print(fmt.Sprintf("smart deploy of %s: %s", in.TemplateID, res.Action), res, func(w io.Writer) error {
					_, err := fmt.Fprintln(w, smartSummary(res, in.AppName))
					return err
				})
			}
		}}
}

// smartSummary says what a smart deploy did.
func smartSummary(res *rainbond.SmartDeployResult, app string) string {
	switch res.Action {
	case rainbond.SmartInstalled:
		return fmt.Sprintf("Installed %s %s into app %d %s", res.TemplateID, res.TemplateVersion, res.AppID, res.AppName)
	case rainbond.SmartUpgraded:
		return fmt.Sprintf("Upgraded %s in app %s from %s to %s", res.TemplateID, app, res.CurrentVersion, res.TemplateVersion)
	case rainbond.SmartSkipped:
		return fmt.Sprintf("Nothing sent: the console records %s %s in app %s, the newest version (it does not record upgrades made through the OpenAPI)",
			res.TemplateID, res.CurrentVersion, app)
	}
	return fmt.Sprintf("Smart deploy of %s: %s", res.TemplateID, res.Action)
}

func appsCanaryCommands() []*node {
	return []*node{canaryStart(), canaryRatio(), canaryRollback(), canaryList()}
}

// canaryFlags name the canary of a template in an app.
type canaryFlags struct {
	appFlags
	template string
}

func (c *canaryFlags) register(fs *flag.FlagSet) {
	c.appFlags.register(fs)
	fs.StringVar(&c.template, "template", "", "the app model released as a canary (required)")
}

// ratios collects --schedule: percentages, comma-separated.
type ratios []int

func (r *ratios) String() string { return fmt.Sprint([]int(*r)) }

func (r *ratios) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return fmt.Errorf("%q: want percentages, e.g. 10,50,100", v)
		}
		*r = append(*r, n)
	}
	return nil
}

func canaryStart() *node {
	return &node{name: "start", console: true,
		wait: &waitSpec{timeout: canaryWait, when: "with --schedule", waits: func(fs *flag.FlagSet) bool {
			return fs.Lookup("schedule").Value.String() != "[]"
		}},
		summary: "Starts a canary: installs the newest version of an app model beside the app's\n" +
			"components and sends --ratio percent of a route's traffic to it. With --schedule,\n" +
			"walks the ratios in order, runs --gate-cmd after each step (exit 0: healthy), and\n" +
			"rolls back when the gate fails (exit 6). A step of 100 promotes the new version.",
		example: `  rainbond apps canary start --team o19p6wen --region rainbond --app 12 --template 3d2c1b0a9f8e7d6c \
    --domain shop.example.com --component web --schedule 10,50,100 --settle 1m \
    --gate-cmd 'curl -fsS https://shop.example.com/healthz' --timeout 2h`,
		setup: func(fs *flag.FlagSet, s *session) action {
			var c canaryFlags
			var in rainbond.CanaryStart
			var schedule ratios
			c.register(fs)
			fs.StringVar(&in.RouteName, "route", "", "the gateway route's name, as the console names it (or --domain and --component)")
			domain := fs.String("domain", "", "the HTTP rule's domain, to name the route with --component")
			path := fs.String("path", "/", "the HTTP rule's path, with --domain")
			component := fs.String("component", "", "the component the rule serves (name or id), with --domain")
			fs.IntVar(&in.Ratio, "ratio", -1, "percent of the traffic for the new version (or --schedule)")
			fs.Var(&schedule, "schedule", "ratios to walk, e.g. 10,50,100, with --gate-cmd between steps")
			gateCmd := fs.String("gate-cmd", "", "shell command run after each step (RAINBOND_CANARY_RATIO set); non-zero exit rolls back")
			settle := fs.Duration("settle", 0, "wait after each step before the gate runs (up to 1h)")
			fs.StringVar(&in.MarketName, "market", "", "the store the model comes from (default: the local library)")
			fs.BoolVar(&in.FromStore, "from-store", false, "install from the store --market")
			return func(ctx context.Context, _ []string) error {
				in.TemplateID = c.template
				if err := canaryRoute(ctx, s, &c.appFlags, &in, *domain, *path, *component); err != nil {
					return err
				}
				if len(schedule) == 0 {
					if *gateCmd != "" || *settle != 0 {
						return usagef("--gate-cmd and --settle go with --schedule")
					}
					return startOnce(ctx, s, &c, &in)
				}
				if in.Ratio >= 0 {
					return usagef("--ratio and --schedule exclude each other: the schedule's first ratio starts the canary")
				}
				in.Ratio = schedule[0]
				steps := make([]string, len(schedule))
				for i, r := range schedule {
					steps[i] = strconv.Itoa(r) + "%"
				}
				t := s.wait(fmt.Sprintf("the canary of %s to walk %s", c.template, strings.Join(steps, ", ")))
				start := fmt.Sprintf("starting at %d%%", schedule[0])
				if *settle > 0 {
					start += ", then settling for " + fmtDuration(*settle)
				}
				t.set(start)
				plan := &rainbond.CanaryPlan{Start: in, Schedule: schedule[1:], Settle: *settle, Gate: s.shellGate(t, *gateCmd, c.app, *settle, schedule)}
				canary, err := s.client.Apps.RunCanary(ctx, c.team, c.region, c.app, plan)
				if err := canaryResult(ctx, t, err); err != nil {
					return err
				}
				return printCanary(s, "ran the canary of "+c.template, canary)
			}
		}}
}

// canaryRoute fills in.RouteName from --domain, --path and --component
// when --route was not given.
func canaryRoute(ctx context.Context, s *session, a *appFlags, in *rainbond.CanaryStart, domain, path, component string) error {
	switch {
	case in.RouteName != "" && (domain != "" || component != ""):
		return usagef("--route excludes --domain and --component")
	case in.RouteName != "":
		return nil
	case domain == "" || component == "":
		return usagef("name the route with --route, or with --domain and --component")
	case s.dryRun:
		in.RouteName = rainbond.CanaryRouteName(a.app, domain, path, component)
		fmt.Fprintf(s.stderr, "rainbond: dry run: the route is named with %q as given; a real run uses the component's service_alias\n", component)
		return nil
	}
	comp, err := s.client.Apps.FindComponent(ctx, a.team, a.region, a.app, component)
	if err != nil {
		return err
	}
	in.RouteName, err = s.client.Apps.CanaryRoute(ctx, a.app, domain, path, comp.ServiceAlias)
	return err
}

func startOnce(ctx context.Context, s *session, c *canaryFlags, in *rainbond.CanaryStart) error {
	if in.Ratio < 0 {
		return usagef("pass --ratio or --schedule")
	}
	canary, _, err := s.client.Apps.StartCanary(ctx, c.team, c.region, c.app, in)
	if err != nil {
		return err
	}
	return printCanary(s, "started the canary of "+c.template, canary)
}

// shellGate runs cmd with sh after each canary step: exit 0 lets the
// canary go on. Its output goes to stderr, secrets redacted. Each step is
// reported to t. No cmd: no gate, but the steps are reported still. The
// shell gets the command's environment without its secrets (the token,
// passwords, keys: a user's command has no use for them), and runs in a
// process group of its own, killed whole when --timeout runs out.
func (s *session) shellGate(t *tracker, cmd string, app int64, settle time.Duration, schedule []int) func(ctx context.Context, ratio int) error {
	// next reports the step after ratio, once ratio's gate passed.
	next := func(ratio int, passed string) {
		state := fmt.Sprintf("at %d%%%s", ratio, passed)
		if i := slices.Index(schedule, ratio); i >= 0 && i+1 < len(schedule) {
			state += fmt.Sprintf("; moving to %d%%", schedule[i+1])
			if settle > 0 {
				state += ", then settling for " + fmtDuration(settle)
			}
		}
		t.set(state)
	}
	if cmd == "" {
		return func(_ context.Context, ratio int) error { next(ratio, ""); return nil }
	}
	return func(ctx context.Context, ratio int) error {
		t.set(fmt.Sprintf("at %d%%: running the gate", ratio))
		sh := exec.CommandContext(ctx, "sh", "-c", cmd)
		sh.Env = append(withoutSecrets(os.Environ()), "RAINBOND_CANARY_RATIO="+strconv.Itoa(ratio), "RAINBOND_APP="+strconv.FormatInt(app, 10))
		var out bytes.Buffer
		sh.Stdout, sh.Stderr = &out, &out
		err := runGate(sh)
		if out.Len() > 0 {
			io.WriteString(s.stderr, s.redact(out.String()))
		}
		if ctx.Err() != nil {
			return fmt.Errorf("gate at %d%%: %w", ratio, ctx.Err())
		}
		if err != nil {
			return fmt.Errorf("gate at %d%%: %w", ratio, err)
		}
		next(ratio, ": the gate passed")
		return nil
	}
}

// gateWaitDelay is how long a gate's output is waited for once its
// shell is gone (it exited, or --timeout killed it): a process the gate
// left behind may hold the output open.
const gateWaitDelay = 5 * time.Second

// runGate runs a gate's shell in a process group of its own: when ctx
// ends, the whole group is killed, not only the shell, so that no child
// it started outlives --timeout; once the shell exited, what it left
// behind is killed too.
func runGate(sh *exec.Cmd) error {
	sh.WaitDelay = gateWaitDelay
	ownGroup(sh)
	err := sh.Run()
	if sh.Process != nil {
		killGroup(sh.Process.Pid)
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		return nil // the shell exited 0; a process it left behind held its output
	}
	return err
}

// withoutSecrets is environ without the variables that hold secrets, or
// name the token's file.
func withoutSecrets(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(secretVariables, name) && name != "RAINBOND_TOKEN_FILE" {
			out = append(out, kv)
		}
	}
	return out
}

// canaryResult ends the canary's wait: a run whose time ran out says
// where it stopped and whether it was rolled back.
func canaryResult(ctx context.Context, t *tracker, err error) error {
	var run *rainbond.CanaryRunError
	if errors.As(err, &run) && errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		t.end()
		state := fmt.Sprintf("the canary stopped at step %d%%", run.Step)
		switch {
		case run.RolledBack:
			state += "; rolled back: all traffic is on the original version"
		case run.Ratio < 0:
			state += "; it never started"
		default:
			state += fmt.Sprintf("; NOT rolled back: %d%% of the traffic still goes to the new version", run.Ratio)
		}
		return t.timedOut(state, false, err)
	}
	return t.result(ctx, err)
}

func printCanary(s *session, done string, c *rainbond.Canary) error {
	return s.print(done, c, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Canary on %s: %d%% to %s (%s), %d%% to %s (%s)\n", c.RouteName,
			c.NewWeight, c.NewServiceName, c.NewServiceID, c.OriginalWeight, c.OriginalServiceName, c.OriginalServiceID)
		return err
	})
}

func canaryRatio() *node {
	return &node{name: "ratio", console: true,
		summary: "Moves a canary to --ratio percent of its route's traffic; 100 promotes it (the\noriginal components are deleted).",
		example: "  rainbond apps canary ratio --team o19p6wen --region rainbond --app 12 --template 3d2c1b0a9f8e7d6c --ratio 50",
		setup: func(fs *flag.FlagSet, s *session) action {
			var c canaryFlags
			c.register(fs)
			ratio := fs.Int("ratio", -1, "percent of the traffic for the new version, 0 to 100 (required)")
			return func(ctx context.Context, _ []string) error {
				canary, _, err := s.client.Apps.SetCanaryRatio(ctx, c.team, c.region, c.app, c.template, *ratio)
				if err != nil {
					return err
				}
				return printCanary(s, fmt.Sprintf("set the canary of %s to %d%%", c.template, *ratio), canary)
			}
		}}
}

func canaryRollback() *node {
	return &node{name: "rollback", console: true,
		summary: "Rolls a canary back: all traffic to the original components, the new version's deleted.",
		example: "  rainbond apps canary rollback --team o19p6wen --region rainbond --app 12 --template 3d2c1b0a9f8e7d6c",
		setup: func(fs *flag.FlagSet, s *session) action {
			var c canaryFlags
			c.register(fs)
			return func(ctx context.Context, _ []string) error {
				rb, _, err := s.client.Apps.RollbackCanary(ctx, c.team, c.region, c.app, c.template)
				if err != nil {
					return err
				}
				return s.print("rolled back the canary of "+c.template, rb, func(w io.Writer) error {
					_, err := fmt.Fprintf(w, "Rolled back %s: all traffic on %s goes to the original components; %d new components deleted\n",
						c.template, rb.RouteName, rb.DeletedComponents)
					return err
				})
			}
		}}
}

func canaryList() *node {
	return &node{name: "list", console: true,
		summary: "Lists the console's canaries (every team's), newest change first; --team and\n--app keep those of a team (its tenant_id) or an app.",
		example: "  rainbond apps canary list --status active -o json | jq -r '.[].domain_name'",
		setup: func(fs *flag.FlagSet, s *session) action {
			status := fs.String("status", "", "active, completed or cancelled (default: all)")
			team := fs.String("team", "", "keep the canaries of this team (tenant_id)")
			app := fs.Int64("app", 0, "keep the canaries of this app")
			return func(ctx context.Context, _ []string) error {
				all, _, err := s.client.Apps.ListCanaries(ctx, rainbond.CanaryStatus(*status))
				if err != nil {
					return err
				}
				kept := make([]rainbond.CanaryRecord, 0, len(all))
				for _, c := range all {
					if (*team == "" || c.TeamID == *team) && (*app == 0 || c.AppID == *app) {
						kept = append(kept, c)
					}
				}
				return s.print("listed canaries", kept, func(w io.Writer) error {
					rows := make([][]string, len(kept))
					for i, c := range kept {
						rows[i] = []string{strconv.FormatInt(c.AppID, 10), c.AppName, c.TemplateName, c.TemplateVersion, c.RouteName, strconv.Itoa(c.Ratio) + "%", string(c.Status)}
					}
					return table(w, "APP\tAPP NAME\tTEMPLATE\tVERSION\tROUTE\tRATIO\tSTATUS", rows)
				})
			}
		}}
}

func appsImport() *node {
	return &node{name: "import", console: true,
		wait: &waitSpec{timeout: importWait}, // --no-wait too: the uploads take their time
		summary: "Imports app packages (exported app models) into the enterprise's local library:\n" +
			"uploads each --file, starts the import and waits for it; the uploads and the wait\n" +
			"are bounded by --timeout (--no-wait too). Every file is opened before anything is\n" +
			"sent. The console hands out the token user's unfinished import, if there is one,\n" +
			"rather than a new one: another job importing with the same token shares it. When\n" +
			"an upload fails, or the console refuses to import the packages, the import is\n" +
			"abandoned (another job's uploads to it with it).",
		example: "  rainbond apps import --team o19p6wen --region rainbond --file shop-1.0.tar --timeout 1h -o json | jq -r '.models[].group_key'",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			var files list
			tr.register(fs)
			fs.Var(&files, "file", "a package to import (repeatable)")
			noWait := fs.Bool("no-wait", false, "start the import and return its event id")
			interval := fs.Duration("interval", 2*time.Second, "first wait between two polls")
			return func(ctx context.Context, _ []string) error {
				if len(files) == 0 {
					return usagef("name the packages with --file")
				}
				uploads, err := openPackages(ctx, "--file", files, filepath.Base)
				if err != nil {
					return err
				}
				defer closeAll(uploads)
				t := s.wait(fmt.Sprintf("the import of %d packages", len(files)))
				names := make([]string, len(uploads))
				for i, u := range uploads {
					names[i] = u.name
				}
				record, err := s.intoImport(ctx, t, tr.team, tr.region, uploads, func(eventID string) error {
					_, err := s.client.Apps.ImportPackages(ctx, tr.team, tr.region, eventID, names)
					return err
				})
				if err != nil {
					return t.result(ctx, err)
				}
				status, models := rainbond.ImportImporting, []rainbond.ImportedModel(nil)
				result := map[string]any{"event_id": record.EventID, "status": status}
				if *noWait {
					t.end()
				} else {
					t.set(fmt.Sprintf("importing (import %s)", record.EventID))
					state, err := s.client.Apps.WaitForImport(ctx, tr.team, tr.region, record.EventID, *interval)
					if err := t.result(ctx, err); err != nil {
						return err
					}
					status, models = state.Record.Status, state.Models
					if models == nil {
						models = []rainbond.ImportedModel{}
					}
					result = map[string]any{"event_id": record.EventID, "status": status, "models": models}
				}
				return s.print("imported "+record.EventID, result, func(w io.Writer) error {
					_, err := fmt.Fprintf(w, "Import %s: %s\n", record.EventID, status)
					if models != nil && err == nil {
						err = printImported(w, models)
					}
					return err
				})
			}
		}}
}

// upload is a package to upload to an import: the file, and the name the
// import keeps.
type upload struct {
	name string
	file *os.File
}

// openPackages opens every package before anything is sent, within ctx:
// a missing file, a directory, or a file larger than the SDK uploads is
// refused (exit 2) before an import is started. name is the name each
// file is uploaded under.
func openPackages(ctx context.Context, source string, paths []string, name func(path string) string) ([]upload, error) {
	uploads := make([]upload, 0, len(paths))
	for _, path := range paths {
		f, err := within(ctx, source, path, func() (*os.File, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, usagef("%s: %v", source, err)
			}
			info, err := f.Stat()
			switch {
			case err != nil:
				err = usagef("%s: %v", source, err)
			case info.IsDir():
				err = usagef("%s: %s is a directory", source, path)
			case info.Mode().IsRegular() && info.Size() > rainbond.MaxPackageSize:
				err = usagef("%s %s: larger than %s, the most an upload sends", source, path, sizeText(rainbond.MaxPackageSize))
			}
			if err != nil {
				f.Close()
				return nil, err
			}
			return f, nil
		})
		if err != nil {
			closeAll(uploads)
			return nil, err
		}
		uploads = append(uploads, upload{name: name(path), file: f})
	}
	return uploads, nil
}

func closeAll(uploads []upload) {
	for _, u := range uploads {
		u.file.Close()
	}
}

// intoImport starts an import (the console hands out the token user's
// unfinished import if there is one: another job may share it), uploads
// each package to it, each reported to t (nil: none), then calls then
// with its event id. When an upload or then fails, the import is
// abandoned.
func (s *session) intoImport(ctx context.Context, t *tracker, team, region string, uploads []upload, then func(eventID string) error) (*rainbond.ImportRecord, error) {
	record, _, err := s.client.Apps.StartImport(ctx, team, region)
	if err != nil {
		return nil, err
	}
	if record.EventID == "" {
		return nil, errors.New("the console has no usable region to import into")
	}
	for _, u := range uploads {
		if t != nil {
			t.set("uploading " + u.file.Name())
		}
		if _, err = s.client.Apps.UploadPackage(ctx, record, u.name, u.file); err != nil {
			break
		}
	}
	if err == nil {
		err = then(record.EventID)
	}
	if err != nil {
		if _, abandonErr := s.client.Apps.AbandonImport(context.WithoutCancel(ctx), team, region, record.EventID); abandonErr != nil {
			return nil, fmt.Errorf("%w (abandoning import %s failed too: %v)", err, record.EventID, abandonErr)
		}
		return nil, fmt.Errorf("%w (import %s abandoned)", err, record.EventID)
	}
	return record, nil
}

// printImported lists the models an import brought.
func printImported(w io.Writer, models []rainbond.ImportedModel) error {
	rows := make([][]string, len(models))
	for i, m := range models {
		rows[i] = []string{m.GroupKey, m.GroupName, m.GroupVersion}
	}
	return table(w, "MODEL ID\tNAME\tVERSION", rows)
}

func appsCloseAll() *node {
	return &node{name: "close-all", console: true,
		summary: "Stops every component of a team in a region, in every app (or the --components\n" +
			"named by service_id). It returns once the cluster has the work.",
		example: "  rainbond apps close-all --team o19p6wen --region rainbond",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			var ids list
			tr.register(fs)
			fs.Var(&ids, "components", "only these components, by service_id (they may be in any app)")
			return func(ctx context.Context, _ []string) error {
				if _, err := s.client.Apps.CloseAll(ctx, tr.team, tr.region, ids); err != nil {
					return err
				}
				result := map[string]any{"team": tr.team, "region": tr.region, "components": []string(ids)}
				return s.print("sent close to team "+tr.team, result, func(w io.Writer) error {
					what := "every component"
					if len(ids) > 0 {
						what = fmt.Sprintf("%d components", len(ids))
					}
					_, err := fmt.Fprintf(w, "Sent close to %s of team %s in %s\n", what, tr.team, tr.region)
					return err
				})
			}
		}}
}

// octal reads a file mode such as 0644 or 644.
type octal struct{ mode *int }

func (o octal) String() string {
	if o.mode == nil || *o.mode < 0 {
		return ""
	}
	return fmt.Sprintf("%#o", *o.mode)
}

func (o octal) Set(v string) error {
	n, err := strconv.ParseUint(strings.TrimPrefix(v, "0o"), 8, 16)
	if err != nil {
		return fmt.Errorf("%q: want an octal mode such as 0644", v)
	}
	m := int(n)
	*o.mode = m
	return nil
}

func componentsVolumes() []*node {
	return []*node{componentNode("add", "Adds a volume to a component; it is mounted at the component's next start.",
		"  rainbond components volumes add "+exampleComponent+" --name data --path /var/lib/shop --capacity 10",
		func(fs *flag.FlagSet, s *session, c *componentFlags) action {
			var vol rainbond.VolumeCreate
			mode := -1
			fs.StringVar(&vol.Name, "name", "", "the volume's name (required)")
			fs.StringVar(&vol.Path, "path", "", "where it is mounted, an absolute path (required)")
			fs.IntVar(&vol.Capacity, "capacity", 0, "its size in GiB (0: no limit)")
			fs.Func("type", "local-path (default), config-file, memoryfs, local, share-file or a storage class the cluster offers",
				func(v string) error { vol.Type = rainbond.VolumeType(v); return nil })
			contentFile := fs.String("content-file", "", "file whose content the volume holds, with --type config-file")
			fs.StringVar(&vol.AccessMode, "access-mode", "", "RWO, RWX or ROX (default: chosen by the console)")
			fs.Var(octal{&mode}, "mode", "file mode of a config file, e.g. 0644")
			return func(ctx context.Context, _ []string) error {
				if *contentFile != "" {
					content, err := s.readInput(ctx, "content-file", *contentFile, maxInputFile, false)
					if err != nil {
						return err
					}
					vol.FileContent = string(content)
				}
				if mode >= 0 {
					vol.Mode = &mode
				}
				v, _, err := s.client.Components.AddVolume(ctx, c.team, c.region, c.app, c.component, &vol)
				if err != nil {
					return err
				}
				return s.print("added volume "+v.Name, v, func(w io.Writer) error {
					return table(w, "NAME\tPATH\tTYPE\tCAPACITY\tACCESS", [][]string{{v.Name, v.Path, string(v.Type), strconv.Itoa(v.Capacity), v.AccessMode}})
				})
			}
		})}
}

func componentsCreateExternal() *node {
	return &node{name: "create-external", console: true,
		summary: "Adds to an app a component that stands for a service outside the cluster, at\n" +
			"--endpoint addresses (ip:port or one domain:port), or with --api, reported later.",
		example: "  rainbond components create-external --team o19p6wen --region rainbond --app 12 --name billing-db --endpoint 10.0.3.7:5432",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			var in rainbond.ExternalComponentCreate
			var endpoints list
			fs.StringVar(&in.Name, "name", "", "the component's name (required)")
			fs.Var(&endpoints, "endpoint", "an address, ip:port or domain:port (repeatable, comma-separated)")
			api := fs.Bool("api", false, "the addresses are reported later through the console's API (its key is printed)")
			return func(ctx context.Context, _ []string) error {
				in.Endpoints = endpoints
				if *api {
					in.Type = rainbond.EndpointsAPI
				}
				comp, _, err := s.client.Apps.CreateExternalComponent(ctx, a.team, a.region, a.app, &in)
				if err != nil {
					return err
				}
				if *api {
					// The key is printed on purpose: it is what the caller asked for.
					return printExternalKey(s, comp)
				}
				return s.print("created external component "+comp.ServiceID, comp, func(w io.Writer) error {
					return printComponents(w, []rainbond.ServiceBaseInfo{comp.ServiceBaseInfo})
				})
			}
		})}
}

// printExternalKey prints an API-fed external component with its key,
// which is the one secret a command prints: the caller asked for it, and
// cannot get it again.
func printExternalKey(s *session, comp *rainbond.ExternalComponent) error {
	result := map[string]any{"component": comp.ServiceBaseInfo, "url": comp.URL, "api_service_key": comp.APIServiceKey.Value()}
	return emit(s.stdout, s.redact, "created external component "+comp.ServiceID, func(w io.Writer) error {
		if s.output == "json" {
			return printJSON(w, result)
		}
		_, err := fmt.Fprintf(w, "Created %s (%s); report its addresses to %s with key %s\n", comp.ServiceCname, comp.ServiceID, comp.URL, comp.APIServiceKey.Value())
		return err
	})
}

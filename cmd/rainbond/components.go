package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// componentFlags name the component a command works on.
type componentFlags struct {
	appFlags
	component string
	// given is --component as given, to name it in messages once
	// component holds the service_id.
	given string
}

func (c *componentFlags) register(fs *flag.FlagSet) { c.registerWhen(fs, "required") }

// registerWhen registers the flags, need saying when they are needed:
// "required", or "with --follow".
func (c *componentFlags) registerWhen(fs *flag.FlagSet, need string) {
	c.appFlags.registerWhen(fs, need)
	fs.StringVar(&c.component, "component", "", "the component: its name as the console shows it, its k8s name, service_alias or service_id ("+need+")")
}

// resolve turns --component into the component's service_id.
func (c *componentFlags) resolve(ctx context.Context, s *session) error {
	c.given = c.component
	id, err := s.componentID(ctx, &c.appFlags, c.component)
	c.component = id
	return err
}

// componentID finds the service_id of the component of the app that name
// names (display name, k8s name, alias or id). A dry run sends nothing, so
// it uses name as given, and says so.
func (s *session) componentID(ctx context.Context, a *appFlags, name string) (string, error) {
	if name == "" {
		return "", usagef("--component is required")
	}
	if s.dryRun {
		fmt.Fprintf(s.stderr, "rainbond: dry run: component %q is used as given; a real run looks it up in the app first\n", name)
		return name, nil
	}
	comp, err := s.client.Apps.FindComponent(ctx, a.team, a.region, a.app, name)
	if err != nil {
		return "", err
	}
	return comp.ServiceID, nil
}

// componentIDs resolves several names, as componentID does, listing the
// app's components once.
func (s *session) componentIDs(ctx context.Context, a *appFlags, names []string) ([]string, error) {
	if len(names) == 0 {
		return []string{}, nil
	}
	if s.dryRun {
		for _, name := range names {
			fmt.Fprintf(s.stderr, "rainbond: dry run: component %q is used as given; a real run looks it up in the app first\n", name)
		}
		return names, nil
	}
	comps, err := s.client.Apps.FindComponents(ctx, a.team, a.region, a.app, names)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(comps))
	for i, c := range comps {
		ids[i] = c.ServiceID
	}
	return ids, nil
}

// componentNode is a command on one component: its flags are registered
// before the command's own, and run gets them, with --component resolved
// to the component's service_id.
func componentNode(name, summary, example string, setup func(fs *flag.FlagSet, s *session, c *componentFlags) action) *node {
	return &node{name: name, summary: summary, example: example, console: true,
		setup: func(fs *flag.FlagSet, s *session) action {
			var c componentFlags
			c.register(fs)
			act := setup(fs, s, &c)
			return func(ctx context.Context, args []string) error {
				if err := c.resolve(ctx, s); err != nil {
					return err
				}
				return act(ctx, args)
			}
		}}
}

const exampleComponent = "--team o19p6wen --region rainbond --app 12 --component web"

func componentsCommands() []*node {
	return []*node{
		componentNode("get", "Shows a component: its state, image, resources and access URLs.",
			"  rainbond components get "+exampleComponent+" -o json | jq -r .status",
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				return func(ctx context.Context, _ []string) error {
					comp, _, err := s.client.Components.Get(ctx, c.team, c.region, c.app, c.component)
					if err != nil {
						return err
					}
					return s.print("read component", comp, func(w io.Writer) error {
						if err := printStates(w, []rainbond.ServiceBaseInfo{*comp}); err != nil {
							return err
						}
						for _, u := range comp.AccessInfos {
							fmt.Fprintln(w, "URL:", u)
						}
						return nil
					})
				}
			}),
		componentNode("delete", "Deletes a component for good; --force deletes it even when the console refuses.",
			"  rainbond components delete "+exampleComponent+" --force",
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				force := fs.Bool("force", false, "delete even a running component, or one others depend on")
				return func(ctx context.Context, _ []string) error {
					if _, err := s.client.Components.Delete(ctx, c.team, c.region, c.app, c.component, &rainbond.DeleteComponentOptions{Force: *force}); err != nil {
						return err
					}
					return s.printf("deleted component "+c.component, map[string]any{"deleted": c.component}, "Deleted component %s\n", c.component)
				}
			}),
		componentsBuild(),
		componentNode("set-image", "Sets the image of a component built from an image (name:tag); build it to run it.",
			"  rainbond components set-image "+exampleComponent+" --image registry.example.com/shop/web:1.4.2",
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				image := fs.String("image", "", "the image, with an explicit tag (required)")
				return func(ctx context.Context, _ []string) error {
					if _, err := s.client.Components.ChangeImage(ctx, c.team, c.region, c.app, c.component, *image); err != nil {
						return err
					}
					return s.printf("set image "+*image, map[string]any{"component": c.component, "image": *image}, "Image of %s set to %s\n", c.component, *image)
				}
			}),
		{name: "env", subs: []*node{componentsEnvList(), componentsEnvSet()}},
		{name: "ports", subs: componentsPorts()},
		componentsScale(),
		{name: "volumes", subs: componentsVolumes()},
		componentsCreate(),
		componentsCreateExternal(),
		componentsEvents(),
		componentsLogs(),
	}
}

func componentsBuild() *node {
	n := componentNode("build", "Builds a component and deploys the build; with --wait follows the build to its\n"+
		"end, and with --logs streams its log on stderr. A new source's password comes\n"+
		"from --password-file or RAINBOND_BUILD_PASSWORD, never from a flag value.",
		"  rainbond components build "+exampleComponent+" --wait --logs --timeout 45m",
		func(fs *flag.FlagSet, s *session, c *componentFlags) action {
			var o rainbond.BuildOptions
			fs.StringVar(&o.RepoURL, "repo-url", "", "a new source: repository, or image (a URL with a password in it is refused: --password-file)")
			fs.StringVar(&o.Branch, "branch", "", "the branch or tag to build, with --repo-url")
			fs.StringVar(&o.Username, "username", "", "the source's user name, with --repo-url")
			passwordFile := fs.String("password-file", "", "file holding the source's password (default $RAINBOND_BUILD_PASSWORD)")
			fs.BoolVar(&o.ClearCredentials, "clear-credentials", false, "send --repo-url without credentials, clearing the stored ones")
			wait := fs.Bool("wait", false, "wait for the build to end; bounded by --timeout")
			logs := fs.Bool("logs", false, "with --wait, stream the build's log on stderr")
			interval := fs.Duration("interval", 2*time.Second, "first wait between two polls, with --wait")
			return func(ctx context.Context, _ []string) error {
				if err := s.buildPassword(ctx, *passwordFile, &o); err != nil {
					return err
				}
				if *logs && !*wait {
					return usagef("--logs goes with --wait")
				}
				ev, _, err := s.client.Components.Build(ctx, c.team, c.region, c.app, c.component, &o)
				if err != nil {
					return err
				}
				if !*wait {
					return s.printf("started build "+ev.EventID, ev, "Build %s started\n", ev.EventID)
				}
				opts := &rainbond.EventWaitOptions{Interval: *interval, Secrets: []rainbond.Secret{o.Password}}
				if *logs {
					opts.Logs = func(line rainbond.EventLogLine, err error) {
						if err != nil {
							fmt.Fprintf(s.stderr, "rainbond: the build's log cannot be read: %s\n", s.redact(err.Error()))
							return
						}
						fmt.Fprintln(s.stderr, s.redact(line.Message))
					}
				}
				t := s.wait(fmt.Sprintf("build %s of component %s", ev.EventID, c.given))
				opts.OnPoll = t.event
				done, err := s.client.Components.WaitForEvent(ctx, c.team, c.region, c.app, c.component, ev.EventID, opts)
				if err := t.result(ctx, err); err != nil {
					return err
				}
				t.say("build %s: %s", done.EventID, done.Status)
				return s.printf("built "+ev.EventID, done, "Build %s: %s\n", done.EventID, done.Status)
			}
		})
	n.wait = waitsWith("wait", buildWait)
	return n
}

// buildPassword reads the source's password from its file, or, for a new
// source, the environment, and marks it as a secret of the call. A
// password in --repo-url is refused: it would be a flag value.
func (s *session) buildPassword(ctx context.Context, file string, o *rainbond.BuildOptions) error {
	if u, err := url.Parse(o.RepoURL); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			return usagef("--repo-url carries a password, which would land in shell history and ps: pass the URL without it, and --username with --password-file or RAINBOND_BUILD_PASSWORD")
		}
	}
	variable := ""
	if o.RepoURL != "" {
		variable = "RAINBOND_BUILD_PASSWORD" // without a new source, a password in the environment is for another call
	}
	var err error
	o.Password, err = s.secretFrom(ctx, "--password-file", file, variable)
	return err
}

func printEnvs(w io.Writer, envs []rainbond.EnvVar) error {
	rows := make([][]string, len(envs))
	for i, e := range envs {
		rows[i] = []string{e.Name, e.Value, string(e.Scope), e.Note}
	}
	return table(w, "NAME\tVALUE\tSCOPE\tNOTE", rows)
}

func componentsEnvList() *node {
	return componentNode("list", "Lists a component's environment variables, every scope.",
		"  rainbond components env list "+exampleComponent+" -o json | jq -r '.[] | .name + \"=\" + .value'",
		func(fs *flag.FlagSet, s *session, c *componentFlags) action {
			return func(ctx context.Context, _ []string) error {
				envs, _, err := s.client.Components.ListEnvs(ctx, c.team, c.region, c.app, c.component)
				if err != nil {
					return err
				}
				return s.print("listed variables", envs, func(w io.Writer) error { return printEnvs(w, envs) })
			}
		})
}

func componentsEnvSet() *node {
	n := componentNode("set", "Creates or updates environment variables of a component, by name. They come\n"+
		"from NAME=VALUE arguments, lines of --from-file (NAME=VALUE; - for stdin) or\n"+
		"--from-env variables.\n"+
		"Values given on the command line land in shell history and ps: pass secrets with\n"+
		"--from-file or --from-env, whose values the command never prints (they show as\n"+
		"[REDACTED]). The console's OpenAPI cannot delete a variable.",
		"  rainbond components env set "+exampleComponent+" MODE=production LOG_LEVEL=info\n"+
			"  vault kv get -field=env shop/web | rainbond components env set "+exampleComponent+" --from-file -\n"+
			"  DB_PASSWORD=... rainbond components env set "+exampleComponent+" --from-env DB_PASSWORD",
		func(fs *flag.FlagSet, s *session, c *componentFlags) action {
			note := fs.String("note", "", "a note on the variables")
			fromFile := fs.String("from-file", "", "file of NAME=VALUE lines (# comments and blank lines skipped), - for stdin")
			var fromEnv list
			fs.Var(&fromEnv, "from-env", "set NAME to the value of this command's environment variable NAME, or NAME=VARIABLE to that of VARIABLE (repeatable)")
			return func(ctx context.Context, args []string) error {
				envs, hidden, err := s.envValues(ctx, args, *fromFile, fromEnv)
				if err != nil {
					return err
				}
				for i := range envs {
					envs[i].Note = *note
				}
				all, _, err := s.client.Components.UpdateEnvs(ctx, c.team, c.region, c.app, c.component, envs)
				if err != nil {
					return err
				}
				for i := range all {
					if hidden[all[i].Name] {
						all[i].Value = "[REDACTED]" // short values too, which redaction leaves alone
					}
				}
				return s.print(fmt.Sprintf("set %d variables", len(envs)), all, func(w io.Writer) error { return printEnvs(w, all) })
			}
		})
	n.args, n.minArgs, n.maxArgs = "[NAME=VALUE...]", 0, -1
	return n
}

// maxEnvFile bounds what --from-file reads.
const maxEnvFile = 1 << 20

// minRedacted is the shortest value read from a file or the environment
// that is redacted from everything the command prints: a shorter one
// ("1", "true") is no secret, and redacting it would garble the output.
const minRedacted = 6

// envValues are the variables to set: the arguments, then --from-file's
// lines, then --from-env's. The values of the last two are secrets of the
// command from then on; hidden names their variables.
func (s *session) envValues(ctx context.Context, args []string, fromFile string, fromEnv []string) (envs []rainbond.EnvVar, hidden map[string]bool, err error) {
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if !ok || name == "" {
			return nil, nil, usagef("%q: want NAME=VALUE", arg)
		}
		envs = append(envs, rainbond.EnvVar{Name: name, Value: value})
	}
	var secret []rainbond.EnvVar
	if fromFile != "" {
		b, err := s.readInput(ctx, "from-file", fromFile, maxEnvFile, true)
		if err != nil {
			return nil, nil, err
		}
		lines, err := parseEnvLines(string(b))
		if err != nil {
			return nil, nil, usagef("--from-file %s: %v", fromFile, err)
		}
		secret = append(secret, lines...)
	}
	for _, spec := range fromEnv {
		name, variable, ok := strings.Cut(spec, "=")
		if !ok {
			variable = name
		}
		if name == "" || variable == "" {
			return nil, nil, usagef("--from-env %q: want NAME or NAME=VARIABLE", spec)
		}
		value, set := s.getenv(variable)
		if !set {
			return nil, nil, usagef("--from-env %s: the variable %s is not set", spec, variable)
		}
		secret = append(secret, rainbond.EnvVar{Name: name, Value: value})
	}
	hidden = map[string]bool{}
	s.hiddenEnvs = hidden // a dry run's body hides them too
	for _, e := range secret {
		hidden[e.Name] = true
		if len(e.Value) >= minRedacted {
			s.secrets = append(s.secrets, e.Value)
		}
	}
	envs = append(envs, secret...)
	if len(envs) == 0 {
		return nil, nil, usagef("name the variables: NAME=VALUE arguments, --from-file or --from-env")
	}
	return envs, hidden, nil
}

// parseEnvLines reads NAME=VALUE lines; blank lines and lines starting
// with # are skipped, "export " before a name is allowed, and a value
// wholly in single or double quotes loses them (nothing else is
// unescaped). Errors name the line, never its value.
func parseEnvLines(text string) ([]rainbond.EnvVar, error) {
	var envs []rainbond.EnvVar
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		trimmed = strings.TrimPrefix(trimmed, "export ")
		name, value, ok := strings.Cut(trimmed, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("line %d: want NAME=VALUE", i+1)
		}
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		envs = append(envs, rainbond.EnvVar{Name: name, Value: value})
	}
	return envs, nil
}

func printPorts(w io.Writer, ports []rainbond.ComponentPort) error {
	rows := make([][]string, len(ports))
	for i, p := range ports {
		rows[i] = []string{fmt.Sprint(p.ContainerPort), string(p.Protocol), p.PortAlias, fmt.Sprint(p.IsInnerService), fmt.Sprint(p.IsOuterService)}
	}
	return table(w, "PORT\tPROTOCOL\tALIAS\tINNER\tOUTER", rows)
}

func componentsPorts() []*node {
	portCmd := func(name, summary, example string, call func(ctx context.Context, s *session, c *componentFlags, port int) (*rainbond.ComponentPort, error), extra func(fs *flag.FlagSet)) *node {
		return componentNode(name, summary, "  rainbond components ports "+name+" "+exampleComponent+example,
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				port := fs.Int("port", 0, "the container's port (required)")
				if extra != nil {
					extra(fs)
				}
				return func(ctx context.Context, _ []string) error {
					p, err := call(ctx, s, c, *port)
					if err != nil {
						return err
					}
					return s.print(fmt.Sprintf("%s port %d", name, *port), p, func(w io.Writer) error { return printPorts(w, []rainbond.ComponentPort{*p}) })
				}
			})
	}
	var create rainbond.PortCreate
	var update rainbond.PortUpdate
	return []*node{
		componentNode("list", "Lists a component's ports.", "  rainbond components ports list "+exampleComponent,
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				return func(ctx context.Context, _ []string) error {
					ports, _, err := s.client.Components.ListPorts(ctx, c.team, c.region, c.app, c.component)
					if err != nil {
						return err
					}
					return s.print("listed ports", ports, func(w io.Writer) error { return printPorts(w, ports) })
				}
			}),
		portCmd("add", "Adds a port to a component.", " --port 8080 --protocol http --inner",
			func(ctx context.Context, s *session, c *componentFlags, port int) (*rainbond.ComponentPort, error) {
				create.Port = port
				p, _, err := s.client.Components.AddPort(ctx, c.team, c.region, c.app, c.component, &create)
				return p, err
			}, func(fs *flag.FlagSet) {
				fs.Func("protocol", "http, tcp, udp, mysql or grpc (default http)", func(v string) error { create.Protocol = rainbond.PortProtocol(v); return nil })
				fs.StringVar(&create.PortAlias, "alias", "", "the port's alias (default: made by the console)")
				fs.BoolVar(&create.IsInnerService, "inner", false, "open it to the app's other components")
			}),
		portCmd("update", "Changes a port: opens or closes it inside or outside, changes its protocol or alias.",
			" --port 8080 --action only_open_outer",
			func(ctx context.Context, s *session, c *componentFlags, port int) (*rainbond.ComponentPort, error) {
				p, _, err := s.client.Components.UpdatePort(ctx, c.team, c.region, c.app, c.component, port, &update)
				return p, err
			}, func(fs *flag.FlagSet) {
				fs.Func("action", "open_outer, only_open_outer, close_outer, open_inner, close_inner, change_protocol or change_port_alias (required)",
					func(v string) error { update.Action = rainbond.PortAction(v); return nil })
				fs.Func("protocol", "the new protocol, with change_protocol", func(v string) error { update.Protocol = rainbond.PortProtocol(v); return nil })
				fs.StringVar(&update.PortAlias, "alias", "", "the new alias, with change_port_alias")
				fs.StringVar(&update.K8sServiceName, "k8s-service-name", "", "the Kubernetes service's name, with change_port_alias (required there; the console gives it to every port of the component)")
			}),
		portCmd("delete", "Removes a port from a component; close it first.", " --port 8080",
			func(ctx context.Context, s *session, c *componentFlags, port int) (*rainbond.ComponentPort, error) {
				p, _, err := s.client.Components.DeletePort(ctx, c.team, c.region, c.app, c.component, port)
				return p, err
			}, nil),
	}
}

func componentsScale() *node {
	return componentNode("scale", "Scales a component: --memory (and --cpu) per instance, or --instances. Prints\n"+
		"the component as read back after scaling (-o json: the component, with what was set).",
		"  rainbond components scale "+exampleComponent+" --instances 3",
		func(fs *flag.FlagSet, s *session, c *componentFlags) action {
			memory := fs.Int("memory", 0, "memory per instance, MiB (64-65536)")
			cpu := fs.Int("cpu", -1, "CPU per instance, millicores, with --memory (default: derived from the memory)")
			instances := fs.Int("instances", 0, "number of instances (1-100)")
			return func(ctx context.Context, _ []string) error {
				if (*memory == 0) == (*instances == 0) {
					return usagef("pass --memory or --instances (one of them)")
				}
				set := map[string]any{}
				if *instances != 0 {
					if _, err := s.client.Components.ScaleHorizontal(ctx, c.team, c.region, c.app, c.component, *instances); err != nil {
						return err
					}
					set["instances"] = *instances
				} else {
					scale := &rainbond.VerticalScale{MemoryMiB: *memory}
					set["memory"] = *memory
					if *cpu >= 0 {
						scale.CPU = cpu
						set["cpu"] = *cpu
					}
					if _, err := s.client.Components.ScaleVertical(ctx, c.team, c.region, c.app, c.component, scale); err != nil {
						return err
					}
				}
				result := map[string]any{"service_id": c.component, "set": set}
				comp, _, err := s.client.Components.Get(ctx, c.team, c.region, c.app, c.component)
				if err != nil {
					fmt.Fprintf(s.stderr, "rainbond: scaled %s, but reading it back failed: %s\n", c.given, s.redact(err.Error()))
				} else {
					result["component"] = comp
				}
				return s.print("scaled "+c.component, result, func(w io.Writer) error {
					if comp == nil {
						_, err := fmt.Fprintf(w, "Scaled %s: %s\n", c.given, setText(set))
						return err
					}
					_, err := fmt.Fprintf(w, "Scaled %s: %d instances of %dm CPU and %dMi memory each\n", displayName(*comp), comp.MinNode, comp.MinCPU, comp.MinMemory)
					return err
				})
			}
		})
}

// setText says what a scale set.
func setText(set map[string]any) string {
	var parts []string
	for _, k := range []string{"instances", "memory", "cpu"} {
		if v, ok := set[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %v", k, v))
		}
	}
	return strings.Join(parts, ", ")
}

func componentsCreate() *node {
	return &node{name: "create", console: true,
		summary: "Creates a component running an image in an app; --deploy builds and starts it.\n" +
			"Each run creates another component. A private registry's password comes from\n" +
			"--password-file or RAINBOND_REGISTRY_PASSWORD (with --username), never from a\n" +
			"flag value.",
		example: "  rainbond components create --team o19p6wen --region rainbond --app 12 --name web --image nginx:1.25 --deploy -o json | jq -r .service_id",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			var in rainbond.ComponentCreate
			fs.StringVar(&in.ServiceCname, "name", "", "the component's display name (required)")
			fs.StringVar(&in.Image, "image", "", "the image to run, e.g. nginx:1.25 (required)")
			fs.StringVar(&in.K8sComponentName, "k8s-name", "", "its name in the cluster (default: chosen by the console)")
			fs.StringVar(&in.UserName, "username", "", "the registry's user name")
			pwFile := fs.String("password-file", "", "file holding the registry's password, with --username (default $RAINBOND_REGISTRY_PASSWORD)")
			fs.BoolVar(&in.Deploy, "deploy", false, "build and start the component once created")
			return func(ctx context.Context, _ []string) error {
				pw, err := s.registryPassword(ctx, *pwFile, in.UserName)
				if err != nil {
					return err
				}
				in.Password = pw
				created, _, err := s.client.Components.CreateFromImage(ctx, a.team, a.region, a.app, &in)
				if err != nil {
					return err
				}
				result := map[string]any{"service_id": created.ServiceID, "name": in.ServiceCname, "image": in.Image, "deploy": in.Deploy}
				return s.print("created component "+created.ServiceID, result, func(w io.Writer) error {
					what := "not deployed: build it to run it"
					if in.Deploy {
						what = "deploying"
					}
					_, err := fmt.Fprintf(w, "Created component %s (%s) running %s in app %d, %s\n", in.ServiceCname, created.ServiceID, in.Image, a.app, what)
					return err
				})
			}
		})}
}

// registryPassword reads an image registry's password from its file, or,
// with a user name, from RAINBOND_REGISTRY_PASSWORD.
func (s *session) registryPassword(ctx context.Context, file, user string) (rainbond.Secret, error) {
	variable := "RAINBOND_REGISTRY_PASSWORD"
	if user == "" {
		if file != "" {
			return rainbond.Secret{}, usagef("--password-file goes with --username")
		}
		variable = "" // a password in the environment is for another call
	}
	return s.secretFrom(ctx, "--password-file", file, variable)
}

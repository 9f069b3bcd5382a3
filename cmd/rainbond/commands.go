package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/rbdkit/rainbond-go"
)

// commands is the command tree.
func commands() *node {
	return &node{subs: []*node{
		whoamiCommand(),
		{name: "teams", subs: append(teamsCommands(), teamsUpdate(), teamsUsage())},
		{name: "regions", subs: []*node{regionsList(), regionsGet(), regionsCreate()}},
		{name: "users", subs: usersCommands()},
		{name: "admins", subs: adminsCommands()},
		{name: "monitor", subs: monitorCommands()},
		{name: "apps", subs: appsCommands()},
		{name: "components", subs: componentsCommands()},
		{name: "gateway", subs: gatewayCommands()},
		{name: "certificates", subs: certificatesCommands()},
		apiCommand(),
		fakeConsoleCommand(),
		completionCommand(),
		completeValuesCommand(),
		{name: "version", summary: "Prints the version.", example: "  rainbond version", setup: func(fs *flag.FlagSet, s *session) action {
			return func(context.Context, []string) error {
				_, err := fmt.Fprintf(s.stdout, "rainbond %s (rainbond-go %s, %s %s/%s)\n", rainbond.Version, rainbond.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return err
			}
		}},
	}}
}

// teamRegionFlags name a team and a region.
type teamRegionFlags struct{ team, region string }

func (t *teamRegionFlags) register(fs *flag.FlagSet) {
	registerTeam(fs, &t.team)
	fs.StringVar(&t.region, "region", "", "region (cluster) name (required)")
}

// registerTeam registers --team, a team named by its tenant_id or
// tenant_name, into p.
func registerTeam(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "team", "", "team: its tenant_id or tenant_name (required)")
}

// appFlags name the app a command works on.
type appFlags struct {
	teamRegionFlags
	app int64
}

func (a *appFlags) register(fs *flag.FlagSet) { a.registerWhen(fs, "required") }

// registerWhen registers the flags, need saying when --app is needed.
func (a *appFlags) registerWhen(fs *flag.FlagSet, need string) {
	a.teamRegionFlags.register(fs)
	fs.Int64Var(&a.app, "app", 0, "app id ("+need+")")
}

// list collects a repeated or comma-separated flag.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }

func (l *list) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// serviceIDs lists the ids of components, for messages.
func serviceIDs(comps []rainbond.ServiceBaseInfo) string {
	ids := make([]string, len(comps))
	for i, c := range comps {
		ids[i] = c.ServiceID
	}
	return strings.Join(ids, ", ")
}

func printComponents(w io.Writer, comps []rainbond.ServiceBaseInfo) error {
	rows := make([][]string, len(comps))
	for i, c := range comps {
		rows[i] = []string{c.ServiceID, c.ServiceCname, c.K8sComponentName, c.Image, fmt.Sprintf("%dm", c.MinCPU), fmt.Sprintf("%dMi", c.MinMemory), fmt.Sprint(c.MinNode)}
	}
	return table(w, "SERVICE ID\tNAME\tK8S NAME\tIMAGE\tCPU\tMEMORY\tINSTANCES", rows)
}

func printStates(w io.Writer, comps []rainbond.ServiceBaseInfo) error {
	rows := make([][]string, len(comps))
	for i, c := range comps {
		rows[i] = []string{c.ServiceID, c.ServiceCname, c.Status.String(), c.Image, fmt.Sprint(c.MinNode)}
	}
	return table(w, "SERVICE ID\tNAME\tSTATE\tIMAGE\tINSTANCES", rows)
}

func teamsCommands() []*node {
	return []*node{
		{name: "list", summary: "Lists the teams of the token's user, every page.", console: true,
			example: "  rainbond teams list -o json | jq -r '.[].tenant_name'",
			setup: func(fs *flag.FlagSet, s *session) action {
				query := fs.String("query", "", "keep the teams whose display name contains this")
				return func(ctx context.Context, _ []string) error {
					teams, err := collect(s.client.Teams.All(ctx, &rainbond.ListOptions{Query: *query}))
					if err != nil {
						return err
					}
					return s.print("listed teams", teams, func(w io.Writer) error {
						rows := make([][]string, len(teams))
						for i, t := range teams {
							rows[i] = []string{t.TenantID, t.TenantName, t.TenantAlias}
						}
						return table(w, "TENANT ID\tNAME\tDISPLAY NAME", rows)
					})
				}
			}},
		{name: "create", summary: "Creates a team; the console generates its tenant_name, printed.", console: true,
			example: "  rainbond teams create --name \"Shop team\" --open-region rainbond -o json | jq -r .tenant_name",
			setup: func(fs *flag.FlagSet, s *session) action {
				var body rainbond.TeamCreate
				fs.StringVar(&body.TenantName, "name", "", "the team's display name (required)")
				fs.StringVar(&body.Region, "open-region", "", "a region to open the team in")
				return func(ctx context.Context, _ []string) error {
					team, _, err := s.client.Teams.Create(ctx, &body)
					if err != nil {
						return err
					}
					return s.printf("created team "+team.TenantName, team, "Created team %s (tenant_id %s, display name %s)\n", team.TenantName, team.TenantID, team.TenantAlias)
				}
			}},
		{name: "regions", summary: "Lists the regions a team is opened in, every page.", console: true,
			example: "  rainbond teams regions --team o19p6wen -o json | jq -r '.[].region_name'",
			setup: func(fs *flag.FlagSet, s *session) action {
				var team string
				registerTeam(fs, &team)
				query := fs.String("query", "", "keep the regions whose name contains this")
				return func(ctx context.Context, _ []string) error {
					regions, err := collect(s.client.Teams.AllRegions(ctx, team, &rainbond.ListOptions{Query: *query}))
					if err != nil {
						return err
					}
					return s.print("listed the regions of team "+team, regions, func(w io.Writer) error {
						rows := make([][]string, len(regions))
						for i, r := range regions {
							rows[i] = []string{r.RegionName, r.RegionAlias, regionStatus(r.Status), r.HTTPDomain, r.TCPDomain}
						}
						return table(w, "NAME\tDISPLAY NAME\tSTATUS\tHTTP DOMAIN\tTCP DOMAIN", rows)
					})
				}
			}},
		{name: "ensure-region", summary: "Opens a region for a team unless it is opened already.", console: true,
			example: "  rainbond teams ensure-region --team o19p6wen --region rainbond",
			setup: func(fs *flag.FlagSet, s *session) action {
				var tr teamRegionFlags
				tr.register(fs)
				return func(ctx context.Context, _ []string) error {
					opened, err := s.client.Teams.EnsureRegion(ctx, tr.team, tr.region)
					if err != nil {
						return err
					}
					result := map[string]any{"team": tr.team, "region": tr.region, "opened": opened}
					return s.print("ensured region "+tr.region, result, func(w io.Writer) error {
						what := "was already opened"
						if opened {
							what = "opened"
						}
						_, err := fmt.Fprintf(w, "Region %s %s for team %s\n", tr.region, what, tr.team)
						return err
					})
				}
			}},
	}
}

func regionsList() *node {
	return &node{name: "list", summary: "Lists the enterprise's regions.", console: true, example: "  rainbond regions list",
		setup: func(fs *flag.FlagSet, s *session) action {
			return func(ctx context.Context, _ []string) error {
				regions, _, err := s.client.Regions.List(ctx)
				if err != nil {
					return err
				}
				return s.print("listed regions", regions, func(w io.Writer) error {
					rows := make([][]string, len(regions))
					for i, r := range regions {
						rows[i] = []string{r.RegionName, r.RegionAlias, regionStatus(r.Status)}
					}
					return table(w, "NAME\tDISPLAY NAME\tSTATUS", rows)
				})
			}
		}}
}

// regionStatus is a region's status in words: the console sends a digit.
func regionStatus(status string) string {
	switch status {
	case "0":
		return "editing"
	case "1":
		return "enabled"
	case "2":
		return "disabled"
	case "3":
		return "maintenance"
	}
	return status
}

// withApp registers the app flags before a command's own, and hands
// them to it.
func withApp(setup func(fs *flag.FlagSet, s *session, a *appFlags) action) func(fs *flag.FlagSet, s *session) action {
	return func(fs *flag.FlagSet, s *session) action {
		var a appFlags
		a.register(fs)
		return setup(fs, s, &a)
	}
}

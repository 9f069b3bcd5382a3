package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// Platform commands: whoami, users, admins, team settings and use, regions
// and monitoring.

// optionalBool is a flag that is unset, true or false.
type optionalBool struct{ v *bool }

func (o *optionalBool) String() string {
	if o.v == nil {
		return ""
	}
	return strconv.FormatBool(*o.v)
}

func (o *optionalBool) Set(v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("%q: want true or false", v)
	}
	o.v = &b
	return nil
}

func whoamiCommand() *node {
	return &node{name: "whoami", console: true,
		summary: "Says whose the token is, in which enterprise, on which console release. Exit 0 only\n" +
			"when the token works; 8 the token is refused; 9 the address serves no Rainbond\n" +
			"OpenAPI (check --url); 3 the console is too old to say; 4 the host cannot be reached.",
		example: "  rainbond whoami || exit $?   # the first step of a pipeline",
		setup: func(fs *flag.FlagSet, s *session) action {
			return func(ctx context.Context, _ []string) error {
				res, err := s.client.Ping(ctx)
				if err != nil {
					return whoamiError(err)
				}
				out := map[string]any{"user": res.User, "console_version": res.ConsoleVersion}
				return s.print("read the token's user", out, func(w io.Writer) error {
					version := res.ConsoleVersion
					if version == "" {
						version = "unknown"
					}
					_, err := fmt.Fprintf(w, "%s (user %d, enterprise %s), console %s\n", res.User.NickName, res.User.UserID, res.User.EnterpriseID, version)
					return err
				})
			}
		}}
}

func printUsers(w io.Writer, users []rainbond.User) error {
	rows := make([][]string, len(users))
	for i, u := range users {
		rows[i] = []string{strconv.FormatInt(u.UserID, 10), u.NickName, u.Email, u.Phone, strconv.FormatBool(u.IsActive), u.EnterpriseID}
	}
	return table(w, "USER ID\tNAME\tEMAIL\tPHONE\tACTIVE\tENTERPRISE", rows)
}

// userFlag names a user by id.
func userFlag(fs *flag.FlagSet) *int64 {
	return fs.Int64("user", 0, "the user's id (required)")
}

func usersCommands() []*node {
	return []*node{
		{name: "list", summary: "Lists the console's users (every enterprise's), newest first.", console: true,
			example: "  rainbond users list --query @example.com -o json | jq -r '.[].nick_name'",
			setup: func(fs *flag.FlagSet, s *session) action {
				query := fs.String("query", "", "keep the users whose name, email or phone contains this")
				return func(ctx context.Context, _ []string) error {
					users, err := collect(s.client.Users.All(ctx, &rainbond.ListOptions{Query: *query}))
					if err != nil {
						return err
					}
					return s.print("listed users", users, func(w io.Writer) error { return printUsers(w, users) })
				}
			}},
		{name: "create", console: true,
			summary: "Creates a user. The password (8-16 characters) comes from --password-file or\nRAINBOND_USER_PASSWORD, never from a flag value.",
			example: "  RAINBOND_USER_PASSWORD=... rainbond users create --name alice --email alice@example.com",
			setup: func(fs *flag.FlagSet, s *session) action {
				var in rainbond.UserCreate
				fs.StringVar(&in.NickName, "name", "", "the login name (required)")
				fs.StringVar(&in.Email, "email", "", "the email (required)")
				fs.StringVar(&in.Phone, "phone", "", "the phone")
				fs.StringVar(&in.EnterpriseID, "enterprise", "", "the enterprise (default: the token user's)")
				fs.BoolVar(&in.Inactive, "inactive", false, "create the user unable to log in")
				pwFile := fs.String("password-file", "", "file holding the password (default $RAINBOND_USER_PASSWORD)")
				return func(ctx context.Context, _ []string) error {
					pw, err := s.secretFrom(ctx, "--password-file", *pwFile, "RAINBOND_USER_PASSWORD")
					if err != nil {
						return err
					}
					in.Password = pw
					user, _, err := s.client.Users.Create(ctx, &in)
					if err != nil {
						return err
					}
					return s.print(fmt.Sprintf("created user %d", user.UserID), user, func(w io.Writer) error { return printUsers(w, []rainbond.User{*user}) })
				}
			}},
		{name: "get", summary: "Shows a user, by --user id or --name.", console: true,
			example: "  rainbond users get --name alice -o json | jq .user_id",
			setup: func(fs *flag.FlagSet, s *session) action {
				id := userFlag(fs)
				name := fs.String("name", "", "the user's login name, in the token user's enterprise (instead of --user)")
				return func(ctx context.Context, _ []string) error {
					var user *rainbond.User
					var err error
					switch {
					case (*id == 0) == (*name == ""):
						return usagef("name the user with --user or --name")
					case *name != "":
						user, _, err = s.client.Users.GetByName(ctx, *name)
					default:
						user, _, err = s.client.Users.Get(ctx, *id)
					}
					if err != nil {
						return err
					}
					return s.print("read user", user, func(w io.Writer) error { return printUsers(w, []rainbond.User{*user}) })
				}
			}},
		usersUpdate(),
		{name: "delete", summary: "Deletes a user with its team memberships; the teams it created stay.", console: true,
			example: "  rainbond users delete --user 7",
			setup: func(fs *flag.FlagSet, s *session) action {
				id := userFlag(fs)
				return func(ctx context.Context, _ []string) error {
					if _, err := s.client.Users.Delete(ctx, *id); err != nil {
						return err
					}
					return s.printf(fmt.Sprintf("deleted user %d", *id), map[string]any{"deleted": *id}, "Deleted user %d\n", *id)
				}
			}},
		{name: "set-password", console: true,
			summary: "Sets a user's password (--user) or the token user's (--self), from --password-file\nor RAINBOND_USER_PASSWORD.",
			example: "  rainbond users set-password --user 7 --password-file new.pw",
			setup: func(fs *flag.FlagSet, s *session) action {
				id := userFlag(fs)
				self := fs.Bool("self", false, "the token user's own password (instead of --user)")
				pwFile := fs.String("password-file", "", "file holding the password (default $RAINBOND_USER_PASSWORD)")
				return func(ctx context.Context, _ []string) error {
					if *self == (*id != 0) {
						return usagef("pass --user or --self")
					}
					pw, err := s.secretFrom(ctx, "--password-file", *pwFile, "RAINBOND_USER_PASSWORD")
					if err != nil {
						return err
					}
					if *self {
						_, err = s.client.Users.SetOwnPassword(ctx, pw)
					} else {
						_, err = s.client.Users.SetPassword(ctx, *id, pw)
					}
					if err != nil {
						return err
					}
					return s.print("set the password", map[string]any{"user": *id, "self": *self}, func(w io.Writer) error {
						_, err := fmt.Fprintln(w, "Password set")
						return err
					})
				}
			}},
		usersTeamsAction("stop-teams", "Stops every component of every team the user created, in every region.",
			func(ctx context.Context, s *session, id int64) error {
				_, err := s.client.Users.StopTeams(ctx, id)
				return err
			}),
		usersTeamsAction("delete-team-apps", "Deletes every app, with its components, of every team the user created. No undo.",
			func(ctx context.Context, s *session, id int64) error {
				_, err := s.client.Users.DeleteTeamApps(ctx, id)
				return err
			}),
	}
}

// usersTeamsAction is a command that acts on every team a user created:
// it asks for --yes, since a script cannot take it back.
func usersTeamsAction(name, summary string, act func(ctx context.Context, s *session, id int64) error) *node {
	return &node{name: name, summary: summary + " Needs --yes.", console: true,
		example: "  rainbond users " + name + " --user 7 --yes",
		setup: func(fs *flag.FlagSet, s *session) action {
			id := userFlag(fs)
			yes := fs.Bool("yes", false, "confirm: it acts on every team the user created")
			return func(ctx context.Context, _ []string) error {
				if !*yes {
					return usagef("%s acts on every team user %d created: pass --yes to confirm", name, *id)
				}
				if err := act(ctx, s, *id); err != nil {
					return err
				}
				return s.printf(fmt.Sprintf("%s for user %d", name, *id), map[string]any{"user": *id, "done": name}, "Done: %s for user %d\n", name, *id)
			}
		}}
}

func usersUpdate() *node {
	return &node{name: "update", console: true,
		summary: "Changes a user: --email (with a new password: the console hashes the password with\nthe email), --phone, --real-name, --active; the password from --password-file or\nRAINBOND_USER_PASSWORD.",
		example: "  rainbond users update --user 7 --active false",
		setup: func(fs *flag.FlagSet, s *session) action {
			id := userFlag(fs)
			var in rainbond.UserUpdate
			var active optionalBool
			email := fs.String("email", "", "the new email")
			phone := fs.String("phone", "", "the new phone")
			realName := fs.String("real-name", "", "the new display name")
			fs.Var(&active, "active", "true or false: whether the user may log in")
			pwFile := fs.String("password-file", "", "file holding a new password (default $RAINBOND_USER_PASSWORD)")
			return func(ctx context.Context, _ []string) error {
				set := map[string]bool{}
				fs.Visit(func(f *flag.Flag) {
					set[f.Name] = true
					switch f.Name {
					case "email":
						in.Email = email
					case "phone":
						in.Phone = phone
					case "real-name":
						in.RealName = realName
					}
				})
				in.Active = active.v
				if set["password-file"] || in.Email != nil {
					pw, err := s.secretFrom(ctx, "--password-file", *pwFile, "RAINBOND_USER_PASSWORD")
					if err != nil {
						return err
					}
					in.Password = pw
				}
				user, _, err := s.client.Users.Update(ctx, *id, &in)
				if err != nil {
					return err
				}
				return s.print(fmt.Sprintf("updated user %d", *id), user, func(w io.Writer) error { return printUsers(w, []rainbond.User{*user}) })
			}
		}}
}

func adminsCommands() []*node {
	return []*node{
		{name: "list", summary: "Lists the enterprise administrators.", console: true,
			example: "  rainbond admins list -o json | jq -r '.[].nick_name'",
			setup: func(fs *flag.FlagSet, s *session) action {
				eid := fs.String("enterprise", "", "keep one enterprise's (default: every enterprise's)")
				return func(ctx context.Context, _ []string) error {
					users, err := collect(s.client.Admins.All(ctx, *eid))
					if err != nil {
						return err
					}
					return s.print("listed administrators", users, func(w io.Writer) error { return printUsers(w, users) })
				}
			}},
		{name: "add", summary: "Makes a user an enterprise administrator.", console: true,
			example: "  rainbond admins add --user 7",
			setup: func(fs *flag.FlagSet, s *session) action {
				id := userFlag(fs)
				eid := fs.String("enterprise", "", "the enterprise (default: the token user's)")
				return func(ctx context.Context, _ []string) error {
					if _, err := s.client.Admins.Add(ctx, *id, *eid); err != nil {
						return err
					}
					return s.printf(fmt.Sprintf("made user %d an administrator", *id), map[string]any{"admin": *id}, "User %d is an administrator\n", *id)
				}
			}},
		{name: "remove", summary: "Takes away a user's enterprise roles (not the token user's, not the last admin's).", console: true,
			example: "  rainbond admins remove --user 7",
			setup: func(fs *flag.FlagSet, s *session) action {
				id := userFlag(fs)
				return func(ctx context.Context, _ []string) error {
					if _, err := s.client.Admins.Remove(ctx, *id); err != nil {
						return err
					}
					return s.printf(fmt.Sprintf("removed administrator %d", *id), map[string]any{"removed": *id}, "User %d is no longer an administrator\n", *id)
				}
			}},
	}
}

func teamsUpdate() *node {
	return &node{name: "update", summary: "Changes a team's display name, whether it is active, or its owner.", console: true,
		example: "  rainbond teams update --team o19p6wen --alias \"Shop EU\" --active true",
		setup: func(fs *flag.FlagSet, s *session) action {
			var team string
			registerTeam(fs, &team)
			var in rainbond.TeamUpdate
			var active optionalBool
			alias := fs.String("alias", "", "the new display name")
			owner := fs.Int64("owner", 0, "the user id of the new owner")
			fs.Var(&active, "active", "true or false")
			return func(ctx context.Context, _ []string) error {
				fs.Visit(func(f *flag.Flag) {
					switch f.Name {
					case "alias":
						in.Alias = alias
					case "owner":
						in.OwnerID = owner
					}
				})
				in.Active = active.v
				t, _, err := s.client.Teams.Update(ctx, team, &in)
				if err != nil {
					return err
				}
				return s.printf("updated team "+t.TenantName, t, "Team %s (%s): display name %s, active %t\n", t.TenantName, t.TenantID, t.TenantAlias, t.IsActive)
			}
		}}
}

func teamsUsage() *node {
	return &node{name: "usage", console: true,
		summary: "Shows a team's use of a region: CPU and memory requested of what it may use, apps,\n" +
			"components. With --all, the use of every team of the token's user in each region it\n" +
			"is opened in (or in --region alone), read in one usage call (after the calls that\n" +
			"list the teams, and without --region each team's regions).",
		example: "  rainbond teams usage --team o19p6wen --region rainbond -o json | jq .used_memory_percentage\n" +
			"  rainbond teams usage --all --region rainbond",
		setup: func(fs *flag.FlagSet, s *session) action {
			var tr teamRegionFlags
			tr.register(fs)
			all := fs.Bool("all", false, "every team, in each region it is opened in (instead of --team; --region keeps one region)")
			return func(ctx context.Context, _ []string) error {
				if *all {
					if tr.team != "" {
						return usagef("--all and --team exclude each other")
					}
					return allTeamsUsage(ctx, s, tr.region)
				}
				u, _, err := s.client.Teams.Usage(ctx, tr.team, tr.region)
				if err != nil {
					return err
				}
				o, _, err := s.client.Teams.Overview(ctx, tr.team, tr.region)
				if err != nil {
					return err
				}
				out := struct {
					*rainbond.TeamUsage
					Apps       int `json:"app_nums"`
					Components int `json:"component_nums"`
				}{u, o.Apps, o.Components}
				return s.print("read the team's use", out, func(w io.Writer) error {
					cpu, memory := usageCells(u)
					return table(w, "TEAM\tREGION\tCPU\tMEMORY\tAPPS\tCOMPONENTS", [][]string{{u.TeamName, tr.region,
						cpu, memory, strconv.Itoa(o.Apps), strconv.Itoa(o.Components)}})
				})
			}
		}}
}

func regionsGet() *node {
	return &node{name: "get", summary: "Shows a region; --usage asks its cluster for its resources.", console: true,
		example: "  rainbond regions get --region rainbond --usage -o json | jq .health_status",
		setup: func(fs *flag.FlagSet, s *session) action {
			region := fs.String("region", "", "the region's name or id (required)")
			usage := fs.Bool("usage", false, "ask the cluster for its resources (slower)")
			return func(ctx context.Context, _ []string) error {
				r, _, err := s.client.Regions.Get(ctx, *region, &rainbond.RegionGetOptions{WithUsage: *usage})
				if err != nil {
					return err
				}
				return s.print("read region "+r.RegionName, r, func(w io.Writer) error {
					return table(w, "NAME\tDISPLAY NAME\tSTATUS\tHEALTH\tAPI\tHTTP DOMAIN\tTCP\tCPU\tMEMORY", [][]string{{r.RegionName, r.RegionAlias, regionStatus(r.Status),
						r.HealthStatus, r.URL, r.HTTPDomain, r.TCPDomain, fmt.Sprintf("%g of %g", r.UsedCPU, r.TotalCPU), fmt.Sprintf("%gMi of %gMi", r.UsedMemory, r.TotalMemory)}})
				})
			}
		}}
}

func regionsCreate() *node {
	return &node{name: "create", console: true,
		summary: "Adds a cluster to the enterprise (administrators only); the console tests its API\n" +
			"first. Certificates come from files; the client key from --key-file, the region's\ntoken from --region-token-file.",
		example: `  rainbond regions create --name eu --alias "EU" --api-url https://10.0.0.1:8443 --ws-url wss://10.0.0.1:6060 \
    --http-domain eu.example.com --tcp-domain 10.0.0.1 --ca-file ca.pem --cert-file client.pem --key-file client.key`,
		setup: func(fs *flag.FlagSet, s *session) action {
			var in rainbond.RegionCreate
			fs.StringVar(&in.Name, "name", "", "the region's name (required)")
			fs.StringVar(&in.Alias, "alias", "", "its display name (required)")
			fs.StringVar(&in.URL, "api-url", "", "the cluster API's address (required)")
			fs.StringVar(&in.WsURL, "ws-url", "", "the cluster's websocket address (required)")
			fs.StringVar(&in.HTTPDomain, "http-domain", "", "the HTTP gateway's root domain (required)")
			fs.StringVar(&in.TCPDomain, "tcp-domain", "", "the TCP gateway's address, an IPv4 (required)")
			fs.StringVar(&in.Scope, "scope", "", "private (default) or public")
			fs.StringVar(&in.Status, "status", "", "1 enabled (default), 0 editing, 2 disabled, 3 maintenance")
			fs.StringVar(&in.Desc, "desc", "", "a description")
			fs.StringVar(&in.EnterpriseID, "enterprise", "", "the enterprise (default: the token user's)")
			caFile := fs.String("ca-file", "", "PEM file of the API's CA")
			certFile := fs.String("cert-file", "", "PEM file of the client certificate")
			keyFile := fs.String("key-file", "", "PEM file of the client's private key")
			tokenFile := fs.String("region-token-file", "", "file holding the region's API token")
			return func(ctx context.Context, _ []string) error {
				for _, f := range []struct {
					flag, file string
					into       *string
				}{{"ca-file", *caFile, &in.SSLCACert}, {"cert-file", *certFile, &in.CertFile}} {
					if f.file != "" {
						b, err := s.readInput(ctx, f.flag, f.file, maxPEMFile, false)
						if err != nil {
							return err
						}
						*f.into = string(b)
					}
				}
				var err error
				if in.KeyFile, err = s.secretFrom(ctx, "--key-file", *keyFile, ""); err != nil {
					return err
				}
				if in.Token, err = s.secretFrom(ctx, "--region-token-file", *tokenFile, ""); err != nil {
					return err
				}
				r, _, err := s.client.Regions.Create(ctx, &in)
				if err != nil {
					return err
				}
				return s.printf("created region "+r.RegionName, r, "Created region %s (%s)\n", r.RegionName, r.RegionID)
			}
		}}
}

// promQLFlags are the flags of a monitoring query.
type promQLFlags struct{ region, promql string }

func (p *promQLFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.region, "region", "", "the region whose monitoring is asked (required)")
	fs.StringVar(&p.promql, "promql", "", "the PromQL expression (required)")
}

func monitorCommands() []*node {
	return append(monitorQueryCommands(), monitorOverview(), monitorComponents(), monitorUsage(), monitorFlows())
}

func monitorQueryCommands() []*node {
	return []*node{
		{name: "query", summary: "Runs a PromQL expression now against a region's monitoring.", console: true,
			example: "  rainbond monitor query --region rainbond --promql 'sum(up) by (job)'",
			setup: func(fs *flag.FlagSet, s *session) action {
				var p promQLFlags
				p.register(fs)
				return func(ctx context.Context, _ []string) error {
					res, _, err := s.client.Monitor.Query(ctx, p.region, p.promql)
					if err != nil {
						return err
					}
					return printQuery(s, res)
				}
			}},
		{name: "range", summary: "Runs a PromQL expression over a time range: --since, or --start and --end.", console: true,
			example: "  rainbond monitor range --region rainbond --promql 'up{job=\"api\"}' --since 1h --step 5m -o json",
			setup: func(fs *flag.FlagSet, s *session) action {
				var p promQLFlags
				p.register(fs)
				since := fs.Duration("since", 0, "the range ends now and starts this long ago")
				start := fs.String("start", "", "the range's start, RFC 3339 (instead of --since)")
				end := fs.String("end", "", "the range's end, RFC 3339 (default now)")
				step := fs.Duration("step", time.Minute, "the time between two points")
				return func(ctx context.Context, _ []string) error {
					from, to, err := timeRange(*since, *start, *end, time.Now())
					if err != nil {
						return err
					}
					res, _, err := s.client.Monitor.QueryRange(ctx, p.region, p.promql, from, to, *step)
					if err != nil {
						return err
					}
					return printQuery(s, res)
				}
			}},
	}
}

// timeRange reads --since, or --start and --end.
func timeRange(since time.Duration, start, end string, now time.Time) (time.Time, time.Time, error) {
	switch {
	case since != 0 && start != "":
		return time.Time{}, time.Time{}, usagef("--since and --start exclude each other")
	case since < 0:
		return time.Time{}, time.Time{}, usagef("--since %v: must be positive", since)
	case since > 0:
		return now.Add(-since), now, nil
	case start == "":
		return time.Time{}, time.Time{}, usagef("pass --since, or --start (and --end)")
	}
	from, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return time.Time{}, time.Time{}, usagef("--start: %v", err)
	}
	to := now
	if end != "" {
		if to, err = time.Parse(time.RFC3339, end); err != nil {
			return time.Time{}, time.Time{}, usagef("--end: %v", err)
		}
	}
	return from, to, nil
}

// printQuery prints a result: a line per sample under its series' labels,
// or, with -o json, the series.
func printQuery(s *session, res *rainbond.QueryResult) error {
	return s.print("ran the query", res, func(w io.Writer) error {
		if res.Type == "string" {
			_, err := fmt.Fprintln(w, res.Text)
			return err
		}
		var rows [][]string
		for _, series := range res.Series {
			labels := labelsText(series.Labels)
			for _, sample := range series.Samples {
				rows = append(rows, []string{labels, sample.Time.UTC().Format(time.RFC3339), strconv.FormatFloat(sample.Value, 'g', -1, 64)})
			}
		}
		return table(w, "SERIES\tTIME\tVALUE", rows)
	})
}

// labelsText is a series' labels as PromQL writes them.
func labelsText(labels map[string]string) string {
	name := labels["__name__"]
	keys := make([]string, 0, len(labels))
	for k := range labels {
		if k != "__name__" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, labels[k])
	}
	return name + "{" + strings.Join(parts, ",") + "}"
}

// whoamiError gives each way Ping fails its own exit code: a refused
// token 8, no OpenAPI at the address 9, a console too old or broken to
// say 3; an unreachable host keeps its 4.
func whoamiError(err error) error {
	switch {
	case errors.Is(err, rainbond.ErrUnauthorized):
		return &codedError{exitAuth, err}
	case errors.Is(err, rainbond.ErrNoOpenAPI):
		return &codedError{exitNoAPI, err}
	case errors.Is(err, rainbond.ErrUnsupported), errors.Is(err, rainbond.ErrCurrentUserBroken):
		return &codedError{exitConsole, err}
	}
	return err
}

func monitorOverview() *node {
	return &node{name: "overview", console: true,
		summary: "Counts the enterprise's teams, apps, components, instances and nodes (slow: the\nconsole asks every region's cluster).",
		example: "  rainbond monitor overview -o json | jq .nodes",
		setup: func(fs *flag.FlagSet, s *session) action {
			return func(ctx context.Context, _ []string) error {
				o, _, err := s.client.Monitor.Overview(ctx)
				if err != nil {
					return err
				}
				return s.print("read the enterprise's overview", o, func(w io.Writer) error {
					err := table(w, "TEAMS\tAPPS\tCOMPONENTS\tINSTANCES\tNODES", [][]string{{strconv.Itoa(o.Teams), strconv.Itoa(o.Apps),
						strconv.Itoa(o.Components), strconv.Itoa(o.Instances), strconv.Itoa(o.Nodes)}})
					if err == nil && o.VisualMonitor.Enable && o.VisualMonitor.Value.HomeURL != "" {
						_, err = fmt.Fprintln(w, "Dashboards:", o.VisualMonitor.Value.HomeURL)
					}
					return err
				})
			}
		}}
}

func monitorComponents() *node {
	return &node{name: "components", summary: "Counts a region's components by state: running, abnormal, closed.", console: true,
		example: "  rainbond monitor components --region rainbond -o json | jq .abnormal_service_num",
		setup: func(fs *flag.FlagSet, s *session) action {
			region := fs.String("region", "", "the region (required)")
			return func(ctx context.Context, _ []string) error {
				c, _, err := s.client.Monitor.ComponentCounts(ctx, *region)
				if err != nil {
					return err
				}
				return s.print("counted the components of region "+*region, c, func(w io.Writer) error {
					return table(w, "REGION\tRUNNING\tABNORMAL\tCLOSED", [][]string{{*region, strconv.Itoa(c.Running), strconv.Itoa(c.Abnormal), strconv.Itoa(c.Closed)}})
				})
			}
		}}
}

func monitorUsage() *node {
	return &node{name: "usage", console: true,
		summary: "Sums what the enterprise's enabled regions request: CPU, memory, disk, nodes and\ncomponents (a region the console cannot reach is left out).",
		example: "  rainbond monitor usage -o json | jq .memory_use_sum",
		setup: func(fs *flag.FlagSet, s *session) action {
			return func(ctx context.Context, _ []string) error {
				u, _, err := s.client.Monitor.Usage(ctx)
				if err != nil {
					return err
				}
				return s.print("read the enterprise's use", u, func(w io.Writer) error {
					return table(w, "CPU\tMEMORY\tDISK\tNODES\tCOMPONENTS", [][]string{{strconv.FormatFloat(u.CPU, 'g', -1, 64) + " cores",
						strconv.FormatFloat(u.MemoryMiB, 'g', -1, 64) + "Mi", strconv.FormatFloat(u.DiskGiB, 'g', -1, 64) + "Gi", strconv.Itoa(u.Nodes), strconv.Itoa(u.Components)}})
				})
			}
		}}
}

func monitorFlows() *node {
	return &node{name: "flows", console: true,
		summary: "Prints a flow graph, as links between nodes: --traffic, the requests of the 20\n" +
			"busiest gateway routes over the last hour (route, app, team, region); --memory, the\n" +
			"memory given to components (component, team, region), in MiB.",
		example: "  rainbond monitor flows --traffic -o json | jq '.[0].links'",
		setup: func(fs *flag.FlagSet, s *session) action {
			traffic := fs.Bool("traffic", false, "the gateway's requests (or --memory)")
			memory := fs.Bool("memory", false, "the components' memory (or --traffic)")
			return func(ctx context.Context, _ []string) error {
				var flows []rainbond.Flows
				var err error
				switch {
				case *traffic == *memory:
					return usagef("pass --traffic or --memory (one of them)")
				case *traffic:
					flows, _, err = s.client.Monitor.TrafficFlows(ctx)
				default:
					flows, _, err = s.client.Monitor.MemoryFlows(ctx)
				}
				if err != nil {
					return err
				}
				return s.print("read the flows", flows, func(w io.Writer) error {
					var rows [][]string
					for _, g := range flows {
						for _, l := range g.Links {
							rows = append(rows, []string{l.Source, l.Target, strconv.FormatFloat(l.Value, 'g', -1, 64)})
						}
					}
					return table(w, "SOURCE\tTARGET\tVALUE", rows)
				})
			}
		}}
}

// allTeamsUsage prints the use of every team of the token's user in each
// region it is opened in, or in region alone, when given: a team not
// opened there is left out.
func allTeamsUsage(ctx context.Context, s *session, region string) error {
	teams, err := collect(s.client.Teams.All(ctx, nil))
	if err != nil {
		return err
	}
	names := map[string]string{}
	refs := []rainbond.TeamRegionRef{}
	for _, t := range teams {
		names[t.TenantID] = t.TenantName
		if region != "" {
			refs = append(refs, rainbond.TeamRegionRef{TeamID: t.TenantID, RegionName: region})
			continue
		}
		regions, err := collect(s.client.Teams.AllRegions(ctx, t.TenantID, nil))
		if err != nil {
			return err
		}
		for _, r := range regions {
			refs = append(refs, rainbond.TeamRegionRef{TeamID: t.TenantID, RegionName: r.RegionName})
		}
	}
	usage := []rainbond.TeamRegionUsage{}
	if len(refs) > 0 {
		all, _, err := s.client.Teams.UsageOf(ctx, refs)
		if err != nil {
			return err
		}
		for _, u := range all {
			if region == "" || u.Usage != nil { // the console leaves out a team not opened in region
				usage = append(usage, u)
			}
		}
	}
	return s.print(fmt.Sprintf("read the use of %d teams", len(names)), usage, func(w io.Writer) error {
		rows := make([][]string, len(usage))
		for i, u := range usage {
			rows[i] = []string{names[u.TeamID], u.RegionName, "-", "-"}
			if u.Usage != nil {
				rows[i][2], rows[i][3] = usageCells(u.Usage)
			}
		}
		return table(w, "TEAM\tREGION\tCPU\tMEMORY", rows)
	})
}

// usageCells are a team's CPU and memory use, for a table.
func usageCells(u *rainbond.TeamUsage) (cpu, memory string) {
	return fmt.Sprintf("%dm of %dm (%.1f%%)", u.UsedCPU, u.TotalCPU, u.UsedCPUPercent),
		fmt.Sprintf("%dMi of %dMi (%.1f%%)", u.UsedMemory, u.TotalMemory, u.UsedMemoryPercent)
}

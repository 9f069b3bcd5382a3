package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/rbdkit/rainbond-go"
)

// The gateway's commands: HTTP domain rules and TCP rules.

func gatewayCommands() []*node {
	return []*node{{name: "http", subs: gatewayHTTPCommands()}, {name: "tcp", subs: gatewayTCPCommands()}, gatewayRules()}
}

func printRules(w io.Writer, rules []rainbond.HTTPRule) error {
	rows := make([][]string, len(rules))
	for i, r := range rules {
		rows[i] = []string{r.HTTPRuleID, r.URL(), r.ServiceAlias, fmt.Sprint(r.ContainerPort)}
	}
	return table(w, "RULE ID\tURL\tCOMPONENT\tPORT", rows)
}

func gatewayHTTPCommands() []*node {
	return []*node{
		{name: "list", summary: "Lists the HTTP domain rules of an app.", console: true,
			example: "  rainbond gateway http list --team o19p6wen --region rainbond --app 12",
			setup: func(fs *flag.FlagSet, s *session) action {
				var a appFlags
				a.register(fs)
				return func(ctx context.Context, _ []string) error {
					rules, _, err := s.client.Gateway.ListHTTPRules(ctx, a.team, a.region, a.app)
					if err != nil {
						return err
					}
					return s.print("listed rules", rules, func(w io.Writer) error { return printRules(w, rules) })
				}
			}},
		gatewayHTTPListEnterprise(),
		gatewayHTTPGet(),
		gatewayHTTPUpdate(),
		componentNode("create", "Publishes a component's port under a domain; --open-port opens the port first.",
			"  rainbond gateway http create "+exampleComponent+" --port 80 --domain shop.example.com --open-port -o json | jq -r .domain_name",
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				var rule rainbond.HTTPRuleCreate
				fs.IntVar(&rule.ContainerPort, "port", 0, "the component's port (required)")
				fs.StringVar(&rule.DomainName, "domain", "", "the domain (required)")
				fs.StringVar(&rule.DomainPath, "path", "", "the path to match (default /)")
				fs.BoolVar(&rule.OpenPort, "open-port", false, "open the port to the outside first")
				fs.IntVar(&rule.CertificateID, "certificate", 0, "a certificate id of the team, for https")
				return func(ctx context.Context, _ []string) error {
					rule.ServiceID = c.component
					created, _, err := s.client.Gateway.CreateHTTPRule(ctx, c.team, c.region, c.app, &rule)
					if err != nil {
						return err
					}
					return s.printf("published "+created.URL(), created, "Published %s (rule %s)\n", created.URL(), created.HTTPRuleID)
				}
			}),
		componentNode("ensure", "Makes a domain (and path, header, cookie) route to a component's port, with the\n"+
			"certificate asked for: creates the rule, updates what differs, or says it is unchanged.\n"+
			"Run it again and again: the second run changes nothing.",
			"  rainbond gateway http ensure "+exampleComponent+" --port 80 --domain shop.example.com --certificate 12 --open-port",
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				var want rainbond.HTTPRuleEnsure
				fs.IntVar(&want.ContainerPort, "port", 0, "the component's port (required)")
				fs.StringVar(&want.DomainName, "domain", "", "the domain (required)")
				fs.StringVar(&want.DomainPath, "path", "", "the path to match (default /)")
				fs.StringVar(&want.DomainHeader, "header", "", "a header condition")
				fs.StringVar(&want.DomainCookie, "cookie", "", "a cookie condition")
				fs.IntVar(&want.CertificateID, "certificate", 0, "a certificate id of the team, for https (see rainbond certificates)")
				fs.BoolVar(&want.AutoSSL, "auto-ssl", false, "let an outside service issue the certificate")
				fs.StringVar(&want.AutoSSLConfig, "auto-ssl-config", "", "how it does, with --auto-ssl")
				fs.BoolVar(&want.OpenPort, "open-port", false, "open the port to the outside first when it is closed")
				return func(ctx context.Context, _ []string) error {
					want.ServiceID = c.component
					rule, done, err := s.client.Gateway.EnsureHTTPRule(ctx, c.team, c.region, c.app, &want)
					if err != nil {
						return err
					}
					result := map[string]any{"outcome": done.Outcome, "changed": done.Changed, "rule": rule}
					return s.printf(fmt.Sprintf("%s rule for %s", done.Outcome, rule.URL()), result, "%s: %s (rule %s)%s\n", rule.URL(), done.Outcome, rule.HTTPRuleID, changedFields(done))
				}
			}),
		{name: "delete", summary: "Deletes an HTTP domain rule.", console: true,
			example: "  rainbond gateway http delete --team o19p6wen --region rainbond --app 12 --rule 5f4e3d2c1b0a",
			setup: func(fs *flag.FlagSet, s *session) action {
				var a appFlags
				a.register(fs)
				ruleID := fs.String("rule", "", "the rule's id (required)")
				return func(ctx context.Context, _ []string) error {
					rule, _, err := s.client.Gateway.DeleteHTTPRule(ctx, a.team, a.region, a.app, *ruleID)
					if err != nil {
						return err
					}
					return s.printf("deleted rule "+*ruleID, rule, "Deleted rule %s (%s)\n", *ruleID, rule.URL())
				}
			}},
	}
}

// changedFields names the fields an update changed, for messages.
func changedFields(done *rainbond.Ensured) string {
	if len(done.Changed) == 0 {
		return ""
	}
	return " — changed: " + fmt.Sprint(done.Changed)
}

func printTCPRules(w io.Writer, rules []rainbond.TCPRule) error {
	rows := make([][]string, len(rules))
	for i, r := range rules {
		rows[i] = []string{r.TCPRuleID, r.EndPoint, r.ServiceAlias, strconv.Itoa(r.ContainerPort), r.Protocol}
	}
	return table(w, "RULE ID\tEND POINT\tCOMPONENT\tPORT\tPROTOCOL", rows)
}

// tcpRule reads a TCP rule's flags: the component's port and the end
// point, from which the rule's default ip and port come.
func tcpRule(fs *flag.FlagSet) func(c *componentFlags) (*rainbond.TCPRuleCreate, error) {
	port := fs.Int("port", 0, "the component's port (required)")
	endPoint := fs.String("end-point", "", "the gateway's address, ip:port, e.g. 0.0.0.0:30001 (required)")
	return func(c *componentFlags) (*rainbond.TCPRuleCreate, error) {
		host, p, err := net.SplitHostPort(*endPoint)
		if err != nil {
			return nil, usagef("--end-point %q: want ip:port", *endPoint)
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, usagef("--end-point %q: the port is not a number", *endPoint)
		}
		return &rainbond.TCPRuleCreate{ServiceID: c.component, ContainerPort: *port, EndPoint: *endPoint, DefaultIP: host, DefaultPort: n}, nil
	}
}

func gatewayTCPCommands() []*node {
	return []*node{
		{name: "list", summary: "Lists the TCP rules of an app.", console: true,
			example: "  rainbond gateway tcp list --team o19p6wen --region rainbond --app 12",
			setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
				return func(ctx context.Context, _ []string) error {
					rules, _, err := s.client.Gateway.ListTCPRules(ctx, a.team, a.region, a.app)
					if err != nil {
						return err
					}
					return s.print("listed rules", rules, func(w io.Writer) error { return printTCPRules(w, rules) })
				}
			})},
		componentNode("create", "Forwards a gateway address to a component's port, opening the port to the\n"+
			"outside. The console has no way to change or delete a TCP rule afterwards.",
			"  rainbond gateway tcp create "+exampleComponent+" --port 6379 --end-point 0.0.0.0:30001",
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				rule := tcpRule(fs)
				return func(ctx context.Context, _ []string) error {
					in, err := rule(c)
					if err != nil {
						return err
					}
					all, _, err := s.client.Gateway.CreateTCPRule(ctx, c.team, c.region, c.app, in)
					if err != nil {
						return err
					}
					return s.print("created the rule for "+in.EndPoint, all.TCP, func(w io.Writer) error { return printTCPRules(w, all.TCP) })
				}
			}),
		componentNode("ensure", "Makes a gateway address forward to a component's port: creates the rule, or\n"+
			"says it is unchanged. An address forwarded elsewhere is an error (exit 3): the\n"+
			"console cannot change a TCP rule.",
			"  rainbond gateway tcp ensure "+exampleComponent+" --port 6379 --end-point 0.0.0.0:30001",
			func(fs *flag.FlagSet, s *session, c *componentFlags) action {
				rule := tcpRule(fs)
				return func(ctx context.Context, _ []string) error {
					in, err := rule(c)
					if err != nil {
						return err
					}
					got, done, err := s.client.Gateway.EnsureTCPRule(ctx, c.team, c.region, c.app, in)
					if err != nil {
						return err
					}
					result := map[string]any{"outcome": done.Outcome, "rule": got}
					return s.printf(fmt.Sprintf("%s rule for %s", done.Outcome, in.EndPoint), result, "%s → port %d of %s: %s (rule %s)\n", got.EndPoint, got.ContainerPort, got.ServiceAlias, done.Outcome, got.TCPRuleID)
				}
			}),
	}
}

// details writes name: value lines, the values aligned.
func details(w io.Writer, pairs [][2]string) error {
	if len(pairs) == 0 {
		return nil
	}
	rows := make([][]string, len(pairs)-1)
	for i, p := range pairs[1:] {
		rows[i] = []string{p[0] + ":", p[1]}
	}
	return table(w, pairs[0][0]+":\t"+pairs[0][1], rows)
}

// printRule writes one HTTP rule, every condition and setting. component
// names the component as the user named it; "" shows its alias, since the
// rule's service_alias is the display name of the component it was made
// for, which the console keeps when an update moves the rule.
func printRule(w io.Writer, r *rainbond.HTTPRule, component string) error {
	cert := "none"
	if r.CertificateID != 0 {
		cert = strconv.Itoa(r.CertificateID)
	}
	autoSSL := strconv.FormatBool(r.AutoSSL)
	if r.AutoSSLConfig != "" {
		autoSSL += " (" + r.AutoSSLConfig + ")"
	}
	return details(w, [][2]string{
		{"Rule", r.HTTPRuleID}, {"URL", r.URL()}, {"Component", fmt.Sprintf("%s (%s)", cmp.Or(component, r.ServiceName), r.ServiceID)},
		{"Port", strconv.Itoa(r.ContainerPort)}, {"Header", r.DomainHeader}, {"Cookie", r.DomainCookie},
		{"Weight", strconv.Itoa(r.TheWeight)}, {"Certificate", cert}, {"Auto SSL", autoSSL},
	})
}

// ruleFlags name an HTTP rule of an app.
type ruleFlags struct {
	appFlags
	rule string
}

func (r *ruleFlags) register(fs *flag.FlagSet) {
	r.appFlags.register(fs)
	fs.StringVar(&r.rule, "rule", "", "the rule's id (required; see gateway http list)")
}

const exampleRule = "--team o19p6wen --region rainbond --app 12 --rule 5f4e3d2c1b0a"

func gatewayHTTPGet() *node {
	return &node{name: "get", summary: "Shows an HTTP domain rule of an app: its conditions, certificate and auto-SSL.", console: true,
		example: "  rainbond gateway http get " + exampleRule + " -o json | jq .certificate_id",
		setup: func(fs *flag.FlagSet, s *session) action {
			var r ruleFlags
			r.register(fs)
			return func(ctx context.Context, _ []string) error {
				rule, _, err := s.client.Gateway.GetHTTPRule(ctx, r.team, r.region, r.app, r.rule)
				if err != nil {
					return err
				}
				return s.print("read rule "+r.rule, rule, func(w io.Writer) error { return printRule(w, rule, "") })
			}
		}}
}

func gatewayHTTPUpdate() *node {
	return &node{name: "update", console: true,
		summary: "Changes an HTTP domain rule: its component, port, domain, path, cookie, weight,\n" +
			"certificate or auto-SSL. It reads the rule first: what no flag changes is kept\n" +
			"(the console would otherwise drop the certificate and the auto-SSL config, which\n" +
			"it writes on every update). --certificate 0 removes the certificate (the rule\n" +
			"becomes http); --auto-ssl-config \"\" removes the config. The header condition\n" +
			"cannot be changed (the console fails on it): delete the rule and create it again.",
		example: "  rainbond gateway http update " + exampleRule + " --path /shop --certificate 12",
		setup: func(fs *flag.FlagSet, s *session) action {
			var r ruleFlags
			var change rainbond.HTTPRuleUpdate
			var autoSSL optionalBool
			r.register(fs)
			component := fs.String("component", "", "route to this component instead (name, k8s name, alias or id)")
			port := fs.Int("port", 0, "the component's port")
			domain := fs.String("domain", "", "the domain")
			path := fs.String("path", "", "the path to match")
			cookie := fs.String("cookie", "", "the cookie condition (the console cannot remove one)")
			weight := fs.Int("weight", 0, "the rule's weight")
			cert := fs.Int("certificate", 0, "a certificate id of the team; 0 removes the certificate (default: kept)")
			fs.Var(&autoSSL, "auto-ssl", "true or false: let an outside service issue the certificate (default: kept)")
			sslConfig := fs.String("auto-ssl-config", "", "how it does; \"\" removes it (default: kept)")
			return func(ctx context.Context, _ []string) error {
				var set []string
				fs.Visit(func(f *flag.Flag) {
					switch f.Name {
					case "component", "port", "domain", "path", "cookie", "weight", "certificate", "auto-ssl", "auto-ssl-config":
						set = append(set, "--"+f.Name)
					}
				})
				if len(set) == 0 {
					return usagef("name what to change: --component, --port, --domain, --path, --cookie, --weight, --certificate, --auto-ssl or --auto-ssl-config")
				}
				rule, _, err := s.client.Gateway.GetHTTPRule(ctx, r.team, r.region, r.app, r.rule)
				if err != nil {
					return err
				}
				change.ServiceID, change.CertificateID, change.AutoSSLConfig = rule.ServiceID, &rule.CertificateID, &rule.AutoSSLConfig
				change.AutoSSL = autoSSL.v
				var failed error
				fs.Visit(func(f *flag.Flag) {
					switch f.Name {
					case "component":
						change.ServiceID, failed = s.componentID(ctx, &r.appFlags, *component)
					case "port":
						change.ContainerPort = port
					case "domain":
						change.DomainName = domain
					case "path":
						change.DomainPath = path
					case "cookie":
						change.DomainCookie = cookie
					case "weight":
						change.TheWeight = weight
					case "certificate":
						change.CertificateID = cert
					case "auto-ssl-config":
						change.AutoSSLConfig = sslConfig
					}
				})
				if failed != nil {
					return failed
				}
				updated, _, err := s.client.Gateway.UpdateHTTPRule(ctx, r.team, r.region, r.app, r.rule, &change)
				if err != nil {
					return err
				}
				return s.print("updated rule "+r.rule, updated, func(w io.Writer) error {
					fmt.Fprintf(w, "Updated rule %s (%s): %s\n", r.rule, updated.URL(), strings.Join(set, ", "))
					return printRule(w, updated, *component)
				})
			}
		}}
}

func gatewayHTTPListEnterprise() *node {
	return &node{name: "list-enterprise", console: true,
		summary: "Lists the HTTP domain rules of every team of the token's enterprise, with their\nteam, region and app.",
		example: "  rainbond gateway http list-enterprise --auto-ssl true -o json | jq -r '.[].domain_name'",
		setup: func(fs *flag.FlagSet, s *session) action {
			var autoSSL optionalBool
			fs.Var(&autoSSL, "auto-ssl", "true or false: keep the rules whose auto-SSL is on, or off (default: all)")
			return func(ctx context.Context, _ []string) error {
				rules, _, err := s.client.Gateway.ListEnterpriseHTTPRules(ctx, &rainbond.ListEnterpriseHTTPRulesOptions{AutoSSL: autoSSL.v})
				if err != nil {
					return err
				}
				return s.print("listed the enterprise's rules", rules, func(w io.Writer) error {
					rows := make([][]string, len(rules))
					for i, r := range rules {
						rows[i] = []string{r.TeamName, r.RegionName, strconv.FormatInt(r.AppID, 10), r.HTTPRuleID, r.URL(), r.ServiceAlias, strconv.Itoa(r.ContainerPort)}
					}
					return table(w, "TEAM\tREGION\tAPP\tRULE ID\tURL\tCOMPONENT\tPORT", rows)
				})
			}
		}}
}

func gatewayRules() *node {
	return &node{name: "rules", summary: "Lists every gateway rule of an app, HTTP and TCP.", console: true,
		example: "  rainbond gateway rules --team o19p6wen --region rainbond --app 12 -o json | jq -r '.tcp[].end_point'",
		setup: withApp(func(fs *flag.FlagSet, s *session, a *appFlags) action {
			return func(ctx context.Context, _ []string) error {
				rules, _, err := s.client.Gateway.ListRules(ctx, a.team, a.region, a.app)
				if err != nil {
					return err
				}
				return s.print("listed rules", rules, func(w io.Writer) error {
					rows := make([][]string, 0, len(rules.HTTP)+len(rules.TCP))
					for _, r := range rules.HTTP {
						rows = append(rows, []string{"http", r.HTTPRuleID, r.URL(), r.ServiceAlias, strconv.Itoa(r.ContainerPort)})
					}
					for _, r := range rules.TCP {
						rows = append(rows, []string{"tcp", r.TCPRuleID, r.EndPoint, r.ServiceAlias, strconv.Itoa(r.ContainerPort)})
					}
					return table(w, "KIND\tRULE ID\tADDRESS\tCOMPONENT\tPORT", rows)
				})
			}
		})}
}

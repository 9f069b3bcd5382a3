package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"

	"github.com/rbdkit/rainbond-go"
)

// The gateway's commands: HTTP domain rules and TCP rules.

func gatewayCommands() []*node {
	return []*node{{name: "http", subs: gatewayHTTPCommands()}, {name: "tcp", subs: gatewayTCPCommands()}}
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
					return s.print("published "+created.URL(), created, func(w io.Writer) error {
						_, err := fmt.Fprintf(w, "Published %s (rule %s)\n", created.URL(), created.HTTPRuleID)
						return err
					})
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
					return s.print(fmt.Sprintf("%s rule for %s", done.Outcome, rule.URL()), result, func(w io.Writer) error {
						_, err := fmt.Fprintf(w, "%s: %s (rule %s)%s\n", rule.URL(), done.Outcome, rule.HTTPRuleID, changedFields(done))
						return err
					})
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
					return s.print("deleted rule "+*ruleID, rule, func(w io.Writer) error {
						_, err := fmt.Fprintf(w, "Deleted rule %s (%s)\n", *ruleID, rule.URL())
						return err
					})
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
					return s.print(fmt.Sprintf("%s rule for %s", done.Outcome, in.EndPoint), result, func(w io.Writer) error {
						_, err := fmt.Fprintf(w, "%s → port %d of %s: %s (rule %s)\n", got.EndPoint, got.ContainerPort, got.ServiceAlias, done.Outcome, got.TCPRuleID)
						return err
					})
				}
			}),
	}
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rbdkit/rainbond-go"
)

// A team's TLS certificates. The PEM and the key come from files, never
// from flags: a key on the command line lands in shell history and ps.

const exampleTeam = "--team 0c7d5f2a9b3e4d18a6f0c2b4e8d1a3f5"

// certificateFlags read a certificate's alias, PEM and key.
type certificateFlags struct {
	alias, certFile, keyFile, kind string
}

func (c *certificateFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.alias, "alias", "", "the certificate's name in the team (required)")
	fs.StringVar(&c.certFile, "cert-file", "", "PEM file of the certificate, its chain after it (required)")
	fs.StringVar(&c.keyFile, "key-file", "", "PEM file of its private key (required)")
	fs.StringVar(&c.kind, "type", "", "what it is for (default 服务端证书, a server certificate)")
}

// read reads the files; the key is a secret of the command from then on.
func (c *certificateFlags) read(ctx context.Context, s *session) (*rainbond.CertificateCreate, error) {
	if c.certFile == "" || c.keyFile == "" {
		return nil, usagef("--cert-file and --key-file are required")
	}
	cert, err := s.readInput(ctx, "cert-file", c.certFile, maxPEMFile, false)
	if err != nil {
		return nil, err
	}
	key, err := s.secretFrom(ctx, "--key-file", c.keyFile, "")
	if err != nil {
		return nil, err
	}
	return &rainbond.CertificateCreate{Alias: c.alias, Certificate: strings.TrimSpace(string(cert)), PrivateKey: key, Type: rainbond.CertificateType(c.kind)}, nil
}

// teamFlag names a team by its tenant_id (the certificate routes do not
// take its name).
func teamFlag(fs *flag.FlagSet) *string {
	return fs.String("team", "", "the team's tenant_id (required)")
}

func printCertificate(w io.Writer, c *rainbond.Certificate, what string) error {
	_, err := fmt.Fprintf(w, "%s certificate %d (%s, %s)\n", what, c.ID, c.Alias, c.Type)
	return err
}

func certificatesCommands() []*node {
	return []*node{
		{name: "list", summary: "Lists a team's certificates, every page: names, issuer and expiry.", console: true,
			example: "  rainbond certificates list " + exampleTeam + " -o json | jq -r '.[] | select(.has_expired) | .alias'",
			setup: func(fs *flag.FlagSet, s *session) action {
				team := teamFlag(fs)
				return func(ctx context.Context, _ []string) error {
					certs, err := collect(s.client.Certificates.All(ctx, *team, nil))
					if err != nil {
						return err
					}
					return s.print("listed certificates", certs, func(w io.Writer) error {
						rows := make([][]string, len(certs))
						for i, c := range certs {
							rows[i] = []string{strconv.FormatInt(c.ID, 10), c.Alias, string(c.Type), strings.Join(c.IssuedTo, ","), c.EndDate, strconv.FormatBool(c.HasExpired)}
						}
						return table(w, "ID\tALIAS\tTYPE\tISSUED TO\tEXPIRES\tEXPIRED", rows)
					})
				}
			}},
		{name: "create", summary: "Adds a certificate to a team, from PEM files; the pair is checked first.", console: true,
			example: "  rainbond certificates create " + exampleTeam + " --alias shop --cert-file shop.crt --key-file shop.key -o json | jq .id",
			setup: func(fs *flag.FlagSet, s *session) action {
				team := teamFlag(fs)
				var cf certificateFlags
				cf.register(fs)
				return func(ctx context.Context, _ []string) error {
					in, err := cf.read(ctx, s)
					if err != nil {
						return err
					}
					created, _, err := s.client.Certificates.Create(ctx, *team, in)
					if err != nil {
						return err
					}
					return s.print(fmt.Sprintf("created certificate %d", created.ID), created, func(w io.Writer) error { return printCertificate(w, created, "Created") })
				}
			}},
		{name: "get", summary: "Shows a certificate and its PEM (never its key: -o json shows it redacted).", console: true,
			example: "  rainbond certificates get " + exampleTeam + " --id 12 -o json | jq -r .certificate > shop.crt",
			setup: func(fs *flag.FlagSet, s *session) action {
				team := teamFlag(fs)
				id := fs.Int64("id", 0, "the certificate's id (required)")
				return func(ctx context.Context, _ []string) error {
					cert, _, err := s.client.Certificates.Get(ctx, *team, *id)
					if err != nil {
						return err
					}
					return s.print("read certificate", cert, func(w io.Writer) error {
						if err := printCertificate(w, cert, "Got"); err != nil {
							return err
						}
						_, err := fmt.Fprintln(w, cert.Certificate)
						return err
					})
				}
			}},
		{name: "update", summary: "Replaces a certificate's alias, PEM and key (a rotation), from PEM files.", console: true,
			example: "  rainbond certificates update " + exampleTeam + " --id 12 --alias shop --cert-file shop.crt --key-file shop.key",
			setup: func(fs *flag.FlagSet, s *session) action {
				team := teamFlag(fs)
				id := fs.Int64("id", 0, "the certificate's id (required)")
				var cf certificateFlags
				cf.register(fs)
				return func(ctx context.Context, _ []string) error {
					in, err := cf.read(ctx, s)
					if err != nil {
						return err
					}
					updated, _, err := s.client.Certificates.Update(ctx, *team, *id, in)
					if err != nil {
						return err
					}
					return s.print(fmt.Sprintf("updated certificate %d", updated.ID), updated, func(w io.Writer) error { return printCertificate(w, updated, "Updated") })
				}
			}},
		{name: "delete", summary: "Deletes a certificate; refused (exit 3) while an HTTP rule uses it.", console: true,
			example: "  rainbond certificates delete " + exampleTeam + " --id 12",
			setup: func(fs *flag.FlagSet, s *session) action {
				team := teamFlag(fs)
				id := fs.Int64("id", 0, "the certificate's id (required)")
				return func(ctx context.Context, _ []string) error {
					if _, err := s.client.Certificates.Delete(ctx, *team, *id); err != nil {
						return err
					}
					result := map[string]any{"id": *id, "deleted": true}
					return s.printf(fmt.Sprintf("deleted certificate %d", *id), result, "Deleted certificate %d\n", *id)
				}
			}},
		{name: "ensure", summary: "Makes the team hold a certificate of that alias with these PEM files: creates\n" +
			"it, replaces its PEM and key when they differ (a rotation), or says it is unchanged.",
			console: true,
			example: "  rainbond certificates ensure " + exampleTeam + " --alias shop --cert-file shop.crt --key-file shop.key -o json | jq .certificate.id",
			setup: func(fs *flag.FlagSet, s *session) action {
				team := teamFlag(fs)
				var cf certificateFlags
				cf.register(fs)
				return func(ctx context.Context, _ []string) error {
					in, err := cf.read(ctx, s)
					if err != nil {
						return err
					}
					cert, done, err := s.client.Certificates.Ensure(ctx, *team, in)
					if err != nil {
						return err
					}
					result := map[string]any{"outcome": done.Outcome, "changed": done.Changed, "certificate": cert}
					return s.printf(fmt.Sprintf("%s certificate %d", done.Outcome, cert.ID), result, "Certificate %d (%s): %s%s\n", cert.ID, cert.Alias, done.Outcome, changedFields(done))
				}
			}},
	}
}

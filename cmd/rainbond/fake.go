package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	fs0 "io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// fakeConsoleCommand serves rainbondtest's fake console, for testing
// scripts without a real console.
func fakeConsoleCommand() *node {
	return &node{name: "fake-console",
		summary: "Serves a fake Rainbond console (the SDK's rainbondtest) until interrupted. It\n" +
			"prints the URL and token to use, and what it holds: teams, regions, apps, the\n" +
			"stores' app models and the local library. With --env, it prints export lines for\n" +
			"a shell to source instead (RAINBOND_URL, RAINBOND_TOKEN, and RAINBOND_FAKE_TEAM,\n" +
			"_TEAM_ID, _REGION, _APP, _MARKET_URL, _MARKET_DOMAIN, _MODEL, _MODEL_VERSION: the\n" +
			"first of each), what it holds going to stderr. --ready-file writes those lines\n" +
			"to a file once it serves (atomically: the file is whole when it appears), and\n" +
			"removes it when it stops. It holds its state in memory and answers as the real\n" +
			"console does, its quirks included. --seed replaces the default fixtures with a\n" +
			"JSON file's. The token is new on every run, unless --token-file or\n" +
			"$RAINBOND_FAKE_TOKEN gives one.",
		example: `  rainbond fake-console --ready-file /tmp/fake.env &
  until [ -e /tmp/fake.env ]; do sleep 0.1; done; . /tmp/fake.env
  rainbond apps list --team "$RAINBOND_FAKE_TEAM" --region "$RAINBOND_FAKE_REGION"`,
		setup: func(fs *flag.FlagSet, s *session) action {
			listen := fs.String("listen", "127.0.0.1:0", "address to listen on (port 0: any free port)")
			asEnv := fs.Bool("env", false, "print export lines for a shell to source (what it holds goes to stderr)")
			readyFile := fs.String("ready-file", "", "write the export lines to this file once serving (removed when it stops)")
			seedFile := fs.String("seed", "", "a JSON file of fixtures (regions, teams, apps, stores) replacing the default ones")
			version := fs.String("console-version", "", "answer as this console release, e.g. v5.16.0 (default: the newest)")
			transition := fs.Duration("transition", 0, "how long components take to build, start, stop or upgrade")
			tokenFile := fs.String("token-file", "", "file holding the token to accept (default $RAINBOND_FAKE_TOKEN, else a new random one)")
			return func(ctx context.Context, _ []string) error {
				token, err := s.fakeToken(ctx, *tokenFile)
				if err != nil {
					return err
				}
				if *readyFile != "" {
					// A file left by an earlier run must not pass for this one's.
					if err := os.Remove(*readyFile); err != nil && !errors.Is(err, fs0.ErrNotExist) {
						return usagef("--ready-file: %v", err)
					}
				}
				opts := []rainbondtest.Option{rainbondtest.WithConsoleVersion(*version), rainbondtest.WithTransitionTime(*transition), rainbondtest.WithToken(token)}
				var seed *rainbondtest.SeedFile
				if *seedFile != "" {
					f, err := os.Open(*seedFile)
					if err != nil {
						return usagef("--seed: %v", err)
					}
					seed, err = rainbondtest.ReadSeedFile(f)
					f.Close()
					if err != nil {
						return usagef("--seed %s: %v", *seedFile, err)
					}
					opts = append(opts, rainbondtest.WithSeedFile(seed))
				}
				l, err := net.Listen("tcp", *listen)
				if err != nil {
					return usagef("--listen: %v", err)
				}
				if addr, ok := l.Addr().(*net.TCPAddr); ok && !addr.IP.IsLoopback() {
					fmt.Fprintf(s.stderr, "rainbond: warning: the fake console listens on %s, beyond this machine: anyone who can reach it and has the token drives it\n", addr)
				}
				srv, err := rainbondtest.StartServer(append(opts, rainbondtest.WithListener(l))...)
				if err != nil {
					l.Close()
					return usagef("--seed %s: %v", *seedFile, err)
				}
				defer srv.Close()
				held, err := fakeHoldings(ctx, srv, seed)
				if err != nil {
					return fmt.Errorf("reading what the fake console holds: %w", err)
				}
				exports := held.exports(srv)
				if *asEnv {
					held.print(s.stderr) // first: once the exports are out, so is this
					io.WriteString(s.stdout, exports)
				} else {
					fmt.Fprintf(s.stdout, "Fake console at %s\nRAINBOND_URL=%s\nRAINBOND_TOKEN=%s\n\n", srv.URL, srv.URL, srv.Token)
					held.print(s.stdout)
				}
				if *readyFile != "" {
					if err := writeAtomically(*readyFile, exports); err != nil {
						return usagef("--ready-file: %v", err)
					}
					defer os.Remove(*readyFile)
				}
				fmt.Fprintln(s.stderr, "rainbond: serving a fake console; interrupt to stop")
				<-ctx.Done()
				return nil
			}
		}}
}

// holdings is what a fake console holds, as a script needs to know it.
type holdings struct {
	teams   []rainbond.TeamInfo
	regions map[string][]string // tenant_id: the regions the team is opened in
	all     []rainbond.RegionInfo
	apps    []rainbondtest.App
	stores  []rainbondtest.Store
	library []rainbondtest.AppModel
}

// fakeHoldings reads what srv holds: teams and regions through its API,
// apps and the local library from the server, stores from the seed (the
// default one's when seed is nil).
func fakeHoldings(ctx context.Context, srv *rainbondtest.Server, seed *rainbondtest.SeedFile) (*holdings, error) {
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		return nil, err
	}
	h := &holdings{regions: map[string][]string{}, apps: srv.Apps(), library: srv.LocalModels()}
	for t, err := range client.Teams.All(ctx, nil) {
		if err != nil {
			return nil, err
		}
		h.teams = append(h.teams, t)
		for r, err := range client.Teams.AllRegions(ctx, t.TenantID, nil) {
			if err != nil {
				return nil, err
			}
			h.regions[t.TenantID] = append(h.regions[t.TenantID], r.RegionName)
		}
	}
	if h.all, _, err = client.Regions.List(ctx); err != nil {
		return nil, err
	}
	if seed != nil {
		h.stores = seed.Stores
	} else if st := srv.Seed().Store; st.URL != "" {
		h.stores = []rainbondtest.Store{st}
	}
	return h, nil
}

// print writes what the console holds, in tables.
func (h *holdings) print(w io.Writer) {
	names := map[string]string{}
	rows := make([][]string, len(h.teams))
	for i, t := range h.teams {
		names[t.TenantID] = t.TenantName
		rows[i] = []string{t.TenantName, t.TenantID, t.TenantAlias, strings.Join(h.regions[t.TenantID], ",")}
	}
	fmt.Fprintln(w, "Teams (--team takes the name or the id):")
	table(w, "NAME\tTENANT ID\tDISPLAY NAME\tREGIONS", rows)
	rows = make([][]string, len(h.all))
	for i, r := range h.all {
		rows[i] = []string{r.RegionName, r.RegionAlias, regionStatus(r.Status)}
	}
	fmt.Fprintln(w, "\nRegions:")
	table(w, "NAME\tDISPLAY NAME\tSTATUS", rows)
	rows = make([][]string, len(h.apps))
	for i, a := range h.apps {
		rows[i] = []string{strconv.FormatInt(a.ID, 10), a.Name, cmp.Or(names[a.TenantID], a.TenantID), a.RegionName}
	}
	fmt.Fprintln(w, "\nApps:")
	table(w, "ID\tNAME\tTEAM\tREGION", rows)
	for _, st := range h.stores {
		fmt.Fprintf(w, "\nApp store %s (--market-url %s --market-domain %s):\n", st.Domain, st.URL, st.Domain)
		printModels(w, st.Models)
	}
	if len(h.library) > 0 {
		fmt.Fprintln(w, "\nLocal library (apps smart-deploy and canary --template):")
		printModels(w, h.library)
	}
}

func printModels(w io.Writer, models []rainbondtest.AppModel) {
	rows := make([][]string, len(models))
	for i, m := range models {
		versions := make([]string, len(m.Versions))
		for j, v := range m.Versions {
			versions[j] = v.Version
		}
		rows[i] = []string{m.ID, m.Name, strings.Join(versions, ",")}
	}
	table(w, "MODEL ID\tNAME\tVERSIONS", rows)
}

// exports are the export lines of the console's settings, and of the first
// team (with a region it is opened in, and an app of it there), store and
// model, for scripts.
func (h *holdings) exports(srv *rainbondtest.Server) string {
	vars := [][2]string{{"RAINBOND_URL", srv.URL}, {"RAINBOND_TOKEN", srv.Token}}
	if len(h.teams) > 0 {
		t := h.teams[0]
		vars = append(vars, [2]string{"RAINBOND_FAKE_TEAM", t.TenantName}, [2]string{"RAINBOND_FAKE_TEAM_ID", t.TenantID})
		if regions := h.regions[t.TenantID]; len(regions) > 0 {
			vars = append(vars, [2]string{"RAINBOND_FAKE_REGION", regions[0]})
			for _, a := range h.apps {
				if a.TenantID == t.TenantID && a.RegionName == regions[0] {
					vars = append(vars, [2]string{"RAINBOND_FAKE_APP", strconv.FormatInt(a.ID, 10)})
					break
				}
			}
		}
	}
	if len(h.stores) > 0 {
		st := h.stores[0]
		vars = append(vars, [2]string{"RAINBOND_FAKE_MARKET_URL", st.URL}, [2]string{"RAINBOND_FAKE_MARKET_DOMAIN", st.Domain})
		if len(st.Models) > 0 && len(st.Models[0].Versions) > 0 {
			vars = append(vars, [2]string{"RAINBOND_FAKE_MODEL", st.Models[0].ID}, [2]string{"RAINBOND_FAKE_MODEL_VERSION", st.Models[0].Versions[0].Version})
		}
	}
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeAtomically writes text to path through a file beside it renamed
// into place, so that a reader sees the whole file or none.
func writeAtomically(path, text string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(text)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// fakeToken is the token the fake console accepts: --token-file's, then
// $RAINBOND_FAKE_TOKEN, else a new random one, so that no published token
// opens it.
func (s *session) fakeToken(ctx context.Context, file string) (string, error) {
	if file != "" {
		return readSecretFile(ctx, "--token-file", file, s.stderr)
	}
	if t, ok := s.getenv("RAINBOND_FAKE_TOKEN"); ok && strings.TrimSpace(t) != "" {
		return strings.TrimSpace(t), nil
	}
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

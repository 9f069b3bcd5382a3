package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// fakeConsoleCommand serves rainbondtest's fake console, for testing
// scripts without a real console.
func fakeConsoleCommand() *node {
	return &node{name: "fake-console",
		summary: "Serves a fake Rainbond console (the SDK's rainbondtest) until interrupted, and\n" +
			"prints the URL and token to use, or, with --env, the export lines that set them.\n" +
			"It holds its state in memory and answers as the real console does, its quirks\n" +
			"included. --seed replaces the default fixtures with a JSON file's. The token is\n" +
			"new on every run, unless --token-file or $RAINBOND_FAKE_TOKEN gives one.",
		example: `  rainbond fake-console --env > /tmp/fake.env &
  sleep 1; . /tmp/fake.env          # RAINBOND_URL and RAINBOND_TOKEN
  rainbond teams list`,
		setup: func(fs *flag.FlagSet, s *session) action {
			listen := fs.String("listen", "127.0.0.1:0", "address to listen on (port 0: any free port)")
			asEnv := fs.Bool("env", false, "print export lines for a shell to source")
			seedFile := fs.String("seed", "", "a JSON file of fixtures (regions, teams, apps, stores) replacing the default ones")
			version := fs.String("console-version", "", "answer as this console release, e.g. v5.16.0 (default: the newest)")
			transition := fs.Duration("transition", 0, "how long components take to build, start, stop or upgrade")
			tokenFile := fs.String("token-file", "", "file holding the token to accept (default $RAINBOND_FAKE_TOKEN, else a new random one)")
			return func(ctx context.Context, _ []string) error {
				token, err := s.fakeToken(ctx, *tokenFile)
				if err != nil {
					return err
				}
				opts := []rainbondtest.Option{rainbondtest.WithConsoleVersion(*version), rainbondtest.WithTransitionTime(*transition), rainbondtest.WithToken(token)}
				if *seedFile != "" {
					f, err := os.Open(*seedFile)
					if err != nil {
						return usagef("--seed: %v", err)
					}
					seed, err := rainbondtest.ReadSeedFile(f)
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
				if *asEnv {
					fmt.Fprintf(s.stdout, "export RAINBOND_URL=%s\nexport RAINBOND_TOKEN=%s\n", srv.URL, srv.Token)
				} else {
					fmt.Fprintf(s.stdout, "Fake console at %s\nRAINBOND_URL=%s\nRAINBOND_TOKEN=%s\n", srv.URL, srv.URL, srv.Token)
				}
				fmt.Fprintln(s.stderr, "rainbond: serving a fake console; interrupt to stop")
				<-ctx.Done()
				return nil
			}
		}}
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

// completionCommand prints a shell completion script.
func completionCommand() *node {
	return &node{name: "completion", args: "bash|zsh", minArgs: 1, maxArgs: 1,
		summary: "Prints a completion script for bash or zsh, for commands and flags.",
		example: `  source <(rainbond completion bash)                       # bash, this shell
  rainbond completion zsh > "${fpath[1]}/_rainbond"         # zsh, from the next shell on`,
		setup: func(fs *flag.FlagSet, s *session) action {
			return func(_ context.Context, args []string) error {
				script := bashCompletion(commands())
				switch args[0] {
				case "bash":
				case "zsh":
					script = "#compdef rainbond\n\nautoload -U +X bashcompinit && bashcompinit\n\n" + script
				default:
					return usagef("completion for %q: want bash or zsh", args[0])
				}
				return emit(s.stdout, func(t string) string { return t }, "completion", func(w io.Writer) error {
					_, err := io.WriteString(w, script)
					return err
				})
			}
		}}
}

// bashCompletion is a bash completion function from the tree: the words
// typed before the first flag name a node; a group completes its
// children, a command its flags (and -o its values).
func bashCompletion(root *node) string {
	cases := map[string]string{}
	var add func(path string, n *node)
	add = func(path string, n *node) {
		if n.subs != nil {
			names := make([]string, len(n.subs))
			for i, c := range n.subs {
				names[i] = c.name
				p := c.name
				if path != "" {
					p = path + " " + c.name
				}
				add(p, c)
			}
			cases[path] = strings.Join(names, " ")
			return
		}
		words := n.flagNames()
		if n.name == "completion" {
			words = append(words, "bash", "zsh")
		}
		cases[path] = strings.Join(words, " ")
	}
	add("", root)
	paths := make([]string, 0, len(cases))
	for p := range cases {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString(`# bash completion for rainbond, generated by "rainbond completion bash".
_rainbond() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in -*) break ;; esac
    path="${path:+$path }${COMP_WORDS[i]}"
  done
  if [[ "$prev" == "-o" ]]; then
    COMPREPLY=($(compgen -W "table json" -- "$cur"))
    return
  fi
  local words=""
  case "$path" in
`)
	for _, p := range paths {
		fmt.Fprintf(&b, "    %q) words=%q ;;\n", p, cases[p])
	}
	b.WriteString(`  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _rainbond rainbond
`)
	return b.String()
}

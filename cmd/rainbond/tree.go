package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The command tree. The standard library's flag package parses each
// leaf's flags; this file adds what a tree of commands needs on top:
// groups, positional arguments among flags, help at every level,
// and the data shell completion is generated from. (A CLI library would
// do the same from a module of its own; at this size the tree is short
// enough to keep the command free of dependencies and `go install`able
// from the SDK's module.)

// node is a group of commands (subs) or a command (setup).
type node struct {
	name    string
	summary string
	// args names a command's positional arguments for its usage, e.g.
	// "METHOD PATH"; minArgs and maxArgs bound their number (-1: any).
	args             string
	minArgs, maxArgs int
	// console marks a command that talks to a console: it takes the
	// common flags (--url, --token-file, -o, --timeout...).
	console bool
	// example is shown by --help; every command has one.
	example string
	// wait is how the command waits, when it does: its own default
	// --timeout then.
	wait *waitSpec
	// hidden leaves the command out of help and completion (a command
	// that completion scripts call).
	hidden bool
	// raw takes every argument as positional: no flags are parsed.
	raw  bool
	subs []*node
	// setup registers a command's flags on fs and returns what runs it.
	setup func(fs *flag.FlagSet, s *session) action
}

// action runs a command with its positional arguments.
type action func(ctx context.Context, args []string) error

// find walks args down the tree: the deepest node they name, and the
// arguments left.
func (n *node) find(args []string) (*node, []string, []string) {
	path := []string{}
	for n.subs != nil && len(args) > 0 {
		i := slices.IndexFunc(n.subs, func(c *node) bool { return c.name == args[0] })
		if i < 0 {
			break
		}
		n, path, args = n.subs[i], append(path, args[0]), args[1:]
	}
	return n, path, args
}

// runTree runs the command args name.
func runTree(ctx context.Context, root *node, args []string, s *session) int {
	n, path, rest := root.find(args)
	name := strings.Join(path, " ")
	if n.subs != nil {
		switch {
		case len(rest) == 0:
			n.printGroupUsage(s.stderr, name)
			return exitUsage
		case isHelp(rest[0]):
			n.printGroupUsage(s.stdout, name)
			return exitOK
		case name == "":
			return usageError(s.stderr, "unknown command %q; see rainbond --help", rest[0])
		}
		return usageError(s.stderr, "unknown command \"%s %s\"; see rainbond %s --help", name, rest[0], name)
	}
	fs := n.flagSet(name)
	if n.console {
		s.common.register(fs)
	}
	act := n.setup(fs, s)
	var positional []string
	switch {
	case n.raw && len(rest) > 0 && isHelp(rest[0]):
		fs.SetOutput(s.stdout)
		fs.Usage()
		return exitOK
	case n.raw:
		positional = rest
	default:
		var code int
		var ok bool
		if positional, code, ok = parseInterleaved(fs, rest, s.stdout, s.stderr); !ok {
			return code
		}
	}
	s.flags = fs
	if n.console {
		n.applyTimeout(fs, s)
	}
	switch {
	case n.maxArgs == 0 && len(positional) > 0:
		return usageError(s.stderr, "unexpected argument %q; see --help", positional[0])
	case len(positional) < n.minArgs || (n.maxArgs >= 0 && len(positional) > n.maxArgs):
		return usageError(s.stderr, "rainbond %s takes %s; see --help", name, n.args)
	}
	if n.console {
		// Every console command is bounded by --timeout and has its client.
		var cancel context.CancelFunc
		var err error
		if ctx, cancel, err = s.start(ctx); err != nil {
			return finish(err, s)
		}
		defer cancel()
	}
	return finish(act(ctx, positional), s)
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// flagSet is a command's flag set, with a usage that shows its example.
func (n *node) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		args := " [flags]"
		if n.args != "" {
			args += " " + n.args
		}
		fmt.Fprintf(w, "Usage: rainbond %s%s\n\n%s\n\nExample:\n%s\n", name, args, n.summary, n.example)
		n.printFlags(w, fs)
	}
	return fs
}

// hiddenFlag marks the usage of a flag help does not show: an old name
// kept working.
const hiddenFlag = "\x00hidden: "

// printFlags lists the command's flags as --name, its own first, then the
// common ones, with their defaults (--timeout's as the command's wait
// sets it).
func (n *node) printFlags(w io.Writer, fs *flag.FlagSet) {
	var own, shared []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		switch {
		case strings.HasPrefix(f.Usage, hiddenFlag):
		case n.console && commonFlags[f.Name]:
			shared = append(shared, f)
		default:
			own = append(own, f)
		}
	})
	for _, group := range []struct {
		title string
		flags []*flag.Flag
	}{{"Flags", own}, {"Common flags", shared}} {
		if len(group.flags) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", group.title)
		for _, f := range group.flags {
			kind, usage := flag.UnquoteUsage(f)
			line := "  " + flagName(f.Name)
			if kind != "" {
				line += " " + kind
			}
			def := f.DefValue
			if f.Name == "timeout" && n.console {
				def = n.timeoutHelp()
			} else if kind == "string" && def != "" {
				def = strconv.Quote(def)
			}
			if !slices.Contains([]string{"", "0", "-1", "false", "0s", "[]"}, def) {
				usage += " (default " + def + ")"
			}
			fmt.Fprintf(w, "%s\n      %s\n", line, strings.ReplaceAll(usage, "\n", "\n      "))
		}
	}
}

// flagName is how a flag is written: --name, or -o for a one-letter flag.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// parseInterleaved parses flags placed before, between or after the
// positional arguments, and returns those. ok is false when the command
// is done: help was asked for (code 0) or the flags were wrong (code 2).
func parseInterleaved(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (positional []string, code int, ok bool) {
	fs.SetOutput(io.Discard)
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, exitOK, false
		case err != nil:
			return nil, usageError(stderr, "%s; see --help", flagError(err)), false
		}
		if fs.NArg() == 0 {
			return positional, 0, true
		}
		positional, args = append(positional, fs.Arg(0)), fs.Args()[1:]
	}
}

func (n *node) printGroupUsage(w io.Writer, name string) {
	if name == "" {
		fmt.Fprint(w, "rainbond drives a Rainbond console's OpenAPI from scripts.\n\nUsage:\n")
	} else {
		fmt.Fprintf(w, "Usage:\n")
	}
	var lines [][2]string
	n.walk(name, func(path string, leaf *node) {
		if leaf.hidden {
			return
		}
		usage := path
		if leaf.args != "" {
			usage += " " + leaf.args
		}
		lines = append(lines, [2]string{usage, leaf.summaryLine()})
	})
	width := 0
	for _, l := range lines {
		width = max(width, len(l[0]))
	}
	for _, l := range lines {
		fmt.Fprintf(w, "  rainbond %-*s  %s\n", width, l[0], l[1])
	}
	fmt.Fprint(w, `
Run "rainbond COMMAND --help" for a command's flags and an example.
Settings: --url or RAINBOND_URL; --token-file, RAINBOND_TOKEN or RAINBOND_TOKEN_FILE.
Waits print their progress on stderr (--quiet: none); --timeout defaults to 1m, and
to more for a command that waits (its --help says how long).
Exit codes: 0 success; 2 usage or validation error (nothing sent); 3 the console
answered with an error (4xx), or a component name matches none or several; 4 server
or transport failure; 5 done, but its result could not be written; 6 waited, and what
was waited for failed (or a canary's gate failed); 7 waited, and the time ran out first.
whoami adds 8, the token is refused, and 9, no Rainbond OpenAPI at --url.
`)
}

// summaryLine is the first sentence of a summary.
func (n *node) summaryLine() string {
	line := strings.ReplaceAll(n.summary, "\n", " ")
	line, _, _ = strings.Cut(line, ". ")
	return strings.TrimSuffix(line, ".")
}

// walk calls f for every command below n, by its path.
func (n *node) walk(path string, f func(path string, leaf *node)) {
	if n.subs == nil {
		f(path, n)
		return
	}
	for _, c := range n.subs {
		p := c.name
		if path != "" {
			p = path + " " + c.name
		}
		c.walk(p, f)
	}
}

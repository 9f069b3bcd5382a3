package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// Following what already runs: an event's log (a build started by another
// job or in the console's UI), and a component's events as they come.

// lineWriter writes a stream's items to stdout as they come, secrets
// redacted: text lines, or one JSON object per line with -o json. It
// keeps the first write error, for the command's exit code.
type lineWriter struct {
	s    *session
	what string // what was read, for the error should a write fail
	err  error
}

func (l *lineWriter) text(line string) {
	l.write(func(w io.Writer) error { _, err := fmt.Fprintln(w, line); return err })
}

func (l *lineWriter) json(v any) {
	l.write(func(w io.Writer) error {
		b, err := json.Marshal(v)
		if err == nil {
			_, err = fmt.Fprintf(w, "%s\n", b)
		}
		return err
	})
}

func (l *lineWriter) write(print func(io.Writer) error) {
	if l.err == nil {
		l.err = emit(l.s.stdout, l.s.redact, l.what, print)
	}
}

func componentsLogs() *node {
	return &node{name: "logs", console: true, wait: waitsWith("follow", buildWait),
		summary: "Prints the log of an event (a build's output). With --follow, follows an event\n" +
			"started elsewhere (another job, the console's UI) until it ends, its lines printed\n" +
			"as they come (-o json: one JSON object a line), and exits as build --wait does\n" +
			"(6 the event failed, 7 --timeout ran out); --follow needs --app and --component.",
		example: "  rainbond components logs --team o19p6wen --region rainbond --event 5f4e3d2c1b0a\n" +
			"  rainbond components logs " + exampleComponent + " --event 5f4e3d2c1b0a --follow",
		setup: func(fs *flag.FlagSet, s *session) action {
			var c componentFlags
			c.registerWhen(fs, "with --follow")
			event := fs.String("event", "", "the event's id (required)")
			follow := fs.Bool("follow", false, "follow the event until it ends, printing its log as it grows")
			interval := fs.Duration("interval", 2*time.Second, "first wait between two polls, with --follow")
			return func(ctx context.Context, _ []string) error {
				if !*follow {
					lines, _, err := s.client.Components.EventLogs(ctx, c.team, c.region, *event)
					if err != nil {
						return err
					}
					return s.print("read the log of "+*event, lines, func(w io.Writer) error {
						for _, l := range lines {
							fmt.Fprintln(w, l.Message)
						}
						return nil
					})
				}
				if c.app == 0 || c.component == "" {
					return usagef("--follow needs --app and --component: the console finds an event among its component's events")
				}
				if err := c.resolve(ctx, s); err != nil {
					return err
				}
				out := &lineWriter{s: s, what: "followed the log of " + *event}
				opts := &rainbond.EventWaitOptions{Interval: *interval, Logs: func(line rainbond.EventLogLine, err error) {
					switch {
					case err != nil:
						fmt.Fprintf(s.stderr, "rainbond: the event's log cannot be read: %s\n", s.redact(err.Error()))
					case s.output == "json":
						out.json(line)
					default:
						out.text(line.Message)
					}
				}}
				t := s.wait(fmt.Sprintf("event %s of component %s", *event, c.given))
				opts.OnPoll = t.event
				done, err := s.client.Components.WaitForEvent(ctx, c.team, c.region, c.app, c.component, *event, opts)
				if err := t.result(ctx, err); err != nil {
					return err
				}
				t.say("event %s (%s): %s", done.EventID, done.OptType, done.Status)
				return out.err
			}
		}}
}

func printEvents(w io.Writer, events []rainbond.ComponentEvent) error {
	rows := make([][]string, len(events))
	for i, e := range events {
		rows[i] = []string{e.EventID, e.OptType, e.Status.String(), e.CreateTime, e.Message}
	}
	return table(w, "EVENT ID\tOPERATION\tSTATUS\tCREATED\tMESSAGE", rows)
}

func componentsEvents() *node {
	n := componentNode("events", "Lists a component's events, newest first: a page, or with --all every page. With\n"+
		"--watch, prints them as they appear or change status, oldest first, until --timeout\n"+
		"or an interrupt ends the watch (exit 0); -o json then prints one JSON object a line.",
		"  rainbond components events "+exampleComponent+" --page-size 5\n"+
			"  rainbond components events "+exampleComponent+" --all -o json | jq -r '.[] | select(.status == \"failure\") | .event_id'\n"+
			"  rainbond components events "+exampleComponent+" --watch --timeout 1h",
		func(fs *flag.FlagSet, s *session, c *componentFlags) action {
			var o rainbond.ListOptions
			fs.IntVar(&o.Page, "page", 1, "page number")
			fs.IntVar(&o.PageSize, "page-size", 10, "events per page")
			all := fs.Bool("all", false, "every event, page after page (--page-size events a request, 50 unless given)")
			watch := fs.Bool("watch", false, "print new events and changes of status as they come, until --timeout")
			interval := fs.Duration("interval", 2*time.Second, "time between two polls, with --watch")
			return func(ctx context.Context, _ []string) error {
				switch {
				case *all && *watch:
					return usagef("--all and --watch exclude each other")
				case *all && isFlagSet(fs, "page"):
					return usagef("--all and --page exclude each other")
				case *watch:
					return watchEvents(ctx, s, c, &o, *interval)
				case *all:
					if o.Page = 0; !isFlagSet(fs, "page-size") {
						o.PageSize = 50
					}
					events, err := collect(s.client.Components.AllEvents(ctx, c.team, c.region, c.app, c.component, &o))
					if err != nil {
						return err
					}
					return s.print(fmt.Sprintf("listed %d events", len(events)), events, func(w io.Writer) error { return printEvents(w, events) })
				}
				page, _, err := s.client.Components.ListEvents(ctx, c.team, c.region, c.app, c.component, &o)
				if err != nil {
					return err
				}
				return s.print("listed events", page, func(w io.Writer) error { return printEvents(w, page.Events) })
			}
		})
	n.wait = waitsWith("watch", watchWait)
	return n
}

// watchEvents polls a component's events until ctx ends, printing each
// new event and each change of an event's status.
func watchEvents(ctx context.Context, s *session, c *componentFlags, o *rainbond.ListOptions, interval time.Duration) error {
	if interval < rainbond.MinPollInterval {
		return usagef("--interval %s: at least %s", interval, rainbond.MinPollInterval)
	}
	out := &lineWriter{s: s, what: "watched events"}
	seen := map[string]string{}
	if s.output != "json" {
		out.text("CREATED  EVENT ID  OPERATION  STATUS  MESSAGE")
	}
	for out.err == nil {
		page, _, err := s.client.Components.ListEvents(ctx, c.team, c.region, c.app, c.component, o)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return err
		}
		events := slices.Clone(page.Events)
		slices.Reverse(events)
		for _, e := range events {
			state := string(e.Status) + "/" + string(e.FinalStatus) + "/" + e.Message
			if seen[e.EventID] == state {
				continue
			}
			seen[e.EventID] = state
			if s.output == "json" {
				out.json(e)
			} else {
				out.text(fmt.Sprintf("%s  %s  %s  %s  %s", e.CreateTime, e.EventID, e.OptType, e.Status, e.Message))
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(interval):
			continue
		}
		break
	}
	if out.err == nil {
		fmt.Fprintf(s.progress(), "rainbond: [%s] stopped watching the events of %s\n", fmtDuration(time.Since(s.started).Round(time.Second)), c.given)
	}
	return out.err
}

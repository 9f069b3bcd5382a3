package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// common are the flags every command that talks to a console accepts.
type common struct {
	url       string
	tokenFile string
	output    string
	timeout   time.Duration
	retries   int
	verbose   bool
	dryRun    bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "url", "", "console address, e.g. http://192.168.2.225:7070 (default $RAINBOND_URL)")
	fs.StringVar(&c.tokenFile, "token-file", "", "file holding the API token (default $RAINBOND_TOKEN, then the file named by $RAINBOND_TOKEN_FILE)")
	fs.StringVar(&c.output, "o", "table", "output: table or json")
	fs.DurationVar(&c.timeout, "timeout", time.Minute, "time limit for the whole command, retries and waits included")
	fs.IntVar(&c.retries, "retries", 2, "retries of a request that failed in a way that is safe to retry (0: none)")
	fs.BoolVar(&c.verbose, "verbose", false, "log each HTTP attempt on stderr (secrets redacted)")
	fs.BoolVar(&c.dryRun, "dry-run", false, "print the request that would be sent and exit without sending it")
}

// session is one run of a command: its settings, surroundings, and the
// client once started.
type session struct {
	common
	getenv         env
	stdout, stderr io.Writer
	// terminal reports stderr a terminal: waits show their progress there.
	terminal bool
	client   *rainbond.Client
	// secrets are the values to redact from everything the command
	// prints, besides the token: every secret the environment holds,
	// whether this call uses it or not, and those read from files.
	secrets []string
}

// secretVariables are the environment variables that hold secrets.
var secretVariables = []string{"RAINBOND_TOKEN", "RAINBOND_MARKET_ACCESS_KEY", "RAINBOND_BUILD_PASSWORD"}

// envSecrets reads every secret the environment holds, so that none is
// printed, whatever the command.
func envSecrets(getenv env) []string {
	var out []string
	for _, name := range secretVariables {
		if v, ok := getenv(name); ok && strings.TrimSpace(v) != "" {
			out = append(out, v, strings.TrimSpace(v))
		}
	}
	return out
}

// start bounds ctx by --timeout and builds the client.
func (s *session) start(ctx context.Context) (context.Context, context.CancelFunc, error) {
	ctx, cancel := s.context(ctx)
	client, err := s.common.client(ctx, s.getenv, s.stdout, s.stderr)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	s.client = client
	return ctx, cancel, nil
}

// redact removes the token and every secret the command knows from text.
func (s *session) redact(text string) string {
	if s.client == nil {
		return rainbond.Redact(text, s.secrets...)
	}
	return rainbond.Redact(s.client.Redact(text, s.secrets...))
}

// print writes a result: v as JSON with -o json, else what table writes.
// done says what succeeded, for the error should the write fail.
func (s *session) print(done string, v any, table func(io.Writer) error) error {
	return emit(s.stdout, s.redact, done, func(w io.Writer) error {
		if s.output == "json" {
			return printJSON(w, v)
		}
		return table(w)
	})
}

// progress is where a wait shows its progress: stderr when it is a
// terminal, nowhere otherwise, so that logs of scripts stay clean.
func (s *session) progress() io.Writer {
	if s.terminal {
		return s.stderr
	}
	return io.Discard
}

// usageFailure is a problem with the command line or the settings; nothing
// was sent.
type usageFailure struct{ msg string }

func (e *usageFailure) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageFailure{msg: fmt.Sprintf(format, args...)}
}

func usageError(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "rainbond: "+format+"\n", args...)
	return exitUsage
}

// client builds the SDK client from flags, then the environment, reading
// secret files within ctx. In dry run it sends nothing: its transport
// prints the request instead.
func (c *common) client(ctx context.Context, getenv env, stdout, stderr io.Writer) (*rainbond.Client, error) {
	if c.output != "table" && c.output != "json" {
		return nil, usagef("-o %q: want table or json", c.output)
	}
	if c.timeout <= 0 {
		return nil, usagef("--timeout %v: must be positive", c.timeout)
	}
	if c.retries < 0 || c.retries > 10 {
		return nil, usagef("--retries %d: want 0 to 10", c.retries)
	}
	url := c.url
	if url == "" {
		url, _ = getenv("RAINBOND_URL")
	}
	if url == "" {
		return nil, usagef("no console address: pass --url or set RAINBOND_URL")
	}
	token, err := c.token(ctx, getenv, stderr)
	if err != nil {
		return nil, err
	}
	opts := []rainbond.Option{
		rainbond.WithToken(token),
		rainbond.WithTimeout(min(c.timeout, time.Minute)), // per attempt; --timeout bounds the whole command
		rainbond.WithUserAgent("rainbond-cli/" + rainbond.Version),
	}
	if c.retries != 2 {
		policy := rainbond.DefaultRetryPolicy
		policy.MaxAttempts = c.retries + 1
		opts = append(opts, rainbond.WithRetry(policy))
	}
	if c.verbose {
		opts = append(opts, rainbond.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if c.dryRun {
		opts = append(opts, rainbond.WithTransport(dryRun{out: stdout}), rainbond.WithRetry(rainbond.NoRetry))
	}
	client, err := rainbond.NewClient(url, opts...)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return client, nil
}

// token is --token-file, then $RAINBOND_TOKEN, then the file named by
// $RAINBOND_TOKEN_FILE.
func (c *common) token(ctx context.Context, getenv env, stderr io.Writer) (string, error) {
	if c.tokenFile != "" {
		return readSecretFile(ctx, "--token-file", c.tokenFile, stderr)
	}
	if t, ok := getenv("RAINBOND_TOKEN"); ok && t != "" {
		return strings.TrimSpace(t), nil
	}
	if f, ok := getenv("RAINBOND_TOKEN_FILE"); ok && f != "" {
		return readSecretFile(ctx, "RAINBOND_TOKEN_FILE", f, stderr)
	}
	return "", usagef("no API token: pass --token-file or set RAINBOND_TOKEN or RAINBOND_TOKEN_FILE")
}

func (c *common) context(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// errDryRun ends a dry run's call once the request is printed.
var errDryRun = errors.New("dry run: not sent")

// dryRun is a transport that prints the request, secrets redacted, and
// sends nothing.
type dryRun struct{ out io.Writer }

func (d dryRun) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
	}
	fmt.Fprintf(d.out, "%s %s\n", req.Method, req.URL.Redacted())
	for _, name := range []string{"Authorization", "Content-Type", "Accept", "User-Agent"} {
		if v := req.Header.Get(name); v != "" {
			if name == "Authorization" {
				v = "[REDACTED]"
			}
			fmt.Fprintf(d.out, "%s: %s\n", name, v)
		}
	}
	if len(body) > 0 {
		fmt.Fprintf(d.out, "\n%s\n", redactBody(body))
	}
	return nil, errDryRun
}

// redactBody indents a JSON body with market_access_key redacted.
func redactBody(body []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "(a body that is not a JSON object)"
	}
	if key, ok := m["market_access_key"]; ok && string(key) != "null" {
		m["market_access_key"] = json.RawMessage(`"[REDACTED]"`)
	}
	b, _ := json.Marshal(m)
	var out bytes.Buffer
	_ = json.Indent(&out, b, "", "  ")
	return out.String()
}

// outputFailure is a call that succeeded whose result could not be
// written: a wrapper must not run it again.
type outputFailure struct {
	done string // what succeeded, with its ids
	err  error
}

func (e *outputFailure) Error() string {
	return e.done + ", but writing the result failed: " + e.err.Error()
}

// emit writes what print produces to w in one write, with secrets
// redacted. done says what succeeded, for the error should the write fail.
func emit(w io.Writer, redact func(string) string, done string, print func(io.Writer) error) error {
	var buf bytes.Buffer
	err := print(&buf)
	if err == nil {
		_, err = io.WriteString(w, redact(buf.String()))
	}
	if err != nil {
		return &outputFailure{done: done, err: err}
	}
	return nil
}

// finish reports err on stderr, every secret the command knows redacted,
// and turns it into the exit code.
func finish(err error, s *session) int {
	stderr := s.stderr
	var usage *usageFailure
	var invalid *rainbond.ValidationError
	var apiErr *rainbond.APIError
	var unsupported *rainbond.UnsupportedError
	var output *outputFailure
	if err == nil || errors.Is(err, errDryRun) {
		return exitOK
	}
	fmt.Fprintln(stderr, "rainbond:", s.redact(strings.TrimPrefix(err.Error(), "rainbond: ")))
	switch {
	case errors.As(err, &output):
		return exitOutput
	case errors.As(err, &usage), errors.As(err, &invalid):
		return exitUsage
	case errors.Is(err, rainbond.ErrEventTimedOut):
		return exitTimedOut // the cluster stopped following it: the work may still finish
	case errors.Is(err, rainbond.ErrComponentFailed), errors.Is(err, rainbond.ErrComponentGone), errors.Is(err, rainbond.ErrEventFailed),
		errors.Is(err, rainbond.ErrImportFailed), gateRefused(err):
		return exitWaitFailed
	case waited(err) && errors.Is(err, context.DeadlineExceeded):
		return exitTimedOut
	case errors.As(err, &unsupported), errors.As(err, &apiErr) && apiErr.StatusCode < 500:
		return exitConsole
	case errors.Is(err, rainbond.ErrNotFound), errors.Is(err, rainbond.ErrAmbiguousComponent), errors.Is(err, rainbond.ErrCanaryRouteRenamed):
		return exitConsole // what the console holds does not match the names given: nothing was sent
	default:
		return exitFailure
	}
}

// gateRefused reports a canary stopped by its health gate.
func gateRefused(err error) bool {
	var run *rainbond.CanaryRunError
	return errors.As(err, &run) && run.GateErr != nil
}

// waited reports the error of a wait, rather than of a single call.
func waited(err error) bool {
	var we *rainbond.WaitError
	var ee *rainbond.EventWaitError
	return errors.As(err, &we) || errors.As(err, &ee)
}

// printJSON prints v exactly as decoded, indented, for jq.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

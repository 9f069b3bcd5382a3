package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"strings"
	"sync"
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
	quiet     bool
}

// defaultTimeout bounds a command that does not wait; a command that
// waits has its own default (its node's wait).
const defaultTimeout = time.Minute

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "url", "", "console address, e.g. http://192.168.2.225:7070 (default $RAINBOND_URL)")
	fs.StringVar(&c.tokenFile, "token-file", "", "file holding the API token (default $RAINBOND_TOKEN, then the file named by $RAINBOND_TOKEN_FILE)")
	fs.StringVar(&c.output, "o", "table", "output: table or json")
	fs.DurationVar(&c.timeout, "timeout", defaultTimeout, "time limit for the whole command, retries and waits included")
	fs.IntVar(&c.retries, "retries", 2, "retries of a request that failed in a way that is safe to retry (0: none)")
	fs.BoolVar(&c.verbose, "verbose", false, "log each HTTP attempt on stderr (secrets redacted)")
	fs.BoolVar(&c.dryRun, "dry-run", false, "print the first request the command would send, secrets redacted, and exit without\nsending it (a command that reads before it writes prints that read only)")
	fs.BoolVar(&c.quiet, "quiet", false, "print no progress on stderr while waiting")
}

// commonFlags are the names of the common flags, which help lists apart.
var commonFlags = func() map[string]bool {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	(&common{}).register(fs)
	names := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	return names
}()

// session is one run of a command: its settings, surroundings, and the
// client once started.
type session struct {
	common
	getenv         env
	stdin          io.Reader
	stdout, stderr io.Writer
	client         *rainbond.Client
	// secrets are the values to redact from everything the command
	// prints, besides the token: every secret the environment holds,
	// whether this call uses it or not, and those read from files.
	secrets []string
	// flags are the command's parsed flags, to name a flag in errors.
	flags *flag.FlagSet
	// started is when the command began, for how long a wait waited.
	started time.Time
	// heartbeat is how often a wait says it still waits when nothing
	// changed (RAINBOND_HEARTBEAT, 30 s by default).
	heartbeat time.Duration
	// timeoutNote says where --timeout came from, for a wait's timeout
	// error: "" when given, else the default that applied.
	timeoutNote string
	// tokenSource names where the token came from, for its errors.
	tokenSource string
	// hiddenEnvs name the variables env set read from a file or the
	// environment: their values are never printed, whatever their length.
	hiddenEnvs map[string]bool
}

// defaultHeartbeat is how often a wait says it still waits.
const defaultHeartbeat = 30 * time.Second

// newSession is a session on these surroundings. stderr is shared by the
// command and its waits' heartbeats: writes to it are serialized.
func newSession(getenv env, stdin io.Reader, stdout, stderr io.Writer) *session {
	s := &session{getenv: getenv, stdin: stdin, stdout: stdout, stderr: &lockedWriter{w: stderr},
		secrets: envSecrets(getenv), started: time.Now(), heartbeat: defaultHeartbeat}
	if v, ok := getenv("RAINBOND_HEARTBEAT"); ok && v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			s.heartbeat = d
		} else {
			fmt.Fprintf(s.stderr, "rainbond: warning: RAINBOND_HEARTBEAT=%q is not a positive duration: using %s\n", v, fmtDuration(defaultHeartbeat))
		}
	}
	return s
}

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// redactingWriter writes through w what redact leaves of each write: for
// logs the SDK writes (each record in one write).
type redactingWriter struct {
	w      io.Writer
	redact func(string) string
}

func (r redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// secretVariables are the environment variables that hold secrets: their
// values are redacted from everything the command prints, and a canary's
// gate does not get them.
var secretVariables = []string{"RAINBOND_TOKEN", "RAINBOND_MARKET_ACCESS_KEY", "RAINBOND_BUILD_PASSWORD", "RAINBOND_USER_PASSWORD", "RAINBOND_REGISTRY_PASSWORD"}

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
	client, err := s.client0(ctx)
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
	return s.client.Redact(text, s.secrets...) // URL passwords too
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

// printf prints a result: v as JSON with -o json, else format's line.
func (s *session) printf(done string, v any, format string, args ...any) error {
	return s.print(done, v, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, format, args...)
		return err
	})
}

// collect gathers what an iterator of the SDK yields (every page of a
// list): never nil, so that -o json prints [] for none.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// progress is where a wait shows its progress: stderr, unless --quiet.
func (s *session) progress() io.Writer {
	if s.quiet {
		return io.Discard
	}
	return s.stderr
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

// client0 builds the SDK client from flags, then the environment, reading
// secret files within ctx. In dry run it sends nothing: its transport
// prints the request instead. Its logs (--verbose) are redacted of every
// secret the command knows.
func (s *session) client0(ctx context.Context) (*rainbond.Client, error) {
	c := &s.common
	if c.output != "table" && c.output != "json" {
		return nil, usagef("-o %q: want table or json", c.output)
	}
	if c.timeout <= 0 {
		return nil, usagef("--timeout %v: must be positive", c.timeout)
	}
	if c.retries < 0 || c.retries > 10 {
		return nil, usagef("--retries %d: want 0 to 10", c.retries)
	}
	url, urlSource := c.url, "--url"
	if url == "" {
		url, _ = s.getenv("RAINBOND_URL")
		urlSource = "RAINBOND_URL"
	}
	if url == "" {
		return nil, usagef("no console address: pass --url or set RAINBOND_URL")
	}
	token, source, err := c.token(ctx, s.getenv, s.stderr)
	if err != nil {
		return nil, err
	}
	s.tokenSource = source
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
	logs := redactingWriter{w: s.stderr, redact: s.redact}
	if c.verbose {
		opts = append(opts, rainbond.WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if c.dryRun {
		opts = append(opts, rainbond.WithTransport(dryRun{out: redactingWriter{w: s.stdout, redact: s.redact}, s: s}), rainbond.WithRetry(rainbond.NoRetry))
	}
	client, err := rainbond.NewClient(url, opts...)
	if err != nil {
		return nil, settingError(err, urlSource, source)
	}
	return client, nil
}

// settingError says which setting is wrong when the client cannot be
// built: the token's source (RAINBOND_TOKEN, --token-file...) rather than
// the SDK's option, the URL's flag or variable.
func settingError(err error, urlSource, tokenSource string) error {
	var config *rainbond.ConfigError
	switch {
	case !errors.As(err, &config):
		return usagef("%s", strings.TrimPrefix(err.Error(), "rainbond: "))
	case config.Setting == "WithToken":
		return usagef("the API token from %s: %s", tokenSource, config.Reason)
	case config.Setting == "base URL":
		return usagef("%s %s", urlSource, config.Reason)
	}
	return usagef("%s: %s", config.Setting, config.Reason)
}

// token is --token-file, then $RAINBOND_TOKEN, then the file named by
// $RAINBOND_TOKEN_FILE; source names which, for errors.
func (c *common) token(ctx context.Context, getenv env, stderr io.Writer) (token, source string, err error) {
	if c.tokenFile != "" {
		t, err := readSecretFile(ctx, "--token-file", c.tokenFile, stderr)
		return t, "--token-file " + c.tokenFile, err
	}
	if t, ok := getenv("RAINBOND_TOKEN"); ok && t != "" {
		return strings.TrimSpace(t), "RAINBOND_TOKEN", nil
	}
	if f, ok := getenv("RAINBOND_TOKEN_FILE"); ok && f != "" {
		t, err := readSecretFile(ctx, "RAINBOND_TOKEN_FILE", f, stderr)
		return t, "RAINBOND_TOKEN_FILE (" + f + ")", err
	}
	return "", "", usagef("no API token: pass --token-file or set RAINBOND_TOKEN or RAINBOND_TOKEN_FILE")
}

func (c *common) context(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// errDryRun ends a dry run's call once the request is printed.
var errDryRun = errors.New("dry run: not sent")

// dryRun is a transport that prints the request, secrets redacted, and
// sends nothing.
type dryRun struct {
	out io.Writer
	s   *session // for the variables whose values are hidden
}

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
		fmt.Fprintf(d.out, "\n%s\n", redactBody(body, d.s.hiddenEnvs))
	}
	return nil, errDryRun
}

// secretMembers are the members of a request body that hold a secret.
var secretMembers = map[string]bool{"market_access_key": true, "password": true, "password1": true, "private_key": true,
	"key_file": true, "token": true, "api_service_key": true}

// redactBody indents a JSON body with the values of secretMembers
// redacted, at any depth, and those of the variables hidden names (an
// object with a name and a value, as env set sends), whatever their
// length.
func redactBody(body []byte, hidden map[string]bool) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // ids stay as sent
	if dec.Decode(&v) != nil {
		return "(a body that is not JSON)"
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(redactValue(v, hidden))
	return strings.TrimSuffix(out.String(), "\n")
}

func redactValue(v any, hidden map[string]bool) any {
	switch v := v.(type) {
	case map[string]any:
		for k, member := range v {
			if secretMembers[k] && member != nil && member != "" {
				v[k] = "[REDACTED]"
			} else {
				v[k] = redactValue(member, hidden)
			}
		}
		if name, ok := v["name"].(string); ok && hidden[name] && v["value"] != nil {
			v["value"] = "[REDACTED]"
		}
	case []any:
		for i := range v {
			v[i] = redactValue(v[i], hidden)
		}
	}
	return v
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

// printJSON prints v exactly as decoded, indented, for jq.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

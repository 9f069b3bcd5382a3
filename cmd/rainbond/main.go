// Command rainbond drives a Rainbond console from shell scripts and CI jobs:
// teams and regions, apps (install from a store or the local library,
// docker-compose files and Helm charts, copy, upgrade, deploy, start, stop,
// wait), components (create, build and follow the build, image, envs,
// ports, scaling), gateway rules, monitoring, and any other endpoint (api).
// It also serves a fake console (fake-console) to test scripts against.
//
//	rainbond apps install --team T --region R --app ID --market-url U --market-domain D --model-id M --model-version V [--deploy] [--ensure]
//	rainbond apps deploy --team T --region R --app ID --all --wait
//	rainbond components build --team T --region R --app ID --component C --wait --logs
//	rainbond api GET /teams
//	rainbond fake-console --env
//	rainbond completion bash
//
// Waits print their progress on stderr, terminal or not: a line when
// what they wait for changes, and a heartbeat while it does not (every 30
// s; RAINBOND_HEARTBEAT sets another period); --quiet turns it off.
//
// Run "rainbond --help" for every command, "rainbond COMMAND --help" for
// its flags and an example.
//
// Configuration comes from flags, then the environment (RAINBOND_URL,
// RAINBOND_TOKEN, RAINBOND_TOKEN_FILE, RAINBOND_MARKET_ACCESS_KEY,
// RAINBOND_BUILD_PASSWORD, RAINBOND_USER_PASSWORD, RAINBOND_REGISTRY_PASSWORD).
// Secrets are never taken as flag values, which would land in shell
// history and in ps: only files and the environment carry them (a
// --repo-url with a password in it is refused; a body for api that holds
// one goes in --data @FILE).
//
// Exit codes: 0 success; 2 usage or validation error (nothing was sent);
// 3 the console answered with an error (4xx), or a component name matches
// none of the app's components or several, or the console cannot do what
// was asked whatever the retries (smart-deploy's upgrade); 4 server or transport failure
// (5xx, timeout, connection); 5 the call succeeded but its result could not
// be written (stderr names what was done: do not run it again); 6 the
// command waited and what it waited for failed (a build, a component, an
// import), or a canary's health gate failed;
// 7 the command waited and its time ran out first (the work may still
// finish). whoami adds 8, the console refused the token, and 9, the
// address serves no Rainbond OpenAPI (a wrong --url, or the OpenAPI off).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes, as documented in the package comment and the README.
const (
	exitOK         = 0
	exitUsage      = 2 // bad flags, missing settings, invalid input: nothing sent
	exitConsole    = 3 // the console answered 4xx (or a redirect)
	exitFailure    = 4 // 5xx, an unreadable answer, timeout, no connection
	exitOutput     = 5 // the call succeeded; writing its result failed: do not run it again
	exitWaitFailed = 6 // waited: the build failed, a component failed or vanished
	exitTimedOut   = 7 // waited: the time ran out before the work was done
)

// The exit codes of whoami, which tells the ways a setup is wrong apart.
const (
	exitAuth  = 8 // the console refused the token (401)
	exitNoAPI = 9 // the address serves no Rainbond OpenAPI: a wrong --url
)

// env looks a variable up, like os.LookupEnv.
type env func(string) (string, bool)

// run is the whole command, with its surroundings passed in so that tests
// can drive it in-process. Its standard input is the process's.
func run(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	return runWith(ctx, args, getenv, os.Stdin, stdout, stderr)
}

// runWith is run with its standard input passed in too.
func runWith(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	s := newSession(getenv, stdin, stdout, stderr)
	root := commands()
	if len(args) > 0 && isHelp(args[0]) {
		root.printGroupUsage(stdout, "")
		return exitOK
	}
	if len(args) > 0 && args[0] == "--version" {
		args[0] = "version"
	}
	return runTree(ctx, root, args, s)
}

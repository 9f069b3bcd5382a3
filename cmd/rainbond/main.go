// Command rainbond drives a Rainbond console from shell scripts and CI jobs:
// install an app from an app store, copy components between apps.
//
//	rainbond apps install --team T --region R --app ID --market-url U --market-domain D --model-id M --model-version V [--deploy]
//	rainbond apps copy --team T --region R --app ID --service S1 [--service S2=VERSION ...] --to-team N --to-region R2 --to-app ID2
//	rainbond version
//
// Configuration comes from flags, then the environment (RAINBOND_URL,
// RAINBOND_TOKEN, RAINBOND_TOKEN_FILE, RAINBOND_MARKET_ACCESS_KEY). Secrets
// are never taken as flag values, which would land in shell history and in
// ps: only files and the environment carry them.
//
// Exit codes: 0 success; 2 usage or validation error (nothing was sent);
// 3 the console answered with an error (4xx); 4 server or transport failure
// (5xx, timeout, connection); 5 the call succeeded but its result could not
// be written (stderr names what was done: do not run it again).
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
	exitOK      = 0
	exitUsage   = 2 // bad flags, missing settings, invalid input: nothing sent
	exitConsole = 3 // the console answered 4xx (or a redirect)
	exitFailure = 4 // 5xx, an unreadable answer, timeout, no connection
	exitOutput  = 5 // the call succeeded; writing its result failed: do not run it again
)

// env looks a variable up, like os.LookupEnv.
type env func(string) (string, bool)

// run is the whole command, with its surroundings passed in so that tests
// can drive it in-process.
func run(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		printUsage(stdout)
		return exitOK
	case "version", "--version":
		return versionCommand(args[1:], stdout, stderr)
	case "apps":
		return appsCommand(ctx, args[1:], getenv, stdout, stderr)
	}
	return usageError(stderr, "unknown command %q; see rainbond --help", args[0])
}

func appsCommand(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printAppsUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		printAppsUsage(stdout)
		return exitOK
	case "install":
		return installCommand(ctx, args[1:], getenv, stdout, stderr)
	case "copy":
		return copyCommand(ctx, args[1:], getenv, stdout, stderr)
	}
	return usageError(stderr, "unknown command \"apps %s\"; see rainbond apps --help", args[0])
}

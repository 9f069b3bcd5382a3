package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rbdkit/rainbond-go"
)

// finish reports err on stderr, in the user's words (the flags they set,
// not the console's field names) and with every secret the command knows
// redacted, and turns it into the exit code.
func finish(err error, s *session) int {
	if err == nil || errors.Is(err, errDryRun) {
		return exitOK
	}
	code := exitCode(err)
	msg := strings.TrimPrefix(err.Error(), "rainbond: ")
	var invalid *rainbond.ValidationError
	if errors.As(err, &invalid) {
		msg = "invalid input: " + s.problems(invalid)
	}
	fmt.Fprintln(s.stderr, "rainbond:", s.redact(msg))
	return code
}

// exitCode is the exit code of err.
func exitCode(err error) int {
	var usage *usageFailure
	var invalid *rainbond.ValidationError
	var apiErr *rainbond.APIError
	var unsupported *rainbond.UnsupportedError
	var output *outputFailure
	var coded *codedError
	var timedOut *timeoutError
	switch {
	case errors.As(err, &output):
		return exitOutput
	case errors.As(err, &usage), errors.As(err, &invalid):
		return exitUsage
	case errors.As(err, &coded):
		return coded.code
	case errors.As(err, &timedOut):
		return exitTimedOut
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
	case errors.Is(err, rainbond.ErrComposeNotDeployed), errors.Is(err, rainbond.ErrHelmChartNotFound):
		return exitConsole // the console answered success, but did not do it
	case errors.Is(err, rainbond.ErrSmartUpgradeBroken):
		return exitConsole // a 500 on every release: retrying cannot help
	default:
		return exitFailure
	}
}

// codedError is an error a command gives its own exit code.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

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

// fieldFlags name, for each field of the console's API (as the SDK's
// validation errors name them), the flags that may set it, in the order
// they are tried: the first the command has is the one named.
var fieldFlags = map[string][]string{
	"team_id": {"team"}, "tenant_id": {"team"}, "tenant_name": {"team", "name"},
	"region_name": {"region", "open-region"}, "region": {"region", "open-region"},
	"app_id": {"app"}, "group_id": {"app"},
	"service_id": {"component", "components"}, "service_ids": {"components"}, "services": {"components"},
	"event_id":         {"event"},
	"target_team_name": {"to-team"}, "target_region_name": {"to-region"}, "target_app_id": {"to-app"},
	"market_url": {"market-url"}, "market_domain": {"market-domain"}, "market_type": {"market-type"}, "market_name": {"market"},
	"market_access_key": {"market-access-key-file"},
	"app_model_id":      {"model-id", "model", "template"}, "app_model_version": {"model-version", "to"}, "template_id": {"template"},
	"app_name": {"name"}, "app_note": {"note"}, "k8s_app": {"k8s-app"},
	"domain_name": {"domain"}, "domain_path": {"path"}, "domain_header": {"header"}, "domain_cookie": {"cookie"},
	"container_port": {"port"}, "certificate_id": {"certificate"}, "end_point": {"end-point"}, "rule_id": {"rule"}, "the_weight": {"weight"},
	"repo_url": {"repo-url"}, "user_name": {"username", "name"}, "password": {"password-file"},
	"new_memory": {"memory"}, "new_node": {"instances"}, "new_cpu": {"cpu"},
	"gray_ratio": {"ratio", "schedule"}, "step": {"schedule"}, "route_name": {"route"},
	"volume_name": {"name"}, "volume_path": {"path"}, "volume_capacity": {"capacity"}, "volume_type": {"type"},
	"access_mode": {"access-mode"}, "file_content": {"content-file"},
	"private_key": {"key-file"}, "certificate": {"cert-file"}, "certificate_type": {"type"},
	"endpoints": {"endpoint"}, "port_alias": {"alias"}, "k8s_service_name": {"k8s-service-name"},
	"max_interval": {"interval"}, "file_name": {"file"}, "nick_name": {"name"}, "user_id": {"user"},
	"tenant_alias": {"alias", "name"}, "region_alias": {"alias"},
	"group_key": {"model"}, "group_version": {"version"}, "apps": {"template"}, "app_version_info": {"info"},
	"yaml_content": {"file"}, "repo_name": {"repo"}, "chart_name": {"chart"}, "service_cname": {"name"}, "k8s_component_name": {"k8s-name"},
}

// fieldVariables name the variable a field comes from when no flag of the
// command sets it.
var fieldVariables = map[string]string{"market_access_key": "RAINBOND_MARKET_ACCESS_KEY"}

// fieldPattern splits "services[2].service_id" into its field, index and
// member.
var fieldPattern = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?(?:\.([A-Za-z_.\[\]0-9]+))?$`)

// problems says what is wrong with the input, naming the flags the user
// set rather than the console's fields.
func (s *session) problems(e *rainbond.ValidationError) string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = s.fieldName(p.Field) + ": " + p.Reason
	}
	return strings.Join(parts, "; ")
}

// fieldName is the flag (or variable) of the command that sets field, or
// field itself when none does.
func (s *session) fieldName(field string) string {
	m := fieldPattern.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	name := s.flagFor(m[1])
	if name == "" && m[3] != "" {
		if member := s.flagFor(m[3]); member != "" {
			return member // a member of a list the command fills from one flag
		}
	}
	if name == "" {
		return field
	}
	if m[2] != "" {
		n, _ := strconv.Atoi(m[2])
		name += fmt.Sprintf(" (value %d)", n+1)
	}
	return name
}

// flagFor is the flag of the command that sets field: the first of
// fieldFlags the command has, else the flag named like the field.
func (s *session) flagFor(field string) string {
	has := func(name string) bool { return s.flags != nil && s.flags.Lookup(name) != nil }
	for _, name := range fieldFlags[field] {
		if has(name) {
			if v, ok := fieldVariables[field]; ok {
				return "--" + name + " or " + v
			}
			return "--" + name
		}
	}
	if v, ok := fieldVariables[field]; ok {
		return v
	}
	if name := strings.ReplaceAll(field, "_", "-"); has(name) {
		return "--" + name
	}
	return ""
}

// flagError puts the flag package's errors in the form help shows: a
// flag of more than one letter is --name.
var flagRef = regexp.MustCompile(`(^|[\s:])-{1,2}([A-Za-z][A-Za-z0-9_-]+)`)

func flagError(err error) string {
	return flagRef.ReplaceAllString(err.Error(), "$1--$2")
}

// isFlagSet reports whether the command line set flag name.
func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

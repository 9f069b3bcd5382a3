package rainbond

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// A component's environment variables: ComponentEnvsUView
// (openapi/views/apps/apps.py) with ComponentEnvsSerializers and
// name_validator (openapi/serializer/app_serializer.py), and
// console/services/app_config/env_service.py update_or_create_envs.

// EnvScope is where a variable applies.
type EnvScope string

// The scopes of a variable.
const (
	// EnvScopeInner: the component's own variable (the default).
	EnvScopeInner EnvScope = "inner"
	// EnvScopeOuter: a variable the component gives the components that
	// depend on it.
	EnvScopeOuter EnvScope = "outer"
	// EnvScopeBuild: a variable of the component's builds.
	EnvScopeBuild EnvScope = "build"
	// EnvScopeBoth: both the component's own and given to the components
	// that depend on it.
	EnvScopeBoth EnvScope = "both"
)

// valid reports a scope the cluster accepts (goodrain/rainbond
// api/model/model.go: in:outer,inner,both,build).
func (s EnvScope) valid() bool {
	return s == EnvScopeInner || s == EnvScopeOuter || s == EnvScopeBoth || s == EnvScopeBuild
}

// EnvVar is an environment variable of a component.
type EnvVar struct {
	// Name is the variable's name: a letter, then letters, digits and
	// '_'; at most 100.
	Name string `json:"name"`
	// Value is its value: 1 to 1024 characters.
	Value string `json:"value"`
	// Note is a note on it, at most 100 characters. The console names it
	// "note" in requests and answers, and stores it as the variable's
	// display name.
	Note string `json:"note"`
	// IsChange reports whether it can be changed. For a new variable, nil
	// means true; for an existing one it is ignored.
	IsChange *bool `json:"is_change,omitempty"`
	// Scope is where it applies; empty means [EnvScopeInner]. Ignored for
	// an existing variable.
	Scope EnvScope `json:"scope,omitempty"`
}

// envVarAnswer is a variable as the console answers it: is_change is
// always there.
type envVarAnswer struct {
	Name     string   `json:"name"`
	Value    string   `json:"value"`
	Note     string   `json:"note"`
	IsChange bool     `json:"is_change"`
	Scope    EnvScope `json:"scope"`
}

// ErrEnvsPartlyApplied is matched by the error of
// [ComponentsService.UpdateEnvs] when the console failed on one of the
// variables: it rolls its own records back, but the variables before that
// one were already sent to the cluster, so the cluster may hold part of
// the change. Read the variables and send the change again.
var ErrEnvsPartlyApplied = errors.New("rainbond: the variables may be partly applied in the cluster")

// ErrEnvsNotListed is matched by the error of [ComponentsService.UpdateEnvs]
// and [ComponentsService.ListEnvs] when the console refused (400) to list
// the component's variables because one of them (an existing one, a
// port's or a build's) breaks its own rules: a name with '.' or '-', an
// empty value, a value over 1024 characters. UpdateEnvs had written its
// variables before.
var ErrEnvsNotListed = errors.New("rainbond: the variables were written, but the console cannot list them")

// UpdateEnvs creates or updates environment variables of component
// serviceID, by exact name: an existing variable gets the new Value and
// Note, a new one is created with all its fields. It returns every
// variable of the component afterwards (every scope, those of its ports
// included). Variables not named are left as they are.
//
// It calls PUT /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/envs
// (consoles since v5.2.1). The note is always sent (the console clears a
// variable's note when it is missing). Names, values and notes are checked
// as the console checks them, names it reserves (PATH, SERVICE_ID…) are
// refused before anything is sent, and a value with spaces around it is
// refused: the console would store it trimmed.
//
// The console sends the variables to the cluster one at a time, in order,
// and rolls only its own records back when one fails. Errors to expect:
// [ErrEnvsPartlyApplied] for a failure in that loop (the console's
// refusal, or the cluster's, which the console answers 400 with msg an
// object and msg_show 数据中心操作故障…): the variables before the failing
// one may be in the cluster; [ErrEnvsNotListed] (the write happened).
func (s *ComponentsService) UpdateEnvs(ctx context.Context, teamID, regionName string, appID int64, serviceID string, envs []EnvVar, callOpts ...CallOption) ([]EnvVar, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/envs")
	v.envs(envs)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := struct {
		Envs []EnvVar `json:"envs"`
	}{envs}
	if body.Envs == nil {
		body.Envs = []EnvVar{} // the console refuses null
	}
	var out struct {
		Envs []envVarAnswer `json:"envs"`
	}
	resp, err := s.client.do(ctx, &request{method: http.MethodPut, path: path, body: &body, opts: callOpts, since: sinceComponentRoutes}, &out)
	if err != nil {
		if len(envs) > 0 {
			err = mark(err, ErrEnvsPartlyApplied, "the variables before the failing one may be applied in the cluster", failedInTheLoop)
		}
		// The request passed the console's own rules here, so a refusal
		// about envs is about the list it read back.
		note := "an existing variable breaks the console's rules"
		if len(envs) > 0 {
			note = "the variables were written; " + note
		}
		err = mark(err, ErrEnvsNotListed, note, func(e *APIError) bool {
			return e.StatusCode == http.StatusBadRequest && hasFieldPrefix(e.FieldErrors, "envs")
		})
		return nil, resp, err
	}
	list := make([]EnvVar, len(out.Envs))
	for i, e := range out.Envs {
		list[i] = EnvVar{Name: e.Name, Value: e.Value, Note: e.Note, IsChange: Ptr(e.IsChange), Scope: e.Scope}
	}
	return list, resp, nil
}

// ListEnvs returns every environment variable of component serviceID.
// The console has no GET for them: it calls PUT
// /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/envs
// with an empty list, which changes nothing and answers the list (see
// [ComponentsService.UpdateEnvs] for its errors).
func (s *ComponentsService) ListEnvs(ctx context.Context, teamID, regionName string, appID int64, serviceID string, callOpts ...CallOption) ([]EnvVar, *Response, error) {
	return s.UpdateEnvs(ctx, teamID, regionName, appID, serviceID, nil, callOpts...)
}

// failedInTheLoop reports a failure of update_or_create_envs's loop, which
// sends each variable to the cluster in turn: its own refusal ("update or
// create envs error"), or the cluster's, in the console's region-error
// shape (400, msg an object, msg_show "数据中心操作故障 …"), its
// unreachable-cluster code 10411, or a cluster 404.
func failedInTheLoop(e *APIError) bool {
	return e.Msg == "update or create envs error" ||
		e.StatusCode == http.StatusBadRequest && (e.Code == codeClusterUnreachable || isRegionError(e)) ||
		e.StatusCode == http.StatusNotFound && e.Msg == "region no found this resource"
}

// isRegionError reports the console's answer for a failed cluster call
// (console/views/base.py, CallApiError): msg is the call as an object.
func isRegionError(e *APIError) bool {
	return len(e.MsgJSON) > 0 && e.MsgJSON[0] == '{' && strings.HasPrefix(e.MsgShow, "数据中心操作故障")
}

func hasFieldPrefix(fields map[string][]string, prefix string) bool {
	for f := range fields {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}

// envName is name_validator: a letter first, then letters, digits and '_'
// (its message also allows '-', its pattern does not).
var envName = regexp.MustCompile(`^[a-zA-Z][\da-zA-Z_]*$`)

// reservedEnvNames are SENSITIVE_ENV_NAMES
// (console/services/app_config/env_service.py): the console refuses them,
// case-sensitively, only when its loop reaches them, after the variables
// before them were sent to the cluster, so they are refused here, before
// anything is sent.
var reservedEnvNames = map[string]bool{
	"TENANT_ID": true, "SERVICE_ID": true, "TENANT_NAME": true, "SERVICE_NAME": true, "SERVICE_VERSION": true,
	"MEMORY_SIZE": true, "SERVICE_EXTEND_METHOD": true, "SLUG_URL": true, "DEPEND_SERVICE": true,
	"REVERSE_DEPEND_SERVICE": true, "POD_ORDER": true, "PATH": true, "POD_NET_IP": true, "LOG_MATCH": true,
}

// envs checks variables as ComponentEnvsBaseSerializers does: name, value
// and note are trimmed (so a padded name or note is sent and stored
// trimmed), then checked. A value with spaces around it is refused: the
// console would store it without them.
func (v *validator) envs(envs []EnvVar) {
	seen := make(map[string]int, len(envs))
	for i, e := range envs {
		field := "envs[" + strconv.Itoa(i) + "]"
		name := pyStrip(e.Name)
		before := len(v.problems)
		v.text(field+".name", e.Name, charField{required: true, max: 100})
		switch {
		case len(v.problems) > before:
		case !envName.MatchString(name):
			v.add(field+".name", "%q: a letter, then letters, digits and '_'", oneLine(name, 100))
		case reservedEnvNames[name]:
			v.add(field+".name", "%q is reserved by the console (SENSITIVE_ENV_NAMES): it would refuse it after sending the variables before it to the cluster", name)
		}
		v.text(field+".value", e.Value, charField{required: true, max: 1024, keepSpaces: true})
		v.text(field+".note", e.Note, charField{max: 100})
		if scope := EnvScope(pyStrip(string(e.Scope))); e.Scope != "" && !scope.valid() {
			v.add(field+".scope", "%q: inner, outer, both or build (the cluster refuses others, after the variables before it were written)", oneLine(string(e.Scope), 40))
		}
		if first, dup := seen[name]; dup && name != "" {
			v.add(field+".name", "same variable as envs[%d]", first)
		} else {
			seen[name] = i
		}
	}
}

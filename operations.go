package rainbond

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Operating an app's components: APPOperationsView in the console's
// openapi/views/apps/apps.py, with ServiceGroupOperationsSerializer and
// console/services/app_actions/app_manage.py batch_operations.

// sinceOperations is the console release that added the operations route.
const sinceOperations = "v5.1.10"

// AppAction is what [AppsService.Operate] does to components.
type AppAction string

// The actions the console knows.
const (
	// ActionStart starts components.
	ActionStart AppAction = "start"
	// ActionStop stops components.
	ActionStop AppAction = "stop"
	// ActionUpgrade rolls components over to their latest build (a rolling
	// update). It is not an upgrade from the app store: see
	// [AppsService.Upgrade] for that.
	ActionUpgrade AppAction = "upgrade"
	// ActionDeploy builds components and deploys the build.
	ActionDeploy AppAction = "deploy"
)

// String returns the action's wire value.
func (a AppAction) String() string { return string(a) }

// valid reports an action the console accepts.
func (a AppAction) valid() bool {
	switch a {
	case ActionStart, ActionStop, ActionUpgrade, ActionDeploy:
		return true
	}
	return false
}

// settled is the state components reach once the action is done.
func (a AppAction) settled() ComponentStatus {
	if a == ActionStop {
		return ComponentClosed
	}
	return ComponentRunning
}

// AppOperation is an action on some components of an app.
type AppOperation struct {
	// Action is what to do.
	Action AppAction `json:"action"`
	// ServiceIDs are the components to act on. It must not be empty for
	// [AppsService.Operate]: the console would act on every component.
	ServiceIDs []string `json:"service_ids"`
}

// Operate starts, stops, rolls over (ActionUpgrade) or deploys the
// components op.ServiceIDs of app appID.
//
// It lists the app's components ([AppsService.ListComponents]), then calls
// POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/operations
// (consoles since v5.1.10). The console hands the work to the cluster and
// answers at once, without event ids: wait for the components' states
// ([AppsService.OperateAndWait]) or follow their events. The console does
// not check the ids against the app (it skips those it does not know, and
// would act on another team's), so the SDK does: an id the app does not
// hold is a [*NotInAppError] and nothing is sent. A component whose
// creation is not complete is skipped by the console.
//
// An empty op.ServiceIDs is refused: the console would act on every
// component of the app; [AppsService.OperateAll] does that on purpose.
//
// Errors to expect: [ErrPermissionDenied] (403, code 10402) when the
// token's user lacks the team permission the action needs (start
// 300005, stop 300006, upgrade 300007, deploy 300008; the team's
// administrators and developers have them, its viewers do not);
// [ErrQuotaExceeded] (400, code 20002) with a billing service;
// [ErrServer] with an HTML body when the cluster refused the work.
func (s *AppsService) Operate(ctx context.Context, teamID, regionName string, appID int64, op *AppOperation, callOpts ...CallOption) (*Response, error) {
	return s.operate(ctx, teamID, regionName, appID, op, false, callOpts)
}

// OperateAll does action to every component of app appID, except
// third-party components (the console leaves them alone) and, but for a
// deploy, components whose creation is not complete. Otherwise it behaves as
// [AppsService.Operate].
func (s *AppsService) OperateAll(ctx context.Context, teamID, regionName string, appID int64, action AppAction, callOpts ...CallOption) (*Response, error) {
	return s.operate(ctx, teamID, regionName, appID, &AppOperation{Action: action}, true, callOpts)
}

func (s *AppsService) operate(ctx context.Context, teamID, regionName string, appID int64, op *AppOperation, all bool, callOpts []CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/operations")
	v.operation(op, all)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !all {
		if err := s.checkInApp(ctx, teamID, regionName, appID, op.ServiceIDs, callOpts); err != nil {
			return nil, &operationError{action: op.Action, appID: appID, err: err}
		}
	}
	body := *op
	if all {
		body.ServiceIDs = []string{} // every component, said explicitly
	}
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceOperations}, nil)
	if err != nil {
		return resp, &operationError{action: op.Action, appID: appID, err: err}
	}
	return resp, nil
}

// NotInAppError reports component ids an operation named that the app
// does not hold: the console would skip them without a word (it looks ids
// up in no app, no team), so the SDK checks them first and sends nothing.
// It matches [ErrNotFound].
type NotInAppError struct {
	// AppID is the app.
	AppID int64
	// ServiceIDs are the ids the app does not hold.
	ServiceIDs []string
}

// Error names the ids.
func (e *NotInAppError) Error() string {
	return fmt.Sprintf("rainbond: app %d holds no component %s: nothing was sent", e.AppID, strings.Join(e.ServiceIDs, ", "))
}

// Is makes errors.Is(err, ErrNotFound) work.
func (e *NotInAppError) Is(target error) bool { return target == ErrNotFound }

// checkInApp makes sure the app holds every id.
func (s *AppsService) checkInApp(ctx context.Context, teamID, regionName string, appID int64, ids []string, callOpts []CallOption) error {
	comps, _, err := s.ListComponents(ctx, teamID, regionName, appID, callOpts...)
	if err != nil {
		return err
	}
	held := make(map[string]bool, len(comps))
	for _, c := range comps {
		held[c.ServiceID] = true
	}
	var missing []string
	for _, id := range ids {
		if !held[id] {
			missing = append(missing, s.client.creds().forms.string(id))
		}
	}
	if len(missing) > 0 {
		return &NotInAppError{AppID: appID, ServiceIDs: missing}
	}
	return nil
}

// operationError is a failed operation, its message naming the action:
// the console's answer says only "POST …/operations". It unwraps to the
// call's error.
type operationError struct {
	action AppAction
	appID  int64
	err    error
}

func (e *operationError) Error() string {
	return fmt.Sprintf("rainbond: %s the components of app %d: %s", e.action, e.appID, strings.TrimPrefix(e.err.Error(), "rainbond: "))
}

func (e *operationError) Unwrap() error { return e.err }

// OperateAndWait is [AppsService.Operate], then
// [AppsService.WaitForComponents] on the same components, and returns
// them in their final states. wait may be nil: the wait is then for
// [ComponentClosed] after ActionStop, [ComponentRunning] after the other
// actions, on op.ServiceIDs, with the default intervals; its Until and
// ServiceIDs, when empty, are filled in the same way. The wait has the
// guarantees of WaitForComponents: a component that disappears ends it
// with [ErrComponentGone], and ctx bounds it.
//
// For a deploy or a rolling upgrade of components that already run, the
// old instances go on reporting "running" until the new ones replace
// them, so the wait can end before the new version runs: to know when a
// build is done, follow its event instead.
func (s *AppsService) OperateAndWait(ctx context.Context, teamID, regionName string, appID int64, op *AppOperation, wait *WaitOptions, callOpts ...CallOption) ([]ServiceBaseInfo, error) {
	if _, err := s.Operate(ctx, teamID, regionName, appID, op, callOpts...); err != nil {
		return nil, err
	}
	o := waitAfter(op.Action, wait)
	if len(o.ServiceIDs) == 0 {
		o.ServiceIDs = op.ServiceIDs
	}
	return s.wait(ctx, teamID, regionName, appID, &o, nil, callOpts)
}

// OperateAllAndWait is [AppsService.OperateAll], then a wait as
// [AppsService.OperateAndWait] does, on the components the console acted
// on: every component of the app at the first poll, except third-party
// ones and those whose creation is not complete (unless wait.ServiceIDs
// names others).
func (s *AppsService) OperateAllAndWait(ctx context.Context, teamID, regionName string, appID int64, action AppAction, wait *WaitOptions, callOpts ...CallOption) ([]ServiceBaseInfo, error) {
	if _, err := s.OperateAll(ctx, teamID, regionName, appID, action, callOpts...); err != nil {
		return nil, err
	}
	o := waitAfter(action, wait)
	return s.wait(ctx, teamID, regionName, appID, &o, operatedByAll(action), callOpts)
}

// operatedByAll reports the components an action on the whole app acts
// on: openapi/services/app_service.py leaves third-party components out,
// and app_manage.py's start, stop and upgrade skip those whose creation
// is not complete (deploy does not).
func operatedByAll(action AppAction) func(ServiceBaseInfo) bool {
	return func(c ServiceBaseInfo) bool {
		return c.ServiceSource != "third_party" && (action == ActionDeploy || c.CreateStatus == "complete")
	}
}

// waitAfter fills the wait options an operation leaves open.
func waitAfter(action AppAction, wait *WaitOptions) WaitOptions {
	var o WaitOptions
	if wait != nil {
		o = *wait
	}
	if o.Until == "" {
		o.Until = action.settled()
	}
	return o
}

// operation checks an operations body. The console takes any list of ids;
// an empty one means every component, which Operate refuses.
func (v *validator) operation(op *AppOperation, all bool) {
	if op == nil {
		v.add("body", "nil *AppOperation")
		return
	}
	if !op.Action.valid() {
		v.add("action", "%q: must be start, stop, upgrade or deploy", oneLine(string(op.Action), 40))
	}
	v.serviceIDs("service_ids", op.ServiceIDs, all)
}

// serviceIDs checks a list of component ids: present unless the call acts
// on every component, each a possible id. An id given twice is sent as it
// is: the console acts on the component once.
func (v *validator) serviceIDs(field string, ids []string, all bool) {
	switch {
	case all && len(ids) > 0:
		v.add(field, "must be empty to act on every component")
	case !all && len(ids) == 0:
		v.add(field, "empty: the console would act on every component of the app; use the All variant to do that deliberately")
	}
	for i, id := range ids {
		v.text(field+"["+strconv.Itoa(i)+"]", id, charField{required: true, max: maxServiceID, noTrimming: true})
	}
}

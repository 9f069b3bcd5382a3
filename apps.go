package rainbond

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// AppsService installs apps from an app store and copies components
// between apps. Reach it as Client.Apps.
type AppsService struct {
	client *Client
}

// InstallOptions changes an install.
type InstallOptions struct {
	// Deploy builds and starts the installed components. Without it they
	// are created but not deployed.
	Deploy bool
}

// InstallFromMarket installs version install.AppModelVersion of app model
// install.AppModelID from an app store into app appID of team teamID
// (its tenant_id, or its tenant_name) in region regionName.
//
// The console answers with every component of the app, those installed
// earlier included; [MarketInstall.NewComponents] picks the ones this call
// created. Each call installs another set of components: the call is not
// idempotent, and is never sent twice by the client on its own.
//
// Deploying is a yes or no: the console deploys for any non-empty is_deploy
// value, "false" included, so the client sends is_deploy=true to deploy and
// leaves the parameter out otherwise.
//
// Errors to expect, besides the common ones: [ErrNotFound] for an unknown
// team, region, app, app model or version; [ErrConflict] with Code 2001 when
// the team is not opened in the region; [ErrStoreUnauthorized] (401, Code
// 10421) when the store refuses the access key, [ErrForbidden] with Code
// 10407 when it refuses the model; [ErrBadRequest] (Msg "install app
// failure") when installing failed in the cluster, a lack of quota
// included: the console then removes what it had created.
func (s *AppsService) InstallFromMarket(ctx context.Context, teamID, regionName string, appID int64, install *Install, opts *InstallOptions, callOpts ...CallOption) (*MarketInstall, *Response, error) {
	var v validator
	v.context(ctx)
	path := appPath(&v, teamID, regionName, appID, "/install")
	v.install(install)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := ""
	if opts != nil && opts.Deploy {
		query = "is_deploy=true"
	}
	out := new(MarketInstall)
	resp, err := s.client.do(ctx, request{
		method: http.MethodPost, path: path, query: query, body: install.wire(),
		secret: install.MarketAccessKey, opts: callOpts,
	}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// CopyApp copies the components listed in cp.Services, from app appID of
// team teamID in region regionName, into app cp.TargetAppID of team
// cp.TargetTeamName in region cp.TargetRegionName.
//
// The console answers with the new components only. They are always
// deployed, named "<cname>-copy". Each call creates another set: the call is
// not idempotent, and is never sent twice by the client on its own.
//
// An empty cp.Services is refused: the console would copy every component of
// the app. Call [AppsService.CopyAllComponents] for that.
//
// The console does not validate this body and answers a bad one with a 500;
// the client checks it first, so a [*ValidationError] is the usual answer to
// a mistake. Errors to expect from the console: [ErrNotFound] when the
// target team (by tenant_name), its region or the target app does not exist
// or the token's user is not a member; [ErrBadRequest] when the target app
// belongs to another team or for components built from packages;
// [ErrQuotaExceeded] when the team's or the cluster's resources do not
// allow deploying the copies (HTTP 412, or 400 code 20002 with a billing
// service): the copies may already exist, undeployed; [ErrServer] for an
// unknown component id.
func (s *AppsService) CopyApp(ctx context.Context, teamID, regionName string, appID int64, cp *AppCopyC, callOpts ...CallOption) (*AppCopyCRes, *Response, error) {
	return s.copy(ctx, teamID, regionName, appID, cp, false, callOpts)
}

// CopyAllComponents copies every component of app appID into the target
// that cp names. cp.Services must be empty: the console fills in all of the
// app's components. Otherwise it behaves as [AppsService.CopyApp].
func (s *AppsService) CopyAllComponents(ctx context.Context, teamID, regionName string, appID int64, cp *AppCopyC, callOpts ...CallOption) (*AppCopyCRes, *Response, error) {
	return s.copy(ctx, teamID, regionName, appID, cp, true, callOpts)
}

func (s *AppsService) copy(ctx context.Context, teamID, regionName string, appID int64, cp *AppCopyC, wholeApp bool, callOpts []CallOption) (*AppCopyCRes, *Response, error) {
	var v validator
	v.context(ctx)
	path := appPath(&v, teamID, regionName, appID, "/copy")
	v.appCopy(cp, wholeApp)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := *cp
	if body.Services == nil {
		body.Services = []AppCopyModify{} // "services": [], never null
	}
	out := new(AppCopyCRes)
	resp, err := s.client.do(ctx, request{method: http.MethodPost, path: path, body: &body, opts: callOpts}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Create creates an app named app.AppName in team teamID and region
// regionName, for installs and copies to go into. The console answers 201
// with the app; [ErrBadRequest] when the name (or K8sApp) is taken.
func (s *AppsService) Create(ctx context.Context, teamID, regionName string, app *AppPostInfo, callOpts ...CallOption) (*AppBaseInfo, *Response, error) {
	var v validator
	v.context(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/apps")
	v.appPost(app)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(AppBaseInfo)
	resp, err := s.client.do(ctx, request{method: http.MethodPost, path: path, body: app, opts: callOpts}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ListAppsOptions filters [AppsService.List].
type ListAppsOptions struct {
	// Query keeps the apps whose name contains it.
	Query string
}

// List returns the apps of team teamID in region regionName. The console
// does not page this list.
func (s *AppsService) List(ctx context.Context, teamID, regionName string, opts *ListAppsOptions, callOpts ...CallOption) ([]AppBaseInfo, *Response, error) {
	var v validator
	v.context(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/apps")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := ""
	if opts != nil && opts.Query != "" {
		query = url.Values{"query": {opts.Query}}.Encode()
	}
	var out []AppBaseInfo
	resp, err := s.client.do(ctx, request{method: http.MethodGet, path: path, query: query, opts: callOpts}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Get returns app appID with its state and component counts.
func (s *AppsService) Get(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) (*AppInfo, *Response, error) {
	var v validator
	v.context(ctx)
	path := appPath(&v, teamID, regionName, appID, "")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(AppInfo)
	resp, err := s.client.do(ctx, request{method: http.MethodGet, path: path, opts: callOpts}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// DeleteAppOptions changes [AppsService.Delete].
type DeleteAppOptions struct {
	// Force retries the deletion of components the cluster failed to
	// delete. It does not delete running components: the console refuses
	// to delete an app while any component runs ([ErrBadRequest]).
	Force bool
}

// Delete deletes app appID and its components. The app's components must
// be stopped (closed or never deployed).
func (s *AppsService) Delete(ctx context.Context, teamID, regionName string, appID int64, opts *DeleteAppOptions, callOpts ...CallOption) (*Response, error) {
	var v validator
	v.context(ctx)
	path := appPath(&v, teamID, regionName, appID, "")
	if err := v.err(); err != nil {
		return nil, err
	}
	query := ""
	if opts != nil && opts.Force {
		query = "force=1"
	}
	return s.client.do(ctx, request{method: http.MethodDelete, path: path, query: query, opts: callOpts}, nil)
}

// ListComponents returns the components of app appID, each with its
// running state in Status (running, starting, closed, undeploy, abnormal...).
func (s *AppsService) ListComponents(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) ([]ServiceBaseInfo, *Response, error) {
	var v validator
	v.context(ctx)
	path := appPath(&v, teamID, regionName, appID, "/services")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []ServiceBaseInfo
	resp, err := s.client.do(ctx, request{method: http.MethodGet, path: path, opts: callOpts}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ListCopyable returns the components of app appID that [AppsService.CopyApp]
// can copy, with what each is built from. An app that does not exist has
// none: the console answers an empty list, not [ErrNotFound].
func (s *AppsService) ListCopyable(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) ([]AppCopyL, *Response, error) {
	var v validator
	v.context(ctx)
	path := appPath(&v, teamID, regionName, appID, "/copy")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []AppCopyL
	resp, err := s.client.do(ctx, request{method: http.MethodGet, path: path, opts: callOpts}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ErrComponentFailed is matched by the error of
// [AppsService.WaitForComponents] when a component reached one of the
// states in [WaitOptions].FailOn.
var ErrComponentFailed = errors.New("rainbond: component failed")

// WaitOptions tunes [AppsService.WaitForComponents].
type WaitOptions struct {
	// Until is the state every component must reach; empty means
	// [ComponentRunning]. Other useful ones: [ComponentClosed],
	// [ComponentUndeploy].
	Until ComponentStatus
	// ServiceIDs limits the wait to these components; empty waits for every
	// component the app has at the first poll.
	ServiceIDs []string
	// FailOn lists states that end the wait at once with an error matching
	// ErrComponentFailed, e.g. "abnormal". Empty waits through any state.
	FailOn []ComponentStatus
	// Interval is the wait after the first poll, 2 s by default; each next
	// wait is half again as long, up to MaxInterval (15 s by default).
	Interval, MaxInterval time.Duration
}

// WaitError is the error of a [AppsService.WaitForComponents] that ended
// before every component reached the wanted state.
type WaitError struct {
	// AppID is the app waited on.
	AppID int64
	// Until is the state waited for.
	Until ComponentStatus
	// Pending maps the components not in that state to their last state
	// ("" when the cluster did not report one).
	Pending map[string]ComponentStatus
	// Err is why the wait ended: the context's error, ErrComponentFailed,
	// ErrNotFound for a component the app does not have, or the error of
	// the last poll.
	Err error
}

// Error names the components still pending and why the wait ended.
func (e *WaitError) Error() string {
	ids := make([]string, 0, len(e.Pending))
	for id := range e.Pending {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id + ": " + e.Pending[id].String()
	}
	return fmt.Sprintf("rainbond: waiting for the components of app %d to be %s: %d not yet (%s): %v",
		e.AppID, e.Until, len(ids), strings.Join(parts, ", "), e.Err)
}

// Unwrap returns why the wait ended.
func (e *WaitError) Unwrap() error { return e.Err }

// WaitForComponents polls the components of app appID until every one (or
// every one of opts.ServiceIDs) reports the state opts.Until, then returns
// them as last seen, Status holding each state. Polls back off from
// opts.Interval to opts.MaxInterval; each poll is a [AppsService.ListComponents]
// call, retried as the client's policy says.
//
// It ends early with a [*WaitError] when ctx ends, when a component reaches
// a state in opts.FailOn, when a component in opts.ServiceIDs is not in the
// app, or when a poll fails; the components last seen are returned with it.
// An app without components has nothing to wait for and returns at once.
func (s *AppsService) WaitForComponents(ctx context.Context, teamID, regionName string, appID int64, opts *WaitOptions, callOpts ...CallOption) ([]ServiceBaseInfo, error) {
	o := WaitOptions{Until: ComponentRunning, Interval: 2 * time.Second, MaxInterval: 15 * time.Second}
	if opts != nil {
		o.Until = cmp.Or(opts.Until, o.Until)
		o.ServiceIDs, o.FailOn = opts.ServiceIDs, opts.FailOn
		o.Interval = cmp.Or(opts.Interval, o.Interval)
		o.MaxInterval = cmp.Or(opts.MaxInterval, max(o.MaxInterval, o.Interval))
	}
	var v validator
	v.context(ctx)
	appPath(&v, teamID, regionName, appID, "")
	if o.Interval < 0 || o.MaxInterval < o.Interval {
		v.add("interval", "Interval must be positive and at most MaxInterval")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	wait := o.Interval
	for {
		all, _, err := s.ListComponents(ctx, teamID, regionName, appID, callOpts...)
		if err != nil {
			return nil, &WaitError{AppID: appID, Until: o.Until, Err: err}
		}
		watched, pending, err := o.check(all, appID)
		if err != nil || len(pending) == 0 {
			if err != nil {
				err = &WaitError{AppID: appID, Until: o.Until, Pending: pending, Err: err}
			}
			return watched, err
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return watched, &WaitError{AppID: appID, Until: o.Until, Pending: pending, Err: err}
		}
		wait = min(wait+wait/2, o.MaxInterval)
	}
}

// check picks the watched components out of a poll and says which are not
// yet in the wanted state, or why waiting is pointless.
func (o *WaitOptions) check(all []ServiceBaseInfo, appID int64) (watched []ServiceBaseInfo, pending map[string]ComponentStatus, err error) {
	watched = all
	if len(o.ServiceIDs) > 0 {
		byID := make(map[string]ServiceBaseInfo, len(all))
		for _, c := range all {
			byID[c.ServiceID] = c
		}
		watched = make([]ServiceBaseInfo, 0, len(o.ServiceIDs))
		for _, id := range o.ServiceIDs {
			c, ok := byID[id]
			if !ok {
				return watched, map[string]ComponentStatus{id: ""}, fmt.Errorf("%w: component %s is not in app %d", ErrNotFound, id, appID)
			}
			watched = append(watched, c)
		}
	}
	pending = map[string]ComponentStatus{}
	for _, c := range watched {
		switch {
		case slices.Contains(o.FailOn, c.Status):
			return watched, map[string]ComponentStatus{c.ServiceID: c.Status}, fmt.Errorf("%w: %s (%s) is %s", ErrComponentFailed, c.ServiceCname, c.ServiceID, c.Status)
		case c.Status != o.Until:
			pending[c.ServiceID] = c.Status
		}
	}
	return watched, pending, nil
}

package rainbond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// Canary releases: GrayReleaseView, UpdateGrayRatioView, GrayRollbackView
// and GrayReleaseListView (openapi/views/apps/gray_release.py), with
// console/services/gray_release_service.py.

// sinceCanary is the console release that added the canary routes.
const sinceCanary = "v6.6.0"

// CanaryStart is the body of [AppsService.StartCanary].
type CanaryStart struct {
	// TemplateID is the app model whose newest version (the one updated
	// last, in the library or the store) is installed beside the app's
	// components: at most 128 characters.
	TemplateID string `json:"template_id"`
	// RouteName is the gateway route to split, as the console names it:
	// [CanaryRouteName] builds it. Not a host name.
	RouteName string `json:"domain_name"`
	// Ratio is the share of the route's traffic, in percent (0 to 100),
	// the new version gets.
	Ratio int `json:"gray_ratio"`
	// MarketName is the store the template comes from, as
	// [AppUpgradeInfo].MarketName; "" for the local library.
	MarketName string `json:"market_name,omitempty"`
	// FromStore installs from the store MarketName (required then).
	FromStore bool `json:"install_from_cloud"`
}

// Canary is a canary's state, as the console answers a start or a ratio.
type Canary struct {
	// AppID and AppName are the app.
	AppID int64 `json:"app_id"`
	// AppName: see AppID.
	AppName string `json:"app_name"`
	// OriginalServiceID and OriginalServiceName are the component that
	// serves the route, and OriginalWeight its share.
	OriginalServiceID string `json:"original_service_id"`
	// OriginalServiceName: see OriginalServiceID (service_cname).
	OriginalServiceName string `json:"original_service_cname"`
	// OriginalWeight: see OriginalServiceID.
	OriginalWeight int `json:"original_weight"`
	// NewServiceID and NewServiceName are the new version's component of
	// the same name, and NewWeight its share.
	NewServiceID string `json:"new_service_id"`
	// NewServiceName: see NewServiceID.
	NewServiceName string `json:"new_service_cname"`
	// NewWeight: see NewServiceID.
	NewWeight int `json:"new_weight"`
	// RouteName is the route split.
	RouteName string `json:"domain_name"`
	// Ratio is the new version's share, in percent.
	Ratio int `json:"gray_ratio"`
}

// CanaryRollback is the answer of [AppsService.RollbackCanary].
type CanaryRollback struct {
	// AppID and AppName are the app.
	AppID int64 `json:"app_id"`
	// AppName: see AppID.
	AppName string `json:"app_name"`
	// RouteName is the route, all of whose traffic goes back to the
	// original component.
	RouteName string `json:"domain_name"`
	// DeletedComponents is how many of the new version's components were
	// deleted.
	DeletedComponents int `json:"deleted_service_count"`
}

// CanaryStatus is where a canary stands.
type CanaryStatus string

// The statuses of a canary.
const (
	// CanaryActive: the route's traffic is split.
	CanaryActive CanaryStatus = "active"
	// CanaryCompleted: promoted at 100: the original components were
	// deleted.
	CanaryCompleted CanaryStatus = "completed"
	// CanaryCancelled: rolled back: the new version's components were
	// deleted.
	CanaryCancelled CanaryStatus = "cancelled"
)

// CanaryRecord is a canary as [AppsService.ListCanaries] lists it.
type CanaryRecord struct {
	// ID is the record's id.
	ID int64 `json:"id"`
	// AppID and TeamID (a tenant_id) say where it runs; AppName names the
	// app.
	AppID int64 `json:"app_id"`
	// TeamID: see AppID.
	TeamID string `json:"team_id"`
	// AppName: see AppID.
	AppName string `json:"app_name"`
	// TemplateID, TemplateName and TemplateVersion are the model released
	// ("unknown" where the console could not tell).
	TemplateID string `json:"template_id"`
	// TemplateName: see TemplateID.
	TemplateName string `json:"template_name"`
	// TemplateVersion: see TemplateID.
	TemplateVersion string `json:"template_version"`
	// RouteName is the route split.
	RouteName string `json:"domain_name"`
	// Ratio is the last ratio set.
	Ratio int `json:"gray_ratio"`
	// Status is where it stands.
	Status CanaryStatus `json:"status"`
	// Mappings pair each original component with the new version's.
	Mappings []CanaryMapping `json:"service_mappings"`
	// CreateTime and UpdateTime are the console's local times,
	// "2006-01-02 15:04:05".
	CreateTime string `json:"create_time"`
	// UpdateTime: see CreateTime.
	UpdateTime string `json:"update_time"`
}

// CanaryMapping pairs an original component with the new version's of the
// same name.
type CanaryMapping struct {
	// OriginalServiceID, OriginalServiceName and OriginalServiceAlias are
	// the original component.
	OriginalServiceID string `json:"original_service_id"`
	// OriginalServiceName: see OriginalServiceID.
	OriginalServiceName string `json:"original_service_cname"`
	// OriginalServiceAlias: see OriginalServiceID.
	OriginalServiceAlias string `json:"original_service_alias"`
	// GrayServiceID, GrayServiceName and GrayServiceAlias are the new
	// version's.
	GrayServiceID string `json:"gray_service_id"`
	// GrayServiceName: see GrayServiceID.
	GrayServiceName string `json:"gray_service_cname"`
	// GrayServiceAlias: see GrayServiceID.
	GrayServiceAlias string `json:"gray_service_alias"`
}

// CanaryRouteName is the name the console gives the gateway route of an
// HTTP rule for host and path of a component (its service_alias) in app
// appID, which [CanaryStart].RouteName must be: the app id, then
// lower(host+path) with '/' as "p-p", '*' as "s-s" and '_' dropped, then
// "-" and the alias (console: www/apiclient/regionapi.py
// api_gateway_get_proxy; cluster: api_gateway_route.go). A rule on the
// path "/" routes "/*".
func CanaryRouteName(appID int64, host, path, componentAlias string) string {
	if path == "" || path == "/" {
		path = "/*"
	}
	name := strings.ToLower(host + path)
	name = strings.NewReplacer("/", "p-p", "*", "s-s", "_", "").Replace(name)
	return strconv.FormatInt(appID, 10) + name + "-" + componentAlias
}

// ErrCanaryRouteRenamed is matched by the error of
// [AppsService.CanaryRoute] when the app's last canary on the route was
// made under another name: a promotion deleted the component the route
// was named after. A canary started there finds the route by its old name,
// then renames it after the remaining component, so that the console's
// ratio and rollback calls, which look it up by the old name, no longer
// find it: the canary could be neither moved nor rolled back.
var ErrCanaryRouteRenamed = errors.New("rainbond: the route was named after a component a promotion deleted")

// CanaryRoute returns the route name a canary of app appID on host and
// path must give ([CanaryStart].RouteName): that of the route served by
// the component of alias componentAlias, [CanaryRouteName]. When the
// app's newest canary on that host and path named the route otherwise,
// it is [ErrCanaryRouteRenamed] (the error names both): no canary can be
// run safely on that route.
//
// It calls [AppsService.ListCanaries].
func (s *AppsService) CanaryRoute(ctx context.Context, appID int64, host, path, componentAlias string, callOpts ...CallOption) (string, error) {
	v := s.client.validator(ctx)
	v.id("app_id", "app", appID)
	v.text("host", host, charField{required: true, max: 255, noTrimming: true})
	v.text("component_alias", componentAlias, charField{required: true, max: 64, noTrimming: true})
	if err := v.err(); err != nil {
		return "", err
	}
	name := CanaryRouteName(appID, host, path, componentAlias)
	prefix := strings.TrimSuffix(name, componentAlias)
	records, _, err := s.ListCanaries(ctx, "", callOpts...)
	if err != nil {
		return "", err
	}
	for _, r := range records { // newest change first
		if r.AppID != appID || !strings.HasPrefix(r.RouteName, prefix) {
			continue
		}
		if r.RouteName != name {
			return "", fmt.Errorf("%w: canary %d (%s) named it %s; its component now is %s", ErrCanaryRouteRenamed, r.ID, r.Status, r.RouteName, componentAlias)
		}
		break
	}
	return name, nil
}

// canaryRefusal reads the canary routes' errors: their business errors
// carry msg "failed" and the reason in msg_show, and a body the console's
// serializer refuses comes back as a 500 (the SDK checks first, so such a
// 500 means the console changed its rules).
func canaryRefusal(err error) error {
	return mark(err, ErrCanaryNotFound, "", func(e *APIError) bool {
		return e.StatusCode == http.StatusNotFound && (e.Msg == "not_found" || strings.Contains(e.MsgShow, "活跃灰度发布记录"))
	})
}

// ErrCanaryNotFound is matched by the error of [AppsService.SetCanaryRatio]
// and [AppsService.RollbackCanary] when the app has no active canary of
// the template (it was promoted, rolled back, or never started).
var ErrCanaryNotFound = errors.New("rainbond: no active canary of the template in the app")

// StartCanary installs the newest version of canary.TemplateID into app
// appID and sends canary.Ratio percent of the route canary.RouteName's
// traffic to its component of the same name as the one serving the route.
// The new component must have a port open to the outside.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/gray-release
// (consoles since v6.6.0). The console installs first and checks the
// route after: an unknown route is refused (404, with the app's route
// names in MsgShow) after the new components were created in the
// cluster, so [CanaryRouteName] is worth checking first. It does not
// refuse a second canary of the same template: each start installs the
// template again. It is a POST, never sent twice by the client on its own.
func (s *AppsService) StartCanary(ctx context.Context, teamID, regionName string, appID int64, canary *CanaryStart, callOpts ...CallOption) (*Canary, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/gray-release")
	v.canaryStart(canary)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(envelope[Canary])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: canary, opts: callOpts, since: sinceCanary}, out)
	if err != nil {
		return nil, resp, canaryRefusal(err)
	}
	return &out.Data.Bean, resp, nil
}

// SetCanaryRatio moves the active canary of templateID in app appID to
// ratio percent of the route's traffic. At 100 the console promotes it:
// it deletes every component of the original install (force) and the
// canary is completed; at 0 all traffic goes back to the original and the
// canary stays active.
//
// It calls PUT /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/gray-ratio
// (consoles since v6.6.0). [ErrCanaryNotFound] when there is no active
// canary. The console answers success even when the gateway could not be
// updated (it only logs it).
func (s *AppsService) SetCanaryRatio(ctx context.Context, teamID, regionName string, appID int64, templateID string, ratio int, callOpts ...CallOption) (*Canary, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/gray-ratio")
	v.text("template_id", templateID, charField{required: true, max: 128})
	v.ratio(ratio)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := struct {
		TemplateID string `json:"template_id"`
		Ratio      int    `json:"gray_ratio"`
	}{templateID, ratio}
	out := new(envelope[Canary])
	resp, err := s.client.do(ctx, &request{method: http.MethodPut, path: path, body: &body, opts: callOpts, since: sinceCanary}, out)
	if err != nil {
		return nil, resp, canaryRefusal(err)
	}
	return &out.Data.Bean, resp, nil
}

// RollbackCanary sends all of the route's traffic back to the original
// component and deletes the new version's components (force): the canary
// is cancelled.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/gray-rollback
// (consoles since v6.6.0). [ErrCanaryNotFound] when there is no active
// canary. A POST, never sent twice by the client on its own.
func (s *AppsService) RollbackCanary(ctx context.Context, teamID, regionName string, appID int64, templateID string, callOpts ...CallOption) (*CanaryRollback, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/gray-rollback")
	v.text("template_id", templateID, charField{required: true, max: 128})
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := struct {
		TemplateID string `json:"template_id"`
	}{templateID}
	out := new(envelope[CanaryRollback])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceCanary}, out)
	if err != nil {
		return nil, resp, canaryRefusal(err)
	}
	return &out.Data.Bean, resp, nil
}

// ListCanaries returns the canaries of the console, newest change first:
// every team's and every enterprise's (the console does not scope them),
// with status when it is not "". Filter by TeamID and AppID yourself.
//
// It calls GET /openapi/v1/gray-releases (consoles since v6.6.0).
func (s *AppsService) ListCanaries(ctx context.Context, status CanaryStatus, callOpts ...CallOption) ([]CanaryRecord, *Response, error) {
	v := s.client.validator(ctx)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := ""
	if status != "" {
		query = "status=" + url.QueryEscape(string(status))
	}
	out := new(envelope[CanaryRecord])
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/gray-releases", query: query, opts: callOpts, since: sinceCanary}, out)
	if err != nil {
		return nil, resp, err
	}
	return out.Data.List, resp, nil
}

func (v *validator) canaryStart(c *CanaryStart) {
	if c == nil {
		v.add("body", "nil *CanaryStart")
		return
	}
	v.text("template_id", c.TemplateID, charField{required: true, max: 128})
	v.text("domain_name", c.RouteName, charField{required: true, max: 128})
	v.ratio(c.Ratio)
	if c.MarketName != "" {
		v.text("market_name", c.MarketName, charField{max: 128})
	}
	if c.FromStore && pyStrip(c.MarketName) == "" {
		v.add("market_name", "required with FromStore: the console refuses a store install without it")
	}
	if strings.Contains(c.RouteName, "://") {
		v.add("domain_name", "%q: a route name, not a URL: see CanaryRouteName", oneLine(c.RouteName, 80))
	}
}

// ratio checks a canary's share: an integer percentage.
func (v *validator) ratio(r int) {
	if r < 0 || r > 100 {
		v.add("gray_ratio", "%d: a percentage, 0 to 100", r)
	}
}

// CanaryPlan is what [AppsService.RunCanary] does: start a canary, then
// move it through Schedule, asking Gate between steps.
type CanaryPlan struct {
	// Start starts the canary; its Ratio is the first step.
	Start CanaryStart
	// Schedule are the ratios after the first, in order, e.g. 50, 100; a
	// last step of 100 promotes the new version.
	Schedule []int
	// Gate is asked, after each step (the first included), whether the
	// new version is healthy at that ratio; an error rolls the canary
	// back. It runs under RunCanary's ctx.
	Gate func(ctx context.Context, ratio int) error
	// Settle is the wait after each step before Gate is asked (traffic
	// needs time to reach the new version); 0 asks at once. At most an
	// hour.
	Settle time.Duration
	// Timeout bounds the run (the gates included) when ctx has no
	// deadline; 0 is DefaultWaitTimeout plus Settle for each step.
	Timeout time.Duration
}

// CanaryRunError is the error of a [AppsService.RunCanary] that did not
// reach the end of its schedule. It says where the canary stands, so that
// it is never left half-applied without a word.
type CanaryRunError struct {
	// Ratio is the last ratio the console accepted; -1 when the canary
	// never started.
	Ratio int
	// Step is the ratio that failed (to be set, or at its gate).
	Step int
	// GateErr is the gate's refusal; nil when a call failed.
	GateErr error
	// RolledBack reports that the rollback succeeded: the route's traffic
	// is back on the original version and the new one is deleted.
	RolledBack bool
	// Err is the failing call's error, or the rollback's when it failed.
	Err error
}

// Error says where the canary stands.
func (e *CanaryRunError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rainbond: the canary stopped at step %d%%", e.Step)
	if e.GateErr != nil {
		fmt.Fprintf(&b, ": the gate refused it: %v", e.GateErr)
	}
	switch {
	case e.RolledBack:
		b.WriteString("; rolled back: all traffic is on the original version")
	case e.Ratio < 0:
		b.WriteString("; it never started")
	case e.Ratio == 100:
		b.WriteString("; the new version was promoted at 100% and the original components deleted: there is nothing to roll back to")
	default:
		fmt.Fprintf(&b, "; NOT rolled back: %d%% of the traffic still goes to the new version", e.Ratio)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the gate's refusal and the failing call's error.
func (e *CanaryRunError) Unwrap() []error { return []error{e.GateErr, e.Err} }

// RunCanary starts a canary and walks it through plan.Schedule, asking
// plan.Gate after each step, and rolls it back when the gate refuses or a
// step fails. It returns the canary's last state when the schedule is
// done; otherwise a [*CanaryRunError] that says the ratio reached and
// whether the rollback succeeded — a canary is never left half-applied
// without saying so. A step of 100 promotes the new version (the console
// deletes the original components), so put it last; nothing can be rolled
// back after it.
//
// Calls: [AppsService.StartCanary], [AppsService.SetCanaryRatio] per step,
// [AppsService.RollbackCanary] on failure. The rollback runs even when
// ctx has ended (with a fresh minute), so that a cancelled run does not
// leave the split behind. A ctx without a deadline is bounded by
// plan.Timeout (by default DefaultWaitTimeout plus Settle for each step).
func (s *AppsService) RunCanary(ctx context.Context, teamID, regionName string, appID int64, plan *CanaryPlan, callOpts ...CallOption) (*Canary, error) {
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	if plan == nil {
		v.add("plan", "nil *CanaryPlan")
	} else {
		v.canaryPlan(plan)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	ctx, cancel := boundWait(ctx, plan.Timeout, DefaultWaitTimeout+time.Duration(len(plan.Schedule)+1)*plan.Settle)
	defer cancel()
	canary, _, err := s.StartCanary(ctx, teamID, regionName, appID, &plan.Start, callOpts...)
	if err != nil {
		return nil, &CanaryRunError{Ratio: -1, Step: plan.Start.Ratio, Err: err}
	}
	ratio := plan.Start.Ratio
	for i := 0; ; i++ {
		if gateErr := s.gate(ctx, plan, ratio); gateErr != nil {
			return nil, s.abandon(ctx, teamID, regionName, appID, plan.Start.TemplateID, ratio, ratio, gateErr, nil, callOpts)
		}
		if i == len(plan.Schedule) {
			return canary, nil
		}
		next := plan.Schedule[i]
		if canary, _, err = s.SetCanaryRatio(ctx, teamID, regionName, appID, plan.Start.TemplateID, next, callOpts...); err != nil {
			return nil, s.abandon(ctx, teamID, regionName, appID, plan.Start.TemplateID, ratio, next, nil, err, callOpts)
		}
		ratio = next
	}
}

// gate waits plan.Settle, then asks plan.Gate.
func (s *AppsService) gate(ctx context.Context, plan *CanaryPlan, ratio int) error {
	if err := retry.Sleep(ctx, plan.Settle); err != nil {
		return err
	}
	if plan.Gate == nil {
		return nil
	}
	return plan.Gate(ctx, ratio)
}

// abandon rolls the canary back and says where it stands.
func (s *AppsService) abandon(ctx context.Context, teamID, regionName string, appID int64, templateID string, ratio, step int, gateErr, err error, callOpts []CallOption) error {
	out := &CanaryRunError{Ratio: ratio, Step: step, GateErr: gateErr, Err: err}
	if ratio == 100 {
		// Promoted: the console deleted the original components.
		return out
	}
	rollbackCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if _, _, rbErr := s.RollbackCanary(rollbackCtx, teamID, regionName, appID, templateID, callOpts...); rbErr != nil {
		out.Err = errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		return out
	}
	out.RolledBack = true
	return out
}

func (v *validator) canaryPlan(p *CanaryPlan) {
	v.canaryStart(&p.Start)
	last := p.Start.Ratio
	for i, r := range p.Schedule {
		field := "schedule[" + strconv.Itoa(i) + "]"
		switch {
		case r < 0 || r > 100:
			v.add(field, "%d: a percentage, 0 to 100", r)
		case last == 100:
			v.add(field, "after 100, which promotes the new version: nothing can follow it")
		}
		last = r
	}
	if p.Settle < 0 || p.Settle > time.Hour {
		v.add("settle", "%v: 0 to an hour", p.Settle)
	}
	if p.Timeout < 0 {
		v.add("timeout", "%v: must not be negative", p.Timeout)
	}
}

package rainbond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Upgrading the apps installed from an app store: AppUpgradeView in the
// console's openapi/views/apps/market.py, with ListUpgradeSerializer and
// UpgradeSerializer (openapi/serializer/app_serializer.py),
// market_app_service.get_market_apps_in_app and
// upgrade_service.openapi_upgrade_app_models.

// sinceUpgrade is the console release that added the upgrade route.
const sinceUpgrade = "v5.2.1"

// AppUpgradeInfo is an app model installed in an app, with the versions
// it can be upgraded to.
//
// Source: ListUpgradeSerializer, validated by the console before it
// answers, so every field is present and typed as below. The console
// lists one item per install of a model (per component group): a model
// installed twice appears twice, and nothing in the item tells the two
// apart.
type AppUpgradeInfo struct {
	// MarketName is the console's name for the store the model came from
	// (for a store that an install registered, a generated id): the
	// MarketName to give [AppModelUpgrade]. Read it here; it is not the
	// store's domain.
	MarketName string `json:"market_name"`
	// AppModelID is the app model's id.
	AppModelID string `json:"app_model_id"`
	// AppModelName is the app model's name.
	AppModelName string `json:"app_model_name"`
	// CurrentVersion is the version the console records for the model:
	// the one installed, or the last one upgraded to in the console's UI
	// (tenant_service_group.group_version). An upgrade through the
	// OpenAPI ([AppsService.Upgrade]) does not change it, and no OpenAPI
	// answer shows the version after one: after such an upgrade it is
	// older than what the components run.
	CurrentVersion string `json:"current_version"`
	// EnterpriseID is the enterprise's id.
	EnterpriseID string `json:"enterprise_id"`
	// CanUpgrade reports that UpgradeVersions is not empty.
	CanUpgrade bool `json:"can_upgrade"`
	// UpgradeVersions are the versions the store offers above
	// CurrentVersion, newest first (sorted by the SDK with
	// [CompareVersions]: the console sends them in no order). The console
	// picks them with its own ranking (console/utils/version.py
	// compare_version: each dot-separated part a number, or -1 when it is
	// not all digits), which orders pre-releases and "v" prefixes
	// differently from CompareVersions. It may hold CurrentVersion itself
	// when that version was republished after the install, and every
	// version when CurrentVersion is empty.
	UpgradeVersions []string `json:"upgrade_versions"`
	// Source is where the model comes from, e.g. "market" or "local".
	Source string `json:"source"`
}

// Latest is the newest of UpgradeVersions that is newer than
// CurrentVersion (by [CompareVersions]), or "" when there is none.
func (u *AppUpgradeInfo) Latest() string {
	newest := ""
	for _, v := range u.UpgradeVersions {
		if (u.CurrentVersion == "" || CompareVersions(v, u.CurrentVersion) > 0) && (newest == "" || CompareVersions(v, newest) > 0) {
			newest = v
		}
	}
	return newest
}

// AppUpgrade asks for app models of an app to be upgraded.
type AppUpgrade struct {
	// UpdateVersions lists the models, each with the version to go to. The
	// console upgrades them in order.
	UpdateVersions []AppModelUpgrade
}

// AppModelUpgrade is one app model to upgrade.
type AppModelUpgrade struct {
	// MarketName is the store the model came from, as
	// [AppUpgradeInfo].MarketName says; "" (sent as null) means the
	// enterprise's local library.
	MarketName string
	// AppModelID is the app model's id (at most 32 characters).
	AppModelID string
	// AppModelVersion is the version to upgrade to.
	AppModelVersion string
}

// appUpgradeWire is UpgradeSerializer's body: market_name must be
// present, null for the local library.
type appUpgradeWire struct {
	UpdateVersions []appModelUpgradeWire `json:"update_versions"`
}

type appModelUpgradeWire struct {
	MarketName      *string `json:"market_name"`
	AppModelID      string  `json:"app_model_id"`
	AppModelVersion string  `json:"app_model_version"`
}

func (u *AppUpgrade) wire() *appUpgradeWire {
	w := &appUpgradeWire{UpdateVersions: make([]appModelUpgradeWire, len(u.UpdateVersions))}
	for i, m := range u.UpdateVersions {
		w.UpdateVersions[i] = appModelUpgradeWire{AppModelID: m.AppModelID, AppModelVersion: m.AppModelVersion}
		if m.MarketName != "" {
			w.UpdateVersions[i].MarketName = &m.MarketName
		}
	}
	return w
}

// ErrLocalLibraryModel is matched by an [*UpgradeListError] caused by an
// app model installed from the enterprise's local library: the console
// sends such a model's market_name as null, which its own list forbids,
// so it cannot list the app's models at all.
var ErrLocalLibraryModel = errors.New("rainbond: the app holds a model installed from the local library, which the console cannot list")

// UpgradeListError is the console refusing (400) to list the app models
// of an app. The console validates its own list before answering and
// fails the whole call when one item breaks its rules: always for a model
// installed from the local library (see [ErrLocalLibraryModel]), and for
// one with an empty source or a null version.
type UpgradeListError struct {
	// AppID is the app.
	AppID int64
	// UpgradeSent reports that the refusal answered [AppsService.Upgrade]
	// after the upgrade was sent to the cluster: the console lists the
	// models again once it has upgraded them.
	UpgradeSent bool
	// Err is the console's answer; its FieldErrors name the items, e.g.
	// "[1].market_name".
	Err *APIError
}

// Error says that the list failed, and whether an upgrade was sent.
func (e *UpgradeListError) Error() string {
	msg := fmt.Sprintf("rainbond: the console cannot list the app models of app %d", e.AppID)
	if e.localModel() {
		msg += " (one was installed from the local library)"
	}
	if e.UpgradeSent {
		msg += "; the upgrade was sent to the cluster before that"
	}
	return msg + ": " + e.Err.Error()
}

// Unwrap returns the console's answer.
func (e *UpgradeListError) Unwrap() error { return e.Err }

// Is matches ErrLocalLibraryModel when a local-library model caused it.
func (e *UpgradeListError) Is(target error) bool {
	return target == ErrLocalLibraryModel && e.localModel()
}

func (e *UpgradeListError) localModel() bool {
	for field := range e.Err.FieldErrors {
		if strings.HasPrefix(field, "[") && strings.HasSuffix(field, "].market_name") {
			return true
		}
	}
	return false
}

// asUpgradeListError recognises the console's refusal to list an app's
// models: a 400 whose errors are per item of its list ("[i].field"),
// unlike those about the request body.
func asUpgradeListError(err error, appID int64, sent bool) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || len(apiErr.FieldErrors) == 0 {
		return err
	}
	for field := range apiErr.FieldErrors {
		if !strings.HasPrefix(field, "[") {
			return err
		}
	}
	return &UpgradeListError{AppID: appID, UpgradeSent: sent, Err: apiErr}
}

// ErrUpgradeAddsComponents is matched by the error of [AppsService.Upgrade]
// when the version asked for adds components to the model: the console's
// OpenAPI upgrade fails on it (a TypeError in
// install_service_when_upgrade_app, every console since v5.3.1) and
// rolls back, so nothing was changed. Upgrade such an app in the
// console's UI, or install the version into a new app.
var ErrUpgradeAddsComponents = errors.New("rainbond: the version adds components, which the console's OpenAPI upgrade cannot do")

// sinceWorkingUpgrade is the release that mended the OpenAPI upgrade
// (console commit b0abfa976), broken since v5.3.1.
const sinceWorkingUpgrade = "v6.9.4"

// asUpgradeFailure recognises the console's own failures of an upgrade,
// 500s from a TypeError whose message names the function that failed.
func asUpgradeFailure(err error) error {
	failed := func(function string) func(*APIError) bool {
		return func(e *APIError) bool {
			return e.StatusCode == http.StatusInternalServerError && strings.Contains(e.Msg, function+"()")
		}
	}
	err = mark(err, ErrUpgradeAddsComponents, "the console rolled the upgrade back: nothing changed", failed("install_service_when_upgrade_app"))
	err = mark(err, ErrLocalLibraryModel, "the console cannot upgrade a model of the local library through the OpenAPI", failed("get_rainbond_app_and_version"))
	return mark(err, ErrUnsupported, "this console's OpenAPI upgrade fails before any change; it works again since Rainbond console "+sinceWorkingUpgrade, failed("get_or_create_upgrade_record"))
}

// ErrModelNotInApp is matched by a [*ModelNotInAppError].
var ErrModelNotInApp = errors.New("rainbond: the app holds no component of the app model")

// ModelNotInAppError reports app models an upgrade named that the app does
// not hold. The console skips such a model without a word and answers
// 200; the SDK checks the console's answer and reports them, so that an
// upgrade that did nothing is never taken for one that did.
type ModelNotInAppError struct {
	// AppID is the app.
	AppID int64
	// AppModelIDs are the models the app does not hold.
	AppModelIDs []string
}

// Error names the models.
func (e *ModelNotInAppError) Error() string {
	return fmt.Sprintf("rainbond: app %d holds no component of app model %s: nothing was upgraded for it",
		e.AppID, strings.Join(e.AppModelIDs, ", "))
}

// Is makes errors.Is(err, ErrModelNotInApp) work.
func (e *ModelNotInAppError) Is(target error) bool { return target == ErrModelNotInApp }

// ListUpgrades returns the app models installed in app appID, each with
// the versions it can be upgraded to, newest first.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/upgrade
// (consoles since v5.2.1). Models the store or the local library no
// longer holds are left out by the console; an app without any answers an
// empty list. Errors to expect: an [*UpgradeListError] (400) when the
// console cannot list one of the models, [ErrLocalLibraryModel] for a
// model installed from the local library; [ErrNotFound] for a store
// record deleted since the install.
func (s *AppsService) ListUpgrades(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) ([]AppUpgradeInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/upgrade")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []AppUpgradeInfo
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceUpgrade}, &out)
	if err != nil {
		return nil, resp, asUpgradeListError(err, appID, false)
	}
	sortUpgrades(out)
	return out, resp, nil
}

func sortUpgrades(list []AppUpgradeInfo) {
	for i := range list {
		sortNewestFirst(list[i].UpgradeVersions)
	}
}

// Upgrade upgrades app models of app appID to the versions up names, and
// returns the app's models as the console lists them afterwards.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/upgrade
// (consoles since v5.2.1; it works on v5.2.1–v5.3.0 and since v6.9.4:
// between them every upgrade fails in the console). For each model the
// console compares the components of the model in the app, in every
// install of it, with the version's template, and changes only those
// that lack something the template has (a variable, a port, a volume, a
// newer deploy version): it adds, and never removes or reverts, so an
// "upgrade" to an older version changes little. It sends each changed
// component's upgrade to the cluster and answers: the upgrade goes on in
// the cluster afterwards (follow the components' states or events). The
// list it answers still shows each model's old CurrentVersion: the
// console does not record the version on this path.
//
// A model the app does not hold is skipped by the console without an
// error; Upgrade reports it with a [*ModelNotInAppError] (the other models
// were upgraded, and the list is returned with it). The console's own
// failures, each a 500 from a Python TypeError in it, are recognised:
// [ErrUpgradeAddsComponents] when the version adds components (the
// console cannot do that on this path; nothing changed),
// [ErrLocalLibraryModel] for a model of the local library (MarketName ""),
// and [ErrUnsupported] on a console between v5.3.1 and v6.9.3. Other
// errors to expect: [ErrBadRequest] for a version the library lacks,
// [ErrNotFound] for an unknown MarketName, [ErrQuotaExceeded], and an
// [*UpgradeListError] with UpgradeSent when the console upgraded but could
// not list the result. The call is a POST and is not sent twice by the
// client on its own.
func (s *AppsService) Upgrade(ctx context.Context, teamID, regionName string, appID int64, up *AppUpgrade, callOpts ...CallOption) ([]AppUpgradeInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/upgrade")
	v.appUpgrade(up)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []AppUpgradeInfo
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: up.wire(), opts: callOpts, since: sinceUpgrade}, &out)
	if err != nil {
		return nil, resp, asUpgradeFailure(asUpgradeListError(err, appID, true))
	}
	sortUpgrades(out)
	if missing := modelsNotListed(up, out); len(missing) > 0 {
		return out, resp, &ModelNotInAppError{AppID: appID, AppModelIDs: missing}
	}
	return out, resp, nil
}

// modelsNotListed are the models of up that the console's list after the
// upgrade does not hold: the app has no component of them.
func modelsNotListed(up *AppUpgrade, listed []AppUpgradeInfo) []string {
	held := make(map[string]bool, len(listed))
	for _, m := range listed {
		held[m.AppModelID] = true
	}
	var missing []string
	for _, m := range up.UpdateVersions {
		if id := pyStrip(m.AppModelID); !held[id] {
			missing = append(missing, id)
		}
	}
	return missing
}

// UpgradeResult is what [AppsService.UpgradeToLatest] and
// [AppsService.UpgradeModelTo] did.
type UpgradeResult struct {
	// AppModelID is the model.
	AppModelID string
	// Recorded is the version the console records for the model before
	// the call ([AppUpgradeInfo].CurrentVersion): the one installed or
	// last upgraded to in the console's UI, not necessarily the one
	// running, since upgrades through the OpenAPI do not show in it.
	Recorded string
	// To is the version an upgrade was sent for; "" when nothing was sent.
	To string
	// Why says, when nothing was sent, why not: the store offers nothing
	// newer than Recorded, or it offers versions that the console ranks
	// newer and [CompareVersions] does not (see NotNewer). "" when To is
	// set.
	Why string
	// NotNewer are the versions the console offered that CompareVersions
	// does not rank above Recorded (Recorded itself, republished, among
	// them); [AppsService.UpgradeModelTo] upgrades to one of them if it is
	// wanted.
	NotNewer []string
	// Models are the app's models as the console listed them last.
	Models []AppUpgradeInfo
}

// skipped fills Why and NotNewer for a model with nothing newer.
func (r *UpgradeResult) skipped(held AppUpgradeInfo) {
	for _, v := range held.UpgradeVersions {
		if held.CurrentVersion != "" && CompareVersions(v, held.CurrentVersion) <= 0 {
			r.NotNewer = append(r.NotNewer, v)
		}
	}
	if len(r.NotNewer) == 0 {
		r.Why = fmt.Sprintf("the store offers nothing newer than %s, the version the console records", held.CurrentVersion)
		return
	}
	r.Why = fmt.Sprintf("the console offers %s as newer than %s by its own ranking (compare_version), "+
		"which rainbond.CompareVersions does not share: nothing was sent; UpgradeModelTo upgrades to a version of them",
		strings.Join(r.NotNewer, ", "), held.CurrentVersion)
}

// UpgradeToLatest upgrades app model appModelID of app appID to the newest
// version its store offers, if that is newer (by [CompareVersions]) than
// the version the console records. It lists the app's models
// ([AppsService.ListUpgrades]), then, when there is a newer version, calls
// [AppsService.Upgrade] with the model's MarketName. When it sends
// nothing, the result's Why says why.
//
// A model installed more than once in the app is upgraded once, to the
// newest version any of its installs is offered (the console upgrades the
// model's components in every install). Since the console keeps
// recording the old version after an upgrade through the OpenAPI (see
// [AppUpgradeInfo].CurrentVersion), calling it again sends the same
// upgrade again, which changes nothing in the cluster; the result's
// Recorded is that old version, not the one running.
// [ErrModelNotInApp] when the app does not hold the model.
func (s *AppsService) UpgradeToLatest(ctx context.Context, teamID, regionName string, appID int64, appModelID string, callOpts ...CallOption) (*UpgradeResult, *Response, error) {
	return s.upgradeModel(ctx, teamID, regionName, appID, appModelID, "", callOpts)
}

// UpgradeModelTo upgrades app model appModelID of app appID to version,
// whatever the store offers: it lists the app's models to find the
// model's MarketName, then calls [AppsService.Upgrade]. Errors as
// [AppsService.UpgradeToLatest]'s, and the version's (a version the store
// lacks).
func (s *AppsService) UpgradeModelTo(ctx context.Context, teamID, regionName string, appID int64, appModelID, version string, callOpts ...CallOption) (*UpgradeResult, *Response, error) {
	return s.upgradeModel(ctx, teamID, regionName, appID, appModelID, version, callOpts)
}

// upgradeModel upgrades a model to version, or, for "", to the newest
// version offered (nothing when none is newer).
func (s *AppsService) upgradeModel(ctx context.Context, teamID, regionName string, appID int64, appModelID, version string, callOpts []CallOption) (*UpgradeResult, *Response, error) {
	latest := version == ""
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	v.text("app_model_id", appModelID, charField{required: true, max: 32})
	if !latest {
		v.text("app_model_version", version, charField{required: true, max: 64})
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	models, resp, err := s.ListUpgrades(ctx, teamID, regionName, appID, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	held, found := newestOffer(models, pyStrip(appModelID))
	if !latest {
		held, found = newestInstall(models, pyStrip(appModelID))
		version = pyStrip(version)
	}
	if !found {
		return nil, resp, &ModelNotInAppError{AppID: appID, AppModelIDs: []string{appModelID}}
	}
	if latest {
		if version = held.Latest(); version == "" {
			result := &UpgradeResult{AppModelID: held.AppModelID, Recorded: held.CurrentVersion, Models: models}
			result.skipped(held)
			return result, resp, nil
		}
	}
	return s.upgradeInstall(ctx, teamID, regionName, appID, held, version, callOpts)
}

// upgradeInstall upgrades the model of an install the console listed to
// version, through the install's market.
func (s *AppsService) upgradeInstall(ctx context.Context, teamID, regionName string, appID int64, held AppUpgradeInfo, version string, callOpts []CallOption) (*UpgradeResult, *Response, error) {
	up := &AppUpgrade{UpdateVersions: []AppModelUpgrade{{MarketName: held.MarketName, AppModelID: held.AppModelID, AppModelVersion: version}}}
	after, resp, err := s.Upgrade(ctx, teamID, regionName, appID, up, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	return &UpgradeResult{AppModelID: held.AppModelID, Recorded: held.CurrentVersion, To: version, Models: after}, resp, nil
}

// newestOffer picks, among the installs of model id, the one offered the
// newest upgrade (the first when none is).
func newestOffer(models []AppUpgradeInfo, id string) (AppUpgradeInfo, bool) {
	return installOf(models, id, func(m AppUpgradeInfo) string { return m.Latest() })
}

// newestInstall picks, among the installs of model id, the one at the
// newest version.
func newestInstall(models []AppUpgradeInfo, id string) (AppUpgradeInfo, bool) {
	return installOf(models, id, func(m AppUpgradeInfo) string { return m.CurrentVersion })
}

// installOf picks, among the installs of model id, the one whose version
// (as version reads it) is the newest; the first among equals.
func installOf(models []AppUpgradeInfo, id string, version func(AppUpgradeInfo) string) (AppUpgradeInfo, bool) {
	var best AppUpgradeInfo
	found := false
	for _, m := range models {
		if m.AppModelID == id && (!found || CompareVersions(version(m), version(best)) > 0) {
			best, found = m, true
		}
	}
	return best, found
}

// appUpgrade checks an upgrade body as UpgradeSerializer does, and
// refuses what the console would take but get wrong: nothing to upgrade,
// and one model named twice.
func (v *validator) appUpgrade(up *AppUpgrade) {
	if up == nil {
		v.add("body", "nil *AppUpgrade")
		return
	}
	if len(up.UpdateVersions) == 0 {
		v.add("update_versions", "empty: nothing to upgrade")
	}
	seen := make(map[string]int, len(up.UpdateVersions))
	for i, m := range up.UpdateVersions {
		field := "update_versions[" + strconv.Itoa(i) + "]"
		if m.MarketName != "" {
			v.text(field+".market_name", m.MarketName, charField{required: true, max: 64})
		}
		v.text(field+".app_model_id", m.AppModelID, charField{required: true, max: 32})
		v.text(field+".app_model_version", m.AppModelVersion, charField{required: true, max: 64})
		id := pyStrip(m.AppModelID)
		if first, dup := seen[id]; dup && id != "" {
			v.add(field+".app_model_id", "same app model as update_versions[%d]", first)
		} else {
			seen[id] = i
		}
	}
}

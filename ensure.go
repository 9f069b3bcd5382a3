package rainbond

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Calls that check the state before they write, so that a script can run
// them again and again: each documents what it reads, what it writes, and
// the race a concurrent writer can still win.

// ErrDuplicateApp is matched by a [*DuplicateAppError]: a team holds two
// or more apps of one name in a region.
var ErrDuplicateApp = errors.New("rainbond: more than one app of that name")

// DuplicateAppError reports that the name [AppsService.Ensure] looked for
// is held by several apps: two runs raced to create it, or apps were
// created so by hand. Ensure returns the app with the lowest id (the
// first created) together with this error, so that every run picks the
// same one; the others are left for the caller to delete.
type DuplicateAppError struct {
	// Name is the app name.
	Name string
	// AppIDs are the ids of every app of that name, lowest first; the
	// first is the one Ensure returned.
	AppIDs []int64
}

// Error names the apps.
func (e *DuplicateAppError) Error() string {
	ids := make([]string, len(e.AppIDs))
	for i, id := range e.AppIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf("rainbond: %d apps are named %q (ids %s): using %s, the first created; delete the others",
		len(e.AppIDs), e.Name, strings.Join(ids, ", "), ids[0])
}

// Is makes errors.Is(err, ErrDuplicateApp) work.
func (e *DuplicateAppError) Is(target error) bool { return target == ErrDuplicateApp }

// Ensure returns the app named app.AppName in team teamID and region
// regionName, creating it when there is none, and reports whether it
// created it.
//
// It lists the team's apps whose name contains app.AppName
// ([AppsService.List]) and picks the one named exactly so; only when there
// is none does it create one ([AppsService.Create]), then lists again. An
// existing app is returned as it is: its note and K8sApp are not compared
// with app's.
//
// The console cannot stop two runs from both creating the app: its
// create_app (console/services/group_service.py) checks the name, inserts
// and calls the cluster in one transaction, and the name has no unique
// constraint, so two runs whose checks both come before either commits
// both create one. That is why Ensure lists again after creating: when
// the name is then held more than once (or already was), it returns the
// app with the lowest id together with a [*DuplicateAppError] (errors.Is
// [ErrDuplicateApp]), and created reports whether that app is the one
// this call created. The run that reads back first may do so before the
// other's creation is committed: it sees only its own app, and the other
// run reports the duplicate. Runs that do not overlap so closely see the first
// run's app, or the console's refusal ("app name exist"), after which
// Ensure lists again and returns that app. A console whose database
// compares names without case (MySQL's default) makes "Blog" and "blog"
// the same name; Ensure then returns the existing one.
func (s *AppsService) Ensure(ctx context.Context, teamID, regionName string, app *AppPostInfo, callOpts ...CallOption) (*AppBaseInfo, bool, error) {
	v := s.client.validator(ctx)
	teamRegionPath(&v, teamID, regionName, "")
	v.appPost(app)
	if err := v.err(); err != nil {
		return nil, false, err
	}
	name := pyStrip(app.AppName)
	if found, err := s.findApp(ctx, teamID, regionName, name, false, callOpts); err != nil || found != nil {
		return found, false, err
	}
	created, _, err := s.Create(ctx, teamID, regionName, app, callOpts...)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest && apiErr.Msg == "app name exist" {
		found, findErr := s.findApp(ctx, teamID, regionName, name, true, callOpts)
		if findErr == nil && found == nil {
			findErr = fmt.Errorf("rainbond: the console says an app named %q exists, but does not list it", name)
		}
		if findErr != nil && !errors.Is(findErr, ErrDuplicateApp) {
			return nil, false, errors.Join(err, findErr)
		}
		return found, false, findErr
	}
	if err != nil {
		return nil, false, err
	}
	found, err := s.findApp(ctx, teamID, regionName, name, false, callOpts)
	switch {
	case found == nil && err == nil:
		return created, true, nil // the list lags behind: the app is ours
	case found == nil:
		return created, true, fmt.Errorf("rainbond: app %d was created, but listing the apps again failed: %w", created.ID, err)
	}
	return found, found.ID == created.ID, err
}

// findApp finds the app named name, exactly or, with anyCase, in any
// case; nil when there is none. When several are, it returns the one
// with the lowest id and a [*DuplicateAppError].
func (s *AppsService) findApp(ctx context.Context, teamID, regionName, name string, anyCase bool, callOpts []CallOption) (*AppBaseInfo, error) {
	apps, _, err := s.List(ctx, teamID, regionName, &ListAppsOptions{Query: name}, callOpts...)
	if err != nil {
		return nil, err
	}
	named := func(a AppBaseInfo) bool { return a.GroupName == name }
	if anyCase && !slices.ContainsFunc(apps, named) {
		named = func(a AppBaseInfo) bool { return strings.EqualFold(a.GroupName, name) }
	}
	var same []AppBaseInfo
	for _, a := range apps {
		if named(a) {
			same = append(same, a)
		}
	}
	if len(same) == 0 {
		return nil, nil
	}
	slices.SortFunc(same, func(a, b AppBaseInfo) int { return cmp.Compare(a.ID, b.ID) })
	if len(same) == 1 {
		return &same[0], nil
	}
	dup := &DuplicateAppError{Name: s.client.creds().forms.string(name)}
	for _, a := range same {
		dup.AppIDs = append(dup.AppIDs, a.ID)
	}
	return &same[0], dup
}

// InstallOutcome is what [AppsService.EnsureInstalled] did.
type InstallOutcome string

// The outcomes of EnsureInstalled.
const (
	// OutcomeInstalled: the app did not hold the model; it was installed.
	OutcomeInstalled InstallOutcome = "installed"
	// OutcomeUpgraded: the console records an older version of the model
	// than the one asked for; an upgrade to it was sent (see
	// [AppsService.Upgrade] for what the console changes).
	OutcomeUpgraded InstallOutcome = "upgraded"
	// OutcomeUnknown: the console records the model at the version asked
	// for, and nothing was sent. The record is the version installed (or
	// last upgraded in the console's UI): an upgrade through the OpenAPI
	// since would not show in it, so whether the app still runs that
	// version is unknown. EnsureInstalled never reports "unchanged".
	OutcomeUnknown InstallOutcome = "unknown"
)

// String returns the outcome's name.
func (o InstallOutcome) String() string { return string(o) }

// InstallEnsured is the result of [AppsService.EnsureInstalled].
type InstallEnsured struct {
	// Outcome says what was done.
	Outcome InstallOutcome
	// RecordedVersion is the version the console recorded for the model
	// before the call ([AppUpgradeInfo].CurrentVersion): the version
	// installed, or last upgraded in the console's UI, not necessarily the
	// one running. "" when the app did not hold the model.
	RecordedVersion string
	// Installed is the install's answer, with Outcome OutcomeInstalled.
	Installed *MarketInstall
	// Models are the app's models as the console listed them last (before
	// an install; after an upgrade).
	Models []AppUpgradeInfo
}

// ErrNewerInstalled is matched by the error of
// [AppsService.EnsureInstalled] when the console records a newer version
// of the model than the one asked for: EnsureInstalled does not send a
// downgrade below what the console records.
var ErrNewerInstalled = errors.New("rainbond: the console records a newer version of the app model")

// EnsureInstalled makes sure app appID holds app model
// install.AppModelID, at version install.AppModelVersion as far as the
// console can tell. It installs the model when the app does not hold it,
// sends an upgrade when the console records an older version, and sends
// nothing otherwise.
//
// What it reads: the app's models, from [AppsService.ListUpgrades]; a
// model is held when the list has an item with its id, and the item's
// CurrentVersion is the version the console records. What it writes:
// [AppsService.InstallFromMarket] (with opts), or [AppsService.Upgrade] to
// the version, with the item's MarketName.
//
// What it cannot see: the console records a model's version when it is
// installed, or upgraded in its UI, and never when it is upgraded through
// the OpenAPI (console/services/upgrade_services.py
// openapi_upgrade_app_models does not write tenant_service_group's
// group_version, and no OpenAPI answer shows what it does write). So:
//
//   - a recorded version equal to the one asked for is reported as
//     [OutcomeUnknown], never as unchanged: after an upgrade through the
//     OpenAPI the app may run another version;
//   - a recorded version older than the one asked for gets the upgrade,
//     again on every run (the console applies an upgrade to the settings
//     the components already have without touching them);
//   - a recorded version newer than the one asked for is an error
//     matching [ErrNewerInstalled], but a downgrade below a version
//     reached through the OpenAPI cannot be seen: after EnsureInstalled
//     to 6.6 (recorded 6.4), EnsureInstalled to 6.5 sends an upgrade to
//     6.5. The console applies it additively (it adds what the 6.5
//     template has and the components lack, and removes or reverts
//     nothing).
//
// An app whose models the console cannot list is an [*UpgradeListError];
// the upgrade's own errors are [AppsService.Upgrade]'s. It cannot stop a
// concurrent writer either: two runs that both read "not installed" both
// install, and the app then holds the model twice; serialize the runs
// that target one app.
func (s *AppsService) EnsureInstalled(ctx context.Context, teamID, regionName string, appID int64, install *Install, opts *InstallOptions, callOpts ...CallOption) (*InstallEnsured, error) {
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	v.install(install)
	if err := v.err(); err != nil {
		return nil, err
	}
	models, _, err := s.ListUpgrades(ctx, teamID, regionName, appID, callOpts...)
	if err != nil {
		return nil, err
	}
	id, want := pyStrip(install.AppModelID), pyStrip(install.AppModelVersion)
	held, found := newestInstall(models, id)
	result := &InstallEnsured{RecordedVersion: held.CurrentVersion, Models: models}
	switch {
	case !found:
		installed, _, err := s.InstallFromMarket(ctx, teamID, regionName, appID, install, opts, callOpts...)
		if err != nil {
			return nil, err
		}
		result.Outcome, result.Installed = OutcomeInstalled, installed
	case held.CurrentVersion == want:
		result.Outcome = OutcomeUnknown
	case CompareVersions(held.CurrentVersion, want) > 0:
		return nil, fmt.Errorf("%w: app %d records %s at %s, newer than %s", ErrNewerInstalled, appID, id, held.CurrentVersion, want)
	default:
		upgraded, _, err := s.upgradeInstall(ctx, teamID, regionName, appID, held, want, callOpts)
		if err != nil {
			return nil, err
		}
		result.Outcome, result.Models = OutcomeUpgraded, upgraded.Models
	}
	return result, nil
}

package rainbond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Calls that check the state before they write, so that a script can run
// them again and again: each documents what it reads, what it writes, and
// the race a concurrent writer can still win.

// Ensure returns the app named app.AppName in team teamID and region
// regionName, creating it when there is none, and reports whether it
// created it.
//
// It lists the team's apps whose name contains app.AppName
// ([AppsService.List]) and picks the one named exactly so; only when there
// is none does it create one ([AppsService.Create]). An existing app is
// returned as it is: its note and K8sApp are not compared with app's. When
// a concurrent writer creates the app between the list and the creation,
// the console refuses the creation ("app name exist") and Ensure lists
// again and returns that app, so two racing runs still end with one app.
// A console whose database compares names without case (MySQL's default)
// makes "Blog" and "blog" the same app; Ensure then returns the existing
// one.
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
		if findErr != nil || found == nil {
			return nil, false, errors.Join(err, findErr)
		}
		return found, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return created, true, nil
}

// findApp finds the app named name, exactly or, with anyCase, in any
// case; nil when there is none.
func (s *AppsService) findApp(ctx context.Context, teamID, regionName, name string, anyCase bool, callOpts []CallOption) (*AppBaseInfo, error) {
	apps, _, err := s.List(ctx, teamID, regionName, &ListAppsOptions{Query: name}, callOpts...)
	if err != nil {
		return nil, err
	}
	for i := range apps {
		if apps[i].GroupName == name {
			return &apps[i], nil
		}
	}
	if anyCase {
		for i := range apps {
			if strings.EqualFold(apps[i].GroupName, name) {
				return &apps[i], nil
			}
		}
	}
	return nil, nil
}

// InstallOutcome is what [AppsService.EnsureInstalled] did.
type InstallOutcome string

// The outcomes of EnsureInstalled.
const (
	// OutcomeInstalled: the app did not hold the model; it was installed.
	OutcomeInstalled InstallOutcome = "installed"
	// OutcomeUpgraded: the app held an older version; it was upgraded.
	OutcomeUpgraded InstallOutcome = "upgraded"
	// OutcomeUnchanged: the app held the version asked for.
	OutcomeUnchanged InstallOutcome = "unchanged"
)

// String returns the outcome's name.
func (o InstallOutcome) String() string { return string(o) }

// InstallEnsured is the result of [AppsService.EnsureInstalled].
type InstallEnsured struct {
	// Outcome says what was done.
	Outcome InstallOutcome
	// PreviousVersion is the version the console listed for the model
	// before the call; "" when the app did not hold it.
	PreviousVersion string
	// Installed is the install's answer, with Outcome OutcomeInstalled.
	Installed *MarketInstall
	// Models are the app's models as the console listed them last (before
	// an install; after an upgrade).
	Models []AppUpgradeInfo
}

// ErrNewerInstalled is matched by the error of
// [AppsService.EnsureInstalled] when the app holds a newer version of the
// model than the one asked for: the SDK does not downgrade.
var ErrNewerInstalled = errors.New("rainbond: the app holds a newer version of the app model")

// EnsureInstalled makes sure app appID holds app model install.AppModelID
// at version install.AppModelVersion: it installs the model when the app
// does not hold it, upgrades it when the app holds an older version, and
// does nothing when it holds that version.
//
// What it reads: the app's models, from [AppsService.ListUpgrades]; a
// model is held when the list has an item with its id, at the item's
// CurrentVersion. What it writes: [AppsService.InstallFromMarket] (with
// opts), or [AppsService.Upgrade] to the version, with the item's
// MarketName. A newer version than asked is an error matching
// [ErrNewerInstalled]; an app whose models the console cannot list, an
// [*UpgradeListError].
//
// What it cannot see: the console keeps listing the version of the
// install after an upgrade through the OpenAPI, so after an upgrade every
// later run upgrades again, which the console applies without changing
// any component (their settings already match). And it cannot stop a
// concurrent writer: two runs that both read "not installed" both install,
// and the app then holds the model twice; serialize the runs that target
// one app.
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
	result := &InstallEnsured{PreviousVersion: held.CurrentVersion, Models: models}
	switch {
	case !found:
		installed, _, err := s.InstallFromMarket(ctx, teamID, regionName, appID, install, opts, callOpts...)
		if err != nil {
			return nil, err
		}
		result.Outcome, result.Installed = OutcomeInstalled, installed
	case held.CurrentVersion == want:
		result.Outcome = OutcomeUnchanged
	case CompareVersions(held.CurrentVersion, want) > 0:
		return nil, fmt.Errorf("%w: app %d holds %s at %s, newer than %s", ErrNewerInstalled, appID, id, held.CurrentVersion, want)
	default:
		upgraded, _, err := s.upgradeInstall(ctx, teamID, regionName, appID, held, want, callOpts)
		if err != nil {
			return nil, err
		}
		result.Outcome, result.Models = OutcomeUpgraded, upgraded.Models
	}
	return result, nil
}

package rainbond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Console releases that added the routes below (route table in the
// console's openapi/sub_urls/app_url.py, by the first release holding
// each); the other app routes are as old as the OpenAPI.
const (
	sinceCopy       = "v5.2.1"
	sinceComponents = "v5.2.1"
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
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/install.
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
	v := s.client.validator(ctx)
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
	resp, err := s.client.do(ctx, &request{
		method: http.MethodPost, path: path, query: query, body: install.wire(),
		secret: install.MarketAccessKey.Value(), opts: callOpts,
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
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/copy (consoles since v5.2.1).
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
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/copy (consoles since v5.2.1).
func (s *AppsService) CopyAllComponents(ctx context.Context, teamID, regionName string, appID int64, cp *AppCopyC, callOpts ...CallOption) (*AppCopyCRes, *Response, error) {
	return s.copy(ctx, teamID, regionName, appID, cp, true, callOpts)
}

func (s *AppsService) copy(ctx context.Context, teamID, regionName string, appID int64, cp *AppCopyC, wholeApp bool, callOpts []CallOption) (*AppCopyCRes, *Response, error) {
	v := s.client.validator(ctx)
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
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceCopy}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Create creates an app named app.AppName in team teamID and region
// regionName, for installs and copies to go into. The console answers 201
// with the app; [ErrBadRequest] when the name (or K8sApp) is taken.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps.
func (s *AppsService) Create(ctx context.Context, teamID, regionName string, app *AppPostInfo, callOpts ...CallOption) (*AppBaseInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/apps")
	v.appPost(app)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(AppBaseInfo)
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: app, opts: callOpts}, out)
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
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps.
func (s *AppsService) List(ctx context.Context, teamID, regionName string, opts *ListAppsOptions, callOpts ...CallOption) ([]AppBaseInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/apps")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := ""
	if opts != nil && opts.Query != "" {
		query = url.Values{"query": {opts.Query}}.Encode()
	}
	var out []AppBaseInfo
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, query: query, opts: callOpts}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Get returns app appID with its state and component counts.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}.
func (s *AppsService) Get(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) (*AppInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(AppInfo)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts}, out)
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

// Delete deletes app appID and its stopped components. The console
// refuses (400) while any of its components is not closed or undeployed
// (running, starting, abnormal...): stop them first. It leaves the app's
// third-party components behind, attached to no app.
// [AppsService.DeleteEverything] stops and deletes everything instead.
//
// A DELETE is retried after an ambiguous failure; when the retry finds the
// app gone (404) the call succeeds, the earlier attempt having done it,
// and the Response holds the 404.
//
// It calls DELETE /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}.
func (s *AppsService) Delete(ctx context.Context, teamID, regionName string, appID int64, opts *DeleteAppOptions, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "")
	if err := v.err(); err != nil {
		return nil, err
	}
	query := ""
	if opts != nil && opts.Force {
		query = "force=1"
	}
	return s.client.do(ctx, &request{method: http.MethodDelete, path: path, query: query, opts: callOpts}, nil)
}

// sinceDeleteApp is the release that added the delete-everything route.
const sinceDeleteApp = "v5.15.1"

// DeleteEverything stops and deletes app appID with everything in it:
// its components, third-party ones included, whatever their state, its
// Kubernetes resources and its configuration groups. Unlike
// [AppsService.Delete], it does not refuse an app whose components run.
//
// The console's route deletes by id without checking the app's team
// first (an id of another team's app in the region deletes that app's
// Kubernetes resources before failing), so DeleteEverything first reads
// the app through this team ([AppsService.Get]): an app the team does not
// have is [ErrNotFound] and nothing is sent.
//
// It calls GET …/apps/{app_id}, then DELETE /openapi/v1/teams/{team_id}/regions/{region_name}/app/{app_id}/delete
// (consoles since v5.15.1).
func (s *AppsService) DeleteEverything(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/app/")
	v.id("app_id", "app", appID)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, resp, err := s.Get(ctx, teamID, regionName, appID, callOpts...); err != nil {
		return resp, err
	}
	return s.client.do(ctx, &request{method: http.MethodDelete, path: path + strconv.FormatInt(appID, 10) + "/delete", opts: callOpts, since: sinceDeleteApp}, nil)
}

// sinceCloseAll is the release that added the close route.
const sinceCloseAll = "v5.3.1"

// CloseAll stops every component of team teamID in region regionName,
// in every app, or, with serviceIDs, those of them. It answers once the
// cluster has the work; the components stop afterwards.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/close
// (consoles since v5.3.1). Ids the team does not have are dropped by the
// console; none left is its 500 ("batch manage error").
func (s *AppsService) CloseAll(ctx context.Context, teamID, regionName string, serviceIDs []string, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/apps/close")
	v.serviceIDs("service_ids", serviceIDs, len(serviceIDs) == 0) // none: every component
	if err := v.err(); err != nil {
		return nil, err
	}
	body := map[string][]string{"service_ids": serviceIDs}
	if serviceIDs == nil {
		body["service_ids"] = []string{}
	}
	return s.client.do(ctx, &request{method: http.MethodPost, path: path, body: body, opts: callOpts, since: sinceCloseAll}, nil)
}

// ErrAmbiguousComponent is matched by the error of [AppsService.FindComponent]
// when several components of the app have the display name asked for.
var ErrAmbiguousComponent = errors.New("rainbond: several components have that name")

// FindComponent returns the component of app appID that name names, as a
// user sees it: its service_id, its service_alias, its k8s_component_name
// or its display name (service_cname), tried in that order.
// [ErrNotFound] when none does; [ErrAmbiguousComponent] when several have
// that display name (the error names their ids).
//
// It calls [AppsService.ListComponents].
func (s *AppsService) FindComponent(ctx context.Context, teamID, regionName string, appID int64, name string, callOpts ...CallOption) (*ServiceBaseInfo, error) {
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	v.text("name", name, charField{required: true, max: 128, noTrimming: true})
	if err := v.err(); err != nil {
		return nil, err
	}
	comps, _, err := s.ListComponents(ctx, teamID, regionName, appID, callOpts...)
	if err != nil {
		return nil, err
	}
	return findComponent(comps, name, appID, s.client.creds().forms)
}

// FindComponents resolves names as [AppsService.FindComponent] does, each
// to its component, in order, listing the app's components once.
func (s *AppsService) FindComponents(ctx context.Context, teamID, regionName string, appID int64, names []string, callOpts ...CallOption) ([]ServiceBaseInfo, error) {
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	for i, name := range names {
		v.text("names["+strconv.Itoa(i)+"]", name, charField{required: true, max: 128, noTrimming: true})
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	comps, _, err := s.ListComponents(ctx, teamID, regionName, appID, callOpts...)
	if err != nil {
		return nil, err
	}
	out := make([]ServiceBaseInfo, len(names))
	for i, name := range names {
		c, err := findComponent(comps, name, appID, s.client.creds().forms)
		if err != nil {
			return nil, err
		}
		out[i] = *c
	}
	return out, nil
}

// findComponent picks the component name names among comps.
func findComponent(comps []ServiceBaseInfo, name string, appID int64, redact redactor) (*ServiceBaseInfo, error) {
	for _, key := range []func(*ServiceBaseInfo) string{
		func(c *ServiceBaseInfo) string { return c.ServiceID },
		func(c *ServiceBaseInfo) string { return c.ServiceAlias },
		func(c *ServiceBaseInfo) string { return c.K8sComponentName },
		func(c *ServiceBaseInfo) string { return c.ServiceCname },
	} {
		var found []*ServiceBaseInfo
		for i := range comps {
			if key(&comps[i]) == name {
				found = append(found, &comps[i])
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		}
		ids := make([]string, len(found))
		for i, c := range found {
			ids[i] = c.ServiceID
		}
		return nil, fmt.Errorf("%w: %q in app %d: %s", ErrAmbiguousComponent, redact.string(name), appID, strings.Join(ids, ", "))
	}
	return nil, fmt.Errorf("%w: app %d has no component named %q", ErrNotFound, appID, redact.string(name))
}

// ListComponents returns the components of app appID, each with its
// running state in Status (running, starting, closed, undeploy, abnormal...).
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services (consoles since v5.2.1).
func (s *AppsService) ListComponents(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) ([]ServiceBaseInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/services")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []ServiceBaseInfo
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceComponents}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ErrBuildSourceUnlistable is matched by the error of
// [AppsService.ListCopyable] for an app holding a component built from an
// image or from source code: the console fails its own answer for those
// (see [CopyBuildSource]). Copying them works: [AppsService.CopyApp] takes
// their ids from [AppsService.ListComponents].
var ErrBuildSourceUnlistable = errors.New("rainbond: the console cannot list what the app's image or source-code components are built from")

// ListCopyable returns the components of app appID that [AppsService.CopyApp]
// can copy, with what each is built from. An app that does not exist has
// none: the console answers an empty list, not [ErrNotFound].
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/copy (consoles since v5.2.1).
// For an app holding an image or source-code component the console
// answers a 400 about user_name, which its own code leaves blank: that is
// an [*APIError] matching [ErrBuildSourceUnlistable].
func (s *AppsService) ListCopyable(ctx context.Context, teamID, regionName string, appID int64, callOpts ...CallOption) ([]AppCopyL, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/copy")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	var out []AppCopyL
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceCopy}, &out)
	if err != nil {
		return nil, resp, mark(err, ErrBuildSourceUnlistable, "the console refuses the blank user_name it fills in for image and source-code components",
			func(e *APIError) bool {
				return e.StatusCode == http.StatusBadRequest && len(e.FieldErrors["user_name"]) > 0
			})
	}
	return out, resp, nil
}

package rainbond

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rbdkit/rainbond-go/internal/retry"
)

// Deploying app models: SmartDeployTemplateView, AppDeployView,
// AppModelImportEvent, AppTarballDirView, AppImportView, AppChartInfo and
// HelmChart (openapi/views/apps/apps.py).

// Releases that added the routes below.
const (
	sinceSmartDeploy = "v6.6.0"
	sinceModelDeploy = "v5.15.1"
	sinceHelmChart   = "v5.17.1"
)

// SmartDeploy is the body of [AppsService.SmartDeploy].
type SmartDeploy struct {
	// AppName is the app to deploy into, created when the team has none
	// of that name: at most 128 characters.
	AppName string `json:"app_name"`
	// TemplateID is the app model: at most 128 characters.
	TemplateID string `json:"template_id"`
	// MarketName is the store the model comes from ([AppUpgradeInfo]
	// .MarketName); "" for the local library.
	MarketName string `json:"market_name"`
	// NoDeploy installs without building and starting (the console's
	// default is to deploy).
	NoDeploy bool `json:"-"`
}

// SmartDeployAction is what [AppsService.SmartDeploy] did.
type SmartDeployAction string

// The actions of a smart deploy.
const (
	// SmartInstalled: the app did not hold the model; its newest version
	// was installed (into a new app when none had the name).
	SmartInstalled SmartDeployAction = "install"
	// SmartUpgraded: the app held an older version; it was upgraded.
	SmartUpgraded SmartDeployAction = "upgrade"
	// SmartSkipped: the console records the newest version: nothing was
	// done. As for [OutcomeUnknown], the record does not show upgrades
	// made through the OpenAPI.
	SmartSkipped SmartDeployAction = "skip"
)

// SmartDeployResult is the answer of [AppsService.SmartDeploy].
type SmartDeployResult struct {
	// Action says what was done.
	Action SmartDeployAction `json:"action"`
	// AppID and AppName are the app, for an install; the console may add
	// a "-N" suffix to a name the cluster holds already.
	AppID int64 `json:"app_id"`
	// AppName: see AppID.
	AppName string `json:"app_name"`
	// TemplateID is the model.
	TemplateID string `json:"template_id"`
	// TemplateVersion is the version installed or upgraded to.
	TemplateVersion string `json:"template_version"`
	// CurrentVersion is the version the console records (skip, upgrade).
	CurrentVersion string `json:"current_version"`
	// LatestVersion is the newest version, for a skip.
	LatestVersion string `json:"latest_version"`
	// UpgradeRecordID is the upgrade's record, for an upgrade.
	UpgradeRecordID int64 `json:"upgrade_record_id"`
}

// ErrSmartUpgradeBroken is matched by the error of [AppsService.SmartDeploy]
// when the app holds an older version of the model: the console's upgrade
// branch fails on every release since it was added (a TypeError in
// get_rainbond_app_by_key_version), before changing anything. Upgrade
// with [AppsService.UpgradeModelTo] instead.
var ErrSmartUpgradeBroken = errors.New("rainbond: the console's smart deploy cannot upgrade")

// SmartDeploy deploys app model in.TemplateID into the app named
// in.AppName in one call: it creates the app when the team has none of
// that name, installs the model's newest version when the app does not
// hold it, and skips when the console records that version. "Newest" is
// the version updated last (in the library, or first in the store's
// list), not the highest number.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/smart-deploy
// (consoles since v6.6.0). The upgrade branch never works on the console
// (see [ErrSmartUpgradeBroken]); every install failure comes back as a
// 500 whose MsgShow holds the reason. It reads the same recorded version
// as [AppsService.EnsureInstalled], so the two agree: a skip here is
// EnsureInstalled's [OutcomeUnknown] for that version. A POST, never sent
// twice by the client on its own.
func (s *AppsService) SmartDeploy(ctx context.Context, teamID, regionName string, in *SmartDeploy, callOpts ...CallOption) (*SmartDeployResult, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/app-model/smart-deploy")
	if in == nil {
		v.add("body", "nil *SmartDeploy")
	} else {
		v.text("app_name", in.AppName, charField{required: true, max: 128})
		if len(v.problems) == 0 && strings.ContainsFunc(pyStrip(in.AppName), func(r rune) bool { return !appNameRune(r) }) {
			v.add("app_name", "only letters, digits, '_', '.', '-' and Chinese characters are allowed")
		}
		v.text("template_id", in.TemplateID, charField{required: true, max: 128})
		v.text("market_name", in.MarketName, charField{max: 128})
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := struct {
		*SmartDeploy
		IsDeploy bool `json:"is_deploy"`
	}{in, !in.NoDeploy}
	out := new(envelope[SmartDeployResult])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceSmartDeploy}, out)
	if err != nil {
		return nil, resp, mark(err, ErrSmartUpgradeBroken, "upgrade with UpgradeModelTo", func(e *APIError) bool {
			return e.StatusCode == http.StatusInternalServerError && e.Msg == "upgrade failed"
		})
	}
	return &out.Data.Bean, resp, nil
}

// ModelDeploy is the body of [AppsService.DeployModel]: a version of an
// app model of the enterprise's local library, into an app.
type ModelDeploy struct {
	// AppID is the app to install into or upgrade.
	AppID int64
	// ModelID and Version are the local library's model and version.
	ModelID string
	// Version: see ModelID.
	Version string
	// Upgrade upgrades the app's install of the model rather than
	// installing it anew.
	Upgrade bool
}

// DeployModel installs (or, with Upgrade, upgrades to) a version of a
// model of the local library in app in.AppID.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/deploy
// with deploy_type "ram" (consoles since v5.15.1). The install is
// asynchronous. The upgrade fails with a 500 on consoles since v6.0.0 (a
// TypeError, see [AppsService.Upgrade]); an upgrade the console finds
// nothing for answers 404 ("没有可升级的版本"). The console looks the app up
// in every team: AppID should be one of this team's. A POST, never sent
// twice by the client on its own.
func (s *AppsService) DeployModel(ctx context.Context, teamID, regionName string, in *ModelDeploy, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/app-model/deploy")
	if in == nil {
		v.add("body", "nil *ModelDeploy")
	} else {
		v.id("app_id", "app", in.AppID)
		v.text("group_key", in.ModelID, charField{required: true, max: 128})
		v.text("group_version", in.Version, charField{required: true, max: 128})
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	action := "deploy"
	if in.Upgrade {
		action = "upgrade"
	}
	body := map[string]any{"app_id": in.AppID, "deploy_type": "ram", "action": action, "group_key": in.ModelID, "group_version": in.Version}
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: body, opts: callOpts, since: sinceModelDeploy}, nil)
	return resp, asUpgradeFailure(err)
}

// ComposeDeploy is the body of [AppsService.DeployCompose].
type ComposeDeploy struct {
	// AppName names the app created for the compose file (the app name
	// rules, at most 128 characters; new in the team).
	AppName string
	// YAML is the docker-compose file.
	YAML string
	// Note is the app's note, at most 2048 characters.
	Note string
	// K8sApp is the app's English (Kubernetes) name; "" lets the console
	// choose.
	K8sApp string
	// UserName and Password are the image registry's credentials, if it
	// needs them.
	UserName string
	// Password: see UserName.
	Password Secret
}

// maxComposeFile bounds a compose file: the console has no limit of its
// own (a TextField), and a file this size is surely a mistake.
const maxComposeFile = 1 << 20

// ErrComposeNotDeployed is matched by the error of [AppsService.DeployCompose]
// when the console answered success but the app it created holds no
// component: its compose check failed (consoles since v6.6.0 pass the
// file where the check expects an upload id, so it always fails there).
var ErrComposeNotDeployed = errors.New("rainbond: the console created the app but no component of the compose file")

// DeployCompose creates an app from a docker-compose file and deploys its
// services, then checks that the app holds components: the console
// answers success with an empty app when its compose check fails, which
// is reported as [ErrComposeNotDeployed] (with the app's id) rather than
// as a success.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/deploy
// with deploy_type "docker-compose" (consoles since v5.15.1; broken on the
// console since v6.6.0, see ErrComposeNotDeployed), then lists the new
// app's components. A POST, never sent twice by the client on its own.
func (s *AppsService) DeployCompose(ctx context.Context, teamID, regionName string, in *ComposeDeploy, callOpts ...CallOption) (*AppBaseInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/app-model/deploy")
	if in == nil {
		v.add("body", "nil *ComposeDeploy")
	} else {
		v.appPost(&AppPostInfo{AppName: in.AppName, AppNote: in.Note, K8sApp: in.K8sApp})
		v.text("yaml_content", in.YAML, charField{required: true, max: maxComposeFile})
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := map[string]any{"deploy_type": "docker-compose", "action": "deploy", "group_name": pyStrip(in.AppName), "yaml_content": in.YAML,
		"group_note": in.Note, "k8s_app": in.K8sApp, "user_name": in.UserName, "password": in.Password.Value()}
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: body, secret: in.Password.Value(), opts: callOpts, since: sinceModelDeploy}, nil)
	if err != nil {
		return nil, resp, err
	}
	app, err := s.findApp(ctx, teamID, regionName, pyStrip(in.AppName), false, callOpts)
	switch {
	case err != nil:
		return nil, resp, fmt.Errorf("rainbond: the compose app was created, but finding it among the apps failed: %w", err)
	case app == nil:
		return nil, resp, fmt.Errorf("%w: the console lists no app named %q", ErrComposeNotDeployed, in.AppName)
	}
	comps, _, err := s.ListComponents(ctx, teamID, regionName, app.ID, callOpts...)
	switch {
	case err != nil:
		return app, resp, fmt.Errorf("rainbond: app %d was created, but listing its components failed: %w", app.ID, err)
	case len(comps) == 0:
		return app, resp, fmt.Errorf("%w: app %d is empty", ErrComposeNotDeployed, app.ID)
	}
	return app, resp, nil
}

// ImportRecord is an app package import, as the console keeps it.
type ImportRecord struct {
	// EventID identifies the import.
	EventID string `json:"event_id"`
	// Status is where it stands.
	Status ImportStatus `json:"status"`
	// SourceDir is the cluster's directory of the packages.
	SourceDir string `json:"source_dir"`
	// UploadURL is where to upload the packages ([AppsService.UploadPackage]):
	// a path of the console (since v6.9.2) or the cluster's address
	// (before).
	UploadURL string `json:"upload_url"`
	// RegionName is the display name of the region that handles it.
	RegionName string `json:"region_name"`
	// Format, TeamName, Region, UserName and the times describe the import
	// once it has started.
	Format string `json:"format"`
	// TeamName: see Format.
	TeamName string `json:"team_name"`
	// Region: see Format.
	Region string `json:"region"`
	// UserName: see Format.
	UserName string `json:"user_name"`
	// CreateTime: see Format.
	CreateTime string `json:"create_time"`
	// UpdateTime: see Format.
	UpdateTime string `json:"update_time"`
}

// ImportStatus is where an import stands.
type ImportStatus string

// The statuses of an import.
const (
	// ImportUploading: the record waits for packages.
	ImportUploading ImportStatus = "uploading"
	// ImportImporting: the cluster imports the packages.
	ImportImporting ImportStatus = "importing"
	// ImportSuccess: the models are in the local library.
	ImportSuccess ImportStatus = "success"
	// ImportFailed: a package failed; the import did not happen.
	ImportFailed ImportStatus = "failed"
	// ImportCleaned: the cluster's directory was deleted.
	ImportCleaned ImportStatus = "cleaned"
)

// done reports a status after which an import no longer changes.
func (s ImportStatus) done() bool {
	return s == ImportSuccess || s == ImportFailed || s == ImportCleaned
}

// ImportedModel is an app model an import brought into the local library.
type ImportedModel struct {
	// GroupKey is the model's id in the package (the library may hold it
	// under another id when one was taken, since console v6.9.1).
	GroupKey string `json:"group_key"`
	// GroupName is its name.
	GroupName string `json:"group_name"`
	// GroupVersion is its version.
	GroupVersion string `json:"group_version"`
}

// ImportState is the answer of [AppsService.ImportStatus].
type ImportState struct {
	// Record is the import.
	Record ImportRecord
	// Models are the models imported: only in the first answer that sees
	// the import succeed (the console answers none afterwards).
	Models []ImportedModel
}

// StartImport returns the token user's unfinished import, or a new one:
// its EventID, and the UploadURL to send packages to. The region of the
// path is not the one that handles it: the console picks the enterprise's
// first usable region (RegionName); with none, EventID is "".
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/import
// (consoles since v5.15.1).
func (s *AppsService) StartImport(ctx context.Context, teamID, regionName string, callOpts ...CallOption) (*ImportRecord, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/app-model/import")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(envelope[ImportRecord])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, opts: callOpts, since: sinceModelDeploy}, out)
	if err != nil {
		return nil, resp, err
	}
	return &out.Data.Bean, resp, nil
}

// importPath is …/app-model/import/{event_id} followed by suffix.
func importPath(v *validator, teamID, regionName, eventID, suffix string) string {
	path := teamRegionPath(v, teamID, regionName, "/app-model/import/")
	v.pathSegment("event_id", eventID)
	return path + url.PathEscape(eventID) + suffix
}

// MaxPackageSize is the largest package [AppsService.UploadPackage] sends.
const MaxPackageSize = 1 << 30

// copyAtMost copies src to dst, refusing (a *ValidationError) a source
// longer than limit bytes.
func copyAtMost(dst io.Writer, src io.Reader, limit int64, name string) error {
	n, err := io.Copy(dst, io.LimitReader(src, limit+1))
	if err == nil && n > limit {
		return &ValidationError{Problems: []Problem{{Field: "package", Reason: fmt.Sprintf("%s: larger than %d bytes", oneLine(name, 80), limit)}}}
	}
	return err
}

// UploadPackage sends package name (a file name the import keeps, e.g.
// "shop-1.0.tar"; a Helm chart must be "<name>-<version>.tgz") to an
// import's record.UploadURL, as a multipart form (field "appTarFile").
// The upload address takes no token: the console's realtime proxy (since
// v6.9.2) or the cluster (before) receives it, so the client's token is
// not sent with it. It is read whole into memory (at most [MaxPackageSize];
// a larger package is refused, nothing sent) and sent once, never retried:
// a failure is a [*TransportError] or an [*APIError]. The client's
// per-attempt timeout does not apply: ctx bounds the upload, and
// [DefaultWaitTimeout] when it has no deadline.
func (s *AppsService) UploadPackage(ctx context.Context, record *ImportRecord, name string, pkg io.Reader) (*Response, error) {
	v := s.client.validator(ctx)
	switch {
	case record == nil || record.UploadURL == "":
		v.add("upload_url", "required: StartImport's record")
	case name == "" || strings.ContainsAny(name, "/\\\"") || strings.ContainsFunc(name, isCtlOrSpace):
		v.add("name", "%q: a plain file name", oneLine(name, 80))
	case pkg == nil:
		v.add("package", "nil io.Reader")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	target, err := s.client.uploadTarget(record.UploadURL)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	part, err := form.CreateFormFile("appTarFile", name)
	if err == nil {
		err = copyAtMost(part, pkg, MaxPackageSize, name)
	}
	if err == nil {
		err = form.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("rainbond: reading package %s: %w", oneLine(name, 80), err)
	}
	return s.client.upload(ctx, target, form.FormDataContentType(), body.Bytes())
}

// ListPackages returns the file names uploaded to import eventID (with a
// ".success" suffix once imported).
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/import/{event_id}/dir
// (consoles since v5.15.1). Deleting an upload is not offered: the
// console's DELETE of that route always fails (500); abandon the import
// with [AppsService.AbandonImport].
func (s *AppsService) ListPackages(ctx context.Context, teamID, regionName, eventID string, callOpts ...CallOption) ([]string, *Response, error) {
	v := s.client.validator(ctx)
	path := importPath(&v, teamID, regionName, eventID, "/dir")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	// The envelope's bean is {} beside a list of names: not envelope[string].
	out := new(struct {
		Data struct {
			List []string `json:"list"`
		} `json:"data"`
	})
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceModelDeploy}, out)
	if err != nil {
		return nil, resp, err
	}
	return out.Data.List, resp, nil
}

// ImportPackages starts importing the packages files of import eventID
// into the enterprise's local library; [AppsService.WaitForImport]
// follows it.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/import/{event_id}
// (consoles since v5.15.1). A POST, never sent twice by the client on
// its own.
func (s *AppsService) ImportPackages(ctx context.Context, teamID, regionName, eventID string, files []string, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := importPath(&v, teamID, regionName, eventID, "")
	if len(files) == 0 {
		v.add("file_name", "required: the uploaded files to import")
	}
	for i, f := range files {
		if f == "" || strings.Contains(f, ",") {
			v.add("file_name["+strconv.Itoa(i)+"]", "%q: a file name, without ','", oneLine(f, 80))
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	body := map[string]string{"file_name": strings.Join(files, ","), "tenant_name": teamID}
	return s.client.do(ctx, &request{method: http.MethodPost, path: path, body: body, opts: callOpts, since: sinceModelDeploy}, nil)
}

// ImportStatus returns where import eventID stands, and the models it
// imported in the first answer that sees it succeed.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/import/{event_id}
// (consoles since v5.15.1). [ErrBadRequest] ("import_record not found")
// for an unknown import.
func (s *AppsService) ImportStatus(ctx context.Context, teamID, regionName, eventID string, callOpts ...CallOption) (*ImportState, *Response, error) {
	v := s.client.validator(ctx)
	path := importPath(&v, teamID, regionName, eventID, "")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(struct {
		Data struct {
			Bean ImportRecord    `json:"bean"`
			List []ImportedModel `json:"list"`
		} `json:"data"`
	})
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceModelDeploy}, out)
	if err != nil {
		return nil, resp, err
	}
	return &ImportState{Record: out.Data.Bean, Models: out.Data.List}, resp, nil
}

// ErrImportFailed is matched by the error of [AppsService.WaitForImport]
// when the import failed or its directory was cleaned.
var ErrImportFailed = errors.New("rainbond: the import failed")

// WaitForImport polls import eventID until it succeeds, and returns the
// models it imported (those of the answer that first saw it succeed). It
// ends with [ErrImportFailed] when the import fails, with the context's
// error when ctx ends ([DefaultWaitTimeout] bounds a ctx without a
// deadline), and with a poll's error. interval (at least
// [MinPollInterval]; 0 for 2 s) grows by half each poll up to 15 s.
func (s *AppsService) WaitForImport(ctx context.Context, teamID, regionName, eventID string, interval time.Duration, callOpts ...CallOption) (*ImportState, error) {
	v := s.client.validator(ctx)
	importPath(&v, teamID, regionName, eventID, "")
	if interval == 0 {
		interval = 2 * time.Second
	}
	v.pollIntervals(interval, max(interval, 15*time.Second), 0)
	if err := v.err(); err != nil {
		return nil, err
	}
	ctx, cancel := boundWait(ctx, 0, DefaultWaitTimeout)
	defer cancel()
	var models []ImportedModel
	for wait := interval; ; wait = min(wait+wait/2, max(interval, 15*time.Second)) {
		state, _, err := s.ImportStatus(ctx, teamID, regionName, eventID, callOpts...)
		if err != nil {
			return nil, err
		}
		models = append(models, state.Models...)
		switch st := state.Record.Status; {
		case st == ImportSuccess:
			state.Models = models
			return state, nil
		case st.done():
			return state, fmt.Errorf("%w: import %s is %s", ErrImportFailed, oneLine(eventID, 64), oneLine(string(st), 40))
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("rainbond: waiting for import %s: %w", oneLine(eventID, 64), err)
		}
	}
}

// AbandonImport deletes import eventID and its uploads. The console
// answers success for an unknown import too.
//
// It calls DELETE /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/import/{event_id}
// (consoles since v5.15.1).
func (s *AppsService) AbandonImport(ctx context.Context, teamID, regionName, eventID string, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := importPath(&v, teamID, regionName, eventID, "")
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.client.do(ctx, &request{method: http.MethodDelete, path: path, opts: callOpts, since: sinceModelDeploy}, nil)
}

// HelmChartDeploy is the body of [AppsService.DeployHelmChart].
type HelmChartDeploy struct {
	// AppID is the app to install into or upgrade.
	AppID int64
	// Name and Version are the chart's; it was uploaded to the import as
	// "<Name>-<Version>.tgz".
	Name string
	// Version: see Name.
	Version string
	// Upgrade upgrades the app's install of the chart.
	Upgrade bool
}

// ErrHelmChartNotFound is matched by the error of [AppsService.DeployHelmChart]
// when the console found no chart to convert (it answers HTTP 200 with code
// 400 in its body).
var ErrHelmChartNotFound = errors.New("rainbond: the console found no convertible chart")

// DeployHelmChart converts a Helm chart uploaded to import eventID into a
// model of the local library, then installs it in app in.AppID (or, with
// Upgrade, upgrades the app's install).
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/app-model/import/{event_id}/chart
// (consoles since v5.15.1). The console answers a chart it cannot find or
// convert with HTTP 200 and code 400: that is [ErrHelmChartNotFound]. The
// upgrade fails with a 500 on consoles since v6.0.0. A POST, never sent
// twice by the client on its own.
func (s *AppsService) DeployHelmChart(ctx context.Context, teamID, regionName, eventID string, in *HelmChartDeploy, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := importPath(&v, teamID, regionName, eventID, "/chart")
	if in == nil {
		v.add("body", "nil *HelmChartDeploy")
	} else {
		v.id("app_id", "app", in.AppID)
		v.text("name", in.Name, charField{required: true, max: 255, noTrimming: true})
		v.text("version", in.Version, charField{required: true, max: 255, noTrimming: true})
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	action := "deploy"
	if in.Upgrade {
		action = "upgrade"
	}
	body := map[string]any{"app_id": in.AppID, "name": in.Name, "version": in.Version, "action": action}
	out := new(envelope[struct{}])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: body, opts: callOpts, since: sinceModelDeploy}, out)
	if err != nil {
		return resp, asUpgradeFailure(err)
	}
	if out.Code != 0 && out.Code != http.StatusOK {
		return resp, fmt.Errorf("%w: %s (code %d)", ErrHelmChartNotFound, oneLine(s.client.creds().forms.string(out.MsgShow), 200), out.Code)
	}
	return resp, nil
}

// HelmChartCheck is the answer of [AppsService.CheckHelmChart].
type HelmChartCheck struct {
	// Adoptable reports that the chart renders and can be adopted.
	Adoptable bool
	// YAML is the rendered manifest, or, when not Adoptable, why not.
	YAML string
}

// CheckHelmChart renders chart chartName at version from the console's
// Helm repository repoName for the team, and says whether it can be
// adopted.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/app/{app_id}/helm_chart
// (consoles since v5.17.1); the app id is not used by the console. The
// route's POST (install a chart) fails on every console since v6.0.0 and
// its PUT does nothing: neither is offered.
func (s *AppsService) CheckHelmChart(ctx context.Context, teamID, regionName string, appID int64, repoName, chartName, version string, callOpts ...CallOption) (*HelmChartCheck, *Response, error) {
	v := s.client.validator(ctx)
	path := teamRegionPath(&v, teamID, regionName, "/app/")
	v.id("app_id", "app", appID)
	v.text("repo_name", repoName, charField{required: true, max: 512})
	v.text("chart_name", chartName, charField{required: true, max: 512})
	v.text("version", version, charField{required: true, max: 512})
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	q := url.Values{"repo_name": {repoName}, "chart_name": {chartName}, "version": {version}}
	out := new(envelope[struct {
		CheckAdopt string `json:"checkAdopt"`
		YAML       string `json:"yaml"`
	}])
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path + strconv.FormatInt(appID, 10) + "/helm_chart", query: q.Encode(), opts: callOpts, since: sinceHelmChart}, out)
	if err != nil {
		return nil, resp, err
	}
	return &HelmChartCheck{Adoptable: out.Data.Bean.CheckAdopt == "true", YAML: out.Data.Bean.YAML}, resp, nil
}

// sincePublishModel is the release that added POST /openapi/v1/app_model.
const sincePublishModel = "v6.3.1"

// ModelPublish is the body of [AppsService.PublishModel].
type ModelPublish struct {
	// Name names the model; its id is derived from it, so one name is
	// one model.
	Name string `json:"app_name"`
	// Version is the version created, or replaced when it exists.
	Version string `json:"version"`
	// VersionInfo describes the version.
	VersionInfo string `json:"app_version_info"`
	// Arch is the CPU architecture, "amd64" by default.
	Arch string `json:"arch,omitempty"`
	// Components is the template's "apps": a JSON array of component
	// templates in Rainbond's app template (v2) form, as an exported app
	// model holds them. The console stores it without checking it.
	Components json.RawMessage `json:"apps"`
}

// ModelPublished is the answer of [AppsService.PublishModel].
type ModelPublished struct {
	// ModelID is the model's id in the local library (from its name).
	ModelID string `json:"app_id"`
	// Created reports a new version; false: an existing one was replaced.
	Created bool `json:"-"`
}

// PublishModel creates a version of an app model of the enterprise's
// local library, or replaces it, from a template: the model is created
// with its first version. Deploy it with [AppsService.DeployModel] or
// [AppsService.SmartDeploy].
//
// It calls POST /openapi/v1/app_model (consoles since v6.3.1), which
// answers {"msg", "app_id"} rather than the console's envelope; it
// checks nothing in the template. Publishing the same version again
// replaces it, so calling again is safe; the client sends it once, as
// every POST.
func (s *AppsService) PublishModel(ctx context.Context, in *ModelPublish, callOpts ...CallOption) (*ModelPublished, *Response, error) {
	v := s.client.validator(ctx)
	if in == nil {
		v.add("body", "nil *ModelPublish")
	} else {
		// The columns behind them: RainbondCenterApp.app_name (64),
		// RainbondCenterAppVersion.version (32) and app_version_info (255);
		// a longer value is a 500 after the model row was saved, or cut.
		v.text("app_name", in.Name, charField{required: true, max: 64, noTrimming: true})
		v.text("version", in.Version, charField{required: true, max: 32, noTrimming: true})
		v.text("app_version_info", in.VersionInfo, charField{max: 255, noTrimming: true})
		v.text("arch", in.Arch, charField{max: 32, noTrimming: true})
		var components []json.RawMessage
		if err := json.Unmarshal(in.Components, &components); err != nil || len(components) == 0 {
			v.add("apps", "a JSON array of component templates, not empty")
		}
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(struct {
		Msg   string `json:"msg"`
		AppID string `json:"app_id"`
	})
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: "/app_model", body: in, opts: callOpts, since: sincePublishModel}, out)
	if err != nil {
		return nil, resp, err
	}
	return &ModelPublished{ModelID: out.AppID, Created: out.Msg == "版本已创建"}, resp, nil
}

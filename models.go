package rainbond

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"github.com/rbdkit/rainbond-go/internal/jsonobj"
)

// The models below carry the names of the Rainbond API documents. Where those
// documents (the seeds the SDK started from) and the console disagree, the
// console wins; each such place says so. Sources: the console's serializers in
// goodrain/rainbond-console (openapi/serializer/app_serializer.py,
// openapi/serializer/groupapp_serializer.py) and its component model
// (TenantServiceInfo in www/models/main.py).

// DefaultMarketType is the market_type sent when [Install].MarketType is empty.
// The console has no default of its own; its documentation says to pass it.
const DefaultMarketType = "rainstore"

// Install is the body of [AppsService.InstallFromMarket]: which app model,
// at which version, from which app store (market).
//
// The console checks every string for blankness (after trimming spaces) and
// length; [AppsService.InstallFromMarket] applies the same rules before
// sending. The console looks the market up by (MarketDomain, MarketURL) in the
// team's enterprise: when it exists, MarketType and MarketAccessKey are
// ignored; when it does not, the console creates a market record with them.
//
// Install redacts MarketAccessKey when printed with fmt (%v, %+v, %#v) or
// logged with log/slog.
type Install struct {
	// MarketURL is the app store's address, e.g. "https://store.goodrain.com".
	// Required, at most 255 characters.
	MarketURL string `json:"market_url"`
	// MarketDomain is the store's domain (its name in the store), e.g.
	// "rainbond". Required, at most 64 characters.
	MarketDomain string `json:"market_domain"`
	// MarketType is the store's type. Empty means [DefaultMarketType]. At most
	// 64 characters.
	MarketType string `json:"market_type"`
	// MarketAccessKey is the store's access token. Empty means no key (a
	// public store): it is sent as null, because the console rejects "".
	// At most 64 characters. Never printed or logged by this package.
	MarketAccessKey string `json:"market_access_key"`
	// AppModelID is the id of the app model in the store. Required, at most
	// 64 characters.
	AppModelID string `json:"app_model_id"`
	// AppModelVersion is the version of the app model to install. Required,
	// at most 64 characters.
	AppModelVersion string `json:"app_model_version"`
}

// installWire is Install as the console reads it: the access key is null
// rather than empty, and the market type has its default.
type installWire struct {
	MarketURL       string  `json:"market_url"`
	MarketDomain    string  `json:"market_domain"`
	MarketType      string  `json:"market_type"`
	MarketAccessKey *string `json:"market_access_key"`
	AppModelID      string  `json:"app_model_id"`
	AppModelVersion string  `json:"app_model_version"`
}

// MarshalJSON encodes the body the console expects: an empty
// MarketAccessKey becomes null and an empty MarketType becomes
// [DefaultMarketType].
func (in Install) MarshalJSON() ([]byte, error) {
	w := installWire{
		MarketURL:       in.MarketURL,
		MarketDomain:    in.MarketDomain,
		MarketType:      in.marketType(),
		AppModelID:      in.AppModelID,
		AppModelVersion: in.AppModelVersion,
	}
	if in.MarketAccessKey != "" {
		w.MarketAccessKey = &in.MarketAccessKey
	}
	return json.Marshal(w)
}

func (in Install) marketType() string {
	if in.MarketType == "" {
		return DefaultMarketType
	}
	return in.MarketType
}

// redacted is what is printed in place of a secret that is set.
const redacted = "[REDACTED]"

func redactSecret(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// String prints the install request with the access key redacted.
func (in Install) String() string {
	return fmt.Sprintf("{MarketURL:%s MarketDomain:%s MarketType:%s MarketAccessKey:%s AppModelID:%s AppModelVersion:%s}",
		in.MarketURL, in.MarketDomain, in.MarketType, redactSecret(in.MarketAccessKey), in.AppModelID, in.AppModelVersion)
}

// GoString is String for %#v, with the access key redacted.
func (in Install) GoString() string {
	return fmt.Sprintf("rainbond.Install{MarketURL:%q, MarketDomain:%q, MarketType:%q, MarketAccessKey:%q, AppModelID:%q, AppModelVersion:%q}",
		in.MarketURL, in.MarketDomain, in.MarketType, redactSecret(in.MarketAccessKey), in.AppModelID, in.AppModelVersion)
}

// LogValue logs the install request with the access key redacted.
func (in Install) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("market_url", in.MarketURL),
		slog.String("market_domain", in.MarketDomain),
		slog.String("market_type", in.MarketType),
		slog.String("market_access_key", redactSecret(in.MarketAccessKey)),
		slog.String("app_model_id", in.AppModelID),
		slog.String("app_model_version", in.AppModelVersion),
	)
}

// MarketInstall is the console's answer to an install: the app the model
// was installed into, with all of its components.
type MarketInstall struct {
	// EnterpriseID is the id of the team's enterprise.
	EnterpriseID string `json:"enterprise_id"`
	// TeamID is the team's tenant_id, also when the request named the team
	// by its tenant_name.
	TeamID string `json:"team_id"`
	// Note is the app's note; null when it has none.
	Note *string `json:"note"`
	// ID is the app's id (the app_id of the request).
	ID int64 `json:"ID"`
	// RegionName is the region (cluster) the app lives in.
	RegionName string `json:"region_name"`
	// ServiceList holds every component of the app, those installed earlier
	// included, not only the ones this call created. Use [NewComponents] to
	// pick the ones this call created.
	ServiceList []ServiceBaseInfo `json:"service_list"`
}

// NewComponents returns the components that the install in m created.
//
// The console answers an install with every component of the app. Each
// install creates a new component group, so the components it created share
// the group id (TenantServiceGroupID) that is the highest in the app: group
// ids are allocated in increasing order.
func (m *MarketInstall) NewComponents() []ServiceBaseInfo {
	if m == nil || len(m.ServiceList) == 0 {
		return nil
	}
	newest := m.ServiceList[0].TenantServiceGroupID
	for _, s := range m.ServiceList[1:] {
		newest = max(newest, s.TenantServiceGroupID)
	}
	var out []ServiceBaseInfo
	for _, s := range m.ServiceList {
		if s.TenantServiceGroupID == newest {
			out = append(out, s)
		}
	}
	return out
}

// ServiceBaseInfo is a component (a "service" in the console's vocabulary),
// as the console serializes its component model.
//
// The console serializes the whole model, so newer consoles send fields this
// struct does not know: they are kept in Extra. The console builds these
// responses without enforcing its own schema, so any field may be missing,
// empty or null; all of those decode without error (null leaves a non-pointer
// field at its zero value). Nullable fields are pointers.
type ServiceBaseInfo struct {
	// Status is the component's state. Install answers always carry "";
	// component lists carry the running state (running, closed, undeploy...).
	Status string `json:"status"`
	// AccessInfos lists the component's access addresses. Install answers
	// always carry an empty list.
	AccessInfos []string `json:"access_infos"`
	// ServiceID is the component's id (32 characters).
	ServiceID string `json:"service_id"`
	// TenantID is the tenant_id of the component's team.
	TenantID string `json:"tenant_id"`
	// ServiceKey is the component's key; for components installed from a
	// store, the template's key.
	ServiceKey string `json:"service_key"`
	// ServiceAlias is the component's generated alias (e.g. "gr1a2b3c"),
	// unique in its team.
	ServiceAlias string `json:"service_alias"`
	// ServiceCname is the component's display name.
	ServiceCname string `json:"service_cname"`
	// ServiceRegion is the region (cluster) the component runs in.
	ServiceRegion string `json:"service_region"`
	// Desc is the component's description; null when unset.
	Desc *string `json:"desc"`
	// Category is the component's category: application, cache or store.
	Category string `json:"category"`
	// Version is the component's version (an image tag or code version).
	Version string `json:"version"`
	// UpdateVersion counts the component's internal releases.
	UpdateVersion int `json:"update_version"`
	// Image is the container image the component runs.
	Image string `json:"image"`
	// Cmd is the container's start command; null when unset.
	Cmd *string `json:"cmd"`
	// MinNode is the number of instances.
	MinNode int `json:"min_node"`
	// MinCPU is the CPU allocation in millicores: 1000 is one core.
	MinCPU int `json:"min_cpu"`
	// ContainerGPU is the GPU memory allocated to each instance.
	ContainerGPU int `json:"container_gpu"`
	// MinMemory is the memory allocation per instance, in MiB.
	MinMemory int `json:"min_memory"`
	// ExtendMethod is the deployment type, e.g. stateless_multiple,
	// stateless_singleton, state_singleton, state_multiple, job, cronjob.
	ExtendMethod string `json:"extend_method"`
	// CodeFrom is where the source code comes from (gitlab, github...);
	// null for non-source components.
	CodeFrom *string `json:"code_from"`
	// GitURL is the source repository; null for non-source components.
	GitURL *string `json:"git_url"`
	// GitProjectID is the project's id in GitLab; 0 when not from GitLab.
	GitProjectID int `json:"git_project_id"`
	// CodeVersion is the branch or tag built; null for non-source components.
	CodeVersion *string `json:"code_version"`
	// ServiceType is the component's type (web, mysql, redis...); may be null.
	ServiceType *string `json:"service_type"`
	// Creater is the user id of the component's creator. The seed document's
	// table says "creator"; the console sends "creater", which is used here.
	Creater int `json:"creater"`
	// Language is the detected source language; null when not source-built.
	Language *string `json:"language"`
	// TotalMemory is the memory in use, in MiB.
	TotalMemory int `json:"total_memory"`
	// IsService reports whether the component is an inner service.
	IsService bool `json:"is_service"`
	// ServiceOrigin is how the component was created: "cloud" from a store,
	// "assistant" otherwise.
	ServiceOrigin string `json:"service_origin"`
	// TenantServiceGroupID is the component group the component belongs to.
	// Each install creates a new group, which tells its components apart.
	// (One seed example spells it " tenant_service_group_id"; the console
	// sends "tenant_service_group_id".)
	TenantServiceGroupID int `json:"tenant_service_group_id"`
	// OpenWebhooks reports whether pushes trigger a deployment (older
	// components).
	OpenWebhooks bool `json:"open_webhooks"`
	// ServiceSource is the component's source: source_code, market,
	// docker_run, docker_compose...; may be null. (A seed example spells it
	// "service_ source"; the console sends "service_source".)
	ServiceSource *string `json:"service_source"`
	// CreateStatus is the creation state (creating, complete); may be null.
	CreateStatus *string `json:"create_status"`
	// CheckUUID is the id of the component's source check; may be null.
	CheckUUID *string `json:"check_uuid"`
	// CheckEventID is the event id of the component's source check; may be
	// null.
	CheckEventID *string `json:"check_event_id"`
	// DockerCmd is the command the component was created from (docker run);
	// may be null.
	DockerCmd *string `json:"docker_cmd"`
	// ServerType is the source repository's type (git, svn, oss). (A seed
	// example spells it "ser ver_type"; the console sends "server_type".)
	ServerType string `json:"server_type"`
	// IsUpgrate reports whether the component can be upgraded. The spelling
	// is the console's.
	IsUpgrate bool `json:"is_upgrate"`
	// BuildUpgrade reports whether a build also upgrades the running
	// component.
	BuildUpgrade bool `json:"build_upgrade"`
	// OAuthServiceID is the OAuth service used to pull the source; null when
	// none.
	OAuthServiceID *int `json:"oauth_service_id"`
	// K8sComponentName is the component's name in the cluster.
	K8sComponentName string `json:"k8s_component_name"`

	// The fields below are not in the seed documents; current consoles send
	// them (they serialize the whole component model).

	// BuildStrategy is how source is built (e.g. "cnb", "slug"); may be null.
	BuildStrategy *string `json:"build_strategy"`
	// JobStrategy is the job or cronjob settings as a JSON string; may be
	// null.
	JobStrategy *string `json:"job_strategy"`
	// Arch is the CPU architecture the component runs on (amd64, arm64); may
	// be null.
	Arch *string `json:"arch"`
	// Dockerfile is the Dockerfile path or content used to build; may be
	// null.
	Dockerfile *string `json:"dockerfile"`

	// Extra holds the fields the console sent that this struct does not
	// know, raw. It is nil when there were none. MarshalJSON writes them back.
	Extra map[string]json.RawMessage `json:"-"`
}

// serviceBaseInfoFields is ServiceBaseInfo without its methods, so that the
// standard decoder and encoder can be used from inside them.
type serviceBaseInfoFields ServiceBaseInfo

// knownServiceFields are the JSON names ServiceBaseInfo decodes itself.
var knownServiceFields = jsonNames(reflect.TypeFor[serviceBaseInfoFields]())

// UnmarshalJSON decodes a component, keeping fields it does not know in
// Extra.
func (s *ServiceBaseInfo) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, (*serviceBaseInfoFields)(s)); err != nil {
		return err
	}
	s.Extra = nil
	return jsonobj.Members(data, func(name, value []byte) {
		if _, known := knownServiceFields[string(name)]; known {
			return
		}
		if s.Extra == nil {
			s.Extra = make(map[string]json.RawMessage)
		}
		s.Extra[string(name)] = append(json.RawMessage(nil), value...)
	})
}

// MarshalJSON encodes the component with its Extra fields, so that a
// decoded component encodes back to what the console sent.
func (s ServiceBaseInfo) MarshalJSON() ([]byte, error) {
	known, err := json.Marshal(serviceBaseInfoFields(s))
	if err != nil || len(s.Extra) == 0 {
		return known, err
	}
	return jsonobj.AppendMembers(known, s.Extra, knownServiceFields)
}

// jsonNames lists the JSON member names of a struct type's fields.
func jsonNames(t reflect.Type) map[string]struct{} {
	names := make(map[string]struct{}, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		names[name] = struct{}{}
	}
	return names
}

// AppCopyC is the body of [AppsService.CopyApp]: which components to copy
// and where to.
type AppCopyC struct {
	// Services lists the components to copy, with optional changes. An empty
	// list makes the console copy every component of the app: CopyApp
	// refuses it, [AppsService.CopyAllComponents] sends it deliberately.
	Services []AppCopyModify `json:"services"`
	// TargetTeamName is the target team's tenant_name (e.g. "o19p6wen"), not
	// its display name (tenant_alias). At most 32 characters.
	TargetTeamName string `json:"target_team_name"`
	// TargetRegionName is the target region's region_name. At most 32
	// characters.
	TargetRegionName string `json:"target_region_name"`
	// TargetAppID is the id of the app, in the target team and region, that
	// receives the copies.
	TargetAppID int64 `json:"target_app_id"`
}

// AppCopyModify names one component to copy.
type AppCopyModify struct {
	// ServiceID is the id of the component to copy. At most 32 characters.
	ServiceID string `json:"service_id"`
	// Change alters the copy; nil copies the component as it is.
	//
	// The seed documents type "change" as a read-only string; the console
	// reads an object ({"build_source": {"version": ...}, "envs": {...}}),
	// which is what is sent.
	Change *AppCopyChange `json:"change,omitempty"`
}

// AppCopyChange is what to change on a copied component.
type AppCopyChange struct {
	// BuildSource changes what the copy is built from; nil keeps the
	// source's.
	BuildSource *AppCopyBuildSource `json:"build_source,omitempty"`
	// Envs maps environment variable names to change. Console quirk: the
	// console renames variables with it rather than setting their values.
	Envs map[string]string `json:"envs,omitempty"`
}

// AppCopyBuildSource is the build source of a copied component.
type AppCopyBuildSource struct {
	// Version is the code version (branch or tag) of a source-built
	// component, or the image tag of an image component. nil keeps the
	// source's; when set it must be 1 to 32 characters.
	Version *string `json:"version"`
}

// AppCopyCRes is the console's answer to a copy: only the new components,
// which the console always deploys. Copies are named "<cname>-copy".
type AppCopyCRes struct {
	// Services are the components the copy created.
	Services []ServiceBaseInfo `json:"services"`
}

// AppPostInfo is the body of [AppsService.Create].
type AppPostInfo struct {
	// AppName is the new app's name. Required, at most 128 characters.
	AppName string `json:"app_name"`
	// AppNote is a note on the app; at most 2048 characters.
	AppNote string `json:"app_note,omitempty"`
}

// AppBaseInfo is an app (the console's "group") as lists and creation
// return it: every column of the console's app model.
type AppBaseInfo struct {
	// ID is the app's id, the app_id of every app call.
	ID int64 `json:"ID"`
	// TenantID is the tenant_id of the app's team.
	TenantID string `json:"tenant_id"`
	// GroupName is the app's name.
	GroupName string `json:"group_name"`
	// RegionName is the region the app lives in.
	RegionName string `json:"region_name"`
	// IsDefault reports the team's default app.
	IsDefault bool `json:"is_default"`
	// OrderIndex orders apps in the console's lists.
	OrderIndex int `json:"order_index"`
	// Note is the app's note; null when it has none.
	Note *string `json:"note"`
	// Username is the app's principal (owner).
	Username string `json:"username"`
	// GovernanceMode is the service mesh mode, e.g.
	// "KUBERNETES_NATIVE_SERVICE". Not in the published schema; sent by
	// current consoles.
	GovernanceMode string `json:"governance_mode"`
	// K8sApp is the app's name in the cluster. Not in the published schema.
	K8sApp string `json:"k8s_app"`
	// AppType is "rainbond" or "helm". Not in the published schema.
	AppType string `json:"app_type"`
	// Logo is the app's logo URL. Not in the published schema.
	Logo string `json:"logo"`
	// CreateTime is when the app was created, as the console formats it
	// (ISO 8601, with or without a zone depending on its settings); kept
	// as text so that no format makes a decode fail.
	CreateTime string `json:"create_time"`
	// UpdateTime is when the app last changed, formatted as CreateTime.
	UpdateTime string `json:"update_time"`
}

// AppStatus is an app's state, from the states of its components.
type AppStatus string

// The states of an app.
const (
	// AppRunning: every component runs.
	AppRunning AppStatus = "running"
	// AppPartRunning: some components run.
	AppPartRunning AppStatus = "part_running"
	// AppClosed: no component runs (or the app has none).
	AppClosed AppStatus = "closed"
)

// AppInfo is an app with its state, from [AppsService.Get].
type AppInfo struct {
	AppBaseInfo
	// EnterpriseID is the id of the team's enterprise.
	EnterpriseID string `json:"enterprise_id"`
	// ServiceCount is the number of components.
	ServiceCount int `json:"service_count"`
	// RunningServiceCount is the number of running components.
	RunningServiceCount int `json:"running_service_count"`
	// UsedMemory is the memory allocated to running components, in MiB.
	// The console spells the member "used_momory".
	UsedMemory int `json:"used_momory"`
	// UsedCPU is the CPU allocated to running components, in millicores.
	UsedCPU int `json:"used_cpu"`
	// AppID is the app's id again.
	AppID int64 `json:"app_id"`
	// TeamName is the tenant_name of the app's team.
	TeamName string `json:"team_name"`
	// Status is the app's state.
	Status AppStatus `json:"status"`
}

// AppCopyL is a component that can be copied, from
// [AppsService.ListCopyable].
type AppCopyL struct {
	// ServiceID is the component's id, for [AppCopyModify].ServiceID.
	ServiceID string `json:"service_id"`
	// ServiceCname is the component's display name.
	ServiceCname string `json:"service_cname"`
	// ServiceAlias is the component's alias.
	ServiceAlias string `json:"service_alias"`
	// ServiceType is the component's type.
	ServiceType string `json:"service_type"`
	// Version is the component's version.
	Version string `json:"version"`
	// DeployVersion is the build currently deployed.
	DeployVersion string `json:"deploy_version"`
	// AppName is the name of the component's app.
	AppName string `json:"app_name"`
	// MinMemory is the memory per instance in MiB, sent as a string.
	MinMemory string `json:"min_memory"`
	// CreateStatus is the creation state.
	CreateStatus string `json:"create_status"`
	// UpdateTime is when the component last changed.
	UpdateTime string `json:"update_time"`
	// BuildSource is what the component is built from; the seed documents
	// call it a string, the console sends an object.
	BuildSource *CopyBuildSource `json:"build_source"`
}

// CopyBuildSource is what a copyable component is built from. Which
// members are set depends on the source: image and docker_cmd for images,
// git_url and code_version for source code, rain_app_name for store apps.
type CopyBuildSource struct {
	// Version is the component's version.
	Version *string `json:"version"`
	// Language is the detected source language, for source components.
	Language *string `json:"language"`
	// CodeFrom is where the source comes from (gitlab, github...).
	CodeFrom *string `json:"code_from"`
	// ServiceSource is source_code, market, docker_run...
	ServiceSource *string `json:"service_source"`
	// Image is the image, for image and store components.
	Image *string `json:"image"`
	// DockerCmd is the docker run command the component came from.
	DockerCmd *string `json:"docker_cmd"`
	// GitURL is the source repository, for source components.
	GitURL *string `json:"git_url"`
	// CodeVersion is the branch or tag built, for source components.
	CodeVersion *string `json:"code_version"`
	// RainAppName is the store app's name, for store components.
	RainAppName *string `json:"rain_app_name"`
}

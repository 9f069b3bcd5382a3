package rainbond

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/rbdkit/rainbond-go/internal/jsonwire"
)

// The models follow the console's source (goodrain/rainbond-console at
// v6.9.8-release+5), not the API documents the SDK started from, and each
// says where its fields come from. Three facts about the console shape
// them all:
//
//   - Many views return their answer unvalidated: they build a serializer,
//     call is_valid() without raising and return .data, which after a
//     failed validation is the raw input (Python values as they are). So
//     one member can arrive as 1, 1.0 or "1", and nullable columns as null.
//   - The models use plain Go values. null decodes as the zero value; where
//     that matters, the zero value is never a real one (an id is never 0, a
//     state never ""). The SDK's decoder converts between JSON scalar types
//     (a number where a string is declared, a float or numeric string where
//     an integer is, 0/1 where a boolean is), so no answer fails because one
//     field arrived as another type. Where one member really arrives in two
//     shapes (an app's app_id), the field's type accepts both with any codec.
//   - The component model grows with every console release: members the SDK
//     does not know are kept in ServiceBaseInfo.Extra.
//
// The README's "Models" section says the same for users.

// DefaultMarketType is the market_type sent when [Install].MarketType is empty.
// The console has no default of its own; its documentation says to pass it.
const DefaultMarketType = "rainstore"

// Install is the body of [AppsService.InstallFromMarket]: which app model,
// at which version, from which app store (market).
//
// The console's InstallSerializer (openapi/serializer/app_serializer.py)
// trims each string (Python's str.strip) and then requires it to be
// non-blank and within its length; [AppsService.InstallFromMarket] applies
// the same rules before sending. The console looks the market up by
// (MarketDomain, MarketURL) in the team's enterprise: when it exists,
// MarketType and MarketAccessKey are ignored; when it does not, the console
// creates a market record with them (openapi/views/apps/market.py
// AppInstallView).
//
// MarketAccessKey is a [Secret]: an Install prints and logs with it
// redacted, json.Marshal included; the client sends the key itself.
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
	// At most 64 characters. A [Secret]: never printed.
	MarketAccessKey Secret `json:"market_access_key"`
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

func (in *Install) wire() installWire {
	w := installWire{
		MarketURL:       in.MarketURL,
		MarketDomain:    in.MarketDomain,
		MarketType:      in.marketType(),
		AppModelID:      in.AppModelID,
		AppModelVersion: in.AppModelVersion,
	}
	if !in.MarketAccessKey.IsZero() {
		key := in.MarketAccessKey.Value()
		w.MarketAccessKey = &key
	}
	return w
}

func (in Install) marketType() string {
	if in.MarketType == "" {
		return DefaultMarketType
	}
	return in.MarketType
}

// MarketInstall is the console's answer to an install: the app the model
// was installed into, with all of its components.
//
// Source: MarketInstallSerializer in openapi/serializer/app_serializer.py,
// which accepts its input as it is (to_internal_value returns the data), so
// exactly these members are sent, as typed here.
type MarketInstall struct {
	// EnterpriseID is the id of the team's enterprise.
	EnterpriseID string `json:"enterprise_id"`
	// TeamID is the team's tenant_id, also when the request named the team
	// by its tenant_name.
	TeamID string `json:"team_id"`
	// Note is the app's note; "" when it has none (the console sends null).
	Note string `json:"note"`
	// ID is the app's id (the app_id of the request).
	ID int64 `json:"ID"`
	// RegionName is the region (cluster) the app lives in.
	RegionName string `json:"region_name"`
	// ServiceList holds every component of the app, those installed earlier
	// included, not only the ones this call created. Use
	// [MarketInstall.NewComponents] to pick the ones this call created.
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

// ComponentStatus is a component's state as its cluster reports it
// (goodrain/rainbond worker/appm/types/v1/status.go, and the cluster API's
// fallbacks), or as the console replaces it for KubeBlocks components
// (console/services/kubeblocks_service.py). Any other value is kept as it
// is.
type ComponentStatus string

// The states a component can be reported in. An answer that carries no
// state has "": install and copy answers always, and component lists and
// details for a component the cluster did not report (the console sends
// null).
const (
	ComponentRunning      ComponentStatus = "running"
	ComponentStarting     ComponentStatus = "starting"
	ComponentStopping     ComponentStatus = "stopping"
	ComponentClosed       ComponentStatus = "closed"
	ComponentUndeploy     ComponentStatus = "undeploy"
	ComponentAbnormal     ComponentStatus = "abnormal"
	ComponentSomeAbnormal ComponentStatus = "some_abnormal"
	ComponentUpgrade      ComponentStatus = "upgrade"
	ComponentBuilding     ComponentStatus = "building"
	ComponentBuildFailure ComponentStatus = "build_failure"
	ComponentSucceeded    ComponentStatus = "succeeded"
	ComponentPaused       ComponentStatus = "paused"
	// ComponentWaiting: the instances wait to be scheduled (the cluster's
	// "waiting").
	ComponentWaiting ComponentStatus = "waiting"
	// ComponentRestoring: a virtual machine is being restored.
	ComponentRestoring ComponentStatus = "restoring"
	// ComponentCreating: a KubeBlocks component is being created.
	ComponentCreating ComponentStatus = "creating"
	// ComponentFailure: a KubeBlocks component failed.
	ComponentFailure ComponentStatus = "failure"
	// ComponentUnknown is the cluster's own "cannot tell" (spelled "unknow").
	ComponentUnknown ComponentStatus = "unknow"
	// ComponentUnknownKubeBlocks is the console's "cannot tell" for a
	// KubeBlocks component (spelled "unKnow").
	ComponentUnknownKubeBlocks ComponentStatus = "unKnow"
)

// String returns the state, or "unreported" when the answer carried none.
func (s ComponentStatus) String() string {
	if s == "" {
		return "unreported"
	}
	return string(s)
}

// ServiceBaseInfo is a component (a "service" in the console's vocabulary),
// as the console serializes its component model.
//
// Source: ServiceBaseInfoSerializer in openapi/serializer/app_serializer.py,
// a ModelSerializer over TenantServiceInfo (www/models/main.py) minus a few
// columns, plus status and access_infos. Install and copy answers pass
// model rows through it (so every member is present and typed); component
// lists and details fail its validation (its unique check on service_id sees
// the row itself) and are built from the raw rows. The columns noted
// "nullable" below are null=True in the model: null arrives as "" or 0.
//
// Newer consoles send columns this struct does not know yet: they are kept
// in Extra, as is any member whose value cannot be read as its field's
// type.
type ServiceBaseInfo struct {
	// Status is the component's state. Install and copy answers always
	// carry "" (the serializer's default); component lists and details
	// carry the cluster's state, or "" when the cluster did not report the
	// component (the console sends null: openapi/services/app_service.py
	// get_app_services_and_status).
	Status ComponentStatus `json:"status"`
	// AccessInfos lists the component's access addresses, e.g.
	// "http://shop.example.com/". Install and copy answers always carry an
	// empty list.
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
	// Desc is the component's description (nullable).
	Desc string `json:"desc"`
	// Category is the component's category, e.g. application, cache, store,
	// app_publish.
	Category string `json:"category"`
	// Version is the component's version (an image tag or code version).
	Version string `json:"version"`
	// UpdateVersion counts the component's internal releases.
	UpdateVersion int `json:"update_version"`
	// Image is the container image the component runs.
	Image string `json:"image"`
	// Cmd is the container's start command (nullable).
	Cmd string `json:"cmd"`
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
	// nullable.
	CodeFrom string `json:"code_from"`
	// GitURL is the source repository (nullable).
	GitURL string `json:"git_url"`
	// GitProjectID is the project's id in GitLab; 0 when not from GitLab.
	GitProjectID int `json:"git_project_id"`
	// CodeVersion is the branch or tag built (nullable).
	CodeVersion string `json:"code_version"`
	// ServiceType is the component's type (application, web, mysql...);
	// nullable.
	ServiceType string `json:"service_type"`
	// Creator is the user id of the component's creator. The console
	// spells the member "creater".
	Creator int `json:"creater"`
	// Language is the detected source language (nullable).
	Language string `json:"language"`
	// TotalMemory is a deprecated column, usually 0.
	TotalMemory int `json:"total_memory"`
	// IsService is a deprecated column: whether the component was an inner
	// service.
	IsService bool `json:"is_service"`
	// ServiceOrigin is how the component was created: "cloud" from a store,
	// "assistant" otherwise.
	ServiceOrigin string `json:"service_origin"`
	// TenantServiceGroupID is the component group the component belongs to.
	// Each install creates a new group, which tells its components apart.
	TenantServiceGroupID int `json:"tenant_service_group_id"`
	// OpenWebhooks reports whether pushes trigger a deployment (older
	// components).
	OpenWebhooks bool `json:"open_webhooks"`
	// ServiceSource is the component's source: source_code, market,
	// docker_run, docker_compose, docker_image, third_party...; nullable.
	ServiceSource string `json:"service_source"`
	// CreateStatus is the creation state, creating or complete; nullable.
	// Builds and start/stop refuse or skip components that are not
	// complete.
	CreateStatus string `json:"create_status"`
	// CheckUUID is the id of the component's source check (nullable).
	CheckUUID string `json:"check_uuid"`
	// CheckEventID is the event id of the component's source check
	// (nullable).
	CheckEventID string `json:"check_event_id"`
	// DockerCmd is the command the component was created from (docker
	// run); nullable.
	DockerCmd string `json:"docker_cmd"`
	// ServerType is the source repository's type (git, svn, oss).
	ServerType string `json:"server_type"`
	// IsUpgrade reports whether the component can be upgraded. The console
	// spells the member "is_upgrate".
	IsUpgrade bool `json:"is_upgrate"`
	// BuildUpgrade reports whether a build also upgrades the running
	// component.
	BuildUpgrade bool `json:"build_upgrade"`
	// OAuthServiceID is the OAuth service used to pull the source; 0 when
	// none (nullable).
	OAuthServiceID int `json:"oauth_service_id"`
	// K8sComponentName is the component's name in the cluster.
	K8sComponentName string `json:"k8s_component_name"`
	// BuildStrategy is how source is built (e.g. "cnb", "slug"); nullable.
	BuildStrategy string `json:"build_strategy"`
	// JobStrategy is the job or cronjob settings as a JSON string
	// (nullable).
	JobStrategy string `json:"job_strategy"`
	// Arch is the CPU architecture the component runs on (amd64, arm64);
	// nullable.
	Arch string `json:"arch"`
	// Dockerfile is the Dockerfile path used to build (nullable).
	Dockerfile string `json:"dockerfile"`

	// Extra holds, raw, the members the console sent that this struct
	// does not know (columns added by newer consoles) and any member whose
	// value could not be read as its field's type (that field is then
	// left empty). It is nil when there were none. MarshalJSON writes them
	// back. The SDK's own decoder fills it; a codec set with
	// [WithJSONCodec] leaves it nil.
	Extra map[string]json.RawMessage `json:"-" jsonwire:"unknown"`
}

// serviceBaseInfoFields is ServiceBaseInfo without its methods, so that the
// standard encoder can be used from inside MarshalJSON.
type serviceBaseInfoFields ServiceBaseInfo

// knownServiceFields are the JSON names ServiceBaseInfo has fields for.
var knownServiceFields = jsonNames(reflect.TypeFor[serviceBaseInfoFields]())

// MarshalJSON encodes the component with its Extra members, so that a
// decoded component encodes back to what the console sent.
func (s ServiceBaseInfo) MarshalJSON() ([]byte, error) {
	known, err := json.Marshal(serviceBaseInfoFields(s))
	if err != nil || len(s.Extra) == 0 {
		return known, err
	}
	return jsonwire.AppendMembers(known, s.Extra, knownServiceFields)
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
//
// The console does not validate this body (AppCopyCSerializer in
// openapi/serializer/groupapp_serializer.py returns its input unchecked,
// and the view reads the target members from the raw request), so its
// values are used exactly as sent: the client refuses what the console
// could not use rather than change it.
type AppCopyC struct {
	// Services lists the components to copy, with optional changes. An empty
	// list makes the console copy every component of the app: CopyApp
	// refuses it, [AppsService.CopyAllComponents] sends it deliberately.
	Services []AppCopyModify `json:"services"`
	// TargetTeamName is the target team's tenant_name (e.g. "o19p6wen"), not
	// its display name (tenant_alias). At most 64 characters (the column's
	// size; the serializer's 32 is never enforced).
	TargetTeamName string `json:"target_team_name"`
	// TargetRegionName is the target region's region_name. At most 64
	// characters.
	TargetRegionName string `json:"target_region_name"`
	// TargetAppID is the id of the app, in the target team and region, that
	// receives the copies.
	TargetAppID int64 `json:"target_app_id"`
}

// AppCopyModify names one component to copy.
type AppCopyModify struct {
	// ServiceID is the id of the component to copy (32 characters).
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
	// source's; when set it must be 1 to 32 characters (the console trims
	// it first: AppChangeBuildSourceSerializer).
	Version *string `json:"version"`
}

// AppCopyCRes is the console's answer to a copy: only the new components,
// which the console always deploys. Copies are named "<cname>-copy".
type AppCopyCRes struct {
	// Services are the components the copy created.
	Services []ServiceBaseInfo `json:"services"`
}

// AppPostInfo is the body of [AppsService.Create]. The console trims both
// strings (AppPostInfoSerializer), then checks the name against its own
// pattern (console/services/group_service.py check_app_name).
type AppPostInfo struct {
	// AppName is the new app's name. Required, at most 128 characters of
	// letters, digits, '_', '.', '-' and Chinese characters (U+4E00–U+9FA5);
	// unique in the team and region.
	AppName string `json:"app_name"`
	// AppNote is a note on the app; at most 2048 characters, and may be
	// blank.
	AppNote string `json:"app_note,omitempty"`
	// K8sApp is the app's name in the cluster; empty lets the console pick
	// "app-" and six random characters. Unique in the team and region.
	K8sApp string `json:"k8s_app,omitempty"`
}

// AppBaseInfo is an app (the console's "group") as lists and creation
// return it.
//
// Source: AppBaseInfoSerializer, a ModelSerializer over ServiceGroup
// (www/models/main.py) with every column, serializing model rows: every
// member is sent, typed as here. Nullable columns arrive as "".
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
	// Note is the app's note (nullable).
	Note string `json:"note"`
	// Username is the user name of the app's principal (owner); nullable.
	Username string `json:"username"`
	// GovernanceMode is the service mesh mode, e.g.
	// "KUBERNETES_NATIVE_SERVICE"; nullable.
	GovernanceMode string `json:"governance_mode"`
	// CreateTime is when the app was created, as the console formats it:
	// ISO 8601 in lists ("2024-05-01T12:30:45.123456"), "2024-05-01
	// 12:30:45" in the answer to a creation; kept as text so that no
	// format fails a call.
	CreateTime string `json:"create_time"`
	// UpdateTime is when the app last changed, formatted as CreateTime.
	UpdateTime string `json:"update_time"`
	// AppType is "rainbond" or "helm".
	AppType string `json:"app_type"`
	// AppStoreName is the Helm store a Helm app comes from (nullable).
	AppStoreName string `json:"app_store_name"`
	// AppStoreURL is that store's address (nullable).
	AppStoreURL string `json:"app_store_url"`
	// AppTemplateName is the Helm chart of a Helm app (nullable).
	AppTemplateName string `json:"app_template_name"`
	// Version is the Helm chart version of a Helm app (nullable).
	Version string `json:"version"`
	// Logo is the app's logo URL (nullable).
	Logo string `json:"logo"`
	// K8sApp is the app's name in the cluster.
	K8sApp string `json:"k8s_app"`
}

// AppStatus is an app's state, from the states of its components.
type AppStatus string

// The states of an app (APP_STATUS_CHOICE in
// openapi/serializer/app_serializer.py).
const (
	// AppRunning: every component runs.
	AppRunning AppStatus = "running"
	// AppPartRunning: some components run.
	AppPartRunning AppStatus = "part_running"
	// AppClosed: no component runs (or the app has none).
	AppClosed AppStatus = "closed"
)

// AppInfo is an app with its state, from [AppsService.Get].
//
// Source: AppInfoView.get in openapi/views/apps/apps.py, with
// AppInfoSerializer. The view returns the serializer's data after a
// non-raising is_valid(): while validation passes, used_cpu and app_id are
// integers; as soon as anything fails (a fractional used_cpu, which is the
// usual case when a component's memory is not a multiple of 64 MiB) the
// answer is the raw input, with used_cpu a float and app_id the path's
// text ("12"). ID is never sent either way: the client fills it in from
// AppID.
type AppInfo struct {
	// AppBaseInfo holds the app's columns. Its ID is filled from AppID.
	AppBaseInfo
	// EnterpriseID is the id of the team's enterprise.
	EnterpriseID string `json:"enterprise_id"`
	// ServiceCount is the number of components.
	ServiceCount int `json:"service_count"`
	// RunningServiceCount is the number of components in state running.
	RunningServiceCount int `json:"running_service_count"`
	// UsedMemory is the sum of the memory of every component, running or
	// not, in MiB. The console spells the member "used_momory".
	UsedMemory int `json:"used_momory"`
	// UsedCPU is the console's estimate of the CPU of every component,
	// running or not: the sum of min_memory/128×30 (not the components'
	// min_cpu). It is fractional when a component's memory is not a
	// multiple of 64 MiB.
	UsedCPU float64 `json:"used_cpu"`
	// AppID is the app's id as sent: a number, or the path's text when the
	// console answered raw. Read ID instead.
	AppID json.Number `json:"app_id"`
	// TeamName is the tenant_name of the app's team.
	TeamName string `json:"team_name"`
	// Status is the app's state.
	Status AppStatus `json:"status"`
}

// normalize fills ID, which the console never sends, from AppID.
func (a *AppInfo) normalize() {
	if a.ID == 0 {
		if id, err := a.AppID.Int64(); err == nil {
			a.ID = id
		}
	}
}

// normalizer is a model that completes itself after decoding.
type normalizer interface{ normalize() }

// AppCopyL is a component that can be copied, from
// [AppsService.ListCopyable].
//
// Source: AppCopyLSerializer in openapi/serializer/groupapp_serializer.py,
// whose fields are all nullable and pass their values through str().
type AppCopyL struct {
	// ServiceID is the component's id, for [AppCopyModify].ServiceID.
	ServiceID string `json:"service_id"`
	// ServiceCname is the component's display name.
	ServiceCname string `json:"service_cname"`
	// ServiceAlias is the component's alias.
	ServiceAlias string `json:"service_alias"`
	// ServiceType is the component's type (nullable).
	ServiceType string `json:"service_type"`
	// Version is the component's version.
	Version string `json:"version"`
	// DeployVersion is the build currently deployed (nullable).
	DeployVersion string `json:"deploy_version"`
	// AppName is the name of the component's app.
	AppName string `json:"app_name"`
	// MinMemory is the memory per instance in MiB, sent as text ("1024").
	MinMemory json.Number `json:"min_memory"`
	// CreateStatus is the creation state (nullable).
	CreateStatus string `json:"create_status"`
	// UpdateTime is when the component last changed, as Python prints a
	// time: "2024-05-01 12:30:45.123456".
	UpdateTime string `json:"update_time"`
	// BuildSource is what the component is built from; the seed documents
	// call it a string, the console sends an object.
	BuildSource CopyBuildSource `json:"build_source"`
}

// CopyBuildSource is what a copyable component is built from
// (CompomentBuildSourceSerializer and its subclasses in
// openapi/serializer/groupapp_serializer.py).
//
// Every member those serializers declare is here, and a member they do
// not declare is kept in Extra, so that nothing the console sends is
// lost. Consoles up to v6.9.8 send only the first five for store and
// other components, and answer the whole list with a 400 for an app
// holding an image (docker_image) or source-code component: their
// serializers refuse the blank user_name the console always fills in
// (console/services/service_services.py get_build_infos), so the image
// and git members never arrive; [AppsService.ListCopyable] reports that
// answer as [ErrBuildSourceUnlistable].
type CopyBuildSource struct {
	// Version is the component's version (nullable).
	Version string `json:"version"`
	// Language is the detected source language (nullable).
	Language string `json:"language"`
	// CodeFrom is where the source comes from (nullable).
	CodeFrom string `json:"code_from"`
	// ServiceSource is market, docker_image, source_code, docker_run,
	// third_party...; nullable.
	ServiceSource string `json:"service_source"`
	// RainAppName is the store app's name, for store components.
	RainAppName string `json:"rain_app_name"`
	// Image and DockerCmd are an image component's image and command.
	Image string `json:"image"`
	// DockerCmd: see Image.
	DockerCmd string `json:"docker_cmd"`
	// UserName and Password are the stored registry or git credentials.
	// Password is a [Secret]: never printed.
	UserName string `json:"user_name"`
	// Password: see UserName.
	Password Secret `json:"password"`
	// GitURL, CodeVersion (the branch or tag) and FullName are a
	// source-code component's repository.
	GitURL string `json:"git_url"`
	// CodeVersion: see GitURL.
	CodeVersion string `json:"code_version"`
	// FullName: see GitURL.
	FullName string `json:"full_name"`
	// OAuthServiceID is the OAuth service the repository is reached
	// through; 0 for none.
	OAuthServiceID int64 `json:"oauth_service_id"`
	// ServiceID is the component's id, for source-code components.
	ServiceID string `json:"service_id"`
	// Extra holds, raw, members the serializers do not declare and any
	// member whose value could not be read as its field's type; nil when
	// there were none. The SDK's own decoder fills it.
	Extra map[string]json.RawMessage `json:"-" jsonwire:"unknown"`
}

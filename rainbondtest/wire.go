package rainbondtest

import (
	"strconv"
	"strings"
)

// The console's JSON, written from its serializers and views
// (goodrain/rainbond-console openapi/serializer/*.py, openapi/views/*.py)
// rather than from the SDK's models, so that tests of the SDK against this
// server check the SDK against an independent description of the wire.
// Pointers are values the console sends as null; pyFloat and the string
// app_id are the Python values of answers the console returns raw.

// serviceInfo is ServiceBaseInfoSerializer: the component model
// (TenantServiceInfo, www/models/main.py) minus the excluded columns, plus
// status and access_infos. Pointers are the columns with null=True; status
// is null when the cluster did not report the component.
type serviceInfo struct {
	Status               *string  `json:"status"`
	AccessInfos          []string `json:"access_infos"`
	ServiceID            string   `json:"service_id"`
	TenantID             string   `json:"tenant_id"`
	ServiceKey           string   `json:"service_key"`
	ServiceAlias         string   `json:"service_alias"`
	ServiceCname         string   `json:"service_cname"`
	ServiceRegion        string   `json:"service_region"`
	Desc                 *string  `json:"desc"`
	Category             string   `json:"category"`
	Version              string   `json:"version"`
	UpdateVersion        int      `json:"update_version"`
	Image                string   `json:"image"`
	Cmd                  *string  `json:"cmd"`
	MinNode              int      `json:"min_node"`
	MinCPU               int      `json:"min_cpu"`
	ContainerGPU         int      `json:"container_gpu"`
	MinMemory            int      `json:"min_memory"`
	ExtendMethod         string   `json:"extend_method"`
	CodeFrom             *string  `json:"code_from"`
	GitURL               *string  `json:"git_url"`
	GitProjectID         int      `json:"git_project_id"`
	CodeVersion          *string  `json:"code_version"`
	ServiceType          *string  `json:"service_type"`
	Creater              int      `json:"creater"`
	Language             *string  `json:"language"`
	BuildStrategy        *string  `json:"build_strategy"`
	TotalMemory          int      `json:"total_memory"`
	IsService            bool     `json:"is_service"`
	ServiceOrigin        string   `json:"service_origin"`
	TenantServiceGroupID int      `json:"tenant_service_group_id"`
	OpenWebhooks         bool     `json:"open_webhooks"`
	ServiceSource        *string  `json:"service_source"`
	CreateStatus         *string  `json:"create_status"`
	CheckUUID            *string  `json:"check_uuid"`
	CheckEventID         *string  `json:"check_event_id"`
	DockerCmd            *string  `json:"docker_cmd"`
	ServerType           string   `json:"server_type"`
	IsUpgrate            bool     `json:"is_upgrate"`
	BuildUpgrade         bool     `json:"build_upgrade"`
	OAuthServiceID       *int     `json:"oauth_service_id"`
	K8sComponentName     string   `json:"k8s_component_name"`
	JobStrategy          *string  `json:"job_strategy"`
	Arch                 *string  `json:"arch"`
	Dockerfile           *string  `json:"dockerfile"`
}

// marketInstall is MarketInstallSerializer.
type marketInstall struct {
	EnterpriseID string        `json:"enterprise_id"`
	TeamID       string        `json:"team_id"`
	Note         *string       `json:"note"`
	ID           int64         `json:"ID"`
	RegionName   string        `json:"region_name"`
	ServiceList  []serviceInfo `json:"service_list"`
}

// appCopyRes is AppCopyCResSerializer.
type appCopyRes struct {
	Services []serviceInfo `json:"services"`
}

// messageBody is the console's MessageResponse, the body of a
// ServiceHandleException (console/utils/response.py).
type messageBody struct {
	Code    int         `json:"code"`
	Msg     any         `json:"msg"`
	MsgShow string      `json:"msg_show"`
	Data    messageData `json:"data"`
}

type messageData struct {
	Bean any   `json:"bean"`
	List []any `json:"list"`
}

// apiExceptionBody is what custom_exception_handler makes of a DRF
// APIException (authentication, parse errors, 405, throttling).
type apiExceptionBody struct {
	Detail     string `json:"detail"`
	Code       int    `json:"code"`
	Msg        string `json:"msg"`
	MsgShow    string `json:"msg_show"`
	ErrorType  string `json:"error_type"`
	ErrorTrace string `json:"error_trace"`
}

// validationBody is what it makes of a DRF ValidationError: err is an
// object of fields, or a list (one entry per item of a many=True
// serializer, or messages).
type validationBody struct {
	Detail    string `json:"detail"`
	Err       any    `json:"err"`
	Code      int    `json:"code"`
	ErrorType string `json:"error_type"`
}

// serverErrorBody is what it makes of any other exception: a 500 whose
// msg_show is the Python traceback.
type serverErrorBody struct {
	Code         int            `json:"code"`
	Msg          string         `json:"msg"`
	MsgShow      string         `json:"msg_show"`
	ErrorType    string         `json:"error_type"`
	ErrorTrace   string         `json:"error_trace"`
	ErrorDetails map[string]any `json:"error_details"`
}

// regionInfo is RegionInfoRespSerializer over the regions at level ""
// (region_services.py __init_region_resource_data): no wsurl, httpdomain
// or tcpdomain, and null certificates.
type regionInfo struct {
	RegionID    string  `json:"region_id"`
	RegionName  string  `json:"region_name"`
	RegionAlias string  `json:"region_alias"`
	URL         string  `json:"url"`
	Status      string  `json:"status"`
	Desc        string  `json:"desc"`
	Scope       string  `json:"scope"`
	SSLCACert   *string `json:"ssl_ca_cert"`
	CertFile    *string `json:"cert_file"`
	KeyFile     *string `json:"key_file"`
}

// teamRow is a row of team_repo.py list_by_user_id with role_infos added:
// ListTeamInfo answers them unvalidated.
type teamRow struct {
	ID           int64      `json:"ID"`
	TenantID     string     `json:"tenant_id"`
	TenantName   string     `json:"tenant_name"`
	TenantAlias  *string    `json:"tenant_alias"`
	IsActive     bool       `json:"is_active"`
	EnterpriseID string     `json:"enterprise_id"`
	CreateTime   string     `json:"create_time"`
	Creater      *string    `json:"creater"`
	RoleInfos    []roleInfo `json:"role_infos"`
}

// roleInfo is perm_repo.py get_user_roles: role_id from a text column.
type roleInfo struct {
	RoleID   string `json:"role_id"`
	RoleName string `json:"role_name"`
}

// teamList is ListTeamInfo's answer.
type teamList struct {
	Tenants  []teamRow `json:"tenants"`
	Total    int       `json:"total"`
	Page     int       `json:"page"`
	PageSize int       `json:"page_size"`
}

// teamRegion is TeamRegionsRespSerializer over region_repo.py
// list_by_tenant_id's rows.
type teamRegion struct {
	RegionID    string  `json:"region_id"`
	RegionName  string  `json:"region_name"`
	RegionAlias string  `json:"region_alias"`
	TenantName  string  `json:"tenant_name"`
	URL         string  `json:"url"`
	WsURL       string  `json:"wsurl"`
	HTTPDomain  string  `json:"httpdomain"`
	TCPDomain   string  `json:"tcpdomain"`
	Token       *string `json:"token"`
	Status      string  `json:"status"`
	Desc        string  `json:"desc"`
	Scope       string  `json:"scope"`
}

// teamRegionList is ListTeamRegionsRespSerializer.
type teamRegionList struct {
	Regions []teamRegion `json:"regions"`
	Total   int          `json:"total"`
}

// appColumns are the columns of ServiceGroup (www/models/main.py) but ID,
// as AppBaseInfoSerializer (fields "__all__") serializes them.
type appColumns struct {
	TenantID        string  `json:"tenant_id"`
	GroupName       string  `json:"group_name"`
	RegionName      string  `json:"region_name"`
	IsDefault       bool    `json:"is_default"`
	OrderIndex      int     `json:"order_index"`
	Note            *string `json:"note"`
	Username        *string `json:"username"`
	GovernanceMode  *string `json:"governance_mode"`
	CreateTime      string  `json:"create_time"`
	UpdateTime      string  `json:"update_time"`
	AppType         string  `json:"app_type"`
	AppStoreName    *string `json:"app_store_name"`
	AppStoreURL     *string `json:"app_store_url"`
	AppTemplateName *string `json:"app_template_name"`
	Version         *string `json:"version"`
	Logo            *string `json:"logo"`
	K8sApp          string  `json:"k8s_app"`
}

// appBaseInfo is AppBaseInfoSerializer over a model row: ID included.
type appBaseInfo struct {
	ID int64 `json:"ID"`
	appColumns
}

// appInfo is AppInfoView.get's answer after a successful validation:
// AppInfoSerializer's data, without ID (read-only, absent from the input).
type appInfo struct {
	appColumns
	EnterpriseID        string `json:"enterprise_id"`
	ServiceCount        int    `json:"service_count"`
	RunningServiceCount int    `json:"running_service_count"`
	UsedMomory          int    `json:"used_momory"`
	UsedCPU             int    `json:"used_cpu"`
	AppID               int64  `json:"app_id"`
	TeamName            string `json:"team_name"`
	Status              string `json:"status"`
}

// appInfoRaw is the same answer when validation failed: the serializer's
// initial data, the Python values as the view computed them: used_cpu a
// float and app_id the URL's text.
type appInfoRaw struct {
	appColumns
	EnterpriseID        string  `json:"enterprise_id"`
	ServiceCount        int     `json:"service_count"`
	RunningServiceCount int     `json:"running_service_count"`
	UsedMomory          int     `json:"used_momory"`
	UsedCPU             pyFloat `json:"used_cpu"`
	AppID               string  `json:"app_id"`
	TeamName            string  `json:"team_name"`
	Status              string  `json:"status"`
}

// pyFloat is a Python float as DRF's JSON encoder writes it: always with a
// fraction or exponent (240.0, 46.875).
type pyFloat float64

func (f pyFloat) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(f), 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return []byte(s), nil
}

// appCopyL is AppCopyLSerializer: a component that can be copied. Every
// field is nullable and passed through str().
type appCopyL struct {
	ServiceID     string      `json:"service_id"`
	ServiceCname  string      `json:"service_cname"`
	ServiceAlias  string      `json:"service_alias"`
	ServiceType   *string     `json:"service_type"`
	Version       string      `json:"version"`
	DeployVersion *string     `json:"deploy_version"`
	AppName       string      `json:"app_name"`
	MinMemory     string      `json:"min_memory"`
	CreateStatus  *string     `json:"create_status"`
	UpdateTime    string      `json:"update_time"`
	BuildSource   buildSource `json:"build_source"`
}

// buildSource is CompomentBuildSourceSerializer, and for store components
// CompomentMarketBuildSourceSerializer (rain_app_name).
type buildSource struct {
	Version       *string `json:"version"`
	Language      *string `json:"language"`
	CodeFrom      *string `json:"code_from"`
	ServiceSource *string `json:"service_source"`
	RainAppName   *string `json:"rain_app_name,omitempty"`
}

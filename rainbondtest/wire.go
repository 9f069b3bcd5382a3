package rainbondtest

// The console's JSON, written from its serializers
// (goodrain/rainbond-console openapi/serializer/*.py) rather than from the
// SDK's models, so that tests of the SDK against this server check the SDK
// against an independent description of the wire.

// serviceInfo is ServiceBaseInfoSerializer: the component model minus a
// few columns, plus status and access_infos. Pointers are the columns the
// console sends as null.
type serviceInfo struct {
	Status               string   `json:"status"`
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
	BuildStrategy        *string  `json:"build_strategy"`
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
// ServiceHandleException.
type messageBody struct {
	Code    int         `json:"code"`
	Msg     string      `json:"msg"`
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

// validationBody is what it makes of a DRF ValidationError.
type validationBody struct {
	Detail     string              `json:"detail"`
	Err        map[string][]string `json:"err"`
	Code       int                 `json:"code"`
	ErrorType  string              `json:"error_type"`
	ErrorTrace string              `json:"error_trace"`
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

// regionInfo is RegionInfoRespSerializer.
type regionInfo struct {
	RegionID    string  `json:"region_id"`
	RegionName  string  `json:"region_name"`
	RegionAlias string  `json:"region_alias"`
	URL         string  `json:"url"`
	WsURL       string  `json:"wsurl"`
	HTTPDomain  string  `json:"httpdomain"`
	TCPDomain   string  `json:"tcpdomain"`
	Scope       string  `json:"scope"`
	SSLCACert   *string `json:"ssl_ca_cert"`
	CertFile    *string `json:"cert_file"`
	KeyFile     *string `json:"key_file"`
	Status      string  `json:"status"`
	Desc        string  `json:"desc"`
}

// teamInfo is TeamInfoSerializer.
type teamInfo struct {
	TenantID     string     `json:"tenant_id"`
	TenantName   string     `json:"tenant_name"`
	TenantAlias  string     `json:"tenant_alias"`
	EnterpriseID string     `json:"enterprise_id"`
	IsActive     bool       `json:"is_active"`
	CreateTime   string     `json:"create_time"`
	Creater      string     `json:"creater"`
	RoleInfos    []roleInfo `json:"role_infos"`
	ServiceNum   int        `json:"service_num"`
	RegionNum    int        `json:"region_num"`
}

type roleInfo struct {
	RoleID   int    `json:"role_id"`
	RoleName string `json:"role_name"`
}

// teamList is ListTeamRespSerializer.
type teamList struct {
	Tenants []teamInfo `json:"tenants"`
	Total   int        `json:"total"`
}

// teamRegion is TeamRegionsRespSerializer.
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

// appBaseInfo is AppBaseInfoSerializer: every column of the app model.
type appBaseInfo struct {
	ID             int64   `json:"ID"`
	TenantID       string  `json:"tenant_id"`
	GroupName      string  `json:"group_name"`
	RegionName     string  `json:"region_name"`
	IsDefault      bool    `json:"is_default"`
	OrderIndex     int     `json:"order_index"`
	Note           *string `json:"note"`
	Username       string  `json:"username"`
	GovernanceMode string  `json:"governance_mode"`
	K8sApp         string  `json:"k8s_app"`
	AppType        string  `json:"app_type"`
	Logo           string  `json:"logo"`
	CreateTime     string  `json:"create_time"`
	UpdateTime     string  `json:"update_time"`
}

// appInfo is AppInfoSerializer.
type appInfo struct {
	appBaseInfo
	EnterpriseID        string `json:"enterprise_id"`
	ServiceCount        int    `json:"service_count"`
	RunningServiceCount int    `json:"running_service_count"`
	UsedMomory          int    `json:"used_momory"`
	UsedCPU             int    `json:"used_cpu"`
	AppID               int64  `json:"app_id"`
	TeamName            string `json:"team_name"`
	Status              string `json:"status"`
}

// appCopyL is AppCopyLSerializer: a component that can be copied.
type appCopyL struct {
	ServiceID     string      `json:"service_id"`
	ServiceCname  string      `json:"service_cname"`
	ServiceAlias  string      `json:"service_alias"`
	ServiceType   string      `json:"service_type"`
	Version       string      `json:"version"`
	DeployVersion string      `json:"deploy_version"`
	AppName       string      `json:"app_name"`
	MinMemory     string      `json:"min_memory"`
	CreateStatus  string      `json:"create_status"`
	UpdateTime    string      `json:"update_time"`
	BuildSource   buildSource `json:"build_source"`
}

// buildSource is what the copy list says a component is built from.
type buildSource struct {
	Version       *string `json:"version"`
	Language      *string `json:"language"`
	CodeFrom      *string `json:"code_from"`
	ServiceSource *string `json:"service_source"`
	Image         *string `json:"image"`
	DockerCmd     *string `json:"docker_cmd"`
	GitURL        *string `json:"git_url"`
	CodeVersion   *string `json:"code_version"`
	RainAppName   *string `json:"rain_app_name"`
}

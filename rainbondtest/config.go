package rainbondtest

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A component's environment variables and ports: ComponentEnvsUView,
// ComponentPortsShowView and ComponentPortsChangeView
// (openapi/views/apps/apps.py), with env_service.py update_or_create_envs
// and port_service.py add_service_port, manage_port and
// delete_port_by_container_port.

// envVar is a variable as the console stores it (TenantServiceEnvVar):
// the note is its "name" column.
type envVar struct {
	name, value, note, scope string
	isChange                 bool
}

// port is a port as the console stores it (TenantServicesPort).
type port struct {
	ContainerPort  int    `json:"container_port"`
	MappingPort    int    `json:"mapping_port"`
	LbMappingPort  int    `json:"lb_mapping_port"`
	Protocol       string `json:"protocol"`
	PortAlias      string `json:"port_alias"`
	IsInnerService bool   `json:"is_inner_service"`
	IsOuterService bool   `json:"is_outer_service"`
	K8sServiceName string `json:"k8s_service_name"`
}

// envelope answers general_message: {"code", "msg", "msg_show", "data":
// {"bean", "list"}}.
func (c *call) envelope(msgShow string, bean any, list []any) {
	if bean == nil {
		bean = map[string]any{}
	}
	if list == nil {
		list = []any{}
	}
	c.json(http.StatusOK, messageBody{Code: 200, Msg: "success", MsgShow: msgShow, Data: messageData{Bean: bean, List: list}})
}

var (
	envNameLetters = regexp.MustCompile(`^[\da-zA-Z_]+$`)
	envNameFirst   = regexp.MustCompile(`^[a-zA-Z]`)
	allDigits      = regexp.MustCompile(`^\d+$`)
)

const envNameProblem = "变量名不合法， 请输入以字母开头且为数字、大小写字母、'_'、'-'的组合"

// envProblems checks a variable as ComponentEnvsBaseSerializers does:
// CharFields, then name_validator on the name.
func envProblems(name, value, note string) map[string][]string {
	values, p := checkCharFields(map[string]any{"name": name, "value": value, "note": note}, []charField{
		{name: "name", max: 100}, {name: "value", max: 1024}, {name: "note", max: 100, allowBlank: true},
	})
	if n := values["name"]; n != nil && (!envNameLetters.MatchString(*n) || allDigits.MatchString(*n) || !envNameFirst.MatchString(*n)) {
		p["name"] = []string{envNameProblem}
	}
	return p
}

// updateEnvs is ComponentEnvsUView.put: the body validated, each variable
// upserted by name (an existing one gets value and note only), every
// variable of the component answered and validated with the request's
// rules, so a stored variable that breaks them fails the call after the
// write. A variable the cluster refuses rolls the console's rows back
// (the earlier ones reached the cluster).
func (c *call) updateEnvs() {
	_, _, comp := c.component()
	if comp == nil {
		return
	}
	var raw any = map[string]any{}
	if !c.parseJSON(&raw) {
		return
	}
	body, _ := raw.(map[string]any)
	list, isList := body["envs"].([]any)
	if _, present := body["envs"]; !present {
		c.validation("envs", "该字段是必填项。")
		return
	} else if !isList {
		c.validationErrors(map[string]any{"envs": map[string][]string{"non_field_errors": {"期望一个列表的项目，但是得到了类型 \"" + pyType(body["envs"]) + "\"。"}}})
		return
	}
	wanted := make([]envVar, len(list))
	problems := make([]map[string][]string, len(list))
	bad := false
	for i, item := range list {
		fields, _ := item.(map[string]any)
		e := envVar{name: strings.TrimSpace(textOf(fields["name"])), value: strings.TrimSpace(textOf(fields["value"])),
			note: strings.TrimSpace(textOf(fields["note"])), scope: "inner", isChange: true}
		if s, ok := fields["scope"].(string); ok && s != "" {
			e.scope = s
		}
		if b, ok := fields["is_change"].(bool); ok {
			e.isChange = b
		}
		problems[i] = envProblems(e.name, e.value, e.note)
		bad = bad || len(problems[i]) > 0
		wanted[i] = e
	}
	if bad {
		c.validationErrors(map[string]any{"envs": problems})
		return
	}
	// update_or_create_envs: one variable at a time, each sent to the
	// cluster (for a component whose creation is complete) before the
	// next is looked at; the first failure rolls back the console's rows
	// (@atomic), not the cluster's.
	before := cloneEnvs(comp.envs)
	fail := func(answer func()) {
		comp.envs = before
		answer()
	}
	for _, e := range wanted {
		switch {
		case sensitiveEnvNames[e.name]:
			fail(func() {
				c.message(http.StatusBadRequest, http.StatusBadRequest, "update or create envs error", "不允许的变量名"+e.name, nil)
			})
			return
		case c.s.state.refusedEnvs[e.name]:
			fail(func() {
				c.regionError("POST", "/env", http.StatusInternalServerError, "Add env error, "+e.name+" refused")
			})
			return
		}
		if existing := findEnv(comp, e.name); existing != nil {
			existing.value, existing.note = e.value, e.note
		} else {
			added := e
			comp.envs = append(comp.envs, &added)
		}
		if comp.CreateStatus == nil || *comp.CreateStatus == "complete" {
			if comp.clusterEnvs == nil {
				comp.clusterEnvs = map[string]string{}
			}
			comp.clusterEnvs[e.name] = e.value
		}
	}
	c.answerEnvs(comp)
}

// sensitiveEnvNames are SENSITIVE_ENV_NAMES
// (console/services/app_config/env_service.py), refused case-sensitively.
var sensitiveEnvNames = map[string]bool{
	"TENANT_ID": true, "SERVICE_ID": true, "TENANT_NAME": true, "SERVICE_NAME": true, "SERVICE_VERSION": true,
	"MEMORY_SIZE": true, "SERVICE_EXTEND_METHOD": true, "SLUG_URL": true, "DEPEND_SERVICE": true,
	"REVERSE_DEPEND_SERVICE": true, "POD_ORDER": true, "PATH": true, "POD_NET_IP": true, "LOG_MATCH": true,
}

func cloneEnvs(envs []*envVar) []*envVar {
	out := make([]*envVar, len(envs))
	for i, e := range envs {
		copied := *e
		out[i] = &copied
	}
	return out
}

// regionError answers a failed cluster call as custom_exception_handler
// does for CallApiError: 400, msg the call as an object, no data.
func (c *call) regionError(method, pathSuffix string, status int, clusterMsg string) {
	c.json(http.StatusBadRequest, map[string]any{
		"code": http.StatusBadRequest,
		"msg": map[string]any{"apitype": "Not specified", "url": "http://region.goodrain.me:8443/v2/tenants/t/services/s" + pathSuffix,
			"method": method, "httpcode": status, "body": map[string]any{"msg": clusterMsg}},
		"msg_show": "数据中心操作故障 " + clusterMsg,
	})
}

func (c *call) answerEnvs(comp *component) {
	out := make([]map[string]any, len(comp.envs))
	problems := make([]map[string][]string, len(comp.envs))
	bad := false
	for i, e := range comp.envs {
		out[i] = map[string]any{"note": e.note, "name": e.name, "value": e.value, "is_change": e.isChange, "scope": e.scope}
		problems[i] = envProblems(e.name, e.value, e.note)
		bad = bad || len(problems[i]) > 0
	}
	if bad {
		c.validationErrors(map[string]any{"envs": problems})
		return
	}
	c.json(http.StatusOK, map[string]any{"envs": out})
}

// textOf is what a CharField makes of a value: strings as they are,
// numbers as their text.
func textOf(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func findEnv(comp *component, name string) *envVar {
	for _, e := range comp.envs {
		if e.name == name {
			return e
		}
	}
	return nil
}

// AddEnv stores a variable on component serviceID as the console's UI or
// its ports may, without the OpenAPI's rules: a name with '.' or '-', an
// empty value. The OpenAPI's envs call then fails after its write.
func (s *Server) AddEnv(serviceID, name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	comp := s.state.components[serviceID]
	if comp == nil {
		return fmt.Errorf("rainbondtest: no component %q", serviceID)
	}
	comp.envs = append(comp.envs, &envVar{name: name, value: value, scope: "inner", isChange: true})
	return nil
}

// RefuseEnv makes the cluster refuse variables named name: the envs call
// fails there, after the variables before it reached the cluster (see
// [Server.ClusterEnvs]), with the console's answer for a failed cluster
// call.
func (s *Server) RefuseEnv(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.refusedEnvs[name] = true
}

// Envs returns the variables of component serviceID as name=value.
func (s *Server) Envs(serviceID string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	if comp := s.state.components[serviceID]; comp != nil {
		for _, e := range comp.envs {
			out[e.name] = e.value
		}
	}
	return out
}

// ClusterEnvs returns the variables of component serviceID as the cluster
// holds them: those the console sent, including those of a change that
// failed part-way, which the console itself rolled back.
func (s *Server) ClusterEnvs(serviceID string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	if comp := s.state.components[serviceID]; comp != nil {
		maps.Copy(out, comp.clusterEnvs)
	}
	return out
}

// k8sServiceNamePattern is port_service.py check_k8s_service_name's.
var k8sServiceNamePattern = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)

var portAliasPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// protocols are COMPONENT_PORT_PROTOCOL.
var protocols = map[string]bool{"http": true, "tcp": true, "udp": true, "mysql": true, "grpc": true}

func findPort(comp *component, n int) *port {
	for _, p := range comp.ports {
		if p.ContainerPort == n {
			return p
		}
	}
	return nil
}

func portList(comp *component) []any {
	out := make([]any, len(comp.ports))
	for i, p := range comp.ports {
		out[i] = *p
	}
	return out
}

// listPorts is ComponentPortsShowView.get.
func (c *call) listPorts() {
	_, _, comp := c.component()
	if comp == nil {
		return
	}
	c.envelope("查询成功", nil, portList(comp))
}

// addPort is ComponentPortsShowView.post: ComponentPortReqSerializers
// (is_inner_service required), the port and protocol checked, a default
// alias from the component's alias, then port_service's checks.
func (c *call) addPort() {
	comp, raw := c.componentBody()
	if comp == nil {
		return
	}
	errs := map[string][]string{}
	n, _ := intField(raw, "port", false, errs)
	protocol := "http"
	if v, present := raw["protocol"]; present {
		switch v := v.(type) {
		case nil:
			protocol = ""
		case string:
			if !protocols[v] {
				errs["protocol"] = []string{"“" + v + "” 不是合法选项。"}
			}
			protocol = v
		}
	}
	alias, _ := raw["port_alias"].(string)
	inner, isBool := raw["is_inner_service"].(bool)
	if _, present := raw["is_inner_service"]; !present {
		errs["is_inner_service"] = []string{"该字段是必填项。"}
	} else if !isBool {
		errs["is_inner_service"] = []string{"必须是有效的布尔值。"}
	}
	switch {
	case len(errs) > 0:
		c.validationErrors(errs)
		return
	case n == 0:
		c.message(http.StatusBadRequest, http.StatusBadRequest, "params error", "缺少端口参数", nil)
		return
	case protocol == "":
		c.message(http.StatusBadRequest, http.StatusBadRequest, "params error", "缺少协议参数", nil)
		return
	}
	if alias == "" {
		alias = strings.ReplaceAll(strings.ToUpper(comp.ServiceAlias), "-", "_") + strconv.Itoa(n)
	}
	switch {
	case findPort(comp, n) != nil:
		c.message(http.StatusConflict, 20501, "component port already exists", "端口已存在", nil)
		return
	case n < 1 || n > 65535:
		c.message(http.StatusPreconditionFailed, http.StatusPreconditionFailed, "add port error", "端口范围为1到65535", nil)
		return
	case !portAliasPattern.MatchString(alias):
		c.message(http.StatusBadRequest, http.StatusBadRequest, "add port error", "端口别名不合法", nil)
		return
	}
	p := &port{ContainerPort: n, MappingPort: n, Protocol: protocol, PortAlias: alias, K8sServiceName: comp.ServiceAlias + "-" + strconv.Itoa(n)}
	comp.ports = append(comp.ports, p)
	if inner {
		openInner(comp, p)
	}
	c.envelope("添加成功", *p, nil)
}

// openInner opens a port to the app's components, adding the variables
// that tell them where it is.
func openInner(comp *component, p *port) {
	p.IsInnerService = true
	for _, e := range []envVar{
		{name: p.PortAlias + "_HOST", value: "127.0.0.1", note: "连接地址", scope: "outer"},
		{name: p.PortAlias + "_PORT", value: strconv.Itoa(p.ContainerPort), note: "端口", scope: "outer"},
	} {
		if findEnv(comp, e.name) == nil {
			added := e
			comp.envs = append(comp.envs, &added)
		}
	}
}

func closeInner(comp *component, p *port) {
	p.IsInnerService = false
	comp.envs = slices.DeleteFunc(comp.envs, func(e *envVar) bool {
		return e.scope == "outer" && (e.name == p.PortAlias+"_HOST" || e.name == p.PortAlias+"_PORT")
	})
}

// portActions are COMPONENT_PORT_ACTION.
var portActions = map[string]bool{"open_outer": true, "only_open_outer": true, "close_outer": true, "open_inner": true,
	"close_inner": true, "change_protocol": true, "change_port_alias": true}

// updatePort is ComponentPortsChangeView.put:
// ComponentUpdatePortReqSerializers, then port_service.manage_port.
func (c *call) updatePort() {
	comp, n := c.componentPort()
	if comp == nil {
		return
	}
	var raw map[string]any
	if !c.parseJSON(&raw) {
		return
	}
	action, _ := raw["action"].(string)
	if !portActions[action] {
		c.validation("action", "“"+action+"” 不是合法选项。")
		return
	}
	protocol := "http"
	if v, ok := raw["protocol"].(string); ok {
		protocol = v
	}
	alias, _ := raw["port_alias"].(string)
	alias = strings.TrimSpace(alias)
	p := findPort(comp, n)
	if msg := checkPortParams(comp, action, n, protocol, alias); msg != "" {
		c.message(http.StatusBadRequest, http.StatusBadRequest, "change port fail", msg, nil)
		return
	}
	if p == nil {
		c.message(http.StatusNotFound, http.StatusNotFound, "component port does not exist", "组件端口不存在", nil)
		return
	}
	switch action {
	case "open_outer":
		if !p.IsInnerService {
			c.message(http.StatusNotFound, http.StatusNotFound, "inner port is not open", "对内服务未开启，需先开启对内服务", nil)
			return
		}
		p.IsOuterService = true
	case "only_open_outer":
		p.IsOuterService = true
	case "close_outer":
		p.IsOuterService = false
	case "open_inner":
		openInner(comp, p)
	case "close_inner":
		if p.IsOuterService {
			c.message(http.StatusNotFound, http.StatusNotFound, "inner port is not open", "对外服务开启中，需先关闭对外服务", nil)
			return
		}
		closeInner(comp, p)
	case "change_protocol":
		p.Protocol = protocol
	case "change_port_alias":
		// change_port_alias renames the port's variables in the cluster,
		// then checks k8s_service_name with len(), which fails on the
		// None the serializer gives a missing member.
		k8s, present := raw["k8s_service_name"].(string)
		switch {
		case !present:
			c.serverError("TypeError", "object of type 'NoneType' has no len()")
			return
		case strings.TrimSpace(k8s) == "":
			c.validation("k8s_service_name", "该字段不能为空。")
			return
		case len(k8s) > 63:
			c.message(http.StatusBadRequest, http.StatusBadRequest, "k8s_service_name must be no more than 63 characters", "k8s_service_name must be no more than 63 characters", nil)
			return
		case !k8sServiceNamePattern.MatchString(k8s):
			c.message(http.StatusBadRequest, http.StatusBadRequest, "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'", "内部域名格式不正确", nil)
			return
		}
		p.PortAlias = alias
		for _, other := range comp.ports {
			other.K8sServiceName = k8s // every port of the component
		}
	}
	c.envelope("操作成功", *p, nil)
}

// checkPortParams is port_service.__check_params.
func checkPortParams(comp *component, action string, n int, protocol, alias string) string {
	if action == "change_port_alias" {
		if alias == "" {
			return "端口别名不能为空"
		}
		for _, other := range comp.ports {
			if other.PortAlias == alias && other.ContainerPort != n {
				return "别名已存在"
			}
		}
	}
	if action == "change_protocol" && protocol == "" {
		return "端口协议不能为空"
	}
	if alias != "" && !portAliasPattern.MatchString(alias) {
		return "端口别名不合法"
	}
	return ""
}

// deletePort is ComponentPortsChangeView.delete: refused while rules use
// the port or its services are open.
func (c *call) deletePort() {
	comp, n := c.componentPort()
	if comp == nil {
		return
	}
	p := findPort(comp, n)
	for _, r := range c.s.state.httpRules {
		if r.ServiceID == comp.ServiceID && r.ContainerPort == n {
			c.message(http.StatusPreconditionFailed, http.StatusPreconditionFailed, "contains custom domains", "该端口有绑定的域名，请先解绑", nil)
			return
		}
	}
	switch {
	case p == nil:
		c.message(http.StatusNotFound, http.StatusNotFound, "port not found", "端口不存在", nil)
		return
	case p.IsInnerService:
		c.message(http.StatusConflict, http.StatusConflict, "can not delete inner port", "请关闭对内服务", nil)
		return
	case p.IsOuterService:
		c.message(http.StatusConflict, http.StatusConflict, "can not delete outer port", "请关闭对外服务", nil)
		return
	}
	comp.ports = slices.DeleteFunc(comp.ports, func(q *port) bool { return q == p })
	c.envelope("删除成功", *p, nil)
}

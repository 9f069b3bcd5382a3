package rainbondtest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A component's environment variables and ports: ComponentEnvsUView,
// ComponentPortsShowView and ComponentPortsChangeView
// (openapi/views/apps/apps.py), with env_service.py update_or_create_envs
// and port_service.py add_service_port, manage_port and
// delete_port_by_container_port.

// envVar is a variable as the console stores it (TenantServiceEnvVar):
// the note is its "name" column; containerPort is the port whose
// variable it is, 0 for the others.
type envVar struct {
	name, value, note, scope string
	isChange                 bool
	containerPort            int
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
	t, _, comp := c.component()
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
				c.failed(http.StatusBadRequest, "update or create envs error", "不允许的变量名"+e.name)
			})
			return
		case c.s.state.refusedEnvs[e.name]:
			fail(func() {
				c.regionError(t, comp, "POST", "/env", http.StatusInternalServerError, "Add env error, "+e.name+" refused")
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

// regionError answers a failed cluster call about component comp of
// team t as custom_exception_handler does for CallApiError: 400, msg the
// call as an object, no data. The URL is the region row's url, then
// /v2/tenants/{tenant name}/services/{alias} and pathSuffix.
func (c *call) regionError(t *Team, comp *component, method, pathSuffix string, status int, clusterMsg string) {
	base := ""
	if r := c.s.state.region(comp.ServiceRegion); r != nil {
		base = c.s.row(r).url
	}
	c.json(http.StatusBadRequest, map[string]any{
		"code": http.StatusBadRequest,
		"msg": map[string]any{"apitype": "Not specified", "url": base + "/v2/tenants/" + t.TenantName + "/services/" + comp.ServiceAlias + pathSuffix,
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
		c.failed(http.StatusBadRequest, "params error", "缺少端口参数")
		return
	case protocol == "":
		c.failed(http.StatusBadRequest, "params error", "缺少协议参数")
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
		c.failed(http.StatusPreconditionFailed, "add port error", "端口范围为1到65535")
		return
	case !portAliasPattern.MatchString(alias):
		c.failed(http.StatusBadRequest, "add port error", "端口别名不合法")
		return
	}
	p := &port{ContainerPort: n, MappingPort: n, Protocol: protocol, PortAlias: alias, K8sServiceName: comp.ServiceAlias + "-" + strconv.Itoa(n)}
	comp.ports = append(comp.ports, p)
	if inner {
		openInner(comp, p)
	}
	c.envelope("添加成功", *p, nil)
}

// openInner is port_service.__open_inner: the port's variables are
// replaced by the two that tell the app's components where it is, the
// host its k8s_service_name (or the component's alias; the fake's apps
// are all governed KUBERNETES_NATIVE_SERVICE), each skipped if a
// variable has its name.
func openInner(comp *component, p *port) {
	p.IsInnerService = true
	p.MappingPort = p.ContainerPort
	deletePortEnvs(comp, p.ContainerPort)
	for _, e := range []envVar{
		{name: p.PortAlias + "_HOST", value: cmp.Or(p.K8sServiceName, comp.ServiceAlias), note: "连接地址", scope: "outer"},
		{name: p.PortAlias + "_PORT", value: strconv.Itoa(p.MappingPort), note: "端口", scope: "outer"},
	} {
		if findEnv(comp, e.name) == nil {
			added := e
			added.containerPort = p.ContainerPort
			comp.envs = append(comp.envs, &added)
			if complete(comp) {
				clusterEnvsOf(comp)[added.name] = added.value
			}
		}
	}
}

// deletePortEnvs is env_service.delete_env_by_container_port.
func deletePortEnvs(comp *component, containerPort int) {
	comp.envs = slices.DeleteFunc(comp.envs, func(e *envVar) bool {
		if e.containerPort != containerPort {
			return false
		}
		if complete(comp) {
			delete(comp.clusterEnvs, e.name)
		}
		return true
	})
}

// complete is service.create_status == "complete": the console then
// sends its changes to the cluster.
func complete(comp *component) bool {
	return deref(comp.CreateStatus) == "complete"
}

func clusterEnvsOf(comp *component) map[string]string {
	return initMap(&comp.clusterEnvs)
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
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	action := drfChoice(&errs, data, "action", portActions, nil)
	fields := charInto(&errs, data, charField{name: "port_alias", max: 255, allowNull: true, allowBlank: true, optional: true})
	protocol := drfChoice(&errs, data, "protocol", protocols, ptr("http"))
	// k8s_service_name has no default: absent, .data gives None.
	k8s := charInto(&errs, data, charField{name: "k8s_service_name", max: 255, allowNull: true, optional: true})["k8s_service_name"]
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	// port_alias: the default "", None, or the trimmed text.
	alias := deref(fields["port_alias"])
	if msg := checkPortParams(comp, *action, n, deref(protocol), alias); msg != "" {
		c.failed(http.StatusBadRequest, "change port fail", msg)
		return
	}
	p := findPort(comp, n)
	if p == nil {
		c.failed(http.StatusNotFound, "component port does not exist", "组件端口不存在")
		return
	}
	switch *action {
	case "open_outer":
		if !p.IsInnerService {
			c.failed(http.StatusNotFound, "inner port is not open", "对内服务未开启，需先开启对内服务")
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
			c.failed(http.StatusNotFound, "inner port is not open", "对外服务开启中，需先关闭对外服务")
			return
		}
		p.IsInnerService = false // its variables stay
	case "change_protocol":
		p.Protocol = *protocol
	case "change_port_alias":
		if !c.changePortAlias(comp, p, alias, k8s) {
			return
		}
	}
	c.envelope("操作成功", *p, nil)
}

// drfChoice is a ChoiceField of choices: required when def is nil, else
// absent gives def; null is allowed only with a default (the port
// serializers' protocol). The value is nil for an allowed null.
func drfChoice(errs *drfErrors, data map[string]any, name string, choices map[string]bool, def *string) *string {
	v, present := data[name]
	switch {
	case !present && def == nil:
		errs.add(name, "该字段是必填项。", "required")
		return nil
	case !present:
		return def
	case v == nil && def == nil:
		errs.add(name, "该字段不能为 null。", "null")
		return nil
	case v == nil:
		return nil
	}
	if s := pyStr(v); choices[s] {
		return &s
	}
	errs.add(name, "“"+pyStr(v)+"” 不是合法选项。", "invalid_choice")
	return nil
}

// changePortAlias is port_service.change_port_alias: every port
// variable is sent again to the cluster (deleted, then added), those of
// the port renamed from the old alias to the new, and each *_HOST one
// set to k8sName when it is not empty; then every port of the component
// takes k8sName, checked by check_k8s_service_name (None, the
// serializer's value for an absent member, fails its len()). Its
// failure rolls back the console's rows, not the cluster's. false when
// answered.
func (c *call) changePortAlias(comp *component, deal *port, newAlias string, k8sName *string) bool {
	if c.s.state.apps[comp.appID] == nil { // group_repo.get_by_service_id
		c.serverError("DoesNotExist", "ServiceGroup matching query does not exist.")
		return false
	}
	envsBefore := cloneEnvs(comp.envs)
	portsBefore := make([]port, len(comp.ports))
	for i, p := range comp.ports {
		portsBefore[i] = *p
	}
	oldAlias := deal.PortAlias
	deal.PortAlias = newAlias
	for _, e := range comp.envs {
		if e.containerPort == 0 {
			continue
		}
		oldName := e.name
		if e.containerPort == deal.ContainerPort {
			e.name = newAlias + strings.ReplaceAll(e.name, oldAlias, "")
		}
		if strings.HasSuffix(e.name, "HOST") && deref(k8sName) != "" {
			e.value = *k8sName
		}
		if complete(comp) {
			delete(comp.clusterEnvs, oldName)
			clusterEnvsOf(comp)[e.name] = e.value
		}
	}
	for _, p := range comp.ports {
		if p.ContainerPort == deal.ContainerPort {
			p.PortAlias = newAlias
		}
		if k8sName != nil && *k8sName == "" {
			continue
		}
		if !c.checkK8sServiceName(comp, k8sName) {
			comp.envs = envsBefore
			for i, p := range comp.ports {
				*p = portsBefore[i]
			}
			return false
		}
		p.K8sServiceName = *k8sName
	}
	return true
}

// checkK8sServiceName is port_service.check_k8s_service_name for
// component comp: a name no port of another component of the team
// uses. false when answered.
func (c *call) checkK8sServiceName(comp *component, name *string) bool {
	switch {
	case name == nil:
		c.serverError("TypeError", "object of type 'NoneType' has no len()")
		return false
	case utf8.RuneCountInString(*name) > 63:
		c.failed(http.StatusBadRequest, "k8s_service_name must be no more than 63 characters", "k8s_service_name must be no more than 63 characters")
		return false
	case !k8sServiceNamePattern.MatchString(*name):
		c.failed(http.StatusBadRequest, "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'", "内部域名格式不正确")
		return false
	}
	// port_repo.get_by_k8s_service_name: the team's first port of that
	// name, in the order the components were made.
	for _, id := range c.s.state.order {
		other := c.s.state.components[id]
		if other.TenantID != comp.TenantID || !slices.ContainsFunc(other.ports, func(p *port) bool { return p.K8sServiceName == *name }) {
			continue
		}
		if other != comp {
			c.message(http.StatusConflict, 20500, "k8s service name already exists", "内部域名已存在", nil)
			return false
		}
		break
	}
	return true
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
			c.failed(http.StatusPreconditionFailed, "contains custom domains", "该端口有绑定的域名，请先解绑")
			return
		}
	}
	switch {
	case p == nil:
		c.failed(http.StatusNotFound, "port not found", "端口不存在")
		return
	case p.IsInnerService:
		c.failed(http.StatusConflict, "can not delete inner port", "请关闭对内服务")
		return
	case p.IsOuterService:
		c.failed(http.StatusConflict, "can not delete outer port", "请关闭对外服务")
		return
	}
	deletePortEnvs(comp, n)
	comp.ports = slices.DeleteFunc(comp.ports, func(q *port) bool { return q == p })
	c.envelope("删除成功", *p, nil)
}

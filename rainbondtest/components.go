package rainbondtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A component's routes: AppServicesView, ListAppServicesView.post,
// ComponentBuildView, ChangeDeploySourceView, AppServiceEventsView and
// the telescopic views (openapi/views/apps/apps.py), TeamEventLogView
// (openapi/views/team_view.py), with app_manage.py and
// component_action.py behind them.

// component is TeamAppServiceAPIView.initial after the app: the component
// by service_id, then by service_alias, of the team in the region; it
// must belong to the app unless the app has none.
func (c *call) component() (*Team, *app, *component) {
	t, region, a := c.teamApp()
	if a == nil {
		return nil, nil, nil
	}
	id := c.params[3]
	var found *component
	for _, comp := range c.s.state.components {
		if comp.TenantID == t.TenantID && comp.ServiceRegion == region && comp.ServiceID == id {
			found = comp
		}
	}
	if found == nil {
		for _, comp := range c.s.state.components {
			if comp.TenantID == t.TenantID && comp.ServiceRegion == region && comp.ServiceAlias == id {
				found = comp
			}
		}
	}
	if found == nil {
		c.failed(http.StatusNotFound, "no found component", "组件不存在")
		return nil, nil, nil
	}
	if members := c.s.state.componentsOf(a.ID); len(members) > 0 && found.appID != a.ID {
		c.failed(http.StatusNotFound, "component not belong to this app", "组件不属于指定应用")
		return nil, nil, nil
	}
	return t, a, found
}

// appBody is the app, its team and region, and the request's JSON
// object; a nil app when an answer has been written.
func (c *call) appBody() (*Team, string, *app, map[string]any) {
	t, region, a := c.teamApp()
	if a == nil {
		return nil, "", nil, nil
	}
	var raw map[string]any
	if !c.parseJSON(&raw) {
		return nil, "", nil, nil
	}
	return t, region, a, raw
}

// componentBody is the component and the request's JSON object; nil
// when an answer has been written.
func (c *call) componentBody() (*component, map[string]any) {
	_, _, comp := c.component()
	if comp == nil {
		return nil, nil
	}
	var raw map[string]any
	if !c.parseJSON(&raw) {
		return nil, nil
	}
	return comp, raw
}

// componentPort is the component and the path's {port}, which the
// console reads with int(): anything else is a 500.
func (c *call) componentPort() (*component, int) {
	_, _, comp := c.component()
	if comp == nil {
		return nil, 0
	}
	n, err := strconv.Atoi(c.params[4])
	if err != nil {
		c.serverError("ValueError", "invalid literal for int() with base 10: '"+c.params[4]+"'")
		return nil, 0
	}
	return comp, n
}

// getComponent is AppServicesView.get: the row raw, with the cluster's
// state and the access addresses of its rules.
func (c *call) getComponent() {
	_, _, comp := c.component()
	if comp == nil {
		return
	}
	out := comp.serviceInfo
	out.Status = nullable(c.s.readState(comp))
	out.AccessInfos = c.s.accessInfos(comp.ServiceID)
	c.json(http.StatusOK, out)
}

// accessInfos is domain_service.get_component_access_infos: the URLs of
// the component's HTTP rules.
func (s *Server) accessInfos(serviceID string) []string {
	out := []string{}
	for _, r := range s.state.httpRules {
		if r.ServiceID == serviceID {
			scheme := "http"
			if r.Protocol == "https" {
				scheme = "https"
			}
			out = append(out, scheme+"://"+r.DomainName+r.DomainPath)
		}
	}
	return out
}

// deleteComponent is AppServicesView.delete: refused while the component
// may run (409) or while others depend on it (412); with force=1 deleted
// anyway, the refusal answered all the same. 200, no body.
func (c *call) deleteComponent() {
	_, _, comp := c.component()
	if comp == nil {
		return
	}
	force, _, ok := djangoQuery(c.r.URL.RawQuery).int("force", 0)
	if !ok {
		c.failed(http.StatusBadRequest, "force value error", "参数错误")
		return
	}
	refusal := 0
	if st := c.s.readState(comp); st != "closed" && st != "undeploy" {
		refusal = http.StatusConflict
	}
	if refusal == 0 || force != 0 {
		c.s.removeComponent(comp.ServiceID)
	}
	if refusal != 0 {
		c.failed(refusal, "delete error", "组件可能处于运行状态,请先关闭组件")
		return
	}
	c.a.status = http.StatusOK
}

func (s *Server) removeComponent(id string) {
	delete(s.state.components, id)
	s.state.order = slices.DeleteFunc(s.state.order, func(other string) bool { return other == id })
	delete(s.state.events, id)
}

// createFromImage is ListAppServicesView.post: the app comes from the
// body's group_id (the path's app is only looked up); is_deploy is tested
// for truth.
func (c *call) createFromImage() {
	_, region, a, raw := c.appBody()
	if a == nil {
		return
	}
	groupID, ok := intValue(raw["group_id"])
	target := c.s.state.apps[groupID]
	if !ok || target == nil {
		c.serverError("AttributeError", "'NoneType' object has no attribute 'tenant_id'")
		return
	}
	t := c.s.state.team(target.TenantID, c.s.state.enterpriseID)
	cname, _ := raw["service_cname"].(string)
	if n := utf8.RuneCountInString(cname); n == 0 || n > 100 {
		c.failed(http.StatusPreconditionFailed, "service create fail", "组件名称不能为空或最多支持100个字符")
		return
	}
	k8sName, _ := raw["k8s_component_name"].(string)
	if k8sName != "" {
		for _, other := range c.s.state.componentsOf(target.ID) {
			if other.K8sComponentName == k8sName {
				c.message(http.StatusBadRequest, 20802, "k8s component name exists", "组件英文名已存在", nil)
				return
			}
		}
	}
	image, _ := raw["image"].(string)
	alias := "gr" + c.s.newID()[:6]
	info := dockerImageComponent(c.s.newID(), t.TenantID, region, alias, c.user)
	info.ServiceCname, info.Image = cname, image
	info.K8sComponentName = k8sName
	if k8sName == "" {
		info.K8sComponentName = alias
	}
	comp := c.s.newComponent(info, target.ID, c.user, false)
	if user, _ := raw["user_name"].(string); user != "" {
		comp.repoUser, comp.repoPassword = user, fmt.Sprint(raw["password"])
	}
	c.s.state.addComponent(comp)
	if deploy, present := raw["is_deploy"]; !present || truthy(deploy) {
		c.s.deploy(comp, c.user)
	}
	c.envelope("组件创建成功", map[string]string{"service_id": comp.ServiceID}, nil)
}

// dockerImageComponent is console/services/app.py __init_docker_image_app
// and create_docker_run_app: a component from an image, its version
// "latest" whatever the image's tag, its resources
// DEFAULT_COMPONENT_SOURCE_RESOURCES' for docker_image (512 MiB, CPU 0),
// complete once create_region_service ran; its creater the user by.
func dockerImageComponent(id, tenantID, region, alias string, by *user) serviceInfo {
	return serviceInfo{
		AccessInfos: []string{}, ServiceID: id, TenantID: tenantID, ServiceKey: "0000", ServiceAlias: alias,
		ServiceRegion: region, Desc: ptr("docker run application"), Category: "app_publish", Version: "latest",
		UpdateVersion: 1, MinNode: 1, MinMemory: 512, TotalMemory: 512, ExtendMethod: "stateless_multiple",
		CodeFrom: ptr("image_manual"), ServiceType: ptr("application"), Creater: by.id, Language: ptr("docker-image"),
		ServiceOrigin: "assistant", ServiceSource: ptr("docker_image"), CreateStatus: ptr("complete"), DockerCmd: ptr(""),
		ServerType: "git", Arch: ptr("amd64"),
	}
}

// truthy is Python's truth of a decoded JSON value.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case float64:
		return v != 0
	case string:
		return v != ""
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return true
}

// changeImage is ChangeDeploySourceView.put: the declared serializer is
// never run; the version is the text after the last ':' ("nginx" gives
// "nginx", "nginx:" gives image "nginx::latest"). Only the row changes.
func (c *call) changeImage() {
	comp, raw := c.componentBody()
	if comp == nil {
		return
	}
	switch image := raw["image"].(type) {
	case nil:
	case string:
		if image != "" {
			parts := strings.Split(image, ":")
			version := parts[len(parts)-1]
			if version == "" {
				version = "latest"
				image += ":" + version
			}
			comp.Image, comp.Version = image, version
		}
	default:
		c.serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'split'", pyType(image)))
		return
	}
	c.envelope("更改镜像地址成功", nil, nil)
}

// build is ComponentBuildView.post: ComponentBuildReqSerializers, the
// create_status gate, the new source applied (repo_url replaces the
// git_url of a source component or the image of an image one, and with
// it the stored credentials, cleared when none are given), then a deploy,
// answered with its event id.
func (c *call) build() {
	_, _, comp := c.component()
	if comp == nil {
		return
	}
	fields, ok := c.charFields([]charField{
		{name: "branch", max: 255, optional: true, allowNull: true},
		{name: "repo_url", max: 1024, optional: true, allowNull: true},
		{name: "username", max: 255, optional: true, allowNull: true},
		{name: "password", max: 255, optional: true, allowNull: true},
	})
	if !ok {
		return
	}
	switch {
	case comp.CreateStatus == nil:
		c.serverError("TypeError", "can only concatenate str (not \"NoneType\") to str")
		return
	case *comp.CreateStatus != "complete":
		c.failed(http.StatusBadRequest, "component create status is "+*comp.CreateStatus, "组件未完成创建，禁止构建")
		return
	}
	if repo := fields["repo_url"]; repo != nil && *repo != "" {
		branch := "master"
		if b, present := fields["branch"]; present {
			branch = deref(b)
		}
		switch deref(comp.ServiceSource) {
		case "source_code":
			comp.GitURL, comp.CodeVersion = repo, ptr(branch)
		case "docker_run", "docker_compose", "docker_image":
			comp.Image = *repo
		}
		comp.repoUser, comp.repoPassword = deref(fields["username"]), deref(fields["password"])
	}
	if c.s.state.noEventIDs {
		c.s.deploy(comp, c.user)
		c.validation("event_id", "该字段不能为空。")
		return
	}
	ev := c.s.deploy(comp, c.user)
	c.json(http.StatusOK, map[string]string{"event_id": ev.id})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// event is an event of a component, as the cluster keeps it.
type event struct {
	id, optType, serviceID, tenantID string
	// userName is the operator: str(user.nick_name).
	userName string
	created  time.Time
	doneAt   time.Time
	failure  string // the message of a failed event; "" when it succeeds
	lines    []logLine
	// timedOut: the cluster gave up on the event (final status
	// "timeout") before it was done.
	timedOut bool
}

// logLine is a line of an event's log, written at a time.
type logLine struct {
	at   time.Time
	text string
}

// recordEvent starts an event of a component, by user by (the
// operator the console sends), done after the server's transition time,
// its log written over that time. s.mu is held.
func (s *Server) recordEvent(comp *component, optType string, by *user) *event {
	now := s.now()
	// The cluster's CanDoEvent (api/util/events.go): the component's last
	// operation, unfinished three minutes after its start, is marked
	// timed out when the next one starts. (The cluster refuses the next
	// operation with a 409 while the last is younger; the fake does not.)
	if evs := s.state.events[comp.ServiceID]; len(evs) > 0 {
		if last := evs[0]; now.Before(last.doneAt) && now.Sub(last.created) > 3*time.Minute {
			last.timedOut = true
		}
	}
	ev := &event{id: s.newID(), optType: optType, userName: by.operator(), serviceID: comp.ServiceID, tenantID: comp.TenantID, created: now, doneAt: now.Add(s.transition)}
	if msg, fail := s.state.failBuilds[comp.ServiceID]; fail && optType == "build-service" {
		ev.failure = msg
		delete(s.state.failBuilds, comp.ServiceID)
	}
	ev.lines = []logLine{{now, "Start " + optType + " of " + comp.ServiceCname}}
	end := optType + " finished"
	if optType == "build-service" {
		third := s.transition / 3
		ev.lines = append(ev.lines, logLine{now.Add(third), "Pulling " + comp.Image}, logLine{now.Add(2 * third), "Image " + comp.Image + " ready"})
		end = "Build and deploy finished"
	}
	if ev.failure != "" {
		end = "Build failed: " + ev.failure
	}
	ev.lines = append(ev.lines, logLine{ev.doneAt, end})
	s.state.events[comp.ServiceID] = append([]*event{ev}, s.state.events[comp.ServiceID]...)
	return ev
}

// eventRow is AppServiceEventsSerializer: fifteen strings.
type eventRow struct {
	EventID     string `json:"event_id"`
	UserName    string `json:"user_name"`
	EndTime     string `json:"end_time"`
	Target      string `json:"target"`
	OptType     string `json:"opt_type"`
	TargetID    string `json:"target_id"`
	ServiceID   string `json:"service_id"`
	Status      string `json:"status"`
	RequestBody string `json:"request_body"`
	CreateTime  string `json:"create_time"`
	FinalStatus string `json:"final_status"`
	StartTime   string `json:"start_time"`
	SynType     string `json:"syn_type"`
	Message     string `json:"message"`
	TenantID    string `json:"tenant_id"`
}

func (s *Server) eventRow(ev *event) eventRow {
	row := eventRow{
		EventID: ev.id, UserName: ev.userName, Target: "service", OptType: ev.optType, TargetID: ev.serviceID,
		ServiceID: ev.serviceID, CreateTime: ev.created.Format(time.RFC3339), StartTime: ev.created.Format(time.RFC3339),
		SynType: "0", TenantID: ev.tenantID,
	}
	switch {
	case !s.now().Before(ev.doneAt):
		// The build's last log step completes it, a timed-out one too.
		row.Status, row.FinalStatus, row.EndTime = "success", "complete", ev.doneAt.Format(time.RFC3339)
		if ev.failure != "" {
			row.Status, row.Message = "failure", ev.failure
		}
	case ev.timedOut:
		row.FinalStatus = "timeout"
	}
	return row
}

// listEvents is AppServiceEventsView.get: page and page_size read with
// int() (anything else is a 500), passed to the cluster, newest first.
func (c *call) listEvents() {
	_, _, comp := c.component()
	if comp == nil {
		return
	}
	page, ok := c.queryInt("page", 1)
	if !ok {
		return
	}
	size, ok := c.queryInt("page_size", 10)
	if !ok {
		return
	}
	all := c.s.state.events[comp.ServiceID]
	rows := make([]eventRow, 0, len(all))
	for _, ev := range all {
		rows = append(rows, c.s.eventRow(ev))
	}
	c.json(http.StatusOK, map[string]any{"page": page, "page_size": size, "total": len(rows), "events": pageOf(rows, page, size)})
}

// eventLogs is TeamEventLogView.get: the lines written so far; an unknown
// event has none.
func (c *call) eventLogs() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	lines := []map[string]any{}
	now := c.s.now()
	for _, evs := range c.s.state.events {
		for _, ev := range evs {
			if ev.id != c.params[2] || ev.tenantID != t.TenantID {
				continue
			}
			for _, l := range ev.lines {
				if !now.Before(l.at) {
					lines = append(lines, map[string]any{"message": l.text, "time": l.at.Format(time.RFC3339), "utime": l.at.Unix()})
				}
			}
		}
	}
	c.json(http.StatusOK, map[string]any{"logs": lines})
}

// FailNextBuild makes the next build of component serviceID end in
// failure with message.
func (s *Server) FailNextBuild(serviceID, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.failBuilds[serviceID] = message
}

// OmitBuildEventIDs makes the cluster start builds without returning
// their event ids, as the console then answers: 400 about event_id,
// although the build runs.
func (s *Server) OmitBuildEventIDs(omit bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.noEventIDs = omit
}

// scaleVertical is AppServiceTelescopicVerticalView.post:
// AppServiceTelescopicVerticalSerializer (new_cpu and new_gpu keys
// required, null allowed), then nothing for a component whose creation is
// not complete. 200, no body.
func (c *call) scaleVertical() {
	comp, raw := c.componentBody()
	if comp == nil {
		return
	}
	errs := map[string][]string{}
	memory, ok := intField(raw, "new_memory", false, errs)
	if ok && (memory%64 == 1) {
		errs["new_memory"] = []string{"参数不正确，请输入64的倍数"}
	} else if ok && (memory > 65536 || memory < 64) {
		errs["new_memory"] = []string{"参数超出范围，请选择64~65536之间的整数值"}
	}
	cpu, cpuSet := intField(raw, "new_cpu", true, errs)
	gpu, gpuSet := intField(raw, "new_gpu", true, errs)
	for name, v := range map[string]struct {
		n   int
		set bool
	}{"new_cpu": {cpu, cpuSet}, "new_gpu": {gpu, gpuSet}} {
		if v.set && v.n < 0 {
			errs[name] = []string{"请输入正整数数据"}
		}
	}
	if len(errs) > 0 {
		c.validationErrors(errs)
		return
	}
	if deref(comp.CreateStatus) == "complete" {
		comp.MinMemory = memory
		if cpuSet {
			comp.MinCPU = cpu
		}
		if gpuSet {
			comp.ContainerGPU = gpu
		}
		c.s.settle(comp)
		if comp.state == "running" {
			c.s.change(comp, "upgrade", "running")
		}
	}
	c.a.status = http.StatusOK
}

// scaleHorizontal is AppServiceTelescopicHorizontalView.post: new_node 1
// to 100; a singleton component refuses more than one. 200, no body.
func (c *call) scaleHorizontal() {
	comp, raw := c.componentBody()
	if comp == nil {
		return
	}
	errs := map[string][]string{}
	nodes, ok := intField(raw, "new_node", false, errs)
	if ok && (nodes > 100 || nodes < 1) {
		errs["new_node"] = []string{"参数超出范围，请选择1~100之间的整数值"}
	}
	if len(errs) > 0 {
		c.validationErrors(errs)
		return
	}
	if nodes > 1 && strings.HasSuffix(comp.ExtendMethod, "_singleton") {
		c.failed(http.StatusConflict, "singleton component, do not allow", "组件为单实例组件，不可使用多节点")
		return
	}
	comp.MinNode = nodes
	c.a.status = http.StatusOK
}

// intField reads a DRF IntegerField: an integer, or a string or float
// holding one; null only where allowed. ok is false when the value is
// absent, null or bad (errs says which, but for an allowed null).
func intField(raw map[string]any, name string, nullable bool, errs map[string][]string) (int, bool) {
	v, present := raw[name]
	switch v := v.(type) {
	case nil:
		switch {
		case !present:
			errs[name] = []string{"该字段是必填项。"}
		case !nullable:
			errs[name] = []string{"该字段不能为 null。"}
		}
		return 0, false
	case float64:
		if v == float64(int(v)) {
			return int(v), true
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return n, true
		}
	}
	errs[name] = []string{"请填写合法的整数值。"}
	return 0, false
}

// SetCreateStatus sets the creation state of component serviceID, e.g.
// "creating", which the console's build refuses; "" stores null.
func (s *Server) SetCreateStatus(serviceID, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	comp := s.state.components[serviceID]
	if comp == nil {
		return fmt.Errorf("rainbondtest: no component %q", serviceID)
	}
	comp.CreateStatus = nullable(status)
	return nil
}

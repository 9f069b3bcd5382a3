package rainbondtest

import (
	"fmt"
	"net/http"
)

// App operations: APPOperationsView (openapi/views/apps/apps.py) with
// ServiceGroupOperationsSerializer, the per-action permission check, and
// app_manage.py batch_operations.

// DenyActions takes from the token's user the team permission each
// operation action needs ("start", "stop", "upgrade", "deploy"), as a
// team viewer lacks them: operations with those actions answer 403 code
// 10402. DenyActions() gives every permission back.
func (s *Server) DenyActions(actions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.denied = make(map[string]bool, len(actions))
	for _, a := range actions {
		s.state.denied[a] = true
	}
}

// operate is APPOperationsView.post: the body is validated, then the
// action's permission checked; no service_ids means every component of
// the app but third-party ones; given ids are not checked against the app
// (unknown ones are skipped). start, stop and upgrade skip components
// whose creation is not complete. The cluster does the work afterwards.
func (c *call) operate() {
	_, _, a := c.teamApp()
	if a == nil {
		return
	}
	action, ids, ok := c.operation()
	if !ok {
		return
	}
	if c.s.state.denied[action] {
		c.message(http.StatusForbidden, 10402, "no permissions ", "没有操作权限", nil)
		return
	}
	var targets []*component
	if ids == nil {
		for _, comp := range c.s.state.componentsOf(a.ID) {
			if comp.ServiceSource == nil || *comp.ServiceSource != "third_party" {
				targets = append(targets, comp)
			}
		}
	} else {
		for _, id := range ids {
			if comp := c.s.state.components[id]; comp != nil {
				targets = append(targets, comp)
			}
		}
	}
	for _, comp := range targets {
		complete := comp.CreateStatus != nil && *comp.CreateStatus == "complete"
		if action != "deploy" && !complete {
			continue
		}
		c.s.settle(comp)
		c.s.act(comp, action, c.user)
	}
	c.json(http.StatusOK, map[string]string{"msg": "操作成功"})
}

// act starts a component's state change for an action of user by.
func (s *Server) act(comp *component, action string, by *user) {
	switch action {
	case "deploy":
		s.deploy(comp, by)
	case "start":
		if comp.deployVersion != nil { // a component never built has nothing to start
			s.change(comp, "starting", "running")
			s.recordEvent(comp, "start-service", by)
		}
	case "stop":
		if comp.state != "undeploy" {
			s.change(comp, "stopping", "closed")
			s.recordEvent(comp, "stop-service", by)
		}
	case "upgrade":
		if comp.state != "undeploy" && comp.state != "closed" {
			s.change(comp, "upgrade", "running")
			s.recordEvent(comp, "upgrade-service", by)
		}
	}
}

// operation validates ServiceGroupOperationsSerializer: action one of the
// four choices; service_ids absent or a list (null is refused). ids is nil
// when the body names none, or an empty list.
func (c *call) operation() (action string, ids []string, ok bool) {
	var raw any = map[string]any{}
	if !c.parseJSON(&raw) {
		return "", nil, false
	}
	body, _ := raw.(map[string]any)
	if body == nil {
		c.validation("non_field_errors", fmt.Sprintf("无效数据。期待为字典类型，得到的是 %s 。", pyType(raw)))
		return "", nil, false
	}
	errs := map[string][]string{}
	switch v := body["action"].(type) {
	case string:
		switch v {
		case "start", "stop", "upgrade", "deploy":
			action = v
		default:
			errs["action"] = []string{"“" + v + "” 不是合法选项。"}
		}
	case nil:
		if _, present := body["action"]; present {
			errs["action"] = []string{"该字段不能为 null。"}
		} else {
			errs["action"] = []string{"该字段是必填项。"}
		}
	default:
		errs["action"] = []string{fmt.Sprintf("“%v” 不是合法选项。", v)}
	}
	if v, present := body["service_ids"]; present {
		switch list := v.(type) {
		case nil:
			errs["service_ids"] = []string{"该字段不能为 null。"}
		case []any:
			for _, item := range list {
				ids = append(ids, fmt.Sprint(item))
			}
		default:
			errs["service_ids"] = []string{fmt.Sprintf("期望为一个包含物件的列表，得到的类型是“%s”。", pyType(v))}
		}
	}
	if len(errs) > 0 {
		c.validationErrors(errs)
		return "", nil, false
	}
	return action, ids, true
}

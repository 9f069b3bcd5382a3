package rainbondtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Publishing a model: EntAppModelView (openapi/views/team_view.py, console
// v6.3.1+). The view reads request.data with .get, checks nothing but that
// app_name, apps and version are truthy, and answers {"msg", "app_id"};
// any exception after is a 500 {"msg": str(e)}.

// publishModel is EntAppModelView.post: the model of id make_uuid3(name)
// in the local library, created when missing, with the version created or
// replaced from the template's apps (a list, or a JSON string of one,
// decoded after the checks).
func (c *call) publishModel() {
	data := c.bodyObject()
	if data == nil {
		return
	}
	if !pyTruthy(data["app_name"]) || !pyTruthy(data["apps"]) || !pyTruthy(data["version"]) {
		c.json(http.StatusBadRequest, map[string]string{"msg": "参数不完整"})
		return
	}
	name, isText := data["app_name"].(string)
	if !isText { // uuid3 of a name that is no str
		msg := "can't concat " + pyTypeNumber(data["app_name"]) + " to bytes"
		if !c.s.has("v6.9.2") { // Python 3.6
			msg = "encoding without a string argument"
		}
		c.json(http.StatusInternalServerError, map[string]string{"msg": msg})
		return
	}
	version := pyStr(data["version"])
	apps := data["apps"]
	if text, ok := apps.(string); ok {
		decoded, pyErr := pyJSONCheck([]byte(text), false)
		if pyErr != "" {
			c.json(http.StatusInternalServerError, map[string]string{"msg": pyErr})
			return
		}
		apps = nil
		_ = json.Unmarshal([]byte(decoded), &apps)
	}
	list, _ := apps.([]any)
	id := makeUUID3(name)
	v := AppModelVersion{Version: version}
	for _, a := range list {
		m, _ := a.(map[string]any)
		tpl := ComponentTemplate{Cname: fmt.Sprint(m["service_cname"])}
		tpl.Image, _ = m["share_image"].(string)
		if tpl.Image == "" {
			tpl.Image, _ = m["image"].(string)
		}
		if i := strings.LastIndexByte(tpl.Image, ':'); i > strings.LastIndexByte(tpl.Image, '/') {
			tpl.Version = tpl.Image[i+1:]
		}
		v.Components = append(v.Components, tpl)
	}
	msg := "版本已创建"
	model := findModelIn(c.s.state.library, id)
	if model == nil {
		c.s.state.library = append(c.s.state.library, AppModel{ID: id, Name: name})
		model = &c.s.state.library[len(c.s.state.library)-1]
	}
	if old := findVersion(model, version); old != nil {
		*old, msg = v, "版本已更新"
	} else {
		model.Versions = append(model.Versions, v)
	}
	c.json(http.StatusOK, map[string]string{"msg": msg, "app_id": id})
}

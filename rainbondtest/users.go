package rainbondtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// Users: ListUsersView, UserInfoView, ChangePassword, ChangeUserPassword
// and CurrentUsersView (openapi/views/user_view.py), with
// openapi/serializer/user_serializer.py and
// console/services/user_services.py. Nothing here checks that the caller
// is an administrator: any token may create, change and delete users.

// userInfo is UserInfoSerializer: origion and client_ip are null on
// consoles since v6.0.0, whose Users model lost both columns.
type userInfo struct {
	UserID       int     `json:"user_id"`
	Email        string  `json:"email"`
	NickName     *string `json:"nick_name"`
	Phone        *string `json:"phone"`
	IsActive     bool    `json:"is_active"`
	Origion      *string `json:"origion"`
	CreateTime   string  `json:"create_time"`
	ClientIP     *string `json:"client_ip"`
	EnterpriseID string  `json:"enterprise_id"`
}

// userList is the answer of GET /users and GET /administrators.
type userList struct {
	Users []userInfo `json:"users"`
	Total int        `json:"total"`
}

// listedUser is a user of a list: the services build dicts without
// origion and client_ip, which the serializer answers as null.
func (s *Server) listedUser(u *user) userInfo {
	return userInfo{
		UserID: u.id, Email: u.email, NickName: u.nick, Phone: u.phone, IsActive: u.active,
		CreateTime: pyDatetime(u.created), EnterpriseID: u.enterpriseID,
	}
}

// shownUser is UserInfoSerializer over the model: before v6.0.0 the row
// still had origion and client_ip, both "".
func (s *Server) shownUser(u *user) userInfo {
	info := s.listedUser(u)
	if !s.has("v6.0.0") {
		info.Origion, info.ClientIP = ptr(""), ptr("")
	}
	return info
}

// currentUser is CurrentUsersView.get (v5.11.2): {"bean": …}, neither
// the envelope nor bare. From v6.0.0 to v6.3.x the view still indexed the
// dropped origion column: a KeyError.
func (c *call) currentUser() {
	if c.s.has("v6.0.0") && !c.s.has("v6.4.0") {
		c.serverError("KeyError", "'origion'")
		return
	}
	u := c.user
	c.json(http.StatusOK, map[string]any{"bean": struct {
		UserID       int     `json:"user_id"`
		Email        string  `json:"email"`
		NickName     *string `json:"nick_name"`
		RealName     *string `json:"real_name"`
		Phone        *string `json:"phone"`
		IsActive     bool    `json:"is_active"`
		Origion      string  `json:"origion"`
		EnterpriseID string  `json:"enterprise_id"`
	}{u.id, u.email, u.nick, u.realName, u.phone, u.active, "", u.enterpriseID}})
}

// listUsers is ListUsersView.get: every user of every enterprise whose
// nick_name, email or phone contains query (case-sensitive, as Django's
// contains on MySQL), newest first (ties: higher user_id first), paged by
// Paginator; a page it refuses is {"users":[],"total":0}.
func (c *call) listUsers() {
	q := djangoQuery(c.r.URL.RawQuery)
	page, size := q.intOr("page", 1), q.intOr("page_size", 10)
	query, _ := q.get("query")
	var matched []*user
	for _, u := range c.s.state.platform.users {
		if u.nick != nil && strings.Contains(*u.nick, query) || strings.Contains(u.email, query) ||
			u.phone != nil && strings.Contains(*u.phone, query) {
			matched = append(matched, u)
		}
	}
	slices.SortStableFunc(matched, func(a, b *user) int {
		if c := b.created.Compare(a.created); c != 0 {
			return c
		}
		return b.id - a.id
	})
	out := userList{Users: []userInfo{}}
	if from, to, ok := paginate(len(matched), page, size); ok {
		for _, u := range matched[from:to] {
			out.Users = append(out.Users, c.s.listedUser(u))
		}
		out.Total = len(matched)
	}
	c.json(http.StatusOK, out)
}

// usernamePattern and emailPattern are user_services.py's checks; Python's
// $ also matches before a final newline.
var (
	usernamePattern = regexp.MustCompile(`^[a-zA-Z0-9_\-\x{4e00}-\x{9fa5}]+\n?$`)
	emailPattern    = regexp.MustCompile(`^[\p{L}\p{N}_\-.]+@[\p{L}\p{N}_\-]+(\.[\p{L}\p{N}_\-]+)+\n?$`)
)

// createUser is ListUsersView.post: CreateUserSerializer, the "email or
// phone" check, then user_services.create over the raw body. It indexes
// data["email"] (a body with only a phone is a KeyError), checks the
// name and email (check_params: 400 envelopes), then the name in the
// enterprise and the phone anywhere, whose errors the view reads through
// the Python 2 e.message: a 500. The enterprise is not checked. 201 with
// no body: the new id is not answered.
func (c *call) createUser() {
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	out := charInto(&errs, data, charField{name: "nick_name", max: 24}, charField{name: "password", max: 16},
		charField{name: "enterprise_id", max: 32})
	minLength(&errs, out, "password", 8)
	drfEmail(&errs, data, "email", 35)
	charInto(&errs, data, charField{name: "phone", max: 11, optional: true})
	drfBool(&errs, data, "is_active", true)
	charInto(&errs, data, charField{name: "origion", max: 12, optional: true})
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	if !pyTruthy(data["email"]) && !pyTruthy(data["phone"]) {
		c.validationErrors([]string{"缺少参数 email 或 phone"})
		return
	}
	rawEmail, present := data["email"]
	if !present {
		c.serverError("KeyError", "'email'")
		return
	}
	email, _ := rawEmail.(string) // EmailField admits only text
	nick, ok := c.checkUserName(data["nick_name"])
	if !ok {
		return
	}
	if c.s.state.userByEmail(email) != nil {
		c.failed(http.StatusBadRequest, "email already exists", "邮箱"+email+"已存在")
		return
	}
	if !emailPattern.MatchString(email) {
		c.failed(http.StatusBadRequest, "invalid email", "邮箱地址不合法")
		return
	}
	eid := pyStr(data["enterprise_id"])
	if c.s.state.userNamed(nick, eid) != nil {
		c.serverError("AttributeError", "'UserExistError' object has no attribute 'message'")
		return
	}
	phone := ""
	if raw := data["phone"]; pyTruthy(raw) {
		phone = pyStr(raw)
		if c.s.state.userByPhone(phone) != nil {
			c.serverError("AttributeError", "'PhoneExistError' object has no attribute 'message'")
			return
		}
	}
	password, ok := c.concatPassword(data["password"])
	if !ok {
		return
	}
	active := true
	if raw, present := data["is_active"]; present {
		if active, ok = c.djangoBool(raw); !ok {
			return
		}
	}
	p := &c.s.state.platform
	p.users = append(p.users, &user{
		id: p.nextUserID, email: email, nick: &nick, phone: &phone, active: active,
		created: c.s.now(), enterpriseID: eid, hashInput: email + password,
	})
	p.nextUserID++
	c.empty(http.StatusCreated)
}

// checkUserName is check_params' name check over the raw value: empty,
// then the pattern (a number is a TypeError there).
func (c *call) checkUserName(raw any) (string, bool) {
	if !pyTruthy(raw) {
		c.failed(http.StatusBadRequest, "empty username", "用户名不能为空")
		return "", false
	}
	nick, ok := raw.(string)
	if !ok {
		c.serverError("TypeError", "expected string or bytes-like object, got '"+pyTypeNumber(raw)+"'")
		return "", false
	}
	if !usernamePattern.MatchString(nick) {
		c.failed(http.StatusBadRequest, "invalid username", "用户名称只支持中英文下划线和中划线")
		return "", false
	}
	return nick, true
}

// concatPassword is email + password over the raw value: a number, which
// CharField admitted, cannot be added to text.
func (c *call) concatPassword(raw any) (string, bool) {
	if s, ok := raw.(string); ok {
		return s, true
	}
	c.serverError("TypeError", `can only concatenate str (not "`+pyTypeNumber(raw)+`") to str`)
	return "", false
}

// djangoBool is BooleanField.to_python of a raw value being saved:
// DRF's spellings pass the serializer, Django refuses most of them.
func (c *call) djangoBool(raw any) (bool, bool) {
	switch v := raw.(type) {
	case bool:
		return v, true
	case json.Number:
		switch f, _ := v.Float64(); f {
		case 1:
			return true, true
		case 0:
			return false, true
		}
	case string:
		switch v {
		case "t", "True", "1":
			return true, true
		case "f", "False", "0":
			return false, true
		}
	}
	msg := "“" + pyStr(raw) + "” value must be either True or False."
	if !c.s.has("v6.9.2") { // Django 2.2
		msg = "'" + pyStr(raw) + "' value must be either True or False."
	}
	c.serverError("ValidationError", "["+pyRepr(msg)+"]")
	return false, false
}

// getUser is UserInfoView.get: a number is a user_id in any enterprise;
// failing that, the text is a nick_name in the caller's enterprise, whose
// lookup raises DoesNotExist (a 500) where the view expects the
// UserNotExistError it would answer 404 for.
func (c *call) getUser() {
	var u *user
	if id, ok := pyIntText(c.params[0]); ok {
		u = c.s.state.userByID(id)
	}
	if u == nil {
		if u = c.s.state.userNamed(c.params[0], c.user.enterpriseID); u == nil {
			c.serverError("DoesNotExist", "Users matching query does not exist.")
			return
		}
	}
	c.json(http.StatusOK, c.s.shownUser(u))
}

// deleteUser is UserInfoView.delete: any user of any enterprise, the
// caller included; its tokens, administrator rows and teams stay. 200
// with no body; an unknown id 404 with none; a text that is no number a
// 500.
func (c *call) deleteUser() {
	id, ok := pyIntText(c.params[0])
	if !ok {
		c.fieldIntError("user_id", c.params[0])
		return
	}
	p := &c.s.state.platform
	u := c.s.state.userByID(id)
	if u == nil {
		c.empty(http.StatusNotFound)
		return
	}
	p.users = slices.DeleteFunc(p.users, func(other *user) bool { return other == u })
	c.empty(http.StatusOK)
}

// updateUser is UserInfoView.put: UpdateUserSerializer, then the raw
// values that are not null written to the row (enterprise_id ignored,
// email unchecked), then the password hashed with the row's email. An
// unknown user is a 200 unless a password is sent (404). The hash is of
// email and password, so a new email without the password breaks the
// login.
func (c *call) updateUser() {
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	out := charInto(&errs, data, charField{name: "password", max: 16, optional: true},
		charField{name: "enterprise_id", max: 32, optional: true})
	minLength(&errs, out, "password", 8)
	drfEmail(&errs, data, "email", 35)
	charInto(&errs, data, charField{name: "phone", max: 11, optional: true, allowBlank: true})
	if v, present := data["is_active"]; present && v != nil {
		drfBool(&errs, data, "is_active", false)
	}
	charInto(&errs, data, charField{name: "real_name", max: 64, optional: true, allowBlank: true})
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	id, ok := pyIntText(c.params[0])
	if !ok {
		c.fieldIntError("user_id", c.params[0])
		return
	}
	active, setActive := false, data["is_active"] != nil
	if setActive {
		if active, ok = c.djangoBool(data["is_active"]); !ok {
			return
		}
	}
	u := c.s.state.userByID(id)
	if u != nil {
		if v := data["email"]; v != nil {
			u.email = pyStr(v)
		}
		if v := data["phone"]; v != nil {
			u.phone = ptr(pyStr(v))
		}
		if setActive {
			u.active = active
		}
		if v := data["real_name"]; v != nil {
			u.realName = ptr(pyStr(v))
		}
	}
	if raw := data["password"]; raw != nil {
		if u == nil {
			c.empty(http.StatusNotFound)
			return
		}
		password, ok := c.concatPassword(raw)
		if !ok {
			return
		}
		u.hashInput = u.email + password
	}
	c.empty(http.StatusOK)
}

// changeUserPassword is ChangeUserPassword.put: the user whose password
// changes is the body's user_id (the path's is ignored), of the caller's
// enterprise (else a 404 envelope); password and password1 must match,
// else 400 with no body. Any token may set any user's password.
func (c *call) changeUserPassword() {
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	id, _, _ := drfInt(&errs, data, "user_id", true, false)
	password, confirm := passwordPair(&errs, data)
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	u := c.s.state.userByID(int64(id))
	if u == nil || u.enterpriseID != c.user.enterpriseID {
		c.failed(http.StatusNotFound, "no found user", "用户不存在")
		return
	}
	if password != confirm {
		c.empty(http.StatusBadRequest)
		return
	}
	u.hashInput = u.email + password
	c.empty(http.StatusOK)
}

// changeOwnPassword is ChangePassword.put: the caller's password; no old
// password is asked for.
func (c *call) changeOwnPassword() {
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	password, confirm := passwordPair(&errs, data)
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	if password != confirm {
		c.empty(http.StatusBadRequest)
		return
	}
	c.user.hashInput = c.user.email + password
	c.empty(http.StatusOK)
}

// passwordPair validates password and password1 (8 to 16 characters,
// trimmed: the views use the validated values).
func passwordPair(errs *drfErrors, data map[string]any) (string, string) {
	out := charInto(errs, data, charField{name: "password", max: 16}, charField{name: "password1", max: 16})
	minLength(errs, out, "password", 8)
	minLength(errs, out, "password1", 8)
	return deref(out["password"]), deref(out["password1"])
}

// closeUserTeams is UserTenantClose.get (v6.2.0), a GET that stops every
// component, in every region, of every team the user created, in any
// enterprise; a region whose cluster fails is skipped. int() of the path
// (a ValueError for text); an unknown user raises UserNotExistError, a
// BaseException: gevent's plain 500.
func (c *call) closeUserTeams() {
	uid, ok := c.pathUserID()
	if !ok {
		return
	}
	if c.s.state.userByID(uid) == nil {
		c.plainServerError()
		return
	}
	for _, t := range c.s.state.teams {
		if int64(c.s.state.teamRow(t).creater) != uid {
			continue
		}
		for _, region := range t.Regions {
			if r := c.s.state.region(region); r == nil || c.s.clusterDown(r) {
				continue
			}
			for _, id := range c.s.state.order {
				comp := c.s.state.components[id]
				if comp.TenantID == t.TenantID && comp.ServiceRegion == region && deref(comp.CreateStatus) == "complete" {
					c.s.settle(comp)
					c.s.act(comp, "stop", c.user)
				}
			}
		}
	}
	c.json(http.StatusOK, map[string]string{"bean": "close success"})
}

// deleteUserApps is UserTenantDelete.get (v6.2.0), a GET that deletes
// every app of every team the user created, as DeleteApp does
// (deleteAppParts), then the app. An app whose cluster cannot be reached
// ends the request with the cluster's 400 (code 10411), the apps before
// it gone. Errors as closeUserTeams.
func (c *call) deleteUserApps() {
	uid, ok := c.pathUserID()
	if !ok {
		return
	}
	if c.s.state.userByID(uid) == nil {
		c.plainServerError()
		return
	}
	for _, t := range c.s.state.teams {
		if int64(c.s.state.teamRow(t).creater) != uid {
			continue
		}
		for _, a := range c.s.state.appList() {
			if a.TenantID != t.TenantID {
				continue
			}
			if !c.deleteAppParts(t, a.RegionName, a.ID) {
				return
			}
			delete(c.s.state.apps, a.ID)
		}
	}
	c.json(http.StatusOK, map[string]string{"bean": "delete success"})
}

// pathUserID is the views' int(user_id): a ValueError (500) for text.
func (c *call) pathUserID() (int64, bool) {
	id, ok := pyIntText(c.params[0])
	if !ok {
		c.serverError("ValueError", "invalid literal for int() with base 10: "+pyRepr(c.params[0]))
	}
	return id, ok
}

func (st *state) userNamed(nick, enterpriseID string) *user {
	for _, u := range st.platform.users {
		if u.nick != nil && *u.nick == nick && u.enterpriseID == enterpriseID {
			return u
		}
	}
	return nil
}

func (st *state) userByEmail(email string) *user {
	for _, u := range st.platform.users {
		if u.email == email {
			return u
		}
	}
	return nil
}

func (st *state) userByPhone(phone string) *user {
	for _, u := range st.platform.users {
		if u.phone != nil && *u.phone == phone {
			return u
		}
	}
	return nil
}

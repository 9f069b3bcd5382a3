package rainbondtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Enterprise administrators: ListAdminsView and AdminInfoView
// (openapi/views/admin_view.py) over the EnterpriseUserPerm rows, with
// console/services/user_services.py list_admin_users, create_admin_user,
// delete_admin_user and is_user_admin_in_current_enterprise.

// isEnterpriseAdmin is is_user_admin_in_current_enterprise(u,
// u.enterprise_id), which the permission class asks on every request: a
// row of u's enterprise whose identity holds "admin"; failing that, the
// enterprise's first user (lowest user_id) gets a new row and is one.
// s.mu is held.
func (s *Server) isEnterpriseAdmin(u *user) bool {
	p := &s.state.platform
	for _, row := range p.perms {
		if row.userID == u.id && row.enterpriseID == u.enterpriseID {
			if strings.Contains(row.identity, "admin") {
				return true
			}
			break
		}
	}
	for _, first := range p.users {
		if first.enterpriseID == u.enterpriseID {
			if first != u {
				return false
			}
			p.perms = append(p.perms, &adminPerm{userID: u.id, enterpriseID: u.enterpriseID, identity: "admin"})
			return true
		}
	}
	return false
}

// listAdmins is ListAdminsView.get: the rows of enterprise eid (all of
// them without eid), paged by Django's Paginator, each answered as its
// user; a row whose user is gone is skipped but counted. A page the
// paginator refuses is empty, the total kept.
func (c *call) listAdmins() {
	q := djangoQuery(c.r.URL.RawQuery)
	page, size := q.intOr("page", 1), q.intOr("page_size", 10)
	var rows []*adminPerm
	eid, filtered := q.get("eid")
	for _, row := range c.s.state.platform.perms {
		if !filtered || row.enterpriseID == eid {
			rows = append(rows, row)
		}
	}
	users := []userInfo{}
	if from, to, ok := paginate(len(rows), page, size); ok {
		for _, row := range rows[from:to] {
			if u := c.s.state.userByID(int64(row.userID)); u != nil {
				users = append(users, c.s.listedUser(u))
			}
		}
	}
	c.json(http.StatusOK, userList{Users: users, Total: len(rows)})
}

// addAdmin is ListAdminsView.post: CreateAdminUserReqSerializer, then the
// user by the raw user_id (a text that is no number is a 500; an unknown
// id DRF's 404), the enterprise by eid (unknown: a 400, the view passing
// 404 as the error's code), and create_admin_user: an existing row of the
// pair has its identity replaced by "admin", else a row is added. 201
// with no body. Nothing checks that the user belongs to the enterprise.
func (c *call) addAdmin() {
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	charInto(&errs, data, charField{name: "user_id", max: 32}, charField{name: "eid", max: 32})
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	rawID := pyStr(data["user_id"])
	id, ok := lookupInt(data["user_id"])
	if !ok {
		c.fieldIntError("user_id", rawID)
		return
	}
	u := c.s.state.userByID(id)
	if u == nil {
		c.apiException(http.StatusNotFound, "NotFound", "用户'"+rawID+"'不存在")
		return
	}
	eid := pyStr(data["eid"])
	if !c.s.state.enterpriseExists(eid) {
		c.validationErrors([]string{"企业'" + eid + "'不存在"})
		return
	}
	p := &c.s.state.platform
	for _, row := range p.perms {
		if row.userID == u.id && row.enterpriseID == eid {
			row.identity = "admin"
			c.empty(http.StatusCreated)
			return
		}
	}
	p.perms = append(p.perms, &adminPerm{userID: u.id, enterpriseID: eid, identity: "admin"})
	c.empty(http.StatusCreated)
}

// deleteAdmin is AdminInfoView.delete: the caller's own id (as text) is
// refused with a 400 whose err is an object; then delete_admin_user: the
// first row of that user in any enterprise (none: DRF's 404), refused
// when it is its enterprise's only row, which the view reports through
// the Python 2 e.message, a 500; else every row of the user goes. 200
// with no body.
func (c *call) deleteAdmin() {
	raw := c.params[0]
	if raw == strconv.Itoa(c.user.id) {
		c.validationErrors(map[string]any{"msg": "不能删除自己"})
		return
	}
	id, ok := pyIntText(raw)
	if !ok {
		c.fieldIntError("user_id", raw)
		return
	}
	p := &c.s.state.platform
	i := slices.IndexFunc(p.perms, func(row *adminPerm) bool { return int64(row.userID) == id })
	if i < 0 {
		c.apiException(http.StatusNotFound, "NotFound", "用户'"+raw+"'不是企业管理员")
		return
	}
	eid, count := p.perms[i].enterpriseID, 0
	for _, row := range p.perms {
		if row.enterpriseID == eid {
			count++
		}
	}
	if count == 1 {
		c.serverError("AttributeError", "'ErrCannotDelLastAdminUser' object has no attribute 'message'")
		return
	}
	p.perms = slices.DeleteFunc(p.perms, func(row *adminPerm) bool { return int64(row.userID) == id })
	c.empty(http.StatusOK)
}

// paginate is Django's Paginator.page over count rows: the bounds of the
// page, or false where page() raises (page below 1 or past the last, a
// size of 0 or less).
func paginate(count, page, size int) (from, to int, ok bool) {
	if size <= 0 || page < 1 {
		return 0, 0, false
	}
	pages := max(1, (count+size-1)/size)
	if page > pages {
		return 0, 0, false
	}
	from = (page - 1) * size
	return from, min(from+size, count), true
}

// lookupInt is what an integer column makes of a decoded JSON value in a
// lookup: int() of it, so a float is truncated and a text must be an
// integer's.
func lookupInt(v any) (int64, bool) {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		f, err := v.Float64()
		return int64(f), err == nil
	case float64:
		return int64(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case string:
		return pyIntText(v)
	}
	return 0, false
}

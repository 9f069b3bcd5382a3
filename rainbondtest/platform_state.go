package rainbondtest

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
)

// platformState is what the platform routes keep (users.go, admins.go,
// regions.go, team_resources.go, monitoring.go): the users and their
// tokens, the enterprise administrators, the rest of each region's
// RegionConfig row and its cluster, team creators and limits, and the
// components that carry the performance-analysis plugin.
type platformState struct {
	// users are the Users rows, by user_id ascending; nextUserID numbers
	// them.
	users      []*user
	nextUserID int
	// tokens map the API tokens of AddUser to their user_id; the
	// server's own token is user 1's.
	tokens map[string]int
	// perms are the EnterpriseUserPerm rows, oldest first.
	perms []*adminPerm
	// teams are the rest of the teams' Tenants rows, for the teams that
	// have one (see tenantRow).
	teams map[*Team]*tenantRow
	// regions are the rest of the RegionConfig rows, with their clusters.
	regions map[*Region]*regionRow
	// unreachable are cluster API URLs no connection reaches.
	unreachable map[string]bool
	// teamLimits are the clusters' per-team memory limits (MiB), by
	// tenant_id and region name.
	teamLimits map[[2]string]int
	// perfPlugin marks the components with an enabled
	// performance-analysis plugin.
	perfPlugin map[string]bool
}

// user is a Users row (www/models/main.py) and its password as the
// console's hash sees it: encrypt_passwd(email + password), so that a
// password is checked against hashInput alone.
type user struct {
	id           int
	email        string
	nick         *string
	realName     *string
	phone        *string
	active       bool
	created      time.Time
	enterpriseID string
	// hashInput is what the stored hash was made of, email then
	// password; "" for a user without a password.
	hashInput string
}

// adminPerm is an EnterpriseUserPerm row.
type adminPerm struct {
	userID       int
	enterpriseID string
	identity     string
}

// seedUserTime is the creation time of the token's user.
var seedUserTime = time.Date(2026, 11, 1, 8, 0, 0, 123456000, shanghai)

// newPlatformState holds user 1, "admin", the enterprise's first user and
// its administrator, whose token the server's is.
func newPlatformState(enterpriseID string) platformState {
	return platformState{
		users: []*user{{
			id: 1, email: "admin@example.com", nick: ptr("admin"), active: true,
			created: seedUserTime, enterpriseID: enterpriseID,
		}},
		nextUserID:  2,
		tokens:      map[string]int{},
		perms:       []*adminPerm{{userID: 1, enterpriseID: enterpriseID, identity: "admin"}},
		teams:       map[*Team]*tenantRow{},
		regions:     map[*Region]*regionRow{},
		unreachable: map[string]bool{},
		teamLimits:  map[[2]string]int{},
		perfPlugin:  map[string]bool{},
	}
}

// operator is str(user.nick_name), as the console sends it to the
// cluster with an operation.
func (u *user) operator() string {
	if u.nick == nil {
		return "None"
	}
	return *u.nick
}

// getName is Users.get_name(): the real name, else the nick name.
func (u *user) getName() string {
	if u.realName != nil && *u.realName != "" {
		return *u.realName
	}
	return deref(u.nick)
}

// fixtureUser is the user a test's own changes (the Server's methods)
// act as: user 1, the token's, or as it was seeded once deleted.
func (st *state) fixtureUser() *user {
	if u := st.userByID(1); u != nil {
		return u
	}
	return &user{id: 1, nick: ptr("admin"), enterpriseID: st.enterpriseID}
}

// userByID is Users.objects.filter(user_id=id).first().
func (st *state) userByID(id int64) *user {
	for _, u := range st.platform.users {
		if int64(u.id) == id {
			return u
		}
	}
	return nil
}

// enterpriseExists is TenantEnterprise lookup: the server's enterprise,
// or one a team belongs to.
func (st *state) enterpriseExists(eid string) bool {
	if eid == st.enterpriseID {
		return true
	}
	for _, t := range st.teams {
		if t.EnterpriseID == eid && eid != "" {
			return true
		}
	}
	return false
}

// tenantRow is the rest of a team's Tenants row: creater, is_active and
// limit_memory.
type tenantRow struct {
	creater     int
	inactive    bool
	limitMemory int
}

// teamRow is team t's row: a team the test added was created by user 1,
// is active, and has limit_memory 0, as create_team makes it.
func (st *state) teamRow(t *Team) *tenantRow {
	row := st.platform.teams[t]
	if row == nil {
		row = &tenantRow{creater: 1}
		st.platform.teams[t] = row
	}
	return row
}

// pyIntText is Python's int() of a text: surrounding whitespace, a sign,
// Unicode decimal digits and single underscores between digits. A number
// too large for int64 reads as math.MinInt64, which matches no row.
func pyIntText(s string) (int64, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return 0, false
	}
	var n int64
	overflow := false
	for _, r := range s {
		if r == '_' {
			continue
		}
		if !unicode.Is(unicode.Nd, r) {
			return 0, false
		}
		d := int64(digitValue(r))
		if n > (math.MaxInt64-d)/10 {
			overflow = true
		}
		n = n*10 + d
	}
	if overflow {
		return math.MinInt64, true
	}
	if neg {
		n = -n
	}
	return n, true
}

// digitValue is the value of a Unicode decimal digit: the Nd characters
// come in runs of tens, each from its zero.
func digitValue(r rune) int {
	start := r
	for unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return int(r-start) % 10
}

// fieldIntError answers the ValueError an integer column raises for text
// int() cannot read: Django 3.0+ words it (the consoles since v6.9.2),
// Django 2.2 passes int()'s own.
func (c *call) fieldIntError(field, value string) {
	msg := "invalid literal for int() with base 10: " + pyRepr(value)
	if c.s.has("v6.9.2") {
		msg = "Field '" + field + "' expected a number but got " + pyRepr(value) + "."
	}
	c.serverError("ValueError", msg)
}

// empty answers a DRF Response(None): no body, so no Content-Type.
func (c *call) empty(status int) {
	c.a.status = status
	c.a.header.Del("Content-Type")
	c.a.body = nil
}

// plainServerError is gevent's answer when a BaseException escapes
// Django (UserNotExistError, AccountNotExistError): plain text, and the
// connection closed.
func (c *call) plainServerError() {
	c.a.status = 500
	c.a.header = map[string][]string{"Content-Type": {"text/plain"}, "Connection": {"close"}}
	c.a.body = []byte("Internal Server Error")
}

// pyDatetime is str() of a naive datetime of the console's zone: the
// fraction only when there are microseconds.
func pyDatetime(t time.Time) string {
	t = t.In(shanghai)
	s := t.Format("2006-01-02 15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

package rainbondtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// The expectations below are the console's, read from
// openapi/views/user_view.py, openapi/serializer/user_serializer.py and
// console/services/user_services.py (notes: r5-platform.md §1, §2).

// as sends the request with another user's token.
func as(token string) []string { return []string{"Authorization", token} }

// bodyOf reads a whole answer.
func bodyOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// serverErrorOf decodes a 500 JSON answer of the console's handler.
func serverErrorOf(t *testing.T, resp *http.Response) (errType, msg string) {
	t.Helper()
	require.Equal(t, 500, resp.StatusCode)
	var body struct {
		Code      int    `json:"code"`
		Msg       string `json:"msg"`
		ErrorType string `json:"error_type"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	assert.Equal(t, 10401, body.Code)
	return body.ErrorType, body.Msg
}

// assertEmpty checks a Response(None): no body, no Content-Type.
func assertEmpty(t *testing.T, resp *http.Response, status int) {
	t.Helper()
	assert.Equal(t, status, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Type"))
	assert.Empty(t, bodyOf(t, resp))
}

func addUser(t *testing.T, srv *rainbondtest.Server, u rainbondtest.User) (rainbondtest.User, string) {
	t.Helper()
	added, token, err := srv.AddUser(u)
	require.NoError(t, err)
	return added, token
}

func TestCurrentUserIsABeanWrapper(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	got := readJSON(t, do(t, srv, "GET", "/openapi/v1/currentuser", "")).(map[string]any)
	assert.Equal(t, map[string]any{"bean": map[string]any{
		"user_id": float64(1), "email": "admin@example.com", "nick_name": "admin", "real_name": nil, "phone": nil,
		"is_active": true, "origion": "", "enterprise_id": srv.Seed().EnterpriseID,
	}}, got)

	bob, token := addUser(t, srv, rainbondtest.User{NickName: "bob", Phone: "13800000000"})
	got = readJSON(t, do(t, srv, "GET", "/openapi/v1/currentuser", "", as(token)...)).(map[string]any)
	assert.Equal(t, float64(bob.UserID), got["bean"].(map[string]any)["user_id"], "the token's user")
	assert.Equal(t, "13800000000", got["bean"].(map[string]any)["phone"])
}

func TestCurrentUserAcrossReleases(t *testing.T) {
	t.Parallel()
	for version, status := range map[string]int{"v5.10.0": 404, "v5.11.2": 200, "v6.0.0": 500, "v6.3.3": 500, "v6.4.0": 200} {
		srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion(version))
		resp := do(t, srv, "GET", "/openapi/v1/currentuser", "")
		assert.Equal(t, status, resp.StatusCode, version)
		if status == 500 {
			errType, msg := serverErrorOf(t, resp)
			assert.Equal(t, "KeyError", errType, version)
			assert.Equal(t, "'origion'", msg, "the dropped column, indexed")
		}
		srv.Close()
	}
}

func TestCreateUserAnswers201WithoutABody(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	eid := srv.Seed().EnterpriseID
	resp := do(t, srv, "POST", "/openapi/v1/users", fmt.Sprintf(`{"nick_name":"bob","password":"secret123","enterprise_id":%q,"email":"bob@example.com"}`, eid))
	assertEmpty(t, resp, 201)

	list := readJSON(t, do(t, srv, "GET", "/openapi/v1/users?query=bob", "")).(map[string]any)
	assert.Equal(t, float64(1), list["total"])
	users := list["users"].([]any)
	require.Len(t, users, 1)
	bob := users[0].(map[string]any)
	assert.Equal(t, float64(2), bob["user_id"])
	assert.Equal(t, "bob", bob["nick_name"])
	assert.Equal(t, "", bob["phone"], "data.get(\"phone\", \"\"): no phone is stored as \"\"")
	assert.Nil(t, bob["origion"])
	assert.Nil(t, bob["client_ip"])
	assert.Equal(t, true, bob["is_active"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$`, bob["create_time"])
	assert.Len(t, bob, 9)
	assert.True(t, srv.CheckPassword(2, "secret123"))
	assert.False(t, srv.CheckPassword(2, "secret124"))

	// The enterprise is not checked.
	resp = do(t, srv, "POST", "/openapi/v1/users", `{"nick_name":"carol","password":"secret123","enterprise_id":"nowhere","email":"carol@example.com","is_active":false}`)
	assertEmpty(t, resp, 201)
	users = readJSON(t, do(t, srv, "GET", "/openapi/v1/users?query=carol", "")).(map[string]any)["users"].([]any)
	assert.Equal(t, "nowhere", users[0].(map[string]any)["enterprise_id"])
	assert.Equal(t, false, users[0].(map[string]any)["is_active"])
}

func TestCreateUserRefusals(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	eid := srv.Seed().EnterpriseID
	addUser(t, srv, rainbondtest.User{NickName: "taken", Phone: "13900000000"})
	body := func(extra string) string {
		return fmt.Sprintf(`{"nick_name":"dave","password":"secret123","enterprise_id":%q%s}`, eid, extra)
	}
	for name, tc := range map[string]struct {
		body string
		err  map[string][]string
	}{
		"required":      {`{}`, map[string][]string{"nick_name": {"该字段是必填项。"}, "password": {"该字段是必填项。"}, "enterprise_id": {"该字段是必填项。"}}},
		"short":         {`{"nick_name":"d","password":"short","enterprise_id":"e","email":"d@example.com"}`, map[string][]string{"password": {"请确保这个字段至少包含 8 个字符。"}}},
		"long":          {`{"nick_name":"d","password":"12345678901234567","enterprise_id":"e","email":"d@example.com"}`, map[string][]string{"password": {"请确保这个字段不能超过 16 个字符。"}}},
		"email":         {body(`,"email":"nope"`), map[string][]string{"email": {"请输入合法的邮件地址。"}}},
		"blank email":   {body(`,"email":""`), map[string][]string{"email": {"该字段不能为空。"}}},
		"phone":         {body(`,"phone":"123456789012"`), map[string][]string{"phone": {"请确保这个字段不能超过 11 个字符。"}}},
		"nick too long": {`{"nick_name":"abcdefghijklmnopqrstuvwxy","password":"secret123","enterprise_id":"e","email":"d@example.com"}`, map[string][]string{"nick_name": {"请确保这个字段不能超过 24 个字符。"}}},
	} {
		a := answerOf(t, do(t, srv, "POST", "/openapi/v1/users", tc.body), 400)
		assert.Equal(t, tc.err, a.Err, name)
	}

	var neither struct {
		Err       []string `json:"err"`
		ErrorType string   `json:"error_type"`
	}
	resp := do(t, srv, "POST", "/openapi/v1/users", body(""))
	require.Equal(t, 400, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&neither))
	assert.Equal(t, []string{"缺少参数 email 或 phone"}, neither.Err)

	errType, msg := serverErrorOf(t, do(t, srv, "POST", "/openapi/v1/users", body(`,"phone":"13700000000"`)))
	assert.Equal(t, "KeyError", errType, "create() indexes data[\"email\"]")
	assert.Equal(t, "'email'", msg)

	errType, msg = serverErrorOf(t, do(t, srv, "POST", "/openapi/v1/users",
		fmt.Sprintf(`{"nick_name":"taken","password":"secret123","enterprise_id":%q,"email":"t2@example.com"}`, eid)))
	assert.Equal(t, "AttributeError", errType)
	assert.Equal(t, "'UserExistError' object has no attribute 'message'", msg)
	errType, msg = serverErrorOf(t, do(t, srv, "POST", "/openapi/v1/users", body(`,"email":"d@example.com","phone":"13900000000"`)))
	assert.Equal(t, "AttributeError", errType)
	assert.Equal(t, "'PhoneExistError' object has no attribute 'message'", msg)

	a := answerOf(t, do(t, srv, "POST", "/openapi/v1/users", body(`,"email":"taken@example.com"`)), 400)
	assert.Equal(t, 400, a.Code)
	assert.Equal(t, "email already exists", a.Msg)
	assert.Equal(t, "邮箱taken@example.com已存在", a.MsgShow)
	a = answerOf(t, do(t, srv, "POST", "/openapi/v1/users", body(`,"email":"d+x@example.com"`)), 400)
	assert.Equal(t, "invalid email", a.Msg, "Django takes it, the console's own pattern does not")
	a = answerOf(t, do(t, srv, "POST", "/openapi/v1/users",
		fmt.Sprintf(`{"nick_name":"d.e","password":"secret123","enterprise_id":%q,"email":"de@example.com"}`, eid)), 400)
	assert.Equal(t, "invalid username", a.Msg)
	assert.Len(t, srv.Users(), 2, "nothing was created")
}

func TestListUsersPagesAsDjangosPaginator(t *testing.T) {
	t.Parallel()
	clock := rainbondtest.NewClock(time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := rainbondtest.NewServer(rainbondtest.WithClock(clock))
	defer srv.Close()
	for _, nick := range []string{"u1", "u2", "u3"} {
		clock.Advance(time.Second)
		addUser(t, srv, rainbondtest.User{NickName: nick})
	}
	page := func(query string) ([]string, float64) {
		got := readJSON(t, do(t, srv, "GET", "/openapi/v1/users"+query, "")).(map[string]any)
		var nicks []string
		for _, u := range got["users"].([]any) {
			nicks = append(nicks, u.(map[string]any)["nick_name"].(string))
		}
		return nicks, got["total"].(float64)
	}
	nicks, total := page("")
	assert.Equal(t, []string{"u3", "u2", "u1", "admin"}, nicks, "newest first, every enterprise")
	assert.Equal(t, float64(4), total)
	nicks, total = page("?page=2&page_size=3")
	assert.Equal(t, []string{"admin"}, nicks)
	assert.Equal(t, float64(4), total)
	for _, q := range []string{"?page=3&page_size=3", "?page=0", "?page_size=0", "?page_size=-1"} {
		nicks, total = page(q)
		assert.Empty(t, nicks, q)
		assert.Equal(t, float64(0), total, "%s: a refused page has total 0", q)
	}
	nicks, _ = page("?page=x&page_size=y&query=u")
	assert.Equal(t, []string{"u3", "u2", "u1"}, nicks, "what int() cannot read is the default")
	nicks, _ = page("?query=U")
	assert.Empty(t, nicks, "contains is case-sensitive")
	got := readJSON(t, do(t, srv, "GET", "/openapi/v1/users?query=u2", "")).(map[string]any)
	assert.Equal(t, "2027-01-02 11:04:07", got["users"].([]any)[0].(map[string]any)["create_time"], "Asia/Shanghai, no fraction")
}

func TestGetUserByIDAnywhereOrByNameInTheEnterprise(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	other, _ := addUser(t, srv, rainbondtest.User{NickName: "far", EnterpriseID: "elsewhere"})
	got := readJSON(t, do(t, srv, "GET", "/openapi/v1/users/admin", "")).(map[string]any)
	assert.Equal(t, float64(1), got["user_id"])
	assert.Equal(t, "2026-11-01 08:00:00.123456", got["create_time"])
	got = readJSON(t, do(t, srv, "GET", "/openapi/v1/users/"+strconv.Itoa(other.UserID), "")).(map[string]any)
	assert.Equal(t, "elsewhere", got["enterprise_id"], "an id is looked up in every enterprise")
	for _, path := range []string{"far", "999", "nobody"} {
		errType, msg := serverErrorOf(t, do(t, srv, "GET", "/openapi/v1/users/"+path, ""))
		assert.Equal(t, "DoesNotExist", errType, "%s: the 404 branch is dead", path)
		assert.Equal(t, "Users matching query does not exist.", msg)
	}

	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.17.0"))
	defer old.Close()
	got = readJSON(t, do(t, old, "GET", "/openapi/v1/users/1", "")).(map[string]any)
	assert.Equal(t, "", got["origion"], "the column still existed")
	assert.Equal(t, "", got["client_ip"])
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	errType, msg := serverErrorOf(t, do(t, srv, "DELETE", "/openapi/v1/users/abc", ""))
	assert.Equal(t, "ValueError", errType)
	assert.Equal(t, "Field 'user_id' expected a number but got 'abc'.", msg)
	assertEmpty(t, do(t, srv, "DELETE", "/openapi/v1/users/999", ""), 404)

	bob, token := addUser(t, srv, rainbondtest.User{NickName: "bob"})
	assertEmpty(t, do(t, srv, "DELETE", "/openapi/v1/users/"+strconv.Itoa(bob.UserID), ""), 200)
	assert.Len(t, srv.Users(), 1)

	// The token stays; its user does not: UserNotExistError escapes.
	resp := do(t, srv, "GET", "/openapi/v1/currentuser", "", as(token)...)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Equal(t, "Internal Server Error", bodyOf(t, resp))
}

func TestUpdateUserWritesTheRawBody(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	carol, _ := addUser(t, srv, rainbondtest.User{NickName: "carol", Password: "password1"})
	path := "/openapi/v1/users/" + strconv.Itoa(carol.UserID)

	assertEmpty(t, do(t, srv, "PUT", path, `{"real_name":"Carol","phone":"","enterprise_id":"ignored"}`), 200)
	u := srv.Users()[1]
	assert.Equal(t, "Carol", u.RealName)
	assert.Equal(t, srv.Seed().EnterpriseID, u.EnterpriseID)
	assert.True(t, srv.CheckPassword(carol.UserID, "password1"))

	assertEmpty(t, do(t, srv, "PUT", path, `{"email":"carol@new.example.com"}`), 200)
	assert.False(t, srv.CheckPassword(carol.UserID, "password1"), "the hash was of the old email and the password")
	assertEmpty(t, do(t, srv, "PUT", path, `{"email":"carol@new.example.com","password":"password2"}`), 200)
	assert.True(t, srv.CheckPassword(carol.UserID, "password2"))

	assertEmpty(t, do(t, srv, "PUT", "/openapi/v1/users/999", `{"real_name":"x"}`), 200)
	assertEmpty(t, do(t, srv, "PUT", "/openapi/v1/users/999", `{"password":"password3"}`), 404)
	errType, _ := serverErrorOf(t, do(t, srv, "PUT", path, `{"is_active":"yes"}`))
	assert.Equal(t, "ValidationError", errType, "DRF takes \"yes\", the model field does not")
	errType, _ = serverErrorOf(t, do(t, srv, "PUT", "/openapi/v1/users/abc", `{}`))
	assert.Equal(t, "ValueError", errType)
	a := answerOf(t, do(t, srv, "PUT", path, `{"password":"short"}`), 400)
	assert.Equal(t, []string{"请确保这个字段至少包含 8 个字符。"}, a.Err["password"])
}

func TestChangePasswords(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	dora, _ := addUser(t, srv, rainbondtest.User{NickName: "dora"})
	far, _ := addUser(t, srv, rainbondtest.User{NickName: "far", EnterpriseID: "elsewhere"})

	body := fmt.Sprintf(`{"user_id":%d,"password":"newpass12","password1":"newpass12"}`, dora.UserID)
	assertEmpty(t, do(t, srv, "PUT", "/openapi/v1/users/999/changepwd", body), 200)
	assert.True(t, srv.CheckPassword(dora.UserID, "newpass12"), "the body's user_id, not the path's")
	assertEmpty(t, do(t, srv, "PUT", "/openapi/v1/users/1/changepwd",
		fmt.Sprintf(`{"user_id":%d,"password":"newpass12","password1":"newpass13"}`, dora.UserID)), 400)
	a := answerOf(t, do(t, srv, "PUT", "/openapi/v1/users/1/changepwd",
		fmt.Sprintf(`{"user_id":%d,"password":"newpass12","password1":"newpass12"}`, far.UserID)), 404)
	assert.Equal(t, "no found user", a.Msg)
	assert.Equal(t, 404, a.Code)

	assertEmpty(t, do(t, srv, "PUT", "/openapi/v1/changepwd", `{"password":"adminpass1","password1":"adminpass2"}`), 400)
	a = answerOf(t, do(t, srv, "PUT", "/openapi/v1/changepwd", `{"password":"adminpass1"}`), 400)
	assert.Equal(t, []string{"该字段是必填项。"}, a.Err["password1"])
	assertEmpty(t, do(t, srv, "PUT", "/openapi/v1/changepwd", `{"password":" adminpass1 ","password1":"adminpass1"}`), 200)
	assert.True(t, srv.CheckPassword(1, "adminpass1"), "the validated, trimmed value")

	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v5.2.0"))
	defer old.Close()
	assert.Equal(t, 404, do(t, old, "PUT", "/openapi/v1/changepwd", "{}").StatusCode, "came with v5.2.1")
}

func TestUserCloseAndDeleteAreDestructiveGETs(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	dave, token := addUser(t, srv, rainbondtest.User{NickName: "dave"})
	created := readJSON(t, do(t, srv, "POST", "/openapi/v1/teams", `{"tenant_name":"Dave's","region":"rainbond"}`, as(token)...)).(map[string]any)
	team := rainbondtest.Team{TenantID: created["tenant_id"].(string)}
	app, err := srv.AddApp(rainbondtest.App{TenantID: team.TenantID, RegionName: "rainbond", Name: "daves"})
	require.NoError(t, err)
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(team, app, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(seed.TeamA, seed.AppA, "/install?is_deploy=true"), installBody(seed, "6.4")).StatusCode)

	userPath := "/openapi/v1/users/" + strconv.Itoa(dave.UserID)
	assert.Equal(t, map[string]any{"bean": "close success"}, readJSON(t, do(t, srv, "GET", userPath+"/close", "")))
	for _, c := range srv.Components(app.ID) {
		assert.Equal(t, "closed", c.Status, "every component of the teams dave created")
	}
	for _, c := range srv.Components(seed.AppA.ID) {
		assert.Equal(t, "running", c.Status, "teams of others are left")
	}

	assert.Equal(t, map[string]any{"bean": "delete success"}, readJSON(t, do(t, srv, "GET", userPath+"/delete", "")))
	assert.Empty(t, srv.Components(app.ID))
	for _, a := range srv.Apps() {
		assert.NotEqual(t, app.ID, a.ID, "the app is gone")
	}
	assert.Len(t, srv.Apps(), 2)

	resp := do(t, srv, "GET", "/openapi/v1/users/999/close", "")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Equal(t, "Internal Server Error", bodyOf(t, resp))
	assert.Equal(t, 500, do(t, srv, "GET", "/openapi/v1/users/999/delete", "").StatusCode)
	errType, msg := serverErrorOf(t, do(t, srv, "GET", "/openapi/v1/users/abc/close", ""))
	assert.Equal(t, "ValueError", errType)
	assert.Equal(t, "invalid literal for int() with base 10: 'abc'", msg)

	old := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v6.1.1"))
	defer old.Close()
	assert.Equal(t, 404, do(t, old, "GET", "/openapi/v1/users/1/close", "").StatusCode, "came with v6.2.0")
}

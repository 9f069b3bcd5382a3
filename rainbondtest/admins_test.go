package rainbondtest_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// From openapi/views/admin_view.py, openapi/auth/permissions.py and
// console/services/user_services.py (notes: r5-platform.md §3 and the
// permissions preamble of Part B).

func adminIDs(t *testing.T, srv *rainbondtest.Server, query string) ([]float64, float64) {
	t.Helper()
	got := readJSON(t, do(t, srv, "GET", "/openapi/v1/administrators"+query, "")).(map[string]any)
	var ids []float64
	for _, u := range got["users"].([]any) {
		ids = append(ids, u.(map[string]any)["user_id"].(float64))
	}
	return ids, got["total"].(float64)
}

func TestAddAndListAdministrators(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	eid := srv.Seed().EnterpriseID
	ids, total := adminIDs(t, srv, "")
	assert.Equal(t, []float64{1}, ids)
	assert.Equal(t, float64(1), total)

	eve, evesToken := addUser(t, srv, rainbondtest.User{NickName: "eve"})
	// Any token may make any user an administrator, its own user included.
	resp := do(t, srv, "POST", "/openapi/v1/administrators", fmt.Sprintf(`{"user_id":"%d","eid":%q}`, eve.UserID, eid), as(evesToken)...)
	assertEmpty(t, resp, 201)
	ids, _ = adminIDs(t, srv, "?eid="+eid)
	assert.Equal(t, []float64{1, float64(eve.UserID)}, ids)
	ids, total = adminIDs(t, srv, "?eid=other")
	assert.Empty(t, ids)
	assert.Equal(t, float64(0), total)
	ids, total = adminIDs(t, srv, "?page=2&page_size=2")
	assert.Empty(t, ids)
	assert.Equal(t, float64(2), total, "a refused page keeps the total")

	var notFound struct {
		Detail, ErrorType string
	}
	resp = do(t, srv, "POST", "/openapi/v1/administrators", fmt.Sprintf(`{"user_id":"999","eid":%q}`, eid))
	require.Equal(t, 404, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&struct {
		Detail    *string `json:"detail"`
		ErrorType *string `json:"error_type"`
	}{&notFound.Detail, &notFound.ErrorType}))
	assert.Equal(t, "用户'999'不存在", notFound.Detail)
	assert.Equal(t, "NotFound", notFound.ErrorType)

	var unknownEID struct {
		Err []string `json:"err"`
	}
	resp = do(t, srv, "POST", "/openapi/v1/administrators", `{"user_id":"1","eid":"nope"}`)
	require.Equal(t, 400, resp.StatusCode, "ValidationError's second argument is a code, not a status")
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&unknownEID))
	assert.Equal(t, []string{"企业'nope'不存在"}, unknownEID.Err)

	errType, _ := serverErrorOf(t, do(t, srv, "POST", "/openapi/v1/administrators", `{"user_id":"abc","eid":"x"}`))
	assert.Equal(t, "ValueError", errType)
	a := answerOf(t, do(t, srv, "POST", "/openapi/v1/administrators", `{"user_id":"1"}`), 400)
	assert.Equal(t, []string{"该字段是必填项。"}, a.Err["eid"])
}

func TestDeleteAdministrators(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	eid := srv.Seed().EnterpriseID
	bob, bobsToken := addUser(t, srv, rainbondtest.User{NickName: "bob", Admin: true})
	eve, evesToken := addUser(t, srv, rainbondtest.User{NickName: "eve"})
	bobPath := "/openapi/v1/administrators/" + strconv.Itoa(bob.UserID)

	var self struct {
		Err map[string]string `json:"err"`
	}
	resp := do(t, srv, "DELETE", bobPath, "", as(bobsToken)...)
	require.Equal(t, 400, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&self))
	assert.Equal(t, map[string]string{"msg": "不能删除自己"}, self.Err, "a text, not a list")

	resp = do(t, srv, "DELETE", "/openapi/v1/administrators/"+strconv.Itoa(eve.UserID), "")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, bodyOf(t, resp), "不是企业管理员")
	errType, _ := serverErrorOf(t, do(t, srv, "DELETE", "/openapi/v1/administrators/abc", ""))
	assert.Equal(t, "ValueError", errType)

	// Bob removes the first user's row; its next request makes it anew.
	assertEmpty(t, do(t, srv, "DELETE", "/openapi/v1/administrators/1", "", as(bobsToken)...), 200)
	assert.False(t, srv.Users()[0].Admin)
	do(t, srv, "GET", "/openapi/v1/currentuser", "")
	assert.True(t, srv.Users()[0].Admin, "the enterprise's first user is always one")

	// A user that is no administrator removes bob, then the last one.
	assertEmpty(t, do(t, srv, "DELETE", bobPath, "", as(evesToken)...), 200)
	errType, msg := serverErrorOf(t, do(t, srv, "DELETE", "/openapi/v1/administrators/1", "", as(evesToken)...))
	assert.Equal(t, "AttributeError", errType)
	assert.Equal(t, "'ErrCannotDelLastAdminUser' object has no attribute 'message'", msg)

	// Rows whose user is gone are counted, not listed.
	require.Equal(t, 201, do(t, srv, "POST", "/openapi/v1/administrators", fmt.Sprintf(`{"user_id":%d,"eid":%q}`, eve.UserID, eid)).StatusCode)
	assertEmpty(t, do(t, srv, "DELETE", "/openapi/v1/users/"+strconv.Itoa(eve.UserID), ""), 200)
	ids, total := adminIDs(t, srv, "")
	assert.Equal(t, []float64{1}, ids)
	assert.Equal(t, float64(2), total)
}

func TestRegionsAreForAdministratorsOnly(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	_, token := addUser(t, srv, rainbondtest.User{NickName: "eve"})
	for _, method := range []string{"GET", "POST", "PUT"} {
		resp := do(t, srv, method, "/openapi/v1/regions", `{}`, as(token)...)
		require.Equal(t, 403, resp.StatusCode, method)
		body := readJSON(t, resp).(map[string]any)
		assert.Equal(t, "您没有执行该操作的权限。", body["detail"])
		assert.Equal(t, "PermissionDenied", body["error_type"])
		assert.Equal(t, float64(403), body["code"])
	}
	assert.Equal(t, 200, do(t, srv, "GET", "/openapi/v1/regions/rainbond", "", as(token)...).StatusCode, "one region: any user")
	assert.Equal(t, 200, do(t, srv, "GET", "/openapi/v1/regions", "").StatusCode)

	_, lost := addUser(t, srv, rainbondtest.User{NickName: "lost", EnterpriseID: "gone"})
	a := answerOf(t, do(t, srv, "GET", "/openapi/v1/currentuser", "", as(lost)...), 404)
	assert.Equal(t, 1000, a.Code)
	assert.Equal(t, "the enterprise is not found", a.Msg)
}

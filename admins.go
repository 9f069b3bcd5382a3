package rainbond

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Enterprise administrators: ListAdminsView and AdminInfoView
// (openapi/views/admin_view.py), CreateAdminUserReqSerializer, and
// console/services/user_services.py (list_admin_users, create_admin_user,
// delete_admin_user). Any valid token may call them: the console checks
// no role.

// AdminsService manages the enterprise administrators. Reach it as
// Client.Admins.
type AdminsService struct {
	client *Client
}

// Releases that added the administrator routes.
const (
	sinceAdmins      = "v5.1.6"
	sinceAdminDelete = "v5.2.1"
)

// AdminListOptions selects a page of administrators.
type AdminListOptions struct {
	// EnterpriseID keeps the administrators of one enterprise; "" lists
	// every enterprise's.
	EnterpriseID string
	// Page is the page number, from 1; 0 means 1.
	Page int
	// PageSize is the number of administrators per page; 0 means 10.
	PageSize int
}

// List returns one page of administrators, as [User]s (the answer does
// not say which roles each has). The console counts in Total rows whose
// user is gone, which it leaves out of the page.
//
// It calls GET /openapi/v1/administrators (consoles since v5.1.6).
func (s *AdminsService) List(ctx context.Context, opts *AdminListOptions, callOpts ...CallOption) (*UserList, *Response, error) {
	v := s.client.validator(ctx)
	q := url.Values{}
	if opts != nil {
		(&ListOptions{Page: opts.Page, PageSize: opts.PageSize}).validate(&v)
		v.text("eid", opts.EnterpriseID, charField{max: 32, noTrimming: true})
		q = (&ListOptions{Page: opts.Page, PageSize: opts.PageSize}).values()
		if opts.EnterpriseID != "" {
			q.Set("eid", opts.EnterpriseID)
		}
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(UserList)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/administrators", query: q.Encode(), opts: callOpts, since: sinceAdmins}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// All iterates over every administrator, page after page, each once: the
// console lists a user once per enterprise it administers (with
// enterpriseID ""), counts in its total rows whose user is gone (so a
// short page is not the last), and does not order its rows. It ends on
// an empty page, at the first error, when ctx ends, or with [ErrPaging]
// when a full page holds no one new (a console ignoring paging) or past
// [MaxPages].
func (s *AdminsService) All(ctx context.Context, enterpriseID string, callOpts ...CallOption) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		seen := map[int64]bool{}
		for page := 1; ; page++ {
			if page > MaxPages {
				yield(User{}, fmt.Errorf("%w: more than %d pages", ErrPaging, MaxPages))
				return
			}
			list, _, err := s.List(ctx, &AdminListOptions{EnterpriseID: enterpriseID, Page: page, PageSize: defaultPageSize}, callOpts...)
			if err != nil {
				yield(User{}, err)
				return
			}
			if len(list.Users) == 0 {
				return
			}
			fresh := 0
			for _, u := range list.Users {
				if !seen[u.UserID] {
					seen[u.UserID] = true
					fresh++
					if !yield(u, nil) {
						return
					}
				}
			}
			if fresh == 0 && len(list.Users) >= defaultPageSize {
				yield(User{}, fmt.Errorf("%w: page %d holds only administrators seen before: the console ignores paging", ErrPaging, page))
				return
			}
		}
	}
}

// Add makes user userID an administrator of enterprise enterpriseID ("" for
// the token user's). A user who had other enterprise roles keeps only
// "admin".
//
// It calls GET /openapi/v1/currentuser when enterpriseID is "", then
// POST /openapi/v1/administrators (consoles since v5.1.6). [ErrNotFound]
// for an unknown user; [ErrBadRequest] for an unknown enterprise.
func (s *AdminsService) Add(ctx context.Context, userID int64, enterpriseID string, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	v.id("user_id", "user", userID)
	v.text("eid", enterpriseID, charField{max: 32, noTrimming: true})
	if err := v.err(); err != nil {
		return nil, err
	}
	if enterpriseID == "" {
		me, resp, err := s.client.Users.Me(ctx, callOpts...)
		if err != nil {
			return resp, err
		}
		enterpriseID = me.EnterpriseID
	}
	body := map[string]string{"user_id": strconv.FormatInt(userID, 10), "eid": enterpriseID}
	return s.client.do(ctx, &request{method: http.MethodPost, path: "/administrators", body: body, opts: callOpts, since: sinceAdmins}, nil)
}

// ErrLastAdmin is matched by the error of [AdminsService.Remove] for the
// enterprise's only administrator (the console answers it with a 500).
var ErrLastAdmin = errors.New("rainbond: the enterprise's last administrator cannot be removed")

// ErrRemoveSelf is matched by the error of [AdminsService.Remove] when the
// token's user removes itself.
var ErrRemoveSelf = errors.New("rainbond: the token's user cannot remove itself")

// Remove takes away every enterprise role of user userID. The console
// gives the enterprise's first user its administrator role back on its
// next permission check, so removing that one does not last.
//
// It calls DELETE /openapi/v1/administrators/{user_id} (consoles since
// v5.2.1). [ErrNotFound] for a user who is not an administrator;
// [ErrRemoveSelf]; [ErrLastAdmin].
func (s *AdminsService) Remove(ctx context.Context, userID int64, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	v.id("user_id", "user", userID)
	if err := v.err(); err != nil {
		return nil, err
	}
	resp, err := s.client.do(ctx, &request{method: http.MethodDelete, path: "/administrators/" + strconv.FormatInt(userID, 10), opts: callOpts, since: sinceAdminDelete}, nil)
	err = mark(err, ErrLastAdmin, "", func(e *APIError) bool {
		return e.StatusCode == http.StatusInternalServerError && strings.Contains(e.Msg, "ErrCannotDelLastAdminUser")
	})
	return resp, mark(err, ErrRemoveSelf, "", func(e *APIError) bool {
		return e.StatusCode == http.StatusBadRequest && slices.Contains(e.FieldErrors["msg"], "不能删除自己")
	})
}

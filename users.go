package rainbond

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Users: CurrentUsersView, ListUsersView, UserInfoView, ChangeUserPassword,
// ChangePassword, UserTenantClose and UserTenantDelete
// (openapi/views/user_view.py), their serializers
// (openapi/serializer/user_serializer.py) and console/services/user_services.py.
//
// None of these routes checks the caller's role: any valid token may
// create, change and delete users, of any enterprise for some. The SDK
// does not pretend otherwise; a token should be held as an administrator's.

// UsersService manages the console's users. Reach it as Client.Users.
type UsersService struct {
	client *Client
}

// Releases that added the user routes.
const (
	sinceUsers       = "v5.1.6"
	sinceChangePwd   = "v5.2.1"
	sinceCurrentUser = "v5.11.2"
	sinceUserTeams   = "v6.2.0"
)

// CurrentUser is the token's user, as [UsersService.Me] returns it.
//
// Source: CurrentUsersView.get, which answers {"bean": {…}}: neither the
// console's envelope nor a bare object.
type CurrentUser struct {
	// UserID is the user's id; 0 for the console's internal user.
	UserID int64 `json:"user_id"`
	// NickName is the login name.
	NickName string `json:"nick_name"`
	// RealName is the display name.
	RealName string `json:"real_name"`
	// Email and Phone are the user's contacts ("" when unset).
	Email string `json:"email"`
	// Phone: see Email.
	Phone string `json:"phone"`
	// IsActive reports whether the user may log in.
	IsActive bool `json:"is_active"`
	// EnterpriseID is the user's enterprise: the one to give
	// [UserCreate], [RegionCreate] and [AdminsService.List].
	EnterpriseID string `json:"enterprise_id"`
}

// User is a user, as [UsersService.List] and [UsersService.Get] return
// it.
//
// Source: UserInfoSerializer, output only. The console's origion and
// client_ip members are always null since v6.0.0 and are left out.
type User struct {
	// UserID is the user's id.
	UserID int64 `json:"user_id"`
	// NickName is the login name.
	NickName string `json:"nick_name"`
	// Email and Phone are the user's contacts ("" when unset).
	Email string `json:"email"`
	// Phone: see Email.
	Phone string `json:"phone"`
	// IsActive reports whether the user may log in.
	IsActive bool `json:"is_active"`
	// CreateTime is the console's local time, "2006-01-02 15:04:05" with
	// or without microseconds.
	CreateTime string `json:"create_time"`
	// EnterpriseID is the user's enterprise.
	EnterpriseID string `json:"enterprise_id"`
}

// UserList is one page of users.
type UserList struct {
	// Users are the page's users.
	Users []User `json:"users"`
	// Total is the number of users matching; the console answers 0 with an
	// empty page past the end, whatever the real number.
	Total int `json:"total"`
}

// ErrCurrentUserBroken is matched by the error of [UsersService.Me] on
// consoles v6.0.0 to v6.3.x, whose route fails on every call (a KeyError
// on a column they dropped; fixed in v6.4.0).
var ErrCurrentUserBroken = errors.New("rainbond: this console's currentuser route fails on every call (v6.0.0 to v6.3.x)")

// Me returns the token's user.
//
// It calls GET /openapi/v1/currentuser (consoles since v5.11.2; it fails
// on v6.0.0 to v6.3.x: [ErrCurrentUserBroken]). [Client.Ping] builds on
// it to tell a bad token from a wrong address or an old console.
func (s *UsersService) Me(ctx context.Context, callOpts ...CallOption) (*CurrentUser, *Response, error) {
	v := s.client.validator(ctx)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(struct {
		Bean CurrentUser `json:"bean"`
	})
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/currentuser", opts: callOpts, since: sinceCurrentUser}, out)
	if err != nil {
		return nil, resp, mark(err, ErrCurrentUserBroken, "upgrade the console to v6.4.0 or later", func(e *APIError) bool {
			return e.StatusCode == http.StatusInternalServerError && e.Msg == "'origion'"
		})
	}
	return &out.Bean, resp, nil
}

// List returns one page of users: of every enterprise (the console does
// not scope the list), newest first. opts.Query matches the login name,
// the email or the phone (a substring).
//
// It calls GET /openapi/v1/users (consoles since v5.1.6).
func (s *UsersService) List(ctx context.Context, opts *ListOptions, callOpts ...CallOption) (*UserList, *Response, error) {
	v := s.client.validator(ctx)
	opts.validate(&v)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(UserList)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/users", query: opts.values().Encode(), opts: callOpts, since: sinceUsers}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// All iterates over every user matching opts.Query, page after page, as
// [TeamsService.All] does over teams. It ends on the first empty page:
// the console answers a page past the end with no users and a total of 0.
func (s *UsersService) All(ctx context.Context, opts *ListOptions, callOpts ...CallOption) iter.Seq2[User, error] {
	return paginate(ctx, opts, func(u User) string { return strconv.FormatInt(u.UserID, 10) }, func(ctx context.Context, o *ListOptions) ([]User, int, error) {
		page, _, err := s.List(ctx, o, callOpts...)
		if err != nil {
			return nil, 0, err
		}
		return page.Users, page.Total, nil
	})
}

// UserCreate is the body of [UsersService.Create].
type UserCreate struct {
	// NickName is the login name: letters, digits, '_', '-' and Chinese
	// characters, at most 24, unique in the enterprise. One of digits only
	// cannot be read back by name (the console takes it for a user id).
	NickName string `json:"nick_name"`
	// Password is 8 to 16 characters, the console's only rule.
	Password Secret `json:"password"`
	// Email is required (the console fails without it, although its
	// message says email or phone), at most 35 characters, unused by any
	// user of any enterprise.
	Email string `json:"email"`
	// Phone is optional, at most 11 characters, unused by any user.
	Phone string `json:"phone,omitempty"`
	// EnterpriseID is the user's enterprise; "" for the token user's. The
	// console does not check it: a wrong one makes a user of no
	// enterprise.
	EnterpriseID string `json:"enterprise_id"`
	// Inactive creates the user unable to log in.
	Inactive bool `json:"-"`
}

// userName and userEmail are the console's rules (user_services.py
// __check_user_name, __check_email).
var (
	userName  = regexp.MustCompile(`^[a-zA-Z0-9_\-\x{4e00}-\x{9fa5}]+$`)
	userEmail = regexp.MustCompile(`^[\w\-.]+@[\w\-]+(\.[\w\-]+)+$`)
)

// ErrUserExists is matched by the error of [UsersService.Create] when the
// login name is taken in the enterprise, or the email or the phone by any
// user (the console answers the first and the last with a 500).
var ErrUserExists = errors.New("rainbond: a user has that name, email or phone")

func (v *validator) password(field string, p Secret) {
	v.text(field, p.Value(), charField{required: true, max: 16, keepSpaces: true})
	if n := len([]rune(pyStrip(p.Value()))); p.Value() != "" && n < 8 {
		v.add(field, "shorter than 8 characters")
	}
}

func (v *validator) email(field, email string) {
	v.text(field, email, charField{required: true, max: 35, noTrimming: true})
	if email != "" && !userEmail.MatchString(email) {
		v.add(field, "%q: not an email address the console takes", oneLine(email, 40))
	}
}

// Create creates a user and returns it, read back from the list by its
// login name and enterprise (the console answers 201 without it).
//
// It calls GET /openapi/v1/currentuser when in.EnterpriseID is "", then
// POST /openapi/v1/users and GET /openapi/v1/users?query={nick_name}
// (consoles since v5.1.6). [ErrUserExists] for a name, email or phone
// taken. A POST, never sent twice by the client on its own.
func (s *UsersService) Create(ctx context.Context, in *UserCreate, callOpts ...CallOption) (*User, *Response, error) {
	v := s.client.validator(ctx)
	if in == nil {
		v.add("body", "nil *UserCreate")
	} else {
		v.text("nick_name", in.NickName, charField{required: true, max: 24, noTrimming: true})
		if in.NickName != "" && !userName.MatchString(in.NickName) {
			v.add("nick_name", "%q: letters, digits, '_', '-' and Chinese characters only", oneLine(in.NickName, 40))
		}
		v.password("password", in.Password)
		v.email("email", in.Email)
		v.text("phone", in.Phone, charField{max: 11, noTrimming: true})
		v.text("enterprise_id", in.EnterpriseID, charField{max: 32, noTrimming: true})
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := *in
	if body.EnterpriseID == "" {
		me, resp, err := s.Me(ctx, callOpts...)
		if err != nil {
			return nil, resp, fmt.Errorf("rainbond: finding the token user's enterprise: %w", err)
		}
		body.EnterpriseID = me.EnterpriseID
	}
	payload := struct {
		*UserCreate
		Password string `json:"password"`
		IsActive bool   `json:"is_active"`
	}{&body, body.Password.Value(), !body.Inactive}
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: "/users", body: &payload, secret: body.Password.Value(), opts: callOpts, since: sinceUsers}, nil)
	if err != nil {
		return nil, resp, mark(err, ErrUserExists, "", func(e *APIError) bool {
			return e.Msg == "email already exists" || strings.Contains(e.Msg, "ExistError") || e.StatusCode == http.StatusConflict
		})
	}
	for u, err := range s.All(ctx, &ListOptions{Query: body.NickName}, callOpts...) {
		if err != nil {
			return nil, resp, fmt.Errorf("rainbond: user %s was created, but reading it back failed: %w", oneLine(body.NickName, 40), err)
		}
		if u.NickName == body.NickName && u.EnterpriseID == body.EnterpriseID {
			return &u, resp, nil
		}
	}
	return nil, resp, fmt.Errorf("rainbond: user %s was created, but the console does not list it", oneLine(body.NickName, 40))
}

// userNotFound reads the console's answers for a user it does not have:
// a 404, or the 500 of the lookup it does not catch (DoesNotExist).
func userNotFound(err error) error {
	return mark(err, ErrNotFound, "no such user", func(e *APIError) bool {
		return e.StatusCode == http.StatusInternalServerError && strings.Contains(e.Msg, "matching query does not exist")
	})
}

// Get returns user userID, of any enterprise.
//
// It calls GET /openapi/v1/users/{user_id} (consoles since v5.1.6).
// [ErrNotFound] for an unknown user (the console answers a 500).
func (s *UsersService) Get(ctx context.Context, userID int64, callOpts ...CallOption) (*User, *Response, error) {
	v := s.client.validator(ctx)
	v.id("user_id", "user", userID)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	user, resp, err := s.get(ctx, strconv.FormatInt(userID, 10), callOpts)
	if err == nil && user.UserID != userID {
		// No user has the id: the console then looked for a user named
		// so in the token user's enterprise, and found one.
		return nil, resp, fmt.Errorf("%w: no user %d (the console answered user %d, named %q)", ErrNotFound, userID, user.UserID, oneLine(user.NickName, 40))
	}
	return user, resp, err
}

// GetByName returns the user of the token user's enterprise whose login
// name is nickName.
//
// It calls GET /openapi/v1/users/{nick_name} (consoles since v5.1.6).
// The console reads a name of digits only as a user id first; the SDK
// checks the name of the user answered, so such a name is [ErrNotFound]
// rather than another user. [ErrNotFound] for an unknown name.
func (s *UsersService) GetByName(ctx context.Context, nickName string, callOpts ...CallOption) (*User, *Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("nick_name", nickName)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	user, resp, err := s.get(ctx, nickName, callOpts)
	if err == nil && user.NickName != nickName {
		return nil, resp, fmt.Errorf("%w: the console took %q for user id %d (%s): a name of digits cannot be looked up",
			ErrNotFound, oneLine(nickName, 40), user.UserID, oneLine(user.NickName, 40))
	}
	return user, resp, err
}

func (s *UsersService) get(ctx context.Context, segment string, callOpts []CallOption) (*User, *Response, error) {
	out := new(User)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: "/users/" + url.PathEscape(segment), opts: callOpts, since: sinceUsers}, out)
	if err != nil {
		return nil, resp, userNotFound(err)
	}
	return out, resp, nil
}

// UserUpdate is the body of [UsersService.Update]: nil members are left
// alone.
type UserUpdate struct {
	// Password sets the password (8 to 16 characters).
	Password Secret
	// Email changes the email. It needs Password too: the console hashes
	// the password with the email, so an email changed alone leaves the
	// user unable to log in.
	Email *string
	// Phone changes the phone ("" clears it).
	Phone *string
	// RealName changes the display name (at most 64 characters).
	RealName *string
	// Active lets the user log in, or not.
	Active *bool
}

// Update changes user userID and returns it as the console then holds it.
//
// It calls GET /openapi/v1/users/{user_id} (the console answers success
// for an unknown user: the SDK checks first, [ErrNotFound]), PUT on the
// same path, and GET again (consoles since v5.1.6).
func (s *UsersService) Update(ctx context.Context, userID int64, in *UserUpdate, callOpts ...CallOption) (*User, *Response, error) {
	v := s.client.validator(ctx)
	v.id("user_id", "user", userID)
	body := map[string]any{}
	if in == nil {
		v.add("body", "nil *UserUpdate")
	} else {
		body = in.body(&v)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	if _, resp, err := s.Get(ctx, userID, callOpts...); err != nil {
		return nil, resp, err
	}
	path := "/users/" + strconv.FormatInt(userID, 10)
	resp, err := s.client.do(ctx, &request{method: http.MethodPut, path: path, body: body, secret: in.Password.Value(), opts: callOpts, since: sinceUsers}, nil)
	if err != nil {
		return nil, resp, userNotFound(err)
	}
	return s.Get(ctx, userID, callOpts...)
}

// body checks an update and builds what is sent.
func (u *UserUpdate) body(v *validator) map[string]any {
	body := map[string]any{}
	if !u.Password.IsZero() {
		v.password("password", u.Password)
		body["password"] = u.Password.Value()
	}
	if u.Email != nil {
		v.email("email", *u.Email)
		if u.Password.IsZero() {
			v.add("email", "needs Password too: the console hashes the password with the email, so changing the email alone locks the user out")
		}
		body["email"] = *u.Email
	}
	if u.Phone != nil {
		v.text("phone", *u.Phone, charField{max: 11, noTrimming: true})
		body["phone"] = *u.Phone
	}
	if u.RealName != nil {
		v.text("real_name", *u.RealName, charField{max: 64, noTrimming: true})
		body["real_name"] = *u.RealName
	}
	if u.Active != nil {
		body["is_active"] = *u.Active
	}
	if len(body) == 0 {
		v.add("body", "nothing to change")
	}
	return body
}

// Delete deletes user userID, of any enterprise, with its team
// memberships and roles; the teams it created stay.
//
// It calls DELETE /openapi/v1/users/{user_id} (consoles since v5.1.6).
// [ErrNotFound] for an unknown user.
func (s *UsersService) Delete(ctx context.Context, userID int64, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	v.id("user_id", "user", userID)
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.client.do(ctx, &request{method: http.MethodDelete, path: "/users/" + strconv.FormatInt(userID, 10), opts: callOpts, since: sinceUsers}, nil)
}

// SetPassword sets the password of user userID, of the token user's
// enterprise. No old password is asked for.
//
// It calls PUT /openapi/v1/users/{user_id}/changepwd (consoles since
// v5.2.1; the console reads the user from the body, which the SDK fills
// the same). [ErrNotFound] for a user of no such id in the enterprise.
func (s *UsersService) SetPassword(ctx context.Context, userID int64, password Secret, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	v.id("user_id", "user", userID)
	v.password("password", password)
	if err := v.err(); err != nil {
		return nil, err
	}
	body := map[string]any{"user_id": userID, "password": password.Value(), "password1": password.Value()}
	path := "/users/" + strconv.FormatInt(userID, 10) + "/changepwd"
	return s.client.do(ctx, &request{method: http.MethodPut, path: path, body: body, secret: password.Value(), opts: callOpts, since: sinceChangePwd}, nil)
}

// SetOwnPassword sets the token user's password. No old password is asked
// for.
//
// It calls PUT /openapi/v1/changepwd (consoles since v5.2.1).
func (s *UsersService) SetOwnPassword(ctx context.Context, password Secret, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	v.password("password", password)
	if err := v.err(); err != nil {
		return nil, err
	}
	body := map[string]string{"password": password.Value(), "password1": password.Value()}
	return s.client.do(ctx, &request{method: http.MethodPut, path: "/changepwd", body: body, secret: password.Value(), opts: callOpts, since: sinceChangePwd}, nil)
}

// StopTeams stops every component, in every region, of every team user
// userID created (in any enterprise). The console's billing uses it for a
// user out of credit.
//
// It calls GET /openapi/v1/users/{user_id} (the console answers an
// unknown user with a bare 500: the SDK checks first, [ErrNotFound]),
// then GET /openapi/v1/users/{user_id}/close (consoles since v6.2.0): a
// GET that changes things, so it is sent once, never retried. Failures in
// a region are not reported by the console.
func (s *UsersService) StopTeams(ctx context.Context, userID int64, callOpts ...CallOption) (*Response, error) {
	return s.teamsAction(ctx, userID, "/close", callOpts)
}

// DeleteTeamApps deletes every app, with its components, Kubernetes
// resources and configuration, of every team user userID created (in any
// enterprise). The teams themselves stay. There is no undo.
//
// It calls GET /openapi/v1/users/{user_id} (see [UsersService.StopTeams]),
// then GET /openapi/v1/users/{user_id}/delete (consoles since v6.2.0),
// sent once, never retried.
func (s *UsersService) DeleteTeamApps(ctx context.Context, userID int64, callOpts ...CallOption) (*Response, error) {
	return s.teamsAction(ctx, userID, "/delete", callOpts)
}

func (s *UsersService) teamsAction(ctx context.Context, userID int64, suffix string, callOpts []CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	v.id("user_id", "user", userID)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, resp, err := s.Get(ctx, userID, callOpts...); err != nil {
		return resp, err
	}
	path := "/users/" + strconv.FormatInt(userID, 10) + suffix
	return s.client.do(ctx, &request{method: http.MethodGet, path: path, once: true, opts: callOpts, since: sinceUserTeams}, nil)
}

package rainbondtest

import (
	"fmt"
	"slices"
	"strings"
)

// User is a user of the console (a Users row). The server starts with
// user 1, "admin", an administrator of the enterprise and the user of
// [Server.Token].
type User struct {
	// UserID is the user's id; assigned by the server.
	UserID int
	// NickName is the login name, unique in the user's enterprise.
	NickName string
	// Email is the address; "<nick>@example.com" when empty.
	Email string
	// Phone and RealName are the phone number and display name; "" is
	// stored as null.
	Phone, RealName string
	// EnterpriseID is the user's enterprise; empty means the server's.
	// A user of an enterprise that does not exist is refused by every
	// route with 404 code 1000.
	EnterpriseID string
	// Password, when set, is the user's password (see CheckPassword).
	// Users never returns it.
	Password string
	// Inactive marks the user as not active (is_active false).
	Inactive bool
	// Admin makes (or, from Users, reports) the user an administrator
	// of its enterprise.
	Admin bool
}

// AddUser adds a user and returns it with its id, and a new API token of
// that user.
func (s *Server) AddUser(u User) (User, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.NickName == "" {
		return User{}, "", fmt.Errorf("rainbondtest: a user needs a nick name")
	}
	if u.EnterpriseID == "" {
		u.EnterpriseID = s.state.enterpriseID
	}
	if u.Email == "" {
		u.Email = u.NickName + "@example.com"
	}
	if s.state.userNamed(u.NickName, u.EnterpriseID) != nil {
		return User{}, "", fmt.Errorf("rainbondtest: user %q exists in enterprise %s", u.NickName, u.EnterpriseID)
	}
	p := &s.state.platform
	stored := &user{
		id: p.nextUserID, email: u.Email, nick: ptr(u.NickName), realName: nullable(u.RealName), phone: nullable(u.Phone),
		active: !u.Inactive, created: s.now(), enterpriseID: u.EnterpriseID,
	}
	if u.Password != "" {
		stored.hashInput = u.Email + u.Password
	}
	p.nextUserID++
	p.users = append(p.users, stored)
	if u.Admin {
		p.perms = append(p.perms, &adminPerm{userID: stored.id, enterpriseID: u.EnterpriseID, identity: "admin"})
	}
	token := "rbd-test-token-" + s.newID()
	p.tokens[token] = stored.id
	u.UserID, u.Password = stored.id, ""
	return u, token, nil
}

// Users returns the users, by id; Admin says whether a user has an
// administrator row of its enterprise.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.state.platform.users))
	for _, u := range s.state.platform.users {
		admin := slices.ContainsFunc(s.state.platform.perms, func(p *adminPerm) bool {
			return p.userID == u.id && p.enterpriseID == u.enterpriseID && strings.Contains(p.identity, "admin")
		})
		out = append(out, User{
			UserID: u.id, NickName: deref(u.nick), Email: u.email, Phone: deref(u.phone), RealName: deref(u.realName),
			EnterpriseID: u.enterpriseID, Inactive: !u.active, Admin: admin,
		})
	}
	return out
}

// CheckPassword reports whether password logs user userID in, as the
// console checks it: its hash is of the email and the password, so an
// email changed without the password makes the old password fail.
func (s *Server) CheckPassword(userID int, password string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.state.userByID(int64(userID))
	return u != nil && u.hashInput != "" && u.hashInput == u.email+password
}

package rainbond

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// validator collects every problem of a request before anything is sent,
// applying the console's own rules (its serializers and URL patterns), so
// that a user gets one clear error instead of the console's 400, or the
// traceback of its 500 for the copy body it does not validate.
type validator struct {
	problems []Problem
}

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, Problem{Field: field, Reason: fmt.Sprintf(format, args...)})
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

func (v *validator) context(ctx context.Context) {
	if ctx == nil {
		v.add("ctx", "nil context")
	}
}

// pathSegment checks a team id or region name. The console's routes accept
// only word characters and hyphens ([\w\-]+, where Python's \w also admits
// non-ASCII letters and digits); anything else can never match a route, so
// it is refused here. That also rules out ".", "..", "/", "?", "#" and "%".
func (v *validator) pathSegment(field, value string) {
	if value == "" {
		v.add(field, "required")
		return
	}
	if !utf8.ValidString(value) || strings.ContainsFunc(value, notWordOrHyphen) {
		v.add(field, "%q: only letters, digits, '_' and '-' can appear in the console's URLs", value)
	}
}

func notWordOrHyphen(r rune) bool {
	return !(r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsNumber(r))
}

// id checks an app id: the console's ids are positive integers.
func (v *validator) id(field string, id int64) {
	if id <= 0 {
		v.add(field, "%d: must be a positive app id", id)
	}
}

// text checks a string the way the console's CharField does: spaces around
// it are trimmed, then it must not be blank (when required) and must not be
// longer than max characters (Python counts code points, as done here).
// Values are never echoed, so a secret cannot leak through the error.
func (v *validator) text(field, value string, required bool, max int) {
	trimmed := strings.TrimSpace(value)
	switch {
	case trimmed == "" && required:
		v.add(field, "required")
	case trimmed == "" && value != "":
		v.add(field, "blank (only spaces)")
	case !utf8.ValidString(value):
		v.add(field, "not valid UTF-8")
	case utf8.RuneCountInString(trimmed) > max:
		v.add(field, "longer than %d characters", max)
	}
}

func (v *validator) install(in *Install) {
	if in == nil {
		v.add("body", "nil *Install")
		return
	}
	v.text("market_url", in.MarketURL, true, 255)
	v.text("market_domain", in.MarketDomain, true, 64)
	v.text("market_type", in.marketType(), true, 64)
	// Absent is fine (sent as null for a public store); "" is not sent.
	v.text("market_access_key", in.MarketAccessKey, false, 64)
	v.text("app_model_id", in.AppModelID, true, 64)
	v.text("app_model_version", in.AppModelVersion, true, 64)
}

// appCopy checks a copy body. The console does not validate it at all and
// answers a bad one with a 500 traceback.
func (v *validator) appCopy(c *AppCopyC, wholeApp bool) {
	if c == nil {
		v.add("body", "nil *AppCopyC")
		return
	}
	switch {
	case wholeApp && len(c.Services) > 0:
		v.add("services", "must be empty to copy every component; use CopyApp to copy some")
	case !wholeApp && len(c.Services) == 0:
		v.add("services", "empty: the console would copy every component of the app; call CopyAllComponents to do that deliberately")
	}
	seen := make(map[string]int, len(c.Services))
	for i, s := range c.Services {
		field := "services[" + strconv.Itoa(i) + "]"
		v.text(field+".service_id", s.ServiceID, true, 32)
		if first, dup := seen[s.ServiceID]; dup && s.ServiceID != "" {
			v.add(field+".service_id", "same component as services[%d]", first)
		} else {
			seen[s.ServiceID] = i
		}
		v.copyChange(field+".change", s.Change)
	}
	v.text("target_team_name", c.TargetTeamName, true, 32)
	v.text("target_region_name", c.TargetRegionName, true, 32)
	v.id("target_app_id", c.TargetAppID)
}

func (v *validator) copyChange(field string, ch *AppCopyChange) {
	if ch == nil {
		return
	}
	if bs := ch.BuildSource; bs != nil && bs.Version != nil {
		v.text(field+".build_source.version", *bs.Version, true, 32)
	}
	for name := range ch.Envs {
		if strings.TrimSpace(name) == "" {
			v.add(field+".envs", "a variable name is empty")
		}
	}
}

// Path building. Segments are checked by the validator and escaped all the
// same, so that a request can never reach another path.

// teamRegionPath is /teams/{team}/regions/{region} followed by suffix.
func teamRegionPath(v *validator, teamID, regionName, suffix string) string {
	v.pathSegment("team_id", teamID)
	v.pathSegment("region_name", regionName)
	return "/teams/" + url.PathEscape(teamID) + "/regions/" + url.PathEscape(regionName) + suffix
}

// appPath is /teams/{team}/regions/{region}/apps/{app} followed by suffix,
// built in one concatenation: it is on the path of every call.
func appPath(v *validator, teamID, regionName string, appID int64, suffix string) string {
	v.pathSegment("team_id", teamID)
	v.pathSegment("region_name", regionName)
	v.id("app_id", appID)
	return "/teams/" + url.PathEscape(teamID) + "/regions/" + url.PathEscape(regionName) +
		"/apps/" + strconv.FormatInt(appID, 10) + suffix
}

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
	// redact keeps the client's token (and a request's secret) out of the
	// problems, should a caller pass one where it does not belong.
	redact redactor
}

// validator starts checking a call's input. It is a value, so that it
// stays on the stack.
func (c *Client) validator(ctx context.Context) validator {
	v := validator{redact: c.creds().forms}
	v.context(ctx)
	return v
}

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, Problem{Field: v.redact.string(field), Reason: v.redact.string(fmt.Sprintf(format, args...))})
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

// maxPathSegment bounds a team id or region name in a URL. The console's
// columns hold 64 characters (Tenants.tenant_name, RegionConfig.region_name)
// and its ids 32, so a longer segment can never name anything.
const maxPathSegment = 64

// pathSegment checks a team id or region name. The console's routes accept
// only word characters and hyphens ([\w\-]+, where Python's \w also admits
// non-ASCII letters and digits); anything else can never match a route, so
// it is refused here. That also rules out ".", "..", "/", "?", "#" and "%".
func (v *validator) pathSegment(field, value string) {
	switch {
	case value == "":
		v.add(field, "required")
	case !utf8.ValidString(value) || strings.ContainsFunc(value, notWordOrHyphen):
		v.add(field, "%q: only letters, digits, '_' and '-' can appear in the console's URLs", oneLine(value, 80))
	case utf8.RuneCountInString(value) > maxPathSegment:
		v.add(field, "longer than %d characters: the console holds no such name", maxPathSegment)
	}
}

func notWordOrHyphen(r rune) bool {
	return !(r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsNumber(r))
}

// id checks the id of a kind of thing ("app", "user"...): the console's
// ids are positive integers.
func (v *validator) id(field, kind string, id int64) {
	if id <= 0 {
		v.add(field, "%d: must be a positive %s id", id, kind)
	}
}

// isPySpace is Python's str.isspace: Go's unicode.IsSpace, plus the
// information separators U+001C–U+001F, which Python's str.strip() removes
// too (DRF's CharField trims with it).
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// pyStrip is Python's str.strip().
func pyStrip(s string) string {
	return strings.TrimFunc(s, isPySpace)
}

// charField says how a DRF CharField treats a string.
type charField struct {
	required   bool // blank after trimming is refused (DRF's allow_blank=False)
	max        int  // characters (code points), counted after trimming
	noTrimming bool // the console uses the value as sent: surrounding spaces are refused
	// keepSpaces: the console trims the value, but its spaces matter (a
	// password): surrounding spaces are refused, since the console would
	// store another value than the one given.
	keepSpaces bool
}

// text checks a string the way the console's DRF CharField does: NUL
// characters are refused (ProhibitNullCharactersValidator); surrounding
// whitespace, by Python's definition, is trimmed; then the value must not
// be blank when required and must fit in max characters. Where the
// console does not trim (a body it never validates), a padded value is
// refused rather than sent as something other than what was checked.
// Values are never echoed, so a secret cannot leak through the error.
func (v *validator) text(field, value string, rule charField) {
	trimmed := pyStrip(value)
	switch {
	case !utf8.ValidString(value):
		v.add(field, "not valid UTF-8")
	case strings.IndexByte(value, 0) >= 0:
		v.add(field, "contains a NUL character")
	case value == "" && rule.required:
		v.add(field, "required")
	case trimmed == "" && rule.required:
		v.add(field, "blank (only whitespace)")
	case rule.noTrimming && trimmed != value:
		v.add(field, "has spaces around it, which the console would not remove")
	case rule.keepSpaces && trimmed != value:
		v.add(field, "has spaces around it, which the console would remove: it would store another value than the one given")
	case utf8.RuneCountInString(trimmed) > rule.max:
		v.add(field, "longer than %d characters", rule.max)
	}
}

func (v *validator) install(in *Install) {
	if in == nil {
		v.add("body", "nil *Install")
		return
	}
	v.text("market_url", in.MarketURL, charField{required: true, max: 255})
	v.text("market_domain", in.MarketDomain, charField{required: true, max: 64})
	v.text("market_type", in.marketType(), charField{required: true, max: 64})
	v.text("app_model_id", in.AppModelID, charField{required: true, max: 64})
	v.text("app_model_version", in.AppModelVersion, charField{required: true, max: 64})
	// Empty is sent as null (a public store); otherwise it must not be
	// blank: the console allows null, not "".
	if !in.MarketAccessKey.IsZero() {
		v.text("market_access_key", in.MarketAccessKey.Value(), charField{required: true, max: 64})
	}
}

// Limits of the copy body, which the console does not validate: its
// values are looked up as they are.
const (
	maxServiceID  = 32 // TenantServiceInfo.service_id
	maxCopyTarget = 64 // Tenants.tenant_name, RegionConfig.region_name
)

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
		v.text(field+".service_id", s.ServiceID, charField{required: true, max: maxServiceID, noTrimming: true})
		if first, dup := seen[s.ServiceID]; dup && s.ServiceID != "" {
			v.add(field+".service_id", "same component as services[%d]", first)
		} else {
			seen[s.ServiceID] = i
		}
		v.copyChange(field+".change", s.Change)
	}
	v.text("target_team_name", c.TargetTeamName, charField{required: true, max: maxCopyTarget, noTrimming: true})
	v.text("target_region_name", c.TargetRegionName, charField{required: true, max: maxCopyTarget, noTrimming: true})
	v.id("target_app_id", "app", c.TargetAppID)
}

func (v *validator) copyChange(field string, ch *AppCopyChange) {
	if ch == nil {
		return
	}
	// The one part of the copy body the console validates
	// (AppChangeBuildSourceSerializer): trimmed, not blank, at most 32.
	if bs := ch.BuildSource; bs != nil && bs.Version != nil {
		v.text(field+".build_source.version", *bs.Version, charField{required: true, max: 32})
	}
	for name, value := range ch.Envs {
		switch {
		case pyStrip(name) == "":
			v.add(field+".envs", "a variable name is empty")
		case !utf8.ValidString(name) || !utf8.ValidString(value):
			v.add(field+".envs", "not valid UTF-8")
		case strings.IndexByte(name, 0) >= 0 || strings.IndexByte(value, 0) >= 0:
			v.add(field+".envs", "contains a NUL character")
		}
	}
}

// appName is the console's pattern for app names (check_app_name in
// console/services/group_service.py): letters, digits, '_', '.', '-' and
// the CJK ideographs U+4E00–U+9FA5.
func appNameRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') ||
		r >= 0x4e00 && r <= 0x9fa5
}

func (v *validator) appPost(app *AppPostInfo) {
	if app == nil {
		v.add("body", "nil *AppPostInfo")
		return
	}
	before := len(v.problems)
	v.text("app_name", app.AppName, charField{required: true, max: 128})
	if len(v.problems) == before && strings.ContainsFunc(pyStrip(app.AppName), func(r rune) bool { return !appNameRune(r) }) {
		v.add("app_name", "only letters, digits, '_', '.', '-' and Chinese characters are allowed")
	}
	v.text("app_note", app.AppNote, charField{max: 2048})
	if app.K8sApp != "" {
		v.text("k8s_app", app.K8sApp, charField{required: true, max: 64, noTrimming: true})
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
	v.id("app_id", "app", appID)
	return "/teams/" + url.PathEscape(teamID) + "/regions/" + url.PathEscape(regionName) +
		"/apps/" + strconv.FormatInt(appID, 10) + suffix
}

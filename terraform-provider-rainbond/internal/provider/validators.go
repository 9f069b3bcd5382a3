package provider

import (
	"context"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The few validators the schemas need, checked at plan time so that a
// mistake is reported before anything is sent. The SDK checks every
// request again by the console's rules.

// stringLength checks a string's length in characters.
type stringLength struct{ min, max int }

// lengthBetween checks that a string has min to max characters.
func lengthBetween(min, max int) validator.String { return stringLength{min, max} }

// Description says what the validator checks.
func (v stringLength) Description(context.Context) string {
	return fmt.Sprintf("must be %d to %d characters long", v.min, v.max)
}

// MarkdownDescription is Description.
func (v stringLength) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateString checks the value when it is known.
func (v stringLength) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := utf8.RuneCountInString(req.ConfigValue.ValueString()); n < v.min || n > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid length",
			fmt.Sprintf("%s %s; it has %d.", req.Path, v.Description(ctx), n))
	}
}

// stringPattern checks a string against a regular expression.
type stringPattern struct {
	re   *regexp.Regexp
	what string
}

// matches checks that a string matches re; what says in words what it
// must be.
func matches(re *regexp.Regexp, what string) validator.String { return stringPattern{re, what} }

// Description says what the validator checks.
func (v stringPattern) Description(context.Context) string { return "must be " + v.what }

// MarkdownDescription is Description.
func (v stringPattern) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateString checks the value when it is known.
func (v stringPattern) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !v.re.MatchString(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
			fmt.Sprintf("%s %s, not %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// int64Range checks that a number is within bounds.
type int64Range struct{ min, max int64 }

// between checks that a number is from min to max.
func between(min, max int64) validator.Int64 { return int64Range{min, max} }

// Description says what the validator checks.
func (v int64Range) Description(context.Context) string {
	return fmt.Sprintf("must be from %d to %d", v.min, v.max)
}

// MarkdownDescription is Description.
func (v int64Range) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateInt64 checks the value when it is known.
func (v int64Range) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := req.ConfigValue.ValueInt64(); n < v.min || n > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Value out of range",
			fmt.Sprintf("%s %s, not %d.", req.Path, v.Description(ctx), n))
	}
}

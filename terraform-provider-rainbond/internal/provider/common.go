package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	rainbond "github.com/rbdkit/rainbond-go"
)

// clientHolder gives a resource or data source the provider's client; its
// Configure is shared by all of them.
type clientHolder struct {
	client *rainbond.Client
}

// configure takes the client out of the provider's data (nil before the
// provider is configured, e.g. during validation).
func (h *clientHolder) configure(data any, diags *diag.Diagnostics) {
	if data == nil {
		return
	}
	c, ok := data.(*rainbond.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected a *rainbond.Client, got %T. This is a bug in the provider.", data))
		return
	}
	h.client = c
}

// Configure receives the provider's client (resource.ResourceWithConfigure).
func (h *clientHolder) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	h.configure(req.ProviderData, &resp.Diagnostics)
}

// dataSourceClient gives a data source the provider's client.
type dataSourceClient struct {
	clientHolder
}

// Configure receives the provider's client (datasource.DataSourceWithConfigure).
func (h *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	h.configure(req.ProviderData, &resp.Diagnostics)
}

// isNotFound reports an error that says the thing is gone: the state
// drops it, a delete counts it done.
func isNotFound(err error) bool {
	return errors.Is(err, rainbond.ErrNotFound)
}

// maybeSent reports a create whose request may have reached the console
// although no answer came: look for what it may have created before
// creating again.
func maybeSent(err error) bool {
	var te *rainbond.TransportError
	return errors.As(err, &te) && te.MaybeSent
}

// addCallError reports a failed SDK call. The SDK redacts its own secrets
// (the token, and every rainbond.Secret of a request, such as a private
// key or an access key) from the errors it returns, so they are shown as
// they are. Values that are no SDK secret, a component's variables, are
// not redacted by the SDK: scrub them out first (scrubValues).
func addCallError(diags *diag.Diagnostics, what string, err error) {
	diags.AddError("Rainbond: cannot "+what, err.Error())
}

// redacted is what scrubValues puts in place of a value.
const redacted = "[REDACTED]"

// scrubValues is err with each of values, as written and as a JSON
// string writes it (the console echoes what it was sent as JSON),
// replaced by [REDACTED]; nil for nil. errors.Is and errors.As still see
// err.
func scrubValues(err error, values []string) error {
	if err == nil {
		return nil
	}
	var forms []string
	for _, v := range values {
		if v == "" {
			continue
		}
		forms = append(forms, v)
		for _, html := range []bool{true, false} {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(html)
			if enc.Encode(v) == nil {
				if j := strings.TrimSuffix(b.String(), "\n"); len(j) > 2 {
					forms = append(forms, j[1:len(j)-1])
				}
			}
		}
	}
	// The longest first: a value inside another is not left half-replaced.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	msg := err.Error()
	for _, f := range forms {
		msg = strings.ReplaceAll(msg, f, redacted)
	}
	return &scrubbedError{msg: msg, err: err}
}

// scrubbedError is an error whose text had values scrubbed out.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// splitImportID splits an import id of the form the names give
// ("team_id/region/app_id") into its parts, each non-empty, with the
// spaces around them trimmed.
func splitImportID(id string, names ...string) ([]string, error) {
	parts := strings.Split(id, "/")
	if len(parts) != len(names) {
		return nil, fmt.Errorf("the import id %q is not of the form %s", id, strings.Join(names, "/"))
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return nil, fmt.Errorf("the import id %q has an empty %s (the form is %s)", id, names[i], strings.Join(names, "/"))
		}
	}
	return parts, nil
}

// numericIDs are the import id parts that are console numbers, set in the
// state as such.
var numericIDs = []string{"app_id", "certificate_id"}

// importIDs imports a resource by an id of the form the names give
// ("team_id/region/app_id"): each part, trimmed, is set in the state
// under its name, app_id and certificate_id as numbers. An id of another
// form is an error naming the form.
func importIDs(ctx context.Context, id string, resp *resource.ImportStateResponse, names ...string) {
	parts, err := splitImportID(id, names...)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	values := make([]any, len(parts))
	for i, name := range names {
		values[i] = parts[i]
		if slices.Contains(numericIDs, name) {
			n, err := parseID(name, parts[i])
			if err != nil {
				resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("In the import id %q, %v.", id, err))
				return
			}
			values[i] = n
		}
	}
	for i, name := range names {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), values[i])...)
	}
}

// parseID reads a console id (an app id, a certificate id) from text.
func parseID(name, s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s must be a positive whole number, not %q", name, s)
	}
	return n, nil
}

// stopAndWait stops the components ids of app appID and waits until
// they are closed; components never deployed or already closed are left
// as they are. The console refuses to delete a component, an app or a team
// while a component runs.
func stopAndWait(ctx context.Context, c *rainbond.Client, team, region string, appID int64, ids []string) error {
	comps, _, err := c.Apps.ListComponents(ctx, team, region, appID)
	if err != nil {
		return err
	}
	var running []string
	for _, comp := range comps {
		if !wanted(ids, comp.ServiceID) {
			continue
		}
		if comp.Status != rainbond.ComponentClosed && comp.Status != rainbond.ComponentUndeploy {
			running = append(running, comp.ServiceID)
		}
	}
	if len(running) == 0 {
		return nil
	}
	_, err = c.Apps.OperateAndWait(ctx, team, region, appID,
		&rainbond.AppOperation{Action: rainbond.ActionStop, ServiceIDs: running}, nil)
	return err
}

// wanted reports whether id is among ids; nil ids want every id.
func wanted(ids []string, id string) bool {
	if ids == nil {
		return true
	}
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// stateSetter is the part of tfsdk.State a read writes to: the new state,
// or its removal when the console no longer has the thing.
type stateSetter interface {
	Set(context.Context, any) diag.Diagnostics
	RemoveResource(context.Context)
}

// stopAndDelete stops the components ids of app appID, waits until they
// are closed, and deletes them, in order. What is already gone (the app,
// a component) counts as deleted. The error says which step failed.
func stopAndDelete(ctx context.Context, c *rainbond.Client, team, region string, appID int64, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := stopAndWait(ctx, c, team, region, appID, ids); err != nil {
		if isNotFound(err) {
			return nil // the app is gone, and its components with it
		}
		return fmt.Errorf("stopping before deleting: %w", err)
	}
	for _, id := range ids {
		if _, err := c.Components.Delete(ctx, team, region, appID, id, nil); err != nil && !isNotFound(err) {
			return fmt.Errorf("deleting component %s: %w", id, err)
		}
	}
	return nil
}

// adoptLost looks, after a create whose answer was lost (cause), for what
// it made: the ids list gives now that before lacked. The one new id is
// adopted with a warning. None means the create never happened: an error
// says so and that applying again is safe. Several, or a list that fails,
// is an error telling how to set things right by hand. what names the
// thing created, e.g. `team "ops"`.
func adoptLost[ID comparable](ctx context.Context, what string, cause error, before []ID, list func(context.Context) ([]ID, error), diags *diag.Diagnostics) (ID, bool) {
	var zero ID
	after, err := list(ctx)
	if err != nil {
		diags.AddError("Rainbond: the "+what+" may have been created",
			fmt.Sprintf("Creating the %s got no answer (%v), and listing what it may have made failed: %v. "+
				"Look for it in the console, and import it if it is there, before applying again.", what, cause, err))
		return zero, false
	}
	var created []ID
	for _, id := range after {
		if !slices.Contains(before, id) && !slices.Contains(created, id) {
			created = append(created, id)
		}
	}
	switch len(created) {
	case 0:
		diags.AddError("Rainbond: the create of the "+what+" got no answer",
			fmt.Sprintf("Creating the %s got no answer (%v), and the console holds no new one: nothing was created. "+
				"Apply again.", what, cause))
		return zero, false
	case 1:
		diags.AddWarning("Rainbond: adopted the "+what+" created without an answer",
			fmt.Sprintf("Creating the %s got no answer (%v); the one it created, %v, is used.", what, cause, created[0]))
		return created[0], true
	}
	diags.AddError("Rainbond: the "+what+" may have been created more than once",
		fmt.Sprintf("Creating the %s got no answer (%v), and the console now holds %d new ones (%v). "+
			"Delete the extra ones, import the one to keep, then apply again.", what, cause, len(created), created))
	return zero, false
}

// listTeams lists the teams the token's user belongs to; with a display
// name, only the teams of exactly that name. The console's search
// (ListOptions.Query) narrows the list first when it can take the name
// (it cannot take '"' or '\'), but matches more than the name: the
// caller's own nick name matches every team.
func listTeams(ctx context.Context, c *rainbond.Client, displayName *string) ([]rainbond.TeamInfo, error) {
	opts := &rainbond.ListOptions{PageSize: 100}
	if displayName != nil && !strings.ContainsAny(*displayName, `"\`) {
		opts.Query = *displayName
	}
	var teams []rainbond.TeamInfo
	for t, err := range c.Teams.All(ctx, opts) {
		if err != nil {
			return nil, err
		}
		if displayName == nil || t.TenantAlias == *displayName {
			teams = append(teams, t)
		}
	}
	return teams, nil
}

// optionalString is an optional attribute's new value: null when the
// console's value is empty and the attribute was null, the console's
// value otherwise.
func optionalString(prior types.String, console string) types.String {
	if console == "" && prior.IsNull() {
		return types.StringNull()
	}
	return types.StringValue(console)
}

// setStrings reads a set of strings, sorted; nil when null or unknown.
func setStrings(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	sort.Strings(out)
	return out
}

// setDifference is the items of a that b lacks, in a's order.
func setDifference(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

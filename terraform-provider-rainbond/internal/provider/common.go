package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

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

// addCallError reports a failed SDK call. The SDK's errors carry the
// console's message with every secret redacted, so they are shown as
// they are.
func addCallError(diags *diag.Diagnostics, what string, err error) {
	diags.AddError("Rainbond: cannot "+what, err.Error())
}

// splitImportID splits an import id of the form the names give
// ("team_id/region/app_id") into its parts, each non-empty.
func splitImportID(id string, names ...string) ([]string, error) {
	parts := strings.Split(id, "/")
	if len(parts) != len(names) {
		return nil, fmt.Errorf("the import id %q is not of the form %s", id, strings.Join(names, "/"))
	}
	for i, p := range parts {
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("the import id %q has an empty %s (the form is %s)", id, names[i], strings.Join(names, "/"))
		}
	}
	return parts, nil
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

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestAdoptLostTakesOnlyTheOneNewThing(t *testing.T) {
	cause := &rainbond.TransportError{MaybeSent: true}
	listing := func(ids ...string) func(context.Context) ([]string, error) {
		return func(context.Context) ([]string, error) { return ids, nil }
	}
	text := func(d diag.Diagnostics) string {
		var b strings.Builder
		for _, x := range d {
			fmt.Fprintf(&b, "%s: %s\n", x.Summary(), x.Detail())
		}
		return b.String()
	}
	before := []string{"old"}

	var diags diag.Diagnostics
	id, ok := adoptLost(context.Background(), `team "ops"`, cause, before, listing("old", "new"), &diags)
	if !ok || id != "new" || diags.HasError() || len(diags.Warnings()) != 1 || !strings.Contains(text(diags), "new, is used") {
		t.Errorf("one new: %q, %v, %s", id, ok, text(diags))
	}

	diags = nil
	id, ok = adoptLost(context.Background(), `team "ops"`, cause, before, listing("old"), &diags)
	if ok || id != "" || !diags.HasError() || !strings.Contains(text(diags), "nothing was created. Apply again.") ||
		strings.Contains(text(diags), "import") {
		t.Errorf("none new: %q, %v; want an error saying nothing happened and to apply again, no import: %s", id, ok, text(diags))
	}

	diags = nil
	if _, ok = adoptLost(context.Background(), `team "ops"`, cause, before, listing("old", "a", "b", "a"), &diags); ok ||
		!strings.Contains(text(diags), "2 new ones ([a b])") || !strings.Contains(text(diags), "import the one to keep") {
		t.Errorf("two new: %v, %s", ok, text(diags))
	}

	diags = nil
	failing := func(context.Context) ([]int, error) { return nil, errors.New("list refused") }
	if _, ok = adoptLost(context.Background(), "install", cause, []int{1}, failing, &diags); ok ||
		!strings.Contains(text(diags), "list refused") || !strings.Contains(text(diags), "import it") {
		t.Errorf("a list that fails: %v, %s", ok, text(diags))
	}
}

func TestScrubValuesRemovesEveryFormOfTheValues(t *testing.T) {
	cause := &rainbond.APIError{StatusCode: 400}
	err := fmt.Errorf(`console said {"value": "p\"w<d>", "other": "hunter2hunter2"} for p"w<d>: %w`, cause)
	got := scrubValues(err, []string{`p"w<d>`, "hunter2", "hunter2hunter2", ""})
	if s := got.Error(); strings.Contains(s, "hunter2") || strings.Contains(s, "w<d>") || strings.Contains(s, `w\u003cd`) {
		t.Errorf("a value is left: %s", s)
	}
	if !strings.Contains(got.Error(), "console said") || !errors.Is(got, cause) {
		t.Errorf("the rest of the error is lost: %v", got)
	}
	if scrubValues(nil, []string{"x"}) != nil {
		t.Error("scrubbing no error made one")
	}
}

func TestImportIDsTrimAndParseEveryPart(t *testing.T) {
	ctx := context.Background()
	var sch resource.SchemaResponse
	NewHTTPRuleResource().Schema(ctx, resource.SchemaRequest{}, &sch)
	newResp := func() *resource.ImportStateResponse {
		return &resource.ImportStateResponse{State: tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(sch.Schema.Type().TerraformType(ctx), nil)}}
	}

	resp := newResp()
	importIDs(ctx, " t1 / rainbond / 7 / r9 ", resp, "team_id", "region", "app_id", "rule_id")
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var team, region, rule types.String
	var app types.Int64
	resp.State.GetAttribute(ctx, path.Root("team_id"), &team)
	resp.State.GetAttribute(ctx, path.Root("region"), &region)
	resp.State.GetAttribute(ctx, path.Root("app_id"), &app)
	resp.State.GetAttribute(ctx, path.Root("rule_id"), &rule)
	if team.ValueString() != "t1" || region.ValueString() != "rainbond" || app.ValueInt64() != 7 || rule.ValueString() != "r9" {
		t.Errorf("got %s/%s/%d/%s; want every part trimmed, app_id a number", team, region, app, rule)
	}

	for id, want := range map[string]string{
		"t/r/x/r9": "app_id must be a positive whole number",
		"t/r/7":    "team_id/region/app_id/rule_id",
		"t/ /7/r9": "empty region",
	} {
		resp := newResp()
		importIDs(ctx, id, resp, "team_id", "region", "app_id", "rule_id")
		if !resp.Diagnostics.HasError() || !strings.Contains(fmt.Sprint(resp.Diagnostics), want) {
			t.Errorf("%q: %v; want an error saying %q", id, resp.Diagnostics, want)
		}
	}
}

func TestListTeamsKeepsExactDisplayNames(t *testing.T) {
	srv := rainbondtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	must(t, err)
	ctx := context.Background()
	all, err := listTeams(ctx, c, nil)
	must(t, err)
	for _, name := range []string{"Ops", "Ops-2", `quo"te\s`} {
		_, _, err := c.Teams.Create(ctx, &rainbond.TeamCreate{TenantName: name})
		must(t, err)
	}
	for _, name := range []string{"Ops", `quo"te\s`} {
		teams, err := listTeams(ctx, c, &name)
		must(t, err)
		if len(teams) != 1 || teams[0].TenantAlias != name {
			t.Errorf("%q: got %+v; want the one team of exactly that name", name, teams)
		}
	}
	everyTeam, err := listTeams(ctx, c, nil)
	must(t, err)
	if len(everyTeam) != len(all)+3 {
		t.Errorf("no name: %d teams, want %d", len(everyTeam), len(all)+3)
	}
}

package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validString(v validator.String, s types.String) bool {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: s}, &resp)
	return !resp.Diagnostics.HasError()
}

func validMap(v validator.Map, m map[string]string) bool {
	elems := map[string]attr.Value{}
	for k, s := range m {
		elems[k] = types.StringValue(s)
	}
	var resp validator.MapResponse
	v.ValidateMap(context.Background(), validator.MapRequest{Path: path.Root("x"), ConfigValue: types.MapValueMust(types.StringType, elems)}, &resp)
	return !resp.Diagnostics.HasError()
}

func TestStringValidatorsCountCharactersAndSkipUnknowns(t *testing.T) {
	v := lengthBetween(1, 3)
	if !validString(v, types.StringValue("团队名")) || validString(v, types.StringValue("abcd")) || validString(v, types.StringValue("")) {
		t.Error("lengthBetween(1, 3) counts bytes, or lets too long or empty through")
	}
	if !validString(v, types.StringUnknown()) || !validString(v, types.StringNull()) {
		t.Error("an unknown or null value is refused at plan time")
	}
	m := matches(regexp.MustCompile(`^a+$`), "only a's")
	if !validString(m, types.StringValue("aaa")) || validString(m, types.StringValue("ab")) {
		t.Error("matches does not follow its pattern")
	}
}

func TestBetween(t *testing.T) {
	v := between(1, 100)
	for n, ok := range map[int64]bool{0: false, 1: true, 100: true, 101: false} {
		var resp validator.Int64Response
		v.ValidateInt64(context.Background(), validator.Int64Request{Path: path.Root("x"), ConfigValue: types.Int64Value(n)}, &resp)
		if resp.Diagnostics.HasError() == ok {
			t.Errorf("between(1, 100) on %d: accepted %v, want %v", n, !ok, ok)
		}
	}
}

func TestEnvNamesRefusesWhatTheConsoleWouldRefusePartWay(t *testing.T) {
	cases := []struct {
		envs map[string]string
		ok   bool
	}{
		{map[string]string{"MODE": "prod", "a_1": "x"}, true},
		{map[string]string{"PATH": "/bin"}, false}, // reserved
		{map[string]string{"1ST": "x"}, false},
		{map[string]string{"MY-VAR": "x"}, false},
		{map[string]string{"MODE": " padded "}, false}, // the console would store it trimmed
		{map[string]string{"MODE": ""}, false},
	}
	for _, c := range cases {
		if validMap(envNames{}, c.envs) != c.ok {
			t.Errorf("%v: accepted %v, want %v", c.envs, !c.ok, c.ok)
		}
	}
}

func TestPortKeys(t *testing.T) {
	for key, ok := range map[string]bool{"80": true, "65535": true, "0": false, "65536": false, "080": false, "http": false} {
		if validMap(portKeys{}, map[string]string{key: "x"}) != ok {
			t.Errorf("port key %q: accepted %v, want %v", key, !ok, ok)
		}
	}
}

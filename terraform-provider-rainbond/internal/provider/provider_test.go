package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// This file holds the provider's unit tests and the acceptance tests'
// harness: each acceptance test runs a real Terraform-compatible CLI
// against the provider served in this process (a provider factory, no
// plugin installation) and a rainbondtest fake console, also in this
// process.

// cliSkipReason is why acceptance tests skip, "" when they run; set by
// TestMain.
var cliSkipReason string

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" {
		cliSkipReason = setUpCLI(os.Getenv, lookPath)
	}
	os.Exit(m.Run())
}

// setUpCLI finds a Terraform-compatible CLI and points
// terraform-plugin-testing at it, so that it never downloads one: it sets
// TF_ACC_TERRAFORM_PATH and clears TF_ACC_TERRAFORM_VERSION (which makes
// terraform-plugin-testing download a release when the path is missing).
// It returns why the acceptance tests must skip, or "".
func setUpCLI(getenv func(string) string, look func(string) (string, error)) string {
	cli, err := findCLI(getenv, look)
	if err != nil {
		return err.Error()
	}
	_ = os.Setenv("TF_ACC_TERRAFORM_PATH", cli)
	_ = os.Unsetenv("TF_ACC_TERRAFORM_VERSION")
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "rbdkit")
	if strings.Contains(filepath.Base(cli), "tofu") && getenv("TF_ACC_PROVIDER_HOST") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	}
	return ""
}

// findCLI is the CLI the acceptance tests run: TF_ACC_TERRAFORM_PATH when
// set (it must be executable), else terraform, else tofu on the PATH.
func findCLI(getenv func(string) string, look func(string) (string, error)) (string, error) {
	if p := getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := look(p); err != nil {
			return "", fmt.Errorf("TF_ACC_TERRAFORM_PATH=%s is not an executable file (%v); acceptance tests skipped", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := look(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Terraform-compatible CLI found (TF_ACC_TERRAFORM_PATH unset, neither terraform nor tofu on PATH); acceptance tests skipped")
}

// lookPath is exec.LookPath, which also accepts a path to an executable.
func lookPath(name string) (string, error) {
	if strings.ContainsRune(name, filepath.Separator) {
		info, err := os.Stat(name)
		if err != nil {
			return "", err
		}
		if info.IsDir() || info.Mode().Perm()&0o111 == 0 {
			return "", fmt.Errorf("%s is not executable", name)
		}
		return name, nil
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if p, err := lookPath(filepath.Join(dir, name)); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found on PATH", name)
}

// accEnv is one acceptance test's fake console and an SDK client for it,
// to check and change what the provider manages behind its back.
type accEnv struct {
	srv    *rainbondtest.Server
	client *rainbond.Client
	ctx    context.Context
}

// newAccEnv skips the test unless acceptance tests run, and starts a fake
// console for it.
func newAccEnv(t *testing.T, opts ...rainbondtest.Option) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1")
	}
	if cliSkipReason != "" {
		t.Skip(cliSkipReason)
	}
	srv := rainbondtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	client, err := rainbond.NewClient(srv.URL, rainbond.WithToken(srv.Token))
	if err != nil {
		t.Fatal(err)
	}
	return &accEnv{srv: srv, client: client, ctx: context.Background()}
}

// config is cfg after the terraform and provider blocks that point at the
// test's console.
func (e *accEnv) config(cfg string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    rainbond = { source = "rbdkit/rainbond" }
  }
}

provider "rainbond" {
  url     = %q
  token   = %q
  retries = 1
  timeout = "10s"
}
`, e.srv.URL, e.srv.Token) + cfg
}

// factories serves the provider in this process.
var factories = map[string]func() (tfprotov6.ProviderServer, error){
	"rainbond": providerserver.NewProtocol6WithError(New("test")()),
}

// must fails the test on an error of an SDK call made by the test.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSchemasAreValid(t *testing.T) {
	server, err := factories["rainbond"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("%s: %s: %s", d.Severity, d.Summary, d.Detail)
	}
	wantResources := []string{"rainbond_team", "rainbond_app", "rainbond_component", "rainbond_app_install", "rainbond_certificate", "rainbond_http_rule"}
	for _, name := range wantResources {
		if resp.ResourceSchemas[name] == nil {
			t.Errorf("resource %s is missing", name)
		}
	}
	wantData := []string{"rainbond_regions", "rainbond_teams", "rainbond_apps", "rainbond_app_components", "rainbond_market_app_versions"}
	for _, name := range wantData {
		if resp.DataSourceSchemas[name] == nil {
			t.Errorf("data source %s is missing", name)
		}
	}
	if len(resp.ResourceSchemas) != len(wantResources) || len(resp.DataSourceSchemas) != len(wantData) {
		t.Errorf("got %d resources and %d data sources, want %d and %d",
			len(resp.ResourceSchemas), len(resp.DataSourceSchemas), len(wantResources), len(wantData))
	}
}

func TestSecretsAreSensitiveOrWriteOnly(t *testing.T) {
	server, _ := factories["rainbond"]()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	attr := func(s *tfprotov6.Schema, name string) *tfprotov6.SchemaAttribute {
		for _, a := range s.Block.Attributes {
			if a.Name == name {
				return a
			}
		}
		t.Fatalf("no attribute %s", name)
		return nil
	}
	if !attr(resp.Provider, "token").Sensitive {
		t.Error("the provider's token is not sensitive")
	}
	for _, secret := range []struct{ res, name string }{
		{"rainbond_certificate", "private_key"}, {"rainbond_app_install", "market_access_key"}, {"rainbond_component", "envs_wo"},
	} {
		a := attr(resp.ResourceSchemas[secret.res], secret.name)
		if !a.Sensitive || !a.WriteOnly {
			t.Errorf("%s.%s: sensitive %v, write-only %v; want both", secret.res, secret.name, a.Sensitive, a.WriteOnly)
		}
	}
	// A component's variables are read back (to show drift), so they
	// cannot be write-only; they must be sensitive, and never computed
	// (a computed map would take in the variables set in the console).
	if a := attr(resp.ResourceSchemas["rainbond_component"], "envs"); !a.Sensitive || a.Computed {
		t.Errorf("rainbond_component.envs: sensitive %v, computed %v; want sensitive, not computed", a.Sensitive, a.Computed)
	}
}

func TestSettingsFallBackToTheEnvironment(t *testing.T) {
	env := map[string]string{EnvURL: "http://console:7070", EnvToken: "0123456789abcdef"}
	s, diags := resolveSettings(providerModel{URL: types.StringNull(), Token: types.StringNull()}, func(k string) string { return env[k] })
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.url != env[EnvURL] || s.token != env[EnvToken] || s.retries != nil || s.timeout != nil {
		t.Errorf("got %+v", s)
	}

	cfg := providerModel{URL: types.StringValue("http://block:7070"), Token: types.StringValue("fedcba9876543210"),
		Retries: types.Int64Value(0), Timeout: types.StringValue("45s")}
	s, diags = resolveSettings(cfg, func(k string) string { return env[k] })
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.url != "http://block:7070" || s.token != "fedcba9876543210" || *s.retries != 0 || *s.timeout != 45*time.Second {
		t.Errorf("the block's values do not win over the environment: %+v", s)
	}
}

func TestMissingSettingsNameTheVariableAndNeverTheToken(t *testing.T) {
	_, diags := resolveSettings(providerModel{URL: types.StringNull(), Token: types.StringNull()}, func(string) string { return "" })
	text := fmt.Sprint(diags)
	for _, want := range []string{EnvURL, EnvToken} {
		if !strings.Contains(text, want) {
			t.Errorf("the errors do not name %s: %s", want, text)
		}
	}

	secret := "s3cr3t-token-value"
	cfg := providerModel{URL: types.StringValue("http://c"), Token: types.StringValue(secret),
		Retries: types.Int64Value(99), Timeout: types.StringValue("soon")}
	_, diags = resolveSettings(cfg, func(string) string { return "" })
	if len(diags.Errors()) != 2 {
		t.Errorf("want errors for retries and timeout, got %v", diags)
	}
	if strings.Contains(fmt.Sprint(diags), secret) {
		t.Error("an error shows the token")
	}
}

func TestSettingsBecomeClientOptions(t *testing.T) {
	// A token refused by the SDK ("Bearer ") proves the options reach
	// rainbond.NewClient; a bad timeout never gets there.
	n := int64(3)
	d := 5 * time.Second
	s := settings{url: "http://console:7070", token: "0123456789abcdef", retries: &n, timeout: &d}
	if got := len(s.options("test")); got != 4 {
		t.Errorf("got %d options, want token, user agent, retry and timeout", got)
	}
	s.token = "Bearer 0123456789abcdef"
	if _, err := rainbond.NewClient(s.url, s.options("test")...); err == nil {
		t.Error("NewClient took a Bearer token: the token option did not reach it")
	}
}

func TestFindCLINeverLooksBeyondWhatIsInstalled(t *testing.T) {
	installed := map[string]string{"tofu": "/usr/bin/tofu", "/opt/terraform": "/opt/terraform"}
	look := func(name string) (string, error) {
		if p, ok := installed[name]; ok {
			return p, nil
		}
		return "", errors.New("not found")
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	if p, err := findCLI(getenv, look); err != nil || p != "/usr/bin/tofu" {
		t.Errorf("without terraform: %q, %v; want tofu", p, err)
	}
	installed["terraform"] = "/usr/local/bin/terraform"
	if p, _ := findCLI(getenv, look); p != "/usr/local/bin/terraform" {
		t.Errorf("got %q; want terraform first", p)
	}
	env["TF_ACC_TERRAFORM_PATH"] = "/opt/terraform"
	if p, _ := findCLI(getenv, look); p != "/opt/terraform" {
		t.Errorf("got %q; want TF_ACC_TERRAFORM_PATH", p)
	}
	env["TF_ACC_TERRAFORM_PATH"] = "/missing/terraform"
	if _, err := findCLI(getenv, look); err == nil || !strings.Contains(err.Error(), "skipped") {
		t.Errorf("a missing TF_ACC_TERRAFORM_PATH: %v; want a plain skip message", err)
	}
	delete(env, "TF_ACC_TERRAFORM_PATH")
	installed = map[string]string{}
	if _, err := findCLI(getenv, look); err == nil || !strings.Contains(err.Error(), "no Terraform-compatible CLI found") {
		t.Errorf("no CLI: %v", err)
	}
}

func TestImportIDsAreCheckedPartByPart(t *testing.T) {
	if _, err := splitImportID("t/r", "team_id", "region", "app_id"); err == nil || !strings.Contains(err.Error(), "team_id/region/app_id") {
		t.Errorf("a short id: %v; want the expected form named", err)
	}
	if _, err := splitImportID("t//5", "team_id", "region", "app_id"); err == nil || !strings.Contains(err.Error(), "empty region") {
		t.Errorf("an empty part: %v", err)
	}
	parts, err := splitImportID("t/r/5", "team_id", "region", "app_id")
	if err != nil || strings.Join(parts, ",") != "t,r,5" {
		t.Errorf("got %v, %v", parts, err)
	}
	for _, bad := range []string{"0", "-1", "x", "1.5"} {
		if _, err := parseID("app_id", bad); err == nil {
			t.Errorf("parseID(%q) took it", bad)
		}
	}
}

func TestMaybeSentOnlyForAmbiguousTransportErrors(t *testing.T) {
	if !maybeSent(fmt.Errorf("wrapped: %w", &rainbond.TransportError{MaybeSent: true})) {
		t.Error("a wrapped MaybeSent transport error is not recognised")
	}
	if maybeSent(&rainbond.TransportError{}) || maybeSent(&rainbond.APIError{StatusCode: 502}) {
		t.Error("an error that proves nothing was created counts as maybe sent")
	}
}

// stateHoldsNoLineOf checks every attribute value of every resource
// instance in the state, all of them: none may hold a line of secret (a
// PEM key is checked line by line, as a value could hold it re-wrapped or
// in part; a one-line secret whole).
func stateHoldsNoLineOf(secret string) resource.TestCheckFunc {
	var lines []string
	for _, l := range strings.Split(secret, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return func(s *terraform.State) error {
		if len(lines) == 0 {
			return errors.New("stateHoldsNoLineOf: an empty secret checks nothing")
		}
		checked := 0
		for _, m := range s.Modules {
			for addr, r := range m.Resources {
				instances := append([]*terraform.InstanceState{r.Primary}, r.Deposed...)
				for _, inst := range instances {
					if inst == nil {
						continue
					}
					for name, value := range inst.Attributes {
						checked++
						for _, l := range lines {
							if strings.Contains(value, l) {
								return fmt.Errorf("%s.%s holds a line of the secret", addr, name)
							}
						}
					}
				}
			}
		}
		if checked == 0 {
			return errors.New("stateHoldsNoLineOf: the state holds no attribute to check")
		}
		return nil
	}
}

func TestStateHoldsNoLineOfChecksEveryAttribute(t *testing.T) {
	key := "-----BEGIN PRIVATE KEY-----\nAAAA1111bbbb\nCCCC2222\n-----END PRIVATE KEY-----\n"
	state := func(attrs map[string]string) *terraform.State {
		s := terraform.NewState()
		s.RootModule().Resources["rainbond_x.a"] = &terraform.ResourceState{Type: "rainbond_x", Primary: &terraform.InstanceState{ID: "1", Attributes: attrs}}
		return s
	}
	if err := stateHoldsNoLineOf(key)(state(map[string]string{"id": "1", "certificate": "-----BEGIN CERTIFICATE-----\nZZZZ\n"})); err != nil {
		t.Errorf("a clean state: %v", err)
	}
	if err := stateHoldsNoLineOf(key)(state(map[string]string{"id": "1", "note": "x CCCC2222 y"})); err == nil || !strings.Contains(err.Error(), "rainbond_x.a.note") {
		t.Errorf("one line of the key in another attribute: %v; want it found and named", err)
	}
}

// regexpMust compiles an expected error's pattern.
func regexpMust(pattern string) *regexp.Regexp { return regexp.MustCompile(pattern) }

package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	rainbond "github.com/rbdkit/rainbond-go"
	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// port is a portModel; "" and nil leave a member unknown, as a plan has
// it when the configuration does not set it.
func port(protocol, alias string, inner, outer *bool) portModel {
	p := portModel{Protocol: types.StringValue(protocol), Alias: types.StringUnknown(), Inner: types.BoolUnknown(), Outer: types.BoolUnknown()}
	if alias != "" {
		p.Alias = types.StringValue(alias)
	}
	if inner != nil {
		p.Inner = types.BoolValue(*inner)
	}
	if outer != nil {
		p.Outer = types.BoolValue(*outer)
	}
	return p
}

var yes, no = rainbond.Ptr(true), rainbond.Ptr(false)

// calls describes port changes as "kind port action", for comparison.
func calls(changes []portChange) []string {
	var out []string
	for _, c := range changes {
		s := fmt.Sprintf("%s %d", c.kind, c.port)
		if c.update != nil {
			s += " " + string(c.update.Action)
		}
		if c.create != nil {
			s += fmt.Sprintf(" %s inner=%v alias=%q", c.create.Protocol, c.create.IsInnerService, c.create.PortAlias)
		}
		out = append(out, s)
	}
	return out
}

func TestPlanPortsOrdersTheConsolesCalls(t *testing.T) {
	have := map[string]portModel{
		"80":   port("http", "WEB80", yes, yes),
		"9000": port("tcp", "OLD", yes, yes),
		"443":  port("http", "TLS", no, no),
	}
	want := map[string]portModel{
		"80":   port("http", "WEB", no, no), // renamed, then closed outer before inner
		"443":  port("grpc", "", yes, yes),  // protocol, then inner opened before outer
		"8080": port("tcp", "", nil, yes),   // added (alias left to the console), then opened
		"5432": port("tcp", "DB", nil, nil), // added, services left as the console makes them
	}
	got := calls(planPorts(want, have, map[int]string{80: "gr1-80"}))
	expected := []string{
		"update 9000 close_outer", "update 9000 close_inner", "delete 9000",
		"update 80 change_port_alias", "update 80 close_outer", "update 80 close_inner",
		"update 443 change_protocol", "update 443 open_inner", "update 443 only_open_outer",
		`add 5432 tcp inner=false alias="DB"`,
		`add 8080 tcp inner=false alias=""`, "update 8080 only_open_outer",
	}
	if !slices.Equal(got, expected) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(expected, "\n"))
	}
	for _, c := range planPorts(want, have, map[int]string{80: "gr1-80"}) {
		if c.update != nil && c.update.Action == rainbond.PortChangeAlias && c.update.K8sServiceName != "gr1-80" {
			t.Errorf("an alias change without the port's Kubernetes service name, which the console needs: %+v", c.update)
		}
	}
	if got := planPorts(have, have, nil); len(got) != 0 {
		t.Errorf("no change planned %v", calls(got))
	}
}

func TestUnsetOuterLeavesAPortOpenedByARule(t *testing.T) {
	have := map[string]portModel{"80": port("http", "WEB", yes, yes)}
	want := map[string]portModel{"80": port("http", "WEB", yes, nil)}
	if got := planPorts(want, have, nil); len(got) != 0 {
		t.Errorf("an unset outer changes the port: %v", calls(got))
	}
}

func TestVerticalChange(t *testing.T) {
	s := func(mem, cpu int64, cpuSet bool) scalingModel {
		m := scalingModel{MemoryMiB: types.Int64Value(mem), CPU: types.Int64Unknown(), Instances: types.Int64Unknown()}
		if cpuSet {
			m.CPU = types.Int64Value(cpu)
		}
		return m
	}
	cur := s(512, 250, true)
	if v := verticalChange(s(512, 0, false), cur); v != nil {
		t.Errorf("same memory, CPU unset: %+v; want nothing sent", v)
	}
	if v := verticalChange(s(1024, 0, false), cur); v == nil || v.MemoryMiB != 1024 || v.CPU != nil {
		t.Errorf("memory changed, CPU unset: %+v; want the memory and no CPU (the console derives it)", v)
	}
	if v := verticalChange(s(512, 500, true), cur); v == nil || v.MemoryMiB != 512 || v.CPU == nil || *v.CPU != 500 {
		t.Errorf("CPU changed: %+v; want the current memory and the new CPU", v)
	}
}

func TestEnvsToKeepOnlyTheManagedOnes(t *testing.T) {
	envs := []rainbond.EnvVar{
		{Name: "MODE", Value: "prod"}, {Name: "DB_PASSWORD", Value: "set-in-the-ui", Scope: rainbond.EnvScopeInner},
		{Name: "WEB80_HOST", Value: "127.0.0.1", Scope: rainbond.EnvScopeOuter},
	}
	if got := envsToKeep(envs, []string{"MODE", "WEB80_HOST", "GONE"}); !maps.Equal(got, map[string]string{"MODE": "prod", "WEB80_HOST": "127.0.0.1"}) {
		t.Errorf("managed: %v; want exactly the managed ones that exist", got)
	}
	if got := envsToKeep(envs, nil); len(got) != 0 {
		t.Errorf("nothing managed: %v; want none, never the console's own variables", got)
	}
}

func TestChangedEnvs(t *testing.T) {
	got := changedEnvs(map[string]string{"A": "1", "B": "2", "C": "3"}, map[string]string{"A": "1", "B": "old"})
	if !slices.Equal(got, []string{"B", "C"}) {
		t.Errorf("got %v", got)
	}
}

func TestImageMustHaveATag(t *testing.T) {
	for image, ok := range map[string]bool{
		"nginx:1.27": true, "goodrain.me/wordpress:6.5-php8.3": true, "registry:5000/team/app:v1": true,
		"nginx": false, "registry:5000/team/app": false, "nginx@sha256:abc": false, "nginx:": false,
	} {
		if taggedImagePattern.MatchString(image) != ok {
			t.Errorf("%q: accepted %v, want %v", image, !ok, ok)
		}
	}
}

// componentOf is the reference of rainbond_component.c in the state.
func componentOf(s *terraform.State) (componentRef, error) {
	r := s.RootModule().Resources["rainbond_component.c"]
	if r == nil {
		return componentRef{}, fmt.Errorf("no rainbond_component.c in the state")
	}
	a := r.Primary.Attributes
	id, err := parseID("app_id", a["app_id"])
	return componentRef{a["team_id"], a["region"], id, a["service_id"]}, err
}

func TestAccComponent(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	team, appID := seed.TeamA.TenantID, seed.AppA.ID
	var ref componentRef
	cfg := func(body string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_component" "c" {
  team_id = %q
  region  = "rainbond"
  app_id  = %d
  name    = "web"
%s
}
`, team, appID, body))
	}
	first := cfg(`
  image   = "nginx:1.25"
  envs    = { MODE = "prod", WORKERS = "2" }
  ports   = { "80" = { outer = true } }
  scaling = { memory_mib = 1024, instances = 2 }
`)
	second := cfg(`
  image   = "nginx:1.27"
  envs    = { MODE = "staging", WORKERS = "2", EXTRA = "yes" }
  ports   = {
    "80"   = { alias = "WEB", outer = true }
    "9000" = { protocol = "tcp", inner = true }
  }
  scaling = { memory_mib = 2048, cpu = 500, instances = 3 }
`)
	third := strings.NewReplacer(`, EXTRA = "yes"`, "", `memory_mib = 2048, cpu = 500,`, `memory_mib = 1024,`).Replace(second)
	console := func(want func(c *rainbond.ServiceBaseInfo, envs map[string]string, ports map[int]rainbond.ComponentPort) error) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			var err error
			if ref, err = componentOf(s); err != nil {
				return err
			}
			c, _, err := e.client.Components.Get(e.ctx, ref.team, ref.region, ref.appID, ref.serviceID)
			if err != nil {
				return err
			}
			ports, _, err := e.client.Components.ListPorts(e.ctx, ref.team, ref.region, ref.appID, ref.serviceID)
			if err != nil {
				return err
			}
			byPort := map[int]rainbond.ComponentPort{}
			for _, p := range ports {
				byPort[p.ContainerPort] = p
			}
			return want(c, e.srv.Envs(ref.serviceID), byPort)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := e.client.Components.Get(e.ctx, ref.team, ref.region, ref.appID, ref.serviceID); !isNotFound(err) {
				return fmt.Errorf("the component is still there after destroy: %v", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: first,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("rainbond_component.c", "status", "running"),
					resource.TestCheckResourceAttr("rainbond_component.c", "ports.80.protocol", "http"),
					resource.TestCheckResourceAttr("rainbond_component.c", "ports.80.inner", "false"),
					console(func(c *rainbond.ServiceBaseInfo, envs map[string]string, ports map[int]rainbond.ComponentPort) error {
						if c.Image != "nginx:1.25" || c.MinMemory != 1024 || c.MinNode != 2 ||
							!maps.Equal(envs, map[string]string{"MODE": "prod", "WORKERS": "2"}) || !ports[80].IsOuterService {
							return fmt.Errorf("console: image %s, memory %d, instances %d, envs %v, ports %+v", c.Image, c.MinMemory, c.MinNode, envs, ports)
						}
						return nil
					}),
				),
			},
			{ // the import reads no variable: envs stays unset
				ResourceName: "rainbond_component.c", ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"envs"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					for k := range states[0].Attributes {
						if strings.HasPrefix(k, "envs") {
							return fmt.Errorf("the import read variables into the state: %s", k)
						}
					}
					return nil
				},
			},
			{ // every change in place, through the SDK's calls
				Config:           second,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_component.c", plancheck.ResourceActionUpdate)}},
				Check: console(func(c *rainbond.ServiceBaseInfo, envs map[string]string, ports map[int]rainbond.ComponentPort) error {
					if c.Image != "nginx:1.27" || c.Version != "1.27" || c.MinMemory != 2048 || c.MinCPU != 500 || c.MinNode != 3 {
						return fmt.Errorf("console: image %s (version %s), memory %d, cpu %d, instances %d", c.Image, c.Version, c.MinMemory, c.MinCPU, c.MinNode)
					}
					if envs["MODE"] != "staging" || envs["EXTRA"] != "yes" {
						return fmt.Errorf("console envs %v", envs)
					}
					if ports[80].PortAlias != "WEB" || ports[9000].Protocol != rainbond.ProtocolTCP || !ports[9000].IsInnerService || len(ports) != 2 {
						return fmt.Errorf("console ports %+v", ports)
					}
					return nil
				}),
			},
			{ // changed behind Terraform's back through the SDK: the plan puts it back;
				// a variable added in the console never reaches the state
				PreConfig: func() {
					_, _, err := e.client.Components.UpdateEnvs(e.ctx, ref.team, ref.region, ref.appID, ref.serviceID,
						[]rainbond.EnvVar{{Name: "MODE", Value: "drifted"}, {Name: "UI_SECRET", Value: "s3cr3t-from-the-ui"}})
					must(t, err)
					_, err = e.client.Components.ScaleHorizontal(e.ctx, ref.team, ref.region, ref.appID, ref.serviceID, 1)
					must(t, err)
					_, _, err = e.client.Components.AddPort(e.ctx, ref.team, ref.region, ref.appID, ref.serviceID, &rainbond.PortCreate{Port: 7000})
					must(t, err)
				},
				Config:           second,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_component.c", plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr("rainbond_component.c", "envs.UI_SECRET"),
					resource.TestCheckResourceAttr("rainbond_component.c", "envs.%", "3"),
					console(func(c *rainbond.ServiceBaseInfo, envs map[string]string, ports map[int]rainbond.ComponentPort) error {
						if envs["MODE"] != "staging" || c.MinNode != 3 || len(ports) != 2 || envs["UI_SECRET"] == "" {
							return fmt.Errorf("drift not undone: envs %v, instances %d, ports %v", envs, c.MinNode, slices.Collect(maps.Keys(ports)))
						}
						return nil
					}),
				),
			},
			{ // a variable removed from the map stays (the OpenAPI cannot delete one) and leaves the state;
				// the memory changes with the CPU left to the console
				Config: third,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr("rainbond_component.c", "envs.EXTRA"),
					console(func(c *rainbond.ServiceBaseInfo, envs map[string]string, _ map[int]rainbond.ComponentPort) error {
						if envs["EXTRA"] != "yes" || c.MinMemory != 1024 {
							return fmt.Errorf("EXTRA deleted, or memory not scaled: %v, %d MiB", envs, c.MinMemory)
						}
						return nil
					}),
				),
			},
			{ // deleted behind Terraform's back: created again
				PreConfig: func() {
					_, err := e.client.Components.Delete(e.ctx, ref.team, ref.region, ref.appID, ref.serviceID, &rainbond.DeleteComponentOptions{Force: true})
					must(t, err)
				},
				Config:           third,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_component.c", plancheck.ResourceActionCreate)}},
			},
		},
	})
}

func TestAccComponentWithoutEnvsReadsNoVariable(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	cfg := e.config(fmt.Sprintf(`
resource "rainbond_component" "c" {
  team_id = %q
  region  = "rainbond"
  app_id  = %d
  name    = "no-envs"
  image   = "nginx:1.27"
}
`, seed.TeamA.TenantID, seed.AppA.ID))
	noEnvs := func(s *terraform.State) error {
		for k := range s.RootModule().Resources["rainbond_component.c"].Primary.Attributes {
			if strings.HasPrefix(k, "envs") {
				return fmt.Errorf("variables in the state of a component whose configuration sets none: %s", k)
			}
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: noEnvs},
			{ // a secret set in the console: refreshed, never read, and the plan stays empty
				PreConfig: func() {
					comps := e.srv.Components(seed.AppA.ID)
					_, _, err := e.client.Components.UpdateEnvs(e.ctx, seed.TeamA.TenantID, "rainbond", seed.AppA.ID, comps[0].ServiceID,
						[]rainbond.EnvVar{{Name: "DB_PASSWORD", Value: "s3cr3t-from-the-ui"}})
					must(t, err)
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            noEnvs,
			},
		},
	})
}

func TestAccComponentCreateWithLostAnswerIsAdoptedNotRepeated(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	e.srv.InjectFaults(1, rainbondtest.Fault{Method: "POST", PathSuffix: "/services", DropConnection: true, AfterHandling: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: e.config(fmt.Sprintf(`
resource "rainbond_component" "c" {
  team_id = %q
  region  = "rainbond"
  app_id  = %d
  name    = "lost-answer"
  image   = "nginx:1.27"
  envs    = { MODE = "prod" }
}
`, seed.TeamA.TenantID, seed.AppA.ID)),
			Check: func(s *terraform.State) error {
				ref, err := componentOf(s)
				if err != nil {
					return err
				}
				comps := e.srv.Components(seed.AppA.ID)
				if len(comps) != 1 || comps[0].ServiceID != ref.serviceID || e.srv.Envs(ref.serviceID)["MODE"] != "prod" {
					return fmt.Errorf("components: %+v; want exactly the one in the state, configured", comps)
				}
				return nil
			},
		}},
	})
}

func TestAccComponentWriteOnlyEnvsNeverReachTheState(t *testing.T) {
	e := newAccEnv(t)
	seed := e.srv.Seed()
	cfg := func(envs string) string {
		return e.config(fmt.Sprintf(`
resource "rainbond_component" "c" {
  team_id = %q
  region  = "rainbond"
  app_id  = %d
  name    = "secrets"
  image   = "nginx:1.27"
%s
}
`, seed.TeamA.TenantID, seed.AppA.ID, envs))
	}
	first := cfg(`
  envs            = { MODE = "prod" }
  envs_wo         = { DB_PASSWORD = "first-s3cr3t-value" }
  envs_wo_version = 1
`)
	rotatedUnseen := strings.Replace(first, "first-s3cr3t-value", "second-s3cr3t-value", 1)
	rotated := strings.Replace(rotatedUnseen, "envs_wo_version = 1", "envs_wo_version = 2", 1)
	console := func(want string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			ref, err := componentOf(s)
			if err != nil {
				return err
			}
			envs := e.srv.Envs(ref.serviceID)
			if envs["DB_PASSWORD"] != want || envs["MODE"] != "prod" {
				return fmt.Errorf("the console's variables are %v; want DB_PASSWORD %q and MODE prod", slices.Collect(maps.Keys(envs)), want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{ // a name in both maps is refused before anything is sent
				Config:      strings.Replace(first, `MODE = "prod"`, `MODE = "prod", DB_PASSWORD = "x"`, 1),
				ExpectError: regexpMust(`DB_PASSWORD[\s\S]*both[\s\S]*envs_wo`),
			},
			{
				Config: first,
				Check: resource.ComposeAggregateTestCheckFunc(
					console("first-s3cr3t-value"),
					stateHoldsNoLineOf("first-s3cr3t-value"),
					resource.TestCheckNoResourceAttr("rainbond_component.c", "envs_wo.%"),
					resource.TestCheckResourceAttr("rainbond_component.c", "envs.MODE", "prod"),
				),
			},
			{ // a new value alone is not seen: nothing is stored to compare it with
				Config:           rotatedUnseen,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            console("first-s3cr3t-value"),
			},
			{ // a new version sends it, in place
				Config:           rotated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rainbond_component.c", plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					console("second-s3cr3t-value"),
					stateHoldsNoLineOf("second-s3cr3t-value"),
				),
			},
		},
	})
}

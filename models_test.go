package rainbond

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answering returns a client whose every request is answered with body.
func answering(t *testing.T, body string, opts ...Option) *Client {
	t.Helper()
	c, mt := newMockClient(t, opts...)
	answer(mt, newRecorder(200, body))
	return c
}

// mysqlComponent is the first component of testdata/console/install.json.
func mysqlComponent() ServiceBaseInfo {
	return ServiceBaseInfo{
		Status: "", AccessInfos: []string{},
		ServiceID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b",
		ServiceKey: "3d2c1b0a9f8e7d6c5b4a39281706f5e4", ServiceAlias: "gr1a2b3c", ServiceCname: "mysql",
		ServiceRegion: "rainbond", Desc: "market app", Category: "app_publish", Version: "8.0",
		UpdateVersion: 1, Image: "goodrain.me/mysql:8.0", MinNode: 1, MinCPU: 1000, MinMemory: 1024,
		ExtendMethod: "state_singleton", ServiceType: "application", Creator: 1, ServiceOrigin: "cloud",
		TenantServiceGroupID: 118, ServiceSource: "market", CreateStatus: "complete", ServerType: "git",
		BuildUpgrade: true, K8sComponentName: "mysql", Arch: "amd64",
	}
}

// apiComponent is the second component of testdata/console/install.json:
// a source-built one, with its nullable columns set or null.
func apiComponent() ServiceBaseInfo {
	return ServiceBaseInfo{
		Status: "", AccessInfos: []string{},
		ServiceID: "f9e8d7c6b5a4938271605f4e3d2c1b0a", TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b",
		ServiceKey: "application", ServiceAlias: "gr9e8d7c", ServiceCname: "blog-api", ServiceRegion: "rainbond",
		Category: "application", Version: "81701", UpdateVersion: 3, Image: "goodrain.me/runner:latest",
		Cmd: "start web", MinNode: 2, MinCPU: 500, MinMemory: 512, ExtendMethod: "stateless_multiple",
		CodeFrom: "gitlab_manual", GitURL: "https://git.example.com/blog/api.git", GitProjectID: 31,
		CodeVersion: "master", Creator: 7, Language: "Go", BuildStrategy: "cnb", ServiceOrigin: "assistant",
		TenantServiceGroupID: 119, OpenWebhooks: true, ServiceSource: "source_code", CreateStatus: "complete",
		CheckUUID: "8b1c6f0e-3d5a-4c2b-9e7f-1a2b3c4d5e6f", CheckEventID: "7d0c4b2e9f1a43c8b6e5d4c3b2a19081",
		ServerType: "git", IsUpgrade: true, OAuthServiceID: 3, K8sComponentName: "blog-api",
	}
}

func TestInstallDecodesTheConsolesAnswer(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "console/install.json"))
	got, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 42, validInstall(), nil)
	require.NoError(t, err)
	want := &MarketInstall{
		EnterpriseID: "e1f0a2b3c4d5e6f708192a3b4c5d6e7f", TeamID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b",
		ID: 42, RegionName: "rainbond", ServiceList: []ServiceBaseInfo{mysqlComponent(), apiComponent()},
	}
	assert.Equal(t, want, got)
	assert.Equal(t, []ServiceBaseInfo{apiComponent()}, got.NewComponents(), "the newest component group")
}

func TestComponentListsAndDetailDecodeNullStatesAndAccessAddresses(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "console/components.json"))
	list, _, err := c.Apps.ListComponents(context.Background(), "team", "region", 42)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, ComponentRunning, list[0].Status)
	assert.Equal(t, ComponentStatus(""), list[1].Status, "null: the cluster did not report it")
	assert.Equal(t, "unreported", list[1].Status.String())
	running := mysqlComponent()
	running.Status = ComponentRunning
	assert.Equal(t, running, list[0])

	var detail ServiceBaseInfo
	require.NoError(t, (defaultCodec{}).Unmarshal([]byte(readFixture(t, "console/component.json")), &detail))
	assert.Equal(t, ComponentAbnormal, detail.Status)
	assert.Equal(t, []string{"http://api.blog.example.com/", "10.0.0.1:30001"}, detail.AccessInfos)
}

func TestCopyDecodesTheConsolesAnswer(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "console/copy.json"))
	got, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 42, validCopy())
	require.NoError(t, err)
	want := mysqlComponent()
	want.ServiceID, want.ServiceAlias, want.ServiceCname = "5468cd1fe36c61775eb9fa8ab9e0049a", "gr5468cd", "mysql-copy"
	want.TenantID, want.TenantServiceGroupID = "9a8b7c6d5e4f30211203f4e5d6c7b8a9", 121
	assert.Equal(t, &AppCopyCRes{Services: []ServiceBaseInfo{want}}, got)
}

// Every shape the console sends for one app's detail decodes to the same
// values: validated (integers) and raw (a float, the path's text).
func TestAppDetailDecodesValidatedAndRawAnswers(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		fixture string
		want    AppInfo
	}{
		"validated": {"console/app_validated.json", AppInfo{
			AppBaseInfo: AppBaseInfo{ID: 42, TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", GroupName: "blog",
				RegionName: "rainbond", Username: "admin", GovernanceMode: "KUBERNETES_NATIVE_SERVICE",
				CreateTime: "2024-05-01T12:30:45.123456", UpdateTime: "2024-05-02T08:00:00.654321",
				AppType: "rainbond", K8sApp: "app-3f2e1d"},
			EnterpriseID: "e1f0a2b3c4d5e6f708192a3b4c5d6e7f", ServiceCount: 2, RunningServiceCount: 1,
			UsedMemory: 1536, UsedCPU: 360, AppID: "42", TeamName: "o19p6wen", Status: AppPartRunning,
		}},
		"raw": {"console/app_raw.json", AppInfo{
			AppBaseInfo: AppBaseInfo{ID: 42, TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", GroupName: "blog",
				RegionName: "rainbond", CreateTime: "2024-05-01T12:30:45.123456", UpdateTime: "2024-05-02T08:00:00.654321",
				AppType: "rainbond", K8sApp: "app-3f2e1d"},
			EnterpriseID: "e1f0a2b3c4d5e6f708192a3b4c5d6e7f", ServiceCount: 2, RunningServiceCount: 2,
			UsedMemory: 1124, UsedCPU: 263.4375, AppID: "42", TeamName: "o19p6wen", Status: AppRunning,
		}},
	} {
		c := answering(t, readFixture(t, tc.fixture))
		got, _, err := c.Apps.Get(context.Background(), "team", "region", 42)
		require.NoError(t, err, name)
		assert.Equal(t, &tc.want, got, name)
	}
}

// A codec the user plugs in gets the same id out of either shape: app_id
// is a json.Number, which encoding/json reads from a number or a string.
func TestAppDetailDecodesWithEncodingJSONToo(t *testing.T) {
	t.Parallel()
	for _, fixture := range []string{"console/app_validated.json", "console/app_raw.json"} {
		c := answering(t, readFixture(t, fixture), WithJSONCodec(stdlibCodec{}))
		got, _, err := c.Apps.Get(context.Background(), "team", "region", 42)
		require.NoError(t, err, fixture)
		assert.Equal(t, int64(42), got.ID, fixture)
	}
}

// stdlibCodec is encoding/json, as a user would plug it in.
type stdlibCodec struct{}

func (stdlibCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (stdlibCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

func TestAppListsAndCreationDecode(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "console/apps.json"))
	apps, _, err := c.Apps.List(context.Background(), "team", "region", nil)
	require.NoError(t, err)
	require.Len(t, apps, 2)
	assert.Equal(t, AppBaseInfo{ID: 43, TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", GroupName: "ingress-nginx",
		RegionName: "rainbond", OrderIndex: 1, Note: "from the Helm store", Username: "admin",
		GovernanceMode: "KUBERNETES_NATIVE_SERVICE", CreateTime: "2024-06-01T09:00:00", UpdateTime: "2024-06-01T09:00:00",
		AppType: "helm", AppStoreName: "bitnami", AppStoreURL: "https://charts.bitnami.com/bitnami",
		AppTemplateName: "nginx-ingress-controller", Version: "11.3.8", Logo: "https://example.com/logo.png", K8sApp: "ingress",
	}, apps[1])
	assert.Empty(t, apps[0].Username, "null")

	c = answering(t, readFixture(t, "console/app_created.json"))
	created, _, err := c.Apps.Create(context.Background(), "team", "region", &AppPostInfo{AppName: "shop"})
	require.NoError(t, err)
	assert.Equal(t, int64(44), created.ID)
	assert.Equal(t, "2024-07-01 10:11:12", created.CreateTime)
}

func TestTeamsDecodeTheRawRowsTheConsoleSends(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "console/teams.json"))
	got, _, err := c.Teams.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, &TeamList{
		Tenants: []TeamInfo{{
			ID: 3, TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", TenantName: "o19p6wen", TenantAlias: "Team A",
			IsActive: true, EnterpriseID: "e1f0a2b3c4d5e6f708192a3b4c5d6e7f", CreateTime: "2024-01-02T03:04:05.678901",
			Creator: "admin", RoleInfos: []RoleInfo{{RoleID: "6", RoleName: "admin"}},
		}, {
			ID: 9, TenantID: "9a8b7c6d5e4f30211203f4e5d6c7b8a9", TenantName: "k2m8x4qa",
			EnterpriseID: "e1f0a2b3c4d5e6f708192a3b4c5d6e7f", CreateTime: "2024-02-03T04:05:06", RoleInfos: []RoleInfo{},
		}},
		Total: 12, Page: 2, PageSize: 2,
	}, got)
}

func TestRegionsDecode(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "console/team_regions.json"))
	tr, _, err := c.Teams.ListRegions(context.Background(), "team", nil)
	require.NoError(t, err)
	assert.Equal(t, &TeamRegionList{Total: 1, Regions: []TeamRegion{{
		RegionID: "1b2c3d4e5f60718293a4b5c6d7e8f901", RegionName: "rainbond", RegionAlias: "默认集群",
		TenantName: "o19p6wen", URL: "https://region.goodrain.me:8443", WsURL: "ws://192.168.2.225:6060",
		HTTPDomain: "2cbd45.grapps.cn", TCPDomain: "192.168.2.225", Status: "1", Scope: "private",
	}}}, tr)

	c = answering(t, readFixture(t, "console/regions.json"))
	regions, _, err := c.Regions.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []RegionInfo{{
		RegionID: "1b2c3d4e5f60718293a4b5c6d7e8f901", RegionName: "rainbond", RegionAlias: "默认集群",
		URL: "https://region.goodrain.me:8443", Status: "1", Scope: "private",
	}}, regions)
}

func TestCopyableDecodesTextAndNulls(t *testing.T) {
	t.Parallel()
	c := answering(t, readFixture(t, "console/copyable.json"))
	got, _, err := c.Apps.ListCopyable(context.Background(), "team", "region", 42)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, AppCopyL{
		ServiceID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", ServiceCname: "mysql", ServiceAlias: "gr1a2b3c",
		ServiceType: "application", Version: "8.0", DeployVersion: "20240501123045", AppName: "blog",
		MinMemory: "1024", CreateStatus: "complete", UpdateTime: "2024-05-01 12:30:45.123456",
		BuildSource: CopyBuildSource{Version: "8.0", ServiceSource: "market", RainAppName: "mysql"},
	}, got[0])
	mem, err := got[1].MinMemory.Int64()
	require.NoError(t, err)
	assert.Equal(t, int64(256), mem)
	assert.Empty(t, got[1].DeployVersion)
}

// The decoding rule, field by field: whatever JSON scalar the console
// sends for a field decodes without failing the call.
func TestOneOddFieldNeverFailsAWholeAnswer(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		member, value string
		check         func(t *testing.T, s ServiceBaseInfo)
	}{
		"float for an int":           {"min_cpu", `500.0`, func(t *testing.T, s ServiceBaseInfo) { assert.Equal(t, 500, s.MinCPU) }},
		"string for an int":          {"min_memory", `"256"`, func(t *testing.T, s ServiceBaseInfo) { assert.Equal(t, 256, s.MinMemory) }},
		"number for a string":        {"service_id", `12`, func(t *testing.T, s ServiceBaseInfo) { assert.Equal(t, "12", s.ServiceID) }},
		"null for a string":          {"image", `null`, func(t *testing.T, s ServiceBaseInfo) { assert.Empty(t, s.Image) }},
		"number for a boolean":       {"is_upgrate", `1`, func(t *testing.T, s ServiceBaseInfo) { assert.True(t, s.IsUpgrade) }},
		"string for a boolean":       {"build_upgrade", `"false"`, func(t *testing.T, s ServiceBaseInfo) { assert.False(t, s.BuildUpgrade) }},
		"object for a string, kept":  {"cmd", `{"a": 1}`, func(t *testing.T, s ServiceBaseInfo) { assert.JSONEq(t, `{"a": 1}`, string(s.Extra["cmd"])) }},
		"string for a list, kept":    {"access_infos", `"x"`, func(t *testing.T, s ServiceBaseInfo) { assert.Equal(t, `"x"`, string(s.Extra["access_infos"])) }},
		"unknown member, kept":       {"gpu_type", `"nvidia"`, func(t *testing.T, s ServiceBaseInfo) { assert.Equal(t, `"nvidia"`, string(s.Extra["gpu_type"])) }},
		"escaped name still matches": {`\u0061rch`, `"s390x"`, func(t *testing.T, s ServiceBaseInfo) { assert.Equal(t, "s390x", s.Arch) }},
	} {
		body := strings.Replace(readFixture(t, "console/install.json"), `"service_list": [`,
			`"service_list": [{"`+tc.member+`": `+tc.value+`},`, 1)
		c := answering(t, body)
		got, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 42, validInstall(), nil)
		require.NoError(t, err, name)
		require.Len(t, got.ServiceList, 3, name)
		tc.check(t, got.ServiceList[0])
		assert.Equal(t, mysqlComponent(), got.ServiceList[1], "%s: the other components are untouched", name)
	}
}

func TestComponentsOfANewerConsoleKeepTheirNewColumnsAndEncodeBack(t *testing.T) {
	t.Parallel()
	raw := readFixture(t, "console/component_newer_console.json")
	var s ServiceBaseInfo
	require.NoError(t, (defaultCodec{}).Unmarshal([]byte(raw), &s))
	require.Len(t, s.Extra, 2)
	assert.JSONEq(t, `"nvidia.com/gpu"`, string(s.Extra["gpu_type"]))
	assert.JSONEq(t, `{"team": "db"}`, string(s.Extra["labels"]))
	out, err := json.Marshal(s)
	require.NoError(t, err)
	var encoded map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &encoded))
	assert.JSONEq(t, `{"team": "db"}`, string(encoded["labels"]), "the new columns are written back")
	assert.JSONEq(t, `"nvidia.com/gpu"`, string(encoded["gpu_type"]))
	var again ServiceBaseInfo
	require.NoError(t, (defaultCodec{}).Unmarshal(out, &again))
	again.Extra["labels"] = s.Extra["labels"] // the same JSON, re-indented
	assert.Equal(t, s, again, "decode, encode, decode is stable")
}

func TestMembersTheConsoleNeverSendsAreNotInTheModels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		model  any
		absent []string
	}{
		{TeamInfo{}, []string{"service_num", "region_num"}},
		{RegionInfo{}, []string{"wsurl", "httpdomain", "tcpdomain"}},
	} {
		model, absent := tc.model, tc.absent
		b, err := json.Marshal(model)
		require.NoError(t, err)
		for _, name := range absent {
			assert.NotContains(t, string(b), `"`+name+`"`, "%T", model)
		}
	}
}

func TestACopyableBuildSourceKeepsEveryMemberAndHidesThePassword(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET /openapi/v1/teams/t1/regions/r1/apps/7/copy": {{status: 200, body: `[{"service_id":"s1","build_source":{
		"version":"1.0","language":null,"code_from":"gitlab","service_source":"source_code","user_name":"ci","password":"hunter22pw",
		"git_url":"https://git.example.com/shop/web.git","code_version":"main","full_name":"shop/web","oauth_service_id":3,
		"service_id":"s1","image":"","docker_cmd":null,"build_strategy":"cnb"}}]`}}})

	list, _, err := c.Apps.ListCopyable(context.Background(), "t1", "r1", 7)
	require.NoError(t, err)
	require.Len(t, list, 1)
	bs := list[0].BuildSource
	assert.Equal(t, "ci", bs.UserName)
	assert.Equal(t, "hunter22pw", bs.Password.Value())
	assert.Equal(t, "https://git.example.com/shop/web.git", bs.GitURL)
	assert.Equal(t, "main", bs.CodeVersion)
	assert.Equal(t, "shop/web", bs.FullName)
	assert.Equal(t, int64(3), bs.OAuthServiceID)
	assert.Equal(t, "s1", bs.ServiceID)
	assert.JSONEq(t, `"cnb"`, string(bs.Extra["build_strategy"]), "a member no serializer declares is kept")

	for _, printed := range []string{fmt.Sprintf("%v", list), fmt.Sprintf("%+v", list), fmt.Sprintf("%#v", list), fmt.Sprint(bs)} {
		assert.NotContains(t, printed, "hunter22pw")
		assert.Contains(t, printed, "[REDACTED]")
	}
	b, err := json.Marshal(list)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "hunter22pw")
}

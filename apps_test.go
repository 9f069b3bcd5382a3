package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInstallFromMarketSendsExactlyTheConsolesRequest(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "console_install_response.json"))
	answer(mt, rec)

	_, resp, err := c.Apps.InstallFromMarket(context.Background(), "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b", "rainbond", 42, validInstall(), nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)

	got := rec.only(t)
	assert.Equal(t, "POST", got.Method)
	assert.Equal(t, "/openapi/v1/teams/5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b/regions/rainbond/apps/42/install", got.Path)
	assert.Empty(t, got.RawQuery, "no deploy: is_deploy is left out")
	assert.Equal(t, []string{testToken}, got.Header["Authorization"])
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
	assert.Equal(t, "rainbond-go/"+Version, got.Header.Get("User-Agent"))
	assert.JSONEq(t, `{
		"market_url": "https://store.goodrain.com",
		"market_domain": "rainbond",
		"market_type": "rainstore",
		"market_access_key": "`+testKey+`",
		"app_model_id": "a9a2c3e4f5b6478899aabbccddeeff00",
		"app_model_version": "1.2.0"
	}`, string(got.Body))
}

func TestInstallWithoutKeyOrTypeSendsNullKeyAndDefaultType(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "console_install_response.json"))
	answer(mt, rec)
	in := validInstall()
	in.MarketAccessKey, in.MarketType = "", ""

	_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, in, nil)
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.only(t).Body, &body))
	v, present := body["market_access_key"]
	assert.True(t, present, "the console requires the member")
	assert.Nil(t, v, "null, never \"\"")
	assert.Equal(t, "rainstore", body["market_type"])
	assert.Empty(t, in.MarketType, "the caller's struct is not changed")
}

func TestInstallDeploySendsIsDeployTrueAndNeverFalse(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		opts  *InstallOptions
		query string
	}{
		"deploy":         {&InstallOptions{Deploy: true}, "is_deploy=true"},
		"explicit false": {&InstallOptions{Deploy: false}, ""},
		"nil options":    {nil, ""},
		"zero options":   {&InstallOptions{}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := newRecorder(200, readFixture(t, "console_install_response.json"))
			answer(mt, rec)
			_, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), tc.opts)
			require.NoError(t, err)
			got := rec.only(t)
			assert.Equal(t, tc.query, got.RawQuery)
			assert.NotContains(t, got.RawQuery, "false", "the console deploys on is_deploy=false")
		})
	}
}

func TestInstallDecodesTheSeedExampleResponse(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	answer(mt, newRecorder(200, readFixture(t, "seed_install_response.json")))
	got, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	require.NoError(t, err)

	assert.Equal(t, "string", got.EnterpriseID)
	assert.Equal(t, "string", got.TeamID)
	assert.Equal(t, ptr("string"), got.Note)
	assert.Equal(t, int64(3), got.ID)
	assert.Equal(t, "string", got.RegionName)
	require.Len(t, got.ServiceList, 1)
	s := got.ServiceList[0]
	str := ptr("string")
	assert.Equal(t, "", s.Status)
	assert.Equal(t, []string{"string"}, s.AccessInfos)
	for name, v := range map[string]string{
		"service_id": s.ServiceID, "tenant_id": s.TenantID, "service_key": s.ServiceKey,
		"service_alias": s.ServiceAlias, "service_cname": s.ServiceCname, "service_region": s.ServiceRegion,
		"category": s.Category, "version": s.Version, "image": s.Image, "extend_method": s.ExtendMethod,
		"service_origin": s.ServiceOrigin, "server_type": s.ServerType, "k8s_component_name": s.K8sComponentName,
	} {
		assert.Equal(t, "string", v, name)
	}
	for name, v := range map[string]*string{
		"desc": s.Desc, "cmd": s.Cmd, "code_from": s.CodeFrom, "git_url": s.GitURL, "code_version": s.CodeVersion,
		"service_type": s.ServiceType, "language": s.Language, "service_source": s.ServiceSource,
		"create_status": s.CreateStatus, "check_uuid": s.CheckUUID, "check_event_id": s.CheckEventID,
		"docker_cmd": s.DockerCmd,
	} {
		assert.Equal(t, str, v, name)
	}
	for name, v := range map[string]int{
		"update_version": s.UpdateVersion, "min_node": s.MinNode, "min_cpu": s.MinCPU,
		"container_gpu": s.ContainerGPU, "min_memory": s.MinMemory, "git_project_id": s.GitProjectID,
		"creater": s.Creater, "total_memory": s.TotalMemory,
	} {
		assert.Equal(t, 3, v, name)
	}
	assert.Equal(t, ptr(3), s.OAuthServiceID)
	assert.True(t, s.IsService)
	assert.True(t, s.OpenWebhooks)
	assert.True(t, s.IsUpgrate)
	assert.True(t, s.BuildUpgrade)
	// The seed misspells the group id's key with a leading space: the real
	// console never sends that, so it is an unknown field, kept raw.
	assert.Zero(t, s.TenantServiceGroupID)
	assert.Equal(t, map[string]json.RawMessage{" tenant_service_group_id": json.RawMessage("3")}, s.Extra)
	assert.Nil(t, s.BuildStrategy)
	assert.Nil(t, s.Arch)
}

func TestInstallDecodesEveryFieldOfAConsoleResponse(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	answer(mt, newRecorder(200, readFixture(t, "console_install_response.json")))
	got, _, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 42, validInstall(), nil)
	require.NoError(t, err)

	want := &MarketInstall{
		EnterpriseID: "e1f0a2b3c4d5e6f708192a3b4c5d6e7f",
		TeamID:       "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b",
		Note:         nil,
		ID:           42,
		RegionName:   "rainbond",
		ServiceList: []ServiceBaseInfo{{
			Status: "", AccessInfos: []string{},
			ServiceID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b",
			ServiceKey: "3d2c1b0a9f8e7d6c5b4a39281706f5e4", ServiceAlias: "gr1a2b3c", ServiceCname: "mysql",
			ServiceRegion: "rainbond", Desc: ptr("market app"), Category: "app_publish", Version: "8.0",
			UpdateVersion: 2, Image: "goodrain.me/mysql:8.0", Cmd: ptr("mysqld --character-set-server=utf8mb4"),
			MinNode: 1, MinCPU: 500, ContainerGPU: 0, MinMemory: 1024, ExtendMethod: "state_singleton",
			CodeFrom: nil, GitURL: nil, GitProjectID: 0, CodeVersion: nil, ServiceType: ptr("application"),
			Creater: 7, Language: nil, TotalMemory: 1024, IsService: false, ServiceOrigin: "cloud",
			TenantServiceGroupID: 118, OpenWebhooks: false, ServiceSource: ptr("market"),
			CreateStatus: ptr("complete"), CheckUUID: ptr(""), CheckEventID: ptr(""), DockerCmd: nil,
			ServerType: "git", IsUpgrate: false, BuildUpgrade: true, OAuthServiceID: nil,
			K8sComponentName: "mysql", BuildStrategy: nil, JobStrategy: nil, Arch: ptr("amd64"), Dockerfile: nil,
			Extra: map[string]json.RawMessage{
				"gpu_type": json.RawMessage(`"nvidia.com/gpu"`),
				"labels":   json.RawMessage(`{"team": "db"}`),
			},
		}, {
			Status: "", AccessInfos: []string{},
			ServiceID: "f9e8d7c6b5a4938271605f4e3d2c1b0a", TenantID: "5f1c0c8c0b9d4e2f8a7b6c5d4e3f2a1b",
			ServiceKey: "b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2", ServiceAlias: "gr9z8y7x", ServiceCname: "wordpress",
			ServiceRegion: "rainbond", Desc: nil, Category: "app_publish", Version: "6.4-php8.2",
			UpdateVersion: 1, Image: "goodrain.me/wordpress:6.4-php8.2", Cmd: nil,
			MinNode: 2, MinCPU: 1000, ContainerGPU: 0, MinMemory: 512, ExtendMethod: "stateless_multiple",
			CodeFrom: ptr("image_manual"), GitURL: ptr("https://git.example.com/wp.git"), GitProjectID: 31,
			CodeVersion: ptr("master"), ServiceType: nil, Creater: 7, Language: ptr("php"), TotalMemory: 1024,
			IsService: true, ServiceOrigin: "cloud", TenantServiceGroupID: 119, OpenWebhooks: true,
			ServiceSource: nil, CreateStatus: nil, CheckUUID: nil, CheckEventID: nil,
			DockerCmd: ptr("docker run wordpress"), ServerType: "svn", IsUpgrate: true, BuildUpgrade: false,
			OAuthServiceID: ptr(3), K8sComponentName: "wordpress", BuildStrategy: ptr("cnb"),
			JobStrategy: ptr("{}"), Arch: ptr("arm64"), Dockerfile: ptr("Dockerfile"),
		}},
	}
	assert.Equal(t, want, got)
	assert.Equal(t, []ServiceBaseInfo{want.ServiceList[1]}, got.NewComponents(), "the newest component group")
}

func TestServiceBaseInfoDecodesNullMissingAndUnknownFields(t *testing.T) {
	t.Parallel()
	var empty ServiceBaseInfo
	require.NoError(t, json.Unmarshal([]byte(`{}`), &empty))
	assert.Equal(t, ServiceBaseInfo{}, empty)

	var nulls ServiceBaseInfo
	all := map[string]any{}
	for name := range knownServiceFields {
		all[name] = nil
	}
	b, _ := json.Marshal(all)
	require.NoError(t, json.Unmarshal(b, &nulls), "null decodes for every field")
	assert.Equal(t, ServiceBaseInfo{}, nulls)

	var withUnknown ServiceBaseInfo
	require.NoError(t, json.Unmarshal([]byte(`{"service_id":"a","new_field":{"x":[1,"}"]},"\u0061rch":"s390x","n":-1.5e3}`), &withUnknown))
	assert.Equal(t, "a", withUnknown.ServiceID)
	assert.Equal(t, ptr("s390x"), withUnknown.Arch, "an escaped member name is still a known field")
	assert.Equal(t, map[string]json.RawMessage{"new_field": json.RawMessage(`{"x":[1,"}"]}`), "n": json.RawMessage(`-1.5e3`)}, withUnknown.Extra)

	var wrong ServiceBaseInfo
	assert.Error(t, json.Unmarshal([]byte(`{"min_cpu":"lots"}`), &wrong), "a wrong type is an error, not a silent zero")
}

func TestServiceBaseInfoEncodesBackWhatWasDecoded(t *testing.T) {
	t.Parallel()
	in := `{"service_id":"a","min_cpu":250,"desc":null,"zeta":[1,2],"alpha":true}`
	var s ServiceBaseInfo
	require.NoError(t, json.Unmarshal([]byte(in), &s))
	out, err := json.Marshal(s)
	require.NoError(t, err)
	var back map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &back))
	assert.JSONEq(t, `[1,2]`, string(back["zeta"]))
	assert.JSONEq(t, `true`, string(back["alpha"]))
	assert.JSONEq(t, `250`, string(back["min_cpu"]))
	var again ServiceBaseInfo
	require.NoError(t, json.Unmarshal(out, &again))
	assert.Equal(t, s, again)
}

func TestCopyAppSendsTheObjectTheConsoleReads(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "seed_copy_response.json"))
	answer(mt, rec)
	cp := validCopy()
	cp.Services = append(cp.Services, AppCopyModify{
		ServiceID: "f9e8d7c6b5a4938271605f4e3d2c1b0a",
		Change: &AppCopyChange{
			BuildSource: &AppCopyBuildSource{Version: ptr("v2.1")},
			Envs:        map[string]string{"DB_HOST": "DATABASE_HOST"},
		},
	})

	res, resp, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, cp)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.Len(t, res.Services, 1)

	got := rec.only(t)
	assert.Equal(t, "POST", got.Method)
	assert.Equal(t, "/openapi/v1/teams/team/regions/region/apps/3/copy", got.Path)
	assert.Empty(t, got.RawQuery)
	assert.Equal(t, []string{testToken}, got.Header["Authorization"])
	assert.JSONEq(t, `{
		"services": [
			{"service_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
			{"service_id": "f9e8d7c6b5a4938271605f4e3d2c1b0a",
			 "change": {"build_source": {"version": "v2.1"}, "envs": {"DB_HOST": "DATABASE_HOST"}}}
		],
		"target_team_name": "o19p6wen",
		"target_region_name": "rainbond",
		"target_app_id": 7
	}`, string(got.Body))
}

func TestCopyAppSendsANullVersionToKeepTheSources(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, `{"services": []}`)
	answer(mt, rec)
	cp := validCopy()
	cp.Services[0].Change = &AppCopyChange{BuildSource: &AppCopyBuildSource{}}
	_, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, cp)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"service_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "change": {"build_source": {"version": null}}}]`,
		string(mustMember(t, rec.only(t).Body, "services")))
}

func TestCopyAllComponentsSendsAnEmptyListDeliberately(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := newRecorder(200, readFixture(t, "seed_copy_response.json"))
	answer(mt, rec)
	cp := validCopy()
	cp.Services = nil

	_, _, err := c.Apps.CopyAllComponents(context.Background(), "team", "region", 3, cp)
	require.NoError(t, err)
	assert.JSONEq(t, `[]`, string(mustMember(t, rec.only(t).Body, "services")))
	assert.Nil(t, cp.Services, "the caller's struct is not changed")
}

func TestCopyAppRefusesAnEmptyListThatWouldCopyEverything(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	cp := validCopy()
	cp.Services = []AppCopyModify{}
	_, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, cp)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.True(t, ve.Has("services"))
	assert.Contains(t, err.Error(), "CopyAllComponents")
	assert.Zero(t, mt.GetTotalCallCount())

	cp = validCopy()
	_, _, err = c.Apps.CopyAllComponents(context.Background(), "team", "region", 3, cp)
	require.True(t, errors.As(err, &ve), "a list given to CopyAllComponents is a mistake too")
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestCopyDecodesTheSeedExampleResponse(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	answer(mt, newRecorder(200, readFixture(t, "seed_copy_response.json")))
	res, _, err := c.Apps.CopyApp(context.Background(), "team", "region", 3, validCopy())
	require.NoError(t, err)
	require.Len(t, res.Services, 1)
	s := res.Services[0]
	assert.Equal(t, "string", s.ServiceID)
	assert.Equal(t, "string", s.K8sComponentName)
	assert.Equal(t, "string", s.ServerType)
	assert.Equal(t, 3, s.TenantServiceGroupID)
	assert.Equal(t, 3, s.MinMemory)
	assert.Equal(t, ptr(3), s.OAuthServiceID)
	assert.Equal(t, ptr("string"), s.ServiceSource)
	assert.Equal(t, []string{"string"}, s.AccessInfos)
	assert.True(t, s.IsUpgrate)
	assert.Nil(t, s.Extra, "the copy seed spells every key as the console does")
}

func TestKeepRawBodyKeepsTheSuccessBody(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	body := readFixture(t, "console_install_response.json")
	answer(mt, newRecorder(200, body))

	_, resp, err := c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil)
	require.NoError(t, err)
	assert.Nil(t, resp.Body, "not kept by default")
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))

	_, resp, err = c.Apps.InstallFromMarket(context.Background(), "team", "region", 1, validInstall(), nil, KeepRawBody())
	require.NoError(t, err)
	assert.Equal(t, body, string(resp.Body))
}

func mustMember(t *testing.T, body []byte, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	v, ok := m[name]
	require.True(t, ok, "member %q", name)
	return v
}

package rainbond

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	appBaseT    = "/openapi/v1/teams/t1/regions/r1/apps/7"
	regionBaseT = "/openapi/v1/teams/t1/regions/r1"
)

func envelopeOf(bean string) canned {
	return canned{status: 200, body: `{"code":200,"msg":"success","msg_show":"ok","data":{"bean":` + bean + `,"list":[]}}`}
}

func TestCanaryRouteNameIsTheConsoles(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "41shop.example.comp-ps-s-gr1a2b3c", CanaryRouteName(41, "shop.example.com", "/", "gr1a2b3c"))
	assert.Equal(t, "41shop.example.comp-papip-ps-s-gr1a2b3c", CanaryRouteName(41, "Shop.Example.com", "/api/*", "gr1a2b3c"))
	assert.Equal(t, "7mysitep-ps-s-gr9", CanaryRouteName(7, "my_site", "", "gr9"), "'_' dropped")
}

func TestCanaryCallsCheckTheirInputAsTheSerializerDoes(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		in    *CanaryStart
		field string
	}{
		"ratio over 100": {&CanaryStart{TemplateID: "m1", RouteName: "7a-gr1", Ratio: 101}, "gray_ratio"},
		"negative ratio": {&CanaryStart{TemplateID: "m1", RouteName: "7a-gr1", Ratio: -1}, "gray_ratio"},
		"no route":       {&CanaryStart{TemplateID: "m1", Ratio: 10}, "domain_name"},
		"a URL":          {&CanaryStart{TemplateID: "m1", RouteName: "https://shop.example.com/", Ratio: 10}, "domain_name"},
		"store, no name": {&CanaryStart{TemplateID: "m1", RouteName: "7a-gr1", Ratio: 10, FromStore: true}, "market_name"},
	} {
		_, _, err := c.Apps.StartCanary(ctx, "t1", "r1", 7, tc.in)
		assertRefused(t, err, tc.field, name)
	}
	_, _, err := c.Apps.SetCanaryRatio(ctx, "t1", "r1", 7, "m1", 150)
	assertRefused(t, err, "gray_ratio", "ratio")
	_, err = c.Apps.RunCanary(ctx, "t1", "r1", 7, &CanaryPlan{Start: CanaryStart{TemplateID: "m1", RouteName: "7a-gr1", Ratio: 100}, Schedule: []int{50}})
	assertRefused(t, err, "schedule[0]", "nothing after a promotion")
	assert.Empty(t, rt.sentTo())
}

func TestRunCanaryRollsBackWhenTheGateRefuses(t *testing.T) {
	t.Parallel()
	canary := func(ratio string) canned {
		return envelopeOf(`{"app_id":7,"app_name":"shop","original_service_id":"s1","new_service_id":"s2","domain_name":"r","gray_ratio":` + ratio + `}`)
	}
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"POST " + appBaseT + "/gray-release":  {canary("10")},
		"PUT " + appBaseT + "/gray-ratio":     {canary("50")},
		"POST " + appBaseT + "/gray-rollback": {envelopeOf(`{"app_id":7,"app_name":"shop","domain_name":"r","deleted_service_count":1}`)},
	})
	var asked []int
	refusal := errors.New("error rate 7%")
	_, err := c.Apps.RunCanary(context.Background(), "t1", "r1", 7, &CanaryPlan{
		Start: CanaryStart{TemplateID: "m1", RouteName: "r", Ratio: 10}, Schedule: []int{50, 100},
		Gate: func(_ context.Context, ratio int) error {
			asked = append(asked, ratio)
			if ratio == 50 {
				return refusal
			}
			return nil
		},
	})
	var run *CanaryRunError
	require.ErrorAs(t, err, &run)
	assert.ErrorIs(t, err, refusal)
	assert.True(t, run.RolledBack)
	assert.Equal(t, 50, run.Ratio)
	assert.Equal(t, []int{10, 50}, asked, "100 is never set after a refusal")
	assert.Contains(t, err.Error(), "rolled back")
	assert.Equal(t, []string{"POST " + appBaseT + "/gray-release", "PUT " + appBaseT + "/gray-ratio", "POST " + appBaseT + "/gray-rollback"}, rt.sentTo())
}

func TestRunCanarySaysWhenTheRollbackFailsToo(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{
		"POST " + appBaseT + "/gray-release":  {envelopeOf(`{"gray_ratio":10}`)},
		"PUT " + appBaseT + "/gray-ratio":     {{status: 400, body: `{"code":400,"msg":"failed","msg_show":"新服务没有对外端口","data":{"bean":{},"list":[]}}`}},
		"POST " + appBaseT + "/gray-rollback": {{status: 500, body: `{"code":500,"msg":"failed","msg_show":"灰度回滚失败","data":{"bean":{},"list":[]}}`}},
	})
	_, err := c.Apps.RunCanary(context.Background(), "t1", "r1", 7, &CanaryPlan{Start: CanaryStart{TemplateID: "m1", RouteName: "r", Ratio: 10}, Schedule: []int{50}})
	var run *CanaryRunError
	require.ErrorAs(t, err, &run)
	assert.False(t, run.RolledBack)
	assert.Equal(t, 10, run.Ratio)
	assert.Contains(t, err.Error(), "NOT rolled back: 10% of the traffic still goes to the new version")
	assert.ErrorIs(t, err, ErrServer, "the rollback's failure is in the chain")
}

func TestSmartDeployReadsItsThreeAnswers(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + regionBaseT + "/app-model/smart-deploy": {
		envelopeOf(`{"action":"install","app_id":9,"app_name":"shop","template_id":"m1","template_version":"1.1"}`),
		envelopeOf(`{"action":"skip","template_id":"m1","current_version":"1.1","latest_version":"1.1"}`),
		{status: 500, body: `{"code":500,"msg":"upgrade failed","msg_show":"模板升级失败: TypeError","data":{"bean":{},"list":[]}}`},
	}})
	ctx := context.Background()
	got, _, err := c.Apps.SmartDeploy(ctx, "t1", "r1", &SmartDeploy{AppName: "shop", TemplateID: "m1"})
	require.NoError(t, err)
	assert.Equal(t, SmartInstalled, got.Action)
	assert.Equal(t, int64(9), got.AppID)
	assert.JSONEq(t, `{"app_name":"shop","template_id":"m1","market_name":"","is_deploy":true}`, string(rt.last(t).Body))
	got, _, err = c.Apps.SmartDeploy(ctx, "t1", "r1", &SmartDeploy{AppName: "shop", TemplateID: "m1"})
	require.NoError(t, err)
	assert.Equal(t, SmartSkipped, got.Action)
	_, _, err = c.Apps.SmartDeploy(ctx, "t1", "r1", &SmartDeploy{AppName: "shop", TemplateID: "m1"})
	assert.ErrorIs(t, err, ErrSmartUpgradeBroken)
	_, _, err = c.Apps.SmartDeploy(ctx, "t1", "r1", &SmartDeploy{AppName: "a shop", TemplateID: "m1"})
	assertRefused(t, err, "app_name", "a space")
}

func TestUploadPackageSendsTheFileWithoutTheToken(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	var got *http.Request
	var body string
	mt.RegisterResponder("POST", testBase+"/console/regions/r1/websocket/app/upload/ev1", func(r *http.Request) (*http.Response, error) {
		got = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{}`)), Header: http.Header{}}, nil
	})
	_, err := c.Apps.UploadPackage(context.Background(), &ImportRecord{EventID: "ev1", UploadURL: "/console/regions/r1/websocket/app/upload/ev1"},
		"shop-1.0.tar", strings.NewReader("PACKAGE BYTES"))
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Empty(t, got.Header.Get("Authorization"), "the upload address takes no token")
	assert.Contains(t, got.Header.Get("Content-Type"), "multipart/form-data")
	assert.Contains(t, body, `name="appTarFile"; filename="shop-1.0.tar"`)
	assert.Contains(t, body, "PACKAGE BYTES")

	_, err = c.Apps.UploadPackage(context.Background(), &ImportRecord{UploadURL: "ftp://cluster/upload"}, "a.tar", strings.NewReader(""))
	assertRefused(t, err, "upload_url", "not http")
	_, err = c.Apps.UploadPackage(context.Background(), &ImportRecord{UploadURL: "/x"}, "../a.tar", strings.NewReader(""))
	assertRefused(t, err, "name", "a path")
}

func TestWaitForImportEndsOnEveryFinalStatus(t *testing.T) {
	t.Parallel()
	status := func(s, list string) canned {
		return canned{status: 200, body: `{"code":200,"msg":"success","msg_show":"查询成功","data":{"bean":{"event_id":"ev1","status":"` + s + `"},"list":` + list + `}}`}
	}
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + regionBaseT + "/app-model/import/ev1": {status("importing", "[]"),
		status("success", `[{"group_key":"k1","group_name":"shop","group_version":"1.0"}]`)}})
	state, err := c.Apps.WaitForImport(context.Background(), "t1", "r1", "ev1", 10*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, state.Models, 1)
	assert.Equal(t, "k1", state.Models[0].GroupKey)

	c, mt = newMockClient(t)
	newRouter(mt, map[string][]canned{"GET " + regionBaseT + "/app-model/import/ev1": {status("failed", "[]")}})
	_, err = c.Apps.WaitForImport(context.Background(), "t1", "r1", "ev1", 10*time.Millisecond)
	assert.ErrorIs(t, err, ErrImportFailed)
}

func TestDeployHelmChartReadsTheCodeInsideA200(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	newRouter(mt, map[string][]canned{"POST " + regionBaseT + "/app-model/import/ev1/chart": {
		{status: 200, body: `{"code":400,"msg":"failed","msg_show":"解析失败，没有找到shop-1.0.tgz","data":{"bean":{},"list":[]}}`},
		envelopeOf(`{}`),
	}})
	in := &HelmChartDeploy{AppID: 7, Name: "shop", Version: "1.0"}
	_, err := c.Apps.DeployHelmChart(context.Background(), "t1", "r1", "ev1", in)
	assert.ErrorIs(t, err, ErrHelmChartNotFound)
	_, err = c.Apps.DeployHelmChart(context.Background(), "t1", "r1", "ev1", in)
	assert.NoError(t, err)
}

func TestDeleteEverythingReadsTheAppThroughTheTeamFirst(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + appBaseT: {{status: 404, body: `{"code":404,"msg":"no found app","msg_show":"应用不存在"}`}}})
	_, err := c.Apps.DeleteEverything(context.Background(), "t1", "r1", 7)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, []string{"GET " + appBaseT}, rt.sentTo(), "no delete of an app the team does not hold")
}

func TestAddVolumeChecksAndSendsTheModeAsTheConsoleReadsIt(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"POST " + componentPathT + "/volumes": {envelopeOf(`{"ID":3,"volume_name":"conf","volume_path":"/etc/app","volume_type":"config-file","mode":644}`)}})
	ctx := context.Background()
	for name, tc := range map[string]struct {
		vol   *VolumeCreate
		field string
	}{
		"name with a dash first": {&VolumeCreate{Name: "-a", Path: "/data"}, "volume_name"},
		"Chinese name":           {&VolumeCreate{Name: "数据", Path: "/data"}, "volume_name"},
		"relative path":          {&VolumeCreate{Name: "data", Path: "data"}, "volume_path"},
		"root":                   {&VolumeCreate{Name: "data", Path: "/"}, "volume_path"},
		"mode over 777":          {&VolumeCreate{Name: "data", Path: "/data", Mode: Ptr(0o1000)}, "mode"},
		"access mode":            {&VolumeCreate{Name: "data", Path: "/data", AccessMode: "RW"}, "access_mode"},
	} {
		_, _, err := c.Components.AddVolume(ctx, "t1", "r1", 7, "s1", tc.vol)
		assertRefused(t, err, tc.field, name)
	}
	assert.Empty(t, rt.sentTo())
	vol, _, err := c.Components.AddVolume(ctx, "t1", "r1", 7, "s1", &VolumeCreate{Name: "conf", Path: "/etc/app", Type: VolumeConfigFile, FileContent: "x=1", Mode: Ptr(0o644)})
	require.NoError(t, err)
	assert.Equal(t, 644, vol.Mode)
	assert.JSONEq(t, `{"volume_name":"conf","volume_path":"/etc/app","volume_capacity":0,"volume_type":"config-file","file_content":"x=1","mode":644}`, string(rt.last(t).Body))
}

func TestExternalComponentAddressesFollowTheConsolesRules(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, nil)
	for _, bad := range [][]string{{"127.0.0.1:80"}, {"0.0.0.0:80"}, {"10.0.0.1:abc"}, {"10.0.0.1:99999"}, {"[::1]:80"}, {"localhost:80"},
		{"1.2.3:80"}, {"a.example.com", "b.example.com"}, {"db.example.com", "10.0.0.1:5432"}, {"10.0.0.1:80", "10.0.0.1:80"}} {
		_, _, err := c.Apps.CreateExternalComponent(context.Background(), "t1", "r1", 7, &ExternalComponentCreate{Name: "db", Endpoints: bad})
		assert.ErrorAs(t, err, new(*ValidationError), "%v", bad)
	}
	assert.Empty(t, rt.sentTo())
	for _, good := range [][]string{{"10.0.0.1:5432", "10.0.0.2:5432"}, {"db.example.com:5432"}, {"https://api.example.com"}, {}} {
		var ve *ValidationError
		_, _, err := c.Apps.CreateExternalComponent(context.Background(), "t1", "r1", 7, &ExternalComponentCreate{Name: "db", Endpoints: good})
		assert.False(t, errors.As(err, &ve), "%v: %v", good, err)
	}
}

func TestFindComponentByTheNamesUsersSee(t *testing.T) {
	t.Parallel()
	comps := []ServiceBaseInfo{
		{ServiceID: "s1", ServiceAlias: "gr1", K8sComponentName: "web", ServiceCname: "Web"},
		{ServiceID: "s2", ServiceAlias: "gr2", K8sComponentName: "db", ServiceCname: "db"},
		{ServiceID: "s3", ServiceAlias: "gr3", K8sComponentName: "cache-a", ServiceCname: "cache"},
		{ServiceID: "s4", ServiceAlias: "gr4", K8sComponentName: "cache-b", ServiceCname: "cache"},
	}
	for name, want := range map[string]string{"s1": "s1", "gr2": "s2", "web": "s1", "Web": "s1", "db": "s2", "cache-b": "s4"} {
		got, err := findComponent(comps, name, 7, nil)
		require.NoError(t, err, name)
		assert.Equal(t, want, got.ServiceID, name)
	}
	_, err := findComponent(comps, "cache", 7, nil)
	assert.ErrorIs(t, err, ErrAmbiguousComponent)
	assert.Contains(t, err.Error(), "s3, s4")
	_, err = findComponent(comps, "nope", 7, nil)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestPackagesOverTheLimitAreRefused(t *testing.T) {
	t.Parallel()
	var dst strings.Builder
	require.NoError(t, copyAtMost(&dst, strings.NewReader("12345"), 5, "a.tar"))
	err := copyAtMost(&dst, strings.NewReader("123456"), 5, "a.tar")
	assertRefused(t, err, "package", "one byte over")
}

// TestAnUploadOutlastsThePerAttemptTimeout: a package takes longer than a
// call; the context bounds it, not WithTimeout.
func TestAnUploadOutlastsThePerAttemptTimeout(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(300 * time.Millisecond)
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, WithToken(testToken), WithTimeout(50*time.Millisecond))
	require.NoError(t, err)
	_, err = c.Apps.UploadPackage(context.Background(), &ImportRecord{UploadURL: "/upload"}, "a.tar", strings.NewReader("bytes"))
	require.NoError(t, err)
}

func TestFindComponentsListsTheAppOnce(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{"GET " + appBaseT + "/services": {{status: 200,
		body: `[{"service_id":"s1","service_cname":"web","service_alias":"gr1","k8s_component_name":"web"},{"service_id":"s2","service_cname":"db","service_alias":"gr2","k8s_component_name":"db"}]`}}})
	got, err := c.Apps.FindComponents(context.Background(), "t1", "r1", 7, []string{"db", "gr1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"s2", "s1"}, []string{got[0].ServiceID, got[1].ServiceID})
	assert.Len(t, rt.sentTo(), 1)
	_, err = c.Apps.FindComponents(context.Background(), "t1", "r1", 7, []string{"web", "cache"})
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestRunCanaryIsBoundedWithoutADeadline(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rt := newRouter(mt, map[string][]canned{
		"POST " + appBaseT + "/gray-release":  {envelopeOf(`{"app_id":7,"new_service_id":"s2","domain_name":"r","gray_ratio":10}`)},
		"POST " + appBaseT + "/gray-rollback": {envelopeOf(`{"app_id":7,"domain_name":"r","deleted_service_count":1}`)},
	})
	_, err := c.Apps.RunCanary(context.Background(), "t1", "r1", 7, &CanaryPlan{
		Start: CanaryStart{TemplateID: "m1", RouteName: "r", Ratio: 10}, Schedule: []int{100}, Timeout: 50 * time.Millisecond,
		Gate: func(ctx context.Context, _ int) error { <-ctx.Done(); return ctx.Err() }, // a gate that never decides
	})
	var run *CanaryRunError
	require.ErrorAs(t, err, &run)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, run.RolledBack, "the rollback runs after the bound")
	assert.Contains(t, rt.sentTo(), "POST "+appBaseT+"/gray-rollback")
}

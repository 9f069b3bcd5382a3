package rainbondtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func TestImportAPackageThenDeployIt(t *testing.T) {
	t.Parallel()
	clock := rainbondtest.NewClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	srv := rainbondtest.NewServer(rainbondtest.WithClock(clock), rainbondtest.WithTransitionTime(time.Minute))
	defer srv.Close()
	seed := srv.Seed()
	srv.AddImportPackage("shop-1.0.tar", shopModel)

	created := answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/import"), ""), 200).Data.Bean
	event := created["event_id"].(string)
	assert.Equal(t, "/console/regions/rainbond/websocket/app/upload/"+event, created["upload_url"], "relative to the console's base URL")
	assert.Equal(t, "uploading", created["status"])
	assert.Equal(t, "默认集群", created["region_name"], "the region's alias")
	again := answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/import"), ""), 200).Data.Bean
	assert.Equal(t, event, again["event_id"], "the user's unfinished record is reused")

	url := srv.URL + created["upload_url"].(string)
	resp := uploadFile(t, srv, url, "", "", nil)
	assert.Equal(t, 501, resp.StatusCode)
	assert.JSONEq(t, `{"msg":"Failed to parse upload file."}`, string(must(io.ReadAll(resp.Body))))
	resp = uploadFile(t, srv, url, "appTarFile", "shop-1.0.tar", []byte("tarball"))
	require.Equal(t, 200, resp.StatusCode, "no token needed")
	assert.Equal(t, []rainbondtest.UploadedFile{{Name: "shop-1.0.tar", Size: 7}}, srv.UploadedFiles(event))

	base := teamPath(seed.TeamA, "/app-model/import/"+event)
	assert.Equal(t, []any{"shop-1.0.tar"}, answerOf(t, do(t, srv, "GET", base+"/dir", ""), 200).Data.List)
	assert.Equal(t, "请选择要导入的文件", answerOf(t, do(t, srv, "POST", base, `{}`), 400).MsgShow)
	assert.Equal(t, "'list' object has no attribute 'split'", answerOf(t, do(t, srv, "POST", base, `{"file_name": ["shop-1.0.tar"]}`), 500).Msg)
	assert.Equal(t, "操作成功，正在导入", answerOf(t, do(t, srv, "POST", base, `{"file_name": "shop-1.0.tar"}`), 200).MsgShow)

	status := answerOf(t, do(t, srv, "GET", base, ""), 200)
	assert.Equal(t, "importing", status.Data.Bean["status"])
	assert.Empty(t, status.Data.List)
	clock.Advance(time.Minute)
	assert.Equal(t, []any{"shop-1.0.tar.success"}, answerOf(t, do(t, srv, "GET", base+"/dir", ""), 200).Data.List)
	status = answerOf(t, do(t, srv, "GET", base, ""), 200)
	assert.Equal(t, "success", status.Data.Bean["status"])
	require.Len(t, status.Data.List, 2, "one template per version, on the first GET that sees success")
	assert.Equal(t, "shop", status.Data.List[0].(map[string]any)["group_key"])
	assert.Empty(t, answerOf(t, do(t, srv, "GET", base, ""), 200).Data.List, "later GETs: list []")
	assert.Empty(t, answerOf(t, do(t, srv, "GET", base+"/dir", ""), 200).Data.List, "the directory is gone")

	body := `{"deploy_type": "ram", "action": "deploy", "app_id": 1, "group_key": "shop", "group_version": "2.0"}`
	require.Equal(t, 200, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/deploy"), body).StatusCode)
	assert.Equal(t, []string{"web", "worker"}, cnames(srv.Components(seed.AppA.ID)))
	next := answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/import"), ""), 200).Data.Bean
	assert.NotEqual(t, event, next["event_id"], "a finished record is not reused")
}

func TestImportReadsJSONPackagesAndFailsOnOthers(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	importFiles := func(files map[string]string, names string) answer {
		event := answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/import"), ""), 200).Data.Bean["event_id"].(string)
		for name, content := range files {
			uploadFile(t, srv, srv.URL+"/console/regions/rainbond/websocket/app/upload/"+event, "appTarFile", name, []byte(content))
		}
		base := teamPath(seed.TeamA, "/app-model/import/"+event)
		require.Equal(t, 200, do(t, srv, "POST", base, `{"file_name": "`+names+`"}`).StatusCode)
		return answerOf(t, do(t, srv, "GET", base, ""), 200)
	}
	model, _ := json.Marshal(rainbondtest.AppModel{ID: "blog", Name: "blog", Versions: []rainbondtest.AppModelVersion{{Version: "1"}}})
	assert.Equal(t, "success", importFiles(map[string]string{"blog.zip": string(model)}, "blog.zip").Data.Bean["status"])
	assert.Equal(t, "failed", importFiles(map[string]string{"notes.txt": "hello"}, "notes.txt").Data.Bean["status"])
	assert.Equal(t, "failed", importFiles(map[string]string{"a.tar": string(model)}, "a.tar, b.tar").Data.Bean["status"], "names are split, not trimmed")
}

func TestImportOddities(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer(rainbondtest.WithConsoleVersion("v6.9.1"))
	defer srv.Close()
	seed := srv.Seed()
	bean := answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/import"), ""), 200).Data.Bean
	event := bean["event_id"].(string)
	assert.Equal(t, srv.URL+"/app/upload/"+event, bean["upload_url"], "before v6.9.2: the region's own address")
	assert.Equal(t, 200, uploadFile(t, srv, bean["upload_url"].(string), "appTarFile", "x.tar", []byte("x")).StatusCode)

	dir := teamPath(seed.TeamA, "/app-model/import/"+event+"/dir")
	assert.Equal(t, 10401, answerOf(t, do(t, srv, "DELETE", dir+"?event_id="+event, ""), 500).Code, "DELETE …/dir always fails")
	assert.Equal(t, "event id is null", answerOf(t, do(t, srv, "DELETE", dir, ""), 400).Msg)
	assert.Equal(t, "import_record not found", answerOf(t, do(t, srv, "GET", teamPath(seed.TeamA, "/app-model/import/nope/dir"), ""), 400).Msg)
	assert.Equal(t, "操作成功", answerOf(t, do(t, srv, "DELETE", teamPath(seed.TeamA, "/app-model/import/nope"), ""), 200).MsgShow)
	assert.Equal(t, "操作成功", answerOf(t, do(t, srv, "DELETE", teamPath(seed.TeamA, "/app-model/import/"+event), ""), 200).MsgShow)
	assert.Empty(t, srv.UploadedFiles(event))
	assert.Equal(t, "import_record not found", answerOf(t, do(t, srv, "GET", teamPath(seed.TeamA, "/app-model/import/"+event), ""), 400).Msg)
}

func TestChartPackagesInstallAndUpgrade(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	event := answerOf(t, do(t, srv, "POST", teamPath(seed.TeamA, "/app-model/import"), ""), 200).Data.Bean["event_id"].(string)
	path := teamPath(seed.TeamA, "/app-model/import/"+event+"/chart")
	chart := func(version, action string) string {
		return fmt.Sprintf(`{"app_id": %d, "name": "nginx", "version": %q, "action": %q}`, seed.AppA.ID, version, action)
	}

	for body, show := range map[string]string{
		`{"name": "nginx", "version": "1", "action": "deploy"}`:  "缺少应用id",
		`{"app_id": 1, "version": "1", "action": "deploy"}`:      "缺少chart包名称",
		`{"app_id": 1, "name": "nginx", "action": "deploy"}`:     "缺少chart包版本",
		`{"app_id": 1, "name": "nginx", "version": "1"}`:         "请指定操作方式，deploy or upgrade",
		`{"app_id": 0, "name": "nginx", "version": "1", "x": 1}`: "缺少应用id",
	} {
		assert.Equal(t, show, answerOf(t, do(t, srv, "POST", path, body), 400).MsgShow, body)
	}
	a := answerOf(t, do(t, srv, "POST", path, chart("1.0", "deploy")), 200)
	assert.Equal(t, []any{400, "解析失败，没有找到nginx-1.0.tgz"}, []any{a.Code, a.MsgShow}, "HTTP 200, code 400")

	upload := srv.URL + "/console/regions/rainbond/websocket/app/upload/" + event
	uploadFile(t, srv, upload, "appTarFile", "nginx-1.0.tgz", []byte("chart"))
	assert.Equal(t, "安装应用成功", answerOf(t, do(t, srv, "POST", path, chart("1.0", "deploy")), 200).MsgShow)
	comps := srv.Components(seed.AppA.ID)
	require.Len(t, comps, 1)
	assert.Equal(t, "nginx:1.0", comps[0].Image)

	uploadFile(t, srv, upload, "appTarFile", "nginx-2.0.tgz", []byte("chart"))
	assert.Equal(t, "暂不支持当前操作:rollback", answerOf(t, do(t, srv, "POST", path, chart("2.0", "rollback")), 400).MsgShow)
	assert.Len(t, srv.LocalModels()[0].Versions, 2, "the template got the version before the action was refused")
	assert.Equal(t, "更新应用成功", answerOf(t, do(t, srv, "POST", path, chart("2.0", "upgrade")), 200).MsgShow)
	assert.Equal(t, "nginx:2.0", srv.Components(seed.AppA.ID)[0].Image)

	a = answerOf(t, do(t, srv, "POST", path, `{"app_id": 999, "name": "nginx", "version": "1.0", "action": "deploy"}`), 500)
	assert.Equal(t, "RegionApp matching query does not exist.", a.Msg)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

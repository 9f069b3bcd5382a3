package rainbondtest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

func volumeBody(name, path string, extra string) string {
	return fmt.Sprintf(`{"volume_name": %q, "volume_path": %q, "volume_capacity": 1, "volume_type": "local-path"%s}`, name, path, extra)
}

func TestVolumesAreCheckedInTheConsolesOrder(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	path := appPath(seed, "/services/"+wp.ServiceID+"/volumes")

	a := answerOf(t, do(t, srv, "POST", path, `{"volume_name": "data", "volume_path": "/data", "volume_capacity": null, "volume_type": "x"}`), 400)
	assert.Equal(t, []string{"该字段不能为 null。"}, a.Err["volume_capacity"])

	type refusal struct {
		status  int
		msg     string
		msgShow string
	}
	require.Equal(t, 200, do(t, srv, "POST", path, volumeBody("data", "/data", "")).StatusCode)
	for body, want := range map[string]refusal{
		volumeBody("-data", "/x1", ""):                      {400, "volume name illegal", "持久化名称只支持数字字母下划线"},
		volumeBody("a b", "/x1", ""):                        {400, "volume name illegal", "持久化名称只支持数字字母下划线"},
		volumeBody("m1", "/x1", `, "mode": "644"`):          {400, "mode be a number between 0 and 777 (octal)", "权限必须是在0和777之间的八进制数"},
		volumeBody("m2", "/x1", `, "mode": 8`):              {400, "mode be a number between 0 and 777 (octal)", "权限必须是在0和777之间的八进制数"},
		volumeBody("m3", "/x1", `, "mode": true`):           {400, "mode be a number between 0 and 777 (octal)", "权限必须是在0和777之间的八进制数"},
		volumeBody("-bad", "/x1", `, "mode": "bad"`):        {400, "volume name illegal", "持久化名称只支持数字字母下划线"}, // the name first
		volumeBody("data", "/x1", ""):                       {400, "volume name already exists", "持久化名称[data]已存在"},
		volumeBody("dup", "/data", ""):                      {412, "path already exists", "持久化路径[/data]已存在"},
		volumeBody("short", "/ab", ""):                      {412, "path error", "请输入符合规范的路径（如：/tmp/volumes）"},
		volumeBody("rel", "data2", ""):                      {412, "path error", "请输入符合规范的路径（如：/tmp/volumes）"},
		volumeBody("nested", "/data/sub", ""):               {412, "path error", "已存在以/data开头的路径"},
		volumeBody("parent", "/dat", `, "mode": 755`):       {0, "", ""}, // neither nested nor taken: accepted
		volumeBody("sys", "/etc", `, "access_mode": "rwx"`): {0, "", ""}, // system paths are allowed here
	} {
		resp := do(t, srv, "POST", path, body)
		if want.status == 0 {
			assert.Equal(t, 200, resp.StatusCode, body)
			continue
		}
		a := answerOf(t, resp, want.status)
		assert.Equal(t, []any{want.status, want.msg, want.msgShow}, []any{a.Code, a.Msg, a.MsgShow}, body)
	}
}

func TestVolumePathRulesDependOnTheComponentsKind(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	path := appPath(seed, "/services/"+wp.ServiceID+"/volumes")

	require.NoError(t, srv.SetServiceSource(wp.ServiceID, "source_code", "java-maven"))
	for p, want := range map[string][]any{
		"/app":  {409, "源码组件不能挂载/app或/tmp目录"},
		"data":  {412, "挂载路径需为标准的 Linux 路径"},
		"/etc":  {412, "路径/etc为系统路径"},
		"/ab":   {200, "持久化路径添加成功"}, // is_path_legal is not applied to source components
		"/tmp2": {200, "持久化路径添加成功"},
	} {
		a := answerOf(t, do(t, srv, "POST", path, volumeBody("v"+fmt.Sprint(len(p))+p[1:], p, "")), want[0].(int))
		assert.Equal(t, want[1], a.MsgShow, p)
	}
	require.NoError(t, srv.SetServiceSource(wp.ServiceID, "vm_run", ""))
	assert.Equal(t, 200, do(t, srv, "POST", path, volumeBody("root", "/", "")).StatusCode, "no path check for a VM")
}

func TestAVolumesAnswerIsItsRow(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	seed := srv.Seed()
	wp := installWordPress(t, srv, seed.TeamA, seed.AppA)
	path := appPath(seed, "/services/"+wp.ServiceID+"/volumes")

	a := answerOf(t, do(t, srv, "POST", path, `{"volume_name": "data", "volume_path": "/data", "volume_capacity": -5, "volume_type": "ceph-rbd", "mode": 644}`), 200)
	bean := a.Data.Bean
	assert.Len(t, bean, 15)
	assert.Equal(t, "local-path", bean["volume_type"], "an unknown type is replaced")
	assert.Equal(t, float64(-5), bean["volume_capacity"])
	assert.Equal(t, "RWX", bean["access_mode"], "local-path on a stateless_multiple component")
	assert.Equal(t, "/grdata/tenant/"+seed.TeamA.TenantID+"/service/"+wp.ServiceID+"/data", bean["host_path"])
	assert.Equal(t, float64(644), bean["mode"])
	assert.Equal(t, false, bean["allow_expansion"])

	a = answerOf(t, do(t, srv, "POST", path, `{"volume_name": "shared", "volume_path": "/shared", "volume_capacity": 2, "volume_type": "share-file"}`), 200)
	assert.Equal(t, "rainbondsssc", a.Data.Bean["volume_provider_name"], "a type the cluster offers keeps its provisioner")
	a = answerOf(t, do(t, srv, "POST", path, `{"volume_name": "conf", "volume_path": "/etc/app.conf", "volume_capacity": 0, "volume_type": "config-file", "file_content": "a=1"}`), 200)
	assert.Nil(t, a.Data.Bean["mode"])
	vols := srv.Volumes(wp.ServiceID)
	require.Len(t, vols, 3)
	assert.Equal(t, "a=1", vols[2].FileContent)
	assert.Equal(t, "RWX", vols[2].AccessMode)
}

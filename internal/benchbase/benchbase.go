// Package benchbase holds what the benchmarks share: the console's answers
// at any size, a loopback server giving them, the SDK's requests, and the
// baseline they are measured against, which is what a competent Go
// developer writes by hand for the same two calls: net/http and
// encoding/json, plain structs of its own with the same members and tags
// (no SDK type, no custom (un)marshaler), the identical request bytes,
// json.NewDecoder(resp.Body).Decode.
package benchbase

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rbdkit/rainbond-go"
)

// Token is the token both clients send.
const Token = "0b6f2c8e4d1a4f7e9c3b5a7d9e1f3a5c0b6f2c8e"

// fixture is testdata/console/install.json, found from this file, so that
// benchmarks of any package can read it.
func fixture() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "console", "install.json")
}

// ComponentsBody returns an install (or copy) answer with n components,
// each a copy of a component of testdata/console/install.json with its own
// ids and the members a console sends beyond the SDK's model
// (UnknownMembers).
func ComponentsBody(tb testing.TB, n int, copyAnswer bool) []byte {
	raw, err := os.ReadFile(fixture())
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(doc["service_list"], &list); err != nil {
		tb.Fatal(err)
	}
	comps := make([]map[string]json.RawMessage, n)
	for i := range comps {
		c := make(map[string]json.RawMessage, len(list[0]))
		for k, v := range list[i%2] {
			c[k] = v
		}
		c["service_id"] = json.RawMessage(strconv.Quote(fmt.Sprintf("%032x", i)))
		c["service_alias"] = json.RawMessage(strconv.Quote(fmt.Sprintf("gr%06x", i)))
		for k, v := range UnknownMembers(c) {
			c[k] = v
		}
		comps[i] = c
	}
	var out []byte
	if copyAnswer {
		out, err = json.Marshal(map[string]any{"services": comps})
	} else {
		doc["service_list"], _ = json.Marshal(comps)
		out, err = json.Marshal(doc)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// UnknownMembers are the members a console sends with component c that
// neither the SDK's ServiceBaseInfo nor the baseline's PlainComponent
// models: columns of TenantServiceInfo (www/models/main.py) that today's
// ServiceBaseInfoSerializer excludes and other releases send (older ones
// sent create_time, update_time and expired_time), and the build source
// and ports that the console's other component views attach. Strings,
// numbers, a boolean, null, an object and an array: the SDK keeps them
// raw in ServiceBaseInfo.Extra, the baseline skips them, as a hand-written
// client with its own structs would.
func UnknownMembers(c map[string]json.RawMessage) map[string]json.RawMessage {
	alias, _ := strconv.Unquote(string(c["service_alias"]))
	port, protocol := 8080, "http"
	if string(c["service_cname"]) == `"mysql"` {
		port, protocol = 3306, "mysql"
	}
	return map[string]json.RawMessage{
		"service_port":   json.RawMessage(strconv.Itoa(port)),
		"is_web_service": json.RawMessage(`false`),
		"deploy_version": json.RawMessage(`"20240501123045"`),
		"create_time":    json.RawMessage(`"2024-05-01T12:30:45.123456"`),
		"update_time":    json.RawMessage(`"2024-05-01T12:31:02.514398"`),
		"expired_time":   json.RawMessage(`null`),
		"build_source": json.RawMessage(`{"service_source":` + string(c["service_source"]) + `,"version":` + string(c["version"]) +
			`,"language":` + string(c["language"]) + `,"code_from":` + string(c["code_from"]) + `,"rain_app_name":` + string(c["service_cname"]) + `}`),
		"ports": json.RawMessage(fmt.Sprintf(`[{"container_port":%d,"protocol":"%s","port_alias":"%s%d","is_inner_service":true,"is_outer_service":false}]`,
			port, protocol, strings.ToUpper(alias), port)),
	}
}

// Server answers every request with body, as the console would.
func Server(tb testing.TB, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// Key is the market access key the install carries.
const Key = "0af5dff63cb740788e1234567890abcd"

// Install is the SDK's install request.
func Install() *rainbond.Install {
	return &rainbond.Install{
		MarketURL: "https://store.goodrain.com", MarketDomain: "rainbond", MarketType: "rainstore",
		MarketAccessKey: rainbond.NewSecret(Key), AppModelID: "a9a2c3e4f5b6478899aabbccddeeff00", AppModelVersion: "1.2.0",
	}
}

// Copy is the SDK's copy request.
func Copy() *rainbond.AppCopyC {
	return &rainbond.AppCopyC{
		Services:       []rainbond.AppCopyModify{{ServiceID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}, {ServiceID: "f9e8d7c6b5a4938271605f4e3d2c1b0a"}},
		TargetTeamName: "k2m8x4qa", TargetRegionName: "rainbond", TargetAppID: 2,
	}
}

// The baseline's own types: the members of the console's answers, typed
// plainly as its OpenAPI description types them (a nullable string is a
// string; null leaves it "").

// PlainComponent is the baseline's component.
type PlainComponent struct {
	Status               string   `json:"status"`
	AccessInfos          []string `json:"access_infos"`
	ServiceID            string   `json:"service_id"`
	TenantID             string   `json:"tenant_id"`
	ServiceKey           string   `json:"service_key"`
	ServiceAlias         string   `json:"service_alias"`
	ServiceCname         string   `json:"service_cname"`
	ServiceRegion        string   `json:"service_region"`
	Desc                 string   `json:"desc"`
	Category             string   `json:"category"`
	Version              string   `json:"version"`
	UpdateVersion        int      `json:"update_version"`
	Image                string   `json:"image"`
	Cmd                  string   `json:"cmd"`
	MinNode              int      `json:"min_node"`
	MinCPU               int      `json:"min_cpu"`
	ContainerGPU         int      `json:"container_gpu"`
	MinMemory            int      `json:"min_memory"`
	ExtendMethod         string   `json:"extend_method"`
	CodeFrom             string   `json:"code_from"`
	GitURL               string   `json:"git_url"`
	GitProjectID         int      `json:"git_project_id"`
	CodeVersion          string   `json:"code_version"`
	ServiceType          string   `json:"service_type"`
	Creater              int      `json:"creater"`
	Language             string   `json:"language"`
	BuildStrategy        string   `json:"build_strategy"`
	TotalMemory          int      `json:"total_memory"`
	IsService            bool     `json:"is_service"`
	ServiceOrigin        string   `json:"service_origin"`
	TenantServiceGroupID int      `json:"tenant_service_group_id"`
	OpenWebhooks         bool     `json:"open_webhooks"`
	ServiceSource        string   `json:"service_source"`
	CreateStatus         string   `json:"create_status"`
	CheckUUID            string   `json:"check_uuid"`
	CheckEventID         string   `json:"check_event_id"`
	DockerCmd            string   `json:"docker_cmd"`
	ServerType           string   `json:"server_type"`
	IsUpgrate            bool     `json:"is_upgrate"`
	BuildUpgrade         bool     `json:"build_upgrade"`
	OAuthServiceID       int      `json:"oauth_service_id"`
	K8sComponentName     string   `json:"k8s_component_name"`
	JobStrategy          string   `json:"job_strategy"`
	Arch                 string   `json:"arch"`
	Dockerfile           string   `json:"dockerfile"`
}

// PlainInstalled is the baseline's install answer.
type PlainInstalled struct {
	EnterpriseID string           `json:"enterprise_id"`
	TeamID       string           `json:"team_id"`
	Note         string           `json:"note"`
	ID           int64            `json:"ID"`
	RegionName   string           `json:"region_name"`
	ServiceList  []PlainComponent `json:"service_list"`
}

// PlainCopied is the baseline's copy answer.
type PlainCopied struct {
	Services []PlainComponent `json:"services"`
}

type plainInstallBody struct {
	MarketURL       string `json:"market_url"`
	MarketDomain    string `json:"market_domain"`
	MarketType      string `json:"market_type"`
	MarketAccessKey string `json:"market_access_key"`
	AppModelID      string `json:"app_model_id"`
	AppModelVersion string `json:"app_model_version"`
}

type plainCopyBody struct {
	Services []struct {
		ServiceID string `json:"service_id"`
	} `json:"services"`
	TargetTeamName   string `json:"target_team_name"`
	TargetRegionName string `json:"target_region_name"`
	TargetAppID      int64  `json:"target_app_id"`
}

func plainInstall() plainInstallBody {
	return plainInstallBody{
		MarketURL: "https://store.goodrain.com", MarketDomain: "rainbond", MarketType: "rainstore",
		MarketAccessKey: Key, AppModelID: "a9a2c3e4f5b6478899aabbccddeeff00", AppModelVersion: "1.2.0",
	}
}

func plainCopy() plainCopyBody {
	var b plainCopyBody
	b.Services = make([]struct {
		ServiceID string `json:"service_id"`
	}, 2)
	b.Services[0].ServiceID, b.Services[1].ServiceID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "f9e8d7c6b5a4938271605f4e3d2c1b0a"
	b.TargetTeamName, b.TargetRegionName, b.TargetAppID = "k2m8x4qa", "rainbond", 2
	return b
}

// Baseline is the hand-written client: net/http with a pool sized for
// concurrency and the SDK's 30 s timeout, the body streamed into the
// decoder and drained.
type Baseline struct {
	hc   *http.Client
	base string
}

// NewBaseline returns the hand-written client for the console at url.
func NewBaseline(url string) *Baseline {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 100, 100
	return &Baseline{hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}, base: url + "/openapi/v1"}
}

func (b *Baseline) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", Token)
	req.Header.Set("User-Agent", "rainbond-go/"+rainbond.Version)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	err = json.NewDecoder(resp.Body).Decode(out)
	_, _ = io.Copy(io.Discard, resp.Body)
	return err
}

// Install makes the install call.
func (b *Baseline) Install(ctx context.Context) (*PlainInstalled, error) {
	out := new(PlainInstalled)
	return out, b.post(ctx, "/teams/o19p6wen/regions/rainbond/apps/1/install?is_deploy=true", plainInstall(), out)
}

// Copy makes the copy call.
func (b *Baseline) Copy(ctx context.Context) (*PlainCopied, error) {
	out := new(PlainCopied)
	return out, b.post(ctx, "/teams/o19p6wen/regions/rainbond/apps/1/copy", plainCopy(), out)
}

// SDK returns an SDK client for the console at url.
func SDK(tb testing.TB, url string, opts ...rainbond.Option) *rainbond.Client {
	c, err := rainbond.NewClient(url, append([]rainbond.Option{rainbond.WithToken(Token)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Deploy is the install's options.
var Deploy = &rainbond.InstallOptions{Deploy: true}

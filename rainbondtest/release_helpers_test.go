package rainbondtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// Helpers of the tests of canaries, app models, imports, storage,
// third-party components and app deletion.

// answer is the console's envelope, or a refusal of its global handler.
type answer struct {
	Code    int    `json:"code"`
	Msg     any    `json:"msg"`
	MsgShow string `json:"msg_show"`
	Data    struct {
		Bean map[string]any `json:"bean"`
		List []any          `json:"list"`
	} `json:"data"`
	Err map[string][]string `json:"err"`
}

// answerOf decodes an answer, checking its HTTP status.
func answerOf(t *testing.T, resp *http.Response, status int) answer {
	t.Helper()
	require.Equal(t, status, resp.StatusCode)
	var a answer
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
	return a
}

func teamPath(team rainbondtest.Team, suffix string) string {
	return "/openapi/v1/teams/" + team.TenantID + "/regions/rainbond" + suffix
}

func appPathOf(team rainbondtest.Team, app rainbondtest.App, suffix string) string {
	return teamPath(team, fmt.Sprintf("/apps/%d%s", app.ID, suffix))
}

// installWordPress installs the seed's WordPress 6.4 from the store into
// app and returns its wordpress component.
func installWordPress(t *testing.T, srv *rainbondtest.Server, team rainbondtest.Team, app rainbondtest.App) rainbondtest.Component {
	t.Helper()
	seed := srv.Seed()
	require.Equal(t, 200, do(t, srv, "POST", appPathOf(team, app, "/install"), installBody(seed, "6.4")).StatusCode)
	for _, c := range srv.Components(app.ID) {
		if c.Cname == "wordpress" {
			return c
		}
	}
	t.Fatal("no wordpress installed")
	return rainbondtest.Component{}
}

// openRule makes an HTTP rule for host on port 80 of a component,
// opening the port to the outside.
func openRule(t *testing.T, srv *rainbondtest.Server, team rainbondtest.Team, app rainbondtest.App, serviceID, host, path string) {
	t.Helper()
	body := fmt.Sprintf(`{"service_id": %q, "container_port": 80, "domain_name": %q, "domain_path": %q, "whether_open": true}`, serviceID, host, path)
	require.Equal(t, 201, do(t, srv, "POST", appPathOf(team, app, "/httpdomains"), body).StatusCode)
}

// uploadFile posts a multipart form with one file, without a token.
func uploadFile(t *testing.T, srv *rainbondtest.Server, url, field, fileName string, content []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if field != "" {
		fw, err := w.CreateFormFile(field, fileName)
		require.NoError(t, err)
		_, _ = fw.Write(content)
	} else {
		require.NoError(t, w.WriteField("note", "no file"))
	}
	require.NoError(t, w.Close())
	req, err := http.NewRequest("POST", url, &buf)
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func cnames(comps []rainbondtest.Component) []string {
	out := []string{}
	for _, c := range comps {
		out = append(out, c.Cname)
	}
	return out
}

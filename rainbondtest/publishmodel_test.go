package rainbondtest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rbdkit/rainbond-go/rainbondtest"
)

// EntAppModelView's answers: {"msg", "app_id"}, the id made from the name.
func TestPublishModelCreatesThenReplacesAVersion(t *testing.T) {
	t.Parallel()
	srv := rainbondtest.NewServer()
	defer srv.Close()
	body := `{"app_name": "shop", "version": "1.0", "apps": [{"service_cname": "web", "share_image": "goodrain.me/shop:1.0"}]}`
	var got map[string]string
	resp := do(t, srv, "POST", "/openapi/v1/app_model", body)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, "版本已创建", got["msg"])
	assert.Regexp(t, `^[0-9a-f]{32}$`, got["app_id"])

	resp = do(t, srv, "POST", "/openapi/v1/app_model", `{"app_name": "shop", "version": "1.0", "apps": "[{\"service_cname\": \"web\", \"share_image\": \"goodrain.me/shop:1.1\"}]"}`)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, "版本已更新", got["msg"], "apps may be a JSON string")
	assert.Equal(t, http.StatusBadRequest, do(t, srv, "POST", "/openapi/v1/app_model", `{"app_name": "shop", "version": "1.0", "apps": []}`).StatusCode)
}

package rainbondtest

import (
	"net/http"
	"strconv"
	"strings"
)

// newestConsole is the release the server answers as without
// WithConsoleVersion.
const newestConsole = "v6.9.8-release"

// consoleRelease is the console's RELEASE_DESC: "v" and the release's
// numbers, then "-release".
func (s *Server) consoleRelease() string {
	if s.version == nil {
		return newestConsole
	}
	parts := make([]string, len(s.version))
	for i, n := range s.version {
		parts[i] = strconv.Itoa(n)
	}
	return "v" + strings.Join(parts, ".") + "-release"
}

// configInfo is the console's GET /console/config/info (ConfigRUDView,
// console/views/logos.py), outside the OpenAPI and open to anyone (an
// OpenAPI token is no JWT and is ignored): the platform's configuration
// in the envelope, bean.version the console's RELEASE_DESC.
func (c *call) configInfo() {
	c.json(http.StatusOK, map[string]any{
		"code": 200, "msg": "query success", "msg_show": "Logo获取成功",
		"data": map[string]any{
			"bean": map[string]any{
				"is_public":           map[string]any{"enable": true, "value": false},
				"market_url":          map[string]any{"enable": true, "value": "https://store.goodrain.com"},
				"version":             map[string]any{"enable": true, "value": c.s.consoleRelease()},
				"title":               map[string]any{"enable": true, "value": ""},
				"logo":                map[string]any{"enable": true, "value": nil},
				"favicon":             map[string]any{"enable": true, "value": nil},
				"is_regist":           map[string]any{"enable": true, "value": nil},
				"document":            map[string]any{"enable": true, "value": map[string]any{"platform_url": "https://www.rainbond.com/"}},
				"shadow":              map[string]any{"enable": true, "value": nil},
				"enterprise_id":       c.s.state.enterpriseID,
				"first_app_deployed":  len(c.s.state.components) > 0,
				"is_disable_logout":   false,
				"is_offline":          false,
				"sso_enable":          false,
				"diy":                 true,
				"enable_yum_oauth":    false,
				"diy_customer":        "rainbond",
				"is_delivery_version": false,
				"portal_site":         "",
			},
			"list":            []any{},
			"initialize_info": nil,
		},
	})
}

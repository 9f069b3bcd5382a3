package rainbondtest

import "net/http"

// Smart deploy: SmartDeployTemplateView (openapi/views/apps/apps.py,
// console v6.6.0+) with SmartDeployAppSerializer (app_serializer.py).

// smartDeploy is SmartDeployTemplateView.post: the serializer (DRF 400),
// then the app by exact name in the team and region; a model installed
// in it goes to the upgrade branch, which skips when the group's recorded
// version is the latest (string equality) and otherwise always fails (a
// TypeError in get_rainbond_app_by_key_version, caught: 500 "upgrade
// failed"); a model not installed, or an app not there (created, its k8s
// name the app's name), is installed at the latest version.
func (c *call) smartDeploy() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	texts := charInto(&errs, data, charField{name: "app_name", max: 128}, charField{name: "template_id", max: 128},
		charField{name: "market_name", max: 128, allowBlank: true, optional: true})
	isDeploy := drfBool(&errs, data, "is_deploy", true)
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	name, templateID, marketName := *texts["app_name"], *texts["template_id"], ""
	if m := texts["market_name"]; m != nil {
		marketName = *m
	}
	a := c.s.state.appNamed(t.TenantID, region, name)
	if a != nil {
		for _, m := range c.s.marketAppsIn(a.ID) {
			if m.modelID == templateID {
				c.smartUpgrade(m, templateID, marketName)
				return
			}
		}
	} else {
		if !c.checkAppName(t, region, name, name) { // create_app(k8s_app=app_name)
			return
		}
		a = c.s.state.addApp(App{TenantID: t.TenantID, RegionName: region, Name: name, Note: "通过智能部署模板创建", K8sApp: name})
	}
	model, version, market := c.s.smartLatest(templateID, marketName)
	if version == nil {
		c.failed(http.StatusNotFound, "template not found", "模板不存在")
		return
	}
	c.s.installVersion(t, a, version, model, market, c.user, isDeploy)
	c.envelope("模板安装成功", map[string]any{
		"action": "install", "app_id": a.ID, "app_name": a.Name, "template_id": templateID, "template_version": version.Version,
	}, nil)
}

// smartUpgrade is _upgrade_template.
func (c *call) smartUpgrade(m installedModel, templateID, marketName string) {
	_, latest, _ := c.s.smartLatest(templateID, marketName)
	switch {
	case latest == nil:
		c.failed(http.StatusNotFound, "template not found", "模板不存在")
	case latest.Version == m.group.version:
		c.envelope("当前已是最新版本，无需升级", map[string]any{
			"action": "skip", "template_id": templateID, "current_version": m.group.version, "latest_version": latest.Version,
		}, nil)
	default:
		c.failed(http.StatusInternalServerError, "upgrade failed",
			"模板升级失败: RainbondCenterAppRepository.get_rainbond_app_and_version() missing 1 required positional argument: 'app_version'")
	}
}

// smartLatest is _get_latest_version: from the store named marketName
// (its first listed version is the console's; the fake lists oldest
// first, so its last), or from the local library (the version updated
// last; the fake's last). Any failure is no version.
func (s *Server) smartLatest(templateID, marketName string) (*AppModel, *AppModelVersion, *Market) {
	model, version, market, err := s.grayTemplate(templateID, marketName, marketName != "")
	if err != nil {
		return nil, nil, nil
	}
	return model, version, market
}

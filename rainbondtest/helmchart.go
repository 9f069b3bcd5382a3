package rainbondtest

import (
	"strconv"
)

// T/app/{app_id}/helm_chart (console v5.17.1+; PUT since v6.0.0): HelmChart
// in openapi/views/apps/apps.py, defined twice, the second definition
// winning. The path's app_id ([\w\-]+) is never looked up.

// AddHelmChart puts version of chart chartName in the helm repo repoName
// of the console: GET …/helm_chart for it answers checkAdopt "true" with
// manifest as its yaml. For any other chart the cluster's check fails:
// "false", and helm's error as the yaml.
func (s *Server) AddHelmChart(repoName, chartName, version, manifest string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	initMap(&s.state.release.charts)[repoName+"/"+chartName+" "+version] = manifest
}

// helmChartFields are HelmChartSerializer's.
func helmChartFields(errs *drfErrors, data map[string]any) map[string]*string {
	return charInto(errs, data, charField{name: "repo_name", max: 512}, charField{name: "chart_name", max: 512},
		charField{name: "version", max: 512}, charField{name: "overrides", max: 512, optional: true})
}

// checkHelmChart is HelmChart.get (v5.17.1): HelmChartSerializer over the query
// string (DRF 400), then the cluster's check_helm_app: bean {"checkAdopt":
// "true"|"false" (a string), "yaml": the rendered manifest or the error}.
func (c *call) checkHelmChart() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	data := map[string]any{}
	for k, v := range djangoQuery(c.r.URL.RawQuery) {
		data[k] = v[len(v)-1]
	}
	var errs drfErrors
	f := helmChartFields(&errs, data)
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	repo, chart, version := *f["repo_name"], *f["chart_name"], *f["version"]
	bean := map[string]string{"checkAdopt": "true"}
	if manifest, ok := c.s.state.release.charts[repo+"/"+chart+" "+version]; ok {
		bean["yaml"] = manifest
	} else {
		bean["checkAdopt"] = "false"
		bean["yaml"] = "chart " + strconv.Quote(chart) + " version " + strconv.Quote(version) + " not found in " + repo + " repository"
	}
	c.envelope("获取成功", bean, nil)
}

// installHelmChart is HelmChart.post (v5.17.1). Since v6.0.0 it never succeeds:
// without a library template make_uuid3("repo/chart") it creates one
// whose id is the path's app_id (a bug), reads the uuid3 one back, gets
// None: 500 AttributeError; with one (made in the UI), it generates a
// version and returns no Response: Django's HTML 500. Before v6.0.0
// (v5.17.1–v5.17.3) it converted the chart into a template version and
// installed it into the app: 200 成功.
func (c *call) installHelmChart() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	f := helmChartFields(&errs, data)
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	repo, chart, version := *f["repo_name"], *f["chart_name"], *f["version"]
	pathAppID := c.params[2]
	modelID := makeUUID3(repo + "/" + chart)
	if c.s.has("v6.0.0") {
		if findModelIn(c.s.state.library, modelID) != nil {
			c.s.addHelmTemplate(modelID, chart, version, []ComponentTemplate{{Cname: chart, Image: chart + ":" + version, Version: version}})
			c.htmlServerError()
			return
		}
		if findModelIn(c.s.state.library, pathAppID) == nil {
			c.s.state.library = append(c.s.state.library, AppModel{ID: pathAppID, Name: chart})
			initMap(&c.s.state.release.librarySource)[pathAppID] = "helm"
		}
		c.serverError("AttributeError", "'NoneType' object has no attribute 'app_id'")
		return
	}
	c.s.addHelmTemplate(modelID, chart, version, []ComponentTemplate{{Cname: chart, Image: chart + ":" + version, Version: version}})
	appID, err := strconv.ParseInt(pathAppID, 10, 64)
	if err != nil {
		appID = -1
	}
	if c.installLocal(t, appID, modelID, version) {
		c.envelope("成功", nil, nil)
	}
}

// authorizeHelmChart is HelmChart.put (v6.0.0): UpdateAppAuthorizationPolicy
// (operating_mode, required, ≤32) is validated, and nothing is done.
func (c *call) authorizeHelmChart() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	charInto(&errs, data, charField{name: "operating_mode", max: 32})
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	c.envelope("成功", nil, nil)
}

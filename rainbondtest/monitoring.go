package rainbondtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Monitoring: the enterprise PromQL routes MonitorQueryOverview and
// MonitorQueryRangeOverview (openapi/views/enterprise_view.py, v6.3.3),
// the app monitors TeamAppsMonitorQueryView and
// TeamAppsMonitorQueryRangeView (openapi/views/apps/apps.py, v5.2.1), and
// the two routes whose views call methods that were never written. The
// clusters' Prometheus is promql.go.

// EnablePerformanceAnalysis gives a component an enabled plugin of the
// performance-analysis category, whose metrics the cluster's Prometheus
// then holds while the component runs; the app monitor routes answer
// only for such components.
//
// Each region's Prometheus holds, with m the minutes and s the seconds
// since the Unix epoch on the server's clock:
//
//   - up{job="api",instance="rbd-api:8443"}: 1;
//   - up{job="db",instance="rbd-db:3306"}: 1, but 0 when m mod 10 is 9;
//   - per running component with the plugin:
//     app_requesttime{mode="avg",service_id=…} = 20 + 2.5×(m mod 5),
//     app_request{method="total",service_id=…} = 2×s (a counter), and
//     app_requestclient{service_id=…} = 3 + (m mod 3);
//   - per HTTP gateway rule, apisix_http_status{code="200",
//     matched_host=<domain>,route=<tenant_name>_<alias>-<port>-<domain>p-ps-s_<hash>}:
//     a counter of (rule ID mod 5 + 1)/10 requests a second.
//
// Queries may use a vector selector (=, !=, =~, !~), sum(), avg() and
// max(), and the exact expressions the console sends itself; anything
// else is answered as Prometheus answers a query it cannot parse (400
// bad_data), which the console turns into its own 400.
func (s *Server) EnablePerformanceAnalysis(serviceID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.components[serviceID] == nil {
		return fmt.Errorf("rainbondtest: no component %q", serviceID)
	}
	s.state.platform.perfPlugin[serviceID] = true
	return nil
}

// monitorQuery is MonitorQueryOverview.get: the cluster of region_name
// (by name, any enterprise; 404 envelope for none) is asked
// "/api/v1/query?query=" + the decoded query value, pasted without
// encoding, and Prometheus' answer is passed on bare.
func (c *call) monitorQuery() {
	q := djangoQuery(c.r.URL.RawQuery)
	query, _ := q.get("query")
	c.promPassThrough(q, "/api/v1/query", "query="+query, false)
}

// monitorQueryRange is MonitorQueryRangeOverview.get: the same with
// start, end and step pasted after it, an absent one as the text None.
func (c *call) monitorQueryRange() {
	q := djangoQuery(c.r.URL.RawQuery)
	built := "query=" + pyGetText(q, "query", "")
	for _, name := range []string{"start", "end", "step"} {
		built += "&" + name + "=" + pyGetText(q, name, "None")
	}
	c.promPassThrough(q, "/api/v1/query_range", built, true)
}

// pyGetText is "{}".format(request.GET.get(name)): def when absent.
func pyGetText(q djangoQS, name, def string) string {
	if v, ok := q.get(name); ok {
		return v
	}
	return def
}

func (c *call) promPassThrough(q djangoQS, path, built string, rangeQuery bool) {
	name, _ := q.get("region_name")
	r := c.s.state.region(name)
	if r == nil {
		c.failed(http.StatusNotFound, "region not found", "数据中心不存在")
		return
	}
	if c.s.clusterDown(r) {
		c.clusterUnreachable(r, path+"?"+built)
		return
	}
	res := c.s.prometheus(r, built, rangeQuery)
	if res.status != http.StatusOK {
		c.callAPIError(r, path+"?"+built, res)
		return
	}
	c.json(http.StatusOK, res.body)
}

// callAPIError is the console's answer to a cluster's error without a
// code: CallApiError, 400 with the call as msg (an object) and, as the
// body has no msg, msg_show the Python repr of that object.
func (c *call) callAPIError(r *Region, pathAndQuery string, res promResult) {
	e := res.body.(promError)
	url := c.s.row(r).url + pathAndQuery
	repr := "{'apitype': 'Not specified', 'url': " + pyRepr(url) + ", 'method': 'GET', 'httpcode': " + strconv.Itoa(res.status) +
		", 'body': {'status': " + pyRepr(e.Status) + ", 'errorType': " + pyRepr(e.ErrorType) + ", 'error': " + pyRepr(e.Error) + "}}"
	c.json(http.StatusBadRequest, callAPIBody{Code: http.StatusBadRequest, Msg: callAPIMsg{"Not specified", url, "GET", res.status, e},
		MsgShow: "数据中心操作故障 " + repr})
}

// callAPIBody is custom_exception_handler's answer to a CallApiError.
type callAPIBody struct {
	Code    int        `json:"code"`
	Msg     callAPIMsg `json:"msg"`
	MsgShow string     `json:"msg_show"`
}

// callAPIMsg is CallApiError.message.
type callAPIMsg struct {
	APIType  string    `json:"apitype"`
	URL      string    `json:"url"`
	Method   string    `json:"method"`
	HTTPCode int       `json:"httpcode"`
	Body     promError `json:"body"`
}

// monitorSeries is MonitorSeriesOverview.get: RegionInvokeApi has never
// had get_query_series.
func (c *call) monitorSeries() {
	c.serverError("AttributeError", "'RegionInvokeApi' object has no attribute 'get_query_series'")
}

// instancesMonitor is InstancesMonitorOverview.get: EnterpriseServices
// has no get_instances_monitor.
func (c *call) instancesMonitor() {
	c.serverError("AttributeError", "'EnterpriseServices' object has no attribute 'get_instances_monitor'")
}

// monitorItems are the app monitors' fixed queries (monitor_query_items).
var monitorItems = []struct{ name, query string }{
	{"request_time", `ceil(avg(app_requesttime{mode="avg",service_id="%s"}))`},
	{"request", `sum(ceil(increase(app_request{service_id="%s",method="total"}[1m])/12))`},
	{"request_client", `max(app_requestclient{service_id="%s"})`},
}

// appMonitor is ComponentMonitorSerializers' data.
type appMonitor struct {
	Monitors     []monitorItem `json:"monitors"`
	ServiceID    string        `json:"service_id"`
	ServiceCname string        `json:"service_cname"`
	ServiceAlias string        `json:"service_alias"`
}

// monitorItem is ComponentMonitorItemsSerializers' data: of each result,
// only value is kept.
type monitorItem struct {
	Data struct {
		ResultType string         `json:"resultType"`
		Result     []monitorValue `json:"result"`
	} `json:"data"`
	MonitorItem string `json:"monitor_item"`
	Status      string `json:"status"`
}

type monitorValue struct {
	Value []string `json:"value"`
}

// monitoredComponents are the components the app monitors report: the
// app's, not third-party, with the performance-analysis plugin, and with
// is_outer=true one of their ports open to the outside.
func (c *call) monitoredComponents(a *app) []*component {
	outer, _ := djangoQuery(c.r.URL.RawQuery).get("is_outer")
	var out []*component
	for _, comp := range c.s.state.componentsOf(a.ID) {
		if isThirdParty(comp) || !c.s.state.platform.perfPlugin[comp.ServiceID] {
			continue
		}
		if outer == "true" && !hasOuterPort(comp) {
			continue
		}
		out = append(out, comp)
	}
	return out
}

func hasOuterPort(comp *component) bool {
	for _, p := range comp.ports {
		if p.IsOuterService {
			return true
		}
	}
	return false
}

// appMonitorQuery is TeamAppsMonitorQueryView.get: per component, the
// three fixed queries; an item whose result is empty is left out, and
// each result is reduced to its value, the time turned into text. A
// cluster that fails fails the request.
func (c *call) appMonitorQuery() {
	_, region, a := c.teamApp()
	if a == nil {
		return
	}
	r := c.s.state.region(region)
	out := []appMonitor{}
	for _, comp := range c.monitoredComponents(a) {
		m := appMonitor{Monitors: []monitorItem{}, ServiceID: comp.ServiceID, ServiceCname: comp.ServiceCname, ServiceAlias: comp.ServiceAlias}
		for _, item := range monitorItems {
			built := "query=" + fmt.Sprintf(item.query, comp.ServiceID)
			if c.s.clusterDown(r) {
				c.clusterUnreachable(r, "/api/v1/query?"+built)
				return
			}
			res := c.s.prometheus(r, built, false)
			if res.status != http.StatusOK {
				c.callAPIError(r, "/api/v1/query?"+built, res)
				return
			}
			d := res.body.(promData)
			items := d.Data.Result.([]promVectorItem)
			if len(items) == 0 {
				continue
			}
			var mi monitorItem
			mi.MonitorItem, mi.Status, mi.Data.ResultType = item.name, d.Status, d.Data.ResultType
			for _, it := range items {
				mi.Data.Result = append(mi.Data.Result, monitorValue{Value: []string{string(it.Value[0].(json.Number)), it.Value[1].(string)}})
			}
			m.Monitors = append(m.Monitors, mi)
		}
		out = append(out, m)
	}
	c.answerMonitors(out)
}

// appMonitorQueryRange is TeamAppsMonitorQueryRangeView.get: start and
// end are required (400 envelope), step defaults to 60, all three pasted
// unvalidated; every cluster error is swallowed (the item is left out),
// and as the view reads "value" of results that carry "values", each
// result is answered as {"value": []}.
func (c *call) appMonitorQueryRange() {
	_, region, a := c.teamApp()
	if a == nil {
		return
	}
	q := djangoQuery(c.r.URL.RawQuery)
	start, _ := q.get("start")
	end, _ := q.get("end")
	if start == "" || end == "" {
		c.failed(http.StatusBadRequest, "params error", "缺少query参数")
		return
	}
	step := pyGetText(q, "step", "60")
	r := c.s.state.region(region)
	out := []appMonitor{}
	for _, comp := range c.monitoredComponents(a) {
		m := appMonitor{Monitors: []monitorItem{}, ServiceID: comp.ServiceID, ServiceCname: comp.ServiceCname, ServiceAlias: comp.ServiceAlias}
		for _, item := range monitorItems {
			if c.s.clusterDown(r) {
				continue
			}
			built := "query=" + fmt.Sprintf(item.query, comp.ServiceID) + "&start=" + start + "&end=" + end + "&step=" + step
			res := c.s.prometheus(r, built, true)
			if res.status != http.StatusOK {
				continue
			}
			d := res.body.(promData)
			items := d.Data.Result.([]promMatrixItem)
			if len(items) == 0 {
				continue
			}
			var mi monitorItem
			mi.MonitorItem, mi.Status, mi.Data.ResultType = item.name, d.Status, d.Data.ResultType
			for range items {
				mi.Data.Result = append(mi.Data.Result, monitorValue{Value: []string{}})
			}
			m.Monitors = append(m.Monitors, mi)
		}
		out = append(out, m)
	}
	c.answerMonitors(out)
}

// answerMonitors validates the answer (raise_exception): a component
// whose name is over 64 characters fails it.
func (c *call) answerMonitors(out []appMonitor) {
	problems, bad := make([]any, len(out)), false
	for i, m := range out {
		p := map[string][]string{}
		for field, v := range map[string]string{"service_id": m.ServiceID, "service_cname": m.ServiceCname, "service_alias": m.ServiceAlias} {
			limit := 64
			if field == "service_id" {
				limit = 32
			}
			switch {
			case strings.TrimSpace(v) == "":
				p[field] = []string{"该字段不能为空。"}
			case utf8.RuneCountInString(v) > limit:
				p[field] = []string{fmt.Sprintf("请确保这个字段不能超过 %d 个字符。", limit)}
			}
		}
		problems[i], bad = p, bad || len(p) > 0
	}
	if bad {
		c.validationErrors(problems)
		return
	}
	c.json(http.StatusOK, out)
}

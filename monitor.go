package rainbond

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Monitoring: MonitorQueryOverview, MonitorQueryRangeOverview,
// EnterpriseOverview, ServiceOverview, Performance_overview,
// ResourceOverview and ComponentMemoryOverview
// (openapi/views/enterprise_view.py), TeamAppsMonitorQueryView
// (openapi/views/apps/apps.py), and www/apiclient/regionapi.py
// get_query_data, which pastes the query into the cluster's URL without
// encoding it.

// MonitorService runs PromQL against a region's monitoring and reads the
// enterprise's overviews. Reach it as Client.Monitor.
type MonitorService struct {
	client *Client
}

// Releases that added the monitoring routes.
const (
	sinceMonitor      = "v6.3.3"
	sinceTrafficFlows = "v6.2.0"
	sinceAppMonitor   = "v5.2.1"
)

// Sample is a value of a series at a time. Value may be NaN or ±Inf, as
// Prometheus reports them.
type Sample struct {
	// Time is when the value was taken.
	Time time.Time
	// Value is the value.
	Value float64
}

// MarshalJSON writes {"time": RFC 3339, "value": number}, the value as
// Prometheus writes it ("NaN", "+Inf", "-Inf") where JSON has no number
// for it.
func (s Sample) MarshalJSON() ([]byte, error) {
	var value any = s.Value
	switch {
	case math.IsNaN(s.Value):
		value = "NaN"
	case math.IsInf(s.Value, 1):
		value = "+Inf"
	case math.IsInf(s.Value, -1):
		value = "-Inf"
	}
	return json.Marshal(struct {
		Time  time.Time `json:"time"`
		Value any       `json:"value"`
	}{s.Time, value})
}

// Series is a time series: its labels and its samples (one for an instant
// query, several for a range).
type Series struct {
	// Labels are the series' labels, __name__ included when Prometheus
	// sends it.
	Labels map[string]string
	// Samples are the series' values, oldest first.
	Samples []Sample
}

// QueryResult is a Prometheus answer, decoded.
type QueryResult struct {
	// Type is Prometheus' resultType: "vector", "matrix", "scalar" or
	// "string".
	Type string
	// Series are the series of a vector or a matrix; a scalar is one
	// series without labels.
	Series []Series
	// Text is the value of a "string" result.
	Text string
	// Warnings are Prometheus' warnings, if any.
	Warnings []string
}

// promAnswer is Prometheus' HTTP API answer, which the console passes on
// as it is.
type promAnswer struct {
	Status string `json:"status"`
	Data   struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
	Warnings []string `json:"warnings"`
}

// promSeries is a series of a vector (Value) or a matrix (Values).
type promSeries struct {
	Metric map[string]string   `json:"metric"`
	Value  []json.RawMessage   `json:"value"`
	Values [][]json.RawMessage `json:"values"`
}

// result decodes Prometheus' data into a QueryResult.
func (a *promAnswer) result() (*QueryResult, error) {
	out := &QueryResult{Type: a.Data.ResultType, Warnings: a.Warnings}
	if a.Status != "" && a.Status != "success" {
		return nil, fmt.Errorf("status %q", oneLine(a.Status, 40))
	}
	switch a.Data.ResultType {
	case "vector", "matrix":
		var series []promSeries
		if err := json.Unmarshal(a.Data.Result, &series); err != nil {
			return nil, err
		}
		for _, s := range series {
			points := s.Values
			if s.Value != nil {
				points = append(points, s.Value)
			}
			samples, err := samplesOf(points)
			if err != nil {
				return nil, err
			}
			out.Series = append(out.Series, Series{Labels: s.Metric, Samples: samples})
		}
	case "scalar":
		var point []json.RawMessage
		if err := json.Unmarshal(a.Data.Result, &point); err != nil {
			return nil, err
		}
		samples, err := samplesOf([][]json.RawMessage{point})
		if err != nil {
			return nil, err
		}
		out.Series = []Series{{Samples: samples}}
	case "string":
		var point []json.RawMessage
		if err := json.Unmarshal(a.Data.Result, &point); err != nil || len(point) != 2 {
			return nil, fmt.Errorf("a string result is not [time, text]")
		}
		if err := json.Unmarshal(point[1], &out.Text); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown resultType %q", oneLine(a.Data.ResultType, 40))
	}
	return out, nil
}

// samplesOf reads [time, "value"] pairs: the time a number or a numeric
// string of seconds, the value a string ("NaN", "+Inf" included).
func samplesOf(points [][]json.RawMessage) ([]Sample, error) {
	out := make([]Sample, 0, len(points))
	for _, p := range points {
		if len(p) != 2 {
			return nil, fmt.Errorf("a sample is not [time, value]: %d members", len(p))
		}
		t, err := unixTime(strings.Trim(string(p[0]), `"`))
		if err != nil {
			return nil, err
		}
		var text string
		if err := json.Unmarshal(p[1], &text); err != nil {
			text = string(p[1]) // a number, from a Prometheus that sends one
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, fmt.Errorf("sample value %q: %w", oneLine(text, 40), err)
		}
		out = append(out, Sample{Time: t, Value: v})
	}
	return out, nil
}

// unixTime reads seconds since the epoch, with a decimal fraction, exactly
// to the nanosecond.
func unixTime(s string) (time.Time, error) {
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) > 9 || strings.Trim(frac, "0123456789") != "" {
		return time.Time{}, fmt.Errorf("sample time %q: not seconds since the epoch", oneLine(s, 40))
	}
	nsec, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
	return time.Unix(sec, nsec), nil
}

// promQLValue makes a PromQL expression survive the console: it pastes
// the query it decoded into the cluster's URL without encoding it, so '+'
// would reach Prometheus as a space, '&' would cut the query and '#'
// would drop the rest. Every byte but RFC 3986's unreserved ones is
// percent-encoded once here (and once more as a query parameter), so that
// what Prometheus decodes last is the expression.
func promQLValue(promql string) string {
	var b strings.Builder
	for i := 0; i < len(promql); i++ {
		c := promql[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// unixSeconds writes t as Prometheus reads a time: seconds, with
// milliseconds.
func unixSeconds(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)
}

// maxMonitorQuery bounds a monitoring request's query string: the
// console's server (gevent's pywsgi) refuses a request line over 8 KiB,
// and the PromQL grows to up to five times its size once encoded twice.
const maxMonitorQuery = 7 << 10

func (v *validator) promQL(regionName, promql string) {
	v.pathSegment("region_name", regionName)
	v.text("query", promql, charField{required: true, max: maxMonitorQuery})
}

// monitorQuery encodes q, refusing what the console's server would.
func (v *validator) monitorQuery(q url.Values) string {
	encoded := q.Encode()
	if len(encoded) > maxMonitorQuery {
		v.add("query", "%d bytes once encoded: the console's server takes a request line of at most 8 KiB", len(encoded))
	}
	return encoded
}

// Query runs PromQL expression promql at the current time against the
// monitoring of region regionName, and returns its result.
//
// It calls GET /openapi/v1/monitor/query (consoles since v6.3.3), which
// any user may call for any region. The expression is encoded so that it
// reaches Prometheus intact through the console (see the source). An
// expression Prometheus refuses is [ErrBadRequest] with Prometheus'
// error in the APIError; an unknown region is [ErrNotFound].
func (s *MonitorService) Query(ctx context.Context, regionName, promql string, callOpts ...CallOption) (*QueryResult, *Response, error) {
	v := s.client.validator(ctx)
	v.promQL(regionName, promql)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := v.monitorQuery(url.Values{"region_name": {regionName}, "query": {promQLValue(promql)}})
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	return s.query(ctx, "/monitor/query", query, callOpts)
}

// QueryRange runs PromQL expression promql over [start, end] with a point
// every step, and returns its series.
//
// It calls GET /openapi/v1/monitor/query_range (consoles since v6.3.3), as
// [MonitorService.Query] does. end must not be before start; step is at
// least a millisecond, and at most 11,000 points may be asked for
// (Prometheus' limit).
func (s *MonitorService) QueryRange(ctx context.Context, regionName, promql string, start, end time.Time, step time.Duration, callOpts ...CallOption) (*QueryResult, *Response, error) {
	v := s.client.validator(ctx)
	v.promQL(regionName, promql)
	switch {
	case start.IsZero() || end.IsZero():
		v.add("start", "start and end are required")
	case end.Before(start):
		v.add("end", "before start")
	case step < time.Millisecond:
		v.add("step", "%v: at least a millisecond", step)
	case end.Sub(start)/step > 11000:
		v.add("step", "%v over %v is more than 11,000 points, which Prometheus refuses", step, end.Sub(start))
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := v.monitorQuery(url.Values{"region_name": {regionName}, "query": {promQLValue(promql)},
		"start": {unixSeconds(start)}, "end": {unixSeconds(end)}, "step": {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)}})
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	return s.query(ctx, "/monitor/query_range", query, callOpts)
}

func (s *MonitorService) query(ctx context.Context, path, query string, callOpts []CallOption) (*QueryResult, *Response, error) {
	out := new(promAnswer)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, query: query, opts: callOpts, since: sinceMonitor}, out)
	if err != nil {
		return nil, resp, err
	}
	res, err := out.result()
	if err != nil {
		return nil, resp, &DecodeError{Method: http.MethodGet, Path: s.client.basePath + path, Response: resp, Err: err}
	}
	return res, resp, nil
}

// EnterpriseOverview counts what the enterprise runs.
//
// Source: EnterpriseOverviewSeralizer over the view's counts.
type EnterpriseOverview struct {
	// Teams is the enterprise's number of teams.
	Teams int `json:"teams"`
	// Apps and Components count those of every enterprise of the console
	// (the console does not scope them).
	Apps int `json:"apps"`
	// Components: see Apps.
	Components int `json:"components"`
	// Instances is the number of pods in the enterprise's regions.
	Instances int `json:"instances"`
	// Nodes is the number of nodes in them.
	Nodes int `json:"nodes"`
	// VisualMonitor is where the console's dashboards are.
	VisualMonitor struct {
		// Enable reports the dashboards on.
		Enable bool `json:"enable"`
		// Value holds their addresses.
		Value struct {
			// HomeURL is the dashboards' root.
			HomeURL string `json:"home_url"`
			// ClusterMonitorSuffix, NodeMonitorSuffix,
			// ComponentMonitorSuffix and SLOMonitorSuffix are the
			// paths of the dashboards under HomeURL.
			ClusterMonitorSuffix string `json:"cluster_monitor_suffix"`
			// NodeMonitorSuffix: see ClusterMonitorSuffix.
			NodeMonitorSuffix string `json:"node_monitor_suffix"`
			// ComponentMonitorSuffix: see ClusterMonitorSuffix.
			ComponentMonitorSuffix string `json:"component_monitor_suffix"`
			// SLOMonitorSuffix: see ClusterMonitorSuffix.
			SLOMonitorSuffix string `json:"slo_monitor_suffix"`
		} `json:"value"`
	} `json:"visual_monitor"`
}

// Overview counts the enterprise's teams, apps, components, pods and
// nodes. It is slow: the console asks every region's cluster.
//
// It calls GET /openapi/v1/overview (consoles since v6.3.3).
func (s *MonitorService) Overview(ctx context.Context, callOpts ...CallOption) (*EnterpriseOverview, *Response, error) {
	out := new(EnterpriseOverview)
	resp, err := s.get(ctx, "/overview", "", sinceMonitor, out, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ComponentCounts are a region's components by state.
type ComponentCounts struct {
	// Running is the number of components running.
	Running int `json:"started_service_num"`
	// Abnormal is the number in trouble.
	Abnormal int `json:"abnormal_service_num"`
	// Closed is the rest, as the console computes it (its count minus the
	// others; it can be negative).
	Closed int `json:"closed_service_num"`
}

// ComponentCounts counts region regionName's components by state.
//
// It calls GET /openapi/v1/monitor/service_overview (consoles since
// v6.3.3). When the console cannot reach the cluster, or does not know
// the region, it fails with a 500 ([ErrServer]).
func (s *MonitorService) ComponentCounts(ctx context.Context, regionName string, callOpts ...CallOption) (*ComponentCounts, *Response, error) {
	v := s.client.validator(ctx)
	v.pathSegment("region_name", regionName)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(ComponentCounts)
	resp, err := s.get(ctx, "/monitor/service_overview", "region_name="+url.QueryEscape(regionName), sinceMonitor, out, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Usage is what the enterprise's enabled regions request together.
type Usage struct {
	// CPU is the cores requested.
	CPU float64 `json:"cpu_use_sum"`
	// MemoryMiB is the memory requested, in MiB.
	MemoryMiB float64 `json:"memory_use_sum"`
	// DiskGiB is the disk used, in GiB.
	DiskGiB float64 `json:"disk_use_sum"`
	// Nodes is the number of ready nodes.
	Nodes int `json:"node_number"`
	// Components is the number of components in apps.
	Components int `json:"service_number"`
}

// Usage sums what the enterprise's enabled regions request. A region the
// console cannot reach is left out without a word.
//
// It calls GET /openapi/v1/monitor/performance_overview (consoles since
// v6.3.3).
func (s *MonitorService) Usage(ctx context.Context, callOpts ...CallOption) (*Usage, *Response, error) {
	out := new(Usage)
	resp, err := s.get(ctx, "/monitor/performance_overview", "", sinceMonitor, out, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Flows is a flow graph (the console draws it as a Sankey diagram): nodes
// and the weighted links between them.
type Flows struct {
	// Nodes are the graph's nodes, each at a level (route, app, team,
	// region).
	Nodes []FlowNode `json:"nodes"`
	// Links join them, weighted.
	Links []FlowLink `json:"links"`
}

// FlowNode is a node of [Flows].
type FlowNode struct {
	// ID names the node.
	ID string `json:"id"`
	// Level is its column, from 0.
	Level int `json:"level"`
}

// FlowLink is a weighted link of [Flows].
type FlowLink struct {
	// Source and Target are node ids.
	Source string `json:"source"`
	// Target: see Source.
	Target string `json:"target"`
	// Value is the weight: requests, or MiB.
	Value float64 `json:"value"`
}

// TrafficFlows returns the requests of the 20 busiest gateway routes over
// the last hour, route to app to team to region.
//
// It calls GET /openapi/v1/monitor/resource_over_view (consoles since
// v6.2.0).
func (s *MonitorService) TrafficFlows(ctx context.Context, callOpts ...CallOption) ([]Flows, *Response, error) {
	var out []Flows
	resp, err := s.get(ctx, "/monitor/resource_over_view", "", sinceTrafficFlows, &out, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// MemoryFlows returns the memory the components are given, component to
// team to region.
//
// It calls GET /openapi/v1/monitor/component_memory_overview (consoles
// since v6.3.3).
func (s *MonitorService) MemoryFlows(ctx context.Context, callOpts ...CallOption) ([]Flows, *Response, error) {
	var out []Flows
	resp, err := s.get(ctx, "/monitor/component_memory_overview", "", sinceMonitor, &out, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

func (s *MonitorService) get(ctx context.Context, path, query, since string, out any, callOpts []CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.client.do(ctx, &request{method: http.MethodGet, path: path, query: query, opts: callOpts, since: since}, out)
}

// AppMonitorItem is a metric the console keeps for an app's components:
// those with the performance-analysis plugin.
type AppMonitorItem string

// The app metrics, and the PromQL the console runs for each (with the
// component's service_id).
const (
	// AppRequestTime is the average response time, in ms.
	AppRequestTime AppMonitorItem = "request_time"
	// AppRequests is the requests per 5 s over the last minute.
	AppRequests AppMonitorItem = "request"
	// AppClients is the number of clients.
	AppClients AppMonitorItem = "request_client"
)

// PromQL returns the expression the console runs for item on component
// serviceID, for [MonitorService.QueryRange]: the console's own range
// route drops every data point. The id is quoted as a PromQL string (the
// console pastes it between quotes; for an id, the same text).
func (item AppMonitorItem) PromQL(serviceID string) string {
	switch item {
	case AppRequestTime:
		return fmt.Sprintf(`ceil(avg(app_requesttime{mode="avg",service_id=%q}))`, serviceID)
	case AppRequests:
		return fmt.Sprintf(`sum(ceil(increase(app_request{service_id=%q,method="total"}[1m])/12))`, serviceID)
	case AppClients:
		return fmt.Sprintf(`max(app_requestclient{service_id=%q})`, serviceID)
	}
	return ""
}

// ComponentMetrics are a component's current metrics.
type ComponentMetrics struct {
	// ServiceID, ServiceCname and ServiceAlias are the component.
	ServiceID string `json:"service_id"`
	// ServiceCname: see ServiceID.
	ServiceCname string `json:"service_cname"`
	// ServiceAlias: see ServiceID.
	ServiceAlias string `json:"service_alias"`
	// Metrics holds each metric that has a value now (the console leaves
	// out those Prometheus has none for). The console drops the series'
	// labels: a metric's samples are one per series.
	Metrics map[AppMonitorItem][]Sample `json:"metrics"`
}

// appMonitorWire is the console's reshaped answer.
type appMonitorWire struct {
	ServiceID    string `json:"service_id"`
	ServiceCname string `json:"service_cname"`
	ServiceAlias string `json:"service_alias"`
	Monitors     []struct {
		Item string `json:"monitor_item"`
		Data struct {
			Result []struct {
				Value []json.RawMessage `json:"value"`
			} `json:"result"`
		} `json:"data"`
	} `json:"monitors"`
}

// AppMetrics returns the current metrics of app appID's components that
// have the performance-analysis plugin (others are left out: an ordinary
// app answers none); with outerOnly, only of those with a public port.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/monitor/query
// (consoles since v5.2.1). Its companion monitor/query_range drops every
// data point (the console reads "value" where a range has "values"): for
// a range, run [AppMonitorItem.PromQL] with [MonitorService.QueryRange].
func (s *AppsService) AppMetrics(ctx context.Context, teamID, regionName string, appID int64, outerOnly bool, callOpts ...CallOption) ([]ComponentMetrics, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/monitor/query")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	query := ""
	if outerOnly {
		query = "is_outer=true"
	}
	var wire []appMonitorWire
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, query: query, opts: callOpts, since: sinceAppMonitor}, &wire)
	if err != nil {
		return nil, resp, err
	}
	out := make([]ComponentMetrics, len(wire))
	for i, w := range wire {
		out[i] = ComponentMetrics{ServiceID: w.ServiceID, ServiceCname: w.ServiceCname, ServiceAlias: w.ServiceAlias, Metrics: map[AppMonitorItem][]Sample{}}
		for _, m := range w.Monitors {
			points := make([][]json.RawMessage, 0, len(m.Data.Result))
			for _, r := range m.Data.Result {
				points = append(points, r.Value)
			}
			samples, err := samplesOf(points)
			if err != nil {
				return nil, resp, &DecodeError{Method: http.MethodGet, Path: s.client.basePath + path, Response: resp, Err: err}
			}
			out[i].Metrics[AppMonitorItem(m.Item)] = samples
		}
	}
	return out, resp, nil
}

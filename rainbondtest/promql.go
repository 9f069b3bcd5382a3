package rainbondtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The clusters' Prometheus, as the console reaches it through the
// cluster API's /api/v1/query and /api/v1/query_range: a small store of
// series whose values are functions of the server's clock (listed at
// Server.EnablePerformanceAnalysis), and a PromQL evaluator for what the
// console and simple clients send.

// promSeries is a series: its labels, the metric name among them as
// __name__, and its value at a time in seconds.
type promSeries struct {
	labels map[string]string
	value  func(t float64) float64
}

// promSample is a series' value at the evaluation time.
type promSample struct {
	labels map[string]string
	value  float64
}

// promSeriesOf is region r's store. s.mu is held.
func (s *Server) promSeriesOf(r *Region) []promSeries {
	minute := func(t float64) float64 { return math.Floor(t / 60) }
	out := []promSeries{
		{map[string]string{"__name__": "up", "job": "api", "instance": "rbd-api:8443"}, func(float64) float64 { return 1 }},
		{map[string]string{"__name__": "up", "job": "db", "instance": "rbd-db:3306"}, func(t float64) float64 {
			if math.Mod(minute(t), 10) == 9 {
				return 0
			}
			return 1
		}},
	}
	for _, id := range s.state.order {
		c := s.state.components[id]
		if s.settle(c); c.ServiceRegion != r.RegionName || c.state != "running" || !s.state.platform.perfPlugin[id] {
			continue
		}
		out = append(out,
			promSeries{map[string]string{"__name__": "app_requesttime", "mode": "avg", "service_id": id},
				func(t float64) float64 { return 20 + 2.5*math.Mod(minute(t), 5) }},
			promSeries{map[string]string{"__name__": "app_request", "method": "total", "service_id": id},
				func(t float64) float64 { return 2 * math.Floor(t) }},
			promSeries{map[string]string{"__name__": "app_requestclient", "service_id": id},
				func(t float64) float64 { return 3 + math.Mod(minute(t), 3) }})
	}
	for _, rule := range s.state.httpRules {
		if rule.RegionID != r.RegionID {
			continue
		}
		t := s.state.teamByID(rule.TenantID)
		if t == nil {
			continue
		}
		rate := float64(rule.ID%5+1) / 10
		route := t.TenantName + "_" + rule.ServiceName + "-" + strconv.Itoa(rule.ContainerPort) + "-" + routeKey(rule.DomainName) + "_" + md5Hex(rule.HTTPRuleID)[:8]
		out = append(out, promSeries{map[string]string{"__name__": "apisix_http_status", "code": "200", "matched_host": rule.DomainName, "route": route},
			func(t float64) float64 { return rate * math.Floor(t) }})
	}
	return out
}

// promResult is Prometheus' answer: its status code and JSON body.
type promResult struct {
	status int
	body   any
}

// promError is Prometheus' error body.
type promError struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
}

func badData(format string, args ...any) promResult {
	return promResult{400, promError{Status: "error", ErrorType: "bad_data", Error: fmt.Sprintf(format, args...)}}
}

// promData is a successful answer.
type promData struct {
	Status string `json:"status"`
	Data   struct {
		ResultType string `json:"resultType"`
		Result     any    `json:"result"`
	} `json:"data"`
}

type promVectorItem struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

type promMatrixItem struct {
	Metric map[string]string `json:"metric"`
	Values [][2]any          `json:"values"`
}

// prometheusParams is what Prometheus reads of the query string the
// console built by pasting values after "?": urllib3 drops what follows a
// '#' and escapes every '%' unless each starts an escape, then Go's
// url.ParseQuery makes '+' a space and splits on '&'.
func prometheusParams(built string) url.Values {
	built, _, _ = strings.Cut(built, "#")
	if strings.Count(built, "%") != len(validEscape.FindAllString(built, -1)) {
		built = strings.ReplaceAll(built, "%", "%25")
	}
	v, _ := url.ParseQuery(built)
	return v
}

var validEscape = regexp.MustCompile(`%[0-9a-fA-F]{2}`)

// prometheus answers /api/v1/query (rangeQuery false) or
// /api/v1/query_range of region r's cluster for the query string the
// console built. s.mu is held.
func (s *Server) prometheus(r *Region, built string, rangeQuery bool) promResult {
	params := prometheusParams(built)
	now := s.now().UnixMilli()
	if !rangeQuery {
		at := now
		if v, ok := params["time"]; ok {
			t, err := promTime(v[0])
			if err != nil {
				return badData("invalid parameter %q: %v", "time", err)
			}
			at = t
		}
		expr, err := parsePromQL(params.Get("query"))
		if err != nil {
			return badData("invalid parameter %q: %v", "query", err)
		}
		items := []promVectorItem{}
		for _, smp := range expr.eval(s.promSeriesOf(r), float64(at)/1000) {
			items = append(items, promVectorItem{Metric: smp.labels, Value: [2]any{promTimestamp(at), promValue(smp.value)}})
		}
		var d promData
		d.Status, d.Data.ResultType, d.Data.Result = "success", "vector", items
		return promResult{200, d}
	}
	start, err := promTime(params.Get("start"))
	if err != nil {
		return badData("invalid parameter %q: %v", "start", err)
	}
	end, err := promTime(params.Get("end"))
	if err != nil {
		return badData("invalid parameter %q: %v", "end", err)
	}
	if end < start {
		return badData("end timestamp must not be before start time")
	}
	step, err := promDuration(params.Get("step"))
	if err != nil {
		return badData("invalid parameter %q: %v", "step", err)
	}
	if step <= 0 {
		return badData("zero or negative query resolution step widths are not accepted. Try a positive integer")
	}
	if end-start < 0 || (end-start)/step > 11000 { // < 0: the difference overflowed
		return badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
	}
	expr, err := parsePromQL(params.Get("query"))
	if err != nil {
		return badData("invalid parameter %q: %v", "query", err)
	}
	series := s.promSeriesOf(r)
	byKey := map[string]*promMatrixItem{}
	var keys []string
	for k := range (end-start)/step + 1 {
		at := start + k*step
		for _, smp := range expr.eval(series, float64(at)/1000) {
			k := labelsKey(smp.labels)
			if byKey[k] == nil {
				byKey[k] = &promMatrixItem{Metric: smp.labels}
				keys = append(keys, k)
			}
			byKey[k].Values = append(byKey[k].Values, [2]any{promTimestamp(at), promValue(smp.value)})
		}
	}
	slices.Sort(keys)
	items := []promMatrixItem{}
	for _, k := range keys {
		items = append(items, *byKey[k])
	}
	var d promData
	d.Status, d.Data.ResultType, d.Data.Result = "success", "matrix", items
	return promResult{200, d}
}

// promTimestamp is a sample's time as the console re-renders Prometheus'
// seconds: an integer when whole, else a float.
func promTimestamp(ms int64) json.Number {
	if ms%1000 == 0 {
		return json.Number(strconv.FormatInt(ms/1000, 10))
	}
	return json.Number(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64))
}

// promValue is a sample's value as Prometheus writes it: text.
func promValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// promTime is Prometheus' parseTime, in milliseconds: Unix seconds (a
// fraction rounded to the millisecond) or RFC 3339.
func promTime(s string) (int64, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		sec, frac := math.Modf(f)
		return int64(sec)*1000 + int64(math.Round(frac*1000)), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UnixMilli(), nil
	}
	return 0, fmt.Errorf("cannot parse %q to a valid timestamp", s)
}

var promDurationPattern = regexp.MustCompile(`^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$`)

// promDuration is Prometheus' parseDuration, in milliseconds: seconds as
// a number, or a duration such as 1m30s.
func promDuration(s string) (int64, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return int64(f * 1000), nil
	}
	if m := promDurationPattern.FindStringSubmatch(s); m != nil && s != "" {
		var ms int64
		for i, unit := range []int64{365 * 86400000, 7 * 86400000, 86400000, 3600000, 60000, 1000, 1} {
			n, _ := strconv.ParseInt(m[i+1], 10, 64)
			ms += n * unit
		}
		return ms, nil
	}
	return 0, fmt.Errorf("cannot parse %q to a valid duration", s)
}

func labelsKey(labels map[string]string) string {
	names := make([]string, 0, len(labels))
	for n := range labels {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + "\xff" + labels[n] + "\xff")
	}
	return b.String()
}

// promExpr is a parsed expression.
type promExpr interface {
	eval(series []promSeries, t float64) []promSample
}

type promMatcher struct {
	name, op, value string
	re              *regexp.Regexp
}

func (m promMatcher) matches(labels map[string]string) bool {
	v := labels[m.name]
	switch m.op {
	case "=":
		return v == m.value
	case "!=":
		return v != m.value
	case "=~":
		return m.re.MatchString(v)
	}
	return !m.re.MatchString(v)
}

type promSelector []promMatcher

func (sel promSelector) eval(series []promSeries, t float64) []promSample {
	var out []promSample
	for _, s := range series {
		if !slices.ContainsFunc(sel, func(m promMatcher) bool { return !m.matches(s.labels) }) {
			out = append(out, promSample{labels: s.labels, value: s.value(t)})
		}
	}
	slices.SortFunc(out, func(a, b promSample) int { return strings.Compare(labelsKey(a.labels), labelsKey(b.labels)) })
	return out
}

type promAggregate struct {
	op   string
	expr promExpr
}

func (a promAggregate) eval(series []promSeries, t float64) []promSample {
	in := a.expr.eval(series, t)
	if len(in) == 0 {
		return nil
	}
	v := in[0].value
	for _, smp := range in[1:] {
		switch a.op {
		case "sum", "avg":
			v += smp.value
		case "max":
			if smp.value > v || math.IsNaN(v) {
				v = smp.value
			}
		}
	}
	if a.op == "avg" {
		v /= float64(len(in))
	}
	return []promSample{{labels: map[string]string{}, value: v}}
}

// promCanned is one of the expressions the console sends, evaluated as
// Prometheus would.
type promCanned func(series []promSeries, t float64) []promSample

func (f promCanned) eval(series []promSeries, t float64) []promSample { return f(series, t) }

// The console's own expressions (openapi/views/apps/apps.py
// monitor_query_items, console/services/global_resource_processing.py).
var (
	cannedRequestTime = regexp.MustCompile(`^ceil\(avg\(app_requesttime\{mode="avg",service_id="([^"]*)"\}\)\)$`)
	cannedRequest     = regexp.MustCompile(`^sum\(ceil\(increase\(app_request\{service_id="([^"]*)",method="total"\}\[1m\]\)/12\)\)$`)
	cannedRoutes      = regexp.MustCompile(`^sort_desc\(sum\(ceil\(increase\(apisix_http_status\{route=~"([^"]*)"\}\[1h\]\)\)\) by \(route\)\)$`)
)

// canned recognises the console's expressions.
func canned(q string) promExpr {
	if m := cannedRequestTime.FindStringSubmatch(q); m != nil {
		sel := promSelector{{name: "__name__", op: "=", value: "app_requesttime"}, {name: "mode", op: "=", value: "avg"}, {name: "service_id", op: "=", value: m[1]}}
		return promCanned(func(series []promSeries, t float64) []promSample {
			out := promAggregate{"avg", sel}.eval(series, t)
			for i := range out {
				out[i].value = math.Ceil(out[i].value)
			}
			return out
		})
	}
	increase := func(sel promSelector, window float64, series []promSeries, t float64) []promSample {
		now, before := sel.eval(series, t), sel.eval(series, t-window)
		for i := range now {
			now[i].value -= before[i].value
		}
		return now
	}
	if m := cannedRequest.FindStringSubmatch(q); m != nil {
		sel := promSelector{{name: "__name__", op: "=", value: "app_request"}, {name: "service_id", op: "=", value: m[1]}, {name: "method", op: "=", value: "total"}}
		return promCanned(func(series []promSeries, t float64) []promSample {
			in := increase(sel, 60, series, t)
			if len(in) == 0 {
				return nil
			}
			sum := 0.0
			for _, smp := range in {
				sum += math.Ceil(smp.value / 12)
			}
			return []promSample{{labels: map[string]string{}, value: sum}}
		})
	}
	if m := cannedRoutes.FindStringSubmatch(q); m != nil {
		re, err := regexp.Compile("^(?:" + m[1] + ")$")
		if err != nil {
			return nil
		}
		sel := promSelector{{name: "__name__", op: "=", value: "apisix_http_status"}, {name: "route", op: "=~", value: m[1], re: re}}
		return promCanned(func(series []promSeries, t float64) []promSample {
			byRoute := map[string]float64{}
			var routes []string
			for _, smp := range increase(sel, 3600, series, t) {
				route := smp.labels["route"]
				if _, seen := byRoute[route]; !seen {
					routes = append(routes, route)
				}
				byRoute[route] += math.Ceil(smp.value)
			}
			out := make([]promSample, len(routes))
			for i, route := range routes {
				out[i] = promSample{labels: map[string]string{"route": route}, value: byRoute[route]}
			}
			slices.SortStableFunc(out, func(a, b promSample) int { return cmpFloat(b.value, a.value) })
			return out
		})
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

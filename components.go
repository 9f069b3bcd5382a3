package rainbond

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ComponentsService works on one component of an app: read and delete it,
// create one from an image, build it and follow the build (events.go),
// change its image, environment variables (component_envs.go), ports
// (component_ports.go) and scale. Reach it as Client.Components.
//
// The console's views: AppServicesView, ListAppServicesView.post,
// ComponentBuildView, ChangeDeploySourceView and the telescopic views in
// openapi/views/apps/apps.py, with their serializers in
// openapi/serializer/app_serializer.py.
type ComponentsService struct {
	client *Client
}

// Console releases that added the component routes.
const (
	sinceComponentRoutes = "v5.2.1"  // detail, delete, events, envs, scaling
	sinceCreateFromImage = "v5.11.2" // POST …/services
	sinceBuild           = "v5.4.0"  // build, event logs
	sincePorts           = "v5.17.0"
	sinceChangeImage     = "v5.17.1"
)

// componentPath is /teams/{team}/regions/{region}/apps/{app}/services/
// {service} followed by suffix. serviceID may be the component's
// service_id or its service_alias: the console takes both.
func componentPath(v *validator, teamID, regionName string, appID int64, serviceID, suffix string) string {
	path := appPath(v, teamID, regionName, appID, "/services/")
	v.pathSegment("service_id", serviceID)
	return path + url.PathEscape(serviceID) + suffix
}

// envelope is the console's general_message answer:
// {"code", "msg", "msg_show", "data": {"bean", "list"}}.
type envelope[T any] struct {
	Code    int    `json:"code"`
	Msg     string `json:"msg"`
	MsgShow string `json:"msg_show"`
	Data    struct {
		Bean T   `json:"bean"`
		List []T `json:"list"`
	} `json:"data"`
}

// Get returns component serviceID (its service_id or service_alias) of app
// appID, with its state in Status ("" when the cluster does not report it)
// and its access addresses.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}
// (consoles since v5.2.1). [ErrNotFound] for an unknown component, or one
// of another app (unless the app has no component at all: the console
// then accepts any component of the team).
func (s *ComponentsService) Get(ctx context.Context, teamID, regionName string, appID int64, serviceID string, callOpts ...CallOption) (*ServiceBaseInfo, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(ServiceBaseInfo)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceComponentRoutes}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// DeleteComponentOptions changes [ComponentsService.Delete].
type DeleteComponentOptions struct {
	// Force deletes the component even when the console refuses to (it is
	// running, or others depend on it).
	Force bool
}

// Delete deletes component serviceID for good (never into the console's
// recycle bin).
//
// It calls DELETE /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}
// (consoles since v5.2.1). The console refuses with [ErrConflict] (409) a
// component that may be running, and with 412 a component others depend
// on or mount storage of. With opts.Force the console deletes it anyway
// but still answers that refusal: Delete then reads the component back and
// reports success when it is gone (the Response is the refusal's).
func (s *ComponentsService) Delete(ctx context.Context, teamID, regionName string, appID int64, serviceID string, opts *DeleteComponentOptions, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "")
	if err := v.err(); err != nil {
		return nil, err
	}
	force := opts != nil && opts.Force
	query := ""
	if force {
		query = "force=1"
	}
	resp, err := s.client.do(ctx, &request{method: http.MethodDelete, path: path, query: query, opts: callOpts, since: sinceComponentRoutes}, nil)
	var apiErr *APIError
	if force && errors.As(err, &apiErr) && apiErr.Msg == "delete error" {
		if _, _, getErr := s.Get(ctx, teamID, regionName, appID, serviceID, callOpts...); errors.Is(getErr, ErrNotFound) {
			return resp, nil
		}
	}
	return resp, err
}

// ComponentCreate is the body of [ComponentsService.CreateFromImage].
type ComponentCreate struct {
	// ServiceCname is the component's display name, 1 to 100 characters.
	ServiceCname string
	// Image is the image to run, e.g. "nginx:1.25".
	Image string
	// K8sComponentName is the component's name in the cluster; empty lets
	// the console choose. Unique in the app.
	K8sComponentName string
	// UserName and Password are the image registry's credentials, if it
	// needs them. Password is a [Secret]: never printed.
	UserName string
	// Password: see UserName.
	Password Secret
	// Deploy builds and starts the component once created.
	Deploy bool
}

// componentCreateWire is the body ListAppServicesView.post reads: the
// target app is group_id, and is_deploy is tested for truth, so it is
// always sent as a JSON boolean.
type componentCreateWire struct {
	GroupID          int64  `json:"group_id"`
	ServiceCname     string `json:"service_cname"`
	Image            string `json:"image"`
	K8sComponentName string `json:"k8s_component_name,omitempty"`
	UserName         string `json:"user_name,omitempty"`
	Password         string `json:"password,omitempty"`
	IsDeploy         bool   `json:"is_deploy"`
}

// ComponentCreated is the answer of [ComponentsService.CreateFromImage].
type ComponentCreated struct {
	// ServiceID is the new component's id.
	ServiceID string `json:"service_id"`
}

// CreateFromImage creates a component running c.Image in app appID, and
// builds and starts it when c.Deploy is set.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services
// (consoles since v5.11.2). The console takes the target app from the
// body's group_id, not from the path; the client sends appID in both. It
// deploys for any is_deploy value that is not JSON false, so the client
// always sends a boolean. Each call creates another component: it is not
// idempotent, and never sent twice by the client on its own.
//
// Errors to expect: 412 ("service create fail") for a bad name; 400 code
// 20802 when K8sComponentName is taken in the app; [ErrQuotaExceeded]; and
// a 400 or an HTML 500 when the cluster failed to create or deploy it,
// after the console created its own record of the component.
func (s *ComponentsService) CreateFromImage(ctx context.Context, teamID, regionName string, appID int64, c *ComponentCreate, callOpts ...CallOption) (*ComponentCreated, *Response, error) {
	v := s.client.validator(ctx)
	path := appPath(&v, teamID, regionName, appID, "/services")
	if c == nil {
		v.add("body", "nil *ComponentCreate")
	} else {
		v.text("service_cname", c.ServiceCname, charField{required: true, max: 100, noTrimming: true})
		v.imageRef("image", c.Image, false)
		if c.K8sComponentName != "" {
			v.k8sName("k8s_component_name", c.K8sComponentName)
		}
		if !c.Password.IsZero() && c.UserName == "" {
			v.add("user_name", "required with a password")
		}
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := &componentCreateWire{
		GroupID: appID, ServiceCname: c.ServiceCname, Image: c.Image, K8sComponentName: c.K8sComponentName,
		UserName: c.UserName, Password: c.Password.Value(), IsDeploy: c.Deploy,
	}
	out := new(envelope[ComponentCreated])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: body, secret: c.Password.Value(), opts: callOpts, since: sinceCreateFromImage}, out)
	if err != nil {
		return nil, resp, err
	}
	return &out.Data.Bean, resp, nil
}

// BuildOptions changes what [ComponentsService.Build] builds. The zero
// value builds the component from its current source.
type BuildOptions struct {
	// RepoURL is a new source: the repository of a component built from
	// source code, or the image of a component built from an image.
	RepoURL string
	// Branch is the branch or tag to build, with RepoURL, for a component
	// built from source code; empty means the console's default, "master".
	Branch string
	// Username and Password are the source's credentials, with RepoURL:
	// they replace the stored ones. Password is a [Secret]: never printed.
	Username string
	// Password: see Username.
	Password Secret
	// ClearCredentials sends RepoURL without credentials. The console then
	// clears the stored ones, so a RepoURL without Username and Password
	// is refused unless this says that it is meant.
	ClearCredentials bool
}

// buildWire is ComponentBuildReqSerializers' body.
type buildWire struct {
	RepoURL  string `json:"repo_url,omitempty"`
	Branch   string `json:"branch,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
}

// BuildEvent is the answer of [ComponentsService.Build].
type BuildEvent struct {
	// EventID identifies the build among the component's events: follow it
	// with [ComponentsService.WaitForEvent].
	EventID string `json:"event_id"`
}

// ErrComponentNotCreated is matched by the error of
// [ComponentsService.Build] when the component's creation is not complete
// (400 "component create status is ..."): the console refuses to build it.
var ErrComponentNotCreated = errors.New("rainbond: the component's creation is not complete")

// ErrBuildWithoutEvent is matched by the error of [ComponentsService.Build]
// when the cluster started the build but returned no event id: the
// console then answers 400 about event_id although the build runs.
var ErrBuildWithoutEvent = errors.New("rainbond: the build was started, but the console got no event id for it")

// Build builds component serviceID and deploys the build, from its current
// source or from the new one opts names, and returns the build's event.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/build
// (consoles since v5.4.0). The build runs on in the cluster after the
// answer: follow it with [ComponentsService.WaitForEvent]. With a RepoURL
// the console replaces the stored repository credentials with
// opts.Username and opts.Password, and clears them when they are empty:
// such a call is refused unless opts.ClearCredentials is set.
//
// Errors to expect: [ErrComponentNotCreated]; [ErrBuildWithoutEvent]
// (the build runs); [ErrConflict] when builds come too often; 507 when the
// build could not start; [ErrQuotaExceeded]; [ErrNotFound] when no build
// node matches the component's CPU architecture.
func (s *ComponentsService) Build(ctx context.Context, teamID, regionName string, appID int64, serviceID string, opts *BuildOptions, callOpts ...CallOption) (*BuildEvent, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/build")
	var o BuildOptions
	if opts != nil {
		o = *opts
	}
	v.build(&o)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	r := &request{method: http.MethodPost, path: path, body: &buildWire{RepoURL: o.RepoURL, Branch: o.Branch, Username: o.Username, Password: o.Password.Value()},
		opts: callOpts, since: sinceBuild, more: []string{o.Password.Value()}}
	out := new(BuildEvent)
	resp, err := s.client.do(ctx, r, out)
	if err != nil {
		err = mark(err, ErrComponentNotCreated, "", func(e *APIError) bool {
			return e.StatusCode == http.StatusBadRequest && strings.HasPrefix(e.Msg, "component create status is")
		})
		err = mark(err, ErrBuildWithoutEvent, "the build was started", func(e *APIError) bool {
			_, noEvent := e.FieldErrors["event_id"]
			return e.StatusCode == http.StatusBadRequest && noEvent
		})
		return nil, resp, err
	}
	return out, resp, nil
}

func (v *validator) build(o *BuildOptions) {
	if o.RepoURL == "" {
		if o.Branch != "" || o.Username != "" || !o.Password.IsZero() || o.ClearCredentials {
			v.add("repo_url", "required with a branch or credentials: the console ignores them without it")
		}
		return
	}
	v.text("repo_url", o.RepoURL, charField{required: true, max: 1024})
	if o.Branch != "" {
		v.text("branch", o.Branch, charField{required: true, max: 255})
	}
	hasCreds := o.Username != "" || !o.Password.IsZero()
	switch {
	case hasCreds && o.ClearCredentials:
		v.add("credentials", "ClearCredentials contradicts the Username and Password given")
	case !hasCreds && !o.ClearCredentials:
		v.add("credentials", "a repo_url without username and password clears the stored credentials on the console; give them, or set ClearCredentials")
	}
	if o.Username != "" {
		v.text("username", o.Username, charField{required: true, max: 255, keepSpaces: true})
	}
	if !o.Password.IsZero() {
		v.text("password", o.Password.Value(), charField{required: true, max: 255, keepSpaces: true})
	}
}

// imageTag is what an image reference's tag may be (the distribution
// spec's tag grammar).
var imageTag = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// imageRef checks an image reference that the console will split at its
// last ':' to find the version: it must end in an explicit tag. "nginx"
// would get the version "nginx", "registry:5000/nginx" the version
// "5000/nginx", and a digest the digest's hex.
func (v *validator) imageRef(field, ref string, versionFromTag bool) {
	name, tag, hasTag := cutLast(ref, ":")
	switch {
	case ref == "":
		v.add(field, "required")
	case strings.ContainsFunc(ref, isCtlOrSpace) || !utf8.ValidString(ref):
		v.add(field, "%q: spaces or control characters cannot be in an image reference", oneLine(ref, 80))
	case len(ref) > maxImage:
		v.add(field, "longer than %d characters, the console's column", maxImage)
	case !versionFromTag && (strings.Contains(ref, "@") || !hasTag || strings.Contains(tag, "/")):
		// A new component's version is "latest" whatever the tag
		// (console/services/app.py), and the reference is pulled as it
		// is: no tag (latest) and a digest both work.
	case strings.Contains(ref, "@"):
		v.add(field, "%q: a digest reference; the console takes the text after the last ':' as the version, so use a tag", oneLine(ref, 80))
	case !hasTag || strings.Contains(tag, "/") || name == "":
		v.add(field, "%q: give an explicit tag (name:tag); without one the console names the version after the text after the last ':' or the whole name", oneLine(ref, 80))
	case !imageTag.MatchString(tag):
		v.add(field, "%q: %q is not a valid tag", oneLine(ref, 80), oneLine(tag, 40))
	}
}

// maxImage is TenantServiceInfo.image's length.
const maxImage = 200

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// k8sName is a Kubernetes name (RFC 1123 label): what the cluster accepts.
var k8sName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func (v *validator) k8sName(field, name string) {
	if len(name) > 63 || !k8sName.MatchString(name) {
		v.add(field, "%q: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit", oneLine(name, 80))
	}
}

// ChangeImage changes the image of component serviceID, built from an
// image, to image, which must carry an explicit tag ("nginx:1.25"): the
// console stores the text after the last ':' as the version. Only the
// console's record changes; build the component ([ComponentsService.Build])
// to run the new image.
//
// It calls PUT /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/docker-image-change
// (consoles since v5.17.1).
func (s *ComponentsService) ChangeImage(ctx context.Context, teamID, regionName string, appID int64, serviceID, image string, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/docker-image-change")
	v.imageRef("image", image, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	body := struct {
		Image string `json:"image"`
	}{image}
	return s.client.do(ctx, &request{method: http.MethodPut, path: path, body: &body, opts: callOpts, since: sinceChangeImage}, nil)
}

// VerticalScale is the body of [ComponentsService.ScaleVertical].
type VerticalScale struct {
	// MemoryMiB is the memory of each instance, in MiB: 64 to 65536. The
	// console refuses a value one above a multiple of 64 (its check for
	// "a multiple of 64" is off by one), and so does the client.
	MemoryMiB int `json:"new_memory"`
	// CPU is the CPU of each instance in millicores (1000 is a core); nil
	// lets the console derive it from the memory.
	CPU *int `json:"new_cpu"`
	// GPU is the GPU memory of each instance; nil for none.
	GPU *int `json:"new_gpu"`
}

// ScaleVertical changes the memory and CPU of each instance of component
// serviceID, restarting it.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/telescopic/vertical
// (consoles since v5.2.1). A component whose creation is not complete is
// left as it is, without an error. Errors to expect: [ErrConflict] when
// operations come too often, [ErrQuotaExceeded], 507 when the cluster
// failed.
func (s *ComponentsService) ScaleVertical(ctx context.Context, teamID, regionName string, appID int64, serviceID string, scale *VerticalScale, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/telescopic/vertical")
	switch {
	case scale == nil:
		v.add("body", "nil *VerticalScale")
	default:
		if m := scale.MemoryMiB; m < 64 || m > 65536 || m%64 == 1 {
			v.add("new_memory", "%d: must be 64 to 65536 MiB, and not one above a multiple of 64", m)
		}
		for field, n := range map[string]*int{"new_cpu": scale.CPU, "new_gpu": scale.GPU} {
			if n != nil && *n < 0 {
				v.add(field, "%d: must not be negative", *n)
			}
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.client.do(ctx, &request{method: http.MethodPost, path: path, body: scale, opts: callOpts, since: sinceComponentRoutes}, nil)
}

// ScaleHorizontal sets the number of instances of component serviceID: 1
// to 100.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/telescopic/horizontal
// (consoles since v5.2.1). Errors to expect: [ErrConflict] for more than
// one instance of a singleton component, or when operations come too
// often; [ErrServer] (an HTML page) when the team's quota refuses it.
func (s *ComponentsService) ScaleHorizontal(ctx context.Context, teamID, regionName string, appID int64, serviceID string, instances int, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/telescopic/horizontal")
	if instances < 1 || instances > 100 {
		v.add("new_node", "%d: must be 1 to 100", instances)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	body := struct {
		NewNode int `json:"new_node"`
	}{instances}
	return s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceComponentRoutes}, nil)
}

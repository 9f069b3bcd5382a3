package rainbond

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyExportedType is every exported type of the package, walked by
// TestNoExportedTypePrintsASecret; TestEveryExportedTypeIsWalked keeps the
// list complete.
var everyExportedType = []reflect.Type{
	reflect.TypeFor[APIError](),
	reflect.TypeFor[AdminListOptions](),
	reflect.TypeFor[AdminsService](),
	reflect.TypeFor[AppAction](),
	reflect.TypeFor[AppBaseInfo](),
	reflect.TypeFor[AppCopyBuildSource](),
	reflect.TypeFor[AppCopyC](),
	reflect.TypeFor[AppCopyCRes](),
	reflect.TypeFor[AppCopyChange](),
	reflect.TypeFor[AppCopyL](),
	reflect.TypeFor[AppCopyModify](),
	reflect.TypeFor[AppInfo](),
	reflect.TypeFor[AppModelUpgrade](),
	reflect.TypeFor[AppMonitorItem](),
	reflect.TypeFor[AppOperation](),
	reflect.TypeFor[AppPostInfo](),
	reflect.TypeFor[AppStatus](),
	reflect.TypeFor[AppUpgrade](),
	reflect.TypeFor[AppUpgradeInfo](),
	reflect.TypeFor[AppsService](),
	reflect.TypeFor[BuildEvent](),
	reflect.TypeFor[BuildOptions](),
	reflect.TypeFor[CallOption](),
	reflect.TypeFor[Canary](),
	reflect.TypeFor[CanaryMapping](),
	reflect.TypeFor[CanaryPlan](),
	reflect.TypeFor[CanaryRecord](),
	reflect.TypeFor[CanaryRollback](),
	reflect.TypeFor[CanaryRunError](),
	reflect.TypeFor[CanaryStart](),
	reflect.TypeFor[CanaryStatus](),
	reflect.TypeFor[Certificate](),
	reflect.TypeFor[CertificateCreate](),
	reflect.TypeFor[CertificateList](),
	reflect.TypeFor[CertificateSummary](),
	reflect.TypeFor[CertificateType](),
	reflect.TypeFor[CertificatesService](),
	reflect.TypeFor[Client](),
	reflect.TypeFor[ComponentCounts](),
	reflect.TypeFor[ComponentCreate](),
	reflect.TypeFor[ComponentCreated](),
	reflect.TypeFor[ComponentEvent](),
	reflect.TypeFor[ComponentMetrics](),
	reflect.TypeFor[ComponentPort](),
	reflect.TypeFor[ComponentStatus](),
	reflect.TypeFor[ComponentsService](),
	reflect.TypeFor[ComposeDeploy](),
	reflect.TypeFor[ConfigError](),
	reflect.TypeFor[CopyBuildSource](),
	reflect.TypeFor[CurrentUser](),
	reflect.TypeFor[DecodeError](),
	reflect.TypeFor[DeleteAppOptions](),
	reflect.TypeFor[DeleteComponentOptions](),
	reflect.TypeFor[DuplicateAppError](),
	reflect.TypeFor[EndpointsType](),
	reflect.TypeFor[Ensured](),
	reflect.TypeFor[EnterpriseHTTPRule](),
	reflect.TypeFor[EnterpriseOverview](),
	reflect.TypeFor[EnvScope](),
	reflect.TypeFor[EnvVar](),
	reflect.TypeFor[ErrorDetails](),
	reflect.TypeFor[EventFinalStatus](),
	reflect.TypeFor[EventList](),
	reflect.TypeFor[EventLogLine](),
	reflect.TypeFor[EventStatus](),
	reflect.TypeFor[EventWaitError](),
	reflect.TypeFor[EventWaitOptions](),
	reflect.TypeFor[ExternalComponent](),
	reflect.TypeFor[ExternalComponentCreate](),
	reflect.TypeFor[FlowLink](),
	reflect.TypeFor[FlowNode](),
	reflect.TypeFor[Flows](),
	reflect.TypeFor[GatewayRules](),
	reflect.TypeFor[GatewayService](),
	reflect.TypeFor[HTTPHeader](),
	reflect.TypeFor[HTTPRule](),
	reflect.TypeFor[HTTPRuleConfiguration](),
	reflect.TypeFor[HTTPRuleCreate](),
	reflect.TypeFor[HTTPRuleEnsure](),
	reflect.TypeFor[HTTPRuleUpdate](),
	reflect.TypeFor[HelmChartCheck](),
	reflect.TypeFor[HelmChartDeploy](),
	reflect.TypeFor[ImportRecord](),
	reflect.TypeFor[ImportState](),
	reflect.TypeFor[ImportStatus](),
	reflect.TypeFor[ImportedModel](),
	reflect.TypeFor[Install](),
	reflect.TypeFor[InstallEnsured](),
	reflect.TypeFor[InstallOptions](),
	reflect.TypeFor[InstallOutcome](),
	reflect.TypeFor[JSONCodec](),
	reflect.TypeFor[JSONText](),
	reflect.TypeFor[ListAppsOptions](),
	reflect.TypeFor[ListEnterpriseHTTPRulesOptions](),
	reflect.TypeFor[ListOptions](),
	reflect.TypeFor[MarketInstall](),
	reflect.TypeFor[ModelDeploy](),
	reflect.TypeFor[ModelNotInAppError](),
	reflect.TypeFor[ModelPublish](),
	reflect.TypeFor[ModelPublished](),
	reflect.TypeFor[MonitorService](),
	reflect.TypeFor[NotInAppError](),
	reflect.TypeFor[Option](),
	reflect.TypeFor[Outcome](),
	reflect.TypeFor[PingResult](),
	reflect.TypeFor[PortAction](),
	reflect.TypeFor[PortCreate](),
	reflect.TypeFor[PortProtocol](),
	reflect.TypeFor[PortUpdate](),
	reflect.TypeFor[Problem](),
	reflect.TypeFor[QueryResult](),
	reflect.TypeFor[Region](),
	reflect.TypeFor[RegionCreate](),
	reflect.TypeFor[RegionGetOptions](),
	reflect.TypeFor[RegionInfo](),
	reflect.TypeFor[RegionsService](),
	reflect.TypeFor[Request](),
	reflect.TypeFor[Response](),
	reflect.TypeFor[RetryPolicy](),
	reflect.TypeFor[RoleInfo](),
	reflect.TypeFor[RuleExtension](),
	reflect.TypeFor[Sample](),
	reflect.TypeFor[Secret](),
	reflect.TypeFor[Series](),
	reflect.TypeFor[ServiceBaseInfo](),
	reflect.TypeFor[SmartDeploy](),
	reflect.TypeFor[SmartDeployAction](),
	reflect.TypeFor[SmartDeployResult](),
	reflect.TypeFor[TCPRule](),
	reflect.TypeFor[TCPRuleCreate](),
	reflect.TypeFor[TeamBaseInfo](),
	reflect.TypeFor[TeamCreate](),
	reflect.TypeFor[TeamEnsure](),
	reflect.TypeFor[TeamEnsured](),
	reflect.TypeFor[TeamInfo](),
	reflect.TypeFor[TeamList](),
	reflect.TypeFor[TeamOverview](),
	reflect.TypeFor[TeamPort](),
	reflect.TypeFor[TeamPorts](),
	reflect.TypeFor[TeamRegion](),
	reflect.TypeFor[TeamRegionList](),
	reflect.TypeFor[TeamRegionRef](),
	reflect.TypeFor[TeamRegionUsage](),
	reflect.TypeFor[TeamUpdate](),
	reflect.TypeFor[TeamUsage](),
	reflect.TypeFor[TeamsService](),
	reflect.TypeFor[TransportError](),
	reflect.TypeFor[UnsupportedError](),
	reflect.TypeFor[UpgradeListError](),
	reflect.TypeFor[UpgradeResult](),
	reflect.TypeFor[Usage](),
	reflect.TypeFor[User](),
	reflect.TypeFor[UserCreate](),
	reflect.TypeFor[UserList](),
	reflect.TypeFor[UserUpdate](),
	reflect.TypeFor[UsersService](),
	reflect.TypeFor[ValidationError](),
	reflect.TypeFor[VerticalScale](),
	reflect.TypeFor[Volume](),
	reflect.TypeFor[VolumeCreate](),
	reflect.TypeFor[VolumeType](),
	reflect.TypeFor[WaitError](),
	reflect.TypeFor[WaitOptions](),
}

// exportedTypes parses the package's source for its exported types and
// their fields.
func exportedTypes(t *testing.T) map[string]*ast.TypeSpec {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	out := map[string]*ast.TypeSpec{}
	for _, f := range pkgs["rainbond"].Files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						out[ts.Name.Name] = ts
					}
				}
			}
		}
	}
	return out
}

func TestEveryExportedTypeIsWalked(t *testing.T) {
	t.Parallel()
	var walked, declared []string
	for _, typ := range everyExportedType {
		walked = append(walked, typ.Name())
	}
	for name := range exportedTypes(t) {
		declared = append(declared, name)
	}
	slices.Sort(walked)
	slices.Sort(declared)
	assert.Equal(t, declared, walked, "add the new type to everyExportedType")
}

// secretName is a field name that says it holds a secret.
var secretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|accesskey|privatekey)`)

// TestEverySecretFieldIsASecret: a field whose name says it holds a secret
// has the type Secret, whose methods keep it out of every print.
// Request.Secrets is the one exception: Request's own methods redact them.
func TestEverySecretFieldIsASecret(t *testing.T) {
	t.Parallel()
	for name, ts := range exportedTypes(t) {
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		for _, f := range st.Fields.List {
			typ := types(f.Type)
			for _, n := range f.Names {
				if !n.IsExported() || !secretName.MatchString(n.Name) || name+"."+n.Name == "Request.Secrets" {
					continue
				}
				assert.Contains(t, []string{"Secret", "[]Secret", "*Secret"}, typ, "%s.%s holds a secret: make it a Secret", name, n.Name)
			}
		}
	}
}

func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.ArrayType:
		return "[]" + types(e.Elt)
	case *ast.StarExpr:
		return "*" + types(e.X)
	}
	return fmt.Sprintf("%T", e)
}

const walkSecret = "S3cr3t-walk-7f2e9a"

// fill sets every settable field of v: Secrets to walkSecret, other
// strings to "x", one element in slices and maps, pointers allocated (to
// a depth), a Request's Body to a map holding the secret.
func fill(v reflect.Value, depth int) {
	if depth > 4 || !v.CanSet() {
		return
	}
	if v.Type() == reflect.TypeFor[Secret]() {
		v.Set(reflect.ValueOf(NewSecret(walkSecret)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
		if r, ok := v.Addr().Interface().(*Request); ok {
			r.Secrets = []string{walkSecret}
			r.Body = map[string]any{"password": walkSecret, "in": []string{"at " + walkSecret}}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	}
}

// TestNoExportedTypePrintsASecret fills every exported type, its Secrets
// set, and prints it every way a program can: fmt's verbs, both slog
// handlers and json.Marshal, alone and inside a slice, a map and a struct.
func TestNoExportedTypePrintsASecret(t *testing.T) {
	t.Parallel()
	holders := 0
	for _, typ := range everyExportedType {
		v := reflect.New(typ)
		fill(v.Elem(), 0)
		value, ptr := v.Elem().Interface(), v.Interface()
		slice := reflect.Append(reflect.MakeSlice(reflect.SliceOf(typ), 0, 1), v.Elem()).Interface()
		inMap := map[string]any{"v": value}
		inStruct := struct{ V, P any }{value, ptr}

		var printed []string
		for _, x := range []any{value, ptr, slice, inMap, inStruct} {
			printed = append(printed, fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", x, x, x, x, x, x))
			if b, err := json.Marshal(x); err == nil {
				printed = append(printed, string(b))
			}
		}
		var logs strings.Builder
		for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
			slog.New(h).Info("walk", "value", value, "ptr", ptr, "slice", slice, "map", inMap, "struct", inStruct)
		}
		printed = append(printed, logs.String())
		all := strings.Join(printed, "\n")
		if strings.Contains(all, redacted) {
			holders++
		}
		assert.NotContains(t, all, walkSecret, "%s prints its secret", typ)
		assert.NotContains(t, all, hex.EncodeToString([]byte(walkSecret)), "%s prints its secret in hex", typ)
	}
	assert.GreaterOrEqual(t, holders, 6, "the walk reached the types that hold secrets")
}

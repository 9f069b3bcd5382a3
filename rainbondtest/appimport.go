package rainbondtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// App package import (console v5.15.1+): AppModelImportEvent,
// AppTarballDirView, AppImportView and AppChartInfo (openapi/views/apps/
// apps.py) with AppImportService (console/services/
// app_import_and_export_service.py), and the cluster's side: the upload
// (rainbond api/controller/app.go AppStruct.Upload), the event's
// directory and the import itself, which takes the server's transition
// time on its clock.
//
// The fake's package format: a file whose name ends in ".tar" or ".zip".
// Its app models are those registered for its name with
// [Server.AddImportPackage]; a file of no registered name is read as JSON,
// an AppModel or a list of them. Anything else fails the import. Every
// version of every model is a template of the package. A chart
// ("{name}-{version}.tgz", for …/chart) needs only to be uploaded: its
// template's components are those registered for its name (the first
// version of the first model), else one component named after the chart,
// image "{name}:{version}".

// AddImportPackage makes an uploaded file named fileName a package of
// models, whatever its content: an import of it saves them into the
// enterprise's local library, from which POST …/app-model/deploy (ram)
// installs.
func (s *Server) AddImportPackage(fileName string, models ...AppModel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	initMap(&s.state.release.packages)[fileName] = slices.Clone(models)
}

// importRecord is an AppImportRecord.
type importRecord struct {
	id                     int
	eventID, status, scope string
	format, sourceDir      string
	created                time.Time
	teamName, enterpriseID *string
	region, userName       string
}

// dict is the record's to_dict(): update_time is auto_now_add, so it
// stays the creation time.
func (r *importRecord) dict() map[string]any {
	created := consoleTime(r.created)
	return map[string]any{
		"ID": r.id, "event_id": r.eventID, "status": r.status, "scope": r.scope, "format": r.format,
		"source_dir": r.sourceDir, "create_time": created, "update_time": created, "team_name": r.teamName,
		"region": r.region, "user_name": r.userName, "enterprise_id": r.enterpriseID,
	}
}

// uploadedFile is a file of an event's directory in the cluster.
type uploadedFile struct {
	name    string
	size    int
	content []byte
}

// importJob is the cluster's import of an event's files.
type importJob struct {
	files  []string
	doneAt time.Time
	// result is "success" or "failed" once done; metadata the templates.
	result   string
	metadata []map[string]any
	models   []AppModel
}

func (s *Server) importRecordOf(eventID string) *importRecord {
	for _, r := range s.state.release.imports {
		if r.eventID == eventID {
			return r
		}
	}
	return nil
}

// recordNotFound is RecordNotFound("import_record not found"): a 400.
func (c *call) recordNotFound() {
	c.failed(http.StatusBadRequest, "import_record not found", "import_record not found")
}

// createImport is AppModelImportEvent.post (v5.15.1): the caller's last
// unfinished record (by nick_name) of the team's enterprise (any status
// but success and failed), or a new one in select_handle_region's region
// (not the path's): the enterprise's first region of status "1". With
// none, RegionNotFound is answered as 200 with region_name "".
func (c *call) createImport() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	st := c.s.state
	eid := t.EnterpriseID
	var rec *importRecord
	for _, r := range st.release.imports {
		if r.userName == deref(c.user.nick) && deref(r.enterpriseID) == eid && r.status != "success" && r.status != "failed" {
			rec = r
		}
	}
	if rec != nil && st.region(rec.region) == nil {
		rec = nil
	}
	if rec == nil {
		regions := c.s.enterpriseRegions(eid)
		i := slices.IndexFunc(regions, func(r *Region) bool { return c.s.row(r).status == "1" })
		if i < 0 {
			c.envelope("查询成功", map[string]any{"region_name": ""}, nil)
			return
		}
		rec = &importRecord{
			id: st.release.importIDs.next(), eventID: c.s.newID(), status: "uploading", created: c.s.now(),
			enterpriseID: ptr(eid), region: regions[i].RegionName, userName: deref(c.user.nick),
		}
		st.release.imports = append(st.release.imports, rec)
	}
	c.envelope("查询成功", map[string]any{
		"status": rec.status, "source_dir": rec.sourceDir, "event_id": rec.eventID,
		"upload_url": c.s.uploadURL(rec.region, rec.eventID), "region_name": st.region(rec.region).RegionAlias,
	}, nil)
}

// uploadURL is get_upload_url: since v6.9.2 the console's realtime proxy
// path, relative to the console's base URL; before, the region's
// websocket address with http. The fake stands in for the region API
// too: its address is the fake's own.
func (s *Server) uploadURL(region, eventID string) string {
	if s.has("v6.9.2") {
		return "/console/regions/" + region + "/websocket/app/upload/" + eventID
	}
	return s.URL + "/app/upload/" + eventID
}

// upload is the cluster's AppStruct.Upload, reached through the console's
// proxy (RegionRealtimeProxyView, no token of its own) or, before
// v6.9.2, directly: the multipart file appTarFile is saved in the
// event's directory under its own file name, whether or not a record
// has that event. 200 {}.
func (c *call) upload() {
	eventID := c.params[len(c.params)-1]
	if c.r.Method != http.MethodOptions {
		name, content, ok := formFile(c.r.Header.Get("Content-Type"), c.body, "appTarFile")
		if !ok {
			c.json(http.StatusNotImplemented, map[string]string{"msg": "Failed to parse upload file."})
			return
		}
		files := initMap(&c.s.state.release.uploads)
		files[eventID] = slices.DeleteFunc(files[eventID], func(f *uploadedFile) bool { return f.name == name })
		files[eventID] = append(files[eventID], &uploadedFile{name: name, size: len(content), content: content})
	}
	h := c.a.header
	h.Add("Access-Control-Allow-Origin", c.r.Header.Get("Origin"))
	h.Add("Access-Control-Allow-Methods", "POST,OPTIONS")
	h.Add("Access-Control-Allow-Credentials", "true")
	h.Add("Access-Control-Allow-Headers", "x-requested-with,Content-Type,X-Custom-Header")
	c.json(http.StatusOK, map[string]any{})
}

// formFile is r.FormFile(field): the first part of that name that is a
// file.
func formFile(contentType string, body []byte, field string) (string, []byte, bool) {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return "", nil, false
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return "", nil, false
		}
		if part.FormName() == field && part.FileName() != "" {
			content, err := io.ReadAll(part)
			return part.FileName(), content, err == nil
		}
	}
}

// UploadedFile is a file in an import event's directory.
type UploadedFile struct {
	// Name is the file name, as uploaded.
	Name string
	// Size is its size in bytes.
	Size int
}

// UploadedFiles returns the files uploaded to event eventID's directory.
func (s *Server) UploadedFiles(eventID string) []UploadedFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []UploadedFile
	for _, f := range s.state.release.uploads[eventID] {
		out = append(out, UploadedFile{Name: f.name, Size: f.size})
	}
	return out
}

// importDir is AppTarballDirView.get (v5.15.1): the names in the event's directory
// ("{name}.success" once imported, nothing once the console has seen the
// import succeed and removed the directory).
func (c *call) importDir() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	if c.s.importRecordOf(c.params[2]) == nil {
		c.recordNotFound()
		return
	}
	c.s.settleImport(c.params[2])
	list := []any{}
	for _, f := range c.s.state.release.uploads[c.params[2]] {
		list = append(list, f.name)
	}
	c.envelope("查询成功", nil, list)
}

// createImportDir is AppTarballDirView.post (v5.15.1): the path's event id is
// ignored; a new team-scoped record, status "created_dir".
func (c *call) createImportDir() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	id := c.s.newID()
	rec := &importRecord{
		id: c.s.state.release.importIDs.next(), eventID: id, status: "created_dir", sourceDir: "/grdata/app/import/" + id,
		created: c.s.now(), teamName: ptr(t.TenantName), region: region, userName: c.user.getName(),
	}
	c.s.state.release.imports = append(c.s.state.release.imports, rec)
	c.envelope("查询成功", rec.dict(), nil)
}

// deleteImportDir is AppTarballDirView.delete (v5.15.1): the view calls
// delete_import_app_dir with the wrong arguments, so once an event_id is
// given (in the query) it is always a 500.
func (c *call) deleteImportDir() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	if id, _ := djangoQuery(c.r.URL.RawQuery).get("event_id"); id == "" {
		c.failed(http.StatusBadRequest, "event id is null", "请指明需要查询的event id")
		return
	}
	c.serverError("TypeError", "delete_import_app_dir() missing 1 required positional argument: 'event_id'")
}

// startImport is AppImportView.post (v5.15.1): file_name, comma-separated (split
// as is, no trimming), names the files to import; the cluster imports
// them over the transition time. The record becomes "importing".
func (c *call) startImport() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	data, ok := c.requestData()
	if !ok {
		return
	}
	fileName := data["file_name"]
	if !pyTruthy(fileName) {
		c.failed(http.StatusBadRequest, "file name is null", "请选择要导入的文件")
		return
	}
	names, isText := fileName.(string)
	if !isText {
		c.serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'split'", pyTypeNumber(fileName)))
		return
	}
	rec := c.s.importRecordOf(c.params[2])
	if rec == nil {
		c.recordNotFound()
		return
	}
	rec.scope = "enterprise"
	if team := data["tenant_name"]; pyTruthy(team) {
		rec.teamName = ptr(pyStr(team))
	}
	initMap(&c.s.state.release.jobs)[rec.eventID] = &importJob{files: strings.Split(names, ","), doneAt: c.s.now().Add(c.s.transition)}
	rec.status = "importing"
	c.envelope("操作成功，正在导入", nil, nil)
}

// requestData is request.data where a view reads it with .get: an
// object, or a 500 for anything else.
func (c *call) requestData() (map[string]any, bool) {
	raw, parseErr := c.rawBody()
	if parseErr != "" {
		c.apiException(http.StatusBadRequest, "ParseError", parseErr)
		return nil, false
	}
	data, ok := raw.(map[string]any)
	if !ok {
		c.serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'get'", pyTypeNumber(raw)))
		return nil, false
	}
	return data, true
}

// settleImport finishes the cluster's import of an event once its time
// has come: every file must be an uploaded package; the files then carry
// ".success".
func (s *Server) settleImport(eventID string) *importJob {
	job := s.state.release.jobs[eventID]
	if job == nil || job.result != "" || s.now().Before(job.doneAt) {
		return job
	}
	job.result = "success"
	uploads := s.state.release.uploads[eventID]
	for _, name := range job.files {
		i := slices.IndexFunc(uploads, func(f *uploadedFile) bool { return f.name == name })
		if i < 0 {
			job.result = "failed"
			break
		}
		models, ok := s.packageModels(uploads[i])
		if !ok {
			job.result = "failed"
			break
		}
		job.models = append(job.models, models...)
	}
	if job.result != "success" {
		job.models = nil
		return job
	}
	for _, m := range job.models {
		for _, v := range m.Versions {
			job.metadata = append(job.metadata, templateMetadata(m.ID, m, v))
		}
	}
	for _, f := range uploads {
		if slices.Contains(job.files, f.name) {
			f.name += ".success"
		}
	}
	return job
}

// packageModels reads a package: registered by name, else JSON.
func (s *Server) packageModels(f *uploadedFile) ([]AppModel, bool) {
	if !strings.HasSuffix(f.name, ".tar") && !strings.HasSuffix(f.name, ".zip") {
		return nil, false
	}
	if models, ok := s.state.release.packages[f.name]; ok {
		return models, len(models) > 0
	}
	var list []AppModel
	if json.Unmarshal(f.content, &list) == nil && len(list) > 0 {
		return list, true
	}
	var one AppModel
	if json.Unmarshal(f.content, &one) == nil && one.ID != "" {
		return []AppModel{one}, true
	}
	return nil, false
}

// templateMetadata is a template of the cluster's metadata, as the
// console lists it: the package's group_key, whatever id it is saved
// under.
func templateMetadata(key string, m AppModel, v AppModelVersion) map[string]any {
	apps := []any{}
	for _, tpl := range v.Components {
		apps = append(apps, map[string]any{
			"service_key": key, "service_cname": tpl.Cname, "image": tpl.Image, "version": tpl.Version,
			"extend_method": cmp.Or(tpl.ExtendMethod, "stateless_multiple"),
		})
	}
	return map[string]any{"group_key": key, "group_name": m.Name, "group_version": v.Version, "template_version": "v2", "apps": apps}
}

// importStatus is AppImportView.get (v5.15.1): the cluster's status copied into the
// record until it is "success"; the first GET that sees success saves
// the templates into the library, removes the event's directory and
// answers the templates; later GETs answer list [].
func (c *call) importStatus() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	rec := c.s.importRecordOf(c.params[2])
	if rec == nil {
		c.recordNotFound()
		return
	}
	list := []any{}
	if rec.status != "success" {
		job := c.s.settleImport(rec.eventID)
		switch {
		case job == nil:
			rec.status = "uploading"
		case job.result == "":
			rec.status = "importing"
		case job.result == "failed":
			rec.status = "failed"
		default:
			for _, m := range job.models {
				for _, v := range m.Versions {
					c.s.saveImported(m, v)
				}
			}
			for _, md := range job.metadata {
				list = append(list, md)
			}
			rec.scope, rec.sourceDir, rec.format, rec.status = "enterprise", "/grdata/app/import/"+rec.eventID, "rainbond-app", "success"
			delete(c.s.state.release.uploads, rec.eventID)
		}
	}
	c.envelope("查询成功", rec.dict(), list)
}

// saveImported is __save_enterprise_import_info for one template: since
// v6.9.1 its id is the package's group_key unless another model holds
// it (a model not imported, or of another name, or the same version with
// other content), then md5("import:{key}:{name}"), then with the
// template's fingerprint, as __resolve_import_app; before, the
// group_key's model is overwritten.
func (s *Server) saveImported(m AppModel, v AppModelVersion) {
	id := m.ID
	if s.has("v6.9.1") {
		id = s.resolveImportID(m, v)
	}
	initMap(&s.state.release.librarySource)[id] = "import"
	if lib := findModelIn(s.state.library, id); lib != nil {
		if i := slices.IndexFunc(lib.Versions, func(x AppModelVersion) bool { return x.Version == v.Version }); i >= 0 {
			lib.Versions[i] = v
		} else {
			lib.Versions = append(lib.Versions, v)
		}
		return
	}
	s.state.library = append(s.state.library, AppModel{ID: id, Name: m.Name, Versions: []AppModelVersion{v}})
}

func (s *Server) resolveImportID(m AppModel, v AppModelVersion) string {
	name := strings.TrimSpace(m.Name)
	fingerprint := md5Hex(string(must2(json.Marshal(templateMetadata("", m, v)))))
	seed := "import:" + m.ID + ":" + name
	candidates := []string{m.ID, md5Hex(seed), md5Hex(seed + ":" + fingerprint)}
	for i := 1; i < 100; i++ {
		candidates = append(candidates, md5Hex(seed+":"+fingerprint+":"+strconv.Itoa(i)))
	}
	for _, id := range candidates {
		lib := findModelIn(s.state.library, id)
		if lib == nil {
			return id
		}
		if s.state.release.librarySource[id] != "import" || strings.TrimSpace(lib.Name) != name {
			continue
		}
		old := findVersion(lib, v.Version)
		if old == nil || string(must2(json.Marshal(old))) == string(must2(json.Marshal(v))) {
			return id
		}
	}
	return candidates[len(candidates)-1]
}

// deleteImport is AppImportView.delete (v5.15.1): the cluster's directory and
// record, then the console's records of the event; 200 even for an
// unknown event.
func (c *call) deleteImport() {
	t, _ := c.teamRegion()
	if t == nil {
		return
	}
	id := c.params[2]
	delete(c.s.state.release.uploads, id)
	delete(c.s.state.release.jobs, id)
	c.s.state.release.imports = slices.DeleteFunc(c.s.state.release.imports, func(r *importRecord) bool { return r.eventID == id })
	c.envelope("操作成功", nil, nil)
}

// importChart is AppChartInfo.post (v5.15.1): app_id, name, version and action
// tested for truth in that order; the app's region app (any team) must
// exist; the chart "{name}-{version}.tgz" must be in the event's
// directory, else HTTP 200 with code 400; a helm template (id
// make_uuid3(name)) gets the version; then deploy (install into app_id)
// or upgrade.
func (c *call) importChart() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	data, ok := c.requestData()
	if !ok {
		return
	}
	for _, check := range []struct{ field, show string }{
		{"app_id", "缺少应用id"}, {"name", "缺少chart包名称"}, {"version", "缺少chart包版本"}, {"action", "请指定操作方式，deploy or upgrade"},
	} {
		if !pyTruthy(data[check.field]) {
			c.failed(http.StatusBadRequest, "params error", check.show)
			return
		}
	}
	name, version, action := pyStr(data["name"]), pyStr(data["version"]), pyStr(data["action"])
	fileName := name + "-" + version + ".tgz"
	appID, err := strconv.ParseInt(strings.TrimSpace(pyStr(data["app_id"])), 10, 64)
	if err != nil {
		c.serverError("ValueError", fmt.Sprintf("Field 'app_id' expected a number but got %s.", pyRepr(pyStr(data["app_id"]))))
		return
	}
	if a := c.s.state.apps[appID]; a == nil || a.RegionName != region {
		c.serverError("DoesNotExist", "RegionApp matching query does not exist.")
		return
	}
	var chart *uploadedFile
	for _, f := range c.s.state.release.uploads[c.params[2]] {
		if f.name == fileName {
			chart = f
		}
	}
	if chart == nil {
		c.message(http.StatusOK, 400, "failed", "解析失败，没有找到"+fileName, nil)
		return
	}
	modelID := makeUUID3(name)
	c.s.addHelmTemplate(modelID, name, version, c.s.chartComponents(fileName, name, version))
	switch action {
	case "deploy":
		if c.installLocal(t, appID, modelID, version) {
			c.envelope("安装应用成功", nil, nil)
		}
	case "upgrade":
		a := c.s.state.appIn(t, region, appID)
		if a == nil {
			c.serverError("AttributeError", "'NoneType' object has no attribute 'ID'")
			return
		}
		c.upgradeInstalled(a, modelID, version, "更新应用成功")
	default:
		c.failed(http.StatusBadRequest, "params error", "暂不支持当前操作:"+action)
	}
}

// chartComponents are the components a chart converts to.
func (s *Server) chartComponents(fileName, name, version string) []ComponentTemplate {
	if models := s.state.release.packages[fileName]; len(models) > 0 && len(models[0].Versions) > 0 {
		return models[0].Versions[0].Components
	}
	return []ComponentTemplate{{Cname: name, Image: name + ":" + version, Version: version}}
}

// addHelmTemplate is create_center_app_by_chart and generate_template: the
// library model id, source helm, gets (or replaces) version.
func (s *Server) addHelmTemplate(id, name, version string, comps []ComponentTemplate) {
	v := AppModelVersion{Version: version, Components: comps}
	lib := findModelIn(s.state.library, id)
	if lib == nil {
		s.state.library = append(s.state.library, AppModel{ID: id, Name: name})
		lib = &s.state.library[len(s.state.library)-1]
		initMap(&s.state.release.librarySource)[id] = "helm"
	}
	if i := slices.IndexFunc(lib.Versions, func(x AppModelVersion) bool { return x.Version == version }); i >= 0 {
		lib.Versions[i] = v
	} else {
		lib.Versions = append(lib.Versions, v)
	}
}

// LocalModels returns the enterprise's local library: the models the test
// added, imported ones and helm templates.
func (s *Server) LocalModels() []AppModel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]AppModel, len(s.state.library))
	for i, m := range s.state.library {
		out[i] = m
		out[i].Versions = slices.Clone(m.Versions)
	}
	return out
}

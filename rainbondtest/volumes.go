package rainbondtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// Adding storage: ServiceVolumeView.post (openapi/views/apps/apps.py,
// console v5.17.1+) with volume_service.add_service_volume
// (console/services/app_config/volume_service.py).

// volume is a TenantServiceVolume, with its config file's content.
type volume struct {
	id                                 int
	serviceID, category, hostPath      string
	volumeType, volumePath, volumeName string
	capacity                           int
	providerName, accessMode           string
	mode                               *int
	fileContent                        *string
}

func (v *volume) dict() map[string]any {
	return map[string]any{
		"ID": v.id, "service_id": v.serviceID, "category": v.category, "host_path": v.hostPath,
		"volume_type": v.volumeType, "volume_path": v.volumePath, "volume_name": v.volumeName,
		"volume_capacity": v.capacity, "volume_provider_name": v.providerName, "access_mode": v.accessMode,
		"share_policy": "exclusive", "backup_policy": "exclusive", "reclaim_policy": "exclusive",
		"allow_expansion": false, "mode": v.mode,
	}
}

var (
	// volumeNamePattern is the view's (and check_volume_name's) regex,
	// matched from the start.
	volumeNamePattern = regexp.MustCompile(`^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`)
	// legalPath is console/utils/urlutil.py is_path_legal's, \w as
	// Python's.
	legalPath = regexp.MustCompile(`^/([\p{L}\p{N}_-]+/?)+([\p{L}\p{N}_-]?.+/?)?([\p{L}\p{N}_-]?.[\p{L}\p{N}_-]+/?)$`)
	octalMode = regexp.MustCompile(`^[0-7]{1,3}$`)
	// sysDirs are AppVolumeService.SYSDIRS.
	sysDirs = []string{"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sbin", "/sys", "/var", "/usr/sbin", "/usr/bin"}
	// simpleVolumeTypes need no volume option of the cluster.
	simpleVolumeTypes = []string{"local-path", "config-file", "vm-file", "memoryfs", "local"}
	// clusterVolumeOptions are the types the fake cluster's GET
	// /v2/volume-options lists, with their provisioners.
	clusterVolumeOptions = map[string]string{"share-file": "rainbondsssc"}
)

// addVolume is ServiceVolumeView.post (v5.17.1): ServiceVolumeSerializer
// (DRF 400), then, in order: the name's pattern (400), mode (400), the
// name taken (400), the path (412, 409 for /app or /tmp of a source
// component; skipped for VM components), an unknown type replaced by
// local-path, the access mode; no restart. 200 envelope with the row.
func (c *call) addVolume() {
	t, _, comp := c.component()
	if comp == nil {
		return
	}
	data := c.bodyObject()
	if data == nil {
		return
	}
	var errs drfErrors
	texts := charInto(&errs, data, charField{name: "volume_name", max: 512}, charField{name: "volume_path", max: 512})
	capacity, _, _ := drfInt(&errs, data, "volume_capacity", true, false)
	volumeType := charInto(&errs, data, charField{name: "volume_type", max: 512})["volume_type"]
	if !errs.empty() {
		c.validationErrors(errs.fields())
		return
	}
	name, path := *texts["volume_name"], *texts["volume_path"]
	if !volumeNamePattern.MatchString(name) {
		c.failed(http.StatusBadRequest, "volume name illegal", "持久化名称只支持数字字母下划线")
		return
	}
	var mode *int
	if raw := data["mode"]; raw != nil {
		n, isInt := raw.(json.Number)
		v, err := n.Int64()
		if !isInt || err != nil || !octalMode.MatchString(n.String()) {
			c.failed(http.StatusBadRequest, "mode be a number between 0 and 777 (octal)", "权限必须是在0和777之间的八进制数")
			return
		}
		mode = ptr(int(v))
	}
	existing := c.s.state.release.volumes[comp.ServiceID]
	if slices.ContainsFunc(existing, func(v *volume) bool { return v.volumeName == name }) {
		c.failed(http.StatusBadRequest, "volume name already exists", "持久化名称["+name+"]已存在")
		return
	}
	if deref(comp.ServiceSource) != "vm_run" {
		if status, msg, show := checkVolumePath(comp, existing, path); status != 0 {
			c.failed(status, msg, show)
			return
		}
	}
	vt := *volumeType
	if !slices.Contains(simpleVolumeTypes, vt) {
		if _, ok := clusterVolumeOptions[vt]; !ok {
			vt = "local-path"
		}
	}
	accessMode, problem := volumeAccessMode(comp, vt, data)
	if problem != "" {
		c.serverError("AttributeError", problem)
		return
	}
	hostPath := "/grdata/tenant/" + t.TenantID + "/service/" + comp.ServiceID + path
	// The serializer allows 512 characters; the row's columns fewer, and
	// volume.save() fails (after the cluster was sent the volume), before
	// the row takes an id.
	if e, refused := firstTooLong(varchar{"host_path", hostPath, 400}, varchar{"volume_path", path, 400}, varchar{"volume_name", name, 100}); refused {
		c.dbError(e)
		return
	}
	v := &volume{
		id: c.s.state.release.volumeIDs.next(), serviceID: comp.ServiceID, category: comp.Category, hostPath: hostPath,
		volumeType: vt, volumePath: path, volumeName: name, capacity: capacity, mode: mode,
		providerName: clusterVolumeOptions[vt], accessMode: accessMode,
	}
	if vt == "config-file" {
		content, _ := data["file_content"].(string)
		v.fileContent = &content
	}
	initMap(&c.s.state.release.volumes)[comp.ServiceID] = append(existing, v)
	c.envelope("持久化路径添加成功", v.dict(), nil)
}

// checkVolumePath is check_volume_path: ErrVolumePath, 412 unless said.
func checkVolumePath(comp *component, existing []*volume, path string) (status int, msg, show string) {
	if slices.ContainsFunc(existing, func(v *volume) bool { return v.volumePath == path }) {
		return http.StatusPreconditionFailed, "path already exists", "持久化路径[" + path + "]已存在"
	}
	if deref(comp.ServiceSource) == "source_code" && deref(comp.Language) != "dockerfile" {
		switch {
		case path == "/app" || path == "/tmp":
			return http.StatusConflict, "path error", "源码组件不能挂载/app或/tmp目录"
		case !strings.HasPrefix(path, "/"):
			return http.StatusPreconditionFailed, "path error", "挂载路径需为标准的 Linux 路径"
		case slices.Contains(sysDirs, path):
			return http.StatusPreconditionFailed, "path error", "路径" + path + "为系统路径"
		}
	} else if !legalPath.MatchString(path) {
		return http.StatusPreconditionFailed, "path error", "请输入符合规范的路径（如：/tmp/volumes）"
	}
	for _, v := range existing {
		if strings.HasPrefix(v.volumePath, path+"/") || strings.HasPrefix(path, v.volumePath+"/") {
			return http.StatusPreconditionFailed, "path error", "已存在以" + v.volumePath + "开头的路径"
		}
	}
	return 0, "", ""
}

// volumeAccessMode is __setting_volume_access_mode: the body's
// access_mode upper-cased when not "" (a value without upper() is an
// AttributeError), else the type's default.
func volumeAccessMode(comp *component, vt string, data map[string]any) (string, string) {
	if raw, present := data["access_mode"]; present && raw != "" {
		s, ok := raw.(string)
		if !ok {
			return "", fmt.Sprintf("'%s' object has no attribute 'upper'", pyTypeNumber(raw))
		}
		return strings.ToUpper(s), ""
	}
	switch vt {
	case "config-file":
		return "RWX", ""
	case "memoryfs", "local":
		return "RWO", ""
	}
	if comp.ExtendMethod == "stateless_multiple" {
		return "RWX", ""
	}
	return "RWO", ""
}

// Volume is a component's storage, as the console stores it.
type Volume struct {
	// Name, Path and Type are volume_name, volume_path and volume_type
	// (after an unknown type became local-path).
	Name, Path, Type string
	// Capacity is volume_capacity, as given.
	Capacity int
	// AccessMode is RWO, RWX, … .
	AccessMode string
	// Mode is the permission given, nil for none.
	Mode *int
	// FileContent is a config-file's content.
	FileContent string
}

// Volumes returns the storage of component serviceID, oldest first.
func (s *Server) Volumes(serviceID string) []Volume {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Volume
	for _, v := range s.state.release.volumes[serviceID] {
		out = append(out, Volume{Name: v.volumeName, Path: v.volumePath, Type: v.volumeType, Capacity: v.capacity,
			AccessMode: v.accessMode, Mode: v.mode, FileContent: deref(v.fileContent)})
	}
	return out
}

// SetServiceSource sets how component serviceID was made (service_source,
// e.g. "source_code", "docker_image", "vm_run") and its language (e.g.
// "dockerfile"), on which the console's storage path rules depend.
func (s *Server) SetServiceSource(serviceID, source, language string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	comp := s.state.components[serviceID]
	if comp == nil {
		return fmt.Errorf("rainbondtest: no component %q", serviceID)
	}
	comp.ServiceSource, comp.Language = nullable(source), nullable(language)
	return nil
}

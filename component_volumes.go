package rainbond

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/rbdkit/rainbond-go/internal/jsonwire"
)

// A component's storage: ServiceVolumeView (openapi/views/apps/apps.py),
// ServiceVolumeSerializer, and console/services/app_config/volume_service.py
// (check_volume_name, check_volume_path, add_service_volume).

// sinceVolumes is the console release that added the volumes route.
const sinceVolumes = "v5.17.1"

// VolumeType is a kind of storage.
type VolumeType string

// Volume types every cluster has. A cluster may offer more (its storage
// classes, "share-file"); the console replaces a type the cluster does
// not offer with VolumeLocalPath, which [ComponentsService.AddVolume]
// reports in the answer's Type.
const (
	// VolumeLocalPath is storage on the node's disk (the default).
	VolumeLocalPath VolumeType = "local-path"
	// VolumeConfigFile is a configuration file, FileContent its content.
	VolumeConfigFile VolumeType = "config-file"
	// VolumeMemory is memory-backed storage (emptyDir in memory).
	VolumeMemory VolumeType = "memoryfs"
	// VolumeLocal is a local persistent volume.
	VolumeLocal VolumeType = "local"
	// VolumeShareFile is shared storage, when the cluster offers it.
	VolumeShareFile VolumeType = "share-file"
)

// VolumeCreate is the body of [ComponentsService.AddVolume].
type VolumeCreate struct {
	// Name names the volume in the component: letters and digits, with
	// '-', '_' and '.' inside; at most 100 characters.
	Name string `json:"volume_name"`
	// Path is where it is mounted: an absolute path (at most 400
	// characters) that no other volume of the component contains or is
	// contained in.
	Path string `json:"volume_path"`
	// Capacity is its size, as the cluster reads it (the console's form
	// says GiB); 0 for no limit.
	Capacity int `json:"volume_capacity"`
	// Type is its kind; "" is VolumeLocalPath.
	Type VolumeType `json:"volume_type"`
	// FileContent is the file's content, for VolumeConfigFile.
	FileContent string `json:"file_content,omitempty"`
	// AccessMode is RWO, RWX or ROX; "" lets the console choose by type.
	AccessMode string `json:"access_mode,omitempty"`
	// Mode is the file mode for a configuration file, e.g. 0o644 (sent as
	// the console writes it, 644); nil for the default.
	Mode *int `json:"-"`
}

// Volume is a component's volume, as the console answers an addition.
//
// Source: the TenantServiceVolume row (BaseModel.to_dict).
type Volume struct {
	// ID is the volume's row id.
	ID int64 `json:"ID"`
	// ServiceID is the component's id.
	ServiceID string `json:"service_id"`
	// Name, Path and Type are as asked (Type as the console replaced it).
	Name string `json:"volume_name"`
	// Path: see Name.
	Path string `json:"volume_path"`
	// Type: see Name.
	Type VolumeType `json:"volume_type"`
	// Capacity is its size, as asked.
	Capacity int `json:"volume_capacity"`
	// HostPath is where it lives on the node.
	HostPath string `json:"host_path"`
	// Category is the component's category.
	Category string `json:"category"`
	// ProviderName is the storage provisioner ("" for the simple types).
	ProviderName string `json:"volume_provider_name"`
	// AccessMode is RWO, RWX or ROX.
	AccessMode string `json:"access_mode"`
	// Mode is the file mode as the console writes it, octal digits read
	// as a decimal number (644 for 0o644); 0 when none was set.
	Mode int `json:"mode"`
}

// volumeName is the view's volume name pattern.
var volumeName = regexp.MustCompile(`^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`)

// volumePath is is_path_legal's pattern, which the console applies to
// components not built from source code.
var volumePath = regexp.MustCompile(`^\/([\w-]+\/?)+([\w-]?.+\/?)?([\w-]?.[\w-]+\/?)$`)

// Volume refusals the console makes that the SDK cannot check before
// sending (they depend on the component's other volumes).
var (
	// ErrVolumeExists: the component has a volume of that name, or at
	// that path, or one whose path contains this one or is contained in
	// it.
	ErrVolumeExists = errors.New("rainbond: the component has such a volume")
)

// AddVolume adds a volume to component serviceID and returns it. For a
// component whose creation is complete, the console adds it in the
// cluster too; it does not restart the component (the volume is mounted
// at the next start).
//
// It checks what the console checks before sending: the name, the mode
// (an octal 0 to 0777), and that the path is absolute and what the
// console accepts for any component (for a component built from source
// code the console also refuses /app, /tmp and the system paths; the SDK
// leaves those to it, as it does not know the component's kind). The
// component's own volumes are the console's to check:
// [ErrVolumeExists] for a name or a path taken, or nested in another.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/volumes
// (consoles since v5.17.1). A POST, never sent twice by the client on its
// own.
func (s *ComponentsService) AddVolume(ctx context.Context, teamID, regionName string, appID int64, serviceID string, vol *VolumeCreate, callOpts ...CallOption) (*Volume, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/volumes")
	v.volume(vol)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	body := volumeWire(*vol)
	if body.Type == "" {
		body.Type = VolumeLocalPath
	}
	out := new(envelope[Volume])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: &body, opts: callOpts, since: sinceVolumes}, out)
	if err != nil {
		return nil, resp, mark(err, ErrVolumeExists, "", func(e *APIError) bool {
			switch e.Msg {
			case "volume name already exists", "path already exists":
				return true
			}
			return e.Msg == "path error" && strings.HasPrefix(e.MsgShow, "已存在以")
		})
	}
	return &out.Data.Bean, resp, nil
}

// volumeWire is ServiceVolumeSerializer's body, with the mode the view
// reads raw: its octal digits as a decimal number (0o644 is sent as 644).
type volumeWire VolumeCreate

// MarshalJSON encodes the fields, then the mode.
func (w volumeWire) MarshalJSON() ([]byte, error) {
	type fields VolumeCreate // without this method
	b, err := json.Marshal(fields(w))
	if err != nil || w.Mode == nil {
		return b, err
	}
	return jsonwire.AppendMembers(b, map[string]json.RawMessage{"mode": json.RawMessage(strconv.FormatInt(int64(*w.Mode), 8))}, nil)
}

func (v *validator) volume(vol *VolumeCreate) {
	if vol == nil {
		v.add("body", "nil *VolumeCreate")
		return
	}
	before := len(v.problems)
	v.text("volume_name", vol.Name, charField{required: true, max: 100, noTrimming: true})
	if len(v.problems) == before && !volumeName.MatchString(vol.Name) {
		v.add("volume_name", "%q: letters and digits, with '-', '_' and '.' inside", oneLine(vol.Name, 80))
	}
	before = len(v.problems)
	v.text("volume_path", vol.Path, charField{required: true, max: 400, noTrimming: true})
	if len(v.problems) == before && !volumePath.MatchString(vol.Path) {
		v.add("volume_path", "%q: an absolute path the console accepts, e.g. /data or /var/lib/mysql", oneLine(vol.Path, 80))
	}
	if vol.Capacity < 0 {
		v.add("volume_capacity", "%d: must not be negative", vol.Capacity)
	}
	if vol.Mode != nil && (*vol.Mode < 0 || *vol.Mode > 0o777) {
		v.add("mode", "%o: an octal mode from 0 to 777", *vol.Mode)
	}
	if vol.Type != "" {
		v.text("volume_type", string(vol.Type), charField{required: true, max: 512, noTrimming: true})
	}
	switch vol.AccessMode {
	case "", "RWO", "RWX", "ROX":
	default:
		v.add("access_mode", "%q: RWO, RWX or ROX", oneLine(vol.AccessMode, 20))
	}
}

package rainbond

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
)

// A component's ports: ComponentPortsShowView and ComponentPortsChangeView
// (openapi/views/apps/apps.py) with ServicePortSerializer,
// ComponentPortReqSerializers and ComponentUpdatePortReqSerializers
// (openapi/serializer/app_serializer.py), and
// console/services/app_config/port_service.py. Every answer is the
// console's envelope; the SDK returns what it holds.

// PortProtocol is a port's protocol.
type PortProtocol string

// The protocols the console accepts.
const (
	ProtocolHTTP  PortProtocol = "http"
	ProtocolTCP   PortProtocol = "tcp"
	ProtocolUDP   PortProtocol = "udp"
	ProtocolMySQL PortProtocol = "mysql"
	ProtocolGRPC  PortProtocol = "grpc"
)

func (p PortProtocol) valid() bool {
	switch p {
	case ProtocolHTTP, ProtocolTCP, ProtocolUDP, ProtocolMySQL, ProtocolGRPC:
		return true
	}
	return false
}

// PortAction is a change [ComponentsService.UpdatePort] makes.
type PortAction string

// The changes a port accepts.
const (
	// PortOpenOuter opens the port to the outside (the gateway); the
	// inner service must be open.
	PortOpenOuter PortAction = "open_outer"
	// PortOnlyOpenOuter opens the port to the outside whether or not its
	// inner service is open.
	PortOnlyOpenOuter PortAction = "only_open_outer"
	// PortCloseOuter closes it to the outside.
	PortCloseOuter PortAction = "close_outer"
	// PortOpenInner opens it to the app's other components.
	PortOpenInner PortAction = "open_inner"
	// PortCloseInner closes it to them; the outer service must be closed.
	PortCloseInner PortAction = "close_inner"
	// PortChangeProtocol sets the protocol ([PortUpdate].Protocol).
	PortChangeProtocol PortAction = "change_protocol"
	// PortChangeAlias sets the alias ([PortUpdate].PortAlias).
	PortChangeAlias PortAction = "change_port_alias"
)

func (a PortAction) valid() bool {
	switch a {
	case PortOpenOuter, PortOnlyOpenOuter, PortCloseOuter, PortOpenInner, PortCloseInner, PortChangeProtocol, PortChangeAlias:
		return true
	}
	return false
}

// ComponentPort is a port of a component.
//
// Source: ServicePortSerializer, a ModelSerializer over TenantServicesPort
// (www/models/main.py) without ID, tenant_id, service_id and name.
type ComponentPort struct {
	// ContainerPort is the port the container listens on.
	ContainerPort int `json:"container_port"`
	// MappingPort is the port other components reach it on.
	MappingPort int `json:"mapping_port"`
	// LbMappingPort is the gateway's port for it.
	LbMappingPort int `json:"lb_mapping_port"`
	// Protocol is its protocol.
	Protocol PortProtocol `json:"protocol"`
	// PortAlias is its alias, from which the console names the variables
	// that tell other components where it is (<ALIAS>_HOST, <ALIAS>_PORT).
	PortAlias string `json:"port_alias"`
	// IsInnerService reports it open to the app's other components.
	IsInnerService bool `json:"is_inner_service"`
	// IsOuterService reports it open to the outside, through the gateway.
	IsOuterService bool `json:"is_outer_service"`
	// K8sServiceName is the name of its Kubernetes service.
	K8sServiceName string `json:"k8s_service_name"`
}

// PortCreate is the body of [ComponentsService.AddPort].
type PortCreate struct {
	// Port is the container's port: 1 to 65535.
	Port int `json:"port"`
	// Protocol is its protocol; empty means [ProtocolHTTP].
	Protocol PortProtocol `json:"protocol,omitempty"`
	// PortAlias is its alias: an upper-case letter, then upper-case
	// letters, digits and '_'. Empty lets the console make one from the
	// component's alias and the port.
	PortAlias string `json:"port_alias,omitempty"`
	// IsInnerService opens it to the app's other components at once.
	IsInnerService bool `json:"is_inner_service"`
}

// PortUpdate is the body of [ComponentsService.UpdatePort].
type PortUpdate struct {
	// Action is the change.
	Action PortAction `json:"action"`
	// Protocol is the new protocol, for PortChangeProtocol.
	Protocol PortProtocol `json:"protocol,omitempty"`
	// PortAlias is the new alias, for PortChangeAlias.
	PortAlias string `json:"port_alias,omitempty"`
	// K8sServiceName is the name of the Kubernetes service, for
	// PortChangeAlias, which requires it: the console fails (500) without
	// it, after it has renamed the port's variables in the cluster
	// (port_service.py change_port_alias). The console gives the name to
	// every port of the component, not only to this one.
	K8sServiceName string `json:"k8s_service_name,omitempty"`
}

// k8sServiceName is port_service.py check_k8s_service_name's pattern
// (a letter first, unlike a Kubernetes label).
var k8sServiceName = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)

// portAlias is port_service.py check_port_alias's pattern.
var portAlias = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// ListPorts returns the ports of component serviceID.
//
// It calls GET /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/ports
// (consoles since v5.17.0).
func (s *ComponentsService) ListPorts(ctx context.Context, teamID, regionName string, appID int64, serviceID string, callOpts ...CallOption) ([]ComponentPort, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/ports")
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(envelope[ComponentPort])
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sincePorts}, out)
	if err != nil {
		return nil, resp, err
	}
	return out.Data.List, resp, nil
}

// AddPort adds a port to component serviceID and returns it.
//
// It calls POST /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/ports
// (consoles since v5.17.0). Errors to expect: [ErrConflict] (code 20501)
// when the component has the port already; [ErrBadRequest] for an alias
// the console refuses.
func (s *ComponentsService) AddPort(ctx context.Context, teamID, regionName string, appID int64, serviceID string, port *PortCreate, callOpts ...CallOption) (*ComponentPort, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/ports")
	if port == nil {
		v.add("body", "nil *PortCreate")
	} else {
		v.port("port", port.Port)
		if port.Protocol != "" && !port.Protocol.valid() {
			v.add("protocol", "%q: must be http, tcp, udp, mysql or grpc", oneLine(string(port.Protocol), 40))
		}
		v.alias("port_alias", port.PortAlias)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(envelope[ComponentPort])
	resp, err := s.client.do(ctx, &request{method: http.MethodPost, path: path, body: port, opts: callOpts, since: sincePorts}, out)
	if err != nil {
		return nil, resp, err
	}
	return &out.Data.Bean, resp, nil
}

// UpdatePort changes port containerPort of component serviceID as
// change.Action says, and returns the port afterwards.
//
// It calls PUT /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/ports/{port}
// (consoles since v5.17.0). Errors to expect: [ErrNotFound] for a port
// the component lacks, for opening the outer service while the inner one
// is closed, and for closing the inner service while the outer one is
// open; [ErrBadRequest] for an alias another port has.
func (s *ComponentsService) UpdatePort(ctx context.Context, teamID, regionName string, appID int64, serviceID string, containerPort int, change *PortUpdate, callOpts ...CallOption) (*ComponentPort, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/ports/"+strconv.Itoa(containerPort))
	v.port("port", containerPort)
	v.portUpdate(change)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(envelope[ComponentPort])
	resp, err := s.client.do(ctx, &request{method: http.MethodPut, path: path, body: change, opts: callOpts, since: sincePorts}, out)
	if err != nil {
		return nil, resp, err
	}
	return &out.Data.Bean, resp, nil
}

// DeletePort removes port containerPort from component serviceID and
// returns it as it was.
//
// It calls DELETE /openapi/v1/teams/{team_id}/regions/{region_name}/apps/{app_id}/services/{service_id}/ports/{port}
// (consoles since v5.17.0). Errors to expect: 412 while domain rules use
// the port (delete them first); [ErrConflict] while its inner or outer
// service is open (close them first); [ErrNotFound].
func (s *ComponentsService) DeletePort(ctx context.Context, teamID, regionName string, appID int64, serviceID string, containerPort int, callOpts ...CallOption) (*ComponentPort, *Response, error) {
	v := s.client.validator(ctx)
	path := componentPath(&v, teamID, regionName, appID, serviceID, "/ports/"+strconv.Itoa(containerPort))
	v.port("port", containerPort)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(envelope[ComponentPort])
	resp, err := s.client.do(ctx, &request{method: http.MethodDelete, path: path, opts: callOpts, since: sincePorts}, out)
	if err != nil {
		return nil, resp, err
	}
	return &out.Data.Bean, resp, nil
}

func (v *validator) port(field string, port int) {
	if port < 1 || port > 65535 {
		v.add(field, "%d: must be 1 to 65535", port)
	}
}

// alias checks a port alias as the console does: trimmed first (a blank
// one, when a port is added, gets the console's default).
func (v *validator) alias(field, alias string) {
	alias = pyStrip(alias)
	if alias == "" {
		return
	}
	if len(alias) > 255 || !portAlias.MatchString(alias) {
		v.add(field, "%q: an upper-case letter, then upper-case letters, digits and '_'", oneLine(alias, 80))
	}
}

func (v *validator) portUpdate(u *PortUpdate) {
	if u == nil {
		v.add("body", "nil *PortUpdate")
		return
	}
	if !u.Action.valid() {
		v.add("action", "%q: not a port action", oneLine(string(u.Action), 40))
	}
	switch {
	case u.Action == PortChangeProtocol && u.Protocol == "":
		v.add("protocol", "change_protocol without a protocol would switch the port to http: give one of http, tcp, udp, mysql, grpc")
	case u.Action == PortChangeProtocol && !u.Protocol.valid():
		v.add("protocol", "%q: one of http, tcp, udp, mysql, grpc", oneLine(string(u.Protocol), 40))
	case u.Action != PortChangeProtocol && u.Protocol != "":
		v.add("protocol", "only for change_protocol")
	}
	switch {
	case u.Action == PortChangeAlias && pyStrip(u.PortAlias) == "":
		v.add("port_alias", "change_port_alias needs the new alias")
	case u.Action != PortChangeAlias && u.PortAlias != "":
		v.add("port_alias", "only for change_port_alias")
	}
	v.alias("port_alias", u.PortAlias)
	switch {
	case u.Action == PortChangeAlias && u.K8sServiceName == "":
		v.add("k8s_service_name", "change_port_alias needs it: the console fails without it, after renaming the port's variables in the cluster")
	case u.Action != PortChangeAlias && u.K8sServiceName != "":
		v.add("k8s_service_name", "only for change_port_alias: the console ignores it otherwise")
	case u.K8sServiceName != "":
		if len(u.K8sServiceName) > 63 || !k8sServiceName.MatchString(u.K8sServiceName) {
			v.add("k8s_service_name", "%q: a lower-case letter, then lower-case letters, digits and '-', at most 63, ending with a letter or digit", oneLine(u.K8sServiceName, 80))
		}
	}
}

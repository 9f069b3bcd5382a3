package rainbondtest

// appsPortItem is one port of AppsPortView's answer.
type appsPortItem struct {
	Port          int     `json:"port"`
	ServiceName   string  `json:"service_name"`
	Namespace     string  `json:"namespace"`
	ComponentName *string `json:"component_name"`
}

// appsPortBean is AppsPortView's bean.
type appsPortBean struct {
	Namespace string         `json:"namespace"`
	Ports     []appsPortItem `json:"ports"`
}

// listAppsPort is AppsPortView.get (openapi/views/apps/apps.py): every
// port of the team open inside the cluster, in every region and app, with
// its Kubernetes service name; component_name is the component's cname
// for components of the path's region, null for the others. The team's
// namespace is its tenant_id: create_tenant's default, which teams made
// through the OpenAPI keep.
func (c *call) listAppsPort() {
	t, region := c.teamRegion()
	if t == nil {
		return
	}
	ports := []appsPortItem{}
	for _, id := range c.s.state.order {
		comp := c.s.state.components[id]
		if comp.TenantID != t.TenantID {
			continue
		}
		var name *string
		if comp.ServiceRegion == region {
			name = ptr(comp.ServiceCname)
		}
		for _, p := range comp.ports {
			if p.IsInnerService {
				ports = append(ports, appsPortItem{Port: p.ContainerPort, ServiceName: p.K8sServiceName, Namespace: t.TenantID, ComponentName: name})
			}
		}
	}
	c.envelope("查询成功", appsPortBean{Namespace: t.TenantID, Ports: ports}, nil)
}

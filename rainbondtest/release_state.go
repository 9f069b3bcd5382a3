package rainbondtest

import "slices"

// releaseState is what the routes of canary.go, appmodel.go, appimport.go,
// helmchart.go, teamapps.go, volumes.go and external.go keep. Its maps are
// made on first use.
type releaseState struct {
	// grayIDs, importIDs and volumeIDs number the rows of
	// GrayReleaseRecord, AppImportRecord and TenantServiceVolume, each
	// table its own; graySeq orders canaries updated in the same second.
	grayIDs, importIDs, volumeIDs, graySeq rowIDs
	// gray are the canaries (GrayReleaseRecord), oldest first.
	gray []*grayRecord
	// routes are the gateway's HTTP routes (ApisixRoutes), see canary.go.
	routes []*gwRoute
	// imports are the app package import records, oldest first.
	imports []*importRecord
	// uploads are the files uploaded to each event's directory in the
	// cluster; jobs the cluster's imports, by event id.
	uploads map[string][]*uploadedFile
	jobs    map[string]*importJob
	// packages are the fake's package registry (AddImportPackage).
	packages map[string][]AppModel
	// librarySource is where a local-library model came from: "import"
	// or "helm"; absent for models the test added.
	librarySource map[string]string
	// charts are the charts of the console's helm repos: "repo/chart
	// version" → rendered manifest.
	charts map[string]string
	// resources are apps' k8s resources and config groups.
	resources []*AppResource
	// volumes are the components' storage; endpoints the third-party
	// components' addresses and type.
	volumes   map[string][]*volume
	endpoints map[string]*thirdEndpoints
}

// rowIDs is a table's AUTO_INCREMENT.
type rowIDs int

func (n *rowIDs) next() int {
	*n++
	return int(*n)
}

func initMap[K comparable, V any](m *map[K]V) map[K]V {
	if *m == nil {
		*m = map[K]V{}
	}
	return *m
}

// destroyComponent is app_manage.py truncate_service, a forced delete:
// the component and every row of it go, its HTTP and TCP rules
// included (the gateway's routes made from them stay, as ApisixRoutes
// are not the component's). s.mu is held.
func (s *Server) destroyComponent(id string) {
	s.syncRoutes()
	s.removeComponent(id)
	s.state.httpRules = slices.DeleteFunc(s.state.httpRules, func(r *httpRule) bool { return r.ServiceID == id })
	s.state.tcpRules = slices.DeleteFunc(s.state.tcpRules, func(r *tcpRule) bool { return r.ServiceID == id })
	delete(s.state.release.volumes, id)
	delete(s.state.release.endpoints, id)
}

func isThirdParty(c *component) bool {
	return deref(c.ServiceSource) == "third_party"
}

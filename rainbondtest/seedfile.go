package rainbondtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
)

// SeedFile is what a server starts with instead of the default seed: the
// fixtures of this package as JSON, their fields in snake_case. Regions
// come first, then teams (which name their regions), apps (which name
// their team by tenant_id or tenant_name) and stores.
//
//	{"regions": [{"region_name": "rainbond"}],
//	 "teams": [{"tenant_name": "ops", "regions": ["rainbond"]}],
//	 "apps": [{"tenant_id": "ops", "region_name": "rainbond", "name": "shop"}],
//	 "stores": [{"domain": "rainbond", "url": "https://store.example.com", "models": [
//	   {"id": "m1", "name": "web", "versions": [{"version": "1.0", "components": [
//	     {"cname": "web", "image": "nginx:1.25", "version": "1.25", "port": 80}]}]}]}]}
type SeedFile struct {
	// Regions are the enterprise's regions.
	Regions []Region `json:"regions"`
	// Teams are its teams, opened in regions named above.
	Teams []Team `json:"teams"`
	// Apps are apps of those teams.
	Apps []App `json:"apps"`
	// Stores are the app stores installs can reach.
	Stores []Store `json:"stores"`
	// LocalModels are the enterprise's local library.
	LocalModels []AppModel `json:"local_models"`
}

// ReadSeedFile reads a SeedFile, refusing members it does not know, so
// that a misspelt field is an error rather than a silent default.
func ReadSeedFile(r io.Reader) (*SeedFile, error) {
	var f SeedFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("rainbondtest: seed file: %w", err)
	}
	return &f, nil
}

// WithSeedFile starts the server with f's fixtures instead of the default
// seed (as [WithoutSeed] does, then adding them). Stores get a market
// record on the first install that names them.
func WithSeedFile(f *SeedFile) Option {
	return func(o *options) { o.seedFile = f }
}

// WithListener serves on l instead of a new loopback listener, e.g. one
// on a chosen address.
func WithListener(l net.Listener) Option {
	return func(o *options) { o.listener = l }
}

// applySeedFile adds f's fixtures, in order.
func (s *Server) applySeedFile(f *SeedFile) error {
	for _, r := range f.Regions {
		if _, err := s.AddRegion(r); err != nil {
			return err
		}
	}
	for _, t := range f.Teams {
		if _, err := s.AddTeam(t); err != nil {
			return err
		}
	}
	for _, a := range f.Apps {
		if _, err := s.AddApp(a); err != nil {
			return err
		}
	}
	for _, st := range f.Stores {
		if err := s.AddStore(st); err != nil {
			return err
		}
	}
	for _, m := range f.LocalModels {
		s.AddLocalModel(m)
	}
	return nil
}

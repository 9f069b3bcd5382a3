package rainbond

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Publishing calls that can run again and again: they read the app's
// rules first, and create or change only what differs.

// HTTPRuleEnsure is what [GatewayService.EnsureHTTPRule] makes true:
// requests for DomainName and DomainPath (with DomainHeader and
// DomainCookie, when set) go to ContainerPort of component ServiceID.
type HTTPRuleEnsure struct {
	// DomainName, DomainPath ("" is "/"), DomainHeader and DomainCookie
	// identify the rule.
	DomainName string
	// DomainPath: see DomainName.
	DomainPath string
	// DomainHeader: see DomainName. The console cannot change a rule's
	// header, so a rule with another header is another rule.
	DomainHeader string
	// DomainCookie: see DomainName.
	DomainCookie string
	// ServiceID and ContainerPort are where the rule routes.
	ServiceID string
	// ContainerPort: see ServiceID.
	ContainerPort int
	// CertificateID is a certificate of the team for HTTPS; 0 for HTTP.
	// It must cover DomainName and be valid now.
	CertificateID int
	// AutoSSL and AutoSSLConfig turn on an outside service that issues the
	// certificate, and say how.
	AutoSSL bool
	// AutoSSLConfig: see AutoSSL.
	AutoSSLConfig string
	// Configuration holds proxy settings for a rule that is created; the
	// console neither answers nor updates them, so an existing rule's are
	// left as they are.
	Configuration *HTTPRuleConfiguration
	// NoUpdate leaves an existing rule that routes otherwise as it is:
	// the call returns it, with an error matching [ErrRuleExists] that
	// names what differs, for a caller that must not take over a rule it
	// did not make (a Terraform create, say).
	NoUpdate bool
	// OpenPort opens the component's port to the outside first when it is
	// closed. Without it, a closed port is an error matching
	// [ErrPortNotOpen] and nothing is sent.
	OpenPort bool
}

// path is the rule's path, "/" for "".
func (r *HTTPRuleEnsure) path() string {
	if r.DomainPath == "" {
		return "/"
	}
	return r.DomainPath
}

// ErrAmbiguousRule is matched by the error of [GatewayService.EnsureHTTPRule]
// when several rules of the app match the domain, path, header and cookie
// (weighted rules for several components), and none routes as asked: it
// does not pick one to change.
var ErrAmbiguousRule = errors.New("rainbond: several rules match the domain and path")

// EnsureHTTPRule makes app appID route want.DomainName and want.DomainPath
// (with its header and cookie) to want.ContainerPort of want.ServiceID,
// with the certificate and auto-SSL settings asked for, and returns the
// rule and what it did: created, updated (Changed names the fields that
// differed), or unchanged.
//
// What it reads: the certificate, when one is named
// ([CertificatesService.Get]: it must cover the domain and be valid now,
// or the call is a [*ValidationError]; the console would accept it and
// serve a certificate clients refuse); the component's ports
// ([ComponentsService.ListPorts]): a port closed to the outside is opened
// with want.OpenPort ([ComponentsService.UpdatePort], only_open_outer) and
// is otherwise an error matching [ErrPortNotOpen]; the app's HTTP rules
// ([GatewayService.ListHTTPRules]), matched by domain, path, header and
// cookie. What it writes: [GatewayService.CreateHTTPRule], or
// [GatewayService.UpdateHTTPRule] with what differs among service_id,
// container_port, certificate_id, auto_ssl and auto_ssl_config.
//
// Two runs racing to create the rule: the second is refused by the
// console ([ErrRuleExists]) and EnsureHTTPRule reads the rules again.
func (s *GatewayService) EnsureHTTPRule(ctx context.Context, teamID, regionName string, appID int64, want *HTTPRuleEnsure, callOpts ...CallOption) (*HTTPRule, *Ensured, error) {
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	if want == nil {
		v.add("body", "nil *HTTPRuleEnsure")
	} else {
		v.httpRule(want.create())
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	if err := s.checkCertificate(ctx, teamID, want, callOpts); err != nil {
		return nil, nil, err
	}
	if err := s.openPort(ctx, teamID, regionName, appID, want.ServiceID, want.ContainerPort, want.OpenPort, callOpts); err != nil {
		return nil, nil, err
	}
	for attempt := 0; ; attempt++ {
		rules, _, err := s.ListHTTPRules(ctx, teamID, regionName, appID, callOpts...)
		if err != nil {
			return nil, nil, err
		}
		have, err := matchRule(rules, want)
		if err != nil {
			return nil, nil, err
		}
		if have == nil {
			created, _, err := s.CreateHTTPRule(ctx, teamID, regionName, appID, want.create(), callOpts...)
			if errors.Is(err, ErrRuleExists) && attempt == 0 {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			return created, &Ensured{Outcome: OutcomeCreated}, nil
		}
		changed := ruleChanges(have, want)
		if len(changed) == 0 {
			return have, &Ensured{Outcome: OutcomeUnchanged}, nil
		}
		if want.NoUpdate {
			return have, nil, fmt.Errorf("%w: rule %s routes otherwise (%s differed); NoUpdate left it as it is", ErrRuleExists, have.HTTPRuleID, strings.Join(changed, ", "))
		}
		updated, _, err := s.UpdateHTTPRule(ctx, teamID, regionName, appID, have.HTTPRuleID, &HTTPRuleUpdate{
			ServiceID: want.ServiceID, ContainerPort: Ptr(want.ContainerPort), AutoSSL: Ptr(want.AutoSSL),
			CertificateID: Ptr(want.CertificateID), AutoSSLConfig: Ptr(want.AutoSSLConfig),
		}, callOpts...)
		if err != nil {
			return nil, nil, err
		}
		return updated, &Ensured{Outcome: OutcomeUpdated, Changed: changed}, nil
	}
}

// create is the rule to create.
func (r *HTTPRuleEnsure) create() *HTTPRuleCreate {
	return &HTTPRuleCreate{
		ServiceID: r.ServiceID, ContainerPort: r.ContainerPort, DomainName: r.DomainName, DomainPath: r.path(),
		DomainCookie: r.DomainCookie, DomainHeader: r.DomainHeader, CertificateID: r.CertificateID,
		AutoSSL: r.AutoSSL, AutoSSLConfig: r.AutoSSLConfig, Configuration: r.Configuration,
	}
}

// matchRule finds the rule for want's domain, path, header and cookie:
// the one routing as asked when several match.
func matchRule(rules []HTTPRule, want *HTTPRuleEnsure) (*HTTPRule, error) {
	var matches []*HTTPRule
	for i := range rules {
		r := &rules[i]
		if strings.EqualFold(r.DomainName, want.DomainName) && cmp.Or(r.DomainPath, "/") == want.path() && r.DomainHeader == want.DomainHeader && r.DomainCookie == want.DomainCookie {
			matches = append(matches, r)
		}
	}
	for _, r := range matches {
		if r.ServiceID == pyStrip(want.ServiceID) && r.ContainerPort == want.ContainerPort {
			return r, nil
		}
	}
	switch len(matches) {
	case 0:
		return nil, nil
	case 1:
		return matches[0], nil
	}
	ids := make([]string, len(matches))
	for i, r := range matches {
		ids[i] = r.HTTPRuleID
	}
	return nil, fmt.Errorf("%w: %s (rules %s); change or delete them one by one", ErrAmbiguousRule, want.DomainName+want.path(), strings.Join(ids, ", "))
}

// ruleChanges names what differs between a rule and the one wanted.
func ruleChanges(have *HTTPRule, want *HTTPRuleEnsure) []string {
	var changed []string
	add := func(differs bool, field string) {
		if differs {
			changed = append(changed, field)
		}
	}
	add(have.ServiceID != pyStrip(want.ServiceID), "service_id") // the console trims it
	add(have.ContainerPort != want.ContainerPort, "container_port")
	add(have.CertificateID != want.CertificateID, "certificate_id")
	add(have.AutoSSL != want.AutoSSL, "auto_ssl")
	add(have.AutoSSLConfig != want.AutoSSLConfig, "auto_ssl_config")
	return changed
}

// checkCertificate refuses a certificate that does not serve the rule's
// domain now.
func (s *GatewayService) checkCertificate(ctx context.Context, teamID string, want *HTTPRuleEnsure, callOpts []CallOption) error {
	if want.CertificateID == 0 {
		return nil
	}
	cert, _, err := s.client.Certificates.Get(ctx, teamID, int64(want.CertificateID), callOpts...)
	if err != nil {
		return fmt.Errorf("rainbond: reading certificate %d: %w", want.CertificateID, err)
	}
	parsed, err := ParseCertificatePair(cert.Certificate, cert.PrivateKey, time.Now())
	switch {
	case err != nil:
		return &ValidationError{Problems: []Problem{{Field: "certificate_id", Reason: fmt.Sprintf("certificate %d (%s): %v", cert.ID, oneLine(cert.Alias, 64), err)}}}
	case !coversDomain(parsed, want.DomainName):
		return &ValidationError{Problems: []Problem{{Field: "certificate_id", Reason: fmt.Sprintf("certificate %d (%s) does not cover %s: it covers %s",
			cert.ID, oneLine(cert.Alias, 64), want.DomainName, strings.Join(certificateNames(parsed), ", "))}}}
	}
	return nil
}

// certificateNames lists the names a certificate covers.
func certificateNames(c *x509.Certificate) []string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	return names
}

// openPort makes sure the component's port is open to the outside,
// opening it when open is set.
func (s *GatewayService) openPort(ctx context.Context, teamID, regionName string, appID int64, serviceID string, port int, open bool, callOpts []CallOption) error {
	ports, _, err := s.client.Components.ListPorts(ctx, teamID, regionName, appID, serviceID, callOpts...)
	if err != nil {
		return err
	}
	for _, p := range ports {
		if p.ContainerPort != port {
			continue
		}
		switch {
		case p.IsOuterService:
			return nil
		case !open:
			return fmt.Errorf("%w: port %d of component %s is closed to the outside (set OpenPort to open it)", ErrPortNotOpen, port, oneLine(serviceID, 64))
		}
		_, _, err := s.client.Components.UpdatePort(ctx, teamID, regionName, appID, serviceID, port, &PortUpdate{Action: PortOnlyOpenOuter}, callOpts...)
		return err
	}
	return fmt.Errorf("%w: component %s has no port %d", ErrNotFound, oneLine(serviceID, 64), port)
}

// ErrTCPRuleImmutable is matched by the error of
// [GatewayService.EnsureTCPRule] when the end point is forwarded to
// another component or port: no OpenAPI route changes or deletes a TCP
// rule. Close the port it forwards to ([ComponentsService.UpdatePort],
// close_outer), or change it in the console's UI.
var ErrTCPRuleImmutable = errors.New("rainbond: the console cannot change a TCP rule through the OpenAPI")

// EnsureTCPRule makes the gateway address want.EndPoint forward to
// want.ContainerPort of component want.ServiceID, and returns the rule and
// what it did: created, or unchanged when the app already forwards that
// end point so.
//
// What it reads: the app's TCP rules ([GatewayService.ListTCPRules]),
// matched by the end point's port (the console answers an end point on
// every address as the region's TCP domain and the port). What it
// writes: [GatewayService.CreateTCPRule]. An end point forwarded to
// another component or port is an error matching [ErrTCPRuleImmutable],
// as no OpenAPI route changes a TCP rule; an end point taken by another
// app is the console's refusal, [ErrRuleExists].
func (s *GatewayService) EnsureTCPRule(ctx context.Context, teamID, regionName string, appID int64, want *TCPRuleCreate, callOpts ...CallOption) (*TCPRule, *Ensured, error) {
	v := s.client.validator(ctx)
	appPath(&v, teamID, regionName, appID, "")
	v.tcpRule(want)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	rules, _, err := s.ListTCPRules(ctx, teamID, regionName, appID, callOpts...)
	if err != nil {
		return nil, nil, err
	}
	if have := tcpRuleAt(rules, want.EndPoint); have != nil {
		if have.ServiceID == pyStrip(want.ServiceID) && have.ContainerPort == want.ContainerPort {
			return have, &Ensured{Outcome: OutcomeUnchanged}, nil
		}
		return nil, nil, fmt.Errorf("%w: %s forwards to port %d of component %s (rule %s)", ErrTCPRuleImmutable,
			oneLine(have.EndPoint, 64), have.ContainerPort, oneLine(have.ServiceID, 64), oneLine(have.TCPRuleID, 64))
	}
	all, _, err := s.CreateTCPRule(ctx, teamID, regionName, appID, want, callOpts...)
	if err != nil {
		return nil, nil, err
	}
	if created := tcpRuleAt(all.TCP, want.EndPoint); created != nil {
		return created, &Ensured{Outcome: OutcomeCreated}, nil
	}
	return nil, &Ensured{Outcome: OutcomeCreated}, fmt.Errorf("rainbond: the TCP rule for %s was created, but the console's answer does not list it", oneLine(want.EndPoint, 64))
}

// tcpRuleAt finds the rule of an end point: the same port, on the same
// address, or on every address (0.0.0.0, which the console answers as the
// region's TCP domain).
func tcpRuleAt(rules []TCPRule, endPoint string) *TCPRule {
	wantHost, wantPort, err := net.SplitHostPort(pyStrip(endPoint))
	if err != nil {
		return nil
	}
	for i := range rules {
		host, port, err := net.SplitHostPort(rules[i].EndPoint)
		if err == nil && port == wantPort && (host == wantHost || wantHost == "0.0.0.0" || host == "0.0.0.0") {
			return &rules[i]
		}
	}
	return nil
}

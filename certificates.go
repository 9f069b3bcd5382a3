package rainbond

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A team's TLS certificates, for HTTPS rules: TeamCertificatesLCView and
// TeamCertificatesRUDView (openapi/views/team_view.py), with
// TeamCertificatesCSerializer and TeamCertificatesRSerializer
// (openapi/serializer/team_serializer.py), and
// console/services/app_config/domain_service.py (add_certificate,
// update_certificate, delete_certificate_by_pk, get_certificate).

// sinceCertificates is the console release that added the certificate
// routes. (v5.13.0 to v5.14.0 answer every create, update and delete with a
// 500: upgrade such a console.)
const sinceCertificates = "v5.2.0"

// CertificatesService manages a team's TLS certificates, which HTTPS rules
// name by id ([HTTPRuleCreate].CertificateID).
type CertificatesService struct {
	client *Client
}

// CertificateType is what a certificate is for, as the console stores it.
type CertificateType string

// The certificate types the OpenAPI can manage.
const (
	// CertificateServer is a server certificate for HTTPS rules: the value
	// the console's own UI stores ("服务端证书").
	CertificateServer CertificateType = "服务端证书"
	// CertificateGateway is a certificate of the team's gateway. The
	// OpenAPI cannot create, change or delete one (the console fails with
	// a 500 for lack of a region): it is refused before sending.
	CertificateGateway CertificateType = "gateway"
)

// Certificate is a team's certificate with its key, as
// [CertificatesService.Get], Create and Update answer it.
//
// Source: TeamCertificatesRSerializer. The console answers Create and
// Update with the certificate base64-encoded, as it stores it, and Get
// with the PEM; the SDK gives the PEM in every case.
type Certificate struct {
	// ID identifies the certificate: the CertificateID of HTTP rules.
	ID int64 `json:"id"`
	// Alias is the certificate's name, unique in the team.
	Alias string `json:"alias"`
	// Certificate is the certificate chain, PEM-encoded (without its final
	// newline: the console trims it).
	Certificate string `json:"certificate"`
	// PrivateKey is the certificate's key, PEM-encoded: a [Secret].
	PrivateKey Secret `json:"private_key"`
	// Type is what the certificate is for.
	Type CertificateType `json:"certificate_type"`
}

// CertificateSummary is a certificate as the console lists it, without
// its PEM and key, read from the certificate when it is listed.
//
// Source: CertificatesRSerializer and console/utils/certutil.py
// analyze_cert.
type CertificateSummary struct {
	// ID identifies the certificate.
	ID int64 `json:"id"`
	// Alias is its name.
	Alias string `json:"alias"`
	// Type is what it is for.
	Type CertificateType `json:"certificate_type"`
	// IssuedTo lists the names it covers: the subject alternative names
	// (DNS names, then IP addresses) and the subject's common name. The
	// console drops the only alternative name of a certificate that has
	// exactly one, and lists "" for a missing common name.
	IssuedTo []string `json:"issued_to"`
	// IssuedBy is "Let's Encrypt签发" for one the console issued, else
	// "第三方签发" (a third party's).
	IssuedBy string `json:"issued_by"`
	// EndDate is when it expires, in the console's local time
	// ("2027-01-31 08:00:00").
	EndDate string `json:"end_data"`
	// HasExpired reports that it has expired.
	HasExpired bool `json:"has_expired"`
}

// CertificateList is a page of a team's certificates.
type CertificateList struct {
	// Certificates are the page's certificates.
	Certificates []CertificateSummary `json:"list"`
	// Page and PageSize are the page asked for.
	Page int `json:"page"`
	// PageSize: see Page.
	PageSize int `json:"page_size"`
	// Total is the team's number of certificates.
	Total int `json:"total"`
}

// CertificateCreate is the body of [CertificatesService.Create] and
// [CertificatesService.Update] (which replaces every field).
type CertificateCreate struct {
	// Alias names the certificate in the team: 1 to 64 characters, unique
	// in the team.
	Alias string
	// Certificate is the PEM certificate, its chain after it.
	Certificate string
	// PrivateKey is the PEM private key of the first certificate.
	PrivateKey Secret
	// Type is what the certificate is for; "" is [CertificateServer].
	// [CertificateGateway] is refused: the OpenAPI cannot manage one.
	Type CertificateType
}

// certificateWire is TeamCertificatesCSerializer's body: all four
// members, required (a missing one is a 500 on the console).
type certificateWire struct {
	Alias           string `json:"alias"`
	PrivateKey      string `json:"private_key"`
	Certificate     string `json:"certificate"`
	CertificateType string `json:"certificate_type"`
}

func (c *CertificateCreate) wire() *certificateWire {
	return &certificateWire{Alias: c.Alias, PrivateKey: c.PrivateKey.Value(), Certificate: c.Certificate, CertificateType: string(c.certType())}
}

func (c *CertificateCreate) certType() CertificateType {
	if c.Type == "" {
		return CertificateServer
	}
	return c.Type
}

// The certificate routes' refusals, besides those the SDK makes first.
var (
	// ErrCertificateAliasTaken: the team has a certificate of that alias
	// (412, 证书别名已存在).
	ErrCertificateAliasTaken = errors.New("rainbond: the team has a certificate of that alias")
	// ErrCertificateInUse: an HTTP rule uses the certificate, so it is not
	// deleted (仍有网关策略在使用该证书).
	ErrCertificateInUse = errors.New("rainbond: an HTTP rule uses the certificate")
	// ErrCertificateRejected: the console found the certificate or its key
	// invalid, expired or mismatched (the SDK checks these first; a
	// console may still disagree).
	ErrCertificateRejected = errors.New("rainbond: the console rejected the certificate")
)

// certificateRefusal marks the console's certificate refusals.
func certificateRefusal(err error) error {
	err = mark(err, ErrCertificateAliasTaken, "", func(e *APIError) bool {
		return e.StatusCode == http.StatusPreconditionFailed && e.Msg == "certificate name already exists"
	})
	err = mark(err, ErrCertificateInUse, "", func(e *APIError) bool {
		return e.StatusCode == http.StatusBadRequest && e.Msg == "the certificate still has http rules"
	})
	return mark(err, ErrCertificateRejected, "", func(e *APIError) bool {
		switch e.Msg {
		case "the certificate is invalid", "the certificate has been expired", "the private key is invalid", "the certificate key pair mismatch":
			return e.StatusCode == http.StatusBadRequest
		}
		return false
	})
}

// certificatesPath is /teams/{team}/certificates.
func certificatesPath(v *validator, teamID string) string {
	v.pathSegment("team_id", teamID)
	return "/teams/" + url.PathEscape(teamID) + "/certificates"
}

// certificatePath is /teams/{team}/certificates/{id}.
func certificatePath(v *validator, teamID string, id int64) string {
	v.id("certificate_id", "certificate", id)
	return certificatesPath(v, teamID) + "/" + strconv.FormatInt(id, 10)
}

// List returns a page of team teamID's certificates (10 by default), in
// the console's order; opts.Query is refused (the console has no search
// here).
//
// It calls GET /openapi/v1/teams/{team_id}/certificates (consoles since
// v5.2.0). A certificate stored with an empty type (the UI can store one)
// makes the console refuse the whole list (400 about list[i]).
func (s *CertificatesService) List(ctx context.Context, teamID string, opts *ListOptions, callOpts ...CallOption) (*CertificateList, *Response, error) {
	v := s.client.validator(ctx)
	path := certificatesPath(&v, teamID)
	opts.validate(&v)
	if opts != nil && opts.Query != "" {
		v.add("query", "the console cannot search certificates")
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(CertificateList)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, query: opts.values().Encode(), opts: callOpts, since: sinceCertificates}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// All iterates over team teamID's certificates, page after page, with the
// guarantees of [TeamsService.All].
func (s *CertificatesService) All(ctx context.Context, teamID string, opts *ListOptions, callOpts ...CallOption) iter.Seq2[CertificateSummary, error] {
	return paginate(ctx, opts, func(c CertificateSummary) string { return strconv.FormatInt(c.ID, 10) },
		func(ctx context.Context, o *ListOptions) ([]CertificateSummary, int, error) {
			page, _, err := s.List(ctx, teamID, o, callOpts...)
			if err != nil {
				return nil, 0, err
			}
			return page.Certificates, page.Total, nil
		})
}

// Get returns certificate id with its PEM and key.
//
// It calls GET /openapi/v1/teams/{team_id}/certificates/{certificate_id}
// (consoles since v5.2.0). The console looks the id up among every team's
// certificates, not only team teamID's. [ErrNotFound] for an unknown id.
func (s *CertificatesService) Get(ctx context.Context, teamID string, id int64, callOpts ...CallOption) (*Certificate, *Response, error) {
	v := s.client.validator(ctx)
	path := certificatePath(&v, teamID, id)
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(Certificate)
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: path, opts: callOpts, since: sinceCertificates}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Create adds a certificate to team teamID and returns it.
//
// Before sending, it parses the PEM pair as the console does: a
// certificate that does not parse, has expired or is not yet valid, a key
// that does not parse or does not match the first certificate is a
// [*ValidationError]. (The console refuses the first four; it accepts a
// certificate that is not yet valid, which the SDK refuses: no client
// would accept it either.) The alias must be new in the team
// ([ErrCertificateAliasTaken]) and 1 to 64 characters, and the PEM at most
// 6144 characters: the console stores any, then fails its own answer.
//
// It calls POST /openapi/v1/teams/{team_id}/certificates (consoles since
// v5.2.0). It is not sent twice by the client on its own.
func (s *CertificatesService) Create(ctx context.Context, teamID string, cert *CertificateCreate, callOpts ...CallOption) (*Certificate, *Response, error) {
	return s.write(ctx, http.MethodPost, teamID, 0, cert, callOpts)
}

// Update replaces certificate id's alias, PEM, key and type (all required,
// as in [CertificatesService.Create], with the same checks) and returns
// it. The console then pushes the new certificate to the ingresses of the
// team's clusters. A change of type is refused: the console fails (500)
// on a change to [CertificateServer] or [CertificateGateway].
//
// It calls PUT /openapi/v1/teams/{team_id}/certificates/{certificate_id}
// (consoles since v5.2.0). The console looks the id up among every team's
// certificates. [ErrNotFound] for an unknown id.
func (s *CertificatesService) Update(ctx context.Context, teamID string, id int64, cert *CertificateCreate, callOpts ...CallOption) (*Certificate, *Response, error) {
	return s.write(ctx, http.MethodPut, teamID, id, cert, callOpts)
}

func (s *CertificatesService) write(ctx context.Context, method, teamID string, id int64, cert *CertificateCreate, callOpts []CallOption) (*Certificate, *Response, error) {
	v := s.client.validator(ctx)
	path := certificatesPath(&v, teamID)
	if method == http.MethodPut {
		path = certificatePath(&v, teamID, id)
	}
	v.certificate(cert, time.Now())
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	out := new(Certificate)
	resp, err := s.client.do(ctx, &request{method: method, path: path, body: cert.wire(), secret: cert.PrivateKey.Value(), opts: callOpts, since: sinceCertificates}, out)
	if err != nil {
		return nil, resp, certificateRefusal(err)
	}
	// The console answers with the certificate as it stores it, base64.
	if decoded, err := base64.StdEncoding.DecodeString(out.Certificate); err == nil && strings.HasPrefix(string(decoded), "-----BEGIN") {
		out.Certificate = strings.TrimSpace(string(decoded))
	}
	return out, resp, nil
}

// Delete deletes certificate id. [ErrCertificateInUse] when an HTTP rule
// uses it; [ErrNotFound] for an unknown id.
//
// It calls DELETE /openapi/v1/teams/{team_id}/certificates/{certificate_id}
// (consoles since v5.2.0), which answers 200 with an empty body. The
// console looks the id up among every team's certificates.
func (s *CertificatesService) Delete(ctx context.Context, teamID string, id int64, callOpts ...CallOption) (*Response, error) {
	v := s.client.validator(ctx)
	path := certificatePath(&v, teamID, id)
	if err := v.err(); err != nil {
		return nil, err
	}
	resp, err := s.client.do(ctx, &request{method: http.MethodDelete, path: path, opts: callOpts, since: sinceCertificates}, nil)
	return resp, certificateRefusal(err)
}

// Limits of a certificate: the serializer's 64 characters of alias and
// 8192 of key; the answer carries the PEM base64-encoded within 8192, so
// a longer PEM would be stored and the answer then refused.
const (
	maxCertificateAlias = 64
	maxCertificatePEM   = 6144
	maxPrivateKeyPEM    = 8192
)

// certificate checks a certificate body and its PEM pair at now.
func (v *validator) certificate(c *CertificateCreate, now time.Time) {
	if c == nil {
		v.add("body", "nil *CertificateCreate")
		return
	}
	v.text("alias", c.Alias, charField{required: true, max: maxCertificateAlias})
	switch t := c.certType(); {
	case t == CertificateGateway:
		v.add("certificate_type", "gateway certificates cannot be managed through the OpenAPI: the console fails (500) without a region")
	default:
		v.text("certificate_type", string(t), charField{required: true, max: 32})
	}
	v.text("certificate", c.Certificate, charField{required: true, max: maxCertificatePEM})
	v.text("private_key", c.PrivateKey.Value(), charField{required: true, max: maxPrivateKeyPEM})
	if len(v.problems) == 0 {
		if _, err := ParseCertificatePair(c.Certificate, c.PrivateKey, now); err != nil {
			v.add("certificate", "%v", err)
		}
	}
}

// ParseCertificatePair parses a PEM certificate (its chain after it) and
// its PEM private key, and returns the first certificate when the pair is
// usable at now: both parse, the key matches the certificate, and the
// certificate is valid at now. The error says which check failed, never
// quoting the key.
func ParseCertificatePair(certPEM string, key Secret, now time.Time) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(certPEM)))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("not a PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the certificate does not parse: %v", err)
	}
	if _, err := tls.X509KeyPair([]byte(certPEM), []byte(key.Value())); err != nil {
		if keyBlock, _ := pem.Decode([]byte(key.Value())); keyBlock == nil {
			return nil, errors.New("the private key is not PEM")
		}
		return nil, errors.New("the private key does not parse or does not match the certificate")
	}
	switch {
	case now.After(cert.NotAfter):
		return nil, fmt.Errorf("the certificate expired on %s", cert.NotAfter.UTC().Format(time.DateOnly))
	case now.Before(cert.NotBefore):
		return nil, fmt.Errorf("the certificate is not valid before %s", cert.NotBefore.UTC().Format(time.RFC3339))
	}
	return cert, nil
}

// coversDomain reports whether cert serves domain: a DNS name of its
// alternative names (wildcards of one label) or, as the console reads
// it, its common name.
func coversDomain(cert *x509.Certificate, domain string) bool {
	if cert.VerifyHostname(domain) == nil {
		return true
	}
	cn := cert.Subject.CommonName
	if strings.EqualFold(cn, domain) {
		return true
	}
	if rest, ok := strings.CutPrefix(cn, "*."); ok {
		_, parent, found := strings.Cut(domain, ".")
		return found && strings.EqualFold(parent, rest)
	}
	return false
}

// Outcome is what an Ensure call of the gateway or the certificates did.
type Outcome string

// The outcomes of an Ensure call.
const (
	// OutcomeCreated: nothing matched; it was created.
	OutcomeCreated Outcome = "created"
	// OutcomeUpdated: it existed and differed; the fields in Changed were
	// updated.
	OutcomeUpdated Outcome = "updated"
	// OutcomeUnchanged: it existed as asked; nothing was sent.
	OutcomeUnchanged Outcome = "unchanged"
)

// String returns the outcome's name.
func (o Outcome) String() string { return string(o) }

// Ensured is what an Ensure call did.
type Ensured struct {
	// Outcome says what was done.
	Outcome Outcome
	// Changed names, for OutcomeUpdated, the fields that differed, as the
	// console names them ("certificate", "service_id"...).
	Changed []string
}

// Ensure makes team teamID hold a certificate of alias cert.Alias with
// cert's PEM, key and type: it creates it when the team has none of that
// alias, replaces its PEM and key when they differ (a rotation), and
// sends nothing when they match. It returns the certificate and what it
// did.
//
// What it reads: the team's certificates ([CertificatesService.All]),
// then the one of that alias ([CertificatesService.Get]); PEMs are
// compared without surrounding whitespace. What it writes:
// [CertificatesService.Create] or [CertificatesService.Update], with their
// checks. Two runs racing to create the alias: the second gets
// [ErrCertificateAliasTaken], and Ensure reads again and updates or keeps
// the winner's.
func (s *CertificatesService) Ensure(ctx context.Context, teamID string, cert *CertificateCreate, callOpts ...CallOption) (*Certificate, *Ensured, error) {
	v := s.client.validator(ctx)
	certificatesPath(&v, teamID)
	v.certificate(cert, time.Now())
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	for attempt := 0; ; attempt++ {
		existing, err := s.byAlias(ctx, teamID, pyStrip(cert.Alias), callOpts)
		if err != nil {
			return nil, nil, err
		}
		if existing == nil {
			created, _, err := s.Create(ctx, teamID, cert, callOpts...)
			if errors.Is(err, ErrCertificateAliasTaken) && attempt == 0 {
				continue // a concurrent run created it: read it again
			}
			if err != nil {
				return nil, nil, err
			}
			return created, &Ensured{Outcome: OutcomeCreated}, nil
		}
		changed := certificateChanges(existing, cert)
		if len(changed) == 0 {
			return existing, &Ensured{Outcome: OutcomeUnchanged}, nil
		}
		if slices.Contains(changed, "certificate_type") {
			return nil, nil, &ValidationError{Problems: []Problem{{Field: "certificate_type",
				Reason: fmt.Sprintf("certificate %d is of type %q: the console cannot change a certificate's type through the OpenAPI", existing.ID, existing.Type)}}}
		}
		updated, _, err := s.Update(ctx, teamID, existing.ID, cert, callOpts...)
		if err != nil {
			return nil, nil, err
		}
		return updated, &Ensured{Outcome: OutcomeUpdated, Changed: changed}, nil
	}
}

// byAlias finds the team's certificate of alias, with its PEM and key;
// nil when there is none.
func (s *CertificatesService) byAlias(ctx context.Context, teamID, alias string, callOpts []CallOption) (*Certificate, error) {
	for c, err := range s.All(ctx, teamID, nil, callOpts...) {
		if err != nil {
			return nil, err
		}
		if c.Alias == alias {
			full, _, err := s.Get(ctx, teamID, c.ID, callOpts...)
			return full, err
		}
	}
	return nil, nil
}

// certificateChanges names what differs between a stored certificate and
// the one wanted.
func certificateChanges(have *Certificate, want *CertificateCreate) []string {
	var changed []string
	if strings.TrimSpace(have.Certificate) != strings.TrimSpace(want.Certificate) {
		changed = append(changed, "certificate")
	}
	if strings.TrimSpace(have.PrivateKey.Value()) != strings.TrimSpace(want.PrivateKey.Value()) {
		changed = append(changed, "private_key")
	}
	if have.Type != want.certType() {
		changed = append(changed, "certificate_type")
	}
	return changed
}

package rainbondtest

import (
	"crypto"
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Certificates: TeamCertificatesLCView and TeamCertificatesRUDView
// (openapi/views/team_view.py) with TeamCertificates*Serializer
// (openapi/serializer/team_serializer.py), domain_service.py's
// get_certificate, add_certificate, update_certificate and
// delete_certificate_by_pk, and console/utils/certutil.py. The views are
// TeamNoRegionAPIViews: the path's team is looked up, but a certificate id
// is looked up in every team.

// Certificate is a team's certificate (ServiceDomainCertificate) as the
// server holds it.
type Certificate struct {
	// ID is the certificate's id, in URLs and in HTTP rules'
	// certificate_id; assigned by the server.
	ID int
	// TeamID is the tenant_id of the certificate's team.
	TeamID string
	// Alias is the certificate's name. Only the console's check, not the
	// database, keeps it unique in a team.
	Alias string
	// Type is the certificate_type, free text; the UI sets "gateway" or
	// "服务端证书".
	Type string
	// PEM is the certificate as stored, decoded (the console keeps it
	// base64-encoded, and POST and PUT answer that).
	PEM string
	// PrivateKey is the private key as stored.
	PrivateKey string
}

// certRow is a stored certificate, with its certificate_id (a uuid no
// answer shows).
type certRow struct {
	Certificate
	uuid string
}

// Certificates returns the certificates of every team, oldest first.
func (s *Server) Certificates() []Certificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Certificate, 0, len(s.state.certificates))
	for _, row := range s.state.certificates {
		out = append(out, row.Certificate)
	}
	return out
}

// AddCertificate stores a certificate in a team (TeamID is its tenant_id
// or tenant_name) without the OpenAPI's checks, as the console's UI or
// database can hold one: a "gateway" certificate, which the OpenAPI
// cannot create, an empty Type, or a PEM that does not parse (the list
// then answers 500). It returns the certificate with its ID.
func (s *Server) AddCertificate(cert Certificate) (Certificate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.state.team(cert.TeamID, s.state.enterpriseID)
	if t == nil {
		return Certificate{}, fmt.Errorf("rainbondtest: no team %q", cert.TeamID)
	}
	cert.TeamID = t.TenantID
	return s.addCertificate(cert).Certificate, nil
}

// addCertificate inserts a row. s.mu is held.
func (s *Server) addCertificate(cert Certificate) *certRow {
	s.state.nextCertID++
	cert.ID = s.state.nextCertID
	row := &certRow{Certificate: cert, uuid: s.newID()}
	s.state.certificates = append(s.state.certificates, row)
	return row
}

// certificateFields are TeamCertificatesCSerializer's (the request of POST
// and PUT) and TeamCertificatesRSerializer's (their answer and GET's),
// but id.
var certificateFields = []charField{
	{name: "alias", max: 64},
	{name: "private_key", max: 8192},
	{name: "certificate", max: 8192},
	{name: "certificate_type", max: 32},
}

// certificateDetail is TeamCertificatesRSerializer's data.
type certificateDetail struct {
	Alias           string `json:"alias"`
	PrivateKey      string `json:"private_key"`
	Certificate     string `json:"certificate"`
	CertificateType string `json:"certificate_type"`
	ID              int    `json:"id"`
}

// certificateItem is CertificatesRSerializer: analyze_cert's fields and
// the row's alias, type and id.
type certificateItem struct {
	HasExpired      bool      `json:"has_expired"`
	IssuedTo        []*string `json:"issued_to"`
	Alias           string    `json:"alias"`
	CertificateType string    `json:"certificate_type"`
	EndData         string    `json:"end_data"`
	ID              int       `json:"id"`
	IssuedBy        string    `json:"issued_by"`
}

// certificateList is TeamCertificatesLSerializer.
type certificateList struct {
	List     []certificateItem `json:"list"`
	Page     int               `json:"page"`
	PageSize int               `json:"page_size"`
	Total    int               `json:"total"`
}

// nullMsgBody is a ServiceHandleException raised with msg=None: msg is
// null, msg_show says it.
type nullMsgBody struct {
	Code    int         `json:"code"`
	Msg     *string     `json:"msg"`
	MsgShow string      `json:"msg_show"`
	Data    messageData `json:"data"`
}

// listCertificates is TeamCertificatesLCView.get: page and page_size read
// with int() (anything else is a 500), the team's rows sliced as
// cert[start:end+1] (a negative bound is Django's ValueError, a 500), each
// analyzed from its PEM, then the whole answer validated: a row whose
// alias or type the serializer refuses makes the list a 400.
func (c *call) listCertificates() {
	t := c.team()
	if t == nil {
		return
	}
	page, ok := c.queryInt("page", 1)
	if !ok {
		return
	}
	size, ok := c.queryInt("page_size", 10)
	if !ok {
		return
	}
	start, stop := size*(page-1), size*page
	if start < 0 || stop < 0 {
		c.serverError("ValueError", "Negative indexing is not supported.")
		return
	}
	var rows []*certRow
	for _, row := range c.s.state.certificates {
		if row.TeamID == t.TenantID {
			rows = append(rows, row)
		}
	}
	total := len(rows)
	rows = rows[min(start, total):min(max(start, stop), total)]
	items := make([]certificateItem, 0, len(rows))
	for _, row := range rows {
		item, err := analyzeCert(row.PEM, c.s.now())
		if err != nil {
			c.serverError(err.errType, err.msg)
			return
		}
		item.ID = row.ID
		items = append(items, item)
	}
	itemErrs := make([]any, len(rows))
	failed := false
	for i, row := range rows {
		values, errs := checkCharFields(map[string]any{"alias": row.Alias, "certificate_type": row.Type},
			[]charField{certificateFields[0], certificateFields[3]})
		itemErrs[i] = errs
		if len(errs) > 0 {
			failed = true
			continue
		}
		items[i].Alias, items[i].CertificateType = *values["alias"], *values["certificate_type"]
	}
	if failed {
		c.validationErrors(map[string]any{"list": itemErrs})
		return
	}
	c.json(http.StatusOK, certificateList{List: items, Page: page, PageSize: size, Total: total})
}

// createCertificate is TeamCertificatesLCView.post. The serializer runs
// without raise_exception: a valid body is passed on trimmed, any other
// as the raw values of the keys present, so a missing key is a TypeError
// (500) and a present but bad value is stored, the answer's own
// validation then refusing it (400 after the insert). add_certificate
// checks the alias in the team (412), the PEM and key (400), then the
// "gateway" type calls the gateway with the region None the view passes
// (500). The answer's certificate is the stored base64.
func (c *call) createCertificate() {
	t := c.team()
	if t == nil {
		return
	}
	data, ok := c.certificateInput()
	if !ok || c.certificateRegionBug("TeamCertificatesLCView") || c.missingCertificateArgs("add_certificate", data) {
		return
	}
	if c.s.state.certificateAliasTaken(t.TenantID, data["alias"]) {
		c.failed(http.StatusPreconditionFailed, "certificate name already exists", "证书别名已存在")
		return
	}
	if !c.certIsEffective(data["certificate"], data["private_key"]) {
		return
	}
	if data["certificate_type"] == "gateway" && c.s.has("v5.13.0") {
		c.serverError("AttributeError", "'NoneType' object has no attribute 'region_name'")
		return
	}
	for _, column := range []string{"certificate_type", "alias"} {
		if data[column] == nil {
			c.serverError("IntegrityError", "NOT NULL constraint failed: service_domain_certificate."+column)
			return
		}
	}
	pemText, key := data["certificate"].(string), data["private_key"].(string)
	row := c.s.addCertificate(Certificate{TeamID: t.TenantID, Alias: pyText(data["alias"]), Type: pyText(data["certificate_type"]), PEM: pemText, PrivateKey: key})
	c.answerCertificate(data["alias"], key, base64.StdEncoding.EncodeToString([]byte(pemText)), data["certificate_type"], row.ID)
}

// getCertificate is TeamCertificatesRUDView.get: a certificate of any
// team, its PEM decoded, private key included; an unknown id is a 404
// whose msg is null.
func (c *call) getCertificate() {
	if c.team() == nil {
		return
	}
	row, ok := c.certificateByID()
	if !ok {
		return
	}
	if row == nil {
		c.json(http.StatusNotFound, nullMsgBody{Code: http.StatusNotFound, MsgShow: "证书不存在", Data: messageData{Bean: map[string]any{}, List: []any{}}})
		return
	}
	c.answerCertificate(row.Alias, row.PrivateKey, row.PEM, row.Type, row.ID)
}

// updateCertificate is TeamCertificatesRUDView.put, a full replace read
// as POST reads its body. update_certificate checks the PEM and key
// first, then finds the certificate in any team (404), checks a new alias
// in the path's team (412), and calls the gateway, with the region None,
// for the type "gateway" or a change to "服务端证书" (500, nothing saved).
// An empty type keeps the stored one. The answer's certificate is the
// stored base64.
func (c *call) updateCertificate() {
	t := c.team()
	if t == nil {
		return
	}
	data, ok := c.certificateInput()
	if !ok || c.certificateRegionBug("TeamCertificatesRUDView") || c.missingCertificateArgs("update_certificate", data) {
		return
	}
	if !c.certIsEffective(data["certificate"], data["private_key"]) {
		return
	}
	row, ok := c.certificateByID()
	if !ok {
		return
	}
	if row == nil {
		c.failed(http.StatusNotFound, "certificate not found", "证书不存在")
		return
	}
	alias, certType := any(row.Alias), any(row.Type)
	if !isText(data["alias"], row.Alias) {
		if c.s.state.certificateAliasTaken(t.TenantID, data["alias"]) {
			c.failed(http.StatusPreconditionFailed, "certificate name already exists", "证书别名已存在")
			return
		}
		alias = data["alias"]
	}
	gatewayCalls := c.s.has("v5.13.0")
	if truthy(data["certificate_type"]) && !isText(data["certificate_type"], row.Type) {
		if isText(data["certificate_type"], "服务端证书") && gatewayCalls {
			c.serverError("AttributeError", "'NoneType' object has no attribute 'region_name'")
			return
		}
		certType = data["certificate_type"]
	}
	if isText(data["certificate_type"], "gateway") && gatewayCalls {
		c.serverError("AttributeError", "'NoneType' object has no attribute 'region_name'")
		return
	}
	if alias == nil {
		c.serverError("IntegrityError", "NOT NULL constraint failed: service_domain_certificate.alias")
		return
	}
	pemText, key := data["certificate"].(string), data["private_key"].(string)
	row.Alias, row.Type, row.PEM, row.PrivateKey = pyText(alias), pyText(certType), pemText, key
	c.answerCertificate(alias, key, base64.StdEncoding.EncodeToString([]byte(pemText)), certType, row.ID)
}

// deleteCertificate is TeamCertificatesRUDView.delete: a certificate of
// any team, refused while an HTTP rule uses it (400) and, for the
// "gateway" type, failing in the gateway call (500, not deleted).
// Response(None): 200, an empty body and no Content-Type.
func (c *call) deleteCertificate() {
	if c.team() == nil || c.certificateRegionBug("TeamCertificatesRUDView") {
		return
	}
	row, ok := c.certificateByID()
	if !ok {
		return
	}
	if row == nil {
		c.failed(http.StatusNotFound, "certificate not found", "证书不存在")
		return
	}
	if c.s.certificateInUse(row.ID) {
		c.failed(http.StatusBadRequest, "the certificate still has http rules", "仍有网关策略在使用该证书")
		return
	}
	if row.Type == "gateway" && c.s.has("v5.13.0") {
		// delete_gateway_tls(None, ...) reaches the cluster client's
		// '-'.join([enterprise_id, region]).
		c.serverError("TypeError", "sequence item 1: expected str instance, NoneType found")
		return
	}
	c.s.state.certificates = slices.DeleteFunc(c.s.state.certificates, func(r *certRow) bool { return r == row })
	c.a.status = http.StatusOK
}

// certificateInput is what POST and PUT pass on of their body:
// TeamCertificatesCSerializer's data, trimmed when the body is valid,
// else (DRF's get_initial) the raw values of the fields present, nothing
// for a body that is not an object. ok is false after a parse error.
func (c *call) certificateInput() (map[string]any, bool) {
	var raw any
	if !c.parseJSON(&raw) {
		return nil, false
	}
	body, _ := raw.(map[string]any)
	values, errs := checkCharFields(body, certificateFields)
	data := map[string]any{}
	for _, f := range certificateFields {
		if len(errs) == 0 {
			data[f.name] = *values[f.name]
		} else if v, present := body[f.name]; present {
			data[f.name] = v
		}
	}
	return data, true
}

// certificateRegionBug is consoles v5.13.0 to v5.14.0, whose POST, PUT and
// DELETE passed self.region, which a TeamNoRegionAPIView never sets.
func (c *call) certificateRegionBug(view string) bool {
	if !c.s.has("v5.13.0") || c.s.has("v5.14.1") {
		return false
	}
	c.serverError("AttributeError", "'"+view+"' object has no attribute 'region'")
	return true
}

// missingCertificateArgs answers the TypeError of calling the service
// with the keys the body lacks.
func (c *call) missingCertificateArgs(method string, data map[string]any) bool {
	var missing []string
	for _, name := range []string{"alias", "certificate", "private_key", "certificate_type"} {
		if _, present := data[name]; !present {
			missing = append(missing, "'"+name+"'")
		}
	}
	if len(missing) == 0 {
		return false
	}
	msg := fmt.Sprintf("DomainService.%s() missing %d required positional argument", method, len(missing))
	switch n := len(missing); n {
	case 1:
		msg += ": " + missing[0]
	case 2:
		msg += "s: " + missing[0] + " and " + missing[1]
	default:
		msg += "s: " + strings.Join(missing[:n-1], ", ") + ", and " + missing[n-1]
	}
	c.serverError("TypeError", msg)
	return true
}

// answerCertificate is TeamCertificatesRSerializer(data=...) validated
// with raise_exception: the values trimmed, or a 400.
func (c *call) answerCertificate(alias, privateKey, certificate, certType any, id int) {
	values, errs := checkCharFields(map[string]any{"alias": alias, "private_key": privateKey, "certificate": certificate, "certificate_type": certType}, certificateFields)
	if len(errs) > 0 {
		c.validationErrors(errs)
		return
	}
	c.json(http.StatusOK, certificateDetail{
		Alias: *values["alias"], PrivateKey: *values["private_key"], Certificate: *values["certificate"],
		CertificateType: *values["certificate_type"], ID: id,
	})
}

// certificateByID is get_certificate_by_pk(<path id>): any team's. The
// path admits digits and '-'; what Django cannot make a number of is a
// 500. row is nil for no certificate; ok is false after a 500.
func (c *call) certificateByID() (row *certRow, ok bool) {
	text := c.params[1]
	id, err := strconv.ParseInt(text, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		c.serverError("OverflowError", "Python int too large to convert to SQLite INTEGER")
		return nil, false
	case err != nil:
		c.serverError("ValueError", "Field 'ID' expected a number but got '"+text+"'.")
		return nil, false
	}
	for _, r := range c.s.state.certificates {
		if int64(r.ID) == id {
			return r, true
		}
	}
	return nil, true
}

// certificateAliasTaken is get_certificate_by_alias: a certificate of the
// team has that alias (None matches none).
func (st *state) certificateAliasTaken(tenantID string, alias any) bool {
	if alias == nil {
		return false
	}
	return slices.ContainsFunc(st.certificates, func(r *certRow) bool {
		return r.TeamID == tenantID && r.Alias == pyText(alias)
	})
}

// certificateInUse is list_service_domains_by_cert_id: an HTTP rule of
// any team has this certificate_id. Rules of deleted components do not
// count: the console deletes them with the component.
func (s *Server) certificateInUse(id int) bool {
	return slices.ContainsFunc(s.state.httpRules, func(r *httpRule) bool {
		return r.CertificateID == id && s.state.components[r.ServiceID] != nil
	})
}

// certificateExists reports whether an id names a certificate of any team,
// as bind_httpdomain's get_certificate_by_pk does.
func (st *state) certificateExists(id int) bool {
	return slices.ContainsFunc(st.certificates, func(r *certRow) bool { return r.ID == id })
}

// isText reports whether a decoded JSON value is the string s (Python's
// ==: a number is never equal to a text).
func isText(v any, s string) bool {
	text, ok := v.(string)
	return ok && text == s
}

// pyText is what the database stores of a value a model's text column was
// given: str() of it.
func pyText(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	}
	return textOf(v)
}

// certIsEffective is certutil.py cert_is_effective: the PEM's first
// certificate loads and has not expired, the key loads, and a signature
// the key makes verifies with the certificate. A key that cannot sign a
// SHA-256 digest (Ed25519, X25519) fails in crypto.sign, outside the
// function's try blocks: a 500. ok is false when an answer has been
// written.
func (c *call) certIsEffective(certificate, privateKey any) bool {
	cert, err := loadCertificate(certificate)
	if err != nil {
		c.failed(http.StatusBadRequest, "the certificate is invalid", "无效证书")
		return false
	}
	if cert.NotAfter.Before(c.s.now()) {
		c.failed(http.StatusBadRequest, "the certificate has been expired", "证书已过期")
		return false
	}
	key, err := loadPrivateKey(privateKey)
	if err != nil {
		c.failed(http.StatusBadRequest, "the private key is invalid", "无效私钥")
		return false
	}
	signer, canSign := key.(crypto.Signer)
	if _, isEd25519 := key.(ed25519.PrivateKey); !canSign || isEd25519 {
		c.serverError("Error", "[('digital envelope routines', 'EVP_PKEY_sign_init', 'operation not supported for this keytype')]")
		return false
	}
	if pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(cert.PublicKey) {
		c.failed(http.StatusBadRequest, "the certificate key pair mismatch", "证书密钥对不匹配")
		return false
	}
	return true
}

// loadCertificate is crypto.load_certificate(FILETYPE_PEM, text): the text
// encoded to ASCII, then the first certificate block of the PEM, blocks of
// other kinds skipped.
func loadCertificate(v any) (*x509.Certificate, error) {
	text, ok := v.(string)
	if !ok || !isASCII(text) {
		return nil, errors.New("not an ASCII string")
	}
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		switch {
		case block == nil:
			return nil, errors.New("no certificate")
		case block.Type == "CERTIFICATE" || block.Type == "X509 CERTIFICATE":
			return x509.ParseCertificate(block.Bytes)
		case block.Type == "TRUSTED CERTIFICATE":
			// The certificate, then OpenSSL's trust settings.
			var first asn1.RawValue
			if _, err := asn1.Unmarshal(block.Bytes, &first); err != nil {
				return nil, err
			}
			return x509.ParseCertificate(first.FullBytes)
		}
	}
}

// loadPrivateKey is crypto.load_privatekey(FILETYPE_PEM, text): the first
// private key block (PKCS #8, PKCS #1 or SEC 1); an encrypted one fails,
// as no passphrase is given.
func loadPrivateKey(v any) (any, error) {
	text, ok := v.(string)
	if !ok || !isASCII(text) {
		return nil, errors.New("not an ASCII string")
	}
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("no private key")
		}
		if block.Type != "PRIVATE KEY" && !strings.HasSuffix(block.Type, " PRIVATE KEY") {
			continue
		}
		if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return nil, errors.New("encrypted")
		}
		switch block.Type {
		case "PRIVATE KEY":
			return x509.ParsePKCS8PrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			return x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			return x509.ParseECPrivateKey(block.Bytes)
		}
		return nil, errors.New("unsupported private key " + block.Type)
	}
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// consoleZone is the console's local time: settings.py's TIME_ZONE,
// Asia/Shanghai, which Django makes the process's TZ. utc2local converts
// to it.
var consoleZone = time.FixedZone("CST", 8*60*60)

// analysisError is an exception analyze_cert raises.
type analysisError struct{ errType, msg string }

// analyzeCert is certutil.py analyze_cert over a stored PEM, at now:
// issued_to is the subjectAltName's DNS and IP names as
// parse_subject_alt_names reads OpenSSL's text of them (nothing unless
// it holds a ',', so a lone name is lost; 127.0.0.1 dropped; a value with
// a ':' of its own, an IPv6 address or a URI, fails to unpack), then the
// subject's CN unless already there (None when it has none).
func analyzeCert(pemText string, now time.Time) (certificateItem, *analysisError) {
	cert, err := loadCertificate(pemText)
	if err != nil {
		return certificateItem{}, &analysisError{"Error", "[('PEM routines', 'get_name', 'no start line')]"}
	}
	sans := []*string{}
	if text, ok := subjectAltNameString(cert); ok {
		names, err := parseSubjectAltNames(text)
		if err != nil {
			return certificateItem{}, &analysisError{"ValueError", err.Error()}
		}
		for _, n := range names {
			sans = append(sans, &n)
		}
	}
	cn := firstCommonName(cert.Subject.Names)
	if !slices.ContainsFunc(sans, func(s *string) bool { return equalNullable(s, cn) }) {
		sans = append(sans, cn)
	}
	issuedBy := "第三方签发"
	if issuer := firstCommonName(cert.Issuer.Names); issuer != nil && *issuer == "rainbond" {
		issuedBy = "Let's Encrypt签发"
	}
	return certificateItem{
		HasExpired: cert.NotAfter.Before(now),
		IssuedTo:   sans,
		EndData:    cert.NotAfter.In(consoleZone).Format("2006-01-02 15:04:05"),
		IssuedBy:   issuedBy,
	}, nil
}

func equalNullable(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

var (
	oidCommonName     = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}
)

// firstCommonName is pyOpenSSL's X509Name.CN: the first CN entry, or None.
func firstCommonName(names []pkix.AttributeTypeAndValue) *string {
	for _, n := range names {
		if n.Type.Equal(oidCommonName) {
			s := fmt.Sprint(n.Value)
			return &s
		}
	}
	return nil
}

// subjectAltNameString is pyOpenSSL's X509Extension._subjectAltNameString:
// the names in the certificate's order, "DNS:", "email:" and "URI:" then
// the text, IP addresses as OpenSSL's GENERAL_NAME_print writes them,
// joined by ", ". ok is false without the extension.
func subjectAltNameString(cert *x509.Certificate) (string, bool) {
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(oidSubjectAltName) {
			continue
		}
		var seq asn1.RawValue
		if _, err := asn1.Unmarshal(ext.Value, &seq); err != nil {
			return "", true
		}
		var parts []string
		for rest := seq.Bytes; len(rest) > 0; {
			var name asn1.RawValue
			var err error
			if rest, err = asn1.Unmarshal(rest, &name); err != nil {
				break
			}
			if name.Class != asn1.ClassContextSpecific {
				continue
			}
			switch name.Tag {
			case 0:
				parts = append(parts, "othername:<unsupported>")
			case 1:
				parts = append(parts, "email:"+string(name.Bytes))
			case 2:
				parts = append(parts, "DNS:"+string(name.Bytes))
			case 6:
				parts = append(parts, "URI:"+string(name.Bytes))
			case 7:
				parts = append(parts, "IP Address:"+opensslIP(name.Bytes))
			}
		}
		return strings.Join(parts, ", "), true
	}
	return "", false
}

// opensslIP writes an address as GENERAL_NAME_print does: dotted IPv4, or
// eight uppercase hex groups, none elided.
func opensslIP(b []byte) string {
	switch len(b) {
	case 4:
		return fmt.Sprintf("%d.%d.%d.%d", b[0], b[1], b[2], b[3])
	case 16:
		groups := make([]string, 8)
		for i := range groups {
			groups[i] = fmt.Sprintf("%X", int(b[2*i])<<8|int(b[2*i+1]))
		}
		return strings.Join(groups, ":")
	}
	return "<invalid>"
}

// parseSubjectAltNames is certutil.py parse_subject_alt_names, line for
// line.
func parseSubjectAltNames(content string) ([]string, error) {
	names := []string{}
	if !strings.Contains(content, ",") {
		return names, nil
	}
	for _, kv := range strings.Split(content, ",") {
		if !strings.Contains(kv, ":") {
			continue
		}
		parts := strings.Split(kv, ":")
		if len(parts) != 2 {
			return nil, errors.New("too many values to unpack (expected 2)")
		}
		k := strings.ReplaceAll(strings.TrimSpace(parts[0]), "'", "")
		v := strings.TrimSpace(parts[1])
		if (k == "DNS" || k == "IP Address") && v != "" && v != "127.0.0.1" {
			names = append(names, v)
		}
	}
	return names, nil
}

package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"doorway/booking"
	"doorway/mail"
	"doorway/mail/mailtest"
)

// selfSigned is a certificate for 127.0.0.1 and the pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// TestSTARTTLSIsMandatoryByDefault: with the default policy a server that offers STARTTLS
// gets the message over TLS (its certificate checked), and one that does not gets nothing:
// patients' details never cross the network in plain text by accident.
func TestSTARTTLSIsMandatoryByDefault(t *testing.T) {
	cert, pool := selfSigned(t)
	a := appointment("DW-FIRST1", "en")
	n := notice(booking.EmailConfirmation, a, booking.Lineage{First: a.VisitNumber})

	withTLS := mailtest.Start(t, mailtest.Options{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	m := mailerFor(t, withTLS, func(c *mail.Config) {
		c.TLS, c.TLSConfig = "", &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	})
	if err := m.Notify(context.Background(), n); err != nil {
		t.Fatalf("STARTTLS to a server that offers it: %v", err)
	}
	if got := len(withTLS.Messages()); got != 1 {
		t.Errorf("%d messages, want 1", got)
	}

	untrusted := mailerFor(t, withTLS, func(c *mail.Config) { c.TLS = "" })
	if err := untrusted.Notify(context.Background(), n); err == nil {
		t.Error("a certificate the system does not trust was accepted")
	}

	plain := mailtest.Start(t, mailtest.Options{})
	m = mailerFor(t, plain, func(c *mail.Config) { c.TLS = "" })
	err := m.Notify(context.Background(), n)
	if err == nil || booking.ErrorCode(err) == booking.CodeRejected {
		t.Errorf("a server without STARTTLS: %v, want a failure that is retried", err)
	}
	if got := len(plain.Messages()); got != 0 {
		t.Errorf("the server without STARTTLS got %d messages", got)
	}
}

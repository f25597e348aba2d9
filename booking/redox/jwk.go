package redox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// jwk is one JSON Web Key (RFC 7517, RFC 7518 §6) with the members Doorway reads. Redox's
// dashboard and its sample clients hand keys out in this form, with the kid Redox knows.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
	Crv string `json:"crv,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	D   string `json:"d,omitempty"`
	P   string `json:"p,omitempty"`
	Q   string `json:"q,omitempty"`
	DP  string `json:"dp,omitempty"`
	DQ  string `json:"dq,omitempty"`
	QI  string `json:"qi,omitempty"`
	K   string `json:"k,omitempty"`
}

// p384Bytes is the length of a P-384 coordinate or private scalar.
const p384Bytes = 48

var errPublicOnly = errors.New(`it holds a public key only (no "d"): Doorway signs with the private key; ` +
	"register the public key with Redox and give Doorway the private one")

// parseJWKOrSet reads a private JWK, or a JWK Set holding exactly one private key (public
// keys beside it are ignored: a set often carries the old key during a rotation).
func parseJWKOrSet(data []byte) (*SigningKey, error) {
	var set struct {
		Keys *[]jwk `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("it is not a valid JWK: %v", err)
	}
	if set.Keys == nil {
		var k jwk
		if err := json.Unmarshal(data, &k); err != nil {
			return nil, fmt.Errorf("it is not a valid JWK: %v", err)
		}
		return k.signingKey("jwk")
	}
	var private []jwk
	for _, k := range *set.Keys {
		if k.D != "" || k.K != "" {
			private = append(private, k)
		}
	}
	switch {
	case len(*set.Keys) == 0:
		return nil, errors.New("the JWK Set is empty")
	case len(private) == 0:
		return nil, errPublicOnly
	case len(private) > 1:
		return nil, fmt.Errorf("the JWK Set holds %d private keys: keep only the one Doorway signs with", len(private))
	}
	return private[0].signingKey("jwks")
}

// signingKey turns a private JWK into a SigningKey carrying its kid.
func (k jwk) signingKey(form string) (*SigningKey, error) {
	if err := k.algFits(); err != nil {
		return nil, err
	}
	var key any
	var err error
	switch k.Kty {
	case "RSA":
		key, err = k.rsaPrivate()
	case "EC":
		key, err = k.ecPrivate()
	case "oct":
		var secret []byte
		if secret, err = b64("k", k.K); err == nil && len(secret) == 0 {
			err = errors.New(`the oct JWK has no "k" (the shared secret)`)
		}
		key = secret
	default:
		err = unsupportedKty(k.Kty)
	}
	if err != nil {
		return nil, err
	}
	if secret, ok := key.([]byte); ok {
		return &SigningKey{Alg: AlgHS384, KeyID: k.Kid, Form: form, key: secret}, nil
	}
	sk, err := checkedKey(key, form)
	if err != nil {
		return nil, err
	}
	sk.KeyID = k.Kid
	return sk, nil
}

// algFits checks a JWK's alg, when it names one, against what Redox accepts for its kty.
func (k jwk) algFits() error {
	want := map[string]string{"RSA": AlgRS384, "EC": AlgES384, "oct": AlgHS384}[k.Kty]
	switch {
	case k.Alg == "" || want == "" || k.Alg == want:
		return nil
	case k.Alg == AlgRS384 || k.Alg == AlgES384 || k.Alg == AlgHS384:
		return fmt.Errorf("the JWK says alg %s but it is an %s key", k.Alg, k.Kty)
	}
	return fmt.Errorf("alg %s is not an algorithm Redox accepts: a %s key signs with %s", k.Alg, k.Kty, want)
}

func unsupportedKty(kty string) error {
	if kty == "" {
		return errors.New(`the JWK has no "kty"`)
	}
	return fmt.Errorf("key type %q is not supported: Redox accepts RSA (RS384), EC P-384 (ES384) or oct (HS384)", kty)
}

func (k jwk) rsaPublic() (*rsa.PublicKey, error) {
	n, err := b64("n", k.N)
	if err != nil {
		return nil, err
	}
	e, err := b64("e", k.E)
	if err != nil {
		return nil, err
	}
	if len(n) == 0 || len(e) == 0 || len(e) > 4 {
		return nil, errors.New(`the RSA JWK needs "n" and a small "e"`)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if bits := pub.N.BitLen(); bits < minRSABits {
		return nil, fmt.Errorf("the RSA key has %d bits: Redox's RS384 needs at least %d", bits, minRSABits)
	}
	return pub, nil
}

func (k jwk) rsaPrivate() (*rsa.PrivateKey, error) {
	pub, err := k.rsaPublic()
	if err != nil {
		return nil, err
	}
	if k.D == "" {
		return nil, errPublicOnly
	}
	if k.P == "" || k.Q == "" {
		// Go signs with the primes; every JWK export of a whole private key carries them.
		return nil, errors.New(`the RSA JWK lacks the primes "p" and "q": export the whole private key`)
	}
	var ints [3]*big.Int
	for i, f := range []struct{ name, v string }{{"d", k.D}, {"p", k.P}, {"q", k.Q}} {
		b, err := b64(f.name, f.v)
		if err != nil {
			return nil, err
		}
		ints[i] = new(big.Int).SetBytes(b)
	}
	key := &rsa.PrivateKey{PublicKey: *pub, D: ints[0], Primes: []*big.Int{ints[1], ints[2]}}
	key.Precompute()
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("the RSA JWK's numbers do not make a key: %w", err)
	}
	return key, nil
}

func (k jwk) ecPublic() (*ecdsa.PublicKey, error) {
	if k.Crv != "P-384" {
		return nil, fmt.Errorf("the EC key is on %q: Redox's ES384 needs P-384", k.Crv)
	}
	x, err := b64Fixed("x", k.X, p384Bytes)
	if err != nil {
		return nil, err
	}
	y, err := b64Fixed("y", k.Y, p384Bytes)
	if err != nil {
		return nil, err
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P384(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, fmt.Errorf(`the EC JWK's "x" and "y" are not a point on P-384: %w`, err)
	}
	return pub, nil
}

func (k jwk) ecPrivate() (*ecdsa.PrivateKey, error) {
	pub, err := k.ecPublic()
	if err != nil {
		return nil, err
	}
	if k.D == "" {
		return nil, errPublicOnly
	}
	d, err := b64Fixed("d", k.D, p384Bytes)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P384(), d)
	if err != nil {
		return nil, fmt.Errorf(`the EC JWK's "d" is not a P-384 private key: %w`, err)
	}
	if !key.PublicKey.Equal(pub) {
		return nil, errors.New(`the EC JWK's "x" and "y" do not belong to its "d"`)
	}
	return key, nil
}

// b64 decodes a base64url member, tolerating the padding some encoders add.
func b64(name, v string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
	if err != nil {
		return nil, fmt.Errorf("the JWK's %q is not base64url: %w", name, err)
	}
	return b, nil
}

// b64Fixed decodes a fixed-length member, restoring leading zero bytes an encoder dropped.
func b64Fixed(name, v string, size int) ([]byte, error) {
	b, err := b64(name, v)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 || len(b) > size {
		return nil, fmt.Errorf("the JWK's %q has %d bytes, want %d", name, len(b), size)
	}
	return append(make([]byte, size-len(b)), b...), nil
}

// PublicJWK is one public key of a JWK or JWK Set, as Redox's dashboard takes them (pasted,
// or served from a JWKS URL).
type PublicJWK struct {
	KeyID string           // kid; "" when the JWK names none
	Alg   string           // AlgRS384 or AlgES384
	Key   crypto.PublicKey // *rsa.PublicKey or *ecdsa.PublicKey on P-384
}

// ParsePublicJWKs reads the public keys of a JWK or a JWK Set. A private JWK is read for its
// public half. The sandbox EHR uses it to register clients the way Redox does.
func ParsePublicJWKs(data []byte) ([]PublicJWK, error) {
	var set struct {
		Keys *[]jwk `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("not a valid JWK or JWK Set: %v", err)
	}
	keys := set.Keys
	if keys == nil {
		var k jwk
		if err := json.Unmarshal(data, &k); err != nil {
			return nil, fmt.Errorf("not a valid JWK: %v", err)
		}
		keys = &[]jwk{k}
	}
	var out []PublicJWK
	for i, k := range *keys {
		pj := PublicJWK{KeyID: k.Kid}
		var err error
		if err = k.algFits(); err == nil {
			switch k.Kty {
			case "RSA":
				pj.Alg = AlgRS384
				pj.Key, err = k.rsaPublic()
			case "EC":
				pj.Alg = AlgES384
				pj.Key, err = k.ecPublic()
			default:
				err = unsupportedKty(k.Kty)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("key %d (kid %q): %w", i, k.Kid, err)
		}
		out = append(out, pj)
	}
	if len(out) == 0 {
		return nil, errors.New("the JWK Set is empty")
	}
	return out, nil
}

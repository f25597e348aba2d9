package redox

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
)

// MarshalJWK writes key as a JWK with the given kid: the form Redox's dashboard takes a
// public key in, and the form it hands a generated key pair out in. key is an
// *rsa.PublicKey or *rsa.PrivateKey (alg RS384), an *ecdsa.PublicKey or *ecdsa.PrivateKey
// on P-384 (ES384), or a []byte shared secret (oct, HS384). A private key's JWK holds the
// private members too: keep it secret.
func MarshalJWK(key any, kid string) ([]byte, error) {
	j := jwk{Kid: kid, Use: "sig"}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if len(k.Primes) != 2 {
			return nil, fmt.Errorf("redox: JWK of an RSA key with %d primes", len(k.Primes))
		}
		k.Precompute()
		j = rsaJWK(j, &k.PublicKey)
		j.D, j.P, j.Q = b64Int(k.D), b64Int(k.Primes[0]), b64Int(k.Primes[1])
		j.DP, j.DQ, j.QI = b64Int(k.Precomputed.Dp), b64Int(k.Precomputed.Dq), b64Int(k.Precomputed.Qinv)
	case *rsa.PublicKey:
		j = rsaJWK(j, k)
	case *ecdsa.PrivateKey:
		var err error
		if j, err = ecJWK(j, &k.PublicKey); err != nil {
			return nil, err
		}
		d, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("redox: JWK of an EC key: %w", err)
		}
		j.D = base64.RawURLEncoding.EncodeToString(d)
	case *ecdsa.PublicKey:
		var err error
		if j, err = ecJWK(j, k); err != nil {
			return nil, err
		}
	case []byte:
		j.Kty, j.Alg, j.K = "oct", AlgHS384, base64.RawURLEncoding.EncodeToString(k)
	default:
		return nil, fmt.Errorf("redox: no JWK form for a %T", key)
	}
	return json.Marshal(j)
}

func rsaJWK(j jwk, pub *rsa.PublicKey) jwk {
	j.Kty, j.Alg = "RSA", AlgRS384
	j.N, j.E = b64Int(pub.N), b64Int(big.NewInt(int64(pub.E)))
	return j
}

func ecJWK(j jwk, pub *ecdsa.PublicKey) (jwk, error) {
	point, err := pub.Bytes() // 0x04 || x || y
	if err != nil || pub.Curve.Params().BitSize != 384 {
		return j, fmt.Errorf("redox: JWK of an EC key: want a valid P-384 key (%v)", err)
	}
	j.Kty, j.Alg, j.Crv = "EC", AlgES384, "P-384"
	j.X = base64.RawURLEncoding.EncodeToString(point[1 : 1+p384Bytes])
	j.Y = base64.RawURLEncoding.EncodeToString(point[1+p384Bytes:])
	return j, nil
}

func b64Int(i *big.Int) string { return base64.RawURLEncoding.EncodeToString(i.Bytes()) }

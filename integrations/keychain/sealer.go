package keychain

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/packbench/packbench/station"
)

// DataKeyName is the secret under which the data key is kept.
const DataKeyName = "packbench/data-key"

// sealedPrefix marks Packbench's sealed values (version 1, AES-256-GCM).
var sealedPrefix = []byte("pb1:")

// Sealer encrypts buyers' personal data and label documents at rest with
// AES-256-GCM under a data key that lives only in the keychain. The row a
// value belongs to is bound in as additional data, so a sealed address
// cannot be moved to another order.
type Sealer struct {
	aead     cipher.AEAD
	blindKey []byte
}

// ErrDataKeyLost means sealed data exists but the key that opens it is gone.
var ErrDataKeyLost = errors.New("the key that encrypts buyers' data is missing from the keychain: their addresses cannot be read; import the orders again from Amazon")

// OpenSealer loads the data key from secrets, making one on first use.
// create=false refuses to make a new key (data sealed earlier would be lost).
func OpenSealer(secrets station.Secrets, create bool) (*Sealer, error) {
	raw, err := secrets.Get(DataKeyName)
	var key []byte
	switch {
	case errors.Is(err, station.ErrSecretNotFound) && create:
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := secrets.Set(DataKeyName, base64.StdEncoding.EncodeToString(key)); err != nil {
			return nil, fmt.Errorf("could not keep the data key in the keychain: %w", err)
		}
	case errors.Is(err, station.ErrSecretNotFound):
		return nil, ErrDataKeyLost
	case err != nil:
		return nil, err
	default:
		if key, err = base64.StdEncoding.DecodeString(raw); err != nil || len(key) != 32 {
			return nil, ErrDataKeyLost
		}
	}
	return NewSealer(key)
}

// NewSealer makes a sealer from a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The blind index gets its own key, derived so it never equals the data key.
	blind, err := hkdf.Key(sha256.New, key, nil, "packbench blind index v1", 32)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, blindKey: blind}, nil
}

// Blind is a keyed token of one word (lower-cased; the store folds accents
// and cuts prefixes before it asks): equal words give equal tokens, and a
// token says nothing of its word without the key.
func (s *Sealer) Blind(word string) string {
	m := hmac.New(sha256.New, s.blindKey)
	m.Write([]byte(strings.ToLower(strings.TrimSpace(word))))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// Seal encrypts plain, bound to aad (e.g. "order_pii/42").
func (s *Sealer) Seal(plain []byte, aad string) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte{}, sealedPrefix...)
	out = append(out, nonce...)
	return s.aead.Seal(out, nonce, plain, []byte(aad)), nil
}

// Open decrypts what Seal made for the same aad.
func (s *Sealer) Open(sealed []byte, aad string) ([]byte, error) {
	if len(sealed) < len(sealedPrefix)+s.aead.NonceSize() || string(sealed[:len(sealedPrefix)]) != string(sealedPrefix) {
		return nil, errors.New("not a sealed value")
	}
	rest := sealed[len(sealedPrefix):]
	nonce, data := rest[:s.aead.NonceSize()], rest[s.aead.NonceSize():]
	plain, err := s.aead.Open(nil, nonce, data, []byte(aad))
	if err != nil {
		return nil, ErrDataKeyLost
	}
	return plain, nil
}

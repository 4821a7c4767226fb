package keychain

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/packbench/packbench/station"
)

// Benches sharing one order queue seal buyers' data with one data key. A
// new bench gets it from a one-time join code shown on a bench that has
// it: the key, wrapped with a key derived from the code, waits in the
// shared database for a few minutes; the joining bench types the code,
// unwraps the key into its own keychain, and the wrapped copy is deleted.
// The database never holds the key in a form its own contents can open
// (docs/architecture.md, "Several benches").

// joinAlphabet has no 0/O, 1/I/L: a code is read off one screen and typed
// on another.
const joinAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// joinCodeLength letters of 31 give 59 bits: with a code that works once,
// for minutes, and a slow derivation, far beyond guessing.
const joinCodeLength = 12

// joinIterations slows each guess at a code (PBKDF2-SHA256).
const joinIterations = 600_000

// NewJoinCode is a fresh code, written XXXX-XXXX-XXXX.
func NewJoinCode() (string, error) {
	raw := make([]byte, joinCodeLength)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	var b strings.Builder
	for i, c := range raw {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		// 256 % 31 = 8: the first eight letters come up 9 in 256 times
		// instead of 8, which costs under 0.1 bit of the code's 59.
		b.WriteByte(joinAlphabet[int(c)%len(joinAlphabet)])
	}
	return b.String(), nil
}

// CheckJoinCode says what is wrong with a code as typed, before anything
// is asked of the queue.
func CheckJoinCode(code string) error {
	_, err := normalizeJoinCode(code)
	return err
}

// normalizeJoinCode accepts a code as typed: any case, with or without
// dashes or spaces.
func normalizeJoinCode(code string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(joinAlphabet, r):
			b.WriteRune(r)
		default:
			return "", fmt.Errorf("a join code has only the letters and digits %s (no 0, 1, I, L or O): %q is not one", joinAlphabet, r)
		}
	}
	if b.Len() != joinCodeLength {
		return "", fmt.Errorf("a join code has %d letters and digits (XXXX-XXXX-XXXX), this one %d", joinCodeLength, b.Len())
	}
	return b.String(), nil
}

const joinAAD = "packbench join code v1"

func joinAEAD(code string, salt []byte) (cipher.AEAD, error) {
	norm, err := normalizeJoinCode(code)
	if err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(sha256.New, norm, salt, joinIterations, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// WrapDataKey wraps this bench's data key with a key derived from code,
// for the shared database to hold until a bench joins with the code.
func WrapDataKey(secrets station.Secrets, code string) (salt, wrapped []byte, err error) {
	key, err := dataKey(secrets)
	if err != nil {
		return nil, nil, err
	}
	salt = make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, err
	}
	aead, err := joinAEAD(code, salt)
	if err != nil {
		return nil, nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, err
	}
	return salt, aead.Seal(nonce, nonce, key, []byte(joinAAD)), nil
}

// ErrWrongJoinCode: the code does not open the wrapped key.
var ErrWrongJoinCode = errors.New("that join code is not the one shown (or it has expired): show a new one on an enrolled bench")

// UnwrapDataKey opens what WrapDataKey made, with the code typed.
func UnwrapDataKey(code string, salt, wrapped []byte) ([]byte, error) {
	aead, err := joinAEAD(code, salt)
	if err != nil {
		return nil, err
	}
	if len(wrapped) < aead.NonceSize() {
		return nil, ErrWrongJoinCode
	}
	key, err := aead.Open(nil, wrapped[:aead.NonceSize()], wrapped[aead.NonceSize():], []byte(joinAAD))
	if err != nil || len(key) != 32 {
		return nil, ErrWrongJoinCode
	}
	return key, nil
}

// KeepDataKey makes key this bench's data key. A different key already
// here is replaced only when replace is set (the bench has nothing sealed
// with it).
func KeepDataKey(secrets station.Secrets, key []byte, replace bool) error {
	if old, err := dataKey(secrets); err == nil && !hmac.Equal(old, key) && !replace {
		return errors.New("this bench already has a different data key, with buyers' data sealed under it")
	}
	return secrets.Set(DataKeyName, base64.StdEncoding.EncodeToString(key))
}

func dataKey(secrets station.Secrets) ([]byte, error) {
	raw, err := secrets.Get(DataKeyName)
	if errors.Is(err, station.ErrSecretNotFound) {
		return nil, ErrDataKeyLost
	}
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(key) != 32 {
		return nil, ErrDataKeyLost
	}
	return key, nil
}

// KeyID names a data key without revealing it: benches sharing a queue
// compare it with the queue's before they seal anything, so a bench with
// another key never writes data the others cannot read.
func KeyID(key []byte) string {
	id, _ := hkdf.Key(sha256.New, key, nil, "packbench data key id v1", 16)
	return hex.EncodeToString(id)
}

// DataKeyID is the KeyID of this bench's data key.
func DataKeyID(secrets station.Secrets) (string, error) {
	key, err := dataKey(secrets)
	if err != nil {
		return "", err
	}
	return KeyID(key), nil
}

// Package keychain keeps Packbench's secrets (refresh tokens, client
// secrets, later the data key) in the OS keychain through
// github.com/zalando/go-keyring, or, where no keychain runs (a headless
// Linux without a Secret Service), in an AES-256-GCM encrypted file. It
// implements station.Secrets. Secrets never go to SQLite, preferences or logs.
package keychain

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/zalando/go-keyring"

	"github.com/packbench/packbench/internal/atomicfile"
	"github.com/packbench/packbench/station"
)

// Service is the keychain service name entries are filed under.
const Service = "Packbench"

// OS is the operating system's keychain.
type OS struct{ Service string }

func (k OS) Get(key string) (string, error) {
	v, err := keyring.Get(k.Service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", station.ErrSecretNotFound
	}
	return v, err
}

func (k OS) Set(key, value string) error { return keyring.Set(k.Service, key, value) }

func (k OS) Delete(key string) error {
	err := keyring.Delete(k.Service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return station.ErrSecretNotFound
	}
	return err
}

// Usable reports whether the OS keychain answers (a write, read and delete of a probe).
func (k OS) Usable() error {
	const probe = "packbench-probe"
	if err := keyring.Set(k.Service, probe, "ok"); err != nil {
		return err
	}
	if v, err := keyring.Get(k.Service, probe); err != nil || v != "ok" {
		return fmt.Errorf("keychain read back %q: %v", v, err)
	}
	return keyring.Delete(k.Service, probe)
}

// File is the encrypted-file fallback: a JSON map sealed with AES-256-GCM.
// Its key is derived from PACKBENCH_SECRETS_PASSPHRASE when that is set
// (PBKDF2-SHA256), otherwise it is a random key kept in a 0600 file beside
// it: that protects copies and backups of the database, not an attacker
// who can read the user's files, which is why the OS keychain comes first.
type File struct {
	path       string
	keyPath    string
	passphrase string
	mu         sync.Mutex
}

// NewFile makes the fallback store at dir/secrets.enc.
func NewFile(dir, passphrase string) *File {
	return &File{path: filepath.Join(dir, "secrets.enc"), keyPath: filepath.Join(dir, "secrets.key"), passphrase: passphrase}
}

type sealed struct {
	Salt  []byte `json:"salt"`
	Nonce []byte `json:"nonce"`
	Data  []byte `json:"data"`
}

func (f *File) key(salt []byte) ([]byte, error) {
	if f.passphrase != "" {
		return pbkdf2.Key(sha256.New, f.passphrase, salt, 600_000, 32)
	}
	k, err := os.ReadFile(f.keyPath)
	if errors.Is(err, os.ErrNotExist) {
		k = make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(f.keyPath), 0o700); err != nil {
			return nil, err
		}
		// Durable before anything is sealed with it: a key lost to a power
		// cut would make every secret written after it unreadable.
		return k, atomicfile.WriteFile(f.keyPath, k, 0o600)
	}
	if err != nil {
		return nil, err
	}
	if len(k) != 32 {
		return nil, fmt.Errorf("%s is damaged: remove it and secrets.enc, then reconnect your stores", f.keyPath)
	}
	return k, nil
}

func (f *File) load() (map[string]string, []byte, error) {
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		salt := make([]byte, 16)
		_, _ = rand.Read(salt)
		return map[string]string{}, salt, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var s sealed
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, nil, fmt.Errorf("%s is damaged: reconnect your stores", f.path)
	}
	k, err := f.key(s.Salt)
	if err != nil {
		return nil, nil, err
	}
	gcm, err := newGCM(k)
	if err != nil {
		return nil, nil, err
	}
	plain, err := gcm.Open(nil, s.Nonce, s.Data, []byte(Service))
	if err != nil {
		return nil, nil, errors.New("the secrets file cannot be opened with this key (wrong PACKBENCH_SECRETS_PASSPHRASE?): set the right one, or reconnect your stores")
	}
	m := map[string]string{}
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, nil, err
	}
	return m, s.Salt, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (f *File) save(m map[string]string, salt []byte) error {
	k, err := f.key(salt)
	if err != nil {
		return err
	}
	gcm, err := newGCM(k)
	if err != nil {
		return err
	}
	plain, _ := json.Marshal(m)
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	raw, _ := json.Marshal(sealed{Salt: salt, Nonce: nonce, Data: gcm.Seal(nil, nonce, plain, []byte(Service))})
	return atomicfile.WriteFile(f.path, raw, 0o600)
}

func (f *File) Get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, _, err := f.load()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", station.ErrSecretNotFound
	}
	return v, nil
}

func (f *File) Set(key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, salt, err := f.load()
	if err != nil {
		return err
	}
	m[key] = value
	return f.save(m, salt)
}

func (f *File) Delete(key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, salt, err := f.load()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return station.ErrSecretNotFound
	}
	delete(m, key)
	return f.save(m, salt)
}

// Open returns the OS keychain when it works, else the encrypted file in
// dataDir, and a word for the log saying which. mode "file" skips the OS keychain.
func Open(dataDir, mode, passphrase string) (station.Secrets, string) {
	if mode != "file" {
		k := OS{Service: Service}
		if err := k.Usable(); err == nil {
			return k, "os keychain"
		}
	}
	return NewFile(dataDir, passphrase), "encrypted file"
}

package keychain

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zalando/go-keyring"

	"github.com/packbench/packbench/station"
)

func TestFileKeepsSecretsEncrypted(t *testing.T) {
	dir := t.TempDir()
	f := NewFile(dir, "")
	_, err := f.Get("missing")
	assert.ErrorIs(t, err, station.ErrSecretNotFound)
	require.NoError(t, f.Set("amazon/NA/A1/refresh_token", "Atzr|super-secret-refresh"))
	require.NoError(t, f.Set("other", "x"))
	v, err := NewFile(dir, "").Get("amazon/NA/A1/refresh_token")
	require.NoError(t, err)
	assert.Equal(t, "Atzr|super-secret-refresh", v, "a new process reads it back")

	raw, err := os.ReadFile(filepath.Join(dir, "secrets.enc"))
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, []byte("super-secret")), "never plain text on disk")
	fi, err := os.Stat(filepath.Join(dir, "secrets.key"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	require.NoError(t, f.Delete("other"))
	assert.ErrorIs(t, f.Delete("other"), station.ErrSecretNotFound)
}

func TestPassphraseKeyAndWrongPassphrase(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, NewFile(dir, "correct horse").Set("k", "v"))
	_, err := os.Stat(filepath.Join(dir, "secrets.key"))
	assert.ErrorIs(t, err, os.ErrNotExist, "with a passphrase no key file is written")
	v, err := NewFile(dir, "correct horse").Get("k")
	require.NoError(t, err)
	assert.Equal(t, "v", v)
	_, err = NewFile(dir, "wrong").Get("k")
	assert.ErrorContains(t, err, "PACKBENCH_SECRETS_PASSPHRASE")
}

func TestOSKeychainThroughGoKeyring(t *testing.T) {
	keyring.MockInit()
	k := OS{Service: Service}
	require.NoError(t, k.Usable())
	require.NoError(t, k.Set("a", "b"))
	v, err := k.Get("a")
	require.NoError(t, err)
	assert.Equal(t, "b", v)
	require.NoError(t, k.Delete("a"))
	_, err = k.Get("a")
	assert.ErrorIs(t, err, station.ErrSecretNotFound)
	s, kind := Open(t.TempDir(), "", "")
	assert.Equal(t, "os keychain", kind)
	assert.IsType(t, OS{}, s)
	_, kind = Open(t.TempDir(), "file", "")
	assert.Equal(t, "encrypted file", kind)
}

func TestSealerBindsValuesToTheirRowAndNeedsItsKey(t *testing.T) {
	secrets := NewFile(t.TempDir(), "")
	s, err := OpenSealer(secrets, true)
	require.NoError(t, err)
	sealed, err := s.Seal([]byte("Zoë Ångström, 1 High St"), "order_pii/7")
	require.NoError(t, err)
	assert.False(t, bytes.Contains(sealed, []byte("Zoë")))
	plain, err := s.Open(sealed, "order_pii/7")
	require.NoError(t, err)
	assert.Equal(t, "Zoë Ångström, 1 High St", string(plain))
	_, err = s.Open(sealed, "order_pii/8")
	assert.Error(t, err, "a value moved to another row does not open")

	again, err := OpenSealer(secrets, false)
	require.NoError(t, err)
	plain, err = again.Open(sealed, "order_pii/7")
	require.NoError(t, err, "the same key comes back from the keychain")
	assert.NotEmpty(t, plain)

	_, err = OpenSealer(NewFile(t.TempDir(), ""), false)
	assert.ErrorIs(t, err, ErrDataKeyLost)
	other, _ := OpenSealer(NewFile(t.TempDir(), ""), true)
	_, err = other.Open(sealed, "order_pii/7")
	assert.ErrorIs(t, err, ErrDataKeyLost, "another key cannot read it")
}

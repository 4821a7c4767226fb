package keychain

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

// Windows keeps secrets in the Credential Manager (go-keyring's wincred):
// set, read back, replaced, deleted, gone. Run under Wine in CI by
// internal/winetest.
func TestWindowsCredentialManagerKeepsASecret(t *testing.T) {
	k := OS{Service: "Packbench test " + t.Name()}
	require.NoError(t, k.Usable())
	require.NoError(t, k.Set("store/A1/refresh", "Atzr|first"))
	got, err := k.Get("store/A1/refresh")
	require.NoError(t, err)
	assert.Equal(t, "Atzr|first", got)
	require.NoError(t, k.Set("store/A1/refresh", "Atzr|second"))
	got, err = k.Get("store/A1/refresh")
	require.NoError(t, err)
	assert.Equal(t, "Atzr|second", got)
	require.NoError(t, k.Delete("store/A1/refresh"))
	_, err = k.Get("store/A1/refresh")
	assert.True(t, errors.Is(err, station.ErrSecretNotFound), "deleted: %v", err)
}

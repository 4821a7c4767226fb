package keychain

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A join code carries the data key to another bench: typed as shown (or
// in lower case, without dashes) it opens the wrapped key; any other code
// does not, and a mistyped one is said precisely.
func TestAJoinCodeCarriesTheDataKeyAndNothingElseOpensIt(t *testing.T) {
	secrets := NewFile(t.TempDir(), "")
	_, err := OpenSealer(secrets, true)
	require.NoError(t, err)
	want, err := DataKeyID(secrets)
	require.NoError(t, err)

	code, err := NewJoinCode()
	require.NoError(t, err)
	assert.Regexp(t, `^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`, code)
	salt, wrapped, err := WrapDataKey(secrets, code)
	require.NoError(t, err)
	raw, _ := secrets.Get(DataKeyName)
	key, _ := base64.StdEncoding.DecodeString(raw)
	assert.NotContains(t, string(wrapped), string(key), "the key is not in the wrapped copy")

	got, err := UnwrapDataKey(strings.ToLower(strings.ReplaceAll(code, "-", " ")), salt, wrapped)
	require.NoError(t, err)
	assert.Equal(t, want, KeyID(got))

	other, err := NewJoinCode()
	require.NoError(t, err)
	_, err = UnwrapDataKey(other, salt, wrapped)
	assert.ErrorIs(t, err, ErrWrongJoinCode)
	_, err = UnwrapDataKey("ABCD-EFGH-IJK0", salt, wrapped)
	assert.ErrorContains(t, err, "no 0, 1, I, L or O")
	_, err = UnwrapDataKey("ABCD-EFGH", salt, wrapped)
	assert.ErrorContains(t, err, "has 12 letters and digits")

	// A new bench keeps the queue's key; the one it had is replaced only when asked.
	bench := NewFile(t.TempDir(), "")
	_, err = OpenSealer(bench, true)
	require.NoError(t, err)
	assert.Error(t, KeepDataKey(bench, got, false))
	require.NoError(t, KeepDataKey(bench, got, true))
	id, err := DataKeyID(bench)
	require.NoError(t, err)
	assert.Equal(t, want, id)
}

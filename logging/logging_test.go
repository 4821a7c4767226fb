package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func capture() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(NewMaskingHandler(slog.NewTextHandler(&buf, nil))), &buf
}

func TestSecretsNeverReachTheLog(t *testing.T) {
	log, buf := capture()
	log.Info("token refreshed Atza|IwEBIExampleAccessToken123 for seller",
		"refresh_token", "Atzr|IwEBIExampleRefresh",
		"body", "grant_type=refresh_token&refresh_token=Atzr|abc&client_secret=amzn1.oa2-cs.v1.deadbeef&client_id=amzn1.application-oa2-client.x",
		"err", errors.New(`POST failed: {"access_token":"Atza|leaked"}`),
		"header", "x-amz-access-token: Atza|zzz",
		"rdt", "Atz.sprdt|restricted",
	)
	out := buf.String()
	for _, secret := range []string{"IwEBIExampleAccessToken123", "IwEBIExampleRefresh", "Atzr|abc", "deadbeef", "Atza|leaked", "Atza|zzz", "restricted"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, "client_id=amzn1.application-oa2-client.x", "non-secret context stays readable")
}

func TestPersonalDataIsMaskedByKeyAndShape(t *testing.T) {
	log, buf := capture()
	log = log.With("buyer_name", "Zoë Example")
	log.Info("imported", "order", "111-2223333-4444444", "note", "buyer wrote from zoe@example.com",
		slog.Group("recipient", "city", "Seattle"), "shipTo", "1 Main St", "Phone", "+1 206 555 0100")
	out := buf.String()
	for _, pii := range []string{"Zoë", "zoe@example.com", "1 Main St", "555 0100", "Seattle"} {
		assert.NotContains(t, out, pii)
	}
	assert.Contains(t, out, "111-2223333-4444444", "order ids are not personal data")
}

func TestOpenWritesToTheDataDirAndRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	defer func(was int) { maxSizeMB = was }(maxSizeMB)
	maxSizeMB = 1
	log, c, err := Open(dir, slog.LevelInfo)
	require.NoError(t, err)
	log.Info("started", "secret", "s3cr3t")
	// A bench that runs for weeks: the log rotates while it runs.
	line := strings.Repeat("x", 1000)
	for range 3 * maxSizeMB * 1024 {
		log.Info("busy", "n", line)
	}
	require.NoError(t, c.Close())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.LessOrEqual(t, fi.Size(), int64(maxSizeMB<<20), "the live log stays under its size")
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	old, _ := filepath.Glob(filepath.Join(dir, "packbench-*.log"))
	assert.Len(t, old, keepOld, "the older logs kept, no more")
	for _, f := range append(old, path) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "s3cr3t")
	}
}

package printing

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFolderWritesWholeFilesWithSafeNames(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	f := Folder{Dir: filepath.Join(dir, "labels"), now: func() time.Time { return at }}
	zpl := []byte("^XA^FO50,50^FDhello^FS^XZ")
	require.NoError(t, f.Print(context.Background(), Document{Name: "label 113/1234567", Format: ZPL, Data: zpl}))
	// Same name and second: a second job must not overwrite the first.
	require.NoError(t, f.Print(context.Background(), Document{Name: "label 113/1234567", Format: ZPL, Data: zpl}))

	entries, err := os.ReadDir(f.Dir)
	require.NoError(t, err)
	require.Len(t, entries, 2, "no temporary files are left behind")
	assert.ElementsMatch(t, []string{"20261122T100000.000Z-label_113_1234567.zpl", "20261122T100000.000Z-label_113_1234567-2.zpl"},
		[]string{entries[0].Name(), entries[1].Name()})
	got, err := os.ReadFile(filepath.Join(f.Dir, "20261122T100000.000Z-label_113_1234567.zpl"))
	require.NoError(t, err)
	assert.Equal(t, zpl, got, "bytes arrive unchanged")
}

// Jobs with the same name in the same millisecond, at once, each keep a
// file of their own (the folder printer renames, it does not link).
func TestFolderKeepsEveryJobOfTheSameMillisecond(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	f := Folder{Dir: t.TempDir(), now: func() time.Time { return at }}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := f.Write(context.Background(), Document{Name: "label-1", Format: ZPL, Data: []byte("^XA^XZ")})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	entries, err := os.ReadDir(f.Dir)
	require.NoError(t, err)
	assert.Len(t, entries, 8)
}

func TestFolderRefusesWhatCannotPrint(t *testing.T) {
	f := Folder{Dir: t.TempDir()}
	assert.ErrorContains(t, f.Print(context.Background(), Document{Name: "x", Format: PDF}), "empty")
	assert.ErrorContains(t, f.Print(context.Background(), Document{Name: "x", Format: "docx", Data: []byte("x")}), "unknown document format")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, f.Print(ctx, Document{Name: "x", Format: PDF, Data: []byte("%PDF")}), context.Canceled)
}

// The file a folder printer reports is absolute, so that erase removes it
// from any working directory, even for a data dir given as a relative path.
func TestFolderReportsAnAbsolutePath(t *testing.T) {
	t.Chdir(t.TempDir())
	path, err := Folder{Dir: "labels"}.Write(context.Background(), Document{Name: "label-1", Format: ZPL, Data: []byte("^XA^XZ")})
	require.NoError(t, err)
	assert.True(t, filepath.IsAbs(path), path)
	_, err = os.Stat(path)
	assert.NoError(t, err)
}

package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultDataDir is PACKBENCH_DATA_DIR, else Packbench's folder where the
// OS keeps a user's application data on this machine: ~/.config/Packbench
// on Linux, ~/Library/Application Support/Packbench on macOS,
// %LocalAppData%\Packbench on Windows (see platformDataDir).
func DefaultDataDir() string {
	if d := os.Getenv("PACKBENCH_DATA_DIR"); d != "" {
		return d
	}
	return platformDataDir()
}

// userConfigDataDir is Packbench's folder in the OS user config dir.
func userConfigDataDir() string {
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "Packbench")
}

// moveDataDir gives the data dir to use when it moves from oldDir to
// newDir: newDir once it exists; else oldDir moved there when only oldDir
// exists. A move that fails (another Packbench has a file open, or the
// two are on different volumes) leaves oldDir in use, whole, and says why.
func moveDataDir(oldDir, newDir string) (string, error) {
	if _, err := os.Stat(newDir); err == nil {
		return newDir, nil
	}
	if _, err := os.Stat(oldDir); errors.Is(err, fs.ErrNotExist) {
		return newDir, nil
	}
	if err := os.MkdirAll(filepath.Dir(newDir), 0o700); err != nil {
		return oldDir, fmt.Errorf("data dir stays in %s: %w", oldDir, err)
	}
	if err := os.Rename(oldDir, newDir); err != nil {
		return oldDir, fmt.Errorf("data dir stays in %s: %w", oldDir, err)
	}
	return newDir, nil
}

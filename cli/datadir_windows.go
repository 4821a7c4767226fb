package cli

import (
	"os"
	"path/filepath"
)

// platformDataDir is %LocalAppData%\Packbench: a database and its WAL
// belong to this machine, and %AppData% (Roaming) is copied between
// machines by roaming profiles. A data dir in %AppData%, where earlier
// versions kept it, is moved here the first time.
func platformDataDir() string {
	local, roaming := os.Getenv("LOCALAPPDATA"), os.Getenv("APPDATA")
	if local == "" {
		return userConfigDataDir()
	}
	newDir := filepath.Join(local, "Packbench")
	if roaming == "" {
		return newDir
	}
	dir, _ := moveDataDir(filepath.Join(roaming, "Packbench"), newDir)
	return dir
}

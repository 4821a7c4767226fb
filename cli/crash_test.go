package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A crash leaves a report in the data dir that the seller can send: Go's
// panic message and the stacks.
func TestACrashLeavesAReportInTheDataDir(t *testing.T) {
	if dir := os.Getenv("PACKBENCH_TEST_CRASH_DIR"); dir != "" {
		env, err := OpenEnv(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		_ = env
		go panic("a bug nobody caught")
		select {}
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestACrashLeavesAReportInTheDataDir$")
	cmd.Env = append(os.Environ(), "PACKBENCH_TEST_CRASH_DIR="+dir, "PACKBENCH_KEYCHAIN=file")
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the process crashed: %s", out)
	report, err := os.ReadFile(filepath.Join(dir, CrashReportFile))
	require.NoError(t, err)
	assert.Contains(t, string(report), "panic: a bug nobody caught")
	assert.Contains(t, string(report), "goroutine")
	fi, err := os.Stat(filepath.Join(dir, CrashReportFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

//go:build !windows

package cli

func platformDataDir() string { return userConfigDataDir() }

//go:build !windows

package main

// attachParentConsole is needed on Windows only: elsewhere a program
// always writes to the terminal that started it.
func attachParentConsole() {}

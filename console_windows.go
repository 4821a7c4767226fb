package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentConsole gives packbench.exe, a GUI-subsystem program (no
// console window opens when it is double-clicked), the console of the
// terminal it was started from, when its standard output goes nowhere.
// A terminal does not wait for a GUI program, so scripts that need the
// exit status use packbench-cli.exe, the same program built for the
// console subsystem (see docs/platforms.md).
func attachParentConsole() {
	if h, err := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != windows.InvalidHandle {
		return // redirected to a file or pipe, or a console program already
	}
	const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(uintptr(attachParentProcess)); ok == 0 {
		return // started from Explorer: there is no terminal to write to
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = out, out
	}
	if in, err := os.Open("CONIN$"); err == nil {
		os.Stdin = in
	}
}

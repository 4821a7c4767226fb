//go:build !windows

package printing

import (
	"context"
	"errors"
)

// Windows prints through the Windows spooler; elsewhere it explains itself.
type Windows struct {
	Name string
}

// Print refuses: the spooler exists only on Windows.
func (w Windows) Print(ctx context.Context, doc Document) error {
	return errors.New("a Windows printer prints only from Packbench on Windows: on this computer use a CUPS, network (9100) or folder printer")
}

var errNotWindows = errors.New("windows printers are listed and checked only by Packbench on Windows")

// WindowsPrinters is for Windows only.
func WindowsPrinters(ctx context.Context) ([]WindowsPrinter, error) { return nil, errNotWindows }

// Check is for Windows only.
func (w Windows) Check(ctx context.Context) (bool, string, error) { return false, "", errNotWindows }

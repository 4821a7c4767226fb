//go:build windows

package printing

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"unsafe"
)

// Windows prints through the Windows spooler. ZPL goes with the RAW
// datatype, which the spooler passes to the printer untouched, so the
// driver never renders ZPL as text; v4 drivers (which have no RAW path)
// take XPS_PASS, tried when RAW is refused. PDF is refused: the spooler
// would need a driver that renders PDF, which label printers lack.
type Windows struct {
	Name string // the printer's name as Windows shows it
}

var (
	winspool         = syscall.NewLazyDLL("winspool.drv")
	procOpenPrinter  = winspool.NewProc("OpenPrinterW")
	procClosePrinter = winspool.NewProc("ClosePrinter")
	procStartDoc     = winspool.NewProc("StartDocPrinterW")
	procEndDoc       = winspool.NewProc("EndDocPrinter")
	procStartPage    = winspool.NewProc("StartPagePrinter")
	procEndPage      = winspool.NewProc("EndPagePrinter")
	procWritePrinter = winspool.NewProc("WritePrinter")
)

type docInfo1 struct {
	docName    *uint16
	outputFile *uint16
	datatype   *uint16
}

// Print spools the document as one job.
func (w Windows) Print(ctx context.Context, doc Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(doc.Data) == 0 {
		return errors.New("nothing to print: the document is empty")
	}
	if doc.Format != ZPL {
		return fmt.Errorf("a Windows printer takes ZPL here; a %s label needs a folder printer or ZPL from Amazon", doc.Format)
	}
	err := w.spool(doc, "RAW")
	if err != nil {
		if err2 := w.spool(doc, "XPS_PASS"); err2 == nil {
			return nil
		}
	}
	return err
}

func (w Windows) spool(doc Document, datatype string) error {
	name, err := syscall.UTF16PtrFromString(w.Name)
	if err != nil {
		return err
	}
	var h syscall.Handle
	if r, _, e := procOpenPrinter.Call(uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&h)), 0); r == 0 {
		return fmt.Errorf("%w: Windows has no printer %q or cannot open it (%v)", ErrPrinterOffline, w.Name, e)
	}
	defer procClosePrinter.Call(uintptr(h))
	docName, _ := syscall.UTF16PtrFromString(doc.Name)
	dt, _ := syscall.UTF16PtrFromString(datatype)
	info := docInfo1{docName: docName, datatype: dt}
	if r, _, e := procStartDoc.Call(uintptr(h), 1, uintptr(unsafe.Pointer(&info))); r == 0 {
		return fmt.Errorf("printer %q refused a %s job: %v", w.Name, datatype, e)
	}
	defer procEndDoc.Call(uintptr(h))
	if r, _, e := procStartPage.Call(uintptr(h)); r == 0 {
		return fmt.Errorf("printer %q: %v", w.Name, e)
	}
	defer procEndPage.Call(uintptr(h))
	var written uint32
	r, _, e := procWritePrinter.Call(uintptr(h), uintptr(unsafe.Pointer(&doc.Data[0])), uintptr(len(doc.Data)), uintptr(unsafe.Pointer(&written)))
	if r == 0 || int(written) != len(doc.Data) {
		return fmt.Errorf("printer %q took %d of %d bytes: %v", w.Name, written, len(doc.Data), e)
	}
	return nil
}

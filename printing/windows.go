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
	procAbort        = winspool.NewProc("AbortPrinter")
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
	if errors.Is(err, errDatatypeRefused) {
		// Only when RAW was refused before anything was spooled: a v4 driver.
		if err2 := w.spool(doc, "XPS_PASS"); err2 == nil || !errors.Is(err2, errDatatypeRefused) {
			return err2
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
	return spoolJob(winspoolJob{h: h}, w.Name, doc.Name, datatype, doc.Data)
}

// winspoolJob is spooler over an open printer handle.
type winspoolJob struct{ h syscall.Handle }

// call runs a winspool function that returns 0 on failure.
func call(p *syscall.LazyProc, args ...uintptr) error {
	if r, _, e := p.Call(args...); r == 0 {
		return e
	}
	return nil
}

func (j winspoolJob) StartDoc(name, datatype string) error {
	docName, _ := syscall.UTF16PtrFromString(name)
	dt, _ := syscall.UTF16PtrFromString(datatype)
	info := docInfo1{docName: docName, datatype: dt}
	return call(procStartDoc, uintptr(j.h), 1, uintptr(unsafe.Pointer(&info)))
}

func (j winspoolJob) StartPage() error { return call(procStartPage, uintptr(j.h)) }

func (j winspoolJob) Write(p []byte) (int, error) {
	var written uint32
	err := call(procWritePrinter, uintptr(j.h), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), uintptr(unsafe.Pointer(&written)))
	return int(written), err
}

func (j winspoolJob) EndPage() error { return call(procEndPage, uintptr(j.h)) }
func (j winspoolJob) EndDoc() error  { return call(procEndDoc, uintptr(j.h)) }
func (j winspoolJob) Abort() error   { return call(procAbort, uintptr(j.h)) }

//go:build windows

package printing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows prints through the Windows spooler. ZPL goes with the RAW
// datatype, which the spooler passes to the printer untouched, so the
// driver never renders ZPL as text; v4 drivers (which have no RAW path)
// take XPS_PASS, tried when RAW is refused. A label image (PNG) for an
// office printer, and a pick list's pages, are drawn through GDI at true
// size (gdi_windows.go). PDF is refused: the spooler would need a driver
// that renders PDF.
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
	procEnumPrinters = winspool.NewProc("EnumPrintersW")
	procGetPrinter   = winspool.NewProc("GetPrinterW")
	procGetJob       = winspool.NewProc("GetJobW")
	procSetJob       = winspool.NewProc("SetJobW")
)

// errorInvalidPrinterName is ERROR_INVALID_PRINTER_NAME: Windows has no
// printer of that name (a misspelling, a printer removed), which is not
// the same as a printer that is offline.
const errorInvalidPrinterName = syscall.Errno(1801)

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
	switch doc.Format {
	case PNG:
		return w.printImage(doc) // an office printer: through GDI
	case Pages:
		return w.printPages(doc)
	case ZPL:
	default:
		return fmt.Errorf("a Windows printer takes ZPL, or a label image through Windows; a %s needs a folder printer", doc.Format)
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
	h, err := w.open(name)
	if err != nil {
		return err
	}
	defer procClosePrinter.Call(uintptr(h))
	return spoolJob(winspoolJob{h: h}, w.Name, doc.Name, datatype, doc.Data)
}

// open opens the printer: a name Windows does not know is an error of its
// own; any other failure (the print server or the printer unreachable)
// is ErrPrinterOffline, so the job waits in the print queue.
func (w Windows) open(name *uint16) (syscall.Handle, error) {
	var h syscall.Handle
	if r, _, e := procOpenPrinter.Call(uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&h)), 0); r == 0 {
		if errors.Is(e, errorInvalidPrinterName) {
			return 0, fmt.Errorf("windows has no printer named %q: printer discover lists them", w.Name)
		}
		return 0, fmt.Errorf("%w: Windows cannot open printer %q (%v)", ErrPrinterOffline, w.Name, e)
	}
	return h, nil
}

// printerInfo2 is the start of PRINTER_INFO_2, as far as Packbench reads it.
type printerInfo2 struct {
	serverName, printerName, shareName, portName, driverName, comment, location *uint16
	devMode                                                                     uintptr
	sepFile, printProcessor, datatype, parameters                               *uint16
	securityDescriptor                                                          uintptr
	attributes, priority, defaultPriority, startTime, untilTime, status, jobs   uint32
	averagePPM                                                                  uint32
}

// The EnumPrinters flags: the printers on this computer and connected ones.
const (
	enumLocal       = 0x2
	enumConnections = 0x4
)

// WindowsPrinters lists the printers Windows has, local and connected.
func WindowsPrinters(ctx context.Context) ([]WindowsPrinter, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var needed, count uint32
	flags := uintptr(enumLocal | enumConnections)
	procEnumPrinters.Call(flags, 0, 2, 0, 0, uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&count)))
	if needed == 0 {
		return nil, nil
	}
	buf := make([]byte, needed)
	if r, _, e := procEnumPrinters.Call(flags, 0, 2, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed),
		uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&count))); r == 0 {
		return nil, fmt.Errorf("windows lists no printers: %v", e)
	}
	infos := unsafe.Slice((*printerInfo2)(unsafe.Pointer(&buf[0])), count)
	out := make([]WindowsPrinter, 0, count)
	for i := range infos {
		out = append(out, WindowsPrinter{Name: windows.UTF16PtrToString(infos[i].printerName), Driver: windows.UTF16PtrToString(infos[i].driverName),
			Port: windows.UTF16PtrToString(infos[i].portName), Problems: printerProblems(infos[i].attributes, infos[i].status)})
	}
	return out, nil
}

// Check asks Windows how the printer is: its problems (paused, offline,
// out of paper…), or that Windows has no printer of that name.
func (w Windows) Check(ctx context.Context) (ready bool, detail string, err error) {
	if err := ctx.Err(); err != nil {
		return false, "", err
	}
	name, err := syscall.UTF16PtrFromString(w.Name)
	if err != nil {
		return false, "", err
	}
	h, err := w.open(name)
	if err != nil {
		return false, "", err
	}
	defer procClosePrinter.Call(uintptr(h))
	var needed uint32
	procGetPrinter.Call(uintptr(h), 2, 0, 0, uintptr(unsafe.Pointer(&needed)))
	if needed == 0 {
		return false, "", fmt.Errorf("windows tells nothing about printer %q", w.Name)
	}
	buf := make([]byte, needed)
	if r, _, e := procGetPrinter.Call(uintptr(h), 2, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed), uintptr(unsafe.Pointer(&needed))); r == 0 {
		return false, "", fmt.Errorf("windows tells nothing about printer %q: %v", w.Name, e)
	}
	info := (*printerInfo2)(unsafe.Pointer(&buf[0]))
	if problems := printerProblems(info.attributes, info.status); len(problems) > 0 {
		return false, strings.Join(problems, ", "), nil
	}
	return true, "ready (as Windows sees it)", nil
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

func (j winspoolJob) StartDoc(name, datatype string) (uint32, error) {
	docName, _ := syscall.UTF16PtrFromString(name)
	dt, _ := syscall.UTF16PtrFromString(datatype)
	info := docInfo1{docName: docName, datatype: dt}
	r, _, e := procStartDoc.Call(uintptr(j.h), 1, uintptr(unsafe.Pointer(&info)))
	if r == 0 {
		return 0, e
	}
	return uint32(r), nil
}

// jobInfo1 is JOB_INFO_1 up to its Status.
type jobInfo1 struct {
	jobID                                                              uint32
	printerName, machineName, userName, document, datatype, statusText *uint16
	status                                                             uint32
}

// JobStatus asks GetJob; a job GetJob no longer finds has left the queue.
func (j winspoolJob) JobStatus(job uint32) (uint32, bool) {
	var needed uint32
	procGetJob.Call(uintptr(j.h), uintptr(job), 1, 0, 0, uintptr(unsafe.Pointer(&needed)))
	if needed < uint32(unsafe.Sizeof(jobInfo1{})) {
		return 0, true
	}
	buf := make([]byte, needed)
	if r, _, _ := procGetJob.Call(uintptr(j.h), uintptr(job), 1, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed), uintptr(unsafe.Pointer(&needed))); r == 0 {
		return 0, true
	}
	return (*jobInfo1)(unsafe.Pointer(&buf[0])).status, false
}

// DeleteJob is SetJob with JOB_CONTROL_DELETE.
func (j winspoolJob) DeleteJob(job uint32) error {
	const jobControlDelete = 5
	return call(procSetJob, uintptr(j.h), uintptr(job), 0, 0, jobControlDelete)
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

package printing

import (
	"errors"
	"fmt"
)

// spooler is the Windows spooler's job calls (winspool.drv), one method
// each, so that the order of calls and the checking of every result, which
// decide whether a refused job is reported, are one portable function
// (spoolJob) that tests drive on any system.
type spooler interface {
	StartDoc(name, datatype string) error
	StartPage() error
	Write(p []byte) (int, error)
	EndPage() error
	EndDoc() error
	// Abort deletes the job from the spooler (AbortPrinter).
	Abort() error
}

// errDatatypeRefused is StartDoc refusing the datatype: nothing was
// spooled, so another datatype may be tried without printing twice.
var errDatatypeRefused = errors.New("the printer's driver refused the job's datatype")

// spoolJob spools one document as one job of one page. A job is printed
// only if every call succeeded, EndPage and EndDoc included: the spooler
// refuses a job there (a paused queue that rejects, a full spool disk). A
// job that failed after StartDoc is aborted, so no half job is left to
// print later.
func spoolJob(s spooler, printer, name, datatype string, data []byte) error {
	if err := s.StartDoc(name, datatype); err != nil {
		return fmt.Errorf("%w: printer %q, %s: %v", errDatatypeRefused, printer, datatype, err)
	}
	fail := func(step string, err error) error {
		if aerr := s.Abort(); aerr != nil {
			return fmt.Errorf("printer %q: %s failed (%v), and the job could not be cancelled (%v): check the printer's queue", printer, step, err, aerr)
		}
		return fmt.Errorf("printer %q: %s failed, the job was cancelled: %v", printer, step, err)
	}
	if err := s.StartPage(); err != nil {
		return fail("starting the page", err)
	}
	n, err := s.Write(data)
	if err == nil && n != len(data) {
		err = fmt.Errorf("took %d of %d bytes", n, len(data))
	}
	if err != nil {
		return fail("sending the label", err)
	}
	if err := s.EndPage(); err != nil {
		return fail("ending the page", err)
	}
	if err := s.EndDoc(); err != nil {
		return fail("ending the job", err)
	}
	return nil
}

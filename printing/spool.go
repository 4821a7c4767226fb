package printing

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// spooler is the Windows spooler's job calls (winspool.drv), one method
// each, so that the order of calls and the checking of every result, which
// decide whether a refused job is reported, are one portable function
// (spoolJob) that tests drive on any system.
type spooler interface {
	// StartDoc starts a job and returns its id in the printer's queue.
	StartDoc(name, datatype string) (job uint32, err error)
	StartPage() error
	Write(p []byte) (int, error)
	EndPage() error
	EndDoc() error
	// Abort deletes the job from the spooler (AbortPrinter).
	Abort() error
	// JobStatus is the job's JOB_STATUS bits while it is in the queue;
	// gone once it has left it (printed, or handed to the printer).
	JobStatus(job uint32) (status uint32, gone bool)
	// DeleteJob takes a job off the queue (SetJob JOB_CONTROL_DELETE).
	DeleteJob(job uint32) error
}

// The JOB_STATUS bits that say a job is not printing and will not by
// itself: the printer is offline, out of paper, jammed or otherwise needs
// someone (winspool.h).
const (
	jobStatusError            = 0x2
	jobStatusOffline          = 0x20
	jobStatusPaperOut         = 0x40
	jobStatusPrinted          = 0x80
	jobStatusBlocked          = 0x200
	jobStatusUserIntervention = 0x400
	jobStatusComplete         = 0x1000
)

// jobWatch is how long a job is watched after it is spooled, and how
// often: long enough for Windows to find a printer offline or out of
// paper, short enough not to hold up the packer.
var jobWatch = struct{ wait, every time.Duration }{2 * time.Second, 100 * time.Millisecond}

// jobProblem says in words what holds a job, or "" when nothing does.
func jobProblem(status uint32) string {
	var p []string
	for _, s := range []struct {
		bit  uint32
		what string
	}{
		{jobStatusOffline, "the printer is offline"},
		{jobStatusPaperOut, "the printer is out of paper"},
		{jobStatusUserIntervention, "the printer needs someone (a jam, an open cover)"},
		{jobStatusBlocked, "an earlier job is stuck in the queue"},
		{jobStatusError, "the printer reported an error"},
	} {
		if status&s.bit != 0 {
			p = append(p, s.what)
		}
	}
	return strings.Join(p, ", ")
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
	job, err := s.StartDoc(name, datatype)
	if err != nil {
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
	return watchJob(s, printer, job)
}

// watchJob follows a spooled job for a moment. A job the queue holds
// because the printer cannot print it (offline, out of paper, jammed) is
// taken off the queue and reported, wrapping ErrPrinterOffline, so that
// Packbench's own queue sends it again when the printer is back: left in
// Windows' queue it would print then too, and the label would come twice.
// A job that leaves the queue, is printed, or waits with no problem (a
// paused queue, a busy printer) is the spooler's to print.
func watchJob(s spooler, printer string, job uint32) error {
	deadline := time.Now().Add(jobWatch.wait)
	for {
		status, gone := s.JobStatus(job)
		if gone || status&(jobStatusPrinted|jobStatusComplete) != 0 {
			return nil
		}
		if problem := jobProblem(status); problem != "" {
			if err := s.DeleteJob(job); err != nil {
				return fmt.Errorf("printer %q refused the label: %s; the job could not be taken off Windows' queue (%v), so it may print when the printer is back: check the queue before printing it again", printer, problem, err)
			}
			return fmt.Errorf("%w: printer %q refused the label: %s (the job was taken off Windows' queue, so it prints once, when it is sent again)", ErrPrinterOffline, printer, problem)
		}
		if time.Now().After(deadline) {
			return nil
		}
		time.Sleep(jobWatch.every)
	}
}

package sim

import (
	"net/http"
	"time"
)

// FaultKind names what goes wrong.
type FaultKind string

const (
	FaultStatus    FaultKind = "status"    // answer with Status (500 or 503 by default) and Amazon's error body
	FaultLatency   FaultKind = "latency"   // wait Latency (real time) before the operation; a client gone by then buys nothing
	FaultDrop      FaultKind = "drop"      // close the connection without an answer
	FaultMalformed FaultKind = "malformed" // answer 200 with a truncated JSON body
	// After the operation took effect (a label is bought): answer after
	// Latency, or close the connection without an answer.
	FaultAnswerLate FaultKind = "answer_late"
	FaultAnswerLost FaultKind = "answer_lost"
	// Report faults are taken by the next createReport of the operation "createReport".
	FaultReportFatal     FaultKind = "report_fatal"
	FaultReportCancelled FaultKind = "report_cancelled"
)

// Fault is one injected failure for an operation ("getRates", "lwaToken", ...).
type Fault struct {
	Kind    FaultKind     `json:"kind"`
	Status  int           `json:"status,omitempty"`
	Latency time.Duration `json:"latency,omitempty"`
	// Times is how many requests it hits; 0 means every request until cleared.
	Times int `json:"times,omitempty"`
}

// SetFault adds a fault to an operation.
func (s *Sim) SetFault(op string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], &f)
}

// ClearFaults removes every fault.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]*Fault{}
}

// takeFault returns the first fault of op whose kind is in kinds, counting it down.
func (s *Sim) takeFault(op string, kinds ...FaultKind) *Fault {
	for i, f := range s.faults[op] {
		match := len(kinds) == 0
		for _, k := range kinds {
			match = match || f.Kind == k
		}
		if !match {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults[op] = append(s.faults[op][:i:i], s.faults[op][i+1:]...)
			}
		}
		return f
	}
	return nil
}

// applyFault acts out a transport-level fault; it reports whether the
// request is answered (or dropped) already.
func (s *Sim) applyFault(op string, w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	f := s.takeFault(op, FaultStatus, FaultLatency, FaultDrop, FaultMalformed)
	if f != nil {
		s.stat(op).Faulted++
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	switch f.Kind {
	case FaultLatency:
		select {
		case <-time.After(f.Latency):
			return false
		case <-r.Context().Done():
			return true // the client went away first: the operation never happens
		}
	case FaultDrop:
		dropConnection(w)
		return true
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"payload": {"rates": [{"rateId": `))
		return true
	default:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		code, msg := "InternalFailure", "We encountered an internal error. Please try again."
		switch status {
		case http.StatusServiceUnavailable:
			msg = "Service temporarily unavailable. Please try again."
		case http.StatusTooManyRequests:
			code, msg = "QuotaExceeded", "You exceeded your quota for the requested resource."
		}
		writeJSON(w, status, errorList(code, msg, ""))
		return true
	}
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

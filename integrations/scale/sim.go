package scale

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Sim plays a serial scale on a port (a pty in tests and demos, see
// cmd/scale-sim): it answers requests (MT-SICS, NCI) or sends readings by
// itself (CAS), the weight and state coming from Now at each answer.
type Sim struct {
	Protocol Protocol
	Now      func() Reading
	// Every is how often a CAS scale sends (default 100 ms).
	Every time.Duration
}

// Serve answers on port until ctx ends or the port closes.
func (s Sim) Serve(ctx context.Context, port io.ReadWriter) error {
	if s.Protocol == CAS {
		every := s.Every
		if every <= 0 {
			every = 100 * time.Millisecond
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				if _, err := port.Write(s.answer()); err != nil {
					return err
				}
			}
		}
	}
	buf := make([]byte, 64)
	var pending []byte
	for ctx.Err() == nil {
		n, err := port.Read(buf)
		if err != nil {
			return err
		}
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.IndexByte(pending, '\r')
			if i < 0 {
				break
			}
			cmd := strings.TrimSpace(string(pending[:i]))
			pending = pending[i+1:]
			if cmd == "" {
				continue
			}
			if _, err := port.Write(s.reply(cmd)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s Sim) reply(cmd string) []byte {
	switch {
	case s.Protocol == SICS && (cmd == "SI" || cmd == "S"):
		return s.answer()
	case s.Protocol == NCI && cmd == "W":
		return s.answer()
	case s.Protocol == SICS:
		return []byte("ES\r\n") // MT-SICS: syntax error
	}
	return []byte("?\r") // NCI: unrecognised command
}

// answer is the current reading as the protocol writes it.
func (s Sim) answer() []byte {
	r := s.Now()
	kg := r.Weight.Grams() / 1000
	switch s.Protocol {
	case SICS:
		switch r.State {
		case Overload:
			return []byte("S +\r\n")
		case Underload:
			return []byte("S -\r\n")
		case Motion:
			return fmt.Appendf(nil, "S D %10.3f kg\r\n", kg)
		}
		return fmt.Appendf(nil, "S S %10.3f kg\r\n", kg)
	case NCI:
		b1, b2 := byte(0x30), byte(0x30)
		weight := fmt.Sprintf("%8.3fkg", kg)
		switch r.State {
		case Motion:
			b1 |= 0x01
		case Zero:
			b1 |= 0x02
		case Underload:
			b2 |= 0x01
		case Overload:
			b2 |= 0x02
			weight = "^^^^^^^^"
		case Fault:
			b2 |= 0x08
		}
		return fmt.Appendf(nil, "\n%s\r\nS%c%c\r\x03", weight, b1, b2)
	}
	state := "ST"
	switch r.State {
	case Motion:
		state = "US"
	case Overload:
		return []byte("OL,GS,\r\n")
	}
	return fmt.Appendf(nil, "%s,GS,%8.3fkg\r\n", state, kg)
}

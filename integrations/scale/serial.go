package scale

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.bug.st/serial"

	"github.com/packbench/packbench/station"
)

// Serial is a scale on a serial port (or a USB serial adapter: COM3,
// /dev/ttyUSB0, /dev/cu.usbserial-…).
type Serial struct {
	Protocol Protocol
	// Every is how often a scale that answers requests (MT-SICS, NCI) is
	// asked (DefaultEvery): often enough to follow a parcel settling,
	// not so often that the scale's answers queue up.
	Every   time.Duration
	port    io.ReadWriteCloser
	pending []byte    // read past the last answer's end
	asked   time.Time // the last request
}

// DefaultEvery is how often a serial scale is asked for its weight.
const DefaultEvery = 200 * time.Millisecond

// DefaultBaud is the speed most bench scales ship set to: 9600 baud, 8
// data bits, no parity, 1 stop bit.
const DefaultBaud = 9600

// readTimeout bounds one answer: a scale answers within a few hundred
// milliseconds; one that does not is switched off or on another port.
// The port itself waits at most pollTimeout per read, so a stop is seen.
const (
	readTimeout = 2 * time.Second
	pollTimeout = 100 * time.Millisecond
)

// OpenSerial opens a serial scale (go.bug.st/serial: Linux, Windows and
// macOS ports alike).
func OpenSerial(name string, p Protocol, baud int) (*Serial, error) {
	if baud <= 0 {
		baud = DefaultBaud
	}
	port, err := serial.Open(name, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, fmt.Errorf("no scale on %s: %w", name, err)
	}
	if err := port.SetReadTimeout(pollTimeout); err != nil {
		port.Close()
		return nil, err
	}
	return NewSerial(port, p), nil
}

// NewSerial reads a scale over an open port (a test gives a pty).
func NewSerial(port io.ReadWriteCloser, p Protocol) *Serial {
	return &Serial{Protocol: p, Every: DefaultEvery, port: port}
}

// Close closes the port.
func (s *Serial) Close() error { return s.port.Close() }

// ErrNoAnswer is a scale that did not answer in time.
var ErrNoAnswer = errors.New("the scale does not answer: is it on, on this port, at this speed and protocol?")

// Read asks for one reading and decodes the answer. A CAS scale sends by
// itself: its next whole line is read (a line cut by the start of
// reading is skipped).
func (s *Serial) Read(ctx context.Context) (Reading, error) {
	if err := ctx.Err(); err != nil {
		return Reading{}, err
	}
	if req := s.Protocol.Request(); req != nil {
		if wait := time.Until(s.asked.Add(s.Every)); wait > 0 {
			select {
			case <-ctx.Done():
				return Reading{}, ctx.Err()
			case <-time.After(wait):
			}
		}
		s.asked = time.Now()
		if _, err := s.port.Write(req); err != nil {
			return Reading{}, fmt.Errorf("asking the scale: %w", err)
		}
	}
	var lastErr error
	for tries := 0; tries < 3; tries++ {
		answer, err := s.readAnswer()
		if err != nil {
			return Reading{}, err
		}
		r, err := s.Protocol.Decode(answer)
		if err == nil {
			return r, nil
		}
		lastErr = err
		if s.Protocol.Request() != nil {
			break // an asked-for answer that does not decode is wrong, not cut
		}
	}
	return Reading{}, lastErr
}

// readAnswer reads up to the protocol's end byte within readTimeout. A
// serial port's read returns nothing when its own timeout passes.
func (s *Serial) readAnswer() ([]byte, error) {
	deadline := time.Now().Add(readTimeout)
	buf := make([]byte, 256)
	for {
		if i := bytes.IndexByte(s.pending, s.Protocol.End()); i >= 0 {
			answer := s.pending[: i+1 : i+1]
			s.pending = append([]byte(nil), s.pending[i+1:]...)
			return answer, nil
		}
		if time.Now().After(deadline) {
			s.pending = nil
			return nil, ErrNoAnswer
		}
		n, err := s.port.Read(buf)
		s.pending = append(s.pending, buf[:n]...)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("reading the scale: %w", err)
		}
		if n == 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// Open opens a bench's scale as its settings say: the station's opener.
// Protocol "hid" is a USB HID scale at Port ("" or "hid": the first found).
func Open(cfg station.ScaleConfig) (station.Scale, error) {
	if cfg.Protocol == "hid" {
		path := cfg.Port
		if path == "hid" {
			path = ""
		}
		h, err := OpenHID(path)
		if err != nil {
			return nil, err
		}
		return stationScale{h}, nil
	}
	p, err := ParseProtocol(cfg.Protocol)
	if err != nil {
		return nil, err
	}
	s, err := OpenSerial(cfg.Port, p, cfg.Baud)
	if err != nil {
		return nil, err
	}
	return stationScale{s}, nil
}

// Ports lists where a scale may be: the USB HID scales found, then the
// serial ports this computer has.
func Ports() ([]string, error) {
	hid, _ := HIDScales()
	ports, err := serial.GetPortsList()
	return append(hid, ports...), err
}

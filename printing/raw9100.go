package printing

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Raw9100 sends documents byte for byte to a printer's raw TCP port (9100
// on Zebra printers and their clones): ZPL goes to the printer unchanged,
// never through a driver that would print it as text or scale it.
type Raw9100 struct {
	Addr    string        // host:port; the port defaults to 9100
	Timeout time.Duration // connect and write deadline (default 10 s)
	// Dial is for tests; nil dials TCP.
	Dial func(ctx context.Context, addr string) (net.Conn, error)
}

// ErrPrinterOffline means the printer did not take the connection: the
// job is kept and sent again when it is back.
var ErrPrinterOffline = errors.New("the printer does not answer")

func (p Raw9100) addr() string {
	if _, _, err := net.SplitHostPort(p.Addr); err != nil {
		return net.JoinHostPort(p.Addr, "9100")
	}
	return p.Addr
}

// connect dials the printer and gives the connection a deadline of
// p.Timeout (else def) for everything that follows: a printer that stops
// reading or answering cannot hang the bench.
func (p Raw9100) connect(ctx context.Context, def time.Duration) (net.Conn, error) {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = def
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dial := p.Dial
	if dial == nil {
		var d net.Dialer
		dial = func(ctx context.Context, addr string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) }
	}
	conn, err := dial(ctx, p.addr())
	if err != nil {
		return nil, fmt.Errorf("%w at %s: is it on and on the network? (%v)", ErrPrinterOffline, p.addr(), err)
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	return conn, nil
}

// Print writes the document and closes the connection, which ends the job.
func (p Raw9100) Print(ctx context.Context, doc Document) error {
	if len(doc.Data) == 0 {
		return errors.New("nothing to print: the document is empty")
	}
	if doc.Format != ZPL {
		return fmt.Errorf("a raw 9100 printer takes ZPL; this %s label needs a CUPS or folder printer (or ZPL from Amazon)", doc.Format)
	}
	conn, err := p.connect(ctx, 10*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	for data := doc.Data; len(data) > 0; {
		n, err := conn.Write(data)
		if err != nil {
			return fmt.Errorf("the printer at %s stopped taking the label after %d bytes: %w", p.addr(), len(doc.Data)-len(data)+n, err)
		}
		data = data[n:]
	}
	return nil
}

// Status is what a ZPL printer says of itself when asked (~HS).
type Status struct {
	Answered bool     // false: the printer took the connection but said nothing (many clones)
	Problems []string // e.g. "out of paper", "head open"; empty when ready
}

// Status asks the printer for its host status (~HS) and reads the three
// answer lines. Printers that do not answer within the timeout report
// Answered false: that is not an error, printing may still work.
func (p Raw9100) Status(ctx context.Context) (Status, error) {
	conn, err := p.connect(ctx, 2*time.Second)
	if err != nil {
		return Status{}, err
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("~HS")); err != nil {
		return Status{}, fmt.Errorf("%w at %s: %v", ErrPrinterOffline, p.addr(), err)
	}
	var buf []byte
	chunk := make([]byte, 512)
	for strings.Count(string(buf), "\x03") < 3 && len(buf) < 4096 {
		n, err := conn.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			break
		}
	}
	return parseHostStatus(string(buf)), nil
}

// parseHostStatus reads ~HS's answer: three STX…ETX framed lines of
// comma-separated flags (ZPL manual, ~HS).
func parseHostStatus(s string) Status {
	var lines [][]string
	for _, part := range strings.Split(s, "\x03") {
		if i := strings.IndexByte(part, '\x02'); i >= 0 {
			lines = append(lines, strings.Split(strings.TrimSpace(part[i+1:]), ","))
		}
	}
	if len(lines) < 2 {
		return Status{}
	}
	st := Status{Answered: true}
	flag := func(line, field int, problem string) {
		if line < len(lines) && field < len(lines[line]) && strings.TrimSpace(lines[line][field]) == "1" {
			st.Problems = append(st.Problems, problem)
		}
	}
	flag(0, 1, "out of paper")
	flag(0, 2, "paused")
	flag(0, 5, "its receive buffer is full")
	flag(0, 9, "its RAM is corrupt")
	flag(0, 10, "too cold")
	flag(0, 11, "too hot")
	flag(1, 2, "head open")
	flag(1, 3, "out of ribbon")
	return st
}

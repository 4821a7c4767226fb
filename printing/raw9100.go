package printing

import (
	"context"
	"errors"
	"fmt"
	"net"
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

// Print writes the document and closes the connection, which ends the job.
func (p Raw9100) Print(ctx context.Context, doc Document) error {
	if len(doc.Data) == 0 {
		return errors.New("nothing to print: the document is empty")
	}
	if doc.Format != ZPL {
		return fmt.Errorf("a raw 9100 printer takes ZPL; this %s label needs a CUPS or folder printer (or ZPL from Amazon)", doc.Format)
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
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
		return fmt.Errorf("%w at %s: is it on and on the network? (%v)", ErrPrinterOffline, p.addr(), err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetWriteDeadline(deadline)
	for data := doc.Data; len(data) > 0; {
		n, err := conn.Write(data)
		if err != nil {
			return fmt.Errorf("the printer at %s stopped taking the label after %d bytes: %w", p.addr(), len(doc.Data)-len(data)+n, err)
		}
		data = data[n:]
	}
	return nil
}

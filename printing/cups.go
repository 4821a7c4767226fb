package printing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	ipp "github.com/phin1x/go-ipp"
)

// CUPS prints through a CUPS server over IPP. ZPL goes as
// application/vnd.cups-raw, which CUPS hands to the printer untouched: a
// driver never gets the chance to print the ZPL as text. PDF goes as
// application/pdf with scaling off, so a 4x6 label is not shrunk to fit.
type CUPS struct {
	Server  string // host[:port]; "" means $CUPS_SERVER, else localhost:631
	Queue   string
	User    string        // requesting user name; "" means the OS user
	Timeout time.Duration // per request (default 30 s): the IPP library ignores contexts
}

// CUPSQueue is one queue a CUPS server offers.
type CUPSQueue struct {
	Name     string `json:"name"`
	Info     string `json:"info,omitempty"`
	Model    string `json:"model,omitempty"`
	Device   string `json:"device,omitempty"`
	State    string `json:"state"` // idle, printing, stopped
	Accepts  bool   `json:"acceptingJobs"`
	Location string `json:"location,omitempty"`
}

func (c CUPS) client() (*ipp.CUPSClient, string, error) {
	server := c.Server
	if server == "" {
		server = os.Getenv("CUPS_SERVER")
	}
	if server == "" || strings.HasPrefix(server, "/") {
		// A socket path in CUPS_SERVER: the local scheduler also listens on loopback.
		server = "localhost:631"
	}
	host, portText, err := net.SplitHostPort(server)
	if err != nil {
		host, portText = server, "631"
	}
	port, err := strconv.Atoi(portText)
	if err != nil || host == "" {
		return nil, "", fmt.Errorf("CUPS server %q: give it as host or host:port, e.g. localhost:631", server)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	user := c.User
	if user == "" {
		user = os.Getenv("USER")
	}
	if user == "" {
		user = "packbench"
	}
	adapter := ipp.NewHttpAdapter(host, port, "", "", false, ipp.WithHttpClient(&http.Client{Timeout: timeout}))
	return ipp.NewCUPSClientWithAdapter(user, adapter), net.JoinHostPort(host, strconv.Itoa(port)), nil
}

// Print sends the document as one job and returns once CUPS has accepted
// it: from then on CUPS keeps it (and retries an offline printer itself).
func (c CUPS) Print(ctx context.Context, doc Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(doc.Data) == 0 {
		return errors.New("nothing to print: the document is empty")
	}
	if c.Queue == "" {
		return errors.New("a CUPS printer needs its queue name: see packbench printers --discover")
	}
	attrs := map[string]any{}
	var mime string
	switch doc.Format {
	case ZPL:
		mime = "application/vnd.cups-raw"
	case PDF:
		mime = "application/pdf"
		attrs[ipp.AttributePrintScaling] = "none"
	case PNG:
		return errors.New("a PNG label goes to a CUPS printer as PDF or ZPL: set the printer's format")
	default:
		return fmt.Errorf("unknown document format %q", doc.Format)
	}
	client, server, err := c.client()
	if err != nil {
		return err
	}
	_, err = client.PrintJobContext(ctx, ipp.Document{
		Document: bytes.NewReader(doc.Data),
		Size:     len(doc.Data),
		Name:     doc.Name,
		MimeType: mime,
	}, c.Queue, attrs)
	if err != nil {
		return cupsError(server, c.Queue, err)
	}
	return nil
}

// Queues lists the server's queues, sorted by name.
func (c CUPS) Queues(ctx context.Context) ([]CUPSQueue, error) {
	client, server, err := c.client()
	if err != nil {
		return nil, err
	}
	printers, err := client.GetPrintersContext(ctx, []string{
		ipp.AttributePrinterInfo, ipp.AttributePrinterMakeAndModel, ipp.AttributeDeviceURI,
		ipp.AttributePrinterState, ipp.AttributePrinterIsAcceptingJobs, ipp.AttributePrinterLocation,
	})
	if err != nil {
		return nil, cupsError(server, "", err)
	}
	queues := make([]CUPSQueue, 0, len(printers))
	for name, a := range printers {
		q := CUPSQueue{
			Name:     name,
			Info:     attrString(a, ipp.AttributePrinterInfo),
			Model:    attrString(a, ipp.AttributePrinterMakeAndModel),
			Device:   attrString(a, ipp.AttributeDeviceURI),
			Location: attrString(a, ipp.AttributePrinterLocation),
			State:    "unknown",
		}
		if v, ok := a[ipp.AttributePrinterIsAcceptingJobs]; ok && len(v) > 0 {
			q.Accepts, _ = v[0].Value.(bool)
		}
		if v, ok := a[ipp.AttributePrinterState]; ok && len(v) > 0 {
			switch v[0].Value {
			case 3:
				q.State = "idle"
			case 4:
				q.State = "printing"
			case 5:
				q.State = "stopped"
			}
		}
		queues = append(queues, q)
	}
	sort.Slice(queues, func(i, j int) bool { return queues[i].Name < queues[j].Name })
	return queues, nil
}

func attrString(a ipp.Attributes, name string) string {
	if v, ok := a[name]; ok && len(v) > 0 {
		if s, ok := v[0].Value.(string); ok {
			return s
		}
	}
	return ""
}

func cupsError(server, queue string, err error) error {
	var netErr net.Error
	var opErr *net.OpError
	if errors.As(err, &opErr) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return fmt.Errorf("%w: the CUPS server at %s does not answer; is CUPS running? (%v)", ErrPrinterOffline, server, err)
	}
	var ippErr ipp.IPPError
	if errors.As(err, &ippErr) && queue != "" && ippErr.Status == ipp.StatusErrorNotFound {
		return fmt.Errorf("the CUPS server at %s has no queue %q: see packbench printers --discover", server, queue)
	}
	if queue != "" {
		return fmt.Errorf("CUPS queue %q at %s refused the job: %w", queue, server, err)
	}
	return fmt.Errorf("CUPS server at %s: %w", server, err)
}

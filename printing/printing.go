// Package printing sends documents to printers (raw TCP 9100, CUPS/IPP,
// the Windows spooler, a folder), converts labels only where the printer
// needs another format (PNG -> ZPL, ZPL -> PNG for previews, labels ->
// PDF at true size), removes carrier ZPL that would change printer
// settings, and lays out packing slips and pick lists (docs/architecture.md, "Printing"). The
// persistent queue lives in the station, which calls this through cli.
package printing

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Format is a document's wire format.
type Format string

const (
	ZPL Format = "zpl"
	PDF Format = "pdf"
	PNG Format = "png"
	// Pages are whole sheets drawn as images (a pick list for a Windows
	// office printer, which Windows draws page by page): see PageDPI.
	Pages Format = "pages"
)

// Document is one thing to print.
type Document struct {
	Name   string // e.g. "label-113-1234567-7654321"; used in file names and job titles
	Format Format
	Paper  Paper // for a PDF: the sheet it is laid out on; "" is a 4x6 label
	Data   []byte
}

// Printer delivers a document; it returns only once the printer (or folder)
// has all of its bytes, so the queue can mark the job printed.
type Printer interface {
	Print(ctx context.Context, doc Document) error
}

// Folder "prints" by writing files into a directory.
type Folder struct {
	Dir string
	now func() time.Time
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Print writes the document as <Dir>/<UTC time>-<name>.<format>. The file
// appears whole or not at all (written aside, then renamed), so a tool that
// watches the folder never picks up half a label.
func (f Folder) Print(ctx context.Context, doc Document) error {
	_, err := f.Write(ctx, doc)
	return err
}

// Write is Print that returns the file written: Packbench remembers it, to
// remove it when the buyer's data is erased or redacted.
func (f Folder) Write(ctx context.Context, doc Document) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if len(doc.Data) == 0 {
		return "", errors.New("nothing to print: the document is empty")
	}
	switch doc.Format {
	case ZPL, PDF, PNG:
	default:
		return "", fmt.Errorf("unknown document format %q", doc.Format)
	}
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return "", fmt.Errorf("printer folder %s: %w", f.Dir, err)
	}
	now := time.Now
	if f.now != nil {
		now = f.now
	}
	name := strings.Trim(unsafeName.ReplaceAllString(doc.Name, "_"), "._")
	if name == "" {
		name = "document"
	}
	base := fmt.Sprintf("%s-%s", now().UTC().Format("20060102T150405.000Z"), name)
	tmp, err := os.CreateTemp(f.Dir, ".printing-*")
	if err != nil {
		return "", fmt.Errorf("printer folder %s: %w", f.Dir, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(doc.Data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	// Renamed into place, which every file system does (a hard link fails on
	// FAT and exFAT sticks and many network shares). A name already taken
	// gets a number: two jobs in the same millisecond both survive (the
	// check and the rename are one step for this process; another process
	// would have to print the same document in the same millisecond).
	folderRename.Lock()
	defer folderRename.Unlock()
	final := filepath.Join(f.Dir, base+"."+string(doc.Format))
	for i := 2; i < 1000; i++ {
		if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
			if err := os.Rename(tmp.Name(), final); err != nil {
				return "", fmt.Errorf("printer folder %s: %w", f.Dir, err)
			}
			// Absolute: erase finds it from any working directory, even
			// when the data dir was given as a relative path.
			if abs, err := filepath.Abs(final); err == nil {
				final = abs
			}
			return final, nil
		}
		final = filepath.Join(f.Dir, fmt.Sprintf("%s-%d.%s", base, i, doc.Format))
	}
	return "", fmt.Errorf("printer folder %s: too many files named %s", f.Dir, base)
}

// folderRename makes a folder printer's name check and rename one step.
var folderRename sync.Mutex

// FormatOf maps a label format name (ZPL203, ZPL300, PDF, PDF_LETTER,
// PDF_A4, PNG) to a document format.
func FormatOf(labelFormat string) (Format, error) {
	switch labelFormat {
	case "ZPL203", "ZPL300":
		return ZPL, nil
	case "PDF", "PDF_LETTER", "PDF_A4":
		return PDF, nil
	case "PNG":
		return PNG, nil
	case "PAGES":
		return Pages, nil
	}
	return "", fmt.Errorf("unknown label format %q: ZPL203, ZPL300, PDF, PDF_LETTER, PDF_A4 or PNG", labelFormat)
}

// NewDocument makes a document from a label format name and its bytes; an
// unknown format is an error (it was once taken for ZPL).
func NewDocument(name, labelFormat string, data []byte) (Document, error) {
	f, err := FormatOf(labelFormat)
	if err != nil {
		return Document{}, err
	}
	d := Document{Name: name, Format: f, Data: data}
	if d.Format == PDF {
		d.Paper = paperOf(Takes(labelFormat))
	}
	return d, nil
}

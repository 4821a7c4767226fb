//go:build windows

package printing

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/png" // Amazon's label images
	"math"
	"syscall"
	"unsafe"
)

// A label for an office printer goes through Windows GDI: the printer's
// driver gets a page of the paper asked for (Letter, A4 or 4×6) and the
// label image drawn at its true size in the printer's own dots, 0.5 inch
// from the top-left corner of a sheet, as the PDF path places it. Nothing
// is scaled to fit; a label that does not fit the paper is refused. A pick
// list comes as page images of whole sheets (Pages), drawn the same way.

var (
	gdi32             = syscall.NewLazyDLL("gdi32.dll")
	procCreateDC      = gdi32.NewProc("CreateDCW")
	procDeleteDC      = gdi32.NewProc("DeleteDC")
	procGetDeviceCaps = gdi32.NewProc("GetDeviceCaps")
	procStartDocGDI   = gdi32.NewProc("StartDocW")
	procEndDocGDI     = gdi32.NewProc("EndDoc")
	procAbortDocGDI   = gdi32.NewProc("AbortDoc")
	procStartPageGDI  = gdi32.NewProc("StartPage")
	procEndPageGDI    = gdi32.NewProc("EndPage")
	procStretchDIBits = gdi32.NewProc("StretchDIBits")
	procDocumentProps = winspool.NewProc("DocumentPropertiesW")
)

// GetDeviceCaps indexes, DEVMODE fields and flags used here.
const (
	capLogPixelsX      = 88
	capLogPixelsY      = 90
	capPhysicalOffsetX = 112
	capPhysicalOffsetY = 113

	dmOutBuffer = 2
	dmInBuffer  = 8

	dmFieldOrientation = 0x1
	dmFieldPaperSize   = 0x2
	dmFieldPaperLength = 0x4
	dmFieldPaperWidth  = 0x8

	// Offsets in DEVMODEW: after 32 UTF-16 units of device name, four
	// WORDs, then dmFields and the printer fields.
	devmodeFields      = 72
	devmodeOrientation = 76
	devmodePaperSize   = 78
	devmodePaperLength = 80
	devmodePaperWidth  = 82
)

type docInfoW struct {
	size     int32
	docName  *uint16
	output   *uint16
	datatype *uint16
	type_    uint32
}

type bitmapInfoHeader struct {
	size                         uint32
	width, height                int32
	planes, bitCount             uint16
	compression, sizeImage       uint32
	xPelsPerMeter, yPelsPerMeter int32
	clrUsed, clrImportant        uint32
}

// devmodeFor is the printer's default DEVMODE set to the paper, portrait.
func (w Windows) devmodeFor(name *uint16, paper Paper) ([]byte, error) {
	h, err := w.open(name)
	if err != nil {
		return nil, err
	}
	defer procClosePrinter.Call(uintptr(h))
	size, _, _ := procDocumentProps.Call(0, uintptr(h), uintptr(unsafe.Pointer(name)), 0, 0, 0)
	if int32(size) <= devmodePaperWidth+2 {
		return nil, fmt.Errorf("printer %q has no settings to set the paper in", w.Name)
	}
	dm := make([]byte, size)
	if r, _, e := procDocumentProps.Call(0, uintptr(h), uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&dm[0])), 0, dmOutBuffer); int32(r) < 0 {
		return nil, fmt.Errorf("printer %q settings: %v", w.Name, e)
	}
	put16 := func(off int, v uint16) { dm[off], dm[off+1] = byte(v), byte(v>>8) }
	fields := uint32(dm[devmodeFields]) | uint32(dm[devmodeFields+1])<<8 | uint32(dm[devmodeFields+2])<<16 | uint32(dm[devmodeFields+3])<<24
	fields |= dmFieldOrientation | dmFieldPaperSize
	put16(devmodeOrientation, 1) // portrait
	switch paper {
	case PaperLetter:
		put16(devmodePaperSize, 1) // DMPAPER_LETTER
	case PaperA4:
		put16(devmodePaperSize, 9) // DMPAPER_A4
	default: // a 4×6 label, in tenths of a millimetre
		put16(devmodePaperSize, 256) // DMPAPER_USER
		put16(devmodePaperWidth, 1016)
		put16(devmodePaperLength, 1524)
		fields |= dmFieldPaperLength | dmFieldPaperWidth
	}
	for i := range 4 {
		dm[devmodeFields+i] = byte(fields >> (8 * i))
	}
	if r, _, e := procDocumentProps.Call(0, uintptr(h), uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&dm[0])),
		uintptr(unsafe.Pointer(&dm[0])), dmInBuffer|dmOutBuffer); int32(r) < 0 {
		return nil, fmt.Errorf("printer %q refuses %s paper: %v", w.Name, paper, e)
	}
	return dm, nil
}

// printImage prints a label image through GDI at its true size.
func (w Windows) printImage(doc Document) error {
	img, _, err := image.Decode(bytes.NewReader(doc.Data))
	if err != nil {
		return fmt.Errorf("the label image cannot be read: %w", err)
	}
	paper := doc.Paper
	if paper == "" {
		paper = Paper4x6
	}
	x, y, lw, lh, err := labelPlacement(img.Bounds(), 0, paper)
	if err != nil {
		return err
	}
	return w.drawPages(doc.Name, paper, []gdiPage{{img: img, x: x, y: y, w: lw, h: lh}})
}

// printPages prints page images (a pick list), each over its whole sheet.
func (w Windows) printPages(doc Document) error {
	imgs, err := DecodePages(doc.Data, doc.Paper)
	if err != nil {
		return err
	}
	pw, ph, err := doc.Paper.size()
	if err != nil {
		return err
	}
	pages := make([]gdiPage, len(imgs))
	for i, img := range imgs {
		pages[i] = gdiPage{img: img, w: pw, h: ph}
	}
	return w.drawPages(doc.Name, doc.Paper, pages)
}

// gdiPage is one page of a job: an image and where it goes on the sheet,
// in inches.
type gdiPage struct {
	img        image.Image
	x, y, w, h float64
}

// drawPages prints the pages as one job, each image stretched to its
// place in the printer's own dots (LOGPIXELS), measured from the sheet's
// corner (PHYSICALOFFSET is where the printable area starts).
func (w Windows) drawPages(docName string, paper Paper, pages []gdiPage) error {
	name, err := syscall.UTF16PtrFromString(w.Name)
	if err != nil {
		return err
	}
	dm, err := w.devmodeFor(name, paper)
	if err != nil {
		return err
	}
	driver, _ := syscall.UTF16PtrFromString("WINSPOOL")
	hdc, _, e := procCreateDC.Call(uintptr(unsafe.Pointer(driver)), uintptr(unsafe.Pointer(name)), 0, uintptr(unsafe.Pointer(&dm[0])))
	if hdc == 0 {
		return fmt.Errorf("%w: Windows cannot draw on printer %q (%v)", ErrPrinterOffline, w.Name, e)
	}
	defer procDeleteDC.Call(hdc)
	caps := func(i uintptr) float64 { r, _, _ := procGetDeviceCaps.Call(hdc, i); return float64(int32(r)) }
	dpiX, dpiY := caps(capLogPixelsX), caps(capLogPixelsY)
	offX, offY := caps(capPhysicalOffsetX), caps(capPhysicalOffsetY)
	if dpiX <= 0 || dpiY <= 0 {
		return fmt.Errorf("printer %q reports no resolution", w.Name)
	}

	docNameW, _ := syscall.UTF16PtrFromString(docName)
	di := docInfoW{size: int32(unsafe.Sizeof(docInfoW{})), docName: docNameW}
	if r, _, e := procStartDocGDI.Call(hdc, uintptr(unsafe.Pointer(&di))); int32(r) <= 0 {
		return fmt.Errorf("printer %q does not start the job: %v", w.Name, e)
	}
	ok := false
	defer func() {
		if !ok {
			procAbortDocGDI.Call(hdc) // nothing half-drawn prints later
		}
	}()
	for i, p := range pages {
		if r, _, e := procStartPageGDI.Call(hdc); int32(r) <= 0 {
			return fmt.Errorf("printer %q does not start page %d: %v", w.Name, i+1, e)
		}
		bits, bmi, iw, ih := greyDIB(p.img)
		dx, dy := int32(math.Round(p.x*dpiX-offX)), int32(math.Round(p.y*dpiY-offY))
		dw, dh := int32(math.Round(p.w*dpiX)), int32(math.Round(p.h*dpiY))
		const dibRGBColors, srcCopy = 0, 0x00CC0020
		if r, _, e := procStretchDIBits.Call(hdc, uintptr(dx), uintptr(dy), uintptr(dw), uintptr(dh), 0, 0, uintptr(iw), uintptr(ih),
			uintptr(unsafe.Pointer(&bits[0])), uintptr(unsafe.Pointer(&bmi[0])), dibRGBColors, srcCopy); int32(r) <= 0 {
			return fmt.Errorf("printer %q did not take page %d: %v", w.Name, i+1, e)
		}
		if r, _, e := procEndPageGDI.Call(hdc); int32(r) <= 0 {
			return fmt.Errorf("printer %q did not finish page %d: %v", w.Name, i+1, e)
		}
	}
	if r, _, e := procEndDocGDI.Call(hdc); int32(r) <= 0 {
		return fmt.Errorf("printer %q did not finish the job: %v", w.Name, e)
	}
	ok = true
	return nil
}

// greyDIB is the image as an 8-bit grey device-independent bitmap:
// top-down, rows padded to 4 bytes, a grey palette.
func greyDIB(img image.Image) (bits, bmi []byte, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	gray, ok := img.(*image.Gray)
	if !ok || b.Min != (image.Point{}) {
		gray = image.NewGray(image.Rect(0, 0, w, h))
		draw.Draw(gray, gray.Rect, img, b.Min, draw.Src)
	}
	stride := (w + 3) &^ 3
	bits = make([]byte, stride*h)
	for row := 0; row < h; row++ {
		copy(bits[row*stride:], gray.Pix[row*gray.Stride:row*gray.Stride+w])
	}
	bmi = make([]byte, 40+256*4)
	hdr := (*bitmapInfoHeader)(unsafe.Pointer(&bmi[0]))
	*hdr = bitmapInfoHeader{size: 40, width: int32(w), height: -int32(h), planes: 1, bitCount: 8, clrUsed: 256}
	for i := range 256 {
		bmi[40+4*i], bmi[41+4*i], bmi[42+4*i] = byte(i), byte(i), byte(i)
	}
	return bits, bmi, w, h
}

package ui

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/packbench/packbench/station"
)

// Screenshots drives the real window through the demo store and writes
// PNGs of the main screens into dir: the orders list, an order with its
// label preview, and the printers. make screenshots runs it under xvfb.
// It must run off the UI goroutine; it waits for the window between steps.
func (u *UI) Screenshots(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	stores, err := u.station.Stores(ctx)
	if err != nil {
		return err
	}
	if len(stores) == 0 {
		st, err := u.station.ConnectDemo(ctx, station.RegionNA)
		if err != nil {
			return fmt.Errorf("connect the demo store: %w", err)
		}
		stores = []station.Store{st}
	}
	if _, err := u.station.Import(ctx, stores[0].ID, nil); err != nil {
		return fmt.Errorf("import the demo store: %w", err)
	}
	rows, err := u.station.AllOrders(ctx, station.OrderFilter{Status: station.StatusReady})
	if err != nil || len(rows) == 0 {
		return errors.Join(errors.New("the demo store has no order ready to ship"), err)
	}
	// One label bought, so the detail has a preview to show; an order whose
	// product the catalog has a picture of, so the detail shows that too.
	bought := rows[0]
	for _, r := range rows[:min(len(rows), 10)] {
		if images, err := u.station.ItemImages(ctx, r.ID); err == nil && len(images) > 0 {
			bought = r
			break
		}
	}
	if _, err := u.station.Buy(ctx, bought.ID, station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: 640, Unit: station.Gram}}}); err != nil {
		return fmt.Errorf("buy a demo label: %w", err)
	}
	settle := func() { time.Sleep(1500 * time.Millisecond) }
	shot := func(name string) error {
		path := filepath.Join(dir, name)
		// The X server's pixels are what the packer sees; GL read-back under
		// a software GL often comes back black, so ImageMagick's import
		// grabs the window when it is there.
		if tool, err := exec.LookPath("import"); err == nil {
			var title string
			fyne.DoAndWait(func() { title = u.win.Title() })
			if out, err := exec.CommandContext(ctx, tool, "-window", title, path).CombinedOutput(); err == nil {
				return nil
			} else {
				u.log.Warn("import could not grab the window; using the canvas", "err", err, "out", string(out))
			}
		}
		var err error
		fyne.DoAndWait(func() {
			img := u.win.Canvas().Capture()
			var f *os.File
			if f, err = os.Create(path); err != nil {
				return
			}
			defer f.Close()
			err = png.Encode(f, img)
		})
		return err
	}
	closeOverlays := func() {
		fyne.DoAndWait(func() {
			for o := u.win.Canvas().Overlays().Top(); o != nil; o = u.win.Canvas().Overlays().Top() {
				u.win.Canvas().Overlays().Remove(o)
			}
		})
	}

	fyne.DoAndWait(u.Refresh)
	settle()
	if err := shot("orders.png"); err != nil {
		return err
	}
	fyne.DoAndWait(func() { u.showOrderDetail(bought.ID) })
	settle()
	if err := shot("order-detail.png"); err != nil {
		return err
	}
	closeOverlays()
	// A printer set up, as a bench has one.
	if _, err := u.station.SavePrinter(ctx, station.Printer{Name: "Labels folder", Kind: station.PrinterFolder,
		Address: filepath.Join(os.TempDir(), "packbench-screenshot-labels"), Format: station.FormatZPL203}); err != nil {
		return err
	}
	fyne.DoAndWait(func() { u.showPrinters() })
	settle()
	if err := shot("printers.png"); err != nil {
		return err
	}
	closeOverlays()
	// A box and a shipping rule, as a bench has them.
	if _, err := u.station.SavePackagePreset(ctx, station.PackagePreset{Name: "Shoe box",
		Dimensions: station.Dimensions{Length: 33, Width: 20, Height: 12, Unit: station.Centimeter}, Tare: station.Weight{Value: 150, Unit: station.Gram}}); err != nil {
		return err
	}
	fyne.DoAndWait(func() { u.showBoxes() })
	settle()
	if err := shot("boxes.png"); err != nil {
		return err
	}
	closeOverlays()
	// The end of the day: what the labels cost, and the collection forms
	// that wait (a few more labels bought, as a day has).
	for _, r := range rows[1:min(len(rows), 8)] {
		_, _ = u.station.Buy(ctx, r.ID, station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: 640, Unit: station.Gram}}})
	}
	fyne.DoAndWait(func() { u.showEndOfDay() })
	settle()
	if err := shot("end-of-day.png"); err != nil {
		return err
	}
	closeOverlays()
	return nil
}

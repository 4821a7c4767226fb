package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// orderDetail is one order: who it goes to, what is in it, the package, the
// rates with the default picked and why, and the order's history.
type orderDetail struct {
	u        *UI
	o        station.Order
	dlg      dialog.Dialog
	grams    *widget.Entry
	box      *widget.Select
	confirm  *widget.Select
	rates    *widget.RadioGroup
	why      *widget.Label
	problem  *widget.Label
	buy      *widget.Button
	presets  []station.PackagePreset
	quote    []station.Rate
	rateText map[string]string // radio option -> service id
	remember *widget.Button
	// preview is the label as the carrier made it (Amazon's PNG), or as
	// Packbench draws its ZPL when Amazon's cannot be had.
	preview    station.LabelImage
	previewErr error
	// pictures hold each item's picture, by SKU, filled in when the
	// catalog's images arrive (they may take a call to Amazon).
	pictures map[string]*fyne.Container
	// label is the order's live label (ID 0 when it has none) and
	// tracking where its parcel is, as last asked.
	label    station.Shipment
	tracking station.Tracking
}

var confirmations = map[string]station.Confirmation{"No signature": station.ConfirmNone,
	"Signature": station.ConfirmSignature, "Adult signature": station.ConfirmAdultSignature}

// showOrderDetail loads an order and opens its detail.
func (u *UI) showOrderDetail(orderID int64) {
	u.async(func() {
		o, err := u.station.Order(u.ctx, orderID)
		var presets []station.PackagePreset
		var history []station.AuditEntry
		var preview station.LabelImage
		var previewErr error
		var label station.Shipment
		var tracking station.Tracking
		if err == nil {
			presets, _ = u.station.PackagePresets(u.ctx)
			history, _ = u.station.History(u.ctx, orderID)
			label, tracking, _ = u.station.OrderTracking(u.ctx, orderID)
			if label.ID != 0 {
				preview, previewErr = u.station.LabelPreview(u.ctx, orderID)
			}
		}
		u.done(func() {
			if err != nil {
				u.showError("Could not read the order", err)
				return
			}
			d := &orderDetail{u: u, o: o, presets: presets, preview: preview, previewErr: previewErr, label: label, tracking: tracking}
			d.show(history)
			d.loadImages()
		})
	})
}

func shipToText(o station.Order) string {
	switch {
	case !o.RedactedAt.IsZero():
		return "Redacted on " + o.RedactedAt.Local().Format("Jan 2") + " (Amazon's Data Protection Policy)."
	case o.PIIUnreadable:
		return "Unreadable: the key that encrypts buyers' data was lost. Import the store again (packbench import --again)."
	}
	a := o.ShipTo
	var lines []string
	for _, l := range []string{a.Name, a.Company, a.Line1, a.Line2, a.Line3,
		strings.TrimSpace(a.City + " " + a.State + " " + a.PostalCode), a.CountryCode, a.Phone} {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func (d *orderDetail) show(history []station.AuditEntry) {
	o := d.o
	units := d.u.sidebar.units(o.StoreID)
	head := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s · %s", o.AmazonOrderID, station.MarketplaceLabel(o.MarketplaceID), o.Status.Title()),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	when := widget.NewLabel(fmt.Sprintf("Bought %s · ship by %s · %s", o.PurchasedAt.Local().Format("Jan 2 15:04"),
		o.ShipBy.Latest.Local().Format("Jan 2 15:04"), o.ServiceLevel))
	shipTo := widget.NewLabel(shipToText(o))
	itemsBox := container.NewVBox()
	d.pictures = map[string]*fyne.Container{}
	for _, it := range o.Items {
		w := "weight unknown"
		if it.UnitWeight.Known() {
			w = units.ShowWeight(it.UnitWeight)
		}
		// Units still to ship; once shipped (a label bought, or shipped
		// elsewhere), the units ordered, with how many left.
		count := fmt.Sprintf("%d ×", it.ToShip())
		switch {
		case it.ToShip() == 0 && it.Quantity > 0:
			count = fmt.Sprintf("%d × (shipped)", it.Quantity)
		case it.ToShip() < it.Quantity:
			count = fmt.Sprintf("%d × (%d to ship)", it.Quantity, it.ToShip())
		}
		text := widget.NewLabel(fmt.Sprintf("%s %s  %s  (%s)", count, it.SKU, it.Title, w))
		text.Wrapping = fyne.TextWrapWord
		pic := container.NewStack(layoutSpacer(56))
		if d.pictures[it.SKU] == nil {
			d.pictures[it.SKU] = pic
		}
		itemsBox.Add(container.NewBorder(nil, nil, pic, nil, text))
	}

	d.grams = widget.NewEntry()
	d.grams.SetPlaceHolder(unitWord[units] + ", or 1 lb 3 oz, or 1.2 kg")
	if w, complete := o.Weight(); complete {
		d.grams.SetText(units.TypedWeight(w))
	}
	boxes := []string{"Default box " + station.DefaultBox.In(units.Length()).String()}
	for _, p := range d.presets {
		boxes = append(boxes, p.Name+" "+p.Dimensions.String())
	}
	d.box = widget.NewSelect(boxes, nil)
	d.box.SetSelectedIndex(0)
	d.confirm = widget.NewSelect([]string{"No signature", "Signature", "Adult signature"}, nil)
	d.confirm.SetSelected("No signature")
	d.why = widget.NewLabel("")
	d.why.Wrapping = fyne.TextWrapWord
	d.problem = widget.NewLabel("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	d.rates = widget.NewRadioGroup(nil, nil)
	getRates := widget.NewButton("Get rates", d.getRates)
	d.buy = widget.NewButton("Buy the selected rate and print", d.buySelected)
	d.buy.Importance = widget.HighImportance
	d.buy.Disable()
	d.remember = widget.NewButton(rememberTitle(o), d.rememberService)
	d.remember.Disable()
	if o.Status != station.StatusReady {
		getRates.Disable()
	}

	var hist []string
	for _, h := range history {
		hist = append(hist, h.At.Local().Format("Jan 2 15:04")+"  "+h.Text())
	}
	if len(hist) == 0 {
		hist = []string{"Nothing yet."}
	}
	pkg := widget.NewForm(widget.NewFormItem("Weight ("+unitShort[units]+")", d.grams), widget.NewFormItem("Box", d.box),
		widget.NewFormItem("Confirmation", d.confirm))
	left := container.NewVBox(widget.NewLabelWithStyle("Ship to", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), shipTo,
		widget.NewLabelWithStyle("Items", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), itemsBox,
		widget.NewLabelWithStyle("History", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(strings.Join(hist, "\n")))
	right := container.NewVBox(widget.NewLabelWithStyle("Package", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), pkg, getRates,
		d.rates, d.why, d.buy, d.remember, d.problem)
	slip := widget.NewButton("Print packing slip", d.printSlip)
	if d.label.ID != 0 {
		right = container.NewVBox(widget.NewLabelWithStyle("Parcel", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			d.parcelView(), widget.NewLabelWithStyle("Label", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			d.labelView(slip), d.problem)
	} else if o.Status == station.StatusReady {
		right.Add(slip)
	}
	// The right side scrolls both ways, so rates arriving there (long
	// service names) never squeeze the ship-to and items on the left, which
	// scroll down and wrap their lines.
	split := container.NewHSplit(container.NewVScroll(left), container.NewScroll(right))
	split.Offset = 0.42
	content := container.NewBorder(container.NewVBox(head, when, widget.NewSeparator()), nil, nil, nil, split)
	d.dlg = dialog.NewCustom("Order "+o.AmazonOrderID, "Close", content, d.u.win)
	d.dlg.Resize(d.u.fit(980, 640))
	d.u.present(d.dlg, nil)
}

func (d *orderDetail) pkg() (station.Package, error) {
	var p station.Package
	if t := strings.TrimSpace(d.grams.Text); t != "" {
		w, err := station.ParseWeight(t, d.u.sidebar.units(d.o.StoreID).Weight())
		if err != nil {
			return p, err
		}
		p.Weight = w
	}
	if i := d.box.SelectedIndex(); i > 0 && i-1 < len(d.presets) {
		p.PresetID = d.presets[i-1].ID
	}
	p.Confirmation = confirmations[d.confirm.Selected]
	return p, nil
}

func (d *orderDetail) getRates() {
	pkg, err := d.pkg()
	if err != nil {
		d.problem.SetText(err.Error())
		return
	}
	d.problem.SetText("")
	d.why.SetText("Asking Amazon…")
	u := d.u
	u.async(func() {
		choice, err := u.station.Rates(u.ctx, d.o.ID, pkg)
		u.done(func() {
			if err != nil {
				d.why.SetText("")
				d.problem.SetText(err.Error())
				return
			}
			d.quote = choice.Quote.Rates
			d.rateText = map[string]string{}
			var options []string
			selected := ""
			for _, r := range choice.Quote.Rates {
				extra := ""
				if r.Protected {
					extra += ", claims protected"
				}
				if r.PaidToCarrier {
					extra += ", paid to the carrier (your contract)"
				}
				if r.SignatureRequired {
					extra += ", signature included (the order requires one)"
				}
				text := fmt.Sprintf("%s, %s, by %s%s", station.ServiceLabel(r.CarrierName, r.ServiceName), r.Price(),
					r.DeliverBy.Latest.Local().Format("Mon Jan 2"), extra)
				d.rateText[text] = r.ServiceID
				options = append(options, text)
				if choice.Pick != nil && r.RateID == choice.Pick.RateID {
					selected = text
				}
			}
			// Services Amazon does not offer for this package are said, not
			// listed among the rates to pick from.
			var notOffered []string
			for _, r := range choice.Quote.Ineligible {
				notOffered = append(notOffered, fmt.Sprintf("%s (%s)", station.ServiceLabel(r.CarrierName, r.ServiceName), r.Ineligible))
			}
			d.rates.Options = options
			d.rates.Selected = selected
			d.rates.Refresh()
			why := "Picked: " + choice.Why
			if len(notOffered) > 0 {
				why += "\nNot offered: " + strings.Join(notOffered, "; ") + "."
			}
			d.why.SetText(why)
			if choice.Confirmation != "" && choice.Confirmation != station.ConfirmNone {
				for k, v := range confirmations {
					if v == choice.Confirmation {
						d.confirm.SetSelected(k)
					}
				}
			}
			d.buy.Enable()
			d.remember.Enable()
		})
	})
}

func rememberTitle(o station.Order) string {
	what := "these orders"
	if o.ServiceLevel != "" {
		what = o.ServiceLevel + " orders"
	}
	return "Always ship " + what + " to " + station.MarketplaceLabel(o.MarketplaceID) + " like this"
}

// rememberService makes the selected rate the rule for orders like this
// one: same marketplace and Amazon service level.
func (d *orderDetail) rememberService() {
	service, ok := d.rateText[d.rates.Selected]
	if !ok {
		d.problem.SetText("Choose a rate that is offered.")
		return
	}
	m := station.ServiceMapping{StoreID: d.o.StoreID, MarketplaceID: d.o.MarketplaceID, ServiceLevel: d.o.ServiceLevel,
		ServiceID: service, Confirmation: confirmations[d.confirm.Selected]}
	u := d.u
	u.async(func() {
		saved, err := u.station.SaveServiceMapping(u.ctx, m)
		u.done(func() {
			if err != nil {
				d.problem.SetText(err.Error())
				return
			}
			d.problem.SetText("")
			u.say("Rule saved: " + describeMapping(saved))
		})
	})
}

func (d *orderDetail) buySelected() {
	service, ok := d.rateText[d.rates.Selected]
	if !ok {
		d.problem.SetText("Choose a rate that is offered.")
		return
	}
	pkg, err := d.pkg()
	if err != nil {
		d.problem.SetText(err.Error())
		return
	}
	d.buy.Disable()
	u := d.u
	// The bench's one way to buy: the label, and the slip when this bench
	// prints one with every label (read here, on the UI goroutine).
	slip := u.bench.SlipWithLabel
	u.async(func() {
		done, err := u.station.ShipOrder(u.ctx, d.o.ID, station.BuyChoice{ServiceID: service, Package: pkg, Confirmation: pkg.Confirmation}, slip)
		u.done(func() {
			if err != nil {
				d.buy.Enable()
				d.problem.SetText(err.Error())
				u.Refresh()
				return
			}
			u.say(done.Say(d.o.AmazonOrderID))
			d.dlg.Hide()
			u.Refresh()
		})
	})
}

// labelView shows the label as it will print, under the buttons that print it.
// parcelView says where the parcel is and what the carrier did, newest
// first, and asks Amazon again on demand.
func (d *orderDetail) parcelView() fyne.CanvasObject {
	where := widget.NewLabel("")
	where.Wrapping = fyne.TextWrapWord
	events := widget.NewLabel("")
	events.Wrapping = fyne.TextWrapWord
	show := func(t station.Tracking) {
		text := fmt.Sprintf("%s · %s %s", t.Parcel().Title(), station.ServiceLabel(d.label.CarrierName, d.label.ServiceName), d.label.TrackingID)
		if !t.CheckedAt.IsZero() {
			text += " · asked " + t.CheckedAt.Local().Format("Jan 2 15:04")
		}
		where.SetText(text)
		where.Importance = widget.MediumImportance
		if t.Parcel().NeedsAttention() {
			where.Importance = widget.DangerImportance
		}
		var lines []string
		for i := len(t.Events) - 1; i >= 0; i-- {
			lines = append(lines, t.Events[i].At.Local().Format("Jan 2 15:04")+"  "+eventWords(t.Events[i].Code))
		}
		events.SetText(strings.Join(lines, "\n"))
		if len(lines) == 0 {
			events.Hide()
		} else {
			events.Show()
		}
	}
	show(d.tracking)
	if d.tracking.CheckedAt.IsZero() {
		// Never asked (the label is minutes old): ask once now, as the
		// scheduler would on its next pass.
		d.u.async(func() {
			if t, err := d.u.station.TrackOrder(d.u.ctx, d.o.ID); err == nil {
				d.u.done(func() { show(t) })
			}
		})
	}
	track := widget.NewButton("Track now", func() {
		d.run("Asking the carrier…", func() (string, error) {
			t, err := d.u.station.TrackOrder(d.u.ctx, d.o.ID)
			if err != nil {
				return "", err
			}
			d.u.done(func() { show(t) })
			return "Parcel of " + d.o.AmazonOrderID + ": " + strings.ToLower(t.Parcel().Title()) + ".", nil
		})
	})
	return container.NewVBox(where, events, container.NewHBox(track))
}

// eventWords says a carrier event (getTracking's eventCode) in words.
func eventWords(code string) string {
	if w, ok := map[string]string{
		"ReadyForReceive": "Label made, waiting for the carrier", "PickupDone": "Picked up by the carrier",
		"ArrivedAtCarrierFacility": "At a carrier facility", "Departed": "Left a carrier facility",
		"OutForDelivery": "Out for delivery", "Delivered": "Delivered", "DeliveryAttempted": "Delivery attempted: nobody there",
		"Undeliverable": "Undeliverable", "Rejected": "Refused by the recipient", "Lost": "Lost by the carrier",
		"ReturnInitiated": "Returning to the sender", "AvailableForPickup": "Waiting at a pickup point",
		"PickupCancelled": "Label cancelled", "RecipientRequestedAlternateDeliveryTiming": "Recipient asked for another day",
	}[code]; ok {
		return w
	}
	return code
}

func (d *orderDetail) labelView(slip *widget.Button) fyne.CanvasObject {
	var view fyne.CanvasObject
	if d.previewErr != nil || len(d.preview.PNG) == 0 {
		msg := "No preview."
		if d.previewErr != nil {
			msg = "No preview: " + d.previewErr.Error()
		}
		l := widget.NewLabel(msg)
		l.Wrapping = fyne.TextWrapWord
		view = l
	} else {
		img := canvas.NewImageFromReader(bytes.NewReader(d.preview.PNG), "label-"+d.o.AmazonOrderID+".png")
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScaleSmooth
		// A 4x6 label at a readable size; the dialog scrolls if the screen is small.
		img.SetMinSize(fyne.NewSize(300, 450))
		source := "Amazon's image of this label."
		if !d.preview.FromAmazon {
			source = "Drawn by Packbench from the label's ZPL: " + d.preview.Why + "."
		}
		caption := widget.NewLabel(source)
		caption.Wrapping = fyne.TextWrapWord
		caption.Importance = widget.LowImportance
		view = container.NewBorder(nil, caption, nil, nil, img)
	}
	printLabel := widget.NewButton("Print label", func() {
		d.run("Printing…", func() (string, error) {
			return printed("Label of "+d.o.AmazonOrderID+" printed.", d.u.station.PrintLabel(d.u.ctx, d.o.ID))
		})
	})
	printLabel.Importance = widget.HighImportance
	void := widget.NewButton("Void label…", func() {
		d.u.confirm("Void the label of "+d.o.AmazonOrderID, "Void this label? Amazon refunds it and the order goes back to Ready to ship.",
			func() {
				d.run("Voiding…", func() (string, error) {
					if err := d.u.station.Void(d.u.ctx, d.o.ID); err != nil {
						return "", err
					}
					d.u.done(func() {
						d.dlg.Hide()
						d.u.Refresh()
					})
					return "Label voided; " + d.o.AmazonOrderID + " is back in Ready to ship.", nil
				})
			})
	})
	void.Importance = widget.DangerImportance
	return container.NewVBox(container.NewHBox(printLabel, slip, void), view)
}

func (d *orderDetail) printSlip() {
	d.run("Printing the packing slip…", func() (string, error) {
		return "Packing slip of " + d.o.AmazonOrderID + " printed.", d.u.station.PrintPackingSlip(d.u.ctx, d.o.ID)
	})
}

// run does printer work off the UI goroutine and says how it went.
func (d *orderDetail) run(busy string, do func() (string, error)) {
	u := d.u
	u.say(busy)
	d.problem.SetText("")
	u.async(func() {
		msg, err := do()
		u.done(func() {
			if err != nil {
				d.problem.SetText(err.Error())
				u.say("")
				return
			}
			u.say(msg)
		})
	})
}

// layoutSpacer keeps a picture's place for an item without one, so the
// item lines stay aligned.
func layoutSpacer(side float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(side, side))
	return r
}

// loadImages fetches the products' pictures and shows them as they come.
func (d *orderDetail) loadImages() {
	u := d.u
	u.async(func() {
		images, err := u.station.ItemImages(u.ctx, d.o.ID)
		if err != nil {
			u.log.Info("product images", "err", err)
		}
		u.done(func() {
			for sku, img := range images {
				pic := d.pictures[sku]
				if pic == nil || img == nil {
					continue
				}
				picture := canvas.NewImageFromReader(bytes.NewReader(img), sku+".png")
				picture.FillMode = canvas.ImageFillContain
				picture.SetMinSize(fyne.NewSize(56, 56))
				pic.Objects = []fyne.CanvasObject{picture}
				pic.Refresh()
			}
		})
	})
}

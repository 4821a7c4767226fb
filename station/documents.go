package station

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Print job documents.
const (
	DocLabel       = "label"
	DocPackingSlip = "packing_slip"
)

// PackingSlip is what goes in the box: the order, its ship-to and the
// units still to ship. The order id is printed as a barcode the scan field opens.
type PackingSlip struct {
	AmazonOrderID string
	StoreName     string
	PurchasedAt   time.Time
	ServiceLevel  string
	ShipTo        Address // empty once the buyer's data is redacted
	Lines         []PackingLine
	GiftMessages  []string
}

// PackingLine is one item on a packing slip.
type PackingLine struct {
	SKU, Title string
	Quantity   int
}

// PickList sums what to pick for a batch of orders, by SKU.
type PickList struct {
	CreatedAt time.Time
	Orders    int
	Lines     []PickLine // sorted by SKU
}

// PickLine is one SKU to pick and the orders it goes to.
type PickLine struct {
	SKU, Title string
	Quantity   int
	Orders     []string // Amazon order ids, sorted
}

// Documents lays out what the station prints besides Amazon's labels and
// draws label previews. Its output is a Label-shaped document in the
// printer's format (a packing slip for a ZPL printer is ZPL).
type Documents interface {
	// PackingSlip and PickList lay a document out for the printer that
	// prints it: ZPL for a label printer, a PDF of its paper
	// (pr.DocumentFormat), or for a Windows office printer the PDF's
	// pages as images Windows draws (FormatPages).
	PackingSlip(s PackingSlip, pr Printer) (Label, error)
	PickList(p PickList, pr Printer) (Label, error)
	// Preview draws a label as PNG for the screen.
	Preview(l Label) ([]byte, error)
	// TestLabel is a label that shows a printer's dpi and alignment.
	TestLabel(f LabelFormat) Label
}

// TestPrint prints a test label on a printer, now, not through the queue:
// the packer is at the printer waiting to see it.
func (s *Station) TestPrint(ctx context.Context, printerID int64) error {
	if s.printer == nil || s.documents == nil {
		return errors.New("printing is not available in this build")
	}
	pr, err := s.printerByID(ctx, printerID)
	if err != nil {
		return err
	}
	_, err = s.printer.PrintLabel(ctx, pr, "test-label", s.documents.TestLabel(pr.Format))
	return err
}

// WithDocuments attaches the slip and pick-list layouts and the previewer.
func (s *Station) WithDocuments(d Documents) *Station {
	s.documents = d
	return s
}

const documentPrinterSetting = "document_printer"

// SetDocumentPrinter makes a printer the station's printer for packing
// slips and pick lists; id 0 goes back to the label printer.
func (s *Station) SetDocumentPrinter(ctx context.Context, id int64) error {
	if id != 0 {
		if _, err := s.printerByID(ctx, id); err != nil {
			return err
		}
	}
	return s.repo.SetSetting(ctx, documentPrinterSetting, strconv.FormatInt(id, 10))
}

// DocumentPrinterConfig is the printer for packing slips and pick lists:
// the one set for them, else the label printer.
func (s *Station) DocumentPrinterConfig(ctx context.Context) (p Printer, own bool, err error) {
	v, err := s.repo.Setting(ctx, documentPrinterSetting)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Printer{}, false, err
	}
	if id, _ := strconv.ParseInt(v, 10, 64); id != 0 {
		if p, err := s.printerByID(ctx, id); err == nil {
			return p, true, nil
		}
	}
	p, _, err = s.LabelPrinterConfig(ctx)
	return p, false, err
}

// PackingSlipFor gathers an order's packing slip.
func (s *Station) PackingSlipFor(ctx context.Context, orderID int64) (PackingSlip, error) {
	o, err := s.repo.GetOrder(ctx, orderID)
	if err != nil {
		return PackingSlip{}, err
	}
	slip := PackingSlip{AmazonOrderID: o.AmazonOrderID, PurchasedAt: o.PurchasedAt, ServiceLevel: o.ServiceLevel}
	if o.RedactedAt.IsZero() && !o.PIIUnreadable {
		slip.ShipTo = o.ShipTo
	}
	if st, err := s.repo.GetStore(ctx, o.StoreID); err == nil {
		slip.StoreName = st.Name
	}
	for _, it := range o.Items {
		if it.ToShip() == 0 {
			continue
		}
		slip.Lines = append(slip.Lines, PackingLine{SKU: it.SKU, Title: it.Title, Quantity: it.ToShip()})
		if it.GiftMessage != "" {
			slip.GiftMessages = append(slip.GiftMessages, it.GiftMessage)
		}
	}
	if len(slip.Lines) == 0 {
		return PackingSlip{}, errors.New("nothing of this order is left to ship")
	}
	return slip, nil
}

// BuildPickList sums the units still to ship of the orders by SKU.
func BuildPickList(orders []Order, now time.Time) PickList {
	bySKU := map[string]*PickLine{}
	for _, o := range orders {
		for _, it := range o.Items {
			if it.ToShip() == 0 {
				continue
			}
			l := bySKU[it.SKU]
			if l == nil {
				l = &PickLine{SKU: it.SKU, Title: it.Title}
				bySKU[it.SKU] = l
			}
			l.Quantity += it.ToShip()
			if !slices.Contains(l.Orders, o.AmazonOrderID) {
				l.Orders = append(l.Orders, o.AmazonOrderID)
			}
		}
	}
	p := PickList{CreatedAt: now, Orders: len(orders)}
	for _, l := range bySKU {
		slices.Sort(l.Orders)
		p.Lines = append(p.Lines, *l)
	}
	slices.SortFunc(p.Lines, func(a, b PickLine) int { return cmp.Compare(a.SKU, b.SKU) })
	return p
}

// PrintPackingSlip queues an order's packing slip for the document printer
// and sends it; like labels, a printer that is off keeps it queued.
func (s *Station) PrintPackingSlip(ctx context.Context, orderID int64) error {
	if s.printer == nil || s.documents == nil {
		return errors.New("no printer is set up")
	}
	if _, err := s.PackingSlipFor(ctx, orderID); err != nil {
		return err
	}
	pr, _, err := s.DocumentPrinterConfig(ctx)
	if err != nil {
		return err
	}
	return s.queueAndPrint(ctx, orderID, pr, DocPackingSlip)
}

// PrintPickList prints the pick list of the orders on the document printer.
// It is not queued: it is made afresh from the orders whenever it is asked for.
func (s *Station) PrintPickList(ctx context.Context, orderIDs []int64) (PickList, error) {
	if s.printer == nil || s.documents == nil {
		return PickList{}, errors.New("no printer is set up")
	}
	orders := make([]Order, 0, len(orderIDs))
	for _, id := range orderIDs {
		o, err := s.repo.GetOrder(ctx, id)
		if err != nil {
			return PickList{}, err
		}
		orders = append(orders, o)
	}
	list := BuildPickList(orders, s.now())
	if len(list.Lines) == 0 {
		return list, errors.New("these orders have nothing left to pick")
	}
	pr, _, err := s.DocumentPrinterConfig(ctx)
	if err != nil {
		return list, err
	}
	doc, err := s.documents.PickList(list, pr)
	if err != nil {
		return list, err
	}
	name := "pick-list-" + s.now().UTC().Format("20060102-150405")
	_, err = s.printer.PrintLabel(ctx, pr, name, doc) // a pick list has no buyer's data: its file is not tracked
	return list, err
}

// DocumentFormat is what slips and pick lists are laid out as for the
// printer; a folder with no format gets Letter pages.
func (p Printer) DocumentFormat() LabelFormat {
	if p.Format == "" || p.Format == FormatPNG {
		return FormatPDFLetter
	}
	return p.Format
}

// LabelImage is an order's label as a picture for the screen.
type LabelImage struct {
	PNG []byte
	// FromAmazon: Amazon's own image of the label (getShipmentDocuments in
	// PNG), exactly as the carrier made it; otherwise Packbench drew the
	// ZPL itself and Why says why Amazon's could not be had.
	FromAmazon bool
	Why        string
}

// LabelPreview shows an order's label as the carrier made it: Amazon's PNG
// of the same shipment, fetched once and kept (sealed) beside the label.
// When Amazon cannot send it (offline, a carrier without PNG, the buyer's
// data redacted) a ZPL label is drawn by Packbench's renderer instead.
func (s *Station) LabelPreview(ctx context.Context, orderID int64) (LabelImage, error) {
	l, sh, err := s.LabelFor(ctx, orderID, "")
	if err != nil {
		return LabelImage{}, err
	}
	if l.Format == FormatPNG {
		return LabelImage{PNG: l.Contents, FromAmazon: true}, nil
	}
	if kept, err := s.repo.LabelImage(ctx, sh.ID); err == nil && len(kept.Contents) > 0 {
		return LabelImage{PNG: kept.Contents, FromAmazon: true}, nil
	}
	png, why := s.amazonImage(ctx, orderID, sh)
	if png != nil {
		return LabelImage{PNG: png, FromAmazon: true}, nil
	}
	if l.Format == FormatPDF || s.documents == nil {
		return LabelImage{}, fmt.Errorf("no preview: %s", why)
	}
	drawn, err := s.documents.Preview(l)
	if err != nil {
		return LabelImage{}, err
	}
	return LabelImage{PNG: drawn, Why: why}, nil
}

// imageWait bounds the wait for Amazon's image of a label.
const imageWait = 5 * time.Second

// amazonImage fetches Amazon's PNG of a shipment's label and keeps it,
// unless the buyer's data was redacted (then it is shown, never stored).
func (s *Station) amazonImage(ctx context.Context, orderID int64, sh Shipment) ([]byte, string) {
	if s.shipper == nil {
		return nil, "this build has no Buy Shipping to ask"
	}
	creds, err := s.credsForOrder(ctx, orderID)
	if err != nil {
		return nil, err.Error()
	}
	// The order's detail waits for it: an Amazon that does not answer
	// soon gets the local drawing shown instead.
	ictx, cancel := context.WithTimeout(ctx, imageWait)
	defer cancel()
	png, err := s.shipper.Documents(ictx, creds, sh.AmazonShipmentID, sh.PackageClientRefID, FormatPNG)
	if err != nil {
		return nil, "Amazon's image of the label could not be fetched (" + shortReason(err) + ")"
	}
	if o, err := s.repo.GetOrder(ctx, orderID); err == nil && o.RedactedAt.IsZero() {
		if err := s.repo.SaveLabelImage(ctx, Label{ShipmentID: sh.ID, Format: FormatPNG, Contents: png, CreatedAt: s.now()}); err != nil {
			s.log.Warn("keeping Amazon's image of a label failed", "err", err)
		}
	}
	return png, ""
}

// PrintOrder is the order labels of a batch come out of the printer in.
type PrintOrder string

const (
	PrintInListOrder PrintOrder = "list"    // as the orders were listed: the pick order
	PrintBySKU       PrintOrder = "sku"     // grouped by first SKU, so like parcels pack together
	PrintReverse     PrintOrder = "reverse" // last first: a face-up stack reads in list order
)

// ParsePrintOrder reads a print order name; "" is list order.
func ParsePrintOrder(s string) (PrintOrder, error) {
	switch o := PrintOrder(strings.ToLower(strings.TrimSpace(s))); o {
	case "", "pick":
		return PrintInListOrder, nil
	case PrintInListOrder, PrintBySKU, PrintReverse:
		return o, nil
	}
	return "", fmt.Errorf("unknown print order %q: list (pick order), sku or reverse", s)
}

// ArrangeForPrint orders a batch's order ids for printing.
func (s *Station) ArrangeForPrint(ctx context.Context, ids []int64, order PrintOrder) ([]int64, error) {
	out := slices.Clone(ids)
	switch order {
	case PrintReverse:
		slices.Reverse(out)
	case PrintBySKU:
		key := make(map[int64]string, len(ids))
		for _, id := range ids {
			o, err := s.repo.GetOrder(ctx, id)
			if err != nil {
				return nil, err
			}
			skus := []string{}
			for _, it := range o.Items {
				if it.ToShip() > 0 {
					skus = append(skus, it.SKU)
				}
			}
			slices.Sort(skus)
			key[id] = strings.Join(skus, "\x00")
		}
		slices.SortStableFunc(out, func(a, b int64) int { return cmp.Compare(key[a], key[b]) })
	}
	return out, nil
}

// ShipAllResult is what a bulk ship did.
type ShipAllResult struct {
	Results      []BulkResult
	Bought       int
	Printed      int
	PrintFailed  int
	PrintErrored error // the first print error, to show the packer
	// SlipsFailed counts packing slips that did not print (Slips set).
	SlipsFailed int
}

// Cancelled counts the orders skipped because the buyer cancelled them.
func (r ShipAllResult) Cancelled() int { return r.count(ErrOrderCancelled) }

// Elsewhere counts the orders another bench of a shared queue took.
func (r ShipAllResult) Elsewhere() int { return r.count(ErrOtherBench) }

// count counts the orders whose outcome is the error target.
func (r ShipAllResult) count(target error) int {
	n := 0
	for _, b := range r.Results {
		if errors.Is(b.Err, target) {
			n++
		}
	}
	return n
}

// ShipProgress is how far a bulk ship is, for a progress bar.
type ShipProgress struct {
	Stage   string // "buying", then "printing"
	Done    int    // orders bought or refused, or labels sent
	Total   int
	Failed  int
	Elapsed time.Duration
}

// ShipAllOptions say how a bulk ship prints and reports.
type ShipAllOptions struct {
	Print bool
	// Slips prints each order's packing slip after its label (a bench
	// that prints one with every label).
	Slips    bool
	Order    PrintOrder
	Progress func(ShipProgress) // called from any goroutine; nil for none
	// Plan, when given, is the plan the packer confirmed: its orders are
	// bought at the rates it showed while those are young enough
	// (Amazon's rates live 10 minutes), without asking for rates again.
	Plan *ShipPlan
	// Concurrency is how many purchases are in flight (0: BulkConcurrency).
	Concurrency int
}

// ShipAll buys labels for the orders, then prints the bought ones in the
// chosen order. An order that fails is skipped; the rest go on.
func (s *Station) ShipAll(ctx context.Context, ids []int64, c BuyChoice, o ShipAllOptions) ShipAllResult {
	start := time.Now()
	report := func(p ShipProgress) {
		if o.Progress != nil {
			p.Elapsed = time.Since(start)
			o.Progress(p)
		}
	}
	var mu sync.Mutex
	done, failed := 0, 0
	report(ShipProgress{Stage: "buying", Total: len(ids)})
	var planned map[int64]RateChoice
	if o.Plan != nil {
		planned = o.Plan.choices
	}
	res := ShipAllResult{Results: s.buyAll(ctx, ids, c, o.Concurrency, planned, func(r BulkResult) {
		mu.Lock()
		defer mu.Unlock() // reported under the lock: counts arrive in order
		done++
		if r.Err != nil {
			failed++
		}
		report(ShipProgress{Stage: "buying", Done: done, Total: len(ids), Failed: failed})
	})}
	var bought []int64
	for _, r := range res.Results {
		if r.Err == nil {
			bought = append(bought, r.OrderID)
		} else {
			s.log.Info("bulk ship: order not bought", "order", r.OrderID, "err", r.Err)
		}
	}
	res.Bought = len(bought)
	if !o.Print || len(bought) == 0 {
		return res
	}
	arranged, err := s.ArrangeForPrint(ctx, bought, o.Order)
	if err != nil {
		res.PrintFailed, res.PrintErrored = len(bought), err
		return res
	}
	for i, id := range arranged {
		if err := s.PrintLabel(ctx, id); err != nil {
			res.PrintFailed++
			if res.PrintErrored == nil {
				res.PrintErrored = err
			}
		} else {
			res.Printed++
		}
		if o.Slips {
			if err := s.PrintPackingSlip(ctx, id); err != nil {
				res.SlipsFailed++
				if res.PrintErrored == nil {
					res.PrintErrored = err
				}
			}
		}
		report(ShipProgress{Stage: "printing", Done: i + 1, Total: len(arranged), Failed: res.PrintFailed})
	}
	return res
}

// ShipPlan is what a bulk ship would do, said before anything is bought:
// how many labels, which orders are left and why, and what it costs.
type ShipPlan struct {
	Buy []int64
	// Skipped counts the orders left, by reason ("no known weight").
	Skipped map[string]int
	// Total sums the picked rates, per currency (a store may sell in several).
	Total map[string]Money
	// choices are the rates behind Total, bought as they are by ShipAll.
	choices map[int64]RateChoice
}

// Cost is the plan's total, each currency once ("412.50 USD + 35.10 CAD").
func (p ShipPlan) Cost() string {
	var parts []string
	for _, cur := range slices.Sorted(maps.Keys(p.Total)) {
		parts = append(parts, p.Total[cur].String())
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " + ")
}

// PlanShipAll rates every order as ShipAll would buy it (its rule or the
// default pick, its SKUs' weights), without buying: the confirmation says
// the count, the orders left with their reasons, and the total cost.
func (s *Station) PlanShipAll(ctx context.Context, ids []int64, c BuyChoice) (ShipPlan, error) {
	plan := ShipPlan{Skipped: map[string]int{}, Total: map[string]Money{}, choices: map[int64]RateChoice{}}
	if s.shipper != nil && s.source != nil {
		s.sweepStores(ctx, ids)
	}
	// Rated concurrently, like the purchases: the store's limiter paces getRates.
	picked := make([]bool, len(ids))
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, BulkConcurrency)
	var wg sync.WaitGroup
	for i, id := range ids {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			skip, choice, err := s.planOne(ctx, id, c)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if firstErr == nil {
					firstErr = err
				}
			case skip != "":
				plan.Skipped[skip]++
			default:
				picked[i] = true
				plan.choices[id] = choice
				price := choice.Pick.Price()
				t := plan.Total[price.Currency]
				t.Currency = price.Currency
				t.Minor += price.Minor
				plan.Total[t.Currency] = t
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return plan, firstErr
	}
	if err := ctx.Err(); err != nil {
		return plan, err
	}
	for i, id := range ids {
		if picked[i] {
			plan.Buy = append(plan.Buy, id)
		}
	}
	return plan, nil
}

// planOne rates one order for a plan: its choice, or why it is left out.
// An error is one that stops the plan (the database failing).
func (s *Station) planOne(ctx context.Context, id int64, c BuyChoice) (skip string, choice RateChoice, err error) {
	if err := ctx.Err(); err != nil {
		return "", choice, err
	}
	o, err := s.repo.GetOrder(ctx, id)
	if err != nil {
		return "", choice, err
	}
	if o.Status != StatusReady {
		return strings.ToLower(o.Status.Title()), choice, nil
	}
	choice, err = s.Rates(ctx, id, c.Package)
	switch {
	case errors.Is(err, ErrNoWeight):
		return "no known weight", choice, nil
	case errors.Is(err, ErrOrderCancelled):
		return "cancelled", choice, nil
	case err != nil:
		return "no rate: " + shortReason(err), choice, nil
	case choice.Pick == nil:
		return "no rate: " + shortReason(errors.New(choice.Why)), choice, nil
	}
	if c.ServiceID != "" {
		found := false
		for _, r := range choice.Quote.Rates {
			if r.ServiceID == c.ServiceID {
				choice.Pick, found = &r, true
			}
		}
		if !found {
			return "no rate: " + c.ServiceID + " not offered", choice, nil
		}
	}
	return "", choice, nil
}

// shortReason is an error's first clause, to group orders by it.
func shortReason(err error) string {
	msg := err.Error()
	if i := strings.IndexAny(msg, ":("); i > 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(msg)
}

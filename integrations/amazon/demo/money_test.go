package demo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/station"
)

// A label format the database cannot store (junk, a printer's sheet
// format, the wrong case) is refused before an intent is written: nothing
// is bought that could not be saved.
func TestAFormatThatCannotBeSavedBuysNothing(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	order := rows[0]
	for _, f := range []station.LabelFormat{"JUNK", station.FormatPDFLetter, station.FormatPDFA4, "zpl203", " ZPL203"} {
		_, err := w.station.Buy(ctx, order.ID, station.BuyChoice{Format: f})
		assert.Error(t, err, "format %q", f)
	}
	for _, c := range []station.Confirmation{"maybe", "SIGNATURE"} {
		_, err := w.station.Buy(ctx, order.ID, station.BuyChoice{Confirmation: c})
		assert.Error(t, err, "confirmation %q", c)
	}
	assert.Zero(t, purchasesOf(w, order.AmazonOrderID), "nothing was bought at Amazon")
	open, err := w.db.OpenIntents(ctx, order.ID)
	require.NoError(t, err)
	assert.Empty(t, open, "no intent was written")

	// The same order buys normally afterwards, in each format Amazon sells.
	sh, err := w.station.Buy(ctx, order.ID, station.BuyChoice{Format: station.FormatPNG})
	require.NoError(t, err)
	l, _, err := w.station.LabelFor(ctx, order.ID, "")
	require.NoError(t, err)
	assert.Equal(t, station.FormatPNG, l.Format)
	assert.NotEmpty(t, sh.TrackingID)
}

// Killed after Amazon sold the label and before it was saved: whatever is
// done next to the order (mark it shipped, void it, print it) first finds
// the label at Amazon and saves it, so a paid label is never unknown.
func TestAnUnsavedPurchaseIsSettledBeforeAnythingTouchesTheOrder(t *testing.T) {
	for _, next := range []string{"mark-shipped", "void", "reprint"} {
		t.Run(next, func(t *testing.T) {
			w, _, rows := shipWorld(t)
			ctx := context.Background()
			order := rows[0]
			w.station.WithPurchaseHook(func(s string) error {
				if s == "answer" {
					return errCrash // Amazon answered; the process died before saving
				}
				return nil
			})
			_, err := w.station.Buy(ctx, order.ID, station.BuyChoice{})
			require.ErrorIs(t, err, errCrash)
			w.station.WithPurchaseHook(nil)
			require.Equal(t, 1, purchasesOf(w, order.AmazonOrderID))

			switch next {
			case "mark-shipped":
				err := w.station.MarkShipped(ctx, order.ID, station.ManualShipment{CarrierCode: "USPS", TrackingNumber: "9400100000000000000999"})
				assert.ErrorContains(t, err, "bought through Amazon", "the hand-typed tracking is refused: the order has a paid label")
				got, _ := w.station.Order(ctx, order.ID)
				assert.Equal(t, station.StatusLabelBought, got.Status)
				_, err = w.db.LiveShipment(ctx, order.ID)
				assert.NoError(t, err, "the label Amazon sold is saved")
			case "void":
				require.NoError(t, w.station.Void(ctx, order.ID), "the paid label is found and voided")
				assert.Zero(t, purchasesOf(w, order.AmazonOrderID), "Amazon refunds it")
			case "reprint":
				l, sh, err := w.station.LabelFor(ctx, order.ID, "")
				require.NoError(t, err)
				assert.Contains(t, string(l.Contents), sh.TrackingID)
			}
			assert.LessOrEqual(t, purchasesOf(w, order.AmazonOrderID), 1, "never a second label")
		})
	}
}

// Two benches buying one order at once: the second is told who is buying
// it, and Amazon sells one label.
func TestTwoBenchesBuyingOneOrderBuyOneLabel(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	order := rows[0]
	other := station.New(w.db, nil).WithAmazon(w.flow, w.secrets).WithOrderSource(w.flow).WithShipper(w.flow)

	inFlight, goOn := make(chan struct{}), make(chan struct{})
	w.station.WithPurchaseHook(func(s string) error {
		if s == "intent" {
			close(inFlight)
			<-goOn
		}
		return nil
	})
	first := make(chan error, 1)
	go func() {
		_, err := w.station.Buy(ctx, order.ID, station.BuyChoice{})
		first <- err
	}()
	<-inFlight
	_, err := other.Buy(ctx, order.ID, station.BuyChoice{})
	require.ErrorIs(t, err, station.ErrOrderBusy)
	assert.ErrorContains(t, err, "buying a label")
	assert.ErrorContains(t, other.Void(ctx, order.ID), "buying a label", "nor can it void or print it meanwhile")
	close(goOn)
	require.NoError(t, <-first)

	_, err = other.Buy(ctx, order.ID, station.BuyChoice{})
	assert.ErrorContains(t, err, "already has a label")
	assert.Equal(t, 1, purchasesOf(w, order.AmazonOrderID))
}

// Many buyers of one order at the same moment: exactly one label is sold.
func TestConcurrentBuysOfOneOrderSellOneLabel(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	order := rows[0]
	const benches = 6
	errs := make(chan error, benches)
	for range benches {
		st := station.New(w.db, nil).WithAmazon(w.flow, w.secrets).WithOrderSource(w.flow).WithShipper(w.flow)
		go func() {
			_, err := st.Buy(ctx, order.ID, station.BuyChoice{})
			errs <- err
		}()
	}
	ok := 0
	for range benches {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case errors.Is(err, station.ErrOrderBusy):
		default:
			assert.ErrorContains(t, err, "already has a label")
		}
	}
	assert.Equal(t, 1, ok)
	assert.Equal(t, 1, purchasesOf(w, order.AmazonOrderID))
}

// countingPrinter counts what reaches the printer, slowly enough that two
// drains of the queue overlap.
type countingPrinter struct {
	mu      sync.Mutex
	printed map[string]int
}

func (p *countingPrinter) PrintLabel(ctx context.Context, _ station.Printer, name string, _ station.Label) (string, error) {
	time.Sleep(20 * time.Millisecond)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.printed[name]++
	return "", nil
}

// The scheduler's drain and the packer's prints run at once: each queued
// job is sent once.
func TestConcurrentDrainsOfThePrintQueueSendEachJobOnce(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	printer := &countingPrinter{printed: map[string]int{}}
	w.station.WithLabelPrinter(printer)
	orders := rows[:4]
	for _, r := range orders {
		_, err := w.station.Buy(ctx, r.ID, station.BuyChoice{})
		require.NoError(t, err)
		_, err = w.db.EnqueuePrint(ctx, r.ID, 0, station.DocLabel, time.Now())
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, err := w.station.RetryPrintQueue(ctx)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	for _, r := range orders {
		assert.Equal(t, 1, printer.printed["label-"+r.AmazonOrderID], r.AmazonOrderID)
	}
}

// Login with Amazon answering 500 is retried with backoff like any other
// call; when it stays down, the error says it was Amazon's sign-in.
func TestASignInServiceOutageIsRetriedAndNamed(t *testing.T) {
	w, st := importWorld(t, 20)
	ctx := context.Background()
	w.env.Sim.ExpireAccessTokens()
	w.env.Sim.SetFault("lwaToken", sim.Fault{Kind: sim.FaultStatus, Status: 500, Times: 2})
	_, err := w.station.Import(ctx, st.ID, nil)
	require.NoError(t, err, "two failed refreshes, then the import goes on")

	w.env.Sim.ExpireAccessTokens()
	w.env.Sim.SetFault("lwaToken", sim.Fault{Kind: sim.FaultStatus, Status: 503})
	_, err = w.station.Import(ctx, st.ID, nil)
	require.ErrorIs(t, err, amazon.ErrSignInFailed)
	assert.ErrorContains(t, err, "Login with Amazon")
	assert.Greater(t, w.env.Sim.Stats()["lwaToken"].Faulted, 3, "retried before giving up")
}

// The simulator can fail as Amazon does after a purchase took effect: the
// label is bought, and its answer comes too late for the client or never.
// Packbench then holds an unknown purchase and settles it, one label.
func TestAPurchaseWhoseAnswerIsLateOrLostIsSettledToOneLabel(t *testing.T) {
	for _, kind := range []string{"answer_late", "answer_lost"} {
		t.Run(kind, func(t *testing.T) {
			w, _, rows := shipWorld(t)
			ctx := context.Background()
			order := rows[0]
			// Lost every time until cleared: the client's retries under the same key are lost too.
			body := fmt.Sprintf(`{"operation":"purchaseShipment","kind":%q,"latencyMs":3000}`, kind)
			resp, err := http.Post(w.env.SimURL+"/_sim/faults", "application/json", strings.NewReader(body))
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusNoContent, resp.StatusCode)

			// The bench's HTTP client gives up before the late answer comes.
			w.flow.HTTP = &http.Client{Timeout: 300 * time.Millisecond}
			_, err = w.station.Buy(ctx, order.ID, station.BuyChoice{})
			require.Error(t, err)
			w.flow.HTTP = nil
			w.env.Sim.ClearFaults()
			assert.Equal(t, 1, purchasesOf(w, order.AmazonOrderID), "Amazon made the purchase")
			_, err = w.db.LiveShipment(ctx, order.ID)
			require.ErrorIs(t, err, station.ErrNotFound, "Packbench has not saved it yet")

			recovered, err := w.station.Reconcile(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, recovered)
			sh, err := w.db.LiveShipment(ctx, order.ID)
			require.NoError(t, err)
			assert.NotEmpty(t, sh.TrackingID)
			assert.Equal(t, 1, purchasesOf(w, order.AmazonOrderID), "still one label")
		})
	}
}

// One lost answer: the client asks again under the same idempotency key and
// gets the label Amazon sold; the bench never notices, Amazon sold one.
func TestALostAnswerIsAskedAgainUnderTheSameKey(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	w.env.Sim.SetFault("purchaseShipment", sim.Fault{Kind: sim.FaultAnswerLost, Times: 1})
	sh, err := w.station.Buy(ctx, rows[0].ID, station.BuyChoice{})
	require.NoError(t, err)
	assert.NotEmpty(t, sh.TrackingID)
	assert.Equal(t, 1, purchasesOf(w, rows[0].AmazonOrderID))
}

// The built-in simulator, restarted from its state file, is the same
// Amazon: a purchase made before a crash of the whole app (simulator
// included) is found by its idempotency key and saved, never bought again.
func TestACrashOfTheWholeAppIsSettledAgainstTheRestartedSimulator(t *testing.T) {
	statePath := filepath.Join(t.TempDir(), "demo-amazon.json")
	cfg := sim.Config{Seed: 4, Orders: 20, TimeScale: 200, ReportDelay: 40 * time.Second, StatePath: statePath}
	w := newWorldWith(t, cfg)
	w.flow.ReportPoll, w.flow.RetryBase = 50*time.Millisecond, 5*time.Millisecond
	ctx := context.Background()
	st, err := w.station.ConnectDemo(ctx, station.RegionNA)
	require.NoError(t, err)
	_, err = w.station.Import(ctx, st.ID, nil)
	require.NoError(t, err)
	rows, err := w.station.AllOrders(ctx, station.OrderFilter{Status: station.StatusReady})
	require.NoError(t, err)
	order := rows[0]
	w.station.WithPurchaseHook(func(s string) error {
		if s == "answer" {
			return errCrash
		}
		return nil
	})
	_, err = w.station.Buy(ctx, order.ID, station.BuyChoice{Package: station.Package{Weight: station.Weight{Value: 500, Unit: station.Gram}}})
	require.ErrorIs(t, err, errCrash)
	w.station.WithPurchaseHook(nil)
	sold := w.env.Simulator().Purchases()
	require.Len(t, sold, 1)

	// The app and its simulator stop; both start again from their files.
	require.NoError(t, w.env.Close())
	env, err := Start(cfg, "", nil)
	require.NoError(t, err)
	t.Cleanup(func() { env.Close() })
	env.Wire(w.flow)
	w.flow.SignInDemo, w.flow.Endpoints = false, amazon.Simulator(env.SimURL)
	require.Equal(t, sold, env.Simulator().Purchases(), "Amazon remembers what it sold")

	recovered, err := w.station.Reconcile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, recovered)
	sh, err := w.db.LiveShipment(ctx, order.ID)
	require.NoError(t, err)
	assert.Equal(t, sold[0].TrackingID, sh.TrackingID, "the label Amazon sold, saved")
	assert.Len(t, env.Simulator().Purchases(), 1, "and no second one")
	require.NoError(t, w.station.Void(ctx, order.ID), "voided against the restarted simulator")
}

// Stopping a bulk ship (Ctrl+C, the window closing) starts no new order,
// lets the purchases in flight finish and saves them: every label Amazon
// sold is saved here, nothing is left open.
func TestAStoppedBulkShipSavesEveryLabelItBought(t *testing.T) {
	w, _, rows := shipWorld(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var ids []int64
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	require.Greater(t, len(ids), 10)
	res := w.station.ShipAll(ctx, ids, station.BuyChoice{}, station.ShipAllOptions{Concurrency: 4, Progress: func(p station.ShipProgress) {
		if p.Done == 3 {
			stop() // the packer presses Ctrl+C after the third label
		}
	}})
	notStarted := 0
	for _, r := range res.Results {
		if errors.Is(r.Err, station.ErrNotStarted) {
			notStarted++
		}
	}
	assert.Positive(t, notStarted, "orders after the stop were not started")
	assert.GreaterOrEqual(t, res.Bought, 3)
	sold := 0
	for _, r := range rows {
		n := purchasesOf(w, r.AmazonOrderID)
		_, err := w.db.LiveShipment(context.Background(), r.ID)
		assert.Equal(t, n == 1, err == nil, "order %s: Amazon sold %d, saved here: %v", r.AmazonOrderID, n, err == nil)
		sold += n
	}
	assert.Equal(t, res.Bought, sold, "every label Amazon sold is saved")
	open, err := w.db.OpenIntents(context.Background(), 0)
	require.NoError(t, err)
	assert.Empty(t, open, "no purchase left unsettled")
}

// A void whose answer never came (the app died after Amazon cancelled the
// label) is settled with Amazon: at the next start, or by voiding again.
func TestAVoidCutShortIsSettledWithAmazon(t *testing.T) {
	for _, then := range []string{"next start", "void again"} {
		t.Run(then, func(t *testing.T) {
			w, _, rows := shipWorld(t)
			ctx := context.Background()
			order := rows[0]
			_, err := w.station.Buy(ctx, order.ID, station.BuyChoice{})
			require.NoError(t, err)
			w.env.Sim.SetFault("cancelShipment", sim.Fault{Kind: sim.FaultAnswerLost})
			require.Error(t, w.station.Void(ctx, order.ID))
			w.env.Sim.ClearFaults()
			require.Zero(t, purchasesOf(w, order.AmazonOrderID), "Amazon cancelled the label")
			_, err = w.db.LiveShipment(ctx, order.ID)
			require.NoError(t, err, "Packbench has not saved the void")

			if then == "next start" {
				_, err = w.station.Reconcile(ctx)
				require.NoError(t, err)
			} else {
				require.NoError(t, w.station.Void(ctx, order.ID), "Amazon refuses a second cancel; Packbench asks and saves the void")
			}
			_, err = w.db.LiveShipment(ctx, order.ID)
			assert.ErrorIs(t, err, station.ErrNotFound, "the void is saved")
			got, _ := w.station.Order(ctx, order.ID)
			assert.Equal(t, station.StatusReady, got.Status)
		})
	}
	// A void Amazon refuses for its own reason leaves the label live and unmarked.
	w, _, rows := shipWorld(t)
	ctx := context.Background()
	_, err := w.station.Buy(ctx, rows[1].ID, station.BuyChoice{})
	require.NoError(t, err)
	w.env.Sim.Clock().Advance(7 * time.Hour)
	require.ErrorIs(t, w.station.Void(ctx, rows[1].ID), station.ErrVoidRefused)
	marked, err := w.db.VoidsInFlight(ctx)
	require.NoError(t, err)
	assert.Empty(t, marked)
}

// Two Packbench processes on one data dir (a headless command while the
// window is open) share one simulated Amazon: the second uses the first's,
// so neither overwrites the other's world.
func TestTwoProcessesOnOneDataDirShareTheBuiltInSimulator(t *testing.T) {
	cfg := sim.Config{Seed: 3, Orders: 5, StatePath: filepath.Join(t.TempDir(), "demo-amazon.json")}
	first, err := Start(cfg, "", nil)
	require.NoError(t, err)
	assert.Nil(t, first.Sim, "the app's simulator waits for its first request")
	assert.NoFileExists(t, cfg.StatePath)
	second, err := Start(cfg, "", nil)
	require.NoError(t, err)
	assert.NotNil(t, first.Simulator())
	assert.Nil(t, second.Simulator(), "the second runs no simulator of its own")
	assert.Equal(t, first.SimURL, second.SimURL)
	require.NoError(t, second.Close())
	require.NoError(t, first.Close())

	third, err := Start(cfg, "", nil)
	require.NoError(t, err)
	defer third.Close()
	assert.NotNil(t, third.Simulator(), "once the first is gone, the next start runs the simulator again, from its file")
}

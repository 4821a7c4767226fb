// Command packbench is the Packbench desktop app and, with a subcommand, its
// headless twin (packbench help lists them). All logic lives in package
// station; this file only wires the window.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/assets"
	"github.com/packbench/packbench/cli"
	"github.com/packbench/packbench/ui"
)

func main() {
	if len(os.Args) > 1 {
		// A subcommand from a terminal: on Windows the window build has no
		// console of its own, so its output goes to the terminal's.
		attachParentConsole()
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, runDesktop))
}

// shutdownGrace is how long closing the window waits for work in flight
// (a purchase being saved, an import page being written) before the
// database closes; a purchase cut short is settled at the next start.
const shutdownGrace = 30 * time.Second

func runDesktop(parent context.Context, env *cli.Env) error {
	// Cancelled when the window closes: background work stops at its next step.
	ctx, stop := context.WithCancel(parent)
	defer stop()
	a := app.NewWithID("io.packbench.station")
	// A stop from outside (SIGTERM, Ctrl+C in the terminal that started
	// it) closes the window the orderly way, as its close button does.
	closed := make(chan struct{})
	defer close(closed)
	go func() {
		select {
		case <-parent.Done():
			fyne.Do(a.Quit)
		case <-closed:
		}
	}()
	a.SetIcon(assets.Icon)
	w := a.NewWindow("Packbench")
	var (
		background sync.WaitGroup
		u          *ui.UI
		opened     *cli.Env // the environment the window works on, once open
	)
	// start builds the window over an open environment and starts its
	// background work; on the UI goroutine.
	start := func(env *cli.Env) {
		opened = env
		if env.Bench != "" {
			w.SetTitle("Packbench — " + env.Bench)
		}
		u = ui.Create(a, w, env.Station, ui.WithLogger(env.Log), ui.WithWarnings(env.Warnings...), ui.WithContext(ctx),
			ui.WithQueue(env.Queue()))
		// On a shared queue every bench's change shows within a second, and a
		// server that stops answering turns the bench red.
		background.Go(func() { env.DB.WatchChanges(ctx, u.QueueChanged, u.QueueReachable) })
		background.Go(func() { env.KeepSeen(ctx) })
		// The database's integrity check runs from its open; a damaged file
		// stays open to be read, buys nothing, and the banner says so.
		background.Go(func() {
			if err := env.DB.Damage(); err != nil {
				env.Log.Error("database damaged", "err", err)
				u.Problem(err.Error())
			}
		})
		// Unfinished purchases are settled with Amazon before anything is bought.
		background.Go(func() {
			if n, err := env.Station.Reconcile(ctx); err != nil {
				env.Log.Warn("settling unfinished purchases failed; retried before each purchase", "err", err)
			} else if n > 0 {
				env.Log.Info("unfinished purchases recovered", "labels", n)
			}
		})
		background.Go(func() { env.Station.RunScheduler(ctx, u.ImportEvent) })
		if dir := os.Getenv("PACKBENCH_SCREENSHOTS"); dir != "" {
			// make screenshots: tour the demo store, write PNGs, quit.
			background.Go(func() {
				if err := u.Screenshots(ctx, dir); err != nil {
					env.Log.Error("screenshots failed", "err", err)
					fmt.Fprintln(os.Stderr, "screenshots:", err)
				}
				fyne.Do(a.Quit)
			})
		}
	}
	if env.StartErr != nil {
		// The shared queue did not answer: the window says so and opens
		// on it as soon as it does.
		w.Resize(fyne.NewSize(720, 320))
		background.Go(func() { waitForQueue(ctx, w, env, start) })
	} else {
		start(env)
	}
	w.SetMaster()
	w.CenterOnScreen()
	w.ShowAndRun()

	// The window is closed: stop, and wait for what is in flight before
	// the database closes.
	stop()
	done := make(chan struct{})
	go func() { background.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdownGrace):
		if opened != nil {
			opened.Log.Warn("background work still running at exit")
		}
	}
	if opened == nil {
		return nil
	}
	if !u.Wait(shutdownGrace) {
		opened.Log.Warn("window work still running at exit; unfinished purchases are settled at the next start")
	}
	opened.Log.Info("desktop app stopped")
	if opened != env {
		return opened.Close() // opened here; cli.Main closes the one it opened
	}
	return nil
}

// queueRetry is how often a window waiting for its shared queue tries again.
const queueRetry = 5 * time.Second

// waitForQueue shows why the bench cannot open its shared queue and tries
// again every queueRetry until it can (then start builds the window) or
// the window closes.
func waitForQueue(ctx context.Context, w fyne.Window, stub *cli.Env, start func(*cli.Env)) {
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	retry := make(chan struct{}, 1)
	again := widget.NewButton("Try again now", func() {
		select {
		case retry <- struct{}{}:
		default:
		}
	})
	show := func(err error) {
		fyne.Do(func() {
			msg.SetText("This bench works on a shared order queue that cannot be opened now:\n\n" + err.Error() +
				"\n\nNothing can be bought until it answers; Packbench tries again every few seconds and opens as soon as it does. " +
				"A label this bench printed lately prints again with: packbench reprint ORDER")
		})
	}
	fyne.Do(func() { w.SetContent(container.NewPadded(container.NewVBox(msg, again))) })
	show(stub.StartErr)
	for {
		select {
		case <-ctx.Done():
			return
		case <-retry:
		case <-time.After(queueRetry):
		}
		env, err := stub.Retry(ctx)
		if err != nil {
			show(err)
			continue
		}
		fyne.Do(func() {
			start(env)
			w.CenterOnScreen()
		})
		return
	}
}

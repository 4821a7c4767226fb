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
	title := "Packbench"
	if env.Bench != "" {
		title = "Packbench — " + env.Bench
	}
	w := a.NewWindow(title)
	u := ui.Create(a, w, env.Station, ui.WithLogger(env.Log), ui.WithWarnings(env.Warnings...), ui.WithContext(ctx),
		ui.WithQueue(env.Queue()))
	var background sync.WaitGroup
	// On a shared queue every bench's change shows within a second, and a
	// server that stops answering turns the bench red.
	background.Go(func() { env.DB.WatchChanges(ctx, u.QueueChanged, u.QueueReachable) })
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
	w.SetMaster()
	w.CenterOnScreen()
	w.ShowAndRun()

	// The window is closed: stop, and wait for what is in flight before
	// cli.Main closes the database.
	stop()
	done := make(chan struct{})
	go func() { background.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdownGrace):
		env.Log.Warn("background work still running at exit")
	}
	if !u.Wait(shutdownGrace) {
		env.Log.Warn("window work still running at exit; unfinished purchases are settled at the next start")
	}
	env.Log.Info("desktop app stopped")
	return nil
}

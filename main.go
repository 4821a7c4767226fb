// Command packbench is the Packbench desktop app and, with a subcommand, its
// headless twin (packbench help lists them). All logic lives in package
// station; this file only wires the window.
package main

import (
	"context"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/packbench/packbench/assets"
	"github.com/packbench/packbench/cli"
	"github.com/packbench/packbench/ui"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, runDesktop))
}

func runDesktop(ctx context.Context, env *cli.Env) error {
	a := app.NewWithID("io.packbench.station")
	a.SetIcon(assets.Icon)
	w := a.NewWindow("Packbench")
	u := ui.Create(a, w, env.Station, ui.WithLogger(env.Log), ui.WithWarnings(env.Warnings...))
	// Unfinished purchases are settled with Amazon before anything is bought.
	go func() {
		if n, err := env.Station.Reconcile(ctx); err != nil {
			env.Log.Warn("settling unfinished purchases failed; retried before each purchase", "err", err)
		} else if n > 0 {
			env.Log.Info("unfinished purchases recovered", "labels", n)
		}
	}()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go env.Station.RunScheduler(ctx, u.ImportEvent)
	if dir := os.Getenv("PACKBENCH_SCREENSHOTS"); dir != "" {
		// make screenshots: tour the demo store, write PNGs, quit.
		go func() {
			if err := u.Screenshots(ctx, dir); err != nil {
				env.Log.Error("screenshots failed", "err", err)
				fmt.Fprintln(os.Stderr, "screenshots:", err)
			}
			fyne.Do(a.Quit)
		}()
	}
	w.SetMaster()
	w.CenterOnScreen()
	w.ShowAndRun()
	return nil
}

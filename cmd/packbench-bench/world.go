package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/packbench/packbench/integrations/amazon"
	"github.com/packbench/packbench/integrations/amazon/demo"
	"github.com/packbench/packbench/integrations/amazon/sim"
	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/station"
	"github.com/packbench/packbench/store"
)

// benchWorld is a bench's simulated Amazon (one seller unless the config
// names more) and a station over a fresh database in a temporary folder,
// wired as the app wires them.
type benchWorld struct {
	dir     string
	log     *slog.Logger
	env     *demo.Env
	db      *store.DB
	flow    *amazon.Flow
	secrets *keychain.File
	st      *station.Station
}

// newBenchWorld starts one. reportPoll is how often a report's status is
// asked (the time-scaled simulator's reports end in moments); seal seals
// buyers' data as the app does.
func newBenchWorld(name string, cfg sim.Config, reportPoll time.Duration, seal bool) (w *benchWorld, err error) {
	w = &benchWorld{log: slog.New(slog.DiscardHandler)}
	if w.dir, err = os.MkdirTemp("", "packbench-"+name+"-"); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			w.close()
		}
	}()
	if cfg.Sellers == nil {
		cfg.Sellers = sim.DefaultSellers()[:1]
	}
	if w.env, err = demo.Start(cfg, "", w.log); err != nil {
		return nil, err
	}
	if w.db, err = store.Open(context.Background(), filepath.Join(w.dir, store.FileName)); err != nil {
		return nil, err
	}
	w.secrets = keychain.NewFile(w.dir, "")
	if seal {
		sealer, err := keychain.OpenSealer(w.secrets, true)
		if err != nil {
			return nil, err
		}
		w.db.UseSealer(sealer)
	}
	w.flow = &amazon.Flow{Log: w.log, ReportPoll: reportPoll}
	w.env.Wire(w.flow)
	w.st = station.New(w.db, w.log).WithAmazon(w.flow, w.secrets).WithOrderSource(w.flow).WithShipper(w.flow)
	return w, nil
}

func (w *benchWorld) close() {
	if w.db != nil {
		w.db.Close()
	}
	if w.env != nil {
		w.env.Close()
	}
	os.RemoveAll(w.dir)
}

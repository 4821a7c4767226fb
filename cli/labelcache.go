package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packbench/packbench/integrations/keychain"
	"github.com/packbench/packbench/internal/atomicfile"
	"github.com/packbench/packbench/station"
	"github.com/packbench/packbench/store"
)

// LabelCacheDir holds, on a bench of a shared queue, the labels it printed
// lately (station.LabelCache): one file per order, sealed with the data
// key like the database's labels, for reprints while the queue is away.
const LabelCacheDir = "label-cache"

// Labels stay cached this long (a label is reprinted the day it is bought,
// if ever) and at most labelCacheMax of them.
const (
	labelCacheLife = 48 * time.Hour
	labelCacheMax  = 500
)

type labelCache struct {
	dir    string
	sealer store.Sealer
}

func (c labelCache) aad(amazonOrderID string) string { return "label-cache/" + amazonOrderID }

// Keep writes the label sealed, and drops what is old or too many.
func (c labelCache) Keep(l station.CachedLabel) error {
	if strings.ContainsAny(l.AmazonOrderID, `/\.`) {
		return fmt.Errorf("order id %q cannot name a file", l.AmazonOrderID)
	}
	raw, err := json.Marshal(l)
	if err != nil {
		return err
	}
	sealed, err := c.sealer.Seal(raw, c.aad(l.AmazonOrderID))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	name := strconv.FormatInt(l.OrderID, 10) + "_" + l.AmazonOrderID + ".label"
	if err := atomicfile.WriteFile(filepath.Join(c.dir, name), sealed, 0o600); err != nil {
		return err
	}
	c.prune()
	return nil
}

func (c labelCache) prune() {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		at   time.Time
	}
	var files []file
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			files = append(files, file{filepath.Join(c.dir, e.Name()), info.ModTime()})
		}
	}
	slices.SortFunc(files, func(a, b file) int { return b.at.Compare(a.at) })
	for i, f := range files {
		if i >= labelCacheMax || time.Since(f.at) > labelCacheLife {
			os.Remove(f.path)
		}
	}
}

// Cached finds an order's label by its id or its Amazon order id.
func (c labelCache) Cached(orderID int64, amazonOrderID string) (station.CachedLabel, error) {
	c.prune()
	pattern := strconv.FormatInt(orderID, 10) + "_*.label"
	if amazonOrderID != "" {
		pattern = "*_" + amazonOrderID + ".label"
	}
	matches, _ := filepath.Glob(filepath.Join(c.dir, pattern))
	if len(matches) == 0 {
		return station.CachedLabel{}, errors.New("this bench has not printed that order's label in the last two days")
	}
	name := strings.TrimSuffix(filepath.Base(matches[0]), ".label")
	_, amazonID, _ := strings.Cut(name, "_")
	sealed, err := os.ReadFile(matches[0])
	if err != nil {
		return station.CachedLabel{}, err
	}
	raw, err := c.sealer.Open(sealed, c.aad(amazonID))
	if err != nil {
		return station.CachedLabel{}, fmt.Errorf("the cached label cannot be opened: %w", err)
	}
	var l station.CachedLabel
	return l, json.Unmarshal(raw, &l)
}

// errNoCache: this bench is not on a shared queue, so it has no label cache.
var errNoCache = errors.New("no label cache")

// onSharedQueue says whether this command line's bench works on a shared queue.
func onSharedQueue(c *runCtx) bool {
	_, joined, _ := loadQueue(c.dataDir)
	return joined || c.database != ""
}

// reprintFromCache is packbench reprint ORDER when the shared queue cannot
// be opened: the label this bench printed, on the printer it printed on.
func reprintFromCache(ctx context.Context, c *runCtx, args []string) error {
	if !onSharedQueue(c) {
		return errNoCache
	}
	fs := newFlagSet(c, "reprint")
	fs.String("print", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New("give the order's Amazon order id")
	}
	secrets, _ := keychain.Open(c.dataDir, os.Getenv("PACKBENCH_KEYCHAIN"), os.Getenv("PACKBENCH_SECRETS_PASSPHRASE"))
	sealer, err := keychain.OpenSealer(secrets, false)
	if err != nil {
		return err
	}
	log := slog.New(slog.DiscardHandler)
	st := station.New(nil, log).WithLabelPrinter(labelPrinter{defaultDir: filepath.Join(c.dataDir, "labels"), log: log}).
		WithLabelCache(labelCache{dir: filepath.Join(c.dataDir, LabelCacheDir), sealer: sealer})
	if err := st.ReprintCached(ctx, 0, strings.TrimSpace(fs.Arg(0))); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "The shared order queue cannot be reached: label printed from this bench's cache.")
	return nil
}

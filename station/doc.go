// Package station holds Packbench's domain types and the workflows a packing
// bench runs: connecting stores, importing, listing and searching orders,
// rating, buying (crash-safe), voiding, printing labels and slips, and
// redacting buyers' data. docs/architecture.md explains how they fit.
//
// It is written against small interfaces (see repo.go) so that the desktop UI,
// the headless subcommands and the tests all drive the same code, and it
// imports no other package of this module: the SQLite store, the Amazon
// client and the printers plug in from outside.
package station

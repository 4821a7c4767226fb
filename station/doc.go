// Package station holds Packbench's domain types and the workflows a packing
// bench runs: listing orders today; importing, rating, buying, voiding,
// reprinting, printing and redacting as later work lands.
//
// It is written against small interfaces (see repo.go) so that the desktop UI,
// the headless subcommands and the tests all drive the same code, and it
// imports no other package of this module: the SQLite store, the Amazon
// client and the printers plug in from outside.
package station

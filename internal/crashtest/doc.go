// Package crashtest holds the crash matrix: the real packbench binary,
// killed with SIGKILL at each step of buy, void, ship-bulk, print and
// import, against the Amazon simulator failing as Amazon does (an answer
// late or lost after the purchase took effect). After each crash the next
// start must leave Amazon's live labels equal to Packbench's, for every
// order, with no label printed twice. It has no code of its own: see
// crash_test.go.
package crashtest

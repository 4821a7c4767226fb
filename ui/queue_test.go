//go:build ci

package ui

import (
	"context"
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/packbench/packbench/station"
)

type fakeQueue struct {
	bench, location string
	joined          []string
	joinErr         error
}

func (q *fakeQueue) Bench() string    { return q.bench }
func (q *fakeQueue) Location() string { return q.location }
func (q *fakeQueue) Join(_ context.Context, location, bench, code string) error {
	q.joined = append(q.joined, location+" "+bench+" "+code)
	return q.joinErr
}
func (q *fakeQueue) JoinCode(context.Context) (string, time.Time, error) {
	return "7K3M-Q9TX-2HRP", time.Date(2026, 12, 1, 10, 15, 0, 0, time.Local), nil
}

// A bench of a shared queue shows its name and turns red when the queue
// stops answering, saying what still works; it shows join codes.
func TestABenchOnASharedQueueShowsItAndTurnsRedWhenItIsAway(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Packbench")
	t.Cleanup(w.Close)
	q := &fakeQueue{bench: "Pack-2", location: "postgres://packbench@server:5432/packbench"}
	u := Create(a, w, station.New(benchRepo(), nil), WithSynchronousWork(), WithQueue(q))
	assert.Equal(t, "Pack-2 · shared queue", u.queueView.text.Text)
	assert.True(t, u.queueView.box.Visible())

	u.QueueReachable(false)
	assert.Equal(t, "Pack-2 · queue unreachable", u.queueView.text.Text)
	assert.Equal(t, queueDown, u.queueView.dot.FillColor)
	assert.Contains(t, u.status.Text, "cannot be reached: nothing is bought or imported until it is back")
	assert.True(t, u.problems.box.Visible(), "said in the banner too")
	u.QueueReachable(true)
	assert.False(t, u.problems.box.Visible(), "back: the banner goes by itself")
	assert.Equal(t, queueUp, u.queueView.dot.FillColor)
	assert.Contains(t, u.status.Text, "answers again")

	u.showBenchSettings()
	d := topDialog(w)
	require.NotNil(t, d.buttons["Show a join code for another bench"])
	test.Tap(d.buttons["Show a join code for another bench"])
	assert.Contains(t, topDialog(w).text, "Join code: 7K3M-Q9TX-2HRP (works once, until 10:15)")
}

// A bench on its own file joins a queue from "This bench…": a refused
// join says why and keeps what was typed.
func TestABenchJoinsASharedQueueFromTheWindow(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Packbench")
	t.Cleanup(w.Close)
	q := &fakeQueue{joinErr: errors.New("that join code is not the one shown (or it has expired)")}
	u := Create(a, w, station.New(benchRepo(), nil), WithSynchronousWork(), WithQueue(q))
	assert.False(t, u.queueView.box.Visible(), "no queue: nothing in the status bar")

	u.showBenchSettings()
	test.Tap(topDialog(w).buttons["Join a shared order queue…"])
	d := topDialog(w)
	require.Len(t, d.entries, 4)
	test.Type(d.entries[0], "postgres://packbench@server:5432/packbench")
	test.Type(d.entries[1], "pw")
	assert.True(t, d.entries[1].Password, "the password is hidden as it is typed")
	test.Type(d.entries[2], "Pack-3")
	test.Type(d.entries[3], "2222-3333-4444")
	test.Tap(d.buttons["Join"])
	require.Equal(t, []string{"postgres://packbench:pw@server:5432/packbench Pack-3 2222-3333-4444"}, q.joined)
	d = topDialog(w)
	require.NotNil(t, d.problem)
	assert.Contains(t, d.problem.Text, "not the one shown")
	assert.Equal(t, "Pack-3", d.entries[2].Text, "what was typed stays")

	q.joinErr = nil
	test.Tap(d.buttons["Join"])
	assert.Contains(t, u.status.Text, "This bench, Pack-3, joined the shared order queue: close Packbench and start it again")
	assert.Contains(t, topDialog(w).text, "start it again", "said in a box that stays until read")
}

package labelcorpus

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const corpus = "../../printing/testdata/corpus"

// differs lists the labels whose barcodes do not scan the same from ours
// as from the reference, and why. A label that starts to match must leave
// the list; any other that stops matching fails. Every label scans the
// same today (where neither scans, as on amazon's and posten's, both are
// cut by a quiet zone or a TEST overprint).
var differs = map[string]string{}

// Every corpus label draws, and scans to the reference's barcodes unless
// listed in differs; every carrier's label matches its reference at pixel
// F1 0.90 or more (make bench prints the pixel F1 of each).
func TestTheCorpusScansToTheReferencesBarcodes(t *testing.T) {
	cases, err := Cases(corpus)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(cases), 50)
	for _, c := range cases {
		r, err := Compare(corpus, c)
		require.NoError(t, err, c.Name)
		require.NoError(t, r.Err, "%s draws", c.Name)
		why, listed := differs[c.Name]
		switch {
		case r.SameBarcodes() && listed:
			t.Errorf("%s now scans the same: take it off the list (%s)", c.Name, why)
		case !r.SameBarcodes() && !listed:
			t.Errorf("%s: the reference scans to %q, ours to %q", c.Name, r.Reference, r.Ours)
		}
		assert.Positive(t, r.F1, c.Name)
		if c.Carrier {
			// A carrier's label converted for an office printer looks as
			// the carrier drew it: 9 of 10 black dots within one dot.
			assert.GreaterOrEqual(t, r.F1, 0.90, "%s: pixel F1 against the reference", c.Name)
		}
	}
}

// The measure itself: an image against itself is F1 1, against a blank
// one 0, and a shift by one dot still counts as matched.
func TestF1CountsDotsWithinOne(t *testing.T) {
	ref, err := readGray(corpus + "/ups.png")
	require.NoError(t, err)
	assert.InDelta(t, 1, F1(ref, ref), 1e-9)
	blank := *ref
	blank.Pix = make([]byte, len(ref.Pix))
	for i := range blank.Pix {
		blank.Pix[i] = 0xff
	}
	assert.Zero(t, F1(&blank, ref))
	shifted := *ref
	shifted.Pix = append([]byte{0xff}, ref.Pix[:len(ref.Pix)-1]...)
	assert.Greater(t, F1(&shifted, ref), 0.99)
}

// The README says which labels are carriers' own: 31 pages here.
func TestTheCorpusKnowsItsCarrierLabels(t *testing.T) {
	cases, err := Cases(corpus)
	require.NoError(t, err)
	carriers := map[string]bool{}
	for _, c := range cases {
		if c.Carrier {
			carriers[c.Name] = true
		}
	}
	assert.GreaterOrEqual(t, len(carriers), 30)
	assert.True(t, carriers["ups"] && carriers["fedex"] && carriers["pnldpd_page_2"] && carriers["binarykits_glsuk"] && carriers["toolchain_ups_surepost_usps"])
	assert.False(t, carriers["gs"] || carriers["text_fo_n"], "feature cases are not carriers' labels")
}

package main

import (
	"fmt"
	"strings"

	"github.com/packbench/packbench/internal/labelcorpus"
)

// corpusBench compares Packbench's ZPL renderer with another renderer's
// images of real carrier labels (printing/testdata/corpus): a row per
// label, then the means.
func corpusBench(dir string) ([]Figure, error) {
	cases, err := labelcorpus.Cases(dir)
	if err != nil {
		return nil, err
	}
	var figs []Figure
	var sumF1, carrierF1 float64
	same, withCodes, sameWithCodes := 0, 0, 0
	carriers, carriersMet := 0, 0
	for _, c := range cases {
		r, err := labelcorpus.Compare(dir, c)
		if err != nil {
			return nil, err
		}
		sumF1 += r.F1
		if c.Carrier {
			carriers++
			carrierF1 += r.F1
			if r.F1 >= 0.9 {
				carriersMet++
			}
		}
		if r.SameBarcodes() {
			same++
		}
		if len(r.Reference) > 0 {
			withCodes++
			if r.SameBarcodes() {
				sameWithCodes++
			}
		}
		note := fmt.Sprintf("barcodes: the reference scans to %d, ours to %d", len(r.Reference), len(r.Ours))
		if !r.SameBarcodes() {
			note += fmt.Sprintf(", not the same (reference %s; ours %s)", strings.Join(r.Reference, " "), strings.Join(r.Ours, " "))
		}
		if r.Err != nil {
			note = "not drawn: " + r.Err.Error()
		}
		kind := "feature case"
		if c.Carrier {
			kind = "carrier's label"
		}
		figs = append(figs, Figure{Name: "label corpus: " + c.Name + ", " + kind + " (pixel F1 within one dot)", Value: round2(r.F1), Unit: "F1",
			Reference: 0.9, RefName: "goal", Ratio: round2(r.F1 / 0.9), Goal: ">= 0.90, the same barcodes", Met: r.F1 >= 0.9 && r.SameBarcodes(), Note: note})
	}
	mean := sumF1 / float64(max(1, len(cases)))
	carrierMean := carrierF1 / float64(max(1, carriers))
	summary := []Figure{
		{Name: fmt.Sprintf("label corpus: mean pixel F1 within one dot, %d labels", len(cases)), Value: round2(mean), Unit: "F1",
			Reference: 0.9, RefName: "goal", Ratio: round2(mean / 0.9), Goal: ">= 0.90", Met: mean >= 0.9,
			Note: "references drawn by another renderer (zebrash, MIT); text is where most dots differ: font 0 is TeX Gyre Heros Cn set to Zebra's widths, not Zebra's own font"},
		{Name: fmt.Sprintf("label corpus: carriers' labels at F1 0.90 or more, of %d", carriers), Value: float64(carriersMet), Unit: "labels",
			Reference: float64(carriers), RefName: "every one", Ratio: round2(float64(carriersMet) / float64(max(1, carriers))), Goal: "all, and at least 30 labels", Met: carriersMet == carriers && carriers >= 30,
			Note: fmt.Sprintf("their mean F1 %.3f; the corpus has %d carriers' labels, 30 asked", carrierMean, carriers)},
		{Name: fmt.Sprintf("label corpus: labels whose barcodes scan the same (of the %d whose reference scans to one)", withCodes), Value: float64(sameWithCodes), Unit: "labels",
			Reference: float64(withCodes), RefName: "every one", Ratio: round2(float64(sameWithCodes) / float64(max(1, withCodes))), Goal: "all", Met: sameWithCodes == withCodes,
			Note: fmt.Sprintf("%d of all %d labels alike; scanned with gozxing (Code 128, Code 39, ITF, EAN-13, QR, Data Matrix, Aztec); PDF417 and MaxiCode are compared module for module by the printing tests (fedex, ups, ups_surepost)", same, len(cases))},
	}
	return append(summary, figs...), nil
}

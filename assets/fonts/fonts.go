// Package fonts embeds the typefaces the label renderer draws ZPL text
// with. It is apart from package assets so that printing, which runs
// headless, does not pull in the UI toolkit.
package fonts

import _ "embed"

// HerosCondensedBold is TeX Gyre Heros Cn Bold 2.004 (GUST Font License,
// see GUST-FONT-LICENSE.txt and README-TeX-Gyre-Heros.txt here), unmodified:
// a free Helvetica Condensed Bold design, the closest in shape and width
// to Zebra's font 0 (CG Triumvirate Bold Condensed) that may be shipped.
//
//go:embed texgyreheroscn-bold.otf
var HerosCondensedBold []byte

// DejaVuSansMono and DejaVuSansMonoBold are DejaVu Sans Mono 2.37 and its
// bold, unmodified (Bitstream Vera licence, DejaVu's changes public
// domain: LICENSE-DejaVu.txt here). They draw Zebra's bitmap fonts A to H
// (B in bold) and barcodes' interpretation lines: sans-serif, like the
// printer's.
//
//go:embed DejaVuSansMono.ttf
var DejaVuSansMono []byte

//go:embed DejaVuSansMono-Bold.ttf
var DejaVuSansMonoBold []byte

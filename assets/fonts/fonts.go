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

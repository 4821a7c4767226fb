// Package assets embeds the files the app ships: its icon.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is Packbench's application icon (a label on a box).
var Icon fyne.Resource = fyne.NewStaticResource("icon.png", iconPNG)

#!/usr/bin/env bash
# Writes THIRD_PARTY_NOTICES.md: every module the shipped packbench binary
# (and the auth broker) links, with its version and its licence text, read
# from the module cache. Run it after changing go.mod.
set -euo pipefail
cd "$(dirname "$0")/.."
out=THIRD_PARTY_NOTICES.md
{
	echo "# Third-party notices"
	echo
	echo "Packbench is licensed under the Apache License 2.0 (LICENSE). The binaries it builds link the"
	echo "modules below; each one's licence follows, as its authors ship it. Amazon's API models kept in"
	echo "integrations/amazon/contract/models carry their own licences beside them (they serve tests only),"
	echo "and so does the label corpus in printing/testdata/corpus (test data of zebrash, BinaryKits.Zpl and zpl-toolchain, MIT: tests and make bench)."
	echo "Written by scripts/notices.sh."
	go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . ./cmd/packbench-broker |
		sort -u | while read -r path version dir; do
		echo
		echo "## $path $version"
		echo
		lic=$(find "$dir" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) | sort)
		if [ -z "$lic" ]; then
			echo "(no licence file in the module: see its repository)"
			continue
		fi
		for f in $lic; do
			echo '```'
			cat "$f"
			echo '```'
		done
		if [ "$path" = github.com/golang/freetype ]; then
			# Dual-licensed: Packbench takes the FreeType License.
			echo
			echo "Used under the FreeType License (licenses/ftl.txt), which follows. Portions of this software are"
			echo "copyright © The FreeType Project (www.freetype.org). All rights reserved."
			echo
			echo '```'
			cat "$dir/licenses/ftl.txt"
			echo '```'
		fi
	done
	# Fonts embedded in the binary (assets/fonts), with their licences.
	for font in "TeX Gyre Heros Cn Bold 2.004:assets/fonts/GUST-FONT-LICENSE.txt" \
		"DejaVu Sans Mono 2.37:assets/fonts/LICENSE-DejaVu.txt"; do
		echo
		echo "## ${font%%:*} (font, assets/fonts)"
		echo
		echo '```'
		cat "${font#*:}"
		echo '```'
	done
} > "$out"
echo "wrote $out"

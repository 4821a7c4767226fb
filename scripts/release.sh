#!/usr/bin/env bash
# make release: the artifacts of a version, in dist/, each with its SHA-256
# in dist/SHA256SUMS:
#   packbench-VERSION-windows-amd64.msi  per-user installer (wixl)
#   packbench-VERSION-windows-amd64.zip  the same programs, unzip and run
#   packbench-VERSION-linux-amd64.tar.xz the program, .desktop file, icon
#   packbench-broker-VERSION-linux-amd64 the auth broker, static (docs/broker.md)
# The version is FyneApp.toml's. Needs the mingw-w64 C cross-compiler,
# windres, wixl and ImageMagick (scripts/deps.sh release installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
[ -n "$version" ] || { echo "no Version in FyneApp.toml" >&2; exit 1; }
dist=dist
rm -rf "$dist" && mkdir -p "$dist/win" "$dist/linux"
ldflags="-s -w -X github.com/packbench/packbench/cli.Version=$version"

# Windows: resources (icon, version, manifest) compiled into a .syso that
# go build links; removed afterwards so that no other build picks it up.
syso=rsrc_windows_amd64.syso
trap 'rm -f "$syso"' EXIT
convert assets/icon.png -define icon:auto-resize=256,64,48,32,16 "$dist/win/packbench.ico"
IFS=. read -r major minor patch <<<"$version"
for exe in packbench packbench-cli; do
	sed -e "s/@VERSION@/$version/g" -e "s/@VERSIONCOMMA@/$major,$minor,${patch:-0},0/g" -e "s/@EXE@/$exe.exe/g" \
		packaging/windows/packbench.rc >"$dist/win/packbench.rc"
	sed -e "s/@VERSION4@/$major.$minor.${patch:-0}.0/g" packaging/windows/packbench.manifest >"$dist/win/packbench.manifest"
	x86_64-w64-mingw32-windres -I "$dist/win" -i "$dist/win/packbench.rc" -O coff -o "$syso"
	gui=""
	# packbench.exe opens no console window; packbench-cli.exe is the same
	# program for terminals and scripts (a terminal waits for it).
	[ "$exe" = packbench ] && gui="-H=windowsgui"
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build -trimpath -ldflags "$ldflags $gui" -o "$dist/win/$exe.exe" .
done
rm -f "$syso"
win="packbench-$version-windows-amd64"
wixl -a x64 -D Version="$version" -D Dist="$dist/win" -o "$dist/$win.msi" packaging/windows/packbench.wxs
(
	mkdir -p "$dist/zip/Packbench"
	cp "$dist/win/packbench.exe" "$dist/win/packbench-cli.exe" "$dist/zip/Packbench/"
	cp LICENSE "$dist/zip/Packbench/LICENSE.txt"
	cp THIRD_PARTY_NOTICES.md "$dist/zip/Packbench/"
	cd "$dist/zip" && zip -qr "../$win.zip" Packbench
)

# Linux: the program (GL, cgo), its .desktop file and icon.
lin="packbench-$version-linux-amd64"
mkdir -p "$dist/linux/$lin"
CGO_ENABLED=1 go build -trimpath -ldflags "$ldflags" -o "$dist/linux/$lin/packbench" .
cp packaging/linux/packbench.desktop LICENSE THIRD_PARTY_NOTICES.md "$dist/linux/$lin/"
cp assets/icon.png "$dist/linux/$lin/packbench.png"
tar -C "$dist/linux" -cJf "$dist/$lin.tar.xz" "$lin"

# The auth broker: pure Go, static, for any Linux server.
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$dist/packbench-broker-$version-linux-amd64" ./cmd/packbench-broker

(cd "$dist" && sha256sum ./*.msi ./*.zip ./*.tar.xz "packbench-broker-$version-linux-amd64" | sed 's| \./| |' >SHA256SUMS)
ls -l "$dist" | grep -v '^d'
cat "$dist/SHA256SUMS"

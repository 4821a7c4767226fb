#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Packbench needs to build its window
# (Fyne's GLFW driver: C headers for GL, X11 and Wayland) when they are
# missing. Runs apt-get as root directly, else through sudo; says what to do
# when neither is possible.
set -euo pipefail

packages=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
	libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev)
# xvfb lets the window run (and be screenshot) on a machine without a screen.
[ "${PACKBENCH_WITH_XVFB:-0}" = 1 ] && packages+=(xvfb)
# The tests print through a real CUPS server (cupsd, lpadmin, the socket
# backend) and rasterize PDFs with poppler to scan their barcodes. Without
# recommends: no printer drivers, avahi or colord come along.
slim=()
# The shift test runs the real window under Xvfb and types into it with
# xdotool, as a barcode scanner does.
[ "${PACKBENCH_WITH_TEST_TOOLS:-0}" = 1 ] && slim+=(cups-daemon cups-client cups poppler-utils xvfb xdotool)
# The Windows tests run under Wine (internal/winetest), with a ProcessPrng
# shim compiled by the mingw-w64 C compiler; ghostscript renders the page
# Windows drew for an office printer, to measure the label on it.
[ "${PACKBENCH_WITH_TEST_TOOLS:-0}" = 1 ] && slim+=(wine64 gcc-mingw-w64-x86-64 ghostscript)
# The store's tests run on PostgreSQL too (internal/pgtest starts a private
# server: initdb and pg_ctl on a loopback port), as several benches share one.
[ "${PACKBENCH_WITH_TEST_TOOLS:-0}" = 1 ] && slim+=(postgresql)
# make release cross-compiles for Windows (mingw-w64 C compiler and
# windres), builds the MSI with wixl, the icon with ImageMagick.
[ "${PACKBENCH_WITH_RELEASE_TOOLS:-0}" = 1 ] && slim+=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wixl msitools imagemagick zip xz-utils)

if ! command -v go >/dev/null 2>&1; then
	echo "Go is not installed or not on PATH. Install Go 1.26 (https://go.dev/dl/) and run make again." >&2
	exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian/Ubuntu system; make sure a C compiler and the GL/X11 development headers are installed." >&2
	exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done
missing_slim=()
for p in "${slim[@]}"; do
	installed "$p" || missing_slim+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_slim[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]} ${missing_slim[*]}"
# apt_install runs apt-get install as root, or through sudo.
apt_install() {
	if [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
	else
		sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
	fi
}
if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi &&
		{ [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"; } &&
		{ [ ${#missing_slim[@]} -eq 0 ] || apt_install --no-install-recommends "${missing_slim[@]}"; } && exit 0
fi
echo "deps: these packages are missing and this user could not install them:" >&2
echo "  sudo apt-get install -y ${missing[*]} ${missing_slim[*]}" >&2
echo "Run that as an administrator, then make again." >&2
exit 1

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

if ! command -v go >/dev/null 2>&1; then
	echo "Go is not installed or not on PATH. Install Go 1.26 (https://go.dev/dl/) and run make again." >&2
	exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian/Ubuntu system; make sure a C compiler and the GL/X11 development headers are installed." >&2
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
elif command -v sudo >/dev/null 2>&1 &&
	sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; then
	:
else
	echo "deps: these packages are missing and this user could not install them:" >&2
	echo "  sudo apt-get install -y ${missing[*]}" >&2
	echo "Run that as an administrator, then make again." >&2
	exit 1
fi

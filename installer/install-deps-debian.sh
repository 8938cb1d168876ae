#!/bin/sh
# Installs every package Hookbench needs to build, test, benchmark and screenshot itself on
# Debian 12 (bookworm). Run as root (or through sudo). Safe to run again: apt-get skips what is
# already installed.
set -eu

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo "$0" "$@"
    fi
    echo "install-deps-debian.sh: must run as root (or with sudo available)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# clang, libclang-rt-14-dev (libFuzzer and the sanitizer runtimes) and llvm (llvm-symbolizer for
# sanitizer stack traces): the fuzz preset and .ci/sanitizers.sh.
# dpkg-dev and file: cpack -G DEB runs dpkg-shlibdeps, and file to find the ELF binaries.
# desktop-file-utils, appstream, shared-mime-info: the package test validates the desktop entry,
# the AppStream metainfo and the MIME types.
packages="
    build-essential cmake ninja-build pkg-config git ca-certificates
    dpkg-dev file desktop-file-utils appstream shared-mime-info
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev libqt6svg6-dev
    libgl-dev libvulkan-dev libxkbcommon-dev
    librdkafka-dev libsqlite3-dev libssl-dev libhttp-parser-dev
    curl kcat python3
    clang libclang-rt-14-dev llvm
    wrk nginx-light
    xvfb xauth imagemagick fonts-dejavu-core
"

apt-get update
# shellcheck disable=SC2086 # word splitting of the list is intended
apt-get install -y --no-install-recommends $packages

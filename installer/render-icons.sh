#!/bin/sh
# Renders resources/icons/hookbench.svg into the hicolor PNG sizes that are committed under
# resources/icons/hicolor. Run it after changing the SVG; the build itself needs no SVG renderer.
# Needs rsvg-convert (Debian package librsvg2-bin).
set -eu
cd "$(dirname "$0")/.."
for size in 16 22 24 32 48 64 128 256 512; do
    dir=resources/icons/hicolor/${size}x${size}/apps
    mkdir -p "$dir"
    rsvg-convert -w "$size" -h "$size" resources/icons/hookbench.svg -o "$dir/hookbench.png"
done

#!/usr/bin/env bash
# The package test (CTest test_package, label "package"): builds hookbench_<version>_<arch>.deb and
# hookbench-<version>-linux-<machine>.tar.gz with cpack from a built tree, inspects them, and runs
# hookbench from the unpacked files: --version, then a --headless start, /healthz and a SIGTERM stop.
#
#   test_package.sh BUILD_DIR SOURCE_DIR VERSION [CPACK]
#
# Needs only what installer/install-deps-debian.sh installs (dpkg-dev, file, curl,
# desktop-file-utils, appstream, shared-mime-info). It installs nothing on the machine: the .deb is
# unpacked with dpkg-deb -x into a temporary directory.
set -euo pipefail

build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
version=$3
cpack=${4:-cpack}
arch=$(dpkg --print-architecture)
machine=$(uname -m)
app_id=io.hookbench.Hookbench

work=$(mktemp -d "${TMPDIR:-/tmp}/hookbench-package.XXXXXX")
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== [${SECONDS} s] $*"; }

# Keep hookbench and the tools away from the real home directory.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
mkdir -p "$HOME"

step "cpack -G DEB, cpack -G TGZ"
for generator in DEB TGZ; do
    if ! (cd "$build" && "$cpack" -G "$generator" -B "$work/out") >"$work/cpack-$generator.log" 2>&1; then
        cat "$work/cpack-$generator.log" >&2
        fail "cpack -G $generator"
    fi
done
deb=$work/out/hookbench_${version}_${arch}.deb
tarball=$work/out/hookbench-${version}-linux-${machine}.tar.gz
[[ -f $deb ]] || fail "no $(basename "$deb"); cpack made: $(ls "$work/out")"
[[ -f $tarball ]] || fail "no $(basename "$tarball"); cpack made: $(ls "$work/out")"
echo "$(basename "$deb") $(stat -c %s "$deb") bytes, $(basename "$tarball") $(stat -c %s "$tarball") bytes"

step "dpkg-deb -I: control fields"
dpkg-deb -I "$deb"
[[ $(dpkg-deb -f "$deb" Package) == hookbench ]] || fail "Package is not hookbench"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "Version is not $version"
[[ $(dpkg-deb -f "$deb" Architecture) == "$arch" ]] || fail "Architecture is not $arch"
depends=$(dpkg-deb -f "$deb" Depends)
[[ -n $depends ]] || fail "no Depends"
# Package names in Depends, alternatives included, without version constraints.
mapfile -t depends_names < <(tr ',|' '\n' <<<"$depends" | sed 's/(.*//; s/[[:space:]]//g' | grep -v '^$')
depends_on() {
    local name
    for name in "${depends_names[@]}"; do [[ $name == "$1" ]] && return 0; done
    return 1
}
depends_on qt6-qpa-plugins || fail "Depends lacks qt6-qpa-plugins (the window's platform plugin)"
for name in "${depends_names[@]}"; do
    [[ $name != *-dev ]] || fail "Depends names a development package: $name"
done
if git -C "$source" rev-parse --git-dir >/dev/null 2>&1; then
    commit=$(git -C "$source" rev-parse --short=10 HEAD)
    dpkg-deb -f "$deb" Description | grep -q "Built from commit $commit" \
        || fail "the description does not name commit $commit"
else
    commit=
fi

step "dpkg-deb -c: files in place"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | grep -v '^$' | sort >"$work/deb-paths"
expected_files=(
    /usr/bin/hookbench
    "/usr/share/applications/$app_id.desktop"
    "/usr/share/metainfo/$app_id.metainfo.xml"
    /usr/share/mime/packages/hookbench.xml
    /usr/share/icons/hicolor/scalable/apps/hookbench.svg
    /usr/share/man/man1/hookbench.1.gz
    /usr/share/bash-completion/completions/hookbench
    /usr/lib/systemd/user/hookbench.service
    /usr/share/doc/hookbench/copyright
    /usr/share/doc/hookbench/README.md
)
icon_sizes=(16 22 24 32 48 64 128 256 512)
for size in "${icon_sizes[@]}"; do
    expected_files+=("/usr/share/icons/hicolor/${size}x${size}/apps/hookbench.png")
done
for file in "${expected_files[@]}"; do
    grep -qxF "$file" "$work/deb-paths" || fail "$file is not in the package"
done
outside=$(grep -v '^/usr\(/\|$\)' "$work/deb-paths" | grep -vx '/' || true)
[[ -z $outside ]] || fail "files outside /usr: $outside"
[[ -z $(grep '^/usr/local' "$work/deb-paths" || true) ]] || fail "files under /usr/local"

root=$work/root
dpkg-deb -x "$deb" "$root"
[[ -x $root/usr/bin/hookbench ]] || fail "/usr/bin/hookbench is not executable"

step "Depends covers every library the binary links (dpkg-shlibdeps)"
mapfile -t needed < <(readelf -d "$root/usr/bin/hookbench" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[[ ${#needed[@]} -gt 0 ]] || fail "readelf found no NEEDED libraries"
ldd "$root/usr/bin/hookbench" >"$work/ldd"
declare -A library_path
candidates=()
for soname in "${needed[@]}"; do
    # "libc.so.6 => /lib/…/libc.so.6 (…)", or for the dynamic loader "/lib64/ld-linux-x86-64.so.2 (…)".
    path=$(awk -v n="$soname" '
        found { next }
        $1 == n && $2 == "=>" { print $3; found = 1 }
        substr($1, length($1) - length(n)) == "/" n { print $1; found = 1 }' "$work/ldd")
    [[ -n $path ]] || fail "$soname does not resolve on this machine"
    library_path[$soname]=$path
    # Merged /usr: dpkg may know the library under /lib or /usr/lib, or only its real file.
    candidates+=("$path" "${path#/usr}" "/usr$path" "$(readlink -f "$path")")
done
# One dpkg -S for all of them (each call reads the whole database); unknown paths are expected.
declare -A path_owner
while IFS= read -r line; do
    path_owner[${line#*: }]=${line%%:*}
done < <(dpkg -S "${candidates[@]}" 2>/dev/null || true)
for soname in "${needed[@]}"; do
    path=${library_path[$soname]}
    owner=
    for candidate in "$path" "${path#/usr}" "/usr$path" "$(readlink -f "$path")"; do
        owner=${path_owner[$candidate]:-}
        [[ -z $owner ]] || break
    done
    [[ -n $owner ]] || fail "no package owns $path ($soname)"
    depends_on "$owner" || fail "$soname comes from $owner, which Depends does not name"
    echo "$soname <- $owner"
done

step "desktop entry"
desktop=$root/usr/share/applications/$app_id.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate"
for line in 'Name=Hookbench' 'Exec=hookbench %F' 'Icon=hookbench' 'Categories=Development;Network;' 'Type=Application'; do
    grep -qxF "$line" "$desktop" || fail "the desktop entry lacks $line"
done
grep -q '^Comment=.' "$desktop" || fail "the desktop entry has no Comment"

step "MIME types"
mime_xml=$root/usr/share/mime/packages/hookbench.xml
mkdir -p "$work/mime/packages"
cp "$mime_xml" "$work/mime/packages/"
# (XDG_DATA_DIRS only keeps it from noting that $work is not a data directory.)
XDG_DATA_DIRS=$work update-mime-database "$work/mime" || fail "update-mime-database rejects hookbench.xml"
grep -qx '50:application/x-hookbench-session:\*\.hbsession' "$work/mime/globs2" || fail "*.hbsession is not mapped"
grep -qx '50:application/x-hookbench-collection:\*\.hbcollection' "$work/mime/globs2" || fail "*.hbcollection is not mapped"
mime_types=$(sed -n 's/^MimeType=//p' "$desktop")
[[ -n $mime_types ]] || fail "the desktop entry has no MimeType"
IFS=';' read -r -a mime_list <<<"$mime_types"
for type in "${mime_list[@]}"; do
    grep -q "<mime-type type=\"$type\">" "$mime_xml" || fail "desktop MimeType $type is not defined in hookbench.xml"
done

step "AppStream metainfo"
metainfo=$root/usr/share/metainfo/$app_id.metainfo.xml
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
# The installed tree as a whole: the metainfo with the desktop entry it launches.
appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree"
release=$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$metainfo" | head -n1)
[[ $release == "$version" ]] || fail "the metainfo's newest release is $release, the project is $version"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
    || fail "the metainfo's launchable is not the installed desktop file"

step "icons"
for size in "${icon_sizes[@]}"; do
    file "$root/usr/share/icons/hicolor/${size}x${size}/apps/hookbench.png" | grep -q "PNG image data, $size x $size," \
        || fail "the ${size}x${size} icon is not a ${size}x${size} PNG"
done

step "hookbench --version"
version_out=$("$root/usr/bin/hookbench" --version)
echo "$version_out"
[[ $version_out == "hookbench $version"* ]] || fail "--version does not print hookbench $version"
if [[ -n $commit ]]; then
    [[ $version_out == *"(commit $commit"* ]] || fail "--version does not name commit $commit"
fi

step "man page and bash completion name every option of --help"
mapfile -t options < <("$root/usr/bin/hookbench" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
[[ ${#options[@]} -ge 5 ]] || fail "--help lists too few options: ${options[*]}"
man_text=$(zcat "$root/usr/share/man/man1/hookbench.1.gz" | sed 's/\\-/-/g')
grep -q "^\.TH HOOKBENCH 1 .*\"Hookbench $version\"" <<<"$man_text" || fail "the man page's .TH does not name $version"
completion=$root/usr/share/bash-completion/completions/hookbench
complete_words() {
    bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hookbench
        printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@"
}
completed=$(complete_words hookbench --)
for option in "${options[@]}"; do
    grep -q -- "$option" <<<"$man_text" || fail "the man page does not mention $option"
    grep -qxF -- "$option" <<<"$completed" || fail "bash completion does not offer $option"
done
[[ $(complete_words hookbench --da) == --data-dir ]] || fail "bash completion of --da is not --data-dir"
mkdir -p "$work/files/sub"
touch "$work/files/a.hbsession" "$work/files/b.hbcollection" "$work/files/c.txt"
[[ $(complete_words hookbench "$work/files/" | sort | tr '\n' ' ') \
    == "$work/files/a.hbsession $work/files/b.hbcollection $work/files/sub " ]] \
    || fail "bash completion of files offers: $(complete_words hookbench "$work/files/" | tr '\n' ' ')"

step "systemd --user unit"
unit=$root/usr/lib/systemd/user/hookbench.service
grep -qx 'ExecStart=hookbench --headless' "$unit" || fail "the unit does not run hookbench --headless"
grep -qx 'WantedBy=default.target' "$unit" || fail "the unit is not wanted by default.target"

step "hookbench --headless from the unpacked package: start, /healthz, SIGTERM"
log=$work/headless.log
"$root/usr/bin/hookbench" --headless --listen 127.0.0.1:0 --data-dir "$work/data" 2>"$log" &
server_pid=$!
listen=
deadline=$((SECONDS + 60))
while [[ -z $listen ]]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "hookbench --headless exited before it started"; }
    ((SECONDS < deadline)) || { cat "$log" >&2; fail "no started line within 60 s"; }
    listen=$(grep '"event":"started"' "$log" | grep -o '"listen":"[^"]*"' | cut -d'"' -f4 || true)
    [[ -n $listen ]] || sleep 0.1
done
health=$(curl -fsS --max-time 10 "http://$listen/healthz") || { cat "$log" >&2; fail "GET /healthz"; }
echo "$health"
grep -q '"status":"ok"' <<<"$health" || fail "/healthz is not ok: $health"
kill -TERM "$server_pid"
deadline=$((SECONDS + 30))
while kill -0 "$server_pid" 2>/dev/null; do
    ((SECONDS < deadline)) || { cat "$log" >&2; fail "hookbench did not stop within 30 s of SIGTERM"; }
    sleep 0.1
done
status=0
wait "$server_pid" || status=$?
server_pid=
[[ $status -eq 0 ]] || { cat "$log" >&2; fail "hookbench exited with $status after SIGTERM"; }
grep -q '"event":"stopped"' "$log" || { cat "$log" >&2; fail "no stopped line"; }

step "tarball: one top directory, the same files as the .deb, runs from where it is unpacked"
top=hookbench-${version}-linux-${machine}
stray=$(tar -tzf "$tarball" | grep -v "^$top/" || true)
[[ -z $stray ]] || fail "tarball entries outside $top/: $stray"
unpacked="$work/un packed"
mkdir -p "$unpacked"
tar -xzf "$tarball" -C "$unpacked"
(cd "$unpacked/$top" && find . ! -type d | sed 's|^\.|/usr|' | sort) >"$work/tar-files"
(cd "$root" && find . ! -type d | sed 's|^\.||' | sort) >"$work/deb-files"
diff -u "$work/deb-files" "$work/tar-files" || fail "the tarball and the .deb hold different files"
tar_version=$("$unpacked/$top/bin/hookbench" --version)
[[ $tar_version == "$version_out" ]] || fail "the tarball's hookbench says $tar_version"

echo "OK: $(basename "$deb") and $(basename "$tarball") in ${SECONDS} s"

#!/bin/sh
# Rejects calls that core/ must not make (CONVENTIONS.md items 1, 4, 7, 9, 16):
#   QObject::sender()          capture what the slot needs in the lambda instead
#   processEvents()            nested event loops re-enter code; post work instead
#   exit(), abort(), qFatal()  core reports a Result; only app/ decides to stop
#   strcpy, strcat, sprintf, vsprintf, gets   unbounded C string writes
#   QtWidgets / QtGui includes core is GUI-free
#
# Usage: .ci/check-banned-calls.sh [path...]   (default: core/ of this repository)
# Prints file:line for each hit and exits 1 if there is any, 0 if there is none, 2 on a usage
# error. Comments and the contents of string and character literals are skipped, so prose and
# messages may name these calls; raw strings and macros are not understood (cheap, not a parser).
set -eu

if [ "$#" -eq 0 ]; then
    cd "$(dirname "$0")/.."
    set -- core
fi
for path in "$@"; do
    if [ ! -e "$path" ]; then
        echo "check-banned-calls: no such file or directory: $path" >&2
        exit 2
    fi
done

# POSIX awk (mawk, gawk, busybox): no \b or \s, so word edges are spelled out as bracket
# expressions. "Not a member call" = not preceded by an identifier character, '.', '->' or
# 'Qualifier::', while std:: and :: are still caught.
# shellcheck disable=SC2016 # an awk program: $0 and friends are awk's, not the shell's
awk_program='
function report(name) {
    printf "%s:%d: banned %s: %s\n", FILENAME, FNR, name, raw
}
FNR == 1 { inblock = 0 }
{
    raw = $0
    sub(/^[ \t]+/, "", raw)
    startedInBlock = inblock

    # Strip comments and literal contents, one character at a time.
    code = ""; n = length($0); i = 1
    while (i <= n) {
        c = substr($0, i, 1); c2 = substr($0, i, 2)
        if (inblock) {
            if (c2 == "*/") { inblock = 0; i += 2; code = code " " } else i++
            continue
        }
        if (c2 == "/*") { inblock = 1; i += 2; continue }
        if (c2 == "//") break
        if (c == "\"" || (c == "'"'"'" && substr($0, i - 1, 1) !~ /[A-Za-z0-9_]/)) {
            # A literal; a quote after a digit is a digit separator (10'"'"'000), not a literal.
            q = c; code = code q; i++
            while (i <= n) {
                c = substr($0, i, 1)
                if (c == "\\") { i += 2; continue }
                i++
                if (c == q) break
            }
            code = code q
            continue
        }
        code = code c; i++
    }

    if (!startedInBlock && $0 ~ /^[ \t]*#[ \t]*include[ \t]*[<"](QtWidgets|QtGui|QWidget|QApplication|QGuiApplication|QMainWindow|QDialog|QMessageBox)/)
        report("GUI include (core is GUI-free)")
    if (code ~ /(^|[^A-Za-z0-9_])sender[ \t]*\([ \t]*\)/ || code ~ /(^|[^A-Za-z0-9_])senderSignalIndex[ \t]*\(/)
        report("QObject::sender()")
    if (code ~ /(^|[^A-Za-z0-9_])processEvents([^A-Za-z0-9_]|$)/)
        report("processEvents()")
    if (code ~ /(^|[^A-Za-z0-9_.>:])((std)?::)?(exit|_exit|_Exit|quick_exit)[ \t]*\(/ ||
        code ~ /(QCoreApplication|QGuiApplication|QApplication)::(exit|quit)[ \t]*\(/ ||
        code ~ /qApp[ \t]*->[ \t]*(exit|quit)[ \t]*\(/)
        report("exit()")
    if (code ~ /(^|[^A-Za-z0-9_.>:])((std)?::)?abort[ \t]*\(/)
        report("abort()")
    if (code ~ /(^|[^A-Za-z0-9_])q(C)?Fatal([^A-Za-z0-9_]|$)/)
        report("qFatal()")
    if (code ~ /(^|[^A-Za-z0-9_.>:])((std)?::)?(strcpy|strcat|stpcpy|sprintf|vsprintf|gets)[ \t]*\(/)
        report("unbounded C string call")
}
'

hits_file=$(mktemp)
trap 'rm -f "$hits_file"' EXIT
# awk exits 0 whether or not it finds something, so a failing find/awk is a real error.
if ! find "$@" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.hh' -o -name '*.cpp' -o -name '*.cc' \
    -o -name '*.cxx' -o -name '*.c' -o -name '*.inl' \) -exec awk "$awk_program" {} + >"$hits_file"; then
    echo "check-banned-calls: scanning $* failed" >&2
    exit 2
fi

if [ -s "$hits_file" ]; then
    sort -t: -k1,1 -k2,2n "$hits_file"
    echo "check-banned-calls: $(wc -l <"$hits_file" | tr -d ' ') banned call(s) found in $*" >&2
    exit 1
fi
echo "check-banned-calls: no banned calls in $*" >&2
exit 0

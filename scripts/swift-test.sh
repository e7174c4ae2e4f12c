#!/usr/bin/env bash
# Builds and tests the Swift package ios/TesseraKit on this Linux host, through the real
# libtessera_ffi, inside the Debian 13 root made by scripts/setup-swift-root.sh (Debian's
# swiftlang 6.0.3). See docs/building.md, section "Swift".
#
# usage: scripts/swift-test.sh           swift test (XCTest); prints "Executed N tests, with F failures"
#        scripts/swift-test.sh --bench   release library + `swift run -c release TesseraBench`
#        scripts/swift-test.sh --sources only copy the generated bindings into the package
#                                        (any OS, no root: e.g. on a Mac before opening it in Xcode),
#                                        refused unless TesseraFFI.xcframework was built with them
#
# It bind-mounts the repository (and the cargo target folder when it lies elsewhere) into the
# root at the same absolute path, mounts /proc, and always unmounts what it mounted, also after
# a failure or Ctrl-C. A run that died earlier leaves stale mounts: they are cleared first. Two
# runs at once wait for each other (a lock file beside the root). Needs root (mount, chroot).
# Environment: TESSERA_SWIFT_ROOT (default /var/cache/tessera/swift-root), CARGO_TARGET_DIR.
set -euo pipefail

mode=test
case "${1:-}" in
    "") ;;
    --bench) mode=bench ;;
    --sources) mode=sources ;;
    *) echo "usage: $0 [--bench | --sources]" >&2; exit 2 ;;
esac

repo=$(cd "$(dirname "$0")/.." && pwd -P)
root="${TESSERA_SWIFT_ROOT:-/var/cache/tessera/swift-root}"
target="${CARGO_TARGET_DIR:-$repo/target}"
mkdir -p "$target"
target=$(cd "$target" && pwd -P)
package="$repo/ios/TesseraKit"
generated="$package/.generated"
# The bindings TesseraFFI.xcframework was built with, kept beside it by `cargo xtask
# ios-xcframework` (xtask/src/ios.rs).
built="$package/.xcframework-bindings"
bindings=(TesseraFFI.swift TesseraFFIC.h TesseraFFIC.modulemap)

# The generated files go into the package (git-ignored there). Only what changed is copied, so
# SwiftPM's incremental build is kept.
copy() {
    mkdir -p "$(dirname "$2")"
    if ! cmp -s "$1" "$2"; then
        cp "$1" "$2"
    fi
}
require_generated() {
    local file
    for file in "${bindings[@]}"; do
        if [ ! -f "$generated/$file" ]; then
            echo "swift-test: $generated/$file is missing: run cargo xtask bindings" >&2
            exit 1
        fi
    done
}
copy_sources() {
    require_generated
    copy "$generated/TesseraFFIC.h" "$package/Sources/TesseraFFIC/include/TesseraFFIC.h"
    copy "$generated/TesseraFFIC.modulemap" "$package/Sources/TesseraFFIC/include/module.modulemap"
    copy "$generated/TesseraFFI.swift" "$package/Sources/TesseraFFI/TesseraFFI.swift"
}

# On Apple platforms the package links TesseraFFI.xcframework. The generated Swift checks at
# its first call that the library has the API it was generated for (UniFFI's contract version
# and checksums) and stops the app when not, so bindings generated after the XCFramework (a
# later `cargo xtask bindings`, another checkout) must never reach Xcode without it.
require_xcframework_built_with_bindings() {
    local file
    if [ ! -d "$package/TesseraFFI.xcframework" ]; then
        echo "swift-test: $package/TesseraFFI.xcframework is missing: run cargo xtask ios-xcframework" >&2
        exit 1
    fi
    for file in "${bindings[@]}"; do
        if [ ! -f "$built/$file" ] || ! cmp -s "$generated/$file" "$built/$file"; then
            echo "swift-test: $generated/$file is not what TesseraFFI.xcframework was built with" \
                "(the app would stop at its first call): run cargo xtask ios-xcframework" >&2
            exit 1
        fi
    done
}

if [ "$mode" = sources ]; then
    require_generated
    require_xcframework_built_with_bindings
    copy_sources
    echo "generated bindings copied into $package/Sources"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "swift-test: needs root (mount and chroot into $root)" >&2
    exit 1
fi

# 1. One run at a time (the lock sits beside the root), and no mount left by a run that died
#    before its trap ran: cleared before anything else touches the root.
mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9

mount_points=("$root/proc" "$root$repo")
case "$target/" in
    "$repo"/*) ;;
    *) mount_points+=("$root$target") ;;
esac
for point in "${mount_points[@]}"; do
    while mountpoint -q "$point" 2>/dev/null; do
        echo "swift-test: clearing a mount left by an earlier run: $point"
        umount "$point" 2>/dev/null || umount -l "$point"
    done
done

# 2. The toolchain (idempotent; a missing toolchain is an error, never a skip).
"$repo/scripts/setup-swift-root.sh" "$root"

# 3. The library and the generated bindings.
if [ "$mode" = bench ]; then
    echo "+ cargo build --release -p tessera-ffi"
    (cd "$repo" && cargo build --quiet --release -p tessera-ffi)
    libdir="$target/release"
else
    libdir="$target/debug"
fi
if [ ! -f "$libdir/libtessera_ffi.so" ] || [ ! -f "$generated/TesseraFFI.swift" ]; then
    echo "+ cargo xtask bindings"
    (cd "$repo" && cargo xtask bindings)
fi

copy_sources

# 4. Mounts, always undone on exit.
mounted=()
unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
    done
    mounted=()
}
# On Ctrl-C or TERM, stop the build or tests running in the root first (their own process
# group, see run_in_root), so nothing still uses the mounts when they are undone. SwiftPM takes
# SIGINT as "cancel" and stops the test process it started; SIGTERM would leave that running.
child=""
stop() {
    if [ -n "$child" ]; then
        kill -INT -- "-$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    exit "$1"
}
trap unmount_all EXIT
trap 'stop 130' INT
trap 'stop 143' TERM

bind() {
    mkdir -p "$root$1"
    mount --bind "$1" "$root$1"
    mounted+=("$root$1")
}
bind /proc
bind "$repo"
case "$target/" in
    "$repo"/*) ;;
    *) bind "$target" ;;
esac
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# 5. SwiftPM inside the root; its build folder is the package's git-ignored .build.
in_root() {
    chroot "$root" /usr/bin/env -i \
        PATH=/usr/local/bin:/usr/bin:/bin \
        HOME=/root LANG=C.UTF-8 \
        TESSERA_FFI_LIB_DIR="$libdir" \
        LD_LIBRARY_PATH="$libdir" \
        TESSERA_VECTORS="$repo/tests/vectors" \
        ${TESSERA_BENCH_ITERATIONS:+TESSERA_BENCH_ITERATIONS="$TESSERA_BENCH_ITERATIONS"} \
        /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$package" "$@"
}

# Runs in the background as its own process group (job control on), and is waited for, so a
# signal reaches `stop` at once instead of after the tests end.
run_in_root() {
    local status=0
    set -m
    in_root "$@" 2>&1 &
    child=$!
    set +m
    wait "$child" || status=$?
    child=""
    return "$status"
}

if [ "$mode" = bench ]; then
    echo "+ swift run -c release TesseraBench   (library: $libdir)"
    run_in_root swift run -c release TesseraBench
else
    # The app is compiled in Swift 6 language mode, so the library it imports (and the
    # generated bindings) must build in it too. XCTest's generated test runner on Linux does
    # not, so the tests below build in the package's own mode.
    echo "+ swift build --target TesseraKit -swift-version 6"
    run_in_root swift build --target TesseraKit --scratch-path .build/swift6 \
        -Xswiftc -swift-version -Xswiftc 6
    echo "+ swift test   (library: $libdir)"
    run_in_root swift test --disable-swift-testing
fi

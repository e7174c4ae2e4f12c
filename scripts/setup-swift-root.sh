#!/usr/bin/env bash
# Prepares a Debian 13 (trixie) root folder with Debian's swiftlang, for building and testing
# the Swift package on this Debian 12 host (see docs/building.md). Idempotent: a finished root
# is left as it is. The Debian mirror is read from the host's apt configuration.
#
# usage: scripts/setup-swift-root.sh [ROOT]     (default: $TESSERA_SWIFT_ROOT or /var/cache/tessera/swift-root)
set -euo pipefail

root="${1:-${TESSERA_SWIFT_ROOT:-/var/cache/tessera/swift-root}}"
marker="$root/.tessera-swift-ready"

if [ -f "$marker" ]; then
    echo "swift root ready: $root"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "setup-swift-root: needs root (debootstrap and chroot)" >&2
    exit 1
fi

mirror() {
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
            /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list)
    fi
    if [ -z "$uri" ]; then
        echo "setup-swift-root: no Debian mirror found in the apt configuration" >&2
        exit 1
    fi
    echo "$uri"
}

if ! command -v debootstrap >/dev/null 2>&1; then
    echo "+ apt-get install debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

if [ ! -x "$root/usr/bin/apt-get" ]; then
    # An unfinished root is started again, but never while something is mounted inside it:
    # deleting through a bind mount would delete the mounted folder's files.
    if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
        echo "setup-swift-root: something is still mounted under $root; unmount it first" >&2
        exit 1
    fi
    rm -rf "$root"
    mkdir -p "$(dirname "$root")"
    echo "+ debootstrap --variant=minbase trixie $root"
    debootstrap --variant=minbase trixie "$root" "$(mirror)" >/dev/null
fi

cp /etc/resolv.conf "$root/etc/resolv.conf"
mounted_proc=0
if ! mountpoint -q "$root/proc"; then
    mount --bind /proc "$root/proc"
    mounted_proc=1
fi
cleanup() {
    if [ "$mounted_proc" -eq 1 ]; then
        umount "$root/proc" || true
    fi
}
trap cleanup EXIT

echo "+ chroot $root apt-get install swiftlang libc6-dev libstdc++-14-dev"
chroot "$root" apt-get update -qq
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    swiftlang libc6-dev libstdc++-14-dev >/dev/null
chroot "$root" swift --version
touch "$marker"
echo "swift root ready: $root"

#!/usr/bin/env bash
# Installs the services the tests start themselves, when a program of theirs is missing:
#   postgresql                  the server's integration tests (testing/pg-harness runs initdb and pg_ctl)
#   chromium chromium-driver    the web pages' tests drive a real browser through WebDriver
#   xvfb dbus gnome-keyring     a headless X display and a desktop session with a keyring; a private
#                               bus with a real Secret Service for the desktop device key's tests
#                               (testing/keyring-harness; its dbus-send asks who owns a name)
#   xdotool                     typing into the browser's own dialogs and into Tessera Desktop's window
#   xclip                       reading what the installed Tessera Desktop copied (registration code, a code)
#   imagemagick                 `import`: screenshots of the installed Tessera Desktop's window;
#                               `display`: the QR code it scans from the screen
#   fakeroot                    jpackage builds the .deb of `cargo xtask desktop-package` through it
#   xdg-utils desktop-file-utils  the installed package's URL handlers (xdg-mime, xdg-open,
#                               update-desktop-database), so installing it needs nothing fetched
#   binutils-mingw-w64-x86-64   MinGW's dlltool, which the cross-check's x86_64-pc-windows-gnu build needs
# One apt-get call from the machine's own apt configuration, as root only; otherwise it says what
# to install and fails. Nothing is done when everything is there, so running it again is a no-op.
# `cargo xtask test` runs it before the Rust tests.
set -euo pipefail

missing=()

# PostgreSQL's server programs are where testing/pg-harness looks for them: $TESSERA_PG_BIN,
# Debian's /usr/lib/postgresql/<major>/bin, or PATH.
has_postgresql() {
    if [[ -n ${TESSERA_PG_BIN:-} ]]; then
        [[ -x $TESSERA_PG_BIN/initdb && -x $TESSERA_PG_BIN/pg_ctl ]]
    else
        compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v pg_ctl >/dev/null
    fi
}

# need PACKAGE PROGRAM...: PACKAGE is missing when one of its PROGRAMs is not on PATH.
need() {
    local package=$1
    shift
    local program
    for program in "$@"; do
        if ! command -v "$program" >/dev/null; then
            missing+=("$package")
            return
        fi
    done
}

check() {
    missing=()
    has_postgresql && command -v psql >/dev/null || missing+=(postgresql)
    need chromium chromium
    need chromium-driver chromedriver
    need xvfb Xvfb xvfb-run
    need dbus dbus-daemon dbus-run-session dbus-send
    need gnome-keyring gnome-keyring-daemon
    need xdotool xdotool
    need xclip xclip
    need imagemagick import
    need fakeroot fakeroot
    need xdg-utils xdg-open xdg-mime
    need desktop-file-utils update-desktop-database
    need binutils-mingw-w64-x86-64 x86_64-w64-mingw32-dlltool
}

check
if ((${#missing[@]} == 0)); then
    echo "test services: everything is installed"
    exit 0
fi

echo "test services: missing ${missing[*]}"
if [[ $(id -u) != 0 ]]; then
    echo "run as root: apt-get install --no-install-recommends ${missing[*]}" >&2
    echo "(or run this script as root: $0)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "no apt-get here: install ${missing[*]} (Debian's package names) with this system's package manager" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent (fresh containers) or stale; apt's sources are the machine's.
apt-get -q update
apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${missing[@]}"

check
if ((${#missing[@]} > 0)); then
    echo "test services: still missing after apt-get install: ${missing[*]}" >&2
    exit 1
fi
echo "test services: installed"

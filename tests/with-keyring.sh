#!/bin/sh
# with-keyring.sh PROGRAM ARGS… — runs PROGRAM in a D-Bus session of its own
# with an unlocked gnome-keyring as the Secret Service, as on a desktop.
# Without dbus-run-session or gnome-keyring-daemon PROGRAM runs without
# COPYDESK_TEST_KEYRING set, and skips what needs a keyring.
if [ -z "${COPYDESK_IN_KEYRING_SESSION:-}" ]; then
  if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
    COPYDESK_IN_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
  fi
  exec "$@"
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
if printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; then
  export COPYDESK_TEST_KEYRING=1
fi
# The daemon leaves with the D-Bus session when PROGRAM ends.
"$@"

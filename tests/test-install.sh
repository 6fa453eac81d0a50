#!/bin/sh
# test-install.sh MESON BUILDDIR PREFIX — "meson install" gives a working app.
#
# Installs the build into a temporary DESTDIR, checks that every file the
# desktop needs is there, and runs the installed programs on the installed
# tree: schemas from the installed schema folder, translations from the
# installed locale folder, the language models from the installed data.
#
# Copyright 2026 The Copydesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

meson=$1
builddir=$2
prefix=$3
app_id=io.github.copydesk.Copydesk

destdir=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-install-XXXXXX")
trap 'rm -rf "$destdir"' EXIT
root=$destdir$prefix
failed=0

fail () {
  echo "not ok: $*"
  failed=1
}

"$meson" install -C "$builddir" --destdir "$destdir" --no-rebuild --quiet

for file in \
  bin/copydesk \
  bin/copydesk-cli \
  share/applications/$app_id.desktop \
  share/metainfo/$app_id.metainfo.xml \
  share/glib-2.0/schemas/$app_id.gschema.xml \
  share/icons/hicolor/scalable/apps/$app_id.svg \
  share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg \
  share/locale/id/LC_MESSAGES/copydesk.mo \
  share/copydesk/language-models.conf \
  share/copydesk/samples/seaprwire-id-moskow-konfirmasi.txt \
  share/copydesk/styles/copydesk-light.xml \
  share/copydesk/styles/copydesk-dark.xml
do
  [ -s "$root/$file" ] || fail "$file is not installed"
done
[ -x "$root/bin/copydesk" ] && [ -x "$root/bin/copydesk-cli" ] || fail "the programs are not executable"
[ $failed -eq 0 ] || exit 1

# What the desktop reads.
desktop-file-validate "$root/share/applications/$app_id.desktop" || fail "the installed desktop file is not valid"
grep -q '^Exec=copydesk %F$' "$root/share/applications/$app_id.desktop" || fail "the desktop file does not run copydesk %F"
grep -q '^Comment\[id\]=' "$root/share/applications/$app_id.desktop" || fail "the desktop file carries no Indonesian"
appstreamcli validate --no-net "$root/share/metainfo/$app_id.metainfo.xml" >/dev/null || fail "the installed metainfo is not valid"
# (gnome.post_install compiles the schemas into the real prefix; a DESTDIR
# install leaves that to us.)
glib-compile-schemas --strict "$root/share/glib-2.0/schemas" || fail "the installed schema does not compile"

# The installed programs, on the installed tree only.
export GSETTINGS_SCHEMA_DIR="$root/share/glib-2.0/schemas"
export GSETTINGS_BACKEND=memory
export COPYDESK_LANGUAGE_MODELS="$root/share/copydesk/language-models.conf"
export COPYDESK_SAMPLES_DIR="$root/share/copydesk/samples"
export COPYDESK_LOCALEDIR="$root/share/locale"
export COPYDESK_DB="$destdir/desk.db"
export LC_ALL=C.UTF-8
unset LANGUAGE || true

version=$("$root/bin/copydesk-cli" --version) || fail "copydesk-cli --version failed"
echo "$version"
case "$version" in
  "copydesk-cli "[0-9]*) ;;
  *) fail "copydesk-cli --version printed “$version”" ;;
esac

help=$(ASAN_OPTIONS=detect_leaks=0 "$root/bin/copydesk" --help) || fail "copydesk --help failed"
echo "$help" | grep -q -- '--database' || fail "copydesk --help does not list --database"
echo "$help" | grep -q -- '--release' || fail "copydesk --help does not list --release"

"$root/bin/copydesk" --version | grep -q '^copydesk [0-9]' || fail "copydesk --version failed"

# An installed sample, imported with the installed language models.
imported=$("$root/bin/copydesk-cli" import "$root/share/copydesk/samples/seaprwire-id-moskow-konfirmasi.txt") ||
  fail "the installed copydesk-cli cannot import the installed sample"
[ "$imported" = "imported 1, duplicates 0, failed 0" ] || fail "import printed “$imported”"
"$root/bin/copydesk-cli" list --json | grep -q '"language" *: *"id"' ||
  fail "the installed language models did not find the sample's language"

# The installed translations.
indonesian=$(LANGUAGE=id "$root/bin/copydesk-cli" import "$root/share/copydesk/samples/seaprwire-id-moskow-konfirmasi.txt") || true
[ "$indonesian" = "$(printf 'diimpor 0, duplikat 1, gagal 0\nduplikat: %s: sudah ada di antrean sebagai #1' "$root/share/copydesk/samples/seaprwire-id-moskow-konfirmasi.txt")" ] ||
  fail "the installed catalogue is not used: “$indonesian”"

[ $failed -eq 0 ] && echo "installed into $root and ran from there"
exit $failed

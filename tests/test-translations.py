#!/usr/bin/env python3
# test-translations.py — checks the gettext catalogues against the sources.
#
#   test-translations.py potfiles SRCROOT
#     fails when a file that marks strings for translation (_(, N_(, C_(,
#     translatable="yes", a GSettings <summary>/<description>, a desktop or
#     metainfo template) is missing from po/POTFILES.in, or when POTFILES.in
#     names a file that does not exist.
#
#   test-translations.py complete SRCROOT LANG
#     extracts the strings of the current sources with xgettext, merges
#     po/LANG.po with them, and fails when msgfmt --check finds an error or
#     the catalogue has an untranslated or fuzzy message.
#
# Copyright 2026 The Copydesk authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import tempfile

SCANNED_DIRS = ('src', 'data')
SOURCE_SUFFIXES = ('.c', '.h', '.ui', '.gschema.xml', '.desktop.in', '.metainfo.xml.in')
MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|NC_)\s*\(|translatable="yes"|<summary>|<description>')

# The glib preset of meson's i18n.gettext(), so the template is the one
# "meson compile copydesk-pot" writes.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


def read_potfiles(srcroot):
    with open(os.path.join(srcroot, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip() and not line.startswith('#')]


def has_translatable_strings(path):
    if path.endswith(('.desktop.in', '.metainfo.xml.in')):
        return True
    with open(path, encoding='utf-8', errors='replace') as f:
        return MARKERS.search(f.read()) is not None


def check_potfiles(srcroot):
    listed = read_potfiles(srcroot)
    failures = []

    for name in listed:
        if not os.path.isfile(os.path.join(srcroot, name)):
            failures.append('po/POTFILES.in lists %s, which does not exist' % name)

    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcroot, top)):
            dirnames.sort()
            for filename in sorted(filenames):
                if not filename.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(dirpath, filename)
                name = os.path.relpath(path, srcroot)
                if has_translatable_strings(path) and name not in listed:
                    failures.append('%s has strings marked for translation but is not in po/POTFILES.in' % name)

    for failure in failures:
        print(failure)
    if not failures:
        print('po/POTFILES.in lists all %d files with translatable strings' % len(listed))
    return 1 if failures else 0


def check_complete(srcroot, lang):
    po = os.path.join(srcroot, 'po', lang + '.po')
    with tempfile.TemporaryDirectory(prefix='copydesk-po-') as tmp:
        files = os.path.join(tmp, 'POTFILES')
        pot = os.path.join(tmp, 'copydesk.pot')
        merged = os.path.join(tmp, lang + '.po')
        with open(files, 'w', encoding='utf-8') as f:
            f.write('\n'.join(read_potfiles(srcroot)) + '\n')

        subprocess.run(['xgettext', '--package-name=copydesk', '--directory=' + srcroot,
                        '--files-from=' + files, '--output=' + pot] + XGETTEXT_ARGS, check=True)
        subprocess.run(['msgmerge', '--quiet', '--output-file=' + merged, po, pot], check=True)
        result = subprocess.run(['msgfmt', '--check', '--statistics', '--output-file=/dev/null', merged],
                                capture_output=True, text=True)
        print(result.stdout + result.stderr, end='')
        if result.returncode != 0:
            print('po/%s.po does not pass msgfmt --check' % lang)
            return 1
        if 'untranslated' in result.stderr or 'fuzzy' in result.stderr:
            # Name them, so whoever adds a string knows what to translate.
            subprocess.run(['msgattrib', '--untranslated', '--no-obsolete', merged])
            subprocess.run(['msgattrib', '--only-fuzzy', '--no-obsolete', merged])
            print('po/%s.po is not complete against the current sources' % lang)
            return 1
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == 'potfiles':
        return check_potfiles(argv[2])
    if len(argv) == 4 and argv[1] == 'complete':
        return check_complete(argv[2], argv[3])
    print('usage: test-translations.py potfiles SRCROOT | complete SRCROOT LANG', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))

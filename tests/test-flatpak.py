#!/usr/bin/env python3
# test-flatpak.py MANIFEST — the Flatpak manifest parses with
# flatpak-builder --show-manifest (offline: nothing is downloaded or built)
# and asks for no more than the app uses.
#
# Copyright 2026 The Copydesk authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import shutil
import os
import subprocess
import sys
import tempfile

# What the app does: HTTP for publishing and feeds, passwords in the Secret
# Service, a window on Wayland or X11 with GL.  Files come and go through
# the document portal (GtkFileChooserNative, drag and drop).
ALLOWED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
    '--talk-name=org.freedesktop.secrets',
}


def main(argv):
    if len(argv) != 2:
        print('usage: test-flatpak.py MANIFEST', file=sys.stderr)
        return 2
    if shutil.which('flatpak-builder') is None:
        print('flatpak-builder is not installed (build-aux/install-deps test installs it)')
        return 77

    # flatpak-builder keeps its state in .flatpak-builder in the current
    # folder: a temporary one, not the source tree.
    with tempfile.TemporaryDirectory(prefix='copydesk-flatpak-') as tmp:
        result = subprocess.run(['flatpak-builder', '--show-manifest', os.path.abspath(argv[1])],
                                capture_output=True, text=True, cwd=tmp)
    if result.returncode != 0:
        print(result.stderr, end='')
        print('flatpak-builder cannot read the manifest')
        return 1
    manifest = json.loads(result.stdout)
    failures = []

    if manifest.get('id') != 'io.github.copydesk.Copydesk':
        failures.append('the app id is %r' % manifest.get('id'))
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        failures.append('not built on the GNOME runtime and SDK')
    try:
        # GTK 4.8 and libadwaita 1.2 came with GNOME 43.
        if int(manifest.get('runtime-version', '0')) < 43:
            failures.append('runtime %s is older than GNOME 43' % manifest.get('runtime-version'))
    except ValueError:
        failures.append('runtime-version %r is not a GNOME release' % manifest.get('runtime-version'))
    if manifest.get('command') != 'copydesk':
        failures.append('the command is %r' % manifest.get('command'))

    finish_args = set(manifest.get('finish-args', []))
    for arg in sorted(finish_args - ALLOWED_FINISH_ARGS):
        failures.append('finish-args ask for %s, which the app does not use' % arg)
    for arg in sorted(ALLOWED_FINISH_ARGS - finish_args):
        failures.append('finish-args lack %s' % arg)

    modules = manifest.get('modules', [])
    names = [m.get('name') if isinstance(m, dict) else m for m in modules]
    if 'libexttextcat' not in names:
        failures.append('no module builds libexttextcat, which the GNOME runtime lacks')
    app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if app.get('name') != 'copydesk' or app.get('buildsystem') != 'meson':
        failures.append('the last module does not build copydesk with meson')
    if not any(s.get('type') == 'dir' and s.get('path') == '..' for s in app.get('sources', [])):
        failures.append('copydesk is not built from this source tree')
    for module in modules:
        for source in module.get('sources', []) if isinstance(module, dict) else []:
            if source.get('type') in ('archive', 'file') and not source.get('sha256'):
                failures.append('%s: %s has no sha256' % (module.get('name'), source.get('url')))

    for failure in failures:
        print(failure)
    if not failures:
        print('the manifest parses; finish-args: %s' % ' '.join(sorted(finish_args)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

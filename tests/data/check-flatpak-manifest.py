#!/usr/bin/env python3
# Checks flatpak/org.ataraxia.Calendar.json against DESIGN.md's Flatpak rules:
# the app id and command, a GNOME runtime that ships webkitgtk-6.0, exactly the
# allowed sandbox permissions, every remote source pinned, a libjwt 1.x module,
# and the app module built with meson and its tests.
#
# Before checking the real manifest it proves that each check can fail, by
# running the checks on broken copies of the manifest in memory.
#
# Usage: check-flatpak-manifest.py MANIFEST

import copy
import json
import os
import re
import sys

APP_ID = 'org.ataraxia.Calendar'
COMMAND = 'ataraxia'
ALLOWED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--socket=pulseaudio',
    '--device=all',
}
# The first GNOME runtime with webkitgtk-6.0.
FIRST_RUNTIME_WITH_WEBKITGTK_6 = 44
# Sources that never reach the network.
LOCAL_SOURCE_TYPES = {'dir', 'script', 'shell', 'inline'}
COMMIT_RE = re.compile(r'^[0-9a-f]{40}$')
SHA256_RE = re.compile(r'^[0-9a-f]{64}$')


def load_manifest(path):
    """Strict JSON: comments are "x-…" keys, which flatpak-builder ignores,
    so that every JSON parser reads the manifest."""
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def iter_modules(modules, base_dir, problems):
    """Yields every module dict, following nested modules and module files."""
    for m in modules:
        if isinstance(m, str):
            sub = os.path.join(base_dir, m)
            try:
                m = load_manifest(sub)
            except (OSError, ValueError) as e:
                problems.append('module file %s: %s' % (sub, e))
                continue
        if not isinstance(m, dict):
            problems.append('module is neither an object nor a file name: %r' % (m,))
            continue
        yield m
        yield from iter_modules(m.get('modules', []), base_dir, problems)


def source_problems(module_name, src):
    if isinstance(src, str):
        return ['%s: external source file %r cannot be checked; inline it' % (module_name, src)]
    kind = src.get('type')
    where = '%s: %s source %s' % (module_name, kind, src.get('url') or src.get('path') or '')
    if kind in LOCAL_SOURCE_TYPES:
        return []
    if kind in ('file', 'patch') and 'path' in src and 'url' not in src:
        return []
    if kind == 'git':
        if 'path' in src and 'url' not in src:
            return []
        commit = src.get('commit', '')
        if not COMMIT_RE.match(commit):
            return ['%s is not pinned by a full commit hash' % where]
        if src.get('branch'):
            return ['%s names a branch; pin a tag and commit' % where]
        return []
    if kind in ('archive', 'file', 'patch', 'extra-data'):
        if not SHA256_RE.match(src.get('sha256', '')):
            return ['%s is not pinned by sha256' % where]
        return []
    return ['%s: source type %r cannot be pinned by commit or sha256' % (where, kind)]


def check(manifest, base_dir):
    problems = []
    app_id = manifest.get('id', manifest.get('app-id'))
    if app_id != APP_ID:
        problems.append('id is %r, expected %r' % (app_id, APP_ID))
    if 'id' in manifest and 'app-id' in manifest and manifest['id'] != manifest['app-id']:
        problems.append('id and app-id differ')
    if manifest.get('command') != COMMAND:
        problems.append('command is %r, expected %r' % (manifest.get('command'), COMMAND))
    if manifest.get('runtime') != 'org.gnome.Platform':
        problems.append('runtime is %r, expected org.gnome.Platform' % manifest.get('runtime'))
    if manifest.get('sdk') != 'org.gnome.Sdk':
        problems.append('sdk is %r, expected org.gnome.Sdk' % manifest.get('sdk'))
    version = manifest.get('runtime-version')
    if not isinstance(version, str) or not version.isdigit():
        problems.append('runtime-version %r is not a stable GNOME release' % (version,))
    elif int(version) < FIRST_RUNTIME_WITH_WEBKITGTK_6:
        problems.append('runtime-version %s has no webkitgtk-6.0 (GNOME %d or later)'
                        % (version, FIRST_RUNTIME_WITH_WEBKITGTK_6))

    finish_args = manifest.get('finish-args', [])
    if len(finish_args) != len(set(finish_args)):
        problems.append('finish-args has duplicates')
    extra = set(finish_args) - ALLOWED_FINISH_ARGS
    missing = ALLOWED_FINISH_ARGS - set(finish_args)
    if extra:
        problems.append('finish-args not allowed: %s' % ', '.join(sorted(extra)))
    if missing:
        problems.append('finish-args missing: %s' % ', '.join(sorted(missing)))

    def no_build_network(where, options):
        if '--share=network' in (options or {}).get('build-args', []):
            problems.append('%s: build-args give network access at build time' % where)

    no_build_network('build-options', manifest.get('build-options'))

    modules = list(iter_modules(manifest.get('modules', []), base_dir, problems))
    if not modules:
        problems.append('no modules')
        return problems
    for m in modules:
        name = m.get('name', '?')
        no_build_network(name, m.get('build-options'))
        sources = m.get('sources', [])
        if not sources and m.get('buildsystem') != 'simple':
            problems.append('%s: no sources' % name)
        for src in sources:
            problems += source_problems(name, src)

    names = [m.get('name') for m in modules]
    libjwt = [m for m in modules if 'libjwt' in (m.get('name') or '')]
    if not libjwt:
        problems.append('no libjwt module')
    else:
        tags = [s.get('tag', '') for s in libjwt[0].get('sources', []) if isinstance(s, dict)]
        if not any(re.match(r'^v?1\.', t) for t in tags):
            problems.append('libjwt module is not pinned to a 1.x tag (tags: %s)' % tags)
        if 'jansson' not in names or names.index('jansson') > names.index(libjwt[0]['name']):
            problems.append('libjwt needs a jansson module before it (not in the GNOME runtime)')

    app = modules[-1]
    if app.get('name') != COMMAND:
        problems.append('the last module is %r, expected the app module %r'
                        % (app.get('name'), COMMAND))
    if app.get('buildsystem') != 'meson':
        problems.append('app module buildsystem is %r, expected meson' % app.get('buildsystem'))
    if app.get('run-tests') is not True:
        problems.append('app module does not set "run-tests": true')
    elif app.get('test-rule', 'test') == '' and not any(
            c.startswith('meson test') for c in app.get('test-commands', [])):
        problems.append('app module turns off its test rule without running meson test')
    if not any(isinstance(s, dict) and s.get('type') == 'dir' and s.get('path') == '..'
               for s in app.get('sources', [])):
        problems.append('app module is not built from the checkout (dir source "..")')
    return problems


def app_module(m):
    return m['modules'][-1]


def libjwt_module(m):
    return next(x for x in m['modules'] if 'libjwt' in x.get('name', ''))


# Each breakage must make check() report a problem.
BREAKAGES = {
    'wrong id': lambda m: m.update({'id': 'org.example.Other'}),
    'wrong command': lambda m: m.update({'command': 'sh'}),
    'other runtime': lambda m: m.update({'runtime': 'org.freedesktop.Platform'}),
    'runtime without webkitgtk-6.0': lambda m: m.update({'runtime-version': '43'}),
    'broader permission': lambda m: m['finish-args'].append('--filesystem=home'),
    'missing permission': lambda m: m['finish-args'].remove('--socket=pulseaudio'),
    'unpinned git source': lambda m: libjwt_module(m)['sources'][0].pop('commit'),
    'short commit': lambda m: libjwt_module(m)['sources'][0].update({'commit': 'abc123'}),
    'unpinned archive': lambda m: app_module(m)['sources'].append(
        {'type': 'archive', 'url': 'https://example.org/x.tar.xz'}),
    'network at build time': lambda m: m.update({'build-options': {'build-args': ['--share=network']}}),
    'no libjwt': lambda m: m['modules'].remove(libjwt_module(m)),
    'libjwt 2.x': lambda m: libjwt_module(m)['sources'][0].update({'tag': 'v2.1.0'}),
    'tests off': lambda m: app_module(m).update({'run-tests': False}),
    'no test command': lambda m: app_module(m).update({'test-rule': '', 'test-commands': []}),
    'app not meson': lambda m: app_module(m).update({'buildsystem': 'simple'}),
}


def self_test(manifest, base_dir):
    failures = []
    for what, breakage in BREAKAGES.items():
        broken = copy.deepcopy(manifest)
        try:
            breakage(broken)
        except (KeyError, StopIteration, ValueError, IndexError) as e:
            failures.append('cannot build the %r case from this manifest: %r' % (what, e))
            continue
        if not check(broken, base_dir):
            failures.append('a manifest with %s passes the checks' % what)
    return failures


def main():
    if len(sys.argv) != 2:
        print(__doc__ or 'usage: check-flatpak-manifest.py MANIFEST', file=sys.stderr)
        return 2
    path = sys.argv[1]
    base_dir = os.path.dirname(os.path.abspath(path))
    try:
        manifest = load_manifest(path)
    except (OSError, ValueError) as e:
        print('%s: cannot read: %s' % (path, e))
        return 1
    if not isinstance(manifest, dict):
        print('%s: not a JSON object' % path)
        return 1

    problems = check(manifest, base_dir)
    for p in problems:
        print('%s: %s' % (path, p))
    if problems:
        return 1

    failures = self_test(manifest, base_dir)
    for f in failures:
        print('self-test: %s' % f)
    if failures:
        return 1
    print('%s: ok (%d broken variants rejected)' % (path, len(BREAKAGES)))
    return 0


if __name__ == '__main__':
    sys.exit(main())

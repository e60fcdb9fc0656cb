#!/usr/bin/env python3
# Validates the files in data/ and po/ with the tools that distributions and
# Flathub use, plus the identity rules of DESIGN.md.
#
# Each validator is also run on a deliberately broken copy in a temporary
# directory, which it must reject: a missing or silently permissive tool
# cannot make these tests pass.
#
#   check-data-files.py desktop  DESKTOP-FILE DESKTOP-FILE-VALIDATE
#   check-data-files.py metainfo METAINFO-FILE APPSTREAMCLI PROJECT-VERSION
#   check-data-files.py schema   SCHEMA-DIR GLIB-COMPILE-SCHEMAS
#   check-data-files.py icons    ICON-DIR
#   check-data-files.py potfiles SOURCE-ROOT
#
# Exit status: 0 ok, 1 failed, 77 skipped (a tool is missing).

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = 'org.ataraxia.Calendar'
SKIP = 77

# DESIGN.md, "Settings": key -> (type, default)
SETTINGS = {
    'jitsi-domain': ('s', "''"),
    'use-jwt': ('b', 'true'),
    'backend-url': ('s', "''"),
    'user-name': ('s', "''"),
    'user-email': ('s', "''"),
    'user-id': ('s', "''"),
    'embed-calls': ('b', 'true'),
    'lobby-for-clients': ('b', 'true'),
}


class Failure(Exception):
    pass


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    return p.returncode, p.stdout


def require_tool(tool):
    if not tool or not shutil.which(tool):
        print('SKIP: %s not found' % (tool or 'tool'))
        sys.exit(SKIP)


def expect_rejected(what, cmd):
    rc, out = run(cmd)
    if rc == 0:
        raise Failure('the validator accepted %s:\n%s' % (what, out))


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def check_desktop(path, validate):
    require_tool(validate)
    rc, out = run([validate, path])
    # Hints are advice; errors and warnings are not.
    bad = [l for l in out.splitlines() if 'error:' in l or 'warning:' in l]
    if rc != 0 or bad:
        raise Failure('%s fails desktop-file-validate:\n%s' % (path, out))

    entries = {}
    for line in read(path).splitlines():
        if '=' in line and not line.startswith('#'):
            key, value = line.split('=', 1)
            entries.setdefault(key.strip(), value.strip())
    expected = {'Name': 'Ataraxia', 'Icon': APP_ID, 'Type': 'Application'}
    for key, value in expected.items():
        if entries.get(key) != value:
            raise Failure('%s: %s is %r, expected %r' % (path, key, entries.get(key), value))
    if entries.get('Exec', '').split(' ')[0] != 'ataraxia':
        raise Failure('%s: Exec does not run ataraxia: %r' % (path, entries.get('Exec')))
    for key in ('GenericName', 'Comment', 'Keywords', 'Categories'):
        if not entries.get(key):
            raise Failure('%s: %s is missing' % (path, key))
    if os.path.basename(path) != APP_ID + '.desktop':
        raise Failure('%s: the desktop file must be named %s.desktop' % (path, APP_ID))

    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, APP_ID + '.desktop')
        text = re.sub(r'(?m)^Type=.*\n', '', read(path))
        write(broken, text.replace('Categories=', 'Categories=NoSuchCategory;'))
        expect_rejected('a desktop file without Type and with a bad category',
                        [validate, broken])
    print('%s: ok' % path)


def check_metainfo(path, appstreamcli, version):
    require_tool(appstreamcli)
    # --strict fails on warnings and infos too, not only on errors.
    cmd = [appstreamcli, 'validate', '--no-net', '--strict', '--explain']
    rc, out = run(cmd + [path])
    if rc != 0:
        raise Failure('%s fails appstreamcli validate:\n%s' % (path, out))

    root = ET.parse(path).getroot()
    if root.findtext('id') != APP_ID:
        raise Failure('%s: id is %r' % (path, root.findtext('id')))
    launchable = root.find("launchable[@type='desktop-id']")
    if launchable is None or launchable.text != APP_ID + '.desktop':
        raise Failure('%s: no launchable desktop-id %s.desktop' % (path, APP_ID))
    rating = root.find('content_rating')
    if rating is None or rating.get('type') != 'oars-1.1':
        raise Failure('%s: no oars-1.1 content rating' % path)
    releases = root.findall('releases/release')
    if not releases or releases[0].get('version') != version:
        raise Failure('%s: the newest release is %r, but the project version is %s'
                      % (path, releases[0].get('version') if releases else None, version))
    if releases[0].find('description') is None:
        raise Failure('%s: release %s has no description' % (path, version))

    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, APP_ID + '.metainfo.xml')
        write(broken, re.sub(r'<summary>.*?</summary>', '', read(path), flags=re.S))
        expect_rejected('metainfo without a summary', cmd + [broken])
    print('%s: ok' % path)


def check_schema(schema_dir, compile_schemas):
    require_tool(compile_schemas)
    schema_file = os.path.join(schema_dir, APP_ID + '.gschema.xml')
    cmd = [compile_schemas, '--strict', '--dry-run']
    rc, out = run(cmd + [schema_dir])
    if rc != 0:
        raise Failure('%s fails glib-compile-schemas --strict:\n%s' % (schema_dir, out))

    root = ET.parse(schema_file).getroot()
    schema = root.find("schema[@id='%s']" % APP_ID)
    if schema is None:
        raise Failure('%s: no schema %s' % (schema_file, APP_ID))
    if schema.get('path') != '/org/ataraxia/Calendar/':
        raise Failure('%s: schema path is %r' % (schema_file, schema.get('path')))
    if root.get('gettext-domain') != 'ataraxia' and schema.get('gettext-domain') != 'ataraxia':
        raise Failure('%s: no gettext-domain="ataraxia" for the summaries' % schema_file)
    keys = {k.get('name'): k for k in schema.findall('key')}
    for name, (type_, default) in SETTINGS.items():
        key = keys.get(name)
        if key is None:
            raise Failure('%s: key %s is missing' % (schema_file, name))
        if key.get('type') != type_ or (key.findtext('default') or '').strip() != default:
            raise Failure('%s: key %s is %s %s, DESIGN.md says %s %s'
                          % (schema_file, name, key.get('type'), key.findtext('default'),
                             type_, default))
        if not key.findtext('summary'):
            raise Failure('%s: key %s has no summary' % (schema_file, name))

    with tempfile.TemporaryDirectory() as tmp:
        text = read(schema_file).replace('<default>true</default>', "<default>'yes'</default>", 1)
        write(os.path.join(tmp, APP_ID + '.gschema.xml'), text)
        expect_rejected('a boolean key with a string default', cmd + [tmp])
    print('%s: ok' % schema_dir)


def svg_root(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        raise Failure('%s: %s' % (path, e))
    if root.tag != '{http://www.w3.org/2000/svg}svg':
        raise Failure('%s: not an SVG document' % path)
    return root


def check_icons(icon_dir):
    scalable = os.path.join(icon_dir, 'hicolor', 'scalable', 'apps', APP_ID + '.svg')
    symbolic = os.path.join(icon_dir, 'hicolor', 'symbolic', 'apps', APP_ID + '-symbolic.svg')
    root = svg_root(scalable)
    if root.get('viewBox') != '0 0 128 128':
        raise Failure('%s: viewBox is %r, expected 0 0 128 128' % (scalable, root.get('viewBox')))
    root = svg_root(symbolic)
    if root.get('viewBox') != '0 0 16 16':
        raise Failure('%s: viewBox is %r, expected 0 0 16 16' % (symbolic, root.get('viewBox')))
    # Symbolic icons are recoloured by the theme: one colour, no images or gradients.
    colours = set()
    for el in root.iter():
        tag = el.tag.split('}')[-1]
        if tag in ('image', 'linearGradient', 'radialGradient', 'text'):
            raise Failure('%s: symbolic icons may not use <%s>' % (symbolic, tag))
        for attr in ('fill', 'stroke'):
            value = el.get(attr)
            if value and value != 'none':
                colours.add(value.lower())
    if len(colours) > 1:
        raise Failure('%s: symbolic icon uses several colours: %s' % (symbolic, sorted(colours)))
    print('%s: ok' % icon_dir)


TRANSLATABLE_C = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dgettext|g_dngettext|ngettext)\s*\(')
TRANSLATABLE_UI = re.compile(r'translatable\s*=\s*["\']yes["\']|\b_\(\s*["\']')


def check_potfiles(source_root):
    potfiles = os.path.join(source_root, 'po', 'POTFILES.in')
    listed = []
    for line in read(potfiles).splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)
    problems = []
    if len(set(listed)) != len(listed):
        problems.append('POTFILES.in lists a file twice')
    for rel in listed:
        if not os.path.isfile(os.path.join(source_root, rel)):
            problems.append('POTFILES.in lists %s, which does not exist' % rel)

    # Every source file with a translatable string must be listed.
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(source_root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(('.', '_build')))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, source_root)
                if name.endswith(('.c', '.h')):
                    pattern = TRANSLATABLE_C
                elif name.endswith(('.ui', '.blp')):
                    pattern = TRANSLATABLE_UI
                elif name.endswith(('.desktop.in', '.metainfo.xml.in', '.gschema.xml')):
                    pattern = None
                else:
                    continue
                if pattern is not None:
                    try:
                        if not pattern.search(read(path)):
                            continue
                    except UnicodeDecodeError:
                        continue
                if rel not in listed:
                    problems.append('%s has translatable strings but is not in po/POTFILES.in' % rel)

    linguas = os.path.join(source_root, 'po', 'LINGUAS')
    if not os.path.isfile(linguas):
        problems.append('po/LINGUAS is missing')
    else:
        for line in read(linguas).splitlines():
            for lang in line.split('#')[0].split():
                if not os.path.isfile(os.path.join(source_root, 'po', lang + '.po')):
                    problems.append('po/LINGUAS lists %s but po/%s.po does not exist' % (lang, lang))
    if problems:
        raise Failure('\n'.join(problems))
    print('%s: ok (%d files)' % (potfiles, len(listed)))


COMMANDS = {
    'desktop': (check_desktop, 2),
    'metainfo': (check_metainfo, 3),
    'schema': (check_schema, 2),
    'icons': (check_icons, 1),
    'potfiles': (check_potfiles, 1),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print('usage: check-data-files.py {%s} ARGS…' % '|'.join(COMMANDS), file=sys.stderr)
        return 2
    func, nargs = COMMANDS[sys.argv[1]]
    args = sys.argv[2:]
    if len(args) != nargs:
        print('%s takes %d arguments' % (sys.argv[1], nargs), file=sys.stderr)
        return 2
    try:
        func(*args)
    except Failure as e:
        print('FAIL: %s' % e)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""The ataraxia command line, run as a user would (DESIGN.md, "Command line"):
--version, --join with an unknown id (a clear error on stderr, exit status 1,
at once), --join with an empty id. Runs under tests/support/gui-test-env."""
import json, os, subprocess, sys, tempfile

app = sys.argv[1]
failures = []


def run(args, home):
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(home, "data"))
    return subprocess.run([app] + args, env=env, capture_output=True, text=True, timeout=30)


def check(name, condition, detail=""):
    print(("ok - " if condition else "not ok - ") + name)
    if not condition:
        failures.append(name + (": " + detail if detail else ""))


with tempfile.TemporaryDirectory() as home:
    data = os.path.join(home, "data", "ataraxia")
    os.makedirs(data, mode=0o700)
    with open(os.path.join(data, "appointments.json"), "w") as f:
        json.dump({"version": 1, "appointments": [{
            "id": "known-1", "title": "Session", "start": "2026-11-24T15:00:00+01:00",
            "end": "2026-11-24T15:50:00+01:00", "status": "scheduled"}]}, f)
    before = open(os.path.join(data, "appointments.json")).read()

    r = run(["--version"], home)
    check("--version prints the version", r.returncode == 0 and r.stdout.startswith("ataraxia "),
          repr((r.returncode, r.stdout)))

    r = run(["--join", "no-such-appointment"], home)
    check("--join with an unknown id exits with status 1", r.returncode == 1, repr(r.returncode))
    check("--join with an unknown id says so on stderr",
          "no-such-appointment" in r.stderr and "no appointment" in r.stderr.lower(), repr(r.stderr))

    r = run(["--join", ""], home)
    check("--join with an empty id is refused", r.returncode == 1 and "--join" in r.stderr, repr(r.stderr))

    r = run(["--no-such-option"], home)
    check("an unknown option is refused", r.returncode != 0 and r.stderr != "", repr(r.stderr))

    after = open(os.path.join(data, "appointments.json")).read()
    check("the appointment file is untouched", before == after)

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)

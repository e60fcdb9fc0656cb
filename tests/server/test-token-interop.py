#!/usr/bin/python3
"""Cross-check ataraxia-token-server with an independent JWT implementation.

Debian's python3-jwt (PyJWT) verifies what the server mints exactly the way
Jitsi's prosody token auth does (HS256 with app_secret, iss = app_id, aud,
sub = domain, room, exp/nbf, moderator and context.user), and mints tokens
that validate-token must accept or reject with the right `reason`.

Usage: test-token-interop.py PATH-TO-ataraxia-token-server
"""

import ctypes
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import jwt  # python3-jwt

SERVER = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ATX_TOKEN_SERVER")
TIMEOUT = 15
SECRET = "5f2b8e6d4f0a1c39577f3a9c1e5b2d40687f3a2b8e6d4f0a1c3957aa55aa55aa"
THERAPIST_KEY = "interop-therapist-key-0a1c3957"
PARTICIPANT_KEY = "interop-participant-key-7f3a9c1e"
DOMAIN = "meet.example.org"
APP_ID = "ataraxia-interop"
AUDIENCE = "jitsi"


def die_with_parent():
    """A crashed test must not leave the server running (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


class Server:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="atx-interop-")
        secret_path = os.path.join(self.dir, "jwt-secret")
        # The newline `openssl rand -hex 32 > file` leaves is not part of the key.
        with open(secret_path, "w") as f:
            f.write(SECRET + "\n")
        os.chmod(secret_path, 0o600)
        config = os.path.join(self.dir, "server.ini")
        with open(config, "w") as f:
            f.write(
                "[server]\naddress=127.0.0.1\nport=0\nrate-limit=0\n"
                "[jitsi]\n"
                f"domain={DOMAIN}\napp-id={APP_ID}\naudience={AUDIENCE}\n"
                "secret-file=jwt-secret\nlifetime=7200\nmax-lifetime=86400\n"
                "[api-keys]\n"
                f"{hashlib.sha256(THERAPIST_KEY.encode()).hexdigest()}=therapist\n"
                f"{hashlib.sha256(PARTICIPANT_KEY.encode()).hexdigest()}=participant\n"
            )
        self.stderr = open(os.path.join(self.dir, "stderr.log"), "w")
        self.proc = subprocess.Popen(
            [SERVER, "--config", config, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            preexec_fn=die_with_parent,
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        if not ready:
            self.stop()
            raise RuntimeError("the token server did not print its address in time")
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("listening on http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"unexpected first line: {line!r}")
        self.url = line[len("listening on "):]

    def request(self, path, body, key=THERAPIST_KEY):
        data = json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method="POST")
        req.add_header("Content-Type", "application/json")
        req.add_header("Authorization", f"Bearer {key}")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                status = self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=TIMEOUT)
                status = -1
        else:
            status = self.proc.returncode
        self.proc.stdout.close()
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return status


server = None


def prosody_verify(token, room):
    """What prosody's token auth (luajwtjitsi + token_util) checks."""
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "HS256", "typ": "JWT"}, header
    claims = jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience=AUDIENCE,
        issuer=APP_ID,
        options={"require": ["exp", "nbf", "iat", "aud", "iss", "sub", "room"]},
    )
    assert claims["sub"] == DOMAIN, claims
    assert claims["room"] == room, claims
    return claims


class MintedByServer(unittest.TestCase):
    def generate(self, moderator, key=THERAPIST_KEY, **extra):
        body = {
            "roomName": "ataraxia-interop-room",
            "userName": "Dr. Ünïcødé \"Quote\"",
            "userEmail": "dr@example.org",
            "userId": "therapist-1",
            "isModerator": moderator,
        }
        body.update(extra)
        return server.request("/api/jitsi/generate-token", body, key)

    def test_moderator_token_is_what_prosody_accepts(self):
        now = int(time.time())
        status, answer = self.generate(True)
        self.assertEqual(status, 200, answer)
        claims = prosody_verify(answer["token"], "ataraxia-interop-room")
        self.assertIs(claims["moderator"], True)
        user = claims["context"]["user"]
        self.assertEqual(user, {
            "id": "therapist-1",
            "name": "Dr. Ünïcødé \"Quote\"",
            "email": "dr@example.org",
            "moderator": True,
        })
        self.assertTrue(now - 62 <= claims["nbf"] <= now + 1)
        self.assertTrue(now - 2 <= claims["iat"] <= now + 2)
        self.assertEqual(claims["exp"] - claims["iat"], 7200)
        self.assertEqual(answer["joinUrl"], f"https://{DOMAIN}/ataraxia-interop-room")
        self.assertEqual(answer["expiresAt"],
                         time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(claims["exp"])))

    def test_participant_token(self):
        status, answer = self.generate(False, key=PARTICIPANT_KEY)
        self.assertEqual(status, 200, answer)
        claims = prosody_verify(answer["token"], "ataraxia-interop-room")
        self.assertIs(claims["moderator"], False)
        self.assertIs(claims["context"]["user"]["moderator"], False)

    def test_window_tokens(self):
        start = int(time.time()) + 3600
        not_before = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(start))
        expires_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 4500))
        status, answer = self.generate(False, notBefore=not_before, expiresAt=expires_at)
        self.assertEqual(status, 200, answer)
        with self.assertRaises(jwt.ImmatureSignatureError):
            prosody_verify(answer["token"], "ataraxia-interop-room")
        claims = jwt.decode(answer["token"], SECRET, algorithms=["HS256"], audience=AUDIENCE,
                            issuer=APP_ID, options={"verify_nbf": False})
        self.assertEqual(claims["nbf"], start)
        self.assertEqual(claims["exp"], start + 4500)

    def test_create_room_tokens(self):
        status, answer = server.request("/api/jitsi/create-room", {
            "participants": [
                {"userName": "T", "userEmail": "t@x", "userId": "t", "isModerator": True},
                {"userName": "C", "userEmail": "c@x", "userId": "c", "isModerator": False},
            ],
        })
        self.assertEqual(status, 200, answer)
        room = answer["roomName"]
        self.assertRegex(room, r"^ataraxia-[a-z2-7]{26,}$")
        for entry, moderator in zip(answer["tokens"], (True, False)):
            claims = prosody_verify(entry["token"], room)
            self.assertIs(claims["moderator"], moderator)
            self.assertEqual(claims["context"]["user"]["id"], entry["userId"])

    def test_key_is_trimmed_secret(self):
        status, answer = self.generate(False)
        self.assertEqual(status, 200, answer)
        with self.assertRaises(jwt.InvalidSignatureError):
            jwt.decode(answer["token"], SECRET + "\n", algorithms=["HS256"], audience=AUDIENCE)


class MintedByPyJWT(unittest.TestCase):
    def claims(self, **changes):
        now = int(time.time())
        claims = {
            "iss": APP_ID, "aud": AUDIENCE, "sub": DOMAIN, "room": "ataraxia-pyjwt",
            "iat": now, "nbf": now - 30, "exp": now + 600, "moderator": True,
            "context": {"user": {"id": "u", "name": "N", "email": "e@x", "moderator": True}},
        }
        for k, v in changes.items():
            if v is None:
                claims.pop(k, None)
            else:
                claims[k] = v
        return claims

    def validate(self, token, key=THERAPIST_KEY):
        status, answer = server.request("/api/jitsi/validate-token", {"token": token}, key)
        self.assertEqual(status, 200, answer)
        return answer

    def assert_reason(self, token, reason):
        answer = self.validate(token)
        self.assertEqual(answer, {"valid": False, "reason": reason})

    def test_good_token_is_valid(self):
        claims = self.claims()
        answer = self.validate(jwt.encode(claims, SECRET, algorithm="HS256"), key=PARTICIPANT_KEY)
        self.assertEqual(answer, {
            "valid": True,
            "roomName": "ataraxia-pyjwt",
            "isModerator": True,
            "expiresAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(claims["exp"])),
        })

    def test_good_token_without_context_or_typ(self):
        token = jwt.encode(self.claims(context=None, moderator=False), SECRET, algorithm="HS256",
                           headers={"typ": None})
        answer = self.validate(token)
        self.assertTrue(answer["valid"], answer)
        self.assertIs(answer["isModerator"], False)

    def test_expired(self):
        now = int(time.time())
        self.assert_reason(jwt.encode(self.claims(exp=now - 5, nbf=now - 100), SECRET, algorithm="HS256"),
                           "expired")

    def test_not_yet_valid(self):
        now = int(time.time())
        self.assert_reason(jwt.encode(self.claims(nbf=now + 300), SECRET, algorithm="HS256"),
                           "not-yet-valid")

    def test_missing_exp(self):
        self.assert_reason(jwt.encode(self.claims(exp=None), SECRET, algorithm="HS256"), "missing-exp")

    def test_wrong_audience(self):
        self.assert_reason(jwt.encode(self.claims(aud="other"), SECRET, algorithm="HS256"),
                           "wrong-audience")

    def test_wrong_issuer(self):
        self.assert_reason(jwt.encode(self.claims(iss="someone-else"), SECRET, algorithm="HS256"),
                           "wrong-issuer")

    def test_wrong_subject(self):
        self.assert_reason(jwt.encode(self.claims(sub="meet.evil.org"), SECRET, algorithm="HS256"),
                           "wrong-subject")

    def test_bad_room(self):
        self.assert_reason(jwt.encode(self.claims(room="*"), SECRET, algorithm="HS256"), "bad-room")
        self.assert_reason(jwt.encode(self.claims(room="Upper/Case"), SECRET, algorithm="HS256"),
                           "bad-room")

    def test_bad_moderator(self):
        self.assert_reason(jwt.encode(self.claims(moderator="true"), SECRET, algorithm="HS256"),
                           "bad-moderator")

    def test_wrong_secret(self):
        self.assert_reason(jwt.encode(self.claims(), "x" * 64, algorithm="HS256"), "bad-signature")
        # The untrimmed file content is not the key either.
        self.assert_reason(jwt.encode(self.claims(), SECRET + "\n", algorithm="HS256"), "bad-signature")

    def test_alg_none(self):
        self.assert_reason(jwt.encode(self.claims(), None, algorithm="none"), "bad-algorithm")

    def test_hs512_and_hs384(self):
        self.assert_reason(jwt.encode(self.claims(), SECRET, algorithm="HS512"), "bad-algorithm")
        self.assert_reason(jwt.encode(self.claims(), SECRET, algorithm="HS384"), "bad-algorithm")

    def test_stripped_signature(self):
        token = jwt.encode(self.claims(), SECRET, algorithm="HS256")
        self.assert_reason(token.rsplit(".", 1)[0] + ".", "bad-signature")

    def test_altered_payload(self):
        token = jwt.encode(self.claims(moderator=False), SECRET, algorithm="HS256")
        forged = jwt.encode(self.claims(moderator=True), "x" * 64, algorithm="HS256")
        h, _, s = token.split(".")
        self.assert_reason(".".join([h, forged.split(".")[1], s]), "bad-signature")

    def test_garbage(self):
        for token in ["", "x", "a.b", "a.b.c", "....", "eyJ.eyJ.eyJ"]:
            self.assert_reason(token, "malformed")


def main():
    global server
    if not SERVER:
        print("usage: test-token-interop.py PATH-TO-ataraxia-token-server", file=sys.stderr)
        return 2
    server = Server()
    try:
        result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    finally:
        status = server.stop()
    if status != 0:
        print(f"the token server exited with status {status} on SIGTERM", file=sys.stderr)
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())

// The Node peer of ataraxia-token-server, for the benchmark only: written the
// way the original web backend would be (express + jsonwebtoken), with the
// same generate-token contract, API-key check and claims, so that both do
// the same work per request.
//
//   node server.js --config FILE --port N     (prints "listening on URL")
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const express = require('express');
const jwt = require('jsonwebtoken');

function parseArgs(argv) {
  const args = { config: null, port: null };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === '--config') args.config = argv[++i];
    else if (argv[i] === '--port') args.port = Number(argv[++i]);
  }
  return args;
}

// A minimal reader of the server's GKeyFile: [group] and key=value lines.
function readKeyFile(file) {
  const groups = {};
  let current = null;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const g = line.match(/^\[(.+)\]$/);
    if (g) { current = groups[g[1]] = groups[g[1]] || {}; continue; }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return groups;
}

const args = parseArgs(process.argv);
const config = readKeyFile(args.config);
const jitsi = config.jitsi;
const secret = fs.readFileSync(path.resolve(path.dirname(args.config), jitsi['secret-file']), 'utf8').replace(/\s+$/, '');
const keys = new Map(Object.entries(config['api-keys'] || {}));
const lifetime = Number(jitsi.lifetime || 7200);
const domain = jitsi.domain;
const roomRe = /^[a-z0-9-]{1,128}$/;

const app = express();
app.use(express.json({ limit: '16kb' }));

function fail(res, status, error, message) {
  res.status(status).json({ error, message });
}

app.post('/api/jitsi/generate-token', (req, res) => {
  const auth = req.get('authorization') || '';
  const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  const role = keys.get(crypto.createHash('sha256').update(key).digest('hex'));
  if (!role) return fail(res, 401, 'unauthorized', 'A valid API key is required');

  const b = req.body || {};
  for (const f of ['roomName', 'userName', 'userEmail', 'userId']) {
    if (b[f] === undefined) return fail(res, 400, 'missing-field', `${f} is required`);
    if (typeof b[f] !== 'string') return fail(res, 400, 'invalid-field', `${f} must be a string`);
  }
  if (typeof b.isModerator !== 'boolean') return fail(res, 400, 'invalid-field', 'isModerator must be a boolean');
  if (!roomRe.test(b.roomName)) return fail(res, 400, 'invalid-room', 'bad room name');
  if (b.isModerator && role !== 'therapist') return fail(res, 403, 'forbidden', 'therapists only');

  const now = Math.floor(Date.now() / 1000);
  const exp = now + lifetime;
  const token = jwt.sign({
    iss: jitsi['app-id'], aud: jitsi.audience || 'jitsi', sub: domain, room: b.roomName,
    iat: now, nbf: now - 60, exp, moderator: b.isModerator,
    context: { user: { id: b.userId, name: b.userName, email: b.userEmail, moderator: b.isModerator } },
  }, secret, { algorithm: 'HS256', noTimestamp: true });
  res.json({
    token,
    roomName: b.roomName,
    joinUrl: `https://${domain}/${b.roomName}`,
    expiresAt: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
});

app.get('/healthz', (req, res) => res.json({ status: 'ok' }));

const server = app.listen(args.port ?? 0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));

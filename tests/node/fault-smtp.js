// A scriptable SMTP server for the mail fault tests: a real SMTP peer (nodemailer's smtp-server) whose replies
// depend on the recipient's local part, plus a small HTTP API listing what it accepted.
//   tempfail<N>-...@  451 4.3.0 for the first N deliveries to that address, then accepted (greylisting, a busy relay)
//   bounce-...@       550 5.1.1 no such user (a hard bounce)
//   policy-...@       554 5.7.1 relaying denied (our configuration, not the recipient)
//   hang<N>-...@      takes the first N messages but never answers the end of DATA (a relay that stalls), then accepts
//   anything else     250 accepted
// Usage: node fault-smtp.js SMTP_PORT HTTP_PORT
'use strict';
const http = require('http');
const { SMTPServer } = require('smtp-server');

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
const accepted = [];
const attempts = {};
const deliveries = {};

function rule(address) {
  const local = address.split('@')[0].toLowerCase();
  const temp = /^tempfail(\d+)-/.exec(local);
  if (temp) return { kind: 'tempfail', count: Number(temp[1]) };
  if (local.startsWith('bounce-')) return { kind: 'bounce' };
  if (local.startsWith('policy-')) return { kind: 'policy' };
  const hang = /^hang(\d+)-/.exec(local);
  if (hang) return { kind: 'hang', count: Number(hang[1]) };
  return { kind: 'accept' };
}

function reject(message, code) {
  const error = new Error(message);
  error.responseCode = code;
  return error;
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, session, callback) {
    const to = address.address.toLowerCase();
    attempts[to] = (attempts[to] || 0) + 1;
    const r = rule(to);
    if (r.kind === 'tempfail' && attempts[to] <= r.count) return callback(reject('4.3.0 Try again later', 451));
    if (r.kind === 'bounce') return callback(reject('5.1.1 No such user here', 550));
    if (r.kind === 'policy') return callback(reject('5.7.1 Relaying denied', 554));
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name) => {
        const m = new RegExp('^' + name + ':\\s*(.*)$', 'im').exec(raw);
        return m ? m[1].trim() : null;
      };
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      to.forEach((a) => { deliveries[a] = (deliveries[a] || 0) + 1; });
      if (to.some((a) => rule(a).kind === 'hang' && deliveries[a] <= rule(a).count)) {
        accepted.push({ to, messageId: header('Message-ID'), subject: header('Subject'), hung: true, at: new Date().toISOString() });
        return; // never answer: the client times out or is killed waiting
      }
      accepted.push({ to, messageId: header('Message-ID'), subject: header('Subject'), hung: false, at: new Date().toISOString() });
      callback(null, 'Queued');
    });
  },
});

server.on('error', (e) => console.error('smtp error', e.message));
server.listen(smtpPort, '127.0.0.1', () => {
  http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/messages') return res.end(JSON.stringify(accepted));
    if (req.url === '/attempts') return res.end(JSON.stringify(attempts));
    res.statusCode = 404;
    res.end('{}');
  }).listen(httpPort, '127.0.0.1', () => console.log('ready'));
});

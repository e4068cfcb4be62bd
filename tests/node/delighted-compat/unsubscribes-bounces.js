'use strict';
// Unsubscribing and listing unsubscribes and bounces through the official client (page-number paging).
const { assert, client, run, input } = require('./harness');

run(async () => {
  const d = client();
  const tag = input.tag;
  const person = await d.person.create({ email: `leaver-${tag}@example.com`, name: 'Leaver', send: false });
  assert.deepEqual((await d.unsubscribe.create({ person_email: `leaver-${tag}@example.com` })).toJSON(), { ok: true });
  // Idempotent: unsubscribing twice is still ok and lists once.
  assert.deepEqual((await d.unsubscribe.create({ person_email: `Leaver-${tag}@example.com` })).toJSON(), { ok: true });
  const unsubscribes = await d.unsubscribe.all({ page: 1, per_page: 100 });
  const mine = unsubscribes.filter((u) => u.email === `leaver-${tag}@example.com`);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].person_id, person.id);
  assert.equal(mine[0].name, 'Leaver');
  assert.equal(typeof mine[0].unsubscribed_at, 'number');

  const invalid = await d.unsubscribe.create({ person_email: 'x\r\nBcc: victim@example.com' }).then(() => null, (e) => e);
  assert.equal(invalid.type, 'ResourceValidationError');
  assert.ok(JSON.parse(invalid.message).errors.person_email);

  // Bounces were recorded by the C# side (hard-bounce suppressions, as the mail dispatcher writes them).
  const bounces = await d.bounce.all({ page: 1, per_page: 100 });
  assert.deepEqual(bounces.map((b) => b.email), input.bounced);
  assert.equal(bounces[0].person_id, input.bouncedPersonId);
  assert.equal(bounces[1].person_id, null);
  assert.equal(typeof bounces[0].bounced_at, 'number');
  const second = await d.bounce.all({ page: 2, per_page: 1 });
  assert.deepEqual(second.map((b) => b.email), [input.bounced[1]]);
  assert.deepEqual(await d.bounce.all({ page: 3, per_page: 1 }), []);
  const since = await d.bounce.all({ since: bounces[1].bounced_at });
  assert.ok(since.some((b) => b.email === input.bounced[1]));
  return { person: person.id };
});

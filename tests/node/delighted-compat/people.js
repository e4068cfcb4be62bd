'use strict';
// People through the official client: create with properties and a delay (the survey is scheduled, not sent), create
// without sending, auto-page through everyone over absolute Link URLs, cancel pending requests, delete by email,
// phone number and id.
const { assert, client, collect, run, input } = require('./harness');

run(async () => {
  const d = client();
  const tag = input.tag;
  const before = Math.floor(Date.now() / 1000);
  const ana = await d.person.create({
    email: `ana-${tag}@example.com`,
    name: 'Ana Andersson',
    delay: 3600,
    properties: { 'Purchase Experience': 'Mobile App', State: 'CA', locale: 'sv', question_product_name: 'Acme Pro', order_id: 1234 },
  });
  assert.equal(typeof ana.id, 'string');
  assert.equal(ana.email, `ana-${tag}@example.com`);
  assert.equal(ana.name, 'Ana Andersson');
  assert.ok(ana.survey_scheduled_at >= before + 3600 && ana.survey_scheduled_at <= before + 3600 + 120, `scheduled at ${ana.survey_scheduled_at}`);
  assert.equal(ana.properties['Purchase Experience'], 'Mobile App');
  assert.equal(ana.properties.order_id, '1234');

  // Creating again updates the same person and schedules again (Delighted's throttling may skip it; Promoter records it).
  const again = await d.person.create({ email: `ANA-${tag}@example.com`, name: 'Ana A.', send: false });
  assert.equal(again.id, ana.id);
  assert.equal(again.survey_scheduled_at, null);

  const quiet = await d.person.create({ email: `quiet-${tag}@example.com`, send: false, last_sent_at: before - 86400 });
  assert.equal(quiet.survey_scheduled_at, null);
  const phone = await d.person.create({ phone_number: '+14155551212', name: 'By Phone', send: false });
  assert.equal(phone.phone_number, '+14155551212');

  const created = [ana.id, quiet.id, phone.id];
  for (let i = 0; i < 8; i++) {
    created.push((await d.person.create({ email: `p${i}-${tag}@example.com`, send: false })).id);
  }

  // Auto-paging: three per page over eleven people is four pages joined by absolute Link URLs.
  const everyone = await collect(d.person.list({ per_page: 3 }));
  const ids = everyone.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'no person twice');
  assert.deepEqual([...ids].sort(), [...created].sort());
  const listedAna = everyone.find((p) => p.id === ana.id);
  assert.equal(typeof listedAna.created_at, 'number');
  assert.ok(listedAna.next_survey_scheduled_at >= before + 3600);
  assert.equal(everyone.find((p) => p.id === quiet.id).last_sent_at, before - 86400);

  // Stopping early by returning false.
  let seen = 0;
  await d.person.list({ per_page: 2 }).autoPagingEach(() => { seen++; return seen < 3 ? undefined : false; });
  assert.equal(seen, 3);

  const byEmail = await collect(d.person.list({ email: `ana-${tag}@example.com` }));
  assert.deepEqual(byEmail.map((p) => p.id), [ana.id]);
  const byPhone = await collect(d.person.list({ phone_number: '+14155551212' }));
  assert.deepEqual(byPhone.map((p) => p.id), [phone.id]);
  assert.deepEqual(await collect(d.person.list({ email: `nobody-${tag}@example.com` })), []);

  // Cancelling the pending survey request.
  assert.deepEqual(await d.surveyRequest.deletePending({ person_email: `ana-${tag}@example.com` }), { ok: true });
  const afterCancel = await collect(d.person.list({ email: `ana-${tag}@example.com` }));
  assert.equal(afterCancel[0].next_survey_scheduled_at, null);

  // Deleting by email, phone number and id (202 {"ok":true}).
  assert.deepEqual(await d.person.delete({ email: `quiet-${tag}@example.com` }), { ok: true });
  assert.deepEqual(await d.person.delete({ phone_number: '+14155551212' }), { ok: true });
  assert.deepEqual(await d.person.delete({ id: created[3] }), { ok: true });
  const remaining = (await collect(d.person.list({ per_page: 100 }))).map((p) => p.id);
  assert.deepEqual([...remaining].sort(), created.filter((id) => ![quiet.id, phone.id, created[3]].includes(id)).sort());

  const missing = await d.person.delete({ email: `quiet-${tag}@example.com` }).then(() => null, (e) => e);
  assert.equal(missing.type, 'GeneralAPIError');

  const invalid = await d.person.create({ email: 'not an email' }).then(() => null, (e) => e);
  assert.equal(invalid.type, 'ResourceValidationError');
  assert.ok(JSON.parse(invalid.message).errors.email);

  return { ana: ana.id, deleted: [quiet.id, phone.id, created[3]], anaEmail: `ana-${tag}@example.com` };
});

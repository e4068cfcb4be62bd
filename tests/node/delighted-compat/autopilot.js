'use strict';
// Autopilot through the official client: the configuration (a recurring send every 90 days), adding people with
// properties, auto-paging through the memberships over absolute Link URLs, and removing one (node sends the
// identifier as a query string).
const { assert, client, collect, run, input } = require('./harness');

run(async () => {
  const d = client();
  const tag = input.tag;
  const config = (await d.autopilotConfiguration.retrieve('email')).toJSON();
  assert.equal(config.platform_id, 'email');
  assert.equal(config.active, true);
  assert.equal(config.frequency, 90 * 86400);
  assert.equal(typeof config.created_at, 'number');
  const sms = (await d.autopilotConfiguration.retrieve('sms')).toJSON();
  assert.deepEqual([sms.platform_id, sms.active], ['sms', false]);

  const emails = [];
  for (let i = 0; i < 7; i++) {
    const email = `auto${i}-${tag}@example.com`;
    emails.push(email);
    const added = await d.autopilotMembership.forEmail().create({ person_email: email, person_name: `Auto ${i}`, properties: { plan: i % 2 ? 'pro' : 'free' } });
    assert.equal(added.person.email, email);
    assert.equal(added.person.name, `Auto ${i}`);
    assert.equal(added.properties.plan, i % 2 ? 'pro' : 'free');
  }

  // Adding the same person again changes nothing but their properties.
  const again = await d.autopilotMembership.forEmail().create({ person_email: emails[0], properties: { plan: 'enterprise' } });
  assert.equal(again.properties.plan, 'enterprise');

  const members = await collect(d.autopilotMembership.forEmail().list({ per_page: 2 }));
  const listed = members.map((m) => m.person.email);
  assert.deepEqual([...listed].sort(), [...emails].sort());
  assert.equal(new Set(listed).size, emails.length);
  const first = members.find((m) => m.person.email === emails[0]);
  assert.equal(typeof first.created_at, 'number');
  assert.equal(typeof first.person.id, 'string');
  assert.ok(first.next_survey_request.survey_scheduled_at >= first.created_at - 86400);
  assert.equal(first.next_survey_request.properties.plan, 'enterprise');

  const one = await collect(d.autopilotMembership.forEmail().list({ person_email: emails[3] }));
  assert.deepEqual(one.map((m) => m.person.email), [emails[3]]);

  const removed = await d.autopilotMembership.forEmail().delete({ person_email: emails[3] });
  assert.equal(removed.person.email, emails[3]);
  const after = await collect(d.autopilotMembership.forEmail().list({ per_page: 3 }));
  assert.deepEqual(after.map((m) => m.person.email).sort(), emails.filter((e) => e !== emails[3]).sort());
  assert.deepEqual(await collect(d.autopilotMembership.forSms().list()), []);
  return { removed: removed.person.id, first: first.person.id };
});

'use strict';
// Survey responses through the official client: create (Unix and Date created_at), retrieve with the person expanded,
// update with the materialized save() (PUT /v1/survey_responses, id in the body), and list with every filter.
const { assert, client, run, input, unix } = require('./harness');

run(async () => {
  const d = client();
  const tag = input.tag;
  const ana = await d.person.create({ email: `ana-${tag}@example.com`, name: 'Ana', send: false });
  const bo = await d.person.create({ email: `bo-${tag}@example.com`, name: 'Bo', send: false });
  assert.equal(typeof ana.id, 'string');

  const base = new Date(Date.UTC(2025, 4, 1, 12, 0, 0));
  const at = (days) => new Date(base.getTime() + days * 86400000);
  const created = [];
  const plan = [
    { person: ana.id, score: 10, comment: 'Great', created_at: unix(at(0)), person_properties: { 'Purchase Experience': 'Mobile App', State: 'CA' } },
    { person: bo.id, score: 6, comment: 'Slow delivery', created_at: unix(at(1)) },
    { person: ana.id, score: 8, created_at: at(2) }, // a Date: JSON.stringify sends an ISO string
    { person: bo.id, score: 0, comment: '<script>alert(1)</script>', created_at: unix(at(3)) },
    { person: ana.id, score: 9, created_at: unix(at(4)) },
  ];
  for (const p of plan) created.push(await d.surveyResponse.create(p));

  const first = created[0];
  assert.equal(typeof first.id, 'string');
  assert.equal(first.person, ana.id);
  assert.equal(first.score, 10);
  assert.equal(first.survey_type, 'nps');
  assert.equal(first.created_at, unix(at(0)));
  assert.deepEqual(first.person_properties, { 'Purchase Experience': 'Mobile App', State: 'CA' });
  assert.equal(created[2].created_at, unix(at(2)));
  assert.equal(created[3].comment, '<script>alert(1)</script>');

  // Updates land in a later second than the creations, so updated_since/updated_until can tell them apart.
  await new Promise((resolve) => setTimeout(resolve, 1100));

  // Retrieve with the person expanded: the client materializes it as a Person.
  const expanded = await d.surveyResponse.retrieve(first.id, { expand: ['person'] });
  assert.equal(expanded.person.id, ana.id);
  assert.equal(expanded.person.email, `ana-${tag}@example.com`);

  // The node client's save() PUTs the whole object to the collection path.
  const loaded = await d.surveyResponse.retrieve(created[1].id);
  loaded.score = 7;
  loaded.comment = 'Better after the call';
  const saved = await loaded.save();
  assert.equal(saved.id, created[1].id);
  assert.equal(saved.score, 7);
  assert.equal(saved.comment, 'Better after the call');
  assert.ok(saved.updated_at >= created[1].updated_at);
  // Saving the expanded object (person is an object now) keeps the person.
  expanded.comment = 'Still great';
  const savedExpanded = await expanded.save();
  assert.equal(savedExpanded.person, ana.id);
  assert.equal(savedExpanded.comment, 'Still great');

  const ids = (list) => list.map((r) => r.id);
  const all = await d.surveyResponse.all({ per_page: 100, trend: input.surveyId });
  const mine = created.map((r) => r.id);
  assert.deepEqual(ids(all).filter((id) => mine.includes(id)), mine, 'oldest first');

  const page1 = await d.surveyResponse.all({ page: 1, per_page: 2, person_email: `ana-${tag}@example.com` });
  const page2 = await d.surveyResponse.all({ page: 2, per_page: 2, person_email: `ana-${tag}@example.com` });
  const page3 = await d.surveyResponse.all({ page: 3, per_page: 2, person_email: `ana-${tag}@example.com` });
  assert.deepEqual([...ids(page1), ...ids(page2)], [created[0].id, created[2].id, created[4].id]);
  assert.equal(page3.length, 0, 'an empty page ends the paging');

  const window = await d.surveyResponse.all({ since: at(1), until: at(3), trend: input.surveyId });
  assert.deepEqual(ids(window), [created[1].id, created[2].id, created[3].id], 'since/until are inclusive Unix seconds');

  const byPerson = await d.surveyResponse.all({ person_id: bo.id });
  assert.deepEqual(ids(byPerson), [created[1].id, created[3].id]);

  const desc = await d.surveyResponse.all({ person_id: ana.id, order: 'desc' });
  assert.deepEqual(ids(desc), [created[4].id, created[2].id, created[0].id]);

  // created[1] and created[0] were updated last, in that order.
  const byUpdate = await d.surveyResponse.all({ trend: input.surveyId, order: 'desc:updated_at', per_page: 2 });
  assert.deepEqual(ids(byUpdate), [created[0].id, created[1].id]);
  const byUpdateAsc = await d.surveyResponse.all({ trend: input.surveyId, order: 'asc:updated_at', per_page: 100 });
  assert.deepEqual(ids(byUpdateAsc).slice(-2), [created[1].id, created[0].id]);

  const updatedSince = await d.surveyResponse.all({ updated_since: saved.updated_at, trend: input.surveyId });
  assert.deepEqual(ids(updatedSince).sort(), [created[0].id, created[1].id].sort());
  const updatedUntil = await d.surveyResponse.all({ updated_until: created[4].updated_at, trend: input.surveyId });
  assert.deepEqual(ids(updatedUntil), [created[2].id, created[3].id, created[4].id]);

  const expandedList = await d.surveyResponse.all({ person_id: bo.id, 'expand[]': ['person', 'notes'] });
  assert.equal(expandedList[0].person.email, `bo-${tag}@example.com`);
  assert.deepEqual(expandedList[0].notes, []);

  const invalid = await d.surveyResponse.create({ person: ana.id, score: 11 }).then(() => null, (e) => e);
  assert.equal(invalid.type, 'ResourceValidationError');
  assert.ok(JSON.parse(invalid.message).errors.score);

  return { responses: mine, ana: ana.id, bo: bo.id };
});

'use strict';
// Metrics through the official client, compared with Promoter's own NPS for the same workspace days, and with a count
// of what this scenario itself created for a range that cuts days in half.
const { assert, client, promoter, run, input } = require('./harness');

// Ruby's round, which Delighted used: halves away from zero (JavaScript's Math.round sends -12.5 to -12).
const round = (x) => Math.sign(x) * Math.round(Math.abs(x));

function expected(scores) {
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const passives = scores.filter((s) => s === 7 || s === 8).length;
  const detractors = n - promoters - passives;
  const pct = (k) => (n === 0 ? 0 : round((100 * k) / n));
  return {
    nps: n === 0 ? 0 : round((100 * (promoters - detractors)) / n),
    promoter_count: promoters, promoter_percent: pct(promoters),
    passive_count: passives, passive_percent: pct(passives),
    detractor_count: detractors, detractor_percent: pct(detractors),
    response_count: n,
  };
}

run(async () => {
  const d = client();
  // The client materializes the body as a resource; toJSON() gives back exactly the attributes the server sent.
  const metrics = async (q) => (await d.metrics.retrieve(q)).toJSON();
  const dayStart = input.dayStart; // local midnight of input.date in the workspace's time zone, Unix seconds
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await d.person.create({ email: `m${i}-${input.tag}@example.com`, send: false }));

  // 26 answers inside the day, 3 the day before, 4 the day after; half-hours so part-day ranges cut between them.
  const inside = [10, 9, 9, 8, 7, 6, 5, 10, 3, 9, 0, 8, 10, 10, 2, 9, 7, 10, 6, 9, 10, 4, 9, 8, 10, 1];
  const plan = [];
  inside.forEach((score, i) => plan.push({ score, at: dayStart + 1800 + i * 3300 }));
  [2, 10, 9].forEach((score, i) => plan.push({ score, at: dayStart - 3600 * (i + 1) }));
  [0, 0, 10, 6].forEach((score, i) => plan.push({ score, at: dayStart + 86400 + 3600 * (i + 1) }));
  for (const [i, p] of plan.entries()) {
    await d.surveyResponse.create({ person: people[i % people.length].id, score: p.score, created_at: p.at });
  }

  const dayEnd = dayStart + 86400 - 1;
  const day = await metrics({ since: new Date(dayStart * 1000), until: new Date(dayEnd * 1000) });
  const own = await promoter(`/api/v1/surveys/${input.surveyId}/nps?from=${input.date}&to=${input.date}`);
  assert.deepEqual(day, expected(inside));
  assert.equal(day.response_count, own.summary.n);
  assert.equal(day.promoter_count, own.summary.promoters);
  assert.equal(day.passive_count, own.summary.passives);
  assert.equal(day.detractor_count, own.summary.detractors);
  assert.equal(day.nps, round(own.summary.nps), `Promoter says ${own.summary.nps}`);

  // Three whole days through the rollups, again equal to Promoter's own figure.
  const three = await metrics({ since: dayStart - 86400, until: dayEnd + 86400, trend: input.surveyId });
  const ownThree = await promoter(`/api/v1/surveys/${input.surveyId}/nps?from=${input.previousDate}&to=${input.nextDate}`);
  assert.equal(three.response_count, plan.length);
  assert.equal(three.response_count, ownThree.summary.n);
  assert.equal(three.nps, round(ownThree.summary.nps));
  assert.deepEqual(three, expected(plan.map((p) => p.score)));

  // A range cutting both ends of days: whole days from rollups plus the raw part-days.
  const from = dayStart + 6 * 3600;
  const to = dayEnd + 86400 - 20 * 3600;
  const partial = await metrics({ since: from, until: to });
  assert.deepEqual(partial, expected(plan.filter((p) => p.at >= from && p.at <= to).map((p) => p.score)));

  // Inside one day only.
  const morning = await metrics({ since: dayStart, until: dayStart + 6 * 3600 });
  assert.deepEqual(morning, expected(plan.filter((p) => p.at >= dayStart && p.at <= dayStart + 6 * 3600).map((p) => p.score)));

  // No range: the 30 days ending at the latest response.
  const latest = Math.max(...plan.map((p) => p.at));
  const recent = await metrics();
  assert.deepEqual(recent, expected(plan.filter((p) => p.at >= latest - 30 * 86400).map((p) => p.score)));

  const empty = await metrics({ since: 946684800, until: 946771200 });
  assert.deepEqual(empty, expected([]));

  const bad = await d.metrics.retrieve({ since: 'yesterday' }).then(() => null, (e) => e);
  assert.equal(bad.type, 'ResourceValidationError');
  assert.ok(JSON.parse(bad.message).errors.since);
  return { day, own: own.summary };
});

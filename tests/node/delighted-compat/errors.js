'use strict';
// How the official client sees Promoter's refusals: a bad key, a missing object, and the rate limit (the server under
// test allows input.perMinute requests a minute), including auto-paging that waits out Retry-After and carries on.
const { assert, client, collect, run, input } = require('./harness');

run(async () => {
  const d = client();
  const unauthorized = await client('prm_' + 'x'.repeat(49)).metrics.retrieve().then(() => null, (e) => e);
  assert.equal(unauthorized.type, 'AuthenticationError');
  assert.equal(JSON.parse(unauthorized.message).status, 401);

  const notFound = await d.surveyResponse.retrieve('987654321').then(() => null, (e) => e);
  assert.equal(notFound.type, 'GeneralAPIError');
  assert.deepEqual(JSON.parse(notFound.message), { status: 404, message: 'Not Found' });

  for (let i = 0; i < 3; i++) await d.person.create({ email: `r${i}-${input.tag}@example.com`, send: false });

  // Drain the bucket: every further call is a 429 with a whole-second Retry-After.
  const outcomes = await Promise.all(Array.from({ length: input.perMinute + 5 }, () => d.metrics.retrieve().then(() => null, (e) => e)));
  const limited = outcomes.filter((e) => e && e.type === 'TooManyRequestsError');
  assert.ok(limited.length >= 5, `${limited.length} of ${outcomes.length} were rate limited`);
  assert.ok(limited.every((e) => Number.isInteger(e.retryAfter) && e.retryAfter >= 1), JSON.stringify(limited.map((e) => e.retryAfter)));
  assert.deepEqual(JSON.parse(limited[0].message), { status: 429, message: 'Too Many Requests' });

  // Auto-paging while limited: the client waits Retry-After seconds and retries, and still sees everyone once.
  const started = Date.now();
  const people = await collect(d.person.list({ per_page: 1 }), { auto_handle_rate_limits_max_retries: 10 });
  assert.equal(people.length, 3);
  assert.equal(new Set(people.map((p) => p.id)).size, 3);
  return { limited: limited.length, retryAfter: limited[0].retryAfter, waitedMs: Date.now() - started };
});

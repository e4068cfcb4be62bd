'use strict';
// Shared set-up for the scenarios: the OFFICIAL delighted@2.2.0 client pointed at the Promoter under test.
// The test passes PROMOTER_PORT, PROMOTER_KEY and PROMOTER_INPUT (JSON) in the environment; a scenario prints one
// "RESULT <json>" line for the C# side to cross-check against the database, and exits non-zero on any failed assertion.
const assert = require('node:assert/strict');
const delighted = require('delighted');

const port = Number(process.env.PROMOTER_PORT);
const key = process.env.PROMOTER_KEY;
const input = JSON.parse(process.env.PROMOTER_INPUT || '{}');

function client(apiKey = key, extra = {}) {
  return delighted(apiKey, { host: '127.0.0.1', port, scheme: 'http', ...extra });
}

/** Promoter's own API, for comparing numbers (Bearer auth, plain fetch). */
async function promoter(path) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: `Bearer ${key}` } });
  const text = await response.text();
  assert.equal(response.status, 200, `GET ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** Every item of a cursor-paged list, following the Link headers through the client's own autoPagingEach. */
async function collect(list, opts) {
  const items = [];
  await list.autoPagingEach((item) => { items.push(item); }, opts);
  return items;
}

/** The error a call rejects with (fails the scenario if it resolves). */
async function rejection(promise) {
  try {
    const value = await promise;
    assert.fail(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return error;
  }
}

function unix(date) { return Math.floor(date.getTime() / 1000); }

function run(scenario) {
  scenario().then((result) => {
    console.log('RESULT ' + JSON.stringify(result ?? {}));
  }, (error) => {
    console.error('FAILED', error && error.stack ? error.stack : error, error && error.message);
    process.exit(1);
  });
}

module.exports = { assert, client, promoter, collect, rejection, unix, run, input, port, key };

// The page works without this script. With it: step 2 opens in place, answers are sent with fetch (falling back
// to a normal post), personal links may keep a provisional score, and an embedding page hears about progress.
(function () {
'use strict';
var main = document.getElementById('m');
function tell(type, data) {
// Only to the origins the survey allows: nothing about the answer goes anywhere else.
if (window.parent === window) { return; }
var message = Object.assign({ type: 'promoter:' + type }, data || {});
(main.dataset.origins || '').split(' ').forEach(function (origin) { if (origin) { window.parent.postMessage(message, origin); } });
}
function category(score) { return score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter'; }
function init() {
tell('height', { height: document.documentElement.scrollHeight });
var done = document.getElementById('done');
if (done) {
tell('completed', { score: Number(done.dataset.score) });
if (main.dataset.restart) { setTimeout(function () { location.assign(main.dataset.restart); }, 8000); }
return;
}
var form = document.getElementById('f');
if (!form) { return; }
var details = document.getElementById('s2');
var next = document.getElementById('next');
var why = document.getElementById('why');
var chosen = document.getElementById('chosen');
var provisional = main.dataset.provisional;
var armed = false, refused = false, sent = null, early = 0;
function selected() {
var radio = form.querySelector('input[name=score]:checked');
return radio ? Number(radio.value) : null;
}
function reveal() {
var score = selected();
if (score === null) { return; }
var group = category(score);
if (next) { next.remove(); next = null; }
details.hidden = false;
why.textContent = why.dataset[group];
chosen.textContent = chosen.dataset.template.replace('{score}', score);
form.querySelectorAll('[data-show]').forEach(function (question) {
var shown = !question.dataset.show || question.dataset.show.split(' ').indexOf(group) >= 0;
question.hidden = !shown;
question.querySelectorAll('input,textarea').forEach(function (input) { input.disabled = !shown; });
});
tell('height', { height: document.documentElement.scrollHeight });
}
// Personal links: a provisional score only after a real interaction or 5 s of the page being visible, and the
// server may still refuse it (scanner signs); then nothing counts until Submit.
function keep() {
var score = selected();
if (!provisional || refused || !armed || score === null || score === sent) { return; }
sent = score;
fetch(provisional, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ score: score, nonce: form.elements.t.value }) })
.then(function (response) { if (response.status !== 200) { refused = true; } })
.catch(function () { sent = null; });
}
function arm() { armed = true; keep(); }
if (provisional) {
['pointerdown', 'keydown', 'focusin'].forEach(function (name) { document.addEventListener(name, arm, { once: true, capture: true }); });
var visibleFor = 0;
var dwell = setInterval(function () {
if (document.visibilityState === 'visible') { visibleFor += 500; }
if (visibleFor >= 5000) { clearInterval(dwell); arm(); }
}, 500);
}
// Anonymous links: the score is recorded as soon as it is chosen, as step 1 does without script.
function recordEarly() {
if (!main.dataset.early) { return; }
clearTimeout(early);
early = setTimeout(function () {
var body = new URLSearchParams(new FormData(form));
body.set('step', 'score');
fetch(form.action, { method: 'POST', headers: { 'X-Promoter-Background': '1' }, body: body }).catch(function () {});
}, 300); // a short pause, so a person changing their mind posts once
}
form.addEventListener('change', function (event) {
if (event.target.name === 'score') { reveal(); recordEarly(); keep(); }
});
form.addEventListener('submit', function (event) {
event.preventDefault();
clearTimeout(early);
var step = next ? 'score' : 'submit';
var button = details.querySelector('button');
var body = new URLSearchParams(new FormData(form));
body.set('step', step);
button.disabled = true;
button.textContent = button.dataset.sending;
fetch(form.action, { method: 'POST', body: body })
.then(function (response) {
if (response.status >= 500) { throw new Error(String(response.status)); }
return response.text();
})
.then(function (html) {
var page = new DOMParser().parseFromString(html, 'text/html');
var fresh = page.getElementById('m');
if (!fresh) { throw new Error('no page'); }
main.replaceWith(document.adoptNode(fresh));
main = fresh;
document.title = page.title;
init();
var focus = main.querySelector('[role=alert], h1');
if (focus) { focus.tabIndex = -1; focus.focus(); }
})
.catch(function () {
// Whatever went wrong, a plain post still works.
var input = document.createElement('input');
input.type = 'hidden'; input.name = 'step'; input.value = step;
form.appendChild(input);
form.submit();
});
});
if (selected() !== null) { reveal(); }
}
init();
})();

import { ReportExtra, type TestReport } from '@verdict/contracts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON that can sit inside a <script> element: no "</script>", no line separators JS rejects. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/**
 * One self-contained HTML file: styles, script and data inline, no fonts, images or requests, so
 * it opens offline and can be attached anywhere. The test list is drawn from the embedded data
 * a page at a time, so a run of 20,000 tests stays quick: failures first, filters by status,
 * search by name or file.
 */
export function renderHtml(report: TestReport): string {
  const x = ReportExtra.parse(report.extra);
  const s = report.summary;
  const title = `${x.execution.project ? `${x.execution.project} / ` : ''}${x.execution.suite}`;
  const data = {
    tests: x.tests.map((t) => [
      t.key,
      t.name,
      t.file,
      t.status,
      Math.round(t.durationMs),
      t.flaky ? 1 : 0,
      t.attempts,
      t.error,
    ]),
    flaky: Object.fromEntries(x.flaky.map((f) => [f.key, f.reason])),
    newFailures: x.newFailures,
    fixed: x.fixed,
    stillFailing: x.stillFailing,
  };
  const bar = (v: number, max: number) => (max ? Math.max(2, Math.round((v / max) * 100)) : 0);
  const maxTrend = Math.max(0, ...x.trend.map((t) => t.durationMs ?? 0));
  const name = new Map(x.tests.map((t) => [t.key, `${t.file} › ${t.name}`]));
  const list = (keys: string[]) =>
    keys.length
      ? `<ul>${keys
          .slice(0, 50)
          .map((k) => `<li>${esc(name.get(k) ?? k)}</li>`)
          .join('')}${keys.length > 50 ? `<li>… ${keys.length - 50} more</li>` : ''}</ul>`
      : '<p class="muted">none</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}: ${esc(x.execution.status)}</title>
<style>
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px;color:#1f2328}
body{margin:0 auto;max-width:1200px;padding:16px}h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.muted{color:var(--muted)}.badge{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;font-weight:600;text-transform:uppercase;font-size:12px}
.completed{background:var(--ok)}.failed,.cancelled{background:var(--bad)}
.cards{display:flex;gap:8px;flex-wrap:wrap;margin:12px 0}.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:90px}
.card b{display:block;font-size:20px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:16px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.s-passed{color:var(--ok)}.s-failed,.s-broken{color:var(--bad)}.s-skipped,.s-pending{color:var(--muted)}.flaky{color:var(--warn)}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:8px;border-radius:6px;margin:4px 0;max-height:320px;overflow:auto}
.diff{display:grid;grid-template-columns:1fr 1fr;gap:8px}.diff pre.exp{border-left:3px solid var(--ok)}.diff pre.act{border-left:3px solid var(--bad)}
.tools{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:8px 0}button{border:1px solid var(--line);background:#f6f8fa;border-radius:6px;padding:4px 10px;cursor:pointer}
button[aria-pressed=true]{background:#0969da;color:#fff;border-color:#0969da}input[type=search]{flex:1;min-width:200px;padding:5px 8px;border:1px solid var(--line);border-radius:6px}
.spark{display:flex;align-items:flex-end;gap:3px;height:60px}.spark span{width:14px;background:#8c959f}.spark span.bad{background:var(--bad)}
details>summary{cursor:pointer}
</style></head><body>
<header><h1>${esc(title)} <span class="badge ${esc(x.execution.status)}">${esc(x.execution.status)}</span></h1>
<div class="muted">execution ${esc(x.execution.id)} · ${esc(x.execution.trigger)}${x.execution.branch ? ` · branch ${esc(x.execution.branch)}` : ''}${x.execution.commit ? ` · commit ${esc(x.execution.commit.slice(0, 12))}` : ''} · ${(s.duration / 1000).toFixed(1)} s · generated ${esc(report.generatedAt)}</div></header>
<div class="cards">
<div class="card"><b>${s.total}</b>tests</div><div class="card"><b class="s-passed">${s.passed}</b>passed</div>
<div class="card"><b class="s-failed">${s.failed}</b>failed</div><div class="card"><b class="s-skipped">${s.skipped}</b>skipped</div>
<div class="card"><b class="flaky">${x.flaky.length}</b>flaky</div><div class="card"><b>${(s.passRate * 100).toFixed(1)}%</b>pass rate</div>
${report.details.coverage ? `<div class="card"><b>${report.details.coverage.lines}%</b>line coverage</div>` : ''}
</div>
<section id="failures"><h2>Failures (${s.failed})</h2><div id="failure-list"></div></section>
<div class="grid">
<section><h2>New failures (${x.newFailures.length})</h2>${list(x.newFailures)}</section>
<section><h2>Fixed (${x.fixed.length})</h2>${list(x.fixed)}</section>
<section><h2>Still failing (${x.stillFailing.length})</h2>${list(x.stillFailing)}</section>
<section><h2>Flaky (${x.flaky.length})</h2>${list(x.flaky.map((f) => f.key))}</section>
</div>
<div class="grid">
<section><h2>Slowest tests</h2><table>${x.slowest.map((t) => `<tr><td>${esc(name.get(t.key) ?? t.key)}</td><td class="num">${(t.durationMs / 1000).toFixed(2)} s</td></tr>`).join('')}</table></section>
<section><h2>Duration trend (last ${x.trend.length} runs)</h2><div class="spark" role="img" aria-label="duration of recent runs">${x.trend.map((t) => `<span class="${t.status === 'failed' ? 'bad' : ''}" style="height:${bar(t.durationMs ?? 0, maxTrend)}%" title="${esc(t.at)}: ${((t.durationMs ?? 0) / 1000).toFixed(1)} s, pass rate ${(t.passRate * 100).toFixed(1)}%"></span>`).join('')}</div></section>
</div>
<section><h2>Files</h2><table><tr><th>file</th><th class="num">tests</th><th class="num">passed</th><th class="num">failed</th><th class="num">skipped</th><th class="num">time</th></tr>
${x.files.map((f) => `<tr><td>${esc(f.file)}</td><td class="num">${f.tests}</td><td class="num">${f.passed}</td><td class="num">${f.failed}</td><td class="num">${f.skipped}</td><td class="num">${(f.durationMs / 1000).toFixed(2)} s</td></tr>`).join('')}</table></section>
<section><h2>Tests</h2>
<div class="tools" role="toolbar"><button data-filter="all" aria-pressed="true">All</button><button data-filter="failed">Failed</button><button data-filter="passed">Passed</button><button data-filter="skipped">Skipped</button><button data-filter="flaky">Flaky</button>
<input type="search" id="search" placeholder="Search by name or file" aria-label="Search tests"><span id="count" class="muted"></span></div>
<table><thead><tr><th>status</th><th>test</th><th>file</th><th class="num">time</th></tr></thead><tbody id="tests"></tbody></table>
<button id="more" hidden>Show more</button></section>
<script id="data" type="application/json">${scriptJson(data)}</script>
<script>
(function () {
  var D = JSON.parse(document.getElementById('data').textContent);
  var PAGE = 500, shown = PAGE, filter = 'all', query = '';
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function failing(t) { return t[3] === 'failed' || t[3] === 'broken'; }
  function show(v) { return typeof v === 'string' ? v : JSON.stringify(v, null, 2); }
  function errorBlock(err) {
    var box = el('div');
    box.appendChild(el('pre', 'msg', err.message));
    if (err.diff) {
      var d = el('div', 'diff');
      var e = el('pre', 'exp', 'expected\\n' + show(err.diff.expected)); var a = el('pre', 'act', 'actual\\n' + show(err.diff.actual));
      d.appendChild(e); d.appendChild(a); box.appendChild(d);
    }
    if (err.stack) { var det = el('details'); det.appendChild(el('summary', null, 'stack')); det.appendChild(el('pre', null, err.stack)); box.appendChild(det); }
    return box;
  }
  var fl = document.getElementById('failure-list');
  D.tests.filter(failing).slice(0, 200).forEach(function (t) {
    var item = el('div', 'failure');
    var h = el('div'); h.appendChild(el('b', 's-' + t[3], t[3] + ' ')); h.appendChild(el('span', null, t[2] + ' › ' + t[1]));
    item.appendChild(h); if (t[7]) item.appendChild(errorBlock(t[7])); fl.appendChild(item);
  });
  if (!fl.children.length) fl.appendChild(el('p', 'muted', 'none'));
  function matches(t) {
    if (filter === 'failed' && !failing(t)) return false;
    if (filter === 'passed' && t[3] !== 'passed') return false;
    if (filter === 'skipped' && t[3] !== 'skipped' && t[3] !== 'pending') return false;
    if (filter === 'flaky' && !(t[5] || D.flaky[t[0]])) return false;
    return !query || (t[1] + ' ' + t[2]).toLowerCase().indexOf(query) >= 0;
  }
  function draw() {
    var body = document.getElementById('tests'); body.textContent = '';
    var hits = D.tests.filter(matches), frag = document.createDocumentFragment();
    hits.slice(0, shown).forEach(function (t) {
      var tr = el('tr'); tr.setAttribute('data-status', t[3]);
      var st = el('td', 's-' + t[3], t[3] + (t[5] || D.flaky[t[0]] ? ' (flaky)' : '')); tr.appendChild(st);
      var name = el('td', null, t[1]);
      if (t[7]) { var det = el('details'); det.appendChild(el('summary', null, 'error')); det.appendChild(errorBlock(t[7])); name.appendChild(det); }
      tr.appendChild(name); tr.appendChild(el('td', null, t[2])); tr.appendChild(el('td', 'num', (t[4] / 1000).toFixed(2) + ' s'));
      frag.appendChild(tr);
    });
    body.appendChild(frag);
    document.getElementById('count').textContent = Math.min(shown, hits.length) + ' of ' + hits.length + ' shown';
    document.getElementById('more').hidden = hits.length <= shown;
  }
  document.querySelectorAll('[data-filter]').forEach(function (b) {
    b.addEventListener('click', function () {
      document.querySelectorAll('[data-filter]').forEach(function (o) { o.setAttribute('aria-pressed', String(o === b)); });
      filter = b.getAttribute('data-filter'); shown = PAGE; draw();
    });
  });
  document.getElementById('search').addEventListener('input', function (e) { query = e.target.value.trim().toLowerCase(); shown = PAGE; draw(); });
  document.getElementById('more').addEventListener('click', function () { shown += PAGE; draw(); });
  draw();
})();
</script></body></html>
`;
}

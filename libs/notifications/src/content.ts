import { ReportExtra, type TestReport } from '@verdict/contracts';

/** Why a notification goes out. */
export type NotificationEvent = 'execution.completed' | 'execution.broken' | 'execution.recovered';

export interface NotificationContent {
  slack: { text: string; blocks: unknown[] };
  email: { subject: string; text: string; html: string };
  webhook: Record<string, unknown>;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Slack mrkdwn escapes only these. */
const slackEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What each channel sends for a report: rendered once, when the delivery is planned. */
export function renderNotification(
  report: TestReport,
  event: NotificationEvent,
  publicUrl: string,
): NotificationContent {
  const x = ReportExtra.parse(report.extra);
  const s = report.summary;
  const url = `${publicUrl}/api/v1/executions/${report.executionId}/report?format=html`;
  const name = new Map(x.tests.map((t) => [t.key, `${t.file} › ${t.name}`]));
  const title = `${x.execution.project ? `${x.execution.project} / ` : ''}${x.execution.suite}`;
  const headline =
    event === 'execution.broken'
      ? `${title} broke`
      : event === 'execution.recovered'
        ? `${title} recovered`
        : `${title} ${x.execution.status}`;
  const counts = `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped of ${s.total}`;
  const duration = `${(s.duration / 1000).toFixed(1)} s`;
  const where = [
    x.execution.branch && `branch ${x.execution.branch}`,
    x.execution.commit && `commit ${x.execution.commit.slice(0, 12)}`,
  ]
    .filter(Boolean)
    .join(', ');
  const newFailures = x.newFailures.map((k) => name.get(k) ?? k);
  const flaky = x.flaky.map((f) => name.get(f.key) ?? f.key);
  const failures = report.details.failures;
  const list = (items: string[], max = 10) => [
    ...items.slice(0, max),
    ...(items.length > max ? [`… ${items.length - max} more`] : []),
  ];
  const icon = x.execution.status === 'completed' ? '✅' : x.execution.status === 'cancelled' ? '⚪' : '❌';

  const slackBlocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: `${icon} ${headline}`.slice(0, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${x.execution.status}` },
        { type: 'mrkdwn', text: `*Tests*\n${counts}` },
        { type: 'mrkdwn', text: `*Duration*\n${duration}` },
        { type: 'mrkdwn', text: `*Flaky*\n${flaky.length}` },
      ],
    },
    ...(where ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: slackEsc(where) }] }] : []),
    ...(newFailures.length
      ? [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `*New failures*\n${list(newFailures)
                .map((t) => `• ${slackEsc(t)}`)
                .join('\n')}`.slice(0, 3000),
            },
          },
        ]
      : []),
    ...(flaky.length
      ? [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `*Flaky*\n${list(flaky)
                .map((t) => `• ${slackEsc(t)}`)
                .join('\n')}`.slice(0, 3000),
            },
          },
        ]
      : []),
    {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the report' }, url }],
    },
  ];

  const textLines = [
    `${headline}: ${counts} in ${duration}${where ? ` (${where})` : ''}.`,
    ...(newFailures.length ? ['', 'New failures:', ...list(newFailures, 50).map((t) => `  - ${t}`)] : []),
    ...(failures.length
      ? [
          '',
          'Failures:',
          ...failures.slice(0, 50).map((f) => `  - ${f.test}: ${f.error.split('\n')[0].slice(0, 300)}`),
        ]
      : []),
    ...(flaky.length ? ['', 'Flaky:', ...list(flaky, 50).map((t) => `  - ${t}`)] : []),
    '',
    `Report: ${url}`,
  ];
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328">
<h2 style="margin:0 0 8px">${esc(`${icon} ${headline}`)}</h2>
<p>${esc(counts)} in ${esc(duration)}${where ? ` · ${esc(where)}` : ''}</p>
${
  newFailures.length
    ? `<h3>New failures</h3><ul>${list(newFailures, 50)
        .map((t) => `<li>${esc(t)}</li>`)
        .join('')}</ul>`
    : ''
}
${
  failures.length
    ? `<h3>Failures (${failures.length})</h3><ul>${failures
        .slice(0, 50)
        .map(
          (f) =>
            `<li><b>${esc(f.test)}</b><br><code>${esc(f.error.split('\n')[0].slice(0, 300))}</code></li>`,
        )
        .join('')}</ul>`
    : ''
}
${
  flaky.length
    ? `<h3>Flaky</h3><ul>${list(flaky, 50)
        .map((t) => `<li>${esc(t)}</li>`)
        .join('')}</ul>`
    : ''
}
<p><a href="${esc(url)}">Open the report</a></p></body></html>`;

  return {
    slack: { text: `${icon} ${headline}: ${counts}`, blocks: slackBlocks },
    email: {
      subject: `[Verdict] ${headline}: ${s.failed} failed, ${s.passed} passed`,
      text: textLines.join('\n'),
      html,
    },
    webhook: {
      event,
      execution: x.execution,
      summary: s,
      newFailures: x.newFailures,
      fixed: x.fixed,
      flaky: x.flaky,
      failures: failures.slice(0, 100).map((f) => ({ test: f.test, error: f.error.slice(0, 1000) })),
      reportUrl: url,
    },
  };
}

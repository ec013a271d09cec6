import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from '@verdict/testing';
import { nodeTestSuite, startTestServer, type ApiCall, type Json, type TestServer } from './test-server';

const SECRET = 'webhook-signing-secret-0123456789';

/** Real local peers: an HTTP receiver (Slack-shaped and webhook endpoints) and an SMTP server. */
async function receivers() {
  const requests: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let hookFailures = 2; // the webhook fails twice before it accepts
  let downUntil = Date.now() + 600; // "down" refuses everything for a while
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ path: req.url!, headers: req.headers, body });
      if (req.url === '/hook' && hookFailures-- > 0) return void res.writeHead(503).end('busy, try later');
      if (req.url === '/down' && Date.now() < downUntil)
        return void res.writeHead(500).end('down for maintenance');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => (mails.push(m), done()), done);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  return {
    http: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    smtpPort: (smtp.server.address() as AddressInfo).port,
    requests,
    mails,
    stayDown: () => (downUntil = Date.now() + 3_600_000),
    comeBack: () => (downUntil = 0),
    close: () => (server.close(), smtp.close()),
  };
}

describe('notifications: rules, Slack, email and signed webhooks delivered with retries, against local peers', () => {
  let server: TestServer;
  let peers: Awaited<ReturnType<typeof receivers>>;
  let call: ApiCall;

  beforeAll(async () => {
    peers = await receivers();
    server = await startTestServer({
      SMTP_URL: `smtp://127.0.0.1:${peers.smtpPort}`,
      SMTP_FROM: 'Verdict <verdict@example.com>',
      VERDICT_PUBLIC_URL: 'https://verdict.example.com',
      NOTIFY_BACKOFF_MS: '100',
      NOTIFY_MAX_ATTEMPTS: '4',
    });
    call = server.call;
  });
  afterAll(async () => {
    await server?.stop();
    peers?.close();
  });

  it('sends what each rule asks for, records every attempt, retries with backoff, and never shows secrets', async () => {
    const project = (await call('POST', '/projects', { name: 'Sample', slug: 'sample' })).body;
    const suite = (await call('POST', `/projects/${project.id}/suites`, nodeTestSuite('unit'))).body;
    const rule = async (
      name: string,
      target: object,
      when: string,
      scope: object = { suiteId: suite.id },
    ) => {
      const r = await call('POST', '/notification-rules', { name, target, when, ...scope });
      expect(r.status).toBe(201);
      return r.body;
    };
    const slack = await rule(
      'team slack',
      { channel: 'slack', webhookUrl: `${peers.http}/slack/T000/B000/XXXX` },
      'always',
    );
    await rule(
      'team mail',
      { channel: 'email', recipients: ['dev@example.com', 'qa@example.com'] },
      'failure',
      {
        projectId: project.id,
      },
    );
    const hook = await rule(
      'ci hook',
      { channel: 'webhook', url: `${peers.http}/hook`, secret: SECRET },
      'always',
      {},
    );
    await rule('down hook', { channel: 'webhook', url: `${peers.http}/down`, secret: SECRET }, 'always');
    await rule(
      'on change only',
      { channel: 'webhook', url: `${peers.http}/change`, secret: SECRET },
      'change',
    );
    peers.stayDown(); // the "down" receiver never comes back during this run: its delivery fails

    // Secrets are kept, never shown.
    expect(slack.target.webhookUrl).toBe(`${peers.http}/********`);
    expect(hook.target.secret).toBe('********');
    const listed = JSON.stringify((await call('GET', '/notification-rules')).body);
    expect(listed).not.toContain('XXXX');
    expect(listed).not.toContain(SECRET);
    const bad = await call('POST', '/notification-rules', {
      name: 'x',
      target: { channel: 'email', recipients: ['not-an-address'] },
    });
    expect(bad.body).toMatchObject({ status: 400, field: 'target.recipients.0' });

    const execution = (await call('POST', `/suites/${suite.id}/executions`, { branch: 'main' })).body;
    server.services.orchestrator.relay.nudge();
    const deliveries = async () =>
      (await call('GET', `/notification-deliveries?executionId=${execution.id}`)).body.items as Json[];
    await waitFor(
      async () => {
        const d = await deliveries();
        return d.length === 4 && d.every((x) => x.status === 'delivered' || x.status === 'failed');
      },
      120_000,
      'every delivery to end',
    );
    const byRule = new Map((await deliveries()).map((d) => [d.ruleId, d]));
    expect(byRule.get(slack.id)).toMatchObject({
      channel: 'slack',
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
    });
    expect(byRule.get(hook.id)).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200 });

    // Slack: a Block Kit summary with the new failure, the flaky test and a link to the report.
    const slackReq = peers.requests.find((r) => r.path.startsWith('/slack'))!;
    const blocks = JSON.parse(slackReq.body);
    expect(blocks.text).toBe('❌ Sample / unit failed: 13 passed, 1 failed, 0 skipped of 14');
    expect(blocks.blocks[0]).toMatchObject({ type: 'header' });
    const texts = JSON.stringify(blocks.blocks);
    expect(texts).toContain('*New failures*');
    expect(texts).toContain('talks to a slow service');
    expect(blocks.blocks.at(-1).elements[0].url).toBe(
      `https://verdict.example.com/api/v1/executions/${execution.id}/report?format=html`,
    );

    // Email: HTML and text, to every recipient, the failure listed.
    await waitFor(() => peers.mails.length === 1, 10_000, 'the email');
    const mail = peers.mails[0];
    expect(mail.subject).toBe('[Verdict] Sample / unit failed: 1 failed, 13 passed');
    expect((mail.to as { text: string }).text).toBe('dev@example.com, qa@example.com');
    expect(mail.from?.value[0]).toMatchObject({ name: 'Verdict', address: 'verdict@example.com' });
    expect(mail.text).toMatch(/Failures:\n {2}- test\/\S+ › /);
    expect(mail.html).toContain('<h3>Failures (1)</h3>');

    // The webhook: failed twice (503), then accepted; each attempt signed, the signature checks out.
    const hooks = peers.requests.filter((r) => r.path === '/hook');
    expect(hooks).toHaveLength(3);
    for (const h of hooks) {
      const ts = String(h.headers['x-verdict-timestamp']);
      const expected = createHmac('sha256', SECRET).update(`${ts}.${h.body}`).digest('hex');
      expect(h.headers['x-verdict-signature']).toBe(`sha256=${expected}`);
      expect(h.headers['x-verdict-delivery']).toBe(byRule.get(hook.id).id);
    }
    expect(JSON.parse(hooks[0].body)).toMatchObject({
      event: 'execution.completed',
      summary: { total: 14, failed: 1 },
    });
    const history = (await call('GET', `/notification-deliveries/${byRule.get(hook.id).id}`)).body.history;
    expect(history.map((a: Json) => [a.attempt, a.success, a.responseStatus])).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, true, 200],
    ]);
    expect(history[0].responseBody).toBe('busy, try later');
    // Backoff: no retry before it is due (100 ms, then 200 ms). The poller may take a retry
    // later than that (it looks once a second), so only the lower bounds are certain.
    const at = history.map((a: Json) => Date.parse(a.at));
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(100);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(200);

    // The receiver that stayed down: every attempt recorded, then failed, visible through the API.
    const downRule = (await call('GET', '/notification-rules')).body.items.find(
      (r: Json) => r.name === 'down hook',
    );
    const down = byRule.get(downRule.id);
    expect(down).toMatchObject({ status: 'failed', attempts: 4, lastStatus: 500 });
    expect((await call('GET', '/notification-deliveries?status=failed')).body.total).toBe(1);
    // "change" sent nothing: there was no earlier run to change from.
    expect(peers.requests.some((r) => r.path === '/change')).toBe(false);

    // It comes back; a retry through the API delivers it.
    peers.comeBack();
    const retried = await call('POST', `/notification-deliveries/${down.id}/retry`);
    expect(retried).toMatchObject({ status: 202, body: { status: 'retrying' } });
    await waitFor(
      async () => (await call('GET', `/notification-deliveries/${down.id}`)).body.status === 'delivered',
      20_000,
      'the retried delivery',
    );
    expect((await call('POST', `/notification-deliveries/${down.id}/retry`)).body).toMatchObject({
      status: 409,
    });
  }, 180_000);
});

import { createHmac, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { NotificationTarget } from '@verdict/contracts';

/** A delivery attempt that did not go through: what the receiver said, when it said anything. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly status: number | null = null,
    readonly body: string | null = null,
  ) {
    super(message);
  }
}

export interface SendOutcome {
  status: number | null;
  body: string | null;
}

const EXCERPT = 2000;
const excerpt = (s: string) => (s.length > EXCERPT ? `${s.slice(0, EXCERPT)}…` : s);

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendOutcome> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    throw new DeliveryError(
      e.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : `${e.cause?.code ?? e.message}`,
    );
  }
  const text = excerpt(await res.text().catch(() => ''));
  if (res.status < 200 || res.status >= 300) throw new DeliveryError(`HTTP ${res.status}`, res.status, text);
  return { status: res.status, body: text };
}

/** HMAC-SHA256 of "timestamp.body" with the webhook's secret, hex: what receivers check. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export interface Senders {
  send(
    target: NotificationTarget,
    payload: Record<string, unknown>,
    deliveryId: string,
  ): Promise<SendOutcome>;
  close(): void;
}

/** Slack (incoming webhook, Block Kit), email (SMTP: HTML and text), webhooks (signed JSON). */
export function createSenders(opts: {
  smtp: { url: string; from: string } | null;
  timeoutMs?: number;
}): Senders {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const mailer = opts.smtp
    ? nodemailer.createTransport({
        url: opts.smtp.url,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      } as SMTPTransport.Options)
    : null;
  return {
    async send(target, payload, deliveryId) {
      if (target.channel === 'slack')
        return post(
          target.webhookUrl,
          JSON.stringify(payload),
          { 'content-type': 'application/json' },
          timeoutMs,
        );
      if (target.channel === 'webhook') {
        const body = JSON.stringify({ id: deliveryId, ...payload });
        const timestamp = String(Math.floor(Date.now() / 1000));
        return post(
          target.url,
          body,
          {
            ...target.headers,
            'content-type': 'application/json',
            'user-agent': 'Verdict-Webhook/1',
            'x-verdict-delivery': deliveryId,
            'x-verdict-event': String(payload.event ?? ''),
            'x-verdict-timestamp': timestamp,
            'x-verdict-signature': `sha256=${signWebhook(target.secret, timestamp, body)}`,
          },
          timeoutMs,
        );
      }
      if (!mailer || !opts.smtp)
        throw new DeliveryError('email is not configured on this server: set SMTP_URL (and SMTP_FROM)');
      try {
        const info = await mailer.sendMail({
          from: opts.smtp.from,
          to: target.recipients,
          subject: String(payload.subject),
          text: String(payload.text),
          html: String(payload.html),
          messageId: `<${deliveryId}.${randomUUID()}@verdict>`,
        });
        return { status: 250, body: excerpt(String(info.response ?? '')) };
      } catch (error) {
        const e = error as Error & { responseCode?: number; response?: string };
        throw new DeliveryError(e.message, e.responseCode ?? null, e.response ? excerpt(e.response) : null);
      }
    },
    close() {
      mailer?.close();
    },
  };
}

import { createHmac } from 'node:crypto';
import type { Notifier, NotifierContext } from './notifier.js';
import { postBody } from './http-post.js';

export interface WebhookOptions {
  name: string;
  url: string;
  /** HMAC-SHA256 key; no signature header without one. */
  secret: string | null;
  timeoutMs: number;
}

/**
 * The signature a webhook receiver checks: hex HMAC-SHA256 over
 * `<timestamp>.<body>`, keyed with the shared secret, sent as
 * `X-Driftwatch-Signature: sha256=<hex>` beside `X-Driftwatch-Timestamp`.
 * Signing the timestamp too lets a receiver refuse an old message replayed.
 *
 * @example
 * const expected = signWebhook(secret, req.headers['x-driftwatch-timestamp'], rawBody);
 * crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(req.headers['x-driftwatch-signature']));
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * A generic JSON webhook: the alert document is the body; `Idempotency-Key`
 * (also in the body) lets the receiver drop a repeat after a crash or retry.
 *
 * @example createWebhookNotifier({ name: 'ops', url: 'http://127.0.0.1:9000/hook', secret: process.env.HOOK_SECRET ?? null, timeoutMs: 10_000 }, ctx)
 */
export function createWebhookNotifier(options: WebhookOptions, ctx: NotifierContext): Notifier {
  return {
    name: options.name,
    kind: 'webhook',
    timeoutMs: options.timeoutMs,
    send({ document, json }) {
      const timestamp = String(Math.floor(ctx.now() / 1000));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'driftwatch',
        'idempotency-key': document.idempotencyKey,
        'x-driftwatch-kind': document.kind,
        'x-driftwatch-timestamp': timestamp,
      };
      if (options.secret !== null) headers['x-driftwatch-signature'] = signWebhook(options.secret, timestamp, json);
      return postBody(ctx.fetch, options.url, json, headers, options.timeoutMs);
    },
  };
}

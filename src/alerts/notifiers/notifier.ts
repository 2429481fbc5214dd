import type { ReceiverKind } from '../../config/alerts-config.js';
import type { RenderedAlert } from '../alert-document.js';

/** How one attempt went. `retry: false` is a refusal that repeating will not fix (an HTTP 400). */
export type SendResult = { ok: true } | { ok: false; retry: boolean; reason: string };

/**
 * One receiver. `send` makes one attempt and never throws: every failure is
 * a result with a reason fit for logs and the store (never a URL's secret
 * part, never an HMAC key).
 */
export interface Notifier {
  readonly name: string;
  readonly kind: ReceiverKind | 'custom';
  readonly timeoutMs: number;
  send(alert: RenderedAlert): Promise<SendResult>;
}

/** What notifiers may use of the outside world, injected. */
export interface NotifierContext {
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  /** Epoch ms (the webhook's signature timestamp). */
  now: () => number;
  /** Where the `stdout` receiver writes. */
  stdout: (text: string) => void;
}

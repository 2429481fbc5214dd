import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ResolvedAlertPolicy } from '../config/config-types.js';
import type { ClaimedDelivery, ReceiverLimit, Store } from '../store/store.js';
import { renderAlertDocument } from './alert-document.js';
import { createNotifier } from './notifiers/create-notifier.js';
import type { Notifier, SendResult } from './notifiers/notifier.js';
import { nextAttempt } from './policy.js';

/** The subset of the watch agent's logger the dispatcher uses (same signature). */
export interface AlertLogger {
  info(event: string, message: string, fields?: Record<string, unknown>): void;
  warn(event: string, message: string, fields?: Record<string, unknown>): void;
}

export interface DispatcherOptions {
  store: Store;
  /** The resolved `alerts:` section: receivers, limits (for digests) and the retry policy. */
  alerts: ResolvedAlertPolicy;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  logger?: AlertLogger;
  /** Where environment references (secretEnv, { env } URLs) are read. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Where the `stdout` receiver writes. Default: process.stdout. */
  stdout?: (text: string) => void;
  /** Notifiers to use instead of (same name) or beside the configured ones. */
  notifiers?: Notifier[];
  /** Lease holder name; unique per dispatcher. Default: host, pid and a random part. */
  owner?: string;
  /** How long a claim is held beyond the receiver's timeouts: a dead dispatcher's deliveries come back after it. Default 30 s. */
  leaseMs?: number;
  /** Deliveries claimed per receiver at a time. Default 10. */
  batchSize?: number;
  /** How often `start()` runs a round. Default 5 s. */
  intervalMs?: number;
}

export interface DispatchReport {
  sent: number;
  /** Failed attempts that will be tried again. */
  retried: number;
  /** Deliveries given up on (refused for good, or out of attempts). */
  failed: number;
  /** Digests created this round. */
  digests: number;
}

/**
 * Delivers what the outbox holds. Any number of dispatchers, in any
 * processes, may run on one store: each delivery is leased to one of them at
 * a time, and a dispatcher that dies mid-delivery loses its lease, so the
 * next one delivers it again with the same idempotency key.
 */
export interface Dispatcher {
  /** The receiver names this dispatcher delivers to. */
  readonly receivers: readonly string[];
  /** One round: create due digests, then deliver every due delivery (concurrent calls share one round). */
  runOnce(): Promise<DispatchReport>;
  /** Runs a round now and then every `intervalMs` until stop(). */
  start(): void;
  /** Stops the rounds and waits for the one in progress. */
  stop(): Promise<void>;
}

const MAX_ROUNDS_PER_RECEIVER = 1000;

/**
 * Creates the dispatcher of the alert outbox.
 *
 * @example
 * const dispatcher = createDispatcher({ store: detector.store, alerts: detector.config.alerts, logger });
 * dispatcher.start();            // the watch agent: deliver in the background
 * await dispatcher.runOnce();    // or one round (`driftwatch alerts dispatch`)
 * await dispatcher.stop();
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, alerts } = options;
  const clock = options.clock ?? Date.now;
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 10;
  const intervalMs = options.intervalMs ?? 5_000;
  const ctx = {
    env: options.env ?? process.env,
    fetch: options.fetch ?? globalThis.fetch,
    now: clock,
    stdout: options.stdout ?? ((text: string) => { process.stdout.write(text); }),
  };
  const custom = new Map((options.notifiers ?? []).map((n) => [n.name, n]));
  const notifiers = [
    ...alerts.receivers.filter((r) => !custom.has(r.name)).map((r) => createNotifier(r, ctx)),
    ...custom.values(),
  ];
  const limits: ReceiverLimit[] = alerts.receivers.map((r) => ({ name: r.name, minSeverity: r.minSeverity, maxPerHour: r.maxPerHour }));

  const attempt = async (notifier: Notifier, delivery: ClaimedDelivery): Promise<SendResult> => {
    try {
      return await notifier.send(renderAlertDocument(delivery, clock()));
    } catch (error) {
      return { ok: false, retry: true, reason: `internal error: ${(error as Error)?.message ?? String(error)}` };
    }
  };

  const drain = async (notifier: Notifier, report: DispatchReport): Promise<void> => {
    for (let round = 0; round < MAX_ROUNDS_PER_RECEIVER; round++) {
      const claimed = await store.claimDeliveries({
        owner, receivers: [notifier.name], now: clock(), leaseMs: leaseMs + batchSize * notifier.timeoutMs, limit: batchSize,
      });
      if (claimed.length === 0) return;
      for (const [i, delivery] of claimed.entries()) {
        const result = await attempt(notifier, delivery);
        const now = clock();
        const fields = { receiver: notifier.name, alert: delivery.alertId, idempotencyKey: delivery.idempotencyKey };
        if (result.ok) {
          await store.finishDelivery({ id: delivery.id, owner, now, outcome: 'sent' });
          report.sent++;
          options.logger?.info('alert.sent', `alert #${delivery.alertId} delivered to ${notifier.name}`, fields);
          continue;
        }
        const next = nextAttempt(delivery.failures + 1, alerts.retry);
        if (!result.retry || 'giveUp' in next) {
          await store.finishDelivery({ id: delivery.id, owner, now, outcome: 'failed', error: result.reason });
          report.failed++;
          options.logger?.warn('alert.failed', `alert #${delivery.alertId} to ${notifier.name} failed for good after ${delivery.failures + 1} attempts: ${result.reason}`, fields);
          continue;
        }
        await store.finishDelivery({ id: delivery.id, owner, now, outcome: 'retry', error: result.reason, nextAttemptAt: now + next.retryInMs });
        report.retried++;
        options.logger?.warn('alert.retry', `alert #${delivery.alertId} to ${notifier.name} failed (${result.reason}); next attempt in ${Math.round(next.retryInMs / 1000)}s`, fields);
        // The receiver is failing: give the rest back untried rather than wait on each in turn.
        for (const rest of claimed.slice(i + 1)) await store.finishDelivery({ id: rest.id, owner, now, outcome: 'release' });
        return;
      }
    }
  };

  const round = async (): Promise<DispatchReport> => {
    const report: DispatchReport = { sent: 0, retried: 0, failed: 0, digests: 0 };
    const digests = await store.flushDigests({ now: clock(), maxPerHour: alerts.maxPerHour, receivers: limits });
    report.digests = digests.length;
    for (const d of digests) {
      options.logger?.info('alert.digest', `digest #${d.id}${d.receiver ? ` for ${d.receiver}` : ''}: ${d.counts.alerts} alerts held back`, { alert: d.id, receiver: d.receiver, alerts: d.counts.alerts });
    }
    // Receivers in parallel, each one's deliveries in order.
    await Promise.all(notifiers.map((n) => drain(n, report)));
    return report;
  };

  let running: Promise<DispatchReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  const runOnce = () => {
    running ??= round().finally(() => { running = undefined; });
    return running;
  };
  const tick = async () => {
    try {
      await runOnce();
    } catch (error) {
      options.logger?.warn('alert.dispatch', `delivering alerts failed: ${(error as Error)?.message ?? String(error)}; trying again in ${intervalMs / 1000}s`);
    }
    if (started) timer = setTimeout(tick, intervalMs);
  };

  return {
    receivers: notifiers.map((n) => n.name),
    runOnce,
    start() {
      if (started) return;
      started = true;
      void tick();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}

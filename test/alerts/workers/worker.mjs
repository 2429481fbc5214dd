// A child process for the alert tests, driven over IPC: it opens the built
// library (dist/) on a shared store, then decides alerts or runs the
// dispatcher when asked. Plain JavaScript so it runs without the test's
// TypeScript loader, as a real separate process.
const dist = new URL('../../../dist/', import.meta.url);
const { createDetector } = await import(new URL('index.js', dist).href);
const { createDispatcher } = await import(new URL('alerts/dispatcher.js', dist).href);

let detector;
const clock = { ms: null };
const now = () => clock.ms ?? Date.now();

const ops = {
  async open(msg) {
    detector = await createDetector({ config: msg.config, configDir: msg.configDir, store: msg.storeUrl, keyFile: msg.keyFile, host: msg.host, user: 'test', clock: now });
    return {};
  },
  async setClock(msg) {
    clock.ms = msg.ms;
    return {};
  },
  /** `count` concurrent shouldAlert, each on its own key (its own source). */
  async decide(msg) {
    const answers = await Promise.all(Array.from({ length: msg.count }, (_, i) =>
      detector.shouldAlert({ id: msg.from + i, host: 'fleet', source: `s-${msg.from + i}`, type: 'security_degradation', severity: 'critical' })));
    return { sent: answers.filter(Boolean).length };
  },
  /** One dispatcher round (digests, then deliveries). */
  async dispatch(msg) {
    const dispatcher = createDispatcher({ store: detector.store, alerts: detector.config.alerts, clock: now, leaseMs: msg.leaseMs ?? 30_000, batchSize: msg.batchSize ?? 10 });
    return { report: await dispatcher.runOnce() };
  },
  /** Dispatcher rounds until nothing is left to deliver (the kill test stops it on the way). */
  async dispatchUntilDone(msg) {
    const dispatcher = createDispatcher({ store: detector.store, alerts: detector.config.alerts, clock: now, leaseMs: msg.leaseMs, batchSize: msg.batchSize ?? 1 });
    const total = { sent: 0, retried: 0, failed: 0, digests: 0 };
    for (;;) {
      const r = await dispatcher.runOnce();
      for (const k of Object.keys(total)) total[k] += r[k];
      if ((await detector.store.listAlerts({ state: 'pending', limit: 1 })).length === 0) return { report: total };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  },
  async close() {
    await detector?.close();
    return {};
  },
};

process.on('message', async (msg) => {
  try {
    process.send({ id: msg.id, ok: true, ...(await ops[msg.op](msg)) });
  } catch (error) {
    process.send({ id: msg.id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });

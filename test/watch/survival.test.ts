// What the agent must survive, on real trees and real watchers: a burst of
// 2,000 changes, the inotify watch limit (ENOSPC, injected through the
// watcher factory rather than by lowering the machine's limit), and a store
// that is unavailable for a while.
import fs from 'node:fs';
import path from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { describe, expect, it } from 'vitest';
import { DriftError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { sleep, startAgent, waitFor, write } from './watch-helpers.js';

const tempDir = useTempDir('dw-survive-');

function setup() {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'state'));
  return { dir, store: path.join(dir, 'state', 'drift.db'), keyFile: path.join(dir, 'state', 'secret.key') };
}

describe('a burst of changes (a package upgrade)', () => {
  it('2,000 files changed at once: a few cycles, and exactly one event per file', async () => {
    const { dir, store, keyFile } = setup();
    const tree = path.join(dir, 'pkg');
    const files = Array.from({ length: 2000 }, (_, i) => path.join(tree, `m${i % 20}`, `f${i}.yaml`));
    for (const file of files) write(file, 'v: 0\nname: x\n');
    const a = await startAgent({ config: { sources: [{ name: 'pkg', path: tree }] }, store, keyFile, debounceMs: 200, maxWaitMs: 2000 });
    try {
      expect(a.agent.health('pkg')).toMatchObject({ mode: 'events', filesWatched: 2000 });
      const before = a.cycles.length;
      // As fast as the writer goes, in slices that let the agent's event loop take events meanwhile.
      for (let i = 0; i < files.length; i += 250) {
        for (const file of files.slice(i, i + 250)) fs.writeFileSync(file, 'v: 1\nname: x\n');
        await new Promise((resolve) => setImmediate(resolve));
      }
      await waitFor(async () => (await a.events()).length >= 2000, 60_000, '2,000 events');
      await sleep(1000);
      const burst = a.cycles.slice(before);
      expect(burst.length).toBeGreaterThanOrEqual(1);
      expect(burst.length).toBeLessThanOrEqual(8);
      expect(burst.reduce((n, c) => n + c.newEvents, 0)).toBe(2000);
      const events = await a.events();
      expect(events).toHaveLength(2000);
      expect(new Set(events.map((e) => e.file)).size).toBe(2000);
      expect(events.every((e) => e.path === '/v' && e.kind === 'modified' && e.after === 1n)).toBe(true);
      // The drift log is bounded too: a summary line, not 2,000 lines.
      expect(a.logs.filter((l) => l.event === 'drift').length).toBeLessThanOrEqual(21 * burst.length);
    } finally {
      await a.stop();
    }
  });
});

describe('the inotify watch limit', () => {
  it('ENOSPC from the watcher: that source falls back to polling, says so once, and still records changes', async () => {
    const { dir, store, keyFile } = setup();
    const trees = ['one', 'two'].map((name) => path.join(dir, name));
    for (const tree of trees) write(path.join(tree, 'a.yaml'), 'v: 0\n');
    const made: FSWatcher[] = [];
    const a = await startAgent({
      config: { sources: trees.map((tree, i) => ({ name: `s${i}`, path: tree })) }, store, keyFile,
      debounceMs: 50, pollIntervalMs: 150,
      // What chokidar does when fs.watch fails with the limit reached: an `error` event with code ENOSPC.
      watcherFactory: (root, options) => {
        const w = chokidarWatch(root, options);
        made.push(w);
        w.on('ready', () => setImmediate(() => w.emit('error', Object.assign(
          new Error(`ENOSPC: System limit for number of file watchers reached, watch '${root}'`),
          { code: 'ENOSPC', errno: -28, syscall: 'watch', path: root },
        ))));
        return w;
      },
    });
    try {
      await waitFor(() => ['s0', 's1'].every((s) => a.agent.health(s)?.mode === 'polling'), 15_000, 'polling mode');
      const said = a.logs.filter((l) => l.event === 'watch.polling');
      expect(said.map((l) => l.level).sort()).toEqual(['info', 'warn']);
      expect(said.find((l) => l.level === 'warn')?.msg).toMatch(/max_user_watches/);
      expect(a.agent.health('s0')?.note).toMatch(/polling: inotify watch limit reached/);
      // The event watchers are closed, freeing their watches for others.
      await waitFor(() => made.every((w) => w.closed), 15_000, 'the event watchers closed');

      fs.writeFileSync(path.join(trees[1]!, 'a.yaml'), 'v: 1\n');
      fs.writeFileSync(path.join(trees[1]!, 'new.yaml'), 'n: 1\n');
      await waitFor(async () => (await a.events('s1')).length === 2, 15_000, 'changes found by polling');
      expect((await a.events('s1')).map((e) => [e.file, e.kind]).sort()).toEqual([['a.yaml', 'modified'], ['new.yaml', 'added']]);
      expect(await a.events('s0')).toEqual([]);
      // Polling walks stats: once the poller has seen the change too, an idle tree makes no cycles.
      await sleep(500);
      const idle = a.cycles.length;
      await sleep(700);
      expect(a.cycles.slice(idle), JSON.stringify(a.logs.slice(-12), null, 1)).toEqual([]);
    } finally {
      await a.stop();
    }
  });

  it('watch.usePolling polls from the start', async () => {
    const { dir, store, keyFile } = setup();
    const tree = path.join(dir, 'nfs');
    write(path.join(tree, 'a.yaml'), 'v: 0\n');
    const a = await startAgent({ config: { sources: [{ name: 'n', path: tree }], watch: { usePolling: true, pollInterval: '150ms', debounce: '50ms' } }, store, keyFile });
    try {
      expect(a.agent.health('n')).toMatchObject({ mode: 'polling', note: 'polling: watch.usePolling is set' });
      fs.writeFileSync(path.join(tree, 'a.yaml'), 'v: 2\n');
      await waitFor(async () => (await a.events()).length === 1, 15_000, 'a change found by polling');
    } finally {
      await a.stop();
    }
  });
});

describe('a store that is briefly unavailable', () => {
  it('failed cycles are logged and retried, never dropped; the change is recorded once the store is back', async () => {
    const { dir, store: file, keyFile } = setup();
    const tree = path.join(dir, 'w');
    write(path.join(tree, 'a.yaml'), 'v: 0\n');
    const real = await openStore(file);
    let down = false;
    // Every store call fails while `down`, as an unreachable database would.
    const flaky = new Proxy(real, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        if (key === 'close') return value.bind(target);
        return (...args: unknown[]) => {
          if (down) return Promise.reject(new DriftError('STORE_UNREACHABLE', 'the store could not be reached (test)'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Store;
    let fatal: unknown;
    const a = await startAgent({
      config: { sources: [{ name: 'w', path: tree }] }, store: flaky, keyFile, debounceMs: 50, retryMs: 100,
      onFatal: (error) => { fatal = error; },
    });
    try {
      down = true;
      fs.writeFileSync(path.join(tree, 'a.yaml'), 'v: 1\n');
      await waitFor(() => a.logs.filter((l) => l.event === 'cycle.failed').length >= 3, 15_000, 'three failed cycles');
      const failed = a.logs.filter((l) => l.event === 'cycle.failed');
      expect(failed[0]).toMatchObject({ level: 'error', source: 'w', code: 'STORE_UNREACHABLE', failures: 1 });
      expect(failed.map((l) => l.retryInMs)).toEqual(expect.arrayContaining([100, 200, 400]));
      down = false;
      await waitFor(async () => (await a.events()).length === 1, 15_000, 'the change recorded after the store came back');
      expect((await a.events())[0]).toMatchObject({ file: 'a.yaml', path: '/v', after: 1n });
      expect(fatal).toBeUndefined();
      expect(a.agent.health('w')?.note).toBeUndefined();
    } finally {
      await a.stop();
    }
  });

  it('a corrupt store is fatal: said once, not retried for ever', async () => {
    const { dir, store: file, keyFile } = setup();
    const tree = path.join(dir, 'w');
    write(path.join(tree, 'a.yaml'), 'v: 0\n');
    const real = await openStore(file);
    let broken = false;
    const corrupt = new Proxy(real, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        if (key === 'close') return value.bind(target);
        return (...args: unknown[]) => (broken
          ? Promise.reject(new DriftError('STORE_CORRUPT', 'the store file is damaged (test)'))
          : (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    }) as Store;
    let fatal: unknown;
    const a = await startAgent({
      config: { sources: [{ name: 'w', path: tree }] }, store: corrupt, keyFile, debounceMs: 50, retryMs: 100,
      onFatal: (error) => { fatal = error; },
    });
    try {
      broken = true;
      fs.writeFileSync(path.join(tree, 'a.yaml'), 'v: 1\n');
      await waitFor(() => fatal !== undefined, 15_000, 'the fatal error');
      expect((fatal as DriftError).code).toBe('STORE_CORRUPT');
      expect(a.logs.filter((l) => l.event === 'agent.fatal')).toHaveLength(1);
    } finally {
      broken = false;
      await a.stop();
    }
  });
});

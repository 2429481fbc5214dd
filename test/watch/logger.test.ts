// The agent's logs: JSON lines off a terminal, readable lines on one (control
// characters escaped), a status line that log lines scroll above, and a
// progress bar only for a first scan longer than its delay.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/watch/logger.js';
import { createProgress } from '../../src/watch/progress.js';
import { sleep, waitFor } from './watch-helpers.js';

const at = () => Date.parse('2026-12-03T10:42:05.000Z');

describe('logger', () => {
  it('off a terminal: one JSON object per line with time, level, event, msg and the fields', () => {
    const out: string[] = [];
    const log = createLogger({ write: (t) => out.push(t), json: true, clock: at });
    log.info('drift', 'app: medium modified db.yaml /port', { source: 'app', id: 3 });
    log.debug('cycle', 'dropped below the level');
    log.status('never drawn in JSON');
    expect(out).toEqual(['{"time":"2026-12-03T10:42:05.000Z","level":"info","event":"drift","msg":"app: medium modified db.yaml /port","source":"app","id":3}\n']);
  });

  it('on a terminal: a short readable line, control characters in file names escaped', () => {
    const out: string[] = [];
    const log = createLogger({ write: (t) => out.push(t), json: false, clock: at, level: 'warn' });
    log.info('cycle', 'not shown at warn');
    log.warn('problems', 'app: evil\u001b[2Jname.yaml PARSE_ERROR');
    expect(out).toEqual(['10:42:05 WARN  app: evil\\x1b[2Jname.yaml PARSE_ERROR\n']);
  });

  it('log lines scroll above the status line, which is redrawn after each and cleared at the end', () => {
    const out: string[] = [];
    const log = createLogger({ write: (t) => out.push(t), json: false, clock: at });
    log.status('scanning 1/2');
    log.info('x', 'hello');
    log.status(null);
    expect(out.join('')).toBe('\r\x1b[2Kscanning 1/2' + '\r\x1b[2K10:42:05 INFO  hello\nscanning 1/2' + '\r\x1b[2K');
  });
});

describe('first-scan progress', () => {
  it('draws nothing for a scan quicker than the delay', async () => {
    const lines: (string | null)[] = [];
    const progress = createProgress({ logger: { status: (l) => lines.push(l) }, total: 2, enabled: true, delayMs: 1000, frameMs: 10 });
    progress.advance(10);
    await sleep(50);
    progress.advance(20);
    progress.finish();
    expect(lines).toEqual([]);
  });

  it('after the delay: a bar with sources done, files and time, removed at the end', async () => {
    const lines: (string | null)[] = [];
    const progress = createProgress({ logger: { status: (l) => lines.push(l) }, total: 2, enabled: true, delayMs: 30, frameMs: 10 });
    await waitFor(() => lines.length > 0, 5000, 'the bar');
    progress.advance(1234);
    expect(lines.at(-1)).toMatch(/first scan \[█{10}░{10}\] 1\/2 sources · 1,234 files · \d+\.\ds$/);
    progress.finish();
    expect(lines.at(-1)).toBeNull();
  });

  it('off a terminal: never a bar', async () => {
    const lines: (string | null)[] = [];
    const progress = createProgress({ logger: { status: (l) => lines.push(l) }, total: 1, enabled: false, delayMs: 0, frameMs: 5 });
    await sleep(50);
    progress.finish();
    expect(lines).toEqual([]);
  });
});

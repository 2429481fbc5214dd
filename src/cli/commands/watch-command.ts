import { parseDuration } from '../../config/parse-duration.js';
import type { Detector } from '../../detector/create-detector.js';
import { DriftError } from '../../errors.js';
import { createAgent, type Agent } from '../../watch/agent.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../../watch/logger.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector, requireSources } from '../open-detector.js';

export interface WatchFlags {
  interval?: string;
  debounce?: string;
  logLevel?: string;
  /** `--format` was given explicitly (else the log format follows the terminal). */
  formatGiven?: boolean;
}

/** The process, as far as the agent's lifetime goes: signals in, a forced exit out. */
export interface ProcessSignals {
  on(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
  exit(code: number): never;
}

interface Running {
  detector: Detector;
  agent: Agent;
}

/**
 * `driftwatch watch [PATH...]`: runs the agent until SIGINT or SIGTERM
 * (finish the cycle in flight, one last look at every files source, flush
 * alerts, exit 0; a second signal exits at once with 1). SIGHUP reloads the
 * configuration file; a bad one is logged and the running configuration
 * kept. Exit 1 when the agent cannot start or meets an error no retry fixes.
 */
export async function runWatch(
  io: CliIo, options: GlobalOptions, paths: string[], flags: WatchFlags, signals: ProcessSignals = process,
): Promise<number> {
  const overrides = {
    ...(flags.interval !== undefined ? { intervalMs: flagDuration('--interval', flags.interval) } : {}),
    ...(flags.debounce !== undefined ? { debounceMs: flagDuration('--debounce', flags.debounce) } : {}),
  };
  if (flags.formatGiven && options.format !== 'json' && options.format !== 'text') {
    throw new DriftError('USAGE', `--format ${options.format}: watch logs as text or json lines`);
  }
  const level = flags.logLevel ?? (options.quiet ? 'warn' : 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new DriftError('USAGE', `--log-level: expected one of ${LOG_LEVELS.join(', ')}, found "${level}"`);
  const log = createLogger({
    write: io.stdout,
    json: flags.formatGiven ? options.format === 'json' : !io.isTty,
    level: level as LogLevel,
    color: options.color && io.isTty && !io.env.NO_COLOR,
  });

  let fatalError: unknown;
  let endWith!: (code: number) => void;
  const ended = new Promise<number>((resolve) => { endWith = resolve; });
  const open = async (): Promise<Running> => {
    const { detector, sources } = await openDetector(io, options, paths);
    try {
      requireSources(sources);
      const agent = createAgent({
        detector, sources, logger: log, progress: io.isTty && !options.quiet, ...overrides,
        onFatal(error) {
          fatalError = error;
          void stop('a fatal error');
        },
      });
      return { detector, agent };
    } catch (error) {
      await detector.close();
      throw error;
    }
  };

  let current = await open();
  let stopping = false;
  let reloading: Promise<void> = Promise.resolve();

  const stop = async (why: string): Promise<void> => {
    if (stopping) {
      log.warn('watch.forced', `${why} again: exiting without finishing`);
      signals.exit(1);
    }
    stopping = true;
    log.info('watch.stopping', `${why}: finishing the cycle in flight, one last check, then exit`);
    await reloading;
    const { failed } = await current.agent.stop();
    await current.detector.close();
    endWith(fatalError !== undefined || failed.length > 0 ? 1 : 0);
  };
  const reload = async (): Promise<void> => {
    log.info('config.reload', 'SIGHUP: reloading the configuration');
    let next: Running;
    try {
      next = await open();
    } catch (error) {
      log.error('config.reload.failed', `${error instanceof DriftError ? `${error.code}: ` : ''}${(error as Error).message}; keeping the running configuration`, {});
      return;
    }
    if (stopping) {
      await next.detector.close();
      return;
    }
    await current.agent.stop({ final: false });
    await current.detector.close();
    current = next;
    await current.agent.start();
  };

  const onInt = () => void stop('SIGINT');
  const onTerm = () => void stop('SIGTERM');
  const onHup = () => {
    if (!stopping) reloading = reloading.then(reload);
  };
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  signals.on('SIGHUP', onHup);
  try {
    await current.agent.start();
    const code = await ended;
    if (fatalError !== undefined) throw fatalError;
    return code;
  } finally {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
    signals.off('SIGHUP', onHup);
  }
}


function flagDuration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new DriftError('USAGE', `${flag}: expected a duration such as 30s, 5m or 1h, found "${text}"`);
  return ms;
}


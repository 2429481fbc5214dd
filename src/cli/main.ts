import { Command, CommanderError, Option } from 'commander';
import { DriftError } from '../errors.js';
import { processIo, type CliIo } from './cli-io.js';
import type { SilenceAddOptions } from './commands/silence-command.js';
import type { WatchFlags } from './commands/watch-command.js';
import type { GlobalOptions } from './global-options.js';
import { packageVersion } from './package-version.js';

/**
 * Runs the CLI and returns its exit code (SPEC section 3): 0 nothing to
 * report, 2 drift or problems, 1 the run itself failed. This is the one place
 * that turns errors into exit codes and messages.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => { exitCode = code; });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof DriftError) {
      io.stderr(`driftwatch: ${error.code}: ${error.message}\n`);
      return error.exitCode === 0 ? 1 : error.exitCode === 2 ? 2 : 1;
    }
    io.stderr(`driftwatch: INTERNAL: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('driftwatch')
    .description('Configuration drift detection: what changed in your configuration, when, and how bad it is.')
    .version(packageVersion(), '-V, --version')
    .option('--config <file>', 'configuration file (default: ./driftwatch.yaml if present)')
    .option('--store <url>', 'store: a file path, sqlite:PATH or postgres://... (env DRIFTWATCH_STORE)')
    .addOption(new Option('--format <format>', 'output format (sarif and markdown: check only)').choices(['text', 'json', 'sarif', 'markdown']).default('text'))
    .option('--quiet', 'print nothing but errors (text format)')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Usage errors read like every other error: one line, with its code.
      outputError: (text) => io.stderr(`driftwatch: USAGE: ${text.replace(/^error: /, '').trim()} (run driftwatch --help for usage)\n`),
    });

  const globals = (command: Command) => command.optsWithGlobals() as GlobalOptions;
  // A command's code loads only when it runs: a check never pays for the watcher or the notifiers.
  const run = (work: Promise<number>) => work.then(setExit);

  program.command('check')
    .description('scan, compare with the baseline and record the drift (first run records the baseline)')
    .argument('[paths...]', 'files or directories; each becomes a source named by its absolute path')
    .addOption(new Option('--against <what>', 'compare with').choices(['baseline', 'previous']).default('baseline'))
    .action((paths: string[], opts: { against: 'baseline' | 'previous' }, command: Command) =>
      run(import('./commands/check-command.js').then((m) => m.runCheck(io, globals(command), paths, opts.against))));

  program.command('snapshot')
    .description('record a snapshot without comparing')
    .argument('[paths...]', 'files or directories')
    .action((paths: string[], _opts: unknown, command: Command) => run(import('./commands/snapshot-command.js').then((m) => m.runSnapshot(io, globals(command), paths))));

  program.command('baseline').description('manage baselines')
    .command('accept')
    .description('make the current state the baseline (all of it, or only --file)')
    .argument('[paths...]', 'files or directories')
    .option('--file <file...>', 'accept only these files (relative to the source root)')
    .option('--reason <text>', 'why; recorded with your user name')
    .action((paths: string[], opts: { file?: string[]; reason?: string }, command: Command) =>
      run(import('./commands/baseline-command.js').then((m) => m.runBaselineAccept(io, globals(command), paths, opts))));

  program.command('diff')
    .description('structured diff of two files or two directories, without a store')
    .argument('<a>').argument('<b>')
    .action((a: string, b: string, _opts: unknown, command: Command) => run(import('./commands/diff-command.js').then((m) => m.runDiff(io, globals(command), a, b))));

  program.command('events')
    .description('list recorded drift events')
    .option('--source <name>', 'only this source')
    .option('--since <duration>', 'only events newer than this (24h, 7d)')
    .option('--severity <level>', 'this severity and above (low, medium, high, critical)')
    .option('--limit <n>', 'at most this many (newest)', '100')
    .action((opts: Record<string, string>, command: Command) => run(import('./commands/events-command.js').then((m) => m.runEvents(io, globals(command), opts))));

  program.command('summary')
    .description('drift summary: counts by severity, per-source status')
    .action((_opts: unknown, command: Command) => run(import('./commands/summary-command.js').then((m) => m.runSummary(io, globals(command)))));

  const silence = program.command('silence').description('record expected drift without alerting it, until a silence expires');
  silence.command('add')
    .description('silence drift matching these fields (all given must match)')
    .option('--source <glob>', 'source name glob')
    .option('--file <glob>', 'file glob, relative to the source root')
    .option('--path <pointer-glob>', 'JSON Pointer glob inside the file (/tls/**)')
    .option('--kind <kind...>', 'added, removed, modified, metadata')
    .option('--attribute <attribute...>', 'mode, uid, gid, target, type, bom, eol')
    .requiredOption('--for <duration>', 'how long (2h, 7d)')
    .requiredOption('--reason <text>', 'why this drift is expected')
    .option('--owner <name>', 'who asked (default: you)')
    .action((opts: SilenceAddOptions, command: Command) => run(import('./commands/silence-command.js').then((m) => m.runSilenceAdd(io, globals(command), opts))));
  silence.command('list')
    .description('live silences (--all: every stored one, expired too)')
    .option('--all', 'include expired silences')
    .action((opts: { all?: boolean }, command: Command) => run(import('./commands/silence-command.js').then((m) => m.runSilenceList(io, globals(command), opts.all ?? false))));
  silence.command('end')
    .description('end a silence now')
    .argument('<id>')
    .action((id: string, _opts: unknown, command: Command) => run(import('./commands/silence-command.js').then((m) => m.runSilenceEnd(io, globals(command), id))));

  program.command('restore')
    .description('write a file or tree back to its baseline content, atomically, keeping a backup')
    .argument('<path>', 'a file or directory inside a checked source')
    .option('--dry-run', 'say what would be written, write nothing')
    .action((target: string, opts: { dryRun?: boolean }, command: Command) => run(import('./commands/restore-command.js').then((m) => m.runRestore(io, globals(command), target, opts.dryRun ?? false))));

  program.command('init')
    .description('write a commented driftwatch.yaml for the current directory')
    .option('--force', 'replace an existing driftwatch.yaml')
    .action((opts: { force?: boolean }, command: Command) => run(import('./commands/init-command.js').then((m) => m.runInit(io, globals(command), opts.force ?? false))));

  program.command('prune')
    .description('apply retention now (baselines and each source\'s latest snapshot are always kept)')
    .action((_opts: unknown, command: Command) => run(import('./commands/prune-command.js').then((m) => m.runPrune(io, globals(command)))));

  program.command('alerts')
    .description('alert history (sent, pending, failed, suppressed, with reasons); "alerts dispatch" delivers what is due')
    .argument('[action]', 'list (default) or dispatch')
    .option('--status <state>', 'only alerts in this state: sent, pending, failed or suppressed')
    .option('--source <name>', 'only this source')
    .option('--limit <n>', 'at most this many (newest)', '50')
    .action((action: string | undefined, opts: { status?: string; source?: string; limit?: string }, command: Command) =>
      run(import('./commands/alerts-command.js').then((m) => m.runAlerts(io, globals(command), action, opts))));

  program.command('watch')
    .description('run until stopped: re-check on file changes and on an interval, alert, prune on schedule')
    .argument('[paths...]', 'files or directories; each becomes a source named by its absolute path')
    .option('--interval <duration>', 'full check of every source this often (default: the config\'s interval, 5m)')
    .option('--debounce <duration>', 'wait this long after the last file event before a check (default 300ms)')
    .option('--log-level <level>', 'debug, info, warn or error (default info; warn with --quiet)')
    .action((paths: string[], opts: WatchFlags, command: Command) =>
      run(import('./commands/watch-command.js').then((m) => m.runWatch(io, globals(command), paths, { ...opts, formatGiven: command.getOptionValueSourceWithGlobals('format') === 'cli' }))));

  return program;
}

import path from 'node:path';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector } from '../open-detector.js';
import { writeReport } from '../write-report.js';

/**
 * `driftwatch restore PATH [--dry-run]`: put a file or tree back to its
 * baseline content. Exit 2 when some file could not be restored.
 */
export async function runRestore(io: CliIo, options: GlobalOptions, target: string, dryRun: boolean): Promise<number> {
  const { detector } = await openDetector(io, options);
  try {
    const { source, actions } = await detector.restore(path.resolve(io.cwd, target), { dryRun });
    writeReport(io, options, { version: 1, source, dryRun, files: actions }, (paint) => {
      const lines = actions.filter((a) => a.action !== 'unchanged').map((a) => {
        const verb = dryRun && (a.action === 'restored' || a.action === 'recreated') ? `would be ${a.action}` : a.action;
        const tone = a.action === 'refused' ? paint('red', verb) : a.action === 'left' ? paint('yellow', verb) : verb;
        return `  ${a.file}  ${tone}${a.reason ? `: ${a.reason}` : ''}${a.backup ? paint('dim', `  (backup ${a.backup})`) : ''}`;
      });
      return `${paint('bold', source)}  ${lines.length ? '' : 'already matches its baseline'}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
    });
    return actions.some((a) => a.action === 'refused') ? 2 : 0;
  } finally {
    await detector.close();
  }
}

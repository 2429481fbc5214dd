import os from 'node:os';
import path from 'node:path';

/**
 * Where driftwatch keeps its default store and fingerprint key:
 * $DRIFTWATCH_STATE_DIR, else $XDG_STATE_HOME/driftwatch, else
 * ~/.local/state/driftwatch.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRIFTWATCH_STATE_DIR) return path.resolve(env.DRIFTWATCH_STATE_DIR);
  const base = env.XDG_STATE_HOME ? path.resolve(env.XDG_STATE_HOME) : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'driftwatch');
}

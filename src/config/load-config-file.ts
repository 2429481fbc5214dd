import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { DriftError } from '../errors.js';
import { configSchema } from './config-schema.js';
import type { DriftwatchConfig } from './config-types.js';

export interface LoadedConfig {
  config: DriftwatchConfig;
  /** Relative paths in the file resolve against this directory. */
  dir: string;
  file: string;
}

/**
 * Reads and validates a driftwatch.yaml. Any problem is one CONFIG_INVALID
 * error naming the file, the line and the key path, what was expected and
 * what was found.
 */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DriftError('CONFIG_NOT_FOUND', `${file}: no such configuration file`, { file });
    throw new DriftError('CONFIG_INVALID', `${file}: cannot read it (${code ?? (error as Error).message})`, { file, cause: error });
  }
  const doc = parseDocument(text, { version: '1.2', uniqueKeys: true, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : text.slice(0, offset).split('\n').length);
  const parseError = doc.errors[0];
  if (parseError) {
    const line = lineOf(parseError.pos[0]);
    throw new DriftError('CONFIG_INVALID', `${file}:${line}: not valid YAML (${parseError.code})`, { file, ...(line ? { line } : {}) });
  }
  const result = configSchema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (!result.success) throw configError(file, result.error, (keyPath) => lineOf(nodeOffset(doc, keyPath)));
  return { config: result.data as DriftwatchConfig, dir: path.dirname(path.resolve(file)), file };
}

function configError(file: string, error: z.ZodError, lineOfKey: (keyPath: PropertyKey[]) => number | undefined): DriftError {
  const issue = error.issues[0]!;
  // An unknown key is best pointed at by its own line, not its parent's.
  const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const key = at.map(String).join('.') || '(top level)';
  const line = lineOfKey(at);
  const where = line ? `${file}:${line}` : file;
  let what = issue.message;
  if (issue.code === 'unrecognized_keys') what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against docs/configuration.md`;
  return new DriftError('CONFIG_INVALID', `${where}: ${key}: ${what}`, { file, key, ...(line ? { line } : {}) });
}

function nodeOffset(doc: ReturnType<typeof parseDocument>, keyPath: PropertyKey[]): number | undefined {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = doc.getIn(keyPath.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return undefined;
}

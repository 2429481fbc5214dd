import type { FormatName } from './format.js';

// JSON files that editors and tools read with comments and trailing commas allowed.
const JSONC_NAMES = new Set(['tsconfig.json', 'jsconfig.json', 'devcontainer.json', '.devcontainer.json']);

const BY_EXTENSION: Readonly<Record<string, FormatName>> = {
  json: 'json',
  jsonc: 'jsonc',
  'code-workspace': 'jsonc',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  ini: 'ini',
  env: 'dotenv',
  properties: 'properties',
  xml: 'xml',
};

/**
 * The format a file is read as, from its name alone (binary is decided later,
 * by content). Anything unknown is `text`, compared line by line.
 *
 * @example
 * formatForFile('deploy/app.yml')       // 'yaml'
 * formatForFile('tsconfig.build.json')  // 'jsonc'
 * formatForFile('.env.production')      // 'dotenv'
 * formatForFile('nginx/nginx.conf')     // 'text'
 */
export function formatForFile(relativePath: string): FormatName {
  const parts = relativePath.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  const lower = base.toLowerCase();
  if (lower === '.env' || lower.startsWith('.env.')) return 'dotenv';
  if (lower.endsWith('.json')) {
    const inVscode = parts.length >= 2 && parts[parts.length - 2] === '.vscode';
    if (inVscode || JSONC_NAMES.has(lower) || /^tsconfig\..+\.json$/.test(lower)) return 'jsonc';
    return 'json';
  }
  const dot = lower.lastIndexOf('.');
  // A dotfile such as `.yaml` has no extension: its whole name is the name.
  if (dot <= 0) return 'text';
  return BY_EXTENSION[lower.slice(dot + 1)] ?? 'text';
}

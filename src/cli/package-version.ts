import { readFileSync } from 'node:fs';

/** This package's version, from its package.json (for --version and SARIF). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

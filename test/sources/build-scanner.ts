import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Compile src/sources to plain ESM in a fresh world-readable temp dir, with
 * its one runtime dependency copied beside it, so another user (nobody) can
 * import it without reaching into the project tree or a shared dist/ that
 * someone else may be rebuilding.
 */
export function buildScannerForOtherUsers(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dw-scanner-'));
  chmodSync(dir, 0o755);
  const sourceDir = join(projectRoot, 'src/sources');
  mkdirSync(join(dir, 'sources'));
  for (const name of readdirSync(sourceDir).filter((n) => n.endsWith('.ts'))) {
    const output = ts.transpileModule(readFileSync(join(sourceDir, name), 'utf8'), {
      fileName: name,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    writeFileSync(join(dir, 'sources', name.replace(/\.ts$/, '.js')), output.outputText);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  cpSync(join(projectRoot, 'node_modules/picomatch'), join(dir, 'node_modules/picomatch'), { recursive: true });
  chmodTree(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function chmodTree(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      chmodSync(child, 0o755);
      chmodTree(child);
    } else chmodSync(child, 0o644);
  }
}

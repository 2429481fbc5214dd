import type { SourceReport } from '../detector/check-source.js';
import type { DriftEvent } from '../detector/drift-event.js';
import { problemLine } from './render-check.js';
import { renderValue } from './render-value.js';

const SARIF_LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'note' } as const;

/**
 * SARIF 2.1.0 for code-scanning views: one result per change (rule = drift
 * type) and per problem (rule = its code), located at the file.
 */
export function checkSarif(reports: readonly SourceReport[], version: string) {
  const results = reports.flatMap((r) => [
    ...r.changes.map((e) => ({
      ruleId: e.type,
      level: SARIF_LEVEL[e.severity],
      message: { text: `${e.severity}: ${changeSentence(e)}${e.silenced ? ` (silenced: ${e.silenced.reason})` : ''}` },
      locations: [location(r.source, e.file)],
      properties: { source: r.source, path: e.path, kind: e.kind, severity: e.severity, secret: e.secret },
    })),
    ...r.problems.map((p) => ({
      ruleId: p.code,
      level: 'warning',
      message: { text: problemLine(p) },
      locations: [p.line ? { physicalLocation: { ...location(r.source, p.file).physicalLocation, region: { startLine: p.line } } } : location(r.source, p.file)],
    })),
  ]);
  const ruleIds = [...new Set(results.map((r) => r.ruleId))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'driftwatch', version, informationUri: 'https://www.npmjs.com/package/driftwatch', rules: ruleIds.map((id) => ({ id })) } },
      results,
    }],
  };
}

function location(source: string, file: string) {
  return { physicalLocation: { artifactLocation: { uri: file || source, ...(file ? { uriBaseId: 'SOURCE' } : {}) } } };
}

/** Markdown for a pull request comment: a table per source. */
export function checkMarkdown(reports: readonly SourceReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`### driftwatch: \`${r.source}\` — ${r.status.replace('_', ' ')}`, '');
    if (r.changes.length) {
      out.push('| severity | file | path | change |', '| --- | --- | --- | --- |');
      for (const e of r.changes) out.push(`| ${e.severity} | \`${cell(e.file)}\` | \`${cell(e.path || '(file)')}\` | ${cell(changeSentence(e, false))}${e.silenced ? ' (silenced)' : ''} |`);
      out.push('');
    }
    for (const p of r.problems) out.push(`- ⚠️ ${cell(problemLine(p))}`);
    if (r.problems.length) out.push('');
    if (!r.changes.length && !r.problems.length) out.push('No drift.', '');
  }
  return out.join('\n');
}

function changeSentence(e: DriftEvent, withPlace = true): string {
  const where = withPlace ? `${e.file}${e.path ? ' ' + e.path : ''}` : '';
  switch (e.kind) {
    case 'added': return `${where} added${e.path ? `: ${renderValue(e.after)}` : ''}`.trim();
    case 'removed': return `${where} removed${e.path ? `: ${renderValue(e.before)}` : ''}`.trim();
    case 'modified': return `${where}${where ? ': ' : ''}${renderValue(e.before)} → ${renderValue(e.after)}`;
    case 'metadata': return `${where} ${e.attribute}: ${renderValue(e.before)} → ${renderValue(e.after)}`.trim();
  }
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('`', "'");
}

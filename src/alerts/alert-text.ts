import { severityRank } from '../core/change.js';
import type { AlertDocument } from './alert-document.js';
import type { AlertChange } from './alert-item.js';

/** An alert for people: what changed, where, from what to what, how severe, since when, what to run. */
export interface AlertText {
  title: string;
  summary: string;
  /** One line per change (a digest: per source), at most `maxLines`. */
  lines: string[];
  /** Changes (or sources) not in `lines`. */
  more: number;
  commands: { label: string; command: string }[];
}

const REASONS: Record<string, string> = {
  rate_limited: 'by the hourly limit',
  cooldown: 'by cooldown',
  receiver_rate_limited: "by this receiver's hourly limit",
};

/**
 * Renders an alert document as text. Pure: the document carries the masked
 * values and the times; nothing is looked up.
 *
 * @example
 * renderAlertText(doc).title // 'HIGH drift in app on web-1: 2 changes'
 */
export function renderAlertText(doc: AlertDocument, maxLines = 10): AlertText {
  const commands = [{ label: 'See more', command: doc.commands.show }];
  if (doc.commands.accept) commands.push({ label: 'Accept it as the new baseline', command: doc.commands.accept });
  if (doc.kind === 'digest' && doc.digest) {
    const d = doc.digest;
    const held = Object.entries(d.byReason).map(([reason, n]) => `${n} ${REASONS[reason] ?? reason}`).join(', ');
    const severities = Object.entries(d.bySeverity).filter(([, n]) => n > 0).reverse().map(([s, n]) => `${n} ${s}`).join(', ');
    const sources = d.sources.map((s) => `${where(s.source, s.host)}: ${plural(s.alerts, 'alert')}`);
    return {
      title: `driftwatch digest: ${plural(d.alerts, 'alert')} held back (${plural(d.changes, 'change')})${doc.source ? ` in ${where(doc.source, doc.host)}` : ''}`,
      summary: `From ${time(d.since)} to ${time(d.until)}. Held back ${held}. Severity: ${severities || 'none'}.`,
      lines: sources.slice(0, maxLines),
      more: Math.max(0, sources.length - maxLines),
      commands,
    };
  }
  // Most severe first (a stable sort keeps file order within a severity).
  const ranked = [...doc.changes].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const lines = ranked.slice(0, maxLines).map(changeLine);
  return {
    title: `${doc.severity.toUpperCase()} drift in ${where(doc.source, doc.host)}: ${plural(doc.changeCount, 'change')}`,
    summary: `Since ${time(doc.since)}. ${doc.types.join(', ')}.`,
    lines,
    more: doc.changeCount - lines.length,
    commands,
  };
}

/** The text as plain lines (log files, terminals, e-mail-like receivers). */
export function alertTextPlain(text: AlertText): string {
  return [
    text.title,
    text.summary,
    ...text.lines.map((l) => `  ${l}`),
    ...(text.more > 0 ? [`  ... and ${text.more} more`] : []),
    ...text.commands.map((c) => `${c.label}: ${c.command}`),
  ].join('\n');
}

/** One change on one line: `HIGH app.yaml /tls/enabled: true → false`. */
export function changeLine(c: AlertChange): string {
  const at = [c.file, c.path].filter((p) => p !== undefined && p !== '').join(' ');
  const secret = c.secret ? ' (secret, masked)' : '';
  let what: string;
  switch (c.kind) {
    case 'modified': what = `${c.from ?? '?'} → ${c.to ?? '?'}`; break;
    case 'added': what = c.path ? `added: ${c.to ?? ''}` : 'file added'; break;
    case 'removed': what = c.path ? `removed (was ${c.from ?? ''})` : 'file removed'; break;
    case 'metadata': what = `${c.attribute ?? 'metadata'} ${c.from ?? '?'} → ${c.to ?? '?'}`; break;
    default: what = c.type;
  }
  return `${c.severity.toUpperCase()} ${at ? `${at}: ` : ''}${what}${secret}`;
}

function where(source: string | null, host: string | null): string {
  if (source === null) return 'several sources';
  return host ? `${source} on ${host}` : source;
}

function time(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ') + ' UTC';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

import type { Change } from '../core/change.js';
import { parsePointer } from '../core/pointer.js';
import { compileRuleMatch } from '../core/rules/match-rule.js';
import type { RuleMatch } from '../core/rules/rule-types.js';
import { DriftError } from '../errors.js';
import type { SilenceRecord, Store } from '../store/store.js';
import type { DriftEvent } from './drift-event.js';

/** The silence a drift event falls under, as shown with it. */
export interface SilenceNote {
  id: number;
  owner: string;
  reason: string;
  until: Date;
}

/**
 * Matches events against the silences live right now. Silences are asked
 * at read time, never stored on events: an expired silence stops applying by
 * itself, with nothing to clean up.
 *
 * @example const find = silenceMatcher(await store.listSilences(now)); find(event)?.reason
 */
export function silenceMatcher(silences: readonly SilenceRecord[]): (event: DriftEvent) => SilenceNote | undefined {
  const compiled = silences.map((silence) => ({
    silence,
    tests: compileRuleMatch(silence.match as RuleMatch, `silence ${silence.id}`),
  }));
  return (event) => {
    if (compiled.length === 0) return undefined;
    const change = asChange(event);
    const hit = compiled.find(({ tests }) => tests.every((test) => test(change, event.source)));
    return hit && { id: hit.silence.id, owner: hit.silence.owner, reason: hit.silence.reason, until: new Date(hit.silence.expiresAt) };
  };
}

// Rules match changes; an event is a change whose path has been printed as a pointer.
function asChange(event: DriftEvent): Change {
  const path = parsePointer(event.path);
  if (event.kind === 'metadata') return { kind: 'metadata', file: event.file, path: [], attribute: event.attribute!, before: event.before ?? null, after: event.after ?? null };
  if (event.kind === 'added') return { kind: 'added', file: event.file, path, after: event.after ?? null };
  if (event.kind === 'removed') return { kind: 'removed', file: event.file, path, before: event.before ?? null };
  return { kind: 'modified', file: event.file, path, before: event.before ?? null, after: event.after ?? null };
}

export interface SilenceOptions {
  /** Any of an ignore rule's match fields. */
  match: RuleMatch;
  /** How long, in ms from now. */
  forMs: number;
  reason: string;
  owner: string;
}

/** Silences from the store plus those of the config file (negative ids), live at `now`. */
export async function liveSilences(store: Store, config: readonly SilenceRecord[], now: number): Promise<SilenceRecord[]> {
  return [...(await store.listSilences(now)), ...config.filter((s) => s.expiresAt > now)];
}

/** Adds a silence after checking that its match compiles; the reason and a positive duration are required. */
export async function addSilence(store: Store, options: SilenceOptions, now: number): Promise<SilenceRecord> {
  if (!options.reason.trim()) throw new DriftError('USAGE', 'a silence needs a reason (--reason): say why this drift is expected');
  if (!(options.forMs > 0)) throw new DriftError('USAGE', 'a silence needs a positive duration (--for 7d)');
  if (compileRuleMatch(options.match, 'silence').length === 0) {
    throw new DriftError('USAGE', 'a silence must match something: give --source, --file, --path, --kind or --attribute');
  }
  return store.addSilence({ match: options.match as SilenceRecord['match'], owner: options.owner, reason: options.reason, createdAt: now, expiresAt: now + options.forMs });
}

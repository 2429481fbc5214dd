import type { AlertKeyField } from '../config/alerts-config.js';
import type { ChangeKind, DriftType, MetadataAttribute, Severity } from '../core/change.js';
import { JsonValue, toJsonText } from '../core/json-text.js';
import { DateTime, Secret, type Value } from '../core/value.js';
import type { AlertItemInput } from '../store/store.js';

/** What alerting needs of a drift event; a DriftEvent is one. */
export interface AlertableEvent {
  id: number;
  host: string;
  source: string;
  type: DriftType;
  severity: Severity;
  file?: string;
  path?: string;
  kind?: ChangeKind;
  attribute?: MetadataAttribute;
  before?: Value;
  after?: Value;
  secret?: boolean;
  detectedAt?: Date;
}

/** A change as an alert carries it (the stored `detail`), values already masked. */
export interface AlertChange {
  eventId: number | null;
  file?: string;
  path?: string;
  kind?: ChangeKind;
  attribute?: MetadataAttribute;
  severity: Severity;
  type: DriftType;
  secret?: boolean;
  detectedAt?: string;
  /** The values as JSON (every digit of a big integer kept); absent when too large to carry. */
  before?: unknown;
  after?: unknown;
  /** The values on one line, for people. */
  from?: string;
  to?: string;
}

/** Values larger than this (as JSON) travel as their one-line text only. */
const MAX_VALUE_JSON = 4096;
const MAX_DISPLAY = 200;

/**
 * The cooldown key of an event: the configured fields, `source` standing for
 * (host, name). The default `[source, type]` gives `host/source/type`.
 *
 * @example alertKey({ host: 'web-1', source: 'app', type: 'manual_change', ... }, ['source', 'type']) // 'web-1/app/manual_change'
 */
export function alertKey(event: AlertableEvent, fields: readonly AlertKeyField[]): string {
  return fields.map((field) => {
    switch (field) {
      case 'source': return `${event.host}/${event.source}`;
      case 'type': return event.type;
      case 'severity': return event.severity;
      case 'kind': return encodeURIComponent(event.kind ?? '');
      case 'file': return encodeURIComponent(event.file ?? '');
      case 'path': return encodeURIComponent(event.path ?? '');
    }
  }).join('/');
}

/**
 * The item a decision stores for an event: its key and a JSON text of the
 * change with masked values (secrets print as their mask, never in clear).
 *
 * @example alertItem(event, ['source', 'type'], now).detail // '{"eventId":7,"file":"app.yaml","path":"/port",...}'
 */
export function alertItem(event: AlertableEvent, fields: readonly AlertKeyField[], now: number): AlertItemInput {
  const detectedAt = event.detectedAt?.getTime() ?? now;
  const doc: Record<string, unknown> = {
    eventId: event.id, file: event.file, path: event.path, kind: event.kind, attribute: event.attribute,
    severity: event.severity, type: event.type, secret: event.secret, detectedAt: new Date(detectedAt).toISOString(),
  };
  for (const [side, display] of [['before', 'from'], ['after', 'to']] as const) {
    if (!(side in event) || event[side] === undefined) continue;
    const value = event[side]!;
    const json = toJsonText(value);
    if (json.length <= MAX_VALUE_JSON) doc[side] = new JsonValue(value);
    doc[display] = displayValue(value, event.attribute);
  }
  return { eventId: event.id, key: alertKey(event, fields), severity: event.severity, type: event.type, detectedAt, detail: toJsonText(doc) };
}

/** A value on one line: plain strings bare, modes in octal, everything else as JSON, long ones cut. */
export function displayValue(value: Value, attribute?: MetadataAttribute): string {
  let text: string;
  if (value instanceof Secret) text = value.display;
  else if (value instanceof DateTime) text = value.text;
  else if (attribute === 'mode' && (typeof value === 'bigint' || typeof value === 'number')) text = '0' + value.toString(8);
  else if (typeof value === 'string' && /^[\x21-\x7e][\x20-\x7e]*$/.test(value) && !/\s$/.test(value)) text = value;
  else text = toJsonText(value);
  return text.length > MAX_DISPLAY ? text.slice(0, MAX_DISPLAY - 1) + '…' : text;
}

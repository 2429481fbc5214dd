import { z } from 'zod';
import { CHANGE_KINDS, DRIFT_TYPES, METADATA_ATTRIBUTES, SEVERITIES } from '../core/change.js';
import { FORMAT_NAMES } from '../formats/format.js';
import { alertsSchema } from './alerts-schema.js';
import { parseDuration } from './parse-duration.js';

const duration = z.string().refine((text) => parseDuration(text) !== undefined, {
  message: 'expected a duration such as 30d, 12h, 90m or 45s',
});
const globs = z.array(z.string().min(1));

const filesSource = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('files').optional(),
  path: z.string().min(1),
  include: globs.optional(),
  exclude: globs.optional(),
  format: z.enum(FORMAT_NAMES).optional(),
});

const envSource = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('env'),
  include: globs.optional(),
  exclude: globs.optional(),
  pid: z.number().int().positive().optional(),
});

const commandSource = z.strictObject({
  name: z.string().min(1),
  kind: z.literal('command'),
  command: z.array(z.string().min(1)).min(1),
  format: z.enum(FORMAT_NAMES).optional(),
  timeout: duration.optional(),
  cwd: z.string().min(1).optional(),
});

// Chosen by `kind` (files when absent), so an error names the fields of the kind the user meant.
const source = z.unknown().transform((raw, ctx) => {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const schema = kind === 'env' ? envSource : kind === 'command' ? commandSource : filesSource;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue } as never);
  return z.NEVER;
});

const kinds = z.union([z.enum(CHANGE_KINDS), z.array(z.enum(CHANGE_KINDS)).min(1)]);
const attributes = z.union([z.enum(METADATA_ATTRIBUTES), z.array(z.enum(METADATA_ATTRIBUTES)).min(1)]);
const match = {
  source: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
  path: z.string().optional(),
  kind: kinds.optional(),
  attribute: attributes.optional(),
};
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const when = z.union([
  z.strictObject({ turnedOff: z.literal(true) }), z.strictObject({ turnedOn: z.literal(true) }),
  z.strictObject({ decreased: z.literal(true) }), z.strictObject({ increased: z.literal(true) }),
  z.strictObject({ matches: z.string() }), z.strictObject({ changedTo: scalar }),
]);

/** driftwatch.yaml, checked once at the boundary: unknown keys, wrong types and bad durations are refused. */
export const configSchema = z.strictObject({
  store: z.string().min(1).optional(),
  sources: z.array(source).optional(),
  retention: z.strictObject({
    snapshots: z.strictObject({ maxAge: duration.optional(), keepLast: z.number().int().min(1).optional() }).optional(),
    events: z.strictObject({ maxAge: duration.optional() }).optional(),
  }).optional(),
  maxFileSize: z.number().int().positive().optional(),
  interval: duration.optional(),
  watch: z.strictObject({
    debounce: duration.optional(),
    maxWait: duration.optional(),
    pruneEvery: duration.optional(),
    usePolling: z.boolean().optional(),
    pollInterval: duration.optional(),
  }).optional(),
  ignore: z.array(z.strictObject(match)).optional(),
  severity: z.array(z.strictObject({ ...match, when: when.optional(), level: z.enum(SEVERITIES), type: z.enum(DRIFT_TYPES).optional() })).optional(),
  lists: z.array(z.strictObject({ path: z.string(), keys: z.array(z.string().min(1)).min(1), file: z.string().min(1).optional() })).optional(),
  silences: z.array(z.strictObject({
    source: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    kind: z.union([z.string(), z.array(z.string())]).optional(),
    attribute: z.union([z.string(), z.array(z.string())]).optional(),
    reason: z.string().min(1),
    owner: z.string().min(1).optional(),
    expires: z.string().min(1),
  })).optional(),
  secrets: z.strictObject({ keys: globs.optional() }).optional(),
  alerts: alertsSchema.optional(),
});

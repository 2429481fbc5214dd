import { z } from 'zod';
import { SEVERITIES } from '../core/change.js';
import { FORMAT_NAMES } from '../formats/format.js';
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

/** driftwatch.yaml, checked once at the boundary: unknown keys, wrong types and bad durations are refused. */
export const configSchema = z.strictObject({
  store: z.string().min(1).optional(),
  sources: z.array(filesSource).optional(),
  retention: z.strictObject({
    snapshots: z.strictObject({ maxAge: duration.optional(), keepLast: z.number().int().min(1).optional() }).optional(),
    events: z.strictObject({ maxAge: duration.optional() }).optional(),
  }).optional(),
  maxFileSize: z.number().int().positive().optional(),
  alerts: z.strictObject({
    minSeverity: z.enum(SEVERITIES).optional(),
    cooldown: duration.optional(),
    maxPerHour: z.number().int().min(0).optional(),
  }).optional(),
});

import { z } from 'zod';
import { SEVERITIES } from '../core/change.js';
import { ALERT_KEY_FIELDS, RECEIVER_KINDS } from './alerts-config.js';
import { parseDuration } from './parse-duration.js';

const duration = z.string().refine((text) => parseDuration(text) !== undefined, {
  message: 'expected a duration such as 30d, 12h, 90m or 45s',
});
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name such as HOOK_SECRET');
const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/i, 'expected an http:// or https:// URL');
const url = z.union([httpUrl, z.strictObject({ env: envName })]);

const common = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a name of letters, digits, ".", "_" and "-"').optional(),
  minSeverity: z.enum(SEVERITIES).optional(),
  maxPerHour: z.number().int().min(0).optional(),
  timeout: duration.optional(),
};

const receiverSchemas = {
  webhook: z.strictObject({ ...common, webhook: url, secret: z.string().min(1).optional(), secretEnv: envName.optional() }),
  slack: z.strictObject({ ...common, slack: url }),
  alertmanager: z.strictObject({ ...common, alertmanager: url }),
  command: z.strictObject({ ...common, command: z.array(z.string().min(1)).min(1), cwd: z.string().min(1).optional() }),
  stdout: z.strictObject({ ...common, stdout: z.literal(true) }),
  log: z.strictObject({ ...common, log: z.string().min(1) }),
};

// Chosen by the one kind key present, so an error names the fields of the receiver the user meant.
const receiver = z.unknown().transform((raw, ctx) => {
  const keys = raw !== null && typeof raw === 'object' ? Object.keys(raw) : [];
  const kinds = RECEIVER_KINDS.filter((k) => keys.includes(k));
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: kinds.length === 0
        ? `expected a receiver: one of ${RECEIVER_KINDS.map((k) => `"${k}"`).join(', ')} (e.g. { webhook: http://127.0.0.1:9000/hook })`
        : `a receiver has exactly one kind, found ${kinds.map((k) => `"${k}"`).join(' and ')}; write one entry for each`,
    });
    return z.NEVER;
  }
  const result = receiverSchemas[kinds[0]!].safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue } as never);
  return z.NEVER;
});

/** `alerts:` of driftwatch.yaml. */
export const alertsSchema = z.strictObject({
  minSeverity: z.enum(SEVERITIES).optional(),
  cooldown: duration.optional(),
  maxPerHour: z.number().int().min(0).optional(),
  cooldownKey: z.array(z.enum(ALERT_KEY_FIELDS)).min(1).optional(),
  retry: z.strictObject({
    attempts: z.number().int().min(1).optional(),
    initialDelay: duration.optional(),
    maxDelay: duration.optional(),
  }).optional(),
  notify: z.array(receiver).optional(),
});

import type { Severity } from '../core/change.js';
import type { Concealed } from './concealed.js';

/** The parts of a change that can make up an alert's cooldown key. `source` is (host, name). */
export const ALERT_KEY_FIELDS = ['source', 'type', 'file', 'path', 'severity', 'kind'] as const;
export type AlertKeyField = (typeof ALERT_KEY_FIELDS)[number];

export const RECEIVER_KINDS = ['webhook', 'slack', 'alertmanager', 'command', 'stdout', 'log'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

/** A URL written in the file, or the name of an environment variable holding it (a Slack URL is a credential). */
export type UrlConfig = string | { env: string };

/** What every receiver entry may add to its kind's key. */
export interface ReceiverCommonConfig {
  /** How history and logs name it. Default: its kind (`webhook`), then `webhook-2`, ... in file order. */
  name?: string;
  /** Alerts below this severity skip this receiver. Default: `alerts.minSeverity`. */
  minSeverity?: Severity;
  /** This receiver's own limit in any sliding hour, on top of `alerts.maxPerHour`. Default: none. */
  maxPerHour?: number;
  /** One delivery attempt gives up after this long. Default `10s`. */
  timeout?: string;
}

/** One entry of `alerts.notify`: exactly one kind key, plus the common fields. */
export type ReceiverConfig = ReceiverCommonConfig & (
  | {
    /** POST the alert as JSON. */
    webhook: UrlConfig;
    /** HMAC-SHA256 key for the signature header, in clear. Prefer `secretEnv`. */
    secret?: string;
    /** Name of the environment variable holding the HMAC key. */
    secretEnv?: string;
  }
  | { /** A Slack (or compatible) incoming webhook URL. */ slack: UrlConfig }
  | { /** Prometheus Alertmanager's base URL (`http://127.0.0.1:9093`). */ alertmanager: UrlConfig }
  | {
    /** argv run without a shell; the alert JSON on its stdin. */
    command: string[];
    /** Working directory, relative to the config file. Default: the config file's directory. */
    cwd?: string;
  }
  | { /** One JSON line per alert on driftwatch's standard output. */ stdout: true }
  | { /** Append one JSON line per alert to this file (relative to the config file). */ log: string }
);

/** `alerts:` as the user writes it. */
export interface AlertsConfig {
  /** Changes below this severity never alert. Default `high`. */
  minSeverity?: Severity;
  /** At most one alert per cooldown key within this duration. Default `1h`. */
  cooldown?: string;
  /** At most this many alerts in any sliding hour, across everything sharing the store; a digest counts too. Default 10. */
  maxPerHour?: number;
  /** What makes two changes "the same" for the cooldown. Default `[source, type]`. */
  cooldownKey?: AlertKeyField[];
  /** How a delivery that fails is retried. */
  retry?: {
    /** Failed attempts before a delivery is `failed`. Default 20. */
    attempts?: number;
    /** Wait after the first failure; doubles each time. Default `5s`. */
    initialDelay?: string;
    /** The longest wait between attempts. Default `30m`. */
    maxDelay?: string;
  };
  /** Where alerts go. Default: nowhere (alerts are decided and kept in the history only). */
  notify?: ReceiverConfig[];
}

/** A URL, or where to read it at delivery time. */
export type UrlRef = { url: string } | { env: string };
/** An HMAC key, or where to read it at delivery time. */
export type SecretRef = { env: string } | { value: Concealed };

export interface ResolvedReceiverCommon {
  name: string;
  minSeverity: Severity;
  maxPerHour: number | null;
  timeoutMs: number;
}

export type ResolvedReceiver = ResolvedReceiverCommon & (
  | { kind: 'webhook'; url: UrlRef; secret: SecretRef | null }
  | { kind: 'slack'; url: UrlRef }
  | { kind: 'alertmanager'; url: UrlRef }
  | { kind: 'command'; argv: string[]; cwd: string }
  | { kind: 'stdout' }
  | { kind: 'log'; file: string }
);

export interface ResolvedRetry {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

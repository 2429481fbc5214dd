import type { ResolvedConfig } from '../config/config-types.js';
import type { RedactOptions } from '../core/redact.js';
import type { CompiledRules } from '../core/rules/compile-rules.js';
import type { Store } from '../store/store.js';
import type { FingerprintKey } from './fingerprint-key.js';

/** What every detector step may use: the collaborators, injected, never reached for. */
export interface DetectorContext {
  store: Store;
  config: ResolvedConfig;
  key: FingerprintKey;
  /** This machine's name; sources are (host, name) in a shared store. */
  host: string;
  /** Who runs this, for baseline acceptance records. */
  user: string;
  now: () => number;
  /** Absolute paths never scanned (the store file and its journals, the key file). */
  skipPaths: string[];
  redaction: RedactOptions;
  /** Ignore, severity and list-identity rules, compiled once. */
  rules: CompiledRules;
  /**
   * Mixed into every content id: a change to the parsers' output or to what
   * counts as a secret makes old content ids stale, so files are parsed again.
   */
  contentTag: string;
}

/**
 * driftwatch's library API (SPEC section 5). Every export is named here.
 *
 * @example
 * import { createDetector } from 'driftwatch';
 * const detector = await createDetector({ config: { sources: [{ name: 'app', path: './config' }] }, store: 'sqlite:./drift.db' });
 * const drift = await detector.compareSnapshots('app');
 */
export { createDetector } from './detector/create-detector.js';
export type { Detector, DetectorOptions } from './detector/create-detector.js';
export type { DriftEvent } from './detector/drift-event.js';
export type { DriftSummary, SourceStatus } from './detector/drift-summary.js';
export type { SourceReport, Against } from './detector/check-source.js';
export type { SnapshotOutcome } from './detector/take-files-snapshot.js';
export type { AcceptOptions } from './detector/accept-baseline.js';
export { diffPaths } from './detector/diff-paths.js';
export type { PathsDiff } from './detector/diff-paths.js';
export type { DriftwatchConfig, SourceConfig, FilesSourceConfig, ResolvedConfig } from './config/config-types.js';
export { loadConfigFile } from './config/load-config-file.js';
export { openStore } from './store/open-store.js';
export type * from './store/store.js';
export { DriftError, ERROR_CATALOG, isDriftError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { Problem } from './core/problem.js';
export type { Change, ClassifiedChange, ChangeKind, Severity, DriftType, MetadataAttribute } from './core/change.js';
export { SEVERITIES, DRIFT_TYPES } from './core/change.js';
export { Tagged, DateTime, Secret } from './core/value.js';
export type { Value, ValueMap } from './core/value.js';
export { toJsonText } from './core/json-text.js';
export { diffValues } from './core/diff-values.js';
export { createDispatcher } from './alerts/dispatcher.js';
export type { Dispatcher, DispatcherOptions, DispatchReport, AlertLogger } from './alerts/dispatcher.js';

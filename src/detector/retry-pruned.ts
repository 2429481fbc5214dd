import { DriftError } from '../errors.js';

/**
 * A comparison that loses a snapshot to a concurrent cleanup starts over
 * with the store's new state; anything else is a real error.
 *
 * @example const events = await retryPruned(() => compareOnce());
 */
export async function retryPruned<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof DriftError && error.code === 'SNAPSHOT_NOT_FOUND') || attempt >= attempts) throw error;
    }
  }
}

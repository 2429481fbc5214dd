// A writer for the kill test: opens a detector on the BUILT library (dist/)
// and loops forever over change, snapshot, compare, check, cleanup and
// shouldAlert on its source, reporting each finished operation to its parent,
// until the parent SIGKILLs it.
import path from 'node:path';
import { openDetector, prng, writeAtomic } from './plans.mjs';

const lib = await import('../../dist/index.js');
const { job, tree, scratch, seed } = JSON.parse(process.argv[2]);
const { detector } = await openDetector(lib, job);
const random = prng(seed);
process.send({ ready: true });

for (let i = 0; ; i++) {
  const r = random();
  if (r < 0.3) {
    writeAtomic(path.join(tree, `k${i % 4}.yaml`), `round: ${seed}\nvalue: ${i}\n`, scratch);
    await detector.takeSnapshot('app');
  } else if (r < 0.5) {
    await detector.compareSnapshots('app');
  } else if (r < 0.7) {
    await detector.check('app');
  } else if (r < 0.85) {
    await detector.cleanup();
  } else {
    await detector.shouldAlert({ id: i, host: job.host, source: `kill-${seed}-${i}`, type: 'security_degradation', severity: 'critical' });
  }
  process.send({ ops: i + 1 });
}

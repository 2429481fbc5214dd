// Entry point of a worker thread or child process: loads the BUILT library
// (dist/), says it is ready, then runs each step the driver sends
// (test/concurrency/run-mode.ts) for every logical worker it hosts (each with
// its own detector), all at once, and answers with their JSON results.
// Build first: npx tsc -p tsconfig.build.json
import { parentPort, workerData } from 'node:worker_threads';
import { closeWorker, makeWorker, runStep } from './plans.mjs';

const lib = await import('../../dist/index.js');

const channel = parentPort
  ? { send: (message) => parentPort.postMessage(message), listen: (handler) => parentPort.on('message', handler), end: () => parentPort.close() }
  : { send: (message) => process.send(message), listen: (handler) => process.on('message', handler), end: () => process.disconnect() };

const { job, indices } = parentPort ? workerData : JSON.parse(process.argv[2]);
const workers = indices.map((index) => makeWorker(lib, job, index, undefined));

channel.listen(async (message) => {
  if (message.type === 'close') {
    await Promise.all(workers.map(closeWorker));
    channel.send({ type: 'closed' });
    channel.end();
    return;
  }
  try {
    const results = await Promise.all(workers.map((worker, i) => runStep(worker, message.name, message.args[i])));
    channel.send({ type: 'result', seq: message.seq, results });
  } catch (error) {
    channel.send({ type: 'failed', seq: message.seq, error: String(error?.stack ?? error) });
  }
});
channel.send({ type: 'ready' });

export { type EnqueueOptions, enqueue } from './enqueue.ts';
export { type CronEntry, type JobHandler, JobRegistry } from './registry.ts';
export { startWorker, type WorkerOptions } from './worker.ts';

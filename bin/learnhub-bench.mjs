#!/usr/bin/env node
// `npm run bench`: the load benchmarks in bench/, never part of `npm test`.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');

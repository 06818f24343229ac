#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4 --max-old-space-size=384
// Heap flags: Node 24's ESM loader re-parses a package's package.json for every module it loads from it, and
// drizzle-orm's is 178 KB with 447 exports; with V8's default 64 MB semi-spaces that start-up garbage is
// promoted and the process sits at ~270 MB RSS doing nothing. Small (4 MB) semi-spaces and a bounded old space keep
// the hub near 150 MB idle. Run `node --max-old-space-size=N bin/learnhub.mjs ...` to choose other limits.
// MALLOC_ARENA_MAX=2: glibc otherwise gives every thread that allocates (V8's workers, libuv's pool) an arena of
// its own and keeps their freed memory; two arenas cut the peak RSS of the Event Store bench by ~40 MB.
// The `learnhub` command. Runs the TypeScript sources through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');

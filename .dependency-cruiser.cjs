// The hub's dependency rules (docs/architecture.md, "Dependency rules"). `npm run depcruise` checks them;
// `npm run check` and CI run it. Every exception below names who may break a rule and why; add one only with
// a reason, and prefer moving the code or exporting it through the module's index.ts.

const TEST = '\\.test\\.tsx?$';
/** Test support: a module's or dialect's `*.testing.ts`, and test/ and bench/ (they seed and inspect data). */
const TEST_SUPPORT = ['\\.testing\\.tsx?$', '^test/', '^bench/'];
/** Where queries may be built: repositories, the database layer, and table definitions (schema only). */
const QUERY_LAYER = ['\\.repository\\.ts$', '^src/db/', '\\.tables\\.ts$'];
/**
 * The job layer is the transactional outbox itself: `enqueue()` calls graphile_worker.add_job in the caller's
 * transaction, the domain-event bus appends to and reads domain_events, and worker liveness takes advisory
 * locks and unlocks dead workers' jobs. They are infrastructure on the level of src/db, not business queries.
 */
const JOB_INFRASTRUCTURE = [
  '^src/jobs/enqueue\\.ts$',
  '^src/jobs/domain-events\\.ts$',
  '^src/jobs/liveness\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment:
        'Modules and dialects form a layered graph: no chain of imports through other modules may lead back ' +
        'to where it started (identity depends on nothing above it). Compose pages above the modules, e.g. ' +
        "with identity's profile-section registry. Test files are not part of the graph.",
      from: { path: '^src/(modules|dialects)/([^/]+)/' },
      to: {
        circular: true,
        viaOnly: { path: '^src/(modules|dialects)/', pathNot: TEST },
        via: { pathNot: '^src/$1/$2/' },
      },
    },
    {
      name: 'modules-only-through-index',
      severity: 'error',
      comment:
        "A module uses another only through that module's index.ts (its use-cases and types), never its files.",
      from: { path: '^src/modules/([^/]+)/', pathNot: TEST },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'module-tests-only-through-index-or-testing',
      severity: 'error',
      comment:
        "A module's or dialect's test uses other modules and dialects through their index.ts, or their test " +
        'world (*.testing.ts: e.g. a badges test signs requests as a BadgeKit client with badgekit.testing.ts).',
      from: { path: '^src/(?:modules|dialects)/([^/]+)/[^/]+\\.test\\.tsx?$' },
      to: {
        path: '^src/(modules|dialects)/[^/]+/',
        pathNot: ['^src/(modules|dialects)/$1/', '/index\\.ts$', '\\.testing\\.tsx?$'],
      },
    },
    {
      name: 'modules-not-to-dialects',
      severity: 'error',
      comment:
        'Dialects sit above the modules (they translate wire formats onto module use-cases); a module never ' +
        "imports one (a module's test may borrow a dialect's test world: the rule above).",
      from: { path: '^src/modules/', pathNot: TEST },
      to: { path: '^src/dialects/' },
    },
    {
      name: 'outside-only-through-index',
      severity: 'error',
      comment:
        'Everything outside the modules and dialects (app.ts, cli/, server.ts, http/, bench/) uses a module ' +
        'through its index.ts. Exception: src/db/schema.ts gathers every <domain>.tables.ts for Drizzle.',
      from: { pathNot: ['^src/(modules|dialects)/', '^src/db/schema\\.ts$', TEST, '^test/'] },
      to: { path: '^src/(modules|dialects)/[^/]+/', pathNot: '/index\\.ts$' },
    },
    {
      name: 'outside-tests-only-through-index-or-testing',
      severity: 'error',
      comment:
        'Tests outside the modules (test/, src/http, ...) use a module through index.ts or *.testing.ts.',
      from: { path: [TEST, '^test/'], pathNot: '^src/(modules|dialects)/' },
      to: { path: '^src/(modules|dialects)/[^/]+/', pathNot: ['/index\\.ts$', '\\.testing\\.tsx?$'] },
    },
    {
      name: 'dialects-only-through-index',
      severity: 'error',
      comment: 'A dialect is a translation layer: it calls modules through their index.ts only.',
      from: { path: '^src/dialects/([^/]+)/', pathNot: TEST },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'dialects-not-to-db',
      severity: 'error',
      comment: 'A dialect owns no tables and builds no queries: never src/db (types included).',
      from: { path: '^src/dialects/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'dialects-not-to-each-other',
      severity: 'error',
      comment: 'Dialects are independent translations; what two share belongs in src/dialects/kit/.',
      from: { path: '^src/dialects/([^/]+)/' },
      to: { path: '^src/dialects/[^/]+/', pathNot: ['^src/dialects/$1/', '^src/dialects/kit/'] },
    },
    {
      name: 'lib-imports-nothing-of-the-hub',
      severity: 'error',
      comment:
        'src/lib holds helpers with no Fastify, database or module dependency; it imports only src/lib.',
      from: { path: '^src/lib/' },
      to: { path: '^(src|test|bench)/', pathNot: '^src/lib/' },
    },
    {
      name: 'drizzle-operators-only-in-repositories',
      severity: 'error',
      comment:
        'Only repositories (and src/db, and table definitions) import drizzle-orm values: operators (eq, and, ' +
        'sql, ...) and query builders. Type-only imports are fine. Exceptions: the job layer (see ' +
        'JOB_INFRASTRUCTURE) and test support.',
      from: { pathNot: [...QUERY_LAYER, ...JOB_INFRASTRUCTURE, ...TEST_SUPPORT, TEST] },
      to: { path: 'node_modules/drizzle-orm/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sql-only-in-repositories',
      severity: 'error',
      comment:
        'Running SQL means the pg driver or a table object (db.insert(table), db.select().from(table)). Only ' +
        'repositories and src/db import either (type-only imports of pg, e.g. pg.Pool in Deps, are fine). ' +
        'Exceptions: the job layer (see JOB_INFRASTRUCTURE) and test support. A query through deps.pool ' +
        'needs no import and so is invisible here: /readyz runs `select 1` (src/http/health.ts) on purpose.',
      from: { pathNot: [...QUERY_LAYER, ...JOB_INFRASTRUCTURE, ...TEST_SUPPORT, TEST] },
      to: {
        path: ['node_modules/pg/', '\\.tables\\.ts$', '^src/db/schema\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/db/migrations/', '^bench/results/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

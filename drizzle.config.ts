import { defineConfig } from 'drizzle-kit';

// drizzle-kit reads the tables of every module; migrations are generated, committed and never edited.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/core.tables.ts', './src/modules/*/*.tables.ts'],
  out: './src/db/migrations',
});

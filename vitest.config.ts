import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Unit and integration tests sit beside the code (*.test.ts / *.test.tsx). Server and engine
// tests talk to the real PostgreSQL on 127.0.0.1:5432 (each file makes its own database), so
// they get generous timeouts; renderer tests opt into jsdom with a file comment.
export default defineConfig({
  plugins: [react()],
  test: {
    include: ['{shared,server,main,renderer,app,scripts}/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    setupFiles: ['./vitest.setup.ts'],
  },
});

// Testing Library's DOM matchers, for the renderer's component tests (harmless elsewhere).
import '@testing-library/jest-dom/vitest';

// findBy* / waitFor wait up to 5 s instead of 1 s: CI runs two test files at once on two shared
// cores, and a screen that is right but slow must not fail (a wrong one still fails, later).
import { configure } from '@testing-library/dom';
configure({ asyncUtilTimeout: 5_000 });

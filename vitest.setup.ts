// Testing Library's DOM matchers, for the renderer's component tests (harmless elsewhere).
import '@testing-library/jest-dom/vitest';

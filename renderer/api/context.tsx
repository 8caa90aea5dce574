// Hands the `InsightApi` to every component: the real `window.insight` in the app, a test
// double in component tests. Components never read `window.insight` themselves.
import { createContext, useContext, type ReactNode } from 'react';
import type { InsightApi } from '../../shared/ipc.js';

const InsightContext = createContext<InsightApi | null>(null);

export const InsightProvider = ({ api, children }: { api: InsightApi; children: ReactNode }) => (
  <InsightContext.Provider value={api}>{children}</InsightContext.Provider>
);

export const useInsight = (): InsightApi => {
  const api = useContext(InsightContext);
  if (!api) throw new Error('useInsight() needs an <InsightProvider> above it');
  return api;
};

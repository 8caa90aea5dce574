// Entry point: wait for the host's `window.insight` (Electron preload or web bridge), then start.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { whenInsightReady } from './api/bridge.js';
import { App, NotConnected } from './app/App.js';
import './styles.css';
import './data-views.css';

const root = createRoot(document.getElementById('root')!);

void whenInsightReady().then((api) =>
  root.render(<StrictMode>{api ? <App api={api} /> : <NotConnected />}</StrictMode>),
);

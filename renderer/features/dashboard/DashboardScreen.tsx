// Home: the screen the app opens on. What needs the manager today (completion per store and form,
// missing and late first), KPI trends against targets, the latest submissions and sync at a
// glance. Every figure is counted by main in SQL (channels dashboard:completion, kpis:trend…).
import { useState } from 'react';
import { CompletionCard } from './CompletionCard.js';
import { KpiTrendCard } from './KpiTrendCard.js';
import { RecentSubmissionsCard } from './RecentSubmissionsCard.js';
import { SyncSummaryCard } from './SyncSummaryCard.js';
import './dashboard.css';

export const DashboardScreen = ({ now: fixedNow }: { now?: Date }) => {
  // "Today" as of opening Home (each visit opens it afresh), so the cards agree on one day.
  const [now] = useState(() => fixedNow ?? new Date());
  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Home</h1>
        <p className="muted">{now.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' })}</p>
      </header>
      <div className="dashboard">
        {/* In reading order: what needs the manager, sync beside it, then trends and the latest. */}
        <CompletionCard now={now} />
        <SyncSummaryCard now={now} />
        <KpiTrendCard now={now} />
        <RecentSubmissionsCard now={now} />
      </div>
    </div>
  );
};

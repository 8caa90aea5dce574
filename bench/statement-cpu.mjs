// PostgreSQL's CPU per statement of the server process: loaded into the server with
//
//   BENCH_SERVER_NODE_FLAGS="--import ./bench/statement-cpu.mjs" npm run bench -- push
//
// it reads the CPU time (`/proc/<backend>/schedstat`) and minor page faults (`/proc/<backend>/stat`)
// of the PostgreSQL backend serving each query, before the query is sent and once its answer is
// in (a backend serves one client, so what it spent in between is that statement's), and writes
// the sums per statement text, every second, to STATEMENT_CPU_OUT (default
// /tmp/statement-cpu-<pid>.json), most CPU first. STATEMENT_CPU_CAPTURE=<file> also keeps the text and
// parameters of the 40th to 45th push write (persist.ts), to replay them alone
// (bench/push-write-sql.ts). Bench-only: the reads cost the server process CPU of their own.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The server's own `pg` (the one its pool patches nothing of): resolved from the working directory.
const pg = createRequire(join(process.cwd(), 'package.json'))('pg');

const cpuNs = (pid) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
const faults = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
};
const keyOf = (config) =>
  (typeof config === 'string' ? config : (config?.text ?? '')).replace(/\s+/g, ' ').trim().slice(0, 100);

const stats = new Map();
const captured = [];
let writes = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  const pid = this.processID;
  if (!pid) return query.call(this, config, values, callback);
  const key = keyOf(config);
  if (process.env.STATEMENT_CPU_CAPTURE && key.startsWith('with input as')) {
    writes += 1;
    if (writes >= 40 && writes < 46) {
      captured.push({ text: config.text, values: config.values ?? values });
      writeFileSync(process.env.STATEMENT_CPU_CAPTURE, JSON.stringify(captured));
    }
  }
  const cpu = cpuNs(pid);
  const faulted = faults(pid);
  const done = () => {
    const sum = stats.get(key) ?? { statements: 0, cpuMs: 0, faults: 0 };
    sum.statements += 1;
    sum.cpuMs += (cpuNs(pid) - cpu) / 1e6;
    sum.faults += faults(pid) - faulted;
    stats.set(key, sum);
  };
  // node-postgres takes a callback as the 2nd or 3rd argument (pg-pool's query passes one), else returns a promise.
  if (typeof values === 'function') {
    const next = values;
    return query.call(this, config, (err, result) => (done(), next(err, result)));
  }
  if (typeof callback === 'function') {
    const next = callback;
    return query.call(this, config, values, (err, result) => (done(), next(err, result)));
  }
  const result = query.call(this, config, values);
  if (result && typeof result.then === 'function') result.then(done, done);
  return result;
};

const out = process.env.STATEMENT_CPU_OUT ?? `/tmp/statement-cpu-${process.pid}.json`;
setInterval(() => {
  const rows = [...stats].map(([statement, sum]) => ({ statement, ...sum })).sort((a, b) => b.cpuMs - a.cpuMs);
  writeFileSync(out, JSON.stringify(rows, null, 1));
}, 1000).unref();

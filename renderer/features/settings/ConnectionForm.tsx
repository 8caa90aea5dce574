// Server address, device id and token, checked by `config:connect` before anything is saved.
// Main tells a wrong token from an unreachable server; we show its message as it is.
import { useState } from 'react';
import { ConnectionInput, type AppConfig } from '../../../shared/ipc.js';
import { useConnect } from '../../api/mutations.js';

export const ConnectionForm = ({ config }: { config: AppConfig }) => {
  const [values, setValues] = useState({
    server_url: config.server_url ?? '',
    device_id: config.device_id ?? '',
    token: '',
  });
  const [problems, setProblems] = useState<Partial<Record<keyof typeof values, string>>>({});
  const connect = useConnect();
  const set = (change: Partial<typeof values>) => setValues((v) => ({ ...v, ...change }));

  const input = (name: keyof typeof values, label: string, type = 'text', hint?: string) => (
    <div className="form-row">
      <label htmlFor={`connection-${name}`}>{label}</label>
      <input
        id={`connection-${name}`}
        type={type}
        value={values[name]}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => set({ [name]: e.target.value })}
        aria-invalid={problems[name] ? true : undefined}
        aria-describedby={problems[name] ? `connection-${name}-problem` : undefined}
      />
      {hint && !problems[name] && <p className="muted">{hint}</p>}
      {problems[name] && (
        <p id={`connection-${name}-problem`} className="form-error">
          {problems[name]}
        </p>
      )}
    </div>
  );

  return (
    <form
      className="connection-form"
      aria-label="Server connection"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = ConnectionInput.safeParse(values);
        if (!parsed.success) {
          const found: typeof problems = {};
          for (const issue of parsed.error.issues) found[issue.path[0] as keyof typeof values] ??= issue.message;
          setProblems(found);
          return;
        }
        setProblems({});
        connect.mutate(parsed.data);
      }}
    >
      {input('server_url', 'Server URL', 'url', 'The address of your Insight server, e.g. http://nas.local:8000')}
      {input('device_id', 'Device ID', 'text', 'The id this Mac was enrolled with (npm run device:add)')}
      {input(
        'token',
        'Device token',
        'password',
        config.has_token ? 'A token is saved; enter it again to change the connection.' : undefined,
      )}
      <button type="submit" className="button button--primary" disabled={connect.isPending}>
        {connect.isPending ? 'Checking the connection…' : 'Connect'}
      </button>
      {connect.isError && (
        <div role="alert" className="form-error-summary">
          <p>
            <strong>Could not connect</strong>
          </p>
          <p>{connect.error.message}</p>
        </div>
      )}
      {connect.isSuccess && !connect.isPending && <p role="status">Connected to {connect.data.server_url}.</p>}
    </form>
  );
};

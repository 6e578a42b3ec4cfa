import { useState, type FormEvent } from 'react';
import { invoke, useQuery } from '../ipc';
import { ErrorBanner } from '../components/ui';
import type { IpcErrorBody } from '../../../shared/ipc/result';

type Kind = 'resource' | 'account' | 'tag';

const KIND_LABELS: Record<Kind, string> = { resource: 'Resource id / ARN', account: 'Account id', tag: 'Tag value' };

/**
 * The rules that attribute spend to models, editable here. Each change re-attributes all stored
 * spend at once (the engine rebuilds the daily rollup), so `onChanged` reloads the figures.
 */
export function AttributionRules({ onChanged }: { onChanged: () => void }) {
  const rules = useQuery('attribution/list', {});
  const [kind, setKind] = useState<Kind>('resource');
  const [tagKey, setTagKey] = useState('');
  const [pattern, setPattern] = useState('');
  const [model, setModel] = useState('');
  const [priority, setPriority] = useState('100');
  const [error, setError] = useState<IpcErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  const changed = () => {
    rules.reload();
    onChanged();
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const result = await invoke('attribution/add', { kind, tagKey: kind === 'tag' ? tagKey : null, pattern, model, priority: Number(priority) });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setPattern('');
    changed();
  };
  const remove = async (id: number) => {
    const result = await invoke('attribution/remove', { id });
    if (!result.ok) return setError(result.error);
    setError(null);
    changed();
  };

  return (
    <section className="panel" aria-labelledby="attr-h" data-testid="attribution-rules">
      <h2 id="attr-h" className="panel-title">
        Attribution rules
        <span className="panel-title-note muted">tried by priority before the ml:model tag; patterns use * and ?</span>
      </h2>
      {error && <ErrorBanner error={error} context="Rule not saved" />}
      {rules.data && rules.data.length > 0 && (
        <div className="table-wrap">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Priority
                </th>
                <th scope="col">Matches</th>
                <th scope="col">Model</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <tr key={r.id} data-testid="attribution-rule">
                  <td className="num">{r.priority}</td>
                  <td className="mono wrap">
                    {KIND_LABELS[r.kind]}
                    {r.kind === 'tag' ? ` ${r.tagKey}` : ''}: {r.pattern}
                  </td>
                  <td>{r.model}</td>
                  <td>
                    <button type="button" className="btn btn-secondary" onClick={() => void remove(r.id)} aria-label={`Remove rule ${r.id}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rules.data?.length === 0 && <p className="muted">No rules yet: spend counts for the model named by its ml:model tag, or as unattributed.</p>}
      <form className="attribution-form" onSubmit={(e) => void add(e)}>
        <label>
          <span>Match</span>
          <select aria-label="Rule matches" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {(Object.keys(KIND_LABELS) as Kind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {kind === 'tag' && (
          <label>
            <span>Tag key</span>
            <input aria-label="Tag key" value={tagKey} onChange={(e) => setTagKey(e.target.value)} required />
          </label>
        )}
        <label>
          <span>Pattern</span>
          <input aria-label="Pattern" value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder="arn:aws:sagemaker:*:endpoint/fraud-*" required />
        </label>
        <label>
          <span>Model</span>
          <input aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)} required />
        </label>
        <label>
          <span>Priority</span>
          <input aria-label="Priority" type="number" value={priority} onChange={(e) => setPriority(e.target.value)} min={0} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="attribution-add">
          Add rule
        </button>
      </form>
    </section>
  );
}

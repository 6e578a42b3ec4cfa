import { useEffect, useState } from 'react';
import { formatMoney } from '../../../shared/format/money';
import type { ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import type { SunsetDependents, SunsetSavingView } from '../../../shared/lifecycle/lifecycleViews';
import { invoke } from '../ipc';
import { Loading, Status } from '../components/ui';
import { LIFECYCLE_LABEL, LIFECYCLE_TONE, monthsSpan, yearTotal } from './format';

type CalcInput = ChannelInput<'lifecycle/calculate'>;
type CalcOutput = ChannelOutput<'lifecycle/calculate'>;

/** Asks the engine for the saving under the draft plan, 300 ms after the last change (nothing is written). */
export function useSunsetCalculation(input: CalcInput): { data: CalcOutput | undefined; error: IpcErrorBody | undefined; pending: boolean } {
  const [data, setData] = useState<CalcOutput | undefined>(undefined);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [pending, setPending] = useState(true);
  const key = JSON.stringify(input);
  useEffect(() => {
    let live = true;
    setPending(true);
    const timer = setTimeout(() => {
      void invoke('lifecycle/calculate', JSON.parse(key) as CalcInput).then((result) => {
        if (!live) return;
        setPending(false);
        if (result.ok) {
          setData(result.value);
          setError(undefined);
        } else setError(result.error);
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return { data, error, pending };
}

/** The saving as lines that add up to the net per month, then twelve months of it, and the basis. */
export function SavingLines({ saving, retirementDate, testId = 'saving-lines' }: { saving: SunsetSavingView; retirementDate?: string; testId?: string }) {
  const total = yearTotal(saving.perMonth);
  const firstMonth = saving.perMonth[0]?.month;
  // The engine counts the 12 months after today's month; a later retirement saves less in the months before it.
  const retiresLater = !!firstMonth && !!retirementDate && /^\d{4}-\d{2}-\d{2}$/.test(retirementDate) && retirementDate.slice(0, 7) >= firstMonth;
  return (
    <div className="sunset-saving" data-testid={testId}>
      <table className="sunset-lines">
        <caption className="visually-hidden">How the monthly saving is made up</caption>
        <tbody>
          {saving.lines.map((l, i) => (
            <tr key={i} data-testid="saving-line">
              <th scope="row">{l.label}</th>
              <td className="num nowrap">{i === 0 ? formatMoney(l.amount, saving.currency) : `${l.amount < 0 ? '− ' : '+ '}${formatMoney(Math.abs(l.amount), saving.currency)}`}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="sunset-net">
            <th scope="row">= Net saving per month</th>
            <td className="num nowrap" data-testid="saving-net">
              {formatMoney(saving.net, saving.currency)}
            </td>
          </tr>
          {saving.perMonth.length > 0 && (
            <tr className="sunset-year">
              <th scope="row">
                Saving over 12 months
                <span className="cell-sub">{monthsSpan(saving.perMonth)}</span>
              </th>
              <td className="num nowrap" data-testid="saving-year">
                {formatMoney(total, saving.currency)}
              </td>
            </tr>
          )}
        </tfoot>
      </table>
      {retiresLater && (
        <p className="field-note sunset-basis" data-testid="saving-horizon-note">
          Counted from {firstMonth}: until the retirement date ({retirementDate}) the version is still paid for.
        </p>
      )}
      <p className="field-note sunset-basis" data-testid="saving-basis">
        Basis: {saving.basis}.
      </p>
      {saving.perMonth.some((m) => m.saving !== saving.net) && (
        <details className="sunset-months">
          <summary>Month by month (commitments end part-way)</summary>
          <ul className="sunset-month-list">
            {saving.perMonth.map((m) => (
              <li key={m.month}>
                <span className="mono">{m.month}</span> <span className="num-inline">{formatMoney(m.saving, saving.currency)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** Who still depends on the version: serving endpoints by name, then what is downstream of it. */
export function DependentsList({ dependents, testId = 'sunset-dependents' }: { dependents: SunsetDependents; testId?: string }) {
  const first = dependents.downstream.slice(0, 5);
  const more = dependents.downstream.length - first.length;
  return (
    <div className="sunset-dependents" data-testid={testId}>
      <p className="no-margin">
        <strong>Deployments:</strong>{' '}
        {dependents.deployments.length === 0 ? (
          <span className="muted">none serve it (per lineage)</span>
        ) : (
          dependents.deployments.map((d, i) => (
            <span key={d.key}>
              {i > 0 && ', '}
              <span className="chip" title={d.key} data-testid="dependent-deployment">
                {d.label}
              </span>
            </span>
          ))
        )}
      </p>
      <p className="no-margin">
        <strong>Downstream:</strong> {dependents.downstream.length}
        {dependents.truncated ? '+ (the walk stopped at its cap)' : ''}
        {dependents.downstream.length === 0 && <span className="muted"> nothing reads or was made from it</span>}
      </p>
      {first.length > 0 && (
        <ul className="sunset-downstream">
          {first.map((d) => (
            <li key={d.key} title={d.key}>
              <span className="muted">{d.kind.replace('_', ' ')}</span> {d.label}
            </li>
          ))}
          {more > 0 && <li className="muted">and {more} more</li>}
        </ul>
      )}
    </div>
  );
}

/** The calculator panel beside the sunset form: live, so a planner sees what each change does. */
export function SunsetCalculator({ input, retirementDate }: { input: CalcInput; retirementDate?: string }) {
  const calc = useSunsetCalculation(input);
  return (
    <section className="panel sunset-calculator" aria-labelledby="calc-h" aria-live="polite" data-testid="sunset-calculator">
      <h2 id="calc-h" className="panel-title">
        Saving calculator
        {calc.pending && calc.data && <span className="spinner" role="status" aria-label="Recalculating" />}
      </h2>
      {calc.error && (
        <p className="dialog-error" role="alert">
          {calc.error.message}
        </p>
      )}
      {!calc.data && !calc.error && <Loading label="Calculating the saving…" />}
      {calc.data && (
        <>
          <SavingLines saving={calc.data.saving} retirementDate={retirementDate} />
          <h3 className="block-title">Who depends on it</h3>
          <DependentsList dependents={calc.data.dependents} />
          <p className="field-note">
            The version is now{' '}
            <Status tone={LIFECYCLE_TONE[calc.data.lifecycle.state]} testId="calc-lifecycle">
              {LIFECYCLE_LABEL[calc.data.lifecycle.state]}
            </Status>
            . Nothing is written until you propose the sunset.
          </p>
        </>
      )}
    </section>
  );
}

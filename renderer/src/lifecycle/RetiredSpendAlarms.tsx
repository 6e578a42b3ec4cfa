import { formatMoney } from '../../../shared/format/money';
import type { RetiredSpendAlarm } from '../../../shared/lifecycle/lifecycleViews';
import { modelHref } from '../router';

/**
 * Spend still arriving after a version's retirement date: an alarm (icon, words and colour), shown on
 * the Spend and Lifecycle views. The money is either a resource nobody turned off or a tag that is wrong.
 */
export function RetiredSpendAlarms({ alarms, testId = 'retired-spend-alarm' }: { alarms: readonly RetiredSpendAlarm[] | undefined; testId?: string }) {
  if (!alarms || alarms.length === 0) return null;
  return (
    <div className="banner banner-error retired-spend" role="alert" data-testid={testId}>
      <span className="banner-icon" aria-hidden="true">
        ⚠
      </span>
      <div className="banner-body">
        <p className="banner-title">
          Spend after retirement: {alarms.length === 1 ? 'a retired version is still being paid for' : `${alarms.length} retired versions are still being paid for`}
        </p>
        <ul className="retired-spend-list">
          {alarms.map((a) => (
            <li key={`${a.model}@${a.version}:${a.currency}`} data-testid="retired-spend-item">
              <span aria-hidden="true">⚠ </span>
              <a href={modelHref(a.model, a.version)}>
                {a.model}
                <span className="mono">@{a.version}</span>
              </a>{' '}
              retired {a.retirementDate}, still <strong>{formatMoney(a.spendAfter, a.currency)}</strong> {a.firstDay === a.lastDay ? `on ${a.firstDay}` : `since ${a.firstDay} (to ${a.lastDay})`}
              <span className="muted"> · spend tagged “{a.tagValue}”</span>
            </li>
          ))}
        </ul>
        <p className="banner-meta">Turn off what still serves it, or fix the tag if the spend belongs to something else.</p>
      </div>
    </div>
  );
}

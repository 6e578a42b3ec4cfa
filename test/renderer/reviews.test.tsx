// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { IpcResult } from '../../shared/ipc/result';
import type { ChecklistResult, RuleResult } from '../../shared/policy/evidence';
import type { ReviewDetail, ReviewSummary } from '../../shared/reviews/reviewViews';
import type { ReviewerKey } from '../../shared/signing/reviewerKey';
import { ReviewsInbox } from '../../renderer/src/reviews/ReviewsInbox';
import { DecisionDialog } from '../../renderer/src/reviews/DecisionDialog';
import { ReviewPage } from '../../renderer/src/reviews/ReviewPage';
import { SettingsView } from '../../renderer/src/views/SettingsView';
import { approvalsText, dueText, flattenForDiff, reviewVerdict } from '../../renderer/src/reviews/format';

type Handler = (input: unknown) => IpcResult<unknown> | Promise<IpcResult<unknown>>;
let handlers: Record<string, Handler>;
const calls: { channel: string; input: unknown }[] = [];

beforeEach(() => {
  calls.length = 0;
  handlers = {};
  const api = {
    invoke: async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      const h = handlers[channel];
      return h ? h(input) : { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no ${channel}` } };
    },
    on: () => () => undefined,
  };
  (window as unknown as { docket: DocketApi }).docket = api as unknown as DocketApi;
});
afterEach(() => cleanup());

const NOW = new Date('2026-11-26T12:00:00Z');
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

function summary(over: Partial<ReviewSummary> = {}): ReviewSummary {
  return {
    id: 1,
    model: 'credit-default-pd',
    version: '2',
    state: 'in_review',
    trigger: 'manual',
    openedAt: '2026-11-20T09:00:00Z',
    openedBy: 'maria',
    dueAt: '2026-11-23T23:59:59Z',
    assignees: ['maria', 'tomas'],
    overdue: true,
    dueSoon: false,
    checklistResult: 'fail',
    evidenceResult: 'fail',
    approvals: 1,
    approvalsNeeded: 2,
    updatedAt: '2026-11-21T09:00:00Z',
    ...over,
  };
}

function rule(over: Partial<RuleResult>): RuleResult {
  return { id: 'high.fairness', title: 'Group disparities within thresholds', kind: 'fairness', controls: ['DKT-FAIR-01'], status: 'pass', reason: 'ok', evidence: [], ...over };
}

function checklist(rules: RuleResult[], over: Partial<ChecklistResult> = {}): ChecklistResult {
  return {
    policy: { name: 'Docket default policy pack', version: '2026.1' },
    model: { name: 'credit-default-pd', version: '2' },
    tier: { id: 'high', source: 'default' } as unknown as ChecklistResult['tier'],
    asOf: '2026-11-26T12:00:00Z',
    result: 'fail',
    evidenceResult: rules.some((r) => r.kind !== 'approvals' && (r.status === 'fail' || r.status === 'missing')) ? 'fail' : 'pass',
    awaitingApprovals: !rules.some((r) => r.kind !== 'approvals' && (r.status === 'fail' || r.status === 'missing')),
    rules,
    ...over,
  };
}

function detail(over: Partial<ReviewDetail> = {}): ReviewDetail {
  const rules = [
    rule({ status: 'fail', reason: 'Outside the threshold: disparate_impact_ratio 0.74 < 0.8', evidence: [{ kind: 'fairness', ref: '#/models/credit-default-pd@2/fairness', label: 'Fairness evaluation #1', detail: 'disparate_impact_ratio 0.741 >= 0.8: fail' }] }),
    rule({ id: 'high.approvals', kind: 'approvals', title: 'Two approvals', controls: ['DKT-GOV-03'], status: 'missing', reason: 'Awaiting approvals: 1 of 2 required approver(s) have signed; still needed: an approval from each of compliance.' }),
  ];
  return {
    ...summary(),
    checklist: checklist(rules),
    evidenceHash: 'c'.repeat(64),
    diff: null,
    decisions: [],
    comments: [],
    allowedActions: ['approve', 'reject', 'request-changes', 'withdraw', 'waive'],
    authors: ['Ingrid Solberg'],
    writeBack: null,
    ...over,
  };
}

function key(keyId: string, over: Partial<ReviewerKey & { hasPrivateKey: boolean; inKeychain: boolean }> = {}): ReviewerKey & { hasPrivateKey: boolean } {
  return {
    keyId,
    name: 'Rita Okafor',
    role: 'model-risk',
    publicKeyPem: '-----BEGIN PUBLIC KEY-----',
    origin: 'local',
    addedAt: '2026-11-01T00:00:00Z',
    trusted: true,
    trustedAt: '2026-11-01T00:00:00Z',
    trustedBy: 'rita',
    revokedAt: null,
    revokedBy: null,
    revokeReason: null,
    replacedBy: null,
    hasPrivateKey: true,
    ...over,
  };
}

function statement() {
  return {
    _type: 'https://docket.dev/decision/v1',
    decision: 'request-changes',
    subject: { model: 'credit-default-pd', version: '2' },
    rationale: 'Re-evaluate.',
    evidence: { sha256: 'd'.repeat(64) },
    checklist: { policy: { name: 'Docket default policy pack', version: '2026.1' }, tier: 'high', result: 'fail', evidenceResult: 'fail', rules: [{ id: 'high.fairness', status: 'fail' }] },
    signer: { keyId: KEY_A, name: 'Rita Okafor', role: 'model-risk' },
    signedAt: '2026-11-26T12:00:00.000Z',
    auditHead: { seq: 4, hash: 'e'.repeat(64) },
  };
}

describe('review formatting', () => {
  it('says how a due date stands, in days', () => {
    expect(dueText('2026-11-23T23:59:59Z', true, NOW)).toMatchObject({ date: '2026-11-23', note: 'overdue by 3 days', tone: 'bad' });
    expect(dueText('2026-11-26T11:00:00Z', true, NOW)).toMatchObject({ note: 'overdue by 1 day' });
    expect(dueText('2026-11-28T23:59:59Z', true, NOW)).toMatchObject({ note: 'due in 2 days', tone: 'warn' });
    expect(dueText('2026-11-26T20:00:00Z', true, NOW)).toMatchObject({ note: 'due today' });
    expect(dueText('2026-11-20T00:00:00Z', false, NOW)).toMatchObject({ note: null });
    expect(dueText(null, true, NOW)).toMatchObject({ date: '—', note: 'no due date' });
    expect(approvalsText(1, 2)).toBe('1 of 2');
    expect(approvalsText(0, null)).toBe('none needed');
  });

  it('answers "can I approve?" first: blockers, or the approvals still awaited with their roles', () => {
    const blocked = reviewVerdict(detail());
    expect(blocked.tone).toBe('bad');
    expect(blocked.headline).toBe('Blocked by 1 rule: Group disparities within thresholds');
    const ready = reviewVerdict(detail({ checklist: checklist([rule({ status: 'pass' }), detail().checklist.rules[1]!]) }));
    expect(ready.headline).toBe('Ready to approve — awaiting 1 more approval (compliance)');
    expect(reviewVerdict(detail({ state: 'approved' })).headline).toBe('Approved');
  });

  it('flattens an added object into readable lines', () => {
    const flat = flattenForDiff({ id: 6, sha256: 'f'.repeat(64), dataset: null, sensitiveFeatures: ['sex'], measures: { dir: { value: 0.86111, reason: null } } });
    expect(flat.lines.map((l) => `${l.path}: ${l.text}`)).toEqual(['id: 6', `sha256: ${'f'.repeat(47)}…`, 'sensitiveFeatures: sex', 'measures.dir.value: 0.8611']);
    expect(flat.more).toBe(0);
  });
});

describe('ReviewsInbox', () => {
  it('lists reviews with state, checklist, approvals "1 of 2", overdue days and assignees, linking model and review', async () => {
    handlers['reviews/list'] = (input) => ({ ok: true, value: (input as { filter: string }).filter === 'open' ? [summary(), summary({ id: 2, model: 'churn', version: '3', state: 'changes_requested', overdue: false, dueAt: null, assignees: [], checklistResult: 'pass', approvals: 0, approvalsNeeded: 1 })] : [] });
    render(<ReviewsInbox now={NOW} />);
    const table = await screen.findByTestId('reviews-table');
    const rows = within(table).getAllByTestId('review-row');
    expect(rows).toHaveLength(2);
    const first = rows[0]!;
    expect(first.textContent).toContain('In review');
    expect(within(first).getByTestId('review-approvals').textContent).toBe('1 of 2');
    expect(within(first).getByTestId('review-due').textContent).toContain('overdue by 3 days');
    expect(first.textContent).toContain('maria, tomas');
    expect(within(first).getByTestId('review-checklist').textContent).toContain('fail');
    expect(within(first).getByRole('link', { name: /credit-default-pd/ }).getAttribute('href')).toBe('#/models/credit-default-pd@2');
    expect(within(first).getByRole('link', { name: 'Review #1' }).getAttribute('href')).toBe('#/reviews/1');
    const second = rows[1]!;
    expect(second.textContent).toContain('Changes requested');
    expect(second.textContent).toContain('unassigned');
    expect(second.textContent).toContain('no due date');

    // Filters ask the engine again; an empty filter teaches what it means.
    fireEvent.click(screen.getByRole('tab', { name: 'Mine' }));
    expect(await screen.findByText('Nothing assigned to you')).toBeTruthy();
    expect(calls.filter((c) => c.channel === 'reviews/list').map((c) => (c.input as { filter: string }).filter)).toEqual(['open', 'mine']);
  });

  it('teaches the next step when there is no review, and opens one from a model version', async () => {
    handlers['reviews/list'] = () => ({ ok: true, value: [] });
    handlers['models/names'] = () => ({ ok: true, value: ['credit-default-pd', 'churn'] });
    handlers['models/show'] = () => ({ ok: true, value: { version: '3', versions: [{ version: '1' }, { version: '2' }, { version: '3' }] } });
    handlers['reviews/open'] = () => ({ ok: true, value: { id: 9 } });
    render(<ReviewsInbox now={NOW} />);
    const empty = await screen.findByTestId('reviews-empty');
    expect(empty.textContent).toMatch(/Open review/);
    fireEvent.click(within(empty).getByRole('button', { name: 'Open a review' }));
    fireEvent.change(await screen.findByTestId('open-review-model'), { target: { value: 'credit-default-pd' } });
    await waitFor(() => expect(screen.getByTestId('open-review-version').querySelectorAll('option')).toHaveLength(3));
    fireEvent.change(screen.getByTestId('open-review-version'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('Assignees'), { target: { value: 'maria, tomas ' } });
    fireEvent.click(screen.getByTestId('open-review-submit'));
    await waitFor(() => expect(window.location.hash).toBe('#/reviews/9'));
    const open = calls.find((c) => c.channel === 'reviews/open')!.input as Record<string, unknown>;
    expect(open).toMatchObject({ model: 'credit-default-pd', version: '2', assignees: ['maria', 'tomas'] });
    expect(open.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('DecisionDialog', () => {
  beforeEach(() => {
    handlers['keys/list'] = () => ({ ok: true, value: [key(KEY_A), key(KEY_B, { name: 'Imported Ian', trusted: false, hasPrivateKey: false, origin: 'imported' })] });
  });

  it('shows the blockers and keeps Sign disabled with the reason', async () => {
    handlers['reviews/preview'] = () => ({ ok: true, value: { statement: null, payloadType: 'application/vnd.docket.decision+json', evidenceHash: '', blockers: ['cannot approve while 1 rule(s) do not pass: high.fairness (fail)'] } });
    render(<DecisionDialog review={detail()} kind="approve" onClose={() => undefined} onDecided={() => undefined} />);
    const dialog = screen.getByRole('dialog', { name: 'Approve this release' });
    // Only keys that can sign here are offered.
    await waitFor(() => expect((within(dialog).getByLabelText('Sign as') as HTMLSelectElement).value).toBe(KEY_A));
    const options = within(dialog).getByLabelText('Sign as').querySelectorAll('option');
    expect([...options].map((o) => o.textContent)).toEqual([`Rita Okafor (model-risk) · key ${KEY_A.slice(0, 12)}`]);
    fireEvent.change(within(dialog).getByLabelText(/Rationale/), { target: { value: 'Looks fine.' } });
    const blockers = await within(dialog).findByTestId('decision-blockers');
    expect(blockers.textContent).toContain('high.fairness');
    fireEvent.change(within(dialog).getByLabelText(/Passphrase for/), { target: { value: 'secret-pass' } });
    const signButton = within(dialog).getByTestId('decision-sign') as HTMLButtonElement;
    expect(signButton.disabled).toBe(true);
    expect(within(dialog).getByTestId('decision-why').textContent).toMatch(/blocked/);
    expect(within(dialog).queryByTestId('decision-summary')).toBeNull();
    expect(calls.some((c) => c.channel === 'reviews/decide')).toBe(false);
  });

  it('shows what will be signed, signs with the passphrase, and clears it', async () => {
    handlers['reviews/preview'] = () => ({ ok: true, value: { statement: statement(), payloadType: 'application/vnd.docket.decision+json', evidenceHash: 'd'.repeat(64), blockers: [] } });
    let attempts = 0;
    handlers['reviews/decide'] = () => (++attempts === 1 ? { ok: false, error: { code: 'REJECTED', message: 'wrong passphrase for key aaaaaaaaaaaa' } } : { ok: true, value: { decisionId: 1, digest: 'x', state: 'changes_requested', evidenceHash: 'd'.repeat(64), writeBack: null } });
    const onDecided = vi.fn();
    render(<DecisionDialog review={detail()} kind="request-changes" onClose={() => undefined} onDecided={onDecided} />);
    const dialog = screen.getByRole('dialog', { name: 'Request changes' });
    const summaryEl = await within(dialog).findByTestId('decision-summary');
    expect(summaryEl.textContent).toContain('credit-default-pd@2');
    expect(summaryEl.textContent).toContain('d'.repeat(64));
    expect(summaryEl.textContent).toContain('Docket default policy pack v2026.1');
    expect(summaryEl.textContent).toContain('Rita Okafor (model-risk)');
    expect(within(dialog).getByTestId('decision-raw').textContent).toContain('"_type"');
    const sign = within(dialog).getByTestId('decision-sign') as HTMLButtonElement;
    expect(sign.disabled).toBe(true);
    expect(within(dialog).getByTestId('decision-why').textContent).toMatch(/rationale/i);

    fireEvent.change(within(dialog).getByLabelText(/Rationale/), { target: { value: 'Re-evaluate on the 2026 holdout.' } });
    await waitFor(() => expect(within(dialog).getByTestId('decision-why').textContent).toMatch(/passphrase/));
    const pass = within(dialog).getByLabelText(/Passphrase for/) as HTMLInputElement;
    expect(pass.type).toBe('password');
    expect(pass.getAttribute('autocomplete')).toBe('off');
    fireEvent.change(pass, { target: { value: 'wrong-one' } });
    await waitFor(() => expect(sign.disabled).toBe(false));
    await act(async () => fireEvent.click(sign));
    expect((await within(dialog).findByTestId('decision-error')).textContent).toContain('wrong passphrase');
    expect(pass.value).toBe('');
    expect(onDecided).not.toHaveBeenCalled();

    fireEvent.change(pass, { target: { value: 'right-one' } });
    await act(async () => fireEvent.click(sign));
    await waitFor(() => expect(onDecided).toHaveBeenCalledWith('changes_requested'));
    const decides = calls.filter((c) => c.channel === 'reviews/decide').map((c) => c.input as Record<string, unknown>);
    expect(decides[1]).toMatchObject({ id: 1, kind: 'request-changes', keyId: KEY_A, rationale: 'Re-evaluate on the 2026 holdout.', passphrase: 'right-one' });
    expect(pass.value).toBe('');
  });

  it('asks for the rule and expiry of a waiver, and closes on Escape', async () => {
    handlers['reviews/preview'] = () => ({ ok: true, value: { statement: { ...statement(), decision: 'waive', waiver: { ruleId: 'high.fairness', expiresAt: '2026-12-26T23:59:59.000Z' } }, payloadType: 'p', evidenceHash: 'd'.repeat(64), blockers: [] } });
    const onClose = vi.fn();
    render(<DecisionDialog review={detail()} kind="waive" onClose={onClose} onDecided={() => undefined} />);
    const dialog = screen.getByRole('dialog', { name: 'Waive a rule' });
    const ruleSelect = within(dialog).getByLabelText('Rule to waive') as HTMLSelectElement;
    // The failing rule is chosen; approvals cannot be waived, so they are not offered.
    expect(ruleSelect.value).toBe('high.fairness');
    expect([...ruleSelect.querySelectorAll('option')].map((o) => o.getAttribute('value'))).toEqual(['', 'high.fairness']);
    expect(within(dialog).getByLabelText(/Waiver expires/)).toBeTruthy();
    await within(dialog).findByTestId('decision-summary');
    const preview = calls.filter((c) => c.channel === 'reviews/preview').at(-1)!.input as { waiver: { ruleId: string; expiresAt: string } };
    expect(preview.waiver.ruleId).toBe('high.fairness');
    expect(preview.waiver.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59Z$/);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });

  it('says where to get a key when none can sign here', async () => {
    handlers['keys/list'] = () => ({ ok: true, value: [key(KEY_B, { trusted: false, hasPrivateKey: false })] });
    render(<DecisionDialog review={detail()} kind="approve" onClose={() => undefined} onDecided={() => undefined} />);
    const banner = await screen.findByTestId('no-signing-key');
    expect(within(banner).getByRole('link', { name: /Settings/ }).getAttribute('href')).toBe('#/settings');
    expect((screen.getByTestId('decision-sign') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('ReviewPage', () => {
  it('leads with the verdict and offers only the allowed actions', async () => {
    handlers['reviews/show'] = () => ({
      ok: true,
      value: detail({
        state: 'changes_requested',
        allowedActions: ['approve', 'reject', 'request-changes', 'resubmit', 'withdraw', 'waive'],
        diff: { baseline: 'since Rita chose "request-changes" on 2026-11-25', sectionsChanged: ['fairness'], truncated: false, changes: [{ section: 'fairness', path: 'fairness.evaluations[6]', kind: 'added', after: { id: 6, sourceFile: 'v3.csv' } }] },
        decisions: [{ id: 1, digest: 'g'.repeat(64), kind: 'request-changes', signer: 'Rita Okafor', role: 'model-risk', keyId: KEY_A, signedAt: '2026-11-25T10:00:00Z', rationale: 'Fix fairness.', evidenceHash: 'h'.repeat(64), origin: 'local', verified: false, verification: 'key aaaa was revoked', waiver: null, current: false }],
      }),
    });
    handlers['spend/summary'] = () => ({ ok: true, value: { by: 'model', from: null, to: null, rows: [], daily: [], coverage: { firstDay: null, lastDay: null, files: [] } } });
    render(<ReviewPage id={1} now={NOW} />);
    const verdict = await screen.findByTestId('review-verdict');
    expect(verdict.textContent).toContain('Blocked by 1 rule: Group disparities within thresholds');
    const actions = screen.getByRole('group', { name: 'Decisions you can make' });
    expect(within(actions).getAllByRole('button').map((b) => b.getAttribute('data-testid'))).toEqual(['action-resubmit', 'action-approve', 'action-request-changes', 'action-waive', 'action-reject', 'action-withdraw']);
    const failing = screen.getAllByTestId('rule').find((r) => r.getAttribute('data-status') === 'fail')!;
    expect(failing.textContent).toContain('Fail');
    expect(failing.textContent).toContain('DKT-FAIR-01');
    expect(within(failing).getByRole('link', { name: 'Fairness evaluation #1' }).getAttribute('href')).toBe('#/models/credit-default-pd@2/fairness');
    const diff = screen.getByTestId('review-diff');
    expect(diff.textContent).toContain('since Rita chose');
    expect(within(diff).getByTestId('diff-section').textContent).toMatch(/Fairness[\s\S]*evaluations\[6\][\s\S]*added[\s\S]*sourceFile: v3\.csv/);
    const decision = screen.getByTestId('decision');
    expect(decision.textContent).toContain('NOT verified: key aaaa was revoked');
    expect(decision.textContent).toContain('earlier evidence');
    expect(decision.textContent).toContain(KEY_A.slice(0, 12));

    fireEvent.click(screen.getByTestId('action-request-changes'));
    expect(screen.getByRole('dialog', { name: 'Request changes' })).toBeTruthy();
  });
});

describe('SettingsView', () => {
  it('lists keys with trust badges, trusts an imported key, revokes with a reason, and checks the passphrase twice', async () => {
    let keys = [key(KEY_A), key(KEY_B, { name: 'Imported Ian', role: 'compliance', trusted: false, trustedAt: null, hasPrivateKey: false, origin: 'imported' })];
    handlers['keys/list'] = () => ({ ok: true, value: keys });
    handlers['keys/trust'] = () => {
      keys = [keys[0]!, { ...keys[1]!, trusted: true }];
      return { ok: true, value: keys[1] };
    };
    handlers['keys/revoke'] = (input) => ({ ok: true, value: { ...keys[0]!, revokedAt: '2026-11-26T00:00:00Z', revokeReason: (input as { reason: string }).reason } });
    handlers['keys/generate'] = () => ({ ok: true, value: key('c'.repeat(64), { name: 'New Nina' }) });
    handlers['policy/list'] = () => ({ ok: true, value: [{ id: null, name: 'Docket default policy pack', version: '2026.1', sourcePath: 'resources/policies (shipped)', importedAt: null, active: true }] });
    render(<SettingsView />);
    const rows = await screen.findAllByTestId('key-row');
    expect(rows[0]!.textContent).toMatch(/Rita Okafor[\s\S]*model-risk[\s\S]*aaaaaaaaaaaa…[\s\S]*generated here[\s\S]*Trusted[\s\S]*can sign here/);
    expect(within(rows[0]!).getByTitle(KEY_A)).toBeTruthy();
    expect(rows[1]!.textContent).toMatch(/Not trusted/);
    expect(rows[1]!.textContent).not.toMatch(/can sign here/);
    expect(screen.getByTestId('policy-row').textContent).toMatch(/Docket default policy pack[\s\S]*Active/);

    fireEvent.click(within(rows[1]!).getByTestId('key-trust'));
    await waitFor(() => expect(screen.getAllByTestId('key-row')[1]!.textContent).toMatch(/Trusted/));
    expect(calls.find((c) => c.channel === 'keys/trust')!.input).toEqual({ keyId: KEY_B });

    fireEvent.click(within(screen.getAllByTestId('key-row')[0]!).getByTestId('key-revoke'));
    const confirm = screen.getByTestId('key-revoke-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Reason for revoking'), { target: { value: 'laptop lost' } });
    await act(async () => fireEvent.click(confirm));
    expect(calls.find((c) => c.channel === 'keys/revoke')!.input).toEqual({ keyId: KEY_A, reason: 'laptop lost' });

    fireEvent.click(screen.getByTestId('key-generate-toggle'));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'New Nina' } });
    fireEvent.change(screen.getByLabelText('Review role'), { target: { value: 'compliance' } });
    fireEvent.change(screen.getByLabelText('Passphrase (8+ characters)'), { target: { value: 'long enough 1' } });
    fireEvent.change(screen.getByLabelText('Passphrase again'), { target: { value: 'long enough 2' } });
    await act(async () => fireEvent.click(screen.getByTestId('key-generate-submit')));
    expect(screen.getByRole('alert').textContent).toMatch(/differ/);
    expect(calls.some((c) => c.channel === 'keys/generate')).toBe(false);
    fireEvent.change(screen.getByLabelText('Passphrase again'), { target: { value: 'long enough 1' } });
    await act(async () => fireEvent.click(screen.getByTestId('key-generate-submit')));
    await screen.findByText(/Generated New Nina/);
    expect(calls.find((c) => c.channel === 'keys/generate')!.input).toEqual({ name: 'New Nina', role: 'compliance', passphrase: 'long enough 1' });
  });
});

describe('DecisionDialog and the OS keychain', () => {
  const preview = () => ({ ok: true, value: { statement: statement(), payloadType: 'application/vnd.docket.decision+json', evidenceHash: 'd'.repeat(64), blockers: [] } }) as IpcResult<unknown>;
  const decided = () => ({ ok: true, value: { decisionId: 1, digest: 'x', state: 'changes_requested', evidenceHash: 'd'.repeat(64), writeBack: null } }) as IpcResult<unknown>;
  const usable = () => ({ ok: true, value: { usable: true, backend: 'gnome_libsecret', reason: null } }) as IpcResult<unknown>;
  const basicText = "the OS keychain backend is 'basic_text' (no secret service or KWallet was found), which keeps secrets under a hard-coded password, so the private key is not stored";
  beforeEach(() => {
    handlers['reviews/preview'] = preview;
    handlers['reviews/decide'] = decided;
  });

  async function openDialog(onDecided = vi.fn()) {
    render(<DecisionDialog review={detail()} kind="request-changes" onClose={() => undefined} onDecided={onDecided} />);
    const dialog = screen.getByRole('dialog', { name: 'Request changes' });
    await within(dialog).findByTestId('decision-summary');
    fireEvent.change(within(dialog).getByLabelText(/Rationale/), { target: { value: 'Re-evaluate on the 2026 holdout.' } });
    return dialog;
  }

  it('signs a remembered key without a passphrase, saying the OS keychain unlocks it', async () => {
    handlers['keys/list'] = () => ({ ok: true, value: [key(KEY_A, { inKeychain: true })] });
    handlers['keys/keychain'] = usable;
    const onDecided = vi.fn();
    const dialog = await openDialog(onDecided);
    expect((await within(dialog).findByTestId('decision-keychain-note')).textContent).toMatch(/Unlocked by the OS keychain/);
    expect(within(dialog).queryByLabelText(/Passphrase for/)).toBeNull();
    const sign = within(dialog).getByTestId('decision-sign') as HTMLButtonElement;
    await waitFor(() => expect(sign.disabled).toBe(false));
    await act(async () => fireEvent.click(sign));
    await waitFor(() => expect(onDecided).toHaveBeenCalledWith('changes_requested'));
    const input = calls.find((c) => c.channel === 'reviews/decide')!.input as Record<string, unknown>;
    expect(input).toMatchObject({ id: 1, keyId: KEY_A, kind: 'request-changes' });
    expect('passphrase' in input).toBe(false);
  });

  it('falls back to the passphrase when the keychain cannot open the key', async () => {
    handlers['keys/list'] = () => ({ ok: true, value: [key(KEY_A, { inKeychain: true })] });
    handlers['keys/keychain'] = usable;
    handlers['reviews/decide'] = () => ({ ok: false, error: { code: 'REJECTED', message: 'the sealed private key could not be opened by the OS keychain: … type the passphrase, then remember the key again' } });
    const dialog = await openDialog();
    const sign = within(dialog).getByTestId('decision-sign') as HTMLButtonElement;
    await waitFor(() => expect(sign.disabled).toBe(false));
    await act(async () => fireEvent.click(sign));
    expect((await within(dialog).findByTestId('decision-error')).textContent).toMatch(/could not be opened by the OS keychain/);
    expect(await within(dialog).findByLabelText(/Passphrase for/)).toBeTruthy();
    expect(within(dialog).queryByTestId('decision-keychain-note')).toBeNull();
  });

  it('offers "Remember this key in the OS keychain" with the passphrase, and sends it', async () => {
    handlers['keys/list'] = () => ({ ok: true, value: [key(KEY_A, { inKeychain: false })] });
    handlers['keys/keychain'] = usable;
    const dialog = await openDialog();
    const remember = within(dialog).getByLabelText('Remember this key in the OS keychain') as HTMLInputElement;
    await waitFor(() => expect(remember.disabled).toBe(false));
    expect(remember.checked).toBe(false);
    fireEvent.click(remember);
    expect(remember.checked).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/Passphrase for/), { target: { value: 'right-one' } });
    const sign = within(dialog).getByTestId('decision-sign') as HTMLButtonElement;
    await waitFor(() => expect(sign.disabled).toBe(false));
    await act(async () => fireEvent.click(sign));
    await waitFor(() => expect(calls.some((c) => c.channel === 'reviews/decide')).toBe(true));
    expect(calls.find((c) => c.channel === 'reviews/decide')!.input).toMatchObject({ passphrase: 'right-one', remember: true });
  });

  it("disables the option with the engine's reason when the keychain is basic_text", async () => {
    handlers['keys/list'] = () => ({ ok: true, value: [key(KEY_A)] });
    handlers['keys/keychain'] = () => ({ ok: true, value: { usable: false, backend: 'basic_text', reason: basicText } });
    const dialog = await openDialog();
    const reason = await within(dialog).findByTestId('decision-keychain-reason');
    expect(reason.textContent).toContain("'basic_text'");
    const remember = within(dialog).getByLabelText('Remember this key in the OS keychain') as HTMLInputElement;
    expect(remember.disabled).toBe(true);
    expect(remember.getAttribute('aria-describedby')).toBe(reason.id);
    fireEvent.change(within(dialog).getByLabelText(/Passphrase for/), { target: { value: 'right-one' } });
    const sign = within(dialog).getByTestId('decision-sign') as HTMLButtonElement;
    await waitFor(() => expect(sign.disabled).toBe(false));
    await act(async () => fireEvent.click(sign));
    await waitFor(() => expect(calls.some((c) => c.channel === 'reviews/decide')).toBe(true));
    expect('remember' in (calls.find((c) => c.channel === 'reviews/decide')!.input as object)).toBe(false);
  });
});

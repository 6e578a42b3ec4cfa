import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What the review, audit, pack and CLI tests share: a small policy pack whose outcome is easy to
 * reason about (the card must say what the model is not for; a model lead and model risk approve),
 * and the demo card for fraud-score-card-txn v3, whole or without its out-of-scope section.
 */

export const TWO_APPROVER_PACK = `
name: Test pack
version: "1"
tiering: { tagKeys: [risk-tier], default: high }
riskTiers:
  high:
    title: High
    rules:
      - id: high.card-sections
        kind: card-sections
        title: Card says what the model is not for
        controls: [DKT-DOC-01]
        sections: [intendedUse, outOfScopeUse]
      - id: high.approvals
        kind: approvals
        title: A model lead and model risk approve
        controls: [DKT-GOV-03]
        minApprovers: 2
        requiredRoles: { mode: all-of, roles: [ml-lead, model-risk] }
        authorMayNotApprove: true
`;

export const FRAUD_MODEL = 'fraud-score-card-txn';
export const FRAUD_CARD_PATH = resolve('resources/demo/cards/fraud-score-card-txn/v3/README.md');

/** The complete v3 card's text. */
export function fraudCard(): string {
  return readFileSync(FRAUD_CARD_PATH, 'utf8');
}

/** The same card with its "Out-of-Scope Use" section cut out, so the pack's card rule fails. */
export function fraudCardWithoutOutOfScope(): string {
  const text = fraudCard();
  return text.slice(0, text.indexOf('### Out-of-Scope Use')) + text.slice(text.indexOf('## Bias, Risks, and Limitations'));
}

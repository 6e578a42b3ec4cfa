/**
 * The names of every channel and event, without their schemas: what the sandboxed preload needs
 * to refuse unknown channels, kept free of zod so the preload stays a small self-contained file.
 * contract.ts checks at compile time that its map has exactly these keys.
 */
export const CHANNELS = [
  'app/info',
  'models/list',
  'models/page',
  'models/stats',
  'models/names',
  'models/show',
  'cards/import',
  'dialog/pickCardPaths',
  'fairness/show',
  'fairness/import',
  'dialog/pickFairnessPaths',
  'spend/summary',
  'spend/sources',
  'spend/unitCosts',
  'spend/import',
  'spend/lineItems',
  'spend/cancelImport',
  'attribution/list',
  'attribution/add',
  'attribution/remove',
  'dialog/pickSpendPaths',
  'sources/list',
  'sources/schedule',
  'sources/syncDue',
  'mlflow/test',
  'mlflow/sync',
  'models/history',
  'lineage/show',
  'reviews/list',
  'reviews/show',
  'reviews/open',
  'reviews/move',
  'reviews/comment',
  'reviews/assign',
  'reviews/preview',
  'reviews/decide',
  'keys/list',
  'keys/generate',
  'keys/trust',
  'keys/revoke',
  // The OS keychain (safeStorage): whether it can hold a key here, and remembering or forgetting one.
  'keys/keychain',
  'keys/remember',
  'keys/forget',
  'policy/check',
  'policy/list',
  'audit/list',
  'audit/count',
  'audit/verify',
  'audit/export',
  'db/info',
  'shell/openExternal',
  // Audit packs: preview, export and verify (engine); pick a pack and show a file in its folder (shell).
  'pack/preview',
  'pack/export',
  'pack/verify',
  'dialog/pickPack',
  'shell/showItemInFolder',
  // Budgets, their alerts, spend anomalies and the signed budget report.
  'budgets/list',
  'budgets/show',
  'budgets/set',
  'budgets/delete',
  'budgets/export',
  'anomalies/list',
  'anomalies/verdict',
  'notifications/list',
  'notifications/markRead',
  // Lifecycle: sunset candidates, the calculator, sunset reviews and their signed decisions.
  'lifecycle/candidates',
  'lifecycle/summary',
  'lifecycle/calculate',
  'sunsets/list',
  'sunsets/show',
  'sunsets/propose',
  'sunsets/decide',
  'sunsets/exportSummary',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const EVENTS = ['cards/importProgress', 'mlflow/syncProgress', 'spend/importProgress', 'pack/exportProgress', 'pack/openVerify', 'notifications/new'] as const;
export type EventName = (typeof EVENTS)[number];

const channelSet: ReadonlySet<string> = new Set(CHANNELS);
const eventSet: ReadonlySet<string> = new Set(EVENTS);

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && channelSet.has(name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}

/** Channels the desktop shell answers itself (dialogs, the OS browser, app metadata); the engine answers the rest. */
export const SHELL_CHANNELS = ['app/info', 'dialog/pickCardPaths', 'dialog/pickFairnessPaths', 'dialog/pickSpendPaths', 'shell/openExternal', 'dialog/pickPack', 'shell/showItemInFolder'] as const satisfies readonly Channel[];
export type ShellChannel = (typeof SHELL_CHANNELS)[number];
export type CoreChannel = Exclude<Channel, ShellChannel>;
export const CORE_CHANNELS = CHANNELS.filter((c): c is CoreChannel => !(SHELL_CHANNELS as readonly string[]).includes(c));

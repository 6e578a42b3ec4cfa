import { shell } from 'electron';
import { checkExternalUrl } from '../../shared/security/externalUrl';

/** The one place that may call shell.openExternal (lint forbids it elsewhere). */
export async function openExternalSafely(raw: string): Promise<{ opened: boolean; reason: string | null }> {
  const verdict = checkExternalUrl(raw);
  if (!verdict.allowed) return { opened: false, reason: verdict.reason };
  await shell.openExternal(verdict.url);
  return { opened: true, reason: null };
}

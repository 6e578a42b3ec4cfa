/** The renderer's own origin. Only frames loaded from it may call the engine. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'docket';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Parses the sender's URL and compares origins exactly: no prefix tricks like app://docket.evil. */
export function isTrustedSenderUrl(senderUrl: string | undefined, trustedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  if (!senderUrl) return false;
  let url: URL;
  try {
    url = new URL(senderUrl);
  } catch {
    return false;
  }
  // Custom schemes give origin "null"; compare scheme and host instead.
  const origin = url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host}`;
  return trustedOrigins.includes(origin);
}

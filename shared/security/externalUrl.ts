/**
 * Which links may leave the app for the user's browser or mail client. Card text is untrusted,
 * so everything else (javascript:, file:, data:, custom schemes, credentials in the URL) is refused.
 */
const ALLOWED_PROTOCOLS = new Set(['https:', 'http:', 'mailto:']);

export function checkExternalUrl(raw: string): { allowed: true; url: string } | { allowed: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'not an absolute URL' };
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return { allowed: false, reason: `links with ${url.protocol} are not opened` };
  if (url.username || url.password) return { allowed: false, reason: 'links carrying credentials are not opened' };
  if (url.protocol !== 'mailto:' && !url.hostname) return { allowed: false, reason: 'link has no host' };
  return { allowed: true, url: url.toString() };
}

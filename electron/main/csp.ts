/**
 * The renderer's Content Security Policy, sent as a header on every app:// response.
 * Nothing remote: no script but our own bundle, no inline script, no remote image (card text is untrusted).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

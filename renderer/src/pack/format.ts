import type { Tone } from '../components/ui';

/** Status words of the pack preview, mapped to the app's tones (text + icon + colour). */
export function statusTone(status: string): Tone {
  switch (status) {
    case 'pass':
    case 'approve':
      return 'ok';
    case 'fail':
    case 'reject':
      return 'bad';
    case 'missing':
    case 'not-evaluable':
    case 'request-changes':
    case 'warn':
      return 'warn';
    case 'waived':
    case 'waive':
      return 'info';
    default:
      return 'neutral';
  }
}

export const STATUS_WORD: Record<string, string> = {
  pass: 'Pass',
  fail: 'Fail',
  missing: 'Missing',
  waived: 'Waived',
  warn: 'Warning',
  'not-evaluable': 'Not evaluable',
  none: 'No evaluation',
};

export const EXPORT_STEP_LABEL: Record<string, string> = {
  evidence: 'Gathering the evidence',
  pdf: 'Drawing the PDF',
  sign: 'Signing the PDF',
  files: 'Writing the ML-BOM and decisions',
  manifest: 'Signing the manifest',
  write: 'Writing the folder',
  zip: 'Writing the zip',
  done: 'Done',
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

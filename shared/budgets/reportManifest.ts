import { z } from 'zod';

/**
 * The detached manifest of a budget report export: the exported file's name, sha256 and size, the
 * headline figures of each budget, and who signed it (with the public key, so the report can be
 * checked offline; trust in that key comes from elsewhere). Signed as a DSSE envelope and written
 * beside the file as "<file>.dsse.json".
 */

export const BUDGET_REPORT_MANIFEST_TYPE = 'https://docket.dev/budget-report-manifest/v1';
export const BUDGET_REPORT_PAYLOAD_TYPE = 'application/vnd.docket.budget-report-manifest+json';
export const REPORT_ENVELOPE_SUFFIX = '.dsse.json';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const BudgetReportManifestSchema = z.strictObject({
  _type: z.literal(BUDGET_REPORT_MANIFEST_TYPE),
  generatedAt: z.string(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  format: z.enum(['csv', 'xlsx', 'pdf']),
  file: z.strictObject({ name: z.string().min(1), sha256: sha256Hex, bytes: z.number().int().min(0) }),
  budgets: z
    .array(
      z.strictObject({
        name: z.string(),
        period: z.string(),
        currency: z.string(),
        amount: z.number(),
        actual: z.number(),
        forecast: z.number().nullable(),
        state: z.enum(['OK', 'ALARM']),
      }),
    )
    .max(10_000),
  signer: z.strictObject({ keyId: sha256Hex, name: z.string(), role: z.string(), publicKeyPem: z.string() }),
  /** The certificate of the PDF's embedded signature (sha256 of its DER); null for CSV and XLSX. */
  pdfCertificateSha256: sha256Hex.nullable(),
});
export type BudgetReportManifest = z.infer<typeof BudgetReportManifestSchema>;

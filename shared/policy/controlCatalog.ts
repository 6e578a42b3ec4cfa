import { z } from 'zod';

/**
 * Docket's control catalog: the checks an organisation runs before releasing a model, each
 * mapped to the frameworks an auditor asks about. Policy rules name controls by id, so a
 * checklist line can say which obligations it serves without restating them.
 */

/** e.g. "DKT-DOC-01": a family of two to five capitals, then a two-digit number. */
export const CONTROL_ID = /^DKT-[A-Z]{2,5}-\d{2}$/;

/** "Annex IV 2(g)", "Annex IV 4" or "Article 12": items of Regulation (EU) 2024/1689. */
export const EU_AI_ACT_CITATION = /^(Annex IV [1-9](\([a-h]\))?|Article \d{1,3})$/;
/** "MEASURE 2.11", "GOVERN 1.4": a NIST AI RMF 1.0 subcategory. */
export const NIST_AI_RMF_CITATION = /^(GOVERN|MAP|MEASURE|MANAGE) \d{1,2}\.\d{1,2}$/;
/** "8.4", "9.1" (clauses) or "A.6.2.4" (Annex A controls) of ISO/IEC 42001:2023. */
export const ISO_42001_CITATION = /^(A\.)?\d{1,2}(\.\d{1,2}){0,3}$/;

const nonBlank = (what: string) => z.string().regex(/\S/, `${what} must not be blank`);

export const ControlSchema = z.strictObject({
  id: z.string().regex(CONTROL_ID, 'control ids look like DKT-DOC-01'),
  title: nonBlank('title'),
  /** What the control asks of a model release, in Docket's own words. */
  asks: nonBlank('asks'),
  citations: z.strictObject({
    euAiAct: z.array(z.string().regex(EU_AI_ACT_CITATION, 'EU AI Act citations look like "Annex IV 2(g)" or "Article 12"')).default([]),
    nistAiRmf: z.array(z.string().regex(NIST_AI_RMF_CITATION, 'NIST AI RMF citations look like "MEASURE 2.11"')).default([]),
    iso42001: z.array(z.string().regex(ISO_42001_CITATION, 'ISO/IEC 42001 citations look like "9.1" or "A.6.2.4"')).default([]),
  }),
});
export type Control = z.infer<typeof ControlSchema>;

export const ControlCatalogSchema = z
  .strictObject({
    name: nonBlank('name'),
    version: nonBlank('version'),
    description: z.string().optional(),
    controls: z.array(ControlSchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    catalog.controls.forEach((control, index) => {
      if (seen.has(control.id)) ctx.addIssue({ code: 'custom', path: ['controls', index, 'id'], message: `control id ${control.id} is used twice` });
      seen.add(control.id);
      const { euAiAct, nistAiRmf, iso42001 } = control.citations;
      // A control that answers to no framework cannot be mapped in an audit pack.
      if (euAiAct.length + nistAiRmf.length + iso42001.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['controls', index, 'citations'], message: `control ${control.id} cites no framework item` });
      }
    });
  });
export type ControlCatalog = z.infer<typeof ControlCatalogSchema>;

export function controlIds(catalog: ControlCatalog): Set<string> {
  return new Set(catalog.controls.map((c) => c.id));
}

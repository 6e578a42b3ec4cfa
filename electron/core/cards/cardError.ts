import { CanonicalCardSchema, type CanonicalCard } from '../../../shared/domain/modelCard';
import { InputFileError } from '../inputFileError';

// Card parsers share the generic input-file error and its helpers.
export { InputFileError as CardParseError, jsonPath, fieldPath, describeValue, describeFirstIssue, type PathSegment, type ShapeProblem } from '../inputFileError';

/** Numbers in MCT and CycloneDX are strings ("0.9"); keep them numeric when they clearly are. */
export function numericOrString(value: string | number): string | number {
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    if (Number.isFinite(n)) return n;
  }
  return value;
}

/**
 * Every parser ends here so that whatever reaches the store has the canonical shape. A failure
 * would be a bug in a parser, but it is reported as a card problem rather than crashing an import.
 */
export function validatedCard(card: CanonicalCard, location = 'file'): CanonicalCard {
  const result = CanonicalCardSchema.safeParse(card);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputFileError(location, `card could not be normalised: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`);
  }
  return result.data;
}

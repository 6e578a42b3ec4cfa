import type { Database } from 'better-sqlite3';
import { CanonicalCardSchema, type CanonicalCard } from '../../../shared/domain/modelCard';
import { SECTION_KEYS } from '../../../shared/domain/sections';
import type { CardEvidence } from '../../../shared/policy/evidence';
import type { CardSummary } from '../cards/importCards';
import { compareVersions } from '../models/versionOrder';
import { prepared } from '../policy/statementCache';

/**
 * The registry facts sunset candidates judge every model on, read once for the whole workspace: one
 * query per kind of fact instead of one per model or version (20,000 models, 200,000 versions made
 * the per-row queries cost seconds). Each loader answers exactly what its per-version query answered.
 */

export interface VersionRow {
  id: number;
  version: string;
  createdAt: string;
  registry: { createdAt?: number | null; currentStage?: string | null; userId?: string | null; run?: unknown; tags?: { key: string; value: string }[] } | null;
}

export interface ModelVersions {
  /** The last version in version order (of equal labels, the last recorded). */
  latest: VersionRow;
  /** The most recently made version (of equal times, the first in version order). */
  newest: { version: string; at: string };
  /**
   * Every version in version order, kept only when one of them holds an alias or a stage: only then
   * can one serve production (and older ones be superseded). Kept for all, 200,000 versions would
   * stay in memory through the whole judgement.
   */
  sorted: VersionRow[] | null;
}

export interface RegistryFacts {
  versionsByModel: Map<number, ModelVersions>;
  /** Open alias placements per version id, sorted: the registry's current aliases and the history's unended ones. */
  aliases: Map<number, string[]>;
  /** The open stage placement per version id (newest first_seen_at), for versions the registry gives no stage. */
  openStage: Map<number, string>;
  /** evaluated_at of every fairness evaluation of each model's versions. */
  evaluationDates: Map<number, (string | null)[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A share of the models (those whose id leaves `index` modulo `of`), for judging in parallel. */
export interface ModelPart {
  index: number;
  of: number;
}

/** `part`: read the versions of that share of the models only (the other facts are small and read whole). */
export function loadRegistryFacts(db: Database, part?: ModelPart): RegistryFacts {
  // UNION, as the per-version query: an alias both current and still open in the history counts once.
  const aliases = new Map<number, string[]>();
  const aliasRows = prepared(db, 
    `SELECT model_version_id AS id, alias FROM model_aliases
     UNION SELECT model_version_id AS id, alias FROM alias_history WHERE ended_at IS NULL`,
  ).all() as { id: number; alias: string }[];
  for (const r of aliasRows) push(aliases, r.id, r.alias);
  for (const list of aliases.values()) list.sort();

  const openStage = new Map<number, string>();
  const stageRows = prepared(db, 'SELECT model_version_id AS id, stage FROM stage_history WHERE ended_at IS NULL ORDER BY model_version_id, first_seen_at DESC').all() as { id: number; stage: string }[];
  for (const r of stageRows) if (!openStage.has(r.id)) openStage.set(r.id, r.stage);

  const evaluationDates = new Map<number, (string | null)[]>();
  const evalRows = prepared(db, 'SELECT v.model_id, f.evaluated_at FROM fairness_evaluations f JOIN model_versions v ON v.id = f.model_version_id ORDER BY v.model_id, f.model_version_id, f.id').all() as {
    model_id: number;
    evaluated_at: string | null;
  }[];
  for (const r of evalRows) push(evaluationDates, r.model_id, r.evaluated_at);

  const versionsByModel = new Map<number, ModelVersions>();
  // One model's rows at a time, reduced as soon as the next model's begin, so the rows die young; a
  // VersionRow is made only for the rows kept. Raw rows (arrays), read by iteration: the cheapest way
  // better-sqlite3 hands over 200,000 rows. Within a model, rows come in id order, as the per-model
  // query (by the model_id index) gave them: ties in version order keep that order.
  type Raw = [modelId: number, id: number, version: string, createdAt: string, registryJson: string | null];
  const toRow = (r: Raw): VersionRow => ({ id: r[1], version: r[2], createdAt: r[3], registry: r[4] ? (JSON.parse(r[4]) as VersionRow['registry']) : null });
  let rows: Raw[] = [];
  const reduce = () => {
    if (rows.length === 0) return;
    const versions = rows.map((r) => (r[4] ? toRow(r) : null));
    const registryOf = (i: number) => versions[i]?.registry ?? null;
    // When a version was made: MLflow's creation time, else when Docket first recorded it.
    const madeAt = (i: number) => {
      const created = registryOf(i)?.createdAt;
      return typeof created === 'number' ? new Date(created).toISOString() : rows[i]![3];
    };
    let latest = 0;
    let newest = 0;
    let newestAt = madeAt(0);
    let holds = aliases.has(rows[0]![1]) || openStage.has(rows[0]![1]) || !!registryOf(0)?.currentStage;
    for (let i = 1; i < rows.length; i++) {
      const version = rows[i]![2];
      if (compareVersions(version, rows[latest]![2]) >= 0) latest = i;
      const at = madeAt(i);
      if (at > newestAt || (at === newestAt && compareVersions(version, rows[newest]![2]) < 0)) [newest, newestAt] = [i, at];
      holds ||= aliases.has(rows[i]![1]) || openStage.has(rows[i]![1]) || !!registryOf(i)?.currentStage;
    }
    const all = holds ? rows.map((r, i) => versions[i] ?? toRow(r)).sort((a, b) => compareVersions(a.version, b.version)) : null;
    versionsByModel.set(rows[0]![0], {
      latest: all ? all[all.length - 1]! : (versions[latest] ?? toRow(rows[latest]!)),
      newest: { version: rows[newest]![2], at: newestAt },
      sorted: all,
    });
  };
  const versionRows = part
    ? prepared(db, 'SELECT model_id, id, version, created_at, registry_json FROM model_versions WHERE model_id % ? = ? ORDER BY model_id, id').raw(true).iterate(part.of, part.index)
    : prepared(db, 'SELECT model_id, id, version, created_at, registry_json FROM model_versions ORDER BY model_id, id').raw(true).iterate();
  for (const r of versionRows as IterableIterator<Raw>) {
    if (rows.length > 0 && r[0] !== rows[0]![0]) {
      reduce();
      rows = [];
    }
    rows.push(r);
  }
  reduce();

  return { versionsByModel, aliases, openStage, evaluationDates };
}

/** The stage a version is in now: the registry's last word, else the open stage placement. */
export function currentStage(facts: RegistryFacts, v: VersionRow): string | null {
  if (v.registry?.currentStage) return v.registry.currentStage;
  return facts.openStage.get(v.id) ?? null;
}

/**
 * What the judgement reads of a version's card: its tags, owners and format (team, owners, tier), and
 * the card evidence gatherEvidence would build from showModel's detail. The card is parsed as showModel
 * parses it (the same schema, the same defaults); the rest of it is let go at once.
 */
export interface CardFacts {
  card: Pick<CanonicalCard, 'tags' | 'owners' | 'format'>;
  evidence: CardEvidence;
}

/** The cards of the given versions, in one query (the ids travel as one JSON array). */
export function loadCards(db: Database, versionIds: readonly number[]): Map<number, CardFacts> {
  // SQLite hands over only the card's owners, tags and format (json_extract, in C), and the section
  // states come from the summary written beside the card at import (cardCompleteness: the same
  // sectionState per section). Parsing 20,000 whole cards in JS was most of this read. A card whose
  // pieces are not what the schema says is parsed whole, with the schema, as showModel would.
  // Raw rows (arrays): this statement is this module's own, so switching it to raw mode affects nobody else.
  const rows = prepared(db, 
    `SELECT model_version_id AS id, format, json_extract(canonical_json, '$.owners'), json_extract(canonical_json, '$.tags'), json_extract(canonical_json, '$.format'),
            summary_json, source_path, source_sha256, imported_at, sync_run_id
       FROM model_cards WHERE model_version_id IN (SELECT value FROM json_each(?))`,
  )
    .raw(true)
    .iterate(JSON.stringify(versionIds)) as IterableIterator<[number, CanonicalCard['format'], string | null, string | null, string | null, string, string, string, string, number]>;
  const whole = prepared(db, 'SELECT canonical_json FROM model_cards WHERE model_version_id = ?').pluck(true);
  const cards = new Map<number, CardFacts>();
  for (const [id, format, ownersJson, tagsJson, cardFormat, summary, sourcePath, sha256, importedAt, syncRunId] of rows) {
    const completeness = (JSON.parse(summary) as CardSummary).completeness;
    let card = cardPieces(ownersJson, tagsJson, cardFormat);
    if (!card) {
      const parsed = CanonicalCardSchema.parse(JSON.parse(whole.get(id) as string));
      card = { tags: parsed.tags, owners: parsed.owners, format: parsed.format };
    }
    const states = new Map<string, CardEvidence['sections'][keyof CardEvidence['sections']]>();
    for (const key of completeness.present) states.set(key, 'present');
    for (const key of completeness.empty) states.set(key, 'empty');
    const sections = Object.fromEntries(SECTION_KEYS.map((key) => [key, states.get(key) ?? 'missing'])) as CardEvidence['sections'];
    cards.set(id, { card, evidence: { format, sourceFile: sourcePath, sha256, importedAt, syncRunId, sections, completeness: completeness.ratio } });
  }
  return cards;
}

const CardPiecesSchema = CanonicalCardSchema.pick({ owners: true, tags: true, format: true });

/** The owners, tags and format as the card schema reads them, or null when they are not in that shape. */
function cardPieces(ownersJson: string | null, tagsJson: string | null, format: string | null): CardFacts['card'] | null {
  if (ownersJson === null || tagsJson === null || format === null) return null;
  const pieces = CardPiecesSchema.safeParse({ owners: JSON.parse(ownersJson), tags: JSON.parse(tagsJson), format });
  return pieces.success ? pieces.data : null;
}

import type { Database } from 'better-sqlite3';
import { trackTableRevisions } from './tableRevisions';

/**
 * Schema migrations, applied in order and tracked in `PRAGMA user_version`.
 * Never edit a released migration: add a new one. Each runs inside the transaction that bumps the version.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'models, versions, cards, sync runs and the append-only audit log',
    up(db) {
      db.exec(`
        CREATE TABLE sync_runs (
          id            INTEGER PRIMARY KEY,
          kind          TEXT NOT NULL,              -- 'cards', later 'mlflow', 'aws-ce', 'focus'...
          started_at    TEXT NOT NULL,
          finished_at   TEXT,
          status        TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
          imported      INTEGER NOT NULL DEFAULT 0,
          unchanged     INTEGER NOT NULL DEFAULT 0,
          rejected      INTEGER NOT NULL DEFAULT 0,
          detail_json   TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE models (
          id          INTEGER PRIMARY KEY,
          name        TEXT NOT NULL UNIQUE,
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL
        );
        CREATE TABLE model_versions (
          id          INTEGER PRIMARY KEY,
          model_id    INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
          version     TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL,
          UNIQUE (model_id, version)
        );
        -- The canonical card of a version, with the raw source it came from and that source's hash.
        CREATE TABLE model_cards (
          model_version_id INTEGER PRIMARY KEY REFERENCES model_versions(id) ON DELETE CASCADE,
          format          TEXT NOT NULL,
          canonical_json  TEXT NOT NULL,
          -- license, owners, tags and completeness: what the inventory list shows, kept small so
          -- listing thousands of models does not parse thousands of whole cards.
          summary_json    TEXT NOT NULL,
          source_path     TEXT NOT NULL,
          source_sha256   TEXT NOT NULL,
          raw             BLOB NOT NULL,
          imported_at     TEXT NOT NULL,
          sync_run_id     INTEGER NOT NULL REFERENCES sync_runs(id)
        );
        CREATE TABLE audit_log (
          seq         INTEGER PRIMARY KEY,
          at          TEXT NOT NULL,
          actor       TEXT NOT NULL,
          action      TEXT NOT NULL,
          subject     TEXT NOT NULL,
          detail_json TEXT NOT NULL,
          prev_hash   TEXT NOT NULL,
          hash        TEXT NOT NULL UNIQUE
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      `);
    },
  },
  {
    version: 2,
    description: 'registry vocabulary: sources, tags and aliases',
    up(db) {
      db.exec(`
        CREATE TABLE sources (
          id          INTEGER PRIMARY KEY,
          kind        TEXT NOT NULL,               -- 'file', later 'mlflow', 'aws-ce'
          uri         TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          UNIQUE (kind, uri)
        );
        ALTER TABLE sync_runs ADD COLUMN source_id INTEGER REFERENCES sources(id);
        -- MLflow vocabulary: every registry object has key/value tags; a card's plain tags have value ''.
        CREATE TABLE model_tags (
          model_id  INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
          key       TEXT NOT NULL,
          value     TEXT NOT NULL DEFAULT '',
          PRIMARY KEY (model_id, key)
        );
        CREATE TABLE model_version_tags (
          model_version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          key              TEXT NOT NULL,
          value            TEXT NOT NULL DEFAULT '',
          PRIMARY KEY (model_version_id, key)
        );
        -- An alias names one version of a model (e.g. "champion" -> 3).
        CREATE TABLE model_aliases (
          model_id          INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
          alias             TEXT NOT NULL,
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          PRIMARY KEY (model_id, alias)
        );
        CREATE INDEX model_versions_by_model ON model_versions(model_id);
      `);
    },
  },
  {
    version: 3,
    description: 'fairness evaluations per model version',
    up(db) {
      db.exec(`
        -- One evaluation of one model version on one dataset, as imported. Disparities and verdicts
        -- are derived when read, under the policy in force, so a policy change re-judges old evidence.
        CREATE TABLE fairness_evaluations (
          id                  INTEGER PRIMARY KEY,
          model_version_id    INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          format              TEXT NOT NULL,
          dataset_name        TEXT,
          dataset_digest      TEXT,
          producer            TEXT,
          evaluated_at        TEXT,
          sensitive_features  TEXT NOT NULL,      -- JSON array of feature names
          evaluation_json     TEXT NOT NULL,      -- the parsed evaluation (groups, counts, metrics)
          source_path         TEXT NOT NULL,
          source_sha256       TEXT NOT NULL,
          raw                 BLOB NOT NULL,
          imported_at         TEXT NOT NULL,
          sync_run_id         INTEGER NOT NULL REFERENCES sync_runs(id),
          UNIQUE (model_version_id, source_sha256)
        );
        CREATE INDEX fairness_by_version ON fairness_evaluations(model_version_id);
      `);
    },
  },
  {
    version: 4,
    description: 'registry sync: what MLflow says of each model and version, and the history of every change seen',
    up(db) {
      db.exec(`
        -- The registry's own fields as last seen (description, stage, status, run, source...).
        ALTER TABLE models ADD COLUMN registry_json TEXT;
        ALTER TABLE model_versions ADD COLUMN registry_json TEXT;
        -- MLflow forgets where an alias or stage pointed; Docket remembers every placement it saw:
        -- from the first sync that saw it to the last, and the sync that first saw it gone.
        CREATE TABLE alias_history (
          id                INTEGER PRIMARY KEY,
          model_id          INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
          alias             TEXT NOT NULL,
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          first_seen_at     TEXT NOT NULL,
          first_seen_run    INTEGER NOT NULL REFERENCES sync_runs(id),
          last_seen_at      TEXT NOT NULL,
          last_seen_run     INTEGER NOT NULL REFERENCES sync_runs(id),
          ended_at          TEXT,
          ended_run         INTEGER REFERENCES sync_runs(id)
        );
        CREATE INDEX alias_history_open ON alias_history(model_id, alias) WHERE ended_at IS NULL;
        CREATE TABLE stage_history (
          id                INTEGER PRIMARY KEY,
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
          stage             TEXT NOT NULL,
          first_seen_at     TEXT NOT NULL,
          first_seen_run    INTEGER NOT NULL REFERENCES sync_runs(id),
          last_seen_at      TEXT NOT NULL,
          last_seen_run     INTEGER NOT NULL REFERENCES sync_runs(id),
          ended_at          TEXT,
          ended_run         INTEGER REFERENCES sync_runs(id)
        );
        CREATE INDEX stage_history_open ON stage_history(model_version_id) WHERE ended_at IS NULL;
        -- Tag and description edits, version registrations: dated events with old and new values.
        CREATE TABLE registry_events (
          id                INTEGER PRIMARY KEY,
          model_id          INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
          model_version_id  INTEGER REFERENCES model_versions(id) ON DELETE CASCADE,
          kind              TEXT NOT NULL CHECK (kind IN ('version.registered', 'tag.set', 'tag.removed', 'description.changed')),
          key               TEXT,
          old_value         TEXT,
          new_value         TEXT,
          observed_at       TEXT NOT NULL,
          sync_run_id       INTEGER NOT NULL REFERENCES sync_runs(id)
        );
        CREATE INDEX registry_events_by_model ON registry_events(model_id, observed_at);
      `);
    },
  },
  {
    version: 5,
    description: 'lineage: OpenLineage events as received, and the graph of datasets, runs, model versions and deployments',
    up(db) {
      db.exec(`
        -- Each imported file as received (gzip): the raw events, facets and all, outlive any reading of them.
        CREATE TABLE lineage_files (
          id            INTEGER PRIMARY KEY,
          path          TEXT NOT NULL,
          sha256        TEXT NOT NULL UNIQUE,
          gzip          BLOB NOT NULL,
          imported_at   TEXT NOT NULL,
          sync_run_id   INTEGER NOT NULL REFERENCES sync_runs(id)
        );
        -- One row per RunEvent; OpenLineage identifies an event by its run, type, time and job,
        -- so importing it again is a no-op.
        CREATE TABLE lineage_events (
          id            INTEGER PRIMARY KEY,
          run_id        TEXT NOT NULL,
          event_type    TEXT NOT NULL,
          event_time    TEXT NOT NULL,
          job_namespace TEXT NOT NULL,
          job_name      TEXT NOT NULL,
          file_id       INTEGER NOT NULL REFERENCES lineage_files(id),
          location      TEXT NOT NULL,           -- "line 12" or "$[3]" in that file
          UNIQUE (run_id, event_type, event_time, job_namespace, job_name)
        );
        CREATE TABLE lineage_nodes (
          id                INTEGER PRIMARY KEY,
          key               TEXT NOT NULL UNIQUE,   -- "dataset:<namespace>|<name>", "run:<runId>", "model:<name>@<version>", "deployment:..."
          kind              TEXT NOT NULL CHECK (kind IN ('dataset', 'job', 'run', 'model_version', 'deployment')),
          label             TEXT NOT NULL,
          namespace         TEXT,
          facets_json       TEXT NOT NULL DEFAULT '{}',
          model_version_id  INTEGER REFERENCES model_versions(id) ON DELETE SET NULL
        );
        CREATE TABLE lineage_edges (
          from_id  INTEGER NOT NULL REFERENCES lineage_nodes(id) ON DELETE CASCADE,
          to_id    INTEGER NOT NULL REFERENCES lineage_nodes(id) ON DELETE CASCADE,
          kind     TEXT NOT NULL,
          PRIMARY KEY (from_id, to_id, kind)
        ) WITHOUT ROWID;
        CREATE INDEX lineage_edges_to ON lineage_edges(to_id);
      `);
    },
  },
  {
    version: 6,
    description: 'scheduled syncs',
    up(db) {
      // Minutes between automatic syncs of a source; NULL means only when asked.
      db.exec('ALTER TABLE sources ADD COLUMN schedule_minutes INTEGER CHECK (schedule_minutes IS NULL OR schedule_minutes >= 5)');
    },
  },
  {
    version: 7,
    description: 'cloud spend: FOCUS files, their line items, and a daily rollup for the spend views',
    up(db) {
      db.exec(`
        -- One imported FOCUS file; its sha256 makes importing it again a no-op.
        CREATE TABLE spend_files (
          id            INTEGER PRIMARY KEY,
          path          TEXT NOT NULL,
          sha256        TEXT NOT NULL UNIQUE,
          focus_version TEXT NOT NULL,
          rows          INTEGER NOT NULL,
          totals_json   TEXT NOT NULL DEFAULT '[]',  -- [{currency, billedCost, effectiveCost}] as summed at import
          imported_at   TEXT NOT NULL,
          sync_run_id   INTEGER NOT NULL REFERENCES sync_runs(id)
        );
        -- One FOCUS row. Costs are REAL and summed by SQLite; timestamps are ISO 8601 UTC.
        -- tag_team and tag_model hold the values of the attribution tag keys at import time.
        CREATE TABLE spend_line_items (
          id                    INTEGER PRIMARY KEY,
          file_id               INTEGER NOT NULL REFERENCES spend_files(id),
          line                  INTEGER NOT NULL,
          provider              TEXT NOT NULL,
          billing_account_id    TEXT NOT NULL,
          sub_account_id        TEXT,
          service_name          TEXT NOT NULL,
          service_category      TEXT,
          region                TEXT,
          resource_id           TEXT,
          resource_name         TEXT,
          charge_category       TEXT NOT NULL,
          charge_class          TEXT,
          charge_period_start   TEXT NOT NULL,
          charge_period_end     TEXT NOT NULL,
          billing_currency      TEXT NOT NULL,
          billed_cost           REAL NOT NULL,
          effective_cost        REAL NOT NULL,
          list_cost             REAL,
          contracted_cost       REAL,
          consumed_quantity     REAL,
          tags_json             TEXT,
          provider_columns_json TEXT,
          tag_team              TEXT,
          tag_model             TEXT
        );
        CREATE INDEX spend_line_items_by_day ON spend_line_items(charge_period_start, provider);
        -- Daily sums per group, kept in the import's transaction, so spend views read O(days x groups).
        -- '' stands for "no value" in the key columns (NULLs would never collide in the UNIQUE key).
        CREATE TABLE spend_daily (
          day             TEXT NOT NULL,
          provider        TEXT NOT NULL,
          service_name    TEXT NOT NULL,
          sub_account_id  TEXT NOT NULL DEFAULT '',
          tag_team        TEXT NOT NULL DEFAULT '',
          tag_model       TEXT NOT NULL DEFAULT '',
          currency        TEXT NOT NULL,
          billed_cost     REAL NOT NULL,
          effective_cost  REAL NOT NULL,
          list_cost       REAL NOT NULL,
          line_items      INTEGER NOT NULL,
          PRIMARY KEY (day, provider, service_name, sub_account_id, tag_team, tag_model, currency)
        );
      `);
    },
  },
  {
    version: 8,
    description: 'AWS Cost Explorer daily costs, the days fetched, and restatements',
    up(db) {
      db.exec(`
        -- Daily cost per ml:model tag value ('' = untagged, kept as unattributed) and second group.
        CREATE TABLE ce_daily (
          source_id       INTEGER NOT NULL REFERENCES sources(id),
          day             TEXT NOT NULL,
          tag_value       TEXT NOT NULL,
          group2          TEXT NOT NULL,
          currency        TEXT NOT NULL,
          unblended_cost  REAL NOT NULL,
          amortized_cost  REAL NOT NULL,
          usage_quantity  REAL,
          estimated       INTEGER NOT NULL,
          sync_run_id     INTEGER NOT NULL REFERENCES sync_runs(id),
          PRIMARY KEY (source_id, day, tag_value, group2)
        ) WITHOUT ROWID;
        -- Every day Cost Explorer answered for, even with no cost: a final day is not asked again.
        CREATE TABLE ce_days (
          source_id   INTEGER NOT NULL REFERENCES sources(id),
          day         TEXT NOT NULL,
          estimated   INTEGER NOT NULL,
          fetched_at  TEXT NOT NULL,
          PRIMARY KEY (source_id, day)
        ) WITHOUT ROWID;
        -- AWS revises recent days; each revision Docket sees is kept with both amounts.
        CREATE TABLE ce_restatements (
          id           INTEGER PRIMARY KEY,
          source_id    INTEGER NOT NULL REFERENCES sources(id),
          day          TEXT NOT NULL,
          tag_value    TEXT NOT NULL,
          group2       TEXT NOT NULL,
          before_cost  REAL NOT NULL,
          after_cost   REAL NOT NULL,
          sync_run_id  INTEGER NOT NULL REFERENCES sync_runs(id)
        );
      `);
    },
  },
  {
    version: 9,
    description: 'daily usage per model (requests, tokens) for unit costs',
    up(db) {
      db.exec(`
        CREATE TABLE usage_daily (
          model          TEXT NOT NULL,
          day            TEXT NOT NULL,
          requests       INTEGER NOT NULL,
          input_tokens   INTEGER,
          output_tokens  INTEGER,
          source_sha256  TEXT NOT NULL,
          sync_run_id    INTEGER NOT NULL REFERENCES sync_runs(id),
          PRIMARY KEY (model, day)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 10,
    description: 'attribution rules: spend to models by tag, resource id or account',
    up(db) {
      db.exec(`
        -- Rules are data: editing them re-attributes stored spend without re-importing anything.
        -- Patterns use SQLite GLOB (* and ?), e.g. 'arn:aws:sagemaker:*:endpoint/fraud-*'.
        CREATE TABLE attribution_rules (
          id          INTEGER PRIMARY KEY,
          kind        TEXT NOT NULL CHECK (kind IN ('tag', 'resource', 'account')),
          tag_key     TEXT,
          pattern     TEXT NOT NULL,
          model       TEXT NOT NULL,
          priority    INTEGER NOT NULL DEFAULT 100,
          created_at  TEXT NOT NULL,
          CHECK ((kind = 'tag') = (tag_key IS NOT NULL))
        );
      `);
    },
  },
  {
    version: 11,
    description: 'covering indexes on the spend rollup, one per grouping',
    up(db) {
      // Each lets "spend by X over a range" read the rollup in X order without a sort: the query
      // stays O(groups x days) and well under 20 ms at 10 million line items.
      for (const column of ['tag_model', 'tag_team', 'service_name', 'provider', 'sub_account_id']) {
        db.exec(`CREATE INDEX spend_daily_by_${column} ON spend_daily(${column}, currency, day, billed_cost, effective_cost)`);
      }
    },
  },
  {
    version: 12,
    description: 'drop the unused line-item day index',
    up(db) {
      // Every spend question reads the daily rollup; this index only slowed each FOCUS import down.
      db.exec('DROP INDEX IF EXISTS spend_line_items_by_day');
    },
  },
  {
    version: 13,
    description: 'reviewer keys: public keys, explicit trust, revocation and rotation',
    up(db) {
      db.exec(`
        -- Public halves only: private keys live in key files or the OS keychain, never here.
        -- Rows are never deleted: a revoked key must still verify what it signed before revocation.
        CREATE TABLE reviewer_keys (
          key_id          TEXT PRIMARY KEY CHECK (length(key_id) = 64),  -- sha256 hex of the SPKI DER
          name            TEXT NOT NULL,
          role            TEXT NOT NULL,
          public_key_pem  TEXT NOT NULL,
          origin          TEXT NOT NULL CHECK (origin IN ('local', 'imported')),
          added_at        TEXT NOT NULL,
          trusted         INTEGER NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1)),
          trusted_at      TEXT,
          trusted_by      TEXT,
          revoked_at      TEXT,
          revoked_by      TEXT,
          revoke_reason   TEXT,
          replaced_by     TEXT REFERENCES reviewer_keys(key_id),
          CHECK ((trusted = 1) = (trusted_at IS NOT NULL)),
          CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 14,
    description: 'policy packs, release reviews, evidence snapshots and signed decisions',
    up(db) {
      db.exec(`
        -- Packs the user imported; the default pack ships in resources/ and applies when none is active.
        CREATE TABLE policy_packs (
          id           INTEGER PRIMARY KEY,
          name         TEXT NOT NULL,
          version      TEXT NOT NULL,
          source_path  TEXT NOT NULL,
          sha256       TEXT NOT NULL,
          pack_json    TEXT NOT NULL,
          imported_at  TEXT NOT NULL,
          imported_by  TEXT NOT NULL,
          active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
          UNIQUE (name, version)
        );
        CREATE UNIQUE INDEX policy_packs_one_active ON policy_packs(active) WHERE active = 1;
        -- The evidence a reviewer saw, kept whole: a decision signs its hash, and the diff since the
        -- last approval reads it back. content_hash leaves out the moment and the approvals, so two
        -- looks at unchanged evidence share it.
        CREATE TABLE evidence_snapshots (
          hash              TEXT PRIMARY KEY,
          content_hash      TEXT NOT NULL,
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
          snapshot_json     TEXT NOT NULL,
          taken_at          TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE reviews (
          id                INTEGER PRIMARY KEY,
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
          state             TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn')),
          trigger           TEXT NOT NULL CHECK (trigger IN ('manual', 'new-version', 'alias-move', 'imported')),
          opened_at         TEXT NOT NULL,
          opened_by         TEXT NOT NULL,
          due_at            TEXT,
          updated_at        TEXT NOT NULL,
          closed_at         TEXT,
          -- The checklist verdict and approval count at the last evaluation, for the inbox.
          checklist_result  TEXT CHECK (checklist_result IN ('pass', 'fail')),
          evidence_result   TEXT CHECK (evidence_result IN ('pass', 'fail')),
          approvals         INTEGER NOT NULL DEFAULT 0,
          approvals_needed  INTEGER,
          -- The last MLflow write-back: {ok, url, at, error}.
          write_back_json   TEXT
        );
        -- At most one open review per version.
        CREATE UNIQUE INDEX reviews_one_open ON reviews(model_version_id) WHERE state IN ('draft', 'in_review', 'changes_requested');
        CREATE TABLE review_assignees (
          review_id  INTEGER NOT NULL REFERENCES reviews(id),
          assignee   TEXT NOT NULL,
          PRIMARY KEY (review_id, assignee)
        ) WITHOUT ROWID;
        CREATE TABLE review_comments (
          id         INTEGER PRIMARY KEY,
          review_id  INTEGER NOT NULL REFERENCES reviews(id),
          author     TEXT NOT NULL,
          at         TEXT NOT NULL,
          body       TEXT NOT NULL
        );
        -- Signed decisions, as signed (the DSSE envelope) plus the fields queries need.
        CREATE TABLE decisions (
          id                INTEGER PRIMARY KEY,
          digest            TEXT NOT NULL UNIQUE,
          review_id         INTEGER REFERENCES reviews(id),
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
          kind              TEXT NOT NULL CHECK (kind IN ('approve', 'reject', 'request-changes', 'withdraw', 'waive')),
          key_id            TEXT NOT NULL,
          signer            TEXT NOT NULL,
          role              TEXT NOT NULL,
          signed_at         TEXT NOT NULL,
          evidence_hash     TEXT NOT NULL,
          rationale         TEXT NOT NULL,
          rule_id           TEXT,
          expires_at        TEXT,
          envelope_json     TEXT NOT NULL,
          origin            TEXT NOT NULL CHECK (origin IN ('local', 'imported')),
          recorded_at       TEXT NOT NULL
        );
        CREATE INDEX decisions_by_version ON decisions(model_version_id, signed_at);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
          BEGIN SELECT RAISE(ABORT, 'decisions are signed and cannot be changed'); END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
          BEGIN SELECT RAISE(ABORT, 'decisions are signed and cannot be deleted'); END;
        -- Per source: write review outcomes back to MLflow as model-version tags.
        ALTER TABLE sources ADD COLUMN write_back INTEGER NOT NULL DEFAULT 0 CHECK (write_back IN (0, 1));
      `);
    },
  },
  {
    version: 15,
    description: 'budgets with alert thresholds, AWS cost forecasts, spend anomalies and notifications',
    up(db) {
      db.exec(`
        -- A budget is its current definition; every change is also an audit entry (who, when, old and
        -- new amount, reason), so the row may be updated while its history stays in the chain.
        CREATE TABLE budgets (
          id               INTEGER PRIMARY KEY,
          name             TEXT NOT NULL UNIQUE,
          definition_json  TEXT NOT NULL,   -- the validated BudgetDefinition (shared/budgets/budgetSchema.ts)
          created_at       TEXT NOT NULL,
          created_by       TEXT NOT NULL,
          updated_at       TEXT NOT NULL,
          updated_by       TEXT NOT NULL,
          deleted_at       TEXT
        );
        -- The last known state of each threshold in its current period: a state is recorded, and
        -- notified, only when it differs from this row, so the same state is never announced twice.
        CREATE TABLE budget_threshold_states (
          budget_id        INTEGER NOT NULL REFERENCES budgets(id),
          threshold_key    TEXT NOT NULL,   -- e.g. 'actual:percent:80'
          period_start     TEXT NOT NULL,
          state            TEXT NOT NULL CHECK (state IN ('OK', 'ALARM')),
          changed_at       TEXT NOT NULL,
          value            REAL,            -- the actual or forecast figure that set the state
          PRIMARY KEY (budget_id, threshold_key)
        ) WITHOUT ROWID;
        -- GetCostForecast answers (UNBLENDED_COST, whole account) per Cost Explorer source and period.
        CREATE TABLE ce_forecasts (
          source_id    INTEGER NOT NULL REFERENCES sources(id),
          period_from  TEXT NOT NULL,       -- first forecast day
          period_to    TEXT NOT NULL,       -- exclusive end, as Cost Explorer takes it
          currency     TEXT NOT NULL,
          mean         REAL NOT NULL,
          low          REAL,
          high         REAL,
          fetched_at   TEXT NOT NULL,
          sync_run_id  INTEGER NOT NULL REFERENCES sync_runs(id),
          PRIMARY KEY (source_id, period_from, period_to)
        ) WITHOUT ROWID;
        -- Days whose spend for a model left its expected band, with the user's verdict.
        CREATE TABLE spend_anomalies (
          id           INTEGER PRIMARY KEY,
          source       TEXT NOT NULL,       -- 'focus' or 'aws-ce:<id>'
          model        TEXT NOT NULL,
          day          TEXT NOT NULL,
          currency     TEXT NOT NULL,
          actual       REAL NOT NULL,
          expected     REAL NOT NULL,
          band_low     REAL NOT NULL,
          band_high    REAL NOT NULL,
          impact       REAL NOT NULL,
          score        REAL NOT NULL,
          driver_json  TEXT,                -- {dimension, key, impact} of the biggest rise
          release_json TEXT,                -- registry events near the day: possible causes
          detected_at  TEXT NOT NULL,
          verdict      TEXT CHECK (verdict IN ('expected', 'unexpected', 'planned')),
          verdict_by   TEXT,
          verdict_at   TEXT,
          verdict_note TEXT,
          UNIQUE (source, model, day, currency)
        );
        -- In-app notifications (threshold state changes); desktop notifications mirror them once.
        CREATE TABLE notifications (
          id          INTEGER PRIMARY KEY,
          at          TEXT NOT NULL,
          kind        TEXT NOT NULL,
          title       TEXT NOT NULL,
          body        TEXT NOT NULL,
          link        TEXT,
          read_at     TEXT
        );
      `);
    },
  },
  {
    version: 16,
    description: 'lifecycle: sunset reviews with their plans, signed sunset decisions, and each version\'s lifecycle state',
    up(db) {
      db.exec(`
        -- A proposal to retire a version, with its plan and the saving computed when proposed.
        CREATE TABLE sunset_reviews (
          id                INTEGER PRIMARY KEY,
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
          state             TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected', 'withdrawn')),
          plan_json         TEXT NOT NULL,
          plan_sha256       TEXT NOT NULL,
          saving_json       TEXT NOT NULL,
          reasons_json      TEXT NOT NULL DEFAULT '[]',
          opened_at         TEXT NOT NULL,
          opened_by         TEXT NOT NULL,
          closed_at         TEXT
        );
        CREATE UNIQUE INDEX sunset_reviews_one_open ON sunset_reviews(model_version_id) WHERE state = 'proposed';
        -- Signed sunset decisions, as signed, immutable like release decisions.
        CREATE TABLE sunset_decisions (
          id                INTEGER PRIMARY KEY,
          digest            TEXT NOT NULL UNIQUE,
          sunset_id         INTEGER NOT NULL REFERENCES sunset_reviews(id),
          model_version_id  INTEGER NOT NULL REFERENCES model_versions(id),
          kind              TEXT NOT NULL CHECK (kind IN ('approve', 'reject', 'withdraw')),
          key_id            TEXT NOT NULL,
          signer            TEXT NOT NULL,
          role              TEXT NOT NULL,
          signed_at         TEXT NOT NULL,
          plan_sha256       TEXT NOT NULL,
          rationale         TEXT NOT NULL,
          envelope_json     TEXT NOT NULL,
          recorded_at       TEXT NOT NULL
        );
        CREATE TRIGGER sunset_decisions_no_update BEFORE UPDATE ON sunset_decisions
          BEGIN SELECT RAISE(ABORT, 'sunset decisions are signed and cannot be changed'); END;
        CREATE TRIGGER sunset_decisions_no_delete BEFORE DELETE ON sunset_decisions
          BEGIN SELECT RAISE(ABORT, 'sunset decisions are signed and cannot be deleted'); END;
        -- A version without a row is active. Only an approved sunset moves a version on.
        CREATE TABLE lifecycle_states (
          model_version_id  INTEGER PRIMARY KEY REFERENCES model_versions(id),
          state             TEXT NOT NULL CHECK (state IN ('active', 'deprecated', 'retired')),
          since             TEXT NOT NULL,
          sunset_id         INTEGER NOT NULL REFERENCES sunset_reviews(id)
        );
      `);
    },
  },
  {
    version: 17,
    description: 'line items dictionary-coded: text values stored once in spend_text, read through the spend_line_items view',
    up(db) {
      // Bills repeat a handful of values (accounts, services, regions, hours, tags) millions of times.
      // Storing each once and the line items as integers halves the bytes an import writes and spares
      // binding 17 strings per row: the FOCUS import's main cost. Readers keep the spend_line_items
      // name and columns, now a view that decodes.
      db.exec(`
        CREATE TABLE spend_text (
          id     INTEGER PRIMARY KEY,
          value  TEXT NOT NULL UNIQUE
        );
        -- One FOCUS row; each *_code is the spend_text id of that column's value (NULL for no value).
        CREATE TABLE spend_line_items_coded (
          id                         INTEGER PRIMARY KEY,
          file_id                    INTEGER NOT NULL REFERENCES spend_files(id),
          line                       INTEGER NOT NULL,
          provider_code              INTEGER NOT NULL REFERENCES spend_text(id),
          billing_account_id_code    INTEGER NOT NULL REFERENCES spend_text(id),
          sub_account_id_code        INTEGER REFERENCES spend_text(id),
          service_name_code          INTEGER NOT NULL REFERENCES spend_text(id),
          service_category_code      INTEGER REFERENCES spend_text(id),
          region_code                INTEGER REFERENCES spend_text(id),
          resource_id_code           INTEGER REFERENCES spend_text(id),
          resource_name_code         INTEGER REFERENCES spend_text(id),
          charge_category_code       INTEGER NOT NULL REFERENCES spend_text(id),
          charge_class_code          INTEGER REFERENCES spend_text(id),
          charge_period_start_code   INTEGER NOT NULL REFERENCES spend_text(id),
          charge_period_end_code     INTEGER NOT NULL REFERENCES spend_text(id),
          billing_currency_code      INTEGER NOT NULL REFERENCES spend_text(id),
          billed_cost                REAL NOT NULL,
          effective_cost             REAL NOT NULL,
          list_cost                  REAL,
          contracted_cost            REAL,
          consumed_quantity          REAL,
          tags_json_code             INTEGER REFERENCES spend_text(id),
          provider_columns_json_code INTEGER REFERENCES spend_text(id),
          tag_team_code              INTEGER REFERENCES spend_text(id),
          tag_model_code             INTEGER REFERENCES spend_text(id)
        );
        INSERT INTO spend_text (value)
          SELECT provider FROM spend_line_items WHERE provider IS NOT NULL
          UNION SELECT billing_account_id FROM spend_line_items WHERE billing_account_id IS NOT NULL
          UNION SELECT sub_account_id FROM spend_line_items WHERE sub_account_id IS NOT NULL
          UNION SELECT service_name FROM spend_line_items WHERE service_name IS NOT NULL
          UNION SELECT service_category FROM spend_line_items WHERE service_category IS NOT NULL
          UNION SELECT region FROM spend_line_items WHERE region IS NOT NULL
          UNION SELECT resource_id FROM spend_line_items WHERE resource_id IS NOT NULL
          UNION SELECT resource_name FROM spend_line_items WHERE resource_name IS NOT NULL
          UNION SELECT charge_category FROM spend_line_items WHERE charge_category IS NOT NULL
          UNION SELECT charge_class FROM spend_line_items WHERE charge_class IS NOT NULL
          UNION SELECT charge_period_start FROM spend_line_items WHERE charge_period_start IS NOT NULL
          UNION SELECT charge_period_end FROM spend_line_items WHERE charge_period_end IS NOT NULL
          UNION SELECT billing_currency FROM spend_line_items WHERE billing_currency IS NOT NULL
          UNION SELECT tags_json FROM spend_line_items WHERE tags_json IS NOT NULL
          UNION SELECT provider_columns_json FROM spend_line_items WHERE provider_columns_json IS NOT NULL
          UNION SELECT tag_team FROM spend_line_items WHERE tag_team IS NOT NULL
          UNION SELECT tag_model FROM spend_line_items WHERE tag_model IS NOT NULL;
        INSERT INTO spend_line_items_coded (id, file_id, line, provider_code, billing_account_id_code, sub_account_id_code, service_name_code, service_category_code, region_code, resource_id_code, resource_name_code, charge_category_code, charge_class_code, charge_period_start_code, charge_period_end_code, billing_currency_code, billed_cost, effective_cost, list_cost, contracted_cost, consumed_quantity, tags_json_code, provider_columns_json_code, tag_team_code, tag_model_code)
          SELECT li.id, li.file_id, li.line,
                 (SELECT id FROM spend_text WHERE value = li.provider),
                 (SELECT id FROM spend_text WHERE value = li.billing_account_id),
                 (SELECT id FROM spend_text WHERE value = li.sub_account_id),
                 (SELECT id FROM spend_text WHERE value = li.service_name),
                 (SELECT id FROM spend_text WHERE value = li.service_category),
                 (SELECT id FROM spend_text WHERE value = li.region),
                 (SELECT id FROM spend_text WHERE value = li.resource_id),
                 (SELECT id FROM spend_text WHERE value = li.resource_name),
                 (SELECT id FROM spend_text WHERE value = li.charge_category),
                 (SELECT id FROM spend_text WHERE value = li.charge_class),
                 (SELECT id FROM spend_text WHERE value = li.charge_period_start),
                 (SELECT id FROM spend_text WHERE value = li.charge_period_end),
                 (SELECT id FROM spend_text WHERE value = li.billing_currency),
                 li.billed_cost, li.effective_cost, li.list_cost, li.contracted_cost, li.consumed_quantity,
                 (SELECT id FROM spend_text WHERE value = li.tags_json),
                 (SELECT id FROM spend_text WHERE value = li.provider_columns_json),
                 (SELECT id FROM spend_text WHERE value = li.tag_team),
                 (SELECT id FROM spend_text WHERE value = li.tag_model)
            FROM spend_line_items li ORDER BY li.id;
        DROP TABLE spend_line_items;
        CREATE VIEW spend_line_items AS
          SELECT li.id, li.file_id, li.line,
                 (SELECT value FROM spend_text WHERE id = li.provider_code) AS provider,
                 (SELECT value FROM spend_text WHERE id = li.billing_account_id_code) AS billing_account_id,
                 (SELECT value FROM spend_text WHERE id = li.sub_account_id_code) AS sub_account_id,
                 (SELECT value FROM spend_text WHERE id = li.service_name_code) AS service_name,
                 (SELECT value FROM spend_text WHERE id = li.service_category_code) AS service_category,
                 (SELECT value FROM spend_text WHERE id = li.region_code) AS region,
                 (SELECT value FROM spend_text WHERE id = li.resource_id_code) AS resource_id,
                 (SELECT value FROM spend_text WHERE id = li.resource_name_code) AS resource_name,
                 (SELECT value FROM spend_text WHERE id = li.charge_category_code) AS charge_category,
                 (SELECT value FROM spend_text WHERE id = li.charge_class_code) AS charge_class,
                 (SELECT value FROM spend_text WHERE id = li.charge_period_start_code) AS charge_period_start,
                 (SELECT value FROM spend_text WHERE id = li.charge_period_end_code) AS charge_period_end,
                 (SELECT value FROM spend_text WHERE id = li.billing_currency_code) AS billing_currency,
                 li.billed_cost,
                 li.effective_cost,
                 li.list_cost,
                 li.contracted_cost,
                 li.consumed_quantity,
                 (SELECT value FROM spend_text WHERE id = li.tags_json_code) AS tags_json,
                 (SELECT value FROM spend_text WHERE id = li.provider_columns_json_code) AS provider_columns_json,
                 (SELECT value FROM spend_text WHERE id = li.tag_team_code) AS tag_team,
                 (SELECT value FROM spend_text WHERE id = li.tag_model_code) AS tag_model
            FROM spend_line_items_coded li;
      `);
    },
  },
  {
    version: 18,
    description: 'indexes for the aliases a version holds now',
    up(db) {
      // Sunset candidates ask, for every version, which aliases it holds now: both tables are keyed
      // by model and alias, so each ask scanned them whole (versions x aliases per Lifecycle view).
      db.exec(`
        CREATE INDEX model_aliases_by_version ON model_aliases(model_version_id);
        CREATE INDEX alias_history_open_by_version ON alias_history(model_version_id) WHERE ended_at IS NULL;
      `);
    },
  },
  {
    version: 19,
    description: 'a revision per table people write a row at a time, kept by triggers',
    up(db) {
      // Kept answers are keyed by the revisions of the tables they read (revisionCache), so a write
      // to one of these no longer throws away answers that never read it. Tables written in bulk by
      // importers share one revision instead (store/tableRevisions.ts says why, and how).
      const tracked = [
        ...['reviews', 'review_comments', 'review_assignees', 'decisions', 'evidence_snapshots'],
        ...['budgets', 'budget_threshold_states', 'spend_anomalies', 'notifications'],
        ...['sunset_reviews', 'sunset_decisions', 'lifecycle_states', 'policy_packs', 'attribution_rules'],
        ...['reviewer_keys', 'sources'],
      ];
      for (const table of tracked) trackTableRevisions(db, table);
    },
  },
  {
    version: 20,
    description: 'a revision of its own for the record of import and sync runs',
    up(db) {
      // Every import and sync writes its run (a row, then its outcome), whatever it finds. As a bulk
      // table, sync_runs moved the shared revision on every scheduled MLflow sync, even one that found
      // nothing changed, and every kept answer (the model list, the sunset judgement) was read again.
      trackTableRevisions(db, 'sync_runs');
    },
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

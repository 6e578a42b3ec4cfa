import { z } from 'zod';

/*
 * The parts of MLflow's REST 2.0 responses that Docket reads. Objects strip unknown keys (MLflow 3 adds
 * model_id, model_params, ...; Databricks adds more), but the fields we use are checked for type.
 *
 * MLflow serialises protobuf messages with proto3 JSON rules: empty lists, empty strings and unset
 * fields are left out, so `{}` is a valid empty search result and every list below defaults to [].
 * int64 fields come back as JSON numbers from MLflow's own server, but as decimal strings from strict
 * proto3 encoders (some proxies and gateways), so timestamps accept both.
 */

/** Error-message convention shared with the importers: the message is the expected type. */
const str = z.string({ error: 'a string' });

const int64 = z
  .union([z.number({ error: 'a number' }), z.string().regex(/^-?\d+$/)], { error: 'a number (epoch milliseconds)' })
  .transform((value) => (typeof value === 'number' ? value : Number(value)));

/** Metric values: JSON has no NaN or infinities, so proto3 JSON writes them as strings. */
const double = z
  .union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)], {
    error: 'a number',
  })
  .transform((value) => (typeof value === 'number' ? value : Number(value)));

const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'a list' }).optional().default([]);

export const tagSchema = z.object({ key: str, value: str.optional().default('') });

export const registeredModelSchema = z.object({
  name: str,
  description: str.optional(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  tags: list(tagSchema),
  aliases: list(z.object({ alias: str, version: str })),
});

export const modelVersionSchema = z.object({
  name: str,
  version: str,
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  user_id: str.optional(),
  current_stage: str.optional(),
  description: str.optional(),
  source: str.optional(),
  run_id: str.optional(),
  run_link: str.optional(),
  status: str.optional(),
  tags: list(tagSchema),
  aliases: list(str),
});

export const searchRegisteredModelsSchema = z.object({
  registered_models: list(registeredModelSchema),
  next_page_token: str.optional(),
});

export const searchModelVersionsSchema = z.object({
  model_versions: list(modelVersionSchema),
  next_page_token: str.optional(),
});

const datasetInputSchema = z.object({
  tags: list(tagSchema),
  dataset: z.object({
    name: str,
    digest: str.optional(),
    source_type: str.optional(),
    source: str.optional(),
  }),
});

export const runSchema = z.object({
  info: z.object({
    run_id: str.optional(),
    /** Deprecated twin of run_id that older servers still send. */
    run_uuid: str.optional(),
    experiment_id: str.optional(),
    status: str.optional(),
    start_time: int64.optional(),
    end_time: int64.optional(),
  }),
  data: z
    .object({
      metrics: list(
        z.object({ key: str, value: double.optional().default(0), timestamp: int64.optional(), step: int64.optional() }),
      ),
      params: list(tagSchema),
      tags: list(tagSchema),
    })
    .optional()
    .default({ metrics: [], params: [], tags: [] }),
  inputs: z
    .object({ dataset_inputs: list(datasetInputSchema) })
    .optional()
    .default({ dataset_inputs: [] }),
});

export const getRunSchema = z.object({ run: runSchema });

export type MlflowRegisteredModel = z.output<typeof registeredModelSchema>;
export type MlflowModelVersion = z.output<typeof modelVersionSchema>;
export type MlflowRun = z.output<typeof runSchema>;

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DEPENDENT_NODES, sunsetDependents } from '../../../electron/core/lifecycle/dependents';
import { tempStore } from '../../support/tempStore';
import { addModel, lineageEdge, lineageNode } from './lifecycleFixture';

let ctx: ReturnType<typeof tempStore>;
beforeEach(() => {
  ctx = tempStore();
});
afterEach(() => ctx.cleanup());

/**
 * Edges point the way data flows: dataset -> run -> model (produced), model -> run (input) ->
 * deployment (deployed) or dataset (output). Downstream of teacher@1:
 *
 *   features -> train -> teacher@1 -> evaluate -> eval-report
 *                                  -> deploy   -> endpoints:/teacher
 *                                  -> distil   -> student@1 -> deploy-student -> endpoints:/student
 */
function graph(): void {
  const s = ctx.store;
  addModel(s, 'teacher', '1');
  addModel(s, 'student', '1');
  const nodes: [string, string, string][] = [
    ['dataset:s3://lake|features', 'dataset', 'features'],
    ['run:train', 'run', 'teacher.train'],
    ['model:teacher@1', 'model_version', 'teacher v1'],
    ['run:evaluate', 'run', 'teacher.evaluate'],
    ['dataset:s3://lake|eval-report', 'dataset', 'eval-report'],
    ['run:deploy', 'run', 'teacher.deploy'],
    ['deployment:serving-prod|endpoints:/teacher', 'deployment', 'teacher'],
    ['run:distil', 'run', 'student.distil'],
    ['model:student@1', 'model_version', 'student v1'],
    ['run:deploy-student', 'run', 'student.deploy'],
    ['deployment:serving-prod|endpoints:/student', 'deployment', 'student'],
  ];
  for (const [key, kind, label] of nodes) lineageNode(s, key, kind, label);
  const edges: [string, string, string][] = [
    ['dataset:s3://lake|features', 'run:train', 'input'],
    ['run:train', 'model:teacher@1', 'produced'],
    ['model:teacher@1', 'run:evaluate', 'input'],
    ['run:evaluate', 'dataset:s3://lake|eval-report', 'output'],
    ['model:teacher@1', 'run:deploy', 'input'],
    ['run:deploy', 'deployment:serving-prod|endpoints:/teacher', 'deployed'],
    ['model:teacher@1', 'run:distil', 'input'],
    ['run:distil', 'model:student@1', 'produced'],
    ['model:student@1', 'run:deploy-student', 'input'],
    ['run:deploy-student', 'deployment:serving-prod|endpoints:/student', 'deployed'],
  ];
  for (const [from, to, kind] of edges) lineageEdge(s, from, to, kind);
}

describe('sunsetDependents', () => {
  it('walks downstream only, lists deployments apart, and stops at other model versions', () => {
    graph();
    const d = sunsetDependents(ctx.store.db, 'teacher', '1');
    expect(d.deployments).toEqual([{ key: 'deployment:serving-prod|endpoints:/teacher', label: 'teacher' }]);
    // Nearest first; upstream (features, train) never appears; the student's own deployment is the student's.
    expect(d.downstream.map((n) => `${n.kind}:${n.label}`)).toEqual(['run:teacher.evaluate', 'run:teacher.deploy', 'run:student.distil', 'dataset:eval-report', 'model_version:student v1']);
    expect(d.truncated).toBe(false);
  });

  it('has no dependents without lineage, and refuses a version that does not exist', () => {
    addModel(ctx.store, 'lonely', '1');
    expect(sunsetDependents(ctx.store.db, 'lonely', '1')).toEqual({ deployments: [], downstream: [], truncated: false });
    expect(() => sunsetDependents(ctx.store.db, 'lonely', '9')).toThrow(/No model version lonely@9/);
  });

  it('caps the walk and says it did', () => {
    addModel(ctx.store, 'popular', '1');
    lineageNode(ctx.store, 'model:popular@1', 'model_version', 'popular v1');
    ctx.store.db.transaction(() => {
      for (let i = 0; i < MAX_DEPENDENT_NODES + 20; i++) {
        lineageNode(ctx.store, `run:reader-${i}`, 'run', `reader ${i}`);
        lineageEdge(ctx.store, 'model:popular@1', `run:reader-${i}`, 'input');
      }
    })();
    const d = sunsetDependents(ctx.store.db, 'popular', '1');
    expect(d.downstream).toHaveLength(MAX_DEPENDENT_NODES);
    expect(d.truncated).toBe(true);
  });
});

import type { DocketApi } from '../../shared/ipc/bridge';

declare global {
  interface Window {
    /** The only way to the engine: installed by the preload (or the e2e harness). */
    docket: DocketApi;
  }
}

export {};

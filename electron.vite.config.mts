import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three builds: the Electron main process (ESM-free CommonJS for Node), the sandboxed preload
// (must be CommonJS: sandboxed preloads cannot be ES modules) and the React renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // canonicalize is bundled, and hyparquet (ESM only, which a CommonJS main cannot require on every Node); native and large modules stay external.
      externalizeDeps: { exclude: ['canonicalize', 'yaml', 'zod', 'hyparquet'] },
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          engineWorker: resolve(import.meta.dirname, 'electron/core/engineWorker.ts'),
          // The FOCUS import's parse worker, started by the engine from beside its own bundle.
          focusParseWorker: resolve(import.meta.dirname, 'electron/core/spend/focusParseWorker.ts'),
          // The sunset judge, started by the engine beside its own bundle (candidateJudge.ts).
          judgeWorker: resolve(import.meta.dirname, 'electron/core/lifecycle/judgeWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': bundle everything else into the one file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; a smaller bundle parses faster.
      minify: true,
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});

// Component tests run beside the engine's tests on a loaded machine: testing-library's default of
// 1 s for findBy/waitFor fails a correct component that is merely slow to re-render there.
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 5000 });
}
export {};

import { invoke } from '../ipc';
import { ImportResultPanel, useImporter, type ImportSource } from '../components/importer';

export type { ImportState } from '../components/importer';
/** The card import panel is the shared import panel. */
export const ImportStatus = ImportResultPanel;

const CARD_SOURCE: ImportSource = {
  pick: () => invoke('dialog/pickCardPaths', {}),
  run: (paths) => invoke('cards/import', { paths }),
  progressEvent: 'cards/importProgress',
};

/** Pick card files or folders, import them with live progress, then report. */
export function useCardImport(onImported: () => void) {
  return useImporter(CARD_SOURCE, onImported);
}

export function ImportButton({ onClick, busy, primary = true }: { onClick: () => void; busy: boolean; primary?: boolean }) {
  return (
    <button type="button" className={`btn ${primary ? 'btn-primary' : 'btn-secondary'}`} onClick={onClick} disabled={busy} data-testid="import-button">
      {busy ? 'Importing…' : 'Import model cards…'}
    </button>
  );
}

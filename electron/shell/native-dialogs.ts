// The operating system's open dialogs, for the Platform: a folder for a site, one file to import. Each is modal
// to the window while there is one, and answers null when the technician cancels.
import type { FileFilter } from '../api/calls/site';
import type { Platform } from '../app/platform';

type OpenProperty = 'openFile' | 'openDirectory' | 'createDirectory';
export interface OpenDialogOptions {
  title: string;
  properties: OpenProperty[];
  filters?: FileFilter[];
}
type OpenDialogResult = Promise<{ canceled: boolean; filePaths: string[] }>;

/** The part of Electron's `dialog` used here (its two call forms: with a parent window and without). */
export interface OpenDialogLike<W> {
  showOpenDialog(window: W, options: OpenDialogOptions): OpenDialogResult;
  showOpenDialog(options: OpenDialogOptions): OpenDialogResult;
}

export function nativeDialogs<W>(
  dialog: OpenDialogLike<W>,
  currentWindow: () => W | undefined,
): Required<Pick<Platform, 'pickFolder' | 'pickFile'>> {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const window = currentWindow();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    pickFolder: (title) => open({ title, properties: ['openDirectory', 'createDirectory'] }),
    pickFile: (title, filters) =>
      open({
        title,
        properties: ['openFile'],
        ...(filters.length > 0
          ? { filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) }
          : {}),
      }),
  };
}

import { extname, join } from 'node:path'
import type { BaseWindow, Dialog, SaveDialogOptions } from 'electron'

/** What the chooser needs from Electron (injected: unit tests pass fakes). */
export interface SaveDialogDeps {
  dialog: Pick<Dialog, 'showSaveDialog'>
  /** The station's window (the dialog is modal to it), or null when there is none. */
  window: () => BaseWindow | null
  /** The folder proposed first (Electron: the account's Documents folder). */
  defaultDir: () => string
}

/**
 * "Export diagnostics" under Electron: a native save dialog proposing `<Documents>/<fileName>`; its title and buttons
 * come from the operating system in the desk's language. Returns the chosen path (`.zip` added when the operator typed
 * a name without it), or null when the dialog was canceled.
 */
export function createSaveDialogChooser(deps: SaveDialogDeps): (fileName: string) => Promise<string | null> {
  return async (fileName) => {
    const options: SaveDialogOptions = {
      defaultPath: join(deps.defaultDir(), fileName),
      filters: [{ name: 'Zip', extensions: ['zip'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    }
    const win = deps.window()
    const result = win
      ? await deps.dialog.showSaveDialog(win, options)
      : await deps.dialog.showSaveDialog(options)
    if (result.canceled || !result.filePath) return null
    return extname(result.filePath).toLowerCase() === '.zip' ? result.filePath : `${result.filePath}.zip`
  }
}

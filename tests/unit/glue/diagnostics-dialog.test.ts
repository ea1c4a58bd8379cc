import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import { createSaveDialogChooser } from '../../../electron/glue/diagnostics-dialog'

function fakeDialog(answer: { canceled: boolean; filePath?: string }) {
  return { showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ filePath: '', ...answer })) }
}

describe('Export diagnostics: the save dialog (Electron glue)', () => {
  it('proposes <Documents>/<file name>, modal to the station window, zip filter', async () => {
    const dialog = fakeDialog({ canceled: false, filePath: 'D:\\desk\\diag.ZIP' })
    const win = { id: 1 }
    const choose = createSaveDialogChooser({
      dialog: dialog as never,
      window: () => win as never,
      defaultDir: () => '/home/op/Documents',
    })
    expect(await choose('station-diagnostics-20260314-101502.zip')).toBe('D:\\desk\\diag.ZIP')
    expect(dialog.showSaveDialog).toHaveBeenCalledWith(win, {
      defaultPath: join('/home/op/Documents', 'station-diagnostics-20260314-101502.zip'),
      filters: [{ name: 'Zip', extensions: ['zip'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    })
  })

  it('without a window the dialog is not modal; a typed name gets .zip; canceled or empty is null', async () => {
    const saved = fakeDialog({ canceled: false, filePath: '/tmp/for-helpdesk' })
    const choose = createSaveDialogChooser({
      dialog: saved as never,
      window: () => null,
      defaultDir: () => '/d',
    })
    expect(await choose('x.zip')).toBe('/tmp/for-helpdesk.zip')
    expect(saved.showSaveDialog.mock.calls[0]).toHaveLength(1)
    for (const answer of [
      { canceled: true, filePath: '/tmp/a.zip' },
      { canceled: false, filePath: '' },
    ]) {
      const c = createSaveDialogChooser({
        dialog: fakeDialog(answer) as never,
        window: () => null,
        defaultDir: () => '/d',
      })
      expect(await c('x.zip')).toBeNull()
    }
  })
})

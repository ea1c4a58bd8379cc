import type { IpcMain, WebContents } from 'electron'
import { CHANNEL_NAMES } from '../../shared/ipc/contract'
import type { EventBus } from '../services/ipc/event-bus'
import type { Router } from '../services/ipc/router'
import type { Logger } from '../services/log'
import { isTrustedSender, type TrustedRenderer } from './sender-guard'

/** Dependencies of the Electron IPC host. */
export interface IpcHostDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  router: Router
  bus: EventBus
  trusted: TrustedRenderer
  /** The window to forward events to (only ours). */
  target(): WebContents | null
  log: Logger
}

/** Host 1 of the router: one ipcMain.handle per declared channel, all through the sender guard. */
export function installIpc(deps: IpcHostDeps): () => void {
  for (const channel of CHANNEL_NAMES) {
    deps.ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event, deps.trusted)) {
        deps.log.warn('ipc: untrusted sender denied', { channel, senderId: event.sender?.id })
        return { ok: false, error: { code: 'forbidden-sender' } }
      }
      return deps.router.dispatch(channel, payload, { host: 'electron' })
    })
  }
  const unsubscribe = deps.bus.subscribe((event, payload) => {
    const wc = deps.target()
    if (wc && !wc.isDestroyed()) wc.send(event, payload)
  })
  return () => {
    unsubscribe()
    for (const channel of CHANNEL_NAMES) deps.ipcMain.removeHandler(channel)
  }
}

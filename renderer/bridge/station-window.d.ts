import type { StationApi } from '../../shared/ipc/api'

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in the browser preview. */
    readonly station?: StationApi
  }
}

import type { StateCreator } from 'zustand'
import type { LinkStatus } from '../bridge/ws-transport'
import type { StationState } from './store'

/** State of the link to main: always open under Electron; the WebSocket's state in the browser preview. */
export interface ConnectionSlice {
  connection: {
    status: LinkStatus
    /** The link was open at least once: a later close is "lost", not "still connecting". */
    wasOpen: boolean
  }
}

/** Initial connection slice. */
export function createConnectionSlice(
  initial: LinkStatus,
): StateCreator<StationState, [], [], ConnectionSlice> {
  return () => ({ connection: { status: initial, wasOpen: initial === 'open' } })
}

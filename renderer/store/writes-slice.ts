import type { StateCreator } from 'zustand'
import type { CmWriteView } from '../../shared/domain/cm'
import type { ErrorInfo } from '../../shared/errors'
import type { StationState } from './store'

/** An operator action on one journaled CM write. */
export type WriteAction = 'retry' | 'dismiss'

/** The CM write journal as the renderer sees it (`cm:list-pending-writes` + `cm:writes-changed`). */
export interface WritesSlice {
  writes: {
    list: readonly CmWriteView[]
    loaded: boolean
    loadError: ErrorInfo | null
    /** Write id → action in flight. */
    busy: Readonly<Record<string, WriteAction>>
    /** Write id → why the operator's last action failed (a retry that failed again). */
    actionErrors: Readonly<Record<string, ErrorInfo>>
  }
}

/** Initial writes slice. */
export const createWritesSlice: StateCreator<StationState, [], [], WritesSlice> = () => ({
  writes: { list: [], loaded: false, loadError: null, busy: {}, actionErrors: {} },
})

import type { StateCreator } from 'zustand'
import type { ErrorInfo } from '../../shared/errors'
import type { AppInfo } from '../../shared/ipc/app'
import type { StationState } from './store'

/** App-level view state: what `app:info` said (training mode, version, CM host). */
export interface AppSlice {
  app: {
    info: AppInfo | null
    /** Why the last `app:info` call failed, if it did. */
    error: ErrorInfo | null
  }
}

/** Initial app slice. */
export const createAppSlice: StateCreator<StationState, [], [], AppSlice> = () => ({
  app: { info: null, error: null },
})

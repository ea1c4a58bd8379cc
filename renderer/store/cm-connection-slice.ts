import type { StateCreator } from 'zustand'
import type { CmConnectionStatus } from '../../shared/domain/cm-connection'
import type { StationState } from './store'

/**
 * Can this desk reach and sign in to Certificate Management (`cm:connection-status`, `cm:connection-changed`,
 * `cm:check-connection`)? The status main reported last, and the last finished check's result, kept apart so that a
 * running check ("checking") shows beside the previous result instead of replacing it.
 */
export interface CmConnectionSlice {
  cmConnection: {
    /** The latest status from main (its state is `checking` while a check runs); null until the first arrives. */
    status: CmConnectionStatus | null
    /** The latest finished check (never `checking`); null until one finished. */
    result: CmConnectionStatus | null
  }
}

/** Initial CM connection slice. */
export const createCmConnectionSlice: StateCreator<StationState, [], [], CmConnectionSlice> = () => ({
  cmConnection: { status: null, result: null },
})

/** The slice after main reported `status` (an event or an answer). */
export function withCmStatus(
  slice: CmConnectionSlice['cmConnection'],
  status: CmConnectionStatus,
): CmConnectionSlice['cmConnection'] {
  return { status, result: status.state === 'checking' ? slice.result : status }
}

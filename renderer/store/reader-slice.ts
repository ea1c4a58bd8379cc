import type { StateCreator } from 'zustand'
import type { ReaderSnapshot } from '../../shared/domain/reader'
import type { ErrorInfo } from '../../shared/errors'
import type { StationState } from './store'

/** A training card action in flight. */
export type CardAction = 'insert' | 'remove' | 'new'

/** Reader panel view state; the snapshot is replaced whole on every `reader:changed`. */
export interface ReaderSlice {
  readers: {
    snapshot: ReaderSnapshot | null
    /** Why the last `reader:list` call failed, if it did. */
    loadError: ErrorInfo | null
    /** Reader name → training action in flight (its button is disabled meanwhile). */
    pending: Readonly<Record<string, CardAction>>
    /** The last failed training action, shown until the next one starts. */
    actionError: { reader: string; error: ErrorInfo } | null
  }
}

/** Initial reader slice. */
export const createReaderSlice: StateCreator<StationState, [], [], ReaderSlice> = () => ({
  readers: { snapshot: null, loadError: null, pending: {}, actionError: null },
})

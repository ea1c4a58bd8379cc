import { createStore, type StoreApi } from 'zustand/vanilla'
import type { LinkStatus } from '../bridge/ws-transport'
import { createAppSlice, type AppSlice } from './app-slice'
import { createCardSlice, type CardSlice } from './card-slice'
import { createCmConnectionSlice, type CmConnectionSlice } from './cm-connection-slice'
import { createConnectionSlice, type ConnectionSlice } from './connection-slice'
import { createDirectorySlice, type DirectorySlice } from './directory-slice'
import { createEnrollmentSlice, type EnrollmentSlice } from './enrollment-slice'
import { createNavigationSlice, type NavigationSlice } from './navigation-slice'
import { createReaderSlice, type ReaderSlice } from './reader-slice'
import { createWritesSlice, type WritesSlice } from './writes-slice'

/** The whole renderer view state: one store joined from feature slices (conventions.md §12). */
export type StationState = AppSlice &
  ConnectionSlice &
  ReaderSlice &
  CardSlice &
  NavigationSlice &
  EnrollmentSlice &
  WritesSlice &
  DirectorySlice &
  CmConnectionSlice

/** The store handle passed to the sync functions and provided to components. */
export type StationStore = StoreApi<StationState>

/**
 * One store per app instance (tests build their own). No actions inside: IPC results and events are written
 * with `setState` by the module-level functions in the *-sync.ts and *-actions.ts files.
 */
export function createStationStore(initialLink: LinkStatus = 'open'): StationStore {
  return createStore<StationState>()((...a) => ({
    ...createAppSlice(...a),
    ...createConnectionSlice(initialLink)(...a),
    ...createReaderSlice(...a),
    ...createCardSlice(...a),
    ...createNavigationSlice(...a),
    ...createEnrollmentSlice(...a),
    ...createWritesSlice(...a),
    ...createDirectorySlice(...a),
    ...createCmConnectionSlice(...a),
  }))
}

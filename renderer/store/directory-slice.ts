import type { StateCreator } from 'zustand'
import type { DirectoryPerson } from '../../shared/domain/directory'
import type { StationState } from './store'

/**
 * Names for the GUIDs CM gives (`directory:lookup`): uuid → person, or null when the directory does not know
 * them (the UI then shows the GUID). Absent: not asked yet. Only filled when `app:info` says a directory exists.
 */
export interface DirectorySlice {
  directory: { people: Readonly<Record<string, DirectoryPerson | null>> }
}

/** Initial directory slice. */
export const createDirectorySlice: StateCreator<StationState, [], [], DirectorySlice> = () => ({
  directory: { people: {} },
})

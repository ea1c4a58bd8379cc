import type { StateCreator } from 'zustand'
import type { DirectoryPerson } from '../../shared/domain/directory'
import type { StationState } from './store'

/**
 * Names for the GUIDs CM gives (`directory:lookup`): uuid → person, or null when the directory does not know
 * them (the UI then shows the GUID). Absent: not asked yet. Only filled when `app:info` says a directory exists.
 */
export interface DirectorySlice {
  directory: {
    people: Readonly<Record<string, DirectoryPerson | null>>
    /**
     * Names of profile templates the operator does not enroll on (`cm:get-template`, E02): id → name, or null when
     * CM has none to show (the UI then shows the GUID). Absent: not asked yet.
     */
    templates: Readonly<Record<string, string | null>>
  }
}

/** Initial directory slice. */
export const createDirectorySlice: StateCreator<StationState, [], [], DirectorySlice> = () => ({
  directory: { people: {}, templates: {} },
})

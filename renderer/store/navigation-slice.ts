import type { StateCreator } from 'zustand'
import type { RequestId } from '../../shared/domain/cm'
import type { StationState } from './store'

/**
 * Which page the operator is on. `issue` without a request id is the first step ("Holder & request");
 * with one it follows that enrollment. Written only through {@link navigate}.
 */
export type Screen = { name: 'home' } | { name: 'issue'; requestId: RequestId | null } | { name: 'retire' }

/** Navigation view state. */
export interface NavigationSlice {
  navigation: {
    screen: Screen
    /** How many times the operator changed page: the first page does not take the focus, later ones do. */
    moves: number
  }
}

/** Initial navigation slice: the Home page. */
export const createNavigationSlice: StateCreator<StationState, [], [], NavigationSlice> = () => ({
  navigation: { screen: { name: 'home' }, moves: 0 },
})

import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { StationApi } from '../../shared/ipc/api'
import type { StationState, StationStore } from './store'

/** What components get from the app: the store to read, the station to hand to actions. */
export interface StationContextValue {
  store: StationStore
  station: StationApi
}

const StationContext = createContext<StationContextValue | null>(null)

/** Provide the store and the station to the component tree. */
export function StationProvider(props: { value: StationContextValue; children: ReactNode }): ReactNode {
  return <StationContext.Provider value={props.value}>{props.children}</StationContext.Provider>
}

/** The store and station of the nearest provider. */
export function useStationContext(): StationContextValue {
  const value = useContext(StationContext)
  if (!value) throw new Error('useStationContext outside StationProvider')
  return value
}

/** Read the store with a selector; the component re-renders only when the selected value changes. */
export function useStationState<T>(selector: (state: StationState) => T): T {
  return useStore(useStationContext().store, selector)
}

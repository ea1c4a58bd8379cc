import type { StateCreator } from 'zustand'
import type { CmCardSummary } from '../../shared/domain/cm'
import type { ErrorInfo } from '../../shared/errors'
import type { CardIdentityView } from '../../shared/ipc/card'
import type { StationState } from './store'

/** A GIDS card whose cardid was read. */
export type IdentifiedCard = CardIdentityView & { cardId: string; isGids: true }

/**
 * What the station knows about the card in one reader, step by step: `card:identify`, then (GIDS card
 * with a cardid) `cm:find-card`. A discriminated union: each phase carries exactly what it can show.
 */
export type CardView =
  | { phase: 'identifying' }
  | { phase: 'identify-failed'; error: ErrorInfo }
  /** The card did not answer SELECT of the GIDS application. */
  | { phase: 'not-gids'; identity: CardIdentityView }
  /** A GIDS card without a cardid yet (not initialised). */
  | { phase: 'blank'; identity: CardIdentityView }
  | { phase: 'looking-up'; identity: IdentifiedCard }
  | { phase: 'registered'; identity: IdentifiedCard; record: CmCardSummary }
  /** CM returned no record (unknown to CM, or not visible to this operator). */
  | { phase: 'not-registered'; identity: IdentifiedCard }
  | { phase: 'lookup-failed'; identity: IdentifiedCard; error: ErrorInfo }

/** The phase names, for test ids and styling. */
export type CardPhase = CardView['phase']

/** Card details per reader; a reader without a card has no entry. Written only by card-sync.ts. */
export interface CardSlice {
  cards: {
    byReader: Readonly<Record<string, CardView>>
  }
}

/** Initial card slice. */
export const createCardSlice: StateCreator<StationState, [], [], CardSlice> = () => ({
  cards: { byReader: {} },
})

import type { PcscServiceState, ReaderKind } from '../../../shared/domain/reader'

/** An open connection to the card in one reader (PC/SC SHARED). */
export interface CardConnection {
  /** Protocol negotiated at connect (pcsclite: 1 = T0, 2 = T1). */
  readonly protocol: number
  /** Send one APDU, get `data || SW1 SW2`. Rejects with a StationError ('card-removed', 'reader-unavailable'). */
  transmit(apdu: Uint8Array): Promise<Buffer>
  /** Disconnect leaving the card powered (SCARD_LEAVE_CARD). Never throws. */
  disconnect(): Promise<void>
}

/** Observations a backend reports to the reader service. */
export interface BackendListener {
  readerAdded(name: string): void
  readerRemoved(name: string): void
  /** The reader's monitor died without a reader-list change: it is being re-listed (shown as reconnecting). */
  readerReconnecting(name: string): void
  /** Card presence of one reader changed (or its first status arrived). */
  cardStatus(name: string, present: boolean, atr: string | null): void
  /** Service availability (pcsc backend only; in-memory readers are always available). */
  serviceState(state: PcscServiceState): void
}

/** A source of readers: real PC/SC (pcsclite) or in-memory virtual readers (training mode). */
export interface ReaderBackend {
  readonly kind: ReaderKind
  /** Start reporting to `listener`. Must not throw (an absent service is reported, then retried). */
  start(listener: BackendListener): void
  /** Connect to the card in `reader`; rejects with StationError 'no-card' / 'reader-unavailable'. */
  connect(reader: string): Promise<CardConnection>
  /** Release every reader and context so the process can exit. */
  close(): Promise<void>
}

/** A short-lived handle on a card inside one serialized job (see ReaderService.withCard). */
export interface CardChannel {
  readonly reader: string
  /** ATR of the card, lower-case hex. */
  readonly atr: string
  /** Send one APDU; returns `data || SW1 SW2`. */
  transmit(apdu: Uint8Array): Promise<Buffer>
}

/** What the card edge needs from the reader service (the narrowest slice). */
export interface CardAccess {
  /**
   * Run `job` against the card in `reader`: connect SHARED, run, disconnect LEAVE.
   * Jobs on the same reader run one at a time, in order. Never spans a human prompt.
   */
  withCard<T>(reader: string, job: (card: CardChannel) => Promise<T>): Promise<T>
}

/** State of the PC/SC service as the station sees it. */
export type PcscServiceState =
  /** Context being established (first attempt). */
  | 'starting'
  /** pcscd / SCardSvr answered; readers are listed. */
  | 'available'
  /** The service is absent or died; the station retries with backoff and recovers by itself. */
  | 'unavailable'
  /** The native pcsclite module could not be loaded: smart-card support unavailable in this build. */
  | 'unsupported'

/** Where a reader comes from. */
export type ReaderKind = 'pcsc' | 'virtual'

/** One card reader, keyed by its PC/SC name. */
export interface ReaderInfo {
  name: string
  kind: ReaderKind
  /** A card is in the reader (PC/SC `SCARD_STATE_PRESENT`). */
  present: boolean
  /** Lower-case hex ATR of the present card, or null (also for a mute card that is present without an ATR). */
  atr: string | null
  /**
   * The reader's PC/SC monitor ended while the reader list did not change: the station is re-listing the readers
   * (with backoff) and keeps showing the last known state meanwhile; no card work runs on it.
   */
  reconnecting: boolean
}

/** Everything the reader panel shows; broadcast whole on every change (small, and idempotent). */
export interface ReaderSnapshot {
  service: PcscServiceState
  readers: ReaderInfo[]
}

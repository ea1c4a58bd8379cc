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
  /** Lower-case hex ATR of the present card, or null. */
  atr: string | null
}

/** Everything the reader panel shows; broadcast whole on every change (small, and idempotent). */
export interface ReaderSnapshot {
  service: PcscServiceState
  readers: ReaderInfo[]
}

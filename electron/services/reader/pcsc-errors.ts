import { StationError } from '../../../shared/errors'

/** PC/SC return codes that matter to the station (winscard / pcsc-lite, pcsc-lab.md §3). */
export const PCSC = {
  E_NO_SMARTCARD: 0x8010000c,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NOT_TRANSACTED: 0x80100016,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  E_COMM_ERROR: 0x80100013,
  E_CANCELLED: 0x80100002,
  E_READER_UNAVAILABLE: 0x80100017,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
  W_UNPOWERED_CARD: 0x80100067,
  W_UNRESPONSIVE_CARD: 0x80100066,
} as const

/** Extract the PC/SC code from a pcsclite error message like "… Card was removed.(0x80100069)". */
export function pcscCode(error: unknown): number | null {
  const text = error instanceof Error ? error.message : String(error)
  const m = /\(0x([0-9a-f]{8})\)/i.exec(text)
  return m ? parseInt(m[1]!, 16) >>> 0 : null
}

/** True for failures that mean the PC/SC service itself is gone (absent, stopped, RPC broken). */
export function isServiceGone(error: unknown): boolean {
  const code = pcscCode(error)
  return (
    code === PCSC.E_NO_SERVICE ||
    code === PCSC.E_SERVICE_STOPPED ||
    code === PCSC.E_COMM_ERROR ||
    code === PCSC.E_NO_READERS_AVAILABLE
  )
}

/** True for the transient errors seen right after insertion (Windows PnP/minidriver probing, resets). */
export function isTransientConnectError(error: unknown): boolean {
  const code = pcscCode(error)
  return code === PCSC.E_SHARING_VIOLATION || code === PCSC.W_RESET_CARD || code === PCSC.W_UNPOWERED_CARD
}

/** Map a pcsclite connect failure to a closed card error code. */
export function connectError(error: unknown): StationError {
  const code = pcscCode(error)
  const detail = error instanceof Error ? error.message : String(error)
  if (code === PCSC.E_NO_SMARTCARD || code === PCSC.W_REMOVED_CARD)
    return new StationError('no-card', {}, detail)
  if (code === PCSC.W_UNRESPONSIVE_CARD) return new StationError('card-unresponsive', {}, detail)
  return new StationError('reader-unavailable', {}, detail)
}

/** Map a pcsclite transmit failure to a closed card error code. */
export function transmitError(error: unknown): StationError {
  const code = pcscCode(error)
  const detail = error instanceof Error ? error.message : String(error)
  // Reset by another program: the command never reached the card (PC/SC refuses the stale handle), so nothing
  // on the card moved — its own outcome, retried once by the card edge (field report: Windows resetting cards).
  if (code === PCSC.W_RESET_CARD) return new StationError('card-reset', {}, detail)
  // "Transaction failed" right after a mid-APDU removal, then "Card was removed" (pcsc-lab.md §3 gotchas).
  if (code === PCSC.W_REMOVED_CARD || code === PCSC.E_NOT_TRANSACTED) {
    return new StationError('card-removed', {}, detail)
  }
  return new StationError('reader-unavailable', {}, detail)
}

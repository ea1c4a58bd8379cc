import { StationError } from '../../../shared/errors'
import { PCSC, pcscCode } from '../reader/pcsc-errors'
import { pinTriesLeft, SW, swHex } from './apdu'

/**
 * Status word → closed card error code, per operation (gids-card-edge.md §10.1). Only the code and
 * the tries counter cross IPC; the status word goes to the log detail.
 */

/** A card answer that is none of the expected ones: 'apdu-failed' with the SW in the log detail. */
export function apduFailed(op: string, sw: number): StationError {
  return new StationError('apdu-failed', {}, `${op}: SW ${swHex(sw)}`)
}

/** VERIFY of the user PIN: 63Cx → wrong-pin (x tries left), 6983 → pin-blocked (§7.2). */
export function verifyFailure(sw: number): StationError {
  const left = pinTriesLeft(sw)
  if (left !== null) {
    // A counter reaching 0 on this try is "blocked" from now on, which is what the holder must hear.
    if (left === 0) return new StationError('pin-blocked', { triesLeft: 0 }, `VERIFY: SW ${swHex(sw)}`)
    return new StationError('wrong-pin', { triesLeft: left }, `VERIFY: SW ${swHex(sw)}`)
  }
  if (sw === SW.AUTH_METHOD_BLOCKED)
    return new StationError('pin-blocked', { triesLeft: 0 }, 'VERIFY: SW 6983')
  return apduFailed('VERIFY', sw)
}

/**
 * GENERAL AUTHENTICATE with the admin response (§5.4 step 3). 6982 = wrong response (GidsApplet);
 * 63Cx / 6983 = a card that counts failed admin authentications (§5.5: "not established" which real
 * cards do; CardAuthenticateChallenge reports attempts remaining) → auth-failed with the count.
 * 6985 = no pending challenge (the card was reset or re-selected while the server answered): not a
 * counted failure, so apdu-failed.
 */
export function adminAuthFailure(sw: number): StationError {
  const left = pinTriesLeft(sw)
  if (left !== null) return new StationError('auth-failed', { triesLeft: left }, `admin GA: SW ${swHex(sw)}`)
  if (sw === SW.AUTH_METHOD_BLOCKED)
    return new StationError('auth-failed', { triesLeft: 0 }, 'admin GA: blocked')
  if (sw === SW.SECURITY_NOT_SATISFIED) return new StationError('auth-failed', {}, 'admin GA: SW 6982')
  return apduFailed('admin GA', sw)
}

/**
 * A privileged command (PUT KEY, RESET RETRY COUNTER) refused: 6982 means the admin authentication
 * is not (or no longer) valid (§6: a card may drop it after a key change) → auth-failed.
 */
export function privilegedFailure(op: string, sw: number): StationError {
  if (sw === SW.SECURITY_NOT_SATISFIED) return new StationError('auth-failed', {}, `${op}: SW 6982`)
  return apduFailed(op, sw)
}

/**
 * A user-key or file command refused (CREATE FILE, PUT DATA, GENERATE, MSE, PSO, §9, §10.1):
 * 6A84 → card-full (no memory for the key file, DO or certificate); 6982 → auth-failed (the PIN
 * verification this job made is not, or no longer, accepted for it: the card was reset or wants
 * another authentication); anything else (6A81 unsupported algorithm, 6984, …) → apdu-failed with the SW in the log detail.
 */
export function keyOperationFailure(op: string, sw: number): StationError {
  if (sw === SW.NOT_ENOUGH_MEMORY) return new StationError('card-full', {}, `${op}: SW 6a84`)
  if (sw === SW.SECURITY_NOT_SATISFIED) return new StationError('auth-failed', {}, `${op}: SW 6982`)
  return apduFailed(op, sw)
}

/**
 * RESET RETRY COUNTER / CHANGE REFERENCE DATA refused: 67 00 (wrong length: a TPM VSC answers it to a PIN shorter
 * than 8, gids-card-edge.md §7.4–7.5) and 6A 80 (incorrect data: characters the card does not take) are the card's PIN
 * rules → 'pin-rule', said in the holder's words by the UI; the rest as for any privileged command.
 */
export function pinWriteFailure(op: string, sw: number): StationError {
  if (sw === SW.WRONG_LENGTH || sw === SW.WRONG_DATA)
    return new StationError('pin-rule', {}, `${op}: SW ${swHex(sw)}`)
  return privilegedFailure(op, sw)
}

/**
 * True for the transient PC/SC conditions seen right after insertion or when another application
 * touched the card (Windows PnP / minidriver probing): sharing violation, card reset, "Transaction
 * failed", unpowered card. The whole job may be retried only if nothing was committed yet.
 */
export function isTransientCardError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = pcscCode(error)
  return (
    code === PCSC.E_SHARING_VIOLATION ||
    code === PCSC.W_RESET_CARD ||
    code === PCSC.E_NOT_TRANSACTED ||
    code === PCSC.W_UNPOWERED_CARD
  )
}

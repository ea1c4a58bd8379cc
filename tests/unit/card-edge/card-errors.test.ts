import { describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import {
  adminAuthFailure,
  isTransientCardError,
  pinWriteFailure,
  privilegedFailure,
  verifyFailure,
} from '../../../electron/services/card/card-errors'

describe('status word → closed card error code (gids-card-edge.md §10.1)', () => {
  it.each([
    [0x6700, 'pin-rule'], // a TPM VSC refusing a PIN shorter than 8 (field report)
    [0x6a80, 'pin-rule'],
    [0x6982, 'auth-failed'],
    [0x6a86, 'apdu-failed'],
  ])('RESET RETRY COUNTER %s → %s', (sw, code) => {
    expect(pinWriteFailure('RESET RETRY COUNTER', sw).code).toBe(code)
  })

  it.each([
    [0x63c2, 'wrong-pin', 2],
    [0x63c1, 'wrong-pin', 1],
    [0x63c0, 'pin-blocked', 0],
    [0x6983, 'pin-blocked', 0],
    [0x6700, 'apdu-failed', undefined],
    [0x6a88, 'apdu-failed', undefined],
  ])('VERIFY %s → %s (triesLeft %s)', (sw, code, triesLeft) => {
    const e = verifyFailure(sw)
    expect(e.code).toBe(code)
    expect(e.info.triesLeft).toBe(triesLeft)
  })

  it.each([
    [0x6982, 'auth-failed', undefined],
    [0x63c4, 'auth-failed', 4],
    [0x6983, 'auth-failed', 0],
    [0x6985, 'apdu-failed', undefined], // challenge lost (reset): not a counted failure
    [0x6984, 'apdu-failed', undefined],
  ])('admin GA %s → %s (triesLeft %s)', (sw, code, triesLeft) => {
    const e = adminAuthFailure(sw)
    expect(e.code).toBe(code)
    expect(e.info.triesLeft).toBe(triesLeft)
  })

  it.each([
    [0x6982, 'auth-failed'],
    [0x6700, 'apdu-failed'],
    [0x6986, 'apdu-failed'],
  ])('PUT KEY / RESET RETRY COUNTER %s → %s', (sw, code) => {
    expect(privilegedFailure('PUT KEY', sw).code).toBe(code)
  })

  it('keeps the status word in the log detail only, never in the IPC payload', () => {
    const e = verifyFailure(0x63c2)
    expect(e.message).toContain('63c2')
    expect(JSON.stringify(e.toInfo())).toBe('{"code":"wrong-pin","triesLeft":2}')
  })

  it.each([
    [
      'sharing violation',
      new StationError('reader-unavailable', {}, 'SCardConnect error: Sharing violation.(0x8010000b)'),
      true,
    ],
    [
      'card reset',
      new StationError('card-removed', {}, 'SCardTransmit error: Card was reset.(0x80100068)'),
      true,
    ],
    [
      'transaction failed',
      new StationError('card-removed', {}, 'SCardTransmit error: Transaction failed.(0x80100016)'),
      true,
    ],
    ['unpowered', new Error('SCardTransmit error: Card is unpowered.(0x80100067)'), true],
    [
      'card removed',
      new StationError('card-removed', {}, 'SCardTransmit error: Card was removed.(0x80100069)'),
      false,
    ],
    ['empty response', new StationError('card-removed', {}, 'empty response'), false],
    ['no card', new StationError('no-card', {}, 'R'), false],
    ['not an error', 'Sharing violation.(0x8010000b)', false],
  ])('transient: %s → %s', (_n, error, transient) => {
    expect(isTransientCardError(error)).toBe(transient)
  })
})

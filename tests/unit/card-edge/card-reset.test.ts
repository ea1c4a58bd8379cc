import { describe, expect, it } from 'vitest'
import { adminResponse } from '../../../electron/services/crypto/des'
import { transmitError } from '../../../electron/services/reader/pcsc-errors'
import { CARDID_GUID, K0, KD, READER, setup } from './edge-helpers'

// Field report: "Card reset by another program, reported as card removed". A reset is its own outcome: the command
// never reached the card (PC/SC refuses the stale handle), so the edge runs the job once more — reconnect, SELECT, a
// new challenge and a new CM response — and reports `card-reset` only when it happens again.

/** pcsclite's transmit error when another program reset the card (Windows minidriver probing, another app). */
const RESET = () =>
  new Error(
    'SCardTransmit error: The smart card has been reset, so any shared state information is invalid.(0x80100068)',
  )

describe('a card reset by another program', () => {
  it('is classified as card-reset (not a removal), by its PC/SC code', () => {
    expect(transmitError(RESET()).code).toBe('card-reset')
    expect(transmitError(new Error('SCardTransmit error: Card was removed.(0x80100069)')).code).toBe(
      'card-removed',
    )
    expect(transmitError(new Error('SCardTransmit error: Reader unavailable.(0x80100017)')).code).toBe(
      'reader-unavailable',
    )
  })

  it('admin authentication: the reset hits the response after CM answered → a clean second run succeeds', async () => {
    const { edge, access, card } = setup({ adminTryLimit: 3 })
    let calls = 0
    await edge.changeAdminKey(READER, {
      expectCardId: CARDID_GUID,
      newKey: KD,
      respond: async (challenge) => {
        calls++
        // The reset lands between the CM answer and the GA carrying it (the input of the field report).
        if (calls === 1) access.transmitErrors.push(transmitError(RESET()))
        return adminResponse(K0, challenge)
      },
    })
    expect(calls).toBe(2) // a new challenge, a new CM response
    expect(card.snapshot().admin).toEqual({ limit: 3, triesLeft: 3 }) // no counted failure
    await edge.authenticateAdmin(READER, { respond: async (c) => adminResponse(KD, c) }, async () => {})
  })

  it('a reset during PIN setting (on RESET RETRY COUNTER, after the admin authentication): run again once', async () => {
    const { edge, access, card } = setup({ adminTryLimit: 3 })
    access.failOnce = { match: (hex) => hex.startsWith('002c'), error: transmitError(RESET()) }
    let calls = 0
    await edge.setUserPin(READER, {
      respond: async (challenge) => {
        calls++
        return adminResponse(K0, challenge)
      },
      pin: '13572468',
    })
    expect(calls).toBe(2)
    expect(card.snapshot().admin).toEqual({ limit: 3, triesLeft: 3 })
    await edge.verifyPin(READER, '13572468')
  })

  it('a second reset in a row is reported as card-reset, after exactly two runs', async () => {
    const { edge, access } = setup()
    let calls = 0
    await expect(
      edge.changeAdminKey(READER, {
        newKey: KD,
        respond: async (challenge) => {
          calls++
          access.transmitErrors.push(transmitError(RESET()))
          return adminResponse(K0, challenge)
        },
      }),
    ).rejects.toMatchObject({ code: 'card-reset' })
    expect(calls).toBe(2)
  })

  it('key generation and certificate writing follow the same rule (user PIN job run again once)', async () => {
    const { edge, access } = setup()
    let runs = 0
    const key = await edge.withUserPin(READER, { pin: '12345678' }, async (s) => {
      runs++
      if (runs === 1) access.transmitErrors.push(transmitError(RESET()))
      return s.generateKey({ bits: 1024, usage: 'signature' })
    })
    expect(runs).toBe(2)
    expect(key.bits).toBe(1024)
    expect(await edge.listContainers(READER)).toHaveLength(1)
  })
})

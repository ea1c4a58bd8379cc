import { describe, expect, it } from 'vitest'
import { buildChainedApdus } from '../../../electron/services/card/apdu'
import { createLocalResponder } from '../../../electron/services/card/local-responder'
import { encodeTlv } from '../../../electron/services/card/tlv'
import { adminResponse } from '../../../electron/services/crypto/des'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { GidsCardEdge } from '../../../electron/services/card/gids-card-edge'
import { silentLogger } from '../../../electron/services/log'
import { FakeCardAccess, foreignCard } from './fake-access'
import { CARDID_GUID, K0, KD, READER, seq, setup } from './edge-helpers'

const SELECT = '00a40400'
const GET_DATA_MF = '00cba000045c02df1f00'
const GET_DATA_CARDID = '00cba012045c02df2000'

describe('GidsCardEdge.identify', () => {
  it('reads ATR and cardid (master file lookup, then A012/DF20) of a personalised card', async () => {
    const { edge, access } = setup()
    await expect(edge.identify(READER)).resolves.toEqual({
      atr: '3b8d0180fba000000397425446590301c8',
      cardId: CARDID_GUID,
      isGids: true,
    })
    expect(access.sent).toEqual(['00a4040009a0000003974254465900', GET_DATA_MF, GET_DATA_CARDID])
    expect(access.jobs).toBe(1)
  })

  it('reports a blank GIDS card (no master file) with a null cardid', async () => {
    const access = new FakeCardAccess(GidsCard.blank())
    const edge = new GidsCardEdge({ access, log: silentLogger })
    await expect(edge.identify(READER)).resolves.toMatchObject({ cardId: null, isGids: true })
  })

  it('reports a non-GIDS card without failing, and refuses GIDS operations on it with not-gids', async () => {
    const access = new FakeCardAccess(foreignCard())
    const edge = new GidsCardEdge({ access, log: silentLogger })
    await expect(edge.identify(READER)).resolves.toEqual({
      atr: '3b951381018073ff01000b',
      cardId: null,
      isGids: false,
    })
    await expect(edge.pinStatus(READER)).rejects.toMatchObject({ code: 'not-gids' })
    await expect(edge.verifyPin(READER, '1234')).rejects.toMatchObject({ code: 'not-gids' })
    const respond = async () => Buffer.alloc(8)
    await expect(edge.setUserPin(READER, { respond, pin: '1234' })).rejects.toMatchObject({
      code: 'not-gids',
    })
  })

  it('says no-card when the reader is empty', async () => {
    const edge = new GidsCardEdge({ access: new FakeCardAccess(null), log: silentLogger })
    await expect(edge.identify(READER)).rejects.toMatchObject({ code: 'no-card' })
  })
})

describe('GidsCardEdge admin sequence (cm-rest-api.md §5.3 steps 10-16) with a local responder', () => {
  it('changes K0 → Kd, sets the PIN under Kd, and the PIN verifies', async () => {
    const { edge, card, access } = setup()
    const r0 = createLocalResponder(K0)
    await edge.changeAdminKey(READER, { respond: r0.respond, newKey: KD, expectCardId: CARDID_GUID })
    expect(card.snapshot().adminKey).toBe(KD.toString('hex'))
    // One job: SELECT, cardid check, MSE, GA challenge, GA response, PUT KEY, logout.
    expect(access.headers()).toEqual([
      SELECT,
      '00cba000',
      '00cba012',
      '0022c1a4',
      '00870000',
      '00870000',
      '00db3fff',
      '00200082',
    ])

    const rd = createLocalResponder(KD)
    await edge.setUserPin(READER, { respond: rd.respond, pin: '24681357' })
    await expect(edge.verifyPin(READER, '24681357')).resolves.toBeUndefined()
    await expect(edge.pinStatus(READER)).resolves.toEqual({ triesLeft: 3, limit: 3 })
    // The old key no longer works.
    await expect(edge.setUserPin(READER, { respond: r0.respond, pin: '11112222' })).rejects.toMatchObject({
      code: 'auth-failed',
    })
    r0.dispose()
    rd.dispose()
  })

  it('runs the responder inside the job, between the challenge and the response, on one connection', async () => {
    const { edge, access } = setup()
    const seen: string[] = []
    await edge.authenticateAdmin(
      READER,
      {
        respond: async (challenge) => {
          seen.push(`respond after ${access.sent.length} APDUs in job ${access.jobs}`)
          return adminResponse(K0, challenge)
        },
      },
      async (admin) => {
        seen.push(`then in job ${access.jobs}, reader ${admin.reader}`)
        return 42
      },
    )
    expect(seen).toEqual(['respond after 3 APDUs in job 1', `then in job 1, reader ${READER}`])
    expect(access.sent.at(-1)).toBe('00200082') // logged out before letting go of the card
  })

  it('zeroes the challenge handed to the responder and the response it returned', async () => {
    const { edge } = setup()
    let challenge: Buffer | null = null
    let response: Buffer | null = null
    await edge.authenticateAdmin(
      READER,
      {
        respond: async (c) => {
          challenge = c
          response = adminResponse(K0, c)
          return response
        },
      },
      async () => undefined,
    )
    expect(challenge!.length).toBe(8)
    expect(challenge!.every((b) => b === 0)).toBe(true)
    expect(response!.every((b) => b === 0)).toBe(true)
  })

  it('sends the new key with its real KCV (the card would log a mismatch otherwise)', async () => {
    const { edge, access } = setup()
    await edge.changeAdminKey(READER, { respond: createLocalResponder(K0).respond, newKey: KD })
    const putKey = access.sent.find((h) => h.startsWith('00db3fff'))!
    expect(putKey.slice(-10)).toBe('8803894bc3')
  })
})

describe('GidsCardEdge admin failures', () => {
  it('rejects a wrong response as auth-failed, counted by the card until it blocks', async () => {
    const { edge, card } = setup({ adminTryLimit: 3 })
    const wrong = createLocalResponder(seq(0x40, 24)).respond
    for (const left of [2, 1, 0]) {
      await expect(edge.setUserPin(READER, { respond: wrong, pin: '11112222' })).rejects.toMatchObject({
        code: 'auth-failed',
      })
      expect(card.snapshot().admin.triesLeft).toBe(left)
    }
    // Blocked: the card refuses the challenge itself (6983); even the right key no longer helps.
    const right = createLocalResponder(K0).respond
    await expect(edge.setUserPin(READER, { respond: right, pin: '11112222' })).rejects.toMatchObject({
      code: 'auth-failed',
      info: { triesLeft: 0 },
    })
    await expect(edge.verifyPin(READER, '12345678')).resolves.toBeUndefined() // PIN untouched
  })

  it('a right response resets the card’s admin counter', async () => {
    const { edge, card } = setup({ adminTryLimit: 3 })
    const wrong = createLocalResponder(seq(0x40, 24)).respond
    await expect(edge.setUserPin(READER, { respond: wrong, pin: '11112222' })).rejects.toMatchObject({
      code: 'auth-failed',
    })
    expect(card.snapshot().admin.triesLeft).toBe(2)
    await edge.setUserPin(READER, { respond: createLocalResponder(K0).respond, pin: '11112222' })
    expect(card.snapshot().admin.triesLeft).toBe(3)
  })

  it('never sends a malformed response (it would be counted): auth-failed before GA 82', async () => {
    const { edge, card, access } = setup({ adminTryLimit: 3 })
    await expect(
      edge.setUserPin(READER, { respond: async () => Buffer.alloc(7), pin: '11112222' }),
    ).rejects.toMatchObject({ code: 'auth-failed' })
    expect(access.sent.filter((h) => h.startsWith('00870000')).length).toBe(1) // the challenge only
    expect(card.snapshot().admin.triesLeft).toBe(3)
  })

  it('checks the cardid before the challenge: a swapped card gets wrong-card and no counted failure', async () => {
    const { edge, card, access } = setup({ adminTryLimit: 3 })
    const respond = createLocalResponder(seq(0x40, 24)).respond
    await expect(
      edge.setUserPin(READER, {
        respond,
        pin: '11112222',
        expectCardId: '00000000-0000-0000-0000-000000000001',
      }),
    ).rejects.toMatchObject({ code: 'wrong-card' })
    expect(access.headers()).not.toContain('0022c1a4')
    expect(card.snapshot().admin.triesLeft).toBe(3)
  })

  it('a responder failure (e.g. the CM call) propagates unchanged and leaves the card untouched', async () => {
    const { edge, card } = setup({ adminTryLimit: 3 })
    const boom = Object.assign(new Error('network down'), { code: 'network' })
    await expect(
      edge.setUserPin(READER, { respond: async () => Promise.reject(boom), pin: '11112222' }),
    ).rejects.toBe(boom)
    expect(card.snapshot().admin.triesLeft).toBe(3)
  })

  it('validates the new key and the PIN before touching the card', async () => {
    const { edge, access } = setup()
    const respond = createLocalResponder(K0).respond
    await expect(edge.changeAdminKey(READER, { respond, newKey: Buffer.alloc(16) })).rejects.toMatchObject({
      code: 'invalid-request',
    })
    await expect(edge.setUserPin(READER, { respond, pin: '123' })).rejects.toMatchObject({
      code: 'invalid-request',
    })
    await expect(edge.setUserPin(READER, { respond, pin: 'x'.repeat(128) })).rejects.toMatchObject({
      code: 'invalid-request',
    })
    expect(access.jobs).toBe(0)
  })
})

describe('GidsCardEdge user PIN', () => {
  it('counts wrong PINs down with triesLeft, then pin-blocked; an admin PIN reset unblocks', async () => {
    const { edge } = setup()
    await expect(edge.verifyPin(READER, '00000000')).rejects.toMatchObject({
      code: 'wrong-pin',
      info: { triesLeft: 2 },
    })
    await expect(edge.pinStatus(READER)).resolves.toEqual({ triesLeft: 2, limit: 3 })
    await expect(edge.verifyPin(READER, '00000000')).rejects.toMatchObject({
      code: 'wrong-pin',
      info: { triesLeft: 1 },
    })
    await expect(edge.verifyPin(READER, '00000000')).rejects.toMatchObject({
      code: 'pin-blocked',
      info: { triesLeft: 0 },
    })
    // Even the right PIN is refused now (6983).
    await expect(edge.verifyPin(READER, '12345678')).rejects.toMatchObject({ code: 'pin-blocked' })
    await expect(edge.pinStatus(READER)).resolves.toEqual({ triesLeft: 0, limit: 3 })
    await edge.setUserPin(READER, { respond: createLocalResponder(K0).respond, pin: '87654321' })
    await expect(edge.pinStatus(READER)).resolves.toEqual({ triesLeft: 3, limit: 3 })
    await expect(edge.verifyPin(READER, '87654321')).resolves.toBeUndefined()
  })

  it('a right PIN resets the counter; PINs may be given as bytes', async () => {
    const { edge } = setup()
    await expect(edge.verifyPin(READER, '00000000')).rejects.toMatchObject({ code: 'wrong-pin' })
    await edge.verifyPin(READER, Buffer.from('12345678'))
    await expect(edge.pinStatus(READER)).resolves.toEqual({ triesLeft: 3, limit: 3 })
  })
})

describe('GidsCardEdge.getAdminChallenge', () => {
  it('returns a fresh 8-byte challenge each time', async () => {
    const { edge } = setup()
    const a = await edge.getAdminChallenge(READER)
    const b = await edge.getAdminChallenge(READER)
    expect(a.length).toBe(8)
    expect(a.equals(b)).toBe(false)
  })
})

describe('GidsCardEdge.identify on a card with a long master file (61xx + GET RESPONSE, §2)', () => {
  it('collects a master file longer than 256 bytes and still finds the cardid record', async () => {
    const { edge, card, access } = setup()
    // Grow the master file: 12 certificate records (as Windows would add, §4.2) → 1 + 17 × 28 = 477 bytes.
    const mf = card.process(Buffer.from('00cba000045c02df1f00', 'hex'))
    const value = mf.subarray(4, mf.length - 2) // DF 1F 81 8D <141 bytes> 90 00
    const extra = Array.from({ length: 12 }, (_, i) => {
      const r = Buffer.alloc(28)
      r.write('mscp', 0, 'latin1')
      r.write(`kxc${String(i).padStart(2, '0')}`, 9, 'latin1')
      r.writeUInt32LE(0xdf24 + i, 20)
      r.writeUInt32LE(0xa010, 24)
      return r
    })
    const grown = Buffer.concat([value, ...extra])
    expect(grown.length).toBe(477)
    expect(
      card.process(Buffer.from('00a4040009a0000003974254465900', 'hex')).subarray(-2).toString('hex'),
    ).toBe('9000')
    expect(card.process(Buffer.from('00200080083132333435363738', 'hex')).toString('hex')).toBe('9000') // PIN: A000 is user-writable
    for (const apdu of buildChainedApdus({ ins: 0xdb, p1: 0xa0, p2: 0x00, data: encodeTlv(0xdf1f, grown) })) {
      expect(card.process(apdu).toString('hex')).toBe('9000')
    }

    await expect(edge.identify(READER)).resolves.toMatchObject({ cardId: CARDID_GUID, isGids: true })
    // DF 1F 82 01 DD + 477 bytes = 482 = 256 + a GET RESPONSE of 226 (E2).
    expect(access.sent).toEqual([
      '00a4040009a0000003974254465900',
      '00cba000045c02df1f00',
      '00c00000e2',
      '00cba012045c02df2000',
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { adminResponse } from '../../../electron/services/crypto/des'
import { CmCardDouble, deriveDiversifiedKey, guidToDotNetBytes } from '../../../electron/simulator/cm/index'
import { defaultCustomPinProvider } from '../../../electron/simulator/cm/handlers/card-keys'
import { api, call, useTrainingSim } from './helpers'

/** §5.2 / SIM-C1..C8: admin keys, challenge responses, proposed PINs and the card double. */

const t = useTrainingSim()

const OP = 'CORP\\operator1'
const MSKEY = Buffer.from('010203040506070801020304050607080102030405060708', 'hex')
const CHAL = Buffer.from('1hFD+cz/0so=', 'base64')

async function unblockFor(card: string): Promise<string> {
  const res = await call(t.sim, 'POST', api('requests'), {
    as: OP,
    body: { datacollection: '[]', type: 'Unblock', smartcard: card, comment: '' },
  })
  expect(res.status, res.text).toBe(201)
  return (res.json() as string).split('/').pop()!
}
const authResp = (rid: string, card: string, cardid: string, chal: Buffer, div: boolean, as = OP) =>
  call(
    t.sim,
    'GET',
    api(
      `requests/${rid}/smartcards/${card}/authenticationresponse?cardid=${cardid}&challenge=${encodeURIComponent(chal.toString('base64'))}&diversified=${div}`,
    ),
    { as },
  )

describe('SIM-C1/C2 vectors', () => {
  it('zero key + 1hFD+cz/0so= → F0Zudm4wPLY= and the §5.2 extra vectors', () => {
    expect(adminResponse(Buffer.alloc(24), CHAL).toString('base64')).toBe('F0Zudm4wPLY=')
    expect(adminResponse(MSKEY, CHAL).toString('base64')).toBe('K1EIo4id/24=')
    expect(
      adminResponse(Buffer.from('mBVA+HopB/gc+6FuKsQqx+OX01hK1WQI', 'base64'), CHAL).toString('base64'),
    ).toBe('xdUoVecIEg0=')
  })

  it('derives the documented diversified key, independent of case and braces', () => {
    const kd = deriveDiversifiedKey('training-secret', 'bc88f13f-83ba-4037-8262-46eba1291c6e')
    expect(kd.toString('hex')).toBe('0ed9549eb5389efb9ddc23da320b5d161076f2c201cdae7f')
    expect(kd.toString('base64')).toBe('DtlUnrU4nvud3CPaMgtdFhB28sIBza5/')
    expect(
      deriveDiversifiedKey('training-secret', ' {BC88F13F-83BA-4037-8262-46EBA1291C6E} ').equals(kd),
    ).toBe(true)
    expect(adminResponse(kd, CHAL).toString('base64')).toBe('xvyHn7e//X0=')
    // every byte has odd parity
    expect([...kd].every((b) => b.toString(2).split('1').length % 2 === 0)).toBe(true)
  })
})

describe('E14/E15 over HTTP (SIM-C3..C5)', () => {
  // bob's active card on t-sc-random (diversified, secret "training-secret", random K0)
  const CARD = '7a000000-0000-4000-8000-000000000008'
  const CARDID = 'c0ffee00-0000-4000-8000-000000000008'
  const K0 = Buffer.from('7c3a91e05bd24f68a1c0e2d3b4f5061728394a5b6c7d8e9f', 'hex')

  it('E14 returns base64(Kd) and E15 answers E(K0 | Kd, challenge)', async () => {
    const rid = await unblockFor(CARD)
    const kdRes = await call(
      t.sim,
      'GET',
      api(`requests/${rid}/smartcards/${CARD}/diversifiedkey?cardid=${CARDID.toUpperCase()}`),
      { as: OP },
    )
    const kd = deriveDiversifiedKey('training-secret', CARDID)
    expect(kdRes.json()).toBe(kd.toString('base64'))
    expect((await authResp(rid, CARD, CARDID, CHAL, false)).json()).toBe(
      adminResponse(K0, CHAL).toString('base64'),
    )
    expect((await authResp(rid, CARD, CARDID, CHAL, true)).json()).toBe(
      adminResponse(kd, CHAL).toString('base64'),
    )
  })

  it('checks the challenge (8 bytes, strict base64), cardid and the card binding (SIM-C4, SIM-C5)', async () => {
    const rid = await unblockFor(CARD)
    expect((await authResp(rid, CARD, CARDID, Buffer.alloc(7), false)).status).toBe(500)
    expect((await authResp(rid, CARD, 'c0ffee00-0000-4000-8000-00000000ffff', CHAL, false)).status).toBe(500)
    const other = await unblockFor('7a000000-0000-4000-8000-000000000001')
    expect((await authResp(other, CARD, CARDID, CHAL, false)).status).toBe(500)
    t.sim.control.setSwitches({ checkCardId: false })
    const unchecked = await authResp(other, CARD, 'c0ffee00-0000-4000-8000-00000000ffff', CHAL, false)
    t.sim.control.setSwitches({ checkCardId: true })
    expect(unchecked.status).toBe(200)
    const bad = await call(
      t.sim,
      'GET',
      api(
        `requests/${rid}/smartcards/${CARD}/authenticationresponse?cardid=${CARDID}&challenge=1hFD%2Bcz%2F0so%3D&diversified=maybe`,
      ),
      { as: OP },
    )
    expect(bad.status).toBe(500)
  })

  it('E14 is 204 when the template does not diversify (Q13, t-vsc-serverpin)', async () => {
    const card = '7a000000-0000-4000-8000-000000000001'
    const rid = await unblockFor(card)
    const res = await call(
      t.sim,
      'GET',
      api(`requests/${rid}/smartcards/${card}/diversifiedkey?cardid=c0ffee00-0000-4000-8000-000000000001`),
      { as: OP },
    )
    expect(res.status).toBe(204)
    expect((await authResp(rid, card, 'c0ffee00-0000-4000-8000-000000000001', CHAL, false)).json()).toBe(
      'K1EIo4id/24=',
    )
  })

  it('agent-cert-renewed rotates the secret: Kd changes, so old cards fail (SIM-C8)', async () => {
    const rid = await unblockFor(CARD)
    const before = (await authResp(rid, CARD, CARDID, CHAL, true)).json()
    t.sim.control.applyPreset('agent-cert-renewed', { template: 't-sc-random' })
    const after = (await authResp(rid, CARD, CARDID, CHAL, true)).json()
    expect(after).not.toBe(before)
    // The initial key is not affected.
    expect((await authResp(rid, CARD, CARDID, CHAL, false)).json()).toBe(
      adminResponse(K0, CHAL).toString('base64'),
    )
  })
})

describe('E16 proposed PIN (SIM-C6)', () => {
  const pin = async (card: string) => {
    const rid = await unblockFor(card)
    return call(t.sim, 'GET', api(`requests/${rid}/smartcards/${card}/serverproposedpin?challenge=ignored`), {
      as: OP,
    })
  }

  it('ServerDistributed: digits of UserPinPolicy.MinLength, stable per card', async () => {
    const a = await pin('7a000000-0000-4000-8000-000000000001')
    const b = await pin('7a000000-0000-4000-8000-000000000001')
    expect(a.status).toBe(200)
    expect(a.json()).toMatch(/^\d{8}$/)
    expect(b.json()).toBe(a.json())
  })

  it('Randomized: a fresh PIN per call', async () => {
    const a = (await pin('7a000000-0000-4000-8000-000000000008')).json()
    const b = (await pin('7a000000-0000-4000-8000-000000000008')).json()
    expect(a).toMatch(/^\d{8}$/)
    expect(b).not.toBe(a)
  })

  it('CustomServerDistributed: the pluggable provider', async () => {
    const card = '7a000000-0000-4000-8000-000000000009'
    expect((await pin(card)).json()).toMatch(/^\d{8}$/)
    t.sim.control.setCustomPinProvider((ctx) => `9${ctx.cardId.slice(0, 3)}`)
    const custom = (await pin(card)).json()
    t.sim.control.setCustomPinProvider(defaultCustomPinProvider) // the provider is not part of the snapshot
    expect(custom).toBe('9c0f')
  })

  it('UserProvided: 204', async () => {
    const res = await pin('438d1b30-f3b4-4bed-85fa-285e08605ba7')
    expect(res.status).toBe(204)
  })
})

describe('card double (SIM-C7)', () => {
  it('accepts only E(adminKey, lastChallenge), single-use, and locks after 5 failures', async () => {
    const card = new CmCardDouble({
      adminKey: MSKEY,
      cardId: 'c0ffee00-0000-4000-8000-000000000001',
      seed: 's',
    })
    // .NET Guid.ToByteArray(): the first three fields little-endian (OQ-19).
    expect(card.cardIdBytes.toString('hex')).toBe('00eeffc0000000408000000000000001')
    const c1 = card.getChallenge()
    const newKey = Buffer.alloc(24, 0x5a)
    expect(card.changeAdminKey(adminResponse(MSKEY, c1), newKey)).toEqual({ ok: true })
    // the challenge was consumed
    expect(card.resetPin(adminResponse(newKey, c1), '1234')).toMatchObject({
      ok: false,
      reason: 'no-challenge',
    })
    const c2 = card.getChallenge()
    expect(card.resetPin(adminResponse(newKey, c2), '12345678')).toEqual({ ok: true })
    expect(card.verifyPin('12345678')).toEqual({ ok: true })
    expect(card.verifyPin('0000')).toMatchObject({ ok: false, reason: 'wrong-pin', triesLeft: 4 })
    for (let i = 0; i < 5; i++) {
      card.getChallenge()
      card.resetPin(Buffer.alloc(8), '1111')
    }
    expect(card.locked).toBe(true)
    const c3 = card.getChallenge()
    expect(card.resetPin(adminResponse(newKey, c3), '1111')).toMatchObject({ ok: false, reason: 'locked' })
  })

  it('works end to end with the simulator: E15 (K0) to change to Kd, then E15 (Kd) to set the PIN', async () => {
    const CARD = '7a000000-0000-4000-8000-000000000008'
    const CARDID = 'c0ffee00-0000-4000-8000-000000000008'
    const vc = new CmCardDouble({
      adminKey: Buffer.from('7c3a91e05bd24f68a1c0e2d3b4f5061728394a5b6c7d8e9f', 'hex'),
      cardId: CARDID,
    })
    const rid = await unblockFor(CARD)
    const kd = Buffer.from(
      (
        await call(t.sim, 'GET', api(`requests/${rid}/smartcards/${CARD}/diversifiedkey?cardid=${CARDID}`), {
          as: OP,
        })
      ).json() as string,
      'base64',
    )
    const c1 = vc.getChallenge()
    const r1 = Buffer.from((await authResp(rid, CARD, CARDID, c1, false)).json() as string, 'base64')
    expect(vc.changeAdminKey(r1, kd)).toEqual({ ok: true })
    const c2 = vc.getChallenge()
    const r2 = Buffer.from((await authResp(rid, CARD, CARDID, c2, true)).json() as string, 'base64')
    expect(vc.resetPin(r2, '24681357')).toEqual({ ok: true })
    expect(guidToDotNetBytes(CARDID)).toHaveLength(16)
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { cardIdToGuid, guidToCardId } from '../../../electron/services/card/cardid'
import { adminResponse } from '../../../electron/services/crypto/des'
import type { GidsCard } from '../../../electron/simulator/card/gids-card'
import {
  TRAINING_ISSUED_SMARTCARD_UUID,
  newTrainingCardSpec,
  trainingCardFor,
} from '../../../electron/simulator/card/training-cards'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import { simClient } from '../cm-client/sim-client'
import { hex, swOf, tx } from './helpers'

const READER0 = 'Station Virtual Reader 0'
const READER1 = 'Station Virtual Reader 1'
const MSE = '0022c1a403830180'
const GET_CHALLENGE = '00870000047c02810000'
const VERIFY_12345678 = '00200080083132333435363738'

interface RawSeed {
  Users: { Uuid: string; Account: string }[]
  ProfileTemplates: {
    Key: string
    Uuid: string
    SmartcardConfig: { DefaultAdminKeyHex: string; DiversifyAdminKey: boolean }
  }[]
  Smartcards: { Uuid: string; Status: number; SerialNumber: string; AssignedUserUuid: string }[]
}

// Read the seed file itself (not the simulator's loader the factory uses): an independent witness.
const SEED = JSON.parse(
  readFileSync(join(__dirname, '../../../electron/simulator/cm/seeds/training.json'), 'utf8'),
) as RawSeed
const serverPinTemplate = SEED.ProfileTemplates.find((t) => t.Key === 't-vsc-serverpin')!
const K0 = Buffer.from(serverPinTemplate.SmartcardConfig.DefaultAdminKeyHex, 'hex')

const asGids = (card: unknown) => card as GidsCard
const guidOf = (card: GidsCard) => cardIdToGuid(card.cardId!)

/** MSE + GET CHALLENGE on the card → the 8-byte challenge. */
function challenge(card: GidsCard): Buffer {
  expect(swOf(card, MSE)).toBe('9000')
  const r = tx(card, GET_CHALLENGE)
  expect(r.slice(-4)).toBe('9000')
  return hex(r).subarray(4, 12)
}

/** External authenticate with an 8-byte response → SW. */
const answer = (card: GidsCard, response: Buffer) =>
  swOf(card, '008700000c7c0a8208' + response.toString('hex'))

describe('training cards (reader 0: a seeded Active badge, reader 1: a new badge)', () => {
  it('reader 0 holds the seeded card: its cardid round-trips to a CardID that training.json has as Active (3)', () => {
    const card = asGids(trainingCardFor(READER0))
    const guid = guidOf(card)
    expect(guidToCardId(guid).equals(card.cardId!)).toBe(true)
    const seeded = SEED.Smartcards.filter((c) => c.SerialNumber.toLowerCase() === `{${guid}}`)
    expect(seeded).toHaveLength(1)
    expect(seeded[0]).toMatchObject({ Uuid: TRAINING_ISSUED_SMARTCARD_UUID, Status: 3 })
    // Owned by an employee (a seeded user), not by the operator the station acts as.
    const owner = SEED.Users.find((u) => u.Uuid === seeded[0]!.AssignedUserUuid)
    expect(owner?.Account).toBe('CORP\\alice')
    expect(card.pinTriesLeft).toBeGreaterThan(0)
    expect(swOf(card, VERIFY_12345678)).toBe('9000')
  })

  it('reader 0 is the same badge every time; reader 1 gets a fresh, unregistered cardid each time', () => {
    expect(guidOf(asGids(trainingCardFor(READER0)))).toBe(guidOf(asGids(trainingCardFor(READER0))))
    const a = guidOf(asGids(trainingCardFor(READER1)))
    const b = guidOf(asGids(trainingCardFor(READER1)))
    expect(a).not.toBe(b)
    const serials = new Set(SEED.Smartcards.map((c) => c.SerialNumber.toLowerCase()))
    expect(serials.has(`{${a}}`)).toBe(false)
    expect(guidToCardId(a).equals(asGids(trainingCardFor(READER1)).cardId!)).toBe(false)
  })

  it('a new cardid never collides with a seeded one (random source returning a seeded id first)', () => {
    const seededBytes = guidToCardId(SEED.Smartcards[1]!.SerialNumber)
    const queue = [seededBytes, Buffer.alloc(16, 0x5a)]
    const spec = newTrainingCardSpec((n) => Buffer.from(queue.shift() ?? Buffer.alloc(n)))
    expect(spec.cardId).toBe(cardIdToGuid(Buffer.alloc(16, 0x5a)))
    expect(spec.adminKey.equals(K0)).toBe(true)
  })

  it('holds the template key K0 (reader 0: t-vsc-serverpin does not diversify; reader 1: initial key)', () => {
    expect(serverPinTemplate.SmartcardConfig.DiversifyAdminKey).toBe(false)
    expect(K0.equals(Buffer.alloc(24))).toBe(false)
    for (const reader of [READER0, READER1]) {
      const card = asGids(trainingCardFor(reader))
      expect(answer(card, adminResponse(Buffer.alloc(24), challenge(card))), reader).toBe('6982')
      expect(answer(card, adminResponse(K0, challenge(card))), reader).toBe('9000')
    }
  })

  it('any other virtual reader gets the default card (random cardid, all-zero key)', () => {
    const card = asGids(trainingCardFor('Station Virtual Reader 7'))
    expect(answer(card, adminResponse(Buffer.alloc(24), challenge(card)))).toBe('9000')
  })
})

describe('training cards against the training CM simulator', () => {
  let sim: CmSimulator
  beforeAll(async () => {
    sim = await startCmSimulator({ scenario: 'training', port: 0 })
  })
  beforeEach(() => sim.control.reset())
  afterAll(() => sim.close())

  it('reader 0: CM finds the card as Active and answers its challenge with the key the card holds', async () => {
    const { client } = simClient(sim, 'CORP\\operator1')
    const card = asGids(trainingCardFor(READER0))
    const cardId = guidOf(card)
    const record = await client.getSmartcardByCardId(cardId)
    expect(record).toMatchObject({
      uuid: TRAINING_ISSUED_SMARTCARD_UUID,
      status: { raw: 3, name: 'Active' },
      assignedUserUuid: 'a11ce000-0000-4000-8000-00000000a11c',
    })
    // The admin key CM expects: an Unblock request on the card, then E15 (not diversified).
    const rid = await client.createRequest({ type: 'Unblock', smartcardUuid: TRAINING_ISSUED_SMARTCARD_UUID })
    const c = challenge(card)
    const response = await client.getAuthenticationResponse(rid, TRAINING_ISSUED_SMARTCARD_UUID, {
      cardId,
      challenge: c,
      diversified: false,
    })
    expect(response).not.toBeNull()
    expect(answer(card, response!)).toBe('9000')
  })

  it('reader 1: CM has no record; once bound to an Enroll request, CM answers its challenge', async () => {
    const { client } = simClient(sim, 'CORP\\operator1')
    const card = asGids(trainingCardFor(READER1))
    const cardId = guidOf(card)
    expect(await client.getSmartcardByCardId(cardId)).toBeNull()
    const rid = await client.createRequest({
      type: 'Enroll',
      profileTemplateUuid: serverPinTemplate.Uuid,
      target: 'b0b00000-0000-4000-8000-000000000b0b',
    })
    const scid = await client.assignSmartcard({ requestId: rid, cardId, atr: card.atr.toString('hex') })
    const c = challenge(card)
    const response = await client.getAuthenticationResponse(rid, scid, {
      cardId,
      challenge: c,
      diversified: false,
    })
    expect(answer(card, response!)).toBe('9000')
  })
})

/**
 * THE ACCEPTANCE TEST: the admin sequence of the CM walkthrough (cm-rest-api.md §5.3 steps 6-16)
 * against real pcscd + vpcd + the virtual card process + the CM simulator (docs scenario, the
 * documented ids and keys): read cardid → bind (POST /smartcards) → challenge → CM response
 * (diversified=false) → change the admin key to CM's diversifiedkey → new challenge → CM response
 * (diversified=true) → set the PIN → the PIN verifies on the card.
 * Run: flock /tmp/pcsc-lab.lock npx vitest run -c vitest.lab.config.mts tests/lab/card-edge-cm.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { keyCheckValue, zeroize } from '../../electron/services/crypto/des'
import { startCmSimulator, type CmSimulator } from '../../electron/simulator/cm/index'
import { bindCard, cmResponder, diversifiedKey } from './cm-sim-responder'
import { startPcscHarness, type PcscHarness } from './pcsc-harness'
import { describeLab } from './lab-env'
import { LAB } from './pcsc-lab'
import { spawnVirtualCard, type VirtualCardProcess } from './virtual-card-process'

const [READER0] = LAB.readers
/** The docs scenario: template a039b4d0 (DefaultAdminKeyHex "" → zero K0, DiversifyAdminKey true). */
const TEMPLATE = 'a039b4d0-5ce8-4eff-8651-181c6576fda3'
const CARDID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
/** FX-E14-1: the documented diversified key for that cardid. */
const KD_B64 = 'mBVA+HopB/gc+6FuKsQqx+OX01hK1WQI'

describeLab('acceptance: CM walkthrough admin sequence on a card over real PC/SC', () => {
  let h: PcscHarness
  let sim: CmSimulator
  let dir = ''
  const cards: VirtualCardProcess[] = []

  beforeAll(async () => {
    h = await startPcscHarness()
    dir = mkdtempSync(join(tmpdir(), 'card-edge-cm-'))
  })
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.kill()))
    await sim?.close()
  })
  afterAll(async () => {
    await h.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('read cardid → bind → K0 response → change to Kd → Kd response → set PIN → PIN verifies', async () => {
    sim = await startCmSimulator({ scenario: 'docs', defaultUser: 'CORP\\jdoe' })
    const api = `${sim.appRoot}/api/v1.0`
    const state = join(dir, 'card.json')
    const card = await spawnVirtualCard({ slot: 0, cardid: CARDID, state, insert: false, adminTryLimit: 5 })
    cards.push(card)
    await card.insert()
    await h.waitPresent(READER0)
    const t0 = performance.now()

    // Step 6: read the cardid and ATR; step 7: bind the card to the approved request.
    const id = await h.edge.identify(READER0)
    expect(id).toEqual({ atr: '3b8d0180fba000000397425446590301c8', cardId: CARDID, isGids: true })
    const ids = {
      ...(await bindCard(api, { template: TEMPLATE, cardId: id.cardId!, atr: id.atr })),
      cardId: id.cardId!,
    }

    // Step 9: Kd from the server.
    const kd = await diversifiedKey(api, ids)
    expect(kd.toString('base64')).toBe(KD_B64)

    // Steps 10-12: challenge → E15 diversified=false → PUT KEY Kd, in ONE card job.
    await h.edge.changeAdminKey(READER0, {
      respond: cmResponder(api, ids, false),
      newKey: kd,
      expectCardId: ids.cardId,
    })
    const kcv = keyCheckValue(kd).toString('hex')
    zeroize(kd)

    // Steps 14-16: a NEW challenge → E15 diversified=true → RESET RETRY COUNTER with the PIN.
    await h.edge.setUserPin(READER0, {
      respond: cmResponder(api, ids, true),
      pin: '80706050',
      expectCardId: ids.cardId,
    })
    const ms = Math.round(performance.now() - t0)

    // The PIN verifies on the card, the counter is full, and the card now holds Kd.
    await h.edge.verifyPin(READER0, '80706050')
    await expect(h.edge.pinStatus(READER0)).resolves.toEqual({ triesLeft: 3, limit: 3 })
    const saved = JSON.parse(readFileSync(state, 'utf8')) as {
      adminKey: string
      admin: { triesLeft: number }
    }
    expect(keyCheckValue(Buffer.from(saved.adminKey, 'hex')).toString('hex')).toBe(kcv)
    expect(saved.admin.triesLeft).toBe(5) // no failed authentication on the way

    // K0 responses no longer open the card (a later unblock must use diversified=true).
    await expect(
      h.edge.setUserPin(READER0, { respond: cmResponder(api, ids, false), pin: '11112222' }),
    ).rejects.toMatchObject({ code: 'auth-failed' })
    await h.edge.verifyPin(READER0, '80706050')
    console.info(`CM admin sequence (identify, bind, Kd, change key, set PIN) over PC/SC: ${ms} ms`)
  })
})

/**
 * The GIDS card edge against real pcscd + vpcd + the virtual card as a separate process, through the
 * REAL ReaderService (pcsclite backend): identify in both readers, a card pulled in the middle of
 * every multi-APDU operation, wrong admin responses, and the volatility of the admin challenge.
 * Run: flock /tmp/pcsc-lab.lock npx vitest run -c vitest.lab.config.mts tests/lab/card-edge.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { GidsCardEdge } from '../../electron/services/card/gids-card-edge'
import { createLocalResponder } from '../../electron/services/card/local-responder'
import { adminResponse } from '../../electron/services/crypto/des'
import { pullingAccess, startPcscHarness, type PcscHarness } from './pcsc-harness'
import { describeLab } from './lab-env'
import { LAB } from './pcsc-lab'
import { spawnVirtualCard, type VirtualCardProcess } from './virtual-card-process'

const [READER0, READER1] = LAB.readers
const CARDID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
const K0 = Buffer.alloc(24)
const KD = Buffer.from('000102030405060708090a0b0c0d0e0f1011121314151617', 'hex')
const WRONG = Buffer.from('404142434445464748494a4b4c4d4e4f5051525354555657', 'hex')
const PIN = '12345678'

describeLab('GIDS card edge over real PC/SC', () => {
  let h: PcscHarness
  let dir = ''
  const cards: VirtualCardProcess[] = []

  beforeAll(async () => {
    h = await startPcscHarness()
    dir = mkdtempSync(join(tmpdir(), 'card-edge-'))
  })
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.kill()))
    await h.waitFor((s) => s.readers.every((r) => !r.present), 5000)
  })
  afterAll(async () => {
    await h.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function card(opts: Parameters<typeof spawnVirtualCard>[0]): Promise<VirtualCardProcess> {
    // insert: false, then insert(): the helper can miss an "OK insert" printed in the same chunk as READY.
    const c = await spawnVirtualCard({ cardid: CARDID, pin: PIN, ...opts, insert: false })
    cards.push(c)
    await c.insert()
    await h.waitPresent(LAB.readers[opts.slot]!)
    return c
  }

  it('identifies the card in reader 0 and in reader 1', async () => {
    await card({ slot: 0 })
    await card({
      slot: 1,
      cardid: '00112233-4455-6677-8899-aabbccddeeff',
      atr: '3b8d0180fba000000397425446590401cf',
    })
    await expect(h.edge.identify(READER0)).resolves.toEqual({
      atr: '3b8d0180fba000000397425446590301c8',
      cardId: CARDID,
      isGids: true,
    })
    await expect(h.edge.identify(READER1)).resolves.toEqual({
      atr: '3b8d0180fba000000397425446590401cf',
      cardId: '00112233-4455-6677-8899-aabbccddeeff',
      isGids: true,
    })
    await expect(h.edge.pinStatus(READER1)).resolves.toEqual({ triesLeft: 3, limit: 3 })
  })

  const k0 = () => createLocalResponder(K0).respond
  const pulls: Array<{
    op: string
    before: number
    run: (e: GidsCardEdge) => Promise<unknown>
    step: string
  }> = [
    { op: 'identify', before: 2, step: 'GET DATA master file', run: (e) => e.identify(READER0) },
    { op: 'identify', before: 3, step: 'GET DATA cardid', run: (e) => e.identify(READER0) },
    { op: 'pinStatus', before: 2, step: 'GET DATA 7F71', run: (e) => e.pinStatus(READER0) },
    { op: 'verifyPin', before: 2, step: 'VERIFY', run: (e) => e.verifyPin(READER0, PIN) },
    { op: 'getAdminChallenge', before: 3, step: 'GA challenge', run: (e) => e.getAdminChallenge(READER0) },
    {
      op: 'changeAdminKey',
      before: 4,
      step: 'GA response',
      run: (e) => e.changeAdminKey(READER0, { respond: k0(), newKey: KD }),
    },
    {
      op: 'changeAdminKey',
      before: 5,
      step: 'PUT KEY',
      run: (e) => e.changeAdminKey(READER0, { respond: k0(), newKey: KD }),
    },
    {
      op: 'setUserPin',
      before: 3,
      step: 'GET DATA cardid (identity check)',
      run: (e) => e.setUserPin(READER0, { respond: k0(), pin: '24681357', expectCardId: CARDID }),
    },
    {
      op: 'setUserPin',
      before: 7,
      step: 'RESET RETRY COUNTER',
      run: (e) => e.setUserPin(READER0, { respond: k0(), pin: '24681357', expectCardId: CARDID }),
    },
  ]

  it.each(pulls)('$op: card pulled before $step → card-removed; works after reinsertion', async (p) => {
    const c = await card({ slot: 0 })
    const edge = new GidsCardEdge({
      access: pullingAccess(h.service, p.before, () => c.remove()),
      log: h.log,
    })
    const t0 = performance.now()
    const error = await p.run(edge).then(
      () => null,
      (e: unknown) => e as Error,
    )
    expect(error).toMatchObject({ code: 'card-removed' })
    const ms = Math.round(performance.now() - t0)
    await h.waitAbsent(READER0)
    await c.insert()
    await h.waitPresent(READER0)
    // Nothing half-done: the old key and the old PIN still work, then the operation itself succeeds.
    await expect(h.edge.identify(READER0)).resolves.toMatchObject({ cardId: CARDID })
    await h.edge.verifyPin(READER0, PIN)
    await p.run(h.edge)
    console.info(`pulled before ${p.step} (${p.op}): typed error after ${ms} ms (${error?.message})`)
  })

  it('wrong admin responses are rejected and counted as the card counts (limit 3), then blocked', async () => {
    const state = join(dir, 'counted.json')
    await card({ slot: 1, adminTryLimit: 3, state })
    const triesLeft = () =>
      (JSON.parse(readFileSync(state, 'utf8')) as { admin: { triesLeft: number } }).admin.triesLeft
    const wrong = createLocalResponder(WRONG).respond
    for (const left of [2, 1, 0]) {
      await expect(h.edge.setUserPin(READER1, { respond: wrong, pin: '11112222' })).rejects.toMatchObject({
        code: 'auth-failed',
      })
      expect(triesLeft()).toBe(left)
    }
    await expect(
      h.edge.setUserPin(READER1, { respond: createLocalResponder(K0).respond, pin: '11112222' }),
    ).rejects.toMatchObject({ code: 'auth-failed', info: { triesLeft: 0 } })
    await h.edge.verifyPin(READER1, PIN) // the PIN was never touched
  })

  it('a card that does not count (GidsApplet behaviour) accepts the right key after wrong ones', async () => {
    await card({ slot: 1 })
    const wrong = createLocalResponder(WRONG).respond
    for (let i = 0; i < 4; i++) {
      await expect(h.edge.setUserPin(READER1, { respond: wrong, pin: '11112222' })).rejects.toMatchObject({
        code: 'auth-failed',
      })
    }
    await h.edge.setUserPin(READER1, { respond: createLocalResponder(K0).respond, pin: '11112222' })
    await h.edge.verifyPin(READER1, '11112222')
  })

  it('the challenge survives a slow (1.5 s) server inside the job, but not across two jobs', async () => {
    await card({ slot: 0 })
    const slow = async (c: Buffer) => {
      const r = adminResponse(K0, c)
      await new Promise((resolve) => setTimeout(resolve, 1500)) // > pcscd's ~0.5 s idle power-off
      return r
    }
    await h.edge.setUserPin(READER0, { respond: slow, pin: '13572468' })
    await h.edge.verifyPin(READER0, '13572468')

    // A challenge fetched in one job and answered in the next one (after the idle power-off) is dead.
    const challenge = await h.edge.getAdminChallenge(READER0)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const sw = await h.service.withCard(READER0, async (ch) => {
      const apdu = Buffer.concat([Buffer.from('008700000c7c0a8208', 'hex'), adminResponse(K0, challenge)])
      const r = await ch.transmit(apdu)
      return r.subarray(-2).toString('hex')
    })
    expect(sw).toBe('6985') // no pending challenge (gids-card-edge.md §5.5)
  })
})

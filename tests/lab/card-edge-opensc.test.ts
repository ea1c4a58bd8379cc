/**
 * OpenSC interop, both ways, through real pcscd: what the station writes (admin key change, PIN),
 * gids-tool can use (mutual authentication with the new key, unblock, key change) — and what
 * gids-tool personalises on a blank card, the station reads (same cardid) and authenticates with
 * (external authentication with gids-tool's key). gids-tool's exit code is not trusted
 * (gids-card-edge.md §8): every step is checked by re-reading the card.
 * Run: flock /tmp/pcsc-lab.lock npx vitest run -c vitest.lab.config.mts tests/lab/card-edge-opensc.test.ts
 */
import { execFile } from 'node:child_process'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { cardIdHex, cardIdToGuid, guidToCardId } from '../../electron/services/card/cardid'
import { createLocalResponder } from '../../electron/services/card/local-responder'
import { startPcscHarness, type PcscHarness } from './pcsc-harness'
import { describeLab } from './lab-env'
import { LAB } from './pcsc-lab'
import { spawnVirtualCard, type VirtualCardProcess } from './virtual-card-process'

const [READER0, READER1] = LAB.readers
const CARDID = 'bc88f13f-83ba-4037-8262-46eba1291c6e'
const hexKey = (from: number) => Buffer.from(Array.from({ length: 24 }, (_, i) => from + i))
const K0 = Buffer.alloc(24)
const KD = hexKey(0x00)
const K2 = hexKey(0x40)
const K_GIDS = hexKey(0x80)
const SERIAL = '00112233445566778899aabbccddeeff'

/** Run an OpenSC tool; the exit code is part of the result, never trusted on its own. */
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20_000, encoding: 'utf8' }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    )
  })
}
const gidsTool = (...args: string[]) => run('gids-tool', args)
/** OpenSC's serial: the 16 cardid bytes in card order, printed as hex (the output also has log text). */
async function openscSerial(reader: number): Promise<string> {
  const out = await run('opensc-tool', ['-r', String(reader), '--serial'])
  const line = out.split('\n').find((l) => /^([0-9a-f]{2} ?){16}/i.test(l.trim()))
  return (line ?? out)
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 32)
    .toLowerCase()
}

describeLab('card edge ↔ OpenSC gids-tool interop', () => {
  let h: PcscHarness
  const cards: VirtualCardProcess[] = []

  beforeAll(async () => {
    h = await startPcscHarness()
  })
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.kill()))
    await h.waitFor((s) => s.readers.every((r) => !r.present), 5000)
  })
  afterAll(() => h.close())

  async function card(opts: Parameters<typeof spawnVirtualCard>[0]): Promise<VirtualCardProcess> {
    const c = await spawnVirtualCard({ ...opts, insert: false })
    cards.push(c)
    await c.insert()
    await h.waitPresent(LAB.readers[opts.slot]!)
    return c
  }

  it('the station changes the admin key and sets the PIN; gids-tool authenticates with the new key', async () => {
    await card({ slot: 0, cardid: CARDID, adminKey: K0.toString('hex') })
    const edge = h.edge
    // Same cardid seen by both: OpenSC prints card order, the station the CM GUID (OQ-19 layout).
    await expect(edge.identify(READER0)).resolves.toMatchObject({ cardId: CARDID, isGids: true })
    expect(await openscSerial(0)).toBe(cardIdHex(guidToCardId(CARDID)))

    await edge.changeAdminKey(READER0, {
      respond: createLocalResponder(K0).respond,
      newKey: KD,
      expectCardId: CARDID,
    })
    await edge.setUserPin(READER0, {
      respond: createLocalResponder(KD).respond,
      pin: '24681357',
      expectCardId: CARDID,
    })
    await edge.verifyPin(READER0, '24681357')

    // gids-tool: mutual authentication with the station-written key, then its own PIN reset.
    const unblock = await gidsTool('-r', '0', '-U', '--admin-key', KD.toString('hex'), '--pin', '11223344')
    expect(unblock).toContain('Administrator authentication successful')
    await edge.verifyPin(READER0, '11223344')
    await expect(edge.verifyPin(READER0, '24681357')).rejects.toMatchObject({ code: 'wrong-pin' })
    await edge.verifyPin(READER0, '11223344') // resets the counter

    // The old key is gone for OpenSC as well.
    const old = await gidsTool('-r', '0', '-U', '--admin-key', K0.toString('hex'), '--pin', '99999999')
    expect(old).not.toContain('Administrator authentication successful')

    // gids-tool changes the key (with OpenSC's fixed KCV); the station authenticates with it.
    const change = await gidsTool(
      '-r',
      '0',
      '-C',
      '--admin-key',
      KD.toString('hex'),
      '--new-admin-key',
      K2.toString('hex'),
    )
    expect(change).not.toMatch(/failed/i)
    await expect(
      edge.setUserPin(READER0, { respond: createLocalResponder(KD).respond, pin: '55556666' }),
    ).rejects.toMatchObject({ code: 'auth-failed' })
    await edge.setUserPin(READER0, { respond: createLocalResponder(K2).respond, pin: '55556666' })
    await edge.verifyPin(READER0, '55556666')
  })

  it('gids-tool initialises a blank card; the station reads the same cardid and authenticates with its key', async () => {
    await card({ slot: 1, blank: true })
    await expect(h.edge.identify(READER1)).resolves.toMatchObject({ cardId: null, isGids: true })
    const init = await gidsTool(
      '-r',
      '1',
      '-X',
      '--admin-key',
      K_GIDS.toString('hex'),
      '--pin',
      '123456',
      '--serial-number',
      SERIAL,
    )
    expect(init).not.toMatch(/failed/i)
    expect(await openscSerial(1)).toBe(SERIAL)

    const id = await h.edge.identify(READER1)
    expect(id).toEqual({
      atr: '3b8d0180fba000000397425446590301c8',
      cardId: cardIdToGuid(Buffer.from(SERIAL, 'hex')),
      isGids: true,
    })
    await h.edge.verifyPin(READER1, '123456')
    await expect(h.edge.pinStatus(READER1)).resolves.toEqual({ triesLeft: 3, limit: 3 })

    // External authentication (the CM model) with the key gids-tool set by PUT KEY.
    await h.edge.setUserPin(READER1, {
      respond: createLocalResponder(K_GIDS).respond,
      pin: '65432100',
      expectCardId: id.cardId!,
    })
    await h.edge.verifyPin(READER1, '65432100')
    await h.edge.changeAdminKey(READER1, { respond: createLocalResponder(K_GIDS).respond, newKey: KD })
    const unblock = await gidsTool('-r', '1', '-U', '--admin-key', KD.toString('hex'), '--pin', '10203040')
    expect(unblock).toContain('Administrator authentication successful')
    await h.edge.verifyPin(READER1, '10203040')
  })
})

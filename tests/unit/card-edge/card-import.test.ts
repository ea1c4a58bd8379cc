import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { findTlv } from '../../../electron/services/card/tlv'
import { digest } from '../../../electron/services/pki/digest-info'
import { READER, setup } from './edge-helpers'
import { PIN, answering, verifies } from './key-helpers'
import { GidsCardEdge } from '../../../electron/services/card/gids-card-edge'
import { silentLogger } from '../../../electron/services/log'
import { FakeCardAccess } from './fake-access'

/** Server-generated keys (CM E10 isPfx) imported the way OpenSC's gids_import_key does (§6). */

function rsaPkcs8(bits: number): { pkcs8: Buffer; spki: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  return {
    pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }),
    spki: publicKey.export({ format: 'der', type: 'spki' }),
  }
}

describe('UserKeySession.importKey', () => {
  it.each([1024, 2048] as const)(
    'imports an RSA %i key: same public key, the card signs with it, the input is zeroed',
    async (bits) => {
      const { edge, access, card } = setup()
      const { pkcs8, spki } = rsaPkcs8(bits)
      const pkcs1 = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({
        format: 'der',
        type: 'pkcs1',
      })
      const key = await edge.withUserPin(READER, { pin: PIN }, (s) =>
        s.importKey({ bits, usage: 'key-exchange', containerName: 'archived', pkcs8 }),
      )
      expect(key).toMatchObject({ container: 0, keyRef: 0x81, bits, usage: 'key-exchange', name: 'archived' })
      expect(key.publicKey.equals(spki)).toBe(true)
      expect(pkcs8.every((b) => b === 0)).toBe(true)
      // PUT DATA 3FFF 70{84 01 81, A5{83 01 02 (RSA), 84 01 00 (not wrapped), 87 RSAPrivateKey}}, chained.
      const put = access.sent.filter((a) => a.slice(2, 8) === 'db3fff').map((a) => Buffer.from(a, 'hex'))
      expect(put.length).toBeGreaterThan(1)
      expect(put.map((a) => a[0])).toEqual([...Array<number>(put.length - 1).fill(0x10), 0x00])
      const data = Buffer.concat(put.map((a) => a.subarray(5, 5 + a[4]!)))
      const body = findTlv(data, 0x70)!
      expect(findTlv(body, 0x84)!.toString('hex')).toBe('81')
      const a5 = findTlv(body, 0xa5)!
      expect([findTlv(a5, 0x83)!.toString('hex'), findTlv(a5, 0x84)!.toString('hex')]).toEqual(['02', '00'])
      expect(findTlv(a5, 0x87)!.equals(pkcs1)).toBe(true)
      expect(access.headers()).not.toContain('00470000') // no GENERATE
      const msg = Buffer.from('signed by an imported key')
      const sig = await edge.withUserPin(READER, { pin: PIN }, (s) =>
        s.signDigest(0, 'SHA384', digest('SHA384', msg)),
      )
      expect(verifies(spki, 'SHA384', msg, sig)).toBe(true)
      expect(card.snapshot().files['b081']!.key!.alg).toBe(bits === 1024 ? 6 : 7)
    },
  )

  it('refuses keys it cannot put on a GIDS card, zeroing them all the same', async () => {
    const { edge, card } = setup()
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    })
    const small = rsaPkcs8(1024).pkcs8
    const junk = Buffer.from('not a key at all, but secret-looking bytes')
    await edge.withUserPin(READER, { pin: PIN }, async (s) => {
      await expect(s.importKey({ bits: 2048, usage: 'key-exchange', pkcs8: ec })).rejects.toMatchObject({
        code: 'key-import-unsupported',
      })
      await expect(s.importKey({ bits: 2048, usage: 'key-exchange', pkcs8: small })).rejects.toMatchObject({
        code: 'invalid-request',
      })
      await expect(s.importKey({ bits: 1024, usage: 'key-exchange', pkcs8: junk })).rejects.toMatchObject({
        code: 'invalid-request',
      })
    })
    for (const b of [ec, small, junk]) expect(b.every((x) => x === 0)).toBe(true)
    expect(card.snapshot().files['b081']).toBeUndefined()
  })

  it('a card that answers 6A81 to the import → key-import-unsupported; the container stays free', async () => {
    const { card } = setup()
    const edge = new GidsCardEdge({
      access: new FakeCardAccess(answering(card, '00db3fff', '6a81')),
      log: silentLogger,
    })
    const { pkcs8 } = rsaPkcs8(1024)
    await expect(
      edge.withUserPin(READER, { pin: PIN }, (s) => s.importKey({ bits: 1024, usage: 'signature', pkcs8 })),
    ).rejects.toMatchObject({ code: 'key-import-unsupported' })
    expect(
      await new GidsCardEdge({ access: new FakeCardAccess(card), log: silentLogger }).listContainers(READER),
    ).toEqual([])
  })
})

import { generateKeyPairSync } from 'node:crypto'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { GidsCardEdge } from '../../../electron/services/card/gids-card-edge'
import { parseMasterFile } from '../../../electron/services/card/gids-parse'
import { containerView } from '../../../electron/services/card/ipc-handlers'
import { silentLogger } from '../../../electron/services/log'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { READER, setup } from './edge-helpers'
import { FakeCardAccess } from './fake-access'
import { PIN, cardDo, cardcf } from './key-helpers'
import { makeCertificate } from './test-certificates'

/** Certificates on the card (gids-card-edge.md §9.7): format, master-file records, read-back, listing. */

const masterRecords = (card: ReturnType<typeof setup>['card']) =>
  parseMasterFile(cardDo(card, 0xa000, 0xdf1f)!).map(
    (r) => `${r.directory}/${r.file}@${r.ef.toString(16)}/${r.tag.toString(16)}`,
  )

describe('writeCertificate / listContainers', () => {
  it('stores kxc00 at A010/DF24 as 01 00 ‖ len LE ‖ zlib, and lists it back byte for byte without a PIN', async () => {
    const { edge, card, access } = setup()
    const key = await edge.withUserPin(READER, { pin: PIN }, (s) =>
      s.generateKey({ bits: 2048, usage: 'key-exchange', containerName: 'badge' }),
    )
    const der = makeCertificate(key.publicKey, 'Ana Souza')
    const before = cardcf(card)
    await edge.withUserPin(READER, { pin: PIN }, (s) => s.writeCertificate(key.container, der))
    expect(masterRecords(card).at(-1)).toBe('mscp/kxc00@a010/df24')
    const blob = cardDo(card, 0xa010, 0xdf24)!
    expect(blob.subarray(0, 2).toString('hex')).toBe('0100')
    expect(blob.readUInt16LE(2)).toBe(der.length)
    expect(blob[4]).toBe(0x78) // RFC 1950 zlib stream
    expect(inflateSync(blob.subarray(4)).equals(der)).toBe(true)
    // Two file writes (master file, certificate), as OpenSC counts them; no container change.
    expect(cardcf(card)).toEqual({ containers: before.containers, files: before.files + 2 })
    // The certificate blob is longer than 255 bytes: chained PUT DATA, then read back (61xx handled).
    expect(access.sent.some((a) => a.startsWith('10dba010'))).toBe(true)

    access.sent.length = 0
    const [listed] = await edge.listContainers(READER)
    expect(access.headers()).not.toContain('00200080') // everything here is readable without the PIN (§4.3)
    expect(listed!.certificate!.equals(der)).toBe(true)
    expect(listed!.publicKey!.equals(key.publicKey)).toBe(true)
    expect(containerView(listed!)).toMatchObject({
      index: 0,
      name: 'badge',
      isDefault: true,
      keyUsage: 'key-exchange',
      keyBits: 2048,
      certificate: { subject: 'CN=Ana Souza', issuer: 'CN=Station Test CA', matchesKey: true },
    })
  })

  it('a signature key gets ksc01 in the next free DO; rewriting a certificate reuses its record', async () => {
    const { edge, card } = setup()
    const [k0, k1] = await edge.withUserPin(READER, { pin: PIN }, async (s) => [
      await s.generateKey({ bits: 1024, usage: 'key-exchange' }),
      await s.generateKey({ bits: 1024, usage: 'signature' }),
    ])
    await edge.withUserPin(READER, { pin: PIN }, async (s) => {
      await s.writeCertificate(1, makeCertificate(k1!.publicKey, 'Signing'))
      await s.writeCertificate(0, makeCertificate(k0!.publicKey, 'First'))
      await s.writeCertificate(0, makeCertificate(k0!.publicKey, 'Renewed'))
    })
    expect(masterRecords(card).slice(5)).toEqual(['mscp/ksc01@a010/df24', 'mscp/kxc00@a010/df25'])
    const views = (await edge.listContainers(READER)).map(containerView)
    expect(views.map((v) => v.certificate?.subject)).toEqual(['CN=Renewed', 'CN=Signing'])
  })

  it('refuses a certificate for another key (certificate-mismatch) or no certificate at all, writing nothing', async () => {
    const { edge, card } = setup()
    await edge.withUserPin(READER, { pin: PIN }, (s) => s.generateKey({ bits: 1024, usage: 'key-exchange' }))
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      format: 'der',
      type: 'spki',
    })
    const before = card.snapshot()
    await edge.withUserPin(READER, { pin: PIN }, async (s) => {
      await expect(s.writeCertificate(0, makeCertificate(other, 'Mallory'))).rejects.toMatchObject({
        code: 'certificate-mismatch',
      })
      await expect(s.writeCertificate(0, Buffer.from('not a certificate'))).rejects.toMatchObject({
        code: 'certificate-unreadable',
      })
      await expect(s.writeCertificate(3, makeCertificate(other, 'Nobody'))).rejects.toMatchObject({
        code: 'invalid-request',
      })
    })
    expect(card.snapshot().files).toEqual(before.files)
  })

  it('a certificate the card has no room for → card-full (6A84), and the new master-file record is taken back', async () => {
    const { edge, card } = setup()
    const key = await edge.withUserPin(READER, { pin: PIN }, (s) =>
      s.generateKey({ bits: 1024, usage: 'key-exchange' }),
    )
    const masterBefore = cardDo(card, 0xa000, 0xdf1f)!
    // 20 kB of random bytes do not compress: beyond the virtual card's 16 kB per DO.
    const huge = makeCertificate(key.publicKey, 'Too big', 20_000)
    await expect(
      edge.withUserPin(READER, { pin: PIN }, (s) => s.writeCertificate(0, huge)),
    ).rejects.toMatchObject({ code: 'card-full' })
    expect(cardDo(card, 0xa000, 0xdf1f)!.equals(masterBefore)).toBe(true)
    expect(cardDo(card, 0xa010, 0xdf24)).toBeUndefined()
    expect((await edge.listContainers(READER))[0]!.certificate).toBeNull()
  })

  it('shows a corrupt certificate file as no certificate, and the other containers still', async () => {
    const { edge, card } = setup()
    const keys = await edge.withUserPin(READER, { pin: PIN }, async (s) => {
      const a = await s.generateKey({ bits: 1024, usage: 'key-exchange' })
      const b = await s.generateKey({ bits: 1024, usage: 'key-exchange' })
      await s.writeCertificate(0, makeCertificate(a.publicKey, 'A'))
      await s.writeCertificate(1, makeCertificate(b.publicKey, 'B'))
      return [a, b]
    })
    expect(keys).toHaveLength(2)
    const pin = Buffer.from(PIN).toString('hex')
    expect(card.process(Buffer.from(`0020008008${pin}`, 'hex')).toString('hex')).toBe('9000')
    expect(card.process(Buffer.from('00dba01007df2404010005ff', 'hex')).toString('hex')).toBe('9000') // bad zlib
    const listed = await edge.listContainers(READER)
    expect(listed.map((c) => c.certificate === null)).toEqual([true, false])
  })

  it('a blank card has no containers', async () => {
    const edge = new GidsCardEdge({ access: new FakeCardAccess(GidsCard.blank()), log: silentLogger })
    await expect(edge.listContainers(READER)).resolves.toEqual([])
  })
})

import { X509Certificate, createPrivateKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { describeCertificate } from '../../../electron/services/pki/certificate-info'
import { parseCertificationRequest } from '../../../electron/services/pki/csr'
import { readIssuedCertificates } from '../../../electron/services/pki/issued'
import type { IssuedEntry } from '../../../electron/services/pki/issued'
import { SimCa, base64Crlf } from '../../../electron/simulator/cm/pki/ca'
import { buildPfx, serverGeneratedKey } from '../../../electron/simulator/cm/pki/pkcs12'
import { SeededRng } from '../../../electron/simulator/cm/rng'
import type { CmIssuedCertificate } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { loadFixture } from '../simulator-cm/helpers'

/** Reading an E10 answer (cm-rest-api.md E10, §3.7, Q9): CMC full response, certs-only, PFX, Error entries. */

function item(patch: Partial<CmIssuedCertificate>): CmIssuedCertificate {
  return {
    templateCommonName: 'BadgeSmartcardLogon',
    certificateId: 0,
    flags: 65536,
    useLocalMachineStore: false,
    error: null,
    pkcs7: null,
    pfx: null,
    isExternal: false,
    isServerGenerated: false,
    isPfx: false,
    isPkcs7: true,
    isKeyHistory: false,
    ...patch,
  }
}

function only<K extends IssuedEntry['kind']>(
  entries: IssuedEntry[],
  kind: K,
): Extract<IssuedEntry, { kind: K }> {
  expect(entries).toHaveLength(1)
  expect(entries[0]!.kind).toBe(kind)
  return entries[0] as Extract<IssuedEntry, { kind: K }>
}

const subjectOf = (der: Buffer) => describeCertificate(der).subject

async function expectUnreadable(run: () => unknown): Promise<void> {
  let caught: unknown
  try {
    await run()
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(StationError)
  expect((caught as StationError).code).toBe('certificate-unreadable')
}

describe('FX-E10-1: the CMC full response real CM returns', () => {
  const fx = loadFixture('FX-E10-1')
  const body = (fx.documented!.body as Array<{ Pkcs7: string; TemplateCommonName: string }>)[0]!
  const csr = (fx.cases[0]!.request.body as { certificaterequests: string[] }).certificaterequests[0]!
  const cardKey = parseCertificationRequest(Buffer.from(csr.replace(/\s/g, ''), 'base64')).publicKey
  const answer = [item({ templateCommonName: body.TemplateCommonName, pkcs7: body.Pkcs7 })]

  it('finds the end entity by the public key of the CSR in the same fixture; the chain has the two CAs', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      format: 'der',
      type: 'spki',
    })
    const e = only(
      readIssuedCertificates(answer, { publicKeys: [other, cardKey], pfxPassword: '' }),
      'certificate',
    )
    expect(e).toMatchObject({ index: 0, keyIndex: 1, external: false, templateName: body.TemplateCommonName })
    expect(subjectOf(e.endEntity)).toBe(
      'CN=Jimaco Brannian (Aquent LLC), OU=UserAccounts, DC=redmond, DC=corp, DC=microsoft, DC=com',
    )
    expect(describeCertificate(e.endEntity).publicKey.equals(cardKey)).toBe(true)
    expect(e.chain.map(subjectOf)).toEqual([
      'CN=MSIT User CA 2, OU=Microsoft IT',
      'CN=Microsoft Corporate Root CA, O=Microsoft Corporation',
    ])
  })

  it('without a matching key the leaf is the certificate that is no CA and issues none; keyIndex null', () => {
    const e = only(readIssuedCertificates(answer, { publicKeys: [], pfxPassword: '' }), 'certificate')
    expect(e.keyIndex).toBeNull()
    expect(subjectOf(e.endEntity)).toMatch(/^CN=Jimaco Brannian/)
    expect(e.chain).toHaveLength(2)
  })
})

describe('simulator answers', () => {
  const ca = new SimCa('issued-test')
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const spki = publicKey.export({ format: 'der', type: 'spki' })
  const leaf = ca.issue({
    spki,
    holder: { displayName: 'Bob de Vries', upn: 'bob@corp.contoso.com' },
    templateName: 'BadgeSmartcardLogon',
    serial: Buffer.from('2a0102030405060708090a0b0c0d0e0f101112', 'hex'),
    notBefore: Date.UTC(2024, 4, 6),
    validityDays: 365,
    keyUsage: 0x05,
  }).der

  it.each([
    ['certs-only', ca.certsOnly(leaf)],
    ['CMC', ca.cmcResponse(leaf)],
  ])('%s: end entity by key, chain issuing CA → root', (_form, der) => {
    const e = only(
      readIssuedCertificates([item({ pkcs7: base64Crlf(der), isExternal: true })], {
        publicKeys: [spki],
        pfxPassword: '',
      }),
      'certificate',
    )
    expect(e).toMatchObject({ keyIndex: 0, external: true })
    expect(e.endEntity.equals(leaf)).toBe(true)
    expect(e.chain).toEqual([ca.issuingCert, ca.rootCert])
  })

  it('a server-generated PFX entry gives a private key that matches its certificate; the wrong password is refused', async () => {
    const rng = new SeededRng('pfx-test')
    const key = serverGeneratedKey(rng)
    const cert = ca.issue({
      spki: key.spki,
      holder: { displayName: 'Bob de Vries', upn: 'bob@corp.contoso.com' },
      templateName: 'BadgeSmartcardLogon-Archived',
      serial: Buffer.from([7]),
      notBefore: Date.UTC(2024, 4, 6),
      validityDays: 365,
      keyUsage: 0x01,
    }).der
    const pfx = base64Crlf(buildPfx(rng, key.pkcs8, cert, '6b75162c-b3b4-4fc1-a653-f12dae98f0c3'))
    const answer = [
      item({ pkcs7: base64Crlf(ca.cmcResponse(leaf)) }),
      item({ pfx, isPfx: true, isPkcs7: false, isServerGenerated: true, templateCommonName: 'X-Archived' }),
      item({ error: 'The certificate template is not available.', isPkcs7: false, templateCommonName: 'Y' }),
    ]
    const entries = readIssuedCertificates(answer, {
      publicKeys: [spki],
      pfxPassword: '6b75162c-b3b4-4fc1-a653-f12dae98f0c3',
    })
    expect(entries.map((e) => e.kind)).toEqual(['certificate', 'pfx', 'error'])
    const p = entries[1] as Extract<IssuedEntry, { kind: 'pfx' }>
    expect(p).toMatchObject({ index: 1, templateName: 'X-Archived', chain: [] })
    expect(p.certificate.equals(cert)).toBe(true)
    expect(p.privateKey.equals(key.pkcs8)).toBe(true)
    const priv = createPrivateKey({ key: p.privateKey, format: 'der', type: 'pkcs8' })
    const sig = sign(null, Buffer.from('challenge'), priv)
    expect(verify(null, Buffer.from('challenge'), new X509Certificate(p.certificate).publicKey, sig)).toBe(
      true,
    )
    expect(entries[2]).toEqual({
      kind: 'error',
      index: 2,
      templateName: 'Y',
      message: 'The certificate template is not available.',
    })
    await expectUnreadable(() => readIssuedCertificates(answer, { publicKeys: [spki], pfxPassword: 'wrong' }))
  })
})

describe('unreadable answers', () => {
  it.each([
    ['Pkcs7 that is not base64', item({ pkcs7: 'MIIB…' })],
    ['Pkcs7 that is not CMS', item({ pkcs7: Buffer.from('hello world!').toString('base64') })],
    ['Pkcs7 flag without Pkcs7', item({ pkcs7: null })],
    ['neither form', item({ isPkcs7: false })],
    ['Pfx that is not PKCS#12', item({ pfx: 'MAMCAQM=', isPfx: true, isPkcs7: false })],
  ])('%s → StationError certificate-unreadable', async (_why, bad) => {
    await expectUnreadable(() => readIssuedCertificates([bad], { publicKeys: [], pfxPassword: 'x' }))
  })
})

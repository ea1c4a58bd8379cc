import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { readIssuedCertificates } from '../../../electron/services/pki/issued'
import type { IssuedEntry } from '../../../electron/services/pki/issued'
import type { CmIssuedCertificate } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import { OPENSSL_MISSING, openssl, useTempDir } from './openssl'

/**
 * PKCS#12 files made by OpenSSL in the forms CM's server-generated keys come in (RFC 7292; Windows exports 3DES
 * or, since Windows Server 2019, PBES2/AES-256-SHA256), read by readIssuedCertificates.
 */

const PASSWORD = '6b75162c-b3b4-4fc1-a653-f12dae98f0c3'

function pfxItem(pfxDer: Buffer): CmIssuedCertificate {
  return {
    templateCommonName: 'Archived',
    certificateId: 0,
    flags: 65536,
    useLocalMachineStore: false,
    error: null,
    pkcs7: null,
    pfx: pfxDer.toString('base64'),
    isExternal: false,
    isServerGenerated: true,
    isPfx: true,
    isPkcs7: false,
    isKeyHistory: false,
  }
}

describe.skipIf(OPENSSL_MISSING)('PFX files from OpenSSL', () => {
  const tmp = useTempDir()
  const run = (...args: string[]) => {
    const r = openssl(args)
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`)
  }
  let caDer: Buffer
  let userDer: Buffer

  beforeAll(() => {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:1024',
      '-nodes',
      '-keyout',
      tmp.path('ca.key'),
      '-subj',
      '/CN=Test Root CA',
      '-days',
      '2',
      '-out',
      tmp.path('ca.pem'),
    )
    run(
      'req',
      '-newkey',
      'rsa:1024',
      '-nodes',
      '-keyout',
      tmp.path('user.key'),
      '-subj',
      '/CN=Test User',
      '-out',
      tmp.path('user.csr'),
    )
    run(
      'x509',
      '-req',
      '-in',
      tmp.path('user.csr'),
      '-CA',
      tmp.path('ca.pem'),
      '-CAkey',
      tmp.path('ca.key'),
      '-set_serial',
      '2',
      '-days',
      '2',
      '-out',
      tmp.path('user.pem'),
    )
    caDer = new X509Certificate(readFileSync(tmp.path('ca.pem'))).raw
    userDer = new X509Certificate(readFileSync(tmp.path('user.pem'))).raw
  })

  const exportPfx = (name: string, options: string[]): Buffer => {
    const out = tmp.path(`${name}.pfx`)
    run(
      'pkcs12',
      '-export',
      '-in',
      tmp.path('user.pem'),
      '-inkey',
      tmp.path('user.key'),
      '-certfile',
      tmp.path('ca.pem'),
      '-passout',
      `pass:${PASSWORD}`,
      '-out',
      out,
      ...options,
    )
    return readFileSync(out)
  }

  it.each([
    ['PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC, HMAC-SHA256 MAC (OpenSSL 3, Windows 2019+)', []],
    ['PBES2 with AES-128-CBC', ['-certpbe', 'AES-128-CBC', '-keypbe', 'AES-128-CBC']],
    [
      'pbeWithSHAAnd3-KeyTripleDES-CBC everywhere, SHA-1 MAC (Windows TripleDES-SHA1)',
      ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
    ],
    [
      'certificates unencrypted, 3DES key',
      ['-certpbe', 'NONE', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
    ],
  ])('%s', (name, options) => {
    const entries = readIssuedCertificates(
      [pfxItem(exportPfx(name.slice(0, 8).replace(/\W/g, ''), options))],
      {
        publicKeys: [],
        pfxPassword: PASSWORD,
      },
    )
    expect(entries).toHaveLength(1)
    const e = entries[0] as Extract<IssuedEntry, { kind: 'pfx' }>
    expect(e.kind).toBe('pfx')
    expect(e.certificate.equals(userDer)).toBe(true)
    expect(e.chain).toEqual([caDer])
    const keySpki = createPublicKey(
      createPrivateKey({ key: e.privateKey, format: 'der', type: 'pkcs8' }),
    ).export({ format: 'der', type: 'spki' })
    expect(
      keySpki.equals(new X509Certificate(userDer).publicKey.export({ format: 'der', type: 'spki' })),
    ).toBe(true)
  })

  it('a wrong password is StationError certificate-unreadable', () => {
    const pfx = exportPfx('wrong', [])
    expect(() => readIssuedCertificates([pfxItem(pfx)], { publicKeys: [], pfxPassword: 'not-it' })).toThrow(
      StationError,
    )
    try {
      readIssuedCertificates([pfxItem(pfx)], { publicKeys: [], pfxPassword: 'not-it' })
    } catch (e) {
      expect((e as StationError).code).toBe('certificate-unreadable')
    }
  })
})

import { describe, expect, it } from 'vitest'
import { describeCertificate, samePublicKey } from '../../../electron/services/pki/certificate-info'
import { readSignedData } from '../../../electron/services/pki/cms'
import { StationError } from '../../../shared/errors'
import { loadFixture } from '../simulator-cm/helpers'

/** What the station shows about an issued certificate (FX-E10-1's user certificate, cm-rest-api.md §3.8). */

describe('describeCertificate', () => {
  const body = (loadFixture('FX-E10-1').documented!.body as Array<{ Pkcs7: string }>)[0]!
  const [root, user, issuing] = readSignedData(Buffer.from(body.Pkcs7.replace(/\s/g, ''), 'base64'))
    .certificates as [Buffer, Buffer, Buffer]

  it('reads subject, issuer, validity, serial, thumbprint and the V2 template OID', () => {
    const info = describeCertificate(user)
    expect(info).toMatchObject({
      subject: 'CN=Jimaco Brannian (Aquent LLC), OU=UserAccounts, DC=redmond, DC=corp, DC=microsoft, DC=com',
      issuer: 'CN=MSIT User CA 2, OU=Microsoft IT',
      notBefore: '2015-07-07T23:27:33.000Z',
      notAfter: '2016-07-06T23:27:33.000Z',
      serialNumber: '1B0000B1F4E11A8BBA988F2CB300010000B1F4',
    })
    expect(info.thumbprint).toMatch(/^[0-9A-F]{40}$/)
    expect(info.templateName).toMatch(/^1\.3\.6\.1\.4\.1\.311\.21\.8\./)
    expect(describeCertificate(root).templateName).toBeNull()
    expect(describeCertificate(issuing).templateName).toBe('SubCA')
  })

  it('matches keys on the SubjectPublicKeyInfo, and refuses what is not a certificate', () => {
    expect(samePublicKey(describeCertificate(user).publicKey, describeCertificate(user).publicKey)).toBe(true)
    expect(samePublicKey(describeCertificate(user).publicKey, describeCertificate(root).publicKey)).toBe(
      false,
    )
    expect(samePublicKey(Buffer.from('junk'), describeCertificate(root).publicKey)).toBe(false)
    expect(() => describeCertificate(Buffer.from('junk'))).toThrow(StationError)
  })
})

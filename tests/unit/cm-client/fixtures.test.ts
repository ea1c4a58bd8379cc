import { describe, expect, it } from 'vitest'
import type { CardId, RequestId, SmartcardUuid } from '../../../shared/domain/cm'
import { DOC_RESPONSES } from './doc-fixtures'
import { clientWith, raw, type FakeReply } from './fake-fetch'

// Every documented response body of cm-rest-api.md §6 parses into the domain model.

function doc(id: string): FakeReply {
  const fx = DOC_RESPONSES[id]
  if (!fx) throw new Error(`no fixture ${id}`)
  return raw(fx.status, fx.body)
}

const A039 = 'a039b4d0-5ce8-4eff-8651-181c6576fda3'
const REQ1 = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' as RequestId
const CARD17 = '17cf063d-e337-4aa9-a822-346554ddd3c9' as SmartcardUuid
const CARDID_BC = 'bc88f13f-83ba-4037-8262-46eba1291c6e' as CardId

describe('documented fixtures (§6) parse', () => {
  it('FX-E01-1 profile templates', async () => {
    const { client, calls } = clientWith(() => doc('FX-E01-1'))
    const list = await client.listProfileTemplates()
    expect(calls[0]?.url.pathname).toBe('/CertificateManagement/api/v1.0/profiletemplates')
    expect(calls[0]?.headers.Accept).toBe('application/json')
    expect(list).toEqual([
      {
        uuid: '12bd5120-86a2-4ee1-8d05-131066871578',
        name: 'FIM CM Sample Profile Template',
        description: 'Description of the template goes here',
        isSmartcard: false,
        isVirtualSmartcard: false,
      },
      expect.objectContaining({ uuid: '2b7044cf-aa96-4911-b886-177947e9271b', isSmartcard: true }),
    ])
  })

  it('FX-E03-1 placeholder text is not JSON → invalid-response; a §3.5-shaped body parses leniently', async () => {
    const placeholder = clientWith(() => doc('FX-E03-1'))
    await expect(
      placeholder.client.getWorkflowPolicy('97CD65FA-AF4B-4587-9309-0DD6BFD8B4E1', 'Enroll'),
    ).rejects.toMatchObject({ code: 'invalid-response' })
    expect(placeholder.calls[0]?.url.pathname).toBe(
      '/CertificateManagement/api/v1.0/profiletemplates/97cd65fa-af4b-4587-9309-0dd6bfd8b4e1/policies/enroll',
    )
    // The walkthrough's names (`DataCollection`, `collectComments`) and extra unknown fields (§3.5, OQ-05).
    const walk = clientWith(() =>
      raw(200, '{"dataCollection":[{"name":"Request Reason"}],"collectComments":false,"Documents":[],"X":1}'),
    )
    expect(await walk.client.getWorkflowPolicy('97cd65fa-af4b-4587-9309-0dd6bfd8b4e1', 'Enroll')).toEqual({
      enabled: null,
      selfServiceEnabled: null,
      approvalsNeeded: null,
      enrollAgentRequired: null,
      collectComments: false,
      collectRequestPriority: null,
      defaultRequestPriority: null,
      dataCollection: [{ name: 'Request Reason', required: null }],
    })
  })

  it('FX-E04-1 smart card configuration', async () => {
    const { client } = clientWith(() => doc('FX-E04-1'))
    const config = await client.getSmartcardConfig(A039)
    expect(config).toMatchObject({
      userPinOption: { raw: 3, name: 'UserProvided' },
      userPinPolicy: {
        minLength: 10,
        maxLength: 10,
        characterSet: 1,
        rollover: false,
        defaultValue: '11111111',
      },
      adminPinPolicy: { rollover: true },
      defaultAdminKeyHex: '',
      diversifyAdminKey: true,
      useVirtualSmartcards: true,
      printPolicy: { fieldMapping: '', projectName: '', cardName: '', print: false },
    })
  })

  it('FX-E05-1 / FX-E05-2 create requests: documented body, id from the 201 string', async () => {
    const replies = [doc('FX-E05-1'), doc('FX-E05-2')]
    const { client, calls } = clientWith((_r, n) => replies[n - 1] ?? raw(500, '{}'))
    expect(await client.createRequest({ type: 'Enroll', profileTemplateUuid: A039.toUpperCase() })).toBe(REQ1)
    expect(await client.createRequest({ type: 'Unblock', smartcardUuid: CARD17 })).toBe(
      '0c96d73f-967b-420e-854a-43ad2a1504bc',
    )
    expect(calls.map((c) => [c.method, c.url.pathname])).toEqual([
      ['POST', '/CertificateManagement/api/v1.0/requests'],
      ['POST', '/CertificateManagement/api/v1.0/requests'],
    ])
    expect(calls[0]?.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({
      datacollection: '[]',
      type: 'Enroll',
      profiletemplateuuid: A039,
      comment: '',
    })
    // Q7: card-targeted types send `smartcard` and no template.
    expect(JSON.parse(calls[1]?.body ?? '')).toEqual({
      datacollection: '[]',
      type: 'Unblock',
      smartcard: CARD17,
      comment: '',
    })
  })

  it('FX-E07-1 request: empty GUIDs and MinValue → null, SDDL NULs stripped, enums decoded', async () => {
    const { client } = clientWith(() => doc('FX-E07-1'))
    const r = await client.getRequest(REQ1)
    expect(r).toMatchObject({
      uuid: REQ1,
      requestType: { raw: 1, name: 'Enroll' },
      status: { raw: 3, name: 'Approved', confidence: 'observed' },
      flags: { raw: 2, names: ['Smartcard'], unknownBits: 0 },
      dataCollection: [],
      dataCollectionFlags: 32,
      originatorUserUuid: '8f1590dc-d932-4b66-8e68-2e91c5880780',
      submitted: '2015-07-07T23:36:21.93Z',
      completed: null,
      newProfileUuid: null,
      newSmartcardUuid: null,
      oldSmartcardUuid: null,
      profileTemplateUuid: A039,
      isSmartcard: true,
    })
    expect(r?.securityDescriptor.startsWith('O:S-1-5-21-')).toBe(true)
    expect(r?.securityDescriptor.endsWith('14995557)')).toBe(true)
    expect(r?.securityDescriptor).not.toContain('\u0000')
  })

  it('FX-E07-2 unblock request: data item with null value', async () => {
    const { client } = clientWith(() => doc('FX-E07-2'))
    const r = await client.getRequest('0c96d73f-967b-420e-854a-43ad2a1504bc')
    expect(r).toMatchObject({
      requestType: { raw: 5, name: 'Unblock' },
      dataCollection: [{ name: 'Sample Data Item', value: null }],
      newSmartcardUuid: CARD17,
      oldSmartcardUuid: CARD17,
      newProfileUuid: 'b99ff38c-6653-471f-ae3c-325bb351a6bc',
    })
  })

  it('FX-E08-1 complete: PUT {"status":"Completed"} → Completed request', async () => {
    const { client, calls } = clientWith(() => doc('FX-E08-1'))
    const r = await client.completeRequest(REQ1)
    expect(calls[0]?.method).toBe('PUT')
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({ status: 'Completed' })
    expect(r).toMatchObject({ status: { raw: 8, name: 'Completed' }, completed: '2015-07-07T23:37:37.767Z' })
  })

  it('FX-E09-1 certificate request generation options', async () => {
    const { client, calls } = clientWith(() => doc('FX-E09-1'))
    expect(await client.getCertificateRequestGenerationOptions(REQ1)).toEqual([
      {
        subject: '',
        keyAlgorithmName: 'RSA',
        keySize: 2048,
        friendlyName: '',
        hashAlgorithmName: 'SHA1',
        keyStorageProviderNames: ['Contoso Smart Card Key Storage Provider'],
        exportable: 0,
        keyProtectionLevel: 0,
        keyUsages: 3,
      },
    ])
    expect(calls[0]?.url.pathname).toBe(
      `/CertificateManagement/api/v1.0/requests/${REQ1}/certificaterequestgenerationoptions`,
    )
  })

  it('FX-E10-1 certificate data: PKCS#7 base64 without CRLF, mixed-casing flags', async () => {
    const { client, calls } = clientWith(() => doc('FX-E10-1'))
    const csr = Buffer.from([0x30, 0x82, 0x01, 0x00])
    const certs = await client.submitCertificateRequests('C6BAD97C-F97F-4920-8947-BE980C98C6B5', {
      certificateRequests: [csr, 'MIIB\r\nAA=='],
      pfxPassword: '6b75162c-b3b4-4fc1-a653-f12dae98f0c3',
    })
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({
      pfxpassword: '6b75162c-b3b4-4fc1-a653-f12dae98f0c3',
      certificaterequests: ['MIIBAA==', 'MIIB\r\nAA=='],
    })
    expect(certs).toHaveLength(1)
    const [c] = certs
    expect(c).toMatchObject({
      templateCommonName: 'ContosoVirtualSmartCardLimitedRelease-KSP',
      flags: 65536,
      error: null,
      pfx: null,
      isExternal: false,
      isPkcs7: true,
      isPfx: false,
      isKeyHistory: false,
    })
    expect(c?.pkcs7).toMatch(/^MIIUhgYJKoZIhvcNAQcC[A-Za-z0-9+/=]+$/)
    expect(Buffer.from(c?.pkcs7 ?? '', 'base64')[0]).toBe(0x30)
  })

  it('FX-E11-1 assign smart card → CM Uuid; FX-E13-1 the card is Assigned', async () => {
    const replies = [doc('FX-E11-1'), doc('FX-E13-1')]
    const { client, calls } = clientWith((_r, n) => replies[n - 1] ?? raw(500, '{}'))
    const scid = await client.assignSmartcard({
      requestId: REQ1,
      cardId: CARDID_BC,
      atr: '3B8D0180FBA000000397425446590301C8',
    })
    expect(scid).toBe(CARD17)
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({
      requestid: REQ1,
      cardid: CARDID_BC,
      atr: '3b8d0180fba000000397425446590301c8',
    })
    const card = await client.getSmartcard(scid)
    expect(card).toMatchObject({
      uuid: CARD17,
      cardId: CARDID_BC,
      serialNumber: '{bc88f13f-83ba-4037-8262-46eba1291c6e}',
      status: { raw: 2, name: 'Assigned' },
      flags: { raw: 1, names: ['Primary'] },
      parentSmartcardUuid: null,
      assignedUserUuid: '8f1590dc-d932-4b66-8e68-2e91c5880780',
      profileTemplateVersion: 46,
      middleware: 'MSBaseCSP',
      atr: '3b8d0180fba000000397425446590301c8',
    })
  })

  it('FX-E12-1 ?cardid= returns one object; CardId and Uuid differ (Q6)', async () => {
    const { client, calls } = clientWith(() => doc('FX-E12-1'))
    const card = await client.getSmartcardByCardId('{D1EF6869-5517-42A0-8F05-16CA1A0B834D}')
    expect(calls[0]?.url.search).toBe('?cardid=d1ef6869-5517-42a0-8f05-16ca1a0b834d')
    expect(card?.uuid).toBe('438d1b30-f3b4-4bed-85fa-285e08605ba7')
    expect(card?.cardId).toBe('d1ef6869-5517-42a0-8f05-16ca1a0b834d')
    expect(card?.status).toMatchObject({ raw: 3, name: 'Active' })
  })

  it('FX-E14-1 diversified key: 24 bytes', async () => {
    const { client, calls } = clientWith(() => doc('FX-E14-1'))
    const key = await client.getDiversifiedKey(REQ1, CARD17, { cardId: CARDID_BC })
    expect(calls[0]?.url.pathname).toBe(
      `/CertificateManagement/api/v1.0/requests/${REQ1}/smartcards/${CARD17}/diversifiedkey`,
    )
    expect(calls[0]?.url.search).toBe(`?cardid=${CARDID_BC}`)
    expect(key?.toString('hex')).toBe('981540f87a2907f81cfba16e2ac42ac7e397d3584ad56408')
  })

  it('FX-E15-1 authentication response: challenge base64 + encodeURIComponent (Q12, Q18)', async () => {
    const { client, calls } = clientWith(() => doc('FX-E15-1'))
    const response = await client.getAuthenticationResponse(REQ1, CARD17, {
      cardId: CARDID_BC,
      challenge: Buffer.from('d61143f9ccffd2ca', 'hex'),
      diversified: false,
    })
    expect(calls[0]?.rawUrl).toContain(`?cardid=${CARDID_BC}&challenge=1hFD%2Bcz%2F0so%3D&diversified=false`)
    expect(response?.toString('hex')).toBe('17466e766e303cb6')
  })

  it('FX-E17-1 retire: PUT {"status":"Retired"} → card Status 6 (Q1)', async () => {
    const { client, calls } = clientWith(() => doc('FX-E17-1'))
    const card = await client.retireSmartcard('b105403d-d021-41ea-9f11-be3d677d229e', CARD17)
    expect(calls[0]?.method).toBe('PUT')
    expect(calls[0]?.url.pathname).toBe(
      `/CertificateManagement/api/v1.0/requests/b105403d-d021-41ea-9f11-be3d677d229e/smartcards/${CARD17}`,
    )
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({ status: 'Retired' })
    expect(card.status).toMatchObject({ raw: 6, name: 'Retired' })
    expect(card.assignedUserUuid).toBe('8f1590dc-d932-4b66-8e68-2e91c5880780')
  })

  it('FX-E18-1 operations', async () => {
    const { client } = clientWith(() => doc('FX-E18-1'))
    expect(await client.getSmartcardOperations('438d1b30-f3b4-4bed-85fa-285e08605ba7')).toEqual([
      'renew',
      'unblock',
      'retire',
    ])
  })

  it('FX-E20-1 card certificates (base form)', async () => {
    const { client } = clientWith(() => doc('FX-E20-1'))
    const certs = await client.getSmartcardCertificates('5badfea3-de31-4837-99f9-8249515a5473')
    expect(certs).toHaveLength(4)
    expect(certs[0]).toEqual({
      isKeyHistory: false,
      archivedOnCa: false,
      certificateType: 1,
      templateCommonName: 'ContosoVirtualSmartCardLimitedRelease-KSP',
      serialNumber: '1B0000B01052AFA01313FB77AC00010000B010',
      thumbprint: 'C52B0C5FB8AAD31A5B239FF2712ED14122D67D30',
      notAfter: null,
      notBefore: null,
      issuer: null,
      requesterName: null,
      status: null,
    })
  })

  it('FX-E22-1 user certificates (extended form)', async () => {
    const { client } = clientWith(() => doc('FX-E22-1'))
    const certs = await client.listCertificates()
    expect(certs).toHaveLength(16)
    expect(certs.filter((c) => c.archivedOnCa)).toHaveLength(2)
    expect(certs[0]).toMatchObject({
      notAfter: '2016-07-13T09:10:31',
      issuer: 'WIN-TRUR24L4CFS.corp.cmteam.com\\corp-WIN-TRUR24L4CFS-CA',
      requesterName: 'CORP\\Administrator',
      status: 0,
    })
  })

  it('FX-E23-1 profiles with status=Active', async () => {
    const { client, calls } = clientWith(() => doc('FX-E23-1'))
    const profiles = await client.listProfiles({ status: 'Active' })
    expect(calls[0]?.url.search).toBe('?status=Active')
    expect(profiles.map((p) => p.operations)).toEqual([
      ['renew', 'disable', 'recover'],
      ['renew', 'disable', 'recover'],
      ['renew', 'disable'],
    ])
    expect(profiles[0]).toMatchObject({
      status: { raw: 2, name: 'Active' },
      parentProfileUuid: '1c9e2606-fea2-4048-a6ac-b014e54c22df',
      primaryProfileUuid: null,
    })
  })
})

import { KeyUsageFlags } from '@peculiar/asn1-x509'
import type { WireCertificate } from '../../../../shared/cm/wire-types'
import { keyUsageFlags } from '../../../services/pki/csr'
import { formatNoZone } from '../clock'
import { businessRule, forbidden, noContent, serverError } from '../errors'
import { listReply, ok } from '../handler-types'
import type { Handler, HandlerContext } from '../handler-types'
import { prop } from '../json-lenient'
import { CERT_ISSUING_TYPES, RS, hasCard } from '../lifecycle'
import type { SimRequest, SimTemplate, SimUser } from '../model'
import { canRead, requireExecute, requireRead } from '../permissions'
import { base64Crlf } from '../pki/ca'
import { decodeBase64Strict, parseCsr } from '../pki/pkcs10'
import { buildPfx, serverGeneratedKey } from '../pki/pkcs12'
import { certificateJson, genOptionsJson, x509BaseJson, x509ExtendedJson } from '../serialize'
import { requestTypeName } from './requests'

/** CertificateRequestGenerationOptions, CertificateData and Certificates controllers (E09, E10, E20–E22). */

function executableRequest(ctx: HandlerContext, unknown: 'no-content' | 'server-error'): SimRequest {
  const r = ctx.rt.store.request(ctx.params.rid!)
  if (!r) {
    if (unknown === 'no-content') throw noContent('unknown request')
    throw serverError(`request ${ctx.params.rid} does not exist`)
  }
  requireExecute(ctx.caller, r.TargetUserUuid, r.ProfileTemplateUuid)
  return r
}

/** E09 GET /requests/{rid}/certificaterequestgenerationoptions: one element per CSR. */
export const generationOptions: Handler = (ctx) => {
  const r = executableRequest(ctx, 'no-content')
  const template = ctx.rt.store.template(r.ProfileTemplateUuid)
  // ASSUMPTION SIM-B6: only certificate-issuing request types have options; others get [].
  if (!template || !CERT_ISSUING_TYPES.has(requestTypeName(r))) return ok([])
  return ok(template.CertificateRequestGenerationOptions.map(genOptionsJson))
}

function baseCertificate(templateName: string): WireCertificate {
  return {
    TemplateCommonName: templateName,
    CertificateId: 0,
    Flags: 65536,
    UseLocalMachineStore: false,
    Error: null,
    Pkcs7: null,
    Pfx: null,
    IsExternal: false,
    isServerGenerated: false,
    isPfx: false,
    isPkcs7: true,
    isKeyHistory: false,
  }
}

function serial(ctx: HandlerContext): Buffer {
  // Microsoft CA style: 19 bytes, positive.
  const s = ctx.rt.rng.bytes('serial', 19)
  s[0] = (s[0]! & 0x3f) | 0x20
  return s
}

/** What to certify: the key, its KeyUsage bits, the requested SKI and the template-name suffix of extra entries. */
interface IssueWhat {
  spki: Buffer
  keyUsage: number
  subjectKeyIdentifier: Buffer | null
  tag: string
}

/** KeyUsage of a CSR without a KeyUsage request: the template's `KeyUsages` (§4.8), else signature + encipherment. */
function defaultKeyUsage(template: SimTemplate, index: number): number {
  const options = template.CertificateRequestGenerationOptions
  const flags = keyUsageFlags(options[index]?.KeyUsages ?? options[0]?.KeyUsages ?? 0)
  return flags || KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment
}

function issueOne(
  ctx: HandlerContext,
  r: SimRequest,
  template: SimTemplate,
  owner: SimUser,
  what: IssueWhat,
) {
  const { rt } = ctx
  const { tag } = what
  const account = owner.Account.split('\\').pop() || owner.Account
  const issued = rt.ca.issue({
    spki: what.spki,
    holder: { displayName: owner.DisplayName || account, upn: owner.Upn || `${account}@corp.contoso.com` },
    templateName: template.Sim.CertificateTemplateName + tag,
    serial: serial(ctx),
    notBefore: Math.floor(rt.clock.now() / 1000) * 1000,
    validityDays: template.Sim.ValidityDays,
    keyUsage: what.keyUsage,
    subjectKeyIdentifier: what.subjectKeyIdentifier,
  })
  rt.store.state.Certificates.push({
    IsKeyHistory: false,
    ArchivedOnCa: false,
    CertificateType: 1,
    TemplateCommonName: template.Sim.CertificateTemplateName + tag,
    SerialNumber: issued.serialHex,
    Thumbprint: issued.thumbprintHex,
    NotAfter: formatNoZone(issued.notAfter),
    NotBefore: formatNoZone(issued.notBefore),
    Issuer: rt.ca.issuerDisplay,
    RequesterName: ctx.caller.Account,
    Status: 0,
    Sim: {
      UserUuid: owner.Uuid,
      SmartcardUuid: hasCard(r) ? r.NewSmartcardUuid : null,
      ProfileUuid: hasCard(r) ? r.NewProfileUuid : null,
      Retired: false,
    },
  })
  return issued
}

/** E10 POST /requests/{rid}/certificatedata {pfxpassword, certificaterequests, comments} (SIM-B6, Q9). */
export const certificateData: Handler = (ctx) => {
  const { rt } = ctx
  // cm-rest-api.md E10 lists only 200/403/500: an unknown request is a 500 here.
  const r = executableRequest(ctx, 'server-error')
  const template = rt.store.template(r.ProfileTemplateUuid)
  if (!template) throw serverError('the request has no valid template')
  if (ctx.body === null || typeof ctx.body !== 'object' || Array.isArray(ctx.body))
    throw serverError('body must be an object')
  const csrs = prop(ctx.body, 'certificaterequests')
  if (!Array.isArray(csrs) || csrs.length === 0 || csrs.some((c) => typeof c !== 'string')) {
    throw serverError('certificaterequests must be a non-empty array of base64 strings')
  }
  const pfxPassword = prop(ctx.body, 'pfxpassword')
  if (pfxPassword !== undefined && pfxPassword !== null && typeof pfxPassword !== 'string') {
    throw serverError('pfxpassword must be a string')
  }
  if (r.Status !== RS.Approved && r.Status !== RS.Executing)
    throw businessRule(`request is in status ${r.Status}`)
  if (!CERT_ISSUING_TYPES.has(requestTypeName(r)))
    throw businessRule('this request type issues no certificates')
  if (template.IsSmartcardProfileTemplate && !hasCard(r))
    throw businessRule('no smart card is bound to the request')
  // SIM-B6: each CSR must be base64 DER PKCS#10 (CRLF-wrapped or not) with a valid self-signature.
  const parsed = (csrs as string[]).map((text, i) => {
    const der = decodeBase64Strict(text)
    if (!der) throw serverError(`certificate request ${i} is not base64`)
    try {
      const csr = parseCsr(der)
      if (csr.signatureValid === false) throw new RangeError('bad signature')
      return csr
    } catch (e) {
      throw serverError(`certificate request ${i} is not a valid PKCS#10 request (${(e as Error).message})`)
    }
  })
  // ASSUMPTION OQ-24: stays Approved unless passThroughExecuting.
  if (rt.switches.passThroughExecuting) r.Status = RS.Executing
  r.Sim.IssuedCertificates += parsed.length
  const verbatim = rt.store.state.CertificateData[r.Uuid]
  // cm-rest-api.md FX-E10-1: the docs scenario returns the documented blob verbatim.
  if (verbatim) return ok(verbatim.map(certificateJson))

  const owner = rt.store.user(r.TargetUserUuid) ?? ctx.caller
  // cm-rest-api.md §3.7: real CM answers with a CMC full response (FX-E10-1); certs-only stays available.
  const pkcs7 = (der: Buffer) =>
    base64Crlf(rt.switches.certificateResponse === 'cmc' ? rt.ca.cmcResponse(der) : rt.ca.certsOnly(der))
  const out: WireCertificate[] = parsed.map((csr, i) => {
    const issued = issueOne(ctx, r, template, owner, {
      spki: csr.publicKey,
      keyUsage: csr.keyUsage ?? defaultKeyUsage(template, i),
      subjectKeyIdentifier: csr.subjectKeyIdentifier,
      tag: '',
    })
    return { ...baseCertificate(template.Sim.CertificateTemplateName), Pkcs7: pkcs7(issued.der) }
  })
  // Server-generated keys are Ed25519 (deterministic, SIM-D1): they sign, they cannot encipher.
  const signingOnly = { keyUsage: KeyUsageFlags.digitalSignature, subjectKeyIdentifier: null }
  if (template.Sim.IssueServerGeneratedPfx) {
    // SIM-B6: a key generated and archived on the server, returned as a PFX protected with pfxpassword.
    const key = serverGeneratedKey(rt.rng)
    const issued = issueOne(ctx, r, template, owner, { spki: key.spki, ...signingOnly, tag: '-Archived' })
    const pfx = buildPfx(rt.rng, key.pkcs8, issued.der, typeof pfxPassword === 'string' ? pfxPassword : '')
    out.push({
      ...baseCertificate(template.Sim.CertificateTemplateName + '-Archived'),
      Pkcs7: null,
      Pfx: base64Crlf(pfx),
      isServerGenerated: true,
      isPfx: true,
      isPkcs7: false,
    })
    key.pkcs8.fill(0)
  }
  if (template.Sim.IssueExternalCertificate) {
    // SIM-B6: an external certificate CM tracks but did not issue from the client's CSR.
    const key = serverGeneratedKey(rt.rng)
    const issued = issueOne(ctx, r, template, owner, { spki: key.spki, ...signingOnly, tag: '-External' })
    key.pkcs8.fill(0)
    out.push({
      ...baseCertificate(template.Sim.CertificateTemplateName + '-External'),
      Pkcs7: pkcs7(issued.der),
      IsExternal: true,
    })
  }
  return ok(out)
}

/** E20 GET /smartcards/{scid}/certificates (base form). */
export const smartcardCertificates: Handler = (ctx) => {
  const card = ctx.rt.store.card(ctx.params.scid!)
  if (!card) throw noContent('unknown smart card')
  requireRead(ctx.caller, [card.AssignedUserUuid], card.ProfileTemplateUuid)
  const certs = ctx.rt.store.state.Certificates.filter((c) => c.Sim.SmartcardUuid === card.Uuid)
  return listReply(ctx, certs.map(x509BaseJson))
}

/** E21 GET /profiles/{pid}/certificates (base form). */
export const profileCertificates: Handler = (ctx) => {
  const p = ctx.rt.store.profile(ctx.params.pid!)
  if (!p) throw noContent('unknown profile')
  if (!canRead(ctx.caller, [p.AssignedUserUuid], p.ProfileTemplateUuid)) throw forbidden('not your profile')
  const certs = ctx.rt.store.state.Certificates.filter((c) => c.Sim.ProfileUuid === p.Uuid)
  return listReply(ctx, certs.map(x509BaseJson))
}

/** E22 GET /certificates: the caller's certificates, extended form, retired ones omitted [D] (SIM-B7). */
export const userCertificates: Handler = (ctx) => {
  const certs = ctx.rt.store.state.Certificates.filter(
    (c) => c.Sim.UserUuid === ctx.caller.Uuid && !c.Sim.Retired,
  )
  return listReply(ctx, certs.map(x509ExtendedJson))
}

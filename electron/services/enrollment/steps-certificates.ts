import { randomUUID } from 'node:crypto'
import type { CmCsrOptions } from '../../../shared/domain/cm'
import type { EnrollmentCertificateIssue, EnrollmentCertificateView } from '../../../shared/domain/enrollment'
import { StationError } from '../../../shared/errors'
import { zeroize } from '../crypto/des'
import { describeCertificate, samePublicKey } from '../pki/certificate-info'
import { digest, digestAlgorithmOf } from '../pki/digest-info'
import type { CardKeySession, EnrollmentDeps } from './deps'
import { isCardLost, stepError, type RunScope } from './runner'
import type { GeneratedKeyRecord, IssuedRecord } from './state'

/** `KeyUsages` bits (cm-rest-api.md §4.8, WinRT EnrollKeyUsages): Decryption 1, Signing 2, KeyAgreement 4. */
const DECRYPTION = 1
const KEY_AGREEMENT = 4

/** A key that may decrypt lives in a key-exchange container (kxcNN), a signing-only key in a signature one (kscNN). */
function usageOf(option: CmCsrOptions): 'key-exchange' | 'signature' {
  return option.keyUsages & (DECRYPTION | KEY_AGREEMENT) ? 'key-exchange' : 'signature'
}

/** E09 options the card can do (RSA 1024/2048, SHA-1/2 family); anything else is a typed refusal. */
function checkOption(option: CmCsrOptions, index: number, deps: EnrollmentDeps) {
  const hash = digestAlgorithmOf(option.hashAlgorithmName)
  const bits = option.keySize
  if (option.keyAlgorithmName.toUpperCase() !== 'RSA' || (bits !== 1024 && bits !== 2048) || !hash) {
    throw new StationError('certificate-error', {}, `E09 option ${index}: ${option.keyAlgorithmName} ${bits}`)
  }
  // FX-E09-1 asks for SHA-1: produced as asked (CM decides), but worth a line in the log.
  if (hash === 'SHA1') deps.log.warn('enrollment: CM asks for a SHA-1 certificate request', { option: index })
  return { hash, bits: bits as 1024 | 2048 }
}

/**
 * §5.3 steps 17–20 with the user PIN verified on the card: E09 → one key + PKCS#10 per option, generated and signed
 * ON the card (the private key never leaves it) → E10 with all CSRs (random `pfxpassword`, never logged or kept) →
 * every issued certificate written to its container and read back → every certificate's public key must match a key
 * on the card. Checkpointed: keys/CSRs after generation, the E10 answer when it arrives, so a crash never generates
 * new keys for certificates already requested (E10 is re-sent with the same CSRs).
 */
export async function certificates(scope: RunScope, deps: EnrollmentDeps): Promise<void> {
  const ctx = scope.state().ctx
  if (!ctx.card) throw new StationError('wrong-step', {}, 'certificates without a card')
  const card = ctx.card
  const pin = deps.vault.get(ctx.requestId)
  if (!pin) return scope.emit({ type: 'pin-needed', notice: null })
  try {
    const options = await deps.cm.getCertificateRequestGenerationOptions(ctx.requestId)
    if (options.length === 0) throw new StationError('certificate-missing', {}, 'E09: no options')
    const job = <T>(then: (s: CardKeySession) => Promise<T>) =>
      deps.card.withUserPin(card.reader, { pin, expectCardId: card.cardId }, then)

    // 1. Keys and CSRs (only those not generated before: a resumed step never makes a second key per option).
    if (scope.state().ctx.keys.length < options.length) {
      await job(async (session) => {
        for (let i = scope.state().ctx.keys.length; i < options.length; i++) {
          const record = await generateOne(session, options[i]!, i, deps)
          scope.emit({ type: 'keys-generated', keys: [...scope.state().ctx.keys, record] })
        }
      })
    }
    const keys = scope.state().ctx.keys

    // 2. E10 (unless its answer is already in the checkpoint).
    if (!scope.state().ctx.issued) {
      const pfxPassword = (deps.randomPassword ?? randomUUID)()
      scope.emit({ type: 'certificate-request-sent' })
      const answer = await deps.cm.submitCertificateRequests(ctx.requestId, {
        certificateRequests: keys.map((k) => k.csr),
        pfxPassword,
      })
      // A server-generated key (isPfx, Q9) would have to be imported onto the card; GIDS cards here cannot
      // import keys (card edge), so the PFX is never opened: it is reported as key-import-unsupported.
      const pfxItems = answer.filter((a) => a.isPfx && !a.isPkcs7 && a.error === null)
      const readable = answer.filter((a) => !pfxItems.includes(a))
      const entries = deps.pki.readIssuedCertificates(readable, {
        publicKeys: keys.map((k) => Buffer.from(k.publicKey, 'base64')),
        pfxPassword,
      })
      const issued: IssuedRecord[] = entries.map((e) => {
        if (e.kind === 'pfx') zeroize(e.privateKey)
        return {
          index: e.index,
          templateName: e.templateName,
          kind: e.kind,
          certificate: e.kind === 'certificate' ? e.endEntity.toString('base64') : null,
          keyIndex: e.kind === 'certificate' ? e.keyIndex : null,
          external: e.kind === 'certificate' && e.external,
        }
      })
      for (const item of pfxItems) {
        issued.push({
          index: readable.length + pfxItems.indexOf(item),
          templateName: item.templateCommonName,
          kind: 'pfx',
          certificate: null,
          keyIndex: null,
          external: false,
        })
      }
      scope.emit({ type: 'certificates-issued', issued })
    }
    const issued = scope.state().ctx.issued ?? []

    // 3. Match: every key needs its certificate; extra entries are reported, not fatal (Q9).
    const issues: EnrollmentCertificateIssue[] = []
    const toInstall: Array<{ key: GeneratedKeyRecord; der: Buffer; templateName: string }> = []
    keys.forEach((key, i) => {
      const hit = issued.find((r) => r.kind === 'certificate' && r.keyIndex === i && r.certificate)
      if (hit?.certificate)
        toInstall.push({ key, der: Buffer.from(hit.certificate, 'base64'), templateName: hit.templateName })
    })
    for (const r of issued) {
      if (r.kind === 'error') issues.push({ templateName: r.templateName, code: 'certificate-error' })
      if (r.kind === 'pfx') issues.push({ templateName: r.templateName, code: 'key-import-unsupported' })
      // An external certificate (IsExternal, Q9) is CM's record of a certificate issued elsewhere: nothing to install.
      if (r.kind === 'certificate' && r.keyIndex === null && !r.external) {
        issues.push({ templateName: r.templateName, code: 'certificate-mismatch' })
      }
    }
    if (toInstall.length < keys.length) {
      const code = issued.some((r) => r.kind === 'error') ? 'certificate-error' : 'certificate-missing'
      return scope.emit({ type: 'step-failed', error: { code }, resumable: false })
    }

    // 4. Install and verify against the keys the card holds.
    const installed = await job(async (session) => {
      for (const { key, der } of toInstall) await session.writeCertificate(key.container, der)
      return session.listContainers()
    })
    const views: EnrollmentCertificateView[] = []
    for (const { key, der, templateName } of toInstall) {
      const info = describeCertificate(der)
      const onCard = installed.find((c) => c.index === key.container)
      const ok =
        onCard?.publicKey &&
        onCard.certificate?.equals(der) &&
        samePublicKey(onCard.publicKey, info.publicKey)
      if (!ok) throw new StationError('certificate-mismatch', {}, `container ${key.container}`)
      views.push({
        container: key.container,
        templateName: info.templateName ?? templateName,
        subject: info.subject,
        issuer: info.issuer,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        thumbprint: info.thumbprint,
      })
    }
    deps.vault.clear(ctx.requestId)
    scope.emit({ type: 'certificates-installed', certificates: views, issues })
  } catch (error) {
    if (isCardLost(error)) return scope.emit({ type: 'card-lost', error: stepError(error) })
    if (error instanceof StationError && (error.code === 'wrong-pin' || error.code === 'pin-blocked')) {
      // The PIN the station held (or the holder typed) was refused: forget it and ask the holder.
      deps.vault.clear(ctx.requestId)
      if (error.code === 'pin-blocked') {
        return scope.emit({ type: 'step-failed', error: stepError(error), resumable: false })
      }
      return scope.emit({ type: 'pin-needed', notice: stepError(error) })
    }
    throw error
  } finally {
    zeroize(pin)
  }
}

/** One option: key on the card, then the PKCS#10 around its public key, signed by the card. */
async function generateOne(
  session: CardKeySession,
  option: CmCsrOptions,
  index: number,
  deps: EnrollmentDeps,
): Promise<GeneratedKeyRecord> {
  const { hash, bits } = checkOption(option, index, deps)
  const usage = usageOf(option)
  const key = await session.generateKey({ bits, usage, makeDefault: index === 0 })
  const csr = await deps.pki.buildCertificationRequest(
    {
      publicKey: key.publicKey,
      subject: option.subject,
      hash,
      keyUsages: option.keyUsages,
      ...(option.keyStorageProviderNames[0] ? { keyStorageProvider: option.keyStorageProviderNames[0] } : {}),
    },
    (tbs) => session.signDigest(key.container, hash, digest(hash, tbs)),
  )
  return {
    option: index,
    container: key.container,
    containerName: key.name,
    usage: key.usage,
    bits: key.bits,
    publicKey: key.publicKey.toString('base64'),
    csr: csr.toString('base64'),
  }
}

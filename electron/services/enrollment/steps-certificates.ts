import { createPrivateKey, randomUUID } from 'node:crypto'
import type { CmCsrOptions, CmIssuedCertificate } from '../../../shared/domain/cm'
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
  /** Private keys of server-generated PFX entries (Q9), by E10 entry index: memory only, zeroed on the way out. */
  const serverKeys = new Map<number, Buffer>()
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

    // 2. E10 (unless its answer is already in the checkpoint). Server-generated keys stay in memory only.
    if (!scope.state().ctx.issued) {
      const pfxPassword = (deps.randomPassword ?? randomUUID)()
      scope.emit({ type: 'certificate-request-sent' })
      const answer = await deps.cm.submitCertificateRequests(ctx.requestId, {
        certificateRequests: keys.map((k) => k.csr),
        pfxPassword,
      })
      scope.emit({
        type: 'certificates-issued',
        issued: readAnswer(answer, keys, pfxPassword, serverKeys, deps),
      })
    }
    const issued = scope.state().ctx.issued ?? []

    // 3. Match: every key needs its certificate; extra entries are reported, not fatal (Q9).
    const plan = planInstall(keys, issued, serverKeys)
    if (plan.missing) {
      const code = issued.some((r) => r.kind === 'error') ? 'certificate-error' : 'certificate-missing'
      return scope.emit({ type: 'step-failed', error: { code }, resumable: false })
    }

    // 4. Install (import server keys first), then verify against the keys the card holds.
    const installed = await job(async (session) => {
      for (const item of plan.imports) {
        try {
          const key = await session.importKey({
            bits: item.bits,
            usage: 'key-exchange',
            pkcs8: item.privateKey,
          })
          plan.toInstall.push({
            container: key.container,
            der: item.certificate,
            templateName: item.templateName,
          })
        } catch (error) {
          if (!(error instanceof StationError) || error.code !== 'key-import-unsupported') throw error
          plan.issues.push({ templateName: item.templateName, code: 'key-import-unsupported' })
        } finally {
          zeroize(item.privateKey)
        }
      }
      for (const { container, der } of plan.toInstall) await session.writeCertificate(container, der)
      return session.listContainers()
    })
    const views: EnrollmentCertificateView[] = []
    for (const { container, der, templateName } of plan.toInstall) {
      const info = describeCertificate(der)
      const onCard = installed.find((c) => c.index === container)
      const ok =
        onCard?.publicKey &&
        onCard.certificate?.equals(der) &&
        samePublicKey(onCard.publicKey, info.publicKey)
      if (!ok) throw new StationError('certificate-mismatch', {}, `container ${container}`)
      views.push({
        container,
        templateName: info.templateName ?? templateName,
        subject: info.subject,
        issuer: info.issuer,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        thumbprint: info.thumbprint,
      })
    }
    const issues = plan.issues
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
    for (const k of serverKeys.values()) zeroize(k)
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

/**
 * Read the E10 answer (Q9) into checkpoint records. PKCS#7 entries are matched to the card's keys by public key;
 * each PFX entry is opened on its own (an unreadable one must not hide the others) and its private key kept in
 * `serverKeys` for the import — never in the checkpoint, whose PFX records hold only the certificate.
 */
function readAnswer(
  answer: CmIssuedCertificate[],
  keys: GeneratedKeyRecord[],
  pfxPassword: string,
  serverKeys: Map<number, Buffer>,
  deps: EnrollmentDeps,
): IssuedRecord[] {
  const publicKeys = keys.map((k) => Buffer.from(k.publicKey, 'base64'))
  const records: IssuedRecord[] = []
  answer.forEach((item, index) => {
    const base = { index, templateName: item.templateCommonName, keyIndex: null, external: false }
    if (item.isPfx && !item.isPkcs7 && item.error === null) {
      try {
        const [entry] = deps.pki.readIssuedCertificates([item], { publicKeys, pfxPassword })
        if (entry?.kind !== 'pfx') throw new StationError('certificate-unreadable')
        serverKeys.set(index, entry.privateKey)
        records.push({ ...base, kind: 'pfx', certificate: entry.certificate.toString('base64') })
      } catch (error) {
        deps.log.warn('enrollment: a server-generated key could not be read', { index, error })
        records.push({ ...base, kind: 'pfx', certificate: null })
      }
      return
    }
    const [entry] = deps.pki.readIssuedCertificates([item], { publicKeys, pfxPassword })
    if (!entry || entry.kind === 'pfx')
      throw new StationError('certificate-unreadable', {}, `E10 entry ${index}`)
    if (entry.kind === 'error') {
      // The server's own words go to the log only (never to the UI, conventions §5).
      deps.log.warn('enrollment: CM reported a certificate error', {
        index,
        template: item.templateCommonName,
      })
      return records.push({ ...base, kind: 'error', certificate: null })
    }
    records.push({
      ...base,
      kind: 'certificate',
      certificate: entry.endEntity.toString('base64'),
      keyIndex: entry.keyIndex,
      external: entry.external,
    })
  })
  return records
}

/** What the install job does: certificates for the card's own keys, imports of server keys, and the issues. */
function planInstall(keys: GeneratedKeyRecord[], issued: IssuedRecord[], serverKeys: Map<number, Buffer>) {
  const issues: EnrollmentCertificateIssue[] = []
  const toInstall: Array<{ container: number; der: Buffer; templateName: string }> = []
  const imports: Array<{ bits: 1024 | 2048; privateKey: Buffer; certificate: Buffer; templateName: string }> =
    []
  keys.forEach((key, i) => {
    const hit = issued.find((r) => r.kind === 'certificate' && r.keyIndex === i && r.certificate)
    if (hit?.certificate) {
      toInstall.push({
        container: key.container,
        der: Buffer.from(hit.certificate, 'base64'),
        templateName: hit.templateName,
      })
    }
  })
  for (const r of issued) {
    if (r.kind === 'error') issues.push({ templateName: r.templateName, code: 'certificate-error' })
    // An external certificate (IsExternal, Q9) is CM's record of a certificate issued elsewhere: nothing to install.
    if (r.kind === 'certificate' && r.keyIndex === null && !r.external) {
      issues.push({ templateName: r.templateName, code: 'certificate-mismatch' })
    }
    if (r.kind !== 'pfx') continue
    const privateKey = serverKeys.get(r.index)
    const bits = privateKey ? rsaBits(privateKey) : null
    if (!privateKey || !r.certificate || (bits !== 1024 && bits !== 2048)) {
      // Unreadable, lost with a restart (the key is never checkpointed), or a size the card cannot hold.
      issues.push({
        templateName: r.templateName,
        code: privateKey ? 'key-import-unsupported' : 'certificate-unreadable',
      })
      continue
    }
    imports.push({
      bits,
      privateKey,
      certificate: Buffer.from(r.certificate, 'base64'),
      templateName: r.templateName,
    })
  }
  return { issues, toInstall, imports, missing: toInstall.length < keys.length }
}

/** RSA modulus size of a PKCS#8 private key, or null when it is not RSA. */
function rsaBits(pkcs8: Buffer): number | null {
  try {
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    return key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? null) : null
  } catch {
    return null
  }
}

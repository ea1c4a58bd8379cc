import { Badge, Button, Spinner, Text, makeStyles, tokens, useId } from '@fluentui/react-components'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ErrorInfo } from '../../../shared/errors'
import type { CardContainerView } from '../../../shared/ipc/card'
import { settle } from '../../bridge/settle'
import { errorMessage } from '../../i18n/error-message'
import { useStationContext } from '../../store/store-context'
import { formatDate } from '../common/format'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  bar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
  },
  item: {
    display: 'grid',
    gridTemplateColumns: 'minmax(7rem, max-content) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`,
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, minWidth: 0, wordBreak: 'break-word', fontSize: tokens.fontSizeBase200 },
})

type Load =
  | { phase: 'loading' }
  | { phase: 'failed'; error: ErrorInfo }
  | { phase: 'loaded'; containers: CardContainerView[] }

function Container({ container }: { container: CardContainerView }): ReactNode {
  const { t, i18n } = useTranslation()
  const styles = useStyles()
  const cert = container.certificate
  return (
    <li>
      <dl className={styles.item} data-testid="card-certificate" data-container={container.index}>
        <dt className={styles.term}>{t('cardCerts.container')}</dt>
        <dd className={styles.value}>
          {t('cardCerts.containerValue', {
            index: container.index,
            usage: t(container.keyUsage === 'signature' ? 'cardCerts.signature' : 'cardCerts.keyExchange'),
            bits: container.keyBits,
          })}
          {container.isDefault ? ` · ${t('cardCerts.default')}` : ''}
        </dd>
        {cert ? (
          <>
            <dt className={styles.term}>{t('certificates.subject')}</dt>
            <dd className={styles.value}>{cert.subject}</dd>
            <dt className={styles.term}>{t('certificates.issuer')}</dt>
            <dd className={styles.value}>{cert.issuer}</dd>
            <dt className={styles.term}>{t('certificates.validity')}</dt>
            <dd className={styles.value}>
              {t('certificates.validRange', {
                from: formatDate(cert.notBefore, i18n.language),
                to: formatDate(cert.notAfter, i18n.language),
              })}
            </dd>
            <dt className={styles.term}>{t('certificates.template')}</dt>
            <dd className={styles.value}>{cert.templateName ?? t('cardCerts.noTemplate')}</dd>
            <dt className={styles.term}>{t('cardCerts.key')}</dt>
            <dd className={styles.value}>
              <Badge
                appearance="tint"
                color={cert.matchesKey ? 'success' : 'danger'}
                data-testid="key-match"
                data-matches={String(cert.matchesKey)}
              >
                {t(cert.matchesKey ? 'cardCerts.keyMatches' : 'cardCerts.keyMismatch')}
              </Badge>
            </dd>
          </>
        ) : (
          <>
            <dt className={styles.term}>{t('cardCerts.certificate')}</dt>
            <dd className={styles.value}>{t('cardCerts.none')}</dd>
          </>
        )}
      </dl>
    </li>
  )
}

/**
 * The key containers and certificates on the card (`card:list-certificates`, read without a PIN), behind a
 * disclosure: the card is read only when the operator opens it (and again with Refresh), so the reader is not
 * busied during an enrollment.
 */
export function CardCertificates(props: { reader: string }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station } = useStationContext()
  const regionId = useId('card-certs')
  const [open, setOpen] = useState(false)
  const [load, setLoad] = useState<Load>({ phase: 'loading' })
  const [round, setRound] = useState(0)
  const { reader } = props

  useEffect(() => {
    if (!open) return
    let current = true
    void settle(() => station.card.listCertificates({ reader })).then((result) => {
      if (current)
        setLoad(
          result.ok
            ? { phase: 'loaded', containers: result.value }
            : { phase: 'failed', error: result.error },
        )
    })
    return () => {
      current = false
    }
  }, [open, station, reader, round])

  const reload = (): void => {
    setLoad({ phase: 'loading' })
    setRound((n) => n + 1)
  }

  return (
    <div className={styles.root}>
      <div className={styles.bar}>
        <Button
          size="small"
          appearance="subtle"
          aria-expanded={open}
          aria-controls={regionId}
          data-testid="card-certificates-toggle"
          onClick={() => {
            if (!open) setLoad({ phase: 'loading' })
            setOpen(!open)
          }}
        >
          {open ? t('cardCerts.hide') : t('cardCerts.show')}
        </Button>
        {open && load.phase !== 'loading' ? (
          <Button size="small" appearance="subtle" onClick={reload}>
            {t('cardCerts.refresh')}
          </Button>
        ) : null}
      </div>
      {/* Not announced by the card region's live region: the operator asked for it and reads it. */}
      <div
        id={regionId}
        hidden={!open}
        aria-live="off"
        data-testid="card-certificates"
        data-phase={open ? load.phase : 'closed'}
      >
        {open && load.phase === 'loading' ? (
          <Spinner size="extra-tiny" labelPosition="after" label={t('cardCerts.loading')} />
        ) : null}
        {open && load.phase === 'failed' ? <Text size={200}>{errorMessage(t, load.error)}</Text> : null}
        {open && load.phase === 'loaded' && load.containers.length === 0 ? (
          <Text size={200}>{t('cardCerts.empty')}</Text>
        ) : null}
        {open && load.phase === 'loaded' && load.containers.length > 0 ? (
          <ul className={styles.list}>
            {load.containers.map((c) => (
              <Container key={c.index} container={c} />
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  )
}

import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { useEffect, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { refreshCards } from '../../store/card-sync'
import { dismissEnrollment } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'
import { PersonName } from '../directory/person-name'
import { useBadgeTakenReset } from '../kiosk/badge-taken'
import { CertificateList } from './certificate-list'
import { outcomeLabel } from './labels'
import { RetireProgress } from './retire/retire-progress'
import { TemplateName } from './template-name'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'minmax(10rem, max-content) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, minWidth: 0 },
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
})

/** "Next holder": forget the finished enrollment (`enrollment:dismiss`) and go Home. */
function NextHolder({ view }: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const { station, store } = useStationContext()
  const busy = useStationState((s) => s.enrollments.busy[view.requestId])
  return (
    <div>
      <Button
        appearance="primary"
        size="large"
        data-testid="next-holder"
        disabledFocusable={busy !== undefined}
        icon={busy === 'dismiss' ? <Spinner size="tiny" /> : null}
        onClick={() => void dismissEnrollment(station, store, view.requestId, true)}
      >
        {t('summary.nextHolder')}
      </Button>
    </div>
  )
}

/**
 * A finished enrollment. Completed: the summary (holder, new card, template, PIN mode, certificates, retired cards,
 * request id). Canceled / abandoned: what CM now says about the request. Both end with "Next holder" — in kiosk mode
 * the holder taking the new badge from its reader on the summary does the same.
 */
export function Finished({ view }: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { store } = useStationContext()
  const kiosk = useStationState((s) => s.app.info?.kiosk === true)
  useEffect(() => {
    // The new card (and the retired ones) changed in CM while they stayed in the readers: look them up again.
    refreshCards(store)
  }, [store])
  // Kiosk: the holder taking the new badge from its reader is "Next holder".
  useBadgeTakenReset(view, kiosk && view.outcome === 'completed')
  if (view.outcome !== 'completed') {
    return (
      <div className={styles.root} data-testid="enrollment-ended" data-outcome={view.outcome ?? undefined}>
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {view.outcome ? outcomeLabel(t, view.outcome) : t('enrollment.status.done')}
            </MessageBarTitle>
            {t(view.outcome === 'abandoned' ? 'summary.abandonedDetail' : 'summary.canceledDetail')}
          </MessageBarBody>
        </MessageBar>
        <NextHolder view={view} />
      </div>
    )
  }
  return (
    <section className={styles.root} data-testid="summary" aria-label={t('summary.heading')}>
      <MessageBar intent="success">
        <MessageBarBody>
          <MessageBarTitle>{t('summary.heading')}</MessageBarTitle>
        </MessageBarBody>
      </MessageBar>
      <dl className={styles.fields}>
        <dt className={styles.term}>{t('enrollment.holder')}</dt>
        <dd className={styles.value}>
          <PersonName uuid={view.holderUuid} testId="summary-holder" withAccount />
        </dd>
        <dt className={styles.term}>{t('summary.newCard')}</dt>
        <dd className={styles.value}>
          <code className={styles.code} data-testid="summary-card-id">
            {view.card?.cardId ?? t('summary.noCard')}
          </code>
        </dd>
        <dt className={styles.term}>{t('enrollment.template')}</dt>
        <dd className={styles.value}>
          <TemplateName templateId={view.templateId} testId="summary-template" />
        </dd>
        <dt className={styles.term}>{t('summary.pinMode')}</dt>
        <dd
          className={styles.value}
          data-testid="summary-pin-mode"
          data-pin-source={view.pinSource ?? undefined}
        >
          {view.pinSource === 'server'
            ? t('summary.pinServer')
            : view.pinSource === 'holder'
              ? t('summary.pinHolder')
              : t('summary.pinUnknown')}
        </dd>
        <dt className={styles.term}>{t('enrollment.request')}</dt>
        <dd className={styles.value}>
          <code className={styles.code} data-testid="summary-request-id">
            {view.requestId}
          </code>
        </dd>
      </dl>
      <CertificateList certificates={view.certificates} issues={view.certificateIssues} />
      {view.retire.length > 0 ? (
        <RetireProgress items={view.retire} />
      ) : (
        <Text data-testid="summary-no-retire">{t('summary.noRetire')}</Text>
      )}
      <NextHolder view={view} />
    </section>
  )
}

import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Title3,
  makeStyles,
  tokens,
  useId,
} from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CmWriteView } from '../../../shared/domain/cm'
import { errorMessage } from '../../i18n/error-message'
import { reloadEnrollmentLists } from '../../store/enrollment-sync'
import { useStationContext, useStationState } from '../../store/store-context'
import { runWriteAction } from '../../store/writes-actions'
import { ErrorDetails } from '../common/error-details'
import { formatInstant } from '../common/format'
import { writeKindLabel, writeStateLabel } from './write-labels'

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  heading: { margin: 0 },
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
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    alignItems: 'start',
    columnGap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'minmax(8rem, max-content) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, minWidth: 0 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
})

const STATE_COLORS: Readonly<Record<string, 'informative' | 'warning' | 'danger' | 'success' | 'subtle'>> = {
  pending: 'informative',
  'awaiting-approval': 'warning',
  failed: 'danger',
  done: 'success',
  dismissed: 'subtle',
}

/** Dismiss closes a dead end only (the journal service refuses it for a write that may still finish). */
function canDismiss(write: CmWriteView): boolean {
  return write.state === 'failed' || write.state === 'awaiting-approval'
}

function canRetry(write: CmWriteView): boolean {
  return write.state === 'pending' || write.state === 'failed' || write.state === 'awaiting-approval'
}

function WriteItem({ write }: { write: CmWriteView }): ReactNode {
  const { t, i18n } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const busy = useStationState((s) => s.writes.busy[write.id])
  const failure = useStationState((s) => s.writes.actionErrors[write.id])
  const kind = writeKindLabel(t, write.kind)
  return (
    <li
      className={styles.item}
      data-testid="pending-write"
      data-write-id={write.id}
      data-kind={write.kind}
      data-state={write.state}
      aria-busy={busy !== undefined}
    >
      <dl className={styles.fields}>
        <dt className={styles.term}>{t('writes.kindLabel')}</dt>
        <dd className={styles.value}>
          <Text weight="semibold">{kind}</Text>{' '}
          <Badge appearance="tint" color={STATE_COLORS[write.state] ?? 'subtle'}>
            {writeStateLabel(t, write.state)}
          </Badge>
        </dd>
        <dt className={styles.term}>{t('writes.card')}</dt>
        <dd className={styles.value}>
          <code className={styles.code}>{write.smartcardUuid}</code>
        </dd>
        <dt className={styles.term}>{t('writes.request')}</dt>
        <dd className={styles.value}>
          {write.requestId ? <code className={styles.code}>{write.requestId}</code> : t('writes.noRequest')}
        </dd>
        <dt className={styles.term}>{t('writes.attempts')}</dt>
        <dd className={styles.value}>{write.attempts}</dd>
        <dt className={styles.term}>{t('writes.nextRetry')}</dt>
        <dd className={styles.value} data-testid="write-next-retry">
          {write.nextRetryAt ? formatInstant(write.nextRetryAt, i18n.language) : t('writes.noAutomaticRetry')}
        </dd>
        {write.lastError ? (
          <>
            <dt className={styles.term}>{t('writes.lastError')}</dt>
            <dd className={styles.value}>
              <ErrorDetails error={write.lastError} testId="write-error" />
            </dd>
          </>
        ) : null}
      </dl>
      <div className={styles.actions}>
        {canRetry(write) ? (
          <Button
            data-testid="retry-write"
            aria-label={t('writes.retryNamed', { kind })}
            disabledFocusable={busy !== undefined}
            icon={busy === 'retry' ? <Spinner size="extra-tiny" /> : null}
            onClick={() => void runWriteAction(station, store, write.id, 'retry')}
          >
            {t(write.state === 'pending' ? 'writes.retryNow' : 'writes.retry')}
          </Button>
        ) : null}
        {canDismiss(write) ? (
          <Button
            data-testid="dismiss-write"
            aria-label={t('writes.dismissNamed', { kind })}
            disabledFocusable={busy !== undefined}
            onClick={() => void runWriteAction(station, store, write.id, 'dismiss')}
          >
            {t('writes.dismiss')}
          </Button>
        ) : null}
      </div>
      {failure ? (
        <Text role="alert" data-testid="write-action-error">
          {errorMessage(t, failure)}
        </Text>
      ) : null}
    </li>
  )
}

/**
 * "Pending CM writes": the write journal's entries that are not done (retire, bind, complete, cancel…), with the
 * next automatic retry, the last failure and its CM correlation id; Retry runs one now, Dismiss closes a dead end.
 */
export function PendingWrites(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { store } = useStationContext()
  const headingId = useId('writes')
  const { list, loaded, loadError } = useStationState((s) => s.writes)
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Title3 as="h2" id={headingId} className={styles.heading}>
        {t('writes.heading')}
      </Title3>
      {loadError ? (
        <MessageBar intent="error" data-testid="writes-error">
          <MessageBarBody>
            {t('writes.loadFailed', { message: errorMessage(t, loadError) })}{' '}
            <Button size="small" onClick={() => reloadEnrollmentLists(store)}>
              {t('common.tryAgain')}
            </Button>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {!loaded && !loadError ? (
        <Spinner size="tiny" labelPosition="after" label={t('writes.loading')} />
      ) : null}
      {loaded && list.length === 0 ? <Text data-testid="writes-empty">{t('writes.none')}</Text> : null}
      <ul className={styles.list} aria-labelledby={headingId}>
        {list.map((write) => (
          <WriteItem key={write.id} write={write} />
        ))}
      </ul>
    </section>
  )
}

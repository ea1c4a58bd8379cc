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
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { errorMessage } from '../../i18n/error-message'
import { dismissEnrollment, navigate } from '../../store/enrollment-actions'
import { reloadEnrollmentLists } from '../../store/enrollment-sync'
import { useStationContext, useStationState } from '../../store/store-context'
import { ErrorDetails } from '../common/error-details'
import { formatInstant } from '../common/format'
import { PersonName } from '../directory/person-name'
import { CancelEnrollment } from '../enrollment/cancel-enrollment'
import { statusLabel, stepLabel } from '../enrollment/labels'
import { TemplateName } from '../enrollment/template-name'

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
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  lines: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS, minWidth: 0 },
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
})

const STATUS_COLORS = {
  working: 'brand',
  'needs-operator': 'warning',
  'needs-holder': 'warning',
  'waiting-retry': 'informative',
  failed: 'danger',
  done: 'success',
} as const

function Item({ view }: { view: EnrollmentView }): ReactNode {
  const { t, i18n } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const busy = useStationState((s) => s.enrollments.busy[view.requestId])
  const failure = useStationState((s) => s.enrollments.actionErrors[view.requestId])
  const finished = view.status === 'done'
  const color = finished && view.outcome !== 'completed' ? 'subtle' : STATUS_COLORS[view.status]
  return (
    <li
      className={styles.item}
      data-testid="in-progress-item"
      data-request-id={view.requestId}
      data-step={view.step}
      data-status={view.status}
    >
      <div className={styles.lines}>
        <div className={styles.line}>
          <Text weight="semibold">
            <PersonName uuid={view.holderUuid} withAccount />
          </Text>
          <Text className={styles.muted}>
            <TemplateName templateId={view.templateId} />
          </Text>
          <Badge appearance="tint" color={color} data-testid="in-progress-status">
            {statusLabel(t, view)}
          </Badge>
        </div>
        <Text size={200}>
          {view.lastFinishedStep
            ? t('home.lastStep', { step: stepLabel(t, view.lastFinishedStep) })
            : t('home.noStepYet')}
        </Text>
        <Text size={200} className={styles.muted}>
          {t('home.requestUpdated', { time: formatInstant(view.updatedAt, i18n.language) })}{' '}
          <code className={styles.code}>{view.requestId}</code>
        </Text>
        {view.error && !finished ? <ErrorDetails error={view.error} /> : null}
        {failure ? <Text role="alert">{errorMessage(t, failure.error)}</Text> : null}
      </div>
      <div className={styles.actions}>
        {finished ? (
          <>
            <Button
              data-testid="open-enrollment"
              onClick={() => navigate(store, { name: 'issue', requestId: view.requestId })}
            >
              {t('home.open')}
            </Button>
            <Button
              data-testid="dismiss-enrollment"
              disabledFocusable={busy !== undefined}
              onClick={() => void dismissEnrollment(station, store, view.requestId, false)}
            >
              {t('home.dismiss')}
            </Button>
          </>
        ) : (
          <>
            <Button
              appearance="primary"
              data-testid="resume-enrollment"
              onClick={() => navigate(store, { name: 'issue', requestId: view.requestId })}
            >
              {t('home.resume')}
            </Button>
          </>
        )}
        {/* Outside the branches: it stays mounted when the enrollment ends, so its dialog can finish closing. */}
        <CancelEnrollment view={view} />
      </div>
    </li>
  )
}

/** "Enrollments in progress": every checkpointed enrollment, newest first; finished ones until dismissed. */
export function InProgressList(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { store } = useStationContext()
  const headingId = useId('in-progress')
  const { list, loaded, loadError } = useStationState((s) => s.enrollments)
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Title3 as="h2" id={headingId} className={styles.heading}>
        {t('home.inProgress')}
      </Title3>
      {loadError ? (
        <MessageBar intent="error" data-testid="in-progress-error">
          <MessageBarBody>
            {t('home.loadFailed', { message: errorMessage(t, loadError) })}{' '}
            <Button size="small" onClick={() => reloadEnrollmentLists(store)}>
              {t('common.tryAgain')}
            </Button>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {!loaded && !loadError ? <Spinner size="tiny" labelPosition="after" label={t('home.loading')} /> : null}
      {loaded && list.length === 0 ? (
        <Text data-testid="in-progress-empty">{t('home.noneInProgress')}</Text>
      ) : null}
      <ul className={styles.list} aria-labelledby={headingId}>
        {list.map((view) => (
          <Item key={view.requestId} view={view} />
        ))}
      </ul>
    </section>
  )
}

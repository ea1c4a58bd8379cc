import { Text, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentCertificateIssue, EnrollmentCertificateView } from '../../../shared/domain/enrollment'
import { errorSentence } from '../../i18n/error-message'
import { formatDate } from '../common/format'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
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
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, minWidth: 0, wordBreak: 'break-word' },
  issues: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
})

/**
 * The certificates the station installed on the new card (subject, issuer, validity, template) and, as
 * sentences, the E10 entries it could not install.
 */
export function CertificateList(props: {
  certificates: readonly EnrollmentCertificateView[]
  issues: readonly EnrollmentCertificateIssue[]
}): ReactNode {
  const { t, i18n } = useTranslation()
  const styles = useStyles()
  if (props.certificates.length === 0 && props.issues.length === 0) return null
  return (
    <section className={styles.root} aria-label={t('certificates.heading')} data-testid="certificates">
      <Text weight="semibold">{t('certificates.heading')}</Text>
      <ul className={styles.list}>
        {props.certificates.map((cert) => (
          <li key={cert.thumbprint}>
            <dl className={styles.item} data-testid="certificate" data-thumbprint={cert.thumbprint}>
              <dt className={styles.term}>{t('certificates.template')}</dt>
              <dd className={styles.value}>{cert.templateName}</dd>
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
            </dl>
          </li>
        ))}
      </ul>
      {props.issues.length > 0 ? (
        <ul className={styles.issues} data-testid="certificate-issues">
          {props.issues.map((issue, index) => (
            <li key={`${issue.templateName}-${index}`} data-testid="certificate-issue" data-code={issue.code}>
              {t('certificates.issue', {
                template: issue.templateName,
                message: errorSentence(t, { code: issue.code }),
              })}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}

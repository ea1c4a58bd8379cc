import { makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXL,
    borderRadius: tokens.borderRadiusXLarge,
    border: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorBrandBackground2,
    fontSize: tokens.fontSizeBase400,
  },
})

/** A holder-facing area (large text, framed), so the operator can turn the screen and the holder knows what is theirs. */
export function HolderPanel(props: { label: string; testId?: string; children: ReactNode }): ReactNode {
  return (
    <section className={useStyles().panel} aria-label={props.label} data-testid={props.testId}>
      {props.children}
    </section>
  )
}

import { makeStyles, typographyStyles } from '@fluentui/react-components'
import { useEffect, useRef, type ReactNode } from 'react'
import { useStationState } from '../../store/store-context'

const useStyles = makeStyles({
  heading: { ...typographyStyles.title2, margin: 0, ':focus': { outlineStyle: 'none' } },
})

/**
 * The h2 of a page. It takes the keyboard focus when the page opens, so screen-reader and keyboard users land at
 * the top of the new page instead of on a button that no longer exists (not on the app's first page).
 */
export function PageHeading(props: { id: string; children: ReactNode }): ReactNode {
  const styles = useStyles()
  const ref = useRef<HTMLHeadingElement>(null)
  const navigated = useStationState((s) => s.navigation.moves > 0)
  useEffect(() => {
    if (navigated) ref.current?.focus()
    // Only when the page opens, not when a later navigation count changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  return (
    <h2 id={props.id} ref={ref} tabIndex={-1} className={styles.heading}>
      {props.children}
    </h2>
  )
}

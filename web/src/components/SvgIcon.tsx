import sprites from 'bootstrap-italia/dist/svg/sprites.svg';

interface SvgIconProps {
  name: string;
  className?: string;
  /** Leave empty for decorative icons next to visible text. */
  title?: string;
}

/**
 * Bootstrap Italia icon from the bundled sprite sheet. Used instead of the kit's `Icon`,
 * which lazy-loads every icon as a separate module.
 */
export function SvgIcon({ name, className, title }: SvgIconProps) {
  const classes = ['icon', className].filter(Boolean).join(' ');
  return title ? (
    <svg className={classes} role="img" aria-label={title} focusable="false">
      <use href={`${sprites}#${name}`} />
    </svg>
  ) : (
    <svg className={classes} aria-hidden="true" focusable="false">
      <use href={`${sprites}#${name}`} />
    </svg>
  );
}

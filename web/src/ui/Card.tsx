import type { HTMLAttributes, ReactNode } from 'react';

/** A white panel with a border; `title` becomes its heading (h2 unless `level` says otherwise). */
export function Card({ title, level = 2, children, className, ...rest }: { title?: ReactNode; level?: 2 | 3; children?: ReactNode } & HTMLAttributes<HTMLElement>) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={['card', className].filter(Boolean).join(' ')} {...rest}>
      {title && <Heading>{title}</Heading>}
      {children}
    </section>
  );
}

import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A scrolling box (a wide or tall table) that keyboard users can scroll: while its content overflows it
 * is a named region in the Tab order, so arrow keys scroll it (WCAG 2.1.1); when everything fits it is a
 * plain div and adds no tab stop.
 */
export function ScrollRegion({ className, label, labelledBy, children }: { className: string; label?: string; labelledBy?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setOverflows(el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      className={className}
      tabIndex={overflows ? 0 : undefined}
      role={overflows ? 'region' : undefined}
      aria-label={overflows ? label : undefined}
      aria-labelledby={overflows ? labelledBy : undefined}
    >
      {children}
    </div>
  );
}

import { useEffect, useState } from 'react';

/** A design token's current value (charts draw on canvas, so they read colours from CSS variables). */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Changes whenever the OS switches light/dark, so charts redraw with the new tokens. */
export function useColorSchemeTick(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const mq = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
    if (!mq) return;
    const onChange = () => setTick((t) => t + 1);
    mq.addEventListener?.('change', onChange);
    return () => mq.removeEventListener?.('change', onChange);
  }, []);
  return tick;
}

/** A canvas's 2D context, or null where there is none (jsdom, a canvas-less environment): charts then render only their caption and text summary. */
export function canvasContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}

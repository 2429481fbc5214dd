import { styleText } from 'node:util';
import type { Severity } from '../core/change.js';

export type Paint = (style: Parameters<typeof styleText>[0], text: string) => string;

/** Colours only on a terminal, never with NO_COLOR or --no-color. */
export function createPaint(enabled: boolean): Paint {
  return enabled ? (style, text) => styleText(style, text) : (_style, text) => text;
}

const SEVERITY_STYLE: Record<Severity, Parameters<typeof styleText>[0]> = {
  critical: ['bold', 'red'],
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
};

export function paintSeverity(paint: Paint, severity: Severity): string {
  return paint(SEVERITY_STYLE[severity], severity.toUpperCase().padEnd(8));
}

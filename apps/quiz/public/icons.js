// The page's pictures as inline SVG (no image files, no emoji font): choice shapes, medals,
// the sound toggle, the check mark.
import { svg } from './dom.js';

/** Decorative: the accessible name comes from the text next to the icon. */
const hidden = { 'aria-hidden': 'true', focusable: 'false' };

const SHAPES = [
  () => svg('path', { d: 'M12 3 22 20H2z' }), // triangle
  () => svg('path', { d: 'M12 2 22 12 12 22 2 12z' }), // diamond
  () => svg('circle', { cx: 12, cy: 12, r: 10 }), // circle
  () => svg('rect', { x: 3, y: 3, width: 18, height: 18, rx: 2 }), // square
];

/** The shape of choice `i` (triangle, diamond, circle, square), so colour is never the only cue. */
export const shape = (i) =>
  svg('svg', { class: 'shape', viewBox: '0 0 24 24', ...hidden }, SHAPES[i % 4]());

/** A check mark in a circle, for the right answer. */
export const check = () =>
  svg(
    'svg',
    { class: 'check', viewBox: '0 0 24 24', ...hidden },
    svg('circle', { cx: 12, cy: 12, r: 11, fill: '#fff' }),
    svg('path', {
      d: 'm6.5 12.5 3.5 3.5 7.5-8',
      fill: 'none',
      stroke: '#166534',
      'stroke-width': 3,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    }),
  );

const MEDALS = [
  { fill: '#f5c542', rim: '#b7791f', ink: '#5c3a00', label: 'Gold medal, 1st place' },
  { fill: '#d9dee7', rim: '#8a94a6', ink: '#1f2937', label: 'Silver medal, 2nd place' },
  { fill: '#e0a070', rim: '#9a5a2c', ink: '#3b1d00', label: 'Bronze medal, 3rd place' },
];

/** A medal with its rank on it, for ranks 1–3; null for the rest. */
export function medal(rank, size = 28) {
  const m = MEDALS[rank - 1];
  if (!m) return null;
  return svg(
    'svg',
    { class: 'medal', viewBox: '0 0 32 36', width: size, height: (size * 36) / 32, role: 'img' },
    svg('title', {}, m.label),
    svg('path', { d: 'M9 0h6l3 9h-6zM23 0h-6l-3 9h6z', fill: '#4f46e5' }),
    svg('circle', { cx: 16, cy: 21, r: 13, fill: m.fill, stroke: m.rim, 'stroke-width': 2.5 }),
    svg(
      'text',
      {
        x: 16,
        y: 26.5,
        'text-anchor': 'middle',
        'font-size': 15,
        'font-weight': 800,
        'font-family': 'system-ui, sans-serif',
        fill: m.ink,
      },
      String(rank),
    ),
  );
}

/** A speaker, struck through when the sound is off. */
export function speaker(on) {
  return svg(
    'svg',
    { class: 'speaker', viewBox: '0 0 24 24', ...hidden },
    svg('path', { d: 'M4 9h4l5-4v14l-5-4H4z', fill: 'currentColor' }),
    on
      ? svg('path', {
          d: 'M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12',
          fill: 'none',
          stroke: 'currentColor',
          'stroke-width': 2,
          'stroke-linecap': 'round',
        })
      : svg('path', {
          d: 'm16 9 6 6m0-6-6 6',
          stroke: 'currentColor',
          'stroke-width': 2,
          'stroke-linecap': 'round',
        }),
  );
}

/** Background colours for avatars: all dark enough for white initials (AA). */
const AVATAR_COLOURS = [
  '#4338ca',
  '#0f766e',
  '#b91c1c',
  '#1d4ed8',
  '#7e22ce',
  '#b45309',
  '#15803d',
  '#be185d',
];

/** A round badge with the name's initial, its colour picked from the name (stable per name). */
export function avatar(name, away = false) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  const initial = [...name.trim()][0]?.toUpperCase() ?? '?';
  const node = document.createElement('span');
  node.className = 'avatar';
  node.setAttribute('aria-hidden', 'true');
  node.style.background = away ? '#6b7280' : AVATAR_COLOURS[h % AVATAR_COLOURS.length];
  node.textContent = initial;
  return node;
}

/**
 * The operator's accent colour as CSS custom properties, served as a stylesheet (the CSP allows no inline style).
 * The text on accent-coloured buttons is black or white, whichever contrasts more (WCAG relative luminance).
 */
export function themeCss(accentColor: string): string {
  // Configuration validates it too; this keeps anything else out of the stylesheet whoever builds the settings.
  if (!/^#(?:[0-9a-f]{3}){1,2}$/i.test(accentColor)) throw new Error(`not a hex colour: ${accentColor}`);
  const hex = accentColor.length === 4 ? accentColor.replace(/[0-9a-f]/gi, (d) => d + d) : accentColor;
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const contrastWithWhite = 1.05 / (luminance + 0.05);
  const contrastWithBlack = (luminance + 0.05) / 0.05;
  const onAccent = contrastWithWhite >= contrastWithBlack ? '#ffffff' : '#111111';
  return `:root{--accent:${hex.toLowerCase()};--on-accent:${onAccent}}\n`;
}

/**
 * A route slug from its name when the client gives none: "Transactional (EU) – Ünïcode" becomes
 * "transactional-eu-unicode". A name with no letters or digits at all gets "route".
 */
export function deriveSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 255)
    .replace(/-+$/, '');
  return slug || 'route';
}
